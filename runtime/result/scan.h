/*
 * What a scan found: hosts, their ports, and the service on each port.
 * The engine (runtime/scan.c) fills these; the output modules
 * (runtime/output/output.h) only read them.  Field meanings follow Nmap's XML
 * (nmap.dtd) so that every output format is a view of the same data.
 */
#ifndef SVD_SCAN_H
#define SVD_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "sigdb.h"
#include "template.h"

enum svd_port_state {
	SVD_PORT_OPEN,
	SVD_PORT_CLOSED,
	SVD_PORT_FILTERED,
	SVD_PORT_NSTATES
};

/* How the service name was found: Nmap's method="table" | "probed". */
enum svd_method { SVD_METHOD_TABLE, SVD_METHOD_PROBED };

struct svd_service {
	char name[64];            /* "" when nothing is known at all */
	enum svd_method method;
	int conf;                 /* Nmap's conf: 10 probed, 8 tcpwrapped, 3 table */
	bool soft;                /* only a softmatch was found */
	bool ssl;                 /* tunnel="ssl" */
	const struct svd_match *match; /* the winning line, or NULL */
	const char *probe;        /* the probe whose response matched, or NULL */
	struct svd_version v;     /* rendered templates ("" = absent) */
	char *fingerprint;        /* SF-Port... text (malloc'd) or NULL */
};

struct svd_port {
	uint16_t portno;
	uint8_t proto;            /* enum svd_proto */
	uint8_t state;            /* enum svd_port_state */
	const char *reason;       /* "syn-ack", "conn-refused", "no-response", ... */
	struct svd_service svc;
};

struct svd_host {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char addrstr[46];         /* numeric form, INET6_ADDRSTRLEN */
	const char *name;         /* the hostname the user gave, or NULL */
	const char *rdns;         /* its reverse-DNS (PTR) name, or NULL */
	long srtt_us;             /* smoothed RTT in microseconds; 0: not measured */
	bool up;                  /* with -Pn every host is up */
	bool timed_out;           /* --host-timeout expired */
	struct timespec start, end;
	struct svd_port *ports;   /* every scanned port, ascending by (proto, port) */
	size_t nports;
	size_t count[SVD_PORT_NSTATES];
};

/* The run as a whole, for output headers and footers. */
struct svd_run {
	const char *args;         /* the command line, space-separated */
	const char *scanner_version; /* PACKAGE_VERSION */
	const struct svd_sigdb *db;
	int intensity;
	struct timespec start, end;
	const char *tcp_ports;    /* the TCP ports scanned, Nmap's scaninfo "services" form */
	size_t ntcp_ports;
	size_t hosts_up, hosts_down;
	/* Why the scan stopped early ("interrupted by SIGINT"), NULL when it
	 * ran to the end; then the targets never started, in neither count. */
	const char *stopped;
	size_t hosts_unscanned;
	bool open_only;           /* --open: tables list open ports only */
	int verbose;              /* -v count */
};

#endif
