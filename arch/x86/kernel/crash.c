// SPDX-License-Identifier: GPL-2.0
/*
 * `debug.crash=` deliberately crashes the kernel once it is ready, so that
 * the crash path itself (register dump, symbolized RIP and backtrace,
 * panic, stopping the other CPUs) is tested like everything else.
 *
 *	debug.crash=null	read through a NULL pointer (#PF)
 *	debug.crash=gp		read a non-canonical address (#GP)
 *	debug.crash=ud		execute ud2 (#UD)
 *	debug.crash=panic	call panic()
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/params.h>
#include <asm/traps.h>

static const char *const crash_kinds[] = { "null", "gp", "ud", "panic" };
static int crash_kind = -1;

static int crash_param(const char *val)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(crash_kinds); i++) {
		if (!strcmp(val, crash_kinds[i])) {
			crash_kind = i;
			return 0;
		}
	}
	return -EINVAL;
}
lego_param_cb("debug.crash", crash_param,
	      "crash on purpose once ready, to test the crash path: null|gp|ud|panic");

static noinline void crash_now(int kind)
{
	switch (kind) {
	case 0:
		pr_info("debug.crash: reading through a NULL pointer\n");
		(void)*(volatile unsigned long *)0;
		break;
	case 1:
		pr_info("debug.crash: reading a non-canonical address\n");
		(void)*(volatile unsigned long *)0x8000000000000000UL;
		break;
	case 2:
		pr_info("debug.crash: executing ud2\n");
		__asm__ __volatile__("ud2");
		break;
	default:
		panic("debug.crash=panic on the command line");
	}
}

void debug_crash_maybe(void)
{
	if (crash_kind >= 0)
		crash_now(crash_kind);
}
