// SPDX-License-Identifier: GPL-2.0
/*
 * A page allocator for the slab host tests: mm/buddy.c over an arena from
 * posix_memalign(), so that the slab code above it runs exactly as in the
 * kernel, page flags and all.  See fake_pages.h.
 */
#include <pthread.h>
#include <stdlib.h>

/* glibc's spelling; <lego/compiler.h> brings the kernel's. */
#undef __always_inline
#undef offsetof

#include <lego/mm.h>
#include <lego/gfp.h>
#include <lego/string.h>

#include "../../mm/internal.h"
#include "fake_pages.h"

static pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;
static struct buddy_zone zone;
static struct page *map;
static u8 *arena;
static unsigned long nr_pages;
static long fail_countdown = -1;

void fake_pages_exit(void)
{
	free(arena);
	free(map);
	arena = NULL;
	map = NULL;
	nr_pages = 0;
}

void fake_pages_init(unsigned long nr, bool poison)
{
	void *mem;

	fake_pages_exit();
	if (posix_memalign(&mem, PAGE_SIZE << (MAX_ORDER - 1), nr * PAGE_SIZE))
		abort();
	arena = mem;
	map = calloc(nr, sizeof(*map));
	if (!map)
		abort();
	nr_pages = nr;
	fail_countdown = -1;
	buddy_init(&zone, map, FAKE_BASE_PFN, nr);
	zone.poison = poison;
	zone.mem = arena;
	if (buddy_add_range(&zone, FAKE_BASE_PFN, FAKE_BASE_PFN + nr))
		abort();
}

void fake_pages_fail_after(long n)
{
	pthread_mutex_lock(&fake_lock);
	fail_countdown = n;
	pthread_mutex_unlock(&fake_lock);
}

unsigned long fake_pages_free(void)
{
	unsigned long n;

	pthread_mutex_lock(&fake_lock);
	n = zone.free_pages;
	pthread_mutex_unlock(&fake_lock);
	return n;
}

int fake_pages_check(void)
{
	int ret;

	pthread_mutex_lock(&fake_lock);
	ret = buddy_check(&zone);
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

bool pfn_valid(unsigned long pfn)
{
	return pfn >= FAKE_BASE_PFN && pfn - FAKE_BASE_PFN < nr_pages;
}

struct page *pfn_to_page(unsigned long pfn)
{
	return map + (pfn - FAKE_BASE_PFN);
}

unsigned long page_to_pfn(const struct page *page)
{
	return FAKE_BASE_PFN + (unsigned long)(page - map);
}

void *page_address(const struct page *page)
{
	return arena + (unsigned long)(page - map) * PAGE_SIZE;
}

bool virt_addr_valid(const void *addr)
{
	const u8 *p = addr;

	return arena && p >= arena && p < arena + nr_pages * PAGE_SIZE;
}

struct page *virt_to_page(const void *addr)
{
	return map + ((const u8 *)addr - arena) / PAGE_SIZE;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = NULL;

	pthread_mutex_lock(&fake_lock);
	if (fail_countdown != 0) {
		if (fail_countdown > 0)
			fail_countdown--;
		page = buddy_alloc(&zone, order);
	}
	pthread_mutex_unlock(&fake_lock);
	if (page && (gfp & __GFP_ZERO))
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

void __free_pages(struct page *page, unsigned int order)
{
	pthread_mutex_lock(&fake_lock);
	buddy_free(&zone, page, order, (unsigned long)__builtin_return_address(0));
	pthread_mutex_unlock(&fake_lock);
}
