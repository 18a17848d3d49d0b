// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/crc32.c: published check values (CRC catalogue
 * "check" for "123456789", RFC 3720 B.4 for CRC-32C), a bit-at-a-time
 * reference on random buffers of every length and alignment around the
 * 8-byte slice, and piecewise == one-shot for every split point.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/crc32.h>
#include <lego/string.h>

/* The definition: one bit at a time, no tables. */
static u32 crc_bitwise(u32 crc, const u8 *p, size_t len, u32 poly)
{
	int bit;

	while (len--) {
		crc ^= *p++;
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (crc & 1 ? poly : 0);
	}
	return crc;
}

static u32 std_crc32(const void *p, size_t len)
{
	return ~crc32_le(~0U, p, len);
}

static u32 std_crc32c(const void *p, size_t len)
{
	return ~crc32c_le(~0U, p, len);
}

static void test_check_values(void **state)
{
	static const char fox[] = "The quick brown fox jumps over the lazy dog";
	u8 buf[32];
	int i;

	(void)state;
	assert_int_equal(std_crc32("123456789", 9), 0xCBF43926);
	assert_int_equal(std_crc32c("123456789", 9), 0xE3069283);
	assert_int_equal(std_crc32(fox, sizeof(fox) - 1), 0x414FA339);
	assert_int_equal(std_crc32("", 0), 0);
	assert_int_equal(crc32_le(0x12345678, NULL, 0), 0x12345678);
	assert_int_equal(crc32c_le(0x12345678, NULL, 0), 0x12345678);

	/* RFC 3720, B.4: 32 bytes of zeros, ones, incrementing, decrementing. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(std_crc32c(buf, 32), 0x8A9136AA);
	assert_int_equal(std_crc32(buf, 32), 0x190A55AD);
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(std_crc32c(buf, 32), 0x62A8AB43);
	for (i = 0; i < 32; i++)
		buf[i] = i;
	assert_int_equal(std_crc32c(buf, 32), 0x46DD794E);
	for (i = 0; i < 32; i++)
		buf[i] = 31 - i;
	assert_int_equal(std_crc32c(buf, 32), 0x113FDB5C);
}

static void test_against_bitwise(void **state)
{
	static u8 buf[2100];
	size_t off, len;
	int iter;

	(void)state;
	rng_fill(buf, sizeof(buf));
	for (off = 0; off < 8; off++)
		for (len = 0; len <= 80; len++) {
			u32 seed = (u32)rng_next();

			assert_int_equal(crc32_le(seed, buf + off, len),
					 crc_bitwise(seed, buf + off, len, CRC32_POLY_LE));
			assert_int_equal(crc32c_le(seed, buf + off, len),
					 crc_bitwise(seed, buf + off, len, CRC32C_POLY_LE));
		}
	for (iter = 0; iter < 300; iter++) {
		u32 seed = (u32)rng_next();

		off = rng_below(64);
		len = rng_below(sizeof(buf) - off);
		assert_int_equal(crc32_le(seed, buf + off, len),
				 crc_bitwise(seed, buf + off, len, CRC32_POLY_LE));
		assert_int_equal(crc32c_le(seed, buf + off, len),
				 crc_bitwise(seed, buf + off, len, CRC32C_POLY_LE));
	}
}

/* Feeding a buffer in two pieces, or byte by byte, changes nothing. */
static void test_incremental(void **state)
{
	u8 buf[301];
	size_t split, i;
	u32 whole, whole_c, crc;

	(void)state;
	rng_fill(buf, sizeof(buf));
	whole = crc32_le(~0U, buf, sizeof(buf));
	whole_c = crc32c_le(~0U, buf, sizeof(buf));
	for (split = 0; split <= sizeof(buf); split++) {
		crc = crc32_le(~0U, buf, split);
		assert_int_equal(crc32_le(crc, buf + split, sizeof(buf) - split), whole);
		crc = crc32c_le(~0U, buf, split);
		assert_int_equal(crc32c_le(crc, buf + split, sizeof(buf) - split), whole_c);
	}
	crc = ~0U;
	for (i = 0; i < sizeof(buf); i++)
		crc = crc32_le(crc, buf + i, 1);
	assert_int_equal(crc, whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_values),
		cmocka_unit_test(test_against_bitwise),
		cmocka_unit_test(test_incremental),
	};

	host_test_seed("crc32");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
