// SPDX-License-Identifier: GPL-2.0
/*
 * FIT handlers: the opcode table, the worker threads that run handlers,
 * and FIT's own opcodes (ping, echo, zero-copy page, sink, slow, stats).
 */
#include "core.h"

static int fit_register(struct fit_ctx *ctx, u16 opcode, fit_handler_t fn,
			void *priv, const char *name)
{
	struct fit_handler *h = &ctx->handlers[opcode];
	int err = 0;

	mutex_lock(&ctx->handler_lock);
	if (h->fn) {
		err = -EBUSY;
	} else {
		h->priv = priv;
		h->name = name;
		h->count = 0;
		WRITE_ONCE(h->fn, fn);
	}
	mutex_unlock(&ctx->handler_lock);
	return err;
}

int fit_register_handler(u16 opcode, fit_handler_t fn, void *priv,
			 const char *name)
{
	struct fit_ctx *ctx = fit_api_enter();
	int err = -ENODEV;

	if (ctx && (!fn || opcode < FIT_OP_USER_BASE ||
		    opcode >= FIT_MAX_OPCODE))
		err = -EINVAL;
	else if (ctx)
		err = fit_register(ctx, opcode, fn, priv, name);
	fit_api_exit(ctx);
	return err;
}

/*
 * No new message reaches the handler once this returns, and none is
 * still running it: a module may unload its code afterwards.
 */
void fit_unregister_handler(u16 opcode)
{
	struct fit_ctx *ctx = fit_api_enter();
	struct fit_handler *h;

	if (!ctx || opcode < FIT_OP_USER_BASE || opcode >= FIT_MAX_OPCODE) {
		fit_api_exit(ctx);
		return;
	}
	h = &ctx->handlers[opcode];
	mutex_lock(&ctx->handler_lock);
	WRITE_ONCE(h->fn, NULL);
	mutex_unlock(&ctx->handler_lock);
	while (atomic_read(&h->running))
		fit_os_msleep(1);
	fit_api_exit(ctx);
}

/* The ping a node sends each peer once it is up, for the log. */
static void fit_ping_log(struct fit_peer *p)
{
	u64 t0 = fit_os_now_ns();
	int ret = fit_call(p->id, FIT_OP_PING, NULL, 0, NULL, 0, 0);

	if (ret >= 0)
		pr_info(FIT_PFX "ping node %d (%s): ok, %llu us\n", p->id,
			fit_role_name(p->role),
			(unsigned long long)(fit_os_now_ns() - t0) / 1000);
	else
		pr_warn(FIT_PFX "ping node %d (%s): failed: %d\n", p->id,
			fit_role_name(p->role), ret);
}

static void fit_handle(struct fit_ctx *ctx, struct fit_work *w)
{
	struct fit_rpc *rpc = (struct fit_rpc *)w;
	struct fit_handler *h;
	fit_handler_t fn;
	int ret;

	if (w->hdr.type == 0) {			/* internal: see member.c */
		fit_ping_log(w->peer);
		kfree(w);
		return;
	}
	h = &ctx->handlers[w->hdr.opcode];
	/* Counted before fn is read: see fit_unregister_handler(). */
	atomic_inc(&h->running);
	fn = READ_ONCE(h->fn);
	if (!fn) {
		atomic_dec(&h->running);
		unsigned long flags;

		spin_lock_irqsave(&w->peer->call_lock, flags);
		w->peer->stats.unknown_op++;
		spin_unlock_irqrestore(&w->peer->call_lock, flags);
		pr_warn_ratelimited(FIT_PFX "node %d sent opcode %u, which has no handler\n",
				    w->peer->id, w->hdr.opcode);
		if (fit_rpc_is_call(rpc))
			fit_reply_err(rpc, -EOPNOTSUPP);
		fit_work_done(w);
		return;
	}
	ret = fn(rpc, w->data, w->hdr.total, h->priv);
	atomic_dec(&h->running);
	h->count++;
	if (fit_rpc_is_call(rpc) && !w->replied) {
		if (ret < 0)
			fit_reply_err(rpc, ret);
		else
			fit_reply(rpc, NULL, 0);
	}
	fit_work_done(w);
}

int fit_worker_thread(void *arg)
{
	struct fit_ctx *ctx = arg;
	struct fit_work *w;
	unsigned long flags;

	while (!fit_os_thread_should_stop()) {
		fit_wait_event_ms(ctx->work_wait, !list_empty(&ctx->work) ||
				  fit_os_thread_should_stop(), 1000);
		spin_lock_irqsave(&ctx->work_lock, flags);
		w = list_first_entry_or_null(&ctx->work, struct fit_work, node);
		if (w)
			list_del_init(&w->node);
		spin_unlock_irqrestore(&ctx->work_lock, flags);
		if (w)
			fit_handle(ctx, w);
	}
	return 0;
}

/* ---- FIT's own opcodes ------------------------------------------------------- */

static int fit_op_ping(struct fit_rpc *rpc, void *req, size_t len, void *priv)
{
	return 0;
}

static int fit_op_echo(struct fit_rpc *rpc, void *req, size_t len, void *priv)
{
	return fit_reply(rpc, req, len);
}

static int fit_op_page(struct fit_rpc *rpc, void *req, size_t len, void *priv)
{
	u8 *page;
	u64 seed, i;
	int err;

	if (len != sizeof(seed))
		return -EINVAL;
	memcpy(&seed, req, sizeof(seed));
	page = kmalloc(4096, GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	for (i = 0; i < 4096; i++)
		page[i] = fit_fill_byte(seed, i);
	err = fit_reply_page(rpc, page);
	kfree(page);
	return err;
}

static int fit_op_sink(struct fit_rpc *rpc, void *req, size_t len, void *priv)
{
	return 0;
}

static int fit_op_slow(struct fit_rpc *rpc, void *req, size_t len, void *priv)
{
	u32 ms;

	if (len != sizeof(ms))
		return -EINVAL;
	memcpy(&ms, req, sizeof(ms));
	if (ms > 60000)
		return -EINVAL;
	fit_os_msleep(ms);
	return 0;
}

static int fit_op_stats(struct fit_rpc *rpc, void *req, size_t len,
			void *priv)
{
	struct fit_ctx *ctx = priv;
	struct fit_peer *p = fit_peer_get(ctx, fit_rpc_src(rpc));
	struct fit_peer_counters s;
	unsigned long flags;

	if (!p)
		return -EINVAL;
	spin_lock_irqsave(&p->call_lock, flags);
	s = p->stats;
	spin_unlock_irqrestore(&p->call_lock, flags);
	return fit_reply(rpc, &s, sizeof(s));
}

/* The bytes of a BLOB reply up to FIT_INLINE_MAX, made once. */
static u8 fit_blob[FIT_INLINE_MAX];

static int fit_op_blob(struct fit_rpc *rpc, void *req, size_t len, void *priv)
{
	u8 *buf;
	u32 n, i;
	int err;

	if (len < sizeof(n))
		return -EINVAL;
	memcpy(&n, req, sizeof(n));
	if (n > FIT_MAX_MSG)
		return -EINVAL;
	if (n <= sizeof(fit_blob))
		return fit_reply(rpc, fit_blob, n);
	buf = fit_os_alloc_large(n);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		buf[i] = fit_fill_byte(0, i);
	err = fit_reply(rpc, buf, n);
	fit_os_free_large(buf);
	return err;
}

void fit_register_core_handlers(struct fit_ctx *ctx)
{
	u32 i;

	for (i = 0; i < sizeof(fit_blob); i++)
		fit_blob[i] = fit_fill_byte(0, i);
	fit_register(ctx, FIT_OP_PING, fit_op_ping, ctx, "ping");
	fit_register(ctx, FIT_OP_ECHO, fit_op_echo, ctx, "echo");
	fit_register(ctx, FIT_OP_PAGE, fit_op_page, ctx, "page");
	fit_register(ctx, FIT_OP_SINK, fit_op_sink, ctx, "sink");
	fit_register(ctx, FIT_OP_SLOW, fit_op_slow, ctx, "slow");
	fit_register(ctx, FIT_OP_STATS, fit_op_stats, ctx, "stats");
	fit_register(ctx, FIT_OP_BLOB, fit_op_blob, ctx, "blob");
}
