// SPDX-License-Identifier: GPL-2.0
/*
 * The RoCEv2 invariant CRC (IBTA Annex A17; notes B.10).
 *
 * The ICRC is the IEEE 802.3 CRC-32 (crc32_le with register ~0 and a final
 * inversion, i.e. zlib's crc32) over
 *
 *	8 bytes of 0xff			standing for the IB LRH, absent in RoCE
 *	the IPv4 header			TOS, TTL and header checksum all ones
 *	the UDP header			checksum all ones
 *	the BTH				byte 4 (FECN, BECN, resv6a) all ones
 *	ETHs, payload and pad		as sent
 *
 * and is stored after the pad least significant byte first, like the
 * Ethernet FCS.  The fields masked to ones are those a router may rewrite
 * on the way (Annex A17), so the CRC holds end to end.  The register after
 * the LRH stand-in is a constant, SROCE_ICRC_SEED; the host tests check it
 * and both of the notes' test vectors.
 *
 * Only header-less IPv4 (IHL 5) is supported: RoCEv2 never sends options.
 */
#include <lego/crc32.h>
#include <lego/errno.h>
#include <lego/string.h>
#include <lego/types.h>
#include <uapi/lego/roce.h>

#include "internal.h"

#define IPPROTO_UDP_NUM		17
#define IPV4_VER_IHL		0x45
#define IP_DF_FLAG		0x4000

/*
 * The IPv4 and UDP headers as the ICRC sees them.  Rebuilt from @l3 rather
 * than copied: every field that is not masked is in @l3, every masked one
 * is a constant.
 */
static void icrc_l3_image(const struct sroce_l3 *l3, u8 *h)
{
	/* IPv4 (RFC 791 3.1) */
	h[0] = IPV4_VER_IHL;
	h[1] = 0xff;				/* TOS: masked */
	roce_put_be16(h + 2, l3->ip_tot_len);
	roce_put_be16(h + 4, l3->ip_id);
	roce_put_be16(h + 6, l3->ip_frag_off);
	h[8] = 0xff;				/* TTL: masked */
	h[9] = IPPROTO_UDP_NUM;
	h[10] = 0xff;				/* header checksum: masked */
	h[11] = 0xff;
	memcpy(h + 12, &l3->saddr, 4);
	memcpy(h + 16, &l3->daddr, 4);
	/* UDP (RFC 768) */
	h += SROCE_IPV4_HLEN;
	roce_put_be16(h, l3->sport);
	roce_put_be16(h + 2, l3->dport);
	roce_put_be16(h + 4, l3->udp_len);
	h[6] = 0xff;				/* UDP checksum: masked */
	h[7] = 0xff;
}

u32 sroce_icrc(const struct sroce_l3 *l3, const u8 *bth, u32 len)
{
	u8 hdr[SROCE_IPV4_HLEN + SROCE_UDP_HLEN];
	u8 bth_image[ROCE_BTH_LEN];
	u32 crc;
	int i;

	icrc_l3_image(l3, hdr);
	crc = crc32_le(SROCE_ICRC_SEED, hdr, sizeof(hdr));
	if (len < ROCE_BTH_LEN)			/* callers never do this */
		return ~crc32_le(crc, bth, len);
	for (i = 0; i < ROCE_BTH_LEN; i++)
		bth_image[i] = bth[i];
	bth_image[ROCE_BTH_RESV8A_OFF] = 0xff;	/* FECN, BECN, resv6a: masked */
	crc = crc32_le(crc, bth_image, ROCE_BTH_LEN);
	crc = crc32_le(crc, bth + ROCE_BTH_LEN, len - ROCE_BTH_LEN);
	return ~crc;
}

void sroce_icrc_seal(const struct sroce_l3 *l3, u8 *bth, u32 len)
{
	u32 icrc = sroce_icrc(l3, bth, len);

	/* Least significant byte first, as the Ethernet FCS (notes B.10). */
	bth[len] = (u8)icrc;
	bth[len + 1] = (u8)(icrc >> 8);
	bth[len + 2] = (u8)(icrc >> 16);
	bth[len + 3] = (u8)(icrc >> 24);
}

bool sroce_icrc_ok(const struct sroce_l3 *l3, const u8 *bth, u32 len)
{
	const u8 *w;
	u32 wire;

	if (len < ROCE_BTH_LEN + ROCE_ICRC_LEN)
		return false;
	w = bth + len - ROCE_ICRC_LEN;
	wire = (u32)w[0] | (u32)w[1] << 8 | (u32)w[2] << 16 | (u32)w[3] << 24;
	return sroce_icrc(l3, bth, len - ROCE_ICRC_LEN) == wire;
}

int sroce_l3_decode(struct sroce_l3 *l3, const void *iph, const void *udph)
{
	const u8 *ip = iph, *udp = udph;

	if (ip[0] != IPV4_VER_IHL)
		return -EPROTONOSUPPORT;
	l3->ip_tot_len = (u16)roce_get_be16(ip + 2);
	l3->ip_id = (u16)roce_get_be16(ip + 4);
	l3->ip_frag_off = (u16)roce_get_be16(ip + 6);
	memcpy(&l3->saddr, ip + 12, 4);
	memcpy(&l3->daddr, ip + 16, 4);
	l3->sport = (u16)roce_get_be16(udp);
	l3->dport = (u16)roce_get_be16(udp + 2);
	l3->udp_len = (u16)roce_get_be16(udp + 4);
	return 0;
}

void sroce_l3_tx(struct sroce_l3 *l3, __be32 saddr, __be32 daddr, u16 sport,
		 u16 ip_id, u32 roce_len)
{
	l3->saddr = saddr;
	l3->daddr = daddr;
	l3->udp_len = (u16)(SROCE_UDP_HLEN + roce_len);
	l3->ip_tot_len = (u16)(SROCE_IPV4_HLEN + SROCE_UDP_HLEN + roce_len);
	l3->ip_id = ip_id;
	l3->ip_frag_off = IP_DF_FLAG;		/* DF, never fragmented (notes B.2) */
	l3->sport = sport;
	l3->dport = ROCE_V2_UDP_DPORT;
}
