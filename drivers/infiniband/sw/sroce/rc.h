/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The three RC protocol engines of soft-RoCEv2 (IBTA 9.7, reliable
 * service; notes B.6-B.9 and C.3-C.5), as pure state machines over one
 * struct sroce_qp:
 *
 *	requester (req.c)   send queue -> request packets: segmentation by
 *			    path MTU, PSNs, AckReq, go-back-N retransmission
 *	responder (resp.c)  request packets -> receive queue, memory, ACKs,
 *			    NAKs, READ responses
 *	completer (comp.c)  ACKs, NAKs, READ responses, timeouts -> send
 *			    completions, retries, errors
 *
 * Nothing here allocates, sleeps, locks or reads a clock.  The glue (the
 * verbs provider) owns the QP's lock and calls the entry points below
 * under it, and the engines reach the world only through struct
 * sroce_rc_ops: packets out, completions out, R_Key lookups, timers.  So
 * two QPs joined by a scripted "wire" run the whole protocol in a host
 * test (tests/host/test_sroce_rc.c).
 */
#ifndef _SROCE_RC_H
#define _SROCE_RC_H

#include <lego/types.h>

#include "internal.h"

#define SROCE_MAX_UNACKED	128	/* PSNs in flight (rxe's window; B.6) */
#define SROCE_ACK_EVERY		64	/* AckReq at least this often (B.3) */
#define SROCE_MAX_RD_RES	16	/* READ responder resources per QP */

/* What a send work request asks for. */
enum sroce_wr_opcode {
	SROCE_WR_SEND,
	SROCE_WR_SEND_IMM,
	SROCE_WR_WRITE,
	SROCE_WR_WRITE_IMM,
	SROCE_WR_READ,
};

#define SROCE_SEND_SIGNALED	0x01	/* a completion even on success */
#define SROCE_SEND_SOLICITED	0x02	/* BTH SE on the last packet */

/* Remote access the QP grants its peer (and an MR grants an R_Key). */
#define SROCE_ACCESS_REMOTE_WRITE	0x01
#define SROCE_ACCESS_REMOTE_READ	0x02

/* Work completion status, as ib_wc_status names them. */
enum sroce_wc_status {
	SROCE_WC_SUCCESS,
	SROCE_WC_LOC_LEN_ERR,		/* receive buffer too small */
	SROCE_WC_LOC_QP_OP_ERR,
	SROCE_WC_WR_FLUSH_ERR,		/* the QP went to error first */
	SROCE_WC_BAD_RESP_ERR,		/* malformed response */
	SROCE_WC_REM_INV_REQ_ERR,	/* NAK invalid request */
	SROCE_WC_REM_ACCESS_ERR,	/* NAK remote access error */
	SROCE_WC_REM_OP_ERR,		/* NAK remote operational error */
	SROCE_WC_RETRY_EXC_ERR,		/* retry_cnt exhausted */
	SROCE_WC_RNR_RETRY_EXC_ERR,	/* rnr_retry exhausted */
};

enum sroce_wc_opcode {
	SROCE_WC_SEND,
	SROCE_WC_WRITE,
	SROCE_WC_READ,
	SROCE_WC_RECV,
	SROCE_WC_RECV_WRITE_IMM,
};

/* A local buffer, already checked against its L_Key by the poster. */
struct sroce_sge {
	void *addr;
	u32 len;
};

struct sroce_send_wqe {
	/* Set by the poster. */
	u64 wr_id;
	u8 opcode;			/* enum sroce_wr_opcode */
	u8 flags;			/* SROCE_SEND_* */
	u8 num_sge;
	struct sroce_sge sge[SROCE_MAX_SGE];
	u64 remote_va;			/* WRITE, READ */
	u32 rkey;
	u32 imm;			/* *_IMM */

	/* The engines'. */
	u32 length;			/* sum of the SGEs */
	u32 npkts;			/* PSNs the message takes */
	u32 first_psn;			/* valid once started */
	u32 last_psn;
	u32 cur_psn;			/* requester: next packet to (re)send */
	u32 read_done;			/* completer: READ bytes arrived */
	u32 read_req_off;		/* READ bytes before the last request */
	u8 state;			/* enum sroce_wqe_state (rc.c) */
};

struct sroce_recv_wqe {
	u64 wr_id;
	u8 num_sge;
	struct sroce_sge sge[SROCE_MAX_SGE];
	u32 length;			/* the engines': sum of the SGEs */
};

/* A work completion; the glue turns it into the verbs core's. */
struct sroce_cqe {
	u64 wr_id;
	u8 status;			/* enum sroce_wc_status */
	u8 opcode;			/* enum sroce_wc_opcode */
	bool is_recv;
	bool with_imm;
	bool solicited;			/* receive: its last packet had SE */
	u32 byte_len;
	u32 imm;
	u32 qpn;
};

enum sroce_timer {
	SROCE_TIMER_RETRANS,		/* local ACK timeout */
	SROCE_TIMER_RNR,		/* RNR NAK back-off */
	SROCE_TIMER_ACK,		/* a delayed ACK is due */
};
#define SROCE_NR_TIMERS		3

struct sroce_qp;

/* How the engines reach the world.  All but trace are required. */
struct sroce_rc_ops {
	/*
	 * Send one packet to the peer: encode @pkt (sroce_build), add UDP,
	 * IPv4 and the ICRC.  0, or -EBUSY/-ENOMEM when it could not be
	 * sent now (the engine stops and resumes at sroce_rc_kick()).
	 */
	int (*xmit)(struct sroce_qp *qp, const struct sroce_pkt *pkt);
	/* Deliver a completion (send or receive queue). */
	void (*complete)(struct sroce_qp *qp, const struct sroce_cqe *cqe);
	/*
	 * Resolve [@va, @va + @len) under @rkey for @access
	 * (SROCE_ACCESS_REMOTE_*): 0 and the local address in *@addr, or
	 * -EACCES (unknown key, no permission, out of bounds).
	 */
	int (*rkey_lookup)(struct sroce_qp *qp, u32 rkey, u64 va, u32 len,
			   u32 access, void **addr);
	/* (Re)arm @which to fire after @usec, or stop it (@usec == 0). */
	void (*timer)(struct sroce_qp *qp, enum sroce_timer which, u64 usec);
	/* Optional: each state an engine ("req", "comp", "resp") enters. */
	void (*trace)(struct sroce_qp *qp, const char *engine,
		      const char *state);
};

/* Connection parameters, exchanged out of band (notes B.13). */
struct sroce_qp_attr {
	u32 qpn;
	u32 dest_qpn;
	u32 sq_psn;			/* our first request PSN */
	u32 rq_psn;			/* the first request PSN we expect */
	u32 pmtu;			/* 256, 512, 1024, 2048 or 4096 */
	u8 timeout;			/* 4.096 us << timeout; 0: no timer */
	u8 retry_cnt;			/* 0-7, 7 = infinite (rxe's reading) */
	u8 rnr_retry;			/* 0-7, 7 = infinite */
	u8 min_rnr_timer;		/* RNR timer code in our RNR NAKs */
	u8 max_rd_atomic;		/* our READs in flight, >= 1 */
	u8 max_dest_rd_atomic;		/* READ resources, 1..SROCE_MAX_RD_RES */
	u32 access;			/* SROCE_ACCESS_* granted to the peer */
	u32 ack_every;			/* 0: SROCE_ACK_EVERY */
	u32 max_unacked;		/* 0: SROCE_MAX_UNACKED */
	/*
	 * Delay the ACK of a SEND by up to this many microseconds (0: ACK
	 * at once), so that a reply the receiver sends meanwhile goes out
	 * first; any other responder packet sends it before itself.
	 */
	u32 send_ack_delay_us;
};

/*
 * Counters per QP, each explained where it is listed.  The prefix says
 * which engine counts it: req_*, comp_*, resp_*.
 */
#define SROCE_RC_STATS_LIST(X)						\
	X(req_pkts)		/* request packets sent, first time */	\
	X(req_retrans_pkts)	/* request packets sent again */	\
	X(tx_busy)		/* xmit refused: wait for a kick */	\
	X(comp_acks)		/* ACKs that acknowledged something */	\
	X(comp_read_resps)	/* READ responses placed */		\
	X(comp_nak_seq)		/* NAK PSN sequence error received */	\
	X(comp_rnr_naks)						\
	X(comp_nak_err)		/* NAK invalid/access/operational */	\
	X(comp_timeouts)	/* local ACK timeouts with work out */	\
	X(comp_retries)		/* go-back-N rounds started */		\
	X(comp_read_ooo)	/* READ response PSN not the expected */ \
	X(comp_stale)		/* response for an acknowledged PSN */	\
	X(comp_ghost)		/* response for a PSN never sent */	\
	X(comp_bad_resp)	/* malformed response dropped */	\
	X(resp_pkts)		/* requests executed */			\
	X(resp_dup)		/* duplicate requests */		\
	X(resp_dup_read)	/* duplicate READs replayed */		\
	X(resp_dup_drop)	/* duplicates dropped (no resource...) */ \
	X(resp_ahead)		/* out of sequence, dropped */		\
	X(resp_acks)		/* ACKs sent (incl. re-ACKs) */		\
	X(resp_nak_seq)		/* NAK PSN sequence error sent */	\
	X(resp_rnr_naks)	/* RNR NAKs sent */			\
	X(resp_nak_err)		/* NAK invalid/access sent */		\
	X(resp_read_pkts)	/* READ response packets sent */	\
	X(rx_wrong_state)	/* packets for a QP in error */

struct sroce_rc_stats {
#define SROCE_STAT_FIELD(name) u64 name;
	SROCE_RC_STATS_LIST(SROCE_STAT_FIELD)
#undef SROCE_STAT_FIELD
};

/* A responder READ resource: a READ request kept to answer duplicates. */
struct sroce_read_res {
	bool valid;
	bool pending;			/* responses left to send */
	u32 start_psn;			/* the request's PSN */
	u32 npkts;
	u32 rkey;
	u64 va;
	u32 len;
	u8 *addr;			/* rkey_lookup() of [va, va + len) */
	/* the responses being sent: [cur_psn, end_psn) from reply_off */
	u32 reply_first;		/* PSN of the reply's FIRST/ONLY */
	u32 cur_psn;
	u32 end_psn;
};

struct sroce_qp {
	/* Constant after sroce_qp_init(). */
	struct sroce_qp_attr attr;
	const struct sroce_rc_ops *ops;
	void *priv;			/* the glue's */
	struct sroce_send_wqe *sq;	/* ring of sq_size (a power of 2) */
	struct sroce_recv_wqe *rq;	/* ring of rq_size (a power of 2) */
	u32 sq_size;
	u32 rq_size;
	u64 ack_timeout_usec;

	bool error;			/* in the error state: all flushed */

	/* Send queue indices, free-running: comp <= req <= head. */
	u32 sq_head;			/* next free slot */
	u32 sq_req;			/* the requester's WQE */
	u32 sq_comp;			/* oldest not completed */

	/* Requester and completer. */
	u32 next_psn;			/* first PSN of the next new WQE */
	u32 una;			/* oldest unacknowledged PSN */
	u32 sent_end;			/* one past the last PSN ever sent */
	u32 rnr_psn;			/* where to resume after RNR wait */
	u32 last_ackreq_psn;		/* of the last packet with AckReq */
	u32 rd_out;			/* READ WQEs started, not completed */
	u8 retry_left;
	u8 rnr_left;
	bool retrying;			/* rewound; no progress since */
	bool rnr_wait;			/* until SROCE_TIMER_RNR fires */
	bool timer_armed;
	bool progress;			/* una moved: push the timer */

	/* Responder. */
	u32 rq_head;			/* next free slot */
	u32 rq_tail;			/* next to consume */
	u32 epsn;
	u32 msn;
	bool nak_sent;			/* NAK (seq or RNR) for this ePSN */
	bool ack_pending;		/* a delayed ACK of ack_pending_psn */
	u32 ack_pending_psn;
	u32 resp_op;			/* ROCE_F_SEND/WRITE: message open */
	bool have_rwqe;
	struct sroce_recv_wqe rwqe;	/* the receive WQE being filled */
	u32 recv_off;			/* bytes placed in it */
	u8 *write_addr;			/* the WRITE being placed */
	u32 write_left;
	u32 write_len;
	u32 res_next;			/* next READ resource slot */
	struct sroce_read_res res[SROCE_MAX_RD_RES];

	struct sroce_rc_stats stats;
};

/* ---- rc.c ---------------------------------------------------------------- */

/*
 * Set up @qp in the ready-to-send state with empty rings @sq and @rq
 * (sizes powers of two).  -EINVAL for attributes out of range.
 */
int sroce_qp_init(struct sroce_qp *qp, const struct sroce_qp_attr *attr,
		  const struct sroce_rc_ops *ops, struct sroce_send_wqe *sq,
		  u32 sq_size, struct sroce_recv_wqe *rq, u32 rq_size);
/*
 * Queue a send WR (copied) and start sending.  -ENOMEM when the ring is
 * full, -EINVAL for a bad WR, -ENOTCONN in the error state.
 */
int sroce_post_send(struct sroce_qp *qp, const struct sroce_send_wqe *wr);
/* Queue a receive WR (copied).  Errors as sroce_post_send(). */
int sroce_post_recv(struct sroce_qp *qp, const struct sroce_recv_wqe *wr);
/* A packet sroce_parse() accepted, for this QP (bth.dqpn == qpn). */
void sroce_rc_rx(struct sroce_qp *qp, const struct sroce_pkt *pkt);
/* Timer @which, armed through ops->timer, fired. */
void sroce_rc_timer(struct sroce_qp *qp, enum sroce_timer which);
/* The transmit path has room again: resume what -EBUSY stopped. */
void sroce_rc_kick(struct sroce_qp *qp);
/* Move to the error state: flush every WR with WR_FLUSH_ERR. */
void sroce_qp_set_error(struct sroce_qp *qp);
const char *sroce_wc_status_name(enum sroce_wc_status status);

/* What the engines share (rc.c). */
enum sroce_wqe_state {
	SROCE_WQE_POSTED,		/* not started */
	SROCE_WQE_STARTED,		/* PSNs assigned, packets left */
	SROCE_WQE_SENT,			/* every packet sent at least once */
	SROCE_WQE_DONE,
};

static inline struct sroce_send_wqe *sroce_sq_at(struct sroce_qp *qp, u32 i)
{
	return &qp->sq[i & (qp->sq_size - 1)];
}

/* Complete a send WQE: a CQE if signalled or failed. */
void sroce_complete_send(struct sroce_qp *qp, struct sroce_send_wqe *wqe,
			 enum sroce_wc_status status);
void sroce_complete(struct sroce_qp *qp, const struct sroce_cqe *cqe);
/* Copy @len bytes from @src into the SGEs at byte @off of their total. */
void sroce_sge_write(const struct sroce_sge *sge, u32 num_sge, u32 off,
		     const u8 *src, u32 len);
/* Describe @len bytes of the SGEs from @off as fragments of @pkt. */
void sroce_sge_frags(const struct sroce_sge *sge, u32 num_sge, u32 off,
		     u32 len, struct sroce_pkt *pkt);
/* A BTH for @opcode and @psn to the peer, everything else zero. */
void sroce_pkt_init(struct sroce_qp *qp, struct sroce_pkt *pkt, u8 opcode,
		    u32 psn);
/* Keep the retransmit timer armed exactly while packets are unacked. */
void sroce_update_timer(struct sroce_qp *qp);

/* ---- req.c --------------------------------------------------------------- */

/* Send what the window allows: new WQEs and rewound ones. */
void sroce_requester(struct sroce_qp *qp);
/* Go back to @psn (unacknowledged, sent): resend from there (go-back-N). */
void sroce_req_rewind(struct sroce_qp *qp, u32 psn);

/* ---- comp.c -------------------------------------------------------------- */

/* A response packet (ACK, NAK, READ response) for this QP. */
void sroce_completer(struct sroce_qp *qp, const struct sroce_pkt *pkt);
/* The local ACK timer or the RNR timer fired. */
void sroce_comp_timer(struct sroce_qp *qp, enum sroce_timer which);

/* ---- resp.c -------------------------------------------------------------- */

/* A request packet for this QP. */
void sroce_responder(struct sroce_qp *qp, const struct sroce_pkt *pkt);
/* Send READ responses left over by a busy transmit path. */
void sroce_resp_kick(struct sroce_qp *qp);
/* Send the delayed ACK, if one is pending (SROCE_TIMER_ACK). */
void sroce_resp_flush_ack(struct sroce_qp *qp);

#endif /* _SROCE_RC_H */
