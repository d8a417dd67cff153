#include "timing.h"

#include <assert.h>

#include "vscan.h"

/*
 * Nmap's -T0..-T2 allow one probe at a time (max_parallelism 1) with a
 * scan delay of 5 min, 15 s and 400 ms.  Here: -T0 and -T1 one socket in
 * all, so one port at a time, with those pauses between a port's probes;
 * -T2 a few sockets per host with Nmap's 400 ms pause; none of them sends
 * probes ahead, so a port sees Nmap's probes only.  -T3..-T5 probe ahead.
 * The UDP scan's figures are Nmap's (nmap.cc, NmapOps.cc, scan_engine.cc):
 * RTT timeouts 100 ms to 10 s (T4: 1.25 s; T5: 50 to 300 ms; T0, T1 up to
 * their initial timeout), 10 retransmissions at most (T4: 6, T5: 2), the
 * scan delay, which a UDP scan raises up to 1 s (or the scan delay), and
 * the answered try number (3; T4, T5: 4) and share of dropped probes
 * (0.3; 0.4) past which it does.
 */
static const struct svd_timing levels[6] = {
	{ .parallelism = 1, .per_host = 1, .connect_timeout_ms = 5000, .connect_tries = 2,
	  .probes_ahead = 0, .probe_delay_ms = 300000, .discovery_timeout_ms = 300000,
	  .rtt_min_ms = 100, .rtt_max_ms = 300000, .max_retries = 10,
	  .scan_delay_ms = 300000, .udp_delay_max_ms = 300000, .boost_try = 3, .drop_share = 0.30 },
	{ .parallelism = 1, .per_host = 1, .connect_timeout_ms = 5000, .connect_tries = 2,
	  .probes_ahead = 0, .probe_delay_ms = 15000, .discovery_timeout_ms = 15000,
	  .rtt_min_ms = 100, .rtt_max_ms = 15000, .max_retries = 10,
	  .scan_delay_ms = 15000, .udp_delay_max_ms = 15000, .boost_try = 3, .drop_share = 0.30 },
	{ .parallelism = 10, .per_host = 4, .connect_timeout_ms = 3000, .connect_tries = 2,
	  .probes_ahead = 0, .probe_delay_ms = 400, .discovery_timeout_ms = 1000,
	  .rtt_min_ms = 100, .rtt_max_ms = 10000, .max_retries = 10,
	  .scan_delay_ms = 400, .udp_delay_max_ms = 1000, .boost_try = 3, .drop_share = 0.30 },
	{ .parallelism = 256, .per_host = 64, .connect_timeout_ms = 1500, .connect_tries = 2,
	  .probes_ahead = SVD_VSCAN_AHEAD_DEFAULT, .probe_delay_ms = 0, .discovery_timeout_ms = 1000,
	  .rtt_min_ms = 100, .rtt_max_ms = 10000, .max_retries = 10,
	  .scan_delay_ms = 0, .udp_delay_max_ms = 1000, .boost_try = 3, .drop_share = 0.30 },
	{ .parallelism = 512, .per_host = 128, .connect_timeout_ms = 1000, .connect_tries = 2,
	  .probes_ahead = SVD_VSCAN_AHEAD_DEFAULT, .probe_delay_ms = 0, .discovery_timeout_ms = 500,
	  .rtt_min_ms = 100, .rtt_max_ms = 1250, .max_retries = 6,
	  .scan_delay_ms = 0, .udp_delay_max_ms = 1000, .boost_try = 4, .drop_share = 0.40 },
	{ .parallelism = 1024, .per_host = 256, .connect_timeout_ms = 500, .connect_tries = 1,
	  .probes_ahead = SVD_VSCAN_AHEAD_DEFAULT, .probe_delay_ms = 0, .discovery_timeout_ms = 250,
	  .rtt_min_ms = 50, .rtt_max_ms = 300, .max_retries = 2,
	  .scan_delay_ms = 0, .udp_delay_max_ms = 1000, .boost_try = 4, .drop_share = 0.40 },
};

const struct svd_timing *svd_timing_level(int level)
{
	assert(level >= 0 && level < 6);
	return &levels[level];
}
