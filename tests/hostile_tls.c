/*
 * TLS server ends for tests/hostile_server (hostile_tls.h).  OpenSSL
 * reads the client's bytes from one memory BIO and writes its own into
 * another; they are then moved into an output queue, which is where the
 * hostile kinds cut, split or spoil them.  One key (EC P-256, made at
 * start) signs every certificate; nothing is read from disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "hostile_texts.h"
#include "hostile_tls.h"

enum {
	GARBAGE_AFTER_HELLO = 16384,
	CHAIN_CERTS = 64,           /* 64 certificates of 16 KB each: 1 MB */
	CHAIN_COMMENT = 16384,
	KEYUPDATE_BURST = 64,       /* KeyUpdates per move while the peer keeps up */
	KEYUPDATE_QUEUE = 4096,     /* ... when less than this is waiting for it */
	READ_BURST = 16,            /* SSL_read calls per input */
	NONOTIFY_BODY = 2048        /* announced; half of it is sent */
};

/* The contexts: any version (security level 0, as old servers), TLS 1.2
 * at most (renegotiation), TLS 1.3 only (KeyUpdate), the 1 MB chain. */
static SSL_CTX *ctx_any, *ctx_12, *ctx_13, *ctx_bigchain;
static EVP_PKEY *key;
static unsigned long long handshakes; /* first handshakes completed */
static unsigned long long renego_requests, key_updates; /* the floods, sent */

struct tls_peer {
	enum tls_kind kind;
	SSL *ssl;
	BIO *rbio, *wbio;           /* owned by ssl */
	unsigned char *out;         /* output queue: out[off..len) not sent yet */
	size_t off, len, cap;
	char request[64];           /* the start of the client's first data */
	size_t request_len;
	uint64_t delay_ms, banner_at;
	uint64_t rng;
	bool handshaken;
	bool cut;                   /* garbage, stall: the flight was cut, TLS is over */
	bool answered;
	bool finished;
};

static bool queue(struct tls_peer *p, const void *bytes, size_t n)
{
	if (p->off == p->len)
		p->off = p->len = 0;
	if (p->len + n > p->cap) {
		size_t cap = p->cap ? p->cap : 4096;
		unsigned char *o;

		while (cap < p->len + n)
			cap *= 2;
		o = realloc(p->out, cap);
		if (!o)
			return false;
		p->out = o;
		p->cap = cap;
	}
	memcpy(p->out + p->len, bytes, n);
	p->len += n;
	return true;
}

/* Garbage and stall cut the server's first flight: the ServerHello record
 * and random bytes after it, or the first half of the flight. */
static void cut_flight(struct tls_peer *p, const unsigned char *flight, size_t n)
{
	if (p->kind == TLS_GARBAGE) {
		unsigned char junk[GARBAGE_AFTER_HELLO];
		size_t record = n >= 5 ? 5 + ((size_t)flight[3] << 8 | flight[4]) : n;
		size_t i;

		queue(p, flight, record < n ? record : n);
		for (i = 0; i < sizeof junk; i++) {
			p->rng ^= p->rng << 13;
			p->rng ^= p->rng >> 7;
			p->rng ^= p->rng << 17;
			junk[i] = (unsigned char)p->rng;
		}
		queue(p, junk, sizeof junk);
	} else {
		queue(p, flight, n / 2);
	}
	p->cut = true;
}

/* What OpenSSL wrote goes to the output queue (or is cut). */
static void take_output(struct tls_peer *p)
{
	char *data;
	long n = BIO_get_mem_data(p->wbio, &data);

	if (n <= 0)
		return;
	if (p->kind == TLS_GARBAGE || p->kind == TLS_STALL)
		cut_flight(p, (const unsigned char *)data, (size_t)n);
	else if (!queue(p, data, (size_t)n))
		p->finished = true;
	(void)BIO_reset(p->wbio);
}

static void tls_write(struct tls_peer *p, const char *text, size_t len)
{
	if (SSL_write(p->ssl, text, (int)len) <= 0)
		p->finished = true;
}

/* The client asked GET /: nginx's answer, or half of a longer one. */
static void answer(struct tls_peer *p)
{
	p->answered = true;
	if (p->kind == TLS_NONOTIFY) {
		char head[160], body[NONOTIFY_BODY / 2];
		int n = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
				 "Content-Type: text/html\r\nContent-Length: %d\r\n\r\n", NONOTIFY_BODY);

		memset(body, 'x', sizeof body);
		tls_write(p, head, (size_t)n);
		tls_write(p, body, sizeof body);
		p->finished = true; /* no SSL_shutdown: no close_notify */
		return;
	}
	tls_write(p, NGINX_REPLY, sizeof NGINX_REPLY - 1);
	SSL_shutdown(p->ssl); /* queues close_notify */
	p->finished = true;
}

static bool answers_http(enum tls_kind k)
{
	return k != TLS_LATEBANNER && k != TLS_GARBAGE && k != TLS_STALL;
}

/* Application data: kept up to the size of a request line. */
static void read_requests(struct tls_peer *p)
{
	char buf[4096];
	int i;

	for (i = 0; i < READ_BURST && !p->finished; i++) {
		int n = SSL_read(p->ssl, buf, sizeof buf);

		if (n <= 0) {
			int err = SSL_get_error(p->ssl, n);

			if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
				p->finished = true; /* close_notify, alert or broken record */
			return;
		}
		if (p->request_len < sizeof p->request) {
			size_t k = sizeof p->request - p->request_len;

			if (k > (size_t)n)
				k = (size_t)n;
			memcpy(p->request + p->request_len, buf, k);
			p->request_len += k;
		}
		if (!p->answered && answers_http(p->kind) && p->request_len >= sizeof GET_REQUEST - 1 &&
		    memcmp(p->request, GET_REQUEST, sizeof GET_REQUEST - 1) == 0)
			answer(p);
	}
}

/* The endless kinds' next move, once the handshake is over: on every tick
 * and every answer of the peer, as fast as it keeps up (the server's
 * output queue bounds what waits for it). */
static void provoke(struct tls_peer *p)
{
	int i;

	if (!p->handshaken || p->finished)
		return;
	if (p->kind == TLS_RENEGO && !SSL_in_init(p->ssl)) {
		/* A HelloRequest; again next tick if the client ignored it or
		 * once the renegotiation it asked for is over. */
		int r = SSL_renegotiate(p->ssl) == 1 ? SSL_do_handshake(p->ssl) : -1;

		renego_requests++;
		if (r <= 0) {
			int err = SSL_get_error(p->ssl, r);

			if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
				p->finished = true;
		}
	} else if (p->kind == TLS_KEYUPDATE && p->len - p->off < KEYUPDATE_QUEUE) {
		for (i = 0; i < KEYUPDATE_BURST && SSL_key_update(p->ssl, SSL_KEY_UPDATE_REQUESTED) == 1 &&
			    SSL_do_handshake(p->ssl) == 1; i++)
			key_updates++;
	}
	ERR_clear_error();
}

static void step(struct tls_peer *p, uint64_t now)
{
	if (!p->handshaken) {
		int r = SSL_do_handshake(p->ssl);

		if (r == 1) {
			handshakes++;
			p->handshaken = true;
			p->banner_at = now + p->delay_ms;
		} else {
			int err = SSL_get_error(p->ssl, r);

			if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
				p->finished = true; /* not TLS, or refused: its alert goes out */
		}
	}
	if (p->handshaken) {
		read_requests(p);
		provoke(p);
	}
	take_output(p);
	ERR_clear_error();
}

void tls_peer_input(struct tls_peer *p, const void *buf, size_t len, uint64_t now)
{
	if (p->cut || p->finished)
		return; /* the flight was cut: what the client says no longer matters */
	if (BIO_write(p->rbio, buf, (int)len) != (int)len) {
		p->finished = true;
		return;
	}
	step(p, now);
}

void tls_peer_tick(struct tls_peer *p, uint64_t now)
{
	if (p->cut || p->finished || !p->handshaken)
		return;
	if (p->kind == TLS_LATEBANNER && p->banner_at && now >= p->banner_at) {
		p->banner_at = 0;
		tls_write(p, BANNER, sizeof BANNER - 1);
	}
	provoke(p);
	take_output(p);
}

uint64_t tls_peer_next_at(const struct tls_peer *p)
{
	if (p->cut || p->finished || !p->handshaken)
		return 0;
	if (p->kind == TLS_LATEBANNER)
		return p->banner_at;
	/* The floods: every tick. */
	return p->kind == TLS_KEYUPDATE || p->kind == TLS_RENEGO ? 1 : 0;
}

size_t tls_peer_output(const struct tls_peer *p, const unsigned char **bytes)
{
	*bytes = p->out + p->off;
	return p->len - p->off;
}

size_t tls_peer_segment_max(const struct tls_peer *p)
{
	return p->kind == TLS_SPLIT ? 1 : (size_t)-1;
}

void tls_peer_consumed(struct tls_peer *p, size_t n)
{
	p->off += n;
}

bool tls_peer_finished(const struct tls_peer *p)
{
	return p->finished;
}

struct tls_peer *tls_peer_new(enum tls_kind kind, uint64_t delay_ms)
{
	struct tls_peer *p = calloc(1, sizeof *p);
	SSL_CTX *ctx = kind == TLS_RENEGO ? ctx_12 : kind == TLS_KEYUPDATE ? ctx_13
		     : kind == TLS_BIGCERT ? ctx_bigchain : ctx_any;

	if (!p)
		return NULL;
	p->kind = kind;
	p->delay_ms = delay_ms;
	p->rng = 0x9e3779b97f4a7c15u + kind;
	p->ssl = SSL_new(ctx);
	p->rbio = BIO_new(BIO_s_mem());
	p->wbio = BIO_new(BIO_s_mem());
	if (!p->ssl || !p->rbio || !p->wbio) {
		BIO_free(p->rbio);
		BIO_free(p->wbio);
		SSL_free(p->ssl);
		free(p);
		return NULL;
	}
	SSL_set_bio(p->ssl, p->rbio, p->wbio);
	SSL_set_accept_state(p->ssl);
	return p;
}

void tls_peer_free(struct tls_peer *p)
{
	if (!p)
		return;
	SSL_free(p->ssl);
	free(p->out);
	free(p);
}

/* A certificate for key, signed by itself, with an nsComment of
 * comment_len bytes (0: none) to make it as large as wanted. */
static X509 *make_cert(const char *cn, long serial, size_t comment_len)
{
	X509 *x = X509_new();
	X509_NAME *name;
	bool ok;

	if (!x)
		return NULL;
	name = X509_get_subject_name(x);
	ok = X509_set_version(x, X509_VERSION_3) &&
	     ASN1_INTEGER_set(X509_get_serialNumber(x), serial) &&
	     X509_gmtime_adj(X509_getm_notBefore(x), 0) &&
	     X509_gmtime_adj(X509_getm_notAfter(x), 365L * 86400) &&
	     X509_set_pubkey(x, key) &&
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0) &&
	     X509_set_issuer_name(x, name);
	if (ok && comment_len) {
		char *text = malloc(comment_len + 1);
		X509_EXTENSION *ext = NULL;

		if (text) {
			memset(text, 'c', comment_len);
			text[comment_len] = '\0';
			ext = X509V3_EXT_nconf_nid(NULL, NULL, NID_netscape_comment, text);
		}
		ok = ext && X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
		free(text);
	}
	if (!ok || !X509_sign(x, key, EVP_sha256())) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* A server context with the leaf; versions from min to max (0: any). */
static SSL_CTX *make_ctx(X509 *leaf, int min, int max)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx)
		return NULL;
	SSL_CTX_set_security_level(ctx, 0);
	if (!SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0") ||
	    !SSL_CTX_set_min_proto_version(ctx, min) || !SSL_CTX_set_max_proto_version(ctx, max) ||
	    !SSL_CTX_use_certificate(ctx, leaf) || !SSL_CTX_use_PrivateKey(ctx, key)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	return ctx;
}

bool tls_setup(void)
{
	X509 *leaf;
	bool ok;
	int i;

	key = EVP_EC_gen("P-256");
	leaf = key ? make_cert("hostile.test", 1, 0) : NULL;
	ok = leaf && (ctx_any = make_ctx(leaf, 0, 0)) && (ctx_12 = make_ctx(leaf, 0, TLS1_2_VERSION)) &&
	     (ctx_13 = make_ctx(leaf, TLS1_3_VERSION, 0)) && (ctx_bigchain = make_ctx(leaf, 0, 0));
	for (i = 0; ok && i < CHAIN_CERTS; i++) {
		char cn[32];
		X509 *x;

		snprintf(cn, sizeof cn, "hostile chain %d", i);
		x = make_cert(cn, 2 + i, CHAIN_COMMENT);
		ok = x && SSL_CTX_add0_chain_cert(ctx_bigchain, x);
		if (!ok)
			X509_free(x);
	}
	X509_free(leaf);
	if (!ok) {
		fprintf(stderr, "hostile_server: TLS setup failed\n");
		ERR_print_errors_fp(stderr);
	}
	return ok;
}

unsigned long long tls_handshakes(void)
{
	return handshakes;
}

unsigned long long tls_flood_sent(unsigned long long *renegotiation_requests)
{
	*renegotiation_requests = renego_requests;
	return key_updates;
}

void tls_teardown(void)
{
	SSL_CTX_free(ctx_any);
	SSL_CTX_free(ctx_12);
	SSL_CTX_free(ctx_13);
	SSL_CTX_free(ctx_bigchain);
	EVP_PKEY_free(key);
}
