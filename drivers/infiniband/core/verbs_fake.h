/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "vloop": a loopback provider for the verbs ktest suite (verbs_fake.c).
 * Every posted work request executes at once, against the QP numbered
 * attr.dest_qp_num on the same device, and completes immediately.
 */
#ifndef _IB_CORE_VERBS_FAKE_H
#define _IB_CORE_VERBS_FAKE_H

#include <rdma/ib_provider.h>

#define VLOOP_MAX_QP		16
#define VLOOP_MAX_WR		64
#define VLOOP_MAX_SGE		4
#define VLOOP_MAX_INLINE	64
#define VLOOP_MAX_MSG		65536

/* A registered vloop device on @ndev (may be NULL: an IB port), or NULL. */
struct ib_device *vloop_create(const char *name, struct netdev *ndev);
/* Unregister and free; the ib_unregister_device() result. */
int vloop_destroy(struct ib_device *dev);
/* Work requests that reached the provider's post_send/post_recv. */
unsigned long vloop_posted_sends(struct ib_device *dev);
unsigned long vloop_posted_recvs(struct ib_device *dev);

#endif /* _IB_CORE_VERBS_FAKE_H */
