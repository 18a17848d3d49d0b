// SPDX-License-Identifier: GPL-2.0
/*
 * FIT configuration and message checks: the code that judges bytes FIT
 * did not write itself (parameters, received headers and hellos) before
 * anything else looks at them.  Pure (no locks, no allocation, no OS), so
 * that the host tests (tests/host/test_fit_msg.c) and the fuzzer
 * (tests/fuzz/fuzz_fit_rx.c) drive it directly.
 *
 * The same file builds into the bare-metal kernels, the Linux module and
 * the host tests, so it calls nothing but memcpy/memset from the shared
 * string functions: the numbers of fit.peers are parsed here rather than
 * with kstrtox/kstrtou8, whose spellings and corner cases differ between
 * LegoOS and Linux.
 *
 * Every check reads a field only after the length test that guarantees
 * the field lies inside the buffer, so any byte string is safe to feed
 * fit_hdr_check(), fit_hello_version() and fit_hello_check().
 */
#include "internal.h"

/* ---- configuration ------------------------------------------------------- */

void fit_config_defaults(struct fit_config *c)
{
	memset(c, 0, sizeof(*c));
	c->node = -1;
	c->role = FIT_ROLE_OTHER;
	c->token = fit_token_hash("lego");
	c->nr_qps = FIT_DEF_QPS;
	c->workers = FIT_DEF_WORKERS;
	c->timeout_ms = FIT_DEF_TIMEOUT_MS;
	c->dead_ms = FIT_DEF_DEAD_MS;
	c->hello_ms = FIT_DEF_HELLO_MS;
	c->credits = FIT_DEF_CREDITS;
	c->max_calls = FIT_DEF_MAX_CALLS;
	c->port = FIT_DEFAULT_PORT;
	c->ping = true;
}

static int fit_einval(const char **err, const char *msg)
{
	if (err)
		*err = msg;
	return -EINVAL;
}

/*
 * A decimal number of at most @max at *@pp; advances *@pp past it.
 * -EINVAL if there is no digit or a leading zero ("010" is octal to
 * inet_aton(), so it is refused rather than guessed), -ERANGE above @max.
 * Saturates instead of overflowing, so any run of digits is safe.
 */
static int fit_parse_dec(const char **pp, unsigned int max, unsigned int *val)
{
	const char *p = *pp;
	unsigned int v = 0;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned int)(*p - '0');
		if (v > max)
			v = max + 1;
	}
	*pp = p;
	*val = v;
	return v > max ? -ERANGE : 0;
}

/* A dotted quad at *@pp into @ip (first octet first: network order). */
static int fit_parse_ipv4(const char **pp, __be32 *ip)
{
	u8 b[4];
	unsigned int v;
	int i;

	for (i = 0; i < 4; i++) {
		if (i && *(*pp)++ != '.')
			return -EINVAL;
		if (fit_parse_dec(pp, 255, &v))
			return -EINVAL;
		b[i] = (u8)v;
	}
	/* Unspecified, limited broadcast and multicast (RFC 1122 3.2.1.3). */
	if ((b[0] | b[1] | b[2] | b[3]) == 0 ||
	    (b[0] & b[1] & b[2] & b[3]) == 0xff || (b[0] & 0xf0) == 0xe0)
		return -EADDRNOTAVAIL;
	memcpy(ip, b, sizeof(*ip));
	return 0;
}

/* One "ID@A.B.C.D" at *@pp, advancing past it. */
static int fit_parse_peer(const char **pp, int *id, __be32 *ip,
			  const char **err)
{
	unsigned int v;
	int ret;

	ret = fit_parse_dec(pp, FIT_MAX_NODES - 1, &v);
	if (ret == -ERANGE)
		return fit_einval(err, "peer id out of range (0..63)");
	if (ret || *(*pp)++ != '@')
		return fit_einval(err, "bad syntax (want ID@A.B.C.D,...)");
	*id = (int)v;
	ret = fit_parse_ipv4(pp, ip);
	if (ret == -EADDRNOTAVAIL)
		return fit_einval(err, "peer address is 0.0.0.0, broadcast or multicast");
	if (ret)
		return fit_einval(err, "bad peer address (want A.B.C.D)");
	if (**pp != ',' && **pp != '\0')
		return fit_einval(err, "bad syntax (want ID@A.B.C.D,...)");
	return 0;
}

int fit_parse_peers(struct fit_config *c, const char *s, const char **err)
{
	int ids[FIT_MAX_NODES];
	__be32 ips[FIT_MAX_NODES];
	u64 seen = 0;			/* bit i: id i listed */
	int n = 0, i, id, ret;
	__be32 ip;

	BUILD_BUG_ON(FIT_MAX_NODES != 64);	/* seen, and the messages */
	if (c->node < 0 || c->node >= FIT_MAX_NODES)
		return fit_einval(err, "own node id not set before the peers");
	/*
	 * Ids are 0..63, distinct and not our own, so at most 63 entries
	 * reach the arrays: a longer list repeats an id, or names ours.
	 */
	while (s && *s) {
		ret = fit_parse_peer(&s, &id, &ip, err);
		if (ret)
			return ret;
		if (id == c->node)
			return fit_einval(err, "own node id listed as a peer");
		if (seen & (1ull << id))
			return fit_einval(err, "duplicate peer id");
		for (i = 0; i < n; i++)
			if (ips[i] == ip)
				return fit_einval(err, "duplicate peer address");
		seen |= 1ull << id;
		ids[n] = id;
		ips[n] = ip;
		n++;
		/* A separator must be followed by another peer. */
		if (*s == ',' && !*++s)
			return fit_einval(err, "bad syntax (want ID@A.B.C.D,...)");
	}
	/* Only now, so that a bad list leaves @c as it was. */
	memcpy(c->peer_id, ids, n * sizeof(ids[0]));
	memcpy(c->peer_ip, ips, n * sizeof(ips[0]));
	c->nr_peers = n;
	return 0;
}

static bool fit_in(unsigned int v, unsigned int lo, unsigned int hi)
{
	return v >= lo && v <= hi;
}

int fit_config_check(const struct fit_config *c, const char **err)
{
	/* The messages below spell these limits out. */
	BUILD_BUG_ON(FIT_MAX_NODES != 64 || FIT_MAX_QPS != 8 ||
		     FIT_MAX_WORKERS != 16);

	if (c->node < 0 || c->node >= FIT_MAX_NODES)
		return fit_einval(err, "node id not in 0..63");
	if (c->nr_peers < 0 || c->nr_peers >= FIT_MAX_NODES)
		return fit_einval(err, "number of peers not in 0..63");
	if (!fit_in(c->role, FIT_ROLE_PROCESSOR, FIT_ROLE_OTHER))
		return fit_einval(err, "unknown role");
	if (!fit_in(c->nr_qps, 1, FIT_MAX_QPS))
		return fit_einval(err, "QPs per peer not in 1..8");
	if (!fit_in(c->workers, 1, FIT_MAX_WORKERS))
		return fit_einval(err, "workers not in 1..16");
	if (!fit_in(c->timeout_ms, 1, 600000))
		return fit_einval(err, "timeout_ms not in 1..600000");
	if (!fit_in(c->dead_ms, 100, 600000))
		return fit_einval(err, "dead_ms not in 100..600000");
	if (!fit_in(c->hello_ms, 10, 10000))
		return fit_einval(err, "hello_ms not in 10..10000");
	if (!fit_in(c->credits, 2, 1024))
		return fit_einval(err, "credits not in 2..1024");
	if (!fit_in(c->max_calls, 1, 1024))
		return fit_einval(err, "max_calls not in 1..1024");
	if (!c->port)
		return fit_einval(err, "port is 0");
	return 0;
}

u64 fit_token_hash(const char *s)
{
	u64 h = 0xcbf29ce484222325ull;		/* FNV-1a 64 offset basis */

	for (; *s; s++) {
		h ^= (u8)*s;
		h *= 0x100000001b3ull;		/* FNV-1a 64 prime */
	}
	/* Never 0, so that 0 is free to mean "no token". */
	return h ? h : 1;
}

const char *fit_role_name(unsigned int role)
{
	static const char *const names[] = {
		[FIT_ROLE_PROCESSOR] = "processor",
		[FIT_ROLE_MEMORY] = "memory",
		[FIT_ROLE_STORAGE] = "storage",
		[FIT_ROLE_MONITOR] = "monitor",
		[FIT_ROLE_OTHER] = "other",
	};

	if (role < ARRAY_SIZE(names) && names[role])
		return names[role];
	return "unknown";
}

/* ---- message checks ------------------------------------------------------ */

static int fit_ebadmsg(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -EBADMSG;
}

/* Which types may carry each flag; everything else is refused. */
static int fit_hdr_check_flags(const struct fit_hdr *h, const char **why)
{
	if (h->flags & ~FIT_F_ALL)
		return fit_ebadmsg(why, "unknown flags");
	if ((h->flags & FIT_F_FRAG) &&
	    h->type != FIT_MSG_CALL && h->type != FIT_MSG_SEND)
		return fit_ebadmsg(why, "FRAG on a REPLY or CREDIT");
	if ((h->flags & FIT_F_REPLY_RDMA) && h->type != FIT_MSG_CALL)
		return fit_ebadmsg(why, "REPLY_RDMA on a non-CALL");
	if ((h->flags & FIT_F_WRITTEN) && h->type != FIT_MSG_REPLY)
		return fit_ebadmsg(why, "WRITTEN on a non-REPLY");
	return 0;
}

/* len, total and offset against the buffer and against each other. */
static int fit_hdr_check_sizes(const struct fit_hdr *h, size_t len,
			       const char **why)
{
	if (h->len != len - sizeof(*h))
		return fit_ebadmsg(why, "len differs from the bytes received");
	if (h->len > FIT_INLINE_MAX)
		return fit_ebadmsg(why, "len above FIT_INLINE_MAX");
	if (h->total > FIT_MAX_MSG)
		return fit_ebadmsg(why, "total above FIT_MAX_MSG");
	if ((u64)h->offset + h->len > h->total)
		return fit_ebadmsg(why, "fragment ends past total");
	if (h->flags & FIT_F_WRITTEN) {
		/* The data went by RDMA WRITE; total says how much. */
		if (h->len || h->offset)
			return fit_ebadmsg(why, "WRITTEN reply with inline payload");
		return 0;
	}
	if (!(h->flags & FIT_F_FRAG) && (h->offset || h->len != h->total))
		return fit_ebadmsg(why, "unfragmented message with offset or len != total");
	if (h->type == FIT_MSG_CREDIT && h->total)
		return fit_ebadmsg(why, "CREDIT with payload");
	return 0;
}

int fit_hdr_check(const struct fit_hdr *h, size_t len, int me,
		  const char **why)
{
	int ret;

	if (len < sizeof(*h))
		return fit_ebadmsg(why, "shorter than a header");
	if (h->magic != FIT_MAGIC)
		return fit_ebadmsg(why, "bad magic");
	if (h->version != FIT_VERSION)
		return fit_ebadmsg(why, "bad version");
	if (h->type < FIT_MSG_CALL || h->type > FIT_MSG_CREDIT)
		return fit_ebadmsg(why, "unknown type");
	ret = fit_hdr_check_flags(h, why);
	if (ret)
		return ret;
	if (h->dst_node != me)
		return fit_ebadmsg(why, "dst_node is not this node");
	if (h->src_node >= FIT_MAX_NODES)
		return fit_ebadmsg(why, "src_node out of range");
	if (h->opcode >= FIT_MAX_OPCODE)
		return fit_ebadmsg(why, "opcode out of range");
	if (h->reserved)
		return fit_ebadmsg(why, "reserved is not 0");
	ret = fit_hdr_check_sizes(h, len, why);
	if (ret)
		return ret;
	if (h->type == FIT_MSG_REPLY && h->status > 0)
		return fit_ebadmsg(why, "REPLY with a positive status");
	return 0;
}

void fit_hdr_init(struct fit_hdr *h, u8 type, u16 opcode, int src, int dst,
		  u32 epoch)
{
	memset(h, 0, sizeof(*h));
	h->magic = FIT_MAGIC;
	h->version = FIT_VERSION;
	h->type = type;
	h->opcode = opcode;
	h->src_node = (u16)src;
	h->dst_node = (u16)dst;
	h->epoch = epoch;
}

int fit_hello_check(const struct fit_hello *h, size_t len, const char **why)
{
	/* Version 1 hellos have exactly this size; others are REJECTed. */
	if (len != sizeof(*h))
		return fit_ebadmsg(why, "not the size of a hello");
	if (h->magic != FIT_HELLO_MAGIC)
		return fit_ebadmsg(why, "bad magic");
	if (h->type != FIT_HELLO && h->type != FIT_HELLO_REJECT)
		return fit_ebadmsg(why, "unknown type");
	if (h->nr_qps < 1 || h->nr_qps > FIT_MAX_QPS)
		return fit_ebadmsg(why, "nr_qps not in 1..FIT_MAX_QPS");
	if (h->src_node >= FIT_MAX_NODES)
		return fit_ebadmsg(why, "src_node out of range");
	if (h->dst_node >= FIT_MAX_NODES)
		return fit_ebadmsg(why, "dst_node out of range");
	if (!h->epoch)
		return fit_ebadmsg(why, "epoch is 0");
	return 0;
}

int fit_hello_version(const void *data, size_t len)
{
	const u8 *p = data;
	u32 magic;

	BUILD_BUG_ON(offsetof(struct fit_hello, magic) != 0 ||
		     offsetof(struct fit_hello, version) != 4);
	if (len < 5)
		return -1;
	memcpy(&magic, p, sizeof(magic));	/* any alignment */
	if (magic != FIT_HELLO_MAGIC)
		return -1;
	return p[4];
}

const char *fit_reject_reason_str(unsigned int reason)
{
	switch (reason) {
	case FIT_REJECT_TOKEN:
		return "cluster token differs";
	case FIT_REJECT_NODE:
		return "node id does not match the address";
	case FIT_REJECT_VERSION:
		return "protocol version not spoken";
	case FIT_REJECT_CONFIG:
		return "incompatible parameters";
	default:
		return "unknown reason";
	}
}

const char *fit_msg_type_str(unsigned int type)
{
	switch (type) {
	case FIT_MSG_CALL:
		return "CALL";
	case FIT_MSG_SEND:
		return "SEND";
	case FIT_MSG_REPLY:
		return "REPLY";
	case FIT_MSG_CREDIT:
		return "CREDIT";
	default:
		return "unknown";
	}
}
