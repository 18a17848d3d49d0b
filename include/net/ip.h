/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 (RFC 791, host requirements from RFC 1122 section 3): one
 * interface, one subnet, no routing, no fragmentation.
 *
 * The interface is a netdev given an address with ipv4_configure() (at
 * boot from `net.ip=A.B.C.D/N` on `net.dev=`, default the first device).
 * Every datagram we send goes to a host on that subnet, or to a
 * broadcast address, out of that device.
 */
#ifndef _NET_IP_H
#define _NET_IP_H

#include <lego/compiler.h>
#include <lego/list.h>
#include <lego/types.h>
#include <net/byteorder.h>
#include <net/netdev.h>

#define IPPROTO_ICMP	1
#define IPPROTO_UDP	17

#define IP_HLEN		20	/* without options */
#define IP_DEFAULT_TTL	64
#define IP_DF		0x4000	/* don't fragment (frag_off, host order) */
#define IP_MF		0x2000	/* more fragments */
#define IP_OFFMASK	0x1fff

#define INADDR_ANY		((__be32)0)
#define INADDR_BROADCAST	((__be32)0xffffffff)

/* RFC 791 section 3.1; version and IHL share the first byte. */
struct iphdr {
	u8 ver_ihl;		/* version << 4 | header length in words */
	u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;	/* flags << 13 | offset in 8-byte units */
	u8 ttl;
	u8 protocol;
	u16 check;		/* stored as csum_fold() gave it */
	__be32 saddr;
	__be32 daddr;
} __packed;
_Static_assert(sizeof(struct iphdr) == IP_HLEN, "iphdr");

static inline unsigned int ip_hdr_len(const struct iphdr *iph)
{
	return (iph->ver_ihl & 0xf) * 4;
}

static inline bool ipv4_is_multicast(__be32 addr)
{
	return (ntohl(addr) & 0xf0000000) == 0xe0000000;
}

/* The netmask of a /@prefix (0-32), in network order. */
static inline __be32 inet_make_mask(unsigned int prefix)
{
	return prefix ? htonl(~0U << (32 - prefix)) : 0;
}

/*
 * Parse "A.B.C.D" (each part decimal 0-255, no leading '+', exactly four
 * parts) into @addr; "A.B.C.D/N" (N 0-32) also sets @prefix when it is not
 * NULL, else a '/' is an error.  0 or -EINVAL.
 */
int inet_parse_addr(const char *s, __be32 *addr, unsigned int *prefix);

/*
 * Give @dev the address @addr/@prefix (1-30): -EINVAL for a network,
 * broadcast, multicast or zero address.  The first configured device
 * becomes the interface every datagram leaves by.
 */
int ipv4_configure(struct netdev *dev, __be32 addr, unsigned int prefix);
/* Forget @dev's address (and its ARP entries); tests use it. */
void ipv4_unconfigure(struct netdev *dev);
/* The device for @daddr: on our subnet or a broadcast; NULL otherwise. */
struct netdev *ip_route(__be32 daddr);
/* True if @addr is our address, the limited or @dev's subnet broadcast. */
bool ip_is_local(const struct netdev *dev, __be32 addr);
bool ip_is_broadcast(const struct netdev *dev, __be32 addr);

/*
 * Send the datagram whose payload starts at pkt->data to @daddr through
 * @dev: the IPv4 header is pushed (TTL 64, DF, checksum), then ARP finds
 * the next hop's MAC.  Always consumes @pkt.  0 when sent or queued while
 * ARP resolves; -ENETUNREACH (no address on @dev), -EMSGSIZE (bigger than
 * the MTU), -ENOSPC (headroom), -EBUSY (TX ring full), -ENOMEM.
 */
int ip_output(struct netdev *dev, struct pktbuf *pkt, __be32 daddr,
	      u8 protocol);

/*
 * Told once per device that the boot configured (net.ip) after the
 * stack came up (late initcall): a transport over IPv4, such as the
 * soft-RoCE provider, creates its device for it there.  Registering after
 * that boot step calls @ifup at once for every device that has an address
 * by then.  Kernel context: @ifup may sleep.  Kernel-only (net/core/init.c).
 */
struct ip_ifup_notifier {
	void (*ifup)(struct netdev *dev);
	struct list_head list;		/* the stack's */
};
void ip_register_ifup_notifier(struct ip_ifup_notifier *n);

#endif /* _NET_IP_H */
