// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for mm/memblock.c.
 *
 * Hand-written cases cover merging, trimming, splitting, full arrays, the
 * free-range iterator and both allocation directions; random cases apply
 * adds, removes and reserves to memblock and to a page-granular bool array
 * over a small address space, then demand that the regions, the free
 * ranges and every allocation agree exactly with the model.  The region
 * arrays are shrunk for some cases so that "array full" is reached fast.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/errno.h>
#include <lego/memblock.h>
#include <lego/string.h>

#include "host_stubs.h"

#define KB(x)	((phys_addr_t)(x) << 10)
#define MB(x)	((phys_addr_t)(x) << 20)

static int reset(void **state)
{
	(void)state;
	memblock.memory.cnt = 0;
	memblock.reserved.cnt = 0;
	memblock.memory.max = MEMBLOCK_MEMORY_REGIONS;
	memblock.reserved.max = MEMBLOCK_RESERVED_REGIONS;
	memblock.current_limit = MEMBLOCK_ALLOC_ANYWHERE;
	memblock.bottom_up = false;
	host_printk_reset();
	return 0;
}

static void expect_regions(const struct memblock_type *type,
			   const phys_addr_t *pairs, unsigned long n)
{
	unsigned long i;

	assert_int_equal(type->cnt, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(type->regions[i].base, pairs[2 * i]);
		assert_int_equal(type->regions[i].base + type->regions[i].size,
				 pairs[2 * i + 1]);
	}
}

#define EXPECT(type, ...) do {						\
		const phys_addr_t __p[] = { __VA_ARGS__ };		\
		expect_regions(type, __p, ARRAY_SIZE(__p) / 2);		\
	} while (0)

static void test_add_sorted_and_merged(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(MB(8), MB(1)), 0);
	assert_int_equal(memblock_add(MB(1), MB(1)), 0);
	assert_int_equal(memblock_add(MB(4), MB(1)), 0);
	EXPECT(&memblock.memory, MB(1), MB(2), MB(4), MB(5), MB(8), MB(9));

	/* touching on the left and on the right */
	assert_int_equal(memblock_add(MB(2), MB(1)), 0);
	assert_int_equal(memblock_add(MB(7), MB(1)), 0);
	EXPECT(&memblock.memory, MB(1), MB(3), MB(4), MB(5), MB(7), MB(9));

	/* contained: nothing changes */
	assert_int_equal(memblock_add(MB(4) + KB(4), KB(4)), 0);
	EXPECT(&memblock.memory, MB(1), MB(3), MB(4), MB(5), MB(7), MB(9));

	/* spanning several regions, overlapping both ends */
	assert_int_equal(memblock_add(MB(2), MB(6)), 0);
	EXPECT(&memblock.memory, MB(1), MB(9));
	assert_int_equal(memblock_phys_mem_size(), MB(8));
}

static void test_add_zero_and_wrap(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(MB(1), 0), 0);
	assert_int_equal(memblock.memory.cnt, 0);

	assert_int_equal(memblock_add(PHYS_ADDR_MAX - KB(4), MB(1)), 0);
	EXPECT(&memblock.memory, PHYS_ADDR_MAX - KB(4), PHYS_ADDR_MAX);
	assert_int_equal(memblock_end_of_DRAM(), PHYS_ADDR_MAX);
}

static void test_add_array_full(void **state)
{
	(void)state;
	memblock.memory.max = 4;
	for (int i = 0; i < 4; i++)
		assert_int_equal(memblock_add(MB(2 * i), MB(1)), 0);
	assert_int_equal(memblock_add(MB(20), MB(1)), -ENOSPC);
	assert_true(host_printk_contains("memory array full"));
	EXPECT(&memblock.memory, MB(0), MB(1), MB(2), MB(3), MB(4), MB(5),
	       MB(6), MB(7));

	/* a merge needs no new slot */
	assert_int_equal(memblock_add(MB(7), MB(1)), 0);
	assert_int_equal(memblock_add(MB(1), MB(1)), 0);
	EXPECT(&memblock.memory, MB(0), MB(3), MB(4), MB(5), MB(6), MB(8));
	assert_int_equal(memblock_add(MB(20), MB(1)), 0);
	assert_int_equal(memblock.memory.cnt, 4);
}

static void test_remove(void **state)
{
	(void)state;
	memblock_add(MB(0), MB(10));
	memblock_add(MB(20), MB(10));

	/* split in the middle */
	assert_int_equal(memblock_remove(MB(4), MB(2)), 0);
	EXPECT(&memblock.memory, MB(0), MB(4), MB(6), MB(10), MB(20), MB(30));
	/* trim a head and a tail in one go, swallow a whole region */
	assert_int_equal(memblock_remove(MB(2), MB(5)), 0);
	EXPECT(&memblock.memory, MB(0), MB(2), MB(7), MB(10), MB(20), MB(30));
	assert_int_equal(memblock_remove(MB(7), MB(3)), 0);
	EXPECT(&memblock.memory, MB(0), MB(2), MB(20), MB(30));
	assert_int_equal(memblock_remove(MB(1), MB(20)), 0);
	EXPECT(&memblock.memory, MB(0), MB(1), MB(21), MB(30));
	/* outside everything, size 0 */
	assert_int_equal(memblock_remove(MB(40), MB(1)), 0);
	assert_int_equal(memblock_remove(MB(25), 0), 0);
	EXPECT(&memblock.memory, MB(0), MB(1), MB(21), MB(30));
	assert_int_equal(memblock_remove(0, PHYS_ADDR_MAX), 0);
	assert_int_equal(memblock.memory.cnt, 0);
}

static void test_remove_split_array_full(void **state)
{
	(void)state;
	memblock.memory.max = 2;
	memblock_add(MB(0), MB(10));
	memblock_add(MB(20), MB(10));
	assert_int_equal(memblock_remove(MB(4), MB(2)), -ENOSPC);
	EXPECT(&memblock.memory, MB(0), MB(10), MB(20), MB(30));
	/* trimming still works */
	assert_int_equal(memblock_remove(MB(8), MB(14)), 0);
	EXPECT(&memblock.memory, MB(0), MB(8), MB(22), MB(30));
}

static void test_queries(void **state)
{
	(void)state;
	assert_int_equal(memblock_start_of_DRAM(), 0);
	assert_int_equal(memblock_end_of_DRAM(), 0);
	memblock_add(KB(4), KB(632));
	memblock_add(MB(1), MB(127));
	memblock_reserve(0, MB(1));
	memblock_reserve(MB(16), KB(8));

	assert_int_equal(memblock_start_of_DRAM(), KB(4));
	assert_int_equal(memblock_end_of_DRAM(), MB(128));
	assert_int_equal(memblock_phys_mem_size(), KB(632) + MB(127));
	assert_int_equal(memblock_reserved_size(), MB(1) + KB(8));
	assert_true(memblock_is_memory(KB(4)));
	assert_false(memblock_is_memory(KB(636)));
	assert_false(memblock_is_memory(MB(128)));
	assert_true(memblock_is_reserved(MB(16) + KB(8) - 1));
	assert_false(memblock_is_reserved(MB(16) + KB(8)));
	assert_true(memblock_is_region_reserved(MB(15), MB(1) + 1));
	assert_false(memblock_is_region_reserved(MB(15), MB(1)));
	assert_false(memblock_is_region_reserved(MB(16), 0));
}

struct range {
	phys_addr_t start, end;
};

static unsigned int collect_free(struct range *out, unsigned int max)
{
	phys_addr_t start, end;
	unsigned int n = 0;
	u64 i;

	for_each_free_mem_range(i, &start, &end) {
		assert_true(n < max);
		out[n].start = start;
		out[n].end = end;
		n++;
	}
	return n;
}

static void test_free_ranges(void **state)
{
	struct range r[8];

	(void)state;
	assert_int_equal(collect_free(r, 8), 0);

	memblock_add(KB(4), KB(632));
	memblock_add(MB(1), MB(15));
	memblock_add(MB(32), MB(32));
	assert_int_equal(collect_free(r, 8), 3);

	memblock_reserve(0, MB(1));			/* over the first region */
	memblock_reserve(MB(2), MB(1));			/* inside the second */
	memblock_reserve(MB(15), MB(18));		/* spans two regions */
	memblock_reserve(MB(63), MB(100));		/* past the end */
	assert_int_equal(collect_free(r, 8), 3);
	assert_int_equal(r[0].start, MB(1));
	assert_int_equal(r[0].end, MB(2));
	assert_int_equal(r[1].start, MB(3));
	assert_int_equal(r[1].end, MB(15));
	assert_int_equal(r[2].start, MB(33));
	assert_int_equal(r[2].end, MB(63));

	memblock_reserve(0, PHYS_ADDR_MAX);
	assert_int_equal(collect_free(r, 8), 0);
}

static void test_dump(void **state)
{
	(void)state;
	memblock_add(MB(1), MB(3));
	memblock_add(MB(8), MB(8));
	memblock_reserve(MB(1), KB(64));
	memblock_dump();
	assert_true(host_printk_contains("memblock: memory: 2 regions, 11264 KiB"));
	assert_true(host_printk_contains("memblock: reserved: 1 regions, 64 KiB"));
	assert_true(host_printk_contains("[0x0000000000800000-0x0000000000ffffff]"));
	assert_true(host_printk_contains("top-down"));
}

static void test_alloc_top_down(void **state)
{
	phys_addr_t a, b;

	(void)state;
	memblock_add(MB(1), MB(15));
	memblock_add(MB(32), MB(32));
	memblock_reserve(MB(60), MB(4));

	a = memblock_alloc(KB(4), KB(4));
	assert_int_equal(a, MB(60) - KB(4));
	b = memblock_alloc(MB(1), MB(2));
	assert_int_equal(b, MB(58));
	assert_true(memblock_is_region_reserved(a, KB(4)));
	assert_true(memblock_is_region_reserved(b, MB(1)));

	/* under a limit */
	memblock_set_current_limit(MB(16));
	assert_int_equal(memblock_get_current_limit(), MB(16));
	assert_int_equal(memblock_alloc(KB(8), KB(4)), MB(16) - KB(8));
	/* bigger than anything below the limit */
	assert_int_equal(memblock_alloc(MB(15), KB(4)), 0);
	memblock_set_current_limit(0);
	assert_int_equal(memblock_alloc(KB(4), KB(4)), 0);
}

static void test_alloc_bottom_up(void **state)
{
	(void)state;
	memblock_set_bottom_up(true);
	memblock_add(0, MB(16));
	memblock_reserve(KB(4), KB(4));

	/* never address 0, even when it is free */
	assert_int_equal(memblock_alloc(KB(4), KB(4)), KB(8));
	assert_int_equal(memblock_alloc(16, 16), 16);
	assert_int_equal(memblock_alloc(MB(2), MB(2)), MB(2));
	assert_int_equal(memblock_alloc(KB(4), KB(4)), KB(12));
}

static void test_alloc_range_and_errors(void **state)
{
	(void)state;
	memblock_add(MB(1), MB(63));
	assert_int_equal(memblock_alloc_range(KB(4), KB(4), MB(8), MB(9)),
			 MB(9) - KB(4));
	memblock_set_bottom_up(true);
	assert_int_equal(memblock_alloc_range(KB(4), KB(4), MB(8), MB(9)),
			 MB(8));
	assert_int_equal(memblock_alloc_range(MB(2), KB(4), MB(8), MB(9)), 0);

	host_printk_reset();
	assert_int_equal(memblock_alloc(KB(4), 3), 0);
	assert_int_equal(memblock_alloc(KB(4), 0), 0);
	assert_int_equal(memblock_alloc(0, KB(4)), 0);
	assert_true(host_printk_contains("bad allocation request"));
	/* an alignment that overflows the address space */
	assert_int_equal(memblock_alloc(KB(4), (phys_addr_t)1 << 63), 0);
}

static void test_alloc_reserved_array_full(void **state)
{
	(void)state;
	memblock.reserved.max = 2;
	memblock_add(MB(1), MB(63));
	memblock_reserve(MB(10), KB(4));
	memblock_reserve(MB(20), KB(4));
	/* top-down lands at the end, away from both: no slot left */
	assert_int_equal(memblock_alloc(KB(4), KB(4)), 0);
	assert_int_equal(memblock.reserved.cnt, 2);
	/* next to a reserved range it merges and succeeds */
	assert_int_equal(memblock_alloc_range(KB(4), KB(4), MB(10) + KB(4),
					      MB(10) + KB(8)),
			 MB(10) + KB(4));
	memblock_set_bottom_up(true);
	assert_int_equal(memblock_alloc_range(KB(4), KB(4), MB(20) + KB(4),
					      MB(21)),
			 MB(20) + KB(4));
	assert_int_equal(memblock.reserved.cnt, 2);
}

static void test_phys_free(void **state)
{
	phys_addr_t a;

	(void)state;
	memblock_add(MB(1), MB(1));
	a = memblock_alloc(MB(1), KB(4));
	assert_int_equal(a, MB(1));
	assert_int_equal(memblock_alloc(KB(4), KB(4)), 0);
	assert_int_equal(memblock_phys_free(a + KB(4), KB(4)), 0);
	assert_int_equal(memblock_alloc(KB(4), KB(4)), a + KB(4));
}

/* ---- random cases against a page-granular model ---- */

#define MODEL_PAGES	512
#define UNIT		KB(4)

struct model {
	bool mem[MODEL_PAGES];
	bool rsv[MODEL_PAGES];
};

static void model_apply(bool *bits, unsigned int start, unsigned int len,
			bool value)
{
	for (unsigned int i = start; i < start + len; i++)
		bits[i] = value;
}

/* The regions of @type must be the maximal runs of @bits. */
static void check_type(const struct memblock_type *type, const bool *bits)
{
	unsigned long n = 0;
	unsigned int i = 0, start;

	while (i < MODEL_PAGES) {
		if (!bits[i]) {
			i++;
			continue;
		}
		for (start = i; i < MODEL_PAGES && bits[i]; i++)
			;
		assert_true(n < type->cnt);
		assert_int_equal(type->regions[n].base, start * UNIT);
		assert_int_equal(type->regions[n].size, (i - start) * UNIT);
		n++;
	}
	assert_int_equal(type->cnt, n);
}

static void check_free(const struct model *m)
{
	bool free_bits[MODEL_PAGES];
	struct range r[MODEL_PAGES];
	unsigned int n, i, k = 0, start;

	for (i = 0; i < MODEL_PAGES; i++)
		free_bits[i] = m->mem[i] && !m->rsv[i];
	n = collect_free(r, MODEL_PAGES);
	i = 0;
	while (i < MODEL_PAGES) {
		if (!free_bits[i]) {
			i++;
			continue;
		}
		for (start = i; i < MODEL_PAGES && free_bits[i]; i++)
			;
		assert_true(k < n);
		assert_int_equal(r[k].start, start * UNIT);
		assert_int_equal(r[k].end, i * UNIT);
		k++;
	}
	assert_int_equal(k, n);
}

static void random_op(struct model *m)
{
	unsigned int start = rng_below(MODEL_PAGES);
	unsigned int len = 1 + rng_below(rng_below(4) ? 8 : 64);

	len = min(len, MODEL_PAGES - start);

	switch (rng_below(4)) {
	case 0:
		assert_int_equal(memblock_add(start * UNIT, len * UNIT), 0);
		model_apply(m->mem, start, len, true);
		break;
	case 1:
		assert_int_equal(memblock_remove(start * UNIT, len * UNIT), 0);
		model_apply(m->mem, start, len, false);
		break;
	case 2:
		assert_int_equal(memblock_reserve(start * UNIT, len * UNIT), 0);
		model_apply(m->rsv, start, len, true);
		break;
	default:
		assert_int_equal(memblock_phys_free(start * UNIT, len * UNIT), 0);
		model_apply(m->rsv, start, len, false);
		break;
	}
}

/* Where the model says an allocation of @pages pages aligned @align goes. */
static long model_alloc(const struct model *m, unsigned int pages,
			unsigned int align, bool bottom_up)
{
	long found = -1;

	for (unsigned int s = align; s + pages <= MODEL_PAGES; s += align) {
		unsigned int i;

		for (i = s; i < s + pages; i++)
			if (!m->mem[i] || m->rsv[i])
				break;
		if (i < s + pages)
			continue;
		found = s;
		if (bottom_up)
			break;
	}
	return found;
}

static void random_alloc(struct model *m)
{
	unsigned int pages = 1 + rng_below(6);
	unsigned int align = 1u << rng_below(4);
	bool bottom_up = rng_below(2);
	long expect = model_alloc(m, pages, align, bottom_up);
	phys_addr_t got;

	memblock_set_bottom_up(bottom_up);
	got = memblock_alloc(pages * UNIT, align * UNIT);
	if (expect < 0) {
		assert_int_equal(got, 0);
		return;
	}
	assert_int_equal(got, expect * UNIT);
	model_apply(m->rsv, expect, pages, true);
}

static void test_random_against_model(void **state)
{
	static struct model m;

	(void)state;
	for (int round = 0; round < 40; round++) {
		reset(NULL);
		memset(&m, 0, sizeof(m));
		for (int op = 0; op < 150; op++) {
			if (rng_below(5))
				random_op(&m);
			else
				random_alloc(&m);
			check_type(&memblock.memory, m.mem);
			check_type(&memblock.reserved, m.rsv);
			check_free(&m);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_sorted_and_merged, reset),
		cmocka_unit_test_setup(test_add_zero_and_wrap, reset),
		cmocka_unit_test_setup(test_add_array_full, reset),
		cmocka_unit_test_setup(test_remove, reset),
		cmocka_unit_test_setup(test_remove_split_array_full, reset),
		cmocka_unit_test_setup(test_queries, reset),
		cmocka_unit_test_setup(test_free_ranges, reset),
		cmocka_unit_test_setup(test_dump, reset),
		cmocka_unit_test_setup(test_alloc_top_down, reset),
		cmocka_unit_test_setup(test_alloc_bottom_up, reset),
		cmocka_unit_test_setup(test_alloc_range_and_errors, reset),
		cmocka_unit_test_setup(test_alloc_reserved_array_full, reset),
		cmocka_unit_test_setup(test_phys_free, reset),
		cmocka_unit_test_setup(test_random_against_model, reset),
	};

	host_test_seed("memblock");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
