/*
 * Unit tests of runtime/match/examples.c (the signature examples format)
 * and examples_check.c (running them), the latter against our own
 * compiled-in set (generated/own), as svdetect --test-examples runs it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "examples.h"
#include "examples_check.h"
#include "sigdb.h"

extern const struct svd_sigdb svd_sigdb_own;

/* What parsing text gives: the examples, the error count and messages. */
struct parsed {
	struct svd_examples ex;
	unsigned errors;
	char *msgs;
	size_t msgs_len;
};

static void parse(struct parsed *p, const char *text, size_t len)
{
	FILE *err;

	memset(p, 0, sizeof *p);
	err = open_memstream(&p->msgs, &p->msgs_len);
	ck_assert_ptr_nonnull(err);
	p->errors = svd_examples_parse(&p->ex, "t.ex", text, len, err);
	ck_assert_int_eq(fclose(err), 0);
}

static void parsed_free(struct parsed *p)
{
	svd_examples_free(&p->ex);
	free(p->msgs);
}

/* text must give exactly the one error message msg (with its newline), and no example. */
static void parse_error(const char *text, const char *msg)
{
	struct parsed p;

	parse(&p, text, strlen(text));
	ck_assert_msg(p.errors == 1 && strcmp(p.msgs, msg) == 0,
		      "for %s\nwanted %sgot %u errors: %s", text, msg, p.errors, p.msgs);
	ck_assert_uint_eq(p.ex.n, 0);
	parsed_free(&p);
}

/* --- parsing ------------------------------------------------------------------- */

START_TEST(test_full_example)
{
	static const char text[] =
		"# a comment\n"
		"\n"
		"probe TCP NULL\r\n"
		"  response q|SSH-2.0-x\\r\\n|\n"
		"\tresponse q/\\0\\x41|\\\\\\\"/\n"
		"  expect match ssh p/OpenSSH/ v|9.2p1| i/protocol 2.0/ h/host/ o/Linux/ d/router/"
		" cpe:/a:openbsd:openssh:9.2p1/ cpe:|o:linux:linux_kernel|a cpe:/h:cisco:2900/\n"
		"probe UDP DNSVersionUDP\n"
		"response q|SV|\n"
		"expect softmatch domain\n"
		"probe TCP GetRequest\n"
		"expect nomatch\n"
		"response q|x|";
	static const unsigned char resp[] = "SSH-2.0-x\r\n\0A|\\\"";
	struct parsed p;
	const struct svd_example *x;

	parse(&p, text, sizeof text - 1);
	ck_assert_msg(p.errors == 0, "%s", p.msgs);
	ck_assert_uint_eq(p.ex.n, 3);
	ck_assert_str_eq(p.ex.file, "t.ex");
	x = &p.ex.v[0];
	ck_assert_uint_eq(x->line, 3);
	ck_assert_int_eq(x->proto, SVD_TCP);
	ck_assert_str_eq(x->probe, "NULL");
	ck_assert_uint_eq(x->len, sizeof resp - 1);
	ck_assert_mem_eq(x->response, resp, sizeof resp - 1);
	ck_assert_int_eq(x->expect, SVD_EXPECT_MATCH);
	ck_assert_str_eq(x->service, "ssh");
	ck_assert_str_eq(x->want.product, "OpenSSH");
	ck_assert_str_eq(x->want.version, "9.2p1");
	ck_assert_str_eq(x->want.info, "protocol 2.0");
	ck_assert_str_eq(x->want.hostname, "host");
	ck_assert_str_eq(x->want.ostype, "Linux");
	ck_assert_str_eq(x->want.devtype, "router");
	ck_assert_str_eq(x->want.cpe_a, "cpe:/a:openbsd:openssh:9.2p1");
	ck_assert_str_eq(x->want.cpe_h, "cpe:/h:cisco:2900");
	ck_assert_str_eq(x->want.cpe_o, "cpe:/o:linux:linux_kernel");
	x = &p.ex.v[1];
	ck_assert_uint_eq(x->line, 7);
	ck_assert_int_eq(x->proto, SVD_UDP);
	ck_assert_int_eq(x->expect, SVD_EXPECT_SOFTMATCH);
	ck_assert_str_eq(x->service, "domain");
	ck_assert_str_eq(x->want.product, "");
	ck_assert_str_eq(x->want.cpe_a, "");
	x = &p.ex.v[2];
	ck_assert_int_eq(x->expect, SVD_EXPECT_NOMATCH);
	ck_assert_ptr_null(x->service);
	ck_assert_uint_eq(x->len, 1);
	parsed_free(&p);
}
END_TEST

/* Parsing appends: a second file's examples follow the first's. */
START_TEST(test_appends)
{
	static const char text[] = "probe TCP NULL\nresponse q|a|\nexpect nomatch\n";
	struct parsed p;
	FILE *err = fopen("/dev/null", "w");

	parse(&p, text, sizeof text - 1);
	ck_assert_ptr_nonnull(err);
	ck_assert_uint_eq(svd_examples_parse(&p.ex, "u.ex", text, sizeof text - 1, err), 0);
	fclose(err);
	ck_assert_uint_eq(p.ex.n, 2);
	parsed_free(&p);
}
END_TEST

START_TEST(test_errors)
{
	/* Each: the text, and the one message it gives. */
	static const char *const cases[][2] = {
		{ "frob\n", "t.ex:1:1: error: unknown directive (probe, response, expect)\n" },
		{ "response q|x|\n", "t.ex:1:1: error: `response` before any `probe` line\n" },
		{ "  expect nomatch\n", "t.ex:1:3: error: `expect` before any `probe` line\n" },
		{ "probe SCTP X\nresponse q|x|\nexpect nomatch\n", "t.ex:1:7: error: expected TCP or UDP\n" },
		{ "probe TCP\nresponse q|x|\nexpect nomatch\n", "t.ex:1:10: error: expected a probe name\n" },
		{ "probe TCP a*b\nresponse q|x|\nexpect nomatch\n", "t.ex:1:12: error: bad character in probe name\n" },
		{ "probe TCP a b\nresponse q|x|\nexpect nomatch\n", "t.ex:1:13: error: unexpected text at the end of the line\n" },
		{ "probe TCP A\nresponse |x|\nexpect nomatch\n",
		  "t.ex:2:10: error: expected q and a delimited response, as q|...|\n" },
		{ "probe TCP A\nresponse qx|\nexpect nomatch\n",
		  "t.ex:2:11: error: expected a delimiter (any character but a letter, ':' or a blank)\n" },
		{ "probe TCP A\nresponse q|abc\nexpect nomatch\n", "t.ex:2:11: error: no closing '|'\n" },
		{ "probe TCP A\nresponse q|ab\\xZ1|\nexpect nomatch\n",
		  "t.ex:2:14: error: bad escape (\\0 \\a \\b \\f \\n \\r \\t \\v \\xHH, "
		  "or \\ before a character that is not a letter or digit)\n" },
		{ "probe TCP A\nresponse q|a\\q|\nexpect nomatch\n",
		  "t.ex:2:13: error: bad escape (\\0 \\a \\b \\f \\n \\r \\t \\v \\xHH, "
		  "or \\ before a character that is not a letter or digit)\n" },
		{ "probe TCP A\nresponse q|x| y\nexpect nomatch\n",
		  "t.ex:2:15: error: unexpected text at the end of the line\n" },
		{ "probe TCP A\nresponse q|x|\nexpect maybe\n",
		  "t.ex:3:8: error: expected match, softmatch or nomatch\n" },
		{ "probe TCP A\nresponse q|x|\nexpect match\n", "t.ex:3:13: error: expected a service name\n" },
		{ "probe TCP A\nresponse q|x|\nexpect match s*sh\n", "t.ex:3:15: error: bad character in service name\n" },
		{ "probe TCP A\nresponse q|x|\nexpect nomatch p/x/\n",
		  "t.ex:3:16: error: unexpected text at the end of the line\n" },
		{ "probe TCP A\nresponse q|x|\nexpect match s x/y/\n",
		  "t.ex:3:16: error: expected a field: p/ v/ i/ h/ o/ d/ or cpe:/\n" },
		{ "probe TCP A\nresponse q|x|\nexpect match s p/a/ p/b/\n",
		  "t.ex:3:21: error: a second value for that field\n" },
		{ "probe TCP A\nresponse q|x|\nexpect match s cpe:/a:x/ cpe:/a:y/\n",
		  "t.ex:3:26: error: a second CPE of that part (a match gives at most one of each)\n" },
		{ "probe TCP A\nresponse q|x|\nexpect match s cpe:/x:y/\n",
		  "t.ex:3:21: error: a CPE starts with its part, a: h: or o:\n" },
		{ "probe TCP A\nresponse q|x|\nexpect match s p/x/i/y/\n",
		  "t.ex:3:20: error: expected a blank after the field\n" },
		{ "probe TCP A\nresponse q|x|\nexpect match s p//\n",
		  "t.ex:3:18: error: an empty value (leave the field out instead)\n" },
		{ "probe TCP A\nresponse q|x|\nexpect match s p/a\tb/\n",
		  "t.ex:3:19: error: a byte outside printable ASCII (outputs show those as '.')\n" },
		{ "probe TCP A\nresponse q|x|\nexpect match s o/0123456789012345678901234567890123/\n",
		  "t.ex:3:18: error: longer than the field can be (31 bytes)\n" },
		{ "probe TCP A\nresponse q|x|\nexpect nomatch\nexpect nomatch\n",
		  "t.ex:4:1: error: a second `expect` line for this example\n" },
		{ "probe TCP A\nexpect nomatch\n", "t.ex:1:1: error: example has no `response` line\n" },
		{ "probe TCP A\nresponse q||\nexpect nomatch\n",
		  "t.ex:1:1: error: the response is empty (nothing ever matches an empty response)\n" },
		{ "probe TCP A\nresponse q|x|\n", "t.ex:1:1: error: example has no `expect` line\n" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		parse_error(cases[i][0], cases[i][1]);
}
END_TEST

START_TEST(test_nul_byte)
{
	static const char text[] = "probe TCP A\nresponse q|a\0|\nexpect nomatch\n";
	struct parsed p;

	parse(&p, text, sizeof text - 1);
	ck_assert_uint_eq(p.errors, 1);
	ck_assert_str_eq(p.msgs, "t.ex:2:13: error: a NUL byte (write \\0 in a response)\n");
	ck_assert_uint_eq(p.ex.n, 0);
	parsed_free(&p);
}
END_TEST

/* An example with errors is left out; those around it are kept. */
START_TEST(test_error_drops_one)
{
	static const char text[] =
		"probe TCP A\nresponse q|x|\nexpect nomatch\n"
		"probe TCP B\nresponse q|x\\|\nexpect nomatch\n"
		"probe TCP C\nresponse q|x|\nexpect nomatch\n";
	struct parsed p;

	parse(&p, text, sizeof text - 1);
	ck_assert_uint_eq(p.errors, 1);
	ck_assert_uint_eq(p.ex.n, 2);
	ck_assert_str_eq(p.ex.v[0].probe, "A");
	ck_assert_str_eq(p.ex.v[1].probe, "C");
	parsed_free(&p);
}
END_TEST

START_TEST(test_load_missing)
{
	struct svd_examples ex = { 0 };
	char *msgs = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msgs, &len);

	ck_assert_ptr_nonnull(err);
	ck_assert_uint_eq(svd_examples_load(&ex, "/nonexistent/x.examples", err), 1);
	fclose(err);
	ck_assert_str_eq(msgs, "/nonexistent/x.examples: error: No such file or directory\n");
	ck_assert_uint_eq(ex.n, 0);
	svd_examples_free(&ex);
	free(msgs);
}
END_TEST

/* --- checking, against our own set -------------------------------------------- */

/* Checks text's examples against the own set; *out gets what is printed. */
static long check(const char *text, char **out, unsigned char *hit)
{
	struct parsed p;
	size_t len = 0;
	FILE *f;
	long failed;

	parse(&p, text, strlen(text));
	ck_assert_msg(p.errors == 0, "%s", p.msgs);
	f = open_memstream(out, &len);
	ck_assert_ptr_nonnull(f);
	failed = svd_examples_check(&svd_sigdb_own, &p.ex, f, hit);
	fclose(f);
	parsed_free(&p);
	return failed;
}

static uint32_t line_of(const struct svd_sigdb *db, size_t match)
{
	return db->matches[match].line;
}

START_TEST(test_check_pass)
{
	const struct svd_sigdb *db = &svd_sigdb_own;
	unsigned char *hit = calloc(db->nmatches, 1);
	char *out = NULL;
	size_t i, nhit = 0;

	ck_assert_ptr_nonnull(hit);
	ck_assert_int_eq(check("probe TCP MemcachedVersion\nresponse q|VERSION 1.6.18\\r\\n|\n"
			       "expect match memcached p/Memcached/ v/1.6.18/ "
			       "cpe:/a:memcached:memcached:1.6.18/a\n"
			       "probe TCP GenericLines\nresponse q|ERROR\\r\\nERROR\\r\\n|\n"
			       "expect softmatch memcached\n"
			       "probe TCP GetRequest\nresponse q|hello|\nexpect nomatch\n",
			       &out, hit), 0);
	ck_assert_str_eq(out, "");
	/* The two lines ended on, and no other. */
	for (i = 0; i < db->nmatches; i++)
		if (hit[i]) {
			nhit++;
			ck_assert_str_eq(db->matches[i].service, "memcached");
		}
	ck_assert_uint_eq(nhit, 2);
	free(out);
	free(hit);
}
END_TEST

START_TEST(test_check_diff)
{
	const struct svd_sigdb *db = &svd_sigdb_own;
	unsigned char *hit = calloc(db->nmatches, 1);
	char *out = NULL, want[1024];
	size_t i, mem = 0, soft = 0;

	ck_assert_ptr_nonnull(hit);
	/* The set's two memcached lines: the version probe's and GenericLines'. */
	for (i = 0; i < db->nmatches; i++)
		if (strcmp(db->matches[i].service, "memcached") == 0)
			*(db->matches[i].soft ? &soft : &mem) = i;
	ck_assert_int_eq(check("probe TCP MemcachedVersion\nresponse q|VERSION 1.6.18\\r\\n|\n"
			       "expect match memcached p/memcached/ v/1.6.18/ o/Linux/\n"
			       "probe TCP GetRequest\nresponse q|hello|\nexpect softmatch http\n"
			       "probe TCP GenericLines\nresponse q|ERROR\\r\\nERROR\\r\\n|\n"
			       "expect match memcached\n"
			       "probe UDP NoSuch\nresponse q|x|\nexpect nomatch\n",
			       &out, hit), 4);
	snprintf(want, sizeof want,
		 "t.ex:1: example for probe TCP:MemcachedVersion fails: the response ends on the match line %u of %s\n"
		 "  product     expected \"memcached\"\n"
		 "              got      \"Memcached\"\n"
		 "  ostype      expected \"Linux\"\n"
		 "              got      \"\"\n"
		 "  cpe (a)     expected \"\"\n"
		 "              got      \"cpe:/a:memcached:memcached:1.6.18\"\n"
		 "t.ex:4: example for probe TCP:GetRequest fails: no line of the own signatures matches the response\n"
		 "  result      expected softmatch http\n"
		 "              got      nomatch\n"
		 "t.ex:7: example for probe TCP:GenericLines fails: the response ends on the softmatch line %u of %s\n"
		 "  result      expected match memcached\n"
		 "              got      softmatch memcached\n"
		 "t.ex:10: example for probe UDP:NoSuch fails: the own signatures have no such probe\n",
		 line_of(db, mem), db->source, line_of(db, soft), db->source);
	ck_assert_str_eq(out, want);
	/* Failed examples reach nothing. */
	for (i = 0; i < db->nmatches; i++)
		ck_assert_int_eq(hit[i], 0);
	free(out);
	free(hit);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("examples");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_full_example);
	tcase_add_test(tc, test_appends);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_error_drops_one);
	tcase_add_test(tc, test_load_missing);
	suite_add_tcase(s, tc);
	tc = tcase_create("check");
	tcase_add_test(tc, test_check_pass);
	tcase_add_test(tc, test_check_diff);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
