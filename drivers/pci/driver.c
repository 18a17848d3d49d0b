// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI driver model and what drivers call on their device.
 *
 * pci_init() (a subsys init call, after ACPI has found the MCFG) picks the
 * configuration mechanisms, enumerates every bus, then offers each function
 * to the drivers in the .pci_drivers section in link order: the first
 * whose id table matches and whose probe() returns 0 owns the function.
 */
#define pr_fmt(fmt) "pci " fmt

#include <lego/err.h>
#include <lego/errno.h>
#include <lego/init.h>
#include <lego/pci.h>
#include <lego/printk.h>
#include <asm/io.h>

#include "internal.h"

extern const struct pci_driver __pci_drivers_start[], __pci_drivers_end[];

static void pci_update_command(struct pci_dev *dev, u16 clear, u16 set)
{
	u16 cmd, new;

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	new = (cmd & ~clear) | set;
	if (new != cmd)
		pci_write_config_word(dev, PCI_COMMAND, new);
}

int pci_enable_device(struct pci_dev *dev)
{
	u16 cmd;

	pci_update_command(dev, 0, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	if (pci_read_config_word(dev, PCI_COMMAND, &cmd))
		return -ENODEV;
	if (!(cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)))
		return -EIO;
	return 0;
}

void pci_set_master(struct pci_dev *dev)
{
	pci_update_command(dev, 0, PCI_COMMAND_MASTER);
}

void pci_clear_master(struct pci_dev *dev)
{
	pci_update_command(dev, PCI_COMMAND_MASTER, 0);
}

void pci_intx(struct pci_dev *dev, bool enable)
{
	if (enable)
		pci_update_command(dev, PCI_COMMAND_INTX_DISABLE, 0);
	else
		pci_update_command(dev, 0, PCI_COMMAND_INTX_DISABLE);
}

void *pci_iomap_range(struct pci_dev *dev, int bar, resource_size_t offset,
		      resource_size_t len)
{
	const struct pci_bar *b;
	void *p;

	if (bar < 0 || bar >= PCI_STD_NUM_BARS)
		return ERR_PTR(-EINVAL);
	b = &dev->bar[bar];
	if (!(b->flags & PCI_BAR_MEM) || !len || offset >= b->size ||
	    len > b->size - offset)
		return ERR_PTR(-EINVAL);
	if (!b->start)
		return ERR_PTR(-ENXIO);
	p = ioremap(b->start + offset, len);
	return p ? p : ERR_PTR(-ENOMEM);
}

void *pci_iomap(struct pci_dev *dev, int bar)
{
	if (bar < 0 || bar >= PCI_STD_NUM_BARS)
		return ERR_PTR(-EINVAL);
	return pci_iomap_range(dev, bar, 0, dev->bar[bar].size);
}

void pci_iounmap(struct pci_dev *dev, void *addr)
{
	if (!IS_ERR_OR_NULL(addr))
		iounmap(addr);
}

static bool pci_driver_sane(const struct pci_driver *drv)
{
	if (drv->name && drv->id_table && drv->probe)
		return true;
	pr_err("driver %s at %p lacks a name, id table or probe: ignored\n",
	       drv->name ? drv->name : "(unnamed)", drv);
	return false;
}

static void pci_bind(struct pci_dev *dev)
{
	const struct pci_driver *drv;
	const struct pci_device_id *id;
	int ret;

	for (drv = __pci_drivers_start; drv < __pci_drivers_end; drv++) {
		if (!pci_driver_sane(drv))
			continue;
		id = pci_match_id(drv->id_table, dev);
		if (!id)
			continue;
		dev->driver = drv;
		ret = drv->probe(dev, id);
		if (!ret) {
			pr_info("%s: bound to driver %s\n", dev->name,
				drv->name);
			return;
		}
		dev->driver = NULL;
		/* -ENODEV is a driver declining the function: not an error. */
		if (ret != -ENODEV)
			pr_warn("%s: driver %s probe failed: %d\n", dev->name,
				drv->name, ret);
	}
}

void pci_unbind_driver(struct pci_dev *dev)
{
	const struct pci_driver *drv = dev->driver;

	if (!drv)
		return;
	if (drv->remove)
		drv->remove(dev);
	pci_disable_msix(dev);
	pci_disable_msi(dev);
	pci_clear_master(dev);
	dev->driver = NULL;
	dev->driver_data = NULL;
	pr_info("%s: unbound from driver %s\n", dev->name, drv->name);
}

static int __init pci_init(void)
{
	struct pci_dev *dev;
	unsigned int n = 0, bound = 0;
	int ret = pci_access_init();

	if (ret) {
		pr_warn("no configuration mechanism (no ports 0xcf8/0xcfc, no MCFG): no PCI devices\n");
		return ret;
	}
	pci_scan_all();
	for_each_pci_dev(dev) {
		pci_bind(dev);
		n++;
		bound += dev->driver != NULL;
	}
	pr_info("found %u functions, %u bound to a driver\n", n, bound);
	return 0;
}
subsys_initcall(pci_init);
