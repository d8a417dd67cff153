/*
 * Nmap's probe sequence (docs/scanner.md), unit by unit: vscan.c drives
 * scripted peers (tests/fake_conn.h) on a test clock, with the probe file
 * tests/data/vscan.probes, and each test asserts which probe went on
 * which connection at which millisecond, when the port ended, and the
 * service it ended with.  No network; the 6 s waits take microseconds.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ev.h"
#include "fake_conn.h"
#include "timing.h"
#include "vscan.h"
#include "vscan_test_ctx.h"

/* Sockets lent for probing ahead, at most: enough for every probe. */
enum { LEND_ALL = 8 };

struct world {
	uint64_t clock;              /* the loop's test clock, ms */
	struct fake_net net;
	struct svd_vscan_ctx c;
	struct svd_host h;
	struct svd_port p;
	uint64_t deadline;
	bool done;
	uint64_t done_at;
	int lendable, lent, most_lent; /* sockets for probing ahead */
};

static bool acquire(void *arg, unsigned held)
{
	struct world *w = arg;

	ck_assert_int_eq((int)held, w->lent); /* one port: all it holds */

	if (w->lent == w->lendable)
		return false;
	if (++w->lent > w->most_lent)
		w->most_lent = w->lent;
	return true;
}

static void release(void *arg)
{
	struct world *w = arg;

	ck_assert_int_gt(w->lent, 0);
	w->lent--;
}

static void on_done(void *arg, struct svd_port *p)
{
	struct world *w = arg;

	ck_assert(!w->done);
	ck_assert_ptr_eq(p, &w->p);
	w->done = true;
	w->done_at = ev_now(w->c.loop);
}

/* Port 80 at intensity 7, no probing ahead, peers as the scripts say. */
static void world_init(struct world *w, const struct fake_script *scripts, size_t n)
{
	memset(w, 0, sizeof *w);
	fake_net_init(&w->net, scripts, n);
	vscan_test_ctx_init(&w->c, &w->clock, &w->net);
	snprintf(w->h.addrstr, sizeof w->h.addrstr, "127.0.0.1");
	w->p.portno = 80;
}

/* SSL tunnels possible, through the fake TLS transport; the services
 * table calls the port `table`. */
static void allow_tls(struct world *w, uint16_t port, const char *table)
{
	w->c.tls = &fake_tls_transport;
	w->c.tls_ctx = &w->net;
	w->p.portno = port;
	snprintf(w->p.svc.name, sizeof w->p.svc.name, "%s", table);
}

/* Probing ahead as at -T3, with at most n sockets to lend. */
static void lend_sockets(struct world *w, int n)
{
	w->lendable = n;
	w->c.acquire = acquire;
	w->c.release = release;
	w->c.max_ahead = SVD_VSCAN_AHEAD_DEFAULT;
}

/*
 * Probes the port to its end (the loop runs until no timer is left).
 * Nothing may be left behind: no connection open, no socket still lent.
 */
static void world_run_with(struct world *w, const char *reply)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert(svd_vscan_start(&w->c, &w->h, &w->p, w->deadline, (const unsigned char *)reply,
				  reply ? strlen(reply) : 0, on_done, w));
	ck_assert_int_eq(ev_run(w->c.loop), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert(w->done);
	ck_assert_uint_eq(w->net.nopen, 0);
	ck_assert_int_eq(w->lent, 0);
	/* Seconds of the test clock, well under a second of real time. */
	ck_assert_int_lt((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000, 1000);
}

static void world_run(struct world *w)
{
	world_run_with(w, NULL);
}

static void world_free(struct world *w)
{
	free(w->p.svc.fingerprint);
	vscan_test_ctx_free(&w->c);
}

/* The client's i-th write: on connection conn, at time at, these bytes. */
static void assert_write(const struct world *w, size_t i, int conn, uint64_t at, const char *data)
{
	ck_assert_uint_lt(i, w->net.nwrites);
	ck_assert_int_eq(w->net.writes[i].conn, conn);
	ck_assert_uint_eq(w->net.writes[i].at, at);
	ck_assert_str_eq(w->net.writes[i].data, data);
}

/* Some write (their order within one millisecond is the heap's) of data on conn at at. */
static void assert_wrote(const struct world *w, int conn, uint64_t at, const char *data)
{
	size_t i;

	for (i = 0; i < w->net.nwrites; i++)
		if (w->net.writes[i].conn == conn && strcmp(w->net.writes[i].data, data) == 0) {
			ck_assert_uint_eq(w->net.writes[i].at, at);
			return;
		}
	ck_abort_msg("no write of %s on connection %d", data, conn);
}

/* Port 80's probes that go ahead 300 ms into a silent NULL, in order,
 * each on a connection of its own: all but Ask (NULL's connection's). */
static void assert_sent_ahead(const struct world *w)
{
	assert_wrote(w, 1, 300, "ECHO\r\n");
	assert_wrote(w, 2, 300, "LATE\r\n");
	assert_wrote(w, 3, 300, "KVONLY\r\n");
}

static void assert_service(const struct world *w, const char *name, const char *product,
			   const char *version, const char *probe, bool soft)
{
	const struct svd_service *s = &w->p.svc;

	ck_assert_str_eq(s->name, name);
	ck_assert_str_eq(s->v.product, product);
	ck_assert_str_eq(s->v.version, version);
	if (probe)
		ck_assert_str_eq(s->probe, probe);
	else
		ck_assert_ptr_null(s->probe);
	ck_assert(s->soft == soft);
}

/* Script steps: text ms after the previous step (or the opening); text
 * ms after the client's next write; an EOF or reset ms after the previous. */
#define SEND(ms_, text) { FAKE_SEND, (ms_), false, (text) }
#define REPLY(ms_, text) { FAKE_SEND, (ms_), true, (text) }
#define END(act_, ms_) { (act_), (ms_), false, NULL }

START_TEST(null_probe_banner_matches_at_once)
{
	static const struct fake_script s[] = { { .steps = { SEND(50, "BANNER 1.2\r\n") } } };
	struct world w;

	world_init(&w, s, 1);
	world_run(&w);
	ck_assert_uint_eq(w.done_at, 50);
	ck_assert_uint_eq(w.net.nconns, 1);
	ck_assert_uint_eq(w.net.nwrites, 0);
	ck_assert_uint_eq(w.net.conns[0].closed, 50);
	assert_service(&w, "banner", "Bannerd", "1.2", "NULL", false);
	ck_assert_int_eq(w.p.svc.conf, 10);
	ck_assert_ptr_null(w.p.svc.fingerprint);
	world_free(&w);
}
END_TEST

/* NULL waits its totalwaitms (6000) from the connection's opening; the
 * next probe goes on that connection, after the banner it kept. */
START_TEST(silent_null_then_next_probe_on_its_connection)
{
	static const struct fake_script s[] = {
		{ .connect_ms = 40, .steps = { SEND(10, "HELLO\r\n"), REPLY(5, "ANSWER\r\n") } }
	};
	struct world w;

	world_init(&w, s, 1);
	world_run(&w);
	ck_assert_uint_eq(w.net.nconns, 1);
	ck_assert_uint_eq(w.net.conns[0].opened, 40);
	ck_assert_uint_eq(w.net.nwrites, 1);
	assert_write(&w, 0, 0, 6040, "ASK\r\n");
	ck_assert_uint_eq(w.done_at, 6045);
	/* Only "HELLO\r\nANSWER\r\n" matches this line. */
	assert_service(&w, "greeter", "Greeter", "", "Ask", false);
	world_free(&w);
}
END_TEST

START_TEST(eof_on_null_then_new_connection)
{
	static const struct fake_script s[] = {
		{ .steps = { SEND(10, "HELLO\r\n"), END(FAKE_EOF, 10) } },
		{ .connect_ms = 3, .steps = { REPLY(5, "KV 3.1\r\n") } }
	};
	struct world w;

	world_init(&w, s, 2);
	world_run(&w);
	ck_assert_uint_eq(w.net.nconns, 2);
	ck_assert_uint_eq(w.net.conns[0].closed, 20);
	ck_assert_uint_eq(w.net.conns[1].created, 20);
	ck_assert_uint_eq(w.net.nwrites, 1);
	assert_write(&w, 0, 1, 23, "ASK\r\n");
	ck_assert_uint_eq(w.done_at, 28);
	assert_service(&w, "kv", "KVd", "3.1", "Ask", false);
	world_free(&w);
}
END_TEST

/* A reset after data ends NULL like an EOF, but its bytes stay out of
 * the fingerprint, as in Nmap. */
START_TEST(reset_on_null_then_new_connection_and_no_fingerprint_of_it)
{
	static const struct fake_script s[] = {
		{ .steps = { SEND(10, "HELLO\r\n"), END(FAKE_RESET, 10) } },
		{ .steps = { REPLY(2, "WHAT\r\n") } }
	};
	struct world w;

	world_init(&w, s, 2);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 4);
	assert_write(&w, 0, 1, 20, "ASK\r\n");
	assert_write(&w, 3, 4, 15020, "KVONLY\r\n");
	ck_assert_uint_eq(w.done_at, 20020);
	assert_service(&w, "", "", "", NULL, false);
	ck_assert_ptr_nonnull(w.p.svc.fingerprint);
	ck_assert_ptr_nonnull(strstr(w.p.svc.fingerprint, "WHAT"));
	ck_assert_ptr_null(strstr(w.p.svc.fingerprint, "HELLO"));
	world_free(&w);
}
END_TEST

/* Late's answer matches only a line of Ask, its fallback.  Every probe
 * but NULL waits 5000 ms, the default. */
START_TEST(fallback_probe_line_matches)
{
	static const struct fake_script s[] = {
		{ 0 }, { 0 }, { .steps = { REPLY(7, "KV 9\r\n") } }
	};
	struct world w;

	world_init(&w, s, 3);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 3);
	assert_write(&w, 0, 0, 6000, "ASK\r\n");
	assert_write(&w, 1, 1, 11000, "ECHO\r\n");
	assert_write(&w, 2, 2, 16000, "LATE\r\n");
	ck_assert_uint_eq(w.net.conns[0].closed, 11000);
	ck_assert_uint_eq(w.done_at, 16007);
	assert_service(&w, "kv", "KVd", "9", "Late", false);
	world_free(&w);
}
END_TEST

/* A peer that reads nothing: Ask never leaves, and its wait runs out as
 * if it had been silent. */
START_TEST(stalled_write_waits_out_the_probe)
{
	static const struct fake_script s[] = {
		{ .stall_writes = true }, { .steps = { REPLY(4, "ECHO\r\n") } }
	};
	struct world w;

	world_init(&w, s, 2);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 1);
	assert_write(&w, 0, 1, 11000, "ECHO\r\n");
	ck_assert_uint_eq(w.net.conns[0].closed, 11000);
	ck_assert_uint_eq(w.done_at, 11004);
	assert_service(&w, "echo", "Echod", "", "Echo", false);
	world_free(&w);
}
END_TEST

/* After a softmatch of kv only probes with a kv line are sent: Echo and
 * Late are skipped (Late's fallback to Ask does not count). */
START_TEST(softmatch_sends_only_probes_that_can_name_it)
{
	static const struct fake_script s[] = { { .steps = { SEND(10, "KV-SOFT\r\n") } } };
	struct world w;

	world_init(&w, s, 1);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 2);
	assert_write(&w, 0, 0, 6000, "ASK\r\n");
	assert_write(&w, 1, 1, 11000, "KVONLY\r\n");
	ck_assert_uint_eq(w.done_at, 16000);
	assert_service(&w, "kv", "", "", "NULL", true);
	/* A softmatch keeps its fingerprint at intensity 7. */
	ck_assert_ptr_nonnull(w.p.svc.fingerprint);
	ck_assert_ptr_nonnull(strstr(w.p.svc.fingerprint, "KV-SOFT"));
	world_free(&w);
}
END_TEST

/* The NULL probe's softmatch filters the probes sent ahead at once,
 * 6 s before NULL's result is taken: only KvOnly can name kv. */
START_TEST(softmatch_of_null_filters_probes_ahead)
{
	static const struct fake_script s[] = {
		{ .steps = { SEND(10, "KV-SOFT\r\n") } }, { .steps = { REPLY(1, "NOPE\r\n") } }
	};
	struct world w;

	world_init(&w, s, 2);
	lend_sockets(&w, LEND_ALL);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 2);
	assert_write(&w, 0, 1, 300, "KVONLY\r\n");
	assert_write(&w, 1, 0, 6000, "ASK\r\n");
	ck_assert_uint_eq(w.done_at, 11000);
	assert_service(&w, "kv", "", "", "NULL", true);
	world_free(&w);
}
END_TEST

/* At intensity 9 the softmatch filters nothing; a hard match later
 * keeps the softmatch's service. */
START_TEST(intensity_9_sends_every_probe_after_a_softmatch)
{
	static const struct fake_script s[] = {
		{ .steps = { SEND(10, "KV-SOFT\r\n") } }, { 0 }, { 0 }, { 0 },
		{ .steps = { REPLY(1, "RARE-KV\r\n") } }
	};
	struct world w;

	world_init(&w, s, 5);
	w.c.intensity = 9;
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 5);
	assert_write(&w, 0, 0, 6000, "ASK\r\n");
	assert_write(&w, 1, 1, 11000, "ECHO\r\n");
	assert_write(&w, 2, 2, 16000, "LATE\r\n");
	assert_write(&w, 3, 3, 21000, "KVONLY\r\n");
	assert_write(&w, 4, 4, 26000, "RARE\r\n");
	ck_assert_uint_eq(w.done_at, 26001);
	assert_service(&w, "kv", "KVd", "", "Rare", false);
	ck_assert_str_eq(w.p.svc.v.info, "rare");
	world_free(&w);
}
END_TEST

/* Closed or reset with nothing said within tcpwrappedms (3000). */
START_TEST(early_close_is_tcpwrapped)
{
	static const struct fake_script eof[] = { { .steps = { END(FAKE_EOF, 100) } } };
	static const struct fake_script reset[] = { { .steps = { END(FAKE_RESET, 2999) } } };
	struct world w;

	world_init(&w, eof, 1);
	world_run(&w);
	ck_assert_uint_eq(w.done_at, 100);
	ck_assert_uint_eq(w.net.nconns, 1);
	ck_assert_uint_eq(w.net.nwrites, 0);
	ck_assert_str_eq(w.p.svc.name, "tcpwrapped");
	ck_assert_int_eq(w.p.svc.conf, 8);
	world_free(&w);

	world_init(&w, reset, 1);
	world_run(&w);
	ck_assert_uint_eq(w.done_at, 2999);
	ck_assert_str_eq(w.p.svc.name, "tcpwrapped");
	world_free(&w);
}
END_TEST

START_TEST(late_close_is_not_tcpwrapped)
{
	static const struct fake_script s[] = {
		{ .steps = { END(FAKE_EOF, 3000) } }, { .steps = { REPLY(2, "KV 1\r\n") } }
	};
	struct world w;

	world_init(&w, s, 2);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 1);
	assert_write(&w, 0, 1, 3000, "ASK\r\n");
	ck_assert_uint_eq(w.done_at, 3002);
	assert_service(&w, "kv", "KVd", "1", "Ask", false);
	world_free(&w);
}
END_TEST

/*
 * 300 ms into a silent NULL, the probes after Ask go ahead on lent
 * sockets (Ask belongs on NULL's connection).  Late's hard match at
 * 320 ms is taken only in its turn, after NULL's 6 s and Ask's 5 s.
 */
START_TEST(probes_ahead_are_taken_in_order)
{
	static const struct fake_script s[] = {
		{ 0 }, { 0 }, { .steps = { REPLY(20, "LATE-OK\r\n") } }, { 0 }
	};
	struct world w;

	world_init(&w, s, 4);
	lend_sockets(&w, LEND_ALL);
	world_run(&w);
	ck_assert_uint_eq(w.net.nconns, 4);
	ck_assert_uint_eq(w.net.nwrites, 4);
	assert_sent_ahead(&w);
	assert_write(&w, 3, 0, 6000, "ASK\r\n");
	ck_assert_uint_eq(w.net.conns[2].closed, 320);
	ck_assert_int_eq(w.most_lent, 3);
	ck_assert_uint_eq(w.done_at, 11000);
	assert_service(&w, "late", "Lated", "", "Late", false);
	world_free(&w);
}
END_TEST

/*
 * Probes sent ahead that the peer closed at once with nothing said hold
 * no socket and no bytes while they wait to be sent again in their
 * turn: they do not fill the queue, and the probes after them still go
 * ahead.  On port 9000, nine probes come before Ask (tests/data/vscan.probes).
 */
START_TEST(probes_closed_at_once_leave_room_ahead)
{
	static struct fake_script s[FAKE_MAX_CONNS];
	struct world w;
	size_t i;

	for (i = 1; i < FAKE_MAX_CONNS; i++)
		s[i].steps[0] = (struct fake_step){ .act = FAKE_EOF, .ms = 1, .after_write = true };
	world_init(&w, s, FAKE_MAX_CONNS);
	w.p.portno = 9000;
	lend_sockets(&w, LEND_ALL);
	world_run(&w);
	/* Shut2-Shut8 went at 300 and were closed at 301, when the rest went. */
	assert_wrote(&w, 7, 300, "SHUT8\r\n");
	assert_wrote(&w, 12, 301, "KVONLY\r\n");
	/* Each was sent again in its turn, after Shut1's 5 s on NULL's connection. */
	assert_wrote(&w, 0, 6000, "SHUT1\r\n");
	assert_wrote(&w, 24, 11011, "KVONLY\r\n");
	ck_assert_uint_eq(w.done_at, 11012);
	world_free(&w);
}
END_TEST

/*
 * A probe sent ahead that waited out its time unanswered is taken only
 * if the server surely had it: a connection made after it got an
 * answer meanwhile (a server accepts in order).  Otherwise the server
 * may have been busy with another connection (openssl s_server serves
 * one at a time), and the probe is sent again in its turn; once one
 * such probe is silent in its turn too, the port is taken as silent.
 */
START_TEST(silent_probe_ahead_taken_only_if_the_server_had_it)
{
	static const struct fake_script busy[] = {
		{ 0 }, { 0 }, { 0 }, { 0 }, { .steps = { REPLY(1, "ECHO\r\n") } }
	};
	static const struct fake_script seen[] = {
		{ 0 }, { 0 }, { .steps = { REPLY(1, "NOPE\r\n") } },
		{ .steps = { REPLY(1, "NOPE\r\n") } }
	};
	static const struct fake_script mute[] = { { 0 } };
	struct world w;

	world_init(&w, busy, 5);
	lend_sockets(&w, LEND_ALL);
	world_run(&w);
	assert_sent_ahead(&w);
	assert_wrote(&w, 4, 11000, "ECHO\r\n");
	ck_assert_uint_eq(w.done_at, 11001);
	assert_service(&w, "echo", "Echod", "", "Echo", false);
	world_free(&w);

	world_init(&w, seen, 4);
	lend_sockets(&w, LEND_ALL);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 4);
	assert_sent_ahead(&w);
	ck_assert_uint_eq(w.done_at, 11000);
	ck_assert_ptr_null(w.p.svc.probe);
	world_free(&w);

	/* Echo silent in its turn too: the port is silent, not busy, and
	 * Late's and KvOnly's silences ahead are taken. */
	world_init(&w, mute, 1);
	lend_sockets(&w, LEND_ALL);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 5);
	assert_wrote(&w, 4, 11000, "ECHO\r\n");
	ck_assert_uint_eq(w.done_at, 16000);
	world_free(&w);
}
END_TEST

/* Nmap's sequence on port 80 until Late's answer 20 ms after it was
 * sent: NULL's 6 s, Ask on its connection, then one connection each. */
static void assert_serial_until_late(const struct world *w)
{
	ck_assert_uint_eq(w->net.nwrites, 3);
	assert_write(w, 0, 0, 6000, "ASK\r\n");
	assert_write(w, 1, 1, 11000, "ECHO\r\n");
	assert_write(w, 2, 2, 16000, "LATE\r\n");
	ck_assert_uint_eq(w->done_at, 16020);
}

/* Without sockets to spare, nothing goes ahead. */
START_TEST(no_probe_ahead_without_a_lent_socket)
{
	static const struct fake_script s[] = {
		{ 0 }, { 0 }, { .steps = { REPLY(20, "LATE-OK\r\n") } }
	};
	struct world w;

	world_init(&w, s, 3);
	lend_sockets(&w, 0);
	world_run(&w);
	assert_serial_until_late(&w);
	world_free(&w);
}
END_TEST

/*
 * --max-probes-ahead 0: Nmap's traffic exactly, though sockets are to
 * spare and TLS is possible: no probe ahead, no TLS pass beside.
 */
START_TEST(max_ahead_0_sends_nmaps_sequence)
{
	static const struct fake_script s[] = {
		{ 0 }, { 0 }, { .steps = { REPLY(20, "LATE-OK\r\n") } }
	};
	struct world w;
	size_t i;

	world_init(&w, s, 3);
	allow_tls(&w, 80, "http");
	lend_sockets(&w, LEND_ALL);
	w.c.max_ahead = 0;
	world_run(&w);
	ck_assert_int_eq(w.most_lent, 0);
	ck_assert_uint_eq(w.net.nconns, 3);
	for (i = 0; i < w.net.nconns; i++)
		ck_assert(!w.net.conns[i].tls);
	assert_serial_until_late(&w);
	assert_service(&w, "late", "Lated", "", "Late", false);
	world_free(&w);
}
END_TEST

/* The most connections of the port open at once, from the record. */
static int most_open(const struct world *w)
{
	size_t i, k;
	int most = 0;

	for (i = 0; i < w->net.nconns; i++) {
		int n = 0;

		/* At the moment connection i was made. */
		for (k = 0; k < w->net.nconns; k++)
			n += w->net.conns[k].created <= w->net.conns[i].created &&
			     w->net.conns[k].closed > w->net.conns[i].created;
		if (n > most)
			most = n;
	}
	return most;
}

/*
 * --max-probes-ahead k: never more than k probes ahead hold a connection
 * beside the one in turn, whatever the sockets to spare.  Port 9000 has
 * thirteen probes after NULL, every peer silent (5 s each).
 */
START_TEST(max_ahead_k_is_never_exceeded)
{
	int k;

	for (k = 1; k <= 3; k++) {
		struct world w;

		world_init(&w, NULL, 0);
		w.p.portno = 9000;
		lend_sockets(&w, LEND_ALL);
		w.c.max_ahead = k;
		world_run(&w);
		ck_assert_int_eq(most_open(&w), 1 + k);
		/* And the first probe silent ahead once more in its turn
		 * (silent_probe_ahead_taken_only_if_the_server_had_it). */
		ck_assert_uint_eq(w.net.nwrites, 14);
		world_free(&w);
	}
}
END_TEST

/*
 * A probe sent ahead that the peer closed at once is sent again in its
 * turn only if the peer might have closed it for the connections open
 * beside it: not Echo, opened with 1 other open when Late, kept, was
 * opened with 2; KvOnly, opened with 3, is.
 */
START_TEST(probe_closed_at_once_sent_again_only_without_evidence)
{
	static const struct fake_script s[] = {
		{ 0 },
		{ .steps = { { FAKE_EOF, 1, true, NULL } } },
		{ 0 },
		{ .steps = { { FAKE_EOF, 1, true, NULL } } },
	};
	struct world w;

	world_init(&w, s, 4);
	lend_sockets(&w, LEND_ALL);
	world_run(&w);
	assert_sent_ahead(&w);
	ck_assert_uint_eq(w.net.nconns, 5);
	ck_assert_uint_eq(w.net.nwrites, 5);
	assert_write(&w, 3, 0, 6000, "ASK\r\n");
	assert_write(&w, 4, 4, 11000, "KVONLY\r\n");
	ck_assert_uint_eq(w.done_at, 16000);
	world_free(&w);
}
END_TEST

/*
 * -T0..-T3 as the engine gets them, and what a silent port sees of each:
 * -T0..-T2 send nothing ahead, so Echo comes after Ask's 5 s on NULL's
 * connection, then their pause (5 min, 15 s, 400 ms); -T3 sends it
 * ahead 300 ms into NULL.  One port at a time per host at -T0 and -T1.
 */
START_TEST(timing_levels_differ_in_traffic)
{
	static const uint64_t echo_at[4] = { 311000, 26000, 11400, 300 };
	static const unsigned per_host[4] = { 1, 1, 4, 64 };
	int level;

	for (level = 0; level <= 3; level++) {
		const struct svd_timing *t = svd_timing_level(level);
		struct world w;

		ck_assert_uint_eq(t->per_host, per_host[level]);
		ck_assert_uint_le(t->per_host, t->parallelism);
		world_init(&w, NULL, 0);
		lend_sockets(&w, LEND_ALL);
		w.c.max_ahead = t->probes_ahead;
		w.c.probe_delay_ms = t->probe_delay_ms;
		world_run(&w);
		assert_wrote(&w, 1, echo_at[level], "ECHO\r\n");
		ck_assert_int_eq(most_open(&w), level < 3 ? 1 : 4);
		world_free(&w);
	}
}
END_TEST

/*
 * NULL's softmatch of echo rules Ask out, so Echo becomes the probe after
 * NULL: though it went ahead on its own connection, it is sent again on
 * NULL's, after the banner, as Nmap sends it.
 */
START_TEST(probe_ahead_redone_on_null_connection)
{
	static const struct fake_script s[] = {
		{ .steps = { SEND(400, "ECHO-SOFT\r\n"), REPLY(3, "ECHO\r\n") } },
		{ .steps = { REPLY(1, "ECHO\r\n") } }
	};
	struct world w;

	world_init(&w, s, 2);
	lend_sockets(&w, LEND_ALL);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 4);
	assert_sent_ahead(&w);
	assert_write(&w, 3, 0, 6000, "ECHO\r\n");
	ck_assert_uint_eq(w.done_at, 6003);
	assert_service(&w, "echo", "Echod", "", "Echo", false);
	world_free(&w);
}
END_TEST

/* The host's deadline cuts Ask's wait short and keeps the softmatch. */
START_TEST(host_deadline_keeps_what_was_found)
{
	static const struct fake_script s[] = { { .steps = { SEND(10, "KV-SOFT\r\n") } } };
	struct world w;

	world_init(&w, s, 1);
	w.deadline = 8000;
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 1);
	assert_write(&w, 0, 0, 6000, "ASK\r\n");
	ck_assert_uint_eq(w.done_at, 8000);
	assert_service(&w, "kv", "", "", "NULL", true);
	world_free(&w);
}
END_TEST

/* A later connect that fails ends the port with what it has: no name,
 * and NULL's response in the fingerprint (intensity >= 7). */
START_TEST(connect_failure_ends_incomplete)
{
	static const struct fake_script s[] = {
		{ .steps = { SEND(10, "HELLO\r\n"), END(FAKE_EOF, 10) } },
		{ .connect = FAKE_CONNECT_REFUSED, .connect_ms = 1 }
	};
	struct world w;

	world_init(&w, s, 2);
	world_run(&w);
	ck_assert_uint_eq(w.net.nconns, 2);
	ck_assert_uint_eq(w.net.nwrites, 0);
	ck_assert_uint_eq(w.done_at, 21);
	assert_service(&w, "", "", "", NULL, false);
	ck_assert_ptr_nonnull(w.p.svc.fingerprint);
	ck_assert_ptr_nonnull(strstr(w.p.svc.fingerprint, "HELLO"));
	world_free(&w);
}
END_TEST

/* So does a host that became unreachable, or a connect that could not
 * start (no descriptor left): reported from the loop, at once. */
START_TEST(unreachable_or_no_descriptor_ends_incomplete)
{
	static const struct fake_script unreach[] = {
		{ .steps = { SEND(10, "HELLO\r\n"), END(FAKE_EOF, 10) } },
		{ .connect = FAKE_CONNECT_UNREACH, .connect_ms = 7 }
	};
	static const struct fake_script emfile[] = {
		{ .steps = { SEND(10, "HELLO\r\n"), END(FAKE_EOF, 10) } },
		{ .connect = FAKE_CONNECT_EMFILE }
	};
	struct world w;

	world_init(&w, unreach, 2);
	world_run(&w);
	ck_assert_uint_eq(w.done_at, 27);
	assert_service(&w, "", "", "", NULL, false);
	world_free(&w);

	world_init(&w, emfile, 2);
	world_run(&w);
	ck_assert_uint_eq(w.net.nconns, 2);
	ck_assert_uint_eq(w.net.conns[1].closed, 20);
	ck_assert_uint_eq(w.done_at, 20);
	assert_service(&w, "", "", "", NULL, false);
	world_free(&w);
}
END_TEST

/* A connect that never completes ends at the 5 s connect timeout. */
START_TEST(connect_timeout_ends_incomplete)
{
	static const struct fake_script s[] = { { .connect = FAKE_CONNECT_HANG } };
	struct world w;

	world_init(&w, s, 1);
	world_run(&w);
	ck_assert_uint_eq(w.done_at, 5000);
	ck_assert_uint_eq(w.net.conns[0].closed, 5000);
	assert_service(&w, "", "", "", NULL, false);
	ck_assert_ptr_null(w.p.svc.fingerprint);
	world_free(&w);
}
END_TEST

/*
 * A hard match of `ssl` starts over from NULL through TLS, where the
 * probes listed in sslports come first; the port is then ssl/kv, and one
 * more TLS connection takes the handshake's facts.
 */
START_TEST(ssl_match_restarts_from_null_through_tls)
{
	static const struct fake_script s[] = {
		{ .steps = { REPLY(2, "TLS-ALERT\r\n") } },
		{ .connect_ms = 4, .steps = { REPLY(3, "KVONLY 2.5\r\n") } }
	};
	struct world w;

	world_init(&w, s, 2);
	allow_tls(&w, 443, "https");
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 2);
	assert_write(&w, 0, 0, 6000, "TLSHELLO\r\n");
	ck_assert(!w.net.conns[0].tls);
	ck_assert_uint_eq(w.net.conns[0].closed, 6002);
	/* NULL through TLS waits 6 s from the handshake's end. */
	ck_assert(w.net.conns[1].tls);
	ck_assert_uint_eq(w.net.conns[1].created, 6002);
	ck_assert_uint_eq(w.net.conns[1].opened, 6006);
	assert_write(&w, 1, 1, 12006, "KVONLY\r\n");
	ck_assert_uint_eq(w.net.nconns, 3);
	ck_assert(w.net.conns[2].tls);
	ck_assert_uint_eq(w.net.conns[2].created, 12009);
	ck_assert_uint_eq(w.done_at, 12009);
	assert_service(&w, "kv", "KVd", "2.5", "KvOnly", false);
	ck_assert(w.p.svc.ssl);
	ck_assert_str_eq(w.p.svc.v.info, "full");
	world_free(&w);
}
END_TEST

/* A handshake that fails in the tunnel: ssl/ and the table's name. */
START_TEST(ssl_handshake_failure_keeps_the_tunnel)
{
	static const struct fake_script s[] = {
		{ .steps = { REPLY(2, "TLS-ALERT\r\n") } },
		{ .connect = FAKE_CONNECT_HANDSHAKE, .connect_ms = 4 }
	};
	struct world w;

	world_init(&w, s, 2);
	allow_tls(&w, 443, "https");
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 1);
	ck_assert_uint_eq(w.net.nconns, 2);
	ck_assert_uint_eq(w.done_at, 6006);
	assert_service(&w, "https", "", "", NULL, false);
	ck_assert(w.p.svc.ssl);
	ck_assert_int_eq(w.p.svc.method, SVD_METHOD_TABLE);
	world_free(&w);
}
END_TEST

/*
 * svdetect's own, beyond Nmap: a port that stayed silent to every probe
 * is tried through TLS once more, and named if a handshake succeeds;
 * if none does, Nmap's answer (nothing) stands.
 */
START_TEST(silent_port_is_tried_through_tls)
{
	static const struct fake_script found[] = {
		{ 0 }, { 0 }, { 0 }, { 0 },
		{ .connect_ms = 5, .steps = { SEND(10, "BANNER 3\r\n") } }
	};
	static const struct fake_script refused[] = {
		{ 0 }, { 0 }, { 0 }, { 0 }, { .connect = FAKE_CONNECT_HANDSHAKE, .connect_ms = 5 }
	};
	struct world w;

	world_init(&w, found, 5);
	allow_tls(&w, 80, "http");
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 4);
	assert_write(&w, 3, 3, 21000, "KVONLY\r\n");
	ck_assert(w.net.conns[4].tls);
	ck_assert_uint_eq(w.net.conns[4].created, 26000);
	ck_assert_uint_eq(w.net.nconns, 6); /* and the facts' handshake */
	ck_assert_uint_eq(w.done_at, 26015);
	assert_service(&w, "banner", "Bannerd", "3", "NULL", false);
	ck_assert(w.p.svc.ssl);
	world_free(&w);

	world_init(&w, refused, 5);
	allow_tls(&w, 80, "http");
	world_run(&w);
	ck_assert_uint_eq(w.net.nconns, 5);
	ck_assert_uint_eq(w.done_at, 26005);
	assert_service(&w, "http", "", "", NULL, false);
	ck_assert(!w.p.svc.ssl);
	world_free(&w);
}
END_TEST

/* Without a TLS context a match of ssl is the answer, as in an Nmap
 * without OpenSSL. */
START_TEST(ssl_match_without_tls_is_the_answer)
{
	static const struct fake_script s[] = { { .steps = { REPLY(2, "TLS-ALERT\r\n") } } };
	struct world w;

	world_init(&w, s, 1);
	w.p.portno = 443;
	world_run(&w);
	ck_assert_uint_eq(w.net.nconns, 1);
	ck_assert_uint_eq(w.done_at, 6002);
	assert_service(&w, "ssl", "FakeTLS", "", "TlsHello", false);
	ck_assert(!w.p.svc.ssl);
	world_free(&w);
}
END_TEST

/*
 * svdetect's own: 300 ms into a silent NULL probe, a TLS pass starts
 * beside the plain one on a lent socket.  When the plain pass matches
 * ssl (TlsHello, after NULL's 6 s), the port's answer is that pass's,
 * 6 s sooner than starting over: compare ssl_match_restarts_from_null_through_tls.
 */
START_TEST(tls_pass_beside_is_the_answer_after_ssl)
{
	static const struct fake_script s[] = {
		{ .steps = { REPLY(2, "TLS-ALERT\r\n") } },
		{ .connect_ms = 4, .steps = { REPLY(3, "KVONLY 2.5\r\n") } }
	};
	struct world w;

	world_init(&w, s, 2);
	allow_tls(&w, 443, "https");
	lend_sockets(&w, 1);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 2);
	assert_write(&w, 0, 0, 6000, "TLSHELLO\r\n");
	ck_assert(!w.net.conns[0].tls);
	/* The TLS pass: NULL through TLS from 304, then KvOnly on its connection. */
	ck_assert(w.net.conns[1].tls);
	ck_assert_uint_eq(w.net.conns[1].created, 300);
	assert_write(&w, 1, 1, 6304, "KVONLY\r\n");
	ck_assert_uint_eq(w.net.nconns, 3); /* and the facts' handshake */
	ck_assert(w.net.conns[2].tls);
	ck_assert_uint_eq(w.net.conns[2].created, 6307);
	ck_assert_uint_eq(w.done_at, 6307);
	ck_assert_int_eq(w.most_lent, 1);
	assert_service(&w, "kv", "KVd", "2.5", "KvOnly", false);
	ck_assert(w.p.svc.ssl);
	ck_assert_str_eq(w.p.svc.v.info, "full");
	world_free(&w);
}
END_TEST

/* A plain answer is the answer: the TLS pass is dropped, its softmatch unused. */
START_TEST(tls_pass_dropped_when_the_plain_pass_names_the_port)
{
	static const struct fake_script s[] = {
		{ .steps = { REPLY(5, "KV 1.0\r\n") } },
		{ .connect_ms = 4, .steps = { SEND(10, "ECHO-SOFT\r\n") } }
	};
	struct world w;

	world_init(&w, s, 2);
	allow_tls(&w, 80, "http");
	lend_sockets(&w, 1);
	world_run(&w);
	ck_assert(w.net.conns[1].tls);
	ck_assert_uint_eq(w.net.conns[1].created, 300);
	ck_assert_uint_eq(w.net.conns[1].closed, 6005);
	ck_assert_uint_eq(w.net.nwrites, 1);
	assert_write(&w, 0, 0, 6000, "ASK\r\n");
	ck_assert_uint_eq(w.done_at, 6005);
	assert_service(&w, "kv", "KVd", "1.0", "Ask", false);
	ck_assert(!w.p.svc.ssl);
	world_free(&w);
}
END_TEST

/*
 * The guess at TLS for a port nothing matched is the TLS pass that ran
 * beside: taken when the plain pass ends (15550, with the probes ahead
 * the pass's end let go), and no second handshake.  A pass whose
 * handshake failed leaves the guess as it was: one more handshake at
 * the end, and if it fails too, Nmap's answer.
 */
START_TEST(tls_pass_answers_the_guess)
{
	static const struct fake_script found[] = {
		{ 0 }, { .connect_ms = 4, .steps = { SEND(10, "BANNER 3\r\n") } },
		{ .steps = { REPLY(1, "NOPE\r\n") } }, { .steps = { REPLY(1, "NOPE\r\n") } },
		{ .steps = { REPLY(1, "NOPE\r\n") } }
	};
	static const struct fake_script refused[] = {
		{ 0 }, { .connect = FAKE_CONNECT_HANDSHAKE, .connect_ms = 4 },
		{ .steps = { REPLY(1, "NOPE\r\n") } }, { .steps = { REPLY(1, "NOPE\r\n") } },
		{ .steps = { REPLY(1, "NOPE\r\n") } },
		{ .connect = FAKE_CONNECT_HANDSHAKE, .connect_ms = 4 }
	};
	struct world w;

	world_init(&w, found, 5);
	allow_tls(&w, 80, "http");
	lend_sockets(&w, 1);
	world_run(&w);
	ck_assert(w.net.conns[1].tls);
	ck_assert_uint_eq(w.net.conns[1].created, 300);
	ck_assert_uint_eq(w.net.conns[1].closed, 314);
	ck_assert_uint_eq(w.net.nwrites, 4);
	assert_write(&w, 0, 2, 550, "ECHO\r\n");
	assert_wrote(&w, 0, 6000, "ASK\r\n");
	assert_wrote(&w, 4, 10550, "KVONLY\r\n");
	ck_assert_uint_eq(w.net.nconns, 6); /* and the facts' handshake */
	ck_assert(w.net.conns[5].tls);
	ck_assert_uint_eq(w.done_at, 15550);
	assert_service(&w, "banner", "Bannerd", "3", "NULL", false);
	ck_assert(w.p.svc.ssl);
	world_free(&w);

	world_init(&w, refused, 6);
	allow_tls(&w, 80, "http");
	lend_sockets(&w, 1);
	world_run(&w);
	ck_assert_uint_eq(w.net.nconns, 6);
	ck_assert(w.net.conns[5].tls);
	ck_assert_uint_eq(w.net.conns[5].created, 15550);
	ck_assert_uint_eq(w.done_at, 15554);
	assert_service(&w, "http", "", "", NULL, false);
	ck_assert(!w.p.svc.ssl);
	world_free(&w);
}
END_TEST

/* A TLS pass whose handshake failed does not stand for Nmap's rescan
 * after a hard match of ssl: the port starts over through TLS then. */
START_TEST(tls_pass_without_handshake_leaves_the_rescan)
{
	static const struct fake_script s[] = {
		{ .steps = { REPLY(2, "TLS-ALERT\r\n") } },
		{ .connect = FAKE_CONNECT_HANDSHAKE, .connect_ms = 4 },
		{ 0 }, { 0 },
		{ .connect_ms = 4, .steps = { REPLY(3, "KVONLY 2.5\r\n") } }
	};
	struct world w;

	world_init(&w, s, 5);
	allow_tls(&w, 443, "https");
	lend_sockets(&w, 1);
	world_run(&w);
	ck_assert(w.net.conns[1].tls);
	ck_assert(!w.net.conns[2].tls); /* probes ahead on the socket it let go */
	ck_assert_uint_eq(w.net.conns[2].created, 550);
	ck_assert(w.net.conns[4].tls);
	ck_assert_uint_eq(w.net.conns[4].created, 6002);
	assert_wrote(&w, 4, 12006, "KVONLY\r\n");
	ck_assert_uint_eq(w.done_at, 12009);
	assert_service(&w, "kv", "KVd", "2.5", "KvOnly", false);
	ck_assert(w.p.svc.ssl);
	world_free(&w);
}
END_TEST

static struct svd_vscan_ctx *stopping_ctx;

static void stop_scan(struct ev_loop *l, struct ev_timer *t)
{
	(void)l;
	(void)t;
	svd_vscan_stop_all(stopping_ctx);
}

/* A scan stopped while the port awaits its TLS pass (after a hard match
 * of ssl) reports what that pass found: the tunnel, incomplete. */
START_TEST(stop_while_awaiting_the_tls_pass)
{
	static const struct fake_script s[] = {
		{ .steps = { REPLY(2, "TLS-ALERT\r\n") } },
		{ .connect_ms = 4 }
	};
	struct world w;
	struct ev_timer stop;

	world_init(&w, s, 2);
	allow_tls(&w, 443, "https");
	lend_sockets(&w, 1);
	stopping_ctx = &w.c;
	memset(&stop, 0, sizeof stop);
	ev_timer_start(w.c.loop, &stop, 7000, stop_scan);
	world_run(&w);
	ck_assert_uint_eq(w.done_at, 7000);
	ck_assert_uint_eq(w.net.conns[1].closed, 7000);
	assert_service(&w, "https", "", "", NULL, false);
	ck_assert(w.p.svc.ssl);
	ck_assert_int_eq(w.p.svc.method, SVD_METHOD_TABLE);
	world_free(&w);
}
END_TEST

/* --- UDP ------------------------------------------------------------------- */

/* world_init's, but for UDP port 5300 in state (open, or open|filtered
 * as the port scan left it), its table name "udns-table". */
static void udp_world_init(struct world *w, const struct fake_script *scripts, size_t n,
			   enum svd_port_state state)
{
	world_init(w, scripts, n);
	w->p.portno = 5300;
	w->p.proto = SVD_UDP;
	w->p.state = (uint8_t)state;
	w->p.reason = state == SVD_PORT_OPEN ? "udp-response" : "no-response";
	snprintf(w->p.svc.name, sizeof w->p.svc.name, "udns-table");
}

/* Whether the fingerprint holds s, its "\nSF:" line breaks taken out. */
static bool fp_has(const char *fp, const char *s)
{
	char *flat = malloc(strlen(fp) + 1), *o = flat;
	bool found;

	ck_assert_ptr_nonnull(flat);
	while (*fp)
		if (strncmp(fp, "\nSF:", 4) == 0)
			fp += 4;
		else
			*o++ = *fp++;
	*o = '\0';
	found = strstr(flat, s) != NULL;
	free(flat);
	return found;
}

static void assert_udp_conns(const struct world *w)
{
	size_t i;

	for (i = 0; i < w->net.nconns; i++)
		ck_assert(w->net.conns[i].udp);
}

/* No NULL probe: the probes listing the port, then the others by rarity,
 * each a datagram on a socket of its own, each waited for its
 * totalwaitms; a port nothing answered stays open|filtered, named by the
 * table. */
START_TEST(udp_probes_in_order_without_null)
{
	struct world w;

	udp_world_init(&w, NULL, 0, SVD_PORT_OPEN_FILTERED);
	world_run(&w);
	assert_udp_conns(&w);
	ck_assert_uint_eq(w.net.nconns, 3);
	ck_assert_uint_eq(w.net.nwrites, 3);
	assert_write(&w, 0, 0, 0, "DIG\r\n");
	assert_write(&w, 1, 1, 5000, "STAT\r\n");
	assert_write(&w, 2, 2, 10000, "ULATE\r\n");
	ck_assert_uint_eq(w.done_at, 12000);
	ck_assert_int_eq(w.p.state, SVD_PORT_OPEN_FILTERED);
	ck_assert_str_eq(w.p.reason, "no-response");
	assert_service(&w, "udns-table", "", "", NULL, false);
	ck_assert_int_eq(w.p.svc.method, SVD_METHOD_TABLE);
	ck_assert_ptr_null(w.p.svc.fingerprint);
	world_free(&w);
}
END_TEST

/* An answer makes an open|filtered port open (Nmap's udp-response, TTL
 * 0), and a hard match ends it; two datagrams are matched as one
 * response, as Nmap appends its reads. */
START_TEST(udp_answer_opens_the_port)
{
	static const struct fake_script s[] = {
		{ .steps = { REPLY(5, "DIG-"), SEND(1, "OK 1.2") } },
	};
	struct world w;

	udp_world_init(&w, s, 1, SVD_PORT_OPEN_FILTERED);
	world_run(&w);
	ck_assert_uint_eq(w.done_at, 6);
	ck_assert_int_eq(w.p.state, SVD_PORT_OPEN);
	ck_assert_str_eq(w.p.reason, "udp-response");
	ck_assert_uint_eq(w.p.reason_ttl, 0);
	assert_service(&w, "udns", "UDNSd", "1.2", "UDig", false);
	world_free(&w);
}
END_TEST

/* A UDP chain is the probe and its fallbacks, never NULL: a banner NULL
 * would name is the fingerprint's, SF-Port5300-UDP. */
START_TEST(udp_fallback_without_null)
{
	static const struct fake_script s[] = {
		{ .steps = { REPLY(1, "BANNER 1.0\r\n") } },
		{ .steps = { REPLY(1, "nothing") } },
		{ .steps = { REPLY(1, "DIG-OK 2.0") } },
	};
	struct world w;

	udp_world_init(&w, s, 3, SVD_PORT_OPEN_FILTERED);
	world_run(&w);
	ck_assert_uint_eq(w.done_at, 10001);
	assert_service(&w, "udns", "UDNSd", "2.0", "ULate", false);
	ck_assert_ptr_null(w.p.svc.fingerprint); /* a hard match prints none */
	world_free(&w);

	udp_world_init(&w, s, 2, SVD_PORT_OPEN);
	world_run(&w);
	ck_assert_ptr_nonnull(w.p.svc.fingerprint);
	ck_assert(fp_has(w.p.svc.fingerprint, "SF-Port5300-UDP:V="));
	ck_assert(fp_has(w.p.svc.fingerprint, "%r(UDig,C,\"BANNER\\x201\\.0\\r\\n\")"));
	ck_assert(fp_has(w.p.svc.fingerprint, "%r(UStat,7,\"nothing\")"));
	assert_service(&w, "udns-table", "", "", NULL, false);
	world_free(&w);
}
END_TEST

/* After a softmatch only the probes whose lines can name the service. */
START_TEST(udp_softmatch_filters_the_probes)
{
	static const struct fake_script s[] = {
		{ .steps = { REPLY(1, "DIG-SOFT") } },
		{ .steps = { REPLY(1, "UDNS-STAT 3") } },
	};
	struct world w;

	udp_world_init(&w, s, 2, SVD_PORT_OPEN_FILTERED);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 2);
	assert_write(&w, 1, 1, 5000, "STAT\r\n");
	ck_assert_uint_eq(w.done_at, 5001);
	assert_service(&w, "udns", "UDNSd", "3", "UStat", false);
	ck_assert_str_eq(w.p.svc.v.info, "stat");
	world_free(&w);
}
END_TEST

/*
 * ICMP: a port unreachable from the host ends an open|filtered port as
 * closed (beyond Nmap, which leaves it open|filtered); on an open port
 * it only ends the probe, as Nmap goes on with the next; a host
 * unreachable from a router ends the port incomplete, as Nmap gives up.
 */
START_TEST(udp_icmp_errors)
{
	static const struct fake_script unreach[] = {
		{ .steps = { { FAKE_PORT_UNREACH, 1, true, NULL } } },
		{ .steps = { REPLY(2, "STAT-OK") } },
	};
	static const struct fake_script router[] = {
		{ .steps = { { FAKE_HOST_UNREACH, 1, true, NULL } } },
	};
	struct world w;

	udp_world_init(&w, unreach, 2, SVD_PORT_OPEN_FILTERED);
	world_run(&w);
	ck_assert_uint_eq(w.net.nconns, 1);
	ck_assert_uint_eq(w.done_at, 1);
	ck_assert_int_eq(w.p.state, SVD_PORT_CLOSED);
	ck_assert_str_eq(w.p.reason, "port-unreach");
	ck_assert_uint_eq(w.p.reason_ttl, FAKE_TTL);
	assert_service(&w, "udns-table", "", "", NULL, false);
	world_free(&w);

	udp_world_init(&w, unreach, 2, SVD_PORT_OPEN);
	world_run(&w);
	ck_assert_uint_eq(w.net.nconns, 2);
	assert_write(&w, 1, 1, 1, "STAT\r\n");
	ck_assert_uint_eq(w.done_at, 3);
	ck_assert_int_eq(w.p.state, SVD_PORT_OPEN);
	assert_service(&w, "ustat", "Statd", "", "UStat", false);
	world_free(&w);

	udp_world_init(&w, router, 1, SVD_PORT_OPEN_FILTERED);
	world_run(&w);
	ck_assert_uint_eq(w.net.nconns, 1);
	ck_assert_uint_eq(w.done_at, 1);
	ck_assert_int_eq(w.p.state, SVD_PORT_OPEN_FILTERED);
	assert_service(&w, "udns-table", "", "", NULL, false);
	world_free(&w);
}
END_TEST

/* Probing ahead: every probe at once on its own socket, the results
 * taken in Nmap's order: UStat's match, though ULate's came first. */
START_TEST(udp_probes_ahead_are_taken_in_order)
{
	static const struct fake_script s[] = {
		{ .connect_ms = 0 },
		{ .steps = { REPLY(20, "STAT-OK") } },
		{ .steps = { REPLY(10, "ULATE-OK") } },
	};
	struct world w;

	udp_world_init(&w, s, 3, SVD_PORT_OPEN_FILTERED);
	lend_sockets(&w, LEND_ALL);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 3);
	assert_wrote(&w, 0, 0, "DIG\r\n");
	assert_wrote(&w, 1, 0, "STAT\r\n");
	assert_wrote(&w, 2, 0, "ULATE\r\n");
	ck_assert_uint_eq(w.done_at, 5000);
	ck_assert_int_eq(w.p.state, SVD_PORT_OPEN);
	assert_service(&w, "ustat", "Statd", "", "UStat", false);
	ck_assert_int_eq(w.most_lent, 2);
	world_free(&w);
}
END_TEST

/*
 * A probe ahead that got nothing from a port known to read (it answered
 * the port scan) is sent again in its turn, as Nmap sends it: a server
 * that limits its answers' rate drops some of a burst.  UDig goes in its
 * turn, UStat and ULate ahead.  Case 0: UStat's datagram ahead was
 * dropped; sent again at 5 s, when UDig's wait is over, its answer names
 * the port.  Case 1: a port silent to it in its turn too: ULate's silence
 * ahead stands (one wait more at most).  Case 2: a port not known to read
 * (open|filtered, nothing taken in turn answered): UStat's silence
 * stands, as in udp_probes_ahead_are_taken_in_order.
 */
START_TEST(udp_silent_probe_ahead_sent_again)
{
	static const struct fake_script answered[] = {
		{ .steps = { REPLY(10, "nothing") } },
		{ .connect_ms = 0 },
		{ .connect_ms = 0 },
		{ .steps = { REPLY(1, "STAT-OK") } },
	};
	static const struct fake_script silent[] = { { .connect_ms = 0 } };
	struct world w;

	udp_world_init(&w, _i == 0 ? answered : silent, _i == 0 ? 4 : 1,
		       _i == 2 ? SVD_PORT_OPEN_FILTERED : SVD_PORT_OPEN);
	lend_sockets(&w, LEND_ALL);
	world_run(&w);
	assert_wrote(&w, 0, 0, "DIG\r\n");
	assert_wrote(&w, 1, 0, "STAT\r\n");
	assert_wrote(&w, 2, 0, "ULATE\r\n");
	if (_i == 2) {
		ck_assert_uint_eq(w.net.nwrites, 3);
		ck_assert_uint_eq(w.done_at, 5000);
		world_free(&w);
		return;
	}
	ck_assert_uint_eq(w.net.nwrites, 4);
	assert_wrote(&w, 3, 5000, "STAT\r\n");
	if (_i == 0) {
		ck_assert_uint_eq(w.done_at, 5001);
		assert_service(&w, "ustat", "Statd", "", "UStat", false);
	} else {
		ck_assert_uint_eq(w.done_at, 10000);
		assert_service(&w, "udns-table", "", "", NULL, false);
	}
	world_free(&w);
}
END_TEST

/* Nmap 7.94+: the port scan's reply is matched first along the payload
 * probes' chains, as probe "port scan"; a hard match ends the port with
 * no probe sent, a softmatch filters the probes.  The 7.93 model
 * (nmap-payloads) does not match it. */
START_TEST(udp_port_scan_reply_is_matched_first)
{
	static const struct fake_script s[] = {
		{ .steps = { REPLY(1, "DIG-OK 7") } },
	};
	struct svd_payloads pl, file = { 0 };
	struct world w;

	ck_assert_int_eq(svd_payloads_from_probes(&pl, &svd_sigdb_vtest), 0);
	udp_world_init(&w, NULL, 0, SVD_PORT_OPEN);
	w.c.payloads = &pl;
	world_run_with(&w, "DIG-OK 9.9");
	ck_assert_uint_eq(w.net.nconns, 0);
	ck_assert_uint_eq(w.done_at, 0);
	assert_service(&w, "udns", "UDNSd", "9.9", "port scan", false);
	world_free(&w);

	udp_world_init(&w, s, 1, SVD_PORT_OPEN);
	w.c.payloads = &pl;
	world_run_with(&w, "STAT-OK");     /* UStat's line: not a payload of 5300 */
	assert_service(&w, "udns", "UDNSd", "7", "UDig", false);
	world_free(&w);

	udp_world_init(&w, NULL, 0, SVD_PORT_OPEN);
	w.c.payloads = &pl;
	world_run_with(&w, "DIG-SOFT");
	ck_assert_uint_eq(w.net.nwrites, 2);
	assert_write(&w, 0, 0, 0, "DIG\r\n");
	assert_write(&w, 1, 1, 5000, "STAT\r\n"); /* ULate cannot name udns */
	ck_assert_uint_eq(w.done_at, 10000);
	assert_service(&w, "udns", "", "", "port scan", true);
	world_free(&w);

	udp_world_init(&w, s, 1, SVD_PORT_OPEN);
	w.c.payloads = &file;
	world_run_with(&w, "DIG-OK 9.9");
	ck_assert_uint_eq(w.net.nconns, 1);
	assert_service(&w, "udns", "UDNSd", "7", "UDig", false);
	world_free(&w);
	svd_payloads_free(&pl);
}
END_TEST

/* UDP port 5301 with DTLS tunnels (Nmap 7.94+) through the fake TLS. */
static void dtls_world_init(struct world *w, const struct fake_script *scripts, size_t n,
			    bool dtls)
{
	udp_world_init(w, scripts, n, SVD_PORT_OPEN);
	w->p.portno = 5301;
	snprintf(w->p.svc.name, sizeof w->p.svc.name, "coaps");
	w->c.tls = &fake_tls_transport;
	w->c.tls_ctx = &w->net;
	if (dtls)
		w->c.dtls = &fake_tls_transport;
}

/*
 * A hard match of `dtls` on a UDP port starts it over through DTLS, as
 * Nmap 7.94+ does: the probe whose sslports list the port first, each on
 * a DTLS connection of its own, then one more for the handshake's facts;
 * the port is ssl/uin, its fingerprint %T=SSL.  Without DTLS tunnels
 * (Nmap 7.93's model) the answer is `dtls` itself.  A port scan reply
 * that matched `dtls` starts the probing through DTLS at once.
 */
START_TEST(udp_dtls_match_restarts_through_dtls)
{
	static const struct fake_script s[] = {
		{ .steps = { REPLY(1, "DTLS-HELLO") } },
		{ .connect_ms = 3, .steps = { REPLY(2, "IN-OK 3.1") } },
	};
	static const struct fake_script inside[] = {
		{ .connect_ms = 3, .steps = { REPLY(2, "IN-OK 3.1") } },
	};
	struct svd_payloads pl;
	struct world w;

	dtls_world_init(&w, s, 2, true);
	world_run(&w);
	ck_assert_uint_eq(w.net.nwrites, 2);
	assert_write(&w, 0, 0, 0, "HELLO\r\n");
	ck_assert(w.net.conns[0].udp && !w.net.conns[0].tls);
	assert_write(&w, 1, 1, 4, "INSIDE\r\n");
	ck_assert(w.net.conns[1].tls);
	ck_assert_uint_eq(w.net.nconns, 3); /* the facts' handshake */
	ck_assert(w.net.conns[2].tls);
	assert_service(&w, "uin", "Insided", "3.1", "UInside", false);
	ck_assert(w.p.svc.ssl);
	world_free(&w);

	dtls_world_init(&w, s, 1, false);
	world_run(&w);
	ck_assert_uint_eq(w.net.nconns, 1);
	assert_service(&w, "dtls", "", "", "UHello", false);
	ck_assert(!w.p.svc.ssl);
	world_free(&w);

	ck_assert_int_eq(svd_payloads_from_probes(&pl, &svd_sigdb_vtest), 0);
	dtls_world_init(&w, inside, 1, true);
	w.c.payloads = &pl;
	world_run_with(&w, "DTLS-HELLO");
	ck_assert(w.net.conns[0].tls);
	assert_write(&w, 0, 0, 3, "INSIDE\r\n");
	assert_service(&w, "uin", "Insided", "3.1", "UInside", false);
	ck_assert(w.p.svc.ssl);
	world_free(&w);
	svd_payloads_free(&pl);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vscan");
	TCase *tc = tcase_create("probe sequence");

	tcase_add_test(tc, null_probe_banner_matches_at_once);
	tcase_add_test(tc, udp_probes_in_order_without_null);
	tcase_add_test(tc, udp_answer_opens_the_port);
	tcase_add_test(tc, udp_fallback_without_null);
	tcase_add_test(tc, udp_softmatch_filters_the_probes);
	tcase_add_test(tc, udp_icmp_errors);
	tcase_add_test(tc, udp_probes_ahead_are_taken_in_order);
	tcase_add_loop_test(tc, udp_silent_probe_ahead_sent_again, 0, 3);
	tcase_add_test(tc, udp_dtls_match_restarts_through_dtls);
	tcase_add_test(tc, udp_port_scan_reply_is_matched_first);
	tcase_add_test(tc, silent_null_then_next_probe_on_its_connection);
	tcase_add_test(tc, eof_on_null_then_new_connection);
	tcase_add_test(tc, reset_on_null_then_new_connection_and_no_fingerprint_of_it);
	tcase_add_test(tc, fallback_probe_line_matches);
	tcase_add_test(tc, stalled_write_waits_out_the_probe);
	tcase_add_test(tc, softmatch_sends_only_probes_that_can_name_it);
	tcase_add_test(tc, softmatch_of_null_filters_probes_ahead);
	tcase_add_test(tc, intensity_9_sends_every_probe_after_a_softmatch);
	tcase_add_test(tc, early_close_is_tcpwrapped);
	tcase_add_test(tc, late_close_is_not_tcpwrapped);
	tcase_add_test(tc, probes_ahead_are_taken_in_order);
	tcase_add_test(tc, no_probe_ahead_without_a_lent_socket);
	tcase_add_test(tc, silent_probe_ahead_taken_only_if_the_server_had_it);
	tcase_add_test(tc, probes_closed_at_once_leave_room_ahead);
	tcase_add_test(tc, probe_ahead_redone_on_null_connection);
	tcase_add_test(tc, max_ahead_0_sends_nmaps_sequence);
	tcase_add_test(tc, max_ahead_k_is_never_exceeded);
	tcase_add_test(tc, probe_closed_at_once_sent_again_only_without_evidence);
	tcase_add_test(tc, timing_levels_differ_in_traffic);
	tcase_add_test(tc, host_deadline_keeps_what_was_found);
	tcase_add_test(tc, connect_failure_ends_incomplete);
	tcase_add_test(tc, unreachable_or_no_descriptor_ends_incomplete);
	tcase_add_test(tc, connect_timeout_ends_incomplete);
	tcase_add_test(tc, ssl_match_restarts_from_null_through_tls);
	tcase_add_test(tc, ssl_handshake_failure_keeps_the_tunnel);
	tcase_add_test(tc, ssl_match_without_tls_is_the_answer);
	tcase_add_test(tc, silent_port_is_tried_through_tls);
	tcase_add_test(tc, tls_pass_beside_is_the_answer_after_ssl);
	tcase_add_test(tc, tls_pass_dropped_when_the_plain_pass_names_the_port);
	tcase_add_test(tc, tls_pass_answers_the_guess);
	tcase_add_test(tc, tls_pass_without_handshake_leaves_the_rescan);
	tcase_add_test(tc, stop_while_awaiting_the_tls_pass);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
