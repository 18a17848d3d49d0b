// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP benchmark's LegoOS client, a boot-time action: with
 * `net.bench_peer=A.B.C.D` the node measures UDP round trips to the echo
 * service at the peer (a LegoOS node with net.echo_port=7, or Linux's
 * `udpecho server`), optionally a one-way stream (bench_stream.c), prints
 * one line per measurement and leaves QEMU through isa-debug-exit: 33
 * when everything was measured, 35 when the peer never answered.
 * bench/udp runs it next to the same measurement between two Linux VMs;
 * Documentation/benchmarks.md has the parameters and the output.
 *
 * Datagrams use udpecho's format (usr/linuxvm/udpecho.c: a 16-byte header
 * with a sequence number, then a pattern derived from it), one in flight:
 * a round trip is send, wait for the echo, check it byte for byte.  The
 * clock is ktime_get_ns() around the send and after the wait, as udpecho
 * does with clock_gettime().  Per mode and size:
 *
 *   NETBENCH-RESULT mode=poll size=64 count=2000 min_us=.. avg_us=..
 *       median_us=.. p99_us=.. max_us=.. lost=..
 *
 * mode=poll busy-polls the NIC from this thread (NETDEV_RX_POLL, the RDMA
 * transport's way); mode=irq sleeps on a completion that the device's rx
 * thread completes (NETDEV_RX_IRQ).  lost counts resends after
 * BENCH_TIMEOUT_MS without an echo.
 */
#define pr_fmt(fmt) "netbench: " fmt

#include <lego/completion.h>
#include <lego/err.h>
#include <lego/errno.h>
#include <lego/init.h>
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/params.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/sort.h>
#include <lego/string.h>
#include <lego/time.h>
#include <net/byteorder.h>
#include <net/ip.h>
#include <net/netdev.h>
#include <net/udp.h>

#include "bench.h"
#include "internal.h"

#define UE_MAGIC		0x4c554531	/* "LUE1", as udpecho */
#define UE_HLEN			16
#define UE_DATA			1
#define UE_PROBE		2
#define UE_BYE			3

#define BENCH_MAX_SIZES		8
#define BENCH_TIMEOUT_MS	500	/* udpecho's resend timeout */
#define BENCH_RETRIES		10	/* then the measurement fails */

static __be32 bench_peer;
static unsigned int bench_port = 7;
static char bench_sizes[64] = "64,1400";
static char bench_modes[16] = "poll,irq";
static unsigned int bench_count = 2000;
static unsigned int bench_warmup = 200;
static unsigned int bench_wait_s = 30;
static unsigned int bench_stream_count;
static unsigned int bench_stream_size = 1400;
static unsigned int bench_stream_port = 9;

static int bench_peer_param(const char *val)
{
	return inet_parse_addr(val, &bench_peer, NULL) || !bench_peer ?
	       -EINVAL : 0;
}
lego_param_cb("net.bench_peer", bench_peer_param,
	      "run the UDP benchmark against this echo peer, then exit QEMU");
lego_param_uint("net.bench_port", bench_port,
		"the benchmark peer's UDP echo port (default 7)");
lego_param_string("net.bench_sizes", bench_sizes,
		  "round-trip datagram sizes, 16..1472 (default 64,1400)");
lego_param_string("net.bench_modes", bench_modes,
		  "receive modes to measure: poll, irq or both (default)");
lego_param_uint("net.bench_count", bench_count,
		"measured round trips per size and mode (default 2000)");
lego_param_uint("net.bench_warmup", bench_warmup,
		"unmeasured round trips before each size (default 200)");
lego_param_uint("net.bench_wait_s", bench_wait_s,
		"seconds to wait for the peer to answer (default 30)");
lego_param_uint("net.bench_stream", bench_stream_count,
		"datagrams of the one-way stream measurement (0: none)");
lego_param_uint("net.bench_stream_size", bench_stream_size,
		"size of each stream datagram (default 1400)");
lego_param_uint("net.bench_stream_port", bench_stream_port,
		"the stream sink's UDP port at the peer (default 9)");

/* The round trip in flight; written by the bench thread, read by rx. */
static struct {
	struct completion done;
	u32 seq;		/* 0 while the buffer is being refilled */
	u32 len;
	const u8 *buf;		/* what was sent */
	bool got;		/* its echo came back intact */
	bool corrupt;		/* its echo came back altered */
	u32 stale;		/* echoes of other datagrams */
} rt;

static void ue_fill(u8 *buf, u32 type, u32 seq, u32 len)
{
	__be32 h[4] = { htonl(UE_MAGIC), htonl(type), htonl(seq), htonl(len) };
	u32 i;

	memcpy(buf, h, UE_HLEN);
	for (i = UE_HLEN; i < len; i++)
		buf[i] = (u8)(seq * 131 + i * 7 + (i >> 8));
}

static void bench_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
		     __be32 saddr, u16 sport)
{
	u32 seq = __atomic_load_n(&rt.seq, __ATOMIC_ACQUIRE);
	__be32 want = htonl(seq);

	if (!seq || saddr != bench_peer || sport != bench_port ||
	    pkt->len < UE_HLEN || memcmp(pkt->data + 8, &want, 4)) {
		rt.stale++;
	} else if (pkt->len != rt.len || memcmp(pkt->data, rt.buf, rt.len)) {
		WRITE_ONCE(rt.corrupt, true);
		complete(&rt.done);
	} else {
		WRITE_ONCE(rt.got, true);
		complete(&rt.done);
	}
	pktbuf_free(pkt);
}

/* Until the echo came (or was altered) or @deadline passed. */
static bool bench_wait(struct netdev *dev, u64 deadline)
{
	u64 now;

	while (!READ_ONCE(rt.got) && !READ_ONCE(rt.corrupt) &&
	       (now = ktime_get_ns()) < deadline) {
		if (dev->rx_mode == NETDEV_RX_POLL)
			netdev_poll(dev, NETDEV_RX_BUDGET);
		else
			wait_for_completion_timeout(&rt.done,
				max_t(u64, (deadline - now) / NSEC_PER_MSEC, 1));
	}
	return READ_ONCE(rt.got);
}

/*
 * One datagram of @len bytes to the peer and back: the nanoseconds of the
 * try that was answered, or a negative errno (-ETIMEDOUT after
 * BENCH_RETRIES resends, -EBADMSG for an altered echo).
 */
static s64 round_trip(struct udp_endpoint *ep, struct netdev *dev, u8 *buf,
		      u32 type, u32 seq, u32 len, u32 *lost)
{
	u64 t0;
	int try, ret;

	WRITE_ONCE(rt.seq, 0);
	WRITE_ONCE(rt.corrupt, false);
	ue_fill(buf, type, seq, len);
	rt.len = len;
	rt.buf = buf;
	__atomic_store_n(&rt.seq, seq, __ATOMIC_RELEASE);	/* publish */
	for (try = 0; try <= BENCH_RETRIES; try++) {
		WRITE_ONCE(rt.got, false);
		reinit_completion(&rt.done);
		t0 = ktime_get_ns();
		ret = udp_sendto(ep, bench_peer, bench_port, buf, len);
		if (ret && ret != -EBUSY)
			return ret;
		if (!ret && bench_wait(dev, t0 + BENCH_TIMEOUT_MS * NSEC_PER_MSEC))
			return ktime_get_ns() - t0;
		if (READ_ONCE(rt.corrupt))
			return -EBADMSG;
		(*lost)++;
	}
	return -ETIMEDOUT;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return (x > y) - (x < y);
}

static void report(const char *mode, u32 size, u64 *ns, u32 n, u32 lost)
{
	u64 sum = 0, median;
	u32 i;

	sort(ns, n, sizeof(*ns), cmp_u64, NULL);
	for (i = 0; i < n; i++)
		sum += ns[i];
	median = n % 2 ? ns[n / 2] : (ns[n / 2 - 1] + ns[n / 2]) / 2;
	pr_info("NETBENCH-RESULT mode=%s size=%u count=%u min_us=" BENCH_FMT_MILLI
		" avg_us=" BENCH_FMT_MILLI " median_us=" BENCH_FMT_MILLI
		" p99_us=" BENCH_FMT_MILLI " max_us=" BENCH_FMT_MILLI " lost=%u\n",
		mode, size, n, BENCH_MILLI(ns[0]), BENCH_MILLI(sum / n),
		BENCH_MILLI(median), BENCH_MILLI(ns[(n * 99 - 1) / 100]),
		BENCH_MILLI(ns[n - 1]), lost);
}

/* Warm-up, then bench_count round trips of @size; 0 or a negative errno. */
static int bench_size(struct udp_endpoint *ep, struct netdev *dev, u8 *buf,
		      u64 *ns, const char *mode, u32 size, u32 *seq)
{
	u32 i, lost = 0;
	s64 r;

	for (i = 0; i < bench_warmup + bench_count; i++) {
		r = round_trip(ep, dev, buf, UE_DATA, (*seq)++, size, &lost);
		if (r < 0) {
			pr_err("mode=%s size=%u: round trip %u failed: %ld\n",
			       mode, size, i, r);
			return r;
		}
		if (i >= bench_warmup)
			ns[i - bench_warmup] = r;
	}
	report(mode, size, ns, bench_count, lost);
	return 0;
}

/* Parse "64,1400" into @sizes; the count, or -EINVAL. */
static int parse_sizes(u32 *sizes)
{
	char list[sizeof(bench_sizes)], *p = list, *word;
	int n = 0;

	strscpy(list, bench_sizes, sizeof(list));
	while ((word = strsep(&p, ","))) {
		if (n == BENCH_MAX_SIZES || kstrtouint(word, 10, &sizes[n]) ||
		    sizes[n] < UE_HLEN || sizes[n] > UDP_MAX_PAYLOAD)
			return -EINVAL;
		n++;
	}
	return n;
}

/* The peer may still be booting: probe until it echoes. */
static int bench_probe(struct udp_endpoint *ep, struct netdev *dev, u8 *buf,
		       u32 *seq)
{
	u64 deadline = ktime_get_ns() + bench_wait_s * NSEC_PER_SEC;
	u32 lost = 0;

	while (ktime_get_ns() < deadline) {
		if (round_trip(ep, dev, buf, UE_PROBE, (*seq)++, UE_HLEN,
			       &lost) >= 0)
			return 0;
	}
	pr_err("no echo from %pI4:%u in %u s\n", &bench_peer, bench_port,
	       bench_wait_s);
	return -EHOSTDOWN;
}

static int bench_mode(struct udp_endpoint *ep, struct netdev *dev, u8 *buf,
		      u64 *ns, const char *mode, const u32 *sizes, int nsizes,
		      u32 *seq)
{
	int i, ret = 0;

	if (strcmp(mode, "poll") && strcmp(mode, "irq")) {
		pr_err("net.bench_modes: unknown mode '%s'\n", mode);
		return -EINVAL;
	}
	netdev_set_rx_mode(dev, strcmp(mode, "poll") ? NETDEV_RX_IRQ :
						       NETDEV_RX_POLL);
	for (i = 0; i < nsizes && !ret; i++)
		ret = bench_size(ep, dev, buf, ns, mode, sizes[i], seq);
	netdev_set_rx_mode(dev, NETDEV_RX_IRQ);
	return ret;
}

static int bench_round_trips(struct netdev *dev, const u32 *sizes, int nsizes)
{
	char modes[sizeof(bench_modes)], *p = modes, *mode;
	struct udp_endpoint *ep;
	u32 seq = 1, lost = 0;
	u64 *ns;
	u8 *buf;
	int ret = -ENOMEM;

	ns = kmalloc(bench_count * sizeof(*ns), GFP_KERNEL);
	buf = kmalloc(UDP_MAX_PAYLOAD, GFP_KERNEL);
	if (!ns || !buf)
		goto out_free;
	ep = udp_bind(0, bench_rx, NULL);
	if (IS_ERR(ep)) {
		ret = PTR_ERR(ep);
		goto out_free;
	}
	init_completion(&rt.done);
	ret = bench_probe(ep, dev, buf, &seq);
	strscpy(modes, bench_modes, sizeof(modes));
	while (!ret && (mode = strsep(&p, ",")))
		ret = bench_mode(ep, dev, buf, ns, mode, sizes, nsizes, &seq);
	if (!ret)	/* a Linux udpecho server exits on BYE */
		round_trip(ep, dev, buf, UE_BYE, seq, UE_HLEN, &lost);
	if (rt.stale)
		pr_info("%u stale echoes ignored\n", rt.stale);
	udp_unbind(ep);
out_free:
	kfree(buf);
	kfree(ns);
	return ret;
}

/* The configured interface; net_ifup() may not have run yet. */
static struct netdev *bench_wait_dev(void)
{
	struct netdev *dev;
	int i;

	for (i = 0; i < 500; i++) {
		dev = ip_default_dev();
		if (dev)
			return dev;
		msleep(10);
	}
	return NULL;
}

static int bench_thread(void *arg)
{
	u32 sizes[BENCH_MAX_SIZES];
	struct netdev *dev = bench_wait_dev();
	int nsizes = parse_sizes(sizes), ret = -ENODEV;

	if (nsizes < 0 || !bench_count || bench_port > 65535 ||
	    bench_stream_port > 65535) {
		pr_err("net.bench_sizes=%s count=%u port=%u stream_port=%u: bad value\n",
		       bench_sizes, bench_count, bench_port, bench_stream_port);
		ret = -EINVAL;
	} else if (dev) {
		pr_info("%u round trips of %s bytes to %pI4:%u, modes %s\n",
			bench_count, bench_sizes, &bench_peer, bench_port,
			bench_modes);
		ret = bench_round_trips(dev, sizes, nsizes);
		if (!ret && bench_stream_count)
			ret = netbench_stream(dev, bench_peer, bench_stream_port,
					      bench_stream_count,
					      bench_stream_size);
	} else {
		pr_err("no interface with an address (net.ip=)\n");
	}
	pr_info("NETBENCH-DONE %s (%d)\n", ret ? "failed" : "ok", ret);
	qemu_debug_exit(ret ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
	return ret;
}

static int __init bench_init(void)
{
	if (!bench_peer)
		return 0;
	if (!kthread_create(bench_thread, NULL, "netbench"))
		return -ENOMEM;
	return 0;
}
late_initcall(bench_init);
