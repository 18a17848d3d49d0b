// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for <lego/bitops.h> and lib/bitmap.c.
 *
 * A plain bool array is the model: random range sets and clears (most of
 * them crossing word boundaries) are applied to both, and after each one
 * every query (test_bit, find_*_bit from every offset, weight, empty/full,
 * zero-area search) must agree.  Bitmaps are malloc'd at their exact word
 * count so ASan catches a write to the word after the end, and lengths that
 * are not multiples of 64 check that bits past @nbits are ignored.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/bitmap.h>
#include <lego/bitops.h>
#include <lego/errno.h>
#include <lego/kernel.h>

#define MAXBITS	333

struct model {
	unsigned long nbits;
	unsigned long *map;
	bool bit[MAXBITS];
};

/* Set random bits past @nbits in the last word: nothing may look at them. */
static void model_garbage_tail(struct model *m)
{
	if (m->nbits % BITS_PER_LONG)
		m->map[BIT_WORD(m->nbits)] |= rng_next() & ~BITMAP_LAST_WORD_MASK(m->nbits);
}

static void model_init(struct model *m, unsigned long nbits)
{
	m->nbits = nbits;
	m->map = malloc(BITS_TO_LONGS(nbits) * sizeof(unsigned long));
	assert_non_null(m->map);
	bitmap_zero(m->map, nbits);
	memset(m->bit, 0, sizeof(m->bit));
	model_garbage_tail(m);
}

static unsigned long model_next(const struct model *m, unsigned long from, bool value)
{
	for (; from < m->nbits; from++)
		if (m->bit[from] == value)
			return from;
	return m->nbits;
}

static unsigned long model_zero_area(const struct model *m, unsigned long start,
				     unsigned long nr, unsigned long align)
{
	unsigned long i, j;

	for (i = ALIGN(start, align); i + nr <= m->nbits; i += align) {
		for (j = 0; j < nr && !m->bit[i + j]; j++)
			;
		if (j == nr)
			return i;
	}
	return m->nbits;
}

static void model_check(const struct model *m)
{
	unsigned long i, weight = 0;

	for (i = 0; i < m->nbits; i++) {
		assert_int_equal(test_bit(i, m->map), m->bit[i]);
		weight += m->bit[i];
	}
	for (i = 0; i <= m->nbits + 1; i++) {
		assert_int_equal(find_next_bit(m->map, m->nbits, i), model_next(m, i, true));
		assert_int_equal(find_next_zero_bit(m->map, m->nbits, i),
				 model_next(m, i, false));
	}
	assert_int_equal(find_first_bit(m->map, m->nbits), model_next(m, 0, true));
	assert_int_equal(find_first_zero_bit(m->map, m->nbits), model_next(m, 0, false));
	assert_int_equal(bitmap_weight(m->map, m->nbits), weight);
	assert_int_equal(bitmap_empty(m->map, m->nbits), weight == 0);
	assert_int_equal(bitmap_full(m->map, m->nbits), weight == m->nbits);
}

static void model_update(struct model *m, unsigned long start, unsigned long len,
			 bool set)
{
	unsigned long i;

	if (set)
		bitmap_set(m->map, start, len);
	else
		bitmap_clear(m->map, start, len);
	for (i = start; i < start + len; i++)
		m->bit[i] = set;
}

static void test_ranges(void **state)
{
	static const unsigned long sizes[] = { 1, 63, 64, 65, 127, 128, 200, MAXBITS };
	struct model m;
	size_t s;
	int op;

	(void)state;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		model_init(&m, sizes[s]);
		model_check(&m);
		for (op = 0; op < 400; op++) {
			unsigned long start = rng_below(m.nbits + 1);
			unsigned long len = rng_below(m.nbits - start + 1);

			model_update(&m, start, len, rng_next() & 1);
			model_check(&m);
		}
		bitmap_fill(m.map, m.nbits);
		memset(m.bit, 1, m.nbits);
		model_check(&m);
		model_garbage_tail(&m);
		model_check(&m);
		free(m.map);
	}
}

/* Bit-at-a-time edits and the tails of bitmap_zero/bitmap_fill. */
static void test_single_bits(void **state)
{
	unsigned long map[3];
	unsigned long bit;

	(void)state;
	bitmap_zero(map, 130);
	assert_true(bitmap_empty(map, 130));
	for (bit = 0; bit < 130; bit += 3) {
		assert_false(__test_and_set_bit(bit, map));
		assert_true(__test_and_set_bit(bit, map));
	}
	assert_int_equal(bitmap_weight(map, 130), 44);
	for (bit = 0; bit < 130; bit += 6)
		assert_true(__test_and_clear_bit(bit, map));
	assert_int_equal(bitmap_weight(map, 130), 22);
	__change_bit(128, map);
	assert_true(test_bit(128, map));
	__change_bit(129, map);
	assert_false(test_bit(129, map));
	__clear_bit(128, map);
	assert_false(test_bit(128, map));
	__set_bit(129, map);
	assert_int_equal(bitmap_weight(map, 130), 22);

	/* fill sets exactly @nbits bits and clears the rest of the last word. */
	memset(map, 0, sizeof(map));
	map[2] = ~0UL;
	bitmap_fill(map, 70);
	assert_true(map[0] == ~0UL && map[1] == 0x3f && map[2] == ~0UL);
	assert_true(bitmap_full(map, 70));
	assert_false(bitmap_full(map, 71));
	/* weight/empty/full ignore bits past @nbits. */
	map[1] = ~0UL << 6;
	assert_int_equal(bitmap_weight(map, 70), 64);
	assert_true(bitmap_empty(map + 1, 6));
	map[0] = 0;
	assert_true(bitmap_empty(map, 64));
	assert_int_equal(find_next_bit(map, 70, 0), 70);
	assert_int_equal(find_next_bit(map, 68, 0), 68);
	assert_int_equal(find_next_zero_bit(map + 1, 6, 3), 3);
	map[1] = 0x3f;
	assert_int_equal(find_next_zero_bit(map + 1, 6, 0), 6);
}

static unsigned long naive_fls64(u64 w)
{
	unsigned long n = 0;

	while (w) {
		n++;
		w >>= 1;
	}
	return n;
}

static void test_bitops(void **state)
{
	int iter, i;

	(void)state;
	assert_int_equal(fls64(0), 0);
	assert_int_equal(fls64(1), 1);
	assert_int_equal(fls64(~0ULL), 64);
	assert_int_equal(fls(0), 0);
	assert_int_equal(fls(0x80000000u), 32);
	assert_int_equal(__ffs64(1ULL << 63), 63);
	assert_int_equal(ffz(0xff), 8);
	assert_int_equal(__fls(1UL << 40), 40);
	assert_true(GENMASK(7, 4) == 0xf0);
	assert_true(GENMASK(63, 0) == ~0UL);
	assert_true(GENMASK_ULL(39, 12) == 0xfffffff000ULL);
	assert_true(BIT(63) == 1UL << 63);
	for (iter = 0; iter < 100000; iter++) {
		u64 w = rng_next() >> rng_below(64);
		unsigned int pop = 0;

		for (i = 0; i < 64; i++)
			pop += (w >> i) & 1;
		assert_int_equal(hweight64(w), pop);
		assert_int_equal(hweight32((u32)w), __builtin_popcount((u32)w));
		assert_int_equal(fls64(w), naive_fls64(w));
		if (w)
			assert_true((w >> __ffs64(w)) & 1 && !(w & ((1ULL << __ffs64(w)) - 1)));
	}
}

static void test_zero_area(void **state)
{
	static const unsigned long aligns[] = { 1, 2, 4, 8, 64 };
	struct model m;
	int iter;

	(void)state;
	for (iter = 0; iter < 3000; iter++) {
		unsigned long nbits = 1 + rng_below(MAXBITS), i, want, got;
		unsigned long start, nr, align = aligns[rng_below(ARRAY_SIZE(aligns))];
		unsigned int density = rng_below(100);

		model_init(&m, nbits);
		for (i = 0; i < nbits; i++)
			if (rng_below(100) < density)
				model_update(&m, i, 1, true);
		start = rng_below(nbits);
		nr = 1 + rng_below(iter & 1 ? 8 : 100);
		want = model_zero_area(&m, start, nr, align);
		got = bitmap_find_next_zero_area(m.map, nbits, start, nr, align - 1);
		if (want >= nbits)
			assert_true(got >= nbits);
		else
			assert_int_equal(got, want);
		free(m.map);
	}
}

static void test_parselist(void **state)
{
	unsigned long map[2], saved[2];

	(void)state;
	assert_int_equal(bitmap_parselist("0-3,8", map, 100), 0);
	assert_true(map[0] == 0x10f && map[1] == 0);
	assert_int_equal(bitmap_parselist("63-64,99\n", map, 100), 0);
	assert_true(map[0] == 1UL << 63 && map[1] == (1UL | 1UL << 35));
	assert_int_equal(bitmap_parselist("N", map, 100), 0);
	assert_true(map[0] == 0 && map[1] == 1UL << 35);
	assert_int_equal(bitmap_parselist("0-N", map, 70), 0);
	assert_true(bitmap_full(map, 70) && bitmap_weight(map, 70) == 70);
	assert_int_equal(bitmap_parselist("", map, 100), 0);
	assert_true(bitmap_empty(map, 100));
	assert_int_equal(bitmap_parselist("\n", map, 100), 0);
	assert_int_equal(bitmap_parselist("5,5,3-5", map, 100), 0);
	assert_true(map[0] == 0x38);

	/* Errors leave the map as it was. */
	memcpy(saved, map, sizeof(map));
	assert_int_equal(bitmap_parselist("3-1", map, 100), -EINVAL);
	assert_int_equal(bitmap_parselist("0-100", map, 100), -ERANGE);
	assert_int_equal(bitmap_parselist("100", map, 100), -ERANGE);
	assert_int_equal(bitmap_parselist("99999999999999999999999", map, 100), -ERANGE);
	assert_int_equal(bitmap_parselist("N", map, 0), -ERANGE);
	assert_int_equal(bitmap_parselist("a", map, 100), -EINVAL);
	assert_int_equal(bitmap_parselist("1,", map, 100), -EINVAL);
	assert_int_equal(bitmap_parselist(",1", map, 100), -EINVAL);
	assert_int_equal(bitmap_parselist("1--2", map, 100), -EINVAL);
	assert_int_equal(bitmap_parselist("1-", map, 100), -EINVAL);
	assert_int_equal(bitmap_parselist("1 ,2", map, 100), -EINVAL);
	assert_int_equal(bitmap_parselist("1\n\n", map, 100), -EINVAL);
	assert_int_equal(bitmap_parselist("0-1,5-99,2-1", map, 100), -EINVAL);
	assert_memory_equal(map, saved, sizeof(map));
}

static void test_print_list(void **state)
{
	unsigned long map[BITS_TO_LONGS(MAXBITS)], back[BITS_TO_LONGS(MAXBITS)];
	char buf[2048], small[16];
	int iter, len;
	size_t size;

	(void)state;
	bitmap_zero(map, 100);
	assert_int_equal(bitmap_print_list(buf, sizeof(buf), map, 100), 0);
	assert_string_equal(buf, "");
	bitmap_set(map, 0, 4);
	__set_bit(8, map);
	bitmap_set(map, 62, 5);
	__set_bit(99, map);
	assert_int_equal(bitmap_print_list(buf, sizeof(buf), map, 100), 14);
	assert_string_equal(buf, "0-3,8,62-66,99");
	/* scnprintf semantics: what fits, counted without the NUL. */
	for (size = 0; size < sizeof(small); size++) {
		memset(small, 0x5a, sizeof(small));
		len = bitmap_print_list(size ? small : NULL, size, map, 100);
		assert_int_equal(len, size ? (size - 1 < 14 ? size - 1 : 14) : 0);
		if (size) {
			assert_int_equal(strlen(small), len);
			assert_memory_equal(small, "0-3,8,62-66,99", len);
		}
	}
	/* Random maps survive a round trip through the list syntax. */
	for (iter = 0; iter < 2000; iter++) {
		unsigned long nbits = 1 + rng_below(MAXBITS);
		int i;

		bitmap_zero(map, nbits);
		for (i = rng_below(12); i > 0; i--) {
			unsigned long start = rng_below(nbits);

			bitmap_set(map, start, rng_below(nbits - start + 1));
		}
		len = bitmap_print_list(buf, sizeof(buf), map, nbits);
		assert_int_equal(strlen(buf), len);
		assert_int_equal(bitmap_parselist(buf, back, nbits), 0);
		for (i = 0; i < (int)nbits; i++)
			assert_int_equal(test_bit(i, back), test_bit(i, map));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_single_bits),
		cmocka_unit_test(test_bitops),
		cmocka_unit_test(test_zero_area),
		cmocka_unit_test(test_parselist),
		cmocka_unit_test(test_print_list),
	};

	host_test_seed("bitmap");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
