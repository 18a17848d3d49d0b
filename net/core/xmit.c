// SPDX-License-Identifier: GPL-2.0
/*
 * The bottom of the transmit path, and its test-only fault injection.
 *
 * netdev_xmit() pads short frames to the Ethernet minimum and hands them
 * to the driver.  Nothing sleeps; the frame is never copied.
 *
 * TEST ONLY: `net.test_loss=P`, `net.test_dup=P` and `net.test_reorder=P`
 * (per mille, default 0 = off) make the transmit path lose, duplicate or
 * hold back (until the next frame, so that the two swap places) P in 1000
 * frames at random, to show that the layers above (soft-RoCE, FIT) survive
 * a bad link.  `net.test_seed=N` makes the choices repeatable.  Every
 * injected fault is counted in the device's tx_*_test counters.  When all
 * three are 0 the cost is one predicted branch.
 */
#define pr_fmt(fmt) "net: " fmt

#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/params.h>
#include <lego/string.h>
#include <lego/time.h>
#include <net/ethernet.h>
#include <net/netdev_driver.h>

#include "../internal.h"

unsigned int net_test_loss;
unsigned int net_test_dup;
unsigned int net_test_reorder;
u64 net_test_seed;
lego_param_uint("net.test_loss", net_test_loss,
		"TEST ONLY: drop this many of every 1000 transmitted frames");
lego_param_uint("net.test_dup", net_test_dup,
		"TEST ONLY: send this many of every 1000 frames twice");
lego_param_uint("net.test_reorder", net_test_reorder,
		"TEST ONLY: swap this many of every 1000 frames with the next");
lego_param_u64("net.test_seed", net_test_seed,
	       "TEST ONLY: seed of the fault injection (0: from the clock)");

static u64 fault_rng;

/* xorshift64*; races between CPUs only make it more random. */
static u32 fault_roll(void)
{
	u64 x = READ_ONCE(fault_rng);

	if (!x)
		x = net_test_seed ? net_test_seed : ktime_get_ns() | 1;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	WRITE_ONCE(fault_rng, x);
	return (u32)((x * 0x2545f4914f6cdd1dULL) >> 32) % 1000;
}

static int netdev_xmit_one(struct netdev *dev, struct pktbuf *pkt)
{
	u32 len = pkt->len;
	int ret = dev->ops->xmit(dev, pkt);

	if (likely(!ret)) {
		NETDEV_INC(dev, tx_packets);
		NETDEV_ADD(dev, tx_bytes, len);
	} else if (ret == -EBUSY) {
		NETDEV_INC(dev, tx_busy);
	} else {
		NETDEV_INC(dev, tx_errors);
	}
	return ret;
}

/* Send, or free and count a frame nobody is waiting for. */
static void netdev_xmit_or_free(struct netdev *dev, struct pktbuf *pkt)
{
	if (netdev_xmit_one(dev, pkt))
		pktbuf_free(pkt);
}

void netdev_flush_held(struct netdev *dev)
{
	struct pktbuf *held;

	if (!READ_ONCE(dev->tx_held))
		return;
	held = __atomic_exchange_n(&dev->tx_held, NULL, __ATOMIC_ACQ_REL);
	if (held)
		netdev_xmit_or_free(dev, held);
}

/* Returns 1 when the fault consumed the frame, else 0. */
static int netdev_inject_faults(struct netdev *dev, struct pktbuf *pkt)
{
	struct pktbuf *copy, *none = NULL;

	if (net_test_loss && fault_roll() < net_test_loss) {
		NETDEV_INC(dev, tx_dropped_test);
		pktbuf_free(pkt);
		return 1;
	}
	if (net_test_dup && fault_roll() < net_test_dup) {
		copy = pktbuf_copy(pkt, GFP_ATOMIC | __GFP_NOWARN);
		if (copy) {
			NETDEV_INC(dev, tx_dup_test);
			netdev_xmit_or_free(dev, copy);
		}
	}
	if (net_test_reorder && fault_roll() < net_test_reorder &&
	    __atomic_compare_exchange_n(&dev->tx_held, &none, pkt, false,
					__ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
		NETDEV_INC(dev, tx_reorder_test);
		return 1;
	}
	return 0;
}

/*
 * A runt without the tailroom to pad it in place goes out as a padded
 * copy (rare: every buffer the stack allocates has room).  @pkt stays the
 * caller's if this fails, and is freed if it succeeds.
 */
static int netdev_xmit_padded_copy(struct netdev *dev, struct pktbuf *pkt)
{
	struct pktbuf *copy = pktbuf_alloc(0, ETH_ZLEN, GFP_ATOMIC | __GFP_NOWARN);
	int ret;

	if (!copy) {
		NETDEV_INC(dev, tx_errors);
		return -ENOMEM;
	}
	memcpy(pktbuf_put(copy, pkt->len), pkt->data, pkt->len);
	memset(pktbuf_put(copy, ETH_ZLEN - pkt->len), 0, ETH_ZLEN - pkt->len);
	ret = netdev_xmit(dev, copy);
	if (ret) {
		pktbuf_free(copy);
		return ret;
	}
	pktbuf_free(pkt);
	return 0;
}

int netdev_xmit(struct netdev *dev, struct pktbuf *pkt)
{
	int ret;

	if (unlikely(!dev->up)) {
		NETDEV_INC(dev, tx_errors);
		return -ENETDOWN;
	}
	if (unlikely(pkt->len < ETH_HLEN || pkt->len > dev->mtu + ETH_HLEN)) {
		NETDEV_INC(dev, tx_errors);
		return -EMSGSIZE;
	}
	/* Pad runts (IEEE 802.3 4.2.3.3): not every NIC does. */
	if (unlikely(pkt->len < ETH_ZLEN)) {
		u32 pad = ETH_ZLEN - pkt->len;

		if (pktbuf_tailroom(pkt) < pad)
			return netdev_xmit_padded_copy(dev, pkt);
		memset(pktbuf_put(pkt, pad), 0, pad);
	}
	pkt->dev = dev;
	if (unlikely(net_test_loss | net_test_dup | net_test_reorder) &&
	    netdev_inject_faults(dev, pkt))
		return 0;
	ret = netdev_xmit_one(dev, pkt);
	if (unlikely(READ_ONCE(dev->tx_held)))
		netdev_flush_held(dev);
	return ret;
}
