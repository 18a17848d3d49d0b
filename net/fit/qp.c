// SPDX-License-Identifier: GPL-2.0
/*
 * FIT's transport over RC queue pairs: connection attempts (QPs, receive
 * buffers, send slots), the send path with credits and fragments, the
 * receive path with reassembly, and the poller.  core.c builds calls and
 * replies on top; member.c decides when connections are made and ended.
 *
 * Flow control.  Each QP has credits + max_calls + FIT_CREDIT_SLOTS
 * receive buffers, all posted all the time (the poller copies a message
 * out and reposts its buffer at once):
 *   - CALL and SEND messages (each fragment) spend one of the `credits`
 *     the peer granted in its hello; the receiver returns them in the
 *     `credits` field of whatever it sends next on that QP, or in a CREDIT
 *     message once half of them are owed and nothing else went out;
 *   - a REPLY lands in one of the max_calls buffers the caller keeps for
 *     the replies to its own outstanding calls on that QP (a caller never
 *     has more out);
 *   - CREDIT messages land in the FIT_CREDIT_SLOTS buffers: at most two
 *     are ever in flight, because one is sent only for half the credits.
 * RNR retry (rnr_retry 7, forever) stays as the transport's backstop.
 */
#include "core.h"

/* ---- connections ------------------------------------------------------- */

static void fit_cq_event(struct ib_cq *cq, void *arg)
{
	struct fit_qp *q = arg;
	struct fit_ctx *ctx = q->conn->peer->ctx;

	atomic_set(&q->event, 1);
	atomic_set(&ctx->poll_kick, 1);
	wake_up(&ctx->poll_wait);
}

static int fit_post_recv(struct fit_qp *q, u32 idx)
{
	struct ib_sge sge = {
		.addr = q->rbuf_addr[idx],
		.length = FIT_BUF_SIZE,
		.lkey = q->conn->peer->ctx->pd->local_dma_lkey,
	};
	struct ib_recv_wr wr = {
		.wr_id = WR_ID(WR_RECV, idx),
		.sg_list = &sge,
		.num_sge = 1,
	};

	return ib_post_recv(q->qp, &wr, NULL);
}

static void fit_qp_free(struct fit_ctx *ctx, struct fit_qp *q)
{
	struct fit_work *w, *tmp;
	u32 i;

	if (q->qp && !IS_ERR(q->qp))
		ib_destroy_qp(q->qp);
	if (q->cq && !IS_ERR(q->cq))
		ib_destroy_cq(q->cq);
	q->qp = NULL;
	q->cq = NULL;
	for (i = 0; q->rbuf && i < q->nr_rbufs; i++) {
		if (!q->rbuf[i])
			continue;
		fit_os_unmap(ctx, q->rbuf_addr[i], FIT_BUF_SIZE);
		kfree(q->rbuf[i]);
	}
	for (i = 0; q->sslot && i < q->nr_sslots; i++) {
		if (!q->sslot[i].buf)
			continue;
		fit_os_unmap(ctx, q->sslot[i].addr, FIT_BUF_SIZE);
		kfree(q->sslot[i].buf);
	}
	list_for_each_entry_safe(w, tmp, &q->partial, node) {
		list_del(&w->node);
		fit_os_free_large(w->data);
		kfree(w);
	}
	kfree(q->rbuf);
	kfree(q->rbuf_addr);
	kfree(q->sslot);
	kfree(q->free_slots);
}

static int fit_qp_alloc(struct fit_ctx *ctx, struct fit_qp *q)
{
	const struct fit_config *c = &ctx->cfg;
	struct ib_cq_init_attr ca = { 0 };
	struct ib_qp_init_attr ia = { 0 };
	struct ib_qp_attr a = { 0 };
	u32 i;
	int err;

	spin_lock_init(&q->lock);
	init_waitqueue_head(&q->wait);
	INIT_LIST_HEAD(&q->partial);
	atomic_set(&q->event, 0);
	q->nr_rbufs = c->credits + c->max_calls + FIT_CREDIT_SLOTS;
	q->nr_sslots = c->credits + c->max_calls + FIT_CREDIT_SLOTS;
	q->psn = (u32)fit_os_random64() & FIT_PSN_MASK;
	q->rbuf = kcalloc(q->nr_rbufs, sizeof(*q->rbuf), GFP_KERNEL);
	q->rbuf_addr = kcalloc(q->nr_rbufs, sizeof(*q->rbuf_addr), GFP_KERNEL);
	q->sslot = kcalloc(q->nr_sslots, sizeof(*q->sslot), GFP_KERNEL);
	q->free_slots = kcalloc(q->nr_sslots, sizeof(u32), GFP_KERNEL);
	if (!q->rbuf || !q->rbuf_addr || !q->sslot || !q->free_slots)
		return -ENOMEM;
	for (i = 0; i < q->nr_rbufs; i++) {
		q->rbuf[i] = kmalloc(FIT_BUF_SIZE, GFP_KERNEL);
		if (!q->rbuf[i])
			return -ENOMEM;
		q->rbuf_addr[i] = fit_os_map(ctx, q->rbuf[i], FIT_BUF_SIZE);
	}
	/* The credit slots are the last ones, never on the free stack. */
	for (i = 0; i < q->nr_sslots; i++) {
		q->sslot[i].buf = kmalloc(FIT_BUF_SIZE, GFP_KERNEL);
		if (!q->sslot[i].buf)
			return -ENOMEM;
		q->sslot[i].addr = fit_os_map(ctx, q->sslot[i].buf,
					      FIT_BUF_SIZE);
		if (i < q->nr_sslots - FIT_CREDIT_SLOTS)
			q->free_slots[q->nr_free++] = i;
	}

	ca.cqe = q->nr_rbufs + 2 * q->nr_sslots + 16;
	q->cq = ib_create_cq(ctx->dev, fit_cq_event, NULL, q, &ca);
	if (IS_ERR(q->cq))
		return PTR_ERR(q->cq);
	ia.qp_type = IB_QPT_RC;
	ia.sq_sig_type = IB_SIGNAL_ALL_WR;
	ia.send_cq = q->cq;
	ia.recv_cq = q->cq;
	ia.cap.max_send_wr = 2 * q->nr_sslots;
	ia.cap.max_recv_wr = q->nr_rbufs;
	ia.cap.max_send_sge = 1;
	ia.cap.max_recv_sge = 1;
	q->qp = ib_create_qp(ctx->pd, &ia);
	if (IS_ERR(q->qp))
		return PTR_ERR(q->qp);

	a.qp_state = IB_QPS_INIT;
	a.port_num = ctx->port;
	a.pkey_index = 0;
	a.qp_access_flags = IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_WRITE |
			    IB_ACCESS_REMOTE_READ;
	err = ib_modify_qp(q->qp, &a, IB_QP_STATE | IB_QP_PKEY_INDEX |
			   IB_QP_PORT | IB_QP_ACCESS_FLAGS);
	for (i = 0; !err && i < q->nr_rbufs; i++)
		err = fit_post_recv(q, i);
	if (!err)
		err = ib_req_notify_cq(q->cq, IB_CQ_NEXT_COMP);
	return err;
}

static void fit_conn_destroy(struct fit_conn *c)
{
	struct fit_ctx *ctx = c->peer->ctx;
	u32 i;

	for (i = 0; i < c->nr_qps; i++)
		fit_qp_free(ctx, &c->qps[i]);
	kfree(c);
}

bool fit_conn_get(struct fit_conn *c)
{
	if (!c || READ_ONCE(c->dead))
		return false;
	atomic_inc(&c->refs);
	return true;
}

void fit_conn_put(struct fit_conn *c)
{
	if (c && atomic_dec_and_test(&c->refs))
		fit_conn_destroy(c);
}

/*
 * A new connection attempt to @peer: QPs in INIT with every receive
 * posted, not yet bound to the peer.  Called by fit-mgr; the caller
 * publishes it as peer->conn.
 */
struct fit_conn *fit_conn_create(struct fit_peer *peer)
{
	struct fit_ctx *ctx = peer->ctx;
	struct fit_conn *c = kzalloc(sizeof(*c), GFP_KERNEL);
	unsigned long flags;
	u32 i;
	int err = -ENOMEM;

	if (!c)
		goto fail;
	c->peer = peer;
	c->gen = ++peer->next_gen;
	c->nr_qps = ctx->cfg.nr_qps;
	atomic_set(&c->refs, 1);		/* ctx->conns' reference */
	INIT_LIST_HEAD(&c->node);
	for (i = 0; i < c->nr_qps; i++) {
		c->qps[i].conn = c;
		c->qps[i].index = i;
		err = fit_qp_alloc(ctx, &c->qps[i]);
		if (err)
			goto fail;
	}
	spin_lock_irqsave(&ctx->lock, flags);
	list_add_tail(&c->node, &ctx->conns);
	spin_unlock_irqrestore(&ctx->lock, flags);
	return c;
fail:
	pr_err_ratelimited(FIT_PFX "node %d: cannot create %u QPs: %d\n",
			   peer->id, ctx->cfg.nr_qps, err);
	if (c)
		fit_conn_destroy(c);
	return NULL;
}

/* Move @c's QPs to RTR and RTS towards the QPs @h describes. */
int fit_conn_bind(struct fit_conn *c, const struct fit_hello *h)
{
	struct fit_ctx *ctx = c->peer->ctx;
	struct ib_qp_attr a;
	union ib_gid dgid;
	u32 i;
	int err = 0;

	/* The RoCEv2 GID of an IPv4 address: ::ffff:a.b.c.d. */
	memset(&dgid, 0, sizeof(dgid));
	dgid.raw[10] = 0xff;
	dgid.raw[11] = 0xff;
	memcpy(&dgid.raw[12], &h->ipv4, 4);
	for (i = 0; i < c->nr_qps && !err; i++) {
		struct fit_qp *q = &c->qps[i];

		memset(&a, 0, sizeof(a));
		a.qp_state = IB_QPS_RTR;
		a.path_mtu = min_t(u32, ctx->mtu, h->mtu);
		a.dest_qp_num = h->qpn[i] & FIT_PSN_MASK;
		a.rq_psn = h->psn[i] & FIT_PSN_MASK;
		a.max_dest_rd_atomic = 1;
		a.min_rnr_timer = 1;		/* 0.01 ms: buffers return fast */
		a.ah_attr.type = RDMA_AH_ATTR_TYPE_ROCE;
		rdma_ah_set_port_num(&a.ah_attr, ctx->port);
		rdma_ah_set_grh(&a.ah_attr, &dgid, 0, ctx->sgid_index, 64, 0);
		memcpy(a.ah_attr.roce.dmac, h->mac, 6);
		err = ib_modify_qp(q->qp, &a, IB_QP_STATE | IB_QP_AV |
				   IB_QP_PATH_MTU | IB_QP_DEST_QPN |
				   IB_QP_RQ_PSN | IB_QP_MAX_DEST_RD_ATOMIC |
				   IB_QP_MIN_RNR_TIMER);
		if (err)
			break;
		memset(&a, 0, sizeof(a));
		a.qp_state = IB_QPS_RTS;
		a.sq_psn = q->psn;
		a.timeout = 14;			/* 67 ms */
		a.retry_cnt = 7;
		a.rnr_retry = 7;		/* forever: see flow control */
		a.max_rd_atomic = 1;
		err = ib_modify_qp(q->qp, &a, IB_QP_STATE | IB_QP_SQ_PSN |
				   IB_QP_TIMEOUT | IB_QP_RETRY_CNT |
				   IB_QP_RNR_RETRY | IB_QP_MAX_QP_RD_ATOMIC);
		spin_lock_irq(&q->lock);
		q->credits = h->credits;
		spin_unlock_irq(&q->lock);
	}
	if (err)
		return err;
	c->bound = true;
	c->peer_epoch = h->epoch;
	c->peer_gen = h->gen;
	return 0;
}

/*
 * Tear @c down (fit-mgr only): no new users, QPs to ERR, every call
 * outstanding to the peer fails with @err, waiters wake.  The memory goes
 * with the last reference.  Returns the number of calls failed.
 */
u32 fit_conn_kill(struct fit_conn *c, int err)
{
	struct fit_peer *peer = c->peer;
	struct fit_ctx *ctx = peer->ctx;
	struct ib_qp_attr a = { .qp_state = IB_QPS_ERR };
	unsigned long flags;
	u32 i, failed;

	spin_lock_irqsave(&ctx->lock, flags);
	WRITE_ONCE(c->dead, true);
	list_del_init(&c->node);
	if (peer->conn == c)
		peer->conn = NULL;
	spin_unlock_irqrestore(&ctx->lock, flags);

	for (i = 0; i < c->nr_qps; i++) {
		struct fit_qp *q = &c->qps[i];
		u32 j;

		ib_modify_qp(q->qp, &a, IB_QP_STATE);
		/* Replies waiting for their WRITE: it will not complete now. */
		spin_lock_irqsave(&q->lock, flags);
		for (j = 0; j < q->nr_sslots; j++) {
			if (!q->sslot[j].done)
				continue;
			*q->sslot[j].status = -EHOSTDOWN;
			complete(q->sslot[j].done);
			q->sslot[j].done = NULL;
			q->sslot[j].status = NULL;
		}
		spin_unlock_irqrestore(&q->lock, flags);
	}
	spin_lock_irqsave(&peer->call_lock, flags);
	failed = fit_calls_fail(&peer->calls, -1, err);
	for (i = 0; i < peer->calls.nr; i++)
		if (peer->call_slots[i].state == FIT_CALL_DONE)
			complete(&peer->call_done[i]);
	spin_unlock_irqrestore(&peer->call_lock, flags);
	wake_up_all(&peer->call_wait);
	for (i = 0; i < c->nr_qps; i++)
		wake_up_all(&c->qps[i].wait);
	wake_up_all(&peer->wait);
	fit_conn_put(c);
	return failed;
}

/* ---- the send path --------------------------------------------------------- */

/* A free send slot (and a credit if @credit): its index, or -1. */
static int fit_try_slot(struct fit_qp *q, bool credit)
{
	unsigned long flags;
	int idx = -1;

	spin_lock_irqsave(&q->lock, flags);
	if (q->nr_free && (!credit || q->credits > 0)) {
		idx = q->free_slots[--q->nr_free];
		if (credit)
			q->credits--;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return idx;
}

void fit_put_slot(struct fit_qp *q, u32 idx)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->sslot[idx].done = NULL;
	q->sslot[idx].status = NULL;
	if (idx >= q->nr_sslots - FIT_CREDIT_SLOTS)
		q->credit_busy &= ~(1u << (idx - (q->nr_sslots - FIT_CREDIT_SLOTS)));
	else
		q->free_slots[q->nr_free++] = idx;
	spin_unlock_irqrestore(&q->lock, flags);
	wake_up(&q->wait);
}

/* Wait for a slot (and credit) until @deadline: index or -errno. */
int fit_get_slot(struct fit_qp *q, bool credit, u64 deadline)
{
	struct fit_peer *peer = q->conn->peer;
	unsigned long flags;
	int idx = fit_try_slot(q, credit);
	u64 ms;

	if (idx >= 0)
		return idx;
	spin_lock_irqsave(&peer->call_lock, flags);
	peer->stats.credit_waits++;
	spin_unlock_irqrestore(&peer->call_lock, flags);
	for (;;) {
		if (READ_ONCE(q->conn->dead))
			return -EHOSTDOWN;
		ms = fit_ms_left(deadline);
		if (!ms)
			return -ETIMEDOUT;
		fit_wait_event_ms(q->wait, (idx = fit_try_slot(q, credit)) >= 0 ||
				  READ_ONCE(q->conn->dead), ms);
		if (idx >= 0)
			return idx;
	}
}

/*
 * A message that was not posted: its slot is free again, the credits its
 * header was to return are still owed, and the credit it spent (if
 * @spent) is ours again.
 */
void fit_give_back(struct fit_qp *q, u32 idx, u16 owed, bool spent)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->owed += owed;
	if (spent)
		q->credits++;
	spin_unlock_irqrestore(&q->lock, flags);
	fit_put_slot(q, idx);
}

/* Credits owed to the peer, to send in a header now. */
u16 fit_take_owed(struct fit_qp *q)
{
	unsigned long flags;
	int n;

	spin_lock_irqsave(&q->lock, flags);
	n = min(q->owed, 0xffff);
	q->owed -= n;
	spin_unlock_irqrestore(&q->lock, flags);
	return n;
}

void fit_hdr_fill(struct fit_qp *q, struct fit_hdr *h, u8 type,
			 u16 opcode)
{
	struct fit_ctx *ctx = q->conn->peer->ctx;

	fit_hdr_init(h, type, opcode, ctx->cfg.node, q->conn->peer->id,
		     (u32)ctx->epoch);
	h->qp = q->index;
}

/*
 * Post the WRs of slot @idx: @wr (a WRITE, or NULL) then a SEND of @len
 * bytes of the slot.  A full send queue is retried until @deadline.
 */
int fit_post_slot(struct fit_qp *q, u32 idx, u32 len,
			 struct ib_rdma_wr *wr, u64 deadline)
{
	struct fit_ctx *ctx = q->conn->peer->ctx;
	struct ib_sge sge = {
		.addr = q->sslot[idx].addr,
		.length = len,
		.lkey = ctx->pd->local_dma_lkey,
	};
	struct ib_send_wr send = {
		.wr_id = WR_ID(WR_SEND, idx),
		.sg_list = &sge,
		.num_sge = 1,
		.opcode = IB_WR_SEND,
		.send_flags = IB_SEND_SIGNALED,
	};
	const struct ib_send_wr *first = &send, *bad;
	unsigned long flags;
	int err;

	if (wr) {
		wr->wr.next = &send;
		first = &wr->wr;
	}
	for (;;) {
		if (READ_ONCE(q->conn->dead))
			return -EHOSTDOWN;
		err = ib_post_send(q->qp, first, &bad);
		if (err != -ENOMEM)
			break;
		/* The WRITE may have gone: go on with the SEND alone. */
		if (bad == &send)
			first = &send;
		spin_lock_irqsave(&q->conn->peer->call_lock, flags);
		q->conn->peer->stats.retries++;
		spin_unlock_irqrestore(&q->conn->peer->call_lock, flags);
		if (!fit_ms_left(deadline))
			return -ETIMEDOUT;
		fit_os_msleep(1);
	}
	if (err)
		pr_err_ratelimited(FIT_PFX "node %d qp %u: post_send: %d\n",
				   q->conn->peer->id, q->index, err);
	return err;
}

/*
 * Send a message of @total payload bytes with header @h (type, opcode,
 * req_id and reply fields set) on @q, cut into fragments when it does
 * not fit a buffer.  CALL and SEND spend credits.
 */
int fit_send_msg(struct fit_qp *q, struct fit_hdr *h,
			const void *payload, u32 total, u64 deadline)
{
	bool credit = h->type == FIT_MSG_CALL || h->type == FIT_MSG_SEND;
	u32 off = 0, n;
	int idx, err;

	h->total = total;
	if (total > FIT_INLINE_MAX)
		h->flags |= FIT_F_FRAG;
	do {
		struct fit_hdr *out;

		n = min_t(u32, total - off, FIT_INLINE_MAX);
		idx = fit_get_slot(q, credit, deadline);
		if (idx < 0)
			return idx;
		out = q->sslot[idx].buf;
		*out = *h;
		out->len = n;
		out->offset = off;
		out->credits = fit_take_owed(q);
		if (n)
			memcpy(out + 1, (const u8 *)payload + off, n);
		err = fit_post_slot(q, idx, sizeof(*out) + n, NULL, deadline);
		if (err) {
			fit_give_back(q, idx, out->credits, credit);
			return err;
		}
		off += n;
	} while (off < total);
	return 0;
}

/* A CREDIT message if half the credits are owed and a credit slot is free
 * (the poller, after reposting receives). */
static void fit_maybe_send_credit(struct fit_qp *q)
{
	struct fit_ctx *ctx = q->conn->peer->ctx;
	unsigned long flags;
	struct fit_hdr *out;
	u32 idx, i;

	spin_lock_irqsave(&q->lock, flags);
	for (i = 0; i < FIT_CREDIT_SLOTS; i++)
		if (!(q->credit_busy & (1u << i)))
			break;
	if ((u32)q->owed * 2 < ctx->cfg.credits || i == FIT_CREDIT_SLOTS) {
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	q->credit_busy |= 1u << i;
	idx = q->nr_sslots - FIT_CREDIT_SLOTS + i;
	out = q->sslot[idx].buf;
	spin_unlock_irqrestore(&q->lock, flags);

	fit_hdr_fill(q, out, FIT_MSG_CREDIT, 0);
	out->credits = fit_take_owed(q);
	if (fit_post_slot(q, idx, sizeof(*out), NULL, fit_os_now_ns()))
		fit_give_back(q, idx, out->credits, false);
}

/* Pick a QP of @c for a new message. */
struct fit_qp *fit_pick_qp(struct fit_conn *c)
{
	u32 n = (u32)atomic_inc_return(&c->peer->rr);

	return &c->qps[n % c->nr_qps];
}

/* ---- receiving ------------------------------------------------------------- */

void fit_count(struct fit_peer *peer, u64 *counter, u64 n)
{
	unsigned long flags;

	spin_lock_irqsave(&peer->call_lock, flags);
	*counter += n;
	spin_unlock_irqrestore(&peer->call_lock, flags);
}

void fit_queue_work(struct fit_ctx *ctx, struct fit_work *w)
{
	unsigned long flags;

	spin_lock_irqsave(&ctx->work_lock, flags);
	list_add_tail(&w->node, &ctx->work);
	spin_unlock_irqrestore(&ctx->work_lock, flags);
	wake_up(&ctx->work_wait);
}

/* Answer a bad CALL we can still identify with -EBADMSG. */
static void fit_reject_call(struct fit_qp *q, const struct fit_hdr *h)
{
	struct fit_hdr r;

	if (h->type != FIT_MSG_CALL || !h->req_id)
		return;
	fit_hdr_fill(q, &r, FIT_MSG_REPLY, h->opcode);
	r.req_id = h->req_id;
	r.status = -EBADMSG;
	fit_send_msg(q, &r, NULL, 0, fit_os_now_ns() + 100 * 1000000ull);
}

static void fit_rx_reply(struct fit_qp *q, const struct fit_hdr *h)
{
	struct fit_peer *peer = q->conn->peer;
	struct fit_call_slot *s;
	unsigned long flags;
	s32 result;

	spin_lock_irqsave(&peer->call_lock, flags);
	s = fit_calls_lookup(&peer->calls, h->req_id);
	if (!s) {
		peer->stats.late_replies++;
		spin_unlock_irqrestore(&peer->call_lock, flags);
		return;
	}
	if (h->status < 0) {
		result = h->status;
	} else if (h->total > s->cap) {
		result = -EMSGSIZE;
	} else if (h->flags & FIT_F_WRITTEN) {
		/* Only into a buffer the call offered (see fit_call()). */
		result = s->cap >= FIT_RDMA_MIN ? (s32)h->total : -EBADMSG;
	} else {
		memcpy(s->reply, h + 1, h->len);
		result = h->len;
	}
	if (result >= 0)
		peer->stats.bytes_in += result;
	fit_calls_complete(&peer->calls, s, result);
	complete(&peer->call_done[s - peer->call_slots]);
	spin_unlock_irqrestore(&peer->call_lock, flags);
}

static void fit_partial_del(struct fit_qp *q, struct fit_work *w)
{
	list_del_init(&w->node);
	q->nr_partial--;
	q->partial_bytes -= w->hdr.total;
}

static struct fit_work *fit_find_partial(struct fit_qp *q, u64 req_id)
{
	struct fit_work *w;

	list_for_each_entry(w, &q->partial, node)
		if (w->hdr.req_id == req_id)
			return w;
	return NULL;
}

static struct fit_work *fit_work_alloc(struct fit_qp *q,
				       const struct fit_hdr *h, u32 inline_len)
{
	struct fit_work *w = kmalloc(sizeof(*w) + inline_len, GFP_KERNEL);

	if (!w)
		return NULL;
	memset(w, 0, sizeof(*w));
	INIT_LIST_HEAD(&w->node);
	w->peer = q->conn->peer;
	w->conn = q->conn;
	w->qp = q->index;
	w->hdr = *h;
	w->data = w->inline_data;
	return w;
}

void fit_work_free(struct fit_work *w)
{
	if (w->large)
		fit_os_free_large(w->data);
	kfree(w);
}

/* A CALL or SEND (or a fragment of one): to a worker once complete. */
static void fit_rx_request(struct fit_qp *q, const struct fit_hdr *h)
{
	struct fit_peer *peer = q->conn->peer;
	struct fit_ctx *ctx = peer->ctx;
	struct fit_work *w;

	if (!(h->flags & FIT_F_FRAG)) {
		w = fit_work_alloc(q, h, h->len);
		if (!w)
			goto nomem;
		memcpy(w->data, h + 1, h->len);
		w->got = h->len;
	} else if (h->offset == 0) {
		/* A peer announces totals; what we hold for it is bounded. */
		if (fit_find_partial(q, h->req_id) ||
		    q->nr_partial >= ctx->cfg.credits ||
		    q->partial_bytes + h->total > FIT_PARTIAL_MAX)
			goto bad;
		w = fit_work_alloc(q, h, 0);
		if (!w)
			goto nomem;
		w->data = fit_os_alloc_large(h->total);
		if (!w->data) {
			kfree(w);
			goto nomem;
		}
		w->large = true;
		memcpy(w->data, h + 1, h->len);
		w->got = h->len;
		if (w->got < h->total) {
			list_add_tail(&w->node, &q->partial);
			q->nr_partial++;
			q->partial_bytes += h->total;
			return;
		}
	} else {
		w = fit_find_partial(q, h->req_id);
		if (!w || h->offset != w->got || h->total != w->hdr.total ||
		    h->type != w->hdr.type || h->opcode != w->hdr.opcode) {
			if (w) {
				fit_partial_del(q, w);
				fit_work_free(w);
			}
			goto bad;
		}
		memcpy(w->data + h->offset, h + 1, h->len);
		w->got += h->len;
		if (w->got < w->hdr.total)
			return;
		fit_partial_del(q, w);
	}
	if (!fit_conn_get(q->conn)) {
		fit_work_free(w);
		return;
	}
	fit_count(peer, &peer->stats.msgs_in, 1);
	fit_count(peer, &peer->stats.bytes_in, w->hdr.total);
	fit_queue_work(ctx, w);
	return;
nomem:
	pr_err_ratelimited(FIT_PFX "node %d: no memory for a %u-byte message\n",
			   peer->id, h->total);
	if (h->type == FIT_MSG_CALL && h->offset == 0) {
		struct fit_hdr r;

		fit_hdr_fill(q, &r, FIT_MSG_REPLY, h->opcode);
		r.req_id = h->req_id;
		r.status = -ENOMEM;
		fit_send_msg(q, &r, NULL, 0, fit_os_now_ns() + 100000000ull);
	}
	return;
bad:
	fit_count(peer, &peer->stats.bad_msgs, 1);
	pr_warn_ratelimited(FIT_PFX "node %d: bad fragment of request %llx (offset %u of %u)\n",
			    peer->id, (unsigned long long)h->req_id,
			    h->offset, h->total);
	fit_reject_call(q, h);
}

static void fit_rx(struct fit_qp *q, u32 idx, u32 byte_len)
{
	struct fit_peer *peer = q->conn->peer;
	struct fit_ctx *ctx = peer->ctx;
	const struct fit_hdr *h = q->rbuf[idx];
	const char *why = NULL;
	unsigned long flags;
	bool spent;
	int err;

	err = fit_hdr_check(h, byte_len, ctx->cfg.node, &why);
	if (!err && h->src_node != peer->id)
		err = -EBADMSG, why = "src_node is not this QP's peer";
	else if (!err && h->epoch != (u32)q->conn->peer_epoch)
		err = -EBADMSG, why = "epoch is not the connected peer's";
	/* Whatever it is, a CALL or SEND spent one of our credits. */
	spent = byte_len >= sizeof(*h) &&
		(h->type == FIT_MSG_CALL || h->type == FIT_MSG_SEND);
	if (err) {
		fit_count(peer, &peer->stats.bad_msgs, 1);
		pr_warn_ratelimited(FIT_PFX "node %d qp %u: dropped a bad message (%u bytes): %s\n",
				    peer->id, q->index, byte_len, why);
		if (byte_len >= sizeof(*h) && h->magic == FIT_MAGIC)
			fit_reject_call(q, h);
	} else {
		if (h->credits) {
			spin_lock_irqsave(&q->lock, flags);
			q->credits += h->credits;
			if (q->credits > (int)peer->credits)
				q->credits = peer->credits;	/* a liar */
			spin_unlock_irqrestore(&q->lock, flags);
			wake_up(&q->wait);
		}
		switch (h->type) {
		case FIT_MSG_REPLY:
			fit_rx_reply(q, h);
			break;
		case FIT_MSG_CALL:
		case FIT_MSG_SEND:
			fit_rx_request(q, h);
			break;
		default:		/* CREDIT: done above */
			break;
		}
	}
	if (fit_post_recv(q, idx))
		pr_err_ratelimited(FIT_PFX "node %d qp %u: cannot repost a receive\n",
				   peer->id, q->index);
	if (spent) {
		spin_lock_irqsave(&q->lock, flags);
		q->owed++;
		spin_unlock_irqrestore(&q->lock, flags);
		fit_maybe_send_credit(q);
	}
}

static void fit_wc(struct fit_qp *q, const struct ib_wc *wc)
{
	struct fit_conn *c = q->conn;
	u64 kind = WR_KIND(wc->wr_id);
	u32 idx = WR_IDX(wc->wr_id);
	unsigned long flags;

	if (wc->status != IB_WC_SUCCESS) {
		if (wc->status != IB_WC_WR_FLUSH_ERR && !READ_ONCE(c->dead) &&
		    !c->failed) {
			pr_warn(FIT_PFX "node %d qp %u: %s\n", c->peer->id,
				q->index, ib_wc_status_msg(wc->status));
			WRITE_ONCE(c->failed, -EHOSTDOWN);
			atomic_set(&c->peer->ctx->mgr_kick, 1);
			wake_up(&c->peer->ctx->mgr_wait);
		}
		if (kind == WR_RECV)
			return;
	}
	if (kind == WR_RECV) {
		if (idx < q->nr_rbufs)
			fit_rx(q, idx, wc->byte_len);
		return;
	}
	if (kind != WR_SEND || idx >= q->nr_sslots)
		return;			/* a WRITE: its SEND follows */
	spin_lock_irqsave(&q->lock, flags);
	if (q->sslot[idx].done) {
		*q->sslot[idx].status = wc->status == IB_WC_SUCCESS ? 0 : -EIO;
		complete(q->sslot[idx].done);
	}
	spin_unlock_irqrestore(&q->lock, flags);
	fit_put_slot(q, idx);
	if (idx >= q->nr_sslots - FIT_CREDIT_SLOTS)
		fit_maybe_send_credit(q);
}

static void fit_drain(struct fit_qp *q)
{
	struct ib_wc wc[FIT_POLL_BATCH];
	int n, i;

	for (;;) {
		n = ib_poll_cq(q->cq, FIT_POLL_BATCH, wc);
		if (n <= 0) {
			ib_req_notify_cq(q->cq, IB_CQ_NEXT_COMP);
			n = ib_poll_cq(q->cq, FIT_POLL_BATCH, wc);
			if (n <= 0)
				return;
		}
		for (i = 0; i < n; i++)
			fit_wc(q, &wc[i]);
	}
}

int fit_poll_thread(void *arg)
{
	struct fit_ctx *ctx = arg;
	struct fit_conn *snap[FIT_MAX_NODES * 2];
	struct fit_conn *c;
	unsigned long flags;
	int n, i;
	u32 j;

	while (!fit_os_thread_should_stop()) {
		fit_wait_event_ms(ctx->poll_wait,
				  atomic_read(&ctx->poll_kick) ||
				  fit_os_thread_should_stop(), 1000);
		atomic_set(&ctx->poll_kick, 0);
		n = 0;
		spin_lock_irqsave(&ctx->lock, flags);
		list_for_each_entry(c, &ctx->conns, node) {
			if (n < (int)ARRAY_SIZE(snap) && fit_conn_get(c))
				snap[n++] = c;
		}
		spin_unlock_irqrestore(&ctx->lock, flags);
		for (i = 0; i < n; i++) {
			for (j = 0; j < snap[i]->nr_qps; j++) {
				struct fit_qp *q = &snap[i]->qps[j];

				if (atomic_xchg(&q->event, 0))
					fit_drain(q);
			}
			fit_conn_put(snap[i]);
		}
	}
	return 0;
}
