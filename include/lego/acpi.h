/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the rest of the kernel needs from the ACPI tables, decoded once at
 * boot by drivers/acpi.  Table layouts live in drivers/acpi/tables.h.
 */
#ifndef _LEGO_ACPI_H
#define _LEGO_ACPI_H

#include <lego/types.h>

#define ACPI_MAX_CPUS		256
#define ACPI_MAX_IOAPICS	8
#define ACPI_MAX_OVERRIDES	16
#define ACPI_MAX_MCFG		8

struct acpi_cpu {
	u32 apic_id;
	u32 acpi_uid;
};

struct acpi_ioapic {
	u32 id;
	u32 gsi_base;
	phys_addr_t addr;
};

/* MADT Interrupt Source Override: ISA @source is wired to @gsi. */
struct acpi_irq_override {
	u8 source;
	u32 gsi;
	bool level;		/* trigger mode: level (else edge) */
	bool active_low;	/* polarity: low (else high) */
};

/* MCFG: an ECAM window covering buses [bus_start, bus_end] of @segment. */
struct acpi_mcfg_entry {
	phys_addr_t base;
	u16 segment;
	u8 bus_start;
	u8 bus_end;
};

struct acpi_info {
	phys_addr_t rsdp_addr;
	u8 revision;
	char oem_id[7];

	phys_addr_t lapic_addr;
	bool has_8259;		/* MADT PCAT_COMPAT: legacy PICs present */
	unsigned int nr_cpus;
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	unsigned int nr_ioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned int nr_overrides;
	struct acpi_irq_override overrides[ACPI_MAX_OVERRIDES];

	unsigned int nr_mcfg;
	struct acpi_mcfg_entry mcfg[ACPI_MAX_MCFG];

	phys_addr_t hpet_addr;	/* 0 when there is no HPET table */
	u32 pm_timer_port;	/* FADT PM_TMR_BLK, 0 when absent */
	bool pm_timer_32bit;
	u16 sci_irq;
};

extern struct acpi_info acpi_info;

/*
 * Find and decode the tables.  @rsdp_hint is the RSDP the boot loader
 * handed over (physical address, 0 if none).  Panics with a message naming
 * the missing table when the RSDP or the MADT cannot be found: without them
 * there is no way to find the CPUs and interrupt controllers.
 */
void acpi_init(phys_addr_t rsdp_hint);

#endif /* _LEGO_ACPI_H */
