// SPDX-License-Identifier: GPL-2.0
/*
 * Cross-CPU calls: reschedule IPIs, function calls on other CPUs, TLB
 * shootdown and the panic stop.
 *
 * Each CPU has a queue of call requests.  The sender queues a request and
 * sends CALL_FUNCTION_VECTOR; the target runs every queued function in its
 * interrupt handler and marks each done.  A caller that waits must have
 * interrupts enabled, or two CPUs calling each other would deadlock.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/list.h>
#include <lego/panic.h>
#include <lego/smp.h>
#include <lego/spinlock.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/smp.h>

struct call_request {
	struct list_head list;
	void (*fn)(void *);
	void *info;
	int done;
};

static struct call_queue {
	spinlock_t lock;
	struct list_head requests;
} call_queues[CONFIG_NR_CPUS];

static bool ipis_ready;

void smp_call_init(void);
void smp_call_init(void)
{
	int i;

	for (i = 0; i < CONFIG_NR_CPUS; i++) {
		spin_lock_init(&call_queues[i].lock);
		INIT_LIST_HEAD(&call_queues[i].requests);
	}
	ipis_ready = true;
}

void smp_call_function_interrupt(unsigned int vector, void *data)
{
	struct call_queue *q = &call_queues[smp_processor_id()];
	struct call_request *r;

	for (;;) {
		arch_spin_lock(&q->lock);
		r = list_first_entry_or_null(&q->requests, struct call_request,
					     list);
		if (r)
			list_del(&r->list);
		arch_spin_unlock(&q->lock);
		if (!r)
			return;
		r->fn(r->info);
		__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	}
}

static void queue_call(int cpu, struct call_request *r)
{
	struct call_queue *q = &call_queues[cpu];
	unsigned long flags;

	local_irq_save(flags);
	arch_spin_lock(&q->lock);
	list_add_tail(&r->list, &q->requests);
	arch_spin_unlock(&q->lock);
	local_irq_restore(flags);
	lapic_send_ipi(cpu_info[cpu].apic_id, CALL_FUNCTION_VECTOR);
}

static void wait_done(struct call_request *r)
{
	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE))
		cpu_relax();
}

int smp_call_function_single(int cpu, void (*fn)(void *), void *info,
			     bool wait)
{
	struct call_request r = { .fn = fn, .info = info };
	unsigned long flags;

	if (cpu == smp_processor_id()) {
		local_irq_save(flags);
		fn(info);
		local_irq_restore(flags);
		return 0;
	}
	if (!cpu_online(cpu))
		return -ENXIO;
	if (!wait)
		return -EINVAL;	/* requests live on the caller's stack */
	WARN_ON_ONCE(irqs_disabled());
	queue_call(cpu, &r);
	wait_done(&r);
	return 0;
}

void smp_call_function(void (*fn)(void *), void *info)
{
	static struct call_request reqs[CONFIG_NR_CPUS];
	static DEFINE_SPINLOCK(broadcast_lock);
	int cpu, self;

	if (!ipis_ready)
		return;
	WARN_ON_ONCE(irqs_disabled());
	spin_lock(&broadcast_lock);
	self = smp_processor_id();
	for_each_online_cpu(cpu) {
		if (cpu == self)
			continue;
		reqs[cpu] = (struct call_request){ .fn = fn, .info = info };
		queue_call(cpu, &reqs[cpu]);
	}
	for_each_online_cpu(cpu)
		if (cpu != self)
			wait_done(&reqs[cpu]);
	spin_unlock(&broadcast_lock);
}

void smp_send_reschedule(int cpu)
{
	if (cpu_online(cpu) && cpu != smp_processor_id())
		lapic_send_ipi(cpu_info[cpu].apic_id, RESCHEDULE_VECTOR);
}

void smp_stop_other_cpus(void)
{
	int cpu, self = smp_processor_id();

	if (!ipis_ready)
		return;
	for_each_online_cpu(cpu)
		if (cpu != self)
			lapic_send_ipi(cpu_info[cpu].apic_id,
				       APIC_ICR_DELIVERY_NMI);
}

static void flush_local_all(void *unused)
{
	write_cr4(read_cr4() & ~X86_CR4_PGE);	/* drops global entries too */
	write_cr4(read_cr4() | X86_CR4_PGE);
}

struct flush_range {
	unsigned long start, end;
};

static void flush_local_range(void *arg)
{
	const struct flush_range *r = arg;
	unsigned long a;

	if (r->end - r->start > 64 * 4096) {
		flush_local_all(NULL);
		return;
	}
	for (a = r->start; a < r->end; a += 4096)
		invlpg(a);
}

void flush_tlb_all(void)
{
	unsigned long flags;

	local_irq_save(flags);
	flush_local_all(NULL);
	local_irq_restore(flags);
	smp_call_function(flush_local_all, NULL);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	struct flush_range r = { start & ~4095UL, end };
	unsigned long flags;

	local_irq_save(flags);
	flush_local_range(&r);
	local_irq_restore(flags);
	smp_call_function(flush_local_range, &r);
}
