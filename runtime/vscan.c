#include "vscan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "fingerprint.h"
#include "net.h"
#include "template.h"

/* Nmap's constants (service_scan.h/.cc); see docs/scanner.md. */
enum {
	RESP_ENOUGH = 4096,         /* no further reads once a response is this long */
	RESP_CAP = RESP_ENOUGH + 8192,
	DEFAULT_WAIT_MS = 5000,     /* totalwaitms when the probe gives none */
	DEFAULT_TCPWRAPPED_MS = 2000,
	CONNECT_TIMEOUT_MS = 5000
};

/* Where a job is in Nmap's probe order. */
enum stage {
	STAGE_NULL,      /* the NULL probe */
	STAGE_LISTED,    /* probes whose ports list this port, any rarity */
	STAGE_OTHERS,    /* the rest, rarity <= intensity, softmatch filter */
	STAGE_DONE
};

enum outcome { OUT_NOMATCH, OUT_HARD, OUT_TCPWRAPPED, OUT_INCOMPLETE };

struct svd_vjob {
	struct svd_vscan_ctx *c;
	const struct svd_host *h;
	struct svd_port *p;
	svd_vscan_done_fn *done;
	void *arg;
	uint64_t deadline;          /* --host-timeout, ev_now() time; 0: none */
	int fd;                     /* -1: no connection */
	bool connecting;
	enum stage stage;
	int probe;                  /* current probe index */
	uint64_t sent_at;           /* when the probe went out: its wait counts from here */
	uint32_t unsent;            /* payload bytes still to write */
	struct ev_timer timer;      /* connect timeout, then the probe's wait */
	unsigned char *resp;        /* the current probe's response so far */
	size_t len;
	const struct svd_match *soft; /* the first softmatch, if any */
	struct svd_fp *fp;          /* responses of unmatched probes */
};

static const struct svd_probe *cur(const struct svd_vjob *j)
{
	return &j->c->db->probes[j->probe];
}

static bool is_null(const struct svd_vjob *j)
{
	return j->probe == j->c->db->null_probe;
}

static uint32_t probe_wait(const struct svd_probe *pr)
{
	return pr->totalwaitms ? pr->totalwaitms : DEFAULT_WAIT_MS;
}

static bool port_listed(const struct svd_probe *pr, unsigned port)
{
	uint16_t i;

	for (i = 0; i < pr->nports; i++)
		if (pr->ports[i].lo <= port && port <= pr->ports[i].hi)
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

static bool eligible(const struct svd_vjob *j, int i)
{
	const struct svd_vscan_ctx *c = j->c;
	const struct svd_probe *pr = &c->db->probes[i];
	bool listed;

	if (i == c->db->null_probe || pr->proto != SVD_TCP)
		return false;
	listed = port_listed(pr, j->p->portno);
	if (j->stage == STAGE_LISTED)
		return listed;
	return !listed && pr->rarity <= c->intensity &&
	       (!j->soft || c->intensity >= 9 || can_name(c->db, pr, j->soft->service));
}

/* Advances j->probe in Nmap's order; false when none is left. */
static bool next_probe(struct svd_vjob *j)
{
	int n = (int)j->c->db->nprobes;

	if (j->stage == STAGE_NULL) {
		j->stage = STAGE_LISTED;
		j->probe = -1;
	}
	while (j->stage != STAGE_DONE) {
		while (++j->probe < n)
			if (eligible(j, j->probe))
				return true;
		j->stage = j->stage == STAGE_LISTED ? STAGE_OTHERS : STAGE_DONE;
		j->probe = -1;
	}
	return false;
}

static void drop_connection(struct svd_vjob *j)
{
	if (j->fd < 0)
		return;
	ev_watch(j->c->loop, j->fd, 0, NULL, NULL);
	net_abort(j->fd);
	j->fd = -1;
}

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

static void record_match(struct svd_vjob *j, const struct svd_result *r)
{
	const struct svd_match *m = r->match;
	struct svd_service *svc = &j->p->svc;
	struct svd_subject s = { j->resp, j->len, r->ovec, r->nmatch };
	struct svd_version v;
	const char *name = m->service;

	svd_render_version(&v, &m->tmpl, &s);
	take_version(svc, &v);
	if (strncmp(name, "ssl/", 4) == 0) {
		svc->ssl = true;
		name += 4;
	}
	snprintf(svc->name, sizeof svc->name, "%s", name);
	svc->method = SVD_METHOD_PROBED;
	svc->conf = 10;
	svc->soft = m->soft;
	svc->match = m;
	svc->probe = cur(j)->name;
	if (j->c->trace)
		fprintf(j->c->trace, "Service scan %s match (Probe %s matched with line %u): %s:%u is %s%s.  Version: |%s|%s|%s|\n",
			m->soft ? "soft" : "hard", cur(j)->name, m->line, j->h->addrstr,
			j->p->portno, svc->ssl ? "SSL/" : "", name, svc->v.product,
			svc->v.version, svc->v.info);
}

static void finish(struct svd_vjob *j, enum outcome out)
{
	struct svd_service *svc = &j->p->svc;
	const char *fp;

	ev_timer_stop(j->c->loop, &j->timer);
	drop_connection(j);
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
	free(j->resp);
	j->done(j->arg, j->p);
	free(j);
}

static void add_to_fingerprint(struct svd_vjob *j)
{
	if (!j->len)
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
		p.proto = "TCP";
		p.ssl = j->p->svc.ssl;
		p.intensity = j->c->intensity;
		p.version = PACKAGE_VERSION;
		p.platform = j->c->platform;
		p.month = tm.tm_mon + 1;
		p.day = tm.tm_mday;
		p.time = (long long)now;
		p.debugging = j->c->debugging;
		svd_fp_init(j->fp, &p);
	}
	svd_fp_add(j->fp, cur(j)->name, j->resp, j->len);
}

static void on_io(struct ev_loop *l, int fd, unsigned events, void *arg);
static void on_timer(struct ev_loop *l, struct ev_timer *t);

/* Arms the job's timer, never past the host's deadline. */
static void arm(struct svd_vjob *j, uint64_t ms)
{
	uint64_t now = ev_now(j->c->loop);

	if (j->deadline && now + ms > j->deadline)
		ms = j->deadline > now ? j->deadline - now : 0;
	ev_timer_start(j->c->loop, &j->timer, ms, on_timer);
}

static bool host_timed_out(const struct svd_vjob *j)
{
	return j->deadline && ev_now(j->c->loop) >= j->deadline;
}

static void send_probe(struct svd_vjob *j)
{
	const struct svd_probe *pr = cur(j);

	if (j->c->trace)
		fprintf(j->c->trace, "Service scan sending probe %s to %s:%u (tcp)\n",
			pr->name, j->h->addrstr, j->p->portno);
	j->sent_at = ev_now(j->c->loop);
	j->unsent = pr->no_payload ? 0 : pr->payload_len;
	arm(j, probe_wait(pr));
	ev_watch(j->c->loop, j->fd, EV_READ | (j->unsent ? EV_WRITE : 0), on_io, j);
}

/* Starts the current probe on a new connection. */
static void connect_probe(struct svd_vjob *j)
{
	drop_connection(j);
	j->len = 0;
	j->fd = net_connect(&j->h->addr, j->h->addrlen, j->p->portno);
	if (j->fd < 0 || ev_watch(j->c->loop, j->fd, EV_WRITE, on_io, j) < 0) {
		finish(j, OUT_INCOMPLETE);
		return;
	}
	j->connecting = true;
	arm(j, CONNECT_TIMEOUT_MS);
}

/*
 * The current probe is over without a hard match.  After the NULL probe
 * the next one goes out on the same connection, its response appended
 * to the banner; after any other, or once the peer closed, on a new one.
 */
static void probe_over(struct svd_vjob *j, bool peer_closed)
{
	bool reuse = is_null(j) && !peer_closed;

	if (!next_probe(j)) {
		finish(j, OUT_NOMATCH);
		return;
	}
	if (reuse) {
		send_probe(j);
		return;
	}
	connect_probe(j);
}

static bool time_left(const struct svd_vjob *j)
{
	return ev_now(j->c->loop) < j->sent_at + probe_wait(cur(j));
}

static void got_data(struct svd_vjob *j)
{
	struct svd_result r;
	const struct svd_match *m;

	m = svd_match_response(&j->c->mt, (unsigned)j->probe, j->resp, j->len, &r, NULL, NULL);
	if (m && !m->soft) {
		record_match(j, &r);
		finish(j, OUT_HARD);
		return;
	}
	if (m && !j->soft) {
		j->soft = m;
		record_match(j, &r);
	}
	if (time_left(j) && j->len < RESP_ENOUGH)
		return;
	add_to_fingerprint(j);
	probe_over(j, false);
}

/* EOF or a reset while reading: Nmap's tcpwrapped rule, else move on. */
static void peer_closed(struct svd_vjob *j, bool reset)
{
	const struct svd_probe *pr = cur(j);
	uint32_t wrapped = pr->tcpwrappedms ? pr->tcpwrappedms : DEFAULT_TCPWRAPPED_MS;

	if (!reset)
		add_to_fingerprint(j);
	if (is_null(j) && j->len == 0 && ev_now(j->c->loop) - j->sent_at < wrapped) {
		finish(j, OUT_TCPWRAPPED);
		return;
	}
	probe_over(j, true);
}

static void read_error(struct svd_vjob *j, int err)
{
	switch (err) {
	case ECONNRESET:
	case ECONNREFUSED:
	case ECONNABORTED:
		peer_closed(j, true);
		break;
	case ENETUNREACH:
	case EHOSTUNREACH:
		finish(j, OUT_INCOMPLETE);
		break;
	default:
		probe_over(j, true);
	}
}

static void read_some(struct svd_vjob *j)
{
	ssize_t n;

	if (!j->resp && !(j->resp = malloc(RESP_CAP))) {
		finish(j, OUT_INCOMPLETE);
		return;
	}
	n = recv(j->fd, j->resp + j->len, RESP_CAP - j->len, 0);
	if (n > 0) {
		j->len += (size_t)n;
		got_data(j);
	} else if (n == 0) {
		peer_closed(j, false);
	} else if (errno != EAGAIN && errno != EINTR) {
		read_error(j, errno);
	}
}

static void write_some(struct svd_vjob *j)
{
	const struct svd_probe *pr = cur(j);
	ssize_t n = send(j->fd, pr->payload + pr->payload_len - j->unsent, j->unsent,
			 MSG_NOSIGNAL);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		/* Nmap gives up on a service whose probe cannot be written. */
		finish(j, OUT_INCOMPLETE);
		return;
	}
	j->unsent -= (uint32_t)n;
	if (!j->unsent)
		ev_watch(j->c->loop, j->fd, EV_READ, on_io, j);
}

static void on_io(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	struct svd_vjob *j = arg;

	(void)l;
	(void)fd;
	if (j->connecting) {
		if (net_connect_error(j->fd)) {
			finish(j, OUT_INCOMPLETE);
			return;
		}
		j->connecting = false;
		send_probe(j);
		return;
	}
	if ((events & EV_WRITE) && j->unsent) {
		write_some(j);
		return; /* reads come on the next wakeup (level-triggered) */
	}
	if (events & EV_READ)
		read_some(j);
}

static void on_timer(struct ev_loop *l, struct ev_timer *t)
{
	struct svd_vjob *j = ev_container(t, struct svd_vjob, timer);

	(void)l;
	if (j->connecting || host_timed_out(j)) {
		finish(j, OUT_INCOMPLETE);
		return;
	}
	add_to_fingerprint(j);
	probe_over(j, false);
}

bool svd_vscan_start(struct svd_vscan_ctx *c, const struct svd_host *h,
		     struct svd_port *p, uint64_t deadline,
		     svd_vscan_done_fn *done, void *arg)
{
	struct svd_vjob *j = calloc(1, sizeof *j);

	if (!j)
		return false;
	j->c = c;
	j->h = h;
	j->p = p;
	j->deadline = deadline;
	j->done = done;
	j->arg = arg;
	j->fd = -1;
	j->stage = STAGE_NULL;
	j->probe = c->db->null_probe;
	if (j->probe < 0 && !next_probe(j))
		finish(j, OUT_NOMATCH); /* nothing to send at this intensity */
	else
		connect_probe(j);
	return true;
}
