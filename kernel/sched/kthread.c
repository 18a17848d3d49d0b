// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel threads: creation, exit, join, and the list of all tasks.
 *
 * A thread's task_struct comes from kzalloc() and its stack from the page
 * allocator (THREAD_SIZE, naturally aligned).  The stack is prepared so
 * that the first switch to the task "returns" into ret_from_kthread
 * (switch.S), which calls kthread_entry() and from there fn(arg).
 *
 * A thread that returns from fn or calls do_exit() marks itself TASK_DEAD
 * and switches away for good; the next task on that CPU frees the stack in
 * schedule_tail() (never the dying task itself: it is still on it), sets
 * ->exited, wakes the joiners and drops the thread's own reference.  The
 * task_struct goes when the creator's reference is dropped too, by
 * kthread_join() or put_task_struct().
 */
#include <lego/errno.h>
#include <lego/gfp.h>
#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/panic.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/smp.h>
#include <lego/time.h>
#include <lego/wait.h>
#include <asm/processor.h>
#include <asm/traps.h>

#include "sched.h"

#define STACK_END_MAGIC		0x57ac6e9d5ca1ab1eUL
#define INITIAL_RFLAGS		0x2UL	/* reserved bit 1; interrupts off */

DEFINE_SPINLOCK(tasklist_lock);
LIST_HEAD(task_list);
static atomic_t last_pid = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(exit_wait);

/* The context __switch_to_asm() pops on the first switch to a task. */
struct switch_frame {
	unsigned long r15, r14, r13, r12, rbx, rbp, rflags;
	unsigned long ret;		/* ret_from_kthread */
	unsigned long pad[2];		/* 16-byte alignment at the call */
};

void sched_check_stack(struct task_struct *t)
{
#ifdef CONFIG_DEBUG_KERNEL
	if (unlikely(*(unsigned long *)t->stack != STACK_END_MAGIC))
		panic("sched: %s/%d overran its %lu-byte kernel stack",
		      t->comm, t->pid, THREAD_SIZE);
#endif
}

/* Mark the lowest word of @t's stack: sched_check_stack() watches it. */
static void task_mark_stack_end(struct task_struct *t)
{
	*(unsigned long *)t->stack = STACK_END_MAGIC;
}

static void task_init_common(struct task_struct *t, const char *name)
{
	t->state = TASK_RUNNING;
	t->time_slice = SCHED_TIMESLICE_TICKS;
	t->preempt_saved = 1;		/* as if inside __schedule() */
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->tasks);
	atomic_set(&t->usage, 1);
	strscpy(t->comm, name, sizeof(t->comm));
	task_mark_stack_end(t);
}

int task_setup(struct task_struct *t, int (*fn)(void *), void *arg,
	       const char *name)
{
	unsigned long stack = __get_free_pages(GFP_KERNEL,
					       CONFIG_KERNEL_STACK_ORDER);
	struct switch_frame *frame;

	if (!stack)
		return -ENOMEM;
	t->stack = (void *)stack;
	t->fn = fn;
	t->arg = arg;
	t->pid = atomic_inc_return(&last_pid);
	task_init_common(t, name);

	frame = (struct switch_frame *)(stack + THREAD_SIZE) - 1;
	memset(frame, 0, sizeof(*frame));
	frame->rflags = INITIAL_RFLAGS;
	frame->ret = (unsigned long)ret_from_kthread;
	t->sp = (unsigned long)frame;
	return 0;
}

/* A task that already runs on its own stack (boot task, AP idle tasks). */
void task_adopt_context(struct task_struct *t, void *stack, const char *name)
{
	t->stack = stack;
	t->pid = atomic_inc_return(&last_pid);
	task_init_common(t, name);
}

void task_list_add(struct task_struct *t)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_add_tail(&t->tasks, &task_list);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void __noreturn kthread_entry(void)
{
	struct task_struct *t;

	schedule_tail();
	preempt_enable_no_resched();
	local_irq_enable();
	t = current;
	do_exit(t->fn(t->arg));
}

static struct task_struct *kthread_alloc(int (*fn)(void *), void *arg,
					 const char *name)
{
	struct task_struct *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	if (task_setup(t, fn, arg, name)) {
		kfree(t);
		return NULL;
	}
	get_task_struct(t);		/* the creator's reference */
	return t;
}

static struct task_struct *kthread_start(struct task_struct *t, int cpu)
{
	t->cpu = cpu;
	task_list_add(t);
	wake_up_new_task(t);
	return t;
}

struct task_struct *kthread_create(int (*fn)(void *), void *arg,
				   const char *name)
{
	struct task_struct *t = kthread_alloc(fn, arg, name);

	if (!t)
		return NULL;
	cpumask_setall(&t->cpus_allowed);
	t->cpu = -1;
	return kthread_start(t, select_task_cpu(t));
}

struct task_struct *kthread_create_on_cpu(int (*fn)(void *), void *arg,
					  int cpu, const char *name)
{
	struct task_struct *t;

	if (!cpu_online(cpu))
		return NULL;
	t = kthread_alloc(fn, arg, name);
	if (!t)
		return NULL;
	cpumask_clear(&t->cpus_allowed);
	cpumask_set_cpu(cpu, &t->cpus_allowed);
	return kthread_start(t, cpu);
}

void __noreturn do_exit(int code)
{
	struct task_struct *t = current;
	unsigned long flags;

	if (t->flags & PF_IDLE)
		panic("sched: idle task of CPU %d tried to exit", t->cpu);
	if (preempt_count())
		pr_err("sched: %s/%d exits with preempt count %d\n", t->comm,
		       t->pid, preempt_count());
	t->exit_code = code;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_del_init(&t->tasks);
	spin_unlock_irqrestore(&tasklist_lock, flags);

	local_irq_disable();		/* no preemption from here on */
	this_cpu()->preempt_count = 0;
	__set_current_state(TASK_DEAD);
	schedule_dead();
}

void task_dead(struct task_struct *t)
{
	if (!(t->flags & PF_BOOT)) {
		free_pages((unsigned long)t->stack, CONFIG_KERNEL_STACK_ORDER);
		t->stack = NULL;
	}
	smp_mb();
	WRITE_ONCE(t->exited, true);
	wake_up_all(&exit_wait);
	put_task_struct(t);
}

void put_task_struct(struct task_struct *t)
{
	if (atomic_dec_and_test(&t->usage) && !(t->flags & PF_BOOT))
		kfree(t);
}

int kthread_join(struct task_struct *t)
{
	int code;

	if (t == current)
		return -EDEADLK;
	might_sleep();
	wait_event(exit_wait, READ_ONCE(t->exited));
	code = t->exit_code;
	put_task_struct(t);
	return code;
}

int kthread_join_timeout(struct task_struct *t, unsigned long ms, int *code)
{
	if (t == current)
		return -EDEADLK;
	might_sleep();
	if (!wait_event_timeout(exit_wait, READ_ONCE(t->exited),
				ms * NSEC_PER_MSEC))
		return -ETIMEDOUT;
	*code = t->exit_code;
	put_task_struct(t);
	return 0;
}

static char task_state_char(const struct task_struct *t)
{
	switch (t->state) {
	case TASK_RUNNING:
		return 'R';
	case TASK_INTERRUPTIBLE:
		return 'S';
	case TASK_UNINTERRUPTIBLE:
		return 'D';
	default:
		return 'X';
	}
}

void sched_show_tasks(void)
{
	struct task_struct *t;
	unsigned long flags;

	pr_info("  pid comm             st cpu   switches preempted      ticks\n");
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, tasks) {
		bool running = cpu_rq(t->cpu)->curr == t;

		pr_info("%5d %-16s %c%c %3d %10llu %9llu %10llu\n", t->pid,
			t->comm, task_state_char(t), running ? '*' : ' ',
			t->cpu, (unsigned long long)t->switches,
			(unsigned long long)t->preemptions,
			(unsigned long long)t->ticks);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}
