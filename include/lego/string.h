/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory and string functions (lib/string.c).  The mem and str functions
 * follow ISO C; the others follow Linux:
 *
 *   strlcpy/strlcat  BSD semantics: return the length they tried to create.
 *   strscpy          copy at most size-1 bytes, always NUL-terminate (when
 *                    size > 0), return the length or -E2BIG on truncation.
 *   skip_spaces      first non-space character of a string.
 *   strim            cut trailing spaces in place, return skip_spaces().
 */
#ifndef _LEGO_STRING_H
#define _LEGO_STRING_H

#include <lego/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strpbrk(const char *s, const char *accept);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);

char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);
ssize_t strscpy(char *dst, const char *src, size_t size);
char *strcat(char *dst, const char *src);
size_t strlcat(char *dst, const char *src, size_t size);

char *strsep(char **stringp, const char *delim);
char *skip_spaces(const char *s);
char *strim(char *s);

#endif /* _LEGO_STRING_H */
