// SPDX-License-Identifier: GPL-2.0
/*
 * ktest runner: runs the suites named by `ktest=` (or all of them) and
 * reports in KTAP version 1 on the console, one nested subtest per suite:
 *
 *	KTAP version 1
 *	1..2
 *	    KTAP version 1
 *	    # Subtest: kmalloc
 *	    1..3
 *	    ok 1 alloc_free
 *	    ...
 *	ok 1 kmalloc
 *	ktest: summary: 7 passed, 0 failed
 *
 * An unknown suite name counts as a failure, so a typo in a test command
 * line cannot turn into a silent pass.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/params.h>
#include <lego/panic.h>

extern const struct ktest_suite __ktest_suites_start[], __ktest_suites_end[];

static char ktest_list[256];

static int ktest_param(const char *val)
{
	if (!*val)
		return -EINVAL;
	if (strnlen(val, sizeof(ktest_list)) >= sizeof(ktest_list))
		return -E2BIG;
	strscpy(ktest_list, val, sizeof(ktest_list));
	return 0;
}
lego_early_param_cb("ktest", ktest_param,
		    "self-test suites to run after boot: all or suite1,suite2");

bool ktest_requested(void)
{
	return ktest_list[0] != '\0';
}

void ktest_fail(struct ktest *t, const char *file, int line,
		const char *fmt, ...)
{
	char msg[256];
	va_list args;

	va_start(args, fmt);
	vscnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	t->failures++;
	pr_info("        # %s: FAIL at %s:%d: %s\n", t->name, file, line, msg);
}

void ktest_log(struct ktest *t, const char *fmt, ...)
{
	char msg[256];
	va_list args;

	va_start(args, fmt);
	vscnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	pr_info("        # %s: %s\n", t->name, msg);
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skipped = true;
	t->skip_reason = reason;
}

/* Is @name in the comma-separated selection (or is it "all")? */
static bool suite_selected(const char *name)
{
	size_t n = strlen(name);
	const char *p = ktest_list;

	if (!strcmp(ktest_list, "all"))
		return true;
	while (*p) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	return false;
}

static int count_cases(const struct ktest_suite *s)
{
	int n = 0;

	while (s->cases[n].run)
		n++;
	return n;
}

/* Run one suite; returns the number of failed cases. */
static int run_suite(const struct ktest_suite *s, int index, int *passed)
{
	int i, failed = 0, n = count_cases(s);

	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: %s\n", s->name);
	if (s->init && s->init()) {
		pr_info("    1..0\n");
		pr_info("ok %d %s # SKIP init failed\n", index, s->name);
		return 0;
	}
	pr_info("    1..%d\n", n);
	for (i = 0; i < n; i++) {
		struct ktest t = { .name = s->cases[i].name };

		s->cases[i].run(&t);
		if (t.skipped && !t.failures) {
			pr_info("    ok %d %s # SKIP %s\n", i + 1, t.name,
				t.skip_reason);
		} else if (t.failures) {
			pr_info("    not ok %d %s\n", i + 1, t.name);
			failed++;
		} else {
			pr_info("    ok %d %s\n", i + 1, t.name);
			(*passed)++;
		}
	}
	if (s->exit)
		s->exit();
	pr_info("%sok %d %s\n", failed ? "not " : "", index, s->name);
	return failed;
}

/* Names in the selection that match no suite: each one is a failure. */
static int check_unknown_suites(void)
{
	const struct ktest_suite *s;
	char list[sizeof(ktest_list)], *p = list, *name;
	int bad = 0;

	if (!strcmp(ktest_list, "all"))
		return 0;
	strscpy(list, ktest_list, sizeof(list));
	while ((name = strsep(&p, ","))) {
		bool found = false;

		for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
			found |= !strcmp(s->name, name);
		if (!found) {
			pr_err("ktest: unknown suite '%s'; available:", name);
			for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
				pr_cont(" %s", s->name);
			pr_cont("\n");
			bad++;
		}
	}
	return bad;
}

int ktest_run_selected(void)
{
	const struct ktest_suite *s;
	int n = 0, index = 0, passed = 0, failed;

	failed = check_unknown_suites();
	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		n += suite_selected(s->name);
	pr_info("KTAP version 1\n");
	pr_info("1..%d\n", n);
	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (suite_selected(s->name))
			failed += run_suite(s, ++index, &passed);
	pr_info("ktest: summary: %d passed, %d failed\n", passed, failed);
	return failed;
}
