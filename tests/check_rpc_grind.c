/*
 * The SunRPC grinder (runtime/scan/rpc_grind.h) against scripted peers
 * (tests/fake_conn.h) on a test clock: what it sends, what it makes of
 * good replies, and that no reply a peer can send (too long, in endless
 * fragments, for another call, malformed, late, in pieces) makes it loop,
 * wait past its bounds or name the port; over UDP (a call a datagram),
 * that lost replies are given up one call at a time and datagrams that
 * answer no call are passed over, a few at most; and through vscan.c,
 * that a port, TCP or UDP, is ground when its detection is over, and that
 * a scan stopped then reports it.  Also the nmap-rpc reader (rpc_programs.h) on the forms of
 * line it must take and refuse.  The programs are tests/data/rpc-programs,
 * svdetect's own list.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ev.h"
#include "fake_conn.h"
#include "rpc_grind.h"
#include "vscan.h"
#include "vscan_test_ctx.h"

/* The xid of the first call; the version asked is 12345 (a draw of 0). */
enum { XID0 = 0x5a5a0000u, ASKED = 12345 };

/* RFC 5531's numbers, as a reply spells them. */
enum { REPLY = 1, ACCEPTED = 0, DENIED = 1, PROG_UNAVAIL = 1, PROG_MISMATCH = 2 };

/* The test file's programs, in order: indexes and numbers. */
enum { RPCBIND, NFS, MOUNTD, STATUS, NLOCKMGR, RQUOTAD, NPROGRAMS };

static unsigned draws;

static uint32_t test_random(void)
{
	return draws++ == 0 ? XID0 : 0;
}

/* Bytes a peer sends. */
struct bytes {
	unsigned char b[2048];
	size_t n;
};

struct world {
	uint64_t clock;
	struct fake_net net;
	/* The peer of the grinder's connection (one more would be silent). */
	struct fake_script peer;
	struct bytes sent[FAKE_MAX_STEPS]; /* what its steps send (answer, later) */
	size_t nsent;
	struct svd_rpc_programs programs;
	struct svd_rpc_grind_cfg cfg;
	struct svd_host h;
	struct svd_port p;
	uint64_t deadline;
	bool done;
	uint64_t done_at;
	char *trace;
	size_t tracelen;
};

static void on_done(void *arg)
{
	struct world *w = arg;

	ck_assert(!w->done);
	w->done = true;
	w->done_at = ev_now(w->cfg.loop);
}

/* Port 111 of 127.0.0.1 as RPCCheck names it (rpcbind, probed), the test
 * programs, intensity 7, a trace in w->trace; a peer that connects at
 * once and says nothing until the test gives it steps (w->peer). */
static void world_init(struct world *w)
{
	memset(w, 0, sizeof *w);
	draws = 0;
	fake_net_init(&w->net, &w->peer, 1);
	w->cfg.loop = ev_new(16);
	ck_assert_ptr_nonnull(w->cfg.loop);
	ev_set_test_clock(w->cfg.loop, &w->clock);
	w->cfg.transport = &fake_transport;
	w->cfg.transport_ctx = &w->net;
	ck_assert_int_eq(svd_rpc_programs_load(&w->programs, TEST_DATA "/rpc-programs"), 0);
	ck_assert_uint_eq(w->programs.n, NPROGRAMS);
	w->cfg.programs = &w->programs;
	w->cfg.intensity = 7;
	w->cfg.random = test_random;
	w->cfg.trace = open_memstream(&w->trace, &w->tracelen);
	ck_assert_ptr_nonnull(w->cfg.trace);
	snprintf(w->h.addrstr, sizeof w->h.addrstr, "127.0.0.1");
	w->p.portno = 111;
	snprintf(w->p.svc.name, sizeof w->p.svc.name, "rpcbind");
	w->p.svc.method = SVD_METHOD_PROBED;
	w->p.svc.conf = 10;
}

/* A port nothing named: the services table's name, and a fingerprint. */
static void unnamed_port(struct world *w)
{
	snprintf(w->p.svc.name, sizeof w->p.svc.name, "unknown");
	w->p.svc.method = SVD_METHOD_TABLE;
	w->p.svc.conf = 3;
	w->p.svc.fingerprint = strdup("SF-Port111-TCP:V=0.1%I=7");
	ck_assert_ptr_nonnull(w->p.svc.fingerprint);
}

/* Grinds to the end: done called, every connection closed, the loop
 * empty, in well under a second of real time. */
static void world_run(struct world *w)
{
	struct timespec t0, t1;
	size_t i;

	/* The peer's steps send their bytes as the test left them. */
	for (i = 0; i < w->nsent; i++)
		w->peer.steps[i].len = w->sent[i].n;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_ptr_nonnull(svd_rpc_grind_start(&w->cfg, &w->h, &w->p, w->deadline, on_done, w));
	ck_assert(!w->done); /* never from within start */
	ck_assert_int_eq(ev_run(w->cfg.loop), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert(w->done);
	ck_assert_uint_eq(w->net.nopen, 0);
	ck_assert_uint_eq(ev_ntimers(w->cfg.loop), 0);
	ck_assert_int_lt((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000, 1000);
	fflush(w->cfg.trace);
}

static void world_free(struct world *w)
{
	fclose(w->cfg.trace);
	free(w->trace);
	free(w->p.svc.fingerprint);
	svd_rpc_programs_free(&w->programs);
	ev_free(w->cfg.loop);
}

/* --- What peers send --------------------------------------------------- */

static void put(struct bytes *o, const void *data, size_t len)
{
	ck_assert_uint_le(o->n + len, sizeof o->b);
	memcpy(o->b + o->n, data, len);
	o->n += len;
}

static void u32(struct bytes *o, uint32_t v)
{
	const unsigned char be[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
				      (unsigned char)(v >> 8), (unsigned char)v };

	put(o, be, sizeof be);
}

/* A message of these words after its xid, as one record (mark), or as
 * a datagram's bytes. */
static void add_message(struct bytes *o, bool mark, uint32_t xid, const uint32_t *w, size_t n)
{
	size_t i;

	if (mark)
		u32(o, 0x80000000u | (uint32_t)(4 * (n + 1)));
	u32(o, xid);
	for (i = 0; i < n; i++)
		u32(o, w[i]);
}

static void add_reply(struct bytes *o, uint32_t xid, const uint32_t *w, size_t n)
{
	add_message(o, true, xid, w, n);
}

#define MESSAGE(o, mark, xid, ...) do {                                     \
	const uint32_t w_[] = { __VA_ARGS__ };                              \
	add_message((o), (mark), (xid), w_, sizeof w_ / sizeof *w_);        \
} while (0)
#define RECORD(o, xid, ...) MESSAGE(o, true, xid, __VA_ARGS__)
#define DATAGRAM(o, xid, ...) MESSAGE(o, false, xid, __VA_ARGS__)

/* Accepted with an empty AUTH_NONE verifier, and the accept_stat; as a
 * record, or (D_) a datagram. */
#define UNAVAIL(o, xid) RECORD(o, xid, REPLY, ACCEPTED, 0, 0, PROG_UNAVAIL)
#define MISMATCH(o, xid, lo, hi) RECORD(o, xid, REPLY, ACCEPTED, 0, 0, PROG_MISMATCH, lo, hi)
#define D_UNAVAIL(o, xid) DATAGRAM(o, xid, REPLY, ACCEPTED, 0, 0, PROG_UNAVAIL)
#define D_MISMATCH(o, xid, lo, hi) DATAGRAM(o, xid, REPLY, ACCEPTED, 0, 0, PROG_MISMATCH, lo, hi)

/* PROG_UNAVAIL to a window's four calls, from xid on. */
static void unavail4(struct bytes *o, uint32_t xid)
{
	uint32_t i;

	for (i = 0; i < 4; i++)
		UNAVAIL(o, xid + i);
}

/* The peer's next step: it sends what the caller puts in the bytes
 * returned, ms after the client's next write (after_write) or after its
 * previous step. */
static struct bytes *peer_sends(struct world *w, uint32_t ms, bool after_write)
{
	struct bytes *o;

	ck_assert_uint_lt(w->nsent, FAKE_MAX_STEPS);
	o = &w->sent[w->nsent];
	w->peer.steps[w->nsent++] = (struct fake_step){
		.act = FAKE_SEND, .ms = ms, .after_write = after_write, .data = (const char *)o->b };
	return o;
}

static struct bytes *answer(struct world *w, uint32_t ms)
{
	return peer_sends(w, ms, true);
}

static struct bytes *later(struct world *w, uint32_t ms)
{
	return peer_sends(w, ms, false);
}

/* The call the grinder must send: record mark, xid, CALL, RPC 2,
 * program, version, procedure 0, two empty AUTH_NONE. */
static void expected_call(unsigned char out[44], uint32_t xid, uint32_t program,
			  uint32_t version)
{
	const uint32_t words[11] = { 0x80000028u, xid, 0, 2, program, version };
	struct bytes o = { .n = 0 };
	size_t i;

	for (i = 0; i < 11; i++)
		u32(&o, words[i]);
	memcpy(out, o.b, 44);
}

/* The client's i-th write: on connection 0, at time at, calls calls. */
static void assert_calls(const struct world *w, size_t i, uint64_t at, size_t calls)
{
	ck_assert_uint_lt(i, w->net.nwrites);
	ck_assert_int_eq(w->net.writes[i].conn, 0);
	ck_assert_uint_eq(w->net.writes[i].at, at);
	ck_assert_uint_eq(w->net.writes[i].len, 44 * calls);
}

/* The port as version detection left it (rpcbind, probed). */
static void assert_untouched(const struct world *w)
{
	ck_assert_str_eq(w->p.svc.name, "rpcbind");
	ck_assert_str_eq(w->p.svc.v.version, "");
	ck_assert_str_eq(w->p.svc.v.info, "");
	ck_assert(!w->p.svc.rpc.found);
}

static void assert_named(const struct world *w, const char *name, const char *version,
			 const char *info, uint32_t program, uint32_t low, uint32_t high)
{
	ck_assert_str_eq(w->p.svc.name, name);
	ck_assert_str_eq(w->p.svc.v.version, version);
	ck_assert_str_eq(w->p.svc.v.info, info);
	ck_assert_int_eq(w->p.svc.method, SVD_METHOD_PROBED);
	ck_assert_int_eq(w->p.svc.conf, 10);
	ck_assert(!w->p.svc.soft);
	ck_assert_ptr_null(w->p.svc.fingerprint);
	ck_assert(w->p.svc.rpc.found);
	ck_assert_uint_eq(w->p.svc.rpc.program, program);
	ck_assert_uint_eq(w->p.svc.rpc.low, low);
	ck_assert_uint_eq(w->p.svc.rpc.high, high);
}

/* The grind over at the peer's first reply, 1 ms after the calls, the
 * port as it was, the trace saying why (unless why is NULL). */
static void assert_ended_at_reply(const struct world *w, const char *why)
{
	assert_untouched(w);
	ck_assert_uint_eq(w->done_at, 1);
	if (why)
		ck_assert_ptr_nonnull(strstr(w->trace, why));
}

/* --- Good peers ---------------------------------------------------------- */

/* rpcbind: four calls at once, the first program answers 2-4. */
START_TEST(rpcbind_range)
{
	struct world w;
	struct bytes *o;
	unsigned char call[44];

	world_init(&w);
	w.peer.connect_ms = 3;
	o = answer(&w, 1);
	MISMATCH(o, XID0, 2, 4);
	UNAVAIL(o, XID0 + 1);
	w.p.svc.fingerprint = strdup("SF:x"); /* a hard match has none */
	world_run(&w);
	assert_named(&w, "rpcbind", "2-4", "RPC #100000", 100000, 2, 4);
	ck_assert_uint_eq(w.net.nwrites, 1);
	assert_calls(&w, 0, 3, 4);
	expected_call(call, XID0, 100000, ASKED);
	ck_assert_mem_eq(w.net.writes[0].data, call, 44);
	/* The second call, cut where the record keeps the write's bytes. */
	expected_call(call, XID0 + 1, 100003, ASKED);
	ck_assert_mem_eq(w.net.writes[0].data + 44, call, sizeof w.net.writes[0].data - 45);
	/* Decided at the reply: the others' are not awaited. */
	ck_assert_uint_eq(w.done_at, 4);
	ck_assert_uint_eq(w.net.conns[0].closed, 4);
	ck_assert_ptr_nonnull(strstr(w.trace, "RPC grind: 127.0.0.1:111 (tcp) is rpcbind after 4 calls"));
	world_free(&w);
}
END_TEST

/* A program past the first window; one version is printed alone. */
START_TEST(later_program)
{
	struct world w;
	struct bytes *b;

	world_init(&w);
	unavail4(answer(&w, 1), XID0);
	b = answer(&w, 2);
	MISMATCH(b, XID0 + 4, 4, 4);
	UNAVAIL(b, XID0 + 5);
	w.p.portno = 4045;
	world_run(&w);
	assert_named(&w, "nlockmgr", "4", "RPC #100021", 100021, 4, 4);
	ck_assert_uint_eq(w.net.nwrites, 2);
	assert_calls(&w, 0, 0, 4);
	assert_calls(&w, 1, 1, 2); /* the two programs left, as the window emptied */
	ck_assert_uint_eq(w.done_at, 3);
	world_free(&w);
}
END_TEST

/*
 * Replies out of order: the fourth program answers first, but the port is
 * named by the first program in file order that answers PROG_MISMATCH,
 * so the earlier calls' replies are awaited.  In the second case one of
 * them says PROG_MISMATCH too, and names the port.
 */
START_TEST(earlier_program_wins)
{
	struct world w;
	struct bytes *b;

	world_init(&w);
	MISMATCH(answer(&w, 1), XID0 + STATUS, 1, 1);
	b = later(&w, 50);
	UNAVAIL(b, XID0 + MOUNTD);
	if (_i == 0)
		UNAVAIL(b, XID0 + NFS);
	else
		MISMATCH(b, XID0 + NFS, 2, 4);
	UNAVAIL(b, XID0 + RPCBIND);
	world_run(&w);
	if (_i == 0)
		assert_named(&w, "status", "1", "RPC #100024", 100024, 1, 1);
	else
		assert_named(&w, "nfs", "2-4", "RPC #100003", 100003, 2, 4);
	ck_assert_uint_eq(w.net.nwrites, 1); /* nothing past a program found */
	ck_assert_uint_eq(w.done_at, 51);
	world_free(&w);
}
END_TEST

/* One reply in three fragments, and a reply in pieces of a few bytes
 * (short reads), both put together. */
START_TEST(fragments_and_short_reads)
{
	struct bytes msg = { .n = 0 }, *frag;
	struct world w;

	MISMATCH(&msg, XID0, 2, 4);
	world_init(&w);
	if (_i == 0) {
		/* 4 + 12 + 16 bytes of the 32-byte message. */
		frag = answer(&w, 1);
		u32(frag, 4);
		put(frag, msg.b + 4, 4);
		u32(frag, 12);
		put(frag, msg.b + 8, 12);
		u32(frag, 0x80000000u | 16);
		put(frag, msg.b + 20, 16);
	} else {
		put(answer(&w, 1), msg.b, 3);
		put(later(&w, 5), msg.b + 3, 10);
		put(later(&w, 5), msg.b + 13, msg.n - 13);
	}
	world_run(&w);
	assert_named(&w, "rpcbind", "2-4", "RPC #100000", 100000, 2, 4);
	ck_assert_uint_eq(w.done_at, _i == 0 ? 1 : 11);
	world_free(&w);
}
END_TEST

/* Every program says PROG_UNAVAIL: one call each, then the port stays
 * as it was. */
START_TEST(no_program)
{
	struct world w;
	struct bytes *b;

	world_init(&w);
	unavail4(answer(&w, 1), XID0);
	b = answer(&w, 1);
	UNAVAIL(b, XID0 + 5);
	/* A denial is no PROG_MISMATCH either. */
	RECORD(b, XID0 + 4, REPLY, DENIED, 1, 13);
	world_run(&w);
	assert_untouched(&w);
	ck_assert_uint_eq(w.net.nwrites, 2);
	assert_calls(&w, 1, 1, 2);
	ck_assert_uint_eq(w.done_at, 2);
	ck_assert_ptr_nonnull(strstr(w.trace, "is no program known after 6 calls (decided)"));
	world_free(&w);
}
END_TEST

/* A port nothing named must answer an RPC call to rpcbind 2 first
 * (Nmap's isRPC), alone; then the grind goes on, on that connection. */
START_TEST(unnamed_port_checked)
{
	struct world w;
	unsigned char call[44];

	world_init(&w);
	RECORD(answer(&w, 1), XID0, REPLY, ACCEPTED, 0, 0, 0); /* SUCCESS */
	MISMATCH(answer(&w, 1), XID0 + 1, 2, 4);
	unnamed_port(&w);
	world_run(&w);
	assert_named(&w, "rpcbind", "2-4", "RPC #100000", 100000, 2, 4);
	ck_assert_uint_eq(w.net.nwrites, 2);
	assert_calls(&w, 0, 0, 1);
	expected_call(call, XID0, 100000, 2);
	ck_assert_mem_eq(w.net.writes[0].data, call, 44);
	assert_calls(&w, 1, 1, 4);
	world_free(&w);
}
END_TEST

/* ... and one that does not answer so is left alone after one call,
 * fingerprint and all: silent, or speaking something else. */
START_TEST(unnamed_port_not_rpc)
{
	static const char banner[] = "220 ftp.example.test FTP ready\r\n";
	struct world w;

	world_init(&w);
	if (_i == 1)
		w.peer.steps[0] = (struct fake_step){ .act = FAKE_SEND, .ms = 1, .after_write = true,
						      .data = banner };
	unnamed_port(&w);
	world_run(&w);
	ck_assert_str_eq(w.p.svc.name, "unknown");
	ck_assert_int_eq(w.p.svc.method, SVD_METHOD_TABLE);
	ck_assert_ptr_nonnull(w.p.svc.fingerprint);
	ck_assert(!w.p.svc.rpc.found);
	ck_assert_uint_eq(w.net.nwrites, 1);
	assert_calls(&w, 0, 0, 1);
	/* Silence: Nmap's wait for a host with no RTT yet (1 s x 16/7);
	 * the banner's record mark ("220 ") asks for 842,149,920 bytes. */
	ck_assert_uint_eq(w.done_at, _i == 0 ? 2285 : 1);
	world_free(&w);
}
END_TEST

/* --- Hostile and broken peers ---------------------------------------------- */

/* Records over the bounds end the connection at their header, before any
 * of their bytes: a fragment longer than a reply may be, a ninth
 * fragment, a mark whose bit says more to come forever. */
START_TEST(record_bounds)
{
	static const unsigned char zeros[511];
	struct world w;
	struct bytes *o;
	int i;

	world_init(&w);
	o = answer(&w, 1);
	switch (_i) {
	case 0: /* 513 bytes in one last fragment */
		u32(o, 0x80000000u | 513);
		break;
	case 1: /* 2 GB, not the last */
		u32(o, 0x7fffffffu);
		break;
	case 2: /* 511 bytes, then 2 more in the last */
		u32(o, 511);
		put(o, zeros, sizeof zeros);
		u32(o, 0x80000000u | 2);
		break;
	default: /* endless fragments of 4 bytes (here 9) */
		for (i = 0; i < 9; i++) {
			u32(o, 4);
			u32(o, XID0);
		}
	}
	world_run(&w);
	assert_ended_at_reply(&w, "over the bounds of its record");
	world_free(&w);
}
END_TEST

/* A reply to no call awaited ends the connection, though good replies
 * follow on it. */
START_TEST(wrong_xid)
{
	struct world w;

	world_init(&w);
	MISMATCH(answer(&w, 1), _i == 0 ? 0xdeadbeefu : XID0 + 4, 2, 4);
	MISMATCH(later(&w, 1), XID0, 2, 4);
	world_run(&w);
	assert_ended_at_reply(&w, "not a reply to a call awaited");
	ck_assert_uint_eq(w.net.conns[0].closed, 1);
	world_free(&w);
}
END_TEST

/*
 * Well-framed messages that are no well-formed reply: each ends the
 * connection at once.  The decoder takes nothing beyond RFC 5531.
 */
START_TEST(malformed_reply)
{
	struct world w;
	struct bytes *o;

	world_init(&w);
	o = answer(&w, 1);
	switch (_i) {
	case 0: RECORD(o, XID0, 0, ACCEPTED, 0, 0, PROG_UNAVAIL); break;        /* a CALL */
	case 1: RECORD(o, XID0, REPLY, 2, 0, 0, PROG_UNAVAIL); break;           /* reply_stat 2 */
	case 2: RECORD(o, XID0, REPLY, ACCEPTED, 0, 0, 6); break;               /* accept_stat 6 */
	case 3: RECORD(o, XID0, REPLY, DENIED, 2, 0); break;                    /* reject_stat 2 */
	case 4: RECORD(o, XID0, REPLY, ACCEPTED, 0, 0, PROG_UNAVAIL, 0); break; /* a byte more */
	case 5: RECORD(o, XID0, REPLY, ACCEPTED, 0, 0, PROG_MISMATCH, 2); break; /* cut short */
	case 6: RECORD(o, XID0, REPLY, ACCEPTED, 0, 0, PROG_MISMATCH, 4, 2); break; /* low > high */
	case 7: RECORD(o, XID0, REPLY, ACCEPTED, 1, 1, 0x01000001, PROG_UNAVAIL); break; /* padding */
	case 8: RECORD(o, XID0, REPLY, ACCEPTED, 1, 0xffffffffu, PROG_UNAVAIL); break; /* verifier */
	case 9: RECORD(o, XID0, REPLY); break;                                   /* no status */
	default: u32(o, 0x80000000u); break;                                     /* empty */
	}
	world_run(&w);
	assert_ended_at_reply(&w, NULL);
	world_free(&w);
}
END_TEST

/* A verifier may hold up to 400 bytes (AUTH_SHORT and the like); the
 * reply is still read. */
START_TEST(long_verifier)
{
	struct world w;
	uint32_t words[7 + 100] = { REPLY, ACCEPTED, 2, 400 };

	words[4 + 100] = PROG_MISMATCH;
	words[5 + 100] = 1;
	words[6 + 100] = 3;
	memset(&words[4], 0xab, 400);
	world_init(&w);
	add_reply(answer(&w, 1), XID0, words, sizeof words / sizeof *words);
	world_run(&w);
	assert_named(&w, "rpcbind", "1-3", "RPC #100000", 100000, 1, 3);
	world_free(&w);
}
END_TEST

/*
 * Waiting is bounded: a silent peer gets Nmap's socket timeout for the
 * host (its RTT timeout x 16/7, within 1 and 10 s), a peer that closes or
 * resets ends it at once, the host's deadline cuts it.
 */
START_TEST(silence_and_ends)
{
	static const struct {
		long srtt_us, rttvar_us;
		enum fake_act act;
		uint64_t deadline, done_at;
	} cases[] = {
		{ 0, 0, FAKE_DONE, 0, 2285 },               /* no RTT yet: 1 s */
		{ 200, 5000, FAKE_DONE, 0, 1000 },          /* loopback: 100 ms, 1 s at least */
		{ 2000000, 500000, FAKE_DONE, 0, 9142 },    /* 4 s */
		{ 8000000, 2000000, FAKE_DONE, 0, 10000 },  /* 16 s: 10 s at most */
		{ 0, 0, FAKE_EOF, 0, 7 },
		{ 0, 0, FAKE_RESET, 0, 7 },
		{ 0, 0, FAKE_DONE, 500, 500 },
	};
	struct world w;

	world_init(&w);
	w.peer.steps[0] = (struct fake_step){ .act = cases[_i].act, .ms = 7, .after_write = true };
	w.h.srtt_us = cases[_i].srtt_us;
	w.h.rttvar_us = cases[_i].rttvar_us;
	w.deadline = cases[_i].deadline;
	world_run(&w);
	assert_untouched(&w);
	ck_assert_uint_eq(w.done_at, cases[_i].done_at);
	world_free(&w);
}
END_TEST

/* A peer that answers every call just before the wait is over cannot
 * hold the port past SVD_RPC_GRIND_MS. */
START_TEST(whole_grind_bounded)
{
	struct svd_rpc_program many[40];
	struct svd_rpc_programs programs = { .v = many, .n = 40 };
	struct world w;
	uint32_t i, k;

	world_init(&w);
	for (k = 0; k < 4; k++)
		unavail4(answer(&w, 9000), XID0 + 4 * k);
	for (i = 0; i < 40; i++)
		many[i] = (struct svd_rpc_program){ .number = 200000 + i, .name = "prog" };
	w.cfg.programs = &programs;
	w.h.srtt_us = 8000000; /* a wait of 10 s */
	world_run(&w);
	assert_untouched(&w);
	ck_assert_uint_eq(w.done_at, SVD_RPC_GRIND_MS);
	ck_assert_uint_eq(w.net.nwrites, 4); /* at 0, 9, 18, 27 s */
	ck_assert_ptr_nonnull(strstr(w.trace, "after 16 calls (time is up)"));
	world_free(&w);
}
END_TEST

/* A refused connection, or one that never completes, ends the grind with
 * the port as it was. */
START_TEST(no_connection)
{
	struct world w;

	world_init(&w);
	w.peer.connect = _i == 0 ? FAKE_CONNECT_REFUSED : FAKE_CONNECT_HANG;
	w.peer.connect_ms = 2;
	world_run(&w);
	assert_untouched(&w);
	ck_assert_uint_eq(w.net.nwrites, 0);
	ck_assert_uint_eq(w.done_at, _i == 0 ? 2 : 2285);
	world_free(&w);
}
END_TEST

/* Ports not ground: below intensity 7, through SSL, named by a match
 * other than rpcbind, with no programs, past the deadline, or when no
 * connection can start.  Nothing is touched, done never comes, and only
 * the last tries a connection. */
START_TEST(not_ground)
{
	struct svd_rpc_programs none = { .n = 0 };
	struct world w;

	world_init(&w);
	w.peer.connect = FAKE_CONNECT_EMFILE;
	switch (_i) {
	case 0: w.cfg.intensity = 6; break;
	case 1: w.p.svc.ssl = true; break;
	case 2: snprintf(w.p.svc.name, sizeof w.p.svc.name, "ftp"); w.p.svc.soft = true; break;
	case 3: w.cfg.programs = &none; break;
	case 4: w.clock = 100; ev_set_test_clock(w.cfg.loop, &w.clock); w.deadline = 100; break;
	default: break; /* EMFILE */
	}
	ck_assert_ptr_null(svd_rpc_grind_start(&w.cfg, &w.h, &w.p, w.deadline, on_done, &w));
	ck_assert_int_eq(ev_run(w.cfg.loop), 0);
	ck_assert(!w.done);
	ck_assert_uint_eq(w.net.nconns, _i == 5 ? 1 : 0);
	ck_assert_uint_eq(w.net.nopen, 0);
	ck_assert_uint_eq(w.net.nwrites, 0);
	ck_assert_str_eq(w.p.svc.name, _i == 2 ? "ftp" : "rpcbind");
	world_free(&w);
}
END_TEST

/* A table name of rpcbind is believed, as Nmap's rpc-grind believes it:
 * no check call. */
START_TEST(table_rpcbind_not_checked)
{
	struct world w;

	world_init(&w);
	MISMATCH(answer(&w, 1), XID0, 2, 4);
	w.p.svc.method = SVD_METHOD_TABLE;
	w.p.svc.conf = 3;
	world_run(&w);
	assert_calls(&w, 0, 0, 4);
	assert_named(&w, "rpcbind", "2-4", "RPC #100000", 100000, 2, 4);
	world_free(&w);
}
END_TEST

/* Stopped (a scan stopped early): the connection closes, done never
 * comes, the port keeps what detection found. */
START_TEST(stop)
{
	struct svd_rpc_grind *g;
	struct world w;

	world_init(&w);
	g = svd_rpc_grind_start(&w.cfg, &w.h, &w.p, 0, on_done, &w);
	ck_assert_ptr_nonnull(g);
	svd_rpc_grind_stop(g);
	ck_assert_int_eq(ev_run(w.cfg.loop), 0);
	ck_assert(!w.done);
	ck_assert_uint_eq(w.net.nopen, 0);
	assert_untouched(&w);
	world_free(&w);
}
END_TEST


/* --- Over UDP: a call a datagram ------------------------------------------ */

/* The world, its port a UDP one, ground over the fake's datagrams. */
static void udp_world_init(struct world *w)
{
	world_init(w);
	w->cfg.transport = &fake_udp_transport;
	w->p.proto = SVD_UDP;
}

/* The peer's last step sends its bytes so many times at once. */
static void repeat_last(struct world *w, unsigned times)
{
	ck_assert_uint_gt(w->nsent, 0);
	w->peer.steps[w->nsent - 1].repeat = times;
}

/* The client's i-th write: on connection 0 at time at, one datagram:
 * the call of xid to program, version, with no record mark. */
static void assert_datagram(const struct world *w, size_t i, uint64_t at, uint32_t xid,
			    uint32_t program, uint32_t version)
{
	unsigned char call[44];

	ck_assert_uint_lt(i, w->net.nwrites);
	ck_assert_int_eq(w->net.writes[i].conn, 0);
	ck_assert(w->net.conns[0].udp);
	ck_assert_uint_eq(w->net.writes[i].at, at);
	ck_assert_uint_eq(w->net.writes[i].len, 40);
	expected_call(call, xid, program, version);
	ck_assert_mem_eq(w->net.writes[i].data, call + 4, 40);
}

/* rpcbind over UDP: four datagrams at once, each a call without record
 * mark; the first program's reply names the port. */
START_TEST(udp_rpcbind)
{
	struct world w;
	uint32_t i;
	static const uint32_t numbers[] = { 100000, 100003, 100005, 100024 };

	udp_world_init(&w);
	w.peer.connect_ms = 3;
	D_MISMATCH(answer(&w, 1), XID0, 2, 4);
	D_UNAVAIL(later(&w, 0), XID0 + 1);
	world_run(&w);
	assert_named(&w, "rpcbind", "2-4", "RPC #100000", 100000, 2, 4);
	ck_assert_uint_eq(w.net.nwrites, 4);
	for (i = 0; i < 4; i++)
		assert_datagram(&w, i, 3, XID0 + i, numbers[i], ASKED);
	ck_assert_uint_eq(w.done_at, 4);
	ck_assert_ptr_nonnull(strstr(w.trace, "RPC grind: 127.0.0.1:111 (udp) is rpcbind after 4 calls (decided)"));
	world_free(&w);
}
END_TEST

/*
 * A lost datagram: the call whose reply never comes is given up at its
 * time (the host's wait after it was sent), and the program found by a
 * later call, in file order the first that answered, names the port then.
 * Replies come one a datagram, out of order; each frees a place for the
 * next call.
 */
START_TEST(udp_lost_reply)
{
	struct world w;

	udp_world_init(&w);
	D_UNAVAIL(later(&w, 1), XID0 + NFS);
	D_UNAVAIL(later(&w, 1), XID0 + MOUNTD);
	D_UNAVAIL(later(&w, 1), XID0 + STATUS);
	D_MISMATCH(later(&w, 1), XID0 + RQUOTAD, 1, 2);
	D_UNAVAIL(later(&w, 1), XID0 + NLOCKMGR);
	world_run(&w);
	assert_named(&w, "rquotad", "1-2", "RPC #100011", 100011, 1, 2);
	ck_assert_uint_eq(w.net.nwrites, 6);
	assert_datagram(&w, 4, 1, XID0 + NLOCKMGR, 100021, ASKED);
	assert_datagram(&w, 5, 2, XID0 + RQUOTAD, 100011, ASKED);
	/* rpcbind's call, sent at 0, given up after the host's wait. */
	ck_assert_uint_eq(w.done_at, 2285);
	ck_assert_ptr_nonnull(strstr(w.trace, "is rquotad after 6 calls (decided)"));
	world_free(&w);
}
END_TEST

/*
 * Each call given up leaves one call fewer awaited at once, as each of
 * Nmap's four threads ends at its first timeout: the first call's reply
 * never comes, the next three are answered and their places taken by
 * three more calls, which are never answered.  No call goes after a
 * call is given up, and the fourth timeout ends the grind.
 */
START_TEST(udp_calls_given_up)
{
	struct svd_rpc_program many[40];
	struct svd_rpc_programs programs = { .v = many, .n = 40 };
	struct world w;
	uint32_t i;

	udp_world_init(&w);
	for (i = 0; i < 3; i++)
		D_UNAVAIL(later(&w, 1), XID0 + 1 + i);
	for (i = 0; i < 40; i++)
		many[i] = (struct svd_rpc_program){ .number = 200000 + i, .name = "prog" };
	w.cfg.programs = &programs;
	world_run(&w);
	assert_untouched(&w);
	ck_assert_uint_eq(w.net.nwrites, 7);
	for (i = 0; i < 4; i++)
		assert_datagram(&w, i, 0, XID0 + i, 200000 + i, ASKED);
	for (i = 4; i < 7; i++)
		assert_datagram(&w, i, i - 3, XID0 + i, 200000 + i, ASKED);
	/* The last of the three later calls, sent at 3, given up at 3 + 2285. */
	ck_assert_uint_eq(w.done_at, 2288);
	ck_assert_ptr_nonnull(strstr(w.trace, "after 7 calls (no answer in time)"));
	world_free(&w);
}
END_TEST

/*
 * Datagrams that answer no call awaited are passed over, and the reply
 * after them is read: a wrong xid, a malformed reply, a reply that comes
 * twice (its second), an empty datagram, one longer than a reply may be
 * (read cut).  On TCP the first of them would end the grind.
 */
START_TEST(udp_strays_passed_over)
{
	struct bytes *huge;
	struct world w;

	udp_world_init(&w);
	D_MISMATCH(answer(&w, 1), 0xdeadbeefu, 2, 4);
	DATAGRAM(later(&w, 1), XID0, REPLY, ACCEPTED, 0, 0, 6);
	D_UNAVAIL(later(&w, 1), XID0 + NFS);
	repeat_last(&w, 2);
	later(&w, 1); /* empty */
	huge = later(&w, 1);
	D_MISMATCH(huge, XID0, 2, 4);
	memset(huge->b + huge->n, 0, sizeof huge->b - huge->n);
	huge->n = sizeof huge->b; /* 2048 bytes, read cut to 512 */
	D_MISMATCH(later(&w, 1), XID0, 2, 4);
	world_run(&w);
	assert_named(&w, "rpcbind", "2-4", "RPC #100000", 100000, 2, 4);
	ck_assert_uint_eq(w.done_at, 6);
	/* NFS's reply freed a place: nlockmgr's call went at 3. */
	ck_assert_uint_eq(w.net.nwrites, 5);
	assert_datagram(&w, 4, 3, XID0 + NLOCKMGR, 100021, ASKED);
	world_free(&w);
}
END_TEST

/* A flood of datagrams that answer no call ends the grind at the
 * seventeenth, though a good reply follows: the port as it was. */
START_TEST(udp_flood)
{
	struct world w;

	udp_world_init(&w);
	D_MISMATCH(answer(&w, 1), XID0 + 100, 2, 4);
	repeat_last(&w, 40);
	D_MISMATCH(later(&w, 0), XID0, 2, 4);
	world_run(&w);
	assert_untouched(&w);
	ck_assert_uint_eq(w.done_at, 1);
	ck_assert_uint_eq(w.net.nwrites, 4);
	ck_assert_ptr_nonnull(strstr(w.trace, "after 4 calls (too many datagrams that answer no call)"));
	world_free(&w);
}
END_TEST

/* An ICMP error ends the grind at once (a port unreachable: nothing
 * listens any more; a host unreachable), the port as it was. */
START_TEST(udp_icmp_error)
{
	struct world w;

	udp_world_init(&w);
	w.peer.steps[0] = (struct fake_step){ .act = _i == 0 ? FAKE_PORT_UNREACH : FAKE_HOST_UNREACH,
					      .ms = 2, .after_write = true };
	world_run(&w);
	assert_untouched(&w);
	ck_assert_uint_eq(w.done_at, 2);
	ck_assert_ptr_nonnull(strstr(w.trace, _i == 0 ? "(Connection refused)" : "(No route to host)"));
	world_free(&w);
}
END_TEST

/*
 * A UDP port nothing named (an open|filtered one, named by the services
 * table): Nmap's isRPC call first, alone, one datagram; silence ends it
 * after the host's wait (Nmap's "isRPC didn't receive response"), a reply
 * lets the grind go on.
 */
START_TEST(udp_unnamed_port_checked)
{
	struct world w;

	udp_world_init(&w);
	if (_i == 1) {
		DATAGRAM(answer(&w, 1), XID0, REPLY, ACCEPTED, 0, 0, 0); /* SUCCESS */
		D_MISMATCH(answer(&w, 1), XID0 + 1, 2, 4);
	}
	unnamed_port(&w);
	world_run(&w);
	assert_datagram(&w, 0, 0, XID0, 100000, 2);
	if (_i == 0) {
		ck_assert_str_eq(w.p.svc.name, "unknown");
		ck_assert_int_eq(w.p.svc.method, SVD_METHOD_TABLE);
		ck_assert_ptr_nonnull(w.p.svc.fingerprint);
		ck_assert_uint_eq(w.net.nwrites, 1);
		ck_assert_uint_eq(w.done_at, 2285);
	} else {
		assert_named(&w, "rpcbind", "2-4", "RPC #100000", 100000, 2, 4);
		ck_assert_uint_eq(w.net.nwrites, 5);
		assert_datagram(&w, 1, 1, XID0 + 1, 100000, ASKED);
		ck_assert_uint_eq(w.done_at, 2);
	}
	world_free(&w);
}
END_TEST

/* A silent UDP peer: every call given up after the host's wait (10 s
 * at most), or the host's deadline first. */
START_TEST(udp_silence)
{
	struct world w;

	udp_world_init(&w);
	w.h.srtt_us = 8000000;
	w.h.rttvar_us = 2000000;
	w.deadline = _i == 0 ? 0 : 500;
	world_run(&w);
	assert_untouched(&w);
	ck_assert_uint_eq(w.net.nwrites, 4);
	ck_assert_uint_eq(w.done_at, _i == 0 ? 10000 : 500);
	world_free(&w);
}
END_TEST

/* --- Through vscan.c: where a port's detection delivers it -------------- */

struct vworld {
	uint64_t clock;
	struct fake_net net;
	struct svd_rpc_programs programs;
	struct svd_vscan_ctx c;
	struct svd_host h;
	struct svd_port p;
	int done;
	uint64_t done_at;
	struct ev_timer stop_timer;
};

static void on_vscan_done(void *arg, struct svd_port *p)
{
	struct vworld *w = arg;

	ck_assert_ptr_eq(p, &w->p);
	w->done++;
	w->done_at = ev_now(w->c.loop);
}

static void stop_all(struct ev_loop *l, struct ev_timer *t)
{
	(void)l;
	svd_vscan_stop_all(&ev_container(t, struct vworld, stop_timer)->c);
}

/*
 * TCP port 80, which the services table calls http, silent to every probe
 * of the test file: nothing names it, so the grinder checks it, on a
 * fifth connection at 26 s, whose peer is scripts[4]; stop_at > 0: the
 * scan stops then.  udp: UDP port 5300 instead, open|filtered, table name
 * udns-table, whose three probes end at 12 s: the grinder checks it over
 * UDP on a fourth connection then.
 */
static void vscan_unnamed(struct vworld *w, const struct fake_script *scripts, size_t n,
			  uint64_t stop_at, bool udp)
{
	const char *name = udp ? "udns-table" : "http";

	memset(w, 0, sizeof *w);
	fake_net_init(&w->net, scripts, n);
	vscan_test_ctx_init(&w->c, &w->clock, &w->net);
	ck_assert_int_eq(svd_rpc_programs_load(&w->programs, TEST_DATA "/rpc-programs"), 0);
	w->c.rpc = &w->programs;
	snprintf(w->h.addrstr, sizeof w->h.addrstr, "127.0.0.1");
	w->p.portno = udp ? 5300 : 80;
	if (udp) {
		w->p.proto = SVD_UDP;
		w->p.state = SVD_PORT_OPEN_FILTERED;
		w->p.reason = "no-response";
	}
	snprintf(w->p.svc.name, sizeof w->p.svc.name, "%s", name);
	w->p.svc.method = SVD_METHOD_TABLE;
	w->p.svc.conf = 3;
	if (stop_at)
		ev_timer_start(w->c.loop, &w->stop_timer, stop_at, stop_all);
	ck_assert(svd_vscan_start(&w->c, &w->h, &w->p, 0, NULL, 0, on_vscan_done, w));
	ck_assert_int_eq(ev_run(w->c.loop), 0);
	ck_assert_int_eq(w->done, 1);
	ck_assert_uint_eq(w->net.nopen, 0);
	/* As detection left it. */
	ck_assert_str_eq(w->p.svc.name, name);
	ck_assert_int_eq(w->p.svc.method, SVD_METHOD_TABLE);
	ck_assert(!w->p.svc.rpc.found);
	ck_assert_uint_eq(w->net.nconns, udp ? 4 : 5);
	ck_assert_uint_eq(w->net.conns[w->net.nconns - 1].created, udp ? 12000 : 26000);
	ck_assert(w->net.conns[w->net.nconns - 1].udp == udp);
}

static void vworld_free(struct vworld *w)
{
	free(w->p.svc.fingerprint);
	svd_rpc_programs_free(&w->programs);
	vscan_test_ctx_free(&w->c);
}

/* The check call goes out once detection is over, and a peer that
 * answers it with no RPC reply ends the port as detection left it. */
START_TEST(vscan_checks_unnamed_port)
{
	static const char garbage[] = "HTTP/1.0 400 Bad Request\r\n\r\n";
	struct fake_script s[5] = { { .connect_ms = 0 } };
	struct vworld w;
	unsigned char call[44];

	s[4].steps[0] = (struct fake_step){ .act = FAKE_SEND, .ms = 3, .after_write = true,
					    .data = garbage };
	vscan_unnamed(&w, s, 5, 0, false);
	ck_assert_uint_eq(w.done_at, 26003);
	ck_assert_int_eq(w.net.writes[w.net.nwrites - 1].conn, 4);
	ck_assert_uint_eq(w.net.writes[w.net.nwrites - 1].len, 44);
	/* rpcbind, version 2, procedure 0: Nmap's isRPC call (any xid). */
	expected_call(call, 0, 100000, 2);
	ck_assert_mem_eq(w.net.writes[w.net.nwrites - 1].data + 8, call + 8, 36);
	vworld_free(&w);
}
END_TEST

/* A scan stopped during the grind reports the port at once, as
 * detection left it; no connection stays open. */
START_TEST(vscan_stops_during_grind)
{
	struct fake_script s[5] = { { .connect_ms = 0 } };
	struct vworld w;

	vscan_unnamed(&w, s, 5, 26500, false);
	ck_assert_uint_eq(w.done_at, 26500);
	ck_assert_uint_eq(w.net.conns[4].closed, 26500);
	vworld_free(&w);
}
END_TEST

/* A UDP port that detection left open|filtered and unnamed is checked
 * over UDP (Nmap's rpc-grind checks tftp's silent ports so): one
 * datagram, no record mark; silence leaves the port as it was, still
 * open|filtered, after the host's wait. */
START_TEST(vscan_grinds_udp_port)
{
	struct fake_script s[4] = { { .connect_ms = 0 } };
	struct vworld w;
	unsigned char call[44];

	vscan_unnamed(&w, s, 4, 0, true);
	ck_assert_uint_eq(w.done_at, 12000 + 2285);
	ck_assert_int_eq(w.p.state, SVD_PORT_OPEN_FILTERED);
	ck_assert_int_eq(w.net.writes[w.net.nwrites - 1].conn, 3);
	ck_assert_uint_eq(w.net.writes[w.net.nwrites - 1].len, 40);
	expected_call(call, 0, 100000, 2);
	ck_assert_mem_eq(w.net.writes[w.net.nwrites - 1].data + 4, call + 8, 36);
	vworld_free(&w);
}
END_TEST

/* --- nmap-rpc ------------------------------------------------------------- */

static void load_text(struct svd_rpc_programs *t, const char *text)
{
	char path[] = "/tmp/check_rpc_grind.XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(svd_rpc_programs_load(t, path), 0);
	unlink(path);
}

/* Lines as Nmap's pattern takes them (blanks, name, blanks, digits,
 * anything), in file order, a number's first line only. */
START_TEST(programs_lines)
{
	char long_line[2000];
	struct svd_rpc_programs t;
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	ck_assert_ptr_nonnull(f);
	memset(long_line, 'x', sizeof long_line - 1);
	long_line[sizeof long_line - 1] = '\0';
	fprintf(f, "# comment 100\n"
		"\n"
		"rpcbind\t\t100000\tportmap sunrpc\t# portmapper\n"
		"  \tlead 7\n"
		"glued 8# a comment right after\n"
		"trail 9abc\n"
		"dup 100000\n"
		"nonumber\n"
		"hash#name 10\n"
		"#commented 11\n"
		"big 4294967296\n"
		"max 4294967295\n"
		"%s 12\n"
		"ctrl\x01 13\n"
		"0123456789012345678901234567890123456789012345678901234567890123 14\n"
		"012345678901234567890123456789012345678901234567890123456789012 15\n"
		"last 16", long_line);
	fclose(f);
	load_text(&t, text);
	free(text);
	ck_assert_uint_eq(t.n, 7);
	ck_assert_uint_eq(t.dropped, 0);
	ck_assert_str_eq(t.v[0].name, "rpcbind");
	ck_assert_uint_eq(t.v[0].number, 100000);
	ck_assert_str_eq(t.v[1].name, "lead");
	ck_assert_uint_eq(t.v[1].number, 7);
	ck_assert_str_eq(t.v[2].name, "glued");
	ck_assert_uint_eq(t.v[2].number, 8);
	ck_assert_str_eq(t.v[3].name, "trail");
	ck_assert_uint_eq(t.v[3].number, 9);
	ck_assert_str_eq(t.v[4].name, "max");
	ck_assert_uint_eq(t.v[4].number, 4294967295u);
	ck_assert_uint_eq(strlen(t.v[5].name), SVD_RPC_NAME_MAX);
	ck_assert_uint_eq(t.v[5].number, 15);
	ck_assert_str_eq(t.v[6].name, "last");
	ck_assert_uint_eq(t.v[6].number, 16);
	svd_rpc_programs_free(&t);
}
END_TEST

/* At most SVD_RPC_PROGRAMS_MAX programs are kept; the rest are counted. */
START_TEST(programs_bounded)
{
	struct svd_rpc_programs t;
	char *text = NULL;
	size_t size = 0, i;
	FILE *f = open_memstream(&text, &size);

	ck_assert_ptr_nonnull(f);
	for (i = 0; i < SVD_RPC_PROGRAMS_MAX + 10; i++)
		fprintf(f, "p%zu %zu\n", i, 300000 + i);
	fclose(f);
	load_text(&t, text);
	free(text);
	ck_assert_uint_eq(t.n, SVD_RPC_PROGRAMS_MAX);
	ck_assert_uint_eq(t.dropped, 10);
	ck_assert_uint_eq(t.v[SVD_RPC_PROGRAMS_MAX - 1].number, 300000 + SVD_RPC_PROGRAMS_MAX - 1);
	svd_rpc_programs_free(&t);
	ck_assert_int_eq(svd_rpc_programs_load(&t, "/nonexistent/nmap-rpc"), -1);
	ck_assert_uint_eq(t.n, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rpc_grind");
	TCase *good = tcase_create("good peers"), *bad = tcase_create("hostile peers");
	TCase *which = tcase_create("which ports"), *file = tcase_create("nmap-rpc");
	TCase *udp = tcase_create("over UDP");

	tcase_add_test(good, rpcbind_range);
	tcase_add_test(good, later_program);
	tcase_add_loop_test(good, earlier_program_wins, 0, 2);
	tcase_add_loop_test(good, fragments_and_short_reads, 0, 2);
	tcase_add_test(good, no_program);
	tcase_add_test(good, unnamed_port_checked);
	tcase_add_test(good, long_verifier);
	tcase_add_test(good, table_rpcbind_not_checked);
	suite_add_tcase(s, good);
	tcase_add_loop_test(bad, record_bounds, 0, 4);
	tcase_add_loop_test(bad, wrong_xid, 0, 2);
	tcase_add_loop_test(bad, malformed_reply, 0, 11);
	tcase_add_loop_test(bad, silence_and_ends, 0, 7);
	tcase_add_test(bad, whole_grind_bounded);
	tcase_add_loop_test(bad, no_connection, 0, 2);
	tcase_add_loop_test(bad, unnamed_port_not_rpc, 0, 2);
	tcase_add_test(bad, stop);
	suite_add_tcase(s, bad);
	tcase_add_test(udp, udp_rpcbind);
	tcase_add_test(udp, udp_lost_reply);
	tcase_add_test(udp, udp_calls_given_up);
	tcase_add_test(udp, udp_strays_passed_over);
	tcase_add_test(udp, udp_flood);
	tcase_add_loop_test(udp, udp_icmp_error, 0, 2);
	tcase_add_loop_test(udp, udp_unnamed_port_checked, 0, 2);
	tcase_add_loop_test(udp, udp_silence, 0, 2);
	suite_add_tcase(s, udp);
	tcase_add_loop_test(which, not_ground, 0, 6);
	tcase_add_test(which, vscan_checks_unnamed_port);
	tcase_add_test(which, vscan_stops_during_grind);
	tcase_add_test(which, vscan_grinds_udp_port);
	suite_add_tcase(s, which);
	tcase_add_test(file, programs_lines);
	tcase_add_test(file, programs_bounded);
	suite_add_tcase(s, file);
	return s;
}

#include "check_main.h"
