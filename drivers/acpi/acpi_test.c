// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite "acpi": what the firmware's tables told us is plausible for
 * the machine we run on.  The parser's edge cases (bad checksums,
 * truncated entries) are covered on the host by tests/host/test_acpi.c.
 */
#include <lego/acpi.h>
#include <lego/ktest.h>
#include <lego/pci.h>

#include "internal.h"

#define PCI_VENDOR_INTEL	0x8086
#define PCI_DEVICE_Q35_MCH	0x29c0	/* QEMU q35 host bridge */

static void cpus_found(struct ktest *t)
{
	KTEST_EXPECT_GE(t, acpi_info.nr_cpus, 1);
	KTEST_EXPECT_LE(t, acpi_info.nr_cpus, ACPI_MAX_CPUS);
}

static void boot_cpu_listed(struct ktest *t)
{
	unsigned int i;

	for (i = 0; i < acpi_info.nr_cpus; i++)
		if (acpi_info.cpus[i].apic_id == acpi_boot_apic_id)
			return;
	ktest_fail(t, __FILE__, __LINE__,
		   "boot CPU APIC id %u is not among the %u MADT CPUs",
		   acpi_boot_apic_id, acpi_info.nr_cpus);
}

static void cpus_unique(struct ktest *t)
{
	unsigned int i, j;

	for (i = 0; i < acpi_info.nr_cpus; i++)
		for (j = i + 1; j < acpi_info.nr_cpus; j++)
			KTEST_EXPECT_NE(t, acpi_info.cpus[i].apic_id,
					acpi_info.cpus[j].apic_id);
}

static void ioapic_found(struct ktest *t)
{
	unsigned int i;

	KTEST_ASSERT_GE(t, acpi_info.nr_ioapics, 1);
	for (i = 0; i < acpi_info.nr_ioapics; i++)
		KTEST_EXPECT_NE(t, acpi_info.ioapics[i].addr, 0);
}

static void lapic_address(struct ktest *t)
{
	KTEST_EXPECT_NE(t, acpi_info.lapic_addr, 0);
}

static void overrides_isa(struct ktest *t)
{
	unsigned int i, j;

	for (i = 0; i < acpi_info.nr_overrides; i++) {
		KTEST_EXPECT_LT(t, acpi_info.overrides[i].source, 16);
		for (j = i + 1; j < acpi_info.nr_overrides; j++)
			KTEST_EXPECT_NE(t, acpi_info.overrides[i].source,
					acpi_info.overrides[j].source);
	}
}

/* q35 has an MCFG; if its host bridge is here, so must the MCFG be. */
static void mcfg_on_q35(struct ktest *t)
{
	u32 id;

	if (pci_bus_read_config(0, 0, PCI_DEVFN(0, 0), PCI_VENDOR_ID, 4, &id)) {
		ktest_skip(t, "PCI configuration space unreachable");
		return;
	}
	if ((id & 0xffff) != PCI_VENDOR_INTEL ||
	    (id >> 16) != PCI_DEVICE_Q35_MCH) {
		ktest_skip(t, "not a q35 machine");
		return;
	}
	KTEST_ASSERT_GE(t, acpi_info.nr_mcfg, 1);
	KTEST_EXPECT_EQ(t, acpi_info.mcfg[0].segment, 0);
	KTEST_EXPECT_EQ(t, acpi_info.mcfg[0].bus_start, 0);
	KTEST_EXPECT_NE(t, acpi_info.mcfg[0].base, 0);
}

static const struct ktest_case acpi_cases[] = {
	KTEST_CASE(cpus_found),
	KTEST_CASE(boot_cpu_listed),
	KTEST_CASE(cpus_unique),
	KTEST_CASE(ioapic_found),
	KTEST_CASE(lapic_address),
	KTEST_CASE(overrides_isa),
	KTEST_CASE(mcfg_on_q35),
	{}
};
KTEST_SUITE(acpi, acpi_cases);
