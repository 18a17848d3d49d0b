// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing up the application processors.
 *
 * CPUs are numbered in MADT order with the boot CPU as 0.  Each AP gets a
 * THREAD_SIZE-aligned stack (which becomes its idle task's stack), then
 * INIT - 10 ms - STARTUP - 200 us - STARTUP (Intel SDM Vol. 3A, 9.4.4.1),
 * and the boot CPU waits up to `smp.timeout_ms` for it to report online.
 * A CPU that does not answer is reported and left out; boot continues.
 * `smp.maxcpus=N` limits how many CPUs are used.
 */
#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/gfp.h>
#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/params.h>
#include <lego/panic.h>
#include <lego/sched.h>
#include <lego/smp.h>
#include <lego/time.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/traps.h>

unsigned int nr_cpu_ids = 1;
static int nr_online = 1;
static volatile int booting_cpu;

static unsigned int smp_maxcpus = CONFIG_NR_CPUS;
lego_param_uint("smp.maxcpus", smp_maxcpus,
		"use at most this many CPUs (default: all, up to NR_CPUS)");
static unsigned int smp_timeout_ms = 2000;
lego_param_uint("smp.timeout_ms", smp_timeout_ms,
		"how long to wait for an application processor to start");

extern const char trampoline_start[], trampoline_end[];
extern const char tramp_cr3[], tramp_efer[], tramp_stack[], tramp_entry[];

int num_online_cpus(void)
{
	return READ_ONCE(nr_online);
}

bool cpu_online(int cpu)
{
	return cpu >= 0 && cpu < (int)nr_cpu_ids && READ_ONCE(cpu_info[cpu].online);
}

/* Boot CPU: number the CPUs from the MADT, the boot CPU first. */
void smp_prepare_boot_cpu(void)
{
	u32 self = lapic_read_id();
	unsigned int i, n = 1, limit = min_t(unsigned int, smp_maxcpus,
					     CONFIG_NR_CPUS);

	cpu_info[0].apic_id = self;
	cpu_info[0].online = true;
	for (i = 0; i < acpi_info.nr_cpus; i++) {
		if (acpi_info.cpus[i].apic_id == self)
			continue;
		if (n >= limit) {
			pr_info("SMP: CPU with APIC id %u not used (limit %u)\n",
				acpi_info.cpus[i].apic_id, limit);
			continue;
		}
		cpu_info[n++].apic_id = acpi_info.cpus[i].apic_id;
	}
	nr_cpu_ids = n;
}

static void __noreturn ap_start_kernel(void)
{
	int cpu = booting_cpu;

	percpu_init_cpu(cpu);
	cpu_init_descriptors(cpu);
	cpu_setup_features();
	lapic_setup_cpu();
	sched_init_ap(cpu);
	lapic_timer_start();
	WRITE_ONCE(cpu_info[cpu].online, true);
	__atomic_add_fetch(&nr_online, 1, __ATOMIC_SEQ_CST);
	cpu_idle();
}

static void trampoline_set(const char *field, u64 v, size_t size)
{
	void *p = __va(TRAMPOLINE_PHYS + (field - trampoline_start));

	memcpy(p, &v, size);
}

static bool wait_online(int cpu, u64 timeout_ns)
{
	u64 start = ktime_get_ns();

	while (!READ_ONCE(cpu_info[cpu].online)) {
		if (ktime_get_ns() - start > timeout_ns)
			return false;
		cpu_relax();
	}
	return true;
}

static int smp_boot_cpu(int cpu)
{
	u32 apic_id = cpu_info[cpu].apic_id;
	unsigned long stack = __get_free_pages(GFP_KERNEL,
					       CONFIG_KERNEL_STACK_ORDER);

	if (!stack)
		return -ENOMEM;
	booting_cpu = cpu;
	trampoline_set(tramp_stack, stack + THREAD_SIZE, 8);
	smp_mb();

	lapic_send_ipi(apic_id, APIC_ICR_DELIVERY_INIT | APIC_ICR_LEVEL_ASSERT);
	mdelay(10);
	lapic_send_ipi(apic_id, APIC_ICR_DELIVERY_STARTUP |
			        (TRAMPOLINE_PHYS >> 12));
	udelay(200);
	if (!READ_ONCE(cpu_info[cpu].online))
		lapic_send_ipi(apic_id, APIC_ICR_DELIVERY_STARTUP |
				        (TRAMPOLINE_PHYS >> 12));
	if (!wait_online(cpu, smp_timeout_ms * NSEC_PER_MSEC)) {
		pr_err("SMP: CPU %d (APIC id %u) did not start within %u ms\n",
		       cpu, apic_id, smp_timeout_ms);
		free_pages(stack, CONFIG_KERNEL_STACK_ORDER);
		return -ETIMEDOUT;
	}
	return 0;
}

void smp_init(void)
{
	size_t len = trampoline_end - trampoline_start;
	unsigned int cpu;

	if (nr_cpu_ids == 1)
		goto out;
	memcpy(__va(TRAMPOLINE_PHYS), trampoline_start, len);
	trampoline_set(tramp_cr3, read_cr3(), 4);
	trampoline_set(tramp_efer, rdmsr(MSR_EFER) & (EFER_LME | EFER_NX), 4);
	trampoline_set(tramp_entry, (u64)ap_start_kernel, 8);

	paging_map_low_identity(true);
	for (cpu = 1; cpu < nr_cpu_ids; cpu++)
		smp_boot_cpu(cpu);
	paging_map_low_identity(false);
	flush_tlb_all();
out:
	pr_info("SMP: %d of %u CPUs online\n", num_online_cpus(), nr_cpu_ids);
}
