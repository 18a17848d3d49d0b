/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_SMP_H
#define _ASM_X86_SMP_H

/* Physical page the AP start-up code runs from (STARTUP IPI vector 0x08). */
#define TRAMPOLINE_PHYS		0x8000

#ifndef __ASSEMBLY__
#include <lego/types.h>

void smp_prepare_boot_cpu(void);
void cpu_features_init(void);
void cpu_setup_features(void);
void flush_tlb_all(void);
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
#endif

#endif /* _ASM_X86_SMP_H */
