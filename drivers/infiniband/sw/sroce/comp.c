// SPDX-License-Identifier: GPL-2.0
/*
 * The RC completer: ACKs, NAKs and READ responses in PSN order, and the
 * two timers (IBTA 9.7; notes B.7, B.8, C.4).
 *
 * A response's PSN is checked against what is outstanding, [una,
 * sent_end): before it is a stale duplicate, at or after it acknowledges
 * what was never sent (a "ghost", dropped).  Then the oldest WQE is
 * matched; a response whose PSN lies past that WQE acknowledges all of it
 * (coalescing, notes B.7), so the machine completes it and goes round
 * again for the next WQE.  A response covering a READ whose data has not
 * all come is an implied NAK: the READ is asked for again.
 *
 *   packet: CHECK_PSN -> GET_WQE -> COVER -> CHECK_ACK -> READ | ACK |
 *           NAK | RNR;  WQE_DONE -> GET_WQE (coalesced) ...;  RETRY;
 *           ERROR
 *   timers: TIMEOUT -> RETRY;  RNR_TIMER (resume after the RNR wait)
 */
#include <lego/errno.h>
#include <lego/types.h>

#include "psn.h"
#include "rc.h"

enum comp_state {
	COMP_CHECK_PSN,
	COMP_GET_WQE,
	COMP_COVER,
	COMP_CHECK_ACK,
	COMP_READ,
	COMP_ACK,
	COMP_NAK,
	COMP_RNR,
	COMP_WQE_DONE,
	COMP_RETRY,
	COMP_ERROR,
	COMP_TIMEOUT,
	COMP_RNR_TIMER,
	COMP_DROP,
	COMP_DONE,
};

static const char *const comp_state_name[] = {
	[COMP_CHECK_PSN] = "CHECK_PSN",
	[COMP_GET_WQE] = "GET_WQE",
	[COMP_COVER] = "COVER",
	[COMP_CHECK_ACK] = "CHECK_ACK",
	[COMP_READ] = "READ",
	[COMP_ACK] = "ACK",
	[COMP_NAK] = "NAK",
	[COMP_RNR] = "RNR",
	[COMP_WQE_DONE] = "WQE_DONE",
	[COMP_RETRY] = "RETRY",
	[COMP_ERROR] = "ERROR",
	[COMP_TIMEOUT] = "TIMEOUT",
	[COMP_RNR_TIMER] = "RNR_TIMER",
	[COMP_DROP] = "DROP",
	[COMP_DONE] = "DONE",
};

struct comp_ctx {
	const struct sroce_pkt *pkt;	/* NULL for a timer */
	struct sroce_send_wqe *wqe;
	u32 retry_psn;
	enum sroce_wc_status status;
};

static bool is_read(const struct sroce_send_wqe *wqe)
{
	return wqe->opcode == SROCE_WR_READ;
}

/* The PSN of the next READ response this READ WQE waits for. */
static u32 read_psn(struct sroce_qp *qp, const struct sroce_send_wqe *wqe)
{
	return psn_add(wqe->first_psn, (s32)(wqe->read_done / qp->attr.pmtu));
}

/* Acknowledged up to @psn (exclusive): forward progress (notes C.4 2). */
static void comp_advance_una(struct sroce_qp *qp, u32 psn)
{
	if (!psn_after(psn, qp->una))
		return;
	qp->una = psn;
	qp->progress = true;
	qp->retrying = false;
	qp->retry_left = qp->attr.retry_cnt;
	qp->rnr_left = qp->attr.rnr_retry;
}

static enum comp_state comp_check_psn(struct sroce_qp *qp,
				      struct comp_ctx *c)
{
	u32 psn = c->pkt->bth.psn;

	if (psn_outstanding(psn, qp->una, qp->sent_end))
		return COMP_GET_WQE;
	/* IBTA 9.7: a response to an acknowledged PSN is a duplicate. */
	if (psn_before(psn, qp->una)) {
		qp->stats.comp_stale++;
		return COMP_DROP;
	}
	/* A response for a PSN we never sent: ignore it (notes C.4). */
	qp->stats.comp_ghost++;
	return COMP_DROP;
}

static enum comp_state comp_get_wqe(struct sroce_qp *qp, struct comp_ctx *c)
{
	if (qp->sq_comp == qp->sq_head)
		return COMP_DONE;
	c->wqe = sroce_sq_at(qp, qp->sq_comp);
	if (c->wqe->state == SROCE_WQE_POSTED)
		return COMP_DONE;
	return c->pkt ? COMP_COVER : COMP_DONE;
}

static enum comp_state comp_cover(struct sroce_qp *qp, struct comp_ctx *c)
{
	struct sroce_send_wqe *wqe = c->wqe;

	if (!psn_after(c->pkt->bth.psn, wqe->last_psn))
		return COMP_CHECK_ACK;
	/* Notes B.7: a later PSN acknowledges this whole WQE ... */
	if (!is_read(wqe))
		return COMP_WQE_DONE;
	/* ... but for a READ without its data it is an implied NAK. */
	c->retry_psn = read_psn(qp, wqe);
	return COMP_RETRY;
}

static enum comp_state comp_check_ack(struct sroce_qp *qp,
				      struct comp_ctx *c)
{
	const struct sroce_pkt *pkt = c->pkt;

	if ((pkt->info & ROCE_F_READ) && is_read(c->wqe))
		return COMP_READ;
	if (pkt->bth.opcode == ROCE_OP_ACKNOWLEDGE) {
		/* IBTA 9.3: the syndrome's bits 7:5 say what it is. */
		switch (roce_aeth_type(pkt->aeth.syndrome)) {
		case ROCE_AETH_ACK:
			return COMP_ACK;
		case ROCE_AETH_RNR_NAK:
			return COMP_RNR;
		case ROCE_AETH_NAK:
			return COMP_NAK;
		}
	}
	/* Reserved syndrome, atomic ACK, READ data for a non-READ. */
	qp->stats.comp_bad_resp++;
	return COMP_DROP;
}

/*
 * IBTA 9.7 / notes B.4: READ response opcode order and sizes.  The answer
 * to a re-request of a READ's tail starts with FIRST/ONLY (IBTA), or, from
 * rxe, with MIDDLE/LAST: rxe replays a READ re-requested past its first
 * PSN in the "replay" state (rxe_resp.c duplicate_request, read_reply).
 * Both are taken there; the PSN already says where the data goes.
 */
static bool read_resp_fits(struct sroce_qp *qp, const struct sroce_pkt *pkt,
			   const struct sroce_send_wqe *wqe)
{
	u32 left = wqe->length - wqe->read_done;
	bool starts = wqe->read_done == wqe->read_req_off;
	bool first = pkt->info & ROCE_F_FIRST;

	if (first ? !starts : starts && !wqe->read_req_off)
		return false;
	if (pkt->info & ROCE_F_LAST)
		return pkt->paylen == left;
	return pkt->paylen == qp->attr.pmtu && left > qp->attr.pmtu;
}

static enum comp_state comp_read(struct sroce_qp *qp, struct comp_ctx *c)
{
	const struct sroce_pkt *pkt = c->pkt;
	struct sroce_send_wqe *wqe = c->wqe;
	u32 expect = read_psn(qp, wqe);

	if (pkt->bth.psn != expect) {
		if (psn_before(pkt->bth.psn, expect)) {
			qp->stats.comp_stale++;
			return COMP_DROP;
		}
		/* Notes C.4 3: a gap; re-request from the expected PSN. */
		qp->stats.comp_read_ooo++;
		c->retry_psn = expect;
		return COMP_RETRY;
	}
	if (!read_resp_fits(qp, pkt, wqe)) {
		qp->stats.comp_bad_resp++;
		return COMP_DROP;
	}
	sroce_sge_write(wqe->sge, wqe->num_sge, wqe->read_done, pkt->payload,
			pkt->paylen);
	wqe->read_done += pkt->paylen;
	qp->stats.comp_read_resps++;
	/* Notes C.4 3: a READ response acknowledges the PSNs before it. */
	comp_advance_una(qp, psn_add(pkt->bth.psn, 1));
	return pkt->info & ROCE_F_LAST ? COMP_WQE_DONE : COMP_DONE;
}

static enum comp_state comp_ack(struct sroce_qp *qp, struct comp_ctx *c)
{
	u32 psn = c->pkt->bth.psn;

	/* Notes B.7: a plain ACK inside a READ's PSNs is an implied NAK. */
	if (is_read(c->wqe)) {
		c->retry_psn = read_psn(qp, c->wqe);
		return COMP_RETRY;
	}
	qp->stats.comp_acks++;
	comp_advance_una(qp, psn_add(psn, 1));
	return psn == c->wqe->last_psn ? COMP_WQE_DONE : COMP_DONE;
}

static enum comp_state comp_nak(struct sroce_qp *qp, struct comp_ctx *c)
{
	u32 psn = c->pkt->bth.psn;

	switch (roce_aeth_value(c->pkt->aeth.syndrome)) {
	case ROCE_NAK_PSN_SEQ:
		/* Notes B.7: the PSNs before the NAK's are acknowledged, and
		 * everything from it is sent again (counts as a retry). */
		qp->stats.comp_nak_seq++;
		c->retry_psn = is_read(c->wqe) ? read_psn(qp, c->wqe) : psn;
		comp_advance_una(qp, c->retry_psn);
		return COMP_RETRY;
	case ROCE_NAK_INV_REQ:
		c->status = SROCE_WC_REM_INV_REQ_ERR;
		break;
	case ROCE_NAK_REM_ACCESS:
		c->status = SROCE_WC_REM_ACCESS_ERR;
		break;
	case ROCE_NAK_REM_OP:
		c->status = SROCE_WC_REM_OP_ERR;
		break;
	default:
		c->status = SROCE_WC_BAD_RESP_ERR;
		break;
	}
	/* Notes C.4 4: NAK 0x61-0x63 fail the WQE and the QP. */
	qp->stats.comp_nak_err++;
	return COMP_ERROR;
}

static enum comp_state comp_rnr(struct sroce_qp *qp, struct comp_ctx *c)
{
	u32 psn = c->pkt->bth.psn;

	qp->stats.comp_rnr_naks++;
	if (qp->rnr_wait)
		return COMP_DROP;
	/* The PSNs before the RNR NAK's are acknowledged (notes B.7); in a
	 * READ only those whose responses are here. */
	qp->rnr_psn = is_read(c->wqe) ? read_psn(qp, c->wqe) : psn;
	comp_advance_una(qp, qp->rnr_psn);
	/* Notes B.8: rnr_retry counts RNR NAKs, 7 meaning forever. */
	if (!qp->rnr_left) {
		c->status = SROCE_WC_RNR_RETRY_EXC_ERR;
		return COMP_ERROR;
	}
	if (qp->attr.rnr_retry != 7)
		qp->rnr_left--;
	qp->rnr_wait = true;
	qp->ops->timer(qp, SROCE_TIMER_RNR,
		       roce_rnr_timer_usec(roce_aeth_value(c->pkt->aeth.syndrome)));
	return COMP_DONE;
}

static enum comp_state comp_wqe_done(struct sroce_qp *qp, struct comp_ctx *c)
{
	struct sroce_send_wqe *wqe = c->wqe;
	u32 done = qp->sq_comp++;

	if (is_read(wqe))
		qp->rd_out--;
	comp_advance_una(qp, psn_add(wqe->last_psn, 1));
	/* The requester may sit on it after a rewind: move it along. */
	if (qp->sq_req == done)
		qp->sq_req++;
	sroce_complete_send(qp, wqe, SROCE_WC_SUCCESS);
	/* IBTA 9.5: completions in order; a coalesced ACK covers more. */
	if (psn_after(c->pkt->bth.psn, wqe->last_psn))
		return COMP_GET_WQE;
	return COMP_DONE;
}

static enum comp_state comp_retry(struct sroce_qp *qp, struct comp_ctx *c)
{
	/*
	 * Notes B.8: one go-back at a time.  Until something new is
	 * acknowledged, the responses still in flight from before the
	 * rewind (out of order, past a READ) say nothing new; only the
	 * timer starts another round.
	 */
	if (qp->retrying && c->pkt)
		return COMP_DROP;
	/* Notes B.8: retry_cnt retries, 7 = forever as rxe reads it. */
	if (!qp->retry_left) {
		c->status = SROCE_WC_RETRY_EXC_ERR;
		return COMP_ERROR;
	}
	if (qp->attr.retry_cnt != 7)
		qp->retry_left--;
	qp->stats.comp_retries++;
	qp->retrying = true;
	sroce_req_rewind(qp, c->retry_psn);
	return COMP_DONE;
}

static enum comp_state comp_error(struct sroce_qp *qp, struct comp_ctx *c)
{
	/* The oldest WQE carries the error, the rest are flushed. */
	if (qp->sq_comp != qp->sq_head) {
		struct sroce_send_wqe *wqe = sroce_sq_at(qp, qp->sq_comp++);

		sroce_complete_send(qp, wqe, c->status);
	}
	sroce_qp_set_error(qp);
	return COMP_DONE;
}

static enum comp_state comp_timeout(struct sroce_qp *qp, struct comp_ctx *c)
{
	/* Notes C.4 5: a timeout with work out goes back to una. */
	if (qp->una == qp->sent_end || qp->rnr_wait)
		return COMP_DONE;
	qp->stats.comp_timeouts++;
	c->wqe = sroce_sq_at(qp, qp->sq_comp);	/* started: una != sent_end */
	c->retry_psn = is_read(c->wqe) ? read_psn(qp, c->wqe) : qp->una;
	return COMP_RETRY;
}

static enum comp_state comp_rnr_timer(struct sroce_qp *qp, struct comp_ctx *c)
{
	/* Notes C.4 4: the RNR wait is over; resend from the NAK's PSN. */
	if (!qp->rnr_wait)
		return COMP_DONE;
	qp->rnr_wait = false;
	sroce_req_rewind(qp, qp->rnr_psn);
	return COMP_DONE;
}

static enum comp_state comp_drop(struct sroce_qp *qp, struct comp_ctx *c)
{
	return COMP_DONE;
}

typedef enum comp_state (*comp_fn)(struct sroce_qp *qp, struct comp_ctx *c);

static const comp_fn comp_step[] = {
	[COMP_CHECK_PSN] = comp_check_psn,
	[COMP_GET_WQE] = comp_get_wqe,
	[COMP_COVER] = comp_cover,
	[COMP_CHECK_ACK] = comp_check_ack,
	[COMP_READ] = comp_read,
	[COMP_ACK] = comp_ack,
	[COMP_NAK] = comp_nak,
	[COMP_RNR] = comp_rnr,
	[COMP_WQE_DONE] = comp_wqe_done,
	[COMP_RETRY] = comp_retry,
	[COMP_ERROR] = comp_error,
	[COMP_TIMEOUT] = comp_timeout,
	[COMP_RNR_TIMER] = comp_rnr_timer,
	[COMP_DROP] = comp_drop,
};

static void comp_run(struct sroce_qp *qp, enum comp_state state,
		     struct comp_ctx *c)
{
	while (state != COMP_DONE) {
		if (qp->ops->trace)
			qp->ops->trace(qp, "comp", comp_state_name[state]);
		state = comp_step[state](qp, c);
	}
}

void sroce_completer(struct sroce_qp *qp, const struct sroce_pkt *pkt)
{
	struct comp_ctx c = { .pkt = pkt };

	comp_run(qp, COMP_CHECK_PSN, &c);
}

void sroce_comp_timer(struct sroce_qp *qp, enum sroce_timer which)
{
	struct comp_ctx c = { 0 };

	comp_run(qp, which == SROCE_TIMER_RNR ? COMP_RNR_TIMER : COMP_TIMEOUT,
		 &c);
}
