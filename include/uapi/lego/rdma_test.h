/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The RDMA interoperability test: how two nodes (a Linux host with rxe,
 * a LegoOS node with its soft-RoCEv2, or one of each) connect an RC queue
 * pair and check every data operation in both directions.
 * Documentation/rdma-interop.md tells the story; linux-modules/rdma_test/ is
 * the Linux side.
 *
 * Shared by the Linux module, the bare-metal kernel and the host tests, so
 * it depends on nothing but the fixed-width types and errno values.  Every
 * multi-byte field is a byte array in big-endian order, read and written
 * only through the encode/decode helpers below: no padding, no alignment,
 * no host byte order on the wire.
 *
 * 1. Connection setup: a UDP handshake (struct rdma_test_hello), both sides
 *    bound to the same port (RDMA_TEST_UDP_PORT by default).
 *
 *	Each side sends HELLO_REQ to the peer every RDMA_TEST_HELLO_INTERVAL_MS
 *	and answers every REQ it receives at once with a HELLO_REPLY that
 *	echoes the REQ's nonce, sent back to the REQ's source address.  A
 *	hello carries the sender's QPN, initial PSN, GID, MAC and registered
 *	buffer.  On the first valid hello from the peer a side takes the
 *	peer's parameters and moves its QP to RTR and RTS (its receives are
 *	posted since INIT), registers its buffer, and from then on sets
 *	RDMA_TEST_HELLO_READY in what it sends.  It is connected when a hello
 *	from the peer has READY set and echoes its own nonce: the peer then
 *	knows our parameters and is able to receive.  Both sides keep
 *	answering REQs until the plan is over, because the peer may have lost
 *	the REPLY that would connect it.  Datagrams from other addresses and
 *	malformed ones are ignored.  A hello of another version, with our own
 *	role, or whose GID is not ::ffff:<its source address> (rxe drops RC
 *	packets whose IPs differ from the QP's GIDs) ends the test with an
 *	error, and so does a new nonce (the peer restarted); such a REQ is
 *	still answered, and the side goes on answering for a while (the
 *	Linux module: 2 s) before it gives up, so that the peer learns the
 *	reason too even if the first answer waited for ARP and was lost.
 *
 * 2. The test plan, over the RC QP, with control messages (struct
 *    rdma_test_msg) sent as RDMA SENDs on the same QP.  Round 0 is driven
 *    by the side whose hello says RDMA_TEST_ROLE_INITIATOR, round 1 by the
 *    other side, so every operation runs in both directions.  In a round
 *    the initiator runs one step for each operation of enum rdma_test_op
 *    (in that order) and each size of its size list (in order); steps are
 *    numbered from 0 within the round.  One step, I = initiator, T = target:
 *
 *	I -> T  PREPARE {op, step, offset, len, seed, imm}
 *		T checks the range; for READ fills its buffer at offset with
 *		the pattern; for WRITE* poisons [offset - GUARD, offset + len +
 *		GUARD) of its buffer
 *	T -> I  READY {status}			(a failure ends the round)
 *	I -> T  the operation: SEND, SEND_WITH_IMM (imm), RDMA_WRITE to the
 *		target's buffer + offset, RDMA_WRITE_WITH_IMM (imm), or
 *		RDMA_READ from the target's buffer + offset into the
 *		initiator's memory, which the initiator then checks
 *	I -> T  VERIFY {the PREPARE's fields; status: for READ, the
 *		initiator's own check}
 *		T checks: SEND*: the receive that completed after PREPARE
 *		holds len bytes of pattern, the immediate (SEND_WITH_IMM) or
 *		none (SEND), and the GUARD bytes after the message in its
 *		receive buffer are still poison; WRITE*: its buffer at offset
 *		holds the pattern and the GUARD bytes on either side are still
 *		poison; WRITE_WITH_IMM also consumed one receive carrying the
 *		immediate and byte_len = len (WRITE without it: none)
 *	T -> I  RESULT {status, detail}
 *
 *    After its last step the initiator sends END {round, status, detail =
 *    operations, bytes}: the target compares the totals with what it
 *    checked itself.  END of round 0 hands the initiator role over; END of
 *    round 1 ends the test.  A failed step ends the round at once with an
 *    END carrying the failure, and both sides report it.  A side that
 *    wants nothing more from its peer (its last END was acknowledged, or a
 *    failure) may destroy its QP; the receiver of round 1's END keeps its
 *    QP a little longer (the Linux module: 500 ms), so that it still
 *    acknowledges a retransmitted END whose first ACK was lost.
 *
 *    The data of a step is rdma_test_fill(seed) over len bytes; the
 *    immediate travels in the ImmDt header as a big-endian number (a Linux
 *    sender posts cpu_to_be32(imm)).  Initial PSNs are free; the Linux
 *    module picks them within 4096 of the 24-bit wrap, so that every run
 *    crosses it.
 *
 * Flow control: at most three messages are ever in flight towards a side
 * (operation, VERIFY, and the next round's PREPARE right after END), so a
 * side keeps RDMA_TEST_MIN_RECVS receives of at least its announced
 * max_msg bytes posted, and reposts each one as soon as it has handled it.
 * QP attributes both sides use: path MTU min(both hellos' mtu) (1024 on a
 * 1500-byte Ethernet), max_rd_atomic = max_dest_rd_atomic =
 * min(both rd_atomic), retry_cnt 7, rnr_retry 7, timeout 14.
 */
#ifndef _UAPI_LEGO_RDMA_TEST_H
#define _UAPI_LEGO_RDMA_TEST_H

#ifdef KBUILD_MODNAME			/* a Linux module */
#include <linux/types.h>
#include <linux/errno.h>
#else
#include <lego/types.h>
#include <uapi/lego/errno.h>
#endif

#define RDMA_TEST_MAGIC		0x4c475254u	/* "LGRT" */
#define RDMA_TEST_VERSION	1
#define RDMA_TEST_UDP_PORT	18516
#define RDMA_TEST_HELLO_INTERVAL_MS 200

#define RDMA_TEST_MAX_SIZE	(1u << 20)	/* largest operation */
#define RDMA_TEST_GUARD		64	/* poison bytes checked around data */
#define RDMA_TEST_OFFSET_SPAN	512	/* offsets vary over this many bytes */
/* Bytes a buffer needs beyond its largest operation: guards and offsets. */
#define RDMA_TEST_SLACK		(2 * RDMA_TEST_GUARD + RDMA_TEST_OFFSET_SPAN)
#define RDMA_TEST_POISON	0xa5	/* the value of untouched guard bytes */
#define RDMA_TEST_MIN_RECVS	4

/* The default size list of a round, in bytes, in step order. */
#define RDMA_TEST_DEFAULT_SIZES \
	{ 1, 64, 1000, 1024, 1025, 4096, 65536, 1u << 20 }
#define RDMA_TEST_NR_DEFAULT_SIZES 8

enum rdma_test_op {
	RDMA_TEST_OP_SEND = 1,
	RDMA_TEST_OP_SEND_IMM,
	RDMA_TEST_OP_WRITE,
	RDMA_TEST_OP_WRITE_IMM,
	RDMA_TEST_OP_READ,
};
#define RDMA_TEST_OP_FIRST	RDMA_TEST_OP_SEND
#define RDMA_TEST_OP_LAST	RDMA_TEST_OP_READ
#define RDMA_TEST_NR_OPS	5

static inline const char *rdma_test_op_name(u32 op)
{
	switch (op) {
	case RDMA_TEST_OP_SEND:		return "SEND";
	case RDMA_TEST_OP_SEND_IMM:	return "SEND_WITH_IMM";
	case RDMA_TEST_OP_WRITE:	return "RDMA_WRITE";
	case RDMA_TEST_OP_WRITE_IMM:	return "RDMA_WRITE_WITH_IMM";
	case RDMA_TEST_OP_READ:		return "RDMA_READ";
	}
	return "?";
}

static inline bool rdma_test_op_has_imm(u32 op)
{
	return op == RDMA_TEST_OP_SEND_IMM || op == RDMA_TEST_OP_WRITE_IMM;
}

/* Operations that touch the target's registered buffer. */
static inline bool rdma_test_op_is_rdma(u32 op)
{
	return op >= RDMA_TEST_OP_WRITE && op <= RDMA_TEST_OP_READ;
}

/* Operations that consume a receive at the target. */
static inline bool rdma_test_op_consumes_recv(u32 op)
{
	return op == RDMA_TEST_OP_SEND || op == RDMA_TEST_OP_SEND_IMM ||
	       op == RDMA_TEST_OP_WRITE_IMM;
}

/* ---- big-endian field access -------------------------------------------- */

static inline u32 rdma_test_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u64 rdma_test_get_be64(const u8 *p)
{
	return (u64)rdma_test_get_be32(p) << 32 | rdma_test_get_be32(p + 4);
}

static inline void rdma_test_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static inline void rdma_test_put_be64(u8 *p, u64 v)
{
	rdma_test_put_be32(p, (u32)(v >> 32));
	rdma_test_put_be32(p + 4, (u32)v);
}

/* ---- the handshake datagram ---------------------------------------------- */

enum rdma_test_hello_type {
	RDMA_TEST_HELLO_REQ = 1,	/* please answer */
	RDMA_TEST_HELLO_REPLY = 2,	/* the answer; never answered */
};

enum rdma_test_role {			/* what the sender does in round 0 */
	RDMA_TEST_ROLE_INITIATOR = 1,
	RDMA_TEST_ROLE_TARGET = 2,
};

#define RDMA_TEST_HELLO_READY	0x01	/* QP in RTS, receives posted, MR valid */

struct rdma_test_hello {
	u8 magic[4];		/* RDMA_TEST_MAGIC */
	u8 version;		/* RDMA_TEST_VERSION */
	u8 type;		/* enum rdma_test_hello_type */
	u8 role;		/* enum rdma_test_role */
	u8 flags;		/* RDMA_TEST_HELLO_* */
	u8 nonce[4];		/* the sender's, random and nonzero, per run */
	u8 echo[4];		/* the receiver's nonce last heard, or 0 */
	u8 qpn[4];		/* 24 bits */
	u8 psn[4];		/* the sender's initial send PSN, 24 bits */
	u8 gid[16];		/* the sender's source GID (::ffff:a.b.c.d) */
	u8 mac[6];		/* the sender's Ethernet address */
	u8 mtu;			/* largest path MTU, IB enum (3 = 1024) */
	u8 rd_atomic;		/* RDMA READs the sender serves at once, >= 1 */
	u8 addr[8];		/* the registered buffer: its address (RETH VA), */
	u8 rkey[4];		/* ... its rkey, */
	u8 len[4];		/* ... its length */
	u8 max_msg[4];		/* the largest SEND the sender can receive */
};
#define RDMA_TEST_HELLO_LEN	68
_Static_assert(sizeof(struct rdma_test_hello) == RDMA_TEST_HELLO_LEN,
	       "the hello is 68 bytes");

struct rdma_test_hello_fields {
	u8 version;		/* decode only */
	u8 type;
	u8 role;
	u8 flags;
	u8 mtu;
	u8 rd_atomic;
	u32 nonce;
	u32 echo;
	u32 qpn;
	u32 psn;
	u8 gid[16];
	u8 mac[6];
	u64 addr;
	u32 rkey;
	u32 len;
	u32 max_msg;
};

static inline void rdma_test_hello_encode(struct rdma_test_hello *h,
					  const struct rdma_test_hello_fields *f)
{
	int i;

	rdma_test_put_be32(h->magic, RDMA_TEST_MAGIC);
	h->version = RDMA_TEST_VERSION;
	h->type = f->type;
	h->role = f->role;
	h->flags = f->flags;
	rdma_test_put_be32(h->nonce, f->nonce);
	rdma_test_put_be32(h->echo, f->echo);
	rdma_test_put_be32(h->qpn, f->qpn);
	rdma_test_put_be32(h->psn, f->psn);
	for (i = 0; i < 16; i++)
		h->gid[i] = f->gid[i];
	for (i = 0; i < 6; i++)
		h->mac[i] = f->mac[i];
	h->mtu = f->mtu;
	h->rd_atomic = f->rd_atomic;
	rdma_test_put_be64(h->addr, f->addr);
	rdma_test_put_be32(h->rkey, f->rkey);
	rdma_test_put_be32(h->len, f->len);
	rdma_test_put_be32(h->max_msg, f->max_msg);
}

/*
 * Decode @len bytes at @buf.  0, or: -EBADMSG (short, bad magic, or a
 * field out of range), -EPROTONOSUPPORT (another version, in f->version).
 */
static inline int rdma_test_hello_decode(const void *buf, size_t len,
					 struct rdma_test_hello_fields *f)
{
	const struct rdma_test_hello *h = (const struct rdma_test_hello *)buf;
	int i;

	if (len < 5 || rdma_test_get_be32(h->magic) != RDMA_TEST_MAGIC)
		return -EBADMSG;
	f->version = h->version;
	if (f->version != RDMA_TEST_VERSION)
		return -EPROTONOSUPPORT;
	if (len != RDMA_TEST_HELLO_LEN)
		return -EBADMSG;
	f->type = h->type;
	f->role = h->role;
	f->flags = h->flags;
	f->nonce = rdma_test_get_be32(h->nonce);
	f->echo = rdma_test_get_be32(h->echo);
	f->qpn = rdma_test_get_be32(h->qpn);
	f->psn = rdma_test_get_be32(h->psn);
	for (i = 0; i < 16; i++)
		f->gid[i] = h->gid[i];
	for (i = 0; i < 6; i++)
		f->mac[i] = h->mac[i];
	f->mtu = h->mtu;
	f->rd_atomic = h->rd_atomic;
	f->addr = rdma_test_get_be64(h->addr);
	f->rkey = rdma_test_get_be32(h->rkey);
	f->len = rdma_test_get_be32(h->len);
	f->max_msg = rdma_test_get_be32(h->max_msg);

	if (f->type != RDMA_TEST_HELLO_REQ && f->type != RDMA_TEST_HELLO_REPLY)
		return -EBADMSG;
	if (f->role != RDMA_TEST_ROLE_INITIATOR &&
	    f->role != RDMA_TEST_ROLE_TARGET)
		return -EBADMSG;
	/* QPN 0 and 1 are the special QPs; PSNs are 24 bits (IBTA 9.7.1). */
	if (!f->nonce || f->qpn < 2 || f->qpn > 0xffffff || f->psn > 0xffffff)
		return -EBADMSG;
	if (f->mtu < 1 || f->mtu > 5 || !f->rd_atomic)
		return -EBADMSG;
	return 0;
}

/* ---- control messages (RDMA SENDs on the test QP) ------------------------ */

enum rdma_test_msg_type {
	RDMA_TEST_MSG_PREPARE = 1,	/* I -> T: the next step */
	RDMA_TEST_MSG_READY = 2,	/* T -> I: go (status) */
	RDMA_TEST_MSG_VERIFY = 3,	/* I -> T: the operation is done */
	RDMA_TEST_MSG_RESULT = 4,	/* T -> I: the step's verdict */
	RDMA_TEST_MSG_END = 5,		/* I -> T: the round is over */
};

enum rdma_test_status {
	RDMA_TEST_OK = 0,
	RDMA_TEST_E_DATA = 1,		/* data differs; detail: first bad byte */
	RDMA_TEST_E_GUARD = 2,		/* a guard byte changed; detail: where */
	RDMA_TEST_E_LENGTH = 3,		/* byte_len differs; detail: received */
	RDMA_TEST_E_IMM = 4,		/* immediate missing, extra or wrong */
	RDMA_TEST_E_OPCODE = 5,		/* a completion of the wrong kind */
	RDMA_TEST_E_RANGE = 6,		/* offset/length outside the buffer */
	RDMA_TEST_E_PROTOCOL = 7,	/* a message out of turn */
	RDMA_TEST_E_LOCAL = 8,		/* a local verbs error */
	RDMA_TEST_E_COUNT = 9,		/* END's totals differ from ours */
};
#define RDMA_TEST_E_MAX		RDMA_TEST_E_COUNT

static inline const char *rdma_test_status_name(u32 status)
{
	switch (status) {
	case RDMA_TEST_OK:		return "ok";
	case RDMA_TEST_E_DATA:		return "data differs from the pattern";
	case RDMA_TEST_E_GUARD:		return "guard byte overwritten";
	case RDMA_TEST_E_LENGTH:	return "wrong length";
	case RDMA_TEST_E_IMM:		return "wrong immediate";
	case RDMA_TEST_E_OPCODE:	return "wrong completion opcode";
	case RDMA_TEST_E_RANGE:		return "offset or length out of range";
	case RDMA_TEST_E_PROTOCOL:	return "protocol error";
	case RDMA_TEST_E_LOCAL:		return "local verbs error";
	case RDMA_TEST_E_COUNT:		return "totals differ";
	}
	return "unknown status";
}

struct rdma_test_msg {
	u8 magic[4];		/* RDMA_TEST_MAGIC */
	u8 version;		/* RDMA_TEST_VERSION */
	u8 type;		/* enum rdma_test_msg_type */
	u8 op;			/* enum rdma_test_op (PREPARE..RESULT) */
	u8 round;		/* 0 or 1 */
	u8 step[4];		/* step number within the round */
	u8 status[4];		/* enum rdma_test_status */
	u8 offset[4];		/* into the target's buffer (WRITE*, READ) */
	u8 len[4];		/* bytes of the operation */
	u8 seed[4];		/* of the data pattern */
	u8 imm[4];		/* the immediate value (*_WITH_IMM) */
	u8 detail[4];		/* RESULT: see the status; END: operations */
	u8 bytes[8];		/* END: bytes of the round's operations */
	u8 reserved[4];		/* zero */
};
#define RDMA_TEST_MSG_LEN	48
_Static_assert(sizeof(struct rdma_test_msg) == RDMA_TEST_MSG_LEN,
	       "a control message is 48 bytes");

struct rdma_test_msg_fields {
	u8 type;
	u8 op;
	u8 round;
	u32 step;
	u32 status;
	u32 offset;
	u32 len;
	u32 seed;
	u32 imm;
	u32 detail;
	u64 bytes;
};

static inline void rdma_test_msg_encode(struct rdma_test_msg *m,
					const struct rdma_test_msg_fields *f)
{
	int i;

	rdma_test_put_be32(m->magic, RDMA_TEST_MAGIC);
	m->version = RDMA_TEST_VERSION;
	m->type = f->type;
	m->op = f->op;
	m->round = f->round;
	rdma_test_put_be32(m->step, f->step);
	rdma_test_put_be32(m->status, f->status);
	rdma_test_put_be32(m->offset, f->offset);
	rdma_test_put_be32(m->len, f->len);
	rdma_test_put_be32(m->seed, f->seed);
	rdma_test_put_be32(m->imm, f->imm);
	rdma_test_put_be32(m->detail, f->detail);
	rdma_test_put_be64(m->bytes, f->bytes);
	for (i = 0; i < 4; i++)
		m->reserved[i] = 0;
}

/* Decode @len bytes at @buf: 0, -EBADMSG or -EPROTONOSUPPORT. */
static inline int rdma_test_msg_decode(const void *buf, size_t len,
				       struct rdma_test_msg_fields *f)
{
	const struct rdma_test_msg *m = (const struct rdma_test_msg *)buf;

	if (len != RDMA_TEST_MSG_LEN ||
	    rdma_test_get_be32(m->magic) != RDMA_TEST_MAGIC)
		return -EBADMSG;
	if (m->version != RDMA_TEST_VERSION)
		return -EPROTONOSUPPORT;
	f->type = m->type;
	f->op = m->op;
	f->round = m->round;
	f->step = rdma_test_get_be32(m->step);
	f->status = rdma_test_get_be32(m->status);
	f->offset = rdma_test_get_be32(m->offset);
	f->len = rdma_test_get_be32(m->len);
	f->seed = rdma_test_get_be32(m->seed);
	f->imm = rdma_test_get_be32(m->imm);
	f->detail = rdma_test_get_be32(m->detail);
	f->bytes = rdma_test_get_be64(m->bytes);

	if (f->type < RDMA_TEST_MSG_PREPARE || f->type > RDMA_TEST_MSG_END)
		return -EBADMSG;
	if (f->type != RDMA_TEST_MSG_END &&
	    (f->op < RDMA_TEST_OP_FIRST || f->op > RDMA_TEST_OP_LAST))
		return -EBADMSG;
	if (f->round > 1 || f->status > RDMA_TEST_E_MAX)
		return -EBADMSG;
	return 0;
}

/* ---- the data pattern ------------------------------------------------------ */

/* A 32-bit mixer with good avalanche (lowbias32, by C. Wellons). */
static inline u32 rdma_test_mix32(u32 x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

/*
 * Word @word (bytes 4 * word .. 4 * word + 3) of the pattern of @seed;
 * byte 4 * word + k is bits 8k..8k+7 of it.  The offset is mixed in so
 * that data at the wrong place (a wrong address, a misplaced packet)
 * fails, the seed so that data left from another step fails.
 */
static inline u32 rdma_test_pattern_word(u32 seed, u32 word)
{
	return rdma_test_mix32(seed ^ rdma_test_mix32(word + 0x9e3779b9u));
}

/* Byte @offset of the message made with @seed. */
static inline u8 rdma_test_pattern(u32 seed, u32 offset)
{
	return (u8)(rdma_test_pattern_word(seed, offset >> 2) >>
		    (8 * (offset & 3)));
}

/* Fill @len bytes at @buf with the message of @seed. */
static inline void rdma_test_fill(void *buf, u32 len, u32 seed)
{
	u8 *p = (u8 *)buf;
	u32 i, w = 0;

	for (i = 0; i < len; i++) {
		if (!(i & 3))
			w = rdma_test_pattern_word(seed, i >> 2);
		p[i] = (u8)(w >> (8 * (i & 3)));
	}
}

/* The first byte of @len at @buf that is not the message of @seed, or len. */
static inline u32 rdma_test_check(const void *buf, u32 len, u32 seed)
{
	const u8 *p = (const u8 *)buf;
	u32 i, w = 0;

	for (i = 0; i < len; i++) {
		if (!(i & 3))
			w = rdma_test_pattern_word(seed, i >> 2);
		if (p[i] != (u8)(w >> (8 * (i & 3))))
			return i;
	}
	return len;
}

/* The first of @len bytes at @buf that is not RDMA_TEST_POISON, or len. */
static inline u32 rdma_test_check_poison(const void *buf, u32 len)
{
	const u8 *p = (const u8 *)buf;
	u32 i;

	for (i = 0; i < len; i++)
		if (p[i] != RDMA_TEST_POISON)
			return i;
	return len;
}

/*
 * What an initiator announces for step @step of round @round (any values
 * in range are valid; these are what both implementations use, so that
 * their logs compare).  Offsets step through odd and even values within
 * [GUARD, GUARD + OFFSET_SPAN), so that unaligned remote addresses are
 * exercised; a buffer of max + RDMA_TEST_SLACK bytes holds every step.
 */
static inline u32 rdma_test_step_seed(u32 round, u32 step)
{
	return rdma_test_mix32(0x5eed0000u ^ round << 20 ^ step);
}

static inline u32 rdma_test_step_imm(u32 seed)
{
	return rdma_test_mix32(seed ^ 0x1e60d5a7u);
}

static inline u32 rdma_test_step_offset(u32 step)
{
	return RDMA_TEST_GUARD + (step * 67u) % RDMA_TEST_OFFSET_SPAN;
}

#endif /* _UAPI_LEGO_RDMA_TEST_H */
