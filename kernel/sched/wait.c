// SPDX-License-Identifier: GPL-2.0
/*
 * Wait queues.  A waiter stays on the queue from prepare_to_wait() to
 * finish_wait(), across as many sleeps as its condition needs; wakers walk
 * the queue under its lock and wake_up_process() each task.  A waiter that
 * is already running is skipped by wake_up_process() (it returns false),
 * so an exclusive wakeup goes to the next exclusive waiter that sleeps.
 */
#include <lego/sched.h>
#include <lego/time.h>
#include <lego/wait.h>

void init_waitqueue_head(wait_queue_head_t *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

static void __prepare_to_wait(wait_queue_head_t *wq,
			      struct wait_queue_entry *w, long state,
			      unsigned int flags)
{
	unsigned long irqflags;

	spin_lock_irqsave(&wq->lock, irqflags);
	w->flags = flags;
	if (list_empty(&w->entry)) {
		if (flags & WQ_FLAG_EXCLUSIVE)
			list_add_tail(&w->entry, &wq->head);
		else
			list_add(&w->entry, &wq->head);
	}
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, irqflags);
}

void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *w,
		     long state)
{
	__prepare_to_wait(wq, w, state, 0);
}

void prepare_to_wait_exclusive(wait_queue_head_t *wq,
			       struct wait_queue_entry *w, long state)
{
	__prepare_to_wait(wq, w, state, WQ_FLAG_EXCLUSIVE);
}

void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	if (list_empty(&w->entry))
		return;
	spin_lock_irqsave(&wq->lock, flags);
	list_del_init(&w->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void __wake_up_locked(wait_queue_head_t *wq, int nr_exclusive)
{
	struct wait_queue_entry *w;

	list_for_each_entry(w, &wq->head, entry) {
		bool woken = wake_up_process(w->task);

		if (woken && (w->flags & WQ_FLAG_EXCLUSIVE) &&
		    --nr_exclusive == 0)
			break;
	}
}

static void __wake_up(wait_queue_head_t *wq, int nr_exclusive)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	__wake_up_locked(wq, nr_exclusive);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void wake_up(wait_queue_head_t *wq)
{
	__wake_up(wq, 1);
}

void wake_up_all(wait_queue_head_t *wq)
{
	__wake_up(wq, 0);
}

u64 __wait_deadline(u64 ns)
{
	u64 now = ktime_get_ns();

	return ns > U64_MAX - now ? U64_MAX : now + ns;
}

u64 __wait_time_left(u64 deadline)
{
	u64 now = ktime_get_ns();

	return deadline > now ? deadline - now : 0;
}
