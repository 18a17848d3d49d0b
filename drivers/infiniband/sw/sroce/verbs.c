// SPDX-License-Identifier: GPL-2.0
/*
 * Soft-RoCEv2 queue pairs under the verbs core: create/modify/destroy and
 * posting.
 *
 * A verbs QP holds one struct sroce_qp (rc.h) and its rings, all under
 * sqp->lock (a spinlock taken with interrupts off: posts may come from
 * any context).  The engine state follows the verbs state:
 *
 *	RESET	no engine; nothing is kept
 *	INIT	sroce_qp_init() with placeholder attributes: receives queue
 *	RTR	re-initialised with the path, the peer and the receive PSN
 *		(queued receives kept); the responder runs
 *	RTS	the requester's PSN, timeout and retry counts set in place
 *		(the responder may already have moved its state)
 *	ERR	sroce_qp_set_error(): everything flushed
 *
 * Completions, timers and R_Key lookups are in events.c.  A post is
 * refused (-ENOMEM) unless its queue's outstanding requests plus its
 * completions not yet pushed leave room: the completion ring is sized for
 * both queues and never overflows.
 */
#define pr_fmt(fmt) "sroce: " fmt

#include <lego/errno.h>
#include <lego/params.h>
#include <lego/kernel.h>
#include <lego/log2.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <net/byteorder.h>

#include "psn.h"
#include "sroce.h"

/* ---- create and destroy ------------------------------------------------- */

int sroce_create_qp(struct ib_qp *qp, struct ib_qp_init_attr *ia)
{
	struct sroce_ibqp *sqp = to_sqp(qp);
	struct sroce_dev *sdev = to_sdev(qp->device);

	/* Inline data would have to be copied for retransmission. */
	if (ia->cap.max_inline_data)
		return -EINVAL;
	sqp->sq_size = roundup_pow_of_two(max(ia->cap.max_send_wr, 1u));
	sqp->rq_size = roundup_pow_of_two(max(ia->cap.max_recv_wr, 1u));
	sqp->cqe_size = sqp->sq_size + sqp->rq_size;
	sqp->sq = kcalloc(sqp->sq_size, sizeof(*sqp->sq), GFP_KERNEL);
	sqp->rq = kcalloc(sqp->rq_size, sizeof(*sqp->rq), GFP_KERNEL);
	sqp->cqes = kcalloc(sqp->cqe_size, sizeof(*sqp->cqes), GFP_KERNEL);
	if (!sqp->sq || !sqp->rq || !sqp->cqes) {
		kfree(sqp->sq);
		kfree(sqp->rq);
		kfree(sqp->cqes);
		return -ENOMEM;
	}
	qp->cap.max_send_wr = sqp->sq_size;
	qp->cap.max_recv_wr = sqp->rq_size;
	sqp->ibqp = qp;
	sqp->sdev = sdev;
	sqp->sport = ROCE_UDP_SPORT_BASE | (qp->qp_num & 0x3fff);
	spin_lock_init(&sqp->lock);
	timer_setup(&sqp->timer[SROCE_TIMER_RETRANS], sroce_retrans_fired, 0);
	timer_setup(&sqp->timer[SROCE_TIMER_RNR], sroce_rnr_fired, 0);
	timer_setup(&sqp->timer[SROCE_TIMER_ACK], sroce_ack_fired, 0);
	mutex_lock(&sdev->qps_mutex);
	list_add_tail(&sqp->node, &sdev->qps);
	mutex_unlock(&sdev->qps_mutex);
	return 0;
}

static void stats_add(struct sroce_rc_stats *sum, const struct sroce_rc_stats *s)
{
#define SROCE_STAT_ADD(name) sum->name += s->name;
	SROCE_RC_STATS_LIST(SROCE_STAT_ADD)
#undef SROCE_STAT_ADD
}

void sroce_destroy_qp(struct ib_qp *qp)
{
	struct sroce_ibqp *sqp = to_sqp(qp);
	struct sroce_dev *sdev = sqp->sdev;

	/* The worker holds qps_mutex while it handles a QP. */
	mutex_lock(&sdev->qps_mutex);
	list_del(&sqp->node);
	stats_add(&sdev->qp_totals, &sqp->rc.stats);
	mutex_unlock(&sdev->qps_mutex);
	del_timer_sync(&sqp->timer[SROCE_TIMER_RETRANS]);
	del_timer_sync(&sqp->timer[SROCE_TIMER_RNR]);
	del_timer_sync(&sqp->timer[SROCE_TIMER_ACK]);
	kfree(sqp->sq);
	kfree(sqp->rq);
	kfree(sqp->cqes);
}

/* ---- modify ------------------------------------------------------------- */

/* The verbs attributes as they will be: qp->attr overlaid with @mask. */
static void merged_attr(struct ib_qp *qp, const struct ib_qp_attr *in,
			int mask, struct ib_qp_attr *a)
{
	*a = qp->attr;
#define TAKE(bit, field) do { if (mask & (bit)) a->field = in->field; } while (0)
	TAKE(IB_QP_ACCESS_FLAGS, qp_access_flags);
	TAKE(IB_QP_AV, ah_attr);
	TAKE(IB_QP_PATH_MTU, path_mtu);
	TAKE(IB_QP_TIMEOUT, timeout);
	TAKE(IB_QP_RETRY_CNT, retry_cnt);
	TAKE(IB_QP_RNR_RETRY, rnr_retry);
	TAKE(IB_QP_RQ_PSN, rq_psn);
	TAKE(IB_QP_MAX_QP_RD_ATOMIC, max_rd_atomic);
	TAKE(IB_QP_MIN_RNR_TIMER, min_rnr_timer);
	TAKE(IB_QP_SQ_PSN, sq_psn);
	TAKE(IB_QP_MAX_DEST_RD_ATOMIC, max_dest_rd_atomic);
	TAKE(IB_QP_DEST_QPN, dest_qp_num);
#undef TAKE
}

static u32 rc_access(int ib_access)
{
	return (ib_access & IB_ACCESS_REMOTE_WRITE ?
		SROCE_ACCESS_REMOTE_WRITE : 0) |
	       (ib_access & IB_ACCESS_REMOTE_READ ?
		SROCE_ACCESS_REMOTE_READ : 0);
}

/*
 * How long the ACK of a SEND may wait for the receiver's own reply to go
 * out first (sroce_qp_attr.send_ack_delay_us; 0: ACK at once).  Well
 * below any requester's ACK timeout (67 ms at timeout 14).
 */
static unsigned int sroce_send_ack_delay_us = 200;
lego_param_uint("rdma.send_ack_delay_us", sroce_send_ack_delay_us,
		"delay the ACK of a SEND by up to N us (0: at once)");

/* Verbs attributes -> engine attributes (0s become valid placeholders). */
static void to_rc_attr(struct ib_qp *qp, const struct ib_qp_attr *a,
		       struct sroce_qp_attr *r)
{
	u32 pmtu = roce_mtu_bytes(a->path_mtu);

	*r = (struct sroce_qp_attr){
		.qpn = qp->qp_num,
		.dest_qpn = a->dest_qp_num,
		.sq_psn = a->sq_psn,
		.rq_psn = a->rq_psn,
		.pmtu = pmtu ? pmtu : 1024,
		.timeout = a->timeout,
		.retry_cnt = a->retry_cnt,
		.rnr_retry = a->rnr_retry,
		.min_rnr_timer = a->min_rnr_timer,
		.max_rd_atomic = clamp(a->max_rd_atomic, (u8)1,
				       (u8)SROCE_MAX_RD_RES),
		.max_dest_rd_atomic = clamp(a->max_dest_rd_atomic, (u8)1,
					    (u8)SROCE_MAX_RD_RES),
		.access = rc_access(a->qp_access_flags),
		.send_ack_delay_us = min(sroce_send_ack_delay_us, 10000u),
	};
}

/*
 * RTR -> RTS: the requester's and completer's start, as sroce_qp_init()
 * sets them; the responder keeps what it did in RTR.  Lock held.
 */
static void rc_start_requester(struct sroce_qp *rc, const struct sroce_qp_attr *r)
{
	rc->attr.sq_psn = r->sq_psn;
	rc->attr.timeout = r->timeout;
	rc->attr.retry_cnt = r->retry_cnt;
	rc->attr.rnr_retry = r->rnr_retry;
	rc->attr.max_rd_atomic = r->max_rd_atomic;
	rc->ack_timeout_usec = roce_ack_timeout_usec(r->timeout);
	rc->next_psn = r->sq_psn & PSN_MASK;
	rc->una = rc->next_psn;
	rc->sent_end = rc->next_psn;
	rc->last_ackreq_psn = psn_add(rc->next_psn, -1);
	rc->retry_left = r->retry_cnt;
	rc->rnr_left = r->rnr_retry;
}

/* (Re)initialise the engine keeping the receives queued in INIT. */
static int rc_reinit(struct sroce_ibqp *sqp, const struct sroce_qp_attr *r)
{
	u32 head = sqp->engine_up ? sqp->rc.rq_head : 0;
	u32 tail = sqp->engine_up ? sqp->rc.rq_tail : 0;
	int err;

	err = sroce_qp_init(&sqp->rc, r, &sroce_rc_ops, sqp->sq, sqp->sq_size,
			    sqp->rq, sqp->rq_size);
	if (err)
		return err;
	sqp->rc.rq_head = head;
	sqp->rc.rq_tail = tail;
	sqp->engine_up = true;
	return 0;
}

static void sroce_qp_reset(struct sroce_ibqp *sqp)
{
	unsigned long flags;

	del_timer_sync(&sqp->timer[SROCE_TIMER_RETRANS]);
	del_timer_sync(&sqp->timer[SROCE_TIMER_RNR]);
	del_timer_sync(&sqp->timer[SROCE_TIMER_ACK]);
	spin_lock_irqsave(&sqp->lock, flags);
	sqp->engine_up = false;
	sqp->armed[0] = sqp->armed[1] = false;
	sqp->cqe_head = sqp->cqe_count = 0;
	sqp->cqe_send = sqp->cqe_recv = 0;
	sqp->error_reported = false;
	sqp->dmac_valid = false;
	sqp->loopback = false;
	sqp->daddr = 0;
	spin_unlock_irqrestore(&sqp->lock, flags);
	__atomic_store_n(&sqp->events, 0, __ATOMIC_RELAXED);
}

static void sroce_qp_to_error(struct sroce_ibqp *sqp)
{
	unsigned long flags;

	spin_lock_irqsave(&sqp->lock, flags);
	sqp->error_reported = true;	/* the consumer asked for it */
	if (sqp->engine_up)
		sroce_qp_set_error(&sqp->rc);
	spin_unlock_irqrestore(&sqp->lock, flags);
	sroce_qp_drain(sqp);
}

/* The peer of an address vector: its IPv4 address and, if known, MAC. */
static int sroce_av_peer(struct sroce_ibqp *sqp, const struct rdma_ah_attr *ah,
			 __be32 *daddr, u8 *mac, bool *mac_ok, bool *lo)
{
	static const u8 zero[ETH_ALEN];
	struct netdev *ndev = sqp->sdev->ndev;

	/* Notes B.11: RoCEv2 over IPv4 uses v4-mapped GIDs. */
	if (!(ah->ah_flags & IB_AH_GRH) ||
	    !rdma_gid_to_ipv4(&ah->grh.dgid, daddr) || !*daddr)
		return -EINVAL;
	*lo = *daddr == ndev->ip_addr;
	*mac_ok = false;
	if (*lo)
		return 0;
	if (memcmp(ah->roce.dmac, zero, ETH_ALEN)) {
		memcpy(mac, ah->roce.dmac, ETH_ALEN);
		*mac_ok = true;
		return 0;
	}
	sroce_resolve_peer(sqp->sdev, *daddr, mac, mac_ok);
	return 0;
}

static int sroce_qp_to_rtr(struct sroce_ibqp *sqp, const struct ib_qp_attr *a)
{
	struct sroce_qp_attr r;
	unsigned long flags;
	bool mac_ok, lo;
	__be32 daddr;
	u8 mac[ETH_ALEN];
	int err;

	err = sroce_av_peer(sqp, &a->ah_attr, &daddr, mac, &mac_ok, &lo);
	if (err)
		return err;
	to_rc_attr(sqp->ibqp, a, &r);
	spin_lock_irqsave(&sqp->lock, flags);
	err = rc_reinit(sqp, &r);
	if (!err) {
		sqp->daddr = daddr;
		sqp->loopback = lo;
		sqp->dmac_valid = mac_ok;
		memcpy(sqp->dmac, mac, ETH_ALEN);
	}
	spin_unlock_irqrestore(&sqp->lock, flags);
	return err;
}

int sroce_modify_qp(struct ib_qp *qp, const struct ib_qp_attr *attr, int mask)
{
	struct sroce_ibqp *sqp = to_sqp(qp);
	enum ib_qp_state cur = qp->state;
	enum ib_qp_state next = mask & IB_QP_STATE ? attr->qp_state : cur;
	struct sroce_qp_attr r;
	struct ib_qp_attr a;
	unsigned long flags;
	int err = 0;

	/* No send queue drain: SQD (and so SQE -> RTS) is not offered. */
	if (next == IB_QPS_SQD || next == IB_QPS_SQE)
		return -EOPNOTSUPP;
	if (next == IB_QPS_RESET) {
		sroce_qp_reset(sqp);
		return 0;
	}
	if (next == IB_QPS_ERR) {
		sroce_qp_to_error(sqp);
		return 0;
	}
	merged_attr(qp, attr, mask, &a);
	if (cur == IB_QPS_INIT && next == IB_QPS_RTR)
		return sroce_qp_to_rtr(sqp, &a);
	to_rc_attr(qp, &a, &r);
	spin_lock_irqsave(&sqp->lock, flags);
	if (cur == IB_QPS_RESET) {
		err = rc_reinit(sqp, &r);
	} else if (cur == IB_QPS_RTR && next == IB_QPS_RTS) {
		rc_start_requester(&sqp->rc, &r);
	}
	/* In place (INIT, RTR, RTS): what may change there. */
	if (!err && sqp->engine_up) {
		sqp->rc.attr.access = r.access;
		sqp->rc.attr.min_rnr_timer = r.min_rnr_timer;
	}
	spin_unlock_irqrestore(&sqp->lock, flags);
	return err;
}

/* ---- posting ------------------------------------------------------------ */

static void to_send_wqe(struct ib_qp *qp, const struct ib_send_wr *wr,
			struct sroce_send_wqe *w)
{
	static const u8 op[] = {
		[IB_WR_RDMA_WRITE] = SROCE_WR_WRITE,
		[IB_WR_RDMA_WRITE_WITH_IMM] = SROCE_WR_WRITE_IMM,
		[IB_WR_SEND] = SROCE_WR_SEND,
		[IB_WR_SEND_WITH_IMM] = SROCE_WR_SEND_IMM,
		[IB_WR_RDMA_READ] = SROCE_WR_READ,
	};
	int i;

	memset(w, 0, sizeof(*w));
	w->wr_id = wr->wr_id;
	w->opcode = op[wr->opcode];
	w->flags = (ib_send_wr_signaled(qp, wr) ? SROCE_SEND_SIGNALED : 0) |
		   (wr->send_flags & IB_SEND_SOLICITED ? SROCE_SEND_SOLICITED : 0);
	w->num_sge = (u8)wr->num_sge;
	for (i = 0; i < wr->num_sge; i++) {
		w->sge[i].addr = (void *)(uintptr_t)wr->sg_list[i].addr;
		w->sge[i].len = wr->sg_list[i].length;
	}
	if (wr->opcode == IB_WR_RDMA_WRITE ||
	    wr->opcode == IB_WR_RDMA_WRITE_WITH_IMM ||
	    wr->opcode == IB_WR_RDMA_READ) {
		w->remote_va = rdma_wr(wr)->remote_addr;
		w->rkey = rdma_wr(wr)->rkey;
	}
	if (wr->opcode == IB_WR_SEND_WITH_IMM ||
	    wr->opcode == IB_WR_RDMA_WRITE_WITH_IMM)
		w->imm = ntohl(wr->ex.imm_data);
}

/* Lock held: room for one more send (and, one day, its completion)? */
static bool sq_has_room(struct sroce_ibqp *sqp)
{
	u32 out = sqp->engine_up ? sqp->rc.sq_head - sqp->rc.sq_comp : 0;

	return out + sqp->cqe_send < sqp->sq_size;
}

static bool rq_has_room(struct sroce_ibqp *sqp)
{
	u32 out = sqp->engine_up ? sqp->rc.rq_head - sqp->rc.rq_tail +
				   sqp->rc.have_rwqe : 0;

	return out + sqp->cqe_recv < sqp->rq_size;
}

int sroce_post_send_op(struct ib_qp *qp, const struct ib_send_wr *wr,
		       unsigned int nr_wr, const struct ib_send_wr **bad_wr)
{
	struct sroce_ibqp *sqp = to_sqp(qp);
	struct sroce_send_wqe w;
	unsigned long flags;
	unsigned int i;
	int err = 0;

	spin_lock_irqsave(&sqp->lock, flags);
	for (i = 0; i < nr_wr; i++, wr = wr->next) {
		if (!sq_has_room(sqp)) {
			err = -ENOMEM;
			break;
		}
		if (!sqp->engine_up || sqp->rc.error) {
			sroce_flush_one(sqp, wr->wr_id, false);
			continue;
		}
		to_send_wqe(qp, wr, &w);
		err = sroce_post_send(&sqp->rc, &w);	/* sends what it can */
		if (err)
			break;
	}
	spin_unlock_irqrestore(&sqp->lock, flags);
	if (err)
		*bad_wr = wr;
	sroce_qp_drain(sqp);
	return err;
}

int sroce_post_recv_op(struct ib_qp *qp, const struct ib_recv_wr *wr,
		       unsigned int nr_wr, const struct ib_recv_wr **bad_wr)
{
	struct sroce_ibqp *sqp = to_sqp(qp);
	struct sroce_recv_wqe w;
	unsigned long flags;
	unsigned int i;
	int err = 0, j;

	spin_lock_irqsave(&sqp->lock, flags);
	for (i = 0; i < nr_wr; i++, wr = wr->next) {
		if (!rq_has_room(sqp)) {
			err = -ENOMEM;
			break;
		}
		if (!sqp->engine_up || sqp->rc.error) {
			sroce_flush_one(sqp, wr->wr_id, true);
			continue;
		}
		memset(&w, 0, sizeof(w));
		w.wr_id = wr->wr_id;
		w.num_sge = (u8)wr->num_sge;
		for (j = 0; j < wr->num_sge; j++) {
			w.sge[j].addr = (void *)(uintptr_t)wr->sg_list[j].addr;
			w.sge[j].len = wr->sg_list[j].length;
		}
		err = sroce_post_recv(&sqp->rc, &w);
		if (err)
			break;
	}
	spin_unlock_irqrestore(&sqp->lock, flags);
	if (err)
		*bad_wr = wr;
	sroce_qp_drain(sqp);
	return err;
}
