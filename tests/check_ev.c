/* The event loop: timer heap order under random starts and stops,
 * descriptor callbacks on a socket pair, and no stale event reaching a
 * descriptor number reused within one batch. */
#include <check.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
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

/*
 * Two descriptors ready in the same batch.  Whichever callback runs
 * first unwatches and closes the other, and puts a new file on the same
 * descriptor number (a socket pair's end, not readable until the test
 * writes to its peer), watched for reading.  The batch still holds the
 * old descriptor's event: it must not reach the new watcher.
 */
struct reuse_state {
	int fd[2];              /* the two ready descriptors */
	int reused;             /* the number given to the new file, -1 before */
	int keep_writer;        /* the new file's peer */
	int first_calls, reused_calls;
};

/* Ready only once the test writes to the new file's peer. */
static void on_reused(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	struct reuse_state *st = arg;

	(void)events;
	st->reused_calls++;
	ev_watch(l, fd, 0, NULL, NULL);
	ev_stop(l);
}

static void on_first(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	struct reuse_state *st = arg;
	int other = fd == st->fd[0] ? st->fd[1] : st->fd[0];
	int p[2];

	(void)events;
	st->first_calls++;
	ck_assert_int_eq(ev_watch(l, fd, 0, NULL, NULL), 0);
	ck_assert_int_eq(ev_watch(l, other, 0, NULL, NULL), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p), 0);
	ck_assert_int_eq(dup2(p[0], other), other); /* closes the old file */
	close(p[0]);
	st->reused = other;
	st->keep_writer = p[1];
	ck_assert_int_eq(ev_watch(l, other, EV_READ, on_reused, st), 0);
}

static void stop_loop(struct ev_loop *l, struct ev_timer *t)
{
	(void)t;
	ev_stop(l);
}

START_TEST(a_reused_descriptor_gets_no_stale_event_of_the_batch)
{
	struct ev_loop *l = ev_new(1024);
	struct reuse_state st = { .reused = -1, .keep_writer = -1 };
	struct ev_timer stop = { 0 };
	int a[2], b[2];

	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, a), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, b), 0);
	ck_assert_int_eq(write(a[1], "x", 1), 1);
	ck_assert_int_eq(write(b[1], "y", 1), 1);
	st.fd[0] = a[0];
	st.fd[1] = b[0];
	ck_assert_int_eq(ev_watch(l, a[0], EV_READ, on_first, &st), 0);
	ck_assert_int_eq(ev_watch(l, b[0], EV_READ, on_first, &st), 0);
	/* Both are ready before the loop waits: one batch holds both. */
	ev_timer_start(l, &stop, 100, stop_loop);
	ck_assert_int_eq(ev_run(l), 0);
	ck_assert_int_eq(st.first_calls, 1);
	ck_assert_int_ne(st.reused, -1);
	ck_assert_int_eq(st.reused_calls, 0);
	/* The new watcher still works: data for it reaches it. */
	ck_assert_int_eq(write(st.keep_writer, "z", 1), 1);
	ev_timer_start(l, &stop, 1000, stop_loop);
	ck_assert_int_eq(ev_run(l), 0);
	ck_assert_int_eq(st.reused_calls, 1);
	ev_timer_stop(l, &stop);
	close(a[0] == st.reused ? b[0] : a[0]);
	close(st.reused);
	close(st.keep_writer);
	close(a[1]);
	close(b[1]);
	ev_free(l);
}
END_TEST

/*
 * On a test clock the loop never sleeps: a ready descriptor is served at
 * the clock's time, then the clock jumps from timer to timer.
 */
struct clocked {
	uint64_t fired_at[2];
	int nfired;
	uint64_t read_at;
};

static struct clocked clocked;
static struct ev_timer second;

static void record_fire(struct ev_loop *l, struct ev_timer *t)
{
	clocked.fired_at[clocked.nfired++] = ev_now(l);
	if (t != &second)
		ev_timer_start(l, &second, 5000, record_fire);
}

static void record_read(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	char c;

	(void)events;
	(void)arg;
	ck_assert_int_eq(read(fd, &c, 1), 1);
	clocked.read_at = ev_now(l);
	ev_watch(l, fd, 0, NULL, NULL);
}

START_TEST(a_test_clock_jumps_to_the_next_timer)
{
	struct ev_loop *l = ev_new(1024);
	uint64_t clock = 1000;
	struct ev_timer first = { 0 };
	struct timespec t0, t1;
	int sv[2];

	ck_assert_ptr_nonnull(l);
	ev_set_test_clock(l, &clock);
	ck_assert_uint_eq(ev_now(l), 1000);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(write(sv[1], "x", 1), 1);
	ck_assert_int_eq(ev_watch(l, sv[0], EV_READ, record_read, NULL), 0);
	ev_timer_start(l, &first, 6000, record_fire);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(ev_run(l), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_uint_eq(clocked.read_at, 1000);
	ck_assert_int_eq(clocked.nfired, 2);
	ck_assert_uint_eq(clocked.fired_at[0], 7000);
	ck_assert_uint_eq(clocked.fired_at[1], 12000);
	ck_assert_uint_eq(clock, 12000);
	ck_assert_int_lt((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000, 1000);
	close(sv[0]);
	close(sv[1]);
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
	tcase_add_test(tc, a_reused_descriptor_gets_no_stale_event_of_the_batch);
	tcase_add_test(tc, a_test_clock_jumps_to_the_next_timer);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
