/* SPDX-License-Identifier: GPL-2.0 */
/*
 * panic() is for broken local invariants only.  Input from outside the
 * kernel (packets, RPCs, boot parameters, user pointers) is answered with an
 * error instead.
 */
#ifndef _LEGO_PANIC_H
#define _LEGO_PANIC_H

#include <lego/compiler.h>

__noreturn __printf(1, 2) __cold void panic(const char *fmt, ...);

/* Non-zero while a panic is in progress (printk then ignores its lock). */
extern int panic_in_progress;

#define BUG() panic("BUG at %s:%d in %s()", __FILE__, __LINE__, __func__)
#define BUG_ON(cond) do { if (unlikely(cond)) BUG(); } while (0)

/* Warn with a backtrace, once per call site; evaluates to the condition. */
#define WARN_ON_ONCE(cond) ({						\
	static bool __warned;						\
	bool __c = !!(cond);						\
	if (unlikely(__c) && !__warned) {				\
		__warned = true;					\
		__warn(__FILE__, __LINE__, #cond);			\
	}								\
	__c;								\
})
#define WARN_ON(cond) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		__warn(__FILE__, __LINE__, #cond);			\
	__c;								\
})
void __warn(const char *file, int line, const char *cond);

/* QEMU isa-debug-exit codes: the test harness reads QEMU's exit status. */
#define QEMU_EXIT_PASS		0x10	/* QEMU exits 33 */
#define QEMU_EXIT_FAIL		0x11	/* QEMU exits 35 */
#define QEMU_EXIT_PANIC		0x12	/* QEMU exits 37 */
void qemu_debug_exit(unsigned int code);

#endif /* _LEGO_PANIC_H */
