// SPDX-License-Identifier: GPL-2.0
/*
 * FIT's OS shim on Linux: the fit_os_*() functions of net/fit/fit_os.h,
 * over Linux's kthreads, kvmalloc, in-kernel verbs and a kernel UDP
 * socket. The FIT core (net/fit/) is the same code the bare-metal kernels
 * run; everything Linux-specific it needs is here.
 *
 * The RDMA device: an ib_client, registered for the module's whole life
 * (main.c), tracks the devices that exist; fit_os_dev_open() waits until
 * one of them (the one named dev=, or any) has a port that is active with
 * an IPv4 RoCEv2 GID (rxe fills its GID table from the netdev's addresses
 * only after the device registers) and takes the first such port. If that
 * device is unregistered while FIT runs (rdma link delete), the client's
 * remove callback stops FIT before it returns (main.c).
 *
 * Memory: one PD with IB_PD_UNSAFE_GLOBAL_RKEY, whose rkey opens every
 * kernel address to the peers; a reply buffer is "registered" by handing
 * its DMA address and that rkey to the callee (Documentation/fit.md
 * explains why Linux nodes may do this and LegoOS nodes do not). rxe is a
 * "virt DMA" device: a mapped address is the kernel virtual address.
 *
 * The bootstrap socket: a UDP socket bound to the FIT port on every
 * address and one thread that hands each datagram to fit_hello_input();
 * closing shuts the socket down, which wakes the thread out of its
 * receive, then stops it.
 *
 * Tested on Debian's 6.1.0-56-amd64 with rdma_rxe over virtio-net-pci, in
 * QEMU 7.2 under TCG (usr/linuxvm/tests/fit-node, tests/lib/fitnode.py).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/in.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/rwsem.h>
#include <linux/sched/task.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <rdma/ib_cache.h>

#include "fit_linux.h"

#define FIT_LX_MAX_DEVS		8	/* RDMA devices tracked at once */
#define FIT_LX_POLL_MS		100	/* while waiting for a usable port */
#define FIT_LX_DGRAM_MAX	512	/* longer datagrams are cut (and refused) */

struct fit_thread {
	struct task_struct *task;	/* we hold a reference */
};

/* One FIT per module: the devices it may use, and its bootstrap socket. */
static struct {
	struct mutex lock;		/* protects the fields below it */
	struct ib_device *devs[FIT_LX_MAX_DEVS];	/* from the client */
	unsigned int nr_devs;
	struct fit_ctx *ctx;		/* set while it uses a device */

	/* The socket: senders hold sock_sem for reading; opening and
	 * closing it hold it for writing. rx reads from it until closed. */
	struct rw_semaphore sock_sem;
	struct socket *sock;
	struct fit_thread *rx;
} fit_lx = {
	.lock = __MUTEX_INITIALIZER(fit_lx.lock),
	.sock_sem = __RWSEM_INITIALIZER(fit_lx.sock_sem),
};

/* ---- threads, time, memory ------------------------------------------------ */

struct fit_thread *fit_os_thread_run(int (*fn)(void *), void *arg,
				     const char *name)
{
	struct fit_thread *t = kmalloc(sizeof(*t), GFP_KERNEL);
	struct task_struct *task;

	if (!t)
		return NULL;
	task = kthread_create(fn, arg, "%s", name);
	if (IS_ERR(task)) {
		pr_err("starting thread %s failed (%ld)\n", name, PTR_ERR(task));
		kfree(t);
		return NULL;
	}
	/* Then kthread_stop() is safe even after @fn has returned. */
	get_task_struct(task);
	t->task = task;
	wake_up_process(task);
	return t;
}

bool fit_os_thread_should_stop(void)
{
	return kthread_should_stop();
}

void fit_os_thread_stop(struct fit_thread *t)
{
	if (!t)
		return;
	kthread_stop(t->task);
	put_task_struct(t->task);
	kfree(t);
}

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
	u64 r;

	do
		r = get_random_u64();
	while (!r);
	return r;
}

/*
 * Physically contiguous memory first: the core may hand these buffers to
 * the device (the source of an RDMA-written reply), and a DMA device
 * (mlx4/mlx5) cannot map vmalloc memory with ib_dma_map_single().  rxe
 * copies with the CPU, so the vmalloc fallback is fine there.
 */
void *fit_os_alloc_large(size_t size)
{
	void *p = NULL;

	if (size <= KMALLOC_MAX_SIZE)
		p = kmalloc(size, GFP_KERNEL | __GFP_NOWARN);
	return p ? p : kvmalloc(size, GFP_KERNEL);
}

void fit_os_free_large(void *p)
{
	kvfree(p);
}

/* ---- the RDMA device -------------------------------------------------------- */

/* Take GID @attr (an IPv4 RoCEv2 one) of @dev port @port for @ctx. */
static int fit_lx_take_gid(struct fit_ctx *ctx, struct ib_device *dev,
			   u32 port, const struct ib_gid_attr *attr)
{
	struct net_device *ndev;

	rcu_read_lock();
	ndev = rdma_read_gid_attr_ndev_rcu(attr);
	if (IS_ERR(ndev)) {
		rcu_read_unlock();
		return PTR_ERR(ndev);
	}
	ether_addr_copy(ctx->local_mac, ndev->dev_addr);
	rcu_read_unlock();
	ctx->dev = dev;
	ctx->port = port;
	ctx->sgid_index = attr->index;
	memcpy(&ctx->local_ip, &attr->gid.raw[12], sizeof(ctx->local_ip));
	return 0;
}

/* 0 when @port of @dev is active with an IPv4 RoCEv2 GID, else -EAGAIN. */
static int fit_lx_try_port(struct fit_ctx *ctx, struct ib_device *dev,
			   u32 port)
{
	const struct ib_gid_attr *attr;
	struct ib_port_attr pattr;
	unsigned int i;
	int err;

	if (ib_query_port(dev, port, &pattr) || pattr.state != IB_PORT_ACTIVE)
		return -EAGAIN;
	/* sgid_index is a u8 in the address vector. */
	for (i = 0; i < pattr.gid_tbl_len && i <= U8_MAX; i++) {
		attr = rdma_get_gid_attr(dev, port, i);
		if (IS_ERR(attr))
			continue;
		/* rxe sends IPv4 iff the source GID is v4-mapped. */
		err = -EAGAIN;
		if (attr->gid_type == IB_GID_TYPE_ROCE_UDP_ENCAP &&
		    ipv6_addr_v4mapped((const struct in6_addr *)attr->gid.raw))
			err = fit_lx_take_gid(ctx, dev, port, attr);
		rdma_put_gid_attr(attr);
		if (!err) {
			ctx->mtu = pattr.active_mtu;
			return 0;
		}
	}
	return -EAGAIN;
}

/*
 * Under fit_lx.lock: a tracked device named @name (any, if empty) with a
 * usable port, filled into @ctx; NULL if none yet. *@named tells whether
 * a device of that name exists at all, for the error message.
 */
static struct ib_device *fit_lx_pick(struct fit_ctx *ctx, const char *name,
				     bool *named)
{
	struct ib_device *dev;
	unsigned int i;
	u32 port;

	for (i = 0; i < fit_lx.nr_devs; i++) {
		dev = fit_lx.devs[i];
		if (name[0] && strcmp(dev_name(&dev->dev), name))
			continue;
		*named = true;
		rdma_for_each_port(dev, port)
			if (!fit_lx_try_port(ctx, dev, port))
				return dev;
	}
	return NULL;
}

static int fit_lx_no_dev(const char *name, bool named, unsigned int wait_ms)
{
	if (!name[0])
		pr_err("no RDMA device with an active port and an IPv4 RoCEv2 "
		       "GID within %u ms (rdma link add rxe0 type rxe netdev "
		       "eth0?)\n", wait_ms);
	else if (!named)
		pr_err("no RDMA device named %s within %u ms\n", name, wait_ms);
	else
		pr_err("%s: no active port with an IPv4 RoCEv2 GID within %u "
		       "ms (is its netdev up, with an IPv4 address?)\n", name,
		       wait_ms);
	return -ENODEV;
}

int fit_os_dev_open(struct fit_ctx *ctx, const char *name,
		    unsigned int wait_ms)
{
	u64 end = ktime_get_ns() + (u64)wait_ms * NSEC_PER_MSEC;
	struct ib_device *dev;
	bool named = false;
	struct ib_pd *pd;

	for (;;) {
		mutex_lock(&fit_lx.lock);
		dev = fit_lx_pick(ctx, name, &named);
		if (dev)
			break;
		mutex_unlock(&fit_lx.lock);
		if (ktime_get_ns() >= end)
			return fit_lx_no_dev(name, named, wait_ms);
		msleep(FIT_LX_POLL_MS);
	}
	/* Keep the lock: the client's remove() must see ctx->dev set. */
	pd = ib_alloc_pd(dev, IB_PD_UNSAFE_GLOBAL_RKEY);
	if (IS_ERR(pd)) {
		ctx->dev = NULL;
		mutex_unlock(&fit_lx.lock);
		pr_err("%s: ib_alloc_pd with a global rkey failed (%ld)\n",
		       dev_name(&dev->dev), PTR_ERR(pd));
		return -ENODEV;
	}
	ctx->pd = pd;
	fit_lx.ctx = ctx;
	mutex_unlock(&fit_lx.lock);
	pr_info("%s port %u: GID[%u] ::ffff:%pI4 MAC %pM, active MTU %d\n",
		dev_name(&dev->dev), ctx->port, ctx->sgid_index,
		&ctx->local_ip, ctx->local_mac,
		ib_mtu_enum_to_int((enum ib_mtu)ctx->mtu));
	return 0;
}

void fit_os_dev_close(struct fit_ctx *ctx)
{
	mutex_lock(&fit_lx.lock);
	if (ctx->pd)
		ib_dealloc_pd(ctx->pd);
	ctx->pd = NULL;
	ctx->dev = NULL;
	if (fit_lx.ctx == ctx)
		fit_lx.ctx = NULL;
	mutex_unlock(&fit_lx.lock);
}

u64 fit_os_map(struct fit_ctx *ctx, void *p, size_t len)
{
	u64 addr = ib_dma_map_single(ctx->dev, p, len, DMA_BIDIRECTIONAL);

	/* Cannot happen on rxe (virt DMA); the interface has no failure. */
	if (ib_dma_mapping_error(ctx->dev, addr))
		pr_err_ratelimited("mapping %zu B at %p for DMA failed\n",
				   len, p);
	return addr;
}

void fit_os_unmap(struct fit_ctx *ctx, u64 addr, size_t len)
{
	ib_dma_unmap_single(ctx->dev, addr, len, DMA_BIDIRECTIONAL);
}

int fit_os_reg(struct fit_ctx *ctx, void *p, size_t len, struct fit_mr *mr)
{
	u64 addr = ib_dma_map_single(ctx->dev, p, len, DMA_FROM_DEVICE);

	if (ib_dma_mapping_error(ctx->dev, addr))
		return -ENOMEM;
	mr->addr = addr;
	mr->rkey = ctx->pd->unsafe_global_rkey;
	mr->len = len;
	mr->os = NULL;
	return 0;
}

void fit_os_unreg(struct fit_ctx *ctx, struct fit_mr *mr)
{
	ib_dma_unmap_single(ctx->dev, mr->addr, mr->len, DMA_FROM_DEVICE);
}

/* ---- the ib_client: which devices exist --------------------------------------- */

static int fit_lx_add(struct ib_device *dev)
{
	mutex_lock(&fit_lx.lock);
	if (fit_lx.nr_devs == FIT_LX_MAX_DEVS) {
		mutex_unlock(&fit_lx.lock);
		pr_warn("%s: ignored, already %u RDMA devices\n",
			dev_name(&dev->dev), FIT_LX_MAX_DEVS);
		return -EOPNOTSUPP;
	}
	fit_lx.devs[fit_lx.nr_devs++] = dev;
	mutex_unlock(&fit_lx.lock);
	return 0;
}

static void fit_lx_remove(struct ib_device *dev, void *client_data)
{
	struct fit_ctx *user = NULL;
	unsigned int i;

	mutex_lock(&fit_lx.lock);
	for (i = 0; i < fit_lx.nr_devs; i++)
		if (fit_lx.devs[i] == dev)
			break;
	if (i < fit_lx.nr_devs)
		fit_lx.devs[i] = fit_lx.devs[--fit_lx.nr_devs];
	if (fit_lx.ctx && fit_lx.ctx->dev == dev)
		user = fit_lx.ctx;
	mutex_unlock(&fit_lx.lock);
	if (user)
		fit_linux_dev_gone(user);
}

static struct ib_client fit_lx_client = {
	.name = "fit",
	.add = fit_lx_add,
	.remove = fit_lx_remove,
};

int fit_linux_client_register(void)
{
	return ib_register_client(&fit_lx_client);
}

void fit_linux_client_unregister(void)
{
	ib_unregister_client(&fit_lx_client);
}

/* ---- the bootstrap socket ---------------------------------------------------- */

static int fit_lx_udp_thread(void *arg)
{
	struct fit_ctx *ctx = arg;
	struct socket *sock = READ_ONCE(fit_lx.sock);
	u8 *buf = kmalloc(FIT_LX_DGRAM_MAX, GFP_KERNEL);
	struct sockaddr_in from;
	struct msghdr msg;
	struct kvec iov;
	int len;

	if (!buf) {
		pr_err("no memory for the UDP receive buffer\n");
		return -ENOMEM;
	}
	while (!kthread_should_stop()) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		iov.iov_base = buf;
		iov.iov_len = FIT_LX_DGRAM_MAX;
		len = kernel_recvmsg(sock, &msg, &iov, 1, FIT_LX_DGRAM_MAX, 0);
		if (len > 0 && from.sin_family == AF_INET)
			fit_hello_input(ctx, from.sin_addr.s_addr,
					ntohs(from.sin_port), buf, len);
		else if (READ_ONCE(sock->sk->sk_shutdown) & RCV_SHUTDOWN)
			break;		/* fit_os_udp_close() */
		else if (len < 0 && len != -EINTR && len != -EAGAIN)
			pr_warn_ratelimited("UDP receive failed (%d)\n", len);
	}
	kfree(buf);
	return 0;
}

int fit_os_udp_open(struct fit_ctx *ctx, u16 port)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct fit_thread *t;
	struct socket *sock;
	int err;

	err = sock_create_kern(&init_net, AF_INET, SOCK_DGRAM, IPPROTO_UDP,
			       &sock);
	if (err) {
		pr_err("creating the UDP socket failed (%d)\n", err);
		return err;
	}
	err = kernel_bind(sock, (struct sockaddr *)&addr, sizeof(addr));
	if (err) {
		pr_err("binding UDP port %u failed (%d)\n", port, err);
		goto out_release;
	}
	down_write(&fit_lx.sock_sem);
	fit_lx.sock = sock;
	up_write(&fit_lx.sock_sem);
	t = fit_os_thread_run(fit_lx_udp_thread, ctx, "fit-udp");
	if (!t) {
		err = -ENOMEM;
		goto out_forget;
	}
	fit_lx.rx = t;
	return 0;

out_forget:
	down_write(&fit_lx.sock_sem);
	fit_lx.sock = NULL;
	up_write(&fit_lx.sock_sem);
out_release:
	sock_release(sock);
	return err;
}

int fit_os_udp_send(struct fit_ctx *ctx, __be32 daddr, u16 dport,
		    const void *data, size_t len)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(dport),
		.sin_addr.s_addr = daddr,
	};
	struct msghdr msg = {
		.msg_name = &to,
		.msg_namelen = sizeof(to),
		.msg_flags = MSG_DONTWAIT,
	};
	struct kvec iov = { .iov_base = (void *)data, .iov_len = len };
	int n;

	down_read(&fit_lx.sock_sem);
	n = fit_lx.sock ? kernel_sendmsg(fit_lx.sock, &msg, &iov, 1, len) :
			  -ENOTCONN;
	up_read(&fit_lx.sock_sem);
	if (n < 0)
		return n;
	return n == len ? 0 : -EIO;
}

/* Safe against fit_os_udp_send() from threads still running (fit_stop()
 * closes the socket before it stops them). */
void fit_os_udp_close(struct fit_ctx *ctx)
{
	struct socket *sock;

	down_write(&fit_lx.sock_sem);
	sock = fit_lx.sock;
	fit_lx.sock = NULL;
	up_write(&fit_lx.sock_sem);
	if (!sock)
		return;
	/* Wakes the thread out of kernel_recvmsg() for good. */
	kernel_sock_shutdown(sock, SHUT_RDWR);
	fit_os_thread_stop(fit_lx.rx);
	fit_lx.rx = NULL;
	sock_release(sock);
}
