/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to drivers/net/virtio_net: the modern PCI transport, the split
 * virtqueue and the network driver's state, grouped by defining file.
 */
#ifndef _DRIVERS_NET_VIRTIO_NET_INTERNAL_H
#define _DRIVERS_NET_VIRTIO_NET_INTERNAL_H

#include <lego/pci.h>
#include <lego/spinlock.h>
#include <lego/types.h>
#include <net/netdev_driver.h>

#include "virtio_regs.h"
#include "virtio_net_regs.h"

/* ---- virtio_pci.c: the modern PCI transport (spec 4.1) ---------------- */

struct virtio_pci {
	struct pci_dev *pdev;
	void *common;			/* struct virtio_pci_common_cfg */
	void *isr;			/* one byte, read to clear */
	void *device;			/* device-specific configuration */
	u32 device_len;
	void *notify;			/* notification area */
	u32 notify_len;
	u32 notify_mult;		/* notify_off_multiplier */
};

int vp_map_caps(struct virtio_pci *vp, struct pci_dev *pdev);
void vp_unmap(struct virtio_pci *vp);
int vp_reset(struct virtio_pci *vp);
u8 vp_get_status(struct virtio_pci *vp);
void vp_add_status(struct virtio_pci *vp, u8 bits);
u64 vp_get_features(struct virtio_pci *vp);
int vp_set_features(struct virtio_pci *vp, u64 features);
u8 vp_read_isr(struct virtio_pci *vp);
u16 vp_num_queues(struct virtio_pci *vp);
int vp_set_config_vector(struct virtio_pci *vp, u16 msix_entry);
/*
 * Device configuration at the natural width of each field (4.1.3.1); a
 * multi-field read is consistent when vp_config_generation() is the same
 * before and after it (2.3.1).  Offsets past the structure read as 0.
 */
u8 vp_config_generation(struct virtio_pci *vp);
u8 vp_config_readb(struct virtio_pci *vp, unsigned int off);
u16 vp_config_readw(struct virtio_pci *vp, unsigned int off);

struct virtqueue;
int vp_setup_queue(struct virtio_pci *vp, struct virtqueue *vq, u16 index,
		   u16 max_size, u16 msix_entry);

/* ---- virtqueue.c: one split virtqueue (spec 2.4) ----------------------- */

struct vq_seg {
	phys_addr_t addr;
	u32 len;
	bool device_writes;
};

/*
 * The caller serialises every call on one queue (the driver's RX or TX
 * lock); only vq_disable_cb() may also run from the interrupt handler.
 */
struct virtqueue {
	u16 index;			/* queue number on the device */
	u16 num;			/* entries, a power of two */
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	unsigned long ring_mem;		/* direct-map address of the pages */
	unsigned int ring_order;
	void **tokens;			/* per chain head: the caller's cookie */
	void *notify;			/* where to write @index */

	u16 free_head;			/* free descriptors, linked by .next */
	u16 num_free;
	u16 avail_idx;			/* our copy of avail->idx */
	u16 last_used;			/* next used->ring entry to look at */
};

int vq_alloc(struct virtqueue *vq, u16 index, u16 num);
void vq_free(struct virtqueue *vq);
phys_addr_t vq_desc_addr(const struct virtqueue *vq);
phys_addr_t vq_avail_addr(const struct virtqueue *vq);
phys_addr_t vq_used_addr(const struct virtqueue *vq);
int vq_add(struct virtqueue *vq, const struct vq_seg *segs, unsigned int n,
	   void *token);
void vq_kick(struct virtqueue *vq);
void *vq_get_buf(struct virtqueue *vq, u32 *len);
/* The token of a chain never handed to the device (teardown). */
void *vq_detach_unused(struct virtqueue *vq);
bool vq_has_used(const struct virtqueue *vq);
void vq_disable_cb(struct virtqueue *vq);
/* Re-enable interrupts; true when used buffers are already waiting. */
bool vq_enable_cb(struct virtqueue *vq);

/* ---- virtio_net.c: the network device (spec 5.1) ----------------------- */

#define VNET_QUEUE_SIZE		256	/* at most; the device may offer less */
#define VNET_RX_HEADROOM	NET_HEADROOM
/* What a receive buffer holds besides the frame's IPv4 datagram. */
#define VNET_RX_OVERHEAD	(VIRTIO_NET_HDR_LEN + ETH_HLEN + VLAN_HLEN)
/* The largest device MTU one receive buffer (one pktbuf) can hold. */
#define VNET_MAX_MTU		(PKTBUF_MAX_SIZE - VNET_RX_HEADROOM - \
				 VNET_RX_OVERHEAD)

enum vnet_irq_mode {
	VNET_IRQ_MSIX,			/* entry 0: config, entry 1: RX */
	VNET_IRQ_INTX,			/* one level interrupt, ISR says why */
};

struct vnet {
	struct netdev *dev;
	struct pci_dev *pdev;
	struct virtio_pci vp;
	u64 features;			/* negotiated */
	void *tx_hdr;			/* one zeroed header all TX chains share */
	u32 hw_mtu;			/* config.mtu with F_MTU, else 1500 */
	u32 rx_buf_len;			/* header + a hw_mtu frame (5.1.6.3.1) */

	enum vnet_irq_mode irq_mode;
	int vec_config;			/* CPU vectors; -1 when not allocated */
	int vec_rx;
	unsigned int gsi;		/* VNET_IRQ_INTX */
	u64 rx_irqs;			/* interrupts that found RX work */
	u64 config_irqs;

	spinlock_t rx_lock;		/* protects rxq */
	struct virtqueue rxq;

	spinlock_t tx_lock;		/* protects txq */
	struct virtqueue txq;
};

#endif /* _DRIVERS_NET_VIRTIO_NET_INTERNAL_H */
