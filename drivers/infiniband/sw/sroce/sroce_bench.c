// SPDX-License-Identifier: GPL-2.0
/*
 * The soft-RoCE benchmark's LegoOS side, a boot-time action: two nodes
 * booted with
 *
 *	rdma.bench_peer=A.B.C.D  rdma.bench_role=client|server
 *	rdma.bench_iters=N	 latency iterations (default 1000)
 *	rdma.bench_bw_iters=N	 64 KiB WRITEs of the bandwidth test (500)
 *
 * connect one RC QP each (the handshake of test_hello.c on UDP 18515),
 * switch the NIC to busy polling (NETDEV_RX_POLL: ib_poll_cq() of the
 * sroce provider polls the netdev, so spinning on a CQ is all the receive
 * path there is) and measure what perftest measures between two Linux
 * VMs with rdma_rxe (bench/rdma-linux):
 *
 *   send_lat   ping-pong of SENDs; half of each round trip (ib_send_lat)
 *   write_lat  ping-pong of RDMA WRITEs, each side spinning on the last
 *              byte of its buffer; half of each round trip (ib_write_lat)
 *   read_lat   one RDMA READ at a time, post to completion: the whole
 *              round trip, as ib_read_lat reports it
 *   write_bw   rdma.bench_bw_iters 64 KiB WRITEs, BM_SQ_MAX in flight,
 *              first post to last completion (ib_write_bw)
 *
 * at 64 B and 4 KiB (latencies) and 64 KiB (bandwidth), after
 * iters / 10 warm-up rounds.  The client drives: before each test it
 * SENDs START (test, size, iterations) and waits for the server's READY;
 * tests where the server only serves end with the client's END.  The
 * client prints per test
 *
 *   RDMABENCH-RESULT test=send_lat size=64 iters=1000 t_min_us=..
 *       t_typical_us=.. t_avg_us=.. p99_us=.. t_max_us=..
 *   RDMABENCH-RESULT test=write_bw size=65536 iters=500 bw_MBps=..
 *       bw_MiBps=..
 *
 * (t_typical is the median, as in perftest; MB are 10^6 bytes), then
 * BYE, and both nodes leave QEMU through isa-debug-exit: 33 when
 * everything was measured, 35 otherwise.  Documentation/benchmarks.md.
 *
 * It borrows the ktest endpoints (test_end.c, test_hello.c): QP, CQs and
 * registered 1 MiB buffers, connection, posting.
 */
#define pr_fmt(fmt) "rdmabench: " fmt

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
#include <net/ip.h>
#include <net/netdev.h>

#include "sroce.h"
#include "test_util.h"

#define BM_MAGIC	0x52424d31	/* "RBM1" */
#define BM_SQ_MAX	14		/* signalled sends out; the QP has 16 */
#define BM_WAIT_NS	(120 * NSEC_PER_SEC)	/* any one step */
#define BM_BW_SIZE	65536

enum bm_kind { BM_START = 1, BM_READY, BM_END, BM_BYE };
enum bm_test { BM_SEND_LAT, BM_WRITE_LAT, BM_READ_LAT, BM_WRITE_BW };

static const char *const bm_test_name[] = {
	[BM_SEND_LAT] = "send_lat",
	[BM_WRITE_LAT] = "write_lat",
	[BM_READ_LAT] = "read_lat",
	[BM_WRITE_BW] = "write_bw",
};

/* What bench/rdma-linux runs, in its order. */
static const struct { enum bm_test test; u32 size; } bm_plan[] = {
	{ BM_SEND_LAT, 64 }, { BM_SEND_LAT, 4096 },
	{ BM_WRITE_LAT, 64 }, { BM_WRITE_LAT, 4096 },
	{ BM_READ_LAT, 64 }, { BM_READ_LAT, 4096 },
	{ BM_WRITE_BW, BM_BW_SIZE },
};

struct bm_msg {
	u32 magic;
	u32 kind;		/* enum bm_kind */
	u32 test;		/* enum bm_test */
	u32 size;
	u32 iters;		/* warm-up included */
};

static __be32 bench_peer;
static char bench_role[16];
static unsigned int bench_iters = 1000;
static unsigned int bench_bw_iters = 500;

static int bench_peer_param(const char *val)
{
	return inet_parse_addr(val, &bench_peer, NULL) || !bench_peer ?
	       -EINVAL : 0;
}
lego_param_cb("rdma.bench_peer", bench_peer_param,
	      "run the RDMA benchmark with this node, then exit QEMU");
lego_param_string("rdma.bench_role", bench_role,
		  "client (measures) or server, in the RDMA benchmark");
lego_param_uint("rdma.bench_iters", bench_iters,
		"RDMA benchmark: iterations of each latency test (1000)");
lego_param_uint("rdma.bench_bw_iters", bench_bw_iters,
		"RDMA benchmark: 64 KiB WRITEs of the bandwidth test (500)");

static struct {
	struct st_end e;
	struct st_hello h;
	u32 sq_out;		/* signalled sends not yet completed */
	u64 *ns;		/* one sample per iteration */
} B;

/* ---- spinning ------------------------------------------------------------ */

/* Reap send completions; -EIO for a failed one. */
static int bm_reap(void)
{
	struct ib_wc wc[4];
	int n, i;

	n = ib_poll_cq(B.e.scq, ARRAY_SIZE(wc), wc);
	for (i = 0; i < n; i++) {
		B.sq_out--;
		if (wc[i].status != IB_WC_SUCCESS) {
			pr_err("send completion: %s\n",
			       ib_wc_status_msg(wc[i].status));
			return -EIO;
		}
	}
	return n < 0 ? n : 0;
}

/* A signalled send; first wait for room in the send queue. */
static int bm_post(enum ib_wr_opcode op, void *buf, u32 len, struct ib_mr *mr)
{
	u64 deadline = ktime_get_ns() + BM_WAIT_NS;
	int err;

	while (B.sq_out >= BM_SQ_MAX) {
		err = bm_reap();
		if (err)
			return err;
		if (ktime_get_ns() > deadline)
			return -ETIMEDOUT;
	}
	err = st_post(&B.e, op, buf, len, mr, &B.h.theirs, 0);
	if (!err)
		B.sq_out++;
	return err;
}

/* Spin until a receive completes, reaping sends; the receive is reposted. */
static int bm_recv(struct ib_wc *wc)
{
	u64 deadline = ktime_get_ns() + BM_WAIT_NS;
	int n, err;

	for (;;) {
		n = ib_poll_cq(B.e.rcq, 1, wc);
		if (n < 0)
			return n;
		if (n)
			break;
		err = bm_reap();
		if (err)
			return err;
		if (ktime_get_ns() > deadline)
			return -ETIMEDOUT;
	}
	if (wc->status != IB_WC_SUCCESS) {
		pr_err("receive completion: %s\n", ib_wc_status_msg(wc->status));
		return -EIO;
	}
	return st_post_recv(&B.e);
}

/* Spin until the last byte of our target buffer (@size bytes) is @v. */
static int bm_spin_byte(u32 size, u8 v)
{
	u64 deadline = ktime_get_ns() + BM_WAIT_NS;
	int err;

	while (READ_ONCE(B.e.tgt[size - 1]) != v) {
		err = bm_reap();
		if (err)
			return err;
		if (ktime_get_ns() > deadline)
			return -ETIMEDOUT;
	}
	return 0;
}

/* Every signalled send completed. */
static int bm_drain(void)
{
	u64 deadline = ktime_get_ns() + BM_WAIT_NS;
	int err;

	while (B.sq_out) {
		err = bm_reap();
		if (err)
			return err;
		if (ktime_get_ns() > deadline)
			return -ETIMEDOUT;
	}
	return 0;
}

/* ---- control messages ------------------------------------------------------ */

/* Complete before the next message may reuse the buffer (a resend reads it). */
static int bm_send_msg(u32 kind, u32 test, u32 size, u32 iters)
{
	struct bm_msg *m = (struct bm_msg *)B.e.ctrl;
	int err = bm_drain();

	if (err)
		return err;
	*m = (struct bm_msg){ BM_MAGIC, kind, test, size, iters };
	err = bm_post(IB_WR_SEND, m, sizeof(*m), B.e.mr_ctrl);
	return err ? err : bm_drain();
}

static int bm_wait_msg(struct bm_msg *m)
{
	struct ib_wc wc;
	int err = bm_recv(&wc);

	if (err)
		return err;
	memcpy(m, B.e.rx, sizeof(*m));
	if (wc.byte_len != sizeof(*m) || m->magic != BM_MAGIC) {
		pr_err("unexpected message: %u bytes, magic %#x\n",
		       wc.byte_len, m->magic);
		return -EPROTO;
	}
	return 0;
}

static int bm_expect(u32 kind)
{
	struct bm_msg m;
	int err = bm_wait_msg(&m);

	if (!err && m.kind != kind) {
		pr_err("expected message %u, got %u\n", kind, m.kind);
		err = -EPROTO;
	}
	return err;
}

/* ---- one iteration of each test, either side ------------------------------ */

/* A SEND of @size, then the peer's; the client sends first. */
static int ping_send(bool client, u32 size)
{
	struct ib_wc wc;
	int err;

	if (client) {
		err = bm_post(IB_WR_SEND, B.e.loc, size, B.e.mr_loc);
		return err ? err : bm_recv(&wc);
	}
	err = bm_recv(&wc);
	return err ? err : bm_post(IB_WR_SEND, B.e.loc, size, B.e.mr_loc);
}

/* A WRITE of @size whose last byte is @v, then the peer's. */
static int ping_write(bool client, u32 size, u8 v)
{
	int err;

	if (!client) {
		err = bm_spin_byte(size, v);
		if (err)
			return err;
	}
	B.e.loc[size - 1] = v;
	err = bm_post(IB_WR_RDMA_WRITE, B.e.loc, size, B.e.mr_loc);
	if (!err && client)
		err = bm_spin_byte(size, v);
	return err;
}

static int one_read(u32 size)
{
	int err = bm_post(IB_WR_RDMA_READ, B.e.loc, size, B.e.mr_loc);

	return err ? err : bm_drain();
}

/* ---- the tests ---------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return (x > y) - (x < y);
}

/* Nanoseconds as microseconds with two decimals. */
#define US_FMT		"%llu.%02llu"
#define US(ns)		(unsigned long long)((ns) / 1000), \
			(unsigned long long)((ns) % 1000 / 10)

static void report_lat(enum bm_test test, u32 size, u32 n)
{
	u64 sum = 0, *ns = B.ns, median;
	u32 i;

	sort(ns, n, sizeof(*ns), cmp_u64, NULL);
	for (i = 0; i < n; i++)
		sum += ns[i];
	median = n % 2 ? ns[n / 2] : (ns[n / 2 - 1] + ns[n / 2]) / 2;
	pr_info("RDMABENCH-RESULT test=%s size=%u iters=%u t_min_us=" US_FMT
		" t_typical_us=" US_FMT " t_avg_us=" US_FMT " p99_us=" US_FMT
		" t_max_us=" US_FMT "\n", bm_test_name[test], size, n,
		US(ns[0]), US(median), US(sum / n), US(ns[(n * 99 - 1) / 100]),
		US(ns[n - 1]));
}

/*
 * One latency test, warm-up included; the client keeps the samples.  The
 * target buffer's first @size bytes are zero.
 */
static int run_lat(bool client, enum bm_test test, u32 size, u32 warm,
		   u32 n)
{
	u64 t0, dt;
	u32 i;
	int err = 0;

	for (i = 0; !err && i < warm + n; i++) {
		t0 = ktime_get_ns();
		if (test == BM_SEND_LAT)
			err = ping_send(client, size);
		else if (test == BM_WRITE_LAT)
			err = ping_write(client, size, (u8)(i % 255 + 1));
		else
			err = one_read(size);
		dt = ktime_get_ns() - t0;
		if (client && i >= warm) /* ping-pongs: half the round trip */
			B.ns[i - warm] = test == BM_READ_LAT ? dt : dt / 2;
	}
	return err ? err : bm_drain();
}

static int run_bw(u32 size, u32 n)
{
	u64 t0, ns, bytes = (u64)size * n;
	u32 i, slots = ST_MAX_MSG / size;
	int err = 0;

	t0 = ktime_get_ns();
	for (i = 0; !err && i < n; i++)
		err = bm_post(IB_WR_RDMA_WRITE, B.e.loc + (i % slots) * size,
			      size, B.e.mr_loc);
	if (!err)
		err = bm_drain();
	ns = ktime_get_ns() - t0;
	if (err)
		return err;
	pr_info("RDMABENCH-RESULT test=write_bw size=%u iters=%u bw_MBps=%llu.%02llu bw_MiBps=%llu.%02llu\n",
		size, n, (unsigned long long)(bytes * 1000 / ns),
		(unsigned long long)(bytes * 100000 / ns % 100),
		(unsigned long long)((bytes * 1000000000 >> 20) / ns),
		(unsigned long long)((bytes * 1000000000 >> 20) * 100 / ns % 100));
	return 0;
}

/* ---- the two sides -------------------------------------------------------------- */

static int client_test(enum bm_test test, u32 size)
{
	u32 n = test == BM_WRITE_BW ? bench_bw_iters : bench_iters;
	u32 warm = test == BM_WRITE_BW ? 0 : n / 10;
	int err;

	memset(B.e.tgt, 0, size);	/* write_lat spins on the last byte */
	err = bm_send_msg(BM_START, test, size, warm + n);
	if (!err)
		err = bm_expect(BM_READY);
	if (err)
		return err;
	if (test == BM_WRITE_BW)
		err = run_bw(size, n);
	else
		err = run_lat(true, test, size, warm, n);
	if (!err && test != BM_WRITE_BW)
		report_lat(test, size, n);
	/* The server of a one-sided test waits for this. */
	if (!err && (test == BM_READ_LAT || test == BM_WRITE_BW))
		err = bm_send_msg(BM_END, test, size, 0);
	if (err)
		pr_err("%s size %u: %d\n", bm_test_name[test], size, err);
	return err;
}

static int run_client(void)
{
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < ARRAY_SIZE(bm_plan); i++)
		err = client_test(bm_plan[i].test, bm_plan[i].size);
	if (!err)
		err = bm_send_msg(BM_BYE, 0, 0, 0);
	if (!err)
		err = bm_expect(BM_BYE);
	return err ? err : bm_drain();
}

static int server_test(const struct bm_msg *m)
{
	int err;

	if (m->test > BM_WRITE_BW || !m->size || m->size > ST_MAX_MSG ||
	    !m->iters)
		return -EPROTO;
	memset(B.e.tgt, 0, m->size);	/* before the client may write */
	err = bm_send_msg(BM_READY, m->test, m->size, m->iters);
	if (err)
		return err;
	if (m->test == BM_READ_LAT || m->test == BM_WRITE_BW)
		return bm_expect(BM_END);
	return run_lat(false, m->test, m->size, 0, m->iters);
}

static int run_server(void)
{
	struct bm_msg m;
	int err;

	for (;;) {
		err = bm_wait_msg(&m);
		if (err)
			return err;
		if (m.kind == BM_BYE)
			break;
		err = m.kind == BM_START ? server_test(&m) : -EPROTO;
		if (err) {
			pr_err("%s: %d\n", m.test <= BM_WRITE_BW ?
			       bm_test_name[m.test] : "?", err);
			return err;
		}
	}
	err = bm_send_msg(BM_BYE, 0, 0, 0);
	return err ? err : bm_drain();
}

/* sroce0 appears once net.ip is configured: wait for it. */
static struct ib_device *bench_dev(void)
{
	struct ib_device *dev;
	int i;

	for (i = 0; i < 1000; i++) {
		dev = ib_device_get_by_name("sroce0");
		if (dev)
			return dev;
		msleep(10);
	}
	return NULL;
}

static int bench_run(bool client)
{
	struct ib_device *dev = bench_dev();
	struct netdev *ndev;
	int err;

	if (!dev)
		return -ENODEV;
	ndev = to_sdev(dev)->ndev;
	err = st_end_create(&B.e, dev, (u32)ktime_get_ns() & IB_PSN_MASK);
	if (err)
		return err;
	B.ns = kmalloc_array(bench_iters, sizeof(*B.ns), GFP_KERNEL);
	if (!B.ns) {
		err = -ENOMEM;
		goto out_end;
	}
	B.h.peer = bench_peer;
	B.h.server = !client;
	st_end_describe(&B.e, &B.h.mine);
	err = st_hello_connect(&B.h, &B.e, ST_HELLO_WAIT_MS);
	if (err) {
		pr_err("no connection with %pI4: %d\n", &bench_peer, err);
		goto out_hello;
	}
	pr_info("%s: QP %#x connected to %pI4 QP %#x; busy-polling %s\n",
		client ? "client" : "server", B.e.qp->qp_num, &bench_peer,
		B.h.theirs.qpn, ndev->name);
	netdev_set_rx_mode(ndev, NETDEV_RX_POLL);
	err = client ? run_client() : run_server();
	netdev_set_rx_mode(ndev, NETDEV_RX_IRQ);
	msleep(200);		/* the last ACKs */
	sroce_print_stats(dev);
out_hello:
	st_hello_close(&B.h);
	kfree(B.ns);
out_end:
	st_end_destroy(&B.e);
	return err;
}

static int bench_thread(void *arg)
{
	bool client = !strcmp(bench_role, "client");
	int err = -EINVAL;

	if (client || !strcmp(bench_role, "server"))
		err = bench_run(client);
	else
		pr_err("rdma.bench_role=%s: neither client nor server\n",
		       bench_role);
	pr_info("RDMABENCH-DONE role=%s status=%d\n", bench_role, err);
	qemu_debug_exit(err ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
	return 0;
}

static int __init sroce_bench_init(void)
{
	if (!bench_peer)
		return 0;
	if (!bench_iters || !bench_bw_iters) {
		pr_err("rdma.bench_iters and rdma.bench_bw_iters must be > 0\n");
		return 0;
	}
	if (!kthread_create(bench_thread, NULL, "rdmabench"))
		pr_err("no thread: the benchmark does not run\n");
	return 0;
}
late_initcall(sroce_bench_init);
