/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry from a multiboot2 loader (GRUB2) into 64-bit C.
 *
 * GRUB jumps to startup_32 in 32-bit protected mode with paging off,
 * EAX = 0x36d76289 and EBX = the physical address of the multiboot2
 * information.  We check for long mode, clear .bss, build boot page tables
 * that map the first EARLY_MAP_SIZE bytes of physical memory three times
 * (identity, direct map at PAGE_OFFSET, kernel image at __START_KERNEL_map)
 * with 2 MiB pages, enable PAE + long mode (+ NX when the CPU has it) and
 * paging, and jump to startup_64 in the higher half, which calls
 * start_kernel(magic, info).  The identity map goes away in paging_init().
 *
 * Multiboot2 specification 1.0, section 3.1 (header) and 3.3 (machine state).
 */
#include <asm/page.h>
#include <asm/segment.h>
#include <asm/processor.h>

#define MB2_MAGIC	0xe85250d6
#define MB2_ARCH_I386	0
#define PTE_P		0x1
#define PTE_W		0x2
#define PTE_PS		0x80
#define PML4_IDX(va)	(((va) >> 39) & 511)
#define PDPT_IDX(va)	(((va) >> 30) & 511)
#define COM1		0x3f8

	.section .multiboot, "a"
	.balign 8
mb2_header:
	.long	MB2_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	-(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* end tag */
	.balign 8
	.short	0
	.short	0
	.long	8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl startup_32
startup_32:
	cli
	cld
	movl	%eax, boot_mb_magic
	movl	%ebx, boot_mb_info
	movl	$boot_stack_top, %esp

	/* Long mode available?  CPUID 0x80000001 EDX bit 29. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	no_long_mode
	movl	%edx, boot_ext_edx

	/* Clear .bss (GRUB zeroes it too, but do not depend on that). */
	movl	$__bss_start_phys, %edi
	movl	$__bss_end_phys, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl

	/* boot_pd: 512 x 2 MiB = EARLY_MAP_SIZE from physical 0. */
	movl	$boot_pd, %edi
	movl	$(PTE_P | PTE_W | PTE_PS), %eax
	movl	$512, %ecx
1:	movl	%eax, (%edi)
	movl	$0, 4(%edi)
	addl	$PMD_SIZE, %eax
	addl	$8, %edi
	loop	1b

	movl	$(boot_pd + PTE_P + PTE_W), boot_pdpt_low
	movl	$(boot_pd + PTE_P + PTE_W), boot_pdpt_high + 8 * PDPT_IDX(__START_KERNEL_map)
	movl	$(boot_pdpt_low + PTE_P + PTE_W), boot_pml4
	movl	$(boot_pdpt_low + PTE_P + PTE_W), boot_pml4 + 8 * PML4_IDX(__PAGE_OFFSET)
	movl	$(boot_pdpt_high + PTE_P + PTE_W), boot_pml4 + 8 * PML4_IDX(__START_KERNEL_map)

	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3

	/* EFER: long mode, and NX when CPUID 0x80000001 EDX bit 20 says so. */
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	btl	$20, boot_ext_edx
	jnc	2f
	orl	$EFER_NX, %eax
2:	wrmsr

	movl	%cr0, %eax
	orl	$(X86_CR0_PG | X86_CR0_WP), %eax
	movl	%eax, %cr0

	lgdt	boot_gdt_desc
	ljmp	$__KERNEL_CS, $startup_64_low

no_long_mode:
	movl	$no_lm_msg, %esi
3:	lodsb
	testb	%al, %al
	jz	4f
	movw	$COM1, %dx
	outb	%al, %dx
	jmp	3b
4:	hlt
	jmp	4b

	.code64
startup_64_low:
	movabsq	$startup_64, %rax
	jmp	*%rax

	.section .boot.data, "aw"
	.balign PAGE_SIZE
boot_pml4:	.fill 512, 8, 0
boot_pdpt_low:	.fill 512, 8, 0
boot_pdpt_high:	.fill 512, 8, 0
boot_pd:	.fill 512, 8, 0
	.fill	1024, 1, 0
boot_stack_top:
	.balign 8
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 64-bit code, DPL 0 */
	.quad	0x00cf92000000ffff	/* data, DPL 0 */
boot_gdt_end:
boot_gdt_desc:
	.short	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt
	.globl boot_mb_magic, boot_mb_info
boot_mb_magic:	.long 0
boot_mb_info:	.long 0
boot_ext_edx:	.long 0
no_lm_msg:	.asciz "LegoOS: this CPU has no 64-bit long mode; halting.\r\n"

	.section .text.entry, "ax"
	.globl startup_64
startup_64:
	movl	$__KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$init_stack_top, %rsp
	xorl	%ebp, %ebp
	movabsq	$boot_mb_magic, %rax
	movl	(%rax), %edi
	movabsq	$boot_mb_info, %rax
	movl	(%rax), %esi
	call	start_kernel
5:	cli
	hlt
	jmp	5b

	.section .bss
	.balign (PAGE_SIZE << CONFIG_KERNEL_STACK_ORDER)
	.globl init_stack, init_stack_top
init_stack:
	.skip	(PAGE_SIZE << CONFIG_KERNEL_STACK_ORDER)
init_stack_top:

	.section .note.GNU-stack, "", @progbits
