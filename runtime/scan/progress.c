#include "progress.h"

#include <string.h>
#include <time.h>

#include "escape.h"

/* Beyond this an estimate means nothing: Nmap's "Unknown (>10 days remaining)". */
enum { ETC_MAX_S = 10 * 24 * 3600 };

/* Below 1% done the rate so far says too little for an estimate. */
#define ESTIMATE_FROM 0.01
/* Never "100.00% done" while something is left. */
#define SHOWN_MAX 0.9999

/* The wall clock's hour and minute s seconds from now, "04:12". */
static void clock_at(char buf[8], time_t s)
{
	time_t t = time(NULL) + s;
	struct tm tm;

	if (!localtime_r(&t, &tm) || strftime(buf, 8, "%H:%M", &tm) == 0)
		strcpy(buf, "Unknown");
}

static void say(struct svd_progress *p, const char *line)
{
	fputs(line, p->out);
	fflush(p->out);
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void begin_task(struct svd_progress *p, struct svd_task *t, uint64_t now_ms)
{
	char line[128], hhmm[8];

	t->begun = true;
	t->began_ms = now_ms;
	if (!p->out || !p->verbose)
		return;
	clock_at(hhmm, 0);
	snprintf(line, sizeof line, "Initiating %s at %s\n", t->name, hhmm);
	say(p, line);
}

/* "Completed Connect Scan at 04:12, 0.01s elapsed (1000 total ports)". */
static void end_task(struct svd_progress *p, struct svd_task *t, uint64_t now_ms,
		     const char *what)
{
	char line[256], hhmm[8];

	t->ended = true;
	if (!p->out || !p->verbose)
		return;
	clock_at(hhmm, 0);
	snprintf(line, sizeof line, "Completed %s at %s, %.2fs elapsed (%s)\n", t->name, hhmm,
		 (double)(now_ms - t->began_ms) / 1000, what);
	say(p, line);
}

/* Either task over once all it was to do is done; the service scan only
 * after the connect scan, which may still find it work. */
static void maybe_end(struct svd_progress *p, uint64_t now_ms)
{
	char what[96];

	if (!p->connect.ended && p->connect.done >= p->connect.total) {
		if (p->connect.timed_out)
			snprintf(what, sizeof what, "%zu %s timed out", p->connect.timed_out,
				 plural(p->connect.timed_out, "host", "hosts"));
		else
			snprintf(what, sizeof what, "%zu total ports", p->connect.total);
		end_task(p, &p->connect, now_ms, what);
	}
	if (p->connect.ended && p->service.begun && !p->service.ended &&
	    p->service.done >= p->service.total) {
		if (p->service.timed_out)
			snprintf(what, sizeof what, "%zu %s timed out", p->service.timed_out,
				 plural(p->service.timed_out, "host", "hosts"));
		else
			snprintf(what, sizeof what, "%zu %s on %zu %s", p->service.done,
				 plural(p->service.done, "service", "services"), p->nhosts,
				 plural(p->nhosts, "host", "hosts"));
		end_task(p, &p->service, now_ms, what);
	}
}

void svd_progress_start(struct svd_progress *p, FILE *out, int verbose, uint64_t now_ms,
			const struct svd_host *hosts, size_t nhosts, size_t nports, bool udp_only)
{
	char line[512], name[300];

	memset(p, 0, sizeof *p);
	p->out = out;
	p->verbose = verbose;
	p->started_ms = now_ms;
	p->nhosts = nhosts;
	p->connect.name = udp_only ? "UDP Scan" : "Connect Scan";
	p->connect.total = nhosts * nports;
	p->service.name = "Service scan";
	if (p->connect.total == 0) {
		p->connect.ended = true; /* nothing to scan: no task, as Nmap */
		return;
	}
	begin_task(p, &p->connect, now_ms);
	if (!out || !verbose)
		return;
	/* Nmap names the host as it knows it then: its PTR name is not
	 * looked up yet here, so the name given, if any, and the address. */
	if (nhosts == 1 && hosts[0].name && strcmp(hosts[0].name, hosts[0].addrstr) != 0)
		snprintf(line, sizeof line, "Scanning %s (%s) [%zu %s]\n",
			 escape_for_log(name, sizeof name, hosts[0].name), hosts[0].addrstr,
			 nports, plural(nports, "port", "ports"));
	else if (nhosts == 1)
		snprintf(line, sizeof line, "Scanning %s [%zu %s]\n", hosts[0].addrstr, nports,
			 plural(nports, "port", "ports"));
	else
		snprintf(line, sizeof line, "Scanning %zu hosts [%zu %s/host]\n", nhosts, nports,
			 plural(nports, "port", "ports"));
	say(p, line);
}

void svd_progress_port_scanned(struct svd_progress *p, uint64_t now_ms,
			       const struct svd_host *h, const struct svd_port *port,
			       bool to_probe)
{
	char line[128];

	p->connect.done++;
	if (to_probe)
		p->service.total++;
	if (p->out && p->verbose && port->state == SVD_PORT_OPEN) {
		snprintf(line, sizeof line, "Discovered open port %u/%s on %s\n", port->portno,
			 port->proto == SVD_UDP ? "udp" : "tcp", h->addrstr);
		say(p, line);
	}
	maybe_end(p, now_ms);
}

void svd_progress_service_started(struct svd_progress *p, uint64_t now_ms)
{
	if (!p->service.begun)
		begin_task(p, &p->service, now_ms);
}

void svd_progress_service_done(struct svd_progress *p, uint64_t now_ms)
{
	p->service.done++;
	maybe_end(p, now_ms);
}

void svd_progress_host_done(struct svd_progress *p, uint64_t now_ms, const struct svd_host *h,
			    size_t unscanned, size_t unprobed)
{
	p->hosts_done++;
	p->hosts_up += h->up;
	p->connect.total -= unscanned;
	p->service.total -= unprobed;
	if (h->timed_out) {
		p->connect.timed_out += unscanned > 0;
		p->service.timed_out += unprobed > 0;
	}
	maybe_end(p, now_ms);
}

/* "Service scan Timing: About 45.00% done; ETC: 04:12 (0:00:07 remaining)";
 * the estimate assumes the rest goes at the task's average rate so far. */
static void timing_line(struct svd_progress *p, const struct svd_task *t, uint64_t now_ms)
{
	double share = t->total ? (double)t->done / (double)t->total : 0, left;
	char line[160], hhmm[8];
	unsigned long s;

	if (share < ESTIMATE_FROM) {
		snprintf(line, sizeof line, "%s Timing: About %.2f%% done\n", t->name, share * 100);
		say(p, line);
		return;
	}
	left = (double)(now_ms - t->began_ms) / 1000 * (double)(t->total - t->done) /
	       (double)t->done;
	if (share > SHOWN_MAX)
		share = SHOWN_MAX;
	if (left > ETC_MAX_S) {
		snprintf(line, sizeof line,
			 "%s Timing: About %.2f%% done; ETC: Unknown (>10 days remaining)\n",
			 t->name, share * 100);
		say(p, line);
		return;
	}
	s = (unsigned long)left;
	clock_at(hhmm, (time_t)s);
	snprintf(line, sizeof line, "%s Timing: About %.2f%% done; ETC: %s (%lu:%02lu:%02lu remaining)\n",
		 t->name, share * 100, hhmm, s / 3600, s / 60 % 60, s % 60);
	say(p, line);
}

void svd_progress_status(struct svd_progress *p, uint64_t now_ms, size_t active)
{
	/* The connect scan's until it is over, then the service scan's. */
	const struct svd_task *t = p->connect.ended && p->service.begun ? &p->service : &p->connect;
	unsigned long s = (unsigned long)((now_ms - p->started_ms) / 1000);
	char line[192];

	if (!p->out)
		return;
	snprintf(line, sizeof line, "Stats: %lu:%02lu:%02lu elapsed; %zu hosts completed (%zu up), "
		 "%zu undergoing %s\n", s / 3600, s / 60 % 60, s % 60, p->hosts_done, p->hosts_up,
		 active, t == &p->service ? "Service Scan" : t->name);
	say(p, line);
	if (t->begun && !t->ended)
		timing_line(p, t, now_ms);
}
