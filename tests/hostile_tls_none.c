/*
 * hostile_tls.h in a build without OpenSSL (configure --without-openssl):
 * no TLS server ends.  tls_setup refuses, so hostile_server refuses a TLS
 * behaviour before any connection, and no peer is ever made: the peer
 * calls below are reached by no run, they only complete the interface.
 */
#include <stdio.h>

#include "hostile_tls.h"

bool tls_setup(void)
{
	fputs("hostile_server: built without OpenSSL: no TLS behaviours\n", stderr);
	return false;
}

void tls_teardown(void)
{
}

unsigned long long tls_handshakes(void)
{
	return 0;
}

unsigned long long tls_flood_sent(unsigned long long *renegotiation_requests)
{
	*renegotiation_requests = 0;
	return 0;
}

struct tls_peer *tls_peer_new(enum tls_kind kind, uint64_t delay_ms)
{
	(void)kind;
	(void)delay_ms;
	return NULL;
}

void tls_peer_free(struct tls_peer *p)
{
	(void)p;
}

void tls_peer_input(struct tls_peer *p, const void *buf, size_t len, uint64_t now)
{
	(void)p;
	(void)buf;
	(void)len;
	(void)now;
}

void tls_peer_tick(struct tls_peer *p, uint64_t now)
{
	(void)p;
	(void)now;
}

uint64_t tls_peer_next_at(const struct tls_peer *p)
{
	(void)p;
	return 0;
}

size_t tls_peer_output(const struct tls_peer *p, const unsigned char **bytes)
{
	(void)p;
	*bytes = NULL;
	return 0;
}

size_t tls_peer_segment_max(const struct tls_peer *p)
{
	(void)p;
	return 0;
}

void tls_peer_consumed(struct tls_peer *p, size_t n)
{
	(void)p;
	(void)n;
}

bool tls_peer_finished(const struct tls_peer *p)
{
	(void)p;
	return true;
}
