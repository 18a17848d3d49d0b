/* SPDX-License-Identifier: GPL-2.0 */
/*
 * net/internal.h: what the files of net/ share with each other and with
 * the host tests and the fuzz target, grouped by the file that defines it.
 *
 * Everything from netdev_rx() up (core/rx.c, core/xmit.c, core/dev.c,
 * core/pktbuf.c and ipv4/) builds on the host with LEGO_HOST_TEST;
 * core/rxthread.c and core/init.c need the scheduler and are kernel-only.
 */
#ifndef _NET_INTERNAL_H
#define _NET_INTERNAL_H

#include <lego/compiler.h>
#include <lego/spinlock.h>
#include <lego/types.h>
#include <net/netdev.h>
#include <net/stats.h>

/*
 * Locks that code running with interrupts off may also take (a driver's
 * interrupt path may reach netdev_rx_irq(), a kernel timer may send).
 * The host tests run in user mode, where cli/sti fault: there the lock
 * alone is taken.
 */
#ifdef LEGO_HOST_TEST
#define net_lock_irqsave(lock, flags)	do { (flags) = 0; spin_lock(lock); } while (0)
#define net_unlock_irqrestore(lock, flags) \
	do { (void)(flags); spin_unlock(lock); } while (0)
#else
#define net_lock_irqsave(lock, flags)	spin_lock_irqsave(lock, flags)
#define net_unlock_irqrestore(lock, flags) spin_unlock_irqrestore(lock, flags)
#endif

/* Bump a counter of struct net_stats from any CPU. */
#define NET_INC(field)	__atomic_fetch_add(&net_stats.field, 1, __ATOMIC_RELAXED)
/* Count a packet dropped for @cause; evaluates to -EINVAL. */
#define NET_DROP(cause)	({ NET_INC(cause); -EINVAL; })
/* Same for a per-device counter bumped outside the one poller. */
#define NETDEV_INC(dev, field) \
	__atomic_fetch_add(&(dev)->stats.field, 1, __ATOMIC_RELAXED)
#define NETDEV_ADD(dev, field, n) \
	__atomic_fetch_add(&(dev)->stats.field, (n), __ATOMIC_RELAXED)

#define NET_TICK_MS	100	/* housekeeping period (ARP timers) */

/* ---- core/dev.c: the device list --------------------------------------- */

/* Name @dev and put it on the list (netdev_register() after open). */
void netdev_list_add(struct netdev *dev);
/* Take @dev off the list (tests that made a device of their own). */
void netdev_list_del(struct netdev *dev);
/* The net.mtu= parser: 0, -EINVAL or -ERANGE (then the MTU stays). */
int netdev_mtu_param(const char *val);

/* ---- core/xmit.c: transmission and test-only fault injection ------------ */

extern unsigned int net_test_loss, net_test_dup, net_test_reorder;
extern u64 net_test_seed;
/* Send the frame net.test_reorder held back on @dev, if any. */
void netdev_flush_held(struct netdev *dev);

/* ---- core/rx.c --------------------------------------------------------- */

/* Forget the EtherType handlers (host tests start from a clean table). */
void eth_reset_handlers(void);

/* ---- ipv4/arp.c -------------------------------------------------------- */

extern unsigned int net_arp_timeout_s;
int arp_init(void);
void arp_rcv(struct netdev *dev, struct pktbuf *pkt);

/* ---- ipv4/ip.c ----------------------------------------------------------- */

int ip_init(void);
void ip_rcv(struct netdev *dev, struct pktbuf *pkt);
/* The interface datagrams leave by (first configured device), or NULL. */
struct netdev *ip_default_dev(void);

/* ---- ipv4/icmp.c --------------------------------------------------------- */

void icmp_rcv(struct netdev *dev, struct pktbuf *pkt, __be32 saddr,
	      __be32 daddr);

/* ---- ipv4/udp.c ---------------------------------------------------------- */

void udp_rcv(struct netdev *dev, struct pktbuf *pkt, __be32 saddr,
	     __be32 daddr);
unsigned int udp_nr_endpoints(void);

/* ---- ipv4/addr.c: boot parameters ---------------------------------------- */

extern char net_dev_name[16];
extern bool net_ip_set;
extern __be32 net_ip_addr;
extern unsigned int net_ip_prefix;
extern unsigned int net_echo_port;
extern __be32 net_test_peer;
extern unsigned int net_test_peer_port;

#endif /* _NET_INTERNAL_H */
