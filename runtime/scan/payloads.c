#include "payloads.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/*
 * Bounds on a payload file, which nothing but Nmap's own should be: its
 * size (Nmap's is 30 KB) and the (port, payload) pairs it may make, as a
 * range such as 1-65535 makes one per port.
 */
enum { FILE_MAX = 4 << 20, PAIRS_MAX = 1 << 20, NPORTS = 65536 };

/* While loading: payloads in order, and (port, payload) pairs. */
struct builder {
	struct bpay {
		const unsigned char *data; /* a probe's; NULL: at off in the file's store */
		size_t off;
		uint32_t len;
		int probe;
	} *pay;
	size_t npay, cappay;
	struct pair {
		uint16_t port;
		uint32_t pay;    /* index into pay; pairs are made in file order */
	} *pairs;
	size_t npairs, cappairs;
	uint8_t per_port[NPORTS];
	bool capped;         /* a limit dropped pairs */
};

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *bigger;

	if (need <= *cap)
		return 0;
	ncap = *cap ? 2 * *cap : 64;
	if (!(bigger = realloc(*v, ncap * size)))
		return -1;
	*v = bigger;
	*cap = ncap;
	return 0;
}

static int add_payload(struct builder *b, const unsigned char *data, size_t off, uint32_t len,
		       int probe)
{
	if (grow((void **)&b->pay, &b->cappay, b->npay + 1, sizeof *b->pay))
		return -1;
	b->pay[b->npay++] = (struct bpay){ data, off, len, probe };
	return 0;
}

/* Port port gets the last payload added, within Nmap's 255 per port. */
static int add_pair(struct builder *b, unsigned port)
{
	if (b->per_port[port] == SVD_PAYLOADS_PER_PORT || b->npairs == PAIRS_MAX) {
		b->capped = true;
		return 0;
	}
	if (grow((void **)&b->pairs, &b->cappairs, b->npairs + 1, sizeof *b->pairs))
		return -1;
	b->per_port[port]++;
	b->pairs[b->npairs++] = (struct pair){ (uint16_t)port, (uint32_t)(b->npay - 1) };
	return 0;
}

static int by_port(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return (x->pay > y->pay) - (x->pay < y->pay);
}

/* pl from what b gathered: the pairs by port, each port's in file order. */
static int finish(struct svd_payloads *pl, struct builder *b)
{
	size_t i;

	if (b->npairs) /* none: no array at all, which qsort may not take */
		qsort(b->pairs, b->npairs, sizeof *b->pairs, by_port);
	pl->list = malloc((b->npairs ? b->npairs : 1) * sizeof *pl->list);
	pl->ports = malloc((b->npairs ? b->npairs : 1) * sizeof *pl->ports);
	if (!pl->list || !pl->ports)
		return -1;
	for (i = 0; i < b->npairs; i++) {
		const struct bpay *bp = &b->pay[b->pairs[i].pay];

		if (i == 0 || b->pairs[i].port != b->pairs[i - 1].port)
			pl->ports[pl->nports++] =
				(struct svd_payload_port){ b->pairs[i].port, 0, (uint32_t)i };
		pl->ports[pl->nports - 1].n++;
		/* An empty file payload may have no store at all. */
		pl->list[i] = (struct svd_payload){
			bp->data ? bp->data : pl->bytes ? pl->bytes + bp->off : (const unsigned char *)"",
			bp->len, bp->probe };
	}
	return 0;
}

static struct builder *builder_new(void)
{
	return calloc(1, sizeof(struct builder));
}

static void builder_free(struct builder *b)
{
	if (b) {
		free(b->pay);
		free(b->pairs);
		free(b);
	}
}

bool svd_payloads_in_probes(const struct svd_sigdb *db)
{
	uint32_t i;

	for (i = 0; i < db->nprobes; i++)
		if (db->probes[i].no_payload)
			return true;
	return false;
}

int svd_payloads_from_probes(struct svd_payloads *pl, const struct svd_sigdb *db)
{
	struct builder *b = builder_new();
	uint32_t i, r, port;
	int rc = b ? 0 : -1;

	memset(pl, 0, sizeof *pl);
	pl->from_probes = true;
	for (i = 0; rc == 0 && i < db->nprobes; i++) {
		const struct svd_probe *pr = &db->probes[i];

		if (pr->proto != SVD_UDP || pr->no_payload)
			continue;
		rc = add_payload(b, pr->payload, 0, pr->payload_len, (int)i);
		for (r = 0; rc == 0 && r < pr->nports; r++)
			for (port = pr->ports[r].lo; rc == 0 && port <= pr->ports[r].hi; port++)
				rc = add_pair(b, port);
	}
	if (rc == 0)
		rc = finish(pl, b);
	builder_free(b);
	if (rc)
		svd_payloads_free(pl);
	return rc;
}

/* --- nmap-payloads ----------------------------------------------------- */

/* Nmap's tokens: newlines count (keywords after a payload end at the
 * line's end), strings are C-escaped, symbols are words, port lists. */
enum tok { T_ERROR = -1, T_EOF, T_NEWLINE, T_SYMBOL, T_STRING };

struct lexer {
	const char *p, *end;
	unsigned line;
	/* The current token's text: a symbol, or a string decoded. */
	unsigned char text[SVD_PAYLOAD_TOKEN_MAX];
	size_t len;
};

static enum tok next_token(struct lexer *x)
{
	const char *start;

	while (x->p < x->end && *x->p != '\n' && isspace((unsigned char)*x->p))
		x->p++;
	if (x->p == x->end)
		return T_EOF;
	if (*x->p == '#') {
		while (x->p < x->end && *x->p != '\n')
			x->p++;
		if (x->p == x->end)
			return T_EOF;
	}
	if (*x->p == '\n') {
		x->p++;
		x->line++;
		return T_NEWLINE;
	}
	start = x->p;
	if (*x->p == '"') {
		long n;
		size_t bad;

		/* Raw up to the closing quote; a backslash keeps the next byte. */
		for (start = ++x->p; x->p < x->end && *x->p != '"' && *x->p != '\n'; x->p++)
			if (*x->p == '\\' && x->p + 1 < x->end)
				x->p++;
		if (x->p == x->end || *x->p != '"' ||
		    (size_t)(x->p - start) >= sizeof x->text)
			return T_ERROR;
		n = escape_decode(x->text, (const unsigned char *)start, (size_t)(x->p - start), &bad);
		x->p++;
		if (n < 0)
			return T_ERROR;
		x->len = (size_t)n;
		return T_STRING;
	}
	for (x->p++; x->p < x->end && (isalnum((unsigned char)*x->p) || *x->p == ',' ||
				       *x->p == '-'); x->p++)
		;
	if ((size_t)(x->p - start) >= sizeof x->text)
		return T_ERROR;
	x->len = (size_t)(x->p - start);
	memcpy(x->text, start, x->len);
	return T_SYMBOL;
}

/* A decimal port at *s (advanced), or -1. */
static long port_at(const char **s, const char *end)
{
	long v = 0;
	const char *start = *s;

	for (; *s < end && isdigit((unsigned char)**s); (*s)++)
		if ((v = v * 10 + (**s - '0')) >= NPORTS)
			return -1;
	return *s > start ? v : -1;
}

/* A list "53,69,5353" or "1-3,7" into b's pairs of its last payload;
 * 0, -1 out of memory, 1 when it is no port list. */
static int add_ports(struct builder *b, const unsigned char *list, size_t len)
{
	const char *s = (const char *)list, *end = s + len;
	long lo, hi, port;
	int rc;

	while (s < end) {
		if ((lo = port_at(&s, end)) < 0)
			return 1;
		hi = lo;
		if (s < end && *s == '-') {
			s++;
			if ((hi = port_at(&s, end)) < lo)
				return 1;
		}
		if (s < end && *s++ != ',')
			return 1;
		for (port = lo; port <= hi; port++)
			if ((rc = add_pair(b, (unsigned)port)))
				return rc;
	}
	return 0;
}

/* The file's payloads, one after the other. */
struct store {
	unsigned char *bytes;
	size_t len, cap;
};

/* Appends the token's bytes to the payload being read. */
static int append(struct store *st, const struct lexer *x)
{
	if (grow((void **)&st->bytes, &st->cap, st->len + x->len + 1, 1))
		return -1;
	memcpy(st->bytes + st->len, x->text, x->len);
	st->len += x->len;
	return 0;
}

/* The next token that is not a newline. */
static enum tok next_on_line(struct lexer *x)
{
	enum tok t;

	while ((t = next_token(x)) == T_NEWLINE)
		;
	return t;
}

/*
 * The payloads of x's file as Nmap 7.93's parser takes them, their bytes
 * in st.  Sets why to what ended the reading early, or leaves it "".
 * Returns 0, or -1 (out of memory).
 */
static int parse(struct builder *b, struct lexer *x, struct store *st, char *why, size_t whylen)
{
	enum tok t = next_token(x);
	int rc = 0;

	while (rc == 0) {
		unsigned char ports[SVD_PAYLOAD_TOKEN_MAX];
		size_t nports, start = st->len;
		unsigned line;

		/* Whatever is not an entry (a keyword after the last) is passed over. */
		while (t != T_EOF && !(t == T_SYMBOL && x->len == 3 && memcmp(x->text, "udp", 3) == 0))
			t = next_token(x);
		if (t == T_EOF)
			break;
		line = x->line;
		if (next_token(x) != T_SYMBOL) {
			snprintf(why, whylen, "line %u: a port list was expected", line);
			break;
		}
		memcpy(ports, x->text, nports = x->len);
		/* An entry without a string is passed over, as Nmap does. */
		if ((t = next_on_line(x)) != T_STRING)
			continue;
		while (t == T_STRING && (rc = append(st, x)) == 0)
			t = next_on_line(x);
		if (rc)
			break;
		if (t == T_ERROR) {
			/* A bad string: the entry is dropped. */
			st->len = start;
			t = next_token(x);
			continue;
		}
		if ((rc = add_payload(b, NULL, start, (uint32_t)(st->len - start), -1)))
			break;
		if ((rc = add_ports(b, ports, nports)) > 0) {
			snprintf(why, whylen, "line %u: cannot read the port list '%.*s'", line,
				 (int)(nports > 64 ? 64 : nports), (const char *)ports);
			rc = 0;
			break;
		}
	}
	return rc;
}

int svd_payloads_from_file(struct svd_payloads *pl, const char *path, char *err, size_t errlen)
{
	struct builder *b = builder_new();
	struct lexer *x = calloc(1, sizeof *x);
	char *buf = malloc(FILE_MAX);
	FILE *f = fopen(path, "rb");
	struct store st = { NULL, 0, 0 };
	size_t n = 0;
	int rc = 0;

	memset(pl, 0, sizeof *pl);
	err[0] = '\0';
	if (!b || !x || !buf) {
		rc = -1;
	} else if (f) {
		n = fread(buf, 1, FILE_MAX, f);
		if (n == FILE_MAX)
			snprintf(err, errlen, "larger than %d bytes: read that much only", FILE_MAX);
		x->p = buf;
		x->end = buf + n;
		x->line = 1;
		rc = parse(b, x, &st, err + strlen(err), errlen - strlen(err));
	}
	pl->bytes = st.bytes; /* moves no more */
	if (rc == 0 && b->capped && !err[0])
		snprintf(err, errlen, "more payloads than a scan takes (%d a port); some left out",
			 SVD_PAYLOADS_PER_PORT);
	if (rc == 0)
		rc = finish(pl, b);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		svd_payloads_free(pl);
	}
	if (f)
		fclose(f);
	builder_free(b);
	free(x);
	free(buf);
	return rc;
}

const struct svd_payload *svd_payloads_of(const struct svd_payloads *pl, uint16_t port,
					  size_t *n)
{
	size_t lo = 0, hi = pl->nports;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pl->ports[mid].port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < pl->nports && pl->ports[lo].port == port) {
		*n = pl->ports[lo].n;
		return &pl->list[pl->ports[lo].first];
	}
	*n = 0;
	return NULL;
}

void svd_payloads_free(struct svd_payloads *pl)
{
	free(pl->ports);
	free(pl->list);
	free(pl->bytes);
	memset(pl, 0, sizeof *pl);
}
