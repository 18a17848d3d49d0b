// SPDX-License-Identifier: GPL-2.0
/*
 * vloop: the smallest provider that moves data, for the verbs ktest suite
 * (and an example of what a provider does with ib_provider.h).
 *
 * post_send() executes each request at once against its peer QP on the
 * same device (qp->attr.dest_qp_num): a SEND consumes the peer's oldest
 * receive request, an RDMA WRITE/READ goes through ib_mr_lookup_rkey()
 * and ib_mr_check_range() exactly as a responder would, and completions
 * are pushed with ib_cq_push_wc().  Failures complete with the status a
 * real RC transport reports (RNR retry exceeded with no receive posted,
 * remote access error for a bad rkey...) and move the QP to ERR.
 * Requests posted in ERR, and receives queued when a QP enters ERR, are
 * flushed with IB_WC_WR_FLUSH_ERR.  No locks are held across a push.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "verbs_fake.h"

struct vloop_dev {
	struct ib_device ibdev;			/* first: ib_alloc_device() */
	atomic_t posted_sends;
	atomic_t posted_recvs;
};

struct vloop_rwqe {
	u64 wr_id;
	int num_sge;
	struct ib_sge sge[VLOOP_MAX_SGE];
};

struct vloop_qp {
	spinlock_t lock;
	/* Under lock: the receive queue, a ring. */
	struct vloop_rwqe rq[VLOOP_MAX_WR];
	u32 rq_head;
	u32 rq_count;
};

static struct vloop_dev *to_vdev(struct ib_device *dev)
{
	return container_of(dev, struct vloop_dev, ibdev);
}

static struct vloop_qp *to_vqp(struct ib_qp *qp)
{
	return ib_qp_priv(qp);
}

static int vloop_query_port(struct ib_device *dev, u32 port,
			    struct ib_port_attr *attr)
{
	attr->state = IB_PORT_ACTIVE;
	attr->max_mtu = IB_MTU_4096;
	attr->active_mtu = IB_MTU_1024;
	attr->phys_mtu = 1500;
	attr->max_msg_sz = VLOOP_MAX_MSG;
	return 0;
}

static int vloop_create_qp(struct ib_qp *qp, struct ib_qp_init_attr *ia)
{
	struct vloop_qp *vqp = to_vqp(qp);

	if (ia->cap.max_inline_data > VLOOP_MAX_INLINE ||
	    ia->cap.max_recv_wr > VLOOP_MAX_WR ||
	    ia->cap.max_recv_sge > VLOOP_MAX_SGE)
		return -EINVAL;
	spin_lock_init(&vqp->lock);
	return 0;
}

static void vloop_destroy_qp(struct ib_qp *qp)
{
}

static bool rq_pop(struct ib_qp *qp, struct vloop_rwqe *out)
{
	struct vloop_qp *vqp = to_vqp(qp);
	bool got = false;

	spin_lock(&vqp->lock);
	if (vqp->rq_count) {
		*out = vqp->rq[vqp->rq_head];
		vqp->rq_head = (vqp->rq_head + 1) % VLOOP_MAX_WR;
		vqp->rq_count--;
		got = true;
	}
	spin_unlock(&vqp->lock);
	return got;
}

static void push(struct ib_cq *cq, struct ib_qp *qp, u64 wr_id,
		 enum ib_wc_status status, enum ib_wc_opcode op, u32 len)
{
	struct ib_wc wc = {
		.wr_id = wr_id, .status = status, .opcode = op,
		.byte_len = len, .qp = qp, .port_num = 1,
	};

	if (ib_cq_push_wc(cq, &wc, false) == -EOVERFLOW)
		ib_qp_report_error(qp, IB_EVENT_QP_FATAL);
}

/* Every queued receive completes with WR_FLUSH_ERR, in order. */
static void flush_rq(struct ib_qp *qp)
{
	struct vloop_rwqe r;

	while (rq_pop(qp, &r))
		push(qp->recv_cq, qp, r.wr_id, IB_WC_WR_FLUSH_ERR, IB_WC_RECV, 0);
}

static int vloop_modify_qp(struct ib_qp *qp, const struct ib_qp_attr *attr,
			   int mask)
{
	struct vloop_qp *vqp = to_vqp(qp);

	if (!(mask & IB_QP_STATE))
		return 0;
	if (attr->qp_state == IB_QPS_ERR) {
		flush_rq(qp);
	} else if (attr->qp_state == IB_QPS_RESET) {
		spin_lock(&vqp->lock);
		vqp->rq_count = 0;
		spin_unlock(&vqp->lock);
	}
	return 0;
}

/* ---- data movement --------------------------------------------------------- */

static u32 sgl_len(const struct ib_sge *sgl, int n)
{
	u32 len = 0;
	int i;

	for (i = 0; i < n; i++)
		len += sgl[i].length;
	return len;
}

/* Copy @len bytes between a flat buffer and an SGE list. */
static void sgl_copy(const struct ib_sge *sgl, int n, void *buf, u32 len,
		     bool to_sgl)
{
	u8 *p = buf;
	int i;

	for (i = 0; i < n && len; i++) {
		u32 c = min(len, sgl[i].length);
		void *va = (void *)(uintptr_t)sgl[i].addr;

		if (to_sgl)
			memcpy(va, p, c);
		else
			memcpy(p, va, c);
		p += c;
		len -= c;
	}
}

/* The responder side of a SEND or WRITE_WITH_IMM: one receive WQE. */
static enum ib_wc_status deliver_recv(struct ib_qp *peer, const void *data,
				      u32 len, const struct ib_send_wr *wr,
				      enum ib_wc_opcode op)
{
	struct vloop_rwqe r;
	struct ib_wc wc = { .qp = peer, .opcode = op, .port_num = 1 };

	if (ib_qp_get_state(peer) != IB_QPS_RTS &&
	    ib_qp_get_state(peer) != IB_QPS_RTR)
		return IB_WC_RETRY_EXC_ERR;
	if (!rq_pop(peer, &r))
		return IB_WC_RNR_RETRY_EXC_ERR;
	wc.wr_id = r.wr_id;
	if (op == IB_WC_RECV && len > sgl_len(r.sge, r.num_sge)) {
		wc.status = IB_WC_LOC_LEN_ERR;
		ib_cq_push_wc(peer->recv_cq, &wc, false);
		ib_qp_report_error(peer, IB_EVENT_QP_FATAL);
		return IB_WC_REM_INV_REQ_ERR;
	}
	if (op == IB_WC_RECV)
		sgl_copy(r.sge, r.num_sge, (void *)data, len, true);
	wc.byte_len = len;
	if (wr->opcode == IB_WR_SEND_WITH_IMM ||
	    wr->opcode == IB_WR_RDMA_WRITE_WITH_IMM) {
		wc.wc_flags = IB_WC_WITH_IMM;
		wc.ex.imm_data = wr->ex.imm_data;
	}
	if (ib_cq_push_wc(peer->recv_cq, &wc,
			  wr->send_flags & IB_SEND_SOLICITED) == -EOVERFLOW)
		ib_qp_report_error(peer, IB_EVENT_QP_FATAL);
	return IB_WC_SUCCESS;
}

/* An RDMA WRITE or READ against the peer's memory, checked like a responder. */
static enum ib_wc_status do_rdma(struct ib_qp *qp, const struct ib_send_wr *wr,
				 void *buf, u32 len)
{
	const struct ib_rdma_wr *rw = rdma_wr(wr);
	bool read = wr->opcode == IB_WR_RDMA_READ;
	struct ib_mr *mr = ib_mr_lookup_rkey(qp->device, rw->rkey);
	void *va = (void *)(uintptr_t)rw->remote_addr;

	if (ib_mr_check_range(mr, rw->remote_addr, len,
			      read ? IB_ACCESS_REMOTE_READ :
				     IB_ACCESS_REMOTE_WRITE)) {
		ib_mr_put(mr);
		return IB_WC_REM_ACCESS_ERR;
	}
	if (read)
		memcpy(buf, va, len);
	else
		memcpy(va, buf, len);
	ib_mr_put(mr);
	return IB_WC_SUCCESS;
}

static enum ib_wc_opcode send_wc_opcode(enum ib_wr_opcode op)
{
	switch (op) {
	case IB_WR_RDMA_WRITE:
	case IB_WR_RDMA_WRITE_WITH_IMM:
		return IB_WC_RDMA_WRITE;
	case IB_WR_RDMA_READ:
		return IB_WC_RDMA_READ;
	default:
		return IB_WC_SEND;
	}
}

static enum ib_wc_status execute(struct ib_qp *qp, struct ib_qp *peer,
				 const struct ib_send_wr *wr, u8 *buf, u32 len)
{
	enum ib_wc_status st = IB_WC_SUCCESS;

	switch (wr->opcode) {
	case IB_WR_SEND:
	case IB_WR_SEND_WITH_IMM:
		return deliver_recv(peer, buf, len, wr, IB_WC_RECV);
	case IB_WR_RDMA_WRITE_WITH_IMM:
		st = do_rdma(qp, wr, buf, len);
		if (st == IB_WC_SUCCESS)
			st = deliver_recv(peer, NULL, len, wr,
					  IB_WC_RECV_RDMA_WITH_IMM);
		return st;
	case IB_WR_RDMA_WRITE:
		return do_rdma(qp, wr, buf, len);
	case IB_WR_RDMA_READ:
		st = do_rdma(qp, wr, buf, len);
		if (st == IB_WC_SUCCESS)
			sgl_copy(wr->sg_list, wr->num_sge, buf, len, true);
		return st;
	default:
		return IB_WC_LOC_QP_OP_ERR;
	}
}

static void post_one_send(struct ib_qp *qp, const struct ib_send_wr *wr)
{
	u32 len = sgl_len(wr->sg_list, wr->num_sge);
	enum ib_wc_status st = IB_WC_WR_FLUSH_ERR;
	struct ib_qp *peer = NULL;
	u8 *buf = NULL;

	if (ib_qp_get_state(qp) == IB_QPS_ERR)
		goto complete;
	st = IB_WC_LOC_LEN_ERR;
	buf = len ? kmalloc(len, GFP_ATOMIC) : NULL;
	if (len > VLOOP_MAX_MSG || (len && !buf))
		goto complete;
	if (wr->opcode != IB_WR_RDMA_READ)
		sgl_copy(wr->sg_list, wr->num_sge, buf, len, false);
	st = IB_WC_RETRY_EXC_ERR;	/* nobody answers */
	peer = ib_qp_lookup(qp->device, qp->attr.dest_qp_num);
	if (peer)
		st = execute(qp, peer, wr, buf, len);
complete:
	ib_qp_put(peer);
	kfree(buf);
	if (st != IB_WC_SUCCESS || ib_send_wr_signaled(qp, wr))
		push(qp->send_cq, qp, wr->wr_id, st, send_wc_opcode(wr->opcode),
		     len);
	if (st == IB_WC_REM_ACCESS_ERR)
		ib_qp_report_error(qp, IB_EVENT_QP_ACCESS_ERR);
	else if (st != IB_WC_SUCCESS && st != IB_WC_WR_FLUSH_ERR)
		ib_qp_report_error(qp, IB_EVENT_QP_FATAL);
}

static int vloop_post_send(struct ib_qp *qp, const struct ib_send_wr *wr,
			   unsigned int nr_wr, const struct ib_send_wr **bad_wr)
{
	struct vloop_dev *vdev = to_vdev(qp->device);

	for (; nr_wr--; wr = wr->next) {
		atomic_inc(&vdev->posted_sends);
		post_one_send(qp, wr);
	}
	return 0;
}

static int vloop_post_recv(struct ib_qp *qp, const struct ib_recv_wr *wr,
			   unsigned int nr_wr, const struct ib_recv_wr **bad_wr)
{
	struct vloop_dev *vdev = to_vdev(qp->device);
	struct vloop_qp *vqp = to_vqp(qp);
	struct vloop_rwqe *r;

	for (; nr_wr--; wr = wr->next) {
		spin_lock(&vqp->lock);
		if (vqp->rq_count == VLOOP_MAX_WR) {
			spin_unlock(&vqp->lock);
			*bad_wr = wr;
			return -ENOMEM;
		}
		r = &vqp->rq[(vqp->rq_head + vqp->rq_count++) % VLOOP_MAX_WR];
		r->wr_id = wr->wr_id;
		r->num_sge = wr->num_sge;
		memcpy(r->sge, wr->sg_list, wr->num_sge * sizeof(*wr->sg_list));
		spin_unlock(&vqp->lock);
		atomic_inc(&vdev->posted_recvs);
	}
	if (ib_qp_get_state(qp) == IB_QPS_ERR)
		flush_rq(qp);
	return 0;
}

static const struct ib_device_ops vloop_ops = {
	.query_port	= vloop_query_port,
	.create_qp	= vloop_create_qp,
	.modify_qp	= vloop_modify_qp,
	.destroy_qp	= vloop_destroy_qp,
	.post_send	= vloop_post_send,
	.post_recv	= vloop_post_recv,
	.qp_priv_size	= sizeof(struct vloop_qp),
};

static const struct ib_device_attr vloop_attrs = {
	.max_mr_size = ~0ULL,
	.max_qp = VLOOP_MAX_QP,
	.max_qp_wr = VLOOP_MAX_WR,
	.max_send_sge = VLOOP_MAX_SGE,
	.max_recv_sge = VLOOP_MAX_SGE,
	.max_cq = 16,
	.max_cqe = 1024,
	.max_mr = 32,
	.max_pd = 8,
	.max_qp_rd_atom = 4,
	.max_qp_init_rd_atom = 4,
};

struct ib_device *vloop_create(const char *name, struct netdev *ndev)
{
	struct vloop_dev *vdev = ib_alloc_device(vloop_dev, ibdev);

	if (!vdev)
		return NULL;
	vdev->ibdev.ops = &vloop_ops;
	vdev->ibdev.attrs = vloop_attrs;
	vdev->ibdev.phys_port_cnt = 1;
	if ((ndev && ib_device_set_netdev(&vdev->ibdev, ndev, 1)) ||
	    ib_register_device(&vdev->ibdev, name)) {
		ib_dealloc_device(&vdev->ibdev);
		return NULL;
	}
	return &vdev->ibdev;
}

int vloop_destroy(struct ib_device *dev)
{
	int err = ib_unregister_device(dev);

	if (!err)
		ib_dealloc_device(dev);
	return err;
}

unsigned long vloop_posted_sends(struct ib_device *dev)
{
	return atomic_read(&to_vdev(dev)->posted_sends);
}

unsigned long vloop_posted_recvs(struct ib_device *dev)
{
	return atomic_read(&to_vdev(dev)->posted_recvs);
}
