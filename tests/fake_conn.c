#include "fake_conn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most a peer sends before the client reads (in bytes, and datagram
 * peers in datagrams and ICMP errors), and the most handler calls in one
 * test: a client that never stops being woken is a bug. */
enum { FAKE_INBOX = 16384, FAKE_QUEUE = 64, FAKE_MAX_EVENTS = 100000 };

struct fake_conn {
	struct conn c;
	struct fake_net *net;
	const struct fake_script *s;
	int id;
	bool connect_started;
	unsigned wanted;          /* what the client waits for (conn_want) */
	/* The peer's progress through its script. */
	int step;                 /* the next step */
	uint64_t step_base;       /* when the previous step ran, or the connection opened */
	size_t writes_at_base;    /* the client's writes by then */
	size_t nwrites;
	uint64_t first_write_at;  /* of the writes since step_base */
	char inbox[FAKE_INBOX];   /* sent by the peer, not read yet: [inoff, inlen) */
	size_t inoff, inlen;
	bool eof, reset;
	/* A datagram peer's: what it sent, in order, a datagram being the
	 * next len bytes of the inbox. */
	bool dgram;
	struct { enum fake_act act; size_t len; } queue[FAKE_QUEUE];
	int nqueue;
	struct conn_dgram last;   /* what the client's last read showed */
	struct ev_timer connect_timer, step_timer, io_timer;
};

static void violation(const struct fake_conn *f, const char *what)
{
	fprintf(stderr, "fake_conn: connection %d: %s\n", f ? f->id : -1, what);
	abort();
}

static struct fake_conn *fake_of(struct conn *c)
{
	return (struct fake_conn *)c;
}

void fake_net_init(struct fake_net *n, const struct fake_script *scripts, size_t nscripts)
{
	memset(n, 0, sizeof *n);
	n->scripts = scripts;
	n->nscripts = nscripts;
}

/* --- Level-triggered readiness ------------------------------------------ */

static unsigned ready(const struct fake_conn *f)
{
	unsigned r = 0;

	if (f->c.state != CONN_OPEN)
		return 0;
	if (f->inoff < f->inlen || f->eof || f->reset || f->nqueue)
		r |= EV_READ;
	/* After a reset a write fails at once, as epoll reports an error. */
	if (!f->s->stall_writes || f->reset)
		r |= EV_WRITE;
	return r;
}

static void on_io_timer(struct ev_loop *l, struct ev_timer *t)
{
	struct fake_conn *f = ev_container(t, struct fake_conn, io_timer);
	unsigned ev = f->wanted & ready(f);

	if (!ev)
		return;
	if (++f->net->events > FAKE_MAX_EVENTS)
		violation(f, "the client is woken again and again without effect");
	/* Woken again while it stays ready; close() stops this. */
	ev_timer_start(l, t, 0, on_io_timer);
	f->c.handler(&f->c, CONN_EV_IO, ev, f->c.arg);
}

/* Wakes the client from the loop if what it waits for is ready. */
static void kick(struct fake_conn *f)
{
	if ((f->wanted & ready(f)) && !f->io_timer.heap_index)
		ev_timer_start(f->c.loop, &f->io_timer, 0, on_io_timer);
}

/* --- The script ----------------------------------------------------------- */

static void on_step_timer(struct ev_loop *l, struct ev_timer *t);

/* Arms the timer of the next step, if its time is known. */
static void schedule_step(struct fake_conn *f)
{
	const struct fake_step *st;
	uint64_t now = ev_now(f->c.loop), when;

	if (f->step == FAKE_MAX_STEPS || f->eof || f->reset)
		return; /* a peer that ended its side sends nothing more */
	st = &f->s->steps[f->step];
	if (st->act == FAKE_DONE)
		return;
	if (st->after_write) {
		if (f->nwrites == f->writes_at_base)
			return; /* write() calls this again */
		when = f->first_write_at + st->ms;
	} else {
		when = f->step_base + st->ms;
	}
	ev_timer_start(f->c.loop, &f->step_timer, when > now ? when - now : 0, on_step_timer);
}

static void on_step_timer(struct ev_loop *l, struct ev_timer *t)
{
	struct fake_conn *f = ev_container(t, struct fake_conn, step_timer);
	const struct fake_step *st = &f->s->steps[f->step];
	bool icmp = st->act == FAKE_PORT_UNREACH || st->act == FAKE_HOST_UNREACH;
	bool ends = st->act == FAKE_EOF || st->act == FAKE_RESET;
	size_t len = st->act != FAKE_SEND ? 0 : st->len ? st->len : strlen(st->data);
	unsigned i, times = f->dgram && st->repeat ? st->repeat : 1;

	if ((icmp && !f->dgram) || (ends && f->dgram))
		violation(f, "a step its kind of connection cannot take");
	if (st->repeat > 1 && (!f->dgram || st->act != FAKE_SEND))
		violation(f, "a repeat that is not of datagrams");
	for (i = 0; f->dgram && st->act != FAKE_DONE && i < times; i++) {
		if (f->nqueue == FAKE_QUEUE)
			violation(f, "the script sends more datagrams than the fake holds");
		f->queue[f->nqueue].act = st->act;
		f->queue[f->nqueue++].len = len;
	}
	switch (st->act) {
	case FAKE_SEND:
		if (len * times > sizeof f->inbox - f->inlen)
			violation(f, "the script sends more than the fake holds");
		for (i = 0; i < times; i++) {
			memcpy(f->inbox + f->inlen, st->data, len);
			f->inlen += len;
		}
		break;
	case FAKE_PORT_UNREACH:
	case FAKE_HOST_UNREACH:
		break;
	case FAKE_EOF:
		f->eof = true;
		break;
	case FAKE_RESET:
		f->reset = true;
		break;
	case FAKE_DONE:
		break;
	}
	f->step++;
	f->step_base = ev_now(l);
	f->writes_at_base = f->nwrites;
	kick(f);
	schedule_step(f);
}

/* --- struct conn_type -------------------------------------------------------- */

static struct conn *create(const struct conn_config *cfg, const struct conn_type *type)
{
	struct fake_net *n = cfg->transport;
	struct fake_conn *f;

	if (!n)
		violation(NULL, "no fake_net in conn_config.transport");
	if (n->nconns == FAKE_MAX_CONNS)
		violation(NULL, "more connections than the record holds");
	f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->c.type = type;
	f->c.loop = cfg->loop;
	f->c.state = CONN_CONNECTING;
	f->net = n;
	f->id = (int)n->nconns++;
	f->s = (size_t)f->id < n->nscripts ? &n->scripts[f->id] : &n->spare;
	f->dgram = type == &fake_udp_transport;
	n->conns[f->id] = (struct fake_conn_log){ ev_now(cfg->loop), UINT64_MAX, UINT64_MAX,
						  type == &fake_tls_transport, f->dgram };
	n->nopen++;
	return &f->c;
}

static struct conn *fake_create(const struct conn_config *cfg)
{
	return create(cfg, &fake_transport);
}

static struct conn *fake_create_tls(const struct conn_config *cfg)
{
	return create(cfg, &fake_tls_transport);
}

static struct conn *fake_create_udp(const struct conn_config *cfg)
{
	return create(cfg, &fake_udp_transport);
}

static void on_connect_timer(struct ev_loop *l, struct ev_timer *t)
{
	struct fake_conn *f = ev_container(t, struct fake_conn, connect_timer);
	struct conn *c = &f->c;

	switch (f->s->connect) {
	case FAKE_CONNECT_OK:
		c->state = CONN_OPEN;
		f->step_base = ev_now(l);
		f->net->conns[f->id].opened = f->step_base;
		schedule_step(f);
		break;
	case FAKE_CONNECT_REFUSED:
		c->state = CONN_FAILED;
		c->fail = CONN_FAIL_RESET;
		c->error = ECONNREFUSED;
		break;
	case FAKE_CONNECT_HANDSHAKE:
		if (c->type != &fake_tls_transport)
			violation(f, "a handshake scripted for a connection without TLS");
		c->state = CONN_FAILED;
		c->fail = CONN_FAIL_HANDSHAKE;
		break;
	default:
		c->state = CONN_FAILED;
		c->fail = CONN_FAIL_UNREACH;
		c->error = EHOSTUNREACH;
	}
	f->net->events++;
	c->handler(c, CONN_EV_CONNECTED, 0, c->arg);
}

static int fake_connect(struct conn *c, const struct sockaddr_storage *addr, socklen_t len,
			uint16_t port)
{
	struct fake_conn *f = fake_of(c);

	(void)addr;
	(void)len;
	(void)port;
	if (f->connect_started)
		violation(f, "connect called twice");
	f->connect_started = true;
	if (f->s->connect == FAKE_CONNECT_EMFILE) {
		errno = EMFILE;
		return -1;
	}
	if (f->s->connect != FAKE_CONNECT_HANG)
		ev_timer_start(c->loop, &f->connect_timer, f->s->connect_ms, on_connect_timer);
	return 0;
}

/* A datagram peer's next datagram or ICMP error, as conn_udp reads them. */
static ssize_t read_datagram(struct fake_conn *f, void *buf, size_t len)
{
	struct conn *c = &f->c;
	enum fake_act act;
	size_t dlen;

	if (!f->nqueue)
		return CONN_AGAIN;
	act = f->queue[0].act;
	dlen = f->queue[0].len;
	memmove(&f->queue[0], &f->queue[1], (size_t)--f->nqueue * sizeof f->queue[0]);
	memset(&f->last, 0, sizeof f->last);
	f->last.ttl = FAKE_TTL;
	if (act == FAKE_SEND) {
		f->last.truncated = dlen > len;
		memcpy(buf, f->inbox + f->inoff, dlen < len ? dlen : len);
		f->inoff += dlen;
		if (f->inoff == f->inlen)
			f->inoff = f->inlen = 0;
		return (ssize_t)(dlen < len ? dlen : len);
	}
	f->last.icmp = true;
	f->last.icmp_type = 3;
	f->last.icmp_code = act == FAKE_PORT_UNREACH ? 3 : 1;
	f->last.icmp_from_peer = act == FAKE_PORT_UNREACH;
	c->error = act == FAKE_PORT_UNREACH ? ECONNREFUSED : EHOSTUNREACH;
	c->fail = conn_fail_of(c->error);
	return CONN_ERROR;
}

static ssize_t fake_read(struct conn *c, void *buf, size_t len)
{
	struct fake_conn *f = fake_of(c);

	if (c->state != CONN_OPEN)
		violation(f, "read on a connection that is not open");
	if (f->dgram)
		return read_datagram(f, buf, len);
	if (f->inoff < f->inlen) {
		size_t n = f->inlen - f->inoff < len ? f->inlen - f->inoff : len;

		memcpy(buf, f->inbox + f->inoff, n);
		f->inoff += n;
		if (f->inoff == f->inlen)
			f->inoff = f->inlen = 0;
		return (ssize_t)n;
	}
	if (f->reset) {
		c->fail = CONN_FAIL_RESET;
		c->error = ECONNRESET;
		return CONN_ERROR;
	}
	return f->eof ? CONN_EOF : CONN_AGAIN;
}

static ssize_t fake_write(struct conn *c, const void *buf, size_t len)
{
	struct fake_conn *f = fake_of(c);
	struct fake_net *n = f->net;
	struct fake_write *w;
	size_t keep;

	if (c->state != CONN_OPEN)
		violation(f, "write on a connection that is not open");
	if (f->reset) {
		c->fail = CONN_FAIL_RESET;
		c->error = ECONNRESET;
		return CONN_ERROR;
	}
	if (f->s->stall_writes || (!len && !f->dgram))
		return CONN_AGAIN;
	if (n->nwrites == FAKE_MAX_WRITES)
		violation(f, "more writes than the record holds");
	w = &n->writes[n->nwrites++];
	w->conn = f->id;
	w->at = ev_now(c->loop);
	w->len = len;
	/* Binary writes too: the bytes past a NUL are kept. */
	keep = len < sizeof w->data ? len : sizeof w->data - 1;
	memcpy(w->data, buf, keep);
	w->data[keep] = '\0';
	if (f->nwrites++ == f->writes_at_base)
		f->first_write_at = w->at;
	schedule_step(f);
	return (ssize_t)len;
}

static int fake_want(struct conn *c, unsigned events)
{
	struct fake_conn *f = fake_of(c);

	if (c->state != CONN_OPEN)
		violation(f, "want on a connection that is not open");
	f->wanted = events;
	kick(f);
	return 0;
}

static void fake_close(struct conn *c)
{
	struct fake_conn *f = fake_of(c);

	ev_timer_stop(c->loop, &f->connect_timer);
	ev_timer_stop(c->loop, &f->step_timer);
	ev_timer_stop(c->loop, &f->io_timer);
	f->net->conns[f->id].closed = ev_now(c->loop);
	f->net->nopen--;
	free(f);
}

static const struct conn_dgram *fake_dgram(const struct conn *c)
{
	return &((const struct fake_conn *)c)->last;
}

static const char *fake_last_error(const struct conn *c)
{
	if (c->fail == CONN_FAIL_HANDSHAKE)
		return "handshake refused by the script";
	return c->error ? strerror(c->error) : "no error";
}

/* They differ in name, in the type their connections carry and, UDP, in
 * what the last read showed. */
#define FAKE_CONN_TYPE(name_, create_, dgram_) {                        \
	.name = (name_), .create = (create_), .connect = fake_connect,  \
	.read = fake_read, .write = fake_write, .want = fake_want,      \
	.close = fake_close, .last_error = fake_last_error,             \
	.tls_facts = NULL, .dgram = (dgram_),                            \
}

const struct conn_type fake_transport = FAKE_CONN_TYPE("tcp", fake_create, NULL);
const struct conn_type fake_tls_transport = FAKE_CONN_TYPE("ssl", fake_create_tls, NULL);
const struct conn_type fake_udp_transport = FAKE_CONN_TYPE("udp", fake_create_udp, fake_dgram);
