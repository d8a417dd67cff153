/*
 * TLS over TCP, and DTLS over UDP, on the event loop (conn_tls.h).  A
 * connection first connects its socket, then runs the handshake; every SSL call's outcome goes
 * through ssl_outcome(), the one place that turns SSL_ERROR_WANT_READ /
 * WANT_WRITE into the descriptor event to wait for.  The user's wishes
 * (conn_want) and what OpenSSL needs are kept apart: a read may need the
 * descriptor writable (renegotiation), and decrypted bytes OpenSSL still
 * holds need no descriptor event at all, so they are reported from a
 * zero-delay timer.
 */
#include "conn_tls.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>

#include "conn_fd.h"
#include "net.h"
#include "tls_facts.h"

struct conn_tls_ctx {
	OSSL_LIB_CTX *lib;          /* with the legacy provider, for old ciphers */
	OSSL_PROVIDER *legacy, *deflt;
	SSL_CTX *ssl;
	SSL_CTX *dtls;              /* NULL: this OpenSSL has no DTLS */
};

/*
 * Handshake messages a server may send once the handshake is over
 * (session tickets, KeyUpdates, requests to renegotiate): a few are
 * normal; beyond this the connection fails, so that a server flooding
 * them costs a bounded amount of CPU.
 */
enum { POST_HANDSHAKE_MAX = 32 };

/* What the zero-delay timer reports from the loop. */
enum kick { KICK_NONE, KICK_CONNECTED, KICK_READ };

struct tls_conn {
	/* First: a struct conn * is a struct tls_conn *.  Its registration
	 * (f.registered) is what watch() computes, with on_fd as handler. */
	struct conn_fd f;
	SSL *ssl;
	bool socket_connecting;     /* the socket's connect is not over yet */
	unsigned want;              /* what the user waits for (EV_READ, EV_WRITE) */
	/* The descriptor event the last handshake step, SSL_read or SSL_write
	 * waits for; EV_READ or EV_WRITE. */
	unsigned handshake_needs, read_needs, write_needs;
	enum kick kick;
	struct ev_timer kick_timer;
	/* DTLS: OpenSSL's timer for sending a handshake flight again (UDP
	 * loses datagrams), as DTLSv1_get_timeout gives it. */
	struct ev_timer retransmit_timer;
	char error[120];            /* the last failure as text, "" if none */
	unsigned post_handshake;    /* handshake messages received since (POST_HANDSHAKE_MAX) */
};

/* --- The run's context ------------------------------------------------------ */

/*
 * The DTLS context, as Nmap 7.94+ makes its own: no certificate check,
 * every protocol version, OpenSSL's DEFAULT ciphers and no padding, so
 * that the ClientHello fits in one datagram (a fragmented one is not
 * understood everywhere); no sessions kept, as Nmap resumes none over
 * DTLS.  NULL when this OpenSSL has no DTLS.
 */
static SSL_CTX *dtls_ctx_new(struct conn_tls_ctx *x)
{
	SSL_CTX *s = SSL_CTX_new_ex(x->deflt ? x->lib : NULL, NULL, DTLS_client_method());

	if (!s) {
		ERR_clear_error();
		return NULL;
	}
	SSL_CTX_set_verify(s, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_security_level(s, 0);
	SSL_CTX_set_min_proto_version(s, 0);
	SSL_CTX_set_max_proto_version(s, 0);
	SSL_CTX_set_options(s, SSL_OP_ALL | SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_clear_options(s, SSL_OP_TLSEXT_PADDING);
	if (!SSL_CTX_set_cipher_list(s, "DEFAULT"))
		ERR_clear_error();
	SSL_CTX_set_mode(s, SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_clear_mode(s, SSL_MODE_AUTO_RETRY);
	SSL_CTX_set_session_cache_mode(s, SSL_SESS_CACHE_OFF);
	return s;
}

struct conn_tls_ctx *conn_tls_ctx_new(void)
{
	struct conn_tls_ctx *x = calloc(1, sizeof *x);
	SSL_CTX *s;

	if (!x)
		return NULL;
	/* A library context of our own, so that loading the legacy provider
	 * (RC4, DES: what Nmap offers old servers too) changes nothing else
	 * in the process.  Without it the modern ciphers still work. */
	x->lib = OSSL_LIB_CTX_new();
	if (x->lib) {
		x->deflt = OSSL_PROVIDER_load(x->lib, "default");
		x->legacy = OSSL_PROVIDER_load(x->lib, "legacy");
	}
	s = x->ssl = SSL_CTX_new_ex(x->deflt ? x->lib : NULL, NULL, TLS_client_method());
	if (!s) {
		ERR_clear_error();
		conn_tls_ctx_free(x);
		return NULL;
	}
	SSL_CTX_set_verify(s, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_security_level(s, 0);
	SSL_CTX_set_min_proto_version(s, 0); /* the lowest this OpenSSL has */
	SSL_CTX_set_max_proto_version(s, 0);
	/* Bug workarounds, servers without RFC 5746, and a peer that closes
	 * without close_notify is an end of file, as most servers do it.  A
	 * server's requests to renegotiate are refused: each would cost a
	 * full handshake, and a hostile server asks without end. */
	SSL_CTX_set_options(s, SSL_OP_ALL | SSL_OP_LEGACY_SERVER_CONNECT |
				       SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION |
				       SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
	if (!SSL_CTX_set_cipher_list(s, "ALL:eNULL:@SECLEVEL=0"))
		ERR_clear_error(); /* the default list is a working one */
	/* Idle connections hold no record buffers (34 KB each otherwise);
	 * a write may be partial, like send(). */
	SSL_CTX_set_mode(s, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
				    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* SSL_read returns after each record that holds no data, instead of
	 * working through all the socket holds: a flood of KeyUpdates or
	 * renegotiation requests then reaches tls_read's count one by one. */
	SSL_CTX_clear_mode(s, SSL_MODE_AUTO_RETRY);
	/* The owner keeps the sessions it wants (conn_session). */
	SSL_CTX_set_session_cache_mode(s, SSL_SESS_CACHE_OFF);
	x->dtls = dtls_ctx_new(x);
	return x;
}

bool conn_tls_ctx_has_dtls(const struct conn_tls_ctx *x)
{
	return x->dtls != NULL;
}

void conn_tls_ctx_free(struct conn_tls_ctx *x)
{
	if (!x)
		return;
	SSL_CTX_free(x->ssl);
	SSL_CTX_free(x->dtls);
	if (x->legacy)
		OSSL_PROVIDER_unload(x->legacy);
	if (x->deflt)
		OSSL_PROVIDER_unload(x->deflt);
	OSSL_LIB_CTX_free(x->lib);
	free(x);
}

/* --- Outcomes ----------------------------------------------------------------- */

static struct tls_conn *tls_of(struct conn *c)
{
	assert(c->type == &conn_tls || c->type == &conn_dtls);
	return (struct tls_conn *)c;
}

static const struct tls_conn *tls_of_const(const struct conn *c)
{
	assert(c->type == &conn_tls || c->type == &conn_dtls);
	return (const struct tls_conn *)c;
}

static void fail_errno(struct tls_conn *t, int err)
{
	conn_fd_fail(&t->f.c, err);
	snprintf(t->error, sizeof t->error, "%s", strerror(err));
}

/*
 * What an SSL call that returned ret means: its byte count (> 0),
 * CONN_AGAIN with *needs set to the descriptor event to wait for,
 * CONN_EOF, or CONN_ERROR with the failure recorded.  The error queue is
 * emptied, as the next call's SSL_get_error requires.
 */
static ssize_t ssl_outcome(struct tls_conn *t, int ret, unsigned *needs)
{
	int err = errno; /* of the SSL call, for SSL_ERROR_SYSCALL */
	int e = SSL_get_error(t->ssl, ret);
	unsigned long lib_err;
	const char *why;

	switch (e) {
	case SSL_ERROR_NONE:
		return ret;
	case SSL_ERROR_WANT_READ:
		*needs = EV_READ;
		return CONN_AGAIN;
	case SSL_ERROR_WANT_WRITE:
		*needs = EV_WRITE;
		return CONN_AGAIN;
	case SSL_ERROR_ZERO_RETURN: /* close_notify, or a bare EOF (IGNORE_UNEXPECTED_EOF) */
		return CONN_EOF;
	case SSL_ERROR_SYSCALL:
		lib_err = ERR_peek_last_error();
		ERR_clear_error();
		if (!lib_err && err == 0)
			return CONN_EOF;
		if (!lib_err) {
			fail_errno(t, err);
			return CONN_ERROR;
		}
		break;
	default:
		lib_err = ERR_peek_last_error();
		ERR_clear_error();
		break;
	}
	t->f.c.fail = CONN_FAIL_OTHER;
	t->f.c.error = EPROTO;
	why = lib_err ? ERR_reason_error_string(lib_err) : NULL;
	snprintf(t->error, sizeof t->error, "TLS: %s", why ? why : "protocol error");
	return CONN_ERROR;
}

/* --- Events ----------------------------------------------------------------- */

static void on_fd(struct ev_loop *l, int fd, unsigned events, void *arg);
static void on_kick(struct ev_loop *l, struct ev_timer *timer);
static void on_retransmit(struct ev_loop *l, struct ev_timer *timer);

/* DTLS: arms the timer of the handshake's next retransmission, if
 * OpenSSL has one running. */
static void arm_retransmit(struct tls_conn *t)
{
	struct timeval tv;

	if (t->f.datagram && DTLSv1_get_timeout(t->ssl, &tv))
		ev_timer_start(t->f.c.loop, &t->retransmit_timer,
			       (uint64_t)tv.tv_sec * 1000 + ((uint64_t)tv.tv_usec + 999) / 1000,
			       on_retransmit);
	else
		ev_timer_stop(t->f.c.loop, &t->retransmit_timer);
}

/* Registers the descriptor events the connection waits for now (the
 * TCP connect, the handshake's next step, or what serves the user's
 * wishes), and arms the kick when decrypted bytes wait for a reader. */
static int watch(struct tls_conn *t)
{
	unsigned fd_events = 0;

	if (t->socket_connecting) {
		fd_events = EV_WRITE;
	} else if (t->f.c.state == CONN_CONNECTING) {
		fd_events = t->handshake_needs;
		arm_retransmit(t);
	} else if (t->f.c.state == CONN_OPEN) {
		fd_events = ((t->want & EV_READ) ? t->read_needs : 0) |
			    ((t->want & EV_WRITE) ? t->write_needs : 0);
		if ((t->want & EV_READ) && SSL_pending(t->ssl) > 0) {
			t->kick = KICK_READ;
			ev_timer_start(t->f.c.loop, &t->kick_timer, 0, on_kick);
		}
	}
	return conn_fd_register(&t->f, fd_events, on_fd);
}

/* The handshake has ended, one way or the other: tell the user.  Nothing
 * may touch t after the handler, which may close it. */
static void connected(struct tls_conn *t, enum conn_state state)
{
	t->f.c.state = state;
	ev_timer_stop(t->f.c.loop, &t->retransmit_timer);
	if (t->f.fd >= 0)
		watch(t); /* unwatches: it cannot fail */
	t->f.c.handler(&t->f.c, CONN_EV_CONNECTED, 0, t->f.c.arg);
}

static void handshake(struct tls_conn *t)
{
	ssize_t r;

	ERR_clear_error();
	r = ssl_outcome(t, SSL_connect(t->ssl), &t->handshake_needs);
	if (r > 0) {
		connected(t, CONN_OPEN);
		return;
	}
	if (r == CONN_AGAIN) {
		if (watch(t) == 0)
			return;
		fail_errno(t, errno);
	} else {
		if (r == CONN_EOF)
			snprintf(t->error, sizeof t->error, "TLS: closed during the handshake");
		/* Refused, broken or cut: TCP worked, TLS did not. */
		t->f.c.fail = CONN_FAIL_HANDSHAKE;
	}
	connected(t, CONN_FAILED);
}

static void on_fd(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	struct tls_conn *t = arg;
	unsigned ready = 0;
	int err;

	(void)l;
	(void)fd;
	if (t->socket_connecting) {
		t->socket_connecting = false;
		err = net_connect_error(t->f.fd);
		if (err) {
			fail_errno(t, err);
			connected(t, CONN_FAILED);
			return;
		}
		handshake(t);
		return;
	}
	if (t->f.c.state == CONN_CONNECTING) {
		handshake(t);
		return;
	}
	if ((t->want & EV_READ) && (events & t->read_needs))
		ready |= EV_READ;
	if ((t->want & EV_WRITE) && (events & t->write_needs))
		ready |= EV_WRITE;
	if (ready)
		t->f.c.handler(&t->f.c, CONN_EV_IO, ready, t->f.c.arg);
}

static void on_kick(struct ev_loop *l, struct ev_timer *timer)
{
	struct tls_conn *t = ev_container(timer, struct tls_conn, kick_timer);
	enum kick k = t->kick;

	(void)l;
	t->kick = KICK_NONE;
	if (k == KICK_CONNECTED)
		t->f.c.handler(&t->f.c, CONN_EV_CONNECTED, 0, t->f.c.arg);
	else if (k == KICK_READ && (t->want & EV_READ))
		t->f.c.handler(&t->f.c, CONN_EV_IO, EV_READ, t->f.c.arg);
}

/* DTLS: the flight sent last is lost, or its answer is; OpenSSL sends it
 * again, each time waiting twice as long, and gives up after a dozen
 * tries (the probe's connect timeout comes first). */
static void on_retransmit(struct ev_loop *l, struct ev_timer *timer)
{
	struct tls_conn *t = ev_container(timer, struct tls_conn, retransmit_timer);

	(void)l;
	ERR_clear_error();
	if (DTLSv1_handle_timeout(t->ssl) < 0) {
		ERR_clear_error();
		snprintf(t->error, sizeof t->error, "DTLS: no answer to the handshake");
		t->f.c.fail = CONN_FAIL_HANDSHAKE;
		t->f.c.error = ETIMEDOUT;
		connected(t, CONN_FAILED);
		return;
	}
	arm_retransmit(t);
}

/* --- The conn_types ---------------------------------------------------------- */

/* OpenSSL's message callback: counts the handshake messages the server
 * sends once the connection is open. */
static void count_post_handshake(int write_p, int version, int content_type, const void *buf,
				 size_t len, SSL *ssl, void *arg)
{
	struct tls_conn *t = arg;

	(void)version;
	(void)buf;
	(void)len;
	(void)ssl;
	if (!write_p && content_type == SSL3_RT_HANDSHAKE && t->f.c.state == CONN_OPEN)
		t->post_handshake++;
}

/* RFC 6066: SNI carries host names only, never a literal address. */
static bool is_address(const char *name)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, name, buf) == 1 || inet_pton(AF_INET6, name, buf) == 1;
}

/* A connection of type (conn_tls or conn_dtls) from the context ssl. */
static struct conn *create(const struct conn_config *cfg, const struct conn_type *type,
			   SSL_CTX *ssl)
{
	struct tls_conn *t;

	assert(ssl);
	t = (struct tls_conn *)conn_fd_new(sizeof *t, type, cfg, type == &conn_dtls);
	if (!t)
		return NULL;
	t->read_needs = EV_READ;
	t->write_needs = EV_WRITE;
	t->ssl = SSL_new(ssl);
	if (t->ssl && cfg->server_name && !is_address(cfg->server_name) &&
	    !SSL_set_tlsext_host_name(t->ssl, cfg->server_name)) {
		SSL_free(t->ssl);
		t->ssl = NULL;
	}
	if (t->ssl && cfg->offer_alpn) {
		static const unsigned char protos[] = "\x02h2\x08http/1.1";

		/* SSL_set_alpn_protos returns 0 on success. */
		if (SSL_set_alpn_protos(t->ssl, protos, sizeof protos - 1) != 0) {
			SSL_free(t->ssl);
			t->ssl = NULL;
		}
	}
	if (!t->ssl) {
		ERR_clear_error();
		free(t);
		return NULL;
	}
	SSL_set_msg_callback(t->ssl, count_post_handshake);
	SSL_set_msg_callback_arg(t->ssl, t);
	if (cfg->resume && !SSL_set_session(t->ssl, (SSL_SESSION *)cfg->resume))
		ERR_clear_error(); /* a full handshake then */
	return &t->f.c;
}

static struct conn *tls_create(const struct conn_config *cfg)
{
	const struct conn_tls_ctx *x = cfg->transport;

	assert(x);
	return create(cfg, &conn_tls, x->ssl);
}

static struct conn *dtls_create(const struct conn_config *cfg)
{
	const struct conn_tls_ctx *x = cfg->transport;

	assert(x);
	return create(cfg, &conn_dtls, x->dtls);
}

/*
 * Gives OpenSSL the socket just connected: a stream as it is; a
 * datagram socket through a datagram BIO told that the socket is
 * connected (it then sends with send(), not sendto()).  Returns whether
 * it could (out of memory otherwise).
 */
static bool attach_socket(struct tls_conn *t)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof peer;
	BIO_ADDR *addr;
	BIO *bio;
	bool ok;

	if (!t->f.datagram)
		return SSL_set_fd(t->ssl, t->f.fd) == 1;
	if (getpeername(t->f.fd, (struct sockaddr *)&peer, &len) < 0 || !(addr = BIO_ADDR_new()))
		return false;
	if (peer.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&peer;

		ok = BIO_ADDR_rawmake(addr, AF_INET6, &a->sin6_addr, sizeof a->sin6_addr, a->sin6_port);
	} else {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&peer;

		ok = BIO_ADDR_rawmake(addr, AF_INET, &a->sin_addr, sizeof a->sin_addr, a->sin_port);
	}
	bio = ok ? BIO_new_dgram(t->f.fd, BIO_NOCLOSE) : NULL;
	if (bio) {
		BIO_ctrl_set_connected(bio, addr);
		SSL_set_bio(t->ssl, bio, bio); /* the SSL owns it from now on */
	}
	BIO_ADDR_free(addr);
	return bio != NULL;
}

static int tls_connect(struct conn *c, const struct sockaddr_storage *addr, socklen_t len,
		       uint16_t port)
{
	struct tls_conn *t = tls_of(c);

	assert(t->f.fd < 0 && c->state == CONN_CONNECTING);
	t->f.fd = net_connect(addr, len, port, t->f.datagram ? SOCK_DGRAM : SOCK_STREAM);
	if (t->f.fd >= 0) {
		int err = ENOMEM; /* attach_socket's only failure */

		/* A datagram socket is connected already: the handshake
		 * starts when the loop finds it writable. */
		t->socket_connecting = true;
		if (attach_socket(t)) {
			if (watch(t) == 0)
				return 0;
			err = errno;
		}
		ERR_clear_error();
		t->socket_connecting = false;
		errno = err;
		conn_fd_drop(&t->f);
		return -1;
	}
	if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
		return -1;
	/* Failed at once (unreachable, refused): heard from the loop. */
	fail_errno(t, errno);
	c->state = CONN_FAILED;
	t->kick = KICK_CONNECTED;
	ev_timer_start(c->loop, &t->kick_timer, 0, on_kick);
	return 0;
}

/* SSL_read's or SSL_write's result; needs is that direction's, which
 * waits for its own event again after a success. */
static ssize_t io_outcome(struct tls_conn *t, int ret, unsigned *needs, unsigned own)
{
	ssize_t r = ssl_outcome(t, ret, needs);

	if (r > 0)
		*needs = own;
	if ((r > 0 || r == CONN_AGAIN) && watch(t) < 0) {
		fail_errno(t, errno);
		return CONN_ERROR;
	}
	return r;
}

static ssize_t tls_read(struct conn *c, void *buf, size_t len)
{
	struct tls_conn *t = tls_of(c);

	assert(c->state == CONN_OPEN && len > 0);
	if (t->post_handshake > POST_HANDSHAKE_MAX) {
		c->fail = CONN_FAIL_OTHER;
		c->error = EPROTO;
		snprintf(t->error, sizeof t->error,
			 "TLS: more than %d handshake messages after the handshake",
			 POST_HANDSHAKE_MAX);
		return CONN_ERROR;
	}
	ERR_clear_error();
	return io_outcome(t, SSL_read(t->ssl, buf, len > INT_MAX ? INT_MAX : (int)len),
			  &t->read_needs, EV_READ);
}

static ssize_t tls_write(struct conn *c, const void *buf, size_t len)
{
	struct tls_conn *t = tls_of(c);
	ssize_t r;

	assert(c->state == CONN_OPEN && len > 0);
	ERR_clear_error();
	r = io_outcome(t, SSL_write(t->ssl, buf, len > INT_MAX ? INT_MAX : (int)len),
		       &t->write_needs, EV_WRITE);
	if (r == CONN_EOF) {
		/* Nothing can be written to a peer that has closed. */
		fail_errno(t, EPIPE);
		return CONN_ERROR;
	}
	return r;
}

static int tls_want(struct conn *c, unsigned events)
{
	struct tls_conn *t = tls_of(c);

	assert(c->state == CONN_OPEN);
	t->want = events;
	if (!(events & EV_READ) && t->kick == KICK_READ) {
		ev_timer_stop(c->loop, &t->kick_timer);
		t->kick = KICK_NONE;
	}
	return watch(t);
}

static void tls_close(struct conn *c)
{
	struct tls_conn *t = tls_of(c);

	ev_timer_stop(c->loop, &t->kick_timer);
	ev_timer_stop(c->loop, &t->retransmit_timer);
	if (t->f.fd >= 0)
		conn_fd_drop(&t->f);
	/* Marked as shut down, without sending close_notify, so that
	 * OpenSSL keeps the session resumable. */
	if (SSL_is_init_finished(t->ssl))
		SSL_set_shutdown(t->ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
	SSL_free(t->ssl);
	free(t);
}

static const char *tls_last_error(const struct conn *c)
{
	return tls_of_const(c)->error;
}

static struct svd_tls_facts *tls_facts(const struct conn *c)
{
	const struct tls_conn *t = tls_of_const(c);

	assert(c->state == CONN_OPEN);
	return svd_tls_facts_of(t->ssl);
}

/* --- Sessions: the opaque struct conn_session is the SSL_SESSION --------- */

static struct conn_session *tls_session(const struct conn *c)
{
	SSL_SESSION *s = SSL_get1_session(tls_of_const(c)->ssl);

	if (s && !SSL_SESSION_is_resumable(s)) {
		SSL_SESSION_free(s);
		s = NULL;
	}
	return (struct conn_session *)s;
}

static void tls_session_free(struct conn_session *s)
{
	SSL_SESSION_free((SSL_SESSION *)s);
}

const struct conn_type conn_tls = {
	.name = "ssl",
	.create = tls_create,
	.connect = tls_connect,
	.read = tls_read,
	.write = tls_write,
	.want = tls_want,
	.close = tls_close,
	.last_error = tls_last_error,
	.tls_facts = tls_facts,
	.session = tls_session,
	.session_free = tls_session_free,
};

/* DTLS keeps no session to offer: Nmap resumes none over DTLS. */
const struct conn_type conn_dtls = {
	.name = "dtls",
	.create = dtls_create,
	.connect = tls_connect,
	.read = tls_read,
	.write = tls_write,
	.want = tls_want,
	.close = tls_close,
	.last_error = tls_last_error,
	.tls_facts = tls_facts,
};

bool conn_tls_resumed(const struct conn *c)
{
	return SSL_session_reused(tls_of_const(c)->ssl);
}
