// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `smp`: every CPU the MADT lists came online, cross-CPU
 * function calls run on the CPU they name, every CPU takes timer ticks,
 * and TLB shootdown makes a remapped or unmapped page visible as such on
 * all CPUs (QEMU's soft TLB keeps stale entries until told otherwise, so
 * a missing shootdown fails this test).
 */
#include <lego/errno.h>
#include <lego/gfp.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/smp.h>
#include <lego/time.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/smp.h>
#include <asm/traps.h>

static void all_cpus_online(struct ktest *t)
{
	int cpu, j;

	KTEST_EXPECT_EQ(t, num_online_cpus(), nr_cpu_ids);
	for (cpu = 0; cpu < (int)nr_cpu_ids; cpu++) {
		KTEST_EXPECT_TRUE(t, cpu_online(cpu));
		for (j = 0; j < cpu; j++)
			KTEST_EXPECT_NE(t, cpu_info[j].apic_id,
					cpu_info[cpu].apic_id);
	}
}

static void record_cpu(void *arg)
{
	*(int *)arg = smp_processor_id();
}

static void call_single_runs_on_target(struct ktest *t)
{
	int cpu;

	for_each_online_cpu(cpu) {
		int seen = -1;

		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, record_cpu,
							    &seen, true), 0);
		KTEST_EXPECT_EQ(t, seen, cpu);
	}
	KTEST_EXPECT_EQ(t, smp_call_function_single(CONFIG_NR_CPUS + 1,
						    record_cpu, NULL, true),
			-ENXIO);
}

static void count_call(void *arg)
{
	unsigned long *mask = arg;

	__atomic_fetch_or(mask, 1UL << smp_processor_id(), __ATOMIC_SEQ_CST);
}

static void call_all_reaches_others(struct ktest *t)
{
	unsigned long mask = 0, want = 0;
	int cpu;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id() && cpu < 64)
			want |= 1UL << cpu;
	smp_call_function(count_call, &mask);
	KTEST_EXPECT_EQ(t, mask, want);
}

static void every_cpu_ticks(struct ktest *t)
{
	u64 before[CONFIG_NR_CPUS];
	int cpu;

	for_each_online_cpu(cpu)
		before[cpu] = READ_ONCE(cpu_info[cpu].timer_ticks);
	mdelay(100);
	for_each_online_cpu(cpu) {
		u64 d = READ_ONCE(cpu_info[cpu].timer_ticks) - before[cpu];

		ktest_log(t, "cpu %d: %llu ticks in 100 ms", cpu,
			  (unsigned long long)d);
		KTEST_EXPECT_GE(t, d, 10);
	}
}

struct probe {
	const u64 *va;
	u64 seen[CONFIG_NR_CPUS];
	int err[CONFIG_NR_CPUS];
};

static void probe_read(void *arg)
{
	struct probe *p = arg;
	int cpu = smp_processor_id();

	p->err[cpu] = read_u64_nofault(p->va, &p->seen[cpu]);
}

static void probe_all(struct probe *p)
{
	int cpu;

	for_each_online_cpu(cpu)
		smp_call_function_single(cpu, probe_read, p, true);
}

static void tlb_shootdown(struct ktest *t)
{
	unsigned long a = get_zeroed_page(GFP_KERNEL);
	unsigned long b = get_zeroed_page(GFP_KERNEL);
	static struct probe p;
	int level, cpu;
	pte_t *pte;

	KTEST_ASSERT_TRUE(t, a && b);
	*(u64 *)a = 0xaaaaaaaaaaaaaaaaULL;
	*(u64 *)b = 0xbbbbbbbbbbbbbbbbULL;
	p.va = ioremap(__pa(a), PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, p.va);

	probe_all(&p);		/* every CPU caches the translation to A */
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, p.seen[cpu], 0xaaaaaaaaaaaaaaaaULL);

	pte = lookup_kernel_pte((unsigned long)p.va, &level);
	KTEST_ASSERT_TRUE(t, pte && level == 0);
	*pte = (*pte & ~PTE_ADDR_MASK) | __pa(b);
	flush_tlb_kernel_range((unsigned long)p.va,
			       (unsigned long)p.va + PAGE_SIZE);
	probe_all(&p);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, p.seen[cpu], 0xbbbbbbbbbbbbbbbbULL);

	iounmap((void *)p.va);	/* unmaps and shoots down */
	probe_all(&p);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, p.err[cpu], -EFAULT);
	free_pages(a, 0);
	free_pages(b, 0);
}

static const struct ktest_case smp_cases[] = {
	KTEST_CASE(all_cpus_online),
	KTEST_CASE(call_single_runs_on_target),
	KTEST_CASE(call_all_reaches_others),
	KTEST_CASE(every_cpu_ticks),
	KTEST_CASE(tlb_shootdown),
	{}
};
KTEST_SUITE(smp, smp_cases);
