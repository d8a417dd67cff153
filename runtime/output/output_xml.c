/*
 * XML output (-oX) in Nmap 7.93's layout (output.cc, xml.cc), valid
 * against nmap.dtd: the DTD requires scanner="nmap", so svdetect names
 * itself in the leading comment and in the version attribute, which
 * holds "svdetect VERSION": ndiff and Nmap's nmap.xsl print it after
 * their fixed "Nmap" (docs/output.md, "Who wrote the file").
 */
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "output_common.h"
#include "output_tls.h"

/*
 * Nmap's XML escaping: markup characters, "--" (for comments), control
 * characters and every byte above 0x7f as character references.
 */
static void xml_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; p[i]; i++) {
		switch (p[i]) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '-':
			fputs(i > 0 && p[i - 1] == '-' ? "&#45;" : "-", f);
			break;
		default:
			if (p[i] < 0x20 || p[i] > 0x7f)
				fprintf(f, "&#x%x;", p[i]);
			else
				fputc(p[i], f);
		}
	}
}

static void attr(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	xml_text(f, value);
	fputc('"', f);
}

/* An attribute Nmap leaves out when the value is empty. */
static void attr_opt(FILE *f, const char *name, const char *value)
{
	if (*value)
		attr(f, name, value);
}

static void scaninfo(FILE *f, const char *type, const char *proto, size_t n,
		     const char *services)
{
	fprintf(f, "<scaninfo type=\"%s\" protocol=\"%s\" numservices=\"%zu\"", type, proto, n);
	attr(f, "services", services ? services : "");
	fputs("/>\n", f);
}

static int xml_begin(FILE *f, const struct svd_run *run)
{
	char when[64];

	svd_out_ctime(when, sizeof when, &run->start);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n<!-- svdetect ", f);
	xml_text(f, run->scanner_version);
	fprintf(f, " scan initiated %s as: ", when);
	xml_text(f, run->args);
	fputs(" -->\n<nmaprun scanner=\"nmap\"", f);
	attr(f, "args", run->args);
	fprintf(f, " start=\"%lld\"", (long long)run->start.tv_sec);
	attr(f, "startstr", when);
	fputs(" version=\"svdetect ", f);
	xml_text(f, run->scanner_version);
	fputc('"', f);
	fputs(" xmloutputversion=\"1.05\">\n", f);
	/* One record per scan asked for, TCP's first (output.cc's order). */
	if (run->scan_tcp)
		scaninfo(f, "connect", "tcp", run->ntcp_ports, run->tcp_ports);
	if (run->scan_udp)
		scaninfo(f, "udp", "udp", run->nudp_ports, run->udp_ports);
	fprintf(f, "<verbose level=\"%d\"/>\n<debugging level=\"0\"/>\n", run->verbose);
	return ferror(f) ? -1 : 0;
}

static void hostnames(FILE *f, const struct svd_host *h)
{
	fputs("<hostnames>\n", f);
	if (h->name) {
		fputs("<hostname", f);
		attr(f, "name", h->name);
		fputs(" type=\"user\"/>\n", f);
	}
	if (h->rdns && *h->rdns) {
		fputs("<hostname", f);
		attr(f, "name", h->rdns);
		fputs(" type=\"PTR\"/>\n", f);
	}
	fputs("</hostnames>\n", f);
}

static int service(FILE *f, const struct svd_port *p)
{
	struct svd_out_service s;
	size_t i;

	svd_out_service(&s, p);
	if (!s.known)
		return 0;
	fputs("<service", f);
	attr(f, "name", s.name);
	attr_opt(f, "product", s.v.product);
	attr_opt(f, "version", s.v.version);
	attr_opt(f, "extrainfo", s.v.info);
	attr_opt(f, "hostname", s.v.hostname);
	attr_opt(f, "ostype", s.v.ostype);
	attr_opt(f, "devicetype", s.v.devtype);
	if (p->svc.fingerprint) {
		char *fp = svd_out_fp_unwrapped(p->svc.fingerprint);

		if (!fp)
			return -1;
		attr(f, "servicefp", fp);
		free(fp);
	}
	if (p->svc.ssl)
		fputs(" tunnel=\"ssl\"", f);
	fprintf(f, " method=\"%s\" conf=\"%d\"",
		p->svc.method == SVD_METHOD_PROBED ? "probed" : "table", p->svc.conf);
	if (s.ncpe == 0) {
		fputs("/>", f);
		return 0;
	}
	fputc('>', f);
	for (i = 0; i < s.ncpe; i++) {
		fputs("<cpe>", f);
		xml_text(f, s.cpe[i]);
		fputs("</cpe>", f);
	}
	fputs("</service>", f);
	return 0;
}

static void elem(FILE *f, const char *key, const char *value)
{
	fputs("<elem", f);
	attr(f, "key", key);
	fputc('>', f);
	xml_text(f, value);
	fputs("</elem>\n", f);
}

static void table_open(FILE *f, const char *key)
{
	fputs("<table", f);
	if (key)
		attr(f, "key", key);
	fputs(">\n", f);
}

static void digest_elem(FILE *f, const char *key, const unsigned char *d, size_t n)
{
	char hex[2 * 32 + 1];

	svd_out_hex(hex, d, n);
	elem(f, key, hex);
}

/* A subject or issuer: one elem per attribute, sorted by key. */
static int name_table(FILE *f, const char *key, const struct svd_tls_name *n)
{
	const struct svd_tls_attr **sorted = svd_out_name_sorted(n);
	size_t i;

	if (!sorted && n->n > 0)
		return -1;
	table_open(f, key);
	for (i = 0; i < n->n; i++)
		elem(f, sorted[i]->key, sorted[i]->value);
	fputs("</table>\n", f);
	free(sorted);
	return 0;
}

static void pubkey_table(FILE *f, const struct svd_tls_facts *t)
{
	char bits[16];

	snprintf(bits, sizeof bits, "%d", t->key_bits);
	table_open(f, "pubkey");
	elem(f, "type", t->key_type);
	elem(f, "bits", bits);
	if (t->rsa_modulus)
		elem(f, "modulus", t->rsa_modulus);
	if (*t->rsa_exponent)
		elem(f, "exponent", t->rsa_exponent);
	if (*t->curve) {
		table_open(f, "ecdhparams");
		table_open(f, "curve_params");
		elem(f, "ec_curve_type", "namedcurve");
		elem(f, "curve", t->curve);
		fputs("</table>\n</table>\n", f);
	}
	fputs("</table>\n", f);
}

/* Of the extensions ssl-cert lists, the one svdetect reads: the SANs. */
static void san_extension(FILE *f, const struct svd_tls_facts *t)
{
	size_t i;

	if (t->nsan == 0)
		return;
	table_open(f, "extensions");
	table_open(f, NULL);
	elem(f, "name", "X509v3 Subject Alternative Name");
	fputs("<elem key=\"value\">", f);
	for (i = 0; i < t->nsan; i++) {
		fputs(i > 0 ? ", " : "", f);
		xml_text(f, t->san[i]);
	}
	fputs("</elem>\n</table>\n</table>\n", f);
}

/*
 * --tls-info: the facts as Nmap's ssl-cert script element, its text in
 * the output attribute and its tables (output_tab in ssl-cert.nse).
 */
static int ssl_cert(FILE *f, const struct svd_tls_facts *t, int verbose)
{
	char *text = svd_out_ssl_cert_text(t, verbose);

	if (!text)
		return -1;
	fputs("<script id=\"ssl-cert\"", f);
	attr(f, "output", text);
	free(text);
	fputs(">", f);
	if (name_table(f, "subject", &t->subject) < 0 ||
	    name_table(f, "issuer", &t->issuer) < 0)
		return -1;
	pubkey_table(f, t);
	san_extension(f, t);
	elem(f, "sig_algo", t->sig_alg);
	table_open(f, "validity");
	elem(f, "notBefore", t->not_before);
	elem(f, "notAfter", t->not_after);
	fputs("</table>\n", f);
	digest_elem(f, "md5", t->md5, sizeof t->md5);
	digest_elem(f, "sha1", t->sha1, sizeof t->sha1);
	digest_elem(f, "sha256", t->sha256, sizeof t->sha256);
	if (t->pem)
		elem(f, "pem", t->pem);
	fputs("</script>", f);
	return 0;
}

static int port(FILE *f, const struct svd_run *run, const struct svd_port *p)
{
	const struct svd_tls_facts *tls = svd_out_tls_shown(run, p);

	fprintf(f, "<port protocol=\"%s\" portid=\"%u\"><state state=\"%s\"",
		svd_out_proto_name(p->proto), p->portno, svd_out_state_name(p->state));
	attr(f, "reason", p->reason ? p->reason : "unknown");
	fprintf(f, " reason_ttl=\"%u\"/>", (unsigned)p->reason_ttl);
	if (service(f, p) < 0 || (tls && ssl_cert(f, tls, run->verbose) < 0))
		return -1;
	fputs("</port>\n", f);
	return 0;
}

static int extraports(FILE *f, const struct svd_host *h, unsigned state)
{
	struct svd_out_reason *r;
	size_t i, n;

	r = svd_out_reasons(h, state, &n);
	if (!r)
		return -1;
	fprintf(f, "<extraports state=\"%s\" count=\"%zu\">\n",
		svd_out_state_name(state), h->count[state]);
	for (i = 0; i < n; i++) {
		fputs("<extrareasons", f);
		attr(f, "reason", r[i].reason);
		fprintf(f, " count=\"%zu\" proto=\"%s\" ports=\"", r[i].count,
			svd_out_proto_name(r[i].proto));
		svd_out_port_ranges(f, h, state, &r[i]);
		fputs("\"/>\n", f);
	}
	fputs("</extraports>\n", f);
	free(r);
	return 0;
}

static int ports(FILE *f, const struct svd_run *run, const struct svd_host *h)
{
	struct svd_out_layout l;
	size_t i;

	svd_out_layout(&l, run, h);
	fputs("<ports>", f);
	for (i = 0; i < l.norder; i++)
		if (extraports(f, h, l.order[i]) < 0)
			return -1;
	for (i = 0; i < h->nports; i++)
		if (!l.ignored[h->ports[i].state] && port(f, run, &h->ports[i]) < 0)
			return -1;
	fputs("</ports>\n", f);
	return 0;
}

/* <status> and <address>; for a down host <hostnames> only when it has
 * a name, as in Nmap. */
static void host_status(FILE *f, const struct svd_host *h)
{
	fprintf(f, "<status state=\"%s\" reason=\"%s\" reason_ttl=\"0\"/>\n<address",
		h->up ? "up" : "down", h->reason);
	attr(f, "addr", h->addrstr);
	fprintf(f, " addrtype=\"%s\"/>\n",
		h->addr.ss_family == AF_INET6 ? "ipv6" : "ipv4");
	if (h->up || h->name)
		hostnames(f, h);
}

static int xml_host(FILE *f, const struct svd_run *run, const struct svd_host *h)
{
	if (!h->up) {
		/* Nmap writes the hosts found down at -v only. */
		if (!run->verbose || run->open_only || !h->reason)
			return 0;
		fputs("<host>", f);
		host_status(f, h);
		fputs("</host>\n", f);
		return ferror(f) ? -1 : 0;
	}
	if (!h->timed_out && svd_out_host_hidden(run, h))
		return 0;
	fprintf(f, "<host starttime=\"%lld\" endtime=\"%lld\"%s>",
		(long long)h->start.tv_sec, (long long)h->end.tv_sec,
		h->timed_out ? " timedout=\"true\"" : "");
	host_status(f, h);
	if (!h->timed_out && ports(f, run, h) < 0)
		return -1;
	/* Nmap's printtimes(): the host's RTT estimate once it has one. */
	if (h->srtt_us > 0)
		fprintf(f, "<times srtt=\"%ld\" rttvar=\"%ld\" to=\"%ld\"/>\n", h->srtt_us,
			h->rttvar_us, h->timeout_us);
	fputs("</host>\n", f);
	return ferror(f) ? -1 : 0;
}

static int xml_end(FILE *f, const struct svd_run *run)
{
	char when[64], summary[128], note[512];

	svd_out_ctime(when, sizeof when, &run->end);
	svd_out_done_summary(summary, sizeof summary, run);
	fprintf(f, "<runstats><finished time=\"%lld\"", (long long)run->end.tv_sec);
	attr(f, "timestr", when);
	fprintf(f, " summary=\"svdetect done at %s; ", when);
	xml_text(f, summary);
	fprintf(f, "\" elapsed=\"%.2f\" exit=\"%s\"", svd_out_elapsed(&run->start, &run->end),
		run->stopped ? "error" : "success");
	if (run->stopped) {
		svd_out_stopped(note, sizeof note, run);
		attr(f, "errormsg", note);
	}
	fprintf(f, "/><hosts up=\"%zu\" down=\"%zu\" total=\"%zu\"/>\n</runstats>\n</nmaprun>\n",
		run->hosts_up, run->hosts_down, run->hosts_up + run->hosts_down);
	return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

const struct svd_output_ops svd_output_xml = {
	.name = "xml",
	.suffix = ".xml",
	.begin = xml_begin,
	.host = xml_host,
	.end = xml_end,
};
