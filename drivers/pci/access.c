// SPDX-License-Identifier: GPL-2.0
/*
 * Reaching PCI configuration space.
 *
 * Two mechanisms, chosen per segment and bus:
 *
 *   ECAM (PCIe 4.0 7.2.2): memory-mapped, 4 KiB per function, through the
 *	windows the ACPI MCFG describes.  Preferred wherever a window covers
 *	the bus: it reaches extended configuration space and needs no lock.
 *	Each bus's 1 MiB is ioremap()ed the first time it is touched, so only
 *	buses that exist cost page tables.
 *   Configuration mechanism #1 (PCI 3.0 3.2.2.3.2): an address written to
 *	port 0xCF8, data through 0xCFC-0xCFF.  Segment 0 only, 256 bytes per
 *	function, and two port accesses per access, so a spinlock (with
 *	interrupts off, since drivers may read config space from handlers)
 *	keeps the pair together.
 *
 * Tested on QEMU 7.2 pc (legacy only) and q35 (MCFG: buses 0-255 at
 * 0xb0000000).
 */
#define pr_fmt(fmt) "pci: " fmt

#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/pci.h>
#include <lego/printk.h>
#include <lego/spinlock.h>
#include <asm/io.h>

#include "internal.h"

#define PCI_ECAM_BUS_SIZE	(1UL << PCI_ECAM_BUS_SHIFT)

static bool conf1_present;
static DEFINE_SPINLOCK(conf1_lock);

struct ecam_window {
	phys_addr_t base;		/* address of bus 0 of the segment */
	u16 segment;
	u8 bus_start;
	u8 bus_end;
	bool broken;			/* a mapping failed: use conf1 */
	void *bus_map[256];		/* per-bus mappings, made on demand */
};

static struct ecam_window ecam_windows[ACPI_MAX_MCFG];
static unsigned int nr_ecam_windows;

/* Size and alignment rules shared by both mechanisms. */
static int pci_check_access(int where, int size, int limit)
{
	if (size != 1 && size != 2 && size != 4)
		return -EINVAL;
	if (where < 0 || where + size > limit || (where & (size - 1)))
		return -EINVAL;
	return 0;
}

static int conf1_read(u16 seg, u8 bus, u8 devfn, int where, int size,
		      u32 *val)
{
	unsigned long flags;
	u16 port = PCI_CONF1_DATA + (where & 3);
	int ret = pci_check_access(where, size, PCI_CFG_SPACE_SIZE);

	*val = ~0U;
	if (ret)
		return ret;
	if (seg || !conf1_present)
		return -ENODEV;

	spin_lock_irqsave(&conf1_lock, flags);
	outl(PCI_CONF1_ADDR(bus, devfn, where), PCI_CONF1_ADDRESS);
	if (size == 1)
		*val = inb(port);
	else if (size == 2)
		*val = inw(port);
	else
		*val = inl(port);
	spin_unlock_irqrestore(&conf1_lock, flags);
	return 0;
}

static int conf1_write(u16 seg, u8 bus, u8 devfn, int where, int size,
		       u32 val)
{
	unsigned long flags;
	u16 port = PCI_CONF1_DATA + (where & 3);
	int ret = pci_check_access(where, size, PCI_CFG_SPACE_SIZE);

	if (ret)
		return ret;
	if (seg || !conf1_present)
		return -ENODEV;

	spin_lock_irqsave(&conf1_lock, flags);
	outl(PCI_CONF1_ADDR(bus, devfn, where), PCI_CONF1_ADDRESS);
	if (size == 1)
		outb(val, port);
	else if (size == 2)
		outw(val, port);
	else
		outl(val, port);
	spin_unlock_irqrestore(&conf1_lock, flags);
	return 0;
}

const struct pci_config_ops pci_conf1_ops = {
	.name = "conf1",
	.read = conf1_read,
	.write = conf1_write,
};

static struct ecam_window *ecam_find(u16 seg, u8 bus)
{
	unsigned int i;

	for (i = 0; i < nr_ecam_windows; i++) {
		struct ecam_window *w = &ecam_windows[i];

		if (w->segment == seg && bus >= w->bus_start &&
		    bus <= w->bus_end)
			return w;
	}
	return NULL;
}

/*
 * The mapping of @bus's 1 MiB, made on first use.  Two CPUs racing here
 * both map; the loser unmaps its copy.
 */
static void *ecam_bus_base(u16 seg, u8 bus)
{
	struct ecam_window *w = ecam_find(seg, bus);
	void *map, *old = NULL;

	if (!w || READ_ONCE(w->broken))
		return NULL;
	map = __atomic_load_n(&w->bus_map[bus], __ATOMIC_ACQUIRE);
	if (map)
		return map;

	map = ioremap(w->base + ((phys_addr_t)bus << PCI_ECAM_BUS_SHIFT),
		      PCI_ECAM_BUS_SIZE);
	if (!map) {
		pr_err("cannot map ECAM for %04x:%02x: window disabled\n",
		       seg, bus);
		WRITE_ONCE(w->broken, true);
		return NULL;
	}
	if (!__atomic_compare_exchange_n(&w->bus_map[bus], &old, map, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		iounmap(map);
		map = old;
	}
	return map;
}

static int ecam_read(u16 seg, u8 bus, u8 devfn, int where, int size,
		     u32 *val)
{
	int ret = pci_check_access(where, size, PCI_CFG_SPACE_EXP_SIZE);
	u8 *base;

	*val = ~0U;
	if (ret)
		return ret;
	base = ecam_bus_base(seg, bus);
	if (!base)
		return -ENODEV;
	base += (u32)devfn << PCI_ECAM_DEVFN_SHIFT | where;
	if (size == 1)
		*val = readb(base);
	else if (size == 2)
		*val = readw(base);
	else
		*val = readl(base);
	return 0;
}

static int ecam_write(u16 seg, u8 bus, u8 devfn, int where, int size,
		      u32 val)
{
	int ret = pci_check_access(where, size, PCI_CFG_SPACE_EXP_SIZE);
	u8 *base;

	if (ret)
		return ret;
	base = ecam_bus_base(seg, bus);
	if (!base)
		return -ENODEV;
	base += (u32)devfn << PCI_ECAM_DEVFN_SHIFT | where;
	if (size == 1)
		writeb(val, base);
	else if (size == 2)
		writew(val, base);
	else
		writel(val, base);
	return 0;
}

const struct pci_config_ops pci_ecam_ops = {
	.name = "ECAM",
	.read = ecam_read,
	.write = ecam_write,
};

bool pci_conf1_present(void)
{
	return conf1_present;
}

bool pci_ecam_covers(u16 seg, u8 bus)
{
	return ecam_find(seg, bus) != NULL;
}

const struct pci_config_ops *pci_config_ops_for(u16 seg, u8 bus)
{
	if (ecam_bus_base(seg, bus))
		return &pci_ecam_ops;
	if (seg == 0 && conf1_present)
		return &pci_conf1_ops;
	return NULL;
}

int pci_bus_read_config(u16 seg, u8 bus, u8 devfn, int where, int size,
			u32 *val)
{
	const struct pci_config_ops *ops = pci_config_ops_for(seg, bus);

	if (!ops) {
		*val = ~0U;
		return -ENODEV;
	}
	return ops->read(seg, bus, devfn, where, size, val);
}

int pci_bus_write_config(u16 seg, u8 bus, u8 devfn, int where, int size,
			 u32 val)
{
	const struct pci_config_ops *ops = pci_config_ops_for(seg, bus);

	if (!ops)
		return -ENODEV;
	return ops->write(seg, bus, devfn, where, size, val);
}

#define PCI_DEV_ACCESSORS(suffix, type, size)				\
int pci_read_config_##suffix(const struct pci_dev *dev, int where,	\
			     type *val)					\
{									\
	u32 v;								\
	int ret = pci_bus_read_config(dev->segment, dev->bus,		\
				      dev->devfn, where, size, &v);	\
									\
	*val = (type)v;							\
	return ret;							\
}									\
int pci_write_config_##suffix(const struct pci_dev *dev, int where,	\
			      type val)					\
{									\
	return pci_bus_write_config(dev->segment, dev->bus, dev->devfn,	\
				    where, size, val);			\
}

PCI_DEV_ACCESSORS(byte, u8, 1)
PCI_DEV_ACCESSORS(word, u16, 2)
PCI_DEV_ACCESSORS(dword, u32, 4)

/*
 * Mechanism #1 is there when the address register reads back what was
 * written to it (a port that decodes nothing reads all ones).
 */
static bool conf1_probe(void)
{
	unsigned long flags;
	u32 saved, got;

	spin_lock_irqsave(&conf1_lock, flags);
	saved = inl(PCI_CONF1_ADDRESS);
	outl(PCI_CONF1_ENABLE, PCI_CONF1_ADDRESS);
	got = inl(PCI_CONF1_ADDRESS);
	outl(saved, PCI_CONF1_ADDRESS);
	spin_unlock_irqrestore(&conf1_lock, flags);
	return got == PCI_CONF1_ENABLE;
}

int pci_access_init(void)
{
	unsigned int i;

	conf1_present = conf1_probe();
	for (i = 0; i < acpi_info.nr_mcfg && i < ACPI_MAX_MCFG; i++) {
		const struct acpi_mcfg_entry *m = &acpi_info.mcfg[i];
		struct ecam_window *w = &ecam_windows[nr_ecam_windows++];

		w->base = m->base;
		w->segment = m->segment;
		w->bus_start = m->bus_start;
		w->bus_end = m->bus_end;
		pr_info("ECAM for %04x:[bus %02x-%02x] at 0x%llx\n",
			m->segment, m->bus_start, m->bus_end,
			(unsigned long long)m->base);
	}
	pr_info("configuration mechanism #1 (ports 0xcf8/0xcfc) %s\n",
		conf1_present ? "present" : "absent");
	if (!conf1_present && !nr_ecam_windows)
		return -ENODEV;
	return 0;
}
