// SPDX-License-Identifier: GPL-2.0
/*
 * mm/tests/stress.c: the all-CPU runner behind the page_alloc and kmalloc
 * stress cases.  Threads wait at a start line until every one of them has
 * been created, so that all CPUs hit the allocator at the same moment.
 * State shared with the threads is static: a thread that misses its join
 * deadline can still touch it safely.
 */
#include <lego/atomic.h>
#include <lego/compiler.h>
#include <lego/ktest.h>
#include <lego/sched.h>
#include <lego/smp.h>

#include "stress.h"

static struct mm_stress slots[NR_CPUS];
static struct task_struct *threads[NR_CPUS];
static int (*stress_fn)(struct mm_stress *);
static bool stress_go;

static int stress_thread(void *arg)
{
	while (!READ_ONCE(stress_go))
		yield();
	return stress_fn(arg);
}

static int start_threads(struct ktest *t, const char *name)
{
	int cpu, n = 0;

	for_each_online_cpu(cpu) {
		slots[n] = (struct mm_stress){
			.cpu = cpu,
			.rng = 0x9e3779b97f4a7c15ULL * (u64)(cpu + 1),
		};
		threads[n] = kthread_create_on_cpu(stress_thread, &slots[n],
						   cpu, name);
		if (!threads[n]) {
			ktest_fail(t, __FILE__, __LINE__,
				   "no thread for CPU %d", cpu);
			break;
		}
		n++;
	}
	return n;
}

static bool join_thread(struct ktest *t, int i)
{
	struct mm_stress *s = &slots[i];
	int code;

	if (kthread_join_timeout(threads[i], MM_STRESS_JOIN_MS, &code)) {
		ktest_fail(t, __FILE__, __LINE__,
			   "thread on CPU %d still running after %lu ms",
			   s->cpu, MM_STRESS_JOIN_MS);
		return false;
	}
	if (code || s->bad)
		ktest_fail(t, __FILE__, __LINE__,
			   "CPU %d: exit code %d, %lu corrupted blocks",
			   s->cpu, code, s->bad);
	return true;
}

/* Returns how many threads finished; *@started says how many ran. */
static int run_all(struct ktest *t, int (*fn)(struct mm_stress *),
		   const char *name, int *started)
{
	int i, n, done = 0;

	stress_fn = fn;
	WRITE_ONCE(stress_go, false);
	n = start_threads(t, name);
	*started = n;
	smp_mb();
	WRITE_ONCE(stress_go, true);
	for (i = 0; i < n; i++)
		if (join_thread(t, i))
			done++;
	return done;
}

int mm_stress_run(struct ktest *t, int (*fn)(struct mm_stress *),
		  const char *name)
{
	unsigned long allocs = 0, failed = 0;
	int i, n, done = run_all(t, fn, name, &n);

	for (i = 0; i < n; i++) {
		allocs += slots[i].allocs;
		failed += slots[i].failed;
	}
	ktest_log(t, "%d CPUs: %lu allocations, %lu failed for lack of memory",
		  done, allocs, failed);
	return done;
}

static int do_nothing(struct mm_stress *s)
{
	return 0;
}

void mm_stress_warm_up(struct ktest *t)
{
	int n;

	run_all(t, do_nothing, "mm_warm_up", &n);
}
