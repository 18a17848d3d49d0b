// SPDX-License-Identifier: GPL-2.0
/*
 * start_kernel(): the boot phases of both images, top to bottom.
 *
 * head.S enters here on the boot CPU in 64-bit mode on the boot page
 * tables, with interrupts off and the multiboot2 magic and information
 * address from GRUB.  The role (processor or memory manager) is compiled
 * in; everything that differs per machine comes from boot parameters.
 */
#include <lego/acpi.h>
#include <lego/console.h>
#include <lego/init.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/mm.h>
#include <lego/panic.h>
#include <lego/params.h>
#include <lego/sched.h>
#include <lego/smp.h>
#include <lego/time.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/smp.h>
#include <asm/traps.h>

#ifdef CONFIG_COMP_PROCESSOR
#define LEGO_ROLE "processor"
#else
#define LEGO_ROLE "memory"
#endif

void smp_call_init(void);

/* This node's id in the cluster: used by FIT and the managers. */
unsigned int lego_node_id;
lego_param_uint("lego.node", lego_node_id, "this node's id in the cluster");

static void print_banner(void)
{
	pr_info("LegoOS %s (" LEGO_ROLE " manager) built with gcc %s\n",
		CONFIG_LEGO_VERSION, __VERSION__);
	pr_info("Command line: %s\n", boot_command_line);
	if (boot_info.loader[0])
		pr_info("Boot loader: %s\n", boot_info.loader);
}

extern const initcall_t __initcall_start[], __initcall_end[];

void do_initcalls(void)
{
	const initcall_t *fn;
	int ret;

	for (fn = __initcall_start; fn < __initcall_end; fn++) {
		ret = (*fn)();
		if (ret)
			pr_err("init: %ps failed: %d\n", (void *)*fn, ret);
	}
}

static void __noreturn report_ready(void)
{
	u64 ms = ktime_get_ns() / NSEC_PER_MSEC;

	pr_info("LegoOS " LEGO_ROLE " manager ready: %d CPUs online, %lu MiB free (boot took %llu ms, node %u)\n",
		num_online_cpus(), nr_free_pages() >> (20 - PAGE_SHIFT),
		(unsigned long long)ms, lego_node_id);
	debug_crash_maybe();
	if (ktest_requested())
		qemu_debug_exit(ktest_run_selected() ? QEMU_EXIT_FAIL :
						       QEMU_EXIT_PASS);
	cpu_idle();
}

void start_kernel(u32 mb_magic, u32 mb_info);
void start_kernel(u32 mb_magic, u32 mb_info)
{
	percpu_init_cpu(0);
	tsc_early_init();
	trap_init();
	if (multiboot2_parse(mb_magic, mb_info) == 0)
		parse_early_params();
	serial_early_init();
	print_banner();
	cpu_features_init();

	memory_setup();
	paging_init();
	mm_init();
	paging_use_page_allocator();
	parse_boot_params();

	acpi_init(boot_info.rsdp);
	time_init();
	irq_init();
	lapic_init();
	smp_prepare_boot_cpu();
	ioapic_init();
	lapic_timer_calibrate();
	sched_init();
	smp_call_init();
	lapic_timer_start();
	local_irq_enable();
	smp_init();

	do_initcalls();
	report_ready();
}
