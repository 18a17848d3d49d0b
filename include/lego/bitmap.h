/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bitmaps of any length as arrays of unsigned long (lib/bitmap.c).
 *
 * Bit numbers and lengths are unsigned long.  Functions that take @nbits
 * never look at bits at or beyond @nbits, but those that write whole words
 * (bitmap_zero, bitmap_fill) clear the unused tail of the last word.
 */
#ifndef _LEGO_BITMAP_H
#define _LEGO_BITMAP_H

#include <lego/bitops.h>
#include <lego/compiler.h>
#include <lego/types.h>

#define DECLARE_BITMAP(name, bits)	unsigned long name[BITS_TO_LONGS(bits)]

/* The valid bits of the last word of an @nbits-long bitmap. */
#define BITMAP_LAST_WORD_MASK(nbits)	(~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))

void bitmap_zero(unsigned long *map, unsigned long nbits);
void bitmap_fill(unsigned long *map, unsigned long nbits);
void bitmap_set(unsigned long *map, unsigned long start, unsigned long len);
void bitmap_clear(unsigned long *map, unsigned long start, unsigned long len);

unsigned long bitmap_weight(const unsigned long *map, unsigned long nbits);
bool bitmap_empty(const unsigned long *map, unsigned long nbits);
bool bitmap_full(const unsigned long *map, unsigned long nbits);

/*
 * The first run of @nr clear bits at or after @start whose first index is
 * a multiple of @align_mask + 1 (@align_mask is a power of two minus one),
 * within the first @size bits.  Returns its index, or a value >= @size
 * when there is none.
 */
unsigned long bitmap_find_next_zero_area(const unsigned long *map,
					 unsigned long size, unsigned long start,
					 unsigned long nr, unsigned long align_mask);

/*
 * Set exactly the bits listed in @buf, e.g. "0-3,8,12-N" (N is the last
 * bit, @nbits - 1; an empty list clears the map; one trailing '\n' is
 * allowed).  Returns 0, -EINVAL for bad syntax or a reversed range, or
 * -ERANGE for a bit >= @nbits; on error @map is left untouched.
 */
int bitmap_parselist(const char *buf, unsigned long *map, unsigned long nbits);

/*
 * The set bits of @map as a list in the same syntax ("0-3,8"), into @buf
 * of @size bytes.  Returns the characters stored, without the NUL, like
 * scnprintf().
 */
int bitmap_print_list(char *buf, size_t size, const unsigned long *map,
		      unsigned long nbits);

#endif /* _LEGO_BITMAP_H */
