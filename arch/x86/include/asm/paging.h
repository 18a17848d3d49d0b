/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel page tables.  4-level paging; entry bits from Intel SDM Vol. 3A,
 * 4.5 "4-Level Paging", Tables 4-15 to 4-20.
 */
#ifndef _ASM_X86_PAGING_H
#define _ASM_X86_PAGING_H

#include <lego/types.h>

#define _PAGE_PRESENT	(1ULL << 0)
#define _PAGE_RW	(1ULL << 1)
#define _PAGE_USER	(1ULL << 2)
#define _PAGE_PWT	(1ULL << 3)
#define _PAGE_PCD	(1ULL << 4)
#define _PAGE_ACCESSED	(1ULL << 5)
#define _PAGE_DIRTY	(1ULL << 6)
#define _PAGE_PSE	(1ULL << 7)
#define _PAGE_GLOBAL	(1ULL << 8)
#define _PAGE_NX	(1ULL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

typedef u64 pte_t;

/* Set when EFER.NX is on: the bits kernel mappings may use. */
extern u64 supported_pte_mask;
extern pte_t *kernel_pml4;

void paging_init(void);
void paging_map_low_identity(bool on);
/* After mm_init(): take page-table pages from the page allocator. */
void paging_use_page_allocator(void);

/*
 * Map [va, va + size) to [pa, ...) with 4 KiB pages and @prot bits; the
 * page tables come from memblock before mm_init() and the page allocator
 * after.  Returns 0 or -ENOMEM.
 */
int kernel_map_range(unsigned long va, phys_addr_t pa, size_t size, u64 prot);
void kernel_unmap_range(unsigned long va, size_t size);
/* The PTE mapping @va, or NULL (large pages are reported via *level). */
pte_t *lookup_kernel_pte(unsigned long va, int *level);

#endif /* _ASM_X86_PAGING_H */
