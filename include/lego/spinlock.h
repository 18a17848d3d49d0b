/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlocks: FIFO-fair, which matters when all CPUs hammer one lock
 * (the page allocator stress test does exactly that).
 *
 * spin_lock() does not disable interrupts: use spin_lock_irqsave() for any
 * lock that an interrupt handler also takes.
 */
#ifndef _LEGO_SPINLOCK_H
#define _LEGO_SPINLOCK_H

#include <lego/compiler.h>
#include <lego/types.h>
#include <asm/processor.h>

typedef struct spinlock {
	u16 owner;
	u16 next;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)	{ .owner = 0, .next = 0 }
#define DEFINE_SPINLOCK(name)	spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

void preempt_disable(void);
void preempt_enable(void);
void preempt_enable_no_resched(void);

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->owner = 0;
	lock->next = 0;
}

static inline void arch_spin_lock(spinlock_t *lock)
{
	u16 ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

static inline bool arch_spin_trylock(spinlock_t *lock)
{
	u16 owner = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
	u16 expect = owner;

	return __atomic_compare_exchange_n(&lock->next, &expect,
					   (u16)(owner + 1), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void arch_spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->owner, (u16)(lock->owner + 1),
			 __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *lock)
{
	return READ_ONCE(lock->owner) != READ_ONCE(lock->next);
}

static inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	arch_spin_lock(lock);
}

static inline bool spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (arch_spin_trylock(lock))
		return true;
	preempt_enable();
	return false;
}

static inline void spin_unlock(spinlock_t *lock)
{
	arch_spin_unlock(lock);
	preempt_enable();
}

static inline void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

static inline void spin_unlock_irq(spinlock_t *lock)
{
	spin_unlock(lock);
	local_irq_enable();
}

#define spin_lock_irqsave(lock, flags)				\
	do {							\
		local_irq_save(flags);				\
		spin_lock(lock);				\
	} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *lock,
					  unsigned long flags)
{
	arch_spin_unlock(lock);
	local_irq_restore(flags);
	preempt_enable();
}

#endif /* _LEGO_SPINLOCK_H */
