// SPDX-License-Identifier: GPL-2.0
/*
 * Heapsort for arrays of fixed-size elements (<lego/sort.h>).
 *
 * Heapsort rather than quicksort because the kernel stack is small and the
 * input may come from outside (a hostile ordering cannot make it quadratic
 * or deep).  The array is first arranged as a binary max-heap (children of
 * element i at 2i+1 and 2i+2), then the maximum is repeatedly swapped to
 * the end and the heap shrunk by one.  Elements are addressed by byte
 * offset, and the swap is chosen once from the array's alignment.
 */
#include <lego/compiler.h>
#include <lego/sort.h>
#include <lego/types.h>

typedef u64 __attribute__((__may_alias__)) u64_alias;
typedef u32 __attribute__((__may_alias__)) u32_alias;

static void swap_words_64(void *a, void *b, int size)
{
	u64_alias *x = a, *y = b;

	for (; size > 0; size -= 8, x++, y++) {
		u64 t = *x;

		*x = *y;
		*y = t;
	}
}

static void swap_words_32(void *a, void *b, int size)
{
	u32_alias *x = a, *y = b;

	for (; size > 0; size -= 4, x++, y++) {
		u32 t = *x;

		*x = *y;
		*y = t;
	}
}

static void swap_bytes(void *a, void *b, int size)
{
	u8 *x = a, *y = b;

	for (; size > 0; size--, x++, y++) {
		u8 t = *x;

		*x = *y;
		*y = t;
	}
}

/* Every element starts at base + k * size: both must be aligned. */
static swap_func_t pick_swap(const void *base, size_t size)
{
	uintptr_t align = (uintptr_t)base | size;

	if (!(align & 7))
		return swap_words_64;
	if (!(align & 3))
		return swap_words_32;
	return swap_bytes;
}

struct sort_ctx {
	char *base;
	size_t size;
	cmp_func_t cmp;
	swap_func_t swap_fn;
};

static inline char *elem(const struct sort_ctx *ctx, size_t i)
{
	return ctx->base + i * ctx->size;
}

/* Let element @root sink until it is no smaller than its children. */
static void sift_down(const struct sort_ctx *ctx, size_t root, size_t n)
{
	size_t child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n &&
		    ctx->cmp(elem(ctx, child), elem(ctx, child + 1)) < 0)
			child++;
		if (ctx->cmp(elem(ctx, root), elem(ctx, child)) >= 0)
			return;
		ctx->swap_fn(elem(ctx, root), elem(ctx, child), ctx->size);
		root = child;
	}
}

void sort(void *base, size_t num, size_t size, cmp_func_t cmp,
	  swap_func_t swap_fn)
{
	struct sort_ctx ctx = {
		.base = base,
		.size = size,
		.cmp = cmp,
		.swap_fn = swap_fn ? swap_fn : pick_swap(base, size),
	};
	size_t i;

	if (num < 2 || !size)
		return;
	for (i = num / 2; i-- > 0;)
		sift_down(&ctx, i, num);
	for (i = num - 1; i > 0; i--) {
		ctx.swap_fn(elem(&ctx, 0), elem(&ctx, i), size);
		sift_down(&ctx, 0, i);
	}
}
