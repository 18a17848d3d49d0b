/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Completions (kernel/sched/completion.c): "this has happened" between a
 * task and whoever does the work.  complete() lets one waiter through
 * (and is remembered if nobody waits yet); complete_all() lets every
 * present and future waiter through until reinit_completion().
 *
 *	struct completion done;
 *
 *	init_completion(&done);
 *	start_work(&done);			the worker calls complete(&done)
 *	if (!wait_for_completion_timeout(&done, 100))
 *		return -ETIMEDOUT;
 *
 * complete() and complete_all() may be called from interrupt handlers.
 */
#ifndef _LEGO_COMPLETION_H
#define _LEGO_COMPLETION_H

#include <lego/types.h>
#include <lego/wait.h>

struct completion {
	unsigned int done;		/* under wait.lock; UINT_MAX: all */
	wait_queue_head_t wait;
};

#define COMPLETION_INITIALIZER(work) \
	{ 0, __WAIT_QUEUE_HEAD_INITIALIZER((work).wait) }
#define DECLARE_COMPLETION(work) \
	struct completion work = COMPLETION_INITIALIZER(work)

void init_completion(struct completion *x);
/* Forget past complete() calls; no task may be waiting. */
void reinit_completion(struct completion *x);
void complete(struct completion *x);
void complete_all(struct completion *x);
void wait_for_completion(struct completion *x);
/* 0 on timeout, else the milliseconds that were left (at least 1). */
unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long ms);
/* Consume a completion if one is there, without sleeping. */
bool try_wait_for_completion(struct completion *x);
/* True if a wait would not sleep now. */
bool completion_done(struct completion *x);

#endif /* _LEGO_COMPLETION_H */
