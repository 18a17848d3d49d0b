// SPDX-License-Identifier: GPL-2.0
/*
 * Host stand-ins for the verbs core's kernel services; see rdma_host.h.
 * Built like a kernel source (lego_host_rename.h forced in).
 */
#include <stdio.h>
#include <stdlib.h>

/* glibc's spelling; <lego/compiler.h> brings the kernel's. */
#undef __always_inline
#undef offsetof

#include <lego/kernel.h>
#include <lego/mutex.h>
#include <lego/printk.h>
#include <lego/slab.h>

#include "../../drivers/infiniband/core/internal.h"
#include "rdma_host.h"

/* A reference never dropped would make ib_wait_for_refs() spin forever. */
#define MSLEEP_LIMIT	100000

static long live_objects;
static long fail_after = -1;
static unsigned long msleeps;

long rdma_host_live_objects(void)
{
	return live_objects;
}

void rdma_host_fail_after(long n)
{
	fail_after = n;
}

void *kmalloc(size_t size, gfp_t gfp)
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
	memset(p, (gfp & __GFP_ZERO) ? 0 : 0xa5, size);
	return p;
}

void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return kmalloc(n * size, gfp);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

void kfree(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	live_objects--;
	free((void *)p);
}

void mutex_init(struct mutex *m)
{
	m->owner = NULL;
}

void mutex_lock(struct mutex *m)
{
	if (m->owner) {
		fprintf(stderr, "mutex_lock: already held (single-threaded test)\n");
		abort();
	}
	m->owner = (struct task_struct *)m;
}

void mutex_unlock(struct mutex *m)
{
	m->owner = NULL;
}

void msleep(unsigned int ms)
{
	(void)ms;
	if (++msleeps > MSLEEP_LIMIT) {
		fprintf(stderr, "msleep: a reference is never dropped\n");
		abort();
	}
}

bool __ratelimit(struct ratelimit_state *rs)
{
	(void)rs;
	return true;
}
