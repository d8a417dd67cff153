/*
 * The TLS facts of a port (struct svd_tls_facts, runtime/result/scan.h):
 * the parameters of a finished handshake and what Nmap's ssl-cert script
 * shows of the leaf certificate.  The certificate part stands alone so
 * that tests and the fuzzer can feed it certificates without a connection.
 * OpenSSL's types appear by their struct names (SSL is struct ssl_st,
 * X509 struct x509_st) so that code which only frees facts needs no
 * OpenSSL headers; only tls_facts.c and conn_tls.c include them.
 */
#ifndef SVD_TLS_FACTS_H
#define SVD_TLS_FACTS_H

#include "scan.h"

struct ssl_st;
struct x509_st;

/*
 * The facts of ssl after its handshake: version, cipher, ALPN and the
 * peer's certificate (certificate fields empty when it sent none).
 * Returns a malloc'd struct, or NULL when out of memory.
 */
struct svd_tls_facts *svd_tls_facts_of(struct ssl_st *ssl);

/*
 * Fills f's certificate fields from cert (f's other fields untouched;
 * the certificate fields must be empty).  Returns 0, or -1 when out of
 * memory (f then holds what was filled: svd_tls_facts_free frees it).
 */
int svd_tls_facts_cert(struct svd_tls_facts *f, struct x509_st *cert);

/* Frees f and everything it holds; f may be NULL. */
void svd_tls_facts_free(struct svd_tls_facts *f);

#endif
