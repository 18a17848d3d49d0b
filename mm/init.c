// SPDX-License-Identifier: GPL-2.0
/*
 * mm/init.c: bring up the memory allocators.
 *
 * start_kernel() calls mm_init() once paging_init() has mapped all RAM at
 * PAGE_OFFSET and lifted memblock's limit: first the page map and the buddy
 * allocator (mem_init(), which ends memblock's part), then the slab caches.
 * From here on alloc_pages() and kmalloc() work, from any context.
 */
#include <lego/init.h>
#include <lego/mm.h>
#include <lego/slab.h>

void __init mm_init(void)
{
	mem_init();
	kmem_cache_init();
}
