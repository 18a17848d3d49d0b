/* SPDX-License-Identifier: GPL-2.0 */
/* What the boot loader told us, decoded from the multiboot2 information. */
#ifndef _ASM_X86_SETUP_H
#define _ASM_X86_SETUP_H

#include <lego/types.h>

#define BOOT_MEM_MAX		128
#define BOOT_MODULES_MAX	16
#define COMMAND_LINE_SIZE	2048

/* Firmware memory types (ACPI address range types, as in multiboot2). */
#define BOOT_MEM_RAM		1
#define BOOT_MEM_RESERVED	2
#define BOOT_MEM_ACPI		3
#define BOOT_MEM_NVS		4
#define BOOT_MEM_BAD		5

struct boot_mem_region {
	u64 addr;
	u64 len;
	u32 type;
};

struct boot_module {
	phys_addr_t start;
	phys_addr_t end;
	char cmdline[64];
};

struct boot_info {
	unsigned int nr_mem;
	struct boot_mem_region mem[BOOT_MEM_MAX];
	unsigned int nr_modules;
	struct boot_module modules[BOOT_MODULES_MAX];
	phys_addr_t rsdp;		/* the loader's copy of the RSDP, or 0 */
	phys_addr_t info_start, info_end;
	char loader[64];
};

extern struct boot_info boot_info;

/* Decode the multiboot2 information at @info; 0 or -EINVAL (logged). */
int multiboot2_parse(u32 magic, phys_addr_t info);
void memory_setup(void);

extern char _text[], _etext[], _end[], __bss_start[], __bss_end[];
extern char __rodata_start[], _sdata[], _edata[];
extern char init_stack[], init_stack_top[];

#endif /* _ASM_X86_SETUP_H */
