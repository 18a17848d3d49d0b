// SPDX-License-Identifier: GPL-2.0
/*
 * udpstream: one-way UDP stream throughput, the Linux side of bench/udp
 * (Documentation/benchmarks.md). The LegoOS side is net/bench_stream.c,
 * which speaks the same protocol, so either end may be either system.
 *
 *   udpstream recv [-p PORT] [-t IDLE_S]
 *   udpstream send -s ADDR [-p PORT] [-n COUNT] [-z SIZE] [-W WAIT_S]
 *
 * Every datagram starts with a 16-byte header (big-endian): magic "LUS1",
 * type, session, seq. The sender opens a session with START (resent every
 * 200 ms until the receiver answers, for up to WAIT_S s: it may still be
 * booting), sends COUNT DATA datagrams of SIZE bytes (default 20000 of
 * 1400) back to back, as fast as send() takes them, then asks STAT until
 * the receiver answers with what it got: the datagrams and bytes of the
 * session and the time from the first to the last one. Then BYE, which
 * ends the receiver. Replies carry the request's type with bit 0x80 set.
 *
 * The sender prints, for scripts to parse,
 *   UDPSTREAM-RESULT size=1400 sent=20000 received=19630 loss_pct=1.85
 *       send_MBps=41.2 recv_MBps=40.1 send_ms=679.1 recv_ms=685.2
 * (MB = 10^6 bytes; recv_MBps over the receiver's first-to-last interval).
 * Exit status 0 on success, 1 on failure, 2 for bad usage. Built static
 * with musl-gcc (usr/linuxvm/Makefile).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define US_MAGIC	0x4c555331	/* "LUS1" */
#define US_PORT		9
#define US_MAX_SIZE	65507
#define US_REPLY	0x80

enum us_type {
	US_DATA = 1,
	US_START = 2,
	US_STAT = 3,
	US_BYE = 4,
};

struct us_hdr {
	uint32_t magic;
	uint32_t type;
	uint32_t session;
	uint32_t seq;
};

/* The answer to STAT. */
struct us_stat {
	struct us_hdr hdr;
	uint64_t count;
	uint64_t bytes;
	uint64_t elapsed_ns;	/* first to last DATA of the session */
};

_Static_assert(sizeof(struct us_hdr) == 16, "us_hdr is on the wire");
_Static_assert(sizeof(struct us_stat) == 40, "us_stat is on the wire");

static unsigned char us_buf[US_MAX_SIZE];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t be64(uint64_t v)
{
	return ((uint64_t)htonl(v) << 32) | htonl(v >> 32);
}

static void hdr(struct us_hdr *h, uint32_t type, uint32_t session,
		uint32_t seq)
{
	h->magic = htonl(US_MAGIC);
	h->type = htonl(type);
	h->session = htonl(session);
	h->seq = htonl(seq);
}

static int open_socket(int port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("udpstream: socket");
		exit(1);
	}
	return fd;
}

static int run_recv(int port, int idle_s)
{
	struct { uint64_t count, bytes, first, last; uint32_t session; } s = {0};
	int fd = open_socket(port);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct sockaddr_in from;
	struct us_stat st;
	struct us_hdr h;
	socklen_t flen;
	ssize_t n;

	printf("udpstream: receiver on UDP port %d\n", port);
	for (;;) {
		int r = poll(&pfd, 1, idle_s * 1000);

		if (r == 0) {
			printf("udpstream: receiver: FAIL: idle for %d s\n",
			       idle_s);
			return 1;
		}
		flen = sizeof(from);
		n = recvfrom(fd, us_buf, sizeof(us_buf), 0,
			     (struct sockaddr *)&from, &flen);
		if (n < (ssize_t)sizeof(h))
			continue;
		memcpy(&h, us_buf, sizeof(h));
		if (ntohl(h.magic) != US_MAGIC)
			continue;
		switch (ntohl(h.type)) {
		case US_DATA:
			if (ntohl(h.session) != s.session)
				break;
			s.last = now_ns();
			if (!s.count++)
				s.first = s.last;
			s.bytes += n;
			break;
		case US_START:
			if (ntohl(h.session) != s.session) {
				memset(&s, 0, sizeof(s));
				s.session = ntohl(h.session);
			}
			/* fallthrough */
		case US_BYE:
			hdr(&h, ntohl(h.type) | US_REPLY, ntohl(h.session), 0);
			sendto(fd, &h, sizeof(h), 0, (struct sockaddr *)&from,
			       flen);
			if (ntohl(h.type) == (US_BYE | US_REPLY)) {
				printf("udpstream: receiver: PASS: done\n");
				return 0;
			}
			break;
		case US_STAT:
			hdr(&st.hdr, US_STAT | US_REPLY, s.session, 0);
			st.count = be64(s.count);
			st.bytes = be64(s.bytes);
			st.elapsed_ns = be64(s.last - s.first);
			sendto(fd, &st, sizeof(st), 0, (struct sockaddr *)&from,
			       flen);
			break;
		}
	}
}

/* Send a control datagram until its reply comes (at most WAIT_S s). */
static int ask(int fd, uint32_t type, uint32_t session, int wait_s,
	       struct us_stat *reply)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t end = now_ns() + wait_s * 1000000000ull;
	struct us_hdr h;

	while (now_ns() < end) {
		uint64_t t_end = now_ns() + 200000000ull;

		hdr(&h, type, session, 0);
		send(fd, &h, sizeof(h), 0);
		while (now_ns() < t_end) {
			ssize_t n;

			if (poll(&pfd, 1, 50) <= 0)
				continue;
			n = recv(fd, reply, sizeof(*reply), 0);
			if (n >= (ssize_t)sizeof(h) &&
			    ntohl(reply->hdr.magic) == US_MAGIC &&
			    ntohl(reply->hdr.type) == (type | US_REPLY) &&
			    ntohl(reply->hdr.session) == session)
				return 0;
		}
	}
	return -1;
}

static int run_send(const char *server, int port, long count, int size,
		    int wait_s)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	uint32_t session = (uint32_t)now_ns() | 1;
	uint64_t t0, t1, got, bytes, rx_ns;
	int fd = open_socket(0);
	struct us_stat st;
	long i, busy = 0;
	double loss;

	if (inet_pton(AF_INET, server, &sin.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		fprintf(stderr, "udpstream: bad address '%s'\n", server);
		return 2;
	}
	if (ask(fd, US_START, session, wait_s, &st)) {
		printf("udpstream: sender: FAIL: no answer from %s:%d in "
		       "%d s\n", server, port, wait_s);
		return 1;
	}
	for (i = 0; i < size; i++)
		us_buf[i] = (unsigned char)(i * 7);
	t0 = now_ns();
	for (i = 0; i < count; i++) {
		hdr((struct us_hdr *)us_buf, US_DATA, session, i);
		while (send(fd, us_buf, size, 0) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("udpstream: send");
				return 1;
			}
			busy++;
			usleep(100);
		}
	}
	t1 = now_ns();
	usleep(300000);		/* let the tail arrive */
	if (ask(fd, US_STAT, session, 10, &st)) {
		printf("udpstream: sender: FAIL: no STAT answer\n");
		return 1;
	}
	got = be64(st.count);
	bytes = be64(st.bytes);
	rx_ns = be64(st.elapsed_ns);
	loss = 100.0 * (count - (double)got) / count;
	printf("UDPSTREAM-RESULT size=%d sent=%ld received=%llu loss_pct=%.2f "
	       "send_MBps=%.2f recv_MBps=%.2f send_ms=%.1f recv_ms=%.1f "
	       "busy=%ld\n", size, count, (unsigned long long)got, loss,
	       count * (double)size * 1e3 / (t1 - t0),
	       rx_ns ? bytes * 1e3 / rx_ns : 0.0, (t1 - t0) / 1e6,
	       rx_ns / 1e6, busy);
	if (ask(fd, US_BYE, session, 2, &st))
		printf("udpstream: sender: the receiver did not answer BYE\n");
	return 0;
}

static long num(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < min || v > max) {
		fprintf(stderr, "udpstream: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: udpstream recv [-p PORT] [-t IDLE_S]\n"
		"       udpstream send -s ADDR [-p PORT] [-n COUNT] [-z SIZE] "
		"[-W WAIT_S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *server = NULL;
	int port = US_PORT, size = 1400, wait_s = 30, idle_s = 120, c, is_recv;
	long count = 20000;

	if (argc < 2)
		usage();
	is_recv = !strcmp(argv[1], "recv");
	if (!is_recv && strcmp(argv[1], "send"))
		usage();
	optind = 2;
	while ((c = getopt(argc, argv, "s:p:n:z:W:t:")) != -1) {
		switch (c) {
		case 's': server = optarg; break;
		case 'p': port = num(optarg, 1, 65535); break;
		case 'n': count = num(optarg, 1, 100000000); break;
		case 'z': size = num(optarg, sizeof(struct us_hdr),
				     US_MAX_SIZE); break;
		case 'W': wait_s = num(optarg, 1, 3600); break;
		case 't': idle_s = num(optarg, 1, 86400); break;
		default: usage();
		}
	}
	if (optind != argc || (!is_recv && !server))
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	return is_recv ? run_recv(port, idle_s) : run_send(server, port, count,
							 size, wait_s);
}
