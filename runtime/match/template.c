/*
 * Template rendering after Nmap 7.93's dotmplsubst(), substvar() and
 * getsubstcommandargs() (service_scan.cc).  Every quirk that changes an
 * answer is kept on purpose; see docs/templates.md before "fixing" one.
 */
#include "template.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

/* Nmap's struct substargs limits and substvar()'s command buffer. */
enum { MAX_ARGS = 5, ARG_STRLEN = 128, CMD_LEN = 16 };

enum argtype { ARG_NONE, ARG_STR, ARG_INT };

struct args {
	int n;
	enum argtype type[MAX_ARGS];
	unsigned char str[MAX_ARGS][ARG_STRLEN];
	size_t slen[MAX_ARGS];
	long num[MAX_ARGS];
};

/* Where rendered bytes go; over records that Nmap's length check failed. */
struct out {
	char *buf;
	size_t cap;
	size_t len;
	bool cpe;
	bool over;
};

/* The C locale's classes: Nmap's ctype calls see only these. */
static bool is_space(unsigned c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool is_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}

static int hexval(unsigned c)
{
	if (is_digit(c))
		return (int)(c - '0');
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	return -1;
}

/*
 * Appends one byte unless that would pass limit bytes.  Limits follow
 * dotmplsubst(): a substitution, and literal text before a '$', must end
 * at most at cap - 2; trailing literal text at cap - 1.
 */
static void put(struct out *o, unsigned char c, size_t limit)
{
	if (o->over || o->len + 1 > limit) {
		o->over = true;
		return;
	}
	o->buf[o->len++] = (char)c;
}

static void put_lit(struct out *o, const unsigned char *p, size_t n,
		    size_t limit)
{
	while (n-- > 0)
		put(o, *p++, limit);
}

/*
 * One byte of a substituted value.  Nmap measures values with strlen(),
 * so a NUL cuts the rest of the value (*cut); cpe:/ values pass through
 * transform_cpe() first.
 */
static void put_val(struct out *o, unsigned char c, bool *cut)
{
	static const char reserved[] = ":/?#[]@!$&'()*+,;=%<>\"";
	static const char hex[] = "0123456789ABCDEF";
	size_t limit = o->cap - 2;

	if (*cut)
		return;
	if (c == '\0') {
		*cut = true;
		return;
	}
	if (!o->cpe) {
		put(o, c, limit);
	} else if (strchr(reserved, c)) {
		put(o, '%', limit);
		put(o, (unsigned char)hex[c >> 4], limit);
		put(o, (unsigned char)hex[c & 15], limit);
	} else if (is_space(c)) {
		put(o, '_', limit);
	} else {
		put(o, c >= 'A' && c <= 'Z' ? c + 32 : c, limit);
	}
}

/*
 * strtol(p, &end, 0) on the bounded template: returns false when no
 * digits were converted (Nmap then rejects the argument list).
 */
static bool scan_long(const unsigned char *t, size_t n, size_t p, long *v,
		      size_t *end)
{
	unsigned long mag = 0, lim = (unsigned long)LONG_MAX + 1;
	unsigned base = 10;
	bool neg = false, over = false, any = false;

	while (p < n && is_space(t[p]))
		p++;
	if (p < n && (t[p] == '+' || t[p] == '-'))
		neg = t[p++] == '-';
	if (p < n && t[p] == '0') {
		base = 8;
		if (p + 2 < n && (t[p + 1] | 0x20) == 'x' &&
		    hexval(t[p + 2]) >= 0) {
			base = 16;
			p += 2;
		}
	}
	for (; p < n; p++) {
		int d = hexval(t[p]);

		if (d < 0 || (unsigned)d >= base)
			break;
		any = true;
		if (mag > (lim - (unsigned)d) / base)
			over = true;
		else
			mag = mag * base + (unsigned)d;
	}
	if (!any)
		return false;
	if (!neg)
		*v = over || mag > (unsigned long)LONG_MAX ? LONG_MAX
							   : (long)mag;
	else if (over || mag == lim)
		*v = LONG_MIN;
	else
		*v = -(long)mag;
	*end = p;
	return true;
}

/*
 * Nmap's cstring_unescape() on a $SUBST() argument: as for probe strings,
 * except that a backslash ending the string yields a NUL (Nmap reads the
 * zeroed byte after the terminator).
 */
static bool unescape(unsigned char *dst, size_t *dlen,
		     const unsigned char *src, size_t n)
{
	size_t bad_at = 0;
	long len = escape_decode(dst, src, n, &bad_at);

	if (len < 0 && bad_at + 1 == n) {
		len = escape_decode(dst, src, n - 1, &bad_at);
		if (len >= 0)
			dst[len++] = '\0';
	}
	if (len < 0)
		return false;
	*dlen = (size_t)len;
	return true;
}

/* Nmap's strpbrk(p, ",)"): junk before the separator is skipped. */
static bool next_arg(const unsigned char *t, size_t n, size_t *p)
{
	while (*p < n && t[*p] != ',' && t[*p] != ')')
		++*p;
	if (*p == n)
		return false;
	if (t[*p] == ',')
		++*p;
	return true;
}

/*
 * getsubstcommandargs(): parses the arguments from t[p] (just after the
 * '(') and sets *end after the closing ')'.  Returns the argument count
 * or -1.  Where Nmap reads past the template (an unterminated string),
 * the result is -1.
 */
static int parse_args(struct args *a, const unsigned char *t, size_t n,
		      size_t p, size_t *end)
{
	memset(a, 0, sizeof *a);
	while (p < n && t[p] != ')') {
		while (p < n && is_space(t[p]))
			p++;
		if (p < n && t[p] == ')')
			break;
		if (p < n && t[p] == '"') {
			unsigned char raw[ARG_STRLEN];
			size_t len = 0;

			if (a->n == MAX_ARGS)
				return -1;
			for (;;) {
				if (++p >= n)
					return -1;
				/* Nmap's test: \" continues, \\" ends. */
				if (t[p] == '"' && (t[p - 1] != '\\' ||
						    t[p - 2] == '\\'))
					break;
				if (len >= ARG_STRLEN - 1)
					return -1;
				raw[len++] = t[p];
			}
			if (!unescape(a->str[a->n], &a->slen[a->n], raw, len))
				return -1;
			a->type[a->n++] = ARG_STR;
			p++;
		} else {
			long v;

			if (!scan_long(t, n, p, &v, &p))
				return -1;
			/* Nmap overruns its arrays here; no command
			 * accepts that many arguments anyway. */
			if (a->n == MAX_ARGS)
				return -1;
			a->num[a->n] = v;
			a->type[a->n++] = ARG_INT;
		}
		if (!next_arg(t, n, &p))
			return -1;
	}
	if (p < n && t[p] == ')')
		p++;
	*end = p;
	return a->n;
}

/*
 * The capture of group v, if Nmap accepts it: 1-9 after Nmap's (int)
 * cast of strtol's long, below pcre_exec's count, and set.
 */
static bool capture(const struct svd_subject *s, long v, size_t *b,
		    size_t *e)
{
	uint32_t g = (uint32_t)v;
	int so, eo;

	if (g < 1 || g > 9 || (int)g >= s->nmatch)
		return false;
	so = s->ovec[2 * g];
	eo = s->ovec[2 * g + 1];
	if (so < 0 || eo < so || (size_t)eo > s->len)
		return false;
	*b = (size_t)so;
	*e = (size_t)eo;
	return true;
}

static int cmd_p(struct out *o, const struct args *a,
		 const struct svd_subject *s)
{
	bool cut = false;
	size_t b, e;

	if (a->n != 1 || a->type[0] != ARG_INT || !capture(s, a->num[0], &b, &e))
		return -1;
	for (; b < e; b++)
		if (s->buf[b] >= 0x20 && s->buf[b] < 0x7f)
			put_val(o, s->buf[b], &cut);
	return 0;
}

static int cmd_subst(struct out *o, const struct args *a,
		     const struct svd_subject *s)
{
	const unsigned char *find = a->str[1], *repl = a->str[2];
	size_t flen = a->slen[1], b, e, k;
	bool cut = false;

	if (a->n != 3 || a->type[0] != ARG_INT || a->type[1] != ARG_STR ||
	    a->type[2] != ARG_STR || !capture(s, a->num[0], &b, &e))
		return -1;
	/* Nmap never returns from an empty search string. */
	if (flen == 0)
		return -1;
	while (b < e) {
		/* Nmap compares past the capture's end, into the rest of
		 * the subject; beyond the subject counts as a mismatch. */
		if (flen <= s->len - b && !memcmp(s->buf + b, find, flen)) {
			for (k = 0; k < a->slen[2]; k++)
				put_val(o, repl[k], &cut);
			b += flen;
		} else {
			put_val(o, s->buf[b++], &cut);
		}
	}
	return 0;
}

static int cmd_i(struct out *o, const struct args *a,
		 const struct svd_subject *s)
{
	unsigned long long val = 0;
	char num[24];
	bool cut = false;
	size_t b, e, k;
	int len;

	if (a->n != 2 || a->type[0] != ARG_INT || a->type[1] != ARG_STR ||
	    a->slen[1] != 1 || !capture(s, a->num[0], &b, &e) || e - b > 8)
		return -1;
	if (a->str[1][0] == '>')
		for (k = b; k < e; k++)
			val = val << 8 | s->buf[k];
	else if (a->str[1][0] == '<')
		for (k = e; k > b; k--)
			val = val << 8 | s->buf[k - 1];
	else
		return -1;
	len = snprintf(num, sizeof num, "%llu", val);
	for (k = 0; k < (size_t)len; k++)
		put_val(o, (unsigned char)num[k], &cut);
	return 0;
}

/*
 * substvar(): the variable at t[at] == '$'.  Sets *next after it and
 * returns 0, or -1 when Nmap's substvar() returns NULL.
 */
static int subst(struct out *o, const unsigned char *t, size_t n, size_t at,
		 const struct svd_subject *s, size_t *next)
{
	const unsigned char *cmd = t + at + 1, *lp;
	size_t clen, p = at + 1;
	struct args a;

	if (p < n && is_digit(t[p])) {
		bool cut = false;
		size_t b, e;

		*next = p + 1;
		if (!capture(s, t[p] - '0', &b, &e))
			return -1;
		while (b < e)
			put_val(o, s->buf[b++], &cut);
		return 0;
	}
	lp = memchr(cmd, '(', n - p);
	if (!lp)
		return -1;
	clen = (size_t)(lp - cmd);
	if (clen == 0 || clen >= CMD_LEN)
		return -1;
	if (parse_args(&a, t, n, (size_t)(lp - t) + 1, next) <= 0)
		return -1;
	if (clen == 1 && cmd[0] == 'P')
		return cmd_p(o, &a, s);
	if (clen == 5 && !memcmp(cmd, "SUBST", 5))
		return cmd_subst(o, &a, s);
	if (clen == 1 && cmd[0] == 'I')
		return cmd_i(o, &a, s);
	return -1;
}

/* dotmplsubst() with an optional literal prefix (cpe:/ templates). */
static int render(struct out *o, const char *prefix, const unsigned char *t,
		  size_t n, const struct svd_subject *s)
{
	const unsigned char *nul = memchr(t, '\0', n);
	size_t i = 0, plen = strlen(prefix);
	bool bad = false;

	if (o->cap == 0)
		return -1;
	o->buf[0] = '\0';
	if (o->cap < 3)
		return -1;
	/* Nmap's templates are C strings. */
	if (nul)
		n = (size_t)(nul - t);
	put_lit(o, (const unsigned char *)prefix, plen,
		memchr(t, '$', n) ? o->cap - 2 : o->cap - 1);
	while (i < n && !o->over && !bad) {
		const unsigned char *d = memchr(t + i, '$', n - i);
		size_t at;

		if (!d) {
			put_lit(o, t + i, n - i, o->cap - 1);
			break;
		}
		at = (size_t)(d - t);
		put_lit(o, t + i, at - i, o->cap - 2);
		bad = subst(o, t, n, at, s, &i) < 0;
	}
	if (o->over || bad) {
		o->len = 0;
		o->buf[0] = '\0';
		return -1;
	}
	while (o->len > 0 && (is_space((unsigned char)o->buf[o->len - 1]) ||
			      o->buf[o->len - 1] == ','))
		o->len--;
	o->buf[o->len] = '\0';
	return 0;
}

int svd_render_field(char *out, size_t cap, const unsigned char *tmpl,
		     size_t tlen, const struct svd_subject *s)
{
	struct out o = { .buf = out, .cap = cap };

	return render(&o, "", tmpl, tlen, s);
}

int svd_render_cpe(char *out, size_t cap, const unsigned char *body,
		   size_t blen, const struct svd_subject *s)
{
	struct out o = { .buf = out, .cap = cap, .cpe = true };

	return render(&o, "cpe:/", body, blen, s);
}

int svd_cpe_part(const unsigned char *body, size_t blen)
{
	if (blen > 0 && (body[0] == 'a' || body[0] == 'h' || body[0] == 'o'))
		return body[0];
	return -1;
}

unsigned svd_render_version(struct svd_version *v,
			    const struct svd_templates *t,
			    const struct svd_subject *s)
{
	char *const field[SVD_F_COUNT] = {
		v->product, v->version, v->info,
		v->hostname, v->ostype, v->devtype
	};
	static const size_t cap[SVD_F_COUNT] = {
		SVD_CAP_PRODUCT, SVD_CAP_VERSION, SVD_CAP_INFO,
		SVD_CAP_HOSTNAME, SVD_CAP_OSTYPE, SVD_CAP_DEVTYPE
	};
	unsigned failed = 0;
	size_t i;

	v->cpe_a[0] = v->cpe_h[0] = v->cpe_o[0] = '\0';
	for (i = 0; i < SVD_F_COUNT; i++) {
		field[i][0] = '\0';
		if (t->field[i].s &&
		    svd_render_field(field[i], cap[i], t->field[i].s,
				     t->field[i].len, s) < 0)
			failed |= 1u << i;
	}
	for (i = 0; i < t->ncpe; i++) {
		const struct svd_tmpl *c = &t->cpe[i];
		char *slot;

		switch (svd_cpe_part(c->s, c->len)) {
		case 'a': slot = v->cpe_a; break;
		case 'h': slot = v->cpe_h; break;
		case 'o': slot = v->cpe_o; break;
		default: continue;
		}
		if (svd_render_cpe(slot, SVD_CAP_CPE, c->s, c->len, s) < 0)
			failed |= SVD_FAIL_CPE;
	}
	return failed;
}

static void make_printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '.';
}

void svd_version_make_printable(struct svd_version *v)
{
	make_printable(v->product);
	make_printable(v->version);
	make_printable(v->info);
	make_printable(v->hostname);
	make_printable(v->ostype);
	make_printable(v->devtype);
	make_printable(v->cpe_a);
	make_printable(v->cpe_h);
	make_printable(v->cpe_o);
}
