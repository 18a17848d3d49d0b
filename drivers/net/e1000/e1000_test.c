// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite "e1000": on a machine with an 82540EM or 82545EM (skipped
 * otherwise), the MAC is the one QEMU was given (ktest.nic_mac=), the
 * link is up, the registers hold what initialization wrote, a
 * broadcast frame we send comes back through the mcast hub to the core's
 * own-frame filter, having raised an interrupt, so does one of the whole
 * MTU with `net.mtu=` (RCTL.LPE), and bursts wrap both rings, in
 * interrupt mode and from a busy poller.
 *
 *	scripts/mkiso processor "ktest=e1000 ktest.nic_mac=52:54:00:00:00:01" n.iso
 *	qemu-system-x86_64 ... -device e1000,netdev=n0,mac=52:54:00:00:00:01,romfile= \
 *		-netdev socket,id=n0,mcast=230.0.0.1:PORT,localaddr=127.0.0.1
 */
#include <lego/ktest.h>

#include "../internal.h"
#include "internal.h"

static struct netdev *e1000_test_dev(struct ktest *t)
{
	struct netdev *dev = nic_test_find("e1000");

	if (!dev)
		ktest_skip(t, "no e1000 device");
	return dev;
}

static void mac_matches_param(struct ktest *t)
{
	struct netdev *dev = e1000_test_dev(t);

	if (dev)
		nic_test_mac(t, dev);
}

static void link_is_up(struct ktest *t)
{
	struct netdev *dev = e1000_test_dev(t);

	if (dev)
		nic_test_link(t, dev);
}

/* The receive address filter holds our MAC; RX and TX are on. */
static void registers_programmed(struct ktest *t)
{
	struct netdev *dev = e1000_test_dev(t);
	struct e1000 *e;
	u32 ral, rah, rctl;

	if (!dev)
		return;
	e = dev->priv;
	ral = e1000_read(e, E1000_RAL(0));
	rah = e1000_read(e, E1000_RAH(0));
	KTEST_EXPECT_EQ(t, ral, dev->mac[0] | dev->mac[1] << 8 |
			dev->mac[2] << 16 | (u32)dev->mac[3] << 24);
	KTEST_EXPECT_EQ(t, rah, dev->mac[4] | dev->mac[5] << 8 | E1000_RAH_AV);
	KTEST_EXPECT_TRUE(t, e1000_read(e, E1000_RCTL) & E1000_RCTL_EN);
	KTEST_EXPECT_TRUE(t, e1000_read(e, E1000_TCTL) & E1000_TCTL_EN);
	KTEST_EXPECT_EQ(t, e1000_read(e, E1000_RDLEN), E1000_RING_SIZE * 16);
	rctl = e1000_read(e, E1000_RCTL);
	KTEST_EXPECT_EQ(t, rctl & (E1000_RCTL_LPE | E1000_RCTL_BSIZE_MASK),
			e->rctl_size);
	KTEST_EXPECT_EQ(t, !!(rctl & E1000_RCTL_LPE), dev->mtu > ETH_DATA_LEN);
	KTEST_EXPECT_GE(t, e->rx_room, ETH_HLEN + VLAN_HLEN + dev->mtu);
	ktest_log(t, "device %04x, %s, %llu interrupts so far, MTU %u, RCTL %#x, %u-byte RX buffers",
		  e->pdev->device, e->irq_mode == E1000_IRQ_MSI ? "MSI" : "INTx",
		  (unsigned long long)e->irqs, dev->mtu, rctl, e->rx_room);
}

static void broadcast_loops_back(struct ktest *t)
{
	struct netdev *dev = e1000_test_dev(t);
	struct e1000 *e;
	u64 irqs;

	if (!dev)
		return;
	e = dev->priv;
	irqs = e->rx_irqs;
	nic_test_loopback(t, dev);
	if (dev->rx_mode == NETDEV_RX_IRQ)
		KTEST_EXPECT_GT(t, e->rx_irqs, irqs);
}

static void jumbo_frame_loops_back(struct ktest *t)
{
	struct netdev *dev = e1000_test_dev(t);

	if (dev)
		nic_test_jumbo(t, dev);
}

static void burst_wraps_rings(struct ktest *t)
{
	struct netdev *dev = e1000_test_dev(t);

	if (dev)
		nic_test_burst(t, dev);
}

static void tx_ring_floods(struct ktest *t)
{
	struct netdev *dev = e1000_test_dev(t);

	if (dev)
		nic_test_tx_flood(t, dev);
}

static void busy_poll_mode(struct ktest *t)
{
	struct netdev *dev = e1000_test_dev(t);

	if (dev)
		nic_test_poll_mode(t, dev);
}

static const struct ktest_case e1000_cases[] = {
	KTEST_CASE(mac_matches_param),
	KTEST_CASE(link_is_up),
	KTEST_CASE(registers_programmed),
	KTEST_CASE(broadcast_loops_back),
	KTEST_CASE(jumbo_frame_loops_back),
	KTEST_CASE(burst_wraps_rings),
	KTEST_CASE(tx_ring_floods),
	KTEST_CASE(busy_poll_mode),
	{}
};
KTEST_SUITE(e1000, e1000_cases);
