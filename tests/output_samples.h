/*
 * Scan results built by hand for the output tests: "basic" repeats Nmap
 * 7.93's scan of tests/data/output/nmap-7.93.* field for field, "mixed"
 * and "open" cover what that scan does not (filtered and shown closed
 * ports, names, timeouts, down hosts, several reasons, --open), "tls"
 * the TLS facts of --tls-info, "rpc" Nmap 7.93's scan of
 * tests/data/output/nmap-7.93-rpc.* (ports the RPC grinder named).
 */
#ifndef SVD_OUTPUT_SAMPLES_H
#define SVD_OUTPUT_SAMPLES_H

#include <stddef.h>

#include "output.h"

struct sample {
	const char *name;
	struct svd_run run;
	struct svd_host *hosts;
	size_t nhosts;
	struct svd_host host;     /* sample_tls_port's */
	struct svd_port port;
};

/*
 * Builds sample name ("basic", "mixed", "open", "tls", "rpc"); fingerprints are read
 * from the files fp-PORT.txt in datadir.  Returns 0, or -1 for an unknown
 * name or an unreadable file.
 */
int sample_build(struct sample *s, const char *name, const char *datadir);
void sample_free(struct sample *s);

/* One host, 127.0.0.1, with one port, 443, whose facts are f, written
 * with --tls-info at -vv; nothing to free. */
void sample_tls_port(struct sample *s, struct svd_tls_facts *f);

/* Runs ops over the whole sample into f; returns 0 or -1 like the ops. */
int sample_write(const struct sample *s, const struct svd_output_ops *ops, FILE *f);

/* The format called name ("normal", "interactive", ...), or NULL. */
const struct svd_output_ops *sample_format(const char *name);

#endif
