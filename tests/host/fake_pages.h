/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A page allocator for host tests (tests/host/fake_pages.c): the real
 * buddy core (mm/buddy.c) over a malloc'd arena, with the struct page
 * translations of <lego/mm.h> (LEGO_HOST_TEST) and alloc_pages() /
 * __free_pages() of <lego/gfp.h>.  The arena is aligned to the largest
 * block, so blocks are naturally aligned in the test's address space too.
 * Calls are serialised by a mutex: threaded tests may use it.
 */
#ifndef _FAKE_PAGES_H
#define _FAKE_PAGES_H

#include <stdbool.h>

struct buddy_zone;

#define FAKE_BASE_PFN	0x40000UL

/* (Re)start with @nr_pages free pages; poison as CONFIG_DEBUG_PAGEALLOC. */
void fake_pages_init(unsigned long nr_pages, bool poison);
void fake_pages_exit(void);
/* Let @n more allocations succeed, then fail them all; -1: never fail. */
void fake_pages_fail_after(long n);
unsigned long fake_pages_free(void);
/* buddy_check() under the mutex: 0 when every invariant holds. */
int fake_pages_check(void);

#endif /* _FAKE_PAGES_H */
