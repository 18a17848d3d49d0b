// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_alloc.c: the kernel's page allocator.
 *
 * One buddy zone (mm/buddy.c) spans every page frame from the lowest to the
 * highest RAM address, behind one spinlock taken with interrupts off, since
 * interrupt handlers allocate too.  mem_init() builds the page map with
 * memblock, marks every frame reserved and hands each free memblock range
 * to the zone; from then on memblock hands out nothing.
 *
 * Allocations never sleep: out of memory is a NULL return, logged once.
 * Under CONFIG_DEBUG_PAGEALLOC freed pages are poisoned and checked when
 * they are allocated again (see mm/buddy.c); bad frees are refused in every
 * configuration, since the check costs a few flag tests.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <lego/compiler.h>
#include <lego/init.h>
#include <lego/memblock.h>
#include <lego/mm.h>
#include <lego/panic.h>
#include <lego/printk.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <asm/setup.h>

#include "internal.h"

struct page *mem_map;
unsigned long mem_map_start_pfn, mem_map_end_pfn;

static DEFINE_SPINLOCK(zone_lock);
static struct buddy_zone zone;		/* under zone_lock */
static bool alloc_failure_logged;

static void warn_alloc_failure(gfp_t gfp, unsigned int order,
			       unsigned long caller)
{
	if ((gfp & __GFP_NOWARN) || READ_ONCE(alloc_failure_logged))
		return;
	WRITE_ONCE(alloc_failure_logged, true);
	pr_warn("order-%u allocation failed, %lu pages free (caller %pS); further failures are not logged\n",
		order, nr_free_pages(), (void *)caller);
}

static struct page *alloc_pages_caller(gfp_t gfp, unsigned int order,
				       unsigned long caller)
{
	struct page *page = NULL;
	unsigned long flags;

	if (unlikely(order >= MAX_ORDER)) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("order %u is beyond the largest block (caller %pS)\n",
				order, (void *)caller);
		return NULL;
	}
	mm_lock_irqsave(&zone_lock, flags);
	if (likely(zone.map))
		page = buddy_alloc(&zone, order);
	mm_unlock_irqrestore(&zone_lock, flags);

	if (unlikely(!page)) {
		warn_alloc_failure(gfp, order, caller);
		return NULL;
	}
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

static void free_pages_caller(struct page *page, unsigned int order,
			      unsigned long caller)
{
	unsigned long flags;

	mm_lock_irqsave(&zone_lock, flags);
	buddy_free(&zone, page, order, caller);
	mm_unlock_irqrestore(&zone_lock, flags);
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_caller(gfp, order, _RET_IP_);
}

void __free_pages(struct page *page, unsigned int order)
{
	free_pages_caller(page, order, _RET_IP_);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages_caller(gfp, order, _RET_IP_);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	struct page *page = alloc_pages_caller(gfp | __GFP_ZERO, 0, _RET_IP_);

	return page ? (unsigned long)page_address(page) : 0;
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if ((addr & ~PAGE_MASK) || !virt_addr_valid((void *)addr)) {
		pr_err("refusing to free %#lx order %u (caller %pS): not the address of a page of RAM\n",
		       addr, order, (void *)_RET_IP_);
		return;
	}
	free_pages_caller(virt_to_page((void *)addr), order, _RET_IP_);
}

unsigned long nr_free_pages(void)
{
	return READ_ONCE(zone.free_pages);
}

unsigned long totalram_pages(void)
{
	return READ_ONCE(zone.managed_pages);
}

unsigned long page_alloc_refused_frees(void)
{
	return READ_ONCE(zone.refused_frees);
}

int page_alloc_check(void)
{
	unsigned long flags;
	int ret;

	mm_lock_irqsave(&zone_lock, flags);
	ret = buddy_check(&zone);
	mm_unlock_irqrestore(&zone_lock, flags);
	return ret;
}

/* ---- boot ---- */

static struct page *__init alloc_page_map(unsigned long nr_pages,
					  unsigned long *bytes)
{
	phys_addr_t phys;

	*bytes = PAGE_ALIGN(nr_pages * sizeof(struct page));
	phys = memblock_alloc(*bytes, PAGE_SIZE);
	if (!phys)
		panic("mem_init: no memory for the page map (%lu KiB)",
		      *bytes >> 10);
	return __va(phys);
}

static void __init add_free_memory(void)
{
	phys_addr_t start, end;
	unsigned long s, e;
	u64 i;

	for_each_free_mem_range(i, &start, &end) {
		s = PFN_UP(start);
		e = min(PFN_DOWN(end), mem_map_end_pfn);
		if (s < e)
			buddy_add_range(&zone, s, e);
	}
}

static void __init print_memory_line(unsigned long map_bytes)
{
	unsigned long ram_mib = memblock_phys_mem_size() >> 20;
	unsigned long free_mib = zone.free_pages >> (20 - PAGE_SHIFT);

	printk(KERN_INFO "Memory: %lu MiB available (%lu MiB RAM, %lu MiB reserved: kernel %lu KiB, page map %lu KiB)\n",
	       free_mib, ram_mib, ram_mib - free_mib,
	       (unsigned long)(_end - _text) >> 10, map_bytes >> 10);
}

void __init mem_init(void)
{
	unsigned long start_pfn = PFN_UP(memblock_start_of_DRAM());
	unsigned long end_pfn = PFN_DOWN(memblock_end_of_DRAM());
	unsigned long map_bytes;
	struct page *map;

	if (end_pfn <= start_pfn)
		panic("mem_init: memblock knows no RAM");
	map = alloc_page_map(end_pfn - start_pfn, &map_bytes);
	buddy_init(&zone, map, start_pfn, end_pfn - start_pfn);
	mem_map = map;
	mem_map_start_pfn = start_pfn;
	mem_map_end_pfn = end_pfn;
#ifdef CONFIG_DEBUG_PAGEALLOC
	zone.poison = true;
	zone.mem = __va(PFN_PHYS(start_pfn));
#endif
	add_free_memory();
	/* The buddy allocator owns every free page now. */
	memblock_set_current_limit(0);
	print_memory_line(map_bytes);
}
