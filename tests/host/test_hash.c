// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for <lego/hash.h>: bucket indexes stay within @bits and spread
 * consecutive keys, pointers and mixed keys evenly; FNV-1a matches its
 * published test vectors; hash_mix64 is injective on a sample.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/hash.h>
#include <lego/string.h>

#define BITS	10
#define BUCKETS	(1u << BITS)

/* Largest bucket when hashing @n keys: even spreading gives about n/BUCKETS. */
static unsigned int max_bucket(u32 (*h)(u64 key), u64 first, u64 step, unsigned int n)
{
	static unsigned int count[BUCKETS];
	unsigned int i, worst = 0;

	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++) {
		u32 b = h(first + i * step);

		assert_true(b < BUCKETS);
		if (++count[b] > worst)
			worst = count[b];
	}
	return worst;
}

static u32 h32(u64 key) { return hash_32((u32)key, BITS); }
static u32 h64(u64 key) { return hash_64(key, BITS); }
static u32 hptr(u64 key) { return hash_ptr((const void *)key, BITS); }
static u32 hmix(u64 key) { return hash_64(hash_mix64(key), BITS); }

static void test_spread(void **state)
{
	unsigned int n = 16 * BUCKETS;

	(void)state;
	assert_true(max_bucket(h32, 0, 1, n) <= 32);
	assert_true(max_bucket(h64, 0, 1, n) <= 32);
	assert_true(max_bucket(h64, 1ULL << 40, 4096, n) <= 32);
	assert_true(max_bucket(hptr, 0xffff888000000000ULL, 64, n) <= 32);
	assert_true(max_bucket(hmix, 0, 1ULL << 32, n) <= 40);
	assert_int_equal(hash_32(0xdeadbeef, 1) >> 1, 0);
	assert_int_equal(hash_64(~0ULL, 32), (u32)((~0ULL * GOLDEN_RATIO_64) >> 32));
}

static void test_fnv1a(void **state)
{
	(void)state;
	assert_int_equal(hash_string(""), 0x811c9dc5);
	assert_int_equal(hash_string("a"), 0xe40c292c);
	assert_int_equal(hash_string("foobar"), 0xbf9cf968);
	assert_int_equal(hash_bytes("foobar", 6, FNV1A_32_OFFSET), 0xbf9cf968);
	assert_int_equal(hash_bytes("bar", 3, hash_bytes("foo", 3, FNV1A_32_OFFSET)),
			 0xbf9cf968);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return (x > y) - (x < y);
}

static void test_mix(void **state)
{
	static u64 out[65536];
	unsigned int i;

	(void)state;
	assert_true(hash_mix64(0) == 0);
	for (i = 0; i < ARRAY_SIZE(out); i++)
		out[i] = hash_mix64(i);
	qsort(out, ARRAY_SIZE(out), sizeof(out[0]), cmp_u64);
	for (i = 1; i < ARRAY_SIZE(out); i++)
		assert_true(out[i] != out[i - 1]);
	assert_true(hash_combine(1, 2) != hash_combine(2, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_fnv1a),
		cmocka_unit_test(test_mix),
	};

	host_test_seed("hash");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
