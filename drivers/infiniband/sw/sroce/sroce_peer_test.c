// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `sroce_peer`: soft-RoCEv2 between two LegoOS nodes on one
 * segment.  Both boot with `ktest=sroce_peer`, their own `net.ip=` and
 *
 *	rdma.test_peer=A.B.C.D		the other node
 *	rdma.test_role=client|server
 *
 * (without rdma.test_peer every case is skipped).  The connection
 * parameters (QPN, first PSN, GID, MAC, the address and rkey of the
 * buffer the peer may WRITE and READ) go over a little UDP handshake on
 * port ST_HELLO_PORT: the client repeats its HELLO every 200 ms until the
 * server, once its QP is connected, answers with its own; at most 60 s.
 * The server gives no MAC (the client's provider ARPs for it), the client
 * does (the server's uses ah_attr.roce.dmac).
 *
 * Then the data schedule of test_util.c runs with the client as requester
 * and the server as target, then the other way round: every operation at
 * every size in both directions, each message verified where it landed.
 * A node passes only when everything it checked matched and its peer
 * reported a match for everything it sent.  Last, each node points a QP
 * at a QP number the other does not have: its work must fail in bounded
 * time.  Both nodes linger a second before tearing down, so that the
 * last ACKs of a lossy link still find their QP.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/params.h>
#include <lego/sched.h>
#include <lego/string.h>
#include <lego/time.h>
#include <net/ip.h>
#include <net/udp.h>
#include <rdma/ib_verbs.h>

#include "sroce.h"
#include "test_util.h"

#define ST_HELLO_PORT		18515
#define ST_HELLO_MAGIC		0x48454c4f	/* "HELO" */
#define ST_HELLO_WAIT_MS	60000
#define ST_HELLO_EVERY_MS	200
#define ST_LINGER_MS		1000

static __be32 test_peer;
static char test_role[16];

static int test_peer_param(const char *val)
{
	return inet_parse_addr(val, &test_peer, NULL);
}
lego_param_cb("rdma.test_peer", test_peer_param,
	      "TEST ONLY: the other node of the sroce_peer ktest suite");
lego_param_string("rdma.test_role", test_role,
		  "TEST ONLY: client or server, in the sroce_peer suite");

/* The handshake message (both ends are x86 LegoOS: native byte order). */
struct st_hello {
	u32 magic;
	u32 is_server;
	struct st_peer info;
};

static struct {
	struct ib_device *dev;
	struct st_end e;
	bool up;			/* connected: the schedule may run */
	struct udp_endpoint *ep;
	struct st_hello mine;
	struct st_hello theirs;		/* written by the rx callback */
	int got_hello;
	int ready;			/* server: answer HELLOs */
} P;

static bool is_server(void)
{
	return !strcmp(test_role, "server");
}

static void hello_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
		     __be32 saddr, u16 sport)
{
	struct st_hello h;

	if (saddr != test_peer || pkt->len != sizeof(h))
		goto out;
	memcpy(&h, pkt->data, sizeof(h));
	if (h.magic != ST_HELLO_MAGIC || !h.is_server == !is_server())
		goto out;
	if (!READ_ONCE(P.got_hello)) {
		P.theirs = h;
		WRITE_ONCE(P.got_hello, 1);
	}
	if (is_server() && READ_ONCE(P.ready)) {	/* answer, zero-copy */
		memcpy(pkt->data, &P.mine, sizeof(P.mine));
		udp_send_pkt(ep, pkt, saddr, sport);
		return;
	}
out:
	pktbuf_free(pkt);
}

static bool wait_hello(unsigned int ms)
{
	u64 deadline = ktime_get_ns() + ms * NSEC_PER_MSEC;

	while (!READ_ONCE(P.got_hello) && ktime_get_ns() < deadline)
		msleep(5);
	return READ_ONCE(P.got_hello);
}

static int client_handshake(struct ktest *t)
{
	unsigned int ms;

	for (ms = 0; ms < ST_HELLO_WAIT_MS; ms += ST_HELLO_EVERY_MS) {
		udp_sendto(P.ep, test_peer, ST_HELLO_PORT, &P.mine,
			   sizeof(P.mine));
		if (wait_hello(ST_HELLO_EVERY_MS))
			return st_connect(&P.e, &P.theirs.info, NULL);
	}
	return -ETIMEDOUT;
}

static int server_handshake(struct ktest *t)
{
	int err;

	if (!wait_hello(ST_HELLO_WAIT_MS))
		return -ETIMEDOUT;
	err = st_connect(&P.e, &P.theirs.info, NULL);
	if (err)
		return err;
	WRITE_ONCE(P.ready, 1);
	/* The client also hears it on its next HELLO, if this one is lost. */
	udp_sendto(P.ep, test_peer, ST_HELLO_PORT, &P.mine, sizeof(P.mine));
	return 0;
}

static void handshake(struct ktest *t)
{
	int err;

	if (!test_peer) {
		ktest_skip(t, "no rdma.test_peer= on the command line");
		return;
	}
	if (strcmp(test_role, "client") && !is_server()) {
		ktest_fail(t, __FILE__, __LINE__,
			   "rdma.test_role=%s: neither client nor server", test_role);
		return;
	}
	P.dev = ib_device_get_by_name("sroce0");
	KTEST_ASSERT_NOT_NULL(t, P.dev);
	KTEST_ASSERT_EQ(t, st_end_create(&P.e, P.dev,
					 (u32)ktime_get_ns() & IB_PSN_MASK), 0);
	P.mine.magic = ST_HELLO_MAGIC;
	P.mine.is_server = is_server();
	st_end_describe(&P.e, &P.mine.info);
	if (is_server())		/* make the client's provider ARP */
		memset(P.mine.info.mac, 0, sizeof(P.mine.info.mac));
	P.ep = udp_bind(ST_HELLO_PORT, hello_rx, NULL);
	KTEST_ASSERT_FALSE(t, IS_ERR(P.ep));
	err = is_server() ? server_handshake(t) : client_handshake(t);
	KTEST_ASSERT_EQ(t, err, 0);
	P.up = true;
	ktest_log(t, "%s: our QP %#x, peer %pI4 QP %#x, PSNs %#x/%#x",
		  test_role, P.e.qp->qp_num, &test_peer, P.theirs.info.qpn,
		  P.e.sq_psn, P.theirs.info.psn);
}

static bool connected(struct ktest *t)
{
	if (!test_peer)
		ktest_skip(t, "no rdma.test_peer= on the command line");
	else if (!P.up)
		ktest_fail(t, __FILE__, __LINE__, "not connected (handshake failed)");
	return P.up;
}

/* @requester_is_server: which side drives this half. */
static void run_half(struct ktest *t, bool requester_is_server,
		     const char *what)
{
	struct st_stats s;
	int err;

	if (!connected(t))
		return;
	if (is_server() == requester_is_server)
		err = st_requester(t, &P.e, &P.theirs.info, &s);
	else
		err = st_target(t, &P.e, &s);
	KTEST_EXPECT_EQ(t, err, 0);
	KTEST_EXPECT_EQ(t, s.mismatches, 0);
	st_log_stats(t, what, &s);
}

static void client_to_server(struct ktest *t)
{
	run_half(t, false, is_server() ? "target" : "requester");
}

static void server_to_client(struct ktest *t)
{
	run_half(t, true, is_server() ? "requester" : "target");
}

static void peer_vanishes(struct ktest *t)
{
	if (!connected(t))
		return;
	st_peer_vanishes(t, P.dev, test_peer, NULL);
}

static void teardown_counters(struct ktest *t)
{
	if (!test_peer) {
		ktest_skip(t, "no rdma.test_peer= on the command line");
		return;
	}
	msleep(ST_LINGER_MS);
	if (P.dev)
		sroce_print_stats(P.dev);
	if (P.e.qp)
		st_end_destroy(&P.e);
	if (!IS_ERR_OR_NULL(P.ep))
		udp_unbind(P.ep);
	P.up = false;
}

static const struct ktest_case sroce_peer_cases[] = {
	KTEST_CASE(handshake),
	KTEST_CASE(client_to_server),
	KTEST_CASE(server_to_client),
	KTEST_CASE(peer_vanishes),
	KTEST_CASE(teardown_counters),
	{}
};
KTEST_SUITE(sroce_peer, sroce_peer_cases);
