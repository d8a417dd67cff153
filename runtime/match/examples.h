/*
 * Signature examples: responses with the answer a signature set must give
 * for them, written by signature authors in a line-oriented file
 * (docs/signature-examples.md, svdetect-examples(5)).  This module only
 * parses; examples_check.h runs them against a compiled set.
 */
#ifndef SVD_EXAMPLES_H
#define SVD_EXAMPLES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "template.h"

enum svd_expect { SVD_EXPECT_NOMATCH, SVD_EXPECT_MATCH, SVD_EXPECT_SOFTMATCH };

struct svd_example {
	unsigned line;          /* of its `probe` line */
	uint8_t proto;          /* enum svd_proto */
	char *probe;            /* the probe's name */
	unsigned char *response;
	size_t len;             /* > 0: Nmap never matches an empty response */
	enum svd_expect expect;
	char *service;          /* NULL for SVD_EXPECT_NOMATCH */
	/*
	 * Every field as outputs show it; a field the example does not give
	 * is "" and so must come out empty.  cpe_a/h/o hold "cpe:/a:...".
	 */
	struct svd_version want;
};

struct svd_examples {
	char *file;             /* the name messages give */
	struct svd_example *v;
	size_t n, cap;
};

/*
 * Parses text[0..len), read from `file`, appending its examples to ex
 * (zero-initialised before the first call).  Each error is one line
 * "file:line:col: message" on err; an example with an error is left
 * out, and parsing goes on with the next line.  Returns the number of
 * errors; out of memory is one, reported as such.
 */
unsigned svd_examples_parse(struct svd_examples *ex, const char *file,
			    const char *text, size_t len, FILE *err);

/* Reads path ("-": standard input) and parses it; a read error is one error. */
unsigned svd_examples_load(struct svd_examples *ex, const char *path, FILE *err);

void svd_examples_free(struct svd_examples *ex);

#endif
