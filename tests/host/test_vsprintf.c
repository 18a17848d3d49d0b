// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/vsprintf.c.
 *
 * Everything C99 defines is compared with glibc: hand-picked edge cases
 * (INT_MIN, LLONG_MIN, ULLONG_MAX, zero with precision zero, '#' with
 * octal, '*' widths...) at every buffer size from 0 up, which checks the
 * truncation, NUL placement and return values; then every combination of
 * flags, width, precision, length modifier and integer conversion over a
 * set of boundary values.  The kernel extensions (%p, %pS, %ps, %pM, %pI4,
 * "(null)", the scnprintf family) are checked against fixed strings, with
 * lego_symbolize() overridden here.
 */
#include "host_test.h"

#include <limits.h>
#include <sys/types.h>

static int ref_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

static int ref_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int (*const ref_memcmp)(const void *, const void *, size_t) = memcmp;
static void *(*const ref_memset)(void *, int, size_t) = memset;
static int (*const ref_strcmp)(const char *, const char *) = strcmp;

#include "lego_host_rename.h"

#include <lego/errno.h>
#include <lego/kernel.h>

#define GUARD	0x5a
#define OUTMAX	600

static unsigned long checks;

/* Buffer sizes to try: 0 to one past the output length, then a big one. */
static size_t next_size(size_t size, int len)
{
	if (size == OUTMAX)
		return OUTMAX + 1;
	return size <= (size_t)len ? size + 1 : OUTMAX;
}

/*
 * One format and its arguments, through glibc and through the kernel: the
 * same text and return value, and with @all_sizes the same again for every
 * buffer size from 0 to one past the length (the byte after the buffer
 * must stay untouched).
 */
static void check_fmt(int line, bool all_sizes, const char *fmt, ...)
{
	char want[OUTMAX], got[OUTMAX + 1];
	va_list ap, aq;
	int wn, gn, cn;
	size_t size;

	va_start(ap, fmt);
	va_copy(aq, ap);
	wn = ref_vsnprintf(want, sizeof(want), fmt, aq);
	va_end(aq);
	assert_in_range(wn, 0, OUTMAX - 1);
	for (size = all_sizes ? 0 : OUTMAX; size <= OUTMAX; size = next_size(size, wn)) {
		ref_memset(got, GUARD, sizeof(got));
		va_copy(aq, ap);
		gn = vsnprintf(size ? got : NULL, size, fmt, aq);
		va_end(aq);
		if (gn != wn || (size && (ref_memcmp(got, want, min((size_t)wn, size - 1)) ||
					  got[min((size_t)wn, size - 1)] != '\0')) ||
		    (unsigned char)got[size] != GUARD)
			fail_msg("line %d: \"%s\" size %zu: glibc \"%s\" (%d), lego \"%.*s\" (%d)",
				 line, fmt, size, want, wn, (int)min((size_t)gn, size),
				 got, gn);
		va_copy(aq, ap);
		cn = vscnprintf(size ? got : NULL, size, fmt, aq);
		va_end(aq);
		assert_int_equal(cn, size ? min((size_t)wn, size - 1) : 0);
		checks++;
	}
	va_end(ap);
}

#define CHECK(fmt, ...)		check_fmt(__LINE__, true, fmt, ##__VA_ARGS__)

static void test_integers(void **state)
{
	(void)state;
	CHECK("%d %i %u", 0, 0, 0);
	CHECK("%d|%i|%d", INT_MIN, INT_MAX, -1);
	CHECK("%u|%x|%X|%o", UINT_MAX, UINT_MAX, UINT_MAX, UINT_MAX);
	CHECK("%lld|%lld", LLONG_MIN, LLONG_MAX);
	CHECK("%llu|%llx|%llX|%llo", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	CHECK("%ld|%lu|%lx", LONG_MIN, ULONG_MAX, LONG_MIN);
	CHECK("%hhd|%hhu|%hhx|%hd|%hu|%hx", 300, 300, -1, 40000, 70000, -1);
	CHECK("%hhd|%hhd|%hd|%hd", 127, 128, 32767, 32768);
	CHECK("%zu|%zd|%zx|%td|%tx", (size_t)-1, (ssize_t)-5, (size_t)0xabc,
	      (ptrdiff_t)-7, (ptrdiff_t)255);
	CHECK("%jd|%ju", (intmax_t)LLONG_MIN, (uintmax_t)ULLONG_MAX);
}

static void test_zero_precision(void **state)
{
	(void)state;
	CHECK("[%.0d][%.0i][%.0u][%.0x][%.0X][%.0o]", 0, 0, 0, 0, 0, 0);
	CHECK("[%#.0x][%#.0o][%#o][%#x][%#X]", 0, 0, 0, 0, 0);
	CHECK("[%5.0d][%-5.0d][%+.0d][% .0d][%05.0d]", 0, 0, 0, 0, 0);
	CHECK("[%.0d][%.0d][%.d]", 1, -1, 0);
	CHECK("[%.0lld][%.0llu]", 0LL, 0ULL);
}

static void test_flags(void **state)
{
	(void)state;
	CHECK("[%-+8.3d][%08.3d][%-08d][%+08d][% 08d]", 5, 5, -5, 5, 5);
	CHECK("[%#08x][%#8X][%#-8x][%#08o][%#5o][%#.3o][%#.3o]", 0xab, 0xab, 0xab,
	      8, 8, 8, 01234);
	CHECK("[%+d][%+d][% d][% d][%+ d][% +d]", 0, -3, 0, -3, 4, 4);
	CHECK("[%+u][% u][%+x][% o]", 3, 3, 3, 3);
	CHECK("[%0-5d][%-05d][%00005d]", 1, 2, 3);
	CHECK("[%#x][%#X][%#o][%#llx]", 1, 0xdead, 1, 0x123456789abcdefULL);
	CHECK("[%020lld][%-20lld][%+20lld]", LLONG_MIN, LLONG_MIN, LLONG_MAX);
	CHECK("[%.30d][%40.30lld][%-40.30llx]", -1, LLONG_MIN, ULLONG_MAX);
}

static void test_star(void **state)
{
	(void)state;
	CHECK("[%*d][%-*d][%*d]", 5, 42, 5, 42, -5, 42);
	CHECK("[%.*d][%.*d][%.*d]", 3, 7, -3, 7, 0, 0);
	CHECK("[%*.*d][%-*.*x]", 8, 4, -12, -8, 4, 0xff);
	CHECK("[%*s][%.*s][%*.*s]", -6, "ab", 1, "xyz", 4, 2, "hello");
	CHECK("[%0*d][%0*d]", 6, -12, -6, -12);
}

static void test_chars_strings(void **state)
{
	char unterminated[3] = { 'a', 'b', 'c' };

	(void)state;
	CHECK("");
	CHECK("plain text, no conversions");
	CHECK("%%|%c%c|%s|%%%%", 'a', 'b', "str");
	CHECK("[%5s][%-5s][%.2s][%5.1s][%-5.1s][%.0s][%s]", "abc", "abc", "abc",
	      "abc", "abc", "abc", "");
	CHECK("[%10c][%-3c][%c]", 'z', 'y', 0x141);
	CHECK("a%cb", '\0');
	CHECK("[%.3s]", unterminated);
	CHECK("%s and %s, %d%%", "this", "that", 50);
	CHECK("%d %s %x %c %lld %u %o %-4s|", -1, "mixed", 0xbeef, '!', -2LL, 7u,
	      9, "ab");
}

/* Every flag set, width, precision, length and conversion on boundary values. */
static const long long values[] = {
	0, 1, -1, 7, 8, 10, 16, 42, 127, 128, -128, 255, 256, 32767, -32768,
	65535, 65536, INT_MAX, INT_MIN, UINT_MAX, 0x123456789LL, LLONG_MAX,
	LLONG_MIN, -2,
};

static void check_combo(const char *fmt, bool star_w, bool star_p, const char *len,
			long long v)
{
	int w = (int)rng_below(41) - 20, p = (int)rng_below(30) - 5;

#define CALL(T) do {							\
		if (star_w && star_p)					\
			check_fmt(__LINE__, false, fmt, w, p, (T)v);	\
		else if (star_w)					\
			check_fmt(__LINE__, false, fmt, w, (T)v);	\
		else if (star_p)					\
			check_fmt(__LINE__, false, fmt, p, (T)v);	\
		else							\
			check_fmt(__LINE__, false, fmt, (T)v);		\
	} while (0)

	if (!ref_strcmp(len, "l"))
		CALL(long);
	else if (!ref_strcmp(len, "ll"))
		CALL(long long);
	else if (!ref_strcmp(len, "z"))
		CALL(ssize_t);
	else if (!ref_strcmp(len, "t"))
		CALL(ptrdiff_t);
	else if (!ref_strcmp(len, "j"))
		CALL(intmax_t);
	else
		CALL(int);
#undef CALL
}

static void test_combinations(void **state)
{
	static const char *const widths[] = { "", "1", "6", "21", "*" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".5", ".22", ".*" };
	static const char *const lens[] = { "hh", "h", "", "l", "ll", "z", "t", "j" };
	static const char convs[] = "diuxXo";
	static const char flag_chars[] = "-+ #0";
	unsigned int flags, w, p, l, c, v;
	char fmt[64];

	(void)state;
	for (flags = 0; flags < 32; flags++)
		for (w = 0; w < ARRAY_SIZE(widths); w++)
			for (p = 0; p < ARRAY_SIZE(precs); p++)
				for (l = 0; l < ARRAY_SIZE(lens); l++)
					for (c = 0; c < sizeof(convs) - 1; c++) {
						char fl[6] = "";
						unsigned int i, n = 0;

						for (i = 0; i < 5; i++)
							if (flags & (1u << i))
								fl[n++] = flag_chars[i];
						fl[n] = '\0';
						ref_snprintf(fmt, sizeof(fmt), "<%%%s%s%s%s%c>", fl,
							     widths[w], precs[p], lens[l], convs[c]);
						for (v = 0; v < ARRAY_SIZE(values); v++)
							check_combo(fmt, w == 4, p == 6, lens[l],
								    values[v]);
					}
	printf("[   INFO   ] %lu comparisons with glibc so far\n", checks);
}

static void test_return_values(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(snprintf(NULL, 0, "%d", 12345), 5);
	assert_int_equal(snprintf(buf, 0, "%s", "abc"), 3);
	assert_int_equal(snprintf(buf, sizeof(buf), "%s", "a longer string here"), 20);
	assert_string_equal(buf, "a longer string");
	assert_int_equal(scnprintf(NULL, 0, "%d", 12345), 0);
	assert_int_equal(scnprintf(buf, 1, "abc"), 0);
	assert_string_equal(buf, "");
	assert_int_equal(scnprintf(buf, 3, "abc"), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(scnprintf(buf, 4, "abc"), 3);
	assert_int_equal(scnprintf(buf, sizeof(buf), "%s", "a longer string here"), 15);
	assert_int_equal(sprintf(buf, "%05d|%s", 42, "ok"), 8);
	assert_string_equal(buf, "00042|ok");
	/* Padding is counted, not written, beyond the buffer. */
	assert_int_equal(snprintf(buf, 8, "%*d", 100000, 1), 100000);
	assert_string_equal(buf, "       ");
	/* Widths and precisions are bounded, as in Linux. */
	assert_int_equal(snprintf(NULL, 0, "%*d", INT_MAX, 1), (1 << 23) - 1);
	assert_int_equal(snprintf(NULL, 0, "%.*d", 100000, 1), 32767);
}

/* Hidden from GCC, which warns about a literal NULL for %s. */
static const char *volatile null_string;

static void test_null_string(void **state)
{
	char buf[32];

	(void)state;
	snprintf(buf, sizeof(buf), "%s", null_string);
	assert_string_equal(buf, "(null)");
	snprintf(buf, sizeof(buf), "[%8s][%-8s][%.3s]", null_string, null_string,
		 null_string);
	assert_string_equal(buf, "[  (null)][(null)  ][(nu]");
}

/* Formats glibc would reject at compile time, kept out of -Wformat's sight. */
static const char *volatile unknown_fmt = "ab%yc%d";

static void test_unknown_conversion(void **state)
{
	char buf[16];

	(void)state;
	ref_memset(buf, GUARD, sizeof(buf));
	assert_int_equal(snprintf(buf, sizeof(buf), unknown_fmt, 1), 2);
	assert_string_equal(buf, "ab");
}

static void test_pointer(void **state)
{
	char buf[128];

	(void)state;
	snprintf(buf, sizeof(buf), "%p", NULL);
	assert_string_equal(buf, "0x0000000000000000");
	snprintf(buf, sizeof(buf), "%p|%p", (void *)0xdeadbeef,
		 (void *)0xffffffff81000000UL);
	assert_string_equal(buf, "0x00000000deadbeef|0xffffffff81000000");
	snprintf(buf, sizeof(buf), "[%20p][%-20p]", (void *)0x1, (void *)0x2);
	assert_string_equal(buf, "[  0x0000000000000001][0x0000000000000002  ]");
	/* Letters and digits after %p are an extension name; others are text. */
	snprintf(buf, sizeof(buf), "[%pK][%pX9][%p-x][%p,]", (void *)1, (void *)2,
		 (void *)3, (void *)4);
	assert_string_equal(buf, "[0x0000000000000001][0x0000000000000002]"
			    "[0x0000000000000003-x][0x0000000000000004,]");
	assert_int_equal(snprintf(NULL, 0, "%p", (void *)5), 18);
}

/* A fake symbol table: one function, "do_fork", at 0x1000..0x10ff. */
int lego_symbolize(unsigned long addr, char *buf, size_t len)
{
	if (addr < 0x1000 || addr >= 0x1100)
		return -ENOENT;
	ref_snprintf(buf, len, "do_fork+0x%lx/0x100", addr - 0x1000);
	return 0;
}

static void test_symbols(void **state)
{
	char buf[64];

	(void)state;
	snprintf(buf, sizeof(buf), "%pS", (void *)0x1010);
	assert_string_equal(buf, "do_fork+0x10/0x100");
	snprintf(buf, sizeof(buf), "%ps", (void *)0x1010);
	assert_string_equal(buf, "do_fork");
	snprintf(buf, sizeof(buf), "[%10ps][%-9ps]", (void *)0x1000, (void *)0x10ff);
	assert_string_equal(buf, "[   do_fork][do_fork  ]");
	snprintf(buf, sizeof(buf), "%pS", (void *)0x2000);
	assert_string_equal(buf, "0x0000000000002000");
	snprintf(buf, sizeof(buf), "%ps", (void *)0xfff);
	assert_string_equal(buf, "0x0000000000000fff");
	assert_int_equal(snprintf(buf, 4, "%pS", (void *)0x1001), 17);
	assert_string_equal(buf, "do_");
}

static void test_mac_ipv4(void **state)
{
	static const unsigned char mac[6] = { 0x00, 0x1b, 0x21, 0xab, 0xcd, 0xef };
	static const unsigned char ip[4] = { 192, 168, 1, 254 };
	static const unsigned char zero[4], ones[4] = { 255, 255, 255, 255 };
	char buf[64];

	(void)state;
	snprintf(buf, sizeof(buf), "%pM", mac);
	assert_string_equal(buf, "00:1b:21:ab:cd:ef");
	snprintf(buf, sizeof(buf), "%pI4", ip);
	assert_string_equal(buf, "192.168.1.254");
	snprintf(buf, sizeof(buf), "%pI4 %pI4", zero, ones);
	assert_string_equal(buf, "0.0.0.0 255.255.255.255");
	snprintf(buf, sizeof(buf), "[%16pI4][%-10pI4]", ip, zero);
	assert_string_equal(buf, "[   192.168.1.254][0.0.0.0   ]");
	snprintf(buf, sizeof(buf), "%pM|%pI4", NULL, NULL);
	assert_string_equal(buf, "(null)|(null)");
	assert_int_equal(snprintf(buf, 5, "%pM", mac), 17);
	assert_string_equal(buf, "00:1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_zero_precision),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_chars_strings),
		cmocka_unit_test(test_combinations),
		cmocka_unit_test(test_return_values),
		cmocka_unit_test(test_null_string),
		cmocka_unit_test(test_unknown_conversion),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_symbols),
		cmocka_unit_test(test_mac_ipv4),
	};

	host_test_seed("vsprintf");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
