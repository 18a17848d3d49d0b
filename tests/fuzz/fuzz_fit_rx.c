// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for what FIT accepts from outside (net/fit/msg.c): each
 * input is, at once,
 *   - a message received on a FIT queue pair, of exactly the input's
 *     length, for fit_hdr_check() as node 1;
 *   - a datagram received on the bootstrap port, for fit_hello_version()
 *     and fit_hello_check();
 *   - a fit.peers parameter string (up to the first NUL), for
 *     fit_parse_peers() as node 1.
 * Each buffer is allocated at its exact size, so ASan reports any read
 * past the bytes received.
 *
 * What counts as a bug, besides any ASan/UBSan report: an accepted
 * message, hello or peer list that breaks a promise the core relies on
 * (the checks below restate internal.h's rules independently), a
 * rejection without a reason, or a rejected peer list that changed the
 * configuration.
 *
 * FUZZ_FIT_WRITE_SEEDS=DIR makes the binary write its seed corpus to DIR
 * and exit: tests/fuzz/Makefile generates the seeds that way.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lego_host_rename.h"

#include "../../net/fit/internal.h"

#undef memcpy
#undef memset
#undef snprintf

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define ME	1
#define PEERS_MAX_LEN	1024

static volatile u8 sink;

static void die(const char *why)
{
	fprintf(stderr, "fuzz_fit_rx: %s\n", why);
	abort();
}

static void check_why(int ret, int want_err, const char *why)
{
	if (ret != want_err)
		die("a rejection with the wrong errno");
	if (!why || !*why)
		die("a rejection without a reason");
}

/* An accepted message obeys every rule of internal.h. */
static void check_good_hdr(const struct fit_hdr *h, size_t len)
{
	const u8 *payload = (const u8 *)(h + 1);
	u32 i;

	if (len < sizeof(*h) || h->len != len - sizeof(*h))
		die("accepted: len does not match the buffer");
	if (h->magic != FIT_MAGIC || h->version != FIT_VERSION)
		die("accepted: bad magic or version");
	if (h->type < FIT_MSG_CALL || h->type > FIT_MSG_CREDIT)
		die("accepted: bad type");
	if ((h->flags & ~FIT_F_ALL) ||
	    ((h->flags & FIT_F_FRAG) && h->type != FIT_MSG_CALL &&
	     h->type != FIT_MSG_SEND) ||
	    ((h->flags & FIT_F_REPLY_RDMA) && h->type != FIT_MSG_CALL) ||
	    ((h->flags & FIT_F_WRITTEN) && h->type != FIT_MSG_REPLY))
		die("accepted: a flag on the wrong type");
	if (h->dst_node != ME || h->src_node >= FIT_MAX_NODES ||
	    h->opcode >= FIT_MAX_OPCODE || h->reserved)
		die("accepted: bad node, opcode or reserved");
	if (h->len > FIT_INLINE_MAX || h->total > FIT_MAX_MSG ||
	    (u64)h->offset + h->len > h->total)
		die("accepted: sizes out of bounds");
	if ((h->flags & FIT_F_WRITTEN) && (h->len || h->offset))
		die("accepted: a WRITTEN reply with payload");
	if (!(h->flags & (FIT_F_FRAG | FIT_F_WRITTEN)) &&
	    (h->offset || h->len != h->total))
		die("accepted: an unfragmented message that is not whole");
	if (h->type == FIT_MSG_CREDIT && (h->len || h->total))
		die("accepted: a CREDIT with payload");
	if (h->type == FIT_MSG_REPLY && h->status > 0)
		die("accepted: a REPLY with a positive status");
	for (i = 0; i < h->len; i++)
		sink ^= payload[i];
	sink ^= (u8)fit_msg_type_str(h->type)[0];
}

static void fuzz_hdr(const u8 *data, size_t size)
{
	u8 *buf = malloc(size ? size : 1);
	const struct fit_hdr *h = (const struct fit_hdr *)buf;
	const char *why = NULL;
	int ret;

	memcpy(buf, data, size);
	ret = fit_hdr_check(h, size, ME, &why);
	if (ret != fit_hdr_check(h, size, ME, NULL))
		die("fit_hdr_check depends on why");
	if (ret)
		check_why(ret, -EBADMSG, why);
	else
		check_good_hdr(h, size);
	free(buf);
}

static void fuzz_hello(const u8 *data, size_t size)
{
	u8 *buf = malloc(size ? size : 1);
	const struct fit_hello *h = (const struct fit_hello *)buf;
	const char *why = NULL;
	int version, ret;
	u32 magic = 0;

	memcpy(buf, data, size);
	version = fit_hello_version(buf, size);
	if (size >= 4)
		memcpy(&magic, data, 4);
	if (size < 5 || magic != FIT_HELLO_MAGIC) {
		if (version != -1)
			die("fit_hello_version of a foreign datagram");
	} else if (version != data[4]) {
		die("fit_hello_version is wrong");
	}
	ret = fit_hello_check(h, size, &why);
	if (ret != fit_hello_check(h, size, NULL))
		die("fit_hello_check depends on why");
	if (ret) {
		check_why(ret, -EBADMSG, why);
	} else {
		if (size != sizeof(*h) || h->magic != FIT_HELLO_MAGIC ||
		    (h->type != FIT_HELLO && h->type != FIT_HELLO_REJECT) ||
		    h->nr_qps < 1 || h->nr_qps > FIT_MAX_QPS ||
		    h->src_node >= FIT_MAX_NODES ||
		    h->dst_node >= FIT_MAX_NODES || !h->epoch)
			die("accepted a hello that breaks a rule");
		sink ^= (u8)fit_reject_reason_str(h->reason)[0];
		sink ^= (u8)fit_role_name(h->role)[0];
	}
	free(buf);
}

/* A bad peer list leaves the config alone; a good one is consistent. */
static void fuzz_peers(const u8 *data, size_t size)
{
	static struct fit_config c;
	int ids[FIT_MAX_NODES];
	__be32 ips[FIT_MAX_NODES];
	size_t len = strnlen((const char *)data, size);
	char *s;
	const char *err = NULL;
	int i, j, ret;

	if (len > PEERS_MAX_LEN)
		len = PEERS_MAX_LEN;
	s = malloc(len + 1);
	memcpy(s, data, len);
	s[len] = '\0';
	fit_config_defaults(&c);
	c.node = ME;
	if (fit_parse_peers(&c, "0@10.0.0.9", NULL))
		die("a good peer list refused");
	memcpy(ids, c.peer_id, sizeof(ids));
	memcpy(ips, c.peer_ip, sizeof(ips));
	ret = fit_parse_peers(&c, s, &err);
	if (ret) {
		check_why(ret, -EINVAL, err);
		if (c.nr_peers != 1 || memcmp(ids, c.peer_id, sizeof(ids)) ||
		    memcmp(ips, c.peer_ip, sizeof(ips)))
			die("a refused peer list changed the config");
		goto out_free;
	}
	if (c.nr_peers < 0 || c.nr_peers >= FIT_MAX_NODES)
		die("accepted: too many peers");
	for (i = 0; i < c.nr_peers; i++) {
		const u8 *ip = (const u8 *)&c.peer_ip[i];

		if (c.peer_id[i] < 0 || c.peer_id[i] >= FIT_MAX_NODES ||
		    c.peer_id[i] == ME)
			die("accepted: a bad peer id");
		if (!c.peer_ip[i] || c.peer_ip[i] == 0xffffffffu ||
		    (ip[0] & 0xf0) == 0xe0)
			die("accepted: a reserved address");
		for (j = 0; j < i; j++)
			if (c.peer_id[j] == c.peer_id[i] ||
			    c.peer_ip[j] == c.peer_ip[i])
				die("accepted: a duplicate peer");
	}
out_free:
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_hdr(data, size);
	fuzz_hello(data, size);
	fuzz_peers(data, size);
	return 0;
}

/* ---- seeds ----------------------------------------------------------- */

static void write_seed(const char *dir, const char *name, const void *p,
		       size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len)
		die("cannot write a seed");
	fclose(f);
}

static void write_msg_seed(const char *dir, const char *name, u8 type,
			   u16 flags, u32 len, u32 total, u32 offset)
{
	static u8 buf[FIT_BUF_SIZE];
	struct fit_hdr h;

	fit_hdr_init(&h, type, FIT_OP_USER_BASE, 2, ME, 0x1234);
	h.flags = flags;
	h.req_id = (1ull << 32) | 1;
	h.len = len;
	h.total = total;
	h.offset = offset;
	memcpy(buf, &h, sizeof(h));
	memset(buf + sizeof(h), 0x61, len);
	write_seed(dir, name, buf, sizeof(h) + len);
}

static void write_seeds(const char *dir)
{
	static const char peers[] = "0@10.0.0.2,2@10.0.0.3,63@192.168.1.254";
	struct fit_hello h;
	int i;

	write_msg_seed(dir, "call", FIT_MSG_CALL, 0, 32, 32, 0);
	write_msg_seed(dir, "call-reply-rdma", FIT_MSG_CALL, FIT_F_REPLY_RDMA,
		       4, 4, 0);
	write_msg_seed(dir, "send-frag", FIT_MSG_SEND, FIT_F_FRAG, 100,
		       FIT_MAX_MSG, 8000);
	write_msg_seed(dir, "send-inline-max", FIT_MSG_SEND, 0, FIT_INLINE_MAX,
		       FIT_INLINE_MAX, 0);
	write_msg_seed(dir, "reply", FIT_MSG_REPLY, 0, 4, 4, 0);
	write_msg_seed(dir, "reply-written", FIT_MSG_REPLY, FIT_F_WRITTEN, 0,
		       4096, 0);
	write_msg_seed(dir, "credit", FIT_MSG_CREDIT, 0, 0, 0, 0);

	memset(&h, 0, sizeof(h));
	h.magic = FIT_HELLO_MAGIC;
	h.version = FIT_VERSION;
	h.type = FIT_HELLO;
	h.role = FIT_ROLE_MEMORY;
	h.src_node = 2;
	h.dst_node = ME;
	h.token = fit_token_hash("lego");
	h.epoch = 0x0123456789abcdefull;
	h.gen = 1;
	h.nr_qps = 2;
	h.credits = FIT_DEF_CREDITS;
	h.max_calls = FIT_DEF_MAX_CALLS;
	h.buf_size = FIT_BUF_SIZE;
	for (i = 0; i < FIT_MAX_QPS; i++)
		h.qpn[i] = 0x11 + i;
	write_seed(dir, "hello", &h, sizeof(h));
	h.type = FIT_HELLO_REJECT;
	h.reason = FIT_REJECT_TOKEN;
	write_seed(dir, "hello-reject", &h, sizeof(h));

	write_seed(dir, "peers", peers, sizeof(peers) - 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_FIT_WRITE_SEEDS");

	if (dir) {
		write_seeds(dir);
		exit(0);
	}
	return 0;
}
