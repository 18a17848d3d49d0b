// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `timer`: one-shot timers fire once and never early,
 * periodic timers keep their period, deleted timers stay quiet,
 * del_timer_sync() waits for a running callback, and timers fire on the
 * CPU that armed them.
 *
 * Bounds are generous for QEMU TCG, where a vCPU may miss ticks while the
 * host runs another one; lateness is logged so that real hardware numbers
 * can be read off the output.  Every wait is bounded.
 */
#include <lego/completion.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/sched.h>
#include <lego/smp.h>
#include <lego/sort.h>
#include <lego/time.h>
#include <lego/timer.h>
#include <asm/processor.h>

#define LATE_LIMIT_MS	50

struct test_timer {
	struct timer_list timer;
	struct completion done;
	u64 fired_ns[32];
	u64 next_expiry_ns[32];	/* timer->expires seen by the callback */
	int nr_fired;
	int stop_after;		/* periodic: del_timer() itself at this count */
	int cpu;		/* where the last callback ran */
};

static void test_timer_init(struct test_timer *tt,
			    void (*fn)(struct timer_list *), u64 period_ns)
{
	memset(tt, 0, sizeof(*tt));
	init_completion(&tt->done);
	timer_setup(&tt->timer, fn, period_ns);
}

static void record_fire(struct timer_list *timer)
{
	struct test_timer *tt = from_timer(tt, timer, timer);

	if (tt->nr_fired < (int)ARRAY_SIZE(tt->fired_ns)) {
		tt->fired_ns[tt->nr_fired] = ktime_get_ns();
		tt->next_expiry_ns[tt->nr_fired] = timer->expires;
	}
	tt->nr_fired++;
	tt->cpu = smp_processor_id();
	if (tt->stop_after && tt->nr_fired == tt->stop_after) {
		del_timer(timer);
		complete(&tt->done);
	} else if (!tt->stop_after) {
		complete(&tt->done);
	}
}

static u64 ns_to_ms(u64 ns)
{
	return ns / NSEC_PER_MSEC;
}

static void oneshot_fires_once(struct ktest *t)
{
	static struct test_timer tt;
	u64 expires, late;

	test_timer_init(&tt, record_fire, 0);
	expires = ktime_get_ns() + 20 * NSEC_PER_MSEC;
	KTEST_EXPECT_FALSE(t, mod_timer(&tt.timer, expires));
	KTEST_EXPECT_TRUE(t, timer_pending(&tt.timer));
	KTEST_ASSERT_TRUE(t, wait_for_completion_timeout(&tt.done, 2000));
	msleep(50);
	KTEST_EXPECT_EQ(t, tt.nr_fired, 1);
	KTEST_EXPECT_FALSE(t, timer_pending(&tt.timer));
	KTEST_ASSERT_GE(t, tt.fired_ns[0], expires);
	late = tt.fired_ns[0] - expires;
	ktest_log(t, "fired %llu us after its expiry",
		  (unsigned long long)(late / NSEC_PER_USEC));
	KTEST_EXPECT_LT(t, ns_to_ms(late), LATE_LIMIT_MS);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * A periodic timer re-arms from its previous expiry, not from when it ran:
 * the expiries are exactly one period apart (no drift), no run is early,
 * each is late by a bounded amount, and the typical (median) interval is
 * the period.  The median, not the mean, because under TCG a vCPU may be
 * descheduled by the host for a while, delaying one run without any drift.
 */
static void periodic_keeps_period(struct ktest *t)
{
	static struct test_timer tt;
	const u64 period = 10 * NSEC_PER_MSEC;
	u64 d[20], late, worst = 0, expiry;
	int i;

	test_timer_init(&tt, record_fire, period);
	tt.stop_after = 21;		/* 20 periods */
	add_timer_ns(&tt.timer, period);
	KTEST_ASSERT_TRUE(t, wait_for_completion_timeout(&tt.done, 3000));
	KTEST_EXPECT_FALSE(t, timer_pending(&tt.timer));
	msleep(30);
	KTEST_ASSERT_EQ(t, tt.nr_fired, 21);
	for (i = 0; i < 21; i++) {
		expiry = tt.next_expiry_ns[i] - period;	/* of this run */
		if (i)
			KTEST_EXPECT_EQ(t, tt.next_expiry_ns[i] -
					   tt.next_expiry_ns[i - 1], period);
		KTEST_EXPECT_GE(t, tt.fired_ns[i], expiry);
		late = tt.fired_ns[i] - expiry;
		worst = late > worst ? late : worst;
		if (i)
			d[i - 1] = tt.fired_ns[i] - tt.fired_ns[i - 1];
	}
	sort(d, 20, sizeof(d[0]), cmp_u64, NULL);
	ktest_log(t, "20 periods: median %llu us, min %llu us, max %llu us, worst lateness %llu us",
		  (unsigned long long)(d[10] / NSEC_PER_USEC),
		  (unsigned long long)(d[0] / NSEC_PER_USEC),
		  (unsigned long long)(d[19] / NSEC_PER_USEC),
		  (unsigned long long)(worst / NSEC_PER_USEC));
	KTEST_EXPECT_LT(t, ns_to_ms(worst), LATE_LIMIT_MS);
	KTEST_EXPECT_GE(t, d[10], period - period / 10);
	KTEST_EXPECT_LE(t, d[10], period + period / 10);
}

static void del_timer_prevents_firing(struct ktest *t)
{
	static struct test_timer tt;

	test_timer_init(&tt, record_fire, 0);
	add_timer_ns(&tt.timer, 20 * NSEC_PER_MSEC);
	KTEST_EXPECT_TRUE(t, del_timer(&tt.timer));
	KTEST_EXPECT_FALSE(t, timer_pending(&tt.timer));
	KTEST_EXPECT_FALSE(t, del_timer(&tt.timer));
	msleep(60);
	KTEST_EXPECT_EQ(t, tt.nr_fired, 0);
}

static void mod_timer_moves_expiry(struct ktest *t)
{
	static struct test_timer tt;
	u64 start = ktime_get_ns();

	test_timer_init(&tt, record_fire, 0);
	add_timer_ns(&tt.timer, 10000 * NSEC_PER_MSEC);
	KTEST_EXPECT_TRUE(t, mod_timer(&tt.timer, start + 10 * NSEC_PER_MSEC));
	KTEST_ASSERT_TRUE(t, wait_for_completion_timeout(&tt.done, 2000));
	KTEST_EXPECT_EQ(t, tt.nr_fired, 1);
	KTEST_EXPECT_LT(t, ns_to_ms(tt.fired_ns[0] - start),
			10 + LATE_LIMIT_MS);
}

/* --- del_timer_sync waits for a callback running elsewhere ---------- */

static volatile bool slow_in, slow_done;

static void slow_callback(struct timer_list *timer)
{
	WRITE_ONCE(slow_in, true);
	mdelay(30);
	WRITE_ONCE(slow_done, true);
}

static int arm_slow_timer(void *arg)
{
	add_timer_ns(arg, 5 * NSEC_PER_MSEC);
	return 0;
}

static void del_timer_sync_waits(struct ktest *t)
{
	static struct timer_list timer;
	int other = -1, cpu, code;
	struct task_struct *arm;
	u64 end;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			other = cpu;
	if (other < 0) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	slow_in = slow_done = false;
	timer_setup(&timer, slow_callback, 0);
	arm = kthread_create_on_cpu(arm_slow_timer, &timer, other, "arm");
	KTEST_ASSERT_NOT_NULL(t, arm);
	KTEST_EXPECT_EQ(t, kthread_join_timeout(arm, 5000, &code), 0);
	end = ktime_get_ns() + 2000 * NSEC_PER_MSEC;
	while (!READ_ONCE(slow_in) && ktime_get_ns() < end)
		cpu_relax();
	KTEST_ASSERT_TRUE(t, slow_in);
	del_timer_sync(&timer);
	KTEST_EXPECT_TRUE(t, slow_done);
}

/* --- timers fire on the CPU that armed them ------------------------- */

#define TIMERS_PER_CPU	3

static int arm_local_timers(void *arg)
{
	struct test_timer *tts = arg;
	int i, wrong = 0;

	for (i = 0; i < TIMERS_PER_CPU; i++) {
		test_timer_init(&tts[i], record_fire, 0);
		add_timer_ns(&tts[i].timer, (i + 1) * 3 * NSEC_PER_MSEC);
	}
	for (i = 0; i < TIMERS_PER_CPU; i++) {
		if (!wait_for_completion_timeout(&tts[i].done, 2000)) {
			del_timer_sync(&tts[i].timer);
			return -1;
		}
		wrong += tts[i].cpu != smp_processor_id();
		wrong += tts[i].timer.cpu != smp_processor_id();
	}
	return wrong;
}

static void timers_fire_on_arming_cpu(struct ktest *t)
{
	static struct test_timer tts[CONFIG_NR_CPUS][TIMERS_PER_CPU];
	static struct task_struct *threads[CONFIG_NR_CPUS];
	int cpu, code;

	for_each_online_cpu(cpu) {
		threads[cpu] = kthread_create_on_cpu(arm_local_timers, tts[cpu],
						     cpu, "timers");
		KTEST_EXPECT_NOT_NULL(t, threads[cpu]);
	}
	for_each_online_cpu(cpu) {
		if (!threads[cpu])
			continue;
		code = -2;
		KTEST_EXPECT_EQ(t, kthread_join_timeout(threads[cpu], 10000,
							&code), 0);
		if (code)
			ktest_fail(t, __FILE__, __LINE__,
				   "CPU %d: timer check returned %d", cpu, code);
		threads[cpu] = NULL;
	}
}

static const struct ktest_case timer_cases[] = {
	KTEST_CASE(oneshot_fires_once),
	KTEST_CASE(periodic_keeps_period),
	KTEST_CASE(del_timer_prevents_firing),
	KTEST_CASE(mod_timer_moves_expiry),
	KTEST_CASE(del_timer_sync_waits),
	KTEST_CASE(timers_fire_on_arming_cpu),
	{}
};
KTEST_SUITE(timer, timer_cases);
