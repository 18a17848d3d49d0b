// SPDX-License-Identifier: GPL-2.0
/*
 * ARP (RFC 826) for IPv4 over Ethernet: the cache, requests and replies,
 * announcements (RFC 5227) and the queue of frames that wait for an
 * address to resolve.  The states and their timing are described in
 * include/net/arp.h; each state has one small function in arp_tick().
 *
 * Locking: arp_lock (irqsave: a sender may run with interrupts off)
 * protects the table, the entries and their queues.  Frames are built and
 * handed to netdev_xmit() only after it is dropped.
 */
#define pr_fmt(fmt) "arp: " fmt

#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/list.h>
#include <lego/params.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>
#include <net/arp.h>
#include <net/ethernet.h>
#include <net/ip.h>

#include "../internal.h"

#define ARP_HASH_SIZE	32
#define ARP_ANNOUNCE_NUM	2	/* RFC 5227 section 1.1 */
#define ARP_ANNOUNCE_INTERVAL_MS 2000

unsigned int net_arp_timeout_s = ARP_DEFAULT_TIMEOUT_S;
lego_param_uint("net.arp_timeout_s", net_arp_timeout_s,
		"seconds an ARP cache entry stays valid (default 60)");

const char *const arp_state_names[ARP_NR_STATES] = {
	[ARP_INCOMPLETE] = "incomplete",
	[ARP_REACHABLE] = "reachable",
	[ARP_REFRESH] = "refresh",
};

struct arp_entry {
	struct hlist_node node;		/* in its hash bucket */
	struct netdev *dev;
	__be32 ip;
	u8 mac[ETH_ALEN];		/* valid unless INCOMPLETE */
	enum arp_state state;
	u8 tries;			/* requests sent in this state */
	bool used;			/* sent through since confirmed */
	u64 deadline;			/* next retry, or expiry (ns) */
	struct list_head queue;		/* frames waiting (INCOMPLETE) */
	unsigned int qlen;
};

static DEFINE_SPINLOCK(arp_lock);
static struct hlist_head arp_table[ARP_HASH_SIZE];
static unsigned int arp_count;

/* RFC 5227 announcements still to send (one interface). */
static struct netdev *announce_dev;
static unsigned int announce_left;
static u64 announce_at;

static inline u64 ms_to_ns(u64 ms)
{
	return ms * NSEC_PER_MSEC;
}

static u64 arp_timeout_ns(void)
{
	return (u64)(net_arp_timeout_s ? net_arp_timeout_s : 1) * NSEC_PER_SEC;
}

/* Every entry of @bucket; @e may be removed on the way. */
#define arp_for_each_safe(e, n, bucket)					\
	for (e = hlist_entry_safe((bucket)->first, struct arp_entry, node); \
	     e && ({ n = hlist_entry_safe(e->node.next, struct arp_entry, \
					  node); true; });		\
	     e = n)

static struct hlist_head *arp_bucket(__be32 ip)
{
	u32 h = ntohl(ip);

	h ^= h >> 16;
	h *= 0x45d9f3b;
	return &arp_table[(h >> 16) % ARP_HASH_SIZE];
}

/* ---- packets ------------------------------------------------------------ */

static struct pktbuf *arp_build(struct netdev *dev, u16 op, const u8 *eth_dst,
				const u8 *tha, __be32 tip, __be32 sip)
{
	static const u8 zero_mac[ETH_ALEN];
	struct pktbuf *pkt;
	struct arphdr *arp;

	pkt = pktbuf_alloc(NET_HEADROOM, sizeof(*arp), GFP_ATOMIC | __GFP_NOWARN);
	if (!pkt) {
		NET_INC(arp_nomem);
		return NULL;
	}
	arp = pktbuf_put(pkt, sizeof(*arp));
	arp->ar_hrd = htons(ARPHRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = 4;
	arp->ar_op = htons(op);
	memcpy(arp->ar_sha, dev->mac, ETH_ALEN);
	arp->ar_sip = sip;
	memcpy(arp->ar_tha, tha ? tha : zero_mac, ETH_ALEN);
	arp->ar_tip = tip;
	eth_push_header(dev, pkt, eth_dst, ETH_P_ARP);
	return pkt;
}

static void arp_xmit(struct netdev *dev, struct pktbuf *pkt)
{
	if (netdev_xmit(dev, pkt)) {
		NET_INC(arp_tx_errors);
		pktbuf_free(pkt);
	}
}

/* Who has @tip?  Broadcast, or unicast to @dst to confirm an entry. */
static struct pktbuf *arp_build_request(struct netdev *dev, __be32 tip,
					const u8 *dst)
{
	NET_INC(arp_request_tx);
	return arp_build(dev, ARPOP_REQUEST, dst ? dst : eth_broadcast_addr,
			 NULL, tip, dev->ip_addr);
}

static void arp_send_request(struct netdev *dev, __be32 tip, const u8 *dst)
{
	struct pktbuf *pkt = arp_build_request(dev, tip, dst);

	if (pkt)
		arp_xmit(dev, pkt);
}

/* RFC 5227 section 2.3: a request with sender and target both ours. */
int arp_announce(struct netdev *dev)
{
	struct pktbuf *pkt;
	unsigned long flags;

	if (!dev->ip_addr)
		return -EADDRNOTAVAIL;
	pkt = arp_build(dev, ARPOP_REQUEST, eth_broadcast_addr, NULL,
			dev->ip_addr, dev->ip_addr);
	if (!pkt)
		return -ENOMEM;
	NET_INC(arp_request_tx);
	arp_xmit(dev, pkt);
	net_lock_irqsave(&arp_lock, flags);
	announce_dev = dev;
	announce_left = ARP_ANNOUNCE_NUM - 1;
	announce_at = ktime_get_ns() + ms_to_ns(ARP_ANNOUNCE_INTERVAL_MS);
	net_unlock_irqrestore(&arp_lock, flags);
	return 0;
}

/* ---- the table (arp_lock held) ------------------------------------------- */

/* Move every frame of @from to the end of @to. */
static void pkt_list_move_all(struct list_head *from, struct list_head *to)
{
	while (!list_empty(from))
		list_move_tail(from->next, to);
}

static struct arp_entry *arp_find(struct netdev *dev, __be32 ip)
{
	struct arp_entry *e;

	hlist_for_each_entry(e, arp_bucket(ip), node) {
		if (e->ip == ip && e->dev == dev)
			return e;
	}
	return NULL;
}

static struct arp_entry *arp_create(struct netdev *dev, __be32 ip,
				    enum arp_state state)
{
	struct arp_entry *e;

	if (arp_count >= ARP_MAX_ENTRIES) {
		NET_INC(arp_cache_full);
		return NULL;
	}
	e = kzalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN);
	if (!e) {
		NET_INC(arp_nomem);
		return NULL;
	}
	e->dev = dev;
	e->ip = ip;
	e->state = state;
	INIT_LIST_HEAD(&e->queue);
	hlist_add_head(&e->node, arp_bucket(ip));
	arp_count++;
	return e;
}

/* Unlink @e; its queued frames move to @dropped, counted as @failed. */
static void arp_destroy(struct arp_entry *e, struct list_head *dropped,
			bool failed)
{
	if (failed)
		__atomic_fetch_add(&net_stats.arp_resolve_failed, e->qlen,
				   __ATOMIC_RELAXED);
	pkt_list_move_all(&e->queue, dropped);
	hlist_del_init(&e->node);
	arp_count--;
	kfree(e);
}

static void arp_confirm(struct arp_entry *e, const u8 *mac, u64 now,
			struct list_head *ready)
{
	memcpy(e->mac, mac, ETH_ALEN);
	e->state = ARP_REACHABLE;
	e->tries = 0;
	e->used = false;
	e->deadline = now + arp_timeout_ns();
	pkt_list_move_all(&e->queue, ready);
	e->qlen = 0;
}

static void free_list(struct list_head *list)
{
	struct pktbuf *pkt, *n;

	list_for_each_entry_safe(pkt, n, list, list) {
		list_del(&pkt->list);
		pktbuf_free(pkt);
	}
}

/* Send the IPv4 frames in @list (data at the IPv4 header) to @mac. */
static void arp_send_queued(struct netdev *dev, struct list_head *list,
			    const u8 *mac)
{
	struct pktbuf *pkt, *n;

	list_for_each_entry_safe(pkt, n, list, list) {
		list_del_init(&pkt->list);
		if (eth_push_header(dev, pkt, mac, ETH_P_IP) ||
		    netdev_xmit(dev, pkt)) {
			NET_INC(ip_tx_errors);
			pktbuf_free(pkt);
		}
	}
}

/* ---- output -------------------------------------------------------------- */

static int arp_xmit_ip(struct netdev *dev, struct pktbuf *pkt, const u8 *mac)
{
	int ret = eth_push_header(dev, pkt, mac, ETH_P_IP);

	if (!ret)
		ret = netdev_xmit(dev, pkt);
	if (ret)
		pktbuf_free(pkt);
	return ret;
}

/* Queue @pkt on @nexthop's entry, creating it; arp_lock held. */
static int arp_enqueue(struct netdev *dev, struct pktbuf *pkt, __be32 nexthop,
		       struct arp_entry *e, bool *ask)
{
	if (!e) {
		e = arp_create(dev, nexthop, ARP_INCOMPLETE);
		if (!e)
			return -ENOBUFS;
		e->tries = 1;
		e->deadline = ktime_get_ns() + ms_to_ns(ARP_RETRY_MS);
		*ask = true;
	}
	if (e->qlen >= ARP_QUEUE_LEN) {
		NET_INC(arp_queue_full);
		return -ENOBUFS;
	}
	list_add_tail(&pkt->list, &e->queue);
	e->qlen++;
	return 0;
}

int arp_output(struct netdev *dev, struct pktbuf *pkt, __be32 nexthop)
{
	u8 mac[ETH_ALEN];
	struct arp_entry *e;
	unsigned long flags;
	bool ask = false;
	int ret;

	if (ip_is_broadcast(dev, nexthop))
		return arp_xmit_ip(dev, pkt, eth_broadcast_addr);
	net_lock_irqsave(&arp_lock, flags);
	e = arp_find(dev, nexthop);
	if (likely(e && e->state != ARP_INCOMPLETE)) {
		memcpy(mac, e->mac, ETH_ALEN);
		e->used = true;
		net_unlock_irqrestore(&arp_lock, flags);
		return arp_xmit_ip(dev, pkt, mac);
	}
	ret = arp_enqueue(dev, pkt, nexthop, e, &ask);
	net_unlock_irqrestore(&arp_lock, flags);
	if (ret)
		pktbuf_free(pkt);
	if (ask)
		arp_send_request(dev, nexthop, NULL);
	return ret;
}

int arp_resolve(struct netdev *dev, __be32 ip)
{
	struct arp_entry *e;
	unsigned long flags;
	bool ask = false;

	if (!dev->ip_addr)
		return -EADDRNOTAVAIL;
	net_lock_irqsave(&arp_lock, flags);
	e = arp_find(dev, ip);
	if (!e) {
		e = arp_create(dev, ip, ARP_INCOMPLETE);
		if (e) {
			e->tries = 1;
			e->deadline = ktime_get_ns() + ms_to_ns(ARP_RETRY_MS);
			ask = true;
		}
	}
	net_unlock_irqrestore(&arp_lock, flags);
	if (!e)
		return -ENOBUFS;
	if (ask)
		arp_send_request(dev, ip, NULL);
	return 0;
}

/* ---- input ----------------------------------------------------------------- */

/*
 * RFC 826 "merge": update the entry of a sender we know, and learn one
 * that is talking to us (@create).  Returns true if the cache had or got
 * the sender.  Frames that waited for it are sent.
 */
static bool arp_learn(struct netdev *dev, __be32 ip, const u8 *mac,
		      bool create)
{
	LIST_HEAD(ready);
	struct arp_entry *e;
	unsigned long flags;

	net_lock_irqsave(&arp_lock, flags);
	e = arp_find(dev, ip);
	if (!e && create)
		e = arp_create(dev, ip, ARP_REACHABLE);
	if (e)
		arp_confirm(e, mac, ktime_get_ns(), &ready);
	net_unlock_irqrestore(&arp_lock, flags);
	arp_send_queued(dev, &ready, mac);
	return e != NULL;
}

static bool arp_header_valid(const struct arphdr *arp)
{
	u16 op = ntohs(arp->ar_op);

	return arp->ar_hrd == htons(ARPHRD_ETHER) &&
	       arp->ar_pro == htons(ETH_P_IP) && arp->ar_hln == ETH_ALEN &&
	       arp->ar_pln == 4 && (op == ARPOP_REQUEST || op == ARPOP_REPLY);
}

/* A sender we could ever answer or learn (RFC 1122 2.3.2.1's spirit). */
static bool arp_sender_valid(struct netdev *dev, const struct arphdr *arp)
{
	__be32 sip = arp->ar_sip;

	if (is_multicast_ether_addr(arp->ar_sha) || is_zero_ether_addr(arp->ar_sha))
		return false;
	return !ipv4_is_multicast(sip) && !ip_is_broadcast(dev, sip);
}

static void arp_reply(struct netdev *dev, const struct arphdr *req)
{
	struct pktbuf *pkt;

	pkt = arp_build(dev, ARPOP_REPLY, req->ar_sha, req->ar_sha,
			req->ar_sip, dev->ip_addr);
	if (!pkt)
		return;
	NET_INC(arp_reply_tx);
	arp_xmit(dev, pkt);
}

void arp_rcv(struct netdev *dev, struct pktbuf *pkt)
{
	const struct arphdr *arp = (const struct arphdr *)pkt->data;
	bool for_us, known = false;
	__be32 sip;

	NET_INC(arp_rx);
	if (pkt->len < sizeof(*arp) || !arp_header_valid(arp)) {
		NET_INC(arp_rx_malformed);
		goto out;
	}
	if (!dev->ip_addr) {
		NET_INC(arp_rx_no_iface);
		goto out;
	}
	if (!arp_sender_valid(dev, arp)) {
		NET_INC(arp_rx_bad_sender);
		goto out;
	}
	sip = arp->ar_sip;
	if (sip == dev->ip_addr) {
		NET_INC(arp_conflict);
		pr_warn_ratelimited("%s: %pM also claims our address %pI4\n",
				    dev->name, arp->ar_sha, &dev->ip_addr);
		goto out;
	}
	for_us = arp->ar_tip == dev->ip_addr;
	/* Sender 0.0.0.0 is an RFC 5227 probe: answer it, learn nothing. */
	if (sip)
		known = arp_learn(dev, sip, arp->ar_sha, for_us);
	if (for_us && arp->ar_op == htons(ARPOP_REQUEST))
		arp_reply(dev, arp);
	else if (!known)
		NET_INC(arp_rx_other);
out:
	pktbuf_free(pkt);
}

/* ---- timers: one function per state ------------------------------------- */

/* What a state function asks arp_tick() to do with an entry. */
enum arp_verdict {
	ARP_KEEP,
	ARP_ASK_BROADCAST,	/* keep, and send a broadcast request */
	ARP_ASK_UNICAST,	/* keep, and ask the known MAC directly */
	ARP_REMOVE,
	ARP_GIVE_UP,		/* remove, dropping the queue as failed */
};

static enum arp_verdict arp_tick_incomplete(struct arp_entry *e, u64 now)
{
	if (e->tries >= ARP_MAX_TRIES)
		return ARP_GIVE_UP;
	e->tries++;
	e->deadline = now + ms_to_ns(ARP_RETRY_MS);
	return ARP_ASK_BROADCAST;
}

static enum arp_verdict arp_tick_reachable(struct arp_entry *e, u64 now)
{
	if (!e->used)
		return ARP_REMOVE;
	/* RFC 1122 2.3.2.1: confirm an entry in use by a unicast poll. */
	e->state = ARP_REFRESH;
	e->tries = 1;
	e->used = false;
	e->deadline = now + ms_to_ns(ARP_RETRY_MS);
	return ARP_ASK_UNICAST;
}

static enum arp_verdict arp_tick_refresh(struct arp_entry *e, u64 now)
{
	if (e->tries >= ARP_MAX_TRIES)
		return ARP_REMOVE;
	e->tries++;
	e->deadline = now + ms_to_ns(ARP_RETRY_MS);
	return ARP_ASK_UNICAST;
}

static enum arp_verdict (*const arp_tick_state[ARP_NR_STATES])(struct arp_entry *, u64) = {
	[ARP_INCOMPLETE] = arp_tick_incomplete,
	[ARP_REACHABLE] = arp_tick_reachable,
	[ARP_REFRESH] = arp_tick_refresh,
};

/* Apply @v to @e: requests are built now, sent after the lock drops. */
static void arp_apply(struct arp_entry *e, enum arp_verdict v,
		      struct list_head *tx, struct list_head *dropped)
{
	struct pktbuf *req = NULL;

	switch (v) {
	case ARP_ASK_BROADCAST:
		req = arp_build_request(e->dev, e->ip, NULL);
		break;
	case ARP_ASK_UNICAST:
		req = arp_build_request(e->dev, e->ip, e->mac);
		break;
	case ARP_REMOVE:
	case ARP_GIVE_UP:
		arp_destroy(e, dropped, v == ARP_GIVE_UP);
		break;
	case ARP_KEEP:
		break;
	}
	if (req) {
		req->dev = e->dev;
		list_add_tail(&req->list, tx);
	}
}

static void arp_tick_announce(u64 now, struct list_head *tx)
{
	struct netdev *dev = announce_dev;
	struct pktbuf *pkt;

	if (!announce_left || now < announce_at || !dev->ip_addr)
		return;
	announce_left--;
	announce_at = now + ms_to_ns(ARP_ANNOUNCE_INTERVAL_MS);
	pkt = arp_build(dev, ARPOP_REQUEST, eth_broadcast_addr, NULL,
			dev->ip_addr, dev->ip_addr);
	if (pkt) {
		NET_INC(arp_request_tx);
		pkt->dev = dev;
		list_add_tail(&pkt->list, tx);
	}
}

void arp_tick(u64 now)
{
	struct arp_entry *e, *n;
	LIST_HEAD(dropped);
	unsigned long flags;
	struct pktbuf *pkt, *pn;
	LIST_HEAD(tx);
	unsigned int i;

	net_lock_irqsave(&arp_lock, flags);
	for (i = 0; i < ARP_HASH_SIZE; i++) {
		arp_for_each_safe(e, n, &arp_table[i]) {
			if (now >= e->deadline)
				arp_apply(e, arp_tick_state[e->state](e, now),
					  &tx, &dropped);
		}
	}
	arp_tick_announce(now, &tx);
	net_unlock_irqrestore(&arp_lock, flags);

	list_for_each_entry_safe(pkt, pn, &tx, list) {
		list_del_init(&pkt->list);
		arp_xmit(pkt->dev, pkt);
	}
	free_list(&dropped);
}

/* ---- inspection and teardown ----------------------------------------------- */

int arp_lookup(struct netdev *dev, __be32 ip, struct arp_info *info)
{
	struct arp_entry *e;
	unsigned long flags;

	net_lock_irqsave(&arp_lock, flags);
	e = arp_find(dev, ip);
	if (e) {
		info->state = e->state;
		memcpy(info->mac, e->mac, ETH_ALEN);
		info->queued = e->qlen;
		info->tries = e->tries;
	}
	net_unlock_irqrestore(&arp_lock, flags);
	return e ? 0 : -ENOENT;
}

unsigned int arp_nr_entries(void)
{
	return READ_ONCE(arp_count);
}

void arp_flush(struct netdev *dev)
{
	struct arp_entry *e, *n;
	LIST_HEAD(dropped);
	unsigned long flags;
	unsigned int i;

	net_lock_irqsave(&arp_lock, flags);
	for (i = 0; i < ARP_HASH_SIZE; i++) {
		arp_for_each_safe(e, n, &arp_table[i]) {
			if (!dev || e->dev == dev)
				arp_destroy(e, &dropped, true);
		}
	}
	if (!dev || announce_dev == dev)
		announce_left = 0;
	net_unlock_irqrestore(&arp_lock, flags);
	free_list(&dropped);
}

void arp_print_cache(void)
{
	struct arp_entry *e;
	unsigned long flags;
	unsigned int i;

	net_lock_irqsave(&arp_lock, flags);
	pr_info("%u entries\n", arp_count);
	for (i = 0; i < ARP_HASH_SIZE; i++) {
		hlist_for_each_entry(e, &arp_table[i], node)
			pr_info("%s %pI4 %pM %s queued %u\n", e->dev->name,
				&e->ip, e->mac, arp_state_names[e->state],
				e->qlen);
	}
	net_unlock_irqrestore(&arp_lock, flags);
}

int arp_init(void)
{
	return eth_register_handler(ETH_P_ARP, arp_rcv);
}
