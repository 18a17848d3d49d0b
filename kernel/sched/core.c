// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler core: per-CPU run queues, round-robin with a time slice,
 * wakeups, CPU affinity.
 *
 * Each CPU has a struct rq: a FIFO of runnable tasks waiting for the CPU
 * (the running task is not on it), the running task and the idle task,
 * which runs only when the FIFO is empty.  The tick takes one unit off the
 * running task's slice; when it is used up and others wait, need_resched
 * is set and the switch happens on the way out of the interrupt
 * (preempt_schedule_irq) or when preemption is re-enabled.
 *
 * A task belongs to the run queue named by t->cpu, and that queue's lock
 * protects its scheduling fields.  It moves only when its CPU is no longer
 * allowed: a woken task goes to the least loaded allowed CPU, a running
 * one is handed over after it has been switched out (rq->migrate), a
 * queued one at once.  While it moves, t->migrating is set: it is
 * runnable, t->cpu already names the new queue, and it is on no FIFO.
 *
 * Switching: the outgoing task holds its run queue lock (with interrupts
 * off) across __switch_to_asm(); the incoming task releases it in
 * schedule_tail().  So a task that went to sleep cannot be picked up by
 * another CPU before its registers are saved: a waker must take the lock
 * of the queue the sleeper left, which is free only once the switch is
 * over.  The dead task's stack is freed in schedule_tail() too, on the
 * next task's stack.
 */
#include <lego/errno.h>
#include <lego/jiffies.h>
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/sched.h>
#include <lego/smp.h>
#include <asm/processor.h>
#include <asm/traps.h>

#include "sched.h"

struct rq runqueues[CONFIG_NR_CPUS];
volatile unsigned long jiffies;

enum sched_mode {
	SM_SLEEP,	/* schedule(): a task not TASK_RUNNING sleeps */
	SM_PREEMPT,	/* involuntary: the task stays runnable */
	SM_YIELD,	/* voluntary, stays runnable */
};

void rq_init(struct rq *rq, int cpu)
{
	spin_lock_init(&rq->lock);
	INIT_LIST_HEAD(&rq->queue);
	rq->cpu = cpu;
}

/* Lock the run queue @t belongs to; interrupts off until the unlock. */
static struct rq *task_rq_lock(struct task_struct *t, unsigned long *flags)
{
	struct rq *rq;

	for (;;) {
		rq = cpu_rq(READ_ONCE(t->cpu));
		spin_lock_irqsave(&rq->lock, *flags);
		if (rq->cpu == READ_ONCE(t->cpu))
			return rq;
		spin_unlock_irqrestore(&rq->lock, *flags);
	}
}

/* The allowed online CPU with the fewest runnable tasks, or -1. */
static int least_loaded_cpu(const cpumask_t *mask)
{
	unsigned int load, best_load = UINT_MAX;
	int cpu, best = -1;

	for_each_online_cpu(cpu) {
		if (!cpumask_test_cpu(cpu, mask))
			continue;
		load = READ_ONCE(cpu_rq(cpu)->nr_running);
		if (load < best_load) {
			best = cpu;
			best_load = load;
		}
	}
	return best;
}

/* Is @cpu idle with nothing queued?  A hint: read without its lock. */
static bool cpu_is_idle(int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	return READ_ONCE(rq->curr) == rq->idle && !READ_ONCE(rq->nr_running);
}

/*
 * Where @t should run: its own CPU if it may and that CPU is idle; else
 * an idle CPU it may use (a wakeup does not preempt, so a busy CPU would
 * make it wait up to a time slice); else its own CPU; else the least
 * loaded.
 */
int select_task_cpu(struct task_struct *t)
{
	int cpu = t->cpu, other;

	if (cpu >= 0 && cpu_online(cpu) && cpumask_test_cpu(cpu, &t->cpus_allowed)) {
		if (cpu_is_idle(cpu))
			return cpu;
		for_each_online_cpu(other)
			if (other != cpu && cpumask_test_cpu(other, &t->cpus_allowed) &&
			    cpu_is_idle(other))
				return other;
		return cpu;
	}
	cpu = least_loaded_cpu(&t->cpus_allowed);
	return cpu >= 0 ? cpu : t->cpu;
}

/* Get an idle CPU to look at its queue; a busy one finds it in time. */
static void resched_idle(struct rq *rq)
{
	if (rq->curr != rq->idle)
		return;
	if (rq->cpu == smp_processor_id())
		this_cpu()->need_resched = true;
	else
		smp_send_reschedule(rq->cpu);
}

static void activate_task(struct rq *rq, struct task_struct *t)
{
	t->on_rq = true;
	rq->nr_running++;
	list_add_tail(&t->run_list, &rq->queue);
	resched_idle(rq);
}

/* Second half of a move: @t is migrating and t->cpu names its new rq. */
static void attach_task(struct task_struct *t)
{
	struct rq *rq = cpu_rq(t->cpu);
	unsigned long flags;

	spin_lock_irqsave(&rq->lock, flags);
	t->migrating = false;
	activate_task(rq, t);
	spin_unlock_irqrestore(&rq->lock, flags);
}

/* First half of a move, under the old rq lock: @t is on no queue. */
static void detach_task(struct task_struct *t, int cpu)
{
	t->on_rq = true;
	t->migrating = true;
	WRITE_ONCE(t->cpu, cpu);
}

void wake_up_new_task(struct task_struct *t)
{
	unsigned long flags;
	struct rq *rq = task_rq_lock(t, &flags);

	activate_task(rq, t);
	spin_unlock_irqrestore(&rq->lock, flags);
}

bool wake_up_process(struct task_struct *t)
{
	unsigned long flags;
	struct rq *rq;
	int cpu;

	rq = task_rq_lock(t, &flags);
	if (!(t->state & (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE))) {
		spin_unlock_irqrestore(&rq->lock, flags);
		return false;
	}
	WRITE_ONCE(t->state, TASK_RUNNING);
	/* Still on its way into schedule(), preempted there, or moving. */
	if (t->on_rq) {
		spin_unlock_irqrestore(&rq->lock, flags);
		return true;
	}
	cpu = select_task_cpu(t);
	if (cpu == rq->cpu) {
		activate_task(rq, t);
		spin_unlock_irqrestore(&rq->lock, flags);
		return true;
	}
	detach_task(t, cpu);
	spin_unlock_irqrestore(&rq->lock, flags);
	attach_task(t);
	return true;
}

void set_current_state(long state)
{
	WRITE_ONCE(current->state, state);
	smp_mb();
}

/* Put the outgoing task where it belongs; rq is locked. */
static void put_prev_task(struct rq *rq, struct task_struct *prev,
			  enum sched_mode mode)
{
	if (prev->flags & PF_IDLE)
		return;
	if (mode == SM_SLEEP && prev->state != TASK_RUNNING) {
		prev->on_rq = false;
		rq->nr_running--;
		return;
	}
	if (!cpumask_test_cpu(rq->cpu, &prev->cpus_allowed)) {
		int cpu = least_loaded_cpu(&prev->cpus_allowed);

		if (cpu >= 0) {
			rq->nr_running--;
			detach_task(prev, cpu);
			rq->migrate = prev;
			return;
		}
	}
	list_add_tail(&prev->run_list, &rq->queue);
}

static struct task_struct *pick_next_task(struct rq *rq)
{
	struct task_struct *next;

	next = list_first_entry_or_null(&rq->queue, struct task_struct,
					run_list);
	if (!next)
		return rq->idle;
	list_del_init(&next->run_list);
	return next;
}

/* The next task's kernel stack for interrupts and syscalls from user mode. */
void switch_kernel_stack(struct task_struct *next)
{
	struct cpu_info *ci = this_cpu();
	unsigned long top = (unsigned long)next->stack + THREAD_SIZE;

	ci->kernel_sp = top;
	ci->tss.sp0 = top;
}

void schedule_tail(void)
{
	struct rq *rq = this_rq();
	struct task_struct *prev = rq->prev, *moving = rq->migrate;
	bool dead = prev && prev->state == TASK_DEAD;

	rq->prev = NULL;
	rq->migrate = NULL;
	this_cpu()->preempt_count = current->preempt_saved;
	arch_spin_unlock(&rq->lock);
	if (moving)
		attach_task(moving);
	if (dead)
		task_dead(prev);
}

static void context_switch(struct rq *rq, struct task_struct *prev,
			   struct task_struct *next)
{
	struct cpu_info *ci = this_cpu();

	sched_check_stack(prev);
	rq->curr = next;
	rq->prev = prev;
	rq->nr_switches++;
	prev->switches++;
	prev->preempt_saved = ci->preempt_count;
	set_current(next);
	switch_kernel_stack(next);
	__switch_to_asm(&prev->sp, next->sp);
	/* Back in @prev, perhaps much later and on another CPU. */
	schedule_tail();
}

static void __schedule(enum sched_mode mode)
{
	struct task_struct *prev = current, *next;
	unsigned long flags;
	struct rq *rq;

	if (unlikely(!prev))
		return;		/* before sched_init() */
	local_irq_save(flags);
	preempt_disable();
	rq = this_rq();
	arch_spin_lock(&rq->lock);
	put_prev_task(rq, prev, mode);
	next = pick_next_task(rq);
	this_cpu()->need_resched = false;
	if (next != prev) {
		if (mode == SM_PREEMPT && !(prev->flags & PF_IDLE))
			prev->preemptions++;
		context_switch(rq, prev, next);
	} else {
		arch_spin_unlock(&rq->lock);
	}
	preempt_enable_no_resched();
	local_irq_restore(flags);
}

/* A voluntary switch while holding a spinlock is a bug. */
static void schedule_debug(const char *what)
{
#ifdef CONFIG_DEBUG_KERNEL
	if (unlikely(preempt_count())) {
		pr_err("sched: %s/%d called %s() with preempt count %d\n",
		       current->comm, current->pid, what, preempt_count());
		dump_stack();
	}
#endif
}

/*
 * Called with interrupts off, this is the interrupt exit path preempting
 * the task (see preempt_schedule_irq()): a task is put to sleep only by a
 * call with interrupts on.
 */
void schedule(void)
{
	if (irqs_disabled()) {
		__schedule(SM_PREEMPT);
		return;
	}
	schedule_debug("schedule");
	__schedule(SM_SLEEP);
}

void schedule_dead(void)
{
	__schedule(SM_SLEEP);
	panic("sched: dead task %s/%d was scheduled again", current->comm,
	      current->pid);
}

void preempt_schedule_irq(void)
{
	__schedule(SM_PREEMPT);
}

void preempt_schedule(void)
{
	__schedule(SM_PREEMPT);
}

void yield(void)
{
	schedule_debug("yield");
	__schedule(SM_YIELD);
}

void scheduler_tick(void)
{
	struct rq *rq = this_rq();
	struct task_struct *curr = current;

	if (smp_processor_id() == 0)
		jiffies++;
	if (!curr || curr == rq->idle) {
		if (READ_ONCE(rq->nr_running))
			this_cpu()->need_resched = true;
		return;
	}
	curr->ticks++;
	/* Moved away while running (set_cpus_allowed() raced a wakeup). */
	if (unlikely(!cpumask_test_cpu(rq->cpu, &curr->cpus_allowed)))
		this_cpu()->need_resched = true;
	if (curr->time_slice > 1) {
		curr->time_slice--;
		return;
	}
	curr->time_slice = SCHED_TIMESLICE_TICKS;
	if (READ_ONCE(rq->nr_running) > 1)
		this_cpu()->need_resched = true;
}

static bool mask_has_online_cpu(const cpumask_t *mask)
{
	return least_loaded_cpu(mask) >= 0;
}

int set_cpus_allowed(struct task_struct *t, const cpumask_t *mask)
{
	unsigned long flags;
	struct rq *rq;
	bool self;

	if (!mask_has_online_cpu(mask) || (t->flags & PF_IDLE))
		return -EINVAL;
	rq = task_rq_lock(t, &flags);
	t->cpus_allowed = *mask;
	if (cpumask_test_cpu(rq->cpu, mask) || !t->on_rq || t->migrating) {
		spin_unlock_irqrestore(&rq->lock, flags);
		return 0;
	}
	if (rq->curr == t) {
		/* __schedule() hands it over once it is off the CPU. */
		self = t == current;
		if (!self)
			smp_send_reschedule(rq->cpu);
		spin_unlock_irqrestore(&rq->lock, flags);
		if (self)
			__schedule(SM_YIELD);
		return 0;
	}
	list_del_init(&t->run_list);
	rq->nr_running--;
	detach_task(t, least_loaded_cpu(mask));
	spin_unlock_irqrestore(&rq->lock, flags);
	attach_task(t);
	return 0;
}

#ifdef CONFIG_DEBUG_KERNEL
void __might_sleep(const char *file, int line)
{
	/* Quiet during boot, before the tick runs and interrupts are on. */
	if (!READ_ONCE(jiffies))
		return;
	if (likely(!preempt_count() && !irqs_disabled()))
		return;
	pr_err("sched: sleeping function called from atomic context at %s:%d (preempt count %d, irqs %s) by %s/%d\n",
	       file, line, preempt_count(), irqs_disabled() ? "off" : "on",
	       current ? current->comm : "?", current ? current->pid : -1);
	dump_stack();
}
#endif
