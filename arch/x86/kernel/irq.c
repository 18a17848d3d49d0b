// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt vectors: allocation for drivers, dispatch, and the kernel's own
 * vectors (LAPIC timer, reschedule and call-function IPIs, APIC errors).
 *
 * Every handler runs with interrupts off; the EOI goes to the local APIC
 * after it returns, and a pending reschedule is acted on before the
 * interrupted context resumes (kernel preemption).
 */
#include <lego/errno.h>
#include <lego/irq.h>
#include <lego/kernel.h>
#include <lego/sched.h>
#include <lego/smp.h>
#include <lego/spinlock.h>
#include <lego/timer.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/ptrace.h>

struct irq_desc {
	irq_handler_t handler;
	void *data;
	const char *name;
	u64 count;
};

static struct irq_desc irq_descs[256];
static DEFINE_SPINLOCK(vector_lock);

static int __irq_set(unsigned int v, irq_handler_t h, void *data,
		     const char *name)
{
	if (irq_descs[v].handler)
		return -EBUSY;
	irq_descs[v].data = data;
	irq_descs[v].name = name;
	irq_descs[v].count = 0;
	WRITE_ONCE(irq_descs[v].handler, h);
	return v;
}

int irq_alloc_vector(irq_handler_t handler, void *data, const char *name)
{
	unsigned long flags;
	unsigned int v;
	int ret = -ENOSPC;

	spin_lock_irqsave(&vector_lock, flags);
	for (v = FIRST_DEVICE_VECTOR; v <= LAST_DEVICE_VECTOR; v++) {
		if (!irq_descs[v].handler) {
			ret = __irq_set(v, handler, data, name);
			break;
		}
	}
	spin_unlock_irqrestore(&vector_lock, flags);
	if (ret < 0)
		pr_err("irq: no free vector for %s\n", name);
	return ret;
}

void irq_free_vector(unsigned int vector)
{
	unsigned long flags;

	if (vector < FIRST_DEVICE_VECTOR || vector > LAST_DEVICE_VECTOR)
		return;
	spin_lock_irqsave(&vector_lock, flags);
	WRITE_ONCE(irq_descs[vector].handler, NULL);
	spin_unlock_irqrestore(&vector_lock, flags);
}

void msi_compose_msg(unsigned int vector, int cpu, u64 *addr, u32 *data)
{
	/* PCI MSI to the local APIC: Intel SDM Vol. 3A, 11.11.1-11.11.2. */
	*addr = 0xfee00000ULL | ((u64)(cpu_info[cpu].apic_id & 0xff) << 12);
	*data = vector;		/* fixed delivery, edge */
}

static void timer_interrupt(unsigned int v, void *data)
{
	this_cpu()->timer_ticks++;
	scheduler_tick();
	timer_tick();
}

static void reschedule_interrupt(unsigned int v, void *data)
{
	this_cpu()->need_resched = true;
}

static void apic_error_interrupt(unsigned int v, void *data)
{
	pr_err("APIC: error interrupt on CPU %d\n", smp_processor_id());
}


void irq_init(void)
{
	__irq_set(LOCAL_TIMER_VECTOR, timer_interrupt, NULL, "timer");
	__irq_set(RESCHEDULE_VECTOR, reschedule_interrupt, NULL, "resched");
	__irq_set(CALL_FUNCTION_VECTOR, smp_call_function_interrupt, NULL,
		  "call-function");
	__irq_set(ERROR_APIC_VECTOR, apic_error_interrupt, NULL, "apic-error");
}

void x86_handle_irq(struct pt_regs *regs)
{
	unsigned int v = regs->vector;
	struct irq_desc *d = &irq_descs[v];
	irq_handler_t h = READ_ONCE(d->handler);
	struct cpu_info *ci = this_cpu();

	ci->irq_count++;
	if (v == SPURIOUS_APIC_VECTOR)
		return;		/* no EOI for spurious interrupts */
	if (h) {
		d->count++;
		h(v, d->data);
	} else {
		pr_warn_ratelimited("irq: unexpected vector %u on CPU %d\n", v,
				    ci->cpu);
	}
	lapic_eoi();
	if (ci->need_resched && !ci->preempt_count)
		preempt_schedule_irq();
}
