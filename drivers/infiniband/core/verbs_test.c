// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite "verbs": the verbs core end to end, on the vloop loopback
 * provider (verbs_fake.c) registered by the suite.  This half: clients,
 * ports and GIDs, PD/MR/CQ/QP lifecycles, the QP state machine, destroys
 * refused while objects are in use, and the shared fixture; the data path
 * is in verbs_post_test.c.  Run with `ktest=verbs`.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <net/byteorder.h>

#include "internal.h"
#include "verbs_fake.h"
#include "verbs_test.h"

static struct netdev test_ndev = {
	.name = "vtest0",
	.mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
	.mtu = 1500,
};
struct ib_device *vt_dev;
static int client_adds, client_removes;
static struct ib_device *client_seen;

static int test_client_add(struct ib_device *dev)
{
	client_adds++;
	client_seen = dev;
	return 0;
}

static void test_client_remove(struct ib_device *dev, void *data)
{
	client_removes++;
}

static struct ib_client test_client = {
	.name = "verbs_test",
	.add = test_client_add,
	.remove = test_client_remove,
};

static int verbs_init(void)
{
	test_ndev.ip_addr = IPV4_ADDR(10, 0, 0, 1);
	if (ib_register_client(&test_client))
		return -1;
	vt_dev = vloop_create("vloop%d", &test_ndev);
	return vt_dev ? 0 : -1;
}

static void verbs_exit(void)
{
	vloop_destroy(vt_dev);
	ib_unregister_client(&test_client);
}

/* ---- a connected pair of QPs (verbs_test.h) ------------------------------------ */

struct ib_qp *vt_make_qp(struct vt_pair *p)
{
	struct ib_qp_init_attr ia = {
		.send_cq = p->cq, .recv_cq = p->cq,
		.cap = { .max_send_wr = 32, .max_recv_wr = 32,
			 .max_send_sge = 2, .max_recv_sge = 2,
			 .max_inline_data = 16 },
		.sq_sig_type = IB_SIGNAL_ALL_WR,
		.qp_type = IB_QPT_RC,
	};

	return ib_create_qp(p->pd, &ia);
}

int vt_to_init(struct ib_qp *qp)
{
	struct ib_qp_attr at = {
		.qp_state = IB_QPS_INIT, .port_num = 1, .pkey_index = 0,
		.qp_access_flags = IB_ACCESS_REMOTE_WRITE | IB_ACCESS_REMOTE_READ,
	};

	return ib_modify_qp(qp, &at, IB_QP_STATE | IB_QP_PKEY_INDEX |
			    IB_QP_PORT | IB_QP_ACCESS_FLAGS);
}

const int vt_rtr_mask = IB_QP_STATE | IB_QP_AV | IB_QP_PATH_MTU |
	IB_QP_DEST_QPN | IB_QP_RQ_PSN | IB_QP_MAX_DEST_RD_ATOMIC |
	IB_QP_MIN_RNR_TIMER;
const int vt_rts_mask = IB_QP_STATE | IB_QP_SQ_PSN | IB_QP_TIMEOUT |
	IB_QP_RETRY_CNT | IB_QP_RNR_RETRY | IB_QP_MAX_QP_RD_ATOMIC;

void vt_rtr_attr(struct ib_qp_attr *at, u32 dest)
{
	union ib_gid dgid;

	memset(at, 0, sizeof(*at));
	rdma_gid_from_ipv4(&dgid, IPV4_ADDR(10, 0, 0, 2));
	at->qp_state = IB_QPS_RTR;
	at->ah_attr.type = RDMA_AH_ATTR_TYPE_ROCE;
	rdma_ah_set_port_num(&at->ah_attr, 1);
	rdma_ah_set_grh(&at->ah_attr, &dgid, 0, 1, 64, 0);
	at->path_mtu = IB_MTU_1024;
	at->dest_qp_num = dest;
	at->rq_psn = 100;
	at->max_dest_rd_atomic = 1;
	at->min_rnr_timer = 12;
}

void vt_rts_attr(struct ib_qp_attr *at)
{
	memset(at, 0, sizeof(*at));
	at->qp_state = IB_QPS_RTS;
	at->sq_psn = 100;
	at->timeout = 14;
	at->retry_cnt = 7;
	at->rnr_retry = 7;
	at->max_rd_atomic = 1;
}

int vt_connect(struct ib_qp *qp, u32 dest)
{
	struct ib_qp_attr at;
	int err = vt_to_init(qp);

	vt_rtr_attr(&at, dest);
	if (!err)
		err = ib_modify_qp(qp, &at, vt_rtr_mask);
	vt_rts_attr(&at);
	if (!err)
		err = ib_modify_qp(qp, &at, vt_rts_mask);
	return err;
}

void vt_pair_free(struct vt_pair *p)
{
	if (!IS_ERR_OR_NULL(p->a))
		ib_destroy_qp(p->a);
	if (!IS_ERR_OR_NULL(p->b))
		ib_destroy_qp(p->b);
	if (!IS_ERR_OR_NULL(p->mr_a))
		ib_dereg_mr(p->mr_a);
	if (!IS_ERR_OR_NULL(p->mr_b))
		ib_dereg_mr(p->mr_b);
	if (!IS_ERR_OR_NULL(p->cq))
		ib_destroy_cq(p->cq);
	if (!IS_ERR_OR_NULL(p->pd))
		ib_dealloc_pd(p->pd);
	kfree(p->buf_a);
	kfree(p->buf_b);
	memset(p, 0, sizeof(*p));
}

/* PD, one CQ of @cqe entries, two 4 KiB MRs with all rights, QPs in RTS. */
int vt_pair_setup(struct vt_pair *p, unsigned int cqe, ib_comp_handler h)
{
	struct ib_cq_init_attr ca = { .cqe = cqe };
	const int all = IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_WRITE |
			IB_ACCESS_REMOTE_READ;

	memset(p, 0, sizeof(*p));
	p->pd = ib_alloc_pd(vt_dev, 0);
	p->cq = ib_create_cq(vt_dev, h, NULL, p, &ca);
	p->buf_a = kzalloc(BUF_LEN, GFP_KERNEL);
	p->buf_b = kzalloc(BUF_LEN, GFP_KERNEL);
	if (IS_ERR(p->pd) || IS_ERR(p->cq) || !p->buf_a || !p->buf_b)
		goto out_free;
	p->mr_a = ib_reg_kernel_mr(p->pd, p->buf_a, BUF_LEN, all);
	p->mr_b = ib_reg_kernel_mr(p->pd, p->buf_b, BUF_LEN, all);
	p->a = vt_make_qp(p);
	p->b = vt_make_qp(p);
	if (IS_ERR(p->mr_a) || IS_ERR(p->mr_b) || IS_ERR(p->a) || IS_ERR(p->b))
		goto out_free;
	if (vt_connect(p->a, p->b->qp_num) || vt_connect(p->b, p->a->qp_num))
		goto out_free;
	return 0;
out_free:
	vt_pair_free(p);
	return -1;
}

struct ib_sge vt_sge(struct ib_mr *mr, void *addr, u32 len)
{
	return (struct ib_sge){ .addr = (uintptr_t)addr, .length = len,
				.lkey = mr->lkey };
}

/* ---- devices, clients, ports ------------------------------------------------------ */

static void device_and_client(struct ktest *t)
{
	struct ib_port_attr pa;
	u16 pkey = 0;
	int x;

	KTEST_EXPECT_GE(t, client_adds, 1);
	KTEST_EXPECT_TRUE(t, client_seen == vt_dev);
	KTEST_EXPECT_TRUE(t, ib_device_get_by_name(vt_dev->name) == vt_dev);
	ib_set_client_data(vt_dev, &test_client, &x);
	KTEST_EXPECT_TRUE(t, ib_get_client_data(vt_dev, &test_client) == &x);
	KTEST_ASSERT_EQ(t, ib_query_port(vt_dev, 1, &pa), 0);
	KTEST_EXPECT_EQ(t, pa.state, IB_PORT_ACTIVE);
	KTEST_EXPECT_EQ(t, pa.gid_tbl_len, IB_GID_TABLE_LEN);
	KTEST_EXPECT_EQ(t, pa.link_layer, IB_LINK_LAYER_ETHERNET);
	KTEST_EXPECT_EQ(t, ib_query_port(vt_dev, 2, &pa), -EINVAL);
	KTEST_EXPECT_EQ(t, ib_query_port(vt_dev, 0, &pa), -EINVAL);
	KTEST_EXPECT_EQ(t, ib_query_pkey(vt_dev, 1, 0, &pkey), 0);
	KTEST_EXPECT_EQ(t, pkey, 0xffff);
	KTEST_EXPECT_EQ(t, ib_query_pkey(vt_dev, 1, 1, &pkey), -EINVAL);
	KTEST_EXPECT_TRUE(t, ib_device_get_netdev(vt_dev, 1) == &test_ndev);
}

static void gid_table(struct ktest *t)
{
	static const u8 want0[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
				      0x50, 0x54, 0x00, 0xff, 0xfe, 0x12,
				      0x34, 0x56 };
	union ib_gid gid, v4;
	struct ib_gid_attr ga;
	u32 port = 0;
	u16 index = 0;

	KTEST_ASSERT_EQ(t, ib_query_gid(vt_dev, 1, 0, &gid), 0);
	KTEST_EXPECT_EQ(t, memcmp(gid.raw, want0, 16), 0);
	rdma_gid_from_ipv4(&v4, IPV4_ADDR(10, 0, 0, 1));
	KTEST_ASSERT_EQ(t, ib_query_gid_attr(vt_dev, 1, 1, &ga), 0);
	KTEST_EXPECT_TRUE(t, rdma_gid_equal(&ga.gid, &v4));
	KTEST_EXPECT_EQ(t, ga.gid_type, IB_GID_TYPE_ROCE_UDP_ENCAP);
	KTEST_EXPECT_EQ(t, ib_find_gid(vt_dev, &v4, &port, &index), 0);
	KTEST_EXPECT_EQ(t, port, 1);
	KTEST_EXPECT_EQ(t, index, 1);
	KTEST_EXPECT_EQ(t, ib_query_gid(vt_dev, 1, 2, &gid), -ENOENT);
	KTEST_EXPECT_EQ(t, ib_query_gid(vt_dev, 1, IB_GID_TABLE_LEN, &gid),
			-EINVAL);
	/* the table follows the netdev's address */
	test_ndev.ip_addr = IPV4_ADDR(10, 0, 0, 9);
	KTEST_ASSERT_EQ(t, ib_query_gid(vt_dev, 1, 1, &gid), 0);
	rdma_gid_from_ipv4(&v4, IPV4_ADDR(10, 0, 0, 9));
	KTEST_EXPECT_TRUE(t, rdma_gid_equal(&gid, &v4));
	test_ndev.ip_addr = 0;
	KTEST_EXPECT_EQ(t, ib_query_gid(vt_dev, 1, 1, &gid), -ENOENT);
	test_ndev.ip_addr = IPV4_ADDR(10, 0, 0, 1);
	KTEST_EXPECT_EQ(t, ib_query_gid(vt_dev, 1, 1, &gid), 0);
}

/* ---- PDs and MRs ---------------------------------------------------------------- */

static void pd_mr_lifecycle(struct ktest *t)
{
	struct ib_pd *pd = ib_alloc_pd(vt_dev, 0);
	u8 *buf = kzalloc(BUF_LEN, GFP_KERNEL);
	struct ib_mr *mr, *local, *found;
	u32 rkey;

	KTEST_ASSERT_FALSE(t, IS_ERR(pd));
	KTEST_ASSERT_NOT_NULL(t, buf);
	KTEST_EXPECT_NE(t, pd->local_dma_lkey, 0);
	KTEST_EXPECT_EQ(t, PTR_ERR(ib_alloc_pd(vt_dev, IB_PD_UNSAFE_GLOBAL_RKEY)),
			-EOPNOTSUPP);
	KTEST_EXPECT_EQ(t, PTR_ERR(ib_reg_kernel_mr(pd, NULL, 8, 0)), -EINVAL);
	KTEST_EXPECT_EQ(t, PTR_ERR(ib_reg_kernel_mr(pd, buf, 0, 0)), -EINVAL);
	KTEST_EXPECT_EQ(t, PTR_ERR(ib_reg_kernel_mr(pd, (void *)~0UL, 2, 0)),
			-EINVAL);
	KTEST_EXPECT_EQ(t, PTR_ERR(ib_reg_kernel_mr(pd, buf, 8,
			IB_ACCESS_REMOTE_WRITE)), -EINVAL);
	KTEST_EXPECT_EQ(t, PTR_ERR(ib_reg_kernel_mr(pd, buf, 8,
			IB_ACCESS_MW_BIND)), -EOPNOTSUPP);
	KTEST_EXPECT_EQ(t, PTR_ERR(ib_reg_kernel_mr(pd, buf, 8, 1 << 9)),
			-EINVAL);

	mr = ib_reg_kernel_mr(pd, buf, BUF_LEN, IB_ACCESS_LOCAL_WRITE |
			      IB_ACCESS_REMOTE_WRITE);
	local = ib_reg_kernel_mr(pd, buf, BUF_LEN, IB_ACCESS_LOCAL_WRITE);
	KTEST_ASSERT_FALSE(t, IS_ERR(mr));
	KTEST_ASSERT_FALSE(t, IS_ERR(local));
	KTEST_EXPECT_EQ(t, mr->rkey, mr->lkey);
	KTEST_EXPECT_EQ(t, local->rkey, 0);
	KTEST_EXPECT_NE(t, mr->lkey, local->lkey);
	found = ib_mr_lookup_rkey(vt_dev, mr->rkey);
	KTEST_EXPECT_TRUE(t, found == mr);
	ib_mr_put(found);
	KTEST_EXPECT_NULL(t, ib_mr_lookup_rkey(vt_dev, local->lkey));
	KTEST_EXPECT_NULL(t, ib_mr_lookup_rkey(vt_dev, 0));
	found = ib_mr_lookup_lkey(vt_dev, local->lkey);
	KTEST_EXPECT_TRUE(t, found == local);
	ib_mr_put(found);

	KTEST_EXPECT_EQ(t, ib_dealloc_pd(pd), -EBUSY);
	rkey = mr->rkey;
	KTEST_EXPECT_EQ(t, ib_dereg_mr(mr), 0);
	KTEST_EXPECT_NULL(t, ib_mr_lookup_rkey(vt_dev, rkey));	/* stale key */
	KTEST_EXPECT_EQ(t, ib_dereg_mr(local), 0);
	KTEST_EXPECT_EQ(t, ib_dealloc_pd(pd), 0);
	kfree(buf);
}

static void cq_lifecycle(struct ktest *t)
{
	struct ib_cq_init_attr ca = { .cqe = 8 };
	struct ib_cq_init_attr bad = { .cqe = 0 };
	struct ib_wc wc;
	struct ib_cq *cq;

	KTEST_EXPECT_EQ(t, PTR_ERR(ib_create_cq(vt_dev, NULL, NULL, NULL, &bad)),
			-EINVAL);
	bad.cqe = 1 << 20;
	KTEST_EXPECT_EQ(t, PTR_ERR(ib_create_cq(vt_dev, NULL, NULL, NULL, &bad)),
			-EINVAL);
	bad.cqe = 8;
	bad.comp_vector = 1;
	KTEST_EXPECT_EQ(t, PTR_ERR(ib_create_cq(vt_dev, NULL, NULL, NULL, &bad)),
			-EINVAL);
	cq = ib_create_cq(vt_dev, NULL, NULL, NULL, &ca);
	KTEST_ASSERT_FALSE(t, IS_ERR(cq));
	KTEST_EXPECT_EQ(t, ib_poll_cq(cq, 1, &wc), 0);
	KTEST_EXPECT_EQ(t, ib_poll_cq(cq, -1, &wc), -EINVAL);
	KTEST_EXPECT_EQ(t, ib_req_notify_cq(cq, IB_CQ_NEXT_COMP), -EINVAL);
	KTEST_EXPECT_EQ(t, ib_destroy_cq(cq), 0);
}

/* ---- the QP state machine ----------------------------------------------------- */

static void qp_state_machine(struct ktest *t)
{
	struct ib_qp_init_attr ia = { .qp_type = IB_QPT_UD };
	struct ib_qp_attr at, q;
	struct vt_pair p = {};
	struct ib_qp *qp;
	int init_mask = IB_QP_STATE | IB_QP_PKEY_INDEX | IB_QP_PORT |
			IB_QP_ACCESS_FLAGS;

	KTEST_ASSERT_EQ(t, vt_pair_setup(&p, 64, NULL), 0);
	ia.send_cq = ia.recv_cq = p.cq;
	KTEST_EXPECT_EQ(t, PTR_ERR(ib_create_qp(p.pd, &ia)), -EOPNOTSUPP);
	ia.qp_type = IB_QPT_RC;
	ia.cap.max_send_sge = VLOOP_MAX_SGE + 1;
	KTEST_EXPECT_EQ(t, PTR_ERR(ib_create_qp(p.pd, &ia)), -EINVAL);
	qp = vt_make_qp(&p);
	KTEST_ASSERT_FALSE(t, IS_ERR(qp));
	KTEST_EXPECT_GE(t, qp->qp_num, 2);
	KTEST_EXPECT_NE(t, qp->qp_num, p.a->qp_num);
	KTEST_EXPECT_EQ(t, ib_qp_get_state(qp), IB_QPS_RESET);

	memset(&at, 0, sizeof(at));
	at.qp_state = IB_QPS_INIT;
	at.port_num = 1;
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, init_mask & ~IB_QP_PORT),
			-EINVAL);			/* missing */
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, init_mask | IB_QP_SQ_PSN),
			-EINVAL);			/* extra */
	at.port_num = 2;
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, init_mask), -EINVAL);
	at.qp_state = IB_QPS_RTS;
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, IB_QP_STATE), -EINVAL);
	KTEST_EXPECT_EQ(t, ib_qp_get_state(qp), IB_QPS_RESET);
	KTEST_ASSERT_EQ(t, vt_to_init(qp), 0);
	KTEST_EXPECT_EQ(t, ib_qp_get_state(qp), IB_QPS_INIT);

	vt_rtr_attr(&at, p.a->qp_num);
	at.ah_attr.grh.sgid_index = 3;			/* empty entry */
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, vt_rtr_mask), -EINVAL);
	vt_rtr_attr(&at, p.a->qp_num);
	at.path_mtu = 6;
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, vt_rtr_mask), -EINVAL);
	vt_rtr_attr(&at, p.a->qp_num);
	at.ah_attr.ah_flags = 0;			/* RoCE needs the GRH */
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, vt_rtr_mask), -EINVAL);
	vt_rtr_attr(&at, p.a->qp_num);
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, vt_rtr_mask | IB_QP_ALT_PATH),
			-EOPNOTSUPP);
	KTEST_ASSERT_EQ(t, ib_modify_qp(qp, &at, vt_rtr_mask), 0);
	vt_rts_attr(&at);
	at.retry_cnt = 8;
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, vt_rts_mask), -EINVAL);
	vt_rts_attr(&at);
	KTEST_ASSERT_EQ(t, ib_modify_qp(qp, &at, vt_rts_mask), 0);
	at.min_rnr_timer = 3;
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, IB_QP_MIN_RNR_TIMER), 0);

	KTEST_ASSERT_EQ(t, ib_query_qp(qp, &q, 0, NULL), 0);
	KTEST_EXPECT_EQ(t, q.qp_state, IB_QPS_RTS);
	KTEST_EXPECT_EQ(t, q.dest_qp_num, p.a->qp_num);
	KTEST_EXPECT_EQ(t, q.path_mtu, IB_MTU_1024);
	KTEST_EXPECT_EQ(t, q.sq_psn, 100);
	KTEST_EXPECT_EQ(t, q.min_rnr_timer, 3);
	KTEST_EXPECT_EQ(t, q.cap.max_send_wr, 32);

	at.qp_state = IB_QPS_ERR;
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, IB_QP_STATE), 0);
	at.qp_state = IB_QPS_RTS;
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, IB_QP_STATE), -EINVAL);
	at.qp_state = IB_QPS_RESET;
	KTEST_EXPECT_EQ(t, ib_modify_qp(qp, &at, IB_QP_STATE), 0);
	KTEST_EXPECT_EQ(t, ib_query_qp(qp, &q, 0, NULL), 0);
	KTEST_EXPECT_EQ(t, q.dest_qp_num, 0);
	KTEST_EXPECT_EQ(t, ib_destroy_qp(qp), 0);
	vt_pair_free(&p);
}

/* ---- destroys refused while in use ------------------------------------------ */

static void destroy_busy(struct ktest *t)
{
	int adds = client_adds, removes = client_removes;
	struct ib_device *dev = vloop_create("vloop%d", NULL);
	struct ib_cq_init_attr ca = { .cqe = 4 };
	struct ib_qp_init_attr ia = {
		.cap = { .max_send_wr = 1 }, .qp_type = IB_QPT_RC,
	};
	struct ib_pd *pd;
	struct ib_cq *cq;
	struct ib_qp *qp;

	KTEST_ASSERT_NOT_NULL(t, dev);
	KTEST_EXPECT_EQ(t, client_adds, adds + 1);
	KTEST_EXPECT_NE(t, strcmp(dev->name, vt_dev->name), 0);
	KTEST_EXPECT_EQ(t, rdma_port_get_link_layer(dev, 1),
			IB_LINK_LAYER_INFINIBAND);
	pd = ib_alloc_pd(dev, 0);
	cq = ib_create_cq(dev, NULL, NULL, NULL, &ca);
	KTEST_ASSERT_FALSE(t, IS_ERR(pd) || IS_ERR(cq));
	ia.send_cq = ia.recv_cq = cq;
	qp = ib_create_qp(pd, &ia);
	KTEST_ASSERT_FALSE(t, IS_ERR(qp));
	KTEST_EXPECT_EQ(t, ib_destroy_cq(cq), -EBUSY);
	KTEST_EXPECT_EQ(t, ib_dealloc_pd(pd), -EBUSY);
	KTEST_EXPECT_EQ(t, ib_unregister_device(dev), -EBUSY);
	KTEST_EXPECT_EQ(t, client_removes, removes + 1);
	KTEST_EXPECT_TRUE(t, IS_ERR(ib_alloc_pd(dev, 0)));	/* gone */
	KTEST_EXPECT_EQ(t, ib_destroy_qp(qp), 0);
	KTEST_EXPECT_EQ(t, ib_destroy_cq(cq), 0);
	KTEST_EXPECT_EQ(t, ib_dealloc_pd(pd), 0);
	ib_dealloc_device(dev);		/* now allowed: nothing left */
}

static const struct ktest_case verbs_cases[] = {
	KTEST_CASE(device_and_client),
	KTEST_CASE(gid_table),
	KTEST_CASE(pd_mr_lifecycle),
	KTEST_CASE(cq_lifecycle),
	KTEST_CASE(qp_state_machine),
	KTEST_CASE(post_invalid_rejected),
	KTEST_CASE(post_wrong_state),
	KTEST_CASE(send_recv_in_order),
	KTEST_CASE(rdma_write_read),
	KTEST_CASE(completion_handler),
	KTEST_CASE(cq_overrun),
	KTEST_CASE(flush_in_error),
	KTEST_CASE(destroy_busy),
	{}
};
KTEST_SUITE_FULL(verbs, verbs_cases, verbs_init, verbs_exit);
