// SPDX-License-Identifier: GPL-2.0
/*
 * FIT on the bare-metal kernels: the fit_os_*() functions of fit_os.h and
 * the boot parameters (Documentation/fit.md):
 *
 *	lego.node=ID		this node's id (0..63)
 *	fit.peers=ID@IP,...	every other node; FIT is off without it
 *	fit.token=STRING	the cluster token (default "lego")
 *	fit.qps=N		RC QPs per peer (default 2, both sides equal)
 *	fit.workers=N		handler threads (default 2)
 *	fit.timeout_ms=MS	default call timeout (3000)
 *	fit.dead_ms=MS		silence before a peer is declared down (3000)
 *	fit.hello_ms=MS		hello period while connecting (200)
 *	fit.credits=N		request credits per QP (32)
 *	fit.max_calls=N		outstanding calls per QP (32)
 *	fit.port=N		UDP bootstrap port (18515)
 *	fit.dev=NAME		RDMA device (default: the first, e.g. sroce0)
 *	fit.ping=0|1		ping every peer once it is up (1)
 *	fit.stats_ms=MS		print the counters every MS (0: never)
 */
#include <lego/init.h>
#include <lego/params.h>
#include <lego/mm.h>
#include <asm/processor.h>
#include <net/netdev.h>
#include <net/pktbuf.h>
#include <net/udp.h>

#include "core.h"

extern unsigned int lego_node_id;

static char fit_peers[512];
static char fit_token[64] = "lego";
static char fit_dev[32];
static unsigned int fit_qps = FIT_DEF_QPS;
static unsigned int fit_workers = FIT_DEF_WORKERS;
static unsigned int fit_timeout_ms = FIT_DEF_TIMEOUT_MS;
static unsigned int fit_dead_ms = FIT_DEF_DEAD_MS;
static unsigned int fit_hello_ms = FIT_DEF_HELLO_MS;
static unsigned int fit_credits = FIT_DEF_CREDITS;
static unsigned int fit_max_calls = FIT_DEF_MAX_CALLS;
static unsigned int fit_port = FIT_DEFAULT_PORT;
static bool fit_ping = true;
static unsigned int fit_stats_ms;

lego_param_string("fit.peers", fit_peers, "FIT peers: ID@IP,... (FIT is off without)");
lego_param_string("fit.token", fit_token, "FIT cluster token");
lego_param_string("fit.dev", fit_dev, "RDMA device for FIT (default: the first)");
lego_param_uint("fit.qps", fit_qps, "RC queue pairs per FIT peer");
lego_param_uint("fit.workers", fit_workers, "FIT handler threads");
lego_param_uint("fit.timeout_ms", fit_timeout_ms, "default FIT call timeout");
lego_param_uint("fit.dead_ms", fit_dead_ms, "silence before a FIT peer is down");
lego_param_uint("fit.hello_ms", fit_hello_ms, "FIT hello period while connecting");
lego_param_uint("fit.credits", fit_credits, "FIT request credits per QP");
lego_param_uint("fit.max_calls", fit_max_calls, "outstanding FIT calls per QP");
lego_param_uint("fit.port", fit_port, "FIT UDP bootstrap port");
lego_param_bool("fit.ping", fit_ping, "ping each FIT peer once it is up");
lego_param_uint("fit.stats_ms", fit_stats_ms, "print FIT counters every N ms (0: never)");

static struct fit_ctx lego_fit;

/* ---- threads ---------------------------------------------------------------- */

struct fit_thread {
	struct task_struct *task;
	bool stop;
	int (*fn)(void *);
	void *arg;
};

#define FIT_NR_THREADS	(FIT_MAX_WORKERS + 4)
static struct fit_thread fit_threads[FIT_NR_THREADS];
static DEFINE_SPINLOCK(fit_threads_lock);

static int fit_thread_main(void *arg)
{
	struct fit_thread *t = arg;

	return t->fn(t->arg);
}

struct fit_thread *fit_os_thread_run(int (*fn)(void *), void *arg,
				     const char *name)
{
	struct fit_thread *t = NULL;
	unsigned long flags;
	int i;

	spin_lock_irqsave(&fit_threads_lock, flags);
	for (i = 0; i < FIT_NR_THREADS; i++) {
		if (!fit_threads[i].fn) {
			t = &fit_threads[i];
			t->fn = fn;
			t->arg = arg;
			t->stop = false;
			break;
		}
	}
	spin_unlock_irqrestore(&fit_threads_lock, flags);
	if (!t)
		return NULL;
	t->task = kthread_create(fit_thread_main, t, name);
	if (!t->task) {
		t->fn = NULL;
		return NULL;
	}
	return t;
}

bool fit_os_thread_should_stop(void)
{
	int i;

	for (i = 0; i < FIT_NR_THREADS; i++)
		if (fit_threads[i].task == current)
			return READ_ONCE(fit_threads[i].stop);
	return false;
}

void fit_os_thread_stop(struct fit_thread *t)
{
	WRITE_ONCE(t->stop, true);
	kthread_join(t->task);
	t->task = NULL;
	t->fn = NULL;
}

/* ---- time, randomness, memory ------------------------------------------------- */

u64 fit_os_now_ns(void)
{
	return ktime_get_ns();
}

void fit_os_msleep(unsigned int ms)
{
	msleep(ms);
}

u64 fit_os_random64(void)
{
	static u64 state;
	u64 z;

	/* splitmix64 over the TSC: different at every boot and call. */
	state += rdtsc() + 0x9e3779b97f4a7c15ull;
	z = state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return z ? z : 1;
}

void *fit_os_alloc_large(size_t size)
{
	return kmalloc(size ? size : 1, GFP_KERNEL);
}

void fit_os_free_large(void *p)
{
	kfree(p);
}

/* ---- the RDMA device ----------------------------------------------------------- */

static struct ib_device *fit_first_dev;

static int fit_client_add(struct ib_device *dev)
{
	if (!READ_ONCE(fit_first_dev))
		WRITE_ONCE(fit_first_dev, dev);
	return 0;
}

static void fit_client_remove(struct ib_device *dev, void *data)
{
	if (fit_first_dev == dev)
		WRITE_ONCE(fit_first_dev, NULL);
}

static struct ib_client fit_client = {
	.name = "fit",
	.add = fit_client_add,
	.remove = fit_client_remove,
};

int fit_os_dev_open(struct fit_ctx *ctx, const char *name,
		    unsigned int wait_ms)
{
	u64 deadline = ktime_get_ns() + (u64)wait_ms * NSEC_PER_MSEC;
	struct ib_port_attr attr;
	struct ib_device *dev;
	struct netdev *ndev;
	union ib_gid gid;
	int err;

	ib_register_client(&fit_client);
	for (;;) {
		dev = *name ? ib_device_get_by_name(name) :
			      READ_ONCE(fit_first_dev);
		if (dev || ktime_get_ns() > deadline)
			break;
		msleep(50);
	}
	if (!dev) {
		pr_err(FIT_PFX "no RDMA device%s%s (is net.ip= set?)\n",
		       *name ? " " : "", name);
		return -ENODEV;
	}
	ctx->dev = dev;
	ctx->port = 1;
	ctx->sgid_index = 1;			/* the IPv4-mapped GID */
	err = ib_query_port(dev, ctx->port, &attr);
	if (!err)
		err = ib_query_gid(dev, ctx->port, ctx->sgid_index, &gid);
	ndev = ib_device_get_netdev(dev, ctx->port);
	if (err || !ndev || !rdma_gid_to_ipv4(&gid, &ctx->local_ip)) {
		pr_err(FIT_PFX "%s: no IPv4 RoCE GID on port 1\n", dev->name);
		return -ENODEV;
	}
	memcpy(ctx->local_mac, ndev->mac, 6);
	ctx->mtu = attr.active_mtu;
	ctx->pd = ib_alloc_pd(dev, 0);
	if (IS_ERR(ctx->pd)) {
		err = PTR_ERR(ctx->pd);
		ctx->pd = NULL;
		return err;
	}
	return 0;
}

void fit_os_dev_close(struct fit_ctx *ctx)
{
	if (ctx->pd)
		ib_dealloc_pd(ctx->pd);
	ctx->pd = NULL;
}

u64 fit_os_map(struct fit_ctx *ctx, void *p, size_t len)
{
	return (u64)(uintptr_t)p;		/* iova = kernel virtual */
}

void fit_os_unmap(struct fit_ctx *ctx, u64 addr, size_t len)
{
}

int fit_os_reg(struct fit_ctx *ctx, void *p, size_t len, struct fit_mr *mr)
{
	struct ib_mr *m = ib_reg_kernel_mr(ctx->pd, p, len,
					   IB_ACCESS_LOCAL_WRITE |
					   IB_ACCESS_REMOTE_WRITE);

	if (IS_ERR(m))
		return PTR_ERR(m);
	mr->addr = m->iova;
	mr->rkey = m->rkey;
	mr->len = len;
	mr->os = m;
	return 0;
}

void fit_os_unreg(struct fit_ctx *ctx, struct fit_mr *mr)
{
	if (mr->os)
		ib_dereg_mr(mr->os);
	mr->os = NULL;
}

/* ---- the bootstrap socket --------------------------------------------------------- */

static struct udp_endpoint *fit_ep;

static void fit_udp_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
		       __be32 saddr, u16 sport)
{
	fit_hello_input(ep->priv, saddr, sport, pkt->data, pkt->len);
	pktbuf_free(pkt);
}

int fit_os_udp_open(struct fit_ctx *ctx, u16 port)
{
	struct udp_endpoint *ep = udp_bind(port, fit_udp_rx, ctx);

	if (IS_ERR(ep))
		return PTR_ERR(ep);
	fit_ep = ep;
	return 0;
}

int fit_os_udp_send(struct fit_ctx *ctx, __be32 daddr, u16 dport,
		    const void *data, size_t len)
{
	return fit_ep ? udp_sendto(fit_ep, daddr, dport, data, len) : -ENODEV;
}

void fit_os_udp_close(struct fit_ctx *ctx)
{
	if (fit_ep)
		udp_unbind(fit_ep);
	fit_ep = NULL;
}

/* ---- start at boot ------------------------------------------------------------------ */

static int fit_stats_thread(void *arg)
{
	for (;;) {
		msleep(fit_stats_ms);
		fit_print_stats();
	}
	return 0;
}

static int __init fit_lego_init(void)
{
	struct fit_config cfg;
	const char *why = NULL;
	int err;

	if (!fit_peers[0]) {
		pr_info(FIT_PFX "off (no fit.peers=)\n");
		return 0;
	}
	fit_config_defaults(&cfg);
	cfg.node = lego_node_id;
#ifdef CONFIG_COMP_MEMORY
	cfg.role = FIT_ROLE_MEMORY;
#else
	cfg.role = FIT_ROLE_PROCESSOR;
#endif
	cfg.token = fit_token_hash(fit_token);
	cfg.nr_qps = fit_qps;
	cfg.workers = fit_workers;
	cfg.timeout_ms = fit_timeout_ms;
	cfg.dead_ms = fit_dead_ms;
	cfg.hello_ms = fit_hello_ms;
	cfg.credits = fit_credits;
	cfg.max_calls = fit_max_calls;
	cfg.port = fit_port > 0xffff ? 0 : fit_port;
	cfg.ping = fit_ping;
	strscpy(cfg.dev, fit_dev, sizeof(cfg.dev));
	err = fit_config_check(&cfg, &why);
	if (!err)
		err = fit_parse_peers(&cfg, fit_peers, &why);
	if (err) {
		pr_err(FIT_PFX "not started: %s (fit.peers=%s)\n", why,
		       fit_peers);
		return 0;
	}
	err = fit_start(&lego_fit, &cfg);
	if (err) {
		pr_err(FIT_PFX "not started: %d\n", err);
		return 0;
	}
	if (fit_stats_ms && !kthread_create(fit_stats_thread, NULL,
					    "fit-stats"))
		pr_warn(FIT_PFX "no thread for fit.stats_ms\n");
	return 0;
}
late_initcall(fit_lego_init);
