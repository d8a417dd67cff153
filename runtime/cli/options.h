/*
 * svdetect's command line: Nmap's options where they overlap.  Parsing
 * does no network traffic; every error is one line on stderr and exit 2.
 */
#ifndef SVD_OPTIONS_H
#define SVD_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "ports.h"
#include "resume.h"
#include "targets.h"

enum svd_outfmt { SVD_OUT_NORMAL, SVD_OUT_XML, SVD_OUT_GREPABLE, SVD_OUT_JSON, SVD_OUT_NFORMATS };

struct svd_opts {
	struct svd_targets targets;  /* walked less the excluded ones */
	struct svd_exclude exclude;  /* --exclude, --excludefile */
	unsigned protos;            /* SVD_SCAN_TCP (-sT, the default), SVD_SCAN_UDP (-sU) */
	struct svd_portlist ports;  /* of those protocols only */
	struct svd_services services;
	const char *signatures;     /* --signatures NAME, or NULL for the default set */
	int intensity;              /* 0-9, default 7; --version-light 2, --version-all 9 */
	bool version_trace;         /* --version-trace */
	bool allports;              /* --allports: ignore Exclude */
	int timing;                 /* -T0..5, default 3 */
	bool no_ping;               /* -Pn: no host discovery, every host up */
	int max_parallelism;        /* 0: from -T */
	int max_probes_ahead;       /* --max-probes-ahead, 0-31; -1: from -T */
	long host_timeout_ms;       /* 0: none */
	bool open_only;             /* --open */
	bool tls_info;              /* --tls-info: TLS facts in normal and XML output */
	bool reason;                /* --reason: the REASON column */
	int verbose, debug;         /* -v, -d (counts; -v2, -d3 forms too) */
	long stats_every_ms;        /* --stats-every, 0: off */
	char *out[SVD_OUT_NFORMATS]; /* file names ("-" = stdout; malloc'd) or NULL */
	bool append_output;         /* --append-output (and --resume): files not truncated */
	struct svd_resume *resume;  /* --resume FILE: what it says (the targets are less
				     * the hosts it has done), or NULL */
	char *args;                 /* the whole command line, for output headers */
	enum { SVD_MODE_SCAN, SVD_MODE_MATCH, SVD_MODE_MATCH_TRACE, SVD_MODE_TEST_EXAMPLES,
	       SVD_MODE_VERSION, SVD_MODE_HELP } mode;
	int match_argc;             /* --match/--match-trace: PROBE FILE...;
				     * --test-examples: FILE... (at least one) */
	char **match_argv;
};

/*
 * Fills o from argv.  Returns 0, or 2 after printing a one-line error
 * (prefixed "svdetect: ") to stderr and freeing o.  Scan types: -sT (the
 * default), -sU, both (-sT -sU, -sTU); -sV is accepted and changes
 * nothing; refused with a message: -sC, -sCV and the --script options,
 * other scan types, a second -p.  In scan mode the services table is
 * loaded (--servicedb FILE, else SVD_SERVICES_PATH, else the built-in
 * one), the ports chosen (-p, --top-ports, -F; top 1000 of each protocol
 * scanned by default; ports of a protocol not scanned dropped with a
 * warning, as Nmap warns) and
 * the exclusions loaded, the targets parsed and resolved (not expanded:
 * a walk skips the excluded ones, which may leave none); no packet is
 * sent.  --help and --version stop parsing where they stand.  --resume
 * FILE, alone on the command line, parses the command line FILE records
 * instead, with --append-output, and counts the hosts FILE has done,
 * which the scan's walk of the targets skips (svd_resume_skip).
 */
int svd_opts_parse(struct svd_opts *o, int argc, char **argv);

/* Frees what parsing allocated; safe on a freed or failed o. */
void svd_opts_free(struct svd_opts *o);
void svd_opts_usage(FILE *out);

/*
 * Nmap's time syntax: a number (fraction allowed) with an optional unit
 * ms, s, m or h; a bare number is seconds.  Returns 0 and the
 * milliseconds (rounded), or -1.
 */
int svd_parse_time(const char *s, long *ms);

#endif
