// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/sort.c, against glibc's qsort: random, sorted,
 * reversed, all-equal and few-distinct arrays of every small length;
 * element sizes that select each built-in swap (1, 3, 4, 12, 16 and an
 * 8-byte element on a misaligned base, which UBSan would flag if the word
 * swap were used); a caller-supplied swap; and a bound on comparisons.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/compiler.h>
#include <lego/sort.h>
#include <lego/string.h>

static unsigned long compares;

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	compares++;
	return (x > y) - (x < y);
}

enum pattern { RANDOM, FEW_KEYS, SORTED, REVERSED, EQUAL, PATTERNS };

static void fill(int *a, size_t n, enum pattern p)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (p) {
		case RANDOM:
			a[i] = (int)rng_next();
			break;
		case FEW_KEYS:
			a[i] = (int)rng_below(4) - 2;
			break;
		case SORTED:
			a[i] = (int)i;
			break;
		case REVERSED:
			a[i] = -(int)i;
			break;
		default:
			a[i] = 7;
			break;
		}
	}
}

static void check_ints(size_t n, enum pattern p)
{
	int *got = calloc(n + 1, sizeof(int)), *want = calloc(n + 1, sizeof(int));

	fill(got, n, p);
	memcpy(want, got, n * sizeof(int));
	qsort(want, n, sizeof(int), cmp_int);
	compares = 0;
	sort(got, n, sizeof(int), cmp_int, NULL);
	assert_memory_equal(got, want, n * sizeof(int));
	/* Heapsort: at most about 2 n log2 n comparisons. */
	if (n > 1)
		assert_true(compares <= 2 * n * (64 - __builtin_clzll(n)) + n);
	free(got);
	free(want);
}

static void test_ints(void **state)
{
	size_t n;
	int p;

	(void)state;
	for (p = 0; p < PATTERNS; p++) {
		for (n = 0; n < 200; n++)
			check_ints(n, p);
		check_ints(10000, p);
	}
}

/* Records of @size bytes, ordered as byte strings. */
static size_t rec_size;

static int cmp_rec(const void *a, const void *b)
{
	return memcmp(a, b, rec_size);
}

static void check_records(size_t size, size_t misalign, swap_func_t swap_fn)
{
	size_t n = 257, i;
	unsigned char *raw = malloc(n * size + misalign), *base = raw + misalign;
	unsigned char *want = malloc(n * size);

	rec_size = size;
	rng_fill(base, n * size);
	for (i = 0; i < n; i++)
		base[i * size] %= 16;	/* many records share a first byte */
	memcpy(want, base, n * size);
	qsort(want, n, size, cmp_rec);
	sort(base, n, size, cmp_rec, swap_fn);
	assert_memory_equal(base, want, n * size);
	free(raw);
	free(want);
}

static unsigned long swaps;

static void counting_swap(void *a, void *b, int size)
{
	unsigned char *x = a, *y = b, t;

	swaps++;
	while (size--) {
		t = *x;
		*x++ = *y;
		*y++ = t;
	}
}

static void test_element_sizes(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 4, 8, 12, 16, 24, 40, 7 };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		check_records(sizes[i], 0, NULL);
		check_records(sizes[i], 1, NULL);
		check_records(sizes[i], 4, NULL);
	}
	swaps = 0;
	check_records(12, 0, counting_swap);
	assert_true(swaps > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_element_sizes),
	};

	host_test_seed("sort");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
