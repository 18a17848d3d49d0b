/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FIT wire format, version 1: what travels between two FIT nodes.
 * Documentation/fit.md tells the whole protocol; this header is the part
 * both ends must agree on byte for byte.  It is shared by the bare-metal
 * kernels, the Linux modules (linux-modules/fit) and the host tests, so it
 * depends on nothing but fixed-width types and errno values.
 *
 * Byte order: every field is little-endian.  All FIT nodes are x86-64
 * today; a big-endian port must add conversions in net/fit/msg.c (the only
 * place that reads or writes these structures) and nowhere else.
 *
 * Two kinds of datagram exist:
 *
 * 1. struct fit_hello, over UDP to the bootstrap port (FIT_DEFAULT_PORT,
 *    parameter fit.port): membership, liveness and the exchange of what an
 *    RC connection needs (QPNs, PSNs, MAC, IPv4 address, credits), plus the
 *    sender's epoch (a random number drawn at boot: a new one means the
 *    peer restarted) and the cluster token (a hash of fit.token: a stranger
 *    is refused with FIT_HELLO_REJECT and a reason).
 *
 * 2. struct fit_hdr, first in every RDMA SEND on a FIT queue pair: calls,
 *    one-way messages, replies and credit updates.  The payload follows
 *    the header in the same SEND.  A message whose payload does not fit
 *    one receive buffer (FIT_BUF_SIZE - sizeof(struct fit_hdr)) is cut into
 *    fragments that share req_id and total and carry their own offset; a
 *    reply that does not fit, or one the caller asked to receive by RDMA
 *    (FIT_F_REPLY_RDMA), is written with RDMA WRITE into the caller's
 *    buffer (reply_addr, reply_rkey) and announced by a REPLY header with
 *    FIT_F_WRITTEN and no payload, posted after the WRITE on the same QP
 *    (RC ordering places the data before the header's receive completes).
 */
#ifndef _UAPI_LEGO_FIT_H
#define _UAPI_LEGO_FIT_H

#ifdef KBUILD_MODNAME			/* a Linux module */
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/build_bug.h>
#else
#include <lego/types.h>
#include <lego/compiler.h>
#include <uapi/lego/errno.h>
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "FIT's wire format is little-endian; add conversions in net/fit/msg.c"
#endif

#define FIT_VERSION		1
#define FIT_MAGIC		0x4654		/* fit_hdr.magic (bytes 54 46) */
#define FIT_HELLO_MAGIC		0x48544946u	/* "FITH", fit_hello.magic */
#define FIT_DEFAULT_PORT	18515		/* UDP bootstrap port */

#define FIT_MAX_NODES		64	/* node ids 0..63 */
#define FIT_MAX_QPS		8	/* RC QPs per pair of nodes */
#define FIT_MAX_OPCODE		1024	/* opcodes 0..1023 */
/* Opcodes below this belong to FIT itself (ping, echo, tests). */
#define FIT_OP_USER_BASE	256

/*
 * One receive buffer: a header and up to FIT_INLINE_MAX bytes of payload.
 * Replies up to FIT_INLINE_MAX travel inline; larger ones by RDMA WRITE.
 */
#define FIT_BUF_SIZE		8192
#define FIT_INLINE_MAX		(FIT_BUF_SIZE - 64)
/* The largest message or reply FIT carries (payload bytes). */
#define FIT_MAX_MSG		(4u << 20)

/* ---- messages on the queue pairs ----------------------------------------- */

enum fit_msg_type {
	FIT_MSG_CALL = 1,	/* a request that wants a REPLY */
	FIT_MSG_SEND = 2,	/* a one-way message */
	FIT_MSG_REPLY = 3,	/* the answer to a CALL, same req_id */
	FIT_MSG_CREDIT = 4,	/* nothing but returned credits */
};

/* fit_hdr.flags */
#define FIT_F_REPLY_RDMA	0x0001	/* CALL: reply_addr/rkey are valid */
#define FIT_F_WRITTEN		0x0002	/* REPLY: data was RDMA-written */
#define FIT_F_FRAG		0x0004	/* one fragment of a larger message */
#define FIT_F_ALL		0x0007	/* every flag version 1 knows */

struct fit_hdr {
	u16 magic;		/* FIT_MAGIC */
	u8  version;		/* FIT_VERSION */
	u8  type;		/* enum fit_msg_type */
	u16 opcode;		/* CALL/SEND: which handler; REPLY: echoed */
	u16 flags;		/* FIT_F_* */
	u16 src_node;
	u16 dst_node;
	u32 epoch;		/* low 32 bits of the sender's epoch */
	u64 req_id;		/* CALL/SEND: the sender's id; REPLY: echoed */
	u32 len;		/* payload bytes after this header */
	u32 total;		/* payload bytes of the whole message */
	u32 offset;		/* where this fragment's payload goes */
	s32 status;		/* REPLY: 0, or a negative errno */
	u64 reply_addr;	/* CALL with FIT_F_REPLY_RDMA */
	u32 reply_rkey;
	u32 reply_cap;	/* CALL: the caller's reply buffer size */
	u16 credits;		/* request credits returned on this QP */
	u16 qp;		/* index of this QP within the pair */
	u32 reserved;		/* zero */
};

/* ---- the bootstrap datagram ----------------------------------------------- */

enum fit_hello_type {
	FIT_HELLO = 1,		/* membership, liveness, connection data */
	FIT_HELLO_REJECT = 2,	/* the sender refuses us; see reason */
};

/* fit_hello.flags */
#define FIT_HELLO_READY		0x01	/* my QPs are connected to yours */

/* fit_hello.reason of a REJECT */
enum fit_reject_reason {
	FIT_REJECT_TOKEN = 1,		/* cluster token differs */
	FIT_REJECT_NODE = 2,		/* your node id is not the one I expect at your address */
	FIT_REJECT_VERSION = 3,		/* protocol version I do not speak */
	FIT_REJECT_CONFIG = 4,		/* incompatible parameters (QPs, credits, buffers) */
};

enum fit_role {
	FIT_ROLE_PROCESSOR = 1,
	FIT_ROLE_MEMORY = 2,
	FIT_ROLE_STORAGE = 3,
	FIT_ROLE_MONITOR = 4,
	FIT_ROLE_OTHER = 5,
};

struct fit_hello {
	u32 magic;		/* FIT_HELLO_MAGIC */
	u8  version;		/* FIT_VERSION */
	u8  type;		/* enum fit_hello_type */
	u8  role;		/* enum fit_role of the sender */
	u8  flags;		/* FIT_HELLO_* */
	u16 src_node;
	u16 dst_node;
	u32 reason;		/* REJECT: enum fit_reject_reason */
	u64 token;		/* hash of the cluster token */
	u64 epoch;		/* the sender's, drawn at boot, never 0 */
	u64 peer_epoch;	/* the receiver's epoch my QPs are bound to (0: unbound) */
	u32 gen;		/* my connection attempt for this pair, from 1 */
	u32 peer_gen;		/* your attempt my QPs are bound to (0: unbound) */
	u32 ipv4;		/* my address, network order (GID ::ffff:ipv4) */
	u8  mac[6];		/* my MAC */
	u8  nr_qps;		/* QPs per pair (both sides must agree) */
	u8  mtu;		/* enum ib_mtu of my port */
	u16 credits;		/* request credits per QP I grant you */
	u16 max_calls;	/* calls per QP I may have outstanding */
	u32 buf_size;		/* my receive buffer size (FIT_BUF_SIZE) */
	u32 reserved;		/* zero */
	u32 qpn[FIT_MAX_QPS];	/* my QP numbers */
	u32 psn[FIT_MAX_QPS];	/* their initial send PSNs */
};

#define FIT_HIST_BUCKETS	24	/* bucket i: [2^i, 2^(i+1)) us; 0: < 2 us */

/*
 * Per-peer counters (fit_print_stats()), and the reply of FIT_OP_STATS:
 * what the callee counted for the caller.
 */
struct fit_peer_counters {
	u64 calls;		/* fit_call()s to the peer */
	u64 calls_ok;		/* ... that got a reply with status >= 0 */
	u64 sends;		/* fit_send()s */
	u64 timeouts;		/* -ETIMEDOUT */
	u64 hostdown;		/* -EHOSTDOWN */
	u64 remote_err;		/* replies with status < 0 */
	u64 late_replies;	/* replies to calls that had given up */
	u64 retries;		/* posts retried after a full send queue */
	u64 credit_waits;	/* sends that waited for a credit or a slot */
	u64 msgs_in;		/* CALL/SEND messages received */
	u64 replies_out;
	u64 bad_msgs;		/* malformed messages received */
	u64 unknown_op;		/* CALL/SEND for an opcode without handler */
	u64 bytes_out;		/* payload bytes sent (requests + replies) */
	u64 bytes_in;
	u64 connects;		/* times the peer came up */
	u64 disconnects;	/* times it went down */
	u64 hist[FIT_HIST_BUCKETS];	/* call round trips */
};

/* Checked at compile time wherever the header is used. */
#ifdef __cplusplus
#define FIT_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define FIT_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif
FIT_STATIC_ASSERT(sizeof(struct fit_hdr) == 64, "fit_hdr is 64 bytes");
FIT_STATIC_ASSERT(sizeof(struct fit_hello) == 136, "fit_hello is 136 bytes");
FIT_STATIC_ASSERT(sizeof(struct fit_peer_counters) == 8 * (17 + FIT_HIST_BUCKETS),
		  "fit_peer_counters is 17 counters and the histogram");
FIT_STATIC_ASSERT(FIT_INLINE_MAX + sizeof(struct fit_hdr) == FIT_BUF_SIZE,
		  "a receive buffer holds a header and FIT_INLINE_MAX bytes");

#endif /* _UAPI_LEGO_FIT_H */
