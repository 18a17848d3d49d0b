/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI table layouts, exactly as the firmware lays them out in memory.
 *
 * Sources:
 *   ACPI Specification 6.5, chapter 5.2 ("ACPI System Description Tables"):
 *	RSDP, SDT header, RSDT, XSDT, FADT, MADT and its entries.
 *   PCI Firmware Specification 3.x, section 4.1.2: MCFG.
 *   IA-PC HPET Specification 1.0a, section 3.2.4: the HPET table.
 *
 * All fields are little-endian and unaligned (hence __packed).  Every size
 * is asserted against the spec's table so a typo cannot shift an offset.
 * What we do with these tables lives in parse.c; nothing here is trusted
 * until its checksum and length have been checked.
 */
#ifndef _DRIVERS_ACPI_TABLES_H
#define _DRIVERS_ACPI_TABLES_H

#include <lego/compiler.h>
#include <lego/types.h>

/* 5.2.3.2 Generic Address Structure (GAS) */
struct acpi_gas {
	u8 space_id;
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;
	u64 address;
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_gas) != 12);

#define ACPI_GAS_SPACE_MEMORY	0
#define ACPI_GAS_SPACE_IO	1

/* 5.2.5.3 Root System Description Pointer (RSDP) */
#define ACPI_RSDP_SIG		"RSD PTR "
#define ACPI_RSDP_SIG_LEN	8

struct acpi_rsdp {
	char signature[8];
	u8 checksum;		/* over the first 20 bytes (the 1.0 part) */
	char oem_id[6];
	u8 revision;		/* 0: ACPI 1.0 (20 bytes); 2: ACPI 2.0+ */
	u32 rsdt_address;
	/* Revision >= 2 only: */
	u32 length;		/* of the whole structure, 36 */
	u64 xsdt_address;
	u8 extended_checksum;	/* over all @length bytes */
	u8 reserved[3];
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_rsdp) != 36);
#define ACPI_RSDP_V1_SIZE	20
BUILD_BUG_ON(offsetof(struct acpi_rsdp, length) != ACPI_RSDP_V1_SIZE);

/*
 * 5.2.5.1 Finding the RSDP on IA-PC Systems: on a 16-byte boundary in the
 * first 1 KiB of the EBDA (whose real-mode segment is the 16-bit word at
 * 0x40E), or in the BIOS read-only area 0xE0000-0xFFFFF.
 */
#define ACPI_EBDA_PTR_PHYS	0x40e
#define ACPI_EBDA_SCAN_LEN	1024
#define ACPI_BIOS_ROM_START	0xe0000
#define ACPI_BIOS_ROM_END	0x100000	/* exclusive */
#define ACPI_RSDP_ALIGN		16

/* 5.2.6 System Description Table Header */
struct acpi_sdt_header {
	char signature[4];
	u32 length;		/* of the whole table, header included */
	u8 revision;
	u8 checksum;		/* all @length bytes sum to zero */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_sdt_header) != 36);

#define ACPI_SIG_RSDT		"RSDT"
#define ACPI_SIG_XSDT		"XSDT"
#define ACPI_SIG_MADT		"APIC"
#define ACPI_SIG_FADT		"FACP"
#define ACPI_SIG_MCFG		"MCFG"
#define ACPI_SIG_HPET		"HPET"

/*
 * 5.2.7 RSDT: the header followed by 32-bit table addresses.
 * 5.2.8 XSDT: the header followed by 64-bit table addresses; entries are
 * not naturally aligned (they start at offset 36), so read them with
 * memcpy-style accessors, never through a u64 pointer.
 */
#define ACPI_RSDT_ENTRY_SIZE	4
#define ACPI_XSDT_ENTRY_SIZE	8

/*
 * 5.2.9 Fixed ACPI Description Table (FADT), signature "FACP".  Older
 * revisions are shorter: a field may only be read when the table's length
 * covers it (revision 1 tables end after @flags, at 116 bytes).
 */
struct acpi_fadt {
	struct acpi_sdt_header header;
	u32 firmware_ctrl;
	u32 dsdt;
	u8 reserved0;			/* INT_MODEL in ACPI 1.0 */
	u8 preferred_pm_profile;
	u16 sci_int;			/* SCI_INT: 8259 IRQ / GSI of the SCI */
	u32 smi_cmd;
	u8 acpi_enable;
	u8 acpi_disable;
	u8 s4bios_req;
	u8 pstate_cnt;
	u32 pm1a_evt_blk;
	u32 pm1b_evt_blk;
	u32 pm1a_cnt_blk;
	u32 pm1b_cnt_blk;
	u32 pm2_cnt_blk;
	u32 pm_tmr_blk;			/* PM_TMR_BLK: I/O port, 0 if none */
	u32 gpe0_blk;
	u32 gpe1_blk;
	u8 pm1_evt_len;
	u8 pm1_cnt_len;
	u8 pm2_cnt_len;
	u8 pm_tmr_len;			/* 4 when the PM timer exists */
	u8 gpe0_blk_len;
	u8 gpe1_blk_len;
	u8 gpe1_base;
	u8 cst_cnt;
	u16 p_lvl2_lat;
	u16 p_lvl3_lat;
	u16 flush_size;
	u16 flush_stride;
	u8 duty_offset;
	u8 duty_width;
	u8 day_alrm;
	u8 mon_alrm;
	u8 century;
	u16 iapc_boot_arch;
	u8 reserved1;
	u32 flags;			/* ACPI_FADT_* below */
	struct acpi_gas reset_reg;
	u8 reset_value;
	u16 arm_boot_arch;
	u8 minor_version;
	u64 x_firmware_ctrl;
	u64 x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;	/* X_PM_TMR_BLK: wins when non-zero */
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	u64 hypervisor_vendor_id;
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_fadt) != 276);
BUILD_BUG_ON(offsetof(struct acpi_fadt, sci_int) != 46);
BUILD_BUG_ON(offsetof(struct acpi_fadt, pm_tmr_blk) != 76);
BUILD_BUG_ON(offsetof(struct acpi_fadt, pm_tmr_len) != 91);
BUILD_BUG_ON(offsetof(struct acpi_fadt, flags) != 112);
BUILD_BUG_ON(offsetof(struct acpi_fadt, x_pm_tmr_blk) != 208);

/* 5.2.9.1 FADT Fixed Feature Flags */
#define ACPI_FADT_TMR_VAL_EXT		(1U << 8)	/* PM timer is 32-bit */
#define ACPI_FADT_HW_REDUCED_ACPI	(1U << 20)	/* no fixed hardware */

/* 5.2.12 Multiple APIC Description Table (MADT), signature "APIC" */
struct acpi_madt {
	struct acpi_sdt_header header;
	u32 lapic_addr;		/* Local Interrupt Controller Address */
	u32 flags;
	/* followed by interrupt controller structures */
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_madt) != 44);

#define ACPI_MADT_PCAT_COMPAT	(1U << 0)	/* dual 8259s installed */

/* Every interrupt controller structure starts with type and length. */
struct acpi_madt_entry {
	u8 type;
	u8 length;
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_madt_entry) != 2);

enum acpi_madt_type {
	ACPI_MADT_LAPIC			= 0,
	ACPI_MADT_IOAPIC		= 1,
	ACPI_MADT_IRQ_OVERRIDE		= 2,
	ACPI_MADT_NMI_SOURCE		= 3,
	ACPI_MADT_LAPIC_NMI		= 4,
	ACPI_MADT_LAPIC_OVERRIDE	= 5,
	ACPI_MADT_X2APIC		= 9,
};

/* 5.2.12.2 Processor Local APIC Structure (type 0) */
struct acpi_madt_lapic {
	struct acpi_madt_entry h;
	u8 acpi_uid;
	u8 apic_id;
	u32 flags;		/* ACPI_LAPIC_* below */
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_madt_lapic) != 8);

/* Local APIC Flags, shared by the LAPIC and x2APIC structures */
#define ACPI_LAPIC_ENABLED		(1U << 0)
#define ACPI_LAPIC_ONLINE_CAPABLE	(1U << 1)

/* 5.2.12.3 I/O APIC Structure (type 1) */
struct acpi_madt_ioapic {
	struct acpi_madt_entry h;
	u8 ioapic_id;
	u8 reserved;
	u32 address;
	u32 gsi_base;
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_madt_ioapic) != 12);

/* 5.2.12.5 Interrupt Source Override Structure (type 2) */
struct acpi_madt_irq_override {
	struct acpi_madt_entry h;
	u8 bus;			/* 0: ISA */
	u8 source;		/* bus-relative IRQ */
	u32 gsi;
	u16 flags;		/* MPS INTI flags, below */
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_madt_irq_override) != 10);

#define ACPI_MADT_BUS_ISA		0

/*
 * 5.2.12.5, Table 5.26 MPS INTI Flags.  "Conforms" means: as the bus
 * specifies, which for ISA is active high, edge triggered.
 */
#define ACPI_INTI_POLARITY_MASK		0x3
#define ACPI_INTI_POLARITY_CONFORMS	0x0
#define ACPI_INTI_POLARITY_HIGH		0x1
#define ACPI_INTI_POLARITY_LOW		0x3
#define ACPI_INTI_TRIGGER_SHIFT		2
#define ACPI_INTI_TRIGGER_MASK		0x3
#define ACPI_INTI_TRIGGER_CONFORMS	0x0
#define ACPI_INTI_TRIGGER_EDGE		0x1
#define ACPI_INTI_TRIGGER_LEVEL		0x3

/* 5.2.12.7 Local APIC NMI Structure (type 4) */
struct acpi_madt_lapic_nmi {
	struct acpi_madt_entry h;
	u8 acpi_uid;		/* 0xff: all processors */
	u16 flags;		/* MPS INTI flags */
	u8 lint;		/* LINT0 or LINT1 */
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_madt_lapic_nmi) != 6);

#define ACPI_UID_ALL_PROCESSORS		0xff

/* 5.2.12.8 Local APIC Address Override Structure (type 5) */
struct acpi_madt_lapic_override {
	struct acpi_madt_entry h;
	u16 reserved;
	u64 address;
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_madt_lapic_override) != 12);

/* 5.2.12.12 Processor Local x2APIC Structure (type 9) */
struct acpi_madt_x2apic {
	struct acpi_madt_entry h;
	u16 reserved;
	u32 x2apic_id;
	u32 flags;		/* ACPI_LAPIC_* */
	u32 acpi_uid;
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_madt_x2apic) != 16);

/*
 * PCI Firmware Specification 3.x, 4.1.2 MCFG Table: the header, 8 reserved
 * bytes, then one allocation structure per ECAM window.  @base is the
 * address of bus 0 of the segment even when @bus_start is not 0.
 */
struct acpi_mcfg {
	struct acpi_sdt_header header;
	u8 reserved[8];
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_mcfg) != 44);

struct acpi_mcfg_alloc {
	u64 base;
	u16 segment;
	u8 bus_start;
	u8 bus_end;
	u32 reserved;
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_mcfg_alloc) != 16);

/* IA-PC HPET Specification 1.0a, 3.2.4 The ACPI 2.0 HPET Description Table */
struct acpi_hpet {
	struct acpi_sdt_header header;
	u32 event_timer_block_id;
	struct acpi_gas base;	/* must be in system memory */
	u8 hpet_number;
	u16 min_tick;
	u8 page_protection;
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_hpet) != 56);

#endif /* _DRIVERS_ACPI_TABLES_H */
