/*
 * TLS over TCP (conn_tls) and DTLS over UDP (conn_dtls) as struct
 * conn_types (conn.h), with OpenSSL 3, on the event loop.  Detection is not trust: any certificate is accepted and
 * every protocol version and cipher OpenSSL still has is offered, so
 * that old servers answer too.  OpenSSL appears only in conn_tls.c (and
 * tls_facts.c): users see opaque types.
 *
 * The owner passes a struct conn_tls_ctx (one per run) as
 * conn_config.transport, and conn_config.server_name for SNI (sent only
 * when it is a host name, never an address).  OpenSSL writes with
 * write(2): the program ignores SIGPIPE, as svdetect does.
 */
#ifndef SVD_CONN_TLS_H
#define SVD_CONN_TLS_H

#include <stdbool.h>

#include "conn.h"

extern const struct conn_type conn_tls, conn_dtls;

/* The run's SSL_CTXs, TLS's and DTLS's.  NULL when OpenSSL cannot make
 * the TLS one (out of memory). */
struct conn_tls_ctx;
struct conn_tls_ctx *conn_tls_ctx_new(void);
void conn_tls_ctx_free(struct conn_tls_ctx *ctx);

/* Whether conn_dtls can be used with ctx (this OpenSSL has DTLS). */
bool conn_tls_ctx_has_dtls(const struct conn_tls_ctx *ctx);

/*
 * conn_config's TLS fields: offer_alpn makes the port's facts connection,
 * which offers ALPN h2 and http/1.1 (probe connections offer none, as
 * Nmap's: a server that picked h2 would not answer HTTP/1 probes);
 * resume offers a session (a struct conn_session is an SSL_SESSION),
 * and when OpenSSL refuses it the handshake is a full one.  A session
 * (conn_session) can be resumed only once a TLS 1.3 server's ticket,
 * sent after the handshake, has been read with the first bytes.
 */

/* Whether c's handshake resumed the session offered. */
bool conn_tls_resumed(const struct conn *c);

#endif
