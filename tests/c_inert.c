#define _GNU_SOURCE /* memmem */
#include "c_inert.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The words svdc's emitters (compiler/gen/sigdb_emit.c, codegen_bt.c) write
 * outside literals, without trailing digits: C keywords and types, the
 * runtime's names (runtime/match/sigdb.h, confirm_gen.h), and table, field and
 * label names.  A new word in the emitter must be added here. */
static const char *const words[] = {
	"static", "const", "int", "long", "unsigned", "char", "struct", "return",
	"goto", "if", "for", "switch", "case", "default", "break", "continue", "void", "size_t",
	"uint8_t", "uint16_t", "uint32_t", "uint64_t", "memcmp",
	"svd_confirm_fn", "svd_match", "svd_tmpl", "svd_gate", "svd_literal",
	"svd_tree_node", "svd_probe", "svd_port_range", "svd_sigdb",
	"bt", "bt_init", "bt_find", "bt_in", "bt_push", "bt_set", "bt_run_possessive",
	"bt_run_greedy", "bt_run_lazy", "bt_backref", "bt_backtrack", "bt_result",
	"bt_free", "bt_lit_fold", "bt_word_boundary", "BT_RESUME",
	"m", "s", "len", "ovec", "regs", "n", "pos", "start", "b", "rc", "k", "nch",
	"ntr", "budget", "fail", "S", "L", "FIRST",
	"classes", "pre", "needs", "cpe", "matches", "gates", "litm", "literals",
	"tree_nodes", "tree_lines", "tree_maps", "payload", "ports", "sslports",
	"chain", "keys_gram", "keys_ents", "keys_filter", "loose_gram", "loose_ents",
	"loose_filter", "probes", "exclude_tcp", "exclude_udp",
	"service", "line", "soft", "ngroups", "tmpl", "field", "ncpe", "name", "proto",
	"rarity", "no_payload", "payload_len", "totalwaitms", "tcpwrappedms", "nports",
	"nsslports", "nchain", "first_match", "nmatches", "tree_root", "tree_any",
	"keyed_root", "keys", "loose_keys", "source", "nprobes", "null_probe", "nsoft",
	"nexclude_tcp", "nexclude_udp", "nclasses", "nliterals", "ntree_nodes",
	"ntree_lines", "ntree_maps",
};

static const char *const directives[] = {
	"#include \"sigdb.h\"",
	"#include \"confirm_gen.h\"",
	"#if defined(__GNUC__) && !defined(__clang__)",
	"#pragma GCC optimize(\"Os\")",
	"#endif",
};

struct scan {
	const char *t, *end;
	const char *name;
	char *why;
	size_t why_size;
};

__attribute__((format(printf, 3, 4)))
static bool bad(struct scan *sc, const char *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(sc->why, sc->why_size, "offset %zu: ", (size_t)(at - sc->t));
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sc->why_size)
		vsnprintf(sc->why + n, sc->why_size - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

static bool printable(char c)
{
	return c >= 0x20 && c < 0x7f;
}

static bool ident_char(char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* p is after the opening slash-star; returns after the closing one. */
static const char *comment(struct scan *sc, const char *p)
{
	for (; p + 1 < sc->end; p++) {
		if (p[0] == '*' && p[1] == '/')
			return p + 2;
		if ((p[0] == '/' && p[1] == '*') || (p[0] == '?' && p[1] == '?') ||
		    (p[0] == '\\' && p[1] == '\n') || (!printable(*p) && *p != '\n'))
			return bad(sc, p, "comment holds '%.2s'", p), NULL;
	}
	return bad(sc, p, "comment not closed"), NULL;
}

/* p is after the opening quote; returns after the closing one. */
static const char *string(struct scan *sc, const char *p)
{
	for (; p < sc->end && *p != '"'; p++) {
		if (!printable(*p) || (p[0] == '?' && p + 1 < sc->end && p[1] == '?'))
			return bad(sc, p, "string holds byte 0x%02x", (unsigned char)*p), NULL;
		if (*p != '\\')
			continue;
		if (p + 1 < sc->end && strchr("\"\\?", p[1]) && p[1]) {
			p++;
		} else if (p + 3 < sc->end && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' &&
			   p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			p += 3;
		} else {
			return bad(sc, p, "string holds escape '%.4s'", p), NULL;
		}
	}
	return p < sc->end ? p + 1 : (bad(sc, p, "string not closed"), NULL);
}

static bool known_word(struct scan *sc, const char *w, size_t len)
{
	char own[2 * 64];
	size_t i, stem = len;

	while (stem > 0 && w[stem - 1] >= '0' && w[stem - 1] <= '9')
		stem--;
	for (i = 0; i < sizeof words / sizeof *words; i++)
		if (strlen(words[i]) == stem && memcmp(words[i], w, stem) == 0)
			return true;
	snprintf(own, sizeof own, "svd_%s_rx", sc->name);
	if (strlen(own) == stem && memcmp(own, w, stem) == 0)
		return true;
	snprintf(own, sizeof own, "svd_sigdb_%s", sc->name);
	return strlen(own) == len && memcmp(own, w, len) == 0;
}

static const char *directive(struct scan *sc, const char *p)
{
	const char *eol = memchr(p, '\n', (size_t)(sc->end - p));
	size_t i, len;

	if (!eol)
		eol = sc->end;
	len = (size_t)(eol - p);
	for (i = 0; i < sizeof directives / sizeof *directives; i++)
		if (strlen(directives[i]) == len && memcmp(directives[i], p, len) == 0)
			return eol;
	return bad(sc, p, "unexpected preprocessor line '%.*s'", (int)(len > 60 ? 60 : len), p),
	       NULL;
}

static bool tokens(struct scan *sc)
{
	const char *p = sc->t;
	bool line_start = true;

	while (p && p < sc->end) {
		char c = *p;

		if (c == '\n') {
			line_start = true;
			p++;
			continue;
		}
		if (c == '#' && line_start) {
			p = directive(sc, p);
		} else if (c == '/' && p + 1 < sc->end && p[1] == '*') {
			p = comment(sc, p + 2);
		} else if (c == '/' && p + 1 < sc->end && p[1] == '/') {
			return bad(sc, p, "line comment");
		} else if (c == '"') {
			p = string(sc, p + 1);
		} else if (c == '\'') {
			/* codegen_bt's only character constant */
			if ((size_t)(sc->end - p) < 4 || memcmp(p, "'\\n'", 4) != 0)
				return bad(sc, p, "character constant '%.4s'", p);
			p += 4;
		} else if (c >= '0' && c <= '9') {
			while (p < sc->end && ident_char(*p))
				p++;
		} else if (ident_char(c)) {
			const char *w = p;

			while (p < sc->end && ident_char(*p))
				p++;
			if (!known_word(sc, w, (size_t)(p - w)))
				return bad(sc, w, "identifier '%.*s' is not svdc's",
					   (int)(p - w > 60 ? 60 : p - w), w);
		} else if (printable(c) || c == '\t') {
			p++;
		} else {
			return bad(sc, p, "byte 0x%02x outside literals", (unsigned char)c);
		}
		if (c != ' ' && c != '\t')
			line_start = false;
	}
	return p != NULL;
}

/*
 * Whether a field can be looked for in the output: it holds a byte that
 * c_escape() always rewrites (a control byte or a byte >= 0x7f, or '"' or
 * '?' after its first byte: svdc's own text has neither right after a
 * word), and no backslash (escapes are made of backslashes, so a field of
 * them could be found inside its own escaped form).
 */
static bool distinctive(const unsigned char *p, size_t len)
{
	bool special = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\\')
			return false;
		if ((p[i] < 0x20 && p[i] != '\t') || p[i] >= 0x7f ||
		    (i > 0 && (p[i] == '"' || p[i] == '?')))
			special = true;
	}
	return special;
}

static bool absent(struct scan *sc, const void *field, size_t len, const char *what)
{
	const char *hit;

	if (len < 8 || !distinctive(field, len))
		return true;
	hit = memmem(sc->t, (size_t)(sc->end - sc->t), field, len);
	return !hit || bad(sc, hit, "%s appears unescaped", what);
}

static bool fields_absent(struct scan *sc, const struct probe_db *db)
{
	size_t i, j, k;

	for (i = 0; i < db->nprobes; i++) {
		const struct probe *p = &db->probes[i];

		if (!absent(sc, p->name, strlen(p->name), "a probe name") ||
		    !absent(sc, p->payload.p, p->payload.len, "a probe string"))
			return false;
		for (j = 0; j < p->nmatches; j++) {
			const struct match *m = &p->matches[j];

			if (!absent(sc, m->service, strlen(m->service), "a service name") ||
			    !absent(sc, m->regex.p, m->regex.len, "a regex"))
				return false;
			for (k = 0; k < FIELD_COUNT; k++)
				if (!absent(sc, m->field[k].text.p, m->field[k].text.len, "a template"))
					return false;
			for (k = 0; k < m->ncpe; k++)
				if (!absent(sc, m->cpe[k].text.p, m->cpe[k].text.len, "a cpe template"))
					return false;
		}
	}
	return true;
}

bool c_inert_check(const char *text, size_t len, const char *name,
		   const struct probe_db *db, char *why, size_t why_size)
{
	struct scan sc = { text, text + len, name, why, why_size };

	return tokens(&sc) && fields_absent(&sc, db);
}
