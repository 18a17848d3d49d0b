/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scheduler tick: the LAPIC timer interrupts every CPU HZ times a
 * second.  jiffies counts the ticks of CPU 0 since the tick started; for
 * time measurement use ktime_get_ns() (<lego/time.h>) instead.
 */
#ifndef _LEGO_JIFFIES_H
#define _LEGO_JIFFIES_H

#define HZ		1000

extern volatile unsigned long jiffies;

#endif /* _LEGO_JIFFIES_H */
