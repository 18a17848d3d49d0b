// SPDX-License-Identifier: GPL-2.0
/*
 * FIT core: calls and replies on top of the transport (qp.c), the public
 * API's entry and exit, and starting and stopping FIT.  The same file is
 * built into the bare-metal kernels and into linux-modules/fit (fit_os.h
 * hides the differences).
 */
#include "core.h"

static struct fit_ctx *fit_cur;		/* the running instance */

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
