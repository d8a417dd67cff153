/*
 * A scripted peer behind struct conn_type (runtime/scan/conn.h), for unit
 * tests of the probe sequence that need no network.  Every connection the
 * code under test creates takes the next script of its fake_net, in
 * order of creation; the peer then does what the script says at the
 * times it says, on the loop's timers (run the loop on a test clock,
 * ev_set_test_clock).  Everything the client does is recorded.
 *
 * The fake keeps conn.h's contract the way conn_tcp does: CONN_EV_CONNECTED
 * comes from the loop, never from inside connect; CONN_EV_IO is
 * level-triggered (repeated while the client wants an event that is
 * ready); a read returns the bytes the peer sent, then CONN_EOF after an
 * EOF, CONN_ERROR (CONN_FAIL_RESET) after a reset; CONN_AGAIN otherwise.
 * A client that breaks the contract (reads before the connection is
 * open, connects twice, spins on an event) aborts the test.
 *
 * fake_udp_transport keeps conn_udp's instead: each FAKE_SEND is one
 * datagram, read whole (or cut to the read's buffer, which conn_dgram
 * says) and never run together with the next; an empty one reads as 0;
 * the ICMP steps read as CONN_ERROR with conn_dgram's ICMP fields, and
 * datagrams may follow them; every write is one datagram (an empty one
 * too), and the peer never ends its side.
 */
#ifndef SVD_FAKE_CONN_H
#define SVD_FAKE_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"

/* How a connect ends, connect_ms after it started. */
enum fake_connect {
	FAKE_CONNECT_OK,
	FAKE_CONNECT_REFUSED,  /* CONN_FAILED, CONN_FAIL_RESET */
	FAKE_CONNECT_UNREACH,  /* CONN_FAILED, CONN_FAIL_UNREACH */
	FAKE_CONNECT_HANDSHAKE, /* TLS: CONN_FAILED, CONN_FAIL_HANDSHAKE */
	FAKE_CONNECT_HANG,     /* never: the client's timeout must end it */
	FAKE_CONNECT_EMFILE    /* connect itself returns -1 (EMFILE) */
};

enum fake_act {
	FAKE_DONE,   /* the script's end: the peer stays silent and open */
	FAKE_SEND,   /* data reaches the client (datagrams: one datagram) */
	FAKE_EOF,    /* the peer ends its side */
	FAKE_RESET,  /* the peer resets the connection */
	/* Datagram peers only: an ICMP port unreachable from the peer's
	 * host (ECONNREFUSED), a host unreachable from a router (EHOSTUNREACH). */
	FAKE_PORT_UNREACH,
	FAKE_HOST_UNREACH
};

/*
 * One thing the peer does, ms milliseconds after the previous step (the
 * first: after the connection opened), or, with after_write, ms after the
 * client's first write since the previous step.
 */
struct fake_step {
	enum fake_act act;
	uint32_t ms;
	bool after_write;
	const char *data;      /* FAKE_SEND: a string, */
	size_t len;            /* ... or len bytes (binary) when len > 0 */
	unsigned repeat;       /* datagram peers: FAKE_SEND sends so many at once (0: one) */
};

enum { FAKE_MAX_STEPS = 6 };

struct fake_script {
	enum fake_connect connect;
	uint32_t connect_ms;
	bool stall_writes;     /* the peer reads nothing: writes return CONN_AGAIN */
	struct fake_step steps[FAKE_MAX_STEPS]; /* up to the first FAKE_DONE */
};

/* What the client wrote: each write call that took bytes. */
struct fake_write {
	int conn;              /* the connection's number, in order of creation */
	uint64_t at;           /* ev_now() */
	char data[64];         /* its first bytes, NUL-terminated, cut to fit */
	size_t len;            /* what the call took */
};

/* What became of each connection. */
struct fake_conn_log {
	uint64_t created, opened, closed; /* ev_now(); UINT64_MAX: never */
	bool tls;              /* made by fake_tls_transport */
	bool udp;              /* made by fake_udp_transport */
};

enum { FAKE_MAX_CONNS = 32, FAKE_MAX_WRITES = 64 };

/*
 * A network of scripted peers: pass it as conn_config.transport of
 * the fake transports' connections.  Connections beyond the scripts get
 * `spare` (zeroed: connect at once, silent).
 */
struct fake_net {
	const struct fake_script *scripts;
	size_t nscripts;
	struct fake_script spare;
	/* The record. */
	struct fake_conn_log conns[FAKE_MAX_CONNS];
	size_t nconns;
	struct fake_write writes[FAKE_MAX_WRITES];
	size_t nwrites;
	size_t nopen;          /* connections not closed by the client yet */
	unsigned long events;  /* handler calls, bounded against a spinning client */
};

/*
 * Plain TCP, and TLS: the same scripted peers, the bytes being those
 * inside the tunnel (a handshake is part of the connect); and UDP, the
 * peer's sends being datagrams.  All take their connections' scripts
 * from one fake_net, in one order.  The peer's datagrams and ICMP
 * errors carry a TTL of FAKE_TTL.
 */
extern const struct conn_type fake_transport, fake_tls_transport, fake_udp_transport;

enum { FAKE_TTL = 64 };

/* An empty record, with these scripts. */
void fake_net_init(struct fake_net *n, const struct fake_script *scripts, size_t nscripts);

#endif
