// SPDX-License-Identifier: GPL-2.0
/*
 * The test plan of rdma_test.ko (include/uapi/lego/rdma_test.h, part 2):
 * two rounds over the connected QP; in each, one side initiates every
 * operation at every size and the other checks what arrived. Round 0 is
 * driven by the side loaded with role=initiator, round 1 by the other.
 *
 * Initiator, per step: PREPARE, wait READY, the operation, wait for its
 * completion (for a READ, check what landed), VERIFY, wait RESULT. Target:
 * a loop over received messages, with one rule besides them: after a
 * PREPARE of an operation that consumes a receive (SEND, SEND_WITH_IMM,
 * RDMA_WRITE_WITH_IMM) the next completed receive is that operation, not
 * a control message. A check that fails makes the step fail; the
 * initiator then ends the round with an END carrying the failure, and both
 * sides report it. A transport failure (a completion error, a timeout)
 * ends the test on the spot: the QP is unusable, the peer times out.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>

#include "internal.h"

/* How long the receiver of the last END keeps its QP, so that it still
 * acknowledges a retransmitted END whose first ACK was lost. */
#define RT_LINGER_MS	500

/* The target's state within a round. */
struct rt_target {
	struct rdma_test_msg_fields prep;	/* the PREPARE being served */
	bool prepared;
	struct rt_rx data;			/* the receive it consumed */
	bool have_data;
	bool failed;				/* a step failed: expect END */
	u32 next_step;
	u32 ops;
	u64 bytes;
};

static const char *rt_err_name(int err)
{
	switch (err) {
	case -ETIMEDOUT:	return "timed out";
	case -EINTR:		return "stopped";
	}
	return "failed";
}

static int rt_send_msg(struct rt_ctx *ctx, const struct rdma_test_msg_fields *m)
{
	int err = rt_post_ctrl(ctx, m);

	return err ?: rt_wait_send(ctx, RT_WR_CTRL);
}

/* The next received message, which must be a control message. */
static int rt_recv_msg(struct rt_ctx *ctx, struct rt_rx *rx,
		       struct rdma_test_msg_fields *m)
{
	struct rt_buf *b;
	int err;

	err = rt_wait_recv(ctx, rx);
	if (err)
		return err;
	b = &ctx->slots[rx->slot];
	rt_sync_for_cpu(ctx, b);
	if (rx->opcode != IB_WC_RECV || rx->has_imm)
		err = rt_fail(ctx, -EPROTO, "expected a control message, got "
			      "a receive of opcode %d%s", rx->opcode,
			      rx->has_imm ? " with an immediate" : "");
	else if (rdma_test_msg_decode(b->cpu, rx->byte_len, m))
		err = rt_fail(ctx, -EPROTO, "malformed control message "
			      "(%u bytes)", rx->byte_len);
	return rt_repost(ctx, rx->slot, rx->byte_len) ?: err;
}

static void rt_step_name(const struct rdma_test_msg_fields *m, char *s,
			 size_t len)
{
	snprintf(s, len, "round %u step %u %s %u B", m->round, m->step,
		 rdma_test_op_name(m->op), m->len);
}

/* ---- checks ------------------------------------------------------------------- */

/* @len bytes of pattern @seed at @p, GUARD poison bytes after them, and
 * @before poison bytes before. Offsets in *detail count from @p. */
static u32 rt_check_data(const u8 *p, u32 len, u32 seed, u32 before,
			 u32 *detail)
{
	u32 off;

	off = rdma_test_check(p, len, seed);
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
static u32 rt_check_rx(const struct rdma_test_msg_fields *m,
		       const struct rt_rx *rx, u32 *detail)
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

/* Where a step's operation touches the target's buffers, and what the
 * target announced it can take. */
static u32 rt_check_range(const struct rdma_test_msg_fields *m, u64 buf_len,
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

/* Receive the peer's answer of @type to step @m. */
static int rt_expect(struct rt_ctx *ctx, const struct rdma_test_msg_fields *m,
		     u8 type, struct rdma_test_msg_fields *r)
{
	struct rt_rx rx;
	int err = rt_recv_msg(ctx, &rx, r);

	if (err)
		return err;
	if (r->type != type || r->round != m->round || r->step != m->step ||
	    r->op != m->op)
		return rt_fail(ctx, -EPROTO, "expected message %u for round %u "
			       "step %u, got %u for round %u step %u", type,
			       m->round, m->step, r->type, r->round, r->step);
	return 0;
}

/* A failure reported in a status: the step fails, the round ends. */
static int rt_step_failed(struct rt_ctx *ctx, struct rdma_test_msg_fields *m,
			  const char *who, u32 status, u32 detail)
{
	char step[64];

	rt_step_name(m, step, sizeof(step));
	m->status = status;
	return rt_fail(ctx, -EREMOTEIO, "%s: %s: %s (detail %d)", step, who,
		       rdma_test_status_name(status), (int)detail);
}

static void rt_prepare_local(struct rt_ctx *ctx,
			     const struct rdma_test_msg_fields *m)
{
	struct rt_buf *b = m->op == RDMA_TEST_OP_READ ? &ctx->sink : &ctx->src;

	rt_sync_for_cpu(ctx, b);
	if (m->op == RDMA_TEST_OP_READ)
		memset(b->cpu, RDMA_TEST_POISON, m->len + RDMA_TEST_GUARD);
	else
		rdma_test_fill(b->cpu, m->len, m->seed);
	rt_sync_for_device(ctx, b);
}

/* corrupt=N: flip one byte of what step N sends, or of what it read, so
 * that a check must fail (a test of the test). */
static void rt_corrupt(struct rt_ctx *ctx, const struct rdma_test_msg_fields *m,
		       struct rt_buf *b)
{
	if (ctx->corrupt_step < 0 || m->step != (u32)ctx->corrupt_step)
		return;
	rt_sync_for_cpu(ctx, b);
	((u8 *)b->cpu)[m->len / 2] ^= 0xff;
	rt_sync_for_device(ctx, b);
	pr_info("corrupt=%d: byte %u of %s changed\n", ctx->corrupt_step,
		m->len / 2, m->op == RDMA_TEST_OP_READ ? "what we read" :
		"what we send");
}

static int rt_initiate_step(struct rt_ctx *ctx, struct rdma_test_msg_fields *m)
{
	const struct rdma_test_hello_fields *peer = &ctx->peer;
	struct rdma_test_msg_fields r;
	u32 status = RDMA_TEST_OK, detail = 0;
	char step[64];
	int err;

	status = rt_check_range(m, peer->len, peer->max_msg);
	if (status)
		return rt_step_failed(ctx, m, "the peer's buffers are too small",
				      status, 0);
	m->type = RDMA_TEST_MSG_PREPARE;
	err = rt_send_msg(ctx, m) ?: rt_expect(ctx, m, RDMA_TEST_MSG_READY, &r);
	if (err)
		goto out_transport;
	if (r.status)
		return rt_step_failed(ctx, m, "the target refused it", r.status,
				      r.detail);

	rt_prepare_local(ctx, m);
	if (m->op != RDMA_TEST_OP_READ)
		rt_corrupt(ctx, m, &ctx->src);
	err = rt_post_data(ctx, m->op, m->len, peer->addr + m->offset,
			   peer->rkey, m->imm) ?: rt_wait_send(ctx, RT_WR_DATA);
	if (err)
		goto out_transport;
	if (m->op == RDMA_TEST_OP_READ) {
		rt_corrupt(ctx, m, &ctx->sink);
		rt_sync_for_cpu(ctx, &ctx->sink);
		status = rt_check_data(ctx->sink.cpu, m->len, m->seed, 0,
				       &detail);
	}

	m->type = RDMA_TEST_MSG_VERIFY;
	m->status = status;
	m->detail = detail;
	err = rt_send_msg(ctx, m) ?: rt_expect(ctx, m, RDMA_TEST_MSG_RESULT, &r);
	if (err)
		goto out_transport;
	if (status)
		return rt_step_failed(ctx, m, "what we read", status, detail);
	if (r.status)
		return rt_step_failed(ctx, m, "the target's check", r.status,
				      r.detail);
	return 0;

out_transport:
	rt_step_name(m, step, sizeof(step));
	return rt_fail(ctx, err, "%s: %s", step, rt_err_name(err));
}

static void rt_step_init(struct rdma_test_msg_fields *m, u8 round, u32 step,
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

/* One operation at every size; *step counts on. */
static int rt_initiate_op(struct rt_ctx *ctx, u8 round, u32 op, u32 *step,
			  struct rdma_test_msg_fields *m, u64 *bytes)
{
	ktime_t t0 = ktime_get();
	u64 op_bytes = 0;
	unsigned int i;
	int err;

	for (i = 0; i < ctx->nr_sizes; i++, (*step)++) {
		rt_step_init(m, round, *step, op, ctx->sizes[i]);
		err = rt_initiate_step(ctx, m);
		if (err)
			return err;
		op_bytes += m->len;
		*bytes += m->len;
	}
	pr_info("round %u, initiator: %-19s %u sizes, %llu B in %lld ms\n",
		round, rdma_test_op_name(op), ctx->nr_sizes, op_bytes,
		ktime_ms_delta(ktime_get(), t0));
	return 0;
}

static int rt_initiate_round(struct rt_ctx *ctx, u8 round)
{
	struct rdma_test_msg_fields m = { }, end = {
		.type = RDMA_TEST_MSG_END,
		.round = round,
	};
	u32 op, step = 0;
	u64 bytes = 0;
	int err = 0;

	for (op = RDMA_TEST_OP_FIRST; op <= RDMA_TEST_OP_LAST && !err; op++)
		err = rt_initiate_op(ctx, round, op, &step, &m, &bytes);
	if (err && err != -EREMOTEIO)
		return err;		/* the QP cannot carry an END */

	end.status = err ? m.status : RDMA_TEST_OK;
	end.detail = step;
	end.bytes = bytes;
	if (rt_send_msg(ctx, &end))
		return rt_fail(ctx, -EIO, "round %u: sending END failed", round);
	if (err)
		return err;
	ctx->ops += step;
	ctx->bytes += bytes;
	return 0;
}

/* ---- the target ------------------------------------------------------------------ */

static int rt_reply(struct rt_ctx *ctx, const struct rdma_test_msg_fields *m,
		    u8 type, u32 status, u32 detail)
{
	struct rdma_test_msg_fields r = *m;
	char step[64];
	int err;

	r.type = type;
	r.status = status;
	r.detail = detail;
	err = rt_send_msg(ctx, &r);
	if (err) {
		rt_step_name(m, step, sizeof(step));
		return rt_fail(ctx, err, "%s: answering %s", step,
			       rt_err_name(err));
	}
	return 0;
}

/* Get the region ready for the step: the pattern to be read, or poison
 * where a WRITE will land. */
static void rt_prepare_region(struct rt_ctx *ctx,
			      const struct rdma_test_msg_fields *m)
{
	u8 *p = (u8 *)ctx->region.cpu + m->offset;

	rt_sync_for_cpu(ctx, &ctx->region);
	if (m->op == RDMA_TEST_OP_READ)
		rdma_test_fill(p, m->len, m->seed);
	else
		memset(p - RDMA_TEST_GUARD, RDMA_TEST_POISON,
		       m->len + 2 * RDMA_TEST_GUARD);
	rt_sync_for_device(ctx, &ctx->region);
}

static int rt_serve_prepare(struct rt_ctx *ctx, struct rt_target *t,
			    const struct rdma_test_msg_fields *m, u8 round)
{
	u32 status;
	char step[64];

	if (m->round != round || m->step != t->next_step || t->prepared)
		status = RDMA_TEST_E_PROTOCOL;
	else
		status = rt_check_range(m, ctx->region.len, ctx->local.max_msg);
	if (status == RDMA_TEST_OK && rdma_test_op_is_rdma(m->op))
		rt_prepare_region(ctx, m);
	if (status) {
		rt_step_name(m, step, sizeof(step));
		rt_fail(ctx, -EREMOTEIO, "%s: refused: %s (expected step %u)",
			step, rdma_test_status_name(status), t->next_step);
		t->failed = true;
	}
	t->prep = *m;
	t->prepared = status == RDMA_TEST_OK;
	t->have_data = false;
	return rt_reply(ctx, m, RDMA_TEST_MSG_READY, status, 0);
}

static bool rt_same_step(const struct rdma_test_msg_fields *a,
			 const struct rdma_test_msg_fields *b)
{
	return a->round == b->round && a->step == b->step && a->op == b->op &&
	       a->offset == b->offset && a->len == b->len &&
	       a->seed == b->seed && a->imm == b->imm;
}

static u32 rt_verify(struct rt_ctx *ctx, struct rt_target *t,
		     const struct rdma_test_msg_fields *m, u32 *detail)
{
	u32 status = RDMA_TEST_OK;
	u8 *p;

	*detail = 0;
	if (rdma_test_op_consumes_recv(m->op))
		status = rt_check_rx(m, &t->data, detail);
	if (status)
		return status;
	switch (m->op) {
	case RDMA_TEST_OP_SEND:
	case RDMA_TEST_OP_SEND_IMM:
		p = ctx->slots[t->data.slot].cpu;
		rt_sync_for_cpu(ctx, &ctx->slots[t->data.slot]);
		return rt_check_data(p, m->len, m->seed, 0, detail);
	case RDMA_TEST_OP_WRITE:
	case RDMA_TEST_OP_WRITE_IMM:
		p = (u8 *)ctx->region.cpu + m->offset;
		rt_sync_for_cpu(ctx, &ctx->region);
		return rt_check_data(p, m->len, m->seed, RDMA_TEST_GUARD,
				     detail);
	}
	/* A READ: the initiator checked what it read. */
	*detail = m->detail;
	return m->status;
}

static int rt_serve_verify(struct rt_ctx *ctx, struct rt_target *t,
			   const struct rdma_test_msg_fields *m)
{
	u32 status, detail = 0;
	char step[64];
	int err = 0;

	if (!t->prepared || !rt_same_step(&t->prep, m))
		status = RDMA_TEST_E_PROTOCOL;
	else
		status = rt_verify(ctx, t, m, &detail);
	if (t->have_data)
		err = rt_repost(ctx, t->data.slot, t->data.opcode == IB_WC_RECV ?
				t->data.byte_len : 0);
	t->prepared = false;
	t->have_data = false;
	if (err)
		return err;
	if (status) {
		rt_step_name(m, step, sizeof(step));
		rt_fail(ctx, -EREMOTEIO, "%s: %s (detail %d)", step,
			rdma_test_status_name(status), (int)detail);
		t->failed = true;
	} else {
		t->next_step++;
		t->ops++;
		t->bytes += m->len;
	}
	return rt_reply(ctx, m, RDMA_TEST_MSG_RESULT, status, detail);
}

static int rt_serve_end(struct rt_ctx *ctx, struct rt_target *t,
			const struct rdma_test_msg_fields *m, u8 round)
{
	if (m->round != round || t->prepared)
		return rt_fail(ctx, -EPROTO, "round %u: END out of turn", round);
	if (m->status)
		return rt_fail(ctx, -EREMOTEIO, "round %u: the initiator ended "
			       "it: %s", round, rdma_test_status_name(m->status));
	if (t->failed)
		return -EREMOTEIO;
	if (m->detail != t->ops || m->bytes != t->bytes)
		return rt_fail(ctx, -EREMOTEIO, "round %u: the initiator did %u "
			       "operations, %llu B; we checked %u, %llu B",
			       round, m->detail, m->bytes, t->ops, t->bytes);
	ctx->ops += t->ops;
	ctx->bytes += t->bytes;
	pr_info("round %u, target: %u operations, %llu B checked\n", round,
		t->ops, t->bytes);
	return 0;
}

/* Handle one control message: 0, 1 when the round is over, or an error. */
static int rt_serve_msg(struct rt_ctx *ctx, struct rt_target *t,
			const struct rdma_test_msg_fields *m, u8 round)
{
	switch (m->type) {
	case RDMA_TEST_MSG_PREPARE:
		return rt_serve_prepare(ctx, t, m, round);
	case RDMA_TEST_MSG_VERIFY:
		return rt_serve_verify(ctx, t, m);
	case RDMA_TEST_MSG_END:
		return rt_serve_end(ctx, t, m, round) ?: 1;
	}
	return rt_fail(ctx, -EPROTO, "round %u, target: message %u out of turn",
		       round, m->type);
}

static int rt_serve_round(struct rt_ctx *ctx, u8 round)
{
	struct rdma_test_msg_fields m;
	struct rt_target t = { };
	struct rt_rx rx;
	int err;

	for (;;) {
		if (t.prepared && !t.have_data &&
		    rdma_test_op_consumes_recv(t.prep.op)) {
			err = rt_wait_recv(ctx, &t.data);
			t.have_data = !err;
		} else {
			err = rt_recv_msg(ctx, &rx, &m);
			if (!err)
				err = rt_serve_msg(ctx, &t, &m, round);
		}
		if (err == 1)
			return 0;
		if (err == -ETIMEDOUT || err == -EINTR)
			return rt_fail(ctx, err, "round %u, target: %s waiting "
				       "for step %u", round, rt_err_name(err),
				       t.next_step);
		if (err)
			return err;
	}
}

int rt_plan_run(struct rt_ctx *ctx)
{
	bool initiate = false;
	u8 round;
	int err;

	for (round = 0; round < 2; round++) {
		initiate = (round == 0) == (ctx->role == RDMA_TEST_ROLE_INITIATOR);
		err = initiate ? rt_initiate_round(ctx, round) :
				 rt_serve_round(ctx, round);
		if (err)
			return err;
	}
	if (!initiate)
		rt_linger(RT_LINGER_MS);
	return 0;
}
