#include "pacer.h"

#include <time.h>

uint64_t pacer_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void pacer_init(struct pacer *p, uint32_t share, int64_t burst_ns, uint64_t now_ns)
{
	p->credit_ns = burst_ns;
	p->burst_ns = burst_ns;
	p->at_ns = now_ns;
	p->share = share ? share : 1;
}

uint64_t pacer_wait_ms(struct pacer *p, uint64_t now_ns)
{
	uint64_t refill;

	if (now_ns > p->at_ns) {
		refill = (now_ns - p->at_ns) / p->share;
		/* Above the burst the credit stays where it is: no overflow. */
		if (refill >= (uint64_t)(p->burst_ns - p->credit_ns))
			p->credit_ns = p->burst_ns;
		else
			p->credit_ns += (int64_t)refill;
		p->at_ns = now_ns;
	}
	if (p->credit_ns >= 0)
		return 0;
	/* The credit is back at 0 after share times the overdraft. */
	return ((uint64_t)-p->credit_ns * p->share + 999999) / 1000000;
}

void pacer_charge(struct pacer *p, uint64_t used_ns)
{
	p->credit_ns -= (int64_t)used_ns;
}
