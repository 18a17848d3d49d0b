// SPDX-License-Identifier: GPL-2.0
/*
 * MADT decoding (ACPI 6.5, 5.2.12): the CPUs, IOAPICs, ISA interrupt
 * overrides, LAPIC NMI wiring and the local APIC address.
 *
 * Entries are walked by their own length, which is checked against the
 * end of the table before anything in the entry is read; a length that
 * is zero or runs past the end stops the walk (it cannot be trusted to
 * find the next entry), an entry too short for its type is skipped.
 * Duplicates and entries past acpi_info's limits are dropped with a
 * count or a warning.  Pure: host-tested with parse.c.
 */
#define pr_fmt(fmt) "ACPI: " fmt

#include <lego/compiler.h>
#include <lego/printk.h>
#include <lego/types.h>

#include "internal.h"
#include "tables.h"

static void add_cpu(struct acpi_parse *p, u32 apic_id, u32 uid, u32 flags)
{
	struct acpi_info *info = p->info;
	unsigned int i;

	if (!(flags & (ACPI_LAPIC_ENABLED | ACPI_LAPIC_ONLINE_CAPABLE))) {
		p->nr_disabled_cpus++;
		return;
	}
	for (i = 0; i < info->nr_cpus; i++) {
		if (info->cpus[i].apic_id == apic_id) {
			pr_warn("MADT lists APIC id %u twice: duplicate ignored\n",
				apic_id);
			return;
		}
	}
	if (info->nr_cpus == ACPI_MAX_CPUS) {
		p->nr_dropped++;
		return;
	}
	info->cpus[info->nr_cpus].apic_id = apic_id;
	info->cpus[info->nr_cpus].acpi_uid = uid;
	info->nr_cpus++;
}

static void madt_lapic(struct acpi_parse *p, const void *entry)
{
	const struct acpi_madt_lapic *e = entry;

	/* 0xff is the xAPIC broadcast id: such CPUs need an x2APIC entry. */
	if (e->apic_id == 0xff) {
		pr_warn("MADT LAPIC entry with APIC id 0xff ignored\n");
		return;
	}
	add_cpu(p, e->apic_id, e->acpi_uid, e->flags);
}

static void madt_x2apic(struct acpi_parse *p, const void *entry)
{
	const struct acpi_madt_x2apic *e = entry;

	if (e->x2apic_id == 0xffffffff) {
		pr_warn("MADT x2APIC entry with id 0xffffffff ignored\n");
		return;
	}
	add_cpu(p, e->x2apic_id, e->acpi_uid, e->flags);
}

static void madt_ioapic(struct acpi_parse *p, const void *entry)
{
	const struct acpi_madt_ioapic *e = entry;
	struct acpi_info *info = p->info;
	struct acpi_ioapic *io;
	unsigned int i;

	if (!e->address) {
		pr_warn("MADT IOAPIC id %u has address 0: ignored\n",
			e->ioapic_id);
		return;
	}
	for (i = 0; i < info->nr_ioapics; i++) {
		if (info->ioapics[i].id == e->ioapic_id ||
		    info->ioapics[i].addr == e->address) {
			pr_warn("MADT IOAPIC id %u at 0x%x duplicates an earlier one: ignored\n",
				e->ioapic_id, e->address);
			return;
		}
	}
	if (info->nr_ioapics == ACPI_MAX_IOAPICS) {
		p->nr_dropped++;
		return;
	}
	io = &info->ioapics[info->nr_ioapics++];
	io->id = e->ioapic_id;
	io->addr = e->address;
	io->gsi_base = e->gsi_base;
}

/*
 * Table 5.26 MPS INTI flags.  "Conforms to the bus" means the ISA
 * defaults: active high, edge triggered.  Reserved encodings are reported
 * and treated as "conforms".
 */
static void decode_inti(u16 flags, bool *level, bool *active_low,
			const char *what, unsigned int irq)
{
	unsigned int pol = flags & ACPI_INTI_POLARITY_MASK;
	unsigned int trig = (flags >> ACPI_INTI_TRIGGER_SHIFT) &
			    ACPI_INTI_TRIGGER_MASK;

	*active_low = pol == ACPI_INTI_POLARITY_LOW;
	*level = trig == ACPI_INTI_TRIGGER_LEVEL;
	if (pol != ACPI_INTI_POLARITY_CONFORMS &&
	    pol != ACPI_INTI_POLARITY_HIGH && pol != ACPI_INTI_POLARITY_LOW)
		pr_warn("%s %u: reserved polarity %u, using active high\n",
			what, irq, pol);
	if (trig != ACPI_INTI_TRIGGER_CONFORMS &&
	    trig != ACPI_INTI_TRIGGER_EDGE && trig != ACPI_INTI_TRIGGER_LEVEL)
		pr_warn("%s %u: reserved trigger mode %u, using edge\n",
			what, irq, trig);
}

static void madt_irq_override(struct acpi_parse *p, const void *entry)
{
	const struct acpi_madt_irq_override *e = entry;
	struct acpi_info *info = p->info;
	struct acpi_irq_override *o;
	unsigned int i;

	if (e->bus != ACPI_MADT_BUS_ISA || e->source >= 16) {
		pr_warn("MADT override of bus %u IRQ %u is not an ISA IRQ: ignored\n",
			e->bus, e->source);
		return;
	}
	for (i = 0; i < info->nr_overrides; i++) {
		if (info->overrides[i].source == e->source) {
			pr_warn("MADT overrides ISA IRQ %u twice: second ignored\n",
				e->source);
			return;
		}
	}
	if (info->nr_overrides == ACPI_MAX_OVERRIDES) {
		p->nr_dropped++;
		return;
	}
	o = &info->overrides[info->nr_overrides++];
	o->source = e->source;
	o->gsi = e->gsi;
	decode_inti(e->flags, &o->level, &o->active_low, "ISA IRQ", e->source);
}

static void madt_lapic_nmi(struct acpi_parse *p, const void *entry)
{
	const struct acpi_madt_lapic_nmi *e = entry;
	struct acpi_lapic_nmi *n;

	if (e->lint > 1) {
		pr_warn("MADT LAPIC NMI on LINT%u does not exist: ignored\n",
			e->lint);
		return;
	}
	if (p->nr_lapic_nmis == ACPI_MAX_LAPIC_NMIS) {
		p->nr_dropped++;
		return;
	}
	n = &p->lapic_nmis[p->nr_lapic_nmis++];
	n->acpi_uid = e->acpi_uid;
	n->lint = e->lint;
	decode_inti(e->flags, &n->level, &n->active_low, "LAPIC NMI LINT",
		    e->lint);
}

static void madt_lapic_override(struct acpi_parse *p, const void *entry)
{
	const struct acpi_madt_lapic_override *e = entry;

	if (!e->address) {
		pr_warn("MADT LAPIC address override to 0 ignored\n");
		return;
	}
	p->info->lapic_addr = e->address;
}

struct madt_entry_handler {
	u8 min_len;
	const char *name;
	void (*parse)(struct acpi_parse *p, const void *entry);
};

/* Entry types we decode, by type; the rest are skipped silently. */
static const struct madt_entry_handler madt_handlers[] = {
	[ACPI_MADT_LAPIC] = {
		sizeof(struct acpi_madt_lapic), "LAPIC", madt_lapic },
	[ACPI_MADT_IOAPIC] = {
		sizeof(struct acpi_madt_ioapic), "IOAPIC", madt_ioapic },
	[ACPI_MADT_IRQ_OVERRIDE] = {
		sizeof(struct acpi_madt_irq_override), "interrupt override",
		madt_irq_override },
	[ACPI_MADT_LAPIC_NMI] = {
		sizeof(struct acpi_madt_lapic_nmi), "LAPIC NMI",
		madt_lapic_nmi },
	[ACPI_MADT_LAPIC_OVERRIDE] = {
		sizeof(struct acpi_madt_lapic_override),
		"LAPIC address override", madt_lapic_override },
	[ACPI_MADT_X2APIC] = {
		sizeof(struct acpi_madt_x2apic), "x2APIC", madt_x2apic },
};

static void madt_entry(struct acpi_parse *p, const struct acpi_madt_entry *e,
		       u32 off)
{
	const struct madt_entry_handler *h;

	if (e->type >= ARRAY_SIZE(madt_handlers))
		return;
	h = &madt_handlers[e->type];
	if (!h->parse)
		return;
	if (e->length < h->min_len) {
		pr_warn("MADT %s entry at offset %u is %u bytes, needs %u: ignored\n",
			h->name, off, e->length, h->min_len);
		return;
	}
	h->parse(p, e);
}

void acpi_parse_madt(struct acpi_parse *p, const struct acpi_sdt_header *h)
{
	const struct acpi_madt *madt = (const void *)h;
	const u8 *base = (const u8 *)madt;
	u32 len = h->length;
	u32 off = sizeof(*madt);

	p->info->lapic_addr = madt->lapic_addr;
	p->info->has_8259 = madt->flags & ACPI_MADT_PCAT_COMPAT;

	while (len - off >= sizeof(struct acpi_madt_entry)) {
		const struct acpi_madt_entry *e = (const void *)(base + off);

		if (e->length < sizeof(*e) || e->length > len - off) {
			pr_warn("MADT entry at offset %u (type %u) has length %u in a %u-byte table: rest of the MADT ignored\n",
				off, e->type, e->length, len);
			break;
		}
		madt_entry(p, e, off);
		off += e->length;
	}
	if (off != len && len - off < sizeof(struct acpi_madt_entry))
		pr_warn("MADT has %u stray bytes at its end\n", len - off);
}
