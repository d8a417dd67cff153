/*
 * regex_diff: differential test of svdetect's regex layer against PCRE2.
 *
 * Every regex of a probe file is compiled by PCRE2 (CASELESS/DOTALL only,
 * no JIT) and by regex_parse()+regex_compile(); both run on the same
 * subjects and must agree on the match decision and on every capture
 * offset.  Subjects: the recog example corpus (as is, after a banner
 * prefix, inside HTTP headers), strings generated from each regex's IR,
 * mutations of those, and random bytes.  A second mode generates random
 * small patterns (--fuzz) to exercise constructs the database rarely uses.
 * Everything is driven by one seeded PRNG, so runs are reproducible.
 *
 * Known PCRE1 (Nmap 7.93) vs PCRE2 differences are not disagreements:
 * patterns PCRE2 rejects but PCRE 8.39 accepts are counted and listed
 * ("oracle rejects"); see docs/regex-semantics.md.
 *
 * Usage: regex_diff [--slice N] [--long] [--fuzz N] [--seed S] [--stats]
 *                   [--corpus TSV] [PROBE-FILE]
 * Exit status: 0 when there is no disagreement.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bt_budget.h"
#include "parse.h"
#include "regex.h"
#include "sigdb.h"

#ifdef HAVE_NMAP_SIGDB
extern const struct svd_sigdb svd_sigdb_nmap;
#endif

#ifndef RECOG_CORPUS
#define RECOG_CORPUS ""
#endif

enum { BUDGET = 5000000, PCRE2_LIMIT = 5000000, MAX_SUBJ = 8192,
       MAX_SHOWN = 5 };

/* ---- PRNG (xorshift64*) --------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static unsigned rn(unsigned n)
{
	return n ? (unsigned)(rnd() % n) : 0;
}

/* ---- byte buffers ----------------------------------------------------------- */

struct buf {
	unsigned char p[MAX_SUBJ];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	if (n > MAX_SUBJ - b->n)
		n = MAX_SUBJ - b->n;
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void puts_buf(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* ---- options and counters ------------------------------------------------------ */

struct opts {
	unsigned slice;      /* test every slice-th regex */
	bool longmode;
	unsigned fuzz;       /* random patterns */
	bool stats;
	const char *corpus, *probes;
};

struct counts {
	unsigned long regexes, checks, disagree, limits_ours, limits_pcre2,
		oracle_rejects, both_reject, matched, anomalies;
	unsigned long gen_checks, gen_disagree, gen_gave_up;
	unsigned long most_resumes; /* of a database regex's search within BT_BUDGET */
	unsigned long offset_diff;
	unsigned shown, anomalies_shown, offsets_shown;
};

/* ---- the corpus -------------------------------------------------------------------- */

struct corpus {
	struct buf *ex;
	size_t n;
};

static int unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* Column 2 of recog's TSV: \xHH \n \r \t \\ escapes; others kept. */
static void unescape(const char *s, struct buf *b)
{
	b->n = 0;
	while (*s && *s != '\n') {
		unsigned char c = (unsigned char)*s++;

		if (c == '\\' && *s) {
			int e = *s++;

			if (e == 'x' && unhex(s[0]) >= 0 && unhex(s[1]) >= 0) {
				c = (unsigned char)(unhex(s[0]) * 16 + unhex(s[1]));
				s += 2;
			} else if (e == 'n') {
				c = '\n';
			} else if (e == 'r') {
				c = '\r';
			} else if (e == 't') {
				c = '\t';
			} else if (e == '\\') {
				c = '\\';
			} else {
				put(b, "\\", 1);
				c = (unsigned char)e;
			}
		}
		put(b, &c, 1);
	}
}

static void load_corpus(const char *path, struct corpus *c)
{
	FILE *f = path && *path ? fopen(path, "r") : NULL;
	char line[65536];
	size_t cap = 0;

	c->ex = NULL;
	c->n = 0;
	if (!f) {
		fprintf(stderr, "regex_diff: no corpus (%s); using generated subjects only\n",
			path && *path ? path : "none");
		return;
	}
	while (fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');

		if (!tab || !strncmp(line, "recog_file\t", 11))
			continue;
		if (c->n == cap) {
			cap = cap ? cap * 2 : 1024;
			c->ex = realloc(c->ex, cap * sizeof *c->ex);
			if (!c->ex)
				abort();
		}
		unescape(tab + 1, &c->ex[c->n++]);
	}
	fclose(f);
}

/* ---- subject generation from the IR ------------------------------------------------------ */

struct gen {
	struct buf *b;
	long cap_start[256], cap_end[256];
};

static unsigned pick_byte(const struct rx_set *s)
{
	unsigned n = rx_set_count(s), printable = 0, k;

	for (unsigned c = 32; c < 127; c++)
		printable += rx_set_has(s, c);
	if (printable && rn(4) != 0) {
		k = rn(printable);
		for (unsigned c = 32; c < 127; c++)
			if (rx_set_has(s, c) && k-- == 0)
				return c;
	}
	k = rn(n);
	for (unsigned c = 0; c < 256; c++)
		if (rx_set_has(s, c) && k-- == 0)
			return c;
	return 0;
}

static void gen_node(struct gen *g, const struct rx_node *n, unsigned depth)
{
	unsigned char c;
	uint32_t reps;

	if (depth > 200 || g->b->n >= MAX_SUBJ)
		return;
	switch (n->kind) {
	case RX_SET:
		if (rx_set_count(&n->set) == 0)
			return;
		c = (unsigned char)pick_byte(&n->set);
		put(g->b, &c, 1);
		return;
	case RX_CAT:
		for (size_t k = 0; k < n->nkids; k++)
			gen_node(g, n->kids[k], depth + 1);
		return;
	case RX_ALT:
		gen_node(g, n->kids[rn((unsigned)n->nkids)], depth + 1);
		return;
	case RX_REPEAT:
		reps = n->min > 300 ? 300 : n->min;
		reps += rn((n->max == RX_INF ? 4 : n->max - n->min > 3 ? 4 : n->max - n->min + 1));
		for (uint32_t k = 0; k < reps; k++)
			gen_node(g, n->kid, depth + 1);
		return;
	case RX_GROUP:
		if (n->cap < 256)
			g->cap_start[n->cap] = (long)g->b->n;
		gen_node(g, n->kid, depth + 1);
		if (n->cap < 256)
			g->cap_end[n->cap] = (long)g->b->n;
		return;
	case RX_ATOMIC:
		gen_node(g, n->kid, depth + 1);
		return;
	case RX_BACKREF:
		/* A group re-entered in a repeat may have its start after its
		 * last end: nothing sensible to repeat then. */
		if (n->cap < 256 && g->cap_start[n->cap] >= 0 &&
		    g->cap_end[n->cap] >= g->cap_start[n->cap]) {
			struct buf tmp;

			tmp.n = 0;
			put(&tmp, g->b->p + g->cap_start[n->cap],
			    (size_t)(g->cap_end[n->cap] - g->cap_start[n->cap]));
			put(g->b, tmp.p, tmp.n);
		}
		return;
	case RX_LOOK:
		/* A positive lookahead's text usually is what follows. */
		if (!n->negated && !n->behind && rn(2))
			gen_node(g, n->kid, depth + 1);
		return;
	default:
		return;
	}
}

static void generate(const struct regex *re, struct buf *b)
{
	struct gen g;

	b->n = 0;
	g.b = b;
	for (int k = 0; k < 256; k++)
		g.cap_start[k] = g.cap_end[k] = -1;
	gen_node(&g, re->root, 0);
}

static void mutate(struct buf *b)
{
	unsigned char c = (unsigned char)rnd();
	size_t at = b->n ? rn((unsigned)b->n) : 0;

	switch (rn(6)) {
	case 0: /* flip a byte */
		if (b->n)
			b->p[at] = c;
		break;
	case 1: /* truncate */
		b->n = at;
		break;
	case 2: /* insert */
		if (b->n < MAX_SUBJ) {
			memmove(b->p + at + 1, b->p + at, b->n - at);
			b->p[at] = c;
			b->n++;
		}
		break;
	case 3: /* delete */
		if (b->n) {
			memmove(b->p + at, b->p + at + 1, b->n - at - 1);
			b->n--;
		}
		break;
	case 4: /* toggle the case of a letter (exercises caseless) */
		if (b->n && ((b->p[at] | 0x20) >= 'a' && (b->p[at] | 0x20) <= 'z'))
			b->p[at] ^= 0x20;
		break;
	default: /* append a newline (exercises $) */
		put(b, "\n", 1);
		break;
	}
}

static void random_bytes(struct buf *b)
{
	b->n = rn(64);
	for (size_t k = 0; k < b->n; k++)
		b->p[k] = (unsigned char)(rn(3) ? 32 + rn(95) : rn(256));
}

/* ---- one regex ---------------------------------------------------------------------------- */

struct subject_rx {
	const char *where;          /* for messages */
	const unsigned char *pat;
	size_t patlen;
	unsigned flags;
	pcre2_code *code;
	pcre2_code *plain; /* without PCRE2's optimisations; made on demand */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	struct rx_prog prog;
	struct rx_vm *vm;
	const struct svd_match *gen; /* its line in the compiled set, if any */
	const struct svd_gate *gate; /* and its generated function */
};

static void print_bytes(FILE *out, const unsigned char *p, size_t n)
{
	for (size_t k = 0; k < n && k < 300; k++) {
		if (p[k] >= 32 && p[k] < 127 && p[k] != '\\')
			fputc(p[k], out);
		else
			fprintf(out, "\\x%02x", p[k]);
	}
	if (n > 300)
		fputs("...", out);
}

static void show(struct counts *c, const struct subject_rx *s,
		 const unsigned char *subj, size_t n, int prc, const long *ours,
		 enum rx_result res, const char *what)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);

	if (c->shown++ >= MAX_SHOWN)
		return;
	fprintf(stderr, "DISAGREE (%s) %s\n  regex /", what, s->where);
	print_bytes(stderr, s->pat, s->patlen);
	fprintf(stderr, "/%s%s\n  subject \"", s->flags & REGEX_CASELESS ? "i" : "",
		s->flags & REGEX_DOTALL ? "s" : "");
	print_bytes(stderr, subj, n);
	fprintf(stderr, "\"\n  pcre2: rc=%d", prc);
	for (int k = 0; prc > 0 && k < prc; k++)
		fprintf(stderr, " (%ld,%ld)", ov[2 * k] == PCRE2_UNSET ? -1L : (long)ov[2 * k],
			ov[2 * k + 1] == PCRE2_UNSET ? -1L : (long)ov[2 * k + 1]);
	fprintf(stderr, "\n  ours: %s", res == RX_MATCH ? "match" : "no match");
	for (unsigned k = 0; res == RX_MATCH && k <= s->prog.ncaps; k++)
		fprintf(stderr, " (%ld,%ld)", ours[2 * k], ours[2 * k + 1]);
	fputc('\n', stderr);
}

static bool is_limit(int prc)
{
	return prc == PCRE2_ERROR_MATCHLIMIT || prc == PCRE2_ERROR_DEPTHLIMIT ||
	       prc == PCRE2_ERROR_HEAPLIMIT;
}

/* NULL if PCRE2's answer (in s->md) equals ours, else what differs. */
static const char *compare(const struct subject_rx *s, int prc,
			   enum rx_result res, const long *ours)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);

	if ((prc > 0) != (res == RX_MATCH))
		return "decision";
	for (unsigned k = 0; prc > 0 && k <= s->prog.ncaps; k++) {
		long b = (int)k < prc && ov[2 * k] != PCRE2_UNSET ? (long)ov[2 * k] : -1;
		long e = (int)k < prc && ov[2 * k + 1] != PCRE2_UNSET ? (long)ov[2 * k + 1] : -1;

		if (b != ours[2 * k] || e != ours[2 * k + 1])
			return "captures";
	}
	return NULL;
}

/*
 * PCRE2 10.42 has optimisation bugs (a start-of-match bug on
 * /(?=A)x*A/, auto-possessification of lazy \R).  When PCRE2 and we
 * disagree, ask PCRE2 again with its optimisations off; if that answer is
 * ours, count an oracle anomaly instead of a disagreement.
 */
static bool oracle_anomaly(struct counts *c, struct subject_rx *s,
			   const unsigned char *subj, size_t n, enum rx_result res,
			   const long *ours)
{
	uint32_t opt = PCRE2_NO_START_OPTIMIZE | PCRE2_NO_AUTO_POSSESS |
		       PCRE2_NO_DOTSTAR_ANCHOR;
	int err, prc;
	PCRE2_SIZE off;

	if (s->flags & REGEX_CASELESS)
		opt |= PCRE2_CASELESS;
	if (s->flags & REGEX_DOTALL)
		opt |= PCRE2_DOTALL;
	if (!s->plain)
		s->plain = pcre2_compile(s->pat, s->patlen, opt, &err, &off, NULL);
	if (!s->plain)
		return false;
	prc = pcre2_match(s->plain, subj, n, 0, 0, s->md, s->mctx);
	if (is_limit(prc) || compare(s, prc, res, ours))
		return false;
	c->anomalies++;
	if (c->anomalies_shown++ < MAX_SHOWN) {
		fputs("note: PCRE2 optimisation anomaly (unoptimised PCRE2 agrees with us): /", stderr);
		print_bytes(stderr, s->pat, s->patlen);
		fputs("/ on \"", stderr);
		print_bytes(stderr, subj, n);
		fputs("\"\n", stderr);
	}
	return true;
}

/*
 * The generated matcher of a database regex must decide what the
 * interpreter decides, with the same captures: together with the PCRE2
 * comparison this ties the generated code to PCRE.  Both count their
 * budget in the same unit, so where the interpreter looked at more than
 * BT_BUDGET choice points the generated search must have given up (no
 * match) at that very point.
 */
static void check_generated(struct counts *c, const struct subject_rx *s,
			    const unsigned char *subj, size_t n, enum rx_result res,
			    const long *ours)
{
	int ovec[SVD_OVEC_INTS], rc;
	unsigned k;
	bool same;

	if (!s->gen)
		return;
	c->gen_checks++;
	if (s->vm->resumes > BT_BUDGET) {
		c->gen_gave_up++;
		res = RX_NOMATCH;
	} else if (s->vm->resumes > c->most_resumes) {
		c->most_resumes = s->vm->resumes;
	}
	rc = s->gate->confirm(s->gen, subj, n, ovec);
	same = (rc > 0) == (res == RX_MATCH);
	for (k = 0; same && rc > 0 && k <= s->prog.ncaps; k++) {
		long b = (int)k < rc ? ovec[2 * k] : -1, e = (int)k < rc ? ovec[2 * k + 1] : -1;

		same = b == ours[2 * k] && e == ours[2 * k + 1];
	}
	if (same)
		return;
	c->gen_disagree++;
	if (c->shown++ < MAX_SHOWN) {
		fprintf(stderr, "DISAGREE (generated code) %s /", s->where);
		print_bytes(stderr, s->pat, s->patlen);
		fprintf(stderr, "/ on \"");
		print_bytes(stderr, subj, n);
		fprintf(stderr, "\": generated rc=%d, interpreter %s\n", rc,
			res == RX_MATCH ? "match" : "no match");
	}
}

static void check_subject(struct counts *c, struct subject_rx *s,
			  const unsigned char *subj, size_t n)
{
	long ours[2 * 1024];
	enum rx_result res;
	const char *what;
	int prc;

	c->checks++;
	prc = pcre2_match(s->code, subj, n, 0, 0, s->md, s->mctx);
	if (is_limit(prc)) {
		c->limits_pcre2++;
		return;
	}
	res = regex_exec(&s->prog, s->vm, subj, n, ours, BUDGET);
	if (res == RX_LIMIT) {
		if (c->limits_ours++ < MAX_SHOWN) {
			fprintf(stderr, "note: step budget spent (PCRE2 rc=%d) %s /", prc,
				s->where);
			print_bytes(stderr, s->pat, s->patlen);
			fprintf(stderr, "/ on a %zu-byte subject\n", n);
		}
		return;
	}
	c->matched += res == RX_MATCH;
	check_generated(c, s, subj, n, res, ours);
	what = compare(s, prc, res, ours);
	if (!what)
		return;
	/* Print PCRE2's optimised answer, not the re-check's. */
	prc = pcre2_match(s->code, subj, n, 0, 0, s->md, s->mctx);
	if (oracle_anomaly(c, s, subj, n, res, ours))
		return;
	prc = pcre2_match(s->code, subj, n, 0, 0, s->md, s->mctx);
	c->disagree++;
	show(c, s, subj, n, prc, ours, res, what);
}

/* The example itself, after a banner prefix, and inside HTTP headers. */
static void check_example(struct counts *c, struct subject_rx *s,
			  const struct buf *ex, unsigned variants)
{
	struct buf b;

	check_subject(c, s, ex->p, ex->n);
	if (variants & 1) {
		b.n = 0;
		puts_buf(&b, "220 ");
		put(&b, ex->p, ex->n);
		puts_buf(&b, "\r\n");
		check_subject(c, s, b.p, b.n);
	}
	if (variants & 2) {
		b.n = 0;
		puts_buf(&b, "HTTP/1.1 200 OK\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nServer: ");
		put(&b, ex->p, ex->n);
		puts_buf(&b, "\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n");
		check_subject(c, s, b.p, b.n);
	}
}

static void run_subjects(struct counts *c, struct subject_rx *s,
			 const struct regex *re, const struct corpus *cor,
			 const struct opts *o)
{
	unsigned ngen = o->longmode ? 40 : 6, nmut = o->longmode ? 6 : 3;
	unsigned nex = o->longmode ? (unsigned)cor->n : 12;
	struct buf b, m;

	for (unsigned k = 0; k < ngen; k++) {
		generate(re, &b);
		check_subject(c, s, b.p, b.n);
		for (unsigned j = 0; j < nmut; j++) {
			m = b;
			mutate(&m);
			if (rn(2))
				mutate(&m);
			check_subject(c, s, m.p, m.n);
		}
	}
	for (unsigned k = 0; k < 3; k++) {
		random_bytes(&b);
		check_subject(c, s, b.p, b.n);
	}
	for (unsigned k = 0; k < nex && cor->n; k++) {
		const struct buf *ex = &cor->ex[o->longmode ? k : rn((unsigned)cor->n)];

		check_example(c, s, ex, o->longmode ? (k % 8 == 0 ? 3 : 0) : 3);
	}
}

/*
 * Compiles pat both ways.  Returns true if both accept it; counts the
 * compile-time outcomes otherwise.
 */
static bool prepare(struct counts *c, struct subject_rx *s, struct arena *a,
		    struct regex *re, struct loc at, bool quiet)
{
	struct diag d;
	uint32_t opt = 0, pcaps = 0;
	int err;
	PCRE2_SIZE erroff;
	bool ok;

	diag_init(&d, quiet ? NULL : stderr);
	ok = regex_parse(a, s->pat, s->patlen, s->flags, at, &d, re);
	if (s->flags & REGEX_CASELESS)
		opt |= PCRE2_CASELESS;
	if (s->flags & REGEX_DOTALL)
		opt |= PCRE2_DOTALL;
	s->code = pcre2_compile(s->pat, s->patlen, opt, &err, &erroff, NULL);
	if (!s->code) {
		if (ok) {
			c->oracle_rejects++;
			if (!quiet) {
				PCRE2_UCHAR msg[256];

				pcre2_get_error_message(err, msg, sizeof msg);
				fprintf(stderr, "note: PCRE2 rejects (PCRE 8.39 accepts) %s at offset %zu: %s\n",
					s->where, (size_t)erroff, (const char *)msg);
			}
		} else {
			c->both_reject++;
			if (re->err_off != erroff && c->offsets_shown++ < MAX_SHOWN)
				fprintf(stderr, "note: error offset %zu, PCRE2 says %zu: /%.*s/\n",
					re->err_off, (size_t)erroff, (int)s->patlen,
					(const char *)s->pat);
			c->offset_diff += re->err_off != erroff;
		}
		return false;
	}
	if (!ok) {
		c->disagree++;
		fprintf(stderr, "DISAGREE (compile) %s: we reject at %zu, PCRE2 accepts\n  regex /",
			s->where, re->err_off);
		print_bytes(stderr, s->pat, s->patlen);
		fputs("/\n", stderr);
		pcre2_code_free(s->code);
		return false;
	}
	pcre2_pattern_info(s->code, PCRE2_INFO_CAPTURECOUNT, &pcaps);
	if (pcaps != re->ncaps || re->ncaps >= 1023) {
		c->disagree++;
		fprintf(stderr, "DISAGREE (capture count %u vs %u) %s /%.*s/\n", re->ncaps,
			pcaps, s->where, (int)s->patlen, (const char *)s->pat);
		pcre2_code_free(s->code);
		return false;
	}
	regex_compile(a, re, &s->prog);
	s->md = pcre2_match_data_create_from_pattern(s->code, NULL);
	return true;
}

static void finish(struct subject_rx *s)
{
	pcre2_match_data_free(s->md);
	pcre2_code_free(s->code);
	pcre2_code_free(s->plain);
}

/* ---- the database --------------------------------------------------------------------------- */

static void print_stats(const struct rx_stats *st, unsigned long n)
{
	printf("construct counts over %lu regexes (occurrences):\n"
	       "  lazy %lu, possessive %lu, atomic %lu, lookahead %lu, negative lookahead %lu,\n"
	       "  lookbehind %lu, negative lookbehind %lu, backrefs %lu, counted repeats %lu,\n"
	       "  repeats > 100 %lu, capture groups %lu, \\b/\\B %lu, ^ %lu, $ %lu\n",
	       n, st->lazy, st->possessive, st->atomic, st->lookahead,
	       st->neg_lookahead, st->lookbehind, st->neg_lookbehind, st->backref,
	       st->counted, st->big_repeat, st->groups, st->word_assert, st->caret,
	       st->dollar);
}

static int run_db(const struct opts *o, struct counts *c, pcre2_match_context *mctx,
		  struct rx_vm *vm)
{
	struct probe_db db;
	struct diag d;
	struct corpus cor;
	struct rx_stats st = { 0 };
	unsigned long idx = 0;

	load_corpus(o->corpus, &cor);
	diag_init(&d, stderr);
	probe_db_init(&db, o->probes);
	if (!probe_db_load(&db, o->probes, &d)) {
		probe_db_free(&db);
		return 2;
	}
	for (size_t i = 0; i < db.nprobes; i++) {
		for (size_t j = 0; j < db.probes[i].nmatches; j++, idx++) {
			const struct match *m = &db.probes[i].matches[j];
			struct subject_rx s = { 0 };
			struct regex re;
			struct arena a;
			char where[128];

			if (o->slice > 1 && idx % o->slice != 0)
				continue;
			snprintf(where, sizeof where, "%s:%u", m->regex_at.file ? m->regex_at.file : "",
				 m->regex_at.line);
			s.where = where;
			s.pat = m->regex.p;
			s.patlen = m->regex.len;
			s.flags = m->regex_flags;
			s.mctx = mctx;
			s.vm = vm;
#ifdef HAVE_NMAP_SIGDB
			/* Compiled from the same file, in the same order. */
			if (strcmp(o->probes, svd_sigdb_nmap.source) == 0 &&
			    idx < svd_sigdb_nmap.nmatches)
			{
				s.gen = &svd_sigdb_nmap.matches[idx];
				s.gate = &svd_sigdb_nmap.gates[idx];
			}
#endif
			arena_init(&a);
			c->regexes++;
			if (prepare(c, &s, &a, &re, m->regex_at, false)) {
				regex_stats(&re, &st);
				run_subjects(c, &s, &re, &cor, o);
				finish(&s);
			}
			arena_free(&a);
		}
	}
	if (o->stats)
		print_stats(&st, c->regexes);
	probe_db_free(&db);
	free(cor.ex);
	return 0;
}

/* ---- random small patterns ----------------------------------------------------------------- */

static const char *const fuzz_atoms[] = {
	"a", "b", "ab", ".", "[ab]", "[^a]", "\\n", "\\d", "\\w", "\\s", "\\W",
	"A", "B", "[a-c]", "x*", "\\x61", "[[:alpha:]]", "\\b", "\\B", "^", "$",
	"\\Z", "\\z", "\\A", "\\1", "\\2", "(?i)", "(?s)", "(?-i)", "\\Qa.\\E",
	"{", "[]a]", "[a-]", "\\h", "\\v", "\\N", "\\R", "\\g{1}", "\\g-1",
	"\\k<n>", "(?P=n)", "\\012", "\\x{41}", "\\cA", "[[:^alpha:]]",
	"[a\\]]", "[\\x41-\\x43]", "\\01", "\\11", "(?m)", "(?x) ", "(?U)",
	"[\\b]", "\\G", "[^\\n]", "[\\s\\S]", "a{,2}",
	"[[:upper:]]", "[[:punct:]x]", "\\e", "[\\Qa]\\E]", "(?i)[^B]",
};

/*
 * PCRE2 10.43 made {,n} a quantifier; PCRE1 (Nmap 7.93) and PCRE2 up to
 * 10.42 read it as literal text, and so does svdc.  No regex of Nmap's
 * databases (7.93 to 7.991) holds one (docs/regex-semantics.md).  With a
 * newer oracle the atom that tests the literal reading is left out.
 */
static bool oracle_reads_brace_comma_as_quantifier(void)
{
	char v[64];
	unsigned major = 0, minor = 0;

	if (pcre2_config(PCRE2_CONFIG_VERSION, v) < 0 || sscanf(v, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 10 || (major == 10 && minor >= 43);
}

static bool skip_brace_comma;

static const char *fuzz_atom(void)
{
	const char *a;

	do
		a = fuzz_atoms[rn(sizeof fuzz_atoms / sizeof fuzz_atoms[0])];
	while (skip_brace_comma && strstr(a, "{,"));
	return a;
}

static const char *const fuzz_quants[] = {
	"*", "+", "?", "*?", "+?", "??", "*+", "++", "?+", "{2}", "{0,2}",
	"{1,}", "{2,3}?", "{0,}", "{1,3}+",
};

static void fuzz_expr(struct buf *b, unsigned depth);

static void fuzz_piece(struct buf *b, unsigned depth)
{
	static const char *const opens[] = { "(", "(?:", "(?>", "(?=", "(?!",
		"(?<=", "(?<!", "(?i:", "(?s:", "(?<n>", "(" };
	unsigned k = rn(10);

	if (depth < 3 && k < 3) {
		const char *o = opens[rn(sizeof opens / sizeof opens[0])];

		puts_buf(b, o);
		if (!strncmp(o, "(?<", 3) && (o[3] == '=' || o[3] == '!')) {
			/* Lookbehind needs fixed-length branches. */
			puts_buf(b, rn(2) ? "a" : "ab|b");
		} else {
			fuzz_expr(b, depth + 1);
		}
		puts_buf(b, ")");
	} else {
		puts_buf(b, fuzz_atom());
	}
	if (rn(3) == 0)
		puts_buf(b, fuzz_quants[rn(sizeof fuzz_quants / sizeof fuzz_quants[0])]);
}

static void fuzz_expr(struct buf *b, unsigned depth)
{
	unsigned n = 1 + rn(4);

	for (unsigned k = 0; k < n; k++)
		fuzz_piece(b, depth);
	if (rn(4) == 0) {
		puts_buf(b, "|");
		fuzz_expr(b, depth + 1);
	}
}

static void fuzz_subject(struct buf *b)
{
	static const char alphabet[] = "aabbAB\n x1_";

	b->n = rn(9);
	for (size_t k = 0; k < b->n; k++)
		b->p[k] = (unsigned char)alphabet[rn(sizeof alphabet - 1)];
}

static void run_fuzz(const struct opts *o, struct counts *c,
		     pcre2_match_context *mctx, struct rx_vm *vm)
{
	for (unsigned i = 0; i < o->fuzz; i++) {
		struct subject_rx s = { 0 };
		struct regex re;
		struct arena a;
		struct buf pat = { .n = 0 };
		struct loc at = { "fuzz", 1, 1 };

		fuzz_expr(&pat, 0);
		s.where = "fuzz";
		s.pat = pat.p;
		s.patlen = pat.n;
		s.flags = rn(4);
		s.mctx = mctx;
		s.vm = vm;
		arena_init(&a);
		c->regexes++;
		if (prepare(c, &s, &a, &re, at, true)) {
			for (unsigned k = 0; k < 60; k++) {
				struct buf b;

				if (k < 20) {
					generate(&re, &b);
					if (k >= 10)
						mutate(&b);
				} else {
					fuzz_subject(&b);
				}
				check_subject(c, &s, b.p, b.n);
			}
			finish(&s);
		}
		arena_free(&a);
	}
}

/* ---- main ------------------------------------------------------------------------------------ */

/* Debugging aid: our IR and program for one pattern. */
static int try_pattern(const char *pat)
{
	struct arena a;
	struct diag d;
	struct regex re;
	struct rx_prog prog;
	struct loc at = { "try", 1, 1 };
	int status = 1;

	arena_init(&a);
	diag_init(&d, stderr);
	if (regex_parse(&a, (const unsigned char *)pat, strlen(pat), 0, at, &d, &re)) {
		regex_dump(&re, stdout);
		regex_compile(&a, &re, &prog);
		regex_prog_dump(&prog, stdout);
		status = 0;
	}
	arena_free(&a);
	return status;
}

static int usage(void)
{
	fputs("usage: regex_diff [--slice N] [--long] [--fuzz N] [--seed S] [--stats]\n"
	      "                  [--corpus TSV] [PROBE-FILE]\n", stderr);
	return 2;
}

static bool parse_args(int argc, char **argv, struct opts *o)
{
	o->slice = 1;
	o->corpus = RECOG_CORPUS;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--slice") && i + 1 < argc)
			o->slice = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(a, "--long"))
			o->longmode = true;
		else if (!strcmp(a, "--fuzz") && i + 1 < argc)
			o->fuzz = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(a, "--seed") && i + 1 < argc)
			rng_state = strtoull(argv[++i], NULL, 0) | 1;
		else if (!strcmp(a, "--stats"))
			o->stats = true;
		else if (!strcmp(a, "--corpus") && i + 1 < argc)
			o->corpus = argv[++i];
		else if (a[0] == '-' && a[1])
			return false;
		else
			o->probes = a;
	}
	return o->slice > 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct counts c = { 0 };
	struct rx_vm vm;
	pcre2_match_context *mctx;
	clock_t t0 = clock();
	int status = 0;

	if (argc == 3 && !strcmp(argv[1], "--try"))
		return try_pattern(argv[2]);
	if (!parse_args(argc, argv, &o))
		return usage();
	mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mctx, PCRE2_LIMIT);
	skip_brace_comma = oracle_reads_brace_comma_as_quantifier();
	if (skip_brace_comma)
		printf("PCRE2 reads {,n} as a quantifier (10.43 and later): no random pattern holds one\n");
	rx_vm_init(&vm);
	if (o.probes)
		status = run_db(&o, &c, mctx, &vm);
	if (o.fuzz)
		run_fuzz(&o, &c, mctx, &vm);
	printf("regexes %lu, checks %lu (matches %lu), disagreements %lu, "
	       "limit hits %lu ours / %lu pcre2, PCRE2 anomalies %lu, "
	       "PCRE2-only rejects %lu, both reject %lu (error offset differs: %lu), %.1f s\n",
	       c.regexes, c.checks, c.matched, c.disagree, c.limits_ours,
	       c.limits_pcre2, c.anomalies, c.oracle_rejects, c.both_reject, c.offset_diff,
	       (double)(clock() - t0) / CLOCKS_PER_SEC);
	printf("generated matchers: %lu checks against the interpreter (%lu past BT_BUDGET %d, "
	       "no match), %lu disagreements; the most choice points a search within it looked at: %lu\n",
	       c.gen_checks, c.gen_gave_up, (int)BT_BUDGET, c.gen_disagree, c.most_resumes);
	rx_vm_free(&vm);
	pcre2_match_context_free(mctx);
	if (status)
		return status;
	return c.disagree || c.gen_disagree ? 1 : 0;
}
