/*
 * What the user sees of a scan under way, in Nmap's words (timing.cc's
 * ScanProgressMeter, output.cc's printStatusMessage(), portlist.cc):
 * with -v, when each task starts and ends and each open port as it is
 * found; at any verbosity, on request (Enter, --stats-every), the status
 * line and the current task's share done with its estimated completion.
 *
 * svdetect runs Nmap's two tasks at once: a port found open is probed
 * while the connect scan goes on.  So the service scan starts with the
 * first open port and ends after the connect scan; the status line
 * speaks of the connect scan until every port is scanned, then of the
 * service scan, whose total is only known then (docs/output.md).
 */
#ifndef SVD_PROGRESS_H
#define SVD_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scan.h"

/* One of Nmap's tasks; times are the event loop's (monotonic ms). */
struct svd_task {
	const char *name;          /* "Connect Scan", "Service scan" */
	uint64_t began_ms;
	size_t done, total;        /* ports scanned / services probed, of total */
	size_t timed_out;          /* hosts whose timeout cut the task short */
	bool begun, ended;
};

struct svd_progress {
	FILE *out;                 /* NULL: nothing is printed */
	int verbose;
	uint64_t started_ms;
	size_t nhosts;
	size_t hosts_done, hosts_up;
	struct svd_task connect, service;
};

/* The scan starts: with -v, "Initiating Connect Scan at HH:MM" and what
 * it scans ("UDP Scan" when udp_only, as Nmap names that task).  hosts:
 * the targets, for the first one's name. */
void svd_progress_start(struct svd_progress *p, FILE *out, int verbose, uint64_t now_ms,
			const struct svd_host *hosts, size_t nhosts, size_t nports, bool udp_only);

/* port's connect scan has ended; to_probe: it joins the service scan. */
void svd_progress_port_scanned(struct svd_progress *p, uint64_t now_ms,
			       const struct svd_host *h, const struct svd_port *port,
			       bool to_probe);

void svd_progress_service_started(struct svd_progress *p, uint64_t now_ms);
void svd_progress_service_done(struct svd_progress *p, uint64_t now_ms);

/* h has finished; unscanned and unprobed: the ports it never started
 * (its timeout, or a host found down), which leave the tasks' totals. */
void svd_progress_host_done(struct svd_progress *p, uint64_t now_ms, const struct svd_host *h,
			    size_t unscanned, size_t unprobed);

/* Nmap's status line and the current task's timing line; active: hosts
 * started and not yet finished. */
void svd_progress_status(struct svd_progress *p, uint64_t now_ms, size_t active);

#endif
