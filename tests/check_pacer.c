/* The pacer (runtime/scan/pacer.c) on a simulated clock: the burst, the wait
 * after an overdraft, and the share of time that work gets in the long run. */
#include <check.h>

#include "pacer.h"

enum { MS = 1000000 };

START_TEST(a_full_bucket_lets_the_burst_run_at_once)
{
	struct pacer p;

	pacer_init(&p, 20, 10 * MS, 1000 * (uint64_t)MS);
	ck_assert_uint_eq(pacer_wait_ms(&p, 1000 * (uint64_t)MS), 0);
	pacer_charge(&p, 10 * MS);
	/* Exactly spent is not overdrawn. */
	ck_assert_uint_eq(pacer_wait_ms(&p, 1000 * (uint64_t)MS), 0);
	pacer_charge(&p, 3 * MS + 1);
	/* 3 ms overdrawn at 1/20: 60 ms, rounded up. */
	ck_assert_uint_eq(pacer_wait_ms(&p, 1000 * (uint64_t)MS), 61);
	ck_assert_uint_eq(pacer_wait_ms(&p, 1030 * (uint64_t)MS), 31);
	ck_assert_uint_eq(pacer_wait_ms(&p, 1061 * (uint64_t)MS), 0);
}
END_TEST

START_TEST(idle_time_saves_no_more_than_the_burst)
{
	struct pacer p;

	pacer_init(&p, 20, 10 * MS, 0);
	pacer_charge(&p, 10 * MS);
	ck_assert_uint_eq(pacer_wait_ms(&p, 3600000 * (uint64_t)MS), 0);
	pacer_charge(&p, 10 * MS + MS);
	ck_assert_uint_eq(pacer_wait_ms(&p, 3600000 * (uint64_t)MS), 20);
}
END_TEST

/*
 * Work of 3 ms that runs whenever the pacer allows, polled every
 * millisecond for 10 s: it gets the burst, 1/20 of the time, and at most
 * one piece of work beyond that.
 */
START_TEST(in_the_long_run_work_gets_its_share)
{
	struct pacer p;
	uint64_t t, used = 0;

	pacer_init(&p, 20, 10 * MS, 0);
	for (t = 0; t < 10000 * (uint64_t)MS; t += MS) {
		if (pacer_wait_ms(&p, t))
			continue;
		pacer_charge(&p, 3 * MS);
		used += 3 * MS;
	}
	ck_assert_uint_le(used, 10 * MS + 10000 * (uint64_t)MS / 20 + 3 * MS);
	ck_assert_uint_ge(used, 10000 * (uint64_t)MS / 20 - 3 * MS);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pacer");
	TCase *tc = tcase_create("bucket");

	tcase_add_test(tc, a_full_bucket_lets_the_burst_run_at_once);
	tcase_add_test(tc, idle_time_saves_no_more_than_the_burst);
	tcase_add_test(tc, in_the_long_run_work_gets_its_share);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
