/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private interface of drivers/acpi, grouped by the file that defines it.
 *
 * parse.c and madt.c are pure: they touch memory only through the @map
 * callback, so the host tests in tests/host/test_acpi.c run them over
 * synthetic tables, and acpi.c runs them over the firmware's through the
 * direct map.
 */
#ifndef _DRIVERS_ACPI_INTERNAL_H
#define _DRIVERS_ACPI_INTERNAL_H

#include <lego/acpi.h>
#include <lego/types.h>

struct acpi_rsdp;
struct acpi_sdt_header;

/*
 * Return a pointer through which @len bytes at physical @phys can be read,
 * or NULL when that range cannot be reached.  A pointer handed out stays
 * valid until the parse is over (the kernel uses the direct map).
 */
typedef const void *(*acpi_map_fn)(phys_addr_t phys, size_t len);

#define ACPI_MAX_TABLES		64
/* Larger than any table we decode; a length above it is corruption. */
#define ACPI_MAX_TABLE_LEN	(16U << 20)
#define ACPI_MAX_LAPIC_NMIS	8

/* A table the root table pointed at, for the boot summary. */
struct acpi_table_desc {
	char signature[5];	/* printable copy, NUL-terminated */
	phys_addr_t addr;
	u32 length;
	bool valid;		/* length and checksum were good */
};

struct acpi_lapic_nmi {
	u8 acpi_uid;		/* ACPI_UID_ALL_PROCESSORS for all */
	u8 lint;
	bool level;
	bool active_low;
};

/* The tables we decode; bits of acpi_parse.seen. */
enum acpi_known_table {
	ACPI_T_MADT,
	ACPI_T_FADT,
	ACPI_T_MCFG,
	ACPI_T_HPET,
};

/* Everything one run of the parser learnt, in and beside @info. */
struct acpi_parse {
	acpi_map_fn map;
	struct acpi_info *info;

	phys_addr_t root_addr;		/* the XSDT or RSDT used, 0 if none */
	bool root_is_xsdt;
	unsigned int nr_tables;		/* recorded in @tables */
	unsigned int nr_tables_unrecorded;
	struct acpi_table_desc tables[ACPI_MAX_TABLES];

	unsigned int seen;		/* BIT(enum acpi_known_table) */
	unsigned int nr_disabled_cpus;	/* neither enabled nor online-capable */
	unsigned int nr_dropped;	/* MADT/MCFG entries past our limits */
	unsigned int nr_lapic_nmis;
	struct acpi_lapic_nmi lapic_nmis[ACPI_MAX_LAPIC_NMIS];
};

static inline bool acpi_parse_seen(const struct acpi_parse *p,
				   enum acpi_known_table t)
{
	return p->seen & (1U << t);
}

/* acpi.c: the APIC id of the CPU that ran acpi_init(), the boot CPU. */
extern u32 acpi_boot_apic_id;

/* parse.c */
u8 acpi_checksum(const void *buf, size_t len);
bool acpi_rsdp_valid(const void *buf, size_t avail);
const struct acpi_rsdp *acpi_map_rsdp(acpi_map_fn map, phys_addr_t phys);
phys_addr_t acpi_rsdp_scan(acpi_map_fn map, phys_addr_t start, size_t len);
int acpi_parse_tables(struct acpi_parse *p, phys_addr_t rsdp_phys,
		      acpi_map_fn map, struct acpi_info *info);

/* madt.c: called by parse.c with a checksummed table of >= 44 bytes */
void acpi_parse_madt(struct acpi_parse *p, const struct acpi_sdt_header *h);

#endif /* _DRIVERS_ACPI_INTERNAL_H */
