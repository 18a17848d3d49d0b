/* SPDX-License-Identifier: GPL-2.0 */
/* Arch interrupt plumbing (drivers use include/lego/irq.h). */
#ifndef _ASM_X86_IRQ_H
#define _ASM_X86_IRQ_H

#include <asm/ptrace.h>

void irq_init(void);
void x86_handle_irq(struct pt_regs *regs);
void smp_call_function_interrupt(unsigned int vector, void *data);

#endif /* _ASM_X86_IRQ_H */
