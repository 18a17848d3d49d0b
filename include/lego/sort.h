/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-place array sort (lib/sort.c): heapsort, so O(n log n) worst case, no
 * recursion, no allocation and a fixed small stack; not stable.
 *
 * @cmp returns <0, 0 or >0 like memcmp().  @swap_fn exchanges two elements
 * of @size bytes; pass NULL for the built-in one, which swaps 8 or 4 bytes
 * at a time when the array's alignment and @size allow.
 */
#ifndef _LEGO_SORT_H
#define _LEGO_SORT_H

#include <lego/types.h>

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef void (*swap_func_t)(void *a, void *b, int size);

void sort(void *base, size_t num, size_t size, cmp_func_t cmp,
	  swap_func_t swap_fn);

#endif /* _LEGO_SORT_H */
