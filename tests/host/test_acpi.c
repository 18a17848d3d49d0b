// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for drivers/acpi/parse.c over synthetic firmware tables.
 *
 * "Physical memory" is a set of regions, each its own malloc() block of
 * exactly the bytes placed there, so a parser read one byte past what a
 * table (or the RSDP) holds is an AddressSanitizer error, and an address
 * outside every region is what the kernel's direct map would not reach:
 * the map callback returns NULL for it.
 */
#include "host_test.h"
#include "lego_host_rename.h"
#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/kernel.h>

#include "../../drivers/acpi/internal.h"
#include "../../drivers/acpi/tables.h"

/* ---- printk capture ------------------------------------------------- */

static char logbuf[65536];
static size_t log_len;

int printk(const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vscnprintf(logbuf + log_len, sizeof(logbuf) - log_len, fmt, args);
	va_end(args);
	log_len += n;
	return n;
}

static bool log_has(const char *s)
{
	return strstr(logbuf, s) != NULL;
}

/* ---- fake physical memory -------------------------------------------- */

struct region {
	phys_addr_t phys;
	size_t len;
	u8 *buf;
};

static struct region regions[32];
static unsigned int nr_regions;

static void place(phys_addr_t phys, const void *data, size_t len)
{
	struct region *r = &regions[nr_regions++];

	assert_true(nr_regions <= ARRAY_SIZE(regions));
	r->phys = phys;
	r->len = len;
	r->buf = malloc(len);
	assert_non_null(r->buf);
	memcpy(r->buf, data, len);
}

static const void *fake_map(phys_addr_t phys, size_t len)
{
	unsigned int i;

	for (i = 0; i < nr_regions; i++) {
		const struct region *r = &regions[i];

		if (phys >= r->phys && len <= r->len &&
		    phys - r->phys <= r->len - len)
			return r->buf + (phys - r->phys);
	}
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	nr_regions = 0;
	log_len = 0;
	logbuf[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < nr_regions; i++)
		free(regions[i].buf);
	nr_regions = 0;
	return 0;
}

/* ---- table builders ---------------------------------------------------- */

struct builder {
	u8 b[16384];
	size_t len;
};

static struct acpi_sdt_header *hdr(struct builder *b)
{
	return (struct acpi_sdt_header *)b->b;
}

static void b_begin(struct builder *b, const char *sig, size_t fixed)
{
	memset(b, 0, sizeof(*b));
	memcpy(hdr(b)->signature, sig, 4);
	memcpy(hdr(b)->oem_id, "LEGOOS", 6);
	hdr(b)->revision = 1;
	b->len = fixed;
}

static void b_add(struct builder *b, const void *data, size_t len)
{
	assert_true(b->len + len <= sizeof(b->b));
	memcpy(b->b + b->len, data, len);
	b->len += len;
}

static void b_fix(struct builder *b)
{
	hdr(b)->length = b->len;
	hdr(b)->checksum = 0;
	hdr(b)->checksum = -acpi_checksum(b->b, b->len);
}

static void b_place(struct builder *b, phys_addr_t phys)
{
	b_fix(b);
	place(phys, b->b, b->len);
}

static void put_rsdp(phys_addr_t at, u8 rev, u32 rsdt, u64 xsdt)
{
	struct acpi_rsdp r;

	memset(&r, 0, sizeof(r));
	memcpy(r.signature, ACPI_RSDP_SIG, 8);
	memcpy(r.oem_id, "BOCHS ", 6);
	r.revision = rev;
	r.rsdt_address = rsdt;
	if (rev >= 2) {
		r.length = sizeof(r);
		r.xsdt_address = xsdt;
	}
	r.checksum = -acpi_checksum(&r, ACPI_RSDP_V1_SIZE);
	if (rev >= 2)
		r.extended_checksum = -acpi_checksum(&r, sizeof(r));
	place(at, &r, rev >= 2 ? sizeof(r) : ACPI_RSDP_V1_SIZE);
}

static void put_xsdt(phys_addr_t at, const u64 *addrs, unsigned int n)
{
	struct builder b;

	b_begin(&b, ACPI_SIG_XSDT, sizeof(struct acpi_sdt_header));
	b_add(&b, addrs, n * sizeof(u64));
	b_place(&b, at);
}

static void put_rsdt(phys_addr_t at, const u32 *addrs, unsigned int n)
{
	struct builder b;

	b_begin(&b, ACPI_SIG_RSDT, sizeof(struct acpi_sdt_header));
	b_add(&b, addrs, n * sizeof(u32));
	b_place(&b, at);
}

static void madt_begin(struct builder *b, u32 lapic, u32 flags)
{
	struct acpi_madt *m = (struct acpi_madt *)b->b;

	b_begin(b, ACPI_SIG_MADT, sizeof(*m));
	m->lapic_addr = lapic;
	m->flags = flags;
}

static void add_lapic(struct builder *b, u8 uid, u8 id, u32 flags)
{
	struct acpi_madt_lapic e = {
		.h = { ACPI_MADT_LAPIC, sizeof(e) },
		.acpi_uid = uid, .apic_id = id, .flags = flags,
	};

	b_add(b, &e, sizeof(e));
}

static void add_x2apic(struct builder *b, u32 uid, u32 id, u32 flags)
{
	struct acpi_madt_x2apic e = {
		.h = { ACPI_MADT_X2APIC, sizeof(e) },
		.x2apic_id = id, .flags = flags, .acpi_uid = uid,
	};

	b_add(b, &e, sizeof(e));
}

static void add_ioapic(struct builder *b, u8 id, u32 addr, u32 gsi_base)
{
	struct acpi_madt_ioapic e = {
		.h = { ACPI_MADT_IOAPIC, sizeof(e) },
		.ioapic_id = id, .address = addr, .gsi_base = gsi_base,
	};

	b_add(b, &e, sizeof(e));
}

static void add_iso(struct builder *b, u8 bus, u8 src, u32 gsi, u16 flags)
{
	struct acpi_madt_irq_override e = {
		.h = { ACPI_MADT_IRQ_OVERRIDE, sizeof(e) },
		.bus = bus, .source = src, .gsi = gsi, .flags = flags,
	};

	b_add(b, &e, sizeof(e));
}

static void add_lapic_nmi(struct builder *b, u8 uid, u16 flags, u8 lint)
{
	struct acpi_madt_lapic_nmi e = {
		.h = { ACPI_MADT_LAPIC_NMI, sizeof(e) },
		.acpi_uid = uid, .flags = flags, .lint = lint,
	};

	b_add(b, &e, sizeof(e));
}

static void add_lapic_override(struct builder *b, u64 addr)
{
	struct acpi_madt_lapic_override e = {
		.h = { ACPI_MADT_LAPIC_OVERRIDE, sizeof(e) },
		.address = addr,
	};

	b_add(b, &e, sizeof(e));
}

static void put_fadt(phys_addr_t at, size_t len, u16 sci, u32 pm_tmr,
		     u8 pm_len, u32 flags, u8 x_space, u64 x_addr)
{
	struct builder b;
	struct acpi_fadt *f = (struct acpi_fadt *)b.b;

	b_begin(&b, ACPI_SIG_FADT, len);
	f->sci_int = sci;
	f->pm_tmr_blk = pm_tmr;
	f->pm_tmr_len = pm_len;
	f->flags = flags;
	if (len >= offsetof(struct acpi_fadt, x_gpe0_blk)) {
		f->x_pm_tmr_blk.space_id = x_space;
		f->x_pm_tmr_blk.address = x_addr;
	}
	b_place(&b, at);
}

static void put_mcfg(phys_addr_t at, const struct acpi_mcfg_alloc *a,
		     unsigned int n)
{
	struct builder b;

	b_begin(&b, ACPI_SIG_MCFG, sizeof(struct acpi_mcfg));
	b_add(&b, a, n * sizeof(*a));
	b_place(&b, at);
}

static void put_hpet(phys_addr_t at, u8 space, u64 addr)
{
	struct builder b;
	struct acpi_hpet *h = (struct acpi_hpet *)b.b;

	b_begin(&b, ACPI_SIG_HPET, sizeof(*h));
	h->base.space_id = space;
	h->base.address = addr;
	b_place(&b, at);
}

enum {
	RSDP = 0x1000, XSDT = 0x2000, RSDT = 0x3000, MADT = 0x4000,
	FADT = 0x6000, MCFG = 0x7000, HPET = 0x8000, MADT2 = 0x9000,
};

static struct acpi_parse parse;
static struct acpi_info info;

static int run_parse(phys_addr_t rsdp)
{
	return acpi_parse_tables(&parse, rsdp, fake_map, &info);
}

/* A QEMU-like MADT: two CPUs, one IOAPIC, the usual overrides. */
static void put_simple_madt(phys_addr_t at)
{
	struct builder b;

	madt_begin(&b, 0xfee00000, ACPI_MADT_PCAT_COMPAT);
	add_lapic(&b, 0, 0, ACPI_LAPIC_ENABLED);
	add_lapic(&b, 1, 1, ACPI_LAPIC_ENABLED);
	add_ioapic(&b, 0, 0xfec00000, 0);
	add_iso(&b, 0, 0, 2, 0);
	add_iso(&b, 0, 9, 9, 0xd);
	b_place(&b, at);
}

/* ---- tests --------------------------------------------------------------- */

static void test_checksum(void **state)
{
	u8 buf[5] = { 1, 2, 3, 4, (u8)-10 };

	(void)state;
	assert_int_equal(acpi_checksum(buf, 5), 0);
	assert_int_equal(acpi_checksum(buf, 4), 10);
	assert_int_equal(acpi_checksum(buf, 0), 0);
}

static void test_rsdp_valid(void **state)
{
	struct acpi_rsdp r;

	(void)state;
	put_rsdp(RSDP, 0, 0x1234, 0);
	assert_true(acpi_rsdp_valid(fake_map(RSDP, 20), 20));
	assert_false(acpi_rsdp_valid(fake_map(RSDP, 20), 19));

	put_rsdp(0x10000, 2, 0x1234, 0x5678);
	memcpy(&r, fake_map(0x10000, 36), 36);
	assert_true(acpi_rsdp_valid(&r, 36));
	assert_false(acpi_rsdp_valid(&r, 35));	/* needs all 36 bytes */
	r.extended_checksum++;
	assert_false(acpi_rsdp_valid(&r, 36));
	r.extended_checksum--;
	r.checksum++;
	assert_false(acpi_rsdp_valid(&r, 36));
	r.checksum--;
	r.signature[0] = 'r';
	assert_false(acpi_rsdp_valid(&r, 36));
}

static void test_rsdp_bad_length(void **state)
{
	struct acpi_rsdp r;

	(void)state;
	memset(&r, 0, sizeof(r));
	memcpy(r.signature, ACPI_RSDP_SIG, 8);
	r.revision = 2;
	r.length = 20;		/* shorter than a v2 RSDP */
	r.checksum = -acpi_checksum(&r, 20);
	r.extended_checksum = -acpi_checksum(&r, 36);
	assert_false(acpi_rsdp_valid(&r, 36));
	r.length = 0xffff;	/* longer than the memory */
	r.checksum = 0;
	r.checksum = -acpi_checksum(&r, 20);
	r.extended_checksum = 0;
	r.extended_checksum = -acpi_checksum(&r, 36);
	assert_false(acpi_rsdp_valid(&r, 36));
	place(RSDP, &r, sizeof(r));
	assert_null(acpi_map_rsdp(fake_map, RSDP));
	assert_int_equal(run_parse(RSDP), -ENOENT);
}

static void v1_rsdp(struct acpi_rsdp *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->signature, ACPI_RSDP_SIG, 8);
	r->checksum = -acpi_checksum(r, 20);
}

static void test_rsdp_scan(void **state)
{
	const size_t len = 0x20000;
	u8 *area = calloc(1, len);
	struct acpi_rsdp r;

	(void)state;
	v1_rsdp(&r);
	/* Misaligned, then aligned with a bad checksum: both skipped. */
	memcpy(area + 0x108, &r, 20);
	memcpy(area + 0x200, &r, 20);
	area[0x200 + 9] ^= 0xff;
	place(0xe0000, area, len);
	assert_int_equal(acpi_rsdp_scan(fake_map, 0xe0000, len), 0);
	teardown(state);

	memcpy(area + 0x1230, &r, 20);
	place(0xe0000, area, len);
	assert_int_equal(acpi_rsdp_scan(fake_map, 0xe0000, len), 0xe1230);
	/* The area's limit is respected even where memory goes on. */
	assert_int_equal(acpi_rsdp_scan(fake_map, 0xe0000, 0x1230 + 19), 0);
	assert_int_equal(acpi_rsdp_scan(fake_map, 0xe0000, 0x1230 + 20),
			 0xe1230);
	free(area);
}

static void test_rsdp_scan_holes(void **state)
{
	struct acpi_rsdp r;
	u8 page[0x100];

	(void)state;
	/* Only [0xf0000, 0xf0100) exists: the rest of the area is a hole. */
	memset(page, 0, sizeof(page));
	v1_rsdp(&r);
	memcpy(page + 0x40, &r, 20);
	place(0xf0000, page, sizeof(page));
	assert_int_equal(acpi_rsdp_scan(fake_map, 0xe0000, 0x20000), 0xf0040);

	/* A v2 RSDP cut off by the end of memory must not be read past it. */
	r.revision = 2;
	r.length = 36;
	r.checksum = 0;
	r.checksum = -acpi_checksum(&r, 20);
	r.extended_checksum = -acpi_checksum(&r, 36);
	memset(page, 0, sizeof(page));
	memcpy(page + 0xe0, &r, 0x20);
	place(0x50000, page, sizeof(page));
	assert_int_equal(acpi_rsdp_scan(fake_map, 0x50000, 0x100), 0);
}

static void test_full_v2(void **state)
{
	struct builder b;
	u64 x[] = { FADT, MADT, MCFG, HPET, 0 /* ignored */ };
	struct acpi_mcfg_alloc mc[] = {
		{ .base = 0xb0000000, .segment = 0, .bus_start = 0, .bus_end = 255 },
		{ .base = 0xc0000000, .segment = 1, .bus_start = 8, .bus_end = 4 },
	};
	unsigned int i;

	(void)state;
	put_rsdp(RSDP, 2, 0, XSDT);
	put_xsdt(XSDT, x, ARRAY_SIZE(x));

	madt_begin(&b, 0xfee00000, ACPI_MADT_PCAT_COMPAT);
	add_lapic(&b, 0, 0, ACPI_LAPIC_ENABLED);
	add_lapic(&b, 1, 1, 0);				/* disabled */
	add_lapic(&b, 2, 2, ACPI_LAPIC_ONLINE_CAPABLE);
	add_lapic(&b, 3, 0, ACPI_LAPIC_ENABLED);	/* duplicate id 0 */
	add_lapic(&b, 4, 0xff, ACPI_LAPIC_ENABLED);	/* broadcast id */
	add_x2apic(&b, 300, 0x1000, ACPI_LAPIC_ENABLED);
	add_x2apic(&b, 301, 2, ACPI_LAPIC_ENABLED);	/* duplicate id 2 */
	add_ioapic(&b, 0, 0xfec00000, 0);
	add_ioapic(&b, 1, 0xfec01000, 24);
	add_ioapic(&b, 2, 0xfec00000, 48);		/* duplicate address */
	add_iso(&b, 0, 0, 2, 0);			/* conforms: edge high */
	add_iso(&b, 0, 9, 9, 0xd);			/* level, active high */
	add_iso(&b, 0, 5, 5, 0xf);			/* level, active low */
	add_iso(&b, 0, 10, 10, 0x7);			/* edge, active low */
	add_iso(&b, 0, 11, 11, 0xa);			/* reserved both */
	add_iso(&b, 0, 0, 3, 0);			/* second IRQ 0 */
	add_iso(&b, 1, 3, 3, 0);			/* not ISA */
	add_iso(&b, 0, 16, 16, 0);			/* not an ISA IRQ */
	add_lapic_nmi(&b, 0xff, 0x5, 1);
	add_lapic_nmi(&b, 0, 0, 3);			/* no LINT3 */
	add_lapic_override(&b, 0xfee0000000ULL);
	b_place(&b, MADT);

	put_fadt(FADT, sizeof(struct acpi_fadt), 9, 0x608, 4,
		 ACPI_FADT_TMR_VAL_EXT, ACPI_GAS_SPACE_IO, 0x708);
	put_mcfg(MCFG, mc, ARRAY_SIZE(mc));
	put_hpet(HPET, ACPI_GAS_SPACE_MEMORY, 0xfed00000);

	assert_int_equal(run_parse(RSDP), 0);
	assert_true(parse.root_is_xsdt);
	assert_int_equal(parse.root_addr, XSDT);
	assert_int_equal(info.revision, 2);
	assert_string_equal(info.oem_id, "BOCHS");
	assert_int_equal(info.rsdp_addr, RSDP);

	/* XSDT + 4 tables, all valid */
	assert_int_equal(parse.nr_tables, 5);
	for (i = 0; i < parse.nr_tables; i++)
		assert_true(parse.tables[i].valid);
	assert_string_equal(parse.tables[0].signature, "XSDT");
	assert_string_equal(parse.tables[2].signature, "APIC");

	assert_int_equal(info.lapic_addr, 0xfee0000000ULL);
	assert_true(info.has_8259);
	assert_int_equal(info.nr_cpus, 3);
	assert_int_equal(info.cpus[0].apic_id, 0);
	assert_int_equal(info.cpus[1].apic_id, 2);
	assert_int_equal(info.cpus[1].acpi_uid, 2);
	assert_int_equal(info.cpus[2].apic_id, 0x1000);
	assert_int_equal(info.cpus[2].acpi_uid, 300);
	assert_int_equal(parse.nr_disabled_cpus, 1);
	assert_true(log_has("APIC id 0 twice"));
	assert_true(log_has("APIC id 2 twice"));

	assert_int_equal(info.nr_ioapics, 2);
	assert_int_equal(info.ioapics[1].id, 1);
	assert_int_equal(info.ioapics[1].addr, 0xfec01000);
	assert_int_equal(info.ioapics[1].gsi_base, 24);

	assert_int_equal(info.nr_overrides, 5);
	assert_int_equal(info.overrides[0].source, 0);
	assert_int_equal(info.overrides[0].gsi, 2);
	assert_false(info.overrides[0].level);
	assert_false(info.overrides[0].active_low);
	assert_true(info.overrides[1].level);
	assert_false(info.overrides[1].active_low);
	assert_true(info.overrides[2].level);
	assert_true(info.overrides[2].active_low);
	assert_false(info.overrides[3].level);
	assert_true(info.overrides[3].active_low);
	assert_false(info.overrides[4].level);		/* reserved: conforms */
	assert_false(info.overrides[4].active_low);
	assert_true(log_has("reserved polarity"));
	assert_true(log_has("reserved trigger"));
	assert_true(log_has("ISA IRQ 0 twice"));

	assert_int_equal(parse.nr_lapic_nmis, 1);
	assert_int_equal(parse.lapic_nmis[0].acpi_uid, 0xff);
	assert_int_equal(parse.lapic_nmis[0].lint, 1);

	assert_int_equal(info.sci_irq, 9);
	assert_int_equal(info.pm_timer_port, 0x708);	/* X_ wins */
	assert_true(info.pm_timer_32bit);

	assert_int_equal(info.nr_mcfg, 1);
	assert_int_equal(info.mcfg[0].base, 0xb0000000);
	assert_int_equal(info.mcfg[0].bus_end, 255);
	assert_true(log_has("malformed"));

	assert_int_equal(info.hpet_addr, 0xfed00000);
}

static void test_v1_rsdt(void **state)
{
	u32 r[] = { MADT, FADT };

	(void)state;
	put_rsdp(RSDP, 0, RSDT, 0);
	put_rsdt(RSDT, r, ARRAY_SIZE(r));
	put_simple_madt(MADT);
	/* A revision 1 FADT: 116 bytes, no X_ fields. */
	put_fadt(FADT, offsetof(struct acpi_fadt, reset_reg), 9, 0xb008, 4, 0,
		 0, 0);

	assert_int_equal(run_parse(RSDP), 0);
	assert_false(parse.root_is_xsdt);
	assert_int_equal(info.revision, 0);
	assert_int_equal(info.nr_cpus, 2);
	assert_int_equal(info.nr_ioapics, 1);
	assert_int_equal(info.nr_overrides, 2);
	assert_int_equal(info.lapic_addr, 0xfee00000);
	assert_int_equal(info.pm_timer_port, 0xb008);
	assert_false(info.pm_timer_32bit);
	assert_int_equal(info.nr_mcfg, 0);
	assert_int_equal(info.hpet_addr, 0);
}

static void test_xsdt_bad_falls_back(void **state)
{
	struct builder b;
	u64 x[] = { MADT };
	u32 r[] = { MADT };

	(void)state;
	put_rsdp(RSDP, 2, RSDT, XSDT);
	b_begin(&b, ACPI_SIG_XSDT, sizeof(struct acpi_sdt_header));
	b_add(&b, x, sizeof(x));
	b_fix(&b);
	hdr(&b)->checksum ^= 0x5a;
	place(XSDT, b.b, b.len);
	put_rsdt(RSDT, r, 1);
	put_simple_madt(MADT);

	assert_int_equal(run_parse(RSDP), 0);
	assert_false(parse.root_is_xsdt);
	assert_true(log_has("XSDT at 0x2000 has a bad checksum"));
	assert_true(acpi_parse_seen(&parse, ACPI_T_MADT));
	assert_int_equal(info.nr_cpus, 2);
}

static void test_no_root(void **state)
{
	(void)state;
	put_rsdp(RSDP, 2, 0, 0xdead0000);	/* unreachable XSDT, no RSDT */
	assert_int_equal(run_parse(RSDP), -ENODEV);
	assert_int_equal(run_parse(0x77770), -ENOENT);	/* no RSDP there */
}

static void test_wrong_root_signature(void **state)
{
	u32 r[] = { MADT };

	(void)state;
	put_rsdp(RSDP, 0, RSDT, 0);
	put_simple_madt(RSDT + 0x100);
	/* The RSDP points at a MADT instead of an RSDT. */
	put_rsdp(0x11000, 0, RSDT + 0x100, 0);
	put_rsdt(RSDT, r, 1);
	assert_int_equal(run_parse(0x11000), -ENODEV);
	assert_true(log_has("is not an RSDT"));
}

static void test_bad_madt_checksum(void **state)
{
	struct builder b;
	u64 x[] = { MADT };

	(void)state;
	put_rsdp(RSDP, 2, 0, XSDT);
	put_xsdt(XSDT, x, 1);
	madt_begin(&b, 0xfee00000, 0);
	add_lapic(&b, 0, 0, ACPI_LAPIC_ENABLED);
	b_fix(&b);
	hdr(&b)->checksum++;
	place(MADT, b.b, b.len);

	assert_int_equal(run_parse(RSDP), 0);
	assert_false(acpi_parse_seen(&parse, ACPI_T_MADT));
	assert_int_equal(info.nr_cpus, 0);
	assert_true(log_has("APIC at 0x4000 has a bad checksum: skipped"));
	assert_false(parse.tables[1].valid);
}

static void test_bad_lengths(void **state)
{
	struct builder b;
	u64 x[] = { MADT, MADT2, 0xdead0000, FADT, MCFG };

	(void)state;
	put_rsdp(RSDP, 2, 0, XSDT);
	put_xsdt(XSDT, x, ARRAY_SIZE(x));

	/* Claims 64 KiB but only 44 bytes are there. */
	madt_begin(&b, 0xfee00000, 0);
	b_fix(&b);
	hdr(&b)->length = 0x10000;
	place(MADT, b.b, b.len);
	/* Shorter than a header. */
	madt_begin(&b, 0xfee00000, 0);
	b_fix(&b);
	hdr(&b)->length = 10;
	place(MADT2, b.b, b.len);
	/* Too short to be a FADT or an MCFG: valid checksums, too short. */
	b_begin(&b, ACPI_SIG_FADT, 40);
	b_place(&b, FADT);
	b_begin(&b, ACPI_SIG_MCFG, 40);
	b_place(&b, MCFG);

	assert_int_equal(run_parse(RSDP), 0);
	assert_false(acpi_parse_seen(&parse, ACPI_T_MADT));
	assert_false(acpi_parse_seen(&parse, ACPI_T_FADT));
	assert_false(acpi_parse_seen(&parse, ACPI_T_MCFG));
	assert_true(log_has("cannot be reached"));
	assert_true(log_has("impossible length 10"));
	assert_true(log_has("FACP at 0x6000 is 40 bytes, too short"));
	assert_int_equal(parse.nr_tables, 6);
}

static void put_madt_rsdp(void)
{
	u64 x[] = { MADT };

	put_rsdp(RSDP, 2, 0, XSDT);
	put_xsdt(XSDT, x, 1);
}

static void test_madt_entry_length_zero(void **state)
{
	struct builder b;
	u8 zero[8] = { ACPI_MADT_LAPIC, 0, 1, 1, 1, 0, 0, 0 };

	(void)state;
	put_madt_rsdp();
	madt_begin(&b, 0xfee00000, 0);
	add_lapic(&b, 0, 0, ACPI_LAPIC_ENABLED);
	b_add(&b, zero, sizeof(zero));
	add_lapic(&b, 2, 2, ACPI_LAPIC_ENABLED);
	b_place(&b, MADT);

	assert_int_equal(run_parse(RSDP), 0);
	assert_int_equal(info.nr_cpus, 1);
	assert_true(log_has("has length 0"));
}

static void test_madt_entry_past_end(void **state)
{
	struct builder b;
	u8 last[4] = { ACPI_MADT_IOAPIC, 12, 0, 0 };

	(void)state;
	put_madt_rsdp();
	madt_begin(&b, 0xfee00000, 0);
	add_lapic(&b, 0, 0, ACPI_LAPIC_ENABLED);
	b_add(&b, last, sizeof(last));	/* claims 12 bytes, 4 remain */
	b_place(&b, MADT);

	assert_int_equal(run_parse(RSDP), 0);
	assert_int_equal(info.nr_cpus, 1);
	assert_int_equal(info.nr_ioapics, 0);
	assert_true(log_has("rest of the MADT ignored"));
}

static void test_madt_odd_tail(void **state)
{
	struct builder b;
	u8 one = ACPI_MADT_LAPIC;

	(void)state;
	put_madt_rsdp();
	madt_begin(&b, 0xfee00000, 0);
	add_lapic(&b, 0, 0, ACPI_LAPIC_ENABLED);
	b_add(&b, &one, 1);		/* a lone type byte, no length */
	b_place(&b, MADT);

	assert_int_equal(run_parse(RSDP), 0);
	assert_int_equal(info.nr_cpus, 1);
	assert_true(log_has("1 stray bytes"));
}

static void test_madt_entry_too_short(void **state)
{
	struct builder b;
	/* An x2APIC entry of 8 bytes: valid framing, too short for type 9. */
	u8 short_x2[8] = { ACPI_MADT_X2APIC, 8, 0, 0, 5, 0, 0, 0 };
	/* Unknown types are skipped silently. */
	u8 unknown[6] = { 0x7f, 6, 1, 2, 3, 4 };

	(void)state;
	put_madt_rsdp();
	madt_begin(&b, 0xfee00000, 0);
	b_add(&b, short_x2, sizeof(short_x2));
	b_add(&b, unknown, sizeof(unknown));
	add_lapic(&b, 1, 1, ACPI_LAPIC_ENABLED);
	b_place(&b, MADT);

	assert_int_equal(run_parse(RSDP), 0);
	assert_int_equal(info.nr_cpus, 1);
	assert_int_equal(info.cpus[0].apic_id, 1);
	assert_true(log_has("x2APIC entry at offset 44 is 8 bytes, needs 16"));
}

static void test_too_many_cpus(void **state)
{
	struct builder b;
	unsigned int i;

	(void)state;
	put_madt_rsdp();
	madt_begin(&b, 0xfee00000, 0);
	for (i = 0; i < ACPI_MAX_CPUS + 10; i++)
		add_x2apic(&b, i, i, ACPI_LAPIC_ENABLED);
	for (i = 0; i < ACPI_MAX_IOAPICS + 2; i++)
		add_ioapic(&b, i, 0xfec00000 + i * 0x1000, i * 24);
	b_place(&b, MADT);

	assert_int_equal(run_parse(RSDP), 0);
	assert_int_equal(info.nr_cpus, ACPI_MAX_CPUS);
	assert_int_equal(info.nr_ioapics, ACPI_MAX_IOAPICS);
	assert_int_equal(parse.nr_dropped, 12);
}

static void test_second_madt_ignored(void **state)
{
	struct builder b;
	u64 x[] = { MADT, MADT2 };

	(void)state;
	put_rsdp(RSDP, 2, 0, XSDT);
	put_xsdt(XSDT, x, 2);
	put_simple_madt(MADT);
	madt_begin(&b, 0xfee00000, 0);
	add_lapic(&b, 7, 7, ACPI_LAPIC_ENABLED);
	b_place(&b, MADT2);

	assert_int_equal(run_parse(RSDP), 0);
	assert_int_equal(info.nr_cpus, 2);
	assert_true(log_has("second APIC"));
}

static void test_fadt_variants(void **state)
{
	u64 x[] = { FADT };

	(void)state;
	put_rsdp(RSDP, 2, 0, XSDT);
	put_xsdt(XSDT, x, 1);

	/* X_PM_TMR_BLK in memory space: fall back to PM_TMR_BLK. */
	put_fadt(FADT, sizeof(struct acpi_fadt), 9, 0x608, 4, 0,
		 ACPI_GAS_SPACE_MEMORY, 0xfe000000);
	assert_int_equal(run_parse(RSDP), 0);
	assert_int_equal(info.pm_timer_port, 0x608);
	assert_true(log_has("not in I/O space"));
	teardown(state);
	setup(state);

	/* PM_TMR_LEN 0: no PM timer. */
	put_rsdp(RSDP, 2, 0, XSDT);
	put_xsdt(XSDT, x, 1);
	put_fadt(FADT, sizeof(struct acpi_fadt), 9, 0x608, 0,
		 ACPI_FADT_TMR_VAL_EXT, 0, 0);
	assert_int_equal(run_parse(RSDP), 0);
	assert_int_equal(info.pm_timer_port, 0);
	assert_false(info.pm_timer_32bit);
	teardown(state);
	setup(state);

	/* Hardware-reduced ACPI: no fixed hardware at all. */
	put_rsdp(RSDP, 2, 0, XSDT);
	put_xsdt(XSDT, x, 1);
	put_fadt(FADT, sizeof(struct acpi_fadt), 9, 0x608, 4,
		 ACPI_FADT_HW_REDUCED_ACPI, ACPI_GAS_SPACE_IO, 0x708);
	assert_int_equal(run_parse(RSDP), 0);
	assert_int_equal(info.pm_timer_port, 0);
	assert_int_equal(info.sci_irq, 9);
}

static void test_hpet_not_memory(void **state)
{
	u64 x[] = { HPET };

	(void)state;
	put_rsdp(RSDP, 2, 0, XSDT);
	put_xsdt(XSDT, x, 1);
	put_hpet(HPET, ACPI_GAS_SPACE_IO, 0x1234);
	assert_int_equal(run_parse(RSDP), 0);
	assert_int_equal(info.hpet_addr, 0);
}

static void test_mcfg_overlap_and_tail(void **state)
{
	struct builder b;
	u64 x[] = { MCFG };
	struct acpi_mcfg_alloc mc[] = {
		{ .base = 0xb0000000, .segment = 0, .bus_start = 0, .bus_end = 63 },
		{ .base = 0xb8000000, .segment = 0, .bus_start = 32, .bus_end = 127 },
		{ .base = 0xc0000000, .segment = 0, .bus_start = 64, .bus_end = 127 },
		{ .base = 0xd0080000, .segment = 1, .bus_start = 0, .bus_end = 0 },
	};
	u8 junk[5] = { 0 };

	(void)state;
	put_rsdp(RSDP, 2, 0, XSDT);
	put_xsdt(XSDT, x, 1);
	b_begin(&b, ACPI_SIG_MCFG, sizeof(struct acpi_mcfg));
	b_add(&b, mc, sizeof(mc));
	b_add(&b, junk, sizeof(junk));
	b_place(&b, MCFG);

	assert_int_equal(run_parse(RSDP), 0);
	assert_int_equal(info.nr_mcfg, 2);
	assert_int_equal(info.mcfg[1].base, 0xc0000000);
	assert_true(log_has("overlaps"));
	assert_true(log_has("malformed"));	/* not 1 MiB aligned */
	assert_true(log_has("5 stray bytes"));
}

/* Random MADT bodies with good checksums: must never crash or over-read. */
static void test_madt_fuzz(void **state)
{
	struct builder b;
	unsigned int round;

	(void)state;
	host_test_seed("acpi madt fuzz");
	for (round = 0; round < 2000; round++) {
		size_t body = rng_below(200);
		u8 junk[200];
		unsigned int i;

		teardown(state);
		setup(state);
		put_madt_rsdp();
		madt_begin(&b, 0xfee00000, 0);
		rng_fill(junk, body);
		/* Bias towards known types and plausible lengths. */
		for (i = 0; i + 1 < body; i += 2 + rng_below(16)) {
			junk[i] = rng_below(11);
			junk[i + 1] = rng_below(20);
		}
		b_add(&b, junk, body);
		b_place(&b, MADT);
		assert_int_equal(run_parse(RSDP), 0);
		assert_true(info.nr_cpus <= ACPI_MAX_CPUS);
		assert_true(info.nr_overrides <= ACPI_MAX_OVERRIDES);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_checksum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rsdp_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rsdp_bad_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rsdp_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rsdp_scan_holes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_v2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1_rsdt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xsdt_bad_falls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_root_signature, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_madt_checksum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_lengths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_madt_entry_length_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_madt_entry_past_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_madt_odd_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_madt_entry_too_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_cpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_madt_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fadt_variants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hpet_not_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mcfg_overlap_and_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_madt_fuzz, setup, teardown),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
