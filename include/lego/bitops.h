/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Single-bit operations on arrays of unsigned long, and bit scans.
 *
 * The __set_bit family is non-atomic: callers serialise with a lock (the
 * atomic forms belong in <asm/atomic.h>).  Bit nr lives in word
 * nr / BITS_PER_LONG at position nr % BITS_PER_LONG, as in Linux, so a
 * bitmap is also a little-endian bit string.
 *
 * find_*_bit() (lib/bitmap.c) return the index of the bit found, or @size
 * when there is none.
 */
#ifndef _LEGO_BITOPS_H
#define _LEGO_BITOPS_H

#include <lego/compiler.h>
#include <lego/types.h>

#define BITS_PER_LONG		64
#define BITS_PER_LONG_LONG	64

#define BIT(nr)			(1UL << (nr))
#define BIT_ULL(nr)		(1ULL << (nr))
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BITS_TO_LONGS(nr)	DIV_ROUND_UP(nr, BITS_PER_LONG)

/* Bits @l to @h inclusive, e.g. GENMASK(7, 4) == 0xf0. */
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))

static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline void __change_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] ^= BIT_MASK(nr);
}

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return (addr[BIT_WORD(nr)] >> (nr % BITS_PER_LONG)) & 1;
}

static inline bool __test_and_set_bit(unsigned long nr, unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	__set_bit(nr, addr);
	return old;
}

static inline bool __test_and_clear_bit(unsigned long nr, unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	__clear_bit(nr, addr);
	return old;
}

/* Index of the lowest set bit; undefined for 0. */
static __always_inline unsigned int __ffs64(u64 word)
{
	return __builtin_ctzll(word);
}

static __always_inline unsigned int __ffs(unsigned long word)
{
	return __builtin_ctzl(word);
}

/* Index of the lowest clear bit; undefined for ~0. */
static __always_inline unsigned int ffz(unsigned long word)
{
	return __builtin_ctzl(~word);
}

/* 1 + index of the highest set bit, 0 for 0: fls64(1) == 1. */
static __always_inline unsigned int fls64(u64 word)
{
	return word ? 64 - __builtin_clzll(word) : 0;
}

static __always_inline unsigned int fls(unsigned int word)
{
	return word ? 32 - __builtin_clz(word) : 0;
}

/* Index of the highest set bit; undefined for 0. */
static __always_inline unsigned int __fls(unsigned long word)
{
	return BITS_PER_LONG - 1 - __builtin_clzl(word);
}

/*
 * Population count by parallel bit sums: __builtin_popcount would become a
 * call into libgcc (which the kernel does not link: it is built with a red
 * zone) on CPUs without POPCNT in the baseline.
 */
static __always_inline unsigned int hweight64(u64 w)
{
	w -= (w >> 1) & 0x5555555555555555ULL;
	w = (w & 0x3333333333333333ULL) + ((w >> 2) & 0x3333333333333333ULL);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned int)((w * 0x0101010101010101ULL) >> 56);
}

static __always_inline unsigned int hweight32(u32 w)
{
	return hweight64(w);
}

static __always_inline unsigned int hweight_long(unsigned long w)
{
	return hweight64(w);
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset);
unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset);

static inline unsigned long find_first_bit(const unsigned long *addr,
					   unsigned long size)
{
	return find_next_bit(addr, size, 0);
}

static inline unsigned long find_first_zero_bit(const unsigned long *addr,
						unsigned long size)
{
	return find_next_zero_bit(addr, size, 0);
}

#define for_each_set_bit(bit, addr, size)				\
	for ((bit) = find_first_bit((addr), (size));			\
	     (bit) < (size);						\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

#define for_each_clear_bit(bit, addr, size)				\
	for ((bit) = find_first_zero_bit((addr), (size));		\
	     (bit) < (size);						\
	     (bit) = find_next_zero_bit((addr), (size), (bit) + 1))

#endif /* _LEGO_BITOPS_H */
