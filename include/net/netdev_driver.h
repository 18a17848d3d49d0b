/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a NIC driver implements and calls.  A driver fills a
 * struct netdev_ops, allocates its netdev with netdev_alloc(), sets the
 * MAC and the MTU (netdev_mtu_for()) and calls netdev_register().  Every
 * received frame goes up through netdev_rx(); TX completions go back
 * through pktbuf_free().
 *
 * Concurrency: the core never runs ops->poll() twice at once on a device,
 * but ops->xmit() may be called from any CPU at any time (also while
 * poll() runs, and from poll() itself: a reply sent from netdev_rx()), so
 * the driver serialises its TX ring.  netdev_rx() must be called with no
 * driver lock held.
 */
#ifndef _NET_NETDEV_DRIVER_H
#define _NET_NETDEV_DRIVER_H

#include <net/netdev.h>

struct netdev_ops {
	/* required: bring the device up (rings filled, RX enabled) */
	int (*open)(struct netdev *dev);
	/*
	 * required: put one frame on the TX ring, never sleeping; return 0
	 * (the driver owns @pkt until it frees it after completion) or
	 * -EBUSY when the ring is full (the caller keeps @pkt).
	 */
	int (*xmit)(struct netdev *dev, struct pktbuf *pkt);
	/*
	 * required: reclaim finished TX buffers and hand up to @budget
	 * received frames to netdev_rx(); returns the number handed up.
	 */
	int (*poll)(struct netdev *dev, int budget);
	/*
	 * required: enable or disable the device's RX interrupt.  Enabling
	 * must not lose frames that arrived while it was off: the driver
	 * either gets an interrupt for them or calls netdev_rx_irq() itself.
	 */
	void (*irq_enable)(struct netdev *dev, bool enable);
	/* optional: refresh dev->link_up from the hardware */
	void (*update_link)(struct netdev *dev);
};

/*
 * A zeroed netdev with @priv_size bytes of driver state at dev->priv
 * (64-byte aligned), or NULL.  netdev_free() undoes it before (or
 * instead of) a successful netdev_register().
 */
struct netdev *netdev_alloc(size_t priv_size);
void netdev_free(struct netdev *dev);
/*
 * Name the device (eth0, eth1, ... in registration order), start its rx
 * thread in NETDEV_RX_IRQ mode and open it.  0 or a negative errno (the
 * device is then not registered and the caller frees it).
 */
int netdev_register(struct netdev *dev);

/*
 * The MTU range `net.mtu=` accepts: RFC 791's minimum datagram to the usual
 * jumbo frame.  Every frame of that MTU fits one pktbuf (net/core/dev.c
 * asserts it).
 */
#define NETDEV_MIN_MTU		68
#define NETDEV_MAX_MTU		9000
/*
 * At probe: the MTU a driver gives its device, dev->mtu.  That is what
 * `net.mtu=` asks for (ETH_DATA_LEN without it), capped at @hw_max, the
 * largest MTU the device and the driver's receive buffers can carry.  The
 * driver sizes its buffers for the result and logs a cap.
 */
u32 netdev_mtu_for(u32 hw_max);
/* What `net.mtu=` asks for: ETH_DATA_LEN without it. */
u32 netdev_mtu_wanted(void);

/*
 * From the driver's poll: one received frame (pkt->data at the Ethernet
 * header, pkt->len its length without the FCS), now the stack's.
 */
void netdev_rx(struct netdev *dev, struct pktbuf *pkt);
/*
 * From the driver's interrupt handler, once it has masked its RX
 * interrupt: RX work is pending.  Wakes the rx thread, which polls and
 * then re-enables the interrupt with ops->irq_enable(dev, true).
 */
void netdev_rx_irq(struct netdev *dev);

#endif /* _NET_NETDEV_DRIVER_H */
