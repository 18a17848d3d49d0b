// SPDX-License-Identifier: GPL-2.0
/*
 * mm/buddy.c: the binary buddy allocator over one array of struct page.
 *
 * A free block of 2^order pages starts at a pfn that is a multiple of
 * 2^order; its head page is PG_buddy with page->order set and sits on
 * free list @order.  Its buddy is the block at pfn ^ 2^order: when both
 * are free they merge into one block of the next order.  Allocation takes
 * the smallest non-empty list at or above the order asked for and splits
 * the block, putting the upper halves back on the lower lists.
 *
 * An allocated block's head is PG_head with page->order set, so a free can
 * check that it names the head of a live block of the right order: double
 * frees, wrong orders and tail pages are refused with a message naming the
 * caller rather than corrupting the lists.  With zone->poison (the kernel
 * sets it under CONFIG_DEBUG_PAGEALLOC) freed pages are filled with 0xaa and
 * checked when handed out again: a changed byte means a use after free.
 *
 * No locking and no address translation here: mm/page_alloc.c wraps a zone
 * in the kernel's lock, tests/host/test_buddy.c runs it over a malloc'd
 * array of pages with a made-up base pfn.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/string.h>

#include "internal.h"

#define PAGE_POISON_WORD	0xaaaaaaaaaaaaaaaaUL

static bool pfn_in_zone(const struct buddy_zone *z, unsigned long pfn)
{
	return pfn >= z->base_pfn && pfn - z->base_pfn < z->nr_pages;
}

static bool page_in_zone(const struct buddy_zone *z, const struct page *page)
{
	return page >= z->map && page < z->map + z->nr_pages;
}

void buddy_init(struct buddy_zone *z, struct page *map,
		unsigned long base_pfn, unsigned long nr_pages)
{
	unsigned long i;
	unsigned int o;

	*z = (struct buddy_zone){
		.map = map,
		.base_pfn = base_pfn,
		.nr_pages = nr_pages,
	};
	for (o = 0; o < MAX_ORDER; o++)
		INIT_LIST_HEAD(&z->area[o].free_list);
	for (i = 0; i < nr_pages; i++)
		map[i] = (struct page){ .flags = 1UL << PG_reserved };
}

static void add_free_block(struct buddy_zone *z, struct page *page,
			   unsigned int order)
{
	__SetPageBuddy(page);
	page->order = order;
	list_add(&page->lru, &z->area[order].free_list);
	z->area[order].nr_free++;
}

static void del_free_block(struct buddy_zone *z, struct page *page,
			   unsigned int order)
{
	list_del(&page->lru);
	__ClearPageBuddy(page);
	z->area[order].nr_free--;
}

static bool is_free_block(const struct page *page, unsigned int order)
{
	return PageBuddy(page) && page->order == order;
}

/* Put the block at @pfn on a free list, merged with free buddies. */
static void free_block(struct buddy_zone *z, unsigned long pfn,
		       unsigned int order)
{
	unsigned long buddy_pfn;
	struct page *buddy;

	while (order < MAX_ORDER - 1) {
		buddy_pfn = pfn ^ (1UL << order);
		if (!pfn_in_zone(z, buddy_pfn))
			break;
		buddy = zone_pfn_to_page(z, buddy_pfn);
		if (!is_free_block(buddy, order))
			break;
		del_free_block(z, buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	add_free_block(z, zone_pfn_to_page(z, pfn), order);
}

/* The largest naturally aligned block that starts at @pfn and ends by @end. */
static unsigned int largest_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = MAX_ORDER - 1;

	if (pfn)
		order = min(order, (unsigned int)__builtin_ctzl(pfn));
	while ((1UL << order) > end - pfn)
		order--;
	return order;
}

int buddy_add_range(struct buddy_zone *z, unsigned long start_pfn,
		    unsigned long end_pfn)
{
	unsigned long pfn;
	unsigned int order;

	if (start_pfn >= end_pfn)
		return 0;
	if (!pfn_in_zone(z, start_pfn) || !pfn_in_zone(z, end_pfn - 1)) {
		pr_err("range [%#lx-%#lx) outside the page map\n", start_pfn,
		       end_pfn);
		return -EINVAL;
	}
	for (pfn = start_pfn; pfn < end_pfn; pfn++) {
		if (!PageReserved(zone_pfn_to_page(z, pfn))) {
			pr_err("pfn %#lx added twice\n", pfn);
			return -EINVAL;
		}
	}
	for (pfn = start_pfn; pfn < end_pfn; pfn++)
		*zone_pfn_to_page(z, pfn) = (struct page){ .flags = 0 };

	for (pfn = start_pfn; pfn < end_pfn; pfn += 1UL << order) {
		order = largest_order(pfn, end_pfn);
		free_block(z, pfn, order);
	}
	z->free_pages += end_pfn - start_pfn;
	z->managed_pages += end_pfn - start_pfn;
	return 0;
}

static u8 *page_mem(const struct buddy_zone *z, const struct page *page)
{
	return z->mem + (unsigned long)(page - z->map) * PAGE_SIZE;
}

static void poison_block(struct buddy_zone *z, struct page *page,
			 unsigned int order)
{
	unsigned long i;

	for (i = 0; i < 1UL << order; i++) {
		memset(page_mem(z, page + i), PAGE_POISON_BYTE, PAGE_SIZE);
		__SetPagePoisoned(page + i);
	}
}

static void check_page_poison(struct buddy_zone *z, struct page *page)
{
	const u8 *mem = page_mem(z, page);
	const u64 *word = (const u64 *)mem;
	unsigned long i;

	for (i = 0; i < PAGE_SIZE / sizeof(u64); i++)
		if (word[i] != PAGE_POISON_WORD)
			break;
	if (i == PAGE_SIZE / sizeof(u64))
		return;
	for (i *= sizeof(u64); mem[i] == PAGE_POISON_BYTE; i++)
		;
	z->poison_errors++;
	pr_err("pfn %#lx was written while free (use after free?): byte %#lx is 0x%02x, not 0x%02x\n",
	       zone_page_to_pfn(z, page), i, mem[i], PAGE_POISON_BYTE);
}

/* Pages freed since they were added carry the poison: verify it. */
static void check_block_poison(struct buddy_zone *z, struct page *page,
			       unsigned int order)
{
	unsigned long i;

	for (i = 0; i < 1UL << order; i++) {
		if (!PagePoisoned(page + i))
			continue;
		__ClearPagePoisoned(page + i);
		check_page_poison(z, page + i);
	}
}

struct page *buddy_alloc(struct buddy_zone *z, unsigned int order)
{
	struct page *page;
	unsigned int o;

	if (order >= MAX_ORDER)
		return NULL;
	for (o = order; o < MAX_ORDER; o++)
		if (!list_empty(&z->area[o].free_list))
			break;
	if (o == MAX_ORDER)
		return NULL;

	page = list_first_entry(&z->area[o].free_list, struct page, lru);
	del_free_block(z, page, o);
	while (o > order) {
		o--;
		add_free_block(z, page + (1UL << o), o);
	}
	z->free_pages -= 1UL << order;

	__SetPageHead(page);
	page->order = order;
	atomic_set(&page->_refcount, 1);
	if (z->poison)
		check_block_poison(z, page, order);
	return page;
}

enum bad_free {
	FREE_OK,
	FREE_OUTSIDE,		/* not a page of this zone */
	FREE_BAD_ORDER,		/* order >= MAX_ORDER */
	FREE_RESERVED,		/* never managed by the allocator */
	FREE_DOUBLE,		/* head of a free block */
	FREE_INSIDE_FREE,	/* inside a free block */
	FREE_TAIL,		/* inside an allocated block */
	FREE_WRONG_ORDER,	/* head of a block of another order */
	FREE_SLAB,		/* still a slab or a large kmalloc */
	FREE_UNKNOWN,		/* no block we know of holds it */
};

static const char *const bad_free_names[] = {
	[FREE_OK]		= "ok",
	[FREE_OUTSIDE]		= "not a page of the page map",
	[FREE_BAD_ORDER]	= "order out of range",
	[FREE_RESERVED]		= "reserved page",
	[FREE_DOUBLE]		= "double free: the block is already free",
	[FREE_INSIDE_FREE]	= "double free: the page is inside a free block",
	[FREE_TAIL]		= "not the head of its block",
	[FREE_WRONG_ORDER]	= "allocated with another order",
	[FREE_SLAB]		= "still owned by the slab allocator",
	[FREE_UNKNOWN]		= "not the head of an allocated block",
};

/* A page with no flags: find the block around it, if any. */
static enum bad_free classify_inner_page(const struct buddy_zone *z,
					 unsigned long pfn)
{
	const struct page *head;
	unsigned long head_pfn;
	unsigned int o;

	for (o = 1; o < MAX_ORDER; o++) {
		head_pfn = pfn & ~((1UL << o) - 1);
		if (!pfn_in_zone(z, head_pfn))
			break;
		head = zone_pfn_to_page(z, head_pfn);
		if (!(PageBuddy(head) || PageHead(head)))
			continue;
		if (pfn - head_pfn >= 1UL << head->order)
			break;
		return PageBuddy(head) ? FREE_INSIDE_FREE : FREE_TAIL;
	}
	return FREE_UNKNOWN;
}

static enum bad_free classify_free(const struct buddy_zone *z,
				   const struct page *page, unsigned int order)
{
	if (!page_in_zone(z, page))
		return FREE_OUTSIDE;
	if (order >= MAX_ORDER)
		return FREE_BAD_ORDER;
	if (PageReserved(page))
		return FREE_RESERVED;
	if (PageBuddy(page))
		return FREE_DOUBLE;
	if (!PageHead(page))
		return classify_inner_page(z, zone_page_to_pfn(z, page));
	if (page->order != order)
		return FREE_WRONG_ORDER;
	if (PageSlab(page) || PageLargeKmalloc(page))
		return FREE_SLAB;
	return FREE_OK;
}

static void report_bad_free(struct buddy_zone *z, const struct page *page,
			    unsigned int order, enum bad_free why,
			    unsigned long caller)
{
	z->refused_frees++;
	if (why == FREE_OUTSIDE) {
		pr_err("refusing to free page %p order %u (caller %pS): %s\n",
		       page, order, (void *)caller, bad_free_names[why]);
		return;
	}
	pr_err("refusing to free pfn %#lx order %u (caller %pS): %s\n",
	       zone_page_to_pfn(z, page), order, (void *)caller,
	       bad_free_names[why]);
	if (why == FREE_WRONG_ORDER)
		pr_err("pfn %#lx was allocated with order %u\n",
		       zone_page_to_pfn(z, page), page->order);
}

int buddy_free(struct buddy_zone *z, struct page *page, unsigned int order,
	       unsigned long caller)
{
	enum bad_free why = classify_free(z, page, order);

	if (why != FREE_OK) {
		report_bad_free(z, page, order, why, caller);
		return -EINVAL;
	}
	__ClearPageHead(page);
	atomic_set(&page->_refcount, 0);
	if (z->poison)
		poison_block(z, page, order);
	free_block(z, zone_page_to_pfn(z, page), order);
	z->free_pages += 1UL << order;
	return 0;
}

/* ---- invariant checker ---- */

#define HEAD_FLAGS_OK	(1UL << PG_buddy | 1UL << PG_poisoned)
#define TAIL_FLAGS_OK	(1UL << PG_poisoned)

static int check_block(struct buddy_zone *z, struct page *page,
		       unsigned int order)
{
	unsigned long pfn = zone_page_to_pfn(z, page);
	unsigned long i, allowed;

	if (!is_free_block(page, order) || (pfn & ((1UL << order) - 1)) ||
	    pfn - z->base_pfn + (1UL << order) > z->nr_pages) {
		pr_err("check: bad block pfn %#lx on list %u: flags %#lx order %u\n",
		       pfn, order, page->flags, page->order);
		return -EINVAL;
	}
	for (i = 0; i < 1UL << order; i++) {
		allowed = i ? TAIL_FLAGS_OK : HEAD_FLAGS_OK;
		if (PageChecked(page + i) || (page[i].flags & ~allowed)) {
			pr_err("check: pfn %#lx in free block %#lx order %u: flags %#lx%s\n",
			       pfn + i, pfn, order, page[i].flags,
			       PageChecked(page + i) ? " (overlap)" : "");
			return -EINVAL;
		}
		__SetPageChecked(page + i);
	}
	return 0;
}

static int check_area(struct buddy_zone *z, unsigned int order,
		      unsigned long *pages)
{
	struct free_area *area = &z->area[order];
	unsigned long n = 0;
	struct page *page;
	int ret;

	list_for_each_entry(page, &area->free_list, lru) {
		if (!page_in_zone(z, page) || ++n > z->nr_pages) {
			pr_err("check: free list %u corrupted\n", order);
			return -EINVAL;
		}
		ret = check_block(z, page, order);
		if (ret)
			return ret;
		*pages += 1UL << order;
	}
	if (n != area->nr_free) {
		pr_err("check: list %u holds %lu blocks, nr_free says %lu\n",
		       order, n, area->nr_free);
		return -EINVAL;
	}
	return 0;
}

/* Every PG_buddy page must have been reached from a list; clear marks. */
static int check_unlisted(struct buddy_zone *z, int ret)
{
	unsigned long i;

	for (i = 0; i < z->nr_pages; i++) {
		if (!ret && PageBuddy(&z->map[i]) && !PageChecked(&z->map[i])) {
			pr_err("check: free block pfn %#lx is on no list\n",
			       z->base_pfn + i);
			ret = -EINVAL;
		}
		__ClearPageChecked(&z->map[i]);
	}
	return ret;
}

int buddy_check(struct buddy_zone *z)
{
	unsigned long pages = 0;
	unsigned int o;
	int ret = 0;

	for (o = 0; o < MAX_ORDER && !ret; o++)
		ret = check_area(z, o, &pages);
	if (!ret && (pages != z->free_pages ||
		     z->free_pages > z->managed_pages)) {
		pr_err("check: %lu pages on the lists, free count %lu, managed %lu\n",
		       pages, z->free_pages, z->managed_pages);
		ret = -EINVAL;
	}
	return check_unlisted(z, ret);
}
