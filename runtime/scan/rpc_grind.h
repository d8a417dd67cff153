/*
 * The SunRPC grinder: which RPC program answers on a port, and which of
 * its versions, as Nmap 7.93's rpc-grind script finds them after version
 * detection (docs/scanner.md, "SunRPC grinder").  RPC NULL calls
 * (procedure 0) go to each program of nmap-rpc (rpc_programs.h) in file
 * order, all asking for a version no server has; the first program
 * whose reply says PROG_MISMATCH names the port, and that reply's lowest
 * and highest versions are its range.  The port is then reported as Nmap
 * reports it: the program's name, version "2-4" (or "1" when both are
 * one), extrainfo "RPC #100000", probed, conf 10, no fingerprint.
 *
 * Which ports: those version detection named `rpcbind` (Nmap's RPCCheck
 * probe names every RPC service so), and those it could not name at all
 * (named by the services table, or nothing), which must first answer an
 * RPC call to rpcbind version 2 with a reply (Nmap's isRPC check); only
 * at version intensity 7 or more, never through an SSL tunnel.
 *
 * Over TCP the calls and replies are records (rpc_record.h); over UDP
 * (a datagram transport, conn_dgram) each is one datagram, and a call
 * whose reply does not come in its time is given up, the grind going on
 * with one call fewer awaited at once, as Nmap's threads give up.
 *
 * Bounded whatever the peer does: one connection, at most one call per
 * program (and the check), SVD_RPC_WINDOW calls awaiting replies at
 * once, a reply of at most SVD_RPC_RECORD_MAX bytes and
 * SVD_RPC_FRAGMENTS_MAX fragments (rpc_record.h), each awaited at most
 * Nmap's socket timeout for the host, the whole at most
 * SVD_RPC_GRIND_MS and never past the host's deadline.  On a stream, a
 * reply that is not one of the calls awaited (wrong xid) or not a
 * well-formed RPC reply ends the connection; over datagrams such a
 * datagram is passed over, a few at most (rpc_grind.c).  Any failure
 * ends it, and the port keeps what it has found by then.
 */
#ifndef SVD_RPC_GRIND_H
#define SVD_RPC_GRIND_H

#include <stdint.h>
#include <stdio.h>

#include "conn.h"
#include "ev.h"
#include "rpc_programs.h"
#include "scan.h"

enum {
	SVD_RPC_WINDOW = 4,         /* as Nmap's four rpc-grind threads */
	SVD_RPC_GRIND_MS = 30000
};

struct svd_rpc_grind_cfg {
	struct ev_loop *loop;
	const struct conn_type *transport; /* conn_tcp, conn_udp, or a test's fake */
	void *transport_ctx;               /* its conn_config.transport */
	const struct svd_rpc_programs *programs;
	int intensity;                     /* the port's version intensity */
	FILE *trace;                       /* --version-trace, or NULL */
	/* Draws the first xid, then the version asked for; NULL: random
	 * (tests make them known). */
	uint32_t (*random)(void);
};

struct svd_rpc_grind;

/* Called once when grinding the port is over; p->svc is then final. */
typedef void svd_rpc_grind_done_fn(void *arg);

/*
 * Starts grinding port p of h (p->svc as version detection left it), or
 * returns NULL when the port is not one to grind (above), there are no
 * programs, or no connection could start (out of memory or descriptors):
 * then p is untouched and done is never called.  Otherwise done is called
 * once, from the loop, never from within this call.  deadline: the
 * ev_now() time of the host's --host-timeout (0: none).
 */
struct svd_rpc_grind *svd_rpc_grind_start(const struct svd_rpc_grind_cfg *cfg,
					  const struct svd_host *h, struct svd_port *p,
					  uint64_t deadline, svd_rpc_grind_done_fn *done,
					  void *arg);

/* Ends it at once, the port keeping what version detection found, and
 * frees it; done is not called.  For a scan stopped early. */
void svd_rpc_grind_stop(struct svd_rpc_grind *g);

#endif
