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
	/* optional: called instead of a plain free when the NIC is done */
	void (*destructor)(struct pktbuf *pkt);
	void *priv;			/* for the destructor's owner */
};

/*
 * A buffer with @size bytes of room after @headroom bytes of headroom, or
 * NULL.  GFP_ATOMIC from interrupt context.
 */
struct pktbuf *pktbuf_alloc(u32 headroom, u32 size, gfp_t gfp);
void pktbuf_free(struct pktbuf *pkt);

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

/* Drop bytes past @len (e.g. Ethernet padding after an IPv4 packet). */
static inline void pktbuf_trim(struct pktbuf *pkt, u32 len)
{
	if (len < pkt->len)
		pkt->len = len;
}

#endif /* _NET_PKTBUF_H */
