/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtio 1.0 over PCI, modern transport only, and the split virtqueue
 * layout: what the OASIS "Virtual I/O Device (VIRTIO) Version 1.0"
 * specification (cs04) says.  Section numbers are that document's; every
 * multi-byte field is little-endian, which x86 is.
 */
#ifndef _DRIVERS_NET_VIRTIO_REGS_H
#define _DRIVERS_NET_VIRTIO_REGS_H

#include <lego/compiler.h>
#include <lego/types.h>

/* 4.1.2 PCI Device Discovery */
#define VIRTIO_PCI_VENDOR		0x1af4
#define VIRTIO_PCI_MODERN_BASE		0x1040	/* + virtio device id */
#define VIRTIO_PCI_LEGACY_FIRST		0x1000	/* transitional devices */
#define VIRTIO_PCI_LEGACY_LAST		0x103f

/* 5 Device Types */
#define VIRTIO_ID_NET			1

/* 2.1 Device Status Field */
#define VIRTIO_STATUS_ACKNOWLEDGE	0x01
#define VIRTIO_STATUS_DRIVER		0x02
#define VIRTIO_STATUS_DRIVER_OK		0x04
#define VIRTIO_STATUS_FEATURES_OK	0x08
#define VIRTIO_STATUS_NEEDS_RESET	0x40
#define VIRTIO_STATUS_FAILED		0x80

/* 6 Reserved Feature Bits (device-independent) */
#define VIRTIO_F_RING_INDIRECT_DESC	28
#define VIRTIO_F_RING_EVENT_IDX		29
#define VIRTIO_F_VERSION_1		32

/*
 * 4.1.4 Virtio Structure PCI Capabilities: vendor-specific capabilities
 * (PCI_CAP_ID_VNDR) locating each structure in a BAR.
 */
#define VIRTIO_PCI_CAP_CAP_LEN		2	/* u8, this capability's size */
#define VIRTIO_PCI_CAP_CFG_TYPE		3	/* u8 */
#define VIRTIO_PCI_CAP_BAR		4	/* u8 */
#define VIRTIO_PCI_CAP_OFFSET		8	/* le32, within the BAR */
#define VIRTIO_PCI_CAP_LENGTH		12	/* le32 */
#define VIRTIO_PCI_CAP_SIZE		16	/* sizeof(struct virtio_pci_cap) */
/* 4.1.4.4: struct virtio_pci_notify_cap appends this */
#define VIRTIO_PCI_NOTIFY_CAP_MULT	16	/* le32 notify_off_multiplier */

/* cfg_type values */
#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4
#define VIRTIO_PCI_CAP_PCI_CFG		5

/* 4.1.4.3 Common configuration structure layout (struct virtio_pci_common_cfg) */
#define VIRTIO_COMMON_DFSELECT		0x00	/* le32 device_feature_select */
#define VIRTIO_COMMON_DF		0x04	/* le32 device_feature (RO) */
#define VIRTIO_COMMON_GFSELECT		0x08	/* le32 driver_feature_select */
#define VIRTIO_COMMON_GF		0x0c	/* le32 driver_feature */
#define VIRTIO_COMMON_MSIX		0x10	/* le16 msix_config */
#define VIRTIO_COMMON_NUMQ		0x12	/* le16 num_queues (RO) */
#define VIRTIO_COMMON_STATUS		0x14	/* u8 device_status */
#define VIRTIO_COMMON_CFGGENERATION	0x15	/* u8 config_generation (RO) */
#define VIRTIO_COMMON_Q_SELECT		0x16	/* le16 queue_select */
#define VIRTIO_COMMON_Q_SIZE		0x18	/* le16 queue_size */
#define VIRTIO_COMMON_Q_MSIX		0x1a	/* le16 queue_msix_vector */
#define VIRTIO_COMMON_Q_ENABLE		0x1c	/* le16 queue_enable */
#define VIRTIO_COMMON_Q_NOFF		0x1e	/* le16 queue_notify_off (RO) */
#define VIRTIO_COMMON_Q_DESCLO		0x20	/* le64 queue_desc */
#define VIRTIO_COMMON_Q_DESCHI		0x24
#define VIRTIO_COMMON_Q_AVAILLO		0x28	/* le64 queue_avail (driver area) */
#define VIRTIO_COMMON_Q_AVAILHI		0x2c
#define VIRTIO_COMMON_Q_USEDLO		0x30	/* le64 queue_used (device area) */
#define VIRTIO_COMMON_Q_USEDHI		0x34
#define VIRTIO_COMMON_LEN		0x38

/* 4.1.4.3: msix_config / queue_msix_vector value for "no vector" */
#define VIRTIO_MSI_NO_VECTOR		0xffff

/* 4.1.4.5 ISR status: reading clears it and de-asserts INTx */
#define VIRTIO_ISR_QUEUE		0x01
#define VIRTIO_ISR_CONFIG		0x02

/* 2.4 Virtqueues: the queue size is a power of 2, at most 32768 */
#define VIRTQ_MAX_SIZE			32768

/* 2.4.5 The Virtqueue Descriptor Table (16-byte aligned) */
#define VIRTQ_DESC_F_NEXT		1	/* chain continues in .next */
#define VIRTQ_DESC_F_WRITE		2	/* device writes (else reads) */
#define VIRTQ_DESC_F_INDIRECT		4

struct virtq_desc {
	u64 addr;		/* guest-physical */
	u32 len;
	u16 flags;
	u16 next;
};

/* 2.4.6 The Virtqueue Available Ring (2-byte aligned) */
#define VIRTQ_AVAIL_F_NO_INTERRUPT	1

struct virtq_avail {
	u16 flags;
	u16 idx;		/* where the driver puts the next entry */
	u16 ring[];		/* queue size entries, then le16 used_event */
};

/* 2.4.8 The Virtqueue Used Ring (4-byte aligned) */
#define VIRTQ_USED_F_NO_NOTIFY		1

struct virtq_used_elem {
	u32 id;			/* head of the used descriptor chain */
	u32 len;		/* bytes the device wrote into it */
};

struct virtq_used {
	u16 flags;
	u16 idx;
	struct virtq_used_elem ring[];	/* then le16 avail_event */
};

BUILD_BUG_ON(sizeof(struct virtq_desc) != 16);
BUILD_BUG_ON(sizeof(struct virtq_avail) != 4);
BUILD_BUG_ON(sizeof(struct virtq_used_elem) != 8);
BUILD_BUG_ON(sizeof(struct virtq_used) != 4);

#endif /* _DRIVERS_NET_VIRTIO_REGS_H */
