// SPDX-License-Identifier: GPL-2.0
/*
 * mm/memblock.c: the boot-time memory map and allocator.
 *
 * Two sorted arrays of disjoint ranges, "memory" (what the firmware says is
 * RAM) and "reserved" (what is in use).  Both are small and change only on
 * the boot CPU before the buddy allocator exists, so everything here is a
 * linear walk without locks.  Insertion merges a new range with every range
 * it overlaps or touches; removal trims, deletes or splits ranges.
 *
 * Allocation walks the free ranges (memory minus reserved, produced by
 * __next_free_mem_range()) below the current limit and reserves what it
 * returns.  It never clears memory: the kernel's callers zero it through
 * __va(), the host tests have no memory behind the addresses at all.
 *
 * See include/lego/memblock.h for the API; tests/host/test_memblock.c.
 */
#define pr_fmt(fmt) "memblock: " fmt

#include <lego/compiler.h>
#include <lego/errno.h>
#include <lego/memblock.h>
#include <lego/printk.h>

static struct memblock_region memory_regions[MEMBLOCK_MEMORY_REGIONS];
static struct memblock_region reserved_regions[MEMBLOCK_RESERVED_REGIONS];

struct memblock memblock = {
	.bottom_up	= false,
	.current_limit	= MEMBLOCK_ALLOC_ANYWHERE,
	.memory = {
		.name		= "memory",
		.max		= MEMBLOCK_MEMORY_REGIONS,
		.regions	= memory_regions,
	},
	.reserved = {
		.name		= "reserved",
		.max		= MEMBLOCK_RESERVED_REGIONS,
		.regions	= reserved_regions,
	},
};

static phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/* The size that keeps base + size from wrapping around. */
static phys_addr_t clamp_size(phys_addr_t base, phys_addr_t size)
{
	return min(size, PHYS_ADDR_MAX - base);
}

static int insert_region(struct memblock_type *type, unsigned long idx,
			 phys_addr_t base, phys_addr_t size)
{
	unsigned long i;

	if (type->cnt >= type->max) {
		pr_err("%s array full (%lu regions), dropping [%#llx-%#llx)\n",
		       type->name, type->max, (unsigned long long)base,
		       (unsigned long long)(base + size));
		return -ENOSPC;
	}
	for (i = type->cnt; i > idx; i--)
		type->regions[i] = type->regions[i - 1];
	type->regions[idx].base = base;
	type->regions[idx].size = size;
	type->cnt++;
	return 0;
}

/* Delete regions [from, to). */
static void delete_regions(struct memblock_type *type, unsigned long from,
			   unsigned long to)
{
	unsigned long n = to - from;
	unsigned long i;

	for (i = from; i + n < type->cnt; i++)
		type->regions[i] = type->regions[i + n];
	type->cnt -= n;
}

static int add_range(struct memblock_type *type, phys_addr_t base,
		     phys_addr_t size)
{
	struct memblock_region *r = type->regions;
	unsigned long first, last;
	phys_addr_t end;

	size = clamp_size(base, size);
	if (!size)
		return 0;
	end = base + size;

	/* Regions [first, last) overlap or touch [base, end). */
	for (first = 0; first < type->cnt && region_end(&r[first]) < base;
	     first++)
		;
	for (last = first; last < type->cnt && r[last].base <= end; last++)
		;
	if (first == last)
		return insert_region(type, first, base, size);

	base = min(base, r[first].base);
	end = max(end, region_end(&r[last - 1]));
	r[first].base = base;
	r[first].size = end - base;
	delete_regions(type, first + 1, last);
	return 0;
}

/* A range strictly inside one region cuts it in two. */
static int split_region(struct memblock_type *type, phys_addr_t base,
			phys_addr_t end, bool *done)
{
	struct memblock_region *r = type->regions;
	unsigned long i;
	phys_addr_t r_end;
	int ret;

	*done = false;
	for (i = 0; i < type->cnt; i++) {
		r_end = region_end(&r[i]);
		if (r[i].base < base && r_end > end) {
			ret = insert_region(type, i + 1, end, r_end - end);
			if (!ret)
				r[i].size = base - r[i].base;
			*done = true;
			return ret;
		}
	}
	return 0;
}

static int remove_range(struct memblock_type *type, phys_addr_t base,
			phys_addr_t size)
{
	struct memblock_region *r = type->regions;
	phys_addr_t end, r_base, r_end;
	unsigned long i = 0;
	bool done;
	int ret;

	size = clamp_size(base, size);
	if (!size)
		return 0;
	end = base + size;

	ret = split_region(type, base, end, &done);
	if (done)
		return ret;

	while (i < type->cnt) {
		r_base = r[i].base;
		r_end = region_end(&r[i]);
		if (r_end <= base || r_base >= end) {
			i++;
		} else if (r_base < base) {
			r[i].size = base - r_base;
			i++;
		} else if (r_end > end) {
			r[i].base = end;
			r[i].size = r_end - end;
			i++;
		} else {
			delete_regions(type, i, i + 1);
		}
	}
	return 0;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return add_range(&memblock.memory, base, size);
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	return remove_range(&memblock.memory, base, size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return add_range(&memblock.reserved, base, size);
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	return remove_range(&memblock.reserved, base, size);
}

/*
 * The iterator state packs the memory region index (low 32 bits) and the
 * index of the gap between reserved regions (high 32 bits): gap g lies
 * between reserved region g - 1 and g, gap 0 starts at 0 and gap cnt ends
 * at PHYS_ADDR_MAX.  Both arrays are sorted, so neither index goes back.
 */
void __next_free_mem_range(u64 *idx, phys_addr_t *out_start,
			   phys_addr_t *out_end)
{
	const struct memblock_type *mem = &memblock.memory;
	const struct memblock_type *rsv = &memblock.reserved;
	unsigned long mi = (u32)*idx, gi = *idx >> 32;
	phys_addr_t m_start, m_end, g_start, g_end;

	for (; mi < mem->cnt; mi++) {
		m_start = mem->regions[mi].base;
		m_end = region_end(&mem->regions[mi]);
		for (; gi <= rsv->cnt; gi++) {
			g_start = gi ? region_end(&rsv->regions[gi - 1]) : 0;
			g_end = gi < rsv->cnt ? rsv->regions[gi].base
					      : PHYS_ADDR_MAX;
			if (g_start >= m_end)
				break;
			if (g_end <= m_start)
				continue;
			*out_start = max(m_start, g_start);
			*out_end = min(m_end, g_end);
			/* Resume with whichever of the two ends first. */
			if (m_end <= g_end)
				mi++;
			else
				gi++;
			*idx = mi | (u64)gi << 32;
			return;
		}
	}
	*idx = MEMBLOCK_ITER_END;
}

/* Where @size aligned bytes fit in [start, end), or 0. */
static phys_addr_t fit_in_range(phys_addr_t start, phys_addr_t end,
				phys_addr_t size, phys_addr_t align)
{
	phys_addr_t cand;

	if (start >= end || end - start < size)
		return 0;
	if (memblock.bottom_up) {
		cand = ALIGN(start, align);
		return cand >= start && cand <= end - size ? cand : 0;
	}
	cand = ALIGN_DOWN(end - size, align);
	return cand >= start ? cand : 0;
}

phys_addr_t memblock_alloc_range(phys_addr_t size, phys_addr_t align,
				 phys_addr_t start, phys_addr_t end)
{
	phys_addr_t found = 0, cand, r_start, r_end;
	u64 i;

	if (!size || !align || (align & (align - 1))) {
		pr_err("bad allocation request: size %#llx align %#llx\n",
		       (unsigned long long)size, (unsigned long long)align);
		return 0;
	}
	end = min(end, memblock.current_limit);
	start = max(start, (phys_addr_t)1);	/* 0 means failure */

	for_each_free_mem_range(i, &r_start, &r_end) {
		cand = fit_in_range(max(r_start, start), min(r_end, end), size,
				    align);
		if (!cand)
			continue;
		found = cand;
		if (memblock.bottom_up)
			break;		/* lowest fit; top-down keeps the last */
	}
	if (!found || memblock_reserve(found, size))
		return 0;
	return found;
}

phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ANYWHERE);
}

void memblock_set_current_limit(phys_addr_t limit)
{
	memblock.current_limit = limit;
}

phys_addr_t memblock_get_current_limit(void)
{
	return memblock.current_limit;
}

void memblock_set_bottom_up(bool enable)
{
	memblock.bottom_up = enable;
}

static phys_addr_t type_size(const struct memblock_type *type)
{
	phys_addr_t sum = 0;
	unsigned long i;

	for (i = 0; i < type->cnt; i++)
		sum += type->regions[i].size;
	return sum;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return type_size(&memblock.memory);
}

phys_addr_t memblock_reserved_size(void)
{
	return type_size(&memblock.reserved);
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_type *mem = &memblock.memory;

	return mem->cnt ? region_end(&mem->regions[mem->cnt - 1]) : 0;
}

/* True if [base, base + size) overlaps a region of @type. */
static bool type_overlaps(const struct memblock_type *type, phys_addr_t base,
			  phys_addr_t size)
{
	phys_addr_t end = base + clamp_size(base, size);
	unsigned long i;

	for (i = 0; i < type->cnt; i++) {
		if (type->regions[i].base >= end)
			break;
		if (region_end(&type->regions[i]) > base)
			return true;
	}
	return false;
}

bool memblock_is_memory(phys_addr_t addr)
{
	return type_overlaps(&memblock.memory, addr, 1);
}

bool memblock_is_reserved(phys_addr_t addr)
{
	return type_overlaps(&memblock.reserved, addr, 1);
}

bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	return size && type_overlaps(&memblock.reserved, base, size);
}

static void dump_type(const struct memblock_type *type)
{
	const struct memblock_region *r;
	unsigned long i;

	pr_info("%s: %lu regions, %llu KiB\n", type->name, type->cnt,
		(unsigned long long)(type_size(type) >> 10));
	for (i = 0; i < type->cnt; i++) {
		r = &type->regions[i];
		pr_info("  [0x%016llx-0x%016llx] %llu KiB\n",
			(unsigned long long)r->base,
			(unsigned long long)(region_end(r) - 1),
			(unsigned long long)(r->size >> 10));
	}
}

void memblock_dump(void)
{
	dump_type(&memblock.memory);
	dump_type(&memblock.reserved);
	pr_info("allocation limit %#llx, %s\n",
		(unsigned long long)memblock.current_limit,
		memblock.bottom_up ? "bottom-up" : "top-down");
}
