// SPDX-License-Identifier: GPL-2.0
/*
 * Enumeration: every function on every bus, once, at boot.
 *
 * Bus numbers are firmware's and are trusted, never reassigned.  Because a
 * bridge's secondary bus is always above the bus the bridge sits on, the
 * buses of a segment are scanned in one ascending pass: scanning bus N
 * marks the secondary buses of its bridges as reached, and the pass gets
 * to them later.  A bridge whose secondary bus is 0 (not configured), not
 * above its own bus, or already reached is skipped with a warning, which
 * also makes loops impossible.  Buses no bridge leads to but where devices
 * answer (the root buses of other host bridges on multi-socket machines)
 * are found by probing slot 0-31 function 0 of every other bus through the
 * legacy mechanism.
 *
 * For each function: identity, BARs (sized by writing all ones with
 * decoding off, then restored; 64-bit BARs take two slots), interrupt
 * line/pin and the capabilities drivers ask for most.
 */
#define pr_fmt(fmt) "pci " fmt

#include <lego/acpi.h>
#include <lego/kernel.h>
#include <lego/list.h>
#include <lego/pci.h>
#include <lego/printk.h>
#include <lego/slab.h>

#include "internal.h"

LIST_HEAD(pci_devices);

struct pci_scan {
	u16 segment;
	bool reached[256];	/* a bridge leads to the bus (or it is a root) */
	bool claimed[256];	/* inside a bridge's secondary-subordinate range */
};

static u32 cfg_read(u16 seg, u8 bus, u8 devfn, int where, int size)
{
	u32 v;

	pci_bus_read_config(seg, bus, devfn, where, size, &v);
	return v;
}

/* Size one BAR (two for a 64-bit one); returns how many slots it used. */
static unsigned int pci_size_bar(struct pci_dev *dev, unsigned int i,
				 unsigned int nr)
{
	int reg = PCI_BASE_ADDRESS_0 + 4 * i;
	u32 lo, lo_sz, hi = 0, hi_sz = 0;
	bool is64;

	pci_read_config_dword(dev, reg, &lo);
	pci_write_config_dword(dev, reg, ~0U);
	pci_read_config_dword(dev, reg, &lo_sz);
	pci_write_config_dword(dev, reg, lo);

	is64 = !(lo & PCI_BASE_ADDRESS_SPACE_IO) &&
	       (lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
	       PCI_BASE_ADDRESS_MEM_TYPE_64;
	if (is64 && i + 1 >= nr) {
		pr_warn("%s: 64-bit BAR%u has no upper half: ignored\n",
			dev->name, i);
		return 1;
	}
	if (is64) {
		pci_read_config_dword(dev, reg + 4, &hi);
		pci_write_config_dword(dev, reg + 4, ~0U);
		pci_read_config_dword(dev, reg + 4, &hi_sz);
		pci_write_config_dword(dev, reg + 4, hi);
	}
	pci_decode_bar((u64)hi << 32 | lo, (u64)hi_sz << 32 | lo_sz,
		       &dev->bar[i]);
	return is64 ? 2 : 1;
}

/*
 * Decoding is turned off while a BAR holds all ones, so that the device
 * never answers at a bogus address.  Host bridges are left alone: on some
 * chipsets their memory decoding is what routes RAM.
 */
static void pci_read_bars(struct pci_dev *dev, unsigned int nr)
{
	const u16 decode = PCI_COMMAND_IO | PCI_COMMAND_MEMORY;
	bool toggle;
	u16 cmd;
	unsigned int i;

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	toggle = (cmd & decode) && (dev->class >> 8) != PCI_CLASS_BRIDGE_HOST;
	if (toggle)
		pci_write_config_word(dev, PCI_COMMAND, cmd & ~decode);
	for (i = 0; i < nr; )
		i += pci_size_bar(dev, i, nr);
	if (toggle)
		pci_write_config_word(dev, PCI_COMMAND, cmd);
}

static void pci_read_caps(struct pci_dev *dev)
{
	dev->pm_cap = pci_find_capability(dev, PCI_CAP_ID_PM);
	dev->msi_cap = pci_find_capability(dev, PCI_CAP_ID_MSI);
	dev->msix_cap = pci_find_capability(dev, PCI_CAP_ID_MSIX);
	dev->pcie_cap = pci_find_capability(dev, PCI_CAP_ID_EXP);
}

static struct pci_dev *pci_setup_device(u16 seg, u8 bus, u8 devfn, u32 id,
					u8 hdr)
{
	struct pci_dev *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	u32 class_rev;

	if (!dev)
		return NULL;
	dev->segment = seg;
	dev->bus = bus;
	dev->devfn = devfn;
	snprintf(dev->name, sizeof(dev->name), "%04x:%02x:%02x.%u", seg, bus,
		 PCI_SLOT(devfn), PCI_FUNC(devfn));
	dev->vendor = id & 0xffff;
	dev->device = id >> 16;
	dev->hdr_type = hdr & PCI_HEADER_TYPE_MASK;
	dev->multifunction = hdr & PCI_HEADER_TYPE_MFD;
	pci_read_config_dword(dev, PCI_CLASS_REVISION, &class_rev);
	dev->class = class_rev >> 8;
	dev->revision = class_rev & 0xff;
	pci_read_config_byte(dev, PCI_INTERRUPT_LINE, &dev->irq_line);
	pci_read_config_byte(dev, PCI_INTERRUPT_PIN, &dev->irq_pin);

	switch (dev->hdr_type) {
	case PCI_HEADER_TYPE_NORMAL:
		pci_read_config_word(dev, PCI_SUBSYSTEM_VENDOR_ID,
				     &dev->subsystem_vendor);
		pci_read_config_word(dev, PCI_SUBSYSTEM_ID,
				     &dev->subsystem_device);
		pci_read_bars(dev, PCI_STD_NUM_BARS);
		break;
	case PCI_HEADER_TYPE_BRIDGE:
		pci_read_bars(dev, PCI_BRIDGE_NUM_BARS);
		pci_read_config_byte(dev, PCI_SECONDARY_BUS,
				     &dev->secondary_bus);
		pci_read_config_byte(dev, PCI_SUBORDINATE_BUS,
				     &dev->subordinate_bus);
		break;
	case PCI_HEADER_TYPE_CARDBUS:
		pci_read_bars(dev, PCI_CARDBUS_NUM_BARS);
		break;
	default:
		pr_warn("%s: unknown header type %u: BARs not read\n",
			dev->name, dev->hdr_type);
		break;
	}
	pci_read_caps(dev);
	return dev;
}

/* Format a size the way people read it: 128 KiB, 4 GiB, 64 B. */
static int pci_format_size(char *buf, size_t len, u64 size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;

	while (size >= 1024 && !(size & 1023) && u + 1 < ARRAY_SIZE(units)) {
		size >>= 10;
		u++;
	}
	return scnprintf(buf, len, "%llu %s", (unsigned long long)size,
			 units[u]);
}

static void pci_print_dev(const struct pci_dev *dev)
{
	char line[384];
	size_t n = 0;
	unsigned int i;

	n += scnprintf(line + n, sizeof(line) - n, "%s [%04x:%04x] class 0x%06x",
		       dev->name, dev->vendor, dev->device, dev->class);
	if (dev->irq_pin && dev->irq_line != 0xff)
		n += scnprintf(line + n, sizeof(line) - n, " irq %u",
			       dev->irq_line);
	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct pci_bar *b = &dev->bar[i];

		if (!b->size)
			continue;
		n += scnprintf(line + n, sizeof(line) - n, " BAR%u %s%s 0x%llx (",
			       i, b->flags & PCI_BAR_IO ? "io" :
			       b->flags & PCI_BAR_MEM64 ? "mem64" : "mem",
			       b->flags & PCI_BAR_PREFETCH ? " pref" : "",
			       (unsigned long long)b->start);
		n += pci_format_size(line + n, sizeof(line) - n, b->size);
		n += scnprintf(line + n, sizeof(line) - n, ")");
	}
	if (dev->hdr_type == PCI_HEADER_TYPE_BRIDGE)
		n += scnprintf(line + n, sizeof(line) - n,
			       " bridge to [bus %02x-%02x]",
			       dev->secondary_bus, dev->subordinate_bus);
	pr_info("%s\n", line);
}

/* Follow a bridge to its secondary bus, if firmware configured it sanely. */
static void pci_scan_bridge(struct pci_scan *s, const struct pci_dev *dev)
{
	unsigned int sec = dev->secondary_bus, sub = dev->subordinate_bus;
	unsigned int b;

	if (sec == 0) {
		pr_warn("%s: bridge has secondary bus 0 (not configured by firmware): skipped\n",
			dev->name);
		return;
	}
	if (sec <= dev->bus || s->reached[sec]) {
		pr_warn("%s: bridge to bus %02x, which is not below it or already reached: skipped\n",
			dev->name, sec);
		return;
	}
	if (sub < sec) {
		pr_warn("%s: bridge subordinate bus %02x is below its secondary %02x\n",
			dev->name, sub, sec);
		sub = sec;
	}
	s->reached[sec] = true;
	for (b = sec; b <= sub; b++)
		s->claimed[b] = true;
}

static void pci_scan_slot(struct pci_scan *s, u8 bus, u8 slot)
{
	unsigned int fn, nr_fn = 1;

	for (fn = 0; fn < nr_fn; fn++) {
		u8 devfn = PCI_DEVFN(slot, fn);
		u32 id = cfg_read(s->segment, bus, devfn, PCI_VENDOR_ID, 4);
		u8 hdr;
		struct pci_dev *dev;

		if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
			continue;
		hdr = cfg_read(s->segment, bus, devfn, PCI_HEADER_TYPE, 1);
		if (fn == 0 && (hdr & PCI_HEADER_TYPE_MFD))
			nr_fn = 8;

		dev = pci_setup_device(s->segment, bus, devfn, id, hdr);
		if (!dev) {
			pr_err("%04x:%02x:%02x.%u: out of memory: skipped\n",
			       s->segment, bus, slot, fn);
			continue;
		}
		list_add_tail(&dev->node, &pci_devices);
		pci_print_dev(dev);
		if (dev->hdr_type == PCI_HEADER_TYPE_BRIDGE)
			pci_scan_bridge(s, dev);
	}
}

/* Does any device answer on @bus?  Legacy ports only: no ECAM mappings. */
static bool pci_bus_answers(u16 seg, u8 bus)
{
	unsigned int slot;
	u32 id;

	if (seg || !pci_conf1_present())
		return false;
	for (slot = 0; slot < 32; slot++) {
		pci_conf1_ops.read(seg, bus, PCI_DEVFN(slot, 0), PCI_VENDOR_ID,
				   2, &id);
		if (id != 0xffff && id != 0)
			return true;
	}
	return false;
}

static void pci_scan_segment(struct pci_scan *s, unsigned int first,
			     unsigned int last)
{
	unsigned int bus, slot;

	s->reached[first] = true;
	for (bus = first; bus <= last; bus++) {
		if (!s->reached[bus]) {
			if (s->claimed[bus] || !pci_bus_answers(s->segment, bus))
				continue;
			pr_info("%04x:%02x: devices on a bus no bridge leads to: another root bus\n",
				s->segment, bus);
		}
		for (slot = 0; slot < 32; slot++)
			pci_scan_slot(s, bus, slot);
	}
}

void pci_scan_all(void)
{
	static struct pci_scan scan;
	unsigned int i;

	/* Segment 0 from bus 0: through ECAM where MCFG covers it. */
	scan = (struct pci_scan){ .segment = 0 };
	pci_scan_segment(&scan, 0, 255);

	/* Other segments exist only through their MCFG windows. */
	for (i = 0; i < acpi_info.nr_mcfg; i++) {
		const struct acpi_mcfg_entry *m = &acpi_info.mcfg[i];

		if (!m->segment)
			continue;
		scan = (struct pci_scan){ .segment = m->segment };
		pci_scan_segment(&scan, m->bus_start, m->bus_end);
	}
}

struct pci_dev *pci_next_dev(const struct pci_dev *from)
{
	const struct list_head *next = from ? from->node.next : pci_devices.next;

	if (next == &pci_devices)
		return NULL;
	return list_entry(next, struct pci_dev, node);
}

struct pci_dev *pci_get_slot(u16 seg, u8 bus, u8 devfn)
{
	struct pci_dev *dev;

	for_each_pci_dev(dev)
		if (dev->segment == seg && dev->bus == bus &&
		    dev->devfn == devfn)
			return dev;
	return NULL;
}

struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device,
			       const struct pci_dev *from)
{
	struct pci_dev *dev = pci_next_dev(from);

	for (; dev; dev = pci_next_dev(dev))
		if ((vendor == PCI_ANY_ID || dev->vendor == vendor) &&
		    (device == PCI_ANY_ID || dev->device == device))
			return dev;
	return NULL;
}
