// SPDX-License-Identifier: GPL-2.0
/*
 * Message-signalled interrupts: MSI (PCI 3.0 6.8.1) and MSI-X (6.8.2).
 *
 * The driver allocates vectors with irq_alloc_vector(); this file writes
 * the address/data pair msi_compose_msg() gives for each vector and CPU
 * into the function's capability (MSI) or its table in a memory BAR
 * (MSI-X).  While MSI or MSI-X is on, INTx# is disabled.
 *
 * One MSI message per function (Multiple Message Enable = 0): drivers
 * wanting several vectors use MSI-X.  An MSI-X entry is masked while its
 * address and data change (6.8.2.9), and the whole function is masked
 * while the table is programmed.
 */
#define pr_fmt(fmt) "pci " fmt

#include <lego/err.h>
#include <lego/errno.h>
#include <lego/irq.h>
#include <lego/pci.h>
#include <lego/printk.h>
#include <asm/io.h>

#include "internal.h"

/* Vectors 0-31 are exceptions; the IDT has 256 entries. */
static bool msi_vector_valid(unsigned int vector)
{
	return vector >= 32 && vector <= 255;
}

int pci_enable_msi(struct pci_dev *dev, unsigned int vector, int cpu)
{
	int pos = dev->msi_cap;
	u16 ctrl, mask_reg;
	u32 data, mask;
	u64 addr;

	if (!pos)
		return -ENODEV;
	if (dev->msix_enabled || dev->msi_enabled)
		return -EBUSY;
	if (!msi_vector_valid(vector))
		return -EINVAL;
	msi_compose_msg(vector, cpu, &addr, &data);

	pci_read_config_word(dev, pos + PCI_MSI_FLAGS, &ctrl);
	if (!(ctrl & PCI_MSI_FLAGS_64BIT) && (addr >> 32))
		return -EINVAL;
	/* Program the message with MSI off and a single vector. */
	ctrl &= ~(PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
	pci_write_config_word(dev, pos + PCI_MSI_FLAGS, ctrl);
	pci_write_config_dword(dev, pos + PCI_MSI_ADDRESS_LO, (u32)addr);
	if (ctrl & PCI_MSI_FLAGS_64BIT) {
		pci_write_config_dword(dev, pos + PCI_MSI_ADDRESS_HI,
				       (u32)(addr >> 32));
		pci_write_config_word(dev, pos + PCI_MSI_DATA_64, (u16)data);
		mask_reg = pos + PCI_MSI_MASK_64;
	} else {
		pci_write_config_word(dev, pos + PCI_MSI_DATA_32, (u16)data);
		mask_reg = pos + PCI_MSI_MASK_32;
	}
	if (ctrl & PCI_MSI_FLAGS_MASKBIT) {
		pci_read_config_dword(dev, mask_reg, &mask);
		pci_write_config_dword(dev, mask_reg, mask & ~1U);
	}
	pci_intx(dev, false);
	pci_write_config_word(dev, pos + PCI_MSI_FLAGS,
			      ctrl | PCI_MSI_FLAGS_ENABLE);
	dev->msi_enabled = true;
	return 0;
}

void pci_disable_msi(struct pci_dev *dev)
{
	u16 ctrl;

	if (!dev->msi_enabled)
		return;
	pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &ctrl);
	pci_write_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS,
			      ctrl & ~PCI_MSI_FLAGS_ENABLE);
	pci_intx(dev, true);
	dev->msi_enabled = false;
}

int pci_msix_vec_count(const struct pci_dev *dev)
{
	u16 ctrl;

	if (!dev->msix_cap)
		return -ENODEV;
	pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &ctrl);
	return (ctrl & PCI_MSIX_FLAGS_QSIZE) + 1;
}

/* Map the table of @nr entries from the BAR the capability names. */
static void *msix_map_table(struct pci_dev *dev, unsigned int nr)
{
	u32 table;
	unsigned int bir;
	void *base;

	pci_read_config_dword(dev, dev->msix_cap + PCI_MSIX_TABLE, &table);
	bir = table & PCI_MSIX_TABLE_BIR;
	if (bir >= PCI_STD_NUM_BARS) {
		pr_err("%s: MSI-X table in BAR%u, which does not exist\n",
		       dev->name, bir);
		return ERR_PTR(-EINVAL);
	}
	base = pci_iomap_range(dev, bir, table & PCI_MSIX_TABLE_OFFSET,
			       (resource_size_t)nr * PCI_MSIX_ENTRY_SIZE);
	if (IS_ERR(base))
		pr_err("%s: cannot map the MSI-X table (BAR%u + 0x%x): %ld\n",
		       dev->name, bir, table & PCI_MSIX_TABLE_OFFSET,
		       PTR_ERR(base));
	return base;
}

static void msix_write_entry(u8 *entry, unsigned int vector, int cpu)
{
	u32 data, ctrl = readl(entry + PCI_MSIX_ENTRY_VECTOR_CTRL);
	u64 addr;

	msi_compose_msg(vector, cpu, &addr, &data);
	writel(ctrl | PCI_MSIX_ENTRY_CTRL_MASKBIT,
	       entry + PCI_MSIX_ENTRY_VECTOR_CTRL);
	writel((u32)addr, entry + PCI_MSIX_ENTRY_LOWER_ADDR);
	writel((u32)(addr >> 32), entry + PCI_MSIX_ENTRY_UPPER_ADDR);
	writel(data, entry + PCI_MSIX_ENTRY_DATA);
	writel(ctrl & ~PCI_MSIX_ENTRY_CTRL_MASKBIT,
	       entry + PCI_MSIX_ENTRY_VECTOR_CTRL);
}

static void msix_mask_entry(u8 *entry)
{
	u32 ctrl = readl(entry + PCI_MSIX_ENTRY_VECTOR_CTRL);

	writel(ctrl | PCI_MSIX_ENTRY_CTRL_MASKBIT,
	       entry + PCI_MSIX_ENTRY_VECTOR_CTRL);
}

int pci_enable_msix(struct pci_dev *dev, const unsigned int *vectors, int n,
		    int cpu)
{
	int pos = dev->msix_cap, nr = pci_msix_vec_count(dev), i;
	u16 ctrl;
	u8 *table;

	if (nr < 0)
		return nr;
	if (dev->msix_enabled || dev->msi_enabled)
		return -EBUSY;
	if (n < 1 || n > nr)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!msi_vector_valid(vectors[i]))
			return -EINVAL;
	/* The table lives in a memory BAR: without decoding it is not there. */
	pci_read_config_word(dev, PCI_COMMAND, &ctrl);
	if (!(ctrl & PCI_COMMAND_MEMORY))
		return -EIO;
	table = msix_map_table(dev, nr);
	if (IS_ERR(table))
		return PTR_ERR(table);

	pci_read_config_word(dev, pos + PCI_MSIX_FLAGS, &ctrl);
	ctrl |= PCI_MSIX_FLAGS_ENABLE;
	pci_write_config_word(dev, pos + PCI_MSIX_FLAGS,
			      ctrl | PCI_MSIX_FLAGS_MASKALL);
	for (i = 0; i < nr; i++) {
		u8 *entry = table + i * PCI_MSIX_ENTRY_SIZE;

		if (i < n)
			msix_write_entry(entry, vectors[i], cpu);
		else
			msix_mask_entry(entry);
	}
	pci_intx(dev, false);
	pci_write_config_word(dev, pos + PCI_MSIX_FLAGS,
			      ctrl & ~PCI_MSIX_FLAGS_MASKALL);

	dev->msix_table = table;
	dev->msix_nr = nr;
	dev->msix_enabled = true;
	return 0;
}

void pci_disable_msix(struct pci_dev *dev)
{
	u8 *table = dev->msix_table;
	unsigned int i;
	u16 ctrl;

	if (!dev->msix_enabled)
		return;
	for (i = 0; i < dev->msix_nr; i++)
		msix_mask_entry(table + i * PCI_MSIX_ENTRY_SIZE);
	pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &ctrl);
	pci_write_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS,
			      ctrl & ~(PCI_MSIX_FLAGS_ENABLE |
				       PCI_MSIX_FLAGS_MASKALL));
	pci_intx(dev, true);
	pci_iounmap(dev, table);
	dev->msix_table = NULL;
	dev->msix_nr = 0;
	dev->msix_enabled = false;
}
