// SPDX-License-Identifier: GPL-2.0
/*
 * FIT's benchmark client, a boot-time action: with fit.bench_peer=ID the
 * node waits for FIT node ID to come up, measures calls to it, prints one
 * line per measurement and leaves QEMU through isa-debug-exit: 33 when
 * everything was measured, 35 when the peer never came up or a call
 * failed.  bench/fit runs it (P, node 0, against M, node 1, which only
 * serves) next to the same measurement with kernel UDP sockets between two
 * Linux VMs; Documentation/benchmarks.md has the parameters and output.
 *
 * Every call is fit_call(peer, FIT_OP_BLOB) with a 32-byte request (u32 n,
 * then padding) asking for an n-byte reply of fit_fill_byte(0, i), the
 * opcode every node serves.  The clock is ktime_get_ns() around the call,
 * as net/bench.c times a UDP round trip.
 *
 *   FIT-BENCH rtt req=32 reply=4 count=2000 checked=125 min_us=..
 *       median_us=.. p99_us=.. max_us=.. avg_us=..
 *	one call in flight, fit.bench_count calls after fit.bench_warmup,
 *	for replies of 4 and 4096 bytes; every reply's length is checked,
 *	and the bytes of every FIT_BENCH_CHECK_EVERY-th (outside the timing)
 *   FIT-BENCH rate threads=4 req=32 reply=4 calls=.. secs=.. per_s=..
 *	1 and 4 threads, each calling back to back for fit.bench_secs
 *   FIT-BENCH done status=0
 */
#define pr_fmt(fmt) "fitbench: " fmt

#include <lego/errno.h>
#include <lego/fit.h>
#include <lego/init.h>
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/params.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/sort.h>
#include <lego/string.h>
#include <lego/time.h>

#include "../bench.h"

#define FIT_BENCH_REQ		32
#define FIT_BENCH_SMALL		4
#define FIT_BENCH_PAGE		4096
#define FIT_BENCH_WAIT_MS	60000
#define FIT_BENCH_CHECK_EVERY	16
#define FIT_BENCH_MAX_THREADS	4
#define FIT_BENCH_POISON	0xa5

static int fit_bench_peer = -1;
static unsigned int fit_bench_count = 2000;
static unsigned int fit_bench_warmup = 200;
static unsigned int fit_bench_secs = 5;

lego_param_int("fit.bench_peer", fit_bench_peer,
	       "run the FIT benchmark against this node, then exit QEMU (-1: off)");
lego_param_uint("fit.bench_count", fit_bench_count,
		"measured calls per round-trip case (default 2000)");
lego_param_uint("fit.bench_warmup", fit_bench_warmup,
		"unmeasured calls before each round-trip case (default 200)");
lego_param_uint("fit.bench_secs", fit_bench_secs,
		"seconds of each calls-per-second case (default 5)");

typedef unsigned long long ull;

/* The request of FIT_OP_BLOB: the reply size, then padding. */
struct fit_bench_req {
	u32 n;
	u8 pad[FIT_BENCH_REQ - sizeof(u32)];
};

/* One call for @n bytes: 0, or a negative errno (-EBADMSG: wrong length). */
static int blob_call(u32 n, u8 *reply, u64 *ns)
{
	struct fit_bench_req req = { .n = n };
	u64 t0 = ktime_get_ns();
	int ret;

	ret = fit_call(fit_bench_peer, FIT_OP_BLOB, &req, sizeof(req), reply,
		       n, 0);
	*ns = ktime_get_ns() - t0;
	if (ret < 0)
		return ret;
	return ret == (int)n ? 0 : -EBADMSG;
}

/* Is @reply (@n bytes) FIT_OP_BLOB's pattern? */
static bool blob_intact(const u8 *reply, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (reply[i] != fit_fill_byte(0, i))
			return false;
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return (x > y) - (x < y);
}

static void rtt_report(u32 n, u64 *ns, u32 count, u32 checked)
{
	u64 sum = 0, median;
	u32 i;

	sort(ns, count, sizeof(*ns), cmp_u64, NULL);
	for (i = 0; i < count; i++)
		sum += ns[i];
	median = count % 2 ? ns[count / 2] :
			     (ns[count / 2 - 1] + ns[count / 2]) / 2;
	pr_info("FIT-BENCH rtt req=%u reply=%u count=%u checked=%u min_us="
		BENCH_FMT_MILLI " median_us=" BENCH_FMT_MILLI " p99_us="
		BENCH_FMT_MILLI " max_us=" BENCH_FMT_MILLI " avg_us="
		BENCH_FMT_MILLI "\n", FIT_BENCH_REQ, n, count, checked,
		BENCH_MILLI(ns[0]), BENCH_MILLI(median),
		BENCH_MILLI(ns[(count * 99 - 1) / 100]),
		BENCH_MILLI(ns[count - 1]), BENCH_MILLI(sum / count));
}

/* Warm-up, then fit_bench_count timed calls for @n-byte replies. */
static int bench_rtt(u32 n, u8 *reply, u64 *ns)
{
	u32 i, checked = 0;
	bool check;
	u64 t;
	int ret;

	for (i = 0; i < fit_bench_warmup + fit_bench_count; i++) {
		check = i % FIT_BENCH_CHECK_EVERY == 0;
		if (check)
			memset(reply, FIT_BENCH_POISON, n);
		ret = blob_call(n, reply, &t);
		if (!ret && check && !blob_intact(reply, n))
			ret = -EBADMSG;
		if (ret) {
			pr_err("rtt reply=%u: call %u failed: %d\n", n, i, ret);
			return ret;
		}
		if (i >= fit_bench_warmup) {
			ns[i - fit_bench_warmup] = t;
			checked += check;
		}
	}
	rtt_report(n, ns, fit_bench_count, checked);
	return 0;
}

/* ---- calls per second ------------------------------------------------------- */

struct rate_thread {
	u64 deadline;
	u64 calls;
	int err;
};

static int rate_thread(void *arg)
{
	struct rate_thread *r = arg;
	u8 reply[FIT_BENCH_SMALL];
	u64 t;

	while (ktime_get_ns() < r->deadline) {
		r->err = blob_call(FIT_BENCH_SMALL, reply, &t);
		if (r->err)
			break;
		r->calls++;
	}
	return 0;
}

/* @nr threads calling back to back for fit_bench_secs. */
static int bench_rate(unsigned int nr)
{
	struct task_struct *task[FIT_BENCH_MAX_THREADS];
	struct rate_thread r[FIT_BENCH_MAX_THREADS];
	u64 t0 = ktime_get_ns(), el, calls = 0;
	unsigned int i, started;
	int err = 0;

	for (started = 0; started < nr; started++) {
		r[started] = (struct rate_thread){
			.deadline = t0 + fit_bench_secs * NSEC_PER_SEC };
		task[started] = kthread_create(rate_thread, &r[started],
					       "fit-bench");
		if (!task[started]) {
			err = -ENOMEM;
			break;
		}
	}
	for (i = 0; i < started; i++) {
		kthread_join(task[i]);
		calls += r[i].calls;
		if (r[i].err && !err)
			err = r[i].err;
	}
	el = ktime_get_ns() - t0;
	if (err) {
		pr_err("rate threads=%u: failed: %d\n", nr, err);
		return err;
	}
	pr_info("FIT-BENCH rate threads=%u req=%u reply=%u calls=%llu secs=%llu.%03llu per_s=%llu\n",
		nr, FIT_BENCH_REQ, FIT_BENCH_SMALL, (ull)calls,
		(ull)(el / NSEC_PER_SEC),
		(ull)(el % NSEC_PER_SEC / NSEC_PER_MSEC),
		(ull)(calls * NSEC_PER_SEC / (el ? el : 1)));
	return 0;
}

/* ---- the boot-time driver ----------------------------------------------------- */

static int bench_all(void)
{
	static const unsigned int threads[] = { 1, FIT_BENCH_MAX_THREADS };
	u64 *ns = kmalloc(fit_bench_count * sizeof(*ns), GFP_KERNEL);
	u8 *reply = kmalloc(FIT_BENCH_PAGE, GFP_KERNEL);
	unsigned int i;
	int ret = -ENOMEM;

	if (!ns || !reply)
		goto out_free;
	ret = bench_rtt(FIT_BENCH_SMALL, reply, ns);
	if (!ret)
		ret = bench_rtt(FIT_BENCH_PAGE, reply, ns);
	for (i = 0; i < ARRAY_SIZE(threads) && !ret; i++)
		ret = bench_rate(threads[i]);
out_free:
	kfree(reply);
	kfree(ns);
	return ret;
}

static int fit_bench_thread(void *arg)
{
	u64 t0 = ktime_get_ns();
	int ret;

	pr_info("node %d: %u calls per case after %u, rates over %u s\n",
		fit_bench_peer, fit_bench_count, fit_bench_warmup,
		fit_bench_secs);
	ret = fit_wait_peer(fit_bench_peer, FIT_BENCH_WAIT_MS);
	if (ret) {
		pr_err("node %d is not up after %u ms (%d; fit.peers= names it?)\n",
		       fit_bench_peer, FIT_BENCH_WAIT_MS, ret);
	} else {
		pr_info("node %d up after %llu ms\n", fit_bench_peer,
			(ull)((ktime_get_ns() - t0) / NSEC_PER_MSEC));
		ret = bench_all();
		fit_print_stats();
	}
	pr_info("FIT-BENCH done status=%d\n", ret);
	qemu_debug_exit(ret ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
	return ret;
}

/* After FIT's own late_initcall (net/fit/os_lego.c links first). */
static int __init fit_bench_init(void)
{
	if (fit_bench_peer < 0)
		return 0;
	if (!fit_bench_count || !fit_bench_secs) {
		pr_err("fit.bench_count=%u fit.bench_secs=%u: must be > 0\n",
		       fit_bench_count, fit_bench_secs);
		qemu_debug_exit(QEMU_EXIT_FAIL);
		return -EINVAL;
	}
	if (!kthread_create(fit_bench_thread, NULL, "fit-bench"))
		return -ENOMEM;
	return 0;
}
late_initcall(fit_bench_init);
