// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP handshake of rdma_test.ko (include/uapi/lego/rdma_test.h, part 1):
 * a kernel UDP socket bound to the test port and one thread that sends our
 * HELLO_REQ to the peer every RDMA_TEST_HELLO_INTERVAL_MS until we are
 * connected, answers every REQ from the peer with a REPLY, and records the
 * peer's parameters. The test thread waits for the peer's parameters
 * (rt_hs_wait_peer), connects its QP, says so (rt_hs_set_ready) and waits
 * until the peer is ready and knows us (rt_hs_wait_connected). The thread
 * keeps answering until rt_hs_stop(), at the end of the plan: the peer may
 * have lost the REPLY that would have connected it.
 *
 * Everything a datagram says is checked before it is used: the source
 * address, magic, version, sizes and ranges (rdma_test_hello_decode), a
 * role opposite to ours, and a GID that is the v4-mapped source address
 * (rxe drops RC packets whose addresses differ from the QP's GIDs, so a
 * mismatch here would otherwise show up as a silent timeout).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "internal.h"

#define RT_HS_POLL_MS	100	/* receive timeout: how often we look up */

static const char *rt_role_name(u8 role)
{
	return role == RDMA_TEST_ROLE_INITIATOR ? "initiator" : "target";
}

__printf(3, 4)
static void rt_hs_error(struct rt_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	mutex_lock(&ctx->hs_lock);
	if (!ctx->hs_error) {
		va_start(ap, fmt);
		vsnprintf(ctx->hs_why, sizeof(ctx->hs_why), fmt, ap);
		va_end(ap);
		ctx->hs_error = err;
	}
	mutex_unlock(&ctx->hs_lock);
	wake_up(&ctx->hs_wait);
}

static int rt_hs_send(struct rt_ctx *ctx, struct sockaddr_in *to, u8 type,
		      u32 echo)
{
	struct rdma_test_hello_fields f;
	struct rdma_test_hello h;
	struct msghdr msg = { .msg_name = to, .msg_namelen = sizeof(*to) };
	struct kvec iov = { .iov_base = &h, .iov_len = sizeof(h) };

	mutex_lock(&ctx->hs_lock);
	f = ctx->local;
	f.flags = ctx->ready ? RDMA_TEST_HELLO_READY : 0;
	mutex_unlock(&ctx->hs_lock);
	f.type = type;
	f.echo = echo;
	rdma_test_hello_encode(&h, &f);
	return kernel_sendmsg(ctx->sock, &msg, &iov, 1, sizeof(h));
}

/* The checks that make a valid hello unusable: fatal for the test. */
static int rt_hs_check(struct rt_ctx *ctx, const struct rdma_test_hello_fields *f)
{
	const struct in6_addr *gid = (const struct in6_addr *)f->gid;

	if (f->role == ctx->role) {
		rt_hs_error(ctx, -EINVAL, "both sides are the %s of round 0 "
			    "(give the peer the other role)",
			    rt_role_name(ctx->role));
		return -EINVAL;
	}
	if (!ipv6_addr_v4mapped(gid) || gid->s6_addr32[3] != ctx->peer_ip) {
		rt_hs_error(ctx, -EINVAL, "the peer's GID %pI6c is not ::ffff:%pI4, "
			    "its address", f->gid, &ctx->peer_ip);
		return -EINVAL;
	}
	return 0;
}

/* Take a valid hello from the peer. */
static void rt_hs_take(struct rt_ctx *ctx, const struct rdma_test_hello_fields *f)
{
	bool first = false, connected = false, restarted = false;

	mutex_lock(&ctx->hs_lock);
	if (!ctx->have_peer) {
		ctx->peer = *f;
		ctx->have_peer = first = true;
	} else if (f->nonce != ctx->peer.nonce) {
		restarted = true;
	}
	if (!restarted && !ctx->connected &&
	    (f->flags & RDMA_TEST_HELLO_READY) && f->echo == ctx->local.nonce)
		ctx->connected = connected = true;
	mutex_unlock(&ctx->hs_lock);

	if (restarted) {
		rt_hs_error(ctx, -ECONNRESET, "the peer restarted (its nonce "
			    "changed from %08x to %08x)", ctx->peer.nonce,
			    f->nonce);
		return;
	}
	if (first)
		pr_info("hello from %pI4: QP 0x%06x, %s of round 0\n",
			&ctx->peer_ip, f->qpn, rt_role_name(f->role));
	if (connected)
		pr_info("the peer is ready\n");
	if (first || connected)
		wake_up(&ctx->hs_wait);
}

static void rt_hs_handle(struct rt_ctx *ctx, const void *buf, int len,
			 struct sockaddr_in *from)
{
	struct rdma_test_hello_fields f;
	u32 echo = 0;
	int err;

	if (from->sin_addr.s_addr != ctx->peer_ip) {
		ctx->hs_ignored++;
		pr_warn_ratelimited("ignoring a datagram from %pI4:%u\n",
				    &from->sin_addr, ntohs(from->sin_port));
		return;
	}
	err = rdma_test_hello_decode(buf, len, &f);
	if (err == -EPROTONOSUPPORT) {
		rt_hs_error(ctx, err, "the peer speaks protocol version %u, we "
			    "speak %u", f.version, RDMA_TEST_VERSION);
	} else if (err) {
		ctx->hs_ignored++;
		pr_warn_ratelimited("ignoring a malformed hello (%d bytes) from "
				    "%pI4\n", len, &from->sin_addr);
		return;
	} else {
		if (!rt_hs_check(ctx, &f))
			rt_hs_take(ctx, &f);
		if (f.type != RDMA_TEST_HELLO_REQ)
			return;
		echo = f.nonce;
	}
	/* Answer even a hello we refuse: so the peer learns why, too. */
	err = rt_hs_send(ctx, from, RDMA_TEST_HELLO_REPLY, echo);
	if (err < 0)
		pr_warn_ratelimited("answering %pI4 failed (%d)\n",
				    &from->sin_addr, err);
}

/* Keep asking until the peer is ready and knows us and we are ready too. */
static bool rt_hs_wants_req(struct rt_ctx *ctx, u32 *echo)
{
	bool wants;

	mutex_lock(&ctx->hs_lock);
	wants = !ctx->hs_error && !(ctx->connected && ctx->ready);
	*echo = ctx->have_peer ? ctx->peer.nonce : 0;
	mutex_unlock(&ctx->hs_lock);
	return wants;
}

static int rt_hs_thread(void *arg)
{
	struct rt_ctx *ctx = arg;
	struct sockaddr_in peer = {
		.sin_family = AF_INET,
		.sin_port = htons(ctx->udp_port),
		.sin_addr.s_addr = ctx->peer_ip,
	};
	unsigned long next = jiffies;
	u8 buf[RDMA_TEST_HELLO_LEN + 1];	/* one more: catch longer ones */
	struct sockaddr_in from;
	struct msghdr msg;
	struct kvec iov;
	u32 echo;
	int len;

	while (!kthread_should_stop()) {
		if (rt_hs_wants_req(ctx, &echo) && time_after_eq(jiffies, next)) {
			len = rt_hs_send(ctx, &peer, RDMA_TEST_HELLO_REQ, echo);
			if (len < 0)
				pr_warn_ratelimited("sending a hello to %pI4 "
						    "failed (%d)\n",
						    &ctx->peer_ip, len);
			next = jiffies +
			       msecs_to_jiffies(RDMA_TEST_HELLO_INTERVAL_MS);
		}
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		len = kernel_recvmsg(ctx->sock, &msg, &iov, 1, sizeof(buf), 0);
		if (len > 0)
			rt_hs_handle(ctx, buf, len, &from);
		else if (len < 0 && len != -EAGAIN && len != -EINTR)
			pr_warn_ratelimited("UDP receive failed (%d)\n", len);
	}
	return 0;
}

int rt_hs_start(struct rt_ctx *ctx)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(ctx->udp_port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct task_struct *t;
	int err;

	err = sock_create_kern(&init_net, AF_INET, SOCK_DGRAM, IPPROTO_UDP,
			       &ctx->sock);
	if (err) {
		ctx->sock = NULL;
		return rt_fail(ctx, err, "creating the UDP socket failed");
	}
	err = kernel_bind(ctx->sock, (struct sockaddr *)&addr, sizeof(addr));
	if (err)
		return rt_fail(ctx, err, "binding UDP port %u failed",
			       ctx->udp_port);
	ctx->sock->sk->sk_rcvtimeo = msecs_to_jiffies(RT_HS_POLL_MS);
	t = kthread_run(rt_hs_thread, ctx, "rdma_test_hs");
	if (IS_ERR(t))
		return rt_fail(ctx, PTR_ERR(t), "starting the handshake "
			       "thread failed");
	ctx->hs_thread = t;
	pr_info("UDP port %u: asking %pI4 every %u ms\n", ctx->udp_port,
		&ctx->peer_ip, RDMA_TEST_HELLO_INTERVAL_MS);
	return 0;
}

void rt_hs_stop(struct rt_ctx *ctx)
{
	if (ctx->hs_thread)
		kthread_stop(ctx->hs_thread);
	ctx->hs_thread = NULL;
	if (ctx->sock)
		sock_release(ctx->sock);
	ctx->sock = NULL;
	if (ctx->hs_ignored)
		pr_info("%u datagrams ignored\n", ctx->hs_ignored);
}

/* Wait until *@flag (under hs_lock) or a handshake error. */
static int rt_hs_wait(struct rt_ctx *ctx, bool *flag, const char *what)
{
	int err;

	for (;;) {
		mutex_lock(&ctx->hs_lock);
		err = ctx->hs_error;
		if (!err && *flag) {
			mutex_unlock(&ctx->hs_lock);
			return 0;
		}
		mutex_unlock(&ctx->hs_lock);
		if (err)
			return rt_fail(ctx, err, "%s", ctx->hs_why);
		err = rt_stop_reason(ctx);
		if (err)
			return rt_fail(ctx, err, "%s from %pI4 (UDP port %u) "
				       "%s", what, &ctx->peer_ip, ctx->udp_port,
				       err == -EINTR ? "before we were stopped" :
				       "in time");
		wait_event_interruptible_timeout(ctx->hs_wait,
						 READ_ONCE(*flag) ||
						 READ_ONCE(ctx->hs_error) ||
						 kthread_should_stop(),
						 min(rt_time_left(ctx), (long)HZ));
	}
}

int rt_hs_wait_peer(struct rt_ctx *ctx, struct rdma_test_hello_fields *peer)
{
	int err = rt_hs_wait(ctx, &ctx->have_peer, "no hello");

	if (err)
		return err;
	mutex_lock(&ctx->hs_lock);
	*peer = ctx->peer;
	mutex_unlock(&ctx->hs_lock);
	return 0;
}

void rt_hs_set_ready(struct rt_ctx *ctx)
{
	mutex_lock(&ctx->hs_lock);
	ctx->ready = true;
	mutex_unlock(&ctx->hs_lock);
}

int rt_hs_wait_connected(struct rt_ctx *ctx)
{
	return rt_hs_wait(ctx, &ctx->connected, "no READY hello");
}
