// SPDX-License-Identifier: GPL-2.0
/*
 * From the firmware memory map to memblock: RAM ranges are added; the
 * first MiB (BIOS data, EBDA, the AP trampoline page), the kernel image,
 * the multiboot2 information and every boot module are reserved.  Until
 * paging_init() has mapped all RAM, allocations stay below EARLY_MAP_SIZE,
 * the part the boot page tables map.
 */
#include <lego/kernel.h>
#include <lego/memblock.h>
#include <lego/panic.h>
#include <asm/page.h>
#include <asm/setup.h>

static const char *const mem_type_names[] = {
	[BOOT_MEM_RAM] = "usable",
	[BOOT_MEM_RESERVED] = "reserved",
	[BOOT_MEM_ACPI] = "ACPI data",
	[BOOT_MEM_NVS] = "ACPI NVS",
	[BOOT_MEM_BAD] = "unusable",
};

static const char *mem_type_name(u32 type)
{
	if (type < ARRAY_SIZE(mem_type_names) && mem_type_names[type])
		return mem_type_names[type];
	return "unknown";
}

void memory_setup(void)
{
	unsigned int i;

	if (!boot_info.nr_mem)
		panic("boot: the boot loader gave no memory map");
	pr_info("BIOS-provided physical RAM map:\n");
	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		pr_info("  [mem %#018llx-%#018llx] %s\n",
			(unsigned long long)r->addr,
			(unsigned long long)(r->addr + r->len - 1),
			mem_type_name(r->type));
		if (r->type == BOOT_MEM_RAM && r->len)
			memblock_add(r->addr, r->len);
	}
	memblock_reserve(0, 1 << 20);
	memblock_reserve(LOAD_PHYS_ADDR,
			 __pa(_end) - LOAD_PHYS_ADDR);
	memblock_reserve(boot_info.info_start,
			 boot_info.info_end - boot_info.info_start);
	for (i = 0; i < boot_info.nr_modules; i++)
		memblock_reserve(boot_info.modules[i].start,
				 boot_info.modules[i].end -
				 boot_info.modules[i].start);
	memblock_set_current_limit(EARLY_MAP_SIZE);
}
