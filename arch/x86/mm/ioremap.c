// SPDX-License-Identifier: GPL-2.0
/*
 * ioremap(): uncached (PCD|PWT), non-executable kernel mappings of device
 * memory in [IOREMAP_START, IOREMAP_END).  memremap(): the same, cached,
 * for firmware data (ACPI tables) in ranges the firmware memory map marks
 * reserved, which the direct map leaves out because MMIO hides there too.  Virtual space is handed out by
 * a bump pointer: devices are mapped once at probe time and the area is
 * 32 TiB, so iounmap() removes the mapping (and shoots down every CPU's
 * TLB) but does not recycle the addresses.
 */
#include <lego/kernel.h>
#include <lego/spinlock.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/setup.h>

static unsigned long ioremap_next = IOREMAP_START;
static DEFINE_SPINLOCK(ioremap_lock);

struct ioremap_area {
	unsigned long va;
	size_t size;
};

#define MAX_AREAS	256
static struct ioremap_area areas[MAX_AREAS];

static void *__ioremap(phys_addr_t phys, size_t size, u64 cache_bits)
{
	phys_addr_t base = phys & PAGE_MASK;
	size_t len = PAGE_ALIGN(phys + size) - base;
	unsigned long va = 0;
	unsigned int i;

	if (!size || phys + size < phys)
		return NULL;
	spin_lock(&ioremap_lock);
	if (ioremap_next + len + PAGE_SIZE <= IOREMAP_END) {
		va = ioremap_next;
		/* one unmapped guard page between mappings */
		ioremap_next += len + PAGE_SIZE;
		if (kernel_map_range(va, base, len, _PAGE_PRESENT | _PAGE_RW |
				     cache_bits | _PAGE_GLOBAL | _PAGE_NX))
			va = 0;
	}
	for (i = 0; va && i < MAX_AREAS; i++) {
		if (!areas[i].va) {
			areas[i].va = va;
			areas[i].size = len;
			break;
		}
	}
	spin_unlock(&ioremap_lock);
	if (!va) {
		pr_err("ioremap: cannot map %#llx (+%#zx)\n",
		       (unsigned long long)phys, size);
		return NULL;
	}
	return (void *)(va + (phys - base));
}

void *ioremap(phys_addr_t phys, size_t size)
{
	return __ioremap(phys, size, _PAGE_PCD | _PAGE_PWT);
}

/* Is [phys, phys + size) inside one range of the firmware memory map? */
static bool firmware_describes(phys_addr_t phys, size_t size)
{
	unsigned int i;

	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (phys >= r->addr && phys + size <= r->addr + r->len &&
		    r->type != BOOT_MEM_BAD)
			return true;
	}
	return false;
}

void *memremap(phys_addr_t phys, size_t size)
{
	if (!firmware_describes(phys, size)) {
		pr_err("memremap: %#llx (+%#zx) is not in the firmware memory map\n",
		       (unsigned long long)phys, size);
		return NULL;
	}
	return __ioremap(phys, size, 0);
}

void iounmap(void *addr)
{
	unsigned long va = (unsigned long)addr & PAGE_MASK;
	size_t len = 0;
	unsigned int i;

	spin_lock(&ioremap_lock);
	for (i = 0; i < MAX_AREAS; i++) {
		if (areas[i].va == va) {
			len = areas[i].size;
			areas[i].va = 0;
			break;
		}
	}
	spin_unlock(&ioremap_lock);
	if (!len) {
		pr_err("iounmap: %p was not mapped by ioremap\n", addr);
		return;
	}
	kernel_unmap_range(va, len);
}
