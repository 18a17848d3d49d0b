// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for drivers/infiniband/core/qp_state.c: the RC QP state
 * transition table and the attribute range checks.
 *
 * The expected table below is written out from the IBA's Modify QP
 * attribute lists (RC column), one row per valid transition; every other
 * (current, next) pair must be refused whatever the mask.  For each valid
 * transition the test takes its exact required set, then drops each
 * required bit in turn (missing: -EINVAL), adds each optional bit (fine,
 * or -EOPNOTSUPP for the APM ones we do not implement) and each bit that
 * is neither (extra: -EINVAL).
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/errno.h>
#include <lego/kernel.h>

#include "../../drivers/infiniband/core/internal.h"

#define R	IB_QPS_RESET
#define I	IB_QPS_INIT
#define RTR	IB_QPS_RTR
#define RTS	IB_QPS_RTS
#define SQD	IB_QPS_SQD
#define SQE	IB_QPS_SQE
#define E	IB_QPS_ERR

struct row {
	enum ib_qp_state cur, next;
	int req, opt;
};

static const struct row spec[] = {
	{ R, R, 0, 0 }, { R, E, 0, 0 },
	{ R, I, IB_QP_PKEY_INDEX | IB_QP_PORT | IB_QP_ACCESS_FLAGS, 0 },
	{ I, R, 0, 0 }, { I, E, 0, 0 },
	{ I, I, 0, IB_QP_PKEY_INDEX | IB_QP_PORT | IB_QP_ACCESS_FLAGS },
	{ I, RTR, IB_QP_AV | IB_QP_PATH_MTU | IB_QP_DEST_QPN | IB_QP_RQ_PSN |
		  IB_QP_MAX_DEST_RD_ATOMIC | IB_QP_MIN_RNR_TIMER,
	  IB_QP_ALT_PATH | IB_QP_ACCESS_FLAGS | IB_QP_PKEY_INDEX },
	{ RTR, R, 0, 0 }, { RTR, E, 0, 0 },
	{ RTR, RTS, IB_QP_SQ_PSN | IB_QP_TIMEOUT | IB_QP_RETRY_CNT |
		    IB_QP_RNR_RETRY | IB_QP_MAX_QP_RD_ATOMIC,
	  IB_QP_CUR_STATE | IB_QP_ALT_PATH | IB_QP_ACCESS_FLAGS |
	  IB_QP_MIN_RNR_TIMER | IB_QP_PATH_MIG_STATE },
	{ RTS, R, 0, 0 }, { RTS, E, 0, 0 },
	{ RTS, RTS, 0, IB_QP_CUR_STATE | IB_QP_ACCESS_FLAGS | IB_QP_ALT_PATH |
		       IB_QP_PATH_MIG_STATE | IB_QP_MIN_RNR_TIMER },
	{ RTS, SQD, 0, IB_QP_EN_SQD_ASYNC_NOTIFY },
	{ SQD, R, 0, 0 }, { SQD, E, 0, 0 },
	{ SQD, RTS, 0, IB_QP_CUR_STATE | IB_QP_ALT_PATH | IB_QP_ACCESS_FLAGS |
		       IB_QP_MIN_RNR_TIMER | IB_QP_PATH_MIG_STATE },
	{ SQD, SQD, 0, IB_QP_PKEY_INDEX | IB_QP_PORT | IB_QP_AV |
		       IB_QP_TIMEOUT | IB_QP_RETRY_CNT | IB_QP_RNR_RETRY |
		       IB_QP_MAX_QP_RD_ATOMIC | IB_QP_MAX_DEST_RD_ATOMIC |
		       IB_QP_ALT_PATH | IB_QP_ACCESS_FLAGS |
		       IB_QP_MIN_RNR_TIMER | IB_QP_PATH_MIG_STATE },
	{ SQE, R, 0, 0 }, { SQE, E, 0, 0 }, { SQE, RTS, 0, IB_QP_CUR_STATE },
	{ E, R, 0, 0 }, { E, E, 0, 0 },
};

static const struct row *find_row(enum ib_qp_state cur, enum ib_qp_state next)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spec); i++)
		if (spec[i].cur == cur && spec[i].next == next)
			return &spec[i];
	return NULL;
}

static int check(enum ib_qp_state cur, enum ib_qp_state next, int mask)
{
	return ib_qp_check_transition(cur, next, IB_QPT_RC, mask);
}

/* The table in qp_state.c says exactly what the spec rows say. */
static void test_table_matches_spec(void **state)
{
	int cur, next;

	(void)state;
	for (cur = 0; cur < IB_QPS_NR; cur++) {
		for (next = 0; next < IB_QPS_NR; next++) {
			const struct row *r = find_row(cur, next);

			assert_int_equal(ib_qp_transition_valid(cur, next), !!r);
			assert_int_equal(ib_qp_required_mask(cur, next),
					 r ? r->req : 0);
			assert_int_equal(ib_qp_optional_mask(cur, next),
					 r ? r->opt : 0);
		}
	}
}

/* Every invalid transition fails, whatever the mask. */
static void test_invalid_transitions(void **state)
{
	int cur, next, bit;

	(void)state;
	for (cur = 0; cur < IB_QPS_NR; cur++) {
		for (next = 0; next < IB_QPS_NR; next++) {
			if (find_row(cur, next))
				continue;
			assert_int_equal(check(cur, next, IB_QP_STATE), -EINVAL);
			for (bit = 0; bit <= 20; bit++)
				assert_int_equal(check(cur, next, IB_QP_STATE | 1 << bit),
						 -EINVAL);
		}
	}
	/* out-of-range states */
	assert_int_equal(check(IB_QPS_NR, R, IB_QP_STATE), -EINVAL);
	assert_int_equal(check(R, IB_QPS_NR, IB_QP_STATE), -EINVAL);
	assert_int_equal(check(-1, R, IB_QP_STATE), -EINVAL);
}

/* Each valid transition: exact, minus each required, plus each other bit. */
static void test_every_mask_bit(void **state)
{
	size_t i;
	int bit;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(spec); i++) {
		const struct row *r = &spec[i];
		int base = IB_QP_STATE | r->req;

		assert_int_equal(check(r->cur, r->next, base), 0);
		for (bit = 1; bit <= 20; bit++) {
			int b = 1 << bit;
			int want;

			if (r->req & b)
				want = -EINVAL;		/* missing */
			else if (!(r->opt & b))
				want = -EINVAL;		/* extra */
			else if (b & (IB_QP_ALT_PATH | IB_QP_PATH_MIG_STATE))
				want = -EOPNOTSUPP;	/* APM */
			else
				want = 0;
			assert_int_equal(check(r->cur, r->next, base ^ b), want);
		}
		/* all optional attributes at once (without APM) */
		assert_int_equal(check(r->cur, r->next, base | (r->opt &
				 ~(IB_QP_ALT_PATH | IB_QP_PATH_MIG_STATE))), 0);
	}
	/* bits above IB_QP_DEST_QPN are unknown */
	assert_int_equal(check(R, I, IB_QP_STATE | IB_QP_PKEY_INDEX | IB_QP_PORT |
			       IB_QP_ACCESS_FLAGS | 1 << 21), -EINVAL);
	assert_int_equal(check(RTS, RTS, 1 << 30), -EINVAL);
}

/* The transitions the brief names, with Linux-style masks. */
static void test_named_transitions(void **state)
{
	const int init = IB_QP_STATE | IB_QP_PKEY_INDEX | IB_QP_PORT |
			 IB_QP_ACCESS_FLAGS;
	const int rtr = IB_QP_STATE | IB_QP_AV | IB_QP_PATH_MTU |
			IB_QP_DEST_QPN | IB_QP_RQ_PSN |
			IB_QP_MAX_DEST_RD_ATOMIC | IB_QP_MIN_RNR_TIMER;
	const int rts = IB_QP_STATE | IB_QP_SQ_PSN | IB_QP_TIMEOUT |
			IB_QP_RETRY_CNT | IB_QP_RNR_RETRY |
			IB_QP_MAX_QP_RD_ATOMIC;
	int s;

	(void)state;
	assert_true(ib_modify_qp_is_ok(R, I, IB_QPT_RC, init));
	assert_true(ib_modify_qp_is_ok(I, RTR, IB_QPT_RC, rtr));
	assert_true(ib_modify_qp_is_ok(RTR, RTS, IB_QPT_RC, rts));
	assert_false(ib_modify_qp_is_ok(R, I, IB_QPT_UD, init));
	assert_int_equal(ib_qp_check_transition(R, I, IB_QPT_UC, init),
			 -EOPNOTSUPP);
	assert_false(ib_modify_qp_is_ok(I, RTR, IB_QPT_RC, rts));
	assert_false(ib_modify_qp_is_ok(R, RTR, IB_QPT_RC, rtr));
	assert_false(ib_modify_qp_is_ok(R, RTS, IB_QPT_RC, IB_QP_STATE));
	assert_false(ib_modify_qp_is_ok(I, RTS, IB_QPT_RC, rts));
	assert_false(ib_modify_qp_is_ok(RTR, RTS, IB_QPT_RC, rts | IB_QP_QKEY));
	assert_false(ib_modify_qp_is_ok(RTR, RTS, IB_QPT_RC, rts | IB_QP_CAP));
	/* any state -> ERR and -> RESET with nothing else */
	for (s = 0; s < IB_QPS_NR; s++) {
		assert_true(ib_modify_qp_is_ok(s, E, IB_QPT_RC, IB_QP_STATE));
		assert_true(ib_modify_qp_is_ok(s, R, IB_QPT_RC, IB_QP_STATE));
		assert_false(ib_modify_qp_is_ok(s, E, IB_QPT_RC,
						IB_QP_STATE | IB_QP_PORT));
	}
	/* without IB_QP_STATE the transition is to the same state */
	assert_true(ib_modify_qp_is_ok(RTS, RTS, IB_QPT_RC, IB_QP_MIN_RNR_TIMER));
	assert_false(ib_modify_qp_is_ok(RTR, RTR, IB_QPT_RC, IB_QP_MIN_RNR_TIMER));
}

static const struct ib_qp_limits lim = {
	.port_cnt = 2, .max_rd_atomic = 4, .max_dest_rd_atomic = 8,
};

static int values(const struct ib_qp_attr *a, int mask)
{
	return ib_qp_check_attr_values(a, mask, &lim);
}

/* Each attribute at its last valid value and one past it. */
static void test_attr_ranges(void **state)
{
	struct ib_qp_attr a;

	(void)state;
#define EDGE(mask, field, good, bad) do {				\
		memset(&a, 0, sizeof(a));				\
		a.field = (good);					\
		assert_int_equal(values(&a, mask), 0);			\
		a.field = (bad);					\
		assert_int_equal(values(&a, mask), -EINVAL);		\
		assert_int_equal(values(&a, 0), 0);	/* unmasked: ignored */ \
	} while (0)
	EDGE(IB_QP_STATE, qp_state, IB_QPS_ERR, IB_QPS_NR);
	EDGE(IB_QP_CUR_STATE, cur_qp_state, IB_QPS_ERR, IB_QPS_NR);
	EDGE(IB_QP_EN_SQD_ASYNC_NOTIFY, en_sqd_async_notify, 1, 2);
	EDGE(IB_QP_ACCESS_FLAGS, qp_access_flags, IB_ACCESS_LOCAL_WRITE |
	     IB_ACCESS_REMOTE, IB_ACCESS_MW_BIND);
	EDGE(IB_QP_PKEY_INDEX, pkey_index, 0, IB_PKEY_TABLE_LEN);
	EDGE(IB_QP_PORT, port_num, 2, 3);
	EDGE(IB_QP_PORT, port_num, 1, 0);
	EDGE(IB_QP_PATH_MTU, path_mtu, IB_MTU_4096, IB_MTU_4096 + 1);
	EDGE(IB_QP_PATH_MTU, path_mtu, IB_MTU_256, 0);
	EDGE(IB_QP_TIMEOUT, timeout, 31, 32);
	EDGE(IB_QP_RETRY_CNT, retry_cnt, 7, 8);
	EDGE(IB_QP_RNR_RETRY, rnr_retry, 7, 8);
	EDGE(IB_QP_RQ_PSN, rq_psn, 0xffffff, 0x1000000);
	EDGE(IB_QP_SQ_PSN, sq_psn, 0xffffff, 0x1000000);
	EDGE(IB_QP_MIN_RNR_TIMER, min_rnr_timer, 31, 32);
	EDGE(IB_QP_MAX_QP_RD_ATOMIC, max_rd_atomic, 4, 5);
	EDGE(IB_QP_MAX_DEST_RD_ATOMIC, max_dest_rd_atomic, 8, 9);
	EDGE(IB_QP_DEST_QPN, dest_qp_num, 0xffffff, 0x1000000);
	EDGE(IB_QP_DEST_QPN, dest_qp_num, 2, 1);
#undef EDGE
}

static void test_av(void **state)
{
	struct ib_qp_attr a;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.ah_attr.type = RDMA_AH_ATTR_TYPE_ROCE;
	a.ah_attr.ah_flags = IB_AH_GRH;
	a.ah_attr.grh.sgid_index = IB_GID_TABLE_LEN - 1;
	a.ah_attr.grh.flow_label = 0xfffff;
	assert_int_equal(values(&a, IB_QP_AV), 0);
	a.ah_attr.grh.flow_label = 0x100000;
	assert_int_equal(values(&a, IB_QP_AV), -EINVAL);
	a.ah_attr.grh.flow_label = 0;
	a.ah_attr.grh.sgid_index = IB_GID_TABLE_LEN;
	assert_int_equal(values(&a, IB_QP_AV), -EINVAL);
	a.ah_attr.grh.sgid_index = 0;
	a.ah_attr.ah_flags = 0;			/* RoCE without GRH */
	assert_int_equal(values(&a, IB_QP_AV), -EINVAL);
	a.ah_attr.type = RDMA_AH_ATTR_TYPE_IB;	/* IB may go without */
	assert_int_equal(values(&a, IB_QP_AV), 0);
	a.ah_attr.sl = 16;
	assert_int_equal(values(&a, IB_QP_AV), -EINVAL);
	a.ah_attr.sl = 0;
	a.ah_attr.ah_flags = 2;
	assert_int_equal(values(&a, IB_QP_AV), -EINVAL);
	a.ah_attr.ah_flags = 0;
	a.ah_attr.type = RDMA_AH_ATTR_TYPE_UNDEFINED;
	assert_int_equal(values(&a, IB_QP_AV), -EINVAL);
}

static void test_post_states_and_names(void **state)
{
	static const bool send[IB_QPS_NR] = {
		[RTS] = true, [SQD] = true, [SQE] = true, [E] = true,
	};
	int s;

	(void)state;
	for (s = 0; s < IB_QPS_NR; s++) {
		assert_int_equal(ib_qp_state_can_post_send(s), send[s]);
		assert_int_equal(ib_qp_state_can_post_recv(s), s != R);
		assert_string_not_equal(ib_qp_state_name(s), "?");
	}
	assert_string_equal(ib_qp_state_name(RTR), "RTR");
	assert_string_equal(ib_qp_state_name(IB_QPS_NR), "?");
	assert_false(ib_qp_state_can_post_recv(IB_QPS_NR));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_matches_spec),
		cmocka_unit_test(test_invalid_transitions),
		cmocka_unit_test(test_every_mask_bit),
		cmocka_unit_test(test_named_transitions),
		cmocka_unit_test(test_attr_ranges),
		cmocka_unit_test(test_av),
		cmocka_unit_test(test_post_states_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
