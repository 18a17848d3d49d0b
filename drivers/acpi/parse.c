// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI table decoding: from the RSDP, through the XSDT (or RSDT), to the
 * MADT (madt.c), FADT, MCFG and HPET, into struct acpi_info.
 *
 * Everything here comes from firmware and is validated before use: the
 * RSDP's checksums, every table's length and checksum (a bad table is
 * skipped with a warning naming its signature), each table's length against
 * what its decoder reads.  Memory is reached only through the caller's map
 * callback, which is what lets the host tests feed synthetic, truncated and
 * corrupt tables through this file.  No allocation, no global state.
 */
#define pr_fmt(fmt) "ACPI: " fmt

#include <lego/compiler.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/types.h>

#include "internal.h"
#include "tables.h"

static bool sig_eq(const char *a, const char *b, size_t n)
{
	while (n--)
		if (*a++ != *b++)
			return false;
	return true;
}

/* Copy @n firmware characters into a printable C string. */
static void copy_text(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	while (i > 0 && dst[i - 1] == ' ')
		i--;
	dst[i] = '\0';
}

static u64 get_le(const u8 *b, unsigned int bytes)
{
	u64 v = 0;

	while (bytes--)
		v = (v << 8) | b[bytes];
	return v;
}

u8 acpi_checksum(const void *buf, size_t len)
{
	const u8 *b = buf;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

/* 5.2.5.3: the 1.0 checksum always, the extended one from revision 2 on. */
bool acpi_rsdp_valid(const void *buf, size_t avail)
{
	const struct acpi_rsdp *rsdp = buf;

	if (avail < ACPI_RSDP_V1_SIZE ||
	    !sig_eq(rsdp->signature, ACPI_RSDP_SIG, ACPI_RSDP_SIG_LEN))
		return false;
	if (acpi_checksum(rsdp, ACPI_RSDP_V1_SIZE))
		return false;
	if (rsdp->revision < 2)
		return true;
	if (avail < sizeof(*rsdp) || rsdp->length < sizeof(*rsdp) ||
	    rsdp->length > avail)
		return false;
	return acpi_checksum(rsdp, rsdp->length) == 0;
}

/* Map the RSDP at @phys if it is valid, else NULL. */
const struct acpi_rsdp *acpi_map_rsdp(acpi_map_fn map, phys_addr_t phys)
{
	const struct acpi_rsdp *rsdp = map(phys, ACPI_RSDP_V1_SIZE);
	size_t len = ACPI_RSDP_V1_SIZE;

	if (!rsdp)
		return NULL;
	if (rsdp->revision >= 2) {
		rsdp = map(phys, sizeof(*rsdp));
		if (!rsdp)
			return NULL;
		len = rsdp->length;
		if (len < sizeof(*rsdp) || len > ACPI_MAX_TABLE_LEN)
			return NULL;
		rsdp = map(phys, len);
		if (!rsdp)
			return NULL;
	}
	return acpi_rsdp_valid(rsdp, len) ? rsdp : NULL;
}

/*
 * 5.2.5.1: the first valid RSDP on a 16-byte boundary of [start, start +
 * len), or 0.  Each candidate is mapped on its own, so holes in the area
 * are skipped rather than touched.
 */
phys_addr_t acpi_rsdp_scan(acpi_map_fn map, phys_addr_t start, size_t len)
{
	size_t off;

	for (off = 0; off + ACPI_RSDP_V1_SIZE <= len; off += ACPI_RSDP_ALIGN) {
		const char *sig = map(start + off, ACPI_RSDP_SIG_LEN);

		if (sig && sig_eq(sig, ACPI_RSDP_SIG, ACPI_RSDP_SIG_LEN) &&
		    acpi_map_rsdp(map, start + off))
			return start + off;
	}
	return 0;
}

static void record_table(struct acpi_parse *p, const struct acpi_table_desc *d)
{
	if (p->nr_tables < ACPI_MAX_TABLES)
		p->tables[p->nr_tables++] = *d;
	else
		p->nr_tables_unrecorded++;
}

/*
 * Map the table at @phys and check its length and checksum (5.2.6), filling
 * @d for the summary.  Returns NULL, after a warning, if the table is bad.
 */
static const struct acpi_sdt_header *map_table(struct acpi_parse *p,
					       phys_addr_t phys,
					       struct acpi_table_desc *d)
{
	const struct acpi_sdt_header *h = p->map(phys, sizeof(*h));

	*d = (struct acpi_table_desc){ .addr = phys, .signature = "????" };
	if (!h) {
		pr_warn("table at 0x%llx cannot be reached: skipped\n",
			(unsigned long long)phys);
		return NULL;
	}
	copy_text(d->signature, h->signature, 4);
	d->length = h->length;
	if (d->length < sizeof(*h) || d->length > ACPI_MAX_TABLE_LEN) {
		pr_warn("%s at 0x%llx has impossible length %u: skipped\n",
			d->signature, (unsigned long long)phys, d->length);
		return NULL;
	}
	h = p->map(phys, d->length);
	if (!h) {
		pr_warn("%s at 0x%llx (%u bytes) cannot be reached: skipped\n",
			d->signature, (unsigned long long)phys, d->length);
		return NULL;
	}
	if (acpi_checksum(h, d->length)) {
		pr_warn("%s at 0x%llx has a bad checksum: skipped\n",
			d->signature, (unsigned long long)phys);
		return NULL;
	}
	d->valid = true;
	return h;
}

/* ---- FADT (5.2.9): the SCI and the ACPI PM timer ------------------------ */

static bool fadt_has(const struct acpi_sdt_header *h, size_t off, size_t len)
{
	return h->length >= off + len;
}

static void parse_fadt(struct acpi_parse *p, const struct acpi_sdt_header *h)
{
	const struct acpi_fadt *f = (const void *)h;
	struct acpi_info *info = p->info;
	u64 port = 0;

	info->sci_irq = f->sci_int;
	if (f->flags & ACPI_FADT_HW_REDUCED_ACPI)
		return;

	/* The 64-bit X_PM_TMR_BLK supersedes PM_TMR_BLK when non-zero. */
	if (fadt_has(h, offsetof(struct acpi_fadt, x_pm_tmr_blk),
		     sizeof(f->x_pm_tmr_blk)) && f->x_pm_tmr_blk.address) {
		if (f->x_pm_tmr_blk.space_id == ACPI_GAS_SPACE_IO)
			port = f->x_pm_tmr_blk.address;
		else
			pr_warn("FADT X_PM_TMR_BLK is not in I/O space (space %u): using PM_TMR_BLK\n",
				f->x_pm_tmr_blk.space_id);
	}
	if (!port && f->pm_tmr_len == 4)
		port = f->pm_tmr_blk;
	if (port > 0xffff - 3) {
		pr_warn("FADT PM timer port 0x%llx is out of range: ignored\n",
			(unsigned long long)port);
		return;
	}
	info->pm_timer_port = (u32)port;
	info->pm_timer_32bit = port && (f->flags & ACPI_FADT_TMR_VAL_EXT);
}

/* ---- MCFG (PCI Firmware 3.x, 4.1.2) ------------------------------------ */

static bool mcfg_overlaps(const struct acpi_info *info,
			  const struct acpi_mcfg_alloc *a)
{
	unsigned int i;

	for (i = 0; i < info->nr_mcfg; i++) {
		const struct acpi_mcfg_entry *m = &info->mcfg[i];

		if (m->segment == a->segment && a->bus_start <= m->bus_end &&
		    m->bus_start <= a->bus_end)
			return true;
	}
	return false;
}

static void mcfg_add(struct acpi_parse *p, const struct acpi_mcfg_alloc *a)
{
	struct acpi_info *info = p->info;
	struct acpi_mcfg_entry *m;

	/* ECAM gives each bus 1 MiB: base + (bus << 20 | devfn << 12). */
	if (!a->base || (a->base & ((1ULL << 20) - 1)) ||
	    a->bus_start > a->bus_end) {
		pr_warn("MCFG window 0x%llx segment %u buses %u-%u is malformed: ignored\n",
			(unsigned long long)a->base, a->segment, a->bus_start,
			a->bus_end);
		return;
	}
	if (mcfg_overlaps(info, a)) {
		pr_warn("MCFG window for segment %u buses %u-%u overlaps an earlier one: ignored\n",
			a->segment, a->bus_start, a->bus_end);
		return;
	}
	if (info->nr_mcfg == ACPI_MAX_MCFG) {
		p->nr_dropped++;
		return;
	}
	m = &info->mcfg[info->nr_mcfg++];
	m->base = a->base;
	m->segment = a->segment;
	m->bus_start = a->bus_start;
	m->bus_end = a->bus_end;
}

static void parse_mcfg(struct acpi_parse *p, const struct acpi_sdt_header *h)
{
	const u8 *base = (const u8 *)h;
	u32 payload = h->length - sizeof(struct acpi_mcfg);
	u32 n = payload / sizeof(struct acpi_mcfg_alloc);
	u32 i;

	if (payload % sizeof(struct acpi_mcfg_alloc))
		pr_warn("MCFG has %u stray bytes at its end\n",
			payload % (u32)sizeof(struct acpi_mcfg_alloc));
	for (i = 0; i < n; i++)
		mcfg_add(p, (const void *)(base + sizeof(struct acpi_mcfg) +
					   i * sizeof(struct acpi_mcfg_alloc)));
}

/* ---- HPET (IA-PC HPET 1.0a, 3.2.4) ------------------------------------- */

static void parse_hpet(struct acpi_parse *p, const struct acpi_sdt_header *h)
{
	const struct acpi_hpet *t = (const void *)h;

	if (t->base.space_id != ACPI_GAS_SPACE_MEMORY || !t->base.address) {
		pr_warn("HPET base (space %u, address 0x%llx) is not memory: ignored\n",
			t->base.space_id,
			(unsigned long long)t->base.address);
		return;
	}
	p->info->hpet_addr = t->base.address;
}

/* ---- The root table (5.2.7 RSDT, 5.2.8 XSDT) ---------------------------- */

struct table_handler {
	char signature[5];
	enum acpi_known_table id;
	u32 min_len;		/* shortest table we can decode */
	void (*parse)(struct acpi_parse *p, const struct acpi_sdt_header *h);
};

static const struct table_handler table_handlers[] = {
	{ ACPI_SIG_MADT, ACPI_T_MADT, sizeof(struct acpi_madt),
	  acpi_parse_madt },
	/* A revision 1 FADT ends right after the flags. */
	{ ACPI_SIG_FADT, ACPI_T_FADT, offsetof(struct acpi_fadt, reset_reg),
	  parse_fadt },
	{ ACPI_SIG_MCFG, ACPI_T_MCFG, sizeof(struct acpi_mcfg), parse_mcfg },
	{ ACPI_SIG_HPET, ACPI_T_HPET, sizeof(struct acpi_hpet), parse_hpet },
};

static void parse_table(struct acpi_parse *p, phys_addr_t phys)
{
	struct acpi_table_desc d;
	const struct acpi_sdt_header *h = map_table(p, phys, &d);
	const struct table_handler *t;
	unsigned int i;

	for (i = 0; h && i < ARRAY_SIZE(table_handlers); i++) {
		t = &table_handlers[i];
		if (!sig_eq(h->signature, t->signature, 4))
			continue;
		if (h->length < t->min_len) {
			pr_warn("%s at 0x%llx is %u bytes, too short: skipped\n",
				t->signature, (unsigned long long)phys,
				h->length);
			d.valid = false;
		} else if (acpi_parse_seen(p, t->id)) {
			pr_warn("second %s at 0x%llx ignored\n", t->signature,
				(unsigned long long)phys);
		} else {
			p->seen |= 1U << t->id;
			t->parse(p, h);
		}
		break;
	}
	record_table(p, &d);
}

static const struct acpi_sdt_header *map_root(struct acpi_parse *p,
					      phys_addr_t phys, const char *sig)
{
	struct acpi_table_desc d;
	const struct acpi_sdt_header *h = map_table(p, phys, &d);

	if (h && !sig_eq(h->signature, sig, 4)) {
		pr_warn("root table at 0x%llx is not an %s: skipped\n",
			(unsigned long long)phys, sig);
		d.valid = false;
		h = NULL;
	}
	record_table(p, &d);
	return h;
}

/* Prefer the XSDT from revision 2 on, fall back to the RSDT. */
static const struct acpi_sdt_header *find_root(struct acpi_parse *p,
					       const struct acpi_rsdp *rsdp)
{
	const struct acpi_sdt_header *root;

	if (rsdp->revision >= 2 && rsdp->xsdt_address) {
		root = map_root(p, rsdp->xsdt_address, ACPI_SIG_XSDT);
		if (root) {
			p->root_addr = rsdp->xsdt_address;
			p->root_is_xsdt = true;
			return root;
		}
		pr_warn("falling back from the XSDT to the RSDT\n");
	}
	if (!rsdp->rsdt_address)
		return NULL;
	root = map_root(p, rsdp->rsdt_address, ACPI_SIG_RSDT);
	if (root)
		p->root_addr = rsdp->rsdt_address;
	return root;
}

int acpi_parse_tables(struct acpi_parse *p, phys_addr_t rsdp_phys,
		      acpi_map_fn map, struct acpi_info *info)
{
	const struct acpi_rsdp *rsdp;
	const struct acpi_sdt_header *root;
	unsigned int entry_size;
	u32 i, n, payload;

	*p = (struct acpi_parse){ .map = map, .info = info };
	*info = (struct acpi_info){ .rsdp_addr = rsdp_phys };

	rsdp = acpi_map_rsdp(map, rsdp_phys);
	if (!rsdp)
		return -ENOENT;
	info->revision = rsdp->revision;
	copy_text(info->oem_id, rsdp->oem_id, sizeof(rsdp->oem_id));

	root = find_root(p, rsdp);
	if (!root)
		return -ENODEV;

	entry_size = p->root_is_xsdt ? ACPI_XSDT_ENTRY_SIZE :
				       ACPI_RSDT_ENTRY_SIZE;
	payload = root->length - sizeof(*root);
	n = payload / entry_size;
	if (payload % entry_size)
		pr_warn("root table has %u stray bytes at its end\n",
			payload % entry_size);
	for (i = 0; i < n; i++) {
		const u8 *ent = (const u8 *)(root + 1) + i * entry_size;
		phys_addr_t addr = get_le(ent, entry_size);

		if (addr)
			parse_table(p, addr);
	}
	if (p->nr_dropped)
		pr_warn("%u MADT/MCFG entries past the kernel's limits ignored\n",
			p->nr_dropped);
	return 0;
}
