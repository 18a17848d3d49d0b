// SPDX-License-Identifier: GPL-2.0
/*
 * Work requests of rdma_test.ko: posting receives, control messages and the
 * operations under test, and waiting for their completions.
 *
 * One CQ serves both queues. Its completion handler only wakes the test
 * thread, which polls, re-arms the CQ (IB_CQ_REPORT_MISSED_EVENTS) and
 * sleeps: spinning would take the single vCPU of a test VM from rxe's
 * tasklets, and the 2-core host from the peer VM. Send completions are
 * recorded by kind (one of each kind is outstanding at a time); receive
 * completions queue up in a FIFO the plan takes them from in order. A
 * completion with an error fails the test: the QP is then in the error
 * state and the peer will time out.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "internal.h"

/* ---- completions -------------------------------------------------------------- */

void rt_cq_comp(struct ib_cq *cq, void *cq_context)
{
	struct rt_ctx *ctx = cq_context;

	WRITE_ONCE(ctx->cq_event, true);
	wake_up(&ctx->cq_wait);
}

void rt_cq_event(struct ib_event *ev, void *context)
{
	pr_err_ratelimited("CQ event: %s\n", ib_event_msg(ev->event));
}

void rt_qp_event(struct ib_event *ev, void *context)
{
	pr_warn_ratelimited("QP event: %s\n", ib_event_msg(ev->event));
}

static const char *rt_wr_name(u64 wr_id)
{
	switch (wr_id) {
	case RT_WR_REG:		return "REG_MR";
	case RT_WR_CTRL:	return "control SEND";
	case RT_WR_DATA:	return "operation";
	}
	return "receive";
}

static int rt_handle_wc(struct rt_ctx *ctx, const struct ib_wc *wc)
{
	struct rt_rx *rx;

	if (wc->status != IB_WC_SUCCESS)
		return rt_fail(ctx, -EIO, "%s completed with %s (vendor error "
			       "0x%x)", rt_wr_name(wc->wr_id),
			       ib_wc_status_msg(wc->status), wc->vendor_err);
	if (wc->wr_id < RT_WR_RECV) {
		__set_bit(wc->wr_id, &ctx->send_done);
		return 0;
	}
	/* At most RT_NR_SLOTS receives are posted, so the FIFO has room. */
	rx = &ctx->rx[(ctx->rx_head + ctx->rx_count) % RT_NR_SLOTS];
	rx->slot = wc->wr_id - RT_WR_RECV;
	rx->opcode = wc->opcode;
	rx->byte_len = wc->byte_len;
	rx->has_imm = wc->wc_flags & IB_WC_WITH_IMM;
	rx->imm = rx->has_imm ? be32_to_cpu(wc->ex.imm_data) : 0;
	ctx->rx_count++;
	return 0;
}

/* Handle what the CQ holds; when it is empty, arm it and sleep (at most a
 * second) until the completion handler runs. */
static int rt_progress(struct rt_ctx *ctx)
{
	struct ib_wc wc[8];
	int n, i, err;

	n = ib_poll_cq(ctx->cq, ARRAY_SIZE(wc), wc);
	if (n < 0)
		return rt_fail(ctx, n, "ib_poll_cq failed");
	for (i = 0; i < n; i++) {
		err = rt_handle_wc(ctx, &wc[i]);
		if (err)
			return err;
	}
	if (n)
		return 0;
	WRITE_ONCE(ctx->cq_event, false);
	if (ib_req_notify_cq(ctx->cq, IB_CQ_NEXT_COMP |
			     IB_CQ_REPORT_MISSED_EVENTS) > 0)
		return 0;
	wait_event_interruptible_timeout(ctx->cq_wait,
					 READ_ONCE(ctx->cq_event) ||
					 kthread_should_stop(),
					 min(rt_time_left(ctx), (long)HZ));
	return 0;
}

int rt_wait_send(struct rt_ctx *ctx, enum rt_wr_id id)
{
	int err;

	while (!test_bit(id, &ctx->send_done)) {
		err = rt_stop_reason(ctx);
		if (!err)
			err = rt_progress(ctx);
		if (err)
			return err;
	}
	__clear_bit(id, &ctx->send_done);
	return 0;
}

int rt_wait_recv(struct rt_ctx *ctx, struct rt_rx *rx)
{
	int err;

	while (!ctx->rx_count) {
		err = rt_stop_reason(ctx);
		if (!err)
			err = rt_progress(ctx);
		if (err)
			return err;
	}
	*rx = ctx->rx[ctx->rx_head];
	ctx->rx_head = (ctx->rx_head + 1) % RT_NR_SLOTS;
	ctx->rx_count--;
	return 0;
}

/* ---- posting ------------------------------------------------------------------ */

/* Give receive @slot back to the QP, with the @used bytes at its start
 * (and the guard after them) poisoned again. */
int rt_repost(struct rt_ctx *ctx, int slot, u32 used)
{
	struct rt_buf *b = &ctx->slots[slot];
	struct ib_sge sge = {
		.addr = b->dma,
		.length = rt_max_msg(ctx),
		.lkey = ctx->pd->local_dma_lkey,
	};
	struct ib_recv_wr wr = {
		.wr_id = RT_WR_RECV + slot,
		.sg_list = &sge,
		.num_sge = 1,
	};
	int err;

	rt_sync_for_cpu(ctx, b);
	memset(b->cpu, RDMA_TEST_POISON,
	       min_t(size_t, (size_t)used + RDMA_TEST_GUARD, b->len));
	rt_sync_for_device(ctx, b);
	err = ib_post_recv(ctx->qp, &wr, NULL);
	if (err)
		return rt_fail(ctx, err, "ib_post_recv failed");
	return 0;
}

int rt_post_send(struct rt_ctx *ctx, struct ib_send_wr *wr)
{
	int err = ib_post_send(ctx->qp, wr, NULL);

	if (err)
		return rt_fail(ctx, err, "ib_post_send of a %s failed",
			       rt_wr_name(wr->wr_id));
	return 0;
}

int rt_post_ctrl(struct rt_ctx *ctx, const struct rdma_test_msg_fields *m)
{
	struct ib_sge sge = {
		.addr = ctx->ctrl.dma,
		.length = RDMA_TEST_MSG_LEN,
		.lkey = ctx->pd->local_dma_lkey,
	};
	struct ib_send_wr wr = {
		.wr_id = RT_WR_CTRL,
		.sg_list = &sge,
		.num_sge = 1,
		.opcode = IB_WR_SEND,
		.send_flags = IB_SEND_SIGNALED,
	};

	rt_sync_for_cpu(ctx, &ctx->ctrl);
	rdma_test_msg_encode(ctx->ctrl.cpu, m);
	rt_sync_for_device(ctx, &ctx->ctrl);
	return rt_post_send(ctx, &wr);
}

static const enum ib_wr_opcode rt_wr_opcode[] = {
	[RDMA_TEST_OP_SEND] = IB_WR_SEND,
	[RDMA_TEST_OP_SEND_IMM] = IB_WR_SEND_WITH_IMM,
	[RDMA_TEST_OP_WRITE] = IB_WR_RDMA_WRITE,
	[RDMA_TEST_OP_WRITE_IMM] = IB_WR_RDMA_WRITE_WITH_IMM,
	[RDMA_TEST_OP_READ] = IB_WR_RDMA_READ,
};

/* Post operation @op of @len bytes: from src, or into sink for a READ. */
int rt_post_data(struct rt_ctx *ctx, u32 op, u32 len, u64 raddr, u32 rkey,
		 u32 imm)
{
	struct rt_buf *b = op == RDMA_TEST_OP_READ ? &ctx->sink : &ctx->src;
	struct ib_sge sge = {
		.addr = b->dma,
		.length = len,
		.lkey = ctx->pd->local_dma_lkey,
	};
	struct ib_rdma_wr wr = {
		.wr = {
			.wr_id = RT_WR_DATA,
			.sg_list = &sge,
			.num_sge = 1,
			.opcode = rt_wr_opcode[op],
			.send_flags = IB_SEND_SIGNALED,
		},
		.remote_addr = raddr,
		.rkey = rkey,
	};

	if (rdma_test_op_has_imm(op))
		wr.wr.ex.imm_data = cpu_to_be32(imm);
	return rt_post_send(ctx, &wr.wr);
}
