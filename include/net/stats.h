/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protocol counters of the whole stack (per-device counters are in
 * struct netdev_stats).  Every datagram or packet the stack drops is
 * counted under exactly one cause.  The list below is the only place a
 * counter is named: it makes the struct fields and the names printed by
 * net_print_stats().  Documentation/net.md explains each.
 */
#ifndef _NET_STATS_H
#define _NET_STATS_H

#include <lego/types.h>

#define NET_STATS_LIST(X)						\
	X(arp_rx)		/* ARP packets received */		\
	X(arp_rx_malformed)	/* short, or not Ethernet/IPv4 */	\
	X(arp_rx_bad_sender)	/* sender IP/MAC broadcast or multicast */ \
	X(arp_rx_no_iface)	/* on a device without an address */	\
	X(arp_rx_other)		/* for someone else, nothing to learn */ \
	X(arp_conflict)		/* someone else claims our address */	\
	X(arp_request_tx)						\
	X(arp_reply_tx)							\
	X(arp_tx_errors)	/* request/reply not sent */		\
	X(arp_queue_full)	/* frame dropped: resolution queue full */ \
	X(arp_resolve_failed)	/* frame dropped: no answer */		\
	X(arp_cache_full)	/* frame dropped: no free entry */	\
	X(arp_nomem)							\
	X(ip_rx)							\
	X(ip_rx_short)		/* shorter than a header */		\
	X(ip_rx_bad_version)						\
	X(ip_rx_bad_ihl)	/* IHL < 5 or past the packet */	\
	X(ip_rx_bad_len)	/* total length vs frame length */	\
	X(ip_rx_bad_csum)						\
	X(ip_rx_fragment)	/* we do not reassemble */		\
	X(ip_rx_bad_saddr)	/* broadcast, multicast or ours */	\
	X(ip_rx_not_for_us)						\
	X(ip_rx_no_iface)	/* on a device without an address */	\
	X(ip_rx_unknown_proto)						\
	X(ip_tx)							\
	X(ip_tx_no_route)						\
	X(ip_tx_too_big)						\
	X(ip_tx_errors)		/* no headroom, ring full, no memory */	\
	X(icmp_rx)							\
	X(icmp_rx_short)						\
	X(icmp_rx_bad_csum)						\
	X(icmp_rx_echo)							\
	X(icmp_rx_echo_bcast)	/* echo to a broadcast: ignored */	\
	X(icmp_rx_other)	/* any other type */			\
	X(icmp_tx_echo_reply)						\
	X(icmp_tx_errors)						\
	X(udp_rx)							\
	X(udp_rx_short)							\
	X(udp_rx_bad_len)	/* length field vs IP payload */	\
	X(udp_rx_bad_csum)						\
	X(udp_rx_no_port)	/* nobody bound to the port */		\
	X(udp_rx_delivered)	/* handed to an endpoint */		\
	X(udp_tx)							\
	X(udp_tx_errors)	/* too big, no route, no memory, busy */ \
	X(net_tick)		/* housekeeping rounds */

struct net_stats {
#define NET_STAT_FIELD(name) u64 name;
	NET_STATS_LIST(NET_STAT_FIELD)
#undef NET_STAT_FIELD
};

extern struct net_stats net_stats;

/* Log every non-zero counter, a few per line. */
void net_print_stats(void);

#endif /* _NET_STATS_H */
