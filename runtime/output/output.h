/*
 * Output formats: one module per format behind one vtable, like zmap's
 * output modules.  A run opens every format the user asked for, calls
 * begin once, host once per finished host (in target order), end once.
 * Modules write to their own FILE and never to stderr.
 */
#ifndef SVD_OUTPUT_H
#define SVD_OUTPUT_H

#include <stdio.h>

#include "scan.h"

struct svd_output_ops {
	const char *name;    /* "normal", "interactive", "xml", "grepable", "json" */
	const char *suffix;  /* file suffix for -oA: ".nmap", ".xml", ".gnmap"; NULL: not in -oA */
	/* Each returns 0, or -1 on a write error (errno set). */
	int (*begin)(FILE *f, const struct svd_run *run);
	int (*host)(FILE *f, const struct svd_run *run, const struct svd_host *h);
	int (*end)(FILE *f, const struct svd_run *run);
};

extern const struct svd_output_ops svd_output_normal;
/* Normal output as the terminal shows it: other first and last lines. */
extern const struct svd_output_ops svd_output_interactive;
extern const struct svd_output_ops svd_output_xml;
extern const struct svd_output_ops svd_output_grepable;
extern const struct svd_output_ops svd_output_json;

#endif
