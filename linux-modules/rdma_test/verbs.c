// SPDX-License-Identifier: GPL-2.0
/*
 * The verbs side of rdma_test.ko: find the port's IPv4 RoCEv2 GID and its
 * MAC, allocate and map the buffers, create the PD, CQ, RC QP and the MR
 * the peer reads and writes, and connect the QP (wr.c posts and completes
 * work requests). Only in-kernel verbs, so it runs on rxe, mlx4 or mlx5
 * alike.
 *
 * Memory registration: local buffers use the PD's local_dma_lkey (every
 * kernel PD has one); the one region the peer may touch is a fast-
 * registration MR (ib_alloc_mr + ib_map_mr_sg + IB_WR_REG_MR) over exactly
 * that region, which rxe 6.1 supports. The alternative, a PD with
 * IB_PD_UNSAFE_GLOBAL_RKEY (rxe has the get_dma_mr it needs), gives an
 * rkey that opens all of the kernel's memory to anyone on the segment who
 * can guess it, and a peer that writes past its target would corrupt the
 * kernel instead of getting a remote access error (NAK 0x62): with a
 * bounded MR an off-by-N in the LegoOS requester is a failed step. rxe is
 * a "virt DMA" device: a mapped address is the kernel virtual address, and
 * that is the region's RETH VA (the MR's iova, announced in the hello).
 *
 * Tested on Debian's 6.1.0-56-amd64 with rdma_rxe over virtio-net-pci, in
 * QEMU 7.2 under TCG (tests/linuxvm/test_rdma_linux.py).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/gfp.h>
#include <linux/random.h>
#include <net/ipv6.h>
#include <rdma/ib_cache.h>

#include "internal.h"

/* ---- the port's IPv4 GID --------------------------------------------------- */

static int rt_take_gid(struct rt_ctx *ctx, const struct ib_gid_attr *attr)
{
	struct net_device *ndev;

	rcu_read_lock();
	ndev = rdma_read_gid_attr_ndev_rcu(attr);
	if (IS_ERR(ndev)) {
		rcu_read_unlock();
		return PTR_ERR(ndev);
	}
	ether_addr_copy(ctx->mac, ndev->dev_addr);
	rcu_read_unlock();
	ctx->sgid = attr->gid;
	ctx->sgid_index = attr->index;
	return 0;
}

/* 0 when found, -EAGAIN while the port is down or has no such GID yet. */
static int rt_try_gid(struct rt_ctx *ctx)
{
	const struct ib_gid_attr *attr;
	struct ib_port_attr pattr;
	unsigned int i;
	int err;

	err = ib_query_port(ctx->dev, RT_PORT_NUM, &pattr);
	if (err)
		return err;
	if (pattr.state != IB_PORT_ACTIVE)
		return -EAGAIN;
	ctx->mtu = pattr.active_mtu;
	/* sgid_index is a u8 in the address vector. */
	for (i = 0; i < pattr.gid_tbl_len && i <= U8_MAX; i++) {
		attr = rdma_get_gid_attr(ctx->dev, RT_PORT_NUM, i);
		if (IS_ERR(attr))
			continue;
		/* rxe sends IPv4 iff the source GID is v4-mapped (notes B.11). */
		err = -EAGAIN;
		if (attr->gid_type == IB_GID_TYPE_ROCE_UDP_ENCAP &&
		    ipv6_addr_v4mapped((const struct in6_addr *)attr->gid.raw))
			err = rt_take_gid(ctx, attr);
		rdma_put_gid_attr(attr);
		if (err != -EAGAIN)
			return err;
	}
	return -EAGAIN;
}

/* Wait until port 1 is active with an IPv4 RoCEv2 GID: rxe fills its GID
 * table from the netdev's addresses after the device registers. */
int rt_find_gid(struct rt_ctx *ctx)
{
	int err;

	for (;;) {
		err = rt_try_gid(ctx);
		if (err != -EAGAIN)
			break;
		err = rt_stop_reason(ctx);
		if (err)
			return rt_fail(ctx, err, "%s: port %d never became active "
				       "with an IPv4 RoCEv2 GID",
				       dev_name(&ctx->dev->dev), RT_PORT_NUM);
		msleep_interruptible(100);
	}
	if (err)
		return rt_fail(ctx, err, "%s: reading the GID table failed",
			       dev_name(&ctx->dev->dev));
	ctx->rd_atomic = clamp(ctx->dev->attrs.max_qp_rd_atom, 1, RT_RD_ATOMIC);
	pr_info("%s: port %d GID[%u] %pI6c MAC %pM active MTU %d\n",
		dev_name(&ctx->dev->dev), RT_PORT_NUM, ctx->sgid_index,
		ctx->sgid.raw, ctx->mac, ib_mtu_enum_to_int(ctx->mtu));
	return 0;
}

/* ---- buffers ---------------------------------------------------------------- */

static int rt_buf_alloc(struct rt_ctx *ctx, struct rt_buf *b, size_t len)
{
	b->cpu = alloc_pages_exact(len, GFP_KERNEL | __GFP_NOWARN);
	if (!b->cpu)
		return -ENOMEM;
	b->len = len;
	b->dma = ib_dma_map_single(ctx->dev, b->cpu, len, DMA_BIDIRECTIONAL);
	if (ib_dma_mapping_error(ctx->dev, b->dma)) {
		free_pages_exact(b->cpu, len);
		b->cpu = NULL;
		return -EIO;
	}
	return 0;
}

static void rt_buf_free(struct rt_ctx *ctx, struct rt_buf *b)
{
	if (!b->cpu)
		return;
	ib_dma_unmap_single(ctx->dev, b->dma, b->len, DMA_BIDIRECTIONAL);
	free_pages_exact(b->cpu, b->len);
	b->cpu = NULL;
}

void rt_sync_for_cpu(struct rt_ctx *ctx, struct rt_buf *b)
{
	ib_dma_sync_single_for_cpu(ctx->dev, b->dma, b->len, DMA_BIDIRECTIONAL);
}

void rt_sync_for_device(struct rt_ctx *ctx, struct rt_buf *b)
{
	ib_dma_sync_single_for_device(ctx->dev, b->dma, b->len,
				      DMA_BIDIRECTIONAL);
}

static int rt_alloc_bufs(struct rt_ctx *ctx)
{
	u32 slot_len = rt_max_msg(ctx) + RDMA_TEST_GUARD;
	int i, err;

	err = rt_buf_alloc(ctx, &ctx->region, ctx->max_size + RDMA_TEST_SLACK);
	if (!err)
		err = rt_buf_alloc(ctx, &ctx->src, ctx->max_size);
	if (!err)
		err = rt_buf_alloc(ctx, &ctx->sink,
				   ctx->max_size + RDMA_TEST_GUARD);
	if (!err)
		err = rt_buf_alloc(ctx, &ctx->ctrl, RDMA_TEST_MSG_LEN);
	for (i = 0; !err && i < RT_NR_SLOTS; i++) {
		err = rt_buf_alloc(ctx, &ctx->slots[i], slot_len);
		if (!err)
			memset(ctx->slots[i].cpu, RDMA_TEST_POISON, slot_len);
	}
	if (err)
		return rt_fail(ctx, err, "allocating %u KiB of buffers failed",
			       (3 * ctx->max_size + RT_NR_SLOTS * slot_len) >> 10);
	return 0;
}

/* ---- objects and QP states -------------------------------------------------- */

static int rt_modify(struct rt_ctx *ctx, struct ib_qp_attr *attr, int mask,
		     const char *what)
{
	int err = ib_modify_qp(ctx->qp, attr, mask);

	if (err)
		return rt_fail(ctx, err, "moving the QP to %s failed", what);
	return 0;
}

static int rt_create_qp(struct rt_ctx *ctx)
{
	struct ib_cq_init_attr cq_attr = { .cqe = 2 * RT_NR_SLOTS + 8 };
	struct ib_qp_init_attr qp_attr = {
		.event_handler = rt_qp_event,
		.qp_context = ctx,
		.sq_sig_type = IB_SIGNAL_ALL_WR,
		.qp_type = IB_QPT_RC,
		.cap = {
			.max_send_wr = 8,
			.max_recv_wr = RT_NR_SLOTS,
			.max_send_sge = 1,
			.max_recv_sge = 1,
		},
	};
	struct ib_pd *pd;
	struct ib_cq *cq;
	struct ib_qp *qp;

	pd = ib_alloc_pd(ctx->dev, 0);
	if (IS_ERR(pd))
		return rt_fail(ctx, PTR_ERR(pd), "ib_alloc_pd failed");
	ctx->pd = pd;
	cq = ib_create_cq(ctx->dev, rt_cq_comp, rt_cq_event, ctx, &cq_attr);
	if (IS_ERR(cq))
		return rt_fail(ctx, PTR_ERR(cq), "ib_create_cq failed");
	ctx->cq = cq;
	qp_attr.send_cq = cq;
	qp_attr.recv_cq = cq;
	qp = ib_create_qp(pd, &qp_attr);
	if (IS_ERR(qp))
		return rt_fail(ctx, PTR_ERR(qp), "ib_create_qp failed");
	ctx->qp = qp;
	return 0;
}

/* A fast-registration MR over exactly the region; valid once the REG_MR
 * work request has completed (rt_connect). */
static int rt_alloc_mr(struct rt_ctx *ctx)
{
	u32 pages = DIV_ROUND_UP(ctx->region.len, PAGE_SIZE);
	struct ib_mr *mr;
	int n;

	mr = ib_alloc_mr(ctx->pd, IB_MR_TYPE_MEM_REG, pages);
	if (IS_ERR(mr))
		return rt_fail(ctx, PTR_ERR(mr), "ib_alloc_mr of %u pages failed",
			       pages);
	ctx->mr = mr;
	sg_init_table(&ctx->region_sg, 1);
	sg_dma_address(&ctx->region_sg) = ctx->region.dma;
	sg_dma_len(&ctx->region_sg) = ctx->region.len;
	n = ib_map_mr_sg(ctx->mr, &ctx->region_sg, 1, NULL, PAGE_SIZE);
	if (n != 1)
		return rt_fail(ctx, n < 0 ? n : -EINVAL,
			       "ib_map_mr_sg of the region failed (%d)", n);
	ib_update_fast_reg_key(ctx->mr, ib_inc_rkey(ctx->mr->rkey) & 0xff);
	return 0;
}

/* Everything up to a QP in INIT with its receives posted, and what we
 * announce in our hellos. */
int rt_setup(struct rt_ctx *ctx)
{
	struct ib_qp_attr attr = {
		.qp_state = IB_QPS_INIT,
		.pkey_index = 0,
		.port_num = RT_PORT_NUM,
		.qp_access_flags = IB_ACCESS_REMOTE_WRITE |
				   IB_ACCESS_REMOTE_READ,
	};
	struct rdma_test_hello_fields *l = &ctx->local;
	int i, err;

	err = rt_alloc_bufs(ctx);
	if (!err)
		err = rt_create_qp(ctx);
	if (!err)
		err = rt_alloc_mr(ctx);
	if (!err)
		err = rt_modify(ctx, &attr, IB_QP_STATE | IB_QP_PKEY_INDEX |
				IB_QP_PORT | IB_QP_ACCESS_FLAGS, "INIT");
	for (i = 0; !err && i < RT_NR_SLOTS; i++)
		err = rt_repost(ctx, i, 0);
	if (err)
		return err;

	/* Start close to the 24-bit wrap, so that every run crosses it. */
	ctx->psn = 0xfff000 | (get_random_u32() & 0xfff);
	l->role = ctx->role;
	l->mtu = ctx->mtu;
	l->rd_atomic = ctx->rd_atomic;
	l->nonce = get_random_u32() | 1;
	l->qpn = ctx->qp->qp_num;
	l->psn = ctx->psn;
	memcpy(l->gid, ctx->sgid.raw, sizeof(l->gid));
	ether_addr_copy(l->mac, ctx->mac);
	l->addr = ctx->mr->iova;
	l->rkey = ctx->mr->rkey;
	l->len = ctx->mr->length;
	l->max_msg = rt_max_msg(ctx);
	return 0;
}

static int rt_to_rtr(struct rt_ctx *ctx,
		     const struct rdma_test_hello_fields *peer)
{
	struct ib_qp_attr attr = {
		.qp_state = IB_QPS_RTR,
		.path_mtu = min_t(enum ib_mtu, ctx->mtu, peer->mtu),
		.dest_qp_num = peer->qpn,
		.rq_psn = peer->psn,
		.max_dest_rd_atomic = min(ctx->rd_atomic, peer->rd_atomic),
		.min_rnr_timer = RT_MIN_RNR_TIMER,
	};
	union ib_gid dgid;

	memcpy(dgid.raw, peer->gid, sizeof(dgid.raw));
	attr.ah_attr.type = rdma_ah_find_type(ctx->dev, RT_PORT_NUM);
	rdma_ah_set_port_num(&attr.ah_attr, RT_PORT_NUM);
	rdma_ah_set_grh(&attr.ah_attr, &dgid, 0, ctx->sgid_index,
			RT_HOP_LIMIT, 0);
	/* Kernel QPs are not resolved by ib_modify_qp (notes B.12). */
	ether_addr_copy(attr.ah_attr.roce.dmac, peer->mac);
	return rt_modify(ctx, &attr, IB_QP_STATE | IB_QP_AV | IB_QP_PATH_MTU |
			 IB_QP_DEST_QPN | IB_QP_RQ_PSN |
			 IB_QP_MAX_DEST_RD_ATOMIC | IB_QP_MIN_RNR_TIMER, "RTR");
}

static int rt_to_rts(struct rt_ctx *ctx,
		     const struct rdma_test_hello_fields *peer)
{
	struct ib_qp_attr attr = {
		.qp_state = IB_QPS_RTS,
		.sq_psn = ctx->psn,
		.timeout = RT_TIMEOUT,
		.retry_cnt = RT_RETRY_CNT,
		.rnr_retry = RT_RNR_RETRY,
		.max_rd_atomic = min(ctx->rd_atomic, peer->rd_atomic),
	};

	return rt_modify(ctx, &attr, IB_QP_STATE | IB_QP_SQ_PSN |
			 IB_QP_TIMEOUT | IB_QP_RETRY_CNT | IB_QP_RNR_RETRY |
			 IB_QP_MAX_QP_RD_ATOMIC, "RTS");
}

/* Connect to @peer and make the region accessible to it. */
int rt_connect(struct rt_ctx *ctx, const struct rdma_test_hello_fields *peer)
{
	struct ib_reg_wr reg = {
		.wr = {
			.wr_id = RT_WR_REG,
			.opcode = IB_WR_REG_MR,
			.send_flags = IB_SEND_SIGNALED,
		},
		.mr = ctx->mr,
		.key = ctx->mr->rkey,
		.access = IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_WRITE |
			  IB_ACCESS_REMOTE_READ,
	};
	int err;

	err = rt_to_rtr(ctx, peer);
	if (!err)
		err = rt_to_rts(ctx, peer);
	if (!err)
		err = rt_post_send(ctx, &reg.wr);
	if (!err)
		err = rt_wait_send(ctx, RT_WR_REG);
	if (err)
		return rt_fail(ctx, err, "connecting to QP 0x%06x failed",
			       peer->qpn);
	pr_info("QP 0x%06x PSN 0x%06x -> %pI6c QP 0x%06x PSN 0x%06x MAC %pM, "
		"path MTU %d; region %u B at 0x%llx rkey 0x%08x\n",
		ctx->qp->qp_num, ctx->psn, peer->gid, peer->qpn, peer->psn,
		peer->mac, ib_mtu_enum_to_int(min_t(enum ib_mtu, ctx->mtu,
						    peer->mtu)),
		ctx->local.len, ctx->local.addr, ctx->local.rkey);
	return 0;
}

void rt_teardown(struct rt_ctx *ctx)
{
	int i;

	if (ctx->qp)
		ib_destroy_qp(ctx->qp);
	if (ctx->mr)
		ib_dereg_mr(ctx->mr);
	if (ctx->cq)
		ib_destroy_cq(ctx->cq);
	ctx->qp = NULL;
	ctx->mr = NULL;
	ctx->cq = NULL;
	for (i = 0; i < RT_NR_SLOTS; i++)
		rt_buf_free(ctx, &ctx->slots[i]);
	rt_buf_free(ctx, &ctx->ctrl);
	rt_buf_free(ctx, &ctx->sink);
	rt_buf_free(ctx, &ctx->src);
	rt_buf_free(ctx, &ctx->region);
	if (ctx->pd)
		ib_dealloc_pd(ctx->pd);
	ctx->pd = NULL;
}
