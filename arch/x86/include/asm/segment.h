/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GDT layout.  The user segments are ordered for SYSRET: STAR[63:48] =
 * USER_DS - 8, so SYSRET loads CS = USER_CS and SS = USER_DS.
 */
#ifndef _ASM_X86_SEGMENT_H
#define _ASM_X86_SEGMENT_H

#define GDT_ENTRY_KERNEL_CS	1
#define GDT_ENTRY_KERNEL_DS	2
#define GDT_ENTRY_USER_DS	3
#define GDT_ENTRY_USER_CS	4
#define GDT_ENTRY_TSS		5	/* 16 bytes: entries 5 and 6 */
#define GDT_ENTRIES		7

#define __KERNEL_CS		(GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS		(GDT_ENTRY_KERNEL_DS * 8)
#define __USER_DS		(GDT_ENTRY_USER_DS * 8 + 3)
#define __USER_CS		(GDT_ENTRY_USER_CS * 8 + 3)
#define __TSS_SEL		(GDT_ENTRY_TSS * 8)

#endif /* _ASM_X86_SEGMENT_H */
