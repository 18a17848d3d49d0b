/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sleeping mutexes (kernel/sched/mutex.c).  A contended mutex_lock()
 * sleeps; mutex_unlock() hands the mutex straight to the longest waiter
 * (FIFO), so a task that keeps relocking cannot starve the others.
 *
 * Only the owner may unlock, and a task may not lock a mutex it holds.
 * Under CONFIG_DEBUG_KERNEL both mistakes are reported with a backtrace:
 * the bad unlock is refused, the recursive lock panics (it would hang
 * forever).  Not for interrupt handlers.
 */
#ifndef _LEGO_MUTEX_H
#define _LEGO_MUTEX_H

#include <lego/list.h>
#include <lego/spinlock.h>
#include <lego/types.h>

struct task_struct;

struct mutex {
	spinlock_t wait_lock;
	/* Under wait_lock. */
	struct task_struct *owner;	/* NULL: unlocked */
	struct list_head wait_list;	/* struct mutex_waiter, FIFO */
};

#define __MUTEX_INITIALIZER(name) {					\
	.wait_lock = __SPIN_LOCK_UNLOCKED(name.wait_lock),		\
	.owner = NULL,							\
	.wait_list = LIST_HEAD_INIT(name.wait_list),			\
}
#define DEFINE_MUTEX(name)	struct mutex name = __MUTEX_INITIALIZER(name)

void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
/* Take @m if it is free; true on success.  Never sleeps. */
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);

static inline bool mutex_is_locked(struct mutex *m)
{
	return READ_ONCE(m->owner) != NULL;
}

#endif /* _LEGO_MUTEX_H */
