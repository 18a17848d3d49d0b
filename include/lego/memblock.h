/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memblock: the boot-time physical memory map and allocator.
 *
 * Two sorted arrays of non-overlapping [base, base + size) ranges: the RAM
 * the firmware reported ("memory") and the parts of it already in use
 * ("reserved": kernel image, boot loader data, page tables, everything that
 * memblock_alloc() handed out).  Overlapping or touching ranges are merged
 * on insertion.  Free memory is memory minus reserved.
 *
 * Boot order: memblock_add() for every usable multiboot2 range,
 * memblock_reserve() for what is in use, then paging_init() allocates page
 * tables below memblock's current limit (the early mapping), then mem_init()
 * hands every free range to the buddy allocator.  From then on memblock
 * hands out nothing (mem_init() sets the limit to 0): the buddy owns it.
 *
 * memblock_alloc() returns a physical address and does NOT clear the
 * memory; the caller zeroes it through __va() when it needs zeroes.
 *
 * Pure logic with no locking (it runs on the boot CPU only); host-tested in
 * tests/host/test_memblock.c.
 */
#ifndef _LEGO_MEMBLOCK_H
#define _LEGO_MEMBLOCK_H

#include <lego/compiler.h>
#include <lego/types.h>

#define MEMBLOCK_MEMORY_REGIONS		128
#define MEMBLOCK_RESERVED_REGIONS	128

/* Highest address a range may end at; larger sizes are clamped to it. */
#define PHYS_ADDR_MAX			(~(phys_addr_t)0)
/* memblock_set_current_limit() argument: no limit. */
#define MEMBLOCK_ALLOC_ANYWHERE		PHYS_ADDR_MAX

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
};

struct memblock_type {
	const char *name;
	unsigned long cnt;			/* regions in use */
	unsigned long max;			/* capacity of @regions */
	struct memblock_region *regions;	/* sorted by base */
};

struct memblock {
	bool bottom_up;			/* allocate from low addresses up */
	phys_addr_t current_limit;	/* allocations end at or below this */
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

/*
 * Add or remove a range of RAM / of reserved memory.  Each returns 0 or
 * -ENOSPC when the region array is full (nothing is changed then).  A size
 * of 0 is a no-op; a range running past PHYS_ADDR_MAX is clamped to it.
 */
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_remove(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
/* Give back a reserved range (the opposite of memblock_reserve()). */
int memblock_phys_free(phys_addr_t base, phys_addr_t size);

/*
 * Find @size bytes aligned to @align (a power of two) in free memory below
 * the current limit, reserve them and return their physical address.
 * Top-down by default (see memblock_set_bottom_up()).  Returns 0 when
 * nothing fits (address 0 is never handed out).  The memory is not zeroed.
 */
phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align);
/* Same, inside [@start, @end) (and below the current limit). */
phys_addr_t memblock_alloc_range(phys_addr_t size, phys_addr_t align,
				 phys_addr_t start, phys_addr_t end);

void memblock_set_current_limit(phys_addr_t limit);
phys_addr_t memblock_get_current_limit(void);
void memblock_set_bottom_up(bool enable);

phys_addr_t memblock_phys_mem_size(void);	/* sum of memory */
phys_addr_t memblock_reserved_size(void);	/* sum of reserved */
phys_addr_t memblock_start_of_DRAM(void);	/* 0 if no memory */
phys_addr_t memblock_end_of_DRAM(void);		/* end of the last range */
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_reserved(phys_addr_t addr);
/* True if any byte of [base, base + size) is reserved. */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);

/* Print both arrays and the totals with printk. */
void memblock_dump(void);

/*
 * Free ranges (memory minus reserved), lowest first:
 *
 *	u64 i;
 *	phys_addr_t start, end;
 *
 *	for_each_free_mem_range(i, &start, &end)
 *		...;
 *
 * Do not change memblock inside the loop.
 */
#define MEMBLOCK_ITER_END	(~(u64)0)
void __next_free_mem_range(u64 *idx, phys_addr_t *out_start,
			   phys_addr_t *out_end);

#define for_each_free_mem_range(i, p_start, p_end)			\
	for ((i) = 0, __next_free_mem_range(&(i), p_start, p_end);	\
	     (i) != MEMBLOCK_ITER_END;					\
	     __next_free_mem_range(&(i), p_start, p_end))

#define for_each_mem_region(r)						\
	for ((r) = memblock.memory.regions;				\
	     (r) < memblock.memory.regions + memblock.memory.cnt; (r)++)
#define for_each_reserved_region(r)					\
	for ((r) = memblock.reserved.regions;				\
	     (r) < memblock.reserved.regions + memblock.reserved.cnt; (r)++)

#endif /* _LEGO_MEMBLOCK_H */
