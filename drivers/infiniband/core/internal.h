/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the verbs core (drivers/infiniband/core/), grouped by the
 * file that defines each symbol.
 */
#ifndef _IB_CORE_INTERNAL_H
#define _IB_CORE_INTERNAL_H

#include <lego/atomic.h>
#include <lego/spinlock.h>
#include <lego/types.h>
#include <rdma/ib_provider.h>

#define pr_fmt_ib(fmt)	"ib: " fmt

/*
 * Locks that providers may take from interrupt handlers.  The host tests
 * run in user mode, where cli/sti fault: there the lock alone is taken.
 */
#ifdef LEGO_HOST_TEST
#define ib_lock_irqsave(lock, flags)	do { (flags) = 0; spin_lock(lock); } while (0)
#define ib_unlock_irqrestore(lock, flags) \
	do { (void)(flags); spin_unlock(lock); } while (0)
void msleep(unsigned int ms);		/* tests/host/rdma_host.c */
#else
#include <lego/sched.h>			/* msleep() */
#define ib_lock_irqsave(lock, flags)	spin_lock_irqsave(lock, flags)
#define ib_unlock_irqrestore(lock, flags) spin_unlock_irqrestore(lock, flags)
#endif

/* Table sizes the core accepts (memory: one pointer per entry). */
#define IB_CORE_MAX_QP		65536
#define IB_CORE_MAX_MR		65536
#define IB_MAX_CLIENTS		8
#define IB_MAX_MSG_SZ		(1U << 31)	/* the IBA maximum message: 2^31 bytes */

/* MR keys: index << 8 | generation (the same split as mlx4 MPT keys). */
#define IB_MR_KEY_INDEX(key)	((key) >> 8)
#define IB_MR_KEY(index, gen)	((u32)(index) << 8 | (u8)(gen))

/* One port's GID table and what it was built from. */
struct ib_port_data {
	struct netdev *ndev;		/* NULL: InfiniBand port */
	/* Under ib_core.gid_lock: */
	struct ib_gid_attr gid[IB_GID_TABLE_LEN];
	bool gid_valid[IB_GID_TABLE_LEN];
	bool built;
	u8 built_mac[ETH_ALEN];
	__be32 built_ip;
};

/* Everything the core keeps per device (dev->core). */
struct ib_core {
	/* Object counts, bounded by dev->attrs. */
	atomic_t nr_pd;
	atomic_t nr_mr;
	atomic_t nr_cq;
	atomic_t nr_qp;

	spinlock_t mr_lock;
	/* Under mr_lock: */
	u32 mr_slots;			/* min_mr_index + max_mr */
	unsigned long *mr_map;		/* slots in use (also while unpublished) */
	struct ib_mr **mr_table;	/* published MRs by index */
	u8 *mr_gen;			/* generation of each slot's last key */
	u32 mr_next;			/* next-fit search start */

	spinlock_t qp_lock;
	/* Under qp_lock: */
	u32 qpn_slots;			/* min_qpn + max_qp */
	unsigned long *qpn_map;
	struct ib_qp **qp_table;	/* published QPs by number */
	u32 qpn_next;

	spinlock_t gid_lock;
	struct ib_port_data port[IB_MAX_PORTS];

	/* Under the device mutex (device.c): */
	void *client_data[IB_MAX_CLIENTS];
	bool client_added[IB_MAX_CLIENTS];
};

static inline bool ib_port_valid(const struct ib_device *dev, u32 port)
{
	return port >= 1 && port <= dev->phys_port_cnt;
}

static inline struct ib_port_data *ib_port(struct ib_device *dev, u32 port)
{
	return &dev->core->port[port - 1];
}

/* ---- device.c ----------------------------------------------------------- */

/* Take one of @max slots of the count @c: true, or false when all taken. */
bool ib_count_get(atomic_t *c, int max);
/* Sleep until only the owner's reference is left in @refcnt. */
void ib_wait_for_refs(atomic_t *refcnt, const char *what, u32 id);

/* ---- pd_mr.c ------------------------------------------------------------ */

int ib_mr_table_init(struct ib_device *dev);
void ib_mr_table_free(struct ib_device *dev);
/*
 * Check one SGE against its MR, with mr_lock held: known lkey of @pd,
 * length > 0, inside the MR without wrapping, @access granted.
 * 0, -EINVAL or -EACCES.
 */
int ib_sge_check_locked(struct ib_device *dev, struct ib_pd *pd,
			const struct ib_sge *sge, int access);
/*
 * Check a whole list (takes mr_lock); adds the bytes to *@total (the
 * message may not exceed IB_MAX_MSG_SZ).
 */
int ib_sgl_check(struct ib_device *dev, struct ib_pd *pd,
		 const struct ib_sge *sgl, int num_sge, int access, u64 *total);
/* An MR's access flags are valid for registration: 0, -EINVAL, -EOPNOTSUPP. */
int ib_mr_access_check(int access);

/* ---- cq.c --------------------------------------------------------------- */

const char *ib_cq_state_name(enum ib_cq_state state);

/* ---- qp.c --------------------------------------------------------------- */

int ib_qp_table_init(struct ib_device *dev);
void ib_qp_table_free(struct ib_device *dev);

/* ---- qp_state.c (pure: no locks, no allocation; host-tested) ------------ */

/* Device limits the attribute range check needs. */
struct ib_qp_limits {
	u32 port_cnt;
	int max_rd_atomic;		/* attrs.max_qp_rd_atom */
	int max_dest_rd_atomic;		/* attrs.max_qp_init_rd_atom */
};

/* Every bit ib_modify_qp() knows. */
#define IB_QP_ATTR_ALL_MASK	((IB_QP_DEST_QPN << 1) - 1)
/* Attributes the IBA allows but we do not implement (APM). */
#define IB_QP_UNSUPPORTED_MASK	(IB_QP_ALT_PATH | IB_QP_PATH_MIG_STATE)

/*
 * The transition @cur -> @next with @mask on an RC QP: 0; -EINVAL for a
 * bad state, an invalid transition, unknown bits, a required attribute
 * missing or one the transition does not allow; -EOPNOTSUPP for an
 * allowed attribute we do not implement.
 */
int ib_qp_check_transition(enum ib_qp_state cur, enum ib_qp_state next,
			   enum ib_qp_type type, int mask);
/* The attributes a transition requires and allows (0, 0 if invalid). */
int ib_qp_required_mask(enum ib_qp_state cur, enum ib_qp_state next);
int ib_qp_optional_mask(enum ib_qp_state cur, enum ib_qp_state next);
bool ib_qp_transition_valid(enum ib_qp_state cur, enum ib_qp_state next);
/*
 * Range-check every attribute in @mask that needs no device table
 * lookup: 0 or -EINVAL.  (qp.c checks ports' MTU and the GID entry.)
 */
int ib_qp_check_attr_values(const struct ib_qp_attr *attr, int mask,
			    const struct ib_qp_limits *lim);
/* May requests be posted in @state? */
bool ib_qp_state_can_post_send(enum ib_qp_state state);
bool ib_qp_state_can_post_recv(enum ib_qp_state state);

/* ---- gid.c -------------------------------------------------------------- */

/* Rebuild @port's GID table if its netdev's MAC or IPv4 changed. */
void ib_gid_refresh(struct ib_device *dev, u32 port);
/* The EUI-64 link-local GID of @mac (fe80::/64). */
void ib_gid_from_mac(union ib_gid *gid, const u8 *mac);

#endif /* _IB_CORE_INTERNAL_H */
