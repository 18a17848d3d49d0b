// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite "virtio_net": on a machine with a virtio-net-pci device
 * (skipped otherwise), the MAC is the one QEMU was given (ktest.nic_mac=),
 * the link is up, a broadcast frame we send comes back through the mcast
 * hub to the core's own-frame filter, having raised an interrupt, so does
 * one of the whole MTU with `net.mtu=` and `host_mtu=` (VIRTIO_NET_F_MTU),
 * and bursts wrap both rings, in interrupt mode and from a busy poller.
 *
 *	scripts/mkiso processor "ktest=virtio_net ktest.nic_mac=52:54:00:00:00:01" n.iso
 *	qemu-system-x86_64 ... -device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:01,romfile= \
 *		-netdev socket,id=n0,mcast=230.0.0.1:PORT,localaddr=127.0.0.1
 */
#include <lego/ktest.h>
#include <lego/string.h>

#include "../internal.h"
#include "internal.h"

static struct netdev *vnet_test_dev(struct ktest *t)
{
	struct netdev *dev = nic_test_find("virtio-net");

	if (!dev)
		ktest_skip(t, "no virtio-net device");
	return dev;
}

static void mac_matches_param(struct ktest *t)
{
	struct netdev *dev = vnet_test_dev(t);

	if (dev)
		nic_test_mac(t, dev);
}

static void link_is_up(struct ktest *t)
{
	struct netdev *dev = vnet_test_dev(t);

	if (dev)
		nic_test_link(t, dev);
}

static void features_negotiated(struct ktest *t)
{
	struct netdev *dev = vnet_test_dev(t);
	struct vnet *vn;

	if (!dev)
		return;
	vn = dev->priv;
	KTEST_EXPECT_TRUE(t, vn->features & (1ULL << VIRTIO_F_VERSION_1));
	KTEST_EXPECT_TRUE(t, vn->features & (1ULL << VIRTIO_NET_F_MAC));
	KTEST_EXPECT_TRUE(t, vp_get_status(&vn->vp) &
			     VIRTIO_STATUS_DRIVER_OK);
	KTEST_EXPECT_FALSE(t, vp_get_status(&vn->vp) &
			      (VIRTIO_STATUS_FAILED |
			       VIRTIO_STATUS_NEEDS_RESET));
	ktest_log(t, "features %#llx, queues %u/%u, %s, MTU %u (device %u), %u-byte RX buffers",
		  (unsigned long long)vn->features, vn->rxq.num, vn->txq.num,
		  vn->irq_mode == VNET_IRQ_MSIX ? "MSI-X" : "INTx", dev->mtu,
		  vn->hw_mtu, vn->rx_buf_len);
	KTEST_EXPECT_LE(t, dev->mtu, vn->hw_mtu);
	KTEST_EXPECT_GE(t, vn->rx_buf_len,
			VNET_RX_OVERHEAD + max_t(u32, vn->hw_mtu, ETH_DATA_LEN));
}

static void broadcast_loops_back(struct ktest *t)
{
	struct netdev *dev = vnet_test_dev(t);
	struct vnet *vn;
	u64 irqs;

	if (!dev)
		return;
	vn = dev->priv;
	irqs = vn->rx_irqs;
	nic_test_loopback(t, dev);
	if (dev->rx_mode == NETDEV_RX_IRQ)
		KTEST_EXPECT_GT(t, vn->rx_irqs, irqs);
}

static void jumbo_frame_loops_back(struct ktest *t)
{
	struct netdev *dev = vnet_test_dev(t);

	if (dev)
		nic_test_jumbo(t, dev);
}

static void burst_wraps_rings(struct ktest *t)
{
	struct netdev *dev = vnet_test_dev(t);

	if (dev)
		nic_test_burst(t, dev);
}

static void tx_ring_floods(struct ktest *t)
{
	struct netdev *dev = vnet_test_dev(t);

	if (dev)
		nic_test_tx_flood(t, dev);
}

static void busy_poll_mode(struct ktest *t)
{
	struct netdev *dev = vnet_test_dev(t);

	if (dev)
		nic_test_poll_mode(t, dev);
}

static const struct ktest_case virtio_net_cases[] = {
	KTEST_CASE(mac_matches_param),
	KTEST_CASE(link_is_up),
	KTEST_CASE(features_negotiated),
	KTEST_CASE(broadcast_loops_back),
	KTEST_CASE(jumbo_frame_loops_back),
	KTEST_CASE(burst_wraps_rings),
	KTEST_CASE(tx_ring_floods),
	KTEST_CASE(busy_poll_mode),
	{}
};
KTEST_SUITE(virtio_net, virtio_net_cases);
