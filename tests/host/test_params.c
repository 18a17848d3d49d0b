// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for kernel/params.c: every parameter type, malformed and
 * unknown words (reported, default kept, parsing goes on), quoting, the
 * early/late split and over-long words.
 */
#include "host_test.h"
#include "lego_host_rename.h"
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/params.h>

static char out[16384];
static size_t out_len;

int printk(const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vscnprintf(out + out_len, sizeof(out) - out_len, fmt, args);
	va_end(args);
	out_len += n;
	return n;
}

static bool b_flag;
static bool b_off = true;
static int i_val = 7;
static unsigned int u_val = 3;
static u64 x_val;
static u64 size_val;
static char s_val[16] = "default";
static char cb_seen[32];
static bool early_flag;

static int cb_set(const char *v)
{
	if (!strcmp(v, "bad"))
		return -EINVAL;
	strscpy(cb_seen, v, sizeof(cb_seen));
	return 0;
}

static const struct kernel_param table[] = {
	{ .name = "t.flag", .type = PARAM_BOOL, .var = &b_flag, .desc = "a flag" },
	{ .name = "t.off", .type = PARAM_BOOL, .var = &b_off, .desc = "off" },
	{ .name = "t.int", .type = PARAM_INT, .var = &i_val, .desc = "int" },
	{ .name = "lego.node", .type = PARAM_UINT, .var = &u_val, .desc = "node id" },
	{ .name = "t.u64", .type = PARAM_U64, .var = &x_val, .desc = "u64" },
	{ .name = "t.size", .type = PARAM_SIZE, .var = &size_val, .desc = "size" },
	{ .name = "t.str", .type = PARAM_STRING, .var = s_val,
	  .size = sizeof(s_val), .desc = "string" },
	{ .name = "t.cb", .type = PARAM_CALLBACK, .set = cb_set, .desc = "cb" },
	{ .name = "t.early", .type = PARAM_BOOL, .early = true,
	  .var = &early_flag, .desc = "early" },
};
#define TABLE_END (table + sizeof(table) / sizeof(table[0]))

static int parse(const char *line, bool early)
{
	out_len = 0;
	out[0] = '\0';
	return params_parse(line, early, table, TABLE_END);
}

static int reset(void **state)
{
	(void)state;
	b_flag = false;
	b_off = true;
	i_val = 7;
	u_val = 3;
	x_val = 0;
	size_val = 0;
	strscpy(s_val, "default", sizeof(s_val));
	cb_seen[0] = '\0';
	early_flag = false;
	return 0;
}

static void every_type(void **state)
{
	(void)state;
	assert_int_equal(parse("t.flag t.off=off t.int=-42 lego.node=12 "
			       "t.u64=0xffffffffffffffff t.size=64M "
			       "t.str=hello t.cb=yes", false), 0);
	assert_true(b_flag);
	assert_false(b_off);
	assert_int_equal(i_val, -42);
	assert_int_equal(u_val, 12);
	assert_true(x_val == UINT64_MAX);
	assert_true(size_val == 64ULL << 20);
	assert_string_equal(s_val, "hello");
	assert_string_equal(cb_seen, "yes");
	assert_int_equal(out_len, 0);
}

static void unknown_is_reported_and_parsing_goes_on(void **state)
{
	(void)state;
	assert_int_equal(parse("foo.bar=1 lego.node=5", false), 1);
	assert_non_null(strstr(out, "params: unknown parameter 'foo.bar=1'"));
	assert_non_null(strstr(out, "valid parameters"));
	assert_non_null(strstr(out, "lego.node"));
	assert_int_equal(u_val, 5);
}

static void malformed_keeps_default(void **state)
{
	(void)state;
	assert_int_equal(parse("lego.node=abc t.int=1", false), 1);
	assert_non_null(strstr(out, "params: invalid value 'abc' for lego.node"));
	assert_int_equal(u_val, 3);
	assert_int_equal(i_val, 1);

	assert_int_equal(parse("lego.node=4294967296", false), 1);	/* range */
	assert_int_equal(u_val, 3);
	assert_int_equal(parse("t.int=2147483648", false), 1);
	assert_int_equal(i_val, 1);
	assert_int_equal(parse("t.flag=maybe", false), 1);
	assert_false(b_flag);
	assert_int_equal(parse("t.size=12Q", false), 1);
	assert_int_equal(parse("lego.node", false), 1);	/* value required */
	assert_int_equal(parse("lego.node=", false), 1);
	assert_int_equal(u_val, 3);
	assert_int_equal(parse("t.cb=bad", false), 1);
	assert_string_equal(cb_seen, "");
}

static void string_overflow_is_an_error(void **state)
{
	(void)state;
	assert_int_equal(parse("t.str=0123456789abcdefXYZ", false), 1);
	assert_string_equal(s_val, "default");
	assert_int_equal(parse("t.str=0123456789abcde", false), 0);	/* 15 fit */
	assert_string_equal(s_val, "0123456789abcde");
}

static void quoting_and_spacing(void **state)
{
	(void)state;
	assert_int_equal(parse("   t.str=\"a b c\"\t\tlego.node=9  \n", false), 0);
	assert_string_equal(s_val, "a b c");
	assert_int_equal(u_val, 9);
	assert_int_equal(parse("", false), 0);
	assert_int_equal(parse("     ", false), 0);
}

static void early_and_late_passes(void **state)
{
	(void)state;
	/* Early pass: only early parameters, unknown words not reported. */
	assert_int_equal(parse("t.early nosuch lego.node=8", true), 0);
	assert_true(early_flag);
	assert_int_equal(u_val, 3);
	assert_int_equal(out_len, 0);
	/* Late pass: the rest; the early one is not applied twice. */
	early_flag = false;
	assert_int_equal(parse("t.early nosuch lego.node=8", false), 1);
	assert_false(early_flag);
	assert_int_equal(u_val, 8);
}

static void overlong_word(void **state)
{
	char line[1024];

	(void)state;
	memset(line, 'a', sizeof(line));
	memcpy(line, "t.str=", 6);
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(parse(line, false), 1);
	assert_string_equal(s_val, "default");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(every_type, reset),
		cmocka_unit_test_setup(unknown_is_reported_and_parsing_goes_on, reset),
		cmocka_unit_test_setup(malformed_keeps_default, reset),
		cmocka_unit_test_setup(string_overflow_is_an_error, reset),
		cmocka_unit_test_setup(quoting_and_spacing, reset),
		cmocka_unit_test_setup(early_and_late_passes, reset),
		cmocka_unit_test_setup(overlong_word, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
