/*
 * -T0..-T5: how hard a scan presses on the hosts it scans, as engine
 * settings (docs/scanner.md, "Timing levels").  -T0..-T2 are gentler
 * than -T3 in what a host sees: no probe ahead of Nmap's order, fewer
 * sockets at once, and a pause between one probe and the next.
 */
#ifndef SVD_TIMING_H
#define SVD_TIMING_H

#include <stdint.h>

struct svd_timing {
	unsigned parallelism;      /* sockets open at once, in all */
	unsigned per_host;         /* ... and per host */
	uint32_t connect_timeout_ms; /* per try of the connect scan */
	int connect_tries;
	int probes_ahead;          /* per pass of a port (vscan.h max_ahead) */
	uint32_t probe_delay_ms;   /* between a port's probes (vscan.h) */
	uint32_t discovery_timeout_ms; /* per try of host discovery: Nmap's initial RTT timeout */
};

/* The settings of -T<level>, level 0 to 5. */
const struct svd_timing *svd_timing_level(int level);

#endif
