/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scripted-wire harness of the RC engine host tests
 * (test_sroce_rc.c: clean paths; test_sroce_faults.c: loss, duplication,
 * reordering, RNR, retries and protocol errors).
 *
 * Node A (10.0.0.1, QPN 0x11) and node B (10.0.0.2, QPN 0x22) each own a
 * QP and 64 KiB of memory registered under one R_Key.  Every packet a QP
 * sends is encoded with the ICRC (sroce_build_buf), logged, passed
 * through the test's filter (drop, duplicate, hold back one = reorder)
 * and queued; run() delivers the queue through sroce_parse() - which must
 * accept everything the engines send - into sroce_rc_rx(), and when the
 * wire is quiet calls the test's idle hook, then fires the earliest
 * armed timer on a virtual clock.  So each test is a scripted packet
 * sequence with assertions on what crossed the wire, the memory, the
 * completions and the counters.
 *
 * Included by exactly one .c file per test program; its helpers are
 * static (a test program may leave some unused).
 */
#ifndef _TESTS_HOST_SROCE_RC_HARNESS_H
#define _TESTS_HOST_SROCE_RC_HARNESS_H
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/errno.h>
#include <lego/string.h>
#include <uapi/lego/roce.h>

#include "../../drivers/infiniband/sw/sroce/internal.h"
#include "../../drivers/infiniband/sw/sroce/psn.h"
#include "../../drivers/infiniband/sw/sroce/rc.h"

#define MEM_SIZE	(64 * 1024)
#define MR_VA		0x7f0000000000ULL	/* where the peer thinks it is */
#define MAX_CQE		512
#define MAX_LOG		8192
#define MAX_QUEUE	4096

enum action { DELIVER, DROP, DUP, HOLD };

struct node {
	const char *name;
	struct sroce_qp qp;
	struct sroce_send_wqe sq[64];
	struct sroce_recv_wqe rq[64];
	struct node *peer;
	__be32 ip;
	u8 mem[MEM_SIZE];
	u32 rkey;
	u32 mr_access;
	struct sroce_cqe cqe[MAX_CQE];
	int ncqe;
	bool timer_on[SROCE_NR_TIMERS];
	u64 deadline[SROCE_NR_TIMERS];
	int busy_left;			/* xmit returns -EBUSY this many times */
	struct sroce_rx_stats rxs;
	u32 max_outstanding;		/* largest psn - una seen at xmit */
	int trace_retry;		/* "comp RETRY" states entered */
};

struct wire_pkt {
	struct node *from, *to;
	struct sroce_l3 l3;
	u32 len;
	u8 bytes[SROCE_MAX_PKT_LEN];
};

/* What was sent, in order, decoded. */
struct log_entry {
	struct node *from;
	struct sroce_pkt pkt;		/* payload pointers are not kept */
};

static struct node A, B;
static struct wire_pkt *queue[MAX_QUEUE];
static int q_head, q_tail;
static struct wire_pkt *held;
static struct log_entry wlog[MAX_LOG];
static int nlog;			/* logged (the first MAX_LOG) */
static int nsent;			/* sent */
static u64 now;
static u16 ip_id;
static enum action (*filter)(const struct log_entry *e, int index);
/* Change what a node sends before it is encoded (another peer's habits). */
static void (*rewrite)(struct node *from, struct sroce_pkt *pkt);
static bool (*idle_hook)(void);

static __maybe_unused struct node *node_of(struct sroce_qp *qp)
{
	return qp == &A.qp ? &A : &B;
}

static __maybe_unused void enqueue(struct wire_pkt *w)
{
	assert_true(q_tail - q_head < MAX_QUEUE);
	queue[q_tail++ % MAX_QUEUE] = w;
}

static __maybe_unused struct wire_pkt *clone(const struct wire_pkt *w)
{
	struct wire_pkt *c = malloc(sizeof(*c));

	memcpy(c, w, sizeof(*c));
	return c;
}

static __maybe_unused int h_xmit(struct sroce_qp *qp, const struct sroce_pkt *pkt)
{
	struct node *n = node_of(qp);
	struct sroce_pkt copy;
	struct log_entry e;
	struct wire_pkt *w;
	enum action act;
	int len, idx;

	if (n->busy_left) {
		n->busy_left--;
		return -EBUSY;
	}
	if (rewrite) {
		copy = *pkt;
		rewrite(n, &copy);
		pkt = &copy;
	}
	if ((pkt->info & ROCE_F_REQ) &&
	    (u32)psn_diff(pkt->bth.psn, qp->una) + 1 > n->max_outstanding)
		n->max_outstanding = psn_diff(pkt->bth.psn, qp->una) + 1;
	w = malloc(sizeof(*w));
	w->from = n;
	w->to = n->peer;
	len = sroce_pkt_len(pkt);
	sroce_l3_tx(&w->l3, n->ip, n->peer->ip, 0xc000 | qp->attr.qpn, ip_id++,
		    len);
	assert_int_equal(sroce_build_buf(w->bytes, sizeof(w->bytes), pkt,
					 &w->l3), len);
	w->len = len;
	idx = nsent++;
	e.from = n;
	e.pkt = *pkt;
	e.pkt.payload = NULL;
	e.pkt.nfrag = 0;
	if (nlog < MAX_LOG)
		wlog[nlog++] = e;
	act = filter ? filter(&e, idx) : DELIVER;
	switch (act) {
	case DROP:
		free(w);
		break;
	case DUP:
		enqueue(w);
		enqueue(clone(w));
		break;
	case HOLD:
		assert_null(held);
		held = w;
		break;
	default:
		enqueue(w);
		if (held) {
			enqueue(held);
			held = NULL;
		}
	}
	return 0;
}

static __maybe_unused void h_complete(struct sroce_qp *qp, const struct sroce_cqe *cqe)
{
	struct node *n = node_of(qp);

	assert_true(n->ncqe < MAX_CQE);
	n->cqe[n->ncqe++] = *cqe;
}

static __maybe_unused int h_rkey_lookup(struct sroce_qp *qp, u32 rkey, u64 va, u32 len,
			 u32 access, void **addr)
{
	struct node *n = node_of(qp);

	if (rkey != n->rkey || (access & ~n->mr_access) || va < MR_VA ||
	    va - MR_VA > MEM_SIZE || len > MEM_SIZE - (va - MR_VA))
		return -EACCES;
	*addr = n->mem + (va - MR_VA);
	return 0;
}

static __maybe_unused void h_timer(struct sroce_qp *qp, enum sroce_timer which, u64 usec)
{
	struct node *n = node_of(qp);

	n->timer_on[which] = usec != 0;
	n->deadline[which] = now + usec;
}

static __maybe_unused void h_trace(struct sroce_qp *qp, const char *engine, const char *state)
{
	if (!strcmp(engine, "comp") && !strcmp(state, "RETRY"))
		node_of(qp)->trace_retry++;
}

static const struct sroce_rc_ops ops = {
	.xmit = h_xmit,
	.complete = h_complete,
	.rkey_lookup = h_rkey_lookup,
	.timer = h_timer,
	.trace = h_trace,
};

static struct sroce_qp_attr attr_a, attr_b;

/* Defaults: PMTU 256, timeout 10 (~4 ms), retry 3, rnr 3 (timer 1). */
static __maybe_unused void defaults(struct sroce_qp_attr *a, u32 qpn, u32 dqpn, u32 sq_psn,
		     u32 rq_psn)
{
	*a = (struct sroce_qp_attr){
		.qpn = qpn, .dest_qpn = dqpn, .sq_psn = sq_psn,
		.rq_psn = rq_psn, .pmtu = 256, .timeout = 10, .retry_cnt = 3,
		.rnr_retry = 3, .min_rnr_timer = 1, .max_rd_atomic = 4,
		.max_dest_rd_atomic = 4,
		.access = SROCE_ACCESS_REMOTE_WRITE | SROCE_ACCESS_REMOTE_READ,
	};
}

static __maybe_unused void setup_attrs(void)
{
	defaults(&attr_a, 0x11, 0x22, 100, 5000);
	defaults(&attr_b, 0x22, 0x11, 5000, 100);
}

static __maybe_unused void init_node(struct node *n, const char *name, struct node *peer,
		      __be32 ip, const struct sroce_qp_attr *attr)
{
	memset(n, 0, sizeof(*n));
	n->name = name;
	n->peer = peer;
	n->ip = ip;
	n->rkey = 0x1000 + attr->qpn;
	n->mr_access = SROCE_ACCESS_REMOTE_WRITE | SROCE_ACCESS_REMOTE_READ;
	rng_fill(n->mem, MEM_SIZE);
	assert_int_equal(sroce_qp_init(&n->qp, attr, &ops, n->sq, 64, n->rq,
				       64), 0);
}

/* Connect A and B with the current attr_a/attr_b. */
static __maybe_unused void connect(void)
{
	while (q_head != q_tail)
		free(queue[q_head++ % MAX_QUEUE]);
	free(held);
	held = NULL;
	q_head = q_tail = 0;
	nlog = 0;
	nsent = 0;
	now = 0;
	filter = NULL;
	rewrite = NULL;
	idle_hook = NULL;
	init_node(&A, "A", &B, 0x0100000a, &attr_a);
	init_node(&B, "B", &A, 0x0200000a, &attr_b);
}

static __maybe_unused int setup(void **state)
{
	(void)state;
	setup_attrs();
	connect();
	return 0;
}

static __maybe_unused int teardown(void **state)
{
	(void)state;
	while (q_head != q_tail)
		free(queue[q_head++ % MAX_QUEUE]);
	free(held);
	held = NULL;
	return 0;
}

static __maybe_unused bool fire_timer(void)
{
	struct node *best = NULL, *n;
	int which = 0, i, t;

	for (i = 0; i < 2; i++) {
		n = i ? &B : &A;
		for (t = 0; t < SROCE_NR_TIMERS; t++)
			if (n->timer_on[t] &&
			    (!best || n->deadline[t] < best->deadline[which])) {
				best = n;
				which = t;
			}
	}
	if (!best)
		return false;
	now = best->deadline[which];
	best->timer_on[which] = false;
	sroce_rc_timer(&best->qp, which);
	return true;
}

/* Deliver, idle, fire timers until nothing is left (or @max steps). */
static __maybe_unused void run_steps(int max)
{
	struct sroce_pkt pkt;
	struct wire_pkt *w;
	int steps;

	for (steps = 0; steps < max; steps++) {
		if (q_head != q_tail) {
			w = queue[q_head++ % MAX_QUEUE];
			assert_int_equal(sroce_parse(&w->l3, w->bytes, w->len,
						     w->to->qp.attr.pmtu, &pkt,
						     &w->to->rxs), 0);
			sroce_rc_rx(&w->to->qp, &pkt);
			free(w);
			continue;
		}
		if (held) {			/* nothing came after it */
			enqueue(held);
			held = NULL;
			continue;
		}
		if (idle_hook && idle_hook())
			continue;
		if (!fire_timer())
			return;
	}
	fail_msg("the wire never went quiet");
}

static __maybe_unused void run(void)
{
	run_steps(200000);
}

/* Deliver what is on the wire, and nothing else: no idle, no timers. */
static __maybe_unused void drain(void)
{
	struct sroce_pkt pkt;
	struct wire_pkt *w;

	while (q_head != q_tail) {
		w = queue[q_head++ % MAX_QUEUE];
		assert_int_equal(sroce_parse(&w->l3, w->bytes, w->len,
					     w->to->qp.attr.pmtu, &pkt,
					     &w->to->rxs), 0);
		sroce_rc_rx(&w->to->qp, &pkt);
		free(w);
	}
}

/* ---- helpers to post work ------------------------------------------ */

static u64 wr_ids;

static __maybe_unused u64 post_send(struct node *n, u8 opcode, u32 off, u32 len, u64 rva,
		     u32 imm, bool split)
{
	struct sroce_send_wqe wr = {
		.wr_id = ++wr_ids,
		.opcode = opcode,
		.flags = SROCE_SEND_SIGNALED,
		.num_sge = 1,
		.remote_va = MR_VA + rva,
		.rkey = n->peer->rkey,
		.imm = imm,
	};

	wr.sge[0] = (struct sroce_sge){ n->mem + off, len };
	if (split && len > 3) {		/* two SGEs, split off-MTU */
		wr.num_sge = 2;
		wr.sge[0].len = len / 3;
		wr.sge[1] = (struct sroce_sge){ n->mem + off + len / 3,
						len - len / 3 };
	}
	assert_int_equal(sroce_post_send(&n->qp, &wr), 0);
	return wr.wr_id;
}

static __maybe_unused u64 post_recv(struct node *n, u32 off, u32 len)
{
	struct sroce_recv_wqe wr = { .wr_id = ++wr_ids, .num_sge = 2 };

	wr.sge[0] = (struct sroce_sge){ n->mem + off, len / 2 };
	wr.sge[1] = (struct sroce_sge){ n->mem + off + len / 2,
					len - len / 2 };
	assert_int_equal(sroce_post_recv(&n->qp, &wr), 0);
	return wr.wr_id;
}

static __maybe_unused void expect_cqe(struct node *n, int i, u64 wr_id, int status,
		       int opcode, u32 byte_len)
{
	assert_true(i < n->ncqe);
	assert_int_equal(n->cqe[i].wr_id, wr_id);
	assert_int_equal(n->cqe[i].status, status);
	if (status == SROCE_WC_SUCCESS) {
		assert_int_equal(n->cqe[i].opcode, opcode);
		assert_int_equal(n->cqe[i].byte_len, byte_len);
	}
}

static __maybe_unused int count_sent(struct node *from, u8 opcode)
{
	int i, n = 0;

	for (i = 0; i < nlog; i++)
		n += wlog[i].from == from && wlog[i].pkt.bth.opcode == opcode;
	return n;
}

static __maybe_unused int count_syndrome(struct node *from, u8 syndrome)
{
	int i, n = 0;

	for (i = 0; i < nlog; i++)
		n += wlog[i].from == from &&
		     wlog[i].pkt.bth.opcode == ROCE_OP_ACKNOWLEDGE &&
		     wlog[i].pkt.aeth.syndrome == syndrome;
	return n;
}

static __maybe_unused void expect_quiet(void)
{
	assert_int_equal(A.qp.una, A.qp.sent_end);
	assert_int_equal(B.qp.una, B.qp.sent_end);
	assert_false(A.timer_on[SROCE_TIMER_RETRANS]);
	assert_false(B.timer_on[SROCE_TIMER_RETRANS]);
	assert_false(A.qp.error);
	assert_false(B.qp.error);
}

/* Filters shared by several tests. */

static __maybe_unused enum action drop_from_a(const struct log_entry *e, int index)
{
	return e->from == &A ? DROP : DELIVER;
}

static __maybe_unused enum action drop_first_two_acks(const struct log_entry *e, int index)
{
	static int n;

	if (index == 0)
		n = 0;
	return e->from == &B && e->pkt.bth.opcode == ROCE_OP_ACKNOWLEDGE &&
	       n++ < 2 ? DROP : DELIVER;
}

#endif /* _TESTS_HOST_SROCE_RC_HARNESS_H */
