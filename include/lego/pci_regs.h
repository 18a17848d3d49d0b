/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI configuration space: register offsets and bits.
 *
 * Sources:
 *   PCI Local Bus Specification 3.0 (PCI 3.0):
 *	3.2.2.3.2  configuration mechanism #1 (ports 0xCF8/0xCFC)
 *	6.1        the configuration header (types 0 and 1)
 *	6.2.2      Command register, 6.2.3 Status register
 *	6.2.5.1    Base Address Registers
 *	6.7        capabilities list
 *	6.8.1      MSI capability, 6.8.2 MSI-X capability and table
 *   PCI-to-PCI Bridge Architecture Specification 1.2, 3.2: type 1 header.
 *   PCI Express Base Specification 4.0 (PCIe 4.0):
 *	7.2.2      Enhanced Configuration Access Mechanism (ECAM)
 *	7.6.3      extended capability header
 *   PCI Code and ID Assignment Specification: class codes, capability ids.
 */
#ifndef _LEGO_PCI_REGS_H
#define _LEGO_PCI_REGS_H

#include <lego/types.h>

/* Configuration space sizes: 256 bytes conventional, 4 KiB with ECAM. */
#define PCI_CFG_SPACE_SIZE	256
#define PCI_CFG_SPACE_EXP_SIZE	4096

/* PCI 3.0 3.2.2.3.2: configuration mechanism #1 */
#define PCI_CONF1_ADDRESS	0xcf8
#define PCI_CONF1_DATA		0xcfc
#define PCI_CONF1_ENABLE	0x80000000U
#define PCI_CONF1_ADDR(bus, devfn, reg) \
	(PCI_CONF1_ENABLE | ((u32)(bus) << 16) | ((u32)(devfn) << 8) | \
	 ((u32)(reg) & 0xfc))

/* PCIe 4.0 7.2.2: ECAM, 1 MiB per bus, 4 KiB per function */
#define PCI_ECAM_BUS_SHIFT	20
#define PCI_ECAM_DEVFN_SHIFT	12
#define PCI_ECAM_OFFSET(bus, devfn, reg) \
	(((u64)(bus) << PCI_ECAM_BUS_SHIFT) | \
	 ((u64)(devfn) << PCI_ECAM_DEVFN_SHIFT) | (u64)(reg))

/* PCI 3.0 6.1: header common to all types */
#define PCI_VENDOR_ID		0x00	/* 16 bits; 0xffff: no function */
#define PCI_DEVICE_ID		0x02	/* 16 bits */
#define PCI_COMMAND		0x04	/* 16 bits */
#define PCI_STATUS		0x06	/* 16 bits */
#define PCI_CLASS_REVISION	0x08	/* class << 8 | revision */
#define PCI_REVISION_ID		0x08
#define PCI_CLASS_PROG		0x09
#define PCI_CLASS_DEVICE	0x0a	/* base class << 8 | subclass */
#define PCI_CACHE_LINE_SIZE	0x0c
#define PCI_LATENCY_TIMER	0x0d
#define PCI_HEADER_TYPE		0x0e
#define  PCI_HEADER_TYPE_MASK		0x7f
#define  PCI_HEADER_TYPE_NORMAL		0
#define  PCI_HEADER_TYPE_BRIDGE		1
#define  PCI_HEADER_TYPE_CARDBUS	2
#define  PCI_HEADER_TYPE_MFD		0x80	/* multi-function device */
#define PCI_BIST		0x0f

/* PCI 3.0 6.2.2: Command register */
#define  PCI_COMMAND_IO			0x0001	/* I/O space decoding */
#define  PCI_COMMAND_MEMORY		0x0002	/* memory space decoding */
#define  PCI_COMMAND_MASTER		0x0004	/* bus mastering (DMA) */
#define  PCI_COMMAND_SPECIAL		0x0008
#define  PCI_COMMAND_INVALIDATE		0x0010
#define  PCI_COMMAND_VGA_PALETTE	0x0020
#define  PCI_COMMAND_PARITY		0x0040
#define  PCI_COMMAND_SERR		0x0100
#define  PCI_COMMAND_FAST_BACK		0x0200
#define  PCI_COMMAND_INTX_DISABLE	0x0400

/* PCI 3.0 6.2.3: Status register */
#define  PCI_STATUS_INTERRUPT		0x0008
#define  PCI_STATUS_CAP_LIST		0x0010	/* capabilities list at 0x34 */
#define  PCI_STATUS_66MHZ		0x0020

/* PCI 3.0 6.2.5.1: Base Address Registers */
#define PCI_BASE_ADDRESS_0	0x10
#define PCI_BASE_ADDRESS_1	0x14
#define PCI_BASE_ADDRESS_2	0x18
#define PCI_BASE_ADDRESS_3	0x1c
#define PCI_BASE_ADDRESS_4	0x20
#define PCI_BASE_ADDRESS_5	0x24
#define  PCI_BASE_ADDRESS_SPACE_IO	0x01	/* bit 0: 1 = I/O space */
#define  PCI_BASE_ADDRESS_MEM_TYPE_MASK	0x06
#define  PCI_BASE_ADDRESS_MEM_TYPE_32	0x00	/* anywhere in 32-bit space */
#define  PCI_BASE_ADDRESS_MEM_TYPE_1M	0x02	/* below 1 MiB (PCI 2.x) */
#define  PCI_BASE_ADDRESS_MEM_TYPE_64	0x04	/* 64-bit: takes 2 BARs */
#define  PCI_BASE_ADDRESS_MEM_PREFETCH	0x08
#define  PCI_BASE_ADDRESS_MEM_MASK	(~0x0fU)
#define  PCI_BASE_ADDRESS_IO_MASK	(~0x03U)

/* Type 0 (normal device) header */
#define PCI_CARDBUS_CIS		0x28
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_ROM_ADDRESS		0x30
#define PCI_CAPABILITY_LIST	0x34	/* 8 bits, low 2 bits reserved */
#define PCI_INTERRUPT_LINE	0x3c	/* what firmware routed; 0xff: none */
#define PCI_INTERRUPT_PIN	0x3d	/* 0: none, 1-4: INTA#-INTD# */
#define PCI_MIN_GNT		0x3e
#define PCI_MAX_LAT		0x3f

/* PCI-to-PCI Bridge 1.2 3.2: type 1 header */
#define PCI_PRIMARY_BUS		0x18
#define PCI_SECONDARY_BUS	0x19
#define PCI_SUBORDINATE_BUS	0x1a
#define PCI_SEC_LATENCY_TIMER	0x1b
#define PCI_IO_BASE		0x1c
#define PCI_IO_LIMIT		0x1d
#define PCI_SEC_STATUS		0x1e
#define PCI_MEMORY_BASE		0x20
#define PCI_MEMORY_LIMIT	0x22
#define PCI_PREF_MEMORY_BASE	0x24
#define PCI_PREF_MEMORY_LIMIT	0x26
#define PCI_ROM_ADDRESS1	0x38
#define PCI_BRIDGE_CONTROL	0x3e

/* Type 2 (CardBus bridge) header: only what enumeration needs */
#define PCI_CB_CAPABILITY_LIST	0x14

/* Number of BARs per header type */
#define PCI_STD_NUM_BARS	6
#define PCI_BRIDGE_NUM_BARS	2
#define PCI_CARDBUS_NUM_BARS	1

/* The standard header ends here; capabilities live above it. */
#define PCI_STD_HEADER_SIZEOF	0x40

/* Class codes: base class << 8 | subclass (PCI Code and ID Assignment) */
#define PCI_CLASS_NOT_DEFINED		0x0000
#define PCI_CLASS_STORAGE_IDE		0x0101
#define PCI_CLASS_NETWORK_ETHERNET	0x0200
#define PCI_CLASS_NETWORK_INFINIBAND	0x0207
#define PCI_CLASS_DISPLAY_VGA		0x0300
#define PCI_CLASS_BRIDGE_HOST		0x0600
#define PCI_CLASS_BRIDGE_ISA		0x0601
#define PCI_CLASS_BRIDGE_PCI		0x0604
#define PCI_BASE_CLASS_BRIDGE		0x06

/* PCI 3.0 6.7: capability header, and ids (PCI Code and ID Assignment) */
#define PCI_CAP_LIST_ID		0	/* capability id */
#define PCI_CAP_LIST_NEXT	1	/* next pointer */
#define PCI_CAP_ID_PM		0x01	/* power management */
#define PCI_CAP_ID_AGP		0x02
#define PCI_CAP_ID_VPD		0x03
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_VNDR		0x09	/* vendor specific (virtio uses it) */
#define PCI_CAP_ID_EXP		0x10	/* PCI Express */
#define PCI_CAP_ID_MSIX		0x11
#define PCI_CAP_ID_SATA		0x12
#define PCI_CAP_ID_AF		0x13
#define PCI_CAP_ID_MAX		PCI_CAP_ID_AF
/* 48 capabilities of 4 bytes fill the 192 bytes above the header. */
#define PCI_FIND_CAP_TTL	48

/* PCI 3.0 6.8.1: MSI capability */
#define PCI_MSI_FLAGS		0x02	/* 16-bit Message Control */
#define  PCI_MSI_FLAGS_ENABLE		0x0001
#define  PCI_MSI_FLAGS_QMASK		0x000e	/* multiple message capable */
#define  PCI_MSI_FLAGS_QSIZE		0x0070	/* multiple message enable */
#define  PCI_MSI_FLAGS_64BIT		0x0080
#define  PCI_MSI_FLAGS_MASKBIT		0x0100	/* per-vector masking */
#define PCI_MSI_ADDRESS_LO	0x04
#define PCI_MSI_ADDRESS_HI	0x08	/* 64-bit capable only */
#define PCI_MSI_DATA_32		0x08
#define PCI_MSI_MASK_32		0x0c
#define PCI_MSI_PENDING_32	0x10
#define PCI_MSI_DATA_64		0x0c
#define PCI_MSI_MASK_64		0x10
#define PCI_MSI_PENDING_64	0x14

/* PCI 3.0 6.8.2: MSI-X capability */
#define PCI_MSIX_FLAGS		0x02	/* 16-bit Message Control */
#define  PCI_MSIX_FLAGS_QSIZE		0x07ff	/* table size - 1 */
#define  PCI_MSIX_FLAGS_MASKALL		0x4000	/* function mask */
#define  PCI_MSIX_FLAGS_ENABLE		0x8000
#define PCI_MSIX_TABLE		0x04	/* offset | BIR */
#define  PCI_MSIX_TABLE_BIR		0x00000007
#define  PCI_MSIX_TABLE_OFFSET		0xfffffff8
#define PCI_MSIX_PBA		0x08	/* offset | BIR */
#define  PCI_MSIX_PBA_BIR		0x00000007
#define  PCI_MSIX_PBA_OFFSET		0xfffffff8

/* PCI 3.0 6.8.2.6-9: one 16-byte MSI-X table entry */
#define PCI_MSIX_ENTRY_SIZE		16
#define PCI_MSIX_ENTRY_LOWER_ADDR	0x0
#define PCI_MSIX_ENTRY_UPPER_ADDR	0x4
#define PCI_MSIX_ENTRY_DATA		0x8
#define PCI_MSIX_ENTRY_VECTOR_CTRL	0xc
#define  PCI_MSIX_ENTRY_CTRL_MASKBIT	0x1

/* PCIe 4.0 7.6.3: extended capability header at 0x100 and beyond */
#define PCI_EXT_CAP_START	0x100
#define PCI_EXT_CAP_ID(h)	((h) & 0xffff)
#define PCI_EXT_CAP_VER(h)	(((h) >> 16) & 0xf)
#define PCI_EXT_CAP_NEXT(h)	(((h) >> 20) & 0xffc)
/* At least 8 bytes per capability in the 3840 bytes above 0x100. */
#define PCI_FIND_EXT_CAP_TTL	((PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8)
#define PCI_EXT_CAP_ID_ERR	0x0001	/* advanced error reporting */
#define PCI_EXT_CAP_ID_VC	0x0002
#define PCI_EXT_CAP_ID_DSN	0x0003	/* device serial number */
#define PCI_EXT_CAP_ID_ARI	0x000e
#define PCI_EXT_CAP_ID_SRIOV	0x0010

#endif /* _LEGO_PCI_REGS_H */
