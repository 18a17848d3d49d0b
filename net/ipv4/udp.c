// SPDX-License-Identifier: GPL-2.0
/*
 * UDP (RFC 768) for kernel endpoints (include/net/udp.h).
 *
 * Endpoints live in a small hash table by local port.  The receive path
 * takes udp_lock only to find the endpoint and pin it (ep->users); the
 * callback runs without the lock, and udp_unbind() waits for it.  The
 * checksum is verified when the sender set one (0 means none, RFC 768)
 * and generated on output unless the owner turned it off (RoCEv2 sends
 * 0 and relies on its ICRC).
 */
#define pr_fmt(fmt) "udp: " fmt

#include <lego/err.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/list.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/udp.h>

#include "../internal.h"

#ifndef LEGO_HOST_TEST
#include <lego/sched.h>
#endif

#define UDP_HASH_SIZE	64

static DEFINE_SPINLOCK(udp_lock);
static struct hlist_head udp_table[UDP_HASH_SIZE];
static unsigned int udp_count;
static u16 udp_next_ephemeral = UDP_EPHEMERAL_FIRST;

static struct hlist_head *udp_bucket(u16 port)
{
	return &udp_table[port % UDP_HASH_SIZE];
}

/* udp_lock held. */
static struct udp_endpoint *udp_find(u16 port)
{
	struct udp_endpoint *ep;

	hlist_for_each_entry(ep, udp_bucket(port), node) {
		if (ep->port == port)
			return ep;
	}
	return NULL;
}

/* A free port in 49152-65535, or 0; udp_lock held. */
static u16 udp_pick_ephemeral(void)
{
	unsigned int i, span = 65536 - UDP_EPHEMERAL_FIRST;
	u16 port;

	for (i = 0; i < span; i++) {
		port = udp_next_ephemeral;
		udp_next_ephemeral = port == 65535 ? UDP_EPHEMERAL_FIRST : port + 1;
		if (!udp_find(port))
			return port;
	}
	return 0;
}

struct udp_endpoint *udp_bind(u16 port, udp_rx_t rx, void *priv)
{
	struct udp_endpoint *ep;
	unsigned long flags;

	if (!rx)
		return ERR_PTR(-EINVAL);
	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return ERR_PTR(-ENOMEM);
	ep->rx = rx;
	ep->priv = priv;
	ep->tx_csum = true;
	net_lock_irqsave(&udp_lock, flags);
	if (!port)
		port = udp_pick_ephemeral();
	else if (udp_find(port))
		port = 0;
	if (port) {
		ep->port = port;
		hlist_add_head(&ep->node, udp_bucket(port));
		udp_count++;
	}
	net_unlock_irqrestore(&udp_lock, flags);
	if (!port) {
		kfree(ep);
		return ERR_PTR(-EADDRINUSE);
	}
	return ep;
}

void udp_unbind(struct udp_endpoint *ep)
{
	unsigned long flags;

	if (IS_ERR_OR_NULL(ep))
		return;
	net_lock_irqsave(&udp_lock, flags);
	hlist_del_init(&ep->node);
	udp_count--;
	net_unlock_irqrestore(&udp_lock, flags);
#ifndef LEGO_HOST_TEST
	while (__atomic_load_n(&ep->users, __ATOMIC_ACQUIRE))
		msleep(1);
#endif
	kfree(ep);
}

unsigned int udp_nr_endpoints(void)
{
	return READ_ONCE(udp_count);
}

/* ---- input ----------------------------------------------------------------- */

/* RFC 768: length covers header and data; a non-zero checksum must verify. */
static int udp_validate(struct pktbuf *pkt, __be32 saddr, __be32 daddr)
{
	const struct udphdr *uh = (const struct udphdr *)pkt->data;
	unsigned int ulen;

	if (pkt->len < UDP_HLEN)
		return NET_DROP(udp_rx_short);
	ulen = ntohs(uh->len);
	if (ulen < UDP_HLEN || ulen > pkt->len)
		return NET_DROP(udp_rx_bad_len);
	pktbuf_trim(pkt, ulen);
	if (uh->check &&
	    csum_fold(csum_pseudo(saddr, daddr, ulen, IPPROTO_UDP,
				  csum_partial(uh, ulen, 0))))
		return NET_DROP(udp_rx_bad_csum);
	return 0;
}

/* The endpoint on @port, pinned against udp_unbind(); or NULL. */
static struct udp_endpoint *udp_get(u16 port)
{
	struct udp_endpoint *ep;
	unsigned long flags;

	net_lock_irqsave(&udp_lock, flags);
	ep = udp_find(port);
	if (ep)
		__atomic_fetch_add(&ep->users, 1, __ATOMIC_ACQUIRE);
	net_unlock_irqrestore(&udp_lock, flags);
	return ep;
}

void udp_rcv(struct netdev *dev, struct pktbuf *pkt, __be32 saddr,
	     __be32 daddr)
{
	const struct udphdr *uh = (const struct udphdr *)pkt->data;
	struct udp_endpoint *ep;
	u16 sport;

	NET_INC(udp_rx);
	if (unlikely(udp_validate(pkt, saddr, daddr)))
		goto drop;
	ep = udp_get(ntohs(uh->dest));
	if (unlikely(!ep)) {
		NET_INC(udp_rx_no_port);
		goto drop;
	}
	NET_INC(udp_rx_delivered);
	sport = ntohs(uh->source);
	pktbuf_pull(pkt, UDP_HLEN);
	ep->rx(ep, pkt, saddr, sport);
	__atomic_fetch_sub(&ep->users, 1, __ATOMIC_RELEASE);
	return;
drop:
	pktbuf_free(pkt);
}

/* ---- output ---------------------------------------------------------------- */

static void udp_build_header(struct udp_endpoint *ep, struct udphdr *uh,
			     __be32 saddr, __be32 daddr, u16 dport, u16 ulen)
{
	u16 check;

	uh->source = htons(ep->port);
	uh->dest = htons(dport);
	uh->len = htons(ulen);
	uh->check = 0;
	if (!ep->tx_csum)
		return;
	check = csum_fold(csum_pseudo(saddr, daddr, ulen, IPPROTO_UDP,
				      csum_partial(uh, ulen, 0)));
	uh->check = check ? check : 0xffff;	/* RFC 768: 0 means none */
}

/* Check and push the UDP header; the caller still owns @pkt. */
static int udp_prepare(struct udp_endpoint *ep, struct pktbuf *pkt,
		       struct netdev *dev, __be32 daddr, u16 dport)
{
	struct udphdr *uh;

	if (unlikely(!dport))
		return -EINVAL;
	if (unlikely(!dev || !dev->ip_addr))
		return -ENETUNREACH;
	if (unlikely(pkt->len + UDP_HLEN + IP_HLEN > dev->mtu))
		return -EMSGSIZE;
	uh = pktbuf_push(pkt, UDP_HLEN);
	if (unlikely(!uh))
		return -ENOSPC;
	udp_build_header(ep, uh, dev->ip_addr, daddr, dport, pkt->len);
	pkt->transport_header = pkt->data - pkt->head;
	return 0;
}

int udp_send_pkt(struct udp_endpoint *ep, struct pktbuf *pkt, __be32 daddr,
		 u16 dport)
{
	struct netdev *dev = ep->dev ? ep->dev : ip_route(daddr);
	int ret = udp_prepare(ep, pkt, dev, daddr, dport);

	if (unlikely(ret)) {
		pktbuf_free(pkt);
		NET_INC(udp_tx_errors);
		return ret;
	}
	ret = ip_output(dev, pkt, daddr, IPPROTO_UDP);	/* consumes @pkt */
	if (unlikely(ret))
		NET_INC(udp_tx_errors);
	else
		NET_INC(udp_tx);
	return ret;
}

int udp_sendto(struct udp_endpoint *ep, __be32 daddr, u16 dport,
	       const void *data, u32 len)
{
	struct pktbuf *pkt;

	if (len > PKTBUF_MAX_SIZE - NET_HEADROOM) {
		NET_INC(udp_tx_errors);
		return -EMSGSIZE;
	}
	pkt = pktbuf_alloc(NET_HEADROOM, len, GFP_KERNEL | __GFP_NOWARN);
	if (!pkt) {
		NET_INC(udp_tx_errors);
		return -ENOMEM;
	}
	memcpy(pktbuf_put(pkt, len), data, len);
	return udp_send_pkt(ep, pkt, daddr, dport);
}
