/*
 * Unit tests of runtime/match/fingerprint.c.  The "nmap793" cases replay real
 * runs of Debian 12's Nmap 7.93 (nmap -sV -sT -p PORT 127.0.0.1 against
 * a local server sending tests/data/nmap793/fp-PORT.bin and closing; see
 * lab.py and srv.py there) and must give its normal output byte for byte,
 * with V, D, Time and P passed in.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprint.h"

/* --- helpers --------------------------------------------------------------- */

static char *slurp(const char *name, size_t *len)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof path, "%s/tests/data/nmap793/%s",
		 top ? top : "..", name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static const struct svd_fp_params base = {
	.port = 42001, .proto = "TCP", .intensity = 7, .version = "7.93",
	.platform = "x86_64-pc-linux-gnu", .month = 11, .day = 25,
	.time = 0x6B065157
};

/* Adds resp under each name in turn (the server answered them all alike). */
static void add_all(struct svd_fp *fp, const char *const *names,
		    const char *resp, size_t len)
{
	for (; *names; names++)
		ck_assert_int_eq(svd_fp_add(fp, *names,
					    (const unsigned char *)resp, len), 0);
}

/* What svd_fp_print() writes for n texts. */
static char *print_block(const char *const *fps, size_t n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(svd_fp_print(f, fps, n, "0.1.0"), 0);
	fclose(f);
	return out;
}

/* Past the block's first line: Nmap's names Nmap and its submission page,
 * ours names svdetect (test_print); the fingerprints are the same. */
static const char *after_banner(const char *block)
{
	const char *nl = strchr(block, '\n');

	ck_assert_ptr_nonnull(nl);
	return nl + 1;
}

/* The text with the wrapping taken out (escaped bytes never hold a raw
 * newline, so every "\nSF:" is a wrap). */
static char *flatten(const char *t)
{
	char *flat = malloc(strlen(t) + 1), *o = flat;

	ck_assert_ptr_nonnull(flat);
	while (*t) {
		if (!strncmp(t, "\nSF:", 4)) {
			t += 4;
			continue;
		}
		*o++ = *t++;
	}
	*o = '\0';
	return flat;
}

/* The response escaped, as it appears between %r(P,LEN," and "). */
static char *body_of(const unsigned char *resp, size_t len)
{
	static struct svd_fp fp;
	char *flat, *b, *e;

	svd_fp_init(&fp, &base);
	ck_assert_int_eq(svd_fp_add(&fp, "P", resp, len), 0);
	flat = flatten(svd_fp_text(&fp, NULL));
	b = strstr(flat, "%r(P,");
	ck_assert_ptr_nonnull(b);
	b = strchr(b, '"') + 1;
	e = flat + strlen(flat) - 3;
	ck_assert_str_eq(e, "\");");
	*e = '\0';
	memmove(flat, b, strlen(b) + 1);
	return flat;
}

/* --- Nmap 7.93 replays ------------------------------------------------------ */

/* 304 bytes, every byte value: the third response passes 2200 bytes, so
 * the fourth probe is left out. */
START_TEST(test_nmap793_single)
{
	static const char *const names[] = {
		"NULL", "GenericLines", "GetRequest", "HTTPOptions", "RTSPRequest",
		NULL
	};
	static struct svd_fp fp;
	size_t rlen, wlen;
	char *resp = slurp("fp-42001.bin", &rlen);
	char *want = slurp("fp-42001.out", &wlen);
	const char *t;
	char *got;

	svd_fp_init(&fp, &base);
	add_all(&fp, names, resp, rlen);
	t = svd_fp_text(&fp, NULL);
	got = print_block(&t, 1);
	ck_assert_str_eq(after_banner(got), after_banner(want));
	free(got);
	free(resp);
	free(want);
}
END_TEST

/* Two services: a 1000-byte answer (cut at 900, a NUL just before the
 * cut followed by a digit just after it) and a 14-byte one on 25 probes. */
START_TEST(test_nmap793_pair)
{
	static const char *const big[] = {
		"NULL", "GenericLines", "GetRequest", NULL
	};
	static const char *const small[] = {
		"NULL", "GenericLines", "GetRequest", "HTTPOptions", "RPCCheck",
		"DNSVersionBindReqTCP", "Help", "SSLSessionReq",
		"TerminalServerCookie", "TLSSessionReq", "SMBProgNeg", "X11Probe",
		"FourOhFourRequest", "LPDString", "LDAPSearchReq", "LDAPBindReq",
		"SIPOptions", "LANDesk-RC", "TerminalServer", "NCP", "JavaRMI",
		"WMSRequest", "oracle-tns", "ms-sql-s", "giop", NULL
	};
	static struct svd_fp fa, fb;
	struct svd_fp_params p = base;
	size_t alen, blen, wlen;
	char *a = slurp("fp-42002.bin", &alen);
	char *b = slurp("fp-42003.bin", &blen);
	char *want = slurp("fp-42002-42003.out", &wlen);
	const char *t[2];
	char *got;

	p.time = 0x6B06521A;
	p.port = 42002;
	svd_fp_init(&fa, &p);
	add_all(&fa, big, a, alen);
	p.port = 42003;
	svd_fp_init(&fb, &p);
	add_all(&fb, small, b, blen);
	t[0] = svd_fp_text(&fa, NULL);
	t[1] = svd_fp_text(&fb, NULL);
	got = print_block(t, 2);
	ck_assert_str_eq(after_banner(got), after_banner(want));
	free(got);
	free(a);
	free(b);
	free(want);
}
END_TEST

/* --- escaping ------------------------------------------------------------ */

struct esc {
	const char *in;
	size_t len;
	const char *out;
};

#define S(x) x, sizeof(x) - 1

static const struct esc escapes[] = {
	{ S("azAZ09"), "azAZ09" },
	/* \0 becomes \x00 only before a digit, which would extend it. */
	{ S("\0"), "\\0" },
	{ S("\0a"), "\\0a" },
	{ S("\0" "1"), "\\x001" },
	{ S("\0\0" "9"), "\\0\\x009" },
	{ S("\\?\"[]()"), "\\\\\\?\\\"\\[\\]\\(\\)" },
	{ S(".*+$^|"), "\\.\\*\\+\\$\\^\\|" },
	{ S("!#%&',-/:;<=>@_`{}~"), "!#%&',-/:;<=>@_`{}~" },
	{ S(" "), "\\x20" },
	{ S("\r\n\t"), "\\r\\n\\t" },
	{ S("\v\f\a\b\x1b"), "\\x0b\\x0c\\x07\\x08\\x1b" },
	{ S("\x7f\x80\xe9\xff"), "\\x7f\\x80\\xe9\\xff" },
};

START_TEST(test_escapes)
{
	size_t i;

	for (i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
		char *got = body_of((const unsigned char *)escapes[i].in,
				    escapes[i].len);

		ck_assert_msg(strcmp(got, escapes[i].out) == 0,
			      "row %zu: got \"%s\", want \"%s\"", i, got,
			      escapes[i].out);
		free(got);
	}
}
END_TEST

/* --- header, wrapping and limits ------------------------------------------ */

START_TEST(test_header)
{
	static struct svd_fp fp;
	struct svd_fp_params p = base;
	const char *t;

	p.port = 161;
	p.proto = "UDP";
	p.ssl = 1;
	p.intensity = 9;
	p.month = 1;
	p.day = 2;
	p.time = 0x80000001LL + 0x100000000LL; /* printed as 32 bits */
	p.platform = "p";
	p.version = "7.93";
	svd_fp_init(&fp, &p);
	ck_assert_ptr_null(svd_fp_text(&fp, NULL));
	ck_assert_int_eq(svd_fp_add(&fp, "SNMPv1public",
				    (const unsigned char *)"x", 1), 0);
	t = svd_fp_text(&fp, NULL);
	ck_assert_str_eq(t, "SF-Port161-UDP:V=7.93%T=SSL%I=9%D=1/2%Time=80000001"
			 "%P=p%r(SNMPv1public,1,\"\nSF:x\");");
}
END_TEST

/* Nmap formats the header and each "%r(" into a char[128]. */
START_TEST(test_piece_truncation)
{
	static struct svd_fp fp;
	struct svd_fp_params p = base;
	char plat[200], name[200], want[512];
	const char *t;
	size_t n;

	memset(plat, 'p', sizeof plat - 1);
	plat[sizeof plat - 1] = '\0';
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	p.platform = plat;
	svd_fp_init(&fp, &p);
	ck_assert_int_eq(svd_fp_add(&fp, name, (const unsigned char *)"x", 1),
			 0);
	t = svd_fp_text(&fp, &n);
	snprintf(want, sizeof want,
		 "SF-Port42001-TCP:V=7.93%%I=7%%D=11/25%%Time=6B065157%%P=%s",
		 plat);
	ck_assert_int_eq(strncmp(t, want, 74), 0);
	ck_assert_int_eq(strncmp(t + 74, "\nSF:", 4), 0);
	ck_assert_int_eq(strncmp(t + 78, want + 74, 127 - 74), 0);
	/* 127 header bytes, then "%r(" and 124 name bytes, then "x\");" */
	ck_assert_int_eq(strncmp(t + 78 + 53, "%r(nnn", 6), 0);
	ck_assert_str_eq(t + n - 5, "nx\");");
}
END_TEST

/* Every line holds 74 bytes, "SF:" included; only ';' may pass that. */
START_TEST(test_wrapping)
{
	static struct svd_fp fp;
	unsigned char resp[700];
	const char *t, *line, *nl;
	size_t n, i, lines = 0;

	for (i = 0; i < sizeof resp; i++)
		resp[i] = (unsigned char)(i * 37 + 11);
	svd_fp_init(&fp, &base);
	ck_assert_int_eq(svd_fp_add(&fp, "NULL", resp, sizeof resp), 0);
	t = svd_fp_text(&fp, &n);
	ck_assert_uint_eq(n, strlen(t));
	for (line = t; (nl = strchr(line, '\n')); line = nl + 1, lines++) {
		ck_assert_int_eq(nl - line, 74);
		ck_assert_int_eq(strncmp(nl + 1, "SF:", 3), 0);
	}
	ck_assert_uint_gt(lines, 10);
	ck_assert_uint_le(strlen(line), 75);
	ck_assert_int_eq(t[n - 1], ';');
}
END_TEST

/* A last line of exactly 74 bytes: the ';' goes on it, unwrapped. */
START_TEST(test_semicolon_unwrapped)
{
	static struct svd_fp fp;
	struct svd_fp_params p = base;
	char resp[80];
	const char *t;
	size_t n;

	/* Header "SF-Port42001-TCP:V=7.93%I=7%D=11/25%Time=6B065157%P=x" is
	 * 53 bytes, "%r(P,A,\"" 8 more; 11 'a's and "\")" reach 74. */
	p.platform = "x";
	memset(resp, 'a', sizeof resp);
	svd_fp_init(&fp, &p);
	ck_assert_int_eq(svd_fp_add(&fp, "P", (const unsigned char *)resp, 11),
			 0);
	t = svd_fp_text(&fp, &n);
	ck_assert_uint_eq(n, 75);
	ck_assert_ptr_null(strchr(t, '\n'));
	/* One more byte wraps before the closing ')'. */
	svd_fp_init(&fp, &p);
	ck_assert_int_eq(svd_fp_add(&fp, "P", (const unsigned char *)resp, 12),
			 0);
	t = svd_fp_text(&fp, &n);
	ck_assert_str_eq(t + n - 6, "\nSF:);");
}
END_TEST

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

/* Responses are cut to 900 bytes (1300 with -d), but the length field
 * gives the full size. */
START_TEST(test_response_cut)
{
	static struct svd_fp fp;
	struct svd_fp_params p = base;
	unsigned char resp[2000];
	char *t;

	p.platform = "x"; /* no letters the checks count */
	memset(resp, 'a', sizeof resp);
	resp[899] = 'b';
	resp[900] = 'c';
	svd_fp_init(&fp, &p);
	ck_assert_int_eq(svd_fp_add(&fp, "P", resp, 1000), 0);
	t = flatten(svd_fp_text(&fp, NULL));
	ck_assert_ptr_nonnull(strstr(t, "%r(P,3E8,\"aaa"));
	ck_assert_uint_eq(count(t, "a"), 899);
	ck_assert_ptr_nonnull(strstr(t, "ab\");"));
	ck_assert_uint_eq(count(t, "c"), 0);
	free(t);

	p.debugging = 1;
	svd_fp_init(&fp, &p);
	resp[1299] = 'd';
	ck_assert_int_eq(svd_fp_add(&fp, "P", resp, 2000), 0);
	t = flatten(svd_fp_text(&fp, NULL));
	ck_assert_ptr_nonnull(strstr(t, "%r(P,7D0,\"aaa"));
	ck_assert_uint_eq(count(t, "c"), 1);
	ck_assert_ptr_nonnull(strstr(t, "ad\");"));
	free(t);
}
END_TEST

/*
 * Appending stops once the text is past 2200 bytes (10000 with -d): at
 * exactly the limit one more response still goes in.  The first
 * response's size is searched so that the text lands on the limit.
 */
static void check_limit(int debugging, size_t limit)
{
	static struct svd_fp fp;
	struct svd_fp_params p = base;
	static unsigned char resp[1300];
	size_t k, before, hit = 0;
	const char *names[] = { "P", "PP", "PPP", "PPPP", "PPPPP" };
	size_t ni;

	p.debugging = debugging;
	memset(resp, 'a', sizeof resp);
	/* Fill with several responses of k bytes, then probe the limit. */
	for (ni = 0; ni < 5 && !hit; ni++) {
		for (k = 1; k <= (debugging ? 1300u : 900u) && !hit; k++) {
			svd_fp_init(&fp, &p);
			while (fp.len + k + 20 < limit)
				svd_fp_add(&fp, "Q", resp, k);
			svd_fp_add(&fp, names[ni], resp, k);
			if (fp.len == limit)
				hit = k;
		}
	}
	ck_assert_msg(hit, "no size lands on %zu", limit);
	before = fp.len;
	ck_assert_int_eq(svd_fp_add(&fp, "Z", resp, 5), 0);
	ck_assert_uint_gt(fp.len, before);
	ck_assert_uint_gt(fp.len, limit);
	before = fp.len;
	ck_assert_int_eq(svd_fp_add(&fp, "Y", resp, 5), 0);
	ck_assert_uint_eq(fp.len, before);
	ck_assert_ptr_null(strstr(svd_fp_text(&fp, NULL), "%r(Y"));
}

START_TEST(test_total_limit)
{
	check_limit(0, 2200);
	check_limit(1, 10000);
}
END_TEST

START_TEST(test_empty_and_reuse)
{
	static struct svd_fp fp;
	const char *t;
	size_t n;

	svd_fp_init(&fp, &base);
	ck_assert_int_eq(svd_fp_add(&fp, "P", (const unsigned char *)"", 0), -1);
	ck_assert_ptr_null(svd_fp_text(&fp, &n));
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(svd_fp_add(&fp, "A", (const unsigned char *)"1", 1), 0);
	t = svd_fp_text(&fp, &n);
	ck_assert_str_eq(t + n - 9, "A,1,\"1\");");
	/* The ';' is not part of the text: later responses replace it. */
	ck_assert_int_eq(svd_fp_add(&fp, "B", (const unsigned char *)"2", 1), 0);
	t = svd_fp_text(&fp, &n);
	ck_assert_ptr_nonnull(strstr(t, "\"1\")%r(B,1,\"2\");"));
	ck_assert_uint_eq(count(t, ";"), 1);
}
END_TEST

/* --- normal output --------------------------------------------------------- */

START_TEST(test_print)
{
	const char *fps[12];
	char *got;
	size_t i;

	for (i = 0; i < 12; i++)
		fps[i] = "SF:x;";
	got = print_block(fps, 0);
	ck_assert_str_eq(got, "");
	free(got);
	got = print_block(fps, 12);
	ck_assert_ptr_nonnull(strstr(got, "9 services unrecognized"));
	ck_assert_ptr_nonnull(strstr(got, " svdetect 0.1.0's fingerprints of them:\n"));
	ck_assert_uint_eq(count(got, "==============NEXT SERVICE FINGERPRINT"
			       " (SUBMIT INDIVIDUALLY)==============\nSF:x;\n"), 9);
	free(got);
	got = print_block(fps, 1);
	/* Named after the program that wrote it; no place to submit it to. */
	ck_assert_str_eq(got, "1 service unrecognized despite returning data."
			 " svdetect 0.1.0's fingerprint of it:\n"
			 "SF:x;\n");
	free(got);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fingerprint");
	TCase *tc = tcase_create("nmap793");

	tcase_add_test(tc, test_nmap793_single);
	tcase_add_test(tc, test_nmap793_pair);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_add_test(tc, test_escapes);
	tcase_add_test(tc, test_header);
	tcase_add_test(tc, test_piece_truncation);
	tcase_add_test(tc, test_wrapping);
	tcase_add_test(tc, test_semicolon_unwrapped);
	tcase_add_test(tc, test_response_cut);
	tcase_add_test(tc, test_total_limit);
	tcase_add_test(tc, test_empty_and_reuse);
	tcase_add_test(tc, test_print);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
