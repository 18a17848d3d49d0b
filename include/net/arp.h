/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARP (RFC 826) for IPv4 over Ethernet, with the announcements of
 * RFC 5227 and the cache behaviour of RFC 1122 section 2.3.2.
 *
 * The cache maps (device, IPv4 address) to a MAC.  An entry is one of:
 *
 *   INCOMPLETE  a request is out; frames for the address wait in a short
 *               queue (ARP_QUEUE_LEN) and are dropped, counted, when
 *               ARP_MAX_TRIES requests went unanswered
 *   REACHABLE   usable until net.arp_timeout_s after it was confirmed
 *   REFRESH     expired while in use: still usable, and a unicast request
 *               asks the owner to confirm it (RFC 1122 2.3.2.1); removed
 *               if ARP_MAX_TRIES go unanswered
 *
 * An entry expired and unused is simply removed.  Timing is done by
 * arp_tick(), from the stack's housekeeping thread every NET_TICK_MS.
 */
#ifndef _NET_ARP_H
#define _NET_ARP_H

#include <lego/compiler.h>
#include <lego/types.h>
#include <net/netdev.h>

#define ARPHRD_ETHER	1
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2

#define ARP_QUEUE_LEN	8	/* frames held per unresolved address */
#define ARP_MAX_TRIES	3	/* requests before giving up */
#define ARP_RETRY_MS	250	/* between requests */
#define ARP_MAX_ENTRIES	256
#define ARP_DEFAULT_TIMEOUT_S	60

/* RFC 826 packet for Ethernet hardware and IPv4 protocol addresses. */
struct arphdr {
	__be16 ar_hrd;
	__be16 ar_pro;
	u8 ar_hln;
	u8 ar_pln;
	__be16 ar_op;
	u8 ar_sha[ETH_ALEN];
	__be32 ar_sip;
	u8 ar_tha[ETH_ALEN];
	__be32 ar_tip;
} __packed;
_Static_assert(sizeof(struct arphdr) == 28, "arphdr");

enum arp_state {
	ARP_INCOMPLETE,
	ARP_REACHABLE,
	ARP_REFRESH,
	ARP_NR_STATES,
};

extern const char *const arp_state_names[ARP_NR_STATES];

/* A snapshot of one entry, for tests and status output. */
struct arp_info {
	enum arp_state state;
	u8 mac[ETH_ALEN];
	unsigned int queued;	/* frames waiting (INCOMPLETE) */
	unsigned int tries;	/* requests sent in this state */
};

/*
 * Send the IPv4 datagram at pkt->data to @nexthop on @dev, resolving its
 * MAC first if needed (the frame then waits in the entry's queue).
 * Broadcast addresses go to ff:ff:ff:ff:ff:ff.  Consumes @pkt; returns
 * 0 (sent or queued), -EBUSY (ring full), -ENOMEM or -ENOSPC.
 */
int arp_output(struct netdev *dev, struct pktbuf *pkt, __be32 nexthop);

/* 0 and a snapshot of @ip's entry on @dev, or -ENOENT. */
int arp_lookup(struct netdev *dev, __be32 ip, struct arp_info *info);
/* Start resolving @ip on @dev without a frame to send (no-op if known). */
int arp_resolve(struct netdev *dev, __be32 ip);
/* RFC 5227 section 2.3: broadcast that @dev now owns its address. */
int arp_announce(struct netdev *dev);
/* Timeouts and retries; @now_ns from ktime_get_ns(). */
void arp_tick(u64 now_ns);
/* Remove every entry of @dev (all devices if NULL), dropping queued frames. */
void arp_flush(struct netdev *dev);
unsigned int arp_nr_entries(void);
/* Log the cache. */
void arp_print_cache(void);

#endif /* _NET_ARP_H */
