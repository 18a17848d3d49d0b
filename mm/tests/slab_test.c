// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `kmalloc`: kmalloc, object caches and their checks in the
 * running kernel.
 *
 * Every size class and some page-sized requests are allocated, checked for
 * alignment and written in full; kzalloc/kcalloc must zero and kcalloc
 * must refuse an overflowing size; krealloc must keep contents; a few
 * hundred objects of mixed sizes must neither overlap nor change; a cache
 * with a constructor and an alignment is created, refused destruction
 * while busy, and destroyed; bad kfree()s must be refused and, under
 * CONFIG_DEBUG_SLAB, double frees, writes after free and overflows found;
 * and every online CPU runs kmalloc/kfree and a shared cache at once.
 *
 * The refused frees log errors on purpose; each case says so first.
 * Run under QEMU TCG with -smp 1 and 4.
 */
#include <lego/compiler.h>
#include <lego/errno.h>
#include <lego/ktest.h>
#include <lego/mm.h>
#include <lego/smp.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "../internal.h"
#include "stress.h"

/* Pages kmalloc caches may keep as spare slabs after a stress run. */
#define SPARE_SLAB_SLACK	32

static const size_t sizes[] = {
	1, 7, 8, 9, 16, 24, 32, 33, 64, 65, 96, 100, 128, 129, 192, 193,
	256, 300, 512, 513, 1024, 1500, 2048, 2049, 4096, 4097, 10000,
	65536, 1 << 20,
};

/* kmalloc's promise: the largest power of two dividing the size class. */
static unsigned long expected_align(const void *p)
{
	size_t cls = ksize(p);

	if (cls > KMALLOC_MAX_CACHE_SIZE)
		return PAGE_SIZE;
	return cls & -cls;
}

static bool fill_and_check(u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 7);
	for (i = 0; i < n; i++)
		if (p[i] != (u8)(seed + i * 7))
			return false;
	return true;
}

static void every_size(struct ktest *t)
{
	size_t i;
	u8 *p;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p = kmalloc(sizes[i], GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_GE(t, ksize(p), sizes[i]);
		KTEST_EXPECT_EQ(t, (unsigned long)p & (expected_align(p) - 1), 0);
		KTEST_EXPECT_TRUE(t, fill_and_check(p, ksize(p), (u8)i));
		kfree(p);
	}
	KTEST_EXPECT_EQ(t, kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	KTEST_EXPECT_NULL(t, kmalloc(KMALLOC_MAX_SIZE + 1,
				     GFP_KERNEL | __GFP_NOWARN));
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
}

static bool all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static void zeroing(struct ktest *t)
{
	u8 *p = kmalloc(200, GFP_KERNEL), *q;

	KTEST_ASSERT_NOT_NULL(t, p);
	memset(p, 0xff, ksize(p));
	kfree(p);
	q = kzalloc(200, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_TRUE(t, all_zero(q, ksize(q)));
	memset(q, 0xff, ksize(q));
	kfree(q);
	q = kcalloc(25, 8, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_TRUE(t, all_zero(q, 200));
	kfree(q);
	q = kzalloc(3 * PAGE_SIZE, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_TRUE(t, all_zero(q, 3 * PAGE_SIZE));
	kfree(q);
}

static void kcalloc_overflow(struct ktest *t)
{
	KTEST_EXPECT_NULL(t, kcalloc((size_t)-1 / 2 + 1, 2, GFP_KERNEL));
	KTEST_EXPECT_NULL(t, kcalloc(3, (size_t)-1 / 2, GFP_KERNEL));
	KTEST_EXPECT_NULL(t, kmalloc_array((size_t)1 << 33, (size_t)1 << 32,
					   GFP_KERNEL));
	KTEST_EXPECT_EQ(t, kcalloc(0, 16, GFP_KERNEL), ZERO_SIZE_PTR);
}

static void krealloc_keeps_contents(struct ktest *t)
{
	u8 *p = kmalloc(24, GFP_KERNEL), *q;
	int i;

	KTEST_ASSERT_NOT_NULL(t, p);
	for (i = 0; i < 24; i++)
		p[i] = i;
	KTEST_EXPECT_EQ(t, krealloc(p, 30, GFP_KERNEL), p);	/* fits */
	q = krealloc(p, 500, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, q);
	for (i = 0; i < 24; i++)
		KTEST_EXPECT_EQ(t, q[i], i);
	p = krealloc(q, 3 * PAGE_SIZE, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	for (i = 0; i < 24; i++)
		KTEST_EXPECT_EQ(t, p[i], i);
	KTEST_EXPECT_EQ(t, krealloc(p, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	p = krealloc(NULL, 40, GFP_KERNEL);
	KTEST_EXPECT_GE(t, ksize(p), 40);
	kfree(p);
}

#define MIXED	400

static void mixed_sizes(struct ktest *t)
{
	static u8 *obj[MIXED];
	static size_t len[MIXED];
	u64 rng = 0x1234567;
	int i, j;

	for (i = 0; i < MIXED; i++) {
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		len[i] = 1 + (rng >> 33) % (i % 10 ? 600 : 6000);
		obj[i] = kmalloc(len[i], GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, obj[i]);
		memset(obj[i], (u8)i, len[i]);
	}
	for (i = 0; i < MIXED; i++)
		for (j = i + 1; j < MIXED; j++)
			KTEST_EXPECT_TRUE(t, obj[i] + ksize(obj[i]) <= obj[j] ||
					     obj[j] + ksize(obj[j]) <= obj[i]);
	/* free in a scattered order, checking each object first */
	for (i = 0; i < MIXED; i++) {
		int k = (i * 151) % MIXED;

		for (j = 0; j < (int)len[k]; j++)
			if (obj[k][j] != (u8)k)
				break;
		KTEST_EXPECT_EQ(t, j, len[k]);
		kfree(obj[k]);
	}
}

static atomic_t ctor_runs;

static void thing_ctor(void *p)
{
	u64 *w = p;

	atomic_inc(&ctor_runs);
	w[0] = 0x7417;
	w[1] = 0;
}

static void custom_cache(struct ktest *t)
{
	struct kmem_cache *c;
	u64 *a, *b;

	atomic_set(&ctor_runs, 0);
	c = kmem_cache_create("ktest-thing", 72, 128, 0, thing_ctor);
	KTEST_ASSERT_NOT_NULL(t, c);
	a = kmem_cache_alloc(c, GFP_KERNEL);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_ASSERT_NOT_NULL(t, b);
	KTEST_EXPECT_NE(t, a, b);
	KTEST_EXPECT_EQ(t, (unsigned long)a & 127, 0);
	KTEST_EXPECT_EQ(t, (unsigned long)b & 127, 0);
	KTEST_EXPECT_EQ(t, a[0], 0x7417);
	KTEST_EXPECT_EQ(t, b[0], 0x7417);
	KTEST_EXPECT_GT(t, atomic_read(&ctor_runs), 0);
	KTEST_EXPECT_EQ(t, ksize(a), 72);

	ktest_log(t, "a 'cannot destroy cache' error follows on purpose");
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), -EBUSY);
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
	KTEST_EXPECT_NULL(t, kmem_cache_create("ktest-bad", 64, 3, 0, NULL));
}

static void bad_kfree_refused(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("ktest-df", 64, 0, 0, NULL);
	unsigned long errors = slab_nr_errors();
	u8 *p = kmalloc(64, GFP_KERNEL), *q;
	int on_stack;

	KTEST_ASSERT_NOT_NULL(t, c);
	KTEST_ASSERT_NOT_NULL(t, p);
	ktest_log(t, "three refused-free errors follow on purpose");
	kfree(p + 1);
	kfree(&on_stack);
	kfree(p);
	/* a private cache, so that nobody can get the object in between */
	q = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, q);
	kmem_cache_free(c, q);	/* at the free list head: caught always */
	KTEST_EXPECT_EQ(t, slab_nr_errors(), errors + 3);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
	/* kmalloc still works */
	p = kmalloc(64, GFP_KERNEL);
	q = kmalloc(64, GFP_KERNEL);
	KTEST_EXPECT_NE(t, p, q);
	kfree(p);
	kfree(q);
}

static void debug_checks(struct ktest *t)
{
#ifdef CONFIG_DEBUG_SLAB
	struct kmem_cache *c = kmem_cache_create("ktest-debug", 40, 0, 0, NULL);
	unsigned long errors = slab_nr_errors();
	u8 *a, *b;

	KTEST_ASSERT_NOT_NULL(t, c);
	ktest_log(t, "double free, use after free and overflow errors follow on purpose");
	a = kmem_cache_alloc(c, GFP_KERNEL);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	kmem_cache_free(c, a);			/* not at the list head */
	KTEST_EXPECT_EQ(t, slab_nr_errors(), errors + 1);

	b[5] = 0;				/* b heads the free list */
	a = kmem_cache_alloc(c, GFP_KERNEL);
	KTEST_EXPECT_EQ(t, a, b);
	KTEST_EXPECT_EQ(t, slab_nr_errors(), errors + 2);

	a[40] = 0;				/* one past the end */
	kmem_cache_free(c, a);
	KTEST_EXPECT_EQ(t, slab_nr_errors(), errors + 3);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
#else
	ktest_skip(t, "CONFIG_DEBUG_SLAB is off");
#endif
}

#define STRESS_SLOTS	48
#define STRESS_OPS	4000

static struct kmem_cache *shared;

struct object {
	u8 *p;
	size_t n;
	bool cached;
};

static u8 stress_tag(const struct mm_stress *s, const struct object *o)
{
	return (u8)(s->cpu * 31 + o->n);
}

static void check_and_free(struct mm_stress *s, struct object *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (o->p[i] != stress_tag(s, o)) {
			s->bad++;
			break;
		}
	if (o->cached)
		kmem_cache_free(shared, o->p);
	else
		kfree(o->p);
	o->p = NULL;
}

static int kmalloc_stress(struct mm_stress *s)
{
	struct object slot[STRESS_SLOTS] = { };
	struct object *o;
	int op, i;

	for (op = 0; op < STRESS_OPS; op++) {
		o = &slot[mm_stress_rand(s) % STRESS_SLOTS];
		if (o->p) {
			check_and_free(s, o);
			continue;
		}
		o->cached = mm_stress_rand(s) % 4 == 0;
		o->n = o->cached ? 56 : 1 + mm_stress_rand(s) % 3000;
		o->p = o->cached ? kmem_cache_alloc(shared, GFP_KERNEL) :
				   kmalloc(o->n, GFP_KERNEL | __GFP_NOWARN);
		if (!o->p) {
			s->failed++;
			continue;
		}
		memset(o->p, stress_tag(s, o), o->n);
		s->allocs++;
	}
	for (i = 0; i < STRESS_SLOTS; i++)
		if (slot[i].p)
			check_and_free(s, &slot[i]);
	return 0;
}

static void smp_stress(struct ktest *t)
{
	unsigned long before, after;

	shared = kmem_cache_create("ktest-shared", 56, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, shared);
	mm_stress_warm_up(t);
	before = nr_free_pages();
	KTEST_EXPECT_EQ(t, mm_stress_run(t, kmalloc_stress, "kmalloc_stress"),
			num_online_cpus());
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(shared), 0);
	after = nr_free_pages();
	ktest_log(t, "free pages before %lu, after %lu", before, after);
	KTEST_EXPECT_LE(t, before, after + SPARE_SLAB_SLACK);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
}

static const struct ktest_case kmalloc_cases[] = {
	KTEST_CASE(every_size),
	KTEST_CASE(zeroing),
	KTEST_CASE(kcalloc_overflow),
	KTEST_CASE(krealloc_keeps_contents),
	KTEST_CASE(mixed_sizes),
	KTEST_CASE(custom_cache),
	KTEST_CASE(bad_kfree_refused),
	KTEST_CASE(debug_checks),
	KTEST_CASE(smp_stress),
	{}
};
KTEST_SUITE(kmalloc, kmalloc_cases);
