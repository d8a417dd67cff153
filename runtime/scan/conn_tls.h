/*
 * TLS over TCP as a struct conn_type (conn.h), with OpenSSL 3, on the
 * event loop.  Detection is not trust: any certificate is accepted and
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

/* Nmap's connect timeout for a port in an SSL tunnel: the TCP connect
 * and the handshake together (service_scan.h, DEFAULT_CONNECT_SSL_TIMEOUT). */
enum { CONN_TLS_CONNECT_TIMEOUT_MS = 8000 };

extern const struct conn_type conn_tls;

/* The run's one SSL_CTX.  NULL when OpenSSL cannot make it (out of memory). */
struct conn_tls_ctx;
struct conn_tls_ctx *conn_tls_ctx_new(void);
void conn_tls_ctx_free(struct conn_tls_ctx *ctx);

/*
 * Before conn_connect: makes c the port's facts connection, which offers
 * ALPN h2 and http/1.1.  Probe connections offer none, as Nmap's: a
 * server that picked h2 would not answer HTTP/1 probes.  Returns false
 * when out of memory.
 */
bool conn_tls_offer_alpn(struct conn *c);

/*
 * A session kept for resumption (an SSL_SESSION): Nmap offers the
 * session of a port's last handshake on its next probe connection.
 */
struct conn_tls_session;

/* After CONN_EV_CONNECTED with c->state == CONN_OPEN: c's session, a
 * reference of the caller's, or NULL when it cannot be resumed (yet: a
 * TLS 1.3 server's ticket comes after the handshake, with the first
 * bytes read) or out of memory. */
struct conn_tls_session *conn_tls_session(const struct conn *c);
/* Before conn_connect: offers s (c takes a reference of its own); if
 * OpenSSL refuses it, the handshake is a full one. */
void conn_tls_resume(struct conn *c, struct conn_tls_session *s);
/* Whether c's handshake resumed the session offered. */
bool conn_tls_resumed(const struct conn *c);
void conn_tls_session_free(struct conn_tls_session *s);

#endif
