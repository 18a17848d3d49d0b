/* SPDX-License-Identifier: GPL-2.0 */
/* Descriptor tables: per-CPU GDT and TSS, the shared IDT. */
#ifndef _ASM_X86_DESC_H
#define _ASM_X86_DESC_H

#include <lego/types.h>
#include <asm/segment.h>

/* Intel SDM Vol. 3A, 8.7 "Task Management in 64-bit Mode", Figure 8-11. */
struct tss_struct {
	u32 reserved0;
	u64 sp0;
	u64 sp1;
	u64 sp2;
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 io_bitmap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss_struct) == 104, "TSS size");

/* Interrupt stack table slots (1-based in the IDT gate). */
#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3
#define N_IST_STACKS		3
#define IST_STACK_SIZE		(4096 * 2)

struct desc_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

void cpu_init_descriptors(int cpu);
void idt_setup(void);
void idt_load(void);

#endif /* _ASM_X86_DESC_H */
