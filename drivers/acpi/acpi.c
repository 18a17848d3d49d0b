// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI at boot: find the RSDP, decode the tables once into acpi_info, and
 * say what was found.
 *
 * The RSDP comes from the boot loader (multiboot2 hands over a copy) or,
 * failing that, from the two places 5.2.5.1 of the ACPI spec names for
 * IA-PC systems: the first KiB of the EBDA and the BIOS area 0xE0000-
 * 0xFFFFF.  The decoding itself is parse.c; here it reads firmware memory
 * through the direct map (RAM, ACPI and NVS ranges), after checking that
 * each page is mapped, or through memremap() for tables the firmware put
 * in reserved ranges, which the direct map leaves out.
 *
 * Without the MADT there is no way to find the CPUs and interrupt
 * controllers, so a missing RSDP or MADT panics with a message that says
 * which one and why.  Tested on QEMU 7.2 (SeaBIOS) pc and q35 machines.
 */
#define pr_fmt(fmt) "ACPI: " fmt

#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/init.h>
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/printk.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/processor.h>

#include "internal.h"
#include "tables.h"

struct acpi_info acpi_info;
u32 acpi_boot_apic_id;

static struct acpi_parse acpi_parse __initdata;

/* The direct map's span (asm/page.h): beyond it lie other mappings. */
#define ACPI_DIRECT_MAP_SPAN	(64ULL << 40)

/*
 * Firmware pointers are checked page by page against the kernel page
 * tables: a corrupt address becomes a skipped table, not a page fault.
 */
static const void *acpi_map_direct(phys_addr_t phys, size_t len)
{
	unsigned long va, end;
	int level;

	if (!len || phys + len < phys || phys + len > ACPI_DIRECT_MAP_SPAN)
		return NULL;
	va = (unsigned long)phys_to_virt(phys);
	end = va + len;
	va &= PAGE_MASK;
	while (va < end) {
		if (!lookup_kernel_pte(va, &level))
			return memremap(phys, len);
		/* A level-l entry maps 4 KiB << 9l. */
		va = ALIGN_DOWN(va, PAGE_SIZE << (9 * level)) +
		     (PAGE_SIZE << (9 * level));
	}
	return phys_to_virt(phys);
}

/* The initial APIC id of this CPU: CPUID leaf 0xb (x2APIC), else leaf 1. */
static u32 __init acpi_read_apic_id(void)
{
	u32 a, b, c, d;

	cpuid(0, &a, &b, &c, &d);
	if (a >= 0xb) {
		cpuid_count(0xb, 0, &a, &b, &c, &d);
		if (b & 0xffff)
			return d;
	}
	cpuid(1, &a, &b, &c, &d);
	return b >> 24;
}

static bool __init acpi_cpu_listed(u32 apic_id)
{
	unsigned int i;

	for (i = 0; i < acpi_info.nr_cpus; i++)
		if (acpi_info.cpus[i].apic_id == apic_id)
			return true;
	return false;
}

static phys_addr_t __init acpi_find_rsdp(phys_addr_t hint)
{
	const u16 *seg;
	phys_addr_t ebda, rsdp;

	if (hint) {
		if (acpi_map_rsdp(acpi_map_direct, hint))
			return hint;
		pr_warn("the boot loader's RSDP at 0x%llx is invalid: scanning for one\n",
			(unsigned long long)hint);
	}

	/* The EBDA's real-mode segment; it must lie below the 640 KiB hole. */
	seg = acpi_map_direct(ACPI_EBDA_PTR_PHYS, sizeof(*seg));
	ebda = seg ? (phys_addr_t)*seg << 4 : 0;
	if (ebda >= 0x400 && ebda + ACPI_EBDA_SCAN_LEN <= 0xa0000) {
		rsdp = acpi_rsdp_scan(acpi_map_direct, ebda,
				      ACPI_EBDA_SCAN_LEN);
		if (rsdp)
			return rsdp;
	}
	return acpi_rsdp_scan(acpi_map_direct, ACPI_BIOS_ROM_START,
			      ACPI_BIOS_ROM_END - ACPI_BIOS_ROM_START);
}

static void __init acpi_print_tables(const struct acpi_parse *p)
{
	unsigned int i;

	for (i = 0; i < p->nr_tables; i++) {
		const struct acpi_table_desc *d = &p->tables[i];

		pr_info("%s 0x%016llx %6u bytes%s\n", d->signature,
			(unsigned long long)d->addr, d->length,
			d->valid ? "" : " (bad, ignored)");
	}
	if (p->nr_tables_unrecorded)
		pr_info("... and %u more tables\n", p->nr_tables_unrecorded);
}

static void __init acpi_print_cpus(const struct acpi_info *info,
				   const struct acpi_parse *p)
{
	char line[128];
	unsigned int i, pos = 0;

	pr_info("%u CPUs, local APIC at 0x%llx, %s\n", info->nr_cpus,
		(unsigned long long)info->lapic_addr,
		info->has_8259 ? "8259 PICs present" : "no 8259 PICs");
	if (p->nr_disabled_cpus)
		pr_info("%u disabled CPUs ignored\n", p->nr_disabled_cpus);
	for (i = 0; i < info->nr_cpus; i++) {
		pos += scnprintf(line + pos, sizeof(line) - pos, " %u",
				 info->cpus[i].apic_id);
		if (pos > sizeof(line) - 12 || i + 1 == info->nr_cpus) {
			pr_info("APIC ids:%s\n", line);
			pos = 0;
		}
	}
	for (i = 0; i < p->nr_lapic_nmis; i++) {
		const struct acpi_lapic_nmi *n = &p->lapic_nmis[i];

		if (n->acpi_uid == ACPI_UID_ALL_PROCESSORS)
			pr_info("NMI on LINT%u of all CPUs\n", n->lint);
		else
			pr_info("NMI on LINT%u of CPU uid %u\n", n->lint,
				n->acpi_uid);
	}
}

static void __init acpi_print_irqs(const struct acpi_info *info)
{
	unsigned int i;

	for (i = 0; i < info->nr_ioapics; i++)
		pr_info("IOAPIC id %u at 0x%llx, GSI base %u\n",
			info->ioapics[i].id,
			(unsigned long long)info->ioapics[i].addr,
			info->ioapics[i].gsi_base);
	for (i = 0; i < info->nr_overrides; i++) {
		const struct acpi_irq_override *o = &info->overrides[i];

		pr_info("ISA IRQ %u -> GSI %u, %s, active %s\n", o->source,
			o->gsi, o->level ? "level" : "edge",
			o->active_low ? "low" : "high");
	}
	if (info->sci_irq)
		pr_info("SCI on IRQ %u\n", info->sci_irq);
}

static void __init acpi_print_summary(const struct acpi_parse *p)
{
	const struct acpi_info *info = p->info;
	unsigned int i;

	pr_info("RSDP at 0x%llx, revision %u, OEM '%s', using the %s\n",
		(unsigned long long)info->rsdp_addr, info->revision,
		info->oem_id, p->root_is_xsdt ? "XSDT" : "RSDT");
	acpi_print_tables(p);
	acpi_print_cpus(info, p);
	acpi_print_irqs(info);
	for (i = 0; i < info->nr_mcfg; i++)
		pr_info("MCFG: ECAM for segment %u buses %02x-%02x at 0x%llx\n",
			info->mcfg[i].segment, info->mcfg[i].bus_start,
			info->mcfg[i].bus_end,
			(unsigned long long)info->mcfg[i].base);
	if (!info->nr_mcfg)
		pr_info("no MCFG: PCI config space through ports 0xcf8/0xcfc only\n");
	if (info->hpet_addr)
		pr_info("HPET at 0x%llx\n", (unsigned long long)info->hpet_addr);
	if (info->pm_timer_port)
		pr_info("PM timer at port 0x%x, %s\n", info->pm_timer_port,
			info->pm_timer_32bit ? "32-bit" : "24-bit");
}

void __init acpi_init(phys_addr_t rsdp_hint)
{
	struct acpi_parse *p = &acpi_parse;
	phys_addr_t rsdp = acpi_find_rsdp(rsdp_hint);
	int ret;

	if (!rsdp)
		panic("ACPI: no RSDP found (looked in the boot loader's tags, the EBDA and 0xE0000-0xFFFFF): LegoOS needs the ACPI MADT to find CPUs and interrupt controllers");

	ret = acpi_parse_tables(p, rsdp, acpi_map_direct, &acpi_info);
	if (ret == -ENODEV)
		panic("ACPI: the RSDP at 0x%llx leads to no valid XSDT or RSDT, so no MADT (APIC) table: LegoOS needs it to find CPUs and interrupt controllers",
		      (unsigned long long)rsdp);
	if (ret)
		panic("ACPI: the RSDP at 0x%llx cannot be decoded (%d)",
		      (unsigned long long)rsdp, ret);
	acpi_print_summary(p);

	if (!acpi_parse_seen(p, ACPI_T_MADT))
		panic("ACPI: no valid MADT (APIC) table found: LegoOS needs it to find CPUs and interrupt controllers");
	if (!acpi_info.nr_cpus)
		panic("ACPI: the MADT (APIC) table lists no enabled CPU");
	if (!acpi_info.nr_ioapics)
		pr_warn("the MADT lists no IOAPIC\n");
	acpi_boot_apic_id = acpi_read_apic_id();
	if (!acpi_cpu_listed(acpi_boot_apic_id))
		pr_warn("the boot CPU (APIC id %u) is not in the MADT\n",
			acpi_boot_apic_id);
}
