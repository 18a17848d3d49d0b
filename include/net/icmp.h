/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ICMP for IPv4 (RFC 792): we answer echo requests, so that a Linux host
 * can ping a LegoOS node, and count everything else.
 */
#ifndef _NET_ICMP_H
#define _NET_ICMP_H

#include <lego/compiler.h>
#include <lego/types.h>

#define ICMP_ECHOREPLY		0
#define ICMP_DEST_UNREACH	3
#define ICMP_ECHO		8

#define ICMP_HLEN		8

/* The echo request/reply layout; other types share the first 4 bytes. */
struct icmphdr {
	u8 type;
	u8 code;
	u16 checksum;		/* over the whole ICMP message */
	__be16 id;
	__be16 seq;
} __packed;
_Static_assert(sizeof(struct icmphdr) == ICMP_HLEN, "icmphdr");

#endif /* _NET_ICMP_H */
