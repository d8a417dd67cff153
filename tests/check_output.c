/*
 * Unit tests of the output formats: every format of every sample scan
 * (tests/output_samples.h) against its golden file in tests/data/output/,
 * and the shared rules of output_common.h on their edge cases.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output_common.h"
#include "output_samples.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n;
	FILE *out;

	if (!f)
		return NULL;
	out = open_memstream(&buf, &cap);
	ck_assert_ptr_nonnull(out);
	while (!feof(f)) {
		char chunk[4096];

		n = fread(chunk, 1, sizeof chunk, f);
		fwrite(chunk, 1, n, out);
	}
	fclose(f);
	fclose(out);
	*len = cap;
	return buf;
}

static char *render(const char *sample, const char *format, size_t *len)
{
	const struct svd_output_ops *ops = sample_format(format);
	struct sample s;
	char *buf;
	FILE *out;

	ck_assert_ptr_nonnull(ops);
	ck_assert_int_eq(sample_build(&s, sample, OUTPUT_DATA), 0);
	out = open_memstream(&buf, len);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(sample_write(&s, ops, out), 0);
	fclose(out);
	sample_free(&s);
	return buf;
}

/* The first differing line, for a readable failure. */
static void assert_same_text(const char *want, size_t wlen, const char *got,
			     size_t glen, const char *what)
{
	size_t i = 0, line = 1, start = 0;

	while (i < wlen && i < glen && want[i] == got[i]) {
		if (want[i] == '\n') {
			line++;
			start = i + 1;
		}
		i++;
	}
	if (i == wlen && i == glen)
		return;
	ck_abort_msg("%s differs at line %zu:\nwant: %.120s\ngot:  %.120s", what,
		     line, want + start, got + start);
}

static const struct {
	const char *sample, *format, *suffix;
} goldens[] = {
	{ "basic", "normal", "nmap" }, { "basic", "interactive", "stdout" },
	{ "basic", "xml", "xml" }, { "basic", "grepable", "gnmap" },
	{ "basic", "json", "jsonl" },
	{ "mixed", "normal", "nmap" }, { "mixed", "interactive", "stdout" },
	{ "mixed", "xml", "xml" }, { "mixed", "grepable", "gnmap" },
	{ "mixed", "json", "jsonl" },
	{ "open", "normal", "nmap" }, { "open", "interactive", "stdout" },
	{ "open", "xml", "xml" }, { "open", "grepable", "gnmap" },
	{ "open", "json", "jsonl" },
	{ "tls", "normal", "nmap" }, { "tls", "interactive", "stdout" },
	{ "tls", "xml", "xml" }, { "tls", "grepable", "gnmap" },
	{ "tls", "json", "jsonl" },
	{ "rpc", "normal", "nmap" }, { "rpc", "interactive", "stdout" },
	{ "rpc", "xml", "xml" }, { "rpc", "grepable", "gnmap" },
	{ "rpc", "json", "jsonl" },
};

START_TEST(golden)
{
	char path[4096], *want, *got;
	size_t wlen, glen;

	snprintf(path, sizeof path, "%s/%s.%s", OUTPUT_DATA, goldens[_i].sample,
		 goldens[_i].suffix);
	want = slurp(path, &wlen);
	if (!want)
		ck_abort_msg("cannot read %s", path);
	got = render(goldens[_i].sample, goldens[_i].format, &glen);
	assert_same_text(want, wlen, got, glen, path);
	free(want);
	free(got);
}
END_TEST

/* A write error reaches the caller: /dev/full refuses every byte. */
START_TEST(write_error)
{
	const struct svd_output_ops *ops = sample_format(goldens[_i].format);
	struct sample s;
	FILE *full = fopen("/dev/full", "w");

	if (!full)
		return;
	ck_assert_int_eq(sample_build(&s, goldens[_i].sample, OUTPUT_DATA), 0);
	errno = 0;
	ck_assert_int_eq(sample_write(&s, ops, full), -1);
	ck_assert_int_eq(errno, ENOSPC);
	sample_free(&s);
	fclose(full);
}
END_TEST

/* Renders a sample in format after changing it with edit. */
static char *render_sample_edited(const char *sample, const char *format,
				  void (*edit)(struct sample *s))
{
	struct sample s;
	char *buf;
	size_t len;
	FILE *out;

	ck_assert_int_eq(sample_build(&s, sample, OUTPUT_DATA), 0);
	edit(&s);
	out = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(sample_write(&s, sample_format(format), out), 0);
	fclose(out);
	sample_free(&s);
	return buf;
}

static char *render_edited(const char *format, void (*edit)(struct sample *s))
{
	return render_sample_edited("basic", format, edit);
}

static void interrupt(struct sample *s)
{
	s->run.stopped = "interrupted by SIGINT";
	s->run.hosts_unscanned = 3;
}

/* A scan stopped early says so in every format, each closed properly. */
START_TEST(stopped_early)
{
	static const struct {
		const char *format, *want;
	} cases[] = {
		{ "normal", "\n# svdetect stopped early: interrupted by SIGINT; 3 IP addresses "
			    "not scanned\n# svdetect done at " },
		{ "grepable", "\n# svdetect stopped early: interrupted by SIGINT; 3 IP addresses "
			      "not scanned\n# svdetect done at " },
		{ "interactive", "\nsvdetect stopped early: interrupted by SIGINT; 3 IP addresses "
				 "not scanned\nsvdetect done: 1 IP address (1 host up)" },
		{ "xml", " exit=\"error\" errormsg=\"interrupted by SIGINT; 3 IP addresses "
			 "not scanned\"/><hosts up=\"1\" down=\"0\" total=\"1\"/>" },
		{ "json", ",\"interrupted\":true,\"errormsg\":\"interrupted by SIGINT; 3 IP "
			  "addresses not scanned\",\"hosts_unscanned\":3}\n" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = render_edited(cases[i].format, interrupt);

		ck_assert_msg(strstr(got, cases[i].want), "%s lacks: %s", cases[i].format,
			      cases[i].want);
		free(got);
	}
}
END_TEST

static void hostile_names(struct sample *s)
{
	s->hosts[0].name = "user\x1b]0;pwned\x07\r";
	s->hosts[0].rdns = "ptr\x1b[2J\x9b";
}

/* Names from a target file or the DNS reach no output raw. */
START_TEST(names_escaped)
{
	static const char *const formats[] = { "normal", "interactive", "grepable", "xml", "json" };
	size_t i;

	for (i = 0; i < sizeof formats / sizeof *formats; i++) {
		char *got = render_edited(formats[i], hostile_names);
		const unsigned char *p;

		ck_assert_msg(strstr(got, "pwned") || strstr(got, "ptr"), "%s: no name", formats[i]);
		for (p = (const unsigned char *)got; *p; p++)
			ck_assert_msg((*p >= 0x20 && *p < 0x7f) || *p == '\n' || *p == '\t',
				      "%s: raw byte 0x%02x", formats[i], *p);
		free(got);
	}
}
END_TEST

static void with_reason(struct sample *s)
{
	s->run.reason = true;
}

/* --reason: Nmap's REASON column between SERVICE and VERSION, and why the
 * host is up (-Pn: the user says so); absent without it. */
START_TEST(reason_column)
{
	static const char *const formats[] = { "normal", "interactive" };
	static const char *const want[] = {
		"\nHost is up, received user-set (0.00041s latency).\n",
		"\nPORT      STATE SERVICE     REASON  VERSION\n",
		"\n21/tcp    open  ftp         syn-ack vsftpd 3.0.3\n",
		"\n7000/tcp  open  tcpwrapped  syn-ack\n",
	};
	size_t i, j;

	for (i = 0; i < sizeof formats / sizeof *formats; i++) {
		char *got = render_edited(formats[i], with_reason);

		for (j = 0; j < sizeof want / sizeof *want; j++)
			ck_assert_msg(strstr(got, want[j]), "%s lacks: %s", formats[i], want[j]);
		free(got);
		got = render("basic", formats[i], &j);
		ck_assert_msg(!strstr(got, "REASON") && !strstr(got, "received"),
			      "%s: reasons without --reason", formats[i]);
		free(got);
	}
}
END_TEST

START_TEST(latency_two_digits)
{
	static const struct {
		long us;
		const char *s;
	} cases[] = {
		{ 34, "0.000034" }, { 406, "0.00041" }, { 445, "0.00045" },
		{ 995, "0.00100" }, { 5, "0.0000050" }, { 12345, "0.012" },
		{ 1000000, "1.0" }, { 12345678, "12" }, { 123456789, "120" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		svd_out_latency(buf, sizeof buf, cases[i].us);
		ck_assert_str_eq(buf, cases[i].s);
	}
}
END_TEST

static struct svd_out_service service_of(const struct svd_port *p)
{
	struct svd_out_service s;

	svd_out_service(&s, p);
	return s;
}

START_TEST(fullversion_cut)
{
	struct svd_port p = { .state = SVD_PORT_OPEN };
	struct svd_out_service s;
	size_t len;

	/* Product and version fill the buffer: extrainfo is dropped. */
	memset(p.svc.v.product, 'p', SVD_CAP_PRODUCT - 1);
	memset(p.svc.v.version, 'v', SVD_CAP_VERSION - 1);
	strcpy(p.svc.v.info, "dropped");
	s = service_of(&p);
	ck_assert_uint_eq(strlen(s.fullversion), SVD_OUT_FULLVERSION - 1);
	ck_assert_ptr_null(strchr(s.fullversion, '('));

	/* A long extrainfo is cut inside its parentheses. */
	memset(&p.svc.v, 0, sizeof p.svc.v);
	strcpy(p.svc.v.product, "A");
	memset(p.svc.v.info, 'x', 200);
	s = service_of(&p);
	len = strlen(s.fullversion);
	ck_assert_uint_eq(len, SVD_OUT_FULLVERSION - 1);
	ck_assert_str_eq(s.fullversion + len - 4, "...)");
	ck_assert(strncmp(s.fullversion, "A (xxx", 6) == 0);
}
END_TEST

START_TEST(service_names)
{
	struct svd_port p = { .state = SVD_PORT_OPEN,
			      .svc = { .name = "http", .conf = 3, .ssl = true } };

	ck_assert_str_eq(service_of(&p).display, "ssl/http?");
	p.svc.conf = 10;
	ck_assert_str_eq(service_of(&p).display, "ssl/http");
	p.state = SVD_PORT_CLOSED;
	p.svc.conf = 3;
	ck_assert_str_eq(service_of(&p).display, "ssl/http");
	p.svc.name[0] = '\0';
	ck_assert_str_eq(service_of(&p).display, "ssl/unknown");
	ck_assert(service_of(&p).known);
	p.svc.ssl = false;
	ck_assert(!service_of(&p).known);
	/* Too long for Nmap's 64-byte buffer: no name at all. */
	memset(p.svc.name, 'n', sizeof p.svc.name - 1);
	p.svc.ssl = true;
	ck_assert_str_eq(service_of(&p).display, "");
}
END_TEST

/* Equal counts come out the group seen last first; more ports first. */
START_TEST(reason_order)
{
	struct svd_port ports[] = {
		{ .portno = 1, .state = SVD_PORT_CLOSED, .reason = "reset" },
		{ .portno = 2, .state = SVD_PORT_CLOSED, .reason = "reset" },
		{ .portno = 3, .state = SVD_PORT_CLOSED, .reason = "conn-refused" },
		{ .portno = 4, .state = SVD_PORT_CLOSED, .reason = "conn-refused" },
		{ .portno = 5, .state = SVD_PORT_CLOSED, .reason = "port-unreach" },
		{ .portno = 7, .proto = SVD_UDP, .state = SVD_PORT_CLOSED, .reason = "port-unreach" },
		{ .portno = 8, .proto = SVD_UDP, .state = SVD_PORT_CLOSED, .reason = "port-unreach" },
		{ .portno = 9, .proto = SVD_UDP, .state = SVD_PORT_CLOSED, .reason = "port-unreach" },
	};
	struct svd_host h = { .ports = ports, .nports = 8 };
	struct svd_out_reason *r;
	size_t n;

	r = svd_out_reasons(&h, SVD_PORT_CLOSED, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(r[0].reason, "port-unreach");
	ck_assert_uint_eq(r[0].proto, SVD_UDP);
	ck_assert_str_eq(r[1].reason, "conn-refused");
	ck_assert_str_eq(r[2].reason, "reset");
	ck_assert_str_eq(r[3].reason, "port-unreach");
	ck_assert_uint_eq(r[3].proto, SVD_TCP);
	free(r);
	r = svd_out_reasons(&h, SVD_PORT_OPEN, &n);
	ck_assert_ptr_null(r);
	ck_assert_uint_eq(n, 0);
}
END_TEST

/* Nmap keeps five values per Service Info field. */
START_TEST(service_info_limit)
{
	static const char *const os[] = { "A", "B", "a", "B", "C", "D", "E", "F" };
	struct svd_port ports[8];
	struct svd_host h = { .ports = ports, .nports = 8, .rdns = "Box" };
	struct svd_out_info info;
	size_t i;

	memset(ports, 0, sizeof ports);
	for (i = 0; i < 8; i++) {
		strcpy(ports[i].svc.v.ostype, os[i]);
		strcpy(ports[i].svc.v.hostname, i < 2 ? "box" : os[i]);
	}
	svd_out_info(&info, &h);
	ck_assert_uint_eq(info.nostypes, 5);
	ck_assert_str_eq(info.ostypes[2], "a");
	ck_assert_str_eq(info.ostypes[4], "D");
	/* Hostnames compare without case, and the PTR name is left out. */
	ck_assert_uint_eq(info.nhosts, 5);
	ck_assert_str_eq(info.hosts[0], "a");
	ck_assert_str_eq(info.hosts[1], "B");
	ck_assert_str_eq(info.hosts[2], "C");
}
END_TEST

static void tls_quiet(struct sample *s)
{
	s->run.verbose = 0;
}

static void tls_off(struct sample *s)
{
	s->run.tls_info = false;
}

/* Without -v, ssl-cert shows the subject, the names and the validity only. */
START_TEST(ssl_cert_not_verbose)
{
	static const char want[] =
		"443/tcp  open  ssl/http   nginx\n"
		"| ssl-cert: Subject: commonName=localhost/organizationName=svdetect test/"
		"countryName=DE\n"
		"| Subject Alternative Name: DNS:localhost, IP Address:127.0.0.1\n"
		"| Not valid before: 2026-12-07T01:09:43\n"
		"|_Not valid after:  2036-12-04T01:09:43\n"
		"993/tcp  open  imaps?\n";
	char *got = render_sample_edited("tls", "normal", tls_quiet);

	ck_assert_msg(strstr(got, want), "got:\n%s", got);
	free(got);
}
END_TEST

/* Without --tls-info the facts are in JSON only, as Nmap's -sV shows none. */
START_TEST(tls_info_off)
{
	static const char *const formats[] = { "normal", "interactive", "grepable", "xml" };
	char *got;
	size_t i;

	for (i = 0; i < sizeof formats / sizeof *formats; i++) {
		got = render_sample_edited("tls", formats[i], tls_off);
		ck_assert_msg(!strstr(got, "ssl-cert") && !strstr(got, "localhost"),
			      "%s shows facts:\n%s", formats[i], got);
		free(got);
	}
	got = render_sample_edited("tls", "json", tls_off);
	ck_assert_ptr_nonnull(strstr(got, ",\"tls\":{\"version\":\"TLSv1.3\""));
	free(got);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("formats");
	size_t n = sizeof goldens / sizeof *goldens;

	setenv("TZ", "UTC", 1);
	tcase_add_loop_test(tc, golden, 0, (int)n);
	tcase_add_loop_test(tc, write_error, 0, (int)n);
	suite_add_tcase(s, tc);
	tc = tcase_create("common");
	tcase_add_test(tc, stopped_early);
	tcase_add_test(tc, names_escaped);
	tcase_add_test(tc, latency_two_digits);
	tcase_add_test(tc, fullversion_cut);
	tcase_add_test(tc, service_names);
	tcase_add_test(tc, reason_order);
	tcase_add_test(tc, service_info_limit);
	tcase_add_test(tc, ssl_cert_not_verbose);
	tcase_add_test(tc, tls_info_off);
	tcase_add_test(tc, reason_column);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
