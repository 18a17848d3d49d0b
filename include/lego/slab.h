/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Object caches and kmalloc (mm/slab.c, mm/kmalloc.c).
 *
 * A cache hands out objects of one size from slabs: blocks of 2^order pages
 * cut into equal objects, each slab keeping its own free list.  kmalloc()
 * serves sizes up to KMALLOC_MAX_CACHE_SIZE from caches of 8, 16, 32, 64,
 * 96, 128, 192, 256, 512, 1024 and 2048 bytes, and larger sizes with whole
 * pages from the page allocator.  Every call may be made from interrupt
 * handlers; nothing sleeps.
 *
 * Alignment: kmalloc() memory is aligned to the largest power of two that
 * divides its size class (8 at least; a 2048-byte class object is 2048
 * aligned, a 96-byte one 32), large allocations to a page.  A cache's
 * objects are aligned to its @align (8 at least).
 *
 * Bad frees (an address that is not the start of a live object, an object
 * of another cache, an obvious double free) are refused with an error that
 * names the cache and the caller.  With SLAB_DEBUG (on every cache under
 * CONFIG_DEBUG_SLAB) freed objects are also poisoned with 0x6b and checked
 * when handed out again, a red zone after each object is checked on free,
 * and every object carries a free/allocated marker that catches all double
 * frees.
 */
#ifndef _LEGO_SLAB_H
#define _LEGO_SLAB_H

#include <lego/compiler.h>
#include <lego/gfp.h>
#include <lego/mm.h>
#include <lego/types.h>

/* kmem_cache_create() flags */
#define SLAB_HWCACHE_ALIGN	0x1UL	/* align objects to a cache line */
#define SLAB_DEBUG		0x2UL	/* poison, red zone and free marker */

#define SLAB_CACHE_LINE		64
#define KMALLOC_MIN_SIZE	8
#define KMALLOC_MAX_CACHE_SIZE	2048
#define KMALLOC_MAX_SIZE	(PAGE_SIZE << (MAX_ORDER - 1))

/* What kmalloc(0) returns: not NULL, but faults when touched. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

struct kmem_cache;

/*
 * Make a cache of @size-byte objects aligned to @align (0: 8 bytes).
 * @name is copied (up to 31 characters).  @ctor, if given, runs on every
 * object when its slab is created (and again on each allocation under
 * SLAB_DEBUG, after the poison check): objects must be freed in their
 * constructed state.  Returns NULL on a bad size or alignment or when
 * memory is short.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned long flags,
				     void (*ctor)(void *));
/* Free the cache: 0, or -EBUSY (and nothing freed) while objects live. */
int kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *obj);
const char *kmem_cache_name(const struct kmem_cache *s);

static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}

/* kmalloc(0) returns ZERO_SIZE_PTR; kfree() of it or of NULL does nothing. */
void *kmalloc(size_t size, gfp_t gfp);
void kfree(const void *p);
/* Bytes usable at @p (its size class), 0 for NULL or ZERO_SIZE_PTR. */
size_t ksize(const void *p);
/* NULL (not a truncated block) when @n * @size overflows. */
void *kmalloc_array(size_t n, size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
/*
 * Resize @p, keeping its contents up to the smaller size.  NULL @p acts as
 * kmalloc(); @new_size 0 frees @p and returns ZERO_SIZE_PTR.  On failure
 * NULL is returned and @p is left as it was.
 */
void *krealloc(const void *p, size_t new_size, gfp_t gfp);

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/* Errors reported so far (bad frees, corruption found): for tests. */
unsigned long slab_nr_errors(void);

/* Set up the cache of caches and the kmalloc caches (from mm_init()). */
void kmem_cache_init(void);

#endif /* _LEGO_SLAB_H */
