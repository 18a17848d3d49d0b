/* SPDX-License-Identifier: GPL-2.0 */
/* Port I/O and memory-mapped I/O accessors. */
#ifndef _ASM_X86_IO_H
#define _ASM_X86_IO_H

#include <lego/types.h>

static inline void outb(u8 v, u16 port)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 v, u16 port)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u32 v, u16 port)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* A write to an unused port: ~1 us delay on real hardware. */
static inline void io_delay(void)
{
	outb(0, 0x80);
}

#define __MMIO_RW(sz, type)						\
static inline type read##sz(const volatile void *addr)			\
{									\
	return *(const volatile type *)addr;				\
}									\
static inline void write##sz(type v, volatile void *addr)		\
{									\
	*(volatile type *)addr = v;					\
}
__MMIO_RW(b, u8)
__MMIO_RW(w, u16)
__MMIO_RW(l, u32)
__MMIO_RW(q, u64)
#undef __MMIO_RW

/*
 * Map a physical MMIO range uncached into the ioremap area.  Returns NULL
 * when the area is exhausted or memory for page tables cannot be had.
 */
void *ioremap(phys_addr_t phys, size_t size);
/*
 * Map firmware data (e.g. ACPI tables) that the direct map leaves out,
 * cached; refuses ranges the firmware memory map does not describe.
 */
void *memremap(phys_addr_t phys, size_t size);
/* Undo ioremap() or memremap(). */
void iounmap(void *addr);

#endif /* _ASM_X86_IO_H */
