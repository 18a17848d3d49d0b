// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for drivers/infiniband/core/pd_mr.c (and the posting checks
 * of qp.c): MR key allocation, lookup by lkey/rkey, stale keys after a
 * slot is reused, range and access checks, and SGE validation - bounds,
 * access flags, another PD's key, zero length, address+length overflow -
 * on a vloop device (the loopback provider of the verbs ktest) under
 * ASan/UBSan.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/errno.h>
#include <lego/kernel.h>

#include "../../drivers/infiniband/core/internal.h"
#include "../../drivers/infiniband/core/verbs_fake.h"
#include "rdma_host.h"

#define BUF_LEN	4096
#define ALL	(IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_WRITE | \
		 IB_ACCESS_REMOTE_READ)

struct fixture {
	long live;
	struct ib_device *dev;
	struct ib_pd *pd;
	u8 *buf;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->live = rdma_host_live_objects();
	f->dev = vloop_create("vloop%d", NULL);
	assert_non_null(f->dev);
	f->pd = ib_alloc_pd(f->dev, 0);
	assert_false(IS_ERR(f->pd));
	f->buf = calloc(1, BUF_LEN);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(ib_dealloc_pd(f->pd), 0);
	assert_int_equal(vloop_destroy(f->dev), 0);
	assert_int_equal(rdma_host_live_objects(), f->live);
	free(f->buf);
	free(f);
	return 0;
}

static struct ib_mr *reg(struct fixture *f, size_t off, size_t len, int acc)
{
	return ib_reg_kernel_mr(f->pd, f->buf + off, len, acc);
}

/* Unique non-zero keys until the table is full, then -ENOSPC. */
static void test_key_allocation(void **state)
{
	struct fixture *f = *state;
	struct ib_mr *mr[64];
	int n, i, j;

	/* max_mr 32, one of them the PD's local_dma_lkey MR */
	for (n = 0; n < 64; n++) {
		mr[n] = reg(f, 0, 64, IB_ACCESS_LOCAL_WRITE);
		if (IS_ERR(mr[n]))
			break;
		assert_int_not_equal(mr[n]->lkey, 0);
		assert_true(IB_MR_KEY_INDEX(mr[n]->lkey) >= f->dev->min_mr_index);
		assert_int_not_equal(mr[n]->lkey, f->pd->local_dma_lkey);
		for (i = 0; i < n; i++)
			assert_int_not_equal(mr[i]->lkey, mr[n]->lkey);
	}
	assert_int_equal(n, 31);
	assert_int_equal(PTR_ERR(mr[n]), -ENOSPC);
	/* the one free slot is reused, with a new generation */
	for (j = 0; j < 3; j++) {
		u32 old = mr[5]->lkey;

		assert_int_equal(ib_dereg_mr(mr[5]), 0);
		assert_null(ib_mr_lookup_lkey(f->dev, old));
		mr[5] = reg(f, 0, 64, IB_ACCESS_LOCAL_WRITE);
		assert_false(IS_ERR(mr[5]));
		assert_int_equal(IB_MR_KEY_INDEX(mr[5]->lkey), IB_MR_KEY_INDEX(old));
		assert_int_not_equal(mr[5]->lkey, old);
		assert_null(ib_mr_lookup_lkey(f->dev, old));	/* stale */
	}
	assert_int_equal(ib_dealloc_pd(f->pd), -EBUSY);
	for (i = 0; i < n; i++)
		assert_int_equal(ib_dereg_mr(mr[i]), 0);
}

/* Next-fit: a freed slot is not the next one handed out. */
static void test_next_fit(void **state)
{
	struct fixture *f = *state;
	struct ib_mr *a = reg(f, 0, 8, 0), *b, *c;
	u32 idx_a = IB_MR_KEY_INDEX(a->lkey);

	assert_int_equal(ib_dereg_mr(a), 0);
	b = reg(f, 0, 8, 0);
	c = reg(f, 0, 8, 0);
	assert_int_not_equal(IB_MR_KEY_INDEX(b->lkey), idx_a);
	assert_int_not_equal(IB_MR_KEY_INDEX(c->lkey), idx_a);
	ib_dereg_mr(b);
	ib_dereg_mr(c);
}

static void test_lookup(void **state)
{
	struct fixture *f = *state;
	struct ib_mr *remote = reg(f, 0, 64, ALL);
	struct ib_mr *ronly = reg(f, 0, 64, IB_ACCESS_REMOTE_READ);
	struct ib_mr *local = reg(f, 0, 64, IB_ACCESS_LOCAL_WRITE);
	struct ib_mr *m;
	u32 rkey = remote->rkey;

	assert_int_equal(remote->rkey, remote->lkey);
	assert_int_equal(ronly->rkey, ronly->lkey);
	assert_int_equal(local->rkey, 0);
	m = ib_mr_lookup_rkey(f->dev, rkey);
	assert_ptr_equal(m, remote);
	assert_int_equal(atomic_read(&m->refcnt), 2);
	ib_mr_put(m);
	assert_int_equal(atomic_read(&remote->refcnt), 1);
	assert_null(ib_mr_lookup_rkey(f->dev, local->lkey));	/* no remote */
	assert_null(ib_mr_lookup_rkey(f->dev, f->pd->local_dma_lkey));
	assert_null(ib_mr_lookup_rkey(f->dev, 0));
	assert_null(ib_mr_lookup_rkey(f->dev, rkey ^ 1));	/* generation */
	assert_null(ib_mr_lookup_rkey(f->dev, 0xffffff00));	/* beyond */
	assert_null(ib_mr_lookup_rkey(NULL, rkey));
	m = ib_mr_lookup_lkey(f->dev, local->lkey);
	assert_ptr_equal(m, local);
	ib_mr_put(m);
	ib_dereg_mr(remote);
	assert_null(ib_mr_lookup_rkey(f->dev, rkey));
	ib_dereg_mr(ronly);
	ib_dereg_mr(local);
}

static void test_reg_errors(void **state)
{
	struct fixture *f = *state;
	long live = rdma_host_live_objects();
	struct ib_mr *m;

	assert_int_equal(PTR_ERR(ib_reg_kernel_mr(NULL, f->buf, 8, 0)), -EINVAL);
	assert_int_equal(PTR_ERR(ib_reg_kernel_mr(f->pd, NULL, 8, 0)), -EINVAL);
	assert_int_equal(PTR_ERR(reg(f, 0, 0, 0)), -EINVAL);
	assert_int_equal(PTR_ERR(ib_reg_kernel_mr(f->pd, (void *)(uintptr_t)-16,
						  32, 0)), -EINVAL);
	assert_int_equal(PTR_ERR(reg(f, 0, 8, IB_ACCESS_REMOTE_WRITE)), -EINVAL);
	assert_int_equal(PTR_ERR(reg(f, 0, 8, IB_ACCESS_REMOTE_ATOMIC)), -EINVAL);
	assert_int_equal(PTR_ERR(reg(f, 0, 8, IB_ACCESS_MW_BIND)), -EOPNOTSUPP);
	assert_int_equal(PTR_ERR(reg(f, 0, 8, 1 << 5)), -EINVAL);
	assert_int_equal(PTR_ERR(ib_alloc_pd(f->dev, 1)), -EOPNOTSUPP);
	/* allocation failure undoes everything */
	rdma_host_fail_after(0);
	m = reg(f, 0, 8, 0);
	rdma_host_fail_after(-1);
	assert_int_equal(PTR_ERR(m), -ENOMEM);
	assert_int_equal(atomic_read(&f->dev->core->nr_mr), 1);
	assert_int_equal(atomic_read(&f->pd->usecnt), 0);
	assert_int_equal(rdma_host_live_objects(), live);
	assert_int_equal(ib_dereg_mr(f->pd->__internal_mr), -EINVAL);
}

static void test_check_range(void **state)
{
	struct fixture *f = *state;
	struct ib_mr *mr = reg(f, 100, 1000, IB_ACCESS_LOCAL_WRITE |
			       IB_ACCESS_REMOTE_READ);
	u64 base = (uintptr_t)(f->buf + 100);

	assert_int_equal(ib_mr_check_range(mr, base, 1000, 0), 0);
	assert_int_equal(ib_mr_check_range(mr, base + 999, 1, 0), 0);
	assert_int_equal(ib_mr_check_range(mr, base + 1000, 0, 0), 0);
	assert_int_equal(ib_mr_check_range(mr, base, 1001, 0), -EINVAL);
	assert_int_equal(ib_mr_check_range(mr, base + 1000, 1, 0), -EINVAL);
	assert_int_equal(ib_mr_check_range(mr, base + 1001, 0, 0), -EINVAL);
	assert_int_equal(ib_mr_check_range(mr, base - 1, 1, 0), -EINVAL);
	assert_int_equal(ib_mr_check_range(mr, base + 10, ~0ULL - 5, 0),
			 -EINVAL);			/* wraps */
	assert_int_equal(ib_mr_check_range(mr, base, 8, IB_ACCESS_REMOTE_READ),
			 0);
	assert_int_equal(ib_mr_check_range(mr, base, 8, IB_ACCESS_REMOTE_WRITE),
			 -EACCES);
	assert_int_equal(ib_mr_check_range(NULL, base, 8, 0), -EINVAL);
	ib_dereg_mr(mr);
}

static int sgl(struct fixture *f, struct ib_pd *pd, u64 addr, u32 len,
	       u32 lkey, int access)
{
	struct ib_sge s = { .addr = addr, .length = len, .lkey = lkey };
	u64 total = 0;

	return ib_sgl_check(f->dev, pd, &s, 1, access, &total);
}

static void test_sge_validation(void **state)
{
	struct fixture *f = *state;
	struct ib_mr *ro = reg(f, 0, 512, 0);
	struct ib_mr *rw = reg(f, 512, 512, IB_ACCESS_LOCAL_WRITE);
	struct ib_pd *pd2 = ib_alloc_pd(f->dev, 0);
	struct ib_mr *other = ib_reg_kernel_mr(pd2, f->buf, 512, 0);
	u64 b = (uintptr_t)f->buf;
	struct ib_sge two[2];
	u64 total = 0;

	assert_int_equal(sgl(f, f->pd, b, 512, ro->lkey, 0), 0);
	assert_int_equal(sgl(f, f->pd, b + 511, 1, ro->lkey, 0), 0);
	assert_int_equal(sgl(f, f->pd, b + 511, 2, ro->lkey, 0), -EINVAL);
	assert_int_equal(sgl(f, f->pd, b + 512, 1, ro->lkey, 0), -EINVAL);
	assert_int_equal(sgl(f, f->pd, b - 1, 8, ro->lkey, 0), -EINVAL);
	assert_int_equal(sgl(f, f->pd, b, 0, ro->lkey, 0), -EINVAL);	/* empty */
	assert_int_equal(sgl(f, f->pd, ~0ULL - 3, 8, ro->lkey, 0), -EINVAL);
	assert_int_equal(sgl(f, f->pd, ~0ULL - 3, 8, f->pd->local_dma_lkey, 0),
			 -EINVAL);			/* overflow, any MR */
	/* access: writing into memory needs LOCAL_WRITE */
	assert_int_equal(sgl(f, f->pd, b, 8, ro->lkey, IB_ACCESS_LOCAL_WRITE),
			 -EACCES);
	assert_int_equal(sgl(f, f->pd, b + 512, 8, rw->lkey,
			     IB_ACCESS_LOCAL_WRITE), 0);
	/* lkeys: unknown, stale, another PD's, the PD's own global one */
	assert_int_equal(sgl(f, f->pd, b, 8, ro->lkey + 1, 0), -EINVAL);
	assert_int_equal(sgl(f, f->pd, b, 8, 0, 0), -EINVAL);
	assert_int_equal(sgl(f, f->pd, b, 8, other->lkey, 0), -EINVAL);
	assert_int_equal(sgl(f, pd2, b, 8, other->lkey, 0), 0);
	assert_int_equal(sgl(f, f->pd, b, 8, pd2->local_dma_lkey, 0), -EINVAL);
	assert_int_equal(sgl(f, f->pd, b, 8, f->pd->local_dma_lkey,
			     IB_ACCESS_LOCAL_WRITE), 0);
	/* a list: every entry checked, the total bounded by 2^31 */
	two[0] = (struct ib_sge){ .addr = b, .length = 8, .lkey = ro->lkey };
	two[1] = (struct ib_sge){ .addr = b, .length = 8, .lkey = 99 << 8 };
	assert_int_equal(ib_sgl_check(f->dev, f->pd, two, 2, 0, &total), -EINVAL);
	assert_int_equal(ib_sgl_check(f->dev, f->pd, NULL, 1, 0, &total), -EINVAL);
	assert_int_equal(ib_sgl_check(f->dev, f->pd, NULL, 0, 0, &total), 0);
	two[0] = (struct ib_sge){ .addr = 0x1000, .length = 1U << 31,
				  .lkey = f->pd->local_dma_lkey };
	two[1] = two[0];
	total = 0;
	assert_int_equal(ib_sgl_check(f->dev, f->pd, two, 1, 0, &total), 0);
	total = 0;
	assert_int_equal(ib_sgl_check(f->dev, f->pd, two, 2, 0, &total), -EINVAL);
	ib_dereg_mr(other);
	ib_dealloc_pd(pd2);
	ib_dereg_mr(ro);
	ib_dereg_mr(rw);
}

/* Through ib_post_send(): the valid prefix reaches the provider. */
static void test_post_prefix(void **state)
{
	struct fixture *f = *state;
	struct ib_cq_init_attr ca = { .cqe = 16 };
	struct ib_cq *cq = ib_create_cq(f->dev, NULL, NULL, NULL, &ca);
	struct ib_qp_init_attr ia = {
		.send_cq = cq, .recv_cq = cq, .qp_type = IB_QPT_RC,
		.cap = { .max_send_wr = 2, .max_recv_wr = 4, .max_send_sge = 1,
			 .max_recv_sge = 1 },
	};
	struct ib_qp *qp = ib_create_qp(f->pd, &ia);
	struct ib_mr *mr = reg(f, 0, 64, IB_ACCESS_LOCAL_WRITE);
	struct ib_sge s[3];
	struct ib_recv_wr r[3];
	const struct ib_recv_wr *bad;
	struct ib_qp_attr at = { .qp_state = IB_QPS_INIT, .port_num = 1 };
	unsigned long before = vloop_posted_recvs(f->dev);
	int i;

	assert_false(IS_ERR(qp));
	assert_int_equal(ib_modify_qp(qp, &at, IB_QP_STATE | IB_QP_PORT |
				      IB_QP_PKEY_INDEX | IB_QP_ACCESS_FLAGS), 0);
	for (i = 0; i < 3; i++) {
		s[i] = (struct ib_sge){ .addr = (uintptr_t)f->buf + 8 * i,
					.length = 8, .lkey = mr->lkey };
		r[i] = (struct ib_recv_wr){ .next = i < 2 ? &r[i + 1] : NULL,
					    .wr_id = i, .sg_list = &s[i],
					    .num_sge = 1 };
	}
	s[2].length = 64;			/* runs past the MR */
	assert_int_equal(ib_post_recv(qp, r, &bad), -EINVAL);
	assert_ptr_equal(bad, &r[2]);
	assert_int_equal(vloop_posted_recvs(f->dev), before + 2);
	/* more than max_recv_wr in one chain: stopped at the cap */
	s[2].length = 8;
	r[2].next = &r[0];			/* even a loop ends */
	assert_int_equal(ib_post_recv(qp, r, &bad), -ENOMEM);
	assert_ptr_equal(bad, &r[1]);
	assert_int_equal(vloop_posted_recvs(f->dev), before + 6);
	assert_int_equal(ib_destroy_qp(qp), 0);
	assert_int_equal(ib_destroy_cq(cq), 0);
	ib_dereg_mr(mr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_key_allocation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reg_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sge_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_post_prefix, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
