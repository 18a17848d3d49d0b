/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Integer base-2 logarithms and powers of two, for unsigned values up to
 * 64 bits.  With a constant argument each macro folds to an integer
 * constant expression, usable in array sizes, case labels and
 * static_assert; otherwise it evaluates its argument once.
 *
 *   ilog2(n)               floor(log2(n)); ilog2(0) is 0
 *   order_base_2(n)        ceil(log2(n)); 0 for n <= 1
 *   is_power_of_2(n)       n is 1, 2, 4, ...  (0 is not)
 *   roundup_pow_of_two(n)  smallest power of two >= n; n <= 2^63
 *   rounddown_pow_of_two(n) largest power of two <= n; n >= 1
 */
#ifndef _LEGO_LOG2_H
#define _LEGO_LOG2_H

#include <lego/compiler.h>
#include <lego/types.h>

/* The "| 1" makes 0 and 1 both give 0 without a branch. */
#define __ilog2_const(n)	(63 - __builtin_clzll((u64)(n) | 1))

static __always_inline int __ilog2_u64(u64 n)
{
	return __ilog2_const(n);
}

static __always_inline bool __is_power_of_2(u64 n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

static __always_inline u64 __roundup_pow_of_two(u64 n)
{
	return n <= 1 ? 1 : 1ULL << (__ilog2_u64(n - 1) + 1);
}

static __always_inline int __order_base_2(u64 n)
{
	return n <= 1 ? 0 : __ilog2_u64(n - 1) + 1;
}

#define ilog2(n)							\
	(__builtin_constant_p(n) ? __ilog2_const(n) : __ilog2_u64(n))

#define is_power_of_2(n)						\
	(__builtin_constant_p(n) ?					\
	 ((u64)(n) != 0 && ((u64)(n) & ((u64)(n) - 1)) == 0) :		\
	 __is_power_of_2(n))

#define roundup_pow_of_two(n)						\
	(__builtin_constant_p(n) ?					\
	 ((u64)(n) <= 1 ? 1ULL : 1ULL << (__ilog2_const((u64)(n) - 1) + 1)) : \
	 __roundup_pow_of_two(n))

#define rounddown_pow_of_two(n)						\
	(__builtin_constant_p(n) ? 1ULL << __ilog2_const(n) :		\
	 1ULL << __ilog2_u64(n))

#define order_base_2(n)							\
	(__builtin_constant_p(n) ?					\
	 ((u64)(n) <= 1 ? 0 : __ilog2_const((u64)(n) - 1) + 1) :	\
	 __order_base_2(n))

#endif /* _LEGO_LOG2_H */
