/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stand-ins for what net/ needs from the kernel (net_host.c) and a
 * fake NIC with a checker of every frame the stack sends (net_fake.c).
 * Shared by the host tests test_net_*.c and by tests/fuzz/fuzz_net_rx.c.
 *
 * Memory: kmalloc() and the slab caches are plain malloc(), so that
 * AddressSanitizer sees the exact bounds of every object; memory that is
 * not asked to be zeroed is filled with 0xa5.  net_host_fail_after(n)
 * makes every allocation after the next n fail (-1: never).
 * Time: ktime_get_ns() is a fake clock that only the test moves.
 */
#ifndef _NET_HOST_H
#define _NET_HOST_H

#include <lego/types.h>
#include <net/netdev.h>

void net_host_set_time(u64 ns);
void net_host_advance_ms(u64 ms);
void net_host_fail_after(long n);
/* Live kmalloc/kmem_cache objects: 0 after a test that freed all. */
long net_host_live_objects(void);

/*
 * Bring the stack to its boot state: handlers registered, caches made,
 * ARP cache and counters empty, no interface.  Call before each test.
 */
void net_host_reset(void);

/* ---- net_fake.c --------------------------------------------------------- */

/*
 * A registered-looking device "fake0" with @mac, IPv4 @ip/@prefix (0: no
 * address) and a transmit that keeps every frame (fake_sent_*), after
 * checking it with net_check_frame() (a bad one aborts the program).
 */
struct netdev *fake_netdev_create(const u8 *mac, __be32 ip,
				  unsigned int prefix);
void fake_netdev_destroy(struct netdev *dev);
/* What ops->xmit returns next (0, or e.g. -EBUSY to refuse frames). */
void fake_netdev_set_xmit_ret(struct netdev *dev, int ret);
unsigned int fake_sent_count(struct netdev *dev);
/* The oldest frame sent, now the caller's; NULL if none. */
struct pktbuf *fake_sent_pop(struct netdev *dev);
void fake_sent_flush(struct netdev *dev);

/*
 * A received frame: a copy of @len bytes with NET_HEADROOM before it and
 * nothing after it, so that a read past the frame is an ASan error.
 */
struct pktbuf *fake_rx_pkt(const void *frame, u32 len);
/* fake_rx_pkt() then netdev_rx(). */
void fake_rx(struct netdev *dev, const void *frame, u32 len);

/*
 * Is @frame (@len bytes, from the Ethernet header) a well-formed ARP,
 * ICMP echo reply or UDP frame that @dev may send?  NULL if so, else why
 * not.
 */
const char *net_check_frame(const struct netdev *dev, const u8 *frame,
			    u32 len);

/* ---- frame builders for tests and fuzz seeds ---------------------------- */

/* Ethernet + ARP: returns the frame length (42). */
u32 build_arp(u8 *buf, const u8 *eth_dst, const u8 *eth_src, u16 op,
	      const u8 *sha, __be32 sip, const u8 *tha, __be32 tip);
/*
 * Ethernet + IPv4 (20-byte header, valid checksum) + @l4 (@l4_len bytes,
 * copied as is); returns the frame length.
 */
u32 build_ipv4(u8 *buf, const u8 *eth_dst, const u8 *eth_src, __be32 saddr,
	       __be32 daddr, u8 proto, const void *l4, u32 l4_len);
/* Ethernet + IPv4 + UDP with a valid checksum (or 0 if !@csum). */
u32 build_udp(u8 *buf, const u8 *eth_dst, const u8 *eth_src, __be32 saddr,
	      __be32 daddr, u16 sport, u16 dport, const void *data, u32 len,
	      bool csum);
/* Ethernet + IPv4 + ICMP echo request with a valid checksum. */
u32 build_icmp_echo(u8 *buf, const u8 *eth_dst, const u8 *eth_src,
		    __be32 saddr, __be32 daddr, u16 id, u16 seq,
		    const void *data, u32 len);

#endif /* _NET_HOST_H */
