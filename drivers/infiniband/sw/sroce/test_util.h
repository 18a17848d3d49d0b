/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the sroce ktest suites share (test_end.c, test_util.c): an RC endpoint with
 * its buffers, connecting it, and the two halves of the data exchange.
 *
 * The exchange is a fixed schedule both ends walk in lockstep: for each
 * operation (SEND, SEND_WITH_IMM, RDMA_WRITE, RDMA_WRITE_WITH_IMM,
 * RDMA_READ) and each size of st_sizes[], the requester moves the data
 * and the target checks every byte it received (SEND payloads, WRITEs
 * announced by a following SEND, WRITE_WITH_IMM by its completion) and
 * the guard bytes after it, then answers with an ACK message saying
 * whether it matched; a READ is prepared by the target on request and
 * checked by the requester.  A final DONE/ACK/BYE closes the schedule.  The
 * same code runs across two nodes (sroce_peer) and between two QPs of one
 * node through the provider's loopback (sroce).  test_hello.c connects
 * two nodes; the stream suite (sroce_stream) and the benchmark
 * (sroce_bench.c) reuse the endpoints, messages and handshake.
 */
#ifndef _SROCE_TEST_UTIL_H
#define _SROCE_TEST_UTIL_H

#include <lego/ktest.h>
#include <lego/types.h>
#include <rdma/ib_verbs.h>

struct udp_endpoint;

#define ST_MAX_MSG	(1024 * 1024)	/* the largest size exchanged */
#define ST_GUARD	64		/* bytes after each message checked */
#define ST_REGION	(ST_MAX_MSG + ST_GUARD)
#define ST_RECV_DEPTH	8
#define ST_WAIT_MS	30000		/* any one completion, lossy links too */
#define ST_FILL_TGT	0xdd		/* where the peer writes, unwritten */
#define ST_CTRL_SIZE	64		/* the control message buffer */

/* One end: a QP with its CQs and three registered regions. */
struct st_end {
	struct ib_device *dev;
	struct ib_pd *pd;
	struct ib_cq *scq, *rcq;
	struct ib_qp *qp;
	u8 *rx;			/* receive buffers land here */
	u8 *tgt;		/* what the peer WRITEs and READs */
	u8 *loc;		/* our side of SEND/WRITE/READ */
	u8 *ctrl;		/* control messages we send */
	struct ib_mr *mr_rx, *mr_tgt, *mr_loc, *mr_ctrl;
	u32 sq_psn;
	u64 wr_id;
};

/* What an end must know of its peer (exchanged out of band). */
struct st_peer {
	u32 qpn;
	u32 psn;
	union ib_gid gid;
	u8 mac[6];		/* zero: let the provider ARP */
	u64 tgt_addr;
	u32 tgt_rkey;
};

/* Connection knobs; zero fields take the defaults below. */
struct st_conn {
	u8 timeout;		/* default 14 (67 ms) */
	u8 retry_cnt;		/* default 7 (forever) */
	u8 rnr_retry;		/* default 7 */
};

/* What a schedule measured, for the log. */
struct st_stats {
	u32 ops;		/* messages moved and verified */
	u32 mismatches;		/* by us, or reported by the peer */
	u64 bytes;
	u64 write_1m_ns;	/* the 1 MiB WRITE, post to completion */
	u64 read_1m_ns;
	u64 send_1m_ns;
	u64 total_ns;
};

extern const u32 st_sizes[];
extern const unsigned int st_nr_sizes;
extern unsigned int st_max_size;	/* skip sizes above (0: none) */

/* Allocate @e on @dev; 0 or -errno (then nothing is left allocated). */
int st_end_create(struct st_end *e, struct ib_device *dev, u32 sq_psn);
void st_end_destroy(struct st_end *e);
/* This end as its peer must see it. */
void st_end_describe(struct st_end *e, struct st_peer *me);
/* RESET -> INIT -> RTR -> RTS towards @p, receives posted; 0 or -errno. */
int st_connect(struct st_end *e, const struct st_peer *p,
	       const struct st_conn *c);
/* A signalled send of @len bytes at @buf (in @mr) to the peer's target. */
int st_post(struct st_end *e, enum ib_wr_opcode op, void *buf, u32 len,
	    struct ib_mr *mr, const struct st_peer *p, u32 imm);
/* A receive of the whole rx region. */
int st_post_recv(struct st_end *e);
/* One completion from @cq within @ms: 0, -ETIMEDOUT or the poll error. */
int st_wait_wc(struct ib_cq *cq, struct ib_wc *wc, unsigned int ms);

/* ---- test_util.c: control messages and the schedule ---------------------- */

enum st_kind { ST_WROTE = 1, ST_PREP, ST_ACK, ST_DONE, ST_BYE };

/* The next send completion: successful, of @op (else a failure, -errno). */
int st_wait_send(struct ktest *t, struct st_end *e, enum ib_wr_opcode op);
/* The next receive completion (successful); a receive is posted again. */
int st_wait_recv(struct ktest *t, struct st_end *e, struct ib_wc *wc);
/* The same, waiting up to @ms instead of ST_WAIT_MS. */
int st_wait_recv_ms(struct ktest *t, struct st_end *e, struct ib_wc *wc,
		    unsigned int ms);
/* SEND a control message and wait for its completion. */
int st_send_msg(struct ktest *t, struct st_end *e, u32 kind, u32 seq,
		u32 size, u32 ok);
/* The next message, which must be @kind for @seq/@size; its ok field. */
int st_wait_msg(struct ktest *t, struct st_end *e, u32 kind, u32 seq,
		u32 size, u32 *ok);
int st_wait_msg_ms(struct ktest *t, struct st_end *e, u32 kind, u32 seq,
		   u32 size, u32 *ok, unsigned int ms);

/* The two halves of the schedule; 0 when everything matched. */
int st_requester(struct ktest *t, struct st_end *e, const struct st_peer *p,
		 struct st_stats *s);
int st_target(struct ktest *t, struct st_end *e, struct st_stats *s);
/* ktest_log() a schedule's numbers under @what. */
void st_log_stats(struct ktest *t, const char *what, const struct st_stats *s);

/*
 * A QP towards @peer_ip whose QP number does not exist there: WRs posted
 * to it (a receive, WRITE, SEND, READ) must all complete with an error
 * (the first send RETRY_EXC_ERR, the rest WR_FLUSH_ERR) within a bound.
 */
void st_peer_vanishes(struct ktest *t, struct ib_device *dev, __be32 peer_ip,
		      const u8 *peer_mac);

/* ---- test_hello.c: connecting two nodes ------------------------------------- */

#define ST_HELLO_PORT		18515
#define ST_HELLO_WAIT_MS	60000

/* rdma.test_peer= and rdma.test_role= of the two-node suites. */
extern __be32 st_test_peer;
extern char st_test_role[16];
bool st_test_is_server(void);

/* The handshake message (both ends are x86 LegoOS: native byte order). */
struct st_hello_msg {
	u32 magic;
	u32 is_server;
	struct st_peer info;
};

struct st_hello {
	/* Set by the caller. */
	__be32 peer;
	bool server;
	struct st_peer mine;
	/* Filled in by st_hello_connect(). */
	struct st_peer theirs;
	/* Private: the UDP endpoint and what its callback shares. */
	struct udp_endpoint *ep;
	struct st_hello_msg msg;
	int got;
	int ready;
};

/*
 * Exchange @h->mine and @h->theirs with @h->peer and connect @e to it
 * (st_connect()), within @wait_ms: 0 or -errno.  The server keeps
 * answering until st_hello_close().
 */
int st_hello_connect(struct st_hello *h, struct st_end *e,
		     unsigned int wait_ms);
void st_hello_close(struct st_hello *h);
/*
 * The handshake case of a two-node suite: create @e on sroce0 and connect
 * it per rdma.test_peer/rdma.test_role; 0, or -errno after ktest_fail().
 */
int st_test_handshake(struct ktest *t, struct st_hello *h, struct st_end *e);

#endif /* _SROCE_TEST_UTIL_H */
