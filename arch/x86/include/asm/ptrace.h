/* SPDX-License-Identifier: GPL-2.0 */
/* The register frame built by the interrupt/exception entry code. */
#ifndef _ASM_X86_PTRACE_H
#define _ASM_X86_PTRACE_H

#ifndef __ASSEMBLY__
#include <lego/types.h>

struct pt_regs {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	unsigned long rax, rcx, rdx, rsi, rdi;
	unsigned long vector;
	unsigned long error_code;
	/* pushed by the CPU */
	unsigned long rip, cs, rflags, rsp, ss;
};

static inline bool user_mode(const struct pt_regs *regs)
{
	return regs->cs & 3;
}
#endif

/* Offsets used by entry.S. */
#define PTREGS_VECTOR	120
#define PTREGS_CS	144
#define PTREGS_SIZE	176

#endif /* _ASM_X86_PTRACE_H */
