/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt and exception entry.
 *
 * Each of the 256 IDT vectors has a small stub that makes the frame uniform
 * (a zero error code where the CPU pushes none, then the vector number) and
 * jumps to common_entry, which saves the general registers as a struct
 * pt_regs and calls x86_handle_interrupt(regs).  Coming from ring 3 the GS
 * bases are swapped on the way in and out, so %gs always addresses the
 * CPU's struct cpu_info in kernel mode.
 *
 * Vectors with a CPU error code: Intel SDM Vol. 3A, Table 6-1.
 */
#include <asm/ptrace.h>

#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			(v) == 21 || (v) == 29 || (v) == 30)

	.section .text
	.balign 16
common_entry:
	cld
	testb	$3, 24(%rsp)		/* CS of the interrupted context */
	jz	1f
	swapgs
1:	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	call	x86_handle_interrupt
	.globl	ret_from_interrupt
ret_from_interrupt:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	addq	$16, %rsp		/* vector and error code */
	testb	$3, 8(%rsp)
	jz	2f
	swapgs
2:	iretq

	.macro STUB v
	.balign 16
stub_\v:
	.if !HAS_ERRCODE(\v)
	pushq	$0
	.endif
	pushq	$\v
	jmp	common_entry
	.endm

	.altmacro
	.macro STUBS from, to
	STUB %(\from)
	.if \to-\from
	STUBS %(\from+1), \to
	.endif
	.endm

	STUBS 0, 63
	STUBS 64, 127
	STUBS 128, 191
	STUBS 192, 255

	.macro STUBADDR v
	.quad stub_\v
	.endm
	.macro STUBADDRS from, to
	STUBADDR %(\from)
	.if \to-\from
	STUBADDRS %(\from+1), \to
	.endif
	.endm

	.section .rodata
	.balign 8
	.globl	interrupt_stubs
interrupt_stubs:
	STUBADDRS 0, 63
	STUBADDRS 64, 127
	STUBADDRS 128, 191
	STUBADDRS 192, 255

	.section .note.GNU-stack, "", @progbits
