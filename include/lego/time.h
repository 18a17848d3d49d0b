/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time: a monotonic nanosecond clock on the TSC (calibrated at boot against
 * the PIT or HPET), busy-wait delays, and sleeping.
 */
#ifndef _LEGO_TIME_H
#define _LEGO_TIME_H

#include <lego/types.h>

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL
#define USEC_PER_SEC	1000000ULL
#define MSEC_PER_SEC	1000ULL

/* Nanoseconds since boot; 0 until the TSC has been calibrated. */
u64 ktime_get_ns(void);
/* TSC frequency in kHz (0 before calibration). */
extern u64 tsc_khz;

void udelay(unsigned long us);
void mdelay(unsigned long ms);
void ndelay(unsigned long ns);

void tsc_early_init(void);
void time_init(void);

#endif /* _LEGO_TIME_H */
