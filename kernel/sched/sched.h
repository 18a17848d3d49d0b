/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduler internals shared by the files of kernel/sched/, grouped by the
 * file that defines each symbol.
 *
 * Lock order: wait queue, completion and mutex locks, then a run queue
 * lock, then tasklist_lock.  Two run queue locks are never held together.
 * Run queue locks are taken with interrupts off (the timer interrupt wakes
 * tasks).
 */
#ifndef _KERNEL_SCHED_SCHED_H
#define _KERNEL_SCHED_SCHED_H

#include <lego/sched.h>
#include <lego/spinlock.h>

struct rq {
	spinlock_t lock;
	/* Under lock. */
	struct list_head queue;		/* runnable tasks waiting, FIFO */
	unsigned int nr_running;	/* queued + running, idle not counted */
	struct task_struct *curr;
	struct task_struct *prev;	/* the task being switched out */
	struct task_struct *migrate;	/* switched out, to move elsewhere */

	/* Set once at CPU bring-up. */
	struct task_struct *idle;
	int cpu;

	/* Touched only by this CPU. */
	u64 nr_switches;
} __aligned(64);

/* core.c */
extern struct rq runqueues[CONFIG_NR_CPUS];

static inline struct rq *cpu_rq(int cpu)
{
	return &runqueues[cpu];
}

static inline struct rq *this_rq(void)
{
	return cpu_rq(this_cpu()->cpu);
}

/* cpu_info.current is spelled like the `current` macro: step around it. */
static inline void set_current(struct task_struct *t)
{
#pragma push_macro("current")
#undef current
	this_cpu()->current = t;
#pragma pop_macro("current")
}

void rq_init(struct rq *rq, int cpu);
/* do_exit(): switch away for good, interrupts off, state TASK_DEAD. */
void __noreturn schedule_dead(void);
/* preempt_enable() found a reschedule pending. */
void preempt_schedule(void);
/* Finish a switch on the new task's side: unlocks the run queue. */
void schedule_tail(void);
/* Make a new task runnable on t->cpu (already chosen and allowed). */
void wake_up_new_task(struct task_struct *t);
int select_task_cpu(struct task_struct *t);
void switch_kernel_stack(struct task_struct *next);

/* kthread.c */
extern spinlock_t tasklist_lock;
extern struct list_head task_list;

/* Prepare @t (stack, saved context) to start in @fn(@arg); 0 or -ENOMEM. */
int task_setup(struct task_struct *t, int (*fn)(void *), void *arg,
	       const char *name);
/* Make @t describe a context already running on @stack. */
void task_adopt_context(struct task_struct *t, void *stack, const char *name);
void task_list_add(struct task_struct *t);
/* Under CONFIG_DEBUG_KERNEL, panic if @t overran its stack. */
void sched_check_stack(struct task_struct *t);
/* A task has died and was switched out: free its stack, tell joiners. */
void task_dead(struct task_struct *t);
/* First C code of every new task, from ret_from_kthread in switch.S. */
void __noreturn kthread_entry(void);

/* arch/x86/kernel/switch.S */
void __switch_to_asm(unsigned long *prev_sp, unsigned long next_sp);
void ret_from_kthread(void);

#endif /* _KERNEL_SCHED_SCHED_H */
