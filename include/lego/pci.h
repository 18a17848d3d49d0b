/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI for drivers: devices found at boot, their configuration space, BARs,
 * capabilities and message-signalled interrupts, and the driver model.
 *
 * Every bus is enumerated once by pci_init() (a subsys init call), trusting
 * the bus numbers and BAR addresses firmware assigned.  Drivers register
 * with DEFINE_PCI_DRIVER() and are matched against every function found;
 * a driver's probe() runs in the init-call thread:
 *
 *	static const struct pci_device_id e1000_ids[] = {
 *		{ PCI_DEVICE(0x8086, 0x100e) },
 *		{ }
 *	};
 *
 *	static int e1000_probe(struct pci_dev *pdev,
 *			       const struct pci_device_id *id)
 *	{
 *		void *regs;
 *		int ret = pci_enable_device(pdev);
 *
 *		if (ret)
 *			return ret;
 *		pci_set_master(pdev);
 *		regs = pci_iomap(pdev, 0);
 *		if (IS_ERR(regs))
 *			return PTR_ERR(regs);
 *		...
 *	}
 *
 *	DEFINE_PCI_DRIVER(e1000_driver) = {
 *		.name = "e1000",
 *		.id_table = e1000_ids,
 *		.probe = e1000_probe,
 *	};
 *
 * There is no hotplug: the device list never changes after boot, so it may
 * be walked without a lock.  Register layouts are in <lego/pci_regs.h>.
 */
#ifndef _LEGO_PCI_H
#define _LEGO_PCI_H

#include <lego/compiler.h>
#include <lego/list.h>
#include <lego/pci_regs.h>
#include <lego/types.h>

#define PCI_ANY_ID		(~0U)

#define PCI_DEVFN(slot, fn)	((((slot) & 0x1f) << 3) | ((fn) & 0x07))
#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)		((devfn) & 0x07)

/* pci_bar.flags */
#define PCI_BAR_IO		(1U << 0)	/* I/O ports */
#define PCI_BAR_MEM		(1U << 1)	/* memory space */
#define PCI_BAR_MEM64		(1U << 2)	/* 64-bit BAR: uses two slots */
#define PCI_BAR_PREFETCH	(1U << 3)	/* prefetchable memory */

/* One Base Address Register as firmware programmed it. */
struct pci_bar {
	resource_size_t start;		/* port or physical address */
	resource_size_t size;		/* 0: BAR not implemented */
	unsigned int flags;		/* PCI_BAR_* */
};

struct pci_driver;

struct pci_dev {
	struct list_head node;		/* in the device list, bus order */
	char name[16];			/* "ssss:bb:dd.f" for log messages */
	u16 segment;
	u8 bus;
	u8 devfn;

	/* Identity, read once at enumeration */
	u16 vendor;
	u16 device;
	u16 subsystem_vendor;		/* 0 for bridges */
	u16 subsystem_device;
	u32 class;			/* base << 16 | sub << 8 | prog-if */
	u8 revision;
	u8 hdr_type;			/* PCI_HEADER_TYPE_*, no MFD bit */
	bool multifunction;

	u8 irq_line;			/* legacy IRQ firmware routed; 0xff: none */
	u8 irq_pin;			/* 0: none, 1-4: INTA#-INTD# */

	struct pci_bar bar[PCI_STD_NUM_BARS];

	/* Capability offsets in configuration space, 0 when absent */
	u8 pm_cap;
	u8 msi_cap;
	u8 msix_cap;
	u8 pcie_cap;

	/* Type 1 headers: the buses behind the bridge */
	u8 secondary_bus;
	u8 subordinate_bus;

	/* Owned by the bound driver */
	const struct pci_driver *driver;
	void *driver_data;
	bool msi_enabled;
	bool msix_enabled;
	void *msix_table;		/* mapped while MSI-X is enabled */
	unsigned int msix_nr;		/* table entries */
};

static inline const char *pci_name(const struct pci_dev *dev)
{
	return dev->name;
}

static inline resource_size_t pci_resource_start(const struct pci_dev *dev,
						 int bar)
{
	return dev->bar[bar].start;
}

static inline resource_size_t pci_resource_len(const struct pci_dev *dev,
					       int bar)
{
	return dev->bar[bar].size;
}

static inline unsigned int pci_resource_flags(const struct pci_dev *dev,
					      int bar)
{
	return dev->bar[bar].flags;
}

/* ---- Configuration space -------------------------------------------- */

/*
 * @where must be aligned to the access size and below 256, or below 4096
 * when the bus is reached through ECAM.  Return 0, -EINVAL (bad offset),
 * or -ENODEV (no mechanism reaches that bus); a failed read stores all
 * ones.  Safe from any context.
 */
int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val);
int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val);
int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val);
int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val);
int pci_write_config_word(const struct pci_dev *dev, int where, u16 val);
int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val);

/* The same by address, for functions that have no pci_dev (size 1, 2, 4). */
int pci_bus_read_config(u16 seg, u8 bus, u8 devfn, int where, int size,
			u32 *val);
int pci_bus_write_config(u16 seg, u8 bus, u8 devfn, int where, int size,
			 u32 val);

/* ---- Devices ---------------------------------------------------------- */

/* Walk every function found at boot, in bus order. */
struct pci_dev *pci_next_dev(const struct pci_dev *from);
#define for_each_pci_dev(d) \
	for ((d) = pci_next_dev(NULL); (d); (d) = pci_next_dev(d))

/* The function at an address, or NULL. */
struct pci_dev *pci_get_slot(u16 seg, u8 bus, u8 devfn);
/* The next function after @from (NULL: the first) with these ids. */
struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device,
			       const struct pci_dev *from);

/* Turn on I/O and memory decoding: 0, or -EIO if the function refuses. */
int pci_enable_device(struct pci_dev *dev);
/* Let the function do DMA (bus mastering); and forbid it. */
void pci_set_master(struct pci_dev *dev);
void pci_clear_master(struct pci_dev *dev);
/* Allow (true) or forbid (false) the function's INTx# interrupt. */
void pci_intx(struct pci_dev *dev, bool enable);

/*
 * Map a memory BAR uncached: the whole of it, or @len bytes from @offset.
 * Return the mapping or ERR_PTR(): -EINVAL for an I/O or absent BAR or a
 * range outside it, -ENXIO when firmware left the BAR unassigned, -ENOMEM
 * when the mapping cannot be made.  Never NULL.
 */
void *pci_iomap(struct pci_dev *dev, int bar);
void *pci_iomap_range(struct pci_dev *dev, int bar, resource_size_t offset,
		      resource_size_t len);
void pci_iounmap(struct pci_dev *dev, void *addr);

/*
 * Capabilities: the offset of the first (or next after @pos) capability
 * with id @cap (PCI_CAP_ID_*), or 0.  Extended capabilities
 * (PCI_EXT_CAP_ID_*) exist only on PCIe functions reached through ECAM.
 * Both walks stop on loops and malformed pointers.
 */
u8 pci_find_capability(const struct pci_dev *dev, u8 cap);
u8 pci_find_next_capability(const struct pci_dev *dev, u8 pos, u8 cap);
u16 pci_find_ext_capability(const struct pci_dev *dev, u16 cap);

/* ---- Message-signalled interrupts ------------------------------------- */

/*
 * MSI: one message delivering @vector (from irq_alloc_vector()) to @cpu.
 * Disables INTx#.  -ENODEV without the capability, -EBUSY when MSI-X is on.
 */
int pci_enable_msi(struct pci_dev *dev, unsigned int vector, int cpu);
void pci_disable_msi(struct pci_dev *dev);

/*
 * MSI-X: table entry i delivers vectors[i] to @cpu for i < @n; the other
 * entries stay masked.  -ENODEV without the capability, -EINVAL when @n
 * exceeds the table or the table's BAR is unusable, -EBUSY when MSI or
 * MSI-X is already on, -EIO when memory decoding is off (call
 * pci_enable_device() first).
 */
int pci_enable_msix(struct pci_dev *dev, const unsigned int *vectors, int n,
		    int cpu);
void pci_disable_msix(struct pci_dev *dev);
/* Entries in the MSI-X table, or -ENODEV. */
int pci_msix_vec_count(const struct pci_dev *dev);

/* ---- Drivers ----------------------------------------------------------- */

/*
 * A device matches an entry when each id is PCI_ANY_ID or equal, and
 * (dev->class & class_mask) == class.  Write entries with PCI_DEVICE() or
 * PCI_DEVICE_CLASS() so that unused fields are wildcards; a table ends with
 * an all-zero entry.
 */
struct pci_device_id {
	u32 vendor;
	u32 device;
	u32 subvendor;
	u32 subdevice;
	u32 class;
	u32 class_mask;
	unsigned long driver_data;	/* for the driver, e.g. a chip variant */
};

#define PCI_DEVICE(vend, dev)						\
	.vendor = (vend), .device = (dev),				\
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID

#define PCI_DEVICE_CLASS(dev_class, dev_class_mask)			\
	.vendor = PCI_ANY_ID, .device = PCI_ANY_ID,			\
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID,		\
	.class = (dev_class), .class_mask = (dev_class_mask)

struct pci_driver {
	const char *name;				/* required */
	const struct pci_device_id *id_table;		/* required */
	/* required: 0 binds the driver, an error lets the next one try */
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	/* optional: undo probe, called by pci_unbind_driver() */
	void (*remove)(struct pci_dev *dev);
};

/*
 * Define and register a driver: the structure goes to the .pci_drivers
 * linker section, between __pci_drivers_start and __pci_drivers_end.
 */
#define DEFINE_PCI_DRIVER(var)						\
	static const struct pci_driver var				\
	__used __section(".pci_drivers") __aligned(8)

/* The entry of @ids that @dev matches, or NULL. */
const struct pci_device_id *pci_match_id(const struct pci_device_id *ids,
					 const struct pci_dev *dev);

/*
 * Detach the bound driver: its remove(), then MSI/MSI-X and bus mastering
 * off (decoding stays on, as for a function no driver claimed).  No-op
 * when no driver is bound.
 */
void pci_unbind_driver(struct pci_dev *dev);

#endif /* _LEGO_PCI_H */
