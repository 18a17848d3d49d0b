// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite "verbs", the data path (cases listed in verbs_test.c):
 * rejection of bad work requests before the provider sees them, posting
 * in the wrong state, in-order completions of SEND/RECV, RDMA WRITE/READ
 * through the rkey lookup, completion notification, CQ overrun and
 * flushing in ERR.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "internal.h"
#include "verbs_fake.h"
#include "verbs_test.h"

/* ---- posting -------------------------------------------------------------------- */

void post_invalid_rejected(struct ktest *t)
{
	unsigned long sends = vloop_posted_sends(vt_dev);
	const struct ib_send_wr *bad;
	struct ib_send_wr w[3] = {};
	struct ib_rdma_wr rd = {};
	struct ib_sge s[3];
	struct ib_recv_wr r[2];
	struct ib_sge rs[2];
	const struct ib_recv_wr *rbad;
	struct ib_mr *ro;
	struct vt_pair p;
	struct ib_wc wc[8];
	int i;

	KTEST_ASSERT_EQ(t, vt_pair_setup(&p, 64, NULL), 0);
	ro = ib_reg_kernel_mr(p.pd, p.buf_a, 64, 0);	/* read-only */
	KTEST_ASSERT_FALSE(t, IS_ERR(ro));

	w[0].opcode = IB_WR_SEND;
	w[0].sg_list = s;
	w[0].num_sge = 1;
#define EXPECT_REJECT(sg, err) do {					\
		s[0] = (sg);						\
		KTEST_EXPECT_EQ(t, ib_post_send(p.a, &w[0], &bad), err); \
		KTEST_EXPECT_TRUE(t, bad == &w[0]);			\
	} while (0)
	EXPECT_REJECT(((struct ib_sge){ .addr = (uintptr_t)p.buf_a,
					.length = 8, .lkey = 0x7777700 }),
		      -EINVAL);					/* no such lkey */
	EXPECT_REJECT(vt_sge(p.mr_a, p.buf_a + BUF_LEN - 4, 8), -EINVAL);
	EXPECT_REJECT(vt_sge(p.mr_a, p.buf_a - 1, 8), -EINVAL);	/* below */
	EXPECT_REJECT(vt_sge(p.mr_a, p.buf_a, 0), -EINVAL);	/* empty */
	EXPECT_REJECT(((struct ib_sge){ .addr = ~0ULL - 2, .length = 8,
					.lkey = p.mr_a->lkey }), -EINVAL);
	w[0].num_sge = 3;					/* > max_send_sge */
	EXPECT_REJECT(vt_sge(p.mr_a, p.buf_a, 8), -EINVAL);
	w[0].num_sge = 1;
	w[0].opcode = 42;
	EXPECT_REJECT(vt_sge(p.mr_a, p.buf_a, 8), -EINVAL);
	w[0].opcode = IB_WR_ATOMIC_FETCH_AND_ADD;
	EXPECT_REJECT(vt_sge(p.mr_a, p.buf_a, 8), -EOPNOTSUPP);
	w[0].opcode = IB_WR_SEND;
	w[0].send_flags = IB_SEND_INLINE;			/* > 16 inline */
	EXPECT_REJECT(vt_sge(p.mr_a, p.buf_a, 32), -EINVAL);
	w[0].send_flags = 0;

	/* an RDMA READ lands in local memory: the MR needs LOCAL_WRITE */
	rd.wr.opcode = IB_WR_RDMA_READ;
	rd.wr.sg_list = s;
	rd.wr.num_sge = 1;
	rd.remote_addr = (uintptr_t)p.buf_b;
	rd.rkey = p.mr_b->rkey;
	s[0] = vt_sge(ro, p.buf_a, 8);
	KTEST_EXPECT_EQ(t, ib_post_send(p.a, &rd.wr, &bad), -EACCES);
	KTEST_EXPECT_EQ(t, vloop_posted_sends(vt_dev), sends);

	/* a chain: two good requests go, the third is reported */
	rs[0] = vt_sge(p.mr_b, p.buf_b, 64);
	rs[1] = vt_sge(p.mr_b, p.buf_b + 64, 64);
	r[0] = (struct ib_recv_wr){ .next = &r[1], .wr_id = 11,
				    .sg_list = &rs[0], .num_sge = 1 };
	r[1] = (struct ib_recv_wr){ .wr_id = 12, .sg_list = &rs[1],
				    .num_sge = 1 };
	KTEST_ASSERT_EQ(t, ib_post_recv(p.b, r, &rbad), 0);
	s[0] = vt_sge(p.mr_a, p.buf_a, 8);
	s[1] = vt_sge(p.mr_a, p.buf_a + 8, 8);
	s[2] = vt_sge(p.mr_a, p.buf_a, BUF_LEN + 1);
	for (i = 0; i < 3; i++)
		w[i] = (struct ib_send_wr){ .next = i < 2 ? &w[i + 1] : NULL,
					    .wr_id = 1 + i, .sg_list = &s[i],
					    .num_sge = 1, .opcode = IB_WR_SEND };
	KTEST_EXPECT_EQ(t, ib_post_send(p.a, &w[0], &bad), -EINVAL);
	KTEST_EXPECT_TRUE(t, bad == &w[2]);
	KTEST_EXPECT_EQ(t, vloop_posted_sends(vt_dev), sends + 2);
	KTEST_ASSERT_EQ(t, ib_poll_cq(p.cq, 8, wc), 4);
	KTEST_EXPECT_EQ(t, wc[0].wr_id, 11);
	KTEST_EXPECT_EQ(t, wc[1].wr_id, 1);
	KTEST_EXPECT_EQ(t, wc[2].wr_id, 12);
	KTEST_EXPECT_EQ(t, wc[3].wr_id, 2);
	for (i = 0; i < 4; i++)
		KTEST_EXPECT_EQ(t, wc[i].status, IB_WC_SUCCESS);
#undef EXPECT_REJECT
	ib_dereg_mr(ro);
	vt_pair_free(&p);
}

void post_wrong_state(struct ktest *t)
{
	unsigned long recvs = vloop_posted_recvs(vt_dev);
	const struct ib_send_wr *bad;
	const struct ib_recv_wr *rbad;
	struct ib_send_wr w = { .opcode = IB_WR_SEND };
	struct ib_recv_wr r = {};
	struct ib_sge s;
	struct vt_pair p;
	struct ib_qp *qp;
	struct ib_pd *pd2;

	KTEST_ASSERT_EQ(t, vt_pair_setup(&p, 64, NULL), 0);
	qp = vt_make_qp(&p);
	KTEST_ASSERT_FALSE(t, IS_ERR(qp));
	KTEST_EXPECT_EQ(t, ib_post_send(qp, &w, &bad), -EINVAL);	/* RESET */
	KTEST_EXPECT_EQ(t, ib_post_recv(qp, &r, &rbad), -EINVAL);
	KTEST_EXPECT_TRUE(t, rbad == &r);
	KTEST_ASSERT_EQ(t, vt_to_init(qp), 0);
	KTEST_EXPECT_EQ(t, ib_post_send(qp, &w, &bad), -EINVAL);	/* INIT */
	KTEST_EXPECT_EQ(t, ib_post_recv(qp, &r, &rbad), 0);
	KTEST_EXPECT_EQ(t, vloop_posted_recvs(vt_dev), recvs + 1);

	/* receive buffers need LOCAL_WRITE, and keys of the QP's own PD */
	pd2 = ib_alloc_pd(vt_dev, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(pd2));
	s = (struct ib_sge){ .addr = (uintptr_t)p.buf_a, .length = 8,
			     .lkey = pd2->local_dma_lkey };
	r.sg_list = &s;
	r.num_sge = 1;
	KTEST_EXPECT_EQ(t, ib_post_recv(qp, &r, &rbad), -EINVAL);
	s.lkey = p.pd->local_dma_lkey;
	KTEST_EXPECT_EQ(t, ib_post_recv(qp, &r, &rbad), 0);
	KTEST_EXPECT_EQ(t, vloop_posted_recvs(vt_dev), recvs + 2);
	KTEST_EXPECT_EQ(t, ib_dealloc_pd(pd2), 0);
	KTEST_EXPECT_EQ(t, ib_destroy_qp(qp), 0);
	vt_pair_free(&p);
}

/* ---- data and completions -------------------------------------------------- */

void send_recv_in_order(struct ktest *t)
{
	struct ib_recv_wr r[8];
	struct ib_send_wr w[8];
	struct ib_sge rs[8], ss[8];
	const struct ib_send_wr *bad;
	const struct ib_recv_wr *rbad;
	struct ib_wc wc[20];
	struct vt_pair p;
	int i, n;

	KTEST_ASSERT_EQ(t, vt_pair_setup(&p, 64, NULL), 0);
	for (i = 0; i < 8; i++) {
		rs[i] = vt_sge(p.mr_b, p.buf_b + i * 64, 64);
		r[i] = (struct ib_recv_wr){ .next = i < 7 ? &r[i + 1] : NULL,
					    .wr_id = 100 + i, .sg_list = &rs[i],
					    .num_sge = 1 };
		memset(p.buf_a + i * 64, 'a' + i, 64);
		ss[i] = vt_sge(p.mr_a, p.buf_a + i * 64, 10 + i);
		w[i] = (struct ib_send_wr){ .next = i < 7 ? &w[i + 1] : NULL,
					    .wr_id = i, .sg_list = &ss[i],
					    .num_sge = 1,
					    .opcode = i & 1 ? IB_WR_SEND_WITH_IMM :
							      IB_WR_SEND,
					    .ex.imm_data = 0xabc0 + i };
	}
	KTEST_ASSERT_EQ(t, ib_post_recv(p.b, r, &rbad), 0);
	KTEST_ASSERT_EQ(t, ib_post_send(p.a, w, &bad), 0);
	n = ib_poll_cq(p.cq, 20, wc);
	KTEST_ASSERT_EQ(t, n, 16);
	for (i = 0; i < 8; i++) {		/* receive, then send, per WR */
		struct ib_wc *rc = &wc[2 * i], *sc = &wc[2 * i + 1];

		KTEST_EXPECT_EQ(t, rc->status, IB_WC_SUCCESS);
		KTEST_EXPECT_EQ(t, rc->wr_id, 100 + i);
		KTEST_EXPECT_EQ(t, rc->opcode, IB_WC_RECV);
		KTEST_EXPECT_EQ(t, rc->byte_len, 10 + i);
		KTEST_EXPECT_TRUE(t, rc->qp == p.b);
		KTEST_EXPECT_EQ(t, !!(rc->wc_flags & IB_WC_WITH_IMM), i & 1);
		if (i & 1)
			KTEST_EXPECT_EQ(t, rc->ex.imm_data, 0xabc0 + i);
		KTEST_EXPECT_EQ(t, sc->wr_id, i);
		KTEST_EXPECT_EQ(t, sc->status, IB_WC_SUCCESS);
		KTEST_EXPECT_EQ(t, sc->opcode, IB_WC_SEND);
		KTEST_EXPECT_EQ(t, p.buf_b[i * 64 + 9 + i], 'a' + i);
		KTEST_EXPECT_EQ(t, p.buf_b[i * 64 + 10 + i], 0);
	}
	/* no receive left: the sender gives up (RNR) and its QP fails */
	KTEST_ASSERT_EQ(t, ib_post_send(p.a, &w[7], &bad), 0);
	KTEST_ASSERT_EQ(t, ib_poll_cq(p.cq, 20, wc), 1);
	KTEST_EXPECT_EQ(t, wc[0].status, IB_WC_RNR_RETRY_EXC_ERR);
	KTEST_EXPECT_EQ(t, ib_qp_get_state(p.a), IB_QPS_ERR);
	vt_pair_free(&p);
}

void rdma_write_read(struct ktest *t)
{
	struct ib_rdma_wr wr = {};
	const struct ib_send_wr *bad;
	struct ib_sge s;
	struct ib_wc wc[2];
	struct ib_mr *ro;
	struct vt_pair p;

	KTEST_ASSERT_EQ(t, vt_pair_setup(&p, 64, NULL), 0);
	memcpy(p.buf_a, "hello, remote memory", 20);
	s = vt_sge(p.mr_a, p.buf_a, 20);
	wr.wr = (struct ib_send_wr){ .wr_id = 7, .sg_list = &s, .num_sge = 1,
				     .opcode = IB_WR_RDMA_WRITE };
	wr.remote_addr = (uintptr_t)(p.buf_b + 100);
	wr.rkey = p.mr_b->rkey;
	KTEST_ASSERT_EQ(t, ib_post_send(p.a, &wr.wr, &bad), 0);
	KTEST_ASSERT_EQ(t, ib_poll_cq(p.cq, 2, wc), 1);
	KTEST_EXPECT_EQ(t, wc[0].status, IB_WC_SUCCESS);
	KTEST_EXPECT_EQ(t, wc[0].opcode, IB_WC_RDMA_WRITE);
	KTEST_EXPECT_EQ(t, memcmp(p.buf_b + 100, "hello, remote memory", 20), 0);

	s = vt_sge(p.mr_a, p.buf_a + 1000, 20);
	wr.wr.opcode = IB_WR_RDMA_READ;
	KTEST_ASSERT_EQ(t, ib_post_send(p.a, &wr.wr, &bad), 0);
	KTEST_ASSERT_EQ(t, ib_poll_cq(p.cq, 2, wc), 1);
	KTEST_EXPECT_EQ(t, wc[0].status, IB_WC_SUCCESS);
	KTEST_EXPECT_EQ(t, wc[0].opcode, IB_WC_RDMA_READ);
	KTEST_EXPECT_EQ(t, memcmp(p.buf_a + 1000, "hello, remote memory", 20), 0);

	/* past the end of the remote MR: remote access error, QP to ERR */
	wr.remote_addr = (uintptr_t)(p.buf_b + BUF_LEN - 10);
	KTEST_ASSERT_EQ(t, ib_post_send(p.a, &wr.wr, &bad), 0);
	KTEST_ASSERT_EQ(t, ib_poll_cq(p.cq, 2, wc), 1);
	KTEST_EXPECT_EQ(t, wc[0].status, IB_WC_REM_ACCESS_ERR);
	KTEST_EXPECT_EQ(t, ib_qp_get_state(p.a), IB_QPS_ERR);

	/* a write into an MR that grants only remote read */
	ro = ib_reg_kernel_mr(p.pd, p.buf_b, 64, IB_ACCESS_REMOTE_READ);
	KTEST_ASSERT_FALSE(t, IS_ERR(ro));
	KTEST_ASSERT_EQ(t, vt_connect(p.a, p.b->qp_num), -EINVAL);	/* ERR->INIT */
	{
		struct ib_qp_attr at = { .qp_state = IB_QPS_RESET };

		KTEST_ASSERT_EQ(t, ib_modify_qp(p.a, &at, IB_QP_STATE), 0);
	}
	KTEST_ASSERT_EQ(t, vt_connect(p.a, p.b->qp_num), 0);
	wr.wr.opcode = IB_WR_RDMA_WRITE;
	wr.remote_addr = (uintptr_t)p.buf_b;
	wr.rkey = ro->rkey;
	KTEST_ASSERT_EQ(t, ib_post_send(p.a, &wr.wr, &bad), 0);
	KTEST_ASSERT_EQ(t, ib_poll_cq(p.cq, 2, wc), 1);
	KTEST_EXPECT_EQ(t, wc[0].status, IB_WC_REM_ACCESS_ERR);
	ib_dereg_mr(ro);
	vt_pair_free(&p);
}

static int handler_calls;

static void count_handler(struct ib_cq *cq, void *ctx)
{
	handler_calls++;
}

void completion_handler(struct ktest *t)
{
	struct ib_send_wr w = { .opcode = IB_WR_SEND };
	const struct ib_send_wr *bad;
	struct ib_recv_wr r = {};
	const struct ib_recv_wr *rbad;
	struct ib_wc wc[8];
	struct vt_pair p;

	KTEST_ASSERT_EQ(t, vt_pair_setup(&p, 64, count_handler), 0);
	handler_calls = 0;
	KTEST_EXPECT_EQ(t, ib_req_notify_cq(p.cq, IB_CQ_NEXT_COMP), 0);
	KTEST_EXPECT_EQ(t, ib_req_notify_cq(p.cq, IB_CQ_SOLICITED_MASK), -EINVAL);
	KTEST_ASSERT_EQ(t, ib_post_recv(p.b, &r, &rbad), 0);
	KTEST_ASSERT_EQ(t, ib_post_send(p.a, &w, &bad), 0);	/* 2 completions */
	KTEST_EXPECT_EQ(t, handler_calls, 1);			/* one arming */
	KTEST_EXPECT_EQ(t, ib_req_notify_cq(p.cq, IB_CQ_NEXT_COMP |
					    IB_CQ_REPORT_MISSED_EVENTS), 1);
	KTEST_EXPECT_EQ(t, ib_poll_cq(p.cq, 8, wc), 2);
	KTEST_EXPECT_EQ(t, ib_req_notify_cq(p.cq, IB_CQ_SOLICITED |
					    IB_CQ_REPORT_MISSED_EVENTS), 0);
	/* armed for NEXT_COMP still (the stronger request stays) */
	KTEST_ASSERT_EQ(t, ib_post_recv(p.b, &r, &rbad), 0);
	KTEST_ASSERT_EQ(t, ib_post_send(p.a, &w, &bad), 0);
	KTEST_EXPECT_EQ(t, handler_calls, 2);
	KTEST_EXPECT_EQ(t, ib_poll_cq(p.cq, 8, wc), 2);
	/* solicited only: an unsolicited message does not fire it */
	KTEST_EXPECT_EQ(t, ib_req_notify_cq(p.cq, IB_CQ_SOLICITED), 0);
	KTEST_ASSERT_EQ(t, ib_post_recv(p.b, &r, &rbad), 0);
	KTEST_ASSERT_EQ(t, ib_post_send(p.a, &w, &bad), 0);
	KTEST_EXPECT_EQ(t, handler_calls, 2);
	w.send_flags = IB_SEND_SOLICITED;
	KTEST_ASSERT_EQ(t, ib_post_recv(p.b, &r, &rbad), 0);
	KTEST_ASSERT_EQ(t, ib_post_send(p.a, &w, &bad), 0);
	KTEST_EXPECT_EQ(t, handler_calls, 3);
	KTEST_EXPECT_EQ(t, ib_poll_cq(p.cq, 8, wc), 4);
	vt_pair_free(&p);
}

static int cq_errors;

static void cq_event_handler(struct ib_event *ev, void *ctx)
{
	if (ev->event == IB_EVENT_CQ_ERR)
		cq_errors++;
}

void cq_overrun(struct ktest *t)
{
	struct ib_cq_init_attr ca = { .cqe = 4 };
	struct ib_rdma_wr rw = { .wr.opcode = IB_WR_RDMA_WRITE };
	const struct ib_send_wr *bad;
	struct ib_cq *cq, *old;
	struct ib_wc wc[8];
	struct vt_pair p;
	int i;

	KTEST_ASSERT_EQ(t, vt_pair_setup(&p, 64, NULL), 0);
	cq = ib_create_cq(vt_dev, NULL, cq_event_handler, NULL, &ca);
	KTEST_ASSERT_FALSE(t, IS_ERR(cq));
	/* a fresh QP A2 completing into the small CQ, connected to B */
	old = p.cq;
	p.cq = cq;
	ib_destroy_qp(p.a);
	p.a = vt_make_qp(&p);
	p.cq = old;
	KTEST_ASSERT_FALSE(t, IS_ERR(p.a));
	KTEST_ASSERT_EQ(t, vt_connect(p.a, p.b->qp_num), 0);
	cq_errors = 0;
	rw.remote_addr = (uintptr_t)p.buf_b;	/* zero-length writes */
	rw.rkey = p.mr_b->rkey;
	for (i = 0; i < 4; i++) {
		rw.wr.wr_id = i;
		KTEST_ASSERT_EQ(t, ib_post_send(p.a, &rw.wr, &bad), 0);
	}
	KTEST_EXPECT_EQ(t, cq->count, 4);
	KTEST_EXPECT_EQ(t, ib_qp_get_state(p.a), IB_QPS_RTS);
	KTEST_ASSERT_EQ(t, ib_post_send(p.a, &rw.wr, &bad), 0);	/* 5th */
	KTEST_EXPECT_EQ(t, cq->state, IB_CQ_STATE_ERROR);
	KTEST_EXPECT_EQ(t, cq_errors, 1);
	KTEST_EXPECT_EQ(t, ib_qp_get_state(p.a), IB_QPS_ERR);
	KTEST_EXPECT_EQ(t, ib_poll_cq(cq, 8, wc), -EIO);
	KTEST_EXPECT_EQ(t, ib_destroy_cq(cq), -EBUSY);		/* A2 uses it */
	ib_destroy_qp(p.a);
	p.a = NULL;
	KTEST_EXPECT_EQ(t, ib_destroy_cq(cq), 0);
	vt_pair_free(&p);
}

void flush_in_error(struct ktest *t)
{
	struct ib_recv_wr r[3] = {};
	struct ib_send_wr w = { .wr_id = 55, .opcode = IB_WR_SEND };
	struct ib_qp_attr at = { .qp_state = IB_QPS_ERR };
	const struct ib_send_wr *bad;
	const struct ib_recv_wr *rbad;
	struct ib_wc wc[8];
	struct vt_pair p;
	int i;

	KTEST_ASSERT_EQ(t, vt_pair_setup(&p, 64, NULL), 0);
	for (i = 0; i < 3; i++) {
		r[i].wr_id = 10 + i;
		r[i].next = i < 2 ? &r[i + 1] : NULL;
	}
	KTEST_ASSERT_EQ(t, ib_post_recv(p.b, r, &rbad), 0);
	KTEST_ASSERT_EQ(t, ib_modify_qp(p.b, &at, IB_QP_STATE), 0);
	KTEST_ASSERT_EQ(t, ib_poll_cq(p.cq, 8, wc), 3);
	for (i = 0; i < 3; i++) {
		KTEST_EXPECT_EQ(t, wc[i].wr_id, 10 + i);
		KTEST_EXPECT_EQ(t, wc[i].status, IB_WC_WR_FLUSH_ERR);
	}
	KTEST_ASSERT_EQ(t, ib_post_send(p.b, &w, &bad), 0);	/* allowed in ERR */
	KTEST_ASSERT_EQ(t, ib_poll_cq(p.cq, 8, wc), 1);
	KTEST_EXPECT_EQ(t, wc[0].wr_id, 55);
	KTEST_EXPECT_EQ(t, wc[0].status, IB_WC_WR_FLUSH_ERR);
	vt_pair_free(&p);
}
