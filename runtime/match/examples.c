#include "examples.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "read_file.h"
#include "sigdb.h"

/* The parser's position and the example being read. */
struct parser {
	struct svd_examples *ex;
	const char *file;
	FILE *err;
	unsigned errors;
	unsigned lineno;
	const char *line;       /* its first byte, for columns */
	struct svd_example cur;
	bool open;              /* cur holds an example begun by `probe` */
	bool bad;               /* cur had an error: it is dropped */
	bool has_response, has_expect;
	size_t response_cap;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void error_at(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;

	fprintf(ps->err, "%s:%u:%u: error: ", ps->file, ps->lineno, (unsigned)(at - ps->line) + 1);
	va_start(ap, fmt);
	vfprintf(ps->err, fmt, ap);
	va_end(ap);
	fputc('\n', ps->err);
	ps->errors++;
	ps->bad = true;
}

static void out_of_memory(struct parser *ps)
{
	fprintf(ps->err, "%s: error: out of memory\n", ps->file);
	ps->errors++;
	ps->bad = true;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *p, const char *e)
{
	while (p < e && blank(*p))
		p++;
	return p;
}

/* The end of the word at p: the next blank or the line's end. */
static const char *word_end(const char *p, const char *e)
{
	while (p < e && !blank(*p))
		p++;
	return p;
}

static bool word_is(const char *p, const char *q, const char *word)
{
	return (size_t)(q - p) == strlen(word) && memcmp(p, word, (size_t)(q - p)) == 0;
}

static char *dup_range(const char *p, const char *q)
{
	char *s = malloc((size_t)(q - p) + 1);

	if (s) {
		memcpy(s, p, (size_t)(q - p));
		s[q - p] = '\0';
	}
	return s;
}

static void example_free(struct svd_example *x)
{
	free(x->probe);
	free(x->response);
	free(x->service);
}

/*
 * A name as probe files allow them (docs/probe-files.md, Names): a letter
 * or digit, then letters, digits and `extra`, at most 48 bytes.
 */
static bool name_ok(struct parser *ps, const char *p, const char *q, const char *extra,
		    const char *what)
{
	const char *c;

	if (q - p > 48) {
		error_at(ps, p, "%s longer than 48 bytes", what);
		return false;
	}
	for (c = p; c < q; c++) {
		bool alnum = (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') ||
			     (*c >= 'A' && *c <= 'Z');

		if (!alnum && (c == p || !strchr(extra, *c))) {
			error_at(ps, c, "bad character in %s", what);
			return false;
		}
	}
	return true;
}

/* Nothing but blanks may follow at p. */
static bool line_ends(struct parser *ps, const char *p, const char *e)
{
	p = skip_blanks(p, e);
	if (p < e) {
		error_at(ps, p, "unexpected text at the end of the line");
		return false;
	}
	return true;
}

/*
 * The delimited text at p (p at the delimiter): [*open, *close).  Returns
 * false after an error.  A delimiter is what probe files allow.
 */
static bool delimited(struct parser *ps, const char *p, const char *e,
		      const char **open, const char **close)
{
	const char *c;

	if (p >= e || blank(*p) || *p == ':' || (*p >= 'a' && *p <= 'z') ||
	    (*p >= 'A' && *p <= 'Z')) {
		error_at(ps, p, "expected a delimiter (any character but a letter, ':' or a blank)");
		return false;
	}
	c = memchr(p + 1, *p, (size_t)(e - p - 1));
	if (!c) {
		error_at(ps, p, "no closing '%c'", *p);
		return false;
	}
	*open = p + 1;
	*close = c;
	return true;
}

/* Finishes the current example: keeps it if it is whole and had no error. */
static void close_example(struct parser *ps)
{
	struct svd_examples *ex = ps->ex;
	const char *missing;

	if (!ps->open)
		return;
	ps->open = false;
	missing = !ps->has_response ? "example has no `response` line" :
		  ps->cur.len == 0 ? "the response is empty (nothing ever matches an empty response)" :
		  !ps->has_expect ? "example has no `expect` line" : NULL;
	/* After an error on its lines, an example may well look unfinished. */
	if (!ps->bad && missing) {
		fprintf(ps->err, "%s:%u:1: error: %s\n", ps->file, ps->cur.line, missing);
		ps->errors++;
		ps->bad = true;
	}
	if (!ps->bad && ex->n == ex->cap) {
		size_t cap = ex->cap ? 2 * ex->cap : 64;
		struct svd_example *v = realloc(ex->v, cap * sizeof *v);

		if (!v)
			out_of_memory(ps);
		else {
			ex->v = v;
			ex->cap = cap;
		}
	}
	if (ps->bad)
		example_free(&ps->cur);
	else
		ex->v[ex->n++] = ps->cur;
	memset(&ps->cur, 0, sizeof ps->cur);
}

/* probe TCP|UDP NAME */
static void parse_probe(struct parser *ps, const char *p, const char *e)
{
	const char *q;

	close_example(ps);
	ps->open = true;
	ps->bad = ps->has_response = ps->has_expect = false;
	ps->response_cap = 0;
	ps->cur.line = ps->lineno;
	p = skip_blanks(p, e);
	q = word_end(p, e);
	if (word_is(p, q, "TCP"))
		ps->cur.proto = SVD_TCP;
	else if (word_is(p, q, "UDP"))
		ps->cur.proto = SVD_UDP;
	else {
		error_at(ps, p, "expected TCP or UDP");
		return;
	}
	p = skip_blanks(q, e);
	q = word_end(p, e);
	if (p == q) {
		error_at(ps, p, "expected a probe name");
		return;
	}
	if (!name_ok(ps, p, q, "-_.", "probe name") || !line_ends(ps, q, e))
		return;
	if (!(ps->cur.probe = dup_range(p, q)))
		out_of_memory(ps);
}

/* response q<d>bytes<d>: appends the decoded bytes. */
static void parse_response(struct parser *ps, const char *p, const char *e)
{
	const char *open, *close;
	size_t need, bad_at;
	long n;

	p = skip_blanks(p, e);
	if (p >= e || *p != 'q') {
		error_at(ps, p, "expected q and a delimited response, as q|...|");
		return;
	}
	if (!delimited(ps, p + 1, e, &open, &close) || !line_ends(ps, close + 1, e))
		return;
	ps->has_response = true;
	/* Decoding never makes the text longer. */
	need = ps->cur.len + (size_t)(close - open);
	if (need > ps->response_cap) {
		size_t cap = need > 2 * ps->response_cap ? need : 2 * ps->response_cap;
		unsigned char *r = realloc(ps->cur.response, cap ? cap : 1);

		if (!r) {
			out_of_memory(ps);
			return;
		}
		ps->cur.response = r;
		ps->response_cap = cap;
	}
	n = escape_decode(ps->cur.response + ps->cur.len, (const unsigned char *)open,
			  (size_t)(close - open), &bad_at);
	if (n < 0) {
		error_at(ps, open + bad_at, "bad escape (\\0 \\a \\b \\f \\n \\r \\t \\v \\xHH, "
			 "or \\ before a character that is not a letter or digit)");
		return;
	}
	ps->cur.len += (size_t)n;
}

/* Where field f's value goes: a letter of "pvihod", or 'A' 'H' 'O' for a
 * CPE of that part. */
static char *field_buf(struct svd_version *v, int f, size_t *cap)
{
	switch (f) {
	case 'p': *cap = sizeof v->product; return v->product;
	case 'v': *cap = sizeof v->version; return v->version;
	case 'i': *cap = sizeof v->info; return v->info;
	case 'h': *cap = sizeof v->hostname; return v->hostname;
	case 'o': *cap = sizeof v->ostype; return v->ostype;
	case 'd': *cap = sizeof v->devtype; return v->devtype;
	case 'A': *cap = sizeof v->cpe_a; return v->cpe_a;
	case 'H': *cap = sizeof v->cpe_h; return v->cpe_h;
	default: *cap = sizeof v->cpe_o; return v->cpe_o;
	}
}

/*
 * One field: a letter of "pvihod" or cpe:, delimited text.  Stores it into
 * ps->cur.want; returns the position after it, or NULL after an error.
 */
static const char *parse_field(struct parser *ps, const char *p, const char *e)
{
	const char *open, *close, *c, *at = p;
	char prefix[6] = "", *buf;
	size_t cap;
	int f;

	if (e - p >= 4 && memcmp(p, "cpe:", 4) == 0) {
		p += 4;
		if (!delimited(ps, p, e, &open, &close))
			return NULL;
		if (close - open < 2 || open[1] != ':' || !strchr("aho", open[0])) {
			error_at(ps, open, "a CPE starts with its part, a: h: or o:");
			return NULL;
		}
		f = open[0] - 'a' + 'A';
		strcpy(prefix, "cpe:/");
	} else if (p < e && strchr("pvihod", *p)) {
		f = *p++;
		if (!delimited(ps, p, e, &open, &close))
			return NULL;
	} else {
		error_at(ps, p, "expected a field: p/ v/ i/ h/ o/ d/ or cpe:/");
		return NULL;
	}
	buf = field_buf(&ps->cur.want, f, &cap);
	if (*buf) {
		error_at(ps, at, *prefix ? "a second CPE of that part (a match gives at most one of each)" :
			 "a second value for that field");
		return NULL;
	}
	for (c = open; c < close; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e) {
			error_at(ps, c, "a byte outside printable ASCII (outputs show those as '.')");
			return NULL;
		}
	if (open == close) {
		error_at(ps, open, "an empty value (leave the field out instead)");
		return NULL;
	}
	if (strlen(prefix) + (size_t)(close - open) >= cap) {
		error_at(ps, open, "longer than the field can be (%zu bytes)", cap - 1);
		return NULL;
	}
	memcpy(buf, prefix, strlen(prefix));
	memcpy(buf + strlen(prefix), open, (size_t)(close - open));
	buf[strlen(prefix) + (size_t)(close - open)] = '\0';
	p = close + 1;
	/* A probe file's cpe:/.../a: the flag is no part of the value, and
	 * allowing it lets authors copy a match line's cpe:s as they are. */
	if (*prefix && p < e && *p == 'a')
		p++;
	if (p < e && !blank(*p)) {
		error_at(ps, p, "expected a blank after the field");
		return NULL;
	}
	return p;
}

/* expect nomatch | expect match SERVICE FIELD... | expect softmatch SERVICE FIELD... */
static void parse_expect(struct parser *ps, const char *p, const char *e)
{
	const char *q;

	ps->has_expect = true;
	p = skip_blanks(p, e);
	q = word_end(p, e);
	if (word_is(p, q, "nomatch")) {
		ps->cur.expect = SVD_EXPECT_NOMATCH;
		line_ends(ps, q, e);
		return;
	}
	if (word_is(p, q, "match"))
		ps->cur.expect = SVD_EXPECT_MATCH;
	else if (word_is(p, q, "softmatch"))
		ps->cur.expect = SVD_EXPECT_SOFTMATCH;
	else {
		error_at(ps, p, "expected match, softmatch or nomatch");
		return;
	}
	p = skip_blanks(q, e);
	q = word_end(p, e);
	if (p == q) {
		error_at(ps, p, "expected a service name");
		return;
	}
	if (!name_ok(ps, p, q, "-_./", "service name"))
		return;
	if (!(ps->cur.service = dup_range(p, q))) {
		out_of_memory(ps);
		return;
	}
	/* Each turn consumes a field, or stops at an error. */
	for (p = skip_blanks(q, e); p < e; p = skip_blanks(p, e))
		if (!(p = parse_field(ps, p, e)))
			return;
}

static void parse_line(struct parser *ps, const char *p, const char *e)
{
	const char *q, *nul;

	if (p >= e)
		return;
	nul = memchr(p, '\0', (size_t)(e - p));
	if (nul) {
		error_at(ps, nul, "a NUL byte (write \\0 in a response)");
		return;
	}
	p = skip_blanks(p, e);
	if (p == e || *p == '#')
		return;
	q = word_end(p, e);
	if (word_is(p, q, "probe")) {
		parse_probe(ps, q, e);
		return;
	}
	if (!word_is(p, q, "response") && !word_is(p, q, "expect")) {
		error_at(ps, p, "unknown directive (probe, response, expect)");
		return;
	}
	if (!ps->open) {
		error_at(ps, p, "`%.*s` before any `probe` line", (int)(q - p), p);
		return;
	}
	if (*p == 'r')
		parse_response(ps, q, e);
	else if (ps->has_expect)
		error_at(ps, p, "a second `expect` line for this example");
	else
		parse_expect(ps, q, e);
}

unsigned svd_examples_parse(struct svd_examples *ex, const char *file,
			    const char *text, size_t len, FILE *err)
{
	struct parser ps = { .ex = ex, .file = file, .err = err };
	const char *p = text, *end = text + len;

	if (!ex->file && !(ex->file = dup_range(file, file + strlen(file)))) {
		out_of_memory(&ps);
		return ps.errors;
	}
	/* Each turn consumes one line. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		ps.lineno++;
		ps.line = p;
		parse_line(&ps, p, e > p && e[-1] == '\r' ? e - 1 : e);
		p = nl ? nl + 1 : end;
	}
	close_example(&ps);
	return ps.errors;
}

unsigned svd_examples_load(struct svd_examples *ex, const char *path, FILE *err)
{
	size_t len;
	unsigned char *text = svd_read_file(path, &len);
	unsigned errors;

	if (!text) {
		fprintf(err, "%s: error: %s\n", path, strerror(errno));
		return 1;
	}
	errors = svd_examples_parse(ex, path, (const char *)text, len, err);
	free(text);
	return errors;
}

void svd_examples_free(struct svd_examples *ex)
{
	size_t i;

	for (i = 0; i < ex->n; i++)
		example_free(&ex->v[i]);
	free(ex->v);
	free(ex->file);
	memset(ex, 0, sizeof *ex);
}
