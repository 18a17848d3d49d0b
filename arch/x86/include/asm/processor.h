/* SPDX-License-Identifier: GPL-2.0 */
/* CPU control: control registers, MSRs, CPUID, interrupt flag, halting. */
#ifndef _ASM_X86_PROCESSOR_H
#define _ASM_X86_PROCESSOR_H

#include <lego/const.h>


#define X86_CR0_WP		_BITUL(16)
#define X86_CR0_PG		_BITUL(31)
#define X86_CR4_PAE		_BITUL(5)
#define X86_CR4_PGE		_BITUL(7)
#define X86_CR4_OSFXSR		_BITUL(9)
#define X86_CR4_OSXMMEXCPT	_BITUL(10)
#define X86_CR4_UMIP		_BITUL(11)
#define X86_CR4_FSGSBASE	_BITUL(16)
#define X86_CR4_SMEP		_BITUL(20)
#define X86_CR4_SMAP		_BITUL(21)
#define X86_EFLAGS_IF		_BITUL(9)
#define X86_EFLAGS_AC		_BITUL(18)

#define MSR_EFER		0xc0000080
#define EFER_SCE		_BITUL(0)
#define EFER_LME		_BITUL(8)
#define EFER_NX			_BITUL(11)
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_IA32_APICBASE	0x0000001b

#ifndef __ASSEMBLY__
#include <lego/types.h>
#include <lego/compiler.h>

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)v),
			     "d"((u32)(v >> 32)) : "memory");
}

static inline void cpuid_count(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c,
			       u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	cpuid_count(leaf, 0, a, b, c, d);
}

#define __CR_ACCESSORS(n)						\
static inline unsigned long read_cr##n(void)				\
{									\
	unsigned long v;						\
	__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void write_cr##n(unsigned long v)				\
{									\
	__asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory");	\
}
__CR_ACCESSORS(0)
__CR_ACCESSORS(2)
__CR_ACCESSORS(3)
__CR_ACCESSORS(4)
#undef __CR_ACCESSORS

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* rdtsc that is not executed ahead of earlier loads. */
static inline u64 rdtsc_ordered(void)
{
	__asm__ __volatile__("lfence" ::: "memory");
	return rdtsc();
}

static inline void local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline void local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline unsigned long local_save_flags(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0" : "=rm"(flags) : : "memory");
	return flags;
}

static inline unsigned long __local_irq_save(void)
{
	unsigned long flags = local_save_flags();

	local_irq_disable();
	return flags;
}

#define local_irq_save(flags)	do { (flags) = __local_irq_save(); } while (0)

static inline void local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}

static inline bool irqs_disabled(void)
{
	return !(local_save_flags() & X86_EFLAGS_IF);
}

/* Enable interrupts and halt atomically: no wakeup is lost in between. */
static inline void safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

static inline void halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

static inline void invlpg(unsigned long addr)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(addr) : "memory");
}

static inline void stac(void)
{
	__asm__ __volatile__(".byte 0x0f,0x01,0xcb" ::: "memory");
}

static inline void clac(void)
{
	__asm__ __volatile__(".byte 0x0f,0x01,0xca" ::: "memory");
}

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_X86_PROCESSOR_H */
