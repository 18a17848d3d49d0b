// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for <lego/log2.h>: the macros fold to constants (checked with
 * _Static_assert and an array size), and agree with a plain loop for every
 * power of two and its neighbours, both as constants and at run time.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/log2.h>

_Static_assert(ilog2(1) == 0 && ilog2(2) == 1 && ilog2(4096) == 12, "ilog2");
_Static_assert(ilog2(0xffffffffffffffffULL) == 63, "ilog2 max");
_Static_assert(roundup_pow_of_two(4097) == 8192 && roundup_pow_of_two(1) == 1,
	       "roundup");
_Static_assert(rounddown_pow_of_two(4097) == 4096, "rounddown");
_Static_assert(is_power_of_2(1ULL << 63) && !is_power_of_2(0) && !is_power_of_2(6),
	       "is_power_of_2");
_Static_assert(order_base_2(1) == 0 && order_base_2(5) == 3 && order_base_2(8) == 3,
	       "order_base_2");

static int array_sized_by_ilog2[ilog2(256)];

static int naive_ilog2(u64 n)
{
	int r = 0;

	while (n >>= 1)
		r++;
	return r;
}

/* Run-time values, hidden from constant folding. */
static u64 opaque(u64 n)
{
	static volatile u64 v;

	v = n;
	return v;
}

static void check(u64 n)
{
	u64 up = 1;

	while (up < n && up < 1ULL << 63)
		up <<= 1;
	assert_int_equal(ilog2(opaque(n)), n ? naive_ilog2(n) : 0);
	assert_int_equal(is_power_of_2(opaque(n)), n && !(n & (n - 1)));
	if (n && n <= 1ULL << 63) {
		assert_true(roundup_pow_of_two(opaque(n)) == up);
		assert_int_equal(order_base_2(opaque(n)), naive_ilog2(up));
	}
	if (n)
		assert_true(rounddown_pow_of_two(opaque(n)) == 1ULL << naive_ilog2(n));
}

static void test_all_powers(void **state)
{
	int b;

	(void)state;
	assert_int_equal(ARRAY_SIZE(array_sized_by_ilog2), 8);
	check(0);
	for (b = 0; b < 64; b++) {
		check((1ULL << b) - 1);
		check(1ULL << b);
		check((1ULL << b) + 1);
	}
	check(~0ULL);
	for (b = 0; b < 100000; b++)
		check(rng_next() >> rng_below(64));
}

/* The constant-argument forms give the same answers. */
static void test_constants(void **state)
{
	(void)state;
	assert_int_equal(ilog2(0), 0);
	assert_int_equal(ilog2(1000000), 19);
	assert_true(roundup_pow_of_two(1000000) == 1048576);
	assert_true(roundup_pow_of_two(1ULL << 63) == 1ULL << 63);
	assert_int_equal(order_base_2(0), 0);
	assert_int_equal(order_base_2(1000000), 20);
	assert_true(rounddown_pow_of_two(1000000) == 524288);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_powers),
		cmocka_unit_test(test_constants),
	};

	host_test_seed("log2");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
