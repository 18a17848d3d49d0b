// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the soft-RoCEv2 wire layer (drivers/infiniband/sw/sroce/
 * icrc.c, pkt.c, psn.h and include/uapi/lego/roce.h):
 *
 *   - every header's byte layout against hand-written bytes, and
 *     encode/decode round trips of random field values;
 *   - every RC opcode built and parsed back with random fields and
 *     payload sizes, byte-exact;
 *   - the ICRC against both vectors of shared/reference/icrc_vectors.py
 *     (a ConnectX-4 Lx capture and a synthetic SEND_ONLY), the LRH seed,
 *     and that exactly the masked fields are left out;
 *   - 24-bit PSN arithmetic across the 2^24 wrap;
 *   - the parser on every malformed shape, each counted under its one
 *     cause, and every truncation of a valid packet in an exact-size
 *     buffer (ASan: no read outside it).
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/crc32.h>
#include <lego/errno.h>
#include <lego/string.h>
#include <net/pktbuf.h>
#include <uapi/lego/roce.h>

#include "../../drivers/infiniband/sw/sroce/internal.h"
#include "../../drivers/infiniband/sw/sroce/psn.h"

#define IP(a, b, c, d) \
	((__be32)((u32)(a) | (u32)(b) << 8 | (u32)(c) << 16 | (u32)(d) << 24))

static u8 *hex(const char *s, size_t *len)
{
	u8 *out = calloc(1, strlen(s) / 2 + 1);
	size_t n = 0;
	unsigned int v;

	while (*s) {
		if (*s == ' ' || *s == '\n') {
			s++;
			continue;
		}
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (u8)v;
		s += 2;
	}
	*len = n;
	return out;
}

/* ---- header layouts -------------------------------------------------- */

/* Field by field: memcmp would also compare the structs' padding bytes. */
static void assert_bth_fields_equal(const struct roce_bth_fields *a,
				    const struct roce_bth_fields *b)
{
	assert_int_equal(a->opcode, b->opcode);
	assert_int_equal(a->se, b->se);
	assert_int_equal(a->migreq, b->migreq);
	assert_int_equal(a->pad, b->pad);
	assert_int_equal(a->tver, b->tver);
	assert_int_equal(a->pkey, b->pkey);
	assert_int_equal(a->fecn, b->fecn);
	assert_int_equal(a->becn, b->becn);
	assert_int_equal(a->dqpn, b->dqpn);
	assert_int_equal(a->ackreq, b->ackreq);
	assert_int_equal(a->psn, b->psn);
}

static void test_bth_layout(void **state)
{
	/* Notes B.10's SEND_ONLY: QPN 0x11, AckReq, PSN 1. */
	static const u8 want[12] = { 0x04, 0x00, 0xff, 0xff, 0x00, 0x00,
				     0x00, 0x11, 0x80, 0x00, 0x00, 0x01 };
	struct roce_bth_fields f = {
		.opcode = ROCE_OP_SEND_ONLY, .pkey = 0xffff, .dqpn = 0x11,
		.ackreq = true, .psn = 1,
	};
	struct roce_bth_fields g;
	struct roce_bth h;

	(void)state;
	roce_bth_encode(&h, &f);
	assert_memory_equal(&h, want, 12);
	/* Every flag in its bit. */
	f = (struct roce_bth_fields){ .opcode = 0xab, .se = true, .migreq = true,
		.pad = 3, .tver = 0xf, .pkey = 0x1234, .fecn = true,
		.becn = true, .dqpn = 0xabcdef, .ackreq = true,
		.psn = 0x123456 };
	roce_bth_encode(&h, &f);
	assert_memory_equal(&h, ((u8[]){ 0xab, 0xff, 0x12, 0x34, 0xc0, 0xab,
					0xcd, 0xef, 0x80, 0x12, 0x34, 0x56 }),
			    12);
	roce_bth_decode(&h, &g);
	assert_bth_fields_equal(&f, &g);
}

static void test_eth_layouts(void **state)
{
	struct roce_reth_fields r = { 0x0102030405060708ULL, 0x090a0b0c,
				      0x0d0e0f10 }, r2;
	struct roce_aeth_fields a = { 0x7f, 0xabcdef }, a2;
	struct roce_reth reth;
	struct roce_aeth aeth;
	u8 want[16];
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		want[i] = i + 1;
	roce_reth_encode(&reth, &r);
	assert_memory_equal(&reth, want, 16);
	roce_reth_decode(&reth, &r2);
	assert_memory_equal(&r, &r2, sizeof(r));
	roce_aeth_encode(&aeth, &a);
	assert_memory_equal(&aeth, ((u8[]){ 0x7f, 0xab, 0xcd, 0xef }), 4);
	roce_aeth_decode(&aeth, &a2);
	assert_int_equal(a2.syndrome, 0x7f);
	assert_int_equal(a2.msn, 0xabcdef);
	assert_int_equal(sizeof(struct roce_atomic_eth), 28);
	assert_int_equal(offsetof(struct roce_atomic_eth, compare), 20);
}

static void test_bth_roundtrip_random(void **state)
{
	struct roce_bth_fields f, g;
	struct roce_bth h;
	int i;

	(void)state;
	for (i = 0; i < 10000; i++) {
		memset(&f, 0, sizeof(f));
		f.opcode = rng_next();
		f.se = rng_below(2);
		f.migreq = rng_below(2);
		f.pad = rng_below(4);
		f.tver = rng_below(16);
		f.pkey = rng_next();
		f.fecn = rng_below(2);
		f.becn = rng_below(2);
		f.dqpn = rng_next() & 0xffffff;
		f.ackreq = rng_below(2);
		f.psn = rng_next() & 0xffffff;
		roce_bth_encode(&h, &f);
		roce_bth_decode(&h, &g);
		assert_bth_fields_equal(&f, &g);
	}
}

static void test_opcode_table(void **state)
{
	unsigned int op;
	u32 info;

	(void)state;
	for (op = 0; op < 256; op++) {
		info = roce_opcode_info(op);
		if (op >= 0x20 || op == 0x15 || op >= 0x18) {
			assert_int_equal(info, 0);
			continue;
		}
		assert_true(info & ROCE_F_VALID);
		assert_true(!!(info & ROCE_F_REQ) != !!(info & ROCE_F_RESP));
		assert_string_not_equal(roce_opcode_name(op), "?");
		/* Requests and READ responses are FIRST, MIDDLE, LAST or
		 * ONLY; (atomic) ACKs are none of them. */
		if (info & ROCE_F_MIDDLE)
			assert_false(info & ROCE_F_ONLY);
		else if (info & ROCE_F_ACK)
			assert_false(info & ROCE_F_ONLY);
		else
			assert_true(info & (ROCE_F_FIRST | ROCE_F_LAST));
	}
	/* Notes B.4, spot checks of the composition. */
	assert_int_equal(roce_hdr_len(roce_opcode_info(ROCE_OP_WRITE_ONLY_IMM)),
			 12 + 16 + 4);
	assert_int_equal(roce_hdr_len(roce_opcode_info(ROCE_OP_READ_REQUEST)),
			 28);
	assert_int_equal(roce_hdr_len(roce_opcode_info(ROCE_OP_READ_RESPONSE_MIDDLE)),
			 12);
	assert_int_equal(roce_hdr_len(roce_opcode_info(ROCE_OP_ATOMIC_ACKNOWLEDGE)),
			 24);
	assert_int_equal(roce_hdr_len(roce_opcode_info(ROCE_OP_FETCH_ADD)), 40);
	assert_false(roce_opcode_info(ROCE_OP_READ_REQUEST) & ROCE_F_PAYLOAD);
	assert_false(roce_opcode_info(ROCE_OP_ACKNOWLEDGE) & ROCE_F_PAYLOAD);
	assert_true(roce_opcode_info(ROCE_OP_WRITE_LAST_IMM) & ROCE_F_RWQE);
	assert_false(roce_opcode_info(ROCE_OP_WRITE_LAST) & ROCE_F_RWQE);
	assert_true(roce_opcode_info(ROCE_OP_SEND_MIDDLE) & ROCE_F_NEEDS_ACK);
	assert_string_equal(roce_opcode_name(ROCE_OP_CNP), "CNP");
}

static void test_aeth_and_constants(void **state)
{
	(void)state;
	assert_int_equal(roce_aeth_ack(ROCE_AETH_CREDIT_INVALID), 0x1f);
	assert_int_equal(roce_aeth_rnr_nak(12), 0x2c);
	assert_int_equal(roce_aeth_nak(ROCE_NAK_PSN_SEQ), 0x60);
	assert_int_equal(roce_aeth_nak(ROCE_NAK_INV_REQ), 0x61);
	assert_int_equal(roce_aeth_nak(ROCE_NAK_REM_ACCESS), 0x62);
	assert_int_equal(roce_aeth_nak(ROCE_NAK_REM_OP), 0x63);
	assert_int_equal(roce_aeth_type(0x62), ROCE_AETH_NAK);
	assert_int_equal(roce_aeth_value(0x2c), 12);
	assert_int_equal(roce_rnr_timer_usec(0), 655360);
	assert_int_equal(roce_rnr_timer_usec(1), 10);
	assert_int_equal(roce_rnr_timer_usec(12), 640);
	assert_int_equal(roce_rnr_timer_usec(31), 491520);
	assert_int_equal(roce_ack_timeout_usec(0), 0);
	assert_int_equal(roce_ack_timeout_usec(14), 67108);	/* ~67 ms */
	assert_int_equal(roce_mtu_bytes(ROCE_MTU_256), 256);
	assert_int_equal(roce_mtu_bytes(ROCE_MTU_1024), 1024);
	assert_int_equal(roce_mtu_bytes(ROCE_MTU_4096), 4096);
	assert_int_equal(roce_mtu_bytes(0), 0);
	assert_int_equal(roce_mtu_bytes(6), 0);
	assert_int_equal(ROCE_V2_UDP_DPORT, 4791);
}

static void test_gid(void **state)
{
	static const u8 want[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
				     192, 168, 1, 2 };
	struct roce_gid gid;

	(void)state;
	roce_gid_from_ipv4(&gid, IP(192, 168, 1, 2));
	assert_memory_equal(gid.raw, want, 16);
	assert_true(roce_gid_is_v4mapped(&gid));
	assert_int_equal(roce_gid_to_ipv4(&gid), IP(192, 168, 1, 2));
	gid.raw[0] = 0xfe;			/* fe80::... link-local */
	assert_false(roce_gid_is_v4mapped(&gid));
}

/* ---- ICRC ------------------------------------------------------------ */

/* icrc_vectors.py, vector 1: a RoCEv2 CNP captured on a ConnectX-4 Lx. */
static const char cnp_frame[] =
	"e41d 2dab 2bc2 7cfe 9064 3b32 0800 45c2"
	"003c 718c 4000 4011 9161 0a00 1101 0a00"
	"1201 0000 12b7 0028 0000 8100 ffff 4000"
	"0118 0000 0000 0000 0000 0000 0000 0000"
	"0000 0000 0000 82fd 002a";

/* Vector 2: the synthetic RC SEND_ONLY of notes B.10 (IPv4 onwards). */
static const char send_only_ip[] =
	"45 00 00 30 00 00 40 00 40 11 b7 69 c0 a8 01 01 c0 a8 01 02 c0 00 "
	"12 b7 00 1c 00 00 04 00 ff ff 00 00 00 11 80 00 00 01 41 42 43 44 "
	"95 5b cc ef";

static void test_icrc_seed(void **state)
{
	static const u8 lrh[8] = { 0xff, 0xff, 0xff, 0xff,
				   0xff, 0xff, 0xff, 0xff };

	(void)state;
	assert_int_equal(crc32_le(~0u, lrh, 8), SROCE_ICRC_SEED);
}

static void test_icrc_vector_cnp(void **state)
{
	struct sroce_l3 l3;
	size_t n;
	u8 *f = hex(cnp_frame, &n);
	u8 *bth = f + 14 + 20 + 8;
	u32 len = n - 14 - 20 - 8;

	(void)state;
	assert_int_equal(n, 74);
	assert_int_equal(sroce_l3_decode(&l3, f + 14, f + 34), 0);
	assert_int_equal(l3.dport, 4791);
	assert_int_equal(len, 32);
	/* zlib crc32 = 0x2a00fd82, on the wire 82 fd 00 2a. */
	assert_int_equal(sroce_icrc(&l3, bth, len - 4), 0x2a00fd82);
	assert_true(sroce_icrc_ok(&l3, bth, len));
	bth[len - 1] ^= 1;
	assert_false(sroce_icrc_ok(&l3, bth, len));
	free(f);
}

static void test_icrc_vector_send_only(void **state)
{
	struct sroce_rx_stats st = { 0 };
	struct sroce_pkt pkt, d;
	struct sroce_l3 l3, tx;
	u8 out[64];
	size_t n;
	u8 *ip = hex(send_only_ip, &n);
	u8 *roce = ip + 28;
	u32 len = n - 28;

	(void)state;
	assert_int_equal(sroce_l3_decode(&l3, ip, ip + 20), 0);
	assert_int_equal(sroce_icrc(&l3, roce, len - 4), 0xefcc5b95);
	assert_int_equal(sroce_parse(&l3, roce, len, 1024, &pkt, &st), 0);
	assert_int_equal(st.rx_ok, 1);
	assert_int_equal(pkt.bth.opcode, ROCE_OP_SEND_ONLY);
	assert_int_equal(pkt.bth.dqpn, 0x11);
	assert_int_equal(pkt.bth.psn, 1);
	assert_true(pkt.bth.ackreq);
	assert_int_equal(pkt.paylen, 4);
	assert_memory_equal(pkt.payload, "ABCD", 4);

	/* Our transmit side produces the same bytes (IP id 0, DF). */
	sroce_l3_tx(&tx, IP(192, 168, 1, 1), IP(192, 168, 1, 2), 0xc000, 0,
		    len);
	assert_memory_equal(&tx, &l3, sizeof(tx));
	memset(&d, 0, sizeof(d));
	d.bth = (struct roce_bth_fields){ .opcode = ROCE_OP_SEND_ONLY,
		.pkey = 0xffff, .dqpn = 0x11, .ackreq = true, .psn = 1 };
	d.payload = (const u8 *)"ABCD";
	d.paylen = 4;
	assert_int_equal(sroce_pkt_len(&d), len);
	assert_int_equal(sroce_build_buf(out, sizeof(out), &d, &tx), (int)len);
	assert_memory_equal(out, roce, len);
	free(ip);
}

/* The masked fields do not count; every other header byte does. */
static void test_icrc_masking(void **state)
{
	struct sroce_l3 l3;
	size_t n;
	u8 *ip = hex(send_only_ip, &n);
	u8 *roce = ip + 28;
	u32 len = n - 28, want;
	unsigned int i;

	(void)state;
	sroce_l3_decode(&l3, ip, ip + 20);
	want = sroce_icrc(&l3, roce, len - 4);
	/* TOS, TTL, IP checksum, UDP checksum: not in sroce_l3 at all. */
	roce[4] ^= 0xc0;			/* FECN, BECN */
	assert_int_equal(sroce_icrc(&l3, roce, len - 4), want);
	roce[4] ^= 0xff;			/* resv6a too */
	assert_int_equal(sroce_icrc(&l3, roce, len - 4), want);
	for (i = 0; i < len - 4; i++) {
		if (i == 4)
			continue;
		roce[i] ^= 0x01;
		assert_int_not_equal(sroce_icrc(&l3, roce, len - 4), want);
		roce[i] ^= 0x01;
	}
	l3.ip_id ^= 1;
	assert_int_not_equal(sroce_icrc(&l3, roce, len - 4), want);
	l3.ip_id ^= 1;
	l3.sport ^= 1;
	assert_int_not_equal(sroce_icrc(&l3, roce, len - 4), want);
	l3.sport ^= 1;
	l3.saddr ^= 1;
	assert_int_not_equal(sroce_icrc(&l3, roce, len - 4), want);
	/* IPv4 options are refused. */
	ip[0] = 0x46;
	assert_int_equal(sroce_l3_decode(&l3, ip, ip + 20), -EPROTONOSUPPORT);
	free(ip);
}

/* ---- PSN arithmetic ------------------------------------------------- */

static void test_psn_arith(void **state)
{
	u32 a;
	s32 d;
	int i;

	(void)state;
	assert_int_equal(psn_add(0xffffff, 1), 0);
	assert_int_equal(psn_add(0, -1), 0xffffff);
	assert_int_equal(psn_add(0xfffff0, 0x20), 0x10);
	assert_int_equal(psn_diff(0, 0xffffff), 1);
	assert_int_equal(psn_diff(0xffffff, 0), -1);
	assert_int_equal(psn_diff(0x10, 0xfffff0), 0x20);
	assert_int_equal(psn_diff(0x800000, 0), 0x800000);	/* +2^23 */
	assert_int_equal(psn_diff(0, 0x800000), 0x800000);
	assert_int_equal(psn_diff(0x800001, 0), -0x7fffff);
	assert_int_equal(psn_diff(0x7fffff, 0), 0x7fffff);
	assert_true(psn_before(0xffffff, 0));
	assert_true(psn_after(0, 0xffffff));
	assert_false(psn_before(5, 5));
	assert_false(psn_after(5, 5));
	assert_true(psn_in_range(0x2, 0xfffffe, 5));
	assert_false(psn_in_range(0x3, 0xfffffe, 5));
	assert_false(psn_in_range(0xfffffd, 0xfffffe, 5));
	assert_true(psn_in_range(0xfffffe, 0xfffffe, 1));
	assert_false(psn_in_range(0, 0, 0));
	assert_int_equal(psn_classify(7, 7), PSN_EXPECTED);
	assert_int_equal(psn_classify(0xffffff, 0), PSN_DUPLICATE);
	assert_int_equal(psn_classify(1, 0xffffff), PSN_AHEAD);
	assert_int_equal(psn_classify(0x800000, 0), PSN_AHEAD);
	assert_int_equal(psn_classify(0x800001, 0), PSN_DUPLICATE);
	assert_true(psn_outstanding(0, 0xfffffe, 2));
	assert_true(psn_outstanding(1, 0xfffffe, 2));
	assert_false(psn_outstanding(2, 0xfffffe, 2));
	assert_false(psn_outstanding(0xfffffd, 0xfffffe, 2));
	assert_false(psn_outstanding(5, 5, 5));		/* nothing sent */
	for (i = 0; i < 100000; i++) {
		a = rng_next() & PSN_MASK;
		d = (s32)rng_below(1u << 24) - (s32)(1u << 23) + 1;
		assert_int_equal(psn_diff(psn_add(a, d), a), d);
		assert_int_equal(psn_diff(a, psn_add(a, d)),
				 d == (1 << 23) ? d : -d);
		assert_true(psn_add(a, d) <= PSN_MASK);
	}
}

/* ---- building and parsing every opcode ------------------------------ */

static const struct sroce_l3 test_l3 = {
	.saddr = IP(10, 0, 0, 1), .daddr = IP(10, 0, 0, 2),
	.ip_id = 0x1234, .ip_frag_off = 0x4000, .sport = 0xc001,
	.dport = 4791,
};

static struct sroce_l3 l3_for(u32 len)
{
	struct sroce_l3 l3 = test_l3;

	l3.udp_len = 8 + len;
	l3.ip_tot_len = 28 + len;
	return l3;
}

static void random_desc(struct sroce_pkt *d, u8 op, u32 paylen, u8 *data)
{
	memset(d, 0, sizeof(*d));
	d->bth.opcode = op;
	d->bth.se = rng_below(2);
	d->bth.migreq = rng_below(2);
	d->bth.pkey = rng_below(2) ? 0xffff : 0x7fff;
	d->bth.becn = rng_below(2);
	d->bth.dqpn = rng_next() & 0xffffff;
	d->bth.ackreq = rng_below(2);
	d->bth.psn = rng_next() & 0xffffff;
	d->reth.va = rng_next();
	d->reth.rkey = rng_next();
	d->reth.dma_len = rng_next();
	d->aeth.syndrome = rng_next();
	d->aeth.msn = rng_next() & 0xffffff;
	d->imm = rng_next();
	d->ieth_rkey = rng_next();
	rng_fill(data, paylen);
	d->payload = data;
	d->paylen = paylen;
}

static void check_same(const struct sroce_pkt *d, const struct sroce_pkt *p)
{
	u32 info = roce_opcode_info(d->bth.opcode);

	assert_int_equal(p->bth.opcode, d->bth.opcode);
	assert_int_equal(p->info, info);
	assert_int_equal(p->bth.se, d->bth.se);
	assert_int_equal(p->bth.migreq, d->bth.migreq);
	assert_int_equal(p->bth.pad, (4 - d->paylen % 4) % 4);
	assert_int_equal(p->bth.pkey, d->bth.pkey);
	assert_int_equal(p->bth.becn, d->bth.becn);
	assert_int_equal(p->bth.dqpn, d->bth.dqpn);
	assert_int_equal(p->bth.ackreq, d->bth.ackreq);
	assert_int_equal(p->bth.psn, d->bth.psn);
	if (info & ROCE_F_RETH)
		assert_memory_equal(&p->reth, &d->reth, sizeof(d->reth));
	if (info & ROCE_F_AETH) {
		assert_int_equal(p->aeth.syndrome, d->aeth.syndrome);
		assert_int_equal(p->aeth.msn, d->aeth.msn);
	}
	if (info & ROCE_F_IMMDT)
		assert_int_equal(p->imm, d->imm);
	if (info & ROCE_F_IETH)
		assert_int_equal(p->ieth_rkey, d->ieth_rkey);
	assert_int_equal(p->paylen, d->paylen);
	if (d->paylen)
		assert_memory_equal(p->payload, d->payload, d->paylen);
}

static void test_every_opcode_roundtrip(void **state)
{
	static const u32 sizes[] = { 0, 1, 2, 3, 4, 5, 255, 256, 1023, 1024,
				     4095, 4096 };
	struct sroce_rx_stats st = { 0 };
	static u8 data[SROCE_MAX_PMTU], buf[SROCE_MAX_PKT_LEN];
	struct sroce_pkt d, p;
	struct sroce_l3 l3;
	unsigned int op, i;
	u32 info, len;
	int ret;

	(void)state;
	for (op = 0; op < 0x20; op++) {
		info = roce_opcode_info(op);
		if (!(info & ROCE_F_VALID))
			continue;
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			u32 paylen = info & ROCE_F_PAYLOAD ? sizes[i] : 0;

			random_desc(&d, op, paylen, data);
			len = sroce_pkt_len(&d);
			l3 = l3_for(len);
			ret = sroce_build_buf(buf, sizeof(buf), &d, &l3);
			if (info & (ROCE_F_ATOMIC_ETH | ROCE_F_ATOMIC_ACK_ETH)) {
				/* we never send atomics */
				assert_int_equal(ret, -EINVAL);
				break;
			}
			assert_int_equal(ret, (int)len);
			assert_int_equal(len % 4, 0);
			assert_int_equal(sroce_parse(&l3, buf, len, 4096, &p,
						     &st), 0);
			check_same(&d, &p);
		}
	}
	assert_int_equal(st.rx_ok, st.rx_pkts);
	/* Payload on an opcode without any; too small a buffer. */
	random_desc(&d, ROCE_OP_ACKNOWLEDGE, 4, data);
	assert_int_equal(sroce_build_buf(buf, sizeof(buf), &d, NULL), -EINVAL);
	random_desc(&d, ROCE_OP_SEND_ONLY, 100, data);
	assert_int_equal(sroce_build_buf(buf, 100, &d, NULL), -ENOSPC);
}

/*
 * The port MTU for a link MTU: rxe's rule (largest IB MTU <= link - 80),
 * at every boundary; and whatever it picks, the longest packet we build
 * at that path MTU, every opcode we send with a full payload, fits the
 * link in one IPv4 datagram.
 */
static void test_link_pmtu(void **state)
{
	static const struct {
		u32 link, pmtu;
	} table[] = {
		{ 0, 0 }, { 68, 0 }, { 335, 0 }, { 336, ROCE_MTU_256 },
		{ 591, ROCE_MTU_256 }, { 592, ROCE_MTU_512 },
		{ 1103, ROCE_MTU_512 }, { 1104, ROCE_MTU_1024 },
		{ 1500, ROCE_MTU_1024 }, { 2127, ROCE_MTU_1024 },
		{ 2128, ROCE_MTU_2048 }, { 4175, ROCE_MTU_2048 },
		{ 4176, ROCE_MTU_4096 }, { 9000, ROCE_MTU_4096 },
		{ 16226, ROCE_MTU_4096 },
	};
	static u8 data[SROCE_MAX_PMTU], buf[SROCE_MAX_PKT_LEN];
	struct sroce_pkt d;
	u32 lmtu, pmtu, bytes, info, op, i;
	int len;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(table); i++)
		assert_int_equal(sroce_link_pmtu(table[i].link), table[i].pmtu);
	assert_int_equal(SROCE_MAX_HDR_LEN, 72);
	for (lmtu = 0; lmtu <= 9000; lmtu++) {
		pmtu = sroce_link_pmtu(lmtu);
		if (!pmtu) {
			assert_true(256 + SROCE_HDR_ALLOWANCE > lmtu);
			continue;
		}
		bytes = roce_mtu_bytes(pmtu);
		assert_true(bytes + SROCE_HDR_ALLOWANCE <= lmtu);
		if (pmtu < ROCE_MTU_4096)
			assert_true(2 * bytes + SROCE_HDR_ALLOWANCE > lmtu);
	}
	bytes = roce_mtu_bytes(sroce_link_pmtu(1500));
	for (op = 0; op < 0x20; op++) {
		info = roce_opcode_info(op);
		if (!(info & ROCE_F_VALID) ||
		    (info & (ROCE_F_ATOMIC_ETH | ROCE_F_ATOMIC_ACK_ETH)))
			continue;
		random_desc(&d, op, info & ROCE_F_PAYLOAD ? bytes : 0, data);
		len = sroce_build_buf(buf, sizeof(buf), &d, NULL);
		assert_true(len > 0);
		assert_true(SROCE_IPV4_HLEN + SROCE_UDP_HLEN + (u32)len <=
			    1500);
		random_desc(&d, op, info & ROCE_F_PAYLOAD ? SROCE_MAX_PMTU : 0,
			    data);
		len = sroce_build_buf(buf, sizeof(buf), &d, NULL);
		assert_true(SROCE_IPV4_HLEN + SROCE_UDP_HLEN + (u32)len <=
			    4096 + SROCE_HDR_ALLOWANCE);
	}
}

static void test_build_frags_and_pktbuf(void **state)
{
	static u8 a[300], b[5], area[2048];
	struct sroce_rx_stats st = { 0 };
	struct pktbuf pb = { .head = area, .data = area + 128, .size = 2048 };
	struct sroce_pkt d, p;
	struct sroce_l3 l3;
	u8 joined[305];

	(void)state;
	rng_fill(a, sizeof(a));
	rng_fill(b, sizeof(b));
	memcpy(joined, a, 300);
	memcpy(joined + 300, b, 5);
	memset(&d, 0, sizeof(d));
	d.bth = (struct roce_bth_fields){ .opcode = ROCE_OP_WRITE_ONLY,
		.pkey = 0xffff, .dqpn = 7, .psn = 9 };
	d.reth = (struct roce_reth_fields){ 0x1000, 0x42, 305 };
	d.paylen = 305;
	d.nfrag = 2;
	d.frag[0] = (struct sroce_frag){ a, 300 };
	d.frag[1] = (struct sroce_frag){ b, 5 };
	l3 = l3_for(sroce_pkt_len(&d));
	assert_int_equal(sroce_build(&pb, &d, &l3), 0);
	assert_ptr_equal(pb.data, area + 128);
	assert_int_equal(pb.len, 12 + 16 + 308 + 4);
	assert_int_equal(sroce_parse(&l3, pb.data, pb.len, 1024, &p, &st), 0);
	assert_int_equal(p.paylen, 305);
	assert_memory_equal(p.payload, joined, 305);
	/* Fragments that do not add up, and no tailroom. */
	d.frag[1].len = 4;
	pb.len = 0;
	assert_int_equal(sroce_build(&pb, &d, &l3), -EINVAL);
	assert_int_equal(pb.len, 0);
	d.frag[1].len = 5;
	pb.data = area + 2000;
	assert_int_equal(sroce_build(&pb, &d, &l3), -ENOSPC);
}

/* ---- the parser on malformed input ----------------------------------- */

static u64 stats_sum(const struct sroce_rx_stats *st)
{
	return st->rx_ok + st->rx_short + st->rx_bad_version +
	       st->rx_bad_opcode + st->rx_bad_pkey + st->rx_bad_pad +
	       st->rx_bad_len + st->rx_too_long + st->rx_bad_icrc;
}

/* Parse @len bytes copied into a buffer of exactly that size. */
static int parse_exact(const u8 *bytes, u32 len, u32 pmtu,
		       struct sroce_rx_stats *st, bool fix_icrc)
{
	u8 *copy = malloc(len ? len : 1);
	struct sroce_l3 l3 = l3_for(len);
	struct sroce_pkt p;
	int ret;

	memcpy(copy, bytes, len);
	if (fix_icrc && len >= 16)
		sroce_icrc_seal(&l3, copy, len - 4);
	ret = sroce_parse(&l3, copy, len, pmtu, &p, st);
	if (!ret && p.paylen)
		assert_true(p.payload >= copy &&
			    p.payload + p.paylen <= copy + len);
	free(copy);
	return ret;
}

static u32 make(u8 *buf, u8 op, u32 paylen)
{
	struct sroce_pkt d;
	static u8 data[4096];
	struct sroce_l3 l3;
	u32 len;

	random_desc(&d, op, paylen, data);
	len = sroce_pkt_len(&d);
	l3 = l3_for(len);
	assert_int_equal(sroce_build_buf(buf, SROCE_MAX_PKT_LEN, &d, &l3),
			 (int)len);
	return len;
}

#define EXPECT_DROP(st, field, call, err)		\
	do {						\
		u64 before = (st).field;		\
		assert_int_equal(call, err);		\
		assert_int_equal((st).field, before + 1); \
	} while (0)

static void test_parse_malformed(void **state)
{
	static u8 buf[SROCE_MAX_PKT_LEN];
	struct sroce_rx_stats st = { 0 };
	u32 len, n;

	(void)state;
	for (n = 0; n < 16; n++)
		EXPECT_DROP(st, rx_short, parse_exact(buf, n, 1024, &st, false),
			    -EBADMSG);
	/* TVer != 0 */
	len = make(buf, ROCE_OP_SEND_ONLY, 8);
	buf[1] |= 0x01;
	EXPECT_DROP(st, rx_bad_version, parse_exact(buf, len, 1024, &st, true),
		    -EPROTONOSUPPORT);
	/* Opcodes: reserved RC, UC, UD, CNP. */
	len = make(buf, ROCE_OP_SEND_ONLY, 8);
	for (n = 0; n < 256; n++) {
		if (roce_opcode_info(n) & ROCE_F_VALID)
			continue;
		buf[0] = n;
		EXPECT_DROP(st, rx_bad_opcode,
			    parse_exact(buf, len, 1024, &st, true), -EOPNOTSUPP);
	}
	/* P_Key not the default partition. */
	len = make(buf, ROCE_OP_SEND_ONLY, 8);
	buf[2] = 0x80;
	buf[3] = 0x01;
	EXPECT_DROP(st, rx_bad_pkey, parse_exact(buf, len, 1024, &st, true),
		    -EACCES);
	/* ETHs cut short: a READ request without all of its RETH. */
	len = make(buf, ROCE_OP_READ_REQUEST, 0);
	EXPECT_DROP(st, rx_short, parse_exact(buf, 24, 1024, &st, true),
		    -EBADMSG);
	/* Not a whole number of words. */
	len = make(buf, ROCE_OP_SEND_ONLY, 8);
	EXPECT_DROP(st, rx_bad_pad, parse_exact(buf, len + 1, 1024, &st, true),
		    -EBADMSG);
	/* Pad longer than payload + pad: an ACK-sized SEND with pad 3. */
	len = make(buf, ROCE_OP_SEND_ONLY, 0);
	buf[1] |= 3 << 4;
	EXPECT_DROP(st, rx_bad_pad, parse_exact(buf, len, 1024, &st, true),
		    -EBADMSG);
	/* Payload on an ACK and on a READ request. */
	len = make(buf, ROCE_OP_ACKNOWLEDGE, 0);
	EXPECT_DROP(st, rx_bad_len, parse_exact(buf, len + 4, 1024, &st, true),
		    -EBADMSG);
	len = make(buf, ROCE_OP_READ_REQUEST, 0);
	EXPECT_DROP(st, rx_bad_len, parse_exact(buf, len + 4, 1024, &st, true),
		    -EBADMSG);
	/* Payload over the path MTU (pad counted out). */
	len = make(buf, ROCE_OP_SEND_MIDDLE, 1025);
	EXPECT_DROP(st, rx_too_long, parse_exact(buf, len, 1024, &st, true),
		    -EMSGSIZE);
	assert_int_equal(parse_exact(buf, len, 2048, &st, true), 0);
	/* ICRC */
	len = make(buf, ROCE_OP_SEND_ONLY, 8);
	buf[len - 1] ^= 0x80;
	EXPECT_DROP(st, rx_bad_icrc, parse_exact(buf, len, 1024, &st, false),
		    -EPROTO);
	/* Everything counted once. */
	assert_int_equal(stats_sum(&st), st.rx_pkts);
}

/* Every prefix of a valid packet, in a buffer of exactly that size. */
static void test_parse_truncations(void **state)
{
	static const u8 ops[] = { ROCE_OP_SEND_ONLY_IMM, ROCE_OP_WRITE_ONLY_IMM,
				  ROCE_OP_READ_REQUEST,
				  ROCE_OP_READ_RESPONSE_FIRST,
				  ROCE_OP_ACKNOWLEDGE, ROCE_OP_SEND_LAST_INV };
	static u8 buf[SROCE_MAX_PKT_LEN];
	struct sroce_rx_stats st = { 0 };
	unsigned int i;
	u32 len, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		len = make(buf, ops[i],
			   roce_opcode_info(ops[i]) & ROCE_F_PAYLOAD ? 37 : 0);
		for (n = 0; n <= len; n++) {
			parse_exact(buf, n, 1024, &st, false);
			parse_exact(buf, n, 1024, &st, true);
		}
	}
	assert_int_equal(stats_sum(&st), st.rx_pkts);
	assert_true(st.rx_ok >= ARRAY_SIZE(ops));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bth_layout),
		cmocka_unit_test(test_eth_layouts),
		cmocka_unit_test(test_bth_roundtrip_random),
		cmocka_unit_test(test_opcode_table),
		cmocka_unit_test(test_aeth_and_constants),
		cmocka_unit_test(test_gid),
		cmocka_unit_test(test_icrc_seed),
		cmocka_unit_test(test_icrc_vector_cnp),
		cmocka_unit_test(test_icrc_vector_send_only),
		cmocka_unit_test(test_icrc_masking),
		cmocka_unit_test(test_psn_arith),
		cmocka_unit_test(test_every_opcode_roundtrip),
		cmocka_unit_test(test_link_pmtu),
		cmocka_unit_test(test_build_frags_and_pktbuf),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_truncations),
	};

	host_test_seed("sroce_wire");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
