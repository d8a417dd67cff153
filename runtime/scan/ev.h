/*
 * A small event loop: epoll for descriptors, a binary min-heap for
 * timers (O(log n) start/stop), a monotonic millisecond clock.  The API
 * is deliberately tiny, in the spirit of Redis's ae.c; everything the
 * scanner does is a callback from ev_run().
 */
#ifndef SVD_EV_H
#define SVD_EV_H

#include <stddef.h>
#include <stdint.h>

enum { EV_READ = 1, EV_WRITE = 2 };

struct ev_loop;

/* events: EV_READ/EV_WRITE that are ready (errors and hang-ups report both
 * as ready so the callback's read/write sees them). */
typedef void ev_io_fn(struct ev_loop *l, int fd, unsigned events, void *arg);

struct ev_timer;
typedef void ev_timer_fn(struct ev_loop *l, struct ev_timer *t);

/* Embedded in the caller's object; idle when heap_index == 0. */
struct ev_timer {
	uint64_t when;        /* ev_now() time it fires */
	size_t heap_index;    /* 1-based position in the heap, 0: not armed */
	ev_timer_fn *fn;
};

/* The object a struct ev_timer is embedded in. */
#define ev_container(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* maxfds: descriptors must be < maxfds.  NULL when out of memory/fds. */
struct ev_loop *ev_new(int maxfds);
void ev_free(struct ev_loop *l);

/*
 * Watches fd for events (0 removes it), calling fn(arg).  Returns 0, or
 * -1 with errno set.  Close an fd only after removing it.
 */
int ev_watch(struct ev_loop *l, int fd, unsigned events, ev_io_fn *fn, void *arg);

/* Arms t to fire ms milliseconds from now (re-arms if armed). */
void ev_timer_start(struct ev_loop *l, struct ev_timer *t, uint64_t ms, ev_timer_fn *fn);
void ev_timer_stop(struct ev_loop *l, struct ev_timer *t);

/* The loop's clock: monotonic milliseconds, updated once per iteration. */
uint64_t ev_now(const struct ev_loop *l);

/*
 * For unit tests: the loop's clock becomes *ms, which the caller may move
 * forward too.  ev_run() then never waits for a timer: it polls the
 * descriptors, and when none is ready it moves *ms to the first timer's
 * time, so that a test of a 6-second wait takes microseconds (with no
 * timer armed it waits for descriptors as usual).  For loops whose events
 * come from timers (tests/fake_conn.h); set it before arming any timer.
 * The scanner never calls it.
 */
void ev_set_test_clock(struct ev_loop *l, uint64_t *ms);

/*
 * Runs until ev_stop() is called or nothing is watched or armed.
 * Returns 0, or -1 if epoll_wait failed (errno set).
 */
int ev_run(struct ev_loop *l);
void ev_stop(struct ev_loop *l);

/* Descriptors and timers currently registered. */
size_t ev_nwatched(const struct ev_loop *l);
size_t ev_ntimers(const struct ev_loop *l);

#endif
