/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/tests/stress.h: run an allocator workload on every online CPU at once,
 * for the page_alloc and kmalloc ktest suites.
 */
#ifndef _MM_TESTS_STRESS_H
#define _MM_TESTS_STRESS_H

#include <lego/ktest.h>
#include <lego/types.h>

#define MM_STRESS_JOIN_MS	120000UL	/* per thread; generous under TCG */

/* One per thread; the workload fills in the counters. */
struct mm_stress {
	int cpu;
	u64 rng;
	unsigned long allocs;	/* allocations that succeeded */
	unsigned long failed;	/* allocations that returned NULL */
	unsigned long bad;	/* blocks whose pattern changed under us */
};

/* xorshift64: each thread has its own sequence. */
static inline u64 mm_stress_rand(struct mm_stress *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

/*
 * Start one kernel thread pinned to each online CPU, release them all
 * together into @fn, and join them (bounded by MM_STRESS_JOIN_MS each).
 * Failures to start or finish, a non-zero return from @fn and any ->bad
 * count are reported on @t.  Returns the number of threads that finished.
 */
int mm_stress_run(struct ktest *t, int (*fn)(struct mm_stress *),
		  const char *name);

/*
 * Create and join the same threads with nothing to do: the caches behind
 * task structs then hold what they will hold after mm_stress_run(), so
 * that the free page count before and after it can be compared exactly.
 */
void mm_stress_warm_up(struct ktest *t);

#endif /* _MM_TESTS_STRESS_H */
