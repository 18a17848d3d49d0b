// SPDX-License-Identifier: GPL-2.0
/*
 * The RC responder: executes request packets in PSN order and answers
 * them (IBTA 9.7; notes B.6, B.7, B.9, C.5).
 *
 *	CHECK_PSN --expected--> CHECK_OP -> CHECK_SEQ -> CHECK_LEN ->
 *	    CHECK_RKEY -> GET_RWQE -> EXECUTE -> COMPLETE -> ACK | READ_REPLY
 *	          --duplicate--> DUPLICATE -> ACK (re-ACK) | READ_REPLY
 *	          --ahead------> NAK_SEQ (once per ePSN)
 *	any check that fails --> NAK_ERROR (invalid request, access), the
 *	    QP goes to error;  no receive WQE --> RNR
 *
 * ACKs are sent only when the request asks (AckReq), one ACK standing for
 * every PSN up to its own: that is the coalescing rxe expects (notes
 * B.14).  READ responses are sent from a READ resource, a copy of the
 * request kept so that a duplicate READ is answered again from memory;
 * if the transmit path is full they resume at sroce_resp_kick().
 */
#include <lego/errno.h>
#include <lego/string.h>
#include <lego/types.h>

#include "psn.h"
#include "rc.h"

enum resp_state {
	RESP_CHECK_PSN,
	RESP_CHECK_OP,
	RESP_CHECK_SEQ,
	RESP_CHECK_LEN,
	RESP_CHECK_RKEY,
	RESP_GET_RWQE,
	RESP_EXECUTE,
	RESP_COMPLETE,
	RESP_ACK,
	RESP_READ_REPLY,
	RESP_DUPLICATE,
	RESP_NAK_SEQ,
	RESP_RNR,
	RESP_NAK_ERROR,
	RESP_DONE,
};

static const char *const resp_state_name[] = {
	[RESP_CHECK_PSN] = "CHECK_PSN",
	[RESP_CHECK_OP] = "CHECK_OP",
	[RESP_CHECK_SEQ] = "CHECK_SEQ",
	[RESP_CHECK_LEN] = "CHECK_LEN",
	[RESP_CHECK_RKEY] = "CHECK_RKEY",
	[RESP_GET_RWQE] = "GET_RWQE",
	[RESP_EXECUTE] = "EXECUTE",
	[RESP_COMPLETE] = "COMPLETE",
	[RESP_ACK] = "ACK",
	[RESP_READ_REPLY] = "READ_REPLY",
	[RESP_DUPLICATE] = "DUPLICATE",
	[RESP_NAK_SEQ] = "NAK_SEQ",
	[RESP_RNR] = "RNR",
	[RESP_NAK_ERROR] = "NAK_ERROR",
	[RESP_DONE] = "DONE",
};

struct resp_ctx {
	const struct sroce_pkt *pkt;
	u32 info;
	u32 ack_psn;
	enum roce_nak_code nak;
	enum sroce_wc_status rq_status;	/* for the receive WQE on error */
	u8 *addr;			/* CHECK_RKEY's result */
	bool delayable;			/* a new message's ACK, not a re-ACK */
};

static enum resp_state resp_check_psn(struct sroce_qp *qp,
				      struct resp_ctx *c)
{
	/* IBTA 9.7 / notes B.6: the PSN against the expected PSN. */
	switch (psn_classify(c->pkt->bth.psn, qp->epsn)) {
	case PSN_EXPECTED:
		return RESP_CHECK_OP;
	case PSN_DUPLICATE:
		return RESP_DUPLICATE;
	default:
		return RESP_NAK_SEQ;
	}
}

static enum resp_state nak(struct resp_ctx *c, enum roce_nak_code code)
{
	c->nak = code;
	return RESP_NAK_ERROR;
}

static enum resp_state resp_check_op(struct sroce_qp *qp, struct resp_ctx *c)
{
	u32 info = c->info;

	/* Notes C.2: atomics and invalidates are refused with NAK 0x61. */
	if (info & (ROCE_F_ATOMIC | ROCE_F_IETH))
		return nak(c, ROCE_NAK_INV_REQ);
	/* IBTA 9.7: RDMA on a QP not enabled for it is invalid. */
	if ((info & ROCE_F_WRITE) &&
	    !(qp->attr.access & SROCE_ACCESS_REMOTE_WRITE))
		return nak(c, ROCE_NAK_INV_REQ);
	if ((info & ROCE_F_READ) &&
	    !(qp->attr.access & SROCE_ACCESS_REMOTE_READ))
		return nak(c, ROCE_NAK_INV_REQ);
	return RESP_CHECK_SEQ;
}

static enum resp_state resp_check_seq(struct sroce_qp *qp, struct resp_ctx *c)
{
	u32 kind = c->info & (ROCE_F_SEND | ROCE_F_WRITE | ROCE_F_READ);

	/* IBTA 9.7: FIRST/ONLY start a message, MIDDLE/LAST continue
	 * the open one of the same kind; anything else is invalid. */
	if (c->info & ROCE_F_FIRST)
		return qp->resp_op ? nak(c, ROCE_NAK_INV_REQ) : RESP_CHECK_LEN;
	if (qp->resp_op != kind)
		return nak(c, ROCE_NAK_INV_REQ);
	return RESP_CHECK_LEN;
}

static enum resp_state resp_check_len(struct sroce_qp *qp, struct resp_ctx *c)
{
	const struct sroce_pkt *pkt = c->pkt;
	u32 info = c->info, pmtu = qp->attr.pmtu;

	if (info & ROCE_F_READ)		/* IBTA 9.4: at most 2^31 bytes */
		return pkt->reth.dma_len > (1u << 31) ?
			nak(c, ROCE_NAK_INV_REQ) : RESP_CHECK_RKEY;
	/* Notes B.9: FIRST/MIDDLE exactly PMTU, LAST 1..PMTU. */
	if (!(info & ROCE_F_LAST) && pkt->paylen != pmtu)
		return nak(c, ROCE_NAK_INV_REQ);
	if ((info & (ROCE_F_FIRST | ROCE_F_LAST)) == ROCE_F_LAST &&
	    !pkt->paylen)
		return nak(c, ROCE_NAK_INV_REQ);
	if (!(info & ROCE_F_WRITE))
		return RESP_CHECK_RKEY;
	/* Notes B.9: a WRITE's packets add up to the RETH length. */
	if (info & ROCE_F_FIRST) {
		if ((info & ROCE_F_LAST) ? pkt->reth.dma_len != pkt->paylen :
					   pkt->reth.dma_len <= pkt->paylen)
			return nak(c, ROCE_NAK_INV_REQ);
	} else if ((info & ROCE_F_LAST) ? qp->write_left != pkt->paylen :
					  qp->write_left <= pkt->paylen) {
		return nak(c, ROCE_NAK_INV_REQ);
	}
	return RESP_CHECK_RKEY;
}

static enum resp_state resp_check_rkey(struct sroce_qp *qp,
				       struct resp_ctx *c)
{
	const struct sroce_pkt *pkt = c->pkt;
	u32 access = c->info & ROCE_F_READ ? SROCE_ACCESS_REMOTE_READ :
					     SROCE_ACCESS_REMOTE_WRITE;
	void *addr = NULL;

	c->addr = NULL;
	/* Notes C.3: R_Key, bounds and rights on every RETH; a zero-length
	 * transfer touches no memory and checks no key (IBTA 9.4). */
	if (!(c->info & ROCE_F_RETH) || !pkt->reth.dma_len)
		return RESP_GET_RWQE;
	if (qp->ops->rkey_lookup(qp, pkt->reth.rkey, pkt->reth.va,
				 pkt->reth.dma_len, access, &addr))
		return nak(c, ROCE_NAK_REM_ACCESS);
	c->addr = addr;
	return RESP_GET_RWQE;
}

static enum resp_state resp_get_rwqe(struct sroce_qp *qp, struct resp_ctx *c)
{
	u32 info = c->info;

	/* SEND takes its WQE on FIRST/ONLY, WRITE_IMM on LAST/ONLY. */
	if (!(info & ROCE_F_RWQE) || qp->have_rwqe ||
	    ((info & ROCE_F_WRITE) && !(info & ROCE_F_LAST)))
		return RESP_EXECUTE;
	/* Notes B.7: no receive WQE -> RNR NAK, ePSN stays. */
	if (qp->rq_tail == qp->rq_head)
		return RESP_RNR;
	qp->rwqe = qp->rq[qp->rq_tail++ & (qp->rq_size - 1)];
	qp->have_rwqe = true;
	qp->recv_off = 0;
	return RESP_EXECUTE;
}

static enum resp_state exec_send(struct sroce_qp *qp, struct resp_ctx *c)
{
	const struct sroce_pkt *pkt = c->pkt;

	/* IBTA 9.7: a message longer than the receive buffer. */
	if (pkt->paylen > qp->rwqe.length - qp->recv_off) {
		c->rq_status = SROCE_WC_LOC_LEN_ERR;
		return nak(c, ROCE_NAK_INV_REQ);
	}
	sroce_sge_write(qp->rwqe.sge, qp->rwqe.num_sge, qp->recv_off,
			pkt->payload, pkt->paylen);
	qp->recv_off += pkt->paylen;
	qp->resp_op = c->info & ROCE_F_LAST ? 0 : ROCE_F_SEND;
	return RESP_COMPLETE;
}

static enum resp_state exec_write(struct sroce_qp *qp, struct resp_ctx *c)
{
	const struct sroce_pkt *pkt = c->pkt;

	if (c->info & ROCE_F_FIRST) {
		qp->write_addr = c->addr;
		qp->write_len = pkt->reth.dma_len;
		qp->write_left = pkt->reth.dma_len;
	}
	if (pkt->paylen)
		memcpy(qp->write_addr + (qp->write_len - qp->write_left),
		       pkt->payload, pkt->paylen);
	qp->write_left -= pkt->paylen;
	qp->resp_op = c->info & ROCE_F_LAST ? 0 : ROCE_F_WRITE;
	return RESP_COMPLETE;
}

static u32 read_npkts(struct sroce_qp *qp, u32 len)
{
	return len ? (len + qp->attr.pmtu - 1) / qp->attr.pmtu : 1;
}

static enum resp_state exec_read(struct sroce_qp *qp, struct resp_ctx *c)
{
	const struct sroce_pkt *pkt = c->pkt;
	u32 slot = qp->res_next++ % qp->attr.max_dest_rd_atomic;
	struct sroce_read_res *res = &qp->res[slot];

	/* Notes C.3: keep the request to replay it for a duplicate. */
	res->valid = true;
	res->start_psn = pkt->bth.psn;
	res->npkts = read_npkts(qp, pkt->reth.dma_len);
	res->rkey = pkt->reth.rkey;
	res->va = pkt->reth.va;
	res->len = pkt->reth.dma_len;
	res->addr = c->addr;
	res->reply_first = res->start_psn;
	res->cur_psn = res->start_psn;
	res->end_psn = psn_add(res->start_psn, (s32)res->npkts);
	res->pending = true;
	return RESP_COMPLETE;
}

static enum resp_state resp_execute(struct sroce_qp *qp, struct resp_ctx *c)
{
	if (c->info & ROCE_F_SEND)
		return exec_send(qp, c);
	if (c->info & ROCE_F_WRITE)
		return exec_write(qp, c);
	return exec_read(qp, c);
}

static void recv_complete(struct sroce_qp *qp, struct resp_ctx *c)
{
	struct sroce_cqe cqe = {
		.wr_id = qp->rwqe.wr_id,
		.status = SROCE_WC_SUCCESS,
		.opcode = c->info & ROCE_F_SEND ? SROCE_WC_RECV :
						  SROCE_WC_RECV_WRITE_IMM,
		.is_recv = true,
		.with_imm = !!(c->info & ROCE_F_IMMDT),
		.byte_len = c->info & ROCE_F_SEND ? qp->recv_off : qp->write_len,
		.imm = c->pkt->imm,
		.qpn = qp->attr.qpn,
		/* IBTA 9.2.2: the consumer may wait for solicited events. */
		.solicited = c->pkt->bth.se,
	};

	qp->have_rwqe = false;
	sroce_complete(qp, &cqe);
}

static enum resp_state resp_complete(struct sroce_qp *qp, struct resp_ctx *c)
{
	bool read = c->info & ROCE_F_READ;

	/* Notes B.6: ePSN moves by 1, or by the response count of a READ. */
	qp->epsn = psn_add(qp->epsn,
			   read ? (s32)read_npkts(qp, c->pkt->reth.dma_len) : 1);
	qp->nak_sent = false;
	qp->stats.resp_pkts++;
	/* Notes B.7: MSN counts completed messages; a READ at receipt. */
	if (c->info & ROCE_F_LAST)
		qp->msn = (qp->msn + 1) & ROCE_MSN_MASK;
	if ((c->info & ROCE_F_LAST) && (c->info & ROCE_F_RWQE))
		recv_complete(qp, c);
	if (read)
		return RESP_READ_REPLY;
	c->ack_psn = c->pkt->bth.psn;
	c->delayable = true;
	/* Notes B.14: rxe's requester only waits for ACKs it asked for. */
	return c->pkt->bth.ackreq ? RESP_ACK : RESP_DONE;
}

static int send_aeth(struct sroce_qp *qp, u8 opcode, u32 psn, u8 syndrome)
{
	struct sroce_pkt pkt;

	sroce_pkt_init(qp, &pkt, opcode, psn);
	pkt.aeth.syndrome = syndrome;
	pkt.aeth.msn = qp->msn;
	return qp->ops->xmit(qp, &pkt);
}

/*
 * Send the delayed ACK now, if there is one: before any other responder
 * packet, so that ACKs leave in PSN order, and when its timer fires.
 */
void sroce_resp_flush_ack(struct sroce_qp *qp)
{
	if (!qp->ack_pending)
		return;
	qp->ack_pending = false;
	qp->ops->timer(qp, SROCE_TIMER_ACK, 0);
	send_aeth(qp, ROCE_OP_ACKNOWLEDGE, qp->ack_pending_psn,
		  roce_aeth_ack(ROCE_AETH_CREDIT_INVALID));
	qp->stats.resp_acks++;
}

static enum resp_state resp_ack(struct sroce_qp *qp, struct resp_ctx *c)
{
	/*
	 * The ACK of a new SEND may wait a little (attr.send_ack_delay_us):
	 * the reply the receiver is about to send then leaves first, and
	 * one ACK covers every SEND that completes meanwhile (an ACK stands
	 * for every PSN up to its own, notes B.14).
	 */
	if (qp->attr.send_ack_delay_us && (c->info & ROCE_F_SEND) &&
	    c->delayable) {
		if (!qp->ack_pending)
			qp->ops->timer(qp, SROCE_TIMER_ACK,
				       qp->attr.send_ack_delay_us);
		qp->ack_pending = true;
		qp->ack_pending_psn = c->ack_psn;
		return RESP_DONE;
	}
	/* This one covers a pending one: it acknowledges a later PSN. */
	if (qp->ack_pending) {
		qp->ack_pending = false;
		qp->ops->timer(qp, SROCE_TIMER_ACK, 0);
	}
	/* A lost ACK is recovered by the requester's retry (notes C.4). */
	send_aeth(qp, ROCE_OP_ACKNOWLEDGE, c->ack_psn,
		  roce_aeth_ack(ROCE_AETH_CREDIT_INVALID));
	qp->stats.resp_acks++;
	return RESP_DONE;
}

/* One READ response packet from @res; 0 or the xmit error. */
static int read_reply_one(struct sroce_qp *qp, struct sroce_read_res *res)
{
	u32 idx = (u32)psn_diff(res->cur_psn, res->start_psn);
	u32 off = idx * qp->attr.pmtu;
	bool first = res->cur_psn == res->reply_first;
	bool last = psn_add(res->cur_psn, 1) == res->end_psn;
	struct sroce_pkt pkt;
	u8 opcode;

	/* IBTA 9.4: FIRST/MIDDLE/LAST/ONLY, AETH on all but MIDDLE. */
	opcode = first && last ? ROCE_OP_READ_RESPONSE_ONLY :
		 first ? ROCE_OP_READ_RESPONSE_FIRST :
		 last ? ROCE_OP_READ_RESPONSE_LAST :
			ROCE_OP_READ_RESPONSE_MIDDLE;
	sroce_pkt_init(qp, &pkt, opcode, res->cur_psn);
	pkt.aeth.syndrome = roce_aeth_ack(ROCE_AETH_CREDIT_INVALID);
	pkt.aeth.msn = qp->msn;
	pkt.paylen = min(qp->attr.pmtu, res->len - off);
	pkt.payload = res->addr ? res->addr + off : NULL;
	return qp->ops->xmit(qp, &pkt);
}

/* Send every pending READ response, oldest resource first. */
static void read_reply_pending(struct sroce_qp *qp)
{
	u32 n = qp->attr.max_dest_rd_atomic, i;
	struct sroce_read_res *res;

	sroce_resp_flush_ack(qp);
	for (i = 0; i < n; i++) {
		res = &qp->res[(qp->res_next + i) % n];
		while (res->pending) {
			if (read_reply_one(qp, res)) {
				qp->stats.tx_busy++;
				return;
			}
			qp->stats.resp_read_pkts++;
			res->cur_psn = psn_add(res->cur_psn, 1);
			res->pending = res->cur_psn != res->end_psn;
		}
	}
}

static enum resp_state resp_read_reply(struct sroce_qp *qp,
				       struct resp_ctx *c)
{
	read_reply_pending(qp);
	return RESP_DONE;
}

/* The resource of a duplicate READ, checked against the request. */
static struct sroce_read_res *dup_read_res(struct sroce_qp *qp,
					   const struct sroce_pkt *pkt)
{
	struct sroce_read_res *res;
	u32 i, off;

	for (i = 0; i < qp->attr.max_dest_rd_atomic; i++) {
		res = &qp->res[i];
		if (!res->valid ||
		    !psn_in_range(pkt->bth.psn, res->start_psn, res->npkts))
			continue;
		/* Notes C.4 5: a re-request asks for the resource's tail. */
		off = (u32)psn_diff(pkt->bth.psn, res->start_psn) *
		      qp->attr.pmtu;
		if (pkt->reth.rkey != res->rkey ||
		    pkt->reth.va != res->va + off ||
		    pkt->reth.dma_len != res->len - off)
			return NULL;
		return res;
	}
	return NULL;
}

static enum resp_state resp_duplicate(struct sroce_qp *qp,
				      struct resp_ctx *c)
{
	const struct sroce_pkt *pkt = c->pkt;
	struct sroce_read_res *res;

	qp->stats.resp_dup++;
	if (c->info & ROCE_F_READ) {
		/* Notes B.6: replay a duplicate READ from memory. */
		res = dup_read_res(qp, pkt);
		if (!res) {
			qp->stats.resp_dup_drop++;
			return RESP_DONE;
		}
		qp->stats.resp_dup_read++;
		res->reply_first = pkt->bth.psn;
		res->cur_psn = pkt->bth.psn;
		res->pending = true;
		return RESP_READ_REPLY;
	}
	/* Notes B.6: SEND/WRITE are not executed again, only re-ACKed with
	 * the last PSN we took, when the requester asks for an ACK. */
	if (!(c->info & (ROCE_F_SEND | ROCE_F_WRITE)) || !pkt->bth.ackreq) {
		qp->stats.resp_dup_drop++;
		return RESP_DONE;
	}
	c->ack_psn = psn_add(qp->epsn, -1);
	return RESP_ACK;
}

static enum resp_state resp_nak_seq(struct sroce_qp *qp, struct resp_ctx *c)
{
	qp->stats.resp_ahead++;
	/* Notes B.6: one NAK-sequence per ePSN, then silence until it. */
	if (qp->nak_sent)
		return RESP_DONE;
	qp->nak_sent = true;
	qp->stats.resp_nak_seq++;
	sroce_resp_flush_ack(qp);
	send_aeth(qp, ROCE_OP_ACKNOWLEDGE, qp->epsn,
		  roce_aeth_nak(ROCE_NAK_PSN_SEQ));
	return RESP_DONE;
}

static enum resp_state resp_rnr(struct sroce_qp *qp, struct resp_ctx *c)
{
	/* Notes B.7: RNR NAK with our min_rnr_timer, for this PSN; what
	 * follows it is out of sequence and needs no second NAK. */
	qp->nak_sent = true;
	qp->stats.resp_rnr_naks++;
	sroce_resp_flush_ack(qp);
	send_aeth(qp, ROCE_OP_ACKNOWLEDGE, c->pkt->bth.psn,
		  roce_aeth_rnr_nak(qp->attr.min_rnr_timer));
	return RESP_DONE;
}

static enum resp_state resp_nak_error(struct sroce_qp *qp,
				      struct resp_ctx *c)
{
	struct sroce_cqe cqe = {
		.wr_id = qp->rwqe.wr_id,
		.status = c->rq_status,
		.opcode = SROCE_WC_RECV,
		.is_recv = true,
		.qpn = qp->attr.qpn,
	};

	/* Notes B.7, B.14: NAK 0x61/0x62, then the QP goes to error. */
	qp->stats.resp_nak_err++;
	sroce_resp_flush_ack(qp);
	send_aeth(qp, ROCE_OP_ACKNOWLEDGE, c->pkt->bth.psn, roce_aeth_nak(c->nak));
	if (qp->have_rwqe && c->rq_status != SROCE_WC_WR_FLUSH_ERR) {
		qp->have_rwqe = false;
		sroce_complete(qp, &cqe);
	}
	sroce_qp_set_error(qp);
	return RESP_DONE;
}

typedef enum resp_state (*resp_fn)(struct sroce_qp *qp, struct resp_ctx *c);

static const resp_fn resp_step[] = {
	[RESP_CHECK_PSN] = resp_check_psn,
	[RESP_CHECK_OP] = resp_check_op,
	[RESP_CHECK_SEQ] = resp_check_seq,
	[RESP_CHECK_LEN] = resp_check_len,
	[RESP_CHECK_RKEY] = resp_check_rkey,
	[RESP_GET_RWQE] = resp_get_rwqe,
	[RESP_EXECUTE] = resp_execute,
	[RESP_COMPLETE] = resp_complete,
	[RESP_ACK] = resp_ack,
	[RESP_READ_REPLY] = resp_read_reply,
	[RESP_DUPLICATE] = resp_duplicate,
	[RESP_NAK_SEQ] = resp_nak_seq,
	[RESP_RNR] = resp_rnr,
	[RESP_NAK_ERROR] = resp_nak_error,
};

void sroce_responder(struct sroce_qp *qp, const struct sroce_pkt *pkt)
{
	struct resp_ctx c = {
		.pkt = pkt,
		.info = pkt->info,
		.rq_status = SROCE_WC_WR_FLUSH_ERR,
	};
	enum resp_state state = RESP_CHECK_PSN;

	while (state != RESP_DONE) {
		if (qp->ops->trace)
			qp->ops->trace(qp, "resp", resp_state_name[state]);
		state = resp_step[state](qp, &c);
	}
}

void sroce_resp_kick(struct sroce_qp *qp)
{
	read_reply_pending(qp);
}
