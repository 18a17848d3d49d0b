// SPDX-License-Identifier: GPL-2.0
/*
 * Completions: a counter of complete() calls and a wait queue, both under
 * the wait queue's lock.  A waiter queues itself exclusively and marks
 * itself sleeping under that lock, so complete() (which takes it) either
 * comes before the waiter looks at the counter or finds it on the queue.
 */
#include <lego/completion.h>
#include <lego/sched.h>
#include <lego/time.h>

#define COMPLETE_ALL	UINT_MAX

void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

void reinit_completion(struct completion *x)
{
	WRITE_ONCE(x->done, 0);
}

void complete(struct completion *x)
{
	unsigned long flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done != COMPLETE_ALL)
		x->done++;
	__wake_up_locked(&x->wait, 1);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}

void complete_all(struct completion *x)
{
	unsigned long flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	x->done = COMPLETE_ALL;
	__wake_up_locked(&x->wait, 0);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}

/*
 * Wait until done or @deadline (U64_MAX: never); wait.lock is held on
 * entry and on return, with interrupts off.  Returns true if done.
 */
static bool do_wait_for_common(struct completion *x, u64 deadline,
			       unsigned long *flags)
{
	DEFINE_WAIT(w);
	u64 left = U64_MAX;

	w.flags = WQ_FLAG_EXCLUSIVE;
	while (!x->done) {
		if (deadline != U64_MAX) {
			left = __wait_time_left(deadline);
			if (!left)
				break;
		}
		if (list_empty(&w.entry))
			list_add_tail(&w.entry, &x->wait.head);
		__set_current_state(TASK_UNINTERRUPTIBLE);
		spin_unlock_irqrestore(&x->wait.lock, *flags);
		if (deadline == U64_MAX)
			schedule();
		else
			schedule_timeout_ns(left);
		spin_lock_irqsave(&x->wait.lock, *flags);
	}
	__set_current_state(TASK_RUNNING);
	if (!list_empty(&w.entry))
		list_del_init(&w.entry);
	if (!x->done)
		return false;
	if (x->done != COMPLETE_ALL)
		x->done--;
	return true;
}

void wait_for_completion(struct completion *x)
{
	unsigned long flags;

	might_sleep();
	spin_lock_irqsave(&x->wait.lock, flags);
	do_wait_for_common(x, U64_MAX, &flags);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}

unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long ms)
{
	u64 deadline = __wait_deadline(ms * NSEC_PER_MSEC);
	unsigned long flags, left_ms;
	bool done;

	might_sleep();
	spin_lock_irqsave(&x->wait.lock, flags);
	done = do_wait_for_common(x, deadline, &flags);
	spin_unlock_irqrestore(&x->wait.lock, flags);
	if (!done)
		return 0;
	left_ms = __wait_time_left(deadline) / NSEC_PER_MSEC;
	return left_ms ? left_ms : 1;
}

bool try_wait_for_completion(struct completion *x)
{
	unsigned long flags;
	bool ret = false;

	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done) {
		if (x->done != COMPLETE_ALL)
			x->done--;
		ret = true;
	}
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return ret;
}

bool completion_done(struct completion *x)
{
	return READ_ONCE(x->done) != 0;
}
