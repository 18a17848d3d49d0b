/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/internal.h: what the files of mm/ share with each other and with the
 * host tests, grouped by the file that defines it.
 */
#ifndef _MM_INTERNAL_H
#define _MM_INTERNAL_H

#include <lego/list.h>
#include <lego/mm.h>
#include <lego/spinlock.h>
#include <lego/types.h>

#define _RET_IP_	((unsigned long)__builtin_return_address(0))

/*
 * Locks that interrupt handlers may also take.  The host tests run in user
 * mode, where cli/sti fault: there the lock alone is taken.
 */
#ifdef LEGO_HOST_TEST
#define mm_lock_irqsave(lock, flags)	do { (flags) = 0; spin_lock(lock); } while (0)
#define mm_unlock_irqrestore(lock, flags) \
	do { (void)(flags); spin_unlock(lock); } while (0)
#else
#define mm_lock_irqsave(lock, flags)	spin_lock_irqsave(lock, flags)
#define mm_unlock_irqrestore(lock, flags) spin_unlock_irqrestore(lock, flags)
#endif

/* ---- mm/buddy.c: the buddy allocator over one struct page array ---- */

#define PAGE_POISON_BYTE	0xaa

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;		/* blocks on free_list */
};

/*
 * A zone: @map[i] describes page frame @base_pfn + i.  Blocks are aligned
 * to their order in absolute pfns, so their physical addresses are too.
 * The caller serialises every call on one zone.
 */
struct buddy_zone {
	struct page *map;
	unsigned long base_pfn;
	unsigned long nr_pages;		/* spanned by @map */
	/*
	 * Poisoning (CONFIG_DEBUG_PAGEALLOC): @mem is the address of frame
	 * @base_pfn's memory, the rest follows linearly.
	 */
	bool poison;
	u8 *mem;

	unsigned long free_pages;	/* pages on the free lists */
	unsigned long managed_pages;	/* pages ever added */
	unsigned long refused_frees;	/* bad frees caught and refused */
	unsigned long poison_errors;	/* free pages found written to */
	struct free_area area[MAX_ORDER];
};

/* Every page starts PG_reserved; nothing is free until added. */
void buddy_init(struct buddy_zone *z, struct page *map,
		unsigned long base_pfn, unsigned long nr_pages);
/*
 * Make frames [start_pfn, end_pfn) free, as the largest aligned blocks.
 * They must be reserved pages of the zone: -EINVAL (and nothing added)
 * otherwise.
 */
int buddy_add_range(struct buddy_zone *z, unsigned long start_pfn,
		    unsigned long end_pfn);
struct page *buddy_alloc(struct buddy_zone *z, unsigned int order);
/* 0, or -EINVAL for a refused free (logged with @caller). */
int buddy_free(struct buddy_zone *z, struct page *page, unsigned int order,
	       unsigned long caller);
int buddy_check(struct buddy_zone *z);

static inline struct page *zone_pfn_to_page(const struct buddy_zone *z,
					    unsigned long pfn)
{
	return z->map + (pfn - z->base_pfn);
}

static inline unsigned long zone_page_to_pfn(const struct buddy_zone *z,
					     const struct page *page)
{
	return z->base_pfn + (unsigned long)(page - z->map);
}

/* ---- mm/slab.c: object caches ---- */

#define SLAB_NAME_LEN		32
#define SLAB_RED_ZONE		8	/* bytes of red zone at least */

/*
 * Slabs with some objects free are on @partial, slabs with none on @full;
 * one slab with every object free is kept as @spare, further empty slabs
 * go back to the page allocator.
 */
struct kmem_cache {
	spinlock_t lock;
	/* under @lock */
	struct list_head partial;
	struct list_head full;
	struct page *spare;
	unsigned long nr_slabs;		/* the spare included */
	unsigned long active;		/* objects handed out */

	/* fixed when the cache is set up */
	unsigned int object_size;	/* what the user asked for */
	unsigned int size;		/* stride between objects */
	unsigned int align;
	unsigned int free_offset;	/* free pointer inside a free object */
	unsigned int red_zone_end;	/* SLAB_DEBUG: [object_size, here) */
	unsigned int debug_offset;	/* SLAB_DEBUG: state word, caller */
	unsigned int order;		/* a slab is 2^order pages */
	unsigned int objects;		/* per slab */
	unsigned long flags;
	void (*ctor)(void *);
	char name[SLAB_NAME_LEN];
};

int kmem_cache_setup(struct kmem_cache *s, const char *name, size_t size,
		     size_t align, unsigned long flags, void (*ctor)(void *));
void *slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller);
/* The head page of the slab that holds @obj, or NULL. */
struct page *slab_of(const void *obj);
/* Free @obj of @slab (checked to be an object start) into @s. */
void slab_free(struct kmem_cache *s, struct page *slab, const void *obj,
	       unsigned long caller);
void slab_count_error(void);

/* ---- mm/slab_debug.c: SLAB_DEBUG checks ---- */

#define SLAB_POISON_FREE	0x6b
#define SLAB_RED_ZONE_BYTE	0xbb

void slab_debug_init_object(struct kmem_cache *s, void *obj);
/* Verify a free object being handed out and mark it allocated. */
void slab_debug_alloc(struct kmem_cache *s, void *obj, unsigned long caller);
/* 0 to go on with the free, -EINVAL to refuse it (double free...). */
int slab_debug_free(struct kmem_cache *s, void *obj, unsigned long caller);

/* ---- mm/kmalloc.c ---- */

void kmalloc_init(void);

#endif /* _MM_INTERNAL_H */
