/*
 * Grepable output (-oG) as Nmap 7.93 writes it (write_host_status() and
 * printportoutput() in output.cc, output_ports_to_machine_parseable_output()
 * in output.cc for the verbose "# Ports scanned" line).  Fields of a port
 * are separated by '/', so a '/' inside one is written as '|'.
 */
#include "output.h"

#include <string.h>

#include "escape.h"
#include "output_common.h"

static void slash_to_bar(char *s)
{
	for (; (s = strchr(s, '/')) != NULL; s++)
		*s = '|';
}

/* "Host: 127.0.0.1 (localhost)": the parentheses hold the PTR name only. */
static void host_prefix(FILE *f, const struct svd_host *h)
{
	char rdns[SVD_OUT_HOSTNAME];

	fprintf(f, "Host: %s (%s)\t", h->addrstr,
		escape_for_log(rdns, sizeof rdns, h->rdns ? h->rdns : ""));
}

static void port_entry(FILE *f, const struct svd_port *p)
{
	struct svd_out_service s;

	svd_out_service(&s, p);
	if (!s.known)
		s.display[0] = '\0';
	slash_to_bar(s.display);
	slash_to_bar(s.fullversion);
	fprintf(f, "%u/%s/%s//%s//%s/", p->portno, svd_out_state_name(p->state),
		svd_out_proto_name(p->proto), s.display, s.fullversion);
}

static void ports_line(FILE *f, const struct svd_run *run, const struct svd_host *h)
{
	struct svd_out_layout l;
	const char *sep = "";
	size_t i;

	svd_out_layout(&l, run, h);
	host_prefix(f, h);
	fputs("Ports: ", f);
	for (i = 0; i < h->nports; i++) {
		if (l.ignored[h->ports[i].state])
			continue;
		fputs(sep, f);
		port_entry(f, &h->ports[i]);
		sep = ", ";
	}
	/* The line has room for one summed-up state only. */
	if (l.norder == 1)
		fprintf(f, "\tIgnored State: %s (%zu)", svd_out_state_name(l.order[0]),
			h->count[l.order[0]]);
	fputc('\n', f);
}

static int grep_host(FILE *f, const struct svd_run *run, const struct svd_host *h)
{
	if (!h->up) {
		/* Nmap writes the hosts found down at -v only. */
		if (!run->verbose || run->open_only || !h->reason)
			return 0;
		host_prefix(f, h);
		fputs("Status: Down\n", f);
		return ferror(f) ? -1 : 0;
	}
	if (!h->timed_out && svd_out_host_hidden(run, h))
		return 0;
	/* A comment, which grepable readers pass over; before the host's
	 * lines, so that a resumed scan (--resume) scans the host again. */
	if (h->stopped_early)
		fprintf(f, "# svdetect stopped early on host %s (only the ports decided by then "
			"are listed)\n", h->addrstr);
	host_prefix(f, h);
	fputs("Status: Up\n", f);
	if (h->timed_out) {
		host_prefix(f, h);
		fputs("Status: Timeout\n", f);
	} else {
		ports_line(f, run, h);
	}
	return ferror(f) ? -1 : 0;
}

static int grep_begin(FILE *f, const struct svd_run *run)
{
	svd_out_comment_header(f, run);
	if (run->verbose > 0)
		fprintf(f, "# Ports scanned: TCP(%zu;%s) UDP(%zu;%s) SCTP(0;) PROTOCOLS(0;)\n",
			run->scan_tcp ? run->ntcp_ports : 0,
			run->scan_tcp && run->tcp_ports ? run->tcp_ports : "",
			run->scan_udp ? run->nudp_ports : 0,
			run->scan_udp && run->udp_ports ? run->udp_ports : "");
	return ferror(f) ? -1 : 0;
}

static int grep_end(FILE *f, const struct svd_run *run)
{
	svd_out_comment_footer(f, run);
	return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

const struct svd_output_ops svd_output_grepable = {
	.name = "grepable",
	.suffix = ".gnmap",
	.begin = grep_begin,
	.host = grep_host,
	.end = grep_end,
};
