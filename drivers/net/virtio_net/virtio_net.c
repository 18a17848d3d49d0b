// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net (OASIS VIRTIO 1.0, 5.1) over the modern PCI transport: one
 * receive and one transmit queue, no offloads, no control queue.
 *
 * Features: VIRTIO_F_VERSION_1 (required), VIRTIO_NET_F_MAC,
 * VIRTIO_NET_F_STATUS and VIRTIO_NET_F_MTU when offered; nothing else, so
 * every buffer starts with a 12-byte all-zero header.  The MTU is 1500,
 * or with F_MTU `net.mtu=` capped at the device's config.mtu (jumbo
 * frames: QEMU's host_mtu=).
 *
 * Receive: every RX descriptor holds one pktbuf with room for the header
 * and a whole frame of the device's MTU plus a VLAN tag: 1530 bytes, or
 * up to 9030 with host_mtu=9000 (no mergeable buffers: one buffer, one
 * frame).  poll() takes finished buffers off the used ring,
 * hands them up with netdev_rx() after the lock is dropped, and puts a
 * fresh buffer in each slot; when none can be had the frame is dropped
 * and its buffer goes straight back (rx_dropped_nobuf), so the ring never
 * empties.
 * Transmit: a two-descriptor chain per frame, a shared read-only zero
 * header then the frame where it lies; the TX queue has no interrupt,
 * finished frames are reclaimed by poll() and by xmit() when the ring is
 * full.
 * Interrupts: MSI-X entry 0 for configuration changes (link), entry 1 for
 * the RX queue; INTx through the IOAPIC (ISR register) when the device
 * has no usable MSI-X.
 *
 * Tested on QEMU 7.2 `-device virtio-net-pci` (transitional 1af4:1000;
 * and disable-legacy=on, 1af4:1041) with a socket mcast backend, machines
 * pc and q35; jumbo frames with `host_mtu=9000` and `net.mtu=9000`.
 */
#define pr_fmt(fmt) "virtio-net " fmt

#include <lego/err.h>
#include <lego/errno.h>
#include <lego/irq.h>
#include <lego/kernel.h>
#include <lego/list.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <asm/page.h>

#include "../internal.h"
#include "internal.h"

#define VNET_MSIX_CONFIG	0	/* MSI-X table entries */
#define VNET_MSIX_RX		1
#define VNET_MSIX_NR		2

/* ---- buffers ------------------------------------------------------------ */

static int vnet_post_rx(struct vnet *vn, struct pktbuf *pkt)
{
	struct vq_seg seg = {
		.addr = __pa(pkt->data),
		.len = vn->rx_buf_len,
		.device_writes = true,
	};

	return vq_add(&vn->rxq, &seg, 1, pkt);
}

/* Give a buffer whose frame we drop back to the device as it was. */
static void vnet_repost_rx(struct vnet *vn, struct pktbuf *pkt)
{
	pkt->data = pkt->head + VNET_RX_HEADROOM;
	pkt->len = 0;
	vnet_post_rx(vn, pkt);	/* its slot was just freed: cannot fail */
}

static struct pktbuf *vnet_alloc_rx(struct vnet *vn, gfp_t gfp)
{
	return pktbuf_alloc(VNET_RX_HEADROOM, vn->rx_buf_len,
			    gfp | __GFP_NOWARN);
}

/* Fill every free RX slot; called with rx_lock held. */
static unsigned int vnet_fill_rx(struct vnet *vn, gfp_t gfp)
{
	unsigned int n = 0;
	struct pktbuf *pkt;

	while (vn->rxq.num_free) {
		pkt = vnet_alloc_rx(vn, gfp);
		if (!pkt)
			break;
		vnet_post_rx(vn, pkt);
		n++;
	}
	return n;
}

/* Move finished TX frames to @done; called with tx_lock held. */
static void vnet_reclaim_tx(struct vnet *vn, struct list_head *done)
{
	struct pktbuf *pkt;
	u32 len;

	while ((pkt = vq_get_buf(&vn->txq, &len)))
		list_add_tail(&pkt->list, done);
}

static void vnet_free_list(struct list_head *list)
{
	struct pktbuf *pkt, *n;

	list_for_each_entry_safe(pkt, n, list, list) {
		list_del(&pkt->list);
		pktbuf_free(pkt);
	}
}

/* ---- netdev_ops --------------------------------------------------------- */

static void vnet_irq_enable(struct netdev *dev, bool enable)
{
	struct vnet *vn = dev->priv;

	if (!enable)
		vq_disable_cb(&vn->rxq);
	else if (vq_enable_cb(&vn->rxq))
		netdev_rx_irq(dev);	/* frames came while it was off */
}

static int vnet_open(struct netdev *dev)
{
	struct vnet *vn = dev->priv;
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&vn->rx_lock, flags);
	n = vnet_fill_rx(vn, GFP_KERNEL);
	if (n)
		vq_kick(&vn->rxq);
	spin_unlock_irqrestore(&vn->rx_lock, flags);
	if (!n) {
		pr_err("%s: no memory for receive buffers\n", dev->name);
		return -ENOMEM;
	}
	if (vn->rxq.num_free)
		pr_warn("%s: only %u of %u receive buffers\n", dev->name, n,
			vn->rxq.num);
	vnet_irq_enable(dev, dev->rx_mode == NETDEV_RX_IRQ);
	return 0;
}

static int vnet_xmit(struct netdev *dev, struct pktbuf *pkt)
{
	struct vnet *vn = dev->priv;
	struct vq_seg segs[2] = {
		{ .addr = __pa(vn->tx_hdr), .len = VIRTIO_NET_HDR_LEN },
		{ .addr = __pa(pkt->data), .len = pkt->len },
	};
	unsigned long flags;
	LIST_HEAD(done);
	int ret;

	if (pkt->len < ETH_HLEN || pkt->len > ETH_HLEN + VLAN_HLEN + dev->mtu)
		return -EMSGSIZE;	/* the core counts it in tx_errors */
	spin_lock_irqsave(&vn->tx_lock, flags);
	if (vn->txq.num_free < ARRAY_SIZE(segs))
		vnet_reclaim_tx(vn, &done);
	ret = vq_add(&vn->txq, segs, ARRAY_SIZE(segs), pkt);
	if (!ret)
		vq_kick(&vn->txq);
	spin_unlock_irqrestore(&vn->tx_lock, flags);
	vnet_free_list(&done);
	return ret ? -EBUSY : 0;
}

/*
 * One used RX buffer: on the @up list if it holds a frame and a fresh
 * buffer took its slot, else back on the ring.  Called with rx_lock held.
 */
static void vnet_rx_one(struct vnet *vn, struct pktbuf *pkt, u32 len,
			struct list_head *up)
{
	struct netdev *dev = vn->dev;
	struct pktbuf *fresh;

	if (len < VIRTIO_NET_HDR_LEN + ETH_HLEN || len > vn->rx_buf_len) {
		NIC_STAT_INC(dev, rx_errors);
		pr_warn_ratelimited("%s: device returned a %u-byte buffer\n",
				    dev->name, len);
		vnet_repost_rx(vn, pkt);
		return;
	}
	fresh = vnet_alloc_rx(vn, GFP_ATOMIC);
	if (!fresh) {
		NIC_STAT_INC(dev, rx_dropped_nobuf);
		vnet_repost_rx(vn, pkt);
		return;
	}
	vnet_post_rx(vn, fresh);
	pkt->len = len;
	pktbuf_pull(pkt, VIRTIO_NET_HDR_LEN);
	pkt->dev = dev;
	list_add_tail(&pkt->list, up);
}

static int vnet_poll(struct netdev *dev, int budget)
{
	struct vnet *vn = dev->priv;
	struct pktbuf *pkt, *n;
	unsigned long flags;
	LIST_HEAD(done);
	LIST_HEAD(up);
	int seen = 0, handed = 0;
	u32 len;

	spin_lock_irqsave(&vn->tx_lock, flags);
	vnet_reclaim_tx(vn, &done);
	spin_unlock_irqrestore(&vn->tx_lock, flags);
	vnet_free_list(&done);

	spin_lock_irqsave(&vn->rx_lock, flags);
	while (seen < budget && (pkt = vq_get_buf(&vn->rxq, &len))) {
		vnet_rx_one(vn, pkt, len, &up);
		seen++;
	}
	if (seen)
		vq_kick(&vn->rxq);
	spin_unlock_irqrestore(&vn->rx_lock, flags);

	list_for_each_entry_safe(pkt, n, &up, list) {
		list_del(&pkt->list);
		netdev_rx(dev, pkt);
		handed++;
	}
	return handed;
}

static void vnet_update_link(struct netdev *dev)
{
	struct vnet *vn = dev->priv;
	u16 status;

	if (!(vn->features & (1ULL << VIRTIO_NET_F_STATUS))) {
		dev->link_up = true;	/* 5.1.4.2: assume the link is up */
		return;
	}
	status = vp_config_readw(&vn->vp, VIRTIO_NET_CFG_STATUS);
	dev->link_up = status & VIRTIO_NET_S_LINK_UP;
}

static const struct netdev_ops vnet_ops = {
	.open = vnet_open,
	.xmit = vnet_xmit,
	.poll = vnet_poll,
	.irq_enable = vnet_irq_enable,
	.update_link = vnet_update_link,
};

/* ---- interrupts --------------------------------------------------------- */

static void vnet_rx_work(struct vnet *vn)
{
	vn->rx_irqs++;
	vq_disable_cb(&vn->rxq);
	netdev_rx_irq(vn->dev);
}

static void vnet_config_changed(struct vnet *vn)
{
	struct netdev *dev = vn->dev;
	bool was = dev->link_up;

	vn->config_irqs++;
	if (vp_get_status(&vn->vp) & VIRTIO_STATUS_NEEDS_RESET)
		pr_err_ratelimited("%s: device needs a reset; not supported\n",
				   dev->name);
	vnet_update_link(dev);
	if (dev->link_up != was)
		pr_info_ratelimited("%s: link %s\n", dev->name,
				    dev->link_up ? "up" : "down");
}

static void vnet_rx_interrupt(unsigned int vector, void *data)
{
	vnet_rx_work(data);
}

static void vnet_config_interrupt(unsigned int vector, void *data)
{
	vnet_config_changed(data);
}

/* 4.1.4.5.1: reading the ISR de-asserts INTx and tells what happened. */
static void vnet_intx_interrupt(unsigned int vector, void *data)
{
	struct vnet *vn = data;
	u8 isr = vp_read_isr(&vn->vp);

	if (isr & VIRTIO_ISR_QUEUE)
		vnet_rx_work(vn);
	if (isr & VIRTIO_ISR_CONFIG)
		vnet_config_changed(vn);
}

static void vnet_free_irqs(struct vnet *vn)
{
	pci_disable_msix(vn->pdev);
	if (vn->vec_config >= 0)
		irq_free_vector(vn->vec_config);
	if (vn->vec_rx >= 0)
		irq_free_vector(vn->vec_rx);
	vn->vec_config = vn->vec_rx = -1;
}

static int vnet_setup_msix(struct vnet *vn)
{
	unsigned int vectors[VNET_MSIX_NR];
	int ret;

	if (pci_msix_vec_count(vn->pdev) < VNET_MSIX_NR)
		return -ENODEV;
	vn->vec_config = irq_alloc_vector(vnet_config_interrupt, vn,
					  "virtio-net config");
	vn->vec_rx = irq_alloc_vector(vnet_rx_interrupt, vn, "virtio-net rx");
	if (vn->vec_config < 0 || vn->vec_rx < 0) {
		ret = -ENOSPC;
		goto out_free;
	}
	vectors[VNET_MSIX_CONFIG] = vn->vec_config;
	vectors[VNET_MSIX_RX] = vn->vec_rx;
	ret = pci_enable_msix(vn->pdev, vectors, VNET_MSIX_NR, 0);
	if (ret)
		goto out_free;
	ret = vp_set_config_vector(&vn->vp, VNET_MSIX_CONFIG);
	if (ret)
		goto out_free;
	vn->irq_mode = VNET_IRQ_MSIX;
	return 0;

out_free:
	vnet_free_irqs(vn);
	return ret;
}

static int vnet_setup_irq(struct vnet *vn)
{
	int ret = vnet_setup_msix(vn);

	if (!ret)
		return 0;
	pr_info("%s: no MSI-X (%d), using INTx\n", pci_name(vn->pdev), ret);
	ret = nic_request_intx(vn->pdev, vnet_intx_interrupt, vn,
			       "virtio-net", &vn->gsi);
	if (ret < 0)
		return ret;
	vn->vec_rx = ret;
	vn->irq_mode = VNET_IRQ_INTX;
	pci_intx(vn->pdev, true);
	return 0;
}

/* ---- probe -------------------------------------------------------------- */

/* 5.1.4: the MAC, read until config_generation is stable (2.3.1). */
static void vnet_read_mac(struct vnet *vn, u8 *mac)
{
	unsigned int i;
	u8 gen;

	do {
		gen = vp_config_generation(&vn->vp);
		for (i = 0; i < ETH_ALEN; i++)
			mac[i] = vp_config_readb(&vn->vp,
						 VIRTIO_NET_CFG_MAC + i);
	} while (gen != vp_config_generation(&vn->vp));
}

/*
 * 5.1.4.2: with VIRTIO_NET_F_MTU negotiated the device sends no packet
 * over config.mtu, and the driver must have buffers for one of that size.
 * So F_MTU is taken when config.mtu is one our buffers can hold, and the
 * buffers are sized for it; otherwise (not offered, or out of range) the
 * device's MTU is Ethernet's.  Read when offered, before FEATURES_OK, as
 * Linux's virtnet_validate() does.
 */
static bool vnet_want_mtu(struct vnet *vn, u64 offered)
{
	u16 mtu;

	vn->hw_mtu = ETH_DATA_LEN;
	if (!(offered & (1ULL << VIRTIO_NET_F_MTU)))
		return false;
	mtu = vp_config_readw(&vn->vp, VIRTIO_NET_CFG_MTU);
	if (mtu < NETDEV_MIN_MTU || mtu > VNET_MAX_MTU) {
		pr_warn("%s: config.mtu %u is outside %u..%u; not using VIRTIO_NET_F_MTU\n",
			pci_name(vn->pdev), mtu, NETDEV_MIN_MTU, VNET_MAX_MTU);
		return false;
	}
	vn->hw_mtu = mtu;
	return true;
}

/* 3.1.1 steps 1-6. */
static int vnet_negotiate(struct vnet *vn)
{
	u64 offered, wanted = 1ULL << VIRTIO_F_VERSION_1;
	int ret = vp_reset(&vn->vp);

	if (ret)
		return ret;
	vp_add_status(&vn->vp, VIRTIO_STATUS_ACKNOWLEDGE);
	vp_add_status(&vn->vp, VIRTIO_STATUS_DRIVER);
	offered = vp_get_features(&vn->vp);
	if (!(offered & wanted)) {
		pr_err("%s: device does not offer VIRTIO_F_VERSION_1\n",
		       pci_name(vn->pdev));
		return -ENODEV;
	}
	wanted |= offered & ((1ULL << VIRTIO_NET_F_MAC) |
			     (1ULL << VIRTIO_NET_F_STATUS));
	if (vnet_want_mtu(vn, offered))
		wanted |= 1ULL << VIRTIO_NET_F_MTU;
	ret = vp_set_features(&vn->vp, wanted);
	if (ret)
		return ret;
	vn->features = wanted;
	return 0;
}

/*
 * dev->mtu: net.mtu= capped at the device's; the receive buffers hold a
 * frame of the device's MTU whatever ours (5.1.4.2), at least a 1500-byte
 * one (5.1.6.3.1: 1526 bytes without F_MTU).
 */
static void vnet_setup_mtu(struct vnet *vn, struct netdev *dev)
{
	const char *name = pci_name(vn->pdev);
	u32 wanted = netdev_mtu_wanted();

	dev->mtu = netdev_mtu_for(vn->hw_mtu);
	vn->rx_buf_len = VNET_RX_OVERHEAD + max_t(u32, vn->hw_mtu,
						  ETH_DATA_LEN);
	if (dev->mtu == wanted)
		return;
	if (vn->features & (1ULL << VIRTIO_NET_F_MTU))
		pr_warn("%s: net.mtu=%u is more than the device's %u (config.mtu); MTU %u\n",
			name, wanted, vn->hw_mtu, dev->mtu);
	else
		pr_warn("%s: net.mtu=%u needs VIRTIO_NET_F_MTU, not negotiated (QEMU: host_mtu=); MTU %u\n",
			name, wanted, dev->mtu);
}

static int vnet_setup_queues(struct vnet *vn)
{
	u16 rx_entry = vn->irq_mode == VNET_IRQ_MSIX ? VNET_MSIX_RX :
						       VIRTIO_MSI_NO_VECTOR;
	int ret;

	if (vp_num_queues(&vn->vp) < 2) {
		pr_err("%s: device has fewer than 2 queues\n",
		       pci_name(vn->pdev));
		return -ENODEV;
	}
	ret = vp_setup_queue(&vn->vp, &vn->rxq, VIRTIO_NET_RXQ,
			     VNET_QUEUE_SIZE, rx_entry);
	if (ret)
		return ret;
	ret = vp_setup_queue(&vn->vp, &vn->txq, VIRTIO_NET_TXQ,
			     VNET_QUEUE_SIZE, VIRTIO_MSI_NO_VECTOR);
	if (ret) {
		vq_free(&vn->rxq);
		return ret;
	}
	vq_disable_cb(&vn->txq);	/* TX is reclaimed by polling */
	vq_disable_cb(&vn->rxq);	/* until open() */
	return 0;
}

/* After a reset: the buffers still on the rings, then the rings. */
static void vnet_free_queues(struct vnet *vn)
{
	struct virtqueue *queues[] = { &vn->rxq, &vn->txq };
	struct pktbuf *pkt;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(queues); i++) {
		while ((pkt = vq_detach_unused(queues[i])))
			pktbuf_free(pkt);
		vq_free(queues[i]);
	}
}

static void vnet_describe_irq(const struct vnet *vn, char *buf, size_t len)
{
	if (vn->irq_mode == VNET_IRQ_MSIX)
		snprintf(buf, len, "MSI-X (vectors %d, %d)", vn->vec_config,
			 vn->vec_rx);
	else
		snprintf(buf, len, "INTx (GSI %u)", vn->gsi);
}

static int vnet_init_device(struct vnet *vn, struct netdev *dev)
{
	int ret = vnet_negotiate(vn);

	if (ret)
		return ret;
	vnet_setup_mtu(vn, dev);
	ret = vnet_setup_irq(vn);
	if (ret)
		return ret;
	ret = vnet_setup_queues(vn);
	if (ret)
		goto out_free_irqs;
	if (vn->features & (1ULL << VIRTIO_NET_F_MAC)) {
		vnet_read_mac(vn, dev->mac);
	} else {
		pr_err("%s: device has no MAC address (no VIRTIO_NET_F_MAC); give it one with mac=\n",
		       pci_name(vn->pdev));
		ret = -ENODEV;
		goto out_free_queues;
	}
	vp_add_status(&vn->vp, VIRTIO_STATUS_DRIVER_OK);
	vnet_update_link(dev);
	return 0;

out_free_queues:
	vp_reset(&vn->vp);
	vnet_free_queues(vn);
out_free_irqs:
	vnet_free_irqs(vn);
	return ret;
}

static int vnet_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct netdev *dev;
	struct vnet *vn;
	char irq[48];
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	dev = netdev_alloc(sizeof(*vn));
	if (!dev)
		return -ENOMEM;
	vn = dev->priv;
	vn->dev = dev;
	vn->pdev = pdev;
	vn->vec_config = vn->vec_rx = -1;
	spin_lock_init(&vn->rx_lock);
	spin_lock_init(&vn->tx_lock);
	vn->tx_hdr = kzalloc(sizeof(struct virtio_net_hdr), GFP_KERNEL);
	if (!vn->tx_hdr) {
		ret = -ENOMEM;
		goto out_free_dev;
	}
	ret = vp_map_caps(&vn->vp, pdev);
	if (ret)
		goto out_free_hdr;
	ret = vnet_init_device(vn, dev);
	if (ret)
		goto out_unmap;

	dev->ops = &vnet_ops;
	dev->driver = "virtio-net";
	ret = netdev_register(dev);
	if (ret)
		goto out_reset;
	pdev->driver_data = vn;
	vnet_describe_irq(vn, irq, sizeof(irq));
	pr_info("%s: %pM, link %s, %s, MTU %u\n", pci_name(pdev), dev->mac,
		dev->link_up ? "up" : "down", irq, dev->mtu);
	return 0;

out_reset:
	vp_reset(&vn->vp);
	vnet_free_queues(vn);
	vnet_free_irqs(vn);
out_unmap:
	vp_unmap(&vn->vp);
out_free_hdr:
	kfree(vn->tx_hdr);
out_free_dev:
	netdev_free(dev);
	pci_clear_master(pdev);
	return ret;
}

static const struct pci_device_id vnet_ids[] = {
	{ PCI_DEVICE(VIRTIO_PCI_VENDOR, VIRTIO_PCI_MODERN_BASE + VIRTIO_ID_NET) },
	/* transitional: used through its modern capabilities only */
	{ PCI_DEVICE(VIRTIO_PCI_VENDOR, VIRTIO_PCI_LEGACY_FIRST) },
	{ }
};

DEFINE_PCI_DRIVER(vnet_driver) = {
	.name = "virtio-net",
	.id_table = vnet_ids,
	.probe = vnet_probe,
};
