#include "discovery.h"

#include <string.h>

/* Nmap's ports for a connect "ping" (DEFAULT_PING_CONNECT_PORT_SPEC). */
static const uint16_t probe_ports[SVD_DISC_NPROBES] = { 80, 443 };

void svd_disc_init(struct svd_disc *d)
{
	unsigned i;

	memset(d, 0, sizeof *d);
	for (i = 0; i < SVD_DISC_NPROBES; i++) {
		d->probe[i].portno = probe_ports[i];
		d->probe[i].proto = SVD_TCP;
	}
}

int svd_disc_start_next(struct svd_pscan_ctx *c, struct svd_disc *d,
			const struct svd_host *h, svd_pscan_done_fn *done, void *arg)
{
	int rc;

	if (d->decided || d->started == SVD_DISC_NPROBES)
		return 1;
	rc = svd_pscan_start(c, h, &d->probe[d->started], done, arg);
	if (rc == 0)
		d->started++;
	return rc;
}

bool svd_disc_record(struct svd_disc *d, const struct svd_port *p)
{
	d->ended++;
	if (d->decided)
		return false;
	/* A completed handshake or a refusal: something answers there. */
	if (p->state != SVD_PORT_FILTERED) {
		d->up = true;
		d->reason = p->reason;
	} else if (strcmp(p->reason, "no-response") != 0) {
		d->reason = p->reason;
	}
	if (d->up || d->ended == SVD_DISC_NPROBES) {
		d->decided = true;
		if (!d->reason)
			d->reason = "no-response";
	}
	return d->decided;
}

unsigned svd_disc_call_off(struct svd_pscan_ctx *c, struct svd_disc *d)
{
	unsigned i, n = 0;

	for (i = 0; i < d->started; i++)
		n += svd_pscan_cancel(c, &d->probe[i]);
	d->ended += n;
	return n;
}
