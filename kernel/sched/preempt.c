// SPDX-License-Identifier: GPL-2.0
/*
 * Preemption control: a per-CPU count.  While it is non-zero the CPU will
 * not switch tasks; when it drops to zero with a reschedule pending, the
 * switch happens right there.
 *
 * The count is changed with one %gs-relative instruction: a task that is
 * preempted and moved to another CPU between a load and a store of a
 * separate read-modify-write would write to the old CPU's count.
 */
#include <lego/kernel.h>
#include <lego/sched.h>
#include <asm/percpu.h>
#include <asm/processor.h>

#include "sched.h"

#define PREEMPT_COUNT_OFFSET	offsetof(struct cpu_info, preempt_count)

void preempt_disable(void)
{
	__asm__ __volatile__("incl %%gs:%c0" : : "i"(PREEMPT_COUNT_OFFSET)
			     : "memory", "cc");
}

void preempt_enable_no_resched(void)
{
	__asm__ __volatile__("decl %%gs:%c0" : : "i"(PREEMPT_COUNT_OFFSET)
			     : "memory", "cc");
}

void preempt_enable(void)
{
	struct cpu_info *ci;

	preempt_enable_no_resched();
	ci = this_cpu();
	if (unlikely(ci->need_resched) && !ci->preempt_count && !irqs_disabled())
		preempt_schedule();
}

int preempt_count(void)
{
	return this_cpu()->preempt_count;
}
