// SPDX-License-Identifier: GPL-2.0
/*
 * netflood: flood a LegoOS node with malformed frames, for the ktest suite
 * `netflood` (net/flood_test.c) and the guest test /tests/flood
 * (Documentation/linux-vms.md).
 *
 *   netflood hello -t ADDR [-p PORT] [-W WAIT_S]
 *   netflood flood -t ADDR -i IFACE [-n PER_CLASS] [-T MAX_S] [-g GAP_US]
 *                  [-p PORT] [-S SEED] [-o FILE]
 *   netflood done  -t ADDR -f FILE [-p PORT] [-W WAIT_S]
 *
 * hello sends HELLO datagrams to ADDR:PORT (default 9000) until the suite
 * answers (it has then taken its snapshot of the counters). flood sends
 * PER_CLASS (default 200) frames of each class of enum nf_class (the
 * table in Documentation/net.md says which counter each one must reach),
 * round-robin, on IFACE only, through an AF_PACKET socket: from IFACE's
 * own MAC to ADDR's MAC (from /proc/net/arp: hello resolved it), sleeping
 * GAP_US (default 2000) after each round and stopping after MAX_S seconds
 * (default 20) whatever is left. It prints "NETFLOOD-SENT total=N seed=S
 * class=N ..." (-S S sends the same frames again) and writes the counts to
 * FILE (one per line, in class order). done sends DONE with those counts
 * until the suite acknowledges it.
 *
 * The wire format of HELLO/DONE/ACK and the class order are shared with
 * net/flood_test.c: keep them equal. Exit status 0 on success, 1 on
 * failure, 2 for bad usage. Needs CAP_NET_RAW (root in the test VM).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NF_MAGIC	0x4c4e4631	/* "LNF1" */
#define NF_HELLO	1
#define NF_DONE		2
#define NF_ACK		0x80

#define ETH_HLEN	14
#define ETH_MAX		1514
#define P_IP		0x0800
#define P_ARP		0x0806

enum nf_class {
	RANDOM_FRAME, UNKNOWN_ETHERTYPE, TRUNC_IP, BAD_VERSION, BAD_IHL,
	BAD_LEN, BAD_IP_CSUM, FRAGMENT, NOT_FOR_US, BAD_SADDR, UNKNOWN_PROTO,
	TRUNC_UDP, BAD_UDP_LEN, BAD_UDP_CSUM, CLOSED_PORT, TRUNC_ICMP,
	BAD_ICMP_CSUM, ARP_MALFORMED, ARP_BAD_SENDER, NF_NCLASSES
};

static const char *const class_names[NF_NCLASSES] = {
	"random_frame", "unknown_ethertype", "trunc_ip", "bad_version",
	"bad_ihl", "bad_len", "bad_ip_csum", "fragment", "not_for_us",
	"bad_saddr", "unknown_proto", "trunc_udp", "bad_udp_len",
	"bad_udp_csum", "closed_port", "trunc_icmp", "bad_icmp_csum",
	"arp_malformed", "arp_bad_sender",
};

/* All fields in network byte order. */
struct nf_msg {
	uint32_t magic;
	uint32_t type;
	uint32_t nclasses;
	uint32_t sent[NF_NCLASSES];
} __attribute__((packed));

struct nf_opts {
	const char *target, *iface, *file;
	int port, wait_s, max_s, gap_us;
	long per_class;
	unsigned long seed;
};

/* What every frame builder needs. */
struct nf_ctx {
	unsigned char src_mac[6], dst_mac[6];
	uint32_t saddr, daddr;		/* ours, the target's (network order) */
	int port;			/* the suite's: never a closed port */
	uint64_t rng;
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static uint32_t rnd(struct nf_ctx *c)
{
	c->rng ^= c->rng << 13;		/* xorshift64 */
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return (uint32_t)(c->rng >> 16);
}

static void rnd_fill(struct nf_ctx *c, unsigned char *p, size_t n)
{
	while (n--)
		*p++ = rnd(c);
}

static uint16_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (; len > 1; p += 2, len -= 2)
		sum += p[0] << 8 | p[1];
	if (len)
		sum += p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static uint16_t csum(const void *data, size_t len)
{
	return ~csum_add(0, data, len) & 0xffff;
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* The Ethernet header to the target; returns where the payload goes. */
static unsigned char *eth(struct nf_ctx *c, unsigned char *f, uint16_t type)
{
	memcpy(f, c->dst_mac, 6);
	memcpy(f + 6, c->src_mac, 6);
	put16(f + 12, type);
	return f + ETH_HLEN;
}

/* A 20-byte IPv4 header with a correct checksum. */
static void ip_hdr(unsigned char *ip, size_t tot, uint8_t proto, uint32_t saddr,
		   uint32_t daddr, uint16_t frag)
{
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, tot);
	put16(ip + 4, 0x4c4f);
	put16(ip + 6, frag);
	ip[8] = 64;
	ip[9] = proto;
	put16(ip + 10, 0);
	memcpy(ip + 12, &saddr, 4);
	memcpy(ip + 16, &daddr, 4);
	put16(ip + 10, csum(ip, 20));
}

/* A UDP datagram of LEN bytes (header included) after IP header @ip. */
static void udp_dgram(struct nf_ctx *c, unsigned char *ip, size_t len,
		      uint16_t dport)
{
	unsigned char *u = ip + 20, pseudo[12];
	uint16_t sum;

	put16(u, 40000 + rnd(c) % 1000);
	put16(u + 2, dport);
	put16(u + 4, len);
	put16(u + 6, 0);
	rnd_fill(c, u + 8, len - 8);
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 17;
	put16(pseudo + 10, len);
	sum = ~csum_add(csum_add(0, pseudo, 12), u, len) & 0xffff;
	put16(u + 6, sum ? sum : 0xffff);
}

/* An IPv4 datagram carrying PAYLOAD random bytes; returns the frame size. */
static size_t ip_frame(struct nf_ctx *c, unsigned char *f, uint8_t proto,
		       size_t payload, uint16_t frag)
{
	unsigned char *ip = eth(c, f, P_IP);

	ip_hdr(ip, 20 + payload, proto, c->saddr, c->daddr, frag);
	rnd_fill(c, ip + 20, payload);
	return ETH_HLEN + 20 + payload;
}

/* Random bytes after the MACs, with an EtherType the target does not speak. */
static size_t random_frame(struct nf_ctx *c, unsigned char *f)
{
	size_t len = 60 + rnd(c) % (ETH_MAX - 59);
	uint16_t type;

	rnd_fill(c, eth(c, f, 0), len - ETH_HLEN);
	do
		type = rnd(c);
	while (type < 0x0600 || type == P_IP || type == P_ARP);
	put16(f + 12, type);
	return len;
}

static size_t unknown_ethertype(struct nf_ctx *c, unsigned char *f)
{
	static const uint16_t types[] = {
		0x86dd, 0x8100, 0x88cc, 0x88b5, 0x8915, 0x8035, 0x0040, 0x05dc,
	};
	size_t len = 46 + rnd(c) % 455;

	rnd_fill(c, eth(c, f, types[rnd(c) % 8]), len);
	return ETH_HLEN + len;
}

/* 0-19 bytes of IPv4: the header-only Ethernet frame included. */
static size_t trunc_ip(struct nf_ctx *c, unsigned char *f)
{
	unsigned char ip[20];
	size_t len = rnd(c) % 20;

	ip_hdr(ip, 20, 17, c->saddr, c->daddr, 0);
	memcpy(eth(c, f, P_IP), ip, len);
	return ETH_HLEN + len;
}

static size_t bad_version(struct nf_ctx *c, unsigned char *f)
{
	size_t len = ip_frame(c, f, 17, 8 + rnd(c) % 100, 0x4000);
	unsigned char *ip = f + ETH_HLEN, v = rnd(c) % 15;

	ip[0] = (v >= 4 ? v + 1 : v) << 4 | 5;
	return len;
}

/* IHL below 5, or past the end of the frame. */
static size_t bad_ihl(struct nf_ctx *c, unsigned char *f)
{
	size_t len = ip_frame(c, f, 17, rnd(c) % 20, 0x4000);
	unsigned char *ip = f + ETH_HLEN;

	/* A NIC may pad the frame to 60 bytes: 46 of IPv4 < 12 * 4. */
	ip[0] = 0x40 | (rnd(c) & 1 ? rnd(c) % 5 : 12 + rnd(c) % 4);
	return len;
}

/* Total length below the header's, or past the frame (padded or not). */
static size_t bad_len(struct nf_ctx *c, unsigned char *f)
{
	size_t payload = 8 + rnd(c) % 200;
	size_t len = ip_frame(c, f, 17, payload, 0x4000);
	unsigned char *ip = f + ETH_HLEN;
	uint16_t tot = rnd(c) & 1 ? rnd(c) % 20 :
		       20 + payload + 47 + rnd(c) % 1000;

	ip_hdr(ip, tot, 17, c->saddr, c->daddr, 0x4000);
	return len;
}

static size_t bad_ip_csum(struct nf_ctx *c, unsigned char *f)
{
	size_t len = ip_frame(c, f, 17, 8 + rnd(c) % 200, 0x4000);

	f[ETH_HLEN + 10] ^= 1 + rnd(c) % 255;
	return len;
}

/* More fragments, or an offset: a valid header otherwise. */
static size_t fragment(struct nf_ctx *c, unsigned char *f)
{
	uint16_t frag = rnd(c) & 1 ? 0x2000 : (1 + rnd(c) % 0x1fff);

	if (rnd(c) & 1)
		frag |= 0x2000;
	return ip_frame(c, f, 17, 8 + rnd(c) % 200, frag);
}

/* To another host of the subnet (never its broadcast address). */
static size_t not_for_us(struct nf_ctx *c, unsigned char *f)
{
	uint32_t saved = c->daddr;
	unsigned char *d = (unsigned char *)&c->daddr;
	size_t len;

	d[3] = 200 + rnd(c) % 50;
	if (c->daddr == saved)
		d[3] ^= 1;
	len = ip_frame(c, f, 17, 8 + rnd(c) % 200, 0x4000);
	c->daddr = saved;
	return len;
}

/* From 0.0.0.0, the broadcast address, a multicast group or the target. */
static size_t bad_saddr(struct nf_ctx *c, unsigned char *f)
{
	uint32_t saved = c->saddr;
	size_t len;

	switch (rnd(c) % 4) {
	case 0: c->saddr = 0; break;
	case 1: c->saddr = 0xffffffff; break;
	case 2: c->saddr = htonl(0xe0000000 | (rnd(c) & 0x0fffffff)); break;
	default: c->saddr = c->daddr; break;
	}
	len = ip_frame(c, f, 17, 8 + rnd(c) % 200, 0x4000);
	c->saddr = saved;
	return len;
}

static size_t unknown_proto(struct nf_ctx *c, unsigned char *f)
{
	uint8_t proto = rnd(c);

	if (proto == 1 || proto == 17)
		proto = 6;		/* TCP: not spoken here */
	return ip_frame(c, f, proto, rnd(c) % 300, 0x4000);
}

static size_t trunc_udp(struct nf_ctx *c, unsigned char *f)
{
	return ip_frame(c, f, 17, rnd(c) % 8, 0x4000);
}

/* UDP length below 8, or past the IPv4 payload. */
static size_t bad_udp_len(struct nf_ctx *c, unsigned char *f)
{
	size_t payload = 8 + rnd(c) % 200;
	size_t len = ip_frame(c, f, 17, payload, 0x4000);
	unsigned char *u = f + ETH_HLEN + 20;

	put16(u + 4, rnd(c) & 1 ? rnd(c) % 8 : payload + 1 + rnd(c) % 500);
	return len;
}

/* Datagrams (valid checksum unless BAD) to a port nobody listens on. */
static size_t udp_frame(struct nf_ctx *c, unsigned char *f, int bad)
{
	size_t payload = 8 + rnd(c) % 1000;
	unsigned char *ip = eth(c, f, P_IP);
	uint16_t dport;

	do
		dport = 1024 + rnd(c) % 64000;
	while (dport == c->port || dport == 7);
	ip_hdr(ip, 20 + payload, 17, c->saddr, c->daddr, 0x4000);
	udp_dgram(c, ip, payload, dport);
	if (bad)
		ip[20 + 7] ^= 1 + rnd(c) % 255;
	return ETH_HLEN + 20 + payload;
}

static size_t bad_udp_csum(struct nf_ctx *c, unsigned char *f)
{
	return udp_frame(c, f, 1);
}

static size_t closed_port(struct nf_ctx *c, unsigned char *f)
{
	return udp_frame(c, f, 0);
}

static size_t trunc_icmp(struct nf_ctx *c, unsigned char *f)
{
	return ip_frame(c, f, 1, rnd(c) % 8, 0x4000);
}

/* An echo request whose checksum is off. */
static size_t bad_icmp_csum(struct nf_ctx *c, unsigned char *f)
{
	size_t payload = 8 + rnd(c) % 200;
	size_t len = ip_frame(c, f, 1, payload, 0x4000);
	unsigned char *icmp = f + ETH_HLEN + 20;
	uint16_t sum;

	icmp[0] = 8;
	icmp[1] = 0;
	put16(icmp + 2, 0);
	sum = csum(icmp, payload);
	put16(icmp + 2, sum ^ (1 + rnd(c) % 0xfffe));
	return len;
}

/* An ARP packet about the target from us; the caller breaks it. */
static unsigned char *arp_pkt(struct nf_ctx *c, unsigned char *f)
{
	unsigned char *a = eth(c, f, P_ARP);

	put16(a, 1);
	put16(a + 2, P_IP);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, 1 + rnd(c) % 2);
	memcpy(a + 8, c->src_mac, 6);
	memcpy(a + 14, &c->saddr, 4);
	memset(a + 18, 0, 6);
	memcpy(a + 24, &c->daddr, 4);
	return a;
}

/* Short, or a wrong hardware/protocol type, address length or opcode. */
static size_t arp_malformed(struct nf_ctx *c, unsigned char *f)
{
	unsigned char *a = arp_pkt(c, f);

	switch (rnd(c) % 6) {
	case 0:			/* short, and bad even if the NIC pads it */
		put16(a, 0xffff);
		return ETH_HLEN + rnd(c) % 28;
	case 1: put16(a, 2 + rnd(c) % 30); break;
	case 2: put16(a + 2, 0x86dd); break;
	case 3: a[4] = 8; break;
	case 4: a[5] = 16; break;
	default: put16(a + 6, 3 + rnd(c) % 20); break;
	}
	return ETH_HLEN + 28;
}

/* Sender MAC zero or multicast, or sender IP broadcast or multicast. */
static size_t arp_bad_sender(struct nf_ctx *c, unsigned char *f)
{
	unsigned char *a = arp_pkt(c, f);
	uint32_t ip;

	switch (rnd(c) % 4) {
	case 0: memset(a + 8, 0, 6); break;
	case 1: a[8] |= 1; break;
	case 2: memset(a + 14, 0xff, 4); break;
	default:
		ip = htonl(0xe0000000 | (rnd(c) & 0x0fffffff));
		memcpy(a + 14, &ip, 4);
		break;
	}
	return ETH_HLEN + 28;
}

static size_t (*const builders[NF_NCLASSES])(struct nf_ctx *,
					      unsigned char *) = {
	random_frame, unknown_ethertype, trunc_ip, bad_version, bad_ihl,
	bad_len, bad_ip_csum, fragment, not_for_us, bad_saddr, unknown_proto,
	trunc_udp, bad_udp_len, bad_udp_csum, closed_port, trunc_icmp,
	bad_icmp_csum, arp_malformed, arp_bad_sender,
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t parse_addr(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "netflood: bad address '%s'\n", s);
		exit(2);
	}
	return a.s_addr;
}

/* The target's MAC from the ARP cache (hello has filled it). */
static void arp_lookup(const char *ip, const char *iface, unsigned char *mac)
{
	char line[256], addr[64], hw[64], dev[64];
	unsigned int flags, m[6];
	FILE *f = fopen("/proc/net/arp", "r");

	if (!f)
		die("netflood: /proc/net/arp");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %*s %x %63s %*s %63s", addr, &flags, hw,
			   dev) != 4 || strcmp(addr, ip) || strcmp(dev, iface) ||
		    !(flags & 2) || sscanf(hw, "%x:%x:%x:%x:%x:%x", &m[0],
					   &m[1], &m[2], &m[3], &m[4],
					   &m[5]) != 6)
			continue;
		for (int i = 0; i < 6; i++)
			mac[i] = m[i];
		fclose(f);
		return;
	}
	fprintf(stderr, "netflood: %s is not in the ARP cache of %s (run "
		"netflood hello first)\n", ip, iface);
	exit(1);
}

/* IFACE's index, MAC and IPv4 address. */
static int iface_info(int fd, const char *iface, unsigned char *mac,
		      uint32_t *addr)
{
	struct ifreq ifr = { 0 };

	if (strlen(iface) >= sizeof(ifr.ifr_name)) {
		fprintf(stderr, "netflood: bad interface '%s'\n", iface);
		exit(2);
	}
	strcpy(ifr.ifr_name, iface);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		die("netflood: SIOCGIFHWADDR");
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ioctl(fd, SIOCGIFADDR, &ifr) < 0)
		die("netflood: SIOCGIFADDR");
	*addr = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr;
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		die("netflood: SIOCGIFINDEX");
	return ifr.ifr_ifindex;
}

static int run_flood(const struct nf_opts *o)
{
	static unsigned char frame[ETH_MAX];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct nf_ctx c = { .port = o->port, .rng = o->seed | 1 };
	long sent[NF_NCLASSES] = { 0 }, total = 0, round;
	double end = now_s() + o->max_s;
	int fd = socket(AF_PACKET, SOCK_RAW, 0), k;
	FILE *out;

	if (fd < 0)
		die("netflood: socket(AF_PACKET)");
	sll.sll_ifindex = iface_info(fd, o->iface, c.src_mac, &c.saddr);
	sll.sll_halen = 6;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("netflood: bind");
	c.daddr = parse_addr(o->target);
	arp_lookup(o->target, o->iface, c.dst_mac);
	memcpy(sll.sll_addr, c.dst_mac, 6);
	for (round = 0; round < o->per_class && now_s() < end; round++) {
		for (k = 0; k < NF_NCLASSES; k++) {
			size_t len = builders[k](&c, frame);

			if (sendto(fd, frame, len, 0, (struct sockaddr *)&sll,
				   sizeof(sll)) == (ssize_t)len) {
				sent[k]++;
				total++;
			} else if (errno != ENOBUFS && errno != EAGAIN) {
				fprintf(stderr, "netflood: %s frame of %zu "
					"bytes: %s\n", class_names[k], len,
					strerror(errno));
				return 1;
			}
		}
		if (o->gap_us)
			usleep(o->gap_us);
	}
	printf("NETFLOOD-SENT total=%ld seed=%lu", total, o->seed);
	for (k = 0; k < NF_NCLASSES; k++)
		printf(" %s=%ld", class_names[k], sent[k]);
	printf("\n");
	out = fopen(o->file, "w");
	if (!out)
		die("netflood: output file");
	for (k = 0; k < NF_NCLASSES; k++)
		fprintf(out, "%ld\n", sent[k]);
	fclose(out);
	return 0;
}

/* Send MSG to the suite every 200 ms until it acknowledges it. */
static int exchange(const struct nf_opts *o, struct nf_msg *msg, size_t len)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(o->port),
		.sin_addr.s_addr = parse_addr(o->target),
	};
	uint32_t want = ntohl(msg->type) | NF_ACK;
	double start = now_s();
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("netflood: UDP socket");
	while (now_s() - start < o->wait_s) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double t_end = now_s() + 0.2;
		struct nf_msg ack;

		send(fd, msg, len, 0);
		while (now_s() < t_end) {
			if (poll(&pfd, 1, 50) <= 0)
				continue;
			if (recv(fd, &ack, sizeof(ack), 0) >= 12 &&
			    ntohl(ack.magic) == NF_MAGIC &&
			    ntohl(ack.type) == want) {
				printf("netflood: %s acknowledged after "
				       "%.0f ms\n", want == (NF_HELLO | NF_ACK)
				       ? "HELLO" : "DONE",
				       (now_s() - start) * 1e3);
				return 0;
			}
		}
	}
	printf("netflood: FAIL: no answer from %s:%d in %d s\n", o->target,
	       o->port, o->wait_s);
	return 1;
}

static int run_hello(const struct nf_opts *o)
{
	struct nf_msg m = { .magic = htonl(NF_MAGIC), .type = htonl(NF_HELLO) };

	return exchange(o, &m, offsetof(struct nf_msg, sent));
}

static int run_done(const struct nf_opts *o)
{
	struct nf_msg m = {
		.magic = htonl(NF_MAGIC), .type = htonl(NF_DONE),
		.nclasses = htonl(NF_NCLASSES),
	};
	FILE *in = fopen(o->file, "r");
	long v;
	int k;

	if (!in)
		die("netflood: counts file");
	for (k = 0; k < NF_NCLASSES; k++) {
		if (fscanf(in, "%ld", &v) != 1 || v < 0) {
			fprintf(stderr, "netflood: %s: bad counts\n", o->file);
			return 1;
		}
		m.sent[k] = htonl(v);
	}
	fclose(in);
	return exchange(o, &m, sizeof(m));
}

static void usage(void)
{
	fprintf(stderr,
		"usage: netflood hello -t ADDR [-p PORT] [-W WAIT_S]\n"
		"       netflood flood -t ADDR -i IFACE [-n PER_CLASS] "
		"[-T MAX_S] [-g GAP_US]\n"
		"                      [-p PORT] [-S SEED] [-o FILE]\n"
		"       netflood done -t ADDR -f FILE [-p PORT] [-W WAIT_S]\n");
	exit(2);
}

static long num(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < min || v > max)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	struct nf_opts o = {
		.port = 9000, .wait_s = 30, .max_s = 20, .gap_us = 2000,
		.per_class = 200, .seed = (unsigned long)time(NULL),
		.file = "/tmp/netflood.sent",
	};
	const char *cmd;
	int c;

	if (argc < 2)
		usage();
	cmd = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "t:i:n:T:g:p:S:o:f:W:")) != -1) {
		switch (c) {
		case 't': o.target = optarg; break;
		case 'i': o.iface = optarg; break;
		case 'n': o.per_class = num(optarg, 1, 1000000); break;
		case 'T': o.max_s = num(optarg, 1, 3600); break;
		case 'g': o.gap_us = num(optarg, 0, 1000000); break;
		case 'p': o.port = num(optarg, 1, 65535); break;
		case 'S': o.seed = num(optarg, 0, 0x7fffffff); break;
		case 'o': case 'f': o.file = optarg; break;
		case 'W': o.wait_s = num(optarg, 1, 3600); break;
		default: usage();
		}
	}
	if (optind != argc || !o.target)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "hello"))
		return run_hello(&o);
	if (!strcmp(cmd, "done"))
		return run_done(&o);
	if (!strcmp(cmd, "flood") && o.iface)
		return run_flood(&o);
	usage();
	return 2;
}
