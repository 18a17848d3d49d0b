/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel timers on the per-CPU tick (kernel/time/timer.c).
 *
 * A timer fires at an absolute ktime_get_ns() time, on the CPU where it
 * was last armed, from the timer interrupt (interrupts off): the callback
 * must not sleep.  Resolution is the tick (1/HZ s): a timer fires at the
 * first tick at or after its expiry.  A periodic timer is re-armed at
 * previous expiry + period before its callback runs, so it does not drift;
 * a CPU that falls behind catches up one expiry per tick (so a period
 * shorter than a tick is not kept: such a timer fires once per tick).
 *
 *	struct foo { struct timer_list timer; ... };
 *
 *	static void foo_timeout(struct timer_list *t)
 *	{
 *		struct foo *foo = from_timer(foo, t, timer);
 *		...
 *	}
 *
 *	timer_setup(&foo->timer, foo_timeout, 0);
 *	add_timer_ns(&foo->timer, 5 * NSEC_PER_MSEC);
 *	...
 *	del_timer_sync(&foo->timer);	(before freeing foo)
 */
#ifndef _LEGO_TIMER_H
#define _LEGO_TIMER_H

#include <lego/compiler.h>
#include <lego/list.h>
#include <lego/types.h>

struct timer_list {
	/* Under the lock of the timer base of ->cpu. */
	struct list_head entry;		/* pending: on that CPU's list */
	u64 expires;			/* ktime_get_ns() time */
	int cpu;			/* armed (or to be armed) there */

	/* Set up by the owner while the timer is not pending. */
	u64 period_ns;			/* 0: one-shot */
	void (*fn)(struct timer_list *);
};

#define from_timer(var, timer, field) \
	container_of(timer, __typeof__(*(var)), field)

/* Initialise: @period_ns 0 makes a one-shot timer, else a periodic one. */
void timer_setup(struct timer_list *timer, void (*fn)(struct timer_list *),
		 u64 period_ns);
/*
 * (Re-)arm @timer at @expires on this CPU.  Returns true if it was pending
 * before.  May be called from any context, the callback included.
 */
bool mod_timer(struct timer_list *timer, u64 expires);
/* Arm @timer @delay_ns from now. */
bool add_timer_ns(struct timer_list *timer, u64 delay_ns);
/* Disarm; returns true if it was pending.  The callback may still run. */
bool del_timer(struct timer_list *timer);
/*
 * Disarm and wait until the callback is not running on any CPU; then the
 * timer may be freed.  Not from the timer's own callback, and not with a
 * lock that the callback takes.
 */
bool del_timer_sync(struct timer_list *timer);

static inline bool timer_pending(const struct timer_list *timer)
{
	return !list_empty(&timer->entry);
}

/* Set up every CPU's timer list (from sched_init()). */
void timers_init(void);
/* Run the expired timers of this CPU (from the timer interrupt). */
void timer_tick(void);

#endif /* _LEGO_TIMER_H */
