/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet buffers: one contiguous, physically contiguous buffer per frame,
 * with headroom so that each layer can prepend its header in place.
 *
 *	head                data            data + len          head + size
 *	|<--- headroom ---->|<---- frame ---->|<---- tailroom ---->|
 *
 * A pktbuf belongs to exactly one owner at a time: the driver (on a ring),
 * the stack (while a frame is processed) or a queue (ARP resolution, a
 * socket-like endpoint).  Whoever owns it last frees it.
 */
#ifndef _NET_PKTBUF_H
#define _NET_PKTBUF_H

#include <lego/list.h>
#include <lego/types.h>
#include <lego/gfp.h>

struct netdev;

struct pktbuf {
	struct list_head list;		/* for the current owner's queues */
	u8 *head;			/* start of the buffer */
	u8 *data;			/* start of the valid bytes */
	u32 len;			/* valid bytes from data */
	u32 size;			/* buffer bytes from head */
	struct netdev *dev;		/* rx: arrived on; tx: leaving by */
	/*
	 * optional: called by pktbuf_free() instead of a plain free, e.g.
	 * when the NIC is done; it may recycle @pkt or pktbuf_release() it.
	 */
	void (*destructor)(struct pktbuf *pkt);
	void *priv;			/* for the destructor's owner */
	/* Offsets from head, set on the way in and out (0: not yet). */
	u16 network_header;		/* the IPv4 header */
	u16 transport_header;		/* the UDP/ICMP header */
};

#define PKTBUF_OBJ_SIZE		2048
#define PKTBUF_INLINE_OFFSET	128	/* struct pktbuf, rounded up */
#define PKTBUF_INLINE_SIZE	(PKTBUF_OBJ_SIZE - PKTBUF_INLINE_OFFSET)
/* Largest buffer (headroom + size) pktbuf_alloc() accepts. */
#define PKTBUF_MAX_SIZE		(16 * 1024)

/*
 * A buffer with @size bytes of room after @headroom bytes of headroom, or
 * NULL.  GFP_ATOMIC from interrupt context.
 */
struct pktbuf *pktbuf_alloc(u32 headroom, u32 size, gfp_t gfp);
/* Hand @pkt to its destructor, or free it (NULL: no-op). */
void pktbuf_free(struct pktbuf *pkt);
/* Free @pkt and its buffer whatever its destructor: for destructors. */
void pktbuf_release(struct pktbuf *pkt);
/* A new pktbuf with the same headroom and bytes, no destructor; or NULL. */
struct pktbuf *pktbuf_copy(const struct pktbuf *pkt, gfp_t gfp);
/* Create the caches (core_initcall of the net core). */
int pktbuf_init(void);

static inline u32 pktbuf_headroom(const struct pktbuf *pkt)
{
	return pkt->data - pkt->head;
}

static inline u32 pktbuf_tailroom(const struct pktbuf *pkt)
{
	return pkt->size - pktbuf_headroom(pkt) - pkt->len;
}

/* Prepend @n bytes (a header); NULL if the headroom is too small. */
static inline void *pktbuf_push(struct pktbuf *pkt, u32 n)
{
	if (pktbuf_headroom(pkt) < n)
		return NULL;
	pkt->data -= n;
	pkt->len += n;
	return pkt->data;
}

/* Strip @n bytes from the front; returns the old data or NULL if short. */
static inline void *pktbuf_pull(struct pktbuf *pkt, u32 n)
{
	void *old = pkt->data;

	if (pkt->len < n)
		return NULL;
	pkt->data += n;
	pkt->len -= n;
	return old;
}

/* Append @n bytes; returns where they go, or NULL if no tailroom. */
static inline void *pktbuf_put(struct pktbuf *pkt, u32 n)
{
	void *tail = pkt->data + pkt->len;

	if (pktbuf_tailroom(pkt) < n)
		return NULL;
	pkt->len += n;
	return tail;
}

/* Where the headers are, once a layer has set their offsets. */
static inline void *pktbuf_network_header(const struct pktbuf *pkt)
{
	return pkt->head + pkt->network_header;
}

static inline void *pktbuf_transport_header(const struct pktbuf *pkt)
{
	return pkt->head + pkt->transport_header;
}

/* Drop bytes past @len (e.g. Ethernet padding after an IPv4 packet). */
static inline void pktbuf_trim(struct pktbuf *pkt, u32 len)
{
	if (len < pkt->len)
		pkt->len = len;
}

#endif /* _NET_PKTBUF_H */
