// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueues (OASIS VIRTIO 1.0, 2.4): a descriptor table, the
 * available ring the driver fills and the used ring the device fills, in
 * one physically contiguous block from the page allocator.
 *
 * Free descriptors form a list through their .next fields.  A buffer is a
 * chain of descriptors; its head index is what travels through the rings,
 * and tokens[head] remembers the caller's cookie until the device is done.
 * Ordering (2.4.7, 2.4.8): descriptors and the ring entry are written
 * before avail->idx; used->idx is read before the entries it covers; the
 * "does the device want a notification" check comes after avail->idx is
 * globally visible (a full barrier).  x86 keeps stores in order and loads
 * in order, so the write/read barriers only have to stop the compiler.
 *
 * No VIRTIO_F_RING_EVENT_IDX and no indirect descriptors: the flags in
 * avail->flags and used->flags are the whole suppression protocol.
 * Tested on QEMU 7.2 virtio-net-pci.
 */
#define pr_fmt(fmt) "virtqueue " fmt

#include <lego/errno.h>
#include <lego/gfp.h>
#include <lego/kernel.h>
#include <lego/slab.h>
#include <asm/atomic.h>
#include <asm/io.h>
#include <asm/page.h>

#include "internal.h"

#define VQ_USED_ALIGN	64	/* a cache line apart from what we write */

static size_t vq_avail_off(u16 num)
{
	return sizeof(struct virtq_desc) * num;
}

static size_t vq_used_off(u16 num)
{
	/* flags, idx, ring[num], used_event */
	return ALIGN(vq_avail_off(num) + 2 * (3 + (size_t)num), VQ_USED_ALIGN);
}

static size_t vq_bytes(u16 num)
{
	/* flags, idx, ring[num], avail_event */
	return vq_used_off(num) + 6 + sizeof(struct virtq_used_elem) * num;
}

static unsigned int vq_order(size_t bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

int vq_alloc(struct virtqueue *vq, u16 index, u16 num)
{
	u8 *mem;
	u16 i;

	if (!num || num > VIRTQ_MAX_SIZE || (num & (num - 1)))
		return -EINVAL;
	vq->ring_order = vq_order(vq_bytes(num));
	vq->ring_mem = __get_free_pages(GFP_KERNEL | __GFP_ZERO,
					vq->ring_order);
	if (!vq->ring_mem)
		return -ENOMEM;
	vq->tokens = kcalloc(num, sizeof(*vq->tokens), GFP_KERNEL);
	if (!vq->tokens) {
		free_pages(vq->ring_mem, vq->ring_order);
		vq->ring_mem = 0;
		return -ENOMEM;
	}
	mem = (u8 *)vq->ring_mem;
	vq->index = index;
	vq->num = num;
	vq->desc = (struct virtq_desc *)mem;
	vq->avail = (struct virtq_avail *)(mem + vq_avail_off(num));
	vq->used = (struct virtq_used *)(mem + vq_used_off(num));
	for (i = 0; i < num - 1; i++)
		vq->desc[i].next = i + 1;
	vq->free_head = 0;
	vq->num_free = num;
	vq->avail_idx = 0;
	vq->last_used = 0;
	return 0;
}

/* Only after the device was reset: it must not touch the rings again. */
void vq_free(struct virtqueue *vq)
{
	kfree(vq->tokens);
	free_pages(vq->ring_mem, vq->ring_order);
	vq->tokens = NULL;
	vq->ring_mem = 0;
	vq->num = 0;
}

phys_addr_t vq_desc_addr(const struct virtqueue *vq)
{
	return __pa(vq->desc);
}

phys_addr_t vq_avail_addr(const struct virtqueue *vq)
{
	return __pa(vq->avail);
}

phys_addr_t vq_used_addr(const struct virtqueue *vq)
{
	return __pa(vq->used);
}

/* Chain @n segments on free descriptors and offer them (2.4.7). */
int vq_add(struct virtqueue *vq, const struct vq_seg *segs, unsigned int n,
	   void *token)
{
	u16 head = vq->free_head, i = head, last = head;
	unsigned int k;

	if (!n || !token)
		return -EINVAL;
	if (n > vq->num_free)
		return -ENOSPC;
	for (k = 0; k < n; k++) {
		struct virtq_desc *d = &vq->desc[i];

		d->addr = segs[k].addr;
		d->len = segs[k].len;
		d->flags = (segs[k].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
			   (k + 1 < n ? VIRTQ_DESC_F_NEXT : 0);
		last = i;
		i = d->next;
	}
	vq->free_head = vq->desc[last].next;
	vq->num_free -= n;
	vq->tokens[head] = token;

	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = head;
	smp_wmb();	/* descriptors and ring entry before the index */
	vq->avail_idx++;
	WRITE_ONCE(vq->avail->idx, vq->avail_idx);
	return 0;
}

/* 2.4.7.2: notify unless the device asked not to be. */
void vq_kick(struct virtqueue *vq)
{
	smp_mb();	/* avail->idx visible before reading used->flags */
	if (!(READ_ONCE(vq->used->flags) & VIRTQ_USED_F_NO_NOTIFY))
		writew(vq->index, vq->notify);
}

bool vq_has_used(const struct virtqueue *vq)
{
	return READ_ONCE(vq->used->idx) != vq->last_used;
}

/* Put the chain starting at @head back on the free list. */
static void vq_detach(struct virtqueue *vq, u16 head)
{
	u16 i = head, n = 1;

	while ((vq->desc[i].flags & VIRTQ_DESC_F_NEXT) && n < vq->num) {
		i = vq->desc[i].next;
		n++;
	}
	vq->desc[i].next = vq->free_head;
	vq->free_head = head;
	vq->num_free += n;
	vq->tokens[head] = NULL;
}

/* The next buffer the device finished, with the bytes it wrote; or NULL. */
void *vq_get_buf(struct virtqueue *vq, u32 *len)
{
	while (vq_has_used(vq)) {
		struct virtq_used_elem *e;
		void *token;
		u32 id;

		smp_rmb();	/* used->idx before the entry it covers */
		e = &vq->used->ring[vq->last_used & (vq->num - 1)];
		id = READ_ONCE(e->id);
		*len = READ_ONCE(e->len);
		vq->last_used++;
		if (id >= vq->num || !vq->tokens[id]) {
			pr_err_ratelimited("queue %u: device returned bad head %u\n",
					   vq->index, id);
			continue;
		}
		token = vq->tokens[id];
		vq_detach(vq, id);
		return token;
	}
	return NULL;
}

void *vq_detach_unused(struct virtqueue *vq)
{
	void *token;
	u16 i;

	for (i = 0; i < vq->num; i++) {
		token = vq->tokens[i];
		if (token) {
			vq_detach(vq, i);
			return token;
		}
	}
	return NULL;
}

/* A hint (2.4.7.1): the device may still interrupt once more. */
void vq_disable_cb(struct virtqueue *vq)
{
	WRITE_ONCE(vq->avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
}

bool vq_enable_cb(struct virtqueue *vq)
{
	WRITE_ONCE(vq->avail->flags, 0);
	smp_mb();	/* flag visible before we look for missed work */
	return vq_has_used(vq);
}
