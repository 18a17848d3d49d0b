/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the
 * one's complement sum of the data taken as 16-bit words.
 *
 * Sums are computed on native (little-endian) loads; RFC 1071 section
 * 2(B) shows the result is the same bytes in either order, so a value
 * from csum_fold() is stored into a header as it is, with no htons().
 * A checksummed region verifies when csum_fold() of its sum is 0.
 *
 * Partial sums chain (csum_partial(b, n, csum_partial(a, m, 0))) only
 * when every region but the last has an even length.
 */
#ifndef _NET_CHECKSUM_H
#define _NET_CHECKSUM_H

#include <lego/types.h>

/* Add @len bytes at @buf (any alignment) to the running sum @sum. */
u32 csum_partial(const void *buf, u32 len, u32 sum);

/* Fold a running sum to 16 bits and complement it: the header value. */
static inline u16 csum_fold(u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/* The checksum of @len bytes: what goes into (or verifies as 0) a header. */
static inline u16 inet_csum(const void *buf, u32 len)
{
	return csum_fold(csum_partial(buf, len, 0));
}

/*
 * The UDP/TCP pseudo-header (RFC 768: source, destination, zero and
 * protocol, UDP length) added to @sum; @len in host order.
 */
u32 csum_pseudo(__be32 saddr, __be32 daddr, u16 len, u8 proto, u32 sum);

#endif /* _NET_CHECKSUM_H */
