/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ktest suite `rdma_interop` (the LegoOS side of include/uapi/lego/
 * rdma_test.h), grouped by the file that defines each symbol:
 *
 *	interop_test.c	boot parameters, the handshake, the QP, the cases
 *	interop_plan.c	control messages, the initiator's and the target's
 *			rounds of the plan
 */
#ifndef _SROCE_INTEROP_TEST_H
#define _SROCE_INTEROP_TEST_H

#include <lego/errno.h>
#include <lego/ktest.h>
#include <lego/types.h>
#include <uapi/lego/rdma_test.h>

#include "test_util.h"

#define IT_SLOTS	RDMA_TEST_MIN_RECVS
#define IT_MAX_MSG	RDMA_TEST_MAX_SIZE	/* the largest SEND we take */
#define IT_SLOT_LEN	(IT_MAX_MSG + RDMA_TEST_GUARD)
#define IT_REGION_LEN	(RDMA_TEST_MAX_SIZE + RDMA_TEST_SLACK)
#define IT_WAIT_MS	15000		/* any one completion */
#define IT_WR_RECV	0x1000		/* + slot: a receive's wr_id */
#define IT_WHY_LEN	160
/* A step failed, a check said so; the QP still works. */
#define IT_STEP_FAILED	(-ECANCELED)

/* A completed receive. */
struct it_rx {
	unsigned int slot;
	enum ib_wc_opcode opcode;
	u32 byte_len;
	bool has_imm;
	u32 imm;			/* host order */
};

struct it_ctx {
	u8 role;			/* enum rdma_test_role, round 0 */
	struct st_end e;		/* e.loc: what we send, where READs land */
	u8 *region;			/* what the peer WRITEs and READs */
	u8 *slots[IT_SLOTS];
	struct ib_mr *mr_region, *mr_slots[IT_SLOTS];
	struct rdma_test_hello_fields local, peer;
	bool up;			/* connected: the rounds may run */
	bool broken;			/* the QP is unusable */
	bool last_target;		/* we received round 1's END */
	u32 ops;
	u64 bytes;

	/* Shared with the UDP callback: flags set once, atomically. */
	struct udp_endpoint *ep;
	int have_peer, ready, connected, hs_err, hs_claim;
	char hs_why[IT_WHY_LEN];
	u32 ignored;
};
extern struct it_ctx it;

#define it_fail(t, fmt, ...) ktest_fail(t, __FILE__, __LINE__, fmt, ##__VA_ARGS__)


/* interop_test.c */
int it_post_slot(unsigned int slot, u32 used);

/* interop_plan.c: 0, IT_STEP_FAILED (a step failed, the QP still works) or
 * another -errno (the QP is unusable: it.broken).  Each failure is a
 * ktest_fail() saying what went wrong. */
int it_initiate_round(struct ktest *t, u8 round);
int it_serve_round(struct ktest *t, u8 round);

#endif /* _SROCE_INTEROP_TEST_H */
