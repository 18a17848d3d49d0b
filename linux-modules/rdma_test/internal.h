/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdma_test.ko internals: one test context per run, shared by the files
 * below and grouped by the file that defines each function.
 *
 *	main.c		module parameters, the ib_client, the test thread
 *	verbs.c		the device's GID and MAC, buffers, PD/CQ/QP/MR, the
 *			QP state transitions
 *	wr.c		posting work requests, waiting for completions
 *	handshake.c	the UDP handshake (a kernel socket and its thread)
 *	plan.c		the test plan: the initiator's and the target's rounds
 *
 * The wire formats and the plan are in include/uapi/lego/rdma_test.h.
 */
#ifndef _RDMA_TEST_INTERNAL_H
#define _RDMA_TEST_INTERNAL_H

#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/scatterlist.h>
#include <rdma/ib_verbs.h>

#include <uapi/lego/rdma_test.h>

#define RT_PORT_NUM	1		/* rxe has one port */
#define RT_NR_SLOTS	RDMA_TEST_MIN_RECVS
#define RT_RD_ATOMIC	4		/* READs we serve at once, at most */
#define RT_MAX_SIZES	16
#define RT_WHY_LEN	200
#define RT_HS_LINGER_MS	2000		/* answering a peer we refused */

/* QP attributes of the protocol (include/uapi/lego/rdma_test.h). */
#define RT_TIMEOUT	14		/* 4.096 us * 2^14 = 67 ms */
#define RT_RETRY_CNT	7
#define RT_RNR_RETRY	7		/* infinite */
#define RT_MIN_RNR_TIMER 12		/* 0.64 ms */
#define RT_HOP_LIMIT	64

/* Work request ids: the send-side kinds, then one per receive slot. */
enum rt_wr_id {
	RT_WR_REG,			/* IB_WR_REG_MR of the region */
	RT_WR_CTRL,			/* a control message */
	RT_WR_DATA,			/* the operation under test */
	RT_WR_RECV,			/* + slot index */
};

/* A physically contiguous, DMA-mapped buffer. */
struct rt_buf {
	void *cpu;
	u64 dma;
	size_t len;
};

/* A completed receive, waiting to be handled. */
struct rt_rx {
	int slot;
	enum ib_wc_opcode opcode;
	u32 byte_len;
	bool has_imm;
	u32 imm;			/* host order */
};

struct rt_ctx {
	/* Set at creation, read-only after. */
	struct ib_device *dev;
	__be32 peer_ip;
	u16 udp_port;
	u8 role;			/* enum rdma_test_role in round 0 */
	u32 sizes[RT_MAX_SIZES];
	unsigned int nr_sizes;
	u32 max_size;
	unsigned long deadline;		/* jiffies: the whole test */
	s32 corrupt_step;		/* damage this step's data, or -1 */
	struct task_struct *thread;

	/* Found on the device (verbs.c), read-only after. */
	u8 sgid_index;
	union ib_gid sgid;
	u8 mac[ETH_ALEN];
	enum ib_mtu mtu;
	u8 rd_atomic;

	/* Verbs objects, owned by the test thread. */
	struct ib_pd *pd;
	struct ib_cq *cq;
	struct ib_qp *qp;
	struct ib_mr *mr;
	struct scatterlist region_sg;	/* the region, for ib_map_mr_sg */
	struct rt_buf region;		/* the peer's WRITE target/READ source */
	struct rt_buf src;		/* what we SEND and WRITE */
	struct rt_buf sink;		/* where our READs land */
	struct rt_buf ctrl;		/* the control message we send */
	struct rt_buf slots[RT_NR_SLOTS];
	u32 psn;			/* our initial send PSN */

	/* Completion state, test thread only. */
	wait_queue_head_t cq_wait;
	bool cq_event;			/* set by the completion handler */
	unsigned long send_done;	/* bit per enum rt_wr_id */
	struct rt_rx rx[RT_NR_SLOTS];	/* FIFO of completed receives */
	unsigned int rx_head, rx_count;

	/* Handshake: the socket and its thread (handshake.c). */
	struct socket *sock;
	struct task_struct *hs_thread;
	wait_queue_head_t hs_wait;
	struct mutex hs_lock;		/* protects the fields below */
	struct rdma_test_hello_fields local;	/* what we announce */
	struct rdma_test_hello_fields peer;	/* valid once have_peer */
	bool ready;			/* our QP can receive: announce READY */
	bool have_peer;
	bool connected;			/* the peer is READY and knows us */
	int hs_error;
	char hs_why[RT_WHY_LEN];
	unsigned int hs_ignored;	/* datagrams not from the peer or bad */

	/* Results, test thread only. */
	u32 ops;
	u64 bytes;
	char why[RT_WHY_LEN];		/* the first failure */
};

/* The largest SEND we accept: the largest operation, or a message. */
static inline u32 rt_max_msg(const struct rt_ctx *ctx)
{
	return max_t(u32, ctx->max_size, RDMA_TEST_MSG_LEN);
}

/* main.c */
__printf(3, 4) int rt_fail(struct rt_ctx *ctx, int err, const char *fmt, ...);
int rt_stop_reason(struct rt_ctx *ctx);
void rt_linger(unsigned int ms);
long rt_time_left(struct rt_ctx *ctx);

/* verbs.c */
int rt_find_gid(struct rt_ctx *ctx);
int rt_setup(struct rt_ctx *ctx);
int rt_connect(struct rt_ctx *ctx, const struct rdma_test_hello_fields *peer);
void rt_teardown(struct rt_ctx *ctx);
void rt_sync_for_cpu(struct rt_ctx *ctx, struct rt_buf *buf);
void rt_sync_for_device(struct rt_ctx *ctx, struct rt_buf *buf);

/* wr.c */
void rt_cq_comp(struct ib_cq *cq, void *cq_context);
void rt_cq_event(struct ib_event *ev, void *context);
void rt_qp_event(struct ib_event *ev, void *context);
int rt_post_send(struct rt_ctx *ctx, struct ib_send_wr *wr);
int rt_post_ctrl(struct rt_ctx *ctx, const struct rdma_test_msg_fields *m);
int rt_post_data(struct rt_ctx *ctx, u32 op, u32 len, u64 raddr, u32 rkey,
		 u32 imm);
int rt_repost(struct rt_ctx *ctx, int slot, u32 used);
int rt_wait_send(struct rt_ctx *ctx, enum rt_wr_id id);
int rt_wait_recv(struct rt_ctx *ctx, struct rt_rx *rx);

/* handshake.c */
int rt_hs_start(struct rt_ctx *ctx);
void rt_hs_stop(struct rt_ctx *ctx);
int rt_hs_wait_peer(struct rt_ctx *ctx, struct rdma_test_hello_fields *peer);
void rt_hs_set_ready(struct rt_ctx *ctx);
int rt_hs_wait_connected(struct rt_ctx *ctx);

/* plan.c */
int rt_plan_run(struct rt_ctx *ctx);

#endif /* _RDMA_TEST_INTERNAL_H */
