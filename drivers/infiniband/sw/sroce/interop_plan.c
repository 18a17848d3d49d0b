// SPDX-License-Identifier: GPL-2.0
/*
 * The plan of the ktest suite `rdma_interop` (include/uapi/lego/rdma_test.h,
 * part 2; interop_test.h): control messages as RDMA SENDs and the two
 * halves of a round.  The initiator, per step: PREPARE, wait READY, the
 * operation, wait for its completion (a READ: check what landed), VERIFY,
 * wait RESULT; after the last step, END.  The target: a loop over
 * received messages, with one rule besides them: after a PREPARE of an
 * operation that consumes a receive, the next completed receive is that
 * operation, not a control message.  A check that fails fails the step,
 * on both sides; a transport failure (an error completion, a timeout)
 * ends the test at once, as the Linux module does.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/string.h>
#include <net/byteorder.h>
#include <rdma/ib_verbs.h>

#include "interop_test.h"

static const u32 it_sizes[] = RDMA_TEST_DEFAULT_SIZES;

/* ---- posting and waiting ------------------------------------------------------ */

static const char *it_err_name(int err)
{
	return err == -ETIMEDOUT ? "timed out" : "failed";
}

/* The next send completion: successful (else a failure). */
static int it_wait_send(struct ktest *t, const char *what)
{
	struct ib_wc wc;
	int err = st_wait_wc(it.e.scq, &wc, IT_WAIT_MS);

	if (!err && wc.status == IB_WC_SUCCESS)
		return 0;
	it_fail(t, "%s: send completion %s%s%s", what, it_err_name(err ? err : -EIO),
		err ? "" : ": ", err ? "" : ib_wc_status_msg(wc.status));
	it.broken = true;
	return err ? err : -EIO;
}

static int it_wait_recv(struct ktest *t, struct it_rx *rx, const char *what)
{
	struct ib_wc wc;
	int err = st_wait_wc(it.e.rcq, &wc, IT_WAIT_MS);

	if (!err && wc.status == IB_WC_SUCCESS &&
	    wc.wr_id - IT_WR_RECV < IT_SLOTS) {
		rx->slot = wc.wr_id - IT_WR_RECV;
		rx->opcode = wc.opcode;
		rx->byte_len = wc.byte_len;
		rx->has_imm = wc.wc_flags & IB_WC_WITH_IMM;
		rx->imm = rx->has_imm ? ntohl(wc.ex.imm_data) : 0;
		return 0;
	}
	it_fail(t, "%s: receive %s%s%s", what, it_err_name(err ? err : -EIO),
		err ? "" : ": ", err ? "" : ib_wc_status_msg(wc.status));
	it.broken = true;
	return err ? err : -EIO;
}

static int it_send_msg(struct ktest *t, const struct rdma_test_msg_fields *m)
{
	struct rdma_test_msg *msg = (struct rdma_test_msg *)it.e.ctrl;
	int err;

	rdma_test_msg_encode(msg, m);
	err = st_post(&it.e, IB_WR_SEND, msg, sizeof(*msg), it.e.mr_ctrl, NULL, 0);
	if (err) {
		it_fail(t, "posting control message %u: %d", m->type, err);
		it.broken = true;
		return err;
	}
	return it_wait_send(t, "control message");
}

/* The next receive, which must be a control message; its slot reposted. */
static int it_recv_msg(struct ktest *t, struct rdma_test_msg_fields *m,
		       const char *what)
{
	struct it_rx rx;
	int err = it_wait_recv(t, &rx, what);

	if (err)
		return err;
	if (rx.opcode != IB_WC_RECV || rx.has_imm) {
		it_fail(t, "%s: expected a control message, got opcode %d%s",
			what, rx.opcode, rx.has_imm ? " with an immediate" : "");
		err = -EPROTO;
	} else if (rdma_test_msg_decode(it.slots[rx.slot], rx.byte_len, m)) {
		it_fail(t, "%s: malformed control message (%u bytes)", what,
			rx.byte_len);
		err = -EPROTO;
	}
	if (it_post_slot(rx.slot, rx.byte_len) && !err) {
		it_fail(t, "%s: reposting a receive failed", what);
		err = -EIO;
	}
	if (err)
		it.broken = true;
	return err;
}

static void it_step_name(const struct rdma_test_msg_fields *m, char *s)
{
	snprintf(s, 64, "round %u step %u %s %u B", m->round, m->step,
		 rdma_test_op_name(m->op), m->len);
}

/* ---- checks ------------------------------------------------------------------- */

/* @len bytes of pattern @seed at @p, GUARD poison bytes after them and
 * @before before; *detail: where it differs, from @p. */
static u32 it_check_data(const u8 *p, u32 len, u32 seed, u32 before,
			 u32 *detail)
{
	u32 off = rdma_test_check(p, len, seed);

	if (off != len) {
		*detail = off;
		return RDMA_TEST_E_DATA;
	}
	off = rdma_test_check_poison(p + len, RDMA_TEST_GUARD);
	if (off != RDMA_TEST_GUARD) {
		*detail = len + off;
		return RDMA_TEST_E_GUARD;
	}
	off = rdma_test_check_poison(p - before, before);
	if (off != before) {
		*detail = off - before;		/* negative: before @p */
		return RDMA_TEST_E_GUARD;
	}
	return RDMA_TEST_OK;
}

/* The receive an operation consumed: its kind, length and immediate. */
static u32 it_check_rx(const struct rdma_test_msg_fields *m,
		       const struct it_rx *rx, u32 *detail)
{
	enum ib_wc_opcode want = m->op == RDMA_TEST_OP_WRITE_IMM ?
				 IB_WC_RECV_RDMA_WITH_IMM : IB_WC_RECV;

	*detail = rx->opcode;
	if (rx->opcode != want)
		return RDMA_TEST_E_OPCODE;
	*detail = rx->byte_len;
	if (rx->byte_len != m->len)
		return RDMA_TEST_E_LENGTH;
	*detail = rx->imm;
	if (rx->has_imm != rdma_test_op_has_imm(m->op) ||
	    (rx->has_imm && rx->imm != m->imm))
		return RDMA_TEST_E_IMM;
	*detail = 0;
	return RDMA_TEST_OK;
}

/* Whether a step fits buffers of @buf_len and SENDs of @max_msg. */
static u32 it_check_range(const struct rdma_test_msg_fields *m, u64 buf_len,
			  u32 max_msg)
{
	if (!m->len || m->len > RDMA_TEST_MAX_SIZE)
		return RDMA_TEST_E_RANGE;
	if (!rdma_test_op_is_rdma(m->op))
		return m->len <= max_msg ? RDMA_TEST_OK : RDMA_TEST_E_RANGE;
	if (m->offset < RDMA_TEST_GUARD ||
	    (u64)m->offset + m->len + RDMA_TEST_GUARD > buf_len)
		return RDMA_TEST_E_RANGE;
	return RDMA_TEST_OK;
}

/* ---- the initiator -------------------------------------------------------------- */

static int it_expect(struct ktest *t, const struct rdma_test_msg_fields *m,
		     u8 type, struct rdma_test_msg_fields *r)
{
	char step[64];
	int err;

	it_step_name(m, step);
	err = it_recv_msg(t, r, step);
	if (err)
		return err;
	if (r->type == type && r->round == m->round && r->step == m->step &&
	    r->op == m->op)
		return 0;
	it_fail(t, "%s: expected message %u, got %u for round %u step %u",
		step, type, r->type, r->round, r->step);
	it.broken = true;
	return -EPROTO;
}

static int it_step_failed(struct ktest *t, struct rdma_test_msg_fields *m,
			  const char *who, u32 status, u32 detail)
{
	char step[64];

	it_step_name(m, step);
	m->status = status;
	it_fail(t, "%s: %s: %s (detail %d)", step, who,
		rdma_test_status_name(status), (int)detail);
	return IT_STEP_FAILED;
}

static enum ib_wr_opcode it_wr_opcode(u32 op)
{
	switch (op) {
	case RDMA_TEST_OP_SEND_IMM:	return IB_WR_SEND_WITH_IMM;
	case RDMA_TEST_OP_WRITE:	return IB_WR_RDMA_WRITE;
	case RDMA_TEST_OP_WRITE_IMM:	return IB_WR_RDMA_WRITE_WITH_IMM;
	case RDMA_TEST_OP_READ:		return IB_WR_RDMA_READ;
	}
	return IB_WR_SEND;
}

/* Post the step's operation from (or, READ, into) e.loc; wait for it. */
static int it_operate(struct ktest *t, const struct rdma_test_msg_fields *m)
{
	struct st_peer p = { .tgt_addr = it.peer.addr + m->offset,
			     .tgt_rkey = it.peer.rkey };
	char step[64];
	int err;

	if (m->op == RDMA_TEST_OP_READ)
		memset(it.e.loc, RDMA_TEST_POISON, m->len + RDMA_TEST_GUARD);
	else
		rdma_test_fill(it.e.loc, m->len, m->seed);
	it_step_name(m, step);
	err = st_post(&it.e, it_wr_opcode(m->op), it.e.loc, m->len,
		      it.e.mr_loc, &p, m->imm);
	if (err) {
		it_fail(t, "%s: posting it: %d", step, err);
		it.broken = true;
		return err;
	}
	return it_wait_send(t, step);
}

static int it_initiate_step(struct ktest *t, struct rdma_test_msg_fields *m)
{
	struct rdma_test_msg_fields r;
	u32 status, detail = 0;
	int err;

	status = it_check_range(m, it.peer.len, it.peer.max_msg);
	if (status)
		return it_step_failed(t, m, "the peer's buffers are too small",
				      status, 0);
	m->type = RDMA_TEST_MSG_PREPARE;
	err = it_send_msg(t, m);
	if (!err)
		err = it_expect(t, m, RDMA_TEST_MSG_READY, &r);
	if (err)
		return err;
	if (r.status)
		return it_step_failed(t, m, "the target refused it", r.status,
				      r.detail);
	err = it_operate(t, m);
	if (err)
		return err;
	if (m->op == RDMA_TEST_OP_READ)
		status = it_check_data(it.e.loc, m->len, m->seed, 0, &detail);
	m->type = RDMA_TEST_MSG_VERIFY;
	m->status = status;
	m->detail = detail;
	err = it_send_msg(t, m);
	if (!err)
		err = it_expect(t, m, RDMA_TEST_MSG_RESULT, &r);
	if (err)
		return err;
	if (status)
		return it_step_failed(t, m, "what we read", status, detail);
	if (r.status)
		return it_step_failed(t, m, "the target's check", r.status,
				      r.detail);
	return 0;
}

static void it_step_init(struct rdma_test_msg_fields *m, u8 round, u32 step,
			 u32 op, u32 len)
{
	memset(m, 0, sizeof(*m));
	m->op = op;
	m->round = round;
	m->step = step;
	m->len = len;
	m->seed = rdma_test_step_seed(round, step);
	m->offset = rdma_test_op_is_rdma(op) ? rdma_test_step_offset(step) : 0;
	m->imm = rdma_test_op_has_imm(op) ? rdma_test_step_imm(m->seed) : 0;
}

int it_initiate_round(struct ktest *t, u8 round)
{
	struct rdma_test_msg_fields m = {}, end = {
		.type = RDMA_TEST_MSG_END, .round = round,
	};
	u32 op, i, step = 0;
	u64 bytes = 0;
	int err = 0;

	for (op = RDMA_TEST_OP_FIRST; op <= RDMA_TEST_OP_LAST && !err; op++) {
		for (i = 0; i < ARRAY_SIZE(it_sizes) && !err; i++) {
			it_step_init(&m, round, step, op, it_sizes[i]);
			err = it_initiate_step(t, &m);
			if (!err) {
				step++;
				bytes += m.len;
			}
		}
	}
	if (err && err != IT_STEP_FAILED)
		return err;		/* the QP cannot carry an END */
	end.status = err ? m.status : RDMA_TEST_OK;
	end.detail = step;
	end.bytes = bytes;
	if (it_send_msg(t, &end))
		return -EIO;
	if (err)
		return err;
	it.ops += step;
	it.bytes += bytes;
	return 0;
}

/* ---- the target ------------------------------------------------------------------ */

struct it_target {
	struct rdma_test_msg_fields prep;	/* the PREPARE being served */
	bool prepared;
	struct it_rx data;			/* the receive it consumed */
	bool have_data;
	bool failed;				/* a step failed: expect END */
	u32 next_step;
	u32 ops;
	u64 bytes;
};

static int it_reply(struct ktest *t, const struct rdma_test_msg_fields *m,
		    u8 type, u32 status, u32 detail)
{
	struct rdma_test_msg_fields r = *m;

	r.type = type;
	r.status = status;
	r.detail = detail;
	return it_send_msg(t, &r);
}

static int it_serve_prepare(struct ktest *t, struct it_target *tg,
			    const struct rdma_test_msg_fields *m, u8 round)
{
	u8 *p = it.region + m->offset;
	char step[64];
	u32 status;

	if (m->round != round || m->step != tg->next_step || tg->prepared)
		status = RDMA_TEST_E_PROTOCOL;
	else
		status = it_check_range(m, IT_REGION_LEN, IT_MAX_MSG);
	if (status == RDMA_TEST_OK && m->op == RDMA_TEST_OP_READ)
		rdma_test_fill(p, m->len, m->seed);
	else if (status == RDMA_TEST_OK && rdma_test_op_is_rdma(m->op))
		memset(p - RDMA_TEST_GUARD, RDMA_TEST_POISON,
		       m->len + 2 * RDMA_TEST_GUARD);
	if (status) {
		it_step_name(m, step);
		it_fail(t, "%s: refused: %s (expected step %u)", step,
			rdma_test_status_name(status), tg->next_step);
		tg->failed = true;
	}
	tg->prep = *m;
	tg->prepared = status == RDMA_TEST_OK;
	tg->have_data = false;
	return it_reply(t, m, RDMA_TEST_MSG_READY, status, 0);
}

static bool it_same_step(const struct rdma_test_msg_fields *a,
			 const struct rdma_test_msg_fields *b)
{
	return a->round == b->round && a->step == b->step && a->op == b->op &&
	       a->offset == b->offset && a->len == b->len &&
	       a->seed == b->seed && a->imm == b->imm;
}

static u32 it_verify(struct it_target *tg, const struct rdma_test_msg_fields *m,
		     u32 *detail)
{
	u32 status = RDMA_TEST_OK;

	*detail = 0;
	if (rdma_test_op_consumes_recv(m->op))
		status = it_check_rx(m, &tg->data, detail);
	if (status)
		return status;
	switch (m->op) {
	case RDMA_TEST_OP_SEND:
	case RDMA_TEST_OP_SEND_IMM:
		return it_check_data(it.slots[tg->data.slot], m->len, m->seed,
				     0, detail);
	case RDMA_TEST_OP_WRITE:
	case RDMA_TEST_OP_WRITE_IMM:
		return it_check_data(it.region + m->offset, m->len, m->seed,
				     RDMA_TEST_GUARD, detail);
	}
	*detail = m->detail;		/* a READ: the initiator checked it */
	return m->status;
}

static int it_serve_verify(struct ktest *t, struct it_target *tg,
			   const struct rdma_test_msg_fields *m)
{
	u32 status, detail = 0;
	char step[64];

	if (!tg->prepared || !it_same_step(&tg->prep, m))
		status = RDMA_TEST_E_PROTOCOL;
	else
		status = it_verify(tg, m, &detail);
	if (tg->have_data &&
	    it_post_slot(tg->data.slot, tg->data.opcode == IB_WC_RECV ?
			 tg->data.byte_len : 0)) {
		it_fail(t, "reposting a receive failed");
		it.broken = true;
		return -EIO;
	}
	tg->prepared = false;
	tg->have_data = false;
	it_step_name(m, step);
	if (status) {
		it_fail(t, "%s: %s (detail %d)", step,
			rdma_test_status_name(status), (int)detail);
		tg->failed = true;
	} else {
		tg->next_step++;
		tg->ops++;
		tg->bytes += m->len;
	}
	return it_reply(t, m, RDMA_TEST_MSG_RESULT, status, detail);
}

static int it_serve_end(struct ktest *t, struct it_target *tg,
			const struct rdma_test_msg_fields *m, u8 round)
{
	if (m->round != round || tg->prepared) {
		it_fail(t, "round %u: END out of turn", round);
		return -EPROTO;
	}
	if (m->status) {
		it_fail(t, "round %u: the initiator ended it: %s", round,
			rdma_test_status_name(m->status));
		return IT_STEP_FAILED;
	}
	if (tg->failed)
		return IT_STEP_FAILED;
	if (m->detail != tg->ops || m->bytes != tg->bytes) {
		it_fail(t, "round %u: the initiator did %u operations, %llu B; we checked %u, %llu B",
			round, m->detail, (unsigned long long)m->bytes,
			tg->ops, (unsigned long long)tg->bytes);
		return IT_STEP_FAILED;
	}
	it.ops += tg->ops;
	it.bytes += tg->bytes;
	return 1;
}

static int it_serve_msg(struct ktest *t, struct it_target *tg,
			const struct rdma_test_msg_fields *m, u8 round)
{
	switch (m->type) {
	case RDMA_TEST_MSG_PREPARE:
		return it_serve_prepare(t, tg, m, round);
	case RDMA_TEST_MSG_VERIFY:
		return it_serve_verify(t, tg, m);
	case RDMA_TEST_MSG_END:
		return it_serve_end(t, tg, m, round);
	}
	it_fail(t, "round %u, target: message %u out of turn", round, m->type);
	it.broken = true;
	return -EPROTO;
}

int it_serve_round(struct ktest *t, u8 round)
{
	struct rdma_test_msg_fields m;
	struct it_target tg = {};
	char what[64];
	int err;

	for (;;) {
		snprintf(what, sizeof(what), "round %u, target, step %u", round,
			 tg.next_step);
		if (tg.prepared && !tg.have_data &&
		    rdma_test_op_consumes_recv(tg.prep.op)) {
			err = it_wait_recv(t, &tg.data, what);
			tg.have_data = !err;
		} else {
			err = it_recv_msg(t, &m, what);
			if (!err)
				err = it_serve_msg(t, &tg, &m, round);
		}
		if (err)
			return err == 1 ? 0 : err;
	}
}
