/* The event loop: timer heap order under random starts and stops, and
 * descriptor callbacks on a socket pair. */
#include <check.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ev.h"

enum { NTIMERS = 500 };

struct probe_timer {
	struct ev_timer t;
	uint64_t due;      /* expected firing time */
	int fired;
};

static uint64_t last_fired;
static int nfired, out_of_order;

static void fire(struct ev_loop *l, struct ev_timer *t)
{
	struct probe_timer *p = ev_container(t, struct probe_timer, t);

	if (t->when < last_fired)
		out_of_order++;
	last_fired = t->when;
	p->fired++;
	nfired++;
	(void)l;
}

START_TEST(timers_fire_in_order_and_stopped_ones_never)
{
	struct ev_loop *l = ev_new(64);
	static struct probe_timer pt[NTIMERS];
	int i, expected = 0;

	ck_assert_ptr_nonnull(l);
	srand(7);
	for (i = 0; i < NTIMERS; i++)
		ev_timer_start(l, &pt[i].t, (uint64_t)(rand() % 40), fire);
	/* Re-arm some, stop others: the heap must stay consistent. */
	for (i = 0; i < NTIMERS; i += 3)
		ev_timer_start(l, &pt[i].t, (uint64_t)(rand() % 40), fire);
	for (i = 1; i < NTIMERS; i += 4)
		ev_timer_stop(l, &pt[i].t);
	for (i = 0; i < NTIMERS; i++)
		expected += pt[i].t.heap_index != 0;
	ck_assert_uint_eq(ev_ntimers(l), (unsigned)expected);
	ck_assert_int_eq(ev_run(l), 0);
	ck_assert_int_eq(nfired, expected);
	ck_assert_int_eq(out_of_order, 0);
	for (i = 1; i < NTIMERS; i += 4)
		ck_assert_int_eq(pt[i].fired, 0);
	ck_assert_uint_eq(ev_ntimers(l), 0);
	ev_free(l);
}
END_TEST

struct pipe_state {
	int reads, writes;
	char got;
};

static void on_io(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	struct pipe_state *st = arg;

	if (events & EV_WRITE) {
		st->writes++;
		ck_assert_int_eq(write(fd, "x", 1), 1);
		ev_watch(l, fd, 0, NULL, NULL);
	}
	if (events & EV_READ) {
		st->reads++;
		ck_assert_int_eq(read(fd, &st->got, 1), 1);
		ev_watch(l, fd, 0, NULL, NULL);
	}
}

START_TEST(descriptors_report_ready_events_until_removed)
{
	struct ev_loop *l = ev_new(1024);
	struct pipe_state a = { 0 }, b = { 0 };
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(ev_watch(l, sv[0], EV_WRITE, on_io, &a), 0);
	ck_assert_int_eq(ev_watch(l, sv[1], EV_READ, on_io, &b), 0);
	ck_assert_uint_eq(ev_nwatched(l), 2);
	ck_assert_int_eq(ev_run(l), 0);
	ck_assert_int_eq(a.writes, 1);
	ck_assert_int_eq(b.reads, 1);
	ck_assert_int_eq(b.got, 'x');
	ck_assert_uint_eq(ev_nwatched(l), 0);
	close(sv[0]);
	close(sv[1]);
	ev_free(l);
}
END_TEST

START_TEST(descriptors_beyond_the_table_are_refused)
{
	struct ev_loop *l = ev_new(8);
	struct pipe_state st = { 0 };

	ck_assert_int_eq(ev_watch(l, 8, EV_READ, on_io, &st), -1);
	ev_free(l);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ev");
	TCase *tc = tcase_create("loop");

	tcase_add_test(tc, timers_fire_in_order_and_stopped_ones_never);
	tcase_add_test(tc, descriptors_report_ready_events_until_removed);
	tcase_add_test(tc, descriptors_beyond_the_table_are_refused);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
