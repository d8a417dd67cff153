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
	/* Nmap's initial RTT timeout: a try of host discovery, and a try
	 * of the UDP scan before the host's round trips are known. */
	uint32_t discovery_timeout_ms;
	/* The UDP scan (udpscan.h), as Nmap's ultra_scan: the bounds of a
	 * try's timeout learnt from round trips, the most retransmissions,
	 * the scan delay (the least pause between two sends to a host) and
	 * the most the pause grows to, and what makes it grow. */
	uint32_t rtt_min_ms, rtt_max_ms;
	unsigned max_retries;
	uint32_t scan_delay_ms, udp_delay_max_ms;
	unsigned boost_try;
	double drop_share;
};

/* The settings of -T<level>, level 0 to 5. */
const struct svd_timing *svd_timing_level(int level);

#endif
