/*
 * The TLS side of tests/hostile_server: one server end of a TLS
 * connection per accepted socket, well behaved or hostile, run by OpenSSL
 * over memory BIOs so that the server decides what reaches the socket and
 * how (all of it, one byte a segment, half of it, with garbage).  The
 * caller moves bytes between the socket and the peer; nothing here
 * touches a descriptor.
 */
#ifndef HOSTILE_TLS_H
#define HOSTILE_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tls_kind {
	TLS_HTTP,       /* answers "GET / HTTP/1.0" as nginx does, close_notify, closes */
	TLS_LATEBANNER, /* an OpenSSH banner through TLS, a delay after the handshake */
	TLS_GARBAGE,    /* its ServerHello record, then 16 KB of random bytes */
	TLS_STALL,      /* the first half of its first flight, then nothing, ever */
	TLS_RENEGO,     /* TLS 1.2 only: a renegotiation request every tick */
	TLS_KEYUPDATE,  /* TLS 1.3 only: KeyUpdates every tick, as fast as the peer reads */
	TLS_BIGCERT,    /* a certificate chain of 1 MB, then as TLS_HTTP */
	TLS_SPLIT,      /* as TLS_HTTP, every byte in a TCP segment of its own */
	TLS_NONOTIFY    /* half the HTTP answer, then a close without close_notify */
};

struct tls_peer;

/* Key, certificates and contexts; false (reason on stderr) on failure. */
bool tls_setup(void);
void tls_teardown(void);
/* Handshakes completed so far (renegotiations not counted). */
unsigned long long tls_handshakes(void);
/* KeyUpdates sent so far; *renegotiation_requests the HelloRequests. */
unsigned long long tls_flood_sent(unsigned long long *renegotiation_requests);

/* A server end that has seen nothing yet, or NULL (out of memory). */
struct tls_peer *tls_peer_new(enum tls_kind kind, uint64_t delay_ms);
void tls_peer_free(struct tls_peer *p);

/* Bytes from the client, at time now (ms). */
void tls_peer_input(struct tls_peer *p, const void *buf, size_t len, uint64_t now);
/* Time passes: what the peer does on its own (the late banner, floods). */
void tls_peer_tick(struct tls_peer *p, uint64_t now);
/* When tls_peer_tick has something to do next (0: never). */
uint64_t tls_peer_next_at(const struct tls_peer *p);

/* The bytes for the socket now, and how many of them each write may carry
 * (1 for TLS_SPLIT, else all). */
size_t tls_peer_output(const struct tls_peer *p, const unsigned char **bytes);
size_t tls_peer_segment_max(const struct tls_peer *p);
/* The first n bytes of the output went out. */
void tls_peer_consumed(struct tls_peer *p, size_t n);
/* The server is through: close once the output is out. */
bool tls_peer_finished(const struct tls_peer *p);

#endif
