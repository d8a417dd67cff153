/*
 * Internal contract between the re2c lexer (probe_lex.re) and the Bison
 * parser (probe_parse.y).  The format is line oriented and its fields are
 * delimited by characters the author chooses, so the lexer carries the
 * line's state: it knows, for instance, that the word after "match" is a
 * service name and that 'm' then starts a regex.  It returns whole
 * delimited fields as single tokens and reports its own errors; the parser
 * checks the order of tokens and builds the AST.
 */
#ifndef SVD_FRONTEND_H
#define SVD_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "diag.h"

/* A token's value: its text, or the contents of a delimited field. */
struct token {
	const unsigned char *p;
	size_t len;
	long num;        /* NUMBER (saturated at NUMBER_MAX) */
	int kind;        /* PROTO: enum proto; FIELD: enum field, or
			    FIELD_COUNT for cpe:; PORT_PROTO: EXCLUDE_* */
	char delim;      /* delimited fields */
	unsigned flags;  /* REGEX: REGEX_*; FIELD: 1 for cpe's 'a' */
};
enum { NUMBER_MAX = 1000000000 };

struct tok_loc {
	int first_line, first_column, last_line, last_column;
};

/* Nmap reads lines into an 8192-byte buffer: 8191 bytes plus NUL. */
enum { LINE_MAX_BYTES = 8191 };

/*
 * Service and probe names: Nmap's longest are 26 bytes; the scanner keeps
 * a service name, with "ssl/" before it and "?" after, in 64 bytes.
 */
enum { NAME_MAX_BYTES = 48 };

struct lexer {
	const unsigned char *cur, *tok, *lim; /* *lim == '\0' */
	const unsigned char *line_start;
	const unsigned char *content_end; /* before "\r\n" or "\n" */
	const unsigned char *next_line;
	unsigned line;
	int cond;
	bool line_failed; /* an error was reported on this line */
	struct diag *diag;
	const char *file;
};

struct parse_ctx {
	struct lexer lx;
	struct probe_db *db;
	struct diag *diag;
	struct probe *probe;          /* the probe being read, or NULL */
	struct match *match;          /* the match line being read */
	struct probe *fallback_probe; /* the probe a fallback line sets */
	struct port_list *ports;      /* the ports/sslports list being read */
	unsigned exclude_protos;      /* the current T:/U: prefix of Exclude */
};

/* buf[len] must be '\0'. */
void lexer_init(struct lexer *lx, const unsigned char *buf, size_t len,
		const char *file, struct diag *diag);

struct loc lexer_loc(const struct lexer *lx, int line, int col);

#endif
