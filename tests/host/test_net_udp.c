// SPDX-License-Identifier: GPL-2.0
/*
 * UDP endpoints (net/ipv4/udp.c, echo.c): bind and unbind, demux by port,
 * checksum verified on input (0 = none) and generated on output (a
 * computed 0 sent as ffff), every drop counted, size limits, zero-copy
 * send, the echo service, and all of that at a jumbo MTU.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/err.h>
#include <lego/errno.h>
#include <net/arp.h>
#include <net/byteorder.h>
#include <net/ethernet.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/netdev_driver.h>
#include <net/udp.h>

#include "../../net/internal.h"
#include "net_host.h"

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 1 };
static const u8 peer_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 2 };
static const u8 zero_mac[ETH_ALEN];
#define OUR_IP	IPV4_ADDR(10, 0, 0, 1)
#define PEER_IP	IPV4_ADDR(10, 0, 0, 2)

static struct netdev *dev;

/* What the last rx callback saw. */
static struct {
	int calls;
	struct udp_endpoint *ep;
	__be32 saddr;
	u16 sport;
	u8 data[NETDEV_MAX_MTU];
	u32 len;
	__be32 daddr_in_header;
} got;

static void record_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
		      __be32 saddr, u16 sport)
{
	const struct iphdr *iph = pktbuf_network_header(pkt);

	got.calls++;
	got.ep = ep;
	got.saddr = saddr;
	got.sport = sport;
	got.len = pkt->len;
	memcpy(got.data, pkt->data, pkt->len);
	got.daddr_in_header = iph->daddr;
	pktbuf_free(pkt);
}

static void learn_peer(void)
{
	u8 f[64];
	u32 len = build_arp(f, eth_broadcast_addr, peer_mac, ARPOP_REQUEST,
			    peer_mac, PEER_IP, zero_mac, OUR_IP);

	fake_rx(dev, f, len);
	fake_sent_flush(dev);
}

static int setup(void **state)
{
	(void)state;
	net_host_reset();
	dev = fake_netdev_create(our_mac, OUR_IP, 24);
	memset(&got, 0, sizeof(got));
	learn_peer();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fake_netdev_destroy(dev);
	assert_int_equal(udp_nr_endpoints(), 0);
	assert_int_equal(net_host_live_objects(), 0);
	return 0;
}

static void bind_rules(void **state)
{
	struct udp_endpoint *a, *b, *e1, *e2;

	(void)state;
	a = udp_bind(7, record_rx, NULL);
	assert_false(IS_ERR(a));
	assert_int_equal(a->port, 7);
	assert_true(a->tx_csum);
	b = udp_bind(7, record_rx, NULL);
	assert_int_equal(PTR_ERR(b), -EADDRINUSE);
	assert_int_equal(PTR_ERR(udp_bind(8, NULL, NULL)), -EINVAL);
	e1 = udp_bind(0, record_rx, NULL);
	e2 = udp_bind(0, record_rx, NULL);
	assert_false(IS_ERR(e1));
	assert_false(IS_ERR(e2));
	assert_true(e1->port >= UDP_EPHEMERAL_FIRST);
	assert_true(e2->port >= UDP_EPHEMERAL_FIRST);
	assert_int_not_equal(e1->port, e2->port);
	assert_int_equal(udp_nr_endpoints(), 3);
	udp_unbind(a);
	a = udp_bind(7, record_rx, NULL);	/* free again */
	assert_false(IS_ERR(a));
	udp_unbind(a);
	udp_unbind(e1);
	udp_unbind(e2);
	udp_unbind(NULL);
	net_host_fail_after(0);
	assert_int_equal(PTR_ERR(udp_bind(9, record_rx, NULL)), -ENOMEM);
	net_host_fail_after(-1);
}

static void demux_by_port(void **state)
{
	struct udp_endpoint *a = udp_bind(1000, record_rx, (void *)1);
	struct udp_endpoint *b = udp_bind(1000 + 64, record_rx, (void *)2);
	u8 f[256];
	u32 len;

	(void)state;
	/* 1000 and 1064 share a hash bucket. */
	len = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 3333, 1064,
			"to b", 4, true);
	fake_rx(dev, f, len);
	assert_int_equal(got.calls, 1);
	assert_ptr_equal(got.ep, b);
	assert_int_equal(got.saddr, PEER_IP);
	assert_int_equal(got.sport, 3333);
	assert_int_equal(got.len, 4);
	assert_memory_equal(got.data, "to b", 4);
	assert_int_equal(got.daddr_in_header, OUR_IP);

	len = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 3333, 1000,
			"", 0, false);		/* empty, no checksum */
	fake_rx(dev, f, len);
	assert_int_equal(got.calls, 2);
	assert_ptr_equal(got.ep, a);
	assert_int_equal(got.len, 0);

	len = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 3333, 1128,
			"nobody", 6, true);
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.udp_rx_no_port, 1);
	assert_int_equal(got.calls, 2);
	udp_unbind(a);
	udp_unbind(b);
}

static void bad_datagrams(void **state)
{
	struct udp_endpoint *ep = udp_bind(1000, record_rx, NULL);
	u8 f[256];
	u32 len, i;

	(void)state;
	len = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1, 1000,
			"abcdef", 6, true);
	f[len - 1] ^= 0x20;			/* payload changed */
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.udp_rx_bad_csum, 1);

	/* Shorter than a UDP header: IPv4 total lengths 20..27. */
	for (i = 0; i < UDP_HLEN; i++) {
		len = build_ipv4(f, our_mac, peer_mac, PEER_IP, OUR_IP,
				 IPPROTO_UDP, "\x00\x01\x03\xe8\x00\x08\x00", i);
		fake_rx(dev, f, len);
	}
	assert_int_equal(net_stats.udp_rx_short, UDP_HLEN);

	/* Length field below 8, and past the IPv4 payload. */
	len = build_ipv4(f, our_mac, peer_mac, PEER_IP, OUR_IP, IPPROTO_UDP,
			 "\x00\x01\x03\xe8\x00\x07\x00\x00", 8);
	fake_rx(dev, f, len);
	len = build_ipv4(f, our_mac, peer_mac, PEER_IP, OUR_IP, IPPROTO_UDP,
			 "\x00\x01\x03\xe8\x00\x0a\x00\x00\x41", 9);
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.udp_rx_bad_len, 2);

	/* Shorter length field than the IPv4 payload: trimmed, delivered. */
	len = build_ipv4(f, our_mac, peer_mac, PEER_IP, OUR_IP, IPPROTO_UDP,
			 "\x00\x01\x03\xe8\x00\x09\x00\x00\x41\x42", 10);
	fake_rx(dev, f, len);
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.len, 1);
	assert_int_equal(got.data[0], 0x41);
	udp_unbind(ep);
}

static struct pktbuf *pop_udp(u16 *check, u8 **payload)
{
	struct pktbuf *pkt = fake_sent_pop(dev);
	u8 *u;

	assert_non_null(pkt);		/* net_fake.c checked it */
	u = pkt->data + ETH_HLEN + IP_HLEN;
	*check = (u16)(u[6] << 8 | u[7]);
	*payload = u + UDP_HLEN;
	return pkt;
}

static void send_and_checksum(void **state)
{
	struct udp_endpoint *ep = udp_bind(4000, record_rx, NULL);
	struct pktbuf *pkt;
	u16 check, c0;
	u8 *payload, zero2[2] = { 0, 0 }, p2[2];

	(void)state;
	assert_int_equal(udp_sendto(ep, PEER_IP, 5000, "hi", 2), 0);
	pkt = pop_udp(&check, &payload);
	assert_int_not_equal(check, 0);
	assert_memory_equal(payload, "hi", 2);
	assert_memory_equal(pkt->data, peer_mac, ETH_ALEN);
	pktbuf_free(pkt);

	/* A payload whose checksum comes out 0 must be sent as ffff. */
	assert_int_equal(udp_sendto(ep, PEER_IP, 5000, zero2, 2), 0);
	pkt = pop_udp(&c0, &payload);
	pktbuf_free(pkt);
	p2[0] = c0 >> 8;
	p2[1] = c0 & 0xff;
	assert_int_equal(udp_sendto(ep, PEER_IP, 5000, p2, 2), 0);
	pkt = pop_udp(&check, &payload);
	assert_int_equal(check, 0xffff);
	pktbuf_free(pkt);

	ep->tx_csum = false;			/* the RoCEv2 way */
	assert_int_equal(udp_sendto(ep, PEER_IP, 5000, "hi", 2), 0);
	pkt = pop_udp(&check, &payload);
	assert_int_equal(check, 0);
	pktbuf_free(pkt);
	assert_int_equal(net_stats.udp_tx, 4);
	udp_unbind(ep);
}

static void send_limits(void **state)
{
	struct udp_endpoint *ep = udp_bind(4000, record_rx, NULL);
	static u8 big[UDP_MAX_PAYLOAD + 1];
	struct pktbuf *pkt;
	u16 check;
	u8 *payload;

	(void)state;
	assert_int_equal(udp_sendto(ep, PEER_IP, 5000, big, 0), 0);
	pkt = pop_udp(&check, &payload);
	assert_int_equal(pkt->len, ETH_ZLEN);	/* 42 bytes, padded */
	pktbuf_free(pkt);
	assert_int_equal(udp_sendto(ep, PEER_IP, 5000, big, UDP_MAX_PAYLOAD), 0);
	pkt = pop_udp(&check, &payload);
	assert_int_equal(pkt->len, ETH_FRAME_LEN);
	pktbuf_free(pkt);
	assert_int_equal(udp_sendto(ep, PEER_IP, 5000, big, UDP_MAX_PAYLOAD + 1),
			 -EMSGSIZE);
	assert_int_equal(udp_sendto(ep, PEER_IP, 5000, big, 0xffffffffu),
			 -EMSGSIZE);
	assert_int_equal(udp_sendto(ep, PEER_IP, 0, "x", 1), -EINVAL);
	assert_int_equal(udp_sendto(ep, IPV4_ADDR(10, 0, 1, 2), 5000, "x", 1),
			 -ENETUNREACH);
	net_host_fail_after(0);
	assert_int_equal(udp_sendto(ep, PEER_IP, 5000, "x", 1), -ENOMEM);
	net_host_fail_after(-1);
	fake_netdev_set_xmit_ret(dev, -EBUSY);
	assert_int_equal(udp_sendto(ep, PEER_IP, 5000, "x", 1), -EBUSY);
	fake_netdev_set_xmit_ret(dev, 0);
	assert_int_equal(dev->stats.tx_busy, 1);
	assert_int_equal(net_stats.udp_tx_errors, 6);
	assert_int_equal(fake_sent_count(dev), 0);

	/* Broadcast: no ARP, the broadcast MAC. */
	assert_int_equal(udp_sendto(ep, INADDR_BROADCAST, 5000, "x", 1), 0);
	pkt = pop_udp(&check, &payload);
	assert_true(is_broadcast_ether_addr(pkt->data));
	pktbuf_free(pkt);
	udp_unbind(ep);
}

static void zero_copy_send(void **state)
{
	struct udp_endpoint *ep = udp_bind(4000, record_rx, NULL);
	struct pktbuf *pkt;
	u16 check;
	u8 *payload;

	(void)state;
	pkt = pktbuf_alloc(NET_HEADROOM, 100, GFP_KERNEL);
	memcpy(pktbuf_put(pkt, 5), "zcopy", 5);
	assert_int_equal(udp_send_pkt(ep, pkt, PEER_IP, 5000), 0);
	pkt = pop_udp(&check, &payload);
	assert_memory_equal(payload, "zcopy", 5);
	pktbuf_free(pkt);
	/* Too little headroom for the headers: refused and freed. */
	pkt = pktbuf_alloc(ETH_HLEN + IP_HLEN, 100, GFP_KERNEL);
	memcpy(pktbuf_put(pkt, 5), "zcopy", 5);
	assert_int_equal(udp_send_pkt(ep, pkt, PEER_IP, 5000), -ENOSPC);
	pkt = pktbuf_alloc(ETH_HLEN + UDP_HLEN, 100, GFP_KERNEL);
	memcpy(pktbuf_put(pkt, 5), "zcopy", 5);
	assert_int_equal(udp_send_pkt(ep, pkt, PEER_IP, 5000), -ENOSPC);
	/* One failed to push its Ethernet header, one its IPv4 header. */
	assert_int_equal(net_stats.ip_tx_errors, 2);
	udp_unbind(ep);
}

static void echo_service(void **state)
{
	u8 f[1600], data[UDP_MAX_PAYLOAD];
	struct udp_endpoint *echo;
	struct pktbuf *pkt;
	u8 *u;
	u32 len, sizes[] = { 1, 18, 100, UDP_MAX_PAYLOAD }, i;

	(void)state;
	echo = udp_echo_start(7);
	assert_false(IS_ERR(echo));
	assert_int_equal(PTR_ERR(udp_echo_start(7)), -EADDRINUSE);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		rng_fill(data, sizes[i]);
		len = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 40000 + i,
				7, data, sizes[i], i & 1);
		fake_rx(dev, f, len);
		pkt = fake_sent_pop(dev);	/* the same buffer, sent back */
		assert_non_null(pkt);
		u = pkt->data + ETH_HLEN + IP_HLEN;
		assert_int_equal(u[0] << 8 | u[1], 7);
		assert_int_equal(u[2] << 8 | u[3], 40000 + i);
		assert_memory_equal(u + UDP_HLEN, data, sizes[i]);
		pktbuf_free(pkt);
	}
	/* Not to broadcasts, not to port 0. */
	len = build_udp(f, eth_broadcast_addr, peer_mac, PEER_IP,
			INADDR_BROADCAST, 40000, 7, "x", 1, true);
	fake_rx(dev, f, len);
	len = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 0, 7, "x", 1,
			true);
	fake_rx(dev, f, len);
	assert_int_equal(fake_sent_count(dev), 0);
	udp_unbind(echo);
}

/*
 * A jumbo MTU: the limits follow the device, whole 9000-byte datagrams go
 * out and come in, and the echo service and ICMP answer them unfragmented.
 */
static void jumbo_mtu(void **state)
{
	static u8 f[ETH_HLEN + NETDEV_MAX_MTU], data[NETDEV_MAX_MTU];
	struct udp_endpoint *ep = udp_bind(4000, record_rx, NULL);
	struct udp_endpoint *echo = udp_echo_start(7);
	u32 max = NETDEV_MAX_MTU - IP_HLEN - UDP_HLEN, len;
	struct pktbuf *pkt;
	u16 check;
	u8 *payload;

	(void)state;
	dev->mtu = NETDEV_MAX_MTU;
	assert_int_equal(udp_max_payload(dev), 8972);
	rng_fill(data, max);
	assert_int_equal(udp_sendto(ep, PEER_IP, 5000, data, max), 0);
	pkt = pop_udp(&check, &payload);
	assert_int_equal(pkt->len, ETH_HLEN + NETDEV_MAX_MTU);
	assert_memory_equal(payload, data, max);
	pktbuf_free(pkt);
	assert_int_equal(udp_sendto(ep, PEER_IP, 5000, data, max + 1),
			 -EMSGSIZE);
	assert_int_equal(fake_sent_count(dev), 0);

	/* 8000 bytes in, echoed in the buffer they came in. */
	len = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 40000, 7, data,
			8000, true);
	fake_rx(dev, f, len);
	pkt = fake_sent_pop(dev);
	assert_non_null(pkt);
	assert_int_equal(pkt->len, ETH_HLEN + IP_HLEN + UDP_HLEN + 8000);
	assert_memory_equal(pkt->data + ETH_HLEN + IP_HLEN + UDP_HLEN, data,
			    8000);
	pktbuf_free(pkt);

	/* A whole-MTU datagram reaches its endpoint. */
	len = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 40001, 4000,
			data, max, true);
	assert_int_equal(len, ETH_HLEN + NETDEV_MAX_MTU);
	fake_rx(dev, f, len);
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.len, max);

	/* An 8000-byte ping: one 8028-byte reply. */
	len = build_icmp_echo(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1, 1,
			      data, 8000);
	fake_rx(dev, f, len);
	pkt = fake_sent_pop(dev);
	assert_non_null(pkt);
	assert_int_equal(pkt->len, ETH_HLEN + IP_HLEN + ICMP_HLEN + 8000);
	assert_memory_equal(pkt->data + ETH_HLEN + IP_HLEN + ICMP_HLEN, data,
			    8000);
	pktbuf_free(pkt);
	assert_int_equal(net_stats.ip_rx_bad_len, 0);
	udp_unbind(echo);
	udp_unbind(ep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(bind_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(demux_by_port, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_datagrams, setup, teardown),
		cmocka_unit_test_setup_teardown(send_and_checksum, setup, teardown),
		cmocka_unit_test_setup_teardown(send_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(zero_copy_send, setup, teardown),
		cmocka_unit_test_setup_teardown(echo_service, setup, teardown),
		cmocka_unit_test_setup_teardown(jumbo_mtu, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
