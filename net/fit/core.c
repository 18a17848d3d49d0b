// SPDX-License-Identifier: GPL-2.0
/*
 * FIT core: connections, the send path, the poller, calls and replies.
 * The same file is built into the bare-metal kernels and into
 * linux-modules/fit (fit_os.h hides the differences).
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

static struct fit_ctx *fit_cur;		/* the running instance */

#define WR_KIND_SHIFT	62
#define WR_RECV		1ull
#define WR_SEND		2ull
#define WR_WRITE	3ull
#define WR_ID(kind, idx) ((kind) << WR_KIND_SHIFT | (u32)(idx))
#define WR_KIND(id)	((id) >> WR_KIND_SHIFT)
#define WR_IDX(id)	((u32)(id))

#define FIT_RDMA_MIN	4096	/* reply buffers this big are RDMA targets */
#define FIT_POLL_BATCH	16

struct fit_ctx *fit_ctx_get(void)
{
	struct fit_ctx *ctx = READ_ONCE(fit_cur);

	return ctx && READ_ONCE(ctx->running) ? ctx : NULL;
}

/*
 * The public API runs between these two, so that fit_stop() can wait for
 * every caller to leave before it frees the peers.  (The atomic increment
 * is a full barrier: either fit_stop() sees the user, or the user sees
 * running == false.)
 */
struct fit_ctx *fit_api_enter(void)
{
	struct fit_ctx *ctx = READ_ONCE(fit_cur);

	if (!ctx)
		return NULL;
	atomic_inc(&ctx->api_users);
	if (READ_ONCE(ctx->running))
		return ctx;
	atomic_dec(&ctx->api_users);
	return NULL;
}

void fit_api_exit(struct fit_ctx *ctx)
{
	if (ctx)
		atomic_dec(&ctx->api_users);
}

struct fit_peer *fit_peer_get(struct fit_ctx *ctx, int node)
{
	if (node < 0 || node >= FIT_MAX_NODES)
		return NULL;
	return ctx->peers[node];
}

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

static void fit_put_slot(struct fit_qp *q, u32 idx)
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

static u64 fit_ms_left(u64 deadline)
{
	u64 now = fit_os_now_ns();

	return now >= deadline ? 0 : (deadline - now + 999999) / 1000000;
}

/* Wait for a slot (and credit) until @deadline: index or -errno. */
static int fit_get_slot(struct fit_qp *q, bool credit, u64 deadline)
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
static void fit_give_back(struct fit_qp *q, u32 idx, u16 owed, bool spent)
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
static u16 fit_take_owed(struct fit_qp *q)
{
	unsigned long flags;
	int n;

	spin_lock_irqsave(&q->lock, flags);
	n = min(q->owed, 0xffff);
	q->owed -= n;
	spin_unlock_irqrestore(&q->lock, flags);
	return n;
}

static void fit_hdr_fill(struct fit_qp *q, struct fit_hdr *h, u8 type,
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
static int fit_post_slot(struct fit_qp *q, u32 idx, u32 len,
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
static int fit_send_msg(struct fit_qp *q, struct fit_hdr *h,
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
static struct fit_qp *fit_pick_qp(struct fit_conn *c)
{
	u32 n = (u32)atomic_inc_return(&c->peer->rr);

	return &c->qps[n % c->nr_qps];
}

/* ---- receiving ------------------------------------------------------------- */

static void fit_count(struct fit_peer *peer, u64 *counter, u64 n)
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

static void fit_work_free(struct fit_work *w)
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
		if (fit_find_partial(q, h->req_id) ||
		    q->nr_partial >= ctx->cfg.credits)
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
			return;
		}
	} else {
		w = fit_find_partial(q, h->req_id);
		if (!w || h->offset != w->got || h->total != w->hdr.total ||
		    h->type != w->hdr.type || h->opcode != w->hdr.opcode) {
			if (w) {
				list_del(&w->node);
				q->nr_partial--;
				fit_work_free(w);
			}
			goto bad;
		}
		memcpy(w->data + h->offset, h + 1, h->len);
		w->got += h->len;
		if (w->got < w->hdr.total)
			return;
		list_del_init(&w->node);
		q->nr_partial--;
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

/* ---- calls ------------------------------------------------------------------ */

/* The peer's connection once it is up, waiting until @deadline. */
static struct fit_conn *fit_wait_conn(struct fit_peer *peer, u64 deadline)
{
	struct fit_ctx *ctx = peer->ctx;
	struct fit_conn *c = NULL;
	unsigned long flags;
	u64 ms;

	for (;;) {
		spin_lock_irqsave(&ctx->lock, flags);
		if (peer->state == FIT_PEER_UP && peer->conn &&
		    fit_conn_get(peer->conn))
			c = peer->conn;
		spin_unlock_irqrestore(&ctx->lock, flags);
		if (c || READ_ONCE(peer->state) == FIT_PEER_REFUSED)
			return c;
		ms = fit_ms_left(deadline);
		if (!ms)
			return NULL;
		fit_wait_event_ms(peer->wait,
				  READ_ONCE(peer->state) != FIT_PEER_DOWN, ms);
	}
}

static int fit_check_args(struct fit_ctx *ctx, int node, u16 opcode,
			  const void *buf, size_t len)
{
	if (!ctx)
		return -ENODEV;
	if (!fit_peer_get(ctx, node) || opcode >= FIT_MAX_OPCODE ||
	    len > FIT_MAX_MSG || (len && !buf))
		return -EINVAL;
	return 0;
}

/*
 * A call that offered its buffer for RDMA WRITE timed out: the reply may
 * still come, after the buffer is the caller's again.  Stop the QP now
 * (in ERR it places nothing more) and let fit-mgr rebuild the
 * connection; the other calls on it fail with -EHOSTDOWN.  (LegoOS would
 * refuse the write by its key anyway, Linux's global rkey would not.)
 */
static void fit_revoke(struct fit_qp *q)
{
	struct fit_conn *c = q->conn;
	struct ib_qp_attr a = { .qp_state = IB_QPS_ERR };

	ib_modify_qp(q->qp, &a, IB_QP_STATE);
	if (!READ_ONCE(c->failed))
		WRITE_ONCE(c->failed, -ETIMEDOUT);
	atomic_set(&c->peer->ctx->mgr_kick, 1);
	wake_up(&c->peer->ctx->mgr_wait);
	pr_warn_ratelimited(FIT_PFX "node %d: a call with an RDMA reply buffer timed out; reconnecting\n",
			    c->peer->id);
}

/* The slot of request id @id (calls.c: gen << 32 | index + 1). */
static u32 fit_call_index(u64 id)
{
	return (u32)id - 1;
}

static bool fit_call_finished(struct fit_peer *peer, u64 id,
			      struct fit_conn *c)
{
	unsigned long flags;
	bool done;

	spin_lock_irqsave(&peer->call_lock, flags);
	done = fit_calls_done(&peer->calls, id);
	spin_unlock_irqrestore(&peer->call_lock, flags);
	return done || READ_ONCE(c->dead);
}

static int __fit_call(struct fit_ctx *ctx, int node, u16 opcode,
		      const void *req, size_t len, void *reply, size_t cap,
		      unsigned int timeout_ms)
{
	struct fit_peer *peer;
	struct fit_conn *c;
	struct fit_qp *q;
	struct fit_mr mr = { 0 };
	struct fit_hdr h;
	unsigned long flags;
	u64 t0, deadline, id = 0;
	bool remote = false, exposed = false;
	s32 result;
	int err;

	err = fit_check_args(ctx, node, opcode, req, len);
	if (err)
		return err;
	if (cap > FIT_MAX_MSG || (cap && !reply))
		return -EINVAL;
	peer = fit_peer_get(ctx, node);
	t0 = fit_os_now_ns();
	deadline = t0 + (u64)(timeout_ms ? timeout_ms : ctx->cfg.timeout_ms) *
			1000000ull;
	c = fit_wait_conn(peer, deadline);
	spin_lock_irqsave(&peer->call_lock, flags);
	peer->stats.calls++;
	if (!c)
		peer->stats.hostdown++;
	spin_unlock_irqrestore(&peer->call_lock, flags);
	if (!c)
		return -EHOSTDOWN;

	q = fit_pick_qp(c);
	if (cap >= FIT_RDMA_MIN) {
		err = fit_os_reg(ctx, reply, cap, &mr);
		if (err)
			goto out;
		exposed = true;
	}
	for (;;) {
		spin_lock_irqsave(&peer->call_lock, flags);
		id = fit_calls_get(&peer->calls, q->index, reply, cap, t0);
		if (id)
			reinit_completion(&peer->call_done[fit_call_index(id)]);
		spin_unlock_irqrestore(&peer->call_lock, flags);
		if (id)
			break;
		err = READ_ONCE(c->dead) ? -EHOSTDOWN : -ETIMEDOUT;
		if (READ_ONCE(c->dead) || !fit_ms_left(deadline))
			goto out;
		fit_count(peer, &peer->stats.credit_waits, 1);
		fit_wait_event_ms(peer->call_wait, READ_ONCE(c->dead) ||
				  peer->calls.per_qp_used[q->index] <
				  peer->calls.per_qp_max,
				  fit_ms_left(deadline));
	}

	fit_hdr_fill(q, &h, FIT_MSG_CALL, opcode);
	h.req_id = id;
	h.reply_cap = cap;
	if (exposed) {
		h.flags |= FIT_F_REPLY_RDMA;
		h.reply_addr = mr.addr;
		h.reply_rkey = mr.rkey;
	}
	err = fit_send_msg(q, &h, req, len, deadline);
	if (!err) {
		fit_count(peer, &peer->stats.bytes_out, len);
		/* Woken by its own reply, or by the connection's end. */
		while (!fit_call_finished(peer, id, c) && fit_ms_left(deadline))
			fit_wait_completion_ms(&peer->call_done[fit_call_index(id)],
					       fit_ms_left(deadline));
	}
	spin_lock_irqsave(&peer->call_lock, flags);
	if (fit_calls_put(&peer->calls, id, &result)) {
		err = result;
		remote = result < 0;
	} else if (!err) {
		err = READ_ONCE(c->dead) ? -EHOSTDOWN : -ETIMEDOUT;
	}
	id = 0;
	spin_unlock_irqrestore(&peer->call_lock, flags);
	if (err == -ETIMEDOUT && exposed)
		fit_revoke(q);
	wake_up_all(&peer->call_wait);	/* a slot is free */
out:
	if (exposed)
		fit_os_unreg(ctx, &mr);
	spin_lock_irqsave(&peer->call_lock, flags);
	if (err >= 0) {
		peer->stats.calls_ok++;
		fit_hist_add(peer->stats.hist, fit_os_now_ns() - t0);
	} else if (err == -ETIMEDOUT) {
		peer->stats.timeouts++;
	} else if (err == -EHOSTDOWN) {
		peer->stats.hostdown++;
	} else if (remote) {
		peer->stats.remote_err++;
	}
	spin_unlock_irqrestore(&peer->call_lock, flags);
	fit_conn_put(c);
	return err;
}

int fit_call(int node, u16 opcode, const void *req, size_t len,
	     void *reply, size_t cap, unsigned int timeout_ms)
{
	struct fit_ctx *ctx = fit_api_enter();
	int ret = __fit_call(ctx, node, opcode, req, len, reply, cap,
			     timeout_ms);

	fit_api_exit(ctx);
	return ret;
}

static int __fit_send(struct fit_ctx *ctx, int node, u16 opcode,
		      const void *msg, size_t len)
{
	struct fit_peer *peer;
	struct fit_conn *c;
	struct fit_hdr h;
	u64 deadline;
	int err;

	err = fit_check_args(ctx, node, opcode, msg, len);
	if (err)
		return err;
	peer = fit_peer_get(ctx, node);
	deadline = fit_os_now_ns() + (u64)ctx->cfg.timeout_ms * 1000000ull;
	fit_count(peer, &peer->stats.sends, 1);
	c = fit_wait_conn(peer, deadline);
	if (!c) {
		fit_count(peer, &peer->stats.hostdown, 1);
		return -EHOSTDOWN;
	}
	{
		struct fit_qp *q = fit_pick_qp(c);

		fit_hdr_fill(q, &h, FIT_MSG_SEND, opcode);
		h.req_id = (u64)atomic_inc_return(&peer->rr) | 1ull << 63;
		err = fit_send_msg(q, &h, msg, len, deadline);
	}
	if (!err)
		fit_count(peer, &peer->stats.bytes_out, len);
	else if (err == -ETIMEDOUT)
		fit_count(peer, &peer->stats.timeouts, 1);
	fit_conn_put(c);
	return err;
}

int fit_send(int node, u16 opcode, const void *msg, size_t len)
{
	struct fit_ctx *ctx = fit_api_enter();
	int ret = __fit_send(ctx, node, opcode, msg, len);

	fit_api_exit(ctx);
	return ret;
}

/* ---- replies ---------------------------------------------------------------- */

int fit_rpc_src(const struct fit_rpc *rpc)
{
	return ((const struct fit_work *)rpc)->hdr.src_node;
}

bool fit_rpc_is_call(const struct fit_rpc *rpc)
{
	return ((const struct fit_work *)rpc)->hdr.type == FIT_MSG_CALL;
}

size_t fit_rpc_reply_cap(const struct fit_rpc *rpc)
{
	const struct fit_work *w = (const struct fit_work *)rpc;

	return w->hdr.type == FIT_MSG_CALL ? w->hdr.reply_cap : 0;
}

static int fit_reply_begin(struct fit_work *w, struct fit_qp **qp,
			   struct fit_hdr *h, s32 status)
{
	if (w->hdr.type != FIT_MSG_CALL || w->replied)
		return -EINVAL;
	w->replied = true;
	if (READ_ONCE(w->conn->dead))
		return -EHOSTDOWN;	/* the caller has been failed already */
	*qp = &w->conn->qps[w->qp];
	fit_hdr_fill(*qp, h, FIT_MSG_REPLY, w->hdr.opcode);
	h->req_id = w->hdr.req_id;
	h->status = status;
	return 0;
}

static u64 fit_reply_deadline(struct fit_work *w)
{
	const struct fit_config *c = &w->peer->ctx->cfg;

	return fit_os_now_ns() + (u64)(c->timeout_ms + c->dead_ms) * 1000000ull;
}

/* RDMA-write @len bytes at @src into the caller's buffer, then the header. */
static int fit_reply_written(struct fit_work *w, const void *src, u32 len)
{
	struct fit_ctx *ctx = w->peer->ctx;
	struct completion done;
	struct fit_qp *q;
	struct fit_hdr *out, h;
	struct ib_sge sge;
	struct ib_rdma_wr wr;
	unsigned long flags;
	u64 addr, deadline = fit_reply_deadline(w);
	int idx, err, status = -EIO;

	err = fit_reply_begin(w, &q, &h, 0);
	if (err)
		return err;
	h.flags |= FIT_F_WRITTEN;
	h.total = len;
	idx = fit_get_slot(q, false, deadline);
	if (idx < 0)
		return idx;
	init_completion(&done);
	out = q->sslot[idx].buf;
	*out = h;
	out->credits = fit_take_owed(q);
	addr = fit_os_map(ctx, (void *)src, len);
	sge.addr = addr;
	sge.length = len;
	sge.lkey = ctx->pd->local_dma_lkey;
	memset(&wr, 0, sizeof(wr));
	wr.wr.wr_id = WR_ID(WR_WRITE, idx);
	wr.wr.sg_list = &sge;
	wr.wr.num_sge = 1;
	wr.wr.opcode = IB_WR_RDMA_WRITE;
	wr.wr.send_flags = IB_SEND_SIGNALED;
	wr.remote_addr = w->hdr.reply_addr;
	wr.rkey = w->hdr.reply_rkey;
	spin_lock_irqsave(&q->lock, flags);
	q->sslot[idx].done = &done;
	q->sslot[idx].status = &status;
	spin_unlock_irqrestore(&q->lock, flags);
	err = fit_post_slot(q, idx, sizeof(*out), &wr, deadline);
	if (err) {
		fit_give_back(q, idx, out->credits, false);
		fit_os_unmap(ctx, addr, len);
		return err;
	}
	/* The source must not be reused before the WRITE is done. */
	if (!fit_wait_completion_ms(&done, fit_ms_left(deadline))) {
		spin_lock_irqsave(&q->lock, flags);
		q->sslot[idx].done = NULL;
		q->sslot[idx].status = NULL;
		spin_unlock_irqrestore(&q->lock, flags);
		err = -ETIMEDOUT;
	} else {
		err = status;
	}
	fit_os_unmap(ctx, addr, len);
	if (!err) {
		fit_count(w->peer, &w->peer->stats.replies_out, 1);
		fit_count(w->peer, &w->peer->stats.bytes_out, len);
	}
	return err;
}

int fit_reply(struct fit_rpc *rpc, const void *buf, size_t len)
{
	struct fit_work *w = (struct fit_work *)rpc;
	struct fit_qp *q;
	struct fit_hdr h;
	int err;

	if (len && !buf)
		return -EINVAL;
	if (len > w->hdr.reply_cap || len > FIT_MAX_MSG)
		return fit_reply_err(rpc, -EMSGSIZE);
	if (len > FIT_INLINE_MAX) {
		if (!(w->hdr.flags & FIT_F_REPLY_RDMA))
			return fit_reply_err(rpc, -EMSGSIZE);
		return fit_reply_written(w, buf, len);
	}
	err = fit_reply_begin(w, &q, &h, 0);
	if (err)
		return err;
	err = fit_send_msg(q, &h, buf, len, fit_reply_deadline(w));
	if (!err) {
		fit_count(w->peer, &w->peer->stats.replies_out, 1);
		fit_count(w->peer, &w->peer->stats.bytes_out, len);
	}
	return err;
}

int fit_reply_page(struct fit_rpc *rpc, const void *page)
{
	struct fit_work *w = (struct fit_work *)rpc;

	if (!page || w->hdr.type != FIT_MSG_CALL)
		return -EINVAL;
	if (!(w->hdr.flags & FIT_F_REPLY_RDMA) || w->hdr.reply_cap < 4096)
		return fit_reply_err(rpc, -EMSGSIZE);
	return fit_reply_written(w, page, 4096);
}

int fit_reply_err(struct fit_rpc *rpc, int err)
{
	struct fit_work *w = (struct fit_work *)rpc;
	struct fit_qp *q;
	struct fit_hdr h;
	int ret;

	if (err >= 0)
		err = -EINVAL;
	ret = fit_reply_begin(w, &q, &h, err);
	if (ret)
		return ret;
	return fit_send_msg(q, &h, NULL, 0, fit_reply_deadline(w));
}

/* ---- start and stop --------------------------------------------------------- */

static void fit_free_peers(struct fit_ctx *ctx)
{
	int i;

	for (i = 0; i < FIT_MAX_NODES; i++) {
		if (!ctx->peers[i])
			continue;
		kfree(ctx->peers[i]->call_slots);
		kfree(ctx->peers[i]->call_done);
		kfree(ctx->peers[i]);
		ctx->peers[i] = NULL;
	}
}

static int fit_alloc_peers(struct fit_ctx *ctx)
{
	const struct fit_config *c = &ctx->cfg;
	u32 nr = c->nr_qps * c->max_calls, j;
	int i;

	for (i = 0; i < c->nr_peers; i++) {
		struct fit_peer *p = kzalloc(sizeof(*p), GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		ctx->peers[c->peer_id[i]] = p;
		p->ctx = ctx;
		p->id = c->peer_id[i];
		p->ip = c->peer_ip[i];
		p->state = FIT_PEER_DOWN;
		init_waitqueue_head(&p->wait);
		init_waitqueue_head(&p->call_wait);
		spin_lock_init(&p->call_lock);
		atomic_set(&p->rr, 0);
		p->call_slots = kcalloc(nr, sizeof(*p->call_slots), GFP_KERNEL);
		p->call_done = kcalloc(nr, sizeof(*p->call_done), GFP_KERNEL);
		if (!p->call_slots || !p->call_done)
			return -ENOMEM;
		for (j = 0; j < nr; j++)
			init_completion(&p->call_done[j]);
		fit_calls_init(&p->calls, p->call_slots, nr, c->max_calls);
	}
	return 0;
}

static void fit_stop_threads(struct fit_ctx *ctx)
{
	unsigned int i;

	WRITE_ONCE(ctx->running, false);
	for (i = 0; i < FIT_MAX_WORKERS; i++) {
		if (!ctx->workers[i])
			continue;
		wake_up_all(&ctx->work_wait);
		fit_os_thread_stop(ctx->workers[i]);
		ctx->workers[i] = NULL;
	}
	if (ctx->mgr) {
		wake_up_all(&ctx->mgr_wait);
		fit_os_thread_stop(ctx->mgr);
		ctx->mgr = NULL;
	}
	if (ctx->poller) {
		wake_up_all(&ctx->poll_wait);
		fit_os_thread_stop(ctx->poller);
		ctx->poller = NULL;
	}
}

int fit_start(struct fit_ctx *ctx, const struct fit_config *cfg)
{
	const char *why = NULL;
	unsigned int i;
	char name[24];
	int err;

	err = fit_config_check(cfg, &why);
	if (err) {
		pr_err(FIT_PFX "bad configuration: %s\n", why);
		return err;
	}
	ctx->cfg = *cfg;
	ctx->epoch = fit_os_random64();
	spin_lock_init(&ctx->lock);
	spin_lock_init(&ctx->work_lock);
	INIT_LIST_HEAD(&ctx->conns);
	INIT_LIST_HEAD(&ctx->work);
	init_waitqueue_head(&ctx->mgr_wait);
	init_waitqueue_head(&ctx->poll_wait);
	init_waitqueue_head(&ctx->work_wait);
	atomic_set(&ctx->mgr_kick, 0);
	atomic_set(&ctx->poll_kick, 0);
	atomic_set(&ctx->api_users, 0);
	mutex_init(&ctx->handler_lock);

	err = fit_os_dev_open(ctx, cfg->dev, 10000);
	if (err)
		return err;
	err = fit_alloc_peers(ctx);
	if (err)
		goto fail;
	err = fit_os_udp_open(ctx, cfg->port);
	if (err) {
		pr_err(FIT_PFX "cannot bind UDP port %u: %d\n", cfg->port, err);
		goto fail;
	}
	ctx->running = true;
	fit_register_core_handlers(ctx);
	ctx->poller = fit_os_thread_run(fit_poll_thread, ctx, "fit-poll");
	ctx->mgr = fit_os_thread_run(fit_mgr_thread, ctx, "fit-mgr");
	for (i = 0; i < cfg->workers; i++) {
		snprintf(name, sizeof(name), "fit-worker/%u", i);
		ctx->workers[i] = fit_os_thread_run(fit_worker_thread, ctx,
						    name);
		if (!ctx->workers[i])
			break;
	}
	if (!ctx->poller || !ctx->mgr || i < cfg->workers) {
		pr_err(FIT_PFX "cannot start threads\n");
		err = -ENOMEM;
		goto fail_threads;
	}
	WRITE_ONCE(fit_cur, ctx);
	pr_info(FIT_PFX "node %d (%s) on %s %pI4: %d peers, %u QPs per peer, %u workers, call timeout %u ms, dead after %u ms, epoch %016llx\n",
		cfg->node, fit_role_name(cfg->role), ctx->dev->name,
		&ctx->local_ip, cfg->nr_peers, cfg->nr_qps, cfg->workers,
		cfg->timeout_ms, cfg->dead_ms,
		(unsigned long long)ctx->epoch);
	atomic_set(&ctx->mgr_kick, 1);
	wake_up(&ctx->mgr_wait);
	return 0;

fail_threads:
	fit_stop_threads(ctx);
	fit_os_udp_close(ctx);
fail:
	ctx->running = false;
	fit_free_peers(ctx);
	fit_os_dev_close(ctx);
	return err;
}

/* fit_stop(): wait for the callers still inside the API to leave. */
static void fit_wait_api_users(struct fit_ctx *ctx)
{
	unsigned int ms = 0;

	while (atomic_read(&ctx->api_users)) {
		if (ms && !(ms % 5000))
			pr_warn(FIT_PFX "stopping: %d callers still inside FIT\n",
				atomic_read(&ctx->api_users));
		fit_os_msleep(10);
		ms += 10;
	}
}

void fit_stop(struct fit_ctx *ctx)
{
	struct fit_work *w, *tmp;

	if (READ_ONCE(fit_cur) == ctx)
		WRITE_ONCE(fit_cur, NULL);
	WRITE_ONCE(ctx->running, false);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* see fit_api_enter() */
	fit_os_udp_close(ctx);
	fit_stop_threads(ctx);
	fit_mgr_shutdown(ctx);		/* kills every connection */
	fit_wait_api_users(ctx);
	list_for_each_entry_safe(w, tmp, &ctx->work, node) {
		list_del(&w->node);
		fit_conn_put(w->conn);
		fit_work_free(w);
	}
	fit_free_peers(ctx);
	fit_os_dev_close(ctx);
	pr_info(FIT_PFX "stopped\n");
}

void fit_work_done(struct fit_work *w)
{
	struct fit_conn *c = w->conn;

	fit_work_free(w);
	fit_conn_put(c);
}

#ifdef CONFIG_KTEST
/* ---- for the ktest suites (fit_test.c) ------------------------------------- */

u32 fit_test_epoch(void)
{
	struct fit_ctx *ctx = fit_ctx_get();

	return ctx ? (u32)ctx->epoch : 0;
}

/* Post @len raw bytes as one SEND on QP 0 to @node, spending no credit. */
int fit_test_post_raw(int node, const void *msg, u32 len)
{
	struct fit_ctx *ctx = fit_ctx_get();
	struct fit_peer *peer = ctx ? fit_peer_get(ctx, node) : NULL;
	u64 deadline = fit_os_now_ns() + 1000000000ull;
	struct fit_conn *c;
	struct fit_qp *q;
	int idx, err;

	if (!peer || len > FIT_BUF_SIZE)
		return -EINVAL;
	c = fit_wait_conn(peer, deadline);
	if (!c)
		return -EHOSTDOWN;
	q = &c->qps[0];
	idx = fit_get_slot(q, false, deadline);
	if (idx < 0) {
		fit_conn_put(c);
		return idx;
	}
	memcpy(q->sslot[idx].buf, msg, len);
	err = fit_post_slot(q, idx, len, NULL, deadline);
	if (err)
		fit_put_slot(q, idx);
	fit_conn_put(c);
	return err;
}
#endif
