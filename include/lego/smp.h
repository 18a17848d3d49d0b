/* SPDX-License-Identifier: GPL-2.0 */
/* CPUs: numbering, online mask, cross-CPU function calls. */
#ifndef _LEGO_SMP_H
#define _LEGO_SMP_H

#include <lego/types.h>
#include <asm/percpu.h>

#define NR_CPUS		CONFIG_NR_CPUS

static inline int smp_processor_id(void)
{
	return this_cpu()->cpu;
}

extern unsigned int nr_cpu_ids;		/* CPUs found in the MADT */

int num_online_cpus(void);
bool cpu_online(int cpu);
#define for_each_online_cpu(cpu) \
	for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++) \
		if (cpu_online(cpu))

/* Run @fn(@info) on @cpu (on this CPU directly); wait if @wait. */
int smp_call_function_single(int cpu, void (*fn)(void *), void *info,
			     bool wait);
/* Run @fn(@info) on every other online CPU and wait for all of them. */
void smp_call_function(void (*fn)(void *), void *info);
void smp_send_reschedule(int cpu);
void smp_stop_other_cpus(void);
void smp_init(void);

#endif /* _LEGO_SMP_H */
