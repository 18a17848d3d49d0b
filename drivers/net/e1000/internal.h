/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to drivers/net/e1000: the driver's state and what its files
 * call of each other, grouped by defining file.
 */
#ifndef _DRIVERS_NET_E1000_INTERNAL_H
#define _DRIVERS_NET_E1000_INTERNAL_H

#include <lego/pci.h>
#include <lego/spinlock.h>
#include <lego/types.h>
#include <asm/io.h>
#include <net/netdev_driver.h>

#include "e1000_regs.h"

#define E1000_RING_SIZE		256	/* descriptors per ring: one page */
/* The largest MTU: a frame of 16384 bytes with its FCS and a VLAN tag. */
#define E1000_MAX_MTU		(E1000_MAX_FRAME_LPE - E1000_FCS_LEN - \
				 ETH_HLEN - VLAN_HLEN)
/*
 * What an RX buffer holds at MTU 1500.  RCTL.BSIZE says 2048, but with
 * RCTL.LPE clear the device discards frames over 1522 bytes (FCS
 * included), so a smaller buffer is safe and fits a pktbuf's inline 2 KiB
 * object; Linux's e1000 makes the same choice.
 */
#define E1000_RX_ROOM_STD	1536
/* The RX causes we take; masked while the core polls. */
#define E1000_RX_IRQS		(E1000_ICR_RXT0 | E1000_ICR_RXDMT0 | \
				 E1000_ICR_RXO)

enum e1000_irq_mode {
	E1000_IRQ_MSI,
	E1000_IRQ_INTX,
};

struct e1000 {
	struct netdev *dev;
	struct pci_dev *pdev;
	void *regs;			/* BAR0 */

	enum e1000_irq_mode irq_mode;
	int vector;			/* CPU vector; -1 when none */
	unsigned int gsi;		/* E1000_IRQ_INTX */
	u64 irqs;			/* interrupts that were ours */
	u64 rx_irqs;			/* ... and had RX causes */
	u64 lsc_irqs;

	/* Set at probe from dev->mtu (e1000_setup_rx_size()), then fixed. */
	u32 rctl_size;			/* RCTL.LPE and BSIZE/BSEX bits */
	u32 rx_room;			/* bytes the device may write per buffer */
	u32 rx_headroom;		/* in front of them in the pktbuf */

	spinlock_t rx_lock;		/* protects the RX fields */
	struct e1000_rx_desc *rx_ring;
	struct pktbuf **rx_pkts;	/* the buffer behind each descriptor */
	u16 rx_next;			/* next descriptor to look at */
	bool rx_discard;		/* dropping the rest of a multi-buffer frame */

	spinlock_t tx_lock;		/* protects the TX fields */
	struct e1000_tx_desc *tx_ring;
	struct pktbuf **tx_pkts;
	u16 tx_next;			/* next descriptor to fill */
	u16 tx_clean;			/* oldest descriptor not reclaimed */
};

static inline u32 e1000_read(struct e1000 *e, u32 reg)
{
	return readl(e->regs + reg);
}

static inline void e1000_write(struct e1000 *e, u32 reg, u32 val)
{
	writel(val, e->regs + reg);
}

/* ---- e1000.c ------------------------------------------------------------ */

void e1000_update_link(struct netdev *dev);

/* ---- e1000_ring.c ------------------------------------------------------- */

/* Receive buffers and RCTL size bits for an MTU of @mtu (before rings). */
void e1000_setup_rx_size(struct e1000 *e, u32 mtu);
int e1000_alloc_rings(struct e1000 *e);
void e1000_free_rings(struct e1000 *e);
/* Program the ring registers (after reset, before RCTL/TCTL.EN). */
void e1000_setup_rings(struct e1000 *e);
/* True when the next RX descriptor is done: work that may lack an IRQ. */
bool e1000_rx_pending(struct e1000 *e);
extern const struct netdev_ops e1000_netdev_ops;

#endif /* _DRIVERS_NET_E1000_INTERNAL_H */
