/*
 * Unit tests of the regex layer: parse errors and their columns, flag
 * resolution into the IR, the reference matcher per construct, and the
 * prefilter facts (filter.h) with the tree built from them.
 * Expected answers are PCRE's (checked against PCRE2 by hand and by
 * tests/regex_diff); where PCRE 8.39 differs from PCRE2 the test says so.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "filter.h"
#include "prefix_tree.h"
#include "regex.h"

static struct arena arena;
static unsigned long budget = 1000000;

static void setup(void)
{
	arena_init(&arena);
}

static void teardown(void)
{
	arena_free(&arena);
}

static bool parse(const char *pat, unsigned flags, struct regex *re,
		  struct diag *d)
{
	struct loc at = { "t.probes", 3, 10 };

	diag_init(d, NULL);
	return regex_parse(&arena, (const unsigned char *)pat, strlen(pat), flags,
			   at, d, re);
}

/* The IR of pat as regex_dump() prints it, without the newline. */
static const char *ir(const char *pat, unsigned flags)
{
	static char buf[4096];
	struct regex re;
	struct diag d;
	FILE *f;

	if (!parse(pat, flags, &re, &d))
		return "ERROR";
	f = fmemopen(buf, sizeof buf, "w");
	regex_dump(&re, f);
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

/*
 * Runs pat on subj; returns "nomatch", "limit", or the ovector as
 * "s,e s,e ..." (unset groups -1,-1).
 */
static const char *run(const char *pat, unsigned flags, const char *subj,
		       size_t len)
{
	static char buf[1024];
	struct regex re;
	struct rx_prog prog;
	struct rx_vm vm;
	struct diag d;
	long ov[64];
	enum rx_result r;
	size_t n = 0;

	if (!parse(pat, flags, &re, &d))
		return "ERROR";
	regex_compile(&arena, &re, &prog);
	rx_vm_init(&vm);
	r = regex_exec(&prog, &vm, (const unsigned char *)subj, len, ov, budget);
	rx_vm_free(&vm);
	if (r == RX_NOMATCH)
		return "nomatch";
	if (r == RX_LIMIT)
		return "limit";
	buf[0] = 0;
	for (unsigned k = 0; k <= re.ncaps && n < sizeof buf - 32; k++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%ld,%ld", k ? " " : "",
				      ov[2 * k], ov[2 * k + 1]);
	return buf;
}

#define RUN(pat, subj) run(pat, 0, subj, strlen(subj))

/* ---- errors ---------------------------------------------------------------- */

struct err_case {
	const char *pat;
	size_t off; /* PCRE2's erroroffset */
};

static const struct err_case err_cases[] = {
	{ "*a", 0 }, { "a**", 2 }, { "\\b*", 2 }, { "^*", 1 }, { "a{2}{3}", 6 },
	{ "a{3,2}", 5 }, { "[z-a]", 3 }, { "(a", 2 }, { "a)", 1 }, { "[a", 2 },
	{ "a\\", 2 }, { "\\2(a)", 1 }, { "(?<=a+)b", 0 }, { "[[:foo:]]", 3 },
	{ "a{99999}", 7 }, { "\\c", 2 }, { "(?z)", 2 }, { "[:alpha:]", 0 },
	{ "\\x{100}", 6 }, { "(?<n>a)(?<n>b)", 12 }, { "\\g{1}", 4 },
	{ "(?P=n)", 4 }, { "(?<=a|bc(d|ef))", 0 },
};

START_TEST(test_error_offsets)
{
	const struct err_case *c = &err_cases[_i];
	struct regex re;
	struct diag d;

	ck_assert_msg(!parse(c->pat, 0, &re, &d), "/%s/ accepted", c->pat);
	ck_assert_uint_eq(d.errors, 1);
	ck_assert_msg(re.err_off == c->off, "/%s/: offset %zu, want %zu", c->pat,
		      re.err_off, c->off);
}
END_TEST

START_TEST(test_error_column)
{
	struct regex re;
	struct diag d;
	char buf[256] = "";
	FILE *f = fmemopen(buf, sizeof buf, "w");
	struct loc at = { "t.probes", 3, 10 };

	diag_init(&d, f);
	ck_assert(!regex_parse(&arena, (const unsigned char *)"ab[c", 4, 0, at, &d, &re));
	fclose(f);
	/* Column = column of the pattern's first byte + PCRE's offset. */
	ck_assert_str_eq(buf, "t.probes:3:14: error: regex: missing terminating ] for character class\n");
}
END_TEST

/* Not-quantifier braces are literals; unknown letter escapes too (PCRE1). */
START_TEST(test_literals)
{
	ck_assert_str_eq(RUN("a{,2}", "a{,2}"), "0,5");
	ck_assert_str_eq(RUN("a{x}", "a{x}"), "0,4");
	ck_assert_str_eq(RUN("x{", "x{"), "0,2");
	ck_assert_str_eq(RUN("\\y", "y"), "0,1"); /* PCRE2: error */
	ck_assert_str_eq(RUN("\\*+", "a**"), "1,3");
	ck_assert_str_eq(RUN("\\Qa.b\\E+", "a.bbb"), "0,5");
	ck_assert_str_eq(run("\\x41\\x{42}\\103\\0\\cA\\e", 0, "ABC\0\001\033", 6), "0,6");
	ck_assert_str_eq(run("a\\0b", 0, "xa\0b", 4), "1,4");
}
END_TEST

/* \1..\9 and octal: PCRE 8.39's rule. */
START_TEST(test_digit_escapes)
{
	ck_assert_str_eq(RUN("(a)\\1", "aa"), "0,2 0,1");
	ck_assert_str_eq(RUN("\\11", "\t"), "0,1");       /* octal: no group 11 */
	ck_assert_str_eq(RUN("\\8", "8"), "0,1");          /* PCRE2: error */
	ck_assert_str_eq(RUN("\\81", "81"), "0,2");
	ck_assert_str_eq(RUN("[\\1]", "\001"), "0,1");     /* octal inside a class */
	ck_assert_str_eq(RUN("\\g{-1}(a)", "a"), "ERROR");
	ck_assert_str_eq(RUN("(a)\\g{-1}\\g1", "aaa"), "0,3 0,1");
	ck_assert_str_eq(RUN("(?<n>a)\\k<n>(?P=n)\\k{n}", "aaaa"), "0,4 0,1");
}
END_TEST

/* ---- flag resolution into the IR ---------------------------------------------------- */

START_TEST(test_folding)
{
	ck_assert_str_eq(ir("a", REGEX_CASELESS), "[Aa]");
	ck_assert_str_eq(ir("[a-c]", REGEX_CASELESS), "[A-Ca-c]");
	ck_assert_str_eq(ir("[^a]", REGEX_CASELESS), "[\\x00-@B-`b-\\xff]");
	/* Only ASCII letters fold in the C locale. */
	ck_assert_str_eq(ir("\\xe9", REGEX_CASELESS), "[\\xe9]");
	/* Caseless [:lower:] means [:alpha:]. */
	ck_assert_str_eq(ir("[[:lower:]]", REGEX_CASELESS), "[A-Za-z]");
	ck_assert_str_eq(ir("(?i)a(?-i)a", 0), "(cat [Aa] [a])");
	ck_assert_str_eq(ir("(?i:a)a", 0), "(cat [Aa] [a])");
	/* An option set in one branch carries into the following ones. */
	ck_assert_str_eq(ir("(a(?i)b|c)", 0), "(group 1 (alt (cat [a] [Bb]) [Cc]))");
	ck_assert_str_eq(ir("(?:(?i)a)a", 0), "(cat [Aa] [a])");
}
END_TEST

START_TEST(test_dot_and_types)
{
	ck_assert_str_eq(ir(".", 0), "nonl");
	ck_assert_str_eq(ir(".", REGEX_DOTALL), "any");
	ck_assert_str_eq(ir("(?s).", 0), "any");
	ck_assert_str_eq(ir("\\s", 0), "[\\x09-\\x0d\\x20]"); /* VT included */
	ck_assert_str_eq(ir("\\h", 0), "[\\x09\\x20\\xa0]");
	ck_assert_str_eq(ir("\\v", 0), "[\\x0a-\\x0d\\x85]");
	ck_assert_str_eq(ir("[\\b]", 0), "[\\x08]");
	ck_assert_str_eq(ir("[]a]", 0), "[\\x5da]");
	ck_assert_str_eq(ir("[a-]", 0), "[\\x2da]");
	ck_assert_str_eq(ir("[\\w-.]", 0), "[\\x2d.0-9A-Z_a-z]"); /* PCRE2: error */
	ck_assert_str_eq(ir("^a$", 0), "(cat begin [a] end-nl)");
}
END_TEST

/* ---- matching -------------------------------------------------------------------- */

START_TEST(test_quantifiers)
{
	ck_assert_str_eq(RUN("a*", "aaa"), "0,3");
	ck_assert_str_eq(RUN("a*?", "aaa"), "0,0");
	ck_assert_str_eq(RUN("a+?", "aaa"), "0,1");
	ck_assert_str_eq(RUN("a??b", "ab"), "0,2");
	ck_assert_str_eq(RUN("a{2}", "aaa"), "0,2");
	ck_assert_str_eq(RUN("a{2,}", "aaaa"), "0,4");
	ck_assert_str_eq(RUN("a{2,3}?", "aaaa"), "0,2");
	ck_assert_str_eq(RUN("a*+a", "aaa"), "nomatch");
	ck_assert_str_eq(RUN("(?>a*)a", "aaa"), "nomatch");
	ck_assert_str_eq(RUN("(?:ab){2,3}", "abababab"), "0,6");
	ck_assert_str_eq(RUN("(?:ab){2,3}?c", "abababc"), "0,7");
	ck_assert_str_eq(RUN("x(?:a|ab)++c", "xabc"), "nomatch");
	ck_assert_str_eq(RUN("(a|ab)(c|bcd)(d*)", "abcd"), "0,4 0,1 1,4 4,4");
}
END_TEST

START_TEST(test_captures)
{
	/* Last iteration wins; a group not taken keeps its earlier value. */
	ck_assert_str_eq(RUN("(?:(a)|b)*", "ab"), "0,2 0,1");
	ck_assert_str_eq(RUN("(a|b)*", "ab"), "0,2 1,2");
	ck_assert_str_eq(RUN("(a)|(b)", "b"), "0,1 -1,-1 0,1");
	/* Backtracking undoes captures of abandoned paths. */
	ck_assert_str_eq(RUN("(?:(a)x|ay)", "ay"), "0,2 -1,-1");
	/* Empty iteration stops an unbounded loop but counts. */
	ck_assert_str_eq(RUN("(a|)*b", "aab"), "0,3 2,2");
	ck_assert_str_eq(RUN("(a?)+?b", "ab"), "0,2 0,1");
	/* A backreference to an unset group fails. */
	ck_assert_str_eq(RUN("(a)?\\1", "b"), "nomatch");
	ck_assert_str_eq(run("(?i)(a)\\1", 0, "aA", 2), "0,2 0,1");
}
END_TEST

START_TEST(test_assertions)
{
	ck_assert_str_eq(RUN("a$", "a\n"), "0,1");
	ck_assert_str_eq(RUN("a$", "a\n\n"), "nomatch");
	ck_assert_str_eq(RUN("a\\z", "a\n"), "nomatch");
	ck_assert_str_eq(RUN("a\\Z", "a\n"), "0,1");
	ck_assert_str_eq(RUN("^b", "ab"), "nomatch");
	ck_assert_str_eq(RUN("(?m)^b", "a\nb"), "2,3");
	ck_assert_str_eq(RUN("\\bb\\B", "a bc"), "2,3");
	ck_assert_str_eq(RUN("\\Gb", "ab"), "nomatch");
	ck_assert_str_eq(RUN("a(?=(b))", "ab"), "0,1 1,2");
	ck_assert_str_eq(RUN("a(?!(b))", "ac"), "0,1 -1,-1");
	ck_assert_str_eq(RUN("(?<=ab|c)d", "abd"), "2,3");
	ck_assert_str_eq(RUN("(?<!a)b", "abcb"), "3,4");
	ck_assert_str_eq(RUN("(?=b)*a", "a"), "0,1");
	ck_assert_str_eq(RUN("(?=b)+a", "a"), "nomatch");
}
END_TEST

START_TEST(test_binary_and_long)
{
	size_t n = 2 * 1024 * 1024;
	char *big = malloc(n + 2);

	ck_assert_ptr_nonnull(big);
	memset(big, 'a', n);
	big[n] = 'b';
	/* No deep recursion: a 2 MiB greedy run and a lazy one. */
	ck_assert_str_eq(run("^a*b", 0, big, n + 1), "0,2097153");
	ck_assert_str_eq(run("^(a)*?b", 0, big, n + 1), "limit");
	budget = 100000000;
	ck_assert_str_eq(run("^a+?b", 0, big, n + 1), "0,2097153");
	ck_assert_str_eq(run("^(a)*b", 0, big, n + 1), "0,2097153 2097151,2097152");
	budget = 1000000;
	free(big);
	ck_assert_str_eq(run("\\0+", 0, "x\0\0y", 4), "1,3");
	/* Exponential backtracking stops at the budget. */
	ck_assert_str_eq(RUN("^(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"), "limit");
}
END_TEST

/* The filter facts of pat (no flags). */
static void analyze(const char *pat, struct rx_filter *f)
{
	struct regex re;
	struct diag d;

	ck_assert_msg(parse(pat, 0, &re, &d), "%s does not parse", pat);
	filter_analyze(&re, f);
}

static uint32_t max_subject(const char *pat)
{
	struct rx_filter f;

	analyze(pat, &f);
	return f.max_subject;
}

START_TEST(test_max_subject)
{
	/* $ may match before a final newline: one byte more. */
	ck_assert_uint_eq(max_subject("^abc$"), 4);
	ck_assert_uint_eq(max_subject("^abc\\z"), 3);
	ck_assert_uint_eq(max_subject("^abc\\Z"), 4);
	ck_assert_uint_eq(max_subject("^a{2,5}\\z"), 5);
	ck_assert_uint_eq(max_subject("^(?:ab|cde)(?=x)?$"), 4);
	ck_assert_uint_eq(max_subject("^.{128}[\\x52-\\x7F]...$"), 133);
	ck_assert_uint_eq(max_subject("^(?:a$|bc\\z)"), 3);
	ck_assert_uint_eq(max_subject("^(?:a\\z){1,3}"), 3);
	/* Unbounded, not anchored at both ends, or ends unknown. */
	ck_assert_uint_eq(max_subject("^a+$"), UINT32_MAX);
	ck_assert_uint_eq(max_subject("a$"), UINT32_MAX);
	ck_assert_uint_eq(max_subject("^abc"), UINT32_MAX);
	ck_assert_uint_eq(max_subject("^(?:a$|b)"), UINT32_MAX);
	ck_assert_uint_eq(max_subject("^(a)\\1$"), UINT32_MAX);
	ck_assert_uint_eq(max_subject("^a$(?=x)"), UINT32_MAX);
	ck_assert_uint_eq(max_subject("^(?:a$)*"), UINT32_MAX);
}
END_TEST

static void check_superset(const struct tree_build *t, const uint8_t (*maps)[256],
			   uint32_t root, const struct rx_filter *f,
			   const struct tree_line *lines, uint32_t nlines);

/* The bytes every match of pat contains, as a string of them in order. */
static const char *required(const char *pat, unsigned flags)
{
	static char buf[257];
	struct rx_set need;
	struct regex re;
	struct diag d;
	unsigned c, n = 0;

	ck_assert_msg(parse(pat, flags, &re, &d), "%s does not parse", pat);
	rx_required_bytes(re.root, &need);
	for (c = 1; c < 256; c++)
		if (rx_set_has(&need, c))
			buf[n++] = (char)c;
	buf[n] = 0;
	return buf;
}

START_TEST(test_required_bytes)
{
	ck_assert_str_eq(required("^abc", 0), "abc");
	ck_assert_str_eq(required("a|b", 0), "");
	ck_assert_str_eq(required("(?:xa|ya)z", 0), "az");
	ck_assert_str_eq(required("^(?:[-\\w_.]+ (?:tcp|udp) \\d{1,5}\n)+", 0), "\n p");
	ck_assert_str_eq(required("a+b*c?", 0), "a");
	ck_assert_str_eq(required("(?=x)y(?!z)", 0), "y");
	ck_assert_str_eq(required("ab", REGEX_CASELESS), "");
	/* Bytes both branches contain, wherever they stand. */
	ck_assert_str_eq(required("\\$Lock|\\$MyNick", 0), "$ck");
	ck_assert_str_eq(required("a{0,3}b{2}", 0), "b");
}
END_TEST

/* Lines of the kinds the tree must tell apart (and some it cannot). */
static const char *const tree_patterns[] = {
	"^HTTP/1\\.0 200 OK\r\nServer: Apache", "^HTTP/1\\.1 200 OK\r\nServer: nginx",
	"^HTTP/1\\.[01] 404 ", "^HTTP/1\\.[01] \\d\\d\\d ", "^SSH-2\\.0-OpenSSH_",
	"^SSH-1\\.99-", "^220 ", "^220-", "^\\d+ ", "^.{4}\\x00\\x01", "^\\x00\\x00\\x00",
	"^\\+OK ", "^\\* OK ", "^[A-Z]+ ", "foo", "^(?:ab|cd)ef", "^a?b", "^.*x",
	"^RFB 00\\d\\.00\\d\\n", "^\\xff\\xfb\\x01", "^200 ", "^421 ",
};

START_TEST(test_prefix_tree)
{
	enum { N = sizeof tree_patterns / sizeof tree_patterns[0] };
	static struct rx_filter f[N];
	struct tree_line lines[N];
	const uint8_t (*maps)[256];
	struct tree_build t;
	uint32_t root, i;

	for (i = 0; i < N; i++) {
		analyze(tree_patterns[i], &f[i]);
		lines[i].id = i;
		lines[i].nprefix = f[i].anchored ? f[i].nprefix : 0;
		lines[i].prefix = f[i].prefix;
	}
	tree_init(&t, &arena);
	root = tree_add(&t, lines, N, SIZE_MAX);
	maps = tree_maps(&t);
	/* It does split: an HTTP 404 keeps no SSH, FTP or binary lines. */
	ck_assert_uint_le(svd_tree_leaf(t.nodes, maps, root,
					(const unsigned char *)"HTTP/1.1 404 Not Found", 22)->count, 6);
	/* Superset: a line whose first bytes allow s is in its leaf (the lines
	 * that test no byte in every one). */
	check_superset(&t, maps, root, f, lines, N);
}
END_TEST

/* Many lines that "220 " leaves together, and a few others: with a list
 * cap, a leaf lists few lines or says SVD_TREE_SCAN, and the crowd after
 * "220 " is not split (it would only be copied). */
START_TEST(test_prefix_tree_capped)
{
	enum { N = 24 };
	static struct rx_filter f[N];
	struct tree_line lines[N];
	const uint8_t (*maps)[256];
	struct tree_build t;
	char pat[64];
	uint32_t root, i;

	for (i = 0; i < N; i++) {
		if (i < 10)
			snprintf(pat, sizeof pat, "^220 \\w+ %c%u", 'a' + i, i);
		else
			snprintf(pat, sizeof pat, "^%s", (const char *[]){ "SSH-2.0-", "SSH-1.99-",
				"\\+OK ", "\\* OK", "HTTP/1.0 ", "RFB 003", "200 ", "421 ", "-ERR",
				"\\x00\\x01", "\\xff\\xfb", "220-FileZilla", "220 FTP", "RTSP/1.0" }[i - 10]);
		analyze(pat, &f[i]);
		lines[i].id = i;
		lines[i].nprefix = f[i].nprefix;
		lines[i].prefix = f[i].prefix;
	}
	tree_init(&t, &arena);
	root = tree_add(&t, lines, N, 4);
	maps = tree_maps(&t);
	ck_assert_uint_eq(svd_tree_leaf(t.nodes, maps, root,
					(const unsigned char *)"220 host ready", 14)->count,
			  SVD_TREE_SCAN);
	ck_assert_uint_le(svd_tree_leaf(t.nodes, maps, root,
					(const unsigned char *)"SSH-2.0-OpenSSH", 15)->count, 2);
	check_superset(&t, maps, root, f, lines, N);
}
END_TEST

/*
 * For random subjects: every line whose first bytes allow the subject is
 * in the leaf it reaches, unless that leaf says SVD_TREE_SCAN.
 */
static void check_superset(const struct tree_build *t, const uint8_t (*maps)[256],
			   uint32_t root, const struct rx_filter *f,
			   const struct tree_line *lines, uint32_t nlines)
{
	static const char alphabet[] = "HTTP/1.0 2SH-\r\n\x00\xff+*OK0489";
	unsigned char s[40];
	unsigned long seed = 1;
	uint32_t i, k, r;

	for (r = 0; r < 20000; r++) {
		const struct svd_tree_node *leaf;
		size_t n = r % 24;
		bool listed[64] = { false };

		/* Bytes of the patterns' own alphabet, and some others. */
		for (k = 0; k < n; k++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			s[k] = seed >> 59 < 24 ? (unsigned char)alphabet[seed >> 59]
					       : (unsigned char)(seed >> 33);
		}
		leaf = svd_tree_leaf(t->nodes, maps, root, s, n);
		if (leaf->count == SVD_TREE_SCAN)
			continue;
		for (k = 0; k < leaf->count; k++)
			listed[t->lines[leaf->first + k]] = true;
		for (i = 0; i < nlines; i++) {
			bool fits = lines[i].nprefix <= n;

			for (k = 0; k < lines[i].nprefix && fits; k++)
				fits = rx_set_has(&f[i].prefix[k], s[k]);
			ck_assert_msg(!fits || listed[i], "line %u missing for subject %u", i, r);
		}
	}
}

static Suite *suite(void)
{
	Suite *s = suite_create("regex");
	TCase *t = tcase_create("parse");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_loop_test(t, test_error_offsets, 0,
			    sizeof err_cases / sizeof err_cases[0]);
	tcase_add_test(t, test_error_column);
	tcase_add_test(t, test_literals);
	tcase_add_test(t, test_digit_escapes);
	tcase_add_test(t, test_folding);
	tcase_add_test(t, test_dot_and_types);
	suite_add_tcase(s, t);
	t = tcase_create("match");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 30);
	tcase_add_test(t, test_quantifiers);
	tcase_add_test(t, test_captures);
	tcase_add_test(t, test_assertions);
	tcase_add_test(t, test_binary_and_long);
	suite_add_tcase(s, t);
	t = tcase_create("prefilter");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, test_max_subject);
	tcase_add_test(t, test_required_bytes);
	tcase_add_test(t, test_prefix_tree);
	tcase_add_test(t, test_prefix_tree_capped);
	suite_add_tcase(s, t);
	return s;
}

#include "check_main.h"
