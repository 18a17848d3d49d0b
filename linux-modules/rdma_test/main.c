// SPDX-License-Identifier: GPL-2.0
/*
 * rdma_test.ko: the Linux side of the RDMA interoperability test
 * (Documentation/rdma-interop.md; the protocol is in
 * include/uapi/lego/rdma_test.h). Loaded on two nodes with each other's
 * address and opposite roles, it connects an RC QP on the RDMA device named
 * dev= and runs SEND, SEND_WITH_IMM, RDMA_WRITE, RDMA_WRITE_WITH_IMM and
 * RDMA_READ at every size of sizes= in both directions, checking every byte
 * that arrives. The verdict is one kernel log line:
 *
 *	RDMA-TEST: PASS ops=<operations checked> bytes=<their bytes>
 *	RDMA-TEST: FAIL <the first thing that went wrong>
 *
 * The peer may be this module on another Linux host or a LegoOS node.
 *
 *	insmod rdma_test.ko peer=10.0.0.2 role=initiator [port=18516]
 *	       [dev=rxe0] [sizes=1,64,...] [timeout=60] [corrupt=-1]
 *
 * An ib_client: when the device appears (it may appear after the module
 * is loaded, e.g. on `rdma link add`), add() starts the test thread, which
 * runs the test once, reports, frees every verbs object and waits to be
 * stopped. remove() (the device going away, or rmmod) stops it, which
 * interrupts a test under way: every wait in the module is bounded by the
 * deadline and by kthread_should_stop(). One test per module load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inet.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "internal.h"

static char *peer;
module_param(peer, charp, 0444);
MODULE_PARM_DESC(peer, "IPv4 address of the peer (required)");

static char *role = "initiator";
module_param(role, charp, 0444);
MODULE_PARM_DESC(role, "initiator: drive round 0, then serve round 1; "
		 "target: the other way round (the peer takes the other one)");

static ushort port = RDMA_TEST_UDP_PORT;
module_param(port, ushort, 0444);
MODULE_PARM_DESC(port, "UDP port of the handshake, the same on both sides");

static char *dev = "rxe0";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "name of the RDMA device to test");

static unsigned int sizes[RT_MAX_SIZES] = RDMA_TEST_DEFAULT_SIZES;
static unsigned int nr_sizes = RDMA_TEST_NR_DEFAULT_SIZES;
module_param_array(sizes, uint, &nr_sizes, 0444);
MODULE_PARM_DESC(sizes, "operation sizes in bytes, 1 to 1048576, in order "
		 "(default 1,64,1000,1024,1025,4096,65536,1048576)");

static unsigned int timeout = 60;
module_param(timeout, uint, 0444);
MODULE_PARM_DESC(timeout, "seconds from loading to the verdict, at most");

static int corrupt = -1;
module_param(corrupt, int, 0444);
MODULE_PARM_DESC(corrupt, "test the checks: change one byte of the data of "
		 "step N of the round this node drives (default -1: none)");

static __be32 rt_peer_ip;
static u8 rt_role;
static u32 rt_max_size;
static unsigned long rt_deadline;

static DEFINE_MUTEX(rt_lock);
static bool rt_started;		/* a test ran, or the watchdog gave up */

static struct delayed_work rt_watchdog;
static struct ib_client rt_client;

/* ---- helpers for the other files ---------------------------------------------- */

/* Log a failure; the first one becomes the verdict. Returns @err (or -EIO
 * if it is not an error). Test thread only. */
int rt_fail(struct rt_ctx *ctx, int err, const char *fmt, ...)
{
	char why[RT_WHY_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pr_err("%s (%d)\n", why, err);
	if (!ctx->why[0])
		strscpy(ctx->why, why, sizeof(ctx->why));
	return err < 0 ? err : -EIO;
}

long rt_time_left(struct rt_ctx *ctx)
{
	long left = (long)(ctx->deadline - jiffies);

	return left > 0 ? left : 0;
}

/* Sleep @ms, or less if we are being stopped. */
void rt_linger(unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	while (!kthread_should_stop() && time_before(jiffies, end))
		schedule_timeout_interruptible(end - jiffies);
}

/* -EINTR when we are being stopped, -ETIMEDOUT past the deadline, or 0. */
int rt_stop_reason(struct rt_ctx *ctx)
{
	if (kthread_should_stop())
		return -EINTR;
	if (!rt_time_left(ctx))
		return -ETIMEDOUT;
	return 0;
}

/* ---- the test thread ------------------------------------------------------------ */

static int rt_run(struct rt_ctx *ctx)
{
	struct rdma_test_hello_fields peer;
	int err;

	err = rt_find_gid(ctx);
	if (!err)
		err = rt_setup(ctx);
	if (!err)
		err = rt_hs_start(ctx);
	if (!err)
		err = rt_hs_wait_peer(ctx, &peer);
	if (!err)
		err = rt_connect(ctx, &peer);
	if (!err) {
		rt_hs_set_ready(ctx);
		err = rt_hs_wait_connected(ctx);
	}
	if (!err)
		err = rt_plan_run(ctx);
	/* We refused the peer: go on answering it for a while, so that it
	 * learns why even if our first answer waited for ARP and was lost. */
	if (READ_ONCE(ctx->hs_error))
		rt_linger(RT_HS_LINGER_MS);
	rt_hs_stop(ctx);
	rt_teardown(ctx);
	return err;
}

static int rt_thread(void *arg)
{
	struct rt_ctx *ctx = arg;
	int err;

	pr_info("testing %s against %pI4, %s of round 0, %u sizes up to %u B\n",
		dev_name(&ctx->dev->dev), &ctx->peer_ip,
		ctx->role == RDMA_TEST_ROLE_INITIATOR ? "initiator" : "target",
		ctx->nr_sizes, ctx->max_size);
	err = rt_run(ctx);
	if (!err)
		printk(KERN_INFO "RDMA-TEST: PASS ops=%u bytes=%llu\n",
		       ctx->ops, ctx->bytes);
	else
		printk(KERN_ERR "RDMA-TEST: FAIL %s\n",
		       ctx->why[0] ? ctx->why : "unknown error");

	/* kthread_stop() needs us alive: wait for it. */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return err;
}

static struct rt_ctx *rt_ctx_alloc(struct ib_device *ibdev)
{
	struct rt_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return NULL;
	ctx->dev = ibdev;
	ctx->peer_ip = rt_peer_ip;
	ctx->udp_port = port;
	ctx->role = rt_role;
	memcpy(ctx->sizes, sizes, nr_sizes * sizeof(sizes[0]));
	ctx->nr_sizes = nr_sizes;
	ctx->max_size = rt_max_size;
	ctx->deadline = rt_deadline;
	ctx->corrupt_step = corrupt;
	init_waitqueue_head(&ctx->cq_wait);
	init_waitqueue_head(&ctx->hs_wait);
	mutex_init(&ctx->hs_lock);
	return ctx;
}

/* ---- the ib_client ---------------------------------------------------------------- */

static int rt_add(struct ib_device *ibdev)
{
	struct rt_ctx *ctx;

	if (strcmp(dev_name(&ibdev->dev), dev))
		return -EOPNOTSUPP;
	mutex_lock(&rt_lock);
	if (rt_started) {
		mutex_unlock(&rt_lock);
		pr_info("%s: not tested again (one test per module load)\n",
			dev);
		return -EOPNOTSUPP;
	}
	rt_started = true;
	mutex_unlock(&rt_lock);

	ctx = rt_ctx_alloc(ibdev);
	if (!ctx) {
		printk(KERN_ERR "RDMA-TEST: FAIL out of memory\n");
		return -ENOMEM;
	}
	ctx->thread = kthread_create(rt_thread, ctx, "rdma_test");
	if (IS_ERR(ctx->thread)) {
		printk(KERN_ERR "RDMA-TEST: FAIL cannot start a thread (%ld)\n",
		       PTR_ERR(ctx->thread));
		kfree(ctx);
		return -ENOMEM;
	}
	ib_set_client_data(ibdev, &rt_client, ctx);
	wake_up_process(ctx->thread);
	return 0;
}

static void rt_remove(struct ib_device *ibdev, void *client_data)
{
	struct rt_ctx *ctx = client_data;

	if (!ctx)
		return;
	kthread_stop(ctx->thread);
	kfree(ctx);
}

static struct ib_client rt_client = {
	.name = "rdma_test",
	.add = rt_add,
	.remove = rt_remove,
};

/* No device of that name in time: say so, and test none later. */
static void rt_watchdog_fn(struct work_struct *work)
{
	mutex_lock(&rt_lock);
	if (!rt_started) {
		rt_started = true;
		printk(KERN_ERR "RDMA-TEST: FAIL no RDMA device named %s "
		       "within %u s\n", dev, timeout);
	}
	mutex_unlock(&rt_lock);
}

/* ---- module parameters and life cycle ------------------------------------------- */

static int rt_bad_param(const char *what)
{
	printk(KERN_ERR "RDMA-TEST: FAIL bad parameter: %s\n", what);
	return -EINVAL;
}

static int rt_parse_params(void)
{
	unsigned int i;

	if (!peer || !in4_pton(peer, -1, (u8 *)&rt_peer_ip, -1, NULL))
		return rt_bad_param("peer= must be an IPv4 address");
	if (!strcmp(role, "initiator"))
		rt_role = RDMA_TEST_ROLE_INITIATOR;
	else if (!strcmp(role, "target"))
		rt_role = RDMA_TEST_ROLE_TARGET;
	else
		return rt_bad_param("role= must be initiator or target");
	if (!port)
		return rt_bad_param("port= must not be 0");
	if (!nr_sizes)
		return rt_bad_param("sizes= is empty");
	rt_max_size = 0;
	for (i = 0; i < nr_sizes; i++) {
		if (!sizes[i] || sizes[i] > RDMA_TEST_MAX_SIZE)
			return rt_bad_param("sizes= must be 1 to 1048576");
		rt_max_size = max(rt_max_size, sizes[i]);
	}
	if (corrupt < -1)
		return rt_bad_param("corrupt= must be a step number or -1");
	if (!timeout || timeout > 3600)
		return rt_bad_param("timeout= must be 1 to 3600 s");
	return 0;
}

static int __init rt_init(void)
{
	int err;

	err = rt_parse_params();
	if (err)
		return err;
	rt_deadline = jiffies + timeout * HZ;
	INIT_DELAYED_WORK(&rt_watchdog, rt_watchdog_fn);
	schedule_delayed_work(&rt_watchdog, timeout * HZ);
	err = ib_register_client(&rt_client);
	if (err) {
		cancel_delayed_work_sync(&rt_watchdog);
		printk(KERN_ERR "RDMA-TEST: FAIL ib_register_client (%d)\n",
		       err);
	}
	return err;
}

static void __exit rt_exit(void)
{
	ib_unregister_client(&rt_client);
	cancel_delayed_work_sync(&rt_watchdog);
}

module_init(rt_init);
module_exit(rt_exit);

MODULE_DESCRIPTION("LegoOS RDMA interoperability test (RC over RoCEv2)");
MODULE_LICENSE("GPL");
