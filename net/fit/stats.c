// SPDX-License-Identifier: GPL-2.0
/*
 * The call latency histogram of struct fit_peer_counters: power-of-two
 * buckets of microseconds, so that one array of FIT_HIST_BUCKETS counters
 * spans 1 us to 16 s with a constant relative error (a factor of two),
 * and adding a sample costs a few shifts.  Pure; the caller holds the
 * peer's call_lock.
 *
 * Bucket 0 holds everything under 2 us, bucket i (1..22) [2^i, 2^(i+1))
 * us, and the last bucket everything from 2^23 us (about 8.4 s) up.
 */
#include "internal.h"

void fit_hist_add(u64 *hist, u64 ns)
{
	u64 us = ns / 1000;
	unsigned int b = 0;

	/* floor(log2(us)), which is 0 for both 0 and 1 us. */
	while (us >>= 1)
		b++;
	if (b >= FIT_HIST_BUCKETS)
		b = FIT_HIST_BUCKETS - 1;
	hist[b]++;
}

u64 fit_hist_percentile(const u64 *hist, unsigned int pct)
{
	u64 total = 0, rank, seen = 0;
	unsigned int i;

	for (i = 0; i < FIT_HIST_BUCKETS; i++)
		total += hist[i];
	if (!total)
		return 0;
	if (pct > 100)
		pct = 100;
	/*
	 * The rank of the sample wanted, ceil(total * pct / 100), computed
	 * without the product (which could overflow), and at least 1 so
	 * that pct 0 names the smallest sample.
	 */
	rank = total / 100 * pct + (total % 100 * pct + 99) / 100;
	if (!rank)
		rank = 1;
	for (i = 0; i < FIT_HIST_BUCKETS - 1; i++) {
		seen += hist[i];
		if (seen >= rank)
			break;
	}
	return 1ull << (i + 1);
}
