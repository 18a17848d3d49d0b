// SPDX-License-Identifier: GPL-2.0
/*
 * printf-style formatting into a bounded buffer: vsnprintf() and the wrappers
 * declared in <lego/kernel.h>, which also lists the conversions.
 *
 * vsnprintf() walks the format once.  Each conversion is parsed into a
 * struct fmt_spec, its argument is fetched, and its text goes to a struct
 * fmt_out, which stores what fits and counts everything, so that the return
 * value is the C99 one however small the buffer (even size 0 with a NULL
 * buffer).  Numbers follow C99 exactly (the host tests compare with glibc);
 * %p and its extensions follow Linux.
 */
#include <lego/compiler.h>
#include <lego/ctype.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/stdarg.h>
#include <lego/string.h>
#include <lego/types.h>

#define FMT_LEFT	0x01	/* '-': pad on the right */
#define FMT_PLUS	0x02	/* '+': sign even when positive */
#define FMT_SPACE	0x04	/* ' ': space where a '+' would go */
#define FMT_ALT		0x08	/* '#': 0x prefix, leading octal zero */
#define FMT_ZERO	0x10	/* '0': pad numbers with zeros */
#define FMT_SIGNED	0x20	/* %d and %i */
#define FMT_UPPER	0x40	/* %X */

/* Bounds on width and precision, so a bad format cannot loop for long. */
#define FMT_WIDTH_MAX	((1 << 23) - 1)
#define FMT_PREC_MAX	32767

enum fmt_len {
	LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF,
};

struct fmt_spec {
	unsigned int flags;
	int width;		/* -1 when absent */
	int precision;		/* -1 when absent */
	enum fmt_len len;
	unsigned int base;
};

struct fmt_out {
	char *buf;
	size_t size;
	size_t pos;		/* characters produced so far, stored or not */
};

static void out_char(struct fmt_out *out, char c)
{
	if (out->pos < out->size)
		out->buf[out->pos] = c;
	out->pos++;
}

static void out_repeat(struct fmt_out *out, char c, int n)
{
	for (; n > 0 && out->pos < out->size; n--)
		out->buf[out->pos++] = c;
	if (n > 0)
		out->pos += n;
}

static void out_mem(struct fmt_out *out, const char *s, size_t n)
{
	size_t room = out->pos < out->size ? out->size - out->pos : 0;

	if (room)
		memcpy(out->buf + out->pos, s, n < room ? n : room);
	out->pos += n;
}

/* @s (@n bytes) in a field of spec->width, padded with spaces. */
static void out_field(struct fmt_out *out, const struct fmt_spec *spec,
		      const char *s, size_t n)
{
	int pad = spec->width > (int)n ? spec->width - (int)n : 0;

	if (!(spec->flags & FMT_LEFT))
		out_repeat(out, ' ', pad);
	out_mem(out, s, n);
	if (spec->flags & FMT_LEFT)
		out_repeat(out, ' ', pad);
}

/* Digits of @val in @base, least significant first; returns their count. */
static int put_digits(char *digits, unsigned long long val, unsigned int base,
		      bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		digits[n++] = set[val % base];
		val /= base;
	} while (val);
	return n;
}

/* The sign or "0x" that goes before the zeros and digits of a number. */
static int number_prefix(char *prefix, const struct fmt_spec *spec,
			 unsigned long long val, bool negative)
{
	int n = 0;

	if (spec->flags & FMT_SIGNED) {
		if (negative)
			prefix[n++] = '-';
		else if (spec->flags & FMT_PLUS)
			prefix[n++] = '+';
		else if (spec->flags & FMT_SPACE)
			prefix[n++] = ' ';
	} else if (spec->base == 16 && (spec->flags & FMT_ALT) && val) {
		prefix[n++] = '0';
		prefix[n++] = spec->flags & FMT_UPPER ? 'X' : 'x';
	}
	return n;
}

static void format_number(struct fmt_out *out, const struct fmt_spec *spec,
			  unsigned long long val, bool negative)
{
	char digits[24], prefix[2];
	int ndigits = 0, nprefix, zeros, pad;
	int precision = spec->precision;

	if (val || precision != 0)
		ndigits = put_digits(digits, val, spec->base,
				     spec->flags & FMT_UPPER);
	/* %#o: the first digit must be a zero. */
	if (spec->base == 8 && (spec->flags & FMT_ALT) &&
	    (!ndigits || digits[ndigits - 1] != '0') && precision <= ndigits)
		precision = ndigits + 1;
	nprefix = number_prefix(prefix, spec, val, negative);
	zeros = precision > ndigits ? precision - ndigits : 0;
	pad = spec->width - (nprefix + zeros + ndigits);
	if (pad > 0 && (spec->flags & (FMT_ZERO | FMT_LEFT)) == FMT_ZERO &&
	    spec->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(spec->flags & FMT_LEFT))
		out_repeat(out, ' ', pad);
	out_mem(out, prefix, nprefix);
	out_repeat(out, '0', zeros);
	while (ndigits)
		out_char(out, digits[--ndigits]);
	if (spec->flags & FMT_LEFT)
		out_repeat(out, ' ', pad);
}

static long long fetch_signed(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return va_arg(*ap, ssize_t);
	case LEN_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long fetch_unsigned(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	case LEN_PTRDIFF:
		return (unsigned long long)va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static void format_integer(struct fmt_out *out, const struct fmt_spec *spec,
			   va_list *ap)
{
	unsigned long long val;
	bool negative = false;

	if (spec->flags & FMT_SIGNED) {
		long long sval = fetch_signed(ap, spec->len);

		negative = sval < 0;
		/* Negate in unsigned arithmetic: -LLONG_MIN overflows. */
		val = negative ? 0ULL - (unsigned long long)sval : (unsigned long long)sval;
	} else {
		val = fetch_unsigned(ap, spec->len);
	}
	format_number(out, spec, val, negative);
}

static void format_string(struct fmt_out *out, const struct fmt_spec *spec,
			  const char *s)
{
	if (!s)
		s = "(null)";
	out_field(out, spec, s, spec->precision < 0 ? strlen(s) :
		  strnlen(s, spec->precision));
}

/* "0x" and 16 hex digits, into @buf of at least 19 bytes; returns 18. */
static int pointer_digits(char *buf, unsigned long addr)
{
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 17; i >= 2; i--, addr >>= 4)
		buf[i] = "0123456789abcdef"[addr & 0xf];
	buf[18] = '\0';
	return 18;
}

static void format_symbol(struct fmt_out *out, const struct fmt_spec *spec,
			  unsigned long addr, bool offset)
{
	char sym[128];
	size_t n;

	if (lego_symbolize(addr, sym, sizeof(sym)) < 0) {
		out_field(out, spec, sym, pointer_digits(sym, addr));
		return;
	}
	sym[sizeof(sym) - 1] = '\0';
	n = offset ? strlen(sym) : strcspn(sym, "+");
	out_field(out, spec, sym, n);
}

static void format_mac(struct fmt_out *out, const struct fmt_spec *spec,
		       const u8 *mac)
{
	char buf[18];
	int i;

	for (i = 0; i < 6; i++) {
		buf[3 * i] = "0123456789abcdef"[mac[i] >> 4];
		buf[3 * i + 1] = "0123456789abcdef"[mac[i] & 0xf];
		buf[3 * i + 2] = ':';
	}
	out_field(out, spec, buf, 17);
}

static void format_ipv4(struct fmt_out *out, const struct fmt_spec *spec,
			const u8 *addr)
{
	char buf[16], digits[3];
	int i, n, len = 0;

	for (i = 0; i < 4; i++) {
		n = put_digits(digits, addr[i], 10, false);
		while (n)
			buf[len++] = digits[--n];
		buf[len++] = '.';
	}
	out_field(out, spec, buf, len - 1);
}

enum ptr_ext { PTR_PLAIN, PTR_SYMBOL, PTR_SYMBOL_NAME, PTR_MAC, PTR_IPV4 };

static enum ptr_ext pointer_extension(const char *ext, size_t len)
{
	if (len == 1 && *ext == 'S')
		return PTR_SYMBOL;
	if (len == 1 && *ext == 's')
		return PTR_SYMBOL_NAME;
	if (len == 1 && *ext == 'M')
		return PTR_MAC;
	if (len == 2 && !strncmp(ext, "I4", 2))
		return PTR_IPV4;
	return PTR_PLAIN;
}

/*
 * %p and its extensions; @fmt points just after the 'p'.  As in Linux, all
 * the letters and digits after the 'p' name the extension; an unknown one
 * prints the plain pointer.  Returns where the literal text resumes.
 */
static const char *format_pointer(struct fmt_out *out, const struct fmt_spec *spec,
				  const char *fmt, const void *ptr)
{
	const char *ext = fmt;
	enum ptr_ext kind;
	char buf[19];

	while (isalnum((u8)*fmt))
		fmt++;
	kind = pointer_extension(ext, fmt - ext);
	if ((kind == PTR_MAC || kind == PTR_IPV4) && !ptr)
		format_string(out, spec, NULL);
	else if (kind == PTR_MAC)
		format_mac(out, spec, ptr);
	else if (kind == PTR_IPV4)
		format_ipv4(out, spec, ptr);
	else if (kind != PTR_PLAIN)
		format_symbol(out, spec, (unsigned long)ptr, kind == PTR_SYMBOL);
	else
		out_field(out, spec, buf, pointer_digits(buf, (unsigned long)ptr));
	return fmt;
}

static const char *parse_flags(const char *fmt, struct fmt_spec *spec)
{
	for (;; fmt++) {
		switch (*fmt) {
		case '-':
			spec->flags |= FMT_LEFT;
			break;
		case '+':
			spec->flags |= FMT_PLUS;
			break;
		case ' ':
			spec->flags |= FMT_SPACE;
			break;
		case '#':
			spec->flags |= FMT_ALT;
			break;
		case '0':
			spec->flags |= FMT_ZERO;
			break;
		default:
			return fmt;
		}
	}
}

/* A decimal width or precision, or '*' to take it from the arguments. */
static const char *parse_count(const char *fmt, int *count, int max, va_list *ap)
{
	long n = 0;

	if (*fmt == '*') {
		n = va_arg(*ap, int);
		fmt++;
	} else {
		for (; isdigit((u8)*fmt); fmt++)
			n = n < max ? n * 10 + (*fmt - '0') : n;
	}
	*count = n > max ? max : n < -max ? -max : n;
	return fmt;
}

static const char *parse_length(const char *fmt, enum fmt_len *len)
{
	switch (*fmt) {
	case 'h':
		*len = fmt[1] == 'h' ? LEN_CHAR : LEN_SHORT;
		return fmt + (fmt[1] == 'h' ? 2 : 1);
	case 'l':
		*len = fmt[1] == 'l' ? LEN_LLONG : LEN_LONG;
		return fmt + (fmt[1] == 'l' ? 2 : 1);
	case 'j':
	case 'L':
	case 'q':
		*len = LEN_LLONG;
		return fmt + 1;
	case 'z':
		*len = LEN_SIZE;
		return fmt + 1;
	case 't':
		*len = LEN_PTRDIFF;
		return fmt + 1;
	default:
		*len = LEN_INT;
		return fmt;
	}
}

/* Everything between '%' and the conversion character. */
static const char *parse_spec(const char *fmt, struct fmt_spec *spec, va_list *ap)
{
	spec->flags = 0;
	spec->width = -1;
	spec->precision = -1;
	fmt = parse_flags(fmt, spec);
	if (isdigit((u8)*fmt) || *fmt == '*') {
		fmt = parse_count(fmt, &spec->width, FMT_WIDTH_MAX, ap);
		if (spec->width < 0) {
			spec->flags |= FMT_LEFT;
			spec->width = -spec->width;
		}
	}
	if (*fmt == '.') {
		fmt = parse_count(fmt + 1, &spec->precision, FMT_PREC_MAX, ap);
		if (spec->precision < 0)
			spec->precision = -1;
	}
	return parse_length(fmt, &spec->len);
}

/* Set the base of an integer conversion; false if @c is not one. */
static bool integer_conversion(char c, struct fmt_spec *spec)
{
	switch (c) {
	case 'd':
	case 'i':
		spec->flags |= FMT_SIGNED;
		spec->base = 10;
		return true;
	case 'u':
		spec->base = 10;
		return true;
	case 'o':
		spec->base = 8;
		return true;
	case 'X':
		spec->flags |= FMT_UPPER;
		fallthrough;
	case 'x':
		spec->base = 16;
		return true;
	default:
		return false;
	}
}

/*
 * One conversion; @fmt points just after the '%'.  Returns where the
 * literal text resumes, or NULL for a conversion we do not know.
 */
static const char *format_one(struct fmt_out *out, const char *fmt, va_list *ap)
{
	struct fmt_spec spec;
	char c;

	fmt = parse_spec(fmt, &spec, ap);
	c = *fmt++;
	if (integer_conversion(c, &spec)) {
		format_integer(out, &spec, ap);
	} else if (c == 'c') {
		c = (char)va_arg(*ap, int);
		out_field(out, &spec, &c, 1);
	} else if (c == 's') {
		format_string(out, &spec, va_arg(*ap, const char *));
	} else if (c == 'p') {
		fmt = format_pointer(out, &spec, fmt, va_arg(*ap, const void *));
	} else if (c == '%') {
		out_char(out, '%');
	} else {
		return NULL;
	}
	return fmt;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct fmt_out out = { .buf = buf, .size = size, .pos = 0 };
	va_list ap;

	va_copy(ap, args);
	while (fmt && *fmt) {
		size_t lit = strcspn(fmt, "%");

		out_mem(&out, fmt, lit);
		fmt += lit;
		if (*fmt == '%')
			fmt = format_one(&out, fmt + 1, &ap);
	}
	va_end(ap);
	if (size)
		buf[out.pos < size ? out.pos : size - 1] = '\0';
	return out.pos > INT_MAX ? INT_MAX : (int)out.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int n = vsnprintf(buf, size, fmt, args);

	if ((size_t)n < size)
		return n;
	return size ? (int)(size - 1) : 0;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vscnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

int vsprintf(char *buf, const char *fmt, va_list args)
{
	return vsnprintf(buf, INT_MAX, fmt, args);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, INT_MAX, fmt, args);
	va_end(args);
	return n;
}

__weak int lego_symbolize(unsigned long addr __unused, char *buf __unused,
			  size_t len __unused)
{
	return -ENOENT;
}
