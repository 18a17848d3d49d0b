// SPDX-License-Identifier: GPL-2.0
/*
 * The soft-RoCEv2 verbs provider: one ib_device ("sroce0", ...) per
 * netdev that the boot gives an IPv4 address, registered from the
 * stack's ifup notifier (net/core/init.c) once net.ip is configured.
 *
 *	verbs core  --ops-->  verbs.c   QPs: create/modify/destroy, post,
 *	                                completions, timers
 *	                      net.c     UDP 4791 in and out, loopback
 *	                      provider.c  devices, ports, the worker, counters
 *	                      rc.c req.c resp.c comp.c   the RC engines
 *
 * The worker thread (one per device, named after it) runs what must not
 * run where it is noticed: expired retransmit and RNR timers (their
 * kernel timers fire in interrupt context, and the engines then send),
 * transmit kicks after a full TX ring (SROCE_KICK_DELAY_MS later, since
 * the ring drains on its own), and frames a QP sent to this device's own
 * address.  It holds qps_mutex while it walks the QP list, so
 * destroy_qp() waits for it.
 *
 * Tested under QEMU (TCG) on virtio-net and e1000, two LegoOS nodes on
 * one socket-multicast segment (tests/net/test_rdma_lego.py).
 */
#define pr_fmt(fmt) "sroce: " fmt

#include <lego/init.h>
#include <lego/kernel.h>
#include <lego/sched.h>
#include <lego/string.h>
#include <net/ip.h>
#include <net/netdev_driver.h>

#include "sroce.h"

static struct sroce_dev *sroce_devs[SROCE_MAX_DEVS];	/* by netdev index */

struct sroce_dev *sroce_dev_of(struct netdev *ndev)
{
	if (!ndev || ndev->index < 0 || ndev->index >= SROCE_MAX_DEVS)
		return NULL;
	return READ_ONCE(sroce_devs[ndev->index]);
}

void sroce_wake(struct sroce_dev *sdev, int why)
{
	__atomic_fetch_or(&sdev->work, why, __ATOMIC_RELEASE);
	wake_up(&sdev->wq);
}

/* ---- ports and CQs ---------------------------------------------------------- */

/*
 * The largest IB MTU whose packets fit the link, as rxe_set_mtu() picks it
 * (1024 on a 1500-byte link, 4096 with jumbo frames).  A netdev too small
 * for 256 gets no device (sroce_add_netdev()).
 */
static enum ib_mtu sroce_mtu_for(u32 link_mtu)
{
	u32 mtu = sroce_link_pmtu(link_mtu);

	return mtu ? (enum ib_mtu)mtu : IB_MTU_256;
}

static int sroce_query_port(struct ib_device *dev, u32 port,
			    struct ib_port_attr *attr)
{
	struct netdev *ndev = to_sdev(dev)->ndev;

	if (ndev->ops->update_link)
		ndev->ops->update_link(ndev);
	attr->state = ndev->link_up && ndev->ip_addr ? IB_PORT_ACTIVE :
						       IB_PORT_DOWN;
	attr->max_mtu = sroce_mtu_for(ndev->mtu);
	attr->active_mtu = attr->max_mtu;
	attr->phys_mtu = ndev->mtu;
	attr->max_msg_sz = SROCE_MAX_MSG;
	attr->lid = 0;
	return 0;
}

/* In busy-poll mode nobody else reads the NIC: make progress first. */
static int sroce_poll_cq(struct ib_cq *cq, int num_entries, struct ib_wc *wc)
{
	struct netdev *ndev = to_sdev(cq->device)->ndev;

	if (READ_ONCE(ndev->rx_mode) == NETDEV_RX_POLL)
		netdev_poll(ndev, NETDEV_RX_BUDGET);
	return ib_cq_pop_wc(cq, num_entries, wc);
}

static const struct ib_device_ops sroce_dev_ops = {
	.query_port = sroce_query_port,
	.poll_cq = sroce_poll_cq,
	.create_qp = sroce_create_qp,
	.modify_qp = sroce_modify_qp,
	.destroy_qp = sroce_destroy_qp,
	.post_send = sroce_post_send_op,
	.post_recv = sroce_post_recv_op,
	.qp_priv_size = sizeof(struct sroce_ibqp),
};

/* ---- the worker ---------------------------------------------------------- */

static int sroce_worker(void *arg)
{
	struct sroce_dev *sdev = arg;
	struct sroce_ibqp *sqp;
	int work;

	for (;;) {
		wait_event(sdev->wq, READ_ONCE(sdev->work));
		work = __atomic_exchange_n(&sdev->work, 0, __ATOMIC_ACQUIRE);
		if (work == SROCE_WORK_KICK)	/* let the TX ring drain */
			msleep(SROCE_KICK_DELAY_MS);
		sroce_loopback_run(sdev);
		mutex_lock(&sdev->qps_mutex);
		list_for_each_entry(sqp, &sdev->qps, node)
			sroce_qp_handle_events(sqp);
		mutex_unlock(&sdev->qps_mutex);
	}
	return 0;
}

/* ---- devices --------------------------------------------------------------- */

static void sroce_set_attrs(struct sroce_dev *sdev)
{
	struct ib_device *dev = &sdev->ibdev;

	dev->attrs = (struct ib_device_attr){
		.max_mr_size = SROCE_MAX_MSG,
		.page_size_cap = 4096,
		.vendor_id = 0xffffff,		/* none, as rxe */
		.max_qp = SROCE_MAX_QP,
		.max_qp_wr = SROCE_MAX_QP_WR,
		.max_send_sge = SROCE_MAX_SGE,
		.max_recv_sge = SROCE_MAX_SGE,
		.max_cq = SROCE_MAX_QP,
		.max_cqe = SROCE_MAX_CQE,
		.max_mr = SROCE_MAX_MR,
		.max_pd = SROCE_MAX_PD,
		.max_qp_rd_atom = SROCE_MAX_RD_RES,
		.max_qp_init_rd_atom = SROCE_MAX_RD_RES,
	};
	dev->phys_port_cnt = 1;
	dev->num_comp_vectors = 1;
}

static void sroce_add_netdev(struct netdev *ndev)
{
	struct sroce_dev *sdev;
	int err;

	if (ndev->index < 0 || ndev->index >= SROCE_MAX_DEVS ||
	    sroce_devs[ndev->index])
		return;
	if (!sroce_link_pmtu(ndev->mtu)) {
		pr_err("%s: MTU %u is too small for RoCEv2 (at least %u); no device\n",
		       ndev->name, ndev->mtu,
		       roce_mtu_bytes(ROCE_MTU_256) + SROCE_HDR_ALLOWANCE);
		return;
	}
	sdev = ib_alloc_device(sroce_dev, ibdev);
	if (!sdev) {
		pr_err("%s: no memory for a device\n", ndev->name);
		return;
	}
	sdev->ndev = ndev;
	sdev->ibdev.ops = &sroce_dev_ops;
	sroce_set_attrs(sdev);
	init_waitqueue_head(&sdev->wq);
	mutex_init(&sdev->qps_mutex);
	INIT_LIST_HEAD(&sdev->qps);
	spin_lock_init(&sdev->lo_lock);
	INIT_LIST_HEAD(&sdev->lo_queue);
	err = ib_device_set_netdev(&sdev->ibdev, ndev, 1);
	if (!err)
		err = ib_register_device(&sdev->ibdev, "sroce%d");
	if (err) {
		pr_err("%s: registration failed: %d\n", ndev->name, err);
		ib_dealloc_device(&sdev->ibdev);
		return;
	}
	sdev->worker = kthread_create(sroce_worker, sdev, sdev->ibdev.name);
	if (!sdev->worker)
		pr_err("%s: no worker thread: timers will not fire\n",
		       sdev->ibdev.name);
	WRITE_ONCE(sroce_devs[ndev->index], sdev);
	pr_info("%s on %s %pI4, active MTU %d\n", sdev->ibdev.name, ndev->name,
		&ndev->ip_addr, ib_mtu_enum_to_int(sroce_mtu_for(ndev->mtu)));
}

static struct ip_ifup_notifier sroce_ifup = {
	.ifup = sroce_add_netdev,
};

static int __init sroce_init(void)
{
	int err = sroce_net_init();

	if (err) {
		pr_err("cannot bind UDP port %d: %d\n", ROCE_V2_UDP_DPORT, err);
		return 0;
	}
	ip_register_ifup_notifier(&sroce_ifup);
	return 0;
}
late_initcall(sroce_init);

/* ---- counters --------------------------------------------------------------- */

void sroce_sum_qp_stats(struct sroce_dev *sdev, struct sroce_rc_stats *sum)
{
	struct sroce_ibqp *sqp;

	mutex_lock(&sdev->qps_mutex);
	*sum = sdev->qp_totals;
	list_for_each_entry(sqp, &sdev->qps, node) {
#define SROCE_STAT_ADD(name) sum->name += sqp->rc.stats.name;
		SROCE_RC_STATS_LIST(SROCE_STAT_ADD)
#undef SROCE_STAT_ADD
	}
	mutex_unlock(&sdev->qps_mutex);
}

/* "name=value" for each non-zero counter, on as few lines as fit. */
struct stat_line {
	const char *dev;
	const char *what;
	char buf[160];
	int len;
};

static void stat_flush(struct stat_line *l)
{
	if (l->len)
		pr_info("%s %s:%s\n", l->dev, l->what, l->buf);
	l->len = 0;
}

static void stat_put(struct stat_line *l, const char *name, u64 v)
{
	if (!v)
		return;
	if (l->len > (int)sizeof(l->buf) - 40)
		stat_flush(l);
	l->len += snprintf(l->buf + l->len, sizeof(l->buf) - l->len,
			   " %s=%llu", name, (unsigned long long)v);
}

void sroce_print_stats(struct ib_device *dev)
{
	struct sroce_dev *sdev = to_sdev(dev);
	struct stat_line l = { .dev = dev->name };
	struct sroce_rc_stats qs;
	int path;

	l.what = "dev";
#define SROCE_STAT_PUT(name) \
	stat_put(&l, #name, __atomic_load_n(&sdev->stats.name, __ATOMIC_RELAXED));
	SROCE_DEV_STATS_LIST(SROCE_STAT_PUT)
#undef SROCE_STAT_PUT
	stat_flush(&l);
	for (path = 0; path < SROCE_RX_NR; path++) {
		l.what = path == SROCE_RX_WIRE ? "rx" : "rx-loop";
#define SROCE_STAT_PUT(name) stat_put(&l, #name, sdev->rx_stats[path].name);
		SROCE_RX_STATS_LIST(SROCE_STAT_PUT)
#undef SROCE_STAT_PUT
		stat_flush(&l);
	}
	sroce_sum_qp_stats(sdev, &qs);
	l.what = "qps";
#define SROCE_STAT_PUT(name) stat_put(&l, #name, qs.name);
	SROCE_RC_STATS_LIST(SROCE_STAT_PUT)
#undef SROCE_STAT_PUT
	stat_flush(&l);
}
