/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FIT core internals, shared by net/fit/{core,member,...}.c files (both OSes) and the host tests.
 *
 * Objects:
 *   fit_ctx	the node: configuration, the RDMA device, peers, threads
 *   fit_peer	one configured peer: membership state, call table, counters
 *   fit_conn	one connection attempt to a peer (generation @gen): nr_qps
 *		RC QPs; replaced as a whole when the peer restarts, when
 *		either side sees a QP error, or when the peer falls silent
 *   fit_qp	one RC QP with its CQ, receive buffers, send slots, credits
 *   fit_work	one received CALL/SEND, queued for a worker (the fit_rpc a
 *		handler sees)
 *
 * Threads: fit-mgr (hellos, membership, teardown and rebuild of
 * connections), fit-poll (all CQs: receives, replies, send completions),
 * fit-worker/N (handlers).
 *
 * msg.c and calls.c are pure (no locks, no allocation, no OS) so that the
 * host tests can drive them directly.
 */
#ifndef _NET_FIT_INTERNAL_H
#define _NET_FIT_INTERNAL_H

#include "fit_os.h"

#define FIT_PFX "fit: "
#define FIT_PSN_MASK	0xffffff	/* PSNs and QPNs are 24 bits */

/* ---- configuration (msg.c parses; the shims fill it from parameters) ---- */

struct fit_config {
	int node;			/* my id, 0..FIT_MAX_NODES-1 */
	u8 role;			/* enum fit_role */
	int nr_peers;
	int peer_id[FIT_MAX_NODES];
	__be32 peer_ip[FIT_MAX_NODES];	/* network order */
	u64 token;			/* fit_token_hash(fit.token) */
	unsigned int nr_qps;		/* QPs per peer, 1..FIT_MAX_QPS */
	unsigned int workers;		/* handler threads, 1..16 */
	unsigned int timeout_ms;	/* default call timeout */
	unsigned int dead_ms;		/* silence before a peer is down */
	unsigned int hello_ms;		/* hello period while connecting */
	unsigned int credits;		/* request credits per QP, 2..1024 */
	unsigned int max_calls;		/* outstanding calls per QP, 1..1024 */
	u16 port;			/* UDP bootstrap port */
	bool ping;			/* ping each peer when it comes up */
	char dev[32];			/* RDMA device name, "" = first */
};

/* Defaults (Documentation/fit.md lists the parameters). */
#define FIT_DEF_QPS		2
#define FIT_DEF_WORKERS		2
#define FIT_DEF_TIMEOUT_MS	3000
#define FIT_DEF_DEAD_MS		3000
#define FIT_DEF_HELLO_MS	200
#define FIT_DEF_CREDITS		32
#define FIT_DEF_MAX_CALLS	32
#define FIT_MAX_WORKERS		16
#define FIT_CREDIT_SLOTS	2	/* receives kept for CREDIT messages */
/* Bytes of fragmented messages held per QP while they arrive. */
#define FIT_PARTIAL_MAX		(2ull * FIT_MAX_MSG)

/* Fill @c with the defaults (node -1, no peers, token of "lego"). */
void fit_config_defaults(struct fit_config *c);
/*
 * Parse "ID@A.B.C.D[,ID@A.B.C.D...]" into c->peer_id/peer_ip.  0, or
 * -EINVAL with @err (if not NULL) set to a static description: bad
 * syntax, id out of range, duplicate id or address, own id listed, too
 * many peers.  c->node must be set first.
 */
int fit_parse_peers(struct fit_config *c, const char *s, const char **err);
/* Check the numeric fields; 0 or -EINVAL with @err as above. */
int fit_config_check(const struct fit_config *c, const char **err);
/* FNV-1a 64 of the token string (never 0). */
u64 fit_token_hash(const char *s);
const char *fit_role_name(unsigned int role);

/* ---- message checks (msg.c) ---------------------------------------------- */

/*
 * Validate a received message of @len bytes (header and payload) sent to
 * node @me: magic, version, type, flags, dst_node, len == @len - header,
 * len <= FIT_INLINE_MAX, total <= FIT_MAX_MSG, offset + len <= total,
 * unfragmented messages have offset 0 and len == total, reserved 0,
 * opcode < FIT_MAX_OPCODE, a REPLY's status <= 0.  0 or -EBADMSG, with
 * @why (if not NULL) naming the first violated rule.
 */
int fit_hdr_check(const struct fit_hdr *h, size_t len, int me,
		  const char **why);
/* Fill the fixed fields of an outgoing header. */
void fit_hdr_init(struct fit_hdr *h, u8 type, u16 opcode, int src, int dst,
		  u32 epoch);
/*
 * Validate a received hello of @len bytes: size, magic, type, nr_qps in
 * 1..FIT_MAX_QPS, node ids in range, epoch != 0.  The version is checked
 * separately (fit_hello_version()) because a stranger's version is
 * answered with a REJECT.  0 or -EBADMSG with @why.
 */
int fit_hello_check(const struct fit_hello *h, size_t len, const char **why);
/* The version byte of a datagram that starts with FIT_HELLO_MAGIC, or -1. */
int fit_hello_version(const void *data, size_t len);
const char *fit_reject_reason_str(unsigned int reason);
const char *fit_msg_type_str(unsigned int type);

/* ---- the outstanding-call table (calls.c) -------------------------------- */

enum fit_call_state {
	FIT_CALL_FREE = 0,
	FIT_CALL_WAITING,	/* sent (or being sent), no reply yet */
	FIT_CALL_DONE,		/* result is final; the caller has not looked */
};

struct fit_call_slot {
	u32 gen;		/* bumped at every get: stale ids do not match */
	u8 state;		/* enum fit_call_state */
	u8 qp;			/* QP index the call went out on */
	s32 result;		/* DONE: reply length or -errno */
	void *reply;		/* where an inline reply is copied */
	u32 cap;
	u64 t_start;		/* ns, for the latency histogram */
};

/*
 * Slots of one peer.  A request id is (gen << 32 | index + 1): never 0,
 * and a reply to a slot that was reused since carries an old gen.
 * Callers serialise access (the peer's call lock).
 */
struct fit_call_table {
	struct fit_call_slot *slots;
	u32 nr;
	u32 used;		/* WAITING + DONE */
	u32 next;		/* where the next search starts */
	u32 per_qp_used[FIT_MAX_QPS];
	u32 per_qp_max;		/* 0: no per-QP limit */
};

void fit_calls_init(struct fit_call_table *t, struct fit_call_slot *slots,
		    u32 nr, u32 per_qp_max);
/* Claim a slot for a call on @qp: its request id, or 0 if none is free
 * (or @qp has per_qp_max calls out). */
u64 fit_calls_get(struct fit_call_table *t, u8 qp, void *reply, u32 cap,
		  u64 now);
/* The WAITING slot of @req_id, or NULL (unknown, stale, or already done). */
struct fit_call_slot *fit_calls_lookup(struct fit_call_table *t, u64 req_id);
/* Finish @s (WAITING) with @result. */
void fit_calls_complete(struct fit_call_table *t, struct fit_call_slot *s,
			s32 result);
/*
 * The caller is done with @req_id: if the slot is DONE, *@result gets its
 * result and true is returned; if it is still WAITING (the caller timed
 * out) false is returned.  Either way the slot is free afterwards and a
 * later reply to @req_id is not found by fit_calls_lookup().
 */
bool fit_calls_put(struct fit_call_table *t, u64 req_id, s32 *result);
/* Is @req_id finished (DONE)?  For wait conditions. */
bool fit_calls_done(const struct fit_call_table *t, u64 req_id);
/* Finish every WAITING slot (on QP @qp, or all if @qp < 0) with @err;
 * returns how many. */
u32 fit_calls_fail(struct fit_call_table *t, int qp, s32 err);

/* ---- counters (stats.c); struct fit_peer_counters is in the uapi header --- */

void fit_hist_add(u64 *hist, u64 ns);
/* The @pct-th percentile (0..100) of @hist in microseconds (upper edge
 * of the bucket), 0 if empty. */
u64 fit_hist_percentile(const u64 *hist, unsigned int pct);

#endif /* _NET_FIT_INTERNAL_H */
