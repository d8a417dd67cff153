/*
 * Lexer for nmap-service-probes files (re2c 3.0, conditions).
 * Build: re2c --no-generation-date -W -c -o probe_lex.c probe_lex.re
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "frontend.h"
#include "probe_parse.h"

/*!conditions:re2c*/

/* Besides letters and digits, after the first byte. */
#define PROBE_NAME_PUNCT "-_."
#define SERVICE_NAME_PUNCT "-_./"

void lexer_init(struct lexer *lx, const unsigned char *buf, size_t len,
		const char *file, struct diag *diag)
{
	memset(lx, 0, sizeof *lx);
	lx->cur = lx->tok = lx->line_start = buf;
	lx->lim = buf + len;
	lx->content_end = lx->next_line = buf;
	lx->cond = yycLINE;
	lx->diag = diag;
	lx->file = file;
}

struct loc lexer_loc(const struct lexer *lx, int line, int col)
{
	struct loc at = { lx->file, (unsigned)line, (unsigned)col };

	return at;
}

static int column(const struct lexer *lx, const unsigned char *p)
{
	return (int)(p - lx->line_start) + 1;
}

static void set_loc(const struct lexer *lx, struct tok_loc *tl)
{
	tl->first_line = tl->last_line = (int)lx->line;
	tl->first_column = column(lx, lx->tok);
	tl->last_column = column(lx, lx->cur);
}

/*
 * Reports an error at p and makes the rest of the line one LEX_ERROR
 * token; the parser recovers at the end of the line.
 */
__attribute__((format(printf, 3, 4)))
static int fail(struct lexer *lx, const unsigned char *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_error(lx->diag, lexer_loc(lx, (int)lx->line, column(lx, p)), "%s",
		   msg);
	lx->line_failed = true;
	lx->cur = lx->content_end;
	lx->cond = yycEND_OF_LINE;
	return LEX_ERROR;
}

/* Reports a warning at p; the line is read on. */
__attribute__((format(printf, 3, 4)))
static void warn(struct lexer *lx, const unsigned char *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_warning(lx->diag, lexer_loc(lx, (int)lx->line, column(lx, p)), "%s", msg);
}

/* The quoted text from p to the next blank or the end of the line. */
static const char *word_at(const struct lexer *lx, const unsigned char *p,
			   char buf[DIAG_QUOTE_MAX * 4 + 8])
{
	const unsigned char *e = p;

	while (e < lx->content_end && *e != ' ' && *e != '\t')
		e++;
	return diag_quote(buf, p, (size_t)(e - p));
}

/*
 * Starts the line at lx->cur: finds its end and rejects lines that Nmap
 * cannot read (too long, or holding a NUL byte).  Returns false when the
 * line was reported and skipped.
 */
static bool begin_line(struct lexer *lx)
{
	const unsigned char *nl = memchr(lx->cur, '\n', (size_t)(lx->lim - lx->cur));
	const unsigned char *end = nl ? nl : lx->lim;
	const unsigned char *nul;

	lx->line++;
	lx->line_failed = false;
	lx->line_start = lx->cur;
	lx->next_line = nl ? nl + 1 : lx->lim;
	lx->content_end = end > lx->cur && end[-1] == '\r' && nl ? end - 1 : end;
	if ((size_t)(end - lx->cur) > LINE_MAX_BYTES) {
		diag_error(lx->diag, lexer_loc(lx, (int)lx->line, LINE_MAX_BYTES + 1),
			   "line is %zu bytes long; the limit is %d",
			   (size_t)(end - lx->cur), LINE_MAX_BYTES);
	} else if ((nul = memchr(lx->cur, '\0', (size_t)(end - lx->cur)))) {
		diag_error(lx->diag, lexer_loc(lx, (int)lx->line, column(lx, nul)),
			   "NUL byte in line (write it as \\0 or \\x00)");
	} else {
		return true;
	}
	lx->cur = lx->next_line;
	return false;
}

static bool at_blank(const struct lexer *lx)
{
	return lx->cur == lx->content_end || *lx->cur == ' ' || *lx->cur == '\t';
}

/*
 * Reads a delimited field whose delimiter is at lx->cur, as in m|...|i or
 * p/.../: the contents run to the next occurrence of the delimiter on the
 * line (like Nmap, there is no way to escape it), then come letters as
 * flags.  what names the field in messages.
 */
static int scan_delimited(struct lexer *lx, struct token *tv, const char *what)
{
	const unsigned char *open = lx->cur, *close;
	char q[DIAG_QUOTE_MAX * 4 + 8];

	if (open == lx->content_end)
		return fail(lx, open, "%s has no delimiter", what);
	if (*open == ' ' || *open == '\t')
		return fail(lx, open, "%s: a blank cannot be the delimiter", what);
	close = memchr(open + 1, *open, (size_t)(lx->content_end - open - 1));
	if (!close)
		return fail(lx, open, "unterminated %s: no closing '%s' on the line",
			    what, diag_quote(q, open, 1));
	tv->delim = (char)*open;
	tv->p = open + 1;
	tv->len = (size_t)(close - open - 1);
	lx->cur = close + 1;
	return 0;
}

static bool alnum(unsigned char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

/*
 * Checks the name from lx->tok to lx->cur.  Nmap takes a name as whatever
 * runs to the next blank (a probe name must start with a letter or digit).
 * svdc is stricter: names reach generated C, output files and fingerprints,
 * so they are what Nmap's own database uses -- a letter or digit, then
 * letters, digits and the bytes of punct -- and at most NAME_MAX_BYTES.
 * Returns 0, or LEX_ERROR once reported.
 */
static int check_name(struct lexer *lx, const char *what, const char *punct)
{
	const unsigned char *p;
	size_t len = (size_t)(lx->cur - lx->tok);
	char q[DIAG_QUOTE_MAX * 4 + 8], c[DIAG_QUOTE_MAX * 4 + 8];

	if (!alnum(*lx->tok))
		return fail(lx, lx->tok, "%s '%s' must start with a letter or digit", what,
			    word_at(lx, lx->tok, q));
	for (p = lx->tok + 1; p < lx->cur; p++) {
		if (!alnum(*p) && !memchr(punct, *p, strlen(punct)))
			return fail(lx, p, "%s '%s' holds '%s' (allowed: letters, digits and %s)",
				    what, word_at(lx, lx->tok, q), diag_quote(c, p, 1), punct);
	}
	if (len > NAME_MAX_BYTES)
		return fail(lx, lx->tok, "%s is %zu bytes long; the limit is %d", what, len,
			    NAME_MAX_BYTES);
	return 0;
}

/* Reads the flag letters after a delimited field; returns them. */
static const unsigned char *scan_flags(struct lexer *lx)
{
	const unsigned char *start = lx->cur;

	while (lx->cur < lx->content_end &&
	       ((*lx->cur | 0x20) >= 'a' && (*lx->cur | 0x20) <= 'z'))
		lx->cur++;
	return start;
}

static int scan_regex(struct lexer *lx, struct token *tv)
{
	const unsigned char *f;
	char q[DIAG_QUOTE_MAX * 4 + 8];
	int rc;

	if ((rc = scan_delimited(lx, tv, "regex")))
		return rc;
	tv->flags = 0;
	for (f = scan_flags(lx); f < lx->cur; f++) {
		if (*f == 'i')
			tv->flags |= REGEX_CASELESS;
		else if (*f == 's')
			tv->flags |= REGEX_DOTALL;
		else
			return fail(lx, f, "unknown regex flag '%s' (Nmap accepts i and s; missing blank?)",
				    diag_quote(q, f, 1));
	}
	if (!at_blank(lx))
		return fail(lx, lx->cur, "expected a blank after the regex, found '%s'",
			    word_at(lx, lx->cur, q));
	return REGEX;
}

static int scan_field(struct lexer *lx, struct token *tv)
{
	static const char *const what[FIELD_COUNT + 1] = {
		"p/ template", "v/ template", "i/ template", "h/ template",
		"o/ template", "d/ template", "cpe: template",
	};
	size_t taglen = (size_t)(lx->cur - lx->tok);
	const unsigned char *f;
	char q[DIAG_QUOTE_MAX * 4 + 8];
	int rc;

	if (taglen == 4 && memcmp(lx->tok, "cpe:", 4) == 0) {
		tv->kind = FIELD_COUNT;
	} else if (taglen == 1 && strchr(field_letter, *lx->tok)) {
		tv->kind = (int)(strchr(field_letter, *lx->tok) - field_letter);
	} else {
		return fail(lx, lx->tok,
			    "unknown version field '%s' (expected p, v, i, h, o, d or cpe:)",
			    diag_quote(q, lx->tok, taglen));
	}
	if ((rc = scan_delimited(lx, tv, what[tv->kind])))
		return rc;
	tv->flags = 0;
	for (f = scan_flags(lx); f < lx->cur; f++) {
		if (tv->kind == FIELD_COUNT && *f == 'a')
			tv->flags = 1;
		else
			return fail(lx, f, "unknown flag '%s' after %s%s",
				    diag_quote(q, f, 1), what[tv->kind],
				    tv->kind == FIELD_COUNT ? " (only 'a' is allowed)"
							    : " (missing blank?)");
	}
	if (!at_blank(lx))
		return fail(lx, lx->cur, "expected a blank after the %s, found '%s'",
			    what[tv->kind], word_at(lx, lx->cur, q));
	return FIELD;
}

static long number_value(const unsigned char *p, const unsigned char *e)
{
	long v = 0;

	for (; p < e; p++) {
		v = v * 10 + (*p - '0');
		if (v >= NUMBER_MAX)
			return NUMBER_MAX;
	}
	return v;
}

/* Keywords that may start a line, with the condition for the rest of it. */
static int directive(struct lexer *lx)
{
	static const struct {
		const char *word;
		int token, cond;
	} table[] = {
		{ "Exclude", EXCLUDE, yycEXCLUDE },
		{ "Probe", PROBE, yycPROBE_PROTO },
		{ "match", MATCH, yycSERVICE },
		{ "softmatch", SOFTMATCH, yycSERVICE },
		{ "ports", PORTS, yycPORTS },
		{ "sslports", SSLPORTS, yycPORTS },
		{ "rarity", RARITY, yycNUMBER },
		{ "totalwaitms", TOTALWAITMS, yycNUMBER },
		{ "tcpwrappedms", TCPWRAPPEDMS, yycNUMBER },
		{ "fallback", FALLBACK, yycFALLBACK },
	};
	size_t len = (size_t)(lx->cur - lx->tok), i;
	char q[DIAG_QUOTE_MAX * 4 + 8];

	if (at_blank(lx)) {
		for (i = 0; i < sizeof table / sizeof *table; i++) {
			if (strlen(table[i].word) == len &&
			    memcmp(table[i].word, lx->tok, len) == 0) {
				lx->cond = table[i].cond;
				return table[i].token;
			}
		}
	}
	return fail(lx, lx->tok,
		    "unknown directive '%s' (expected Probe, match, softmatch, ports, "
		    "sslports, rarity, totalwaitms, tcpwrappedms, fallback or Exclude)",
		    word_at(lx, lx->tok, q));
}

int probe_yylex(struct token *tv, struct tok_loc *tl, struct parse_ctx *ctx)
{
	struct lexer *lx = &ctx->lx;
	char q[DIAG_QUOTE_MAX * 4 + 8];
	int tok;

	for (;;) {
		if (lx->cond == yycLINE) {
			if (lx->cur >= lx->lim)
				return END;
			if (!begin_line(lx))
				continue;
		}
		lx->tok = lx->cur;
		tok = 0;
		memset(tv, 0, sizeof *tv);
/*!re2c
	re2c:api:style = free-form;
	re2c:define:YYCTYPE = "unsigned char";
	re2c:define:YYCURSOR = "lx->cur";
	re2c:define:YYGETCONDITION = "lx->cond";
	re2c:define:YYSETCONDITION = "lx->cond = @@;";
	re2c:yyfill:enable = 0;

	eol   = "\r"? "\n";
	blank = [ \t];
	word  = [^\x00\n\r \t]+;
	tag   = [A-Za-z]+ ":"?;

	/* The NUL after the last byte ends the last line (lines holding NUL
	 * were rejected by begin_line). */
	<*> "\x00"      { lx->cur--; lx->cond = yycLINE; tok = EOL; goto out; }
	<EXCLUDE,PORTS,PROBE_PROTO,PROBE_NAME,PROBE_STRING,PROBE_TAIL,PROBE_FLAGS_DONE,SERVICE,REGEX,FIELDS,NUMBER,FALLBACK,END_OF_LINE> eol { lx->cond = yycLINE; tok = EOL; goto out; }
	<EXCLUDE,PORTS,PROBE_PROTO,PROBE_NAME,PROBE_STRING,PROBE_TAIL,PROBE_FLAGS_DONE,SERVICE,REGEX,FIELDS,NUMBER,FALLBACK,END_OF_LINE> blank+ { continue; }

	<LINE> "#"      { lx->cur = lx->next_line; continue; }
	<LINE> eol      { continue; }
	<LINE> blank+   {
		if (lx->cur == lx->content_end)
			tok = fail(lx, lx->tok, "line holds only blanks (Nmap rejects it)");
		else
			tok = fail(lx, lx->tok, "directive must start in column 1");
		goto out;
	}
	<LINE> [A-Za-z][A-Za-z0-9_-]* { tok = directive(lx); goto out; }
	<LINE> *        { tok = directive(lx); goto out; }

	<EXCLUDE> [tT] ":" { tv->kind = EXCLUDE_TCP; tok = PORT_PROTO; goto out; }
	<EXCLUDE> [uU] ":" { tv->kind = EXCLUDE_UDP; tok = PORT_PROTO; goto out; }
	<EXCLUDE, PORTS> [0-9]+ {
		tv->num = number_value(lx->tok, lx->cur); tok = NUMBER; goto out;
	}
	<EXCLUDE, PORTS> "," { tok = COMMA; goto out; }
	<EXCLUDE, PORTS> "-" { tok = DASH; goto out; }
	<EXCLUDE, PORTS> * {
		tok = fail(lx, lx->tok, "bad port list at '%s' (write it as 21-25,53,80)",
			   word_at(lx, lx->tok, q));
		goto out;
	}

	<PROBE_PROTO> word {
		if (lx->cur - lx->tok == 3 && memcmp(lx->tok, "TCP", 3) == 0)
			tv->kind = PROTO_TCP;
		else if (lx->cur - lx->tok == 3 && memcmp(lx->tok, "UDP", 3) == 0)
			tv->kind = PROTO_UDP;
		else {
			tok = fail(lx, lx->tok, "unknown protocol '%s' (expected TCP or UDP)",
				   word_at(lx, lx->tok, q));
			goto out;
		}
		lx->cond = yycPROBE_NAME;
		tok = PROTO;
		goto out;
	}
	<PROBE_NAME> word {
		if ((tok = check_name(lx, "probe name", PROBE_NAME_PUNCT)))
			goto out;
		tv->p = lx->tok;
		tv->len = (size_t)(lx->cur - lx->tok);
		lx->cond = yycPROBE_STRING;
		tok = NAME;
		goto out;
	}
	<PROBE_STRING> "q" {
		/* Nmap reads flags from the byte after the closing delimiter on,
		 * so no blank is needed before the first one. */
		if (!(tok = scan_delimited(lx, tv, "probe string"))) {
			lx->cond = yycPROBE_TAIL;
			tok = PAYLOAD;
		}
		goto out;
	}
	<PROBE_STRING> * {
		tok = fail(lx, lx->tok, "expected the probe string q<d>...<d>, found '%s'",
			   word_at(lx, lx->tok, q));
		goto out;
	}
	/*
	 * Flags after the probe string.  Nmap acts on a word that starts with
	 * "no-payload", stops reading flags there, and passes over any other
	 * word; newer databases carry such words (source=500).  Each word it
	 * passes over gets a warning here, so that a typo is seen.
	 */
	<PROBE_TAIL> "no-payload" word? {
		if (lx->cur - lx->tok > 10)
			warn(lx, lx->tok, "probe flag '%s' read as no-payload (Nmap reads any word "
			     "starting with it so)", word_at(lx, lx->tok, q));
		lx->cond = yycPROBE_FLAGS_DONE;
		tok = NO_PAYLOAD;
		goto out;
	}
	<PROBE_TAIL> word {
		warn(lx, lx->tok, "unknown probe flag '%s' ignored (Nmap acts on no-payload only)",
		     word_at(lx, lx->tok, q));
		continue;
	}
	<PROBE_FLAGS_DONE> word {
		warn(lx, lx->tok, "'%s' after no-payload ignored (Nmap reads no flag after it)",
		     word_at(lx, lx->tok, q));
		continue;
	}

	<SERVICE> word {
		if ((tok = check_name(lx, "service name", SERVICE_NAME_PUNCT)))
			goto out;
		tv->p = lx->tok;
		tv->len = (size_t)(lx->cur - lx->tok);
		lx->cond = yycREGEX;
		tok = NAME;
		goto out;
	}

	<REGEX> tag {
		if (lx->cur - lx->tok != 1 || *lx->tok != 'm') {
			tok = fail(lx, lx->tok, "expected a regex m<d>...<d>, found '%s'",
				   word_at(lx, lx->tok, q));
			goto out;
		}
		if ((tok = scan_regex(lx, tv)) == REGEX)
			lx->cond = yycFIELDS;
		goto out;
	}
	<REGEX> * {
		tok = fail(lx, lx->tok, "expected a regex m<d>...<d>, found '%s'",
			   word_at(lx, lx->tok, q));
		goto out;
	}

	<FIELDS> tag { tok = scan_field(lx, tv); goto out; }
	<FIELDS> * {
		tok = fail(lx, lx->tok,
			   "expected a version field (p/.../, v/.../, i/.../, h/.../, o/.../, "
			   "d/.../ or cpe:/.../), found '%s'", word_at(lx, lx->tok, q));
		goto out;
	}

	<NUMBER> [0-9]+ {
		tv->num = number_value(lx->tok, lx->cur);
		if (!at_blank(lx)) {
			tok = fail(lx, lx->tok, "expected a number, found '%s'",
				   word_at(lx, lx->tok, q));
			goto out;
		}
		lx->cond = yycEND_OF_LINE;
		tok = NUMBER;
		goto out;
	}
	<NUMBER> * {
		tok = fail(lx, lx->tok, "expected a number, found '%s'", word_at(lx, lx->tok, q));
		goto out;
	}

	<FALLBACK> "," { continue; }
	<FALLBACK> [^\x00\n\r \t,]+ {
		if ((tok = check_name(lx, "probe name", PROBE_NAME_PUNCT)))
			goto out;
		tv->p = lx->tok;
		tv->len = (size_t)(lx->cur - lx->tok);
		tok = NAME;
		goto out;
	}

	<PROBE_PROTO, PROBE_NAME, PROBE_TAIL, PROBE_FLAGS_DONE, SERVICE, FALLBACK, END_OF_LINE> * {
		tok = fail(lx, lx->tok, "unexpected '%s' at the end of the line", word_at(lx, lx->tok, q));
		goto out;
	}
*/
out:
		if (tok == EOL && lx->tok == lx->lim)
			lx->cur = lx->lim;
		set_loc(lx, tl);
		return tok;
	}
}
