#include "engine.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "conn_tls.h"
#include "discovery.h"
#include "ev.h"
#include "portscan.h"
#include "progress.h"
#include "resolve.h"
#include "rtt.h"
#include "udpscan.h"
#include "vscan.h"

/* A reverse-DNS lookup's time, at most; the host waits for it. */
enum { DNS_TIMEOUT_MS = 4000 };

struct engine;

/* Where a host stands between activation and its report. */
enum phase {
	PH_DISCOVERY,   /* its discovery probes are under way (disc) */
	PH_QUEUED,      /* up, waiting for room among the hosts scanned at once */
	PH_SCAN,        /* its ports are being scanned and probed */
	PH_DOWN         /* found down: nothing to do */
};

/* The first reply of a UDP port to the port scan's payloads, kept for
 * its version detection (the 7.94+ model matches it first). */
struct early {
	uint32_t port;           /* index into the host's ports */
	unsigned char *data;
	size_t len;
};

/* A host from the source until it is reported. */
struct hstate {
	struct engine *e;
	struct svd_host *h;
	enum phase phase;
	struct svd_disc *disc;   /* PH_DISCOVERY's state, else NULL */
	size_t next_port;        /* connect-scan cursor into e->ports */
	uint32_t *open;          /* open ports waiting for probes (indices) */
	size_t nopen, open_head, open_cap;
	struct svd_uscan_host udp; /* its UDP scan: timing and bench */
	struct early *early;     /* its UDP ports' first replies, for their probes */
	size_t nearly, early_cap;
	unsigned inflight;       /* sockets in use for it */
	unsigned probing;        /* its ports in version detection */
	uint64_t deadline;       /* --host-timeout, ev time; 0: none */
	bool resolving;          /* its PTR lookup is under way */
	bool rtt_exact;          /* its latency is from handshakes (take_rtt) */
	bool done;
	bool reported;           /* handed to e->done (exactly once) */
};

struct engine {
	const struct svd_engine_opts *o;
	struct ev_loop *loop;
	struct svd_pscan_ctx pc;
	struct svd_pscan_ctx dc; /* discovery's connects, with their own timeout */
	struct svd_uscan_ctx uc; /* the UDP scan's */
	struct svd_vscan_ctx vc;
	struct svd_resolver *resolver; /* NULL: no reverse DNS */
	/*
	 * The hosts from the source not yet reported, in rings of nslots:
	 * host i (counting from 0 in target order) in slot i % nslots.
	 * nslots holds the window and 64 more, a multiple of 64, so that
	 * the hosts between next_report and next_host fall in distinct
	 * words of runnable, each word's bits in target order.
	 */
	struct hstate *hs;
	struct svd_host *hosts;
	size_t nslots;
	const struct svd_host_source *src;
	size_t fetched;          /* hosts taken from src (at most next_host + 1) */
	bool exhausted;          /* src gave fewer than src->nhosts */
	const struct svd_engine_ports *ports;
	size_t nports;           /* ports->ntcp + ports->nudp */
	size_t next_host;        /* next to activate */
	size_t next_report;      /* next to hand to done, in order */
	unsigned inflight;       /* sockets in use in all */
	unsigned cap;            /* at most this many; lowered when out of fds */
	unsigned per_host;
	size_t window;           /* hosts activated ahead of the next report */
	/* Hosts in PH_SCAN, at most scan_window: each holds its port table
	 * (nports struct svd_port), the bulk of the scan's memory. */
	size_t scanning, scan_window;
	/*
	 * Hosts that may have a socket's worth of work to start, one bit
	 * a slot (set on activation and whenever a socket of the host is
	 * given back, cleared on its report), so that pump() visits those
	 * only, in target order: an event costs O(active hosts / 64), not a
	 * pass over all of them.
	 */
	uint64_t *runnable;
	bool pumping, repump;
	bool failed;
	bool stopping;           /* stopped early: start nothing more */
	svd_host_done_fn *done;
	void *arg;
	struct ev_timer stats;
	struct svd_progress progress;
};

static void pump(struct engine *e);
static void settle(struct engine *e, struct hstate *s);

/* Host i's state, i between next_report and fetched. */
static struct hstate *host_at(const struct engine *e, size_t i)
{
	return &e->hs[i % e->nslots];
}

static void mark_runnable(struct engine *e, const struct hstate *s)
{
	size_t i = (size_t)(s - e->hs);

	e->runnable[i / 64] |= (uint64_t)1 << (i % 64);
}

static void clear_runnable(struct engine *e, const struct hstate *s)
{
	size_t i = (size_t)(s - e->hs);

	e->runnable[i / 64] &= ~((uint64_t)1 << (i % 64));
}

/* The probe file's Exclude directive names the port. */
static bool excluded(const struct svd_sigdb *db, const struct svd_port *p)
{
	const struct svd_port_range *r = p->proto == SVD_UDP ? db->exclude_udp : db->exclude_tcp;
	uint32_t i, n = p->proto == SVD_UDP ? db->nexclude_udp : db->nexclude_tcp;

	for (i = 0; i < n; i++)
		if (r[i].lo <= p->portno && p->portno <= r[i].hi)
			return true;
	return false;
}

/* A socket of s is free again: it may start more, or be finished.  Call
 * it after any work the socket's job found is queued. */
static void release(struct hstate *s)
{
	s->inflight--;
	s->e->inflight--;
	mark_runnable(s->e, s);
	settle(s->e, s);
}

/* Queues open port p of s for its probes; false when out of memory (the
 * port stays reported with its table name). */
static bool queue_open(struct hstate *s, struct svd_port *p)
{
	if (s->nopen == s->open_cap) {
		size_t cap = s->open_cap ? 2 * s->open_cap : 16;
		uint32_t *bigger = realloc(s->open, cap * sizeof *bigger);

		if (!bigger) {
			fprintf(stderr, "svdetect: out of memory; not probing %s:%u\n",
				s->h->addrstr, p->portno);
			return false;
		}
		s->open = bigger;
		s->open_cap = cap;
	}
	s->open[s->nopen++] = (uint32_t)(p - s->h->ports);
	return true;
}

/*
 * The host's latency: the kernel's handshake RTTs (open TCP ports) are
 * exact; a reset's (closed) and a UDP answer's include the scanner's own
 * delays, so they only stand in until the first handshake, which starts
 * the estimate afresh.  Beside it, Nmap's <times> gives the timeout: the
 * connect scan's, per try.
 */
static void take_rtt(struct hstate *s, const struct svd_port *p, long rtt_us)
{
	bool exact = p->proto == SVD_TCP && p->state == SVD_PORT_OPEN;

	s->h->timeout_us = (long)s->e->o->connect_timeout_ms * 1000;
	if (exact && !s->rtt_exact) {
		s->rtt_exact = true;
		s->h->srtt_us = 0;
	}
	if (exact || !s->rtt_exact)
		svd_rtt_sample(s->h, rtt_us);
}

/* Port p's state is decided: it gets the table's name, and its probes
 * if it may be open (Nmap probes UDP ports open|filtered too).  A port
 * the table lacks has no name (as in Nmap: no <service> in XML unless
 * probes found something, "unknown" in the table), unlike one the table
 * names "unknown". */
static void port_decided(struct hstate *s, struct svd_port *p, long rtt_us)
{
	struct engine *e = s->e;
	const char *name = e->o->table_names[p - s->h->ports];
	bool to_probe;

	take_rtt(s, p, rtt_us);
	s->h->count[p->state]++;
	snprintf(p->svc.name, sizeof p->svc.name, "%s", name ? name : "");
	p->svc.method = SVD_METHOD_TABLE;
	p->svc.conf = 3;
	to_probe = (p->state == SVD_PORT_OPEN ||
		    (p->proto == SVD_UDP && p->state == SVD_PORT_OPEN_FILTERED)) &&
		   (e->o->allports || !excluded(e->o->db, p)) && queue_open(s, p);
	svd_progress_port_scanned(&e->progress, ev_now(e->loop), s->h, p, to_probe);
}

static void port_scanned(void *arg, struct svd_port *p, long rtt_us)
{
	struct hstate *s = arg;

	port_decided(s, p, rtt_us);
	release(s);
	pump(s->e);
}

/* Keeps a UDP port's first reply for its probes, when the probe file's
 * model matches it (Nmap 7.94+); out of memory, the probes go without. */
static void keep_early(struct hstate *s, const struct svd_port *p, const unsigned char *reply,
		       size_t len)
{
	struct early *bigger;
	unsigned char *copy;

	if (!reply || !len || !s->e->o->payloads->from_probes)
		return;
	if (s->nearly == s->early_cap) {
		size_t cap = s->early_cap ? 2 * s->early_cap : 8;

		if (!(bigger = realloc(s->early, cap * sizeof *bigger)))
			return;
		s->early = bigger;
		s->early_cap = cap;
	}
	if (!(copy = malloc(len)))
		return;
	memcpy(copy, reply, len);
	s->early[s->nearly++] = (struct early){ (uint32_t)(p - s->h->ports), copy, len };
}

/* The end of a UDP port's scan (udpscan.h): decided, or benched. */
static void udp_scanned(void *arg, struct svd_port *p, long rtt_us, const unsigned char *reply,
			size_t len)
{
	struct hstate *s = arg;

	if (p->reason) {
		keep_early(s, p, reply, len);
		port_decided(s, p, rtt_us);
	}
	release(s);
	pump(s->e);
}

/* A benched port decided open|filtered: it held no socket. */
static void udp_dismissed(void *arg, struct svd_port *p, long rtt_us,
			  const unsigned char *reply, size_t len)
{
	(void)reply;
	(void)len;
	port_decided(arg, p, rtt_us);
}

/* The port's kept reply, taken out of s's list (the caller frees
 * data), or a zeroed one. */
static struct early take_early(struct hstate *s, const struct svd_port *p)
{
	uint32_t port = (uint32_t)(p - s->h->ports);
	struct early none = { 0, NULL, 0 }, found;
	size_t i;

	for (i = 0; i < s->nearly; i++)
		if (s->early[i].port == port) {
			found = s->early[i];
			s->early[i] = s->early[--s->nearly];
			return found;
		}
	return none;
}

static void free_early(struct hstate *s)
{
	while (s->nearly)
		free(s->early[--s->nearly].data);
	free(s->early);
	s->early = NULL;
	s->early_cap = 0;
}

static void port_probed(void *arg, struct svd_port *p)
{
	struct hstate *s = arg;

	/* Counted again in the state its probes leave it in (an
	 * open|filtered port that answered is open). */
	s->h->count[p->state]++;
	s->probing--;
	release(s);
	svd_progress_service_done(&s->e->progress, ev_now(s->e->loop));
	pump(s->e);
}

/*
 * A socket for a probe sent ahead: only when nothing else of the host
 * waits, so probing ahead never delays another port; and at most a fair
 * share of the host's sockets beyond one per port in detection, so that
 * ports whose probes each wait 5 s do not starve those whose probes the
 * server ends at once (the last of 41 daemon ports waited 11 s for one).
 */
static bool lend_socket(void *arg, unsigned held)
{
	struct hstate *s = arg;
	struct engine *e = s->e;
	unsigned spare = e->per_host > s->probing ? e->per_host - s->probing : 0;

	if (s->next_port < e->nports || s->open_head < s->nopen ||
	    s->inflight >= e->per_host || e->inflight >= e->cap ||
	    held >= (s->probing ? spare / s->probing : spare))
		return false;
	s->inflight++;
	e->inflight++;
	return true;
}

static void return_socket(void *arg)
{
	release(arg);
}

static bool timed_out(struct hstate *s)
{
	if (s->deadline && ev_now(s->e->loop) >= s->deadline)
		s->h->timed_out = true;
	return s->h->timed_out;
}

/* Out of descriptors: run with what is open now, and say so once. */
static void lower_cap(struct engine *e)
{
	if (e->inflight == 0) {
		fprintf(stderr, "svdetect: cannot open any socket: %s\n", strerror(errno));
		e->failed = true;
		ev_stop(e->loop);
		return;
	}
	if (e->cap > e->inflight)
		fprintf(stderr, "svdetect: out of file descriptors with %u sockets open; "
			"continuing with at most that many (raise `ulimit -n`)\n", e->inflight);
	e->cap = e->inflight;
}

enum launch { LAUNCHED, NO_WORK, NO_SOCKET };

static void begin_scan(struct engine *e, struct hstate *s);

/* Discovery's probe p of s has ended; if that decides s, it is up (its
 * ports wait for their turn, the other probe is called off) or down. */
static void ping_answered(void *arg, struct svd_port *p, long rtt_us)
{
	struct hstate *s = arg;
	struct engine *e = s->e;
	struct svd_disc *d = s->disc;

	take_rtt(s, p, rtt_us); /* as Nmap, whose pings time the host too */
	if (svd_disc_record(d, p)) {
		unsigned n = svd_disc_call_off(&e->dc, d);

		s->inflight -= n;
		e->inflight -= n;
		s->h->up = d->up;
		s->h->reason = d->reason;
		s->phase = d->up ? PH_QUEUED : PH_DOWN;
		free(d);
		s->disc = NULL;
	}
	release(s);
	pump(e);
}

/* Starts the probes of s's next port in its queue (there is one). */
static enum launch launch_probes(struct engine *e, struct hstate *s)
{
	struct svd_host *h = s->h;
	struct svd_port *p = &h->ports[s->open[s->open_head]];
	struct early early = take_early(s, p);
	bool started;

	s->inflight++;
	e->inflight++;
	s->open_head++;
	svd_progress_service_started(&e->progress, ev_now(e->loop));
	s->probing++; /* before: port_probed may come from within */
	h->count[p->state]--; /* until port_probed counts it again */
	started = svd_vscan_start(&e->vc, h, p, s->deadline, early.data, early.len,
				  port_probed, s);
	free(early.data);
	if (!started) {
		h->count[p->state]++;
		s->probing--;
		svd_progress_service_done(&e->progress, ev_now(e->loop));
		release(s);
	}
	return LAUNCHED;
}

/* Starts the scan of s's next port, TCP or UDP. */
static int scan_next_port(struct engine *e, struct hstate *s)
{
	struct svd_port *p = &s->h->ports[s->next_port];

	return p->proto == SVD_UDP ? svd_uscan_start(&e->uc, &s->udp, p, 0, udp_scanned, s)
				   : svd_pscan_start(&e->pc, s->h, p, port_scanned, s);
}

/* Starts one socket's worth of work for s, if it has any now. */
static enum launch launch_one(struct engine *e, struct hstate *s)
{
	struct svd_host *h = s->h;
	int rc;

	switch (s->phase) {
	case PH_DOWN:
		return NO_WORK;
	case PH_DISCOVERY:
		rc = svd_disc_start_next(&e->dc, s->disc, h, ping_answered, s);
		if (rc > 0)
			return NO_WORK;
		if (rc < 0) {
			lower_cap(e);
			return NO_SOCKET;
		}
		s->inflight++;
		e->inflight++;
		return LAUNCHED;
	case PH_QUEUED:
		/* Woken when a scanning host is done (settle). */
		if (e->scanning >= e->scan_window)
			return NO_WORK;
		begin_scan(e, s);
		break;
	case PH_SCAN:
		break;
	}
	if (timed_out(s))
		return NO_WORK;
	if (s->open_head < s->nopen)
		return launch_probes(e, s);
	if (s->next_port < e->nports) {
		if (scan_next_port(e, s) < 0) {
			lower_cap(e);
			return NO_SOCKET;
		}
		s->next_port++;
	} else if ((rc = svd_uscan_retry_benched(&e->uc, &s->udp, udp_scanned, s)) > 0) {
		/* Nothing more of its UDP scan starts or runs: its benched
		 * ports' tries can grow no more, and they are decided. */
		if (s->udp.active || !svd_uscan_dismiss_bench(&s->udp, udp_dismissed, s))
			return NO_WORK;
		return s->open_head < s->nopen ? launch_probes(e, s) : NO_WORK;
	} else if (rc < 0) {
		lower_cap(e);
		return NO_SOCKET;
	}
	s->inflight++;
	e->inflight++;
	return LAUNCHED;
}

/* The host's PTR name, as Nmap shows it beside the address, or none. */
static void name_found(void *arg, const char *name)
{
	struct hstate *s = arg;

	s->resolving = false;
	if (name)
		s->h->rdns = strdup(name);
	settle(s->e, s);
	pump(s->e);
}

/* Discovery first, unless the user says every host is up (-Pn). */
static void activate(struct engine *e, struct hstate *s)
{
	struct svd_host *h = s->h;

	clock_gettime(CLOCK_REALTIME, &h->start);
	s->phase = PH_QUEUED;
	if (!e->o->discovery) {
		h->up = true;
		h->reason = "user-set";
		return;
	}
	s->disc = malloc(sizeof *s->disc);
	if (!s->disc) {
		fprintf(stderr, "svdetect: out of memory for %s; taking it as up\n", h->addrstr);
		h->up = true;
		h->reason = "user-set";
		return;
	}
	svd_disc_init(s->disc);
	s->phase = PH_DISCOVERY;
}

/* An up host's turn to be scanned: its port table, its host timeout
 * (discovery does not count against it, as in Nmap) and its name. */
static void begin_scan(struct engine *e, struct hstate *s)
{
	struct svd_host *h = s->h;
	size_t i;

	s->phase = PH_SCAN;
	e->scanning++;
	h->ports = calloc(e->nports, sizeof *h->ports);
	if (!h->ports && e->nports) {
		fprintf(stderr, "svdetect: out of memory for %s\n", h->addrstr);
		s->next_port = e->nports;
		return;
	}
	h->nports = e->nports;
	for (i = 0; i < e->nports; i++) {
		bool udp = i >= e->ports->ntcp;

		h->ports[i].portno = udp ? e->ports->udp[i - e->ports->ntcp] : e->ports->tcp[i];
		h->ports[i].proto = udp ? SVD_UDP : SVD_TCP;
	}
	svd_uscan_host_init(&s->udp, &e->uc, h, e->ports->nudp);
	if (e->o->host_timeout_ms)
		s->deadline = ev_now(e->loop) + e->o->host_timeout_ms;
	if (e->resolver) {
		s->resolving = true;
		svd_resolve_name(e->resolver, (const struct sockaddr *)&h->addr, h->addrlen,
				 name_found, s);
	}
}

static bool host_finished(const struct engine *e, const struct hstate *s)
{
	if (s->inflight || s->resolving)
		return false;
	if (s->phase != PH_SCAN)
		return s->phase == PH_DOWN;
	return s->h->timed_out || (s->next_port >= e->nports && s->open_head >= s->nopen &&
				   !s->udp.nbench);
}

static size_t ports_scanned(const struct svd_host *h)
{
	size_t n = 0;
	int st;

	for (st = 0; st < SVD_PORT_NSTATES; st++)
		n += h->count[st];
	return n;
}

/* A place among the hosts scanned at once is free: the queued hosts may
 * take it, the earliest first (launch_runnable's order). */
static void scan_ended(struct engine *e)
{
	size_t i;

	e->scanning--;
	for (i = e->next_report; i < e->next_host; i++)
		if (host_at(e, i)->phase == PH_QUEUED) {
			mark_runnable(e, host_at(e, i));
			e->repump = true;
		}
}

/* Marks s done once it holds no socket, has nothing left to start and
 * has its name (or none); timed out if that is past its deadline (its
 * last probes were cut). */
static void settle(struct engine *e, struct hstate *s)
{
	if (s->done || s->inflight)
		return;
	timed_out(s);
	if (!host_finished(e, s))
		return;
	s->done = true;
	clock_gettime(CLOCK_REALTIME, &s->h->end);
	svd_progress_host_done(&e->progress, ev_now(e->loop), s->h, e->nports - ports_scanned(s->h),
			       s->nopen - s->open_head);
	if (s->phase == PH_SCAN)
		scan_ended(e);
}

/* Ends the scan early: nothing more starts, and the loop returns to
 * svd_engine_run, which reports what was decided. */
static void request_stop(struct engine *e)
{
	e->stopping = true;
	ev_stop(e->loop);
}

/* Hands the finished hosts at the head of the window to done, in order;
 * returns how many. */
static size_t report_finished(struct engine *e)
{
	size_t before = e->next_report;

	while (e->next_report < e->next_host && host_at(e, e->next_report)->done) {
		struct hstate *s = host_at(e, e->next_report++);

		if (s->reported) {
			/* The done callback owns and frees the host's results:
			 * a second call would use them after that. */
			fprintf(stderr, "svdetect: internal error: host %s reported twice\n",
				s->h->addrstr);
			abort();
		}
		s->reported = true;
		clear_runnable(e, s);
		free(s->open);
		s->open = NULL;
		free_early(s);
		svd_uscan_host_free(&s->udp);
		free(s->disc); /* a host stopped during its discovery */
		s->disc = NULL;
		if (!e->done(e->arg, s->h))
			request_stop(e);
	}
	return e->next_report - before;
}

/*
 * Starts work for the runnable hosts, earliest first, as long as sockets
 * are free.  A host leaves the set when it has nothing to start or is at
 * its own cap; one that could not start for want of sockets stays.
 */
static void launch_runnable(struct engine *e)
{
	size_t w, nwords = e->nslots / 64;

	for (w = e->next_report / 64; w * 64 < e->next_host; w++) {
		uint64_t *bits = &e->runnable[w % nwords];

		while (*bits) {
			struct hstate *s = &e->hs[w % nwords * 64 + (size_t)__builtin_ctzll(*bits)];
			enum launch r = LAUNCHED;

			while (!s->done && s->inflight < e->per_host && e->inflight < e->cap &&
			       !e->failed && (r = launch_one(e, s)) == LAUNCHED)
				;
			if (e->failed || r == NO_SOCKET)
				return;
			if (!s->done && r == LAUNCHED && s->inflight < e->per_host)
				return; /* all sockets in use: s still has work */
			clear_runnable(e, s);
			settle(e, s);
		}
	}
}

/* Whether host next_host is there, taking it from the source if need be
 * into its slot (free: the window is smaller than the ring). */
static bool fetch(struct engine *e)
{
	struct hstate *s;

	if (e->fetched > e->next_host)
		return true;
	if (e->exhausted || e->fetched == e->src->nhosts)
		return false;
	/* The slot's last host has been reported. */
	assert(e->fetched - e->next_report < e->nslots);
	s = host_at(e, e->fetched);
	memset(s, 0, sizeof *s);
	s->e = e;
	s->h = &e->hosts[s - e->hs];
	memset(s->h, 0, sizeof *s->h);
	if (!e->src->next(e->src->arg, s->h)) {
		e->exhausted = true;
		return false;
	}
	e->fetched++;
	return true;
}

/* Every host the source gives is reported. */
static bool all_done(const struct engine *e)
{
	return e->next_report == e->fetched &&
	       (e->exhausted || e->fetched == e->src->nhosts);
}

/* One pass: fill the window, start work, report; true if it reported a
 * host (the window then has room for the next ones). */
static bool pump_once(struct engine *e)
{
	while (e->next_host - e->next_report < e->window && fetch(e)) {
		struct hstate *s = host_at(e, e->next_host++);

		activate(e, s);
		mark_runnable(e, s);
	}
	launch_runnable(e);
	return report_finished(e) > 0;
}

/*
 * Starts whatever the limits allow, until a pass changes nothing: a pass
 * that reports hosts makes room in the window, and the hosts it lets in
 * must start now, as no event of theirs can come to start them later.
 * Re-entrant calls just ask for another pass.  Every pass but the last
 * reports a host, so there are at most nhosts + 1 of them per call, plus
 * one per re-entrant call.
 */
static void pump(struct engine *e)
{
	bool reported;

	if (e->stopping)
		return;
	if (e->pumping) {
		e->repump = true;
		return;
	}
	e->pumping = true;
	do {
		e->repump = false;
		reported = pump_once(e);
	} while ((e->repump || reported) && !e->stopping && !e->failed);
	e->pumping = false;
	if (all_done(e))
		ev_stop(e->loop);
}

/* Nmap's status lines; hosts under way: those activated and not finished. */
static void print_stats(struct engine *e)
{
	svd_progress_status(&e->progress, ev_now(e->loop), e->next_host - e->progress.hosts_done);
}

static void stats_tick(struct ev_loop *l, struct ev_timer *t)
{
	struct engine *e = ev_container(t, struct engine, stats);

	print_stats(e);
	ev_timer_start(l, t, e->o->stats_every_ms, stats_tick);
}

/* Enter on a terminal prints the status lines, as in Nmap. */
static void key_pressed(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	char buf[64];

	(void)events;
	if (read(fd, buf, sizeof buf) > 0)
		print_stats(arg);
	else
		ev_watch(l, fd, 0, NULL, NULL); /* end of input: no more keys */
}

static void stop_fd_ready(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	struct engine *e = arg;

	(void)events;
	if (e->o->stop_wanted(e->arg, fd))
		request_stop(e);
	else
		ev_watch(l, fd, 0, NULL, NULL); /* ready for another reason: not ours */
}

/* After a stop: s keeps only the ports whose connect scan had ended
 * (h->count counts only those already). */
static void keep_decided(struct hstate *s)
{
	struct svd_host *h = s->h;
	size_t i, n = 0;

	for (i = 0; i < h->nports; i++)
		if (h->ports[i].reason)
			h->ports[n++] = h->ports[i];
	h->nports = n;
	if (!s->done) {
		s->done = true;
		clock_gettime(CLOCK_REALTIME, &h->end);
	}
}

/* A scan stopped early: every job ends now, and every host started is
 * reported with what was decided. */
static void report_decided(struct engine *e)
{
	size_t i;

	/* Marked before their jobs are stopped, which may settle them. */
	for (i = e->next_report; i < e->next_host; i++)
		host_at(e, i)->h->stopped_early = !host_at(e, i)->done;
	svd_pscan_stop_all(&e->pc);
	svd_pscan_stop_all(&e->dc);
	svd_uscan_stop_all(&e->uc);
	svd_vscan_stop_all(&e->vc);
	for (i = e->next_report; i < e->next_host; i++)
		keep_decided(host_at(e, i));
	report_finished(e);
}

/*
 * The run's promise: every target handed to done exactly once.  A run
 * that ends with targets never reported must not pass for a scan that
 * found them down.
 */
static bool all_reported(const struct engine *e)
{
	size_t missing = e->src->nhosts - e->next_report;

	if (missing)
		fprintf(stderr, "svdetect: %zu of %zu hosts were not scanned: the scan stopped "
			"before reaching them\n", missing, e->src->nhosts);
	return missing == 0;
}

static unsigned max_u(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

static size_t max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* The windows of e (cap set): hosts scanned at once, and activated ahead
 * of the next report. */
static void size_windows(struct engine *e, const struct svd_engine_opts *o, size_t nports)
{
	/* Sockets one host is likely to hold. */
	unsigned host_share = max_u(1, e->per_host < nports ? e->per_host : (unsigned)nports);

	e->scan_window = e->cap / host_share + 1;
	/* Hosts in discovery hold SVD_DISC_NPROBES sockets each and no port
	 * table: as many as the sockets allow, so that a mostly empty range
	 * waits out its silent hosts' timeouts side by side. */
	e->window = o->discovery ? max_size(e->scan_window, e->cap / SVD_DISC_NPROBES)
		: e->scan_window;
	e->nslots = (e->window / 64 + 2) * 64;
}

uint64_t svd_engine_memory(const struct svd_engine_opts *o, size_t nhosts, size_t nports)
{
	struct engine e = { .cap = max_u(1, o->parallelism), .per_host = max_u(1, o->per_host) };
	uint64_t scanned, discovered;

	size_windows(&e, o, nports);
	scanned = e.scan_window < nhosts ? e.scan_window : nhosts;
	discovered = !o->discovery ? 0 : e.window < nhosts ? e.window : nhosts;
	return (uint64_t)e.nslots * (sizeof(struct hstate) + sizeof(struct svd_host)) +
	       e.nslots / 8 + scanned * nports * sizeof(struct svd_port) +
	       discovered * sizeof(struct svd_disc);
}

/*
 * One TLS context for the run, every SSL (and DTLS) tunnel's: sets vc's
 * transports, or leaves them NULL in a build without OpenSSL, where an
 * SSL port is reported `ssl` as by an Nmap without it.  DTLS tunnels are
 * Nmap 7.94+'s, as are probe files whose UDP probes are the payloads:
 * with 7.93's file, a `dtls` port stays so.  Returns false when OpenSSL
 * cannot set up.
 */
static bool tls_open(struct svd_vscan_ctx *vc, bool dtls_tunnels)
{
#ifdef HAVE_OPENSSL
	vc->tls = &conn_tls;
	vc->tls_ctx = conn_tls_ctx_new();
	if (vc->tls_ctx && dtls_tunnels && conn_tls_ctx_has_dtls(vc->tls_ctx))
		vc->dtls = &conn_dtls;
	return vc->tls_ctx != NULL;
#else
	(void)vc;
	(void)dtls_tunnels;
	return true;
#endif
}

static void tls_close(struct svd_vscan_ctx *vc)
{
#ifdef HAVE_OPENSSL
	conn_tls_ctx_free(vc->tls_ctx);
#else
	(void)vc;
#endif
}

int svd_engine_run(const struct svd_engine_opts *o, const struct svd_host_source *src,
		   const struct svd_engine_ports *ports, svd_host_done_fn *done, void *arg)
{
	struct engine e = { 0 };
	size_t i, nports = ports->ntcp + ports->nudp;
	bool tls_ok;
	int rc = 0;

	e.o = o;
	e.cap = max_u(1, o->parallelism);
	e.per_host = max_u(1, o->per_host);
	size_windows(&e, o, nports);
	e.loop = ev_new((int)(e.cap + 64 < 1024 ? 1024 : e.cap + 64));
	e.hs = calloc(e.nslots, sizeof *e.hs);
	e.hosts = calloc(e.nslots, sizeof *e.hosts);
	e.runnable = calloc(e.nslots / 64, sizeof *e.runnable);
	tls_ok = tls_open(&e.vc, o->payloads->from_probes);
	if (!e.loop || !e.hs || !e.hosts || !e.runnable || !tls_ok ||
	    !svd_matcher_init(&e.vc.mt, o->db)) {
		fprintf(stderr, "svdetect: cannot set up the event loop: %s\n", strerror(errno));
		tls_close(&e.vc);
		ev_free(e.loop);
		free(e.hs);
		free(e.hosts);
		free(e.runnable);
		return -1;
	}
	e.pc.loop = e.loop;
	e.pc.timeout_ms = o->connect_timeout_ms;
	e.pc.tries = (int)max_u(1, (unsigned)o->connect_tries);
	e.dc.loop = e.loop;
	e.dc.timeout_ms = o->discovery_timeout_ms;
	e.dc.tries = SVD_DISC_TRIES;
	e.uc.loop = e.loop;
	e.uc.transport = &conn_udp;
	e.uc.payloads = o->payloads;
	e.uc.initial_timeout_ms = o->timing->discovery_timeout_ms;
	e.uc.min_timeout_ms = o->timing->rtt_min_ms;
	e.uc.max_timeout_ms = o->timing->rtt_max_ms;
	e.uc.max_retries = o->timing->max_retries;
	e.uc.scan_delay_ms = o->timing->scan_delay_ms;
	e.uc.max_delay_ms = o->timing->udp_delay_max_ms;
	e.uc.boost_try = o->timing->boost_try;
	e.uc.drop_share = o->timing->drop_share;
	e.uc.log = o->verbose ? o->progress : NULL;
	e.vc.loop = e.loop;
	e.vc.transport = &conn_tcp;
	e.vc.udp_transport = &conn_udp;
	e.vc.payloads = o->payloads;
	e.vc.db = o->db;
	e.vc.rpc = o->rpc_programs;
	e.vc.intensity = o->intensity;
	e.vc.trace = o->trace;
	e.vc.debugging = o->debugging;
	e.vc.platform = o->platform;
	e.vc.acquire = o->max_probes_ahead ? lend_socket : NULL;
	e.vc.release = return_socket;
	e.vc.max_ahead = o->max_probes_ahead;
	e.vc.probe_delay_ms = o->probe_delay_ms;
	e.src = src;
	e.ports = ports;
	e.nports = nports;
	e.done = done;
	e.arg = arg;
	/* The first host, which the progress lines name when it is the only one. */
	fetch(&e);
	svd_progress_start(&e.progress, o->progress, o->verbose, ev_now(e.loop), e.hosts,
			   src->nhosts, nports, ports->ntcp == 0);
	/* Without a resolver the hosts go unnamed, as with -n. */
	if (o->reverse_dns)
		e.resolver = svd_resolver_new(e.loop, DNS_TIMEOUT_MS);
	if (o->stats_every_ms)
		ev_timer_start(e.loop, &e.stats, o->stats_every_ms, stats_tick);
	if (isatty(STDIN_FILENO))
		ev_watch(e.loop, STDIN_FILENO, EV_READ, key_pressed, &e);
	for (i = 0; i < o->nstop_fds; i++)
		if (ev_watch(e.loop, o->stop_fds[i], EV_READ, stop_fd_ready, &e) < 0)
			fprintf(stderr, "svdetect: cannot watch descriptor %d: %s\n",
				o->stop_fds[i], strerror(errno));
	pump(&e);
	if (!e.stopping && !all_done(&e) && ev_run(e.loop) < 0) {
		fprintf(stderr, "svdetect: event loop: %s\n", strerror(errno));
		rc = -1;
	}
	/* A stop leaves the hosts never started out, on purpose. */
	if (e.stopping)
		report_decided(&e);
	else if (!all_reported(&e))
		rc = -1;
	if (e.failed)
		rc = -1;
	svd_resolver_free(e.resolver);
	svd_matcher_free(&e.vc.mt);
	tls_close(&e.vc);
	for (i = 0; i < e.nslots; i++) {
		free(e.hs[i].open);
		free(e.hs[i].disc);
		free_early(&e.hs[i]);
		svd_uscan_host_free(&e.hs[i].udp);
	}
	free(e.hs);
	free(e.hosts);
	free(e.runnable);
	ev_free(e.loop);
	return rc;
}
