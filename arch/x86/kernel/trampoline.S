/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Application processor start-up code.  smp_boot_cpu() copies this blob to
 * TRAMPOLINE_PHYS and fills in its parameters (page table root, EFER bits,
 * stack, entry point); the STARTUP IPI starts the AP in real mode at
 * TRAMPOLINE_PHYS.  The code then goes real -> protected -> long mode on
 * the kernel's page tables (whose low half maps this page 1:1 while APs
 * boot) and jumps to ap_start_kernel() in the higher half.
 *
 * Intel SDM Vol. 3A, 9.4 "Multiple-Processor (MP) Initialization" and
 * 9.8.5 "Initializing IA-32e Mode".
 */
#include <asm/processor.h>
#include <asm/smp.h>

#define TRAMP(x)	((x) - trampoline_start + TRAMPOLINE_PHYS)

	.section .rodata
	.balign 16
	.globl trampoline_start, trampoline_end
	.globl tramp_cr3, tramp_efer, tramp_stack, tramp_entry
	.code16
trampoline_start:
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	lgdtl	TRAMP(tramp_gdt_desc)
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $TRAMP(tramp_32)

	.code32
tramp_32:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%cr4, %eax
	orl	$(X86_CR4_PAE | X86_CR4_PGE), %eax
	movl	%eax, %cr4
	movl	TRAMP(tramp_cr3), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	TRAMP(tramp_efer), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(X86_CR0_PG | X86_CR0_WP), %eax
	movl	%eax, %cr0
	ljmpl	$0x18, $TRAMP(tramp_64)

	.code64
tramp_64:
	movq	TRAMP(tramp_stack), %rsp
	movq	TRAMP(tramp_entry), %rax
	xorl	%ebp, %ebp
	jmp	*%rax

	.balign 8
tramp_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code */
tramp_gdt_desc:
	.short	tramp_gdt_desc - tramp_gdt - 1
	.long	TRAMP(tramp_gdt)
	.balign 8
tramp_cr3:	.long 0
tramp_efer:	.long 0
tramp_stack:	.quad 0
tramp_entry:	.quad 0
trampoline_end:

	.section .note.GNU-stack, "", @progbits
