/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt vectors for drivers.
 *
 * Vectors 0-31 are CPU exceptions; 32-47 are reserved; 48-0xef are handed to
 * drivers; 0xf0-0xff are the kernel's own (IPIs, LAPIC timer, spurious).
 * A handler runs with interrupts disabled on the CPU that took the
 * interrupt; the EOI is sent by the core after it returns.
 */
#ifndef _LEGO_IRQ_H
#define _LEGO_IRQ_H

#include <lego/types.h>

typedef void (*irq_handler_t)(unsigned int vector, void *data);

/* Allocate a free vector and attach @handler; returns it or -ENOSPC. */
int irq_alloc_vector(irq_handler_t handler, void *data, const char *name);
void irq_free_vector(unsigned int vector);

/*
 * Route a legacy ISA IRQ (0-15, after ACPI interrupt source overrides) or a
 * global system interrupt through the IOAPIC to the boot CPU.  Returns the
 * vector used or a negative errno.
 */
int request_isa_irq(unsigned int isa_irq, irq_handler_t handler, void *data,
		    const char *name);
int request_gsi(unsigned int gsi, bool level, bool active_low,
		irq_handler_t handler, void *data, const char *name);

/* The MSI address/data pair that delivers @vector to @cpu (fixed, edge). */
void msi_compose_msg(unsigned int vector, int cpu, u64 *addr, u32 *data);

#endif /* _LEGO_IRQ_H */
