/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 virtual memory layout (4-level paging):
 *
 *   0x0000000000000000 - 0x00007fffffffffff   user space (later phases)
 *   0xffff888000000000 - 0xffffc87fffffffff   direct map of all RAM (64 TiB)
 *   0xffffc90000000000 - 0xffffe8ffffffffff   ioremap/vmalloc area (32 TiB)
 *   0xffffffff80000000 - 0xffffffffbfffffff   kernel image (linked here,
 *                                             loaded at LOAD_PHYS_ADDR)
 */
#ifndef _ASM_X86_PAGE_H
#define _ASM_X86_PAGE_H

#include <lego/const.h>

#define PAGE_SHIFT		12
#define PAGE_SIZE		(_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PMD_SHIFT		21
#define PMD_SIZE		(_AC(1, UL) << PMD_SHIFT)
#define PMD_MASK		(~(PMD_SIZE - 1))
#define PUD_SHIFT		30
#define PUD_SIZE		(_AC(1, UL) << PUD_SHIFT)
#define PUD_MASK		(~(PUD_SIZE - 1))
#define PGDIR_SHIFT		39
#define PTRS_PER_TABLE		512

#define LOAD_PHYS_ADDR		0x100000
#define __PAGE_OFFSET		0xffff888000000000
#define __START_KERNEL_map	0xffffffff80000000
#define IOREMAP_START		0xffffc90000000000
#define IOREMAP_END		0xffffe90000000000
/* The boot page tables map this much of low memory (and the direct map). */
#define EARLY_MAP_SIZE		0x40000000

#ifndef __ASSEMBLY__
#include <lego/types.h>

#define PAGE_OFFSET		((unsigned long)__PAGE_OFFSET)

/* Direct-map translation; valid for any RAM once paging_init() has run. */
static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)((unsigned long)pa + PAGE_OFFSET);
}

/* Works for direct-map and kernel-image addresses alike. */
static inline phys_addr_t virt_to_phys(const void *va)
{
	unsigned long v = (unsigned long)va;

	if (v >= __START_KERNEL_map)
		return v - __START_KERNEL_map;
	return v - PAGE_OFFSET;
}

#define __va(pa)		phys_to_virt((phys_addr_t)(pa))
#define __pa(va)		virt_to_phys((const void *)(va))
#define PFN_DOWN(x)		((x) >> PAGE_SHIFT)
#define PFN_UP(x)		(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_PHYS(pfn)		((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PAGE_ALIGN(x)		(((x) + PAGE_SIZE - 1) & PAGE_MASK)

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_X86_PAGE_H */
