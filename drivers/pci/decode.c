// SPDX-License-Identifier: GPL-2.0
/*
 * Pure PCI helpers, host-tested in tests/host/test_pci.c: what a sized BAR
 * means, and whether a driver's id entry matches a function.
 */
#include <lego/pci.h>
#include <lego/types.h>

#include "internal.h"

/* x86 I/O space is 64 KiB: BARs may hardwire the bits above to zero. */
#define PCI_IO_SPACE_MASK	0xffffULL

/*
 * PCI 3.0 6.2.5.1: after writing all ones, a BAR reads back with its
 * address bits below the size hardwired to zero, so the size is the lowest
 * writable address bit.  @orig and @sized are the values before and after
 * (the upper dword in bits 63:32 for a 64-bit BAR, else zero).
 */
void pci_decode_bar(u64 orig, u64 sized, struct pci_bar *bar)
{
	u64 mask;

	*bar = (struct pci_bar){ 0 };
	if (orig & PCI_BASE_ADDRESS_SPACE_IO) {
		mask = PCI_BASE_ADDRESS_IO_MASK & PCI_IO_SPACE_MASK;
		bar->flags = PCI_BAR_IO;
	} else {
		mask = ~(u64)0xf;
		bar->flags = PCI_BAR_MEM;
		if ((orig & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
		    PCI_BASE_ADDRESS_MEM_TYPE_64)
			bar->flags |= PCI_BAR_MEM64;
		else
			mask &= 0xffffffffULL;
		if (orig & PCI_BASE_ADDRESS_MEM_PREFETCH)
			bar->flags |= PCI_BAR_PREFETCH;
	}
	sized &= mask;
	if (!sized) {
		/* Nothing writable: the BAR is not implemented. */
		bar->flags = 0;
		return;
	}
	bar->size = sized & -sized;
	bar->start = orig & mask;
}

bool pci_match_one(const struct pci_device_id *id, const struct pci_dev *dev)
{
	return (id->vendor == PCI_ANY_ID || id->vendor == dev->vendor) &&
	       (id->device == PCI_ANY_ID || id->device == dev->device) &&
	       (id->subvendor == PCI_ANY_ID ||
		id->subvendor == dev->subsystem_vendor) &&
	       (id->subdevice == PCI_ANY_ID ||
		id->subdevice == dev->subsystem_device) &&
	       !((id->class ^ dev->class) & id->class_mask);
}

/* The all-zero terminator (a real entry names a vendor or a class). */
bool pci_id_table_end(const struct pci_device_id *id)
{
	return !id->vendor && !id->device && !id->subvendor &&
	       !id->subdevice && !id->class_mask;
}

const struct pci_device_id *pci_match_id(const struct pci_device_id *ids,
					 const struct pci_dev *dev)
{
	for (; ids && !pci_id_table_end(ids); ids++)
		if (pci_match_one(ids, dev))
			return ids;
	return NULL;
}
