// SPDX-License-Identifier: GPL-2.0
/*
 * The FIT self test against one peer, shared by the LegoOS ktest suite
 * (net/fit/fit_test.c) and the Linux module (selftest=1): every check
 * both OSes must pass, in one place.
 */
#include "core.h"

#define ST_PFX "fit-selftest: node %d: "

static void st_fill(u8 *buf, size_t len, u64 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = fit_fill_byte(seed, i);
}

/* The first byte where @buf differs from the pattern, or -1. */
static long st_check(const u8 *buf, size_t len, u64 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != fit_fill_byte(seed, i))
			return (long)i;
	return -1;
}

static int st_echo(int node, u8 *req, u8 *reply, u32 size, u64 seed)
{
	u64 t0 = fit_os_now_ns();
	long bad;
	int ret;

	st_fill(req, size, seed);
	memset(reply, 0x5a, size + 64);
	ret = fit_call(node, FIT_OP_ECHO, req, size, reply, size + 64, 0);
	if (ret != (int)size) {
		pr_err(ST_PFX "echo %u B: returned %d\n", node, size, ret);
		return ret < 0 ? ret : -EBADMSG;
	}
	bad = st_check(reply, size, seed);
	if (bad >= 0 || reply[size] != 0x5a) {
		pr_err(ST_PFX "echo %u B: data differs at byte %ld\n", node,
		       size, bad >= 0 ? bad : (long)size);
		return -EBADMSG;
	}
	pr_info(ST_PFX "echo %u B ok, %llu us\n", node, size,
		(unsigned long long)(fit_os_now_ns() - t0) / 1000);
	return 0;
}

static int st_page(int node, u8 *reply, u64 seed)
{
	long bad;
	int ret;

	memset(reply, 0, 4096);
	ret = fit_call(node, FIT_OP_PAGE, &seed, sizeof(seed), reply, 4096, 0);
	if (ret != 4096) {
		pr_err(ST_PFX "page reply: returned %d\n", node, ret);
		return ret < 0 ? ret : -EBADMSG;
	}
	bad = st_check(reply, 4096, seed);
	if (bad >= 0) {
		pr_err(ST_PFX "page reply: data differs at byte %ld\n", node,
		       bad);
		return -EBADMSG;
	}
	return 0;
}

int fit_selftest_peer(int node)
{
	static const u32 sizes[] = FIT_SELFTEST_SIZES;
	const size_t max = 1u << 20;
	u8 *req = fit_os_alloc_large(max + 64);
	u8 *reply = fit_os_alloc_large(max + 64);
	u8 small[16];
	unsigned int i;
	int ret, err = -ENOMEM;

	if (!req || !reply)
		goto out;
	err = fit_wait_peer(node, 30000);
	if (err) {
		pr_err(ST_PFX "not up: %d\n", node, err);
		goto out;
	}
	err = fit_call(node, FIT_OP_PING, NULL, 0, NULL, 0, 0);
	if (err) {
		pr_err(ST_PFX "ping: %d\n", node, err);
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		err = st_echo(node, req, reply, sizes[i], 1000 + i);
		if (err)
			goto out;
	}
	for (i = 0; i < 8; i++) {
		err = st_page(node, reply, 77 + i);
		if (err)
			goto out;
	}
	pr_info(ST_PFX "8 zero-copy page replies ok\n", node);

	ret = fit_call(node, FIT_MAX_OPCODE - 1, NULL, 0, NULL, 0, 0);
	if (ret != -EOPNOTSUPP) {
		pr_err(ST_PFX "unknown opcode: %d, want %d\n", node, ret,
		       -EOPNOTSUPP);
		err = -EPROTO;
		goto out;
	}
	st_fill(req, 100, 5);
	ret = fit_call(node, FIT_OP_ECHO, req, 100, small, sizeof(small), 0);
	if (ret != -EMSGSIZE) {
		pr_err(ST_PFX "reply larger than the buffer: %d, want %d\n",
		       node, ret, -EMSGSIZE);
		err = -EPROTO;
		goto out;
	}
	/* The connection survived both errors. */
	err = st_echo(node, req, reply, 4096, 99);
	if (err)
		goto out;
	pr_info(ST_PFX "unknown opcode and short buffer answered with errors\n",
		node);
	err = 0;
out:
	fit_os_free_large(req);
	fit_os_free_large(reply);
	return err;
}
