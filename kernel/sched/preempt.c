// SPDX-License-Identifier: GPL-2.0
/*
 * Preemption control: a per-CPU count.  While it is non-zero the CPU will
 * not switch tasks; when it drops to zero with a reschedule pending, the
 * switch happens right there.
 */
#include <lego/kernel.h>
#include <lego/sched.h>
#include <asm/percpu.h>
#include <asm/processor.h>

void preempt_disable(void)
{
	this_cpu()->preempt_count++;
	barrier();
}

void preempt_enable_no_resched(void)
{
	barrier();
	this_cpu()->preempt_count--;
}

void preempt_enable(void)
{
	struct cpu_info *ci;

	preempt_enable_no_resched();
	ci = this_cpu();
	if (unlikely(ci->need_resched) && !ci->preempt_count && !irqs_disabled())
		schedule();
}

int preempt_count(void)
{
	return this_cpu()->preempt_count;
}
