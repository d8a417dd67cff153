/*
 * PCRE pattern bytes -> IR.  The grammar and the quirks are those of PCRE
 * 8.39 in 8-bit non-UTF mode with the C locale's tables (what Nmap 7.93
 * runs); where PCRE2 10.42 (the test oracle) differs, the comment says so
 * and docs/regex-semantics.md lists it.  Option bits are consumed here:
 * the IR has none (see regex.h).
 *
 * Errors: the first error of a pattern is reported at the byte offset PCRE
 * would give; parsing then stops (one bad pattern cannot cascade, and the
 * probe file goes on with the next line).
 */
#include <stdarg.h>
#include <string.h>

#include "ast.h"
#include "regex.h"

/* Option bits while parsing; only CASELESS and DOTALL reach us from Nmap. */
enum {
	F_CASELESS = 1,
	F_DOTALL = 2,
	F_MULTILINE = 4,
	F_EXTENDED = 8,
	F_UNGREEDY = 16,
	F_EXTRA = 32,
	F_DUPNAMES = 64
};

enum {
	MAX_NEST = 250,       /* PCRE's parenthesis nesting limit */
	MAX_REPEAT = 65535,   /* largest {n} PCRE accepts */
	MAX_NAME = 32,        /* longest group name */
	MAX_CAPS = 65535
};

struct rx_name {
	const unsigned char *s;
	size_t len;
	unsigned cap;
};

/* A reference resolved after the whole pattern is read (may be forward). */
struct rx_ref {
	struct rx_node *node;
	const unsigned char *name; /* NULL: numbered */
	size_t len;
	size_t end; /* offset just after the reference, for the message */
};

struct rxp {
	struct arena *a;
	const unsigned char *s;
	size_t len, i;
	struct diag *d;
	struct loc at;
	bool failed;
	size_t err_off;
	unsigned depth, ncaps;
	struct rx_name *names;
	size_t nnames, names_cap;
	struct rx_ref *refs;
	size_t nrefs, refs_cap;
};

/* A marker returned by parse_atom() for items that produce no node. */
static struct rx_node no_atom;

/* ---- sets ------------------------------------------------------------------ */

void rx_set_add_range(struct rx_set *s, unsigned lo, unsigned hi)
{
	for (unsigned c = lo; c <= hi; c++)
		rx_set_add(s, c);
}

void rx_set_union(struct rx_set *s, const struct rx_set *t)
{
	for (int k = 0; k < 4; k++)
		s->w[k] |= t->w[k];
}

void rx_set_negate(struct rx_set *s)
{
	for (int k = 0; k < 4; k++)
		s->w[k] = ~s->w[k];
}

unsigned rx_set_count(const struct rx_set *s)
{
	unsigned n = 0;

	for (int k = 0; k < 4; k++)
		n += (unsigned)__builtin_popcountll(s->w[k]);
	return n;
}

void rx_set_fold(struct rx_set *s)
{
	for (unsigned c = 'A'; c <= 'Z'; c++) {
		if (rx_set_has(s, c) || rx_set_has(s, c + 32)) {
			rx_set_add(s, c);
			rx_set_add(s, c + 32);
		}
	}
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int xvalue(int c)
{
	if (is_digit(c))
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

/* The C-locale character types behind \d \s \w \h \v and [:name:]. */
enum ctype {
	CT_DIGIT, CT_SPACE, CT_WORD, CT_HSPACE, CT_VSPACE,
	CT_ALPHA, CT_LOWER, CT_UPPER, CT_ALNUM, CT_ASCII, CT_BLANK, CT_CNTRL,
	CT_GRAPH, CT_PRINT, CT_PUNCT, CT_XDIGIT
};

static void ctype_set(struct rx_set *s, enum ctype t)
{
	memset(s, 0, sizeof *s);
	switch (t) {
	case CT_DIGIT: rx_set_add_range(s, '0', '9'); break;
	/* PCRE 8.34+ and PCRE2 both include VT (\x0b) in \s. */
	case CT_SPACE: rx_set_add_range(s, 9, 13); rx_set_add(s, ' '); break;
	case CT_WORD:
		rx_set_add_range(s, '0', '9');
		rx_set_add_range(s, 'A', 'Z');
		rx_set_add_range(s, 'a', 'z');
		rx_set_add(s, '_');
		break;
	/* \h and \v keep their Latin-1 members even without UTF. */
	case CT_HSPACE: rx_set_add(s, 9); rx_set_add(s, ' '); rx_set_add(s, 0xa0); break;
	case CT_VSPACE: rx_set_add_range(s, 10, 13); rx_set_add(s, 0x85); break;
	case CT_ALPHA: rx_set_add_range(s, 'A', 'Z'); rx_set_add_range(s, 'a', 'z'); break;
	case CT_LOWER: rx_set_add_range(s, 'a', 'z'); break;
	case CT_UPPER: rx_set_add_range(s, 'A', 'Z'); break;
	case CT_ALNUM:
		ctype_set(s, CT_ALPHA);
		rx_set_add_range(s, '0', '9');
		break;
	case CT_ASCII: rx_set_add_range(s, 0, 127); break;
	case CT_BLANK: rx_set_add(s, 9); rx_set_add(s, ' '); break;
	case CT_CNTRL: rx_set_add_range(s, 0, 31); rx_set_add(s, 127); break;
	case CT_GRAPH: rx_set_add_range(s, 33, 126); break;
	case CT_PRINT: rx_set_add_range(s, 32, 126); break;
	case CT_PUNCT:
		for (unsigned c = 33; c <= 126; c++)
			if (!is_alpha((int)c) && !is_digit((int)c))
				rx_set_add(s, c);
		break;
	case CT_XDIGIT:
		rx_set_add_range(s, '0', '9');
		rx_set_add_range(s, 'A', 'F');
		rx_set_add_range(s, 'a', 'f');
		break;
	}
}

/* ---- errors and nodes ------------------------------------------------------ */

static void *fail(struct rxp *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void *fail(struct rxp *p, size_t off, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	struct loc at = p->at;

	if (p->failed)
		return NULL;
	p->failed = true;
	p->err_off = off;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	at.col += (unsigned)off;
	diag_error(p->d, at, "regex: %s", msg);
	return NULL;
}

static struct rx_node *node_new(struct rxp *p, enum rx_kind kind, size_t off)
{
	struct rx_node *n = arena_alloc(p->a, sizeof *n);

	n->kind = kind;
	n->off = (unsigned)off;
	return n;
}

static struct rx_node *set_node(struct rxp *p, const struct rx_set *s,
				size_t off)
{
	struct rx_node *n = node_new(p, RX_SET, off);

	n->set = *s;
	return n;
}

static struct rx_node *char_node(struct rxp *p, unsigned c, unsigned flags,
				 size_t off)
{
	struct rx_set s = { { 0 } };

	rx_set_add(&s, c);
	if (flags & F_CASELESS)
		rx_set_fold(&s);
	return set_node(p, &s, off);
}

static struct rx_node *assert_node(struct rxp *p, enum rx_assert k, size_t off)
{
	struct rx_node *n = node_new(p, RX_ASSERT, off);

	n->assert = k;
	return n;
}

static struct rx_node *wrap(struct rxp *p, enum rx_kind kind,
			    struct rx_node *kid, size_t off)
{
	struct rx_node *n = node_new(p, kind, off);

	n->kid = kid;
	return n;
}

/* A growable node list for CAT and ALT. */
struct list {
	struct rx_node **v;
	size_t n, cap;
};

static void list_push(struct rxp *p, struct list *l, struct rx_node *n)
{
	l->v = arena_grow(p->a, l->v, sizeof *l->v, &l->cap, l->n + 1);
	l->v[l->n++] = n;
}

/* CAT or ALT of the list; one element stands for itself, none is EMPTY. */
static struct rx_node *list_node(struct rxp *p, enum rx_kind kind,
				 struct list *l, size_t off)
{
	struct rx_node *n;

	if (l->n == 0)
		return node_new(p, RX_EMPTY, off);
	if (l->n == 1)
		return l->v[0];
	n = node_new(p, kind, off);
	n->kids = l->v;
	n->nkids = l->n;
	return n;
}

/* ---- small readers ------------------------------------------------------------ */

static int peek(const struct rxp *p, size_t k)
{
	return p->i + k < p->len ? p->s[p->i + k] : -1;
}

/*
 * Is there a quantifier {n}, {n,} or {n,m} at offset i?  Anything else
 * (including PCRE2 10.43's {,m}) makes the brace a literal.
 */
static bool is_counted(const struct rxp *p, size_t i)
{
	size_t j = i + 1;

	if (j >= p->len || !is_digit(p->s[j]))
		return false;
	while (j < p->len && is_digit(p->s[j]))
		j++;
	if (j < p->len && p->s[j] == '}')
		return true;
	if (j >= p->len || p->s[j] != ',')
		return false;
	j++;
	while (j < p->len && is_digit(p->s[j]))
		j++;
	return j < p->len && p->s[j] == '}';
}

static bool read_number(struct rxp *p, uint32_t *v)
{
	uint32_t n = 0;

	while (p->i < p->len && is_digit(p->s[p->i])) {
		n = n * 10 + (uint32_t)(p->s[p->i++] - '0');
		if (n > MAX_REPEAT) {
			while (p->i < p->len && is_digit(p->s[p->i]))
				p->i++;
			fail(p, p->i, "number too big in {} quantifier");
			return false;
		}
	}
	*v = n;
	return true;
}

/* Reads a quantifier at p->i if there is one. */
static bool parse_quant(struct rxp *p, bool *have, uint32_t *min,
			uint32_t *max, enum rx_greed *greed, unsigned flags)
{
	int c = peek(p, 0);

	*have = true;
	if (c == '*') {
		*min = 0, *max = RX_INF, p->i++;
	} else if (c == '+') {
		*min = 1, *max = RX_INF, p->i++;
	} else if (c == '?') {
		*min = 0, *max = 1, p->i++;
	} else if (c == '{' && is_counted(p, p->i)) {
		p->i++;
		if (!read_number(p, min))
			return false;
		*max = *min;
		if (p->s[p->i] == ',') {
			p->i++;
			*max = RX_INF;
			if (is_digit(p->s[p->i]) && !read_number(p, max))
				return false;
		}
		p->i++; /* '}' */
		if (*max < *min)
			return fail(p, p->i - 1, "numbers out of order in {} quantifier"),
			       false;
	} else {
		*have = false;
		return true;
	}
	*greed = flags & F_UNGREEDY ? RX_LAZY : RX_GREEDY;
	if (peek(p, 0) == '+') {
		*greed = RX_POSSESSIVE;
		p->i++;
	} else if (peek(p, 0) == '?') {
		*greed = *greed == RX_LAZY ? RX_GREEDY : RX_LAZY;
		p->i++;
	}
	return true;
}

/* Offset PCRE gives for "nothing to repeat": the quantifier, or its '}'. */
static size_t quant_end(const struct rxp *p, size_t q)
{
	if (q < p->len && p->s[q] == '{')
		while (q < p->len && p->s[q] != '}')
			q++;
	return q;
}

/* ---- escapes --------------------------------------------------------------- */

/*
 * What an escape stands for: a character, a set, or (outside classes)
 * something that becomes a node.
 */
enum esc_kind { ESC_CHAR, ESC_SET, ESC_NODE, ESC_NONE };

struct esc {
	enum esc_kind kind;
	unsigned c;
	struct rx_set set;
	struct rx_node *node;
};

/* \ddd octal, up to three digits starting at p->i (at most 255 kept). */
static unsigned read_octal(struct rxp *p, int maxdigits)
{
	unsigned v = 0;

	for (int k = 0; k < maxdigits && p->i < p->len &&
			p->s[p->i] >= '0' && p->s[p->i] <= '7'; k++)
		v = v * 8 + (unsigned)(p->s[p->i++] - '0');
	return v & 0xff; /* non-UTF 8-bit mode keeps the low byte */
}

/* \x: \xH, \xHH, \x{H...}; p->i is just after the 'x'. */
static bool read_hex(struct rxp *p, unsigned *c, size_t start)
{
	if (peek(p, 0) == '{') {
		size_t j = p->i + 1;
		unsigned long v = 0;

		while (j < p->len && is_xdigit(p->s[j])) {
			v = v * 16 + (unsigned long)xvalue(p->s[j]);
			if (v > 0xffffff)
				v = 0xffffff;
			j++;
		}
		if (j < p->len && p->s[j] == '}' && j > p->i + 1) {
			p->i = j + 1;
			if (v > 0xff)
				return fail(p, p->i - 1,
					    "character value in \\x{} or \\o{} is too large"),
				       false;
			*c = (unsigned)v;
			return true;
		}
		/* Not a valid \x{...}: PCRE1 reads \x as NUL and '{' literally. */
		*c = 0;
		return true;
	}
	(void)start;
	*c = 0;
	for (int k = 0; k < 2 && is_xdigit(peek(p, 0)); k++)
		*c = *c * 16 + (unsigned)xvalue(p->s[p->i++]);
	return true;
}

/* \o{ddd}; p->i is just after the 'o'. */
static bool read_o_brace(struct rxp *p, unsigned *c)
{
	unsigned long v = 0;

	if (peek(p, 0) != '{')
		return fail(p, p->i, "missing opening brace after \\o"), false;
	p->i++;
	while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '7') {
		v = v * 8 + (unsigned long)(p->s[p->i++] - '0');
		if (v > 0xffffff)
			v = 0xffffff;
	}
	if (peek(p, 0) != '}')
		return fail(p, p->i, "non-octal character in \\o{} (closing brace missing?)"),
		       false;
	p->i++;
	if (v > 0xff)
		return fail(p, p->i - 1, "character value in \\x{} or \\o{} is too large"),
		       false;
	*c = (unsigned)v;
	return true;
}

/* \cX: p->i is just after the 'c'. */
static bool read_ctrl(struct rxp *p, unsigned *c)
{
	int x = peek(p, 0);

	if (x < 0)
		return fail(p, p->i, "\\c at end of pattern"), false;
	if (x > 127)
		return fail(p, p->i + 1, "\\c must be followed by an ASCII character"),
		       false;
	if (x >= 'a' && x <= 'z')
		x -= 32;
	*c = (unsigned)x ^ 0x40;
	p->i++;
	return true;
}

/* Escapes that mean the same inside and outside a class. */
static bool common_escape(struct rxp *p, int c, struct esc *e, size_t start,
			  bool *done)
{
	static const struct { char c; enum ctype t; bool neg; } types[] = {
		{ 'd', CT_DIGIT, false }, { 'D', CT_DIGIT, true },
		{ 's', CT_SPACE, false }, { 'S', CT_SPACE, true },
		{ 'w', CT_WORD, false },  { 'W', CT_WORD, true },
		{ 'h', CT_HSPACE, false }, { 'H', CT_HSPACE, true },
		{ 'v', CT_VSPACE, false }, { 'V', CT_VSPACE, true },
	};
	static const char simple[] = "a\007e\033f\014n\012r\015t\011";

	*done = true;
	for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
		if (types[k].c == c) {
			e->kind = ESC_SET;
			ctype_set(&e->set, types[k].t);
			if (types[k].neg)
				rx_set_negate(&e->set);
			return true;
		}
	}
	for (const char *q = simple; *q; q += 2) {
		if (*q == c) {
			e->kind = ESC_CHAR;
			e->c = (unsigned char)q[1];
			return true;
		}
	}
	e->kind = ESC_CHAR;
	switch (c) {
	case 'x': return read_hex(p, &e->c, start);
	case 'o': return read_o_brace(p, &e->c);
	case 'c': return read_ctrl(p, &e->c);
	case '0': e->c = read_octal(p, 2); return true;
	case 'L': case 'l': case 'U': case 'u':
		return fail(p, p->i, "PCRE does not support \\L, \\l, \\N{name}, \\U, or \\u"),
		       false;
	case 'p': case 'P': case 'X':
		return fail(p, p->i, "unsupported: \\%c (Unicode properties)", c), false;
	default:
		*done = false;
		return true;
	}
}

/* A letter escape PCRE1 does not know: the letter itself (error under X). */
static bool unknown_escape(struct rxp *p, int c, struct esc *e, unsigned flags)
{
	if (is_alpha(c) && (flags & F_EXTRA))
		return fail(p, p->i, "unrecognized character follows \\"), false;
	e->kind = ESC_CHAR;
	e->c = (unsigned)c;
	return true;
}

/*
 * Reads the character after the backslash at p->i (*start: the backslash)
 * and handles the escapes that mean the same inside and outside a class.
 * Returns the character, or -1 after an error; *done when handled.
 */
static int begin_escape(struct rxp *p, struct esc *e, size_t *start, bool *done)
{
	int c;

	*start = p->i++;
	if (p->i >= p->len)
		return fail(p, p->len, "\\ at end of pattern"), -1;
	c = p->s[p->i++];
	return common_escape(p, c, e, *start, done) ? c : -1;
}

/* An escape inside a class; p->i is at the backslash. */
static bool class_escape(struct rxp *p, struct esc *e, unsigned flags)
{
	size_t start;
	bool done;
	int c = begin_escape(p, e, &start, &done);

	if (c < 0)
		return false;
	if (done)
		return true;
	e->kind = ESC_CHAR;
	if (c == 'b') {
		e->c = 8; /* backspace inside a class */
		return true;
	}
	if (c >= '1' && c <= '7') {
		p->i--;
		e->c = read_octal(p, 3);
		return true;
	}
	if (c == 'N')
		return fail(p, p->i, "\\N is not supported in a class"), false;
	return unknown_escape(p, c, e, flags);
}

/* ---- group names and references --------------------------------------------- */

/* Reads a name at p->i ending in term; PCRE: [A-Za-z_][A-Za-z0-9_]*. */
static bool read_name(struct rxp *p, int term, const unsigned char **s,
		      size_t *len)
{
	size_t j = p->i;

	if (j < p->len && is_digit(p->s[j]))
		return fail(p, j + 1, "group name must start with a non-digit"), false;
	while (j < p->len && (is_alpha(p->s[j]) || is_digit(p->s[j]) ||
			      p->s[j] == '_'))
		j++;
	if (j - p->i > MAX_NAME)
		return fail(p, j, "name is too long in (*MARK), (*PRUNE), (*SKIP), or (*THEN)"),
		       false;
	if (j >= p->len || p->s[j] != term) {
		if (j == p->i)
			return fail(p, j, "group name expected"), false;
		return fail(p, j, "syntax error in subpattern name (missing terminator?)"),
		       false;
	}
	if (j == p->i)
		return fail(p, j, "group name expected"), false;
	*s = p->s + p->i;
	*len = j - p->i;
	p->i = j + 1;
	return true;
}

/*
 * A reference to group n (or to name, resolved at the end).  err is where
 * PCRE2 reports a reference to a group that does not exist: the digit of
 * \N, the end of the number of \g{N}, the start of a name.
 */
static struct rx_node *backref(struct rxp *p, unsigned n,
			       const unsigned char *name, size_t len,
			       unsigned flags, size_t off, size_t err)
{
	struct rx_node *r = node_new(p, RX_BACKREF, off);

	r->cap = n;
	r->caseless = (flags & F_CASELESS) != 0;
	p->refs = arena_grow(p->a, p->refs, sizeof *p->refs, &p->refs_cap,
			     p->nrefs + 1);
	p->refs[p->nrefs++] = (struct rx_ref){ r, name, len, err };
	return r;
}

/* \g forms: \gN \g-N \g{N} \g{-N} \g{name}; p->i is after the 'g'. */
static struct rx_node *g_escape(struct rxp *p, unsigned flags, size_t start)
{
	bool brace = peek(p, 0) == '{';
	bool neg = false;
	size_t end;
	uint32_t n = 0;

	if (peek(p, 0) == '<' || peek(p, 0) == '\'')
		return fail(p, p->i, "unsupported: \\g subroutine calls");
	if (brace)
		p->i++;
	if (brace && (is_alpha(peek(p, 0)) || peek(p, 0) == '_')) {
		const unsigned char *name;
		size_t len;

		if (!read_name(p, '}', &name, &len))
			return NULL;
		return backref(p, 0, name, len, flags, start, (size_t)(name - p->s));
	}
	if (peek(p, 0) == '-') {
		neg = true;
		p->i++;
	}
	if (!is_digit(peek(p, 0)))
		return fail(p, p->i, "a numbered reference must not be zero");
	while (is_digit(peek(p, 0)) && n < MAX_CAPS)
		n = n * 10 + (uint32_t)(p->s[p->i++] - '0');
	end = p->i;
	if (brace && peek(p, 0) != '}')
		return fail(p, p->i, "\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number");
	if (brace)
		p->i++;
	if (n == 0)
		return fail(p, p->i, "a numbered reference must not be zero");
	if (neg) {
		if (n > p->ncaps)
			return fail(p, p->i, "reference to non-existent subpattern");
		n = p->ncaps - n + 1;
	}
	return backref(p, n, NULL, 0, flags, start, end);
}

/*
 * \1..\9 and longer: PCRE 8.39 takes the decimal number as a backreference
 * if it is < 8 or there are that many groups so far; otherwise \8 \9 are
 * literal digits and others re-read as up to three octal digits.  (PCRE2
 * says "< 10" and always treats \8 \9 as references.)
 */
static bool digit_escape(struct rxp *p, struct esc *e, unsigned flags,
			 size_t start)
{
	size_t digits = p->i - 1;
	unsigned long n = 0;

	for (size_t j = digits; j < p->len && is_digit(p->s[j]); j++)
		if (n < 100000)
			n = n * 10 + (unsigned long)(p->s[j] - '0');
	if (n < 8 || n <= p->ncaps) {
		while (p->i < p->len && is_digit(p->s[p->i]))
			p->i++;
		e->kind = ESC_NODE;
		e->node = backref(p, (unsigned)n, NULL, 0, flags, start, start + 1);
		return true;
	}
	e->kind = ESC_CHAR;
	if (p->s[digits] >= '8') {
		e->c = p->s[digits];
		return true;
	}
	p->i = digits;
	e->c = read_octal(p, 3);
	return true;
}

/* \R: (?>\r\n|[\n\x0b\f\r\x85]). */
static struct rx_node *newline_seq(struct rxp *p, size_t off)
{
	struct list alts = { 0 }, crlf = { 0 };
	struct rx_set one = { { 0 } };

	list_push(p, &crlf, char_node(p, '\r', 0, off));
	list_push(p, &crlf, char_node(p, '\n', 0, off));
	list_push(p, &alts, list_node(p, RX_CAT, &crlf, off));
	rx_set_add_range(&one, 10, 13);
	rx_set_add(&one, 0x85);
	list_push(p, &alts, set_node(p, &one, off));
	return wrap(p, RX_ATOMIC, list_node(p, RX_ALT, &alts, off), off);
}

/* An escape outside a class; p->i is at the backslash. */
static bool atom_escape(struct rxp *p, struct esc *e, unsigned flags)
{
	static const struct { char c; enum rx_assert a; } asserts[] = {
		{ 'b', RX_A_WORD }, { 'B', RX_A_NOT_WORD }, { 'A', RX_A_BEGIN },
		{ 'z', RX_A_END },  { 'Z', RX_A_END_NL },   { 'G', RX_A_START },
	};
	size_t start;
	bool done;
	int c = begin_escape(p, e, &start, &done);

	if (c < 0)
		return false;
	if (done)
		return true;
	for (size_t k = 0; k < sizeof asserts / sizeof asserts[0]; k++) {
		if (asserts[k].c == c) {
			e->kind = ESC_NODE;
			e->node = assert_node(p, asserts[k].a, start);
			return true;
		}
	}
	e->kind = ESC_NODE;
	switch (c) {
	case 'N':
		if (peek(p, 0) == '{' && !is_counted(p, p->i))
			return fail(p, p->i, "PCRE does not support \\L, \\l, \\N{name}, \\U, or \\u"),
			       false;
		e->kind = ESC_SET;
		memset(&e->set, 0xff, sizeof e->set);
		e->set.w[0] &= ~((uint64_t)1 << '\n');
		return true;
	case 'C':
		e->kind = ESC_SET;
		memset(&e->set, 0xff, sizeof e->set);
		return true;
	case 'R':
		e->node = newline_seq(p, start);
		return true;
	case 'K':
		return fail(p, p->i, "unsupported: \\K"), false;
	case 'g':
		e->node = g_escape(p, flags, start);
		return e->node != NULL;
	case 'k': {
		int open = peek(p, 0);
		int close = open == '<' ? '>' : open == '{' ? '}' : '\'';
		const unsigned char *name;
		size_t len;

		if (open != '<' && open != '{' && open != '\'')
			return fail(p, p->i, "\\k is not followed by a braced, angle-bracketed, or quoted name"),
			       false;
		p->i++;
		if (!read_name(p, close, &name, &len))
			return false;
		e->node = backref(p, 0, name, len, flags, start,
				  (size_t)(name - p->s));
		return true;
	}
	default:
		break;
	}
	if (c >= '1' && c <= '9')
		return digit_escape(p, e, flags, start);
	return unknown_escape(p, c, e, flags);
}

/* ---- classes --------------------------------------------------------------- */

/*
 * Is there [:name:], [.x.] or [=x=] at offset i (pointing at the '[')?
 * PCRE's test: the terminator pair appears before any ']' (or '\\').
 */
static bool posix_syntax(const struct rxp *p, size_t i, size_t *end)
{
	int term;

	if (i + 1 >= p->len)
		return false;
	term = p->s[i + 1];
	if (term != ':' && term != '.' && term != '=')
		return false;
	for (size_t j = i + 2; j + 1 < p->len; j++) {
		if (p->s[j] == '\\' && (p->s[j + 1] == ']' || p->s[j + 1] == '\\'))
			j++;
		else if (p->s[j] == '[' && j + 1 < p->len && p->s[j + 1] == term)
			return false;
		else if (p->s[j] == term && p->s[j + 1] == ']') {
			*end = j + 2;
			return true;
		} else if (p->s[j] == ']')
			return false;
	}
	return false;
}

static bool posix_class(struct rxp *p, size_t end, unsigned flags,
			struct rx_set *out)
{
	static const struct { const char *name; enum ctype t; } names[] = {
		{ "alpha", CT_ALPHA }, { "lower", CT_LOWER }, { "upper", CT_UPPER },
		{ "alnum", CT_ALNUM }, { "ascii", CT_ASCII }, { "blank", CT_BLANK },
		{ "cntrl", CT_CNTRL }, { "digit", CT_DIGIT }, { "graph", CT_GRAPH },
		{ "print", CT_PRINT }, { "punct", CT_PUNCT }, { "space", CT_SPACE },
		{ "word", CT_WORD },   { "xdigit", CT_XDIGIT },
	};
	const unsigned char *name = p->s + p->i + 2;
	size_t len = end - p->i - 4;
	bool neg = false;

	if (p->s[p->i + 1] != ':')
		return fail(p, end, "POSIX collating elements are not supported"),
		       false;
	if (len > 0 && name[0] == '^') {
		neg = true;
		name++, len--;
	}
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		enum ctype t = names[k].t;

		if (strlen(names[k].name) != len || memcmp(names[k].name, name, len))
			continue;
		/* Caseless [:lower:] and [:upper:] mean [:alpha:] (both PCREs). */
		if ((flags & F_CASELESS) && (t == CT_LOWER || t == CT_UPPER))
			t = CT_ALPHA;
		ctype_set(out, t);
		if (neg)
			rx_set_negate(out);
		p->i = end;
		return true;
	}
	return fail(p, p->i + 2, "unknown POSIX class name"), false;
}

/*
 * One item of a class: a character (ESC_CHAR) or a set (ESC_SET).  *quote
 * tracks \Q...\E, which may span items.
 */
/* Consumes \Q and \E inside a class; false at the end of the pattern. */
static bool class_quotes(struct rxp *p, bool *quote)
{
	for (;;) {
		if (p->i >= p->len)
			return fail(p, p->len, "missing terminating ] for character class"),
			       false;
		if (p->s[p->i] != '\\' || p->i + 1 >= p->len)
			return true;
		if (p->s[p->i + 1] == 'E')
			*quote = false;
		else if (!*quote && p->s[p->i + 1] == 'Q')
			*quote = true;
		else
			return true;
		p->i += 2;
	}
}

static bool class_item(struct rxp *p, struct esc *e, unsigned flags, bool *quote)
{
	size_t end;

	if (!class_quotes(p, quote))
		return false;
	if (*quote) {
		e->kind = ESC_CHAR;
		e->c = p->s[p->i++];
		return true;
	}
	if (p->s[p->i] == '[' && posix_syntax(p, p->i, &end)) {
		e->kind = ESC_SET;
		return posix_class(p, end, flags, &e->set);
	}
	if (p->s[p->i] == '\\')
		return class_escape(p, e, flags);
	e->kind = ESC_CHAR;
	e->c = p->s[p->i++];
	return true;
}

/* Adds a range item; the upper end follows the '-' at p->i. */
static bool class_range(struct rxp *p, unsigned lo, struct rx_set *lits,
			struct rx_set *types, unsigned flags, bool *quote)
{
	struct esc hi;

	p->i++; /* '-' */
	if (!class_item(p, &hi, flags, quote))
		return false;
	if (hi.kind == ESC_SET) {
		/* [a-\d]: PCRE 8.39 takes the hyphen literally (PCRE2 rejects). */
		rx_set_add(lits, lo);
		rx_set_add(lits, '-');
		rx_set_union(types, &hi.set);
		return true;
	}
	if (hi.c < lo)
		return fail(p, p->i - 1, "range out of order in character class"), false;
	rx_set_add_range(lits, lo, hi.c);
	return true;
}

static struct rx_node *parse_class(struct rxp *p, unsigned flags)
{
	size_t start = p->i, end;
	struct rx_set lits = { { 0 } }, types = { { 0 } };
	bool neg = false, quote = false, first = true;

	if (posix_syntax(p, p->i, &end))
		return fail(p, p->i, "POSIX named classes are supported only within a class");
	p->i++;
	if (peek(p, 0) == '^') {
		neg = true;
		p->i++;
	}
	for (;; first = false) {
		struct esc e;

		if (!class_quotes(p, &quote))
			return NULL;
		if (!quote && !first && peek(p, 0) == ']')
			break;
		if (!class_item(p, &e, flags, &quote))
			return NULL;
		if (e.kind == ESC_SET) {
			rx_set_union(&types, &e.set);
			continue;
		}
		if (!quote && peek(p, 0) == '-' && peek(p, 1) >= 0 && peek(p, 1) != ']') {
			if (!class_range(p, e.c, &lits, &types, flags, &quote))
				return NULL;
			continue;
		}
		rx_set_add(&lits, e.c);
	}
	p->i++; /* ']' */
	/* Only characters and ranges fold; \d \w ... have both cases anyway. */
	if (flags & F_CASELESS)
		rx_set_fold(&lits);
	rx_set_union(&lits, &types);
	if (neg)
		rx_set_negate(&lits);
	return set_node(p, &lits, start);
}

/* ---- groups ----------------------------------------------------------------- */

static struct rx_node *parse_alt(struct rxp *p, unsigned *flags,
				 struct list *branches);

/* Body after the opening syntax, up to and including ')'. */
static struct rx_node *group_body(struct rxp *p, unsigned flags,
				  struct list *branches, size_t open)
{
	struct rx_node *n;

	if (++p->depth > MAX_NEST)
		return fail(p, open, "parentheses are too deeply nested");
	n = parse_alt(p, &flags, branches);
	p->depth--;
	if (!n)
		return NULL;
	if (peek(p, 0) != ')')
		return fail(p, p->len, "missing )");
	p->i++;
	return n;
}

/* PCRE: each top-level branch of a lookbehind has its own fixed length. */
bool rx_fixed_length(const struct rx_node *n, uint32_t *len)
{
	uint32_t k, sum = 0;

	switch (n->kind) {
	case RX_EMPTY: case RX_ASSERT: case RX_LOOK:
		*len = 0;
		return true;
	case RX_SET:
		*len = 1;
		return true;
	case RX_CAT:
		for (size_t j = 0; j < n->nkids; j++) {
			if (!rx_fixed_length(n->kids[j], &k))
				return false;
			sum += k;
		}
		*len = sum;
		return true;
	case RX_ALT:
		for (size_t j = 0; j < n->nkids; j++) {
			if (!rx_fixed_length(n->kids[j], &k) || (j && k != sum))
				return false;
			sum = k;
		}
		*len = sum;
		return true;
	case RX_REPEAT:
		if (n->min != n->max || !rx_fixed_length(n->kid, &k))
			return false;
		*len = k * n->min;
		return true;
	case RX_GROUP: case RX_ATOMIC:
		return rx_fixed_length(n->kid, len);
	case RX_BACKREF:
		return false;
	}
	return false;
}

static struct rx_node *lookaround(struct rxp *p, unsigned flags, bool behind,
				  bool negated, size_t open)
{
	struct list br = { 0 };
	struct rx_node *n, *body = group_body(p, flags, &br, open);
	uint32_t len;

	if (!body)
		return NULL;
	for (size_t j = 0; behind && j < br.n; j++)
		if (!rx_fixed_length(br.v[j], &len))
			return fail(p, open, "lookbehind assertion is not fixed length");
	n = wrap(p, RX_LOOK, body, open);
	n->behind = behind;
	n->negated = negated;
	return n;
}

static struct rx_node *capture(struct rxp *p, unsigned flags, size_t open,
			       const unsigned char *name, size_t len)
{
	struct list br = { 0 };
	struct rx_node *n, *body;
	unsigned cap;

	if (p->ncaps >= MAX_CAPS)
		return fail(p, p->i, "too many capturing groups");
	cap = ++p->ncaps;
	if (name) {
		for (size_t j = 0; j < p->nnames; j++)
			if (p->names[j].len == len && !memcmp(p->names[j].s, name, len) &&
			    !(flags & F_DUPNAMES))
				return fail(p, p->i, "two named subpatterns have the same name");
		p->names = arena_grow(p->a, p->names, sizeof *p->names,
				      &p->names_cap, p->nnames + 1);
		p->names[p->nnames++] = (struct rx_name){ name, len, cap };
	}
	body = group_body(p, flags, &br, open);
	if (!body)
		return NULL;
	n = wrap(p, RX_GROUP, body, open);
	n->cap = cap;
	return n;
}

/*
 * (?imsxJUX-imsxJUX) or (?...:  Returns no_atom for a bare setting (which
 * changes *flags for the rest of the enclosing group), else the group.
 */
static struct rx_node *option_group(struct rxp *p, unsigned *flags, size_t open)
{
	static const char letters[] = "imsxJUX";
	static const unsigned bits[] = { F_CASELESS, F_MULTILINE, F_DOTALL,
		F_EXTENDED, F_DUPNAMES, F_UNGREEDY, F_EXTRA };
	unsigned on = 0, off = 0;
	bool neg = false;

	for (;; p->i++) {
		int c = peek(p, 0);
		const char *q;

		if (c == '-' && !neg) {
			neg = true;
			continue;
		}
		if (c == ')' || c == ':')
			break;
		q = c > 0 ? strchr(letters, c) : NULL;
		if (!q)
			return fail(p, p->i, "unrecognized character after (? or (?-");
		if (neg)
			off |= bits[q - letters];
		else
			on |= bits[q - letters];
	}
	if (p->s[p->i++] == ')') {
		*flags = (*flags | on) & ~off;
		return &no_atom;
	}
	{
		struct list br = { 0 };
		struct rx_node *body = group_body(p, (*flags | on) & ~off, &br, open);

		return body;
	}
}

/* p->i is just after "(?". */
static struct rx_node *special_group(struct rxp *p, unsigned *flags, size_t open)
{
	struct list br = { 0 };
	const unsigned char *name;
	size_t len;
	int c = peek(p, 0);

	switch (c) {
	case '#':
		while (p->i < p->len && p->s[p->i] != ')')
			p->i++;
		if (p->i >= p->len)
			return fail(p, p->len, "missing ) after comment");
		p->i++;
		return &no_atom;
	case ':':
		p->i++;
		return group_body(p, *flags, &br, open);
	case '>': {
		struct rx_node *b;

		p->i++;
		b = group_body(p, *flags, &br, open);
		return b ? wrap(p, RX_ATOMIC, b, open) : NULL;
	}
	case '=': case '!':
		p->i++;
		return lookaround(p, *flags, false, c == '!', open);
	case '<':
		if (peek(p, 1) == '=' || peek(p, 1) == '!') {
			p->i += 2;
			return lookaround(p, *flags, true, p->s[p->i - 1] == '!', open);
		}
		p->i++;
		if (!read_name(p, '>', &name, &len))
			return NULL;
		return capture(p, *flags, open, name, len);
	case '\'':
		p->i++;
		if (!read_name(p, '\'', &name, &len))
			return NULL;
		return capture(p, *flags, open, name, len);
	case 'P':
		if (peek(p, 1) == '<') {
			p->i += 2;
			if (!read_name(p, '>', &name, &len))
				return NULL;
			return capture(p, *flags, open, name, len);
		}
		if (peek(p, 1) == '=') {
			p->i += 2;
			if (!read_name(p, ')', &name, &len))
				return NULL;
			return backref(p, 0, name, len, *flags, open,
				       (size_t)(name - p->s));
		}
		if (peek(p, 1) == '>')
			return fail(p, p->i, "unsupported: recursion (?P>name)");
		return fail(p, p->i + 1, "unrecognized character after (?P");
	case '|':
		return fail(p, p->i, "unsupported: branch reset group (?|");
	case '(':
		return fail(p, p->i, "unsupported: conditional group");
	case 'R': case '&': case '+':
		return fail(p, p->i, "unsupported: recursion");
	default:
		if (c >= '0' && c <= '9')
			return fail(p, p->i, "unsupported: recursion");
		return option_group(p, flags, open);
	}
}

/* p->i is at '('. */
static struct rx_node *parse_paren(struct rxp *p, unsigned *flags)
{
	size_t open = p->i;

	p->i++;
	if (peek(p, 0) == '*')
		return fail(p, p->i, "unsupported: (*VERB) items");
	if (peek(p, 0) != '?')
		return capture(p, *flags, open, NULL, 0);
	p->i++;
	return special_group(p, flags, open);
}

/* ---- atoms, pieces, branches -------------------------------------------------- */

static struct rx_node *parse_atom(struct rxp *p, unsigned *flags)
{
	size_t start = p->i;
	int c = p->s[p->i];
	struct rx_set s;
	struct esc e;

	switch (c) {
	case '(':
		return parse_paren(p, flags);
	case '[':
		return parse_class(p, *flags);
	case '.':
		p->i++;
		memset(&s, 0xff, sizeof s);
		if (!(*flags & F_DOTALL))
			s.w[0] &= ~((uint64_t)1 << '\n');
		return set_node(p, &s, start);
	case '^':
		p->i++;
		return assert_node(p, *flags & F_MULTILINE ? RX_A_BOL : RX_A_BEGIN, start);
	case '$':
		p->i++;
		return assert_node(p, *flags & F_MULTILINE ? RX_A_EOL : RX_A_END_NL, start);
	case '*': case '+': case '?':
		return fail(p, p->i, "nothing to repeat");
	case '{':
		if (is_counted(p, p->i))
			return fail(p, quant_end(p, p->i), "nothing to repeat");
		break;
	case '\\':
		if (!atom_escape(p, &e, *flags))
			return NULL;
		if (e.kind == ESC_NODE)
			return e.node;
		if (e.kind == ESC_SET)
			return set_node(p, &e.set, start);
		return char_node(p, e.c, *flags, start);
	default:
		break;
	}
	p->i++;
	return char_node(p, (unsigned)c, *flags, start);
}

/* A quantified lookaround: PCRE runs it at most once. */
static struct rx_node *repeat_look(struct rxp *p, struct rx_node *atom,
				   uint32_t min, uint32_t max, enum rx_greed greed)
{
	struct rx_node *r;

	if (max == 0)
		return node_new(p, RX_EMPTY, atom->off);
	if (min > 0)
		return atom;
	r = wrap(p, RX_REPEAT, atom, atom->off);
	r->min = 0;
	r->max = 1;
	r->greed = greed == RX_LAZY ? RX_LAZY : RX_GREEDY;
	return r;
}

/*
 * Applies a following quantifier to atom.  bare: the atom is not a group,
 * so an assertion (\b, ^ ...) cannot be repeated; inside a group it can.
 */
static struct rx_node *quantify(struct rxp *p, struct rx_node *atom,
				unsigned flags, size_t qoff, bool bare)
{
	uint32_t min, max;
	enum rx_greed greed;
	bool have;
	struct rx_node *r;

	if (!parse_quant(p, &have, &min, &max, &greed, flags))
		return NULL;
	if (!have)
		return atom;
	if (bare && atom->kind == RX_ASSERT)
		return fail(p, quant_end(p, qoff), "nothing to repeat");
	if (atom->kind == RX_LOOK)
		return repeat_look(p, atom, min, max, greed);
	r = wrap(p, RX_REPEAT, atom, qoff);
	r->min = min;
	r->max = max;
	r->greed = greed == RX_POSSESSIVE ? RX_GREEDY : greed;
	if (greed == RX_POSSESSIVE)
		r = wrap(p, RX_ATOMIC, r, qoff);
	return r;
}

/* Skips white space and #-comments under (?x). */
static void skip_extended(struct rxp *p, unsigned flags)
{
	while ((flags & F_EXTENDED) && p->i < p->len) {
		int c = p->s[p->i];

		if (c == ' ' || (c >= 9 && c <= 13))
			p->i++;
		else if (c == '#')
			while (p->i < p->len && p->s[p->i] != '\n')
				p->i++;
		else
			break;
	}
}

/*
 * Skips what stands between an item and its quantifier without being an
 * item: (?#comments), empty \Q\E, stray \E, and (?x) white space.
 * PCRE2 applies a quantifier across them ("a(?#c)+" is "a+").
 */
static void skip_noise(struct rxp *p, unsigned flags)
{
	for (;;) {
		size_t j;

		skip_extended(p, flags);
		if (peek(p, 0) == '\\' && peek(p, 1) == 'E') {
			p->i += 2;
		} else if (peek(p, 0) == '\\' && peek(p, 1) == 'Q' &&
			   peek(p, 2) == '\\' && peek(p, 3) == 'E') {
			p->i += 4;
		} else if (peek(p, 0) == '(' && peek(p, 1) == '?' && peek(p, 2) == '#') {
			for (j = p->i; j < p->len && p->s[j] != ')'; j++)
				;
			if (j >= p->len)
				return; /* parse_atom reports the missing ) */
			p->i = j + 1;
		} else {
			return;
		}
	}
}

/* Literal bytes of \Q...\E: each is an atom a quantifier may follow. */
static struct rx_node *quoted_atom(struct rxp *p, unsigned flags, bool *quote)
{
	struct rx_node *n = char_node(p, p->s[p->i], flags, p->i);

	p->i++;
	if (peek(p, 0) == '\\' && peek(p, 1) == 'E') {
		p->i += 2;
		*quote = false;
	}
	return n;
}

static struct rx_node *parse_branch(struct rxp *p, unsigned *flags)
{
	struct list pieces = { 0 };
	size_t start = p->i;
	bool quote = false;

	for (;;) {
		struct rx_node *atom;
		size_t qoff;
		bool bare;

		if (!quote)
			skip_extended(p, *flags);
		if (p->i >= p->len)
			break;
		if (!quote && (p->s[p->i] == '|' || p->s[p->i] == ')'))
			break;
		if (p->s[p->i] == '\\' && peek(p, 1) == 'E') {
			p->i += 2;
			quote = false;
			continue;
		}
		if (!quote && p->s[p->i] == '\\' && peek(p, 1) == 'Q') {
			p->i += 2;
			quote = true;
			continue;
		}
		bare = quote || p->s[p->i] != '(';
		atom = quote ? quoted_atom(p, *flags, &quote) : parse_atom(p, flags);
		if (!atom)
			return NULL;
		if (atom == &no_atom)
			continue;
		if (!quote)
			skip_noise(p, *flags);
		qoff = p->i;
		if (!quote && !(atom = quantify(p, atom, *flags, qoff, bare)))
			return NULL;
		if (!quote && (peek(p, 0) == '*' || peek(p, 0) == '+' ||
			       peek(p, 0) == '?' ||
			       (peek(p, 0) == '{' && is_counted(p, p->i))) &&
		    qoff != p->i)
			return fail(p, quant_end(p, p->i), "nothing to repeat");
		list_push(p, &pieces, atom);
	}
	return list_node(p, RX_CAT, &pieces, start);
}

/*
 * Branches separated by '|'.  *flags is the group's option state: a
 * setting in one branch carries on into the following branches (PCRE).
 */
static struct rx_node *parse_alt(struct rxp *p, unsigned *flags,
				 struct list *branches)
{
	size_t start = p->i;

	for (;;) {
		struct rx_node *b = parse_branch(p, flags);

		if (!b)
			return NULL;
		list_push(p, branches, b);
		if (peek(p, 0) != '|')
			break;
		p->i++;
	}
	return list_node(p, RX_ALT, branches, start);
}

static bool resolve_refs(struct rxp *p)
{
	for (size_t k = 0; k < p->nrefs; k++) {
		struct rx_ref *r = &p->refs[k];

		if (r->name) {
			size_t j;

			for (j = 0; j < p->nnames; j++)
				if (p->names[j].len == r->len &&
				    !memcmp(p->names[j].s, r->name, r->len))
					break;
			if (j == p->nnames)
				return fail(p, r->end, "reference to non-existent subpattern"),
				       false;
			r->node->cap = p->names[j].cap;
		} else if (r->node->cap > p->ncaps) {
			return fail(p, r->end, "reference to non-existent subpattern"),
			       false;
		}
	}
	return true;
}

bool regex_parse(struct arena *a, const unsigned char *pat, size_t len,
		 unsigned flags, struct loc at, struct diag *d, struct regex *out)
{
	struct rxp p = { .a = a, .s = pat, .len = len, .d = d, .at = at };
	struct list br = { 0 };
	unsigned f = 0;

	if (flags & REGEX_CASELESS)
		f |= F_CASELESS;
	if (flags & REGEX_DOTALL)
		f |= F_DOTALL;
	out->root = parse_alt(&p, &f, &br);
	if (out->root && p.i < p.len)
		fail(&p, p.i, "unmatched parentheses");
	if (!p.failed)
		resolve_refs(&p);
	out->ncaps = p.ncaps;
	out->err_off = p.err_off;
	return !p.failed;
}
