// SPDX-License-Identifier: GPL-2.0
/*
 * RoCEv2 packets in and out: sroce_parse() turns the UDP payload of a
 * received datagram into a validated struct sroce_pkt, sroce_build*()
 * turn one into bytes.  Pure: the UDP/IPv4 layer below is reduced to the
 * struct sroce_l3 the ICRC needs, the QP lookup and state checks above
 * belong to the caller (notes B.11 lists rxe's order; this file does the
 * checks that need nothing but the packet: 3, 6, 8 and 9).
 *
 * The parser never trusts a length it has not checked against the buffer:
 * each test below runs before the first read it guards, so any byte
 * string is safe to feed it (tests/fuzz/fuzz_roce_rx.c does).
 */
#include <lego/errno.h>
#include <lego/string.h>
#include <lego/types.h>
#include <net/pktbuf.h>
#include <uapi/lego/roce.h>

#include "internal.h"

static int rx_drop(u64 *counter, int err)
{
	(*counter)++;
	return err;
}

static const u8 *decode_eths(struct sroce_pkt *pkt, const u8 *p)
{
	u32 info = pkt->info;

	/* IBTA 9.3: the ETHs follow the BTH in this order. */
	if (info & ROCE_F_RETH) {
		roce_reth_decode((const struct roce_reth *)p, &pkt->reth);
		p += ROCE_RETH_LEN;
	}
	if (info & ROCE_F_ATOMIC_ETH)
		p += ROCE_ATOMIC_ETH_LEN;	/* atomics are refused above us */
	if (info & ROCE_F_AETH) {
		roce_aeth_decode((const struct roce_aeth *)p, &pkt->aeth);
		p += ROCE_AETH_LEN;
	}
	if (info & ROCE_F_ATOMIC_ACK_ETH)
		p += ROCE_ATOMIC_ACK_ETH_LEN;
	if (info & ROCE_F_IMMDT) {
		pkt->imm = roce_get_be32(p);
		p += ROCE_IMMDT_LEN;
	}
	if (info & ROCE_F_IETH) {
		pkt->ieth_rkey = roce_get_be32(p);
		p += ROCE_IETH_LEN;
	}
	return p;
}

int sroce_parse(const struct sroce_l3 *l3, const u8 *buf, u32 len, u32 pmtu,
		struct sroce_pkt *pkt, struct sroce_rx_stats *st)
{
	u32 hlen, body;

	st->rx_pkts++;
	memset(pkt, 0, sizeof(*pkt));
	if (len < ROCE_BTH_LEN + ROCE_ICRC_LEN)
		return rx_drop(&st->rx_short, -EBADMSG);
	roce_bth_decode((const struct roce_bth *)buf, &pkt->bth);
	/* IBTA 9.2.5: TVer 0 only; rxe drops the rest (notes B.3). */
	if (pkt->bth.tver != ROCE_BTH_TVER)
		return rx_drop(&st->rx_bad_version, -EPROTONOSUPPORT);
	/* IBTA 9.2.1: RC opcodes only (class 000); notes B.11 step 6. */
	pkt->info = roce_opcode_info(pkt->bth.opcode);
	if (!(pkt->info & ROCE_F_VALID))
		return rx_drop(&st->rx_bad_opcode, -EOPNOTSUPP);
	/* IBTA 9.2.6: the default partition, either membership (B.11 step 8). */
	if ((pkt->bth.pkey & ROCE_PKEY_MASK) != ROCE_PKEY_MASK)
		return rx_drop(&st->rx_bad_pkey, -EACCES);
	hlen = roce_hdr_len(pkt->info);
	if (len < hlen + ROCE_ICRC_LEN)
		return rx_drop(&st->rx_short, -EBADMSG);
	/* IBTA 9.2.4: the pad makes the packet a whole number of words. */
	if (len % 4)
		return rx_drop(&st->rx_bad_pad, -EBADMSG);
	body = len - hlen - ROCE_ICRC_LEN;	/* payload + pad */
	if (pkt->bth.pad > body)
		return rx_drop(&st->rx_bad_pad, -EBADMSG);
	/* Notes B.4: ACKs and READ requests carry no payload (nor pad). */
	if (!(pkt->info & ROCE_F_PAYLOAD) && body)
		return rx_drop(&st->rx_bad_len, -EBADMSG);
	pkt->paylen = body - pkt->bth.pad;
	/* Notes B.9: only the payload counts against the path MTU. */
	if (pkt->paylen > (pmtu ? pmtu : SROCE_MAX_PMTU))
		return rx_drop(&st->rx_too_long, -EMSGSIZE);
	/* Notes B.10: a bad ICRC is dropped without a reply. */
	if (!sroce_icrc_ok(l3, buf, len))
		return rx_drop(&st->rx_bad_icrc, -EPROTO);
	pkt->payload = decode_eths(pkt, buf + ROCE_BTH_LEN);
	st->rx_ok++;
	return 0;
}

u32 sroce_link_pmtu(u32 link_mtu)
{
	u32 mtu;

	for (mtu = ROCE_MTU_4096; mtu >= ROCE_MTU_256; mtu--)
		if (roce_mtu_bytes(mtu) + SROCE_HDR_ALLOWANCE <= link_mtu)
			return mtu;
	return 0;
}

u32 sroce_pkt_len(const struct sroce_pkt *d)
{
	return roce_hdr_len(roce_opcode_info(d->bth.opcode)) +
	       ALIGN(d->paylen, 4u) + ROCE_ICRC_LEN;
}

static u8 *encode_eths(const struct sroce_pkt *d, u32 info, u8 *p)
{
	if (info & ROCE_F_RETH) {
		roce_reth_encode((struct roce_reth *)p, &d->reth);
		p += ROCE_RETH_LEN;
	}
	if (info & ROCE_F_AETH) {
		roce_aeth_encode((struct roce_aeth *)p, &d->aeth);
		p += ROCE_AETH_LEN;
	}
	if (info & ROCE_F_IMMDT) {
		roce_put_be32(p, d->imm);
		p += ROCE_IMMDT_LEN;
	}
	if (info & ROCE_F_IETH) {
		roce_put_be32(p, d->ieth_rkey);
		p += ROCE_IETH_LEN;
	}
	return p;
}

static int copy_payload(u8 *p, const struct sroce_pkt *d)
{
	u32 i, done = 0;

	if (!d->nfrag) {
		if (d->paylen)
			memcpy(p, d->payload, d->paylen);
		return 0;
	}
	if (d->nfrag > SROCE_MAX_SGE)
		return -EINVAL;
	for (i = 0; i < d->nfrag; i++) {
		if (d->frag[i].len > d->paylen - done)
			return -EINVAL;
		memcpy(p + done, d->frag[i].addr, d->frag[i].len);
		done += d->frag[i].len;
	}
	return done == d->paylen ? 0 : -EINVAL;
}

int sroce_build_buf(u8 *buf, u32 cap, const struct sroce_pkt *d,
		    const struct sroce_l3 *l3)
{
	u32 info = roce_opcode_info(d->bth.opcode);
	struct roce_bth_fields bth = d->bth;
	u32 len, pad;
	u8 *p;
	int ret;

	/* We never send atomics, and payload only where it belongs. */
	if (!(info & ROCE_F_VALID) ||
	    (info & (ROCE_F_ATOMIC_ETH | ROCE_F_ATOMIC_ACK_ETH)) ||
	    (!(info & ROCE_F_PAYLOAD) && d->paylen) ||
	    d->paylen > SROCE_MAX_PMTU)
		return -EINVAL;
	len = sroce_pkt_len(d);
	if (len > cap)
		return -ENOSPC;
	pad = (4 - (d->paylen & 3)) & 3;
	bth.pad = (u8)pad;			/* IBTA 9.2.4 */
	bth.tver = ROCE_BTH_TVER;
	bth.psn &= ROCE_PSN_MASK;
	bth.dqpn &= ROCE_QPN_MASK;
	roce_bth_encode((struct roce_bth *)buf, &bth);
	p = encode_eths(d, info, buf + ROCE_BTH_LEN);
	ret = copy_payload(p, d);
	if (ret)
		return ret;
	p += d->paylen;
	memset(p, 0, pad + ROCE_ICRC_LEN);	/* pad bytes are zero (B.9) */
	if (l3)
		sroce_icrc_seal(l3, buf, len - ROCE_ICRC_LEN);
	return (int)len;
}

int sroce_build(struct pktbuf *pkt, const struct sroce_pkt *d,
		const struct sroce_l3 *l3)
{
	u32 len = sroce_pkt_len(d);
	u8 *p = pktbuf_put(pkt, len);
	int ret;

	if (!p)
		return -ENOSPC;
	ret = sroce_build_buf(p, len, d, l3);
	if (ret < 0) {
		pkt->len -= len;
		return ret;
	}
	return 0;
}
