// SPDX-License-Identifier: GPL-2.0
/*
 * mm/slab_debug.c: the SLAB_DEBUG checks (every cache has them under
 * CONFIG_DEBUG_SLAB).
 *
 * Object layout with SLAB_DEBUG, from the object start:
 *
 *   [0, object_size)               the object: 0x6b (poison) while free
 *   [object_size, red_zone_end)    red zone: 0xbb, never written by users
 *   free_offset                    free pointer
 *   debug_offset                   state word: SLAB_OBJ_FREE / SLAB_OBJ_LIVE
 *   debug_offset + 8               who last allocated or freed the object
 *
 * A write to a free object shows as a changed poison byte when the object
 * is handed out again (use after free); a write past the end of a live
 * object shows in the red zone when it is freed (overflow); a free of a
 * free object finds the FREE state word (double free) and is refused.
 * Every finding is logged with the cache name and counted in
 * slab_nr_errors().  Callers hold the cache lock on the free path.
 */
#define pr_fmt(fmt) "slab: " fmt

#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "internal.h"

#define SLAB_OBJ_FREE	0x5ab0f4ee5ab0f4eeUL
#define SLAB_OBJ_LIVE	0x5ab0a11c5ab0a11cUL

struct slab_debug_words {
	unsigned long state;
	unsigned long caller;
};

static struct slab_debug_words *debug_words(const struct kmem_cache *s,
					    void *obj)
{
	return (struct slab_debug_words *)((u8 *)obj + s->debug_offset);
}

/* Offset of the first byte in [from, to) that is not @byte, or -1. */
static long find_mismatch(const u8 *p, unsigned int from, unsigned int to,
			  u8 byte)
{
	unsigned int i;

	for (i = from; i < to; i++)
		if (p[i] != byte)
			return i;
	return -1;
}

static void fill_red_zone(const struct kmem_cache *s, u8 *obj)
{
	memset(obj + s->object_size, SLAB_RED_ZONE_BYTE,
	       s->red_zone_end - s->object_size);
}

void slab_debug_init_object(struct kmem_cache *s, void *obj)
{
	struct slab_debug_words *d = debug_words(s, obj);

	memset(obj, SLAB_POISON_FREE, s->object_size);
	fill_red_zone(s, obj);
	d->state = SLAB_OBJ_FREE;
	d->caller = 0;
}

static void check_red_zone(struct kmem_cache *s, u8 *obj, const char *when,
			   unsigned long caller)
{
	long off = find_mismatch(obj, s->object_size, s->red_zone_end,
				 SLAB_RED_ZONE_BYTE);

	if (off < 0)
		return;
	slab_count_error();
	pr_err("cache %s: red zone after object %p overwritten (buffer overflow): byte +%ld is 0x%02x, found on %s by %pS\n",
	       s->name, obj, off, obj[off], when, (void *)caller);
	fill_red_zone(s, obj);
}

void slab_debug_alloc(struct kmem_cache *s, void *obj, unsigned long caller)
{
	struct slab_debug_words *d = debug_words(s, obj);
	long off;

	if (d->state != SLAB_OBJ_FREE) {
		slab_count_error();
		pr_err("cache %s: free object %p has state word %#lx (metadata overwritten)\n",
		       s->name, obj, d->state);
	}
	off = find_mismatch(obj, 0, s->object_size, SLAB_POISON_FREE);
	if (off >= 0) {
		slab_count_error();
		pr_err("cache %s: object %p was written after free (use after free): byte +%ld is 0x%02x, not 0x%02x; last freed by %pS\n",
		       s->name, obj, off, ((u8 *)obj)[off], SLAB_POISON_FREE,
		       (void *)d->caller);
	}
	check_red_zone(s, obj, "allocation", caller);
	d->state = SLAB_OBJ_LIVE;
	d->caller = caller;
}

int slab_debug_free(struct kmem_cache *s, void *obj, unsigned long caller)
{
	struct slab_debug_words *d = debug_words(s, obj);

	if (d->state == SLAB_OBJ_FREE) {
		slab_count_error();
		pr_err("cache %s: double free of %p by %pS (already freed by %pS)\n",
		       s->name, obj, (void *)caller, (void *)d->caller);
		return -EINVAL;
	}
	if (d->state != SLAB_OBJ_LIVE) {
		slab_count_error();
		pr_err("cache %s: refusing to free %p (caller %pS): state word %#lx overwritten (overflow past the red zone?)\n",
		       s->name, obj, (void *)caller, d->state);
		return -EINVAL;
	}
	check_red_zone(s, obj, "free", caller);
	memset(obj, SLAB_POISON_FREE, s->object_size);
	d->state = SLAB_OBJ_FREE;
	d->caller = caller;
	return 0;
}
