// SPDX-License-Identifier: GPL-2.0
/*
 * Completion queues: a ring of struct ib_wc per CQ, kept by the core.
 *
 * Providers that complete work in software (soft-RoCE) append with
 * ib_cq_push_wc(); ib_poll_cq() pops, oldest first.  A hardware provider
 * may poll its own ring instead (ops->poll_cq).  Arming (ib_req_notify_cq)
 * is a flag under the ring lock: the next matching push disarms it and
 * calls the consumer's handler once, outside the lock.
 *
 * States: OK -> ERROR when a push finds the ring full (a CQ overrun, IBA
 * "CQ error"): the completion is lost, which the consumer cannot detect
 * otherwise, so the CQ refuses all further pushes and polls with -EIO,
 * the event is logged once and delivered as IB_EVENT_CQ_ERR, and the
 * provider moves the QP whose completion was lost to ERR.  There is no
 * way back: the consumer destroys the CQ.
 */
#define pr_fmt(fmt) pr_fmt_ib(fmt)

#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "internal.h"

static const char *const cq_state_names[] = {
	[IB_CQ_STATE_OK]	= "OK",
	[IB_CQ_STATE_ERROR]	= "ERROR",
};

const char *ib_cq_state_name(enum ib_cq_state state)
{
	if ((unsigned int)state >= ARRAY_SIZE(cq_state_names))
		return "?";
	return cq_state_names[state];
}

static const char *const wc_status_names[] = {
	[IB_WC_SUCCESS]			= "success",
	[IB_WC_LOC_LEN_ERR]		= "local length error",
	[IB_WC_LOC_QP_OP_ERR]		= "local QP operation error",
	[IB_WC_LOC_EEC_OP_ERR]		= "local EE context operation error",
	[IB_WC_LOC_PROT_ERR]		= "local protection error",
	[IB_WC_WR_FLUSH_ERR]		= "WR flushed",
	[IB_WC_MW_BIND_ERR]		= "memory bind operation error",
	[IB_WC_BAD_RESP_ERR]		= "bad response error",
	[IB_WC_LOC_ACCESS_ERR]		= "local access error",
	[IB_WC_REM_INV_REQ_ERR]		= "remote invalid request error",
	[IB_WC_REM_ACCESS_ERR]		= "remote access error",
	[IB_WC_REM_OP_ERR]		= "remote operation error",
	[IB_WC_RETRY_EXC_ERR]		= "transport retry counter exceeded",
	[IB_WC_RNR_RETRY_EXC_ERR]	= "RNR retry counter exceeded",
	[IB_WC_LOC_RDD_VIOL_ERR]	= "local RDD violation error",
	[IB_WC_REM_INV_RD_REQ_ERR]	= "remote invalid RD request",
	[IB_WC_REM_ABORT_ERR]		= "operation aborted",
	[IB_WC_INV_EECN_ERR]		= "invalid EE context number",
	[IB_WC_INV_EEC_STATE_ERR]	= "invalid EE context state",
	[IB_WC_FATAL_ERR]		= "fatal error",
	[IB_WC_RESP_TIMEOUT_ERR]	= "response timeout error",
	[IB_WC_GENERAL_ERR]		= "general error",
};

const char *ib_wc_status_msg(enum ib_wc_status status)
{
	if ((unsigned int)status >= ARRAY_SIZE(wc_status_names))
		return "unrecognized status";
	return wc_status_names[status];
}

/* ---- the ring ----------------------------------------------------------- */

static void cq_event(struct ib_cq *cq, enum ib_event_type type)
{
	struct ib_event ev = {
		.device = cq->device,
		.element.cq = cq,
		.event = type,
	};

	if (cq->event_handler)
		cq->event_handler(&ev, cq->cq_context);
}

/* Move to ERROR under cq->lock; true if this call did it. */
static bool cq_set_error_locked(struct ib_cq *cq)
{
	if (cq->state == IB_CQ_STATE_ERROR)
		return false;
	cq->state = IB_CQ_STATE_ERROR;
	cq->armed = 0;
	return true;
}

static void cq_report_overrun(struct ib_cq *cq)
{
	pr_err_ratelimited("%s: CQ %p overrun (%d entries): state %s -> %s\n",
			   cq->device->name, cq, cq->cqe,
			   ib_cq_state_name(IB_CQ_STATE_OK),
			   ib_cq_state_name(IB_CQ_STATE_ERROR));
	cq_event(cq, IB_EVENT_CQ_ERR);
}

/* Does a push of this completion fire the armed notification? */
static bool cq_fires(u32 armed, const struct ib_wc *wc, bool solicited)
{
	if (armed & IB_CQ_NEXT_COMP)
		return true;
	return (armed & IB_CQ_SOLICITED) &&
	       (solicited || wc->status != IB_WC_SUCCESS);
}

int ib_cq_push_wc(struct ib_cq *cq, const struct ib_wc *wc, bool solicited)
{
	unsigned long flags;
	bool fire = false, overrun = false;
	int err = 0;

	ib_lock_irqsave(&cq->lock, flags);
	if (cq->state == IB_CQ_STATE_ERROR) {
		err = -EIO;
	} else if (cq->count == (u32)cq->cqe) {
		cq->overflows++;
		overrun = cq_set_error_locked(cq);
		err = -EOVERFLOW;
	} else {
		cq->ring[(cq->head + cq->count) % cq->cqe] = *wc;
		cq->count++;
		fire = cq_fires(cq->armed, wc, solicited);
		if (fire)
			cq->armed = 0;
	}
	ib_unlock_irqrestore(&cq->lock, flags);
	if (overrun)
		cq_report_overrun(cq);
	if (fire && cq->comp_handler)
		cq->comp_handler(cq, cq->cq_context);
	return err;
}

int ib_cq_pop_wc(struct ib_cq *cq, int num_entries, struct ib_wc *wc)
{
	unsigned long flags;
	int n = 0;

	ib_lock_irqsave(&cq->lock, flags);
	if (cq->state == IB_CQ_STATE_ERROR) {
		ib_unlock_irqrestore(&cq->lock, flags);
		return -EIO;
	}
	while (n < num_entries && cq->count) {
		wc[n++] = cq->ring[cq->head];
		cq->head = (cq->head + 1) % cq->cqe;
		cq->count--;
	}
	ib_unlock_irqrestore(&cq->lock, flags);
	return n;
}

int ib_cq_arm(struct ib_cq *cq, enum ib_cq_notify_flags flags)
{
	unsigned long irqflags;
	int ret = 0;

	ib_lock_irqsave(&cq->lock, irqflags);
	if (cq->state == IB_CQ_STATE_ERROR) {
		ret = -EIO;
	} else {
		/* NEXT_COMP is the stronger request: it stays once set */
		cq->armed |= flags & IB_CQ_SOLICITED_MASK;
		if ((flags & IB_CQ_REPORT_MISSED_EVENTS) && cq->count)
			ret = 1;
	}
	ib_unlock_irqrestore(&cq->lock, irqflags);
	return ret;
}

void ib_cq_report_error(struct ib_cq *cq)
{
	unsigned long flags;
	bool first;

	ib_lock_irqsave(&cq->lock, flags);
	cq->overflows++;
	first = cq_set_error_locked(cq);
	ib_unlock_irqrestore(&cq->lock, flags);
	if (first)
		cq_report_overrun(cq);
}

/* ---- verbs ---------------------------------------------------------------- */

static int check_cq_attr(struct ib_device *dev,
			 const struct ib_cq_init_attr *attr)
{
	if (!attr || attr->flags)
		return -EINVAL;
	if (attr->cqe < 1 || attr->cqe > (unsigned int)dev->attrs.max_cqe)
		return -EINVAL;
	if (attr->comp_vector >= dev->num_comp_vectors)
		return -EINVAL;
	return 0;
}

struct ib_cq *ib_create_cq(struct ib_device *dev, ib_comp_handler comp_handler,
			   void (*event_handler)(struct ib_event *, void *),
			   void *cq_context,
			   const struct ib_cq_init_attr *cq_attr)
{
	struct ib_cq *cq;
	int err;

	if (!dev)
		return ERR_PTR(-EINVAL);
	err = check_cq_attr(dev, cq_attr);
	if (err)
		return ERR_PTR(err);
	if (!dev->registered)
		return ERR_PTR(-ENODEV);
	if (!ib_count_get(&dev->core->nr_cq, dev->attrs.max_cq))
		return ERR_PTR(-ENOSPC);
	err = -ENOMEM;
	cq = kzalloc(ALIGN(sizeof(*cq), IB_PRIV_ALIGN) + dev->ops->cq_priv_size,
		     GFP_KERNEL);
	if (!cq)
		goto out_uncount;
	cq->ring = kcalloc(cq_attr->cqe, sizeof(*cq->ring), GFP_KERNEL);
	if (!cq->ring)
		goto out_free_cq;
	cq->device = dev;
	cq->comp_handler = comp_handler;
	cq->event_handler = event_handler;
	cq->cq_context = cq_context;
	cq->cqe = cq_attr->cqe;
	cq->state = IB_CQ_STATE_OK;
	atomic_set(&cq->usecnt, 0);
	spin_lock_init(&cq->lock);
	if (dev->ops->create_cq) {
		err = dev->ops->create_cq(cq, cq_attr);
		if (err)
			goto out_free_ring;
	}
	return cq;

out_free_ring:
	kfree(cq->ring);
out_free_cq:
	kfree(cq);
out_uncount:
	atomic_dec(&dev->core->nr_cq);
	return ERR_PTR(err);
}

int ib_destroy_cq(struct ib_cq *cq)
{
	struct ib_device *dev;

	if (!cq)
		return -EINVAL;
	if (atomic_read(&cq->usecnt))
		return -EBUSY;
	dev = cq->device;
	if (dev->ops->destroy_cq)
		dev->ops->destroy_cq(cq);
	atomic_dec(&dev->core->nr_cq);
	kfree(cq->ring);
	kfree(cq);
	return 0;
}

int ib_poll_cq(struct ib_cq *cq, int num_entries, struct ib_wc *wc)
{
	if (unlikely(!cq || num_entries < 0 || (num_entries && !wc)))
		return -EINVAL;
	if (!num_entries)
		return 0;
	if (cq->device->ops->poll_cq)
		return cq->device->ops->poll_cq(cq, num_entries, wc);
	return ib_cq_pop_wc(cq, num_entries, wc);
}

int ib_req_notify_cq(struct ib_cq *cq, enum ib_cq_notify_flags flags)
{
	u32 how;

	if (!cq || !cq->comp_handler)
		return -EINVAL;
	how = flags & IB_CQ_SOLICITED_MASK;
	if ((flags & ~(IB_CQ_SOLICITED_MASK | IB_CQ_REPORT_MISSED_EVENTS)) ||
	    (how != IB_CQ_SOLICITED && how != IB_CQ_NEXT_COMP))
		return -EINVAL;
	if (cq->device->ops->req_notify_cq)
		return cq->device->ops->req_notify_cq(cq, flags);
	return ib_cq_arm(cq, flags);
}
