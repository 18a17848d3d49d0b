// SPDX-License-Identifier: GPL-2.0
/*
 * Legacy PCI interrupts for NIC drivers: from the interrupt line firmware
 * programmed (PCI 3.0, 6.2.4: Interrupt Line) to an IOAPIC GSI.  On QEMU
 * pc and q35 SeaBIOS routes INTA#-INTD# to ISA IRQs 5, 9, 10 and 11, and
 * the MADT has an override for each (level, active high); QEMU's q35 ICH9
 * also drives the same level into GSI 16-23, which we do not use.
 * Tested with QEMU 7.2 e1000, e1000-82545em and virtio-net-pci,vectors=0
 * on pc and q35 (line 10 or 11, GSI 10 or 11).
 */
#define pr_fmt(fmt) "net " fmt

#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/kernel.h>

#include "internal.h"

#define PCI_IRQ_LINE_NONE	0xff

int nic_request_intx(struct pci_dev *pdev, irq_handler_t handler, void *data,
		     const char *name, unsigned int *gsi)
{
	unsigned int i, line = pdev->irq_line;
	bool active_low = true;
	int v;

	if (!pdev->irq_pin || line == PCI_IRQ_LINE_NONE || !line) {
		pr_err("%s: no legacy interrupt routed by firmware\n",
		       pci_name(pdev));
		return -ENODEV;
	}
	*gsi = line;
	for (i = 0; line < 16 && i < acpi_info.nr_overrides; i++) {
		const struct acpi_irq_override *o = &acpi_info.overrides[i];

		if (o->source == line) {
			/* PCI INTx# is level whatever the table says. */
			*gsi = o->gsi;
			active_low = o->active_low;
		}
	}
	v = request_gsi(*gsi, true, active_low, handler, data, name);
	if (v < 0)
		pr_err("%s: cannot route GSI %u: %d\n", pci_name(pdev), *gsi, v);
	return v;
}
