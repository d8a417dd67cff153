/*
 * Normal output (-oN) and the terminal's, as Nmap 7.93 writes them
 * (write_host_header(), write_host_status(), printportoutput(),
 * printserviceinfooutput() and printfinaloutput() in output.cc), with
 * svdetect named where Nmap names itself.  The two differ only in their
 * first and last lines.
 */
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "fingerprint.h"
#include "output_common.h"
#include "output_tls.h"

/* One row of the port table; the version column may be empty.  TLS facts
 * shown under it (--tls-info) do not count in the columns' widths. */
struct row {
	char port[16];
	const char *state;
	char service[SVD_OUT_NAME];
	char reason[48];          /* shown with --reason only: "udp-response ttl 64" */
	char version[SVD_OUT_FULLVERSION];
	const struct svd_tls_facts *tls;
};

/* Nmap's column order; REASON only with --reason. */
enum { COL_PORT, COL_STATE, COL_SERVICE, COL_REASON, COL_VERSION, NCOLS };

static const char *cell(const struct row *r, int col)
{
	switch (col) {
	case COL_PORT: return r->port;
	case COL_STATE: return r->state;
	case COL_SERVICE: return r->service;
	case COL_REASON: return r->reason;
	default: return r->version;
	}
}

/*
 * A script's output under its port as Nmap prints it: "| id: " before
 * the first line, "| " before the others, "|_" before the last.
 */
static void script_output(FILE *f, const char *id, const char *text)
{
	const char *line = text, *end;

	while ((end = strchr(line, '\n'))) {
		fprintf(f, "| %s%s%.*s\n", line == text ? id : "", line == text ? ": " : "",
			(int)(end - line), line);
		line = end + 1;
	}
	fprintf(f, "|_%s%s%s\n", line == text ? id : "", line == text ? ": " : "", line);
}

/*
 * Nmap's table: each column as wide as its widest cell, one space
 * between columns, no spaces at the end of a line; a row's ssl-cert
 * lines under it.  Returns 0, or -1 when out of memory.
 */
static int print_table(FILE *f, const struct row *rows, size_t n, const struct svd_run *run)
{
	size_t width[NCOLS] = { 0 }, i, len;
	char line[sizeof rows->port + 16 + SVD_OUT_NAME + sizeof rows->reason + SVD_OUT_FULLVERSION + NCOLS];
	int col, used;

	for (i = 0; i < n; i++)
		for (col = 0; col < NCOLS; col++)
			if (strlen(cell(&rows[i], col)) > width[col])
				width[col] = strlen(cell(&rows[i], col));
	for (i = 0; i < n; i++) {
		len = 0;
		for (col = 0; col < NCOLS; col++) {
			if (col == COL_REASON && !run->reason)
				continue;
			used = snprintf(line + len, sizeof line - len, "%-*s ",
					(int)width[col], cell(&rows[i], col));
			len += (size_t)used;
		}
		while (len > 0 && line[len - 1] == ' ')
			len--;
		fprintf(f, "%.*s\n", (int)len, line);
		if (rows[i].tls) {
			char *text = svd_out_ssl_cert_text(rows[i].tls, run->verbose);

			if (!text)
				return -1;
			script_output(f, "ssl-cert", text);
			free(text);
		}
	}
	return 0;
}

static void fill_row(struct row *r, const struct svd_run *run, const struct svd_port *p)
{
	struct svd_out_service s;

	svd_out_service(&s, p);
	snprintf(r->port, sizeof r->port, "%u/%s", p->portno,
		 svd_out_proto_name(p->proto));
	r->state = svd_out_state_name(p->state);
	/* Nmap adds the TTL of the packet that decided the state, if any. */
	if (p->reason_ttl)
		snprintf(r->reason, sizeof r->reason, "%s ttl %u", svd_out_reason_of(p),
			 (unsigned)p->reason_ttl);
	else
		snprintf(r->reason, sizeof r->reason, "%s", svd_out_reason_of(p));
	memcpy(r->service, s.display, sizeof r->service);
	memcpy(r->version, s.fullversion, sizeof r->version);
	r->tls = svd_out_tls_shown(run, p);
}

/*
 * The table of the ports not summed up, then the fingerprints of those
 * that returned data but matched nothing (Nmap prints at most nine).
 */
static int port_table(FILE *f, const struct svd_run *run, const struct svd_host *h,
		      const struct svd_out_layout *l)
{
	static const struct row header = { "PORT", "STATE", "SERVICE", "REASON", "VERSION", NULL };
	const char *fps[SVD_FP_PRINT_MAX];
	size_t i, nrows = 0, nfps = 0;
	struct row *rows = malloc((h->nports - l->nignored + 1) * sizeof *rows);
	int rc;

	if (!rows)
		return -1;
	rows[nrows++] = header;
	for (i = 0; i < h->nports; i++) {
		const struct svd_port *p = &h->ports[i];

		if (l->ignored[p->state])
			continue;
		fill_row(&rows[nrows++], run, p);
		if (p->svc.fingerprint && nfps < SVD_FP_PRINT_MAX)
			fps[nfps++] = p->svc.fingerprint;
	}
	rc = print_table(f, rows, nrows, run);
	free(rows);
	return rc < 0 ? -1 : svd_fp_print(f, fps, nfps, run->scanner_version);
}

/* "Not shown: 27 closed tcp ports (conn-refused)", or an empty line. */
static int not_shown(FILE *f, const struct svd_host *h,
		     const struct svd_out_layout *l)
{
	const char *sep = "Not shown: ";
	struct svd_out_reason *r;
	size_t i, j, n;

	for (i = 0; i < l->norder; i++) {
		r = svd_out_reasons(h, l->order[i], &n);
		if (!r)
			return -1;
		for (j = 0; j < n; j++) {
			/* "ports" after the state's count, not the group's, as Nmap. */
			fprintf(f, "%s%zu %s %s port%s (%s)", sep, r[j].count,
				svd_out_state_name(l->order[i]),
				svd_out_proto_name(r[j].proto),
				h->count[l->order[i]] == 1 ? "" : "s", r[j].reason);
			sep = ", ";
		}
		free(r);
	}
	fputc('\n', f);
	return 0;
}

/* One "Host: a, b" part of the Service Info line. */
static void info_part(FILE *f, const char **delim, const char *one,
		      const char *many, const char *list, size_t width, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	fprintf(f, "%s%s: %s", *delim, n == 1 ? one : many, list);
	for (i = 1; i < n; i++)
		fprintf(f, ", %s", list + i * width);
	*delim = "; ";
}

static void service_info(FILE *f, const struct svd_host *h)
{
	struct svd_out_info info;
	const char *delim = " ";

	svd_out_info(&info, h);
	if (!info.nhosts && !info.nostypes && !info.ndevtypes && !info.ncpes)
		return;
	fputs("Service Info:", f);
	info_part(f, &delim, "Host", "Hosts", info.hosts[0], sizeof info.hosts[0],
		  info.nhosts);
	info_part(f, &delim, "OS", "OSs", info.ostypes[0], sizeof info.ostypes[0],
		  info.nostypes);
	info_part(f, &delim, "Device", "Devices", info.devtypes[0],
		  sizeof info.devtypes[0], info.ndevtypes);
	info_part(f, &delim, "CPE", "CPE", info.cpes[0], sizeof info.cpes[0],
		  info.ncpes);
	fputc('\n', f);
}

static void host_header(FILE *f, const struct svd_run *run, const struct svd_host *h,
			const char *nameip)
{
	char latency[32], rdns[SVD_OUT_HOSTNAME];

	fprintf(f, "svdetect scan report for %s\n", nameip);
	fputs("Host is up", f);
	if (run->reason)
		fprintf(f, ", received %s", h->reason);
	if (h->srtt_us > 0) {
		svd_out_latency(latency, sizeof latency, h->srtt_us);
		fprintf(f, " (%ss latency)", latency);
	}
	fputs(".\n", f);
	if (h->name && h->rdns && *h->rdns && strcmp(h->name, h->rdns) != 0)
		fprintf(f, "rDNS record for %s: %s\n", h->addrstr,
			escape_for_log(rdns, sizeof rdns, h->rdns));
}

static void scanned_at(FILE *f, const struct svd_host *h)
{
	struct tm tm;
	char when[64];

	if (!localtime_r(&h->start.tv_sec, &tm) ||
	    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		return;
	fprintf(f, "Scanned at %s for %llds\n", when,
		(long long)(h->end.tv_sec - h->start.tv_sec));
}

static int ports_part(FILE *f, const struct svd_run *run, const struct svd_host *h,
		      const char *nameip)
{
	struct svd_out_layout l;

	svd_out_layout(&l, run, h);
	if (l.nignored == h->nports) {
		fprintf(f, "All %zu scanned ports on %s are in ignored states.\n",
			h->nports, nameip);
		return not_shown(f, h, &l);
	}
	if (run->verbose > 1)
		scanned_at(f, h);
	if (not_shown(f, h, &l) < 0 || port_table(f, run, h, &l) < 0)
		return -1;
	service_info(f, h);
	return 0;
}

static int normal_host(FILE *f, const struct svd_run *run, const struct svd_host *h)
{
	char nameip[512];

	svd_out_name_ip(nameip, sizeof nameip, h);
	if (!h->up) {
		/* Nmap names the hosts found down at -v only. */
		if (!run->verbose || run->open_only || !h->reason)
			return 0;
		fprintf(f, "svdetect scan report for %s [host down", nameip);
		if (run->reason)
			fprintf(f, ", received %s", h->reason);
		fputs("]\n", f);
		return ferror(f) ? -1 : 0;
	}
	if (h->timed_out) {
		host_header(f, run, h, nameip);
		fprintf(f, "Skipping host %s due to host timeout\n", nameip);
		return ferror(f) ? -1 : 0;
	}
	if (svd_out_host_hidden(run, h))
		return 0;
	host_header(f, run, h, nameip);
	/* Said before the ports, so that a resumed scan (--resume) reading
	 * this file scans the host again. */
	if (h->stopped_early)
		fputs("Host scan stopped early: only the ports decided by then are listed.\n", f);
	if (ports_part(f, run, h, nameip) < 0)
		return -1;
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

/* Where Nmap sends the reader to its submission page, svdetect names
 * itself: configure.ac gives the project no URL to send anyone to. */
static void detection_note(FILE *f, const struct svd_run *run)
{
	if (run->hosts_up > 0)
		fprintf(f, "Service detection performed by svdetect %s.\n",
			run->scanner_version);
}

static int normal_begin(FILE *f, const struct svd_run *run)
{
	svd_out_comment_header(f, run);
	return ferror(f) ? -1 : 0;
}

static int normal_end(FILE *f, const struct svd_run *run)
{
	detection_note(f, run);
	svd_out_comment_footer(f, run);
	return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

static int interactive_begin(FILE *f, const struct svd_run *run)
{
	struct tm tm;
	char when[64] = "";

	if (localtime_r(&run->start.tv_sec, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M %Z", &tm);
	fprintf(f, "Starting svdetect %s at %s\n", run->scanner_version, when);
	return ferror(f) ? -1 : 0;
}

static int interactive_end(FILE *f, const struct svd_run *run)
{
	char summary[128], note[512];

	detection_note(f, run);
	/* As Nmap, on the terminal only: the one target given did not answer. */
	if (run->discovery && run->hosts_up == 0 && run->hosts_down == 1)
		fputs("Note: the host seems down: neither port 80 nor 443 answered. "
		      "If it is up but filters them, try -Pn\n", f);
	if (run->stopped) {
		svd_out_stopped(note, sizeof note, run);
		fprintf(f, "svdetect stopped early: %s\n", note);
	}
	svd_out_done_summary(summary, sizeof summary, run);
	fprintf(f, "svdetect done: %s\n", summary);
	return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

const struct svd_output_ops svd_output_normal = {
	.name = "normal",
	.suffix = ".nmap",
	.begin = normal_begin,
	.host = normal_host,
	.end = normal_end,
};

const struct svd_output_ops svd_output_interactive = {
	.name = "interactive",
	.suffix = NULL,
	.begin = interactive_begin,
	.host = normal_host,
	.end = interactive_end,
};
