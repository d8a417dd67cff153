/*
 * Parser for nmap-service-probes files (Bison 3.8, pure, with locations).
 * Build: bison -d -o probe_parse.c probe_parse.y
 *
 * One line is one directive.  The lexer (probe_lex.re) hands over whole
 * delimited fields; this grammar checks their order, builds the AST and
 * applies the checks that need only the current line and probe.  Checks
 * across the file (fallback names, duplicate probes) are in sema.c.
 */
%define api.pure full
%define api.prefix {probe_yy}
%define api.value.type {struct token}
%define api.location.type {struct tok_loc}
%define parse.error custom
%locations
%param {struct parse_ctx *ctx}

%code requires {
#include "frontend.h"
}

%code provides {
int probe_yylex(struct token *tv, struct tok_loc *tl, struct parse_ctx *ctx);
int probe_yyparse(struct parse_ctx *ctx);
}

%code {
#include <stdint.h>
#include <string.h>

#include "escape.h"

static struct loc at(struct parse_ctx *ctx, const struct tok_loc *tl);
static void probe_yyerror(const struct tok_loc *where, struct parse_ctx *ctx,
			  const char *msg);
static void add_probe(struct parse_ctx *ctx, const struct tok_loc *kw,
		      const struct token *proto, const struct token *name,
		      const struct token *payload, const struct tok_loc *payload_at,
		      bool no_payload);
static void begin_match(struct parse_ctx *ctx, const struct tok_loc *kw, bool soft,
			const struct token *service, const struct token *regex,
			const struct tok_loc *regex_at);
static void add_field(struct parse_ctx *ctx, const struct token *f,
		      const struct tok_loc *f_at);
static void begin_ports(struct parse_ctx *ctx, enum directive d,
			const struct tok_loc *kw);
static void add_port_range(struct parse_ctx *ctx, long lo, long hi,
			   const struct tok_loc *lo_at, const struct tok_loc *hi_at);
static void set_number(struct parse_ctx *ctx, enum directive d,
		       const struct tok_loc *kw, const struct token *n,
		       const struct tok_loc *n_at);
static void begin_fallback(struct parse_ctx *ctx, const struct tok_loc *kw);
static void add_fallback(struct parse_ctx *ctx, const struct token *name,
			 const struct tok_loc *name_at);
static void begin_exclude(struct parse_ctx *ctx, const struct tok_loc *kw);
}

%token END 0 "end of file"
%token EOL "end of line"
%token EXCLUDE "Exclude"
%token PROBE "Probe"
%token MATCH "match"
%token SOFTMATCH "softmatch"
%token PORTS "ports"
%token SSLPORTS "sslports"
%token RARITY "rarity"
%token TOTALWAITMS "totalwaitms"
%token TCPWRAPPEDMS "tcpwrappedms"
%token FALLBACK "fallback"
%token PROTO "protocol"
%token NAME "name"
%token PAYLOAD "probe string"
%token NO_PAYLOAD "no-payload"
%token REGEX "regex"
%token FIELD "version field"
%token NUMBER "number"
%token PORT_PROTO "T: or U:"
%token COMMA ","
%token DASH "-"
%token LEX_ERROR "invalid text"

%%

file
	: %empty
	| file line
	;

line
	: EOL
	| exclude EOL
	| probe EOL
	| match EOL
	| PORTS { begin_ports(ctx, DIRECTIVE_PORTS, &@1); } port_list EOL
	| SSLPORTS { begin_ports(ctx, DIRECTIVE_SSLPORTS, &@1); } port_list EOL
	| RARITY NUMBER EOL { set_number(ctx, DIRECTIVE_RARITY, &@1, &$2, &@2); }
	| TOTALWAITMS NUMBER EOL { set_number(ctx, DIRECTIVE_TOTALWAITMS, &@1, &$2, &@2); }
	| TCPWRAPPEDMS NUMBER EOL { set_number(ctx, DIRECTIVE_TCPWRAPPEDMS, &@1, &$2, &@2); }
	| FALLBACK { begin_fallback(ctx, &@1); } fallback_names EOL
	| error EOL { yyerrok; }
	;

probe
	: PROBE PROTO NAME PAYLOAD { add_probe(ctx, &@1, &$2, &$3, &$4, &@4, false); }
	| PROBE PROTO NAME PAYLOAD NO_PAYLOAD { add_probe(ctx, &@1, &$2, &$3, &$4, &@4, true); }
	;

match
	: MATCH NAME REGEX { begin_match(ctx, &@1, false, &$2, &$3, &@3); } fields
	| SOFTMATCH NAME REGEX { begin_match(ctx, &@1, true, &$2, &$3, &@3); } fields
	;

fields
	: %empty
	| fields FIELD { add_field(ctx, &$2, &@2); }
	;

port_list
	: port_range
	| port_list COMMA port_range
	;

port_range
	: NUMBER { add_port_range(ctx, $1.num, $1.num, &@1, &@1); }
	| NUMBER DASH NUMBER { add_port_range(ctx, $1.num, $3.num, &@1, &@3); }
	;

fallback_names
	: NAME { add_fallback(ctx, &$1, &@1); }
	| fallback_names NAME { add_fallback(ctx, &$2, &@2); }
	;

/* Exclude takes Nmap's -p syntax: a T: or U: prefix applies to the ranges
 * after it; ranges may be open at either end. */
exclude
	: EXCLUDE { begin_exclude(ctx, &@1); } exclude_list
	;

exclude_list
	: exclude_item
	| exclude_list COMMA exclude_item
	;

exclude_item
	: exclude_range
	| PORT_PROTO { ctx->exclude_protos = (unsigned)$1.kind; } exclude_range
	;

exclude_range
	: NUMBER { add_port_range(ctx, $1.num, $1.num, &@1, &@1); }
	| NUMBER DASH NUMBER { add_port_range(ctx, $1.num, $3.num, &@1, &@3); }
	| DASH NUMBER { add_port_range(ctx, 1, $2.num, &@1, &@2); }
	| NUMBER DASH { add_port_range(ctx, $1.num, 65535, &@1, &@1); }
	| DASH { add_port_range(ctx, 1, 65535, &@1, &@1); }
	;

%%

static struct loc at(struct parse_ctx *ctx, const struct tok_loc *tl)
{
	return lexer_loc(&ctx->lx, tl->first_line, tl->first_column);
}

/* Only for Bison's own failures (memory exhausted); syntax errors go
 * through yyreport_syntax_error(). */
static void probe_yyerror(const struct tok_loc *where, struct parse_ctx *ctx,
			  const char *msg)
{
	diag_error(ctx->diag, at(ctx, where), "%s", msg);
}

static int yyreport_syntax_error(const yypcontext_t *yyctx,
				 struct parse_ctx *ctx)
{
	enum { EXPECTED_MAX = 5 };
	yysymbol_kind_t expected[EXPECTED_MAX];
	yysymbol_kind_t got = yypcontext_token(yyctx);
	const struct tok_loc *where = yypcontext_location(yyctx);
	char msg[512], q[DIAG_QUOTE_MAX * 4 + 8];
	int n = yypcontext_expected_tokens(yyctx, expected, EXPECTED_MAX);
	size_t len = 0;
	int i;

	/* The lexer has already explained what is wrong with this line. */
	if (ctx->lx.line_failed)
		return 0;
	if (got == YYSYMBOL_EOL || got == YYSYMBOL_YYEOF)
		len += (size_t)snprintf(msg, sizeof msg, "unexpected %s", yysymbol_name(got));
	else
		len += (size_t)snprintf(msg, sizeof msg, "unexpected '%s'",
					diag_quote(q, ctx->lx.tok,
						   (size_t)(ctx->lx.cur - ctx->lx.tok)));
	for (i = 0; i < n && len < sizeof msg; i++)
		len += (size_t)snprintf(msg + len, sizeof msg - len, "%s%s",
					i == 0 ? ", expected " : i == n - 1 ? " or " : ", ",
					yysymbol_name(expected[i]));
	diag_error(ctx->diag, at(ctx, where), "%s", msg);
	return 0;
}

/* The probe that a directive belongs to, or NULL (reported) if none. */
static struct probe *current_probe(struct parse_ctx *ctx, const char *what,
				   const struct tok_loc *kw)
{
	if (!ctx->probe)
		diag_error(ctx->diag, at(ctx, kw), "'%s' before any Probe directive", what);
	return ctx->probe;
}

/* Like current_probe(), for directives that may appear once per probe. */
static struct probe *claim_directive(struct parse_ctx *ctx, enum directive d,
				     const struct tok_loc *kw)
{
	struct probe *p = current_probe(ctx, directive_name[d], kw);

	if (!p)
		return NULL;
	if (p->directive_line[d]) {
		diag_error(ctx->diag, at(ctx, kw),
			   "duplicate '%s' directive in probe %s (first at line %u)",
			   directive_name[d], p->name, p->directive_line[d]);
		return NULL;
	}
	p->directive_line[d] = (unsigned)kw->first_line;
	return p;
}

static void add_probe(struct parse_ctx *ctx, const struct tok_loc *kw,
		      const struct token *proto, const struct token *name,
		      const struct token *payload, const struct tok_loc *payload_at,
		      bool no_payload)
{
	struct probe_db *db = ctx->db;
	unsigned char *decoded = arena_alloc(&db->arena, payload->len + 1);
	size_t bad_at;
	long len = escape_decode(decoded, payload->p, payload->len, &bad_at);
	struct probe *p = probe_db_add_probe(db);

	p->at = at(ctx, kw);
	p->proto = (enum proto)proto->kind;
	p->name = arena_memdup(&db->arena, name->p, name->len);
	p->no_payload = no_payload;
	if (len < 0) {
		struct loc bad = at(ctx, payload_at);
		char q[DIAG_QUOTE_MAX * 4 + 8];
		size_t esc_len = bad_at + 4 <= payload->len ? 4 : payload->len - bad_at;

		bad.col += 2 + (unsigned)bad_at; /* past "q" and the delimiter */
		diag_error(ctx->diag, bad,
			   "bad escape '%s' in probe string (use \\0 \\a \\b \\f \\n \\r \\t \\v \\xHH or \\ before punctuation)",
			   diag_quote(q, payload->p + bad_at, esc_len));
		len = 0;
	}
	p->payload.p = decoded;
	p->payload.len = (size_t)len;
	ctx->probe = p;
	ctx->match = NULL;
}

static void begin_match(struct parse_ctx *ctx, const struct tok_loc *kw, bool soft,
			const struct token *service, const struct token *regex,
			const struct tok_loc *regex_at)
{
	struct probe *p = current_probe(ctx, soft ? "softmatch" : "match", kw);
	struct match *m;

	ctx->match = NULL;
	if (!p)
		return;
	m = probe_add_match(ctx->db, p);
	m->at = at(ctx, kw);
	m->soft = soft;
	m->service = arena_memdup(&ctx->db->arena, service->p, service->len);
	m->regex = bytes_dup(ctx->db, regex->p, regex->len);
	m->regex_delim = regex->delim;
	m->regex_flags = regex->flags;
	m->regex_at = at(ctx, regex_at);
	m->regex_at.col += 2; /* past "m" and the delimiter */
	ctx->match = m;
}

static void add_field(struct parse_ctx *ctx, const struct token *f,
		      const struct tok_loc *f_at)
{
	struct match *m = ctx->match;

	if (!m)
		return;
	if (f->kind == FIELD_COUNT) {
		struct cpe_template *c = match_add_cpe(ctx->db, m);

		c->text = bytes_dup(ctx->db, f->p, f->len);
		c->delim = f->delim;
		c->auto_flag = f->flags != 0;
		c->at = at(ctx, f_at);
	} else {
		struct template *t = &m->field[f->kind];

		if (t->text.p)
			diag_error(ctx->diag, at(ctx, f_at),
				   "second %c/ template on the line (first at column %u)",
				   field_letter[f->kind], t->at.col);
		t->text = bytes_dup(ctx->db, f->p, f->len);
		t->delim = f->delim;
		t->at = at(ctx, f_at);
	}
}

static void begin_ports(struct parse_ctx *ctx, enum directive d,
			const struct tok_loc *kw)
{
	struct probe *p = claim_directive(ctx, d, kw);

	ctx->exclude_protos = 0;
	ctx->ports = !p ? NULL : d == DIRECTIVE_PORTS ? &p->ports : &p->sslports;
}

static bool port_in_range(struct parse_ctx *ctx, long port, const struct tok_loc *where)
{
	if (port <= 65535)
		return true;
	diag_error(ctx->diag, at(ctx, where), "port %ld is out of range (0-65535)", port);
	return false;
}

static void add_port_range(struct parse_ctx *ctx, long lo, long hi,
			   const struct tok_loc *lo_at, const struct tok_loc *hi_at)
{
	if (!port_in_range(ctx, lo, lo_at) || !port_in_range(ctx, hi, hi_at))
		return;
	if (lo > hi) {
		diag_error(ctx->diag, at(ctx, lo_at), "port range %ld-%ld is reversed", lo, hi);
		return;
	}
	if (ctx->ports)
		port_list_add(ctx->db, ctx->ports, (uint16_t)lo, (uint16_t)hi);
	else if (ctx->exclude_protos)
		probe_db_add_exclude(ctx->db, ctx->exclude_protos, (uint16_t)lo, (uint16_t)hi);
}

static void set_number(struct parse_ctx *ctx, enum directive d,
		       const struct tok_loc *kw, const struct token *n,
		       const struct tok_loc *n_at)
{
	struct probe *p = claim_directive(ctx, d, kw);
	long lo = d == DIRECTIVE_RARITY ? RARITY_MIN : WAITMS_MIN;
	long hi = d == DIRECTIVE_RARITY ? RARITY_MAX : WAITMS_MAX;

	if (n->num < lo || n->num > hi) {
		diag_error(ctx->diag, at(ctx, n_at), "%s %s%ld is out of range (%ld-%ld)",
			   directive_name[d], n->num >= NUMBER_MAX ? ">= " : "",
			   n->num, lo, hi);
		return;
	}
	if (!p)
		return;
	if (d == DIRECTIVE_RARITY)
		p->rarity = (int)n->num;
	else if (d == DIRECTIVE_TOTALWAITMS)
		p->totalwaitms = (int)n->num;
	else
		p->tcpwrappedms = (int)n->num;
}

static void begin_fallback(struct parse_ctx *ctx, const struct tok_loc *kw)
{
	ctx->fallback_probe = claim_directive(ctx, DIRECTIVE_FALLBACK, kw);
}

static void add_fallback(struct parse_ctx *ctx, const struct token *name,
			 const struct tok_loc *name_at)
{
	struct probe *p = ctx->fallback_probe;

	if (!p)
		return; /* reported by begin_fallback() */
	probe_add_fallback(ctx->db, p, arena_memdup(&ctx->db->arena, name->p, name->len),
			   at(ctx, name_at));
}

static void begin_exclude(struct parse_ctx *ctx, const struct tok_loc *kw)
{
	struct probe_db *db = ctx->db;

	ctx->ports = NULL;
	ctx->exclude_protos = 0;
	if (db->nprobes) {
		diag_error(ctx->diag, at(ctx, kw),
			   "Exclude must come before the first Probe (line %u)",
			   db->probes[0].at.line);
	} else if (db->exclude_line) {
		diag_error(ctx->diag, at(ctx, kw),
			   "only one Exclude directive is allowed (first at line %u)",
			   db->exclude_line);
	} else {
		db->exclude_line = (unsigned)kw->first_line;
		ctx->exclude_protos = EXCLUDE_TCP | EXCLUDE_UDP;
	}
}
