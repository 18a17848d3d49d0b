// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `sroce_stream`: bulk RDMA between two LegoOS nodes, every
 * byte checked, meant to run with the netdev layer losing, duplicating
 * and reordering frames (net.test_loss/test_dup/test_reorder).  Both
 * nodes boot with `ktest=sroce_stream`, their own `net.ip=`, and the
 * parameters of the two-node suites (test_hello.c):
 *
 *	rdma.test_peer=A.B.C.D  rdma.test_role=client|server
 *	rdma.stream_bytes=N	the stream, a multiple of the message size
 *				(default 64 MiB, at most 256 MiB)
 *	rdma.stream_msg=N	message size, a power of two, 4 KiB..4 MiB
 *				(default 64 KiB)
 *	rdma.stream_depth=N	messages in flight, 1..SS_MAX_DEPTH
 *				(default 8)
 *
 * Each node holds a region of rdma.stream_bytes in chunks of at most
 * 4 MiB (the largest block the page allocator gives), one MR each.  After
 * the handshake the server SENDs the table of its chunks (address, rkey).
 *
 *   write_stream  The client fills its region with pattern 1 and WRITEs
 *                 it into the server's, message after message with up to
 *                 rdma.stream_depth in flight.  A SEND announces the end;
 *                 the server checks all of its region and ACKs its verdict,
 *                 having filled the region with pattern 2 meanwhile.
 *   read_stream   The client fills its region with 0xee, READs all of the
 *                 server's into it the same way, checks all of it and
 *                 tells the server (DONE, ACK, BYE).
 *
 * The pattern is a hash of the 64-bit word's offset in the stream and the
 * pass: a stale, misplaced, duplicated or missing packet changes words.
 * Both nodes report the time and rate of each stream, and at the end the
 * provider's counters (retransmissions: `qps: ... req_retrans_pkts=`).
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/ktest.h>
#include <lego/params.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>

#include "sroce.h"
#include "test_util.h"

#define SS_CHUNK		(4u << 20)
#define SS_MAX_CHUNKS		64		/* 256 MiB */
#define SS_MAP_MAGIC		0x4d415053	/* "SPAM" */
#define SS_FILL			0xeeeeeeeeeeeeeeeeull
#define SS_LINGER_MS		1000
#define SS_WAIT_MS		300000		/* a whole stream */
#define SS_MAX_DEPTH	14		/* the QP holds 16 */

static unsigned int stream_bytes = 64u << 20;
static unsigned int stream_msg = 64u << 10;
static unsigned int stream_depth = 8;
lego_param_uint("rdma.stream_bytes", stream_bytes,
		"TEST ONLY: bytes of each sroce_stream stream (default 64 MiB)");
lego_param_uint("rdma.stream_msg", stream_msg,
		"TEST ONLY: sroce_stream message size (default 64 KiB)");
lego_param_uint("rdma.stream_depth", stream_depth,
		"TEST ONLY: sroce_stream messages in flight (default 8)");

typedef unsigned long long ull;

/* The server's chunks, as the client must see them. */
struct ss_map {
	u32 magic;
	u32 nr;
	u64 bytes;
	struct {
		u64 addr;
		u32 rkey;
		u32 len;
	} chunk[SS_MAX_CHUNKS];
};

static struct {
	struct st_end e;
	struct st_hello h;
	bool up;
	u64 *chunk[SS_MAX_CHUNKS];	/* our region */
	struct ib_mr *mr[SS_MAX_CHUNKS];
	u32 nr;
	struct ss_map peer;		/* client: the server's region */
} S;

static u64 pattern(u32 pass, u64 word)
{
	u64 x = (word + ((u64)pass << 40)) * 0x9e3779b97f4a7c15ull;

	return x ^ (x >> 29) ^ pass;
}

static void region_fill(u32 pass)
{
	u32 c, i, words = SS_CHUNK / 8;

	for (c = 0; c < S.nr; c++)
		for (i = 0; i < words; i++)
			S.chunk[c][i] = pass ? pattern(pass, (u64)c * words + i) :
					       SS_FILL;
}

/* Count the words that differ from @pass; log the first one. */
static u64 region_check(struct ktest *t, u32 pass)
{
	u32 c, i, words = SS_CHUNK / 8;
	u64 bad = 0, want;

	for (c = 0; c < S.nr; c++) {
		for (i = 0; i < words; i++) {
			want = pattern(pass, (u64)c * words + i);
			if (S.chunk[c][i] == want)
				continue;
			if (!bad++)
				ktest_log(t, "first bad word at byte %llu: %#llx, want %#llx",
					  (ull)((u64)c * SS_CHUNK + i * 8ull),
					  (ull)S.chunk[c][i], (ull)want);
		}
	}
	return bad;
}

static void region_free(void)
{
	u32 c;

	for (c = 0; c < SS_MAX_CHUNKS; c++) {
		if (S.mr[c])
			ib_dereg_mr(S.mr[c]);
		kfree(S.chunk[c]);
		S.mr[c] = NULL;
		S.chunk[c] = NULL;
	}
	S.nr = 0;
}

static int region_alloc(struct st_end *e)
{
	int access = IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_WRITE |
		     IB_ACCESS_REMOTE_READ;
	struct ib_mr *mr;
	u32 c;

	S.nr = stream_bytes / SS_CHUNK;
	for (c = 0; c < S.nr; c++) {
		S.chunk[c] = kmalloc(SS_CHUNK, GFP_KERNEL);
		if (!S.chunk[c])
			return -ENOMEM;
		mr = ib_reg_kernel_mr(e->pd, S.chunk[c], SS_CHUNK, access);
		if (IS_ERR(mr))
			return PTR_ERR(mr);
		S.mr[c] = mr;
	}
	return 0;
}

static bool params_ok(struct ktest *t)
{
	if (stream_msg < 4096 || stream_msg > SS_CHUNK ||
	    (stream_msg & (stream_msg - 1)) || !stream_bytes ||
	    stream_bytes % SS_CHUNK || stream_bytes / SS_CHUNK > SS_MAX_CHUNKS ||
	    !stream_depth || stream_depth > SS_MAX_DEPTH) {
		ktest_fail(t, __FILE__, __LINE__,
			   "rdma.stream_bytes=%u msg=%u depth=%u: out of range",
			   stream_bytes, stream_msg, stream_depth);
		return false;
	}
	return true;
}

/* ---- the map ---------------------------------------------------------------- */

static int send_map(struct ktest *t, struct st_end *e)
{
	struct ss_map *m = (struct ss_map *)e->loc;
	u32 c;
	int err;

	memset(m, 0, sizeof(*m));
	m->magic = SS_MAP_MAGIC;
	m->nr = S.nr;
	m->bytes = stream_bytes;
	for (c = 0; c < S.nr; c++) {
		m->chunk[c].addr = (u64)(uintptr_t)S.chunk[c];
		m->chunk[c].rkey = S.mr[c]->rkey;
		m->chunk[c].len = SS_CHUNK;
	}
	err = st_post(e, IB_WR_SEND, m, sizeof(*m), e->mr_loc, NULL, 0);
	return err ? err : st_wait_send(t, e, IB_WR_SEND);
}

static int wait_map(struct ktest *t, struct st_end *e)
{
	struct ib_wc wc;
	int err = st_wait_recv(t, e, &wc);

	if (err)
		return err;
	memcpy(&S.peer, e->rx, sizeof(S.peer));
	memset(e->rx, ST_FILL_TGT, sizeof(S.peer));
	if (wc.byte_len != sizeof(S.peer) || S.peer.magic != SS_MAP_MAGIC ||
	    S.peer.nr != S.nr || S.peer.bytes != stream_bytes) {
		ktest_fail(t, __FILE__, __LINE__,
			   "bad map: %u bytes, magic %#x, %u chunks of %llu bytes",
			   wc.byte_len, S.peer.magic, S.peer.nr,
			   (ull)S.peer.bytes);
		return -EPROTO;
	}
	return 0;
}

static void handshake(struct ktest *t)
{
	int err;

	if (!st_test_peer) {
		ktest_skip(t, "no rdma.test_peer= on the command line");
		return;
	}
	if (!params_ok(t) || st_test_handshake(t, &S.h, &S.e))
		return;
	err = region_alloc(&S.e);
	if (err) {
		ktest_fail(t, __FILE__, __LINE__, "%u chunks of 4 MiB: %d",
			   stream_bytes / SS_CHUNK, err);
		return;
	}
	if (st_test_is_server()) {
		region_fill(0);		/* before the client may WRITE */
		err = send_map(t, &S.e);
	} else {
		err = wait_map(t, &S.e);
	}
	KTEST_ASSERT_EQ(t, err, 0);
	S.up = true;
	ktest_log(t, "%u MiB in %u chunks, %u-byte messages, %u in flight",
		  stream_bytes >> 20, S.nr, stream_msg, stream_depth);
}

static bool connected(struct ktest *t)
{
	if (!st_test_peer)
		ktest_skip(t, "no rdma.test_peer= on the command line");
	else if (!S.up)
		ktest_fail(t, __FILE__, __LINE__, "not connected (handshake failed)");
	return S.up;
}

/* ---- the streams --------------------------------------------------------------- */

/* Message @i of the stream: WRITE it to, or READ it from, the server. */
static int post_msg(struct st_end *e, enum ib_wr_opcode op, u32 i)
{
	u64 off = (u64)i * stream_msg;
	u32 c = off / SS_CHUNK, in = off % SS_CHUNK;
	struct ib_sge sge = {
		.addr = (u64)(uintptr_t)S.chunk[c] + in,
		.length = stream_msg,
		.lkey = S.mr[c]->lkey,
	};
	struct ib_rdma_wr wr = {
		.wr = { .wr_id = i, .sg_list = &sge, .num_sge = 1,
			.opcode = op, .send_flags = IB_SEND_SIGNALED },
		.remote_addr = S.peer.chunk[c].addr + in,
		.rkey = S.peer.chunk[c].rkey,
	};

	return ib_post_send(e->qp, &wr.wr, NULL);
}

/* All messages of one stream, @stream_depth in flight; 0 or -errno. */
static int run_stream(struct ktest *t, struct st_end *e, enum ib_wr_opcode op,
		      u64 *ns)
{
	u32 n = stream_bytes / stream_msg, posted = 0, done = 0;
	u64 t0 = ktime_get_ns();
	int err;

	while (done < n) {
		while (posted < n && posted - done < stream_depth) {
			err = post_msg(e, op, posted);
			if (err) {
				ktest_fail(t, __FILE__, __LINE__,
					   "post of message %u: %d", posted, err);
				return err;
			}
			posted++;
		}
		err = st_wait_send(t, e, op);
		if (err) {
			ktest_log(t, "at message %u of %u", done, n);
			return err;
		}
		done++;
	}
	*ns = ktime_get_ns() - t0;
	return 0;
}

static void log_rate(struct ktest *t, const char *what, u64 ns, u64 check_ns)
{
	ktest_log(t, "%s: %u bytes in %llu ms (%llu KB/s), checked in %llu ms",
		  what, stream_bytes, (ull)(ns / NSEC_PER_MSEC),
		  (ull)(ns ? (u64)stream_bytes * 1000000ull / ns : 0),
		  (ull)(check_ns / NSEC_PER_MSEC));
}

static void write_client(struct ktest *t, struct st_end *e)
{
	u64 ns;
	u32 ok;

	region_fill(1);
	KTEST_ASSERT_EQ(t, run_stream(t, e, IB_WR_RDMA_WRITE, &ns), 0);
	KTEST_ASSERT_EQ(t, st_send_msg(t, e, ST_WROTE, 1, stream_bytes, 0), 0);
	KTEST_ASSERT_EQ(t, st_wait_msg(t, e, ST_ACK, 1, stream_bytes, &ok), 0);
	log_rate(t, "RDMA_WRITE stream", ns, 0);
	if (!ok)
		ktest_fail(t, __FILE__, __LINE__, "the server saw other data");
}

static void write_server(struct ktest *t, struct st_end *e)
{
	u64 bad, t0;

	KTEST_ASSERT_EQ(t, st_wait_msg_ms(t, e, ST_WROTE, 1, stream_bytes,
					  NULL, SS_WAIT_MS), 0);
	t0 = ktime_get_ns();
	bad = region_check(t, 1);
	t0 = ktime_get_ns() - t0;
	region_fill(2);				/* what the READs must see */
	KTEST_ASSERT_EQ(t, st_send_msg(t, e, ST_ACK, 1, stream_bytes, !bad), 0);
	ktest_log(t, "RDMA_WRITE stream: %u bytes checked in %llu ms, %llu bad words",
		  stream_bytes, (ull)(t0 / NSEC_PER_MSEC), (ull)bad);
	KTEST_EXPECT_EQ(t, bad, 0);
}

static void write_stream(struct ktest *t)
{
	if (!connected(t))
		return;
	if (st_test_is_server())
		write_server(t, &S.e);
	else
		write_client(t, &S.e);
}

static void read_client(struct ktest *t, struct st_end *e)
{
	u64 ns, bad, t0;
	int err;

	region_fill(0);
	KTEST_ASSERT_EQ(t, run_stream(t, e, IB_WR_RDMA_READ, &ns), 0);
	t0 = ktime_get_ns();
	bad = region_check(t, 2);
	log_rate(t, "RDMA_READ stream", ns, ktime_get_ns() - t0);
	ktest_log(t, "RDMA_READ stream: %llu bad words", (ull)bad);
	KTEST_EXPECT_EQ(t, bad, 0);
	err = st_send_msg(t, e, ST_DONE, 2, stream_bytes, !bad);
	if (!err)
		err = st_wait_msg(t, e, ST_ACK, 2, 0, NULL);
	if (!err)
		err = st_send_msg(t, e, ST_BYE, 2, 0, 0);
	KTEST_EXPECT_EQ(t, err, 0);
}

static void read_server(struct ktest *t, struct st_end *e)
{
	u32 ok = 0;
	int err;

	err = st_wait_msg_ms(t, e, ST_DONE, 2, stream_bytes, &ok, SS_WAIT_MS);
	if (!err)
		err = st_send_msg(t, e, ST_ACK, 2, 0, 1);
	if (!err)
		err = st_wait_msg(t, e, ST_BYE, 2, 0, NULL);
	KTEST_EXPECT_EQ(t, err, 0);
	if (!err && !ok)
		ktest_fail(t, __FILE__, __LINE__, "the client READ other data");
}

static void read_stream(struct ktest *t)
{
	if (!connected(t))
		return;
	if (st_test_is_server())
		read_server(t, &S.e);
	else
		read_client(t, &S.e);
}

static void teardown_counters(struct ktest *t)
{
	struct ib_device *dev = S.e.dev;

	if (!st_test_peer) {
		ktest_skip(t, "no rdma.test_peer= on the command line");
		return;
	}
	msleep(SS_LINGER_MS);
	if (dev)
		sroce_print_stats(dev);
	region_free();
	if (S.e.qp)
		st_end_destroy(&S.e);
	st_hello_close(&S.h);
	S.up = false;
}

static const struct ktest_case sroce_stream_cases[] = {
	KTEST_CASE(handshake),
	KTEST_CASE(write_stream),
	KTEST_CASE(read_stream),
	KTEST_CASE(teardown_counters),
	{}
};
KTEST_SUITE(sroce_stream, sroce_stream_cases);
