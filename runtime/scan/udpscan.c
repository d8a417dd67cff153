#include "udpscan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rtt.h"

/*
 * Nmap's rate-limit detection (scan_engine.cc RLD_TIME_MS): before the
 * first retransmission of a new try number, a host of two or more ports
 * gets no probe for a second, so that a limit of one ICMP error a second
 * has refilled and the retransmissions' answers show what was dropped.
 */
enum { RLD_MS = 1000 };

/* Nmap's first boost of a UDP scan delay, and its doubling up to a second. */
enum { DELAY_FIRST_MS = 50, DELAY_DOUBLING_MAX_MS = 1000 };

/* Boosts on drops need more than this many answers to retransmissions. */
enum { DROPS_BEFORE_BOOST = 10 };

/* Reads per wakeup at most: ICMP errors that decide nothing (Nmap passes
 * over them) beyond these wait for the next wakeup. */
enum { READS_PER_WAKEUP = 64 };

struct job {
	struct svd_link link;    /* in c->live */
	struct svd_uscan_ctx *c;
	struct svd_uscan_host *u;
	struct svd_port *p;
	svd_uscan_done_fn *done;
	void *arg;
	struct conn *conn;
	int early_err;           /* the socket could not be made: this errno */
	unsigned tries;          /* sent */
	struct timespec sent;    /* the last try's */
	bool waiting;            /* the timer is for the next send, not a try's timeout */
	struct ev_timer timer;
};

static void on_conn(struct conn *conn, enum conn_event ev, unsigned events, void *arg);
static void on_timer(struct ev_loop *l, struct ev_timer *t);

void svd_uscan_host_init(struct svd_uscan_host *u, const struct svd_uscan_ctx *c,
			 const struct svd_host *h, size_t nports)
{
	memset(u, 0, sizeof *u);
	u->h = h;
	u->nports = nports;
	u->delay_ms = c->scan_delay_ms;
}

void svd_uscan_host_free(struct svd_uscan_host *u)
{
	free(u->bench);
	u->bench = NULL;
	u->nbench = u->capbench = 0;
}

/* Nmap's allowedTryno, as a count of sends: one try more than the
 * highest answered (at least two in all), within the level's cap. */
static unsigned allowed_sends(const struct svd_uscan_host *u, const struct svd_uscan_ctx *c)
{
	unsigned t = u->max_ok_try + 1;

	return (t < c->max_retries ? t : c->max_retries) + 1;
}

static bool tries_may_grow(const struct svd_uscan_host *u, const struct svd_uscan_ctx *c)
{
	return u->max_ok_try + 1 < c->max_retries;
}

/* Nmap's probeTimeout: the host's srtt + 4 rttvar within the level's
 * bounds once it has answered, else the initial timeout; never less than
 * the scan delay. */
static uint64_t try_timeout(const struct svd_uscan_ctx *c, const struct svd_uscan_host *u)
{
	uint64_t ms = c->initial_timeout_ms;

	if (u->h->srtt_us > 0) {
		ms = (uint64_t)(u->h->srtt_us + 4 * u->h->rttvar_us + 999) / 1000;
		ms = ms < c->min_timeout_ms ? c->min_timeout_ms :
		     ms > c->max_timeout_ms ? c->max_timeout_ms : ms;
	}
	return ms > c->scan_delay_ms ? ms : c->scan_delay_ms;
}

static void end_job(struct job *j)
{
	svd_list_remove(&j->c->live, &j->link);
	ev_timer_stop(j->c->loop, &j->timer);
	if (j->conn)
		conn_close(j->conn);
	j->u->active--;
	free(j);
}

static void conclude(struct job *j, enum svd_port_state state, const char *reason, uint8_t ttl,
		     long rtt_us, const unsigned char *reply, size_t len)
{
	svd_uscan_done_fn *done = j->done;
	void *arg = j->arg;
	struct svd_port *p = j->p;

	p->state = (uint8_t)state;
	p->reason = reason;
	p->reason_ttl = ttl;
	end_job(j);
	done(arg, p, rtt_us, reply, len);
}

/* Nmap's boostScanDelay: 50 ms at first, then doubled up to a second,
 * within the level's most; with -v Nmap's line says why (its two forms
 * differ in their full stop). */
static void boost(struct svd_uscan_ctx *c, struct svd_uscan_host *u, const char *why)
{
	uint32_t old = u->delay_ms;
	uint32_t most = old > DELAY_DOUBLING_MAX_MS ? old : DELAY_DOUBLING_MAX_MS;

	u->delay_ms = !old ? DELAY_FIRST_MS : old * 2 < most ? old * 2 : most;
	if (u->delay_ms > c->max_delay_ms)
		u->delay_ms = c->max_delay_ms;
	if (c->log && u->delay_ms != old)
		fprintf(c->log, "Increasing send delay for %s from %u to %u due to %s\n",
			u->h->addrstr, old, u->delay_ms, why);
	u->drops = u->goods = 0;
}

/* An answer to try number `try` (the last sent): Nmap's timing updates,
 * which an ICMP error that made the port filtered only speeds up. */
static void learn(struct svd_uscan_ctx *c, struct svd_uscan_host *u, unsigned try,
		  enum svd_port_state state)
{
	char why[96];

	if (state == SVD_PORT_FILTERED && try > 0)
		return;
	if (try > 0)
		u->drops++;
	else
		u->goods++;
	if (try > u->max_ok_try) {
		u->max_ok_try = try;
		if (try > c->boost_try) {
			snprintf(why, sizeof why, "max_successful_tryno increase to %u", try);
			boost(c, u, why);
		}
	}
	if (u->drops > DROPS_BEFORE_BOOST &&
	    (double)u->drops / (double)(u->drops + u->goods) > c->drop_share) {
		snprintf(why, sizeof why, "%u out of %u dropped probes since last increase.",
			 u->drops, u->drops + u->goods);
		boost(c, u, why);
	}
}

static void answered(struct job *j, enum svd_port_state state, const char *reason, uint8_t ttl,
		     const unsigned char *reply, size_t len)
{
	/* Karn: only a first try's answer is surely the answer to that try. */
	long rtt_us = j->tries == 1 ? svd_rtt_since(&j->sent) : 0;

	learn(j->c, j->u, j->tries - 1, state);
	conclude(j, state, reason, ttl, rtt_us, reply, len);
}

/*
 * What Nmap's UDP scan makes of an ICMP error (scan_engine_raw.cc): the
 * state and reason, or false for one it passes over.  A port unreachable
 * closes the port only when the host itself sent it.
 */
static bool icmp_verdict(const struct conn_dgram *d, enum svd_port_state *state,
			 const char **reason)
{
	static const char *const v4_unreach[16] = {
		[0] = "net-unreach", [1] = "host-unreach", [2] = "proto-unreach",
		[3] = "port-unreach", [9] = "net-prohibited", [10] = "host-prohibited",
		[13] = "admin-prohibited",
	};
	static const char *const v6_unreach[8] = {
		[0] = "no-route", [1] = "admin-prohibited", [2] = "beyond-scope",
		[3] = "host-unreach", [4] = "port-unreach", [5] = "admin-prohibited",
		[6] = "reject-route",
	};
	bool port_unreach;

	*state = SVD_PORT_FILTERED;
	if (!d->icmp6 && d->icmp_type == 3 && d->icmp_code < 16 && v4_unreach[d->icmp_code]) {
		*reason = v4_unreach[d->icmp_code];
		port_unreach = d->icmp_code == 3;
	} else if (!d->icmp6 && d->icmp_type == 11) {
		*reason = "time-exceeded";
		return true;
	} else if (d->icmp6 && d->icmp_type == 1 && d->icmp_code < 8 && v6_unreach[d->icmp_code]) {
		*reason = v6_unreach[d->icmp_code];
		port_unreach = d->icmp_code == 4;
	} else if (d->icmp6 && d->icmp_type == 4 && d->icmp_code == 0) {
		/* "Erroneous header field": understood, so the port is there. */
		*state = SVD_PORT_OPEN;
		*reason = "param-problem";
		return true;
	} else {
		return false;
	}
	if (port_unreach && d->icmp_from_peer)
		*state = SVD_PORT_CLOSED;
	return true;
}

/* An error the kernel gave without an ICMP message to show (no error
 * queue entry): the errno as the ICMP error it stands for. */
static bool errno_verdict(int err, enum svd_port_state *state, const char **reason)
{
	switch (err) {
	case ECONNREFUSED:
		*state = SVD_PORT_CLOSED;
		*reason = "port-unreach";
		return true;
	case EHOSTUNREACH:
		*state = SVD_PORT_FILTERED;
		*reason = "host-unreach";
		return true;
	case ENETUNREACH:
		*state = SVD_PORT_FILTERED;
		*reason = "net-unreach";
		return true;
	default:
		return false;
	}
}

static void read_answers(struct job *j)
{
	unsigned char buf[CONN_DGRAM_READ_MAX];
	int i;

	for (i = 0; i < READS_PER_WAKEUP; i++) {
		ssize_t n = conn_read(j->conn, buf, sizeof buf);
		const struct conn_dgram *d = conn_dgram(j->conn);
		enum svd_port_state state;
		const char *reason;

		if (n == CONN_AGAIN)
			return;
		if (n >= 0) {
			answered(j, SVD_PORT_OPEN, "udp-response", d ? d->ttl : 0, buf, (size_t)n);
			return;
		}
		if (d && d->icmp ? icmp_verdict(d, &state, &reason) :
		    errno_verdict(j->conn->error, &state, &reason)) {
			answered(j, state, reason, d ? d->ttl : 0, NULL, 0);
			return;
		}
	}
}

/*
 * Sends the next try when the host may be sent to: not before its pause
 * after the last send, nor during a rate-limit pause, which the first
 * try of a new number starts for a host of two or more ports.
 */
static void send_try(struct job *j)
{
	struct svd_uscan_ctx *c = j->c;
	struct svd_uscan_host *u = j->u;
	uint64_t now = ev_now(c->loop);
	const struct svd_payload *pay;
	size_t n, i;

	if (j->tries > u->max_try_sent) {
		u->max_try_sent = j->tries;
		if (u->nports > 1 && u->next_send < now + RLD_MS)
			u->next_send = now + RLD_MS;
	}
	if (now < u->next_send) {
		j->waiting = true;
		ev_timer_start(c->loop, &j->timer, u->next_send - now, on_timer);
		return;
	}
	j->waiting = false;
	u->next_send = now + u->delay_ms;
	pay = svd_payloads_of(c->payloads, j->p->portno, &n);
	clock_gettime(CLOCK_MONOTONIC, &j->sent);
	/* Every payload at once, or one empty datagram (Nmap's). A send
	 * that fails is a try lost, as a packet the network dropped; an
	 * error it reports will be read as the answer it is. */
	if (n == 0)
		(void)conn_write(j->conn, "", 0);
	for (i = 0; i < n; i++)
		(void)conn_write(j->conn, pay[i].data, pay[i].len);
	j->tries++;
	ev_timer_start(c->loop, &j->timer, try_timeout(c, u), on_timer);
}

/* The last try timed out: another, the bench, or open|filtered. */
static void try_over(struct job *j)
{
	struct svd_uscan_ctx *c = j->c;
	struct svd_uscan_host *u = j->u;
	struct svd_uscan_benched *bigger;

	if (j->tries < allowed_sends(u, c)) {
		send_try(j);
		return;
	}
	if (!tries_may_grow(u, c)) {
		conclude(j, SVD_PORT_OPEN_FILTERED, "no-response", 0, 0, NULL, 0);
		return;
	}
	if (u->nbench == u->capbench) {
		size_t cap = u->capbench ? 2 * u->capbench : 16;

		bigger = realloc(u->bench, cap * sizeof *bigger);
		if (!bigger) {
			/* No room to wait: decided as if the tries could not grow. */
			conclude(j, SVD_PORT_OPEN_FILTERED, "no-response", 0, 0, NULL, 0);
			return;
		}
		u->bench = bigger;
		u->capbench = cap;
	}
	u->bench[u->nbench++] = (struct svd_uscan_benched){ j->p, j->tries };
	conclude(j, SVD_PORT_OPEN_FILTERED, NULL, 0, 0, NULL, 0);
}

static void on_timer(struct ev_loop *l, struct ev_timer *t)
{
	struct job *j = ev_container(t, struct job, timer);
	enum svd_port_state state;
	const char *reason;

	(void)l;
	if (!j->conn) {
		/* No socket: the error it failed with, else nothing reached it. */
		if (!errno_verdict(j->early_err, &state, &reason)) {
			state = SVD_PORT_OPEN_FILTERED;
			reason = "no-response";
		}
		conclude(j, state, reason, 0, 0, NULL, 0);
	} else if (j->waiting) {
		send_try(j);
	} else {
		try_over(j);
	}
}

static void on_conn(struct conn *conn, enum conn_event ev, unsigned events, void *arg)
{
	struct job *j = arg;

	(void)conn;
	(void)events;
	if (ev == CONN_EV_CONNECTED) {
		/* Replies and ICMP errors are read whenever they come. */
		(void)conn_want(j->conn, EV_READ);
		send_try(j);
		return;
	}
	read_answers(j);
}

int svd_uscan_start(struct svd_uscan_ctx *c, struct svd_uscan_host *u, struct svd_port *p,
		    unsigned tries, svd_uscan_done_fn *done, void *arg)
{
	struct conn_config cfg = { .loop = c->loop, .transport = c->transport_ctx };
	struct job *j = calloc(1, sizeof *j);
	int err;

	if (!j)
		return -1;
	*j = (struct job){ .c = c, .u = u, .p = p, .done = done, .arg = arg, .tries = tries };
	j->conn = conn_create(c->transport, &cfg);
	if (!j->conn) {
		free(j);
		errno = ENOMEM;
		return -1;
	}
	conn_set_handler(j->conn, on_conn, j);
	if (conn_connect(j->conn, &u->h->addr, u->h->addrlen, p->portno) < 0) {
		err = errno;
		conn_close(j->conn);
		j->conn = NULL;
		if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
			free(j);
			errno = err;
			return -1;
		}
		/* No route: said from the loop, as any outcome. */
		j->early_err = err;
		ev_timer_start(c->loop, &j->timer, 0, on_timer);
	}
	u->active++;
	svd_list_add(&c->live, &j->link);
	return 0;
}

int svd_uscan_retry_benched(struct svd_uscan_ctx *c, struct svd_uscan_host *u,
			    svd_uscan_done_fn *done, void *arg)
{
	size_t i;

	for (i = 0; i < u->nbench; i++) {
		struct svd_uscan_benched b = u->bench[i];

		if (b.tries >= allowed_sends(u, c))
			continue;
		if (svd_uscan_start(c, u, b.p, b.tries, done, arg) < 0)
			return -1;
		u->bench[i] = u->bench[--u->nbench];
		return 0;
	}
	return 1;
}

size_t svd_uscan_dismiss_bench(struct svd_uscan_host *u, svd_uscan_done_fn *done, void *arg)
{
	size_t i, n = u->nbench;

	u->nbench = 0;
	for (i = 0; i < n; i++) {
		struct svd_port *p = u->bench[i].p;

		p->state = SVD_PORT_OPEN_FILTERED;
		p->reason = "no-response";
		p->reason_ttl = 0;
		done(arg, p, 0, NULL, 0);
	}
	return n;
}

void svd_uscan_stop_all(struct svd_uscan_ctx *c)
{
	while (c->live.first)
		end_job(ev_container(c->live.first, struct job, link));
}
