/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ethernet II framing (IEEE 802.3 clause 3 with an EtherType) and the
 * table that hands received frames to protocols by EtherType.
 */
#ifndef _NET_ETHERNET_H
#define _NET_ETHERNET_H

#include <lego/compiler.h>
#include <lego/string.h>
#include <lego/types.h>
#include <net/byteorder.h>
#include <net/netdev.h>

#define ETH_ZLEN	60	/* shortest frame without the FCS; we pad to it */
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
/* Values below this are 802.3 lengths, not EtherTypes. */
#define ETH_P_802_3_MIN	0x0600

struct ethhdr {
	u8 h_dest[ETH_ALEN];
	u8 h_source[ETH_ALEN];
	__be16 h_proto;
} __packed;
_Static_assert(sizeof(struct ethhdr) == ETH_HLEN, "ethhdr");

extern const u8 eth_broadcast_addr[ETH_ALEN];

static inline bool ether_addr_equal(const u8 *a, const u8 *b)
{
	return !memcmp(a, b, ETH_ALEN);
}

/* Group bit: broadcast and multicast (IEEE 802-2014 8.2.2). */
static inline bool is_multicast_ether_addr(const u8 *a)
{
	return a[0] & 1;
}

static inline bool is_broadcast_ether_addr(const u8 *a)
{
	return ether_addr_equal(a, eth_broadcast_addr);
}

static inline bool is_zero_ether_addr(const u8 *a)
{
	static const u8 zero[ETH_ALEN];

	return ether_addr_equal(a, zero);
}

/*
 * Receive handler for one EtherType, called from netdev_rx() with
 * pkt->data just past the Ethernet header (still in the headroom) and
 * ownership of @pkt.  At most ETH_MAX_HANDLERS; -EEXIST if taken, -ENOSPC
 * when full.  Registration happens at boot; lookups take no lock.
 */
#define ETH_MAX_HANDLERS	8
int eth_register_handler(u16 ethertype, netdev_rx_handler_t fn);

/*
 * Prepend an Ethernet header from @dev's MAC to @dst; -ENOSPC when the
 * headroom is short (the frame is then unchanged).
 */
int eth_push_header(struct netdev *dev, struct pktbuf *pkt, const u8 *dst,
		    u16 ethertype);

#endif /* _NET_ETHERNET_H */
