/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small, fast, non-cryptographic hashes for hash tables.
 *
 * hash_32/hash_64/hash_long/hash_ptr(val, bits) give a @bits-bit bucket
 * index (1 <= @bits <= 32) by multiplying with 2^32 or 2^64 divided by the
 * golden ratio and keeping the top bits (Knuth, TAOCP vol. 3, 6.4), which
 * spreads consecutive keys well.  Keys that differ only in their high bits
 * should be mixed first with hash_mix64().  hash_bytes() is FNV-1a over a
 * buffer, for names and other short strings.
 */
#ifndef _LEGO_HASH_H
#define _LEGO_HASH_H

#include <lego/compiler.h>
#include <lego/types.h>

#define GOLDEN_RATIO_32	0x61C88647U
#define GOLDEN_RATIO_64	0x61C8864680B583EBULL

static inline u32 __hash_32(u32 val)
{
	return val * GOLDEN_RATIO_32;
}

static inline u32 hash_32(u32 val, unsigned int bits)
{
	return __hash_32(val) >> (32 - bits);
}

static __always_inline u32 hash_64(u64 val, unsigned int bits)
{
	return (u32)((val * GOLDEN_RATIO_64) >> (64 - bits));
}

static inline u32 hash_long(unsigned long val, unsigned int bits)
{
	return hash_64(val, bits);
}

static inline u32 hash_ptr(const void *ptr, unsigned int bits)
{
	return hash_long((unsigned long)ptr, bits);
}

/*
 * A bijective 64-bit mixer in which every input bit affects every output
 * bit: the finaliser of MurmurHash3 (public domain).
 */
static inline u64 hash_mix64(u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Fold one more field into @seed (Boost's hash_combine rule, then mixed). */
static inline u64 hash_combine(u64 seed, u64 val)
{
	return hash_mix64(seed ^ (val + GOLDEN_RATIO_64 + (seed << 6) + (seed >> 2)));
}

#define FNV1A_32_OFFSET	0x811c9dc5U
#define FNV1A_32_PRIME	0x01000193U

/* FNV-1a of @len bytes, continuing from @seed (start with FNV1A_32_OFFSET). */
static inline u32 hash_bytes(const void *data, size_t len, u32 seed)
{
	const u8 *p = data;

	while (len--)
		seed = (seed ^ *p++) * FNV1A_32_PRIME;
	return seed;
}

/* FNV-1a of a NUL-terminated string. */
static inline u32 hash_string(const char *s)
{
	u32 h = FNV1A_32_OFFSET;

	while (*s)
		h = (h ^ (u8)*s++) * FNV1A_32_PRIME;
	return h;
}

#endif /* _LEGO_HASH_H */
