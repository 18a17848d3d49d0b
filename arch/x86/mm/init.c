// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel page tables.
 *
 * paging_init() replaces the boot page tables (head.S) with:
 *  - a direct map at PAGE_OFFSET of every RAM, ACPI and NVS range of the
 *    firmware memory map and of the first MiB, with 1 GiB pages where the
 *    CPU has them and alignment allows, 2 MiB pages otherwise; never
 *    executable.  Reserved ranges are left out: device memory (PCIe ECAM,
 *    APICs) hides there and must only be mapped uncached (ioremap);
 *    firmware data in them is reached with memremap();
 *  - the kernel image at __START_KERNEL_map with 4 KiB pages: text
 *    read-only and executable, rodata read-only, data and bss writable,
 *    neither executable;
 *  - no identity map (NULL dereferences fault), except while application
 *    processors start (paging_map_low_identity()).
 * Page-table pages come from memblock until the page allocator is up.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/memblock.h>
#include <lego/mm.h>
#include <lego/gfp.h>
#include <lego/panic.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/smp.h>

u64 supported_pte_mask = ~_PAGE_NX;
pte_t *kernel_pml4;
static pte_t *low_identity_pdpt;
static bool mm_page_alloc_ready;

bool cpu_has_pdpe1gb(void);

static pte_t *alloc_table(void)
{
	phys_addr_t pa;

	if (mm_page_alloc_ready)
		return (pte_t *)get_zeroed_page(GFP_KERNEL);
	pa = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!pa)
		return NULL;
	memset(__va(pa), 0, PAGE_SIZE);
	return __va(pa);
}

void paging_use_page_allocator(void)
{
	mm_page_alloc_ready = true;
}

static unsigned int pt_index(unsigned long va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & 511;
}

/*
 * The table at @level - 1 under entry @e, allocated if absent; NULL when
 * out of memory.  Level 3 is the PML4, level 0 the PTE table.
 */
static pte_t *next_table(pte_t *e)
{
	pte_t *t;

	if (*e & _PAGE_PRESENT)
		return __va(*e & PTE_ADDR_MASK);
	t = alloc_table();
	if (!t)
		return NULL;
	*e = __pa(t) | _PAGE_PRESENT | _PAGE_RW;
	return t;
}

/* Map one page of size 4K (level 0), 2M (1) or 1G (2). */
static int map_one(pte_t *pml4, unsigned long va, phys_addr_t pa, int level,
		   u64 prot)
{
	pte_t *t = pml4;
	int l;

	for (l = 3; l > level; l--) {
		pte_t *e = &t[pt_index(va, l)];

		/* A larger page already maps this range 1:1 (direct map). */
		if ((*e & (_PAGE_PRESENT | _PAGE_PSE)) ==
		    (_PAGE_PRESENT | _PAGE_PSE))
			return 0;
		t = next_table(e);
		if (!t)
			return -ENOMEM;
	}
	t[pt_index(va, level)] = pa | prot | (level ? _PAGE_PSE : 0);
	return 0;
}

int kernel_map_range(unsigned long va, phys_addr_t pa, size_t size, u64 prot)
{
	size_t off;
	int ret;

	for (off = 0; off < size; off += PAGE_SIZE) {
		ret = map_one(kernel_pml4, va + off, pa + off, 0,
			      prot & supported_pte_mask);
		if (ret)
			return ret;
	}
	return 0;
}

pte_t *lookup_kernel_pte(unsigned long va, int *level)
{
	pte_t *t = kernel_pml4, *e;
	int l;

	for (l = 3; l >= 0; l--) {
		e = &t[pt_index(va, l)];
		if (!(*e & _PAGE_PRESENT))
			return NULL;
		if (l == 0 || (*e & _PAGE_PSE)) {
			if (level)
				*level = l;
			return e;
		}
		t = __va(*e & PTE_ADDR_MASK);
	}
	return NULL;
}

void kernel_unmap_range(unsigned long va, size_t size)
{
	size_t off;

	for (off = 0; off < size; off += PAGE_SIZE) {
		int level;
		pte_t *e = lookup_kernel_pte(va + off, &level);

		if (e && level == 0)
			*e = 0;
	}
	flush_tlb_kernel_range(va, va + size);
}

static void map_direct(phys_addr_t start, phys_addr_t end)
{
	u64 prot = (_PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | _PAGE_NX) &
		   supported_pte_mask;
	phys_addr_t pa = ALIGN_DOWN(start, PMD_SIZE);
	int ret;

	end = ALIGN(end, PMD_SIZE);
	while (pa < end) {
		bool huge = cpu_has_pdpe1gb() && IS_ALIGNED(pa, PUD_SIZE) &&
			    end - pa >= PUD_SIZE;

		ret = map_one(kernel_pml4, PAGE_OFFSET + pa, pa, huge ? 2 : 1,
			      prot);
		if (ret)
			panic("paging: out of memory building the direct map");
		pa += huge ? PUD_SIZE : PMD_SIZE;
	}
}

static phys_addr_t top_of_ram(void)
{
	phys_addr_t top = 0;
	unsigned int i;

	for (i = 0; i < boot_info.nr_mem; i++)
		if (boot_info.mem[i].type == BOOT_MEM_RAM)
			top = max(top, boot_info.mem[i].addr + boot_info.mem[i].len);
	return top;
}

static void map_direct_all(void)
{
	unsigned int i;

	map_direct(0, 1 << 20);		/* BIOS data, EBDA, RSDP area */
	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type == BOOT_MEM_RAM || r->type == BOOT_MEM_ACPI ||
		    r->type == BOOT_MEM_NVS)
			map_direct(r->addr, r->addr + r->len);
	}
}

static void map_kernel_image(void)
{
	static const struct {
		char *start, *end;
		u64 prot;
	} parts[] = {
		{ _text, _etext, _PAGE_PRESENT | _PAGE_GLOBAL },
		{ __rodata_start, _sdata, _PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_NX },
		{ _sdata, _end, _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | _PAGE_NX },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		unsigned long s = (unsigned long)parts[i].start;
		size_t len = PAGE_ALIGN((unsigned long)parts[i].end - s);

		if (kernel_map_range(s, s - __START_KERNEL_map, len,
				     parts[i].prot))
			panic("paging: out of memory mapping the kernel image");
	}
}

/* An executable 1:1 map of the first EARLY_MAP_SIZE, for the AP trampoline. */
static void build_low_identity(void)
{
	pte_t *pd = alloc_table();
	int i;

	low_identity_pdpt = alloc_table();
	if (!pd || !low_identity_pdpt)
		panic("paging: out of memory for the AP identity map");
	for (i = 0; i < 512; i++)
		pd[i] = ((u64)i << PMD_SHIFT) | _PAGE_PRESENT | _PAGE_RW |
			_PAGE_PSE;
	low_identity_pdpt[0] = __pa(pd) | _PAGE_PRESENT | _PAGE_RW;
}

void paging_map_low_identity(bool on)
{
	kernel_pml4[0] = on ? (__pa(low_identity_pdpt) | _PAGE_PRESENT |
			       _PAGE_RW) : 0;
	write_cr3(read_cr3());
}

void paging_init(void)
{
	if (rdmsr(MSR_EFER) & EFER_NX)
		supported_pte_mask = ~0ULL;
	kernel_pml4 = alloc_table();
	if (!kernel_pml4)
		panic("paging: no memory for the kernel page tables");
	map_direct_all();
	map_kernel_image();
	build_low_identity();
	write_cr3(__pa(kernel_pml4));
	memblock_set_current_limit(memblock_end_of_DRAM());
	pr_info("paging: direct map of %llu MiB at %#lx, kernel at %#lx, NX %s\n",
		(unsigned long long)(top_of_ram() >> 20), PAGE_OFFSET,
		(unsigned long)_text,
		supported_pte_mask & _PAGE_NX ? "on" : "off");
}
