// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio 1.0 modern PCI transport (OASIS VIRTIO 1.0, 4.1): find the
 * vendor capabilities that locate the common configuration, notification,
 * ISR and device configuration structures, map each with
 * pci_iomap_range(), and drive the status, feature and queue registers.
 *
 * Legacy (virtio 0.9.5, I/O-port) devices are not supported: a device
 * without the common configuration capability is refused by the caller.
 * Tested on QEMU 7.2 virtio-net-pci (transitional 1af4:1000, and
 * disable-legacy=on 1af4:1041), machines pc and q35.
 */
#define pr_fmt(fmt) "virtio-pci " fmt

#include <lego/err.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/time.h>
#include <asm/io.h>

#include "internal.h"

#define VP_RESET_TIMEOUT_US	1000000

struct vp_cap {
	u8 bar;
	u32 offset;
	u32 length;
	u8 pos;			/* in configuration space; 0: not found */
};

static void vp_read_cap(struct pci_dev *pdev, u8 pos, struct vp_cap *cap)
{
	pci_read_config_byte(pdev, pos + VIRTIO_PCI_CAP_BAR, &cap->bar);
	pci_read_config_dword(pdev, pos + VIRTIO_PCI_CAP_OFFSET, &cap->offset);
	pci_read_config_dword(pdev, pos + VIRTIO_PCI_CAP_LENGTH, &cap->length);
	cap->pos = pos;
}

/*
 * 4.1.4: the driver uses the first capability of each type it can use;
 * ours must point into a memory BAR (an I/O BAR is allowed by the spec).
 */
static void vp_find_caps(struct pci_dev *pdev, struct vp_cap caps[6])
{
	u8 pos, len, type;
	struct vp_cap cap;

	for (pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR); pos;
	     pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR)) {
		pci_read_config_byte(pdev, pos + VIRTIO_PCI_CAP_CAP_LEN, &len);
		pci_read_config_byte(pdev, pos + VIRTIO_PCI_CAP_CFG_TYPE,
				     &type);
		if (len < VIRTIO_PCI_CAP_SIZE || type < VIRTIO_PCI_CAP_COMMON_CFG ||
		    type > VIRTIO_PCI_CAP_DEVICE_CFG || caps[type].pos)
			continue;
		vp_read_cap(pdev, pos, &cap);
		if (cap.bar >= PCI_STD_NUM_BARS ||
		    !(pci_resource_flags(pdev, cap.bar) & PCI_BAR_MEM))
			continue;
		caps[type] = cap;
	}
}

static void *vp_map_one(struct pci_dev *pdev, const struct vp_cap *cap,
			u32 minlen, const char *what)
{
	void *p;

	if (!cap->pos) {
		pr_err("%s: no %s capability\n", pci_name(pdev), what);
		return ERR_PTR(-ENODEV);
	}
	if (cap->length < minlen) {
		pr_err("%s: %s structure is %u bytes, need %u\n",
		       pci_name(pdev), what, cap->length, minlen);
		return ERR_PTR(-EINVAL);
	}
	p = pci_iomap_range(pdev, cap->bar, cap->offset, cap->length);
	if (IS_ERR(p))
		pr_err("%s: cannot map %s (BAR%u + %#x, %u bytes): %ld\n",
		       pci_name(pdev), what, cap->bar, cap->offset,
		       cap->length, PTR_ERR(p));
	return p;
}

int vp_map_caps(struct virtio_pci *vp, struct pci_dev *pdev)
{
	struct vp_cap caps[6] = { };
	u8 npos;

	vp->pdev = pdev;
	vp_find_caps(pdev, caps);
	if (!caps[VIRTIO_PCI_CAP_COMMON_CFG].pos) {
		pr_err("%s: legacy-only device (no virtio 1.0 capabilities): not supported\n",
		       pci_name(pdev));
		return -ENODEV;
	}
	vp->common = vp_map_one(pdev, &caps[VIRTIO_PCI_CAP_COMMON_CFG],
				VIRTIO_COMMON_LEN, "common configuration");
	if (IS_ERR(vp->common))
		goto out_unmap;
	vp->isr = vp_map_one(pdev, &caps[VIRTIO_PCI_CAP_ISR_CFG], 1, "ISR");
	if (IS_ERR(vp->isr))
		goto out_unmap;
	vp->notify = vp_map_one(pdev, &caps[VIRTIO_PCI_CAP_NOTIFY_CFG], 2,
				"notification");
	if (IS_ERR(vp->notify))
		goto out_unmap;
	vp->notify_len = caps[VIRTIO_PCI_CAP_NOTIFY_CFG].length;
	npos = caps[VIRTIO_PCI_CAP_NOTIFY_CFG].pos;
	pci_read_config_dword(pdev, npos + VIRTIO_PCI_NOTIFY_CAP_MULT,
			      &vp->notify_mult);
	/* Optional: a device may have no configuration fields at all. */
	if (caps[VIRTIO_PCI_CAP_DEVICE_CFG].pos) {
		vp->device = vp_map_one(pdev, &caps[VIRTIO_PCI_CAP_DEVICE_CFG],
					1, "device configuration");
		if (IS_ERR(vp->device))
			goto out_unmap;
		vp->device_len = caps[VIRTIO_PCI_CAP_DEVICE_CFG].length;
	}
	return 0;

out_unmap:
	vp_unmap(vp);
	return -ENODEV;
}

void vp_unmap(struct virtio_pci *vp)
{
	void **maps[] = { &vp->common, &vp->isr, &vp->notify, &vp->device };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		pci_iounmap(vp->pdev, *maps[i]);
		*maps[i] = NULL;
	}
	vp->device_len = 0;
	vp->notify_len = 0;
}

/* 4.1.4.3.2: after writing 0, wait for device_status to read back 0. */
int vp_reset(struct virtio_pci *vp)
{
	unsigned int us;

	writeb(0, vp->common + VIRTIO_COMMON_STATUS);
	for (us = 0; us < VP_RESET_TIMEOUT_US; us += 10) {
		if (!readb(vp->common + VIRTIO_COMMON_STATUS))
			return 0;
		udelay(10);
	}
	pr_err("%s: device did not complete its reset\n",
	       pci_name(vp->pdev));
	return -ETIMEDOUT;
}

u8 vp_get_status(struct virtio_pci *vp)
{
	return readb(vp->common + VIRTIO_COMMON_STATUS);
}

void vp_add_status(struct virtio_pci *vp, u8 bits)
{
	writeb(vp_get_status(vp) | bits, vp->common + VIRTIO_COMMON_STATUS);
}

u64 vp_get_features(struct virtio_pci *vp)
{
	u64 f;

	writel(0, vp->common + VIRTIO_COMMON_DFSELECT);
	f = readl(vp->common + VIRTIO_COMMON_DF);
	writel(1, vp->common + VIRTIO_COMMON_DFSELECT);
	return f | (u64)readl(vp->common + VIRTIO_COMMON_DF) << 32;
}

/* 3.1.1 steps 5-6: write our subset, set FEATURES_OK, check it stuck. */
int vp_set_features(struct virtio_pci *vp, u64 features)
{
	writel(0, vp->common + VIRTIO_COMMON_GFSELECT);
	writel((u32)features, vp->common + VIRTIO_COMMON_GF);
	writel(1, vp->common + VIRTIO_COMMON_GFSELECT);
	writel((u32)(features >> 32), vp->common + VIRTIO_COMMON_GF);
	vp_add_status(vp, VIRTIO_STATUS_FEATURES_OK);
	if (!(vp_get_status(vp) & VIRTIO_STATUS_FEATURES_OK)) {
		pr_err("%s: device refused features %#llx\n",
		       pci_name(vp->pdev), (unsigned long long)features);
		return -EIO;
	}
	return 0;
}

u8 vp_read_isr(struct virtio_pci *vp)
{
	return readb(vp->isr);
}

u16 vp_num_queues(struct virtio_pci *vp)
{
	return readw(vp->common + VIRTIO_COMMON_NUMQ);
}

/* 4.1.5.1.2: the device answers NO_VECTOR when it cannot use the entry. */
int vp_set_config_vector(struct virtio_pci *vp, u16 msix_entry)
{
	writew(msix_entry, vp->common + VIRTIO_COMMON_MSIX);
	if (readw(vp->common + VIRTIO_COMMON_MSIX) != msix_entry)
		return -EBUSY;
	return 0;
}

u8 vp_config_generation(struct virtio_pci *vp)
{
	return readb(vp->common + VIRTIO_COMMON_CFGGENERATION);
}

u8 vp_config_readb(struct virtio_pci *vp, unsigned int off)
{
	if (!vp->device || off + 1 > vp->device_len)
		return 0;
	return readb(vp->device + off);
}

u16 vp_config_readw(struct virtio_pci *vp, unsigned int off)
{
	if (!vp->device || off + 2 > vp->device_len)
		return 0;
	return readw(vp->device + off);
}

static void vp_write64(struct virtio_pci *vp, unsigned int lo, u64 v)
{
	/* 4.1.3.1: the two halves of a 64-bit field may be written apart. */
	writel((u32)v, vp->common + lo);
	writel((u32)(v >> 32), vp->common + lo + 4);
}

/* The largest power of two not above @n (n > 0). */
static u16 rounddown_pow2_u16(u16 n)
{
	u16 p = 1;

	while (p <= n / 2)
		p <<= 1;
	return p;
}

/* 4.1.5.1.3 Virtqueue Configuration, for queue @index. */
int vp_setup_queue(struct virtio_pci *vp, struct virtqueue *vq, u16 index,
		   u16 max_size, u16 msix_entry)
{
	u16 size, noff;
	u64 off;
	int ret;

	writew(index, vp->common + VIRTIO_COMMON_Q_SELECT);
	size = readw(vp->common + VIRTIO_COMMON_Q_SIZE);
	if (!size || readw(vp->common + VIRTIO_COMMON_Q_ENABLE))
		return -ENOENT;
	size = rounddown_pow2_u16(min(size, max_size));
	noff = readw(vp->common + VIRTIO_COMMON_Q_NOFF);
	off = (u64)noff * vp->notify_mult;
	if (off + 2 > vp->notify_len) {
		pr_err("%s: queue %u notifies at %#llx, outside the %u-byte area\n",
		       pci_name(vp->pdev), index, (unsigned long long)off,
		       vp->notify_len);
		return -EINVAL;
	}
	ret = vq_alloc(vq, index, size);
	if (ret)
		return ret;
	vq->notify = vp->notify + off;

	writew(size, vp->common + VIRTIO_COMMON_Q_SIZE);
	writew(msix_entry, vp->common + VIRTIO_COMMON_Q_MSIX);
	if (readw(vp->common + VIRTIO_COMMON_Q_MSIX) != msix_entry) {
		pr_err("%s: queue %u refused MSI-X entry %u\n",
		       pci_name(vp->pdev), index, msix_entry);
		vq_free(vq);
		return -EBUSY;
	}
	vp_write64(vp, VIRTIO_COMMON_Q_DESCLO, vq_desc_addr(vq));
	vp_write64(vp, VIRTIO_COMMON_Q_AVAILLO, vq_avail_addr(vq));
	vp_write64(vp, VIRTIO_COMMON_Q_USEDLO, vq_used_addr(vq));
	writew(1, vp->common + VIRTIO_COMMON_Q_ENABLE);
	return 0;
}
