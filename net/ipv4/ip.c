// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 input and output for one interface on one subnet (RFC 791, with
 * the host rules of RFC 1122 section 3.2.1).
 *
 * Input checks, in order, every rule a datagram must pass before a byte
 * past its header is trusted; each failure is counted under its own name
 * (include/net/stats.h) and the datagram is dropped.  Fragments are
 * dropped too: every LegoOS sender sets DF and fits the MTU.
 * Output pushes a 20-byte header (no options, DF, TTL 64) into the
 * headroom and hands the datagram to ARP.
 */
#define pr_fmt(fmt) "ipv4: " fmt

#include <lego/errno.h>
#include <lego/kernel.h>
#include <net/arp.h>
#include <net/checksum.h>
#include <net/ethernet.h>
#include <net/ip.h>

#include "../internal.h"

/* The interface datagrams leave by: the first device configured. */
static struct netdev *ip_dev;
static u16 ip_next_id;

/* ---- configuration ------------------------------------------------------- */

int ipv4_configure(struct netdev *dev, __be32 addr, unsigned int prefix)
{
	__be32 mask;

	if (prefix < 1 || prefix > 30)
		return -EINVAL;
	mask = inet_make_mask(prefix);
	if (!addr || ipv4_is_multicast(addr) || addr == INADDR_BROADCAST)
		return -EINVAL;
	/* Neither the subnet's own address nor its broadcast. */
	if (!(addr & ~mask) || (addr & ~mask) == ~mask)
		return -EINVAL;
	dev->ip_mask = mask;
	dev->ip_prefix = prefix;
	WRITE_ONCE(dev->ip_addr, addr);
	if (!ip_dev)
		WRITE_ONCE(ip_dev, dev);
	return 0;
}

void ipv4_unconfigure(struct netdev *dev)
{
	WRITE_ONCE(dev->ip_addr, 0);
	dev->ip_mask = 0;
	dev->ip_prefix = 0;
	if (ip_dev == dev)
		WRITE_ONCE(ip_dev, NULL);
	arp_flush(dev);
}

struct netdev *ip_default_dev(void)
{
	return READ_ONCE(ip_dev);
}

bool ip_is_broadcast(const struct netdev *dev, __be32 addr)
{
	return addr == INADDR_BROADCAST ||
	       (dev->ip_addr && addr == (dev->ip_addr | ~dev->ip_mask));
}

bool ip_is_local(const struct netdev *dev, __be32 addr)
{
	return (dev->ip_addr && addr == dev->ip_addr) ||
	       ip_is_broadcast(dev, addr);
}

struct netdev *ip_route(__be32 daddr)
{
	struct netdev *dev = READ_ONCE(ip_dev);

	if (!dev || !dev->ip_addr)
		return NULL;
	if (daddr == INADDR_BROADCAST ||
	    !((daddr ^ dev->ip_addr) & dev->ip_mask))
		return dev;
	return NULL;
}

/* ---- input ---------------------------------------------------------------- */

/*
 * The header checks of RFC 791 3.1 and RFC 1122 3.2.1.1-3.2.1.3; on
 * success the datagram is trimmed to its total length (Ethernet pads
 * short frames) and 0 is returned.
 */
static int ip_validate(struct netdev *dev, struct pktbuf *pkt)
{
	const struct iphdr *iph = (const struct iphdr *)pkt->data;
	unsigned int hlen, tot;

	if (pkt->len < IP_HLEN)
		return NET_DROP(ip_rx_short);
	if ((iph->ver_ihl >> 4) != 4)			/* 3.2.1.1 */
		return NET_DROP(ip_rx_bad_version);
	hlen = ip_hdr_len(iph);
	if (hlen < IP_HLEN || hlen > pkt->len)		/* IHL >= 5 */
		return NET_DROP(ip_rx_bad_ihl);
	tot = ntohs(iph->tot_len);
	if (tot < hlen || tot > pkt->len)
		return NET_DROP(ip_rx_bad_len);
	pktbuf_trim(pkt, tot);
	if (inet_csum(iph, hlen))			/* 3.2.1.2 */
		return NET_DROP(ip_rx_bad_csum);
	if (ntohs(iph->frag_off) & (IP_MF | IP_OFFMASK))
		return NET_DROP(ip_rx_fragment);
	if (!ip_is_local(dev, iph->daddr))
		return NET_DROP(ip_rx_not_for_us);
	/* 3.2.1.3: never a broadcast or multicast source; nor 0 or ours. */
	if (!iph->saddr || iph->saddr == dev->ip_addr ||
	    ip_is_broadcast(dev, iph->saddr) || ipv4_is_multicast(iph->saddr))
		return NET_DROP(ip_rx_bad_saddr);
	return 0;
}

void ip_rcv(struct netdev *dev, struct pktbuf *pkt)
{
	const struct iphdr *iph = (const struct iphdr *)pkt->data;
	__be32 saddr, daddr;
	u8 proto;

	NET_INC(ip_rx);
	if (unlikely(!dev->ip_addr)) {
		NET_INC(ip_rx_no_iface);
		goto drop;
	}
	if (unlikely(ip_validate(dev, pkt)))
		goto drop;
	saddr = iph->saddr;
	daddr = iph->daddr;
	proto = iph->protocol;
	pkt->network_header = pkt->data - pkt->head;
	pktbuf_pull(pkt, ip_hdr_len(iph));	/* options are ignored */
	pkt->transport_header = pkt->data - pkt->head;
	switch (proto) {
	case IPPROTO_UDP:
		udp_rcv(dev, pkt, saddr, daddr);
		return;
	case IPPROTO_ICMP:
		icmp_rcv(dev, pkt, saddr, daddr);
		return;
	default:
		NET_INC(ip_rx_unknown_proto);
	}
drop:
	pktbuf_free(pkt);
}

/* ---- output --------------------------------------------------------------- */

static void ip_build_header(struct netdev *dev, struct iphdr *iph, u16 tot,
			    __be32 daddr, u8 protocol)
{
	iph->ver_ihl = 0x45;
	iph->tos = 0;
	iph->tot_len = htons(tot);
	iph->id = htons(__atomic_fetch_add(&ip_next_id, 1, __ATOMIC_RELAXED));
	iph->frag_off = htons(IP_DF);
	iph->ttl = IP_DEFAULT_TTL;
	iph->protocol = protocol;
	iph->check = 0;
	iph->saddr = dev->ip_addr;
	iph->daddr = daddr;
	iph->check = inet_csum(iph, IP_HLEN);
}

int ip_output(struct netdev *dev, struct pktbuf *pkt, __be32 daddr,
	      u8 protocol)
{
	struct iphdr *iph;
	int ret;

	if (unlikely(!dev || !dev->ip_addr)) {
		NET_INC(ip_tx_no_route);
		ret = -ENETUNREACH;
		goto drop;
	}
	if (unlikely(pkt->len + IP_HLEN > dev->mtu)) {
		NET_INC(ip_tx_too_big);
		ret = -EMSGSIZE;
		goto drop;
	}
	iph = pktbuf_push(pkt, IP_HLEN);
	if (unlikely(!iph)) {
		NET_INC(ip_tx_errors);
		ret = -ENOSPC;
		goto drop;
	}
	ip_build_header(dev, iph, pkt->len, daddr, protocol);
	pkt->network_header = pkt->data - pkt->head;
	NET_INC(ip_tx);
	ret = arp_output(dev, pkt, daddr);
	if (unlikely(ret))
		NET_INC(ip_tx_errors);
	return ret;

drop:
	pktbuf_free(pkt);
	return ret;
}

int ip_init(void)
{
	return eth_register_handler(ETH_P_IP, ip_rcv);
}
