/* SPDX-License-Identifier: GPL-2.0 */
/* The scheduler tick: the LAPIC timer interrupts every CPU HZ times a second. */
#ifndef _LEGO_JIFFIES_H
#define _LEGO_JIFFIES_H

#define HZ		1000

#endif /* _LEGO_JIFFIES_H */
