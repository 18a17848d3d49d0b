// SPDX-License-Identifier: GPL-2.0
/*
 * Host stand-ins for the kernel services net/ uses: memory (malloc, so
 * that ASan knows every object's exact size), a fake clock and the
 * printk rate limiter.  Built like a kernel source (lego_host_rename.h
 * forced in); see net_host.h.
 */
#include <stdlib.h>

/* glibc's spelling; <lego/compiler.h> brings the kernel's. */
#undef __always_inline
#undef offsetof

#include <lego/kernel.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/time.h>
#include <net/arp.h>
#include <net/stats.h>

#include "../../net/internal.h"
#include "net_host.h"

#define POISON	0xa5

static u64 fake_now_ns = 1000000000ULL;	/* start at 1 s, not 0 */
static long fail_after = -1;
static long live_objects;

void net_host_set_time(u64 ns)
{
	fake_now_ns = ns;
}

void net_host_advance_ms(u64 ms)
{
	fake_now_ns += ms * NSEC_PER_MSEC;
}

u64 ktime_get_ns(void)
{
	return fake_now_ns;
}

void net_host_fail_after(long n)
{
	fail_after = n;
}

long net_host_live_objects(void)
{
	return live_objects;
}

bool __ratelimit(struct ratelimit_state *rs)
{
	(void)rs;
	return true;
}

static void *host_alloc(size_t size, gfp_t gfp)
{
	void *p;

	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	p = malloc(size ? size : 1);
	if (!p)
		return NULL;
	live_objects++;
	memset(p, (gfp & __GFP_ZERO) ? 0 : POISON, size);
	return p;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	return host_alloc(size, gfp);
}

void kfree(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	live_objects--;
	free((void *)p);
}

struct kmem_cache {
	size_t size;
	char name[32];
};

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned long flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s = calloc(1, sizeof(*s));

	(void)align;
	(void)flags;
	(void)ctor;
	if (!s)
		return NULL;
	s->size = size;
	strscpy(s->name, name, sizeof(s->name));
	return s;
}

int kmem_cache_destroy(struct kmem_cache *s)
{
	free(s);
	return 0;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return host_alloc(s->size, gfp);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	(void)s;
	kfree(obj);
}

void net_host_reset(void)
{
	arp_flush(NULL);
	eth_reset_handlers();
	pktbuf_init();
	ip_init();
	arp_init();
	memset(&net_stats, 0, sizeof(net_stats));
	net_arp_timeout_s = ARP_DEFAULT_TIMEOUT_S;
	net_test_loss = net_test_dup = net_test_reorder = 0;
	fail_after = -1;
}
