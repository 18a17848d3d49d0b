/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Common start of every host test: the headers cmocka needs, in the order
 * it needs them, and a small seeded random number generator.
 *
 * Include this first, then other libc headers, then "lego_host_rename.h",
 * then the <lego/...> headers under test.  The seed is printed by
 * host_test_seed(); LEGO_TEST_SEED=N replays a run.
 */
#ifndef _HOST_TEST_H
#define _HOST_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t host_rng_state = 0x9e3779b97f4a7c15ULL;

/* Seed from LEGO_TEST_SEED or a fixed default, and say which. */
static inline void host_test_seed(const char *name)
{
	const char *env = getenv("LEGO_TEST_SEED");

	host_rng_state = env ? strtoull(env, NULL, 0) : 0x5eed1e60;
	if (!host_rng_state)
		host_rng_state = 1;
	printf("[ SEED     ] %s: LEGO_TEST_SEED=%#llx\n", name,
	       (unsigned long long)host_rng_state);
}

/* xorshift64*: fast, full period, good enough for test data. */
static inline uint64_t rng_next(void)
{
	host_rng_state ^= host_rng_state >> 12;
	host_rng_state ^= host_rng_state << 25;
	host_rng_state ^= host_rng_state >> 27;
	return host_rng_state * 0x2545f4914f6cdd1dULL;
}

/* Uniform enough in [0, n) for n well below 2^64. */
static inline uint64_t rng_below(uint64_t n)
{
	return n ? rng_next() % n : 0;
}

static inline void rng_fill(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len--)
		*p++ = (unsigned char)rng_next();
}

/* -1, 0 or 1: the sign of a comparison result. */
static inline int sign_of(long v)
{
	return (v > 0) - (v < 0);
}

#endif /* _HOST_TEST_H */
