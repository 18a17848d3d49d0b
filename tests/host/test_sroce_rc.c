// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the soft-RoCEv2 RC engines (drivers/infiniband/sw/sroce/
 * rc.c, req.c, resp.c, comp.c) on a clean wire: segmentation, every
 * opcode, ACK coalescing, the window, READ credits, a busy transmitter and
 * PSN wrap.  The harness is sroce_rc_harness.h; faults are in
 * test_sroce_faults.c.
 */
#include "sroce_rc_harness.h"

/* ---- clean transfers ----------------------------------------------- */

static void test_send_multi_mtu(void **state)
{
	static const u8 want_ops[] = { ROCE_OP_SEND_FIRST, ROCE_OP_SEND_MIDDLE,
				       ROCE_OP_SEND_MIDDLE,
				       ROCE_OP_SEND_LAST_IMM };
	u64 rid, sid;
	int i, j = 0;

	(void)state;
	rid = post_recv(&B, 8192, 2000);
	sid = post_send(&A, SROCE_WR_SEND_IMM, 100, 1000, 0, 0xcafef00d, true);
	run();
	assert_memory_equal(B.mem + 8192, A.mem + 100, 1000);
	expect_cqe(&A, 0, sid, SROCE_WC_SUCCESS, SROCE_WC_SEND, 1000);
	expect_cqe(&B, 0, rid, SROCE_WC_SUCCESS, SROCE_WC_RECV, 1000);
	assert_true(B.cqe[0].with_imm);
	assert_int_equal(B.cqe[0].imm, 0xcafef00d);
	assert_int_equal(A.ncqe, 1);
	assert_int_equal(B.ncqe, 1);
	/* FIRST, MIDDLE, MIDDLE, LAST; AckReq only on the last; PSNs 100.. */
	for (i = 0; i < nlog; i++) {
		if (wlog[i].from != &A)
			continue;
		assert_int_equal(wlog[i].pkt.bth.opcode, want_ops[j]);
		assert_int_equal(wlog[i].pkt.bth.psn, 100 + j);
		assert_int_equal(wlog[i].pkt.bth.ackreq, j == 3);
		assert_int_equal(wlog[i].pkt.paylen, j == 3 ? 232 : 256);
		j++;
	}
	assert_int_equal(j, 4);
	assert_int_equal(count_syndrome(&B, 0x1f), 1);	/* one ACK */
	assert_int_equal(B.qp.msn, 1);
	assert_int_equal(B.qp.epsn, 104);
	expect_quiet();
}

/*
 * Regression (the provider's CQ arming): the SE bit of a solicited
 * message reaches the receive completion, and only that one's.
 */
static void test_solicited_reaches_recv_cqe(void **state)
{
	struct sroce_send_wqe wr = {
		.opcode = SROCE_WR_SEND,
		.flags = SROCE_SEND_SIGNALED | SROCE_SEND_SOLICITED,
		.num_sge = 1,
	};
	u64 r1, r2;

	(void)state;
	r1 = post_recv(&B, 8192, 2000);
	r2 = post_recv(&B, 12288, 2000);
	wr.wr_id = ++wr_ids;
	wr.sge[0] = (struct sroce_sge){ A.mem, 600 };	/* 3 packets */
	assert_int_equal(sroce_post_send(&A.qp, &wr), 0);
	post_send(&A, SROCE_WR_SEND, 0, 10, 0, 0, false);
	run();
	expect_cqe(&B, 0, r1, SROCE_WC_SUCCESS, SROCE_WC_RECV, 600);
	expect_cqe(&B, 1, r2, SROCE_WC_SUCCESS, SROCE_WC_RECV, 10);
	assert_true(B.cqe[0].solicited);
	assert_false(B.cqe[1].solicited);
	expect_quiet();
}

static void test_write_multi_mtu(void **state)
{
	u64 sid, sid2, rid;

	(void)state;
	sid = post_send(&A, SROCE_WR_WRITE, 0, 1000, 4096, 0, true);
	run();
	assert_memory_equal(B.mem + 4096, A.mem, 1000);
	expect_cqe(&A, 0, sid, SROCE_WC_SUCCESS, SROCE_WC_WRITE, 1000);
	assert_int_equal(B.ncqe, 0);		/* a WRITE is silent */
	assert_int_equal(count_sent(&A, ROCE_OP_WRITE_FIRST), 1);
	assert_int_equal(count_sent(&A, ROCE_OP_WRITE_MIDDLE), 2);
	assert_int_equal(count_sent(&A, ROCE_OP_WRITE_LAST), 1);
	assert_int_equal(wlog[0].pkt.reth.dma_len, 1000);
	/* WRITE with immediate consumes a receive WQE. */
	rid = post_recv(&B, 0, 16);
	sid2 = post_send(&A, SROCE_WR_WRITE_IMM, 2000, 600, 20000, 77, false);
	run();
	assert_memory_equal(B.mem + 20000, A.mem + 2000, 600);
	expect_cqe(&A, 1, sid2, SROCE_WC_SUCCESS, SROCE_WC_WRITE, 600);
	expect_cqe(&B, 0, rid, SROCE_WC_SUCCESS, SROCE_WC_RECV_WRITE_IMM, 600);
	assert_int_equal(B.cqe[0].imm, 77);
	expect_quiet();
}

static void test_read_multi_mtu(void **state)
{
	u64 sid;

	(void)state;
	sid = post_send(&A, SROCE_WR_READ, 30000, 1000, 512, 0, true);
	run();
	assert_memory_equal(A.mem + 30000, B.mem + 512, 1000);
	expect_cqe(&A, 0, sid, SROCE_WC_SUCCESS, SROCE_WC_READ, 1000);
	assert_int_equal(count_sent(&A, ROCE_OP_READ_REQUEST), 1);
	assert_int_equal(count_sent(&B, ROCE_OP_READ_RESPONSE_FIRST), 1);
	assert_int_equal(count_sent(&B, ROCE_OP_READ_RESPONSE_MIDDLE), 2);
	assert_int_equal(count_sent(&B, ROCE_OP_READ_RESPONSE_LAST), 1);
	/* The READ took 4 PSNs: the next request starts at 104. */
	assert_int_equal(A.qp.next_psn, 104);
	assert_int_equal(B.qp.epsn, 104);
	expect_quiet();
}

static void test_zero_length(void **state)
{
	u64 rid, s1, s2, s3;

	(void)state;
	rid = post_recv(&B, 0, 64);
	s1 = post_send(&A, SROCE_WR_SEND, 0, 0, 0, 0, false);
	s2 = post_send(&A, SROCE_WR_WRITE, 0, 0, 0, 0, false);
	s3 = post_send(&A, SROCE_WR_READ, 0, 0, 0, 0, false);
	/* No memory touched, so no key checked (IBTA 9.4). */
	B.rkey = 0xdead;
	run();
	expect_cqe(&A, 0, s1, SROCE_WC_SUCCESS, SROCE_WC_SEND, 0);
	expect_cqe(&A, 1, s2, SROCE_WC_SUCCESS, SROCE_WC_WRITE, 0);
	expect_cqe(&A, 2, s3, SROCE_WC_SUCCESS, SROCE_WC_READ, 0);
	expect_cqe(&B, 0, rid, SROCE_WC_SUCCESS, SROCE_WC_RECV, 0);
	assert_int_equal(count_sent(&B, ROCE_OP_READ_RESPONSE_ONLY), 1);
	expect_quiet();
}

static void test_coalesced_ack(void **state)
{
	int i;

	(void)state;
	filter = drop_first_two_acks;
	for (i = 0; i < 3; i++)
		post_send(&A, SROCE_WR_WRITE, i * 100, 100, i * 100, 0, false);
	run();
	/* The third ACK (PSN 102) completes all three, in order. */
	assert_int_equal(A.ncqe, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(A.cqe[i].wr_id, A.cqe[0].wr_id + i);
	assert_int_equal(A.qp.stats.comp_acks, 1);
	assert_int_equal(A.qp.stats.comp_timeouts, 0);
	expect_quiet();
}

/*
 * A delayed ACK (attr.send_ack_delay_us): B answers A's SEND with a SEND
 * of its own before it ACKs; the ACK leaves when its timer fires and
 * completes A's SEND; a NAK that B must send flushes a pending ACK first.
 */
static void test_delayed_ack(void **state)
{
	u64 sa, sb, ra, rb;
	int i, ack_at = -1, reply_at = -1;

	(void)state;
	B.qp.attr.send_ack_delay_us = 500;
	rb = post_recv(&B, 0, 64);
	ra = post_recv(&A, 0, 64);
	sa = post_send(&A, SROCE_WR_SEND, 0, 32, 0, 0, false);
	drain();				/* the request arrives */
	expect_cqe(&B, 0, rb, SROCE_WC_SUCCESS, SROCE_WC_RECV, 32);
	assert_int_equal(count_sent(&B, ROCE_OP_ACKNOWLEDGE), 0);
	assert_true(B.timer_on[SROCE_TIMER_ACK]);
	assert_true(B.qp.ack_pending);
	sb = post_send(&B, SROCE_WR_SEND, 100, 16, 0, 0, false);
	run();					/* reply, then the timer */
	for (i = 0; i < nlog; i++) {
		if (wlog[i].from != &B)
			continue;
		if (wlog[i].pkt.bth.opcode == ROCE_OP_ACKNOWLEDGE && ack_at < 0)
			ack_at = i;
		if (wlog[i].pkt.bth.opcode == ROCE_OP_SEND_ONLY && reply_at < 0)
			reply_at = i;
	}
	assert_true(reply_at >= 0 && ack_at > reply_at);
	assert_int_equal(count_sent(&B, ROCE_OP_ACKNOWLEDGE), 1);
	expect_cqe(&A, 0, ra, SROCE_WC_SUCCESS, SROCE_WC_RECV, 16);
	expect_cqe(&A, 1, sa, SROCE_WC_SUCCESS, SROCE_WC_SEND, 32);
	expect_cqe(&B, 1, sb, SROCE_WC_SUCCESS, SROCE_WC_SEND, 16);
	assert_false(B.qp.ack_pending);
	assert_int_equal(A.qp.stats.comp_timeouts, 0);

	/* Pending, then an RNR NAK (no receive posted): ACK first. */
	post_recv(&B, 0, 64);
	post_send(&A, SROCE_WR_SEND, 0, 8, 0, 0, false);
	drain();
	assert_true(B.qp.ack_pending);
	nlog = 0;
	post_send(&A, SROCE_WR_SEND, 0, 8, 0, 0, false);
	drain();
	assert_false(B.qp.ack_pending);
	assert_int_equal(wlog[1].from, &B);
	assert_int_equal(wlog[1].pkt.bth.opcode, ROCE_OP_ACKNOWLEDGE);
	assert_int_equal(wlog[1].pkt.aeth.syndrome,
			 roce_aeth_ack(ROCE_AETH_CREDIT_INVALID));
	assert_int_equal(wlog[2].from, &B);
	assert_int_equal(wlog[2].pkt.aeth.syndrome,
			 roce_aeth_rnr_nak(B.qp.attr.min_rnr_timer));
	post_recv(&B, 0, 64);
	run();
	assert_int_equal(A.ncqe, 4);
	expect_quiet();
}

static void test_window_and_ackreq(void **state)
{
	int i, ackreqs = 0;

	(void)state;
	attr_a.max_unacked = 8;
	attr_a.ack_every = 3;
	connect();
	post_send(&A, SROCE_WR_WRITE, 0, 40 * 256, 0, 0, false);
	run();
	assert_memory_equal(B.mem, A.mem, 40 * 256);
	assert_true(A.max_outstanding <= 8);
	for (i = 0; i < nlog; i++)
		ackreqs += wlog[i].from == &A && wlog[i].pkt.bth.ackreq;
	/* Every 3rd packet at least, so never a stall on the window. */
	assert_true(ackreqs >= 40 / 3);
	assert_int_equal(A.qp.stats.comp_timeouts, 0);
	assert_int_equal(A.ncqe, 1);
	expect_quiet();
}

static void test_max_rd_atomic(void **state)
{
	int i, first_req = -1, second_req = -1, first_last = -1;

	(void)state;
	attr_a.max_rd_atomic = 1;
	connect();
	post_send(&A, SROCE_WR_READ, 0, 512, 0, 0, false);
	post_send(&A, SROCE_WR_READ, 1000, 512, 1000, 0, false);
	run();
	for (i = 0; i < nlog; i++) {
		if (wlog[i].pkt.bth.opcode == ROCE_OP_READ_REQUEST)
			*(first_req < 0 ? &first_req : &second_req) = i;
		if (wlog[i].pkt.bth.opcode == ROCE_OP_READ_RESPONSE_LAST &&
		    first_last < 0)
			first_last = i;
	}
	/* The second READ went out only after the first one's data. */
	assert_true(second_req > first_last);
	assert_int_equal(A.ncqe, 2);
	assert_memory_equal(A.mem + 1000, B.mem + 1000, 512);
	expect_quiet();
}

static void test_tx_busy_and_kick(void **state)
{
	(void)state;
	A.busy_left = 1;
	post_send(&A, SROCE_WR_WRITE, 0, 3 * 256, 0, 0, false);
	assert_int_equal(nlog, 0);		/* refused, not lost */
	assert_int_equal(A.qp.stats.tx_busy, 1);
	sroce_rc_kick(&A.qp);
	assert_int_equal(nlog, 3);
	run();
	assert_int_equal(A.ncqe, 1);
	/* READ responses stall too, and resume at the kick. */
	post_send(&A, SROCE_WR_READ, 1000, 3 * 256, 1000, 0, false);
	B.busy_left = 1;
	drain();
	assert_int_equal(B.qp.stats.tx_busy, 1);
	assert_int_equal(count_sent(&B, ROCE_OP_READ_RESPONSE_FIRST), 0);
	sroce_rc_kick(&B.qp);
	run();
	assert_int_equal(A.ncqe, 2);
	assert_memory_equal(A.mem + 1000, B.mem + 1000, 768);
	assert_int_equal(A.qp.stats.comp_timeouts, 0);
	expect_quiet();
}

/* ---- PSN wrap ------------------------------------------------------- */

static enum action drop_psn_zero_once(const struct log_entry *e, int index)
{
	return e->from == &A && e->pkt.bth.psn == 0 &&
	       !A.qp.stats.comp_retries ? DROP : DELIVER;
}

static void test_psn_wrap(void **state)
{
	u64 rid, s1, s2, s3;

	(void)state;
	attr_a.sq_psn = 0xfffffa;
	attr_b.rq_psn = 0xfffffa;
	connect();
	filter = drop_psn_zero_once;
	rid = post_recv(&B, 0, 8192);
	s1 = post_send(&A, SROCE_WR_SEND, 0, 20 * 256, 0, 0, false);
	s2 = post_send(&A, SROCE_WR_WRITE, 100, 5 * 256, 20000, 0, false);
	s3 = post_send(&A, SROCE_WR_READ, 40000, 3 * 256, 30000, 0, false);
	run();
	assert_memory_equal(B.mem, A.mem, 20 * 256);
	assert_memory_equal(B.mem + 20000, A.mem + 100, 5 * 256);
	assert_memory_equal(A.mem + 40000, B.mem + 30000, 3 * 256);
	expect_cqe(&B, 0, rid, SROCE_WC_SUCCESS, SROCE_WC_RECV, 5120);
	expect_cqe(&A, 0, s1, SROCE_WC_SUCCESS, SROCE_WC_SEND, 5120);
	expect_cqe(&A, 1, s2, SROCE_WC_SUCCESS, SROCE_WC_WRITE, 1280);
	expect_cqe(&A, 2, s3, SROCE_WC_SUCCESS, SROCE_WC_READ, 768);
	assert_int_equal(A.qp.stats.comp_nak_seq, 1);
	/* 28 PSNs from 0xfffffa: 6 before the wrap, 22 after. */
	assert_int_equal(A.qp.next_psn, 22);
	assert_int_equal(B.qp.epsn, 22);
	expect_quiet();
}

/* ---- random loss, duplication and reordering ------------------------ */

static void test_init_rejects(void **state)
{
	struct sroce_qp_attr a;
	struct sroce_qp qp;
	struct sroce_send_wqe sq[4];
	struct sroce_recv_wqe rq[4];
	int i;

	(void)state;
	defaults(&a, 1, 2, 0, 0);
	a.pmtu = 1000;
	assert_int_equal(sroce_qp_init(&qp, &a, &ops, sq, 4, rq, 4), -EINVAL);
	defaults(&a, 1, 2, 0, 0);
	a.retry_cnt = 8;
	assert_int_equal(sroce_qp_init(&qp, &a, &ops, sq, 4, rq, 4), -EINVAL);
	defaults(&a, 1, 2, 0, 0);
	assert_int_equal(sroce_qp_init(&qp, &a, &ops, sq, 3, rq, 4), -EINVAL);
	assert_int_equal(sroce_qp_init(&qp, &a, &ops, sq, 4, rq, 4), 0);
	/* Bad WRs, full rings. */
	filter = drop_from_a;
	assert_int_equal(sroce_post_send(&A.qp, &(struct sroce_send_wqe){
		.opcode = 9 }), -EINVAL);
	assert_int_equal(sroce_post_send(&A.qp, &(struct sroce_send_wqe){
		.num_sge = SROCE_MAX_SGE + 1 }), -EINVAL);
	for (i = 0; i < 64; i++) {
		post_send(&A, SROCE_WR_SEND, 0, 1, 0, 0, false);
		post_recv(&A, 0, 1);
	}
	assert_int_equal(sroce_post_send(&A.qp, &A.sq[0]), -ENOMEM);
	assert_int_equal(sroce_post_recv(&A.qp, &A.rq[0]), -ENOMEM);
	assert_string_equal(sroce_wc_status_name(SROCE_WC_RETRY_EXC_ERR),
			    "transport retry exceeded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_send_multi_mtu),
		T(test_solicited_reaches_recv_cqe),
		T(test_write_multi_mtu),
		T(test_read_multi_mtu),
		T(test_zero_length),
		T(test_coalesced_ack),
	T(test_delayed_ack),
		T(test_window_and_ackreq),
		T(test_max_rd_atomic),
		T(test_tx_busy_and_kick),
		T(test_psn_wrap),
		T(test_init_rejects),
#undef T
	};

	host_test_seed("sroce_rc");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
