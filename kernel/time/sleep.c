// SPDX-License-Identifier: GPL-2.0
/*
 * Sleeping for a time: a one-shot timer on the sleeper's stack wakes it.
 * The timer fires on the CPU that armed it, at the first tick after the
 * deadline, so a sleep lasts at least what was asked and usually less
 * than one tick more.
 */
#include <lego/sched.h>
#include <lego/time.h>
#include <lego/timer.h>
#include <lego/wait.h>

struct sleeper {
	struct timer_list timer;
	struct task_struct *task;
};

static void sleeper_wake(struct timer_list *timer)
{
	struct sleeper *s = from_timer(s, timer, timer);

	wake_up_process(s->task);
}

u64 schedule_timeout_ns(u64 ns)
{
	struct sleeper s = { .task = current };
	u64 deadline = __wait_deadline(ns);

	timer_setup(&s.timer, sleeper_wake, 0);
	mod_timer(&s.timer, deadline);
	schedule();
	del_timer_sync(&s.timer);
	return __wait_time_left(deadline);
}

void msleep(unsigned int ms)
{
	u64 deadline = __wait_deadline((u64)ms * NSEC_PER_MSEC), left;

	if (unlikely(!current)) {	/* before sched_init() */
		mdelay(ms);
		return;
	}
	might_sleep();
	while ((left = __wait_time_left(deadline))) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		schedule_timeout_ns(left);
	}
	__set_current_state(TASK_RUNNING);
}
