/*
 * The TLS facts of a port as the output formats show them: the text of
 * Nmap's ssl-cert script (normal output and XML's output attribute) and
 * the pieces of its XML tables.  Internal to libsvdout.a.
 */
#ifndef SVD_OUTPUT_TLS_H
#define SVD_OUTPUT_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include "scan.h"

/* The facts --tls-info shows for p (with a certificate), or NULL. */
const struct svd_tls_facts *svd_out_tls_shown(const struct svd_run *run,
					      const struct svd_port *p);

/*
 * ssl-cert's text for f at -v level verbose, lines joined by '\n' (no
 * newline at the end), every byte printable ASCII.  malloc'd; NULL: ENOMEM.
 */
char *svd_out_ssl_cert_text(const struct svd_tls_facts *f, int verbose);

/* The attributes of a name sorted by key, as ssl-cert's XML tables list
 * them (malloc'd array of n->n pointers into n; NULL: ENOMEM or n empty). */
const struct svd_tls_attr **svd_out_name_sorted(const struct svd_tls_name *n);

/* Lower-case hex of n bytes into buf (2 * n + 1 bytes). */
void svd_out_hex(char *buf, const unsigned char *d, size_t n);

#endif
