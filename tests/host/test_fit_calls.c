// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for net/fit/calls.c (the outstanding-call table) and
 * net/fit/stats.c (the latency histogram):
 *
 *   - a call's life: get, lookup, complete, done, put, with the reply
 *     buffer, capacity and start time kept;
 *   - request ids: never 0, index + 1 in the low half, gen in the high
 *     half, gen wrapping past 0;
 *   - a full table, the per-QP limit (counting DONE slots), replies out
 *     of order, a late reply after the caller timed out and its slot was
 *     reused, fit_calls_fail() on one QP and on all;
 *   - a random run against a model of the table (LEGO_TEST_SEED replays);
 *   - histogram buckets at every power-of-two edge, and percentiles
 *     against a brute-force count.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include "../../net/fit/internal.h"

#define NR	8

static struct fit_call_slot slots[NR];
static struct fit_call_table t;
static char bufs[NR][16];

static u32 id_index(u64 id)
{
	return (u32)id;
}

static u32 id_gen(u64 id)
{
	return (u32)(id >> 32);
}

static u64 get(u8 qp)
{
	return fit_calls_get(&t, qp, bufs[qp], sizeof(bufs[qp]), 1000 + qp);
}

/* Complete @id as the poller does when its reply arrives. */
static void reply(u64 id, s32 result)
{
	struct fit_call_slot *s = fit_calls_lookup(&t, id);

	assert_non_null(s);
	fit_calls_complete(&t, s, result);
}

static void test_lifecycle(void **state)
{
	struct fit_call_slot *s;
	char buf[32];
	s32 result = 12345;
	u64 id;

	fit_calls_init(&t, slots, NR, 0);
	id = fit_calls_get(&t, 1, buf, sizeof(buf), 777);
	assert_int_not_equal(id, 0);
	assert_int_equal(id_gen(id), 1);	/* gen starts at 1 */
	assert_true(id_index(id) >= 1 && id_index(id) <= NR);
	assert_int_equal(t.used, 1);
	assert_int_equal(t.per_qp_used[1], 1);
	assert_false(fit_calls_done(&t, id));

	s = fit_calls_lookup(&t, id);
	assert_ptr_equal(s, &slots[id_index(id) - 1]);
	assert_int_equal(s->state, FIT_CALL_WAITING);
	assert_int_equal(s->qp, 1);
	assert_ptr_equal(s->reply, buf);
	assert_int_equal(s->cap, sizeof(buf));
	assert_int_equal(s->t_start, 777);

	fit_calls_complete(&t, s, 20);
	assert_true(fit_calls_done(&t, id));
	/* DONE: no second completion through lookup, the result stays. */
	assert_null(fit_calls_lookup(&t, id));
	fit_calls_complete(&t, s, -EIO);
	assert_int_equal(s->result, 20);
	assert_int_equal(t.used, 1);

	assert_true(fit_calls_put(&t, id, &result));
	assert_int_equal(result, 20);
	assert_int_equal(t.used, 0);
	assert_int_equal(t.per_qp_used[1], 0);
	assert_int_equal(s->state, FIT_CALL_FREE);
	assert_false(fit_calls_done(&t, id));
	/* A second put of the same id changes nothing. */
	result = 99;
	assert_false(fit_calls_put(&t, id, &result));
	assert_int_equal(result, 99);
	assert_int_equal(t.used, 0);

	/* An error result, and put without a result pointer. */
	id = get(0);
	reply(id, -EOPNOTSUPP);
	assert_true(fit_calls_put(&t, id, &result));
	assert_int_equal(result, -EOPNOTSUPP);
	id = get(0);
	reply(id, 0);
	assert_true(fit_calls_put(&t, id, NULL));
	assert_int_equal(t.used, 0);
}

static void test_bad_ids(void **state)
{
	s32 result = 5;
	u64 id;

	fit_calls_init(&t, slots, NR, 0);
	id = get(0);
	assert_null(fit_calls_lookup(&t, 0));
	assert_null(fit_calls_lookup(&t, id_index(id)));	/* gen 0 */
	assert_null(fit_calls_lookup(&t, id + (1ull << 32)));	/* next gen */
	assert_null(fit_calls_lookup(&t, (1ull << 32) | (NR + 1)));
	assert_null(fit_calls_lookup(&t, (1ull << 32) | 0xffffffffu));
	assert_null(fit_calls_lookup(&t, ~0ull));
	assert_false(fit_calls_done(&t, (1ull << 32) | (NR + 1)));
	assert_false(fit_calls_put(&t, (1ull << 32) | (NR + 1), &result));
	assert_false(fit_calls_put(&t, id ^ (1ull << 33), &result));
	assert_int_equal(result, 5);
	assert_int_equal(t.used, 1);
	assert_non_null(fit_calls_lookup(&t, id));
	/* A QP index past FIT_MAX_QPS gets no slot. */
	assert_int_equal(fit_calls_get(&t, FIT_MAX_QPS, NULL, 0, 0), 0);
	assert_int_equal(t.used, 1);
}

static void test_full(void **state)
{
	u64 ids[NR], id;
	int i, j;

	fit_calls_init(&t, slots, NR, 0);
	for (i = 0; i < NR; i++) {
		ids[i] = get(i % FIT_MAX_QPS);
		assert_int_not_equal(ids[i], 0);
		for (j = 0; j < i; j++)
			assert_int_not_equal(id_index(ids[i]), id_index(ids[j]));
	}
	assert_int_equal(get(0), 0);
	assert_int_equal(get(3), 0);
	assert_int_equal(t.used, NR);
	/* DONE slots still count until the caller puts them. */
	reply(ids[4], 1);
	assert_int_equal(get(0), 0);
	assert_true(fit_calls_put(&t, ids[4], NULL));
	id = get(0);
	assert_int_equal(id_index(id), id_index(ids[4]));
	assert_int_equal(id_gen(id), 2);
	assert_int_equal(get(0), 0);

	/* An empty table never hands out a slot. */
	fit_calls_init(&t, slots, 0, 0);
	assert_int_equal(get(0), 0);
}

static void test_per_qp_limit(void **state)
{
	u64 a, b, c;
	int qp;

	fit_calls_init(&t, slots, NR, 2);
	a = get(0);
	b = get(0);
	assert_int_not_equal(a, 0);
	assert_int_not_equal(b, 0);
	assert_int_equal(get(0), 0);
	/* Other QPs have their own limit. */
	for (qp = 1; qp < 4; qp++) {
		assert_int_not_equal(get(qp), 0);
		assert_int_not_equal(get(qp), 0);
		assert_int_equal(get(qp), 0);
	}
	assert_int_equal(t.used, 8);
	assert_int_equal(get(4), 0);		/* and the table is full */

	/* A DONE call still holds its QP's place; a put frees it. */
	fit_calls_init(&t, slots, NR, 2);
	a = get(0);
	b = get(0);
	reply(a, 0);
	assert_int_equal(get(0), 0);
	assert_true(fit_calls_put(&t, a, NULL));
	assert_int_equal(t.per_qp_used[0], 1);
	c = get(0);
	assert_int_not_equal(c, 0);
	assert_int_equal(get(0), 0);
	/* Timed out (put while WAITING) frees it too. */
	assert_false(fit_calls_put(&t, b, NULL));
	assert_int_not_equal(get(0), 0);
	assert_int_equal(t.per_qp_used[0], 2);
}

static void test_out_of_order(void **state)
{
	u64 ids[4];
	s32 result;
	int i;

	fit_calls_init(&t, slots, NR, 0);
	for (i = 0; i < 4; i++)
		ids[i] = get(0);
	/* The reply to the fourth call first, then the second's. */
	reply(ids[3], 300);
	assert_true(fit_calls_done(&t, ids[3]));
	assert_false(fit_calls_done(&t, ids[1]));
	reply(ids[1], 100);
	assert_true(fit_calls_done(&t, ids[1]));
	assert_false(fit_calls_done(&t, ids[0]));
	assert_false(fit_calls_done(&t, ids[2]));
	assert_non_null(fit_calls_lookup(&t, ids[0]));
	assert_non_null(fit_calls_lookup(&t, ids[2]));

	assert_true(fit_calls_put(&t, ids[1], &result));
	assert_int_equal(result, 100);
	reply(ids[0], 0);
	reply(ids[2], 200);
	for (i = 0; i < 4; i++) {
		if (i == 1)
			continue;
		assert_true(fit_calls_put(&t, ids[i], &result));
		assert_int_equal(result, i * 100);
	}
	assert_int_equal(t.used, 0);
}

/*
 * The caller gives up on a call (timeout) and puts it while it is still
 * WAITING; the slot is reused; the old reply arrives late.  It must not
 * be matched to the new call.
 */
static void test_late_reply(void **state)
{
	struct fit_call_slot one[1];
	s32 result = 42;
	u64 old, new;

	fit_calls_init(&t, one, 1, 0);		/* one slot: reuse is certain */
	old = fit_calls_get(&t, 0, bufs[0], 16, 0);
	assert_false(fit_calls_put(&t, old, &result));	/* timed out */
	assert_int_equal(result, 42);
	assert_int_equal(t.used, 0);
	assert_null(fit_calls_lookup(&t, old));	/* late, slot FREE */
	assert_false(fit_calls_done(&t, old));

	new = fit_calls_get(&t, 0, bufs[1], 16, 0);
	assert_int_not_equal(new, 0);
	assert_int_not_equal(new, old);
	assert_int_equal(id_index(new), id_index(old));
	assert_null(fit_calls_lookup(&t, old));	/* late, slot reused */
	assert_false(fit_calls_put(&t, old, &result));	/* stale: no effect */
	assert_int_equal(t.used, 1);
	assert_ptr_equal(fit_calls_lookup(&t, new), &one[0]);
	assert_ptr_equal(one[0].reply, bufs[1]);

	fit_calls_complete(&t, fit_calls_lookup(&t, new), 7);
	assert_false(fit_calls_done(&t, old));
	assert_true(fit_calls_put(&t, new, &result));
	assert_int_equal(result, 7);
}

static void test_fail(void **state)
{
	u64 ids[6];
	s32 result;
	int i;

	fit_calls_init(&t, slots, NR, 0);
	for (i = 0; i < 6; i++)
		ids[i] = get(i % 3);		/* QPs 0 1 2 0 1 2 */
	reply(ids[1], 5);			/* QP 1, already DONE */

	assert_int_equal(fit_calls_fail(&t, 1, -EHOSTDOWN), 1);
	assert_true(fit_calls_done(&t, ids[4]));
	assert_true(fit_calls_put(&t, ids[4], &result));
	assert_int_equal(result, -EHOSTDOWN);
	assert_true(fit_calls_put(&t, ids[1], &result));
	assert_int_equal(result, 5);		/* the real reply stays */
	for (i = 0; i < 6; i++)
		if (i % 3 != 1)
			assert_false(fit_calls_done(&t, ids[i]));
	assert_int_equal(fit_calls_fail(&t, 1, -EHOSTDOWN), 0);
	assert_int_equal(fit_calls_fail(&t, 7, -EIO), 0);

	assert_int_equal(fit_calls_fail(&t, -1, -ETIMEDOUT), 4);
	for (i = 0; i < 6; i++) {
		if (i % 3 == 1)
			continue;
		assert_null(fit_calls_lookup(&t, ids[i]));
		assert_true(fit_calls_put(&t, ids[i], &result));
		assert_int_equal(result, -ETIMEDOUT);
	}
	assert_int_equal(fit_calls_fail(&t, -1, -ETIMEDOUT), 0);
	assert_int_equal(t.used, 0);
	for (i = 0; i < FIT_MAX_QPS; i++)
		assert_int_equal(t.per_qp_used[i], 0);
}

static void test_gen_wrap(void **state)
{
	static struct fit_call_slot many[1000];
	struct fit_call_slot one[1];
	u64 id;

	fit_calls_init(&t, one, 1, 0);
	one[0].gen = 0xfffffffeu;
	id = fit_calls_get(&t, 0, NULL, 0, 0);
	assert_int_equal(id, 0xffffffff00000001ull);
	assert_false(fit_calls_put(&t, id, NULL));
	/* 0xffffffff + 1 would be gen 0: it skips to 1. */
	id = fit_calls_get(&t, 0, NULL, 0, 0);
	assert_int_equal(id, 0x0000000100000001ull);
	assert_null(fit_calls_lookup(&t, 0xffffffff00000001ull));
	assert_null(fit_calls_lookup(&t, 1));	/* gen 0 never matches */
	assert_non_null(fit_calls_lookup(&t, id));
	fit_calls_put(&t, id, NULL);

	/* The last slot of a larger table, wrapping too. */
	fit_calls_init(&t, many, 1000, 0);
	many[999].gen = 0xffffffffu;
	t.next = 999;
	id = fit_calls_get(&t, 0, NULL, 0, 0);
	assert_int_equal(id, (1ull << 32) | 1000);
	assert_ptr_equal(fit_calls_lookup(&t, id), &many[999]);
	assert_int_equal(t.next, 0);
}

/* ---- random run against a model ---------------------------------------- */

struct model_call {
	u64 id;
	u8 qp;
	bool done;
	s32 result;
};

static void test_random(void **state)
{
	struct model_call live[NR];
	u64 stale[64];			/* the last ids put */
	u32 per_qp[FIT_MAX_QPS];
	int nr_live = 0, nr_stale = 0, round, i, k;
	s32 result;

	fit_calls_init(&t, slots, NR, 3);
	for (round = 0; round < 200000; round++) {
		unsigned int op = rng_below(6);
		u8 qp = (u8)rng_below(4);
		u64 id;

		memset(per_qp, 0, sizeof(per_qp));
		for (i = 0; i < nr_live; i++)
			per_qp[live[i].qp]++;
		if (op <= 1) {			/* a new call */
			id = get(qp);
			if (nr_live == NR || per_qp[qp] == 3) {
				assert_int_equal(id, 0);
				continue;
			}
			assert_int_not_equal(id, 0);
			for (i = 0; i < nr_live; i++)
				assert_int_not_equal(live[i].id, id);
			for (i = 0; i < nr_stale && i < 64; i++)
				assert_int_not_equal(stale[i], id);
			live[nr_live++] = (struct model_call){ id, qp, false, 0 };
		} else if (op == 2 && nr_live) {	/* a reply */
			k = rng_below(nr_live);
			result = (s32)rng_below(1000) - 500;
			if (live[k].done) {
				assert_null(fit_calls_lookup(&t, live[k].id));
				continue;
			}
			reply(live[k].id, result);
			live[k].done = true;
			live[k].result = result;
		} else if (op == 3 && nr_live) {	/* the caller returns */
			k = rng_below(nr_live);
			result = 0x7777;
			assert_int_equal(fit_calls_put(&t, live[k].id, &result),
					 live[k].done);
			if (live[k].done)
				assert_int_equal(result, live[k].result);
			stale[nr_stale++ % 64] = live[k].id;
			live[k] = live[--nr_live];
		} else if (op == 4) {		/* a QP (or all) goes down */
			int which = rng_below(5) == 0 ? -1 : qp;
			u32 want = 0;

			for (i = 0; i < nr_live; i++) {
				if (live[i].done ||
				    (which >= 0 && live[i].qp != which))
					continue;
				live[i].done = true;
				live[i].result = -EHOSTDOWN;
				want++;
			}
			assert_int_equal(fit_calls_fail(&t, which, -EHOSTDOWN),
					 want);
		} else if (nr_stale) {		/* a late or duplicate reply */
			id = stale[rng_below(nr_stale < 64 ? nr_stale : 64)];
			assert_null(fit_calls_lookup(&t, id));
			assert_false(fit_calls_done(&t, id));
		}
		/* The table agrees with the model. */
		assert_int_equal(t.used, nr_live);
		memset(per_qp, 0, sizeof(per_qp));
		for (i = 0; i < nr_live; i++) {
			per_qp[live[i].qp]++;
			assert_int_equal(fit_calls_done(&t, live[i].id),
					 live[i].done);
		}
		for (i = 0; i < FIT_MAX_QPS; i++)
			assert_int_equal(t.per_qp_used[i], per_qp[i]);
	}
}

/* ---- the latency histogram ------------------------------------------------ */

static unsigned int bucket_of(u64 ns)
{
	u64 hist[FIT_HIST_BUCKETS] = { 0 };
	unsigned int i, b = FIT_HIST_BUCKETS;

	fit_hist_add(hist, ns);
	for (i = 0; i < FIT_HIST_BUCKETS; i++) {
		if (hist[i]) {
			assert_int_equal(hist[i], 1);
			assert_int_equal(b, FIT_HIST_BUCKETS);
			b = i;
		}
	}
	assert_true(b < FIT_HIST_BUCKETS);
	return b;
}

static void test_hist_buckets(void **state)
{
	unsigned int i;

	assert_int_equal(bucket_of(0), 0);
	assert_int_equal(bucket_of(999), 0);
	assert_int_equal(bucket_of(1000), 0);
	assert_int_equal(bucket_of(1999), 0);
	assert_int_equal(bucket_of(2000), 1);
	assert_int_equal(bucket_of(3999), 1);
	assert_int_equal(bucket_of(4000), 2);
	assert_int_equal(bucket_of(1000000), 9);	/* 1 ms: 512..1023 us */
	/* Each edge 2^i us starts bucket i; 1 ns less is still i - 1. */
	for (i = 2; i < FIT_HIST_BUCKETS; i++) {
		assert_int_equal(bucket_of((1ull << i) * 1000), i);
		assert_int_equal(bucket_of((1ull << i) * 1000 - 1), i - 1);
	}
	/* Everything longer lands in the last bucket. */
	assert_int_equal(bucket_of((1ull << FIT_HIST_BUCKETS) * 1000),
			 FIT_HIST_BUCKETS - 1);
	assert_int_equal(bucket_of(3600ull * 1000000000), FIT_HIST_BUCKETS - 1);
	assert_int_equal(bucket_of(~0ull), FIT_HIST_BUCKETS - 1);
}

/* The smallest edge below which at least @pct percent of samples lie. */
static u64 percentile_ref(const u64 *hist, unsigned int pct)
{
	unsigned __int128 total = 0, seen = 0;
	unsigned int i;

	for (i = 0; i < FIT_HIST_BUCKETS; i++)
		total += hist[i];
	if (!total)
		return 0;
	for (i = 0; i < FIT_HIST_BUCKETS; i++) {
		seen += hist[i];
		if (hist[i] && seen * 100 >= total * pct)
			return 1ull << (i + 1);
	}
	return 1ull << FIT_HIST_BUCKETS;
}

static void test_hist_percentile(void **state)
{
	u64 hist[FIT_HIST_BUCKETS] = { 0 };
	unsigned int pct, round, i;

	assert_int_equal(fit_hist_percentile(hist, 50), 0);
	assert_int_equal(fit_hist_percentile(hist, 0), 0);

	fit_hist_add(hist, 40000);		/* 40 us: bucket 5 */
	for (pct = 0; pct <= 100; pct++)
		assert_int_equal(fit_hist_percentile(hist, pct), 64);

	/* 90 fast calls, 10 slow ones. */
	memset(hist, 0, sizeof(hist));
	hist[0] = 90;
	hist[10] = 10;
	assert_int_equal(fit_hist_percentile(hist, 0), 2);
	assert_int_equal(fit_hist_percentile(hist, 50), 2);
	assert_int_equal(fit_hist_percentile(hist, 90), 2);
	assert_int_equal(fit_hist_percentile(hist, 91), 2048);
	assert_int_equal(fit_hist_percentile(hist, 99), 2048);
	assert_int_equal(fit_hist_percentile(hist, 100), 2048);
	assert_int_equal(fit_hist_percentile(hist, 1000), 2048);

	/* pct 0 is the first non-empty bucket, wherever it is. */
	memset(hist, 0, sizeof(hist));
	hist[7] = 1;
	hist[FIT_HIST_BUCKETS - 1] = 3;
	assert_int_equal(fit_hist_percentile(hist, 0), 256);
	assert_int_equal(fit_hist_percentile(hist, 25), 256);
	assert_int_equal(fit_hist_percentile(hist, 26), 1ull << FIT_HIST_BUCKETS);

	/* Counts near 2^64 do not overflow the rank. */
	memset(hist, 0, sizeof(hist));
	hist[0] = ~0ull / 2;
	hist[3] = ~0ull / 2;
	assert_int_equal(fit_hist_percentile(hist, 50), 2);
	assert_int_equal(fit_hist_percentile(hist, 51), 16);

	for (round = 0; round < 2000; round++) {
		memset(hist, 0, sizeof(hist));
		for (i = 0; i < FIT_HIST_BUCKETS; i++)
			if (rng_below(3) == 0)
				hist[i] = rng_below(round % 2 ? 5 : 1000000);
		for (pct = 0; pct <= 100; pct++)
			assert_int_equal(fit_hist_percentile(hist, pct),
					 percentile_ref(hist, pct));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_bad_ids),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_per_qp_limit),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_late_reply),
		cmocka_unit_test(test_fail),
		cmocka_unit_test(test_gen_wrap),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_hist_buckets),
		cmocka_unit_test(test_hist_percentile),
	};

	host_test_seed("fit_calls");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
