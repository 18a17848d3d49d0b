// SPDX-License-Identifier: GPL-2.0
/*
 * Host stand-ins for kernel services used by the mm/ host tests: printk
 * (formatted by the kernel's own vsnprintf from lib/vsprintf.c, so %pS and
 * friends behave as in the kernel), preemption (nothing to do in a user
 * process) and panic (abort the test).  Built like a kernel source, with
 * lego_host_rename.h forced in.
 */
#include <stdio.h>
#include <stdlib.h>

/* glibc's spelling; <lego/compiler.h> brings the kernel's. */
#undef __always_inline
#undef offsetof

#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/printk.h>
#include <lego/spinlock.h>

#include "host_stubs.h"

#define HOST_PRINTK_BUF	65536

static char printk_buf[HOST_PRINTK_BUF];
static size_t printk_len;
static unsigned int printk_calls;

void host_printk_reset(void)
{
	printk_len = 0;
	printk_buf[0] = '\0';
	printk_calls = 0;
}

bool host_printk_contains(const char *needle)
{
	return strstr(printk_buf, needle) != NULL;
}

unsigned int host_printk_calls(void)
{
	return printk_calls;
}

/* Drop the KERN_<LEVEL> marker, as the console would. */
static const char *skip_level(const char *s)
{
	while (s[0] == KERN_SOH[0] && s[1])
		s += 2;
	return s;
}

int printk(const char *fmt, ...)
{
	char line[1024];
	va_list args;
	int n;

	va_start(args, fmt);
	n = vscnprintf(line, sizeof(line), skip_level(fmt), args);
	va_end(args);
	printk_calls++;
	if (printk_len + n >= sizeof(printk_buf))
		printk_len = 0;		/* keep the latest messages */
	memcpy(printk_buf + printk_len, line, n + 1);
	printk_len += n;
	if (getenv("LEGO_TEST_VERBOSE"))
		fputs(line, stderr);
	return n;
}

void preempt_disable(void)
{
}

void preempt_enable(void)
{
}

void preempt_enable_no_resched(void)
{
}

void panic(const char *fmt, ...)
{
	char line[1024];
	va_list args;

	va_start(args, fmt);
	vscnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	fprintf(stderr, "panic: %s\n", line);
	abort();
}
