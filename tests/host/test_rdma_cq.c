// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for drivers/infiniband/core/cq.c: the completion ring.
 *
 * Fill to capacity, overrun (the CQ enters ERROR once, the event is
 * logged and delivered once, then every push and poll fails), poll order
 * against a model FIFO under random pushes and partial polls that wrap
 * the ring many times, notification arming (NEXT_COMP, SOLICITED, missed
 * events), argument checks, and destroy refused while a QP uses the CQ.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/errno.h>
#include <lego/kernel.h>

#include "../../drivers/infiniband/core/internal.h"
#include "../../drivers/infiniband/core/verbs_fake.h"
#include "host_stubs.h"
#include "rdma_host.h"

struct fixture {
	long live;
	struct ib_device *dev;
};

static int cq_events, comp_calls;
static struct ib_cq *last_event_cq;

static void event_handler(struct ib_event *ev, void *ctx)
{
	(void)ctx;
	assert_int_equal(ev->event, IB_EVENT_CQ_ERR);
	last_event_cq = ev->element.cq;
	cq_events++;
}

static void comp_handler(struct ib_cq *cq, void *ctx)
{
	(void)cq;
	(void)ctx;
	comp_calls++;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->live = rdma_host_live_objects();
	f->dev = vloop_create("vloop%d", NULL);
	assert_non_null(f->dev);
	cq_events = comp_calls = 0;
	last_event_cq = NULL;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(vloop_destroy(f->dev), 0);
	assert_int_equal(rdma_host_live_objects(), f->live);
	free(f);
	return 0;
}

static struct ib_cq *make_cq(struct fixture *f, unsigned int cqe,
			     ib_comp_handler h)
{
	struct ib_cq_init_attr ca = { .cqe = cqe };
	struct ib_cq *cq = ib_create_cq(f->dev, h, event_handler, f, &ca);

	assert_false(IS_ERR(cq));
	return cq;
}

static int push(struct ib_cq *cq, u64 id, enum ib_wc_status st, bool sol)
{
	struct ib_wc wc = { .wr_id = id, .status = st, .byte_len = (u32)id };

	return ib_cq_push_wc(cq, &wc, sol);
}

static void test_fill_and_overrun(void **state)
{
	struct fixture *f = *state;
	struct ib_cq *cq = make_cq(f, 8, NULL);
	struct ib_wc wc[16];
	int i;

	host_printk_reset();
	for (i = 0; i < 8; i++)
		assert_int_equal(push(cq, i, IB_WC_SUCCESS, false), 0);
	assert_int_equal(cq->count, 8);
	assert_int_equal(cq->state, IB_CQ_STATE_OK);
	assert_int_equal(push(cq, 8, IB_WC_SUCCESS, false), -EOVERFLOW);
	assert_int_equal(cq->state, IB_CQ_STATE_ERROR);
	assert_int_equal(cq_events, 1);
	assert_ptr_equal(last_event_cq, cq);
	assert_true(host_printk_contains("overrun"));
	/* nothing more gets in or out, and the event is not repeated */
	assert_int_equal(push(cq, 9, IB_WC_SUCCESS, false), -EIO);
	assert_int_equal(ib_poll_cq(cq, 16, wc), -EIO);
	assert_int_equal(ib_req_notify_cq(cq, IB_CQ_NEXT_COMP), -EINVAL);
	assert_int_equal(ib_cq_arm(cq, IB_CQ_NEXT_COMP), -EIO);
	assert_int_equal(cq_events, 1);
	assert_int_equal(cq->overflows, 1);
	assert_int_equal(ib_destroy_cq(cq), 0);
}

static void test_fill_drain_exact(void **state)
{
	struct fixture *f = *state;
	struct ib_cq *cq = make_cq(f, 1, NULL);
	struct ib_wc wc[2];
	int round;

	for (round = 0; round < 5; round++) {
		assert_int_equal(push(cq, round, IB_WC_SUCCESS, false), 0);
		assert_int_equal(ib_poll_cq(cq, 2, wc), 1);
		assert_int_equal(wc[0].wr_id, round);
		assert_int_equal(ib_poll_cq(cq, 2, wc), 0);
	}
	assert_int_equal(push(cq, 1, IB_WC_SUCCESS, false), 0);
	assert_int_equal(push(cq, 2, IB_WC_SUCCESS, false), -EOVERFLOW);
	assert_int_equal(ib_destroy_cq(cq), 0);
}

/* Random pushes and partial polls against a FIFO model. */
static void test_poll_order(void **state)
{
	struct fixture *f = *state;
	const unsigned int cqe = 5;
	struct ib_cq *cq = make_cq(f, cqe, NULL);
	u64 next_push = 0, next_pop = 0;
	struct ib_wc wc[8];
	int step, i, n;

	host_test_seed("rdma_cq poll order");
	for (step = 0; step < 20000; step++) {
		if (rng_below(2) && next_push - next_pop < cqe) {
			assert_int_equal(push(cq, next_push, rng_below(3) ?
					      IB_WC_SUCCESS : IB_WC_LOC_LEN_ERR,
					      false), 0);
			next_push++;
			continue;
		}
		n = ib_poll_cq(cq, 1 + rng_below(7), wc);
		assert_true(n >= 0);
		assert_true((u64)n <= next_push - next_pop);
		for (i = 0; i < n; i++) {
			assert_int_equal(wc[i].wr_id, next_pop);
			assert_int_equal(wc[i].byte_len, (u32)next_pop);
			next_pop++;
		}
		assert_int_equal(cq->count, next_push - next_pop);
	}
	assert_true(next_pop > 1000);
	assert_int_equal(cq->state, IB_CQ_STATE_OK);
	assert_int_equal(ib_destroy_cq(cq), 0);
}

static void test_arming(void **state)
{
	struct fixture *f = *state;
	struct ib_cq *cq = make_cq(f, 16, comp_handler);
	struct ib_wc wc[16];

	/* disarmed: pushes call nobody */
	assert_int_equal(push(cq, 0, IB_WC_SUCCESS, true), 0);
	assert_int_equal(comp_calls, 0);
	/* NEXT_COMP: the next push fires once */
	assert_int_equal(ib_req_notify_cq(cq, IB_CQ_NEXT_COMP), 0);
	assert_int_equal(push(cq, 1, IB_WC_SUCCESS, false), 0);
	assert_int_equal(push(cq, 2, IB_WC_SUCCESS, false), 0);
	assert_int_equal(comp_calls, 1);
	/* missed events: completions already waiting */
	assert_int_equal(ib_req_notify_cq(cq, IB_CQ_NEXT_COMP |
					  IB_CQ_REPORT_MISSED_EVENTS), 1);
	assert_int_equal(ib_poll_cq(cq, 16, wc), 3);
	assert_int_equal(ib_req_notify_cq(cq, IB_CQ_NEXT_COMP |
					  IB_CQ_REPORT_MISSED_EVENTS), 0);
	assert_int_equal(push(cq, 3, IB_WC_SUCCESS, false), 0);
	assert_int_equal(comp_calls, 2);
	/* SOLICITED: only a solicited or unsuccessful completion fires */
	assert_int_equal(ib_req_notify_cq(cq, IB_CQ_SOLICITED), 0);
	assert_int_equal(push(cq, 4, IB_WC_SUCCESS, false), 0);
	assert_int_equal(comp_calls, 2);
	assert_int_equal(push(cq, 5, IB_WC_SUCCESS, true), 0);
	assert_int_equal(comp_calls, 3);
	assert_int_equal(ib_req_notify_cq(cq, IB_CQ_SOLICITED), 0);
	assert_int_equal(push(cq, 6, IB_WC_REM_ACCESS_ERR, false), 0);
	assert_int_equal(comp_calls, 4);
	/* SOLICITED after NEXT_COMP keeps the stronger NEXT_COMP */
	assert_int_equal(ib_req_notify_cq(cq, IB_CQ_NEXT_COMP), 0);
	assert_int_equal(ib_req_notify_cq(cq, IB_CQ_SOLICITED), 0);
	assert_int_equal(push(cq, 7, IB_WC_SUCCESS, false), 0);
	assert_int_equal(comp_calls, 5);
	/* bad flags */
	assert_int_equal(ib_req_notify_cq(cq, 0), -EINVAL);
	assert_int_equal(ib_req_notify_cq(cq, IB_CQ_SOLICITED_MASK), -EINVAL);
	assert_int_equal(ib_req_notify_cq(cq, IB_CQ_NEXT_COMP | 8), -EINVAL);
	assert_int_equal(ib_req_notify_cq(NULL, IB_CQ_NEXT_COMP), -EINVAL);
	assert_int_equal(ib_destroy_cq(cq), 0);
}

static void test_args_and_limits(void **state)
{
	struct fixture *f = *state;
	struct ib_cq_init_attr ca = { .cqe = 4 };
	struct ib_cq *cqs[32];
	struct ib_wc wc;
	int i, n;

	cqs[0] = make_cq(f, 4, NULL);
	assert_int_equal(ib_poll_cq(cqs[0], 0, NULL), 0);
	assert_int_equal(ib_poll_cq(cqs[0], -1, &wc), -EINVAL);
	assert_int_equal(ib_poll_cq(cqs[0], 1, NULL), -EINVAL);
	assert_int_equal(ib_poll_cq(NULL, 1, &wc), -EINVAL);
	assert_int_equal(ib_req_notify_cq(cqs[0], IB_CQ_NEXT_COMP), -EINVAL);
	assert_int_equal(ib_destroy_cq(cqs[0]), 0);
	assert_int_equal(PTR_ERR(ib_create_cq(f->dev, NULL, NULL, NULL, NULL)),
			 -EINVAL);
	ca.cqe = 0;
	assert_int_equal(PTR_ERR(ib_create_cq(f->dev, NULL, NULL, NULL, &ca)),
			 -EINVAL);
	ca.cqe = f->dev->attrs.max_cqe + 1;
	assert_int_equal(PTR_ERR(ib_create_cq(f->dev, NULL, NULL, NULL, &ca)),
			 -EINVAL);
	ca.cqe = 4;
	ca.flags = 1;
	assert_int_equal(PTR_ERR(ib_create_cq(f->dev, NULL, NULL, NULL, &ca)),
			 -EINVAL);
	ca.flags = 0;
	ca.comp_vector = 1;
	assert_int_equal(PTR_ERR(ib_create_cq(f->dev, NULL, NULL, NULL, &ca)),
			 -EINVAL);
	ca.comp_vector = 0;
	for (n = 0; n < 32; n++) {
		cqs[n] = ib_create_cq(f->dev, NULL, NULL, NULL, &ca);
		if (IS_ERR(cqs[n]))
			break;
	}
	assert_int_equal(n, f->dev->attrs.max_cq);
	assert_int_equal(PTR_ERR(cqs[n]), -ENOSPC);
	for (i = 0; i < n; i++)
		assert_int_equal(ib_destroy_cq(cqs[i]), 0);
	/* an allocation failure leaves nothing behind */
	rdma_host_fail_after(1);
	assert_int_equal(PTR_ERR(ib_create_cq(f->dev, NULL, NULL, NULL, &ca)),
			 -ENOMEM);
	rdma_host_fail_after(-1);
	assert_int_equal(atomic_read(&f->dev->core->nr_cq), 0);
}

static void test_report_error_and_busy(void **state)
{
	struct fixture *f = *state;
	struct ib_cq *cq = make_cq(f, 4, NULL);
	struct ib_pd *pd = ib_alloc_pd(f->dev, 0);
	struct ib_qp_init_attr ia = {
		.send_cq = cq, .recv_cq = cq, .qp_type = IB_QPT_RC,
	};
	struct ib_qp *qp = ib_create_qp(pd, &ia);
	struct ib_wc wc;

	assert_false(IS_ERR(qp));
	assert_int_equal(ib_destroy_cq(cq), -EBUSY);
	ib_cq_report_error(cq);
	ib_cq_report_error(cq);
	assert_int_equal(cq_events, 1);
	assert_int_equal(ib_poll_cq(cq, 1, &wc), -EIO);
	assert_int_equal(ib_destroy_qp(qp), 0);
	assert_int_equal(ib_destroy_cq(cq), 0);
	assert_int_equal(ib_dealloc_pd(pd), 0);
}

static void test_names(void **state)
{
	int s;

	(void)state;
	for (s = IB_WC_SUCCESS; s <= IB_WC_GENERAL_ERR; s++)
		assert_string_not_equal(ib_wc_status_msg(s), "unrecognized status");
	assert_string_equal(ib_wc_status_msg(IB_WC_WR_FLUSH_ERR), "WR flushed");
	assert_string_equal(ib_wc_status_msg(IB_WC_GENERAL_ERR + 1),
			    "unrecognized status");
	assert_string_equal(ib_wc_status_msg(-1), "unrecognized status");
	for (s = IB_EVENT_CQ_ERR; s <= IB_EVENT_GID_CHANGE; s++)
		assert_string_not_equal(ib_event_msg(s), "unrecognized event");
	assert_string_equal(ib_event_msg(IB_EVENT_GID_CHANGE + 1),
			    "unrecognized event");
	assert_string_equal(ib_cq_state_name(IB_CQ_STATE_ERROR), "ERROR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fill_and_overrun, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fill_drain_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arming, setup, teardown),
		cmocka_unit_test_setup_teardown(test_args_and_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_error_and_busy, setup, teardown),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
