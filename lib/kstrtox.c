// SPDX-License-Identifier: GPL-2.0
/*
 * Strict string to integer conversion: kstrto*(), kstrtobool() and
 * parse_size() (declared, with their rules, in <lego/kernel.h>).
 *
 * Boot parameters, configuration files and RPC payloads come from outside,
 * so unlike strtoul() these accept nothing but a number (and one '\n'),
 * never wrap around, and say which of "not a number" (-EINVAL) or "too
 * big" (-ERANGE) went wrong.  Everything is built on kstrtoull(); the
 * narrower types range-check its result.
 */
#include <lego/compiler.h>
#include <lego/ctype.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/types.h>

/* Value of a digit in bases up to 16; 16 for anything that is not one. */
static unsigned int digit_value(char c)
{
	if (isdigit((u8)c))
		return c - '0';
	c = tolower((u8)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return 16;
}

/* Settle base 0 from the prefix, and step over a "0x" in base 16. */
static const char *parse_radix(const char *s, unsigned int *base)
{
	if (*base == 0) {
		if (s[0] == '0' && tolower((u8)s[1]) == 'x' && isxdigit((u8)s[2]))
			*base = 16;
		else if (s[0] == '0')
			*base = 8;
		else
			*base = 10;
	}
	if (*base == 16 && s[0] == '0' && tolower((u8)s[1]) == 'x')
		s += 2;
	return s;
}

/*
 * The digits at *@sp, in @base; moves *@sp past them.  -EINVAL if there
 * are none, -ERANGE if they do not fit in 64 bits.
 */
static int parse_digits(const char **sp, unsigned int base,
			unsigned long long *res)
{
	const char *s = *sp;
	unsigned long long val = 0;
	bool overflow = false;
	unsigned int d;

	for (; (d = digit_value(*s)) < base; s++) {
		if (val > (U64_MAX - d) / base)
			overflow = true;
		val = val * base + d;
	}
	if (s == *sp)
		return -EINVAL;
	*sp = s;
	*res = val;
	return overflow ? -ERANGE : 0;
}

/* Only an optional newline may follow the number. */
static int parse_end(const char *s)
{
	if (*s == '\n')
		s++;
	return *s ? -EINVAL : 0;
}

/* kstrtoull() without the leading '+'. */
static int parse_ull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long val;
	int ret;

	if (base == 1 || base > 16)
		return -EINVAL;
	s = parse_radix(s, &base);
	ret = parse_digits(&s, base, &val);
	if (!ret)
		ret = parse_end(s);
	if (!ret)
		*res = val;
	return ret;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (*s == '+')
		s++;
	return parse_ull(s, base, res);
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long val;
	int ret;

	if (*s != '-') {
		ret = kstrtoull(s, base, &val);
		if (!ret && val > (unsigned long long)S64_MAX)
			ret = -ERANGE;
		if (!ret)
			*res = val;
		return ret;
	}
	ret = parse_ull(s + 1, base, &val);
	if (!ret && val > (unsigned long long)S64_MAX + 1)
		ret = -ERANGE;
	if (!ret)
		*res = (long long)(0ULL - val);
	return ret;
}

/* kstrtoull() limited to @max, for the narrower unsigned types. */
static int kstrtou_max(const char *s, unsigned int base,
		       unsigned long long max, unsigned long long *res)
{
	int ret = kstrtoull(s, base, res);

	if (!ret && *res > max)
		ret = -ERANGE;
	return ret;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long val;
	int ret = kstrtou_max(s, base, ULONG_MAX, &val);

	if (!ret)
		*res = val;
	return ret;
}

int kstrtol(const char *s, unsigned int base, long *res)
{
	long long val;
	int ret = kstrtoll(s, base, &val);

	if (!ret && (val < LONG_MIN || val > LONG_MAX))
		ret = -ERANGE;
	if (!ret)
		*res = val;
	return ret;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long val;
	int ret = kstrtou_max(s, base, UINT_MAX, &val);

	if (!ret)
		*res = val;
	return ret;
}

int kstrtou16(const char *s, unsigned int base, u16 *res)
{
	unsigned long long val;
	int ret = kstrtou_max(s, base, U16_MAX, &val);

	if (!ret)
		*res = val;
	return ret;
}

int kstrtou8(const char *s, unsigned int base, u8 *res)
{
	unsigned long long val;
	int ret = kstrtou_max(s, base, U8_MAX, &val);

	if (!ret)
		*res = val;
	return ret;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long val;
	int ret = kstrtoll(s, base, &val);

	if (!ret && (val < INT_MIN || val > INT_MAX))
		ret = -ERANGE;
	if (!ret)
		*res = val;
	return ret;
}

int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (tolower((u8)s[1]) == 'n' || tolower((u8)s[1]) == 'f') {
			*res = tolower((u8)s[1]) == 'n';
			return 0;
		}
		return -EINVAL;
	default:
		return -EINVAL;
	}
}

/* Bit shift for a K/M/G/T suffix, 0 for anything else. */
static unsigned int size_suffix_shift(char c)
{
	switch (tolower((u8)c)) {
	case 'k':
		return 10;
	case 'm':
		return 20;
	case 'g':
		return 30;
	case 't':
		return 40;
	default:
		return 0;
	}
}

int parse_size(const char *s, u64 *out)
{
	unsigned long long val;
	unsigned int base = 0, shift;
	int ret;

	s = parse_radix(s, &base);
	ret = parse_digits(&s, base, &val);
	if (ret)
		return ret;
	shift = size_suffix_shift(*s);
	if (shift)
		s++;
	ret = parse_end(s);
	if (ret)
		return ret;
	if (val > (U64_MAX >> shift))
		return -ERANGE;
	*out = val << shift;
	return 0;
}
