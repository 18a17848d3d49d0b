/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU data.  GS.base points at the CPU's struct cpu_info in kernel mode;
 * the first field points at itself so that one %gs load gives its address.
 * The BSP's entry is usable from the first C instruction on (set up in
 * start_kernel before anything else).
 */
#ifndef _ASM_X86_PERCPU_H
#define _ASM_X86_PERCPU_H

#include <lego/types.h>
#include <asm/desc.h>

struct task_struct;

struct cpu_info {
	struct cpu_info *self;		/* %gs:0 */
	struct task_struct *current;	/* %gs:8 */
	unsigned long kernel_sp;	/* %gs:16, syscall entry stack */
	unsigned long user_sp;		/* %gs:24, scratch for syscall entry */
	int cpu;
	int preempt_count;
	bool need_resched;
	bool online;
	u32 apic_id;
	u64 irq_count;
	u64 timer_ticks;
	struct tss_struct tss;
	u64 gdt[GDT_ENTRIES];
	void *ist_stacks[N_IST_STACKS];
} __attribute__((aligned(64)));

extern struct cpu_info cpu_info[CONFIG_NR_CPUS];

static inline struct cpu_info *this_cpu(void)
{
	struct cpu_info *ci;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(ci));
	return ci;
}

static inline struct task_struct *get_current(void)
{
	struct task_struct *t;

	__asm__ __volatile__("movq %%gs:8, %0" : "=r"(t));
	return t;
}

#define current get_current()

void percpu_init_cpu(int cpu);

#endif /* _ASM_X86_PERCPU_H */
