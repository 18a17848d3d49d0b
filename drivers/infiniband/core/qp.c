// SPDX-License-Identifier: GPL-2.0
/*
 * Queue pairs: numbers, lifecycle, the modify path and work-request
 * validation.
 *
 * QP numbers come from a per-device bitmap, next-fit from dev->min_qpn
 * (at least 2: QPs 0 and 1 are the IB management QPs), so a number is
 * not reused until the space wraps, and stale packets for a destroyed QP
 * find nothing.  The provider's receive path finds QPs with
 * ib_qp_lookup(), which takes a reference that ib_destroy_qp() waits for.
 *
 * ib_modify_qp() checks the transition and every attribute (qp_state.c
 * for the table and ranges, here for what needs the device: ports, MTU,
 * the GID entry, the address family), calls the provider, then records
 * the attributes in qp->attr and the new state.  A provider that fails a
 * QP on its own (retries exhausted, NAK) moves it to ERR with
 * ib_qp_report_error(); a modify in flight then keeps ERR (unless it was
 * going to RESET).
 *
 * ib_post_send()/ib_post_recv() validate each request in order and hand
 * the valid prefix of the chain to the provider in one call; the first
 * invalid request is returned in *bad_wr, as Linux does.
 */
#define pr_fmt(fmt) pr_fmt_ib(fmt)

#include <lego/bitmap.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "internal.h"

int ib_qp_table_init(struct ib_device *dev)
{
	struct ib_core *core = dev->core;
	u32 slots = dev->min_qpn + dev->attrs.max_qp;

	core->qpn_map = kcalloc(BITS_TO_LONGS(slots), sizeof(long), GFP_KERNEL);
	core->qp_table = kcalloc(slots, sizeof(*core->qp_table), GFP_KERNEL);
	if (!core->qpn_map || !core->qp_table) {
		ib_qp_table_free(dev);
		return -ENOMEM;
	}
	core->qpn_slots = slots;
	core->qpn_next = dev->min_qpn;
	return 0;
}

void ib_qp_table_free(struct ib_device *dev)
{
	struct ib_core *core = dev->core;

	kfree(core->qpn_map);
	kfree(core->qp_table);
	core->qpn_map = NULL;
	core->qp_table = NULL;
	core->qpn_slots = 0;
}

/* ---- numbers and lookup ----------------------------------------------------- */

static int qpn_alloc(struct ib_device *dev, u32 *qpn)
{
	struct ib_core *core = dev->core;
	unsigned long flags, n;

	ib_lock_irqsave(&core->qp_lock, flags);
	n = bitmap_find_next_zero_area(core->qpn_map, core->qpn_slots,
				       core->qpn_next, 1, 0);
	if (n >= core->qpn_slots)
		n = bitmap_find_next_zero_area(core->qpn_map, core->qpn_slots,
					       dev->min_qpn, 1, 0);
	if (n < core->qpn_slots) {
		bitmap_set(core->qpn_map, n, 1);
		core->qpn_next = n + 1 < core->qpn_slots ? n + 1 : dev->min_qpn;
	}
	ib_unlock_irqrestore(&core->qp_lock, flags);
	if (n >= core->qpn_slots)
		return -ENOSPC;
	*qpn = n;
	return 0;
}

static void qpn_free(struct ib_device *dev, u32 qpn)
{
	struct ib_core *core = dev->core;
	unsigned long flags;

	ib_lock_irqsave(&core->qp_lock, flags);
	bitmap_clear(core->qpn_map, qpn, 1);
	ib_unlock_irqrestore(&core->qp_lock, flags);
}

static void qp_publish(struct ib_device *dev, u32 qpn, struct ib_qp *val)
{
	struct ib_core *core = dev->core;
	unsigned long flags;

	ib_lock_irqsave(&core->qp_lock, flags);
	core->qp_table[qpn] = val;
	ib_unlock_irqrestore(&core->qp_lock, flags);
}

struct ib_qp *ib_qp_lookup(struct ib_device *dev, u32 qpn)
{
	struct ib_core *core;
	unsigned long flags;
	struct ib_qp *qp = NULL;

	if (!dev || !dev->core)
		return NULL;
	core = dev->core;
	ib_lock_irqsave(&core->qp_lock, flags);
	if (qpn < core->qpn_slots && core->qp_table[qpn]) {
		qp = core->qp_table[qpn];
		atomic_inc(&qp->refcnt);
	}
	ib_unlock_irqrestore(&core->qp_lock, flags);
	return qp;
}

void ib_qp_put(struct ib_qp *qp)
{
	if (qp)
		atomic_dec(&qp->refcnt);
}

/* ---- events ----------------------------------------------------------------- */

void ib_qp_event(struct ib_qp *qp, enum ib_event_type type)
{
	struct ib_event ev = {
		.device = qp->device,
		.element.qp = qp,
		.event = type,
	};

	if (qp->event_handler)
		qp->event_handler(&ev, qp->qp_context);
}

void ib_qp_report_error(struct ib_qp *qp, enum ib_event_type event)
{
	enum ib_qp_state old;
	unsigned long flags;

	ib_lock_irqsave(&qp->state_lock, flags);
	old = qp->state;
	if (old != IB_QPS_ERR && old != IB_QPS_RESET)
		qp->state = IB_QPS_ERR;
	ib_unlock_irqrestore(&qp->state_lock, flags);
	if (old == IB_QPS_ERR || old == IB_QPS_RESET)
		return;
	pr_warn_ratelimited("%s: QP %#x %s -> ERR: %s\n", qp->device->name,
			    qp->qp_num, ib_qp_state_name(old),
			    ib_event_msg(event));
	ib_qp_event(qp, event);
}

/* ---- create and destroy -------------------------------------------------------- */

static int check_init_attr(struct ib_pd *pd, const struct ib_qp_init_attr *ia)
{
	const struct ib_device_attr *a = &pd->device->attrs;
	const struct ib_qp_cap *cap = &ia->cap;

	if (ia->qp_type != IB_QPT_RC || ia->srq || ia->create_flags)
		return -EOPNOTSUPP;
	if (!ia->send_cq || !ia->recv_cq ||
	    ia->send_cq->device != pd->device ||
	    ia->recv_cq->device != pd->device)
		return -EINVAL;
	if (ia->sq_sig_type != IB_SIGNAL_ALL_WR &&
	    ia->sq_sig_type != IB_SIGNAL_REQ_WR)
		return -EINVAL;
	if (cap->max_send_wr > (u32)a->max_qp_wr ||
	    cap->max_recv_wr > (u32)a->max_qp_wr ||
	    cap->max_send_sge > (u32)a->max_send_sge ||
	    cap->max_recv_sge > (u32)a->max_recv_sge)
		return -EINVAL;
	return 0;
}

static void qp_init_fields(struct ib_qp *qp, struct ib_pd *pd,
			   const struct ib_qp_init_attr *ia, u32 qpn)
{
	qp->device = pd->device;
	qp->pd = pd;
	qp->send_cq = ia->send_cq;
	qp->recv_cq = ia->recv_cq;
	qp->event_handler = ia->event_handler;
	qp->qp_context = ia->qp_context;
	qp->qp_num = qpn;
	qp->qp_type = ia->qp_type;
	qp->sq_sig_type = ia->sq_sig_type;
	qp->cap = ia->cap;
	qp->state = IB_QPS_RESET;
	qp->attr.qp_state = IB_QPS_RESET;
	spin_lock_init(&qp->state_lock);
	mutex_init(&qp->modify_mutex);
	atomic_set(&qp->refcnt, 1);
}

/* The provider may round caps up, never down. */
static bool caps_granted(const struct ib_qp_cap *got,
			 const struct ib_qp_cap *want)
{
	return got->max_send_wr >= want->max_send_wr &&
	       got->max_recv_wr >= want->max_recv_wr &&
	       got->max_send_sge >= want->max_send_sge &&
	       got->max_recv_sge >= want->max_recv_sge &&
	       got->max_inline_data >= want->max_inline_data;
}

struct ib_qp *ib_create_qp(struct ib_pd *pd, struct ib_qp_init_attr *ia)
{
	struct ib_device *dev;
	struct ib_qp *qp;
	u32 qpn;
	int err;

	if (!pd || !ia)
		return ERR_PTR(-EINVAL);
	dev = pd->device;
	err = check_init_attr(pd, ia);
	if (err)
		return ERR_PTR(err);
	if (!dev->registered)
		return ERR_PTR(-ENODEV);
	if (!ib_count_get(&dev->core->nr_qp, dev->attrs.max_qp))
		return ERR_PTR(-ENOSPC);
	err = -ENOMEM;
	qp = kzalloc(ALIGN(sizeof(*qp), IB_PRIV_ALIGN) + dev->ops->qp_priv_size,
		     GFP_KERNEL);
	if (!qp)
		goto out_uncount;
	err = qpn_alloc(dev, &qpn);
	if (err)
		goto out_free;
	qp_init_fields(qp, pd, ia, qpn);
	err = dev->ops->create_qp(qp, ia);
	if (err)
		goto out_free_qpn;
	if (!caps_granted(&qp->cap, &ia->cap)) {
		pr_err("%s: provider shrank the caps of QP %#x\n", dev->name, qpn);
		dev->ops->destroy_qp(qp);
		err = -EINVAL;
		goto out_free_qpn;
	}
	ia->cap = qp->cap;
	atomic_inc(&pd->usecnt);
	atomic_inc(&qp->send_cq->usecnt);
	atomic_inc(&qp->recv_cq->usecnt);
	qp_publish(dev, qpn, qp);
	return qp;

out_free_qpn:
	qpn_free(dev, qpn);
out_free:
	kfree(qp);
out_uncount:
	atomic_dec(&dev->core->nr_qp);
	return ERR_PTR(err);
}

int ib_destroy_qp(struct ib_qp *qp)
{
	struct ib_device *dev;

	if (!qp)
		return -EINVAL;
	dev = qp->device;
	mutex_lock(&qp->modify_mutex);
	qp_publish(dev, qp->qp_num, NULL);
	ib_wait_for_refs(&qp->refcnt, "QP", qp->qp_num);
	dev->ops->destroy_qp(qp);
	mutex_unlock(&qp->modify_mutex);
	qpn_free(dev, qp->qp_num);
	atomic_dec(&qp->send_cq->usecnt);
	atomic_dec(&qp->recv_cq->usecnt);
	atomic_dec(&qp->pd->usecnt);
	atomic_dec(&dev->core->nr_qp);
	kfree(qp);
	return 0;
}

/* ---- modify and query ------------------------------------------------------- */

/* The address vector against the device: port, GID entry, families. */
static int check_av_device(struct ib_qp *qp, const struct rdma_ah_attr *ah,
			   u32 port)
{
	struct ib_device *dev = qp->device;
	bool roce = rdma_port_get_link_layer(dev, port) == IB_LINK_LAYER_ETHERNET;
	struct ib_gid_attr sgid;

	if (ah->port_num != port)
		return -EINVAL;
	if (ah->type != (roce ? RDMA_AH_ATTR_TYPE_ROCE : RDMA_AH_ATTR_TYPE_IB))
		return -EINVAL;
	if (!(ah->ah_flags & IB_AH_GRH))
		return 0;
	if (ib_query_gid_attr(dev, port, ah->grh.sgid_index, &sgid))
		return -EINVAL;
	/* RoCEv2 sends IPv4 iff the source GID is IPv4-mapped */
	if (roce && rdma_gid_to_ipv4(&sgid.gid, NULL) !=
		    rdma_gid_to_ipv4(&ah->grh.dgid, NULL))
		return -EINVAL;
	return 0;
}

static int check_attr_device(struct ib_qp *qp, const struct ib_qp_attr *attr,
			     int mask)
{
	const struct ib_device_attr *a = &qp->device->attrs;
	struct ib_qp_limits lim = {
		.port_cnt = qp->device->phys_port_cnt,
		.max_rd_atomic = a->max_qp_rd_atom,
		.max_dest_rd_atomic = a->max_qp_init_rd_atom,
	};
	u32 port = (mask & IB_QP_PORT) ? attr->port_num : qp->attr.port_num;
	struct ib_port_attr pattr;
	int err;

	err = ib_qp_check_attr_values(attr, mask, &lim);
	if (err)
		return err;
	if (!(mask & (IB_QP_AV | IB_QP_PATH_MTU)))
		return 0;
	if (!ib_port_valid(qp->device, port) ||
	    ib_query_port(qp->device, port, &pattr))
		return -EINVAL;
	if ((mask & IB_QP_PATH_MTU) && attr->path_mtu > pattr.max_mtu)
		return -EINVAL;
	if (mask & IB_QP_AV)
		return check_av_device(qp, &attr->ah_attr, port);
	return 0;
}

/* Record the attributes of a successful modify in qp->attr. */
static void qp_save_attr(struct ib_qp *qp, const struct ib_qp_attr *in,
			 int mask)
{
	struct ib_qp_attr *a = &qp->attr;

#define SAVE(bit, field) do { if (mask & (bit)) a->field = in->field; } while (0)
	SAVE(IB_QP_EN_SQD_ASYNC_NOTIFY, en_sqd_async_notify);
	SAVE(IB_QP_ACCESS_FLAGS, qp_access_flags);
	SAVE(IB_QP_PKEY_INDEX, pkey_index);
	SAVE(IB_QP_PORT, port_num);
	SAVE(IB_QP_AV, ah_attr);
	SAVE(IB_QP_PATH_MTU, path_mtu);
	SAVE(IB_QP_TIMEOUT, timeout);
	SAVE(IB_QP_RETRY_CNT, retry_cnt);
	SAVE(IB_QP_RNR_RETRY, rnr_retry);
	SAVE(IB_QP_RQ_PSN, rq_psn);
	SAVE(IB_QP_MAX_QP_RD_ATOMIC, max_rd_atomic);
	SAVE(IB_QP_MIN_RNR_TIMER, min_rnr_timer);
	SAVE(IB_QP_SQ_PSN, sq_psn);
	SAVE(IB_QP_MAX_DEST_RD_ATOMIC, max_dest_rd_atomic);
	SAVE(IB_QP_DEST_QPN, dest_qp_num);
#undef SAVE
}

/* Commit @next unless the provider failed the QP meanwhile. */
static void qp_commit_state(struct ib_qp *qp, enum ib_qp_state cur,
			    enum ib_qp_state next)
{
	unsigned long flags;

	ib_lock_irqsave(&qp->state_lock, flags);
	if (qp->state == cur || next == IB_QPS_RESET)
		qp->state = next;
	qp->attr.qp_state = qp->state;
	ib_unlock_irqrestore(&qp->state_lock, flags);
}

int ib_modify_qp(struct ib_qp *qp, struct ib_qp_attr *attr, int mask)
{
	enum ib_qp_state cur, next;
	int err;

	if (!qp || !attr)
		return -EINVAL;
	mutex_lock(&qp->modify_mutex);
	cur = ib_qp_get_state(qp);
	next = (mask & IB_QP_STATE) ? attr->qp_state : cur;
	err = ib_qp_check_transition(cur, next, qp->qp_type, mask);
	if (!err && (mask & IB_QP_CUR_STATE) && attr->cur_qp_state != cur)
		err = -EINVAL;
	if (!err)
		err = check_attr_device(qp, attr, mask);
	if (!err)
		err = qp->device->ops->modify_qp(qp, attr, mask);
	if (!err) {
		if (next == IB_QPS_RESET)
			memset(&qp->attr, 0, sizeof(qp->attr));
		else
			qp_save_attr(qp, attr, mask);
		qp_commit_state(qp, cur, next);
	}
	mutex_unlock(&qp->modify_mutex);
	return err;
}

int ib_query_qp(struct ib_qp *qp, struct ib_qp_attr *attr, int attr_mask,
		struct ib_qp_init_attr *init_attr)
{
	int err = 0;

	if (!qp || !attr)
		return -EINVAL;
	mutex_lock(&qp->modify_mutex);
	*attr = qp->attr;
	attr->qp_state = ib_qp_get_state(qp);
	attr->cur_qp_state = attr->qp_state;
	attr->cap = qp->cap;
	if (qp->device->ops->query_qp)
		err = qp->device->ops->query_qp(qp, attr, attr_mask);
	mutex_unlock(&qp->modify_mutex);
	if (init_attr) {
		memset(init_attr, 0, sizeof(*init_attr));
		init_attr->event_handler = qp->event_handler;
		init_attr->qp_context = qp->qp_context;
		init_attr->send_cq = qp->send_cq;
		init_attr->recv_cq = qp->recv_cq;
		init_attr->cap = qp->cap;
		init_attr->sq_sig_type = qp->sq_sig_type;
		init_attr->qp_type = qp->qp_type;
		init_attr->port_num = qp->attr.port_num;
	}
	return err;
}

/* ---- posting ------------------------------------------------------------------ */

#define SEND_FLAGS_OK	(IB_SEND_FENCE | IB_SEND_SIGNALED | \
			 IB_SEND_SOLICITED | IB_SEND_INLINE)

/* Inline data is copied from plain kernel memory: only the range matters. */
static int check_inline(const struct ib_qp *qp, const struct ib_send_wr *wr)
{
	u64 total = 0;
	int i;

	if (wr->opcode == IB_WR_RDMA_READ)
		return -EINVAL;
	for (i = 0; i < wr->num_sge; i++) {
		const struct ib_sge *sge = &wr->sg_list[i];

		if (!sge->length || sge->addr + sge->length < sge->addr)
			return -EINVAL;
		total += sge->length;
	}
	return total > qp->cap.max_inline_data ? -EINVAL : 0;
}

/* One send request, before the provider may see it. */
static int check_send_wr(struct ib_qp *qp, const struct ib_send_wr *wr)
{
	int access = 0;
	u64 total = 0;

	if (wr->num_sge < 0 || (u32)wr->num_sge > qp->cap.max_send_sge ||
	    (wr->num_sge && !wr->sg_list) || (wr->send_flags & ~SEND_FLAGS_OK))
		return -EINVAL;
	switch (wr->opcode) {
	case IB_WR_SEND:
	case IB_WR_SEND_WITH_IMM:
	case IB_WR_RDMA_WRITE:
	case IB_WR_RDMA_WRITE_WITH_IMM:
		break;
	case IB_WR_RDMA_READ:		/* the data lands in our memory */
		access = IB_ACCESS_LOCAL_WRITE;
		break;
	case IB_WR_ATOMIC_CMP_AND_SWP:
	case IB_WR_ATOMIC_FETCH_AND_ADD:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
	if (wr->send_flags & IB_SEND_INLINE)
		return check_inline(qp, wr);
	return ib_sgl_check(qp->device, qp->pd, wr->sg_list, wr->num_sge,
			    access, &total);
}

int ib_post_send(struct ib_qp *qp, const struct ib_send_wr *wr,
		 const struct ib_send_wr **bad_wr)
{
	const struct ib_send_wr *w, *dummy;
	unsigned int n = 0;
	int err = 0, perr;

	if (!bad_wr)
		bad_wr = &dummy;
	*bad_wr = wr;
	if (unlikely(!qp || !wr))
		return -EINVAL;
	if (unlikely(!ib_qp_state_can_post_send(ib_qp_get_state(qp))))
		return -EINVAL;
	for (w = wr; w; w = w->next, n++) {
		if (n == qp->cap.max_send_wr) {	/* cannot fit: stop walking */
			err = -ENOMEM;
			break;
		}
		err = check_send_wr(qp, w);
		if (err)
			break;
	}
	if (n) {
		perr = qp->device->ops->post_send(qp, wr, n, bad_wr);
		if (perr)
			return perr;
	}
	*bad_wr = w;
	return err;
}

static int check_recv_wr(struct ib_qp *qp, const struct ib_recv_wr *wr)
{
	u64 total = 0;

	if (wr->num_sge < 0 || (u32)wr->num_sge > qp->cap.max_recv_sge)
		return -EINVAL;
	return ib_sgl_check(qp->device, qp->pd, wr->sg_list, wr->num_sge,
			    IB_ACCESS_LOCAL_WRITE, &total);
}

int ib_post_recv(struct ib_qp *qp, const struct ib_recv_wr *wr,
		 const struct ib_recv_wr **bad_wr)
{
	const struct ib_recv_wr *w, *dummy;
	unsigned int n = 0;
	int err = 0, perr;

	if (!bad_wr)
		bad_wr = &dummy;
	*bad_wr = wr;
	if (unlikely(!qp || !wr))
		return -EINVAL;
	if (unlikely(!ib_qp_state_can_post_recv(ib_qp_get_state(qp))))
		return -EINVAL;
	for (w = wr; w; w = w->next, n++) {
		if (n == qp->cap.max_recv_wr) {
			err = -ENOMEM;
			break;
		}
		err = check_recv_wr(qp, w);
		if (err)
			break;
	}
	if (n) {
		perr = qp->device->ops->post_recv(qp, wr, n, bad_wr);
		if (perr)
			return perr;
	}
	*bad_wr = w;
	return err;
}
