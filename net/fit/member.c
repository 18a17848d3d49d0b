// SPDX-License-Identifier: GPL-2.0
/*
 * FIT membership: the bootstrap hellos, connection attempts, liveness.
 * Everything here runs in the fit-mgr thread; the shims' UDP receive path
 * only queues datagrams (fit_hello_input()).
 *
 * Each side of a pair has at most one current connection attempt (a
 * fit_conn with a generation number) and says in every hello which of
 * the other side's attempts its QPs are bound to (peer_epoch, peer_gen;
 * 0 = unbound).  On a valid hello from peer P:
 *   1. If our attempt is bound to another epoch of P, P restarted: tear
 *      the attempt down (its calls fail with -EHOSTDOWN).  If it is bound
 *      to an older attempt of P, P rebuilt its side: tear ours down too.
 *      A hello from an attempt older than the bound one is stale: ignored.
 *   2. An unbound attempt binds (RTR/RTS towards P's QPs) only to a P
 *      attempt that is itself unbound or bound to exactly our attempt;
 *      otherwise P is still bound to our old QPs and will rebuild when it
 *      sees our newer generation.
 *   3. The pair is up when P's hello says READY for our epoch and attempt.
 * Without an answer we repeat the hello every fit.hello_ms (every second
 * after ten seconds); once up, every fit.dead_ms / 4 as a heartbeat; a
 * peer silent for fit.dead_ms is declared down and a new attempt starts.
 */
#include "core.h"

#define FIT_SLOW_HELLO_MS	1000	/* after FIT_SLOW_AFTER_MS of trying */
#define FIT_SLOW_AFTER_MS	10000
#define FIT_REFUSED_HELLO_MS	5000

static struct fit_peer *fit_peer_by_ip(struct fit_ctx *ctx, __be32 ip)
{
	int i;

	for (i = 0; i < ctx->cfg.nr_peers; i++)
		if (ctx->cfg.peer_ip[i] == ip)
			return ctx->peers[ctx->cfg.peer_id[i]];
	return NULL;
}

void fit_hello_input(struct fit_ctx *ctx, __be32 saddr, u16 sport,
		     const void *data, size_t len)
{
	struct fit_hello_item *it;
	unsigned long flags;

	spin_lock_irqsave(&ctx->lock, flags);
	if (ctx->hq_len == FIT_HELLO_QUEUE) {
		ctx->hello_dropped++;
		spin_unlock_irqrestore(&ctx->lock, flags);
		return;
	}
	it = &ctx->hq[(ctx->hq_head + ctx->hq_len++) % FIT_HELLO_QUEUE];
	it->saddr = saddr;
	/* Too long is as wrong as too short: keep the length, not the data. */
	it->len = len > sizeof(it->data) ? sizeof(it->data) + 1 : len;
	if (len <= sizeof(it->data))
		memcpy(it->data, data, len);
	spin_unlock_irqrestore(&ctx->lock, flags);
	atomic_set(&ctx->mgr_kick, 1);
	wake_up(&ctx->mgr_wait);
}

static bool fit_hello_pop(struct fit_ctx *ctx, struct fit_hello_item *out)
{
	unsigned long flags;
	bool got = false;

	spin_lock_irqsave(&ctx->lock, flags);
	if (ctx->hq_len) {
		*out = ctx->hq[ctx->hq_head];
		ctx->hq_head = (ctx->hq_head + 1) % FIT_HELLO_QUEUE;
		ctx->hq_len--;
		got = true;
	}
	spin_unlock_irqrestore(&ctx->lock, flags);
	return got;
}

static void fit_hello_send_to(struct fit_ctx *ctx, struct fit_peer *p,
			      __be32 ip, u16 dst, u8 type, u32 reason)
{
	struct fit_conn *c = p ? p->conn : NULL;
	struct fit_hello h;
	u32 i;

	memset(&h, 0, sizeof(h));
	h.magic = FIT_HELLO_MAGIC;
	h.version = FIT_VERSION;
	h.type = type;
	h.role = ctx->cfg.role;
	h.src_node = ctx->cfg.node;
	h.dst_node = dst;
	h.reason = reason;
	h.token = ctx->cfg.token;
	h.epoch = ctx->epoch;
	h.ipv4 = ctx->local_ip;
	memcpy(h.mac, ctx->local_mac, 6);
	h.nr_qps = ctx->cfg.nr_qps;
	h.mtu = ctx->mtu;
	h.credits = ctx->cfg.credits;
	h.max_calls = ctx->cfg.max_calls;
	h.buf_size = FIT_BUF_SIZE;
	if (c && type == FIT_HELLO) {
		h.gen = c->gen;
		if (c->bound) {
			h.peer_epoch = c->peer_epoch;
			h.peer_gen = c->peer_gen;
			h.flags |= FIT_HELLO_READY;
		}
		for (i = 0; i < c->nr_qps; i++) {
			h.qpn[i] = c->qps[i].qp->qp_num;
			h.psn[i] = c->qps[i].psn;
		}
	}
	fit_os_udp_send(ctx, ip, ctx->cfg.port, &h, sizeof(h));
	if (p)
		p->last_hello_ns = fit_os_now_ns();
}

static void fit_hello_send(struct fit_ctx *ctx, struct fit_peer *p)
{
	fit_hello_send_to(ctx, p, p->ip, p->id, FIT_HELLO, 0);
}

static void fit_set_state(struct fit_peer *p, enum fit_peer_state state)
{
	unsigned long flags;

	spin_lock_irqsave(&p->ctx->lock, flags);
	p->state = state;
	spin_unlock_irqrestore(&p->ctx->lock, flags);
	wake_up_all(&p->wait);
}

/* End the current attempt with @p (if any); log if it was up. */
static void fit_peer_down(struct fit_ctx *ctx, struct fit_peer *p,
			  const char *why, enum fit_peer_state next)
{
	struct fit_conn *c = p->conn;
	bool was_up = p->state == FIT_PEER_UP;
	u32 failed = 0;

	fit_set_state(p, next);
	if (c)
		failed = fit_conn_kill(c, -EHOSTDOWN);
	p->pinged = false;
	p->first_hello_ns = 0;
	if (was_up) {
		unsigned long flags;

		spin_lock_irqsave(&p->call_lock, flags);
		p->stats.disconnects++;
		spin_unlock_irqrestore(&p->call_lock, flags);
		pr_warn(FIT_PFX "node %d (%s) %pI4 down: %s; %u outstanding calls failed\n",
			p->id, fit_role_name(p->role), &p->ip, why, failed);
	}
}

static void fit_refuse(struct fit_ctx *ctx, struct fit_peer *p, __be32 ip,
		       const struct fit_hello *h, u32 reason)
{
	u32 bit = 1u << reason;

	fit_hello_send_to(ctx, p, ip, h->src_node, FIT_HELLO_REJECT, reason);
	if (!p) {
		pr_warn_ratelimited(FIT_PFX "refused node %u at %pI4: %s\n",
				    h->src_node, &ip,
				    fit_reject_reason_str(reason));
		return;
	}
	if (!(p->reject_logged & bit)) {
		p->reject_logged |= bit;
		pr_err(FIT_PFX "refused node %u at %pI4: %s\n", h->src_node,
		       &ip, fit_reject_reason_str(reason));
	}
	/*
	 * Anyone can forge a datagram from a peer's address: a working
	 * connection is not ended by one.  A peer that really came back
	 * with a wrong token falls silent for us and goes down then.
	 */
	if (p->state == FIT_PEER_DOWN)
		fit_peer_down(ctx, p, fit_reject_reason_str(reason),
			      FIT_PEER_REFUSED);
}

static void fit_mark_up(struct fit_ctx *ctx, struct fit_peer *p,
			struct fit_conn *c)
{
	unsigned long flags;

	spin_lock_irqsave(&ctx->lock, flags);
	c->up = true;
	p->state = FIT_PEER_UP;
	spin_unlock_irqrestore(&ctx->lock, flags);
	spin_lock_irqsave(&p->call_lock, flags);
	p->stats.connects++;
	spin_unlock_irqrestore(&p->call_lock, flags);
	pr_info(FIT_PFX "node %d (%s) %pI4 up: epoch %016llx, %u QPs, attempt %u/%u\n",
		p->id, fit_role_name(p->role), &p->ip,
		(unsigned long long)c->peer_epoch, c->nr_qps, c->gen,
		c->peer_gen);
	wake_up_all(&p->wait);
}

static void fit_hello_handle(struct fit_ctx *ctx,
			     const struct fit_hello_item *it)
{
	const struct fit_hello *h = (const struct fit_hello *)it->data;
	struct fit_peer *p = fit_peer_by_ip(ctx, it->saddr);
	struct fit_conn *c;
	const char *why = NULL;
	bool agreed;
	int ver, err;

	ver = fit_hello_version(it->data, it->len);
	if (ver < 0 || (ver == FIT_VERSION &&
			fit_hello_check(h, it->len, &why))) {
		ctx->hello_bad++;
		pr_warn_ratelimited(FIT_PFX "dropped a bad datagram from %pI4 (%u bytes): %s\n",
				    &it->saddr, it->len,
				    why ? why : "not a FIT hello");
		return;
	}
	if (ver != FIT_VERSION) {
		/* Its fields may mean something else: answer by address. */
		struct fit_hello fake = { .src_node = p ? p->id : 0 };

		fit_refuse(ctx, p, it->saddr, &fake, FIT_REJECT_VERSION);
		return;
	}
	if (h->type == FIT_HELLO_REJECT) {
		/*
		 * The token is not checked (a refusal for a wrong token
		 * carries the other one), so a REJECT never ends a working
		 * connection: anyone could forge one.
		 */
		if (!p || h->src_node != p->id ||
		    h->dst_node != ctx->cfg.node || p->state == FIT_PEER_UP)
			return;
		if (!(p->reject_logged & (1u << 31))) {
			p->reject_logged |= 1u << 31;
			pr_err(FIT_PFX "node %d at %pI4 refused us: %s\n", p->id,
			       &p->ip, fit_reject_reason_str(h->reason));
		}
		if (p->state != FIT_PEER_REFUSED)
			fit_peer_down(ctx, p, "it refused us",
				      FIT_PEER_REFUSED);
		return;
	}
	if (h->token != ctx->cfg.token) {
		fit_refuse(ctx, p, it->saddr, h, FIT_REJECT_TOKEN);
		return;
	}
	if (!p || h->src_node != p->id || h->dst_node != ctx->cfg.node) {
		fit_refuse(ctx, p, it->saddr, h, FIT_REJECT_NODE);
		return;
	}
	if (h->nr_qps != ctx->cfg.nr_qps || h->buf_size != FIT_BUF_SIZE ||
	    h->mtu < IB_MTU_256 || h->mtu > IB_MTU_4096 ||
	    h->credits < 2 || h->credits > 1024 || !h->max_calls ||
	    h->max_calls > 1024) {
		fit_refuse(ctx, p, it->saddr, h, FIT_REJECT_CONFIG);
		return;
	}

	p->last_heard_ns = fit_os_now_ns();
	p->role = h->role;
	memcpy(p->mac, h->mac, 6);
	p->mtu = h->mtu;
	p->credits = h->credits;
	p->max_calls = h->max_calls;
	if (p->state == FIT_PEER_REFUSED) {
		p->reject_logged = 0;		/* whatever it was is fixed */
		fit_set_state(p, FIT_PEER_DOWN);
	}
	c = p->conn;
	if (c && c->bound) {
		if (h->epoch != c->peer_epoch) {
			fit_peer_down(ctx, p, "it restarted (new epoch)",
				      FIT_PEER_DOWN);
			c = NULL;
		} else if (h->gen > c->peer_gen) {
			fit_peer_down(ctx, p, "it reconnects", FIT_PEER_DOWN);
			c = NULL;
		} else if (h->gen < c->peer_gen) {
			return;			/* stale */
		}
	}
	p->epoch = h->epoch;
	if (!c) {
		c = fit_conn_create(p);
		if (!c)
			return;			/* next hello retries */
		p->conn = c;
	}
	if (!c->bound) {
		if (h->peer_gen && (h->peer_gen != c->gen ||
				    h->peer_epoch != ctx->epoch)) {
			fit_hello_send(ctx, p);	/* it rebuilds on seeing this */
			return;
		}
		err = fit_conn_bind(c, h);
		if (err) {
			pr_err(FIT_PFX "node %d: cannot connect QPs: %d\n",
			       p->id, err);
			fit_peer_down(ctx, p, "QP setup failed",
				      FIT_PEER_DOWN);
			return;
		}
	}
	agreed = (h->flags & FIT_HELLO_READY) && h->peer_gen == c->gen &&
		 h->peer_epoch == ctx->epoch;
	/* Answer unless it already knows all: then it learns we are up. */
	if (agreed && p->state != FIT_PEER_UP) {
		fit_mark_up(ctx, p, c);
		fit_hello_send(ctx, p);
	} else if (!agreed) {
		fit_hello_send(ctx, p);
	}
}

static void fit_queue_ping(struct fit_ctx *ctx, struct fit_peer *p)
{
	struct fit_work *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return;
	INIT_LIST_HEAD(&w->node);
	w->peer = p;
	w->hdr.type = 0;		/* internal: ping and log */
	w->hdr.src_node = p->id;
	fit_queue_work(ctx, w);
}

static void fit_peer_tick(struct fit_ctx *ctx, struct fit_peer *p, u64 now)
{
	const struct fit_config *cfg = &ctx->cfg;
	struct fit_conn *c = p->conn;
	u64 period;

	if (c && READ_ONCE(c->failed))
		fit_peer_down(ctx, p, "a queue pair failed", FIT_PEER_DOWN);
	else if (p->state == FIT_PEER_UP &&
		 now - p->last_heard_ns > (u64)cfg->dead_ms * 1000000ull)
		fit_peer_down(ctx, p, "silent", FIT_PEER_DOWN);

	if (!p->conn && p->state != FIT_PEER_REFUSED) {
		p->conn = fit_conn_create(p);
		if (!p->conn)
			return;
	}
	if (!p->first_hello_ns)
		p->first_hello_ns = now;
	if (p->state == FIT_PEER_UP)
		period = cfg->dead_ms / 4;
	else if (p->state == FIT_PEER_REFUSED)
		period = FIT_REFUSED_HELLO_MS;
	else if (now - p->first_hello_ns > FIT_SLOW_AFTER_MS * 1000000ull)
		period = FIT_SLOW_HELLO_MS;
	else
		period = cfg->hello_ms;
	if (now - p->last_hello_ns >= period * 1000000ull)
		fit_hello_send(ctx, p);

	if (p->state == FIT_PEER_UP && !p->pinged && cfg->ping) {
		p->pinged = true;
		fit_queue_ping(ctx, p);
	}
}

int fit_mgr_thread(void *arg)
{
	struct fit_ctx *ctx = arg;
	unsigned int tick = min(ctx->cfg.hello_ms, 100u);
	struct fit_hello_item it;
	int i;

	while (!fit_os_thread_should_stop()) {
		fit_wait_event_ms(ctx->mgr_wait, atomic_read(&ctx->mgr_kick) ||
				  fit_os_thread_should_stop(), tick);
		atomic_set(&ctx->mgr_kick, 0);
		if (!READ_ONCE(ctx->running))
			continue;
		while (fit_hello_pop(ctx, &it))
			fit_hello_handle(ctx, &it);
		for (i = 0; i < ctx->cfg.nr_peers; i++)
			fit_peer_tick(ctx, ctx->peers[ctx->cfg.peer_id[i]],
				      fit_os_now_ns());
	}
	return 0;
}

/* fit_stop(): the threads are gone; end every connection. */
void fit_mgr_shutdown(struct fit_ctx *ctx)
{
	int i;

	for (i = 0; i < ctx->cfg.nr_peers; i++) {
		struct fit_peer *p = ctx->peers[ctx->cfg.peer_id[i]];

		if (p)
			fit_peer_down(ctx, p, "FIT stops", FIT_PEER_DOWN);
	}
}

/* ---- the membership API ------------------------------------------------------ */

int fit_node_id(void)
{
	struct fit_ctx *ctx = fit_api_enter();
	int id = ctx ? ctx->cfg.node : -ENODEV;

	fit_api_exit(ctx);
	return id;
}

static bool __fit_peer_up(struct fit_ctx *ctx, int node)
{
	struct fit_peer *p = ctx ? fit_peer_get(ctx, node) : NULL;

	return p && READ_ONCE(p->state) == FIT_PEER_UP;
}

bool fit_peer_up(int node)
{
	struct fit_ctx *ctx = fit_api_enter();
	bool up = __fit_peer_up(ctx, node);

	fit_api_exit(ctx);
	return up;
}

int fit_wait_peer(int node, unsigned int timeout_ms)
{
	struct fit_ctx *ctx = fit_api_enter();
	struct fit_peer *p = ctx ? fit_peer_get(ctx, node) : NULL;
	int err = -EINVAL;

	if (p) {
		fit_wait_event_ms(p->wait, READ_ONCE(p->state) == FIT_PEER_UP ||
				  !READ_ONCE(ctx->running), timeout_ms);
		err = READ_ONCE(p->state) == FIT_PEER_UP ? 0 : -ETIMEDOUT;
	}
	fit_api_exit(ctx);
	return err;
}

int fit_nr_peers(void)
{
	struct fit_ctx *ctx = fit_api_enter();
	int n = ctx ? ctx->cfg.nr_peers : 0;

	fit_api_exit(ctx);
	return n;
}

static int __fit_nr_peers_up(struct fit_ctx *ctx)
{
	int i, n = 0;

	for (i = 0; ctx && i < ctx->cfg.nr_peers; i++)
		n += __fit_peer_up(ctx, ctx->cfg.peer_id[i]);
	return n;
}

int fit_nr_peers_up(void)
{
	struct fit_ctx *ctx = fit_api_enter();
	int n = __fit_nr_peers_up(ctx);

	fit_api_exit(ctx);
	return n;
}

int fit_peer_ids(int *ids, int max)
{
	struct fit_ctx *ctx = fit_api_enter();
	int i, n = 0;

	if (ctx) {
		for (i = 0; i < ctx->cfg.nr_peers && i < max; i++)
			ids[i] = ctx->cfg.peer_id[i];
		n = ctx->cfg.nr_peers;
	}
	fit_api_exit(ctx);
	return n;
}

static const char *fit_state_name(enum fit_peer_state s)
{
	switch (s) {
	case FIT_PEER_UP:	return "up";
	case FIT_PEER_REFUSED:	return "refused";
	default:		return "down";
	}
}

static void __fit_print_stats(struct fit_ctx *ctx);

void fit_print_stats(void)
{
	struct fit_ctx *ctx = fit_api_enter();

	__fit_print_stats(ctx);
	fit_api_exit(ctx);
}

static void __fit_print_stats(struct fit_ctx *ctx)
{
	struct fit_peer_counters s;
	unsigned long flags;
	int i;

	if (!ctx) {
		pr_info(FIT_PFX "not running\n");
		return;
	}
	pr_info(FIT_PFX "node %d: %d of %d peers up; %llu bad hellos, %llu hellos dropped\n",
		ctx->cfg.node, __fit_nr_peers_up(ctx), ctx->cfg.nr_peers,
		(unsigned long long)ctx->hello_bad,
		(unsigned long long)ctx->hello_dropped);
	for (i = 0; i < ctx->cfg.nr_peers; i++) {
		struct fit_peer *p = ctx->peers[ctx->cfg.peer_id[i]];

		spin_lock_irqsave(&p->call_lock, flags);
		s = p->stats;
		spin_unlock_irqrestore(&p->call_lock, flags);
		pr_info(FIT_PFX " node %d (%s) %pI4 %s: calls %llu (ok %llu, timeouts %llu, down %llu, remote errors %llu, late replies %llu), sends %llu, in %llu msgs, replies %llu\n",
			p->id, fit_role_name(p->role), &p->ip,
			fit_state_name(READ_ONCE(p->state)),
			(unsigned long long)s.calls,
			(unsigned long long)s.calls_ok,
			(unsigned long long)s.timeouts,
			(unsigned long long)s.hostdown,
			(unsigned long long)s.remote_err,
			(unsigned long long)s.late_replies,
			(unsigned long long)s.sends,
			(unsigned long long)s.msgs_in,
			(unsigned long long)s.replies_out);
		pr_info(FIT_PFX "  bytes out %llu in %llu, retries %llu, credit waits %llu, bad msgs %llu, unknown opcodes %llu, connects %llu, disconnects %llu, rtt p50 <%llu us p99 <%llu us\n",
			(unsigned long long)s.bytes_out,
			(unsigned long long)s.bytes_in,
			(unsigned long long)s.retries,
			(unsigned long long)s.credit_waits,
			(unsigned long long)s.bad_msgs,
			(unsigned long long)s.unknown_op,
			(unsigned long long)s.connects,
			(unsigned long long)s.disconnects,
			(unsigned long long)fit_hist_percentile(s.hist, 50),
			(unsigned long long)fit_hist_percentile(s.hist, 99));
	}
}
