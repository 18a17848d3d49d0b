// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 address text and the stack's boot parameters:
 *
 *   net.ip=A.B.C.D/N        this node's address and subnet prefix
 *   net.dev=ethN            the device it goes on (default: the first)
 *   net.arp_timeout_s=S     (ipv4/arp.c)
 *   net.echo_port=P         run the UDP echo service on port P
 *   net.test_peer=A.B.C.D   the `nettest` ktest suite's peer
 *   net.test_peer_port=P    its echo port (default 7)
 *
 * A malformed value is refused here, so the boot log names the word.
 */
#define pr_fmt(fmt) "net: " fmt

#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/params.h>
#include <lego/string.h>
#include <net/ip.h>

#include "../internal.h"

char net_dev_name[16];
bool net_ip_set;
__be32 net_ip_addr;
unsigned int net_ip_prefix;
unsigned int net_echo_port;
__be32 net_test_peer;
unsigned int net_test_peer_port = 7;

/* One decimal part of a dotted quad: 1-3 digits, at most 255. */
static const char *parse_octet(const char *s, u32 *out)
{
	unsigned int v = 0, n = 0;

	while (*s >= '0' && *s <= '9' && n < 4) {
		v = v * 10 + (*s++ - '0');
		n++;
	}
	if (!n || n > 3 || v > 255)
		return NULL;
	*out = v;
	return s;
}

static const char *parse_prefix(const char *s, unsigned int *prefix)
{
	u32 v;

	s = parse_octet(s, &v);
	if (!s || v > 32)
		return NULL;
	*prefix = v;
	return s;
}

int inet_parse_addr(const char *s, __be32 *addr, unsigned int *prefix)
{
	u32 part, host = 0;
	int i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		s = parse_octet(s, &part);
		if (!s || (i < 3 && *s++ != '.'))
			return -EINVAL;
		host = host << 8 | part;
	}
	if (*s == '/') {
		if (!prefix)
			return -EINVAL;
		s = parse_prefix(s + 1, prefix);
		if (!s)
			return -EINVAL;
	} else if (prefix) {
		return -EINVAL;
	}
	if (*s && !(*s == '\n' && !s[1]))
		return -EINVAL;
	*addr = htonl(host);
	return 0;
}

static int net_ip_param(const char *val)
{
	__be32 addr;
	unsigned int prefix;

	if (inet_parse_addr(val, &addr, &prefix) || prefix < 1 || prefix > 30)
		return -EINVAL;
	net_ip_addr = addr;
	net_ip_prefix = prefix;
	net_ip_set = true;
	return 0;
}
lego_param_cb("net.ip", net_ip_param,
	      "this node's IPv4 address and prefix, e.g. 10.0.0.1/24");

static int net_test_peer_param(const char *val)
{
	__be32 addr;

	if (inet_parse_addr(val, &addr, NULL) || !addr)
		return -EINVAL;
	net_test_peer = addr;
	return 0;
}
lego_param_cb("net.test_peer", net_test_peer_param,
	      "TEST ONLY: IPv4 address of the nettest suite's echo peer");

lego_param_string("net.dev", net_dev_name,
		  "device that gets net.ip (default: the first, eth0)");
lego_param_uint("net.echo_port", net_echo_port,
		"UDP port of the in-kernel echo service (0: off)");
lego_param_uint("net.test_peer_port", net_test_peer_port,
		"TEST ONLY: the nettest peer's UDP echo port (default 7)");
