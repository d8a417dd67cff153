/*
 * What the output formats share: Nmap 7.93's view of a port's service
 * (serviceDeductions), which port states a table collapses into "Not
 * shown", the reasons of a collapsed state, the "Service Info" summary
 * and the run's times.  docs/output.md gives each rule with its Nmap
 * source.  Internal to libsvdout.a.
 */
#ifndef SVD_OUTPUT_COMMON_H
#define SVD_OUTPUT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scan.h"

/* Nmap's buffers: the SERVICE column (serviceinfo) and the full version. */
enum { SVD_OUT_NAME = 64, SVD_OUT_FULLVERSION = 160 };

/* Room for a host name as text outputs show it (escaped, cut with "..."). */
enum { SVD_OUT_HOSTNAME = 300 };

/* Nmap keeps this many hostnames, OSs, devices and CPEs per Service Info. */
enum { SVD_OUT_INFO_MAX = 5 };

/* One port's service as every format prints it. */
struct svd_out_service {
	bool known;          /* Nmap prints a service at all: name, fp or tunnel */
	const char *name;    /* the XML name: svc.name, or "unknown" */
	char display[SVD_OUT_NAME];          /* "ssl/http", "cslistener?", "unknown" */
	char fullversion[SVD_OUT_FULLVERSION]; /* "OpenSSH 9.2 (protocol 2.0)" */
	struct svd_version v;                /* non-printable bytes made '.' */
	const char *cpe[3];  /* into v: the non-empty of cpe_a, cpe_h, cpe_o (do not copy s) */
	size_t ncpe;
};

void svd_out_service(struct svd_out_service *s, const struct svd_port *p);

const char *svd_out_state_name(unsigned state);
const char *svd_out_proto_name(unsigned proto);

/*
 * The states a host's port table leaves out, most ports first (ties:
 * Nmap's state order, closed before filtered), and how many ports they
 * hold.  Open ports are always shown.
 */
struct svd_out_layout {
	bool ignored[SVD_PORT_NSTATES];
	unsigned order[SVD_PORT_NSTATES];
	size_t norder;
	size_t nignored;
};

void svd_out_layout(struct svd_out_layout *l, const struct svd_run *run,
		    const struct svd_host *h);

/* The ports of one state with one protocol and one reason. */
struct svd_out_reason {
	unsigned proto;
	const char *reason;
	size_t count;
};

/* Why the port is in its state ("syn-ack", "conn-refused"), "unknown"
 * when the scan did not say. */
const char *svd_out_reason_of(const struct svd_port *p);

/*
 * The reason groups of the ports in state, in Nmap's order (most ports
 * first, ties: the group seen last first).  Returns a malloc'd array and
 * its length in *n, or NULL (*n == 0) when there are none or on ENOMEM.
 */
struct svd_out_reason *svd_out_reasons(const struct svd_host *h, unsigned state,
				       size_t *n);

/* Writes the port numbers of one group as "1-20,23-24,26". */
void svd_out_port_ranges(FILE *f, const struct svd_host *h, unsigned state,
			 const struct svd_out_reason *r);

/* The "Service Info" values of a host's open ports, without repeats. */
struct svd_out_info {
	char hosts[SVD_OUT_INFO_MAX][SVD_CAP_HOSTNAME];
	char ostypes[SVD_OUT_INFO_MAX][SVD_CAP_OSTYPE];
	char devtypes[SVD_OUT_INFO_MAX][SVD_CAP_DEVTYPE];
	char cpes[SVD_OUT_INFO_MAX][SVD_CAP_CPE];
	size_t nhosts, nostypes, ndevtypes, ncpes;
};

void svd_out_info(struct svd_out_info *info, const struct svd_host *h);

/* "localhost (127.0.0.1)", "example.org (192.0.2.1)" or "127.0.0.1"; the
 * name escaped (escape_for_log), as it may come from a file or the DNS. */
void svd_out_name_ip(char *buf, size_t size, const struct svd_host *h);

/* ctime()'s form without the newline: "Wed Nov 25 06:04:28 2026". */
void svd_out_ctime(char *buf, size_t size, const struct timespec *t);
double svd_out_elapsed(const struct timespec *start, const struct timespec *end);

/* "1 IP address (1 host up) scanned in 26.98 seconds" */
void svd_out_done_summary(char *buf, size_t size, const struct svd_run *run);

/* For a scan stopped early: "interrupted by SIGINT; 3 IP addresses not
 * scanned" (the count only when not 0). */
void svd_out_stopped(char *buf, size_t size, const struct svd_run *run);

/* The first and last lines of normal and grepable files ("# svdetect ..."),
 * the last preceded by a note when the scan stopped early. */
void svd_out_comment_header(FILE *f, const struct svd_run *run);
void svd_out_comment_footer(FILE *f, const struct svd_run *run);

/* A fingerprint on one line, without Nmap's "\nSF:" breaks (malloc'd; NULL: ENOMEM). */
char *svd_out_fp_unwrapped(const char *fp);

/* Whether --open hides the host: it has no port open or open|filtered
 * (Nmap's hasOpenPorts). */
bool svd_out_host_hidden(const struct svd_run *run, const struct svd_host *h);

/* The latency as Nmap prints it: two significant digits, "0.000034". */
void svd_out_latency(char *buf, size_t size, long srtt_us);

#endif
