/* FNM_CASEFOLD, a GNU extension: service names match in any case. */
#define _GNU_SOURCE

#include "ports.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ports_builtin.h"
#include "sigdb.h"

enum { NPORTS = 65536, NPROTOS = 2 };

static const char *const proto_names[NPROTOS] = { "TCP", "UDP" };

/* --- the services table ------------------------------------------------ */

static int add_entry(struct svd_services *s, size_t *cap, const char *name,
		     unsigned proto, unsigned port, double freq)
{
	struct svd_service_entry *e;

	if (s->n == *cap) {
		size_t ncap = *cap ? 2 * *cap : 256;

		e = realloc(s->v, ncap * sizeof *e);
		if (!e)
			return -1;
		s->v = e;
		*cap = ncap;
	}
	e = &s->v[s->n];
	e->name = strdup(name);
	if (!e->name)
		return -1;
	e->port = (uint16_t)port;
	e->proto = (uint8_t)proto;
	e->freq = freq;
	s->n++;
	return 0;
}

/*
 * One line "name port/proto [freq] [# comment]"; other protocols (sctp)
 * and lines that do not parse are skipped.
 */
static int load_line(struct svd_services *s, size_t *cap, char *line)
{
	char *save, *name, *pp, *fs, *end;
	unsigned long port;
	double freq = 0;
	unsigned proto;

	line[strcspn(line, "#")] = '\0';
	name = strtok_r(line, " \t\r\n", &save);
	pp = strtok_r(NULL, " \t\r\n", &save);
	fs = strtok_r(NULL, " \t\r\n", &save);
	if (!name || !pp)
		return 0;
	port = strtoul(pp, &end, 10);
	if (end == pp || port >= NPORTS)
		return 0;
	if (strcmp(end, "/tcp") == 0)
		proto = SVD_TCP;
	else if (strcmp(end, "/udp") == 0)
		proto = SVD_UDP;
	else
		return 0;
	if (fs)
		freq = strtod(fs, NULL);
	return add_entry(s, cap, name, proto, (unsigned)port, freq);
}

static int load_file(struct svd_services *s, size_t *cap, FILE *f)
{
	char *line = NULL;
	size_t linecap = 0;
	int rc = 0;

	while (rc == 0 && getline(&line, &linecap, f) >= 0)
		rc = load_line(s, cap, line);
	free(line);
	return rc;
}

/* Our own table; the frequencies only encode its order. */
static int load_builtin(struct svd_services *s, size_t *cap)
{
	size_t ntcp = sizeof builtin_tcp / sizeof *builtin_tcp;
	size_t nudp = sizeof builtin_udp / sizeof *builtin_udp;
	size_t i;

	for (i = 0; i < ntcp; i++)
		if (add_entry(s, cap, builtin_tcp[i].name, SVD_TCP, builtin_tcp[i].port,
			      (double)(ntcp - i) / ntcp))
			return -1;
	for (i = 0; i < nudp; i++)
		if (add_entry(s, cap, builtin_udp[i].name, SVD_UDP, builtin_udp[i].port,
			      (double)(nudp - i) / nudp))
			return -1;
	return 0;
}

/* by_port[proto][port] = 1 + the index of the port's first entry, or 0. */
static int build_index(struct svd_services *s)
{
	size_t i;
	unsigned p;

	for (p = 0; p < NPROTOS; p++)
		if (!(s->by_port[p] = calloc(NPORTS, sizeof *s->by_port[p])))
			return -1;
	for (i = s->n; i-- > 0;)
		s->by_port[s->v[i].proto][s->v[i].port] = (uint32_t)i + 1;
	return 0;
}

int svd_services_load(struct svd_services *s, const char *path)
{
	FILE *f = fopen(path, "r");
	size_t cap = 0;
	int rc = 0;

	memset(s, 0, sizeof *s);
	if (f) {
		rc = load_file(s, &cap, f);
		fclose(f);
	}
	if (rc == 0 && s->n == 0)
		rc = load_builtin(s, &cap);
	if (rc == 0)
		rc = build_index(s);
	if (rc)
		svd_services_free(s);
	return rc;
}

void svd_services_free(struct svd_services *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	free(s->by_port[0]);
	free(s->by_port[1]);
	memset(s, 0, sizeof *s);
}

static const struct svd_service_entry *entry(const struct svd_services *s,
					     unsigned proto, unsigned port)
{
	uint32_t i;

	if (proto >= NPROTOS || port >= NPORTS || !s->by_port[proto])
		return NULL;
	i = s->by_port[proto][port];
	return i ? &s->v[i - 1] : NULL;
}

const char *svd_service_name(const struct svd_services *s, unsigned proto, unsigned port)
{
	const struct svd_service_entry *e = entry(s, proto, port);

	return e ? e->name : NULL;
}

/* --- port sets ---------------------------------------------------------- */

struct port_sets {
	uint8_t bit[NPROTOS][NPORTS / 8];
};

static void set_port(struct port_sets *ps, unsigned proto, unsigned port)
{
	ps->bit[proto][port / 8] |= (uint8_t)(1u << port % 8);
}

static bool has_port(const struct port_sets *ps, unsigned proto, unsigned port)
{
	return ps->bit[proto][port / 8] >> port % 8 & 1;
}

/* The ports of one protocol, ascending (malloc'd; NULL if none or no memory). */
static uint16_t *set_to_list(const struct port_sets *ps, unsigned proto, size_t *n)
{
	uint16_t *v;
	unsigned p;

	*n = 0;
	for (p = 0; p < NPORTS; p++)
		*n += has_port(ps, proto, p);
	if (*n == 0 || !(v = malloc(*n * sizeof *v)))
		return NULL;
	*n = 0;
	for (p = 0; p < NPORTS; p++)
		if (has_port(ps, proto, p))
			v[(*n)++] = (uint16_t)p;
	return v;
}

static int sets_to_portlist(struct svd_portlist *pl, const struct port_sets *ps)
{
	memset(pl, 0, sizeof *pl);
	pl->tcp = set_to_list(ps, SVD_TCP, &pl->ntcp);
	pl->udp = set_to_list(ps, SVD_UDP, &pl->nudp);
	if ((pl->ntcp && !pl->tcp) || (pl->nudp && !pl->udp)) {
		svd_portlist_free(pl);
		return -1;
	}
	return 0;
}

/* --- -p syntax ---------------------------------------------------------- */

struct spec_parser {
	struct port_sets *ps;
	const struct svd_services *s;
	const char *spec;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int spec_error(struct spec_parser *sp, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(sp->err, sp->errlen, "bad port spec '%s': %s", sp->spec, why);
	return -1;
}

/* A decimal at *p (advanced past it): its value, 65536 if larger, -1 if none. */
static long port_number(const char **p, const char *end)
{
	long v = 0;
	bool any = false;

	for (; *p < end && **p >= '0' && **p <= '9'; (*p)++) {
		v = v * 10 + (**p - '0');
		if (v >= NPORTS)
			v = NPORTS;
		any = true;
	}
	return any ? v : -1;
}

/*
 * N, N-M, -M (from 1), N- (to 65535) or - (1-65535) filling [p, end).
 * Returns 1 if it is one, 0 if it is not range syntax, -1 after an error.
 */
static int parse_range(struct spec_parser *sp, const char *p, const char *end,
		       unsigned *lo, unsigned *hi)
{
	const char *item = p;
	long a = 1, b = NPORTS - 1;

	if (p == end || (*p != '-' && (a = port_number(&p, end)) < 0))
		return 0;
	if (p == end) {
		b = a;
	} else if (*p == '-') {
		if (++p < end && (b = port_number(&p, end)) < 0)
			return 0;
	}
	if (p != end)
		return 0;
	if (a >= NPORTS || b >= NPORTS)
		return spec_error(sp, "'%.*s': ports are 0-65535", (int)(end - item), item);
	if (a > b)
		return spec_error(sp, "'%.*s': range is reversed", (int)(end - item), item);
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return 1;
}

/* "TCP", "UDP" or "TCP or UDP": the protocols of a set of bits. */
static const char *protos_name(unsigned protos)
{
	return protos == (SVD_SCAN_TCP | SVD_SCAN_UDP) ? "TCP or UDP" :
	       protos & SVD_SCAN_UDP ? proto_names[SVD_UDP] : proto_names[SVD_TCP];
}

/* Every port of the table, of the protocols in protos, whose name
 * matches the pattern [p, end). */
static int add_names(struct spec_parser *sp, unsigned protos, const char *p, const char *end)
{
	char pattern[128];
	size_t i, found = 0;

	if ((size_t)(end - p) >= sizeof pattern)
		return spec_error(sp, "service name too long");
	memcpy(pattern, p, (size_t)(end - p));
	pattern[end - p] = '\0';
	for (i = 0; i < sp->s->n; i++) {
		const struct svd_service_entry *e = &sp->s->v[i];

		if ((protos >> e->proto & 1) && fnmatch(pattern, e->name, FNM_CASEFOLD) == 0) {
			set_port(sp->ps, e->proto, e->port);
			found++;
		}
	}
	if (!found)
		return spec_error(sp, "no %s service '%s' in the services table",
				  protos_name(protos), pattern);
	return 0;
}

/* One comma-separated item, its protocol prefix already taken off, for
 * each protocol in protos. */
static int add_item(struct spec_parser *sp, unsigned protos, const char *p, const char *end)
{
	bool bracket = p < end && *p == '[';
	unsigned lo = 0, hi = 0, port, proto;
	int rc;

	if (p == end)
		return spec_error(sp, "empty item");
	if (bracket) {
		if (end[-1] != ']' || end - p < 2)
			return spec_error(sp, "'[' without ']'");
		p++;
		end--;
	}
	rc = parse_range(sp, p, end, &lo, &hi);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return bracket ? spec_error(sp, "'[%.*s]' is not a port range",
					    (int)(end - p), p)
			       : add_names(sp, protos, p, end);
	for (proto = 0; proto < NPROTOS; proto++)
		for (port = lo; (protos >> proto & 1) && port <= hi; port++)
			if (!bracket || entry(sp->s, proto, port))
				set_port(sp->ps, proto, port);
	return 0;
}

/* Takes a T:, U: or S: prefix off *p, making *protos that protocol. */
static int take_prefix(struct spec_parser *sp, const char **p, const char *end,
		       unsigned *protos)
{
	char c;

	if (end - *p < 2 || (*p)[1] != ':')
		return 0;
	c = (*p)[0];
	if (c == 'T' || c == 't')
		*protos = SVD_SCAN_TCP;
	else if (c == 'U' || c == 'u')
		*protos = SVD_SCAN_UDP;
	else if (c == 'S' || c == 's')
		return spec_error(sp, "SCTP ports (S:) are not supported");
	else
		return spec_error(sp, "unknown protocol prefix '%c:' (T: or U:)", c);
	*p += 2;
	return 0;
}

int svd_ports_parse(struct svd_portlist *pl, const char *spec, unsigned protos,
		    const struct svd_services *s, char *err, size_t errlen)
{
	struct spec_parser sp = { NULL, s, spec, err, errlen };
	const char *p = spec, *end;
	int rc = 0;

	memset(pl, 0, sizeof *pl);
	if (!*spec)
		return spec_error(&sp, "empty");
	sp.ps = calloc(1, sizeof *sp.ps);
	if (!sp.ps)
		return spec_error(&sp, "out of memory");
	for (;;) {
		end = p + strcspn(p, ",");
		rc = take_prefix(&sp, &p, end, &protos);
		if (rc == 0)
			rc = add_item(&sp, protos, p, end);
		if (rc || !*end)
			break;
		p = end + 1;
	}
	if (rc == 0 && sets_to_portlist(pl, sp.ps))
		rc = spec_error(&sp, "out of memory");
	if (rc == 0 && pl->ntcp + pl->nudp == 0)
		rc = spec_error(&sp, "no ports");
	free(sp.ps);
	return rc;
}

/* --- top ports ---------------------------------------------------------- */

/* Most frequent first; ties to the lower port, as Nmap orders them. */
static int by_frequency(const void *a, const void *b)
{
	const struct svd_service_entry *x = *(const struct svd_service_entry *const *)a;
	const struct svd_service_entry *y = *(const struct svd_service_entry *const *)b;

	if (x->freq != y->freq)
		return x->freq > y->freq ? -1 : 1;
	return (x->port > y->port) - (x->port < y->port);
}

/* The n most frequent of the table's ports of proto in within (all if NULL). */
static int top_ports(const struct svd_services *s, unsigned proto, size_t n,
		     const struct port_sets *within, uint16_t **out, size_t *nout)
{
	const struct svd_service_entry **cand;
	struct port_sets *chosen;
	size_t i, ncand = 0;

	*out = NULL;
	*nout = 0;
	cand = malloc((s->n + 1) * sizeof *cand);
	chosen = calloc(1, sizeof *chosen);
	if (!cand || !chosen) {
		free(cand);
		free(chosen);
		return -1;
	}
	for (i = 0; i < s->n; i++) {
		const struct svd_service_entry *e = &s->v[i];

		/* Only a port's first entry counts, and port 0 is never a top port. */
		if (e->proto == proto && e->port != 0 && entry(s, proto, e->port) == e &&
		    (!within || has_port(within, proto, e->port)))
			cand[ncand++] = e;
	}
	qsort(cand, ncand, sizeof *cand, by_frequency);
	for (i = 0; i < ncand && i < n; i++)
		set_port(chosen, proto, cand[i]->port);
	*out = set_to_list(chosen, proto, nout);
	free(cand);
	free(chosen);
	return *nout && !*out ? -1 : 0;
}

int svd_ports_top(struct svd_portlist *pl, const struct svd_services *s, size_t n,
		  unsigned protos)
{
	memset(pl, 0, sizeof *pl);
	if (((protos & SVD_SCAN_TCP) && top_ports(s, SVD_TCP, n, NULL, &pl->tcp, &pl->ntcp)) ||
	    ((protos & SVD_SCAN_UDP) && top_ports(s, SVD_UDP, n, NULL, &pl->udp, &pl->nudp))) {
		svd_portlist_free(pl);
		return -1;
	}
	return 0;
}

int svd_ports_top_of(struct svd_portlist *pl, const struct svd_services *s, size_t n)
{
	struct port_sets *within = calloc(1, sizeof *within);
	struct svd_portlist top = { NULL, NULL, 0, 0 };
	size_t i;
	int rc;

	if (!within)
		return -1;
	for (i = 0; i < pl->ntcp; i++)
		set_port(within, SVD_TCP, pl->tcp[i]);
	for (i = 0; i < pl->nudp; i++)
		set_port(within, SVD_UDP, pl->udp[i]);
	rc = top_ports(s, SVD_TCP, n, within, &top.tcp, &top.ntcp);
	if (rc == 0)
		rc = top_ports(s, SVD_UDP, n, within, &top.udp, &top.nudp);
	free(within);
	if (rc) {
		svd_portlist_free(&top);
		return -1;
	}
	svd_portlist_free(pl);
	*pl = top;
	return 0;
}

void svd_portlist_free(struct svd_portlist *pl)
{
	free(pl->tcp);
	free(pl->udp);
	memset(pl, 0, sizeof *pl);
}

char *svd_ports_format(const uint16_t *ports, size_t n)
{
	/* "65535-65535," at most per port */
	char *buf = malloc(n * 12 + 1), *o = buf;
	size_t i = 0, j;

	if (!buf)
		return NULL;
	*o = '\0';
	while (i < n) {
		for (j = i; j + 1 < n && ports[j + 1] == ports[j] + 1; j++)
			;
		o += sprintf(o, i ? ",%u" : "%u", (unsigned)ports[i]);
		if (j > i)
			o += sprintf(o, "-%u", (unsigned)ports[j]);
		i = j + 1;
	}
	return buf;
}
