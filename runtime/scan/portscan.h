/*
 * The connect scan of one port: open (the handshake completed), closed
 * (refused) or filtered (no answer after every try), with Nmap's reasons.
 */
#ifndef SVD_PORTSCAN_H
#define SVD_PORTSCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "ev.h"
#include "list.h"
#include "scan.h"

struct svd_pscan_ctx {
	struct ev_loop *loop;
	uint32_t timeout_ms;   /* per try */
	int tries;             /* >= 1 */
	struct svd_list live;  /* the scans in progress (portscan.c's) */
};

/*
 * rtt_us: how long the host took to answer, in microseconds (>= 1), or 0
 * when it did not.  Open: the kernel's RTT of the handshake, exact.
 * Closed: from connect() to the reset by the scanner's clock, which adds
 * the scanner's own delays (on loopback, mostly them).
 */
typedef void svd_pscan_done_fn(void *arg, struct svd_port *p, long rtt_us);

/*
 * Starts scanning port p of h; sets p->state and p->reason, then calls
 * done (never before this returns).  Returns 0, or -1 with errno set
 * (EMFILE/ENFILE: out of descriptors, try later; done is not called).
 */
int svd_pscan_start(struct svd_pscan_ctx *c, const struct svd_host *h,
		    struct svd_port *p, svd_pscan_done_fn *done, void *arg);

/* Ends the scan of p in progress, if any, without calling done: p keeps
 * its state and reason as they were.  Returns whether one was ended. */
bool svd_pscan_cancel(struct svd_pscan_ctx *c, const struct svd_port *p);

/*
 * Ends every scan in progress without calling done: those ports are not
 * decided, and keep p->reason NULL.  For a scan stopped early.
 */
void svd_pscan_stop_all(struct svd_pscan_ctx *c);

#endif
