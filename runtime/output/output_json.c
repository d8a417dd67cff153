/*
 * JSON lines (-oJ): svdetect's own format, one object per line.  A "run"
 * object, then per host one "port" object per port and a "host" object,
 * then a "done" object; docs/output.md gives the schema.  Every key is
 * always present (null when unknown), so consumers need no key checks.
 * Values are those of the other formats (Nmap's sanitized fields).
 */
#include "output.h"

#include <stdlib.h>
#include <sys/socket.h>

#include "json.h"
#include "output_common.h"
#include "output_tls.h"

static void key(FILE *f, const char *k)
{
	fprintf(f, ",\"%s\":", k);
}

/* A string member; NULL and "" are written as null. */
static void str(FILE *f, const char *k, const char *v)
{
	key(f, k);
	if (v && *v)
		json_cstring(f, v);
	else
		fputs("null", f);
}

static void num(FILE *f, const char *k, long long v)
{
	key(f, k);
	fprintf(f, "%lld", v);
}

static void boolean(FILE *f, const char *k, bool v)
{
	key(f, k);
	fputs(v ? "true" : "false", f);
}

/* An array of strings stored width bytes apart. */
static void str_array(FILE *f, const char *k, const char *list, size_t width, size_t n)
{
	size_t i;

	key(f, k);
	fputc('[', f);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', f);
		json_cstring(f, list + i * width);
	}
	fputc(']', f);
}

/* The members that say which host a line is about. */
static void host_id(FILE *f, const struct svd_host *h)
{
	str(f, "addr", h->addrstr);
	str(f, "target", h->name);
	str(f, "rdns", h->rdns);
}

static int json_begin(FILE *f, const struct svd_run *run)
{
	char when[64];

	svd_out_ctime(when, sizeof when, &run->start);
	fputs("{\"type\":\"run\"", f);
	str(f, "scanner", "svdetect");
	str(f, "version", run->scanner_version);
	str(f, "args", run->args);
	num(f, "start", run->start.tv_sec);
	str(f, "startstr", when);
	num(f, "intensity", run->intensity);
	str(f, "tcp_ports", run->scan_tcp ? run->tcp_ports : NULL);
	num(f, "ntcp_ports", (long long)(run->scan_tcp ? run->ntcp_ports : 0));
	str(f, "udp_ports", run->scan_udp ? run->udp_ports : NULL);
	num(f, "nudp_ports", (long long)(run->scan_udp ? run->nudp_ports : 0));
	boolean(f, "open_only", run->open_only);
	num(f, "verbose", run->verbose);
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
}

static int fingerprint(FILE *f, const char *text)
{
	char *fp;

	if (!text) {
		str(f, "fingerprint", NULL);
		return 0;
	}
	fp = svd_out_fp_unwrapped(text);
	if (!fp)
		return -1;
	str(f, "fingerprint", fp);
	free(fp);
	return 0;
}

/* {"commonName":"a",...} in the certificate's order. */
static void name_object(FILE *f, const char *k, const struct svd_tls_name *n)
{
	size_t i;

	key(f, k);
	fputc('{', f);
	for (i = 0; i < n->n; i++) {
		if (i > 0)
			fputc(',', f);
		json_cstring(f, n->attr[i].key);
		fputc(':', f);
		json_cstring(f, n->attr[i].value);
	}
	fputc('}', f);
}

static void digest(FILE *f, const char *k, const unsigned char *d, size_t n)
{
	char hex[2 * 32 + 1];

	svd_out_hex(hex, d, n);
	str(f, k, hex);
}

/* "cert": the leaf certificate's facts, or null when the server sent none. */
static void cert_object(FILE *f, const struct svd_tls_facts *t)
{
	size_t i;

	key(f, "cert");
	if (!t->has_cert) {
		fputs("null", f);
		return;
	}
	fputs("{\"sig_alg\":", f);
	json_cstring(f, t->sig_alg);
	name_object(f, "subject", &t->subject);
	name_object(f, "issuer", &t->issuer);
	key(f, "san");
	fputc('[', f);
	for (i = 0; i < t->nsan; i++) {
		if (i > 0)
			fputc(',', f);
		json_cstring(f, t->san[i]);
	}
	fputc(']', f);
	str(f, "not_before", t->not_before);
	str(f, "not_after", t->not_after);
	str(f, "key_type", t->key_type);
	num(f, "key_bits", t->key_bits);
	str(f, "curve", t->curve);
	str(f, "rsa_exponent", t->rsa_exponent);
	digest(f, "sha256", t->sha256, sizeof t->sha256);
	digest(f, "sha1", t->sha1, sizeof t->sha1);
	digest(f, "md5", t->md5, sizeof t->md5);
	str(f, "pem", t->pem);
	fputc('}', f);
}

/* "tls": what a TLS handshake showed (docs/output.md), or null. */
static void tls(FILE *f, const struct svd_tls_facts *t)
{
	key(f, "tls");
	if (!t) {
		fputs("null", f);
		return;
	}
	fputs("{\"version\":", f);
	json_cstring(f, t->version);
	str(f, "cipher", t->cipher);
	str(f, "alpn", t->alpn);
	cert_object(f, t);
	fputc('}', f);
}

/* "rpc": what the SunRPC grinder found (docs/output.md), or null. */
static void rpc(FILE *f, const struct svd_service *svc)
{
	key(f, "rpc");
	if (!svc->rpc.found) {
		fputs("null", f);
		return;
	}
	fprintf(f, "{\"program\":%lu", (unsigned long)svc->rpc.program);
	str(f, "name", svc->name);
	num(f, "low", svc->rpc.low);
	num(f, "high", svc->rpc.high);
	fputc('}', f);
}

static int port_line(FILE *f, const struct svd_host *h, const struct svd_port *p)
{
	const struct svd_service *svc = &p->svc;
	struct svd_out_service s;
	size_t i;

	svd_out_service(&s, p);
	fputs("{\"type\":\"port\"", f);
	host_id(f, h);
	num(f, "port", p->portno);
	str(f, "proto", svd_out_proto_name(p->proto));
	str(f, "state", svd_out_state_name(p->state));
	str(f, "reason", p->reason);
	num(f, "reason_ttl", p->reason_ttl);
	str(f, "service", svc->name);
	str(f, "display", s.display);
	str(f, "product", s.v.product);
	str(f, "version", s.v.version);
	str(f, "extrainfo", s.v.info);
	str(f, "hostname", s.v.hostname);
	str(f, "ostype", s.v.ostype);
	str(f, "devicetype", s.v.devtype);
	key(f, "cpe");
	fputc('[', f);
	for (i = 0; i < s.ncpe; i++) {
		if (i > 0)
			fputc(',', f);
		json_cstring(f, s.cpe[i]);
	}
	fputc(']', f);
	str(f, "method", svc->method == SVD_METHOD_PROBED ? "probed" : "table");
	num(f, "conf", svc->conf);
	str(f, "tunnel", svc->ssl ? "ssl" : NULL);
	boolean(f, "soft", svc->soft);
	str(f, "probe", svc->probe);
	key(f, "line");
	if (svc->match)
		fprintf(f, "%u", (unsigned)svc->match->line);
	else
		fputs("null", f);
	if (fingerprint(f, svc->fingerprint) < 0)
		return -1;
	rpc(f, svc);
	tls(f, svc->tls);
	fputs("}\n", f);
	return 0;
}

static void host_line(FILE *f, const struct svd_host *h)
{
	struct svd_out_info info;

	svd_out_info(&info, h);
	fputs("{\"type\":\"host\"", f);
	host_id(f, h);
	str(f, "addrtype", h->addr.ss_family == AF_INET6 ? "ipv6" : "ipv4");
	boolean(f, "up", h->up);
	boolean(f, "timed_out", h->timed_out);
	boolean(f, "stopped_early", h->stopped_early);
	num(f, "start", h->start.tv_sec);
	num(f, "end", h->end.tv_sec);
	key(f, "srtt_us");
	if (h->srtt_us > 0)
		fprintf(f, "%ld", h->srtt_us);
	else
		fputs("null", f);
	num(f, "open", (long long)h->count[SVD_PORT_OPEN]);
	num(f, "closed", (long long)h->count[SVD_PORT_CLOSED]);
	num(f, "filtered", (long long)h->count[SVD_PORT_FILTERED]);
	num(f, "open_filtered", (long long)h->count[SVD_PORT_OPEN_FILTERED]);
	str_array(f, "info_hosts", info.hosts[0], sizeof info.hosts[0], info.nhosts);
	str_array(f, "info_ostypes", info.ostypes[0], sizeof info.ostypes[0], info.nostypes);
	str_array(f, "info_devicetypes", info.devtypes[0], sizeof info.devtypes[0],
		  info.ndevtypes);
	str_array(f, "info_cpe", info.cpes[0], sizeof info.cpes[0], info.ncpes);
	fputs("}\n", f);
}

/* Every port (with --open only those that may be open: open and
 * open|filtered, as the tables show them); none for a host that timed out. */
static int json_host(FILE *f, const struct svd_run *run, const struct svd_host *h)
{
	size_t i;

	if (h->up && !h->timed_out && svd_out_host_hidden(run, h))
		return 0;
	for (i = 0; h->up && !h->timed_out && i < h->nports; i++) {
		if (run->open_only && h->ports[i].state != SVD_PORT_OPEN &&
		    h->ports[i].state != SVD_PORT_OPEN_FILTERED)
			continue;
		if (port_line(f, h, &h->ports[i]) < 0)
			return -1;
	}
	host_line(f, h);
	return ferror(f) ? -1 : 0;
}

static int json_end(FILE *f, const struct svd_run *run)
{
	char when[64], summary[128], note[512];

	svd_out_ctime(when, sizeof when, &run->end);
	svd_out_done_summary(summary, sizeof summary, run);
	fputs("{\"type\":\"done\"", f);
	num(f, "end", run->end.tv_sec);
	str(f, "endstr", when);
	key(f, "elapsed");
	fprintf(f, "%.2f", svd_out_elapsed(&run->start, &run->end));
	num(f, "hosts_up", (long long)run->hosts_up);
	num(f, "hosts_down", (long long)run->hosts_down);
	str(f, "summary", summary);
	boolean(f, "interrupted", run->stopped != NULL);
	if (run->stopped)
		svd_out_stopped(note, sizeof note, run);
	str(f, "errormsg", run->stopped ? note : NULL);
	num(f, "hosts_unscanned", (long long)run->hosts_unscanned);
	fputs("}\n", f);
	return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

const struct svd_output_ops svd_output_json = {
	.name = "json",
	.suffix = NULL,
	.begin = json_begin,
	.host = json_host,
	.end = json_end,
};
