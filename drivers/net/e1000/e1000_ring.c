// SPDX-License-Identifier: GPL-2.0
/*
 * The e1000 data path: legacy descriptor rings (8254x SDM chapter 3) and
 * the netdev operations that use them.
 *
 * Receive: every descriptor holds a pktbuf with room for a whole frame of
 * the MTU (e1000_setup_rx_size()); a longer frame, which would span
 * descriptors, is dropped.  The hardware owns descriptors from RDH up to
 * RDT - 1; we look at rx_next, and after handling descriptor i (a fresh
 * buffer in it, or its old one back when no memory or a bad frame) we
 * move RDT to i.
 * Frames are handed up after the lock is dropped.
 * Transmit: one descriptor per frame, EOP|IFCS|RS, the frame where it
 * lies; a descriptor with DD set is finished and its pktbuf freed by the
 * next poll() or by xmit() when the ring is full.  One slot always stays
 * empty, so tx_next == tx_clean means empty.
 *
 * Tested on QEMU 7.2 `-device e1000` (82540EM) and
 * `-device e1000-82545em`, machines pc and q35; jumbo frames with
 * `net.mtu=9000` on `-device e1000`.
 */
#define pr_fmt(fmt) "e1000 " fmt

#include <lego/errno.h>
#include <lego/gfp.h>
#include <lego/kernel.h>
#include <lego/list.h>
#include <lego/slab.h>
#include <asm/atomic.h>
#include <asm/page.h>

#include "../internal.h"
#include "internal.h"

#define E1000_RING_BYTES	(E1000_RING_SIZE * 16)

BUILD_BUG_ON(E1000_RING_BYTES % E1000_RING_ALIGN);
BUILD_BUG_ON(E1000_RING_BYTES > PAGE_SIZE);
/* A frame of the largest MTU fits one buffer and one TX descriptor. */
BUILD_BUG_ON(NETDEV_MAX_MTU > E1000_MAX_MTU);
BUILD_BUG_ON(ETH_HLEN + VLAN_HLEN + NETDEV_MAX_MTU > E1000_TXD_MAX_LEN);

static u16 ring_next(u16 i)
{
	return (i + 1) & (E1000_RING_SIZE - 1);
}

/*
 * Up to MTU 1500, RCTL.LPE stays clear and the buffers hold
 * E1000_RX_ROOM_STD bytes.  Beyond, LPE is set: frames of up to 16384
 * bytes arrive, each buffer holds RCTL's buffer size and a frame longer
 * than that spans descriptors (and is dropped), so the buffer is the
 * smallest size that holds a whole frame of our MTU, and all of it is
 * given to the device.  A 16384-byte buffer (MTU over 8174) is a whole
 * pktbuf, without headroom: the stack never pushes more onto a received
 * frame than it pulled (the echo service turns datagrams around in place).
 */
void e1000_setup_rx_size(struct e1000 *e, u32 mtu)
{
	static const struct {
		u32 bytes, rctl;
	} sizes[] = {
		{ 2048, E1000_RCTL_BSIZE_2048 },
		{ 4096, E1000_RCTL_BSIZE_4096 },
		{ 8192, E1000_RCTL_BSIZE_8192 },
		{ 16384, E1000_RCTL_BSIZE_16384 },
	};
	u32 frame = ETH_HLEN + VLAN_HLEN + mtu;
	unsigned int i;

	e->rx_headroom = NET_HEADROOM;
	if (mtu <= ETH_DATA_LEN) {
		e->rctl_size = E1000_RCTL_BSIZE_2048;
		e->rx_room = E1000_RX_ROOM_STD;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(sizes) - 1 && sizes[i].bytes < frame; i++)
		;
	e->rctl_size = E1000_RCTL_LPE | sizes[i].rctl;
	e->rx_room = sizes[i].bytes;
	if (e->rx_headroom > PKTBUF_MAX_SIZE - e->rx_room)
		e->rx_headroom = PKTBUF_MAX_SIZE - e->rx_room;
}

int e1000_alloc_rings(struct e1000 *e)
{
	e->rx_ring = (void *)get_zeroed_page(GFP_KERNEL);
	e->tx_ring = (void *)get_zeroed_page(GFP_KERNEL);
	e->rx_pkts = kcalloc(E1000_RING_SIZE, sizeof(*e->rx_pkts), GFP_KERNEL);
	e->tx_pkts = kcalloc(E1000_RING_SIZE, sizeof(*e->tx_pkts), GFP_KERNEL);
	if (e->rx_ring && e->tx_ring && e->rx_pkts && e->tx_pkts)
		return 0;
	e1000_free_rings(e);
	return -ENOMEM;
}

/* Only with the device reset or RX and TX disabled. */
void e1000_free_rings(struct e1000 *e)
{
	unsigned int i;

	for (i = 0; i < E1000_RING_SIZE; i++) {
		if (e->rx_pkts && e->rx_pkts[i])
			pktbuf_free(e->rx_pkts[i]);
		if (e->tx_pkts && e->tx_pkts[i])
			pktbuf_free(e->tx_pkts[i]);
	}
	kfree(e->rx_pkts);
	kfree(e->tx_pkts);
	free_page((unsigned long)e->rx_ring);
	free_page((unsigned long)e->tx_ring);
	e->rx_pkts = e->tx_pkts = NULL;
	e->rx_ring = NULL;
	e->tx_ring = NULL;
}

/*
 * Chapter 14, receive and transmit initialization: the ring registers,
 * then RCTL with the receiver on but no descriptor given (RDT == RDH)
 * until open() fills the ring.  RCTL is written once: QEMU's e1000 stops
 * receiving for a second after every RCTL write.
 */
void e1000_setup_rings(struct e1000 *e)
{
	u64 rx = __pa(e->rx_ring), tx = __pa(e->tx_ring);

	e1000_write(e, E1000_RDBAL, (u32)rx);
	e1000_write(e, E1000_RDBAH, (u32)(rx >> 32));
	e1000_write(e, E1000_RDLEN, E1000_RING_BYTES);
	e1000_write(e, E1000_RDH, 0);
	e1000_write(e, E1000_RDT, 0);
	e1000_write(e, E1000_RDTR, 0);
	e1000_write(e, E1000_TDBAL, (u32)tx);
	e1000_write(e, E1000_TDBAH, (u32)(tx >> 32));
	e1000_write(e, E1000_TDLEN, E1000_RING_BYTES);
	e1000_write(e, E1000_TDH, 0);
	e1000_write(e, E1000_TDT, 0);
	e1000_write(e, E1000_TIDV, 0);
	e1000_write(e, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM |
		    e->rctl_size | E1000_RCTL_SECRC |
		    E1000_RCTL_RDMTS_HALF | E1000_RCTL_LBM_NONE);
	e->rx_next = 0;
	e->tx_next = e->tx_clean = 0;
}

static struct pktbuf *e1000_alloc_rx(struct e1000 *e, gfp_t gfp)
{
	return pktbuf_alloc(e->rx_headroom, e->rx_room, gfp | __GFP_NOWARN);
}

/* Point descriptor @i at its buffer and hand it back to the hardware. */
static void e1000_arm_rx(struct e1000 *e, u16 i, struct pktbuf *pkt)
{
	struct e1000_rx_desc *d = &e->rx_ring[i];

	pkt->data = pkt->head + e->rx_headroom;
	pkt->len = 0;
	e->rx_pkts[i] = pkt;
	d->addr = __pa(pkt->data);
	d->status = 0;
}

bool e1000_rx_pending(struct e1000 *e)
{
	return READ_ONCE(e->rx_ring[READ_ONCE(e->rx_next)].status) &
	       E1000_RXD_STAT_DD;
}

static void e1000_irq_enable(struct netdev *dev, bool enable)
{
	struct e1000 *e = dev->priv;

	if (!enable) {
		e1000_write(e, E1000_IMC, E1000_RX_IRQS);
		return;
	}
	e1000_write(e, E1000_IMS, E1000_RX_IRQS);
	/* A cause latched while masked may have been cleared by an ICR read. */
	if (e1000_rx_pending(e))
		netdev_rx_irq(dev);
}

static int e1000_open(struct netdev *dev)
{
	struct e1000 *e = dev->priv;
	struct pktbuf *pkt;
	u16 i;

	/* RDT == RDH: the device owns no descriptor yet, nobody polls. */
	for (i = 0; i < E1000_RING_SIZE; i++) {
		pkt = e1000_alloc_rx(e, GFP_KERNEL);
		if (!pkt) {
			pr_err("%s: no memory for receive buffers\n",
			       dev->name);
			return -ENOMEM;	/* the caller frees the rings */
		}
		e1000_arm_rx(e, i, pkt);
	}
	smp_wmb();
	/* All but one descriptor: RDH == RDT would mean "none". */
	e1000_write(e, E1000_RDT, E1000_RING_SIZE - 1);
	e1000_irq_enable(dev, dev->rx_mode == NETDEV_RX_IRQ);
	return 0;
}

/* Move finished TX frames to @done; called with tx_lock held. */
static void e1000_reclaim_tx(struct e1000 *e, struct list_head *done)
{
	while (e->tx_clean != e->tx_next &&
	       (READ_ONCE(e->tx_ring[e->tx_clean].status) & E1000_TXD_STAT_DD)) {
		list_add_tail(&e->tx_pkts[e->tx_clean]->list, done);
		e->tx_pkts[e->tx_clean] = NULL;
		e->tx_clean = ring_next(e->tx_clean);
	}
}

static void e1000_free_list(struct list_head *list)
{
	struct pktbuf *pkt, *n;

	list_for_each_entry_safe(pkt, n, list, list) {
		list_del(&pkt->list);
		pktbuf_free(pkt);
	}
}

static int e1000_xmit(struct netdev *dev, struct pktbuf *pkt)
{
	struct e1000 *e = dev->priv;
	struct e1000_tx_desc *d;
	unsigned long flags;
	LIST_HEAD(done);
	int ret = 0;

	if (pkt->len < ETH_HLEN || pkt->len > ETH_HLEN + VLAN_HLEN + dev->mtu)
		return -EMSGSIZE;	/* the core counts it in tx_errors */
	spin_lock_irqsave(&e->tx_lock, flags);
	if (ring_next(e->tx_next) == e->tx_clean)
		e1000_reclaim_tx(e, &done);
	if (ring_next(e->tx_next) == e->tx_clean) {
		ret = -EBUSY;
		goto out_unlock;
	}
	d = &e->tx_ring[e->tx_next];
	d->addr = __pa(pkt->data);
	d->length = pkt->len;
	d->cso = 0;
	d->cmd = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
	d->status = 0;
	d->css = 0;
	d->special = 0;
	e->tx_pkts[e->tx_next] = pkt;
	e->tx_next = ring_next(e->tx_next);
	smp_wmb();	/* the descriptor before the tail that exposes it */
	e1000_write(e, E1000_TDT, e->tx_next);
out_unlock:
	spin_unlock_irqrestore(&e->tx_lock, flags);
	e1000_free_list(&done);
	return ret;
}

/* Is descriptor @d a whole, good frame?  Counts what it is not. */
static bool e1000_rx_good(struct e1000 *e, const struct e1000_rx_desc *d)
{
	struct netdev *dev = e->dev;
	bool eop = d->status & E1000_RXD_STAT_EOP, was = e->rx_discard;

	e->rx_discard = !eop;
	if (was || !eop) {
		/*
		 * Longer than a buffer: a peer's MTU is larger than ours
		 * (never with RCTL.LPE off).  The start was counted.
		 */
		if (!was)
			NIC_STAT_INC(dev, rx_errors);
		return false;
	}
	if ((d->errors & E1000_RXD_ERR_FRAME) || d->length < ETH_HLEN ||
	    d->length > e->rx_room) {
		NIC_STAT_INC(dev, rx_errors);
		return false;
	}
	return true;
}

/* Descriptor rx_next is done: its frame goes on @up or is dropped. */
static void e1000_rx_one(struct e1000 *e, struct list_head *up)
{
	u16 i = e->rx_next;
	struct e1000_rx_desc *d = &e->rx_ring[i];
	struct pktbuf *pkt = e->rx_pkts[i], *fresh;

	if (!e1000_rx_good(e, d)) {
		e1000_arm_rx(e, i, pkt);
		return;
	}
	fresh = e1000_alloc_rx(e, GFP_ATOMIC);
	if (!fresh) {
		NIC_STAT_INC(e->dev, rx_dropped_nobuf);
		e1000_arm_rx(e, i, pkt);
		return;
	}
	pkt->len = d->length;
	pkt->dev = e->dev;
	list_add_tail(&pkt->list, up);
	e1000_arm_rx(e, i, fresh);
}

static int e1000_poll(struct netdev *dev, int budget)
{
	struct e1000 *e = dev->priv;
	struct pktbuf *pkt, *n;
	unsigned long flags;
	LIST_HEAD(done);
	LIST_HEAD(up);
	int seen = 0, handed = 0;
	u16 last = 0;

	spin_lock_irqsave(&e->tx_lock, flags);
	e1000_reclaim_tx(e, &done);
	spin_unlock_irqrestore(&e->tx_lock, flags);
	e1000_free_list(&done);

	spin_lock_irqsave(&e->rx_lock, flags);
	while (seen < budget && (READ_ONCE(e->rx_ring[e->rx_next].status) &
				 E1000_RXD_STAT_DD)) {
		smp_rmb();	/* DD before the rest of the descriptor */
		e1000_rx_one(e, &up);
		last = e->rx_next;
		e->rx_next = ring_next(e->rx_next);
		seen++;
	}
	if (seen) {
		smp_wmb();
		e1000_write(e, E1000_RDT, last);
	}
	spin_unlock_irqrestore(&e->rx_lock, flags);

	list_for_each_entry_safe(pkt, n, &up, list) {
		list_del(&pkt->list);
		netdev_rx(dev, pkt);
		handed++;
	}
	return handed;
}

const struct netdev_ops e1000_netdev_ops = {
	.open = e1000_open,
	.xmit = e1000_xmit,
	.poll = e1000_poll,
	.irq_enable = e1000_irq_enable,
	.update_link = e1000_update_link,
};
