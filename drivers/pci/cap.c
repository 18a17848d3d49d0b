// SPDX-License-Identifier: GPL-2.0
/*
 * Capability lists: the linked list above the standard header (PCI 3.0
 * 6.7) and the PCIe extended list from 0x100 (PCIe 4.0 7.6.3).
 *
 * A device's list is outside input: a pointer into the header, a pointer
 * back to itself or a cycle must end the walk, not the kernel.  Each walk
 * is bounded by how many capabilities could fit at all.  Only config reads
 * are used, so tests/host/test_pci.c runs this file over fake config
 * spaces.
 */
#include <lego/pci.h>
#include <lego/types.h>

#include "internal.h"

/* Walk from the pointer held in the byte at @ptr_reg. */
static u8 pci_walk_caps(const struct pci_dev *dev, int ptr_reg, u8 cap)
{
	int ttl = PCI_FIND_CAP_TTL;
	u16 ent;
	u8 pos;

	if (pci_read_config_byte(dev, ptr_reg, &pos))
		return 0;
	while (ttl--) {
		/* The low two bits are reserved; below 0x40 is the header. */
		pos &= ~3;
		if (pos < PCI_STD_HEADER_SIZEOF)
			break;
		if (pci_read_config_word(dev, pos, &ent))
			break;
		if ((ent & 0xff) == 0xff)	/* no device answers */
			break;
		if ((ent & 0xff) == cap)
			return pos;
		pos = ent >> 8;
	}
	return 0;
}

u8 pci_find_capability(const struct pci_dev *dev, u8 cap)
{
	u16 status;

	if (pci_read_config_word(dev, PCI_STATUS, &status) ||
	    !(status & PCI_STATUS_CAP_LIST))
		return 0;
	if (dev->hdr_type == PCI_HEADER_TYPE_CARDBUS)
		return pci_walk_caps(dev, PCI_CB_CAPABILITY_LIST, cap);
	return pci_walk_caps(dev, PCI_CAPABILITY_LIST, cap);
}

u8 pci_find_next_capability(const struct pci_dev *dev, u8 pos, u8 cap)
{
	if (pos < PCI_STD_HEADER_SIZEOF)
		return 0;
	return pci_walk_caps(dev, pos + PCI_CAP_LIST_NEXT, cap);
}

u16 pci_find_ext_capability(const struct pci_dev *dev, u16 cap)
{
	int ttl = PCI_FIND_EXT_CAP_TTL;
	int pos = PCI_EXT_CAP_START;
	u32 header;

	/* Only PCIe functions have it, and only ECAM reaches it. */
	if (!dev->pcie_cap)
		return 0;
	while (ttl--) {
		if (pci_read_config_dword(dev, pos, &header))
			return 0;
		/* An empty list is a zero header; no device reads all ones. */
		if (header == 0 || header == ~0U)
			return 0;
		if (PCI_EXT_CAP_ID(header) == cap)
			return pos;
		pos = PCI_EXT_CAP_NEXT(header);
		if (pos < PCI_EXT_CAP_START)
			return 0;
	}
	return 0;
}
