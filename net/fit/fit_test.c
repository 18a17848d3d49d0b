// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suites for FIT, run on a node booted with fit.peers= (every other
 * node of the cluster serves; tests/net/test_fit.py runs them):
 *
 *   fit		join (every configured peer comes up), then against
 *			each peer: the shared self test (selftest.c), 4
 *			threads x fit.test_calls concurrent calls checked
 *			reply by reply and counted on the peer (no loss, no
 *			duplicate), flow control with one-way 1 MiB
 *			messages, argument and timeout errors, and malformed
 *			messages and hellos that the peer must survive
 *   fit_failover	against fit.test_failover=ID: the harness kills that
 *			node when told to ("FIT-TEST: kill node N"); calls
 *			must fail within the bound; it restarts the node
 *			("FIT-TEST: restart node N") and calls must work again
 *
 * Parameters: fit.test_calls=N (default 10000), fit.test_wait_ms=MS
 * (default 60000: how long join waits), fit.test_failover=ID.
 */
#include <lego/ktest.h>
#include <lego/params.h>
#include <net/pktbuf.h>
#include <net/udp.h>

#include "core.h"

static unsigned int fit_test_calls = 10000;
static unsigned int fit_test_wait_ms = 60000;
static int fit_test_failover = -1;
lego_param_uint("fit.test_calls", fit_test_calls, "calls per thread in ktest fit");
lego_param_uint("fit.test_wait_ms", fit_test_wait_ms, "how long ktest fit waits for peers");
lego_param_int("fit.test_failover", fit_test_failover, "node ktest fit_failover kills and restarts");

#define NR_THREADS	4

typedef unsigned long long ull;

/*
 * The configured peers; without fit.peers= (ktest=all on a lone node)
 * the case is skipped: tests/net checks that nothing was skipped there.
 */
static int peers(struct ktest *t, int *ids)
{
	if (fit_node_id() < 0) {
		ktest_skip(t, "no fit.peers= on the command line");
		return 0;
	}
	return fit_peer_ids(ids, FIT_MAX_NODES);
}

static int remote_stats(int node, struct fit_peer_counters *s)
{
	int ret = fit_call(node, FIT_OP_STATS, NULL, 0, s, sizeof(*s), 0);

	return ret == sizeof(*s) ? 0 : (ret < 0 ? ret : -EBADMSG);
}

static void join(struct ktest *t)
{
	int ids[FIT_MAX_NODES], n = peers(t, ids), i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < n; i++) {
		KTEST_EXPECT_EQ(t, fit_wait_peer(ids[i], fit_test_wait_ms), 0);
		ktest_log(t, "node %d up after %llu ms", ids[i],
			  (ull)((ktime_get_ns() - t0) / NSEC_PER_MSEC));
	}
	KTEST_EXPECT_EQ(t, fit_nr_peers_up(), n);
}

static void selftest(struct ktest *t)
{
	int ids[FIT_MAX_NODES], n = peers(t, ids), i;

	for (i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, fit_selftest_peer(ids[i]), 0);
}

/* ---- concurrency ---------------------------------------------------------- */

struct conc {
	int node;
	int thread;
	unsigned int calls;
	unsigned int ok;
	unsigned int bad;
	int first_err;
};

static int conc_thread(void *arg)
{
	struct conc *c = arg;
	u64 req[4], reply[5];
	unsigned int i;
	int ret;

	for (i = 0; i < c->calls; i++) {
		req[0] = (u64)c->thread << 32 | i;
		req[1] = ~req[0];
		req[2] = req[0] * 0x9e3779b97f4a7c15ull;
		req[3] = ktime_get_ns();
		memset(reply, 0, sizeof(reply));
		ret = fit_call(c->node, FIT_OP_ECHO, req, sizeof(req), reply,
			       sizeof(reply), 0);
		if (ret == sizeof(req) && !memcmp(req, reply, sizeof(req))) {
			c->ok++;
			continue;
		}
		c->bad++;
		if (!c->first_err)
			c->first_err = ret < 0 ? ret : -EBADMSG;
	}
	return 0;
}

static void concurrency(struct ktest *t)
{
	int ids[FIT_MAX_NODES], n = peers(t, ids), i, j;
	struct fit_peer_counters before, after;
	struct task_struct *task[NR_THREADS];
	struct conc c[NR_THREADS];

	for (i = 0; i < n; i++) {
		u64 t0;

		KTEST_ASSERT_EQ(t, remote_stats(ids[i], &before), 0);
		t0 = ktime_get_ns();
		for (j = 0; j < NR_THREADS; j++) {
			c[j] = (struct conc){ .node = ids[i], .thread = j,
					      .calls = fit_test_calls };
			task[j] = kthread_create(conc_thread, &c[j], "fit-conc");
			KTEST_ASSERT_NOT_NULL(t, task[j]);
		}
		for (j = 0; j < NR_THREADS; j++) {
			kthread_join(task[j]);
			KTEST_EXPECT_EQ(t, c[j].ok, fit_test_calls);
			KTEST_EXPECT_EQ(t, c[j].first_err, 0);
		}
		t0 = ktime_get_ns() - t0;
		KTEST_ASSERT_EQ(t, remote_stats(ids[i], &after), 0);
		/* Every call arrived exactly once (+1: the second STATS). */
		KTEST_EXPECT_EQ(t, after.msgs_in - before.msgs_in,
				(u64)NR_THREADS * fit_test_calls + 1);
		ktest_log(t, "node %d: %u threads x %u calls in %llu ms (%llu calls/s), peer counted %llu",
			  ids[i], NR_THREADS, fit_test_calls,
			  (ull)(t0 / NSEC_PER_MSEC),
			  (ull)((u64)NR_THREADS * fit_test_calls * NSEC_PER_SEC /
				(t0 ? t0 : 1)),
			  (ull)(after.msgs_in - before.msgs_in - 1));
	}
}

/* ---- flow control ---------------------------------------------------------- */

static void flow_control(struct ktest *t)
{
	int ids[FIT_MAX_NODES], n = peers(t, ids), i, k;
	struct fit_peer_counters before, after;
	const u32 size = 1u << 20, nr = 8;
	struct fit_ctx *ctx = fit_ctx_get();
	u8 *msg;

	if (!n || !ctx)
		return;
	msg = kmalloc(size, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, msg);
	memset(msg, 0x3c, size);
	for (i = 0; i < n; i++) {
		struct fit_peer *p = fit_peer_get(ctx, ids[i]);
		u64 waits = p->stats.credit_waits;

		KTEST_ASSERT_EQ(t, remote_stats(ids[i], &before), 0);
		/* 128 fragments each: far more than the peer's credits. */
		for (k = 0; k < (int)nr; k++)
			KTEST_EXPECT_EQ(t, fit_send(ids[i], FIT_OP_SINK, msg,
						    size), 0);
		/* A call after the sends arrives after them (same QP or not,
		 * the peer has them all once it answers twice). */
		KTEST_ASSERT_EQ(t, fit_call(ids[i], FIT_OP_PING, NULL, 0, NULL,
					    0, 0), 0);
		msleep(200);
		KTEST_ASSERT_EQ(t, remote_stats(ids[i], &after), 0);
		KTEST_EXPECT_EQ(t, after.msgs_in - before.msgs_in, nr + 2);
		KTEST_EXPECT_EQ(t, after.bytes_in - before.bytes_in,
				(u64)nr * size);
		KTEST_EXPECT_GT(t, p->stats.credit_waits, waits);
		ktest_log(t, "node %d: %u x 1 MiB one-way, %llu waits for credits",
			  ids[i], nr, (ull)(p->stats.credit_waits - waits));
	}
	kfree(msg);
}

/* ---- errors ------------------------------------------------------------------ */

static void errors(struct ktest *t)
{
	int ids[FIT_MAX_NODES], n = peers(t, ids), i;
	struct fit_ctx *ctx = fit_ctx_get();
	u8 buf[64];
	u32 ms;
	u64 t0, el;

	if (!n || !ctx)
		return;
	KTEST_EXPECT_EQ(t, fit_call(fit_node_id(), FIT_OP_PING, NULL, 0, NULL, 0, 0),
			-EINVAL);
	KTEST_EXPECT_EQ(t, fit_call(FIT_MAX_NODES, FIT_OP_PING, NULL, 0, NULL, 0, 0),
			-EINVAL);
	KTEST_EXPECT_EQ(t, fit_call(-1, FIT_OP_PING, NULL, 0, NULL, 0, 0), -EINVAL);
	for (i = 0; i < n; i++) {
		struct fit_peer *p = fit_peer_get(ctx, ids[i]);
		u64 late = p->stats.late_replies;

		KTEST_EXPECT_EQ(t, fit_call(ids[i], FIT_MAX_OPCODE, NULL, 0, NULL, 0, 0),
				-EINVAL);
		KTEST_EXPECT_EQ(t, fit_call(ids[i], FIT_OP_ECHO, NULL, 10, buf,
					    sizeof(buf), 0), -EINVAL);
		KTEST_EXPECT_EQ(t, fit_call(ids[i], FIT_OP_ECHO, buf, FIT_MAX_MSG + 1,
					    buf, sizeof(buf), 0), -EINVAL);
		KTEST_EXPECT_EQ(t, fit_register_handler(FIT_OP_ECHO, NULL, NULL, "x"),
				-EINVAL);
		/* The peer sleeps 600 ms; we give up after 150. */
		ms = 600;
		t0 = ktime_get_ns();
		KTEST_EXPECT_EQ(t, fit_call(ids[i], FIT_OP_SLOW, &ms, sizeof(ms),
					    NULL, 0, 150), -ETIMEDOUT);
		el = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
		KTEST_EXPECT_GE(t, el, 150);
		KTEST_EXPECT_LT(t, el, 1000);
		msleep(1000);
		/* Its reply came late and was recognised as such. */
		KTEST_EXPECT_EQ(t, p->stats.late_replies, late + 1);
		KTEST_EXPECT_EQ(t, fit_call(ids[i], FIT_OP_PING, NULL, 0, NULL, 0, 0), 0);
		ktest_log(t, "node %d: timeout after %llu ms, late reply counted",
			  ids[i], (ull)el);
	}
}

/* ---- garbage ------------------------------------------------------------------ */

static void garbage_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
		       __be32 saddr, u16 sport)
{
	pktbuf_free(pkt);
}

static void garbage_hellos(struct ktest *t, struct fit_ctx *ctx, __be32 ip)
{
	struct udp_endpoint *ep = udp_bind(0, garbage_rx, NULL);
	struct fit_hello h;
	u8 junk[300];
	int i;

	KTEST_ASSERT_FALSE(t, IS_ERR(ep));
	memset(junk, 0xee, sizeof(junk));
	udp_sendto(ep, ip, ctx->cfg.port, junk, 1);
	udp_sendto(ep, ip, ctx->cfg.port, junk, sizeof(junk));
	memset(&h, 0, sizeof(h));
	h.magic = FIT_HELLO_MAGIC;
	h.version = FIT_VERSION;
	h.type = FIT_HELLO;
	udp_sendto(ep, ip, ctx->cfg.port, &h, sizeof(h) - 1);	/* short */
	udp_sendto(ep, ip, ctx->cfg.port, &h, sizeof(h));	/* epoch 0 */
	h.type = 77;
	h.epoch = 5;
	h.nr_qps = 1;
	udp_sendto(ep, ip, ctx->cfg.port, &h, sizeof(h));	/* type */
	h.version = 99;
	udp_sendto(ep, ip, ctx->cfg.port, &h, sizeof(h));	/* version */
	for (i = 0; i < 100; i++) {				/* a storm */
		junk[0] = (u8)i;
		udp_sendto(ep, ip, ctx->cfg.port, junk, 8 + i);
	}
	msleep(100);
	udp_unbind(ep);
}

static void garbage(struct ktest *t)
{
	int ids[FIT_MAX_NODES], n = peers(t, ids), i, k;
	struct fit_ctx *ctx = fit_ctx_get();
	struct fit_peer_counters before, after;
	struct {
		struct fit_hdr h;
		u8 payload[32];
	} m;
	const int nr_bad = 8;

	if (!n || !ctx)
		return;
	for (i = 0; i < n; i++) {
		struct fit_peer *p = fit_peer_get(ctx, ids[i]);

		KTEST_ASSERT_EQ(t, remote_stats(ids[i], &before), 0);
		for (k = 0; k < nr_bad; k++) {
			u32 len = sizeof(m);

			memset(&m, 0, sizeof(m));
			fit_hdr_init(&m.h, FIT_MSG_SEND, FIT_OP_SINK,
				     fit_node_id(), ids[i], fit_test_epoch());
			m.h.len = m.h.total = sizeof(m.payload);
			switch (k) {
			case 0: m.h.magic = 0x1234; break;
			case 1: m.h.version = 9; break;
			case 2: m.h.len = 5; break;		/* != bytes */
			case 3: m.h.type = 9; break;
			case 4: m.h.flags = FIT_F_FRAG;		/* no start */
				m.h.offset = 100; m.h.total = 4096; break;
			case 5: m.h.flags = 0x80; break;
			case 6: m.h.epoch ^= 1; break;
			case 7: len = 10; break;		/* truncated */
			}
			KTEST_EXPECT_EQ(t, fit_test_post_raw(ids[i], &m, len), 0);
		}
		garbage_hellos(t, ctx, p->ip);
		msleep(300);
		KTEST_ASSERT_EQ(t, remote_stats(ids[i], &after), 0);
		KTEST_EXPECT_EQ(t, after.bad_msgs - before.bad_msgs, (u64)nr_bad);
		KTEST_EXPECT_EQ(t, fit_selftest_peer(ids[i]), 0);
		KTEST_EXPECT_TRUE(t, fit_peer_up(ids[i]));
		ktest_log(t, "node %d: %d bad messages counted, hellos survived, self test passes",
			  ids[i], nr_bad);
	}
	fit_print_stats();
}

static const struct ktest_case fit_cases[] = {
	KTEST_CASE(join),
	KTEST_CASE(selftest),
	KTEST_CASE(concurrency),
	KTEST_CASE(flow_control),
	KTEST_CASE(errors),
	KTEST_CASE(garbage),
	{}
};
KTEST_SUITE(fit, fit_cases);

/* ---- failover --------------------------------------------------------------- */

static void failover(struct ktest *t)
{
	int node = fit_test_failover, ret = 0;
	struct fit_ctx *ctx = fit_ctx_get();
	u64 t0, el, worst = 0, down_at;
	unsigned int fails = 0;
	int i;

	if (!ctx || node < 0) {
		ktest_skip(t, "no fit.peers= and fit.test_failover= on the command line");
		return;
	}
	KTEST_ASSERT_NOT_NULL(t, fit_peer_get(ctx, node));
	/* Everyone up first: the others must see the victim die too. */
	for (i = 0; i < ctx->cfg.nr_peers; i++)
		KTEST_ASSERT_EQ(t, fit_wait_peer(ctx->cfg.peer_id[i],
						 fit_test_wait_ms), 0);
	msleep(3000);		/* and, hellos being 200 ms apart, to each other */
	KTEST_ASSERT_EQ(t, fit_call(node, FIT_OP_PING, NULL, 0, NULL, 0, 0), 0);
	pr_info("FIT-TEST: kill node %d\n", node);
	/* Calls until they fail; each must return within the bound. */
	down_at = ktime_get_ns();
	while (ktime_get_ns() - down_at < 60 * NSEC_PER_SEC) {
		t0 = ktime_get_ns();
		ret = fit_call(node, FIT_OP_PING, NULL, 0, NULL, 0, 0);
		el = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
		if (ret)
			break;
		msleep(50);
	}
	KTEST_ASSERT_TRUE(t, ret == -EHOSTDOWN || ret == -ETIMEDOUT);
	KTEST_EXPECT_LE(t, el, ctx->cfg.timeout_ms + 500);
	ktest_log(t, "node %d: first failed call %d after %llu ms", node, ret,
		  (ull)el);
	/* While it is down: more calls, all bounded. */
	for (fails = 0; fails < 5; fails++) {
		t0 = ktime_get_ns();
		ret = fit_call(node, FIT_OP_PING, NULL, 0, NULL, 0, 0);
		el = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
		worst = max(worst, el);
		KTEST_EXPECT_TRUE(t, ret == -EHOSTDOWN || ret == -ETIMEDOUT);
	}
	KTEST_EXPECT_LE(t, worst, ctx->cfg.timeout_ms + 500);
	KTEST_EXPECT_FALSE(t, fit_peer_up(node));
	ktest_log(t, "node %d down: 5 more calls failed, slowest %llu ms; this node is still up",
		  node, (ull)worst);
	pr_info("FIT-TEST: restart node %d\n", node);
	t0 = ktime_get_ns();
	KTEST_ASSERT_EQ(t, fit_wait_peer(node, 180000), 0);
	ktest_log(t, "node %d rejoined after %llu ms", node,
		  (ull)((ktime_get_ns() - t0) / NSEC_PER_MSEC));
	KTEST_EXPECT_EQ(t, fit_selftest_peer(node), 0);
	fit_print_stats();
}

static const struct ktest_case fit_failover_cases[] = {
	KTEST_CASE(failover),
	{}
};
KTEST_SUITE(fit_failover, fit_failover_cases);

/* ---- refused: this node has the wrong token ------------------------------- */

static int fit_test_refused_by = -1;
lego_param_int("fit.test_refused_by", fit_test_refused_by, "node expected to refuse us in ktest fit_refused");

static void refused(struct ktest *t)
{
	struct fit_ctx *ctx = fit_ctx_get();
	struct fit_peer *p;
	u64 t0 = ktime_get_ns(), el;
	int i, ret;

	if (!ctx || fit_test_refused_by < 0) {
		ktest_skip(t, "no fit.peers= and fit.test_refused_by= on the command line");
		return;
	}
	p = fit_peer_get(ctx, fit_test_refused_by);
	KTEST_ASSERT_NOT_NULL(t, p);
	for (i = 0; i < 300 && READ_ONCE(p->state) != FIT_PEER_REFUSED; i++)
		msleep(100);
	KTEST_ASSERT_EQ(t, READ_ONCE(p->state), FIT_PEER_REFUSED);
	ktest_log(t, "node %d refused us after %llu ms", p->id,
		  (ull)((ktime_get_ns() - t0) / NSEC_PER_MSEC));
	/* A refused peer fails calls at once, not after the timeout. */
	t0 = ktime_get_ns();
	ret = fit_call(p->id, FIT_OP_PING, NULL, 0, NULL, 0, 0);
	el = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
	KTEST_EXPECT_EQ(t, ret, -EHOSTDOWN);
	KTEST_EXPECT_LT(t, el, 500);
	KTEST_EXPECT_FALSE(t, fit_peer_up(p->id));
	/*
	 * Stay a little: this node's exit ends the run, and the harness
	 * also checks that the right pair connected meanwhile.
	 */
	msleep(3000);
}

static const struct ktest_case fit_refused_cases[] = {
	KTEST_CASE(refused),
	{}
};
KTEST_SUITE(fit_refused, fit_refused_cases);
