/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a NIC driver implements and calls.  A driver fills a
 * struct netdev_ops, allocates its netdev with netdev_alloc(), sets the
 * MAC and MTU and calls netdev_register().  Every received frame goes up
 * through netdev_rx(); TX completions go back through pktbuf_free().
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
	/* required: enable or disable the device's RX interrupt */
	void (*irq_enable)(struct netdev *dev, bool enable);
	/* optional: refresh dev->link_up from the hardware */
	void (*update_link)(struct netdev *dev);
};

struct netdev *netdev_alloc(size_t priv_size);
int netdev_register(struct netdev *dev);

/* From the driver's poll: one received frame, now the stack's. */
void netdev_rx(struct netdev *dev, struct pktbuf *pkt);
/* From the driver's interrupt handler: RX work is pending. */
void netdev_rx_irq(struct netdev *dev);

#endif /* _NET_NETDEV_DRIVER_H */
