// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/string.c and <lego/ctype.h>: each function against
 * glibc on random inputs (all alignments and lengths around the 8-byte word
 * size, overlapping memmove in both directions), and the Linux-only ones
 * (strlcpy, strlcat, strscpy, strsep, skip_spaces, strim) against their
 * documented behaviour.  Buffers are allocated at their exact size so that
 * ASan catches any read or write past the end.
 */
#include "host_test.h"

#include <ctype.h>

/* glibc's versions, captured before lego_host_rename.h renames the names. */
static void *(*const ref_memmove)(void *, const void *, size_t) = memmove;
static void *(*const ref_memset)(void *, int, size_t) = memset;
static int (*const ref_memcmp)(const void *, const void *, size_t) = memcmp;
static void *(*const ref_memchr)(const void *, int, size_t) = memchr;
static size_t (*const ref_strlen)(const char *) = strlen;
static int (*const ref_strcmp)(const char *, const char *) = strcmp;
static int (*const ref_strncmp)(const char *, const char *, size_t) = strncmp;
static int (*const ref_strcasecmp)(const char *, const char *) = strcasecmp;
static int (*const ref_strncasecmp)(const char *, const char *, size_t) = strncasecmp;
static char *(*const ref_strchr)(const char *, int) = strchr;
static char *(*const ref_strrchr)(const char *, int) = strrchr;
static char *(*const ref_strstr)(const char *, const char *) = strstr;
static char *(*const ref_strpbrk)(const char *, const char *) = strpbrk;
static size_t (*const ref_strspn)(const char *, const char *) = strspn;
static size_t (*const ref_strcspn)(const char *, const char *) = strcspn;
static char *(*const ref_strncpy)(char *, const char *, size_t) = strncpy;

static int ref_isdigit(int c) { return isdigit(c); }
static int ref_islower(int c) { return islower(c); }
static int ref_isupper(int c) { return isupper(c); }
static int ref_isalpha(int c) { return isalpha(c); }
static int ref_isalnum(int c) { return isalnum(c); }
static int ref_isxdigit(int c) { return isxdigit(c); }
static int ref_isspace(int c) { return isspace(c); }
static int ref_iscntrl(int c) { return iscntrl(c); }
static int ref_isprint(int c) { return isprint(c); }
static int ref_ispunct(int c) { return ispunct(c); }
static int ref_tolower(int c) { return tolower(c); }
static int ref_toupper(int c) { return toupper(c); }

#include "lego_host_rename.h"

#include <lego/ctype.h>
#include <lego/errno.h>
#include <lego/string.h>

#define GUARD	0xa5
#define BIG	4200

/* A random string of @len characters from @alphabet, in an exact-size buffer. */
static char *random_string(size_t len, const char *alphabet)
{
	size_t n = ref_strlen(alphabet), i;
	char *s = malloc(len + 1);

	assert_non_null(s);
	for (i = 0; i < len; i++)
		s[i] = alphabet[rng_below(n)];
	s[len] = '\0';
	return s;
}

static const char *const alphabets[] = {
	"ab", "abcAB", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ \t",
	"a\x80\xff\x7f", "xyzXYZ019",
};

static const char *random_alphabet(void)
{
	return alphabets[rng_below(sizeof(alphabets) / sizeof(alphabets[0]))];
}

static size_t random_len(void)
{
	return rng_below(4) ? rng_below(40) : rng_below(300);
}

/* memcpy at every source/destination alignment, with guards either side. */
static void test_memcpy(void **state)
{
	static unsigned char src[BIG + 16], dst[BIG + 32], want[BIG + 32];
	size_t lens[] = { 0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 255, 4096, BIG };
	size_t so, doff, i;

	(void)state;
	rng_fill(src, sizeof(src));
	for (so = 0; so < 8; so++)
		for (doff = 0; doff < 8; doff++)
			for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
				size_t n = lens[i];

				ref_memset(dst, GUARD, sizeof(dst));
				ref_memset(want, GUARD, sizeof(want));
				ref_memmove(want + 8 + doff, src + so, n);
				assert_ptr_equal(memcpy(dst + 8 + doff, src + so, n),
						 dst + 8 + doff);
				assert_memory_equal(dst, want, sizeof(dst));
			}
}

/* memmove within one buffer, random overlapping windows, both directions. */
static void test_memmove_overlap(void **state)
{
	unsigned char got[600], want[600];
	int iter;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		size_t n = rng_below(4) ? rng_below(70) : rng_below(600);
		size_t from = rng_below(600 - n + 1), to = rng_below(600 - n + 1);

		if (iter % 3 == 0) {	/* overlap all but a few bytes */
			size_t delta = rng_below(11);

			if (iter & 1)
				to = from + delta <= 600 - n ? from + delta : from;
			else
				to = from >= delta ? from - delta : 0;
		}
		rng_fill(got, sizeof(got));
		ref_memmove(want, got, sizeof(got));
		ref_memmove(want + to, want + from, n);
		assert_ptr_equal(memmove(got + to, got + from, n), got + to);
		assert_memory_equal(got, want, sizeof(got));
	}
}

static void test_memset(void **state)
{
	static unsigned char got[BIG + 32], want[BIG + 32];
	const int values[] = { 0, 1, 0x7f, 0x80, 0xff, 0x1ab, -1 };
	size_t off, n, v;

	(void)state;
	for (v = 0; v < sizeof(values) / sizeof(values[0]); v++)
		for (off = 0; off < 9; off++)
			for (n = 0; n < 80; n += (n < 20 ? 1 : 7)) {
				ref_memset(got, GUARD, sizeof(got));
				ref_memset(want, GUARD, sizeof(want));
				ref_memset(want + off, values[v], n);
				assert_ptr_equal(memset(got + off, values[v], n), got + off);
				assert_memory_equal(got, want, sizeof(got));
			}
	memset(got + 3, 0x5c, BIG);
	ref_memset(want + 3, 0x5c, BIG);
	assert_memory_equal(got, want, sizeof(got));
}

static void test_memcmp_memchr(void **state)
{
	int iter;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		size_t n = random_len() + 1, pos = rng_below(n);
		unsigned char *a = malloc(n), *b = malloc(n);
		int c = (int)rng_below(256) - (iter & 1 ? 0 : 256);

		rng_fill(a, n);
		ref_memmove(b, a, n);
		assert_int_equal(memcmp(a, b, n), 0);
		if (iter & 1)
			b[pos] = (unsigned char)rng_next();
		assert_int_equal(sign_of(memcmp(a, b, n)), sign_of(ref_memcmp(a, b, n)));
		assert_int_equal(sign_of(memcmp(a, b, pos)), 0);
		assert_ptr_equal(memchr(a, c, n), ref_memchr(a, c, n));
		assert_ptr_equal(memchr(a, a[pos], n), ref_memchr(a, a[pos], n));
		assert_ptr_equal(memchr(a, c, 0), NULL);
		free(a);
		free(b);
	}
}

static void test_strlen_strnlen(void **state)
{
	size_t len, max;

	(void)state;
	for (len = 0; len < 70; len++) {
		char *s = random_string(len, "abc");

		assert_int_equal(strlen(s), len);
		for (max = 0; max < len + 3; max++)
			assert_int_equal(strnlen(s, max), max < len ? max : len);
		free(s);
	}
	/* strnlen must not read past @maxlen: no NUL in this buffer. */
	{
		char *raw = malloc(5);

		ref_memset(raw, 'x', 5);
		assert_int_equal(strnlen(raw, 5), 5);
		free(raw);
	}
}

static void check_compare(const char *a, const char *b)
{
	size_t n = rng_below(ref_strlen(a) + 3);

	assert_int_equal(sign_of(strcmp(a, b)), sign_of(ref_strcmp(a, b)));
	assert_int_equal(sign_of(strncmp(a, b, n)), sign_of(ref_strncmp(a, b, n)));
	assert_int_equal(sign_of(strcasecmp(a, b)), sign_of(ref_strcasecmp(a, b)));
	assert_int_equal(sign_of(strncasecmp(a, b, n)),
			 sign_of(ref_strncasecmp(a, b, n)));
}

static void test_compare(void **state)
{
	int iter;

	(void)state;
	check_compare("", "");
	check_compare("a", "");
	check_compare("", "a");
	check_compare("\x80", "a");
	check_compare("abc", "ABC");
	check_compare("abc", "abd");
	for (iter = 0; iter < 30000; iter++) {
		const char *alpha = random_alphabet();
		char *a = random_string(rng_below(12), alpha);
		char *b = random_string(rng_below(12), alpha);

		check_compare(a, b);
		check_compare(a, a);
		free(a);
		free(b);
	}
}

static void test_search(void **state)
{
	int iter;

	(void)state;
	assert_ptr_equal(strstr("abc", ""), ref_strstr("abc", ""));
	for (iter = 0; iter < 30000; iter++) {
		const char *alpha = random_alphabet();
		char *s = random_string(random_len(), alpha);
		char *set = random_string(rng_below(4), alpha);
		int c = iter % 5 ? (unsigned char)alpha[rng_below(ref_strlen(alpha))] :
			(int)rng_below(512) - 128;

		assert_ptr_equal(strchr(s, c), ref_strchr(s, c));
		assert_ptr_equal(strrchr(s, c), ref_strrchr(s, c));
		assert_ptr_equal(strstr(s, set), ref_strstr(s, set));
		assert_ptr_equal(strpbrk(s, set), ref_strpbrk(s, set));
		assert_int_equal(strspn(s, set), ref_strspn(s, set));
		assert_int_equal(strcspn(s, set), ref_strcspn(s, set));
		free(s);
		free(set);
	}
	/* Searching for NUL finds the terminator. */
	{
		const char *s = "abc";

		assert_ptr_equal(strchr(s, '\0'), s + 3);
		assert_ptr_equal(strrchr(s, '\0'), s + 3);
		assert_ptr_equal(strchr(s, 'a' + 256), s);
	}
}

static void test_copy(void **state)
{
	char got[64], want[64];
	int iter;

	(void)state;
	for (iter = 0; iter < 5000; iter++) {
		char *s = random_string(rng_below(30), "abcdef");
		size_t n = rng_below(40);

		ref_memset(got, GUARD, sizeof(got));
		ref_memset(want, GUARD, sizeof(want));
		ref_strncpy(want, s, n);
		assert_ptr_equal(strncpy(got, s, n), got);
		assert_memory_equal(got, want, sizeof(got));

		ref_memset(got, GUARD, sizeof(got));
		assert_ptr_equal(strcpy(got, s), got);
		assert_string_equal(got, s);
		assert_int_equal((unsigned char)got[ref_strlen(s) + 1], GUARD);

		got[rng_below(20)] = '\0';
		ref_memmove(want, got, sizeof(got));
		assert_ptr_equal(strcat(got, s), got);
		assert_int_equal(ref_strlen(got), ref_strlen(want) + ref_strlen(s));
		assert_memory_equal(got, want, ref_strlen(want));
		assert_string_equal(got + ref_strlen(want), s);
		free(s);
	}
}

/* strlcpy/strlcat: BSD semantics, checked against a direct description. */
static void test_strlcpy_strlcat(void **state)
{
	char buf[16];
	size_t size;

	(void)state;
	for (size = 0; size <= sizeof(buf); size++) {
		ref_memset(buf, GUARD, sizeof(buf));
		assert_int_equal(strlcpy(buf, "hello, world", size), 12);
		if (size) {
			size_t copied = size - 1 < 12 ? size - 1 : 12;

			assert_memory_equal(buf, "hello, world", copied);
			assert_int_equal(buf[copied], '\0');
			if (size < sizeof(buf))
				assert_int_equal((unsigned char)buf[size], GUARD);
		} else {
			assert_int_equal((unsigned char)buf[0], GUARD);
		}
	}
	for (size = 0; size <= sizeof(buf); size++) {
		ref_memset(buf, GUARD, sizeof(buf));
		ref_memmove(buf, "abc", 4);
		if (size <= 3) {
			/* No NUL within size: report size + strlen(src), touch nothing. */
			assert_int_equal(strlcat(buf, "defgh", size), size + 5);
			assert_memory_equal(buf, "abc", 4);
			continue;
		}
		assert_int_equal(strlcat(buf, "defgh", size), 8);
		assert_int_equal(ref_strlen(buf), size - 1 < 8 ? size - 1 : 8);
		assert_int_equal(ref_strncmp(buf, "abcdefgh", ref_strlen(buf)), 0);
	}
}

static void test_strscpy(void **state)
{
	char buf[8];
	char *raw;

	(void)state;
	ref_memset(buf, GUARD, sizeof(buf));
	assert_int_equal(strscpy(buf, "abc", 0), -E2BIG);
	assert_int_equal((unsigned char)buf[0], GUARD);
	assert_int_equal(strscpy(buf, "", 1), 0);
	assert_string_equal(buf, "");
	assert_int_equal(strscpy(buf, "abc", 1), -E2BIG);
	assert_string_equal(buf, "");
	assert_int_equal(strscpy(buf, "abc", 4), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(strscpy(buf, "abcd", 4), -E2BIG);
	assert_string_equal(buf, "abc");
	assert_int_equal(strscpy(buf, "abcdefg", sizeof(buf)), 7);
	assert_int_equal(strscpy(buf, "abcdefgh", sizeof(buf)), -E2BIG);
	assert_string_equal(buf, "abcdefg");
	/* The source need not be terminated within @size bytes. */
	raw = malloc(6);
	ref_memmove(raw, "unterm", 6);
	assert_int_equal(strscpy(buf, raw, 6), -E2BIG);
	assert_string_equal(buf, "unter");
	free(raw);
}

static void test_strsep(void **state)
{
	char text[] = "a,b;;c,";
	char one[] = "word";
	char *p = text;

	(void)state;
	assert_string_equal(strsep(&p, ",;"), "a");
	assert_string_equal(strsep(&p, ",;"), "b");
	assert_string_equal(strsep(&p, ",;"), "");
	assert_string_equal(strsep(&p, ",;"), "c");
	assert_string_equal(strsep(&p, ",;"), "");
	assert_null(p);
	assert_null(strsep(&p, ",;"));

	p = one;
	assert_string_equal(strsep(&p, " "), "word");
	assert_null(p);
}

static void test_spaces(void **state)
{
	char a[] = "  \t hello world \n\r ";
	char b[] = "   ";
	char c[] = "";
	char d[] = "x";

	(void)state;
	assert_string_equal(skip_spaces("\v\f x "), "x ");
	assert_string_equal(skip_spaces(""), "");
	assert_string_equal(strim(a), "hello world");
	assert_ptr_equal(strim(a), a + 4);
	assert_string_equal(strim(b), "");
	assert_string_equal(strim(c), "");
	assert_ptr_equal(strim(d), d);
	assert_string_equal(d, "x");
}

struct ctype_pair {
	const char *name;
	int (*ref)(int);
	int (*lego)(int);
	bool exact;	/* compare values, not just truth */
};

static int lego_isdigit_fn(int c) { return isdigit(c); }
static int lego_islower_fn(int c) { return islower(c); }
static int lego_isupper_fn(int c) { return isupper(c); }
static int lego_isalpha_fn(int c) { return isalpha(c); }
static int lego_isalnum_fn(int c) { return isalnum(c); }
static int lego_isxdigit_fn(int c) { return isxdigit(c); }
static int lego_isspace_fn(int c) { return isspace(c); }
static int lego_iscntrl_fn(int c) { return iscntrl(c); }
static int lego_isprint_fn(int c) { return isprint(c); }
static int lego_ispunct_fn(int c) { return ispunct(c); }
static int lego_tolower_fn(int c) { return tolower(c); }
static int lego_toupper_fn(int c) { return toupper(c); }

/* <lego/ctype.h> is the C locale: glibc's answers for -1 (EOF) .. 255. */
static void test_ctype(void **state)
{
	static const struct ctype_pair pairs[] = {
		{ "isdigit", ref_isdigit, lego_isdigit_fn, false },
		{ "islower", ref_islower, lego_islower_fn, false },
		{ "isupper", ref_isupper, lego_isupper_fn, false },
		{ "isalpha", ref_isalpha, lego_isalpha_fn, false },
		{ "isalnum", ref_isalnum, lego_isalnum_fn, false },
		{ "isxdigit", ref_isxdigit, lego_isxdigit_fn, false },
		{ "isspace", ref_isspace, lego_isspace_fn, false },
		{ "iscntrl", ref_iscntrl, lego_iscntrl_fn, false },
		{ "isprint", ref_isprint, lego_isprint_fn, false },
		{ "ispunct", ref_ispunct, lego_ispunct_fn, false },
		{ "tolower", ref_tolower, lego_tolower_fn, true },
		{ "toupper", ref_toupper, lego_toupper_fn, true },
	};
	size_t i;
	int c;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		for (c = -1; c < 256; c++) {
			int want = pairs[i].ref(c), got = pairs[i].lego(c);

			if (!pairs[i].exact) {
				want = !!want;
				got = !!got;
			}
			if (want != got)
				fail_msg("%s(%d): glibc %d, lego %d", pairs[i].name, c,
					 want, got);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy),
		cmocka_unit_test(test_memmove_overlap),
		cmocka_unit_test(test_memset),
		cmocka_unit_test(test_memcmp_memchr),
		cmocka_unit_test(test_strlen_strnlen),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_strlcpy_strlcat),
		cmocka_unit_test(test_strscpy),
		cmocka_unit_test(test_strsep),
		cmocka_unit_test(test_spaces),
		cmocka_unit_test(test_ctype),
	};

	host_test_seed("string");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
