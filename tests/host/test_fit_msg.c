// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for net/fit/msg.c and include/uapi/lego/fit.h:
 *
 *   - the wire layout of struct fit_hdr and struct fit_hello, field by
 *     field, and fit_hdr_init()'s bytes;
 *   - a header round trip through a receive buffer, and every message
 *     shape the core sends (fragments, WRITTEN replies, credits) accepted;
 *   - each rule of fit_hdr_check() and fit_hello_check() broken on its
 *     own, refused with the name of that rule in @why, in exact-size
 *     buffers (ASan: no read past the bytes received);
 *   - fit_hello_version() on short, foreign and unaligned datagrams;
 *   - fit.peers: good lists byte-exact in network order, and malformed
 *     ones refused with the config left as it was;
 *   - fit_config_check() at both ends of every range;
 *   - the token hash against an FNV-1a written here from the spec.
 */
#include "host_test.h"

/* glibc's sprintf: the kernel's (lib/vsprintf.c) is not linked in. */
static char *append_peer(char *p, int first, int id, int c, int d)
{
	return p + sprintf(p, "%s%d@10.1.%d.%d", first ? "" : ",", id, c, d);
}

#include "lego_host_rename.h"

#include "../../net/fit/internal.h"

#define ME		1		/* the node receiving in these tests */
#define PEER		2

#define IP(a, b, c, d) \
	((__be32)((u32)(a) | (u32)(b) << 8 | (u32)(c) << 16 | (u32)(d) << 24))

/* ---- layouts ------------------------------------------------------------ */

static void test_sizes_and_offsets(void **state)
{
	assert_int_equal(sizeof(struct fit_hdr), 64);
	assert_int_equal(sizeof(struct fit_hello), 136);
	assert_int_equal(FIT_INLINE_MAX + sizeof(struct fit_hdr), FIT_BUF_SIZE);

	assert_int_equal(offsetof(struct fit_hdr, magic), 0);
	assert_int_equal(offsetof(struct fit_hdr, version), 2);
	assert_int_equal(offsetof(struct fit_hdr, type), 3);
	assert_int_equal(offsetof(struct fit_hdr, opcode), 4);
	assert_int_equal(offsetof(struct fit_hdr, flags), 6);
	assert_int_equal(offsetof(struct fit_hdr, src_node), 8);
	assert_int_equal(offsetof(struct fit_hdr, dst_node), 10);
	assert_int_equal(offsetof(struct fit_hdr, epoch), 12);
	assert_int_equal(offsetof(struct fit_hdr, req_id), 16);
	assert_int_equal(offsetof(struct fit_hdr, len), 24);
	assert_int_equal(offsetof(struct fit_hdr, total), 28);
	assert_int_equal(offsetof(struct fit_hdr, offset), 32);
	assert_int_equal(offsetof(struct fit_hdr, status), 36);
	assert_int_equal(offsetof(struct fit_hdr, reply_addr), 40);
	assert_int_equal(offsetof(struct fit_hdr, reply_rkey), 48);
	assert_int_equal(offsetof(struct fit_hdr, reply_cap), 52);
	assert_int_equal(offsetof(struct fit_hdr, credits), 56);
	assert_int_equal(offsetof(struct fit_hdr, qp), 58);
	assert_int_equal(offsetof(struct fit_hdr, reserved), 60);

	assert_int_equal(offsetof(struct fit_hello, magic), 0);
	assert_int_equal(offsetof(struct fit_hello, version), 4);
	assert_int_equal(offsetof(struct fit_hello, type), 5);
	assert_int_equal(offsetof(struct fit_hello, role), 6);
	assert_int_equal(offsetof(struct fit_hello, flags), 7);
	assert_int_equal(offsetof(struct fit_hello, src_node), 8);
	assert_int_equal(offsetof(struct fit_hello, dst_node), 10);
	assert_int_equal(offsetof(struct fit_hello, reason), 12);
	assert_int_equal(offsetof(struct fit_hello, token), 16);
	assert_int_equal(offsetof(struct fit_hello, epoch), 24);
	assert_int_equal(offsetof(struct fit_hello, peer_epoch), 32);
	assert_int_equal(offsetof(struct fit_hello, gen), 40);
	assert_int_equal(offsetof(struct fit_hello, peer_gen), 44);
	assert_int_equal(offsetof(struct fit_hello, ipv4), 48);
	assert_int_equal(offsetof(struct fit_hello, mac), 52);
	assert_int_equal(offsetof(struct fit_hello, nr_qps), 58);
	assert_int_equal(offsetof(struct fit_hello, mtu), 59);
	assert_int_equal(offsetof(struct fit_hello, credits), 60);
	assert_int_equal(offsetof(struct fit_hello, max_calls), 62);
	assert_int_equal(offsetof(struct fit_hello, buf_size), 64);
	assert_int_equal(offsetof(struct fit_hello, reserved), 68);
	assert_int_equal(offsetof(struct fit_hello, qpn), 72);
	assert_int_equal(offsetof(struct fit_hello, psn), 104);
}

/* fit_hdr_init() against hand-written little-endian bytes. */
static void test_hdr_init_bytes(void **state)
{
	static const u8 want[64] = {
		0x54, 0x46,		/* magic 0x4654 */
		FIT_VERSION, FIT_MSG_SEND,
		0x2c, 0x01,		/* opcode 300 */
		0x00, 0x00,		/* flags */
		0x3f, 0x00, 0x05, 0x00,	/* src 63, dst 5 */
		0x78, 0x56, 0x34, 0x12,	/* epoch */
	};
	struct fit_hdr h;

	memset(&h, 0xa5, sizeof(h));
	fit_hdr_init(&h, FIT_MSG_SEND, 300, 63, 5, 0x12345678);
	assert_memory_equal(&h, want, sizeof(want));
}

/* ---- fit_hdr_check: accepted shapes -------------------------------------- */

/*
 * Check a message of @h and @paylen payload bytes as it would arrive: in
 * a buffer of exactly that size, so ASan reports any read past it.
 */
static int check_msg(const struct fit_hdr *h, size_t paylen, const char **why)
{
	size_t len = sizeof(*h) + paylen;
	u8 *buf = malloc(len);
	int ret;

	memcpy(buf, h, sizeof(*h));
	memset(buf + sizeof(*h), 0x5a, paylen);
	ret = fit_hdr_check((const struct fit_hdr *)buf, len, ME, why);
	free(buf);
	return ret;
}

static struct fit_hdr msg(u8 type, u16 flags, u32 len, u32 total, u32 offset)
{
	struct fit_hdr h;

	fit_hdr_init(&h, type, type == FIT_MSG_CREDIT ? 0 : 300, PEER, ME, 7);
	h.flags = flags;
	h.len = len;
	h.total = total;
	h.offset = offset;
	return h;
}

static void assert_good(const struct fit_hdr *h)
{
	const char *why = NULL;

	assert_int_equal(check_msg(h, h->len, &why), 0);
	assert_int_equal(check_msg(h, h->len, NULL), 0);
}

static void test_hdr_roundtrip(void **state)
{
	_Alignas(8) u8 buf[sizeof(struct fit_hdr) + 100];
	struct fit_hdr h, out;
	const char *why = NULL;

	fit_hdr_init(&h, FIT_MSG_CALL, FIT_OP_USER_BASE + 7, PEER, ME,
		     0xdeadbeef);
	h.flags = FIT_F_REPLY_RDMA;
	h.req_id = (5ull << 32) | 3;
	h.len = h.total = 100;
	h.reply_addr = 0xffff888012345000ull;
	h.reply_rkey = 0x1234;
	h.reply_cap = 4096;
	h.credits = 9;
	h.qp = 1;
	memcpy(buf, &h, sizeof(h));
	rng_fill(buf + sizeof(h), 100);

	assert_int_equal(fit_hdr_check((struct fit_hdr *)buf, sizeof(buf), ME,
				       &why), 0);
	memcpy(&out, buf, sizeof(out));
	assert_int_equal(out.magic, FIT_MAGIC);
	assert_int_equal(out.version, FIT_VERSION);
	assert_int_equal(out.type, FIT_MSG_CALL);
	assert_int_equal(out.opcode, FIT_OP_USER_BASE + 7);
	assert_int_equal(out.flags, FIT_F_REPLY_RDMA);
	assert_int_equal(out.src_node, PEER);
	assert_int_equal(out.dst_node, ME);
	assert_int_equal(out.epoch, 0xdeadbeef);
	assert_int_equal(out.req_id, (5ull << 32) | 3);
	assert_int_equal(out.len, 100);
	assert_int_equal(out.total, 100);
	assert_int_equal(out.offset, 0);
	assert_int_equal(out.status, 0);
	assert_int_equal(out.reply_addr, 0xffff888012345000ull);
	assert_int_equal(out.reply_rkey, 0x1234);
	assert_int_equal(out.reply_cap, 4096);
	assert_int_equal(out.credits, 9);
	assert_int_equal(out.qp, 1);
	assert_int_equal(out.reserved, 0);
}

static void test_hdr_good_shapes(void **state)
{
	struct fit_hdr h;

	h = msg(FIT_MSG_CALL, 0, 0, 0, 0);		/* empty call */
	assert_good(&h);
	h = msg(FIT_MSG_SEND, 0, FIT_INLINE_MAX, FIT_INLINE_MAX, 0);
	assert_good(&h);
	/* First, middle and last fragments of the largest message. */
	h = msg(FIT_MSG_CALL, FIT_F_FRAG, FIT_INLINE_MAX, FIT_MAX_MSG, 0);
	assert_good(&h);
	h = msg(FIT_MSG_SEND, FIT_F_FRAG, 1000, FIT_MAX_MSG, 50000);
	assert_good(&h);
	h = msg(FIT_MSG_CALL, FIT_F_FRAG | FIT_F_REPLY_RDMA, 16,
		FIT_MAX_MSG, FIT_MAX_MSG - 16);
	assert_good(&h);
	/* Replies: inline, an error, and one RDMA-written. */
	h = msg(FIT_MSG_REPLY, 0, 4, 4, 0);
	assert_good(&h);
	h = msg(FIT_MSG_REPLY, 0, 0, 0, 0);
	h.status = -EOPNOTSUPP;
	assert_good(&h);
	h = msg(FIT_MSG_REPLY, FIT_F_WRITTEN, 0, FIT_MAX_MSG, 0);
	assert_good(&h);
	h = msg(FIT_MSG_CREDIT, 0, 0, 0, 0);
	h.credits = 17;
	assert_good(&h);
	/* Node and opcode limits, inclusive. */
	h = msg(FIT_MSG_SEND, 0, 0, 0, 0);
	h.src_node = FIT_MAX_NODES - 1;
	h.opcode = FIT_MAX_OPCODE - 1;
	assert_good(&h);
}

/* ---- fit_hdr_check: each rule broken alone ------------------------------- */

static void assert_bad(const struct fit_hdr *h, size_t paylen,
		       const char *want)
{
	const char *why = NULL;

	assert_int_equal(check_msg(h, paylen, &why), -EBADMSG);
	assert_non_null(why);
	assert_string_equal(why, want);
	assert_int_equal(check_msg(h, paylen, NULL), -EBADMSG);
}

static void test_hdr_short(void **state)
{
	struct fit_hdr h = msg(FIT_MSG_CALL, 0, 0, 0, 0);
	const char *why = NULL;
	size_t len;

	for (len = 0; len < sizeof(h); len++) {
		u8 *buf = malloc(len ? len : 1);

		memcpy(buf, &h, len);
		why = NULL;
		assert_int_equal(fit_hdr_check((struct fit_hdr *)buf, len, ME,
					       &why), -EBADMSG);
		assert_string_equal(why, "shorter than a header");
		free(buf);
	}
}

static void test_hdr_bad_fixed_fields(void **state)
{
	struct fit_hdr h;

	h = msg(FIT_MSG_CALL, 0, 0, 0, 0);
	h.magic = FIT_MAGIC ^ 1;
	assert_bad(&h, 0, "bad magic");
	h = msg(FIT_MSG_CALL, 0, 0, 0, 0);
	h.version = FIT_VERSION + 1;
	assert_bad(&h, 0, "bad version");
	h.version = 0;
	assert_bad(&h, 0, "bad version");
	h = msg(FIT_MSG_CALL, 0, 0, 0, 0);
	h.type = 0;
	assert_bad(&h, 0, "unknown type");
	h.type = FIT_MSG_CREDIT + 1;
	assert_bad(&h, 0, "unknown type");
	h.type = 0xff;
	assert_bad(&h, 0, "unknown type");
	h = msg(FIT_MSG_CALL, 0, 0, 0, 0);
	h.dst_node = ME + 1;
	assert_bad(&h, 0, "dst_node is not this node");
	h.dst_node = ME + 0x100;		/* no truncation to a byte */
	assert_bad(&h, 0, "dst_node is not this node");
	h = msg(FIT_MSG_CALL, 0, 0, 0, 0);
	h.src_node = FIT_MAX_NODES;
	assert_bad(&h, 0, "src_node out of range");
	h.src_node = 0xffff;
	assert_bad(&h, 0, "src_node out of range");
	h = msg(FIT_MSG_SEND, 0, 0, 0, 0);
	h.opcode = FIT_MAX_OPCODE;
	assert_bad(&h, 0, "opcode out of range");
	h = msg(FIT_MSG_SEND, 0, 0, 0, 0);
	h.reserved = 0x80000000u;
	assert_bad(&h, 0, "reserved is not 0");
}

static void test_hdr_bad_flags(void **state)
{
	struct fit_hdr h;
	u16 bit;

	for (bit = 0x8; bit; bit <<= 1) {
		h = msg(FIT_MSG_CALL, bit, 0, 0, 0);
		assert_bad(&h, 0, "unknown flags");
	}
	h = msg(FIT_MSG_REPLY, FIT_F_FRAG, 0, 10, 0);
	assert_bad(&h, 0, "FRAG on a REPLY or CREDIT");
	h = msg(FIT_MSG_CREDIT, FIT_F_FRAG, 0, 0, 0);
	assert_bad(&h, 0, "FRAG on a REPLY or CREDIT");
	h = msg(FIT_MSG_SEND, FIT_F_REPLY_RDMA, 0, 0, 0);
	assert_bad(&h, 0, "REPLY_RDMA on a non-CALL");
	h = msg(FIT_MSG_REPLY, FIT_F_REPLY_RDMA, 0, 0, 0);
	assert_bad(&h, 0, "REPLY_RDMA on a non-CALL");
	h = msg(FIT_MSG_CREDIT, FIT_F_REPLY_RDMA, 0, 0, 0);
	assert_bad(&h, 0, "REPLY_RDMA on a non-CALL");
	h = msg(FIT_MSG_CALL, FIT_F_WRITTEN, 0, 0, 0);
	assert_bad(&h, 0, "WRITTEN on a non-REPLY");
	h = msg(FIT_MSG_SEND, FIT_F_WRITTEN, 0, 0, 0);
	assert_bad(&h, 0, "WRITTEN on a non-REPLY");
	h = msg(FIT_MSG_CREDIT, FIT_F_WRITTEN, 0, 0, 0);
	assert_bad(&h, 0, "WRITTEN on a non-REPLY");
}

static void test_hdr_bad_sizes(void **state)
{
	struct fit_hdr h;

	/* len must count exactly the bytes after the header. */
	h = msg(FIT_MSG_SEND, 0, 10, 10, 0);
	assert_bad(&h, 9, "len differs from the bytes received");
	assert_bad(&h, 11, "len differs from the bytes received");
	assert_bad(&h, 0, "len differs from the bytes received");
	h = msg(FIT_MSG_SEND, 0, FIT_INLINE_MAX + 1, FIT_INLINE_MAX + 1, 0);
	assert_bad(&h, FIT_INLINE_MAX + 1, "len above FIT_INLINE_MAX");
	h = msg(FIT_MSG_CALL, FIT_F_FRAG, 10, FIT_MAX_MSG + 1, 0);
	assert_bad(&h, 10, "total above FIT_MAX_MSG");
	h = msg(FIT_MSG_REPLY, FIT_F_WRITTEN, 0, FIT_MAX_MSG + 1, 0);
	assert_bad(&h, 0, "total above FIT_MAX_MSG");
	h = msg(FIT_MSG_SEND, 0, 10, 0xffffffffu, 0);
	assert_bad(&h, 10, "total above FIT_MAX_MSG");
	/* offset + len past total, also where the sum wraps 32 bits. */
	h = msg(FIT_MSG_CALL, FIT_F_FRAG, 10, 1000, 991);
	assert_bad(&h, 10, "fragment ends past total");
	h = msg(FIT_MSG_CALL, FIT_F_FRAG, 10, 1000, 0xfffffffau);
	assert_bad(&h, 10, "fragment ends past total");
	h = msg(FIT_MSG_SEND, 0, 10, 5, 0);
	assert_bad(&h, 10, "fragment ends past total");
	/* Unfragmented: the whole message, from offset 0. */
	h = msg(FIT_MSG_SEND, 0, 10, 20, 0);
	assert_bad(&h, 10, "unfragmented message with offset or len != total");
	h = msg(FIT_MSG_CALL, 0, 10, 11, 1);
	assert_bad(&h, 10, "unfragmented message with offset or len != total");
	h = msg(FIT_MSG_REPLY, 0, 0, 4096, 0);
	assert_bad(&h, 0, "unfragmented message with offset or len != total");
	h = msg(FIT_MSG_CREDIT, 0, 0, 8, 0);
	assert_bad(&h, 0, "unfragmented message with offset or len != total");
	/* A WRITTEN reply announces data that is already in place. */
	h = msg(FIT_MSG_REPLY, FIT_F_WRITTEN, 10, 4096, 0);
	assert_bad(&h, 10, "WRITTEN reply with inline payload");
	h = msg(FIT_MSG_REPLY, FIT_F_WRITTEN, 0, 4096, 8);
	assert_bad(&h, 0, "WRITTEN reply with inline payload");
	h = msg(FIT_MSG_CREDIT, 0, 4, 4, 0);
	assert_bad(&h, 4, "CREDIT with payload");
}

static void test_hdr_bad_status(void **state)
{
	struct fit_hdr h = msg(FIT_MSG_REPLY, 0, 0, 0, 0);

	h.status = 1;
	assert_bad(&h, 0, "REPLY with a positive status");
	h.status = 0x7fffffff;
	assert_bad(&h, 0, "REPLY with a positive status");
}

/* ---- hellos ---------------------------------------------------------------- */

static struct fit_hello hello(void)
{
	struct fit_hello h;
	int i;

	memset(&h, 0, sizeof(h));
	h.magic = FIT_HELLO_MAGIC;
	h.version = FIT_VERSION;
	h.type = FIT_HELLO;
	h.role = FIT_ROLE_MEMORY;
	h.src_node = PEER;
	h.dst_node = ME;
	h.token = fit_token_hash("lego");
	h.epoch = 0x1122334455667788ull;
	h.gen = 1;
	h.ipv4 = IP(10, 0, 0, 2);
	h.nr_qps = FIT_MAX_QPS;
	h.credits = FIT_DEF_CREDITS;
	h.max_calls = FIT_DEF_MAX_CALLS;
	h.buf_size = FIT_BUF_SIZE;
	for (i = 0; i < FIT_MAX_QPS; i++) {
		h.qpn[i] = 0x100 + i;
		h.psn[i] = 0x1000 * i;
	}
	return h;
}

static int check_hello(const struct fit_hello *h, size_t len,
		       const char **why)
{
	u8 *buf = malloc(len ? len : 1);
	int ret;

	memcpy(buf, h, len < sizeof(*h) ? len : sizeof(*h));
	if (len > sizeof(*h))
		memset(buf + sizeof(*h), 0, len - sizeof(*h));
	ret = fit_hello_check((const struct fit_hello *)buf, len, why);
	free(buf);
	return ret;
}

static void assert_bad_hello(const struct fit_hello *h, size_t len,
			     const char *want)
{
	const char *why = NULL;

	assert_int_equal(check_hello(h, len, &why), -EBADMSG);
	assert_non_null(why);
	assert_string_equal(why, want);
	assert_int_equal(check_hello(h, len, NULL), -EBADMSG);
}

static void test_hello_check(void **state)
{
	struct fit_hello h = hello();
	const char *why = NULL;
	size_t len;

	assert_int_equal(check_hello(&h, sizeof(h), &why), 0);
	h.type = FIT_HELLO_REJECT;
	h.reason = FIT_REJECT_TOKEN;
	h.nr_qps = 1;
	h.src_node = FIT_MAX_NODES - 1;
	h.dst_node = 0;
	assert_int_equal(check_hello(&h, sizeof(h), NULL), 0);
	/* The version is fit_hello_version()'s business, not this one's. */
	h.version = FIT_VERSION + 1;
	assert_int_equal(check_hello(&h, sizeof(h), NULL), 0);

	for (len = 0; len < sizeof(h) + 8; len++)
		if (len != sizeof(h))
			assert_bad_hello(&h, len, "not the size of a hello");
	h = hello();
	h.magic = FIT_HELLO_MAGIC ^ 0x100;
	assert_bad_hello(&h, sizeof(h), "bad magic");
	h = hello();
	h.type = 0;
	assert_bad_hello(&h, sizeof(h), "unknown type");
	h.type = FIT_HELLO_REJECT + 1;
	assert_bad_hello(&h, sizeof(h), "unknown type");
	h = hello();
	h.nr_qps = 0;
	assert_bad_hello(&h, sizeof(h), "nr_qps not in 1..FIT_MAX_QPS");
	h.nr_qps = FIT_MAX_QPS + 1;
	assert_bad_hello(&h, sizeof(h), "nr_qps not in 1..FIT_MAX_QPS");
	h = hello();
	h.src_node = FIT_MAX_NODES;
	assert_bad_hello(&h, sizeof(h), "src_node out of range");
	h = hello();
	h.dst_node = FIT_MAX_NODES;
	assert_bad_hello(&h, sizeof(h), "dst_node out of range");
	h = hello();
	h.epoch = 0;
	assert_bad_hello(&h, sizeof(h), "epoch is 0");
}

static void test_hello_version(void **state)
{
	struct fit_hdr m = msg(FIT_MSG_CALL, 0, 0, 0, 0);
	struct fit_hello h = hello();
	u8 raw[sizeof(h) + 1];
	size_t len;

	assert_int_equal(fit_hello_version(&h, sizeof(h)), FIT_VERSION);
	/* Five bytes are enough: a future hello may be of any size. */
	assert_int_equal(fit_hello_version(&h, 5), FIT_VERSION);
	for (len = 0; len < 5; len++) {
		u8 *buf = malloc(len ? len : 1);

		memcpy(buf, &h, len);
		assert_int_equal(fit_hello_version(buf, len), -1);
		free(buf);
	}
	h.version = 0xfe;
	assert_int_equal(fit_hello_version(&h, sizeof(h)), 0xfe);
	/* The magic in its wire bytes, at an odd address. */
	memcpy(raw + 1, &h, sizeof(h));
	assert_memory_equal(raw + 1, "FITH", 4);
	assert_int_equal(fit_hello_version(raw + 1, sizeof(h)), 0xfe);
	raw[4] ^= 0x20;				/* "FITh" */
	assert_int_equal(fit_hello_version(raw + 1, sizeof(h)), -1);
	/* A fit_hdr sent to the bootstrap port is not a hello. */
	assert_int_equal(fit_hello_version(&m, sizeof(m)), -1);
}

static void test_names(void **state)
{
	assert_string_equal(fit_msg_type_str(FIT_MSG_CALL), "CALL");
	assert_string_equal(fit_msg_type_str(FIT_MSG_SEND), "SEND");
	assert_string_equal(fit_msg_type_str(FIT_MSG_REPLY), "REPLY");
	assert_string_equal(fit_msg_type_str(FIT_MSG_CREDIT), "CREDIT");
	assert_string_equal(fit_msg_type_str(0), "unknown");
	assert_string_equal(fit_msg_type_str(99), "unknown");

	assert_string_equal(fit_role_name(FIT_ROLE_PROCESSOR), "processor");
	assert_string_equal(fit_role_name(FIT_ROLE_MEMORY), "memory");
	assert_string_equal(fit_role_name(FIT_ROLE_STORAGE), "storage");
	assert_string_equal(fit_role_name(FIT_ROLE_MONITOR), "monitor");
	assert_string_equal(fit_role_name(FIT_ROLE_OTHER), "other");
	assert_string_equal(fit_role_name(0), "unknown");
	assert_string_equal(fit_role_name(FIT_ROLE_OTHER + 1), "unknown");
	assert_string_equal(fit_role_name(~0u), "unknown");

	assert_string_equal(fit_reject_reason_str(FIT_REJECT_TOKEN),
			    "cluster token differs");
	assert_string_equal(fit_reject_reason_str(FIT_REJECT_NODE),
			    "node id does not match the address");
	assert_string_equal(fit_reject_reason_str(FIT_REJECT_VERSION),
			    "protocol version not spoken");
	assert_string_equal(fit_reject_reason_str(FIT_REJECT_CONFIG),
			    "incompatible parameters");
	assert_string_equal(fit_reject_reason_str(0), "unknown reason");
	assert_string_equal(fit_reject_reason_str(5), "unknown reason");
}

/* ---- the token hash ------------------------------------------------------ */

/* FNV-1a 64 from its definition (draft-eastlake-fnv, section 2). */
static u64 fnv1a64(const char *s)
{
	u64 h = 14695981039346656037ull;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ull;
	}
	return h;
}

static void test_token_hash(void **state)
{
	static const char *const words[] = {
		"", "a", "lego", "LEGO", "foobar", "cluster-42",
	};
	size_t i;

	/* Published test vectors of FNV-1a 64. */
	assert_int_equal(fnv1a64(""), 0xcbf29ce484222325ull);
	assert_int_equal(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
	assert_int_equal(fnv1a64("foobar"), 0x85944171f73967e8ull);

	for (i = 0; i < ARRAY_SIZE(words); i++)
		assert_int_equal(fit_token_hash(words[i]), fnv1a64(words[i]));
	assert_int_equal(fit_token_hash(""), 0xcbf29ce484222325ull);
	assert_int_not_equal(fit_token_hash("lego"), fit_token_hash("Lego"));
}

/* ---- configuration ------------------------------------------------------- */

static void test_config_defaults(void **state)
{
	struct fit_config c;
	const char *err = NULL;

	memset(&c, 0x5a, sizeof(c));
	fit_config_defaults(&c);
	assert_int_equal(c.node, -1);
	assert_int_equal(c.role, FIT_ROLE_OTHER);
	assert_int_equal(c.nr_peers, 0);
	assert_int_equal(c.token, fnv1a64("lego"));
	assert_int_equal(c.nr_qps, FIT_DEF_QPS);
	assert_int_equal(c.workers, FIT_DEF_WORKERS);
	assert_int_equal(c.timeout_ms, FIT_DEF_TIMEOUT_MS);
	assert_int_equal(c.dead_ms, FIT_DEF_DEAD_MS);
	assert_int_equal(c.hello_ms, FIT_DEF_HELLO_MS);
	assert_int_equal(c.credits, FIT_DEF_CREDITS);
	assert_int_equal(c.max_calls, FIT_DEF_MAX_CALLS);
	assert_int_equal(c.port, FIT_DEFAULT_PORT);
	assert_true(c.ping);
	assert_string_equal(c.dev, "");

	/* Only the node id is missing from the defaults. */
	assert_int_equal(fit_config_check(&c, &err), -EINVAL);
	assert_string_equal(err, "node id not in 0..63");
	c.node = 0;
	assert_int_equal(fit_config_check(&c, &err), 0);
	assert_int_equal(fit_config_check(&c, NULL), 0);
}

/*
 * Set the field at @field to @lo - 1, @lo, @hi and @hi + 1 in turn on a
 * good config: the ends pass, the outsides fail with @want.
 */
static void check_range(unsigned int *field, struct fit_config *c,
			unsigned int lo, unsigned int hi, const char *want)
{
	unsigned int keep = *field;
	const char *err = NULL;

	*field = lo;
	assert_int_equal(fit_config_check(c, NULL), 0);
	*field = hi;
	assert_int_equal(fit_config_check(c, NULL), 0);
	*field = hi + 1;
	assert_int_equal(fit_config_check(c, &err), -EINVAL);
	assert_string_equal(err, want);
	*field = lo - 1;
	err = NULL;
	assert_int_equal(fit_config_check(c, &err), -EINVAL);
	assert_string_equal(err, want);
	*field = keep;
}

static void test_config_ranges(void **state)
{
	struct fit_config c;
	const char *err = NULL;

	fit_config_defaults(&c);
	c.node = FIT_MAX_NODES - 1;
	assert_int_equal(fit_config_check(&c, NULL), 0);
	c.node = FIT_MAX_NODES;
	assert_int_equal(fit_config_check(&c, &err), -EINVAL);
	assert_string_equal(err, "node id not in 0..63");
	c.node = 3;

	check_range(&c.nr_qps, &c, 1, FIT_MAX_QPS, "QPs per peer not in 1..8");
	check_range(&c.workers, &c, 1, FIT_MAX_WORKERS, "workers not in 1..16");
	check_range(&c.timeout_ms, &c, 1, 600000, "timeout_ms not in 1..600000");
	check_range(&c.dead_ms, &c, 100, 600000, "dead_ms not in 100..600000");
	check_range(&c.hello_ms, &c, 10, 10000, "hello_ms not in 10..10000");
	check_range(&c.credits, &c, 2, 1024, "credits not in 2..1024");
	check_range(&c.max_calls, &c, 1, 1024, "max_calls not in 1..1024");

	c.port = 0;
	assert_int_equal(fit_config_check(&c, &err), -EINVAL);
	assert_string_equal(err, "port is 0");
	c.port = 0xffff;
	assert_int_equal(fit_config_check(&c, NULL), 0);

	c.role = 0;
	assert_int_equal(fit_config_check(&c, &err), -EINVAL);
	assert_string_equal(err, "unknown role");
	c.role = FIT_ROLE_OTHER + 1;
	assert_int_equal(fit_config_check(&c, NULL), -EINVAL);
	c.role = FIT_ROLE_PROCESSOR;

	c.nr_peers = FIT_MAX_NODES;
	assert_int_equal(fit_config_check(&c, &err), -EINVAL);
	assert_string_equal(err, "number of peers not in 0..63");
	c.nr_peers = -1;
	assert_int_equal(fit_config_check(&c, NULL), -EINVAL);
	c.nr_peers = FIT_MAX_NODES - 1;
	assert_int_equal(fit_config_check(&c, NULL), 0);
}

/* ---- fit.peers ----------------------------------------------------------- */

static void test_peers_good(void **state)
{
	struct fit_config c;
	const char *err = NULL;

	fit_config_defaults(&c);
	c.node = 1;
	assert_int_equal(fit_parse_peers(&c, "", &err), 0);
	assert_int_equal(c.nr_peers, 0);

	assert_int_equal(fit_parse_peers(&c, "0@10.0.0.1", &err), 0);
	assert_int_equal(c.nr_peers, 1);
	assert_int_equal(c.peer_id[0], 0);
	assert_int_equal(c.peer_ip[0], IP(10, 0, 0, 1));
	/* Network order: the first octet is the first byte in memory. */
	assert_memory_equal(&c.peer_ip[0], "\x0a\x00\x00\x01", 4);

	assert_int_equal(fit_parse_peers(&c, "63@192.168.1.254,2@10.0.0.3,"
					 "0@1.2.3.4,7@223.255.255.255,"
					 "9@240.0.0.1,10@127.0.0.1", NULL), 0);
	assert_int_equal(c.nr_peers, 6);
	assert_int_equal(c.peer_id[0], 63);
	assert_int_equal(c.peer_ip[0], IP(192, 168, 1, 254));
	assert_int_equal(c.peer_id[1], 2);
	assert_int_equal(c.peer_ip[1], IP(10, 0, 0, 3));
	assert_int_equal(c.peer_id[2], 0);
	assert_int_equal(c.peer_ip[2], IP(1, 2, 3, 4));
	assert_int_equal(c.peer_id[3], 7);
	assert_int_equal(c.peer_ip[3], IP(223, 255, 255, 255));
	assert_int_equal(c.peer_id[4], 9);
	assert_int_equal(c.peer_ip[4], IP(240, 0, 0, 1));
	assert_int_equal(c.peer_id[5], 10);
	assert_int_equal(c.peer_ip[5], IP(127, 0, 0, 1));

	/* A list replaces the previous one; the empty list clears it. */
	assert_int_equal(fit_parse_peers(&c, "", NULL), 0);
	assert_int_equal(c.nr_peers, 0);
}

/* Every other node, 63 peers: the most a list can hold. */
static void test_peers_full(void **state)
{
	struct fit_config c;
	char s[64 * 20] = "", *p = s;
	int id, n = 0;

	fit_config_defaults(&c);
	c.node = 17;
	for (id = 0; id < FIT_MAX_NODES; id++)
		if (id != c.node)
			p = append_peer(p, p == s, id, id, 255 - id);
	assert_int_equal(fit_parse_peers(&c, s, NULL), 0);
	assert_int_equal(c.nr_peers, FIT_MAX_NODES - 1);
	for (id = 0; id < FIT_MAX_NODES; id++) {
		if (id == c.node)
			continue;
		assert_int_equal(c.peer_id[n], id);
		assert_int_equal(c.peer_ip[n], IP(10, 1, id, 255 - id));
		n++;
	}
	/* One more (the own id) is refused. */
	strcat(s, ",17@10.2.0.1");
	assert_int_equal(fit_parse_peers(&c, s, NULL), -EINVAL);
	assert_int_equal(c.nr_peers, FIT_MAX_NODES - 1);
}

static void test_peers_bad(void **state)
{
	static const char syntax[] = "bad syntax (want ID@A.B.C.D,...)";
	static const char range[] = "peer id out of range (0..63)";
	static const char addr[] = "bad peer address (want A.B.C.D)";
	static const char special[] =
		"peer address is 0.0.0.0, broadcast or multicast";
	static const struct {
		const char *s;
		const char *err;
	} cases[] = {
		{ "1", syntax },
		{ "1@", addr },
		{ "@10.0.0.1", syntax },
		{ "x@10.0.0.1", syntax },
		{ "-1@10.0.0.1", syntax },
		{ "+1@10.0.0.1", syntax },
		{ " 1@10.0.0.1", syntax },
		{ "1 @10.0.0.1", syntax },
		{ "1@ 10.0.0.1", addr },
		{ "1@10.0.0.1 ", syntax },
		{ "01@10.0.0.1", syntax },
		{ "00@10.0.0.1", syntax },
		{ "1@10.0.0.1,", syntax },
		{ ",1@10.0.0.1", syntax },
		{ "1@10.0.0.1,,2@10.0.0.2", syntax },
		{ "1@10.0.0.1;2@10.0.0.2", syntax },
		{ "1@10.0.0.1:18515", syntax },
		{ "1@10.0.0.1@2", syntax },
		{ "64@10.0.0.1", range },
		{ "100@10.0.0.1", range },
		{ "99999999999999999999999@10.0.0.1", range },
		{ "1@10.0.0", addr },
		{ "1@10.0.0.", addr },
		{ "1@10.0..1", addr },
		{ "1@10.0.0.1.", syntax },
		{ "1@10.0.0.1.5", syntax },
		{ "1@10.0.0.256", addr },
		{ "1@10.0.0.-1", addr },
		{ "1@10.0.0.01", addr },
		{ "1@010.0.0.1", addr },
		{ "1@0x0a.0.0.1", addr },
		{ "1@99999999999999999999.0.0.1", addr },
		{ "1@10.0.0.1,2@", addr },
		{ "1@0.0.0.0", special },
		{ "1@255.255.255.255", special },
		{ "1@224.0.0.1", special },
		{ "1@239.255.255.255", special },
		{ "2@10.0.0.2,1@0.0.0.0", special },
		{ "0@10.0.0.1", "own node id listed as a peer" },
		{ "1@10.0.0.1,0@10.0.0.2", "own node id listed as a peer" },
		{ "1@10.0.0.1,1@10.0.0.2", "duplicate peer id" },
		{ "1@10.0.0.1,2@10.0.0.2,1@10.0.0.3", "duplicate peer id" },
		{ "1@10.0.0.1,2@10.0.0.1", "duplicate peer address" },
	};
	struct fit_config c;
	const char *err;
	size_t i;

	fit_config_defaults(&c);
	c.node = 0;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* A good list first: a bad one must leave it in place. */
		assert_int_equal(fit_parse_peers(&c, "5@10.9.9.9", NULL), 0);
		err = NULL;
		if (fit_parse_peers(&c, cases[i].s, &err) != -EINVAL)
			fail_msg("\"%s\" was accepted", cases[i].s);
		if (!err || strcmp(err, cases[i].err))
			fail_msg("\"%s\": \"%s\", want \"%s\"", cases[i].s,
				 err ? err : "(null)", cases[i].err);
		assert_int_equal(fit_parse_peers(&c, cases[i].s, NULL), -EINVAL);
		assert_int_equal(c.nr_peers, 1);
		assert_int_equal(c.peer_id[0], 5);
		assert_int_equal(c.peer_ip[0], IP(10, 9, 9, 9));
	}
}

/* The own id must be known, or it could not be refused in the list. */
static void test_peers_need_node(void **state)
{
	struct fit_config c;
	const char *err = NULL;

	fit_config_defaults(&c);
	assert_int_equal(fit_parse_peers(&c, "1@10.0.0.1", &err), -EINVAL);
	assert_string_equal(err, "own node id not set before the peers");
	c.node = FIT_MAX_NODES;
	assert_int_equal(fit_parse_peers(&c, "", NULL), -EINVAL);
	assert_int_equal(c.nr_peers, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_and_offsets),
		cmocka_unit_test(test_hdr_init_bytes),
		cmocka_unit_test(test_hdr_roundtrip),
		cmocka_unit_test(test_hdr_good_shapes),
		cmocka_unit_test(test_hdr_short),
		cmocka_unit_test(test_hdr_bad_fixed_fields),
		cmocka_unit_test(test_hdr_bad_flags),
		cmocka_unit_test(test_hdr_bad_sizes),
		cmocka_unit_test(test_hdr_bad_status),
		cmocka_unit_test(test_hello_check),
		cmocka_unit_test(test_hello_version),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_token_hash),
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_config_ranges),
		cmocka_unit_test(test_peers_good),
		cmocka_unit_test(test_peers_full),
		cmocka_unit_test(test_peers_bad),
		cmocka_unit_test(test_peers_need_node),
	};

	host_test_seed("fit_msg");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
