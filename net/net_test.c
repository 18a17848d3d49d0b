// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `net`: the stack inside one node, with no peer and no
 * loopback.  A fake device ("ktest-nic", on 192.0.2.0/24, TEST-NET-1 of
 * RFC 5737 so that it never meets a real address) captures what the
 * stack sends, and frames are fed back through netdev_rx(): the real
 * code paths, from pktbuf to UDP.  With a NIC and `net.ip=` the boot
 * status line is checked against the device.
 */
#include <lego/err.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/list.h>
#include <lego/mm.h>
#include <lego/spinlock.h>
#include <net/arp.h>
#include <net/checksum.h>
#include <net/ethernet.h>
#include <net/ip.h>
#include <net/netdev_driver.h>
#include <net/udp.h>

#include "internal.h"

#define TEST_IP		IPV4_ADDR(192, 0, 2, 1)
#define TEST_PEER	IPV4_ADDR(192, 0, 2, 2)

static const u8 test_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };
static const u8 peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };

/* ---- a device that keeps what it is given ------------------------------- */

struct ktest_nic {
	spinlock_t lock;
	struct list_head sent;
	unsigned int nsent;
};

static int knic_open(struct netdev *dev)
{
	return 0;
}

static int knic_xmit(struct netdev *dev, struct pktbuf *pkt)
{
	struct ktest_nic *nic = dev->priv;
	unsigned long flags;

	spin_lock_irqsave(&nic->lock, flags);
	list_add_tail(&pkt->list, &nic->sent);
	nic->nsent++;
	spin_unlock_irqrestore(&nic->lock, flags);
	return 0;
}

static int knic_poll(struct netdev *dev, int budget)
{
	return 0;
}

static void knic_irq_enable(struct netdev *dev, bool enable)
{
}

static const struct netdev_ops knic_ops = {
	.open = knic_open,
	.xmit = knic_xmit,
	.poll = knic_poll,
	.irq_enable = knic_irq_enable,
};

static struct netdev *knic_create(void)
{
	struct netdev *dev = netdev_alloc(sizeof(struct ktest_nic));
	struct ktest_nic *nic;

	if (!dev)
		return NULL;
	nic = dev->priv;
	spin_lock_init(&nic->lock);
	INIT_LIST_HEAD(&nic->sent);
	strscpy(dev->name, "ktest-nic", sizeof(dev->name));
	memcpy(dev->mac, test_mac, ETH_ALEN);
	dev->driver = "ktest";
	dev->ops = &knic_ops;
	dev->link_up = true;
	dev->up = true;
	if (ipv4_configure(dev, TEST_IP, 24)) {
		netdev_free(dev);
		return NULL;
	}
	return dev;
}

static struct pktbuf *knic_pop(struct netdev *dev)
{
	struct ktest_nic *nic = dev->priv;
	struct pktbuf *pkt = NULL;
	unsigned long flags;

	spin_lock_irqsave(&nic->lock, flags);
	if (!list_empty(&nic->sent)) {
		pkt = list_first_entry(&nic->sent, struct pktbuf, list);
		list_del_init(&pkt->list);
		nic->nsent--;
	}
	spin_unlock_irqrestore(&nic->lock, flags);
	return pkt;
}

static void knic_destroy(struct netdev *dev)
{
	struct pktbuf *pkt;

	ipv4_unconfigure(dev);
	while ((pkt = knic_pop(dev)))
		pktbuf_free(pkt);
	netdev_free(dev);
}

/* Feed a copy of @len bytes at @frame to the stack, as a driver would. */
static void knic_rx(struct netdev *dev, const void *frame, u32 len)
{
	struct pktbuf *pkt = pktbuf_alloc(NET_HEADROOM, len, GFP_KERNEL);

	if (!pkt)
		return;
	memcpy(pktbuf_put(pkt, len), frame, len);
	netdev_rx(dev, pkt);
}

/* ---- pktbuf and checksum --------------------------------------------------- */

static void pktbuf_bounds(struct ktest *t)
{
	struct pktbuf *pkt = pktbuf_alloc(NET_HEADROOM, ETH_FRAME_LEN, GFP_KERNEL);
	u32 tail;

	KTEST_ASSERT_NOT_NULL(t, pkt);
	KTEST_EXPECT_EQ(t, pktbuf_headroom(pkt), NET_HEADROOM);
	KTEST_EXPECT_NULL(t, pktbuf_pull(pkt, 1));
	KTEST_EXPECT_NULL(t, pktbuf_push(pkt, NET_HEADROOM + 1));
	KTEST_EXPECT_NOT_NULL(t, pktbuf_push(pkt, NET_HEADROOM));
	KTEST_EXPECT_NULL(t, pktbuf_push(pkt, 1));
	KTEST_EXPECT_NOT_NULL(t, pktbuf_pull(pkt, NET_HEADROOM));
	tail = pktbuf_tailroom(pkt);
	KTEST_EXPECT_GE(t, tail, ETH_FRAME_LEN);
	KTEST_EXPECT_NULL(t, pktbuf_put(pkt, tail + 1));
	KTEST_EXPECT_NOT_NULL(t, pktbuf_put(pkt, tail));
	KTEST_EXPECT_EQ(t, pktbuf_tailroom(pkt), 0);
	pktbuf_trim(pkt, 60);
	KTEST_EXPECT_EQ(t, pkt->len, 60);
	pktbuf_free(pkt);
}

/* A frame buffer must be physically contiguous: a DMA target. */
static void pktbuf_contiguous(struct ktest *t)
{
	struct pktbuf *pkt = pktbuf_alloc(NET_HEADROOM, ETH_FRAME_LEN, GFP_KERNEL);
	struct pktbuf *jumbo = pktbuf_alloc(NET_HEADROOM, 9000, GFP_KERNEL);
	unsigned long a, b;

	KTEST_ASSERT_NOT_NULL(t, pkt);
	a = (unsigned long)pkt->head;
	b = a + pkt->size - 1;
	KTEST_EXPECT_EQ(t, a >> PAGE_SHIFT, b >> PAGE_SHIFT);
	KTEST_EXPECT_EQ(t, (unsigned long)pkt & (PKTBUF_OBJ_SIZE - 1), 0);
	pktbuf_free(pkt);
	KTEST_ASSERT_NOT_NULL(t, jumbo);
	a = __pa(jumbo->head);
	b = __pa(jumbo->head + jumbo->size - 1);
	KTEST_EXPECT_EQ(t, b - a, jumbo->size - 1);
	pktbuf_free(jumbo);
}

static void checksum_vectors(struct ktest *t)
{
	static const u8 rfc1071[] = { 0x00, 0x01, 0xf2, 0x03,
				      0xf4, 0xf5, 0xf6, 0xf7 };
	static const u8 odd[] = { 0x12, 0x34, 0x56 };

	KTEST_EXPECT_EQ(t, ntohs(inet_csum(rfc1071, 8)), (u16)~0xddf2);
	KTEST_EXPECT_EQ(t, ntohs(inet_csum(odd, 3)), (u16)~(0x1234 + 0x5600));
	KTEST_EXPECT_EQ(t, ntohs(inet_csum(odd + 1, 1)), (u16)~0x3400);
}

/* ---- ARP and UDP through the real paths ------------------------------------ */

/* Pop the next frame; its EtherType, or 0 if none. */
static u16 pop_type(struct netdev *dev, u8 *copy, u32 cap, u32 *len)
{
	struct pktbuf *pkt = knic_pop(dev);
	u16 type;

	*len = 0;
	if (!pkt)
		return 0;
	type = ntohs(((struct ethhdr *)pkt->data)->h_proto);
	*len = min(pkt->len, cap);
	memcpy(copy, pkt->data, *len);
	pktbuf_free(pkt);
	return type;
}

static u32 make_arp(u8 *f, u16 op, __be32 tip)
{
	struct ethhdr *eth = (struct ethhdr *)f;
	struct arphdr *arp = (struct arphdr *)(f + ETH_HLEN);

	memcpy(eth->h_dest, op == ARPOP_REPLY ? test_mac : eth_broadcast_addr,
	       ETH_ALEN);
	memcpy(eth->h_source, peer_mac, ETH_ALEN);
	eth->h_proto = htons(ETH_P_ARP);
	arp->ar_hrd = htons(ARPHRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = 4;
	arp->ar_op = htons(op);
	memcpy(arp->ar_sha, peer_mac, ETH_ALEN);
	arp->ar_sip = TEST_PEER;
	memset(arp->ar_tha, 0, ETH_ALEN);
	arp->ar_tip = tip;
	return ETH_HLEN + sizeof(*arp);
}

static void null_rx(struct udp_endpoint *ep, struct pktbuf *pkt, __be32 saddr,
		    u16 sport)
{
	pktbuf_free(pkt);
}

static void arp_queue_then_send(struct ktest *t)
{
	struct netdev *dev = knic_create();
	struct udp_endpoint *ep;
	struct arp_info info;
	u8 f[ETH_FRAME_LEN];
	struct arphdr *arp = (struct arphdr *)(f + ETH_HLEN);
	u32 len;

	KTEST_ASSERT_NOT_NULL(t, dev);
	ep = udp_bind(0, null_rx, NULL);
	if (IS_ERR(ep)) {
		ktest_fail(t, __FILE__, __LINE__, "udp_bind: %ld", PTR_ERR(ep));
		goto out_dev;
	}
	ep->dev = dev;
	KTEST_EXPECT_EQ(t, udp_sendto(ep, TEST_PEER, 9, "queued", 6), 0);
	KTEST_EXPECT_EQ(t, pop_type(dev, f, sizeof(f), &len), ETH_P_ARP);
	KTEST_EXPECT_EQ(t, len, ETH_ZLEN);
	KTEST_EXPECT_TRUE(t, is_broadcast_ether_addr(f));
	KTEST_EXPECT_EQ(t, ntohs(arp->ar_op), ARPOP_REQUEST);
	KTEST_EXPECT_EQ(t, arp->ar_tip, TEST_PEER);
	KTEST_EXPECT_EQ(t, arp->ar_sip, TEST_IP);
	KTEST_EXPECT_EQ(t, arp_lookup(dev, TEST_PEER, &info), 0);
	KTEST_EXPECT_EQ(t, info.state, ARP_INCOMPLETE);
	KTEST_EXPECT_EQ(t, info.queued, 1);

	knic_rx(dev, f, make_arp(f, ARPOP_REPLY, TEST_IP));
	KTEST_EXPECT_EQ(t, pop_type(dev, f, sizeof(f), &len), ETH_P_IP);
	KTEST_EXPECT_TRUE(t, ether_addr_equal(f, peer_mac));
	KTEST_EXPECT_EQ(t, arp_lookup(dev, TEST_PEER, &info), 0);
	KTEST_EXPECT_EQ(t, info.state, ARP_REACHABLE);
	KTEST_EXPECT_TRUE(t, ether_addr_equal(info.mac, peer_mac));
	udp_unbind(ep);
out_dev:
	knic_destroy(dev);
	KTEST_EXPECT_EQ(t, arp_lookup(dev, TEST_PEER, &info), -ENOENT);
}

static struct {
	int calls;
	__be32 saddr;
	u16 sport;
	u32 len;
	u8 data[16];
} got;

static void record_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
		      __be32 saddr, u16 sport)
{
	got.calls++;
	got.saddr = saddr;
	got.sport = sport;
	got.len = pkt->len;
	memcpy(got.data, pkt->data, min_t(u32, pkt->len, sizeof(got.data)));
	pktbuf_free(pkt);
}

/* Swap source and destination: both checksums stay valid (sums commute). */
static void turn_around(u8 *f)
{
	struct ethhdr *eth = (struct ethhdr *)f;
	struct iphdr *iph = (struct iphdr *)(f + ETH_HLEN);
	struct udphdr *uh = (struct udphdr *)(f + ETH_HLEN + IP_HLEN);
	u8 mac[ETH_ALEN];
	__be32 a;
	__be16 p;

	memcpy(mac, eth->h_dest, ETH_ALEN);
	memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	memcpy(eth->h_source, mac, ETH_ALEN);
	a = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = a;
	p = uh->source;
	uh->source = uh->dest;
	uh->dest = p;
}

static void udp_frame_roundtrip(struct ktest *t)
{
	struct netdev *dev = knic_create();
	u8 f[ETH_FRAME_LEN];
	struct iphdr *iph = (struct iphdr *)(f + ETH_HLEN);
	struct udphdr *uh = (struct udphdr *)(f + ETH_HLEN + IP_HLEN);
	struct udp_endpoint *ep;
	u64 bad_csum = net_stats.udp_rx_bad_csum;
	u32 len;

	KTEST_ASSERT_NOT_NULL(t, dev);
	memset(&got, 0, sizeof(got));
	ep = udp_bind(0, record_rx, NULL);
	if (IS_ERR(ep)) {
		ktest_fail(t, __FILE__, __LINE__, "udp_bind: %ld", PTR_ERR(ep));
		goto out_dev;
	}
	ep->dev = dev;
	knic_rx(dev, f, make_arp(f, ARPOP_REQUEST, TEST_IP));	/* learn peer */
	KTEST_EXPECT_EQ(t, pop_type(dev, f, sizeof(f), &len), ETH_P_ARP);

	KTEST_EXPECT_EQ(t, udp_sendto(ep, TEST_PEER, 4791, "hello", 5), 0);
	KTEST_EXPECT_EQ(t, pop_type(dev, f, sizeof(f), &len), ETH_P_IP);
	KTEST_EXPECT_EQ(t, len, ETH_ZLEN);	/* 47 bytes, padded */
	KTEST_EXPECT_TRUE(t, ether_addr_equal(f, peer_mac));
	KTEST_EXPECT_EQ(t, iph->ver_ihl, 0x45);
	KTEST_EXPECT_EQ(t, ntohs(iph->tot_len), IP_HLEN + UDP_HLEN + 5);
	KTEST_EXPECT_EQ(t, iph->ttl, IP_DEFAULT_TTL);
	KTEST_EXPECT_EQ(t, iph->protocol, IPPROTO_UDP);
	KTEST_EXPECT_EQ(t, inet_csum(iph, IP_HLEN), 0);
	KTEST_EXPECT_EQ(t, iph->saddr, TEST_IP);
	KTEST_EXPECT_EQ(t, iph->daddr, TEST_PEER);
	KTEST_EXPECT_EQ(t, ntohs(uh->source), ep->port);
	KTEST_EXPECT_EQ(t, ntohs(uh->dest), 4791);
	KTEST_EXPECT_EQ(t, ntohs(uh->len), UDP_HLEN + 5);
	KTEST_EXPECT_NE(t, uh->check, 0);
	KTEST_EXPECT_EQ(t, csum_fold(csum_pseudo(TEST_IP, TEST_PEER, UDP_HLEN + 5,
						 IPPROTO_UDP,
						 csum_partial(uh, UDP_HLEN + 5, 0))),
			0);

	turn_around(f);				/* the peer answers */
	knic_rx(dev, f, len);
	KTEST_EXPECT_EQ(t, got.calls, 1);
	KTEST_EXPECT_EQ(t, got.saddr, TEST_PEER);
	KTEST_EXPECT_EQ(t, got.sport, 4791);
	KTEST_EXPECT_EQ(t, got.len, 5);
	KTEST_EXPECT_EQ(t, memcmp(got.data, "hello", 5), 0);

	f[ETH_HLEN + IP_HLEN + UDP_HLEN + 4] ^= 1;	/* a payload bit */
	knic_rx(dev, f, len);
	KTEST_EXPECT_EQ(t, got.calls, 1);
	KTEST_EXPECT_EQ(t, net_stats.udp_rx_bad_csum, bad_csum + 1);
	udp_unbind(ep);
out_dev:
	knic_destroy(dev);
}

/* ---- the boot status line ---------------------------------------------------- */

static void status_line(struct ktest *t)
{
	struct netdev *dev = netdev_get(net_dev_name);
	char line[128], want[128];

	if (!dev) {
		ktest_skip(t, "no network device");
		return;
	}
	if (!net_ip_set) {
		ktest_skip(t, "no net.ip= on the command line");
		return;
	}
	KTEST_EXPECT_EQ(t, dev->ip_addr, net_ip_addr);
	KTEST_EXPECT_EQ(t, dev->ip_prefix, net_ip_prefix);
	KTEST_EXPECT_EQ(t, dev->ip_mask, inet_make_mask(net_ip_prefix));
	KTEST_EXPECT_TRUE(t, dev->link_up);
	KTEST_EXPECT_FALSE(t, is_zero_ether_addr(dev->mac));
	KTEST_EXPECT_FALSE(t, is_multicast_ether_addr(dev->mac));
	KTEST_ASSERT_NOT_NULL(t, dev->driver);
	netdev_format_status(dev, line, sizeof(line));
	ktest_log(t, "%s", line);
	if (dev->mtu == ETH_DATA_LEN)
		snprintf(want, sizeof(want), "%s %pM %pI4/%u link up (%s)",
			 dev->name, dev->mac, &net_ip_addr, net_ip_prefix,
			 dev->driver);
	else
		snprintf(want, sizeof(want), "%s %pM %pI4/%u link up mtu %u (%s)",
			 dev->name, dev->mac, &net_ip_addr, net_ip_prefix,
			 dev->mtu, dev->driver);
	KTEST_EXPECT_EQ(t, strcmp(line, want), 0);
	KTEST_EXPECT_TRUE(t, ip_default_dev() == dev);
}

static const struct ktest_case net_cases[] = {
	KTEST_CASE(pktbuf_bounds),
	KTEST_CASE(pktbuf_contiguous),
	KTEST_CASE(checksum_vectors),
	KTEST_CASE(arp_queue_then_send),
	KTEST_CASE(udp_frame_roundtrip),
	KTEST_CASE(status_line),
	{}
};
KTEST_SUITE(net, net_cases);
