/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everyday kernel helpers: printf-style formatting into buffers
 * (lib/vsprintf.c) and string-to-number parsing (lib/kstrtox.c).
 *
 * Formatting follows C99 snprintf for %d %i %u %x %X %o %c %s %% with the
 * flags "-0+ #", width and precision (both may be '*') and the length
 * modifiers hh h l ll z t j.  As in C99 (unlike Linux), "%#x" of 0 is "0":
 * write "0x%x" where the prefix must always appear.  Kernel differences
 * and extensions:
 *
 *   %s of NULL  prints "(null)"
 *   %p          0x and 16 hex digits, never shortened
 *   %pS / %ps   symbol as "name+0xoff/0xsize" / "name", through
 *               lego_symbolize(); the raw %p form when it has no answer
 *   %pM         6-byte MAC address "aa:bb:cc:dd:ee:ff"
 *   %pI4        IPv4 address from 4 bytes in network order, "10.0.0.1"
 *   %n, wide characters and floating point are not supported: formatting
 *   stops at the first conversion it does not know.
 *
 * Letters and digits right after %p select an extension, so write "%p " or
 * "%p," rather than "%pfoo".  Return values are C99's: the length the whole
 * output would have, whatever the buffer size; the *scnprintf forms return
 * what was stored, without the NUL.
 */
#ifndef _LEGO_KERNEL_H
#define _LEGO_KERNEL_H

#include <lego/compiler.h>
#include <lego/printk.h>
#include <lego/stdarg.h>
#include <lego/string.h>
#include <lego/types.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vscnprintf(char *buf, size_t size, const char *fmt, va_list args);
__printf(3, 4) int scnprintf(char *buf, size_t size, const char *fmt, ...);
int vsprintf(char *buf, const char *fmt, va_list args);
__printf(2, 3) int sprintf(char *buf, const char *fmt, ...);

/*
 * Symbol lookup for %pS/%ps: write "name+0xoff/0xsize" for @addr into @buf
 * (at most @len bytes, NUL included) and return 0, or return -ENOENT.  The
 * weak default in lib/vsprintf.c knows no symbols; kallsyms overrides it.
 */
int lego_symbolize(unsigned long addr, char *buf, size_t len);

/*
 * String to integer, with Linux semantics: the whole string must be one
 * number, optionally followed by a single '\n'.  A leading '+' is accepted
 * ('-' too for the signed forms).  Base 0 means 16 after "0x", 8 after "0",
 * 10 otherwise; base 16 also accepts a "0x" prefix.  No spaces.
 * Return 0, -EINVAL (empty or junk) or -ERANGE (does not fit *res).
 */
int __must_check kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int __must_check kstrtoll(const char *s, unsigned int base, long long *res);
int __must_check kstrtoul(const char *s, unsigned int base, unsigned long *res);
int __must_check kstrtol(const char *s, unsigned int base, long *res);
int __must_check kstrtouint(const char *s, unsigned int base, unsigned int *res);
int __must_check kstrtoint(const char *s, unsigned int base, int *res);
int __must_check kstrtou16(const char *s, unsigned int base, u16 *res);
int __must_check kstrtou8(const char *s, unsigned int base, u8 *res);

/*
 * "y", "Y", "t", "T", "1", "on" are true; "n", "N", "f", "F", "0", "off"
 * are false (only the first one or two characters are looked at).
 */
int __must_check kstrtobool(const char *s, bool *res);

/*
 * A size such as "4096", "0x1000", "64K", "2M", "1G" or "1t": an unsigned
 * number in base 0 (no sign), then an optional binary suffix K, M, G or T
 * (either case) and an optional '\n'.  Return 0, -EINVAL or -ERANGE.
 */
int __must_check parse_size(const char *s, u64 *out);

#endif /* _LEGO_KERNEL_H */
