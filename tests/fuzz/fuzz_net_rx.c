// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the receive path: arbitrary bytes go into a fake
 * netdev (10.0.0.1/24, the echo service on port 7, a sink on port 9) and
 * through netdev_rx() -> Ethernet -> ARP / IPv4 -> ICMP / UDP, built
 * from the kernel's own sources (tests/host/net_host.c stands in for the
 * allocator and the clock).
 *
 * What counts as a bug, besides any ASan/UBSan report:
 *   - a frame the stack sends that net_check_frame() finds malformed
 *     (tests/host/net_fake.c aborts);
 *   - a datagram not counted under exactly one cause (the sums below);
 *   - memory still allocated once the input is done and the stack torn
 *     down (queued ARP frames, endpoints, buffers).
 *
 * An input is a list of records, so that sequences (ARP resolution,
 * timeouts, full TX rings) are reachable:
 *   0 LL HH bytes...   a received frame of HHLL bytes (clamped)
 *   1 T                advance the clock T * 50 ms and run arp_tick()
 *   2 X N              udp_sendto(10.0.0.X:9, N * 6 bytes)
 *   3 B F              TX ring full if B is odd; allocations fail after
 *                      F % 16 more if F >= 16, never otherwise
 * (the record type is the first byte modulo 4).
 *
 * FUZZ_NET_WRITE_SEEDS=DIR makes the binary write its seed corpus to DIR
 * and exit: tests/fuzz/Makefile generates the seeds that way.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lego_host_rename.h"

#include <lego/err.h>
#include <lego/errno.h>
#include <lego/time.h>
#include <net/arp.h>
#include <net/byteorder.h>
#include <net/ethernet.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/udp.h>

#include "../../net/internal.h"
#include "net_host.h"

#undef memcpy
#undef memset
#undef snprintf

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 1 };
static const u8 peer_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 2 };
static const u8 zero_mac[ETH_ALEN];
#define OUR_IP		IPV4_ADDR(10, 0, 0, 1)
#define PEER_IP		IPV4_ADDR(10, 0, 0, 2)
#define SINK_PORT	9

static struct netdev *dev;
static u64 delivered;
static volatile u8 sink;

static void die(const char *why)
{
	fprintf(stderr, "fuzz_net_rx: %s\n", why);
	abort();
}

/* Read every payload byte: ASan checks they are inside the buffer. */
static void sink_rx(struct udp_endpoint *ep, struct pktbuf *pkt, __be32 saddr,
		    u16 sport)
{
	u32 i;

	delivered++;
	for (i = 0; i < pkt->len; i++)
		sink ^= pkt->data[i];
	pktbuf_free(pkt);
}

static void check_counters(void)
{
	const struct net_stats *s = &net_stats;
	const struct netdev_stats *d = &dev->stats;
	u64 ip_out = s->ip_rx_no_iface + s->ip_rx_short + s->ip_rx_bad_version +
		     s->ip_rx_bad_ihl + s->ip_rx_bad_len + s->ip_rx_bad_csum +
		     s->ip_rx_fragment + s->ip_rx_not_for_us +
		     s->ip_rx_bad_saddr + s->ip_rx_unknown_proto + s->icmp_rx +
		     s->udp_rx;
	u64 udp_out = s->udp_rx_short + s->udp_rx_bad_len + s->udp_rx_bad_csum +
		      s->udp_rx_no_port + s->udp_rx_delivered;
	u64 icmp_out = s->icmp_rx_short + s->icmp_rx_bad_csum +
		       s->icmp_rx_other + s->icmp_rx_echo;
	u64 eth_out = d->rx_errors + d->rx_dropped_own + d->rx_dropped_filter +
		      d->rx_dropped_proto + s->arp_rx + s->ip_rx;

	if (ip_out != s->ip_rx)
		die("IPv4 datagrams not counted under exactly one cause");
	if (udp_out != s->udp_rx || delivered > s->udp_rx_delivered)
		die("UDP datagrams not counted under exactly one cause");
	if (icmp_out != s->icmp_rx)
		die("ICMP messages not counted under exactly one cause");
	if (eth_out != d->rx_packets)
		die("frames not counted under exactly one cause");
}

static void run_records(const uint8_t *p, size_t n)
{
	static u8 payload[UDP_MAX_PAYLOAD + 64];
	struct udp_endpoint *sink_ep = udp_bind(SINK_PORT, sink_rx, NULL);
	u32 len;

	while (n) {
		u8 op = p[0] % 4;

		p++, n--;
		switch (op) {
		case 0:
			len = n >= 2 ? (u32)(p[0] | p[1] << 8) : 0;
			p += n >= 2 ? 2 : n;
			n -= n >= 2 ? 2 : n;
			if (len > n)
				len = n;
			fake_rx(dev, p, len);
			p += len;
			n -= len;
			break;
		case 1:
			net_host_advance_ms(50ULL * (n ? p[0] : 1));
			arp_tick(ktime_get_ns());
			p += n ? 1 : 0;
			n -= n ? 1 : 0;
			break;
		case 2:
			if (n < 2)
				return udp_unbind(sink_ep);
			udp_sendto(sink_ep, IPV4_ADDR(10, 0, 0, p[0]), SINK_PORT,
				   payload, p[1] * 6u);
			p += 2;
			n -= 2;
			break;
		case 3:
			if (n < 2)
				return udp_unbind(sink_ep);
			fake_netdev_set_xmit_ret(dev, (p[0] & 1) ? -EBUSY : 0);
			net_host_fail_after(p[1] >= 16 ? p[1] % 16 : -1);
			p += 2;
			n -= 2;
			break;
		}
		check_counters();
	}
	udp_unbind(sink_ep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct udp_endpoint *echo;

	net_host_reset();
	delivered = 0;
	dev = fake_netdev_create(our_mac, OUR_IP, 24);
	echo = udp_echo_start(7);
	if (IS_ERR(echo))
		die("no echo service");
	run_records(data, size);
	net_host_fail_after(-1);
	fake_netdev_set_xmit_ret(dev, 0);
	udp_unbind(echo);
	fake_netdev_destroy(dev);		/* flushes ARP and sent frames */
	if (net_host_live_objects())
		die("memory left allocated after the input");
	return 0;
}

/* ---- the seed corpus ------------------------------------------------------- */

static void write_seed(const char *dir, const char *name, const u8 *frame,
		       u32 len, const u8 *tail, u32 tail_len)
{
	char path[4096];
	u8 rec[3] = { 0, len & 0xff, len >> 8 };
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(rec, 1, 3, f) != 3 || fwrite(frame, 1, len, f) != len ||
	    (tail_len && fwrite(tail, 1, tail_len, f) != tail_len))
		die("cannot write a seed");
	fclose(f);
}

static void write_seeds(const char *dir)
{
	static const u8 tick[] = { 1, 10 }, send[] = { 2, 2, 10, 1, 20 };
	u8 f[1600], data[1472];
	u32 len;

	memset(data, 0x61, sizeof(data));
	len = build_arp(f, eth_broadcast_addr, peer_mac, ARPOP_REQUEST, peer_mac,
			PEER_IP, zero_mac, OUR_IP);
	write_seed(dir, "arp-request", f, len, NULL, 0);
	write_seed(dir, "arp-request-then-send", f, len, send, sizeof(send));
	len = build_arp(f, our_mac, peer_mac, ARPOP_REPLY, peer_mac, PEER_IP,
			our_mac, OUR_IP);
	write_seed(dir, "send-then-arp-reply", f, len, tick, sizeof(tick));
	len = build_icmp_echo(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1, 1, data, 56);
	write_seed(dir, "icmp-echo", f, len, NULL, 0);
	len = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 4000, 7, data, 18,
			true);
	write_seed(dir, "udp-echo", f, len, NULL, 0);
	len = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 4000, SINK_PORT,
			data, 1472, false);
	write_seed(dir, "udp-sink-max", f, len, NULL, 0);
	len = build_udp(f, eth_broadcast_addr, peer_mac, PEER_IP, INADDR_BROADCAST,
			4000, 7, data, 1, true);
	write_seed(dir, "udp-broadcast", f, len, NULL, 0);
	len = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 4000, SINK_PORT,
			data, 3, true);
	f[ETH_HLEN + 6] = 0x20;			/* MF: a fragment */
	write_seed(dir, "ipv4-fragment", f, len, NULL, 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_NET_WRITE_SEEDS");

	(void)argc;
	(void)argv;
	if (dir) {
		net_host_reset();
		dev = fake_netdev_create(our_mac, OUR_IP, 24);
		write_seeds(dir);
		fake_netdev_destroy(dev);
		exit(0);
	}
	return 0;
}
