/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wait queues (kernel/sched/wait.c): tasks sleeping until a condition
 * holds.  The waker makes the condition true, then calls wake_up():
 *
 *	static DECLARE_WAIT_QUEUE_HEAD(ready_wq);
 *
 *	wait_event(ready_wq, READ_ONCE(ready));		(sleeper)
 *
 *	WRITE_ONCE(ready, true);			(waker, any context)
 *	wake_up_all(&ready_wq);
 *
 * The condition is checked after the sleeper is on the queue and marked
 * sleeping, so a wakeup between the check and schedule() is not lost.
 * wake_up() wakes every non-exclusive waiter and the first exclusive one
 * that was asleep; wake_up_all() wakes all of them.  Both may be called
 * from interrupt handlers.
 */
#ifndef _LEGO_WAIT_H
#define _LEGO_WAIT_H

#include <lego/list.h>
#include <lego/sched.h>
#include <lego/spinlock.h>
#include <lego/types.h>

#define WQ_FLAG_EXCLUSIVE	0x1

struct wait_queue_entry {
	struct task_struct *task;
	unsigned int flags;		/* WQ_FLAG_* */
	struct list_head entry;		/* under the head's lock */
};

typedef struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;		/* under lock */
} wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) {				\
	.lock = __SPIN_LOCK_UNLOCKED(name.lock),			\
	.head = LIST_HEAD_INIT(name.head),				\
}
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

#define DEFINE_WAIT(name)						\
	struct wait_queue_entry name = {				\
		.task = current,					\
		.flags = 0,						\
		.entry = LIST_HEAD_INIT(name.entry),			\
	}

void init_waitqueue_head(wait_queue_head_t *wq);

/* Queue @w (once) and set the current state; then test, then schedule(). */
void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *w,
		     long state);
void prepare_to_wait_exclusive(wait_queue_head_t *wq,
			       struct wait_queue_entry *w, long state);
/* Back to TASK_RUNNING and off the queue. */
void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *w);

void wake_up(wait_queue_head_t *wq);
void wake_up_all(wait_queue_head_t *wq);
/* With wq->lock held: wake non-exclusive waiters and @nr exclusive ones. */
void __wake_up_locked(wait_queue_head_t *wq, int nr_exclusive);

static inline bool waitqueue_active(wait_queue_head_t *wq)
{
	return !list_empty(&wq->head);
}

/* Helpers of wait_event_timeout(). */
u64 __wait_deadline(u64 ns);
u64 __wait_time_left(u64 deadline);

/* Sleep (TASK_UNINTERRUPTIBLE) until @cond is true. */
#define wait_event(wq, cond)						\
do {									\
	DEFINE_WAIT(__wait);						\
									\
	if (cond)							\
		break;							\
	for (;;) {							\
		prepare_to_wait(&(wq), &__wait, TASK_UNINTERRUPTIBLE);	\
		if (cond)						\
			break;						\
		schedule();						\
	}								\
	finish_wait(&(wq), &__wait);					\
} while (0)

/*
 * Sleep until @cond is true or @ns nanoseconds pass.  Evaluates to 0 if
 * the time ran out with @cond false, else to the ns left (at least 1).
 */
#define wait_event_timeout(wq, cond, ns)				\
({									\
	u64 __deadline = __wait_deadline(ns), __left;			\
	DEFINE_WAIT(__wait);						\
									\
	for (;;) {							\
		prepare_to_wait(&(wq), &__wait, TASK_UNINTERRUPTIBLE);	\
		__left = __wait_time_left(__deadline);			\
		if (cond) {						\
			__left = __left ? __left : 1;			\
			break;						\
		}							\
		if (!__left)						\
			break;						\
		schedule_timeout_ns(__left);				\
	}								\
	finish_wait(&(wq), &__wait);					\
	__left;								\
})

#endif /* _LEGO_WAIT_H */
