/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Variable argument lists for a -nostdinc kernel: the compiler builtins that
 * the C library's <stdarg.h> wraps.  Host unit tests take the real header so
 * that va_list is the same type on both sides of a call into lib/.
 */
#ifndef _LEGO_STDARG_H
#define _LEGO_STDARG_H

#ifdef LEGO_HOST_TEST
#include <stdarg.h>
#else
typedef __builtin_va_list va_list;

#define va_start(ap, last)	__builtin_va_start(ap, last)
#define va_arg(ap, type)	__builtin_va_arg(ap, type)
#define va_end(ap)		__builtin_va_end(ap)
#define va_copy(dst, src)	__builtin_va_copy(dst, src)
#endif

#endif /* _LEGO_STDARG_H */
