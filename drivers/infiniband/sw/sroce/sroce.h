/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The soft-RoCEv2 verbs provider: what provider.c, verbs.c and net.c
 * share, grouped by the file that defines each symbol.  The wire layer is
 * internal.h, the RC engines rc.h; this is the glue that puts them under
 * the verbs core (include/rdma/ib_provider.h) on top of a netdev.
 *
 * Contexts that run the engines of one QP, always under its lock:
 *   - the poster (ib_post_send/recv: the requester sends at once);
 *   - the receive path: the netdev's rx thread or a busy poller (UDP
 *     port 4791), and the device worker for looped-back frames;
 *   - the device worker "sroceN": expired timers and transmit kicks.
 * Completions are queued in the QP under the lock and pushed to the CQs
 * after it is dropped (sroce_qp_drain()).
 */
#ifndef _SROCE_SROCE_H
#define _SROCE_SROCE_H

#include <lego/list.h>
#include <lego/mutex.h>
#include <lego/spinlock.h>
#include <lego/timer.h>
#include <lego/types.h>
#include <lego/wait.h>
#include <net/netdev.h>
#include <rdma/ib_provider.h>

#include "internal.h"
#include "rc.h"

#define SROCE_MAX_QP		256
#define SROCE_MAX_QP_WR		1024	/* per queue, a power of two */
#define SROCE_MAX_CQE		65536
#define SROCE_MAX_MR		4096
#define SROCE_MAX_PD		256
#define SROCE_MAX_MSG		(1u << 31)
#define SROCE_ARP_WAIT_MS	1000	/* RTR waits this long for the MAC */
#define SROCE_KICK_DELAY_MS	1	/* retry a refused transmit after */
#define SROCE_MAX_DEVS		8	/* netdevs with a provider device */
#define SROCE_LO_MAX		1024	/* looped-back frames waiting */

/* Why the worker is woken (bits of sroce_dev.work). */
#define SROCE_WORK_NOW		1	/* timers, looped-back frames */
#define SROCE_WORK_KICK		2	/* a refused transmit: retry soon */

/*
 * Device counters, each counted once where the drop or event happens
 * (atomically: several contexts).  The parser's own causes are in
 * struct sroce_rx_stats, the engines' per QP in struct sroce_rc_stats.
 */
#define SROCE_DEV_STATS_LIST(X)						\
	X(rx_frames)		/* RoCE datagrams received */		\
	X(rx_bad_l3)		/* IPv4 options: not RoCEv2 */		\
	X(rx_no_qp)		/* BTH dest QP unknown */		\
	X(rx_bad_src)		/* source address not the QP's peer */	\
	X(rx_bad_state)		/* QP in RESET or INIT */		\
	X(rx_parse_err)		/* refused by sroce_parse() */		\
	X(tx_frames)		/* handed to the netdev */		\
	X(tx_busy)		/* netdev ring full: kicked later */	\
	X(tx_nomem)		/* no pktbuf: kicked later */		\
	X(tx_no_mac)		/* peer MAC unknown: dropped (lost) */	\
	X(tx_errors)		/* the netdev refused: dropped (lost) */ \
	X(lo_frames)		/* looped back to this device */	\
	X(timer_fired)		/* engine timers run */			\
	X(kicks)		/* engines resumed after busy */	\
	X(cq_overflow)		/* completions a full CQ lost */

struct sroce_dev_stats {
#define SROCE_STAT_FIELD(name) u64 name;
	SROCE_DEV_STATS_LIST(SROCE_STAT_FIELD)
#undef SROCE_STAT_FIELD
};

#define SROCE_INC(sdev, field) \
	__atomic_fetch_add(&(sdev)->stats.field, 1, __ATOMIC_RELAXED)

/* Which receive-path context parsed a frame: each has its own counters. */
enum sroce_rx_path {
	SROCE_RX_WIRE,			/* the netdev's poller */
	SROCE_RX_LOOP,			/* the worker, looped-back frames */
	SROCE_RX_NR,
};

struct sroce_dev {
	struct ib_device ibdev;		/* first: ib_alloc_device() */
	struct netdev *ndev;		/* constant */

	/* The worker thread: timers, kicks, looped-back frames. */
	struct task_struct *worker;
	wait_queue_head_t wq;
	int work;			/* atomic: something to do */
	struct mutex qps_mutex;		/* the QP list; held while the */
	struct list_head qps;		/* worker handles one of them */
	spinlock_t lo_lock;
	struct list_head lo_queue;	/* under lo_lock: frames to ourself */
	u32 lo_len;			/* under lo_lock */

	struct sroce_rx_stats rx_stats[SROCE_RX_NR];
	struct sroce_dev_stats stats;
	struct sroce_rc_stats qp_totals; /* of destroyed QPs, qps_mutex */
};

/* Per-QP events for the worker (bits of sroce_ibqp.events). */
#define SROCE_EV_RETRANS	(1u << SROCE_TIMER_RETRANS)
#define SROCE_EV_RNR		(1u << SROCE_TIMER_RNR)
#define SROCE_EV_ACK		(1u << SROCE_TIMER_ACK)
#define SROCE_EV_KICK		(1u << SROCE_NR_TIMERS)

/* The provider's half of a QP: ib_qp_priv(). */
struct sroce_ibqp {
	/* Constant after create_qp. */
	struct ib_qp *ibqp;
	struct sroce_dev *sdev;
	struct sroce_send_wqe *sq;
	struct sroce_recv_wqe *rq;
	u32 sq_size, rq_size;
	struct sroce_cqe *cqes;		/* ring of sq_size + rq_size */
	u32 cqe_size;
	struct list_head node;		/* sdev->qps, under qps_mutex */
	struct timer_list timer[SROCE_NR_TIMERS];	/* enum sroce_timer */
	u32 events;			/* atomic: SROCE_EV_* for the worker */

	spinlock_t lock;
	/* Under lock: the engines and everything below. */
	struct sroce_qp rc;
	bool engine_up;			/* INIT or later: rc is initialised */
	__be32 daddr;			/* the peer (RTR on) */
	u8 dmac[ETH_ALEN];
	bool dmac_valid;
	bool loopback;			/* the peer is this device */
	u16 sport;
	bool armed[SROCE_NR_TIMERS];
	u64 deadline[SROCE_NR_TIMERS];	/* ktime_get_ns() */
	u32 cqe_head, cqe_count;	/* completions not yet pushed */
	u32 cqe_send, cqe_recv;		/* ... of each queue */
	bool draining;			/* someone is pushing them */
	bool error_reported;		/* ib_qp_report_error() done */
	bool error_pending;		/* the engine failed: report it */
	enum ib_event_type error_event;
};

static inline struct sroce_dev *to_sdev(struct ib_device *dev)
{
	return container_of(dev, struct sroce_dev, ibdev);
}

static inline struct sroce_ibqp *to_sqp(struct ib_qp *qp)
{
	return ib_qp_priv(qp);
}

static inline struct sroce_ibqp *rc_to_sqp(struct sroce_qp *rc)
{
	return container_of(rc, struct sroce_ibqp, rc);
}

/* ---- provider.c -------------------------------------------------------- */

/* Ask the worker to run (any context); @why: SROCE_WORK_*. */
void sroce_wake(struct sroce_dev *sdev, int why);
/* The device on @ndev, or NULL. */
struct sroce_dev *sroce_dev_of(struct netdev *ndev);
/* Log the device counters, then every QP's non-zero engine counters. */
void sroce_print_stats(struct ib_device *dev);
/* Sum of every engine counter, live QPs and destroyed ones. */
void sroce_sum_qp_stats(struct sroce_dev *sdev, struct sroce_rc_stats *sum);

/* ---- events.c ---------------------------------------------------------- */

extern const struct sroce_rc_ops sroce_rc_ops;
/* Push the queued completions, then report an engine failure. */
void sroce_qp_drain(struct sroce_ibqp *sqp);
/* The worker's part for one QP: run its expired timers and kicks. */
void sroce_qp_handle_events(struct sroce_ibqp *sqp);
/* Queue WR_FLUSH_ERR for a request the engine never saw; lock held. */
void sroce_flush_one(struct sroce_ibqp *sqp, u64 wr_id, bool recv);
/* The kernel timers' callbacks (interrupt context). */
void sroce_retrans_fired(struct timer_list *t);
void sroce_rnr_fired(struct timer_list *t);
void sroce_ack_fired(struct timer_list *t);

/* ---- verbs.c ----------------------------------------------------------- */

int sroce_create_qp(struct ib_qp *qp, struct ib_qp_init_attr *init_attr);
int sroce_modify_qp(struct ib_qp *qp, const struct ib_qp_attr *attr,
		    int mask);
void sroce_destroy_qp(struct ib_qp *qp);
int sroce_post_send_op(struct ib_qp *qp, const struct ib_send_wr *wr,
		       unsigned int nr_wr, const struct ib_send_wr **bad_wr);
int sroce_post_recv_op(struct ib_qp *qp, const struct ib_recv_wr *wr,
		       unsigned int nr_wr, const struct ib_recv_wr **bad_wr);

/* ---- net.c ------------------------------------------------------------- */

/* Bind UDP port 4791 (once, at boot). */
int sroce_net_init(void);
/* ops->xmit of the engines: encapsulate and send; under the QP lock. */
int sroce_xmit(struct sroce_qp *rc, const struct sroce_pkt *pkt);
/* Hand the frames looped back to @sdev to its receive path (worker). */
void sroce_loopback_run(struct sroce_dev *sdev);
/* Resolve the peer's MAC for RTR, waiting up to SROCE_ARP_WAIT_MS. */
void sroce_resolve_peer(struct sroce_dev *sdev, __be32 daddr, u8 *mac,
			bool *valid);

#endif /* _SROCE_SROCE_H */
