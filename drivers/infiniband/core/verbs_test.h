/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the two halves of the "verbs" ktest suite: verbs_test.c
 * (objects, state machine; registers the suite) and verbs_post_test.c
 * (posting and completions).  Both run on the vloop device "vt_dev".
 */
#ifndef _IB_CORE_VERBS_TEST_H
#define _IB_CORE_VERBS_TEST_H

#include <lego/ktest.h>
#include <rdma/ib_provider.h>

#define BUF_LEN		4096

extern struct ib_device *vt_dev;

/* PD, one CQ for everything, two 4 KiB MRs with all rights, 2 QPs in RTS. */
struct vt_pair {
	struct ib_pd *pd;
	struct ib_cq *cq;		/* every completion of both QPs */
	struct ib_qp *a, *b;
	u8 *buf_a, *buf_b;
	struct ib_mr *mr_a, *mr_b;
};

int vt_pair_setup(struct vt_pair *p, unsigned int cqe, ib_comp_handler h);
void vt_pair_free(struct vt_pair *p);
/* An RC QP on p->pd and p->cq: 32 WRs, 2 SGEs, 16 bytes inline. */
struct ib_qp *vt_make_qp(struct vt_pair *p);
/* RESET -> INIT on port 1 with remote read and write. */
int vt_to_init(struct ib_qp *qp);
/* The attributes and masks for INIT -> RTR (towards @dest) and RTR -> RTS. */
extern const int vt_rtr_mask, vt_rts_mask;
void vt_rtr_attr(struct ib_qp_attr *at, u32 dest);
void vt_rts_attr(struct ib_qp_attr *at);
/* RESET -> INIT -> RTR -> RTS, connected to QP @dest. */
int vt_connect(struct ib_qp *qp, u32 dest);
struct ib_sge vt_sge(struct ib_mr *mr, void *addr, u32 len);

/* verbs_post_test.c */
void post_invalid_rejected(struct ktest *t);
void post_wrong_state(struct ktest *t);
void send_recv_in_order(struct ktest *t);
void rdma_write_read(struct ktest *t);
void completion_handler(struct ktest *t);
void cq_overrun(struct ktest *t);
void flush_in_error(struct ktest *t);

#endif /* _IB_CORE_VERBS_TEST_H */
