// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `traps`: faulting kernel accesses under an exception-table
 * fixup come back as -EFAULT instead of crashing, and the symbol table
 * behind backtraces resolves addresses.
 */
#include <lego/errno.h>
#include <lego/kallsyms.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <asm/page.h>
#include <asm/setup.h>
#include <asm/traps.h>

static void read_null_faults(struct ktest *t)
{
	u64 v = 0x1234;

	/* No identity map after paging_init(): page 0 is not present. */
	KTEST_EXPECT_EQ(t, read_u64_nofault(NULL, &v), -EFAULT);
	KTEST_EXPECT_EQ(t, v, 0);
}

static void read_noncanonical_faults(struct ktest *t)
{
	u64 v;

	/* A non-canonical address raises #GP, not #PF. */
	KTEST_EXPECT_EQ(t, read_u64_nofault((void *)0x8000000000000000UL, &v),
			-EFAULT);
}

static void read_unmapped_kernel_faults(struct ktest *t)
{
	u64 v;

	/* The last page below the kernel image map is never mapped. */
	KTEST_EXPECT_EQ(t, read_u64_nofault((void *)(__START_KERNEL_map - 4096),
					    &v), -EFAULT);
}

static void write_text_faults(struct ktest *t)
{
	unsigned long fn = kallsyms_lookup_name("start_kernel");
	u64 before, after;

	KTEST_ASSERT_NE(t, fn, 0);
	KTEST_ASSERT_EQ(t, read_u64_nofault((void *)fn, &before), 0);
	/* Kernel text is mapped read-only and CR0.WP is set. */
	KTEST_EXPECT_EQ(t, write_u64_nofault((void *)fn, ~before), -EFAULT);
	KTEST_ASSERT_EQ(t, read_u64_nofault((void *)fn, &after), 0);
	KTEST_EXPECT_EQ(t, before, after);
}

static void readable_memory_reads(struct ktest *t)
{
	static u64 word = 0x0123456789abcdefULL;
	u64 v = 0;

	KTEST_EXPECT_EQ(t, read_u64_nofault(&word, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x0123456789abcdefULL);
	KTEST_EXPECT_EQ(t, write_u64_nofault(&word, 42), 0);
	KTEST_EXPECT_EQ(t, word, 42);
}

static void symbols_resolve(struct ktest *t)
{
	unsigned long fn = kallsyms_lookup_name("start_kernel");
	char buf[128];

	KTEST_ASSERT_NE(t, fn, 0);
	snprintf(buf, sizeof(buf), "%pS", (void *)(fn + 4));
	KTEST_EXPECT_EQ(t, strncmp(buf, "start_kernel+0x4/", 17), 0);
	snprintf(buf, sizeof(buf), "%ps", (void *)fn);
	KTEST_EXPECT_EQ(t, strcmp(buf, "start_kernel"), 0);
	KTEST_EXPECT_EQ(t, kallsyms_lookup_name("no_such_symbol_here"), 0);
}

static const struct ktest_case traps_cases[] = {
	KTEST_CASE(read_null_faults),
	KTEST_CASE(read_noncanonical_faults),
	KTEST_CASE(read_unmapped_kernel_faults),
	KTEST_CASE(write_text_faults),
	KTEST_CASE(readable_memory_reads),
	KTEST_CASE(symbols_resolve),
	{}
};
KTEST_SUITE(traps, traps_cases);
