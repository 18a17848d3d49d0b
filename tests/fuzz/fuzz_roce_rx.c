// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the soft-RoCEv2 receive path: arbitrary bytes go
 * through sroce_parse() and, when accepted, into one RC QP's responder
 * and completer (drivers/infiniband/sw/sroce/), interleaved with work
 * requests and timer expiries so that the engines hold state (open
 * messages, outstanding READs, RNR waits, rewinds) when packets arrive.
 *
 * The QP under test has QPN 0x22, its peer 0x11; both PSN spaces start
 * just before the 2^24 wrap; the path MTU is 256 and the windows are
 * small, so edges are near.  What counts as a bug, besides any ASan/UBSan
 * report:
 *   - a packet the QP sends that sroce_parse() refuses (it must only
 *     send valid packets), or a request PSN outside [una, una + window);
 *   - a parsed buffer not counted under exactly one cause;
 *   - send completions out of order or more completions than WRs;
 *   - broken ring invariants (comp <= req <= head).
 *
 * An input is a list of records (type = first byte modulo 6):
 *   0 LL HH bytes...  a packet of HHLL bytes (clamped), ICRC as given
 *   1 LL HH bytes...  the same with DestQP set to ours and the ICRC fixed
 *   2 O L V           post a send WR: opcode O % 5, L * 13 bytes, remote
 *                     offset V * 256
 *   3 L               post a receive WR of L * 7 bytes
 *   4 W               fire timer W % SROCE_NR_TIMERS (retransmit, RNR, delayed
 *                     ACK), if armed
 *   5 B               the next B % 4 transmits fail with -EBUSY; kick
 *
 * FUZZ_ROCE_WRITE_SEEDS=DIR makes the binary write its seed corpus to DIR
 * and exit: tests/fuzz/Makefile generates the seeds that way.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lego_host_rename.h"

#include <lego/errno.h>
#include <uapi/lego/roce.h>

#include "../../drivers/infiniband/sw/sroce/internal.h"
#include "../../drivers/infiniband/sw/sroce/psn.h"
#include "../../drivers/infiniband/sw/sroce/rc.h"

#undef memcpy
#undef memset
#undef snprintf

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define OUR_QPN		0x22
#define PEER_QPN	0x11
#define FIRST_PSN	0xfffff0
#define MEM_SIZE	(16 * 1024)
#define MR_VA		0x100000ULL
#define MR_RKEY		0x4242

static struct sroce_qp qp;
static struct sroce_send_wqe sq[16];
static struct sroce_recv_wqe rq[8];
static u8 mem[MEM_SIZE];		/* the MR and the local buffers */
static struct sroce_rx_stats rx_stats, tx_stats;
static bool timer_on[SROCE_NR_TIMERS];
static int busy;
static u64 posted_send, posted_recv, cqe_send, cqe_recv, next_wr_id;
static u64 last_send_id;
static volatile u8 sink;

static const struct sroce_l3 rx_l3 = {
	.saddr = 0x0200000a, .daddr = 0x0100000a, .ip_frag_off = 0x4000,
	.sport = 0xc011, .dport = ROCE_V2_UDP_DPORT,
};

static void die(const char *why)
{
	fprintf(stderr, "fuzz_roce_rx: %s\n", why);
	abort();
}

static struct sroce_l3 l3_for(const struct sroce_l3 *base, u32 len)
{
	struct sroce_l3 l3 = *base;

	l3.udp_len = (u16)(8 + len);
	l3.ip_tot_len = (u16)(28 + len);
	return l3;
}

/* What we send must parse, and request PSNs stay inside the window. */
static int f_xmit(struct sroce_qp *q, const struct sroce_pkt *pkt)
{
	static u8 buf[SROCE_MAX_PKT_LEN];
	struct sroce_l3 l3;
	struct sroce_pkt p;
	u32 len;
	int ret;

	if (busy) {
		busy--;
		return -EBUSY;
	}
	len = sroce_pkt_len(pkt);
	l3 = l3_for(&rx_l3, len);
	ret = sroce_build_buf(buf, sizeof(buf), pkt, &l3);
	if (ret != (int)len)
		die("the engines built a packet sroce_build_buf refuses");
	if (sroce_parse(&l3, buf, len, q->attr.pmtu, &p, &tx_stats))
		die("the engines sent a packet sroce_parse refuses");
	if (p.bth.dqpn != PEER_QPN)
		die("a packet to the wrong QP");
	if ((p.info & ROCE_F_REQ) &&
	    !psn_in_range(p.bth.psn, q->una, q->attr.max_unacked))
		die("a request PSN outside the window");
	for (len = 0; len < p.paylen; len++)
		sink ^= p.payload[len];
	return 0;
}

static void f_complete(struct sroce_qp *q, const struct sroce_cqe *cqe)
{
	if (cqe->is_recv) {
		cqe_recv++;
		return;
	}
	/* Send completions come in posting order, each once. */
	if (cqe->wr_id <= last_send_id && cqe_send)
		die("send completions out of order");
	last_send_id = cqe->wr_id;
	cqe_send++;
}

static int f_rkey_lookup(struct sroce_qp *q, u32 rkey, u64 va, u32 len,
			 u32 access, void **addr)
{
	if (rkey != MR_RKEY || va < MR_VA || va - MR_VA > MEM_SIZE ||
	    len > MEM_SIZE - (va - MR_VA))
		return -EACCES;
	*addr = mem + (va - MR_VA);
	return 0;
}

static void f_timer(struct sroce_qp *q, enum sroce_timer which, u64 usec)
{
	timer_on[which] = usec != 0;
}

static const struct sroce_rc_ops ops = {
	.xmit = f_xmit,
	.complete = f_complete,
	.rkey_lookup = f_rkey_lookup,
	.timer = f_timer,
};

static const struct sroce_qp_attr attr = {
	.qpn = OUR_QPN, .dest_qpn = PEER_QPN, .sq_psn = FIRST_PSN,
	.rq_psn = FIRST_PSN, .pmtu = 256, .timeout = 5, .retry_cnt = 2,
	.rnr_retry = 2, .min_rnr_timer = 3, .max_rd_atomic = 2,
	.max_dest_rd_atomic = 2,
	.access = SROCE_ACCESS_REMOTE_WRITE | SROCE_ACCESS_REMOTE_READ,
	.ack_every = 4, .max_unacked = 8,
	.send_ack_delay_us = 100,	/* fuzz the delayed ACK too */
};

static void reset(void)
{
	if (sroce_qp_init(&qp, &attr, &ops, sq, ARRAY_SIZE(sq), rq,
			  ARRAY_SIZE(rq)))
		die("sroce_qp_init");
	memset(&rx_stats, 0, sizeof(rx_stats));
	memset(&tx_stats, 0, sizeof(tx_stats));
	memset(timer_on, 0, sizeof(timer_on));
	busy = 0;
	posted_send = posted_recv = cqe_send = cqe_recv = 0;
	next_wr_id = 1;
	last_send_id = 0;
}

static void rx_packet(const u8 *p, u32 len, bool fix)
{
	struct sroce_l3 l3 = l3_for(&rx_l3, len);
	struct sroce_pkt pkt;
	u8 *copy = malloc(len ? len : 1);	/* exact size: ASan sees overreads */

	memcpy(copy, p, len);
	if (fix && len >= ROCE_BTH_LEN + ROCE_ICRC_LEN) {
		roce_put_be24(copy + 5, OUR_QPN);
		sroce_icrc_seal(&l3, copy, len - ROCE_ICRC_LEN);
	}
	if (!sroce_parse(&l3, copy, len, qp.attr.pmtu, &pkt, &rx_stats)) {
		if (pkt.paylen && (pkt.payload < copy ||
				   pkt.payload + pkt.paylen > copy + len))
			die("payload outside the packet");
		sroce_rc_rx(&qp, &pkt);
	}
	free(copy);
}

static void post_send(const u8 *r)
{
	struct sroce_send_wqe wr = {
		.wr_id = next_wr_id++,
		.opcode = r[0] % 5,
		.flags = SROCE_SEND_SIGNALED,	/* so every WR completes */
		.num_sge = 1,
		.remote_va = MR_VA + (u64)r[2] * 256,
		.rkey = MR_RKEY,
		.imm = r[1],
	};
	u32 len = (u32)r[1] * 13;

	wr.sge[0] = (struct sroce_sge){ mem + (MEM_SIZE - len), len };
	if (!sroce_post_send(&qp, &wr))
		posted_send++;
}

static void post_recv(u8 l)
{
	struct sroce_recv_wqe wr = { .wr_id = next_wr_id++, .num_sge = 2 };
	u32 len = (u32)l * 7;

	wr.sge[0] = (struct sroce_sge){ mem, len / 2 };
	wr.sge[1] = (struct sroce_sge){ mem + 4096, len - len / 2 };
	if (!sroce_post_recv(&qp, &wr))
		posted_recv++;
}

static void check_invariants(void)
{
	const struct sroce_rx_stats *s = &rx_stats;
	u64 sum = s->rx_ok + s->rx_short + s->rx_bad_version +
		  s->rx_bad_opcode + s->rx_bad_pkey + s->rx_bad_pad +
		  s->rx_bad_len + s->rx_too_long + s->rx_bad_icrc;

	if (sum != s->rx_pkts)
		die("a parsed buffer not counted under exactly one cause");
	if (cqe_send > posted_send || cqe_recv > posted_recv)
		die("more completions than work requests");
	if (qp.sq_req - qp.sq_comp > qp.sq_head - qp.sq_comp ||
	    qp.sq_head - qp.sq_comp > ARRAY_SIZE(sq) ||
	    qp.rq_head - qp.rq_tail > ARRAY_SIZE(rq))
		die("ring indices out of order");
	if (psn_after(qp.una, qp.sent_end))
		die("una past everything sent");
	if (qp.error && (qp.sq_comp != qp.sq_head || qp.rq_tail != qp.rq_head))
		die("error state with WRs not flushed");
}

static void run_records(const uint8_t *p, size_t n)
{
	u32 len;

	while (n) {
		u8 op = p[0] % 6;

		p++, n--;
		switch (op) {
		case 0:
		case 1:
			if (n < 2)
				return;
			len = (u32)p[0] | (u32)p[1] << 8;
			p += 2, n -= 2;
			if (len > n)
				len = (u32)n;
			rx_packet(p, len, op == 1);
			p += len, n -= len;
			break;
		case 2:
			if (n < 3)
				return;
			post_send(p);
			p += 3, n -= 3;
			break;
		case 3:
			if (n < 1)
				return;
			post_recv(p[0]);
			p++, n--;
			break;
		case 4:
			if (n < 1)
				return;
			if (timer_on[p[0] % SROCE_NR_TIMERS]) {
				timer_on[p[0] % SROCE_NR_TIMERS] = false;
				sroce_rc_timer(&qp, p[0] % SROCE_NR_TIMERS);
			}
			p++, n--;
			break;
		default:
			if (n < 1)
				return;
			busy = p[0] % 4;
			sroce_rc_kick(&qp);
			p++, n--;
			break;
		}
		check_invariants();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reset();
	run_records(data, size);
	sroce_qp_set_error(&qp);		/* flushes everything */
	check_invariants();
	if (cqe_send != posted_send || cqe_recv != posted_recv)
		die("a work request never completed after the flush");
	return 0;
}

/* ---- seeds ----------------------------------------------------------- */

static u8 seed[8192];
static size_t seed_len;

static void add_bytes(const void *b, size_t n)
{
	memcpy(seed + seed_len, b, n);
	seed_len += n;
}

static void add_pkt(u8 opcode, u32 psn, bool ackreq, u32 paylen, u8 syndrome,
		    u64 va, u32 dma_len)
{
	static u8 payload[256];
	struct sroce_pkt d = { 0 };
	u8 buf[SROCE_MAX_PKT_LEN];
	struct sroce_l3 l3;
	int len;

	d.bth.opcode = opcode;
	d.bth.pkey = ROCE_DEFAULT_PKEY;
	d.bth.dqpn = OUR_QPN;
	d.bth.psn = psn & ROCE_PSN_MASK;
	d.bth.ackreq = ackreq;
	d.reth = (struct roce_reth_fields){ va, MR_RKEY, dma_len };
	d.aeth.syndrome = syndrome;
	d.payload = payload;
	d.paylen = paylen;
	l3 = l3_for(&rx_l3, sroce_pkt_len(&d));
	len = sroce_build_buf(buf, sizeof(buf), &d, &l3);
	if (len < 0)
		die("seed");
	add_bytes((u8[]){ 1, (u8)len, (u8)(len >> 8) }, 3);
	add_bytes(buf, (size_t)len);
}

static void write_seed(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(seed, 1, seed_len, f) != seed_len)
		die("cannot write a seed");
	fclose(f);
	seed_len = 0;
}

static void write_seeds(const char *dir)
{
	u32 psn = FIRST_PSN;
	int i;

	/* Responder: SEND FIRST..LAST into a receive WQE, across the wrap. */
	add_bytes((u8[]){ 3, 200 }, 2);
	for (i = 0; i < 20; i++)
		add_pkt(i == 0 ? ROCE_OP_SEND_FIRST : i == 19 ?
			ROCE_OP_SEND_LAST : ROCE_OP_SEND_MIDDLE,
			psn + i, i == 19, i == 19 ? 17 : 256, 0, 0, 0);
	write_seed(dir, "send_wrap");
	/* WRITE and READ requests, a duplicate READ, one out of order. */
	add_pkt(ROCE_OP_WRITE_FIRST, psn, false, 256, 0, MR_VA, 300);
	add_pkt(ROCE_OP_WRITE_LAST, psn + 1, true, 44, 0, 0, 0);
	add_pkt(ROCE_OP_READ_REQUEST, psn + 2, true, 0, 0, MR_VA, 600);
	add_pkt(ROCE_OP_READ_REQUEST, psn + 2, true, 0, 0, MR_VA, 600);
	add_pkt(ROCE_OP_SEND_ONLY, psn + 9, true, 8, 0, 0, 0);
	write_seed(dir, "write_read");
	/* Requester and completer: a SEND and a READ, ACK, responses, NAKs. */
	add_bytes((u8[]){ 2, 0, 40, 0, 2, 4, 30, 1 }, 8);
	add_pkt(ROCE_OP_ACKNOWLEDGE, psn + 1, false, 0, 0x1f, 0, 0);
	add_pkt(ROCE_OP_READ_RESPONSE_FIRST, psn + 3, false, 256, 0x1f, 0, 0);
	add_pkt(ROCE_OP_ACKNOWLEDGE, psn + 3, false, 0, 0x60, 0, 0);
	add_pkt(ROCE_OP_ACKNOWLEDGE, psn + 3, false, 0, 0x21, 0, 0);
	add_bytes((u8[]){ 4, 1, 4, 0, 5, 2 }, 6);
	write_seed(dir, "requester");
	/* Timeouts until the retries run out. */
	add_bytes((u8[]){ 2, 3, 100, 0 }, 4);
	for (i = 0; i < 5; i++)
		add_bytes((u8[]){ 4, 0 }, 2);
	write_seed(dir, "retry_exhausted");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_ROCE_WRITE_SEEDS");

	if (dir) {
		write_seeds(dir);
		exit(0);
	}
	return 0;
}
