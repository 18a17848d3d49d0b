// SPDX-License-Identifier: GPL-2.0
/*
 * Soft-RoCEv2 on the network stack: UDP port 4791 in and out (Annex A17;
 * notes B.2, B.10, B.11).
 *
 * Transmit (the engines' ops->xmit, under the QP lock, any context): the
 * packet is encoded into a fresh pktbuf behind NET_HEADROOM, the ICRC is
 * sealed over the very IPv4 and UDP headers we then push ourselves (IPv4:
 * DF, ID 0, TTL 64, no options; UDP: checksum 0, source port 0xc000 | the
 * QPN's low bits), and the Ethernet header goes to the QP's peer MAC
 * (ah_attr.roce.dmac, or ARP at RTR, or learnt later from the ARP cache).
 * We do not use ip_output(): it picks the IP identification itself, after
 * the ICRC would have been sealed, and consumes the frame on -EBUSY.
 * netdev_xmit() -EBUSY (and a failed allocation) is returned to the
 * engine, which stops; the worker kicks it SROCE_KICK_DELAY_MS later.
 * A frame that cannot be sent at all (no MAC yet, device error) counts as
 * lost: the retransmit timer recovers it, and a peer that never answers
 * ends in retry exhaustion.
 *
 * Loopback: a QP whose peer address is this device's own sends to the
 * device's loopback queue; the worker feeds it to the receive path.  (The
 * NIC never gives our own frames back: the stack drops them.)
 *
 * Receive (the UDP endpoint's callback: the netdev's rx thread or a busy
 * poller; the worker for looped-back frames), in rxe's order (notes
 * B.11): IPv4/UDP fields for the ICRC, the destination QP from the BTH,
 * its state, sroce_parse() with the QP's path MTU (ICRC included), the
 * source address against the QP's peer, then sroce_rc_rx() under the QP
 * lock and the completions pushed after it.  Every frame is counted once:
 * in the device's drop counters, or by the parser.
 */
#define pr_fmt(fmt) "sroce: " fmt

#include <lego/err.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/sched.h>
#include <lego/string.h>
#include <net/arp.h>
#include <net/checksum.h>
#include <net/ethernet.h>
#include <net/ip.h>
#include <net/udp.h>

#include "sroce.h"

static struct udp_endpoint *sroce_ep;

/* ---- receive ---------------------------------------------------------------- */

/* Parse @pkt (data at the BTH) for @qp and run its engines. */
static void sroce_rx_qp(struct sroce_dev *sdev, struct ib_qp *qp,
			const struct sroce_l3 *l3, struct pktbuf *pkt,
			enum sroce_rx_path path)
{
	struct sroce_ibqp *sqp = to_sqp(qp);
	enum ib_qp_state st = ib_qp_get_state(qp);
	unsigned long flags;
	struct sroce_pkt p;

	/* IBTA 10.3: nothing is received before RTR. */
	if (st == IB_QPS_RESET || st == IB_QPS_INIT) {
		SROCE_INC(sdev, rx_bad_state);
		return;
	}
	if (sroce_parse(l3, pkt->data, pkt->len, READ_ONCE(sqp->rc.attr.pmtu),
			&p, &sdev->rx_stats[path])) {
		SROCE_INC(sdev, rx_parse_err);
		return;
	}
	spin_lock_irqsave(&sqp->lock, flags);
	if (!sqp->engine_up) {
		SROCE_INC(sdev, rx_bad_state);
	} else if (l3->saddr != sqp->daddr) {
		/* Notes B.11: an RC QP hears only from its peer. */
		SROCE_INC(sdev, rx_bad_src);
	} else {
		sroce_rc_rx(&sqp->rc, &p);
	}
	spin_unlock_irqrestore(&sqp->lock, flags);
	sroce_qp_drain(sqp);
}

/* One RoCE datagram: network/transport headers set, data at the BTH. */
static void sroce_rx(struct sroce_dev *sdev, struct pktbuf *pkt,
		     enum sroce_rx_path path)
{
	struct sroce_l3 l3;
	struct sroce_pkt p;
	struct ib_qp *qp;

	SROCE_INC(sdev, rx_frames);
	if (sroce_l3_decode(&l3, pktbuf_network_header(pkt),
			    pktbuf_transport_header(pkt))) {
		SROCE_INC(sdev, rx_bad_l3);
		goto out;
	}
	if (pkt->len < ROCE_BTH_LEN) {		/* the parser counts it */
		sroce_parse(&l3, pkt->data, pkt->len, SROCE_MAX_PMTU, &p,
			    &sdev->rx_stats[path]);
		SROCE_INC(sdev, rx_parse_err);
		goto out;
	}
	qp = ib_qp_lookup(&sdev->ibdev,
			  roce_get_be24(((const struct roce_bth *)pkt->data)->dqpn));
	if (!qp) {
		SROCE_INC(sdev, rx_no_qp);
		goto out;
	}
	sroce_rx_qp(sdev, qp, &l3, pkt, path);
	ib_qp_put(qp);
out:
	pktbuf_free(pkt);
}

static void sroce_udp_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
			 __be32 saddr, u16 sport)
{
	struct sroce_dev *sdev = sroce_dev_of(pkt->dev);

	if (!sdev) {			/* no provider on this netdev (yet) */
		pktbuf_free(pkt);
		return;
	}
	sroce_rx(sdev, pkt, SROCE_RX_WIRE);
}

void sroce_loopback_run(struct sroce_dev *sdev)
{
	struct pktbuf *pkt, *next;
	unsigned long flags;
	LIST_HEAD(frames);

	spin_lock_irqsave(&sdev->lo_lock, flags);
	while (!list_empty(&sdev->lo_queue))
		list_move_tail(sdev->lo_queue.next, &frames);
	sdev->lo_len = 0;
	spin_unlock_irqrestore(&sdev->lo_lock, flags);
	list_for_each_entry_safe(pkt, next, &frames, list) {
		list_del_init(&pkt->list);
		sroce_rx(sdev, pkt, SROCE_RX_LOOP);
	}
}

/* ---- transmit --------------------------------------------------------------- */

/* Not sent now: the engine stops, the worker kicks it shortly. */
static int sroce_busy(struct sroce_ibqp *sqp)
{
	__atomic_fetch_or(&sqp->events, SROCE_EV_KICK, __ATOMIC_RELEASE);
	sroce_wake(sqp->sdev, SROCE_WORK_KICK);
	return -EBUSY;
}

/* The UDP and IPv4 headers @l3 describes (the ICRC already covers them). */
static void sroce_push_headers(struct pktbuf *pkt, const struct sroce_l3 *l3)
{
	struct udphdr *uh = pktbuf_push(pkt, UDP_HLEN);
	struct iphdr *iph;

	uh->source = htons(l3->sport);
	uh->dest = htons(l3->dport);
	uh->len = htons(l3->udp_len);
	uh->check = 0;			/* Annex A17: the ICRC protects it */
	pkt->transport_header = pkt->data - pkt->head;
	iph = pktbuf_push(pkt, IP_HLEN);
	iph->ver_ihl = 0x45;
	iph->tos = 0;
	iph->tot_len = htons(l3->ip_tot_len);
	iph->id = htons(l3->ip_id);
	iph->frag_off = htons(l3->ip_frag_off);
	iph->ttl = IP_DEFAULT_TTL;
	iph->protocol = IPPROTO_UDP;
	iph->check = 0;
	iph->saddr = l3->saddr;
	iph->daddr = l3->daddr;
	iph->check = inet_csum(iph, IP_HLEN);
	pkt->network_header = pkt->data - pkt->head;
}

static int sroce_loop(struct sroce_ibqp *sqp, struct pktbuf *pkt)
{
	struct sroce_dev *sdev = sqp->sdev;
	unsigned long flags;
	bool full;

	pktbuf_pull(pkt, IP_HLEN + UDP_HLEN);	/* as udp_rcv() leaves it */
	pkt->dev = sdev->ndev;
	spin_lock_irqsave(&sdev->lo_lock, flags);
	full = sdev->lo_len >= SROCE_LO_MAX;
	if (!full) {
		list_add_tail(&pkt->list, &sdev->lo_queue);
		sdev->lo_len++;
	}
	spin_unlock_irqrestore(&sdev->lo_lock, flags);
	if (full) {
		pktbuf_free(pkt);
		return sroce_busy(sqp);
	}
	SROCE_INC(sdev, lo_frames);
	sroce_wake(sdev, SROCE_WORK_NOW);
	return 0;
}

/* The peer's MAC from the ARP cache, if it is there by now; lock held. */
static bool sroce_learn_mac(struct sroce_ibqp *sqp)
{
	struct netdev *ndev = sqp->sdev->ndev;
	struct arp_info info;

	if (!arp_lookup(ndev, sqp->daddr, &info)) {
		if (info.state == ARP_INCOMPLETE)
			return false;
		memcpy(sqp->dmac, info.mac, ETH_ALEN);
		sqp->dmac_valid = true;
		return true;
	}
	arp_resolve(ndev, sqp->daddr);
	return false;
}

int sroce_xmit(struct sroce_qp *rc, const struct sroce_pkt *d)
{
	struct sroce_ibqp *sqp = rc_to_sqp(rc);
	struct sroce_dev *sdev = sqp->sdev;
	struct netdev *ndev = sdev->ndev;
	u32 len = sroce_pkt_len(d);
	struct sroce_l3 l3;
	struct pktbuf *pkt;
	int ret;

	pkt = pktbuf_alloc(NET_HEADROOM, len, GFP_ATOMIC | __GFP_NOWARN);
	if (!pkt) {
		SROCE_INC(sdev, tx_nomem);
		return sroce_busy(sqp);
	}
	/* Notes B.10: the ICRC over the headers exactly as sent. */
	sroce_l3_tx(&l3, ndev->ip_addr, sqp->daddr, sqp->sport, 0, len);
	if (sroce_build(pkt, d, &l3))
		goto lost;
	sroce_push_headers(pkt, &l3);
	if (sqp->loopback)
		return sroce_loop(sqp, pkt);
	if (!sqp->dmac_valid && !sroce_learn_mac(sqp)) {
		SROCE_INC(sdev, tx_no_mac);
		pktbuf_free(pkt);
		return 0;
	}
	eth_push_header(ndev, pkt, sqp->dmac, ETH_P_IP);
	ret = netdev_xmit(ndev, pkt);
	if (!ret) {
		SROCE_INC(sdev, tx_frames);
		return 0;
	}
	pktbuf_free(pkt);
	if (ret == -EBUSY) {
		SROCE_INC(sdev, tx_busy);
		return sroce_busy(sqp);
	}
	SROCE_INC(sdev, tx_errors);
	return 0;
lost:
	SROCE_INC(sdev, tx_errors);
	pktbuf_free(pkt);
	return 0;
}

/* ---- set-up ----------------------------------------------------------------- */

void sroce_resolve_peer(struct sroce_dev *sdev, __be32 daddr, u8 *mac,
			bool *valid)
{
	struct arp_info info;
	unsigned int ms;

	*valid = false;
	for (ms = 0; ms < SROCE_ARP_WAIT_MS; ms += 10) {
		if (!arp_lookup(sdev->ndev, daddr, &info) &&
		    info.state != ARP_INCOMPLETE) {
			memcpy(mac, info.mac, ETH_ALEN);
			*valid = true;
			return;
		}
		if (ms % 250 == 0)
			arp_resolve(sdev->ndev, daddr);
		msleep(10);
	}
	pr_warn_ratelimited("%s: no ARP answer from %pI4 yet; will retry\n",
			    sdev->ibdev.name, &daddr);
}

int sroce_net_init(void)
{
	sroce_ep = udp_bind(ROCE_V2_UDP_DPORT, sroce_udp_rx, NULL);
	if (IS_ERR(sroce_ep))
		return PTR_ERR(sroce_ep);
	sroce_ep->tx_csum = false;	/* RoCEv2 sends UDP checksum 0 */
	return 0;
}
