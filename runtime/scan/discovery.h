/*
 * Host discovery as Nmap does it without privileges: a TCP connect to
 * ports 80 and 443 of the host.  Either connecting or being refused (a
 * RST) shows the host up, and then the other probe is called off; the
 * host is down once every probe has failed (no answer after its tries,
 * or unreachable).  The reason is Nmap's: that of the answer that showed
 * it up; for a down host the last "unreachable" heard, else no-response.
 */
#ifndef SVD_DISCOVERY_H
#define SVD_DISCOVERY_H

#include <stdbool.h>

#include "portscan.h"
#include "scan.h"

/* Nmap's tries of a discovery probe while no answer has come: the first
 * connect and one more after its timeout. */
enum { SVD_DISC_NPROBES = 2, SVD_DISC_TRIES = 2 };

/* One host's discovery, from its first probe until it is decided. */
struct svd_disc {
	struct svd_port probe[SVD_DISC_NPROBES]; /* what each connect found */
	unsigned started, ended;
	bool decided, up;
	const char *reason;
};

void svd_disc_init(struct svd_disc *d);

/*
 * Starts the next probe of d to h with c's timeout and tries; done is
 * called for it as svd_pscan_start says, and must hand it to
 * svd_disc_record.  Returns 1 when every probe is already started (none
 * started now), else svd_pscan_start's 0 or -1.
 */
int svd_disc_start_next(struct svd_pscan_ctx *c, struct svd_disc *d,
			const struct svd_host *h, svd_pscan_done_fn *done, void *arg);

/* Counts probe p's outcome; returns whether d became decided by it. */
bool svd_disc_record(struct svd_disc *d, const struct svd_port *p);

/* Ends d's probes still in flight without their done; returns how many
 * (each had a socket). */
unsigned svd_disc_call_off(struct svd_pscan_ctx *c, struct svd_disc *d);

#endif
