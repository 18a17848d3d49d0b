// SPDX-License-Identifier: GPL-2.0
/*
 * One-way UDP stream throughput: the sender (netbench_stream(), run by
 * net/bench.c with net.bench_stream=N) and the sink (`net.bench_sink_port=P`
 * on the peer).  The protocol is usr/linuxvm/udpstream.c's, so a LegoOS
 * sender can measure a Linux receiver and the other way round:
 *
 *   header (16 bytes, big-endian): magic "LUS1", type, session, seq
 *   START  opens a session (the sink forgets the previous one)
 *   DATA   counted by the sink when its session is the current one
 *   STAT   answered with the count, the bytes and the time from the first
 *          to the last DATA (struct us_stat)
 *   BYE    ends a Linux receiver; the sink only answers it
 *
 * A reply carries the request's type with US_REPLY set.  The sender
 * busy-polls (NETDEV_RX_POLL): when the TX ring is full it reclaims and
 * sends the same datagram again, so "sent" is what left the NIC.  It prints
 *
 *   NETBENCH-STREAM size=1400 sent=20000 received=.. loss_pct=..
 *       send_MBps=.. recv_MBps=.. send_ms=.. recv_ms=.. busy=..
 *
 * The sink runs in the device's rx thread (interrupt mode), like any
 * kernel endpoint; it keeps no per-datagram state.
 */
#define pr_fmt(fmt) "netbench: " fmt

#include <lego/err.h>
#include <lego/errno.h>
#include <lego/init.h>
#include <lego/kernel.h>
#include <lego/params.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>
#include <net/byteorder.h>
#include <net/netdev.h>
#include <net/udp.h>

#include "bench.h"

#define US_MAGIC	0x4c555331	/* "LUS1" */
#define US_DATA		1
#define US_START	2
#define US_STAT		3
#define US_BYE		4
#define US_REPLY	0x80
#define US_ASK_MS	200		/* between resends of a control datagram */

struct us_hdr {
	__be32 magic;
	__be32 type;
	__be32 session;
	__be32 seq;
} __packed;

struct us_stat {
	struct us_hdr hdr;
	__be64 count;
	__be64 bytes;
	__be64 elapsed_ns;
} __packed;

_Static_assert(sizeof(struct us_hdr) == 16, "us_hdr is on the wire");
_Static_assert(sizeof(struct us_stat) == 40, "us_stat is on the wire");

static unsigned int sink_port;
lego_param_uint("net.bench_sink_port", sink_port,
		"UDP port of the benchmark's stream sink (0: off)");

static __be64 cpu_to_be64(u64 v)
{
	return __builtin_bswap64(v);
}

static u64 be64_to_cpu(__be64 v)
{
	return __builtin_bswap64(v);
}

static void us_hdr_set(struct us_hdr *h, u32 type, u32 session, u32 seq)
{
	h->magic = htonl(US_MAGIC);
	h->type = htonl(type);
	h->session = htonl(session);
	h->seq = htonl(seq);
}

/* ---- the sink ------------------------------------------------------------ */

/* Touched only by the device's rx thread, one datagram at a time. */
static struct {
	u32 session;
	u64 count, bytes, first_ns, last_ns;
} sink;

static void sink_stat(struct udp_endpoint *ep, __be32 saddr, u16 sport)
{
	struct us_stat st;

	us_hdr_set(&st.hdr, US_STAT | US_REPLY, sink.session, 0);
	st.count = cpu_to_be64(sink.count);
	st.bytes = cpu_to_be64(sink.bytes);
	st.elapsed_ns = cpu_to_be64(sink.last_ns - sink.first_ns);
	udp_sendto(ep, saddr, sport, &st, sizeof(st));
}

static void sink_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
		    __be32 saddr, u16 sport)
{
	struct us_hdr *h = (struct us_hdr *)pkt->data;
	u32 type, session;

	if (pkt->len < sizeof(*h) || ntohl(h->magic) != US_MAGIC)
		goto drop;
	type = ntohl(h->type);
	session = ntohl(h->session);
	if (type == US_DATA) {
		if (session != sink.session)
			goto drop;
		sink.last_ns = ktime_get_ns();
		if (!sink.count++)
			sink.first_ns = sink.last_ns;
		sink.bytes += pkt->len;
		goto drop;
	}
	if (type == US_STAT) {
		sink_stat(ep, saddr, sport);
		goto drop;
	}
	if (type != US_START && type != US_BYE)
		goto drop;
	if (type == US_START && session != sink.session) {
		memset(&sink, 0, sizeof(sink));
		sink.session = session;
	}
	us_hdr_set(h, type | US_REPLY, session, 0);
	pktbuf_trim(pkt, sizeof(*h));
	udp_send_pkt(ep, pkt, saddr, sport);	/* consumes @pkt */
	return;
drop:
	pktbuf_free(pkt);
}

static int __init sink_init(void)
{
	struct udp_endpoint *ep;

	if (!sink_port)
		return 0;
	if (sink_port > 65535) {
		pr_err("net.bench_sink_port=%u: not a port\n", sink_port);
		return -EINVAL;
	}
	ep = udp_bind(sink_port, sink_rx, NULL);
	if (IS_ERR(ep))
		return PTR_ERR(ep);
	pr_info("stream sink on UDP port %u\n", sink_port);
	return 0;
}
late_initcall(sink_init);

/* ---- the sender ------------------------------------------------------------ */

/* The reply the sender waits for; written by rx (this thread polls). */
static struct {
	u32 want;		/* type | US_REPLY */
	u32 session;
	bool got;
	struct us_stat stat;
} ask_state;

static void sender_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
		      __be32 saddr, u16 sport)
{
	const struct us_hdr *h = (const struct us_hdr *)pkt->data;

	if (pkt->len >= sizeof(*h) && ntohl(h->magic) == US_MAGIC &&
	    ntohl(h->type) == ask_state.want &&
	    ntohl(h->session) == ask_state.session) {
		memset(&ask_state.stat, 0, sizeof(ask_state.stat));
		memcpy(&ask_state.stat, pkt->data,
		       min_t(u32, pkt->len, sizeof(ask_state.stat)));
		WRITE_ONCE(ask_state.got, true);
	}
	pktbuf_free(pkt);
}

/* Send a control datagram until its reply comes, at most @wait_ms. */
static int ask(struct udp_endpoint *ep, struct netdev *dev, __be32 peer,
	       u16 port, u32 type, unsigned int wait_ms)
{
	u64 end = ktime_get_ns() + wait_ms * NSEC_PER_MSEC, resend;
	struct us_hdr h;

	ask_state.want = type | US_REPLY;
	WRITE_ONCE(ask_state.got, false);
	us_hdr_set(&h, type, ask_state.session, 0);
	while (ktime_get_ns() < end) {
		udp_sendto(ep, peer, port, &h, sizeof(h));
		resend = ktime_get_ns() + US_ASK_MS * NSEC_PER_MSEC;
		while (!READ_ONCE(ask_state.got) && ktime_get_ns() < resend)
			netdev_poll(dev, NETDEV_RX_BUDGET);
		if (READ_ONCE(ask_state.got))
			return 0;
	}
	return -ETIMEDOUT;
}

/* Send datagram @seq, again while the ring is full; 0 or a negative errno. */
static int send_one(struct udp_endpoint *ep, struct netdev *dev, __be32 peer,
		    u16 port, const u8 *tmpl, u32 size, u32 seq, u32 *busy)
{
	struct pktbuf *pkt;
	u8 *data;
	int ret;

	do {
		pkt = pktbuf_alloc(NET_HEADROOM, size, GFP_KERNEL);
		if (!pkt)
			return -ENOMEM;
		data = pktbuf_put(pkt, size);
		memcpy(data, tmpl, size);
		((struct us_hdr *)data)->seq = htonl(seq);
		ret = udp_send_pkt(ep, pkt, peer, port);	/* consumes */
		if (ret == -EBUSY) {
			(*busy)++;
			netdev_poll(dev, NETDEV_RX_BUDGET);
		}
	} while (ret == -EBUSY);
	return ret;
}

static void stream_report(u32 size, u32 sent, u64 send_ns)
{
	u64 got = be64_to_cpu(ask_state.stat.count);
	u64 bytes = be64_to_cpu(ask_state.stat.bytes);
	u64 rx_ns = be64_to_cpu(ask_state.stat.elapsed_ns);
	u64 lost = got < sent ? sent - got : 0;

	/* MB/s = bytes * 1000 / ns; in hundredths: * 100000. */
	pr_info("NETBENCH-STREAM size=%u sent=%u received=%lu loss_pct="
		BENCH_FMT_CENTI " send_MBps=" BENCH_FMT_CENTI " recv_MBps="
		BENCH_FMT_CENTI " send_ms=" BENCH_FMT_MILLI " recv_ms="
		BENCH_FMT_MILLI "\n", size, sent, got,
		BENCH_CENTI(lost * 10000 / sent),
		BENCH_CENTI((u64)sent * size * 100000 / max_t(u64, send_ns, 1)),
		BENCH_CENTI(rx_ns ? bytes * 100000 / rx_ns : 0),
		BENCH_MILLI(send_ns / 1000), BENCH_MILLI(rx_ns / 1000));
}

static int stream_run(struct udp_endpoint *ep, struct netdev *dev,
		      __be32 peer, u16 port, u32 count, u32 size, u8 *tmpl)
{
	u32 i, busy = 0;
	u64 t0, t1;
	int ret;

	ret = ask(ep, dev, peer, port, US_START, 10000);
	if (ret) {
		pr_err("stream: no sink at %pI4:%u\n", &peer, port);
		return ret;
	}
	us_hdr_set((struct us_hdr *)tmpl, US_DATA, ask_state.session, 0);
	t0 = ktime_get_ns();
	for (i = 0; i < count; i++) {
		ret = send_one(ep, dev, peer, port, tmpl, size, i, &busy);
		if (ret)
			return ret;
		if (i % 32 == 31)
			netdev_poll(dev, NETDEV_RX_BUDGET);	/* reclaim TX */
	}
	t1 = ktime_get_ns();
	while (ktime_get_ns() < t1 + 300 * NSEC_PER_MSEC)	/* the tail */
		netdev_poll(dev, NETDEV_RX_BUDGET);
	ret = ask(ep, dev, peer, port, US_STAT, 10000);
	if (ret) {
		pr_err("stream: the sink did not answer STAT\n");
		return ret;
	}
	stream_report(size, count, t1 - t0);
	pr_info("stream: the TX ring was full %u times\n", busy);
	ask(ep, dev, peer, port, US_BYE, 1000);	/* ends a Linux receiver */
	return 0;
}

int netbench_stream(struct netdev *dev, __be32 peer, u16 port, u32 count,
		    u32 size)
{
	struct udp_endpoint *ep;
	u8 *tmpl;
	u32 i;
	int ret;

	if (size < sizeof(struct us_hdr) || size > UDP_MAX_PAYLOAD) {
		pr_err("stream: datagram size %u out of range\n", size);
		return -EINVAL;
	}
	tmpl = kmalloc(size, GFP_KERNEL);
	if (!tmpl)
		return -ENOMEM;
	for (i = 0; i < size; i++)
		tmpl[i] = (u8)(i * 7);
	ep = udp_bind(0, sender_rx, NULL);
	if (IS_ERR(ep)) {
		ret = PTR_ERR(ep);
		goto out_free;
	}
	ask_state.session = (u32)ktime_get_ns() | 1;
	netdev_set_rx_mode(dev, NETDEV_RX_POLL);
	ret = stream_run(ep, dev, peer, port, count, size, tmpl);
	netdev_set_rx_mode(dev, NETDEV_RX_IRQ);
	udp_unbind(ep);
out_free:
	kfree(tmpl);
	return ret;
}
