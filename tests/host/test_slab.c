// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for mm/slab.c, mm/slab_debug.c and mm/kmalloc.c.
 *
 * The slab code runs unchanged over tests/host/fake_pages.c, a 4 MiB arena
 * managed by the real buddy core, so page flags, slab back-pointers and
 * page accounting are the kernel's.  Every case starts from a fresh arena
 * and freshly set up caches.  Covered: size classes and their alignment,
 * large allocations, no overlap between live objects, reuse, slab release,
 * constructors, bad parameters, destroy while busy, kcalloc/kmalloc_array
 * overflow, krealloc, every refused free, the SLAB_DEBUG checks (poison,
 * red zone, free marker), a corrupted free list, allocation failure, and
 * threads hammering the caches at once.
 */
#include "host_test.h"

#include <pthread.h>

#include "lego_host_rename.h"

#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "../../mm/internal.h"
#include "fake_pages.h"
#include "host_stubs.h"

#define ARENA_PAGES	1024

static unsigned long errors0;

/* Errors reported since the case started (the counter is global). */
static unsigned long new_errors(void)
{
	return slab_nr_errors() - errors0;
}

static int setup(void **state)
{
	(void)state;
	errors0 = slab_nr_errors();
	fake_pages_init(ARENA_PAGES, true);
	kmem_cache_init();
	host_printk_reset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(fake_pages_check(), 0);
	fake_pages_exit();
	return 0;
}

static struct kmem_cache *cache_of(const void *p)
{
	struct page *slab = slab_of(p);

	assert_non_null(slab);
	return slab->slab_cache;
}

static bool aligned(const void *p, unsigned long a)
{
	return ((uintptr_t)p & (a - 1)) == 0;
}

/* Expect exactly one more reported error, whose text contains @what. */
#define EXPECT_ERROR(what, stmt) do {					\
		unsigned long __e = slab_nr_errors();			\
		host_printk_reset();					\
		stmt;							\
		assert_int_equal(slab_nr_errors(), __e + 1);		\
		assert_true(host_printk_contains(what));		\
	} while (0)

/* ---- kmalloc ---- */

static void test_size_classes(void **state)
{
	static const struct { size_t size, cls; } cases[] = {
		{ 1, 8 }, { 8, 8 }, { 9, 16 }, { 16, 16 }, { 17, 32 },
		{ 33, 64 }, { 64, 64 }, { 65, 96 }, { 96, 96 }, { 97, 128 },
		{ 129, 192 }, { 192, 192 }, { 193, 256 }, { 256, 256 },
		{ 257, 512 }, { 1000, 1024 }, { 1025, 2048 }, { 2048, 2048 },
	};
	char name[32];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		u8 *p = kmalloc(cases[i].size, GFP_KERNEL);

		assert_non_null(p);
		assert_int_equal(ksize(p), cases[i].cls);
		assert_true(aligned(p, cases[i].cls & -cases[i].cls));
		snprintf(name, sizeof(name), "kmalloc-%zu", cases[i].cls);
		assert_string_equal(kmem_cache_name(cache_of(p)), name);
		memset(p, 0xa5, cases[i].cls);
		kfree(p);
	}
	/* every size gets the smallest class that holds it */
	for (size_t size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size++) {
		void *p = kmalloc(size, GFP_KERNEL);
		size_t cls = ksize(p);

		assert_true(cls >= size);
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
			if (cases[i].cls >= size)
				assert_true(cls <= cases[i].cls);
		kfree(p);
	}
	assert_int_equal(new_errors(), 0);
}

static void test_zero_and_null(void **state)
{
	(void)state;
	assert_ptr_equal(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_ptr_equal(kzalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	assert_int_equal(ksize(NULL), 0);
	assert_int_equal(ksize(ZERO_SIZE_PTR), 0);
	assert_int_equal(new_errors(), 0);
}

static void test_large(void **state)
{
	unsigned long free0 = fake_pages_free();
	u8 *p, *q;

	(void)state;
	p = kmalloc(KMALLOC_MAX_CACHE_SIZE + 1, GFP_KERNEL);
	assert_non_null(p);
	assert_true(aligned(p, PAGE_SIZE));
	assert_int_equal(ksize(p), PAGE_SIZE);
	assert_true(PageLargeKmalloc(virt_to_page(p)));
	assert_int_equal(fake_pages_free(), free0 - 1);

	q = kzalloc(100000, GFP_KERNEL);
	assert_non_null(q);
	assert_int_equal(ksize(q), 32 * PAGE_SIZE);
	assert_true(aligned(q, 32 * PAGE_SIZE));
	for (int i = 0; i < 100000; i++)
		assert_int_equal(q[i], 0);
	kfree(p);
	kfree(q);
	assert_int_equal(fake_pages_free(), free0);
	assert_false(PageLargeKmalloc(virt_to_page(p)));

	host_printk_reset();
	assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL));
	assert_true(host_printk_contains("more than the largest block"));
	host_printk_reset();
	assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN));
	assert_int_equal(host_printk_calls(), 0);
}

struct live {
	u8 *p;
	size_t size;
	u8 tag;
};

static int by_address(const void *a, const void *b)
{
	const struct live *x = a, *y = b;

	return (x->p > y->p) - (x->p < y->p);
}

static size_t random_size(void)
{
	switch (rng_below(8)) {
	case 0:
		return 1 + rng_below(12000);
	case 1:
	case 2:
		return 1 + rng_below(KMALLOC_MAX_CACHE_SIZE);
	default:
		return 1 + rng_below(200);
	}
}

static void fill(struct live *l)
{
	memset(l->p, l->tag, l->size);
}

static void verify(const struct live *l)
{
	for (size_t i = 0; i < l->size; i++)
		assert_int_equal(l->p[i], l->tag);
}

static void test_no_overlap_random(void **state)
{
	enum { N = 1500 };
	static struct live live[N], sorted[N];
	size_t n = 0;

	(void)state;
	for (int round = 0; round < 6; round++) {
		while (n < N) {
			live[n].size = random_size();
			live[n].p = kmalloc(live[n].size, GFP_KERNEL);
			if (!live[n].p)
				break;	/* the arena is full */
			live[n].tag = (u8)rng_next();
			fill(&live[n]);
			n++;
		}
		memcpy(sorted, live, n * sizeof(*live));
		qsort(sorted, n, sizeof(*sorted), by_address);
		for (size_t i = 0; i + 1 < n; i++)
			assert_true(sorted[i].p + ksize(sorted[i].p) <=
				    sorted[i + 1].p);
		for (size_t i = 0; i < n; i++)
			verify(&live[i]);
		/* free a random half */
		for (size_t i = 0; i < n;) {
			if (rng_below(2)) {
				kfree(live[i].p);
				live[i] = live[--n];
			} else {
				i++;
			}
		}
	}
	while (n--) {
		verify(&live[n]);
		kfree(live[n].p);
	}
	assert_int_equal(new_errors(), 0);
}

static void test_reuse_after_free(void **state)
{
	void *p, *q;

	(void)state;
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	q = kmalloc(50, GFP_KERNEL);
	assert_ptr_equal(p, q);
	kfree(q);
}

/* ---- caches ---- */

static void test_slab_release(void **state)
{
	struct kmem_cache *c = kmem_cache_create("test-200", 200, 0, 0, NULL);
	unsigned long free0 = fake_pages_free();
	void *objs[256];
	unsigned int n;

	(void)state;
	assert_non_null(c);
	assert_int_equal(c->order, 0);
	assert_int_equal(c->objects, PAGE_SIZE / 200);
	n = 3 * c->objects;
	for (unsigned int i = 0; i < n; i++)
		assert_non_null(objs[i] = kmem_cache_alloc(c, GFP_KERNEL));
	assert_int_equal(c->nr_slabs, 3);
	assert_int_equal(c->active, n);
	assert_int_equal(fake_pages_free(), free0 - 3);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(c, objs[i]);
	/* one empty slab stays as the spare, the others went back */
	assert_int_equal(c->active, 0);
	assert_int_equal(c->nr_slabs, 1);
	assert_non_null(c->spare);
	assert_int_equal(fake_pages_free(), free0 - 1);
	/* the spare is used before a new slab is made */
	objs[0] = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(fake_pages_free(), free0 - 1);
	kmem_cache_free(c, objs[0]);
	assert_int_equal(kmem_cache_destroy(c), 0);
	assert_int_equal(fake_pages_free(), free0);
}

static int ctor_calls;

static void ctor(void *p)
{
	u32 *w = p;

	ctor_calls++;
	w[0] = 0xc0ffee;
	w[1] = 7;
}

static void test_ctor(void **state)
{
	struct kmem_cache *c = kmem_cache_create("ctor", 24, 0, 0, ctor);
	u32 *a, *b;

	(void)state;
	assert_non_null(c);
	ctor_calls = 0;
	a = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(ctor_calls, c->objects);
	assert_int_equal(a[0], 0xc0ffee);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(b[0], 0xc0ffee);
	/* the free pointer lives after the object: the constructed state stays */
	kmem_cache_free(c, a);
	a = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(a[0], 0xc0ffee);
	assert_int_equal(a[1], 7);
	assert_int_equal(ctor_calls, c->objects);
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	assert_int_equal(kmem_cache_destroy(c), 0);

	/* SLAB_DEBUG poisons free objects, so the constructor runs on each allocation */
	c = kmem_cache_create("ctor-debug", 24, 0, SLAB_DEBUG, ctor);
	ctor_calls = 0;
	for (int i = 0; i < 5; i++) {
		a = kmem_cache_alloc(c, GFP_KERNEL);
		assert_int_equal(a[0], 0xc0ffee);
		kmem_cache_free(c, a);
	}
	assert_int_equal(ctor_calls, 5);
	assert_int_equal(new_errors(), 0);
	assert_int_equal(kmem_cache_destroy(c), 0);
}

static void test_alignment(void **state)
{
	static const struct { size_t size, align; unsigned long flags; } cases[] = {
		{ 40, 16, 0 }, { 8, 64, 0 }, { 100, 128, 0 }, { 3000, 256, 0 },
		{ 24, 4096, 0 }, { 40, 0, SLAB_HWCACHE_ALIGN }, { 13, 0, 0 },
		{ 40, 32, SLAB_DEBUG }, { 1, 2, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned long want = cases[i].align ? cases[i].align : 8;
		struct kmem_cache *c;
		void *objs[40];

		if (cases[i].flags & SLAB_HWCACHE_ALIGN)
			want = SLAB_CACHE_LINE;
		want = want < 8 ? 8 : want;
		c = kmem_cache_create("aligned", cases[i].size, cases[i].align,
				      cases[i].flags, NULL);
		assert_non_null(c);
		for (int k = 0; k < 40; k++) {
			objs[k] = kmem_cache_alloc(c, GFP_KERNEL);
			assert_non_null(objs[k]);
			assert_true(aligned(objs[k], want));
			memset(objs[k], 0x3c, cases[i].size);
		}
		for (int k = 0; k < 40; k++)
			kmem_cache_free(c, objs[k]);
		assert_int_equal(kmem_cache_destroy(c), 0);
	}
	assert_int_equal(new_errors(), 0);
}

static void test_geometry(void **state)
{
	struct kmem_cache *c;
	void *p;

	(void)state;
	/* 3000-byte objects waste too much in 1 or 2 pages: 4 pages hold 5 */
	c = kmem_cache_create("geo-3000", 3000, 0, 0, NULL);
	assert_int_equal(c->order, 2);
	assert_int_equal(c->objects, 5);
	assert_int_equal(kmem_cache_destroy(c), 0);
	/* bigger than the largest waste-checked slab: just one object */
	c = kmem_cache_create("geo-100k", 100000, 0, 0, NULL);
	assert_int_equal(c->order, 5);
	assert_int_equal(c->objects, 1);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(p);
	/* an object's tail pages lead back to its slab */
	assert_ptr_equal(slab_of((u8 *)p + 99999), slab_of(p));
	kmem_cache_free(c, p);
	assert_int_equal(kmem_cache_destroy(c), 0);
}

static void test_create_bad_params(void **state)
{
	(void)state;
	assert_null(kmem_cache_create("zero", 0, 0, 0, NULL));
	assert_true(host_printk_contains("cannot create cache zero"));
	assert_null(kmem_cache_create("align3", 32, 3, 0, NULL));
	assert_null(kmem_cache_create("align8k", 32, 2 * PAGE_SIZE, 0, NULL));
	assert_null(kmem_cache_create("flags", 32, 0, 0x100, NULL));
	assert_null(kmem_cache_create("huge", KMALLOC_MAX_SIZE + 1, 0, 0, NULL));
	assert_null(kmem_cache_create(NULL, 0, 0, 0, NULL));
	assert_true(host_printk_contains("(unnamed)"));
	/* the name is copied and cut to fit */
	{
		char name[64];
		struct kmem_cache *c;

		memset(name, 'x', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		c = kmem_cache_create(name, 32, 0, 0, NULL);
		name[0] = 'y';
		assert_int_equal(strlen(kmem_cache_name(c)), SLAB_NAME_LEN - 1);
		assert_int_equal(kmem_cache_name(c)[0], 'x');
		assert_int_equal(kmem_cache_destroy(c), 0);
	}
}

static void test_destroy(void **state)
{
	struct kmem_cache *c = kmem_cache_create("busy", 64, 0, 0, NULL);
	void *p = kmem_cache_alloc(c, GFP_KERNEL), *k;

	(void)state;
	assert_int_equal(kmem_cache_destroy(c), -EBUSY);
	assert_true(host_printk_contains("cannot destroy cache busy: 1 objects still allocated"));
	kmem_cache_free(c, p);
	assert_int_equal(kmem_cache_destroy(c), 0);
	assert_int_equal(kmem_cache_destroy(NULL), 0);

	k = kmalloc(32, GFP_KERNEL);
	host_printk_reset();
	assert_int_equal(kmem_cache_destroy(cache_of(k)), -EINVAL);
	assert_true(host_printk_contains("not made by kmem_cache_create"));
	kfree(k);
}

static void test_kcalloc(void **state)
{
	u8 *p;

	(void)state;
	assert_null(kcalloc(SIZE_MAX / 2 + 1, 2, GFP_KERNEL));
	assert_null(kcalloc(2, SIZE_MAX / 2 + 1, GFP_KERNEL));
	assert_null(kmalloc_array(SIZE_MAX / 16, 17, GFP_KERNEL));
	assert_ptr_equal(kcalloc(0, 8, GFP_KERNEL), ZERO_SIZE_PTR);

	p = kmalloc(1000, GFP_KERNEL);
	memset(p, 0xff, 1000);
	kfree(p);
	assert_ptr_equal(kcalloc(10, 100, GFP_KERNEL), p);
	for (int i = 0; i < 1024; i++)
		assert_int_equal(p[i], 0);
	kfree(p);
	p = kmalloc_array(10, 100, GFP_KERNEL);
	assert_int_equal(ksize(p), 1024);
	kfree(p);
}

static void test_kzalloc(void **state)
{
	u8 *p = kmalloc(128, GFP_KERNEL);

	(void)state;
	memset(p, 0xee, 128);
	kfree(p);
	assert_ptr_equal(kzalloc(100, GFP_KERNEL), p);
	for (int i = 0; i < 128; i++)
		assert_int_equal(p[i], 0);
	kfree(p);
}

static void test_krealloc(void **state)
{
	u8 *p, *q, *r;

	(void)state;
	p = kmalloc(10, GFP_KERNEL);
	for (int i = 0; i < 16; i++)
		p[i] = i;
	assert_ptr_equal(krealloc(p, 8, GFP_KERNEL), p);
	assert_ptr_equal(krealloc(p, 16, GFP_KERNEL), p);
	q = krealloc(p, 100, GFP_KERNEL);
	assert_ptr_not_equal(q, p);
	assert_int_equal(ksize(q), 128);
	for (int i = 0; i < 16; i++)
		assert_int_equal(q[i], i);
	/* the old object went back */
	assert_ptr_equal(kmalloc(16, GFP_KERNEL), p);
	kfree(p);

	r = krealloc(q, 20000, GFP_KERNEL);
	assert_int_equal(ksize(r), 8 * PAGE_SIZE);
	for (int i = 0; i < 16; i++)
		assert_int_equal(r[i], i);
	q = krealloc(NULL, 50, GFP_KERNEL);
	assert_int_equal(ksize(q), 64);

	/* failure leaves the old block alone */
	fake_pages_fail_after(0);
	assert_null(krealloc(r, 200000, GFP_KERNEL));
	fake_pages_fail_after(-1);
	for (int i = 0; i < 16; i++)
		assert_int_equal(r[i], i);
	assert_ptr_equal(krealloc(r, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_ptr_equal(krealloc(q, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_int_equal(new_errors(), 0);
}

/* ---- refused frees ---- */

static void test_double_free(void **state)
{
	struct kmem_cache *c;
	void *p, *q, *a, *b;

	(void)state;
	p = kmalloc(32, GFP_KERNEL);
	kfree(p);
	EXPECT_ERROR("double free of", kfree(p));
	assert_true(host_printk_contains("cache kmalloc-32"));
	a = kmalloc(32, GFP_KERNEL);
	b = kmalloc(32, GFP_KERNEL);
	assert_ptr_not_equal(a, b);
	c = cache_of(a);
	assert_int_equal(c->active, 2);
	kfree(a);
	kfree(b);

	/* the whole slab free: caught by its in-use count */
	c = kmem_cache_create("df", 512, 0, 0, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	q = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, p);
	kmem_cache_free(c, q);
	EXPECT_ERROR("double free of", kmem_cache_free(c, p));
	assert_int_equal(c->active, 0);
	assert_int_equal(kmem_cache_destroy(c), 0);
}

static void test_bad_kfree(void **state)
{
	int on_stack;
	void *heap = malloc(64);
	u8 *p = kmalloc(64, GFP_KERNEL);
	u8 *big = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	u8 *never = page_address(pfn_to_page(FAKE_BASE_PFN + ARENA_PAGES - 1));

	(void)state;
	EXPECT_ERROR("not the start of an object", kfree(p + 8));
	EXPECT_ERROR("not the start of an object", kfree(p + 63));
	EXPECT_ERROR("not memory from kmalloc", kfree(&on_stack));
	EXPECT_ERROR("not memory from kmalloc", kfree(heap));
	EXPECT_ERROR("not memory from kmalloc", kfree(big + 8));
	EXPECT_ERROR("not memory from kmalloc", kfree(big + PAGE_SIZE));
	EXPECT_ERROR("not memory from kmalloc", kfree(never));
	EXPECT_ERROR("ksize", assert_int_equal(ksize(heap), 0));
	assert_int_equal(ksize(p), 64);
	kfree(p);
	kfree(big);
	EXPECT_ERROR("not memory from kmalloc", kfree(big));
	free(heap);
}

static void test_wrong_cache(void **state)
{
	struct kmem_cache *a = kmem_cache_create("cache-a", 64, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("cache-b", 64, 0, 0, NULL);
	void *p = kmem_cache_alloc(a, GFP_KERNEL);
	int on_stack;

	(void)state;
	EXPECT_ERROR("it belongs to cache cache-a", kmem_cache_free(b, p));
	EXPECT_ERROR("not a slab object", kmem_cache_free(b, &on_stack));
	kmem_cache_free(b, NULL);
	assert_int_equal(a->active, 1);
	kmem_cache_free(a, p);
	assert_int_equal(kmem_cache_destroy(a), 0);
	assert_int_equal(kmem_cache_destroy(b), 0);
}

/* ---- SLAB_DEBUG ---- */

static struct kmem_cache *debug_cache(void)
{
	struct kmem_cache *c = kmem_cache_create("dbg", 40, 0, SLAB_DEBUG, NULL);

	assert_non_null(c);
	assert_int_equal(c->red_zone_end, 48);
	return c;
}

static void test_debug_poison_on_alloc(void **state)
{
	struct kmem_cache *c = debug_cache();
	u8 *p = kmem_cache_alloc(c, GFP_KERNEL);

	(void)state;
	for (int i = 0; i < 40; i++)
		assert_int_equal(p[i], SLAB_POISON_FREE);
	kmem_cache_free(c, p);
	p = kmem_cache_zalloc(c, GFP_KERNEL);
	for (int i = 0; i < 40; i++)
		assert_int_equal(p[i], 0);
	kmem_cache_free(c, p);
	assert_int_equal(new_errors(), 0);
}

static void test_debug_use_after_free(void **state)
{
	struct kmem_cache *c = debug_cache();
	u8 *p = kmem_cache_alloc(c, GFP_KERNEL), *q;

	(void)state;
	memset(p, 0, 40);
	kmem_cache_free(c, p);
	for (int i = 0; i < 40; i++)
		assert_int_equal(p[i], SLAB_POISON_FREE);
	p[3] = 1;
	EXPECT_ERROR("use after free", q = kmem_cache_alloc(c, GFP_KERNEL));
	assert_ptr_equal(q, p);
	assert_true(host_printk_contains("cache dbg: object"));
	assert_true(host_printk_contains("byte +3 is 0x01"));
	kmem_cache_free(c, q);
}

static void test_debug_overflow(void **state)
{
	struct kmem_cache *c = debug_cache();
	u8 *p = kmem_cache_alloc(c, GFP_KERNEL);

	(void)state;
	p[40] = 0;
	EXPECT_ERROR("red zone after object", kmem_cache_free(c, p));
	assert_true(host_printk_contains("byte +40 is 0x00"));
	/* the free went through, the red zone is whole again */
	assert_int_equal(c->active, 0);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, p);
	assert_int_equal(kmem_cache_destroy(c), 0);
}

static void test_debug_double_free(void **state)
{
	struct kmem_cache *c = debug_cache();
	void *a = kmem_cache_alloc(c, GFP_KERNEL);
	void *b = kmem_cache_alloc(c, GFP_KERNEL);
	void *x = kmem_cache_alloc(c, GFP_KERNEL);

	(void)state;
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	/* a is not at the head of the free list: only the marker knows */
	EXPECT_ERROR("double free of", kmem_cache_free(c, a));
	assert_true(host_printk_contains("already freed by"));
	assert_int_equal(c->active, 1);
	a = kmem_cache_alloc(c, GFP_KERNEL);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	assert_ptr_not_equal(a, b);
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	kmem_cache_free(c, x);
	assert_int_equal(kmem_cache_destroy(c), 0);
}

static void test_debug_metadata_overwritten(void **state)
{
	struct kmem_cache *c = debug_cache();
	u8 *p = kmem_cache_alloc(c, GFP_KERNEL);

	(void)state;
	memset(p, 0, c->debug_offset + 8);	/* far past the object */
	EXPECT_ERROR("state word", kmem_cache_free(c, p));
	assert_int_equal(c->active, 1);		/* refused */
	assert_int_equal(kmem_cache_destroy(c), -EBUSY);
}

/* ---- failures and corruption ---- */

static void test_freelist_corruption(void **state)
{
	struct kmem_cache *c = kmem_cache_create("flc", 64, 0, 0, NULL);
	void *p = kmem_cache_alloc(c, GFP_KERNEL);
	void *q = kmem_cache_alloc(c, GFP_KERNEL);
	void *r;

	(void)state;
	kmem_cache_free(c, q);
	kmem_cache_free(c, p);
	*(uintptr_t *)p = 0x1234;		/* write after free */
	r = kmem_cache_alloc(c, GFP_KERNEL);
	assert_ptr_equal(r, p);
	assert_int_equal(new_errors(), 1);
	assert_true(host_printk_contains("free list broken"));
	/* allocation goes on from a new slab */
	q = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(q);
	assert_ptr_not_equal(slab_of(q), slab_of(p));
	kmem_cache_free(c, q);
	kmem_cache_free(c, r);
	assert_int_equal(kmem_cache_destroy(c), 0);
}

static void test_out_of_memory(void **state)
{
	void *p;

	(void)state;
	fake_pages_fail_after(0);
	assert_null(kmalloc(64, GFP_KERNEL));
	assert_null(kmalloc(10000, GFP_KERNEL));
	assert_null(kmem_cache_create("oom", 64, 0, 0, NULL));
	fake_pages_fail_after(1);	/* the cache struct, but no slab */
	{
		struct kmem_cache *c = kmem_cache_create("oom", 64, 0, 0, NULL);

		assert_non_null(c);
		assert_null(kmem_cache_alloc(c, GFP_KERNEL));
		fake_pages_fail_after(-1);
		p = kmem_cache_alloc(c, GFP_KERNEL);
		assert_non_null(p);
		kmem_cache_free(c, p);
		assert_int_equal(kmem_cache_destroy(c), 0);
	}
	assert_int_equal(new_errors(), 0);
}

/*
 * ---- threads ----
 * Modest on purpose: the ticket spinlocks spin in user mode, and a waiter
 * whose turn comes while the host has descheduled it stalls everyone
 * behind it.  The all-CPU stress proper is the kmalloc ktest suite.
 */

#define THREADS		3
#define THREAD_OPS	3000
#define THREAD_SLOTS	64

static struct kmem_cache *shared_cache;
static pthread_barrier_t start_line;

struct worker {
	pthread_t tid;
	unsigned int id;
	u64 rng;
	unsigned long bad;
};

static u64 worker_rand(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static void worker_check(struct worker *w, const u8 *p, size_t n, u8 tag)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != tag)
			w->bad++;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct { u8 *p; size_t n; bool cached; } slot[THREAD_SLOTS] = { 0 };
	u8 tag = (u8)(0x10 + w->id);

	pthread_barrier_wait(&start_line);
	for (int op = 0; op < THREAD_OPS; op++) {
		unsigned int i = worker_rand(w) % THREAD_SLOTS;

		if (slot[i].p) {
			worker_check(w, slot[i].p, slot[i].n, tag);
			if (slot[i].cached)
				kmem_cache_free(shared_cache, slot[i].p);
			else
				kfree(slot[i].p);
			slot[i].p = NULL;
			continue;
		}
		slot[i].cached = worker_rand(w) % 4 == 0;
		slot[i].n = slot[i].cached ? 48 : 1 + worker_rand(w) % 3000;
		slot[i].p = slot[i].cached ?
			kmem_cache_alloc(shared_cache, GFP_KERNEL) :
			kmalloc(slot[i].n, GFP_KERNEL);
		if (slot[i].p)
			memset(slot[i].p, tag, slot[i].n);
	}
	for (unsigned int i = 0; i < THREAD_SLOTS; i++) {
		if (!slot[i].p)
			continue;
		worker_check(w, slot[i].p, slot[i].n, tag);
		if (slot[i].cached)
			kmem_cache_free(shared_cache, slot[i].p);
		else
			kfree(slot[i].p);
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct worker w[THREADS];

	(void)state;
	shared_cache = kmem_cache_create("shared", 48, 0, SLAB_DEBUG, NULL);
	assert_non_null(shared_cache);
	assert_int_equal(pthread_barrier_init(&start_line, NULL, THREADS), 0);
	for (unsigned int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .id = i, .rng = rng_next() | 1 };
		assert_int_equal(pthread_create(&w[i].tid, NULL, worker_main,
						&w[i]), 0);
	}
	for (unsigned int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(w[i].tid, NULL), 0);
		assert_int_equal(w[i].bad, 0);
	}
	pthread_barrier_destroy(&start_line);
	assert_int_equal(shared_cache->active, 0);
	assert_int_equal(kmem_cache_destroy(shared_cache), 0);
	assert_int_equal(new_errors(), 0);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_size_classes),
		T(test_zero_and_null),
		T(test_large),
		T(test_no_overlap_random),
		T(test_reuse_after_free),
		T(test_slab_release),
		T(test_ctor),
		T(test_alignment),
		T(test_geometry),
		T(test_create_bad_params),
		T(test_destroy),
		T(test_kcalloc),
		T(test_kzalloc),
		T(test_krealloc),
		T(test_double_free),
		T(test_bad_kfree),
		T(test_wrong_cache),
		T(test_debug_poison_on_alloc),
		T(test_debug_use_after_free),
		T(test_debug_overflow),
		T(test_debug_double_free),
		T(test_debug_metadata_overwritten),
		T(test_freelist_corruption),
		T(test_out_of_memory),
		T(test_threads),
	};

	host_test_seed("slab");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
