// SPDX-License-Identifier: GPL-2.0
/*
 * fit.ko: FIT, the LegoOS RPC layer, on a Linux node (the storage node,
 * the monitors), over Linux's in-kernel verbs: rdma_rxe in the test VMs,
 * mlx4/mlx5 on real machines (Documentation/fit.md). The FIT core is
 * net/fit/, the code the bare-metal kernels run; this file is the
 * module's life cycle and parameters, os_linux.c the OS shim.
 *
 *	insmod fit.ko node=3 peers=0@10.0.0.1,1@10.0.0.2 [token=lego]
 *	       [role=storage] [qps=2] [workers=2] [timeout_ms=3000]
 *	       [dead_ms=3000] [hello_ms=200] [credits=32] [max_calls=32]
 *	       [port=18515] [dev=rxe0] [ping=1] [selftest=0]
 *	echo 1 > /sys/module/fit/parameters/print_stats
 *
 * Loading starts FIT (fit_start()): it waits for the RDMA device, binds
 * the bootstrap port and connects to each peer as it appears. A bad
 * parameter refuses the load with one line naming it. With selftest=1 a
 * thread waits up to 60 s for every peer, runs fit_selftest_peer() against
 * each and reports in the kernel log:
 *
 *	FIT-SELFTEST: node 1: PASS
 *	FIT-SELFTEST: node 2: FAIL -110
 *	FIT-SELFTEST: DONE passed=1 failed=1
 *
 * The public API of <lego/fit.h> is exported (GPL) for the storage
 * manager and monitor modules, which load after this one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched/task.h>

#include "fit_linux.h"

#define FIT_SELFTEST_WAIT_MS	60000	/* for every peer to come up */
#define FIT_SELFTEST_SLICE_MS	500	/* how often the thread looks up */

/* ---- parameters ------------------------------------------------------------ */

static int node = -1;
module_param(node, int, 0444);
MODULE_PARM_DESC(node, "this node's FIT id, 0..63 (required)");

static char *peers = "";
module_param(peers, charp, 0444);
MODULE_PARM_DESC(peers, "the other nodes, ID@A.B.C.D,... (default: none)");

static char *token = "lego";
module_param(token, charp, 0444);
MODULE_PARM_DESC(token, "cluster token: nodes with another one are refused "
		 "(default lego)");

static char *role = "storage";
module_param(role, charp, 0444);
MODULE_PARM_DESC(role, "processor, memory, storage, monitor or other "
		 "(default storage)");

static unsigned int qps = FIT_DEF_QPS;
module_param(qps, uint, 0444);
MODULE_PARM_DESC(qps, "RC QPs per peer, 1..8, the same on every node");

static unsigned int workers = FIT_DEF_WORKERS;
module_param(workers, uint, 0444);
MODULE_PARM_DESC(workers, "handler threads, 1..16");

static unsigned int timeout_ms = FIT_DEF_TIMEOUT_MS;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "default call timeout, ms");

static unsigned int dead_ms = FIT_DEF_DEAD_MS;
module_param(dead_ms, uint, 0444);
MODULE_PARM_DESC(dead_ms, "silence after which a peer is down, ms");

static unsigned int hello_ms = FIT_DEF_HELLO_MS;
module_param(hello_ms, uint, 0444);
MODULE_PARM_DESC(hello_ms, "hello period while connecting, ms");

static unsigned int credits = FIT_DEF_CREDITS;
module_param(credits, uint, 0444);
MODULE_PARM_DESC(credits, "request credits per QP granted to a peer, 2..1024");

static unsigned int max_calls = FIT_DEF_MAX_CALLS;
module_param(max_calls, uint, 0444);
MODULE_PARM_DESC(max_calls, "outstanding calls per QP, 1..1024");

static ushort port = FIT_DEFAULT_PORT;
module_param(port, ushort, 0444);
MODULE_PARM_DESC(port, "UDP bootstrap port, the same on every node");

static char *dev = "";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "RDMA device (default: the first with an active port "
		 "and an IPv4 RoCEv2 GID)");

static bool ping = true;
module_param(ping, bool, 0444);
MODULE_PARM_DESC(ping, "ping each peer when it comes up (default 1)");

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "run FIT's self test against every peer and log "
		 "FIT-SELFTEST lines (default 0)");

/* ---- state ---------------------------------------------------------------- */

static struct fit_ctx fit_ctx;
static DEFINE_MUTEX(fit_lock);		/* protects the fields below */
static bool fit_running;		/* fit_start() done, no fit_stop() yet */
static struct task_struct *fit_selftest_task;	/* we hold a reference */

/* ---- print_stats: write anything to print every peer's counters ----------- */

static int fit_print_stats_set(const char *val, const struct kernel_param *kp)
{
	mutex_lock(&fit_lock);
	if (fit_running)
		fit_print_stats();
	else
		pr_info("print_stats: FIT is not running\n");
	mutex_unlock(&fit_lock);
	return 0;
}

static const struct kernel_param_ops fit_print_stats_ops = {
	.set = fit_print_stats_set,
};
module_param_cb(print_stats, &fit_print_stats_ops, NULL, 0200);
MODULE_PARM_DESC(print_stats, "write anything: print every peer's state and "
		 "counters to the kernel log");

/* ---- the self test ---------------------------------------------------------- */

/* Until @id is up: 0, or -ETIMEDOUT at @end_ns, -EINTR when stopped. */
static int fit_selftest_wait(int id, u64 end_ns)
{
	u64 now;

	for (;;) {
		if (fit_peer_up(id))
			return 0;
		if (kthread_should_stop())
			return -EINTR;
		now = ktime_get_ns();
		if (now >= end_ns)
			return -ETIMEDOUT;
		fit_wait_peer(id, min_t(u64, FIT_SELFTEST_SLICE_MS,
				       div_u64(end_ns - now, NSEC_PER_MSEC) + 1));
	}
}

static int fit_selftest_thread(void *unused)
{
	u64 end = ktime_get_ns() + (u64)FIT_SELFTEST_WAIT_MS * NSEC_PER_MSEC;
	int ids[FIT_MAX_NODES], err[FIT_MAX_NODES];
	int i, n, passed = 0, failed = 0;

	n = min(fit_peer_ids(ids, FIT_MAX_NODES), FIT_MAX_NODES);
	pr_info("self test: waiting up to %u s for %d peers\n",
		FIT_SELFTEST_WAIT_MS / 1000, n);
	for (i = 0; i < n; i++)
		err[i] = fit_selftest_wait(ids[i], end);
	for (i = 0; i < n; i++) {
		if (!err[i])
			err[i] = kthread_should_stop() ? -EINTR :
				 fit_selftest_peer(ids[i]);
		if (err[i]) {
			failed++;
			printk(KERN_ERR "FIT-SELFTEST: node %d: FAIL %d\n",
			       ids[i], err[i]);
		} else {
			passed++;
			printk(KERN_INFO "FIT-SELFTEST: node %d: PASS\n", ids[i]);
		}
	}
	printk(KERN_INFO "FIT-SELFTEST: DONE passed=%d failed=%d\n", passed,
	       failed);
	return 0;		/* fit_shutdown() holds a task reference */
}

static int fit_selftest_start(void)
{
	struct task_struct *t;

	t = kthread_create(fit_selftest_thread, NULL, "fit-selftest");
	if (IS_ERR(t)) {
		pr_err("starting the self test thread failed (%ld)\n",
		       PTR_ERR(t));
		return PTR_ERR(t);
	}
	get_task_struct(t);		/* kthread_stop() even after it ended */
	fit_selftest_task = t;
	wake_up_process(t);
	return 0;
}

/* ---- life cycle --------------------------------------------------------------- */

/* Under fit_lock: stop the self test and FIT, if they run. */
static void fit_shutdown(void)
{
	if (fit_selftest_task) {
		kthread_stop(fit_selftest_task);
		put_task_struct(fit_selftest_task);
		fit_selftest_task = NULL;
	}
	if (fit_running)
		fit_stop(&fit_ctx);
	fit_running = false;
}

void fit_linux_dev_gone(struct fit_ctx *ctx)
{
	mutex_lock(&fit_lock);
	if (fit_running && ctx == &fit_ctx) {
		pr_warn("%s is going away: FIT stops (reload fit.ko to "
			"restart it)\n", dev_name(&ctx->dev->dev));
		fit_shutdown();
	}
	mutex_unlock(&fit_lock);
}

static int fit_bad_param(const char *name, const char *value,
			 const char *why)
{
	pr_err("bad parameter %s=%s: %s\n", name, value, why);
	return -EINVAL;
}

static int fit_parse_role(const char *s, u8 *role)
{
	unsigned int r;

	for (r = FIT_ROLE_PROCESSOR; r <= FIT_ROLE_OTHER; r++) {
		if (!strcmp(s, fit_role_name(r))) {
			*role = r;
			return 0;
		}
	}
	return -EINVAL;
}

static int fit_parse_params(struct fit_config *c)
{
	const char *why = NULL;

	fit_config_defaults(c);
	if (node < 0 || node >= FIT_MAX_NODES) {
		pr_err("bad parameter node=%d: must be 0..%d (required)\n",
		       node, FIT_MAX_NODES - 1);
		return -EINVAL;
	}
	c->node = node;
	if (fit_parse_role(role, &c->role))
		return fit_bad_param("role", role, "must be processor, memory, "
				     "storage, monitor or other");
	if (!token[0])
		return fit_bad_param("token", token, "must not be empty");
	c->token = fit_token_hash(token);
	if (peers[0] && fit_parse_peers(c, peers, &why))
		return fit_bad_param("peers", peers, why ? why : "bad syntax");
	if (strscpy(c->dev, dev, sizeof(c->dev)) < 0)
		return fit_bad_param("dev", dev, "name too long");
	c->nr_qps = qps;
	c->workers = workers;
	c->timeout_ms = timeout_ms;
	c->dead_ms = dead_ms;
	c->hello_ms = hello_ms;
	c->credits = credits;
	c->max_calls = max_calls;
	c->port = port;
	c->ping = ping;
	if (fit_config_check(c, &why)) {
		pr_err("bad parameter: %s (qps=%u workers=%u timeout_ms=%u "
		       "dead_ms=%u hello_ms=%u credits=%u max_calls=%u "
		       "port=%u)\n", why ? why : "out of range", qps, workers,
		       timeout_ms, dead_ms, hello_ms, credits, max_calls, port);
		return -EINVAL;
	}
	return 0;
}

static int __init fit_init(void)
{
	struct fit_config cfg;
	int err;

	err = fit_parse_params(&cfg);
	if (err)
		return err;
	err = fit_linux_client_register();
	if (err) {
		pr_err("ib_register_client failed (%d)\n", err);
		return err;
	}
	mutex_lock(&fit_lock);
	err = fit_start(&fit_ctx, &cfg);
	if (!err) {
		fit_running = true;
		if (selftest)
			err = fit_selftest_start();
		if (err)
			fit_shutdown();
	}
	mutex_unlock(&fit_lock);
	if (err)
		fit_linux_client_unregister();
	return err;
}

static void __exit fit_exit(void)
{
	mutex_lock(&fit_lock);
	fit_shutdown();
	mutex_unlock(&fit_lock);
	fit_linux_client_unregister();
}

module_init(fit_init);
module_exit(fit_exit);

/* ---- the API of <lego/fit.h>, for the storage manager and monitors ------- */

EXPORT_SYMBOL_GPL(fit_register_handler);
EXPORT_SYMBOL_GPL(fit_unregister_handler);
EXPORT_SYMBOL_GPL(fit_call);
EXPORT_SYMBOL_GPL(fit_send);
EXPORT_SYMBOL_GPL(fit_reply);
EXPORT_SYMBOL_GPL(fit_reply_page);
EXPORT_SYMBOL_GPL(fit_reply_err);
EXPORT_SYMBOL_GPL(fit_rpc_src);
EXPORT_SYMBOL_GPL(fit_rpc_is_call);
EXPORT_SYMBOL_GPL(fit_rpc_reply_cap);
EXPORT_SYMBOL_GPL(fit_node_id);
EXPORT_SYMBOL_GPL(fit_peer_up);
EXPORT_SYMBOL_GPL(fit_wait_peer);
EXPORT_SYMBOL_GPL(fit_nr_peers);
EXPORT_SYMBOL_GPL(fit_nr_peers_up);
EXPORT_SYMBOL_GPL(fit_peer_ids);
EXPORT_SYMBOL_GPL(fit_print_stats);

MODULE_DESCRIPTION("FIT, the LegoOS RPC layer, over Linux in-kernel verbs");
MODULE_LICENSE("GPL");
