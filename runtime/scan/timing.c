#include "timing.h"

#include <assert.h>

#include "vscan.h"

/*
 * Nmap's -T0..-T2 allow one probe at a time (max_parallelism 1) with a
 * scan delay of 5 min, 15 s and 400 ms.  Here: -T0 and -T1 one socket in
 * all, so one port at a time, with those pauses between a port's probes;
 * -T2 a few sockets per host with Nmap's 400 ms pause; none of them sends
 * probes ahead, so a port sees Nmap's probes only.  -T3..-T5 probe ahead.
 */
static const struct svd_timing levels[6] = {
	{ 1, 1, 5000, 2, 0, 300000, 300000 },
	{ 1, 1, 5000, 2, 0, 15000, 15000 },
	{ 10, 4, 3000, 2, 0, 400, 1000 },
	{ 256, 64, 1500, 2, SVD_VSCAN_AHEAD_DEFAULT, 0, 1000 },
	{ 512, 128, 1000, 2, SVD_VSCAN_AHEAD_DEFAULT, 0, 500 },
	{ 1024, 256, 500, 1, SVD_VSCAN_AHEAD_DEFAULT, 0, 250 },
};

const struct svd_timing *svd_timing_level(int level)
{
	assert(level >= 0 && level < 6);
	return &levels[level];
}
