// SPDX-License-Identifier: GPL-2.0
/*
 * A fake NIC for the net/ host tests and fuzz target, a checker of the
 * frames the stack sends, and frame builders (see net_host.h).
 *
 * The checker and the builders compute checksums with their own
 * word-by-word RFC 1071 loop, not with net/ipv4/checksum.c, so that the
 * two implementations check each other.
 */
#include <stdio.h>
#include <stdlib.h>

#undef __always_inline
#undef offsetof

#include <lego/kernel.h>
#include <lego/list.h>
#include <lego/string.h>
#include <net/arp.h>
#include <net/ethernet.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/netdev_driver.h>
#include <net/udp.h>

#include "net_host.h"

struct fake_nic {
	struct list_head sent;
	unsigned int nsent;
	int xmit_ret;
};

/* RFC 1071 section 4.1, on big-endian 16-bit words. */
static u16 ref_csum_add(const u8 *p, u32 len, u32 sum)
{
	while (len > 1) {
		sum += (u32)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (u32)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)sum;
}

static u16 ref_csum(const u8 *p, u32 len, u32 sum)
{
	return (u16)~ref_csum_add(p, len, sum);
}

static u32 ref_pseudo(const u8 *iph, u16 ulen)
{
	return ref_csum_add(iph + 12, 8, 0) + IPPROTO_UDP + ulen;
}

static u16 get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* ---- the fake device ---------------------------------------------------- */

static int fake_open(struct netdev *dev)
{
	return 0;
}

static int fake_xmit(struct netdev *dev, struct pktbuf *pkt)
{
	struct fake_nic *nic = dev->priv;
	const char *why = net_check_frame(dev, pkt->data, pkt->len);

	if (why) {
		fprintf(stderr, "fake0: the stack sent a bad frame: %s\n", why);
		abort();
	}
	if (nic->xmit_ret)
		return nic->xmit_ret;
	list_add_tail(&pkt->list, &nic->sent);
	nic->nsent++;
	return 0;
}

static int fake_poll(struct netdev *dev, int budget)
{
	return 0;
}

static void fake_irq_enable(struct netdev *dev, bool enable)
{
}

static const struct netdev_ops fake_ops = {
	.open = fake_open,
	.xmit = fake_xmit,
	.poll = fake_poll,
	.irq_enable = fake_irq_enable,
};

struct netdev *fake_netdev_create(const u8 *mac, __be32 ip,
				  unsigned int prefix)
{
	struct netdev *dev = netdev_alloc(sizeof(struct fake_nic));
	struct fake_nic *nic;

	if (!dev)
		abort();
	nic = dev->priv;
	INIT_LIST_HEAD(&nic->sent);
	strscpy(dev->name, "fake0", sizeof(dev->name));
	memcpy(dev->mac, mac, ETH_ALEN);
	dev->driver = "fake";
	dev->ops = &fake_ops;
	dev->link_up = true;
	dev->up = true;
	if (ip && ipv4_configure(dev, ip, prefix))
		abort();
	return dev;
}

void fake_netdev_destroy(struct netdev *dev)
{
	ipv4_unconfigure(dev);
	fake_sent_flush(dev);
	netdev_free(dev);
}

void fake_netdev_set_xmit_ret(struct netdev *dev, int ret)
{
	((struct fake_nic *)dev->priv)->xmit_ret = ret;
}

unsigned int fake_sent_count(struct netdev *dev)
{
	return ((struct fake_nic *)dev->priv)->nsent;
}

struct pktbuf *fake_sent_pop(struct netdev *dev)
{
	struct fake_nic *nic = dev->priv;
	struct pktbuf *pkt;

	if (list_empty(&nic->sent))
		return NULL;
	pkt = list_first_entry(&nic->sent, struct pktbuf, list);
	list_del_init(&pkt->list);
	nic->nsent--;
	return pkt;
}

void fake_sent_flush(struct netdev *dev)
{
	struct pktbuf *pkt;

	while ((pkt = fake_sent_pop(dev)))
		pktbuf_free(pkt);
}

/* ---- received frames with exact bounds ---------------------------------- */

static void fake_rx_destructor(struct pktbuf *pkt)
{
	free(pkt->head);
	free(pkt);
}

struct pktbuf *fake_rx_pkt(const void *frame, u32 len)
{
	struct pktbuf *pkt = calloc(1, sizeof(*pkt));

	if (!pkt)
		abort();
	pkt->head = malloc(NET_HEADROOM + len + (len ? 0 : 1));
	if (!pkt->head)
		abort();
	pkt->size = NET_HEADROOM + len;
	pkt->data = pkt->head + NET_HEADROOM;
	pkt->len = len;
	memcpy(pkt->data, frame, len);
	INIT_LIST_HEAD(&pkt->list);
	pkt->destructor = fake_rx_destructor;
	return pkt;
}

void fake_rx(struct netdev *dev, const void *frame, u32 len)
{
	netdev_rx(dev, fake_rx_pkt(frame, len));
}

/* ---- the checker ---------------------------------------------------------- */

static const char *check_arp(const struct netdev *dev, const u8 *f, u32 len)
{
	const u8 *a = f + ETH_HLEN;
	u16 op;

	if (len < ETH_HLEN + 28)
		return "ARP: short";
	if (get16(a) != ARPHRD_ETHER || get16(a + 2) != ETH_P_IP ||
	    a[4] != 6 || a[5] != 4)
		return "ARP: bad hardware/protocol fields";
	op = get16(a + 6);
	if (memcmp(a + 8, dev->mac, 6))
		return "ARP: sender MAC is not ours";
	if (memcmp(a + 14, &dev->ip_addr, 4))
		return "ARP: sender IP is not ours";
	if (op == ARPOP_REQUEST) {
		if (!is_zero_ether_addr(a + 18))
			return "ARP request: target MAC not zero";
		if (!is_broadcast_ether_addr(f) && is_multicast_ether_addr(f))
			return "ARP request: multicast destination";
		return NULL;
	}
	if (op != ARPOP_REPLY)
		return "ARP: bad opcode";
	if (memcmp(f, a + 18, 6) || is_multicast_ether_addr(f))
		return "ARP reply: not unicast to the target";
	return NULL;
}

static const char *check_udp(const u8 *iph, const u8 *u, u32 len)
{
	u16 check = get16(u + 6);

	if (len < UDP_HLEN || get16(u + 4) != len)
		return "UDP: length field does not match IPv4";
	if (!get16(u) || !get16(u + 2))
		return "UDP: port 0";
	if (check && ref_csum(u, len, ref_pseudo(iph, len)))
		return "UDP: bad checksum";
	return NULL;
}

static const char *check_icmp(const u8 *c, u32 len)
{
	if (len < ICMP_HLEN)
		return "ICMP: short";
	if (ref_csum(c, len, 0))
		return "ICMP: bad checksum";
	if (c[0] != ICMP_ECHOREPLY || c[1])
		return "ICMP: we only send echo replies";
	return NULL;
}

static const char *check_ipv4(const struct netdev *dev, const u8 *f, u32 len)
{
	const u8 *iph = f + ETH_HLEN;
	u32 tot, i;
	__be32 daddr;

	if (len < ETH_HLEN + IP_HLEN)
		return "IPv4: short";
	tot = get16(iph + 2);
	if (iph[0] != 0x45 || tot < IP_HLEN || ETH_HLEN + tot > len)
		return "IPv4: bad version, IHL or total length";
	if (ETH_HLEN + tot < len && len != ETH_ZLEN)
		return "IPv4: trailing bytes that are not runt padding";
	for (i = ETH_HLEN + tot; i < len; i++)
		if (f[i])
			return "IPv4: non-zero padding";
	if (ref_csum(iph, IP_HLEN, 0))
		return "IPv4: bad header checksum";
	if (iph[8] != IP_DEFAULT_TTL || get16(iph + 6) != IP_DF)
		return "IPv4: TTL not 64 or not DF";
	if (memcmp(iph + 12, &dev->ip_addr, 4))
		return "IPv4: source is not our address";
	memcpy(&daddr, iph + 16, 4);
	if (!daddr || ipv4_is_multicast(daddr) || daddr == dev->ip_addr)
		return "IPv4: bad destination";
	if (is_broadcast_ether_addr(f) != ip_is_broadcast(dev, daddr))
		return "IPv4: broadcast MAC and address disagree";
	if (iph[9] == IPPROTO_UDP)
		return check_udp(iph, iph + IP_HLEN, tot - IP_HLEN);
	if (iph[9] == IPPROTO_ICMP)
		return check_icmp(iph + IP_HLEN, tot - IP_HLEN);
	return "IPv4: protocol we never send";
}

const char *net_check_frame(const struct netdev *dev, const u8 *f, u32 len)
{
	if (len < ETH_ZLEN)
		return "runt: not padded to 60 bytes";
	if (len > ETH_HLEN + dev->mtu)
		return "longer than the device's MTU";
	if (memcmp(f + 6, dev->mac, 6))
		return "source MAC is not ours";
	if (is_zero_ether_addr(f))
		return "zero destination MAC";
	switch (get16(f + 12)) {
	case ETH_P_ARP:
		return check_arp(dev, f, len);
	case ETH_P_IP:
		return check_ipv4(dev, f, len);
	}
	return "EtherType we never send";
}

/* ---- builders --------------------------------------------------------------- */

static u32 build_eth(u8 *buf, const u8 *dst, const u8 *src, u16 type)
{
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	put16(buf + 12, type);
	return ETH_HLEN;
}

u32 build_arp(u8 *buf, const u8 *eth_dst, const u8 *eth_src, u16 op,
	      const u8 *sha, __be32 sip, const u8 *tha, __be32 tip)
{
	u8 *a = buf + build_eth(buf, eth_dst, eth_src, ETH_P_ARP);

	put16(a, ARPHRD_ETHER);
	put16(a + 2, ETH_P_IP);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, &sip, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, &tip, 4);
	return ETH_HLEN + 28;
}

u32 build_ipv4(u8 *buf, const u8 *eth_dst, const u8 *eth_src, __be32 saddr,
	       __be32 daddr, u8 proto, const void *l4, u32 l4_len)
{
	u8 *iph = buf + build_eth(buf, eth_dst, eth_src, ETH_P_IP);

	memset(iph, 0, IP_HLEN);
	iph[0] = 0x45;
	put16(iph + 2, IP_HLEN + l4_len);
	put16(iph + 4, 0x1234);
	put16(iph + 6, IP_DF);
	iph[8] = 64;
	iph[9] = proto;
	memcpy(iph + 12, &saddr, 4);
	memcpy(iph + 16, &daddr, 4);
	put16(iph + 10, ref_csum(iph, IP_HLEN, 0));
	memcpy(iph + IP_HLEN, l4, l4_len);
	return ETH_HLEN + IP_HLEN + l4_len;
}

u32 build_udp(u8 *buf, const u8 *eth_dst, const u8 *eth_src, __be32 saddr,
	      __be32 daddr, u16 sport, u16 dport, const void *data, u32 len,
	      bool csum)
{
	u8 *u = buf + ETH_HLEN + IP_HLEN;
	u32 flen = build_ipv4(buf, eth_dst, eth_src, saddr, daddr, IPPROTO_UDP,
			      "", 0);
	u16 c;

	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, UDP_HLEN + len);
	put16(u + 6, 0);
	memcpy(u + UDP_HLEN, data, len);
	/* Fix the IPv4 total length and checksum for the payload. */
	put16(buf + ETH_HLEN + 2, IP_HLEN + UDP_HLEN + len);
	put16(buf + ETH_HLEN + 10, 0);
	put16(buf + ETH_HLEN + 10, ref_csum(buf + ETH_HLEN, IP_HLEN, 0));
	if (csum) {
		c = ref_csum(u, UDP_HLEN + len,
			     ref_pseudo(buf + ETH_HLEN, UDP_HLEN + len));
		put16(u + 6, c ? c : 0xffff);
	}
	return flen + UDP_HLEN + len;
}

u32 build_icmp_echo(u8 *buf, const u8 *eth_dst, const u8 *eth_src,
		    __be32 saddr, __be32 daddr, u16 id, u16 seq,
		    const void *data, u32 len)
{
	u8 icmp[ICMP_HLEN + NETDEV_MAX_MTU];

	if (len > NETDEV_MAX_MTU - IP_HLEN - ICMP_HLEN)
		len = NETDEV_MAX_MTU - IP_HLEN - ICMP_HLEN;
	icmp[0] = ICMP_ECHO;
	icmp[1] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 4, id);
	put16(icmp + 6, seq);
	memcpy(icmp + ICMP_HLEN, data, len);
	put16(icmp + 2, ref_csum(icmp, ICMP_HLEN + len, 0));
	return build_ipv4(buf, eth_dst, eth_src, saddr, daddr, IPPROTO_ICMP,
			  icmp, ICMP_HLEN + len);
}
