// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for mm/buddy.c, the buddy allocator core.
 *
 * Each case builds a zone over a calloc'd struct page array with a made-up
 * base pfn (some aligned to the largest block, some deliberately not) and,
 * for the poisoning cases, an arena standing for the pages' memory.  The
 * cases check splitting, merging, exhaustion, fragmentation, the alignment
 * of every block, every refused free, the poison checks and the invariant
 * checker itself; a random case runs long alloc/free sequences against an
 * ownership map and checks the invariants as it goes.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/errno.h>
#include <lego/mm.h>
#include <lego/string.h>

#include "../../mm/internal.h"
#include "host_stubs.h"

#define BIG	(1UL << (MAX_ORDER - 1))	/* pages in a max-order block */

struct tzone {
	struct buddy_zone z;
	struct page *map;
	u8 *mem;
};

static struct tzone tz;

static void zone_setup(unsigned long base, unsigned long nr, bool poison)
{
	tz.map = calloc(nr, sizeof(struct page));
	assert_non_null(tz.map);
	buddy_init(&tz.z, tz.map, base, nr);
	if (poison) {
		tz.mem = malloc(nr * PAGE_SIZE);
		assert_non_null(tz.mem);
		tz.z.poison = true;
		tz.z.mem = tz.mem;
	}
	host_printk_reset();
}

static int teardown(void **state)
{
	(void)state;
	free(tz.map);
	free(tz.mem);
	memset(&tz, 0, sizeof(tz));
	return 0;
}

static unsigned long pfn_of(const struct page *page)
{
	return zone_page_to_pfn(&tz.z, page);
}

static struct page *page_of(unsigned long pfn)
{
	return zone_pfn_to_page(&tz.z, pfn);
}

static void assert_aligned(const struct page *page, unsigned int order)
{
	assert_int_equal(pfn_of(page) & ((1UL << order) - 1), 0);
}

static void test_init_nothing_free(void **state)
{
	(void)state;
	zone_setup(0x1000, 64, false);
	assert_int_equal(tz.z.free_pages, 0);
	assert_null(buddy_alloc(&tz.z, 0));
	assert_true(PageReserved(page_of(0x1000)));
	assert_int_equal(buddy_check(&tz.z), 0);
}

static void test_add_aligned_range(void **state)
{
	(void)state;
	zone_setup(0x1000, 2 * BIG, false);
	assert_int_equal(buddy_add_range(&tz.z, 0x1000, 0x1000 + 2 * BIG), 0);
	assert_int_equal(tz.z.free_pages, 2 * BIG);
	assert_int_equal(tz.z.managed_pages, 2 * BIG);
	assert_int_equal(tz.z.area[MAX_ORDER - 1].nr_free, 2);
	for (unsigned int o = 0; o < MAX_ORDER - 1; o++)
		assert_int_equal(tz.z.area[o].nr_free, 0);
	assert_int_equal(buddy_check(&tz.z), 0);
}

/* [0x1003, 0x1028): blocks of 1, 4, 8, 16 and 8 pages */
static void test_add_unaligned_range(void **state)
{
	static const unsigned int expect[MAX_ORDER] = { 1, 0, 1, 2, 1 };

	(void)state;
	zone_setup(0x1000, 64, false);
	assert_int_equal(buddy_add_range(&tz.z, 0x1003, 0x1028), 0);
	assert_int_equal(tz.z.free_pages, 0x25);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		assert_int_equal(tz.z.area[o].nr_free, expect[o]);
	assert_true(PageReserved(page_of(0x1002)));
	assert_true(PageReserved(page_of(0x1028)));
	assert_int_equal(buddy_check(&tz.z), 0);
}

static void test_add_ranges_merge(void **state)
{
	(void)state;
	zone_setup(0x2000, BIG, false);
	assert_int_equal(buddy_add_range(&tz.z, 0x2000 + BIG / 2, 0x2000 + BIG), 0);
	assert_int_equal(buddy_add_range(&tz.z, 0x2001, 0x2000 + BIG / 2), 0);
	assert_int_equal(buddy_add_range(&tz.z, 0x2000, 0x2001), 0);
	assert_int_equal(tz.z.area[MAX_ORDER - 1].nr_free, 1);
	assert_int_equal(tz.z.free_pages, BIG);
	assert_int_equal(buddy_check(&tz.z), 0);
}

static void test_add_bad_ranges(void **state)
{
	(void)state;
	zone_setup(0x1000, 64, false);
	assert_int_equal(buddy_add_range(&tz.z, 0x1000, 0x1010), 0);
	assert_int_equal(buddy_add_range(&tz.z, 0x1008, 0x1018), -EINVAL);
	assert_true(host_printk_contains("pfn 0x1008 added twice"));
	assert_int_equal(buddy_add_range(&tz.z, 0xfff, 0x1001), -EINVAL);
	assert_int_equal(buddy_add_range(&tz.z, 0x1030, 0x1041), -EINVAL);
	assert_true(host_printk_contains("outside the page map"));
	assert_int_equal(buddy_add_range(&tz.z, 0x1020, 0x1020), 0);
	assert_int_equal(tz.z.free_pages, 16);
	assert_int_equal(buddy_check(&tz.z), 0);
}

static void test_every_order_aligned(void **state)
{
	struct page *page;

	(void)state;
	/* base not aligned: the allocator must still align to absolute pfns */
	zone_setup(0x40000 - 5, 4 * BIG + 5, false);
	buddy_add_range(&tz.z, 0x40000 - 5, 0x40000 + 4 * BIG);
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		unsigned long before = tz.z.free_pages;

		page = buddy_alloc(&tz.z, o);
		assert_non_null(page);
		assert_aligned(page, o);
		assert_true(PageHead(page));
		assert_false(PageBuddy(page));
		assert_int_equal(page->order, o);
		assert_int_equal(page_count(page), 1);
		assert_int_equal(tz.z.free_pages, before - (1UL << o));
		assert_int_equal(buddy_check(&tz.z), 0);
		assert_int_equal(buddy_free(&tz.z, page, o, 0), 0);
		assert_int_equal(page_count(page), 0);
		assert_int_equal(tz.z.free_pages, before);
	}
	assert_int_equal(tz.z.area[MAX_ORDER - 1].nr_free, 4);
	assert_null(buddy_alloc(&tz.z, MAX_ORDER));
	assert_int_equal(buddy_check(&tz.z), 0);
}

static void test_split_and_merge(void **state)
{
	struct page *page;

	(void)state;
	zone_setup(0x400, BIG, false);
	buddy_add_range(&tz.z, 0x400, 0x400 + BIG);
	page = buddy_alloc(&tz.z, 0);
	assert_int_equal(pfn_of(page), 0x400);
	/* one free block at every order below the top, the upper halves */
	for (unsigned int o = 0; o < MAX_ORDER - 1; o++) {
		struct page *b;

		assert_int_equal(tz.z.area[o].nr_free, 1);
		b = list_first_entry(&tz.z.area[o].free_list, struct page, lru);
		assert_int_equal(pfn_of(b), 0x400 + (1UL << o));
	}
	assert_int_equal(tz.z.area[MAX_ORDER - 1].nr_free, 0);
	assert_int_equal(buddy_free(&tz.z, page, 0, 0), 0);
	assert_int_equal(tz.z.area[MAX_ORDER - 1].nr_free, 1);
	for (unsigned int o = 0; o < MAX_ORDER - 1; o++)
		assert_int_equal(tz.z.area[o].nr_free, 0);
	assert_int_equal(buddy_check(&tz.z), 0);
}

static void test_buddies_merge_only_together(void **state)
{
	struct page *a, *b, *c;

	(void)state;
	zone_setup(0x400, 4, false);
	buddy_add_range(&tz.z, 0x400, 0x404);
	a = buddy_alloc(&tz.z, 0);
	b = buddy_alloc(&tz.z, 0);
	c = buddy_alloc(&tz.z, 1);
	assert_int_equal(pfn_of(b), pfn_of(a) ^ 1);
	assert_int_equal(pfn_of(c), 0x402);
	assert_null(buddy_alloc(&tz.z, 0));

	assert_int_equal(buddy_free(&tz.z, a, 0, 0), 0);
	assert_int_equal(tz.z.area[0].nr_free, 1);
	assert_int_equal(buddy_free(&tz.z, c, 1, 0), 0);
	/* c cannot merge: its buddy (a, b) is half used */
	assert_int_equal(tz.z.area[1].nr_free, 1);
	assert_int_equal(buddy_free(&tz.z, b, 0, 0), 0);
	assert_int_equal(tz.z.area[2].nr_free, 1);
	assert_int_equal(tz.z.free_pages, 4);
	assert_int_equal(buddy_check(&tz.z), 0);
}

/* A zone that ends in the middle of a block's buddy never merges past it. */
static void test_zone_edges(void **state)
{
	struct page *p;

	(void)state;
	zone_setup(0x800, 6, false);
	buddy_add_range(&tz.z, 0x800, 0x806);
	assert_int_equal(tz.z.area[2].nr_free, 1);
	assert_int_equal(tz.z.area[1].nr_free, 1);
	p = buddy_alloc(&tz.z, 2);
	assert_int_equal(pfn_of(p), 0x800);
	assert_null(buddy_alloc(&tz.z, 2));
	assert_int_equal(buddy_free(&tz.z, p, 2, 0), 0);
	assert_int_equal(tz.z.area[2].nr_free, 1);
	assert_int_equal(tz.z.area[3].nr_free, 0);
	assert_int_equal(buddy_check(&tz.z), 0);
}

static void test_exhaustion(void **state)
{
	const unsigned long nr = 3 * BIG / 2 + 7;
	struct page **pages = calloc(nr + 1, sizeof(*pages));
	unsigned long n = 0;

	(void)state;
	zone_setup(0x10000, nr, false);
	buddy_add_range(&tz.z, 0x10000, 0x10000 + nr);
	while ((pages[n] = buddy_alloc(&tz.z, 0)) != NULL) {
		assert_true(n < nr);
		n++;
	}
	assert_int_equal(n, nr);
	assert_int_equal(tz.z.free_pages, 0);
	assert_int_equal(buddy_check(&tz.z), 0);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		assert_null(buddy_alloc(&tz.z, o));
	while (n--)
		assert_int_equal(buddy_free(&tz.z, pages[n], 0, 0), 0);
	assert_int_equal(tz.z.free_pages, nr);
	assert_int_equal(tz.z.area[MAX_ORDER - 1].nr_free, 1);
	assert_int_equal(buddy_check(&tz.z), 0);
	free(pages);
}

static void test_exhaustion_large_order(void **state)
{
	struct page *pages[64];
	unsigned int n = 0;

	(void)state;
	zone_setup(0x10000, 8 * 16 + 5, false);
	buddy_add_range(&tz.z, 0x10000, 0x10000 + 8 * 16 + 5);
	while ((pages[n] = buddy_alloc(&tz.z, 3)) != NULL) {
		assert_aligned(pages[n], 3);
		n++;
	}
	assert_int_equal(n, 16);
	assert_int_equal(tz.z.free_pages, 5);
	assert_non_null(buddy_alloc(&tz.z, 2));
	assert_null(buddy_alloc(&tz.z, 1));
	assert_int_equal(buddy_check(&tz.z), 0);
}

static void test_fragmentation(void **state)
{
	struct page *pages[64];

	(void)state;
	zone_setup(0x100, 64, false);
	buddy_add_range(&tz.z, 0x100, 0x140);
	for (int i = 0; i < 64; i++)
		pages[i] = buddy_alloc(&tz.z, 0);
	for (int i = 0; i < 64; i += 2)
		assert_int_equal(buddy_free(&tz.z, pages[i], 0, 0), 0);
	/* half the memory free, but no two free pages are buddies */
	assert_int_equal(tz.z.free_pages, 32);
	assert_int_equal(tz.z.area[0].nr_free, 32);
	assert_null(buddy_alloc(&tz.z, 1));
	assert_int_equal(buddy_check(&tz.z), 0);
	for (int i = 1; i < 64; i += 2)
		assert_int_equal(buddy_free(&tz.z, pages[i], 0, 0), 0);
	assert_int_equal(tz.z.area[6].nr_free, 1);
	assert_non_null(buddy_alloc(&tz.z, 6));
}

/* ---- refused frees ---- */

static void expect_refused(struct page *page, unsigned int order,
			   const char *why)
{
	unsigned long free_before = tz.z.free_pages;
	unsigned long refused = tz.z.refused_frees;

	host_printk_reset();
	assert_int_equal(buddy_free(&tz.z, page, order, 0x1234), -EINVAL);
	assert_int_equal(tz.z.refused_frees, refused + 1);
	assert_int_equal(tz.z.free_pages, free_before);
	assert_true(host_printk_contains(why));
	assert_true(host_printk_contains("refusing to free"));
	assert_int_equal(buddy_check(&tz.z), 0);
}

static void test_double_free(void **state)
{
	struct page *p;

	(void)state;
	zone_setup(0x400, 16, false);
	buddy_add_range(&tz.z, 0x400, 0x410);
	p = buddy_alloc(&tz.z, 2);
	assert_int_equal(buddy_free(&tz.z, p, 2, 0), 0);
	/* merged into the order-4 block whose head is p */
	expect_refused(p, 2, "double free: the block is already free");
	p = buddy_alloc(&tz.z, 0);
	(void)buddy_alloc(&tz.z, 0);
	assert_int_equal(buddy_free(&tz.z, p, 0, 0), 0);
	expect_refused(p, 0, "double free: the block is already free");
}

static void test_double_free_inside_free_block(void **state)
{
	struct page *a, *b;

	(void)state;
	zone_setup(0x400, 16, false);
	buddy_add_range(&tz.z, 0x400, 0x410);
	a = buddy_alloc(&tz.z, 0);
	b = buddy_alloc(&tz.z, 0);
	assert_int_equal(buddy_free(&tz.z, a, 0, 0), 0);
	assert_int_equal(buddy_free(&tz.z, b, 0, 0), 0);
	/* b is now inside the merged block headed by a */
	expect_refused(pfn_of(b) > pfn_of(a) ? b : a, 0,
		       "inside a free block");
}

static void test_wrong_order(void **state)
{
	struct page *p;

	(void)state;
	zone_setup(0x400, 16, false);
	buddy_add_range(&tz.z, 0x400, 0x410);
	p = buddy_alloc(&tz.z, 2);
	expect_refused(p, 1, "allocated with another order");
	assert_true(host_printk_contains("was allocated with order 2"));
	expect_refused(p, 3, "allocated with another order");
	assert_int_equal(buddy_free(&tz.z, p, 2, 0), 0);
	assert_int_equal(tz.z.free_pages, 16);
}

static void test_tail_page(void **state)
{
	struct page *p;

	(void)state;
	zone_setup(0x400, 16, false);
	buddy_add_range(&tz.z, 0x400, 0x410);
	p = buddy_alloc(&tz.z, 2);
	expect_refused(p + 1, 0, "not the head of its block");
	expect_refused(p + 3, 1, "not the head of its block");
	assert_int_equal(buddy_free(&tz.z, p, 2, 0), 0);
}

static void test_bad_pages(void **state)
{
	struct page *p;

	(void)state;
	zone_setup(0x400, 16, false);
	buddy_add_range(&tz.z, 0x404, 0x410);
	expect_refused(page_of(0x400), 0, "reserved page");
	expect_refused(tz.map + 16, 0, "not a page of the page map");
	expect_refused(tz.map - 1, 0, "not a page of the page map");
	expect_refused(NULL, 0, "not a page of the page map");
	p = buddy_alloc(&tz.z, 0);
	expect_refused(p, MAX_ORDER, "order out of range");
	__SetPageSlab(p);
	expect_refused(p, 0, "still owned by the slab allocator");
	__ClearPageSlab(p);
	__SetPageLargeKmalloc(p);
	expect_refused(p, 0, "still owned by the slab allocator");
	__ClearPageLargeKmalloc(p);
	assert_int_equal(buddy_free(&tz.z, p, 0, 0), 0);
	assert_int_equal(tz.z.refused_frees, 7);
}

/* ---- poisoning ---- */

static u8 *mem_of(const struct page *page)
{
	return tz.mem + (page - tz.map) * PAGE_SIZE;
}

static void test_poison_fresh_pages_unchecked(void **state)
{
	struct page *p;

	(void)state;
	zone_setup(0x400, 32, true);
	memset(tz.mem, 0x11, 32 * PAGE_SIZE);	/* never poisoned: no alarm */
	buddy_add_range(&tz.z, 0x400, 0x420);
	while ((p = buddy_alloc(&tz.z, 0)) != NULL)
		;
	assert_int_equal(tz.z.poison_errors, 0);
}

static void test_poison_use_after_free(void **state)
{
	struct page *p, *q;

	(void)state;
	zone_setup(0x400, 32, true);
	buddy_add_range(&tz.z, 0x400, 0x420);
	p = buddy_alloc(&tz.z, 0);
	memset(mem_of(p), 0x55, PAGE_SIZE);
	assert_int_equal(buddy_free(&tz.z, p, 0, 0), 0);
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(mem_of(p)[i], PAGE_POISON_BYTE);
	assert_true(PagePoisoned(p));

	mem_of(p)[100] = 0x42;			/* the use after free */
	q = buddy_alloc(&tz.z, 0);
	assert_ptr_equal(q, p);
	assert_int_equal(tz.z.poison_errors, 1);
	assert_true(host_printk_contains("pfn 0x400 was written while free"));
	assert_true(host_printk_contains("byte 0x64 is 0x42"));
	assert_false(PagePoisoned(q));

	/* a clean round trip reports nothing */
	assert_int_equal(buddy_free(&tz.z, q, 0, 0), 0);
	q = buddy_alloc(&tz.z, 0);
	assert_int_equal(tz.z.poison_errors, 1);
	assert_int_equal(buddy_check(&tz.z), 0);
}

static void test_poison_after_merge(void **state)
{
	struct page *a, *b, *big;

	(void)state;
	zone_setup(0x400, 4, true);
	buddy_add_range(&tz.z, 0x400, 0x404);
	a = buddy_alloc(&tz.z, 1);
	b = buddy_alloc(&tz.z, 1);
	assert_int_equal(buddy_free(&tz.z, a, 1, 0), 0);
	assert_int_equal(buddy_free(&tz.z, b, 1, 0), 0);
	mem_of(b + 1)[PAGE_SIZE - 1] = 0;	/* last byte of the last page */
	big = buddy_alloc(&tz.z, 2);
	assert_non_null(big);
	assert_int_equal(tz.z.poison_errors, 1);
	assert_true(host_printk_contains("pfn 0x403 was written while free"));
	assert_true(host_printk_contains("byte 0xfff"));
	/* a freed block split on allocation: only the handed-out part is checked */
	assert_int_equal(buddy_free(&tz.z, big, 2, 0), 0);
	mem_of(big + 3)[0] = 1;
	a = buddy_alloc(&tz.z, 0);
	assert_int_equal(tz.z.poison_errors, 1);
	assert_true(PagePoisoned(big + 3));
	assert_int_equal(buddy_check(&tz.z), 0);
}

/* ---- the checker itself ---- */

static void test_checker_catches_corruption(void **state)
{
	struct page *p, *b;

	(void)state;
	zone_setup(0x400, 16, false);
	buddy_add_range(&tz.z, 0x400, 0x410);
	p = buddy_alloc(&tz.z, 0);
	assert_int_equal(buddy_check(&tz.z), 0);

	tz.z.free_pages++;
	assert_int_equal(buddy_check(&tz.z), -EINVAL);
	tz.z.free_pages--;

	tz.z.area[1].nr_free++;
	assert_int_equal(buddy_check(&tz.z), -EINVAL);
	tz.z.area[1].nr_free--;

	b = list_first_entry(&tz.z.area[3].free_list, struct page, lru);
	__SetPageHead(b + 2);			/* an allocation inside a free block */
	host_printk_reset();
	assert_int_equal(buddy_check(&tz.z), -EINVAL);
	assert_true(host_printk_contains("in free block 0x408"));
	__ClearPageHead(b + 2);

	__SetPageBuddy(p);			/* free-looking but on no list */
	p->order = 0;
	host_printk_reset();
	assert_int_equal(buddy_check(&tz.z), -EINVAL);
	assert_true(host_printk_contains("is on no list"));
	__ClearPageBuddy(p);

	b->order = 2;				/* wrong order on its list */
	assert_int_equal(buddy_check(&tz.z), -EINVAL);
	b->order = 3;
	assert_int_equal(buddy_check(&tz.z), 0);
	for (unsigned long i = 0; i < 16; i++)
		assert_false(PageChecked(&tz.map[i]));
}

/* ---- random sequences ---- */

struct block {
	struct page *page;
	unsigned int order;
};

static void own(bool *owned, const struct block *b, bool value)
{
	unsigned long first = b->page - tz.map;

	for (unsigned long i = first; i < first + (1UL << b->order); i++) {
		assert_int_not_equal(owned[i], value);
		owned[i] = value;
	}
}

static void random_round(unsigned long base, unsigned long nr, bool poison)
{
	struct block *live = calloc(nr, sizeof(*live));
	bool *owned = calloc(nr, sizeof(*owned));
	unsigned long n = 0, fails = 0;

	zone_setup(base, nr, poison);
	buddy_add_range(&tz.z, base, base + nr);
	for (int op = 0; op < 20000; op++) {
		if (n && rng_below(100) < 45) {
			unsigned long i = rng_below(n);

			own(owned, &live[i], false);
			assert_int_equal(buddy_free(&tz.z, live[i].page,
						    live[i].order, 0), 0);
			live[i] = live[--n];
		} else {
			unsigned int order = rng_below(4) ? rng_below(4) :
							    rng_below(MAX_ORDER);
			struct page *p = buddy_alloc(&tz.z, order);

			if (!p) {
				fails++;
				continue;
			}
			assert_aligned(p, order);
			live[n] = (struct block){ p, order };
			own(owned, &live[n], true);
			n++;
		}
		if (op % 997 == 0)
			assert_int_equal(buddy_check(&tz.z), 0);
	}
	assert_int_equal(buddy_check(&tz.z), 0);
	while (n--)
		assert_int_equal(buddy_free(&tz.z, live[n].page, live[n].order, 0), 0);
	assert_int_equal(tz.z.free_pages, nr);
	assert_int_equal(tz.z.poison_errors, 0);
	assert_int_equal(tz.z.refused_frees, 0);
	assert_int_equal(buddy_check(&tz.z), 0);
	assert_true(fails > 0);		/* the small zones do run dry */
	free(live);
	free(owned);
	teardown(NULL);
}

static void test_random_sequences(void **state)
{
	(void)state;
	random_round(0x1000, 2 * BIG, false);
	random_round(0x1000 + 3, BIG + 77, false);
	random_round(0x7ff, 300, true);
	random_round(0, 129, false);
}

#define T(fn)	cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_nothing_free),
		T(test_add_aligned_range),
		T(test_add_unaligned_range),
		T(test_add_ranges_merge),
		T(test_add_bad_ranges),
		T(test_every_order_aligned),
		T(test_split_and_merge),
		T(test_buddies_merge_only_together),
		T(test_zone_edges),
		T(test_exhaustion),
		T(test_exhaustion_large_order),
		T(test_fragmentation),
		T(test_double_free),
		T(test_double_free_inside_free_block),
		T(test_wrong_order),
		T(test_tail_page),
		T(test_bad_pages),
		T(test_poison_fresh_pages_unchecked),
		T(test_poison_use_after_free),
		T(test_poison_after_merge),
		T(test_checker_catches_corruption),
		T(test_random_sequences),
	};

	host_test_seed("buddy");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
