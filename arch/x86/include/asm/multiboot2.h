/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot2 boot information layout.
 * Multiboot2 specification 1.0, section 3.6 "Boot information format".
 */
#ifndef _ASM_X86_MULTIBOOT2_H
#define _ASM_X86_MULTIBOOT2_H

#include <lego/types.h>

#define MB2_BOOTLOADER_MAGIC	0x36d76289

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_BASIC_MEMINFO	4
#define MB2_TAG_MMAP		6
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15

/* ACPI 6.5, 5.2.5.3: a revision 0 RSDP is 20 bytes. */
#define ACPI_RSDP_V1_LEN	20

struct mb2_info {
	u32 total_size;
	u32 reserved;
} __attribute__((packed));

struct mb2_tag {
	u32 type;
	u32 size;
} __attribute__((packed));

struct mb2_tag_string {		/* cmdline, loader name */
	u32 type;
	u32 size;
	char string[];
} __attribute__((packed));

struct mb2_tag_module {
	u32 type;
	u32 size;
	u32 mod_start;
	u32 mod_end;
	char cmdline[];
} __attribute__((packed));

struct mb2_mmap_entry {
	u64 addr;
	u64 len;
	u32 type;
	u32 zero;
} __attribute__((packed));

struct mb2_tag_mmap {
	u32 type;
	u32 size;
	u32 entry_size;
	u32 entry_version;
	struct mb2_mmap_entry entries[];
} __attribute__((packed));

struct mb2_tag_acpi {
	u32 type;
	u32 size;
	u8 rsdp[];
} __attribute__((packed));

_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "mb2 mmap entry");
_Static_assert(sizeof(struct mb2_tag_mmap) == 16, "mb2 mmap tag");

#endif /* _ASM_X86_MULTIBOOT2_H */
