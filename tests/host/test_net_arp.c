// SPDX-License-Identifier: GPL-2.0
/*
 * The ARP cache (net/ipv4/arp.c): resolution with a queue, the retry
 * limit, expiry and refresh, answering requests, announcements, and
 * every malformed packet dropped and counted.  Time is the fake clock of
 * net_host.c; arp_tick() is called as the housekeeping thread would.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/err.h>
#include <lego/errno.h>
#include <lego/time.h>
#include <net/arp.h>
#include <net/byteorder.h>
#include <net/ethernet.h>
#include <net/ip.h>
#include <net/udp.h>

#include "../../net/internal.h"
#include "net_host.h"

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 1 };
static const u8 peer_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 2 };
static const u8 new_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 9 };
static const u8 zero_mac[ETH_ALEN];
#define OUR_IP	IPV4_ADDR(10, 0, 0, 1)
#define PEER_IP	IPV4_ADDR(10, 0, 0, 2)
#define THIRD_IP IPV4_ADDR(10, 0, 0, 3)

static struct netdev *dev;
static struct udp_endpoint *ep;

static void no_rx(struct udp_endpoint *e, struct pktbuf *pkt, __be32 saddr,
		  u16 sport)
{
	pktbuf_free(pkt);
}

static int setup(void **state)
{
	(void)state;
	net_host_reset();
	dev = fake_netdev_create(our_mac, OUR_IP, 24);
	ep = udp_bind(5000, no_rx, NULL);
	assert_false(IS_ERR(ep));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	udp_unbind(ep);
	fake_netdev_destroy(dev);
	assert_int_equal(arp_nr_entries(), 0);
	assert_int_equal(net_host_live_objects(), 0);
	return 0;
}

/* The oldest frame sent: its EtherType, its destination MAC, freed. */
static u16 pop_frame(u8 *dst, u8 *arp_body)
{
	struct pktbuf *pkt = fake_sent_pop(dev);
	u16 type;

	assert_non_null(pkt);
	if (dst)
		memcpy(dst, pkt->data, ETH_ALEN);
	type = pkt->data[12] << 8 | pkt->data[13];
	if (arp_body && type == ETH_P_ARP)
		memcpy(arp_body, pkt->data + ETH_HLEN, 28);
	pktbuf_free(pkt);
	return type;
}

static void peer_says(u16 op, const u8 *sha, __be32 sip, __be32 tip)
{
	u8 f[64];
	u32 len = build_arp(f, op == ARPOP_REPLY ? our_mac : eth_broadcast_addr,
			    sha, op, sha, sip,
			    op == ARPOP_REPLY ? our_mac : zero_mac, tip);

	fake_rx(dev, f, len);
}

static void send_udp(__be32 to)
{
	assert_int_equal(udp_sendto(ep, to, 7, "ping", 4), 0);
}

static enum arp_state state_of(__be32 ip)
{
	struct arp_info info;

	assert_int_equal(arp_lookup(dev, ip, &info), 0);
	return info.state;
}

static void resolve_queues_then_sends(void **state)
{
	struct arp_info info;
	u8 dst[ETH_ALEN], arp[28];

	(void)state;
	send_udp(PEER_IP);
	send_udp(PEER_IP);
	send_udp(PEER_IP);
	/* One broadcast request, however many frames wait. */
	assert_int_equal(fake_sent_count(dev), 1);
	assert_int_equal(pop_frame(dst, arp), ETH_P_ARP);
	assert_true(is_broadcast_ether_addr(dst));
	assert_int_equal(arp[7], ARPOP_REQUEST);
	assert_memory_equal(arp + 24, &(__be32){ PEER_IP }, 4);
	assert_int_equal(arp_lookup(dev, PEER_IP, &info), 0);
	assert_int_equal(info.state, ARP_INCOMPLETE);
	assert_int_equal(info.queued, 3);

	peer_says(ARPOP_REPLY, peer_mac, PEER_IP, OUR_IP);
	assert_int_equal(fake_sent_count(dev), 3);
	while (fake_sent_count(dev)) {
		assert_int_equal(pop_frame(dst, NULL), ETH_P_IP);
		assert_memory_equal(dst, peer_mac, ETH_ALEN);
	}
	assert_int_equal(arp_lookup(dev, PEER_IP, &info), 0);
	assert_int_equal(info.state, ARP_REACHABLE);
	assert_int_equal(info.queued, 0);
	assert_memory_equal(info.mac, peer_mac, ETH_ALEN);

	send_udp(PEER_IP);		/* straight out now */
	assert_int_equal(pop_frame(dst, NULL), ETH_P_IP);
	assert_memory_equal(dst, peer_mac, ETH_ALEN);
	assert_int_equal(net_stats.arp_request_tx, 1);
}

static void queue_is_bounded(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < ARP_QUEUE_LEN; i++)
		send_udp(PEER_IP);
	assert_int_equal(udp_sendto(ep, PEER_IP, 7, "x", 1), -ENOBUFS);
	assert_int_equal(net_stats.arp_queue_full, 1);
	assert_int_equal(net_stats.udp_tx_errors, 1);
	fake_sent_flush(dev);
	peer_says(ARPOP_REPLY, peer_mac, PEER_IP, OUR_IP);
	assert_int_equal(fake_sent_count(dev), ARP_QUEUE_LEN);
}

static void retry_limit_drops_queue(void **state)
{
	unsigned int i;

	(void)state;
	send_udp(PEER_IP);
	send_udp(PEER_IP);
	fake_sent_flush(dev);
	for (i = 1; i < ARP_MAX_TRIES; i++) {
		net_host_advance_ms(ARP_RETRY_MS - 1);
		arp_tick(ktime_get_ns());
		assert_int_equal(fake_sent_count(dev), 0);	/* not yet */
		net_host_advance_ms(1);
		arp_tick(ktime_get_ns());
		assert_int_equal(fake_sent_count(dev), 1);	/* a retry */
		assert_int_equal(pop_frame(NULL, NULL), ETH_P_ARP);
		assert_int_equal(state_of(PEER_IP), ARP_INCOMPLETE);
	}
	net_host_advance_ms(ARP_RETRY_MS);
	arp_tick(ktime_get_ns());
	assert_int_equal(fake_sent_count(dev), 0);
	assert_int_equal(arp_lookup(dev, PEER_IP, &(struct arp_info){ 0 }), -ENOENT);
	assert_int_equal(net_stats.arp_resolve_failed, 2);
	assert_int_equal(net_stats.arp_request_tx, ARP_MAX_TRIES);
	/* A late reply does not resurrect it: we were not its target... */
	peer_says(ARPOP_REPLY, peer_mac, PEER_IP, THIRD_IP);
	assert_int_equal(arp_nr_entries(), 0);
	assert_int_equal(net_stats.arp_rx_other, 1);
}

static void unused_entry_expires(void **state)
{
	(void)state;
	net_arp_timeout_s = 5;
	peer_says(ARPOP_REQUEST, peer_mac, PEER_IP, OUR_IP);
	assert_int_equal(state_of(PEER_IP), ARP_REACHABLE);
	fake_sent_flush(dev);
	net_host_advance_ms(4999);
	arp_tick(ktime_get_ns());
	assert_int_equal(state_of(PEER_IP), ARP_REACHABLE);
	net_host_advance_ms(1);
	arp_tick(ktime_get_ns());
	assert_int_equal(arp_nr_entries(), 0);
	assert_int_equal(fake_sent_count(dev), 0);	/* no traffic, no poll */
}

static void used_entry_is_refreshed(void **state)
{
	u8 dst[ETH_ALEN], arp[28];
	unsigned int i;

	(void)state;
	/* RFC 826: any packet with us as target is learnt, even a reply. */
	peer_says(ARPOP_REPLY, peer_mac, PEER_IP, OUR_IP);
	assert_int_equal(state_of(PEER_IP), ARP_REACHABLE);
	assert_int_equal(fake_sent_count(dev), 0);
	send_udp(PEER_IP);
	fake_sent_flush(dev);
	net_host_advance_ms(ARP_DEFAULT_TIMEOUT_S * 1000);
	arp_tick(ktime_get_ns());
	/* Still usable, and confirmed with a unicast request. */
	assert_int_equal(state_of(PEER_IP), ARP_REFRESH);
	assert_int_equal(pop_frame(dst, arp), ETH_P_ARP);
	assert_memory_equal(dst, peer_mac, ETH_ALEN);
	assert_int_equal(arp[7], ARPOP_REQUEST);
	send_udp(PEER_IP);
	assert_int_equal(pop_frame(dst, NULL), ETH_P_IP);
	assert_memory_equal(dst, peer_mac, ETH_ALEN);
	/* The peer moved to another MAC: the answer updates the entry. */
	peer_says(ARPOP_REPLY, new_mac, PEER_IP, OUR_IP);
	assert_int_equal(state_of(PEER_IP), ARP_REACHABLE);
	send_udp(PEER_IP);
	assert_int_equal(pop_frame(dst, NULL), ETH_P_IP);
	assert_memory_equal(dst, new_mac, ETH_ALEN);

	/* Used again, then silence: removed after ARP_MAX_TRIES polls. */
	net_host_advance_ms(ARP_DEFAULT_TIMEOUT_S * 1000);
	arp_tick(ktime_get_ns());
	for (i = 1; i < ARP_MAX_TRIES; i++) {
		net_host_advance_ms(ARP_RETRY_MS);
		arp_tick(ktime_get_ns());
	}
	assert_int_equal(fake_sent_count(dev), ARP_MAX_TRIES);
	fake_sent_flush(dev);
	net_host_advance_ms(ARP_RETRY_MS);
	arp_tick(ktime_get_ns());
	assert_int_equal(arp_nr_entries(), 0);
	assert_int_equal(fake_sent_count(dev), 0);
}

static void answers_requests_for_us(void **state)
{
	u8 dst[ETH_ALEN], arp[28];

	(void)state;
	peer_says(ARPOP_REQUEST, peer_mac, PEER_IP, OUR_IP);
	assert_int_equal(fake_sent_count(dev), 1);
	assert_int_equal(pop_frame(dst, arp), ETH_P_ARP);
	assert_memory_equal(dst, peer_mac, ETH_ALEN);
	assert_int_equal(arp[7], ARPOP_REPLY);
	assert_memory_equal(arp + 8, our_mac, ETH_ALEN);
	assert_memory_equal(arp + 14, &(__be32){ OUR_IP }, 4);
	assert_memory_equal(arp + 18, peer_mac, ETH_ALEN);
	assert_memory_equal(arp + 24, &(__be32){ PEER_IP }, 4);
	/* RFC 826: the requester is learnt, no request of our own needed. */
	assert_int_equal(state_of(PEER_IP), ARP_REACHABLE);
	send_udp(PEER_IP);
	assert_int_equal(pop_frame(NULL, NULL), ETH_P_IP);

	/* For someone else: no answer, nothing learnt. */
	peer_says(ARPOP_REQUEST, new_mac, THIRD_IP, PEER_IP);
	assert_int_equal(fake_sent_count(dev), 0);
	assert_int_equal(arp_lookup(dev, THIRD_IP, &(struct arp_info){ 0 }), -ENOENT);
	/* Gratuitous from a known host: its entry is updated (merge). */
	peer_says(ARPOP_REQUEST, new_mac, PEER_IP, PEER_IP);
	{
		struct arp_info info;

		assert_int_equal(arp_lookup(dev, PEER_IP, &info), 0);
		assert_memory_equal(info.mac, new_mac, ETH_ALEN);
	}
	assert_int_equal(fake_sent_count(dev), 0);
	assert_int_equal(net_stats.arp_reply_tx, 1);
}

static void probe_is_answered_not_learnt(void **state)
{
	u8 arp[28];

	(void)state;
	peer_says(ARPOP_REQUEST, peer_mac, 0, OUR_IP);	/* RFC 5227 probe */
	assert_int_equal(pop_frame(NULL, arp), ETH_P_ARP);
	assert_int_equal(arp[7], ARPOP_REPLY);
	assert_memory_equal(arp + 24, &(__be32){ 0 }, 4);
	assert_int_equal(arp_nr_entries(), 0);
}

static void malformed_and_hostile(void **state)
{
	u8 f[64], g[64];
	u32 len = build_arp(f, eth_broadcast_addr, peer_mac, ARPOP_REQUEST,
			    peer_mac, PEER_IP, zero_mac, OUR_IP);
	u64 malformed = 0;
	unsigned int i;

	(void)state;
	for (i = ETH_HLEN; i < len; i++) {	/* every truncation */
		fake_rx(dev, f, i);
		malformed++;
	}
	static const struct { unsigned int off; u8 val; } bad[] = {
		{ ETH_HLEN + 1, 6 },	/* hardware type 6 */
		{ ETH_HLEN + 2, 0x86 },	/* protocol 0x86dd */
		{ ETH_HLEN + 4, 8 },	/* hardware length */
		{ ETH_HLEN + 5, 16 },	/* protocol length */
		{ ETH_HLEN + 7, 3 },	/* RARP request */
		{ ETH_HLEN + 7, 0 },
	};
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(g, f, len);
		g[bad[i].off] = bad[i].val;
		fake_rx(dev, g, len);
		malformed++;
	}
	assert_int_equal(net_stats.arp_rx_malformed, malformed);

	memcpy(g, f, len);
	g[ETH_HLEN + 8] = 0x01;			/* multicast sender MAC */
	fake_rx(dev, g, len);
	len = build_arp(g, eth_broadcast_addr, peer_mac, ARPOP_REQUEST, zero_mac,
			PEER_IP, zero_mac, OUR_IP);
	fake_rx(dev, g, len);			/* zero sender MAC */
	len = build_arp(g, eth_broadcast_addr, peer_mac, ARPOP_REQUEST, peer_mac,
			IPV4_ADDR(10, 0, 0, 255), zero_mac, OUR_IP);
	fake_rx(dev, g, len);			/* broadcast sender IP */
	len = build_arp(g, eth_broadcast_addr, peer_mac, ARPOP_REQUEST, peer_mac,
			IPV4_ADDR(224, 0, 0, 1), zero_mac, OUR_IP);
	fake_rx(dev, g, len);			/* multicast sender IP */
	assert_int_equal(net_stats.arp_rx_bad_sender, 4);

	peer_says(ARPOP_REQUEST, peer_mac, OUR_IP, OUR_IP);	/* conflict */
	assert_int_equal(net_stats.arp_conflict, 1);
	assert_int_equal(fake_sent_count(dev), 0);
	assert_int_equal(arp_nr_entries(), 0);

	/* A device without an address answers nothing. */
	ipv4_unconfigure(dev);
	peer_says(ARPOP_REQUEST, peer_mac, PEER_IP, OUR_IP);
	assert_int_equal(net_stats.arp_rx_no_iface, 1);
	assert_int_equal(fake_sent_count(dev), 0);
	assert_int_equal(ipv4_configure(dev, OUR_IP, 24), 0);
}

static void announcements(void **state)
{
	u8 dst[ETH_ALEN], arp[28];

	(void)state;
	assert_int_equal(arp_announce(dev), 0);
	assert_int_equal(pop_frame(dst, arp), ETH_P_ARP);
	assert_true(is_broadcast_ether_addr(dst));
	assert_int_equal(arp[7], ARPOP_REQUEST);
	assert_memory_equal(arp + 14, &(__be32){ OUR_IP }, 4);
	assert_memory_equal(arp + 24, &(__be32){ OUR_IP }, 4);
	net_host_advance_ms(1999);
	arp_tick(ktime_get_ns());
	assert_int_equal(fake_sent_count(dev), 0);
	net_host_advance_ms(1);
	arp_tick(ktime_get_ns());
	assert_int_equal(fake_sent_count(dev), 1);	/* the second */
	fake_sent_flush(dev);
	net_host_advance_ms(10000);
	arp_tick(ktime_get_ns());
	assert_int_equal(fake_sent_count(dev), 0);	/* no third */
}

static void cache_limits(void **state)
{
	unsigned int i;

	(void)state;
	ipv4_unconfigure(dev);
	assert_int_equal(ipv4_configure(dev, OUR_IP, 16), 0);
	for (i = 0; i < ARP_MAX_ENTRIES; i++)
		assert_int_equal(arp_resolve(dev, IPV4_ADDR(10, 0, 1 + i / 250,
							  1 + i % 250)), 0);
	assert_int_equal(arp_nr_entries(), ARP_MAX_ENTRIES);
	assert_int_equal(udp_sendto(ep, PEER_IP, 7, "x", 1), -ENOBUFS);
	assert_int_equal(net_stats.arp_cache_full, 1);
	fake_sent_flush(dev);
	arp_flush(dev);
	assert_int_equal(arp_nr_entries(), 0);

	net_host_fail_after(0);
	assert_int_equal(arp_resolve(dev, PEER_IP), -ENOBUFS);
	net_host_fail_after(-1);
	assert_int_equal(net_stats.arp_nomem, 1);
	/* A reply we cannot allocate is dropped quietly, counted. */
	net_host_fail_after(0);
	peer_says(ARPOP_REQUEST, peer_mac, PEER_IP, OUR_IP);
	net_host_fail_after(-1);
	assert_int_equal(fake_sent_count(dev), 0);
	assert_int_equal(net_stats.arp_nomem, 3);	/* entry and reply */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(resolve_queues_then_sends, setup, teardown),
		cmocka_unit_test_setup_teardown(queue_is_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(retry_limit_drops_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(unused_entry_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(used_entry_is_refreshed, setup, teardown),
		cmocka_unit_test_setup_teardown(answers_requests_for_us, setup, teardown),
		cmocka_unit_test_setup_teardown(probe_is_answered_not_learnt, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_and_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(announcements, setup, teardown),
		cmocka_unit_test_setup_teardown(cache_limits, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
