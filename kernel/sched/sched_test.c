// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `sched`: kernel threads, pinning and migration, sleep and
 * wakeup across CPUs, preemption, mutexes, msleep and wait queues.
 *
 * Every wait is bounded (join and completion timeouts, loops with a
 * deadline), so a broken scheduler fails these cases instead of hanging
 * the run; threads left behind by a failure end on their own deadline.
 * State shared with threads is static for the same reason.
 *
 * Tested under QEMU TCG (-cpu max -smp 4) and with -smp 1, where the
 * cross-CPU cases run on one CPU.
 */
#include <lego/completion.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/mutex.h>
#include <lego/sched.h>
#include <lego/smp.h>
#include <lego/time.h>
#include <lego/wait.h>
#include <asm/processor.h>

#define JOIN_MS		10000UL		/* generous under TCG */
#define MAX_TEST_THREADS	(4 * CONFIG_NR_CPUS)

static struct task_struct *threads[MAX_TEST_THREADS];

/* The @n-th online CPU, wrapping around. */
static int nth_online_cpu(int n)
{
	int cpu, i = 0;

	n %= num_online_cpus();
	for_each_online_cpu(cpu)
		if (i++ == n)
			return cpu;
	return 0;
}

static u64 deadline_ms(unsigned long ms)
{
	return ktime_get_ns() + ms * NSEC_PER_MSEC;
}

static bool past(u64 deadline)
{
	return ktime_get_ns() > deadline;
}

/* Join threads[0..n); every one must exit with @want(i). */
static void join_threads(struct ktest *t, int n, int (*want)(int))
{
	int i, code;

	for (i = 0; i < n; i++) {
		if (!threads[i])
			continue;
		if (kthread_join_timeout(threads[i], JOIN_MS, &code)) {
			ktest_fail(t, __FILE__, __LINE__,
				   "thread %d did not exit in %lu ms", i,
				   JOIN_MS);
			continue;
		}
		threads[i] = NULL;
		KTEST_EXPECT_EQ(t, code, want(i));
	}
}

static int want_zero(int i)
{
	return 0;
}

/* --- pinned threads never leave their CPU --------------------------- */

static int pinned_body(void *arg)
{
	int cpu = (int)(long)arg, i, wrong = 0;

	for (i = 0; i < 3000; i++) {
		if (smp_processor_id() != cpu)
			wrong++;
		if (i % 100 == 0)
			msleep(1);		/* through the wakeup path */
		else if (i % 10 == 0)
			yield();
	}
	return wrong;
}

static int unpinned_body(void *arg)
{
	int i;

	for (i = 0; i < 3000; i++)
		if (i % 100 == 0)
			msleep(1);
		else if (i % 10 == 0)
			yield();
	return 0;
}

static void pinned_threads_stay(struct ktest *t)
{
	int cpu, n = 0;

	for_each_online_cpu(cpu) {
		threads[n] = kthread_create_on_cpu(pinned_body, (void *)(long)cpu,
						   cpu, "pinned");
		KTEST_EXPECT_NOT_NULL(t, threads[n]);
		n++;
	}
	/* Unpinned load that the scheduler may place anywhere. */
	threads[n] = kthread_create(unpinned_body, NULL, "unpinned");
	KTEST_EXPECT_NOT_NULL(t, threads[n]);
	join_threads(t, n + 1, want_zero);
	KTEST_EXPECT_EQ(t, kthread_create_on_cpu(pinned_body, NULL,
						 CONFIG_NR_CPUS + 1, "bad"),
			NULL);
}

/* --- set_cpus_allowed moves the caller and a running thread --------- */

static void set_cpus_allowed_moves_self(struct ktest *t)
{
	cpumask_t mask;
	int cpu;

	for_each_online_cpu(cpu) {
		cpumask_clear(&mask);
		cpumask_set_cpu(cpu, &mask);
		KTEST_EXPECT_EQ(t, set_cpus_allowed(current, &mask), 0);
		KTEST_EXPECT_EQ(t, smp_processor_id(), cpu);
	}
	cpumask_clear(&mask);
	KTEST_EXPECT_EQ(t, set_cpus_allowed(current, &mask), -EINVAL);
	/* Back to CPU 0, where the boot task runs the other suites. */
	cpumask_set_cpu(0, &mask);
	KTEST_EXPECT_EQ(t, set_cpus_allowed(current, &mask), 0);
	KTEST_EXPECT_EQ(t, smp_processor_id(), 0);
	cpumask_setall(&mask);
	KTEST_EXPECT_EQ(t, set_cpus_allowed(current, &mask), 0);
}

static volatile int spinner_cpu;
static volatile bool spinner_stop;

static int cpu_reporter(void *arg)
{
	u64 end = deadline_ms(5000);

	while (!READ_ONCE(spinner_stop) && !past(end)) {
		WRITE_ONCE(spinner_cpu, smp_processor_id());
		cpu_relax();
	}
	return 0;
}

static bool wait_for_cpu(int cpu, unsigned long ms)
{
	u64 end = deadline_ms(ms);

	while (READ_ONCE(spinner_cpu) != cpu)
		if (past(end))
			return false;
		else
			msleep(1);
	return true;
}

static void set_cpus_allowed_moves_running(struct ktest *t)
{
	int from = nth_online_cpu(1), to = nth_online_cpu(2);
	struct task_struct *s;
	cpumask_t mask;

	spinner_stop = false;
	spinner_cpu = -1;
	s = kthread_create_on_cpu(cpu_reporter, NULL, from, "reporter");
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_EXPECT_TRUE(t, wait_for_cpu(from, 2000));
	cpumask_clear(&mask);
	cpumask_set_cpu(to, &mask);
	KTEST_EXPECT_EQ(t, set_cpus_allowed(s, &mask), 0);
	KTEST_EXPECT_TRUE(t, wait_for_cpu(to, 2000));
	ktest_log(t, "spinning thread moved from CPU %d to CPU %d", from,
		  READ_ONCE(spinner_cpu));
	WRITE_ONCE(spinner_stop, true);
	threads[0] = s;
	join_threads(t, 1, want_zero);
}

/* --- affinity changes racing with sleep, wakeup and preemption ------ */

struct churn {
	struct completion kick;
	volatile int final_cpu;		/* -1 until the last pinning */
};

static struct churn churns[MAX_TEST_THREADS];

static int churn_body(void *arg)
{
	struct churn *c = arg;
	u64 end = deadline_ms(10000);
	int i;

	for (i = 0; READ_ONCE(c->final_cpu) < 0 && !past(end); i++) {
		if (i % 3 == 0)
			wait_for_completion_timeout(&c->kick, 2);
		else
			yield();
	}
	yield();			/* a switch: any pending move is done */
	return smp_processor_id() == c->final_cpu ? 0 : -1;
}

/* Move every worker around for @ms; returns the number of moves asked. */
static int churn_masks(int n, unsigned long ms)
{
	u64 end = deadline_ms(ms);
	cpumask_t mask;
	int i, round;

	for (round = 0; !past(end); round++) {
		for (i = 0; i < n; i++) {
			cpumask_clear(&mask);
			cpumask_set_cpu(nth_online_cpu(i + round), &mask);
			if (round % 4 == 3)
				cpumask_set_cpu(nth_online_cpu(i + 1), &mask);
			set_cpus_allowed(threads[i], &mask);
			complete(&churns[i].kick);
		}
		if (round % 8 == 0)
			msleep(1);
	}
	return round * n;
}

static void affinity_churn(struct ktest *t)
{
	int i, n = min(2 * num_online_cpus(), MAX_TEST_THREADS);
	cpumask_t mask;

	for (i = 0; i < n; i++) {
		init_completion(&churns[i].kick);
		churns[i].final_cpu = -1;
		threads[i] = kthread_create(churn_body, &churns[i], "churn");
		KTEST_ASSERT_NOT_NULL(t, threads[i]);
	}
	ktest_log(t, "%d affinity changes for %d threads", churn_masks(n, 300),
		  n);
	for (i = 0; i < n; i++) {
		cpumask_clear(&mask);
		cpumask_set_cpu(nth_online_cpu(i), &mask);
		KTEST_EXPECT_EQ(t, set_cpus_allowed(threads[i], &mask), 0);
		WRITE_ONCE(churns[i].final_cpu, nth_online_cpu(i));
		complete(&churns[i].kick);
	}
	join_threads(t, n, want_zero);
}

/* --- many threads all run and finish -------------------------------- */

static atomic_t ran;

static int counting_body(void *arg)
{
	int i;

	atomic_inc(&ran);
	for (i = 0; i < 20; i++)
		yield();
	return (int)(long)arg + 1000;
}

static int want_index_plus_1000(int i)
{
	return i + 1000;
}

static void many_threads_finish(struct ktest *t)
{
	int i, n = min(4 * num_online_cpus(), MAX_TEST_THREADS);

	atomic_set(&ran, 0);
	for (i = 0; i < n; i++) {
		threads[i] = kthread_create(counting_body, (void *)(long)i,
					    "worker");
		KTEST_EXPECT_NOT_NULL(t, threads[i]);
	}
	join_threads(t, n, want_index_plus_1000);
	KTEST_EXPECT_EQ(t, atomic_read(&ran), n);
}

/* --- completion ping-pong across CPUs ------------------------------- */

#define PING_ROUNDS	1000

static DECLARE_COMPLETION(ping);
static DECLARE_COMPLETION(pong);

static int pinger(void *arg)
{
	int i;

	for (i = 0; i < PING_ROUNDS; i++) {
		complete(&ping);
		if (!wait_for_completion_timeout(&pong, 2000))
			return i + 1;	/* round that lost its wakeup */
	}
	return 0;
}

static int ponger(void *arg)
{
	int i;

	for (i = 0; i < PING_ROUNDS; i++) {
		if (!wait_for_completion_timeout(&ping, 2000))
			return i + 1;
		complete(&pong);
	}
	return 0;
}

static void completion_ping_pong(struct ktest *t)
{
	int a = nth_online_cpu(0), b = nth_online_cpu(1);
	u64 start = ktime_get_ns();

	reinit_completion(&ping);
	reinit_completion(&pong);
	threads[0] = kthread_create_on_cpu(ponger, NULL, b, "ponger");
	threads[1] = kthread_create_on_cpu(pinger, NULL, a, "pinger");
	KTEST_EXPECT_NOT_NULL(t, threads[0]);
	KTEST_EXPECT_NOT_NULL(t, threads[1]);
	join_threads(t, 2, want_zero);
	ktest_log(t, "%d round trips between CPU %d and CPU %d in %llu ms",
		  PING_ROUNDS, a, b,
		  (unsigned long long)((ktime_get_ns() - start) / NSEC_PER_MSEC));
}

/* --- a spinning thread is preempted --------------------------------- */

static volatile bool spin_flag;
static volatile bool spin_started;
static u64 spin_start_ns, flag_set_ns;

static int spin_until_flag(void *arg)
{
	u64 end = deadline_ms(3000);

	spin_start_ns = ktime_get_ns();
	WRITE_ONCE(spin_started, true);
	while (!READ_ONCE(spin_flag))
		if (past(end))
			return -ETIMEDOUT;
	return 0;
}

static int set_flag(void *arg)
{
	flag_set_ns = ktime_get_ns();
	WRITE_ONCE(spin_flag, true);
	return 0;
}

static void preempt_spinning_thread(struct ktest *t)
{
	int cpu = nth_online_cpu(num_online_cpus() - 1);
	u64 end = deadline_ms(2000);

	spin_flag = false;
	spin_started = false;
	threads[0] = kthread_create_on_cpu(spin_until_flag, NULL, cpu, "spinner");
	KTEST_ASSERT_NOT_NULL(t, threads[0]);
	while (!READ_ONCE(spin_started) && !past(end))
		msleep(1);
	KTEST_EXPECT_TRUE(t, spin_started);
	threads[1] = kthread_create_on_cpu(set_flag, NULL, cpu, "setter");
	KTEST_EXPECT_NOT_NULL(t, threads[1]);
	join_threads(t, 2, want_zero);
	if (spin_flag)
		ktest_log(t, "flag set on CPU %d %llu ms after the spinner started",
			  cpu, (unsigned long long)((flag_set_ns - spin_start_ns) /
						    NSEC_PER_MSEC));
}

/* --- mutex contention on every CPU ---------------------------------- */

#define MUTEX_ITERS	500

static DEFINE_MUTEX(counter_lock);
static unsigned long counter;

static int mutex_body(void *arg)
{
	unsigned long v;
	int i;

	for (i = 0; i < MUTEX_ITERS; i++) {
		mutex_lock(&counter_lock);
		v = READ_ONCE(counter);
		if (i % 64 == 0)
			yield();	/* sleepers pile up on the mutex */
		else
			cpu_relax();
		WRITE_ONCE(counter, v + 1);
		mutex_unlock(&counter_lock);
	}
	return 0;
}

static void mutex_contention(struct ktest *t)
{
	int i, n = min(2 * num_online_cpus(), MAX_TEST_THREADS);

	counter = 0;
	for (i = 0; i < n; i++) {
		threads[i] = kthread_create_on_cpu(mutex_body, NULL,
						   nth_online_cpu(i), "mutex");
		KTEST_EXPECT_NOT_NULL(t, threads[i]);
	}
	join_threads(t, n, want_zero);
	KTEST_EXPECT_EQ(t, counter, (unsigned long)n * MUTEX_ITERS);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&counter_lock));
}

static int try_other(void *arg)
{
	return mutex_trylock(arg) ? 1 : 0;
}

static int unlock_other(void *arg)
{
	mutex_unlock(arg);	/* not the owner: refused under DEBUG_KERNEL */
	return 0;
}

static void mutex_trylock_and_owner(struct ktest *t)
{
	static DEFINE_MUTEX(m);
	int code = -1;

	KTEST_ASSERT_TRUE(t, mutex_trylock(&m));
	KTEST_EXPECT_TRUE(t, mutex_is_locked(&m));
	threads[0] = kthread_create(try_other, &m, "trylock");
	KTEST_ASSERT_NOT_NULL(t, threads[0]);
	KTEST_EXPECT_EQ(t, kthread_join_timeout(threads[0], JOIN_MS, &code), 0);
	KTEST_EXPECT_EQ(t, code, 0);
#ifdef CONFIG_DEBUG_KERNEL
	ktest_log(t, "expect a 'mutex: unlock by non-owner' report:");
	threads[0] = kthread_create(unlock_other, &m, "unlocker");
	KTEST_ASSERT_NOT_NULL(t, threads[0]);
	KTEST_EXPECT_EQ(t, kthread_join_timeout(threads[0], JOIN_MS, &code), 0);
	KTEST_EXPECT_TRUE(t, mutex_is_locked(&m));
#else
	(void)unlock_other;
#endif
	mutex_unlock(&m);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&m));
}

/* --- msleep, wait_event_timeout, counters --------------------------- */

#define SLACK_MS	100	/* TCG can be slow to deliver ticks */

static void msleep_duration(struct ktest *t)
{
	u64 start = ktime_get_ns(), ms;

	msleep(50);
	ms = (ktime_get_ns() - start) / NSEC_PER_MSEC;
	ktest_log(t, "msleep(50) took %llu ms", (unsigned long long)ms);
	KTEST_EXPECT_GE(t, ms, 50);
	KTEST_EXPECT_LT(t, ms, 50 + SLACK_MS);
}

static DECLARE_WAIT_QUEUE_HEAD(test_wq);
static volatile bool wq_cond;

static void wait_event_timeout_expires(struct ktest *t)
{
	u64 start = ktime_get_ns(), ms, ret;

	wq_cond = false;
	ret = wait_event_timeout(test_wq, wq_cond, 20 * NSEC_PER_MSEC);
	ms = (ktime_get_ns() - start) / NSEC_PER_MSEC;
	KTEST_EXPECT_EQ(t, ret, 0);
	KTEST_EXPECT_GE(t, ms, 20);
	KTEST_EXPECT_LT(t, ms, 20 + SLACK_MS);
}

static int wq_waker(void *arg)
{
	msleep(10);
	WRITE_ONCE(wq_cond, true);
	wake_up(&test_wq);
	return 0;
}

static void wait_event_timeout_woken(struct ktest *t)
{
	u64 start = ktime_get_ns(), ms, ret;

	wq_cond = false;
	threads[0] = kthread_create_on_cpu(wq_waker, NULL, nth_online_cpu(1),
					   "waker");
	KTEST_ASSERT_NOT_NULL(t, threads[0]);
	ret = wait_event_timeout(test_wq, wq_cond, 2000 * NSEC_PER_MSEC);
	ms = (ktime_get_ns() - start) / NSEC_PER_MSEC;
	ktest_log(t, "woken after %llu ms", (unsigned long long)ms);
	KTEST_EXPECT_GT(t, ret, 0);
	KTEST_EXPECT_TRUE(t, wq_cond);
	KTEST_EXPECT_GE(t, ms, 10);
	join_threads(t, 1, want_zero);
}

static int sleepy(void *arg)
{
	u64 before = current->switches;
	int i;

	for (i = 0; i < 5; i++)
		msleep(2);
	return (int)(current->switches - before);
}

static void switch_counters(struct ktest *t)
{
	int code = 0;

	threads[0] = kthread_create(sleepy, NULL, "sleepy");
	KTEST_ASSERT_NOT_NULL(t, threads[0]);
	KTEST_EXPECT_EQ(t, kthread_join_timeout(threads[0], JOIN_MS, &code), 0);
	KTEST_EXPECT_GE(t, code, 5);
	KTEST_EXPECT_EQ(t, kthread_join(current), -EDEADLK);
	sched_show_tasks();
}

static const struct ktest_case sched_cases[] = {
	KTEST_CASE(pinned_threads_stay),
	KTEST_CASE(set_cpus_allowed_moves_self),
	KTEST_CASE(set_cpus_allowed_moves_running),
	KTEST_CASE(affinity_churn),
	KTEST_CASE(many_threads_finish),
	KTEST_CASE(completion_ping_pong),
	KTEST_CASE(preempt_spinning_thread),
	KTEST_CASE(mutex_contention),
	KTEST_CASE(mutex_trylock_and_owner),
	KTEST_CASE(msleep_duration),
	KTEST_CASE(wait_event_timeout_expires),
	KTEST_CASE(wait_event_timeout_woken),
	KTEST_CASE(switch_counters),
	{}
};
KTEST_SUITE(sched, sched_cases);
