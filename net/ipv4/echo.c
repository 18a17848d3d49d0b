// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP echo service (RFC 862 in spirit), `net.echo_port=P`: every
 * datagram goes back to its sender, in the buffer it arrived in.  It is
 * the peer of the `nettest` ktest suite and a handy target for a Linux
 * host (`nc -u 10.0.0.1 7`).  Broadcasts are not echoed.
 */
#define pr_fmt(fmt) "udp: " fmt

#include <lego/err.h>
#include <lego/kernel.h>
#include <net/ip.h>
#include <net/udp.h>

#include "../internal.h"

static void udp_echo_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
			__be32 saddr, u16 sport)
{
	const struct iphdr *iph = pktbuf_network_header(pkt);

	if (!sport || ip_is_broadcast(pkt->dev, iph->daddr)) {
		pktbuf_free(pkt);
		return;
	}
	udp_send_pkt(ep, pkt, saddr, sport);
}

struct udp_endpoint *udp_echo_start(u16 port)
{
	struct udp_endpoint *ep = udp_bind(port, udp_echo_rx, NULL);

	if (IS_ERR(ep))
		pr_err("echo service on port %u: %ld\n", port, PTR_ERR(ep));
	else
		pr_info("echo service on port %u\n", port);
	return ep;
}
