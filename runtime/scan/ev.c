#include "ev.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

/*
 * Stale events.  ev_run() delivers a batch of up to EV_BATCH events; a
 * callback early in the batch may unwatch and close a descriptor whose
 * event comes later in the same batch, and open another that gets the
 * same number.  That later event belongs to the old file and must not
 * reach the new watcher (a connect still in progress would read as
 * done).  Each registration therefore gets a generation, carried in the
 * event's data beside the fd; an event whose generation is not the
 * slot's current one is dropped.  Dropping is safe because epoll is
 * level-triggered here: if the descriptor now in the slot is ready, the
 * next epoll_wait reports it again.  (Deferring every close to the end of
 * the batch would do as well, but it would make the loop own the close of
 * every socket and hold descriptors longer while they are scarce.)
 */
struct ev_watcher {
	ev_io_fn *fn;
	void *arg;
	unsigned events;
	uint32_t gen;        /* bumped whenever the registration ends */
};

struct ev_loop {
	int epfd;
	int maxfds;
	struct ev_watcher *w;        /* by fd */
	size_t nwatched;
	struct ev_timer **heap;      /* heap[1..ntimers] */
	size_t ntimers, heapcap;
	uint64_t now;
	uint64_t *test_clock;        /* NULL: the monotonic clock */
	bool stop;
};

enum { EV_BATCH = 256 };

static uint64_t clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct ev_loop *ev_new(int maxfds)
{
	struct ev_loop *l = calloc(1, sizeof *l);

	if (!l)
		return NULL;
	l->maxfds = maxfds;
	l->w = calloc((size_t)maxfds, sizeof *l->w);
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!l->w || l->epfd < 0) {
		free(l->w);
		if (l->epfd >= 0)
			close(l->epfd);
		free(l);
		return NULL;
	}
	l->now = clock_ms();
	return l;
}

void ev_set_test_clock(struct ev_loop *l, uint64_t *ms)
{
	l->test_clock = ms;
	l->now = *ms;
}

void ev_free(struct ev_loop *l)
{
	if (!l)
		return;
	close(l->epfd);
	free(l->w);
	free(l->heap);
	free(l);
}

/* An event's data: the fd in the low half, its registration's generation
 * in the high half (wrapping after 2^32 registrations of one fd number). */
static uint64_t event_data(int fd, uint32_t gen)
{
	return (uint64_t)gen << 32 | (uint32_t)fd;
}

int ev_watch(struct ev_loop *l, int fd, unsigned events, ev_io_fn *fn, void *arg)
{
	struct ev_watcher *w;
	struct epoll_event ee = { 0 };
	int op;

	if (fd < 0 || fd >= l->maxfds) {
		errno = EMFILE;
		return -1;
	}
	w = &l->w[fd];
	ee.events = (events & EV_READ ? EPOLLIN : 0) | (events & EV_WRITE ? EPOLLOUT : 0);
	ee.data.u64 = event_data(fd, w->gen);
	op = !events ? EPOLL_CTL_DEL : w->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (!events && !w->events)
		return 0;
	if (epoll_ctl(l->epfd, op, fd, &ee) < 0)
		return -1;
	l->nwatched += (size_t)(op == EPOLL_CTL_ADD) - (size_t)(op == EPOLL_CTL_DEL);
	if (op == EPOLL_CTL_DEL)
		w->gen++; /* events of this batch for it are stale from now on */
	w->events = events;
	w->fn = fn;
	w->arg = arg;
	return 0;
}

/* --- Timers: a binary min-heap on `when`, each timer knowing its slot. --- */

static void heap_set(struct ev_loop *l, size_t i, struct ev_timer *t)
{
	l->heap[i] = t;
	t->heap_index = i;
}

static void sift_up(struct ev_loop *l, size_t i)
{
	struct ev_timer *t = l->heap[i];

	while (i > 1 && l->heap[i / 2]->when > t->when) {
		heap_set(l, i, l->heap[i / 2]);
		i /= 2;
	}
	heap_set(l, i, t);
}

static void sift_down(struct ev_loop *l, size_t i)
{
	struct ev_timer *t = l->heap[i];

	for (;;) {
		size_t c = 2 * i;

		if (c > l->ntimers)
			break;
		if (c < l->ntimers && l->heap[c + 1]->when < l->heap[c]->when)
			c++;
		if (l->heap[c]->when >= t->when)
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

void ev_timer_stop(struct ev_loop *l, struct ev_timer *t)
{
	size_t i = t->heap_index;
	struct ev_timer *last;

	if (!i)
		return;
	t->heap_index = 0;
	last = l->heap[l->ntimers--];
	if (last == t)
		return;
	heap_set(l, i, last);
	sift_up(l, i);
	sift_down(l, last->heap_index);
}

void ev_timer_start(struct ev_loop *l, struct ev_timer *t, uint64_t ms, ev_timer_fn *fn)
{
	ev_timer_stop(l, t);
	if (l->ntimers + 1 >= l->heapcap) {
		size_t cap = l->heapcap ? 2 * l->heapcap : 64;
		struct ev_timer **bigger = realloc(l->heap, cap * sizeof *bigger);

		if (!bigger)
			abort(); /* a few bytes per connection; nothing sane to do */
		l->heap = bigger;
		l->heapcap = cap;
	}
	t->when = l->now + ms;
	t->fn = fn;
	heap_set(l, ++l->ntimers, t);
	sift_up(l, l->ntimers);
}

uint64_t ev_now(const struct ev_loop *l)
{
	return l->now;
}

size_t ev_nwatched(const struct ev_loop *l)
{
	return l->nwatched;
}

size_t ev_ntimers(const struct ev_loop *l)
{
	return l->ntimers;
}

void ev_stop(struct ev_loop *l)
{
	l->stop = true;
}

static int next_timeout(const struct ev_loop *l)
{
	uint64_t when;

	if (!l->ntimers)
		return -1;
	when = l->heap[1]->when;
	if (when <= l->now)
		return 0;
	return when - l->now > 60000 ? 60000 : (int)(when - l->now);
}

/* How long epoll may wait.  A test clock never waits for a timer: its
 * time is jumped to instead (test_clock_now). */
static int wait_ms(const struct ev_loop *l)
{
	return l->test_clock && l->ntimers ? 0 : next_timeout(l);
}

/* A test clock stands still while a descriptor is ready, and otherwise
 * jumps to the first timer: nothing else can happen before it. */
static uint64_t test_clock_now(struct ev_loop *l, int nready)
{
	if (nready <= 0 && l->ntimers && l->heap[1]->when > *l->test_clock)
		*l->test_clock = l->heap[1]->when;
	return *l->test_clock;
}

static void fire_timers(struct ev_loop *l)
{
	while (l->ntimers && l->heap[1]->when <= l->now && !l->stop) {
		struct ev_timer *t = l->heap[1];

		ev_timer_stop(l, t);
		t->fn(l, t);
	}
}

int ev_run(struct ev_loop *l)
{
	struct epoll_event ev[EV_BATCH];

	l->stop = false;
	while (!l->stop && (l->nwatched || l->ntimers)) {
		int i, n = epoll_wait(l->epfd, ev, EV_BATCH, wait_ms(l));

		if (n < 0 && errno != EINTR)
			return -1;
		l->now = l->test_clock ? test_clock_now(l, n) : clock_ms();
		for (i = 0; i < n && !l->stop; i++) {
			int fd = (int)(uint32_t)ev[i].data.u64;
			struct ev_watcher *w = &l->w[fd];
			unsigned ready = 0;

			if (event_data(fd, w->gen) != ev[i].data.u64)
				continue; /* its registration ended earlier in this batch */
			if (ev[i].events & (EPOLLERR | EPOLLHUP))
				ready = w->events;
			if (ev[i].events & EPOLLIN)
				ready |= EV_READ;
			if (ev[i].events & EPOLLOUT)
				ready |= EV_WRITE;
			/* An earlier callback of this batch may have dropped it. */
			ready &= w->events;
			if (ready)
				w->fn(l, fd, ready, w->arg);
		}
		fire_timers(l);
	}
	return 0;
}
