/* The hand-built scan results of output_samples.h. */
#include "output_samples.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The lines of Nmap 7.93's nmap-service-probes that matched in its scan. */
static const struct svd_match m_vsftpd = { .service = "ftp", .line = 789 };
static const struct svd_match m_openssh = { .service = "ssh", .line = 3525 };
static const struct svd_match m_postfix = { .service = "smtp", .line = 3137 };
static const struct svd_match m_s_server = { .service = "http", .line = 8996 };
static const struct svd_match m_postgres = { .service = "postgresql", .line = 14135, .soft = 1 };
static const struct svd_match m_ftp_soft = { .service = "ftp", .line = 1392, .soft = 1 };

/* Made-up lines for the other samples. */
static const struct svd_match m_mixed = { .service = "http", .line = 100 };
static const struct svd_match m_mixed_soft = { .service = "sip", .line = 200, .soft = 1 };

#define PROBED(nm, mt, pr) .name = nm, .method = SVD_METHOD_PROBED, .conf = 10, \
	.match = &mt, .probe = pr
#define TABLE(nm) .name = nm, .method = SVD_METHOD_TABLE, .conf = 3

/* Ports of a closed range, all with one reason. */
static size_t closed_range(struct svd_port *p, unsigned lo, unsigned hi, const char *reason)
{
	unsigned n;

	for (n = lo; n <= hi; n++)
		p[n - lo] = (struct svd_port){ .portno = (uint16_t)n, .state = SVD_PORT_CLOSED,
					       .reason = reason };
	return hi - lo + 1;
}

static char *read_fp(const char *datadir, unsigned port)
{
	char path[4096], *text;
	FILE *f;
	long len;

	snprintf(path, sizeof path, "%s/fp-%u.txt", datadir, port);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    !(text = malloc((size_t)len + 1))) {
		fclose(f);
		return NULL;
	}
	text[fread(text, 1, (size_t)len, f)] = '\0';
	fclose(f);
	return text;
}

/* Sorts the ports as the engine delivers them and counts their states. */
static int finish_host(struct svd_host *h, const struct svd_port *ports, size_t n,
		       const char *datadir)
{
	size_t i, j;
	struct svd_port t;
	bool failed = false;

	h->ports = calloc(n, sizeof *h->ports);
	if (!h->ports)
		return -1;
	memcpy(h->ports, ports, n * sizeof *ports);
	h->nports = n;
	for (i = 1; i < n; i++) {
		t = h->ports[i];
		for (j = i; j > 0 && (h->ports[j - 1].proto > t.proto ||
				      (h->ports[j - 1].proto == t.proto &&
				       h->ports[j - 1].portno > t.portno)); j--)
			h->ports[j] = h->ports[j - 1];
		h->ports[j] = t;
	}
	for (i = 0; i < n; i++) {
		struct svd_port *p = &h->ports[i];

		h->count[p->state]++;
		/* A marker: this port's fingerprint is in fp-PORT.txt. */
		if (p->svc.fingerprint && !(p->svc.fingerprint = read_fp(datadir, p->portno)))
			failed = true;
	}
	return failed ? -1 : 0;
}

static void set_addr(struct svd_host *h, const char *ip)
{
	if (strchr(ip, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&h->addr;

		a->sin6_family = AF_INET6;
		inet_pton(AF_INET6, ip, &a->sin6_addr);
		h->addrlen = sizeof *a;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&h->addr;

		a->sin_family = AF_INET;
		inet_pton(AF_INET, ip, &a->sin_addr);
		h->addrlen = sizeof *a;
	}
	snprintf(h->addrstr, sizeof h->addrstr, "%s", ip);
}

static char FP[] = "from fp-PORT.txt";

static int localhost_2026(struct svd_host *h, const char *datadir)
{
	struct svd_port p[40] = {
		{ .portno = 21, .reason = "syn-ack", .svc = { PROBED("ftp", m_vsftpd, "NULL"),
		  .v = { .product = "vsftpd", .version = "3.0.3", .ostype = "Unix",
			 .cpe_a = "cpe:/a:vsftpd:vsftpd:3.0.3" } } },
		{ .portno = 22, .reason = "syn-ack", .svc = { PROBED("ssh", m_openssh, "NULL"),
		  .v = { .product = "OpenSSH", .version = "9.2p1 Debian 2+deb12u10",
			 .info = "protocol 2.0", .ostype = "Linux",
			 .cpe_a = "cpe:/a:openbsd:openssh:9.2p1",
			 .cpe_o = "cpe:/o:linux:linux_kernel" } } },
		{ .portno = 25, .reason = "syn-ack", .svc = { PROBED("smtp", m_postfix, "NULL"),
		  .v = { .product = "Postfix smtpd", .hostname = " mail.svdetect.test",
			 .cpe_a = "cpe:/a:postfix:postfix" } } },
		{ .portno = 4443, .reason = "syn-ack", .svc = { PROBED("http", m_s_server, "GetRequest"),
		  .ssl = true, .v = { .product = "OpenSSL s_server -www httpd",
			 .info = "command line: s_server -quiet -accept 127.0.0.1:4443 -cert c.pem -key k.pem -www",
			 .cpe_a = "cpe:/a:openssl:openssl" } } },
		{ .portno = 5432, .reason = "syn-ack", .svc = { PROBED("postgresql", m_postgres, "SMBProgNeg"),
		  .soft = true, .fingerprint = FP, .v = { .product = "PostgreSQL DB",
			 .version = "9.6.0 or later", .cpe_a = "cpe:/a:postgresql:postgresql" } } },
		{ .portno = 7000, .reason = "syn-ack", .svc = { .name = "tcpwrapped",
		  .method = SVD_METHOD_PROBED, .conf = 8 } },
		{ .portno = 9000, .reason = "syn-ack", .svc = { TABLE("cslistener"), .fingerprint = FP } },
		{ .portno = 31337, .reason = "syn-ack", .svc = { TABLE("Elite"), .fingerprint = FP } },
		{ .portno = 31338, .reason = "syn-ack", .svc = { PROBED("ftp", m_ftp_soft, "NULL"),
		  .soft = true, .fingerprint = FP } },
	};
	size_t n = 9;

	n += closed_range(p + n, 1, 20, "conn-refused");
	n += closed_range(p + n, 23, 24, "conn-refused");
	n += closed_range(p + n, 26, 30, "conn-refused");
	set_addr(h, "127.0.0.1");
	h->rdns = "localhost";
	h->srtt_us = 406;
	h->rttvar_us = 626;
	h->timeout_us = 100000;
	h->up = true;
	h->start.tv_sec = 1795586897;
	h->end.tv_sec = 1795586923;
	return finish_host(h, p, n, datadir);
}

static int basic(struct sample *s, const char *datadir)
{
	s->run = (struct svd_run){
		.args = "svdetect -sV -sT -Pn -p1-30,4443,5432,7000,9000,31337,31338 -oA ref2 127.0.0.1",
		.scanner_version = "0.1", .intensity = 7,
		.start = { 1795586897, 0 }, .end = { 1795586923, 630000000 },
		.scan_tcp = true,
		.tcp_ports = "1-30,4443,5432,7000,9000,31337-31338", .ntcp_ports = 36,
		.hosts_up = 1,
	};
	s->nhosts = 1;
	s->hosts = calloc(1, sizeof *s->hosts);
	return s->hosts ? localhost_2026(&s->hosts[0], datadir) : -1;
}

/* Named, with filtered, shown closed, unnamed and UDP ports (open,
 * open|filtered and closed, with the TTLs of the answers). */
static int web1(struct svd_host *h, const char *datadir)
{
	static const struct svd_port p[] = {
		{ .portno = 80, .reason = "syn-ack", .svc = { PROBED("http", m_mixed, "GetRequest"),
		  .v = { .product = "Apache httpd", .version = "2.4.71", .info = "(Debian)",
			 .hostname = "WEB1.example.test", .ostype = "Linux",
			 .cpe_a = "cpe:/a:apache:http_server:2.4.71",
			 .cpe_o = "cpe:/o:linux:linux_kernel" } } },
		{ .portno = 443, .state = SVD_PORT_CLOSED, .reason = "conn-refused",
		  .svc = { TABLE("https") } },
		{ .portno = 2323, .reason = "syn-ack", .svc = { PROBED("telnet", m_mixed, "NULL"),
		  .v = { .product = "Cisco router telnetd", .hostname = "gw-1", .ostype = "IOS",
			 .devtype = "router", .cpe_h = "cpe:/h:cisco:2900",
			 .cpe_o = "cpe:/o:cisco:ios" } } },
		{ .portno = 5060, .reason = "syn-ack", .svc = { PROBED("sip", m_mixed_soft, "SIPOptions"),
		  .soft = true, .v = { .hostname = "gw-2", .ostype = "IOS", .devtype = "router",
			 .cpe_o = "cpe:/o:cisco:ios" } } },
		{ .portno = 8080, .state = SVD_PORT_FILTERED, .reason = "no-response",
		  .svc = { TABLE("http-proxy") } },
		{ .portno = 8443, .reason = "syn-ack" },
		{ .portno = 9999, .reason = "syn-ack", .svc = { PROBED("http", m_mixed, "GetRequest"),
		  .v = { .product = "Web/Admin \x01panel\xe9", .version = "1.0",
			 .info = "<b>&'\"--- a very long extrainfo that Nmap cuts: "
				 "0123456789012345678901234567890123456789"
				 "0123456789012345678901234567890123456789"
				 "0123456789012345678901234567890123456789",
			 .devtype = "WAP" } } },
		{ .portno = 53, .proto = SVD_UDP, .reason = "udp-response", .reason_ttl = 64,
		  .svc = { PROBED("domain", m_mixed, "DNSVersionBindReq"),
		  .v = { .product = "dnsmasq", .version = "2.89",
			 .cpe_a = "cpe:/a:thekelleys:dnsmasq:2.89" } } },
		{ .portno = 69, .proto = SVD_UDP, .state = SVD_PORT_OPEN_FILTERED,
		  .reason = "no-response", .svc = { TABLE("tftp") } },
		{ .portno = 123, .proto = SVD_UDP, .state = SVD_PORT_CLOSED, .reason = "port-unreach",
		  .reason_ttl = 63, .svc = { TABLE("ntp") } },
	};

	set_addr(h, "192.0.2.10");
	h->name = "www.example.test";
	h->rdns = "web1.example.test";
	h->srtt_us = 12345;
	h->rttvar_us = 7000;
	h->timeout_us = 1500000;
	h->up = true;
	h->start.tv_sec = 1795586900;
	h->end.tv_sec = 1795586950;
	return finish_host(h, p, sizeof p / sizeof *p, datadir);
}

/* Closed ports only, for two reasons: all of them summed up. */
static int all_closed(struct svd_host *h, const char *datadir)
{
	struct svd_port p[60];
	size_t n = closed_range(p, 1000, 1059, "conn-refused");

	p[3].reason = "reset";
	p[40].reason = "reset";
	set_addr(h, "192.0.2.40");
	h->up = true;
	h->start.tv_sec = 1795586900;
	h->end.tv_sec = 1795586901;
	return finish_host(h, p, n, datadir);
}

static int ipv6_ssh(struct svd_host *h, const char *datadir)
{
	static const struct svd_port p[] = {
		{ .portno = 22, .reason = "syn-ack", .svc = { PROBED("ssh", m_openssh, "NULL"),
		  .v = { .product = "OpenSSH", .version = "9.2p1 Debian 2+deb12u10",
			 .info = "protocol 2.0", .ostype = "Linux",
			 .cpe_a = "cpe:/a:openbsd:openssh:9.2p1",
			 .cpe_o = "cpe:/o:linux:linux_kernel" } } },
	};

	set_addr(h, "::1");
	h->name = "localhost";
	h->rdns = "localhost";
	h->srtt_us = 5;
	h->rttvar_us = 5000;
	h->timeout_us = 1500000;
	h->up = true;
	h->start.tv_sec = 1795586900;
	h->end.tv_sec = 1795586906;
	return finish_host(h, p, 1, datadir);
}

static int mixed(struct sample *s, const char *datadir)
{
	s->run = (struct svd_run){
		.args = "svdetect -v -sV -sT -sU -p T:80,443,1000-1059,2323,5060,8080,8443,9999,"
			"U:53,69,123 www.example.test 192.0.2.20 192.0.2.30 192.0.2.40 localhost",
		.scanner_version = "0.1", .intensity = 7, .verbose = 1,
		.start = { 1795586900, 0 }, .end = { 1795587000, 5000000 },
		.scan_tcp = true, .scan_udp = true,
		.tcp_ports = "80,443,1000-1059,2323,5060,8080,8443,9999", .ntcp_ports = 68,
		.udp_ports = "53,69,123", .nudp_ports = 3,
		.hosts_up = 4, .hosts_down = 1,
	};
	s->nhosts = 5;
	s->hosts = calloc(s->nhosts, sizeof *s->hosts);
	if (!s->hosts || web1(&s->hosts[0], datadir) < 0)
		return -1;
	/* Timed out, then down: neither shows ports. */
	set_addr(&s->hosts[1], "192.0.2.20");
	s->hosts[1].up = s->hosts[1].timed_out = true;
	s->hosts[1].start.tv_sec = 1795586900;
	s->hosts[1].end.tv_sec = 1795586990;
	set_addr(&s->hosts[2], "192.0.2.30");
	return all_closed(&s->hosts[3], datadir) < 0 ? -1 : ipv6_ssh(&s->hosts[4], datadir);
}

/* --open: two collapsed states, and a host without open ports left out. */
static int open_only(struct sample *s, const char *datadir)
{
	struct svd_port p[12] = {
		{ .portno = 22, .reason = "syn-ack", .svc = { PROBED("ssh", m_openssh, "NULL"),
		  .v = { .product = "OpenSSH", .version = "9.2p1 Debian 2+deb12u10",
			 .info = "protocol 2.0", .ostype = "Linux",
			 .cpe_a = "cpe:/a:openbsd:openssh:9.2p1",
			 .cpe_o = "cpe:/o:linux:linux_kernel" } } },
		{ .portno = 23, .state = SVD_PORT_FILTERED, .reason = "no-response",
		  .svc = { TABLE("telnet") } },
	};
	struct svd_port q[3];
	size_t n = 2;

	n += closed_range(p + n, 9990, 9999, "conn-refused");
	s->run = (struct svd_run){
		.args = "svdetect -sV --open -p22,23,9990-9999 127.0.0.1 192.0.2.50",
		.scanner_version = "0.1", .intensity = 7, .open_only = true,
		.start = { 1795586817, 0 }, .end = { 1795586823, 230000000 },
		.scan_tcp = true, .tcp_ports = "22-23,9990-9999", .ntcp_ports = 12, .hosts_up = 2,
	};
	s->nhosts = 2;
	s->hosts = calloc(s->nhosts, sizeof *s->hosts);
	if (!s->hosts)
		return -1;
	set_addr(&s->hosts[0], "127.0.0.1");
	s->hosts[0].rdns = "localhost";
	s->hosts[0].srtt_us = 437;
	s->hosts[0].rttvar_us = 5000;
	s->hosts[0].timeout_us = 1500000;
	s->hosts[0].up = true;
	s->hosts[0].start.tv_sec = 1795586817;
	s->hosts[0].end.tv_sec = 1795586823;
	set_addr(&s->hosts[1], "192.0.2.50");
	s->hosts[1].up = true;
	s->hosts[1].start.tv_sec = 1795586817;
	s->hosts[1].end.tv_sec = 1795586818;
	if (finish_host(&s->hosts[0], p, n, datadir) < 0)
		return -1;
	return finish_host(&s->hosts[1], q, closed_range(q, 22, 24, "conn-refused"), datadir);
}

/*
 * "tls": --tls-info at -vv.  Port 443's facts are those of a real
 * certificate (tests/data/output/tls-cert.pem); 993's server sent none;
 * 8443's are what tls_facts.c makes of a hostile certificate: escaped
 * bytes, markup, "]]>", a value cut at SVD_TLS_VALUE_MAX.
 */
static struct svd_tls_attr localhost_name[] = {
	{ "commonName", "localhost" }, { "organizationName", "svdetect test" },
	{ "countryName", "DE" },
};
static char *localhost_san[] = { "DNS:localhost", "IP Address:127.0.0.1" };
static char localhost_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIB4zCCAYmgAwIBAgIUfbI63pHJUqdgiVxpWv+BV7oQOqYwCgYIKoZIzj0EAwIw\n"
	"OTESMBAGA1UEAwwJbG9jYWxob3N0MRYwFAYDVQQKDA1zdmRldGVjdCB0ZXN0MQsw\n"
	"CQYDVQQGEwJERTAeFw0yNjEyMDcwMTA5NDNaFw0zNjEyMDQwMTA5NDNaMDkxEjAQ\n"
	"BgNVBAMMCWxvY2FsaG9zdDEWMBQGA1UECgwNc3ZkZXRlY3QgdGVzdDELMAkGA1UE\n"
	"BhMCREUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARZnaJSvI+roZnGwdKZ7LIV\n"
	"eJwlsw8GeSNnbgrveLjD5qooTpLPJlTpLESP8TlGM1OPkBuyecQqfXobbrnEK8x2\n"
	"o28wbTAdBgNVHQ4EFgQUo1xsIw9fXyTpKlccXvqhIKCFroIwHwYDVR0jBBgwFoAU\n"
	"o1xsIw9fXyTpKlccXvqhIKCFroIwDwYDVR0TAQH/BAUwAwEB/zAaBgNVHREEEzAR\n"
	"gglsb2NhbGhvc3SHBH8AAAEwCgYIKoZIzj0EAwIDSAAwRQIgSoM7MLW/f30hpJLY\n"
	"zkLIbHVEn5H+3qn8InvGTUtQvDUCIQDjUZ1qxQx2JIXPoq239btzDNHqsWT8Cvyv\n"
	"hjTTA78Hnw==\n"
	"-----END CERTIFICATE-----\n";
static struct svd_tls_facts localhost_tls = {
	.version = "TLSv1.3", .cipher = "TLS_AES_256_GCM_SHA384", .alpn = "http/1.1",
	.has_cert = true,
	.subject = { localhost_name, 3 }, .issuer = { localhost_name, 3 },
	.san = localhost_san, .nsan = 2,
	.not_before = "2026-12-07T01:09:43", .not_after = "2036-12-04T01:09:43",
	.key_type = "ec", .key_bits = 256, .curve = "prime256v1",
	.sig_alg = "ecdsa-with-SHA256",
	.sha256 = { 0xcf, 0xd8, 0xa2, 0x1f, 0xef, 0x87, 0xb0, 0x64, 0xba, 0xb3, 0xec,
		    0xb9, 0x51, 0x00, 0x99, 0x91, 0x20, 0x74, 0x91, 0x3e, 0x4b, 0x06,
		    0x5d, 0xa1, 0xc9, 0xbc, 0xe2, 0x83, 0xe3, 0x1d, 0xe4, 0xc3 },
	.sha1 = { 0x3e, 0x79, 0x5e, 0xb4, 0xce, 0x15, 0x11, 0xe1, 0x8e, 0xdd,
		  0xb7, 0x6d, 0xfe, 0x70, 0x51, 0xa2, 0x44, 0xdc, 0x02, 0x5e },
	.md5 = { 0x9a, 0xec, 0x0b, 0x3f, 0x27, 0x5a, 0xfd, 0x50,
		 0xf5, 0xaf, 0xe7, 0xaf, 0x36, 0xf6, 0xb4, 0xc4 },
	.pem = localhost_pem,
};
static struct svd_tls_facts no_cert_tls = {
	.version = "TLSv1.2", .cipher = "ADH-AES256-GCM-SHA384",
};
static struct svd_tls_attr hostile_subject[] = {
	{ "commonName", "evil\"<&]]>\\0\\x1b[31m--x'" },
	{ "organizationName", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA..." },
	{ "1.2.3.4.5", "\\r\\n| injected: line" },
};
static struct svd_tls_attr hostile_issuer[] = { { "commonName", "<!-- -->" } };
static char *hostile_san[] = { "DNS:a<b>&c\"d", "email:x@y]]>", "DNS:.\\x00." };
static struct svd_tls_facts hostile_tls = {
	.version = "TLSv1.2", .cipher = "ECDHE-RSA-AES128-GCM-SHA256", .alpn = "h2\\x00",
	.has_cert = true,
	.subject = { hostile_subject, 3 }, .issuer = { hostile_issuer, 1 },
	.san = hostile_san, .nsan = 3,
	.not_after = "2030-01-01T00:00:00",
	.key_type = "ed25519", .key_bits = 256, .sig_alg = "ED25519",
};

static int tls_ports(struct sample *s, const char *datadir)
{
	static const struct svd_match m_nginx = { .service = "http", .line = 300 };
	struct svd_port p[] = {
		{ .portno = 443, .reason = "syn-ack", .svc = { PROBED("http", m_nginx, "GetRequest"),
		  .ssl = true, .v = { .product = "nginx", .cpe_a = "cpe:/a:igor_sysoev:nginx" },
		  .tls = &localhost_tls } },
		{ .portno = 993, .reason = "syn-ack", .svc = { TABLE("imaps"), .tls = &no_cert_tls } },
		{ .portno = 8443, .reason = "syn-ack", .svc = { TABLE("https-alt"),
		  .tls = &hostile_tls } },
	};

	s->run = (struct svd_run){
		.args = "svdetect -vv -sV --tls-info -p443,993,8443 127.0.0.1",
		.scanner_version = "0.1", .intensity = 7, .verbose = 2, .tls_info = true,
		.start = { 1795586817, 0 }, .end = { 1795586829, 500000000 },
		.scan_tcp = true, .tcp_ports = "443,993,8443", .ntcp_ports = 3, .hosts_up = 1,
	};
	s->nhosts = 1;
	s->hosts = calloc(s->nhosts, sizeof *s->hosts);
	if (!s->hosts)
		return -1;
	set_addr(&s->hosts[0], "127.0.0.1");
	s->hosts[0].up = true;
	s->hosts[0].start.tv_sec = 1795586817;
	s->hosts[0].end.tv_sec = 1795586829;
	return finish_host(&s->hosts[0], p, sizeof p / sizeof *p, datadir);
}

/*
 * "rpc": Nmap 7.93's scan of rpcbind and rpc.statd (nmap-7.93-rpc.*),
 * field for field: both ports named by the RPC grinder.
 */
static int rpc_ports(struct sample *s, const char *datadir)
{
	static const struct svd_match m_rpcbind = { .service = "rpcbind", .line = 12287 };
	struct svd_port p[] = {
		{ .portno = 111, .reason = "syn-ack", .svc = { PROBED("rpcbind", m_rpcbind, "RPCCheck"),
		  .v = { .version = "2-4", .info = "RPC #100000" },
		  .rpc = { .found = true, .program = 100000, .low = 2, .high = 4 } } },
		{ .portno = 4001, .reason = "syn-ack", .svc = { PROBED("status", m_rpcbind, "RPCCheck"),
		  .v = { .version = "1", .info = "RPC #100024" },
		  .rpc = { .found = true, .program = 100024, .low = 1, .high = 1 } } },
	};

	s->run = (struct svd_run){
		.args = "svdetect -sV -sT -Pn -p111,4001 -oA rpc 127.0.0.1",
		.scanner_version = "0.1", .intensity = 7,
		.start = { 1796645043, 420000000 }, .end = { 1796645050, 0 },
		.scan_tcp = true, .tcp_ports = "111,4001", .ntcp_ports = 2, .hosts_up = 1,
	};
	s->nhosts = 1;
	s->hosts = calloc(s->nhosts, sizeof *s->hosts);
	if (!s->hosts)
		return -1;
	set_addr(&s->hosts[0], "127.0.0.1");
	s->hosts[0].rdns = "localhost";
	s->hosts[0].srtt_us = 207;
	s->hosts[0].rttvar_us = 3790;
	s->hosts[0].timeout_us = 100000;
	s->hosts[0].up = true;
	s->hosts[0].start.tv_sec = 1796645044;
	s->hosts[0].end.tv_sec = 1796645050;
	return finish_host(&s->hosts[0], p, sizeof p / sizeof *p, datadir);
}

int sample_build(struct sample *s, const char *name, const char *datadir)
{
	static const struct {
		const char *name;
		int (*build)(struct sample *, const char *);
	} samples[] = { { "basic", basic }, { "mixed", mixed }, { "open", open_only },
		      { "tls", tls_ports }, { "rpc", rpc_ports } };
	size_t i, j;

	memset(s, 0, sizeof *s);
	s->name = name;
	for (i = 0; i < sizeof samples / sizeof *samples; i++)
		if (strcmp(name, samples[i].name) == 0) {
			int rc = samples[i].build(s, datadir);

			/* Scans as with -Pn, as Nmap's files beside them. */
			for (j = 0; j < s->nhosts; j++)
				if (s->hosts[j].up)
					s->hosts[j].reason = "user-set";
			return rc;
		}
	return -1;
}

void sample_tls_port(struct sample *s, struct svd_tls_facts *f)
{
	static const char args[] = "svdetect -vv -sV --tls-info -p443 127.0.0.1";

	memset(s, 0, sizeof *s);
	s->name = "tls-port";
	s->run = (struct svd_run){ .args = args, .scanner_version = "0.1", .verbose = 2,
				   .tls_info = true, .hosts_up = 1 };
	s->port = (struct svd_port){ .portno = 443, .state = SVD_PORT_OPEN, .reason = "syn-ack",
				     .svc = { TABLE("https"), .tls = f } };
	set_addr(&s->host, "127.0.0.1");
	s->host.up = true;
	s->host.reason = "user-set";
	s->host.ports = &s->port;
	s->host.nports = 1;
	s->host.count[SVD_PORT_OPEN] = 1;
	s->hosts = &s->host;
	s->nhosts = 1;
}

void sample_free(struct sample *s)
{
	size_t i, j;

	if (s->hosts == &s->host)
		return;
	for (i = 0; s->hosts && i < s->nhosts; i++) {
		for (j = 0; j < s->hosts[i].nports; j++)
			free(s->hosts[i].ports[j].svc.fingerprint);
		free(s->hosts[i].ports);
	}
	free(s->hosts);
	s->hosts = NULL;
}

int sample_write(const struct sample *s, const struct svd_output_ops *ops, FILE *f)
{
	size_t i;

	if (ops->begin(f, &s->run) < 0)
		return -1;
	for (i = 0; i < s->nhosts; i++)
		if (ops->host(f, &s->run, &s->hosts[i]) < 0)
			return -1;
	return ops->end(f, &s->run);
}

const struct svd_output_ops *sample_format(const char *name)
{
	static const struct svd_output_ops *const all[] = {
		&svd_output_normal, &svd_output_interactive, &svd_output_xml,
		&svd_output_grepable, &svd_output_json,
	};
	size_t i;

	for (i = 0; i < sizeof all / sizeof *all; i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}
