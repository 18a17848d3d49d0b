// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor tables.  Each CPU has its own GDT (its TSS descriptor carries
 * a busy bit) and TSS with three IST stacks, so a double fault, an NMI or a
 * machine check always runs on a known-good stack even when the kernel
 * stack has overflowed.  All CPUs share one IDT.
 */
#include <lego/kernel.h>
#include <lego/smp.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/traps.h>

struct cpu_info cpu_info[CONFIG_NR_CPUS];

static u8 ist_stacks[CONFIG_NR_CPUS][N_IST_STACKS][IST_STACK_SIZE]
	__aligned(16);

struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate size");

static struct idt_gate idt[256] __aligned(16);
extern const unsigned long interrupt_stubs[256];

#define GATE_INTERRUPT	0x8e	/* present, DPL 0, 64-bit interrupt gate */

static void set_gate(int vec, unsigned long addr, int ist, int dpl)
{
	struct idt_gate *g = &idt[vec];

	g->offset_low = addr & 0xffff;
	g->offset_mid = (addr >> 16) & 0xffff;
	g->offset_high = addr >> 32;
	g->selector = __KERNEL_CS;
	g->ist = ist;
	g->type_attr = GATE_INTERRUPT | (dpl << 5);
	g->reserved = 0;
}

void idt_setup(void)
{
	int v;

	for (v = 0; v < 256; v++)
		set_gate(v, interrupt_stubs[v], 0, 0);
	set_gate(X86_TRAP_DF, interrupt_stubs[X86_TRAP_DF], IST_DOUBLE_FAULT, 0);
	set_gate(X86_TRAP_NMI, interrupt_stubs[X86_TRAP_NMI], IST_NMI, 0);
	set_gate(X86_TRAP_MC, interrupt_stubs[X86_TRAP_MC], IST_MACHINE_CHECK, 0);
	/* int3 may be used from user mode (debuggers). */
	set_gate(X86_TRAP_BP, interrupt_stubs[X86_TRAP_BP], 0, 3);
}

void idt_load(void)
{
	struct desc_ptr p = { .limit = sizeof(idt) - 1, .base = (u64)idt };

	__asm__ __volatile__("lidt %0" : : "m"(p));
}

static u64 tss_desc_low(u64 base, u32 limit)
{
	return (limit & 0xffff) | ((base & 0xffffff) << 16) |
	       (0x89ULL << 40) |			/* present, 64-bit TSS */
	       ((u64)((limit >> 16) & 0xf) << 48) |
	       (((base >> 24) & 0xff) << 56);
}

static void gdt_fill(struct cpu_info *ci)
{
	u64 tss = (u64)&ci->tss;

	ci->gdt[0] = 0;
	ci->gdt[GDT_ENTRY_KERNEL_CS] = 0x00af9a000000ffffULL;
	ci->gdt[GDT_ENTRY_KERNEL_DS] = 0x00cf92000000ffffULL;
	ci->gdt[GDT_ENTRY_USER_DS] = 0x00cff2000000ffffULL;
	ci->gdt[GDT_ENTRY_USER_CS] = 0x00affa000000ffffULL;
	ci->gdt[GDT_ENTRY_TSS] = tss_desc_low(tss, sizeof(ci->tss) - 1);
	ci->gdt[GDT_ENTRY_TSS + 1] = tss >> 32;
}

static void load_segments(void)
{
	__asm__ __volatile__(
		"pushq %0\n"
		"leaq 1f(%%rip), %%rax\n"
		"pushq %%rax\n"
		"lretq\n"
		"1:\n"
		"movl %1, %%eax\n"
		"movl %%eax, %%ds\n"
		"movl %%eax, %%es\n"
		"movl %%eax, %%ss\n"
		: : "i"((u64)__KERNEL_CS), "i"(__KERNEL_DS) : "rax", "memory");
}

/*
 * Give @cpu its GDT, TSS and IST stacks and load them on the calling CPU,
 * which must be @cpu.  GS.base must already point at cpu_info[cpu].
 */
void cpu_init_descriptors(int cpu)
{
	struct cpu_info *ci = &cpu_info[cpu];
	struct desc_ptr gdtr;
	int i;

	for (i = 0; i < N_IST_STACKS; i++) {
		ci->ist_stacks[i] = ist_stacks[cpu][i];
		ci->tss.ist[i] = (u64)(ist_stacks[cpu][i] + IST_STACK_SIZE);
	}
	ci->tss.io_bitmap_base = sizeof(ci->tss);	/* no I/O bitmap */
	gdt_fill(ci);

	gdtr.limit = sizeof(ci->gdt) - 1;
	gdtr.base = (u64)ci->gdt;
	__asm__ __volatile__("lgdt %0" : : "m"(gdtr));
	load_segments();
	__asm__ __volatile__("ltr %w0" : : "r"(__TSS_SEL));
	idt_load();
}

/* Point GS.base at cpu_info[cpu]: this_cpu() and current work after this. */
void percpu_init_cpu(int cpu)
{
	struct cpu_info *ci = &cpu_info[cpu];

	ci->self = ci;
	ci->cpu = cpu;
	wrmsr(MSR_GS_BASE, (u64)ci);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
