/* SPDX-License-Identifier: GPL-2.0 */
/*
 * net/bench.h: what the UDP benchmark's two files share (net/bench.c, the
 * round trips and the boot-time driver; net/bench_stream.c, the one-way
 * stream and its sink).  Documentation/benchmarks.md describes both.
 */
#ifndef _NET_BENCH_H
#define _NET_BENCH_H

#include <lego/types.h>
#include <net/netdev.h>

/* Fixed point for the result lines: @v thousandths as "N.D" (one decimal). */
#define BENCH_FMT_MILLI		"%lu.%lu"
#define BENCH_MILLI(v)		(u64)(v) / 1000, ((u64)(v) % 1000) / 100
/* @v hundredths as "N.DD". */
#define BENCH_FMT_CENTI		"%lu.%02lu"
#define BENCH_CENTI(v)		(u64)(v) / 100, (u64)(v) % 100

/* ---- bench_stream.c ---------------------------------------------------- */

/*
 * Send @count datagrams of @size bytes to the stream sink at
 * @peer:@port as fast as @dev takes them (busy-polled), then ask the sink
 * what arrived and print a NETBENCH-STREAM line.  0, or a negative errno
 * when the sink never answered.
 */
int netbench_stream(struct netdev *dev, __be32 peer, u16 port, u32 count,
		    u32 size);

#endif /* _NET_BENCH_H */
