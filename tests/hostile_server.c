/*
 * Hostile and broken TCP servers for the scanner's tests and benchmarks:
 * one listening port (or COUNT ports) per behaviour, on 127.0.0.1 unless
 * --addrs says otherwise, served by one epoll loop that exits after
 * --lifetime seconds.
 *
 *   hostile_server --lifetime SECONDS [--delay MS] [--max-conns N]
 *                  [--base PORT] [--addrs A.B.C.D:N | --ipv6]
 *                  [--payload FILE] BEHAVIOUR[=PORT|:COUNT]...
 *
 * --payload may be given more than once: each applies to the trickle2ms
 * ports named after it, up to the next one.
 *
 * Without =PORT the kernel picks a free port (no race with other users
 * of the machine), or with --base the next free one from PORT up, ports in
 * use skipped; :COUNT listens on COUNT such ports.  Once every port
 * listens, one line per behaviour goes to stdout, "BEHAVIOUR PORT[,...]"
 * (runs of ports as LO-HI), then "ready".  --addrs listens on each of
 * those ports on N consecutive addresses of 127.0.0.0/8 from A.B.C.D
 * instead of 127.0.0.1 (a line "addrs A.B.C.D N" before "ready"); --ipv6
 * on ::1 instead.  At
 * exit (lifetime over, SIGTERM or SIGINT) a last line gives the
 * connections accepted, the most open at once, those refused, the TLS
 * handshakes completed and the renegotiation requests and KeyUpdates sent.
 *
 * Behaviours (what the server does on each accepted connection):
 *   banner      sends an OpenSSH banner at once, then reads and discards
 *   latebanner  the same banner after --delay MS (default 5000)
 *   endless     writes random bytes as fast as the peer reads, forever
 *   linestream  the same, after a line that only GenericLines' fallback
 *               chain in Nmap's probes names (a service that streams
 *               after its greeting)
 *   trickle     one byte per second, forever
 *   trickle2ms  the bytes of --payload FILE (at most 64 KiB), one every
 *               2 ms, then nothing; reads and discards
 *   reset       closes with an RST at once
 *   resetprobe  reads the probe, then closes with an RST
 *   blackhole   never reads or writes; closes when the peer does
 *   garbage     1 MiB of random bytes, then closes
 *   tlsjunk     answers any data with a TLS handshake record header
 *               announcing 16 KB, then 512 random bytes
 *   halfclose   shuts its side down at once (FIN), keeps reading
 *   slow4k      4096 bytes in 128-byte pieces every 100 ms, then 100
 *               more bytes a second later, then nothing
 *   onebyone    one connection at a time (another gets an RST at once);
 *               answers "GET / HTTP/1.0" as nginx does, nothing else
 *   evilbanner  an OpenSSH banner whose Debian revision, which the match
 *               lines copy into the version, holds terminal escapes
 *               (ESC ] 0;pwned BEL sets a terminal's title), other control
 *               bytes and bytes >= 0x80; then reads and discards
 *   udpsink     a UDP port that reads every datagram and never answers
 *               (a DNS server that is down without refusing)
 *   answerbanner  the OpenSSH banner in answer to the first bytes it reads,
 *               whatever they are (a plain service on a port whose table
 *               name is a TLS one answers the TLS hello so)
 *
 * TLS behaviours (tests/hostile_tls.h, self-signed EC certificates made
 * at start):
 *   tlshttp     a normal TLS service: answers "GET / HTTP/1.0" as nginx
 *               does, with close_notify
 *   tlslatebanner  the OpenSSH banner through TLS, --delay MS after the
 *               handshake
 *   tlsgarbage  its ServerHello record, then 16 KB of random bytes
 *   tlsstall    the first half of its first flight, then nothing
 *   tlsrenego   TLS 1.2 at most: a renegotiation request (HelloRequest)
 *               every tick the client is not renegotiating; as tlshttp
 *   tlskeyupdate  TLS 1.3 only: 8 KeyUpdates every tick while less than
 *               4 KB waits for the client; as tlshttp
 *   tlsbigcert  a chain of 64 certificates of 16 KB each; as tlshttp
 *   tlssplit    as tlshttp, one byte a write (TCP_NODELAY): a segment each
 *   tlsnonotify answers GET / with half of a 2 KB body, then closes
 *               without close_notify
 *
 * Every loop is bounded: the main loop by the lifetime, each inner loop
 * by a count.  Only addresses of 127.0.0.0/8 are ever bound.
 */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hostile_texts.h"
#include "hostile_tls.h"

enum behaviour {
	B_BANNER, B_LATEBANNER, B_ENDLESS, B_LINESTREAM, B_TRICKLE, B_TRICKLE2MS, B_RESET,
	B_RESETPROBE, B_BLACKHOLE, B_GARBAGE, B_TLSJUNK, B_HALFCLOSE, B_SLOW4K, B_ONEBYONE,
	B_EVILBANNER, B_UDPSINK, B_ANSWERBANNER,
	/* In the order of enum tls_kind. */
	B_TLSHTTP, B_TLSLATEBANNER, B_TLSGARBAGE, B_TLSSTALL, B_TLSRENEGO, B_TLSKEYUPDATE,
	B_TLSBIGCERT, B_TLSSPLIT, B_TLSNONOTIFY,
	B_COUNT
};

static const char *const names[B_COUNT] = {
	"banner", "latebanner", "endless", "linestream", "trickle", "trickle2ms", "reset",
	"resetprobe", "blackhole", "garbage", "tlsjunk", "halfclose", "slow4k", "onebyone",
	"evilbanner", "udpsink", "answerbanner",
	"tlshttp", "tlslatebanner", "tlsgarbage", "tlsstall", "tlsrenego", "tlskeyupdate",
	"tlsbigcert", "tlssplit", "tlsnonotify",
};

static bool is_tls(enum behaviour b)
{
	return b >= B_TLSHTTP;
}

/* No space, CR or LF inside the revision: both signature sets' lines take
 * it whole (Nmap's [^\r\n]+, our own \S+); the NUL ends the C string the
 * version is rendered into. */
static const char EVIL_BANNER[] = "SSH-2.0-OpenSSH_9.2p1 Debian-\x1b]0;pwned\x07\x1b[2J"
	"\x9b" "31m\x80\xff\x7f\b\x00" "after-nul\r\n";
/* Named by a GenericLines match line of nmap-service-probes (banner-ivu),
 * by none of the NULL probe's. */
static const char STREAM_LINE[] = "ERROR 10000_EMPTY_FRAME_RECEIVED\r\n";

enum {
	TICK_MS = 20,               /* granularity of timed sends */
	DRIP_EVERY_MS = 2,          /* trickle2ms's; its tick when it is served */
	PAYLOAD_MAX = 1 << 16,
	MAX_PORTS = 65536,
	ACCEPT_BURST = 64,          /* accepts per wakeup per listener */
	WRITE_BURST = 8,            /* writes per wakeup per connection */
	SEGMENT_BURST = 64,         /* TLS: writes per wakeup per connection */
	CHUNK = 16384,
	GARBAGE_LEN = 1 << 20,
	SLOW_TOTAL = 4096, SLOW_PIECE = 128, SLOW_EVERY_MS = 100,
	SLOW_TAIL = 100, SLOW_TAIL_AFTER_MS = 1000,
	TLS_JUNK_LEN = 512
};

/* Per descriptor: a listener, a connection, or nothing. */
struct slot {
	enum { S_FREE, S_LISTEN, S_CONN } kind;
	enum behaviour b;
	uint64_t next_at;           /* timed behaviours: when to act next (0: never) */
	size_t sent;                /* bytes written so far */
	bool answered;              /* tlsjunk, answerbanner: has answered */
	int peer;                   /* onebyone: a listener's connection, a connection's listener; -1 */
	uint64_t rng;               /* its random bytes so far */
	const struct payload *payload; /* trickle2ms */
	struct tls_peer *tls;       /* TLS behaviours: the server's end */
};

static struct slot *slots;
static int nslots;
static int top_fd;              /* highest descriptor in use, for on_tick */
static int epfd;
static unsigned open_conns, peak_conns, max_conns = 4096;
static unsigned long long accepted, refused;
static uint64_t delay_ms = 5000;
/* trickle2ms's bytes, one set per --payload. */
struct payload {
	unsigned char *bytes;
	size_t len;
};
enum { MAX_PAYLOADS = 4 };
static struct payload payloads[MAX_PAYLOADS];
static int npayloads;
static volatile sig_atomic_t stopping;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* xorshift64 from *state: every connection of a behaviour gets the same
 * bytes, so that a scan's results do not change from run to run. */
static void fill_random(uint64_t *state, unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		*state ^= *state << 13;
		*state ^= *state >> 7;
		*state ^= *state << 17;
		buf[i] = (unsigned char)*state;
	}
}

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void watch(int fd, uint32_t events, int op)
{
	struct epoll_event ee = { .events = events, .data.fd = fd };

	if (epoll_ctl(epfd, op, fd, &ee) < 0)
		fprintf(stderr, "hostile_server: epoll_ctl(%d): %s\n", fd, strerror(errno));
}

/* close() will then send an RST instead of a FIN. */
static void linger_zero(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

static void drop(int fd, bool rst)
{
	if (rst)
		linger_zero(fd);
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
	tls_peer_free(slots[fd].tls);
	slots[fd].tls = NULL;
	if (slots[fd].peer >= 0)
		slots[slots[fd].peer].peer = -1;
	slots[fd].kind = S_FREE;
	open_conns--;
}

/* Writes; false when the connection is gone (closed here). */
static bool send_bytes(int fd, const void *buf, size_t len)
{
	ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n < 0) {
		drop(fd, false);
		return false;
	}
	slots[fd].sent += (size_t)n;
	return true;
}

static void start_conn(int fd, const struct slot *listener, uint64_t now)
{
	struct slot *s = &slots[fd];
	enum behaviour b = listener->b;
	uint32_t ev = EPOLLIN | EPOLLRDHUP;

	*s = (struct slot){ .kind = S_CONN, .b = b, .peer = -1, .rng = 0x9e3779b97f4a7c15u + b,
			    .payload = listener->payload };
	if (fd > top_fd)
		top_fd = fd;
	open_conns++;
	if (open_conns > peak_conns)
		peak_conns = open_conns;
	if (b == B_ENDLESS || b == B_LINESTREAM || b == B_GARBAGE)
		ev |= EPOLLOUT;
	else if (b == B_BLACKHOLE)
		ev = EPOLLRDHUP; /* hang-ups only: never a byte read */
	/* Watched first: what follows may drop the connection. */
	watch(fd, ev, EPOLL_CTL_ADD);
	if (is_tls(b)) {
		int one = 1;

		s->tls = tls_peer_new((enum tls_kind)(b - B_TLSHTTP), delay_ms);
		if (!s->tls)
			drop(fd, true);
		else if (b == B_TLSSPLIT)
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		return;
	}
	switch (b) {
	case B_BANNER:
		send_bytes(fd, BANNER, sizeof BANNER - 1);
		break;
	case B_EVILBANNER:
		send_bytes(fd, EVIL_BANNER, sizeof EVIL_BANNER - 1);
		break;
	case B_LATEBANNER:
		s->next_at = now + delay_ms;
		break;
	case B_TRICKLE:
		s->next_at = now + 1000;
		send_bytes(fd, "t", 1);
		break;
	case B_TRICKLE2MS:
		s->next_at = now + DRIP_EVERY_MS;
		send_bytes(fd, s->payload->bytes, 1);
		break;
	case B_RESET:
		drop(fd, true);
		break;
	case B_HALFCLOSE:
		shutdown(fd, SHUT_WR);
		break;
	case B_SLOW4K:
		s->next_at = now + SLOW_EVERY_MS;
		break;
	default:
		break;
	}
}

/* onebyone: refuses fd (RST) while the listener's connection lives.  One
 * that the peer has closed counts as gone even if its hang-up is still
 * in this wakeup's events (a scanner closes before it connects again). */
static bool one_at_a_time(int lfd, int fd)
{
	int cur = slots[lfd].peer;
	char c;

	if (cur >= 0) {
		ssize_t n = recv(cur, &c, 1, MSG_PEEK | MSG_DONTWAIT);

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			drop(cur, false);
	}
	if (slots[lfd].peer < 0)
		return true;
	linger_zero(fd);
	close(fd);
	refused++;
	return false;
}

/* udpsink: every datagram read and dropped, a burst at a time. */
static void swallow(int fd)
{
	char buf[512];
	int i;

	for (i = 0; i < ACCEPT_BURST && recv(fd, buf, sizeof buf, MSG_DONTWAIT) >= 0; i++)
		;
}

static void on_listener(int lfd, uint64_t now)
{
	int i;

	if (slots[lfd].b == B_UDPSINK) {
		swallow(lfd);
		return;
	}
	for (i = 0; i < ACCEPT_BURST; i++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				fprintf(stderr, "hostile_server: accept: %s\n", strerror(errno));
			return;
		}
		if (fd >= nslots || open_conns >= max_conns) {
			/* Full: refuse with an RST rather than let the backlog spin. */
			linger_zero(fd);
			close(fd);
			refused++;
			continue;
		}
		if (slots[lfd].b == B_ONEBYONE && !one_at_a_time(lfd, fd))
			continue;
		accepted++;
		start_conn(fd, &slots[lfd], now);
		if (slots[lfd].b == B_ONEBYONE) {
			slots[lfd].peer = fd;
			slots[fd].peer = lfd;
		}
	}
}

/* Reads what is there into buf; false when the connection is gone. */
static bool read_input(int fd, char *buf, size_t cap, size_t *got)
{
	ssize_t n = recv(fd, buf, cap, MSG_DONTWAIT);

	if (n > 0) {
		*got = (size_t)n;
		return true;
	}
	*got = 0;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	drop(fd, false);
	return false;
}

/*
 * Sends what the TLS peer has queued, a segment at a time; closes once the
 * peer is through and all of it is out.  Watches for writability while
 * some is left.
 */
static void flush_tls(int fd)
{
	struct slot *s = &slots[fd];
	const unsigned char *bytes;
	size_t seg = tls_peer_segment_max(s->tls), n;
	int i;

	for (i = 0; i < SEGMENT_BURST && (n = tls_peer_output(s->tls, &bytes)) > 0; i++) {
		size_t before = s->sent;

		if (!send_bytes(fd, bytes, n < seg ? n : seg))
			return;
		if (s->sent == before)
			break; /* the socket is full */
		tls_peer_consumed(s->tls, s->sent - before);
	}
	if (tls_peer_output(s->tls, &bytes) == 0 && tls_peer_finished(s->tls)) {
		drop(fd, false);
		return;
	}
	watch(fd, EPOLLIN | EPOLLRDHUP | (tls_peer_output(s->tls, &bytes) ? EPOLLOUT : 0),
	      EPOLL_CTL_MOD);
	s->next_at = tls_peer_next_at(s->tls);
}

static void on_readable(int fd)
{
	struct slot *s = &slots[fd];
	char buf[4096];
	size_t got;

	if (!read_input(fd, buf, sizeof buf, &got) || !got)
		return;
	if (s->tls) {
		tls_peer_input(s->tls, buf, got, now_ms());
		flush_tls(fd);
	} else if (s->b == B_ANSWERBANNER && !s->answered) {
		s->answered = true;
		send_bytes(fd, BANNER, sizeof BANNER - 1);
	} else if (s->b == B_RESETPROBE) {
		drop(fd, true);
	} else if (s->b == B_ONEBYONE) {
		if (got >= sizeof GET_REQUEST - 1 && memcmp(buf, GET_REQUEST, sizeof GET_REQUEST - 1) == 0 &&
		    send_bytes(fd, NGINX_REPLY, sizeof NGINX_REPLY - 1))
			drop(fd, false);
	} else if (s->b == B_TLSJUNK && !s->answered) {
		/* Handshake record, TLS 1.0, announcing 16384 bytes. */
		unsigned char junk[5 + TLS_JUNK_LEN] = { 0x16, 0x03, 0x01, 0x40, 0x00 };

		fill_random(&s->rng, junk + 5, TLS_JUNK_LEN);
		s->answered = true;
		send_bytes(fd, junk, sizeof junk);
	}
}

static void on_writable(int fd)
{
	struct slot *s = &slots[fd];
	unsigned char buf[CHUNK];
	int i;

	if (s->tls) {
		flush_tls(fd);
		return;
	}
	for (i = 0; i < WRITE_BURST && slots[fd].kind == S_CONN; i++) {
		size_t len = CHUNK;
		size_t before = s->sent;

		if (s->b == B_GARBAGE) {
			if (s->sent >= GARBAGE_LEN) {
				drop(fd, false);
				return;
			}
			if (len > GARBAGE_LEN - s->sent)
				len = GARBAGE_LEN - s->sent;
		}
		fill_random(&s->rng, buf, len);
		/* One write, so that the line and what follows arrive together. */
		if (s->b == B_LINESTREAM && s->sent == 0)
			memcpy(buf, STREAM_LINE, sizeof STREAM_LINE - 1);
		if (!send_bytes(fd, buf, len) || s->sent == before)
			return;
	}
}

/* Timed sends of latebanner, trickle, trickle2ms, slow4k and the TLS
 * behaviours. */
static void on_tick(uint64_t now)
{
	int fd;

	for (fd = 0; fd <= top_fd; fd++) {
		struct slot *s = &slots[fd];

		if (s->kind != S_CONN || !s->next_at || s->next_at > now)
			continue;
		if (s->tls) {
			tls_peer_tick(s->tls, now);
			flush_tls(fd);
		} else if (s->b == B_LATEBANNER) {
			s->next_at = 0;
			send_bytes(fd, BANNER, sizeof BANNER - 1);
		} else if (s->b == B_TRICKLE) {
			s->next_at = now + 1000;
			send_bytes(fd, "t", 1);
		} else if (s->b == B_TRICKLE2MS) {
			/* A byte the socket did not take is sent again next time. */
			if (send_bytes(fd, s->payload->bytes + s->sent, 1))
				s->next_at = s->sent < s->payload->len ? now + DRIP_EVERY_MS : 0;
		} else if (s->b == B_SLOW4K) {
			unsigned char buf[SLOW_PIECE];
			bool tail = s->sent >= SLOW_TOTAL;

			memset(buf, 'x', sizeof buf);
			s->next_at = s->sent + SLOW_PIECE >= SLOW_TOTAL && !tail
				? now + SLOW_TAIL_AFTER_MS : now + SLOW_EVERY_MS;
			if (tail)
				s->next_at = 0;
			send_bytes(fd, buf, tail ? SLOW_TAIL : SLOW_PIECE);
		}
	}
}

/* The addresses listened on: first_addr and the naddrs - 1 after it, or
 * ::1 alone. */
static uint32_t first_addr = INADDR_LOOPBACK;
static unsigned naddrs = 1;
static bool ipv6;

/* A listening TCP socket, or for b == B_UDPSINK a bound UDP one. */
static int listen_at(uint32_t addr, unsigned port, enum behaviour b)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
				    .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int one = 1;
	bool udp = b == B_UDPSINK;
	int fd = socket(ipv6 ? AF_INET6 : AF_INET,
			(udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	sa.sin_addr.s_addr = htonl(addr);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if ((ipv6 ? bind(fd, (struct sockaddr *)&sa6, sizeof sa6)
		  : bind(fd, (struct sockaddr *)&sa, sizeof sa)) < 0 ||
	    (!udp && listen(fd, 1024) < 0)) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int listen_on(unsigned port, enum behaviour b)
{
	return listen_at(first_addr, port, b);
}

/* The first port from *base up that is free; *base moves past it. */
static int listen_from(unsigned *base, enum behaviour b)
{
	while (*base <= 65535) {
		int fd = listen_on((*base)++, b);

		if (fd >= 0 || errno != EADDRINUSE)
			return fd;
	}
	errno = EADDRINUSE;
	return -1;
}

static unsigned port_of(int fd)
{
	struct sockaddr_in6 sa; /* sin_port and sin6_port share their place */
	socklen_t len = sizeof sa;

	if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		return 0;
	return ntohs(sa.sin6_port);
}

static int cmp_u(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return (x > y) - (x < y);
}

/* Prints sorted ports as Nmap's -p syntax: 1,5-9,12. */
static void print_ports(unsigned *p, size_t n)
{
	size_t i = 0;

	qsort(p, n, sizeof *p, cmp_u);
	while (i < n) {
		size_t j = i;

		while (j + 1 < n && p[j + 1] == p[j] + 1)
			j++;
		printf(i ? ",%u" : "%u", p[i]);
		if (j > i)
			printf("-%u", p[j]);
		i = j + 1;
	}
}

/* Descriptors for every listener and connection; root may raise the hard limit. */
static int raise_fd_limit(unsigned want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	if (rl.rlim_cur < want) {
		struct rlimit up = { want, rl.rlim_max > want ? rl.rlim_max : want };

		if (setrlimit(RLIMIT_NOFILE, &up) < 0) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur > MAX_PORTS * 2 ? MAX_PORTS * 2 : (int)rl.rlim_cur;
}

static int usage(void)
{
	fprintf(stderr, "usage: hostile_server --lifetime SECONDS [--delay MS] [--max-conns N] "
		"[--base PORT] [--addrs A.B.C.D:N | --ipv6] [--payload FILE] BEHAVIOUR[=PORT|:COUNT]...\n");
	return 2;
}

/* A.B.C.D:N, all N addresses within 127.0.0.0/8. */
static bool parse_addrs(const char *arg)
{
	struct in_addr in;
	char ip[16];
	const char *colon = strchr(arg, ':');
	char *end;
	unsigned long n;

	if (!colon || (size_t)(colon - arg) >= sizeof ip)
		return false;
	memcpy(ip, arg, (size_t)(colon - arg));
	ip[colon - arg] = '\0';
	n = strtoul(colon + 1, &end, 10);
	if (*end || !n || n > MAX_PORTS || inet_pton(AF_INET, ip, &in) != 1)
		return false;
	first_addr = ntohl(in.s_addr);
	naddrs = (unsigned)n;
	return first_addr >> 24 == 127 && (first_addr + naddrs - 1) >> 24 == 127;
}

/* The next payload: 1 to PAYLOAD_MAX bytes of a file. */
static bool load_payload(const char *path)
{
	struct payload *p = &payloads[npayloads];
	FILE *f;

	if (npayloads == MAX_PAYLOADS) {
		fprintf(stderr, "hostile_server: more than %d --payload\n", MAX_PAYLOADS);
		return false;
	}
	f = fopen(path, "rb");
	p->bytes = malloc(PAYLOAD_MAX + 1);
	if (!f || !p->bytes) {
		fprintf(stderr, "hostile_server: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return false;
	}
	p->len = fread(p->bytes, 1, PAYLOAD_MAX + 1, f);
	fclose(f);
	npayloads++;
	if (!p->len || p->len > PAYLOAD_MAX) {
		fprintf(stderr, "hostile_server: %s: empty or over %d bytes\n", path, PAYLOAD_MAX);
		return false;
	}
	return true;
}

struct spec {
	enum behaviour b;
	const struct payload *payload; /* the last --payload before it, if any */
	unsigned port;              /* 0: the kernel picks */
	unsigned count;
};

static bool parse_spec(const char *arg, struct spec *sp)
{
	size_t len = strcspn(arg, "=:");
	int b;
	char *end;

	sp->port = 0;
	sp->count = 1;
	for (b = 0; b < B_COUNT; b++)
		if (strlen(names[b]) == len && strncmp(arg, names[b], len) == 0)
			break;
	if (b == B_COUNT)
		return false;
	sp->b = (enum behaviour)b;
	if (arg[len] == '=') {
		unsigned long v = strtoul(arg + len + 1, &end, 10);

		if (*end || !v || v > 65535)
			return false;
		sp->port = (unsigned)v;
	} else if (arg[len] == ':') {
		unsigned long v = strtoul(arg + len + 1, &end, 10);

		if (*end || !v || v > 30000)
			return false;
		sp->count = (unsigned)v;
	}
	return true;
}

int main(int argc, char **argv)
{
	struct spec specs[B_COUNT * 4];
	size_t nspecs = 0, nports = 0, i;
	unsigned long lifetime = 0;
	unsigned base = 0;          /* 0: ports from the kernel */
	unsigned *ports;
	int a, fdlimit;
	uint64_t end, next_tick, tick_ms = TICK_MS;
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long long renego_requests, key_updates;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--lifetime") == 0 && a + 1 < argc) {
			lifetime = strtoul(argv[++a], NULL, 10);
		} else if (strcmp(argv[a], "--delay") == 0 && a + 1 < argc) {
			delay_ms = strtoull(argv[++a], NULL, 10);
		} else if (strcmp(argv[a], "--addrs") == 0 && a + 1 < argc) {
			if (!parse_addrs(argv[++a]))
				return usage();
		} else if (strcmp(argv[a], "--ipv6") == 0) {
			ipv6 = true;
		} else if (strcmp(argv[a], "--base") == 0 && a + 1 < argc) {
			base = (unsigned)strtoul(argv[++a], NULL, 10);
		} else if (strcmp(argv[a], "--max-conns") == 0 && a + 1 < argc) {
			max_conns = (unsigned)strtoul(argv[++a], NULL, 10);
		} else if (strcmp(argv[a], "--payload") == 0 && a + 1 < argc) {
			if (!load_payload(argv[++a]))
				return 1;
		} else if (nspecs < sizeof specs / sizeof *specs && parse_spec(argv[a], &specs[nspecs])) {
			specs[nspecs].payload = npayloads ? &payloads[npayloads - 1] : NULL;
			nports += specs[nspecs++].count;
		} else {
			fprintf(stderr, "hostile_server: bad argument '%s'\n", argv[a]);
			return usage();
		}
	}
	if (!lifetime || lifetime > 3600 || !nspecs || nports * naddrs > MAX_PORTS || base > 65535 ||
	    (ipv6 && naddrs > 1))
		return usage();
	nports *= naddrs;
	for (i = 0; i < nspecs; i++) {
		if (specs[i].b != B_TRICKLE2MS)
			continue;
		if (!specs[i].payload) {
			fprintf(stderr, "hostile_server: trickle2ms needs --payload FILE\n");
			return usage();
		}
		tick_ms = DRIP_EVERY_MS;
	}
	for (i = 0; i < nspecs && !is_tls(specs[i].b); i++)
		;
	if (i < nspecs && !tls_setup())
		return 1;

	fdlimit = raise_fd_limit((unsigned)nports + max_conns + 64);
	if ((unsigned)fdlimit < nports + max_conns + 64) {
		unsigned room = (unsigned)fdlimit > nports + 64 ? (unsigned)fdlimit - (unsigned)nports - 64 : 0;

		fprintf(stderr, "hostile_server: open-file limit %d: at most %u connections\n",
			fdlimit, room);
		max_conns = room;
	}
	nslots = fdlimit;
	slots = calloc((size_t)nslots, sizeof *slots);
	ports = calloc(nports, sizeof *ports);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!slots || !ports || epfd < 0) {
		fprintf(stderr, "hostile_server: setup: %s\n", strerror(errno));
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (i = 0; i < nspecs; i++) {
		unsigned k;

		for (k = 0; k < specs[i].count; k++) {
			int fd = specs[i].port || !base ? listen_on(specs[i].port, specs[i].b)
							: listen_from(&base, specs[i].b);
			unsigned ad;

			if (fd < 0) {
				fprintf(stderr, "hostile_server: cannot listen on port %u for %s: %s\n",
					specs[i].port, names[specs[i].b], strerror(errno));
				return 1;
			}
			ports[k] = port_of(fd);
			/* The same port on every other address. */
			for (ad = 0; ad < naddrs; ad++) {
				if (ad && (fd = listen_at(first_addr + ad, ports[k], specs[i].b)) < 0) {
					fprintf(stderr, "hostile_server: cannot listen on address %u of --addrs, port %u: %s\n",
						ad, ports[k], strerror(errno));
					return 1;
				}
				if (fd >= nslots) {
					fprintf(stderr, "hostile_server: too many files\n");
					return 1;
				}
				slots[fd] = (struct slot){ .kind = S_LISTEN, .b = specs[i].b, .peer = -1,
							   .payload = specs[i].payload };
				watch(fd, EPOLLIN, EPOLL_CTL_ADD);
			}
		}
		printf("%s ", names[specs[i].b]);
		print_ports(ports, specs[i].count);
		printf("\n");
	}
	if (naddrs > 1) {
		struct in_addr in = { htonl(first_addr) };

		printf("addrs %s %u\n", inet_ntoa(in), naddrs);
	}
	printf("ready\n");
	fflush(stdout);

	end = now_ms() + lifetime * 1000;
	next_tick = now_ms() + tick_ms;
	while (!stopping) {
		struct epoll_event ev[256];
		uint64_t now = now_ms();
		int n, k;

		if (now >= end)
			break;
		if (now >= next_tick) {
			on_tick(now);
			next_tick = now + tick_ms;
		}
		n = epoll_wait(epfd, ev, 256, (int)(next_tick - now));
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "hostile_server: epoll_wait: %s\n", strerror(errno));
			return 1;
		}
		now = now_ms();
		for (k = 0; k < n; k++) {
			int fd = ev[k].data.fd;

			if (slots[fd].kind == S_LISTEN) {
				on_listener(fd, now);
				continue;
			}
			if (slots[fd].kind != S_CONN)
				continue;
			if (ev[k].events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP) &&
			    slots[fd].b == B_BLACKHOLE) {
				drop(fd, false);
				continue;
			}
			if (ev[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP))
				on_readable(fd);
			if (slots[fd].kind == S_CONN && (ev[k].events & EPOLLOUT))
				on_writable(fd);
		}
	}
	key_updates = tls_flood_sent(&renego_requests);
	printf("accepted %llu connections, at most %u open at once, %llu refused, %llu TLS handshakes, "
	       "%llu renegotiation requests, %llu KeyUpdates\n",
	       accepted, peak_conns, refused, tls_handshakes(), renego_requests, key_updates);
	fflush(stdout);
	free(ports);
	for (a = 0; a < nslots; a++)
		tls_peer_free(slots[a].tls);
	free(slots);
	tls_teardown();
	for (i = 0; i < (size_t)npayloads; i++)
		free(payloads[i].bytes);
	close(epfd);
	return 0;
}
