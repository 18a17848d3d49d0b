// SPDX-License-Identifier: GPL-2.0
/*
 * udpecho: UDP echo server and client for the Linux test VMs
 * (Documentation/linux-vms.md). It is the Linux<->Linux baseline of the UDP
 * round-trip benchmark (bench/udp) and of the FIT benchmark (bench/fit),
 * and the data check of the two-VM network tests.
 *
 *   udpecho server [-p PORT] [-t IDLE_S]
 *   udpecho client -s ADDR [-p PORT] [-n COUNT] [-z SIZE[,SIZE...]]
 *                  [-w WARMUP] [-W WAIT_S] [-T TIMEOUT_MS] [-r RETRIES]
 *                  [-R REPLY] [-d SECS [-j THREADS]] [-k]
 *
 * Every request starts with a struct ue_hdr; the payload after it is a
 * pattern derived from the sequence number, so either side can check a
 * datagram on its own. The server checks each request and answers it: a
 * DATA datagram is echoed back unchanged; a SIZED one (the client's -R)
 * carries the size of the answer it wants right after the header (a
 * 32-bit field in network byte order, then the pattern) and gets REPLY
 * bytes: the sequence number (32 bits, network byte order), then the fixed
 * pattern of reply_byte(), which the server keeps ready as FIT's
 * FIT_OP_BLOB handler does. The client checks that every answer is byte
 * for byte what it expects.
 *
 * The client first sends PROBEs until the server answers (the peer VM may
 * still be booting), then WARMUP unmeasured rounds, then either COUNT
 * measured rounds cycling through the sizes, one datagram in flight at a
 * time, or (-d) rounds back to back for SECS seconds from each of THREADS
 * threads, each with its own socket. A lost datagram is resent after
 * TIMEOUT_MS, at most RETRIES times. At the end the client sends BYE,
 * which the server echoes before it exits; -k leaves the server running.
 *
 * The client prints one line per size, or one for the rate, for scripts
 * to parse (reply= only with -R):
 *   UDPECHO-RESULT size=64 [reply=4] count=100 min_us=812.3 avg_us=1010.5
 *       median_us=987.1 p99_us=2210.0 max_us=2514.9 resent=0
 *   UDPECHO-RATE size=32 [reply=4] threads=4 calls=8120 secs=5.001
 *       per_s=1623.7 resent=0
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
#include <pthread.h>
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
#define UE_MAX_THREADS	64

enum ue_type {
	UE_DATA = 1,
	UE_PROBE = 2,
	UE_BYE = 3,
	UE_SIZED = 4,		/* answered with a reply of the size asked */
};

/* All fields in network byte order. */
struct ue_hdr {
	uint32_t magic;
	uint32_t type;
	uint32_t seq;
	uint32_t len;		/* whole datagram, header included */
};

_Static_assert(sizeof(struct ue_hdr) == 16, "ue_hdr is on the wire");

/* A SIZED request: the header, the reply size wanted, then the pattern. */
#define UE_SIZED_HLEN	(sizeof(struct ue_hdr) + sizeof(uint32_t))

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
	int reply;		/* -R: SIZED requests for this size; 0: echo */
	int secs;		/* -d: measure the rate for this long */
	int threads;		/* -j */
	int keep;		/* -k: no BYE */
};

/* One requester: its socket, buffers and counters. */
struct ue_client {
	const struct ue_opts *o;
	int fd;
	uint32_t seq;
	long resent;
	long calls;		/* rate mode */
	int failed;		/* rate mode: a round was lost */
	double deadline;	/* rate mode, in now_us() */
	unsigned char *buf;	/* the request */
	unsigned char *rbuf;	/* what came back */
	unsigned char *want;	/* the SIZED reply expected */
	pthread_t thread;
};

static unsigned char srv_buf[UE_MAX_SIZE];
static unsigned char srv_reply[UE_MAX_SIZE];

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

/* Byte I (>= 4) of every SIZED reply. */
static unsigned char reply_byte(size_t i)
{
	return (unsigned char)(i * 13 + (i >> 8) + 0x5a);
}

static size_t payload_offset(enum ue_type type)
{
	return type == UE_SIZED ? UE_SIZED_HLEN : sizeof(struct ue_hdr);
}

/* fill: build a request of LEN bytes in BUF (REPLY: for UE_SIZED). */
static void fill(unsigned char *buf, enum ue_type type, uint32_t seq,
		 size_t len, uint32_t reply)
{
	struct ue_hdr h = {
		.magic = htonl(UE_MAGIC),
		.type = htonl(type),
		.seq = htonl(seq),
		.len = htonl(len),
	};
	size_t i;

	memcpy(buf, &h, sizeof(h));
	if (type == UE_SIZED) {
		reply = htonl(reply);
		memcpy(buf + sizeof(h), &reply, sizeof(reply));
	}
	for (i = payload_offset(type); i < len; i++)
		buf[i] = pattern_byte(seq, i);
}

/* fill_reply: the first LEN bytes of a SIZED reply, but its seq. */
static void fill_reply(unsigned char *buf, size_t len)
{
	size_t i;

	memset(buf, 0, len < 4 ? len : 4);
	for (i = 4; i < len; i++)
		buf[i] = reply_byte(i);
}

/*
 * check: 0 if BUF (N bytes) is a well-formed request, else -EBADMSG. For
 * a SIZED request *REPLY is the reply size it asks for.
 */
static int check(const unsigned char *buf, size_t n, struct ue_hdr *h,
		 uint32_t *reply)
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
	if (h->type == UE_SIZED) {
		if (n < UE_SIZED_HLEN)
			return -EBADMSG;
		memcpy(reply, buf + sizeof(*h), sizeof(*reply));
		*reply = ntohl(*reply);
		if (*reply > UE_MAX_SIZE)
			return -EBADMSG;
	}
	for (i = payload_offset(h->type); i < n; i++)
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

/* answer: the server's answer to the request in srv_buf. */
static void answer(int fd, const struct ue_hdr *h, uint32_t reply, ssize_t n,
		   const struct sockaddr_in *from, socklen_t flen)
{
	uint32_t seq = htonl(h->seq);

	if (h->type != UE_SIZED) {
		sendto(fd, srv_buf, n, 0, (const struct sockaddr *)from, flen);
		return;
	}
	memcpy(srv_reply, &seq, reply < 4 ? reply : 4);
	sendto(fd, srv_reply, reply, 0, (const struct sockaddr *)from, flen);
}

static int run_server(const struct ue_opts *o)
{
	long echoed = 0, bad = 0;
	int fd = open_socket(o->port);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct sockaddr_in from;
	socklen_t flen;
	struct ue_hdr h;
	uint32_t reply = 0;
	ssize_t n;

	fill_reply(srv_reply, sizeof(srv_reply));
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
		n = recvfrom(fd, srv_buf, sizeof(srv_buf), 0,
			     (struct sockaddr *)&from, &flen);
		if (n < 0)
			continue;
		if (check(srv_buf, n, &h, &reply) < 0) {
			if (!bad++)
				printf("udpecho: server: corrupt datagram of "
				       "%zd bytes from %s\n", n,
				       inet_ntoa(from.sin_addr));
			continue;
		}
		answer(fd, &h, reply, n, &from, flen);
		if (h.type == UE_DATA || h.type == UE_SIZED)
			echoed++;
		if (h.type == UE_BYE)
			break;
	}
	printf("udpecho: server: %s: echoed %ld datagrams, %ld corrupt\n",
	       bad ? "FAIL" : "PASS", echoed, bad);
	return bad ? 1 : 0;
}

/*
 * stale: is what came back (N bytes in rbuf) the answer to an earlier
 * round (a resend's late twin), to be skipped? A SIZED reply starts with
 * its sequence number, an echo has it at offset 8; with -R, a datagram
 * without the magic cannot be an echo of a PROBE or BYE.
 */
static int stale(const struct ue_client *c, enum ue_type type, uint32_t seq,
		 ssize_t n)
{
	uint32_t be = htonl(seq), magic = htonl(UE_MAGIC);

	if (type == UE_SIZED)
		return n >= 4 && memcmp(c->rbuf, &be, 4);
	if (c->o->reply && (n < (ssize_t)sizeof(struct ue_hdr) ||
			    memcmp(c->rbuf, &magic, 4)))
		return 1;
	return n >= 12 && memcmp(c->rbuf + 8, &be, 4);
}

/* intact: is the answer (N bytes in rbuf) what TYPE/SEQ/LEN asked for? */
static int intact(struct ue_client *c, enum ue_type type, uint32_t seq,
		  size_t len, ssize_t n)
{
	uint32_t be = htonl(seq);
	size_t want = type == UE_SIZED ? (size_t)c->o->reply : len;

	if ((size_t)n != want)
		return 0;
	if (type != UE_SIZED)
		return !memcmp(c->rbuf, c->buf, len);
	memcpy(c->want, &be, want < 4 ? want : 4);
	return !memcmp(c->rbuf, c->want, want);
}

/*
 * round_trip: send a request of TYPE/LEN with the client's next sequence
 * number and wait for its intact answer. Returns the RTT in microseconds
 * of the send that was answered, or -1 after RETRIES resends. Answers to
 * other sequence numbers (late replies to an earlier resend) are skipped;
 * a corrupt answer is a hard error.
 */
static double round_trip(struct ue_client *c, enum ue_type type, size_t len,
			 int timeout_ms, int retries)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	uint32_t seq = c->seq++;
	int attempt;

	fill(c->buf, type, seq, len, c->o->reply);
	for (attempt = 0; attempt <= retries; attempt++) {
		double t0 = now_us(), deadline = t0 + timeout_ms * 1e3, t;

		if (attempt)
			c->resent++;
		if (send(c->fd, c->buf, len, 0) < 0 && errno != ECONNREFUSED)
			perror("udpecho: send");
		while ((t = now_us()) < deadline) {
			int wait_ms = (int)((deadline - t) / 1e3) + 1;
			ssize_t n;

			if (poll(&pfd, 1, wait_ms) <= 0)
				continue;
			n = recv(c->fd, c->rbuf, UE_MAX_SIZE, 0);
			t = now_us();
			if (n < 0)
				continue;	/* ICMP unreachable: not up yet */
			if (stale(c, type, seq, n))
				continue;
			if (!intact(c, type, seq, len, n)) {
				printf("udpecho: client: FAIL: the answer to "
				       "seq %u (%zu bytes) came back altered "
				       "(%zd bytes)\n", seq, len, n);
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

static void report(const struct ue_opts *o, int size, double *rtt, long n,
		   long resent)
{
	char reply[32] = "";
	double sum = 0;
	long i;

	if (!n)
		return;
	if (o->reply)
		snprintf(reply, sizeof(reply), " reply=%d", o->reply);
	qsort(rtt, n, sizeof(*rtt), cmp_double);
	for (i = 0; i < n; i++)
		sum += rtt[i];
	printf("UDPECHO-RESULT size=%d%s count=%ld min_us=%.1f avg_us=%.1f "
	       "median_us=%.1f p99_us=%.1f max_us=%.1f resent=%ld\n", size,
	       reply, n, rtt[0], sum / n, n % 2 ? rtt[n / 2] :
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

static void client_init(struct ue_client *c, const struct ue_opts *o)
{
	memset(c, 0, sizeof(*c));
	c->o = o;
	c->fd = connect_server(o);
	c->seq = 1;
	c->buf = malloc(UE_MAX_SIZE);
	c->rbuf = malloc(UE_MAX_SIZE);
	c->want = malloc(UE_MAX_SIZE);
	if (!c->buf || !c->rbuf || !c->want) {
		perror("udpecho: malloc");
		exit(1);
	}
	fill_reply(c->want, UE_MAX_SIZE);
}

static enum ue_type data_type(const struct ue_opts *o)
{
	return o->reply ? UE_SIZED : UE_DATA;
}

/* COUNT rounds, one in flight, cycling through the sizes. */
static int run_rounds(struct ue_client *c)
{
	const struct ue_opts *o = c->o;
	double *rtt[UE_MAX_SIZES], r;
	long got[UE_MAX_SIZES] = { 0 }, i, resent = c->resent;
	int s;

	for (s = 0; s < o->nsizes; s++) {
		rtt[s] = calloc(o->count / o->nsizes + 1, sizeof(double));
		if (!rtt[s]) {
			perror("udpecho: calloc");
			return 1;
		}
	}
	for (i = 0; i < o->count; i++) {
		s = i % o->nsizes;
		r = round_trip(c, data_type(o), o->sizes[s], o->timeout_ms,
			       o->retries);
		if (r < 0) {
			printf("udpecho: client: FAIL: datagram %ld (%d bytes) "
			       "lost %d times\n", i, o->sizes[s],
			       o->retries + 1);
			return 1;
		}
		rtt[s][got[s]++] = r;
	}
	for (s = 0; s < o->nsizes; s++) {
		report(o, o->sizes[s], rtt[s], got[s], c->resent - resent);
		free(rtt[s]);
	}
	printf("udpecho: client: PASS: %ld datagrams %s intact, %ld resent\n",
	       o->count, o->reply ? "answered" : "echoed", c->resent - resent);
	return 0;
}

static void *rate_thread(void *arg)
{
	struct ue_client *c = arg;

	while (now_us() < c->deadline) {
		if (round_trip(c, data_type(c->o), c->o->sizes[0],
			       c->o->timeout_ms, c->o->retries) < 0) {
			c->failed = 1;
			break;
		}
		c->calls++;
	}
	return NULL;
}

/* THREADS requesters, each on its own socket, back to back for SECS. */
static int run_rate(const struct ue_opts *o)
{
	static struct ue_client c[UE_MAX_THREADS];
	double t0 = now_us(), el;
	long calls = 0, resent = 0;
	char reply[32] = "";
	int i, failed = 0;

	for (i = 0; i < o->threads; i++) {
		client_init(&c[i], o);
		c[i].deadline = t0 + o->secs * 1e6;
	}
	for (i = 0; i < o->threads; i++) {
		if (pthread_create(&c[i].thread, NULL, rate_thread, &c[i])) {
			perror("udpecho: pthread_create");
			exit(1);
		}
	}
	for (i = 0; i < o->threads; i++) {
		pthread_join(c[i].thread, NULL);
		calls += c[i].calls;
		resent += c[i].resent;
		failed |= c[i].failed;
	}
	el = (now_us() - t0) / 1e6;
	if (failed) {
		printf("udpecho: client: FAIL: a datagram was lost %d times\n",
		       o->retries + 1);
		return 1;
	}
	if (o->reply)
		snprintf(reply, sizeof(reply), " reply=%d", o->reply);
	printf("UDPECHO-RATE size=%d%s threads=%d calls=%ld secs=%.3f "
	       "per_s=%.1f resent=%ld\n", o->sizes[0], reply, o->threads,
	       calls, el, calls / el, resent);
	printf("udpecho: client: PASS: %ld datagrams %s intact, %ld resent\n",
	       calls, o->reply ? "answered" : "echoed", resent);
	return 0;
}

static int run_client(const struct ue_opts *o)
{
	struct ue_client c;
	double t0 = now_us();
	long i;
	int ret;

	client_init(&c, o);
	/* Wait for the server: one probe every 200 ms for WAIT_S seconds. */
	if (round_trip(&c, UE_PROBE, sizeof(struct ue_hdr), 200,
		       o->wait_s * 5) < 0) {
		printf("udpecho: client: FAIL: no answer from %s:%d in %d s\n",
		       o->server, o->port, o->wait_s);
		return 1;
	}
	printf("udpecho: client: server %s:%d answered after %.0f ms\n",
	       o->server, o->port, (now_us() - t0) / 1e3);
	for (i = 0; i < o->warmup; i++)
		round_trip(&c, data_type(o), o->sizes[i % o->nsizes],
			   o->timeout_ms, o->retries);
	c.resent = 0;

	ret = o->secs ? run_rate(o) : run_rounds(&c);
	if (ret || o->keep)
		return ret;
	/* Let the server go; it may be gone already, so this cannot fail. */
	if (round_trip(&c, UE_BYE, sizeof(struct ue_hdr), 300, 3) < 0)
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
		"[-r RETRIES] [-R REPLY]\n"
		"                      [-d SECS [-j THREADS]] [-k]\n"
		"sizes are %zu..%d bytes (the datagram, header included; "
		"%zu with -R),\n"
		"REPLY 4..%d bytes, THREADS 1..%d\n",
		sizeof(struct ue_hdr), UE_MAX_SIZE, UE_SIZED_HLEN,
		UE_MAX_SIZE, UE_MAX_THREADS);
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

/* Combinations getopt cannot see. */
static void check_opts(const struct ue_opts *o, int server)
{
	int s;

	if (server)
		return;
	if (!o->server || (o->threads > 1 && !o->secs) ||
	    (o->secs && o->nsizes != 1))
		usage();
	for (s = 0; o->reply && s < o->nsizes; s++)
		if (o->sizes[s] < (int)UE_SIZED_HLEN)
			usage();
}

int main(int argc, char **argv)
{
	struct ue_opts o = {
		.port = UE_PORT, .count = 100, .warmup = 10,
		.sizes = { 64 }, .nsizes = 1, .wait_s = 30,
		.timeout_ms = 500, .retries = 10, .idle_s = 120,
		.threads = 1,
	};
	int server, c;

	if (argc < 2)
		usage();
	server = !strcmp(argv[1], "server");
	if (!server && strcmp(argv[1], "client"))
		usage();
	optind = 2;
	while ((c = getopt(argc, argv, "s:p:n:z:w:W:T:r:t:R:d:j:k")) != -1) {
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
		case 'R': o.reply = num(optarg, 4, UE_MAX_SIZE); break;
		case 'd': o.secs = num(optarg, 1, 3600); break;
		case 'j': o.threads = num(optarg, 1, UE_MAX_THREADS); break;
		case 'k': o.keep = 1; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	check_opts(&o, server);
	setvbuf(stdout, NULL, _IOLBF, 0);
	return server ? run_server(&o) : run_client(&o);
}
