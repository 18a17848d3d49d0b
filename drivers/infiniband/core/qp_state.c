// SPDX-License-Identifier: GPL-2.0
/*
 * The QP state machine as a table: which transitions exist, which
 * attributes each one requires and which it allows (IBA Vol. 1: the QP
 * states of 10.3 and the per-transition attribute lists of the Modify QP
 * verb, RC column), and the range of every attribute value.  Pure: no locks, no allocation, so
 * tests/host/test_rdma_qp_state.c checks every cell.
 *
 * ib_modify_qp() (qp.c) calls ib_qp_check_transition() and then
 * ib_qp_check_attr_values() before the provider sees anything.  Without
 * IB_QP_STATE in the mask the "transition" is from the current state to
 * itself, which only RESET, INIT, RTS and SQD (and ERR) allow.
 */
#include <lego/errno.h>
#include <lego/kernel.h>

#include "internal.h"

static const char *const qp_state_names[IB_QPS_NR] = {
	[IB_QPS_RESET]	= "RESET",
	[IB_QPS_INIT]	= "INIT",
	[IB_QPS_RTR]	= "RTR",
	[IB_QPS_RTS]	= "RTS",
	[IB_QPS_SQD]	= "SQD",
	[IB_QPS_SQE]	= "SQE",
	[IB_QPS_ERR]	= "ERR",
};

const char *ib_qp_state_name(enum ib_qp_state state)
{
	if ((unsigned int)state >= IB_QPS_NR)
		return "?";
	return qp_state_names[state];
}

struct qp_transition {
	bool valid;
	int req;	/* attributes the transition requires (besides STATE) */
	int opt;	/* attributes it allows */
};

/* Attributes an SQD -> SQD modify may change on RC. */
#define SQD_SQD_OPT	(IB_QP_PKEY_INDEX | IB_QP_PORT | IB_QP_AV |		\
			 IB_QP_TIMEOUT | IB_QP_RETRY_CNT | IB_QP_RNR_RETRY |	\
			 IB_QP_MAX_QP_RD_ATOMIC | IB_QP_MAX_DEST_RD_ATOMIC |	\
			 IB_QP_ALT_PATH | IB_QP_ACCESS_FLAGS |			\
			 IB_QP_MIN_RNR_TIMER | IB_QP_PATH_MIG_STATE)

/* [current][next] for RC; an empty cell is an invalid transition. */
static const struct qp_transition qp_table[IB_QPS_NR][IB_QPS_NR] = {
	[IB_QPS_RESET] = {
		[IB_QPS_RESET] = { .valid = true },
		[IB_QPS_ERR] = { .valid = true },
		/* the port, partition and what the peer may do to us */
		[IB_QPS_INIT] = {
			.valid = true,
			.req = IB_QP_PKEY_INDEX | IB_QP_PORT | IB_QP_ACCESS_FLAGS,
		},
	},
	[IB_QPS_INIT] = {
		[IB_QPS_RESET] = { .valid = true },
		[IB_QPS_ERR] = { .valid = true },
		[IB_QPS_INIT] = {
			.valid = true,
			.opt = IB_QP_PKEY_INDEX | IB_QP_PORT | IB_QP_ACCESS_FLAGS,
		},
		/* the responder side: path, peer QPN, expected PSN */
		[IB_QPS_RTR] = {
			.valid = true,
			.req = IB_QP_AV | IB_QP_PATH_MTU | IB_QP_DEST_QPN |
			       IB_QP_RQ_PSN | IB_QP_MAX_DEST_RD_ATOMIC |
			       IB_QP_MIN_RNR_TIMER,
			.opt = IB_QP_ALT_PATH | IB_QP_ACCESS_FLAGS |
			       IB_QP_PKEY_INDEX,
		},
	},
	[IB_QPS_RTR] = {
		[IB_QPS_RESET] = { .valid = true },
		[IB_QPS_ERR] = { .valid = true },
		/* the requester side: first PSN, timers, retries */
		[IB_QPS_RTS] = {
			.valid = true,
			.req = IB_QP_SQ_PSN | IB_QP_TIMEOUT | IB_QP_RETRY_CNT |
			       IB_QP_RNR_RETRY | IB_QP_MAX_QP_RD_ATOMIC,
			.opt = IB_QP_CUR_STATE | IB_QP_ALT_PATH |
			       IB_QP_ACCESS_FLAGS | IB_QP_MIN_RNR_TIMER |
			       IB_QP_PATH_MIG_STATE,
		},
	},
	[IB_QPS_RTS] = {
		[IB_QPS_RESET] = { .valid = true },
		[IB_QPS_ERR] = { .valid = true },
		[IB_QPS_RTS] = {
			.valid = true,
			.opt = IB_QP_CUR_STATE | IB_QP_ACCESS_FLAGS |
			       IB_QP_ALT_PATH | IB_QP_PATH_MIG_STATE |
			       IB_QP_MIN_RNR_TIMER,
		},
		[IB_QPS_SQD] = {
			.valid = true,
			.opt = IB_QP_EN_SQD_ASYNC_NOTIFY,
		},
	},
	[IB_QPS_SQD] = {
		[IB_QPS_RESET] = { .valid = true },
		[IB_QPS_ERR] = { .valid = true },
		[IB_QPS_RTS] = {
			.valid = true,
			.opt = IB_QP_CUR_STATE | IB_QP_ALT_PATH |
			       IB_QP_ACCESS_FLAGS | IB_QP_MIN_RNR_TIMER |
			       IB_QP_PATH_MIG_STATE,
		},
		[IB_QPS_SQD] = { .valid = true, .opt = SQD_SQD_OPT },
	},
	/* An RC QP never enters SQE (its send errors go to ERR). */
	[IB_QPS_SQE] = {
		[IB_QPS_RESET] = { .valid = true },
		[IB_QPS_ERR] = { .valid = true },
		[IB_QPS_RTS] = { .valid = true, .opt = IB_QP_CUR_STATE },
	},
	[IB_QPS_ERR] = {
		[IB_QPS_RESET] = { .valid = true },
		[IB_QPS_ERR] = { .valid = true },
	},
};

static bool state_ok(enum ib_qp_state s)
{
	return (unsigned int)s < IB_QPS_NR;
}

bool ib_qp_transition_valid(enum ib_qp_state cur, enum ib_qp_state next)
{
	return state_ok(cur) && state_ok(next) && qp_table[cur][next].valid;
}

int ib_qp_required_mask(enum ib_qp_state cur, enum ib_qp_state next)
{
	return ib_qp_transition_valid(cur, next) ? qp_table[cur][next].req : 0;
}

int ib_qp_optional_mask(enum ib_qp_state cur, enum ib_qp_state next)
{
	return ib_qp_transition_valid(cur, next) ? qp_table[cur][next].opt : 0;
}

int ib_qp_check_transition(enum ib_qp_state cur, enum ib_qp_state next,
			   enum ib_qp_type type, int mask)
{
	const struct qp_transition *t;
	int attrs = mask & ~IB_QP_STATE;

	if (type != IB_QPT_RC)
		return -EOPNOTSUPP;
	if (mask & ~IB_QP_ATTR_ALL_MASK)
		return -EINVAL;
	if (!ib_qp_transition_valid(cur, next))
		return -EINVAL;
	t = &qp_table[cur][next];
	if ((attrs & t->req) != t->req)		/* a required one missing */
		return -EINVAL;
	if (attrs & ~(t->req | t->opt))		/* one not allowed here */
		return -EINVAL;
	if (attrs & IB_QP_UNSUPPORTED_MASK)
		return -EOPNOTSUPP;
	return 0;
}

bool ib_modify_qp_is_ok(enum ib_qp_state cur, enum ib_qp_state next,
			enum ib_qp_type type, int mask)
{
	return ib_qp_check_transition(cur, next, type, mask) == 0;
}

#define QP_ACCESS_OK	(IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE)

static int check_av(const struct rdma_ah_attr *ah)
{
	if (ah->type != RDMA_AH_ATTR_TYPE_IB && ah->type != RDMA_AH_ATTR_TYPE_ROCE)
		return -EINVAL;
	if (ah->ah_flags & ~IB_AH_GRH)
		return -EINVAL;
	/* RoCE has no LRH: the GRH (IP header) is the only address */
	if (ah->type == RDMA_AH_ATTR_TYPE_ROCE && !(ah->ah_flags & IB_AH_GRH))
		return -EINVAL;
	if (ah->ah_flags & IB_AH_GRH) {
		if (ah->grh.flow_label > 0xfffff)	/* 20 bits (GRH) */
			return -EINVAL;
		if (ah->grh.sgid_index >= IB_GID_TABLE_LEN)
			return -EINVAL;
	}
	if (ah->sl > 15)				/* 4 bits */
		return -EINVAL;
	return 0;
}

/* One check per attribute; the IBA field widths are in the comments. */
int ib_qp_check_attr_values(const struct ib_qp_attr *attr, int mask,
			    const struct ib_qp_limits *lim)
{
	if ((mask & IB_QP_STATE) && !state_ok(attr->qp_state))
		return -EINVAL;
	if ((mask & IB_QP_CUR_STATE) && !state_ok(attr->cur_qp_state))
		return -EINVAL;
	if ((mask & IB_QP_EN_SQD_ASYNC_NOTIFY) && attr->en_sqd_async_notify > 1)
		return -EINVAL;
	if ((mask & IB_QP_ACCESS_FLAGS) && (attr->qp_access_flags & ~QP_ACCESS_OK))
		return -EINVAL;
	if ((mask & IB_QP_PKEY_INDEX) && attr->pkey_index >= IB_PKEY_TABLE_LEN)
		return -EINVAL;
	if ((mask & IB_QP_PORT) &&
	    (attr->port_num < 1 || attr->port_num > lim->port_cnt))
		return -EINVAL;
	if ((mask & IB_QP_AV) && check_av(&attr->ah_attr))
		return -EINVAL;
	if ((mask & IB_QP_PATH_MTU) &&
	    (attr->path_mtu < IB_MTU_256 || attr->path_mtu > IB_MTU_4096))
		return -EINVAL;
	if ((mask & IB_QP_TIMEOUT) && attr->timeout > 31)	/* 5 bits */
		return -EINVAL;
	if ((mask & IB_QP_RETRY_CNT) && attr->retry_cnt > 7)	/* 3 bits */
		return -EINVAL;
	if ((mask & IB_QP_RNR_RETRY) && attr->rnr_retry > 7)	/* 3 bits */
		return -EINVAL;
	if ((mask & IB_QP_RQ_PSN) && attr->rq_psn > IB_PSN_MASK)	/* 24 bits */
		return -EINVAL;
	if ((mask & IB_QP_SQ_PSN) && attr->sq_psn > IB_PSN_MASK)
		return -EINVAL;
	if ((mask & IB_QP_MIN_RNR_TIMER) && attr->min_rnr_timer > 31)
		return -EINVAL;
	if ((mask & IB_QP_MAX_QP_RD_ATOMIC) &&
	    attr->max_rd_atomic > lim->max_rd_atomic)
		return -EINVAL;
	if ((mask & IB_QP_MAX_DEST_RD_ATOMIC) &&
	    attr->max_dest_rd_atomic > lim->max_dest_rd_atomic)
		return -EINVAL;
	/* 24 bits; QPs 0 and 1 are the management QPs, never RC peers */
	if ((mask & IB_QP_DEST_QPN) &&
	    (attr->dest_qp_num > IB_QPN_MASK || attr->dest_qp_num < 2))
		return -EINVAL;
	return 0;
}

/* Sends are accepted from RTS on (and flushed in ERR): IBA 10.3. */
bool ib_qp_state_can_post_send(enum ib_qp_state state)
{
	return state == IB_QPS_RTS || state == IB_QPS_SQD ||
	       state == IB_QPS_SQE || state == IB_QPS_ERR;
}

/* Receives may be posted from INIT on (flushed in ERR): IBA 10.3. */
bool ib_qp_state_can_post_recv(enum ib_qp_state state)
{
	return state_ok(state) && state != IB_QPS_RESET;
}
