/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an RDMA provider (drivers/infiniband/sw/<soft-RoCEv2>, later
 * drivers/infiniband/hw/mlx4) implements and the core helpers it calls.
 *
 * Division of labour.  The core (drivers/infiniband/core/) owns every
 * object's bookkeeping, so all providers share it:
 *   - PDs, MRs with their lkey/rkey (allocation, lookup, bounds and
 *     access checks), QP numbers (a bitmap; never 0 or 1) and the QPN ->
 *     QP table, usage counts that make destroys fail with -EBUSY;
 *   - the QP state machine: every ib_modify_qp() is checked against the
 *     IBA transition table and the attribute ranges before the provider's
 *     modify_qp() runs, and qp->state/qp->attr are updated after it
 *     succeeds;
 *   - validation of every posted work request (opcode, SGE count, each
 *     SGE against its MR) before post_send()/post_recv() see it;
 *   - a completion ring per CQ (ib_cq_push_wc() / ib_cq_pop_wc()) with
 *     overrun detection and the notification (arming) logic;
 *   - GID and P_Key tables of RoCE ports, built from the port's netdev.
 * The provider moves data: it turns posted requests into packets or
 * hardware work queue entries, runs the transport (retries, ACKs), and
 * reports completions and asynchronous errors through the helpers below.
 *
 * Registration:
 *
 *	struct rxe_dev { struct ib_device ibdev; ... };	ibdev first
 *
 *	rxe = ib_alloc_device(rxe_dev, ibdev);
 *	rxe->ibdev.ops = &rxe_ops;		a const struct ib_device_ops
 *	rxe->ibdev.attrs = (struct ib_device_attr){ .max_qp = 64, ... };
 *	rxe->ibdev.phys_port_cnt = 1;
 *	ib_device_set_netdev(&rxe->ibdev, ndev, 1);
 *	err = ib_register_device(&rxe->ibdev, "rxe%d");
 *
 * Private data: each ops->*_priv_size bytes are allocated with (after)
 * the core object and reached with ib_pd_priv(), ib_mr_priv(),
 * ib_cq_priv(), ib_qp_priv(); they start zeroed and are 16-byte aligned
 * relative to the object (8-byte aligned in memory at least).
 *
 * Locking rules for providers:
 *   - ops are called without core spinlocks held; create/modify/destroy
 *     ops may sleep, post_send/post_recv/poll_cq/req_notify_cq may not;
 *   - ib_cq_push_wc() may call the consumer's completion handler, which
 *     may call ib_post_send(), ib_post_recv(), ib_poll_cq() and
 *     ib_req_notify_cq() on any QP/CQ: call it with no provider lock
 *     held that those paths take;
 *   - the core serialises modify_qp()/destroy_qp() on a QP, but
 *     post_send()/post_recv() can run concurrently with each other, with
 *     modify_qp() and on several CPUs: the provider locks its queues.
 */
#ifndef _RDMA_IB_PROVIDER_H
#define _RDMA_IB_PROVIDER_H

#include <rdma/ib_verbs.h>

/*
 * The provider's operations.  Members marked required must be set or
 * ib_register_device() fails with -EINVAL.  Unless said otherwise an op
 * returns 0 or a negative errno, and on error the core undoes its own
 * part and passes the error on.
 */
struct ib_device_ops {
	/*
	 * required: fill in state, max_mtu, active_mtu, phys_mtu,
	 * max_msg_sz and lid.  The core adds gid_tbl_len, pkey_tbl_len and
	 * link_layer.  @port_num is valid.
	 */
	int (*query_port)(struct ib_device *dev, u32 port_num,
			  struct ib_port_attr *attr);

	/* optional: provider state of a PD (e.g. a hardware PD number). */
	int (*alloc_pd)(struct ib_pd *pd);
	void (*dealloc_pd)(struct ib_pd *pd);

	/*
	 * optional: program a memory region.  The core has checked the
	 * range and access and assigned mr->lkey/rkey (index << 8 | 8-bit
	 * generation; lkey >> 8 is the index, >= dev->min_mr_index).  The
	 * soft provider needs neither: it uses ib_mr_lookup_rkey().
	 * reg_mr() is also called for each PD's local_dma_lkey MR (iova 0,
	 * length U64_MAX, IB_ACCESS_LOCAL_WRITE): a hardware provider maps
	 * it as a physical-address region.  dereg_mr() is called once no
	 * lookup holds the MR; it must not fail.
	 */
	int (*reg_mr)(struct ib_mr *mr);
	void (*dereg_mr)(struct ib_mr *mr);

	/*
	 * optional: provider state of a CQ.  The core's completion ring is
	 * already allocated (cq->cqe entries).  destroy_cq() is called once
	 * no QP uses the CQ; it must not fail.
	 */
	int (*create_cq)(struct ib_cq *cq, const struct ib_cq_init_attr *attr);
	void (*destroy_cq)(struct ib_cq *cq);

	/*
	 * optional: ib_poll_cq() after the core checked its arguments
	 * (@num_entries > 0, @wc not NULL).  Absent, the core pops its own
	 * ring.  A provider that must make progress first (busy-poll the
	 * NIC, run its protocol engine) does that and then returns
	 * ib_cq_pop_wc(); a hardware provider reads its own CQ ring.
	 * Never sleeps.
	 */
	int (*poll_cq)(struct ib_cq *cq, int num_entries, struct ib_wc *wc);
	/*
	 * optional: ib_req_notify_cq() after the core checked @flags.
	 * Absent, the core arms its ring (ib_cq_arm()), which is right for
	 * every provider that pushes completions with ib_cq_push_wc().
	 */
	int (*req_notify_cq)(struct ib_cq *cq, enum ib_cq_notify_flags flags);

	/*
	 * required: set up send and receive queues for @qp.  The core has
	 * checked @init_attr (RC, CQs and PD of this device, caps within
	 * dev->attrs), set qp->qp_num, pd, CQs, handlers and qp->cap to the
	 * request.  The provider may round qp->cap up (never down) and
	 * must refuse (-EINVAL) a max_inline_data it cannot do.  The QP is
	 * in RESET and not yet visible to ib_qp_lookup().
	 */
	int (*create_qp)(struct ib_qp *qp, struct ib_qp_init_attr *init_attr);
	/*
	 * required: apply the attributes in @attr_mask.  The core has
	 * checked the transition (qp->state is still the current state; the
	 * new one is attr->qp_state if IB_QP_STATE is set) and every value
	 * (ports, GID index, MTU, ranges).  On success the core copies the
	 * masked attributes into qp->attr and sets qp->state.  Entering
	 * ERR: flush every outstanding WR with IB_WC_WR_FLUSH_ERR (send
	 * queue first, in order).  Entering RESET: drop them, reset PSN
	 * state.  On error the QP must be as before the call.
	 */
	int (*modify_qp)(struct ib_qp *qp, const struct ib_qp_attr *attr,
			 int attr_mask);
	/*
	 * optional: fill in what only the provider knows (sq_draining) in
	 * @attr, which the core has filled from qp->attr.
	 */
	int (*query_qp)(struct ib_qp *qp, struct ib_qp_attr *attr,
			int attr_mask);
	/*
	 * required: free the provider's queues.  The QP is no longer
	 * reachable through ib_qp_lookup() and no lookup reference remains.
	 * Stop any timer or engine that uses it before returning.  Outstanding
	 * WRs are dropped without completions.  Must not fail.
	 */
	void (*destroy_qp)(struct ib_qp *qp);

	/*
	 * required: queue the first @nr_wr (>= 1) requests of the chain at
	 * @wr, all already validated by the core (opcode, state, SGEs).
	 * The chain may continue past them: ignore the rest.  Copy what you
	 * need (the caller's memory is its own again on return; inline data
	 * must be copied now).  If the queue is full at request j, set
	 * *@bad_wr to j, return -ENOMEM, keeping the ones before j.  In ERR,
	 * complete them with IB_WC_WR_FLUSH_ERR.  Never sleeps.
	 */
	int (*post_send)(struct ib_qp *qp, const struct ib_send_wr *wr,
			 unsigned int nr_wr, const struct ib_send_wr **bad_wr);
	/* required: the same for receive requests. */
	int (*post_recv)(struct ib_qp *qp, const struct ib_recv_wr *wr,
			 unsigned int nr_wr, const struct ib_recv_wr **bad_wr);

	/* Bytes of provider data after each object (0: none). */
	size_t pd_priv_size;
	size_t mr_priv_size;
	size_t cq_priv_size;
	size_t qp_priv_size;
};

/* ---- devices -------------------------------------------------------------- */

/*
 * A zeroed device of @size bytes (the provider's struct, with the
 * struct ib_device at offset 0), or NULL.  Use the macro:
 *	struct rxe_dev *rxe = ib_alloc_device(rxe_dev, ibdev);
 */
struct ib_device *_ib_alloc_device(size_t size);
#define ib_alloc_device(drv_struct, member)				\
	({								\
		BUILD_BUG_ON(offsetof(struct drv_struct, member) != 0);	\
		(struct drv_struct *)_ib_alloc_device(			\
			sizeof(struct drv_struct));			\
	})
/* Free a device that is not registered and holds no objects. */
void ib_dealloc_device(struct ib_device *dev);

/*
 * The netdev under RoCE port @port_num (its MAC and IPv4 address make
 * the GID table).  Call before ib_register_device().  0 or -EINVAL.
 */
int ib_device_set_netdev(struct ib_device *dev, struct netdev *ndev,
			 u32 port_num);

/*
 * Check the ops (required members set) and attrs, set up the core's
 * tables, name the device (@name may contain one "%d", replaced by the
 * lowest free number), then call every client's add().  The attrs must
 * have max_qp (<= 65536), max_qp_wr, max_send_sge, max_recv_sge, max_cq,
 * max_cqe, max_mr (<= 65536), max_pd and max_mr_size > 0, and
 * max_qp_rd_atom, max_qp_init_rd_atom >= 0; phys_port_cnt 1..IB_MAX_PORTS.
 * 0, -EINVAL, -ENOMEM, -ENOSPC or -EEXIST (name taken).
 */
int ib_register_device(struct ib_device *dev, const char *name);
/*
 * Call every client's remove(), take the device off the list (no new
 * objects), then free the core's tables.  -EBUSY if objects remain after
 * that (logged): those still work and may be destroyed, and
 * ib_dealloc_device() refuses the device until they are.  Otherwise the
 * caller then ib_dealloc_device()s.
 */
int ib_unregister_device(struct ib_device *dev);

/*
 * For an InfiniBand port (no netdev): set GID @index, or clear it with a
 * NULL @gid.  0 or -EINVAL.  RoCE ports are maintained by the core.
 */
int ib_gid_set(struct ib_device *dev, u32 port_num, int index,
	       const union ib_gid *gid, enum ib_gid_type type);

/* ---- private areas -------------------------------------------------------- */

#define IB_PRIV_ALIGN	16
#define __ib_priv(obj)	((void *)((char *)(obj) + ALIGN(sizeof(*(obj)), IB_PRIV_ALIGN)))

static inline void *ib_pd_priv(struct ib_pd *pd)
{
	return __ib_priv(pd);
}

static inline void *ib_mr_priv(struct ib_mr *mr)
{
	return __ib_priv(mr);
}

static inline void *ib_cq_priv(struct ib_cq *cq)
{
	return __ib_priv(cq);
}

static inline void *ib_qp_priv(struct ib_qp *qp)
{
	return __ib_priv(qp);
}

/* ---- memory regions (the responder's view) -------------------------------- */

/*
 * The MR whose rkey (lkey) is @key, with a reference, or NULL: unknown,
 * stale (deregistered, even if the slot was reused) or, for an rkey, an
 * MR without remote access.  Never sleeps.  Drop it with ib_mr_put().
 */
struct ib_mr *ib_mr_lookup_rkey(struct ib_device *dev, u32 rkey);
struct ib_mr *ib_mr_lookup_lkey(struct ib_device *dev, u32 lkey);
void ib_mr_put(struct ib_mr *mr);

/*
 * May @len bytes at @addr of @mr be accessed with all of @access (e.g.
 * IB_ACCESS_REMOTE_WRITE for an incoming WRITE)?  0; -EINVAL if the range
 * wraps or leaves the MR (a zero @len is fine at any address inside or at
 * the end of it); -EACCES if a right is missing.  The responder NAKs both
 * with "remote access error".
 */
int ib_mr_check_range(const struct ib_mr *mr, u64 addr, u64 len, int access);

/* ---- queue pairs ---------------------------------------------------------- */

/* The QP numbered @qpn, with a reference, or NULL.  Never sleeps. */
struct ib_qp *ib_qp_lookup(struct ib_device *dev, u32 qpn);
void ib_qp_put(struct ib_qp *qp);

/* The QP's state now (it can change at any time unless you hold it). */
static inline enum ib_qp_state ib_qp_get_state(const struct ib_qp *qp)
{
	return READ_ONCE(qp->state);
}

/*
 * The transport failed on its own (retries exhausted, NAK received, CQ
 * overrun...): move @qp to ERR and tell the consumer with @event
 * (IB_EVENT_QP_FATAL, _REQ_ERR or _ACCESS_ERR).  No-op if the QP is
 * already in ERR or RESET.  The provider flushes its queues itself (as for
 * modify_qp() to ERR) after the call.  Never sleeps.
 */
void ib_qp_report_error(struct ib_qp *qp, enum ib_event_type event);
/* Tell the consumer of an event that changes no state (COMM_EST...). */
void ib_qp_event(struct ib_qp *qp, enum ib_event_type event);

/* Does @wr on @qp generate a completion when it succeeds? */
static inline bool ib_send_wr_signaled(const struct ib_qp *qp,
				       const struct ib_send_wr *wr)
{
	return qp->sq_sig_type == IB_SIGNAL_ALL_WR ||
	       (wr->send_flags & IB_SEND_SIGNALED);
}

/* ---- completion queues ---------------------------------------------------- */

/*
 * Append a copy of @wc to @cq's ring; @solicited says the completion
 * was for a solicited message (SE bit).  Then, if the CQ is armed for it
 * (NEXT_COMP; or SOLICITED and @solicited or an error status), disarm
 * and call the consumer's handler, with no core lock held.
 * 0; -EOVERFLOW when the ring was full: the completion is lost, the CQ
 * enters IB_CQ_STATE_ERROR (logged once, IB_EVENT_CQ_ERR to the consumer)
 * and the provider should ib_qp_report_error(qp, IB_EVENT_QP_FATAL);
 * -EIO if the CQ already was in error.  Any context.
 */
int ib_cq_push_wc(struct ib_cq *cq, const struct ib_wc *wc, bool solicited);

/*
 * Take up to @num_entries completions, oldest first: the core's own
 * ib_poll_cq().  Returns the number taken, or -EIO if the CQ is in error.
 */
int ib_cq_pop_wc(struct ib_cq *cq, int num_entries, struct ib_wc *wc);

/*
 * The core's ib_req_notify_cq() on its ring: arm for @flags; returns
 * 1 if IB_CQ_REPORT_MISSED_EVENTS and the ring is not empty, else 0.
 */
int ib_cq_arm(struct ib_cq *cq, enum ib_cq_notify_flags flags);

/* A hardware provider's CQ overran: error state, logged, CQ_ERR event. */
void ib_cq_report_error(struct ib_cq *cq);

#endif /* _RDMA_IB_PROVIDER_H */
