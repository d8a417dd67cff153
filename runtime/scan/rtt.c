#include "rtt.h"

/* Nmap's bounds (timing.cc): a first variance of 5 ms to 2 s; no sample
 * of 8 s or more believed, nor a jump of over 1.5 s far outside the
 * variance; a variance grown past 2.3 s brought back to 2 s. */
enum {
	RTTVAR_FIRST_MIN_US = 5000,
	RTTVAR_FIRST_MAX_US = 2000000,
	RTT_IMPLAUSIBLE_US = 8000000,
	RTT_JUMP_US = 1500000,
	RTTVAR_HIGH_US = 2300000,
	RTTVAR_BACK_US = 2000000,
};

long svd_rtt_since(const struct timespec *sent)
{
	struct timespec now;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (long long)(now.tv_sec - sent->tv_sec) * 1000000000 + (now.tv_nsec - sent->tv_nsec);
	return ns < 1000 ? 1 : (long)((ns + 999) / 1000);
}

void svd_rtt_sample(struct svd_host *h, long rtt_us)
{
	long delta;

	if (rtt_us <= 0 || rtt_us >= RTT_IMPLAUSIBLE_US)
		return;
	if (h->srtt_us == 0) {
		h->srtt_us = rtt_us;
		h->rttvar_us = rtt_us < RTTVAR_FIRST_MIN_US ? RTTVAR_FIRST_MIN_US
			: rtt_us > RTTVAR_FIRST_MAX_US ? RTTVAR_FIRST_MAX_US : rtt_us;
		return;
	}
	delta = rtt_us - h->srtt_us;
	if (delta > RTT_JUMP_US && delta > 3 * h->srtt_us + 2 * h->rttvar_us)
		return;
	/* Both stay >= 1 and >= 0: each moves toward a sample >= 1 (>= 0),
	 * by a part rounded toward zero. */
	h->srtt_us += delta / 8;
	h->rttvar_us += ((delta < 0 ? -delta : delta) - h->rttvar_us) / 4;
	if (h->rttvar_us > RTTVAR_HIGH_US)
		h->rttvar_us = RTTVAR_BACK_US;
}
