#include "portscan.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "net.h"
#include "rtt.h"

struct attempt {
	struct svd_link link;   /* in c->live */
	struct svd_pscan_ctx *c;
	const struct svd_host *h;
	struct svd_port *p;
	svd_pscan_done_fn *done;
	void *arg;
	int fd;
	int early_err;   /* connect() failed at once with this */
	long early_rtt_us; /* ... after so long (loopback refuses within connect()) */
	int tries_left;
	struct timespec sent; /* the last try's connect() */
	struct ev_timer timer;
};

static void on_io(struct ev_loop *l, int fd, unsigned events, void *arg);
static void on_timer(struct ev_loop *l, struct ev_timer *t);

/* Closes a's socket and frees it; its port keeps what conclude() set. */
static void end_attempt(struct attempt *a)
{
	svd_list_remove(&a->c->live, &a->link);
	ev_timer_stop(a->c->loop, &a->timer);
	if (a->fd >= 0) {
		ev_watch(a->c->loop, a->fd, 0, NULL, NULL);
		net_abort(a->fd);
	}
	free(a);
}

static void conclude(struct attempt *a, enum svd_port_state state, const char *reason,
		     long rtt_us)
{
	svd_pscan_done_fn *done = a->done;
	void *arg = a->arg;
	struct svd_port *p = a->p;

	p->state = (uint8_t)state;
	p->reason = reason;
	end_attempt(a);
	done(arg, p, rtt_us);
}

static int try_connect(struct attempt *a)
{
	clock_gettime(CLOCK_MONOTONIC, &a->sent);
	a->fd = net_connect(&a->h->addr, a->h->addrlen, a->p->portno, SOCK_STREAM);
	if (a->fd < 0)
		return -1;
	if (ev_watch(a->c->loop, a->fd, EV_WRITE, on_io, a) < 0) {
		int err = errno;

		net_abort(a->fd);
		a->fd = -1;
		errno = err;
		return -1;
	}
	a->tries_left--;
	ev_timer_start(a->c->loop, &a->timer, a->c->timeout_ms, on_timer);
	return 0;
}

/*
 * Nmap's -sT reasons for each outcome of connect().  The host's own
 * answers (the handshake, a reset) carry their RTT; an unreachable is a
 * router's or the local stack's, and a timeout has none.
 */
static void outcome(struct attempt *a, int err, long rtt_us)
{
	switch (err) {
	case 0:
		conclude(a, SVD_PORT_OPEN, "syn-ack", rtt_us);
		break;
	case ECONNREFUSED:
		conclude(a, SVD_PORT_CLOSED, "conn-refused", rtt_us);
		break;
	case EHOSTUNREACH:
		conclude(a, SVD_PORT_FILTERED, "host-unreach", 0);
		break;
	case ENETUNREACH:
		conclude(a, SVD_PORT_FILTERED, "net-unreach", 0);
		break;
	default:
		conclude(a, SVD_PORT_FILTERED, "no-response", 0);
	}
}

static void on_io(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	struct attempt *a = arg;
	int err = net_connect_error(fd);

	(void)l;
	(void)events;
	outcome(a, err, err == 0 ? net_handshake_rtt_us(fd) : svd_rtt_since(&a->sent));
}

static void on_timer(struct ev_loop *l, struct ev_timer *t)
{
	struct attempt *a = ev_container(t, struct attempt, timer);

	(void)l;
	if (a->fd < 0) {
		outcome(a, a->early_err, a->early_rtt_us);
		return;
	}
	ev_watch(a->c->loop, a->fd, 0, NULL, NULL);
	net_abort(a->fd);
	a->fd = -1;
	if (a->tries_left <= 0) {
		outcome(a, ETIMEDOUT, 0);
		return;
	}
	if (try_connect(a) < 0) {
		int err = errno;

		outcome(a, err, svd_rtt_since(&a->sent));
	}
}

int svd_pscan_start(struct svd_pscan_ctx *c, const struct svd_host *h,
		    struct svd_port *p, svd_pscan_done_fn *done, void *arg)
{
	struct attempt *a = calloc(1, sizeof *a);

	if (!a)
		return -1;
	a->c = c;
	a->h = h;
	a->p = p;
	a->done = done;
	a->arg = arg;
	a->tries_left = c->tries;
	if (try_connect(a) < 0) {
		int err = errno;

		if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
			free(a);
			errno = err;
			return -1;
		}
		/* Refused or unreachable at once (loopback does that): the
		 * outcome still goes through done from the loop. */
		a->early_err = err;
		a->early_rtt_us = svd_rtt_since(&a->sent);
		ev_timer_start(c->loop, &a->timer, 0, on_timer);
	}
	svd_list_add(&c->live, &a->link);
	return 0;
}

bool svd_pscan_cancel(struct svd_pscan_ctx *c, const struct svd_port *p)
{
	struct svd_link *l;

	for (l = c->live.first; l; l = l->next) {
		struct attempt *a = ev_container(l, struct attempt, link);

		if (a->p == p) {
			end_attempt(a);
			return true;
		}
	}
	return false;
}

void svd_pscan_stop_all(struct svd_pscan_ctx *c)
{
	while (c->live.first)
		end_attempt(ev_container(c->live.first, struct attempt, link));
}
