#include "resolve.h"

#include <ares.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

/*
 * c-ares' own schedule: a query is sent again after RETRY_MS (c-ares
 * lengthens later waits).  The caller's timeout is enforced by a loop
 * timer per lookup, whatever c-ares' schedule and the number of servers
 * in resolv.conf add up to.
 */
enum { RETRY_MS = 1000, TRIES = 2 };

struct svd_resolver {
	struct ev_loop *loop;
	ares_channel channel;
	struct ev_timer retry;      /* c-ares' next timeout */
	uint32_t timeout_ms;
	bool closing;               /* in svd_resolver_free: no more callbacks */
};

/* One lookup, from svd_resolve_name until c-ares is done with it. */
struct lookup {
	struct svd_resolver *r;
	struct ev_timer deadline;
	svd_resolved_fn *fn;        /* NULL once out of time (the caller had NULL) */
	void *arg;
};

/* After anything c-ares did: wake it up again when its next query times out. */
static void on_retry(struct ev_loop *l, struct ev_timer *t);

static void arm_retry(struct svd_resolver *r)
{
	struct timeval tv;

	if (!ares_timeout(r->channel, NULL, &tv)) {
		ev_timer_stop(r->loop, &r->retry);
		return;
	}
	/* Rounded up, so that c-ares finds the timeout due when woken. */
	ev_timer_start(r->loop, &r->retry,
		       (uint64_t)tv.tv_sec * 1000 + ((uint64_t)tv.tv_usec + 999) / 1000, on_retry);
}

static void on_retry(struct ev_loop *l, struct ev_timer *t)
{
	struct svd_resolver *r = ev_container(t, struct svd_resolver, retry);

	(void)l;
	ares_process_fd(r->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	arm_retry(r);
}

static void on_io(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	struct svd_resolver *r = arg;

	(void)l;
	ares_process_fd(r->channel, events & EV_READ ? fd : ARES_SOCKET_BAD,
			events & EV_WRITE ? fd : ARES_SOCKET_BAD);
	arm_retry(r);
}

/* c-ares opens, closes (after telling us) and re-aims its sockets. */
static void on_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct svd_resolver *r = data;
	unsigned events = (readable ? EV_READ : 0) | (writable ? EV_WRITE : 0);

	/* Unwatchable (beyond the loop's table): the lookup's deadline still
	 * ends it. */
	ev_watch(r->loop, fd, events, events ? on_io : NULL, r);
}

static void on_deadline(struct ev_loop *l, struct ev_timer *t)
{
	struct lookup *lk = ev_container(t, struct lookup, deadline);
	svd_resolved_fn *fn = lk->fn;

	(void)l;
	/* c-ares still holds lk: on_answer frees it when c-ares gives up. */
	lk->fn = NULL;
	fn(lk->arg, NULL);
}

static void on_answer(void *arg, int status, int timeouts, char *node, char *service)
{
	struct lookup *lk = arg;

	(void)timeouts;
	(void)service;
	ev_timer_stop(lk->r->loop, &lk->deadline);
	if (lk->fn && !lk->r->closing)
		lk->fn(lk->arg, status == ARES_SUCCESS ? node : NULL);
	free(lk);
}

struct svd_resolver *svd_resolver_new(struct ev_loop *l, uint32_t timeout_ms)
{
	struct svd_resolver *r = calloc(1, sizeof *r);
	struct ares_options ao = { 0 };
	char lookups[] = "fb"; /* /etc/hosts, then DNS */
	int st = ARES_ENOMEM;

	if (r && (st = ares_library_init(ARES_LIB_INIT_ALL)) == ARES_SUCCESS) {
		ao.timeout = RETRY_MS;
		ao.tries = TRIES;
		ao.lookups = lookups;
		ao.sock_state_cb = on_sock_state;
		ao.sock_state_cb_data = r;
		st = ares_init_options(&r->channel, &ao,
				       ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS |
				       ARES_OPT_SOCK_STATE_CB);
		if (st != ARES_SUCCESS)
			ares_library_cleanup();
	}
	if (st != ARES_SUCCESS) {
		fprintf(stderr, "svdetect: cannot set up reverse DNS: %s\n", ares_strerror(st));
		free(r);
		return NULL;
	}
	r->loop = l;
	r->timeout_ms = timeout_ms;
	return r;
}

void svd_resolver_free(struct svd_resolver *r)
{
	if (!r)
		return;
	r->closing = true;
	ares_destroy(r->channel); /* on_answer frees every lookup still held */
	ev_timer_stop(r->loop, &r->retry);
	ares_library_cleanup();
	free(r);
}

void svd_resolve_name(struct svd_resolver *r, const struct sockaddr *sa, socklen_t len,
		      svd_resolved_fn *fn, void *arg)
{
	struct lookup *lk = calloc(1, sizeof *lk);

	if (!lk) {
		fn(arg, NULL);
		return;
	}
	lk->r = r;
	lk->fn = fn;
	lk->arg = arg;
	ev_timer_start(r->loop, &lk->deadline, r->timeout_ms, on_deadline);
	ares_getnameinfo(r->channel, sa, (ares_socklen_t)len, ARES_NI_LOOKUPHOST | ARES_NI_NAMEREQD,
			 on_answer, lk);
	arm_retry(r);
}
