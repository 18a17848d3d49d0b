/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Local APIC (xAPIC through MMIO, x2APIC through MSRs) and IOAPIC.
 * Intel SDM Vol. 3A, chapter 11 "Advanced Programmable Interrupt
 * Controller"; 82093AA IOAPIC datasheet.
 */
#ifndef _ASM_X86_APIC_H
#define _ASM_X86_APIC_H

#include <lego/types.h>

/* Local APIC register offsets (xAPIC MMIO; x2APIC MSR = 0x800 + off/16). */
#define APIC_ID			0x020
#define APIC_LVR		0x030
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_LDR		0x0d0
#define APIC_DFR		0x0e0
#define APIC_SVR		0x0f0
#define  APIC_SVR_ENABLE	(1 << 8)
#define APIC_ESR		0x280
#define APIC_ICR		0x300
#define APIC_ICR2		0x310
#define  APIC_ICR_DELIVERY_FIXED	(0 << 8)
#define  APIC_ICR_DELIVERY_NMI		(4 << 8)
#define  APIC_ICR_DELIVERY_INIT		(5 << 8)
#define  APIC_ICR_DELIVERY_STARTUP	(6 << 8)
#define  APIC_ICR_BUSY		(1 << 12)
#define  APIC_ICR_LEVEL_ASSERT	(1 << 14)
#define  APIC_ICR_TRIGGER_LEVEL	(1 << 15)
#define APIC_LVTT		0x320
#define  APIC_LVT_MASKED	(1 << 16)
#define  APIC_LVTT_PERIODIC	(1 << 17)
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_LVT_ERROR		0x370
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0
#define  APIC_TDCR_DIV_16	0x3

#define APIC_BASE_ENABLE	(1UL << 11)
#define APIC_BASE_X2APIC	(1UL << 10)

/* The kernel's own vectors (include/lego/irq.h). */
#define FIRST_DEVICE_VECTOR	0x30
#define LAST_DEVICE_VECTOR	0xef
#define LOCAL_TIMER_VECTOR	0xf0
#define RESCHEDULE_VECTOR	0xf1
#define CALL_FUNCTION_VECTOR	0xf2
#define ERROR_APIC_VECTOR	0xfe
#define SPURIOUS_APIC_VECTOR	0xff

extern bool x2apic_mode;

void lapic_init(void);		/* boot CPU: map, pick mode, enable */
void lapic_setup_cpu(void);	/* every CPU: enable and program LVTs */
u32 lapic_read_id(void);
void lapic_eoi(void);
void lapic_send_ipi(u32 apic_id, u32 delivery_vector);
void lapic_timer_calibrate(void);
void lapic_timer_start(void);	/* periodic at HZ on this CPU */

void ioapic_init(void);
void ioapic_route(unsigned int gsi, u8 vector, u32 dest_apic_id, bool level,
		  bool active_low);
void ioapic_mask(unsigned int gsi, bool masked);
void pic_disable(void);

#endif /* _ASM_X86_APIC_H */
