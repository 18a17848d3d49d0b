/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tasks and the scheduler.
 *
 * Every CPU has its own run queue and idle task.  Scheduling is
 * round-robin with a time slice, preemptive (the LAPIC timer tick sets
 * need_resched; the switch happens on return from the interrupt or when
 * preemption is re-enabled).  A task may be pinned to a set of CPUs: a
 * network poller stays on the CPU it was given.
 *
 * A task never changes CPU on its own: it runs where it was created until
 * set_cpus_allowed() forbids that CPU.  A woken task goes back to its own
 * CPU if allowed, else to the allowed online CPU with the fewest runnable
 * tasks.  See Documentation/scheduler.md.
 *
 * Sleeping, the one pattern that never loses a wakeup:
 *
 *	for (;;) {
 *		set_current_state(TASK_UNINTERRUPTIBLE);
 *		if (condition)
 *			break;
 *		schedule();
 *	}
 *	__set_current_state(TASK_RUNNING);
 *
 * and the waker sets the condition before calling wake_up_process().
 *
 * Lifetime of a kernel thread: kthread_create() returns a task holding two
 * references, the thread's own (dropped by the scheduler once the thread
 * has exited and its stack is freed) and the caller's.  The caller gives
 * its reference back with kthread_join() (which waits for the exit) or
 * put_task_struct() (if it never joins).
 */
#ifndef _LEGO_SCHED_H
#define _LEGO_SCHED_H

#include <lego/atomic.h>
#include <lego/list.h>
#include <lego/types.h>
#include <lego/bitmap.h>
#include <asm/percpu.h>

/* Task states; a sleeping task is woken by wake_up_process() in either. */
#define TASK_RUNNING		0
#define TASK_INTERRUPTIBLE	1
#define TASK_UNINTERRUPTIBLE	2
#define TASK_DEAD		4

/* task_struct.flags */
#define PF_IDLE			0x1	/* a CPU's idle task: never queued */
#define PF_BOOT			0x2	/* static struct and stack: never freed */

#define TASK_COMM_LEN		16
#define THREAD_SIZE		(4096UL << CONFIG_KERNEL_STACK_ORDER)
#define SCHED_TIMESLICE_TICKS	10	/* 10 ms at HZ=1000 */

typedef struct {
	unsigned long bits[BITS_TO_LONGS(CONFIG_NR_CPUS)];
} cpumask_t;

struct task_struct {
	unsigned long sp;		/* saved kernel stack pointer */
	void *stack;			/* base of the THREAD_SIZE stack */

	/*
	 * Written by the task itself (set_current_state) and by wakers and
	 * the scheduler under the task's run queue lock.
	 */
	volatile long state;

	/* Under the lock of the run queue of ->cpu. */
	int cpu;			/* run queue the task belongs to */
	bool on_rq;			/* runnable: queued or running */
	bool migrating;			/* runnable, between two run queues */
	int preempt_saved;		/* preempt count while switched out */
	cpumask_t cpus_allowed;
	struct list_head run_list;	/* on its run queue, under rq->lock */

	struct list_head tasks;		/* all tasks, under tasklist_lock */

	/* Set at creation. */
	int pid;
	unsigned int flags;		/* PF_* */
	int (*fn)(void *);
	void *arg;
	char comm[TASK_COMM_LEN];

	/* Exit: exit_code is final once ->exited is set (stack freed). */
	int exit_code;
	bool exited;
	atomic_t usage;			/* references; the last put frees */

	/* Written by the CPU running the task. */
	unsigned int time_slice;	/* ticks left */
	u64 switches;			/* times switched out */
	u64 preemptions;		/* of which involuntary */
	u64 ticks;			/* timer ticks spent running */
};

void sched_init(void);
void sched_init_ap(int cpu);
void __noreturn cpu_idle(void);

/*
 * Give up the CPU; sleeps if the current state is not TASK_RUNNING.
 * Sleeping needs interrupts on: called with them off (as the interrupt
 * exit path does) this is a preemption and the task stays runnable.
 */
void schedule(void);
/*
 * Involuntary switch from the interrupt exit path (interrupts off): the
 * interrupted task stays runnable whatever its state, so that a task
 * preempted between set_current_state() and schedule() is not put to
 * sleep without anyone to wake it.
 */
void preempt_schedule_irq(void);
void scheduler_tick(void);
/* Wake @t if it sleeps; returns true if it was woken. */
bool wake_up_process(struct task_struct *t);
/* Set the current task's state, with a full barrier after the store. */
void set_current_state(long state);
void yield(void);

static inline void __set_current_state(long state)
{
	current->state = state;
}

static inline bool need_resched(void)
{
	return READ_ONCE(this_cpu()->need_resched);
}

/*
 * Complain (with a backtrace) when called where sleeping is not allowed:
 * preemption or interrupts disabled.  Checks start once the tick runs.
 */
#ifdef CONFIG_DEBUG_KERNEL
void __might_sleep(const char *file, int line);
#define might_sleep()	__might_sleep(__FILE__, __LINE__)
#else
#define might_sleep()	do { } while (0)
#endif

/*
 * Create a kernel thread running @fn(@arg) (its return value is the exit
 * code); it is runnable when these return.  kthread_create() starts it on
 * the least loaded online CPU and lets it run anywhere; _on_cpu pins it to
 * @cpu.  NULL when memory is short or @cpu is not online.
 */
struct task_struct *kthread_create(int (*fn)(void *), void *arg,
				   const char *name);
struct task_struct *kthread_create_on_cpu(int (*fn)(void *), void *arg,
					  int cpu, const char *name);
/*
 * Wait for @t to exit, drop the caller's reference and return the exit
 * code; -EDEADLK for the calling task itself.
 */
int kthread_join(struct task_struct *t);
/*
 * Same with a bound: -ETIMEDOUT (and the reference kept) if @t has not
 * exited within @ms milliseconds; else 0 with the exit code in *@code.
 */
int kthread_join_timeout(struct task_struct *t, unsigned long ms, int *code);

/*
 * Restrict @t to the CPUs in @mask (-EINVAL if none of them is online,
 * or for an idle task).
 * A task queued on a now-forbidden CPU moves at once; the calling task
 * moves before this returns; a task running on another CPU moves at its
 * next switch (the CPU is asked to reschedule now).
 */
int set_cpus_allowed(struct task_struct *t, const cpumask_t *mask);
void __noreturn do_exit(int code);

static inline void get_task_struct(struct task_struct *t)
{
	atomic_inc(&t->usage);
}

void put_task_struct(struct task_struct *t);

/* Sleep at least @ms milliseconds. */
void msleep(unsigned int ms);
/*
 * Sleep until woken or @ns pass; returns the ns left (0 on timeout).  As
 * with schedule(), the caller sets its state first: in TASK_RUNNING this
 * only yields.
 */
u64 schedule_timeout_ns(u64 ns);

/* Log every task with its state, CPU and counters. */
void sched_show_tasks(void);

int preempt_count(void);
void preempt_disable(void);
void preempt_enable(void);
void preempt_enable_no_resched(void);

static inline void cpumask_clear(cpumask_t *m)
{
	bitmap_zero(m->bits, CONFIG_NR_CPUS);
}

static inline void cpumask_set_cpu(int cpu, cpumask_t *m)
{
	__set_bit(cpu, m->bits);
}

static inline void cpumask_clear_cpu(int cpu, cpumask_t *m)
{
	__clear_bit(cpu, m->bits);
}

static inline bool cpumask_test_cpu(int cpu, const cpumask_t *m)
{
	return test_bit(cpu, m->bits);
}

static inline void cpumask_setall(cpumask_t *m)
{
	bitmap_fill(m->bits, CONFIG_NR_CPUS);
}

#endif /* _LEGO_SCHED_H */
