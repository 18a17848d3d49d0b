/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel image layout.  The multiboot2 header and the 32-bit entry code run
 * at their physical addresses (.boot); everything else is linked in the
 * higher half at __START_KERNEL_map + physical address.  Linker-section
 * tables (init calls, boot parameters, ktest suites, PCI drivers, exception
 * fixups) live in .rodata between __X_start/__X_end symbols.
 */
#include <asm/page.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(startup_32)

PHDRS {
	boot PT_LOAD FLAGS(7);
	text PT_LOAD FLAGS(5);
	rodata PT_LOAD FLAGS(4);
	data PT_LOAD FLAGS(6);
	ksyms PT_LOAD FLAGS(4);
}

SECTIONS
{
	. = LOAD_PHYS_ADDR;
	__boot_start = .;
	.boot : {
		KEEP(*(.multiboot))
		*(.boot.text)
		. = ALIGN(PAGE_SIZE);
		*(.boot.data)
	} :boot
	__boot_end = .;

	. = ALIGN(PAGE_SIZE);
	. += __START_KERNEL_map;

	_text = .;
	.text : AT(ADDR(.text) - __START_KERNEL_map) {
		*(.text.entry)
		*(.text .text.*)
		*(.fixup)
		*(.init.text)
	} :text
	_etext = .;

	. = ALIGN(PAGE_SIZE);
	__rodata_start = .;
	.rodata : AT(ADDR(.rodata) - __START_KERNEL_map) {
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__initcall_start = .;
		KEEP(*(.initcall1.init))
		KEEP(*(.initcall3.init))
		KEEP(*(.initcall4.init))
		KEEP(*(.initcall6.init))
		KEEP(*(.initcall7.init))
		__initcall_end = .;
		. = ALIGN(8);
		__params_start = .;
		KEEP(*(.lego_params))
		__params_end = .;
		. = ALIGN(8);
		__ktest_suites_start = .;
		KEEP(*(.ktest_suites))
		__ktest_suites_end = .;
		. = ALIGN(8);
		__pci_drivers_start = .;
		KEEP(*(.pci_drivers))
		__pci_drivers_end = .;
		. = ALIGN(8);
		__ex_table_start = .;
		KEEP(*(__ex_table))
		__ex_table_end = .;
	} :rodata

	. = ALIGN(PAGE_SIZE);
	_sdata = .;
	.data : AT(ADDR(.data) - __START_KERNEL_map) {
		*(.data .data.*)
		*(.init.data)
	} :data
	_edata = .;

	. = ALIGN(PAGE_SIZE);
	__bss_start = .;
	.bss : AT(ADDR(.bss) - __START_KERNEL_map) {
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(PAGE_SIZE);
	} :data
	__bss_end = .;

	/* Last, so that its size never moves code (scripts/kallsyms.py). */
	.kallsyms : AT(ADDR(.kallsyms) - __START_KERNEL_map) {
		*(.kallsyms)
	} :ksyms
	. = ALIGN(PAGE_SIZE);
	_end = .;

	__bss_start_phys = __bss_start - __START_KERNEL_map;
	__bss_end_phys = __bss_end - __START_KERNEL_map;
	_end_phys = _end - __START_KERNEL_map;

	/DISCARD/ : {
		*(.eh_frame)
		*(.note.gnu.property)
		*(.comment)
	}
}
