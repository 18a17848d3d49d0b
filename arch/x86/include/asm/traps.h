/* SPDX-License-Identifier: GPL-2.0 */
/* Exceptions, the exception table, backtraces. */
#ifndef _ASM_X86_TRAPS_H
#define _ASM_X86_TRAPS_H

#include <lego/types.h>
#include <asm/ptrace.h>

#define X86_TRAP_DE	0	/* divide error */
#define X86_TRAP_DB	1
#define X86_TRAP_NMI	2
#define X86_TRAP_BP	3
#define X86_TRAP_OF	4
#define X86_TRAP_BR	5
#define X86_TRAP_UD	6	/* invalid opcode */
#define X86_TRAP_NM	7
#define X86_TRAP_DF	8	/* double fault */
#define X86_TRAP_TS	10
#define X86_TRAP_NP	11
#define X86_TRAP_SS	12
#define X86_TRAP_GP	13	/* general protection */
#define X86_TRAP_PF	14	/* page fault */
#define X86_TRAP_MF	16
#define X86_TRAP_AC	17
#define X86_TRAP_MC	18	/* machine check */
#define X86_TRAP_XF	19
#define X86_TRAP_VE	20
#define X86_TRAP_CP	21

/* #PF error code bits, Intel SDM Vol. 3A, Figure 4-12. */
#define X86_PF_PROT	(1 << 0)
#define X86_PF_WRITE	(1 << 1)
#define X86_PF_USER	(1 << 2)
#define X86_PF_RSVD	(1 << 3)
#define X86_PF_INSTR	(1 << 4)

void trap_init(void);
void x86_handle_interrupt(struct pt_regs *regs);
void show_regs(const struct pt_regs *regs);
void dump_stack(void);
/* arch/x86/kernel/crash.c: act on `debug.crash=` */
void debug_crash_maybe(void);
void show_stack_from(unsigned long rbp);

/*
 * Exception table: an access at @insn that faults resumes at @fixup.
 * Used for the few kernel accesses that are allowed to fail.
 */
struct exception_table_entry {
	unsigned long insn;
	unsigned long fixup;
};

bool fixup_exception(struct pt_regs *regs);

#define _ASM_EXTABLE(from, to)					\
	".pushsection __ex_table, \"a\"\n"			\
	".balign 8\n"						\
	".quad " #from ", " #to "\n"				\
	".popsection\n"

/* Read a u64 that may be unmapped: 0, or -EFAULT with *val = 0. */
static inline int read_u64_nofault(const void *p, u64 *val)
{
	int err = 0;
	u64 v;

	__asm__ __volatile__("1:	movq (%2), %1\n"
			     "2:\n"
			     ".pushsection .fixup, \"ax\"\n"
			     "3:	movl %3, %0\n"
			     "	xorl %k1, %k1\n"
			     "	jmp 2b\n"
			     ".popsection\n"
			     _ASM_EXTABLE(1b, 3b)
			     : "+r"(err), "=r"(v)
			     : "r"(p), "i"(-14)
			     : "memory");
	*val = v;
	return err;
}

/* Write a u64 to memory that may be unmapped or read-only. */
static inline int write_u64_nofault(void *p, u64 val)
{
	int err = 0;

	__asm__ __volatile__("1:	movq %2, (%1)\n"
			     "2:\n"
			     ".pushsection .fixup, \"ax\"\n"
			     "3:	movl %3, %0\n"
			     "	jmp 2b\n"
			     ".popsection\n"
			     _ASM_EXTABLE(1b, 3b)
			     : "+r"(err)
			     : "r"(p), "r"(val), "i"(-14)
			     : "memory");
	return err;
}

#endif /* _ASM_X86_TRAPS_H */
