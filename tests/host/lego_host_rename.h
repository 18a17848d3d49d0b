/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-test shim: lets kernel code and glibc live in one test executable.
 *
 * lib/string.c and lib/vsprintf.c define memcpy, snprintf and friends.  In
 * a hosted binary those would replace glibc's (and the sanitizers' own
 * interceptors), so the Makefile force-includes this file (-include) into
 * every kernel source built for the host, renaming each such symbol to
 * lego_<name>.  Test files include it themselves, after their libc headers
 * and before any <lego/...> header, so that
 *
 *	memcpy(...)        in a test calls the kernel's version (lego_memcpy),
 *	a wrapper defined  before the #include still reaches glibc's,
 *
 * which is how the tests compare the two.  A new kernel function whose name
 * clashes with libc gets one more line here.
 */
#ifndef _LEGO_HOST_RENAME_H
#define _LEGO_HOST_RENAME_H

/* lib/string.c */
#define memcpy		lego_memcpy
#define memmove		lego_memmove
#define memset		lego_memset
#define memcmp		lego_memcmp
#define memchr		lego_memchr
#define strlen		lego_strlen
#define strnlen		lego_strnlen
#define strcmp		lego_strcmp
#define strncmp		lego_strncmp
#define strcasecmp	lego_strcasecmp
#define strncasecmp	lego_strncasecmp
#define strchr		lego_strchr
#define strrchr		lego_strrchr
#define strstr		lego_strstr
#define strpbrk		lego_strpbrk
#define strspn		lego_strspn
#define strcspn		lego_strcspn
#define strcpy		lego_strcpy
#define strncpy		lego_strncpy
#define strlcpy		lego_strlcpy
#define strscpy		lego_strscpy
#define strcat		lego_strcat
#define strlcat		lego_strlcat
#define strsep		lego_strsep

/* lib/vsprintf.c */
#define vsnprintf	lego_vsnprintf
#define snprintf	lego_snprintf
#define vscnprintf	lego_vscnprintf
#define scnprintf	lego_scnprintf
#define vsprintf	lego_vsprintf
#define sprintf		lego_sprintf

/* <lego/ctype.h>: glibc's <ctype.h> makes these macros. */
#undef isdigit
#undef islower
#undef isupper
#undef isalpha
#undef isalnum
#undef isxdigit
#undef isspace
#undef iscntrl
#undef isprint
#undef ispunct
#undef tolower
#undef toupper
#define isdigit		lego_isdigit
#define islower		lego_islower
#define isupper		lego_isupper
#define isalpha		lego_isalpha
#define isalnum		lego_isalnum
#define isxdigit	lego_isxdigit
#define isspace		lego_isspace
#define iscntrl		lego_iscntrl
#define isprint		lego_isprint
#define ispunct		lego_ispunct
#define tolower		lego_tolower
#define toupper		lego_toupper

/*
 * glibc's <sys/cdefs.h> and <stddef.h> define these too, differently
 * spelt; <lego/compiler.h> redefines them after this.
 */
#undef __always_inline
#undef offsetof

#endif /* _LEGO_HOST_RENAME_H */
