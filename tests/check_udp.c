/*
 * The UDP scan's parts, unit by unit: conn_udp.c on real sockets of
 * 127.0.0.1 (peers of the test's own, on ports the kernel picks), the
 * payload files (payloads.c), and udpscan.c's tries, pauses and bench on
 * scripted peers (tests/fake_conn.h) and a test clock.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "ev.h"
#include "fake_conn.h"
#include "payloads.h"
#include "temp_file.h"
#include "udpscan.h"

/* --- conn_udp on loopback --------------------------------------------------- */

/* A connection under test, and what its handler heard. */
struct probe {
	struct ev_loop *loop;
	struct conn *c;
	bool connected, readable;
	struct ev_timer guard;
};

static void on_event(struct conn *c, enum conn_event ev, unsigned events, void *arg)
{
	struct probe *p = arg;

	(void)c;
	if (ev == CONN_EV_CONNECTED)
		p->connected = true;
	else if (events & EV_READ)
		p->readable = true;
	ev_stop(p->loop);
}

static void on_guard(struct ev_loop *l, struct ev_timer *t)
{
	(void)t;
	ev_stop(l);
}

/* Runs the loop until the handler hears something, or 2 s. */
static void wait_event(struct probe *p)
{
	ev_timer_start(p->loop, &p->guard, 2000, on_guard);
	ck_assert_int_eq(ev_run(p->loop), 0);
	ev_timer_stop(p->loop, &p->guard);
}

/* A UDP socket of the test on 127.0.0.1, its port in *port. */
static int peer_socket(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* A connection to 127.0.0.1:port, open. */
static void probe_open(struct probe *p, uint16_t port)
{
	struct conn_config cfg = { 0 };
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *a = (struct sockaddr_in *)&ss;

	memset(p, 0, sizeof *p);
	p->loop = ev_new(64);
	ck_assert_ptr_nonnull(p->loop);
	cfg.loop = p->loop;
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->c = conn_create(&conn_udp, &cfg);
	ck_assert_ptr_nonnull(p->c);
	conn_set_handler(p->c, on_event, p);
	ck_assert_int_eq(conn_connect(p->c, &ss, sizeof *a, port), 0);
	ck_assert(!p->connected); /* never from inside connect */
	wait_event(p);
	ck_assert(p->connected);
	ck_assert_int_eq(p->c->state, CONN_OPEN);
	ck_assert_int_eq(conn_want(p->c, EV_READ), 0);
}

static void probe_close(struct probe *p)
{
	conn_close(p->c);
	ev_free(p->loop);
}

/* The next read, after waiting for it to be ready. */
static ssize_t read_next(struct probe *p, void *buf, size_t len)
{
	p->readable = false;
	wait_event(p);
	ck_assert(p->readable);
	return conn_read(p->c, buf, len);
}

/* One datagram a read, cut to the buffer (conn_dgram says so), an empty
 * one read as 0, the TTL of each; and nothing from another port. */
START_TEST(udp_datagrams)
{
	struct probe p;
	struct sockaddr_in from;
	socklen_t fromlen = sizeof from;
	char buf[64], big[100];
	uint16_t port, other_port;
	int peer = peer_socket(&port), other = peer_socket(&other_port);
	const struct conn_dgram *d;

	probe_open(&p, port);
	ck_assert_int_eq(conn_write(p.c, "ping", 4), 4);
	ck_assert_int_eq(recvfrom(peer, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen), 4);
	/* From another port to our socket: a connected socket never reads it. */
	ck_assert_int_eq(sendto(other, "stray", 5, 0, (struct sockaddr *)&from, fromlen), 5);
	ck_assert_int_eq(sendto(peer, "pong", 4, 0, (struct sockaddr *)&from, fromlen), 4);
	ck_assert_int_eq(read_next(&p, buf, sizeof buf), 4);
	ck_assert_int_eq(memcmp(buf, "pong", 4), 0);
	d = conn_dgram(p.c);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->ttl, 64);
	ck_assert(!d->truncated && !d->icmp);
	memset(big, 'x', sizeof big);
	ck_assert_int_eq(sendto(peer, big, sizeof big, 0, (struct sockaddr *)&from, fromlen), 100);
	ck_assert_int_eq(sendto(peer, "", 0, 0, (struct sockaddr *)&from, fromlen), 0);
	ck_assert_int_eq(read_next(&p, buf, 10), 10);
	ck_assert(conn_dgram(p.c)->truncated);
	ck_assert_int_eq(conn_read(p.c, buf, sizeof buf), 0); /* the empty one */
	ck_assert(!conn_dgram(p.c)->truncated);
	ck_assert_int_eq(conn_read(p.c, buf, sizeof buf), CONN_AGAIN);
	probe_close(&p);
	close(peer);
	close(other);
}
END_TEST

/* A closed port: the ICMP port unreachable from the host, read from the
 * error queue (which it drains) as ECONNREFUSED with its type, code, TTL. */
START_TEST(udp_port_unreachable)
{
	struct probe p;
	char buf[16];
	uint16_t port;
	const struct conn_dgram *d;

	close(peer_socket(&port)); /* a port nothing listens on now */
	probe_open(&p, port);
	ck_assert_int_eq(conn_write(p.c, "hello", 5), 5);
	ck_assert_int_eq(read_next(&p, buf, sizeof buf), CONN_ERROR);
	ck_assert_int_eq(p.c->error, ECONNREFUSED);
	ck_assert_int_eq(p.c->fail, CONN_FAIL_RESET);
	d = conn_dgram(p.c);
	ck_assert(d->icmp && !d->icmp6);
	ck_assert_uint_eq(d->icmp_type, 3);
	ck_assert_uint_eq(d->icmp_code, 3);
	ck_assert(d->icmp_from_peer);
	ck_assert_uint_eq(d->ttl, 64);
	ck_assert_int_eq(conn_read(p.c, buf, sizeof buf), CONN_AGAIN);
	/* A second datagram's error comes the same way. */
	ck_assert_int_eq(conn_write(p.c, "again", 5), 5);
	ck_assert_int_eq(read_next(&p, buf, sizeof buf), CONN_ERROR);
	ck_assert(conn_dgram(p.c)->icmp);
	probe_close(&p);
}
END_TEST

/* --- payload files ---------------------------------------------------------- */

/* The payloads of port, in order, as "a|b" (bytes escaped as \xHH when
 * not printable). */
static void expect_payloads(const struct svd_payloads *pl, uint16_t port, const char *want)
{
	char got[256] = "";
	size_t n, i, j, len = 0;
	const struct svd_payload *p = svd_payloads_of(pl, port, &n);

	for (i = 0; i < n; i++) {
		len += (size_t)snprintf(got + len, sizeof got - len, "%s", i ? "|" : "");
		for (j = 0; j < p[i].len; j++) {
			unsigned char c = p[i].data[j];

			len += (size_t)snprintf(got + len, sizeof got - len,
						c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
		}
	}
	ck_assert_msg(strcmp(got, want) == 0, "port %u: got '%s', want '%s'", port, got, want);
}

/* Nmap 7.93's parser: strings joined across lines, C escapes, ranges,
 * keywords after an entry skipped, a bad string dropping its entry, an
 * entry without a string passed over, a bad port list ending the file. */
START_TEST(payload_file)
{
	char *name = temp_file(
		"# comment\n"
		"udp 7 \"\\x0D\\x0A\"\n"
		"udp 53,69\n"
		"  \"\\x00\\x01\"\n"
		"  \"ab\" # joined\n"
		"source 5678\n"
		"udp 100-102 \"x\\\"y\"\n"
		"udp 9 \"bad\\q\"\n"
		"udp 10 \"ok\"\n"
		"udp 11\n"
		"udp 12 \"twelve\"\n"
		"udp 53 \"second\" \"\"\n"
		"udp abc \"z\"\n"
		"udp 13 \"never\"\n");
	struct svd_payloads pl;
	char err[256];

	ck_assert_int_eq(svd_payloads_from_file(&pl, name, err, sizeof err), 0);
	ck_assert_msg(strstr(err, "cannot read the port list 'abc'") != NULL, "'%s'", err);
	ck_assert(!pl.from_probes);
	expect_payloads(&pl, 7, "\\x0d\\x0a");
	expect_payloads(&pl, 53, "\\x00\\x01ab|second");
	expect_payloads(&pl, 69, "\\x00\\x01ab");
	expect_payloads(&pl, 100, "x\"y");
	expect_payloads(&pl, 102, "x\"y");
	expect_payloads(&pl, 103, "");
	expect_payloads(&pl, 9, "");
	expect_payloads(&pl, 10, "ok");
	expect_payloads(&pl, 11, "");
	expect_payloads(&pl, 12, "twelve");
	expect_payloads(&pl, 13, "");
	svd_payloads_free(&pl);
	unlink(name);
	free(name);
	/* A file that cannot be read: no payloads, as Nmap goes on without. */
	ck_assert_int_eq(svd_payloads_from_file(&pl, "/nonexistent/nmap-payloads", err, sizeof err), 0);
	ck_assert_uint_eq(pl.nports, 0);
	svd_payloads_free(&pl);
}
END_TEST

/* Debian's file, where the machine has it: read whole, 53 with its two. */
START_TEST(payload_file_of_nmap)
{
	struct svd_payloads pl;
	char err[256];
	size_t n;

	if (access(SVD_PAYLOADS_PATH, R_OK) != 0)
		return;
	ck_assert_int_eq(svd_payloads_from_file(&pl, SVD_PAYLOADS_PATH, err, sizeof err), 0);
	ck_assert_str_eq(err, "");
	ck_assert_ptr_nonnull(svd_payloads_of(&pl, 53, &n));
	ck_assert_uint_eq(n, 2);
	ck_assert_ptr_nonnull(svd_payloads_of(&pl, 161, &n));
	ck_assert_ptr_null(svd_payloads_of(&pl, 9, &n));
	svd_payloads_free(&pl);
}
END_TEST

/* --- udpscan.c on scripted peers --------------------------------------------- */

enum { NPORTS_MAX = 4 };

/* Ports of one host under the UDP scan, on the test clock. */
struct uworld {
	uint64_t clock;
	struct fake_net net;
	struct svd_uscan_ctx c;
	struct svd_uscan_host u;
	struct svd_host h;
	struct svd_port p[NPORTS_MAX];
	struct svd_payloads pl;
	char *payload_file;
	/* Per port: when its scan ended (UINT64_MAX: not yet), benched or not. */
	uint64_t ended_at[NPORTS_MAX];
	int ends[NPORTS_MAX];
	bool benched[NPORTS_MAX];
	char reply[NPORTS_MAX][32];
};

static void on_scanned(void *arg, struct svd_port *p, long rtt_us, const unsigned char *reply,
		       size_t len)
{
	struct uworld *w = arg;
	int i = (int)(p - w->p);

	(void)rtt_us;
	ck_assert_int_ge(i, 0);
	ck_assert_int_lt(i, NPORTS_MAX);
	w->ends[i]++;
	w->ended_at[i] = ev_now(w->c.loop);
	w->benched[i] = p->reason == NULL;
	snprintf(w->reply[i], sizeof w->reply[i], "%.*s", (int)len, reply ? (const char *)reply : "");
}

/* Two payloads for port 5300 (two datagrams a try), none for others;
 * Nmap's -T3 figures. */
static void uworld_init(struct uworld *w, const struct fake_script *s, size_t n, size_t nports)
{
	char err[128];
	int i;

	memset(w, 0, sizeof *w);
	fake_net_init(&w->net, s, n);
	w->c.loop = ev_new(16);
	ck_assert_ptr_nonnull(w->c.loop);
	ev_set_test_clock(w->c.loop, &w->clock);
	w->c.transport = &fake_udp_transport;
	w->c.transport_ctx = &w->net;
	w->payload_file = temp_file("udp 5300 \"ONE\" \n udp 5300 \"TWO\"\n");
	ck_assert_int_eq(svd_payloads_from_file(&w->pl, w->payload_file, err, sizeof err), 0);
	w->c.payloads = &w->pl;
	w->c.initial_timeout_ms = 1000;
	w->c.min_timeout_ms = 100;
	w->c.max_timeout_ms = 10000;
	w->c.max_retries = 10;
	w->c.max_delay_ms = 1000;
	w->c.boost_try = 3;
	w->c.drop_share = 0.3;
	snprintf(w->h.addrstr, sizeof w->h.addrstr, "127.0.0.1");
	for (i = 0; i < NPORTS_MAX; i++) {
		w->p[i].portno = (uint16_t)(5300 + i);
		w->p[i].proto = SVD_UDP;
		w->ended_at[i] = UINT64_MAX;
	}
	svd_uscan_host_init(&w->u, &w->c, &w->h, nports);
}

static void uworld_start(struct uworld *w, int i, unsigned tries)
{
	ck_assert_int_eq(svd_uscan_start(&w->c, &w->u, &w->p[i], tries, on_scanned, w), 0);
}

static void uworld_run(struct uworld *w)
{
	ck_assert_int_eq(ev_run(w->c.loop), 0);
	ck_assert_uint_eq(w->net.nopen, 0);
}

static void uworld_free(struct uworld *w)
{
	svd_uscan_host_free(&w->u);
	svd_payloads_free(&w->pl);
	unlink(w->payload_file);
	free(w->payload_file);
	ev_free(w->c.loop);
}

#define REPLY(ms_, text) { FAKE_SEND, (ms_), true, (text) }
#define SEND(ms_, text) { FAKE_SEND, (ms_), false, (text) }

static void assert_port(const struct uworld *w, int i, enum svd_port_state state,
			const char *reason, uint8_t ttl, uint64_t at)
{
	ck_assert_int_eq(w->ends[i], 1);
	ck_assert_int_eq(w->p[i].state, state);
	ck_assert_str_eq(w->p[i].reason, reason);
	ck_assert_uint_eq(w->p[i].reason_ttl, ttl);
	ck_assert_uint_eq(w->ended_at[i], at);
}

/* Every payload of the port in each try; an answer decides at once:
 * a datagram open (and handed on), an ICMP port unreachable from the
 * host closed, a host unreachable from a router filtered. */
START_TEST(uscan_answers)
{
	static const struct fake_script s[] = {
		{ .steps = { REPLY(3, "DNS") } },
		{ .steps = { { FAKE_PORT_UNREACH, 2, true, NULL } } },
		{ .steps = { { FAKE_HOST_UNREACH, 4, true, NULL } } },
	};
	struct uworld w;
	size_t i;
	int seen = 0;

	uworld_init(&w, s, 3, 3);
	uworld_start(&w, 0, 0);
	uworld_start(&w, 1, 0);
	uworld_start(&w, 2, 0);
	uworld_run(&w);
	assert_port(&w, 0, SVD_PORT_OPEN, "udp-response", FAKE_TTL, 3);
	ck_assert_str_eq(w.reply[0], "DNS");
	assert_port(&w, 1, SVD_PORT_CLOSED, "port-unreach", FAKE_TTL, 2);
	assert_port(&w, 2, SVD_PORT_FILTERED, "host-unreach", FAKE_TTL, 4);
	ck_assert_uint_eq(w.net.nwrites, 4);
	for (i = 0; i < w.net.nwrites; i++)
		ck_assert_str_eq(w.net.writes[i].data, w.net.writes[i].conn != 0 ? "" :
				 seen++ ? "TWO" : "ONE"); /* 5301, 5302: none, an empty datagram */
	uworld_free(&w);
}
END_TEST

/*
 * A silent port: its first try, a second after the timeout, then, the
 * host's tries being able to grow, the bench (no socket); when nothing
 * can make them grow, open|filtered.  A host of two ports pauses a
 * second (Nmap's rate-limit detection) before its first retransmission.
 */
START_TEST(uscan_silence_and_the_bench)
{
	struct uworld w;

	uworld_init(&w, NULL, 0, 1);
	uworld_start(&w, 0, 0);
	uworld_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 4);
	ck_assert_uint_eq(w.net.writes[2].at, 1000);
	ck_assert(w.benched[0]);
	ck_assert_uint_eq(w.ended_at[0], 2000);
	ck_assert_uint_eq(w.u.nbench, 1);
	ck_assert_int_eq(svd_uscan_retry_benched(&w.c, &w.u, on_scanned, &w), 1);
	w.ends[0] = 0;
	ck_assert_uint_eq(svd_uscan_dismiss_bench(&w.u, on_scanned, &w), 1);
	assert_port(&w, 0, SVD_PORT_OPEN_FILTERED, "no-response", 0, 2000);
	ck_assert_uint_eq(w.u.nbench, 0);
	uworld_free(&w);

	uworld_init(&w, NULL, 0, 2);
	uworld_start(&w, 0, 0);
	uworld_start(&w, 1, 0);
	uworld_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 6);
	ck_assert_uint_eq(w.net.writes[3].at, 2000);
	ck_assert_uint_eq(w.net.writes[5].at, 2000);
	ck_assert_uint_eq(w.ended_at[0], 3000);
	ck_assert_uint_eq(w.ended_at[1], 3000);
	ck_assert_uint_eq(w.u.nbench, 2);
	uworld_free(&w);
}
END_TEST

/*
 * An answer to a retransmission shows that something dropped a packet:
 * every port of the host gets a try more (a benched one is started again
 * with its tries), each new try number after a second's pause; the
 * level's cap ends that; with -v, the send delay's growth is said.
 */
START_TEST(uscan_dropped_answers_add_tries)
{
	static const struct fake_script s[] = {
		{ .connect_ms = 0 },
		{ .steps = { SEND(1500, "LATE") } },
		{ .connect_ms = 0 },
	};
	char *log = NULL;
	size_t loglen;
	struct uworld w;

	uworld_init(&w, s, 3, 2);
	w.c.boost_try = 0;
	w.c.log = open_memstream(&log, &loglen);
	uworld_start(&w, 0, 0);                   /* tries at 0 and 2000 (the pause) */
	uworld_run(&w);
	ck_assert(w.benched[0]);
	ck_assert_uint_eq(w.ended_at[0], 3000);
	w.clock = 3500;
	uworld_start(&w, 1, 0);                   /* tries at 3500 and 4500 */
	uworld_run(&w);
	assert_port(&w, 1, SVD_PORT_OPEN, "udp-response", FAKE_TTL, 5000);
	ck_assert_uint_eq(w.u.max_ok_try, 1);
	ck_assert_uint_eq(w.u.delay_ms, 50);
	fclose(w.c.log);
	ck_assert_str_eq(log, "Increasing send delay for 127.0.0.1 from 0 to 50 due to "
			 "max_successful_tryno increase to 1\n");
	free(log);
	w.c.log = NULL;
	ck_assert_int_eq(svd_uscan_retry_benched(&w.c, &w.u, on_scanned, &w), 0);
	w.ends[0] = 0;
	uworld_run(&w);
	/* Try number 2 is new: a second's pause first. */
	ck_assert_uint_eq(w.net.writes[w.net.nwrites - 1].at, 6000);
	ck_assert(w.benched[0]);
	ck_assert_uint_eq(w.ended_at[0], 7000);
	uworld_free(&w);

	/* At -T5's cap of 2 retransmissions the tries cannot grow past 3:
	 * the port is decided without the bench. */
	uworld_init(&w, s, 3, 2);
	w.c.max_retries = 2;
	w.u.max_ok_try = 1;
	uworld_start(&w, 0, 0);
	uworld_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 6);
	assert_port(&w, 0, SVD_PORT_OPEN_FILTERED, "no-response", 0, 5000);
	uworld_free(&w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("udp");
	TCase *t = tcase_create("conn_udp");
	SRunner *r;
	int failed;

	tcase_add_test(t, udp_datagrams);
	tcase_add_test(t, udp_port_unreachable);
	suite_add_tcase(s, t);
	t = tcase_create("payloads");
	tcase_add_test(t, payload_file);
	tcase_add_test(t, payload_file_of_nmap);
	suite_add_tcase(s, t);
	t = tcase_create("udpscan");
	tcase_add_test(t, uscan_answers);
	tcase_add_test(t, uscan_silence_and_the_bench);
	tcase_add_test(t, uscan_dropped_answers_add_tries);
	suite_add_tcase(s, t);
	r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
