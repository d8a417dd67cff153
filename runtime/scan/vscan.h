/*
 * Version detection of one open port, as Nmap's service scan does it
 * (docs/scanner.md): for TCP the NULL probe, then the probes whose ports
 * list the port, then the others of rarity <= intensity in file order
 * (after a softmatch only those that can name that service); after every
 * read the whole response is matched along the probe's fallback chain;
 * the NULL probe's connection is reused for the next probe.  A hard match
 * of `ssl` starts over through TLS, and so does a port nothing matched
 * that completes a modern TLS handshake (docs/scanner.md, "SSL tunnels");
 * a UDP port's hard match of `dtls` through DTLS, as Nmap 7.94+ does.
 * UDP ports (open or open|filtered) get the UDP probes in the same order,
 * with no NULL probe, each datagram on a socket of its own (docs/scanner.md,
 * "UDP").  One socket at a time per port, besides those lent for probing
 * ahead.
 */
#ifndef SVD_VSCAN_H
#define SVD_VSCAN_H

#include <stdbool.h>
#include <stdio.h>

#include "conn.h"
#include "ev.h"
#include "list.h"
#include "match.h"
#include "payloads.h"
#include "scan.h"

struct svd_rpc_programs;

/* Probes ahead per pass: at most (a port's queue holds one more), and
 * by default (-T3..-T5). */
enum { SVD_VSCAN_AHEAD_MAX = 31, SVD_VSCAN_AHEAD_DEFAULT = 7 };

/* What every job of a scan shares. */
struct svd_vscan_ctx {
	struct ev_loop *loop;
	const struct conn_type *transport; /* how probes reach a TCP port (conn.h) */
	const struct conn_type *udp_transport; /* ... and a UDP port */
	void *transport_ctx;     /* their conn_config.transport, or NULL */
	/* The UDP scan's payloads: of the 7.94+ model (from_probes), the
	 * port scan's reply is matched first, as probe "port scan". */
	const struct svd_payloads *payloads;
	/* SSL tunnels: the TLS transport (conn_tls) and its context for the
	 * run, passed as conn_config.transport; or tls NULL, and a port
	 * that matches `ssl` is reported so, as by an Nmap without OpenSSL. */
	const struct conn_type *tls;
	void *tls_ctx;
	/* DTLS tunnels (Nmap 7.94+): conn_dtls, with tls_ctx, through which
	 * a UDP port that matches `dtls` is probed again; or NULL, and such
	 * a port is reported so, as Nmap 7.93 does. */
	const struct conn_type *dtls;
	/* The SunRPC grinder's programs (nmap-rpc), tried on ports found to
	 * be RPC once detection is over (rpc_grind.h); NULL: none. */
	const struct svd_rpc_programs *rpc;
	const struct svd_sigdb *db;
	struct svd_matcher mt;
	int intensity;           /* 0-9 */
	FILE *trace;             /* --version-trace log (stderr), or NULL */
	int debugging;           /* -d: longer fingerprints, as Nmap's */
	const char *platform;    /* fingerprint %P= */
	/*
	 * Sockets beyond one per port, for probes sent ahead of their turn
	 * and the TLS pass beside (docs/scanner.md, "Probing ahead"):
	 * acquire returns false when none is to spare; arg is the job's,
	 * held how many the port holds already.  acquire == NULL or
	 * max_ahead == 0: never ahead, Nmap's traffic.
	 */
	bool (*acquire)(void *arg, unsigned held);
	void (*release)(void *arg);
	/* Probes ahead of their turn holding a socket or bytes, at most,
	 * in each pass of a port: 0 to SVD_VSCAN_AHEAD_MAX. */
	int max_ahead;
	/* A pause between the end of a port's probe and the next connection
	 * of a probe in its turn (-T0..-T2); 0: none. */
	uint32_t probe_delay_ms;
	struct svd_list live;    /* the ports being probed (vscan.c's) */
};

/* Called once per port when probing it has ended; p->svc is then final. */
typedef void svd_vscan_done_fn(void *arg, struct svd_port *p);

/*
 * Starts probing port p of host h (found open, or a UDP port found
 * open|filtered).  reply: the UDP port's reply to the port scan (its
 * first datagram), or NULL; matched at once, not kept.  done is called exactly
 * once, possibly before this returns.  deadline: the ev_now() time when
 * the host's --host-timeout expires (0: none); probing stops there and
 * keeps what it found.  A UDP port that answers becomes open; one
 * open|filtered that the host says is unreachable becomes closed (more
 * than Nmap says, docs/scanner.md).  Returns false when out of memory
 * (done is then not called).
 */
bool svd_vscan_start(struct svd_vscan_ctx *c, const struct svd_host *h,
		     struct svd_port *p, uint64_t deadline,
		     const unsigned char *reply, size_t reply_len,
		     svd_vscan_done_fn *done, void *arg);

/*
 * Ends the probing of every port in progress, each keeping what it found
 * so far as at its host's deadline (done is called for each).  For a
 * scan stopped early.
 */
void svd_vscan_stop_all(struct svd_vscan_ctx *c);

#endif
