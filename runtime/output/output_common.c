/*
 * The rules the output formats share, after Nmap 7.93's
 * Port::getNmapServiceName(), serviceDeductions::populateFullVersionString()
 * and setServiceProbeResults() (portlist.cc), PortList::isIgnoredState()
 * and nextIgnoredState() (portlist.cc), get_state_reason_summary()
 * (portreasons.cc) and printserviceinfooutput() (output.cc).
 */
#include "output_common.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "escape.h"

/* Nmap's service name: an open port guessed from the table gets a "?". */
static void display_name(char *buf, size_t size, const struct svd_port *p)
{
	const struct svd_service *svc = &p->svc;
	const char *tunnel = svc->ssl ? "ssl/" : "";
	int n;

	if (svc->name[0] && strcmp(svc->name, "unknown") != 0)
		n = snprintf(buf, size, "%s%s%s", tunnel, svc->name,
			     p->state == SVD_PORT_OPEN && svc->conf <= 5 ? "?" : "");
	else
		n = snprintf(buf, size, "%sunknown", tunnel);
	if (n < 0 || (size_t)n >= size)
		buf[0] = '\0';
}

/* Copies s into room bytes, ending a cut one in "..."; returns the bytes used. */
static size_t put_cut(char *dst, const char *s, size_t room)
{
	size_t n = strlen(s);

	if (n <= room) {
		memcpy(dst, s, n);
		return n;
	}
	memcpy(dst, s, room - 3);
	memcpy(dst + room - 3, "...", 3);
	return room;
}

/*
 * "product version (extrainfo)" in Nmap's 160-byte buffer: a part that
 * does not fit is cut with "...", and once fewer than 8 bytes are left
 * the remaining parts are dropped.
 */
static void full_version(char *out, const struct svd_version *v)
{
	size_t left = SVD_OUT_FULLVERSION - 1, len = 0, used;
	bool pad = false;

	if (v->product[0] && left >= 8) {
		used = put_cut(out, v->product, left);
		len += used;
		left -= used;
		pad = true;
	}
	if (v->version[0] && left >= 8) {
		if (pad) {
			out[len++] = ' ';
			left--;
		}
		used = put_cut(out + len, v->version, left);
		len += used;
		left -= used;
		pad = true;
	}
	if (v->info[0] && left >= 8) {
		if (pad) {
			out[len++] = ' ';
			left--;
		}
		out[len++] = '(';
		used = put_cut(out + len, v->info, left - 2);
		len += used;
		out[len++] = ')';
	}
	out[len] = '\0';
}

void svd_out_service(struct svd_out_service *s, const struct svd_port *p)
{
	const struct svd_service *svc = &p->svc;

	s->v = svc->v;
	svd_version_make_printable(&s->v);
	s->ncpe = 0;
	if (s->v.cpe_a[0])
		s->cpe[s->ncpe++] = s->v.cpe_a;
	if (s->v.cpe_h[0])
		s->cpe[s->ncpe++] = s->v.cpe_h;
	if (s->v.cpe_o[0])
		s->cpe[s->ncpe++] = s->v.cpe_o;
	s->known = svc->name[0] || svc->fingerprint || svc->ssl;
	s->name = svc->name[0] ? svc->name : "unknown";
	display_name(s->display, sizeof s->display, p);
	full_version(s->fullversion, &s->v);
}

const char *svd_out_state_name(unsigned state)
{
	static const char *const names[SVD_PORT_NSTATES] = {
		[SVD_PORT_OPEN] = "open",
		[SVD_PORT_CLOSED] = "closed",
		[SVD_PORT_FILTERED] = "filtered",
		[SVD_PORT_OPEN_FILTERED] = "open|filtered",
	};

	return state < SVD_PORT_NSTATES ? names[state] : "unknown";
}

const char *svd_out_proto_name(unsigned proto)
{
	return proto == SVD_UDP ? "udp" : "tcp";
}

/*
 * More than 25 ports (times -v + 1) in a state are summed up, never open
 * ones, nor open|filtered ones at -vvv; --open sums up every state that
 * cannot be open, and treats open|filtered as any other (Nmap's
 * isIgnoredState).
 */
static bool state_ignored(const struct svd_run *run, const struct svd_host *h,
			  unsigned state)
{
	size_t count = h->count[state], max = 25;

	if (state == SVD_PORT_OPEN || (state == SVD_PORT_OPEN_FILTERED && run->verbose > 2))
		return false;
	if (run->open_only && state != SVD_PORT_OPEN_FILTERED && count > 0)
		return true;
	if (run->verbose > 0)
		max *= (size_t)run->verbose + 1;
	return count > max;
}

void svd_out_layout(struct svd_out_layout *l, const struct svd_run *run,
		    const struct svd_host *h)
{
	unsigned st;
	size_t i;

	l->norder = 0;
	l->nignored = 0;
	for (st = 0; st < SVD_PORT_NSTATES; st++) {
		l->ignored[st] = state_ignored(run, h, st);
		if (!l->ignored[st])
			continue;
		l->nignored += h->count[st];
		/* Our enum orders states as Nmap's does: ties keep it. */
		for (i = l->norder; i > 0 && h->count[l->order[i - 1]] < h->count[st]; i--)
			l->order[i] = l->order[i - 1];
		l->order[i] = st;
		l->norder++;
	}
}

const char *svd_out_reason_of(const struct svd_port *p)
{
	return p->reason ? p->reason : "unknown";
}

static bool in_group(const struct svd_port *p, unsigned state,
		     const struct svd_out_reason *r)
{
	return p->state == state && p->proto == r->proto &&
	       strcmp(svd_out_reason_of(p), r->reason) == 0;
}

/*
 * Nmap merge-sorts its list of groups by count, a tie going to the group
 * from the later run: equal counts come out in reverse order of first
 * sight.  Reversing and then sorting stably gives the same.
 */
static void nmap_reason_order(struct svd_out_reason *r, size_t n)
{
	struct svd_out_reason t;
	size_t i, j;

	for (i = 0; i < n / 2; i++) {
		t = r[i];
		r[i] = r[n - 1 - i];
		r[n - 1 - i] = t;
	}
	for (i = 1; i < n; i++) {
		t = r[i];
		for (j = i; j > 0 && r[j - 1].count < t.count; j--)
			r[j] = r[j - 1];
		r[j] = t;
	}
}

struct svd_out_reason *svd_out_reasons(const struct svd_host *h, unsigned state,
				       size_t *n)
{
	struct svd_out_reason *r = NULL, *grown;
	size_t i, g, cap = 0;

	*n = 0;
	for (i = 0; i < h->nports; i++) {
		const struct svd_port *p = &h->ports[i];

		if (p->state != state)
			continue;
		for (g = 0; g < *n && !in_group(p, state, &r[g]); g++)
			;
		if (g == *n) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 4;
				grown = realloc(r, cap * sizeof *r);
				if (!grown) {
					free(r);
					*n = 0;
					return NULL;
				}
				r = grown;
			}
			r[g] = (struct svd_out_reason){ p->proto, svd_out_reason_of(p), 0 };
			(*n)++;
		}
		r[g].count++;
	}
	nmap_reason_order(r, *n);
	return r;
}

void svd_out_port_ranges(FILE *f, const struct svd_host *h, unsigned state,
			 const struct svd_out_reason *r)
{
	const char *sep = "";
	size_t i = 0, j;

	while (i < h->nports) {
		if (!in_group(&h->ports[i], state, r)) {
			i++;
			continue;
		}
		for (j = i; j + 1 < h->nports && in_group(&h->ports[j + 1], state, r) &&
			    h->ports[j + 1].portno == h->ports[j].portno + 1; j++)
			;
		if (j == i)
			fprintf(f, "%s%u", sep, h->ports[i].portno);
		else
			fprintf(f, "%s%u-%u", sep, h->ports[i].portno, h->ports[j].portno);
		sep = ",";
		i = j + 1;
	}
}

/* Adds s to list unless there (by same) or full; s == "" is never added. */
static void add_unique(char *list, size_t width, size_t *n, const char *s,
		       int (*same)(const char *, const char *))
{
	size_t i;

	if (!*s)
		return;
	for (i = 0; i < *n; i++)
		if (same(list + i * width, s) == 0)
			return;
	if (*n < SVD_OUT_INFO_MAX)
		snprintf(list + (*n)++ * width, width, "%s", s);
}

void svd_out_info(struct svd_out_info *info, const struct svd_host *h)
{
	struct svd_out_service s;
	size_t i;

	info->nhosts = info->nostypes = info->ndevtypes = info->ncpes = 0;
	for (i = 0; i < h->nports; i++) {
		if (h->ports[i].state != SVD_PORT_OPEN)
			continue;
		svd_out_service(&s, &h->ports[i]);
		/* A name the PTR record already gives is no news. */
		if (!h->rdns || strcasecmp(h->rdns, s.v.hostname) != 0)
			add_unique(&info->hosts[0][0], sizeof info->hosts[0],
				   &info->nhosts, s.v.hostname, strcasecmp);
		add_unique(&info->ostypes[0][0], sizeof info->ostypes[0],
			   &info->nostypes, s.v.ostype, strcmp);
		add_unique(&info->devtypes[0][0], sizeof info->devtypes[0],
			   &info->ndevtypes, s.v.devtype, strcmp);
		/* Application CPEs belong to one port, not to the host. */
		add_unique(&info->cpes[0][0], sizeof info->cpes[0], &info->ncpes,
			   s.v.cpe_h, strcmp);
		add_unique(&info->cpes[0][0], sizeof info->cpes[0], &info->ncpes,
			   s.v.cpe_o, strcmp);
	}
}

void svd_out_name_ip(char *buf, size_t size, const struct svd_host *h)
{
	const char *name = h->rdns && *h->rdns ? h->rdns : h->name;
	char safe[SVD_OUT_HOSTNAME];

	if (name)
		snprintf(buf, size, "%s (%s)", escape_for_log(safe, sizeof safe, name), h->addrstr);
	else
		snprintf(buf, size, "%s", h->addrstr);
}

void svd_out_ctime(char *buf, size_t size, const struct timespec *t)
{
	struct tm tm;

	if (!localtime_r(&t->tv_sec, &tm) ||
	    strftime(buf, size, "%a %b %e %H:%M:%S %Y", &tm) == 0)
		snprintf(buf, size, "%lld", (long long)t->tv_sec);
}

double svd_out_elapsed(const struct timespec *start, const struct timespec *end)
{
	return (double)(end->tv_sec - start->tv_sec) +
	       (double)(end->tv_nsec - start->tv_nsec) / 1e9;
}

void svd_out_done_summary(char *buf, size_t size, const struct svd_run *run)
{
	size_t total = run->hosts_up + run->hosts_down;

	snprintf(buf, size, "%zu IP address%s (%zu host%s up) scanned in %.2f seconds",
		 total, total == 1 ? "" : "es", run->hosts_up,
		 run->hosts_up == 1 ? "" : "s",
		 svd_out_elapsed(&run->start, &run->end));
}

void svd_out_stopped(char *buf, size_t size, const struct svd_run *run)
{
	if (run->hosts_unscanned)
		snprintf(buf, size, "%s; %zu IP address%s not scanned", run->stopped,
			 run->hosts_unscanned, run->hosts_unscanned == 1 ? "" : "es");
	else
		snprintf(buf, size, "%s", run->stopped);
}

void svd_out_comment_header(FILE *f, const struct svd_run *run)
{
	char when[64];

	svd_out_ctime(when, sizeof when, &run->start);
	fprintf(f, "# svdetect %s scan initiated %s as: %s\n", run->scanner_version,
		when, run->args);
}

void svd_out_comment_footer(FILE *f, const struct svd_run *run)
{
	char when[64], summary[128], note[512];

	if (run->stopped) {
		svd_out_stopped(note, sizeof note, run);
		fprintf(f, "# svdetect stopped early: %s\n", note);
	}
	svd_out_ctime(when, sizeof when, &run->end);
	svd_out_done_summary(summary, sizeof summary, run);
	fprintf(f, "# svdetect done at %s -- %s\n", when, summary);
}

char *svd_out_fp_unwrapped(const char *fp)
{
	char *out = malloc(strlen(fp) + 1), *o = out;
	const char *brk;

	if (!out)
		return NULL;
	while ((brk = strstr(fp, "\nSF:")) != NULL) {
		memcpy(o, fp, (size_t)(brk - fp));
		o += brk - fp;
		fp = brk + 4;
	}
	strcpy(o, fp);
	return out;
}

bool svd_out_host_hidden(const struct svd_run *run, const struct svd_host *h)
{
	return run->open_only && h->count[SVD_PORT_OPEN] == 0 &&
	       h->count[SVD_PORT_OPEN_FILTERED] == 0;
}

/*
 * Nmap rounds the seconds to two significant digits and prints as many
 * decimals as that takes ("0.000034", "0.0010", "1.2", "120").  In whole
 * microseconds the rounding is exact, so no floating point is needed.
 */
void svd_out_latency(char *buf, size_t size, long srtt_us)
{
	long long us = srtt_us, scale = 1;
	int digits = 1, decimals, len;
	char *dot;

	for (; us / scale >= 10; scale *= 10)
		digits++;
	/* Keep two digits: drop the rest, rounding half up. */
	if (digits > 2) {
		scale /= 10;
		us = (us + scale / 2) / scale * scale;
	}
	decimals = digits >= 8 ? 0 : 8 - digits;
	/* All 7 decimals of the seconds, then cut: the dropped ones are 0. */
	len = snprintf(buf, size, "%lld.%06lld0", us / 1000000, us % 1000000);
	dot = strchr(buf, '.');
	if (len < 0 || (size_t)len >= size || !dot)
		return;
	dot[decimals ? decimals + 1 : 0] = '\0';
}
