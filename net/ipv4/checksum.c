// SPDX-License-Identifier: GPL-2.0
/*
 * The Internet checksum (RFC 1071).
 *
 * The data is summed 32 bits at a time into a 64-bit accumulator, which
 * cannot overflow for any frame (2^32 words), and folded at the end with
 * the end-around carry (RFC 1071 section 2(C): deferred carries).  Loads
 * go through memcpy(), which compiles to plain moves but is defined for
 * any alignment: an IPv4 header after a 14-byte Ethernet header is only
 * 2-byte aligned.
 */
#include <lego/string.h>
#include <net/byteorder.h>
#include <net/checksum.h>

static inline u64 fold64(u64 sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	return sum;
}

u32 csum_partial(const void *buf, u32 len, u32 sum)
{
	const u8 *p = buf;
	u64 acc = sum;
	u32 w32;
	u16 w16;

	while (len >= 4) {
		memcpy(&w32, p, 4);
		acc += w32;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&w16, p, 2);
		acc += w16;
		p += 2;
		len -= 2;
	}
	/* An odd last byte is the high half of a word padded with zero. */
	if (len)
		acc += *p;
	return (u32)fold64(acc);
}

u32 csum_pseudo(__be32 saddr, __be32 daddr, u16 len, u8 proto, u32 sum)
{
	u64 acc = sum;

	acc += saddr;
	acc += daddr;
	acc += htons(proto);
	acc += htons(len);
	return (u32)fold64(acc);
}
