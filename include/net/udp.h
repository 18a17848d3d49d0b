/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UDP (RFC 768) endpoints inside the kernel: no sockets, no queues.  An
 * endpoint owns a local port; each datagram for it is handed to its rx
 * callback in the context that polled the NIC (the device's rx thread or
 * a busy poller), with pkt->data at the payload and pkt->len its length.
 * The callback owns @pkt and must pktbuf_free() it (or send it on: the
 * headers before pkt->data are headroom that udp_send_pkt() can reuse).
 *
 *	static void echo_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
 *			    __be32 saddr, u16 sport)
 *	{
 *		udp_send_pkt(ep, pkt, saddr, sport);	// zero-copy echo
 *	}
 *	ep = udp_bind(7, echo_rx, NULL);
 *	if (IS_ERR(ep)) ...
 *
 * Addresses are in network byte order; ports in host order.
 */
#ifndef _NET_UDP_H
#define _NET_UDP_H

#include <lego/compiler.h>
#include <lego/list.h>
#include <lego/types.h>
#include <net/netdev.h>

#define UDP_HLEN		8
/*
 * Largest payload in one unfragmented datagram on a 1500-byte MTU: the
 * limit of the wire protocols that must cross any Ethernet link (the UDP
 * benchmark, handshakes).  What one device can send is udp_max_payload().
 */
#define UDP_MAX_PAYLOAD		(ETH_DATA_LEN - 20 - UDP_HLEN)
#define UDP_EPHEMERAL_FIRST	49152	/* RFC 6335 dynamic ports */

struct udphdr {
	__be16 source;
	__be16 dest;
	__be16 len;		/* header and payload */
	u16 check;		/* 0: none (RFC 768) */
} __packed;
_Static_assert(sizeof(struct udphdr) == UDP_HLEN, "udphdr");

struct udp_endpoint;
typedef void (*udp_rx_t)(struct udp_endpoint *ep, struct pktbuf *pkt,
			 __be32 saddr, u16 sport);

struct udp_endpoint {
	/* Set by udp_bind(), constant until udp_unbind(). */
	u16 port;
	udp_rx_t rx;
	void *priv;			/* the owner's, untouched by UDP */

	/* Set by the owner after udp_bind(), before traffic. */
	bool tx_csum;			/* checksum what we send (default on) */
	struct netdev *dev;		/* NULL: ip_route() picks it */

	/* UDP's own. */
	struct hlist_node node;		/* in the port table, under its lock */
	int users;			/* rx callbacks running (atomic) */
};

/*
 * Own @port (0: a free ephemeral port) and receive its datagrams in @rx.
 * Returns the endpoint or ERR_PTR(-EADDRINUSE, -EINVAL, -ENOMEM).
 */
struct udp_endpoint *udp_bind(u16 port, udp_rx_t rx, void *priv);
/*
 * Release the port; waits for running callbacks, so never call it from
 * the endpoint's own rx callback.
 */
void udp_unbind(struct udp_endpoint *ep);

/* Largest payload one datagram can carry out of @dev: its MTU - 28. */
static inline u32 udp_max_payload(const struct netdev *dev)
{
	return dev->mtu - 20 - UDP_HLEN;
}

/*
 * Copy @len bytes (at most udp_max_payload() of the device the datagram
 * leaves by) into a new datagram to @daddr:@dport and send it.  0 when
 * sent or waiting for ARP; -EMSGSIZE, -ENETUNREACH (no interface on that
 * subnet), -EBUSY (TX ring full), -ENOMEM.
 */
int udp_sendto(struct udp_endpoint *ep, __be32 daddr, u16 dport,
	       const void *data, u32 len);
/*
 * Zero-copy: send the payload at pkt->data (pkt->len bytes) with the
 * headers pushed into its headroom (NET_HEADROOM is enough).  Always
 * consumes @pkt, whatever it returns; errors as udp_sendto().
 */
int udp_send_pkt(struct udp_endpoint *ep, struct pktbuf *pkt, __be32 daddr,
		 u16 dport);

/*
 * The echo service (`net.echo_port=N`, 0 = off): sends every datagram
 * back to where it came from, zero-copy.  Started at boot; returns its
 * endpoint (udp_unbind() stops it) or an ERR_PTR.
 */
struct udp_endpoint *udp_echo_start(u16 port);

#endif /* _NET_UDP_H */
