#include "vscan.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "conn.h"
#include "escape.h"
#include "fingerprint.h"
#include "pacer.h"
#include "rpc_grind.h"
#include "template.h"

/* Nmap's constants (service_scan.h/.cc); see docs/scanner.md. */
enum {
	RESP_ENOUGH = 4096,         /* no further reads once a response is this long */
	RESP_CAP = RESP_ENOUGH + 8192,
	DEFAULT_WAIT_MS = 5000,     /* totalwaitms when the probe gives none */
	DEFAULT_TCPWRAPPED_MS = 2000,
	CONNECT_TIMEOUT_MS = 5000,
	SSL_CONNECT_TIMEOUT_MS = 8000 /* the TCP connect and the handshake */
};

/* svdetect's own: a TLS server answers a ClientHello at once, so a guess
 * at TLS (docs/scanner.md) waits at most this for its handshake. */
enum { GUESS_HANDSHAKE_MS = 3000 };

/* Room for a probe or service name in a trace line, escaped. */
enum { LOG_NAME = 128 };

/*
 * Probing ahead: after how long a silent NULL probe, and how often to
 * ask again for sockets when the engine had none to lend.  At most
 * c->max_ahead runs of a port's queue besides its head count; a probe
 * sent ahead that the peer closed with nothing said holds only its place
 * (QCAP in all) until it is sent again in its turn or taken.
 */
enum { SPEC_DELAY_MS = 300, SPEC_RETRY_MS = 250, QCAP = SVD_VSCAN_AHEAD_MAX + 1 };

/*
 * Matching a response again after every read costs a server that trickles
 * its answer the whole response per byte.  A port may spend at most
 * 1/MATCH_SHARE of the wall time on matching, after a first MATCH_BURST_MS;
 * a read beyond that is matched later, with the reads that follow it, as
 * if they had come in one piece.  The bytes a read ends with are always
 * matched.  See docs/scanner.md.
 */
enum { MATCH_SHARE = 20, MATCH_BURST_MS = 10 };

/*
 * A position in Nmap's probe order: the NULL probe, then the probes
 * whose ports list this port (any rarity), then the others.
 */
enum stage { STAGE_NULL, STAGE_LISTED, STAGE_OTHERS, STAGE_END };

/* How probing a port ended. */
enum outcome { OUT_NOMATCH, OUT_SOFT, OUT_HARD, OUT_TCPWRAPPED, OUT_INCOMPLETE };

struct pos {
	enum stage stage;
	int probe;
};

/* One probe sent on one connection, and what came back. */
struct run {
	struct svd_vjob *j;
	struct pos pos;
	struct conn *conn;          /* NULL: none (yet, or any more) */
	bool connecting;
	bool over;                  /* no more reads: its result is final */
	bool closed, reset;         /* how the peer ended it */
	bool incomplete;            /* could not connect or write: Nmap gives up */
	/* UDP: the host said the port is unreachable (ICMP), with this TTL. */
	bool port_unreach;
	uint8_t unreach_ttl;
	bool ahead;                 /* sent ahead of its turn, on its own connection */
	/* Its connection's number in the port, in order of connecting; and
	 * whether the server surely had it (witness()). */
	uint32_t seq;
	bool witnessed;
	bool silent_ahead;          /* sent again in its turn after a silent run ahead */
	bool extra;                 /* holds a socket lent by the engine */
	bool delayed;               /* its connection waits for c->probe_delay_ms */
	int company;                /* the port's other connections open when it connected */
	uint64_t sent_at;           /* its wait counts from here */
	uint64_t ended_at;
	uint32_t unsent;
	struct ev_timer timer;
	unsigned char *resp;
	size_t len;
	bool unmatched;             /* bytes read that no match has seen yet */
	struct ev_timer match_timer;
	const struct svd_match *soft, *hard;
	/* Their fields, allocated on a match only: most runs match nothing,
	 * and runs sent ahead are kept until their turn (1.6 KB for both). */
	struct svd_version *soft_v, *hard_v;
};

struct svd_vjob {
	struct svd_link link;       /* in c->live */
	struct svd_vscan_ctx *c;
	const struct svd_host *h;
	struct svd_port *p;
	svd_vscan_done_fn *done;
	void *arg;
	uint64_t deadline;          /* --host-timeout, ev_now() time; 0: none */
	struct run *q[QCAP];        /* runs not yet committed, in probe order */
	int nq;
	struct pos committed;       /* the last probe whose result was taken */
	struct pos generated;       /* the last probe a run was made for */
	const struct svd_match *soft; /* the softmatch taken, if any */
	bool may_speculate;
	struct ev_timer spec_timer;
	/* The most connections of the port (both passes) that were open
	 * when a connection opened that the peer kept (it spoke, or did not
	 * close at once); -1: none yet.  Kept by the plain pass. */
	int kept_company;
	uint64_t next_connect_at;   /* c->probe_delay_ms after the last probe ended */
	/* The probe to send ahead next, for (ahead_after, ahead_soft): a
	 * port waiting for a socket asks every SPEC_RETRY_MS, and finding it
	 * walks every probe's ports list. */
	struct pos ahead_next, ahead_after;
	const struct svd_match *ahead_soft;
	bool ahead_known;
	struct svd_fp *fp;
	struct pacer match_pacer;   /* the time its runs may spend matching */
	/* Its tunnel: probes go through TLS (Nmap's tunnel="ssl"), from a
	 * hard match of `ssl` on, or on a guess (tls_unconfirmed) for a
	 * port nothing matched, whose plain result stands until a
	 * handshake succeeds.  Once per port either way. */
	bool tls, tls_unconfirmed;
	bool null_spoke;            /* the NULL probe got bytes: not TLS, which waits */
	/* UDP: the port answered the port scan, or a probe taken in its
	 * turn: it reads datagrams. */
	bool udp_reads;
	struct conn_session *session; /* offered on its next TLS connection */
	/* Once detection is over, a TLS port's facts handshake (ALPN), or
	 * an RPC port's grind. */
	struct conn *facts;
	struct svd_rpc_grind *grind;
	bool stopping;              /* the scan stops: no grind starts */
	struct ev_timer facts_timer;
	char table_name[64];        /* the name the engine gave it (method table) */
	/*
	 * The TLS pass run beside this plain one (start_tls_pass), or NULL;
	 * in that pass, the plain pass it runs beside, its port a copy.
	 * The plain pass, over where the TLS pass is its answer, awaits it
	 * (ssl_confirmed: after a hard match of ssl, else on a guess).
	 */
	struct svd_vjob *tls_pass, *plain_pass;
	bool awaiting_tls_pass, ssl_confirmed;
	uint32_t connections;       /* the port's so far, both passes (run.seq) */
	unsigned lent;              /* sockets the engine lent the port, both passes */
	bool silent_in_turn;        /* a probe silent ahead was silent in its turn too */
	bool pass_over;             /* a TLS pass that ended (its lent socket returned) so: */
	enum outcome pass_outcome;
};

static const struct svd_probe *probe_of(const struct svd_vjob *j, const struct run *r)
{
	return &j->c->db->probes[r->pos.probe];
}

/* A UDP port: no NULL probe, a datagram per probe, no TLS. */
static bool is_udp(const struct svd_vjob *j)
{
	return j->p->proto == SVD_UDP;
}

/* What the port's SSL tunnel goes through: TLS for TCP, DTLS for UDP;
 * NULL when it has none. */
static const struct conn_type *tunnel_type(const struct svd_vjob *j)
{
	return is_udp(j) ? j->c->dtls : j->c->tls;
}

/* Nmap's scanThroughTunnel: a hard match of `ssl`, or with the DTLS of
 * Nmap 7.94+ also `dtls`, starts the port over through its tunnel, once. */
static bool starts_tunnel(const struct svd_vjob *j, const struct svd_match *m)
{
	return !j->tls && tunnel_type(j) &&
	       (strcmp(m->service, "ssl") == 0 || (j->c->dtls && strcmp(m->service, "dtls") == 0));
}

static uint32_t probe_wait(const struct svd_probe *pr)
{
	return pr->totalwaitms ? pr->totalwaitms : DEFAULT_WAIT_MS;
}

/* The probe's `ports`, or through TLS its `sslports`, list the port. */
static bool port_listed(const struct svd_probe *pr, unsigned port, bool tls)
{
	const struct svd_port_range *ranges = tls ? pr->sslports : pr->ports;
	uint16_t i, n = tls ? pr->nsslports : pr->nports;

	for (i = 0; i < n; i++)
		if (ranges[i].lo <= port && port <= ranges[i].hi)
			return true;
	return false;
}

/* Nmap's serviceIsPossible: one of the probe's own lines names it. */
static bool can_name(const struct svd_sigdb *db, const struct svd_probe *pr,
		     const char *service)
{
	uint32_t i;

	for (i = pr->first_match; i < pr->first_match + pr->nmatches; i++)
		if (strcmp(db->matches[i].service, service) == 0)
			return true;
	return false;
}

static bool eligible(const struct svd_vjob *j, struct pos at, const struct svd_match *soft)
{
	const struct svd_vscan_ctx *c = j->c;
	const struct svd_probe *pr = &c->db->probes[at.probe];
	bool listed;

	if (at.probe == c->db->null_probe || pr->proto != j->p->proto)
		return false;
	listed = port_listed(pr, j->p->portno, j->tls);
	if (at.stage == STAGE_LISTED)
		return listed;
	return !listed && pr->rarity <= c->intensity &&
	       (!soft || c->intensity >= 9 || can_name(c->db, pr, soft->service));
}

/* The probe after `at` in Nmap's order, given the softmatch so far. */
static struct pos pos_next(const struct svd_vjob *j, struct pos at, const struct svd_match *soft)
{
	int n = (int)j->c->db->nprobes;

	if (at.stage == STAGE_NULL)
		at = (struct pos){ STAGE_LISTED, -1 };
	while (at.stage != STAGE_END) {
		while (++at.probe < n)
			if (eligible(j, at, soft))
				return at;
		at = (struct pos){ at.stage + 1, -1 };
	}
	return at;
}

static int pos_cmp(struct pos a, struct pos b)
{
	if (a.stage != b.stage)
		return a.stage < b.stage ? -1 : 1;
	return (a.probe > b.probe) - (a.probe < b.probe);
}

/* --- Runs ---------------------------------------------------------------- */

/* The peer ended the run with nothing said within the probe's
 * tcpwrapped time: Nmap's tcpwrapped, after the NULL probe. */
static bool closed_at_once(const struct svd_vjob *j, const struct run *r)
{
	const struct svd_probe *pr = probe_of(j, r);
	uint32_t wrapped = pr->tcpwrappedms ? pr->tcpwrappedms : DEFAULT_TCPWRAPPED_MS;

	return r->closed && !r->len && r->ended_at - r->sent_at < wrapped;
}

/* The pass that keeps what the port's connections tell of the peer. */
static struct svd_vjob *plain_of(struct svd_vjob *j)
{
	return j->plain_pass ? j->plain_pass : j;
}

/* A socket lent for the port, counted for its fair share (acquire). */
static bool borrow_socket(struct svd_vjob *j)
{
	struct svd_vjob *port = plain_of(j);

	if (!j->c->acquire(j->arg, port->lent))
		return false;
	port->lent++;
	return true;
}

static void return_socket(struct svd_vjob *j)
{
	plain_of(j)->lent--;
	j->c->release(j->arg);
}

/* The run waited out its time: no byte, no close, no failure. */
static bool waited_silent(const struct run *r)
{
	return !r->closed && !r->len && !r->incomplete;
}

static int open_in(const struct svd_vjob *j)
{
	int i, n = 0;

	for (i = 0; j && i < j->nq; i++)
		n += j->q[i]->conn != NULL;
	return n;
}

/* The port's connections open now, in both passes. */
static int port_connections(struct svd_vjob *j)
{
	struct svd_vjob *plain = plain_of(j);

	return open_in(plain) + open_in(plain->tls_pass);
}

/* Probing ahead, and the TLS pass beside, are on. */
static bool may_probe_ahead(const struct svd_vscan_ctx *c)
{
	return c->acquire && c->max_ahead > 0;
}

static void on_conn(struct conn *conn, enum conn_event ev, unsigned events, void *arg);
static void on_timer(struct ev_loop *l, struct ev_timer *t);
static void commit(struct svd_vjob *j);
static void tls_confirmed(struct svd_vjob *j);
static void start_over_through_tls(struct svd_vjob *j, bool confirmed);

static void witness_in(struct svd_vjob *j, uint32_t seq)
{
	int i;

	for (i = 0; i < j->nq; i++)
		if (!j->q[i]->over && j->q[i]->seq && j->q[i]->seq < seq)
			j->q[i]->witnessed = true;
}

/*
 * The peer of r did something (sent bytes, closed, completed a TLS
 * handshake).  A server accepts connections in the order they came, so
 * it had every connection of the port made before r's by then: the
 * silence of those still waiting is the service's own answer, not that
 * of a server busy with another connection (openssl s_server serves one
 * at a time, and a probe sent ahead would wait out its turn unread).
 */
static void witness(const struct run *r)
{
	struct svd_vjob *port = plain_of(r->j);

	witness_in(port, r->seq);
	if (port->tls_pass)
		witness_in(port->tls_pass, r->seq);
}

/* ms, or less if the host's deadline comes first. */
static uint64_t before_deadline(const struct svd_vjob *j, uint64_t ms)
{
	uint64_t now = ev_now(j->c->loop);

	if (j->deadline && now + ms > j->deadline)
		ms = j->deadline > now ? j->deadline - now : 0;
	return ms;
}

/* Arms the run's timer, never past the host's deadline. */
static void arm(struct run *r, uint64_t ms)
{
	ev_timer_start(r->j->c->loop, &r->timer, before_deadline(r->j, ms), on_timer);
}

/*
 * Nmap offers a port's last TLS session on its next connection.  It is
 * taken when the handshake is over and again when the connection ends:
 * in TLS 1.3 a session can be resumed only once the server's ticket,
 * sent after the handshake, has been read.
 */
static void drop_session(struct svd_vjob *j)
{
	if (j->session)
		j->c->tls->session_free(j->session);
	j->session = NULL;
}

static void keep_session(struct svd_vjob *j, const struct conn *conn)
{
	struct conn_session *s;

	if (conn->state != CONN_OPEN)
		return;
	s = conn_session(conn);
	if (s) {
		drop_session(j);
		j->session = s;
	}
}

static void close_run(struct run *r)
{
	struct svd_vjob *j = r->j;

	ev_timer_stop(j->c->loop, &r->timer);
	ev_timer_stop(j->c->loop, &r->match_timer);
	if (r->conn) {
		keep_session(j, r->conn);
		conn_close(r->conn);
		r->conn = NULL;
	}
	if (r->extra) {
		return_socket(j);
		r->extra = false;
	}
}

static void free_run(struct run *r)
{
	close_run(r);
	free(r->resp);
	free(r->soft_v);
	free(r->hard_v);
	free(r);
}

static struct run *new_run(struct svd_vjob *j, struct pos at)
{
	struct run *r = calloc(1, sizeof *r);

	if (!r)
		return NULL;
	r->j = j;
	r->pos = at;
	return r;
}

/* A finished run keeps only the bytes it read: runs sent ahead wait for
 * their turn, and 12 KB each would make memory grow with the ports in
 * progress instead of the sockets open. */
static void trim_response(struct run *r)
{
	unsigned char *fit;

	if (!r->len) {
		free(r->resp);
		r->resp = NULL;
	} else if (r->len < RESP_CAP && (fit = realloc(r->resp, r->len))) {
		r->resp = fit;
	}
}

/*
 * The run has its final result: stop reading, and look at the queue.
 * Only the NULL probe's connection and response go on, to the next
 * probe (keep_connection: the peer did not end it); any other run closes
 * now, as Nmap closes a probe's connection when the probe is over, so
 * that a run sent ahead holds no socket while it waits for its turn.
 */
static void end_run(struct run *r, bool keep_connection)
{
	struct svd_vjob *j = r->j;

	r->over = true;
	r->ended_at = ev_now(j->c->loop);
	ev_timer_stop(j->c->loop, &r->timer);
	ev_timer_stop(j->c->loop, &r->match_timer);
	r->unmatched = false;
	if (!r->incomplete && !closed_at_once(j, r) && r->company > plain_of(j)->kept_company)
		plain_of(j)->kept_company = r->company;
	j->next_connect_at = r->ended_at + j->c->probe_delay_ms;
	if (keep_connection && r->pos.stage == STAGE_NULL) {
		/* Quiet until the next probe takes it over; a failure
		 * to stop watching costs at most a wakeup. */
		if (r->conn)
			(void)conn_want(r->conn, 0);
	} else {
		close_run(r);
		trim_response(r);
	}
	commit(j);
}

static void send_probe(struct run *r)
{
	struct svd_vjob *j = r->j;
	const struct svd_probe *pr = probe_of(j, r);

	if (j->c->trace) {
		char name[LOG_NAME];

		fprintf(j->c->trace, "Service scan sending probe %s to %s:%u (%s)%s%s\n",
			escape_for_log(name, sizeof name, pr->name), j->h->addrstr,
			j->p->portno, is_udp(j) ? "udp" : "tcp", j->plain_pass ? " [TLS pass]" : "",
			r->extra ? " [ahead]" : "");
	}
	r->sent_at = ev_now(j->c->loop);
	/* no-payload keeps a probe out of the port scan's payloads only. */
	r->unsent = pr->payload_len;
	arm(r, probe_wait(pr));
	conn_set_handler(r->conn, on_conn, r);
	/* If the loop cannot watch it, the probe's timer ends the run. */
	(void)conn_want(r->conn, EV_READ | (r->unsent ? EV_WRITE : 0));
}

/* Starts r on a new connection, a probe in its turn not before the
 * port's probe delay is over.  A connect that fails at once is reported
 * from the loop, like any other, so that no caller is re-entered. */
static void connect_run(struct run *r)
{
	struct svd_vjob *j = r->j;
	struct conn_config cfg = { .loop = j->c->loop, .transport = j->c->transport_ctx };
	uint64_t now = ev_now(j->c->loop);

	if (!r->ahead && !r->delayed && now < j->next_connect_at) {
		r->delayed = true;
		arm(r, j->next_connect_at - now);
		return;
	}
	r->delayed = false;
	r->company = port_connections(j);
	if (j->tls) {
		cfg.server_name = j->h->name; /* SNI: the name the user gave */
		cfg.transport = j->c->tls_ctx;
		cfg.resume = j->session;
	}
	r->connecting = true;
	r->seq = ++plain_of(j)->connections;
	r->conn = conn_create(j->tls ? tunnel_type(j) : is_udp(j) ? j->c->udp_transport : j->c->transport,
			      &cfg);
	if (r->conn) {
		conn_set_handler(r->conn, on_conn, r);
		if (conn_connect(r->conn, &j->h->addr, j->h->addrlen, j->p->portno) < 0) {
			conn_close(r->conn);
			r->conn = NULL;
		}
	}
	arm(r, !r->conn ? 0 : !j->tls ? CONNECT_TIMEOUT_MS :
	       j->tls_unconfirmed ? GUESS_HANDSHAKE_MS : SSL_CONNECT_TIMEOUT_MS);
}

/* The match line's fields for this response, or NULL when out of memory. */
static struct svd_version *render(const unsigned char *resp, size_t len,
				  const struct svd_result *res)
{
	struct svd_subject s = { resp, len, res->ovec, res->nmatch };
	struct svd_version *v = malloc(sizeof *v);

	if (v)
		svd_render_version(v, &res->match->tmpl, &s);
	return v;
}

/* Matches the response as it is now, which a hard match ends: returns
 * whether the run is over. */
static bool match_now(struct run *r)
{
	struct svd_vjob *j = r->j;
	struct svd_result res;
	const struct svd_match *m;
	uint64_t start = pacer_clock_ns();

	r->unmatched = false;
	ev_timer_stop(j->c->loop, &r->match_timer);
	m = svd_match_response(&j->c->mt, (unsigned)r->pos.probe, r->resp, r->len, &res, NULL, NULL);
	pacer_charge(&j->match_pacer, pacer_clock_ns() - start);
	if (m && !m->soft) {
		r->hard_v = render(r->resp, r->len, &res);
		if (r->hard_v)
			r->hard = m;
		else
			r->incomplete = true; /* out of memory: what was found so far */
		end_run(r, false);
		return true;
	}
	/* Within one probe only its first softmatch counts, as in Nmap. */
	if (m && !r->soft && (r->soft_v = render(r->resp, r->len, &res)))
		r->soft = m;
	return false;
}

/* The run reads no more: what it read since its last match is matched
 * first, so that its answer is the one for the whole response. */
static void end_reading(struct run *r, bool keep_connection)
{
	if (r->unmatched && !r->incomplete && match_now(r))
		return;
	end_run(r, keep_connection);
}

static void on_match_timer(struct ev_loop *l, struct ev_timer *t)
{
	struct run *r = ev_container(t, struct run, match_timer);
	/* Another run of the port may have spent the credit meanwhile. */
	uint64_t wait = pacer_wait_ms(&r->j->match_pacer, pacer_clock_ns());

	if (wait)
		ev_timer_start(l, t, wait, on_match_timer);
	else
		match_now(r);
}

static void got_data(struct run *r)
{
	struct svd_vjob *j = r->j;
	bool last = ev_now(j->c->loop) >= r->sent_at + probe_wait(probe_of(j, r)) ||
		    r->len >= RESP_ENOUGH;
	bool deferred = r->unmatched; /* and match_timer armed */
	uint64_t wait;

	r->unmatched = true;
	if (last) {
		end_reading(r, true);
		return;
	}
	wait = pacer_wait_ms(&j->match_pacer, pacer_clock_ns());
	if (!wait)
		match_now(r);
	else if (!deferred)
		ev_timer_start(j->c->loop, &r->match_timer, wait, on_match_timer);
}

/* A UDP port that answers is open, as Nmap's adjustPortStateIfNecessary
 * makes it, whichever probe the answer came to. */
static void udp_answered(struct svd_vjob *j)
{
	struct svd_port *p = j->p;

	if (p->state == SVD_PORT_OPEN)
		return;
	p->state = SVD_PORT_OPEN;
	p->reason = "udp-response";
	p->reason_ttl = 0;
}

/* A UDP probe's ICMP error: a port unreachable from the host itself? */
static void note_unreachable(struct run *r)
{
	const struct conn_dgram *d = conn_dgram(r->conn);

	r->port_unreach = d && d->icmp && d->icmp_from_peer &&
			  (d->icmp6 ? d->icmp_type == 1 && d->icmp_code == 4
				    : d->icmp_type == 3 && d->icmp_code == 3);
	r->unreach_ttl = d ? d->ttl : 0;
}

static void read_some(struct run *r)
{
	struct svd_vjob *j = r->j;
	size_t room = RESP_CAP - r->len;
	ssize_t n;

	if (!r->resp && !(r->resp = malloc(RESP_CAP))) {
		r->incomplete = true;
		end_run(r, false);
		return;
	}
	if (r->len == RESP_CAP) {
		/* A full buffer carried over from the NULL probe (a server that
		 * streams): more data is waiting but there is no room.  Match
		 * what is there along this probe's chain, which ends the probe
		 * (it is past RESP_ENOUGH); a recv() of 0 bytes would return 0
		 * and pass for the peer closing. */
		got_data(r);
		return;
	}
	if (is_udp(j) && room > CONN_DGRAM_READ_MAX)
		room = CONN_DGRAM_READ_MAX;
	n = conn_read(r->conn, r->resp + r->len, room);
	if (n == CONN_AGAIN)
		return;
	if (n != CONN_ERROR || r->conn->fail != CONN_FAIL_UNREACH)
		witness(r);
	if (n > 0) {
		if (is_udp(j))
			udp_answered(j);
		r->len += (size_t)n;
		got_data(r);
		return;
	}
	if (n == CONN_ERROR && is_udp(j))
		note_unreachable(r);
	if (n == CONN_EOF) {
		r->closed = true;
	} else if (r->conn->fail == CONN_FAIL_UNREACH) {
		r->incomplete = true;
	} else {
		/* Nmap treats a reset like EOF but keeps no fingerprint of it. */
		r->closed = true;
		r->reset = r->conn->fail == CONN_FAIL_RESET;
	}
	end_reading(r, false);
}

static void write_some(struct run *r)
{
	const struct svd_probe *pr = probe_of(r->j, r);
	ssize_t n = conn_write(r->conn, pr->payload + pr->payload_len - r->unsent, r->unsent);

	if (n == CONN_AGAIN)
		return;
	if (n < 0) {
		/* Nmap gives up on a service whose probe cannot be written. */
		r->incomplete = true;
		end_run(r, false);
		return;
	}
	r->unsent -= (uint32_t)n;
	if (!r->unsent)
		(void)conn_want(r->conn, EV_READ); /* else the timer ends it */
}

static void on_conn(struct conn *conn, enum conn_event ev, unsigned events, void *arg)
{
	struct run *r = arg;

	if (ev == CONN_EV_CONNECTED) {
		struct svd_vjob *j = r->j;

		r->connecting = false;
		if (conn->state != CONN_OPEN) {
			if (j->c->trace && conn->fail == CONN_FAIL_HANDSHAKE)
				fprintf(j->c->trace, "Service scan: TLS handshake with %s:%u failed: %s\n",
					j->h->addrstr, j->p->portno, conn_last_error(conn));
			r->incomplete = true;
			end_run(r, false);
			return;
		}
		keep_session(j, conn);
		if (j->tls) {
			r->witnessed = true; /* its handshake: the server had it */
			witness(r);
		}
		if (j->tls_unconfirmed)
			tls_confirmed(j);
		send_probe(r);
		return;
	}
	if ((events & EV_WRITE) && r->unsent) {
		write_some(r);
		return; /* reads come on the next wakeup (level-triggered) */
	}
	if (events & EV_READ)
		read_some(r);
}

static void on_timer(struct ev_loop *l, struct ev_timer *t)
{
	struct run *r = ev_container(t, struct run, timer);
	bool past_deadline = r->j->deadline && ev_now(r->j->c->loop) >= r->j->deadline;

	(void)l;
	if (r->delayed && !past_deadline) {
		connect_run(r);
		return;
	}
	if (r->connecting || r->delayed || past_deadline) {
		r->incomplete = true;
		end_run(r, false);
		return;
	}
	end_reading(r, true);
}

/* --- The port: runs committed in Nmap's order --------------------------- */

/* Copies the fields a match line set over what earlier matches set, as
 * Nmap does: a hard match after a softmatch keeps the soft line's values
 * for fields it leaves empty. */
static void take_version(struct svd_service *svc, const struct svd_version *v)
{
#define TAKE(f) if (v->f[0]) memcpy(svc->v.f, v->f, sizeof v->f)
	TAKE(product); TAKE(version); TAKE(info); TAKE(hostname);
	TAKE(ostype); TAKE(devtype); TAKE(cpe_a); TAKE(cpe_h); TAKE(cpe_o);
#undef TAKE
}

/* The trace line of a match taken, its fields shown as every output shows them. */
static void trace_match(const struct svd_vjob *j, const char *probe_name, const struct svd_match *m)
{
	const struct svd_service *svc = &j->p->svc;
	struct svd_version v = svc->v;
	char probe[LOG_NAME], service[LOG_NAME];

	svd_version_make_printable(&v);
	fprintf(j->c->trace, "Service scan %s match (Probe %s matched with line %u): %s:%u is %s%s.  Version: |%s|%s|%s|\n",
		m->soft ? "soft" : "hard", escape_for_log(probe, sizeof probe, probe_name),
		m->line, j->h->addrstr, j->p->portno, j->tls ? "SSL/" : "",
		escape_for_log(service, sizeof service, m->service), v.product, v.version, v.info);
}

/* The port's service is match m of the response to probe `probe`. */
static void take_match(struct svd_vjob *j, const char *probe, const struct svd_match *m,
		       const struct svd_version *v)
{
	struct svd_service *svc = &j->p->svc;
	const char *name = m->service;

	take_version(svc, v);
	if (strncmp(name, "ssl/", 4) == 0) {
		svc->ssl = true;
		name += 4;
	}
	snprintf(svc->name, sizeof svc->name, "%s", name);
	svc->method = SVD_METHOD_PROBED;
	svc->conf = 10;
	svc->soft = m->soft;
	svc->match = m;
	svc->probe = probe;
	if (j->c->trace)
		trace_match(j, probe, m);
}

static void add_to_fingerprint(struct svd_vjob *j, const struct run *r)
{
	if (!r->len || r->reset)
		return;
	if (!j->fp) {
		struct svd_fp_params p = { 0 };
		time_t now = time(NULL);
		struct tm tm;

		j->fp = malloc(sizeof *j->fp);
		if (!j->fp)
			return; /* the fingerprint is a courtesy; the scan goes on */
		localtime_r(&now, &tm);
		p.port = j->p->portno;
		p.proto = is_udp(j) ? "UDP" : "TCP";
		p.ssl = j->tls; /* %T=SSL: Nmap's tunnel, not a match's ssl/ */
		p.intensity = j->c->intensity;
		p.version = PACKAGE_VERSION;
		p.platform = j->c->platform;
		p.month = tm.tm_mon + 1;
		p.day = tm.tm_mday;
		p.time = (long long)now;
		p.debugging = j->c->debugging;
		svd_fp_init(j->fp, &p);
	}
	svd_fp_add(j->fp, probe_of(j, r)->name, r->resp, r->len);
}

/* Ends every run of the port, and its probing ahead. */
static void drop_runs(struct svd_vjob *j)
{
	int i;

	ev_timer_stop(j->c->loop, &j->spec_timer);
	for (i = 0; i < j->nq; i++)
		free_run(j->q[i]);
	j->nq = 0;
}

/* Hands the port, final, to its owner. */
static void report(struct svd_vjob *j)
{
	svd_list_remove(&j->c->live, &j->link);
	j->done(j->arg, j->p);
	free(j);
}

static void end_facts(struct svd_vjob *j)
{
	ev_timer_stop(j->c->loop, &j->facts_timer);
	conn_close(j->facts);
	j->facts = NULL;
	report(j);
}

static void on_facts(struct conn *conn, enum conn_event ev, unsigned events, void *arg)
{
	struct svd_vjob *j = arg;

	(void)events;
	if (ev == CONN_EV_CONNECTED && conn->state == CONN_OPEN)
		j->p->svc.tls = conn_tls_facts(conn);
	end_facts(j);
}

static void on_facts_timer(struct ev_loop *l, struct ev_timer *t)
{
	(void)l;
	end_facts(ev_container(t, struct svd_vjob, facts_timer));
}

/*
 * A TLS port's facts (svc.tls) come from a handshake of their own, full
 * and offering ALPN h2 and http/1.1, which no probe connection offers
 * (a server that chose h2 would not answer HTTP/1 probes).  Returns
 * false when none could start: the port is reported without facts.
 */
static bool start_facts(struct svd_vjob *j)
{
	struct conn_config cfg = { .loop = j->c->loop, .server_name = j->h->name,
				   .transport = j->c->tls_ctx, .offer_alpn = true };
	uint64_t ms = before_deadline(j, SSL_CONNECT_TIMEOUT_MS);

	if (!ms || !(j->facts = conn_create(tunnel_type(j), &cfg)))
		return false;
	conn_set_handler(j->facts, on_facts, j);
	if (conn_connect(j->facts, &j->h->addr, j->h->addrlen, j->p->portno) < 0) {
		conn_close(j->facts);
		j->facts = NULL;
		return false;
	}
	ev_timer_start(j->c->loop, &j->facts_timer, ms, on_facts_timer);
	return true;
}

static void ground(void *arg)
{
	struct svd_vjob *j = arg;

	j->grind = NULL;
	report(j);
}

/* The SunRPC grinder, for a port it takes (rpc_grind.h); false if not.
 * A UDP port is ground over UDP, a call a datagram. */
static bool start_grind(struct svd_vjob *j)
{
	const struct svd_vscan_ctx *c = j->c;
	struct svd_rpc_grind_cfg cfg = { .loop = c->loop,
					 .transport = is_udp(j) ? c->udp_transport : c->transport,
					 .transport_ctx = c->transport_ctx, .programs = c->rpc,
					 .intensity = c->intensity, .trace = c->trace };

	if (j->stopping)
		return false;
	j->grind = svd_rpc_grind_start(&cfg, j->h, j->p, j->deadline, ground, j);
	return j->grind != NULL;
}

static void tls_pass_over(struct svd_vjob *t, enum outcome out);

/* The port's result is final but for its TLS facts or its RPC program:
 * the plain pass hears of its TLS pass's end; a port reports, after the
 * facts' handshake or the grind. */
static void deliver(struct svd_vjob *j, enum outcome out)
{
	if (j->plain_pass)
		tls_pass_over(j, out);
	else if (start_grind(j))
		return;
	/* svc.ssl: the tunnel, or a match named ssl/...; not a failed guess. */
	else if (!j->p->svc.ssl || out == OUT_INCOMPLETE || !tunnel_type(j) || !start_facts(j))
		report(j);
}

static void drop_tls_pass(struct svd_vjob *j);

static void finish(struct svd_vjob *j, enum outcome out)
{
	struct svd_service *svc = &j->p->svc;
	const char *fp;

	drop_runs(j);
	drop_tls_pass(j);
	drop_session(j);
	if (out == OUT_TCPWRAPPED) {
		snprintf(svc->name, sizeof svc->name, "tcpwrapped");
		svc->method = SVD_METHOD_PROBED;
		svc->conf = 8;
	}
	/* Nmap prints the fingerprint of anything not hard-matched; of a
	 * softmatch or an incomplete probe only at intensity >= 7. */
	fp = j->fp ? svd_fp_text(j->fp, NULL) : NULL;
	if (fp && out != OUT_HARD && (out == OUT_NOMATCH || j->c->intensity >= 7))
		svc->fingerprint = strdup(fp);
	free(j->fp);
	j->fp = NULL;
	deliver(j, out);
}

/* A failure ends a port with what it found so far (Nmap's incomplete);
 * a failed guess at TLS leaves Nmap's plain answer, nothing matched. */
static enum outcome gave_up(const struct svd_vjob *j)
{
	return j->tls_unconfirmed ? OUT_NOMATCH : OUT_INCOMPLETE;
}

static void pop_head(struct svd_vjob *j)
{
	memmove(&j->q[0], &j->q[1], (size_t)(j->nq - 1) * sizeof *j->q);
	j->nq--;
}

static void spec_start(struct ev_loop *l, struct ev_timer *t);

/*
 * The softmatch the probes after the queue will be filtered with: the
 * one taken, else the first of the queue's, once every run before it is
 * over (a run in progress may still softmatch first).  Sound because a
 * run's first softmatch is its last, and a later hard match would end
 * the port: the NULL probe's banner softmatched rules probes out 6 s
 * before NULL's result is taken.
 */
static const struct svd_match *soft_ahead(const struct svd_vjob *j)
{
	int i;

	if (j->soft)
		return j->soft;
	for (i = 0; i < j->nq; i++) {
		if (j->q[i]->soft)
			return j->q[i]->soft;
		if (!j->q[i]->over)
			break;
	}
	return NULL;
}

/* The probe after j->generated to send ahead. */
static struct pos next_ahead(struct svd_vjob *j)
{
	const struct svd_match *soft = soft_ahead(j);

	if (j->ahead_known && pos_cmp(j->ahead_after, j->generated) == 0 &&
	    j->ahead_soft == soft)
		return j->ahead_next;
	j->ahead_next = pos_next(j, j->generated, soft);
	/* The probe right after NULL belongs on NULL's connection:
	 * advance() starts it there once NULL is over. */
	if (j->generated.stage == STAGE_NULL)
		j->ahead_next = pos_next(j, j->ahead_next, soft);
	j->ahead_after = j->generated;
	j->ahead_soft = soft;
	j->ahead_known = true;
	return j->ahead_next;
}

/* The runs ahead of the queue's head but those the peer closed with
 * nothing said: these hold no socket and no bytes, and the server
 * answered them.  Runs that timed out or could not connect count, so
 * that a server busy with one connection (it serves one at a time) gets
 * no backlog of probes sent ahead in front of the probe in its turn. */
static int weight_ahead(const struct svd_vjob *j)
{
	int i, n = 0;

	for (i = 1; i < j->nq; i++)
		n += !j->q[i]->over || j->q[i]->conn || j->q[i]->len || !j->q[i]->closed;
	return n;
}

/* Starts later probes ahead of time on their own connections, as far as
 * the engine lends sockets.  Their results are taken only in order. */
static void speculate(struct svd_vjob *j)
{
	assert(j->c->max_ahead <= SVD_VSCAN_AHEAD_MAX);
	while (j->may_speculate && j->nq < QCAP && weight_ahead(j) < j->c->max_ahead) {
		struct pos at = next_ahead(j);
		struct run *r;

		if (at.stage == STAGE_END)
			return;
		if (!borrow_socket(j)) {
			ev_timer_start(j->c->loop, &j->spec_timer, SPEC_RETRY_MS, spec_start);
			return;
		}
		r = new_run(j, at);
		if (!r) {
			return_socket(j);
			return;
		}
		r->ahead = r->extra = true;
		j->q[j->nq++] = r;
		j->generated = at;
		connect_run(r);
	}
}

static void start_tls_pass(struct svd_vjob *j);

static void spec_start(struct ev_loop *l, struct ev_timer *t)
{
	struct svd_vjob *j = ev_container(t, struct svd_vjob, spec_timer);

	(void)l;
	j->may_speculate = true;
	start_tls_pass(j);
	speculate(j);
}

/*
 * Makes the run for the next probe in order the head of the queue:
 * drops runs made ahead for probes the softmatch since ruled out, and
 * starts the next probe if no run was made for it.  `banner` is the
 * NULL run whose connection and response the next probe continues.
 */
static bool advance(struct svd_vjob *j, struct run *banner)
{
	struct pos next = pos_next(j, j->committed, j->soft);
	struct run *r;

	while (j->nq && pos_cmp(j->q[0]->pos, next) < 0) {
		free_run(j->q[0]);
		pop_head(j);
	}
	if (next.stage == STAGE_END)
		return false;
	if (j->nq && pos_cmp(j->q[0]->pos, next) == 0) {
		if (!banner)
			return true;
		/* Made ahead on its own connection, but Nmap sends it after
		 * the banner on NULL's: redo it there. */
		free_run(j->q[0]);
		pop_head(j);
	}
	r = new_run(j, next);
	if (!r)
		return false;
	/* Only the probe after NULL is ever missing from a full queue. */
	assert(j->nq < QCAP);
	memmove(&j->q[1], &j->q[0], (size_t)j->nq * sizeof *j->q);
	j->q[0] = r;
	j->nq++;
	if (pos_cmp(next, j->generated) > 0)
		j->generated = next;
	if (banner) {
		r->conn = banner->conn;
		r->company = banner->company;
		banner->conn = NULL;
		r->resp = banner->resp;
		r->len = banner->len;
		banner->resp = NULL;
		send_probe(r);
	} else {
		connect_run(r);
	}
	return true;
}

/* Probing from the NULL probe (without one, from the first probe): at
 * the start and again through TLS.  Returns false when out of memory. */
static bool start_probing(struct svd_vjob *j)
{
	struct svd_vscan_ctx *c = j->c;
	struct run *r;

	j->committed = j->generated = (struct pos){ STAGE_NULL, c->db->null_probe };
	j->may_speculate = false;
	j->ahead_known = false;
	if (c->db->null_probe < 0 || is_udp(j)) {
		/* UDP: no NULL probe to wait on, so probing ahead may start
		 * at once. */
		j->may_speculate = is_udp(j) && may_probe_ahead(c);
		if (!advance(j, NULL))
			finish(j, j->soft ? OUT_SOFT : OUT_NOMATCH); /* nothing to send */
		else
			speculate(j);
		return true;
	}
	r = new_run(j, j->committed);
	if (!r)
		return false;
	j->q[j->nq++] = r;
	/* A guess at TLS sends nothing ahead before its handshake works. */
	if (may_probe_ahead(c) && !j->tls_unconfirmed)
		ev_timer_start(c->loop, &j->spec_timer, SPEC_DELAY_MS, spec_start);
	connect_run(r);
	return true;
}

/* The port is in an SSL tunnel: as in Nmap, it keeps only the services
 * table's name until a probe through TLS names it, and its fingerprint
 * starts over (with %T=SSL). */
static void enter_tunnel(struct svd_vjob *j)
{
	struct svd_service *svc = &j->p->svc;

	snprintf(svc->name, sizeof svc->name, "%s", j->table_name);
	svc->method = SVD_METHOD_TABLE;
	svc->conf = 3;
	svc->soft = false;
	svc->match = NULL;
	svc->probe = NULL;
	memset(&svc->v, 0, sizeof svc->v);
	svc->ssl = true;
	free(j->fp);
	j->fp = NULL;
}

/*
 * Starts the port over through TLS from the NULL probe, once.  After a
 * hard match of `ssl` (Nmap's scanThroughTunnel) the port is in the
 * tunnel from now on; on a guess (a port nothing matched) the plain
 * result stands until a handshake succeeds (tls_confirmed).
 */
static void start_over_through_tls(struct svd_vjob *j, bool confirmed)
{
	drop_runs(j);
	j->tls = true;
	j->soft = NULL;
	if (confirmed) {
		enter_tunnel(j);
	} else {
		j->tls_unconfirmed = true;
		if (j->c->trace)
			fprintf(j->c->trace, "Service scan: nothing matched %s:%u; trying a TLS handshake\n",
				j->h->addrstr, j->p->portno);
	}
	if (!start_probing(j))
		finish(j, gave_up(j));
}

static void tls_confirmed(struct svd_vjob *j)
{
	j->tls_unconfirmed = false;
	enter_tunnel(j);
	if (j->c->trace)
		fprintf(j->c->trace, "Service scan: %s:%u completed a TLS handshake; probing through it\n",
			j->h->addrstr, j->p->portno);
	if (may_probe_ahead(j->c))
		ev_timer_start(j->c->loop, &j->spec_timer, SPEC_DELAY_MS, spec_start);
}

/* A job of port p, plain or its TLS pass: what both share. */
static void init_job(struct svd_vjob *j, struct svd_vscan_ctx *c, const struct svd_host *h,
		     struct svd_port *p, uint64_t deadline, void *arg)
{
	j->c = c;
	j->h = h;
	j->p = p;
	j->deadline = deadline;
	j->arg = arg;
	snprintf(j->table_name, sizeof j->table_name, "%s", p->svc.name);
	pacer_init(&j->match_pacer, MATCH_SHARE, MATCH_BURST_MS * 1000000LL, pacer_clock_ns());
}

/* --- The TLS pass beside the plain one --------------------------------- */

/*
 * Nmap learns late that a port is TLS: SSLSessionReq and TLSSessionReq
 * come after probes that may each wait 5 s, and then the port starts
 * over through TLS from the NULL probe.  So, like a probe sent ahead, a
 * TLS pass starts beside the plain one SPEC_DELAY_MS into a silent NULL
 * probe, on a lent socket, as a guess (nothing goes through it before
 * its handshake works; a failed one ends it).  Its result is taken only
 * where the plain pass starts over through TLS (go_through_tls) and only
 * if its handshake worked: the port ends when its TLS pass does, not
 * after the plain pass and then the TLS one.  The plain pass ending any
 * other way drops it.
 */
static void start_tls_pass(struct svd_vjob *j)
{
	struct svd_vscan_ctx *c = j->c;
	struct svd_vjob *t;

	if (!c->tls || is_udp(j) || j->tls || j->plain_pass || j->tls_pass || !j->nq ||
	    j->q[0]->pos.stage != STAGE_NULL || j->q[0]->over || j->q[0]->len)
		return;
	if (!borrow_socket(j))
		return; /* asked again with the probes ahead */
	t = calloc(1, sizeof *t);
	if (t)
		t->p = malloc(sizeof *t->p);
	if (!t || !t->p) {
		free(t);
		return_socket(j);
		return;
	}
	/* Nothing of it allocated yet, its name still the table's: nothing
	 * is taken before NULL. */
	*t->p = *j->p;
	init_job(t, c, j->h, t->p, j->deadline, j->arg);
	t->plain_pass = j;
	t->tls = t->tls_unconfirmed = true;
	j->tls_pass = t;
	if (c->trace)
		fprintf(c->trace, "Service scan: %s:%u silent for %d ms; trying TLS beside the plain probes\n",
			j->h->addrstr, j->p->portno, SPEC_DELAY_MS);
	if (!start_probing(t))
		drop_tls_pass(j);
}

/* A TLS pass holds one lent socket until it is over. */
static void release_pass_socket(struct svd_vjob *t)
{
	if (!t->pass_over)
		return_socket(t);
}

static void drop_tls_pass(struct svd_vjob *j)
{
	struct svd_vjob *t = j->tls_pass;

	if (!t)
		return;
	j->tls_pass = NULL;
	drop_runs(t);
	drop_session(t);
	release_pass_socket(t);
	free(t->fp);
	free(t->p->svc.fingerprint);
	free(t->p);
	free(t);
}

/* The plain pass's answer is its TLS pass's, which has ended. */
static void take_tls_pass(struct svd_vjob *j)
{
	struct svd_vjob *t = j->tls_pass;
	enum outcome out = t->pass_outcome;

	j->awaiting_tls_pass = false;
	if (t->tls_unconfirmed) {
		/* No handshake: perhaps only because the server was busy with
		 * the plain probes (openssl s_server serves one connection at
		 * a time), so the port goes through TLS as it would have
		 * without the pass beside. */
		drop_tls_pass(j);
		start_over_through_tls(j, j->ssl_confirmed);
		return;
	}
	if (j->c->trace)
		fprintf(j->c->trace, "Service scan: %s:%u is the TLS pass's answer\n",
			j->h->addrstr, j->p->portno);
	free(j->fp);
	j->fp = NULL;
	j->p->svc = t->p->svc;
	t->p->svc.fingerprint = NULL;
	drop_tls_pass(j);
	deliver(j, out);
}

static void tls_pass_over(struct svd_vjob *t, enum outcome out)
{
	release_pass_socket(t);
	t->pass_over = true;
	t->pass_outcome = out;
	if (t->plain_pass->awaiting_tls_pass)
		take_tls_pass(t->plain_pass);
}

/* Where Nmap starts over through TLS (confirmed: a hard match of ssl),
 * or svdetect guesses at TLS: the TLS pass beside, if one runs, is the
 * port's answer when it ends. */
static void go_through_tls(struct svd_vjob *j, bool confirmed)
{
	if (!j->tls_pass) {
		start_over_through_tls(j, confirmed);
		return;
	}
	drop_runs(j);
	j->awaiting_tls_pass = true;
	j->ssl_confirmed = confirmed;
	if (j->tls_pass->pass_over)
		take_tls_pass(j);
}

/*
 * A probe sent ahead that could not connect, or that waited out its time
 * unanswered with no sign that the server had it (witness()) while the
 * port has not shown itself silent, or that the peer closed at once with
 * nothing said, as a server limiting connections does (and as Nmap's
 * tcpwrapped rule reads an early close), is sent again in its turn, as
 * Nmap would send it: perhaps it failed only because other connections
 * of the port were open.  Not when the peer has kept a
 * connection opened while at least as many others were open: a limit
 * that let that one through would have let this one through too, so the
 * close was the peer's answer to this probe (docs/scanner.md).
 */
static bool must_send_again(struct svd_vjob *j, const struct run *r)
{
	if (r->incomplete)
		return true;
	/* A UDP service reads each datagram on its own, with no backlog of
	 * connections to wait in: what a probe ahead got is its answer,
	 * but for a datagram lost.  A server that limits its answers' rate
	 * drops some of a burst that Nmap, a probe at a time per port, does
	 * not send (BIND answers version.bind 3 times a second per client,
	 * whichever port): so a probe ahead that got nothing from a port
	 * known to read is sent again in its turn, as Nmap sends it, until
	 * one such is silent in its turn too (then the port's silences are
	 * its own: one wait more at most). */
	if (is_udp(j))
		return waited_silent(r) && !r->port_unreach && j->udp_reads &&
		       !j->silent_in_turn;
	if (waited_silent(r))
		return !r->witnessed && !plain_of(j)->silent_in_turn;
	if (!closed_at_once(j, r))
		return false;
	if (plain_of(j)->kept_company < r->company)
		return true;
	if (j->c->trace) {
		char name[LOG_NAME];

		fprintf(j->c->trace, "Service scan: probe %s sent ahead to %s:%u was closed at once "
			"with %d other connections open; one opened with %d was kept: not sending it again\n",
			escape_for_log(name, sizeof name, probe_of(j, r)->name), j->h->addrstr,
			j->p->portno, r->company, plain_of(j)->kept_company);
	}
	return false;
}

/*
 * An open|filtered UDP port that nothing answered and whose host says it
 * is unreachable is closed: beyond Nmap, which goes on with the next
 * probe and leaves it open|filtered, but what the host said (Nmap's own
 * port scan calls a port closed on that answer).  Its probes end.
 */
static void close_port(struct svd_vjob *j, const struct run *r)
{
	j->p->state = SVD_PORT_CLOSED;
	j->p->reason = "port-unreach";
	j->p->reason_ttl = r->unreach_ttl;
	if (j->c->trace)
		fprintf(j->c->trace, "Service scan: %s:%u (udp) is unreachable: closed\n",
			j->h->addrstr, j->p->portno);
	finish(j, OUT_NOMATCH);
}

/* Takes the results of finished runs in Nmap's order, as far as they go. */
static void commit(struct svd_vjob *j)
{
	while (j->nq) {
		struct run *r = j->q[0];
		bool was_null = r->pos.stage == STAGE_NULL;
		bool reuse, silent = waited_silent(r);

		if (!r->over) {
			speculate(j);
			return;
		}
		if (r->soft && !j->soft) {
			j->soft = r->soft;
			take_match(j, probe_of(j, r)->name, r->soft, r->soft_v);
		}
		if (r->hard) {
			take_match(j, probe_of(j, r)->name, r->hard, r->hard_v);
			if (starts_tunnel(j, r->hard))
				go_through_tls(j, true);
			else
				finish(j, OUT_HARD);
			return;
		}
		if (r->ahead && must_send_again(j, r)) {
			struct run *again = new_run(j, r->pos);

			if (again) {
				again->silent_ahead = silent;
				j->q[0] = again;
				free_run(r);
				connect_run(again);
				return;
			}
		}
		if (r->incomplete) {
			finish(j, gave_up(j));
			return;
		}
		if (r->port_unreach && j->p->state == SVD_PORT_OPEN_FILTERED) {
			close_port(j, r);
			return;
		}
		/* A server silent to a probe both ahead and in its turn is
		 * silent, not busy: its other silences ahead are its own, and
		 * a silent port keeps the speed of probing ahead but for
		 * this one wait. */
		if (r->silent_ahead && silent)
			plain_of(j)->silent_in_turn = true;
		if (is_udp(j) && r->len)
			j->udp_reads = true;
		add_to_fingerprint(j, r);
		if (was_null && r->len)
			j->null_spoke = true;
		if (was_null && closed_at_once(j, r)) {
			finish(j, OUT_TCPWRAPPED);
			return;
		}
		reuse = was_null && !r->closed && r->conn;
		j->committed = r->pos;
		pop_head(j);
		if (!advance(j, reuse ? r : NULL)) {
			free_run(r);
			/* Nothing matched, not even softly, and no banner:
			 * perhaps TLS that refused Nmap's old hellos
			 * (docs/scanner.md). */
			if (!j->soft && !j->null_spoke && !j->tls && !is_udp(j) && j->c->tls)
				go_through_tls(j, false);
			else
				finish(j, j->soft ? OUT_SOFT : OUT_NOMATCH);
			return;
		}
		free_run(r);
	}
}

/*
 * Nmap 7.94+ matches a UDP port's reply to the port scan's payloads
 * before any probe: along each payload probe's chain, in file order, the
 * first line that matches is taken as probe "port scan" (Nmap's
 * payload_service_match).  Returns whether it was a hard match, which
 * ends the port.
 */
static bool match_port_scan_reply(struct svd_vjob *j, const unsigned char *reply, size_t len)
{
	const struct svd_payload *pay;
	const struct svd_match *m = NULL;
	struct svd_result res;
	struct svd_version *v;
	size_t n, i;

	pay = svd_payloads_of(j->c->payloads, j->p->portno, &n);
	for (i = 0; !m && i < n; i++)
		m = svd_match_response(&j->c->mt, (unsigned)pay[i].probe, reply, len, &res, NULL, NULL);
	if (!m || !(v = render(reply, len, &res)))
		return false;
	take_match(j, "port scan", m, v);
	free(v);
	if (m->soft)
		j->soft = m;
	return !m->soft;
}

bool svd_vscan_start(struct svd_vscan_ctx *c, const struct svd_host *h,
		     struct svd_port *p, uint64_t deadline,
		     const unsigned char *reply, size_t reply_len,
		     svd_vscan_done_fn *done, void *arg)
{
	struct svd_vjob *j = calloc(1, sizeof *j);

	if (!j)
		return false;
	init_job(j, c, h, p, deadline, arg);
	j->done = done;
	j->kept_company = -1;
	j->udp_reads = p->proto == SVD_UDP && p->state == SVD_PORT_OPEN;
	svd_list_add(&c->live, &j->link);
	if (reply && reply_len && p->proto == SVD_UDP && c->payloads && c->payloads->from_probes &&
	    match_port_scan_reply(j, reply, reply_len)) {
		if (!starts_tunnel(j, p->svc.match)) {
			finish(j, OUT_HARD);
			return true;
		}
		/* The port scan's reply was DTLS: probing starts through it. */
		j->tls = true;
		enter_tunnel(j);
	}
	if (!start_probing(j)) {
		svd_list_remove(&c->live, &j->link);
		free(j);
		return false;
	}
	return true;
}

/* Ends the port with what it found so far: a port awaiting its TLS pass
 * with what that found, if it got through a handshake. */
static void stop(struct svd_vjob *j)
{
	struct svd_vjob *t = j->tls_pass;

	j->stopping = true;
	if (j->facts) {
		end_facts(j);
	} else if (j->grind) {
		svd_rpc_grind_stop(j->grind);
		ground(j);
	} else if (j->awaiting_tls_pass && !t->tls_unconfirmed) {
		finish(t, OUT_INCOMPLETE); /* which the port takes */
	} else {
		if (j->awaiting_tls_pass && j->ssl_confirmed)
			enter_tunnel(j); /* where starting over would be */
		finish(j, OUT_INCOMPLETE);
	}
}

void svd_vscan_stop_all(struct svd_vscan_ctx *c)
{
	while (c->live.first)
		stop(ev_container(c->live.first, struct svd_vjob, link));
}
