#include "rpc_grind.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "rpc_record.h"

/* ONC RPC (RFC 5531) as far as NULL calls and their replies need it. */
enum {
	RPC_CALL = 0, RPC_REPLY = 1, RPC_VERSION = 2,
	MSG_ACCEPTED = 0, MSG_DENIED = 1,
	/* accept_stat */
	SUCCESS = 0, PROG_UNAVAIL = 1, PROG_MISMATCH = 2, PROC_UNAVAIL = 3,
	GARBAGE_ARGS = 4, SYSTEM_ERR = 5,
	/* reject_stat */
	RPC_MISMATCH = 0, AUTH_ERROR = 1,
	AUTH_NONE = 0,
	AUTH_BODY_MAX = 400,        /* opaque_auth's body<400> */
	NULLPROC = 0,
	/* xid, type, rpcvers, prog, vers, proc, two empty AUTH_NONE: 10 words */
	CALL_LEN = 40
};

/* Nmap's isRPC check calls rpcbind version 2; the grind asks each
 * program for a random version in Nmap's range, which no server has. */
enum {
	RPCBIND_PROGRAM = 100000, RPCBIND_CHECK_VERSION = 2,
	ASKED_VERSION_MIN = 12345, ASKED_VERSION_MAX = 123456789
};

/* Nmap's socket timeout for a host (stdnse.get_timeout(host, 10000)):
 * its RTT timeout times 16/7, within 1 s and 10 s. */
enum { WAIT_MIN_MS = 1000, WAIT_MAX_MS = 10000 };

/* --- XDR, decoded strictly ------------------------------------------------ */

/* A message being read; bad once anything did not fit. */
struct xdr {
	const uint8_t *p;
	size_t len, off;
	bool bad;
};

static uint32_t xdr_u32(struct xdr *x)
{
	const uint8_t *b = x->p + x->off;

	if (x->bad || x->len - x->off < 4) {
		x->bad = true;
		return 0;
	}
	x->off += 4;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* An opaque<max>: its length, its bytes, zero padding to 4. */
static void xdr_skip_opaque(struct xdr *x, uint32_t max)
{
	uint32_t n = xdr_u32(x);
	size_t padded = ((size_t)n + 3) & ~(size_t)3, i;

	if (x->bad || n > max || x->len - x->off < padded) {
		x->bad = true;
		return;
	}
	for (i = n; i < padded; i++)
		if (x->p[x->off + i])
			x->bad = true;
	x->off += padded;
}

static void put_u32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* --- Messages -------------------------------------------------------------- */

static void encode_call(uint8_t out[CALL_LEN], uint32_t xid, uint32_t program, uint32_t version)
{
	const uint32_t words[CALL_LEN / 4] = {
		xid, RPC_CALL, RPC_VERSION, program, version, NULLPROC,
		AUTH_NONE, 0, AUTH_NONE, 0  /* credential and verifier, empty */
	};
	size_t i;

	for (i = 0; i < CALL_LEN / 4; i++)
		put_u32(out + 4 * i, words[i]);
}

/* What a reply to a NULL call says, as far as the grind needs it. */
struct reply {
	uint32_t xid;
	bool mismatch;              /* accepted, PROG_MISMATCH: */
	uint32_t low, high;         /* the versions the program has */
};

/*
 * A reply exactly as RFC 5531 lays it out and nothing more: a NULL call's
 * result is empty, so no byte may follow; any value outside the
 * protocol's, a verifier over 400 bytes, padding that is not zero or a
 * PROG_MISMATCH whose lowest version is above its highest is malformed.
 */
static bool decode_reply(const uint8_t *msg, size_t len, struct reply *r)
{
	struct xdr x = { .p = msg, .len = len };

	memset(r, 0, sizeof *r);
	r->xid = xdr_u32(&x);
	if (xdr_u32(&x) != RPC_REPLY)
		return false;
	switch (xdr_u32(&x)) {
	case MSG_ACCEPTED:
		xdr_u32(&x); /* the verifier's flavour: any */
		xdr_skip_opaque(&x, AUTH_BODY_MAX);
		switch (xdr_u32(&x)) {
		case PROG_MISMATCH:
			r->mismatch = true;
			r->low = xdr_u32(&x);
			r->high = xdr_u32(&x);
			if (r->low > r->high)
				return false;
			break;
		case SUCCESS: case PROG_UNAVAIL: case PROC_UNAVAIL: case GARBAGE_ARGS: case SYSTEM_ERR:
			break;
		default:
			return false;
		}
		break;
	case MSG_DENIED:
		switch (xdr_u32(&x)) {
		case RPC_MISMATCH:
			xdr_u32(&x);
			xdr_u32(&x);
			break;
		case AUTH_ERROR:
			xdr_u32(&x);
			break;
		default:
			return false;
		}
		break;
	default:
		return false;
	}
	return !x.bad && x.off == len;
}

/* --- The grind, whatever carries its messages ----------------------------- */

/* A call awaiting its reply: the program's index, or -1 for the check. */
struct call {
	uint32_t xid;
	long program;
	uint64_t due;               /* ev_now() when its reply is given up (datagrams) */
};

struct grinder {
	const struct svd_rpc_programs *programs;
	uint32_t xid;               /* the next call's; one more per call, as Nmap */
	uint32_t version;           /* asked of every program */
	bool checking;              /* the isRPC check comes first, alone */
	size_t next;                /* the next program to call */
	struct call waiting[SVD_RPC_WINDOW]; /* in the order sent */
	size_t nwaiting;
	size_t window;              /* how many may be awaited at once */
	size_t calls;
	long found;                 /* the first program (in file order) that said
				     * PROG_MISMATCH, or -1 */
	uint32_t low, high;
};

enum verdict {
	GO_ON,
	OVER,      /* decided: found, or every program said no */
	BROKEN     /* not a reply to a call awaited: the connection is done */
};

static void grinder_init(struct grinder *g, const struct svd_rpc_programs *programs,
			 bool check, uint32_t xid, uint32_t draw)
{
	memset(g, 0, sizeof *g);
	g->programs = programs;
	g->xid = xid;
	g->version = ASKED_VERSION_MIN + draw % (ASKED_VERSION_MAX - ASKED_VERSION_MIN + 1u);
	g->checking = check;
	g->window = SVD_RPC_WINDOW;
	g->found = -1;
}

/*
 * The next call to send, if one may go now, its reply given up at due:
 * the check alone until it is answered; then programs in file order, up
 * to g->window awaited at once, none after a program has said
 * PROG_MISMATCH (it names the port unless an earlier one does).
 */
static bool grinder_next_call(struct grinder *g, uint8_t out[CALL_LEN], uint64_t due)
{
	struct call *c = &g->waiting[g->nwaiting];
	uint32_t program, version = g->version;

	if (g->nwaiting == g->window || g->found >= 0)
		return false;
	if (g->checking) {
		if (g->nwaiting)
			return false;
		c->program = -1;
		program = RPCBIND_PROGRAM;
		version = RPCBIND_CHECK_VERSION;
	} else {
		if (g->next == g->programs->n)
			return false;
		c->program = (long)g->next;
		program = g->programs->v[g->next++].number;
	}
	c->xid = g->xid++;
	c->due = due;
	g->nwaiting++;
	g->calls++;
	encode_call(out, c->xid, program, version);
	return true;
}

static bool grinder_over(const struct grinder *g)
{
	size_t i;

	if (g->found < 0)
		return !g->checking && g->next == g->programs->n && !g->nwaiting;
	for (i = 0; i < g->nwaiting; i++)
		if (g->waiting[i].program < g->found)
			return false;
	return true;
}

/*
 * The oldest call awaited got no reply in its time: it is awaited no
 * more, and one call fewer may be awaited from now on, as one of Nmap's
 * rpc-grind threads ends at its first timeout while the others go on
 * (its program is not asked again).  False when the grind can go no
 * further: the check went unanswered (not an RPC port: Nmap's isRPC), or
 * every thread has ended.
 */
static bool grinder_give_up(struct grinder *g)
{
	bool check = g->waiting[0].program < 0;

	memmove(&g->waiting[0], &g->waiting[1], --g->nwaiting * sizeof *g->waiting);
	g->window--;
	return !check && g->window > 0;
}

/* One message from the peer. */
static enum verdict grinder_reply(struct grinder *g, const uint8_t *msg, size_t len)
{
	struct reply r;
	struct call c;
	size_t i;

	if (!decode_reply(msg, len, &r))
		return BROKEN;
	for (i = 0; i < g->nwaiting && g->waiting[i].xid != r.xid; i++)
		;
	if (i == g->nwaiting)
		return BROKEN;
	c = g->waiting[i];
	memmove(&g->waiting[i], &g->waiting[i + 1], (g->nwaiting - i - 1) * sizeof *g->waiting);
	g->nwaiting--;
	if (c.program < 0)
		g->checking = false; /* any reply: an RPC server (Nmap's isRPC) */
	else if (r.mismatch && (g->found < 0 || c.program < g->found)) {
		g->found = c.program;
		g->low = r.low;
		g->high = r.high;
	}
	return grinder_over(g) ? OVER : GO_ON;
}

/* --- Over a connection ------------------------------------------------------ */

/*
 * How messages travel.  Over a stream (TCP), as records (rpc_record.h):
 * each call after its record mark; the replies put together from what is
 * read; no reply for the host's wait (counted again from each call sent
 * and each reply) ends the grind, as the connection is stuck.  Over
 * datagrams (UDP), as rpc.lua sends them: a call a datagram, a datagram
 * a message, no record mark; each call is awaited on its own, and one
 * that gets no reply in its time is given up (grinder_give_up), a
 * datagram being lost for good.  A datagram that answers no call awaited
 * (a late reply to a call given up, a duplicate, a reply cut or
 * malformed, anything else) is passed over, where on a stream it would
 * leave the rest unreadable; STRAYS_MAX of them at most, so that
 * a peer flooding the socket ends the grind.  The grinder above is the
 * same for both.
 */
enum {
	MARK_LEN = SVD_RPC_MARK_LEN, FRAMED_CALL = MARK_LEN + CALL_LEN,
	STRAYS_MAX = 16
};

struct svd_rpc_grind {
	struct svd_rpc_grind_cfg cfg;
	const struct svd_host *h;
	struct svd_port *p;
	svd_rpc_grind_done_fn *done;
	void *arg;
	struct conn *conn;
	bool dgram;                 /* a datagram transport */
	struct grinder g;
	struct svd_rpc_record rec;  /* a stream's */
	unsigned strays;            /* datagrams passed over */
	/* Calls queued, each after its mark on a stream; a datagram's are
	 * CALL_LEN apart, each written as one datagram. */
	uint8_t out[SVD_RPC_WINDOW * FRAMED_CALL];
	size_t out_off, out_len;    /* written so far, queued */
	uint64_t wait_ms;           /* for the connect, and for each reply */
	struct ev_timer reply_timer, end_timer;
};

static uint64_t clamp_u64(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Nmap's RTT timeout for the host is srtt + 4 rttvar within 100 ms and
 * 10 s, 1 s before any sample; its script sockets wait 16/7 of it. */
static uint64_t reply_wait_ms(const struct svd_host *h)
{
	uint64_t to_ms = 1000;

	if (h->srtt_us > 0)
		to_ms = clamp_u64((uint64_t)(h->srtt_us + 4 * h->rttvar_us) / 1000, 100, 10000);
	return clamp_u64(to_ms * 16 / 7, WAIT_MIN_MS, WAIT_MAX_MS);
}

/* The port as Nmap's rpc-grind leaves it: hard-matched, no fingerprint;
 * product, hostname and the rest as version detection found them. */
static void take_result(struct svd_rpc_grind *j)
{
	const struct svd_rpc_program *prog = &j->g.programs->v[j->g.found];
	struct svd_service *svc = &j->p->svc;

	snprintf(svc->name, sizeof svc->name, "%s", prog->name);
	if (j->g.low == j->g.high)
		snprintf(svc->v.version, sizeof svc->v.version, "%lu", (unsigned long)j->g.low);
	else
		snprintf(svc->v.version, sizeof svc->v.version, "%lu-%lu",
			 (unsigned long)j->g.low, (unsigned long)j->g.high);
	snprintf(svc->v.info, sizeof svc->v.info, "RPC #%lu", (unsigned long)prog->number);
	svc->method = SVD_METHOD_PROBED;
	svc->conf = 10;
	svc->soft = false;
	free(svc->fingerprint);
	svc->fingerprint = NULL;
	svc->rpc = (struct svd_rpc_info){ .found = true, .program = prog->number,
					  .low = j->g.low, .high = j->g.high };
}

static void release(struct svd_rpc_grind *j)
{
	ev_timer_stop(j->cfg.loop, &j->reply_timer);
	ev_timer_stop(j->cfg.loop, &j->end_timer);
	if (j->conn)
		conn_close(j->conn);
	free(j);
}

/* Over: what was found stands (a program found before the end, even if
 * an earlier one's reply never came); the owner hears of it. */
static void end(struct svd_rpc_grind *j, const char *why)
{
	svd_rpc_grind_done_fn *done = j->done;
	void *arg = j->arg;

	if (j->g.found >= 0)
		take_result(j);
	if (j->cfg.trace)
		fprintf(j->cfg.trace, "RPC grind: %s:%u (%s) is %s after %zu call%s (%s)\n",
			j->h->addrstr, j->p->portno, j->dgram ? "udp" : "tcp",
			j->g.found >= 0 ? j->p->svc.name : "no program known", j->g.calls,
			j->g.calls == 1 ? "" : "s", why);
	release(j);
	done(arg);
}

static void on_reply_timer(struct ev_loop *l, struct ev_timer *t);

/* The wait for replies: on a stream the host's wait from now; over
 * datagrams until the oldest call's reply is due (none awaited: none). */
static void arm_wait(struct svd_rpc_grind *j)
{
	uint64_t now = ev_now(j->cfg.loop), due;

	if (!j->dgram) {
		ev_timer_start(j->cfg.loop, &j->reply_timer, j->wait_ms, on_reply_timer);
	} else if (j->g.nwaiting) {
		due = j->g.waiting[0].due;
		ev_timer_start(j->cfg.loop, &j->reply_timer, due > now ? due - now : 0,
			       on_reply_timer);
	} else {
		ev_timer_stop(j->cfg.loop, &j->reply_timer);
	}
}

static void send_and_wait(struct svd_rpc_grind *j);

/* A stream, a connect, or the check or every call over datagrams, got
 * no answer in time: the end.  Otherwise a datagram's call is given up
 * and the others go on. */
static void on_reply_timer(struct ev_loop *l, struct ev_timer *t)
{
	struct svd_rpc_grind *j = ev_container(t, struct svd_rpc_grind, reply_timer);

	(void)l;
	if (!j->dgram || !j->g.nwaiting || !grinder_give_up(&j->g)) {
		end(j, "no answer in time");
	} else if (grinder_over(&j->g)) {
		end(j, "decided");
	} else {
		arm_wait(j); /* for the next call's reply */
		send_and_wait(j);
	}
}

static void on_end_timer(struct ev_loop *l, struct ev_timer *t)
{
	(void)l;
	end(ev_container(t, struct svd_rpc_grind, end_timer), "time is up");
}

/* Queues the calls that may go now; the wait for replies starts anew. */
static void queue_calls(struct svd_rpc_grind *j)
{
	size_t mark = j->dgram ? 0 : MARK_LEN;
	uint64_t due = ev_now(j->cfg.loop) + j->wait_ms;
	bool queued = false;

	if (j->out_off == j->out_len)
		j->out_off = j->out_len = 0;
	while (sizeof j->out - j->out_len >= mark + CALL_LEN &&
	       grinder_next_call(&j->g, j->out + j->out_len + mark, due)) {
		if (mark)
			svd_rpc_record_mark(j->out + j->out_len, CALL_LEN);
		j->out_len += mark + CALL_LEN;
		queued = true;
	}
	if (queued)
		arm_wait(j);
}

/* Writes what is queued (over datagrams, a call a write), then waits for
 * replies (and for room to write the rest); or ends the grind.  Each pass
 * writes bytes or stops: at most sizeof out passes. */
static void send_and_wait(struct svd_rpc_grind *j)
{
	unsigned want = EV_READ;

	queue_calls(j);
	while (j->out_off < j->out_len) {
		size_t len = j->dgram ? CALL_LEN : j->out_len - j->out_off;
		ssize_t n = conn_write(j->conn, j->out + j->out_off, len);

		if (n == CONN_ERROR) {
			end(j, conn_last_error(j->conn));
			return;
		}
		if (n <= 0) {
			want |= EV_WRITE;
			break;
		}
		j->out_off += (size_t)n;
	}
	if (conn_want(j->conn, want) < 0)
		end(j, "cannot wait for the connection");
}

/* Takes one read's bytes; false when they ended the grind. */
static bool take_bytes(struct svd_rpc_grind *j, const uint8_t *buf, size_t n)
{
	size_t off = 0, used;

	while (off < n) {
		switch (svd_rpc_record_take(&j->rec, buf + off, n - off, &used)) {
		case SVD_RPC_MORE:
			return true;
		case SVD_RPC_BAD:
			end(j, "a reply over the bounds of its record");
			return false;
		case SVD_RPC_WHOLE:
			break;
		}
		off += used;
		switch (grinder_reply(&j->g, j->rec.msg, j->rec.len)) {
		case GO_ON:
			arm_wait(j);
			break;
		case OVER:
			end(j, "decided");
			return false;
		case BROKEN:
			end(j, "not a reply to a call awaited");
			return false;
		}
	}
	return true;
}

/* One datagram read (n bytes, 0 for an empty one); false when it ended
 * the grind.  A datagram longer than a reply may be is read cut, and
 * passed over with the rest that answer no call. */
static bool take_datagram(struct svd_rpc_grind *j, const uint8_t *buf, ssize_t n)
{
	enum verdict v = BROKEN;

	if (n > 0 && !conn_dgram(j->conn)->truncated)
		v = grinder_reply(&j->g, buf, (size_t)n);
	switch (v) {
	case GO_ON:
		arm_wait(j);
		return true;
	case OVER:
		end(j, "decided");
		return false;
	case BROKEN:
		break;
	}
	if (++j->strays <= STRAYS_MAX)
		return true;
	end(j, "too many datagrams that answer no call");
	return false;
}

static void on_conn(struct conn *conn, enum conn_event ev, unsigned events, void *arg)
{
	struct svd_rpc_grind *j = arg;
	uint8_t buf[SVD_RPC_RECORD_MAX];
	ssize_t n;

	if (ev == CONN_EV_CONNECTED) {
		if (conn->state != CONN_OPEN)
			end(j, conn_last_error(conn));
		else
			send_and_wait(j);
		return;
	}
	if (events & EV_READ) {
		n = conn_read(conn, buf, sizeof buf);
		/* An ICMP error (CONN_ERROR over datagrams) ends it as a reset
		 * does; an empty datagram (CONN_EOF) is one passed over. */
		if (n == CONN_ERROR || (n == CONN_EOF && !j->dgram)) {
			end(j, n == CONN_EOF ? "the peer closed" : conn_last_error(conn));
			return;
		}
		if (n != CONN_AGAIN && !(j->dgram ? take_datagram(j, buf, n)
						    : take_bytes(j, buf, (size_t)n)))
			return;
	}
	send_and_wait(j);
}

static bool to_grind(const struct svd_rpc_grind_cfg *cfg, const struct svd_service *svc,
		     bool *check)
{
	if (!cfg->programs || !cfg->programs->n || cfg->intensity < 7 || svc->ssl)
		return false;
	/* Nmap's rpc-grind believes a port named rpcbind, however named; a
	 * port nothing named must answer an RPC call first. */
	*check = strcmp(svc->name, "rpcbind") != 0;
	return !*check || svc->method == SVD_METHOD_TABLE;
}

static uint32_t random_u32(void)
{
	uint32_t r;

	if (getrandom(&r, sizeof r, GRND_NONBLOCK) == (ssize_t)sizeof r)
		return r;
	return (uint32_t)random();
}

struct svd_rpc_grind *svd_rpc_grind_start(const struct svd_rpc_grind_cfg *cfg,
					  const struct svd_host *h, struct svd_port *p,
					  uint64_t deadline, svd_rpc_grind_done_fn *done,
					  void *arg)
{
	struct conn_config cc = { .loop = cfg->loop, .transport = cfg->transport_ctx };
	uint32_t (*draw)(void) = cfg->random ? cfg->random : random_u32;
	uint64_t now = ev_now(cfg->loop), ms = SVD_RPC_GRIND_MS;
	struct svd_rpc_grind *j;
	uint32_t xid;
	bool check;

	if (!to_grind(cfg, &p->svc, &check) || (deadline && deadline <= now))
		return NULL;
	if (deadline && deadline - now < ms)
		ms = deadline - now;
	j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->cfg = *cfg;
	j->h = h;
	j->p = p;
	j->done = done;
	j->arg = arg;
	j->wait_ms = reply_wait_ms(h);
	xid = draw();
	grinder_init(&j->g, cfg->programs, check, xid, draw());
	svd_rpc_record_init(&j->rec);
	j->conn = conn_create(cfg->transport, &cc);
	if (!j->conn) {
		free(j);
		return NULL;
	}
	j->dgram = conn_dgram(j->conn) != NULL;
	conn_set_handler(j->conn, on_conn, j);
	if (conn_connect(j->conn, &h->addr, h->addrlen, p->portno) < 0) {
		release(j);
		return NULL;
	}
	ev_timer_start(cfg->loop, &j->reply_timer, j->wait_ms, on_reply_timer);
	ev_timer_start(cfg->loop, &j->end_timer, ms, on_end_timer);
	return j;
}

void svd_rpc_grind_stop(struct svd_rpc_grind *g)
{
	release(g);
}
