// SPDX-License-Identifier: GPL-2.0
/*
 * The bottom of the receive path: every frame a driver hands up enters
 * the stack here, is checked against our MAC and goes to the protocol
 * registered for its EtherType (IPv4, ARP).  Runs in the context that
 * polled the driver (the device's rx thread or a busy poller), one frame
 * at a time per device.
 */
#define pr_fmt(fmt) "net: " fmt

#include <lego/errno.h>
#include <lego/kernel.h>
#include <net/ethernet.h>
#include <net/netdev_driver.h>

#include "../internal.h"

const u8 eth_broadcast_addr[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct eth_handler {
	u16 ethertype;
	netdev_rx_handler_t fn;
};

/*
 * Written at boot only, before any device is open; a slot is published
 * by storing fn after ethertype, and read without a lock.
 */
static struct eth_handler eth_handlers[ETH_MAX_HANDLERS];

int eth_register_handler(u16 ethertype, netdev_rx_handler_t fn)
{
	unsigned int i;

	if (!fn || ethertype < ETH_P_802_3_MIN)
		return -EINVAL;
	for (i = 0; i < ETH_MAX_HANDLERS; i++) {
		if (eth_handlers[i].fn && eth_handlers[i].ethertype == ethertype)
			return -EEXIST;
	}
	for (i = 0; i < ETH_MAX_HANDLERS; i++) {
		if (!eth_handlers[i].fn) {
			eth_handlers[i].ethertype = ethertype;
			__atomic_store_n(&eth_handlers[i].fn, fn, __ATOMIC_RELEASE);
			return 0;
		}
	}
	return -ENOSPC;
}

void eth_reset_handlers(void)
{
	memset(eth_handlers, 0, sizeof(eth_handlers));
}

static netdev_rx_handler_t eth_find_handler(u16 ethertype)
{
	netdev_rx_handler_t fn;
	unsigned int i;

	for (i = 0; i < ETH_MAX_HANDLERS; i++) {
		fn = __atomic_load_n(&eth_handlers[i].fn, __ATOMIC_ACQUIRE);
		if (!fn)
			break;
		if (eth_handlers[i].ethertype == ethertype)
			return fn;
	}
	return NULL;
}

int eth_push_header(struct netdev *dev, struct pktbuf *pkt, const u8 *dst,
		    u16 ethertype)
{
	struct ethhdr *eth = pktbuf_push(pkt, ETH_HLEN);

	if (!eth)
		return -ENOSPC;
	memcpy(eth->h_dest, dst, ETH_ALEN);
	memcpy(eth->h_source, dev->mac, ETH_ALEN);
	eth->h_proto = htons(ethertype);
	return 0;
}

/*
 * Is the frame for us?  The QEMU mcast hub (and a hub or a NIC in
 * promiscuous mode) delivers everyone's unicast too; we join no
 * multicast group.
 */
static bool eth_accept_dest(const struct netdev *dev, const u8 *dst)
{
	return ether_addr_equal(dst, dev->mac) || is_broadcast_ether_addr(dst);
}

void netdev_rx(struct netdev *dev, struct pktbuf *pkt)
{
	netdev_rx_handler_t fn;
	struct ethhdr *eth;

	dev->stats.rx_packets++;
	dev->stats.rx_bytes += pkt->len;
	pkt->dev = dev;
	eth = pktbuf_pull(pkt, ETH_HLEN);
	if (unlikely(!eth)) {
		dev->stats.rx_errors++;
		goto drop;
	}
	/* The hub loops our own frames back (qemu-harness-notes 2). */
	if (unlikely(ether_addr_equal(eth->h_source, dev->mac))) {
		dev->stats.rx_dropped_own++;
		goto drop;
	}
	if (unlikely(!eth_accept_dest(dev, eth->h_dest))) {
		dev->stats.rx_dropped_filter++;
		goto drop;
	}
	fn = eth_find_handler(ntohs(eth->h_proto));
	if (unlikely(!fn)) {
		dev->stats.rx_dropped_proto++;
		goto drop;
	}
	fn(dev, pkt);
	return;
drop:
	pktbuf_free(pkt);
}
