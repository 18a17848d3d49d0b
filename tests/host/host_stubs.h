/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stand-ins for the kernel services that mm/ calls (printk,
 * preemption, panic), from tests/host/host_stubs.c.
 *
 * printk output is kept in a buffer that a test can search, and echoed to
 * stderr only when LEGO_TEST_VERBOSE is set in the environment, so that the
 * errors a test provokes on purpose do not clutter the run.
 */
#ifndef _HOST_STUBS_H
#define _HOST_STUBS_H

#include <stdbool.h>

/* Forget what printk said so far. */
void host_printk_reset(void);
/* True if everything printk'd since the last reset contains @needle. */
bool host_printk_contains(const char *needle);
/* Number of printk calls since the last reset. */
unsigned int host_printk_calls(void);

#endif /* _HOST_STUBS_H */
