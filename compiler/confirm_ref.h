/*
 * Confirms candidate match lines with the reference backtracking matcher
 * (compiler/regex_eval.c) instead of generated code: for tests, which
 * compare the two, and for svdc's offline matching of files it has not
 * compiled.  Never linked into the scanner.
 */
#ifndef SVD_CONFIRM_REF_H
#define SVD_CONFIRM_REF_H

#include "sigdb_build.h"

struct confirm_ref {
	struct rx_vm vm;
	struct confirm_ref_line *lines;
	unsigned long limit_hits; /* BT_BUDGET spent: reported as no match */
};

/* Points every match line of b at the reference matcher. */
void confirm_ref_attach(struct confirm_ref *r, struct arena *a, struct sigdb_build *b);
void confirm_ref_free(struct confirm_ref *r);

#endif
