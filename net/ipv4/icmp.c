// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP (RFC 792): echo requests are answered, so that `ping` from a Linux
 * host reaches a LegoOS node; every other message is counted and dropped.
 * We send no errors of our own (RFC 1122 3.2.2 makes them optional for
 * the cases we meet).
 */
#define pr_fmt(fmt) "icmp: " fmt

#include <lego/kernel.h>
#include <lego/string.h>
#include <net/checksum.h>
#include <net/icmp.h>
#include <net/ip.h>

#include "../internal.h"

/*
 * RFC 792 "Echo or Echo Reply Message": the reply carries the request's
 * identifier, sequence number and data, with the type changed and the
 * checksum recomputed.  A new buffer is built: the request may carry IP
 * options and padding that the reply must not.
 */
static void icmp_echo_reply(struct netdev *dev, const struct pktbuf *req,
			    __be32 saddr)
{
	struct icmphdr *icmp;
	struct pktbuf *pkt;

	pkt = pktbuf_alloc(NET_HEADROOM, req->len, GFP_ATOMIC | __GFP_NOWARN);
	if (!pkt) {
		NET_INC(icmp_tx_errors);
		return;
	}
	icmp = pktbuf_put(pkt, req->len);
	memcpy(icmp, req->data, req->len);
	icmp->type = ICMP_ECHOREPLY;
	icmp->code = 0;
	icmp->checksum = 0;
	icmp->checksum = inet_csum(icmp, pkt->len);
	pkt->transport_header = pkt->data - pkt->head;
	if (ip_output(dev, pkt, saddr, IPPROTO_ICMP))
		NET_INC(icmp_tx_errors);
	else
		NET_INC(icmp_tx_echo_reply);
}

void icmp_rcv(struct netdev *dev, struct pktbuf *pkt, __be32 saddr,
	      __be32 daddr)
{
	const struct icmphdr *icmp = (const struct icmphdr *)pkt->data;

	NET_INC(icmp_rx);
	if (pkt->len < ICMP_HLEN) {
		NET_INC(icmp_rx_short);
		goto out;
	}
	if (inet_csum(pkt->data, pkt->len)) {
		NET_INC(icmp_rx_bad_csum);
		goto out;
	}
	if (icmp->type != ICMP_ECHO || icmp->code != 0) {
		NET_INC(icmp_rx_other);
		goto out;
	}
	NET_INC(icmp_rx_echo);
	/* RFC 1122 3.2.2.6: an echo to a broadcast MAY be discarded. */
	if (ip_is_broadcast(dev, daddr)) {
		NET_INC(icmp_rx_echo_bcast);
		goto out;
	}
	icmp_echo_reply(dev, pkt, saddr);
out:
	pktbuf_free(pkt);
}
