// SPDX-License-Identifier: GPL-2.0
/*
 * panic(): print the reason and a backtrace, stop the other CPUs and halt.
 *
 * Under test (`ktest=` on the command line) the machine instead leaves QEMU
 * through isa-debug-exit with QEMU_EXIT_PANIC, so the harness sees a panic
 * at once rather than a timeout.
 */
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/panic.h>
#include <lego/smp.h>
#include <lego/stdarg.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/traps.h>

#define QEMU_DEBUG_EXIT_PORT	0xf4

void qemu_debug_exit(unsigned int code)
{
	outl(code, QEMU_DEBUG_EXIT_PORT);
}

static void halt_forever(void)
{
	for (;;) {
		local_irq_disable();
		halt();
	}
}

void panic(const char *fmt, ...)
{
	static char buf[512];
	va_list args;

	local_irq_disable();
	if (__atomic_fetch_add(&panic_in_progress, 1, __ATOMIC_SEQ_CST))
		halt_forever();	/* another CPU is already panicking */

	va_start(args, fmt);
	vscnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	pr_emerg("Kernel panic - not syncing: %s\n", buf);
	pr_emerg("CPU: %d\n", smp_processor_id());
	dump_stack();
	smp_stop_other_cpus();
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", buf);
	if (ktest_requested())
		qemu_debug_exit(QEMU_EXIT_PANIC);
	halt_forever();
	__builtin_unreachable();
}

void __warn(const char *file, int line, const char *cond)
{
	pr_warn("WARNING: CPU: %d at %s:%d: %s\n", smp_processor_id(), file,
		line, cond);
	dump_stack();
}
