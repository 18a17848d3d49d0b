// SPDX-License-Identifier: GPL-2.0
/*
 * Packet buffers (include/net/pktbuf.h).
 *
 * The common case is one object from the "pktbuf" cache: 2 KiB, aligned
 * to 2 KiB (so it never crosses a page and is physically contiguous),
 * holding the struct pktbuf in its first PKTBUF_INLINE_OFFSET bytes and
 * the buffer after it.  A driver's RX buffer (NET_HEADROOM + a 12-byte
 * virtio header + a 1518-byte frame) and every frame the stack builds fit.
 * A larger request (jumbo frames) takes a struct from "pktbuf-head" and a
 * buffer from kmalloc(), which is physically contiguous too.  The two
 * are told apart by where head points.
 *
 * Everything here may run in interrupt context and never sleeps.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <net/pktbuf.h>

static struct kmem_cache *pktbuf_cache;		/* struct + inline buffer */
static struct kmem_cache *pktbuf_head_cache;	/* struct only (jumbo) */

int pktbuf_init(void)
{
	BUILD_BUG_ON(sizeof(struct pktbuf) > PKTBUF_INLINE_OFFSET);

	if (pktbuf_cache)
		return 0;
	pktbuf_cache = kmem_cache_create("pktbuf", PKTBUF_OBJ_SIZE,
					 PKTBUF_OBJ_SIZE, 0, NULL);
	pktbuf_head_cache = kmem_cache_create("pktbuf-head",
					      sizeof(struct pktbuf),
					      SLAB_CACHE_LINE, 0, NULL);
	if (!pktbuf_cache || !pktbuf_head_cache)
		return -ENOMEM;
	return 0;
}

static inline u8 *pktbuf_inline_buf(struct pktbuf *pkt)
{
	return (u8 *)pkt + PKTBUF_INLINE_OFFSET;
}

static struct pktbuf *pktbuf_alloc_jumbo(u32 total, gfp_t gfp)
{
	struct pktbuf *pkt = kmem_cache_alloc(pktbuf_head_cache, gfp);

	if (!pkt)
		return NULL;
	pkt->head = kmalloc(total, gfp);
	if (!pkt->head) {
		kmem_cache_free(pktbuf_head_cache, pkt);
		return NULL;
	}
	pkt->size = total;
	return pkt;
}

struct pktbuf *pktbuf_alloc(u32 headroom, u32 size, gfp_t gfp)
{
	struct pktbuf *pkt;
	u32 total = headroom + size;

	gfp &= ~__GFP_ZERO;
	if (total < headroom || total > PKTBUF_MAX_SIZE)
		return NULL;
	if (total <= PKTBUF_INLINE_SIZE) {
		pkt = kmem_cache_alloc(pktbuf_cache, gfp);
		if (!pkt)
			return NULL;
		pkt->head = pktbuf_inline_buf(pkt);
		pkt->size = PKTBUF_INLINE_SIZE;
	} else {
		pkt = pktbuf_alloc_jumbo(total, gfp);
		if (!pkt)
			return NULL;
	}
	INIT_LIST_HEAD(&pkt->list);
	pkt->data = pkt->head + headroom;
	pkt->len = 0;
	pkt->dev = NULL;
	pkt->destructor = NULL;
	pkt->priv = NULL;
	pkt->network_header = 0;
	pkt->transport_header = 0;
	return pkt;
}

void pktbuf_release(struct pktbuf *pkt)
{
	if (pkt->head == pktbuf_inline_buf(pkt)) {
		kmem_cache_free(pktbuf_cache, pkt);
	} else {
		kfree(pkt->head);
		kmem_cache_free(pktbuf_head_cache, pkt);
	}
}

void pktbuf_free(struct pktbuf *pkt)
{
	if (!pkt)
		return;
	if (pkt->destructor)
		pkt->destructor(pkt);
	else
		pktbuf_release(pkt);
}

struct pktbuf *pktbuf_copy(const struct pktbuf *pkt, gfp_t gfp)
{
	u32 headroom = pktbuf_headroom(pkt);
	struct pktbuf *copy = pktbuf_alloc(headroom, pkt->len, gfp);

	if (!copy)
		return NULL;
	memcpy(pktbuf_put(copy, pkt->len), pkt->data, pkt->len);
	copy->dev = pkt->dev;
	copy->network_header = pkt->network_header;
	copy->transport_header = pkt->transport_header;
	return copy;
}
