/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktest: in-kernel self-tests, reported in KTAP over the serial console.
 *
 * A suite is an array of cases registered in the .ktest_suites linker
 * section with KTEST_SUITE(); `ktest=all` or `ktest=suite1,suite2` on the
 * kernel command line selects which suites run after the boot reaches the
 * ready state.  The verdict goes to QEMU through isa-debug-exit.
 *
 *	static void alloc_free(struct ktest *t)
 *	{
 *		void *p = kmalloc(64, GFP_KERNEL);
 *
 *		KTEST_ASSERT_NOT_NULL(t, p);
 *		kfree(p);
 *	}
 *	static const struct ktest_case kmalloc_cases[] = {
 *		KTEST_CASE(alloc_free),
 *		{}
 *	};
 *	KTEST_SUITE(kmalloc, kmalloc_cases);
 *
 * Cases run in a kernel thread: they may sleep, create threads and take
 * mutexes.  ASSERT variants end the case on failure; EXPECT variants record
 * the failure and continue.
 */
#ifndef _LEGO_KTEST_H
#define _LEGO_KTEST_H

#include <lego/compiler.h>
#include <lego/types.h>

struct ktest {
	const char *name;
	int failures;
	bool skipped;
	const char *skip_reason;
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;	/* terminated by an empty entry */
	int (*init)(void);		/* optional: non-zero skips the suite */
	void (*exit)(void);		/* optional */
};

#define KTEST_CASE(fn)	{ .name = #fn, .run = fn }

#define KTEST_SUITE_FULL(sname, cases_arr, init_fn, exit_fn)		\
	static const struct ktest_suite __ktest_suite_##sname		\
	__used __section(".ktest_suites") __aligned(8) = {		\
		.name = #sname,						\
		.cases = cases_arr,					\
		.init = init_fn,					\
		.exit = exit_fn,					\
	}
#define KTEST_SUITE(sname, cases_arr)	\
	KTEST_SUITE_FULL(sname, cases_arr, NULL, NULL)

__printf(4, 5) void ktest_fail(struct ktest *t, const char *file, int line,
			       const char *fmt, ...);
__printf(2, 3) void ktest_log(struct ktest *t, const char *fmt, ...);
void ktest_skip(struct ktest *t, const char *reason);

/* Run the suites selected on the command line; returns failed case count. */
int ktest_run_selected(void);
bool ktest_requested(void);

#define __KTEST_CHECK(t, cond, on_fail, fmt, ...)			\
	do {								\
		if (unlikely(!(cond))) {				\
			ktest_fail(t, __FILE__, __LINE__, fmt, ##__VA_ARGS__); \
			on_fail;					\
		}							\
	} while (0)

#define __KTEST_BINOP(t, a, op, b, on_fail) do {			\
		long long __a = (long long)(a), __b = (long long)(b);	\
		__KTEST_CHECK(t, __a op __b, on_fail,			\
			"expected %s " #op " %s, got %lld vs %lld (0x%llx vs 0x%llx)", \
			#a, #b, __a, __b, __a, __b);			\
	} while (0)

#define KTEST_EXPECT_TRUE(t, c) \
	__KTEST_CHECK(t, c, (void)0, "expected %s to be true", #c)
#define KTEST_EXPECT_FALSE(t, c) \
	__KTEST_CHECK(t, !(c), (void)0, "expected %s to be false", #c)
#define KTEST_EXPECT_EQ(t, a, b)	__KTEST_BINOP(t, a, ==, b, (void)0)
#define KTEST_EXPECT_NE(t, a, b)	__KTEST_BINOP(t, a, !=, b, (void)0)
#define KTEST_EXPECT_LT(t, a, b)	__KTEST_BINOP(t, a, <, b, (void)0)
#define KTEST_EXPECT_LE(t, a, b)	__KTEST_BINOP(t, a, <=, b, (void)0)
#define KTEST_EXPECT_GT(t, a, b)	__KTEST_BINOP(t, a, >, b, (void)0)
#define KTEST_EXPECT_GE(t, a, b)	__KTEST_BINOP(t, a, >=, b, (void)0)
#define KTEST_EXPECT_NULL(t, p) \
	__KTEST_CHECK(t, (p) == NULL, (void)0, "expected %s to be NULL", #p)
#define KTEST_EXPECT_NOT_NULL(t, p) \
	__KTEST_CHECK(t, (p) != NULL, (void)0, "expected %s to be non-NULL", #p)

#define KTEST_ASSERT_TRUE(t, c) \
	__KTEST_CHECK(t, c, return, "expected %s to be true", #c)
#define KTEST_ASSERT_FALSE(t, c) \
	__KTEST_CHECK(t, !(c), return, "expected %s to be false", #c)
#define KTEST_ASSERT_EQ(t, a, b)	__KTEST_BINOP(t, a, ==, b, return)
#define KTEST_ASSERT_NE(t, a, b)	__KTEST_BINOP(t, a, !=, b, return)
#define KTEST_ASSERT_LT(t, a, b)	__KTEST_BINOP(t, a, <, b, return)
#define KTEST_ASSERT_LE(t, a, b)	__KTEST_BINOP(t, a, <=, b, return)
#define KTEST_ASSERT_GT(t, a, b)	__KTEST_BINOP(t, a, >, b, return)
#define KTEST_ASSERT_GE(t, a, b)	__KTEST_BINOP(t, a, >=, b, return)
#define KTEST_ASSERT_NOT_NULL(t, p) \
	__KTEST_CHECK(t, (p) != NULL, return, "expected %s to be non-NULL", #p)

#endif /* _LEGO_KTEST_H */
