// SPDX-License-Identifier: GPL-2.0
/*
 * The RC requester: turns send WQEs into request packets (IBTA 9.7;
 * notes B.6, B.9, C.4).
 *
 * Each WQE gets its PSNs when it starts: one per packet of PMTU bytes
 * (at least one), or for a READ one per expected response packet.  A
 * WQE's PSN range never changes, so go-back-N is only a matter of moving
 * the requester back: sroce_req_rewind() points sq_req at the WQE holding
 * the PSN to resend from and sets each later started WQE's cur_psn to
 * its first; sending then re-emits the same packets with the same PSNs
 * (a READ re-asks for its missing tail only).
 *
 * The machine, run until it has nothing to send or may not send more:
 *
 *	GET_WQE -> [START_WQE] -> CHECK_WINDOW -> BUILD -> XMIT -> ADVANCE
 *	   ^                                                         |
 *	   +---------------------------------------------------------+
 */
#include <lego/errno.h>
#include <lego/types.h>

#include "psn.h"
#include "rc.h"

enum req_state {
	REQ_GET_WQE,
	REQ_START_WQE,
	REQ_CHECK_WINDOW,
	REQ_BUILD,
	REQ_XMIT,
	REQ_ADVANCE,
	REQ_DONE,
};

static const char *const req_state_name[] = {
	[REQ_GET_WQE] = "GET_WQE",
	[REQ_START_WQE] = "START_WQE",
	[REQ_CHECK_WINDOW] = "CHECK_WINDOW",
	[REQ_BUILD] = "BUILD",
	[REQ_XMIT] = "XMIT",
	[REQ_ADVANCE] = "ADVANCE",
	[REQ_DONE] = "DONE",
};

struct req_ctx {
	struct sroce_send_wqe *wqe;
	struct sroce_pkt pkt;
};

static bool is_read(const struct sroce_send_wqe *wqe)
{
	return wqe->opcode == SROCE_WR_READ;
}

static enum req_state req_get_wqe(struct sroce_qp *qp, struct req_ctx *c)
{
	/* Notes C.4 4: nothing goes out while an RNR NAK is waited out. */
	if (qp->error || qp->rnr_wait || qp->sq_req == qp->sq_head)
		return REQ_DONE;
	c->wqe = sroce_sq_at(qp, qp->sq_req);
	switch (c->wqe->state) {
	case SROCE_WQE_POSTED:
		return REQ_START_WQE;
	case SROCE_WQE_STARTED:
		return REQ_CHECK_WINDOW;
	default:
		/* Sent (or acknowledged while we were rewound): next one. */
		qp->sq_req++;
		return REQ_GET_WQE;
	}
}

static enum req_state req_start_wqe(struct sroce_qp *qp, struct req_ctx *c)
{
	struct sroce_send_wqe *wqe = c->wqe;
	u32 pmtu = qp->attr.pmtu;

	/* Notes B.8: READs in flight are bounded by max_rd_atomic. */
	if (is_read(wqe) && qp->rd_out >= qp->attr.max_rd_atomic)
		return REQ_DONE;
	/* Notes B.6: a message takes one PSN per packet, a READ one per
	 * response packet; zero bytes still take one. */
	wqe->npkts = wqe->length ? (wqe->length + pmtu - 1) / pmtu : 1;
	wqe->first_psn = qp->next_psn;
	wqe->last_psn = psn_add(wqe->first_psn, (s32)wqe->npkts - 1);
	wqe->cur_psn = wqe->first_psn;
	qp->next_psn = psn_add(wqe->last_psn, 1);
	wqe->state = SROCE_WQE_STARTED;
	if (is_read(wqe))
		qp->rd_out++;
	return REQ_CHECK_WINDOW;
}

static enum req_state req_check_window(struct sroce_qp *qp, struct req_ctx *c)
{
	struct sroce_send_wqe *wqe = c->wqe;
	u32 from = is_read(wqe) ?
		   psn_add(wqe->first_psn, (s32)(wqe->read_done / qp->attr.pmtu)) :
		   qp->una;

	/* Notes B.8: what was acknowledged since a rewind is not resent. */
	if (psn_before(wqe->cur_psn, from) &&
	    psn_in_range(from, wqe->first_psn, wqe->npkts))
		wqe->cur_psn = from;
	/* Notes B.6: at most max_unacked PSNs beyond the oldest unacked. */
	if (psn_diff(wqe->cur_psn, qp->una) >= (s32)qp->attr.max_unacked)
		return REQ_DONE;
	return REQ_BUILD;
}

/* The opcode of packet @idx of @npkts of a SEND or WRITE (IBTA 9.4). */
static u8 req_opcode(const struct sroce_send_wqe *wqe, u32 idx)
{
	static const u8 op[4][4] = {
		/* FIRST, MIDDLE, LAST, ONLY */
		[SROCE_WR_SEND] = { ROCE_OP_SEND_FIRST, ROCE_OP_SEND_MIDDLE,
				    ROCE_OP_SEND_LAST, ROCE_OP_SEND_ONLY },
		[SROCE_WR_SEND_IMM] = { ROCE_OP_SEND_FIRST, ROCE_OP_SEND_MIDDLE,
					ROCE_OP_SEND_LAST_IMM,
					ROCE_OP_SEND_ONLY_IMM },
		[SROCE_WR_WRITE] = { ROCE_OP_WRITE_FIRST, ROCE_OP_WRITE_MIDDLE,
				     ROCE_OP_WRITE_LAST, ROCE_OP_WRITE_ONLY },
		[SROCE_WR_WRITE_IMM] = { ROCE_OP_WRITE_FIRST,
					 ROCE_OP_WRITE_MIDDLE,
					 ROCE_OP_WRITE_LAST_IMM,
					 ROCE_OP_WRITE_ONLY_IMM },
	};
	bool last = idx == wqe->npkts - 1;

	if (wqe->npkts == 1)
		return op[wqe->opcode][3];
	return op[wqe->opcode][idx == 0 ? 0 : last ? 2 : 1];
}

static void req_build_read(struct sroce_qp *qp, struct req_ctx *c)
{
	struct sroce_send_wqe *wqe = c->wqe;
	u32 off = (u32)psn_diff(wqe->cur_psn, wqe->first_psn) * qp->attr.pmtu;

	/* Notes C.4 5: a re-request asks for the tail not yet received. */
	sroce_pkt_init(qp, &c->pkt, ROCE_OP_READ_REQUEST, wqe->cur_psn);
	c->pkt.reth.va = wqe->remote_va + off;
	c->pkt.reth.rkey = wqe->rkey;
	c->pkt.reth.dma_len = wqe->length - off;
	wqe->read_req_off = off;
}

static void req_build_data(struct sroce_qp *qp, struct req_ctx *c)
{
	struct sroce_send_wqe *wqe = c->wqe;
	u32 idx = (u32)psn_diff(wqe->cur_psn, wqe->first_psn);
	u32 off = idx * qp->attr.pmtu;
	u8 opcode = req_opcode(wqe, idx);
	struct sroce_pkt *pkt = &c->pkt;

	sroce_pkt_init(qp, pkt, opcode, wqe->cur_psn);
	/* IBTA 9.3: the RETH, on FIRST/ONLY, gives the whole length. */
	if (pkt->info & ROCE_F_RETH) {
		pkt->reth.va = wqe->remote_va;
		pkt->reth.rkey = wqe->rkey;
		pkt->reth.dma_len = wqe->length;
	}
	if (pkt->info & ROCE_F_IMMDT)
		pkt->imm = wqe->imm;
	/* IBTA 9.2.2: SE on the last packet of a solicited message. */
	if ((pkt->info & ROCE_F_LAST) && (wqe->flags & SROCE_SEND_SOLICITED))
		pkt->bth.se = true;
	sroce_sge_frags(wqe->sge, wqe->num_sge, off,
			min(qp->attr.pmtu, wqe->length - off), pkt);
}

static enum req_state req_build(struct sroce_qp *qp, struct req_ctx *c)
{
	struct sroce_pkt *pkt = &c->pkt;
	u32 psn = c->wqe->cur_psn;

	if (is_read(c->wqe))
		req_build_read(qp, c);
	else
		req_build_data(qp, c);
	/*
	 * Notes B.3, B.14: AckReq on the last packet of every message (rxe
	 * ACKs nothing else), every ack_every packets, and on the packet
	 * that fills the window so that the window always reopens.
	 */
	pkt->bth.ackreq = (pkt->info & ROCE_F_LAST) ||
			  psn_diff(psn, qp->last_ackreq_psn) >=
				  (s32)qp->attr.ack_every ||
			  psn_diff(psn_add(psn, 1), qp->una) >=
				  (s32)qp->attr.max_unacked;
	return REQ_XMIT;
}

static enum req_state req_xmit(struct sroce_qp *qp, struct req_ctx *c)
{
	u32 psn = c->wqe->cur_psn;

	if (qp->ops->xmit(qp, &c->pkt)) {
		/* Not lost, not sent: resume at sroce_rc_kick(). */
		qp->stats.tx_busy++;
		return REQ_DONE;
	}
	if (psn_before(psn, qp->sent_end))
		qp->stats.req_retrans_pkts++;
	else
		qp->stats.req_pkts++;
	if (c->pkt.bth.ackreq)
		qp->last_ackreq_psn = psn;
	return REQ_ADVANCE;
}

static enum req_state req_advance(struct sroce_qp *qp, struct req_ctx *c)
{
	struct sroce_send_wqe *wqe = c->wqe;
	u32 end;

	/* A READ request stands for all its response PSNs (notes B.6). */
	wqe->cur_psn = is_read(wqe) ? psn_add(wqe->last_psn, 1) :
				      psn_add(wqe->cur_psn, 1);
	end = wqe->cur_psn;
	if (psn_after(end, qp->sent_end))
		qp->sent_end = end;
	if (psn_after(wqe->cur_psn, wqe->last_psn)) {
		wqe->state = SROCE_WQE_SENT;
		qp->sq_req++;
	}
	return REQ_GET_WQE;
}

typedef enum req_state (*req_fn)(struct sroce_qp *qp, struct req_ctx *c);

static const req_fn req_step[] = {
	[REQ_GET_WQE] = req_get_wqe,
	[REQ_START_WQE] = req_start_wqe,
	[REQ_CHECK_WINDOW] = req_check_window,
	[REQ_BUILD] = req_build,
	[REQ_XMIT] = req_xmit,
	[REQ_ADVANCE] = req_advance,
};

void sroce_requester(struct sroce_qp *qp)
{
	enum req_state state = REQ_GET_WQE;
	struct req_ctx c = { 0 };

	while (state != REQ_DONE) {
		if (qp->ops->trace)
			qp->ops->trace(qp, "req", req_state_name[state]);
		state = req_step[state](qp, &c);
	}
}

void sroce_req_rewind(struct sroce_qp *qp, u32 psn)
{
	struct sroce_send_wqe *wqe;
	bool found = false;
	u32 i;

	/* Notes B.8: go back to @psn; later WQEs restart from the top. */
	for (i = qp->sq_comp; i != qp->sq_head; i++) {
		wqe = sroce_sq_at(qp, i);
		if (wqe->state == SROCE_WQE_POSTED)
			break;
		if (wqe->state == SROCE_WQE_DONE ||
		    psn_after(psn, wqe->last_psn))
			continue;
		if (!found)
			qp->sq_req = i;
		found = true;
		if (is_read(wqe))
			/* Notes C.4 5: from the first missing response. */
			wqe->cur_psn = psn_add(wqe->first_psn,
					       (s32)(wqe->read_done /
						     qp->attr.pmtu));
		else if (psn_in_range(psn, wqe->first_psn, wqe->npkts))
			wqe->cur_psn = psn;
		else
			wqe->cur_psn = wqe->first_psn;
		wqe->state = SROCE_WQE_STARTED;
	}
}
