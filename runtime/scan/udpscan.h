/*
 * The UDP scan of one port, as Nmap's -sU decides it (docs/scanner.md,
 * "UDP"), over a connected UDP socket (conn_udp.c) instead of raw
 * packets: the port's payloads are sent (payloads.h), again after each
 * timeout while the host's tries allow; any datagram back makes it open
 * (udp-response), an ICMP port unreachable from the host closed
 * (port-unreach), other ICMP unreachables filtered, silence open|filtered
 * (no-response).
 *
 * Like Nmap's ultra_scan, a host's ports share what is learnt of it
 * (struct svd_uscan_host): a port gets two tries until an answer to a
 * retransmission shows that the host or the path drops packets (Linux
 * limits its ICMP errors to one a second); then every port of the host
 * gets one try more than the highest that was answered, up to the
 * level's cap, and the pause between two sends to the host grows.  So a
 * port whose tries ran out waits, without a socket, on the host's
 * "bench" until its tries may grow no more: it is open|filtered only then.
 */
#ifndef SVD_UDPSCAN_H
#define SVD_UDPSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "conn.h"
#include "ev.h"
#include "list.h"
#include "payloads.h"
#include "scan.h"

struct svd_uscan_ctx {
	struct ev_loop *loop;
	const struct conn_type *transport; /* conn_udp; a fake in unit tests */
	void *transport_ctx;
	const struct svd_payloads *payloads;
	/* Nmap's timing for the -T level (timing.h): the timeout of a try
	 * before the host's round trips are known, its bounds after, the
	 * most retransmissions, the least pause between sends to a host
	 * (its scan delay) and the most it grows to. */
	uint32_t initial_timeout_ms, min_timeout_ms, max_timeout_ms;
	unsigned max_retries;
	uint32_t scan_delay_ms, max_delay_ms;
	/* The pause grows past this answered try number (3; 4 at -T4, -T5),
	 * and when more than drop_share of the answers since it last grew
	 * answered retransmissions (0.3; 0.4). */
	unsigned boost_try;
	double drop_share;
	FILE *log;               /* -v: Nmap's lines on its pauses growing, or NULL */
	struct svd_list live;    /* the ports in progress (udpscan.c's) */
};

/* A port whose tries ran out while the host's could still grow. */
struct svd_uscan_benched {
	struct svd_port *p;
	unsigned tries;          /* sent so far */
};

/* What the UDP scan learns of one host, shared by its ports. */
struct svd_uscan_host {
	const struct svd_host *h; /* its round trips give the timeout */
	size_t nports;           /* UDP ports it scans: RLD only with two or more */
	unsigned max_ok_try;     /* the highest try number that was answered */
	unsigned max_try_sent;   /* the highest try number sent */
	uint32_t delay_ms;       /* the pause between two sends to it */
	uint64_t next_send;      /* ev time before which nothing more is sent */
	unsigned drops, goods;   /* answers to retransmissions and to first tries,
				  * since the pause last changed */
	unsigned active;         /* its ports in progress */
	struct svd_uscan_benched *bench;
	size_t nbench, capbench;
};

void svd_uscan_host_init(struct svd_uscan_host *u, const struct svd_uscan_ctx *c,
			 const struct svd_host *h, size_t nports);
void svd_uscan_host_free(struct svd_uscan_host *u);

/*
 * The end of a port's scan: p->state, p->reason and p->reason_ttl are
 * set, or, p->reason NULL, it went on the host's bench (it holds no
 * socket any more and is not decided yet).  rtt_us: the host's round
 * trip measured by an answer to a first try, else 0.  reply: the first
 * datagram the port sent back (its first CONN_DGRAM_READ_MAX bytes), valid
 * during the call only, or NULL.
 */
typedef void svd_uscan_done_fn(void *arg, struct svd_port *p, long rtt_us,
			       const unsigned char *reply, size_t len);

/*
 * Starts scanning port p of u's host; done is called once, never before
 * this returns.  tries: those already sent (0, or a benched port's).
 * Returns 0, or -1 with errno set (EMFILE/ENFILE: out of descriptors,
 * try later; done is not called).
 */
int svd_uscan_start(struct svd_uscan_ctx *c, struct svd_uscan_host *u, struct svd_port *p,
		    unsigned tries, svd_uscan_done_fn *done, void *arg);

/*
 * Starts again a benched port that may be tried again now (the host's
 * tries grew), with the tries it had.  Returns 0, 1 when there is none,
 * or -1 as svd_uscan_start does (the port stays on the bench).
 */
int svd_uscan_retry_benched(struct svd_uscan_ctx *c, struct svd_uscan_host *u,
			    svd_uscan_done_fn *done, void *arg);

/*
 * When no port of u's is in progress and none will start (the caller's
 * fresh ports are all started), the benched ports' tries can grow no
 * more: each becomes open|filtered (no-response) and is handed to done
 * (rtt 0, no reply).  Returns how many.
 */
size_t svd_uscan_dismiss_bench(struct svd_uscan_host *u, svd_uscan_done_fn *done, void *arg);

/* Ends every scan in progress without calling done: those ports keep
 * p->reason NULL (not decided).  For a scan stopped early. */
void svd_uscan_stop_all(struct svd_uscan_ctx *c);

#endif
