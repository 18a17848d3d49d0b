/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The FIT core's objects (see internal.h for the overview).  Used by
 * net/fit/{qp,core,member,worker,selftest}.c and by the OS shims, which fill
 * the device fields of struct fit_ctx in fit_os_dev_open() and start and
 * stop the core with fit_start()/fit_stop().
 */
#ifndef _NET_FIT_CORE_H
#define _NET_FIT_CORE_H

#include "internal.h"

struct fit_ctx;
struct fit_conn;

/* A send slot: a registered FIT_BUF_SIZE buffer for one outgoing message. */
struct fit_sslot {
	void *buf;
	u64 addr;		/* fit_os_map() of buf */
	struct completion *done;	/* woken at its send completion */
	int *status;		/* where that completion's status goes */
};

struct fit_qp {
	struct fit_conn *conn;
	u8 index;
	struct ib_qp *qp;
	struct ib_cq *cq;		/* sends and receives */
	u32 psn;			/* our initial send PSN */

	/* Receives: nr_rbufs buffers of FIT_BUF_SIZE, always all posted. */
	u32 nr_rbufs;
	void **rbuf;
	u64 *rbuf_addr;

	/* Sends, under lock. */
	spinlock_t lock;
	u32 nr_sslots;			/* including FIT_CREDIT_SLOTS */
	struct fit_sslot *sslot;
	u32 *free_slots;		/* stack of free slot indexes */
	u32 nr_free;
	u32 credit_busy;		/* bit i: credit slot i in flight */
	int credits;			/* requests we may still send */
	int owed;			/* credits to return to the peer */
	wait_queue_head_t wait;		/* slot/credit waiters */

	/* Fragmented messages being reassembled (fit_work list), poller only. */
	struct list_head partial;
	u32 nr_partial;
	u64 partial_bytes;		/* their buffers, <= FIT_PARTIAL_MAX */

	atomic_t event;			/* the CQ has news */
};

struct fit_conn {
	struct fit_peer *peer;
	u32 gen;			/* our attempt number, from 1 */
	bool bound;			/* QPs are RTR/RTS towards ... */
	u64 peer_epoch;			/* ... this epoch and */
	u32 peer_gen;			/* ... this attempt of the peer */
	bool up;			/* the peer confirmed */
	bool dead;			/* torn down; no new users */
	int failed;			/* a QP error seen by the poller */
	atomic_t refs;
	u32 nr_qps;
	struct fit_qp qps[FIT_MAX_QPS];
	struct list_head node;		/* ctx->conns, for the poller */
};

enum fit_peer_state {
	FIT_PEER_DOWN,			/* never connected, or lost */
	FIT_PEER_UP,
	FIT_PEER_REFUSED,		/* rejected us, or we rejected it */
};

struct fit_peer {
	struct fit_ctx *ctx;
	int id;
	__be32 ip;
	u8 role;			/* from its hellos */
	u8 mac[6];
	u32 mtu;			/* enum ib_mtu, from its hellos */
	u32 credits;			/* it grants us, per QP */
	u32 max_calls;			/* it may have out, per QP */

	enum fit_peer_state state;	/* under ctx->lock */
	struct fit_conn *conn;		/* current attempt, under ctx->lock */
	u32 next_gen;
	u64 epoch;			/* last epoch seen, 0: none */
	u64 last_heard_ns;
	u64 last_hello_ns;
	u64 first_hello_ns;		/* of the current attempt */
	unsigned int reject_logged;	/* reasons already logged (bits) */
	wait_queue_head_t wait;		/* state changes */
	atomic_t rr;			/* QP round robin */
	bool pinged;

	spinlock_t call_lock;		/* calls and stats */
	struct fit_call_table calls;
	struct fit_call_slot *call_slots;
	struct completion *call_done;	/* per slot: its reply or failure */
	wait_queue_head_t call_wait;	/* a call slot became free */
	struct fit_peer_counters stats;
};

/* One received CALL or SEND; a handler's struct fit_rpc. */
struct fit_work {
	struct list_head node;
	struct fit_peer *peer;
	struct fit_conn *conn;		/* holds a reference */
	u8 qp;
	struct fit_hdr hdr;		/* of the (first) message */
	u32 got;			/* reassembly: bytes so far */
	bool replied;
	bool large;			/* data from fit_os_alloc_large() */
	u8 *data;
	u8 inline_data[];		/* small messages */
};

struct fit_handler {
	fit_handler_t fn;
	void *priv;
	const char *name;
	u64 count;
	atomic_t running;		/* workers inside fn */
};

#define FIT_HELLO_QUEUE		64

struct fit_hello_item {
	__be32 saddr;
	u16 len;
	u8 data[sizeof(struct fit_hello)];
};

struct fit_ctx {
	struct fit_config cfg;
	u64 epoch;
	bool running;

	/* Filled by fit_os_dev_open(). */
	struct ib_device *dev;
	u32 port;
	u8 sgid_index;
	struct ib_pd *pd;
	__be32 local_ip;
	u8 local_mac[6];
	u32 mtu;			/* enum ib_mtu, the port's active MTU */
	void *os;			/* the shim's private data */

	spinlock_t lock;		/* peers' state/conn, conns, hello queue */
	struct fit_peer *peers[FIT_MAX_NODES];	/* by node id */
	struct list_head conns;

	/* Hellos from the shim's receive path, for fit-mgr. */
	struct fit_hello_item hq[FIT_HELLO_QUEUE];
	u32 hq_head, hq_len;
	u64 hello_dropped;
	u64 hello_bad;
	wait_queue_head_t mgr_wait;
	atomic_t mgr_kick;

	/* fit-poll */
	wait_queue_head_t poll_wait;
	atomic_t poll_kick;

	/* Work for the workers. */
	spinlock_t work_lock;
	struct list_head work;
	wait_queue_head_t work_wait;

	atomic_t api_users;		/* callers inside the public API */
	struct mutex handler_lock;	/* registration */
	struct fit_handler handlers[FIT_MAX_OPCODE];

	struct fit_thread *mgr, *poller;
	struct fit_thread *workers[FIT_MAX_WORKERS];
};

/* ---- shared between the core's files ----------------------------------- */

/* Work request ids: the kind in the top bits, a buffer or slot index. */
#define WR_KIND_SHIFT	62
#define WR_RECV		1ull
#define WR_SEND		2ull
#define WR_WRITE	3ull
#define WR_ID(kind, idx) ((kind) << WR_KIND_SHIFT | (u32)(idx))
#define WR_KIND(id)	((id) >> WR_KIND_SHIFT)
#define WR_IDX(id)	((u32)(id))

#define FIT_RDMA_MIN	4096	/* reply buffers this big are RDMA targets */
#define FIT_POLL_BATCH	16

static inline u64 fit_ms_left(u64 deadline)
{
	u64 now = fit_os_now_ns();

	return now >= deadline ? 0 : (deadline - now + 999999) / 1000000;
}

/* qp.c: the transport */
int fit_get_slot(struct fit_qp *q, bool credit, u64 deadline);
void fit_put_slot(struct fit_qp *q, u32 idx);
void fit_give_back(struct fit_qp *q, u32 idx, u16 owed, bool spent);
u16 fit_take_owed(struct fit_qp *q);
void fit_hdr_fill(struct fit_qp *q, struct fit_hdr *h, u8 type, u16 opcode);
int fit_post_slot(struct fit_qp *q, u32 idx, u32 len, struct ib_rdma_wr *wr,
		  u64 deadline);
int fit_send_msg(struct fit_qp *q, struct fit_hdr *h, const void *payload,
		 u32 total, u64 deadline);
struct fit_qp *fit_pick_qp(struct fit_conn *c);
void fit_count(struct fit_peer *peer, u64 *counter, u64 n);
void fit_work_free(struct fit_work *w);

/* core.c */

struct fit_ctx *fit_ctx_get(void);		/* the running instance or NULL */
struct fit_ctx *fit_api_enter(void);		/* same, counted as a user */
void fit_api_exit(struct fit_ctx *ctx);
struct fit_peer *fit_peer_get(struct fit_ctx *ctx, int node);
struct fit_conn *fit_conn_create(struct fit_peer *peer);
int fit_conn_bind(struct fit_conn *c, const struct fit_hello *h);
u32 fit_conn_kill(struct fit_conn *c, int err);
bool fit_conn_get(struct fit_conn *c);
void fit_conn_put(struct fit_conn *c);
void fit_queue_work(struct fit_ctx *ctx, struct fit_work *w);
void fit_work_done(struct fit_work *w);	/* frees @w, drops its conn */
int fit_poll_thread(void *arg);
int fit_worker_thread(void *arg);
int fit_mgr_thread(void *arg);
void fit_register_core_handlers(struct fit_ctx *ctx);
void fit_mgr_shutdown(struct fit_ctx *ctx);
/* Test hooks (CONFIG_KTEST): our epoch as in headers; a raw SEND. */
u32 fit_test_epoch(void);
int fit_test_post_raw(int node, const void *msg, u32 len);

/*
 * Start FIT with @cfg on the device named cfg->dev: open the device, bind
 * the bootstrap port, start the threads, register FIT's own opcodes.  The
 * shim keeps @ctx (zeroed, static or allocated) alive until fit_stop().
 * 0 or -errno, with a logged reason.
 */
int fit_start(struct fit_ctx *ctx, const struct fit_config *cfg);
/* Stop everything and free what fit_start() made (the Linux module). */
void fit_stop(struct fit_ctx *ctx);

/*
 * The self test both OSes run (LegoOS ktest `fit`, Linux module parameter
 * selftest=1): against @node, ping, echo of every size in
 * FIT_SELFTEST_SIZES with the data verified, zero-copy page replies,
 * an unknown opcode (-EOPNOTSUPP expected) and a too-small reply buffer
 * (-EMSGSIZE).  Logs each step as "fit-selftest: node N: ..." and
 * returns 0 or the first failure (-errno).
 */
#define FIT_SELFTEST_SIZES \
	{ 0, 1, 32, 1000, 4096, FIT_INLINE_MAX, FIT_INLINE_MAX + 1, \
	  65536, 1u << 20 }
int fit_selftest_peer(int node);

#endif /* _NET_FIT_CORE_H */
