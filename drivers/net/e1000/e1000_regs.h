/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel 8254x registers and descriptors, as this driver uses them: from
 * the "PCI/PCI-X Family of Gigabit Ethernet Controllers Software
 * Developer's Manual": chapter 13 (registers), chapter 3 (descriptors) and
 * chapter 14 (initialization), for the 82540EM and 82545EM.  All registers are 32 bits
 * wide in BAR0 (memory); descriptors are little-endian.
 */
#ifndef _DRIVERS_NET_E1000_REGS_H
#define _DRIVERS_NET_E1000_REGS_H

#include <lego/compiler.h>
#include <lego/types.h>

/* PCI device ids (chapter 4, PCI Local Bus Interface) */
#define E1000_VENDOR_INTEL	0x8086
#define E1000_DEV_82540EM	0x100e	/* QEMU -device e1000 */
#define E1000_DEV_82545EM	0x100f	/* QEMU -device e1000-82545em */

/* Chapter 13, register summary (offsets in BAR0) */
#define E1000_CTRL		0x0000	/* device control */
#define E1000_STATUS		0x0008	/* device status (RO) */
#define E1000_EECD		0x0010	/* EEPROM/flash control */
#define E1000_EERD		0x0014	/* EEPROM read */
#define E1000_CTRL_EXT		0x0018
#define E1000_FCAL		0x0028	/* flow control address low */
#define E1000_FCAH		0x002c
#define E1000_FCT		0x0030	/* flow control type */
#define E1000_ICR		0x00c0	/* interrupt cause read (read clears) */
#define E1000_ITR		0x00c4	/* interrupt throttling */
#define E1000_ICS		0x00c8	/* interrupt cause set */
#define E1000_IMS		0x00d0	/* interrupt mask set (write 1s) */
#define E1000_IMC		0x00d8	/* interrupt mask clear (write 1s) */
#define E1000_RCTL		0x0100	/* receive control */
#define E1000_FCTTV		0x0170	/* flow control transmit timer */
#define E1000_TCTL		0x0400	/* transmit control */
#define E1000_TIPG		0x0410	/* transmit inter-packet gap */
#define E1000_RDBAL		0x2800	/* RX descriptor base low */
#define E1000_RDBAH		0x2804
#define E1000_RDLEN		0x2808	/* bytes, a multiple of 128 */
#define E1000_RDH		0x2810	/* head: next the hardware fills */
#define E1000_RDT		0x2818	/* tail: one past the last we gave */
#define E1000_RDTR		0x2820	/* RX delay timer */
#define E1000_RADV		0x282c	/* RX absolute delay timer */
#define E1000_TDBAL		0x3800
#define E1000_TDBAH		0x3804
#define E1000_TDLEN		0x3808
#define E1000_TDH		0x3810
#define E1000_TDT		0x3818
#define E1000_TIDV		0x3820	/* TX interrupt delay */
#define E1000_MPC		0x4010	/* missed packets (no buffer), read clears */
#define E1000_MTA		0x5200	/* multicast table, 128 dwords */
#define E1000_MTA_SIZE		128
#define E1000_RAL(n)		(0x5400 + 8 * (n))	/* receive address low */
#define E1000_RAH(n)		(0x5404 + 8 * (n))
#define E1000_RA_ENTRIES	16

/* CTRL, Device Control Register */
#define E1000_CTRL_FD		(1U << 0)	/* full duplex */
#define E1000_CTRL_LRST		(1U << 3)	/* link reset */
#define E1000_CTRL_ASDE		(1U << 5)	/* auto-speed detection */
#define E1000_CTRL_SLU		(1U << 6)	/* set link up */
#define E1000_CTRL_ILOS		(1U << 7)	/* invert loss-of-signal */
#define E1000_CTRL_FRCSPD	(1U << 11)
#define E1000_CTRL_FRCDPLX	(1U << 12)
#define E1000_CTRL_RST		(1U << 26)	/* device reset, self-clearing */
#define E1000_CTRL_VME		(1U << 30)	/* VLAN mode */
#define E1000_CTRL_PHY_RST	(1U << 31)

/* STATUS, Device Status Register */
#define E1000_STATUS_FD		(1U << 0)
#define E1000_STATUS_LU		(1U << 1)	/* link up */
#define E1000_STATUS_SPEED_SHIFT 6		/* 00: 10, 01: 100, 1x: 1000 */
#define E1000_STATUS_SPEED_MASK	(3U << E1000_STATUS_SPEED_SHIFT)

/* EERD, EEPROM Read Register (82540/82545: DONE is bit 4, address 15:8) */
#define E1000_EERD_START	(1U << 0)
#define E1000_EERD_DONE		(1U << 4)
#define E1000_EERD_ADDR_SHIFT	8
#define E1000_EERD_DATA_SHIFT	16

/* Chapter 5, EEPROM address map: words 0-2 hold the Ethernet address */
#define E1000_EEPROM_MAC_WORD	0

/* Interrupt causes: ICR, ICS, IMS and IMC share these bits */
#define E1000_ICR_TXDW		(1U << 0)	/* TX descriptor written back */
#define E1000_ICR_TXQE		(1U << 1)	/* TX queue empty */
#define E1000_ICR_LSC		(1U << 2)	/* link status change */
#define E1000_ICR_RXSEQ		(1U << 3)	/* RX sequence error */
#define E1000_ICR_RXDMT0	(1U << 4)	/* RX descriptors at minimum */
#define E1000_ICR_RXO		(1U << 6)	/* receiver overrun */
#define E1000_ICR_RXT0		(1U << 7)	/* receiver timer */
#define E1000_IMS_ALL		0xffffffffU

/*
 * RCTL, Receive Control Register (13.4.22).  LPE clear: frames over 1522
 * bytes are dropped; set: frames up to 16384 bytes are taken (13.7.15
 * RLEC; both lengths count the FCS).  BSIZE/BSEX give the size of every
 * receive buffer (3.2.2); a frame longer than one continues in the next
 * descriptors, EOP on its last (3.2.3).
 */
#define E1000_RCTL_EN		(1U << 1)
#define E1000_RCTL_SBP		(1U << 2)	/* store bad packets */
#define E1000_RCTL_UPE		(1U << 3)	/* unicast promiscuous */
#define E1000_RCTL_MPE		(1U << 4)	/* multicast promiscuous */
#define E1000_RCTL_LPE		(1U << 5)	/* long packets */
#define E1000_RCTL_LBM_NONE	(0U << 6)
#define E1000_RCTL_RDMTS_HALF	(0U << 8)	/* RXDMT0 at 1/2 of the ring */
#define E1000_RCTL_MO_36	(0U << 12)	/* multicast offset */
#define E1000_RCTL_BAM		(1U << 15)	/* accept broadcast */
#define E1000_RCTL_BSEX		(1U << 25)	/* buffer size x16 */
#define E1000_RCTL_SECRC	(1U << 26)	/* strip the Ethernet CRC */
/* Receive buffer sizes: BSIZE (bits 17:16) without, then with BSEX. */
#define E1000_RCTL_BSIZE_MASK	(E1000_RCTL_BSEX | 3U << 16)
#define E1000_RCTL_BSIZE_2048	(0U << 16)
#define E1000_RCTL_BSIZE_4096	(E1000_RCTL_BSEX | 3U << 16)
#define E1000_RCTL_BSIZE_8192	(E1000_RCTL_BSEX | 2U << 16)
#define E1000_RCTL_BSIZE_16384	(E1000_RCTL_BSEX | 1U << 16)
#define E1000_MAX_FRAME_LPE	16384	/* with the FCS, LPE set */
#define E1000_FCS_LEN		4

/* TCTL, Transmit Control Register */
#define E1000_TCTL_EN		(1U << 1)
#define E1000_TCTL_PSP		(1U << 3)	/* pad short packets */
#define E1000_TCTL_CT_SHIFT	4		/* collision threshold */
#define E1000_TCTL_CT_DEFAULT	0x0f
#define E1000_TCTL_COLD_SHIFT	12		/* collision distance */
#define E1000_TCTL_COLD_FD	0x40		/* full duplex: 64 bytes */
#define E1000_TCTL_RTLC		(1U << 24)	/* retransmit on late collision */

/* TIPG, Transmit IPG Register: IEEE 802.3 copper values */
#define E1000_TIPG_IPGT		10
#define E1000_TIPG_IPGR1_SHIFT	10
#define E1000_TIPG_IPGR1	8
#define E1000_TIPG_IPGR2_SHIFT	20
#define E1000_TIPG_IPGR2	6

/* RAH, Receive Address High */
#define E1000_RAH_AV		(1U << 31)	/* address valid */

/* Chapter 3, legacy receive descriptor format */
struct e1000_rx_desc {
	u64 addr;		/* buffer physical address */
	u16 length;		/* bytes written */
	u16 csum;
	u8 status;
	u8 errors;
	u16 special;
};

#define E1000_RXD_STAT_DD	(1U << 0)	/* descriptor done */
#define E1000_RXD_STAT_EOP	(1U << 1)	/* end of packet */
#define E1000_RXD_ERR_CE	(1U << 0)	/* CRC or alignment error */
#define E1000_RXD_ERR_SE	(1U << 1)	/* symbol error */
#define E1000_RXD_ERR_SEQ	(1U << 2)	/* sequence error */
#define E1000_RXD_ERR_CXE	(1U << 4)	/* carrier extension error */
#define E1000_RXD_ERR_RXE	(1U << 7)	/* RX data error */
#define E1000_RXD_ERR_FRAME	(E1000_RXD_ERR_CE | E1000_RXD_ERR_SE | \
				 E1000_RXD_ERR_SEQ | E1000_RXD_ERR_CXE | \
				 E1000_RXD_ERR_RXE)

/* Chapter 3, legacy transmit descriptor format */
struct e1000_tx_desc {
	u64 addr;
	u16 length;
	u8 cso;			/* checksum offset */
	u8 cmd;
	u8 status;
	u8 css;			/* checksum start */
	u16 special;
};

/* 3.3.3: at most 16288 bytes behind one legacy descriptor */
#define E1000_TXD_MAX_LEN	16288
#define E1000_TXD_CMD_EOP	(1U << 0)	/* end of packet */
#define E1000_TXD_CMD_IFCS	(1U << 1)	/* insert FCS */
#define E1000_TXD_CMD_RS	(1U << 3)	/* report status (DD) */
#define E1000_TXD_STAT_DD	(1U << 0)

/* Chapter 3: ring lengths are multiples of 128 bytes (8 descriptors) */
#define E1000_RING_ALIGN	128

BUILD_BUG_ON(sizeof(struct e1000_rx_desc) != 16);
BUILD_BUG_ON(sizeof(struct e1000_tx_desc) != 16);

#endif /* _DRIVERS_NET_E1000_REGS_H */
