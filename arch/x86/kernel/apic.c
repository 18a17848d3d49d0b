// SPDX-License-Identifier: GPL-2.0
/*
 * Local APIC driver.
 *
 * x2APIC mode is used when CPUID reports it (unless `apic.x2apic=0`), the
 * memory-mapped xAPIC otherwise; both go through apic_read()/apic_write().
 * The timer is calibrated once against the TSC and then runs periodically
 * at HZ on every CPU, driving the scheduler tick and kernel timers.
 *
 * Tested under QEMU 7.2 TCG with -cpu max and -cpu qemu64 on pc and q35.
 */
#include <lego/acpi.h>
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/params.h>
#include <lego/jiffies.h>
#include <lego/sched.h>
#include <lego/time.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/processor.h>

bool x2apic_mode;
static volatile void *lapic_base;
static u32 lapic_ticks_per_hz;	/* timer count per 1/HZ s at divide 16 */

static bool x2apic_allowed = true;
lego_param_bool("apic.x2apic", x2apic_allowed,
		"use x2APIC mode when the CPU has it (default 1)");

static u32 apic_read(u32 reg)
{
	if (x2apic_mode)
		return (u32)rdmsr(0x800 + (reg >> 4));
	return readl(lapic_base + reg);
}

static void apic_write(u32 reg, u32 v)
{
	if (x2apic_mode)
		wrmsr(0x800 + (reg >> 4), v);
	else
		writel(v, lapic_base + reg);
}

u32 lapic_read_id(void)
{
	u32 id = apic_read(APIC_ID);

	return x2apic_mode ? id : id >> 24;
}

void lapic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

void lapic_send_ipi(u32 apic_id, u32 delivery_vector)
{
	if (x2apic_mode) {
		/* One 64-bit write; no delivery-status bit in x2APIC mode. */
		wrmsr(0x800 + (APIC_ICR >> 4),
		      ((u64)apic_id << 32) | delivery_vector);
		return;
	}
	while (apic_read(APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
	apic_write(APIC_ICR2, apic_id << 24);
	apic_write(APIC_ICR, delivery_vector);
}

static bool cpu_has_x2apic(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return c & (1 << 21);
}

void lapic_init(void)
{
	u64 base = rdmsr(MSR_IA32_APICBASE);
	phys_addr_t phys = acpi_info.lapic_addr ? acpi_info.lapic_addr :
			   (base & ~0xfffULL);

	x2apic_mode = x2apic_allowed && cpu_has_x2apic();
	if (!x2apic_mode) {
		lapic_base = ioremap(phys, 0x1000);
		if (!lapic_base)
			panic("APIC: cannot map the local APIC at %#llx",
			      (unsigned long long)phys);
	}
	lapic_setup_cpu();
	pr_info("APIC: local APIC %#llx in %s mode, version %#x, boot CPU APIC id %u\n",
		(unsigned long long)phys, x2apic_mode ? "x2APIC" : "xAPIC",
		apic_read(APIC_LVR) & 0xff, lapic_read_id());
}

/* Enable this CPU's local APIC in the chosen mode and set its LVTs. */
void lapic_setup_cpu(void)
{
	u64 base = rdmsr(MSR_IA32_APICBASE) | APIC_BASE_ENABLE;

	if (x2apic_mode)
		base |= APIC_BASE_X2APIC;
	wrmsr(MSR_IA32_APICBASE, base);

	apic_write(APIC_TPR, 0);
	if (!x2apic_mode) {
		apic_write(APIC_DFR, 0xffffffff);	/* flat model */
		apic_write(APIC_LDR, 0);
	}
	apic_write(APIC_LVTT, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, 4 << 8);		/* NMI delivery */
	apic_write(APIC_LVT_ERROR, ERROR_APIC_VECTOR);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_APIC_VECTOR);
	lapic_eoi();
}

/* Count the timer down for 10 ms of TSC time; the TSC is calibrated. */
void lapic_timer_calibrate(void)
{
	u64 start, window = tsc_khz * 10;
	u32 elapsed;

	apic_write(APIC_TDCR, APIC_TDCR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_MASKED);
	apic_write(APIC_TMICT, 0xffffffff);
	start = rdtsc_ordered();
	while (rdtsc_ordered() - start < window)
		cpu_relax();
	elapsed = 0xffffffff - apic_read(APIC_TMCCT);
	apic_write(APIC_TMICT, 0);

	lapic_ticks_per_hz = (u32)((u64)elapsed * 100 / HZ);
	if (!lapic_ticks_per_hz)
		panic("APIC: timer did not count during calibration");
	pr_info("APIC: timer %llu kHz (divide 16), %u counts per tick at HZ=%d\n",
		(unsigned long long)elapsed / 10, lapic_ticks_per_hz, HZ);
}

void lapic_timer_start(void)
{
	apic_write(APIC_TDCR, APIC_TDCR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVTT_PERIODIC | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, lapic_ticks_per_hz);
}
