// SPDX-License-Identifier: GPL-2.0
/*
 * Bitmaps: bit scans (<lego/bitops.h>), range updates, counting, searching
 * for free runs, and the "0-3,8" list syntax used by boot parameters and
 * debug output (<lego/bitmap.h>).
 *
 * The frame and slot allocators in mm/ are built on these, so ranges are
 * handled a word at a time: a range update touches each word once with a
 * mask, and a scan skips whole words that cannot match.
 */
#include <lego/bitmap.h>
#include <lego/bitops.h>
#include <lego/compiler.h>
#include <lego/ctype.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/string.h>
#include <lego/types.h>

/*
 * The first bit at or after @start, below @size, whose value differs from
 * @invert's (so @invert == 0 finds a set bit and ~0UL a clear one).
 */
static unsigned long find_next(const unsigned long *addr, unsigned long size,
			       unsigned long start, unsigned long invert)
{
	unsigned long word;

	if (start >= size)
		return size;
	word = (addr[BIT_WORD(start)] ^ invert) & (~0UL << (start % BITS_PER_LONG));
	start = ALIGN_DOWN(start, BITS_PER_LONG);
	while (!word) {
		start += BITS_PER_LONG;
		if (start >= size)
			return size;
		word = addr[BIT_WORD(start)] ^ invert;
	}
	return min(start + __ffs(word), size);
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset)
{
	return find_next(addr, size, offset, 0);
}

unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset)
{
	return find_next(addr, size, offset, ~0UL);
}

void bitmap_zero(unsigned long *map, unsigned long nbits)
{
	memset(map, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

void bitmap_fill(unsigned long *map, unsigned long nbits)
{
	unsigned long full = nbits / BITS_PER_LONG;

	memset(map, 0xff, full * sizeof(unsigned long));
	if (nbits % BITS_PER_LONG)
		map[full] = BITMAP_LAST_WORD_MASK(nbits);
}

/* Set (@set) or clear bits [@start, @start + @len), one mask per word. */
static void bitmap_update(unsigned long *map, unsigned long start,
			  unsigned long len, bool set)
{
	unsigned long end = start + len;

	while (start < end) {
		unsigned long bit = start % BITS_PER_LONG;
		unsigned long n = min(BITS_PER_LONG - bit, end - start);
		unsigned long mask = (~0UL >> (BITS_PER_LONG - n)) << bit;

		if (set)
			map[BIT_WORD(start)] |= mask;
		else
			map[BIT_WORD(start)] &= ~mask;
		start += n;
	}
}

void bitmap_set(unsigned long *map, unsigned long start, unsigned long len)
{
	bitmap_update(map, start, len, true);
}

void bitmap_clear(unsigned long *map, unsigned long start, unsigned long len)
{
	bitmap_update(map, start, len, false);
}

unsigned long bitmap_weight(const unsigned long *map, unsigned long nbits)
{
	unsigned long i, weight = 0;

	for (i = 0; i < nbits / BITS_PER_LONG; i++)
		weight += hweight_long(map[i]);
	if (nbits % BITS_PER_LONG)
		weight += hweight_long(map[i] & BITMAP_LAST_WORD_MASK(nbits));
	return weight;
}

bool bitmap_empty(const unsigned long *map, unsigned long nbits)
{
	return find_first_bit(map, nbits) == nbits;
}

bool bitmap_full(const unsigned long *map, unsigned long nbits)
{
	return find_first_zero_bit(map, nbits) == nbits;
}

unsigned long bitmap_find_next_zero_area(const unsigned long *map,
					 unsigned long size, unsigned long start,
					 unsigned long nr, unsigned long align_mask)
{
	unsigned long index, end, busy;

	for (;;) {
		index = __ALIGN_MASK(find_next_zero_bit(map, size, start), align_mask);
		end = index + nr;
		if (end > size || end < index)
			return size;
		busy = find_next_bit(map, end, index);
		if (busy >= end)
			return index;
		start = busy + 1;
	}
}

/* A bit number of a list: decimal, or N for the last bit.  Saturates. */
static int parse_bit(const char **sp, unsigned long nbits, unsigned long *bit)
{
	const char *s = *sp;
	unsigned long val = 0, d;

	if (*s == 'N') {
		*bit = nbits ? nbits - 1 : ULONG_MAX;
		*sp = s + 1;
		return 0;
	}
	if (!isdigit((u8)*s))
		return -EINVAL;
	for (; isdigit((u8)*s); s++) {
		d = *s - '0';
		val = val > (ULONG_MAX - d) / 10 ? ULONG_MAX : val * 10 + d;
	}
	*sp = s;
	*bit = val;
	return 0;
}

/* "a" or "a-b" into [*@first, *@last]. */
static int parse_range(const char **sp, unsigned long nbits,
		       unsigned long *first, unsigned long *last)
{
	int ret = parse_bit(sp, nbits, first);

	if (ret)
		return ret;
	*last = *first;
	if (**sp == '-') {
		(*sp)++;
		ret = parse_bit(sp, nbits, last);
		if (ret)
			return ret;
	}
	if (*first > *last)
		return -EINVAL;
	return *last >= nbits ? -ERANGE : 0;
}

/* Check the list in @s, and set its bits in @map unless @map is NULL. */
static int parse_list(const char *s, unsigned long *map, unsigned long nbits)
{
	unsigned long first, last;
	int ret;

	if (*s && *s != '\n') {
		for (;;) {
			ret = parse_range(&s, nbits, &first, &last);
			if (ret)
				return ret;
			if (map)
				bitmap_set(map, first, last - first + 1);
			if (*s != ',')
				break;
			s++;
		}
	}
	if (*s == '\n')
		s++;
	return *s ? -EINVAL : 0;
}

int bitmap_parselist(const char *buf, unsigned long *map, unsigned long nbits)
{
	int ret = parse_list(buf, NULL, nbits);

	if (ret)
		return ret;
	bitmap_zero(map, nbits);
	return parse_list(buf, map, nbits);
}

int bitmap_print_list(char *buf, size_t size, const unsigned long *map,
		      unsigned long nbits)
{
	unsigned long first, end;
	int len = 0;

	if (size)
		buf[0] = '\0';
	for (first = find_first_bit(map, nbits); first < nbits;
	     first = find_next_bit(map, nbits, end + 1)) {
		end = find_next_zero_bit(map, nbits, first + 1);
		if (end - first == 1)
			len += scnprintf(buf + len, size - len, "%s%lu",
					 len ? "," : "", first);
		else
			len += scnprintf(buf + len, size - len, "%s%lu-%lu",
					 len ? "," : "", first, end - 1);
	}
	return len;
}
