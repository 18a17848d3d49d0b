// SPDX-License-Identifier: GPL-2.0
/*
 * Memory and string functions for the kernel (declared in <lego/string.h>).
 *
 * memcpy and memset are the hot ones (page copies, packet buffers): on x86-64
 * they use "rep movsq"/"rep stosq" for the bulk and the byte form for the
 * tail, which current CPUs run at cache bandwidth.  Everything else, and both
 * of those when built for the host unit tests (LEGO_HOST_TEST, where
 * tests/host/lego_host_rename.h turns every name here into lego_<name>), is
 * plain C that copies 8 bytes at a time when both pointers allow it.
 *
 * Nothing here may end up calling itself: GCC can turn a plain byte loop
 * into a call to memset/memcpy/memmove.  The x86 paths are asm, and with
 * -ffreestanding at -O2 (GCC 12) the object has no calls to any of the
 * three (check with "objdump -dr" after touching the loops).
 */
#include <lego/compiler.h>
#include <lego/ctype.h>
#include <lego/errno.h>
#include <lego/string.h>
#include <lego/types.h>

/* A u64 that may alias any object, for the word-at-a-time loops. */
typedef u64 __attribute__((__may_alias__)) word_t;

#define WORD_SIZE	sizeof(word_t)

static bool words_aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD_SIZE - 1)) == 0;
}

/* Forward copy, correct also for overlapping buffers when dst <= src. */
static void copy_forward(u8 *d, const u8 *s, size_t n)
{
	if (words_aligned(d, s)) {
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			*(word_t *)d = *(const word_t *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
		}
	}
	while (n--)
		*d++ = *s++;
}

/* Backward copy, correct also for overlapping buffers when dst >= src. */
static void copy_backward(u8 *d, const u8 *s, size_t n)
{
	d += n;
	s += n;
	if (words_aligned(d, s)) {
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(word_t *)d = *(const word_t *)s;
		}
	}
	while (n--)
		*--d = *--s;
}

#if defined(__x86_64__) && !defined(LEGO_HOST_TEST)
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned long rcx, rdi, rsi;

	asm volatile("rep movsq\n\t"
		     "movq %4, %%rcx\n\t"
		     "rep movsb"
		     : "=&c"(rcx), "=&D"(rdi), "=&S"(rsi)
		     : "0"(n / 8), "r"(n % 8), "1"(dst), "2"(src)
		     : "memory");
	return dst;
}

void *memset(void *s, int c, size_t n)
{
	unsigned long pattern = 0x0101010101010101UL * (u8)c;
	unsigned long rcx, rdi;

	asm volatile("rep stosq\n\t"
		     "movq %3, %%rcx\n\t"
		     "rep stosb"
		     : "=&c"(rcx), "=&D"(rdi)
		     : "0"(n / 8), "r"(n % 8), "a"(pattern), "1"(s)
		     : "memory");
	return s;
}
#else
void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memset(void *s, int c, size_t n)
{
	word_t pattern = 0x0101010101010101ULL * (u8)c;
	u8 *p = s;

	for (; n && ((uintptr_t)p & (WORD_SIZE - 1)); n--)
		*p++ = (u8)c;
	for (; n >= WORD_SIZE; n -= WORD_SIZE) {
		*(word_t *)p = pattern;
		p += WORD_SIZE;
	}
	while (n--)
		*p++ = (u8)c;
	return s;
}
#endif

void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

	if (d + n <= s || s + n <= d)
		return memcpy(dst, src, n);
	if (d <= s)
		copy_forward(dst, src, n);
	else
		copy_backward(dst, src, n);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++) {
		if (*p == (u8)c)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			break;
	}
	return 0;
}

int strcasecmp(const char *a, const char *b)
{
	return strncasecmp(a, b, (size_t)-1);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		int ca = tolower((u8)*a), cb = tolower((u8)*b);

		if (ca != cb)
			return ca - cb;
		if (!ca)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++) {
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	}
	return n ? NULL : (char *)haystack;
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

char *strcpy(char *dst, const char *src)
{
	memcpy(dst, src, strlen(src) + 1);
	return dst;
}

char *strncpy(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n);

	memcpy(dst, src, len);
	memset(dst + len, 0, n - len);
	return dst;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t copy = len < size ? len : size - 1;

		memcpy(dst, src, copy);
		dst[copy] = '\0';
	}
	return len;
}

ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (!size)
		return -E2BIG;
	len = strnlen(src, size);
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

char *strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

size_t strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size)
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}

char *strsep(char **stringp, const char *delim)
{
	char *start = *stringp, *end;

	if (!start)
		return NULL;
	end = strpbrk(start, delim);
	if (end)
		*end++ = '\0';
	*stringp = end;
	return start;
}

char *skip_spaces(const char *s)
{
	while (isspace((u8)*s))
		s++;
	return (char *)s;
}

char *strim(char *s)
{
	size_t len = strlen(s);

	while (len && isspace((u8)s[len - 1]))
		len--;
	s[len] = '\0';
	return skip_spaces(s);
}
