// SPDX-License-Identifier: GPL-2.0
/*
 * Soft-RoCEv2: what the engines hand back to the provider, and when.
 *
 * Completions.  The engines call ops->complete under the QP lock; each one
 * is queued in sqp->cqes and pushed to the core's CQ by sroce_qp_drain()
 * with no lock held, because the consumer's handler may post again.  One
 * context drains at a time (sqp->draining), so completions keep their
 * order.  The ring never overflows: verbs.c refuses a post (-ENOMEM) unless
 * its queue's outstanding requests plus its queued completions leave room.
 * An engine failure is reported (ib_qp_report_error()) before the
 * completions that follow it are pushed.
 *
 * Timers.  ops->timer arms a kernel timer per engine timer; it fires in
 * interrupt context, where nothing may send, so it only sets an event bit
 * and wakes the device worker, which runs sroce_rc_timer() under the lock
 * if the timer is still armed and due (a re-arm in between moved the
 * deadline and left a newer timer pending).
 *
 * R_Keys.  ops->rkey_lookup goes through the core's MR table.
 */
#define pr_fmt(fmt) "sroce: " fmt

#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/time.h>
#include <net/byteorder.h>

#include "sroce.h"

/* ---- completions -------------------------------------------------------- */

static const enum ib_wc_status wc_status[] = {
	[SROCE_WC_SUCCESS] = IB_WC_SUCCESS,
	[SROCE_WC_LOC_LEN_ERR] = IB_WC_LOC_LEN_ERR,
	[SROCE_WC_LOC_QP_OP_ERR] = IB_WC_LOC_QP_OP_ERR,
	[SROCE_WC_WR_FLUSH_ERR] = IB_WC_WR_FLUSH_ERR,
	[SROCE_WC_BAD_RESP_ERR] = IB_WC_BAD_RESP_ERR,
	[SROCE_WC_REM_INV_REQ_ERR] = IB_WC_REM_INV_REQ_ERR,
	[SROCE_WC_REM_ACCESS_ERR] = IB_WC_REM_ACCESS_ERR,
	[SROCE_WC_REM_OP_ERR] = IB_WC_REM_OP_ERR,
	[SROCE_WC_RETRY_EXC_ERR] = IB_WC_RETRY_EXC_ERR,
	[SROCE_WC_RNR_RETRY_EXC_ERR] = IB_WC_RNR_RETRY_EXC_ERR,
};

static const enum ib_wc_opcode wc_opcode[] = {
	[SROCE_WC_SEND] = IB_WC_SEND,
	[SROCE_WC_WRITE] = IB_WC_RDMA_WRITE,
	[SROCE_WC_READ] = IB_WC_RDMA_READ,
	[SROCE_WC_RECV] = IB_WC_RECV,
	[SROCE_WC_RECV_WRITE_IMM] = IB_WC_RECV_RDMA_WITH_IMM,
};

/* ops->complete: queue it; lock held.  The post limits keep room. */
static void sroce_rc_complete(struct sroce_qp *rc, const struct sroce_cqe *cqe)
{
	struct sroce_ibqp *sqp = rc_to_sqp(rc);

	if (WARN_ON_ONCE(sqp->cqe_count == sqp->cqe_size))
		return;
	sqp->cqes[(sqp->cqe_head + sqp->cqe_count) % sqp->cqe_size] = *cqe;
	sqp->cqe_count++;
	if (cqe->is_recv)
		sqp->cqe_recv++;
	else
		sqp->cqe_send++;
}

/* A completion for a request the engine never saw (posted in ERR). */
void sroce_flush_one(struct sroce_ibqp *sqp, u64 wr_id, bool recv)
{
	struct sroce_cqe cqe = {
		.wr_id = wr_id,
		.status = SROCE_WC_WR_FLUSH_ERR,
		.opcode = recv ? SROCE_WC_RECV : SROCE_WC_SEND,
		.is_recv = recv,
		.qpn = sqp->ibqp->qp_num,
	};

	sroce_rc_complete(&sqp->rc, &cqe);
}

/* The CQ lost a completion: the QP fails (ib_provider.h). */
static void sroce_cq_overflowed(struct sroce_ibqp *sqp)
{
	unsigned long flags;

	SROCE_INC(sqp->sdev, cq_overflow);
	spin_lock_irqsave(&sqp->lock, flags);
	sqp->error_reported = true;
	if (sqp->engine_up)
		sroce_qp_set_error(&sqp->rc);
	spin_unlock_irqrestore(&sqp->lock, flags);
	ib_qp_report_error(sqp->ibqp, IB_EVENT_QP_FATAL);
}

static void sroce_push(struct sroce_ibqp *sqp, const struct sroce_cqe *c)
{
	struct ib_qp *qp = sqp->ibqp;
	struct ib_wc wc = {
		.wr_id = c->wr_id,
		.status = wc_status[c->status],
		.opcode = wc_opcode[c->opcode],
		.byte_len = c->byte_len,
		.qp = qp,
		.src_qp = qp->attr.dest_qp_num,
		.port_num = 1,
	};

	if (c->with_imm) {
		wc.wc_flags |= IB_WC_WITH_IMM;
		wc.ex.imm_data = htonl(c->imm);	/* the wire's byte order */
	}
	if (ib_cq_push_wc(c->is_recv ? qp->recv_cq : qp->send_cq, &wc,
			  c->solicited) == -EOVERFLOW)
		sroce_cq_overflowed(sqp);
}

/* Lock held: does a failure of the engine wait to be reported? */
static bool sroce_error_to_report(struct sroce_ibqp *sqp)
{
	if (!sqp->engine_up || !sqp->rc.error || sqp->error_reported)
		return false;
	sqp->error_reported = true;
	/* Our responder refused a request (NAK): the peer's fault. */
	sqp->error_event = sqp->rc.stats.resp_nak_err ? IB_EVENT_QP_REQ_ERR :
							IB_EVENT_QP_FATAL;
	return true;
}

void sroce_qp_drain(struct sroce_ibqp *sqp)
{
	struct sroce_cqe cqe;
	unsigned long flags;

	spin_lock_irqsave(&sqp->lock, flags);
	if (sqp->draining) {		/* it will see ours too */
		spin_unlock_irqrestore(&sqp->lock, flags);
		return;
	}
	sqp->draining = true;
	for (;;) {
		if (sroce_error_to_report(sqp)) {
			/* First the state (ERR), then the completions. */
			spin_unlock_irqrestore(&sqp->lock, flags);
			ib_qp_report_error(sqp->ibqp, sqp->error_event);
			spin_lock_irqsave(&sqp->lock, flags);
			continue;
		}
		if (!sqp->cqe_count)
			break;
		cqe = sqp->cqes[sqp->cqe_head];
		sqp->cqe_head = (sqp->cqe_head + 1) % sqp->cqe_size;
		sqp->cqe_count--;
		if (cqe.is_recv)
			sqp->cqe_recv--;
		else
			sqp->cqe_send--;
		spin_unlock_irqrestore(&sqp->lock, flags);
		sroce_push(sqp, &cqe);
		spin_lock_irqsave(&sqp->lock, flags);
	}
	sqp->draining = false;
	spin_unlock_irqrestore(&sqp->lock, flags);
}

/* ---- the engines' other callbacks ----------------------------------------- */

static int sroce_rc_rkey_lookup(struct sroce_qp *rc, u32 rkey, u64 va,
				u32 len, u32 access, void **addr)
{
	struct sroce_ibqp *sqp = rc_to_sqp(rc);
	int want = (access & SROCE_ACCESS_REMOTE_WRITE ?
		    IB_ACCESS_REMOTE_WRITE : 0) |
		   (access & SROCE_ACCESS_REMOTE_READ ?
		    IB_ACCESS_REMOTE_READ : 0);
	struct ib_mr *mr = ib_mr_lookup_rkey(&sqp->sdev->ibdev, rkey);
	int err;

	if (!mr)
		return -EACCES;
	/* IBA 10.6.3: the MR must belong to the QP's protection domain. */
	err = mr->pd != sqp->ibqp->pd ? -EACCES :
	      ib_mr_check_range(mr, va, len, want);
	ib_mr_put(mr);
	if (err)
		return -EACCES;
	*addr = (void *)(uintptr_t)va;	/* iova is the kernel address */
	return 0;
}

/* ops->timer, lock held: arm or stop the kernel timer. */
static void sroce_rc_timer_op(struct sroce_qp *rc, enum sroce_timer which,
			      u64 usec)
{
	struct sroce_ibqp *sqp = rc_to_sqp(rc);

	if (!usec) {
		sqp->armed[which] = false;
		del_timer(&sqp->timer[which]);
		return;
	}
	sqp->armed[which] = true;
	sqp->deadline[which] = ktime_get_ns() + usec * NSEC_PER_USEC;
	mod_timer(&sqp->timer[which], sqp->deadline[which]);
}

const struct sroce_rc_ops sroce_rc_ops = {
	.xmit = sroce_xmit,
	.complete = sroce_rc_complete,
	.rkey_lookup = sroce_rc_rkey_lookup,
	.timer = sroce_rc_timer_op,
};

/* Interrupt context: tell the worker. */
static void sroce_timer_event(struct sroce_ibqp *sqp, u32 ev)
{
	__atomic_fetch_or(&sqp->events, ev, __ATOMIC_RELEASE);
	sroce_wake(sqp->sdev, SROCE_WORK_NOW);
}

void sroce_retrans_fired(struct timer_list *t)
{
	struct sroce_ibqp *sqp = from_timer(sqp, t, timer[SROCE_TIMER_RETRANS]);

	sroce_timer_event(sqp, SROCE_EV_RETRANS);
}

void sroce_rnr_fired(struct timer_list *t)
{
	struct sroce_ibqp *sqp = from_timer(sqp, t, timer[SROCE_TIMER_RNR]);

	sroce_timer_event(sqp, SROCE_EV_RNR);
}

void sroce_ack_fired(struct timer_list *t)
{
	struct sroce_ibqp *sqp = from_timer(sqp, t, timer[SROCE_TIMER_ACK]);

	sroce_timer_event(sqp, SROCE_EV_ACK);
}

void sroce_qp_handle_events(struct sroce_ibqp *sqp)
{
	u32 ev = __atomic_exchange_n(&sqp->events, 0, __ATOMIC_ACQUIRE);
	unsigned long flags;
	u64 now;
	int t;

	if (!ev)
		return;
	now = ktime_get_ns();
	spin_lock_irqsave(&sqp->lock, flags);
	for (t = 0; t < SROCE_NR_TIMERS && sqp->engine_up; t++) {
		/* Stopped, or re-armed later since it fired: not due. */
		if (!(ev & (1u << t)) || !sqp->armed[t] ||
		    now < sqp->deadline[t])
			continue;
		sqp->armed[t] = false;
		SROCE_INC(sqp->sdev, timer_fired);
		sroce_rc_timer(&sqp->rc, t);
	}
	if ((ev & SROCE_EV_KICK) && sqp->engine_up) {
		SROCE_INC(sqp->sdev, kicks);
		sroce_rc_kick(&sqp->rc);
	}
	spin_unlock_irqrestore(&sqp->lock, flags);
	sroce_qp_drain(sqp);
}
