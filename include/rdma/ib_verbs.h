/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel verbs: what RDMA users (FIT) call.
 *
 * The names, types and semantics follow Linux's in-kernel verbs
 * (include/rdma/ib_verbs.h) closely, so that code written against this
 * header also builds against Linux through a thin shim.  Where we differ it
 * is said next to the declaration; the main differences are:
 *
 *   - kernel memory is registered with ib_reg_kernel_mr() (there is no
 *     user memory and no DMA mapping layer: an SGE address is a kernel
 *     virtual address, as with Linux's rxe);
 *   - only RC queue pairs, no SRQ, no atomics, no memory windows;
 *   - every posted work request is validated by the core before the
 *     provider sees it: a bad SGE (unknown lkey, out of the MR's bounds,
 *     missing access right, zero length, address+length overflow) fails
 *     ib_post_send()/ib_post_recv() with -EINVAL/-EACCES and *bad_wr set,
 *     where hardware would complete it later with IB_WC_LOC_PROT_ERR;
 *   - ib_dealloc_pd() returns an error (-EBUSY) instead of warning.
 *
 * Objects are created in this order and destroyed in reverse; destroying
 * an object that others still use fails with -EBUSY (a PD with MRs or QPs,
 * a CQ with QPs):
 *
 *	pd = ib_alloc_pd(dev, 0);
 *	mr = ib_reg_kernel_mr(pd, buf, len, IB_ACCESS_LOCAL_WRITE | ...);
 *	cq = ib_create_cq(dev, handler_or_NULL, event_handler, ctx, &cq_attr);
 *	qp = ib_create_qp(pd, &init_attr);		(IB_QPT_RC)
 *	ib_modify_qp(qp, &attr, IB_QP_STATE | ...);	RESET->INIT->RTR->RTS
 *	ib_post_recv(), ib_post_send(), ib_poll_cq()
 *
 * Errors are negative errno values, pointers carry them with ERR_PTR().
 * Devices appear through ib_register_client(): the client's add() is
 * called for every registered device, now and later.
 *
 * Context: create/modify/destroy calls may sleep.  ib_post_send(),
 * ib_post_recv(), ib_poll_cq() and ib_req_notify_cq() never sleep and may
 * be called from any context, also from a CQ completion handler.
 *
 * Providers (soft-RoCEv2, mlx4) implement include/rdma/ib_provider.h.
 */
#ifndef _RDMA_IB_VERBS_H
#define _RDMA_IB_VERBS_H

#include <lego/compiler.h>
#include <lego/err.h>
#include <lego/list.h>
#include <lego/mutex.h>
#include <lego/spinlock.h>
#include <lego/types.h>
#include <net/netdev.h>

struct ib_device;
struct ib_pd;
struct ib_mr;
struct ib_cq;
struct ib_qp;
struct ib_core;		/* the core's per-device tables (core/internal.h) */

#define IB_DEVICE_NAME_MAX	64
#define IB_MAX_PORTS		2	/* ports are numbered 1..phys_port_cnt */
#define IB_GID_TABLE_LEN	4	/* entries per port */
#define IB_PKEY_TABLE_LEN	1	/* one entry: the default P_Key */
#define IB_DEFAULT_PKEY_FULL	0xffff
#define IB_QPN_MASK		0xffffff	/* QPNs and PSNs are 24 bits */
#define IB_PSN_MASK		0xffffff

/* ---- GIDs ---------------------------------------------------------------- */

union ib_gid {
	u8 raw[16];
	struct {
		__be64 subnet_prefix;
		__be64 interface_id;
	} global;
};

enum ib_gid_type {
	IB_GID_TYPE_IB,
	IB_GID_TYPE_ROCE,		/* RoCE v1: not used by our providers */
	IB_GID_TYPE_ROCE_UDP_ENCAP,	/* RoCE v2 */
};

struct ib_gid_attr {
	union ib_gid gid;
	enum ib_gid_type gid_type;
	u32 index;
	u32 port_num;
	struct netdev *ndev;		/* NULL on an InfiniBand port */
};

/* ::ffff:a.b.c.d, the RoCEv2 GID of IPv4 address @addr (network order). */
static inline void rdma_gid_from_ipv4(union ib_gid *gid, __be32 addr)
{
	int i;

	for (i = 0; i < 10; i++)
		gid->raw[i] = 0;
	gid->raw[10] = 0xff;
	gid->raw[11] = 0xff;
	__builtin_memcpy(&gid->raw[12], &addr, 4);
}

/* True (and *@addr set, if not NULL) if @gid is IPv4-mapped. */
static inline bool rdma_gid_to_ipv4(const union ib_gid *gid, __be32 *addr)
{
	int i;

	for (i = 0; i < 10; i++)
		if (gid->raw[i])
			return false;
	if (gid->raw[10] != 0xff || gid->raw[11] != 0xff)
		return false;
	if (addr)
		__builtin_memcpy(addr, &gid->raw[12], 4);
	return true;
}

static inline bool rdma_gid_equal(const union ib_gid *a, const union ib_gid *b)
{
	return !__builtin_memcmp(a->raw, b->raw, sizeof(a->raw));
}

/* ---- device and port attributes ------------------------------------------ */

/*
 * Limits of a device, filled in by the provider before registration and
 * read by users as dev->attrs (Linux removed ib_query_device() too).
 */
struct ib_device_attr {
	u64 fw_ver;
	__be64 sys_image_guid;
	u64 max_mr_size;
	u64 page_size_cap;
	u32 vendor_id;
	u32 vendor_part_id;
	u32 hw_ver;
	int max_qp;
	int max_qp_wr;			/* per queue */
	int max_send_sge;
	int max_recv_sge;
	int max_cq;
	int max_cqe;
	int max_mr;
	int max_pd;
	int max_qp_rd_atom;		/* RDMA READs one QP may have in flight */
	int max_qp_init_rd_atom;	/* ... it may serve for its peer */
};

enum ib_mtu {
	IB_MTU_256 = 1,
	IB_MTU_512 = 2,
	IB_MTU_1024 = 3,
	IB_MTU_2048 = 4,
	IB_MTU_4096 = 5,
};

static inline int ib_mtu_enum_to_int(enum ib_mtu mtu)
{
	return (mtu >= IB_MTU_256 && mtu <= IB_MTU_4096) ? 128 << mtu : -1;
}

enum ib_port_state {
	IB_PORT_NOP = 0,
	IB_PORT_DOWN = 1,
	IB_PORT_INIT = 2,
	IB_PORT_ARMED = 3,
	IB_PORT_ACTIVE = 4,
	IB_PORT_ACTIVE_DEFER = 5,
};

enum ib_link_layer {
	IB_LINK_LAYER_UNSPECIFIED,
	IB_LINK_LAYER_INFINIBAND,
	IB_LINK_LAYER_ETHERNET,
};

struct ib_port_attr {
	enum ib_port_state state;
	enum ib_mtu max_mtu;
	enum ib_mtu active_mtu;
	u32 phys_mtu;			/* the link's MTU in bytes */
	int gid_tbl_len;		/* filled by the core */
	u16 pkey_tbl_len;		/* filled by the core */
	u32 max_msg_sz;
	u16 lid;			/* 0 on Ethernet */
	u8 link_layer;			/* enum ib_link_layer, by the core */
};

/* ---- events -------------------------------------------------------------- */

enum ib_event_type {
	IB_EVENT_CQ_ERR,		/* CQ overrun: the CQ is now in error */
	IB_EVENT_QP_FATAL,		/* the QP moved to ERR on its own */
	IB_EVENT_QP_REQ_ERR,		/* ... after a remote invalid request */
	IB_EVENT_QP_ACCESS_ERR,		/* ... after a remote access error */
	IB_EVENT_COMM_EST,		/* first packet received in RTR */
	IB_EVENT_SQ_DRAINED,
	IB_EVENT_PATH_MIG,
	IB_EVENT_PATH_MIG_ERR,
	IB_EVENT_DEVICE_FATAL,
	IB_EVENT_PORT_ACTIVE,
	IB_EVENT_PORT_ERR,
	IB_EVENT_LID_CHANGE,
	IB_EVENT_PKEY_CHANGE,
	IB_EVENT_SM_CHANGE,
	IB_EVENT_SRQ_ERR,
	IB_EVENT_SRQ_LIMIT_REACHED,
	IB_EVENT_QP_LAST_WQE_REACHED,
	IB_EVENT_CLIENT_REREGISTER,
	IB_EVENT_GID_CHANGE,
};

struct ib_event {
	struct ib_device *device;
	union {
		struct ib_cq *cq;
		struct ib_qp *qp;
		u32 port_num;
	} element;
	enum ib_event_type event;
};

/* "CQ error", "QP fatal error", ...; "unrecognized event" if unknown. */
const char *ib_event_msg(enum ib_event_type event);

/* ---- protection domains and memory regions -------------------------------- */

enum ib_access_flags {
	IB_ACCESS_LOCAL_WRITE = 1 << 0,
	IB_ACCESS_REMOTE_WRITE = 1 << 1,
	IB_ACCESS_REMOTE_READ = 1 << 2,
	IB_ACCESS_REMOTE_ATOMIC = 1 << 3,	/* accepted; no provider does atomics */
	IB_ACCESS_MW_BIND = 1 << 4,		/* not supported: -EOPNOTSUPP */
};
#define IB_ACCESS_REMOTE	(IB_ACCESS_REMOTE_WRITE | IB_ACCESS_REMOTE_READ | \
				 IB_ACCESS_REMOTE_ATOMIC)

/* ib_alloc_pd() flags: none supported (IB_PD_UNSAFE_GLOBAL_RKEY is not). */
enum ib_pd_flags {
	IB_PD_UNSAFE_GLOBAL_RKEY = 1 << 0,	/* refused with -EOPNOTSUPP */
};

struct ib_pd {
	struct ib_device *device;
	/*
	 * An lkey covering all kernel memory with local write access, as in
	 * Linux: SGEs of kernel buffers that were never registered may use
	 * it.  It grants nothing remotely (its rkey is 0, never valid).
	 */
	u32 local_dma_lkey;
	u32 flags;
	atomic_t usecnt;		/* MRs and QPs of this PD */
	struct ib_mr *__internal_mr;	/* the local_dma_lkey MR */
};

/*
 * A registered range of kernel memory.  iova is the kernel virtual address
 * of its first byte: SGEs and remote RETH addresses use the same numbers.
 * rkey is 0 unless the MR grants remote access.
 */
struct ib_mr {
	struct ib_device *device;
	struct ib_pd *pd;
	u32 lkey;
	u32 rkey;
	u64 iova;
	u64 length;
	int access;			/* enum ib_access_flags */
	atomic_t refcnt;		/* the registration + ib_mr_lookup_*() */
};

/*
 * Allocate a protection domain (@flags: 0).  ERR_PTR(-ENOMEM), -ENOSPC
 * beyond attrs.max_pd, -EOPNOTSUPP for unsupported flags.
 */
struct ib_pd *ib_alloc_pd(struct ib_device *dev, unsigned int flags);
/* 0, or -EBUSY while MRs or QPs of @pd exist. */
int ib_dealloc_pd(struct ib_pd *pd);

/*
 * Register @len bytes of kernel memory at @addr with @access rights.
 * REMOTE_WRITE (and REMOTE_ATOMIC) need LOCAL_WRITE too (an IBA rule).
 * Returns the MR, or ERR_PTR: -EINVAL (NULL or wrapping range, zero or
 * too large length, unknown access bits, write without local write),
 * -EOPNOTSUPP (MW_BIND), -ENOSPC (no key left), -ENOMEM.
 * Ours; Linux's nearest is ib_alloc_mr() + ib_map_mr_sg() + IB_WR_REG_MR.
 */
struct ib_mr *ib_reg_kernel_mr(struct ib_pd *pd, void *addr, size_t len,
			       int access);
/*
 * Deregister: the keys stop working at once (a later lookup of a stale
 * key fails even after the slot is reused: keys carry an 8-bit
 * generation), then the call waits for a provider that is copying into
 * the MR to finish.  Deregistering memory that posted work requests
 * still use is the caller's bug, as on Linux.  0 or -EINVAL.
 */
int ib_dereg_mr(struct ib_mr *mr);

/* ---- work requests and completions ------------------------------------- */

struct ib_sge {
	u64 addr;			/* kernel virtual address */
	u32 length;			/* > 0 */
	u32 lkey;
};

enum ib_wr_opcode {
	IB_WR_RDMA_WRITE,
	IB_WR_RDMA_WRITE_WITH_IMM,
	IB_WR_SEND,
	IB_WR_SEND_WITH_IMM,
	IB_WR_RDMA_READ,
	IB_WR_ATOMIC_CMP_AND_SWP,	/* not supported: -EOPNOTSUPP */
	IB_WR_ATOMIC_FETCH_AND_ADD,	/* not supported: -EOPNOTSUPP */
};

enum ib_send_flags {
	IB_SEND_FENCE = 1 << 0,		/* wait for earlier RDMA READs */
	IB_SEND_SIGNALED = 1 << 1,	/* completion even under IB_SIGNAL_REQ_WR */
	IB_SEND_SOLICITED = 1 << 2,	/* set the SE bit */
	IB_SEND_INLINE = 1 << 3,	/* copy the data at post time; lkeys ignored */
};

struct ib_send_wr {
	struct ib_send_wr *next;
	u64 wr_id;
	struct ib_sge *sg_list;
	int num_sge;			/* 0 .. qp cap.max_send_sge */
	enum ib_wr_opcode opcode;
	int send_flags;			/* enum ib_send_flags */
	union {
		__be32 imm_data;	/* *_WITH_IMM, carried opaque */
		u32 invalidate_rkey;
	} ex;
};

/* RDMA WRITE/READ requests: post &rdma_wr.wr. */
struct ib_rdma_wr {
	struct ib_send_wr wr;
	u64 remote_addr;
	u32 rkey;
};

static inline const struct ib_rdma_wr *rdma_wr(const struct ib_send_wr *wr)
{
	return container_of(wr, struct ib_rdma_wr, wr);
}

struct ib_recv_wr {
	struct ib_recv_wr *next;
	u64 wr_id;
	struct ib_sge *sg_list;
	int num_sge;			/* 0 .. qp cap.max_recv_sge */
};

enum ib_wc_status {
	IB_WC_SUCCESS,
	IB_WC_LOC_LEN_ERR,
	IB_WC_LOC_QP_OP_ERR,
	IB_WC_LOC_EEC_OP_ERR,
	IB_WC_LOC_PROT_ERR,
	IB_WC_WR_FLUSH_ERR,
	IB_WC_MW_BIND_ERR,
	IB_WC_BAD_RESP_ERR,
	IB_WC_LOC_ACCESS_ERR,
	IB_WC_REM_INV_REQ_ERR,
	IB_WC_REM_ACCESS_ERR,
	IB_WC_REM_OP_ERR,
	IB_WC_RETRY_EXC_ERR,
	IB_WC_RNR_RETRY_EXC_ERR,
	IB_WC_LOC_RDD_VIOL_ERR,
	IB_WC_REM_INV_RD_REQ_ERR,
	IB_WC_REM_ABORT_ERR,
	IB_WC_INV_EECN_ERR,
	IB_WC_INV_EEC_STATE_ERR,
	IB_WC_FATAL_ERR,
	IB_WC_RESP_TIMEOUT_ERR,
	IB_WC_GENERAL_ERR,
};

/* "success", "local length error", ...; "unrecognized status" if unknown. */
const char *ib_wc_status_msg(enum ib_wc_status status);

enum ib_wc_opcode {
	IB_WC_SEND,
	IB_WC_RDMA_WRITE,
	IB_WC_RDMA_READ,
	IB_WC_COMP_SWAP,
	IB_WC_FETCH_ADD,
	IB_WC_RECV = 1 << 7,		/* receive completions have this bit */
	IB_WC_RECV_RDMA_WITH_IMM,
};

enum ib_wc_flags {
	IB_WC_GRH = 1 << 0,
	IB_WC_WITH_IMM = 1 << 1,
};

/*
 * A work completion.  Only wr_id, status and qp are valid when status is
 * not IB_WC_SUCCESS (IBA Poll for Completion); opcode is undefined then.
 */
struct ib_wc {
	u64 wr_id;
	enum ib_wc_status status;
	enum ib_wc_opcode opcode;
	u32 vendor_err;
	u32 byte_len;			/* receives: bytes placed */
	struct ib_qp *qp;
	union {
		__be32 imm_data;	/* with IB_WC_WITH_IMM */
		u32 invalidate_rkey;
	} ex;
	u32 src_qp;
	int wc_flags;			/* enum ib_wc_flags */
	u16 pkey_index;
	u32 port_num;
};

/* ---- completion queues -------------------------------------------------- */

enum ib_cq_notify_flags {
	IB_CQ_SOLICITED = 1 << 0,	/* next solicited or error completion */
	IB_CQ_NEXT_COMP = 1 << 1,	/* next completion of any kind */
	IB_CQ_SOLICITED_MASK = IB_CQ_SOLICITED | IB_CQ_NEXT_COMP,
	IB_CQ_REPORT_MISSED_EVENTS = 1 << 2,
};

/* CQ states (core/cq.c has the name table). */
enum ib_cq_state {
	IB_CQ_STATE_OK,
	IB_CQ_STATE_ERROR,		/* overrun: polls fail with -EIO */
};

typedef void (*ib_comp_handler)(struct ib_cq *cq, void *cq_context);

struct ib_cq_init_attr {
	unsigned int cqe;		/* 1 .. attrs.max_cqe entries */
	u32 comp_vector;		/* < dev->num_comp_vectors */
	u32 flags;			/* must be 0 */
};

struct ib_cq {
	struct ib_device *device;
	ib_comp_handler comp_handler;	/* NULL: poll mode only */
	void (*event_handler)(struct ib_event *event, void *cq_context);
	void *cq_context;
	int cqe;			/* capacity */
	atomic_t usecnt;		/* QPs that use this CQ */

	/* The core's completion ring (core/cq.c); providers use the helpers. */
	spinlock_t lock;
	/* Under lock: */
	struct ib_wc *ring;
	u32 head;			/* oldest entry */
	u32 count;			/* entries in the ring */
	u32 armed;			/* enum ib_cq_notify_flags, 0: disarmed */
	enum ib_cq_state state;
	u64 overflows;
};

/*
 * Create a CQ of at least cq_attr->cqe entries.  With @comp_handler, the
 * handler runs (in the provider's context, possibly an interrupt) once per
 * ib_req_notify_cq() arming, when a matching completion arrives; without
 * one the CQ is polled only.  @event_handler (optional) hears of
 * IB_EVENT_CQ_ERR.  ERR_PTR: -EINVAL, -ENOSPC, -ENOMEM.
 */
struct ib_cq *ib_create_cq(struct ib_device *dev, ib_comp_handler comp_handler,
			   void (*event_handler)(struct ib_event *, void *),
			   void *cq_context,
			   const struct ib_cq_init_attr *cq_attr);
/* 0, or -EBUSY while QPs use @cq. */
int ib_destroy_cq(struct ib_cq *cq);

/*
 * Take up to @num_entries completions, oldest first, into @wc.  Returns
 * how many (0: none), -EINVAL for a bad argument, -EIO once the CQ has
 * overrun (it is then unusable: destroy it and its QPs' connections).
 */
int ib_poll_cq(struct ib_cq *cq, int num_entries, struct ib_wc *wc);

/*
 * Arm the completion handler for the next completion (IB_CQ_NEXT_COMP)
 * or the next solicited or unsuccessful one (IB_CQ_SOLICITED).  With
 * IB_CQ_REPORT_MISSED_EVENTS, returns 1 if completions are already
 * waiting (poll again, or they may never be signalled), else 0.  -EINVAL
 * for bad flags or a CQ without a handler, -EIO for a CQ in error.
 */
int ib_req_notify_cq(struct ib_cq *cq, enum ib_cq_notify_flags flags);

/* ---- queue pairs ------------------------------------------------------- */

enum ib_qp_type {
	IB_QPT_SMI,
	IB_QPT_GSI,
	IB_QPT_RC,			/* the only type supported */
	IB_QPT_UC,
	IB_QPT_UD,
};

/* QP states, IBA 10.3 (core/qp_state.c has the table and names). */
enum ib_qp_state {
	IB_QPS_RESET,
	IB_QPS_INIT,
	IB_QPS_RTR,
	IB_QPS_RTS,
	IB_QPS_SQD,
	IB_QPS_SQE,
	IB_QPS_ERR,
};
#define IB_QPS_NR	(IB_QPS_ERR + 1)

/* "RESET", "INIT", ...; "?" for a bad value. */
const char *ib_qp_state_name(enum ib_qp_state state);

enum ib_sig_type {
	IB_SIGNAL_ALL_WR,
	IB_SIGNAL_REQ_WR,
};

/* Which struct ib_qp_attr fields ib_modify_qp() applies; Linux's values. */
enum ib_qp_attr_mask {
	IB_QP_STATE = 1,
	IB_QP_CUR_STATE = 1 << 1,
	IB_QP_EN_SQD_ASYNC_NOTIFY = 1 << 2,
	IB_QP_ACCESS_FLAGS = 1 << 3,
	IB_QP_PKEY_INDEX = 1 << 4,
	IB_QP_PORT = 1 << 5,
	IB_QP_QKEY = 1 << 6,		/* UD only: never valid on RC */
	IB_QP_AV = 1 << 7,
	IB_QP_PATH_MTU = 1 << 8,
	IB_QP_TIMEOUT = 1 << 9,
	IB_QP_RETRY_CNT = 1 << 10,
	IB_QP_RNR_RETRY = 1 << 11,
	IB_QP_RQ_PSN = 1 << 12,
	IB_QP_MAX_QP_RD_ATOMIC = 1 << 13,
	IB_QP_ALT_PATH = 1 << 14,	/* APM: -EOPNOTSUPP */
	IB_QP_MIN_RNR_TIMER = 1 << 15,
	IB_QP_SQ_PSN = 1 << 16,
	IB_QP_MAX_DEST_RD_ATOMIC = 1 << 17,
	IB_QP_PATH_MIG_STATE = 1 << 18,	/* APM: -EOPNOTSUPP */
	IB_QP_CAP = 1 << 19,		/* resize: never valid */
	IB_QP_DEST_QPN = 1 << 20,
};

struct ib_qp_cap {
	u32 max_send_wr;
	u32 max_recv_wr;
	u32 max_send_sge;
	u32 max_recv_sge;
	u32 max_inline_data;		/* the provider may refuse any > 0 */
};

enum rdma_ah_attr_type {
	RDMA_AH_ATTR_TYPE_UNDEFINED,
	RDMA_AH_ATTR_TYPE_IB,
	RDMA_AH_ATTR_TYPE_ROCE,
};

enum ib_ah_flags {
	IB_AH_GRH = 1,
};

struct ib_global_route {
	union ib_gid dgid;		/* RoCEv2/IPv4: ::ffff:<peer IPv4> */
	u32 flow_label;			/* 20 bits */
	u8 sgid_index;			/* our GID: the IPv4-mapped one on RoCE */
	u8 hop_limit;			/* IPv4 TTL */
	u8 traffic_class;		/* IPv4 TOS */
};

struct roce_ah_attr {
	/*
	 * The peer's MAC.  Hardware providers need it resolved; the soft
	 * provider resolves it with ARP itself when it is all zeroes.
	 */
	u8 dmac[ETH_ALEN];
};

/* Address vector: where an RC QP's packets go (IB_QP_AV). */
struct rdma_ah_attr {
	struct ib_global_route grh;	/* valid with IB_AH_GRH */
	u8 sl;
	u8 static_rate;
	u32 port_num;
	u8 ah_flags;			/* enum ib_ah_flags; RoCE needs IB_AH_GRH */
	enum rdma_ah_attr_type type;
	struct roce_ah_attr roce;
};

static inline void rdma_ah_set_port_num(struct rdma_ah_attr *ah, u32 port)
{
	ah->port_num = port;
}

static inline void rdma_ah_set_grh(struct rdma_ah_attr *ah,
				   const union ib_gid *dgid, u32 flow_label,
				   u8 sgid_index, u8 hop_limit,
				   u8 traffic_class)
{
	ah->ah_flags |= IB_AH_GRH;
	if (dgid)
		ah->grh.dgid = *dgid;
	ah->grh.flow_label = flow_label;
	ah->grh.sgid_index = sgid_index;
	ah->grh.hop_limit = hop_limit;
	ah->grh.traffic_class = traffic_class;
}

static inline const struct ib_global_route *
rdma_ah_read_grh(const struct rdma_ah_attr *ah)
{
	return &ah->grh;
}

/*
 * Attributes of a QP.  Which ones ib_modify_qp() reads is given by the
 * mask; the table in core/qp_state.c says which a transition requires
 * and allows.  Ranges (checked): PSNs and dest_qp_num 24 bits, timeout
 * 0-31 (4.096 us * 2^timeout, 0: infinite), retry_cnt and rnr_retry 0-7
 * (rnr_retry 7: infinite), min_rnr_timer 0-31 (the RNR timer code table),
 * max_rd_atomic <= attrs.max_qp_rd_atom, max_dest_rd_atomic <=
 * attrs.max_qp_init_rd_atom, path_mtu a valid enum <= the port's max_mtu.
 */
struct ib_qp_attr {
	enum ib_qp_state qp_state;
	enum ib_qp_state cur_qp_state;	/* with IB_QP_CUR_STATE: must be right */
	enum ib_mtu path_mtu;
	u32 qkey;
	u32 rq_psn;
	u32 sq_psn;
	u32 dest_qp_num;
	int qp_access_flags;		/* LOCAL_WRITE, REMOTE_{WRITE,READ,ATOMIC} */
	struct ib_qp_cap cap;		/* ib_query_qp() output only */
	struct rdma_ah_attr ah_attr;
	u16 pkey_index;
	u8 en_sqd_async_notify;
	u8 sq_draining;			/* ib_query_qp() output only */
	u8 max_rd_atomic;
	u8 max_dest_rd_atomic;
	u8 min_rnr_timer;
	u32 port_num;
	u8 timeout;
	u8 retry_cnt;
	u8 rnr_retry;
};

struct ib_qp_init_attr {
	void (*event_handler)(struct ib_event *event, void *qp_context);
	void *qp_context;
	struct ib_cq *send_cq;
	struct ib_cq *recv_cq;
	void *srq;			/* must be NULL: no SRQ support */
	struct ib_qp_cap cap;		/* in: wanted; out: what was granted */
	enum ib_sig_type sq_sig_type;
	enum ib_qp_type qp_type;	/* IB_QPT_RC, else -EOPNOTSUPP */
	u32 create_flags;		/* must be 0 */
	u32 port_num;			/* ignored for RC (IB_QP_PORT sets it) */
};

struct ib_qp {
	struct ib_device *device;
	struct ib_pd *pd;
	struct ib_cq *send_cq;
	struct ib_cq *recv_cq;
	void (*event_handler)(struct ib_event *event, void *qp_context);
	void *qp_context;
	u32 qp_num;			/* 24 bits, never 0 or 1 */
	enum ib_qp_type qp_type;
	enum ib_sig_type sq_sig_type;
	struct ib_qp_cap cap;		/* as granted */

	/*
	 * The current state and every attribute set so far (the provider
	 * reads dest_qp_num, path_mtu, ah_attr... from here).  state is
	 * written under state_lock; attr under modify_mutex, and it only
	 * changes while the QP is being modified.
	 */
	spinlock_t state_lock;
	enum ib_qp_state state;
	struct mutex modify_mutex;
	struct ib_qp_attr attr;

	atomic_t refcnt;		/* the creator + ib_qp_lookup() */
};

/*
 * Create an RC QP on @pd.  The CQs must belong to the same device; caps
 * are bounded by dev->attrs (max_qp_wr, max_send_sge, max_recv_sge).  The
 * QP starts in RESET with a fresh QP number, and init_attr->cap holds what
 * was granted.  ERR_PTR: -EINVAL, -EOPNOTSUPP (not RC, SRQ, flags),
 * -ENOSPC (no QP number left), -ENOMEM.
 */
struct ib_qp *ib_create_qp(struct ib_pd *pd,
			   struct ib_qp_init_attr *init_attr);

/*
 * Apply the attributes in @attr_mask.  With IB_QP_STATE the QP moves to
 * attr->qp_state; the transition must be valid and the mask must contain
 * exactly the attributes it requires plus any it allows (IBA 10.3 and the
 * table in core/qp_state.c), else -EINVAL; all attribute values are range
 * checked (-EINVAL).  -EOPNOTSUPP for APM attributes.  On any error the
 * QP is unchanged.  Moving to ERR flushes outstanding work requests with
 * IB_WC_WR_FLUSH_ERR; moving to RESET discards them silently.
 */
int ib_modify_qp(struct ib_qp *qp, struct ib_qp_attr *attr, int attr_mask);

/*
 * The QP's current attributes (all of them; @attr_mask is a hint, as in
 * Linux) and, if @init_attr is not NULL, its creation attributes.
 */
int ib_query_qp(struct ib_qp *qp, struct ib_qp_attr *attr, int attr_mask,
		struct ib_qp_init_attr *init_attr);

/*
 * Destroy @qp in any state; its outstanding work requests vanish without
 * completions (move it to ERR and drain the CQs first to get them).
 * Never from the QP's own completion or event handler.
 * 0, or -EINVAL for NULL.
 */
int ib_destroy_qp(struct ib_qp *qp);

/*
 * Is a transition from @cur to @next with @mask allowed for @type?  Pure;
 * the same check ib_modify_qp() makes.  Linux's name and meaning.
 */
bool ib_modify_qp_is_ok(enum ib_qp_state cur, enum ib_qp_state next,
			enum ib_qp_type type, int mask);

/*
 * Post a chain of send work requests.  Each one is checked in order: the
 * QP is in RTS, SQD, SQE or ERR (-EINVAL otherwise; in ERR the requests
 * complete with IB_WC_WR_FLUSH_ERR), the opcode is supported, num_sge <=
 * cap.max_send_sge, and every SGE is valid against its MR: known lkey of
 * this QP's PD, length > 0, [addr, addr+length) without wrap and inside
 * the MR, and IB_ACCESS_LOCAL_WRITE on the MR for an RDMA READ's
 * destination (-EACCES).  Inline sends ignore lkeys but must fit
 * cap.max_inline_data.  Requests before the first bad one are posted; on
 * error *@bad_wr points at the first request not posted.  The provider
 * may also refuse one with -ENOMEM (send queue full).
 */
int ib_post_send(struct ib_qp *qp, const struct ib_send_wr *wr,
		 const struct ib_send_wr **bad_wr);

/*
 * Post a chain of receive work requests: the QP is in INIT or later
 * (-EINVAL in RESET), num_sge <= cap.max_recv_sge, and every SGE is
 * checked as above and needs IB_ACCESS_LOCAL_WRITE.  bad_wr as above.
 */
int ib_post_recv(struct ib_qp *qp, const struct ib_recv_wr *wr,
		 const struct ib_recv_wr **bad_wr);

/* ---- devices, ports and clients ----------------------------------------- */

struct ib_device {
	char name[IB_DEVICE_NAME_MAX];	/* "rxe0", "mlx4_0" */
	const struct ib_device_ops *ops;
	struct ib_device_attr attrs;
	u32 phys_port_cnt;		/* 1 .. IB_MAX_PORTS */
	u32 num_comp_vectors;		/* 1 if the provider leaves it 0 */
	__be64 node_guid;
	/*
	 * Set by the provider before registration if its hardware reserves
	 * low numbers: the first QPN and MR index the core hands out
	 * (at least 2 and 1; 0 means that).
	 */
	u32 min_qpn;
	u32 min_mr_index;

	/* The core's; providers leave these alone. */
	int index;
	bool registered;
	struct list_head list;		/* under the core's device mutex */
	struct ib_core *core;		/* tables: keys, QPNs, GIDs, counts */
};

/* Port numbers of @dev: rdma_start_port() .. rdma_end_port(). */
static inline u32 rdma_start_port(const struct ib_device *dev)
{
	return 1;
}

static inline u32 rdma_end_port(const struct ib_device *dev)
{
	return dev->phys_port_cnt;
}

/* 0 or -EINVAL (no such port), or the provider's error. */
int ib_query_port(struct ib_device *dev, u32 port_num,
		  struct ib_port_attr *port_attr);
enum ib_link_layer rdma_port_get_link_layer(struct ib_device *dev,
					    u32 port_num);
/* The netdev under a RoCE port; NULL on InfiniBand or for a bad port. */
struct netdev *ib_device_get_netdev(struct ib_device *dev, u32 port_num);

/*
 * GID table of a port.  On a RoCE port the core builds it from the
 * netdev and rebuilds it whenever the netdev's MAC or IPv4 address
 * changed since the last look:
 *   index 0: fe80::/64 + EUI-64 of the MAC (RoCEv2)
 *   index 1: ::ffff:a.b.c.d, the IPv4-mapped GID (RoCEv2), while the
 *            netdev has an address
 * Use index 1 (or ib_find_gid() of the mapped address) for IPv4 peers.
 * -EINVAL for a bad port or index, -ENOENT for an empty entry.
 */
int ib_query_gid(struct ib_device *dev, u32 port_num, int index,
		 union ib_gid *gid);
int ib_query_gid_attr(struct ib_device *dev, u32 port_num, int index,
		      struct ib_gid_attr *attr);
/* Where @gid is in @dev's tables: 0 and *@port_num, *@index; or -ENOENT. */
int ib_find_gid(struct ib_device *dev, const union ib_gid *gid,
		u32 *port_num, u16 *index);
/* The P_Key at @index: IB_DEFAULT_PKEY_FULL at 0; -EINVAL otherwise. */
int ib_query_pkey(struct ib_device *dev, u32 port_num, u16 index, u16 *pkey);

/*
 * A user of RDMA devices.  add() is called for every device already
 * registered when the client registers and for every device registered
 * later; remove() when either goes away, with what the client stored
 * with ib_set_client_data().  remove() must destroy everything the client
 * created on the device.  Both run with the core's device mutex held:
 * they may use verbs on the device, but not (un)register clients or
 * devices.
 */
struct ib_client {
	const char *name;
	int (*add)(struct ib_device *dev);		/* 0 or -errno (logged) */
	void (*remove)(struct ib_device *dev, void *client_data);

	/* The core's: */
	u32 client_id;
	struct list_head list;
};

/* 0, -EINVAL (no name or callbacks) or -ENOSPC (IB_MAX_CLIENTS, 8, reached). */
int ib_register_client(struct ib_client *client);
/* remove() on every device the client was added to, then forget it. */
void ib_unregister_client(struct ib_client *client);
void ib_set_client_data(struct ib_device *dev, struct ib_client *client,
			void *data);
void *ib_get_client_data(struct ib_device *dev, struct ib_client *client);

/* A registered device by name; NULL if none.  (Not reference counted.) */
struct ib_device *ib_device_get_by_name(const char *name);

#endif /* _RDMA_IB_VERBS_H */
