// SPDX-License-Identifier: GPL-2.0
/*
 * sroce ktest endpoints (test_util.h): a QP with its CQs and registered
 * buffers, connecting it RESET -> INIT -> RTR -> RTS, posting and waiting,
 * and the vanished-peer check both suites run.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>
#include <net/byteorder.h>
#include <rdma/ib_provider.h>

#include "test_util.h"

typedef unsigned long long ull;

/* ---- endpoints ------------------------------------------------------------ */

static struct ib_mr *reg(struct st_end *e, void *buf, size_t len, int access)
{
	struct ib_mr *mr = ib_reg_kernel_mr(e->pd, buf, len, access);

	return IS_ERR(mr) ? NULL : mr;
}

int st_end_create(struct st_end *e, struct ib_device *dev, u32 sq_psn)
{
	struct ib_cq_init_attr ca = { .cqe = 64 };
	struct ib_qp_init_attr ia = {
		.qp_type = IB_QPT_RC,
		.sq_sig_type = IB_SIGNAL_ALL_WR,
		.cap = { .max_send_wr = 16, .max_recv_wr = 16,
			 .max_send_sge = 1, .max_recv_sge = 1 },
	};

	memset(e, 0, sizeof(*e));
	e->dev = dev;
	e->sq_psn = sq_psn & IB_PSN_MASK;
	e->rx = kmalloc(ST_REGION, GFP_KERNEL);
	e->tgt = kmalloc(ST_REGION, GFP_KERNEL);
	e->loc = kmalloc(ST_REGION, GFP_KERNEL);
	e->ctrl = kzalloc(ST_CTRL_SIZE, GFP_KERNEL);
	e->pd = ib_alloc_pd(dev, 0);
	if (!e->rx || !e->tgt || !e->loc || !e->ctrl || IS_ERR(e->pd))
		goto fail;
	memset(e->rx, ST_FILL_TGT, ST_REGION);
	memset(e->tgt, ST_FILL_TGT, ST_REGION);
	e->mr_rx = reg(e, e->rx, ST_REGION, IB_ACCESS_LOCAL_WRITE);
	e->mr_tgt = reg(e, e->tgt, ST_REGION, IB_ACCESS_LOCAL_WRITE |
			IB_ACCESS_REMOTE_WRITE | IB_ACCESS_REMOTE_READ);
	e->mr_loc = reg(e, e->loc, ST_REGION, IB_ACCESS_LOCAL_WRITE);
	e->mr_ctrl = reg(e, e->ctrl, ST_CTRL_SIZE,
			 IB_ACCESS_LOCAL_WRITE);
	e->scq = ib_create_cq(dev, NULL, NULL, e, &ca);
	e->rcq = ib_create_cq(dev, NULL, NULL, e, &ca);
	if (!e->mr_rx || !e->mr_tgt || !e->mr_loc || !e->mr_ctrl ||
	    IS_ERR(e->scq) || IS_ERR(e->rcq))
		goto fail;
	ia.send_cq = e->scq;
	ia.recv_cq = e->rcq;
	e->qp = ib_create_qp(e->pd, &ia);
	if (IS_ERR(e->qp))
		goto fail;
	return 0;
fail:
	st_end_destroy(e);
	return -ENOMEM;
}

void st_end_destroy(struct st_end *e)
{
	if (!IS_ERR_OR_NULL(e->qp))
		ib_destroy_qp(e->qp);
	if (e->mr_rx)
		ib_dereg_mr(e->mr_rx);
	if (e->mr_tgt)
		ib_dereg_mr(e->mr_tgt);
	if (e->mr_loc)
		ib_dereg_mr(e->mr_loc);
	if (e->mr_ctrl)
		ib_dereg_mr(e->mr_ctrl);
	if (!IS_ERR_OR_NULL(e->scq))
		ib_destroy_cq(e->scq);
	if (!IS_ERR_OR_NULL(e->rcq))
		ib_destroy_cq(e->rcq);
	if (!IS_ERR_OR_NULL(e->pd))
		ib_dealloc_pd(e->pd);
	kfree(e->rx);
	kfree(e->tgt);
	kfree(e->loc);
	kfree(e->ctrl);
	memset(e, 0, sizeof(*e));
}

void st_end_describe(struct st_end *e, struct st_peer *me)
{
	struct netdev *ndev = ib_device_get_netdev(e->dev, 1);

	memset(me, 0, sizeof(*me));
	me->qpn = e->qp->qp_num;
	me->psn = e->sq_psn;
	ib_query_gid(e->dev, 1, 1, &me->gid);	/* the IPv4-mapped GID */
	if (ndev)
		memcpy(me->mac, ndev->mac, ETH_ALEN);
	me->tgt_addr = (u64)(uintptr_t)e->tgt;
	me->tgt_rkey = e->mr_tgt->rkey;
}

int st_post_recv(struct st_end *e)
{
	struct ib_sge sge = {
		.addr = (u64)(uintptr_t)e->rx,
		.length = ST_REGION,
		.lkey = e->mr_rx->lkey,
	};
	struct ib_recv_wr wr = { .wr_id = ++e->wr_id, .sg_list = &sge,
				 .num_sge = 1 };

	return ib_post_recv(e->qp, &wr, NULL);
}

int st_connect(struct st_end *e, const struct st_peer *p,
	       const struct st_conn *c)
{
	struct ib_port_attr port;
	struct ib_qp_attr a;
	int err, i;

	memset(&a, 0, sizeof(a));
	a.qp_state = IB_QPS_INIT;
	a.port_num = 1;
	a.qp_access_flags = IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_WRITE |
			    IB_ACCESS_REMOTE_READ;
	err = ib_modify_qp(e->qp, &a, IB_QP_STATE | IB_QP_PKEY_INDEX |
			   IB_QP_PORT | IB_QP_ACCESS_FLAGS);
	for (i = 0; !err && i < ST_RECV_DEPTH; i++)
		err = st_post_recv(e);
	if (!err)
		err = ib_query_port(e->dev, 1, &port);
	if (err)
		return err;
	memset(&a, 0, sizeof(a));
	a.qp_state = IB_QPS_RTR;
	a.path_mtu = port.active_mtu;
	a.dest_qp_num = p->qpn;
	a.rq_psn = p->psn;
	a.max_dest_rd_atomic = 16;
	a.min_rnr_timer = 12;			/* 0.64 ms */
	a.ah_attr.type = RDMA_AH_ATTR_TYPE_ROCE;
	rdma_ah_set_port_num(&a.ah_attr, 1);
	rdma_ah_set_grh(&a.ah_attr, &p->gid, 0, 1, 64, 0);
	memcpy(a.ah_attr.roce.dmac, p->mac, ETH_ALEN);
	err = ib_modify_qp(e->qp, &a, IB_QP_STATE | IB_QP_AV | IB_QP_PATH_MTU |
			   IB_QP_DEST_QPN | IB_QP_RQ_PSN |
			   IB_QP_MAX_DEST_RD_ATOMIC | IB_QP_MIN_RNR_TIMER);
	if (err)
		return err;
	memset(&a, 0, sizeof(a));
	a.qp_state = IB_QPS_RTS;
	a.sq_psn = e->sq_psn;
	a.timeout = c && c->timeout ? c->timeout : 14;
	a.retry_cnt = c && c->retry_cnt ? c->retry_cnt : 7;
	a.rnr_retry = c && c->rnr_retry ? c->rnr_retry : 7;
	a.max_rd_atomic = 4;
	return ib_modify_qp(e->qp, &a, IB_QP_STATE | IB_QP_SQ_PSN |
			    IB_QP_TIMEOUT | IB_QP_RETRY_CNT | IB_QP_RNR_RETRY |
			    IB_QP_MAX_QP_RD_ATOMIC);
}

int st_wait_wc(struct ib_cq *cq, struct ib_wc *wc, unsigned int ms)
{
	u64 deadline = ktime_get_ns() + ms * NSEC_PER_MSEC;
	unsigned int spins = 0;
	int n;

	for (;;) {
		n = ib_poll_cq(cq, 1, wc);
		if (n)
			return n < 0 ? n : 0;
		if (ktime_get_ns() > deadline)
			return -ETIMEDOUT;
		if (++spins < 64)
			yield();
		else
			msleep(1);
	}
}

int st_post(struct st_end *e, enum ib_wr_opcode op, void *buf, u32 len,
		struct ib_mr *mr, const struct st_peer *p, u32 imm)
{
	struct ib_sge sge = {
		.addr = (u64)(uintptr_t)buf, .length = len, .lkey = mr->lkey,
	};
	struct ib_rdma_wr wr = {
		.wr = { .wr_id = ++e->wr_id, .sg_list = &sge, .num_sge = 1,
			.opcode = op, .send_flags = IB_SEND_SIGNALED },
		.remote_addr = p ? p->tgt_addr : 0,
		.rkey = p ? p->tgt_rkey : 0,
	};

	wr.wr.ex.imm_data = htonl(imm);
	return ib_post_send(e->qp, &wr.wr, NULL);
}

/* ---- a peer that does not answer ------------------------------------------- */

static void expect_wc(struct ktest *t, struct ib_cq *cq, enum ib_wc_status st,
		      unsigned int ms, const char *what)
{
	struct ib_wc wc;
	int err = st_wait_wc(cq, &wc, ms);

	if (err) {
		ktest_fail(t, __FILE__, __LINE__, "%s: no completion (%d)", what, err);
		return;
	}
	KTEST_EXPECT_EQ(t, wc.status, st);
}

void st_peer_vanishes(struct ktest *t, struct ib_device *dev, __be32 peer_ip,
		      const u8 *peer_mac)
{
	struct st_conn c = { .timeout = 12, .retry_cnt = 3, .rnr_retry = 3 };
	struct st_peer p = { .qpn = 0xfffff0, .tgt_addr = 0x100000,
			     .tgt_rkey = 0x1234 };
	struct st_end e;
	u64 t0, ms;
	int i;

	KTEST_ASSERT_EQ(t, st_end_create(&e, dev, 0x123456), 0);
	rdma_gid_from_ipv4(&p.gid, peer_ip);
	if (peer_mac)
		memcpy(p.mac, peer_mac, ETH_ALEN);
	KTEST_EXPECT_EQ(t, st_connect(&e, &p, &c), 0);
	t0 = ktime_get_ns();
	KTEST_EXPECT_EQ(t, st_post(&e, IB_WR_RDMA_WRITE, e.loc, 4096, e.mr_loc, &p, 0), 0);
	KTEST_EXPECT_EQ(t, st_post(&e, IB_WR_SEND, e.loc, 100, e.mr_loc, NULL, 0), 0);
	KTEST_EXPECT_EQ(t, st_post(&e, IB_WR_RDMA_READ, e.loc, 4096, e.mr_loc, &p, 0), 0);
	/* 4 local ACK timeouts of 16.8 ms: well within 2 s. */
	expect_wc(t, e.scq, IB_WC_RETRY_EXC_ERR, 2000, "WRITE");
	ms = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
	expect_wc(t, e.scq, IB_WC_WR_FLUSH_ERR, 100, "SEND");
	expect_wc(t, e.scq, IB_WC_WR_FLUSH_ERR, 100, "READ");
	for (i = 0; i < ST_RECV_DEPTH; i++)
		expect_wc(t, e.rcq, IB_WC_WR_FLUSH_ERR, 100, "receive");
	KTEST_EXPECT_EQ(t, ib_qp_get_state(e.qp), IB_QPS_ERR);
	/* Posting in ERR flushes at once. */
	KTEST_EXPECT_EQ(t, st_post(&e, IB_WR_SEND, e.loc, 1, e.mr_loc, NULL, 0), 0);
	expect_wc(t, e.scq, IB_WC_WR_FLUSH_ERR, 100, "SEND in ERR");
	ktest_log(t, "dead peer %pI4: RETRY_EXC_ERR after %llu ms, the rest flushed",
		  &peer_ip, (ull)ms);
	KTEST_EXPECT_LT(t, ms, 2000);
	st_end_destroy(&e);
}
