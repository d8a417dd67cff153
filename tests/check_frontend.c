/* Unit tests of the front end: escapes, lexer/parser, AST, validation, dump. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "escape.h"
#include "parse.h"
#include "sema.h"

/* --- helpers --------------------------------------------------------------- */

/* Parses and validates text; errors (if any) land in *errs (caller frees). */
static bool load_text(struct probe_db *db, const char *text, char **errs)
{
	size_t len = strlen(text), errlen;
	FILE *err = open_memstream(errs, &errlen);
	struct diag d;
	bool ok;

	ck_assert_ptr_nonnull(err);
	diag_init(&d, err);
	probe_db_init(db, "t.probes");
	ok = probe_db_parse(db, (const unsigned char *)text, len, &d) &&
	     probe_db_validate(db, &d);
	fclose(err);
	return ok;
}

static void load_ok(struct probe_db *db, const char *text)
{
	char *errs;

	if (!load_text(db, text, &errs))
		ck_abort_msg("unexpected errors:\n%s", errs);
	free(errs);
}

static char *dump_to_string(const struct probe_db *db, size_t *len)
{
	char *buf;
	FILE *out = open_memstream(&buf, len);

	ck_assert_ptr_nonnull(out);
	probe_db_dump(db, out);
	fclose(out);
	return buf;
}

static bool bytes_eq(struct bytes a, struct bytes b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static bool opt_bytes_eq(struct bytes a, struct bytes b)
{
	return (a.p == NULL) == (b.p == NULL) && (!a.p || bytes_eq(a, b));
}

static bool ports_eq(const struct port_list *a, const struct port_list *b)
{
	return a->n == b->n &&
	       (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof *a->v) == 0);
}

/* Everything but source locations and delimiters must survive a dump. */
static void assert_same_db(const struct probe_db *a, const struct probe_db *b)
{
	size_t i, j, k;

	ck_assert_uint_eq(a->exclude_line != 0, b->exclude_line != 0);
	ck_assert_uint_eq(a->nexclude, b->nexclude);
	for (i = 0; i < a->nexclude; i++)
		ck_assert(memcmp(&a->exclude[i], &b->exclude[i], sizeof a->exclude[i]) == 0);
	ck_assert_uint_eq(a->nprobes, b->nprobes);
	ck_assert_uint_eq(a->null_probe, b->null_probe);
	for (i = 0; i < a->nprobes; i++) {
		const struct probe *p = &a->probes[i], *q = &b->probes[i];

		ck_assert_str_eq(p->name, q->name);
		ck_assert_int_eq(p->proto, q->proto);
		ck_assert(bytes_eq(p->payload, q->payload));
		ck_assert_int_eq(p->no_payload, q->no_payload);
		for (k = 0; k < DIRECTIVE_COUNT; k++)
			ck_assert_int_eq(p->directive_line[k] != 0, q->directive_line[k] != 0);
		ck_assert_int_eq(p->rarity, q->rarity);
		ck_assert_int_eq(p->totalwaitms, q->totalwaitms);
		ck_assert_int_eq(p->tcpwrappedms, q->tcpwrappedms);
		ck_assert(ports_eq(&p->ports, &q->ports));
		ck_assert(ports_eq(&p->sslports, &q->sslports));
		ck_assert_uint_eq(p->nfallback, q->nfallback);
		for (k = 0; k < p->nfallback; k++)
			ck_assert_str_eq(p->fallback[k].name, q->fallback[k].name);
		ck_assert_uint_eq(p->nchain, q->nchain);
		ck_assert(memcmp(p->chain, q->chain, p->nchain * sizeof *p->chain) == 0);
		ck_assert_uint_eq(p->nmatches, q->nmatches);
		for (j = 0; j < p->nmatches; j++) {
			const struct match *m = &p->matches[j], *n = &q->matches[j];

			ck_assert_int_eq(m->soft, n->soft);
			ck_assert_str_eq(m->service, n->service);
			ck_assert(bytes_eq(m->regex, n->regex));
			ck_assert_uint_eq(m->regex_flags, n->regex_flags);
			for (k = 0; k < FIELD_COUNT; k++)
				ck_assert(opt_bytes_eq(m->field[k].text, n->field[k].text));
			ck_assert_uint_eq(m->ncpe, n->ncpe);
			for (k = 0; k < m->ncpe; k++) {
				ck_assert(bytes_eq(m->cpe[k].text, n->cpe[k].text));
				ck_assert_int_eq(m->cpe[k].auto_flag, n->cpe[k].auto_flag);
			}
		}
	}
}

/* Dump a, parse the dump, check it is the same database, and that dumping
 * that gives the same bytes. */
static void assert_dump_roundtrip(const struct probe_db *a)
{
	struct probe_db b;
	size_t len1, len2;
	char *d1 = dump_to_string(a, &len1), *d2;

	load_ok(&b, d1);
	assert_same_db(a, &b);
	d2 = dump_to_string(&b, &len2);
	ck_assert_uint_eq(len1, len2);
	ck_assert(memcmp(d1, d2, len1) == 0);
	free(d1);
	free(d2);
	probe_db_free(&b);
}

/* --- escapes --------------------------------------------------------------- */

START_TEST(escape_decodes_every_form)
{
	static const char in[] = "a\\0\\a\\b\\f\\n\\r\\t\\v\\x41\\xfF\\\\\\|\\\"\\015";
	static const unsigned char want[] = "a\0\a\b\f\n\r\t\vA\xff\\|\"\0" "15";
	unsigned char out[sizeof in];
	size_t bad = 0;
	long n = escape_decode(out, (const unsigned char *)in, strlen(in), &bad);

	ck_assert_int_eq(n, (long)sizeof want - 1);
	ck_assert(memcmp(out, want, sizeof want - 1) == 0);
}
END_TEST

static const struct {
	const char *in;
	size_t bad_at;
} bad_escapes[] = {
	{ "ab\\q", 2 },  { "\\x4", 0 },   { "x\\xg0", 1 }, { "\\", 0 },
	{ "ok\\1", 2 },  { "\\Z", 0 },    { "\\x", 0 },
};

START_TEST(escape_rejects_bad_forms)
{
	unsigned char out[16];
	size_t bad = 99;
	const char *in = bad_escapes[_i].in;

	ck_assert_int_eq(escape_decode(out, (const unsigned char *)in, strlen(in), &bad), -1);
	ck_assert_uint_eq(bad, bad_escapes[_i].bad_at);
}
END_TEST

START_TEST(escape_roundtrips_all_bytes)
{
	unsigned char raw[512], back[512 * 4];
	char enc[512 * 4 + 1];
	size_t i, bad, n;
	long m;

	for (i = 0; i < sizeof raw; i++)
		raw[i] = (unsigned char)(i * 7 + (i >> 8));
	raw[10] = '\0';
	raw[11] = '5'; /* \0 before a digit */
	n = escape_encode(enc, raw, sizeof raw, '|');
	ck_assert_ptr_null(memchr(enc, '|', n));
	for (i = 0; i < n; i++)
		ck_assert(enc[i] >= 0x20 && enc[i] < 0x7f);
	m = escape_decode(back, (const unsigned char *)enc, n, &bad);
	ck_assert_int_eq(m, (long)sizeof raw);
	ck_assert(memcmp(back, raw, sizeof raw) == 0);
}
END_TEST

/* --- parsing --------------------------------------------------------------- */

static const char every_directive[] =
	"# comment\n"
	"\n"
	"Exclude 9,T:9100-9107,20-,U:-5,53\n"
	"Probe TCP NULL q||\n"
	"totalwaitms 6000\n"
	"tcpwrappedms 3000\n"
	"match ssh m|^SSH-([\\d.]+)-OpenSSH_(\\S+)|s p/OpenSSH/ v/$2/ i/protocol $1/ "
	"o/Linux/ h/h/ d/router/ cpe:/a:openbsd:openssh:$2/ cpe:|o:linux:linux_kernel|a\n"
	"softmatch ftp m=^220 =i\n"
	"Probe UDP DNS q|\\0\\x06\\x01| no-payload\n"
	"rarity 3\n"
	"ports 53,5353-5354\n"
	"Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n"
	"rarity 1\n"
	"ports 80,8000-8010\n"
	"sslports 443\n"
	"fallback DNS, NULL GetRequest\n"
	"match http m|^HTTP/1\\.[01] \\d\\d\\d| p/$P(1)/ v/$SUBST(1,\"_\",\".\")/ i/$I(1,\">\")/\n";

START_TEST(parse_keeps_every_field)
{
	struct probe_db db;
	const struct probe *null, *dns, *get;
	const struct match *m;

	load_ok(&db, every_directive);
	ck_assert_uint_eq(db.exclude_line, 3);
	ck_assert_uint_eq(db.nexclude, 5);
	ck_assert_uint_eq(db.exclude[0].protos, EXCLUDE_TCP | EXCLUDE_UDP);
	ck_assert_uint_eq(db.exclude[0].lo, 9);
	ck_assert_uint_eq(db.exclude[1].protos, EXCLUDE_TCP);
	ck_assert_uint_eq(db.exclude[1].hi, 9107);
	ck_assert_uint_eq(db.exclude[2].protos, EXCLUDE_TCP);
	ck_assert_uint_eq(db.exclude[2].lo, 20);
	ck_assert_uint_eq(db.exclude[2].hi, 65535);
	ck_assert_uint_eq(db.exclude[3].protos, EXCLUDE_UDP);
	ck_assert_uint_eq(db.exclude[3].lo, 1);
	ck_assert_uint_eq(db.exclude[3].hi, 5);
	ck_assert_uint_eq(db.exclude[4].protos, EXCLUDE_UDP);

	ck_assert_uint_eq(db.nprobes, 3);
	null = &db.probes[0];
	dns = &db.probes[1];
	get = &db.probes[2];
	ck_assert_uint_eq(db.null_probe, 0);
	ck_assert_str_eq(null->name, "NULL");
	ck_assert_uint_eq(null->payload.len, 0);
	ck_assert_int_eq(null->totalwaitms, 6000);
	ck_assert_int_eq(null->tcpwrappedms, 3000);
	ck_assert_uint_eq(null->at.line, 4);
	ck_assert_uint_eq(null->nmatches, 2);

	m = &null->matches[0];
	ck_assert(!m->soft);
	ck_assert_str_eq(m->service, "ssh");
	ck_assert_str_eq((const char *)m->regex.p, "^SSH-([\\d.]+)-OpenSSH_(\\S+)");
	ck_assert_uint_eq(m->regex_flags, REGEX_DOTALL);
	ck_assert_uint_eq(m->at.line, 7);
	ck_assert_uint_eq(m->regex_at.col, 13);
	ck_assert_str_eq((const char *)m->field[FIELD_PRODUCT].text.p, "OpenSSH");
	ck_assert_str_eq((const char *)m->field[FIELD_VERSION].text.p, "$2");
	ck_assert_str_eq((const char *)m->field[FIELD_INFO].text.p, "protocol $1");
	ck_assert_str_eq((const char *)m->field[FIELD_OSTYPE].text.p, "Linux");
	ck_assert_str_eq((const char *)m->field[FIELD_HOSTNAME].text.p, "h");
	ck_assert_str_eq((const char *)m->field[FIELD_DEVICETYPE].text.p, "router");
	ck_assert_uint_eq(m->ncpe, 2);
	ck_assert_str_eq((const char *)m->cpe[0].text.p, "a:openbsd:openssh:$2");
	ck_assert(!m->cpe[0].auto_flag);
	ck_assert_str_eq((const char *)m->cpe[1].text.p, "o:linux:linux_kernel");
	ck_assert_int_eq(m->cpe[1].delim, '|');
	ck_assert(m->cpe[1].auto_flag);

	m = &null->matches[1];
	ck_assert(m->soft);
	ck_assert_str_eq((const char *)m->regex.p, "^220 ");
	ck_assert_int_eq(m->regex_delim, '=');
	ck_assert_uint_eq(m->regex_flags, REGEX_CASELESS);
	ck_assert_ptr_null(m->field[FIELD_PRODUCT].text.p);

	ck_assert_int_eq(dns->proto, PROTO_UDP);
	ck_assert(dns->no_payload);
	ck_assert_uint_eq(dns->payload.len, 3);
	ck_assert(memcmp(dns->payload.p, "\0\x06\x01", 3) == 0);
	ck_assert_int_eq(dns->rarity, 3);
	ck_assert_uint_eq(dns->ports.n, 2);
	ck_assert_uint_eq(dns->ports.v[1].lo, 5353);
	ck_assert_uint_eq(dns->ports.v[1].hi, 5354);
	ck_assert_uint_eq(dns->directive_line[DIRECTIVE_SSLPORTS], 0);

	ck_assert_str_eq((const char *)get->payload.p, "GET / HTTP/1.0\r\n\r\n");
	ck_assert_uint_eq(get->sslports.n, 1);
	ck_assert_uint_eq(get->sslports.v[0].lo, 443);
	ck_assert_uint_eq(get->nfallback, 3);
	ck_assert_str_eq(get->fallback[0].name, "DNS");
	ck_assert_str_eq(get->fallback[2].name, "GetRequest");
	ck_assert_str_eq((const char *)get->matches[0].field[FIELD_VERSION].text.p,
			 "$SUBST(1,\"_\",\".\")");
	probe_db_free(&db);
}
END_TEST

START_TEST(fallback_chains_follow_nmap)
{
	struct probe_db db;

	load_ok(&db, every_directive);
	/* NULL: itself only. */
	ck_assert_uint_eq(db.probes[0].nchain, 1);
	/* UDP DNS: itself, no NULL. */
	ck_assert_uint_eq(db.probes[1].nchain, 1);
	ck_assert_uint_eq(db.probes[1].chain[0], 1);
	/* GetRequest: itself, DNS (other protocol), NULL; the repeats of
	 * NULL and itself are dropped. */
	ck_assert_uint_eq(db.probes[2].nchain, 3);
	ck_assert_uint_eq(db.probes[2].chain[0], 2);
	ck_assert_uint_eq(db.probes[2].chain[1], 1);
	ck_assert_uint_eq(db.probes[2].chain[2], 0);
	probe_db_free(&db);
}
END_TEST

START_TEST(crlf_and_missing_final_newline_parse_alike)
{
	struct probe_db lf, crlf;
	char *text = malloc(2 * sizeof every_directive), *o = text;
	const char *s;

	for (s = every_directive; *s; s++) {
		if (*s == '\n')
			*o++ = '\r';
		*o++ = *s;
	}
	o[-2] = '\0'; /* drop the last "\r\n" */
	load_ok(&lf, every_directive);
	load_ok(&crlf, text);
	assert_same_db(&lf, &crlf);
	free(text);
	probe_db_free(&lf);
	probe_db_free(&crlf);
}
END_TEST

START_TEST(errors_are_all_reported_with_positions)
{
	struct probe_db db;
	char *errs;

	ck_assert(!load_text(&db,
			     "Probe TCP NULL q||\n"
			     "rarity 0\n"
			     "match a m|x\n"
			     "match b m|x| z/y/\n"
			     "match c m|ok|\n",
			     &errs));
	ck_assert_str_eq(errs,
			 "t.probes:2:8: error: rarity 0 is out of range (1-9)\n"
			 "t.probes:3:10: error: unterminated regex: no closing '|' on the line\n"
			 "t.probes:4:14: error: unknown version field 'z' (expected p, v, i, h, o, d or cpe:)\n");
	/* The good line after the bad ones is still read. */
	ck_assert_uint_eq(db.probes[0].nmatches, 2);
	ck_assert_str_eq(db.probes[0].matches[1].service, "c");
	free(errs);
	probe_db_free(&db);
}
END_TEST

/* Nmap's rule for the words after a probe string (newer databases carry
 * source=500): a word starting with no-payload sets it and ends the flags;
 * every other word is passed over.  svdc warns for each word passed over. */
START_TEST(probe_flags_are_read_as_nmap_reads_them)
{
	struct probe_db db;
	char *errs;

	ck_assert(load_text(&db,
			    "Probe TCP NULL q||\n"
			    "Probe UDP A q|a| source=500\n"
			    "Probe UDP B q|b|no-payload\n"
			    "Probe UDP C q|c| source=1 no-payloads x no-payload\n"
			    "Probe UDP D q|d|\tno-payload\n",
			    &errs));
	ck_assert_str_eq(errs,
			 "t.probes:2:18: warning: unknown probe flag 'source=500' ignored "
			 "(Nmap acts on no-payload only)\n"
			 "t.probes:4:18: warning: unknown probe flag 'source=1' ignored "
			 "(Nmap acts on no-payload only)\n"
			 "t.probes:4:27: warning: probe flag 'no-payloads' read as no-payload "
			 "(Nmap reads any word starting with it so)\n"
			 "t.probes:4:39: warning: 'x' after no-payload ignored "
			 "(Nmap reads no flag after it)\n"
			 "t.probes:4:41: warning: 'no-payload' after no-payload ignored "
			 "(Nmap reads no flag after it)\n");
	ck_assert(!db.probes[1].no_payload);
	ck_assert(db.probes[2].no_payload);
	ck_assert(db.probes[3].no_payload);
	ck_assert(db.probes[4].no_payload);
	ck_assert_str_eq((const char *)db.probes[1].payload.p, "a");
	free(errs);
	probe_db_free(&db);
}
END_TEST

START_TEST(delimiters_may_be_any_punctuation_or_digit)
{
	struct probe_db db;

	load_ok(&db, "Probe TCP X q#a|b#\n"
		     "match s m%a|b%i p=x/y= v1two1 cpe:#a:b#a\n");
	ck_assert_str_eq((const char *)db.probes[0].payload.p, "a|b");
	ck_assert_str_eq((const char *)db.probes[0].matches[0].regex.p, "a|b");
	ck_assert_str_eq((const char *)db.probes[0].matches[0].field[FIELD_PRODUCT].text.p, "x/y");
	ck_assert_str_eq((const char *)db.probes[0].matches[0].field[FIELD_VERSION].text.p, "two");
	ck_assert(db.probes[0].matches[0].cpe[0].auto_flag);
	assert_dump_roundtrip(&db);
	probe_db_free(&db);
}
END_TEST

START_TEST(dump_roundtrips_every_directive)
{
	struct probe_db db;

	load_ok(&db, every_directive);
	assert_dump_roundtrip(&db);
	probe_db_free(&db);
}
END_TEST

/* A file named by the environment, e.g. Nmap's database. */
static void roundtrip_file(const char *path)
{
	struct probe_db db;
	struct diag d;

	diag_init(&d, stderr);
	probe_db_init(&db, path);
	ck_assert_msg(probe_db_load(&db, path, &d), "%s does not load", path);
	assert_dump_roundtrip(&db);
	probe_db_free(&db);
}

START_TEST(dump_roundtrips_nmap_database)
{
	const char *path = getenv("NMAP_PROBES");
	struct probe_db db;
	struct diag d;
	struct probe_db_stats s;

	if (!path || !*path) {
		fprintf(stderr, "skipped: NMAP_PROBES is not set\n");
		return;
	}
	diag_init(&d, stderr);
	probe_db_init(&db, path);
	ck_assert(probe_db_load(&db, path, &d));
	s = probe_db_stats(&db);
	/* Debian 12's nmap-common 7.93. */
	if (s.probes[PROTO_TCP] + s.probes[PROTO_UDP] == 148) {
		ck_assert_uint_eq(s.matches, 11721);
		ck_assert_uint_eq(s.softmatches, 196);
	}
	probe_db_free(&db);
	roundtrip_file(path);
}
END_TEST

START_TEST(dump_roundtrips_own_signatures)
{
	const char *top = getenv("top_srcdir");
	char path[4096];

	snprintf(path, sizeof path, "%s/signatures/svdetect-service-probes",
		 top ? top : ".");
	roundtrip_file(path);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("frontend");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, escape_decodes_every_form);
	tcase_add_loop_test(tc, escape_rejects_bad_forms, 0,
			    sizeof bad_escapes / sizeof *bad_escapes);
	tcase_add_test(tc, escape_roundtrips_all_bytes);
	tcase_add_test(tc, parse_keeps_every_field);
	tcase_add_test(tc, fallback_chains_follow_nmap);
	tcase_add_test(tc, crlf_and_missing_final_newline_parse_alike);
	tcase_add_test(tc, errors_are_all_reported_with_positions);
	tcase_add_test(tc, probe_flags_are_read_as_nmap_reads_them);
	tcase_add_test(tc, delimiters_may_be_any_punctuation_or_digit);
	tcase_add_test(tc, dump_roundtrips_every_directive);
	tcase_add_test(tc, dump_roundtrips_nmap_database);
	tcase_add_test(tc, dump_roundtrips_own_signatures);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
