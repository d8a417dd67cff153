/*
 * Unit tests of runtime/match/template.c.  The "oracle" tables are answers of
 * Debian 12's Nmap 7.93 itself: each row's regex, subject and template
 * ran through nmap -sV against a local server (tests/data/nmap793/tmpl-*,
 * captured with lab.py there).  The other tables pin down what Nmap's
 * source does where no real probe file goes.  PCRE2 supplies the capture
 * offsets, as PCRE does in Nmap.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <check.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

/* --- helpers --------------------------------------------------------------- */

struct row {
	int line;
	const char *re;    /* matched with PCRE2_DOTALL, like m/.../s */
	const char *subj;
	size_t slen;
	char kind;         /* a template letter "pvihod", or 'c' for cpe:/ */
	const char *tmpl;  /* '#' stands for pad 'A's */
	const char *want;  /* NULL: Nmap fails (empties) the field; '#' too */
	int pad;
};

#define S(x) x, sizeof(x) - 1
#define FAIL NULL

struct match {
	int ovec[30];
	struct svd_subject s;
};

static void run_regex(struct match *m, const char *re, const char *subj,
		      size_t slen)
{
	pcre2_code *code;
	pcre2_match_data *md;
	PCRE2_SIZE *ov, off;
	int err, rc, i;

	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
			     PCRE2_DOTALL, &err, &off, NULL);
	ck_assert_msg(code != NULL, "bad test regex %s", re);
	md = pcre2_match_data_create(15, NULL);
	rc = pcre2_match(code, (PCRE2_SPTR)subj, slen, 0, 0, md, NULL);
	ck_assert_msg(rc > 0, "test regex %s does not match", re);
	ov = pcre2_get_ovector_pointer(md);
	for (i = 0; i < 2 * rc; i++)
		m->ovec[i] = ov[i] == PCRE2_UNSET ? -1 : (int)ov[i];
	m->s = (struct svd_subject){ (const unsigned char *)subj, slen,
				     m->ovec, rc };
	pcre2_match_data_free(md);
	pcre2_code_free(code);
}

/* Copies s, replacing its '#' with pad 'A's. */
static char *expand(const char *s, int pad)
{
	size_t n = strlen(s);
	char *out = malloc(n + (size_t)pad + 1), *h;

	ck_assert_ptr_nonnull(out);
	h = strchr(s, '#');
	if (!h) {
		memcpy(out, s, n + 1);
		return out;
	}
	memcpy(out, s, (size_t)(h - s));
	memset(out + (h - s), 'A', (size_t)pad);
	strcpy(out + (h - s) + pad, h + 1);
	return out;
}

static size_t cap_of(char kind)
{
	switch (kind) {
	case 'p': return SVD_CAP_PRODUCT;
	case 'v': return SVD_CAP_VERSION;
	case 'i': return SVD_CAP_INFO;
	case 'h': return SVD_CAP_HOSTNAME;
	case 'o': return SVD_CAP_OSTYPE;
	case 'd': return SVD_CAP_DEVTYPE;
	default: return SVD_CAP_CPE;
	}
}

static void check_row(const struct row *r)
{
	struct match m;
	char out[SVD_CAP_INFO + 8];
	char *tmpl = expand(r->tmpl, r->pad);
	char *want = r->want ? expand(r->want, r->pad) : NULL;
	size_t cap = cap_of(r->kind);
	int rc;

	run_regex(&m, r->re, r->subj, r->slen);
	memset(out, 'X', sizeof out);
	if (r->kind == 'c')
		rc = svd_render_cpe(out, cap, (const unsigned char *)tmpl,
				    strlen(tmpl), &m.s);
	else
		rc = svd_render_field(out, cap, (const unsigned char *)tmpl,
				      strlen(tmpl), &m.s);
	if (!want) {
		ck_assert_msg(rc == -1 && out[0] == '\0',
			      "line %d: %c/%s/ gave rc %d \"%s\", want failure",
			      r->line, r->kind, r->tmpl, rc, out);
	} else {
		ck_assert_msg(rc == 0 && strcmp(out, want) == 0,
			      "line %d: %c/%s/ gave rc %d \"%s\", want \"%s\"",
			      r->line, r->kind, r->tmpl, rc, out, want);
	}
	ck_assert_msg(strlen(out) < cap, "line %d: overflow", r->line);
	free(tmpl);
	free(want);
}

#define ROWS(t) for (size_t i_ = 0; i_ < sizeof t / sizeof t[0]; i_++) \
			check_row(&t[i_])

/* --- Nmap 7.93 oracle ---------------------------------------------------- */

/* $1-$9 and failure of unset or out-of-range groups (tmpl-c1). */
static const struct row oracle_groups[] = {
	{ __LINE__, "^C001 (.*)", S("C001 abc,  "), 'p', "$1 ,  ", "abc", 0 },
	{ __LINE__, "^C001 (.*)", S("C001 abc,  "), 'v', "x$1y", "xabc,  y", 0 },
	{ __LINE__, "^C002(a)?", S("C002"), 'p', "x$1", FAIL, 0 },
	{ __LINE__, "^C002(a)?", S("C002"), 'v', "ok", "ok", 0 },
	{ __LINE__, "^C002(a)?", S("C002"), 'i', "$2", FAIL, 0 },
	{ __LINE__, "^C002(a)?", S("C002"), 'h', "$0", FAIL, 0 },
	/* Values are C strings to Nmap: a NUL cuts the rest. */
	{ __LINE__, "^C003 (.*)", S("C003 a\0b\0c"), 'v', "$1", "a", 0 },
	{ __LINE__, "^C002 (x)(y)", S("C002 xy"), 'h', "$10", "x0", 0 },
	{ __LINE__, "^C002 (x)(y)", S("C002 xy"), 'o', "[$foo]", FAIL, 0 },
	{ __LINE__, "^C002 (x)(y)", S("C002 xy"), 'd', "[$]", FAIL, 0 },
};

/* $P(): printable ASCII only; strtol(..., 0) arguments (tmpl-c1, c4). */
static const struct row oracle_p[] = {
	{ __LINE__, "^C003 (.*)", S("C003 a\0b\0c"), 'p', "$P(1)", "abc", 0 },
	{ __LINE__, "^C003 (.*)", S("C003 a\0b\0c"), 'i', "[$P(257)]", FAIL, 0 },
	{ __LINE__, "^C003 (.*)", S("C003 a\0b\0c"), 'h', "$P(0x1)", "abc", 0 },
	{ __LINE__, "^C003 (.*)", S("C003 a\0b\0c"), 'o', "$P(01)", "abc", 0 },
	{ __LINE__, "^C004 (.*)", S("C004 \xe9\xe8\nA"), 'p', "$P(1)", "A", 0 },
	{ __LINE__, "^C002 (x)(y)", S("C002 xy"), 'p', "[$P(1abc)]", "[x]", 0 },
	{ __LINE__, "^C002 (x)(y)", S("C002 xy"), 'v', "[$P(1 \"z\")]", "[x]", 0 },
	{ __LINE__, "^C002 (x)(y)", S("C002 xy"), 'i', "[$P()]", FAIL, 0 },
	{ __LINE__, "^C003 (x)(y)", S("C003 xy"), 'h', "[$P(1,2)]", FAIL, 0 },
	{ __LINE__, "^C003 (x)(y)", S("C003 xy"), 'o', "[$P(\"1\")]", FAIL, 0 },
	{ __LINE__, "^C003 (x)(y)", S("C003 xy"), 'd', "[$P(-1)]", FAIL, 0 },
	{ __LINE__, "^C004 (x)(y)", S("C004 xy"), 'i', "[$P(1,", "[x", 0 },
	{ __LINE__, "^C004 (x)(y)", S("C004 xy"), 'h', "[$P(1)$P(2)]", "[xy]", 0 },
	{ __LINE__, "^C004 (x)(y)", S("C004 xy"), 'o', "[$P( 2 )]", "[y]", 0 },
	{ __LINE__, "^C004 (x)(y)", S("C004 xy"), 'd', "[$P(1 ,)]", "[x]", 0 },
	{ __LINE__, "^C006 (x)(y)", S("C006 xy"), 'p', "[$P(1)z", "[xz", 0 },
	{ __LINE__, "^C006 (x)(y)", S("C006 xy"), 'v', "$P(1)(", "x(", 0 },
};

/* Unknown commands and malformed calls (tmpl-c4). */
static const struct row oracle_cmds[] = {
	{ __LINE__, "^C003 (x)(y)", S("C003 xy"), 'p', "[$Q(1)]", FAIL, 0 },
	{ __LINE__, "^C003 (x)(y)", S("C003 xy"), 'v', "[$ABCDEFGHIJKLMNOP(1)]", FAIL, 0 },
	{ __LINE__, "^C003 (x)(y)", S("C003 xy"), 'i', "[$ABCDEFGHIJKLMNO(1)]", FAIL, 0 },
	{ __LINE__, "^C004 (x)(y)", S("C004 xy"), 'p', "[$SUBST(1,\"a\")]", FAIL, 0 },
	{ __LINE__, "^C004 (x)(y)", S("C004 xy"), 'v', "[$I(1,\">\",2)]", FAIL, 0 },
	{ __LINE__, "^C006 (x)(y)", S("C006 xy"), 'i', "$(1)", FAIL, 0 },
	{ __LINE__, "^C006 (x)(y)", S("C006 xy"), 'o', "$ SUBST(1,\"x\",\"q\")", FAIL, 0 },
};

/* $SUBST() and its string escapes (tmpl-c2, c3, c4). */
static const struct row oracle_subst[] = {
	{ __LINE__, "^C006 (.*)", S("C006 a_b_c"), 'p', "$SUBST(1,\"_\",\".\")", "a.b.c", 0 },
	{ __LINE__, "^C006 (.*)", S("C006 a_b_c"), 'v', "$SUBST(1,\"_\",\"\\x20\")", "a b c", 0 },
	{ __LINE__, "^C006 (.*)", S("C006 a_b_c"), 'i', "$SUBST( 1 , \"_\" , \"\\\\\" )", "a\\b\\c", 0 },
	/* The search runs past the capture's end. */
	{ __LINE__, "^C007 (ab)XY", S("C007 abXY"), 'p', "$SUBST(1,\"bX\",\"Q\")", "aQ", 0 },
	{ __LINE__, "^C007 (ab)XY", S("C007 abXY"), 'v', "$SUBST(1,\"b\",\"\")", "a", 0 },
	{ __LINE__, "^C008 (.*)", S("C008 a\"b"), 'p', "$SUBST(1,\"\\\"\",\"q\")", "aqb", 0 },
	{ __LINE__, "^C008 (.*)", S("C008 a\"b"), 'v', "$SUBST(1,\"a\",\"\\\\\")x", "\\\"bx", 0 },
	{ __LINE__, "^C008 (a)", S("C008 a"), 'p', "$SUBST(1,\"a\",\"x\\0y\")", "x", 0 },
	{ __LINE__, "^C008 (a)", S("C008 a"), 'v', "$SUBST(1,\"a\",\"\\\\\")", "\\", 0 },
	{ __LINE__, "^C008 (a)", S("C008 a"), 'i', "$SUBST(1,\"a\",\"\\q\")", FAIL, 0 },
	{ __LINE__, "^C008 (a)", S("C008 a"), 'h', "$SUBST(1,\"a\",\"\\x4\")", FAIL, 0 },
	{ __LINE__, "^C008 (a)", S("C008 a"), 'o', "$SUBST(1,\"a\",\"\\x41\\.\")", "A.", 0 },
	{ __LINE__, "^C006 (x)(y)", S("C006 xy"), 'h', "[$SUBST(1,\"x\",\"a,b\")]", "[a,b]", 0 },
	/* "\\\"" ends at the second quote: the search string is a
	 * backslash and the NUL Nmap's unescaper reads after it. */
	{ __LINE__, "^C005 (.*)", S("C005 a\\\"b"), 'p', "[$SUBST(1,\"\\\\\\\"\",\"Q\")]", "[a\\\"b]", 0 },
	{ __LINE__, "^C005 (.*)", S("C005 a\\\"b"), 'v', "[$SUBST(1,\"\\\"\",\"Q\")]", "[a\\Qb]", 0 },
	{ __LINE__, "^C005 (.*)", S("C005 a\\\"b"), 'i', "[$SUBST(1,\"\\\\\",\"Q\")]", "[aQ\"b]", 0 },
};

/* $I(): unsigned integers of up to 8 bytes (tmpl-c2). */
static const struct row oracle_i[] = {
	{ __LINE__, "^(\x01\x02\x03)\xff$", S("\x01\x02\x03\xff"), 'p', "$I(1,\"<\")", "197121", 0 },
	{ __LINE__, "^(\x01\x02\x03)\xff$", S("\x01\x02\x03\xff"), 'v', "$I(1,\">\")", "66051", 0 },
	{ __LINE__, "^C002 (..)", S("C002 \x01\x02"), 'p', "$I(1,\"<\")", "513", 0 },
	{ __LINE__, "^C002 (..)", S("C002 \x01\x02"), 'v', "$I(1,\">\")", "258", 0 },
	{ __LINE__, "^C002 (..)", S("C002 \x01\x02"), 'i', "$I(1,\"x\")", FAIL, 0 },
	{ __LINE__, "^C002 (..)", S("C002 \x01\x02"), 'h', "$I(1,\"<<\")", FAIL, 0 },
	{ __LINE__, "^C002 (..)", S("C002 \x01\x02"), 'o', "$I(1, \">\")", "258", 0 },
	{ __LINE__, "^C003 (.{9})", S("C003 123456789"), 'p', "$I(1,\">\")", FAIL, 0 },
	{ __LINE__, "^C003 (.{9})", S("C003 123456789"), 'v', "$I(1,\"<\")", FAIL, 0 },
	{ __LINE__, "^C004 (.{8})", S("C004 \xff\xff\xff\xff\xff\xff\xff\xff"), 'p', "$I(1,\">\")", "18446744073709551615", 0 },
	{ __LINE__, "^C004 (.{8})", S("C004 \xff\xff\xff\xff\xff\xff\xff\xff"), 'i', "[$I(1,\"<\")]", "[18446744073709551615]", 0 },
	{ __LINE__, "^C005 ()", S("C005 "), 'p', "[$I(1,\">\")]", "[0]", 0 },
	{ __LINE__, "^C005 ()", S("C005 "), 'v', "[$I(1,\"<\")]", "[0]", 0 },
};

/* Field sizes: literal text may reach cap - 1 bytes, a value only
 * cap - 2; length counts before trimming (tmpl-c3). */
static const struct row oracle_caps[] = {
	{ __LINE__, "^C000 (x)", S("C000 x"), 'p', "#", "#", 79 },
	{ __LINE__, "^C000 (x)", S("C000 x"), 'v', "#", FAIL, 80 },
	{ __LINE__, "^C000 (x)", S("C000 x"), 'i', "#", "#", 255 },
	{ __LINE__, "^C001 (x)", S("C001 x"), 'i', "#", FAIL, 256 },
	{ __LINE__, "^C000 (x)", S("C000 x"), 'h', "#", "#", 79 },
	{ __LINE__, "^C001 (x)", S("C001 x"), 'h', "#", FAIL, 80 },
	{ __LINE__, "^C000 (x)", S("C000 x"), 'o', "#", "#", 31 },
	{ __LINE__, "^C001 (x)", S("C001 x"), 'o', "#", FAIL, 32 },
	{ __LINE__, "^C000 (x)", S("C000 x"), 'd', "#", "#", 31 },
	{ __LINE__, "^C001 (x)", S("C001 x"), 'd', "#", FAIL, 32 },
	{ __LINE__, "^C001 (x)", S("C001 x"), 'p', "#$1", "#x", 77 },
	{ __LINE__, "^C001 (x)", S("C001 x"), 'v', "#$1", FAIL, 78 },
	{ __LINE__, "^C002 (x)", S("C002 x"), 'p', "#$1B", "#xB", 77 },
	{ __LINE__, "^C002 (x)", S("C002 x"), 'v', "#$1B", FAIL, 78 },
	{ __LINE__, "^C002 (x)", S("C002 x"), 'i', "#          ", "#", 70 },
	{ __LINE__, "^C002 (x)", S("C002 x"), 'h', "#         $1 ", FAIL, 70 },
};

/* cpe:/ rendering: prefix counted, values escaped and lower-cased. */
static const struct row oracle_cpe[] = {
	{ __LINE__, "^C003 (.*)", S("C003 Foo Bar:1.0/x"), 'c', "a:Vendor:$1", "cpe:/a:Vendor:foo_bar%3A1.0%2Fx", 0 },
	{ __LINE__, "^C003 (.*)", S("C003 Foo Bar:1.0/x"), 'c', "h:X:$1 ,", "cpe:/h:X:foo_bar%3A1.0%2Fx", 0 },
	/* The XML output hides bytes >= 0x7f; that they pass unchanged
	 * follows from transform_cpe(). */
	{ __LINE__, "^C005 (.*)", S("C005 !$&'()*+,;=%<>\"?#[]@\t\x0bZ\x7f~-_.\x80\xe9"), 'c', "a:$1",
	  "cpe:/a:%21%24%26%27%28%29%2A%2B%2C%3B%3D%25%3C%3E%22%3F%23%5B%5D%40__z\x7f~-_.\x80\xe9", 0 },
	{ __LINE__, "^C000 (x)", S("C000 x"), 'c', "a:#", "cpe:/a:#", 72 },
	{ __LINE__, "^C000 (x)", S("C000 x"), 'c', "o:#", FAIL, 73 },
	{ __LINE__, "^C000 (x)", S("C000 x"), 'c', "h:#$1", "cpe:/h:#x", 70 },
	{ __LINE__, "^C001 (x)", S("C001 x"), 'c', "a:#$1", FAIL, 71 },
	{ __LINE__, "^C001 (x)", S("C001 x"), 'c', "h:#$1B", "cpe:/h:#xB", 70 },
};

START_TEST(test_oracle_groups) { ROWS(oracle_groups); }
END_TEST
START_TEST(test_oracle_p) { ROWS(oracle_p); }
END_TEST
START_TEST(test_oracle_cmds) { ROWS(oracle_cmds); }
END_TEST
START_TEST(test_oracle_subst) { ROWS(oracle_subst); }
END_TEST
START_TEST(test_oracle_i) { ROWS(oracle_i); }
END_TEST
START_TEST(test_oracle_caps) { ROWS(oracle_caps); }
END_TEST
START_TEST(test_oracle_cpe) { ROWS(oracle_cpe); }
END_TEST

/* --- from Nmap's source -------------------------------------------------- */

static const struct row source_rows[] = {
	/* Empty template, and trimming only at the end. */
	{ __LINE__, "(x)", S("x"), 'p', "", "", 0 },
	{ __LINE__, "(x)", S("x"), 'p', " a, ,\t\r\n\v\f", " a", 0 },
	{ __LINE__, "(x)", S("x,"), 'p', "$1", "x", 0 },
	{ __LINE__, "(.*)", S(",, "), 'p', "$1", "", 0 },
	/* (int)strtol(): 2^32 + 1 is group 1; overflow saturates. */
	{ __LINE__, "(x)", S("x"), 'p', "$P(4294967297)", "x", 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$P(99999999999999999999)", FAIL, 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$P(-4294967295)", "x", 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$P(0x)", FAIL, 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$P(+1)", "x", 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$P(\t1)", "x", 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$P(08)", FAIL, 0 },
	/* Arguments: junk before a separator is skipped; whitespace at
	 * the end of the template is an empty integer. */
	{ __LINE__, "(x)", S("x"), 'p', "$P(1 junk)", "x", 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$P(1, ", FAIL, 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$P(1", FAIL, 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$P( )", FAIL, 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$SUBST(1,\"x\",\"y", FAIL, 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$SUBST(1,\"x\",\"y\"", FAIL, 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$SUBST(1,\"x\",\"y\",", "y", 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$SUBST(1,\"x\"junk,\"y\")", "y", 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$P(1,\"a\",\"b\",\"c\",\"d\",\"e\")", FAIL, 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$P(1,2,3,4,5,6)", FAIL, 0 },
	/* String escapes. */
	{ __LINE__, "(x)", S("x"), 'p', "$SUBST(1,\"x\",\"\\a\\b\\f\\v<\\t>\")", "\a\b\f\v<\t>", 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$SUBST(1,\"\\x78\",\"\\x4a\\x4B\")", "JK", 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$SUBST(1,\"x\",\"\\xg0\")", FAIL, 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$SUBST(1,\"x\",\"\\1\")", FAIL, 0 },
	{ __LINE__, "(x)", S("x"), 'p', "$SUBST(1,\"x\",\"\\/\\$\")", "/$", 0 },
	/* A value may fill cap - 2 bytes; 128 string bytes are too many. */
	{ __LINE__, "(x)", S("x"), 'p', "$SUBST(1,\"x\",\"#\")", "#", 78 },
	{ __LINE__, "(x)", S("x"), 'p', "$SUBST(1,\"x\",\"#\")", FAIL, 79 },
	{ __LINE__, "(x)", S("x"), 'i', "$SUBST(1,\"x\",\"#\")", "#", 127 },
	{ __LINE__, "(x)", S("x"), 'i', "$SUBST(1,\"x\",\"#\")", FAIL, 128 },
	/* The empty search string hangs Nmap; here it fails. */
	{ __LINE__, "(x)", S("x"), 'p', "$SUBST(1,\"\",\"y\")", FAIL, 0 },
	/* A search string running past the subject does not match. */
	{ __LINE__, "(ab)", S("ab"), 'p', "$SUBST(1,\"bc\",\"Q\")", "ab", 0 },
	/* Replacements count after the NUL cut. */
	{ __LINE__, "(x)", S("x"), 'o', "#$SUBST(1,\"x\",\"y\\0zzzzzzzzzz\")", "#y", 29 },
	/* $I(): wrong argument types, and an escaped direction. */
	{ __LINE__, "(ab)", S("ab"), 'p', "$I(\">\",1)", FAIL, 0 },
	{ __LINE__, "(ab)", S("ab"), 'p', "$I(1,\"\\x3e\")", "24930", 0 },
	{ __LINE__, "(ab)", S("ab"), 'p', "$I(1,\"<\",)", "25185", 0 },
	/* A cpe:/ body without '$' is plain literal text. */
	{ __LINE__, "(x)", S("x"), 'c', "a:Foo Bar", "cpe:/a:Foo Bar", 0 },
	{ __LINE__, "(X)", S("X"), 'c', "o:$SUBST(1,\"X\",\"A B\")", "cpe:/o:a_b", 0 },
	{ __LINE__, "(x)", S("x"), 'c', "a:#", FAIL, 75 },
};

START_TEST(test_source_rows) { ROWS(source_rows); }
END_TEST

/* Subjects built by hand: out-of-range offsets and short ovectors. */
START_TEST(test_subject_edges)
{
	static const unsigned char subj[] = "abc";
	int ov[] = { 0, 3, 1, 2, -1, -1, 2, 5 };
	struct svd_subject s = { subj, 3, ov, 4 };
	char out[SVD_CAP_PRODUCT];

	ck_assert_int_eq(svd_render_field(out, sizeof out,
		(const unsigned char *)"$1", 2, &s), 0);
	ck_assert_str_eq(out, "b");
	ck_assert_int_eq(svd_render_field(out, sizeof out,
		(const unsigned char *)"$2", 2, &s), -1);
	/* End beyond the subject: refused rather than read. */
	ck_assert_int_eq(svd_render_field(out, sizeof out,
		(const unsigned char *)"$3", 2, &s), -1);
	s.nmatch = 1;
	ck_assert_int_eq(svd_render_field(out, sizeof out,
		(const unsigned char *)"$1", 2, &s), -1);
	s.nmatch = 0;
	ck_assert_int_eq(svd_render_field(out, sizeof out,
		(const unsigned char *)"ok", 2, &s), 0);
	ck_assert_str_eq(out, "ok");
}
END_TEST

START_TEST(test_buffer_edges)
{
	struct svd_subject s = { (const unsigned char *)"", 0, NULL, 0 };
	char out[4] = "zzz";

	/* Nmap refuses buffers under 3 bytes outright. */
	ck_assert_int_eq(svd_render_field(out, 2, (const unsigned char *)"", 0,
					  &s), -1);
	ck_assert_str_eq(out, "");
	out[0] = 'z';
	ck_assert_int_eq(svd_render_field(out, 0, (const unsigned char *)"", 0,
					  &s), -1);
	ck_assert_int_eq(out[0], 'z');
	ck_assert_int_eq(svd_render_field(out, 3, (const unsigned char *)"ab",
					  2, &s), 0);
	ck_assert_str_eq(out, "ab");
	ck_assert_int_eq(svd_render_field(out, 3, (const unsigned char *)"abc",
					  3, &s), -1);
	/* A template is a C string to Nmap: a NUL ends it. */
	ck_assert_int_eq(svd_render_field(out, 4, (const unsigned char *)"a\0$9",
					  4, &s), 0);
	ck_assert_str_eq(out, "a");
}
END_TEST

START_TEST(test_cpe_part)
{
	ck_assert_int_eq(svd_cpe_part((const unsigned char *)"a:x", 3), 'a');
	ck_assert_int_eq(svd_cpe_part((const unsigned char *)"h", 1), 'h');
	ck_assert_int_eq(svd_cpe_part((const unsigned char *)"o:", 2), 'o');
	ck_assert_int_eq(svd_cpe_part((const unsigned char *)"x:y", 3), -1);
	ck_assert_int_eq(svd_cpe_part((const unsigned char *)"A:y", 3), -1);
	ck_assert_int_eq(svd_cpe_part((const unsigned char *)"$1", 2), -1);
	ck_assert_int_eq(svd_cpe_part((const unsigned char *)"", 0), -1);
}
END_TEST

#define T(x) { (const unsigned char *)(x), sizeof(x) - 1 }

/* tmpl-c3 row 4: a later cpe:/ of a part wins, a failing one empties. */
START_TEST(test_version)
{
	static const struct svd_tmpl cpe[] = {
		T("a:one:$1"), T("a:two:$2"), T("o:os:$1"), T("o:bad:$3"),
		T("x:foo"), T("h:$9")
	};
	struct svd_templates t = {
		.field = { T("ok"), { NULL, 0 }, T("$3"), T("h $2"),
			   T("0123456789012345678901234567890"), T("$P(1)") },
		.cpe = cpe, .ncpe = 6
	};
	struct match m;
	struct svd_version v;
	unsigned failed;

	run_regex(&m, "^C004 (a)(b)", S("C004 ab"));
	memset(&v, 'X', sizeof v);
	failed = svd_render_version(&v, &t, &m.s);
	ck_assert_uint_eq(failed, 1u << SVD_F_INFO | SVD_FAIL_CPE);
	ck_assert_str_eq(v.product, "ok");
	ck_assert_str_eq(v.version, "");
	ck_assert_str_eq(v.info, "");
	ck_assert_str_eq(v.hostname, "h b");
	ck_assert_str_eq(v.ostype, "0123456789012345678901234567890");
	ck_assert_str_eq(v.devtype, "a");
	ck_assert_str_eq(v.cpe_a, "cpe:/a:two:b");
	ck_assert_str_eq(v.cpe_h, "");
	ck_assert_str_eq(v.cpe_o, "");

	t.ncpe = 3;
	t.field[SVD_F_INFO] = (struct svd_tmpl)T("i");
	ck_assert_uint_eq(svd_render_version(&v, &t, &m.s), 0);
	ck_assert_str_eq(v.info, "i");
	ck_assert_str_eq(v.cpe_o, "cpe:/o:os:a");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("template");
	TCase *tc = tcase_create("oracle");

	tcase_add_test(tc, test_oracle_groups);
	tcase_add_test(tc, test_oracle_p);
	tcase_add_test(tc, test_oracle_cmds);
	tcase_add_test(tc, test_oracle_subst);
	tcase_add_test(tc, test_oracle_i);
	tcase_add_test(tc, test_oracle_caps);
	tcase_add_test(tc, test_oracle_cpe);
	suite_add_tcase(s, tc);
	tc = tcase_create("source");
	tcase_add_test(tc, test_source_rows);
	tcase_add_test(tc, test_subject_edges);
	tcase_add_test(tc, test_buffer_edges);
	tcase_add_test(tc, test_cpe_part);
	tcase_add_test(tc, test_version);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
