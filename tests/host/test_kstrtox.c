// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/kstrtox.c: tables of edge cases for every kstrto*()
 * (prefixes, signs, one trailing newline, spaces, overflow by one), the
 * result left untouched on error, random round trips through glibc's
 * printf and strtoull, kstrtobool and parse_size.
 */
#include "host_test.h"

#include <limits.h>

static int ref_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#include "lego_host_rename.h"

#include <lego/errno.h>
#include <lego/kernel.h>

#define UNTOUCHED	0x5a5a5a5a5a5a5a5aULL

struct case_u {
	const char *s;
	unsigned int base;
	int ret;
	unsigned long long val;
};

struct case_s {
	const char *s;
	unsigned int base;
	int ret;
	long long val;
};

static const struct case_u ull_cases[] = {
	{ "0", 10, 0, 0 },
	{ "1", 0, 0, 1 },
	{ "18446744073709551615", 10, 0, ULLONG_MAX },
	{ "18446744073709551616", 10, -ERANGE, 0 },
	{ "99999999999999999999", 10, -ERANGE, 0 },
	{ "99999999999999999999x", 10, -ERANGE, 0 },
	{ "0xffffffffffffffff", 0, 0, ULLONG_MAX },
	{ "0x10000000000000000", 0, -ERANGE, 0 },
	{ "ffffffffffffffff", 16, 0, ULLONG_MAX },
	{ "0XfF", 16, 0, 255 },
	{ "0Xff", 0, 0, 255 },
	{ "1f", 16, 0, 31 },
	{ "1f", 10, -EINVAL, 0 },
	{ "0x", 0, -EINVAL, 0 },
	{ "0x", 16, -EINVAL, 0 },
	{ "0xg", 0, -EINVAL, 0 },
	{ "010", 0, 0, 8 },
	{ "010", 10, 0, 10 },
	{ "08", 0, -EINVAL, 0 },
	{ "0", 0, 0, 0 },
	{ "00", 0, 0, 0 },
	{ "1777777777777777777777", 8, 0, ULLONG_MAX },
	{ "2000000000000000000000", 8, -ERANGE, 0 },
	{ "1010", 2, 0, 10 },
	{ "102", 2, -EINVAL, 0 },
	{ "zz", 36, -EINVAL, 0 },
	{ "5", 17, -EINVAL, 0 },
	{ "+5", 10, 0, 5 },
	{ "+0x10", 0, 0, 16 },
	{ "++5", 10, -EINVAL, 0 },
	{ "-5", 10, -EINVAL, 0 },
	{ "-0", 10, -EINVAL, 0 },
	{ "5\n", 10, 0, 5 },
	{ "5\n\n", 10, -EINVAL, 0 },
	{ "5\r\n", 10, -EINVAL, 0 },
	{ " 5", 10, -EINVAL, 0 },
	{ "5 ", 10, -EINVAL, 0 },
	{ "", 10, -EINVAL, 0 },
	{ "\n", 10, -EINVAL, 0 },
	{ "+", 10, -EINVAL, 0 },
	{ "12abc", 10, -EINVAL, 0 },
};

static const struct case_s ll_cases[] = {
	{ "0", 10, 0, 0 },
	{ "-0", 10, 0, 0 },
	{ "+0", 10, 0, 0 },
	{ "-1", 10, 0, -1 },
	{ "+5", 10, 0, 5 },
	{ "9223372036854775807", 10, 0, LLONG_MAX },
	{ "9223372036854775808", 10, -ERANGE, 0 },
	{ "-9223372036854775808", 10, 0, LLONG_MIN },
	{ "-9223372036854775809", 10, -ERANGE, 0 },
	{ "-18446744073709551616", 10, -ERANGE, 0 },
	{ "-0x10", 0, 0, -16 },
	{ "-010", 0, 0, -8 },
	{ "0x7fffffffffffffff", 0, 0, LLONG_MAX },
	{ "-0x8000000000000000", 16, 0, LLONG_MIN },
	{ "-+5", 10, -EINVAL, 0 },
	{ "+-5", 10, -EINVAL, 0 },
	{ "--5", 10, -EINVAL, 0 },
	{ "-", 10, -EINVAL, 0 },
	{ "- 5", 10, -EINVAL, 0 },
	{ "-5\n", 10, 0, -5 },
	{ "", 10, -EINVAL, 0 },
};

static const struct case_s int_cases[] = {
	{ "2147483647", 10, 0, INT_MAX },
	{ "2147483648", 10, -ERANGE, 0 },
	{ "-2147483648", 10, 0, INT_MIN },
	{ "-2147483649", 10, -ERANGE, 0 },
	{ "0x7fffffff", 0, 0, INT_MAX },
	{ "0xffffffff", 0, -ERANGE, 0 },
	{ "-0", 10, 0, 0 },
	{ "9223372036854775808", 10, -ERANGE, 0 },
	{ "x", 10, -EINVAL, 0 },
};

static const struct case_u uint_cases[] = {
	{ "4294967295", 10, 0, UINT_MAX },
	{ "4294967296", 10, -ERANGE, 0 },
	{ "0xffffffff", 0, 0, UINT_MAX },
	{ "-1", 10, -EINVAL, 0 },
	{ "+7\n", 10, 0, 7 },
};

static const struct case_u u16_cases[] = {
	{ "65535", 10, 0, 65535 },
	{ "65536", 10, -ERANGE, 0 },
	{ "0xffff", 0, 0, 65535 },
	{ "0177777", 0, 0, 65535 },
	{ "0200000", 0, -ERANGE, 0 },
};

static const struct case_u u8_cases[] = {
	{ "255", 10, 0, 255 },
	{ "256", 10, -ERANGE, 0 },
	{ "0xff", 0, 0, 255 },
	{ "0x100", 0, -ERANGE, 0 },
	{ "ff", 16, 0, 255 },
	{ "-0", 10, -EINVAL, 0 },
};

static void test_kstrtoull(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ull_cases); i++) {
		const struct case_u *c = &ull_cases[i];
		unsigned long long v = UNTOUCHED;
		unsigned long lv = UNTOUCHED;
		int ret = kstrtoull(c->s, c->base, &v);

		if (ret != c->ret || v != (ret ? UNTOUCHED : c->val))
			fail_msg("kstrtoull(\"%s\", %u): %d %llu, want %d %llu", c->s,
				 c->base, ret, v, c->ret, c->val);
		assert_int_equal(kstrtoul(c->s, c->base, &lv), c->ret);
		assert_int_equal(lv, ret ? UNTOUCHED : c->val);
	}
}

static void test_kstrtoll(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ll_cases); i++) {
		const struct case_s *c = &ll_cases[i];
		long long v = (long long)UNTOUCHED;
		long lv = (long)UNTOUCHED;
		int ret = kstrtoll(c->s, c->base, &v);

		if (ret != c->ret || v != (ret ? (long long)UNTOUCHED : c->val))
			fail_msg("kstrtoll(\"%s\", %u): %d %lld, want %d %lld", c->s,
				 c->base, ret, v, c->ret, c->val);
		assert_int_equal(kstrtol(c->s, c->base, &lv), c->ret);
		assert_int_equal(lv, ret ? (long)UNTOUCHED : c->val);
	}
}

static void test_narrow(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(int_cases); i++) {
		const struct case_s *c = &int_cases[i];
		int v = 0x5a5a5a5a;
		int ret = kstrtoint(c->s, c->base, &v);

		if (ret != c->ret || v != (ret ? 0x5a5a5a5a : c->val))
			fail_msg("kstrtoint(\"%s\"): %d %d", c->s, ret, v);
	}
	for (i = 0; i < ARRAY_SIZE(uint_cases); i++) {
		const struct case_u *c = &uint_cases[i];
		unsigned int v = 0x5a5a5a5a;
		int ret = kstrtouint(c->s, c->base, &v);

		if (ret != c->ret || v != (ret ? 0x5a5a5a5a : c->val))
			fail_msg("kstrtouint(\"%s\"): %d %u", c->s, ret, v);
	}
	for (i = 0; i < ARRAY_SIZE(u16_cases); i++) {
		const struct case_u *c = &u16_cases[i];
		u16 v = 0x5a5a;
		int ret = kstrtou16(c->s, c->base, &v);

		if (ret != c->ret || v != (ret ? 0x5a5a : c->val))
			fail_msg("kstrtou16(\"%s\"): %d %u", c->s, ret, v);
	}
	for (i = 0; i < ARRAY_SIZE(u8_cases); i++) {
		const struct case_u *c = &u8_cases[i];
		u8 v = 0x5a;
		int ret = kstrtou8(c->s, c->base, &v);

		if (ret != c->ret || v != (ret ? 0x5a : c->val))
			fail_msg("kstrtou8(\"%s\"): %d %u", c->s, ret, v);
	}
}

/* Random values printed by glibc in each base parse back exactly. */
static void test_round_trip(void **state)
{
	static const char *const ufmts[] = { "%llu", "0x%llx", "%llx", "0%llo", "%llu\n" };
	static const unsigned int ubases[] = { 10, 0, 16, 0, 0 };
	char buf[64];
	int iter, f;

	(void)state;
	for (iter = 0; iter < 100000; iter++) {
		unsigned long long u = rng_next() >> rng_below(64);
		long long s = (long long)(rng_next() >> rng_below(64)) * (iter & 1 ? -1 : 1);
		unsigned long long ugot;
		long long sgot;

		f = iter % 5;
		ref_snprintf(buf, sizeof(buf), ufmts[f], u);
		assert_int_equal(kstrtoull(buf, ubases[f], &ugot), 0);
		assert_true(ugot == u);
		assert_true(strtoull(buf, NULL, ubases[f]) == u);
		ref_snprintf(buf, sizeof(buf), "%lld", s);
		assert_int_equal(kstrtoll(buf, 0, &sgot), 0);
		assert_true(sgot == s);
	}
}

static void test_kstrtobool(void **state)
{
	static const char *const yes[] = { "y", "Y", "yes", "t", "T", "true", "1", "on",
					   "ON", "oN", "1\n" };
	static const char *const no[] = { "n", "N", "no", "f", "F", "false", "0", "off",
					  "OFF", "oF", "0\n" };
	static const char *const bad[] = { "", "o", "ox", "2", "-1", " y", "\n", "x" };
	size_t i;
	bool v;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		v = false;
		assert_int_equal(kstrtobool(yes[i], &v), 0);
		assert_true(v);
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		v = true;
		assert_int_equal(kstrtobool(no[i], &v), 0);
		assert_false(v);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = true;
		assert_int_equal(kstrtobool(bad[i], &v), -EINVAL);
		assert_true(v);
	}
	assert_int_equal(kstrtobool(NULL, &v), -EINVAL);
}

static void test_parse_size(void **state)
{
	static const struct case_u cases[] = {
		{ "4096", 0, 0, 4096 },
		{ "0", 0, 0, 0 },
		{ "4K", 0, 0, 4096 },
		{ "4k", 0, 0, 4096 },
		{ "2M", 0, 0, 2ULL << 20 },
		{ "2m\n", 0, 0, 2ULL << 20 },
		{ "3G", 0, 0, 3ULL << 30 },
		{ "1T", 0, 0, 1ULL << 40 },
		{ "1t", 0, 0, 1ULL << 40 },
		{ "0x10K", 0, 0, 16 << 10 },
		{ "010", 0, 0, 8 },
		{ "16777215T", 0, 0, 16777215ULL << 40 },
		{ "16777216T", 0, -ERANGE, 0 },
		{ "18446744073709551615", 0, 0, ULLONG_MAX },
		{ "18446744073709551616", 0, -ERANGE, 0 },
		{ "17179869184G", 0, -ERANGE, 0 },
		{ "17179869183G", 0, 0, 17179869183ULL << 30 },
		{ "1KB", 0, -EINVAL, 0 },
		{ "1P", 0, -EINVAL, 0 },
		{ "K", 0, -EINVAL, 0 },
		{ "", 0, -EINVAL, 0 },
		{ "-1", 0, -EINVAL, 0 },
		{ " 1K", 0, -EINVAL, 0 },
		{ "1 K", 0, -EINVAL, 0 },
		{ "1K\n\n", 0, -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 v = UNTOUCHED;
		int ret = parse_size(cases[i].s, &v);

		if (ret != cases[i].ret || v != (ret ? UNTOUCHED : cases[i].val))
			fail_msg("parse_size(\"%s\"): %d %llu", cases[i].s, ret,
				 (unsigned long long)v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kstrtoull),
		cmocka_unit_test(test_kstrtoll),
		cmocka_unit_test(test_narrow),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_kstrtobool),
		cmocka_unit_test(test_parse_size),
	};

	host_test_seed("kstrtox");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
