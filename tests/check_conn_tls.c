/*
 * The TLS transport (runtime/scan/conn_tls.c) against an OpenSSL server
 * in a thread of the test, on 127.0.0.1: the handshake, a write and
 * reads through the loop (also small ones, so that decrypted bytes wait
 * in OpenSSL with nothing on the descriptor), an end without close_notify,
 * a plain server that fails the handshake, session resumption in TLS 1.2
 * and 1.3, SNI only for host names, ALPN only on the facts connection.
 * DTLS (conn_dtls) against a DTLS server in a thread: the handshake and
 * a datagram each way, a lost ClientHello sent again on OpenSSL's timer,
 * a silent port given the timer's retransmissions and nothing more, a
 * closed port failing from the loop, a flood of junk records dropped.
 */
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "conn_tls.h"
#include "tls_facts.h"

enum { IO_TIMEOUT_MS = 5000 };

/* --- The server ------------------------------------------------------------ */

enum behaviour {
	ECHO,        /* one read, "echo:" and what it read, close without close_notify */
	ECHO_KEEP,   /* the same, then reads until the client closes */
	HOLD,        /* the handshake, then reads until the client closes */
	PLAIN        /* no TLS: a banner, then reads until the client closes */
};

struct server {
	int lfd;
	uint16_t port;
	SSL_CTX *ctx;
	enum behaviour how;
	int nconns;                 /* connections to serve, one after the other */
	/* What the connections showed. */
	char sni[4][64];            /* of connection i, "" if none */
	char alpn[64];              /* of the last one */              /* the client's ALPN list, as on the wire */
	size_t alpn_len;
	int resumed;                /* connections that resumed a session */
	pthread_t thread;
};

static int alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
		       const unsigned char *in, unsigned inlen, void *arg)
{
	struct server *s = arg;

	(void)ssl;
	s->alpn_len = inlen < sizeof s->alpn ? inlen : sizeof s->alpn;
	memcpy(s->alpn, in, s->alpn_len);
	*out = in + 1;
	*outlen = in[0];
	return SSL_TLSEXT_ERR_OK;
}

/* A self-signed P-256 certificate, made in memory. */
static void use_new_certificate(SSL_CTX *ctx)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;

	ck_assert_ptr_nonnull(key);
	ck_assert_ptr_nonnull(x);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)"check_conn_tls", -1, -1, 0);
	X509_set_issuer_name(x, name);
	ck_assert_int_gt(X509_sign(x, key, EVP_sha256()), 0);
	ck_assert_int_eq(SSL_CTX_use_certificate(ctx, x), 1);
	ck_assert_int_eq(SSL_CTX_use_PrivateKey(ctx, key), 1);
	X509_free(x);
	EVP_PKEY_free(key);
}

static void serve_one(struct server *s, int fd, int conn_index)
{
	char buf[256];
	SSL *ssl;
	int n;

	if (s->how == PLAIN) {
		ck_assert_int_gt(write(fd, "220 plain service\r\n", 19), 0);
		while (read(fd, buf, sizeof buf) > 0)
			continue;
		return;
	}
	ssl = SSL_new(s->ctx);
	SSL_set_fd(ssl, fd);
	if (SSL_accept(ssl) == 1) {
		const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);

		if (conn_index < 4)
			snprintf(s->sni[conn_index], sizeof s->sni[0], "%s", sni ? sni : "");
		s->resumed += SSL_session_reused(ssl);
		if (s->how != HOLD && (n = SSL_read(ssl, buf + 5, (int)sizeof buf - 5)) > 0) {
			memcpy(buf, "echo:", 5);
			SSL_write(ssl, buf, n + 5);
		}
		if (s->how != ECHO)
			while (SSL_read(ssl, buf, sizeof buf) > 0)
				continue;
	}
	/* A quiet shutdown: no close_notify reaches the client, yet the
	 * session stays resumable. */
	SSL_set_quiet_shutdown(ssl, 1);
	SSL_shutdown(ssl);
	SSL_free(ssl);
	ERR_clear_error();
}

static void *serve(void *arg)
{
	struct server *s = arg;
	int i;

	for (i = 0; i < s->nconns; i++) {
		struct pollfd p = { .fd = s->lfd, .events = POLLIN };
		struct timeval tv = { IO_TIMEOUT_MS / 1000, 0 };
		int fd;

		if (poll(&p, 1, IO_TIMEOUT_MS) != 1)
			break;
		fd = accept(s->lfd, NULL, NULL);
		if (fd < 0)
			break;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		serve_one(s, fd, i);
		close(fd);
	}
	return NULL;
}

/* Starts a server for nconns connections; max_version 0: TLS 1.3. */
static void server_start(struct server *s, enum behaviour how, int nconns, int max_version)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;

	memset(s, 0, sizeof *s);
	s->how = how;
	s->nconns = nconns;
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(s->lfd, 0);
	ck_assert_int_eq(bind(s->lfd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(s->lfd, 8), 0);
	ck_assert_int_eq(getsockname(s->lfd, (struct sockaddr *)&a, &len), 0);
	s->port = ntohs(a.sin_port);
	if (how != PLAIN) {
		static const unsigned char sid[] = "check_conn_tls";

		s->ctx = SSL_CTX_new(TLS_server_method());
		ck_assert_ptr_nonnull(s->ctx);
		use_new_certificate(s->ctx);
		SSL_CTX_set_session_id_context(s->ctx, sid, sizeof sid - 1);
		SSL_CTX_set_alpn_select_cb(s->ctx, alpn_select, s);
		if (max_version)
			SSL_CTX_set_max_proto_version(s->ctx, max_version);
	}
	ck_assert_int_eq(pthread_create(&s->thread, NULL, serve, s), 0);
}

static void server_stop(struct server *s)
{
	ck_assert_int_eq(pthread_join(s->thread, NULL), 0);
	close(s->lfd);
	SSL_CTX_free(s->ctx);
}

/* --- The client: one connection through the loop -------------------------- */

/* Every test's loop and TLS context (setup, teardown). */
static struct ev_loop *loop;
static struct conn_tls_ctx *tls_ctx;

struct client {
	const struct conn_type *type; /* NULL: conn_tls */
	struct conn *c;
	const char *send;           /* written once open, then read to the end */
	size_t sent;
	size_t chunk;               /* bytes per read */
	size_t expect;              /* stop once this much is read; 0: at the end */
	char got[256];
	size_t len;
	int eof, error, connected;
	bool timed_out;
	struct ev_timer guard;
};

static void on_guard(struct ev_loop *l, struct ev_timer *t)
{
	struct client *cl = ev_container(t, struct client, guard);

	cl->timed_out = true;
	ev_stop(l);
}

static void on_conn(struct conn *c, enum conn_event ev, unsigned events, void *arg)
{
	struct client *cl = arg;
	ssize_t n;

	if (ev == CONN_EV_CONNECTED) {
		cl->connected++;
		if (c->state != CONN_OPEN || !cl->send)
			ev_stop(c->loop);
		else
			ck_assert_int_eq(conn_want(c, EV_WRITE), 0);
		return;
	}
	if (events & EV_WRITE) {
		n = conn_write(c, cl->send + cl->sent, strlen(cl->send) - cl->sent);
		ck_assert_int_ne(n, CONN_ERROR);
		if (n > 0 && (cl->sent += (size_t)n) == strlen(cl->send))
			ck_assert_int_eq(conn_want(c, EV_READ), 0);
		return;
	}
	ck_assert(events & EV_READ);
	ck_assert_uint_le(cl->len + cl->chunk, sizeof cl->got);
	n = conn_read(c, cl->got + cl->len, cl->chunk);
	if (n > 0) {
		cl->len += (size_t)n;
		if (cl->expect && cl->len >= cl->expect)
			ev_stop(c->loop);
	} else if (n == CONN_EOF) {
		cl->eof++;
		ev_stop(c->loop);
	} else if (n == CONN_ERROR) {
		cl->error++;
		ev_stop(c->loop);
	}
}

/* One connection to port, watched for ms whatever happens (the guard
 * times out, or the connection ends); cl->c stays for the caller. */
static void client_watch(struct client *cl, const char *server_name, uint16_t port,
			 void (*configure)(struct conn_config *cfg, void *arg), void *arg,
			 uint64_t ms)
{
	struct conn_config cfg = { .loop = loop, .server_name = server_name, .transport = tls_ctx };
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *a = (struct sockaddr_in *)&ss;

	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (configure)
		configure(&cfg, arg);
	cl->c = conn_create(cl->type ? cl->type : &conn_tls, &cfg);
	ck_assert_ptr_nonnull(cl->c);
	conn_set_handler(cl->c, on_conn, cl);
	ck_assert_int_eq(conn_connect(cl->c, &ss, sizeof *a, port), 0);
	/* Never from inside conn_connect. */
	ck_assert_int_eq(cl->connected, 0);
	ev_timer_start(loop, &cl->guard, ms, on_guard);
	ck_assert_int_eq(ev_run(loop), 0);
	ev_timer_stop(loop, &cl->guard);
}

/* Runs one connection to port until it is over; the client's conn stays
 * open for the caller to look at and close. */
static void client_run(struct client *cl, const char *server_name, uint16_t port,
		       void (*configure)(struct conn_config *cfg, void *arg), void *arg)
{
	client_watch(cl, server_name, port, configure, arg, IO_TIMEOUT_MS);
	ck_assert(!cl->timed_out);
	ck_assert_int_eq(cl->connected, 1);
}

/* --- Tests ------------------------------------------------------------------ */

START_TEST(handshake_write_read_and_eof_without_close_notify)
{
	struct server s;
	struct client cl = { .send = "hello over tls", .chunk = 64 };

	server_start(&s, ECHO, 1, 0);
	client_run(&cl, NULL, s.port, NULL, NULL);
	ck_assert_int_eq(cl.c->state, CONN_OPEN);
	ck_assert_uint_eq(cl.len, strlen("echo:hello over tls"));
	ck_assert(memcmp(cl.got, "echo:hello over tls", cl.len) == 0);
	/* The server ended without close_notify: an end of file. */
	ck_assert_int_eq(cl.eof, 1);
	ck_assert_int_eq(cl.error, 0);
	ck_assert_str_eq(s.sni[0], ""); /* no server name given */
	conn_close(cl.c);
	server_stop(&s);
}
END_TEST

/* Reads of 3 bytes leave the rest of the record decrypted in OpenSSL and
 * nothing on the descriptor (the server keeps the connection open):
 * the reader hears of it all the same. */
START_TEST(small_reads_get_what_openssl_holds)
{
	struct server s;
	struct client cl = { .send = "hello over tls", .chunk = 3,
			     .expect = sizeof "echo:hello over tls" - 1 };

	server_start(&s, ECHO_KEEP, 1, 0);
	client_run(&cl, NULL, s.port, NULL, NULL);
	ck_assert_uint_eq(cl.len, cl.expect);
	ck_assert(memcmp(cl.got, "echo:hello over tls", cl.len) == 0);
	ck_assert_int_eq(cl.eof, 0);
	conn_close(cl.c);
	server_stop(&s);
}
END_TEST

START_TEST(plain_server_fails_the_handshake)
{
	struct server s;
	struct client cl = { .chunk = 16 };

	server_start(&s, PLAIN, 1, 0);
	client_run(&cl, NULL, s.port, NULL, NULL);
	ck_assert_int_eq(cl.c->state, CONN_FAILED);
	ck_assert_int_eq(cl.c->fail, CONN_FAIL_HANDSHAKE);
	ck_assert_str_ne(conn_last_error(cl.c), "");
	conn_close(cl.c);
	server_stop(&s);
}
END_TEST

START_TEST(refused_port_fails_from_the_loop)
{
	struct server s;
	struct client cl = { .chunk = 16 };
	uint16_t port;

	/* A port that was just listening and is not any more. */
	server_start(&s, PLAIN, 0, 0);
	port = s.port;
	server_stop(&s);
	client_run(&cl, NULL, port, NULL, NULL);
	ck_assert_int_eq(cl.c->state, CONN_FAILED);
	ck_assert_int_eq(cl.c->fail, CONN_FAIL_RESET);
	conn_close(cl.c);
}
END_TEST

static void offer(struct conn_config *cfg, void *arg)
{
	cfg->resume = arg;
}

/* The session of a first connection, offered on a second, is resumed:
 * in TLS 1.2 (session ids) and 1.3 (tickets, which arrive after the
 * handshake and are kept once the client has read). */
START_TEST(session_resumed_on_the_next_connection)
{
	static const int versions[] = { TLS1_2_VERSION, TLS1_3_VERSION };
	struct server s;
	struct client first = { .send = "one", .chunk = 64 }, second = { .send = "two", .chunk = 64 };
	struct conn_session *kept;

	server_start(&s, ECHO, 2, versions[_i]);
	client_run(&first, NULL, s.port, NULL, NULL);
	ck_assert_int_eq(first.eof, 1);
	ck_assert(!conn_tls_resumed(first.c));
	kept = conn_session(first.c);
	ck_assert_ptr_nonnull(kept);
	conn_close(first.c);
	client_run(&second, NULL, s.port, offer, kept);
	conn_tls.session_free(kept); /* the connection holds its own reference */
	ck_assert_int_eq(second.eof, 1);
	ck_assert(conn_tls_resumed(second.c));
	conn_close(second.c);
	server_stop(&s);
	ck_assert_int_eq(s.resumed, 1);
}
END_TEST

START_TEST(sni_sent_for_host_names_only)
{
	static const char *const names[] = { "www.example.test", "127.0.0.1", "::1" };
	struct server s;
	int i;

	server_start(&s, HOLD, 3, 0);
	for (i = 0; i < 3; i++) {
		struct client cl = { .chunk = 16 };

		client_run(&cl, names[i], s.port, NULL, NULL);
		ck_assert_int_eq(cl.c->state, CONN_OPEN);
		conn_close(cl.c);
	}
	server_stop(&s);
	ck_assert_str_eq(s.sni[0], "www.example.test");
	/* RFC 6066: never an address. */
	ck_assert_str_eq(s.sni[1], "");
	ck_assert_str_eq(s.sni[2], "");
}
END_TEST

static void facts_mode(struct conn_config *cfg, void *arg)
{
	(void)arg;
	cfg->offer_alpn = true;
}

START_TEST(alpn_offered_by_the_facts_connection_only)
{
	static const char facts_list[] = "\x02h2\x08http/1.1";
	struct server s;
	struct client probe = { .chunk = 16 }, facts = { .chunk = 16 };

	server_start(&s, HOLD, 1, 0);
	client_run(&probe, NULL, s.port, NULL, NULL);
	conn_close(probe.c);
	server_stop(&s);
	ck_assert_uint_eq(s.alpn_len, 0);

	server_start(&s, HOLD, 1, 0);
	client_run(&facts, NULL, s.port, facts_mode, NULL);
	ck_assert_int_eq(facts.c->state, CONN_OPEN);
	conn_close(facts.c);
	server_stop(&s);
	ck_assert_uint_eq(s.alpn_len, sizeof facts_list - 1);
	ck_assert(memcmp(s.alpn, facts_list, s.alpn_len) == 0);
}
END_TEST

/* --- DTLS ------------------------------------------------------------------- */

enum dtls_behaviour {
	DTLS_ECHO,      /* the handshake, one datagram read, "echo:" and it sent back */
	DTLS_LOSE_FIRST, /* the same, the first datagram (the ClientHello) dropped */
	DTLS_SILENT,    /* counts the datagrams, answers none */
	DTLS_JUNK       /* answers the first with JUNK_DATAGRAMS of junk: DTLS
			 * handshake headers with absurd lengths, cut records */
};

struct dtls_server {
	int fd;
	uint16_t port;
	SSL_CTX *ctx;
	enum dtls_behaviour how;
	int datagrams;              /* DTLS_SILENT: how many it got */
	pthread_t thread;
};

enum { SILENT_WATCH_MS = 3500, JUNK_DATAGRAMS = 2000 };

/* Junk datagram i: a DTLS 1.2 handshake record header whose lengths
 * (record, message, fragment) claim up to 64 KB, over bytes of i. */
static size_t junk(unsigned char *d, size_t cap, int i)
{
	static const unsigned char head[] = { 0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0 };
	size_t n = 13 + (size_t)(i % 1200);

	ck_assert_uint_le(n, cap);
	memset(d, i & 0xff, n);
	memcpy(d, head, sizeof head);
	d[11] = (unsigned char)(i % 3 ? 0xff : 0x00); /* record length */
	d[12] = 0xff;
	d[13] = (unsigned char)(i % 20);              /* handshake type */
	return n;
}

static void serve_junk(struct dtls_server *s)
{
	struct sockaddr_storage from;
	socklen_t len = sizeof from;
	unsigned char d[1300];
	int i;

	if (recvfrom(s->fd, d, sizeof d, 0, (struct sockaddr *)&from, &len) < 0)
		return;
	for (i = 0; i < JUNK_DATAGRAMS; i++)
		(void)sendto(s->fd, d, junk(d, sizeof d, i), 0, (struct sockaddr *)&from, len);
}

static void *dtls_serve(void *arg)
{
	struct dtls_server *s = arg;
	char buf[256];
	SSL *ssl;
	BIO *bio;
	int n;

	if (s->how == DTLS_SILENT) {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };

		while (poll(&p, 1, SILENT_WATCH_MS) == 1 && recv(s->fd, buf, sizeof buf, 0) >= 0)
			s->datagrams++;
		return NULL;
	}
	if (s->how == DTLS_JUNK) {
		serve_junk(s);
		return NULL;
	}
	if (s->how == DTLS_LOSE_FIRST)
		(void)recv(s->fd, buf, sizeof buf, 0);
	ssl = SSL_new(s->ctx);
	bio = BIO_new_dgram(s->fd, BIO_NOCLOSE);
	SSL_set_bio(ssl, bio, bio);
	if (SSL_accept(ssl) == 1 && (n = SSL_read(ssl, buf + 5, (int)sizeof buf - 5)) > 0) {
		memcpy(buf, "echo:", 5);
		SSL_write(ssl, buf, n + 5);
	}
	SSL_set_quiet_shutdown(ssl, 1);
	SSL_shutdown(ssl);
	SSL_free(ssl);
	ERR_clear_error();
	return NULL;
}

static void dtls_server_start(struct dtls_server *s, enum dtls_behaviour how)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	struct timeval tv = { IO_TIMEOUT_MS / 1000, 0 };

	memset(s, 0, sizeof *s);
	s->how = how;
	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(s->fd, 0);
	ck_assert_int_eq(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(getsockname(s->fd, (struct sockaddr *)&a, &len), 0);
	s->port = ntohs(a.sin_port);
	setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	s->ctx = SSL_CTX_new(DTLS_server_method());
	ck_assert_ptr_nonnull(s->ctx);
	use_new_certificate(s->ctx);
	ck_assert_int_eq(pthread_create(&s->thread, NULL, dtls_serve, s), 0);
}

static void dtls_server_stop(struct dtls_server *s)
{
	ck_assert_int_eq(pthread_join(s->thread, NULL), 0);
	close(s->fd);
	SSL_CTX_free(s->ctx);
}

START_TEST(dtls_handshake_and_a_datagram_each_way)
{
	struct dtls_server s;
	struct client cl = { .type = &conn_dtls, .send = "hello over dtls", .chunk = 64,
			     .expect = sizeof "echo:hello over dtls" - 1 };
	struct svd_tls_facts *facts;

	ck_assert(conn_tls_ctx_has_dtls(tls_ctx));
	dtls_server_start(&s, DTLS_ECHO);
	client_run(&cl, NULL, s.port, NULL, NULL);
	ck_assert_int_eq(cl.c->state, CONN_OPEN);
	ck_assert_uint_eq(cl.len, cl.expect);
	ck_assert(memcmp(cl.got, "echo:hello over dtls", cl.len) == 0);
	facts = conn_tls_facts(cl.c);
	ck_assert_ptr_nonnull(facts);
	ck_assert_str_eq(facts->version, "DTLSv1.2");
	ck_assert(facts->has_cert);
	svd_tls_facts_free(facts);
	/* No session is kept for DTLS, as Nmap keeps none. */
	ck_assert_ptr_null(conn_session(cl.c));
	conn_close(cl.c);
	dtls_server_stop(&s);
}
END_TEST

/* The server never sees the first ClientHello: the handshake completes
 * all the same, on the ClientHello OpenSSL's timer sends again (1 s). */
START_TEST(dtls_lost_client_hello_is_sent_again)
{
	struct dtls_server s;
	struct client cl = { .type = &conn_dtls, .send = "again", .chunk = 64,
			     .expect = sizeof "echo:again" - 1 };

	dtls_server_start(&s, DTLS_LOSE_FIRST);
	client_run(&cl, NULL, s.port, NULL, NULL);
	ck_assert_int_eq(cl.c->state, CONN_OPEN);
	ck_assert(memcmp(cl.got, "echo:again", cl.len) == 0);
	conn_close(cl.c);
	dtls_server_stop(&s);
}
END_TEST

/* A port that never answers gets the ClientHello at 0, 1 and 3 s
 * (OpenSSL doubles its wait), and the connection stays connecting: the
 * owner's timer ends it. */
START_TEST(dtls_silent_port_gets_only_the_timer_retransmissions)
{
	struct dtls_server s;
	struct client cl = { .type = &conn_dtls };

	dtls_server_start(&s, DTLS_SILENT);
	client_watch(&cl, NULL, s.port, NULL, NULL, SILENT_WATCH_MS - 200);
	ck_assert(cl.timed_out);
	ck_assert_int_eq(cl.connected, 0);
	ck_assert_int_eq(cl.c->state, CONN_CONNECTING);
	conn_close(cl.c);
	dtls_server_stop(&s);
	ck_assert_int_eq(s.datagrams, 3);
}
END_TEST

/* A flood of junk instead of a handshake: OpenSSL drops each datagram
 * (DTLS ignores bad records), nothing crashes, and the handshake neither
 * completes nor keeps the loop from its timer. */
START_TEST(dtls_junk_flood_is_dropped)
{
	struct dtls_server s;
	struct client cl = { .type = &conn_dtls };

	dtls_server_start(&s, DTLS_JUNK);
	client_watch(&cl, NULL, s.port, NULL, NULL, 1500);
	dtls_server_stop(&s);
	/* Either still waiting for a real answer, or failed: never open. */
	ck_assert(cl.timed_out || cl.c->state == CONN_FAILED);
	ck_assert_int_ne(cl.c->state, CONN_OPEN);
	conn_close(cl.c);
}
END_TEST

/* ICMP port unreachable reaches the connected socket: the handshake
 * fails from the loop at once, not on a timer. */
START_TEST(dtls_closed_port_fails_from_the_loop)
{
	struct client cl = { .type = &conn_dtls };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint16_t port;

	/* A port just bound and closed: nothing listens there. */
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	client_run(&cl, NULL, port, NULL, NULL);
	ck_assert_int_eq(cl.c->state, CONN_FAILED);
	ck_assert_int_eq(cl.c->fail, CONN_FAIL_HANDSHAKE);
	conn_close(cl.c);
}
END_TEST

static void setup(void)
{
	/* As svdetect does: OpenSSL writes with write(2), and a peer gone
	 * (the server after the client's close, or the reverse) is EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	loop = ev_new(64);
	tls_ctx = conn_tls_ctx_new();
	ck_assert_ptr_nonnull(loop);
	ck_assert_ptr_nonnull(tls_ctx);
}

static void teardown(void)
{
	/* Every connection closed: nothing left on the loop. */
	ck_assert_uint_eq(ev_nwatched(loop), 0);
	ck_assert_uint_eq(ev_ntimers(loop), 0);
}

static Suite *suite(void)
{
	Suite *s = suite_create("conn_tls");
	TCase *tc = tcase_create("loopback");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, handshake_write_read_and_eof_without_close_notify);
	tcase_add_test(tc, small_reads_get_what_openssl_holds);
	tcase_add_test(tc, plain_server_fails_the_handshake);
	tcase_add_test(tc, refused_port_fails_from_the_loop);
	tcase_add_loop_test(tc, session_resumed_on_the_next_connection, 0, 2);
	tcase_add_test(tc, sni_sent_for_host_names_only);
	tcase_add_test(tc, alpn_offered_by_the_facts_connection_only);
	tcase_add_test(tc, dtls_handshake_and_a_datagram_each_way);
	tcase_add_test(tc, dtls_lost_client_hello_is_sent_again);
	tcase_add_test(tc, dtls_silent_port_gets_only_the_timer_retransmissions);
	tcase_add_test(tc, dtls_closed_port_fails_from_the_loop);
	tcase_add_test(tc, dtls_junk_flood_is_dropped);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
