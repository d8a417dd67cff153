/*
 * A token bucket of time: lets costly work run as long as it has used at
 * most one share of the wall-clock time since the bucket started, plus a
 * burst.  The scanner paces each port's response matching with it
 * (runtime/scan/vscan.c), so that a server trickling its answer a byte at a
 * time cannot make matching after every read take a whole core.
 */
#ifndef SVD_PACER_H
#define SVD_PACER_H

#include <stdint.h>

struct pacer {
	int64_t credit_ns; /* time work may still use; < 0: overdrawn */
	int64_t burst_ns;  /* the most credit saved up */
	uint64_t at_ns;    /* when the credit was last brought up to date */
	uint32_t share;    /* credit grows by 1/share of the time that passes */
};

/* The monotonic clock the pacer is meant for, in nanoseconds. */
uint64_t pacer_clock_ns(void);

/* A full bucket at now_ns: burst_ns of work may run at once. */
void pacer_init(struct pacer *p, uint32_t share, int64_t burst_ns, uint64_t now_ns);

/* Milliseconds (rounded up) until work may run again; 0: now. */
uint64_t pacer_wait_ms(struct pacer *p, uint64_t now_ns);

/* Takes the time work used from the credit.  Work that must run anyway
 * is charged too: later work waits until the share has paid for it. */
void pacer_charge(struct pacer *p, uint64_t used_ns);

#endif
