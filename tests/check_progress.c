/*
 * The latency estimate (runtime/scan/rtt.c) against Nmap's arithmetic, and
 * the progress lines (runtime/scan/progress.c) of scans driven by hand on
 * a made-up clock: their words, order, percents and estimates.
 */
#include <check.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "rtt.h"

START_TEST(rtt_follows_nmaps_estimator)
{
	struct svd_host h = { 0 };

	svd_rtt_sample(&h, 0); /* no answer: no sample */
	ck_assert_int_eq(h.srtt_us, 0);
	svd_rtt_sample(&h, 100);
	ck_assert_int_eq(h.srtt_us, 100);
	ck_assert_int_eq(h.rttvar_us, 5000); /* the first variance is >= 5 ms */
	svd_rtt_sample(&h, 200);
	ck_assert_int_eq(h.srtt_us, 112);    /* + 100/8 */
	ck_assert_int_eq(h.rttvar_us, 3775); /* + (100 - 5000)/4 */
	svd_rtt_sample(&h, 8000000);         /* implausible */
	svd_rtt_sample(&h, 1700000);         /* a jump far outside the variance */
	ck_assert_int_eq(h.srtt_us, 112);
	ck_assert_int_eq(h.rttvar_us, 3775);
}
END_TEST

START_TEST(rtt_first_variance_is_capped)
{
	struct svd_host h = { 0 };

	svd_rtt_sample(&h, 3000000);
	ck_assert_int_eq(h.srtt_us, 3000000);
	ck_assert_int_eq(h.rttvar_us, 2000000);
}
END_TEST

/* Whether s, at the ':' of a clock, follows prefix in buf. */
static bool after(const char *buf, const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(s - 2 - buf) >= n && strncmp(s - 2 - n, prefix, n) == 0;
}

/* The text written so far, with the wall clock's "HH:MM" after "at " and
 * "ETC: " masked, as it depends on when the test runs. */
static const char *text(FILE *f, char **buf)
{
	char *s;

	fflush(f);
	for (s = *buf; (s = strchr(s, ':')); s++)
		if (s - *buf >= 2 && isdigit((unsigned char)s[-2]) && isdigit((unsigned char)s[-1]) &&
		    isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
		    (after(*buf, s, "at ") || after(*buf, s, "ETC: "))) {
			s[-2] = s[-1] = 'H';
			s[1] = s[2] = 'M';
		}
	return *buf;
}

static void scanned(struct svd_progress *p, uint64_t now, const struct svd_host *h,
		    unsigned portno, enum svd_port_state state)
{
	struct svd_port port = { .portno = (uint16_t)portno, .state = (uint8_t)state };

	svd_progress_port_scanned(p, now, h, &port, state == SVD_PORT_OPEN);
}

START_TEST(verbose_lines_follow_the_scan)
{
	struct svd_progress p;
	struct svd_host h = { .addrstr = "127.0.0.1", .name = "localhost", .up = true };
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	svd_progress_start(&p, f, 1, 1000, &h, 1, 3, false);
	scanned(&p, 1010, &h, 22, SVD_PORT_OPEN);
	svd_progress_service_started(&p, 1010);
	scanned(&p, 1020, &h, 23, SVD_PORT_CLOSED);
	svd_progress_status(&p, 1020, 1);
	scanned(&p, 1030, &h, 24, SVD_PORT_CLOSED);
	svd_progress_status(&p, 61030, 1);
	svd_progress_service_done(&p, 62040);
	svd_progress_host_done(&p, 62040, &h, 0, 0);
	ck_assert_str_eq(text(f, &buf),
		"Initiating Connect Scan at HH:MM\n"
		"Scanning localhost (127.0.0.1) [3 ports]\n"
		"Discovered open port 22/tcp on 127.0.0.1\n"
		"Initiating Service scan at HH:MM\n"
		"Stats: 0:00:00 elapsed; 0 hosts completed (0 up), 1 undergoing Connect Scan\n"
		"Connect Scan Timing: About 66.67% done; ETC: HH:MM (0:00:00 remaining)\n"
		"Completed Connect Scan at HH:MM, 0.03s elapsed (3 total ports)\n"
		"Stats: 0:01:00 elapsed; 0 hosts completed (0 up), 1 undergoing Service Scan\n"
		"Service scan Timing: About 0.00% done\n"
		"Completed Service scan at HH:MM, 61.03s elapsed (1 service on 1 host)\n");
	fclose(f);
	free(buf);
}
END_TEST

START_TEST(quiet_without_verbose_but_for_the_status)
{
	struct svd_progress p;
	struct svd_host h[2] = { { .addrstr = "127.0.0.1" }, { .addrstr = "127.0.0.2" } };
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	svd_progress_start(&p, f, 0, 0, h, 2, 50, false);
	scanned(&p, 3600000, &h[0], 22, SVD_PORT_CLOSED);
	svd_progress_status(&p, 3600000, 2); /* 1%: 99 hours to go */
	svd_progress_status(&p, 3 * 24 * 3600000ULL, 2); /* at that rate, 297 days */
	ck_assert_str_eq(text(f, &buf),
		"Stats: 1:00:00 elapsed; 0 hosts completed (0 up), 2 undergoing Connect Scan\n"
		"Connect Scan Timing: About 1.00% done; ETC: HH:MM (99:00:00 remaining)\n"
		"Stats: 72:00:00 elapsed; 0 hosts completed (0 up), 2 undergoing Connect Scan\n"
		"Connect Scan Timing: About 1.00% done; ETC: Unknown (>10 days remaining)\n");
	fclose(f);
	free(buf);
}
END_TEST

START_TEST(timed_out_hosts_end_the_tasks)
{
	struct svd_progress p;
	struct svd_host h[2] = { { .addrstr = "127.0.0.1", .up = true },
				 { .addrstr = "127.0.0.2", .up = true } };
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	svd_progress_start(&p, f, 1, 0, h, 2, 2, false);
	scanned(&p, 10, &h[0], 80, SVD_PORT_OPEN);
	svd_progress_service_started(&p, 10);
	scanned(&p, 10, &h[0], 81, SVD_PORT_OPEN);
	scanned(&p, 10, &h[1], 80, SVD_PORT_CLOSED);
	svd_progress_service_done(&p, 20);
	/* The first host's deadline: port 81 is never probed. */
	h[0].timed_out = true;
	svd_progress_host_done(&p, 2000, &h[0], 0, 1);
	/* The second host is found down before its second port. */
	h[1].up = false;
	svd_progress_host_done(&p, 2010, &h[1], 1, 0);
	svd_progress_status(&p, 2010, 0);
	ck_assert_str_eq(text(f, &buf),
		"Initiating Connect Scan at HH:MM\n"
		"Scanning 2 hosts [2 ports/host]\n"
		"Discovered open port 80/tcp on 127.0.0.1\n"
		"Initiating Service scan at HH:MM\n"
		"Discovered open port 81/tcp on 127.0.0.1\n"
		"Completed Connect Scan at HH:MM, 2.01s elapsed (3 total ports)\n"
		"Completed Service scan at HH:MM, 2.00s elapsed (1 host timed out)\n"
		"Stats: 0:00:02 elapsed; 2 hosts completed (1 up), 0 undergoing Service Scan\n");
	fclose(f);
	free(buf);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, rtt_follows_nmaps_estimator);
	tcase_add_test(tc, rtt_first_variance_is_capped);
	tcase_add_test(tc, verbose_lines_follow_the_scan);
	tcase_add_test(tc, quiet_without_verbose_but_for_the_status);
	tcase_add_test(tc, timed_out_hosts_end_the_tasks);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
