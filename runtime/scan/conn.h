/*
 * A connection to one port, whatever carries it, in the manner of Redis's
 * connection.h: every transport (plain TCP, TLS over TCP, a scripted fake
 * for unit tests) is one struct conn_type, and vscan.c holds a struct
 * conn *, never a descriptor or an SSL *.  A transport talks to the event
 * loop itself and tells its user what happened through one handler.
 */
#ifndef SVD_CONN_H
#define SVD_CONN_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "ev.h"

struct conn;
struct svd_tls_facts;
/* A TLS session kept for resumption (Nmap offers a port's last session
 * on its next connection); opaque, its transport's. */
struct conn_session;

/* What a handler hears; events for CONN_EV_IO are EV_READ/EV_WRITE. */
enum conn_event {
	CONN_EV_CONNECTED,  /* connect (and TLS handshake) over: see c->state */
	CONN_EV_IO          /* ready for what conn_want asked */
};
typedef void conn_handler(struct conn *c, enum conn_event ev, unsigned events, void *arg);

enum conn_state {
	CONN_CONNECTING,    /* TCP connect or TLS handshake in progress */
	CONN_OPEN,
	CONN_FAILED         /* connect or handshake failed: c->fail says how */
};

/* How a connection failed, as far as Nmap's rules need to know. */
enum conn_fail {
	CONN_FAIL_NONE,
	CONN_FAIL_UNREACH,   /* network or host unreachable: Nmap gives up */
	CONN_FAIL_RESET,     /* reset, refused or aborted by the peer */
	CONN_FAIL_HANDSHAKE, /* TCP connected, TLS handshake refused or broken */
	CONN_FAIL_OTHER
};

/* How a socket's error (errno) ends a connection: Nmap gives up on a
 * port that became unreachable (service_scan.cc's read handler). */
static inline enum conn_fail conn_fail_of(int err)
{
	switch (err) {
	case ENETUNREACH: case EHOSTUNREACH: case ENETDOWN: case EHOSTDOWN:
		return CONN_FAIL_UNREACH;
	case ECONNRESET: case ECONNREFUSED: case ECONNABORTED:
		return CONN_FAIL_RESET;
	default:
		return CONN_FAIL_OTHER;
	}
}

/* How much of a datagram svdetect's readers take: Nmap's nsock reads
 * into 8 KB, so a longer datagram is cut there in Nmap too. */
enum { CONN_DGRAM_READ_MAX = 8192 };

/* Besides a byte count (> 0), read and write return: */
enum {
	CONN_EOF = 0,        /* read: the peer ended its side (datagrams: an empty one) */
	CONN_AGAIN = -1,     /* not now: wait for CONN_EV_IO */
	CONN_ERROR = -2      /* c->fail and conn_last_error say why */
};

/* What a new connection needs besides the loop; the transport's own
 * context (an SSL_CTX for TLS) is its type's. */
struct conn_config {
	struct ev_loop *loop;
	const char *server_name;  /* TLS SNI: the host name the user gave, or NULL */
	void *transport;          /* the type's shared context (conn_tls.h), or NULL */
	/* TLS only; ignored by plain transports: */
	struct conn_session *resume; /* offered (the connection takes its own reference) */
	bool offer_alpn;          /* offer ALPN h2, http/1.1 (probe connections do not) */
};

/*
 * What the last datagram or ICMP error read from a datagram transport
 * showed, for Nmap's port states and reasons (udpscan.c): an ICMP error
 * is read as CONN_ERROR (its errno in c->error: ECONNREFUSED for a port
 * unreachable), and these fields say which ICMP message it was.
 */
struct conn_dgram {
	uint8_t ttl;              /* the packet's IP TTL or hop limit; 0: unknown */
	bool truncated;           /* the datagram was longer than the read's buffer */
	bool icmp;                /* the last read was an ICMP error: */
	bool icmp6;               /* ICMPv6 numbering */
	uint8_t icmp_type, icmp_code;
	bool icmp_from_peer;      /* sent by the address connected to, not a router */
};

struct conn_type {
	const char *name;         /* "tcp", "ssl", "udp" */
	/* A connection not connected yet, or NULL (out of memory). */
	struct conn *(*create)(const struct conn_config *cfg);
	/*
	 * Starts connecting to addr with its port replaced by port.  The
	 * handler hears CONN_EV_CONNECTED once, from the loop, never from
	 * inside this call.  Returns 0, or -1 with errno set when no
	 * attempt could start (EMFILE: out of descriptors).
	 */
	int (*connect)(struct conn *c, const struct sockaddr_storage *addr, socklen_t len,
		       uint16_t port);
	/* A stream's next bytes; a datagram transport's next datagram, cut
	 * to len (conn_dgram says so), or its next ICMP error. */
	ssize_t (*read)(struct conn *c, void *buf, size_t len);
	ssize_t (*write)(struct conn *c, const void *buf, size_t len);
	/*
	 * The events (EV_READ, EV_WRITE, 0) its user waits for.  The
	 * transport decides which descriptor events serve them (TLS may need
	 * a write to complete a read).  Returns 0, or -1 with errno set.
	 */
	int (*want)(struct conn *c, unsigned events);
	/* Ends it at once (no TIME_WAIT, no close_notify) and frees it. */
	void (*close)(struct conn *c);
	/* The last failure as text for traces ("Connection reset by peer"). */
	const char *(*last_error)(const struct conn *c);
	/* What the TLS handshake showed, malloc'd, or NULL (plain, or out
	 * of memory); NULL for transports without TLS. */
	struct svd_tls_facts *(*tls_facts)(const struct conn *c);
	/* TLS transports (NULL elsewhere): after the handshake, the
	 * connection's session if it can be resumed, a reference of the
	 * caller's, or NULL; and the release of such a reference. */
	struct conn_session *(*session)(const struct conn *c);
	void (*session_free)(struct conn_session *s);
	/* Datagram transports (NULL elsewhere): what the last read showed. */
	const struct conn_dgram *(*dgram)(const struct conn *c);
};

/* The part every transport's connection starts with. */
struct conn {
	const struct conn_type *type;
	struct ev_loop *loop;
	conn_handler *handler;
	void *arg;
	enum conn_state state;
	enum conn_fail fail;
	int error;                /* errno of the failure, 0 if none */
};

/* Plain TCP, the transport every build has (conn_tcp.c); UDP on a
 * connected socket (conn_udp.c). */
extern const struct conn_type conn_tcp, conn_udp;

/* Who hears the connection's events from now on (the owner changes when
 * a probe goes on on the NULL probe's connection). */
static inline void conn_set_handler(struct conn *c, conn_handler *h, void *arg)
{
	c->handler = h;
	c->arg = arg;
}

static inline struct conn *conn_create(const struct conn_type *t, const struct conn_config *cfg)
{
	return t->create(cfg);
}

static inline int conn_connect(struct conn *c, const struct sockaddr_storage *addr,
			       socklen_t len, uint16_t port)
{
	return c->type->connect(c, addr, len, port);
}

static inline ssize_t conn_read(struct conn *c, void *buf, size_t len)
{
	return c->type->read(c, buf, len);
}

static inline ssize_t conn_write(struct conn *c, const void *buf, size_t len)
{
	return c->type->write(c, buf, len);
}

static inline int conn_want(struct conn *c, unsigned events)
{
	return c->type->want(c, events);
}

static inline void conn_close(struct conn *c)
{
	c->type->close(c);
}

static inline const char *conn_last_error(const struct conn *c)
{
	return c->type->last_error(c);
}

static inline struct svd_tls_facts *conn_tls_facts(const struct conn *c)
{
	return c->type->tls_facts ? c->type->tls_facts(c) : NULL;
}

static inline struct conn_session *conn_session(const struct conn *c)
{
	return c->type->session ? c->type->session(c) : NULL;
}

/* What the last read of a datagram transport showed, or NULL (a stream). */
static inline const struct conn_dgram *conn_dgram(const struct conn *c)
{
	return c->type->dgram ? c->type->dgram(c) : NULL;
}

#endif
