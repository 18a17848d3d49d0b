/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel context switch (called from kernel/sched/core.c with interrupts
 * off and the run queue locked).
 *
 * A task that is switched out keeps, at its saved stack pointer:
 *
 *	r15 r14 r13 r12 rbx rbp rflags <return address>
 *
 * The other registers are caller-saved under the System V ABI, so the C
 * caller has already saved whatever it needs.  A new task's stack is built
 * by task_setup() (kernel/sched/kthread.c) in the same shape, returning
 * into ret_from_kthread with rbp = 0 and interrupts off.
 */

	.section .text
	.balign 16

/* void __switch_to_asm(unsigned long *prev_sp, unsigned long next_sp) */
	.globl	__switch_to_asm
	.type	__switch_to_asm, @function
__switch_to_asm:
	pushfq
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	popfq
	ret
	.size	__switch_to_asm, . - __switch_to_asm

/*
 * First instruction of every new task.  rbp is 0 here, so the frame
 * kthread_entry() pushes ends every backtrace; the stack is 16-byte
 * aligned at the call as the ABI wants.
 */
	.globl	ret_from_kthread
	.type	ret_from_kthread, @function
ret_from_kthread:
	call	kthread_entry
	ud2
	.size	ret_from_kthread, . - ret_from_kthread

	.section .note.GNU-stack, "", @progbits
