// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the soft-RoCEv2 RC engines under faults: lost, duplicated,
 * replayed and reordered packets, lost ACKs and READ responses (also as
 * Linux rxe answers a re-requested READ tail), RNR, retry exhaustion,
 * remote access errors, invalid requests and opcode sequences, stale ACKs,
 * and a random fault mix.  The harness is sroce_rc_harness.h.
 */
#include "sroce_rc_harness.h"

/* ---- loss, duplication, reordering ---------------------------------- */

static int drop_index;

static enum action drop_nth_from_a(const struct log_entry *e, int index)
{
	static int seen;

	if (index == 0)
		seen = 0;
	if (e->from != &A)
		return DELIVER;
	return seen++ == drop_index ? DROP : DELIVER;
}

static void test_lose_middle_packet(void **state)
{
	u64 sid;

	(void)state;
	drop_index = 2;			/* PSN 102, a WRITE_MIDDLE */
	filter = drop_nth_from_a;
	sid = post_send(&A, SROCE_WR_WRITE, 0, 6 * 256, 0, 0, false);
	run();
	assert_memory_equal(B.mem, A.mem, 6 * 256);
	expect_cqe(&A, 0, sid, SROCE_WC_SUCCESS, SROCE_WC_WRITE, 1536);
	assert_int_equal(A.ncqe, 1);
	/* B: 103..105 ahead, one NAK-sequence carrying ePSN 102. */
	assert_int_equal(B.qp.stats.resp_ahead, 3);
	assert_int_equal(B.qp.stats.resp_nak_seq, 1);
	assert_int_equal(count_syndrome(&B, 0x60), 1);
	/* A: go back to 102 and send 102..105 again. */
	assert_int_equal(A.qp.stats.comp_nak_seq, 1);
	assert_int_equal(A.qp.stats.req_retrans_pkts, 4);
	assert_int_equal(A.trace_retry, 1);
	assert_int_equal(A.qp.stats.comp_timeouts, 0);
	expect_quiet();
}

static enum action dup_everything(const struct log_entry *e, int index)
{
	return DUP;
}

static void test_duplicates_everywhere(void **state)
{
	u64 rid, s1, s2, s3;

	(void)state;
	filter = dup_everything;
	rid = post_recv(&B, 0, 2048);
	s1 = post_send(&A, SROCE_WR_SEND, 0, 700, 0, 0, false);
	s2 = post_send(&A, SROCE_WR_WRITE, 1000, 700, 9000, 0, false);
	s3 = post_send(&A, SROCE_WR_READ, 5000, 700, 12000, 0, false);
	run();
	assert_memory_equal(B.mem, A.mem, 700);
	assert_memory_equal(B.mem + 9000, A.mem + 1000, 700);
	assert_memory_equal(A.mem + 5000, B.mem + 12000, 700);
	assert_int_equal(A.ncqe, 3);
	assert_int_equal(B.ncqe, 1);		/* the SEND delivered once */
	expect_cqe(&A, 0, s1, SROCE_WC_SUCCESS, SROCE_WC_SEND, 700);
	expect_cqe(&A, 1, s2, SROCE_WC_SUCCESS, SROCE_WC_WRITE, 700);
	expect_cqe(&A, 2, s3, SROCE_WC_SUCCESS, SROCE_WC_READ, 700);
	expect_cqe(&B, 0, rid, SROCE_WC_SUCCESS, SROCE_WC_RECV, 700);
	assert_true(B.qp.stats.resp_dup >= 7);
	assert_true(A.qp.stats.comp_stale > 0);
	expect_quiet();
}

/* Replay every request later: nothing is executed twice (notes B.6). */
static void test_replayed_requests(void **state)
{
	struct wire_pkt *saved[64];
	struct sroce_pkt pkt;
	u64 acks_before;
	int i, n = 0;

	(void)state;
	post_recv(&B, 0, 2048);
	post_send(&A, SROCE_WR_SEND, 0, 700, 0, 0, false);
	post_send(&A, SROCE_WR_WRITE, 1000, 700, 9000, 0, false);
	/* Keep a copy of what A sends while it runs. */
	for (i = q_head; i != q_tail; i++)
		saved[n++] = clone(queue[i % MAX_QUEUE]);
	run();
	assert_int_equal(B.ncqe, 1);
	memset(B.mem, 0xee, 700);
	memset(B.mem + 9000, 0xee, 700);
	acks_before = B.qp.stats.resp_acks;
	for (i = 0; i < n; i++) {
		assert_int_equal(sroce_parse(&saved[i]->l3, saved[i]->bytes,
					     saved[i]->len, 256, &pkt, &B.rxs), 0);
		sroce_rc_rx(&B.qp, &pkt);
		free(saved[i]);
	}
	run();
	for (i = 0; i < 700; i++) {
		assert_int_equal(B.mem[i], 0xee);
		assert_int_equal(B.mem[9000 + i], 0xee);
	}
	assert_int_equal(B.ncqe, 1);
	assert_int_equal(B.qp.stats.resp_dup, n);
	/* Re-ACKs only for the two packets that asked (ends of messages),
	 * each with the last PSN taken; A drops them as stale. */
	assert_int_equal(B.qp.stats.resp_acks - acks_before, 2);
	assert_int_equal(A.qp.stats.comp_stale, 2);
	assert_int_equal(A.ncqe, 2);
	expect_quiet();
}

static enum action swap_1_and_2(const struct log_entry *e, int index)
{
	static bool done;

	if (index == 0)
		done = false;
	if (e->from != &A || e->pkt.bth.psn != 101 || done)
		return DELIVER;
	done = true;
	return HOLD;
}

static void test_reordering(void **state)
{
	u64 rid;

	(void)state;
	filter = swap_1_and_2;
	rid = post_recv(&B, 0, 4096);
	post_send(&A, SROCE_WR_SEND, 0, 5 * 256, 0, 0, false);
	run();
	assert_memory_equal(B.mem, A.mem, 5 * 256);
	expect_cqe(&B, 0, rid, SROCE_WC_SUCCESS, SROCE_WC_RECV, 1280);
	assert_int_equal(B.ncqe, 1);
	assert_int_equal(A.ncqe, 1);
	/*
	 * 102 came before 101: NAK(101), and 102 is gone (go-back-N keeps
	 * nothing out of order), so 103 after 101 draws NAK(102).  A goes
	 * back twice; the second NAK acknowledged 101, so it is progress.
	 */
	assert_int_equal(B.qp.stats.resp_nak_seq, 2);
	assert_int_equal(count_syndrome(&B, 0x60), 2);
	assert_int_equal(A.qp.stats.comp_nak_seq, 2);
	assert_int_equal(A.qp.stats.comp_retries, 2);
	expect_quiet();
}

static enum action drop_all_from_b_acks_once(const struct log_entry *e,
					     int index)
{
	static int dropped;

	if (index == 0)
		dropped = 0;
	if (e->from == &B && e->pkt.bth.opcode == ROCE_OP_ACKNOWLEDGE &&
	    !dropped) {
		dropped = 1;
		return DROP;
	}
	return DELIVER;
}

static void test_lost_ack(void **state)
{
	u64 rid, sid;

	(void)state;
	filter = drop_all_from_b_acks_once;
	rid = post_recv(&B, 0, 4096);
	sid = post_send(&A, SROCE_WR_SEND, 0, 3 * 256, 0, 0, false);
	run();
	/* Timeout, go back to 100, B re-ACKs the duplicate LAST. */
	assert_int_equal(A.qp.stats.comp_timeouts, 1);
	assert_int_equal(A.qp.stats.req_retrans_pkts, 3);
	assert_int_equal(B.qp.stats.resp_dup, 3);
	assert_int_equal(now, roce_ack_timeout_usec(10));
	expect_cqe(&A, 0, sid, SROCE_WC_SUCCESS, SROCE_WC_SEND, 768);
	expect_cqe(&B, 0, rid, SROCE_WC_SUCCESS, SROCE_WC_RECV, 768);
	assert_int_equal(B.ncqe, 1);
	expect_quiet();
}

static enum action drop_read_resp_1(const struct log_entry *e, int index)
{
	return e->from == &B && e->pkt.bth.opcode ==
		ROCE_OP_READ_RESPONSE_MIDDLE && e->pkt.bth.psn == 101 &&
		!A.qp.stats.comp_retries ? DROP : DELIVER;
}

static void test_read_response_loss(void **state)
{
	int i, reqs = 0;
	u64 sid;

	(void)state;
	filter = drop_read_resp_1;
	sid = post_send(&A, SROCE_WR_READ, 0, 5 * 256, 1024, 0, false);
	run();
	assert_memory_equal(A.mem, B.mem + 1024, 5 * 256);
	expect_cqe(&A, 0, sid, SROCE_WC_SUCCESS, SROCE_WC_READ, 1280);
	/* 102 arrived instead of 101: re-request the tail from 101. */
	assert_int_equal(A.qp.stats.comp_read_ooo, 3);	/* 102, 103, 104 */
	assert_int_equal(A.qp.stats.comp_retries, 1);
	for (i = 0; i < nlog; i++) {
		if (wlog[i].pkt.bth.opcode != ROCE_OP_READ_REQUEST)
			continue;
		if (reqs++ == 0) {
			assert_int_equal(wlog[i].pkt.bth.psn, 100);
			continue;
		}
		assert_int_equal(wlog[i].pkt.bth.psn, 101);
		assert_int_equal(wlog[i].pkt.reth.va, MR_VA + 1024 + 256);
		assert_int_equal(wlog[i].pkt.reth.dma_len, 4 * 256);
	}
	assert_int_equal(reqs, 2);
	/* B answered the re-request as a duplicate READ, FIRST again. */
	assert_int_equal(B.qp.stats.resp_dup_read, 1);
	assert_int_equal(count_sent(&B, ROCE_OP_READ_RESPONSE_FIRST), 2);
	expect_quiet();
}

static enum action drop_read_last(const struct log_entry *e, int index)
{
	return e->from == &B && e->pkt.bth.opcode ==
		ROCE_OP_READ_RESPONSE_LAST && !A.qp.stats.comp_timeouts ?
		DROP : DELIVER;
}

static void test_read_last_lost_timeout(void **state)
{
	int i;

	(void)state;
	filter = drop_read_last;
	post_send(&A, SROCE_WR_READ, 0, 3 * 256, 0, 0, false);
	run();
	assert_memory_equal(A.mem, B.mem, 3 * 256);
	assert_int_equal(A.qp.stats.comp_timeouts, 1);
	/* The re-request asks for the last 256 bytes at PSN 102. */
	for (i = nlog - 1; i >= 0; i--)
		if (wlog[i].pkt.bth.opcode == ROCE_OP_READ_REQUEST)
			break;
	assert_int_equal(wlog[i].pkt.bth.psn, 102);
	assert_int_equal(wlog[i].pkt.reth.dma_len, 256);
	assert_int_equal(count_sent(&B, ROCE_OP_READ_RESPONSE_ONLY), 1);
	assert_int_equal(A.ncqe, 1);
	expect_quiet();
}

/* rxe answers a READ re-requested past its first PSN with MIDDLE...LAST. */
static void rxe_read_replay(struct node *from, struct sroce_pkt *pkt)
{
	u8 op = pkt->bth.opcode;

	if (from != &B || !B.qp.stats.resp_dup_read ||
	    (op != ROCE_OP_READ_RESPONSE_FIRST &&
	     op != ROCE_OP_READ_RESPONSE_ONLY))
		return;
	pkt->bth.opcode = op == ROCE_OP_READ_RESPONSE_FIRST ?
			  ROCE_OP_READ_RESPONSE_MIDDLE :
			  ROCE_OP_READ_RESPONSE_LAST;
	pkt->info = roce_opcode_info(pkt->bth.opcode);
}

/*
 * Found against rxe (tests/linuxvm/test_rdma_interop.py, e1000): a lost
 * READ response made every later one a "bad response", and the READ
 * crawled through hundreds of timeouts, because the tail's answer did not
 * start with FIRST.  A tail answered MIDDLE...LAST, or LAST alone, must
 * complete the READ after one re-request each.
 */
static void test_read_tail_replayed_as_rxe(void **state)
{
	u64 sid;

	(void)state;
	filter = drop_read_resp_1;
	rewrite = rxe_read_replay;
	sid = post_send(&A, SROCE_WR_READ, 0, 5 * 256, 1024, 0, false);
	run();
	assert_memory_equal(A.mem, B.mem + 1024, 5 * 256);
	expect_cqe(&A, 0, sid, SROCE_WC_SUCCESS, SROCE_WC_READ, 1280);
	assert_int_equal(A.qp.stats.comp_retries, 1);
	assert_int_equal(A.qp.stats.comp_bad_resp, 0);
	assert_int_equal(count_sent(&B, ROCE_OP_READ_RESPONSE_FIRST), 1);
	assert_int_equal(count_sent(&B, ROCE_OP_READ_RESPONSE_MIDDLE), 3 + 3);
	expect_quiet();

	/* The last packet alone: LAST, not ONLY. */
	connect();
	filter = drop_read_last;
	rewrite = rxe_read_replay;
	sid = post_send(&A, SROCE_WR_READ, 0, 3 * 256, 0, 0, false);
	run();
	assert_memory_equal(A.mem, B.mem, 3 * 256);
	expect_cqe(&A, 0, sid, SROCE_WC_SUCCESS, SROCE_WC_READ, 768);
	assert_int_equal(A.qp.stats.comp_timeouts, 1);
	assert_int_equal(A.qp.stats.comp_bad_resp, 0);
	assert_int_equal(count_sent(&B, ROCE_OP_READ_RESPONSE_ONLY), 0);
	assert_int_equal(count_sent(&B, ROCE_OP_READ_RESPONSE_LAST), 2);
	expect_quiet();
}

/* ---- RNR ------------------------------------------------------------ */

static bool post_recv_once(void)
{
	if (B.qp.rq_head != B.qp.rq_tail || B.ncqe || !A.qp.rnr_wait)
		return false;
	post_recv(&B, 0, 4096);
	return true;
}

static void test_rnr_then_success(void **state)
{
	u64 sid;

	(void)state;
	idle_hook = post_recv_once;
	sid = post_send(&A, SROCE_WR_SEND, 0, 2 * 256, 0, 0, false);
	run();
	assert_memory_equal(B.mem, A.mem, 512);
	expect_cqe(&A, 0, sid, SROCE_WC_SUCCESS, SROCE_WC_SEND, 512);
	assert_int_equal(B.ncqe, 1);
	assert_int_equal(B.qp.stats.resp_rnr_naks, 1);
	assert_int_equal(count_syndrome(&B, 0x20 | 1), 1);
	assert_int_equal(A.qp.stats.comp_rnr_naks, 1);
	/* The LAST behind the refused FIRST was dropped without a second
	 * NAK (one NAK per ePSN). */
	assert_int_equal(B.qp.stats.resp_ahead, 1);
	assert_int_equal(B.qp.stats.resp_nak_seq, 0);
	/* Waited the RNR time (code 1 = 10 us), no retry counted. */
	assert_true(now >= roce_rnr_timer_usec(1));
	assert_int_equal(A.qp.stats.comp_retries, 0);
	assert_int_equal(A.qp.rnr_left, 3);
	expect_quiet();
}

static void test_rnr_exhausted(void **state)
{
	u64 s1, s2;

	(void)state;
	attr_a.rnr_retry = 2;
	connect();
	s1 = post_send(&A, SROCE_WR_SEND, 0, 100, 0, 0, false);
	s2 = post_send(&A, SROCE_WR_WRITE, 0, 100, 0, 0, false);
	run();
	/* 1 + 2 retries, then the error; the WRITE is flushed. */
	assert_int_equal(B.qp.stats.resp_rnr_naks, 3);
	expect_cqe(&A, 0, s1, SROCE_WC_RNR_RETRY_EXC_ERR, 0, 0);
	expect_cqe(&A, 1, s2, SROCE_WC_WR_FLUSH_ERR, 0, 0);
	assert_int_equal(A.ncqe, 2);
	assert_true(A.qp.error);
	assert_int_equal(sroce_post_send(&A.qp, &A.sq[0]), -ENOTCONN);
	assert_false(A.timer_on[SROCE_TIMER_RETRANS]);
	assert_false(A.timer_on[SROCE_TIMER_RNR]);
}

/* ---- retry exhaustion ----------------------------------------------- */

static void test_retry_exhausted(void **state)
{
	u64 s1, s2;

	(void)state;
	filter = drop_from_a;
	s1 = post_send(&A, SROCE_WR_WRITE, 0, 300, 0, 0, false);
	s2 = post_send(&A, SROCE_WR_READ, 0, 300, 0, 0, false);
	run();
	/* retry_cnt 3: 4 timeouts, the 4th fails the oldest WQE. */
	assert_int_equal(A.qp.stats.comp_timeouts, 4);
	assert_int_equal(A.qp.stats.comp_retries, 3);
	expect_cqe(&A, 0, s1, SROCE_WC_RETRY_EXC_ERR, 0, 0);
	expect_cqe(&A, 1, s2, SROCE_WC_WR_FLUSH_ERR, 0, 0);
	assert_true(A.qp.error);
	assert_int_equal(now, 4 * roce_ack_timeout_usec(10));
	assert_int_equal(B.qp.stats.resp_pkts, 0);
}

static enum action drop_first_ten_from_a(const struct log_entry *e,
					 int index)
{
	static int n;

	if (index == 0)
		n = 0;
	return e->from == &A && n++ < 10 ? DROP : DELIVER;
}

static void test_retry_infinite(void **state)
{
	u64 sid;

	(void)state;
	attr_a.retry_cnt = 7;
	connect();
	filter = drop_first_ten_from_a;
	sid = post_send(&A, SROCE_WR_WRITE, 0, 300, 0, 0, false);
	run();
	expect_cqe(&A, 0, sid, SROCE_WC_SUCCESS, SROCE_WC_WRITE, 300);
	assert_true(A.qp.stats.comp_timeouts >= 5);
	expect_quiet();
}

/* ---- errors from the responder -------------------------------------- */

static void test_remote_access_error(void **state)
{
	u64 s1, s2, rid;

	(void)state;
	rid = post_recv(&B, 0, 64);
	s1 = post_send(&A, SROCE_WR_WRITE, 0, 300, 0, 0, false);
	s2 = post_send(&A, SROCE_WR_SEND, 0, 10, 0, 0, false);
	B.rkey = 0xbad;
	run();
	assert_int_equal(count_syndrome(&B, 0x62), 1);
	expect_cqe(&A, 0, s1, SROCE_WC_REM_ACCESS_ERR, 0, 0);
	expect_cqe(&A, 1, s2, SROCE_WC_WR_FLUSH_ERR, 0, 0);
	assert_true(A.qp.error);
	assert_true(B.qp.error);
	expect_cqe(&B, 0, rid, SROCE_WC_WR_FLUSH_ERR, 0, 0);
	/* Out of bounds, and READ without the right, fail the same way. */
	connect();
	post_send(&A, SROCE_WR_WRITE, 0, 300, MEM_SIZE - 100, 0, false);
	run();
	assert_int_equal(A.cqe[0].status, SROCE_WC_REM_ACCESS_ERR);
	connect();
	B.mr_access = SROCE_ACCESS_REMOTE_WRITE;
	post_send(&A, SROCE_WR_READ, 0, 300, 0, 0, false);
	run();
	assert_int_equal(A.cqe[0].status, SROCE_WC_REM_ACCESS_ERR);
}

static void test_invalid_requests(void **state)
{
	u64 rid, sid;

	(void)state;
	/* A SEND longer than the receive buffer. */
	rid = post_recv(&B, 0, 300);
	sid = post_send(&A, SROCE_WR_SEND, 0, 600, 0, 0, false);
	run();
	expect_cqe(&B, 0, rid, SROCE_WC_LOC_LEN_ERR, 0, 0);
	expect_cqe(&A, 0, sid, SROCE_WC_REM_INV_REQ_ERR, 0, 0);
	assert_int_equal(count_syndrome(&B, 0x61), 1);
	/* RDMA on a QP that does not allow it. */
	attr_b.access = 0;
	connect();
	sid = post_send(&A, SROCE_WR_WRITE, 0, 10, 0, 0, false);
	run();
	expect_cqe(&A, 0, sid, SROCE_WC_REM_INV_REQ_ERR, 0, 0);
}

/* Hand-made packets into B's responder: opcode sequence and lengths. */
static void inject(struct node *to, u8 opcode, u32 psn, u32 paylen,
		   bool ackreq)
{
	static u8 data[SROCE_MAX_PMTU];
	struct sroce_pkt d;

	sroce_pkt_init(&to->peer->qp, &d, opcode, psn);
	d.bth.ackreq = ackreq;
	d.reth = (struct roce_reth_fields){ MR_VA, to->rkey, paylen };
	d.aeth.syndrome = roce_aeth_ack(ROCE_AETH_CREDIT_INVALID);
	d.payload = data;
	d.paylen = paylen;
	h_xmit(&to->peer->qp, &d);
	drain();
}

/* An ACKNOWLEDGE with @syndrome from @to's peer. */
static void inject_aeth(struct node *to, u32 psn, u8 syndrome)
{
	struct sroce_pkt d;

	sroce_pkt_init(&to->peer->qp, &d, ROCE_OP_ACKNOWLEDGE, psn);
	d.aeth.syndrome = syndrome;
	h_xmit(&to->peer->qp, &d);
	drain();
}

static void test_bad_opcode_sequences(void **state)
{
	static const struct { u8 op; u32 len; } bad[] = {
		{ ROCE_OP_SEND_MIDDLE, 256 },	/* no message open */
		{ ROCE_OP_WRITE_LAST, 10 },
		{ ROCE_OP_SEND_FIRST, 100 },	/* FIRST must be PMTU */
		{ ROCE_OP_WRITE_ONLY, 0 },	/* RETH says 0, carries 0: ok */
		{ ROCE_OP_FETCH_ADD, 0 },	/* atomics are refused */
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		connect();
		post_recv(&B, 0, 4096);
		if (bad[i].op == ROCE_OP_FETCH_ADD) {
			/* we cannot build one; B refuses it unseen */
			struct sroce_pkt p;

			sroce_pkt_init(&A.qp, &p, ROCE_OP_FETCH_ADD, 100);
			sroce_rc_rx(&B.qp, &p);
		} else {
			inject(&B, bad[i].op, 100, bad[i].len, true);
		}
		if (bad[i].op == ROCE_OP_WRITE_ONLY) {
			assert_false(B.qp.error);
			assert_int_equal(count_syndrome(&B, 0x1f), 1);
			continue;
		}
		if (!B.qp.error)
			fail_msg("case %u not refused", i);
		assert_int_equal(B.qp.stats.resp_nak_err, 1);
	}
	/* A MIDDLE of the wrong kind inside an open SEND. */
	connect();
	post_recv(&B, 0, 4096);
	inject(&B, ROCE_OP_SEND_FIRST, 100, 256, false);
	inject(&B, ROCE_OP_WRITE_MIDDLE, 101, 256, false);
	assert_true(B.qp.error);
	/* A WRITE whose packets add up to more than its RETH. */
	connect();
	inject(&B, ROCE_OP_WRITE_FIRST, 100, 256, false);	/* RETH 256 */
	assert_true(B.qp.error);
}

/* ---- completer corner cases ----------------------------------------- */

static void test_ghost_and_stale_acks(void **state)
{
	u64 sid;

	(void)state;
	filter = drop_from_a;
	sid = post_send(&A, SROCE_WR_SEND, 0, 10, 0, 0, false);
	filter = NULL;
	/* An ACK for PSN 101, never sent: ignored, nothing completes. */
	inject(&A, ROCE_OP_ACKNOWLEDGE, 101, 0, false);
	assert_int_equal(A.qp.stats.comp_ghost, 1);
	/* An ACK for 99, before anything outstanding: stale. */
	inject(&A, ROCE_OP_ACKNOWLEDGE, 99, 0, false);
	assert_int_equal(A.qp.stats.comp_stale, 1);
	assert_int_equal(A.ncqe, 0);
	/* The real one: PSN 100 acknowledged. */
	inject(&A, ROCE_OP_ACKNOWLEDGE, 100, 0, false);
	expect_cqe(&A, 0, sid, SROCE_WC_SUCCESS, SROCE_WC_SEND, 10);
	assert_int_equal(A.qp.una, 101);
}

/*
 * Found by fuzz_roce_rx: PSNs acknowledged after a rewind but before the
 * requester resent them were sent again, outside the window.
 */
static void test_no_resend_of_acked(void **state)
{
	int i, from;

	(void)state;
	filter = drop_from_a;
	post_send(&A, SROCE_WR_WRITE, 0, 4 * 256, 0, 0, false);
	from = nlog;				/* 100..103 sent, lost */
	inject_aeth(&A, 100, roce_aeth_rnr_nak(1));	/* go back to 100 ... */
	inject_aeth(&A, 101, roce_aeth_ack(0x1f));	/* ... 100, 101 are in */
	assert_int_equal(A.qp.una, 102);
	assert_true(A.qp.rnr_wait);
	fire_timer();					/* the RNR wait ends */
	for (i = from; i < nlog; i++)
		if (wlog[i].from == &A)
			assert_true(wlog[i].pkt.bth.psn >= 102);
	assert_int_equal(A.qp.stats.req_retrans_pkts, 2);
}

/*
 * Found by fuzz_roce_rx: a NAK (sequence or RNR) with a PSN inside a READ
 * moved una past responses that never came, and the re-request went out
 * behind una.
 */
static void test_nak_inside_read(void **state)
{
	int i;

	(void)state;
	filter = drop_from_a;
	post_send(&A, SROCE_WR_READ, 0, 3 * 256, 0, 0, false);
	inject_aeth(&A, 101, roce_aeth_nak(ROCE_NAK_PSN_SEQ));
	assert_int_equal(A.qp.una, 100);
	for (i = nlog - 1; i >= 0; i--)
		if (wlog[i].pkt.bth.opcode == ROCE_OP_READ_REQUEST)
			break;
	assert_int_equal(wlog[i].pkt.bth.psn, 100);
	assert_int_equal(wlog[i].pkt.reth.dma_len, 768);
	inject_aeth(&A, 102, roce_aeth_rnr_nak(1));
	assert_int_equal(A.qp.una, 100);
	assert_int_equal(A.qp.rnr_psn, 100);
}

static int p_drop, p_dup, p_hold;

static enum action random_faults(const struct log_entry *e, int index)
{
	u64 r = rng_below(100);

	if (r < (u64)p_drop)
		return DROP;
	if (r < (u64)(p_drop + p_dup))
		return DUP;
	if (r < (u64)(p_drop + p_dup + p_hold) && !held)
		return HOLD;
	return DELIVER;
}

static void test_random_faults(void **state)
{
	static u8 want_b[MEM_SIZE];
	const u32 stride = 1536;
	u64 ids[40];
	int i, round, nrecv;
	u32 len, off;

	(void)state;
	for (round = 0; round < 50; round++) {
		attr_a.retry_cnt = 7;
		attr_a.rnr_retry = 7;
		attr_a.pmtu = 256u << rng_below(3);
		attr_b.pmtu = attr_a.pmtu;
		attr_a.sq_psn = 0xffffff - (u32)rng_below(64);
		attr_b.rq_psn = attr_a.sq_psn;
		attr_a.max_unacked = 4 + (u32)rng_below(60);
		connect();
		p_drop = 10;
		p_dup = 5;
		p_hold = 5;
		filter = random_faults;
		memcpy(want_b, B.mem, MEM_SIZE);
		nrecv = 0;
		for (i = 0; i < 40; i++) {
			u8 op = rng_below(3) == 0 ? SROCE_WR_SEND :
				rng_below(2) ? SROCE_WR_WRITE : SROCE_WR_READ;

			len = (u32)rng_below(stride + 1);
			off = i * stride;	/* disjoint buffers */
			if (op == SROCE_WR_SEND) {
				post_recv(&B, off, stride);
				nrecv++;
			}
			if (op != SROCE_WR_READ)
				memcpy(want_b + off, A.mem + off, len);
			ids[i] = post_send(&A, op, off, len, off, 0, false);
			/* drain now and then so the SQ never overflows */
			if (i % 16 == 15)
				run();
		}
		run();
		filter = NULL;
		assert_int_equal(A.ncqe, 40);
		for (i = 0; i < 40; i++) {
			assert_int_equal(A.cqe[i].wr_id, ids[i]);
			assert_int_equal(A.cqe[i].status, SROCE_WC_SUCCESS);
		}
		assert_int_equal(B.ncqe, nrecv);
		for (i = 0; i < 40; i++) {
			off = i * stride;
			if (A.sq[i & 63].opcode == SROCE_WR_READ)
				assert_memory_equal(A.mem + off, B.mem + off,
						    A.sq[i & 63].length);
		}
		assert_memory_equal(B.mem, want_b, 40 * stride);
		expect_quiet();
		teardown(NULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_lose_middle_packet),
		T(test_duplicates_everywhere),
		T(test_replayed_requests),
		T(test_reordering),
		T(test_lost_ack),
		T(test_read_response_loss),
		T(test_read_last_lost_timeout),
		T(test_read_tail_replayed_as_rxe),
		T(test_rnr_then_success),
		T(test_rnr_exhausted),
		T(test_retry_exhausted),
		T(test_retry_infinite),
		T(test_remote_access_error),
		T(test_invalid_requests),
		T(test_bad_opcode_sequences),
		T(test_ghost_and_stale_acks),
		T(test_no_resend_of_acked),
		T(test_nak_inside_read),
		T(test_random_faults),
#undef T
	};

	host_test_seed("sroce_faults");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
