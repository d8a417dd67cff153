/* Unit tests of merging probe files into one set (compiler/front/merge.h). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "merge.h"
#include "parse.h"
#include "sema.h"

static const char *const file_name[] = { "a.probes", "b.probes", "c.probes" };

/*
 * Merges texts (files a.probes, b.probes, ... in that order, each valid
 * alone) into set as svdc does; the diagnostics land in *errs (caller
 * frees).  Returns whether the set is valid.
 */
static bool merge_texts(struct probe_db *set, const char *const *texts, size_t n,
			char **errs)
{
	size_t i, len;
	FILE *err = open_memstream(errs, &len);
	struct diag d;

	ck_assert_ptr_nonnull(err);
	ck_assert_uint_le(n, sizeof file_name / sizeof *file_name);
	diag_init(&d, err);
	probe_db_init(set, "set");
	for (i = 0; i < n; i++) {
		struct probe_db f;

		probe_db_init(&f, file_name[i]);
		ck_assert_msg(probe_db_parse(&f, (const unsigned char *)texts[i],
					     strlen(texts[i]), &d) &&
				      probe_db_check_file(&f, &d),
			      "%s is not valid alone", file_name[i]);
		probe_db_merge(set, &f, &d);
		ck_assert_uint_eq(f.nprobes, 0); /* the set took it */
		probe_db_free(&f);
	}
	if (!diag_failed(&d))
		probe_db_resolve(set, &d);
	fclose(err);
	return !diag_failed(&d);
}

static void merge_ok(struct probe_db *set, const char *const *texts, size_t n)
{
	char *errs;

	if (!merge_texts(set, texts, n, &errs))
		ck_abort_msg("unexpected errors:\n%s", errs);
	free(errs);
}

static char *dump_to_string(const struct probe_db *db)
{
	char *buf;
	size_t len;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(out);
	probe_db_dump(db, out);
	fclose(out);
	return buf;
}

static const char base[] =
	"Probe TCP NULL q||\n"
	"match ftp m|^220 a|\n"
	"match ssh m|^SSH-|\n"
	"\n"
	"Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n"
	"rarity 1\n"
	"ports 80,8000-8010\n"
	"sslports 443\n"
	"totalwaitms 6000\n"
	"tcpwrappedms 3000\n"
	"fallback NULL\n"
	"match http m|^HTTP/1\\.[01] |\n"
	"\n"
	"Probe UDP DNSStatusRequest q|\\0\\0\\x10\\0\\0\\0\\0\\0\\0\\0\\0\\0| no-payload\n"
	"match dns m|^\\0\\0\\x90|\n";

START_TEST(later_probes_come_after_earlier_ones)
{
	const char *const texts[] = {
		base,
		"Probe TCP SiteHello q|hello\\n|\nmatch site m|^site|\n"
		"Probe UDP SitePing q|ping|\n",
	};
	struct probe_db set;

	merge_ok(&set, texts, 2);
	ck_assert_uint_eq(set.nprobes, 5);
	ck_assert_str_eq(set.probes[0].name, "NULL");
	ck_assert_str_eq(set.probes[2].name, "DNSStatusRequest");
	ck_assert_str_eq(set.probes[3].name, "SiteHello");
	ck_assert_str_eq(set.probes[3].at.file, "b.probes");
	ck_assert_uint_eq(set.probes[3].at.line, 1);
	ck_assert_str_eq(set.probes[4].name, "SitePing");
	ck_assert_uint_eq(set.null_probe, 0);
	/* A new TCP probe of a later file falls back on the set's NULL. */
	ck_assert_uint_eq(set.probes[3].nchain, 2);
	ck_assert_uint_eq(set.probes[3].chain[1], 0);
	probe_db_free(&set);
}
END_TEST

START_TEST(restated_probe_lines_run_after_earlier_ones)
{
	const char *const texts[] = {
		base,
		"Probe TCP NULL q||\nmatch site-b m|^b|\nsoftmatch site-b2 m|^b2|\n",
		"Probe TCP NULL q||\nmatch site-c m|^c|\n"
		"Probe UDP DNSStatusRequest q|\\0\\0\\x10\\0\\0\\0\\0\\0\\0\\0\\0\\0| no-payload\n"
		"match site-dns m|^x|\n",
	};
	static const char *const services[] = { "ftp", "ssh", "site-b", "site-b2", "site-c" };
	struct probe_db set;
	size_t i;

	merge_ok(&set, texts, 3);
	ck_assert_uint_eq(set.nprobes, 3);
	ck_assert_uint_eq(set.probes[0].nmatches, 5);
	for (i = 0; i < 5; i++)
		ck_assert_str_eq(set.probes[0].matches[i].service, services[i]);
	ck_assert(set.probes[0].matches[3].soft);
	ck_assert_str_eq(set.probes[0].matches[2].at.file, "b.probes");
	ck_assert_uint_eq(set.probes[0].matches[2].at.line, 2);
	/* The probe keeps its first definition's place. */
	ck_assert_str_eq(set.probes[0].at.file, "a.probes");
	ck_assert_uint_eq(set.probes[2].nmatches, 2);
	ck_assert_str_eq(set.probes[2].matches[1].service, "site-dns");
	probe_db_free(&set);
}
END_TEST

START_TEST(identical_directives_may_be_restated)
{
	const char *const texts[] = {
		base,
		"Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n"
		"fallback NULL\ntcpwrappedms 3000\ntotalwaitms 6000\nsslports 443\n"
		"ports 80,8000-8010\nrarity 1\nmatch site m|^x|\n",
	};
	struct probe_db set;

	merge_ok(&set, texts, 2);
	ck_assert_uint_eq(set.probes[1].nmatches, 2);
	ck_assert_int_eq(set.probes[1].rarity, 1);
	probe_db_free(&set);
}
END_TEST

START_TEST(fallbacks_are_looked_up_in_the_whole_set)
{
	const char *const texts[] = {
		"Probe TCP NULL q||\nProbe TCP A q|a|\nfallback SiteB\n",
		"Probe TCP SiteB q|b|\nfallback A\n",
	};
	struct probe_db set;

	merge_ok(&set, texts, 2);
	/* An earlier file's fallback names a later file's probe and back. */
	ck_assert_uint_eq(set.probes[1].nchain, 3);
	ck_assert_uint_eq(set.probes[1].chain[1], 2);
	ck_assert_uint_eq(set.probes[2].nchain, 3);
	ck_assert_uint_eq(set.probes[2].chain[1], 1);
	probe_db_free(&set);
}
END_TEST

START_TEST(excludes_add_up_and_dump_as_one_line)
{
	const char *const texts[] = {
		"Exclude T:9100-9107\nProbe TCP NULL q||\n",
		"Exclude 53,U:161\nProbe TCP NULL q||\n",
	};
	struct probe_db set;
	char *dump;

	merge_ok(&set, texts, 2);
	ck_assert_uint_eq(set.nexclude, 3);
	/* No prefix first: a prefix holds to the end of the line. */
	ck_assert_uint_eq(set.exclude[0].protos, EXCLUDE_TCP | EXCLUDE_UDP);
	ck_assert_uint_eq(set.exclude[0].lo, 53);
	ck_assert_uint_eq(set.exclude[1].protos, EXCLUDE_TCP);
	ck_assert_uint_eq(set.exclude[2].protos, EXCLUDE_UDP);
	dump = dump_to_string(&set);
	ck_assert_ptr_nonnull(strstr(dump, "\nExclude 53,T:9100-9107,U:161\n"));
	free(dump);
	probe_db_free(&set);
}
END_TEST

/* Every clash: the later file's text and the whole expected message. */
static const struct clash {
	const char *later, *message;
} clashes[] = {
	{ "Probe UDP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n",
	  "b.probes:1:1: error: probe UDP GetRequest: a.probes:5 has a TCP probe of that name (across files, a name is one protocol's)\n" },
	{ "Probe TCP GetRequest q|GET / HTTP/1.1\\r\\n\\r\\n|\n",
	  "b.probes:1:1: error: probe TCP GetRequest restates a.probes:5 with another probe string (a restatement repeats the Probe line as it is)\n" },
	{ "Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n| no-payload\n",
	  "b.probes:1:1: error: probe TCP GetRequest restates a.probes:5 adding no-payload\n" },
	{ "Probe UDP DNSStatusRequest q|\\0\\0\\x10\\0\\0\\0\\0\\0\\0\\0\\0\\0|\n",
	  "b.probes:1:1: error: probe UDP DNSStatusRequest restates a.probes:14 dropping no-payload\n" },
	{ "Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\nports 80\n",
	  "b.probes:2:1: error: 'ports' of probe TCP GetRequest differs from a.probes:7 (a restatement may only repeat a directive as it is)\n" },
	{ "Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\nsslports 443,993\n",
	  "b.probes:2:1: error: 'sslports' of probe TCP GetRequest differs from a.probes:8 (a restatement may only repeat a directive as it is)\n" },
	{ "Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\nrarity 2\n",
	  "b.probes:2:1: error: 'rarity' of probe TCP GetRequest differs from a.probes:6 (a restatement may only repeat a directive as it is)\n" },
	{ "Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\ntotalwaitms 5000\n",
	  "b.probes:2:1: error: 'totalwaitms' of probe TCP GetRequest differs from a.probes:9 (a restatement may only repeat a directive as it is)\n" },
	{ "Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\ntcpwrappedms 2000\n",
	  "b.probes:2:1: error: 'tcpwrappedms' of probe TCP GetRequest differs from a.probes:10 (a restatement may only repeat a directive as it is)\n" },
	{ "Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\nfallback NULL,DNSStatusRequest\n",
	  "b.probes:2:1: error: 'fallback' of probe TCP GetRequest differs from a.probes:11 (a restatement may only repeat a directive as it is)\n" },
	{ "Probe TCP NULL q||\nrarity 1\n",
	  "b.probes:2:1: error: 'rarity' in probe TCP NULL, which a.probes:1 defines without it (a restatement may only repeat a directive as it is)\n" },
	{ "Probe UDP DNSStatusRequest q|\\0\\0\\x10\\0\\0\\0\\0\\0\\0\\0\\0\\0| no-payload\nports 53\n",
	  "b.probes:2:1: error: 'ports' in probe UDP DNSStatusRequest, which a.probes:14 defines without it (a restatement may only repeat a directive as it is)\n" },
	{ "Probe TCP Empty q||\n",
	  "b.probes:1:1: error: probe Empty has an empty probe string, but NULL at a.probes:1 is already the NULL probe\n" },
	{ "Probe TCP Site q|x|\nfallback Nowhere\n",
	  "b.probes:2:10: error: unknown fallback probe 'Nowhere'\n" },
};

START_TEST(every_clash_is_an_error_at_the_later_file)
{
	const struct clash *c = &clashes[_i];
	const char *const texts[] = { base, c->later };
	struct probe_db set;
	char *errs;

	ck_assert(!merge_texts(&set, texts, 2, &errs));
	ck_assert_str_eq(errs, c->message);
	free(errs);
	probe_db_free(&set);
}
END_TEST

START_TEST(a_clashing_probe_is_left_out_and_the_rest_merged)
{
	const char *const texts[] = {
		base,
		"Probe TCP GetRequest q|other|\nmatch x m|x|\n"
		"Probe TCP NULL q||\nmatch site m|^s|\n"
		"Probe TCP Site q|s|\n",
	};
	struct probe_db set;
	char *errs;

	ck_assert(!merge_texts(&set, texts, 2, &errs));
	free(errs);
	ck_assert_uint_eq(set.nprobes, 4);
	ck_assert_uint_eq(set.probes[1].nmatches, 1);
	ck_assert_uint_eq(set.probes[0].nmatches, 3);
	ck_assert_str_eq(set.probes[3].name, "Site");
	probe_db_free(&set);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("merge");
	TCase *tc = tcase_create("merge");

	tcase_add_test(tc, later_probes_come_after_earlier_ones);
	tcase_add_test(tc, restated_probe_lines_run_after_earlier_ones);
	tcase_add_test(tc, identical_directives_may_be_restated);
	tcase_add_test(tc, fallbacks_are_looked_up_in_the_whole_set);
	tcase_add_test(tc, excludes_add_up_and_dump_as_one_line);
	tcase_add_loop_test(tc, every_clash_is_an_error_at_the_later_file, 0,
			    (int)(sizeof clashes / sizeof *clashes));
	tcase_add_test(tc, a_clashing_probe_is_left_out_and_the_rest_merged);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
