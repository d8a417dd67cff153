/*
 * Reading a scan's own output for --resume (resume.h).  The lines read are
 * those runtime/output writes: the header comment and the host records of
 * each format, and the marks of a host cut short by a stop.
 */
#define _GNU_SOURCE /* memrchr */
#include "resume.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Longer lines are not svdetect's (its longest are a host's grepable
 * ports line: some 100 bytes a port). */
#define LINE_MAX_BYTES (64u << 20)

enum format { FMT_TEXT, FMT_JSON };

/* What one line of the file is about, while reading it. */
struct reader {
	struct svd_resume *r;
	const char *path;
	unsigned long lineno;
	char *err;
	size_t errlen;
	bool run_cut;              /* this run wrote a host it had not finished */
	/* Normal output: the host whose report is being read, done once
	 * another report or the run's end follows. */
	bool pending;
	bool pending_cut;
	struct svd_resume_addr pending_addr;
	/* Grepable output: the host the last stop mark named. */
	bool grep_cut;
	struct svd_resume_addr grep_cut_addr;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct reader *rd, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(rd->err, rd->errlen, "--resume %s: ", rd->path);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < rd->errlen)
		vsnprintf(rd->err + n, rd->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int addr_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct svd_resume_addr));
}

/* The address text s (len bytes) as a key; false if it is none. */
static bool parse_addr(const char *s, size_t len, struct svd_resume_addr *a)
{
	char buf[64];

	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(a, 0, sizeof *a);
	a->family = memchr(buf, ':', len) ? AF_INET6 : AF_INET;
	return inet_pton(a->family, buf, a->bytes) == 1;
}

/* A host record: finished (done) or cut short by the stop. */
static int host_record(struct reader *rd, const struct svd_resume_addr *a, bool cut)
{
	struct svd_resume *r = rd->r;

	if (cut) {
		rd->run_cut = true;
		return 0;
	}
	if (r->ndone == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct svd_resume_addr *v = realloc(r->done, cap * sizeof *v);

		if (!v)
			return fail(rd, "out of memory");
		r->done = v;
		r->cap = cap;
	}
	r->done[r->ndone++] = *a;
	/* Hosts are reported in target order: until the stop cut one
	 * short, every target before this one was reported too. */
	if (!rd->run_cut) {
		r->last = *a;
		r->has_last = true;
	}
	return 0;
}

static int end_pending(struct reader *rd)
{
	if (!rd->pending)
		return 0;
	rd->pending = false;
	return host_record(rd, &rd->pending_addr, rd->pending_cut);
}

/* A run's header.  A report the last run left without its end (killed
 * while writing) is not taken as done. */
static int new_run(struct reader *rd)
{
	rd->pending = false;
	rd->run_cut = false;
	rd->grep_cut = false;
	return 0;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* --- the command line ----------------------------------------------------- */

/*
 * Splits s, as options.c writes the command line (an argument that needs
 * it in single quotes, a quote as '"'"'), into r->argv, in place.
 */
static int split_args(struct reader *rd, char *s)
{
	struct svd_resume *r = rd->r;
	size_t max = strlen(s) / 2 + 2;
	char *in = s, *out = s;

	if (!(r->argv = calloc(max, sizeof *r->argv)))
		return fail(rd, "out of memory");
	while (*in) {
		if (*in == ' ') {
			in++;
			continue;
		}
		r->argv[r->argc++] = out;
		while (*in && *in != ' ') {
			if (*in == '\'' || *in == '"') {
				char *close = strchr(in + 1, *in);

				if (!close)
					return fail(rd, "line 1: unclosed quote in the command line");
				memmove(out, in + 1, (size_t)(close - in - 1));
				out += close - in - 1;
				in = close + 1;
			} else {
				*out++ = *in++;
			}
		}
		if (*in)
			in++;
		*out++ = '\0';
	}
	if (r->argc < 2)
		return fail(rd, "line 1: the command line has no arguments");
	return 0;
}

/* The command line as the header shows it (escape_for_log's form). */
static int take_args(struct reader *rd, const char *text, size_t len)
{
	size_t bad_at;
	long n;

	if (!(rd->r->argbuf = malloc(len + 1)))
		return fail(rd, "out of memory");
	n = escape_decode((unsigned char *)rd->r->argbuf, (const unsigned char *)text, len,
			  &bad_at);
	if (n < 0 || memchr(rd->r->argbuf, '\0', (size_t)n))
		return fail(rd, "line 1: a bad escape in the command line");
	rd->r->argbuf[n] = '\0';
	return split_args(rd, rd->r->argbuf);
}

/* --- JSON lines ------------------------------------------------------------- */

/* Past the JSON value at s (no nesting checks beyond brackets), or NULL. */
static const char *json_skip(const char *s)
{
	int depth = 0;

	do {
		if (*s == '"') {
			for (s++; *s != '"'; s++)
				if (!*s || (*s == '\\' && !*++s))
					return NULL;
			s++;
		} else if (*s == '[' || *s == '{') {
			depth++, s++;
		} else if (*s == ']' || *s == '}') {
			if (--depth < 0)
				return NULL;
			s++;
		} else if (depth > 0 && (*s == ',' || *s == ':')) {
			s++;
		} else if (*s && strchr("-0123456789.eEtruefalsn", *s)) {
			s += strspn(s, "-+0123456789.eEtruefalsn");
		} else {
			return NULL;
		}
	} while (depth > 0);
	return s;
}

/* The value of key in the flat JSON object line, or NULL. */
static const char *json_get(const char *line, const char *key)
{
	const char *s = line + 1, *end;
	size_t klen = strlen(key);

	if (line[0] != '{')
		return NULL;
	while (*s == '"') {
		if (!(end = json_skip(s)) || *end != ':')
			return NULL;
		if ((size_t)(end - s) == klen + 2 && strncmp(s + 1, key, klen) == 0)
			return end + 1;
		if (!(s = json_skip(end + 1)) || (*s != ',' && *s != '}'))
			return NULL;
		s += *s == ',';
	}
	return NULL;
}

/* Decodes the JSON string at s into out (out_size bytes, NUL-ended, no
 * NUL inside): the ASCII svdetect writes, \u00XX for other bytes. */
static bool json_string(const char *s, char *out, size_t out_size)
{
	size_t n = 0;
	unsigned v;

	if (!s || *s++ != '"')
		return false;
	for (; *s != '"'; s++) {
		char c = *s;

		if (!c || n + 1 >= out_size)
			return false;
		if (c == '\\') {
			c = *++s;
			if (c == 'u') {
				if (sscanf(s + 1, "%4x", &v) != 1 || v == 0 || v > 0xff ||
				    strspn(s + 1, "0123456789abcdefABCDEF") < 4)
					return false;
				c = (char)v;
				s += 4;
			} else {
				const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
				const char *at = c ? strchr(from, c) : NULL;

				if (!at)
					return false;
				c = to[at - from];
			}
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return true;
}

static int json_line(struct reader *rd, const char *line)
{
	const char *type = json_get(line, "type"), *cut;
	char word[64];
	struct svd_resume_addr a;

	if (!json_string(type, word, sizeof word))
		return fail(rd, "line %lu: not one of svdetect's JSON lines", rd->lineno);
	if (strcmp(word, "run") == 0)
		return new_run(rd);
	if (strcmp(word, "host") != 0)
		return 0;
	if (!json_string(json_get(line, "addr"), word, sizeof word) ||
	    !parse_addr(word, strlen(word), &a))
		return fail(rd, "line %lu: a host line without a valid \"addr\"", rd->lineno);
	if (!(cut = json_get(line, "stopped_early")) ||
	    (!starts(cut, "true") && !starts(cut, "false")))
		return fail(rd, "line %lu: a host line without \"stopped_early\" (a file "
			    "written before svdetect could resume)", rd->lineno);
	return host_record(rd, &a, starts(cut, "true"));
}

/* --- normal and grepable output ---------------------------------------------- */

/* "svdetect scan report for NAME (ADDR)", "... for ADDR", either with
 * " [host down...]" after it. */
static int normal_report(struct reader *rd, const char *s)
{
	const char *end = s + strlen(s), *open;

	if (end > s && end[-1] == ']' && (open = strstr(s, " [host down")))
		end = open;
	if (end > s && end[-1] == ')' && (open = memrchr(s, '(', (size_t)(end - s))))
		s = open + 1, end--;
	if (end_pending(rd) < 0)
		return -1;
	if (!parse_addr(s, (size_t)(end - s), &rd->pending_addr))
		return fail(rd, "line %lu: no address in the scan report line", rd->lineno);
	rd->pending = true;
	rd->pending_cut = false;
	return 0;
}

/* "Host: ADDR (PTR)\tWHAT": the host's last line is its ports, or its
 * timeout, or its being down. */
static int grep_host(struct reader *rd, const char *s)
{
	const char *sp = strchr(s, ' '), *tab = strchr(s, '\t');
	struct svd_resume_addr a;
	bool cut;

	if (!sp || !tab || !parse_addr(s, (size_t)(sp - s), &a))
		return fail(rd, "line %lu: no address in the Host line", rd->lineno);
	if (!starts(tab + 1, "Ports: ") && strcmp(tab + 1, "Status: Timeout") != 0 &&
	    strcmp(tab + 1, "Status: Down") != 0)
		return 0;
	cut = rd->grep_cut && addr_cmp(&a, &rd->grep_cut_addr) == 0;
	rd->grep_cut = false;
	return host_record(rd, &a, cut);
}

static int text_line(struct reader *rd, const char *line)
{
	const char *rest;

	if (starts(line, "# svdetect ") && strstr(line, " scan initiated "))
		return new_run(rd);
	if (starts(line, "# svdetect done at "))
		return end_pending(rd);
	if (starts(line, "svdetect scan report for "))
		return normal_report(rd, line + strlen("svdetect scan report for "));
	if (strcmp(line, "Host scan stopped early: only the ports decided by then are listed.") == 0) {
		rd->pending_cut = true;
		return 0;
	}
	if (starts(line, "# svdetect stopped early on host ")) {
		rest = line + strlen("# svdetect stopped early on host ");
		if (!parse_addr(rest, strcspn(rest, " "), &rd->grep_cut_addr))
			return fail(rd, "line %lu: no address in the stop mark", rd->lineno);
		rd->grep_cut = true;
		return 0;
	}
	if (starts(line, "Host: "))
		return grep_host(rd, line + strlen("Host: "));
	return 0;
}

/* --- the file ------------------------------------------------------------------- */

/* The first line: the format and the command line. */
static int first_line(struct reader *rd, const char *line, enum format *fmt)
{
	const char *as;
	char *args;
	size_t size = strlen(line) + 1;
	int rc;

	if (starts(line, "# svdetect ") && strstr(line, " scan initiated ") &&
	    (as = strstr(line, " as: "))) {
		*fmt = FMT_TEXT;
		rc = take_args(rd, as + 5, strlen(as + 5));
	} else if (starts(line, "{\"type\":\"run\"")) {
		*fmt = FMT_JSON;
		if (!(args = malloc(size)))
			return fail(rd, "out of memory");
		rc = json_string(json_get(line, "args"), args, size) ?
			take_args(rd, args, strlen(args)) :
			fail(rd, "line 1: a run line without its \"args\"");
		free(args);
	} else if (starts(line, "<?xml")) {
		return fail(rd, "XML output cannot be resumed from; give the scan's normal (-oN), "
			    "grepable (-oG) or JSON (-oJ) file");
	} else {
		return fail(rd, "not svdetect's normal (-oN), grepable (-oG) or JSON (-oJ) "
			    "output: its first line is not a \"# svdetect ... scan initiated ... "
			    "as:\" comment nor a JSON run line");
	}
	if (rc == 0 && rd->r->argc > 1 && starts(rd->r->argv[1], "--resume"))
		return fail(rd, "the file was begun by a resumed scan; resume from the file of "
			    "the original scan");
	return rc;
}

int svd_resume_read(struct svd_resume *r, const char *path, char *err, size_t errlen)
{
	struct reader rd = { .r = r, .path = path, .err = err, .errlen = errlen };
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	enum format fmt = FMT_TEXT;
	int rc = 0;

	memset(r, 0, sizeof *r);
	if (!f)
		return fail(&rd, "%s", strerror(errno));
	while (rc == 0 && (len = getline(&line, &size, f)) > 0) {
		rd.lineno++;
		/* Cut short by a writer that was killed: not a record. */
		if (line[len - 1] != '\n')
			break;
		line[--len] = '\0';
		if ((size_t)len > LINE_MAX_BYTES || memchr(line, '\0', (size_t)len))
			rc = fail(&rd, "line %lu: not text", rd.lineno);
		else if (rd.lineno == 1)
			rc = first_line(&rd, line, &fmt);
		else
			rc = fmt == FMT_JSON ? json_line(&rd, line) : text_line(&rd, line);
	}
	if (rc == 0 && ferror(f))
		rc = fail(&rd, "%s", strerror(errno));
	else if (rc == 0 && rd.lineno == 0)
		rc = fail(&rd, "the file is empty");
	free(line);
	fclose(f);
	if (rc == 0)
		qsort(r->done, r->ndone, sizeof *r->done, addr_cmp);
	else
		svd_resume_free(r);
	return rc;
}

bool svd_resume_skip(struct svd_resume *r, const struct sockaddr *sa)
{
	struct svd_resume_addr a = { .family = (unsigned char)sa->sa_family };

	if (sa->sa_family == AF_INET6)
		memcpy(a.bytes, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
	else
		memcpy(a.bytes, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	if (r->has_last && !r->past_last) {
		r->past_last = addr_cmp(&a, &r->last) == 0;
		return true;
	}
	return bsearch(&a, r->done, r->ndone, sizeof *r->done, addr_cmp) != NULL;
}

void svd_resume_free(struct svd_resume *r)
{
	free(r->argv);
	free(r->argbuf);
	free(r->done);
	memset(r, 0, sizeof *r);
}
