/*
 * Unit tests of the scanner's command line: targets, ports, options.
 * No test sends a packet; the only name looked up is "localhost".
 */
#include <check.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exclude.h"
#include "options.h"
#include "ports.h"
#include "sigdb.h"
#include "targets.h"
#include "temp_file.h"

#define MINI TEST_DATA "/services-mini"
#define ARGV(...) ((char *[]){ "svdetect", __VA_ARGS__, NULL })

/* --- helpers --------------------------------------------------------------- */

static char *slurp(FILE *f)
{
	char *buf;
	size_t len;
	FILE *out = open_memstream(&buf, &len);
	int c;

	ck_assert_ptr_nonnull(out);
	rewind(f);
	while ((c = getc(f)) != EOF)
		fputc(c, out);
	fclose(out);
	return buf;
}

/* The targets' numeric addresses as a walk gives them, space-separated,
 * names as name=addr; and the walk gives as many as it counts. */
/* The targets a walk gives, as scanner.c's walk: those a resumed
 * run's file has not done (resume non-NULL), as many as counted. */
static char *walk_str(const struct svd_targets *t, struct svd_resume *resume)
{
	char *buf;
	size_t len;
	uint64_t n = 0;
	FILE *out = open_memstream(&buf, &len);
	struct svd_targets_cursor c;
	struct svd_target tg;

	ck_assert_ptr_nonnull(out);
	svd_targets_begin(&c, t);
	while (svd_targets_next(&c, &tg)) {
		char host[NI_MAXHOST];

		if (resume && svd_resume_skip(resume, (const struct sockaddr *)&tg.addr))
			continue;
		ck_assert_int_eq(getnameinfo((const struct sockaddr *)&tg.addr, tg.addrlen,
					     host, sizeof host, NULL, 0, NI_NUMERICHOST), 0);
		fprintf(out, "%s%s%s%s", n++ ? " " : "", tg.name ? tg.name : "",
			tg.name ? "=" : "", host);
	}
	ck_assert(!svd_targets_next(&c, &tg));
	ck_assert_uint_eq(n, resume ? resume->nleft : svd_targets_count(t));
	fclose(out);
	return buf;
}

static char *targets_str(const struct svd_targets *t)
{
	return walk_str(t, NULL);
}

static void expect_targets(int family, const char *spec, const char *want)
{
	struct svd_targets t;
	char err[256], *got;

	svd_targets_init(&t, family, false);
	if (svd_targets_add(&t, spec, err, sizeof err))
		ck_abort_msg("'%s': %s", spec, err);
	got = targets_str(&t);
	ck_assert_msg(strcmp(got, want) == 0, "'%s': got '%s', want '%s'", spec, got, want);
	free(got);
	svd_targets_free(&t);
}

static void expect_target_error(int family, const char *spec, const char *why)
{
	struct svd_targets t;
	char err[256] = "";

	svd_targets_init(&t, family, false);
	ck_assert_msg(svd_targets_add(&t, spec, err, sizeof err) == -1, "'%s' accepted", spec);
	ck_assert_msg(strstr(err, why) != NULL, "'%s': '%s' lacks '%s'", spec, err, why);
	ck_assert_msg(strncmp(err, "bad target '", 12) == 0, "'%s': '%s'", spec, err);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_uint_eq(t.count, 0);
	svd_targets_free(&t);
}

static void load_mini(struct svd_services *s)
{
	ck_assert_int_eq(svd_services_load(s, MINI), 0);
}

static char *portlist_str(const struct svd_portlist *pl)
{
	char *tcp = svd_ports_format(pl->tcp, pl->ntcp);
	char *udp = svd_ports_format(pl->udp, pl->nudp);
	char *s = malloc(strlen(tcp) + strlen(udp) + 8);

	sprintf(s, "T:%s U:%s", tcp, udp);
	free(tcp);
	free(udp);
	return s;
}

/* spec read for a scan of protos gives the ports want ("T:22 U:53"). */
static void expect_ports_for(const struct svd_services *s, unsigned protos, const char *spec,
			     const char *want)
{
	struct svd_portlist pl;
	char err[256], *got;

	if (svd_ports_parse(&pl, spec, protos, s, err, sizeof err))
		ck_abort_msg("'%s': %s", spec, err);
	got = portlist_str(&pl);
	ck_assert_msg(strcmp(got, want) == 0, "'%s': got '%s', want '%s'", spec, got, want);
	free(got);
	svd_portlist_free(&pl);
}

static void expect_ports(const struct svd_services *s, const char *spec, const char *want)
{
	expect_ports_for(s, SVD_SCAN_TCP, spec, want);
}

static void expect_port_error(const struct svd_services *s, const char *spec, const char *why)
{
	struct svd_portlist pl;
	char err[256] = "";

	ck_assert_msg(svd_ports_parse(&pl, spec, SVD_SCAN_TCP, s, err, sizeof err) == -1, "'%s' accepted", spec);
	ck_assert_msg(strstr(err, why) != NULL, "'%s': '%s' lacks '%s'", spec, err, why);
	ck_assert_ptr_null(pl.tcp);
	ck_assert_ptr_null(pl.udp);
}

static int argv_count(char **argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

/* Parses argv with stderr captured into *errtext (caller frees). */
static int parse_captured(struct svd_opts *o, char **argv, char **errtext)
{
	FILE *tmp = tmpfile();
	int saved = dup(2), rc;

	ck_assert_ptr_nonnull(tmp);
	ck_assert_int_ge(saved, 0);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	rc = svd_opts_parse(o, argv_count(argv), argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	*errtext = slurp(tmp);
	fclose(tmp);
	return rc;
}

static void opts_ok(struct svd_opts *o, char **argv)
{
	char *errtext;
	int rc = parse_captured(o, argv, &errtext);

	ck_assert_msg(rc == 0, "rc %d: %s", rc, errtext);
	ck_assert_str_eq(errtext, "");
	free(errtext);
}

/* Exit status 2 and exactly one line "svdetect: ...why...". */
static void opts_fail(char **argv, const char *why)
{
	struct svd_opts o;
	char *errtext, *nl;
	int rc = parse_captured(&o, argv, &errtext);

	ck_assert_msg(rc == 2, "rc %d for %s... (want an error with '%s')", rc, argv[1], why);
	ck_assert_msg(strncmp(errtext, "svdetect: ", 10) == 0, "'%s'", errtext);
	nl = strchr(errtext, '\n');
	ck_assert_msg(nl && nl[1] == '\0', "not one line: '%s'", errtext);
	ck_assert_msg(strstr(errtext, why) != NULL, "'%s' lacks '%s'", errtext, why);
	free(errtext);
	/* Parsing freed everything; freeing again must be harmless. */
	svd_opts_free(&o);
	ck_assert_ptr_null(o.args);
}

/* --- targets ------------------------------------------------------------------ */

START_TEST(target_ipv4)
{
	expect_targets(AF_INET, "127.0.0.1", "127.0.0.1");
	expect_targets(AF_INET, "10.20.30.40", "10.20.30.40");
	expect_targets(AF_INET, "0.0.0.0", "0.0.0.0");
	expect_targets(AF_INET, "255.255.255.255", "255.255.255.255");
}
END_TEST

START_TEST(target_octet_ranges)
{
	expect_targets(AF_INET, "127.0.0.1-5",
		       "127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5");
	/* the last octet varies fastest */
	expect_targets(AF_INET, "127.0.0-1.1,3", "127.0.0.1 127.0.0.3 127.0.1.1 127.0.1.3");
	/* an octet's values ascend and repeat once, as in Nmap */
	expect_targets(AF_INET, "127.0.0.5,1,3-4,4", "127.0.0.1 127.0.0.3 127.0.0.4 127.0.0.5");
	expect_targets(AF_INET, "127.0.0.-2", "127.0.0.0 127.0.0.1 127.0.0.2");
	expect_targets(AF_INET, "127.0.0.254-", "127.0.0.254 127.0.0.255");
	expect_targets(AF_INET, "127.0.0.7-7", "127.0.0.7");
	expect_targets(AF_INET, "127.0.0,1.009", "127.0.0.9 127.0.1.9");
}
END_TEST

START_TEST(target_octet_wildcards)
{
	struct svd_targets t;
	char err[256];

	svd_targets_init(&t, AF_INET, false);
	ck_assert_int_eq(svd_targets_add(&t, "127.0.0.*", err, sizeof err), 0);
	ck_assert_uint_eq(svd_targets_count(&t), 256);
	ck_assert_int_eq(svd_targets_add(&t, "127.1.-.1-2", err, sizeof err), 0);
	ck_assert_uint_eq(svd_targets_count(&t), 256 + 512);
	svd_targets_free(&t);
}
END_TEST

START_TEST(target_cidr)
{
	expect_targets(AF_INET, "10.0.0.1/30", "10.0.0.0 10.0.0.1 10.0.0.2 10.0.0.3");
	expect_targets(AF_INET, "10.0.0.1/32", "10.0.0.1");
	expect_targets(AF_INET, "10.0.0.255/31", "10.0.0.254 10.0.0.255");
	expect_targets(AF_INET, "10.0.255.255/29", "10.0.255.248 10.0.255.249 10.0.255.250 "
		       "10.0.255.251 10.0.255.252 10.0.255.253 10.0.255.254 10.0.255.255");
}
END_TEST

START_TEST(target_names)
{
	expect_targets(AF_INET, "localhost", "localhost=127.0.0.1");
	/* only the name's own address carries the name */
	expect_targets(AF_INET, "localhost/31", "127.0.0.0 localhost=127.0.0.1");
}
END_TEST

START_TEST(target_errors)
{
	expect_target_error(AF_INET, "", "empty");
	expect_target_error(AF_INET, "127.0.0.256", "0-255");
	expect_target_error(AF_INET, "127.0.0.1000", "0-255");
	expect_target_error(AF_INET, "127.0.0.5-3", "reversed");
	expect_target_error(AF_INET, "127.0..1", "empty octet");
	expect_target_error(AF_INET, "127.0.0.", "empty octet");
	expect_target_error(AF_INET, "127.0.0.1,", "empty item");
	expect_target_error(AF_INET, "127.0.0.1,,2", "empty item");
	expect_target_error(AF_INET, "127.0.0.*5", "0-255");
	expect_target_error(AF_INET, "127.0.0.1-2-3", "0-255");
	expect_target_error(AF_INET, "127.0.0.1/33", "prefix length must be 0-32");
	expect_target_error(AF_INET, "127.0.0.1/", "prefix length must be 0-32");
	expect_target_error(AF_INET, "127.0.0.1/x", "prefix length must be 0-32");
	expect_target_error(AF_INET, "127.0.0.1/-1", "prefix length must be 0-32");
	expect_target_error(AF_INET, "/24", "no address before '/'");
	expect_target_error(AF_INET, "127.0.0.1-5/24", "octet ranges take no /prefix");
	expect_target_error(AF_INET, "127.0.0.300/24", "not a valid IPv4 address");
	expect_target_error(AF_INET, "0.0.0.0/0", "more than 16777216 addresses (a /8)");
	expect_target_error(AF_INET, "10.0.0.0/7", "more than");
	expect_target_error(AF_INET, "10-11.*.*.*", "more than");
	expect_target_error(AF_INET, "*.*.*.*", "more than");
	expect_target_error(AF_INET6, "::/103", "more than");
	expect_target_error(AF_INET, "::1", "needs -6");
}
END_TEST

START_TEST(target_too_long)
{
	char spec[2000];

	memset(spec, 'a', sizeof spec - 1);
	spec[sizeof spec - 1] = '\0';
	expect_target_error(AF_INET, spec, "longer than");
}
END_TEST

/* A list holds its specs, not their addresses: a /8 and more in all cost
 * a few ranges, and a walk gives them in order, the blocks' boundaries
 * included. */
START_TEST(target_cap_is_per_spec)
{
	struct svd_targets t;
	struct svd_targets_cursor c;
	struct svd_target tg;
	char err[256], host[NI_MAXHOST];
	uint64_t i;

	svd_targets_init(&t, AF_INET, false);
	ck_assert_int_eq(svd_targets_add(&t, "10.0.0.0/8", err, sizeof err), 0);
	ck_assert_int_eq(svd_targets_add(&t, "11-12.*.*.*", err, sizeof err), -1);
	ck_assert_int_eq(svd_targets_add(&t, "11.0-127.*.*", err, sizeof err), 0);
	ck_assert_int_eq(svd_targets_add(&t, "127.0.0.1", err, sizeof err), 0);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_uint_eq(svd_targets_count(&t), (1u << 24) + (1u << 23) + 1);
	svd_targets_begin(&c, &t);
	for (i = 0; i < (1u << 24) && svd_targets_next(&c, &tg); i++)
		;
	ck_assert(svd_targets_next(&c, &tg));
	ck_assert_int_eq(getnameinfo((const struct sockaddr *)&tg.addr, tg.addrlen, host,
				     sizeof host, NULL, 0, NI_NUMERICHOST), 0);
	ck_assert_str_eq(host, "11.0.0.0");
	svd_targets_free(&t);
}
END_TEST

START_TEST(target_ipv6)
{
	expect_targets(AF_INET6, "::1", "::1");
	expect_targets(AF_INET6, "::1/128", "::1");
	expect_targets(AF_INET6, "::1/127", ":: ::1");
	expect_targets(AF_INET6, "2001:db8::7/126",
		       "2001:db8::4 2001:db8::5 2001:db8::6 2001:db8::7");
	expect_targets(AF_INET6, "fe80::1%lo", "fe80::1%lo");
	expect_target_error(AF_INET6, "::1/129", "prefix length must be 0-128");
	expect_target_error(AF_INET6, "::/64", "more than");
	expect_target_error(AF_INET6, "::1-2", "not a valid IPv6 address");
	expect_target_error(AF_INET6, ":::1", "not a valid IPv6 address");
	/* like Nmap, -6 scans IPv6 only */
	expect_target_error(AF_INET6, "127.0.0.1", "-6 scans IPv6 only");
	expect_target_error(AF_INET6, "127.0.0.1-2", "-6 scans IPv6 only");
	expect_target_error(AF_INET6, "127.0.0.0/24", "-6 scans IPv6 only");
}
END_TEST

START_TEST(target_file)
{
	char *name = temp_file("# a comment line\n"
			       "127.0.0.1 127.0.0.2\t127.0.0.3#no space before\n"
			       "\n"
			       "   10.0.0.0/31   # trailing\r\n"
			       "127.0.0.9");
	FILE *f = fopen(name, "r");
	struct svd_targets t;
	char err[256], *got;

	svd_targets_init(&t, AF_INET, true);
	ck_assert_int_eq(svd_targets_add_file(&t, f, name, err, sizeof err), 0);
	got = targets_str(&t);
	ck_assert_str_eq(got, "127.0.0.1 127.0.0.2 127.0.0.3 10.0.0.0 10.0.0.1 127.0.0.9");
	ck_assert(t.no_dns);
	free(got);
	fclose(f);
	svd_targets_free(&t);
	unlink(name);
	free(name);
}
END_TEST

/* The error svd_targets_add_file() gives for bytes read from memory. */
static void expect_file_error(const char *text, size_t len, const char *want)
{
	FILE *f = fmemopen((void *)text, len, "r");
	struct svd_targets t;
	char err[256];

	ck_assert_ptr_nonnull(f);
	svd_targets_init(&t, AF_INET, true);
	ck_assert_int_eq(svd_targets_add_file(&t, f, "list.txt", err, sizeof err), -1);
	ck_assert_str_eq(err, want);
	fclose(f);
	svd_targets_free(&t);
}

/* Input that is not a target list fails at once, naming the line; what it
 * held is shown escaped. */
START_TEST(target_file_bounds)
{
	static const char nul[] = "127.0.0.1\n\0\0\0";
	/* A bad prefix: rejected before any name lookup. */
	static const char evil[] = "127.0.0.1\n127.0.0.2 \x1b]0;pwned\x07/99\n";
	char *longline = malloc(5000);

	ck_assert_ptr_nonnull(longline);
	memset(longline, ' ', 5000);
	memcpy(longline, "127.0.0.1\n127.0.0.2", 19);
	expect_file_error(longline, 5000, "list.txt:2: line longer than 4096 bytes");
	free(longline);
	expect_file_error(nul, sizeof nul - 1, "list.txt:2: a NUL byte: not a text file");
	expect_file_error(evil, sizeof evil - 1,
			  "list.txt:2: bad target '\\x1b]0;pwned\\x07/99': prefix length must be 0-32");
}
END_TEST

START_TEST(target_file_error)
{
	char *name = temp_file("127.0.0.1\n# x\n127.0.0.2 127.0.0.300\n127.0.0.4\n");
	FILE *f = fopen(name, "r");
	struct svd_targets t;
	char err[256], want[512];

	svd_targets_init(&t, AF_INET, false);
	ck_assert_int_eq(svd_targets_add_file(&t, f, "list.txt", err, sizeof err), -1);
	snprintf(want, sizeof want, "list.txt:3: bad target '127.0.0.300': octet must be 0-255");
	ck_assert_str_eq(err, want);
	fclose(f);
	svd_targets_free(&t);
	unlink(name);
	free(name);
}
END_TEST

/* --- exclusions ------------------------------------------------------------------ */

/* The exclusion list of --exclude LIST, sealed. */
static void exclude_of(struct svd_exclude *x, int family, const char *list)
{
	char err[512];

	svd_exclude_init(x, family);
	if (svd_exclude_add_list(x, list, err, sizeof err))
		ck_abort_msg("'%s': %s", list, err);
	svd_exclude_seal(x);
}

static bool excluded(const struct svd_exclude *x, const char *addr)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST, .ai_family = x->family }, *res;
	bool has;

	ck_assert_int_eq(getaddrinfo(addr, NULL, &hints, &res), 0);
	has = svd_exclude_has(x, res->ai_addr);
	freeaddrinfo(res);
	return has;
}

/* Targets of spec with the exclusions of list, as targets_str() shows them. */
static void expect_excluded(int family, const char *spec, const char *list, const char *want)
{
	struct svd_exclude x;
	struct svd_targets t;
	char err[512], *got;

	exclude_of(&x, family, list);
	svd_targets_init(&t, family, false);
	t.exclude = &x;
	if (svd_targets_add(&t, spec, err, sizeof err))
		ck_abort_msg("'%s': %s", spec, err);
	got = targets_str(&t);
	ck_assert_msg(strcmp(got, want) == 0, "'%s' less '%s': got '%s', want '%s'",
		      spec, list, got, want);
	free(got);
	svd_targets_free(&t);
	svd_exclude_free(&x);
}

START_TEST(exclude_forms)
{
	/* Nmap's forms: addresses, ranges, octet lists in a file's spec, CIDR. */
	expect_excluded(AF_INET, "127.0.0.1-6", "127.0.0.2,127.0.0.4-5",
			"127.0.0.1 127.0.0.3 127.0.0.6");
	expect_excluded(AF_INET, "127.0.0.1-6", "127.0.0.0/30", "127.0.0.4 127.0.0.5 127.0.0.6");
	expect_excluded(AF_INET, "127.0.0-1.1-2", "127.0.1.*", "127.0.0.1 127.0.0.2");
	expect_excluded(AF_INET, "127.0.0.0/29", "127.0.0.-2,127.0.0.6-", "127.0.0.3 127.0.0.4 127.0.0.5");
	expect_excluded(AF_INET, "127.0.0.1-3", "localhost", "127.0.0.2 127.0.0.3");
	/* A trailing comma is no empty spec, as in Nmap. */
	expect_excluded(AF_INET, "127.0.0.1-3", "127.0.0.3,", "127.0.0.1 127.0.0.2");
	expect_excluded(AF_INET, "127.0.0.1-3", "0.0.0.0/0", "");
	expect_excluded(AF_INET6, "::/126", "::1,::2/128", ":: ::3");
	expect_excluded(AF_INET6, "::1", "::/0", "");
	/* A name given as a target is dropped with its address. */
	expect_excluded(AF_INET, "localhost/31", "127.0.0.1", "127.0.0.0");
}
END_TEST

START_TEST(exclude_ranges_merge)
{
	struct svd_exclude x;

	/* Overlapping, nested and adjacent blocks, given out of order. */
	exclude_of(&x, AF_INET, "10.0.0.128/25,10.0.0.0/24,10.0.1.5,10.0.0.7/32,9.255.255.255,10.0.2.0/23");
	ck_assert(excluded(&x, "10.0.0.0"));
	ck_assert(excluded(&x, "10.0.0.255"));
	ck_assert(!excluded(&x, "10.0.1.4"));
	ck_assert(excluded(&x, "10.0.1.5"));
	ck_assert(!excluded(&x, "10.0.1.6"));
	ck_assert(excluded(&x, "9.255.255.255"));
	ck_assert(!excluded(&x, "9.255.255.254"));
	ck_assert(excluded(&x, "10.0.3.255"));
	ck_assert(!excluded(&x, "10.0.4.0"));
	ck_assert(!excluded(&x, "255.255.255.255"));
	ck_assert(!excluded(&x, "0.0.0.0"));
	/* Disjoint ranges, the octet specs among them: none left to ask one by one. */
	ck_assert_uint_eq(x.nranges, 4);
	ck_assert_uint_eq(x.noctets, 0);
	svd_exclude_free(&x);
	/* Octet specs that are not one run of addresses. */
	exclude_of(&x, AF_INET, "10.0.0.1-2,10.0.0-1.3,10.0.0.*,10.2.0-1.0-255,10.3.*.1");
	ck_assert_uint_eq(x.nranges, 2);  /* 10.0.0.0/24 and 10.2.0.0/23 */
	ck_assert_uint_eq(x.noctets, 2);
	ck_assert(excluded(&x, "10.0.1.3"));
	ck_assert(!excluded(&x, "10.0.1.4"));
	ck_assert(excluded(&x, "10.2.1.255"));
	ck_assert(excluded(&x, "10.3.77.1"));
	ck_assert(!excluded(&x, "10.3.77.2"));
	svd_exclude_free(&x);
	exclude_of(&x, AF_INET6, "2001:db8::/32,::1");
	ck_assert(excluded(&x, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
	ck_assert(!excluded(&x, "2001:db9::"));
	ck_assert(excluded(&x, "::1"));
	ck_assert(!excluded(&x, "::2"));
	svd_exclude_free(&x);
}
END_TEST

START_TEST(exclude_errors)
{
	struct svd_exclude x;
	char err[512];

	svd_exclude_init(&x, AF_INET);
	ck_assert_int_eq(svd_exclude_add_list(&x, "127.0.0.1,,127.0.0.2", err, sizeof err), -1);
	ck_assert_str_eq(err, "bad target '': empty");
	ck_assert_int_eq(svd_exclude_add_list(&x, "10.0.0.0/33", err, sizeof err), -1);
	ck_assert_str_eq(err, "bad target '10.0.0.0/33': prefix length must be 0-32");
	ck_assert_int_eq(svd_exclude_add_list(&x, "::1", err, sizeof err), -1);
	ck_assert_str_eq(err, "bad target '::1': an IPv6 address needs -6");
	svd_exclude_free(&x);
}
END_TEST

START_TEST(exclude_file)
{
	static char text[] = "# a comment, 127.0.0.1\n127.0.0.2\t127.0.0.4-5 # and 127.0.0.3\n"
			     "\n  127.0.0.7/32\n", bad[] = "127.0.0.1\n127.0.0.1/40\n";
	FILE *f = fmemopen(text, strlen(text), "r");
	struct svd_exclude x;
	char err[512];

	ck_assert_ptr_nonnull(f);
	svd_exclude_init(&x, AF_INET);
	ck_assert_int_eq(svd_exclude_add_file(&x, f, "excl", err, sizeof err), 0);
	fclose(f);
	svd_exclude_seal(&x);
	ck_assert(!excluded(&x, "127.0.0.1"));
	ck_assert(excluded(&x, "127.0.0.2"));
	ck_assert(!excluded(&x, "127.0.0.3"));
	ck_assert(excluded(&x, "127.0.0.4"));
	ck_assert(excluded(&x, "127.0.0.5"));
	ck_assert(!excluded(&x, "127.0.0.6"));
	ck_assert(excluded(&x, "127.0.0.7"));
	svd_exclude_free(&x);
	f = fmemopen(bad, strlen(bad), "r");
	svd_exclude_init(&x, AF_INET);
	ck_assert_int_eq(svd_exclude_add_file(&x, f, "excl", err, sizeof err), -1);
	ck_assert_str_eq(err, "excl:2: bad target '127.0.0.1/40': prefix length must be 0-32");
	fclose(f);
	svd_exclude_free(&x);
}
END_TEST

/* --- ports ------------------------------------------------------------------ */

START_TEST(ports_ranges)
{
	struct svd_services s;

	load_mini(&s);
	expect_ports(&s, "22,80-90", "T:22,80-90 U:");
	expect_ports(&s, "22", "T:22 U:");
	expect_ports(&s, "-100", "T:1-100 U:");
	expect_ports(&s, "60000-", "T:60000-65535 U:");
	expect_ports(&s, "-", "T:1-65535 U:");
	expect_ports(&s, "65535", "T:65535 U:");
	/* port 0 only when written out */
	expect_ports(&s, "0", "T:0 U:");
	expect_ports(&s, "0-2", "T:0-2 U:");
	expect_ports(&s, "0-", "T:0-65535 U:");
	expect_ports(&s, "00080", "T:80 U:");
	svd_services_free(&s);
}
END_TEST

START_TEST(ports_order_and_dedup)
{
	struct svd_services s;

	load_mini(&s);
	expect_ports(&s, "90,80-85,22,81,22", "T:22,80-85,90 U:");
	expect_ports(&s, "5-10,1-6", "T:1-10 U:");
	svd_services_free(&s);
}
END_TEST

START_TEST(ports_protocols)
{
	struct svd_services s;

	load_mini(&s);
	expect_ports(&s, "T:22,U:53,T:80", "T:22,80 U:53");
	expect_ports(&s, "22,U:53,54", "T:22 U:53-54");
	expect_ports(&s, "U:53", "T: U:53");
	expect_ports(&s, "t:1,u:2", "T:1 U:2");
	expect_ports(&s, "U:-", "T: U:1-65535");
	svd_services_free(&s);
}
END_TEST

/* Ports without a prefix are of every protocol scanned, as in Nmap; a
 * prefix names its protocol whether or not it is scanned. */
START_TEST(ports_of_each_protocol_scanned)
{
	unsigned both = SVD_SCAN_TCP | SVD_SCAN_UDP;
	struct svd_services s;
	struct svd_portlist pl;
	char err[256] = "", *got;

	load_mini(&s);
	expect_ports_for(&s, both, "53", "T:53 U:53");
	expect_ports_for(&s, both, "22,U:53,T:80", "T:22,80 U:22,53");
	expect_ports_for(&s, both, "http", "T:80 U:80");
	expect_ports_for(&s, both, "[1-1000]", "T:1,53,80,443 U:53,80");
	expect_ports_for(&s, SVD_SCAN_UDP, "53,161", "T: U:53,161");
	expect_ports_for(&s, SVD_SCAN_UDP, "T:22,53", "T:22,53 U:");
	expect_ports_for(&s, SVD_SCAN_UDP, "53,T:22", "T:22 U:53");
	expect_ports_for(&s, SVD_SCAN_UDP, "http*", "T: U:80");
	ck_assert_int_eq(svd_ports_parse(&pl, "nosuch", both, &s, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no TCP or UDP service 'nosuch'"));
	ck_assert_int_eq(svd_ports_parse(&pl, "https", SVD_SCAN_UDP, &s, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no UDP service 'https'"));
	/* --top-ports: that many of each protocol scanned. */
	ck_assert_int_eq(svd_ports_top(&pl, &s, 2, both), 0);
	got = portlist_str(&pl);
	ck_assert_str_eq(got, "T:80,443 U:53,80");
	free(got);
	svd_portlist_free(&pl);
	ck_assert_int_eq(svd_ports_top(&pl, &s, 1000, SVD_SCAN_UDP), 0);
	got = portlist_str(&pl);
	ck_assert_str_eq(got, "T: U:53,80");
	free(got);
	svd_portlist_free(&pl);
	svd_services_free(&s);
}
END_TEST

START_TEST(ports_names)
{
	struct svd_services s;

	load_mini(&s);
	expect_ports(&s, "http", "T:80 U:");
	expect_ports(&s, "HTTP", "T:80 U:");
	expect_ports(&s, "http*", "T:80,443,3128,8080 U:");
	expect_ports(&s, "http-?lt", "T:8080 U:");
	expect_ports(&s, "U:http,domain", "T: U:53,80");
	expect_ports(&s, "domain,22", "T:22,53 U:");
	svd_services_free(&s);
}
END_TEST

START_TEST(ports_brackets)
{
	struct svd_services s;

	load_mini(&s);
	expect_ports(&s, "[1-1000]", "T:1,53,80,443 U:");
	expect_ports(&s, "[-]", "T:1,53,80,443,3128,7000,8080 U:");
	expect_ports(&s, "[0-79]", "T:0-1,53 U:");
	expect_ports(&s, "U:[50-]", "T: U:53,80");
	expect_ports(&s, "[443],22", "T:22,443 U:");
	svd_services_free(&s);
}
END_TEST

START_TEST(ports_errors)
{
	struct svd_services s;

	load_mini(&s);
	expect_port_error(&s, "", "empty");
	expect_port_error(&s, ",", "empty item");
	expect_port_error(&s, "22,", "empty item");
	expect_port_error(&s, ",22", "empty item");
	expect_port_error(&s, "22,,80", "empty item");
	expect_port_error(&s, "65536", "ports are 0-65535");
	expect_port_error(&s, "70000-", "ports are 0-65535");
	expect_port_error(&s, "1-99999999999999999999", "ports are 0-65535");
	expect_port_error(&s, "90-80", "range is reversed");
	expect_port_error(&s, "S:22", "SCTP ports (S:) are not supported");
	expect_port_error(&s, "X:22", "unknown protocol prefix 'X:'");
	expect_port_error(&s, "T:", "empty item");
	expect_port_error(&s, "nosuch", "no TCP service 'nosuch'");
	expect_port_error(&s, "U:https", "no UDP service 'https'");
	expect_port_error(&s, "22x", "no TCP service '22x'");
	expect_port_error(&s, "1-2-3", "no TCP service '1-2-3'");
	expect_port_error(&s, "[1-", "'[' without ']'");
	expect_port_error(&s, "[]", "is not a port range");
	expect_port_error(&s, "[http]", "is not a port range");
	expect_port_error(&s, "[2-52]", "no ports");
	ck_assert_int_eq(svd_ports_parse(&(struct svd_portlist){ 0 }, "90-80", SVD_SCAN_TCP, &s, NULL, 0), -1);
	svd_services_free(&s);
}
END_TEST

START_TEST(ports_format)
{
	static const uint16_t a[] = { 0, 1, 2, 21, 22, 23, 80, 443, 445, 65535 };
	char *f;

	f = svd_ports_format(a, 10);
	ck_assert_str_eq(f, "0-2,21-23,80,443,445,65535");
	free(f);
	f = svd_ports_format(a + 7, 1);
	ck_assert_str_eq(f, "443");
	free(f);
	f = svd_ports_format(NULL, 0);
	ck_assert_str_eq(f, "");
	free(f);
}
END_TEST

START_TEST(services_table)
{
	struct svd_services s;

	load_mini(&s);
	ck_assert_str_eq(svd_service_name(&s, SVD_TCP, 80), "http");
	ck_assert_str_eq(svd_service_name(&s, SVD_UDP, 53), "domain");
	ck_assert_str_eq(svd_service_name(&s, SVD_TCP, 0), "zero");
	ck_assert_ptr_null(svd_service_name(&s, SVD_TCP, 9));  /* sctp only */
	ck_assert_ptr_null(svd_service_name(&s, SVD_TCP, 22));
	ck_assert_ptr_null(svd_service_name(&s, 2, 80));
	ck_assert_ptr_null(svd_service_name(&s, SVD_TCP, 65536));
	ck_assert_uint_eq(s.n, 11);   /* sctp and the broken line skipped */
	svd_services_free(&s);
}
END_TEST

START_TEST(ports_top)
{
	struct svd_services s;
	struct svd_portlist pl;
	char *got;

	load_mini(&s);
	ck_assert_int_eq(svd_ports_top(&pl, &s, 3, SVD_SCAN_TCP), 0);
	got = portlist_str(&pl);
	ck_assert_str_eq(got, "T:1,80,443 U:");   /* port 0 never, however frequent */
	free(got);
	svd_portlist_free(&pl);
	/* three ports tie at 0.3: the lower ports win */
	ck_assert_int_eq(svd_ports_top(&pl, &s, 5, SVD_SCAN_TCP), 0);
	got = portlist_str(&pl);
	ck_assert_str_eq(got, "T:1,80,443,3128,7000 U:");
	free(got);
	svd_portlist_free(&pl);
	ck_assert_int_eq(svd_ports_top(&pl, &s, 1000, SVD_SCAN_TCP), 0);
	ck_assert_uint_eq(pl.ntcp, 7);
	svd_portlist_free(&pl);
	svd_services_free(&s);
}
END_TEST

START_TEST(ports_top_of)
{
	struct svd_services s;
	struct svd_portlist pl;
	char err[256], *got;

	load_mini(&s);
	ck_assert_int_eq(svd_ports_parse(&pl, "1-5000,U:1-100", SVD_SCAN_TCP, &s, err, sizeof err), 0);
	ck_assert_int_eq(svd_ports_top_of(&pl, &s, 2), 0);
	got = portlist_str(&pl);
	ck_assert_str_eq(got, "T:80,443 U:53,80");
	free(got);
	svd_portlist_free(&pl);
	svd_services_free(&s);
}
END_TEST

START_TEST(builtin_table)
{
	struct svd_services s;
	struct svd_portlist pl;
	size_t i, ntcp = 0;

	ck_assert_int_eq(svd_services_load(&s, "/nonexistent/nmap-services"), 0);
	ck_assert_str_eq(svd_service_name(&s, SVD_TCP, 22), "ssh");
	ck_assert_str_eq(svd_service_name(&s, SVD_TCP, 80), "http");
	ck_assert_str_eq(svd_service_name(&s, SVD_UDP, 53), "domain");
	for (i = 0; i < s.n; i++)
		ntcp += s.v[i].proto == SVD_TCP;
	ck_assert_uint_ge(ntcp, 100);
	ck_assert_uint_le(ntcp, 200);
	/* every entry its own port: the default list takes them all */
	ck_assert_int_eq(svd_ports_top(&pl, &s, 1000, SVD_SCAN_TCP), 0);
	ck_assert_uint_eq(pl.ntcp, ntcp);
	svd_portlist_free(&pl);
	ck_assert_int_eq(svd_ports_top(&pl, &s, 1, SVD_SCAN_TCP), 0);
	ck_assert_uint_eq(pl.ntcp, 1);
	ck_assert_uint_eq(pl.tcp[0], 80);
	svd_portlist_free(&pl);
	svd_services_free(&s);
}
END_TEST

/* --- time syntax ------------------------------------------------------------- */

START_TEST(time_syntax)
{
	static const struct { const char *s; long ms; } good[] = {
		{ "30s", 30000 }, { "500ms", 500 }, { "2m", 120000 }, { "1h", 3600000 },
		{ "5", 5000 }, { "0", 0 }, { "1.5s", 1500 }, { "0.5", 500 },
		{ "1.5ms", 2 }, { "0.25", 250 }, { "1.25m", 75000 }, { "100000h", 360000000000 },
	};
	static const char *const bad[] = {
		"", "s", "ms", "5x", "-1", "1.", ".5", "1e3", "5 s", "5S", "0x10", "1.5.2",
		"999999999999999h", "inf", "1,5s", "5sec",
	};
	size_t i;
	long ms;

	for (i = 0; i < sizeof good / sizeof *good; i++) {
		ck_assert_msg(svd_parse_time(good[i].s, &ms) == 0, "'%s' rejected", good[i].s);
		ck_assert_msg(ms == good[i].ms, "'%s': %ld ms", good[i].s, ms);
	}
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(svd_parse_time(bad[i], &ms) == -1, "'%s' accepted", bad[i]);
}
END_TEST

/* --- options ------------------------------------------------------------------ */

START_TEST(opts_defaults)
{
	struct svd_opts o;
	char *got;

	opts_ok(&o, ARGV("--servicedb", MINI, "127.0.0.1"));
	ck_assert_int_eq(o.mode, SVD_MODE_SCAN);
	ck_assert_int_eq(o.intensity, 7);
	ck_assert_int_eq(o.timing, 3);
	ck_assert_int_eq(o.max_parallelism, 0);
	ck_assert_int_eq(o.host_timeout_ms, 0);
	ck_assert_int_eq(o.stats_every_ms, 0);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_int_eq(o.debug, 0);
	ck_assert(!o.open_only && !o.allports && !o.version_trace);
	ck_assert_ptr_null(o.signatures);
	ck_assert_ptr_null(o.out[SVD_OUT_NORMAL]);
	ck_assert_int_eq(o.targets.family, AF_INET);
	ck_assert(!o.targets.no_dns);
	ck_assert_uint_eq(svd_targets_count(&o.targets), 1);
	got = svd_ports_format(o.ports.tcp, o.ports.ntcp);
	ck_assert_str_eq(got, "1,53,80,443,3128,7000,8080");   /* all, up to 1000 */
	free(got);
	ck_assert_str_eq(o.args, "svdetect --servicedb " MINI " 127.0.0.1");
	ck_assert_str_eq(svd_service_name(&o.services, SVD_TCP, 443), "https");
	svd_opts_free(&o);
	svd_opts_free(&o);
}
END_TEST

START_TEST(opts_default_services)
{
	struct svd_opts o;

	/* whichever table is installed, the default is up to 1000 TCP ports */
	opts_ok(&o, ARGV("127.0.0.1"));
	ck_assert_uint_gt(o.ports.ntcp, 0);
	ck_assert_uint_le(o.ports.ntcp, 1000);
	ck_assert_uint_eq(o.ports.nudp, 0);
	ck_assert_str_eq(svd_service_name(&o.services, SVD_TCP, 22), "ssh");
	svd_opts_free(&o);
}
END_TEST

START_TEST(opts_version_detection)
{
	struct svd_opts o;

	opts_ok(&o, ARGV("--servicedb", MINI, "--version-intensity", "5", "::1", "-6",
			 "--version-trace", "--allports", "--signatures=own", "--open"));
	ck_assert_int_eq(o.intensity, 5);
	ck_assert(o.version_trace && o.allports && o.open_only);
	ck_assert_str_eq(o.signatures, "own");
	ck_assert_int_eq(o.targets.family, AF_INET6);
	svd_opts_free(&o);
	/* the last of them wins */
	opts_ok(&o, ARGV("--servicedb", MINI, "--version-all", "--version-light", "127.0.0.1"));
	ck_assert_int_eq(o.intensity, 2);
	svd_opts_free(&o);
	opts_ok(&o, ARGV("--servicedb", MINI, "--version-intensity=0", "--version-all",
			 "127.0.0.1"));
	ck_assert_int_eq(o.intensity, 9);
	svd_opts_free(&o);
}
END_TEST

START_TEST(opts_timing)
{
	static const struct { char *a, *b; int t; } cases[] = {
		{ "-T0", NULL, 0 }, { "-T5", NULL, 5 }, { "-T", "4", 4 },
		{ "-Tinsane", NULL, 5 }, { "-T", "paranoid", 0 }, { "-T", "Sneaky", 1 },
		{ "-Tpolite", NULL, 2 }, { "-Tnormal", NULL, 3 }, { "-Taggressive", NULL, 4 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct svd_opts o;

		if (cases[i].b)
			opts_ok(&o, ARGV("--servicedb", MINI, cases[i].a, cases[i].b, "127.0.0.1"));
		else
			opts_ok(&o, ARGV("--servicedb", MINI, cases[i].a, "127.0.0.1"));
		ck_assert_msg(o.timing == cases[i].t, "%s: %d", o.args, o.timing);
		svd_opts_free(&o);
	}
}
END_TEST

START_TEST(opts_limits)
{
	struct svd_opts o;

	opts_ok(&o, ARGV("--servicedb", MINI, "--max-parallelism", "10", "--host-timeout=2m",
			 "--stats-every", "500ms", "127.0.0.1"));
	ck_assert_int_eq(o.max_parallelism, 10);
	ck_assert_int_eq(o.host_timeout_ms, 120000);
	ck_assert_int_eq(o.stats_every_ms, 500);
	svd_opts_free(&o);
	opts_ok(&o, ARGV("--servicedb", MINI, "--host-timeout", "30", "127.0.0.1"));
	ck_assert_int_eq(o.host_timeout_ms, 30000);
	ck_assert_int_eq(o.max_probes_ahead, -1); /* the -T level's */
	svd_opts_free(&o);
	opts_ok(&o, ARGV("--servicedb", MINI, "--max-probes-ahead", "0", "127.0.0.1"));
	ck_assert_int_eq(o.max_probes_ahead, 0);
	svd_opts_free(&o);
}
END_TEST

START_TEST(opts_verbosity)
{
	static const struct { char *a, *b; int v, d; } cases[] = {
		{ "-v", NULL, 1, 0 }, { "-vv", NULL, 2, 0 }, { "-v", "-v", 2, 0 },
		{ "-vvv", "-v", 4, 0 }, { "-v3", NULL, 3, 0 }, { "-vv", "-v0", 0, 0 },
		{ "-d", NULL, 0, 1 }, { "-dd", NULL, 0, 2 }, { "-d2", "-v", 1, 2 },
		{ "-d9", NULL, 0, 9 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct svd_opts o;

		if (cases[i].b)
			opts_ok(&o, ARGV("--servicedb", MINI, cases[i].a, cases[i].b, "127.0.0.1"));
		else
			opts_ok(&o, ARGV("--servicedb", MINI, cases[i].a, "127.0.0.1"));
		ck_assert_msg(o.verbose == cases[i].v && o.debug == cases[i].d,
			      "%s: -v %d -d %d", o.args, o.verbose, o.debug);
		svd_opts_free(&o);
	}
}
END_TEST

START_TEST(opts_ignored_and_dns)
{
	struct svd_opts o;

	opts_ok(&o, ARGV("-sV", "-sT", "-sVT", "-sTV", "-Pn", "-n", "--servicedb", MINI,
			 "localhost"));
	ck_assert(o.targets.no_dns);
	/* -n skips reverse lookups only: names given are still resolved */
	ck_assert_uint_eq(o.targets.n, 1);
	ck_assert_str_eq(o.targets.v[0].name, "localhost");
	svd_opts_free(&o);
}
END_TEST

START_TEST(opts_outputs)
{
	struct svd_opts o;

	opts_ok(&o, ARGV("--servicedb", MINI, "-oN", "a.nmap", "-oX", "-", "-oGg.gnmap",
			 "-oJ", "a.json", "127.0.0.1"));
	ck_assert_str_eq(o.out[SVD_OUT_NORMAL], "a.nmap");
	ck_assert_str_eq(o.out[SVD_OUT_XML], "-");
	ck_assert_str_eq(o.out[SVD_OUT_GREPABLE], "g.gnmap");
	ck_assert_str_eq(o.out[SVD_OUT_JSON], "a.json");
	svd_opts_free(&o);
	opts_ok(&o, ARGV("--servicedb", MINI, "-oA", "out/scan", "-oJ", "-", "127.0.0.1"));
	ck_assert_str_eq(o.out[SVD_OUT_NORMAL], "out/scan.nmap");
	ck_assert_str_eq(o.out[SVD_OUT_XML], "out/scan.xml");
	ck_assert_str_eq(o.out[SVD_OUT_GREPABLE], "out/scan.gnmap");
	ck_assert_str_eq(o.out[SVD_OUT_JSON], "-");
	svd_opts_free(&o);
}
END_TEST

START_TEST(opts_ports)
{
	static const struct { char *a, *b; const char *want; } cases[] = {
		{ "-p22", NULL, "22" }, { "-p", "22,80-81", "22,80-81" },
		{ "-p-", NULL, "1-65535" }, { "-p", "-100", "1-100" },
		{ "--top-ports", "2", "80,443" }, { "--top-ports=3", NULL, "1,80,443" },
		{ "-F", NULL, "1,53,80,443,3128,7000,8080" }, { "-phttp*", NULL, "80,443,3128,8080" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct svd_opts o;
		char *got;

		if (cases[i].b)
			opts_ok(&o, ARGV("--servicedb", MINI, cases[i].a, cases[i].b, "127.0.0.1"));
		else
			opts_ok(&o, ARGV("--servicedb", MINI, cases[i].a, "127.0.0.1"));
		got = svd_ports_format(o.ports.tcp, o.ports.ntcp);
		ck_assert_msg(strcmp(got, cases[i].want) == 0, "%s: %s", o.args, got);
		free(got);
		svd_opts_free(&o);
	}
}
END_TEST

START_TEST(opts_ports_with_top)
{
	struct svd_opts o;
	char *got;

	opts_ok(&o, ARGV("--servicedb", MINI, "-sT", "-sU", "-p", "1-1000,U:53", "--top-ports", "2",
			 "127.0.0.1"));
	got = svd_ports_format(o.ports.tcp, o.ports.ntcp);
	ck_assert_str_eq(got, "80,443");
	free(got);
	got = svd_ports_format(o.ports.udp, o.ports.nudp);
	ck_assert_str_eq(got, "53,80");   /* 1-1000 are UDP ports too */
	free(got);
	svd_opts_free(&o);
}
END_TEST

/* -sT (the default), -sU, both; ports of a protocol not scanned are
 * dropped with Nmap's warning. */
START_TEST(opts_scan_types)
{
	struct svd_opts o;
	char *errtext, *got;

	opts_ok(&o, ARGV("--servicedb", MINI, "-p", "53,80", "127.0.0.1"));
	ck_assert_uint_eq(o.protos, SVD_SCAN_TCP);
	ck_assert_uint_eq(o.ports.ntcp, 2);
	ck_assert_uint_eq(o.ports.nudp, 0);
	svd_opts_free(&o);
	opts_ok(&o, ARGV("--servicedb", MINI, "-sUV", "-p", "53,80", "127.0.0.1"));
	ck_assert_uint_eq(o.protos, SVD_SCAN_UDP);
	ck_assert_uint_eq(o.ports.ntcp, 0);
	got = svd_ports_format(o.ports.udp, o.ports.nudp);
	ck_assert_str_eq(got, "53,80");
	free(got);
	svd_opts_free(&o);
	opts_ok(&o, ARGV("--servicedb", MINI, "-sT", "-sU", "-sV", "127.0.0.1"));
	ck_assert_uint_eq(o.protos, SVD_SCAN_TCP | SVD_SCAN_UDP);
	ck_assert_uint_eq(o.ports.ntcp, 7);  /* every TCP port of the table but 0 */
	ck_assert_uint_eq(o.ports.nudp, 2);
	svd_opts_free(&o);
	opts_ok(&o, ARGV("--servicedb", MINI, "-sTU", "-F", "127.0.0.1"));
	ck_assert_uint_eq(o.ports.nudp, 2);
	svd_opts_free(&o);
	/* U: without -sU: Nmap's warning, and the TCP ports only. */
	ck_assert_int_eq(parse_captured(&o, ARGV("--servicedb", MINI, "-p", "80,U:53", "127.0.0.1"),
					&errtext), 0);
	ck_assert_str_eq(errtext, "svdetect: WARNING: your ports include \"U:\" but you have not "
			 "asked for a UDP scan (-sU); those ports are not scanned\n");
	ck_assert_uint_eq(o.ports.ntcp, 1);
	ck_assert_uint_eq(o.ports.nudp, 0);
	free(errtext);
	svd_opts_free(&o);
	/* -sT -sU with UDP ports only: the TCP scan is skipped, said so. */
	ck_assert_int_eq(parse_captured(&o, ARGV("--servicedb", MINI, "-sTU", "-p", "U:53",
						 "127.0.0.1"), &errtext), 0);
	ck_assert_str_eq(errtext, "svdetect: WARNING: TCP scan type (-sT) was requested, but no "
			 "tcp ports were specified; skipping this scan type\n");
	ck_assert_uint_eq(o.ports.nudp, 1);
	free(errtext);
	svd_opts_free(&o);
}
END_TEST

START_TEST(opts_targets)
{
	struct svd_opts o;
	char *got;

	opts_ok(&o, ARGV("--servicedb", MINI, "127.0.0.3", "127.0.0.1-2", "--", "127.0.0.9"));
	got = targets_str(&o.targets);
	ck_assert_str_eq(got, "127.0.0.3 127.0.0.1 127.0.0.2 127.0.0.9");
	free(got);
	svd_opts_free(&o);
}
END_TEST

START_TEST(opts_target_file)
{
	char *name = temp_file("127.0.0.2 # two\n127.0.0.1\n");
	struct svd_opts o;
	char *got;

	opts_ok(&o, ARGV("--servicedb", MINI, "-iL", name));
	got = targets_str(&o.targets);
	ck_assert_str_eq(got, "127.0.0.2 127.0.0.1");
	free(got);
	svd_opts_free(&o);
	ck_assert_ptr_nonnull(freopen(name, "r", stdin));
	opts_ok(&o, ARGV("--servicedb", MINI, "-iL-"));
	ck_assert_uint_eq(svd_targets_count(&o.targets), 2);
	svd_opts_free(&o);
	unlink(name);
	free(name);
}
END_TEST

START_TEST(opts_modes)
{
	struct svd_opts o;

	opts_ok(&o, ARGV("--signatures", "own", "--match", "TCP:NULL", "a.bin", "-v"));
	ck_assert_int_eq(o.mode, SVD_MODE_MATCH);
	ck_assert_str_eq(o.signatures, "own");
	ck_assert_int_eq(o.match_argc, 3);
	ck_assert_str_eq(o.match_argv[0], "TCP:NULL");
	ck_assert_str_eq(o.match_argv[2], "-v");
	svd_opts_free(&o);
	opts_ok(&o, ARGV("--match-trace", "NULL"));
	ck_assert_int_eq(o.mode, SVD_MODE_MATCH_TRACE);
	ck_assert_int_eq(o.match_argc, 1);
	svd_opts_free(&o);
	opts_ok(&o, ARGV("--signatures", "own", "--test-examples", "a.examples", "b.examples"));
	ck_assert_int_eq(o.mode, SVD_MODE_TEST_EXAMPLES);
	ck_assert_int_eq(o.match_argc, 2);
	ck_assert_str_eq(o.match_argv[1], "b.examples");
	svd_opts_free(&o);
	opts_fail(ARGV("--test-examples"), "--test-examples needs example files");
	opts_fail(ARGV("127.0.0.1", "--test-examples", "a.examples"), "take no targets");
	opts_ok(&o, ARGV("--version"));
	ck_assert_int_eq(o.mode, SVD_MODE_VERSION);
	svd_opts_free(&o);
	opts_ok(&o, ARGV("-V", "--bogus"));
	ck_assert_int_eq(o.mode, SVD_MODE_VERSION);
	svd_opts_free(&o);
	opts_ok(&o, ARGV("-h"));
	ck_assert_int_eq(o.mode, SVD_MODE_HELP);
	svd_opts_free(&o);
	opts_ok(&o, ARGV("-p", "22", "--help"));
	ck_assert_int_eq(o.mode, SVD_MODE_HELP);
	svd_opts_free(&o);
}
END_TEST

START_TEST(opts_errors)
{
	opts_fail(ARGV("--bogus", "127.0.0.1"), "unknown option '--bogus'");
	opts_fail(ARGV("--top", "5", "127.0.0.1"), "unknown option '--top'");
	opts_fail(ARGV("-x", "127.0.0.1"), "unknown option '-x'");
	opts_fail(ARGV("-nv", "127.0.0.1"), "unknown option '-nv'");
	opts_fail(ARGV("-6x", "::1"), "unknown option '-6x'");
	opts_fail(ARGV("-", "127.0.0.1"), "unknown option '-'");
	opts_fail(ARGV("-iR", "5"), "unknown option '-iR'");
	opts_fail(ARGV("--top-ports", "0", "127.0.0.1"), "--top-ports must be 1-65535");
	opts_fail(ARGV("--top-ports", "65536", "127.0.0.1"), "--top-ports must be 1-65535");
	opts_fail(ARGV("--top-ports", "x", "127.0.0.1"), "--top-ports must be 1-65535");
	opts_fail(ARGV("--top-ports=", "127.0.0.1"), "'--top-ports' needs a value");
	opts_fail(ARGV("127.0.0.1", "--top-ports"), "'--top-ports' needs a value");
	opts_fail(ARGV("--version-intensity", "10", "127.0.0.1"), "must be 0-9");
	opts_fail(ARGV("--version-intensity", "-1", "127.0.0.1"), "must be 0-9");
	opts_fail(ARGV("--version-intensity", "", "127.0.0.1"), "must be 0-9");
	opts_fail(ARGV("--max-parallelism", "0", "127.0.0.1"), "must be 1-65535");
	opts_fail(ARGV("--max-probes-ahead", "32", "127.0.0.1"), "must be 0-31");
	opts_fail(ARGV("--host-timeout", "5x", "127.0.0.1"), "bad --host-timeout '5x'");
	opts_fail(ARGV("--host-timeout", "-1", "127.0.0.1"), "bad --host-timeout '-1'");
	opts_fail(ARGV("--stats-every=1.s", "127.0.0.1"), "bad --stats-every '1.s'");
	opts_fail(ARGV("--open=yes", "127.0.0.1"), "'--open' takes no value");
	opts_fail(ARGV("--help=1"), "'--help' takes no value");
	opts_fail(ARGV("--signatures=", "127.0.0.1"), "'--signatures' needs a value");
	opts_fail(ARGV("--signatures", "", "127.0.0.1"), "--signatures needs a set name");
	opts_fail(ARGV("-T6", "127.0.0.1"), "-T must be 0-5");
	opts_fail(ARGV("-Tfast", "127.0.0.1"), "not 'fast'");
	opts_fail(ARGV("127.0.0.1", "-T"), "'-T' needs a value");
	opts_fail(ARGV("-v10", "127.0.0.1"), "bad verbosity '-v10'");
	opts_fail(ARGV("-vx", "127.0.0.1"), "bad verbosity");
	opts_fail(ARGV("-dv", "127.0.0.1"), "bad debugging level");
	opts_fail(ARGV("127.0.0.1", "-p"), "'-p' needs a value");
}
END_TEST

START_TEST(opts_errors_outputs)
{
	opts_fail(ARGV("-oZ", "f", "127.0.0.1"), "unknown output option '-oZ'");
	opts_fail(ARGV("-o", "f", "127.0.0.1"), "unknown output option");
	opts_fail(ARGV("127.0.0.1", "-oX"), "'-oX' needs a value");
	opts_fail(ARGV("-oX", "a", "-oX", "b", "127.0.0.1"), "more than one -oX");
	opts_fail(ARGV("-oA", "-", "127.0.0.1"), "-oA needs a base name");
	opts_fail(ARGV("-oA", "x", "-oN", "y", "127.0.0.1"), "more than one -oN");
	opts_fail(ARGV("-oN", "-", "-oX", "-", "127.0.0.1"), "only one output can go to stdout");
	opts_fail(ARGV("-sS", "127.0.0.1"), "scan type '-sS' is not supported");
	opts_fail(ARGV("-sVX", "127.0.0.1"), "scan type '-sVX' is not supported");
	opts_fail(ARGV("-sUS", "127.0.0.1"), "scan type '-sUS' is not supported");
	opts_fail(ARGV("-s", "127.0.0.1"), "scan type '-s' is not supported");
	opts_fail(ARGV("-PS", "127.0.0.1"), "host discovery '-PS' is not supported");
	opts_fail(ARGV("-P0", "127.0.0.1"), "host discovery '-P0' is not supported");
}
END_TEST

START_TEST(opts_errors_second_pass)
{
	char *name = temp_file("127.0.0.1\n");

	opts_fail(ARGV("--servicedb", MINI), "no targets given");
	opts_fail(ARGV("--servicedb", MINI, "-n", "-v"), "no targets given");
	opts_fail(ARGV("--servicedb", MINI, "127.0.0.1/33"), "prefix length must be 0-32");
	opts_fail(ARGV("--servicedb", MINI, "127.0.0.1", "127.0.0.5-3"), "reversed");
	opts_fail(ARGV("--servicedb", MINI, "-6", "127.0.0.1"), "-6 scans IPv6 only");
	opts_fail(ARGV("--servicedb", MINI, "::1"), "needs -6");
	opts_fail(ARGV("--servicedb", MINI, "-p", "90-80", "127.0.0.1"), "range is reversed");
	opts_fail(ARGV("--servicedb", MINI, "-p", "S:22", "127.0.0.1"), "SCTP");
	opts_fail(ARGV("--servicedb", MINI, "-p", "U:53", "127.0.0.1"),
		  "no ports to scan (T: ports need -sT, U: ports -sU)");
	opts_fail(ARGV("--servicedb", MINI, "-p", "U:53,T:22", "--top-ports", "1", "127.0.0.1"),
		  "no ports to scan (T: ports need -sT, U: ports -sU)");
	opts_fail(ARGV("--servicedb", MINI, "-sU", "-p", "T:80", "127.0.0.1"),
		  "no ports to scan (T: ports need -sT, U: ports -sU)");
	opts_fail(ARGV("--servicedb", MINI, "-sTU", "-p", "T:22", "--top-ports", "1", "127.0.0.1"),
		  "no ports to scan\n");
	opts_fail(ARGV("--servicedb", MINI, "-F", "-p", "22", "127.0.0.1"), "-F cannot");
	opts_fail(ARGV("--servicedb", MINI, "-F", "--top-ports", "5", "127.0.0.1"), "-F cannot");
	opts_fail(ARGV("--servicedb", "/nonexistent/services", "127.0.0.1"),
		  "cannot read '/nonexistent/services'");
	opts_fail(ARGV("--servicedb", MINI, "-iL", "/nonexistent/list"),
		  "cannot read '/nonexistent/list'");
	opts_fail(ARGV("--servicedb", MINI, "-iL", name, "127.0.0.2"), "not both");
	opts_fail(ARGV("-iL", name, "-iL", name), "more than one -iL");
	opts_fail(ARGV("127.0.0.1", "--match", "NULL", "f"), "take no targets");
	unlink(name);
	free(name);
}
END_TEST

/* The targets left by --resume from a file holding text (which must
 * succeed, saying so on stderr); o is left parsed. */
static char *resumed_targets(struct svd_opts *o, const char *text)
{
	char *file = temp_file(text), *errtext;
	int rc = parse_captured(o, ARGV("--resume", file), &errtext);

	ck_assert_msg(rc == 0, "rc %d: %s", rc, errtext);
	ck_assert_msg(strstr(errtext, "svdetect: resuming from ") == errtext, "'%s'", errtext);
	free(errtext);
	unlink(file);
	free(file);
	return walk_str(&o->targets, o->resume);
}

/* --resume from a file holding text is refused, saying why. */
static void resume_refused(const char *text, const char *why)
{
	char *file = temp_file(text);

	opts_fail(ARGV("--resume", file), why);
	unlink(file);
	free(file);
}

/* --resume: the command line and the hosts done, read back from each of
 * the text formats and from JSON lines written by several runs. */
START_TEST(opts_resume)
{
	struct svd_opts o;
	char header[512], text[2048], *got;

	/* An output name a shell would need quoted comes back whole. */
	opts_ok(&o, ARGV("--servicedb", MINI, "-n", "-p", "22", "-oN", "/tmp/x y'z", "-oG", "'''",
			 "127.0.0.1-5"));
	ck_assert_str_eq(o.args, "svdetect --servicedb " MINI " -n -p 22 -oN '/tmp/x y'\"'\"'z' "
			 "-oG ''\"'\"''\"'\"''\"'\"'' 127.0.0.1-5");
	ck_assert(!o.append_output);
	snprintf(header, sizeof header, "# svdetect 0.1 scan initiated Mon Dec  7 04:44:26 2026 "
		 "as: %s\n", o.args);
	svd_opts_free(&o);
	/* 1 finished, 2 cut short, 3 finished behind it, 4 never ended (no
	 * footer follows), 5 not reached. */
	snprintf(text, sizeof text, "%ssvdetect scan report for 127.0.0.1\nHost is up.\n\n"
		 "svdetect scan report for 127.0.0.2\nHost is up.\n"
		 "Host scan stopped early: only the ports decided by then are listed.\n\n"
		 "svdetect scan report for name (127.0.0.3)\nHost is up.\n\n"
		 "svdetect scan report for 127.0.0.4\nHost is up.\n", header);
	got = resumed_targets(&o, text);
	ck_assert_str_eq(got, "127.0.0.2 127.0.0.4 127.0.0.5");
	free(got);
	ck_assert(o.append_output);
	ck_assert_str_eq(o.out[SVD_OUT_NORMAL], "/tmp/x y'z");
	ck_assert_str_eq(o.out[SVD_OUT_GREPABLE], "'''");
	ck_assert_uint_eq(o.ports.ntcp, 1);
	svd_opts_free(&o);

	/* Grepable: the mark names the host cut short; the prefix ends at
	 * the last host written before it, so 1 (not shown) is done too. */
	snprintf(text, sizeof text, "%sHost: 127.0.0.2 ()\tStatus: Up\n"
		 "Host: 127.0.0.2 ()\tPorts: 22/open/tcp////\n"
		 "# svdetect stopped early on host 127.0.0.3 (only ...)\n"
		 "Host: 127.0.0.3 ()\tStatus: Up\nHost: 127.0.0.3 ()\tPorts: 22/open/tcp////\n"
		 "Host: 127.0.0.4 ()\tStatus: Up\nHost: 127.0.0.4 ()\tStatus: Timeout\n"
		 "Host: 127.0.0.5 ()\tStatus: Up\nHost: 127.0.0.5 ()\tPorts: 22/open/tcp////",
		 header);
	got = resumed_targets(&o, text);
	ck_assert_str_eq(got, "127.0.0.3 127.0.0.5"); /* 5's last line has no newline */
	free(got);
	svd_opts_free(&o);

	/* JSON lines of two runs: the second, resumed, finished 3 but cut 2. */
	got = resumed_targets(&o, "{\"type\":\"run\",\"scanner\":\"svdetect\",\"args\":\"svdetect "
			      "--servicedb " MINI " -n -p 22 127.0.0.1-3\",\"x\":[1,{\"a\":\"]\"}]}\n"
			      "{\"type\":\"host\",\"addr\":\"127.0.0.1\",\"stopped_early\":false}\n"
			      "{\"type\":\"run\",\"args\":\"svdetect --resume f\"}\n"
			      "{\"type\":\"host\",\"addr\":\"127.0.0.2\",\"stopped_early\":true}\n"
			      "{\"type\":\"host\",\"cpe\":[\"a,b\"],\"addr\":\"127.0.0.3\","
			      "\"stopped_early\":false}\n");
	ck_assert_str_eq(got, "127.0.0.2");
	free(got);
	svd_opts_free(&o);

	/* The last host done must be a target. */
	snprintf(text, sizeof text, "%ssvdetect scan report for 10.0.0.1\nHost is up.\n\n"
		 "# svdetect done at Mon Dec  7 04:44:27 2026 -- 1 IP address\n", header);
	resume_refused(text, "is not among the targets");
	resume_refused("{\"type\":\"run\",\"args\":\"svdetect 'unclosed\"}\n", "unclosed quote");
	resume_refused("{\"type\":\"run\",\"args\":\"svdetect\"}\n", "no arguments");
	resume_refused("# svdetect 0.1 scan initiated X as: svdetect --resume other\n",
		       "begun by a resumed scan");
	opts_fail(ARGV("--resume", "/nonexistent/f"), "--resume /nonexistent/f: No such file");
	opts_fail(ARGV("-n", "--resume", "f"), "--resume FILE takes no other option");
}
END_TEST

START_TEST(opts_exclude)
{
	char *name = temp_file("127.0.0.5 # five\n");
	struct svd_opts o;
	char *got;

	opts_ok(&o, ARGV("--servicedb", MINI, "--exclude", "127.0.0.2,127.0.0.4", "--excludefile",
			 name, "--exclude=127.0.0.6", "127.0.0.1-7"));
	got = targets_str(&o.targets);
	ck_assert_str_eq(got, "127.0.0.1 127.0.0.3 127.0.0.7");
	ck_assert_uint_eq(o.targets.count, 7);
	free(got);
	svd_opts_free(&o);
	/* Everything excluded: a scan of no host, as Nmap's. */
	opts_ok(&o, ARGV("--servicedb", MINI, "--exclude", "127.0.0.0/8", "127.0.0.1-7"));
	ck_assert_uint_eq(svd_targets_count(&o.targets), 0);
	svd_opts_free(&o);
	opts_ok(&o, ARGV("--servicedb", MINI, "-6", "--exclude", "::1", "::1"));
	ck_assert_uint_eq(svd_targets_count(&o.targets), 0);
	svd_opts_free(&o);
	opts_fail(ARGV("--servicedb", MINI, "--exclude", "127.0.0.1/99", "127.0.0.1"),
		  "--exclude: bad target '127.0.0.1/99'");
	opts_fail(ARGV("--servicedb", MINI, "--excludefile", name, "--excludefile", name,
		       "127.0.0.1"), "more than one --excludefile");
	opts_fail(ARGV("--servicedb", MINI, "--excludefile", "/nonexistent/x", "127.0.0.1"),
		  "cannot read '/nonexistent/x'");
	opts_fail(ARGV("--servicedb", MINI, "--exclude", "127.0.0.1"), "no targets given");
	unlink(name);
	free(name);
}
END_TEST

START_TEST(opts_nmap_habits)
{
	struct svd_opts o;

	opts_fail(ARGV("-p", "22", "-p", "80", "127.0.0.1"), "only one -p is allowed");
	opts_fail(ARGV("-p22", "-p80", "127.0.0.1"), "only one -p is allowed");
	opts_fail(ARGV("-sC", "127.0.0.1"), "-sC: scripts (NSE) are not part of svdetect");
	opts_fail(ARGV("-sCV", "127.0.0.1"), "-sCV: scripts (NSE) are not part of svdetect");
	opts_fail(ARGV("-sV", "-sC", "127.0.0.1"), "-sC: scripts (NSE)");
	opts_fail(ARGV("--script", "default", "127.0.0.1"), "--script: scripts (NSE)");
	opts_fail(ARGV("--script=vuln", "127.0.0.1"), "--script: scripts (NSE)");
	opts_fail(ARGV("--script-args", "a=1", "127.0.0.1"), "--script-args: scripts (NSE)");
	opts_fail(ARGV("--script-trace", "127.0.0.1"), "--script-trace: scripts (NSE)");
	opts_ok(&o, ARGV("--servicedb", MINI, "127.0.0.1"));
	ck_assert(!o.reason);
	svd_opts_free(&o);
	opts_ok(&o, ARGV("--servicedb", MINI, "--reason", "127.0.0.1"));
	ck_assert(o.reason);
	svd_opts_free(&o);
}
END_TEST

START_TEST(opts_usage_lists_every_option)
{
	static const char *const opts[] = {
		"-iL", "-6", "-n", "-p ", "--top-ports", "-F", "--servicedb", "--open",
		"--version-intensity", "--version-light", "--version-all", "--version-trace",
		"--allports", "--signatures", "-T0-5", "--max-parallelism", "--max-probes-ahead",
		"--host-timeout",
		"--stats-every", "-oN", "-oX", "-oG", "-oJ", "-oA", "-v", "-d", "--match ",
		"--match-trace", "--version", "--help", "-sV", "-sT", "-Pn", "--exclude ",
		"--excludefile", "--reason", "-sC", "--test-examples",
	};
	char *text;
	size_t len, i;
	FILE *out = open_memstream(&text, &len);

	svd_opts_usage(out);
	fclose(out);
	for (i = 0; i < sizeof opts / sizeof *opts; i++)
		ck_assert_msg(strstr(text, opts[i]) != NULL, "usage lacks '%s'", opts[i]);
	free(text);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cli");
	TCase *t = tcase_create("targets"), *p = tcase_create("ports"),
	      *o = tcase_create("options");

	tcase_add_test(t, target_ipv4);
	tcase_add_test(t, target_octet_ranges);
	tcase_add_test(t, target_octet_wildcards);
	tcase_add_test(t, target_cidr);
	tcase_add_test(t, target_names);
	tcase_add_test(t, target_errors);
	tcase_add_test(t, target_too_long);
	tcase_add_test(t, target_cap_is_per_spec);
	tcase_add_test(t, target_ipv6);
	tcase_add_test(t, target_file);
	tcase_add_test(t, target_file_error);
	tcase_add_test(t, target_file_bounds);
	tcase_add_test(t, exclude_forms);
	tcase_add_test(t, exclude_ranges_merge);
	tcase_add_test(t, exclude_errors);
	tcase_add_test(t, exclude_file);
	suite_add_tcase(s, t);

	tcase_add_test(p, ports_ranges);
	tcase_add_test(p, ports_order_and_dedup);
	tcase_add_test(p, ports_protocols);
	tcase_add_test(p, ports_of_each_protocol_scanned);
	tcase_add_test(p, ports_names);
	tcase_add_test(p, ports_brackets);
	tcase_add_test(p, ports_errors);
	tcase_add_test(p, ports_format);
	tcase_add_test(p, services_table);
	tcase_add_test(p, ports_top);
	tcase_add_test(p, ports_top_of);
	tcase_add_test(p, builtin_table);
	tcase_set_timeout(p, 30);
	suite_add_tcase(s, p);

	tcase_add_test(o, time_syntax);
	tcase_add_test(o, opts_defaults);
	tcase_add_test(o, opts_default_services);
	tcase_add_test(o, opts_version_detection);
	tcase_add_test(o, opts_timing);
	tcase_add_test(o, opts_limits);
	tcase_add_test(o, opts_verbosity);
	tcase_add_test(o, opts_ignored_and_dns);
	tcase_add_test(o, opts_outputs);
	tcase_add_test(o, opts_ports);
	tcase_add_test(o, opts_ports_with_top);
	tcase_add_test(o, opts_scan_types);
	tcase_add_test(o, opts_targets);
	tcase_add_test(o, opts_target_file);
	tcase_add_test(o, opts_modes);
	tcase_add_test(o, opts_errors);
	tcase_add_test(o, opts_errors_outputs);
	tcase_add_test(o, opts_errors_second_pass);
	tcase_add_test(o, opts_exclude);
	tcase_add_test(o, opts_resume);
	tcase_add_test(o, opts_nmap_habits);
	tcase_add_test(o, opts_usage_lists_every_option);
	tcase_set_timeout(o, 30);
	suite_add_tcase(s, o);
	return s;
}

#include "check_main.h"
