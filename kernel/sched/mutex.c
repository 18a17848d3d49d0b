// SPDX-License-Identifier: GPL-2.0
/*
 * Sleeping mutexes with FIFO hand-off.
 *
 * The owner field and the waiter list live under a spinlock.  A waiter is
 * on its own stack; mutex_unlock() takes the first one off the list, makes
 * it the owner and wakes it, so the mutex is never free while anyone
 * waits.  The waiter notices by ->granted, which it reads under the lock,
 * after marking itself asleep: the hand-off cannot be missed.
 */
#include <lego/kernel.h>
#include <lego/mutex.h>
#include <lego/panic.h>
#include <lego/sched.h>
#include <asm/traps.h>

#ifdef CONFIG_DEBUG_KERNEL
#define MUTEX_DEBUG	1
#else
#define MUTEX_DEBUG	0
#endif

struct mutex_waiter {
	struct list_head list;
	struct task_struct *task;
	bool granted;			/* owner now; under wait_lock */
};

void mutex_init(struct mutex *m)
{
	spin_lock_init(&m->wait_lock);
	m->owner = NULL;
	INIT_LIST_HEAD(&m->wait_list);
}

static void mutex_report(struct mutex *m, const char *what)
{
	struct task_struct *owner = READ_ONCE(m->owner);

	pr_err("mutex: %s of %p by %s/%d (owner %s/%d)\n", what, m,
	       current->comm, current->pid, owner ? owner->comm : "none",
	       owner ? owner->pid : -1);
	dump_stack();
}

/* Sleep until mutex_unlock() hands @m over; wait_lock held. */
static void mutex_wait(struct mutex *m)
{
	struct mutex_waiter w = { .task = current, .granted = false };

	list_add_tail(&w.list, &m->wait_list);
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (w.granted)
			break;
		spin_unlock(&m->wait_lock);
		schedule();
		spin_lock(&m->wait_lock);
	}
	__set_current_state(TASK_RUNNING);
}

void mutex_lock(struct mutex *m)
{
	might_sleep();
	spin_lock(&m->wait_lock);
	if (!m->owner) {
		m->owner = current;
		spin_unlock(&m->wait_lock);
		return;
	}
	if (MUTEX_DEBUG && m->owner == current) {
		spin_unlock(&m->wait_lock);
		mutex_report(m, "recursive lock");
		panic("mutex: recursive lock by %s/%d would deadlock",
		      current->comm, current->pid);
	}
	mutex_wait(m);
	spin_unlock(&m->wait_lock);
}

bool mutex_trylock(struct mutex *m)
{
	bool ret = false;

	spin_lock(&m->wait_lock);
	if (!m->owner) {
		m->owner = current;
		ret = true;
	}
	spin_unlock(&m->wait_lock);
	return ret;
}

void mutex_unlock(struct mutex *m)
{
	struct mutex_waiter *w;

	spin_lock(&m->wait_lock);
	if (MUTEX_DEBUG && m->owner != current) {
		spin_unlock(&m->wait_lock);
		mutex_report(m, m->owner ? "unlock by non-owner" :
					   "unlock of an unlocked mutex");
		return;
	}
	w = list_first_entry_or_null(&m->wait_list, struct mutex_waiter, list);
	if (w) {
		list_del(&w->list);
		m->owner = w->task;
		w->granted = true;
		wake_up_process(w->task);
	} else {
		m->owner = NULL;
	}
	spin_unlock(&m->wait_lock);
}
