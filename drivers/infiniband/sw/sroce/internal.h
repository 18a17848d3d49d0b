/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The soft-RoCEv2 wire layer, shared by the files of this directory and
 * its host tests; grouped by the file that defines each symbol.  Pure: no
 * locks, no allocation, no clock, no device.  The RC protocol engines that
 * sit on top of it are declared in rc.h.
 *
 * The UDP/IPv4 layer meets this one through struct sroce_l3 only: the
 * header fields the ICRC covers, filled from a received IPv4/UDP header by
 * sroce_l3_decode() or for a datagram about to be sent by sroce_l3_tx().
 */
#ifndef _SROCE_INTERNAL_H
#define _SROCE_INTERNAL_H

#include <lego/compiler.h>
#include <lego/types.h>
#include <uapi/lego/roce.h>

struct pktbuf;

#define SROCE_IPV4_HLEN		20	/* no options: RoCEv2 never sends any */
#define SROCE_UDP_HLEN		8
#define SROCE_MAX_SGE		4	/* gather/scatter entries per WR */
#define SROCE_MIN_PMTU		256
#define SROCE_MAX_PMTU		4096
/* Longest RoCE packet (UDP payload): BTH, ETHs, PMTU, pad, ICRC. */
#define SROCE_MAX_PKT_LEN	(ROCE_BTH_LEN + ROCE_MAX_ETH_LEN + \
				 SROCE_MAX_PMTU + 3 + ROCE_ICRC_LEN)
/*
 * What a packet adds to its payload in the IPv4 datagram: 20 + 8 + 12 +
 * up to 28 of ETHs + 4 = 72 bytes (what we send stops at RETH + ImmDt,
 * 64; a full-PMTU payload has no pad).  The link needs PMTU plus this.
 */
#define SROCE_MAX_HDR_LEN	(SROCE_IPV4_HLEN + SROCE_UDP_HLEN + \
				 ROCE_BTH_LEN + ROCE_MAX_ETH_LEN + ROCE_ICRC_LEN)
/*
 * What the port MTU leaves for headers: rxe's RXE_MAX_HDR_LENGTH (notes
 * B.9), 8 more than needed, so that sroce and rxe on one link pick the
 * same MTU: 4096 from a 4176-byte link MTU, 1024 on a 1500-byte one.
 */
#define SROCE_HDR_ALLOWANCE	80
_Static_assert(SROCE_HDR_ALLOWANCE >= SROCE_MAX_HDR_LEN, "headers fit");

/*
 * The IPv4 and UDP header fields a RoCEv2 packet's ICRC covers (Annex A17;
 * notes B.10).  TOS, TTL and both checksums are not here: the ICRC counts
 * them as all ones.  Addresses in network order, the rest in host order.
 */
struct sroce_l3 {
	__be32 saddr;
	__be32 daddr;
	u16 ip_tot_len;
	u16 ip_id;
	u16 ip_frag_off;	/* flags << 13 | offset */
	u16 sport;
	u16 dport;
	u16 udp_len;
};

/* One piece of a packet's payload on transmit. */
struct sroce_frag {
	const void *addr;
	u32 len;
};

/*
 * A decoded RoCE packet.  sroce_parse() fills it from the wire; the
 * engines fill one to transmit and sroce_build*() encode it.  Only the
 * extended headers roce_opcode_info(bth.opcode) names are meaningful.
 */
struct sroce_pkt {
	struct roce_bth_fields bth;
	u32 info;			/* roce_opcode_info(bth.opcode) */
	struct roce_reth_fields reth;
	struct roce_aeth_fields aeth;
	u32 imm;			/* ImmDt, big-endian decoded */
	u32 ieth_rkey;
	/* rx: the payload in the received buffer (pad and ICRC excluded) */
	const u8 *payload;
	u32 paylen;
	/*
	 * tx: if nfrag, the payload is gathered from frag[] (the lengths sum
	 * to paylen); otherwise it is payload.
	 */
	u32 nfrag;
	struct sroce_frag frag[SROCE_MAX_SGE];
};

/*
 * Receive counters: every buffer given to sroce_parse() is counted in
 * rx_pkts and under exactly one of the others.
 */
#define SROCE_RX_STATS_LIST(X)						\
	X(rx_pkts)		/* handed to the parser */		\
	X(rx_ok)		/* accepted */				\
	X(rx_short)		/* shorter than its headers + ICRC */	\
	X(rx_bad_version)	/* BTH TVer != 0 */			\
	X(rx_bad_opcode)	/* not an RC opcode we know */		\
	X(rx_bad_pkey)		/* not the default partition */		\
	X(rx_bad_pad)		/* pad longer than the payload, or */	\
				/* payload + pad not whole words */	\
	X(rx_bad_len)		/* payload on an opcode without any */	\
	X(rx_too_long)		/* payload longer than the path MTU */	\
	X(rx_bad_icrc)

struct sroce_rx_stats {
#define SROCE_STAT_FIELD(name) u64 name;
	SROCE_RX_STATS_LIST(SROCE_STAT_FIELD)
#undef SROCE_STAT_FIELD
};

/* ---- icrc.c ---------------------------------------------------------------- */

/* crc32_le's register after the 8 bytes of 0xff that stand for the LRH. */
#define SROCE_ICRC_SEED		0xdebb20e3u

/*
 * The ICRC of the @len bytes at @bth (the BTH up to the end of the pad)
 * in the datagram that @l3 describes.  Stored on the wire least
 * significant byte first (notes B.10).
 */
u32 sroce_icrc(const struct sroce_l3 *l3, const u8 *bth, u32 len);
/* Write the ICRC over the @len bytes at @bth into the 4 bytes after them. */
void sroce_icrc_seal(const struct sroce_l3 *l3, u8 *bth, u32 len);
/* True if the last 4 of the @len bytes at @bth hold the right ICRC. */
bool sroce_icrc_ok(const struct sroce_l3 *l3, const u8 *bth, u32 len);

/*
 * Fill @l3 from a received IPv4 header and UDP header (raw bytes, 20 and
 * 8 of them).  -EPROTONOSUPPORT for IPv4 options (IHL != 5).
 */
int sroce_l3_decode(struct sroce_l3 *l3, const void *iph, const void *udph);
/*
 * Fill @l3 for a datagram we are about to send: @roce_len bytes of UDP
 * payload to port 4791, DF set, IP identification @ip_id.
 */
void sroce_l3_tx(struct sroce_l3 *l3, __be32 saddr, __be32 daddr, u16 sport,
		 u16 ip_id, u32 roce_len);

/* ---- pkt.c ----------------------------------------------------------------- */

/*
 * Decode and validate the @len bytes of UDP payload at @buf, received in
 * the datagram @l3 describes, for a QP whose path MTU is @pmtu bytes.
 * Fills @pkt (payload pointing into @buf) and returns 0, or returns
 * -EBADMSG (short, bad pad, payload where none belongs),
 * -EPROTONOSUPPORT (TVer), -EOPNOTSUPP (not an RC opcode), -EACCES
 * (P_Key), -EMSGSIZE (payload over @pmtu) or -EPROTO (ICRC).  Every
 * outcome bumps one counter in @st.  Never reads outside @buf[0..len).
 */
int sroce_parse(const struct sroce_l3 *l3, const u8 *buf, u32 len, u32 pmtu,
		struct sroce_pkt *pkt, struct sroce_rx_stats *st);
/*
 * The port's path MTU on a link of @link_mtu bytes (the netdev's MTU: the
 * largest IPv4 datagram): the largest enum roce_mtu whose packets fit with
 * SROCE_HDR_ALLOWANCE, or 0 when not even 256-byte payloads do.
 */
u32 sroce_link_pmtu(u32 link_mtu);
/* Bytes on the wire (UDP payload) of the packet @d describes. */
u32 sroce_pkt_len(const struct sroce_pkt *d);
/*
 * Encode @d into @buf (room for @cap bytes): headers, payload, zero pad
 * and, if @l3 is not NULL, the ICRC (else 4 zero bytes to seal later).
 * The pad count comes from d->paylen.  Returns the length written or
 * -ENOSPC / -EINVAL (an opcode we do not send, frags not summing up).
 */
int sroce_build_buf(u8 *buf, u32 cap, const struct sroce_pkt *d,
		    const struct sroce_l3 *l3);
/*
 * The same, appended at the tail of @pkt (which normally is empty with
 * NET_HEADROOM in front for UDP and IPv4).  -ENOSPC without tailroom.
 */
int sroce_build(struct pktbuf *pkt, const struct sroce_pkt *d,
		const struct sroce_l3 *l3);

#endif /* _SROCE_INTERNAL_H */
