// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler bring-up and the idle loop.
 *
 * sched_init() runs on the boot CPU once the allocators work: the boot
 * context (start_kernel on init_stack) becomes the task "boot" on CPU 0,
 * and CPU 0 gets an idle task with a stack of its own.  An application
 * processor calls sched_init_ap() on its THREAD_SIZE-aligned boot stack,
 * which becomes that CPU's idle task, and then cpu_idle().
 *
 * The idle task halts with interrupts enabled (sti; hlt) while its run
 * queue is empty; a wakeup aimed at an idle CPU sends it a reschedule IPI.
 */
#include <lego/jiffies.h>
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/sched.h>
#include <lego/smp.h>
#include <lego/timer.h>
#include <asm/processor.h>

#include "sched.h"

extern char init_stack[], init_stack_top[];

static struct task_struct boot_task;
static struct task_struct idle_tasks[CONFIG_NR_CPUS];

static void idle_task_init(struct task_struct *idle, int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	idle->flags = PF_IDLE | PF_BOOT;
	idle->pid = 0;
	idle->cpu = cpu;
	cpumask_clear(&idle->cpus_allowed);
	cpumask_set_cpu(cpu, &idle->cpus_allowed);
	rq->idle = idle;
	task_list_add(idle);
}

static int idle_thread(void *unused)
{
	cpu_idle();
}

static void boot_cpu_idle_init(void)
{
	struct task_struct *idle = &idle_tasks[0];

	if (task_setup(idle, idle_thread, NULL, "idle/0"))
		panic("sched: no memory for the idle task of CPU 0");
	idle_task_init(idle, 0);
}

void sched_init(void)
{
	struct task_struct *t = &boot_task;
	struct rq *rq = cpu_rq(0);
	int cpu;

	BUILD_BUG_ON(THREAD_SIZE != (4096UL << CONFIG_KERNEL_STACK_ORDER));
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		rq_init(cpu_rq(cpu), cpu);
	timers_init();

	task_adopt_context(t, init_stack, "boot");
	t->flags = PF_BOOT;
	t->cpu = 0;
	t->on_rq = true;
	cpumask_setall(&t->cpus_allowed);
	rq->curr = t;
	rq->nr_running = 1;
	set_current(t);
	switch_kernel_stack(t);
	task_list_add(t);
	boot_cpu_idle_init();
	pr_info("sched: round-robin, %d ms slice, %lu KiB kernel stacks\n",
		SCHED_TIMESLICE_TICKS * 1000 / HZ, THREAD_SIZE / 1024);
}

void sched_init_ap(int cpu)
{
	struct task_struct *idle = &idle_tasks[cpu];
	unsigned long sp = (unsigned long)__builtin_frame_address(0);
	char name[TASK_COMM_LEN];
	struct rq *rq = cpu_rq(cpu);

	snprintf(name, sizeof(name), "idle/%d", cpu);
	task_adopt_context(idle, (void *)(sp & ~(THREAD_SIZE - 1)), name);
	idle_task_init(idle, cpu);
	rq->curr = idle;
	set_current(idle);
	switch_kernel_stack(idle);
}

/* Halt until something may be runnable; never with a wakeup pending. */
static void idle_wait(struct rq *rq)
{
	while (!need_resched()) {
		local_irq_disable();
		if (need_resched() || READ_ONCE(rq->nr_running)) {
			local_irq_enable();
			break;
		}
		safe_halt();
	}
}

void __noreturn cpu_idle(void)
{
	struct rq *rq = this_rq();

	/* The boot task ends here once start_kernel() is done. */
	if (current != rq->idle)
		do_exit(0);
	for (;;) {
		idle_wait(rq);
		schedule();
	}
}
