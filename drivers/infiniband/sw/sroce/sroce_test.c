// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `sroce`: the soft-RoCEv2 provider on one node.  Needs a NIC
 * with `net.ip=` (else every case is skipped); no peer.
 *
 * Two QPs of sroce0 connected to each other through this node's own
 * address, which the provider loops back inside itself (the NIC never
 * returns our own frames), run the whole data schedule of test_util.c in
 * both directions, the target half in a thread of its own; then a QP
 * towards a QP number that does not exist must fail in bounded time, and
 * a WRITE with a bad rkey must fail with a remote access error.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/sched.h>
#include <lego/string.h>
#include <rdma/ib_verbs.h>

#include "sroce.h"
#include "test_util.h"

static struct ib_device *sroce_dev_or_skip(struct ktest *t)
{
	struct ib_device *dev = ib_device_get_by_name("sroce0");

	if (!dev)
		ktest_skip(t, "no sroce0 (boot with a NIC and net.ip=)");
	return dev;
}

static void device_registered(struct ktest *t)
{
	struct ib_device *dev = sroce_dev_or_skip(t);
	struct ib_port_attr port;
	struct netdev *ndev;
	union ib_gid gid, want;

	if (!dev)
		return;
	ndev = ib_device_get_netdev(dev, 1);
	KTEST_ASSERT_NOT_NULL(t, ndev);
	KTEST_ASSERT_EQ(t, ib_query_port(dev, 1, &port), 0);
	KTEST_EXPECT_EQ(t, port.state, IB_PORT_ACTIVE);
	KTEST_EXPECT_EQ(t, port.link_layer, IB_LINK_LAYER_ETHERNET);
	ktest_log(t, "%s MTU %u: active MTU %d", ndev->name, ndev->mtu,
		  ib_mtu_enum_to_int(port.active_mtu));
	if (ndev->mtu == ETH_DATA_LEN)
		KTEST_EXPECT_EQ(t, port.active_mtu, IB_MTU_1024);
	if (ndev->mtu >= 4096 + SROCE_HDR_ALLOWANCE)
		KTEST_EXPECT_EQ(t, port.active_mtu, IB_MTU_4096);
	KTEST_EXPECT_EQ(t, port.max_mtu, port.active_mtu);
	KTEST_EXPECT_EQ(t, port.phys_mtu, ndev->mtu);
	KTEST_ASSERT_EQ(t, ib_query_gid(dev, 1, 1, &gid), 0);
	rdma_gid_from_ipv4(&want, ndev->ip_addr);
	KTEST_EXPECT_TRUE(t, rdma_gid_equal(&gid, &want));
}

struct target_ctx {
	struct ktest *t;
	struct st_end *e;
	struct st_stats s;
	int err;
};

static int target_thread(void *arg)
{
	struct target_ctx *c = arg;

	c->err = st_target(c->t, c->e, &c->s);
	return 0;
}

/* @req drives the schedule against @tgt, served by a second thread. */
static void one_direction(struct ktest *t, struct st_end *req,
			  struct st_end *tgt, const char *what)
{
	struct target_ctx c = { .t = t, .e = tgt };
	struct task_struct *th;
	struct st_peer p;
	struct st_stats s;
	int err;

	st_end_describe(tgt, &p);
	th = kthread_create(target_thread, &c, "st-target");
	KTEST_ASSERT_NOT_NULL(t, th);
	err = st_requester(t, req, &p, &s);
	kthread_join(th);
	KTEST_EXPECT_EQ(t, err, 0);
	KTEST_EXPECT_EQ(t, c.err, 0);
	KTEST_EXPECT_EQ(t, s.mismatches + c.s.mismatches, 0);
	st_log_stats(t, what, &s);
}

static void loopback_all_ops(struct ktest *t)
{
	struct ib_device *dev = sroce_dev_or_skip(t);
	static struct st_end a, b;
	struct st_peer pa, pb;

	if (!dev)
		return;
	KTEST_ASSERT_EQ(t, st_end_create(&a, dev, 0xfffff0), 0);
	if (st_end_create(&b, dev, 100)) {
		st_end_destroy(&a);
		KTEST_ASSERT_TRUE(t, false);
	}
	st_end_describe(&a, &pa);
	st_end_describe(&b, &pb);
	KTEST_EXPECT_EQ(t, st_connect(&a, &pb, NULL), 0);
	KTEST_EXPECT_EQ(t, st_connect(&b, &pa, NULL), 0);
	if (!t->failures) {
		one_direction(t, &a, &b, "A->B");
		one_direction(t, &b, &a, "B->A");
	}
	st_end_destroy(&a);
	st_end_destroy(&b);
}

static void peer_vanishes(struct ktest *t)
{
	struct ib_device *dev = sroce_dev_or_skip(t);

	if (dev)
		st_peer_vanishes(t, dev, ib_device_get_netdev(dev, 1)->ip_addr,
				 NULL);
}

/* A WRITE with an rkey the peer never gave: NAK, both QPs in ERR. */
static void bad_rkey_access_error(struct ktest *t)
{
	struct ib_device *dev = sroce_dev_or_skip(t);
	static struct st_end a, b;
	struct ib_sge sge;
	struct ib_rdma_wr wr = { .wr = { .wr_id = 7, .sg_list = &sge,
					 .num_sge = 1,
					 .opcode = IB_WR_RDMA_WRITE } };
	struct st_peer pa, pb;
	struct ib_wc wc;

	if (!dev)
		return;
	KTEST_ASSERT_EQ(t, st_end_create(&a, dev, 1), 0);
	if (st_end_create(&b, dev, 2)) {
		st_end_destroy(&a);
		KTEST_ASSERT_TRUE(t, false);
	}
	st_end_describe(&a, &pa);
	st_end_describe(&b, &pb);
	KTEST_EXPECT_EQ(t, st_connect(&a, &pb, NULL), 0);
	KTEST_EXPECT_EQ(t, st_connect(&b, &pa, NULL), 0);
	sge = (struct ib_sge){ (u64)(uintptr_t)a.loc, 2048, a.mr_loc->lkey };
	wr.remote_addr = pb.tgt_addr;
	wr.rkey = pb.tgt_rkey ^ 0x100;		/* another slot */
	KTEST_EXPECT_EQ(t, ib_post_send(a.qp, &wr.wr, NULL), 0);
	KTEST_EXPECT_EQ(t, st_wait_wc(a.scq, &wc, 2000), 0);
	KTEST_EXPECT_EQ(t, wc.wr_id, 7);
	KTEST_EXPECT_EQ(t, wc.status, IB_WC_REM_ACCESS_ERR);
	KTEST_EXPECT_EQ(t, ib_qp_get_state(a.qp), IB_QPS_ERR);
	/* The responder that refused it is in error too (IBTA 9.9.3.1.3). */
	KTEST_EXPECT_EQ(t, st_wait_wc(b.rcq, &wc, 2000), 0);
	KTEST_EXPECT_EQ(t, wc.status, IB_WC_WR_FLUSH_ERR);
	KTEST_EXPECT_EQ(t, ib_qp_get_state(b.qp), IB_QPS_ERR);
	st_end_destroy(&a);
	st_end_destroy(&b);
}

static void counters(struct ktest *t)
{
	struct ib_device *dev = sroce_dev_or_skip(t);

	if (dev)
		sroce_print_stats(dev);
}

static const struct ktest_case sroce_cases[] = {
	KTEST_CASE(device_registered),
	KTEST_CASE(loopback_all_ops),
	KTEST_CASE(peer_vanishes),
	KTEST_CASE(bad_rkey_access_error),
	KTEST_CASE(counters),
	{}
};
KTEST_SUITE(sroce, sroce_cases);
