// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `netflood`: survive a flood of malformed frames and count
 * every one under the right cause.  The node boots with `net.ip=10.0.0.1/24
 * ktest=netflood net.flood_port=9000` (without net.flood_port every case is
 * skipped); a Linux VM on the same segment runs usr/linuxvm/netflood.c
 * (guest test `flood`):
 *
 *   1. HELLO to net.flood_port until we ACK it: we have taken a snapshot
 *      of the counters, so the flood is measured from here;
 *   2. malformed frames of every class below, from its own MAC to ours
 *      (AF_PACKET), bounded in count and time;
 *   3. pings (checked on its side: every one answered);
 *   4. DONE carrying how many frames of each class it sent, until we ACK.
 *
 * The suite waits (at most net.flood_wait_s) for DONE, then checks that
 * the drop counter of every class grew by about what was sent (at least
 * 3/4 of it: the hub may lose frames; at most all of it plus a little of
 * the segment's own traffic: a frame filed under the wrong cause shows),
 * that every echo request got its reply, and prints the counters.
 *
 * The wire format of HELLO/DONE/ACK and the class order are shared with
 * usr/linuxvm/netflood.c: keep them equal.
 */
#include <lego/completion.h>
#include <lego/err.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/params.h>
#include <lego/string.h>
#include <net/byteorder.h>
#include <net/ip.h>
#include <net/netdev.h>
#include <net/stats.h>
#include <net/udp.h>

#include "internal.h"

#define NF_MAGIC	0x4c4e4631	/* "LNF1" */
#define NF_HELLO	1
#define NF_DONE		2
#define NF_ACK		0x80		/* or'ed into the type it acknowledges */
/* Frames of the segment's own traffic a counter may see besides the flood. */
#define FLOOD_SLACK	16

/* Where a class's drops are counted: struct net_stats or netdev_stats. */
#define NET_CTR(f)	{ false, offsetof(struct net_stats, f), #f }
#define DEV_CTR(f)	{ true, offsetof(struct netdev_stats, f), #f }

static const struct flood_class {
	const char *name;
	struct {
		bool dev;
		size_t offset;
		const char *name;
	} ctr;
} flood_classes[] = {
	{ "random_frame",	DEV_CTR(rx_dropped_proto) },
	{ "unknown_ethertype",	DEV_CTR(rx_dropped_proto) },
	{ "trunc_ip",		NET_CTR(ip_rx_short) },
	{ "bad_version",	NET_CTR(ip_rx_bad_version) },
	{ "bad_ihl",		NET_CTR(ip_rx_bad_ihl) },
	{ "bad_len",		NET_CTR(ip_rx_bad_len) },
	{ "bad_ip_csum",	NET_CTR(ip_rx_bad_csum) },
	{ "fragment",		NET_CTR(ip_rx_fragment) },
	{ "not_for_us",		NET_CTR(ip_rx_not_for_us) },
	{ "bad_saddr",		NET_CTR(ip_rx_bad_saddr) },
	{ "unknown_proto",	NET_CTR(ip_rx_unknown_proto) },
	{ "trunc_udp",		NET_CTR(udp_rx_short) },
	{ "bad_udp_len",	NET_CTR(udp_rx_bad_len) },
	{ "bad_udp_csum",	NET_CTR(udp_rx_bad_csum) },
	{ "closed_port",	NET_CTR(udp_rx_no_port) },
	{ "trunc_icmp",		NET_CTR(icmp_rx_short) },
	{ "bad_icmp_csum",	NET_CTR(icmp_rx_bad_csum) },
	{ "arp_malformed",	NET_CTR(arp_rx_malformed) },
	{ "arp_bad_sender",	NET_CTR(arp_rx_bad_sender) },
};
#define NF_NCLASSES	ARRAY_SIZE(flood_classes)
#define NF_TRUNC_IP	2		/* the class of runt frames */

/* HELLO, DONE and their ACKs; all fields big-endian. */
struct nf_msg {
	__be32 magic;
	__be32 type;
	__be32 nclasses;		/* 0 in HELLO */
	__be32 sent[NF_NCLASSES];	/* DONE: frames sent per class */
} __packed;

static unsigned int flood_port;
static unsigned int flood_wait_s = 60;
lego_param_uint("net.flood_port", flood_port,
		"TEST ONLY: UDP port of the netflood suite's HELLO/DONE (0: skip it)");
lego_param_uint("net.flood_wait_s", flood_wait_s,
		"TEST ONLY: how long the netflood suite waits for DONE");

static struct {
	struct completion hello, done;
	bool got_hello, got_done;
	u32 sent[NF_NCLASSES];
	u32 bad;			/* datagrams on our port we refused */
	struct net_stats net0;		/* snapshot when HELLO was answered */
	struct netdev_stats dev0;
	struct netdev *dev;
} flood;

static u64 counter(int i, const struct net_stats *ns,
		   const struct netdev_stats *ds)
{
	const void *base = flood_classes[i].ctr.dev ? (const void *)ds :
						      (const void *)ns;

	return *(const u64 *)((const u8 *)base + flood_classes[i].ctr.offset);
}

static void flood_ack(struct udp_endpoint *ep, __be32 saddr, u16 sport,
		      u32 type)
{
	struct nf_msg ack = {
		.magic = htonl(NF_MAGIC),
		.type = htonl(type | NF_ACK),
		.nclasses = htonl(NF_NCLASSES),
	};

	udp_sendto(ep, saddr, sport, &ack, sizeof(ack));
}

static void flood_take_snapshot(void)
{
	memcpy(&flood.net0, &net_stats, sizeof(flood.net0));
	memcpy(&flood.dev0, &flood.dev->stats, sizeof(flood.dev0));
}

/* In the rx context: HELLO (snapshot once, ACK each) and DONE. */
static void flood_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
		     __be32 saddr, u16 sport)
{
	const struct nf_msg *m = (const struct nf_msg *)pkt->data;
	u32 type, i;

	if (pkt->len < offsetof(struct nf_msg, sent) ||
	    ntohl(m->magic) != NF_MAGIC) {
		flood.bad++;
		goto out;
	}
	type = ntohl(m->type);
	if (type == NF_HELLO) {
		if (!flood.got_hello) {
			flood_take_snapshot();
			WRITE_ONCE(flood.got_hello, true);
			complete(&flood.hello);
		}
		flood_ack(ep, saddr, sport, type);
	} else if (type == NF_DONE && flood.got_hello &&
		   ntohl(m->nclasses) == NF_NCLASSES &&
		   pkt->len == sizeof(*m)) {
		if (!flood.got_done) {
			for (i = 0; i < NF_NCLASSES; i++)
				flood.sent[i] = ntohl(m->sent[i]);
			WRITE_ONCE(flood.got_done, true);
			complete(&flood.done);
		}
		/* We exit soon after: an ACK lost now could not be resent. */
		for (i = 0; i < 3; i++)
			flood_ack(ep, saddr, sport, type);
	} else {
		flood.bad++;
	}
out:
	pktbuf_free(pkt);
}

/* Skip the case when nobody asked for a flood; true if it may run. */
static bool flood_requested(struct ktest *t)
{
	if (!flood_port)
		ktest_skip(t, "no net.flood_port= on the command line");
	return flood_port != 0;
}

static void flood_survived(struct ktest *t)
{
	struct udp_endpoint *ep;
	unsigned long left;

	if (!flood_requested(t))
		return;
	if (flood_port > 65535) {
		ktest_fail(t, __FILE__, __LINE__, "net.flood_port=%u: not a port",
			   flood_port);
		return;
	}
	flood.dev = ip_default_dev();
	KTEST_ASSERT_NOT_NULL(t, flood.dev);
	init_completion(&flood.hello);
	init_completion(&flood.done);
	ep = udp_bind(flood_port, flood_rx, NULL);
	KTEST_ASSERT_FALSE(t, IS_ERR(ep));
	ktest_log(t, "waiting up to %u s for the flooder on UDP port %u",
		  flood_wait_s, flood_port);
	left = wait_for_completion_timeout(&flood.hello, flood_wait_s * 1000);
	if (left)
		left = wait_for_completion_timeout(&flood.done, left);
	udp_unbind(ep);
	ktest_log(t, "hello %s, done %s, %u bad datagrams on our port",
		  flood.got_hello ? "yes" : "no", flood.got_done ? "yes" : "no",
		  flood.bad);
	KTEST_EXPECT_TRUE(t, flood.got_hello);
	KTEST_EXPECT_TRUE(t, flood.got_done);
}

/*
 * QEMU's e1000 pads frames shorter than 60 bytes with zeros (as a real
 * 8254x never hands up a runt); virtio-net delivers them as sent.  A
 * padded trunc_ip frame is a 46-byte IPv4 datagram that fails some other
 * check, so on such a NIC that class is only counted in the total.
 */
static bool nic_pads_runts(const struct netdev *dev)
{
	return !strcmp(dev->driver, "e1000");
}

static u64 class_delta(unsigned int i)
{
	return counter(i, &net_stats, &flood.dev->stats) -
	       counter(i, &flood.net0, &flood.dev0);
}

/* Check the counter of class @i against every class filed under it. */
static u64 check_counter(struct ktest *t, unsigned int i, u64 runts)
{
	u64 delta = class_delta(i), sent = 0;
	char names[128];
	size_t len = 0;
	unsigned int j;

	for (j = i; j < NF_NCLASSES; j++) {
		if (flood_classes[j].ctr.offset != flood_classes[i].ctr.offset ||
		    flood_classes[j].ctr.dev != flood_classes[i].ctr.dev)
			continue;
		sent += flood.sent[j];
		len += scnprintf(names + len, sizeof(names) - len, "%s%s",
				 len ? "+" : "", flood_classes[j].name);
	}
	ktest_log(t, "%-20s +%-5lu for %5lu frames of %s",
		  flood_classes[i].ctr.name, delta, sent, names);
	KTEST_EXPECT_GT(t, delta, 0);
	/* The hub may lose some; a misfiled class shows here. */
	KTEST_EXPECT_GE(t, delta * 4, sent * 3);
	KTEST_EXPECT_LE(t, delta, sent + runts + FLOOD_SLACK);
	return delta;
}

/* Was an earlier class filed under the same counter as class @i? */
static bool counter_seen(unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i; j++)
		if (flood_classes[j].ctr.offset == flood_classes[i].ctr.offset &&
		    flood_classes[j].ctr.dev == flood_classes[i].ctr.dev)
			return true;
	return false;
}

/* Every class was sent, and its counter grew by about as much. */
static void drops_counted_per_class(struct ktest *t)
{
	bool pads = flood.dev && nic_pads_runts(flood.dev);
	u64 total_sent = 0, total_drop = 0, runts = 0;
	unsigned int i;

	if (!flood_requested(t))
		return;
	if (!READ_ONCE(flood.got_done)) {
		ktest_fail(t, __FILE__, __LINE__, "no DONE: nothing to check");
		return;
	}
	for (i = 0; i < NF_NCLASSES; i++) {
		KTEST_EXPECT_GT(t, flood.sent[i], 0);
		total_sent += flood.sent[i];
		if (pads && i == NF_TRUNC_IP)
			runts = flood.sent[i];
	}
	if (pads)
		ktest_log(t, "%s pads runts: the %lu trunc_ip frames count "
			  "under other IPv4 causes", flood.dev->driver, runts);
	for (i = 0; i < NF_NCLASSES; i++) {
		if (counter_seen(i))
			continue;
		if (pads && i == NF_TRUNC_IP) {
			total_drop += class_delta(i);
			continue;
		}
		total_drop += check_counter(t, i, runts);
	}
	ktest_log(t, "%lu malformed frames sent, %lu drops counted", total_sent,
		  total_drop);
	KTEST_EXPECT_GE(t, total_drop * 4, total_sent * 3);
}

/* The pings the flooder sent after the flood were all answered. */
static void echo_requests_answered(struct ktest *t)
{
	u64 req = net_stats.icmp_rx_echo - flood.net0.icmp_rx_echo;
	u64 rep = net_stats.icmp_tx_echo_reply -
		  flood.net0.icmp_tx_echo_reply;

	if (!flood_requested(t))
		return;
	if (!READ_ONCE(flood.got_done)) {
		ktest_fail(t, __FILE__, __LINE__, "no DONE: nothing to check");
		return;
	}
	ktest_log(t, "%lu echo requests, %lu replies", req, rep);
	KTEST_EXPECT_GT(t, req, 0);
	KTEST_EXPECT_EQ(t, rep, req);
}

static void print_counters(struct ktest *t)
{
	if (!flood_requested(t))
		return;
	if (flood.dev)
		netdev_print_status(flood.dev);
	net_print_stats();
}

static const struct ktest_case netflood_cases[] = {
	KTEST_CASE(flood_survived),
	KTEST_CASE(drops_counted_per_class),
	KTEST_CASE(echo_requests_answered),
	KTEST_CASE(print_counters),
	{}
};
KTEST_SUITE(netflood, netflood_cases);
