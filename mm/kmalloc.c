// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kmalloc.c: kmalloc and friends.
 *
 * Sizes up to KMALLOC_MAX_CACHE_SIZE come from eleven caches (8 .. 2048
 * bytes, with 96 and 192 between the powers of two), each aligned to the
 * largest power of two dividing its size.  Larger sizes take a block of
 * pages straight from the page allocator; its head page is marked
 * PG_large_kmalloc so that kfree() and ksize() know what they hold.
 *
 * kfree() refuses anything that is neither a slab object start nor the
 * first byte of a large block, with a message naming the caller.
 */
#define pr_fmt(fmt) "kmalloc: " fmt

#include <lego/compiler.h>
#include <lego/mm.h>
#include <lego/panic.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "internal.h"

#define KMALLOC_NR_CACHES	11

static const unsigned int kmalloc_sizes[KMALLOC_NR_CACHES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048,
};

static const char *const kmalloc_names[KMALLOC_NR_CACHES] = {
	"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96",
	"kmalloc-128", "kmalloc-192", "kmalloc-256", "kmalloc-512",
	"kmalloc-1024", "kmalloc-2048",
};

/* Cache index for sizes 1 .. 192, by (size - 1) / 8. */
static const u8 small_index[24] = {
	0, 1, 2, 2, 3, 3, 3, 3,		/* 8, 16, 32, 64 */
	4, 4, 4, 4, 5, 5, 5, 5,		/* 96, 128 */
	6, 6, 6, 6, 6, 6, 6, 6,		/* 192 */
};

static struct kmem_cache kmalloc_caches[KMALLOC_NR_CACHES];
static bool kmalloc_ready;

/* @size: 1 .. KMALLOC_MAX_CACHE_SIZE */
static struct kmem_cache *kmalloc_cache(size_t size)
{
	unsigned int idx;

	if (size <= 192)
		idx = small_index[(size - 1) / 8];
	else	/* 193..256 -> 7, 257..512 -> 8, ... */
		idx = 32 - __builtin_clz((unsigned int)(size - 1)) - 1;
	return &kmalloc_caches[idx];
}

static void *kmalloc_large(size_t size, gfp_t gfp)
{
	struct page *page;

	if (size > KMALLOC_MAX_SIZE) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("%zu bytes is more than the largest block\n",
				size);
		return NULL;
	}
	page = alloc_pages(gfp, get_order(size));
	if (!page)
		return NULL;
	__SetPageLargeKmalloc(page);
	return page_address(page);
}

static void *kmalloc_caller(size_t size, gfp_t gfp, unsigned long caller)
{
	if (!size)
		return ZERO_SIZE_PTR;
	if (unlikely(!READ_ONCE(kmalloc_ready))) {
		pr_err("kmalloc(%zu) before kmem_cache_init() (caller %pS)\n",
		       size, (void *)caller);
		return NULL;
	}
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size, gfp);
	return slab_alloc(kmalloc_cache(size), gfp, caller);
}

static void bad_pointer(const char *what, const void *p,
			unsigned long caller)
{
	slab_count_error();
	pr_err("%s(%p) from %pS: not memory from kmalloc()\n", what, p,
	       (void *)caller);
}

static void kfree_caller(const void *p, unsigned long caller)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return;
	page = slab_of(p);
	if (page) {
		slab_free(page->slab_cache, page, p, caller);
		return;
	}
	page = virt_addr_valid(p) ? virt_to_page(p) : NULL;
	if (page && PageLargeKmalloc(page) && p == page_address(page)) {
		__ClearPageLargeKmalloc(page);
		__free_pages(page, page->order);
		return;
	}
	bad_pointer("kfree", p, caller);
}

static size_t ksize_caller(const void *p, unsigned long caller)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	page = slab_of(p);
	if (page)
		return page->slab_cache->object_size;
	page = virt_addr_valid(p) ? virt_to_page(p) : NULL;
	if (page && PageLargeKmalloc(page) && p == page_address(page))
		return PAGE_SIZE << page->order;
	bad_pointer("ksize", p, caller);
	return 0;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	return kmalloc_caller(size, gfp, _RET_IP_);
}

void kfree(const void *p)
{
	kfree_caller(p, _RET_IP_);
}

size_t ksize(const void *p)
{
	return ksize_caller(p, _RET_IP_);
}

void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc_caller(bytes, gfp, _RET_IP_);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc_caller(bytes, gfp | __GFP_ZERO, _RET_IP_);
}

void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	size_t old_size;
	void *n;

	if (ZERO_OR_NULL_PTR(p))
		return kmalloc_caller(new_size, gfp, _RET_IP_);
	if (!new_size) {
		kfree_caller(p, _RET_IP_);
		return ZERO_SIZE_PTR;
	}
	old_size = ksize_caller(p, _RET_IP_);
	if (!old_size)
		return NULL;
	if (new_size <= old_size)
		return (void *)p;
	n = kmalloc_caller(new_size, gfp, _RET_IP_);
	if (!n)
		return NULL;
	memcpy(n, p, old_size);
	kfree_caller(p, _RET_IP_);
	return n;
}

void kmalloc_init(void)
{
	unsigned int i, size;

	for (i = 0; i < KMALLOC_NR_CACHES; i++) {
		size = kmalloc_sizes[i];
		if (kmem_cache_setup(&kmalloc_caches[i], kmalloc_names[i],
				     size, min(size & -size, (unsigned int)PAGE_SIZE),
				     0, NULL))
			panic("kmalloc: cannot set up %s", kmalloc_names[i]);
	}
	WRITE_ONCE(kmalloc_ready, true);
}
