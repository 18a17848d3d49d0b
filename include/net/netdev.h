/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network devices, as the stack and its users see them.
 *
 * A netdev moves Ethernet frames.  Received frames reach the stack either
 * from the device's interrupt (through a per-device kernel thread that
 * polls it) or from a caller that busy-polls with netdev_poll() (the
 * RDMA transport's hot path, pinned to one CPU); a device is in one mode
 * at a time.  Transmission never sleeps: netdev_xmit() queues the frame
 * on the device ring or fails with -EBUSY, and finished buffers are
 * reclaimed (freed, or handed to their destructor) by later polls.
 *
 * Drivers implement include/net/netdev_driver.h.
 */
#ifndef _NET_NETDEV_H
#define _NET_NETDEV_H

#include <lego/spinlock.h>
#include <lego/types.h>
#include <net/pktbuf.h>

#define ETH_ALEN		6
#define ETH_HLEN		14
#define ETH_DATA_LEN		1500
#define ETH_FRAME_LEN		1514
#define VLAN_HLEN		4	/* an 802.1Q tag a NIC may pass up */
#define NETDEV_NAME_LEN		16
/* Headroom every stack-built frame reserves: Ethernet + IPv4 + UDP + BTH... */
#define NET_HEADROOM		128
/* Frames one ops->poll() call may hand up before the rx thread yields. */
#define NETDEV_RX_BUDGET	64

/*
 * Counters; netdev_print_status() prints them.  The core counts every
 * frame that reaches netdev_rx() or netdev_xmit() (rx_packets/bytes,
 * rx_dropped_own/filter/proto, runt frames in rx_errors, tx_packets/bytes,
 * tx_busy, tx_errors for refused frames, the test faults); the driver
 * counts only what the core cannot see: rx_dropped_nobuf and errors that
 * the device reports (rx_errors).
 */
struct netdev_stats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 rx_dropped_own;	/* our own frames looped back by the hub */
	u64 rx_dropped_filter;	/* unicast to another MAC, multicast */
	u64 rx_dropped_nobuf;	/* no buffer to refill the ring */
	u64 rx_dropped_proto;	/* no handler for the EtherType */
	u64 rx_errors;		/* bad length, device-reported errors */
	u64 tx_busy;		/* xmit refused: ring full */
	u64 tx_errors;
	u64 tx_dropped_test;	/* dropped by net.test_loss (tests only) */
	u64 tx_dup_test;	/* sent twice by net.test_dup (tests only) */
	u64 tx_reorder_test;	/* held back by net.test_reorder (tests only) */
};

enum netdev_rx_mode {
	NETDEV_RX_IRQ,		/* interrupt wakes the device's rx thread */
	NETDEV_RX_POLL,		/* a caller busy-polls; interrupts off */
};

struct netdev {
	char name[NETDEV_NAME_LEN];	/* "eth0" */
	u8 mac[ETH_ALEN];
	u32 mtu;			/* IPv4 datagram bytes; the driver's */
	bool link_up;
	const char *driver;		/* "virtio-net", "e1000" */
	const struct netdev_ops *ops;
	void *priv;			/* the driver's state */
	enum netdev_rx_mode rx_mode;
	struct netdev_stats stats;
	struct task_struct *rx_thread;	/* NETDEV_RX_IRQ mode */
	struct list_head list;		/* all netdevs, under netdev_lock */
	int index;
	bool up;			/* opened: netdev_xmit() allowed */

	/* IPv4 (net/ipv4/ip.c); zero while the device has no address. */
	__be32 ip_addr;
	__be32 ip_mask;
	u8 ip_prefix;

	/* The core's; drivers leave these alone. */
	int rx_kick;			/* netdev_rx_irq() since the last poll */
	bool rx_stop;			/* the rx thread exits (failed open) */
	int poll_busy;			/* someone is in ops->poll() */
	spinlock_t mode_lock;		/* rx_mode and the RX interrupt enable */
	struct pktbuf *tx_held;		/* net.test_reorder (tests only) */
};

/* The first registered device, or the one called @name; NULL if none. */
struct netdev *netdev_get(const char *name);
struct netdev *netdev_get_by_index(int index);

/*
 * Queue @pkt (a whole Ethernet frame at pkt->data) for transmission,
 * padded to ETH_ZLEN if shorter.  On success the device owns it; on
 * failure (-EBUSY: ring full, -ENETDOWN, -EMSGSIZE, -ENOMEM) the caller
 * still does.  Never sleeps; callable from any context.
 */
int netdev_xmit(struct netdev *dev, struct pktbuf *pkt);

/*
 * Busy-poll mode: reclaim TX and deliver up to @budget received frames;
 * returns how many were delivered.  One poller runs at a time per device
 * (frames stay in order): a concurrent call returns 0 at once.
 */
int netdev_poll(struct netdev *dev, int budget);
/*
 * NETDEV_RX_POLL masks the RX interrupt and leaves the device to callers
 * of netdev_poll(); NETDEV_RX_IRQ gives it back to the rx thread.
 */
int netdev_set_rx_mode(struct netdev *dev, enum netdev_rx_mode mode);

/*
 * Where received frames go: the Ethernet layer by default.  Called with a
 * frame the handler now owns.
 */
typedef void (*netdev_rx_handler_t)(struct netdev *dev, struct pktbuf *pkt);

/*
 * The one-line status, e.g. "eth0 52:54:00:12:34:56 10.0.0.1/24 link up
 * (virtio-net)", with " mtu 9000" after the link when the MTU is not
 * 1500; returns the length as snprintf() does.
 */
int netdev_format_status(struct netdev *dev, char *buf, size_t len);
/* Log the status line and the device's counters. */
void netdev_print_status(struct netdev *dev);
/* Call @fn on every registered device, in index order. */
void netdev_for_each(void (*fn)(struct netdev *dev, void *arg), void *arg);

#endif /* _NET_NETDEV_H */
