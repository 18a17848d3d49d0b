// SPDX-License-Identifier: GPL-2.0
/*
 * An RC queue pair of soft-RoCEv2: its set-up, the work-request rings,
 * the entry points the glue calls (post, receive, timer, kick) and what
 * the three engines (req.c, resp.c, comp.c) share: completions, the
 * scatter/gather walk, the retransmit timer.  See rc.h for the layering.
 *
 * Every entry point leaves the QP consistent and the retransmit timer
 * armed exactly while request packets are unacknowledged (notes C.4 1).
 */
#include <lego/errno.h>
#include <lego/string.h>
#include <lego/types.h>

#include "psn.h"
#include "rc.h"

static bool is_pow2(u32 x)
{
	return x && !(x & (x - 1));
}

static int check_attr(const struct sroce_qp_attr *a)
{
	if (!is_pow2(a->pmtu) || a->pmtu < SROCE_MIN_PMTU ||
	    a->pmtu > SROCE_MAX_PMTU)
		return -EINVAL;
	if ((a->qpn | a->dest_qpn) & ~ROCE_QPN_MASK)
		return -EINVAL;
	/* IBTA 9.7: 3-bit retry counters, 5-bit timer codes. */
	if (a->retry_cnt > 7 || a->rnr_retry > 7 || a->min_rnr_timer > 31 ||
	    a->timeout > 31)
		return -EINVAL;
	if (!a->max_rd_atomic || !a->max_dest_rd_atomic ||
	    a->max_dest_rd_atomic > SROCE_MAX_RD_RES)
		return -EINVAL;
	if (a->max_unacked > PSN_HALF)
		return -EINVAL;
	return 0;
}

int sroce_qp_init(struct sroce_qp *qp, const struct sroce_qp_attr *attr,
		  const struct sroce_rc_ops *ops, struct sroce_send_wqe *sq,
		  u32 sq_size, struct sroce_recv_wqe *rq, u32 rq_size)
{
	int ret = check_attr(attr);

	if (ret)
		return ret;
	if (!is_pow2(sq_size) || !is_pow2(rq_size) || !ops || !ops->xmit ||
	    !ops->complete || !ops->rkey_lookup || !ops->timer)
		return -EINVAL;
	memset(qp, 0, sizeof(*qp));
	qp->attr = *attr;
	if (!qp->attr.ack_every)
		qp->attr.ack_every = SROCE_ACK_EVERY;
	if (!qp->attr.max_unacked)
		qp->attr.max_unacked = SROCE_MAX_UNACKED;
	qp->ops = ops;
	qp->sq = sq;
	qp->sq_size = sq_size;
	qp->rq = rq;
	qp->rq_size = rq_size;
	qp->ack_timeout_usec = roce_ack_timeout_usec(attr->timeout);
	qp->next_psn = attr->sq_psn & PSN_MASK;
	qp->una = qp->next_psn;
	qp->sent_end = qp->next_psn;
	qp->last_ackreq_psn = psn_add(qp->next_psn, -1);
	qp->retry_left = attr->retry_cnt;
	qp->rnr_left = attr->rnr_retry;
	qp->epsn = attr->rq_psn & PSN_MASK;
	return 0;
}

static int sum_sges(const struct sroce_sge *sge, u32 n, u32 *len)
{
	u64 total = 0;
	u32 i;

	if (n > SROCE_MAX_SGE)
		return -EINVAL;
	for (i = 0; i < n; i++)
		total += sge[i].len;
	/* IBTA 9.4: a message is at most 2^31 bytes. */
	if (total > (1u << 31))
		return -EINVAL;
	*len = (u32)total;
	return 0;
}

int sroce_post_send(struct sroce_qp *qp, const struct sroce_send_wqe *wr)
{
	struct sroce_send_wqe *wqe;
	u32 len;

	if (qp->error)
		return -ENOTCONN;
	if (wr->opcode > SROCE_WR_READ || sum_sges(wr->sge, wr->num_sge, &len))
		return -EINVAL;
	if (qp->sq_head - qp->sq_comp >= qp->sq_size)
		return -ENOMEM;
	wqe = sroce_sq_at(qp, qp->sq_head);
	*wqe = *wr;
	wqe->length = len;
	wqe->state = SROCE_WQE_POSTED;
	wqe->read_done = 0;
	wqe->read_req_off = 0;
	qp->sq_head++;
	sroce_requester(qp);
	sroce_update_timer(qp);
	return 0;
}

int sroce_post_recv(struct sroce_qp *qp, const struct sroce_recv_wqe *wr)
{
	struct sroce_recv_wqe *wqe;
	u32 len;

	if (qp->error)
		return -ENOTCONN;
	if (sum_sges(wr->sge, wr->num_sge, &len))
		return -EINVAL;
	if (qp->rq_head - qp->rq_tail >= qp->rq_size)
		return -ENOMEM;
	wqe = &qp->rq[qp->rq_head & (qp->rq_size - 1)];
	*wqe = *wr;
	wqe->length = len;
	qp->rq_head++;
	return 0;
}

void sroce_rc_rx(struct sroce_qp *qp, const struct sroce_pkt *pkt)
{
	/* Notes B.11 steps 4-5: our QPN, and a QP able to take it. */
	if (qp->error || pkt->bth.dqpn != qp->attr.qpn) {
		qp->stats.rx_wrong_state++;
		return;
	}
	if (pkt->info & ROCE_F_REQ)
		sroce_responder(qp, pkt);
	else if (pkt->info & ROCE_F_RESP)
		sroce_completer(qp, pkt);
	sroce_requester(qp);
	sroce_update_timer(qp);
}

void sroce_rc_timer(struct sroce_qp *qp, enum sroce_timer which)
{
	if (qp->error)
		return;
	if (which == SROCE_TIMER_ACK) {
		sroce_resp_flush_ack(qp);
		return;
	}
	if (which == SROCE_TIMER_RETRANS)
		qp->timer_armed = false;
	sroce_comp_timer(qp, which);
	sroce_requester(qp);
	sroce_update_timer(qp);
}

void sroce_rc_kick(struct sroce_qp *qp)
{
	if (qp->error)
		return;
	sroce_resp_kick(qp);
	sroce_requester(qp);
	sroce_update_timer(qp);
}

static void flush_recv(struct sroce_qp *qp, const struct sroce_recv_wqe *w)
{
	struct sroce_cqe cqe = {
		.wr_id = w->wr_id,
		.status = SROCE_WC_WR_FLUSH_ERR,
		.opcode = SROCE_WC_RECV,
		.is_recv = true,
		.qpn = qp->attr.qpn,
	};

	sroce_complete(qp, &cqe);
}

void sroce_qp_set_error(struct sroce_qp *qp)
{
	if (qp->error)
		return;
	qp->error = true;
	/* IBTA 10.3 (QP error state): every outstanding WR is flushed. */
	for (; qp->sq_comp != qp->sq_head; qp->sq_comp++)
		sroce_complete_send(qp, sroce_sq_at(qp, qp->sq_comp),
				    SROCE_WC_WR_FLUSH_ERR);
	qp->sq_req = qp->sq_comp;
	if (qp->have_rwqe)
		flush_recv(qp, &qp->rwqe);
	qp->have_rwqe = false;
	for (; qp->rq_tail != qp->rq_head; qp->rq_tail++)
		flush_recv(qp, &qp->rq[qp->rq_tail & (qp->rq_size - 1)]);
	qp->ops->timer(qp, SROCE_TIMER_RETRANS, 0);
	qp->ops->timer(qp, SROCE_TIMER_RNR, 0);
	qp->ops->timer(qp, SROCE_TIMER_ACK, 0);
	qp->timer_armed = false;
	qp->rnr_wait = false;
	qp->ack_pending = false;
}

void sroce_complete(struct sroce_qp *qp, const struct sroce_cqe *cqe)
{
	qp->ops->complete(qp, cqe);
}

void sroce_complete_send(struct sroce_qp *qp, struct sroce_send_wqe *wqe,
			 enum sroce_wc_status status)
{
	static const u8 wc_op[] = {
		[SROCE_WR_SEND] = SROCE_WC_SEND,
		[SROCE_WR_SEND_IMM] = SROCE_WC_SEND,
		[SROCE_WR_WRITE] = SROCE_WC_WRITE,
		[SROCE_WR_WRITE_IMM] = SROCE_WC_WRITE,
		[SROCE_WR_READ] = SROCE_WC_READ,
	};
	struct sroce_cqe cqe = {
		.wr_id = wqe->wr_id,
		.status = status,
		.opcode = wc_op[wqe->opcode],
		.byte_len = status == SROCE_WC_SUCCESS ? wqe->length : 0,
		.qpn = qp->attr.qpn,
	};

	wqe->state = SROCE_WQE_DONE;
	/* Unsignalled WRs complete silently, unless they fail. */
	if (status != SROCE_WC_SUCCESS || (wqe->flags & SROCE_SEND_SIGNALED))
		sroce_complete(qp, &cqe);
}

void sroce_sge_write(const struct sroce_sge *sge, u32 num_sge, u32 off,
		     const u8 *src, u32 len)
{
	u32 i, n;

	for (i = 0; i < num_sge && len; i++) {
		if (off >= sge[i].len) {
			off -= sge[i].len;
			continue;
		}
		n = min(sge[i].len - off, len);
		memcpy((u8 *)sge[i].addr + off, src, n);
		src += n;
		len -= n;
		off = 0;
	}
}

void sroce_sge_frags(const struct sroce_sge *sge, u32 num_sge, u32 off,
		     u32 len, struct sroce_pkt *pkt)
{
	u32 i, n;

	pkt->nfrag = 0;
	pkt->paylen = len;
	for (i = 0; i < num_sge && len; i++) {
		if (off >= sge[i].len) {
			off -= sge[i].len;
			continue;
		}
		n = min(sge[i].len - off, len);
		pkt->frag[pkt->nfrag].addr = (const u8 *)sge[i].addr + off;
		pkt->frag[pkt->nfrag].len = n;
		pkt->nfrag++;
		len -= n;
		off = 0;
	}
}

void sroce_pkt_init(struct sroce_qp *qp, struct sroce_pkt *pkt, u8 opcode,
		    u32 psn)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->bth.opcode = opcode;
	pkt->bth.pkey = ROCE_DEFAULT_PKEY;
	pkt->bth.dqpn = qp->attr.dest_qpn;
	pkt->bth.psn = psn & PSN_MASK;
	pkt->info = roce_opcode_info(opcode);
}

void sroce_update_timer(struct sroce_qp *qp)
{
	bool outstanding = qp->una != qp->sent_end;

	if (qp->error || !qp->ack_timeout_usec)
		return;
	/* Notes B.8: armed while work is out, pushed forward on progress. */
	if (outstanding && !qp->rnr_wait) {
		if (!qp->timer_armed || qp->progress)
			qp->ops->timer(qp, SROCE_TIMER_RETRANS,
				       qp->ack_timeout_usec);
		qp->timer_armed = true;
	} else if (qp->timer_armed) {
		qp->ops->timer(qp, SROCE_TIMER_RETRANS, 0);
		qp->timer_armed = false;
	}
	qp->progress = false;
}

const char *sroce_wc_status_name(enum sroce_wc_status status)
{
	static const char *const name[] = {
		[SROCE_WC_SUCCESS] = "success",
		[SROCE_WC_LOC_LEN_ERR] = "local length error",
		[SROCE_WC_LOC_QP_OP_ERR] = "local QP operation error",
		[SROCE_WC_WR_FLUSH_ERR] = "flushed",
		[SROCE_WC_BAD_RESP_ERR] = "bad response",
		[SROCE_WC_REM_INV_REQ_ERR] = "remote invalid request",
		[SROCE_WC_REM_ACCESS_ERR] = "remote access error",
		[SROCE_WC_REM_OP_ERR] = "remote operational error",
		[SROCE_WC_RETRY_EXC_ERR] = "transport retry exceeded",
		[SROCE_WC_RNR_RETRY_EXC_ERR] = "RNR retry exceeded",
	};

	return (unsigned int)status < ARRAY_SIZE(name) ? name[status] : "?";
}
