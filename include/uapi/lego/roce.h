/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RoCEv2 on the wire: the InfiniBand transport headers carried in UDP/IPv4
 * datagrams to port 4791 (IBTA Vol. 1 chapter 9 for the transport, Annex
 * A17 for the encapsulation; restated in shared/reference/rdma-notes.md
 * part B, cited below as "notes B.n").
 *
 * Shared by the soft-RoCE provider (drivers/infiniband/sw/sroce/), the
 * Linux modules and the host tests, so it depends on nothing but the
 * fixed-width types.  Every header is a struct of bytes with explicit
 * big-endian get/put helpers: RoCE headers start at any offset in a frame
 * (the BTH sits at byte 42 of an Ethernet frame) and byte arrays have no
 * alignment, no padding and no byte order of their own.
 *
 *	UDP payload = BTH (12) | ETHs (0-28) | payload (0..PMTU) | pad (0-3)
 *		      | ICRC (4, least significant byte first)
 */
#ifndef _UAPI_LEGO_ROCE_H
#define _UAPI_LEGO_ROCE_H

#ifdef KBUILD_MODNAME			/* a Linux module */
#include <linux/types.h>
#else
#include <lego/types.h>
#endif

#define ROCE_V2_UDP_DPORT	4791	/* Annex A17; notes B.2 */
#define ROCE_UDP_SPORT_BASE	0xc000	/* what rxe uses; the receiver ignores it */
#define ROCE_DEFAULT_PKEY	0xffff	/* full member of the default partition */
#define ROCE_PKEY_MASK		0x7fff	/* bit 15 is membership, not the key */
#define ROCE_BTH_TVER		0	/* transport header version (IBTA 9.2.5) */
#define ROCE_PSN_MASK		0xffffffu
#define ROCE_QPN_MASK		0xffffffu
#define ROCE_MSN_MASK		0xffffffu

/* ---- big-endian field access ------------------------------------------- */

static inline u32 roce_get_be16(const u8 *p)
{
	return (u32)p[0] << 8 | p[1];
}

static inline u32 roce_get_be24(const u8 *p)
{
	return (u32)p[0] << 16 | (u32)p[1] << 8 | p[2];
}

static inline u32 roce_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u64 roce_get_be64(const u8 *p)
{
	return (u64)roce_get_be32(p) << 32 | roce_get_be32(p + 4);
}

static inline void roce_put_be16(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static inline void roce_put_be24(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 16);
	p[1] = (u8)(v >> 8);
	p[2] = (u8)v;
}

static inline void roce_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static inline void roce_put_be64(u8 *p, u64 v)
{
	roce_put_be32(p, (u32)(v >> 32));
	roce_put_be32(p + 4, (u32)v);
}

/* ---- Base Transport Header (IBTA 9.2; notes B.3) ------------------------ */

struct roce_bth {
	u8 opcode;
	u8 flags;		/* SE | M | PadCnt(2) | TVer(4) */
	u8 pkey[2];
	u8 resv8a;		/* FECN | BECN | resv6a: all ones in the ICRC */
	u8 dqpn[3];
	u8 ackreq;		/* AckReq | resv7 */
	u8 psn[3];
};

#define ROCE_BTH_SE		0x80	/* byte 1 */
#define ROCE_BTH_MIGREQ		0x40
#define ROCE_BTH_PAD_SHIFT	4
#define ROCE_BTH_PAD_MASK	0x30
#define ROCE_BTH_TVER_MASK	0x0f
#define ROCE_BTH_FECN		0x80	/* byte 4 */
#define ROCE_BTH_BECN		0x40
#define ROCE_BTH_ACKREQ		0x80	/* byte 8 */
#define ROCE_BTH_RESV8A_OFF	4	/* the byte the ICRC masks */

/* The BTH with its fields in host order. */
struct roce_bth_fields {
	u8 opcode;
	bool se;
	bool migreq;
	u8 pad;			/* 0-3 */
	u8 tver;		/* 0-15 */
	u16 pkey;
	bool fecn;
	bool becn;
	u32 dqpn;		/* 24 bits */
	bool ackreq;
	u32 psn;		/* 24 bits */
};

static inline void roce_bth_encode(struct roce_bth *h,
				   const struct roce_bth_fields *f)
{
	h->opcode = f->opcode;
	h->flags = (f->se ? ROCE_BTH_SE : 0) |
		   (f->migreq ? ROCE_BTH_MIGREQ : 0) |
		   ((f->pad << ROCE_BTH_PAD_SHIFT) & ROCE_BTH_PAD_MASK) |
		   (f->tver & ROCE_BTH_TVER_MASK);
	roce_put_be16(h->pkey, f->pkey);
	h->resv8a = (f->fecn ? ROCE_BTH_FECN : 0) | (f->becn ? ROCE_BTH_BECN : 0);
	roce_put_be24(h->dqpn, f->dqpn);
	h->ackreq = f->ackreq ? ROCE_BTH_ACKREQ : 0;
	roce_put_be24(h->psn, f->psn);
}

static inline void roce_bth_decode(const struct roce_bth *h,
				   struct roce_bth_fields *f)
{
	f->opcode = h->opcode;
	f->se = !!(h->flags & ROCE_BTH_SE);
	f->migreq = !!(h->flags & ROCE_BTH_MIGREQ);
	f->pad = (h->flags & ROCE_BTH_PAD_MASK) >> ROCE_BTH_PAD_SHIFT;
	f->tver = h->flags & ROCE_BTH_TVER_MASK;
	f->pkey = (u16)roce_get_be16(h->pkey);
	f->fecn = !!(h->resv8a & ROCE_BTH_FECN);
	f->becn = !!(h->resv8a & ROCE_BTH_BECN);
	f->dqpn = roce_get_be24(h->dqpn);
	f->ackreq = !!(h->ackreq & ROCE_BTH_ACKREQ);
	f->psn = roce_get_be24(h->psn);
}

/* ---- Extended transport headers (IBTA 9.3; notes B.5) ------------------- */

/* RDMA ETH: on WRITE FIRST/ONLY and READ REQUEST. */
struct roce_reth {
	u8 va[8];
	u8 rkey[4];
	u8 dma_len[4];		/* the whole message, not this packet */
};

struct roce_reth_fields {
	u64 va;
	u32 rkey;
	u32 dma_len;
};

static inline void roce_reth_encode(struct roce_reth *h,
				    const struct roce_reth_fields *f)
{
	roce_put_be64(h->va, f->va);
	roce_put_be32(h->rkey, f->rkey);
	roce_put_be32(h->dma_len, f->dma_len);
}

static inline void roce_reth_decode(const struct roce_reth *h,
				    struct roce_reth_fields *f)
{
	f->va = roce_get_be64(h->va);
	f->rkey = roce_get_be32(h->rkey);
	f->dma_len = roce_get_be32(h->dma_len);
}

/* ACK ETH: on ACKNOWLEDGE and READ RESPONSE FIRST/LAST/ONLY. */
struct roce_aeth {
	u8 syndrome;
	u8 msn[3];
};

struct roce_aeth_fields {
	u8 syndrome;
	u32 msn;		/* 24 bits */
};

static inline void roce_aeth_encode(struct roce_aeth *h,
				    const struct roce_aeth_fields *f)
{
	h->syndrome = f->syndrome;
	roce_put_be24(h->msn, f->msn);
}

static inline void roce_aeth_decode(const struct roce_aeth *h,
				    struct roce_aeth_fields *f)
{
	f->syndrome = h->syndrome;
	f->msn = roce_get_be24(h->msn);
}

/*
 * Immediate data (and IETH, same shape): 32 opaque bits.  Decoded as a
 * big-endian number, so a peer that posts imm_data = htonl(x), as
 * libibverbs users do, shows up here as x.
 */
struct roce_immdt {
	u8 imm[4];
};

struct roce_ieth {
	u8 rkey[4];
};

/* Atomic ETH and Atomic ACK ETH: layout only, atomics are not implemented. */
struct roce_atomic_eth {
	u8 va[8];
	u8 rkey[4];
	u8 swap_add[8];
	u8 compare[8];
};

struct roce_atomic_ack_eth {
	u8 orig[8];
};

#define ROCE_BTH_LEN		12
#define ROCE_RETH_LEN		16
#define ROCE_AETH_LEN		4
#define ROCE_IMMDT_LEN		4
#define ROCE_IETH_LEN		4
#define ROCE_ATOMIC_ETH_LEN	28
#define ROCE_ATOMIC_ACK_ETH_LEN	8
#define ROCE_ICRC_LEN		4
/* Longest header run after the BTH (RETH + ImmDt; AtomicETH is 28). */
#define ROCE_MAX_ETH_LEN	28

_Static_assert(sizeof(struct roce_bth) == ROCE_BTH_LEN, "BTH is 12 bytes");
_Static_assert(sizeof(struct roce_reth) == ROCE_RETH_LEN, "RETH is 16 bytes");
_Static_assert(sizeof(struct roce_aeth) == ROCE_AETH_LEN, "AETH is 4 bytes");
_Static_assert(sizeof(struct roce_immdt) == ROCE_IMMDT_LEN, "ImmDt is 4 bytes");
_Static_assert(sizeof(struct roce_ieth) == ROCE_IETH_LEN, "IETH is 4 bytes");
_Static_assert(sizeof(struct roce_atomic_eth) == ROCE_ATOMIC_ETH_LEN,
	       "AtomicETH is 28 bytes");
_Static_assert(sizeof(struct roce_atomic_ack_eth) == ROCE_ATOMIC_ACK_ETH_LEN,
	       "AtomicAckETH is 8 bytes");

/* ---- Opcodes (IBTA 9.2.1; include/rdma/ib_pack.h numbering; notes B.4) -- */

enum roce_opcode {
	ROCE_OP_SEND_FIRST		= 0x00,
	ROCE_OP_SEND_MIDDLE		= 0x01,
	ROCE_OP_SEND_LAST		= 0x02,
	ROCE_OP_SEND_LAST_IMM		= 0x03,
	ROCE_OP_SEND_ONLY		= 0x04,
	ROCE_OP_SEND_ONLY_IMM		= 0x05,
	ROCE_OP_WRITE_FIRST		= 0x06,
	ROCE_OP_WRITE_MIDDLE		= 0x07,
	ROCE_OP_WRITE_LAST		= 0x08,
	ROCE_OP_WRITE_LAST_IMM		= 0x09,
	ROCE_OP_WRITE_ONLY		= 0x0a,
	ROCE_OP_WRITE_ONLY_IMM		= 0x0b,
	ROCE_OP_READ_REQUEST		= 0x0c,
	ROCE_OP_READ_RESPONSE_FIRST	= 0x0d,
	ROCE_OP_READ_RESPONSE_MIDDLE	= 0x0e,
	ROCE_OP_READ_RESPONSE_LAST	= 0x0f,
	ROCE_OP_READ_RESPONSE_ONLY	= 0x10,
	ROCE_OP_ACKNOWLEDGE		= 0x11,
	ROCE_OP_ATOMIC_ACKNOWLEDGE	= 0x12,
	ROCE_OP_COMPARE_SWAP		= 0x13,
	ROCE_OP_FETCH_ADD		= 0x14,
	ROCE_OP_SEND_LAST_INV		= 0x16,
	ROCE_OP_SEND_ONLY_INV		= 0x17,
	ROCE_OP_CNP			= 0x81,	/* congestion notification */
};

/* Transport class in bits 7:5 of the opcode: RC is 000 (IBTA 9.2.1). */
#define ROCE_OP_CLASS_MASK	0xe0
#define ROCE_OP_CLASS_RC	0x00

/* What an RC opcode means and carries; roce_opcode_info() returns these. */
#define ROCE_F_VALID		(1u << 0)	/* a defined RC opcode */
#define ROCE_F_RETH		(1u << 1)	/* headers after the BTH, in order: */
#define ROCE_F_AETH		(1u << 2)
#define ROCE_F_ATOMIC_ETH	(1u << 3)
#define ROCE_F_ATOMIC_ACK_ETH	(1u << 4)
#define ROCE_F_IMMDT		(1u << 5)
#define ROCE_F_IETH		(1u << 6)
#define ROCE_F_PAYLOAD		(1u << 7)	/* may carry payload */
#define ROCE_F_FIRST		(1u << 8)	/* first packet of a message */
#define ROCE_F_MIDDLE		(1u << 9)
#define ROCE_F_LAST		(1u << 10)	/* ONLY is FIRST | LAST */
#define ROCE_F_REQ		(1u << 11)	/* requester -> responder */
#define ROCE_F_RESP		(1u << 12)	/* responder -> requester */
#define ROCE_F_SEND		(1u << 13)
#define ROCE_F_WRITE		(1u << 14)
#define ROCE_F_READ		(1u << 15)	/* request or response */
#define ROCE_F_ACK		(1u << 16)	/* (atomic) acknowledge */
#define ROCE_F_ATOMIC		(1u << 17)
#define ROCE_F_NEEDS_ACK	(1u << 18)	/* answered by an ACKNOWLEDGE */
#define ROCE_F_RWQE		(1u << 19)	/* the message consumes a receive WQE */
#define ROCE_F_ONLY		(ROCE_F_FIRST | ROCE_F_LAST)

static inline u32 roce_opcode_info(u8 opcode)
{
#define SND	(ROCE_F_VALID | ROCE_F_REQ | ROCE_F_SEND | ROCE_F_PAYLOAD | \
		 ROCE_F_NEEDS_ACK | ROCE_F_RWQE)
#define WRT	(ROCE_F_VALID | ROCE_F_REQ | ROCE_F_WRITE | ROCE_F_PAYLOAD | \
		 ROCE_F_NEEDS_ACK)
#define RSP	(ROCE_F_VALID | ROCE_F_RESP | ROCE_F_READ | ROCE_F_PAYLOAD)
	static const u32 info[0x20] = {
		[ROCE_OP_SEND_FIRST]	 = SND | ROCE_F_FIRST,
		[ROCE_OP_SEND_MIDDLE]	 = SND | ROCE_F_MIDDLE,
		[ROCE_OP_SEND_LAST]	 = SND | ROCE_F_LAST,
		[ROCE_OP_SEND_LAST_IMM]	 = SND | ROCE_F_LAST | ROCE_F_IMMDT,
		[ROCE_OP_SEND_ONLY]	 = SND | ROCE_F_ONLY,
		[ROCE_OP_SEND_ONLY_IMM]	 = SND | ROCE_F_ONLY | ROCE_F_IMMDT,
		[ROCE_OP_WRITE_FIRST]	 = WRT | ROCE_F_FIRST | ROCE_F_RETH,
		[ROCE_OP_WRITE_MIDDLE]	 = WRT | ROCE_F_MIDDLE,
		[ROCE_OP_WRITE_LAST]	 = WRT | ROCE_F_LAST,
		[ROCE_OP_WRITE_LAST_IMM] = WRT | ROCE_F_LAST | ROCE_F_IMMDT |
					   ROCE_F_RWQE,
		[ROCE_OP_WRITE_ONLY]	 = WRT | ROCE_F_ONLY | ROCE_F_RETH,
		[ROCE_OP_WRITE_ONLY_IMM] = WRT | ROCE_F_ONLY | ROCE_F_RETH |
					   ROCE_F_IMMDT | ROCE_F_RWQE,
		[ROCE_OP_READ_REQUEST]	 = ROCE_F_VALID | ROCE_F_REQ |
					   ROCE_F_READ | ROCE_F_ONLY |
					   ROCE_F_RETH,
		[ROCE_OP_READ_RESPONSE_FIRST]  = RSP | ROCE_F_FIRST | ROCE_F_AETH,
		[ROCE_OP_READ_RESPONSE_MIDDLE] = RSP | ROCE_F_MIDDLE,
		[ROCE_OP_READ_RESPONSE_LAST]   = RSP | ROCE_F_LAST | ROCE_F_AETH,
		[ROCE_OP_READ_RESPONSE_ONLY]   = RSP | ROCE_F_ONLY | ROCE_F_AETH,
		[ROCE_OP_ACKNOWLEDGE]	 = ROCE_F_VALID | ROCE_F_RESP |
					   ROCE_F_ACK | ROCE_F_AETH,
		[ROCE_OP_ATOMIC_ACKNOWLEDGE] = ROCE_F_VALID | ROCE_F_RESP |
					   ROCE_F_ACK | ROCE_F_ATOMIC |
					   ROCE_F_AETH | ROCE_F_ATOMIC_ACK_ETH,
		[ROCE_OP_COMPARE_SWAP]	 = ROCE_F_VALID | ROCE_F_REQ |
					   ROCE_F_ATOMIC | ROCE_F_ONLY |
					   ROCE_F_ATOMIC_ETH,
		[ROCE_OP_FETCH_ADD]	 = ROCE_F_VALID | ROCE_F_REQ |
					   ROCE_F_ATOMIC | ROCE_F_ONLY |
					   ROCE_F_ATOMIC_ETH,
		[ROCE_OP_SEND_LAST_INV]	 = SND | ROCE_F_LAST | ROCE_F_IETH,
		[ROCE_OP_SEND_ONLY_INV]	 = SND | ROCE_F_ONLY | ROCE_F_IETH,
	};
#undef SND
#undef WRT
#undef RSP
	return opcode < 0x20 ? info[opcode] : 0;
}

/* Bytes of BTH and extended headers that @info says follow each other. */
static inline u32 roce_hdr_len(u32 info)
{
	return ROCE_BTH_LEN +
	       (info & ROCE_F_RETH ? ROCE_RETH_LEN : 0) +
	       (info & ROCE_F_AETH ? ROCE_AETH_LEN : 0) +
	       (info & ROCE_F_ATOMIC_ETH ? ROCE_ATOMIC_ETH_LEN : 0) +
	       (info & ROCE_F_ATOMIC_ACK_ETH ? ROCE_ATOMIC_ACK_ETH_LEN : 0) +
	       (info & ROCE_F_IMMDT ? ROCE_IMMDT_LEN : 0) +
	       (info & ROCE_F_IETH ? ROCE_IETH_LEN : 0);
}

static inline const char *roce_opcode_name(u8 opcode)
{
	static const char *const name[0x20] = {
		[ROCE_OP_SEND_FIRST]		= "SEND_FIRST",
		[ROCE_OP_SEND_MIDDLE]		= "SEND_MIDDLE",
		[ROCE_OP_SEND_LAST]		= "SEND_LAST",
		[ROCE_OP_SEND_LAST_IMM]		= "SEND_LAST_IMM",
		[ROCE_OP_SEND_ONLY]		= "SEND_ONLY",
		[ROCE_OP_SEND_ONLY_IMM]		= "SEND_ONLY_IMM",
		[ROCE_OP_WRITE_FIRST]		= "WRITE_FIRST",
		[ROCE_OP_WRITE_MIDDLE]		= "WRITE_MIDDLE",
		[ROCE_OP_WRITE_LAST]		= "WRITE_LAST",
		[ROCE_OP_WRITE_LAST_IMM]	= "WRITE_LAST_IMM",
		[ROCE_OP_WRITE_ONLY]		= "WRITE_ONLY",
		[ROCE_OP_WRITE_ONLY_IMM]	= "WRITE_ONLY_IMM",
		[ROCE_OP_READ_REQUEST]		= "READ_REQUEST",
		[ROCE_OP_READ_RESPONSE_FIRST]	= "READ_RESPONSE_FIRST",
		[ROCE_OP_READ_RESPONSE_MIDDLE]	= "READ_RESPONSE_MIDDLE",
		[ROCE_OP_READ_RESPONSE_LAST]	= "READ_RESPONSE_LAST",
		[ROCE_OP_READ_RESPONSE_ONLY]	= "READ_RESPONSE_ONLY",
		[ROCE_OP_ACKNOWLEDGE]		= "ACKNOWLEDGE",
		[ROCE_OP_ATOMIC_ACKNOWLEDGE]	= "ATOMIC_ACKNOWLEDGE",
		[ROCE_OP_COMPARE_SWAP]		= "COMPARE_SWAP",
		[ROCE_OP_FETCH_ADD]		= "FETCH_ADD",
		[ROCE_OP_SEND_LAST_INV]		= "SEND_LAST_INV",
		[ROCE_OP_SEND_ONLY_INV]		= "SEND_ONLY_INV",
	};

	if (opcode == ROCE_OP_CNP)
		return "CNP";
	return opcode < 0x20 && name[opcode] ? name[opcode] : "?";
}

/* ---- AETH syndrome (IBTA 9.3; notes B.7) ------------------------------ */

#define ROCE_AETH_TYPE_MASK	0xe0
#define ROCE_AETH_VALUE_MASK	0x1f
#define ROCE_AETH_ACK		0x00	/* value: credit count */
#define ROCE_AETH_RNR_NAK	0x20	/* value: RNR timer code */
#define ROCE_AETH_RESERVED	0x40
#define ROCE_AETH_NAK		0x60	/* value: enum roce_nak_code */
#define ROCE_AETH_CREDIT_INVALID 0x1f	/* "no credit information"; rxe's only value */

enum roce_nak_code {
	ROCE_NAK_PSN_SEQ	= 0,	/* PSN sequence error */
	ROCE_NAK_INV_REQ	= 1,	/* invalid request */
	ROCE_NAK_REM_ACCESS	= 2,	/* remote access error */
	ROCE_NAK_REM_OP		= 3,	/* remote operational error */
	ROCE_NAK_INV_RD_REQ	= 4,	/* invalid RD request (not RC) */
};

static inline u8 roce_aeth_ack(u8 credits)
{
	return ROCE_AETH_ACK | (credits & ROCE_AETH_VALUE_MASK);
}

static inline u8 roce_aeth_rnr_nak(u8 timer_code)
{
	return ROCE_AETH_RNR_NAK | (timer_code & ROCE_AETH_VALUE_MASK);
}

static inline u8 roce_aeth_nak(enum roce_nak_code code)
{
	return ROCE_AETH_NAK | ((u8)code & ROCE_AETH_VALUE_MASK);
}

static inline u8 roce_aeth_type(u8 syndrome)
{
	return syndrome & ROCE_AETH_TYPE_MASK;
}

static inline u8 roce_aeth_value(u8 syndrome)
{
	return syndrome & ROCE_AETH_VALUE_MASK;
}

/* The RNR NAK timer codes in microseconds (IBTA RNR timer table; notes B.7). */
static inline u32 roce_rnr_timer_usec(u8 code)
{
	static const u32 usec[32] = {
		655360, 10, 20, 30, 40, 60, 80, 120,
		160, 240, 320, 480, 640, 960, 1280, 1920,
		2560, 3840, 5120, 7680, 10240, 15360, 20480, 30720,
		40960, 61440, 81920, 122880, 163840, 245760, 327680, 491520,
	};

	return usec[code & 31];
}

/* Local ACK timeout: 4.096 us * 2^timeout, 0 meaning none (notes B.8). */
static inline u64 roce_ack_timeout_usec(u8 timeout)
{
	return timeout ? (4096ULL << (timeout & 31)) / 1000 : 0;
}

/* ---- Path MTU (the IB enum; notes B.9) ---------------------------------- */

enum roce_mtu {
	ROCE_MTU_256	= 1,
	ROCE_MTU_512	= 2,
	ROCE_MTU_1024	= 3,
	ROCE_MTU_2048	= 4,
	ROCE_MTU_4096	= 5,
};

/* Bytes of payload per packet, or 0 for an invalid enum value. */
static inline u32 roce_mtu_bytes(u32 mtu)
{
	return mtu >= ROCE_MTU_256 && mtu <= ROCE_MTU_4096 ? 128u << mtu : 0;
}

/* ---- GIDs (notes B.11) --------------------------------------------------- */

/* A RoCEv2 GID is an IPv6 address; IPv4 a.b.c.d is ::ffff:a.b.c.d. */
struct roce_gid {
	u8 raw[16];
};
_Static_assert(sizeof(struct roce_gid) == 16, "a GID is 16 bytes");

/* @addr in network byte order, as it lies in an IPv4 header. */
static inline void roce_gid_from_ipv4(struct roce_gid *gid, __be32 addr)
{
	const u8 *a = (const u8 *)&addr;
	int i;

	for (i = 0; i < 10; i++)
		gid->raw[i] = 0;
	gid->raw[10] = 0xff;
	gid->raw[11] = 0xff;
	for (i = 0; i < 4; i++)
		gid->raw[12 + i] = a[i];
}

static inline bool roce_gid_is_v4mapped(const struct roce_gid *gid)
{
	int i;

	for (i = 0; i < 10; i++)
		if (gid->raw[i])
			return false;
	return gid->raw[10] == 0xff && gid->raw[11] == 0xff;
}

/* The IPv4 address (network order) of a v4-mapped GID. */
static inline __be32 roce_gid_to_ipv4(const struct roce_gid *gid)
{
	__be32 addr;
	u8 *a = (u8 *)&addr;
	int i;

	for (i = 0; i < 4; i++)
		a[i] = gid->raw[12 + i];
	return addr;
}

#endif /* _UAPI_LEGO_ROCE_H */
