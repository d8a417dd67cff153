/*
 * The scan: host discovery (discovery.h, unless -Pn), a connect scan of
 * every (host, TCP port) and a UDP scan (udpscan.h) of every (host, UDP
 * port) of the hosts found up, and version detection of each port as soon
 * as it is found open (or, UDP, open|filtered), all on one event loop with
 * bounded concurrency (in all and per host).  Hosts are taken from a
 * source one at a time as the window of hosts under way has room, so the
 * engine's memory does not grow with their number, and are reported in
 * the order given, each as soon as it and every host before it is done.
 */
#ifndef SVD_ENGINE_H
#define SVD_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "payloads.h"
#include "scan.h"
#include "timing.h"

/* The ports of every host: the TCP ones, then the UDP ones, ascending. */
struct svd_engine_ports {
	const uint16_t *tcp, *udp;
	size_t ntcp, nudp;
};

struct svd_rpc_programs;

struct svd_engine_opts {
	const struct svd_sigdb *db;
	/* Per port of svd_engine_run's, TCP ones first: the name the services
	 * table gives it (reported with method="table" when no probe names
	 * it), or NULL ("unknown"). */
	const char *const *table_names;
	/* The UDP scan's payloads, and its timing (the -T level's). */
	const struct svd_payloads *payloads;
	const struct svd_timing *timing;
	int intensity;             /* 0-9 */
	/* nmap-rpc's programs, for the SunRPC grinder (rpc_grind.h); NULL:
	 * no grinding. */
	const struct svd_rpc_programs *rpc_programs;
	bool allports;             /* version-scan Exclude'd ports too */
	bool reverse_dns;          /* look up each host's PTR name (not with -n) */
	FILE *trace;               /* --version-trace log, or NULL */
	int debugging;
	const char *platform;      /* fingerprint %P= */
	unsigned parallelism;      /* sockets open at once, in all */
	unsigned per_host;         /* ... and per host */
	uint32_t connect_timeout_ms;
	int connect_tries;
	/* Host discovery first (discovery.h), each probe given this long per
	 * try; without it (-Pn) every host is up. */
	bool discovery;
	uint32_t discovery_timeout_ms;
	int max_probes_ahead;      /* per pass of a port; 0: Nmap's probes only */
	uint32_t probe_delay_ms;   /* between a port's probes (vscan.h) */
	uint64_t host_timeout_ms;  /* 0: none */
	uint64_t stats_every_ms;   /* 0: only on a key press (terminal) */
	/* Nmap's progress lines (runtime/scan/progress.h): -v's at verbose
	 * >= 1, the status lines at any level; NULL: none. */
	FILE *progress;
	int verbose;
	/*
	 * Descriptors that can end the scan early, watched for readability:
	 * the caller's signal pipe, stdout when it is a pipe (in error, so
	 * ready, once its reader has gone).  When one is ready the engine
	 * asks stop_wanted(arg, fd), arg being svd_engine_run's.
	 */
	const int *stop_fds;
	size_t nstop_fds;
	bool (*stop_wanted)(void *arg, int fd);
};

/*
 * The most memory svd_engine_run holds at once for nhosts hosts of nports
 * ports, in bytes: the state of the hosts under way, the port tables of
 * the hosts scanned at once and the discovery state of those being
 * discovered.  Not counted: the source's own and what the probes of open
 * ports hold (bounded per port, docs/scanner.md).
 */
uint64_t svd_engine_memory(const struct svd_engine_opts *o, size_t nhosts, size_t nports);

/* Called exactly once per host, in target order; h->ports and h->rdns
 * are then the caller's to free, h itself is the engine's (valid during
 * the call only).  Returning false stops the scan. */
typedef bool svd_host_done_fn(void *arg, struct svd_host *h);

/* The hosts to scan, in target order. */
struct svd_host_source {
	/* Sets the addr, addrlen, addrstr and name of h (zeroed) to the next
	 * host's; false when there is none.  Called only when the engine
	 * has room for the host; name must outlive svd_engine_run. */
	bool (*next)(void *arg, struct svd_host *h);
	void *arg;
	size_t nhosts;             /* how many next gives in all */
};

/*
 * Scans the ports on every host of src, or with discovery on every host
 * found up; a host found down is reported with up false, no ports and its
 * reason.  The engine fills all but the address and name.
 * With reverse_dns, a host found up is reported
 * once its name lookup has answered or given up (4 s).
 * Returns -1 after printing why to stderr if the event loop could not be
 * set up, no socket could be opened, or (the scan not stopped) a host was
 * never handed to done: how many is said; otherwise 0.
 *
 * A scan stopped early (stop_wanted, or done returning false) starts
 * nothing more, ends every connect and probe at once, and hands done, in
 * order, every host it had started and not yet reported, with only the
 * ports it had decided: those whose connect scan had ended; of these, a
 * port being probed keeps what its probes had found, as at the host's
 * deadline.  Hosts never started are not reported.
 */
int svd_engine_run(const struct svd_engine_opts *o, const struct svd_host_source *src,
		   const struct svd_engine_ports *ports, svd_host_done_fn *done, void *arg);

#endif
