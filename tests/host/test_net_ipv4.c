// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 input validation (net/ipv4/ip.c): one test per malformed case,
 * each dropped and counted under its own name while a good datagram gets
 * through; ICMP echo (net/ipv4/icmp.c).
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/err.h>
#include <lego/errno.h>
#include <net/arp.h>
#include <net/byteorder.h>
#include <net/checksum.h>
#include <net/ethernet.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/udp.h>

#include "../../net/internal.h"
#include "net_host.h"

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 1 };
static const u8 peer_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 2 };
static const u8 zero_mac[ETH_ALEN];
#define OUR_IP	IPV4_ADDR(10, 0, 0, 1)
#define PEER_IP	IPV4_ADDR(10, 0, 0, 2)
#define PORT	4791

static struct netdev *dev;
static struct udp_endpoint *ep;
static int delivered;

static void count_rx(struct udp_endpoint *e, struct pktbuf *pkt, __be32 saddr,
		     u16 sport)
{
	delivered++;
	pktbuf_free(pkt);
}

static int setup(void **state)
{
	(void)state;
	net_host_reset();
	dev = fake_netdev_create(our_mac, OUR_IP, 24);
	ep = udp_bind(PORT, count_rx, NULL);
	assert_false(IS_ERR(ep));
	delivered = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	udp_unbind(ep);
	fake_netdev_destroy(dev);
	assert_int_equal(net_host_live_objects(), 0);
	return 0;
}

/* A good UDP datagram for our endpoint: the base every case mutates. */
static u32 good(u8 *f)
{
	return build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1000, PORT,
			 "payload!", 8, true);
}

static u8 *iph(u8 *f)
{
	return f + ETH_HLEN;
}

/* Recompute the header checksum after a mutation. */
static void fix_csum(u8 *f)
{
	u8 *h = iph(f);
	u16 c;

	h[10] = h[11] = 0;
	c = inet_csum(h, (h[0] & 0xf) * 4);
	memcpy(h + 10, &c, 2);
}

static void set16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void good_datagram_is_delivered(void **state)
{
	u8 f[128];
	u32 len = good(f);

	(void)state;
	fake_rx(dev, f, len);
	assert_int_equal(delivered, 1);
	assert_int_equal(net_stats.ip_rx, 1);
	assert_int_equal(net_stats.udp_rx, 1);
	/* Padded to 60 bytes by the sender's NIC: trimmed, still good. */
	memset(f + len, 0, 60 - len);
	fake_rx(dev, f, 60);
	assert_int_equal(delivered, 2);
}

static void short_header(void **state)
{
	u8 f[128];
	u32 i;

	(void)state;
	good(f);
	for (i = 0; i < IP_HLEN; i++)
		fake_rx(dev, f, ETH_HLEN + i);
	assert_int_equal(net_stats.ip_rx_short, IP_HLEN);
	assert_int_equal(delivered, 0);
}

static void bad_version(void **state)
{
	u8 f[128];
	u32 len = good(f);

	(void)state;
	iph(f)[0] = 0x65;
	fix_csum(f);
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.ip_rx_bad_version, 1);
	assert_int_equal(delivered, 0);
}

static void bad_ihl(void **state)
{
	u8 f[128];
	u32 len = good(f);

	(void)state;
	iph(f)[0] = 0x44;			/* IHL 4 < 5 */
	fake_rx(dev, f, len);
	iph(f)[0] = 0x4f;			/* 60 bytes, past the frame */
	fake_rx(dev, f, ETH_HLEN + 40);
	assert_int_equal(net_stats.ip_rx_bad_ihl, 2);
	assert_int_equal(delivered, 0);
}

static void bad_total_length(void **state)
{
	u8 f[128];
	u32 len = good(f);

	(void)state;
	set16(iph(f) + 2, 19);			/* shorter than the header */
	fix_csum(f);
	fake_rx(dev, f, len);
	set16(iph(f) + 2, len - ETH_HLEN + 1);	/* longer than the frame */
	fix_csum(f);
	fake_rx(dev, f, len);
	set16(iph(f) + 2, 0xffff);
	fix_csum(f);
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.ip_rx_bad_len, 3);
	assert_int_equal(delivered, 0);
}

static void bad_checksum(void **state)
{
	u8 f[128];
	u32 len = good(f);

	(void)state;
	iph(f)[10] ^= 0x01;
	fake_rx(dev, f, len);
	good(f);
	iph(f)[8] = 1;				/* TTL changed, sum not */
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.ip_rx_bad_csum, 2);
	assert_int_equal(delivered, 0);
}

static void fragments_dropped(void **state)
{
	u8 f[128];
	u32 len = good(f);

	(void)state;
	set16(iph(f) + 6, IP_MF);		/* first fragment */
	fix_csum(f);
	fake_rx(dev, f, len);
	set16(iph(f) + 6, 185);			/* a later one */
	fix_csum(f);
	fake_rx(dev, f, len);
	set16(iph(f) + 6, 0);			/* DF clear: fine */
	fix_csum(f);
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.ip_rx_fragment, 2);
	assert_int_equal(delivered, 1);
}

static void destination_rules(void **state)
{
	static const __be32 ok[] = { OUR_IP, IPV4_ADDR(10, 0, 0, 255),
				     INADDR_BROADCAST };
	static const __be32 not_us[] = { IPV4_ADDR(10, 0, 0, 3),
					 IPV4_ADDR(10, 0, 1, 1),
					 IPV4_ADDR(224, 0, 0, 1), 0 };
	u8 f[128];
	unsigned int i;
	u32 len;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		len = build_udp(f, our_mac, peer_mac, PEER_IP, ok[i], 1000,
				PORT, "x", 1, true);
		fake_rx(dev, f, len);
	}
	assert_int_equal(delivered, ARRAY_SIZE(ok));
	for (i = 0; i < ARRAY_SIZE(not_us); i++) {
		len = build_udp(f, our_mac, peer_mac, PEER_IP, not_us[i], 1000,
				PORT, "x", 1, true);
		fake_rx(dev, f, len);
	}
	assert_int_equal(net_stats.ip_rx_not_for_us, ARRAY_SIZE(not_us));
	assert_int_equal(delivered, ARRAY_SIZE(ok));
}

static void source_rules(void **state)
{
	static const __be32 bad[] = { 0, OUR_IP, INADDR_BROADCAST,
				      IPV4_ADDR(10, 0, 0, 255),
				      IPV4_ADDR(239, 1, 2, 3) };
	u8 f[128];
	unsigned int i;
	u32 len;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		len = build_udp(f, our_mac, peer_mac, bad[i], OUR_IP, 1000,
				PORT, "x", 1, true);
		fake_rx(dev, f, len);
	}
	assert_int_equal(net_stats.ip_rx_bad_saddr, ARRAY_SIZE(bad));
	assert_int_equal(delivered, 0);
}

static void options_skipped_and_unknown_protocol(void **state)
{
	u8 f[128], g[128];
	u32 len = good(f);

	(void)state;
	/* Insert 4 bytes of options (NOP x3, EOL) after the header. */
	memcpy(g, f, ETH_HLEN + IP_HLEN);
	memcpy(g + ETH_HLEN + IP_HLEN, "\x01\x01\x01\x00", 4);
	memcpy(g + ETH_HLEN + IP_HLEN + 4, f + ETH_HLEN + IP_HLEN,
	       len - ETH_HLEN - IP_HLEN);
	iph(g)[0] = 0x46;
	set16(iph(g) + 2, len - ETH_HLEN + 4);
	fix_csum(g);
	fake_rx(dev, g, len + 4);
	assert_int_equal(delivered, 1);

	iph(f)[9] = 6;				/* TCP */
	fix_csum(f);
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.ip_rx_unknown_proto, 1);
}

static void no_address_no_input(void **state)
{
	u8 f[128];
	u32 len = good(f);

	(void)state;
	ipv4_unconfigure(dev);
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.ip_rx_no_iface, 1);
	assert_int_equal(delivered, 0);
	assert_int_equal(ipv4_configure(dev, OUR_IP, 24), 0);
}

/* ---- ICMP ------------------------------------------------------------------ */

static void learn_peer(void)
{
	u8 f[64];
	u32 len = build_arp(f, eth_broadcast_addr, peer_mac, ARPOP_REQUEST,
			    peer_mac, PEER_IP, zero_mac, OUR_IP);

	fake_rx(dev, f, len);
	fake_sent_flush(dev);
}

static void echo_is_answered(void **state)
{
	u8 f[1600], data[1472];
	struct pktbuf *pkt;
	u8 *icmp;
	u32 len, sizes[] = { 0, 1, 56, 1472 }, i;

	(void)state;
	learn_peer();
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		rng_fill(data, sizes[i]);
		len = build_icmp_echo(f, our_mac, peer_mac, PEER_IP, OUR_IP,
				      0x1234, i, data, sizes[i]);
		fake_rx(dev, f, len);
		pkt = fake_sent_pop(dev);	/* checked by net_fake.c */
		assert_non_null(pkt);
		assert_memory_equal(pkt->data, peer_mac, ETH_ALEN);
		icmp = pkt->data + ETH_HLEN + IP_HLEN;
		assert_int_equal(icmp[0], ICMP_ECHOREPLY);
		assert_memory_equal(icmp + 4, f + ETH_HLEN + IP_HLEN + 4,
				    4 + sizes[i]);
		pktbuf_free(pkt);
	}
	assert_int_equal(net_stats.icmp_tx_echo_reply, ARRAY_SIZE(sizes));
}

static void echo_waits_for_arp(void **state)
{
	u8 f[128];
	u32 len = build_icmp_echo(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1, 1,
				  "abc", 3);

	(void)state;
	fake_rx(dev, f, len);
	assert_int_equal(fake_sent_count(dev), 1);	/* the ARP request */
	learn_peer();			/* answers it; the reply goes out */
	assert_int_equal(net_stats.icmp_tx_echo_reply, 1);
}

static void bad_icmp(void **state)
{
	u8 f[128];
	u32 len;

	(void)state;
	learn_peer();
	len = build_icmp_echo(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1, 1,
			      "abc", 3);
	f[len - 1] ^= 0xff;			/* checksum no longer holds */
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.icmp_rx_bad_csum, 1);
	/* 7 bytes of ICMP: too short. */
	len = build_ipv4(f, our_mac, peer_mac, PEER_IP, OUR_IP, IPPROTO_ICMP,
			 "\x08\x00\xf7\xff\x00\x00\x00", 7);
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.icmp_rx_short, 1);
	/* A timestamp request (type 13), correct checksum: counted only. */
	len = build_ipv4(f, our_mac, peer_mac, PEER_IP, OUR_IP, IPPROTO_ICMP,
			 "\x0d\x00\xf2\xff\x00\x00\x00\x00", 8);
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.icmp_rx_other, 1);
	/* Echo to the broadcast address: ignored (RFC 1122 3.2.2.6). */
	len = build_icmp_echo(f, eth_broadcast_addr, peer_mac, PEER_IP,
			      IPV4_ADDR(10, 0, 0, 255), 1, 1, "abc", 3);
	fake_rx(dev, f, len);
	assert_int_equal(net_stats.icmp_rx_echo_bcast, 1);
	assert_int_equal(fake_sent_count(dev), 0);
	/* Memory short: no reply, counted. */
	len = build_icmp_echo(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1, 1,
			      "abc", 3);
	net_host_fail_after(0);		/* fake_rx() copies with malloc() */
	fake_rx(dev, f, len);
	net_host_fail_after(-1);
	assert_int_equal(net_stats.icmp_tx_errors, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(good_datagram_is_delivered, setup, teardown),
		cmocka_unit_test_setup_teardown(short_header, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_version, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_ihl, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_total_length, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_checksum, setup, teardown),
		cmocka_unit_test_setup_teardown(fragments_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(destination_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(source_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(options_skipped_and_unknown_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(no_address_no_input, setup, teardown),
		cmocka_unit_test_setup_teardown(echo_is_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(echo_waits_for_arp, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_icmp, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
