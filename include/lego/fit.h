/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FIT: the RPC layer every LegoOS component talks through
 * (Documentation/fit.md).  One implementation in net/fit/, built into the
 * bare-metal kernels and, through a thin OS shim, into linux-modules/fit.
 *
 * A node knows its own id and its peers' ids and IPv4 addresses from its
 * parameters (fit.peers=ID@IP,...); FIT connects to each peer as it
 * appears, in any order, reconnects a peer that restarts, and declares a
 * silent peer down after fit.dead_ms.
 *
 *	static int my_handler(struct fit_rpc *rpc, void *req, size_t len,
 *			      void *priv)
 *	{
 *		...
 *		return fit_reply(rpc, answer, answer_len);
 *	}
 *	fit_register_handler(MY_OPCODE, my_handler, NULL, "my-op");
 *	n = fit_call(node, MY_OPCODE, req, len, reply, cap, 0);
 *
 * Everything here may sleep; nothing may be called from interrupt context.
 */
#ifndef _LEGO_FIT_H
#define _LEGO_FIT_H

#include <uapi/lego/fit.h>

struct fit_rpc;

/*
 * A handler runs in a FIT worker thread for each CALL or SEND carrying its
 * opcode.  @req (@len bytes) is valid until it returns.  For a CALL it
 * should answer with one of the fit_reply*() helpers; if it returns
 * without having replied, FIT replies with its return value as the status
 * (so `return -EINVAL;` is an error reply, `return 0;` an empty reply).
 * For a SEND the return value is only counted.
 */
typedef int (*fit_handler_t)(struct fit_rpc *rpc, void *req, size_t len,
			     void *priv);

/*
 * Register @fn for @opcode (0 .. FIT_MAX_OPCODE-1; below FIT_OP_USER_BASE
 * only FIT itself registers).  -EINVAL for a bad opcode or NULL @fn,
 * -EBUSY if the opcode has a handler, -ENODEV if FIT is not running.
 */
int fit_register_handler(u16 opcode, fit_handler_t fn, void *priv,
			 const char *name);
void fit_unregister_handler(u16 opcode);

/*
 * Call @node: send @len bytes of @req (up to FIT_MAX_MSG) with @opcode
 * and wait for the reply, which is copied (or RDMA-written) into @reply,
 * at most @cap bytes.  @timeout_ms 0 means fit.timeout_ms.
 *
 * Returns the reply length (>= 0), or a negative errno:
 *   -EINVAL	 bad node, opcode or sizes; calling oneself
 *   -EHOSTDOWN	 the peer is not connected (and did not connect within
 *		 the timeout), or went down while the call was out
 *   -ETIMEDOUT	 connected, but no reply within the timeout
 *   -EMSGSIZE	 the reply was larger than @cap
 *   -ENOMEM
 *   or the status the remote handler replied with (-EOPNOTSUPP: no
 *   handler for @opcode there; -EBADMSG: the peer found the message
 *   malformed).
 */
int fit_call(int node, u16 opcode, const void *req, size_t len,
	     void *reply, size_t cap, unsigned int timeout_ms);

/*
 * Send a one-way message: returns 0 once it is handed to the transport
 * (not when the peer has handled it), or -EINVAL, -EHOSTDOWN, -ETIMEDOUT
 * (no send credit within fit.timeout_ms: the peer does not consume),
 * -ENOMEM.
 */
int fit_send(int node, u16 opcode, const void *msg, size_t len);

/* ---- replying, from a handler ------------------------------------------- */

/* Reply with @len bytes of @buf (copied or RDMA-written; 0 or -errno). */
int fit_reply(struct fit_rpc *rpc, const void *buf, size_t len);
/*
 * Zero-copy reply of one 4 KiB page: RDMA-written from @page straight
 * into the caller's reply buffer (which must be at least 4096 bytes); the
 * page is no longer read when this returns.
 */
int fit_reply_page(struct fit_rpc *rpc, const void *page);
/* An error reply: the caller's fit_call() returns @err (< 0). */
int fit_reply_err(struct fit_rpc *rpc, int err);

/* Who sent this message, and whether it wants a reply. */
int fit_rpc_src(const struct fit_rpc *rpc);
bool fit_rpc_is_call(const struct fit_rpc *rpc);
/* The caller's reply capacity (0 for a SEND). */
size_t fit_rpc_reply_cap(const struct fit_rpc *rpc);

/* ---- membership ---------------------------------------------------------- */

/* This node's id, or -ENODEV if FIT is not configured. */
int fit_node_id(void);
/* Is @node connected now? */
bool fit_peer_up(int node);
/* Wait until @node is connected: 0, -ETIMEDOUT, -EINVAL. */
int fit_wait_peer(int node, unsigned int timeout_ms);
/* The number of configured peers, and of those connected now. */
int fit_nr_peers(void);
int fit_nr_peers_up(void);
/*
 * Ids of the configured peers, in the order they were given: fills at
 * most @max entries of @ids and returns how many there are.
 */
int fit_peer_ids(int *ids, int max);

/* Print every peer's state and counters (calls, bytes, retries, timeouts,
 * latency histogram) to the console. */
void fit_print_stats(void);

/* ---- FIT's own opcodes (< FIT_OP_USER_BASE), served on every node ------- */

enum fit_core_opcode {
	FIT_OP_PING = 1,	/* empty request, empty reply */
	FIT_OP_ECHO = 2,	/* replies with the request's bytes */
	FIT_OP_PAGE = 3,	/* request: u64 seed; reply: a 4 KiB page of
				 * fit_fill_pattern(seed), zero-copy */
	FIT_OP_SINK = 4,	/* SEND: counted and dropped */
	FIT_OP_SLOW = 5,	/* request: u32 ms; sleeps, then replies empty */
	FIT_OP_STATS = 6,	/* reply: struct fit_peer_counters for the caller */
	FIT_OP_BLOB = 7,	/* request: u32 n (+ any padding); reply: n
				 * bytes of fit_fill_byte(0, i) (benchmarks) */
};

/* The test pattern of FIT_OP_PAGE and the tests: byte i of seed s. */
static inline u8 fit_fill_byte(u64 seed, u64 i)
{
	u64 x = (seed + i / 8) * 0x9e3779b97f4a7c15ull;

	x ^= x >> 29;
	return (u8)(x >> (8 * (i % 8)));
}

#endif /* _LEGO_FIT_H */
