// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `sroce_peer`: soft-RoCEv2 between two LegoOS nodes on one
 * segment.  Both boot with `ktest=sroce_peer`, their own `net.ip=` and
 *
 *	rdma.test_peer=A.B.C.D		the other node
 *	rdma.test_role=client|server
 *
 * (without rdma.test_peer every case is skipped).  The connection
 * parameters go over the UDP handshake of test_hello.c (at most 60 s).
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
#include <lego/sched.h>
#include <lego/string.h>
#include <lego/time.h>
#include <rdma/ib_verbs.h>

#include "sroce.h"
#include "test_util.h"

#define ST_LINGER_MS		1000

static struct {
	struct ib_device *dev;
	struct st_end e;
	struct st_hello h;
	bool up;			/* connected: the schedule may run */
} P;

static void handshake(struct ktest *t)
{
	if (!st_test_peer) {
		ktest_skip(t, "no rdma.test_peer= on the command line");
		return;
	}
	if (st_test_handshake(t, &P.h, &P.e))
		return;
	P.dev = P.e.dev;
	P.up = true;
}

static bool connected(struct ktest *t)
{
	if (!st_test_peer)
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
	if (st_test_is_server() == requester_is_server)
		err = st_requester(t, &P.e, &P.h.theirs, &s);
	else
		err = st_target(t, &P.e, &s);
	KTEST_EXPECT_EQ(t, err, 0);
	KTEST_EXPECT_EQ(t, s.mismatches, 0);
	st_log_stats(t, what, &s);
}

static void client_to_server(struct ktest *t)
{
	run_half(t, false, st_test_is_server() ? "target" : "requester");
}

static void server_to_client(struct ktest *t)
{
	run_half(t, true, st_test_is_server() ? "requester" : "target");
}

static void peer_vanishes(struct ktest *t)
{
	if (!connected(t))
		return;
	st_peer_vanishes(t, P.dev, st_test_peer, NULL);
}

static void teardown_counters(struct ktest *t)
{
	if (!st_test_peer) {
		ktest_skip(t, "no rdma.test_peer= on the command line");
		return;
	}
	msleep(ST_LINGER_MS);
	if (P.dev)
		sroce_print_stats(P.dev);
	if (P.e.qp)
		st_end_destroy(&P.e);
	st_hello_close(&P.h);
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
