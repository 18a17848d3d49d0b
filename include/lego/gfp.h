/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation flags and the page allocator API (mm/page_alloc.c).
 *
 * Allocations never sleep for memory yet: GFP_KERNEL and GFP_ATOMIC behave
 * the same and return NULL (or 0) when memory is exhausted.  The first
 * failure is logged once unless __GFP_NOWARN is given.  Both are safe from
 * interrupt handlers; GFP_ATOMIC documents that the caller cannot sleep.
 *
 * A block of 2^order pages is naturally aligned: its physical address is a
 * multiple of PAGE_SIZE << order.
 */
#ifndef _LEGO_GFP_H
#define _LEGO_GFP_H

#include <lego/types.h>

typedef unsigned int gfp_t;

#define __GFP_ZERO	0x01u	/* return zeroed memory */
#define __GFP_NOWARN	0x02u	/* do not log an allocation failure */
#define __GFP_ATOMIC	0x04u	/* caller cannot sleep */
#define __GFP_KERNEL	0x08u	/* ordinary kernel allocation */

#define GFP_KERNEL	__GFP_KERNEL
#define GFP_ATOMIC	__GFP_ATOMIC

struct page;

struct page *alloc_pages(gfp_t gfp, unsigned int order);
#define alloc_page(gfp)		alloc_pages(gfp, 0)

/*
 * Free a block returned by alloc_pages(), with the same order.  A free of a
 * page that is not the head of an allocated block of that order (double
 * free, wrong order, tail page, reserved page) is refused with an error
 * naming the caller: the block stays as it was.
 */
void __free_pages(struct page *page, unsigned int order);
#define __free_page(page)	__free_pages(page, 0)

/* Same, with direct-map addresses instead of struct pages; 0 = failure. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
#define __get_free_page(gfp)	__get_free_pages(gfp, 0)
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);	/* 0: no-op */
#define free_page(addr)		free_pages(addr, 0)

#endif /* _LEGO_GFP_H */
