// SPDX-License-Identifier: GPL-2.0
/*
 * mm/slab.c: object caches.
 *
 * A slab is a block of 2^order pages from the page allocator cut into
 * objects of one stride.  Its head page records the cache, the first free
 * object, and how many objects are in use; the other pages are PG_tail and
 * point back at the head, so any address inside a slab leads to it.  Free
 * objects are chained through a free pointer stored inside the object (at
 * offset 0), or after it when a constructor's work must survive the free
 * or SLAB_DEBUG keeps poison there (mm/slab_debug.c has that layout).
 *
 * A cache keeps slabs with free objects on @partial, exhausted ones on
 * @full and at most one empty slab as @spare; further empty slabs go back
 * to the page allocator.  One spinlock per cache, taken with interrupts
 * off; new slabs are built and old ones released outside it.
 *
 * Pure enough for the host: tests/host/test_slab.c runs it over a page
 * allocator of its own (tests/host/fake_pages.c).
 */
#define pr_fmt(fmt) "slab: " fmt

#include <lego/atomic.h>
#include <lego/errno.h>
#include <lego/mm.h>
#include <lego/panic.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/spinlock.h>
#include <lego/string.h>

#include "internal.h"

/* Up to this order a slab must waste at most 1/8; beyond, any fit will do. */
#define SLAB_WASTE_MAX_ORDER	3
#define SLAB_MAX_OBJECTS	0xffffU		/* page->objects is 16 bits */
#define SLAB_KNOWN_FLAGS	(SLAB_HWCACHE_ALIGN | SLAB_DEBUG)

static struct kmem_cache cache_cache;		/* the struct kmem_caches */
static atomic_long_t nr_errors;

void slab_count_error(void)
{
	atomic_long_inc(&nr_errors);
}

unsigned long slab_nr_errors(void)
{
	return atomic_long_read(&nr_errors);
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

static bool slab_debug(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG;
}

static void **freeptr(const struct kmem_cache *s, const void *obj)
{
	return (void **)((u8 *)obj + s->free_offset);
}

/* ---- cache geometry ---- */

static void set_layout(struct kmem_cache *s)
{
	unsigned int end;

	if (slab_debug(s)) {
		s->red_zone_end = ALIGN(s->object_size, sizeof(void *)) +
				  SLAB_RED_ZONE;
		s->free_offset = s->red_zone_end;
		s->debug_offset = s->free_offset + sizeof(void *);
		end = s->debug_offset + 2 * sizeof(unsigned long);
	} else if (s->ctor) {
		s->free_offset = ALIGN(s->object_size, sizeof(void *));
		end = s->free_offset + sizeof(void *);
	} else {
		s->free_offset = 0;
		end = max(s->object_size, (unsigned int)sizeof(void *));
	}
	s->size = ALIGN(end, s->align);
}

static int set_order(struct kmem_cache *s)
{
	unsigned long bytes, n;
	unsigned int order;

	for (order = 0; order < MAX_ORDER; order++) {
		bytes = PAGE_SIZE << order;
		n = bytes / s->size;
		if (!n)
			continue;
		if (order < SLAB_WASTE_MAX_ORDER &&
		    (bytes - n * s->size) * 8 > bytes)
			continue;
		s->order = order;
		s->objects = min(n, (unsigned long)SLAB_MAX_OBJECTS);
		return 0;
	}
	return -EINVAL;
}

int kmem_cache_setup(struct kmem_cache *s, const char *name, size_t size,
		     size_t align, unsigned long flags, void (*ctor)(void *))
{
	if (!size || size > KMALLOC_MAX_SIZE || (align & (align - 1)) ||
	    align > PAGE_SIZE || (flags & ~SLAB_KNOWN_FLAGS))
		return -EINVAL;
#ifdef CONFIG_DEBUG_SLAB
	flags |= SLAB_DEBUG;
#endif
	if (flags & SLAB_HWCACHE_ALIGN)
		align = max(align, (size_t)SLAB_CACHE_LINE);

	*s = (struct kmem_cache){
		.object_size = size,
		.align = max(align, sizeof(void *)),
		.flags = flags,
		.ctor = ctor,
	};
	spin_lock_init(&s->lock);
	INIT_LIST_HEAD(&s->partial);
	INIT_LIST_HEAD(&s->full);
	strscpy(s->name, name ? name : "(unnamed)", sizeof(s->name));
	set_layout(s);
	return set_order(s);
}

/* ---- slabs ---- */

static void set_tails(struct page *slab, unsigned int order, bool set)
{
	unsigned long i;

	for (i = 1; i < 1UL << order; i++) {
		if (set)
			__SetPageTail(slab + i);
		else
			__ClearPageTail(slab + i);
		slab[i].first_page = set ? slab : NULL;
	}
}

static void init_object(struct kmem_cache *s, void *obj)
{
	if (slab_debug(s))
		slab_debug_init_object(s, obj);
	else if (s->ctor)
		s->ctor(obj);
}

static struct page *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct page *slab = alloc_pages(gfp & ~__GFP_ZERO, s->order);
	unsigned int i;
	u8 *base, *obj;

	if (!slab)
		return NULL;
	base = page_address(slab);
	slab->slab_cache = s;
	slab->freelist = NULL;
	slab->inuse = 0;
	slab->objects = s->objects;
	for (i = s->objects; i-- > 0;) {
		obj = base + (unsigned long)i * s->size;
		init_object(s, obj);
		*freeptr(s, obj) = slab->freelist;
		slab->freelist = obj;
	}
	set_tails(slab, s->order, true);
	__SetPageSlab(slab);
	return slab;
}

static void release_slab(struct kmem_cache *s, struct page *slab)
{
	set_tails(slab, s->order, false);
	__ClearPageSlab(slab);
	slab->slab_cache = NULL;
	slab->freelist = NULL;
	__free_pages(slab, s->order);
}

static bool is_object_start(const struct kmem_cache *s,
			    const struct page *slab, const void *p)
{
	unsigned long off = (const u8 *)p - (const u8 *)page_address(slab);

	return off < (unsigned long)slab->objects * s->size &&
	       off % s->size == 0;
}

struct page *slab_of(const void *obj)
{
	struct page *page;

	if (!virt_addr_valid(obj))
		return NULL;
	page = virt_to_page(obj);
	if (PageTail(page))
		page = page->first_page;
	return PageSlab(page) ? page : NULL;
}

/* ---- allocation and free, under s->lock ---- */

static void *take_object(struct kmem_cache *s)
{
	struct page *slab;
	void *obj, *next;

	if (list_empty(&s->partial)) {
		if (!s->spare)
			return NULL;
		list_add(&s->spare->lru, &s->partial);
		s->spare = NULL;
	}
	slab = list_first_entry(&s->partial, struct page, lru);
	obj = slab->freelist;
	next = *freeptr(s, obj);
	if (next && !is_object_start(s, slab, next)) {
		slab_count_error();
		pr_err("cache %s: free list broken after %p (next %p): written after free? The rest of the slab is dropped\n",
		       s->name, obj, next);
		next = NULL;
	}
	slab->freelist = next;
	slab->inuse++;
	s->active++;
	if (!next)
		list_move(&slab->lru, &s->full);
	return obj;
}

/* Returns a slab to give back to the page allocator, or NULL. */
static struct page *put_object(struct kmem_cache *s, struct page *slab,
			       void *obj)
{
	bool was_full = !slab->freelist;

	*freeptr(s, obj) = slab->freelist;
	slab->freelist = obj;
	slab->inuse--;
	s->active--;
	if (slab->inuse) {
		if (was_full)
			list_move(&slab->lru, &s->partial);
		return NULL;
	}
	list_del(&slab->lru);
	if (!s->spare) {
		s->spare = slab;
		return NULL;
	}
	s->nr_slabs--;
	return slab;
}

/* The checks every configuration affords: an empty slab, the list head. */
static int cheap_free_check(struct kmem_cache *s, struct page *slab,
			    const void *obj, unsigned long caller)
{
	if (slab->inuse && obj != slab->freelist)
		return 0;
	slab_count_error();
	pr_err("cache %s: double free of %p (caller %pS)\n", s->name, obj,
	       (void *)caller);
	return -EINVAL;
}

void *slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller)
{
	struct page *slab;
	unsigned long flags;
	void *obj;

	mm_lock_irqsave(&s->lock, flags);
	obj = take_object(s);
	mm_unlock_irqrestore(&s->lock, flags);
	if (!obj) {
		slab = new_slab(s, gfp);
		if (!slab)
			return NULL;
		mm_lock_irqsave(&s->lock, flags);
		list_add(&slab->lru, &s->partial);
		s->nr_slabs++;
		obj = take_object(s);
		mm_unlock_irqrestore(&s->lock, flags);
	}
	if (slab_debug(s)) {
		slab_debug_alloc(s, obj, caller);
		if (s->ctor)
			s->ctor(obj);
	}
	if (gfp & __GFP_ZERO)
		memset(obj, 0, s->object_size);
	return obj;
}

void slab_free(struct kmem_cache *s, struct page *slab, const void *obj,
	       unsigned long caller)
{
	struct page *release = NULL;
	unsigned long flags;
	int bad;

	if (!is_object_start(s, slab, obj)) {
		slab_count_error();
		pr_err("cache %s: refusing to free %p (caller %pS): not the start of an object\n",
		       s->name, obj, (void *)caller);
		return;
	}
	mm_lock_irqsave(&s->lock, flags);
	if (slab_debug(s))
		bad = slab_debug_free(s, (void *)obj, caller);
	else
		bad = cheap_free_check(s, slab, obj, caller);
	if (!bad)
		release = put_object(s, slab, (void *)obj);
	mm_unlock_irqrestore(&s->lock, flags);
	if (release)
		release_slab(s, release);
}

/* ---- the cache API ---- */

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp, _RET_IP_);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	struct page *slab;

	if (!obj)
		return;
	slab = slab_of(obj);
	if (slab && slab->slab_cache == s) {
		slab_free(s, slab, obj, _RET_IP_);
		return;
	}
	slab_count_error();
	if (slab)
		pr_err("cache %s: refusing to free %p (caller %pS): it belongs to cache %s\n",
		       s->name, obj, (void *)_RET_IP_, slab->slab_cache->name);
	else
		pr_err("cache %s: refusing to free %p (caller %pS): not a slab object\n",
		       s->name, obj, (void *)_RET_IP_);
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned long flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s = slab_alloc(&cache_cache, GFP_KERNEL, _RET_IP_);
	int ret;

	if (!s)
		return NULL;
	ret = kmem_cache_setup(s, name, size, align, flags, ctor);
	if (ret) {
		pr_err("cannot create cache %s: size %zu align %zu flags %#lx\n",
		       name ? name : "(unnamed)", size, align, flags);
		slab_free(&cache_cache, slab_of(s), s, _RET_IP_);
		return NULL;
	}
	return s;
}

int kmem_cache_destroy(struct kmem_cache *s)
{
	struct page *slab = s ? slab_of(s) : NULL;
	unsigned long flags, active;
	struct page *spare;

	if (!s)
		return 0;
	if (!slab || slab->slab_cache != &cache_cache) {
		pr_err("refusing to destroy cache %s: not made by kmem_cache_create()\n",
		       s->name);
		return -EINVAL;
	}
	mm_lock_irqsave(&s->lock, flags);
	active = s->active;
	spare = active ? NULL : s->spare;
	if (!active)
		s->spare = NULL;
	mm_unlock_irqrestore(&s->lock, flags);
	if (active) {
		pr_err("cannot destroy cache %s: %lu objects still allocated\n",
		       s->name, active);
		return -EBUSY;
	}
	if (spare)
		release_slab(s, spare);
	slab_free(&cache_cache, slab, s, _RET_IP_);
	return 0;
}

void kmem_cache_init(void)
{
	if (kmem_cache_setup(&cache_cache, "kmem_cache",
			     sizeof(struct kmem_cache), 0, SLAB_HWCACHE_ALIGN,
			     NULL))
		panic("slab: cannot set up the cache of caches");
	kmalloc_init();
}
