/*
 * A host's round-trip time, smoothed over the connect scan's answers as
 * Nmap smooths its probes' (timing.cc, RFC 6298's estimator): the first
 * sample sets srtt and a variance of at least 5 ms, each later one moves
 * srtt by 1/8 and the variance by 1/4 of the difference.
 */
#ifndef SVD_RTT_H
#define SVD_RTT_H

#include <time.h>

#include "scan.h"

/* Microseconds from sent (CLOCK_MONOTONIC) to now, at least 1: one
 * answer's RTT, as the port scans (TCP, UDP) measure it. */
long svd_rtt_since(const struct timespec *sent);

/* Takes one answer's RTT (microseconds, >= 1) into h->srtt_us and
 * h->rttvar_us; implausible samples (8 s or more) are ignored, as Nmap. */
void svd_rtt_sample(struct svd_host *h, long rtt_us);

#endif
