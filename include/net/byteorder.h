/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network byte order (big-endian, RFC 791 Appendix B) on a little-endian
 * CPU.  IPv4 addresses cross every net/ API as __be32, exactly as they lie
 * in a header and as %pI4 prints them; port numbers cross it in host order.
 */
#ifndef _NET_BYTEORDER_H
#define _NET_BYTEORDER_H

#include <lego/types.h>

static inline __be16 htons(u16 x)
{
	return __builtin_bswap16(x);
}

static inline u16 ntohs(__be16 x)
{
	return __builtin_bswap16(x);
}

static inline __be32 htonl(u32 x)
{
	return __builtin_bswap32(x);
}

static inline u32 ntohl(__be32 x)
{
	return __builtin_bswap32(x);
}

/* An address from its four dotted-quad bytes: IPV4_ADDR(10, 0, 0, 1). */
#define IPV4_ADDR(a, b, c, d)						\
	((__be32)(((u32)(a) & 0xff) | (((u32)(b) & 0xff) << 8) |	\
		  (((u32)(c) & 0xff) << 16) | (((u32)(d) & 0xff) << 24)))

#endif /* _NET_BYTEORDER_H */
