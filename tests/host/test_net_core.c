// SPDX-License-Identifier: GPL-2.0
/*
 * net/core and the checksum: packet buffer bounds, the RFC 1071 checksum
 * against known vectors and a reference loop, Ethernet demux (own-MAC,
 * filter, EtherType), netdev_xmit() padding and test fault injection.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/errno.h>
#include <net/arp.h>
#include <net/byteorder.h>
#include <net/checksum.h>
#include <net/ethernet.h>
#include <net/ip.h>
#include <net/netdev_driver.h>

#include "../../net/internal.h"
#include "net_host.h"

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 1 };
static const u8 peer_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 2 };
static const u8 other_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 3 };
#define OUR_IP	IPV4_ADDR(10, 0, 0, 1)
#define PEER_IP	IPV4_ADDR(10, 0, 0, 2)

static int setup(void **state)
{
	(void)state;
	net_host_reset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arp_flush(NULL);
	assert_int_equal(net_host_live_objects(), 0);
	return 0;
}

/* ---- pktbuf ------------------------------------------------------------ */

static void pktbuf_push_pull_put_bounds(void **state)
{
	struct pktbuf *pkt = pktbuf_alloc(16, 100, GFP_KERNEL);
	u8 *p;

	(void)state;
	assert_non_null(pkt);
	assert_int_equal(pktbuf_headroom(pkt), 16);
	assert_true(pktbuf_tailroom(pkt) >= 100);
	assert_int_equal(pkt->len, 0);
	assert_null(pktbuf_pull(pkt, 1));
	assert_null(pktbuf_push(pkt, 17));
	p = pktbuf_push(pkt, 16);
	assert_ptr_equal(p, pkt->head);
	assert_int_equal(pkt->len, 16);
	assert_null(pktbuf_push(pkt, 1));
	assert_ptr_equal(pktbuf_pull(pkt, 16), p);
	assert_null(pktbuf_put(pkt, pktbuf_tailroom(pkt) + 1));
	p = pktbuf_put(pkt, pktbuf_tailroom(pkt));
	assert_non_null(p);
	assert_int_equal(pktbuf_tailroom(pkt), 0);
	assert_null(pktbuf_put(pkt, 1));
	pktbuf_trim(pkt, 10);
	assert_int_equal(pkt->len, 10);
	pktbuf_trim(pkt, 20);		/* never grows */
	assert_int_equal(pkt->len, 10);
	pktbuf_free(pkt);
}

static void pktbuf_sizes(void **state)
{
	struct pktbuf *pkt;

	(void)state;
	/* The driver's RX buffer fits the inline object. */
	pkt = pktbuf_alloc(NET_HEADROOM, 12 + ETH_FRAME_LEN + 4, GFP_KERNEL);
	assert_non_null(pkt);
	assert_ptr_equal(pkt->head, (u8 *)pkt + PKTBUF_INLINE_OFFSET);
	pktbuf_free(pkt);
	/* Jumbo: a separate buffer of the exact size. */
	pkt = pktbuf_alloc(NET_HEADROOM, 9000, GFP_KERNEL);
	assert_non_null(pkt);
	assert_int_equal(pkt->size, NET_HEADROOM + 9000);
	memset(pktbuf_put(pkt, 9000), 0x5a, 9000);
	pktbuf_free(pkt);
	assert_null(pktbuf_alloc(PKTBUF_MAX_SIZE, 1, GFP_KERNEL));
	assert_null(pktbuf_alloc(0xffffffffu, 2, GFP_KERNEL));	/* wraps */
	net_host_fail_after(0);
	assert_null(pktbuf_alloc(0, 10, GFP_KERNEL));
	net_host_fail_after(1);		/* struct yes, jumbo buffer no */
	assert_null(pktbuf_alloc(0, 4000, GFP_KERNEL));
	net_host_fail_after(-1);
}

static int destructed;

static void count_destructor(struct pktbuf *pkt)
{
	destructed++;
	pktbuf_release(pkt);
}

static void pktbuf_copy_and_destructor(void **state)
{
	struct pktbuf *pkt = pktbuf_alloc(32, 64, GFP_KERNEL), *copy;

	(void)state;
	memcpy(pktbuf_put(pkt, 5), "hello", 5);
	pkt->destructor = count_destructor;
	copy = pktbuf_copy(pkt, GFP_KERNEL);
	assert_non_null(copy);
	assert_int_equal(pktbuf_headroom(copy), 32);
	assert_int_equal(copy->len, 5);
	assert_memory_equal(copy->data, "hello", 5);
	assert_null(copy->destructor);
	pktbuf_free(copy);
	destructed = 0;
	pktbuf_free(pkt);
	assert_int_equal(destructed, 1);
	pktbuf_free(NULL);
}

/* ---- checksum ------------------------------------------------------------ */

/* RFC 1071 section 4.1, big-endian words, as the reference. */
static u16 ref_csum(const u8 *p, u32 len)
{
	u32 sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (u32)p[0] << 8 | p[1];
	if (len)
		sum += (u32)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/* The value csum_fold() stores, read back as a big-endian number. */
static u16 be_value(u16 stored)
{
	return ntohs(stored);
}

static void csum_rfc1071_example(void **state)
{
	/* RFC 1071 section 3: the sum of these bytes is ddf2. */
	static const u8 v[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	(void)state;
	assert_int_equal(be_value(inet_csum(v, sizeof(v))), (u16)~0xddf2);
}

static void csum_ipv4_header_vector(void **state)
{
	/* A well-known header whose checksum is b861. */
	u8 h[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00,
		     0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01,
		     0xc0, 0xa8, 0x00, 0xc7 };

	(void)state;
	assert_int_equal(be_value(inet_csum(h, 20)), 0xb861);
	h[10] = 0xb8;
	h[11] = 0x61;
	assert_int_equal(inet_csum(h, 20), 0);
	/* Misaligned: the same bytes one byte in. */
	{
		u8 odd[21];

		memcpy(odd + 1, h, 20);
		assert_int_equal(inet_csum(odd + 1, 20), 0);
	}
}

static void csum_odd_lengths(void **state)
{
	static const u8 one = 0x01;
	static const u8 three[] = { 0x12, 0x34, 0x56 };
	u8 buf[2000];
	u32 len, off;

	(void)state;
	assert_int_equal(be_value(inet_csum(&one, 1)), 0xfeff);
	assert_int_equal(be_value(inet_csum(three, 3)), (u16)~(0x1234 + 0x5600));
	assert_int_equal(be_value(inet_csum(buf, 0)), 0xffff);
	host_test_seed("csum_odd_lengths");
	for (len = 0; len < 300; len++) {
		for (off = 0; off < 4; off++) {
			rng_fill(buf + off, len);
			assert_int_equal(be_value(inet_csum(buf + off, len)),
					 ref_csum(buf + off, len));
		}
	}
	memset(buf, 0xff, sizeof(buf));	/* every carry */
	assert_int_equal(be_value(inet_csum(buf, sizeof(buf))),
			 ref_csum(buf, sizeof(buf)));
	assert_int_equal(be_value(inet_csum(buf, 1999)), ref_csum(buf, 1999));
}

static void csum_chaining_and_pseudo(void **state)
{
	u8 buf[64];
	u32 sum;

	(void)state;
	rng_fill(buf, sizeof(buf));
	sum = csum_partial(buf, 20, 0);
	sum = csum_partial(buf + 20, 33, sum);
	assert_int_equal(csum_fold(sum), inet_csum(buf, 53));
	/* Pseudo-header: the same as summing its 12 bytes. */
	{
		u8 ph[12] = { 10, 0, 0, 1, 10, 0, 0, 2, 0, IPPROTO_UDP, 0x01, 0x02 };

		assert_int_equal(csum_fold(csum_pseudo(IPV4_ADDR(10, 0, 0, 1),
						       IPV4_ADDR(10, 0, 0, 2),
						       0x0102, IPPROTO_UDP, 0)),
				 inet_csum(ph, 12));
	}
}

/* ---- byte order and addresses ---------------------------------------------- */

static void byteorder_and_parse(void **state)
{
	__be32 a;
	unsigned int prefix = 99;

	(void)state;
	assert_int_equal(htons(0x1234), 0x3412);
	assert_int_equal(ntohl(htonl(0x01020304)), 0x01020304);
	assert_int_equal(inet_parse_addr("10.0.0.1/24", &a, &prefix), 0);
	assert_int_equal(a, IPV4_ADDR(10, 0, 0, 1));
	assert_int_equal(prefix, 24);
	assert_int_equal(inet_parse_addr("255.255.255.255", &a, NULL), 0);
	assert_int_equal(a, INADDR_BROADCAST);
	assert_int_equal(inet_parse_addr("192.168.1.20\n", &a, NULL), 0);
	assert_int_equal(a, IPV4_ADDR(192, 168, 1, 20));
	assert_int_equal(inet_parse_addr("10.0.0.1/24", &a, NULL), -EINVAL);
	assert_int_equal(inet_parse_addr("10.0.0.1", &a, &prefix), -EINVAL);
	assert_int_equal(inet_parse_addr("10.0.0.1/33", &a, &prefix), -EINVAL);
	assert_int_equal(inet_parse_addr("10.0.0.256", &a, NULL), -EINVAL);
	assert_int_equal(inet_parse_addr("10.0.0", &a, NULL), -EINVAL);
	assert_int_equal(inet_parse_addr("10.0.0.1.2", &a, NULL), -EINVAL);
	assert_int_equal(inet_parse_addr("10..0.1", &a, NULL), -EINVAL);
	assert_int_equal(inet_parse_addr("0010.0.0.1", &a, NULL), -EINVAL);
	assert_int_equal(inet_parse_addr("+1.0.0.1", &a, NULL), -EINVAL);
	assert_int_equal(inet_parse_addr("", &a, NULL), -EINVAL);
	assert_int_equal(inet_parse_addr(NULL, &a, NULL), -EINVAL);
	assert_int_equal(inet_make_mask(24), htonl(0xffffff00));
	assert_int_equal(inet_make_mask(32), 0xffffffff);
	assert_int_equal(inet_make_mask(0), 0);
}

static void ipv4_configure_rules(void **state)
{
	struct netdev *dev = fake_netdev_create(our_mac, 0, 0);

	(void)state;
	assert_int_equal(ipv4_configure(dev, IPV4_ADDR(10, 0, 0, 0), 24), -EINVAL);
	assert_int_equal(ipv4_configure(dev, IPV4_ADDR(10, 0, 0, 255), 24), -EINVAL);
	assert_int_equal(ipv4_configure(dev, IPV4_ADDR(224, 0, 0, 1), 4), -EINVAL);
	assert_int_equal(ipv4_configure(dev, OUR_IP, 31), -EINVAL);
	assert_int_equal(ipv4_configure(dev, 0, 24), -EINVAL);
	assert_null(ip_route(PEER_IP));
	assert_int_equal(ipv4_configure(dev, OUR_IP, 24), 0);
	assert_ptr_equal(ip_route(PEER_IP), dev);
	assert_ptr_equal(ip_route(INADDR_BROADCAST), dev);
	assert_null(ip_route(IPV4_ADDR(10, 0, 1, 2)));
	assert_true(ip_is_broadcast(dev, IPV4_ADDR(10, 0, 0, 255)));
	assert_true(ip_is_local(dev, OUR_IP));
	assert_false(ip_is_local(dev, PEER_IP));
	fake_netdev_destroy(dev);
	assert_null(ip_route(PEER_IP));
}

/* ---- Ethernet receive --------------------------------------------------------- */

static int demo_calls;
static u32 demo_len;

static void demo_handler(struct netdev *dev, struct pktbuf *pkt)
{
	demo_calls++;
	demo_len = pkt->len;
	pktbuf_free(pkt);
}

static void eth_demux(void **state)
{
	struct netdev *dev = fake_netdev_create(our_mac, OUR_IP, 24);
	u8 f[64] = { 0 };

	(void)state;
	assert_int_equal(eth_register_handler(0x88b5, demo_handler), 0);
	assert_int_equal(eth_register_handler(0x88b5, demo_handler), -EEXIST);
	assert_int_equal(eth_register_handler(0x05dc, demo_handler), -EINVAL);
	assert_int_equal(eth_register_handler(0x88b6, NULL), -EINVAL);
	demo_calls = 0;

	memcpy(f, our_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = 0x88;
	f[13] = 0xb5;
	fake_rx(dev, f, 60);
	assert_int_equal(demo_calls, 1);
	assert_int_equal(demo_len, 60 - ETH_HLEN);

	memcpy(f, eth_broadcast_addr, 6);		/* broadcast: taken */
	fake_rx(dev, f, ETH_HLEN);
	assert_int_equal(demo_calls, 2);
	assert_int_equal(demo_len, 0);

	memcpy(f + 6, our_mac, 6);			/* looped back */
	fake_rx(dev, f, 60);
	assert_int_equal(dev->stats.rx_dropped_own, 1);

	memcpy(f, other_mac, 6);			/* someone else's */
	memcpy(f + 6, peer_mac, 6);
	fake_rx(dev, f, 60);
	f[0] = 0x01;					/* multicast */
	fake_rx(dev, f, 60);
	assert_int_equal(dev->stats.rx_dropped_filter, 2);

	memcpy(f, our_mac, 6);
	f[12] = 0x86;					/* IPv6: no handler */
	f[13] = 0xdd;
	fake_rx(dev, f, 60);
	f[12] = 0x00;					/* an 802.3 length */
	f[13] = 0x2e;
	fake_rx(dev, f, 60);
	assert_int_equal(dev->stats.rx_dropped_proto, 2);

	fake_rx(dev, f, ETH_HLEN - 1);			/* runt */
	fake_rx(dev, f, 0);
	assert_int_equal(dev->stats.rx_errors, 2);
	assert_int_equal(dev->stats.rx_packets, 9);
	assert_int_equal(demo_calls, 2);
	fake_netdev_destroy(dev);
}

/* ---- transmit ------------------------------------------------------------------ */

static void xmit_pads_and_refuses(void **state)
{
	struct netdev *dev = fake_netdev_create(our_mac, OUR_IP, 24);
	struct pktbuf *pkt;

	(void)state;
	/* An ARP request from the real code: 42 bytes, padded to 60. */
	assert_int_equal(arp_resolve(dev, PEER_IP), 0);
	pkt = fake_sent_pop(dev);
	assert_non_null(pkt);
	assert_int_equal(pkt->len, ETH_ZLEN);
	assert_int_equal(dev->stats.tx_packets, 1);
	assert_int_equal(dev->stats.tx_bytes, ETH_ZLEN);

	pkt->len = ETH_HLEN - 1;
	assert_int_equal(netdev_xmit(dev, pkt), -EMSGSIZE);
	pkt->len = ETH_FRAME_LEN + 1;
	assert_int_equal(netdev_xmit(dev, pkt), -EMSGSIZE);
	assert_int_equal(dev->stats.tx_errors, 2);
	dev->up = false;
	pkt->len = ETH_ZLEN;
	assert_int_equal(netdev_xmit(dev, pkt), -ENETDOWN);
	dev->up = true;
	fake_netdev_set_xmit_ret(dev, -EBUSY);
	assert_int_equal(netdev_xmit(dev, pkt), -EBUSY);
	assert_int_equal(dev->stats.tx_busy, 1);
	fake_netdev_set_xmit_ret(dev, 0);
	pktbuf_free(pkt);
	fake_netdev_destroy(dev);
}

static void xmit_fault_injection(void **state)
{
	struct netdev *dev = fake_netdev_create(our_mac, OUR_IP, 24);
	struct pktbuf *pkt;
	unsigned int i, n = 2000, sent;

	(void)state;
	net_test_seed = 42;
	net_test_loss = 100;		/* 10 % */
	for (i = 0; i < n; i++)
		arp_announce(dev);
	sent = fake_sent_count(dev);
	assert_int_equal(sent + dev->stats.tx_dropped_test, n);
	assert_in_range(dev->stats.tx_dropped_test, n / 20, n / 5);
	fake_sent_flush(dev);

	net_test_loss = 0;
	net_test_dup = 1000;		/* every frame twice */
	arp_announce(dev);
	assert_int_equal(fake_sent_count(dev), 2);
	assert_int_equal(dev->stats.tx_dup_test, 1);
	fake_sent_flush(dev);

	net_test_dup = 0;
	net_test_reorder = 1000;	/* held until the next one */
	arp_announce(dev);
	assert_int_equal(fake_sent_count(dev), 0);
	assert_non_null(dev->tx_held);
	arp_resolve(dev, PEER_IP);	/* the request passes the held frame */
	assert_int_equal(fake_sent_count(dev), 2);
	pkt = fake_sent_pop(dev);
	assert_int_equal(pkt->data[ETH_HLEN + 27], 2);	/* request for .2 first */
	pktbuf_free(pkt);
	arp_announce(dev);
	net_test_reorder = 0;
	netdev_flush_held(dev);
	assert_null(dev->tx_held);
	assert_int_equal(dev->stats.tx_reorder_test, 2);
	fake_netdev_destroy(dev);
}

static void xmit_runt_without_tailroom(void **state)
{
	struct netdev *dev = fake_netdev_create(our_mac, OUR_IP, 24);
	struct pktbuf *sent, *runt;
	u8 f[64];
	u32 len = build_arp(f, peer_mac, our_mac, 2, our_mac, OUR_IP, peer_mac,
			    PEER_IP);

	(void)state;
	/* Exactly 42 bytes of buffer: padded through a copy. */
	runt = fake_rx_pkt(f, len);
	assert_int_equal(netdev_xmit(dev, runt), 0);
	sent = fake_sent_pop(dev);
	assert_non_null(sent);
	assert_int_equal(sent->len, ETH_ZLEN);
	assert_memory_equal(sent->data, f, len);
	pktbuf_free(sent);
	/* No memory for the copy: refused, still the caller's. */
	runt = fake_rx_pkt(f, len);
	net_host_fail_after(0);
	assert_int_equal(netdev_xmit(dev, runt), -ENOMEM);
	net_host_fail_after(-1);
	/* Ring full: the copy is dropped, the original still the caller's. */
	fake_netdev_set_xmit_ret(dev, -EBUSY);
	assert_int_equal(netdev_xmit(dev, runt), -EBUSY);
	fake_netdev_set_xmit_ret(dev, 0);
	pktbuf_free(runt);
	fake_netdev_destroy(dev);
}

static void status_line_format(void **state)
{
	struct netdev *dev = fake_netdev_create(our_mac, 0, 0);
	char line[128];

	(void)state;
	assert_int_equal((uintptr_t)dev->priv % 64, 0);
	strcpy(dev->name, "eth0");
	dev->driver = "virtio-net";
	netdev_format_status(dev, line, sizeof(line));
	assert_string_equal(line, "eth0 52:54:00:00:00:01 no address link up (virtio-net)");
	assert_int_equal(ipv4_configure(dev, OUR_IP, 24), 0);
	dev->link_up = false;
	netdev_format_status(dev, line, sizeof(line));
	assert_string_equal(line, "eth0 52:54:00:00:00:01 10.0.0.1/24 link down (virtio-net)");
	dev->mtu = 9000;
	dev->link_up = true;
	netdev_format_status(dev, line, sizeof(line));
	assert_string_equal(line, "eth0 52:54:00:00:00:01 10.0.0.1/24 link up mtu 9000 (virtio-net)");
	netdev_print_status(dev);
	net_print_stats();
	fake_netdev_destroy(dev);
}

/* net.mtu=: 68..9000 in decimal, anything else leaves the MTU as it was. */
static void mtu_param(void **state)
{
	static const char *const bad[] = {
		"", "abc", "9000x", "-1", "1500 ", "0x2328", "99999999999",
		"9000\n\n",
	};
	unsigned int i;

	(void)state;
	assert_int_equal(netdev_mtu_wanted(), ETH_DATA_LEN);
	assert_int_equal(netdev_mtu_for(16000), ETH_DATA_LEN);
	assert_int_equal(netdev_mtu_for(1000), 1000);
	assert_int_equal(netdev_mtu_param("9000"), 0);
	assert_int_equal(netdev_mtu_wanted(), 9000);
	assert_int_equal(netdev_mtu_for(16226), 9000);
	assert_int_equal(netdev_mtu_for(4000), 4000);
	assert_int_equal(netdev_mtu_for(ETH_DATA_LEN), ETH_DATA_LEN);
	assert_int_equal(netdev_mtu_param("67"), -ERANGE);
	assert_int_equal(netdev_mtu_param("9001"), -ERANGE);
	assert_int_equal(netdev_mtu_param("0"), -ERANGE);
	assert_int_equal(netdev_mtu_param("70000"), -ERANGE);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(netdev_mtu_param(bad[i]), -EINVAL);
	assert_int_equal(netdev_mtu_param(NULL), -EINVAL);
	assert_int_equal(netdev_mtu_wanted(), 9000);
	assert_int_equal(netdev_mtu_param("68\n"), 0);
	assert_int_equal(netdev_mtu_for(16000), 68);
	assert_int_equal(netdev_mtu_param("01500"), 0);
	assert_int_equal(netdev_mtu_wanted(), ETH_DATA_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mtu_param),
		cmocka_unit_test_setup_teardown(pktbuf_push_pull_put_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(pktbuf_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(pktbuf_copy_and_destructor, setup, teardown),
		cmocka_unit_test_setup_teardown(csum_rfc1071_example, setup, teardown),
		cmocka_unit_test_setup_teardown(csum_ipv4_header_vector, setup, teardown),
		cmocka_unit_test_setup_teardown(csum_odd_lengths, setup, teardown),
		cmocka_unit_test_setup_teardown(csum_chaining_and_pseudo, setup, teardown),
		cmocka_unit_test_setup_teardown(byteorder_and_parse, setup, teardown),
		cmocka_unit_test_setup_teardown(ipv4_configure_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(eth_demux, setup, teardown),
		cmocka_unit_test_setup_teardown(xmit_pads_and_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(xmit_fault_injection, setup, teardown),
		cmocka_unit_test_setup_teardown(xmit_runt_without_tailroom, setup, teardown),
		cmocka_unit_test_setup_teardown(status_line_format, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
