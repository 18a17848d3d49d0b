// SPDX-License-Identifier: GPL-2.0
/*
 * Connecting an st_end to its peer on another LegoOS node (test_util.h):
 * the little UDP handshake of the two-node sroce suites (sroce_peer,
 * sroce_stream) and of the RDMA benchmark (sroce_bench.c).
 *
 * The connection parameters (QPN, first PSN, GID, MAC, the address and
 * rkey of the buffer the peer may WRITE and READ) go over UDP port
 * ST_HELLO_PORT: the client repeats its HELLO every ST_HELLO_EVERY_MS
 * until the server, once its QP is connected, answers with its own; the
 * server keeps answering every HELLO until st_hello_close(), so a lost
 * answer costs one period.  The server gives no MAC (the client's
 * provider ARPs for it), the client does (the server's uses
 * ah_attr.roce.dmac): both ways of learning the peer's MAC get used.
 *
 * The two ktest suites share their boot parameters here:
 *
 *	rdma.test_peer=A.B.C.D		the other node
 *	rdma.test_role=client|server
 */
#include <lego/err.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/params.h>
#include <lego/sched.h>
#include <lego/string.h>
#include <lego/time.h>
#include <net/ip.h>
#include <net/udp.h>

#include "test_util.h"

#define ST_HELLO_MAGIC		0x48454c4f	/* "HELO" */
#define ST_HELLO_EVERY_MS	200

__be32 st_test_peer;
char st_test_role[16];

static int test_peer_param(const char *val)
{
	return inet_parse_addr(val, &st_test_peer, NULL);
}
lego_param_cb("rdma.test_peer", test_peer_param,
	      "TEST ONLY: the other node of the two-node sroce ktest suites");
lego_param_string("rdma.test_role", st_test_role,
		  "TEST ONLY: client or server, in the two-node sroce suites");

bool st_test_is_server(void)
{
	return !strcmp(st_test_role, "server");
}

static void hello_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
		     __be32 saddr, u16 sport)
{
	struct st_hello *h = ep->priv;
	struct st_hello_msg m;

	if (saddr != h->peer || pkt->len != sizeof(m))
		goto out;
	memcpy(&m, pkt->data, sizeof(m));
	if (m.magic != ST_HELLO_MAGIC || !m.is_server == !h->server)
		goto out;
	if (!READ_ONCE(h->got)) {
		h->theirs = m.info;
		__atomic_store_n(&h->got, 1, __ATOMIC_RELEASE);
	}
	if (h->server && READ_ONCE(h->ready)) {		/* answer, zero-copy */
		memcpy(pkt->data, &h->msg, sizeof(h->msg));
		udp_send_pkt(ep, pkt, saddr, sport);
		return;
	}
out:
	pktbuf_free(pkt);
}

static bool wait_hello(struct st_hello *h, unsigned int ms)
{
	u64 deadline = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;

	while (!__atomic_load_n(&h->got, __ATOMIC_ACQUIRE) &&
	       ktime_get_ns() < deadline)
		msleep(5);
	return READ_ONCE(h->got);
}

static int client_handshake(struct st_hello *h, struct st_end *e,
			    unsigned int wait_ms)
{
	unsigned int ms;

	for (ms = 0; ms < wait_ms; ms += ST_HELLO_EVERY_MS) {
		udp_sendto(h->ep, h->peer, ST_HELLO_PORT, &h->msg,
			   sizeof(h->msg));
		if (wait_hello(h, ST_HELLO_EVERY_MS))
			return st_connect(e, &h->theirs, NULL);
	}
	return -ETIMEDOUT;
}

static int server_handshake(struct st_hello *h, struct st_end *e,
			    unsigned int wait_ms)
{
	int err;

	if (!wait_hello(h, wait_ms))
		return -ETIMEDOUT;
	err = st_connect(e, &h->theirs, NULL);
	if (err)
		return err;
	WRITE_ONCE(h->ready, 1);
	/* The client also hears it on its next HELLO, if this one is lost. */
	udp_sendto(h->ep, h->peer, ST_HELLO_PORT, &h->msg, sizeof(h->msg));
	return 0;
}

int st_hello_connect(struct st_hello *h, struct st_end *e,
		     unsigned int wait_ms)
{
	int err;

	h->msg.magic = ST_HELLO_MAGIC;
	h->msg.is_server = h->server;
	h->msg.info = h->mine;
	if (h->server)			/* make the client's provider ARP */
		memset(h->msg.info.mac, 0, sizeof(h->msg.info.mac));
	h->got = 0;
	h->ready = 0;
	h->ep = udp_bind(ST_HELLO_PORT, hello_rx, h);
	if (IS_ERR(h->ep)) {
		err = PTR_ERR(h->ep);
		h->ep = NULL;
		return err;
	}
	return h->server ? server_handshake(h, e, wait_ms) :
			   client_handshake(h, e, wait_ms);
}

void st_hello_close(struct st_hello *h)
{
	if (h->ep)
		udp_unbind(h->ep);
	h->ep = NULL;
}

int st_test_handshake(struct ktest *t, struct st_hello *h, struct st_end *e)
{
	struct ib_device *dev;
	int err;

	if (strcmp(st_test_role, "client") && !st_test_is_server()) {
		ktest_fail(t, __FILE__, __LINE__,
			   "rdma.test_role=%s: neither client nor server",
			   st_test_role);
		return -EINVAL;
	}
	dev = ib_device_get_by_name("sroce0");
	if (!dev) {
		ktest_fail(t, __FILE__, __LINE__, "no device sroce0");
		return -ENODEV;
	}
	err = st_end_create(e, dev, (u32)ktime_get_ns() & IB_PSN_MASK);
	if (err) {
		ktest_fail(t, __FILE__, __LINE__, "st_end_create: %d", err);
		return err;
	}
	memset(h, 0, sizeof(*h));
	h->peer = st_test_peer;
	h->server = st_test_is_server();
	st_end_describe(e, &h->mine);
	err = st_hello_connect(h, e, ST_HELLO_WAIT_MS);
	if (err) {
		ktest_fail(t, __FILE__, __LINE__, "handshake with %pI4: %d",
			   &st_test_peer, err);
		return err;
	}
	ktest_log(t, "%s: our QP %#x, peer %pI4 QP %#x, PSNs %#x/%#x",
		  st_test_role, e->qp->qp_num, &st_test_peer,
		  h->theirs.qpn, e->sq_psn, h->theirs.psn);
	return 0;
}
