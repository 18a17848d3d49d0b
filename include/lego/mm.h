/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical pages: struct page, the page map, and the page allocator's
 * entry points (the allocation calls themselves are in <lego/gfp.h>).
 *
 * Every page frame between the lowest and the highest RAM address has a
 * struct page in mem_map[], holes and reserved memory included (those are
 * PG_reserved and never reach the buddy allocator).  The buddy allocator
 * (mm/buddy.c, mm/page_alloc.c) manages one zone with free lists for orders
 * 0 .. MAX_ORDER - 1: blocks of 4 KiB up to 4 MiB, naturally aligned.
 *
 * After mm_init(), page_address() and virt_to_page() translate through the
 * direct map of all RAM at PAGE_OFFSET.
 */
#ifndef _LEGO_MM_H
#define _LEGO_MM_H

#include <lego/atomic.h>
#include <lego/compiler.h>
#include <lego/gfp.h>
#include <lego/types.h>
#include <asm/page.h>

#define MAX_ORDER		11
#define MAX_ORDER_NR_PAGES	(1UL << (MAX_ORDER - 1))

enum pageflags {
	PG_reserved,		/* not managed by the buddy allocator */
	PG_buddy,		/* head of a free block on free list @order */
	PG_head,		/* head of an allocated block of @order */
	PG_tail,		/* slab page after the first: see first_page */
	PG_slab,		/* head of a slab: the slab fields are valid */
	PG_large_kmalloc,	/* head of a kmalloc() too big for a slab */
	PG_poisoned,		/* debug: holds the free-page poison */
	PG_checked,		/* scratch bit of the free list checker */
};

struct kmem_cache;

/*
 * One per page frame; kept at 56 bytes.  A free block is described by its
 * head page only; the other pages of the block have no flags.
 */
struct page {
	unsigned long flags;		/* 1 << PG_* */
	atomic_t _refcount;		/* 1 while allocated, 0 when free */
	unsigned int order;		/* PG_buddy, PG_head: block order */
	struct list_head lru;		/* free list, or the cache's slab list */
	union {
		struct {			/* PG_slab (mm/slab.c) */
			struct kmem_cache *slab_cache;
			void *freelist;		/* first free object or NULL */
			unsigned short inuse;	/* objects handed out */
			unsigned short objects;	/* objects in this slab */
		};
		struct page *first_page;	/* PG_tail */
	};
};

_Static_assert(sizeof(struct page) <= 64, "struct page must stay small");

/*
 * Page flag accessors, PageSlab(page), __SetPageSlab(page),
 * __ClearPageSlab(page) ...  Non-atomic: a page's flags change only under
 * the lock of whoever owns it (the zone lock while it is free, the slab
 * cache lock while it is a slab).
 */
#define PAGEFLAG(uname, lname)						\
static inline bool Page##uname(const struct page *page)			\
{									\
	return page->flags & (1UL << PG_##lname);			\
}									\
static inline void __SetPage##uname(struct page *page)			\
{									\
	page->flags |= 1UL << PG_##lname;				\
}									\
static inline void __ClearPage##uname(struct page *page)		\
{									\
	page->flags &= ~(1UL << PG_##lname);				\
}
PAGEFLAG(Reserved, reserved)
PAGEFLAG(Buddy, buddy)
PAGEFLAG(Head, head)
PAGEFLAG(Tail, tail)
PAGEFLAG(Slab, slab)
PAGEFLAG(LargeKmalloc, large_kmalloc)
PAGEFLAG(Poisoned, poisoned)
PAGEFLAG(Checked, checked)
#undef PAGEFLAG

static inline int page_count(const struct page *page)
{
	return atomic_read(&page->_refcount);
}

#ifdef LEGO_HOST_TEST
/* Host tests back struct pages with memory of their own. */
bool pfn_valid(unsigned long pfn);
struct page *pfn_to_page(unsigned long pfn);
unsigned long page_to_pfn(const struct page *page);
void *page_address(const struct page *page);
struct page *virt_to_page(const void *addr);
bool virt_addr_valid(const void *addr);
#else
/* mem_map[0] describes page frame mem_map_start_pfn. */
extern struct page *mem_map;
extern unsigned long mem_map_start_pfn, mem_map_end_pfn;

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn >= mem_map_start_pfn && pfn < mem_map_end_pfn;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + (pfn - mem_map_start_pfn);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return mem_map_start_pfn + (unsigned long)(page - mem_map);
}

static inline void *page_address(const struct page *page)
{
	return __va(PFN_PHYS(page_to_pfn(page)));
}

/* @addr: direct-map or kernel-image address. */
static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(PFN_DOWN(__pa(addr)));
}

/* True if @addr is a kernel address with a struct page behind it. */
static inline bool virt_addr_valid(const void *addr)
{
	if ((unsigned long)addr < PAGE_OFFSET)
		return false;
	return pfn_valid(PFN_DOWN(__pa(addr)));
}
#endif /* LEGO_HOST_TEST */

/* Smallest order whose block holds @size bytes (0 for 0). */
static inline unsigned int get_order(unsigned long size)
{
	if (size <= PAGE_SIZE)
		return 0;
	return 64 - __builtin_clzl(size - 1) - PAGE_SHIFT;
}

unsigned long nr_free_pages(void);	/* pages on the free lists now */
unsigned long totalram_pages(void);	/* pages handed to the allocator */
unsigned long page_alloc_refused_frees(void);	/* frees refused so far */

/*
 * Walk the free lists under the zone lock and check every invariant
 * (alignment, no overlap, counts).  Returns 0 or -EINVAL after logging the
 * first violation.  Slow: for tests.
 */
int page_alloc_check(void);

/*
 * Build mem_map[] (with memblock, for [start of RAM, end of RAM)) and hand
 * every free memblock range to the buddy allocator.  Runs once, after
 * paging_init() has mapped all RAM; afterwards memblock_alloc() fails.
 */
void mem_init(void);

/* mem_init() then kmem_cache_init(): called by start_kernel(). */
void mm_init(void);

#endif /* _LEGO_MM_H */
