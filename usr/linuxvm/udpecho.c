// SPDX-License-Identifier: GPL-2.0
/*
 * udpecho: UDP echo server and client for the Linux test VMs
 * (Documentation/linux-vms.md). It is the Linux<->Linux baseline of the UDP
 * round-trip benchmark, and the data check of the two-VM network tests.
 *
 *   udpecho server [-p PORT] [-t IDLE_S]
 *   udpecho client -s ADDR [-p PORT] [-n COUNT] [-z SIZE[,SIZE...]]
 *                  [-w WARMUP] [-W WAIT_S] [-T TIMEOUT_MS] [-r RETRIES]
 *
 * Every datagram starts with a struct ue_hdr; the payload after it is a
 * pattern derived from the sequence number, so either side can check a
 * datagram on its own. The server checks each DATA datagram and echoes it
 * back unchanged; the client checks that the echo is byte for byte what it
 * sent. The client first sends PROBEs until the server answers (the peer VM
 * may still be booting), then WARMUP unmeasured rounds, then COUNT measured
 * rounds cycling through the sizes, one datagram in flight at a time. A
 * lost datagram is resent after TIMEOUT_MS, at most RETRIES times. At the
 * end the client sends BYE, which the server echoes before it exits.
 *
 * The client prints one line per size, for scripts to parse:
 *   UDPECHO-RESULT size=64 count=100 min_us=812.3 avg_us=1010.5
 *       median_us=987.1 p99_us=2210.0 max_us=2514.9 resent=0
 * (resent counts the resends of the whole run, all sizes together).
 * Exit status 0 if every round came back intact (client), or if BYE came
 * and no corrupt datagram was seen (server); 1 otherwise; 2 for bad usage.
 *
 * Built static with musl-gcc (usr/linuxvm/Makefile); runs in the busybox
 * initramfs of scripts/linuxvm/mkinitramfs.
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

#define UE_MAGIC	0x4c554531	/* "LUE1" */
#define UE_PORT		7007
#define UE_MAX_SIZE	65507		/* largest UDP payload over IPv4 */
#define UE_MAX_SIZES	32

enum ue_type {
	UE_DATA = 1,
	UE_PROBE = 2,
	UE_BYE = 3,
};

/* All fields in network byte order. */
struct ue_hdr {
	uint32_t magic;
	uint32_t type;
	uint32_t seq;
	uint32_t len;		/* whole datagram, header included */
};

_Static_assert(sizeof(struct ue_hdr) == 16, "ue_hdr is on the wire");

struct ue_opts {
	const char *server;
	int port;
	long count;
	long warmup;
	int sizes[UE_MAX_SIZES];
	int nsizes;
	int wait_s;
	int timeout_ms;
	int retries;
	int idle_s;
};

static unsigned char ue_buf[UE_MAX_SIZE];
static unsigned char ue_rbuf[UE_MAX_SIZE];

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static unsigned char pattern_byte(uint32_t seq, size_t i)
{
	return (unsigned char)(seq * 131 + i * 7 + (i >> 8));
}

/* fill: build a datagram of LEN bytes in BUF. */
static void fill(unsigned char *buf, enum ue_type type, uint32_t seq,
		 size_t len)
{
	struct ue_hdr h = {
		.magic = htonl(UE_MAGIC),
		.type = htonl(type),
		.seq = htonl(seq),
		.len = htonl(len),
	};
	size_t i;

	memcpy(buf, &h, sizeof(h));
	for (i = sizeof(h); i < len; i++)
		buf[i] = pattern_byte(seq, i);
}

/* check: 0 if BUF (N bytes) is a well-formed datagram, else -EBADMSG. */
static int check(const unsigned char *buf, size_t n, struct ue_hdr *h)
{
	size_t i;

	if (n < sizeof(*h))
		return -EBADMSG;
	memcpy(h, buf, sizeof(*h));
	h->magic = ntohl(h->magic);
	h->type = ntohl(h->type);
	h->seq = ntohl(h->seq);
	h->len = ntohl(h->len);
	if (h->magic != UE_MAGIC || h->len != n)
		return -EBADMSG;
	for (i = sizeof(*h); i < n; i++)
		if (buf[i] != pattern_byte(h->seq, i))
			return -EBADMSG;
	return 0;
}

static int open_socket(int port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0) {
		perror("udpecho: socket");
		exit(1);
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("udpecho: bind");
		exit(1);
	}
	return fd;
}

static int run_server(const struct ue_opts *o)
{
	long echoed = 0, bad = 0;
	int fd = open_socket(o->port);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct sockaddr_in from;
	socklen_t flen;
	struct ue_hdr h;
	ssize_t n;

	printf("udpecho: server listening on UDP port %d\n", o->port);
	fflush(stdout);
	for (;;) {
		int r = poll(&pfd, 1, o->idle_s * 1000);

		if (r == 0) {
			printf("udpecho: server: FAIL: nothing received for "
			       "%d s (echoed %ld, corrupt %ld)\n",
			       o->idle_s, echoed, bad);
			return 1;
		}
		if (r < 0 && errno == EINTR)
			continue;
		flen = sizeof(from);
		n = recvfrom(fd, ue_rbuf, sizeof(ue_rbuf), 0,
			     (struct sockaddr *)&from, &flen);
		if (n < 0)
			continue;
		if (check(ue_rbuf, n, &h) < 0) {
			if (!bad++)
				printf("udpecho: server: corrupt datagram of "
				       "%zd bytes from %s\n", n,
				       inet_ntoa(from.sin_addr));
			continue;
		}
		sendto(fd, ue_rbuf, n, 0, (struct sockaddr *)&from, flen);
		if (h.type == UE_DATA)
			echoed++;
		if (h.type == UE_BYE)
			break;
	}
	printf("udpecho: server: %s: echoed %ld datagrams, %ld corrupt\n",
	       bad ? "FAIL" : "PASS", echoed, bad);
	return bad ? 1 : 0;
}

/*
 * round_trip: send a datagram of TYPE/SEQ/LEN and wait for its intact echo.
 * Returns the RTT in microseconds of the send that was answered, or -1 after
 * RETRIES resends. Echoes of other sequence numbers (late replies to an
 * earlier resend) are skipped; a corrupt echo is a hard error.
 */
static double round_trip(int fd, enum ue_type type, uint32_t seq, size_t len,
			 int timeout_ms, int retries, long *resent)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int attempt;

	fill(ue_buf, type, seq, len);
	for (attempt = 0; attempt <= retries; attempt++) {
		double t0 = now_us(), deadline = t0 + timeout_ms * 1e3, t;

		if (attempt)
			(*resent)++;
		if (send(fd, ue_buf, len, 0) < 0 && errno != ECONNREFUSED)
			perror("udpecho: send");
		while ((t = now_us()) < deadline) {
			int wait_ms = (int)((deadline - t) / 1e3) + 1;
			ssize_t n;

			if (poll(&pfd, 1, wait_ms) <= 0)
				continue;
			n = recv(fd, ue_rbuf, sizeof(ue_rbuf), 0);
			t = now_us();
			if (n < 0)
				continue;	/* ICMP unreachable: not up yet */
			if (n >= 12 && memcmp(ue_rbuf + 8, ue_buf + 8, 4))
				continue;	/* an older sequence number */
			if ((size_t)n != len || memcmp(ue_rbuf, ue_buf, len)) {
				printf("udpecho: client: FAIL: the echo of seq "
				       "%u (%zu bytes) came back altered (%zd "
				       "bytes)\n", seq, len, n);
				exit(1);
			}
			return t - t0;
		}
	}
	return -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(int size, double *rtt, long n, long resent)
{
	double sum = 0;
	long i;

	if (!n)
		return;
	qsort(rtt, n, sizeof(*rtt), cmp_double);
	for (i = 0; i < n; i++)
		sum += rtt[i];
	printf("UDPECHO-RESULT size=%d count=%ld min_us=%.1f avg_us=%.1f "
	       "median_us=%.1f p99_us=%.1f max_us=%.1f resent=%ld\n", size, n,
	       rtt[0], sum / n, n % 2 ? rtt[n / 2] :
	       (rtt[n / 2 - 1] + rtt[n / 2]) / 2, rtt[(n * 99 - 1) / 100],
	       rtt[n - 1], resent);
}

static int connect_server(const struct ue_opts *o)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(o->port),
	};
	int fd = open_socket(0);

	if (inet_pton(AF_INET, o->server, &sin.sin_addr) != 1) {
		fprintf(stderr, "udpecho: bad server address '%s'\n",
			o->server);
		exit(2);
	}
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("udpecho: connect");
		exit(1);
	}
	return fd;
}

static int run_client(const struct ue_opts *o)
{
	int fd = connect_server(o), s;
	long i, resent = 0, total_resent = 0;
	double *rtt[UE_MAX_SIZES], t0 = now_us(), r;
	long got[UE_MAX_SIZES] = { 0 };
	uint32_t seq = 1;

	/* Wait for the server: one probe every 200 ms for WAIT_S seconds. */
	if (round_trip(fd, UE_PROBE, seq++, sizeof(struct ue_hdr), 200,
		       o->wait_s * 5, &resent) < 0) {
		printf("udpecho: client: FAIL: no answer from %s:%d in %d s\n",
		       o->server, o->port, o->wait_s);
		return 1;
	}
	printf("udpecho: client: server %s:%d answered after %.0f ms\n",
	       o->server, o->port, (now_us() - t0) / 1e3);
	for (i = 0; i < o->warmup; i++)
		round_trip(fd, UE_DATA, seq++, o->sizes[i % o->nsizes],
			   o->timeout_ms, o->retries, &resent);

	for (s = 0; s < o->nsizes; s++) {
		rtt[s] = calloc(o->count / o->nsizes + 1, sizeof(double));
		if (!rtt[s]) {
			perror("udpecho: calloc");
			return 1;
		}
	}
	for (i = 0; i < o->count; i++) {
		s = i % o->nsizes;
		r = round_trip(fd, UE_DATA, seq++, o->sizes[s],
			       o->timeout_ms, o->retries, &total_resent);
		if (r < 0) {
			printf("udpecho: client: FAIL: datagram %ld (%d bytes) "
			       "lost %d times\n", i, o->sizes[s],
			       o->retries + 1);
			return 1;
		}
		rtt[s][got[s]++] = r;
	}
	for (s = 0; s < o->nsizes; s++) {
		report(o->sizes[s], rtt[s], got[s], total_resent);
		free(rtt[s]);
	}
	printf("udpecho: client: PASS: %ld datagrams echoed intact, "
	       "%ld resent\n", o->count, total_resent);

	/* Let the server go; it may be gone already, so this cannot fail. */
	if (round_trip(fd, UE_BYE, seq++, sizeof(struct ue_hdr), 300, 3,
		       &resent) < 0)
		printf("udpecho: client: the server did not answer BYE\n");
	return 0;
}

static int parse_sizes(struct ue_opts *o, char *arg)
{
	char *tok, *end;

	o->nsizes = 0;
	for (tok = strtok(arg, ","); tok; tok = strtok(NULL, ",")) {
		long v = strtol(tok, &end, 10);

		if (*end || v < (long)sizeof(struct ue_hdr) ||
		    v > UE_MAX_SIZE || o->nsizes == UE_MAX_SIZES)
			return -1;
		o->sizes[o->nsizes++] = v;
	}
	return o->nsizes ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: udpecho server [-p PORT] [-t IDLE_S]\n"
		"       udpecho client -s ADDR [-p PORT] [-n COUNT] "
		"[-z SIZE[,SIZE...]] [-w WARMUP]\n"
		"                      [-W WAIT_S] [-T TIMEOUT_MS] "
		"[-r RETRIES]\n"
		"sizes are %zu..%d bytes (the datagram, header included)\n",
		sizeof(struct ue_hdr), UE_MAX_SIZE);
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
	struct ue_opts o = {
		.port = UE_PORT, .count = 100, .warmup = 10,
		.sizes = { 64 }, .nsizes = 1, .wait_s = 30,
		.timeout_ms = 500, .retries = 10, .idle_s = 120,
	};
	int server, c;

	if (argc < 2)
		usage();
	server = !strcmp(argv[1], "server");
	if (!server && strcmp(argv[1], "client"))
		usage();
	optind = 2;
	while ((c = getopt(argc, argv, "s:p:n:z:w:W:T:r:t:")) != -1) {
		switch (c) {
		case 's': o.server = optarg; break;
		case 'p': o.port = num(optarg, 1, 65535); break;
		case 'n': o.count = num(optarg, 1, 10000000); break;
		case 'z':
			if (parse_sizes(&o, optarg) < 0)
				usage();
			break;
		case 'w': o.warmup = num(optarg, 0, 1000000); break;
		case 'W': o.wait_s = num(optarg, 1, 3600); break;
		case 'T': o.timeout_ms = num(optarg, 1, 60000); break;
		case 'r': o.retries = num(optarg, 0, 1000); break;
		case 't': o.idle_s = num(optarg, 1, 3600); break;
		default: usage();
		}
	}
	if (optind != argc || (!server && !o.server))
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	return server ? run_server(&o) : run_client(&o);
}
