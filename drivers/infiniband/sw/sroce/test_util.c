// SPDX-License-Identifier: GPL-2.0
/*
 * The code both sroce ktest suites run (test_util.h): endpoints, the
 * lockstep data schedule, and the vanished-peer check.
 *
 * Every buffer byte is accounted for: messages carry pattern(seq, i), a
 * function of their sequence number and position, so stale or misplaced
 * data fails; the ST_GUARD bytes after each message must still hold the
 * fill byte (0xdd where the peer writes, 0xee where a READ lands); the
 * target restores the fill after each check.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/params.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>
#include <net/byteorder.h>
#include <rdma/ib_provider.h>

#include "test_util.h"

#define ST_MAGIC	0x53524f43	/* "SROC" */
#define FILL_TGT	ST_FILL_TGT
#define FILL_READ	0xee

/* A control message (both ends are x86 LegoOS: native byte order). */
struct st_msg {
	u32 magic;
	u32 kind;			/* enum st_kind */
	u32 seq;
	u32 size;
	u32 ok;				/* ACK: the target's verdict */
};
_Static_assert(sizeof(struct st_msg) <= ST_CTRL_SIZE, "st_msg fits ctrl");

const u32 st_sizes[] = { 1, 64, 1024, 1025, 4096, 65536, 262144, ST_MAX_MSG };
const unsigned int st_nr_sizes = ARRAY_SIZE(st_sizes);
unsigned int st_max_size;
lego_param_uint("rdma.test_max_size", st_max_size,
		"TEST ONLY: sroce suites skip message sizes above this");

static const enum ib_wr_opcode st_ops[] = {
	IB_WR_SEND, IB_WR_SEND_WITH_IMM, IB_WR_RDMA_WRITE,
	IB_WR_RDMA_WRITE_WITH_IMM, IB_WR_RDMA_READ,
};

static const char *const st_op_name[] = {
	[IB_WR_SEND] = "SEND",
	[IB_WR_SEND_WITH_IMM] = "SEND_WITH_IMM",
	[IB_WR_RDMA_WRITE] = "RDMA_WRITE",
	[IB_WR_RDMA_WRITE_WITH_IMM] = "RDMA_WRITE_WITH_IMM",
	[IB_WR_RDMA_READ] = "RDMA_READ",
};

static u8 pattern(u32 seq, u32 i)
{
	return (u8)(seq * 151 + i * 7 + (i >> 10) + 1);
}

static void fill(u8 *buf, u32 seq, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		buf[i] = pattern(seq, i);
}

/* @len bytes of pattern @seq, then ST_GUARD bytes of @guard. */
static bool matches(const u8 *buf, u32 seq, u32 len, u8 guard)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (buf[i] != pattern(seq, i))
			return false;
	for (i = 0; i < ST_GUARD; i++)
		if (buf[len + i] != guard)
			return false;
	return true;
}

static bool size_enabled(u32 size)
{
	return !st_max_size || size <= st_max_size;
}

/* ---- waiting ------------------------------------------------------------ */

static enum ib_wc_opcode wc_of(enum ib_wr_opcode op)
{
	if (op == IB_WR_RDMA_READ)
		return IB_WC_RDMA_READ;
	if (op == IB_WR_RDMA_WRITE || op == IB_WR_RDMA_WRITE_WITH_IMM)
		return IB_WC_RDMA_WRITE;
	return IB_WC_SEND;
}

int st_wait_send(struct ktest *t, struct st_end *e, enum ib_wr_opcode op)
{
	struct ib_wc wc;
	int err = st_wait_wc(e->scq, &wc, ST_WAIT_MS);

	if (!err && wc.status == IB_WC_SUCCESS && wc.opcode == wc_of(op))
		return 0;
	ktest_fail(t, __FILE__, __LINE__, "%s: send completion: err %d, %s, opcode %d",
		   st_op_name[op], err, err ? "-" : ib_wc_status_msg(wc.status),
		   err ? -1 : (int)wc.opcode);
	return err ? err : -EIO;
}

int st_wait_recv(struct ktest *t, struct st_end *e, struct ib_wc *wc)
{
	return st_wait_recv_ms(t, e, wc, ST_WAIT_MS);
}

int st_wait_recv_ms(struct ktest *t, struct st_end *e, struct ib_wc *wc,
		    unsigned int ms)
{
	int err = st_wait_wc(e->rcq, wc, ms);

	if (!err && wc->status != IB_WC_SUCCESS)
		err = -EIO;
	if (!err)
		err = st_post_recv(e);
	if (err)
		ktest_fail(t, __FILE__, __LINE__, "receive completion: err %d, %s",
			   err, err == -EIO ? ib_wc_status_msg(wc->status) : "-");
	return err;
}

/* The receive landed in rx: put the fill back where it wrote. */
static void rx_restore(struct st_end *e, u32 len)
{
	memset(e->rx, FILL_TGT, min(len, (u32)ST_MAX_MSG) + ST_GUARD);
}

int st_send_msg(struct ktest *t, struct st_end *e, u32 kind, u32 seq,
		u32 size, u32 ok)
{
	struct st_msg *m = (struct st_msg *)e->ctrl;
	int err;

	*m = (struct st_msg){ ST_MAGIC, kind, seq, size, ok };
	err = st_post(e, IB_WR_SEND, m, sizeof(*m), e->mr_ctrl, NULL, 0);
	return err ? err : st_wait_send(t, e, IB_WR_SEND);
}

int st_wait_msg(struct ktest *t, struct st_end *e, u32 kind, u32 seq,
		u32 size, u32 *ok)
{
	return st_wait_msg_ms(t, e, kind, seq, size, ok, ST_WAIT_MS);
}

int st_wait_msg_ms(struct ktest *t, struct st_end *e, u32 kind, u32 seq,
		   u32 size, u32 *ok, unsigned int ms)
{
	struct st_msg m;
	struct ib_wc wc;
	int err = st_wait_recv_ms(t, e, &wc, ms);

	if (err)
		return err;
	memcpy(&m, e->rx, sizeof(m));
	rx_restore(e, wc.byte_len);
	if (wc.opcode != IB_WC_RECV || wc.byte_len != sizeof(m) ||
	    m.magic != ST_MAGIC || m.kind != kind || m.seq != seq ||
	    m.size != size) {
		ktest_fail(t, __FILE__, __LINE__,
			   "expected message %u for seq %u size %u, got opcode %d len %u: %#x %u %u %u",
			   kind, seq, size, wc.opcode, wc.byte_len, m.magic,
			   m.kind, m.seq, m.size);
		return -EPROTO;
	}
	if (ok)
		*ok = m.ok;
	return 0;
}

/* ---- the requester --------------------------------------------------------- */

static void note_time(struct st_stats *s, enum ib_wr_opcode op, u32 size,
		      u64 ns)
{
	if (size != ST_MAX_MSG)
		return;
	if (op == IB_WR_RDMA_WRITE)
		s->write_1m_ns = ns;
	else if (op == IB_WR_RDMA_READ)
		s->read_1m_ns = ns;
	else if (op == IB_WR_SEND)
		s->send_1m_ns = ns;
}

static int req_read(struct ktest *t, struct st_end *e, const struct st_peer *p,
		    u32 size, u32 seq, struct st_stats *s)
{
	u64 t0;
	u32 ok;
	int err = st_send_msg(t, e, ST_PREP, seq, size, 0);

	if (!err)
		err = st_wait_msg(t, e, ST_ACK, seq, size, &ok);
	if (err)
		return err;
	memset(e->loc, FILL_READ, size + ST_GUARD);
	t0 = ktime_get_ns();
	err = st_post(e, IB_WR_RDMA_READ, e->loc, size, e->mr_loc, p, 0);
	if (!err)
		err = st_wait_send(t, e, IB_WR_RDMA_READ);
	if (err)
		return err;
	note_time(s, IB_WR_RDMA_READ, size, ktime_get_ns() - t0);
	if (!matches(e->loc, seq, size, FILL_READ)) {
		s->mismatches++;
		ktest_fail(t, __FILE__, __LINE__, "RDMA_READ of %u bytes: data differs",
			   size);
		return -EIO;
	}
	return 0;
}

static int req_one(struct ktest *t, struct st_end *e, const struct st_peer *p,
		   enum ib_wr_opcode op, u32 size, u32 seq, struct st_stats *s)
{
	u64 t0;
	u32 ok;
	int err;

	if (op == IB_WR_RDMA_READ)
		return req_read(t, e, p, size, seq, s);
	fill(e->loc, seq, size);
	t0 = ktime_get_ns();
	err = st_post(e, op, e->loc, size, e->mr_loc, p, seq);
	if (!err)
		err = st_wait_send(t, e, op);
	if (err)
		return err;
	note_time(s, op, size, ktime_get_ns() - t0);
	/* A WRITE says nothing at the target: a SEND announces it. */
	if (op == IB_WR_RDMA_WRITE)
		err = st_send_msg(t, e, ST_WROTE, seq, size, 0);
	if (!err)
		err = st_wait_msg(t, e, ST_ACK, seq, size, &ok);
	if (!err && !ok) {
		s->mismatches++;
		ktest_fail(t, __FILE__, __LINE__, "%s of %u bytes: the peer saw other data",
			   st_op_name[op], size);
		err = -EIO;
	}
	return err;
}

int st_requester(struct ktest *t, struct st_end *e, const struct st_peer *p,
		 struct st_stats *s)
{
	u64 t0 = ktime_get_ns();
	unsigned int o, i;
	u32 seq = 0;
	int err;

	memset(s, 0, sizeof(*s));
	for (o = 0; o < ARRAY_SIZE(st_ops); o++) {
		for (i = 0; i < st_nr_sizes; i++) {
			if (!size_enabled(st_sizes[i]))
				continue;
			err = req_one(t, e, p, st_ops[o], st_sizes[i], ++seq, s);
			if (err)
				return err;
			s->ops++;
			s->bytes += st_sizes[i];
		}
	}
	/*
	 * DONE, ACK, BYE: every receive buffer points at the same rx region,
	 * so the target may not start sending (as the next schedule's
	 * requester) before we have read its ACK out of it.
	 */
	err = st_send_msg(t, e, ST_DONE, ++seq, 0, 0);
	if (!err)
		err = st_wait_msg(t, e, ST_ACK, seq, 0, NULL);
	if (!err)
		err = st_send_msg(t, e, ST_BYE, seq, 0, 0);
	s->total_ns = ktime_get_ns() - t0;
	return err;
}

/* ---- the target ------------------------------------------------------------ */

/* Check one message of the schedule; true if every byte matched. */
static bool tgt_check(struct st_end *e, enum ib_wr_opcode op, u32 size,
		      u32 seq, const struct ib_wc *wc)
{
	bool imm = op == IB_WR_SEND_WITH_IMM || op == IB_WR_RDMA_WRITE_WITH_IMM;
	bool ok = true;

	if (imm)
		ok = (wc->wc_flags & IB_WC_WITH_IMM) &&
		     ntohl(wc->ex.imm_data) == seq;
	else
		ok = !(wc->wc_flags & IB_WC_WITH_IMM);
	switch (op) {
	case IB_WR_SEND:
	case IB_WR_SEND_WITH_IMM:
		ok &= wc->opcode == IB_WC_RECV && wc->byte_len == size &&
		      matches(e->rx, seq, size, FILL_TGT);
		rx_restore(e, size);
		return ok;
	case IB_WR_RDMA_WRITE_WITH_IMM:
		ok &= wc->opcode == IB_WC_RECV_RDMA_WITH_IMM &&
		      wc->byte_len == size;
		break;
	default:
		break;
	}
	ok &= matches(e->tgt, seq, size, FILL_TGT);
	memset(e->tgt, FILL_TGT, size + ST_GUARD);
	return ok;
}

static int tgt_one(struct ktest *t, struct st_end *e, enum ib_wr_opcode op,
		   u32 size, u32 seq, struct st_stats *s)
{
	struct ib_wc wc;
	bool ok;
	int err;

	if (op == IB_WR_RDMA_WRITE || op == IB_WR_RDMA_READ) {
		err = st_wait_msg(t, e, op == IB_WR_RDMA_READ ? ST_PREP : ST_WROTE,
			       seq, size, NULL);
		if (err)
			return err;
		if (op == IB_WR_RDMA_READ) {	/* what the READ must see */
			fill(e->tgt, seq, size);
			return st_send_msg(t, e, ST_ACK, seq, size, 1);
		}
		memset(&wc, 0, sizeof(wc));
	} else {
		err = st_wait_recv(t, e, &wc);
		if (err)
			return err;
	}
	ok = tgt_check(e, op, size, seq, &wc);
	if (!ok) {
		s->mismatches++;
		ktest_fail(t, __FILE__, __LINE__,
			   "%s of %u bytes (seq %u): opcode %d, %u bytes, flags %#x: data or completion differs",
			   st_op_name[op], size, seq, wc.opcode, wc.byte_len,
			   wc.wc_flags);
	}
	return st_send_msg(t, e, ST_ACK, seq, size, ok);
}

int st_target(struct ktest *t, struct st_end *e, struct st_stats *s)
{
	u64 t0 = ktime_get_ns();
	unsigned int o, i;
	u32 seq = 0;
	int err;

	memset(s, 0, sizeof(*s));
	for (o = 0; o < ARRAY_SIZE(st_ops); o++) {
		for (i = 0; i < st_nr_sizes; i++) {
			if (!size_enabled(st_sizes[i]))
				continue;
			err = tgt_one(t, e, st_ops[o], st_sizes[i], ++seq, s);
			if (err)
				return err;
			s->ops++;
			s->bytes += st_sizes[i];
		}
	}
	err = st_wait_msg(t, e, ST_DONE, ++seq, 0, NULL);
	memset(e->tgt, FILL_TGT, ST_REGION);
	if (!err)
		err = st_send_msg(t, e, ST_ACK, seq, 0, 1);
	if (!err)
		err = st_wait_msg(t, e, ST_BYE, seq, 0, NULL);
	s->total_ns = ktime_get_ns() - t0;
	if (!err && s->mismatches)
		err = -EIO;
	return err;
}

typedef unsigned long long ull;

static ull mbps(u64 bytes, u64 ns)
{
	return ns ? bytes * 1000 / ns : 0;	/* bytes/ns * 1000 = MB/s */
}

void st_log_stats(struct ktest *t, const char *what, const struct st_stats *s)
{
	ktest_log(t, "%s: %u messages, %llu bytes verified, %u mismatches, %llu ms",
		  what, s->ops, (ull)s->bytes, s->mismatches,
		  (ull)(s->total_ns / NSEC_PER_MSEC));
	if (s->write_1m_ns)
		ktest_log(t, "%s: 1 MiB RDMA_WRITE %llu us (%llu MB/s), RDMA_READ %llu us (%llu MB/s), SEND %llu us",
			  what, (ull)(s->write_1m_ns / 1000),
			  mbps(ST_MAX_MSG, s->write_1m_ns),
			  (ull)(s->read_1m_ns / 1000),
			  mbps(ST_MAX_MSG, s->read_1m_ns),
			  (ull)(s->send_1m_ns / 1000));
}

