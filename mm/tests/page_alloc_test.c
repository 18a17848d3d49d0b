// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `page_alloc`: the buddy allocator in the running kernel.
 *
 * Every order is allocated, checked for alignment and written and read in
 * full; memory is exhausted with order-0 pages and given back; bad frees
 * must be refused; freed pages must carry the poison under
 * CONFIG_DEBUG_PAGEALLOC; and every online CPU allocates and frees at the
 * same time, each checking that nobody else wrote into its blocks.  Each
 * case ends with nr_free_pages() back where it started and the free lists
 * passing page_alloc_check().
 *
 * The exhaustion case briefly leaves nothing free: it assumes an otherwise
 * idle kernel, as ktest= boots are.  Run under QEMU TCG with -smp 1 and 4.
 */
#include <lego/compiler.h>
#include <lego/gfp.h>
#include <lego/ktest.h>
#include <lego/mm.h>
#include <lego/smp.h>
#include <lego/string.h>
#include <asm/page.h>

#include "../internal.h"
#include "stress.h"

/*
 * Stop at 512 MiB: on bigger machines the case then checks the accounting
 * without a true exhaustion, which the 512 MiB test boots still cover;
 * poisoning every page of 4 GiB twice takes ~20 s under QEMU TCG.
 */
#define EXHAUST_MAX_PAGES	(1UL << 17)
#define PATTERN_STRIDE		64		/* u64 words between checks */

static u64 pattern(unsigned long pfn, unsigned long i, u64 salt)
{
	return (pfn << 20) ^ (i * 0x9e3779b97f4a7c15ULL) ^ salt;
}

/* Write a pattern over the whole block, then read it all back. */
static bool block_usable(struct page *page, unsigned int order)
{
	u64 *w = page_address(page);
	unsigned long n = (PAGE_SIZE << order) / sizeof(u64), i;
	unsigned long pfn = page_to_pfn(page);

	for (i = 0; i < n; i++)
		w[i] = pattern(pfn, i, 0);
	for (i = 0; i < n; i++)
		if (w[i] != pattern(pfn, i, 0))
			return false;
	return true;
}

static void expect_clean(struct ktest *t, unsigned long free_before)
{
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
}

static void every_order(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	struct page *page;
	unsigned int order;

	for (order = 0; order < MAX_ORDER; order++) {
		page = alloc_pages(GFP_KERNEL, order);
		KTEST_ASSERT_NOT_NULL(t, page);
		KTEST_EXPECT_EQ(t, page_to_pfn(page) & ((1UL << order) - 1), 0);
		KTEST_EXPECT_EQ(t, __pa(page_address(page)) &
				   ((PAGE_SIZE << order) - 1), 0);
		KTEST_EXPECT_EQ(t, page_count(page), 1);
		KTEST_EXPECT_EQ(t, nr_free_pages(), before - (1UL << order));
		KTEST_EXPECT_TRUE(t, block_usable(page, order));
		__free_pages(page, order);
		KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	}
	KTEST_EXPECT_NULL(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER));
	expect_clean(t, before);
}

static void address_api(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	unsigned long a, z;
	u8 *p;
	int i;

	a = __get_free_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_NE(t, a, 0);
	KTEST_EXPECT_EQ(t, a & ((PAGE_SIZE << 2) - 1), 0);
	KTEST_EXPECT_EQ(t, (unsigned long)page_address(virt_to_page((void *)a)), a);
	memset((void *)a, 0xff, PAGE_SIZE << 2);
	free_pages(a, 2);

	/* most likely the same, dirty, page: it must come back zeroed */
	z = get_zeroed_page(GFP_KERNEL);
	KTEST_ASSERT_NE(t, z, 0);
	for (p = (u8 *)z, i = 0; i < (int)PAGE_SIZE; i++)
		if (p[i])
			break;
	KTEST_EXPECT_EQ(t, i, PAGE_SIZE);
	free_page(z);
	free_pages(0, 3);			/* no-op */
	expect_clean(t, before);
}

/* Allocate order-0 pages until none is left, chained through themselves. */
static void exhaust_then_free(struct ktest *t)
{
	unsigned long before = nr_free_pages(), n = 0;
	u64 *head = NULL, *p;
	struct page *page;

	while (n < EXHAUST_MAX_PAGES) {
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
		if (!page)
			break;
		p = page_address(page);
		p[0] = (u64)(unsigned long)head;
		p[1] = n++;
		head = p;
	}
	ktest_log(t, "allocated %lu pages of %lu free", n, before);
	KTEST_EXPECT_GT(t, n, 0);
	if (n < EXHAUST_MAX_PAGES)
		KTEST_EXPECT_EQ(t, nr_free_pages(), 0);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
	while (head) {
		p = head;
		head = (u64 *)(unsigned long)p[0];
		KTEST_EXPECT_EQ(t, p[1], --n);
		free_page((unsigned long)p);
	}
	KTEST_EXPECT_EQ(t, n, 0);
	expect_clean(t, before);
}

static void bad_frees_refused(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	unsigned long refused = page_alloc_refused_frees();
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	int on_stack;

	KTEST_ASSERT_NOT_NULL(t, page);
	ktest_log(t, "four 'refusing to free' errors follow on purpose");
	__free_pages(page, 0);			/* wrong order */
	__free_pages(page + 1, 0);		/* tail page */
	free_pages((unsigned long)&on_stack, 0);	/* not a page */
	KTEST_EXPECT_EQ(t, page_alloc_refused_frees(), refused + 2);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before - 2);
	__free_pages(page, 1);
	__free_pages(page, 1);			/* double free */
	KTEST_EXPECT_EQ(t, page_alloc_refused_frees(), refused + 3);
	expect_clean(t, before);
}

static void freed_pages_poisoned(struct ktest *t)
{
#ifdef CONFIG_DEBUG_PAGEALLOC
	unsigned long before = nr_free_pages();
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	const u8 *p;
	int i;

	KTEST_ASSERT_NOT_NULL(t, page);
	p = page_address(page);
	memset((void *)p, 0, PAGE_SIZE);
	__free_pages(page, 0);
	/* reading a freed page is harmless; the test is alone on this page */
	for (i = 0; i < (int)PAGE_SIZE; i++)
		if (p[i] != PAGE_POISON_BYTE)
			break;
	KTEST_EXPECT_EQ(t, i, PAGE_SIZE);
	expect_clean(t, before);
#else
	ktest_skip(t, "CONFIG_DEBUG_PAGEALLOC is off");
#endif
}

#define STRESS_SLOTS	48
#define STRESS_OPS	4000
#define STRESS_ORDERS	5

struct block {
	struct page *page;
	unsigned int order;
};

static u64 stress_word(const struct mm_stress *s, unsigned long pfn,
		       unsigned long i)
{
	return pattern(pfn, i, (u64)(s->cpu + 1) << 56);
}

static void fill_block(const struct mm_stress *s, const struct block *b)
{
	u64 *w = page_address(b->page);
	unsigned long n = (PAGE_SIZE << b->order) / sizeof(u64), i;

	for (i = 0; i < n; i += PATTERN_STRIDE)
		w[i] = stress_word(s, page_to_pfn(b->page), i);
}

static void check_and_free(struct mm_stress *s, struct block *b)
{
	const u64 *w = page_address(b->page);
	unsigned long n = (PAGE_SIZE << b->order) / sizeof(u64), i;

	for (i = 0; i < n; i += PATTERN_STRIDE)
		if (w[i] != stress_word(s, page_to_pfn(b->page), i)) {
			s->bad++;
			break;
		}
	__free_pages(b->page, b->order);
	b->page = NULL;
}

static int page_stress(struct mm_stress *s)
{
	struct block slot[STRESS_SLOTS] = { };
	struct block *b;
	int op, i;

	for (op = 0; op < STRESS_OPS; op++) {
		b = &slot[mm_stress_rand(s) % STRESS_SLOTS];
		if (b->page) {
			check_and_free(s, b);
			continue;
		}
		b->order = mm_stress_rand(s) % STRESS_ORDERS;
		b->page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, b->order);
		if (!b->page) {
			s->failed++;
			continue;
		}
		if (page_to_pfn(b->page) & ((1UL << b->order) - 1))
			s->bad++;
		fill_block(s, b);
		s->allocs++;
	}
	for (i = 0; i < STRESS_SLOTS; i++)
		if (slot[i].page)
			check_and_free(s, &slot[i]);
	return 0;
}

static void smp_stress(struct ktest *t)
{
	unsigned long before;

	mm_stress_warm_up(t);
	before = nr_free_pages();

	KTEST_EXPECT_EQ(t, mm_stress_run(t, page_stress, "page_stress"),
			num_online_cpus());
	expect_clean(t, before);
}

static const struct ktest_case page_alloc_cases[] = {
	KTEST_CASE(every_order),
	KTEST_CASE(address_api),
	KTEST_CASE(exhaust_then_free),
	KTEST_CASE(bad_frees_refused),
	KTEST_CASE(freed_pages_poisoned),
	KTEST_CASE(smp_stress),
	{}
};
KTEST_SUITE(page_alloc, page_alloc_cases);
