// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel timers: one list per CPU, sorted by expiry, run from the tick.
 *
 * timer_tick() first compares the base's cached earliest expiry with the
 * clock, so a tick with nothing due costs one TSC read.  When timers are
 * due it moves all of them to a local list, then runs them one by one with
 * the base lock dropped (a callback may arm or delete timers, this one
 * included).  A periodic timer goes back on the base list before its
 * callback runs; since only the timers due when the tick started are run,
 * one that is still in the past waits for the next tick.
 *
 * The timers being run stay "pending" (on the local list, under the base
 * lock), so del_timer() and mod_timer() on another CPU still find them.
 * base->running names the callback in progress, for del_timer_sync().
 *
 * A timer moves between bases only in mod_timer(), which holds both
 * locks, taken in address order.
 */
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/smp.h>
#include <lego/spinlock.h>
#include <lego/time.h>
#include <lego/timer.h>
#include <asm/processor.h>

struct timer_base {
	spinlock_t lock;
	/* Under lock. */
	struct list_head pending;	/* sorted by expires, FIFO for ties */
	struct timer_list *running;	/* callback in progress */
	u64 next_expiry;		/* of the first pending; read lockless */
	u64 nr_fired;
	int cpu;
} __aligned(64);

static struct timer_base timer_bases[CONFIG_NR_CPUS];

static struct timer_base *this_base(void)
{
	return &timer_bases[smp_processor_id()];
}

void timers_init(void)
{
	int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		struct timer_base *base = &timer_bases[cpu];

		spin_lock_init(&base->lock);
		INIT_LIST_HEAD(&base->pending);
		base->next_expiry = U64_MAX;
		base->cpu = cpu;
	}
}

void timer_setup(struct timer_list *timer, void (*fn)(struct timer_list *),
		 u64 period_ns)
{
	INIT_LIST_HEAD(&timer->entry);
	timer->expires = 0;
	timer->cpu = smp_processor_id();
	timer->period_ns = period_ns;
	timer->fn = fn;
}

static void update_next_expiry(struct timer_base *base)
{
	struct timer_list *first;

	first = list_first_entry_or_null(&base->pending, struct timer_list,
					 entry);
	WRITE_ONCE(base->next_expiry, first ? first->expires : U64_MAX);
}

/* Insert in expiry order, searching from the latest (re-arms go there). */
static void enqueue_timer(struct timer_base *base, struct timer_list *timer)
{
	struct list_head *pos = base->pending.prev;

	while (pos != &base->pending &&
	       list_entry(pos, struct timer_list, entry)->expires >
	       timer->expires)
		pos = pos->prev;
	list_add(&timer->entry, pos);
	update_next_expiry(base);
}

static void detach_timer(struct timer_base *base, struct timer_list *timer)
{
	list_del_init(&timer->entry);
	update_next_expiry(base);
}

/* Lock the base @timer is on; interrupts must be off. */
static struct timer_base *lock_timer_base(struct timer_list *timer)
{
	struct timer_base *base;

	for (;;) {
		base = &timer_bases[READ_ONCE(timer->cpu)];
		spin_lock(&base->lock);
		if (base->cpu == READ_ONCE(timer->cpu))
			return base;
		spin_unlock(&base->lock);
	}
}

/* Lock @timer's base and @new (in address order); returns the former. */
static struct timer_base *lock_timer_bases(struct timer_list *timer,
					   struct timer_base *new)
{
	struct timer_base *old;

	for (;;) {
		old = &timer_bases[READ_ONCE(timer->cpu)];
		if (old == new) {
			spin_lock(&new->lock);
		} else {
			spin_lock(old < new ? &old->lock : &new->lock);
			spin_lock(old < new ? &new->lock : &old->lock);
		}
		if (old->cpu == READ_ONCE(timer->cpu))
			return old;
		spin_unlock(&new->lock);
		if (old != new)
			spin_unlock(&old->lock);
	}
}

bool mod_timer(struct timer_list *timer, u64 expires)
{
	struct timer_base *old, *new;
	unsigned long flags;
	bool was_pending;

	local_irq_save(flags);
	new = this_base();
	old = lock_timer_bases(timer, new);
	was_pending = timer_pending(timer);
	if (was_pending)
		detach_timer(old, timer);
	timer->expires = expires;
	WRITE_ONCE(timer->cpu, new->cpu);
	enqueue_timer(new, timer);
	spin_unlock(&new->lock);
	if (old != new)
		spin_unlock(&old->lock);
	local_irq_restore(flags);
	return was_pending;
}

bool add_timer_ns(struct timer_list *timer, u64 delay_ns)
{
	return mod_timer(timer, ktime_get_ns() + delay_ns);
}

/* Disarm under the base lock; *running tells whether fn is in progress. */
static bool __del_timer(struct timer_list *timer, bool *running,
			bool *own_cpu)
{
	struct timer_base *base;
	unsigned long flags;
	bool was_pending;

	local_irq_save(flags);
	base = lock_timer_base(timer);
	was_pending = timer_pending(timer);
	if (was_pending)
		detach_timer(base, timer);
	*running = base->running == timer;
	*own_cpu = base == this_base();
	spin_unlock(&base->lock);
	local_irq_restore(flags);
	return was_pending;
}

bool del_timer(struct timer_list *timer)
{
	bool running, own_cpu;

	return __del_timer(timer, &running, &own_cpu);
}

bool del_timer_sync(struct timer_list *timer)
{
	bool running, own_cpu, was_pending = false;

	for (;;) {
		was_pending |= __del_timer(timer, &running, &own_cpu);
		if (!running)
			return was_pending;
		/* Running on this CPU means we are inside the callback. */
		if (WARN_ON_ONCE(own_cpu))
			return was_pending;
		cpu_relax();
	}
}

/* Move every timer due at @now to @expired; base locked. */
static void collect_expired(struct timer_base *base, u64 now,
			    struct list_head *expired)
{
	struct timer_list *timer;

	while ((timer = list_first_entry_or_null(&base->pending,
						 struct timer_list, entry))) {
		if (timer->expires > now)
			break;
		list_move_tail(&timer->entry, expired);
	}
	update_next_expiry(base);
}

/* Run one expired timer; base locked on entry and on return. */
static void run_timer(struct timer_base *base, struct timer_list *timer)
{
	void (*fn)(struct timer_list *) = timer->fn;

	list_del_init(&timer->entry);
	if (timer->period_ns) {
		timer->expires += timer->period_ns;
		enqueue_timer(base, timer);
	}
	base->running = timer;
	base->nr_fired++;
	spin_unlock(&base->lock);
	fn(timer);
	spin_lock(&base->lock);
	base->running = NULL;
}

void timer_tick(void)
{
	struct timer_base *base = this_base();
	struct timer_list *timer;
	LIST_HEAD(expired);
	u64 now;

	if (READ_ONCE(base->next_expiry) == U64_MAX)
		return;
	now = ktime_get_ns();
	if (READ_ONCE(base->next_expiry) > now)
		return;
	spin_lock(&base->lock);
	collect_expired(base, now, &expired);
	while ((timer = list_first_entry_or_null(&expired, struct timer_list,
						 entry)))
		run_timer(base, timer);
	spin_unlock(&base->lock);
}
