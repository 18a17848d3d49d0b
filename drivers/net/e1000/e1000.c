// SPDX-License-Identifier: GPL-2.0
/*
 * Intel 8254x gigabit Ethernet (82540EM, 82545EM): probe, reset and
 * initialization in the order of the Software Developer's Manual,
 * chapter 14 (General Initialization and Reset Operation), the MAC
 * address, link status and the interrupt handler.  The rings and the
 * netdev operations are in e1000_ring.c.
 *
 * No offloads, no VLAN filtering, no flow control, no PHY programming:
 * CTRL.SLU with auto-speed detection brings the link up, and LSC
 * interrupts report its changes.  The MTU is `net.mtu=` (jumbo frames
 * through RCTL.LPE, e1000_setup_rx_size()).  Interrupts come through MSI when the
 * function has the capability, else INTx routed by the IOAPIC.
 *
 * Tested on QEMU 7.2 `-device e1000` (82540EM, 8086:100e) and
 * `-device e1000-82545em` (8086:100f), machines pc and q35; QEMU gives
 * neither model an MSI capability, so the INTx path is the tested one.
 */
#define pr_fmt(fmt) "e1000 " fmt

#include <lego/err.h>
#include <lego/errno.h>
#include <lego/irq.h>
#include <lego/kernel.h>
#include <lego/sched.h>
#include <lego/string.h>
#include <lego/time.h>

#include "../internal.h"
#include "internal.h"

#define E1000_RESET_TIMEOUT_US	10000
#define E1000_EERD_TIMEOUT_US	10000
#define E1000_LINK_WAIT_MS	1000

/* ---- link --------------------------------------------------------------- */

void e1000_update_link(struct netdev *dev)
{
	struct e1000 *e = dev->priv;

	dev->link_up = e1000_read(e, E1000_STATUS) & E1000_STATUS_LU;
}

/* ---- interrupts --------------------------------------------------------- */

static void e1000_link_changed(struct e1000 *e)
{
	struct netdev *dev = e->dev;
	bool was = dev->link_up;

	e->lsc_irqs++;
	e1000_update_link(dev);
	if (dev->link_up != was)
		pr_info_ratelimited("%s: link %s\n", dev->name,
				    dev->link_up ? "up" : "down");
}

/*
 * Reading ICR clears every cause and de-asserts INTx#; 0 means the
 * interrupt was not ours.  RX causes are masked until the core has
 * polled the ring and calls irq_enable() again.
 */
static void e1000_interrupt(unsigned int vector, void *data)
{
	struct e1000 *e = data;
	u32 icr = e1000_read(e, E1000_ICR);

	if (!icr)
		return;
	e->irqs++;
	if (icr & E1000_ICR_LSC)
		e1000_link_changed(e);
	if (icr & E1000_ICR_RXO)	/* frames lost for want of a buffer */
		NIC_STAT_ADD(e->dev, rx_dropped_nobuf,
			     e1000_read(e, E1000_MPC));
	if (icr & E1000_RX_IRQS) {
		e->rx_irqs++;
		e1000_write(e, E1000_IMC, E1000_RX_IRQS);
		netdev_rx_irq(e->dev);
	}
}

static int e1000_setup_irq(struct e1000 *e)
{
	int v, ret;

	if (e->pdev->msi_cap) {
		v = irq_alloc_vector(e1000_interrupt, e, "e1000");
		if (v < 0)
			return v;
		ret = pci_enable_msi(e->pdev, v, 0);
		if (!ret) {
			e->vector = v;
			e->irq_mode = E1000_IRQ_MSI;
			return 0;
		}
		irq_free_vector(v);
		pr_info("%s: MSI failed (%d), using INTx\n",
			pci_name(e->pdev), ret);
	}
	v = nic_request_intx(e->pdev, e1000_interrupt, e, "e1000", &e->gsi);
	if (v < 0)
		return v;
	e->vector = v;
	e->irq_mode = E1000_IRQ_INTX;
	pci_intx(e->pdev, true);
	return 0;
}

static void e1000_free_irq(struct e1000 *e)
{
	pci_disable_msi(e->pdev);
	if (e->vector >= 0)
		irq_free_vector(e->vector);
	e->vector = -1;
}

/* ---- reset and initialization ------------------------------------------ */

static void e1000_mask_all(struct e1000 *e)
{
	e1000_write(e, E1000_IMC, E1000_IMS_ALL);
	e1000_read(e, E1000_ICR);
}

/* Chapter 14: quiesce, global reset, interrupts off again afterwards. */
static int e1000_reset(struct e1000 *e)
{
	unsigned int us;

	e1000_mask_all(e);
	e1000_write(e, E1000_RCTL, 0);
	e1000_write(e, E1000_TCTL, E1000_TCTL_PSP);
	e1000_read(e, E1000_STATUS);	/* flush posted writes */
	msleep(10);
	e1000_write(e, E1000_CTRL, e1000_read(e, E1000_CTRL) | E1000_CTRL_RST);
	udelay(10);
	for (us = 0; e1000_read(e, E1000_CTRL) & E1000_CTRL_RST; us += 10) {
		if (us >= E1000_RESET_TIMEOUT_US) {
			pr_err("%s: reset did not complete\n",
			       pci_name(e->pdev));
			return -ETIMEDOUT;
		}
		udelay(10);
	}
	e1000_mask_all(e);
	return 0;
}

/* Chapter 14, general configuration: link up by auto-detection, no flow control. */
static void e1000_setup_link(struct e1000 *e)
{
	u32 ctrl = e1000_read(e, E1000_CTRL);

	ctrl |= E1000_CTRL_SLU | E1000_CTRL_ASDE;
	ctrl &= ~(E1000_CTRL_LRST | E1000_CTRL_PHY_RST | E1000_CTRL_ILOS |
		  E1000_CTRL_VME | E1000_CTRL_FRCSPD | E1000_CTRL_FRCDPLX);
	e1000_write(e, E1000_CTRL, ctrl);
	e1000_write(e, E1000_FCAL, 0);
	e1000_write(e, E1000_FCAH, 0);
	e1000_write(e, E1000_FCT, 0);
	e1000_write(e, E1000_FCTTV, 0);
}

/* One EEPROM word through EERD; -ETIMEDOUT when DONE never comes. */
static int e1000_eeprom_read(struct e1000 *e, u8 word, u16 *val)
{
	unsigned int us;
	u32 r;

	e1000_write(e, E1000_EERD,
		    E1000_EERD_START | (u32)word << E1000_EERD_ADDR_SHIFT);
	for (us = 0; us < E1000_EERD_TIMEOUT_US; us += 5) {
		r = e1000_read(e, E1000_EERD);
		if (r & E1000_EERD_DONE) {
			*val = r >> E1000_EERD_DATA_SHIFT;
			return 0;
		}
		udelay(5);
	}
	return -ETIMEDOUT;
}

static bool e1000_mac_valid(const u8 *mac)
{
	static const u8 zero[ETH_ALEN];

	return !(mac[0] & 1) && memcmp(mac, zero, ETH_ALEN);
}

/* Words 0-2 of the EEPROM; else what the reset loaded into RAL0/RAH0. */
static int e1000_read_mac(struct e1000 *e, u8 *mac)
{
	u32 ral, rah;
	u16 w;
	int i;

	for (i = 0; i < 3; i++) {
		if (e1000_eeprom_read(e, E1000_EEPROM_MAC_WORD + i, &w))
			break;
		mac[2 * i] = w & 0xff;
		mac[2 * i + 1] = w >> 8;
	}
	if (i == 3 && e1000_mac_valid(mac))
		return 0;
	ral = e1000_read(e, E1000_RAL(0));
	rah = e1000_read(e, E1000_RAH(0));
	for (i = 0; i < 4; i++)
		mac[i] = ral >> (8 * i);
	mac[4] = rah;
	mac[5] = rah >> 8;
	if ((rah & E1000_RAH_AV) && e1000_mac_valid(mac)) {
		pr_warn("%s: no EEPROM address, using RAL0/RAH0\n",
			pci_name(e->pdev));
		return 0;
	}
	pr_err("%s: no valid MAC address in the EEPROM or RAL0/RAH0\n",
	       pci_name(e->pdev));
	return -ENODEV;
}

/* Receive address 0 is ours; the other filters and the MTA are empty. */
static void e1000_setup_filters(struct e1000 *e, const u8 *mac)
{
	unsigned int i;

	e1000_write(e, E1000_RAL(0), mac[0] | mac[1] << 8 | mac[2] << 16 |
				     (u32)mac[3] << 24);
	e1000_write(e, E1000_RAH(0), mac[4] | mac[5] << 8 | E1000_RAH_AV);
	for (i = 1; i < E1000_RA_ENTRIES; i++) {
		e1000_write(e, E1000_RAL(i), 0);
		e1000_write(e, E1000_RAH(i), 0);
	}
	for (i = 0; i < E1000_MTA_SIZE; i++)
		e1000_write(e, E1000_MTA + 4 * i, 0);
}

/* Chapter 14, transmit initialization (full duplex). */
static void e1000_setup_tx(struct e1000 *e)
{
	e1000_write(e, E1000_TIPG, E1000_TIPG_IPGT |
		    E1000_TIPG_IPGR1 << E1000_TIPG_IPGR1_SHIFT |
		    E1000_TIPG_IPGR2 << E1000_TIPG_IPGR2_SHIFT);
	e1000_write(e, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP |
		    E1000_TCTL_CT_DEFAULT << E1000_TCTL_CT_SHIFT |
		    E1000_TCTL_COLD_FD << E1000_TCTL_COLD_SHIFT |
		    E1000_TCTL_RTLC);
}

static int e1000_hw_init(struct e1000 *e, u8 *mac)
{
	unsigned int ms;
	int ret = e1000_reset(e);

	if (ret)
		return ret;
	e1000_setup_link(e);
	ret = e1000_read_mac(e, mac);
	if (ret)
		return ret;
	e1000_setup_filters(e, mac);
	e1000_write(e, E1000_ITR, 0);
	e1000_setup_rings(e);
	e1000_setup_tx(e);
	/* RX interrupts are enabled by open(); link changes always. */
	e1000_write(e, E1000_IMS, E1000_ICR_LSC);
	for (ms = 0; ms < E1000_LINK_WAIT_MS; ms += 10) {
		if (e1000_read(e, E1000_STATUS) & E1000_STATUS_LU)
			break;
		msleep(10);
	}
	return 0;
}

/* ---- probe -------------------------------------------------------------- */

static void e1000_describe_irq(const struct e1000 *e, char *buf, size_t len)
{
	if (e->irq_mode == E1000_IRQ_MSI)
		snprintf(buf, len, "MSI (vector %d)", e->vector);
	else
		snprintf(buf, len, "INTx (GSI %u)", e->gsi);
}

static int e1000_map(struct e1000 *e, struct pci_dev *pdev)
{
	if (!(pci_resource_flags(pdev, 0) & PCI_BAR_MEM)) {
		pr_err("%s: BAR0 is not a memory BAR\n", pci_name(pdev));
		return -ENODEV;
	}
	e->regs = pci_iomap(pdev, 0);
	if (IS_ERR(e->regs)) {
		pr_err("%s: cannot map BAR0: %ld\n", pci_name(pdev),
		       PTR_ERR(e->regs));
		return PTR_ERR(e->regs);
	}
	return 0;
}

static int e1000_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct netdev *dev;
	struct e1000 *e;
	char irq[32];
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	dev = netdev_alloc(sizeof(*e));
	if (!dev)
		return -ENOMEM;
	e = dev->priv;
	e->dev = dev;
	e->pdev = pdev;
	e->vector = -1;
	spin_lock_init(&e->rx_lock);
	spin_lock_init(&e->tx_lock);
	ret = e1000_map(e, pdev);
	if (ret)
		goto out_free_dev;
	dev->mtu = netdev_mtu_for(E1000_MAX_MTU);
	e1000_setup_rx_size(e, dev->mtu);
	ret = e1000_alloc_rings(e);
	if (ret)
		goto out_unmap;
	ret = e1000_setup_irq(e);
	if (ret)
		goto out_free_rings;
	ret = e1000_hw_init(e, dev->mac);
	if (ret)
		goto out_reset;

	dev->ops = &e1000_netdev_ops;
	dev->driver = "e1000";
	e1000_update_link(dev);
	ret = netdev_register(dev);
	if (ret)
		goto out_reset;
	pdev->driver_data = e;
	e1000_describe_irq(e, irq, sizeof(irq));
	pr_info("%s: %pM, link %s, %s, MTU %u\n", pci_name(pdev), dev->mac,
		dev->link_up ? "up" : "down", irq, dev->mtu);
	return 0;

out_reset:
	e1000_reset(e);
	e1000_free_irq(e);
out_free_rings:
	e1000_free_rings(e);
out_unmap:
	pci_iounmap(pdev, e->regs);
out_free_dev:
	netdev_free(dev);
	pci_clear_master(pdev);
	return ret;
}

static const struct pci_device_id e1000_ids[] = {
	{ PCI_DEVICE(E1000_VENDOR_INTEL, E1000_DEV_82540EM) },
	{ PCI_DEVICE(E1000_VENDOR_INTEL, E1000_DEV_82545EM) },
	{ }
};

DEFINE_PCI_DRIVER(e1000_driver) = {
	.name = "e1000",
	.id_table = e1000_ids,
	.probe = e1000_probe,
};
