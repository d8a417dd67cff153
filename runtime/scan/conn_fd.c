/* A connection over one non-blocking descriptor on the event loop (conn_fd.h). */
#include "conn_fd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"

static void on_fd(struct ev_loop *l, int fd, unsigned events, void *arg);

int conn_fd_register(struct conn_fd *f, unsigned events, ev_io_fn *fn)
{
	if (events == f->registered)
		return 0;
	if (ev_watch(f->c.loop, f->fd, events, fn, f) < 0)
		return -1;
	f->registered = events;
	return 0;
}

/* The plain transports' registration: what the user wants, on_fd's. */
static int watch(struct conn_fd *f, unsigned events)
{
	return conn_fd_register(f, events, on_fd);
}

/* The handler may close (free) the connection: nothing touches f after it. */
static void on_fd(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	struct conn_fd *f = arg;
	struct conn *c = &f->c;

	(void)l;
	if (c->state == CONN_CONNECTING) {
		/* A datagram socket's connect() was over at once: this is the
		 * loop's first turn, so that the handler is never called from
		 * inside conn_connect (conn.h). */
		int err = f->datagram ? 0 : net_connect_error(fd);

		if (err) {
			c->state = CONN_FAILED;
			conn_fd_fail(c, err);
		} else {
			c->state = CONN_OPEN;
		}
		/* Until the user says what it waits for. */
		watch(f, 0);
		c->handler(c, CONN_EV_CONNECTED, 0, c->arg);
		return;
	}
	c->handler(c, CONN_EV_IO, events, c->arg);
}

struct conn_fd *conn_fd_new(size_t size, const struct conn_type *type,
			    const struct conn_config *cfg, bool datagram)
{
	struct conn_fd *f = calloc(1, size);

	if (!f)
		return NULL;
	f->c.type = type;
	f->c.loop = cfg->loop;
	f->c.state = CONN_CONNECTING;
	f->fd = -1;
	f->datagram = datagram;
	return f;
}

int conn_fd_start(struct conn_fd *f)
{
	if (watch(f, EV_WRITE) < 0) {
		conn_fd_drop(f);
		return -1;
	}
	return 0;
}

void conn_fd_drop(struct conn_fd *f)
{
	int err = errno;

	/* A failure does not matter: closing ends the watch. */
	conn_fd_register(f, 0, NULL);
	if (f->datagram)
		close(f->fd);
	else
		net_abort(f->fd);
	f->fd = -1;
	errno = err;
}

void conn_fd_fail(struct conn *c, int err)
{
	c->error = err;
	c->fail = conn_fail_of(err);
}

ssize_t conn_fd_result(struct conn *c, ssize_t n)
{
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR)
		return CONN_AGAIN;
	conn_fd_fail(c, errno);
	return CONN_ERROR;
}

int conn_fd_want(struct conn *c, unsigned events)
{
	return watch(conn_fd_of(c), events);
}

void conn_fd_close(struct conn *c)
{
	struct conn_fd *f = conn_fd_of(c);

	if (f->fd >= 0)
		conn_fd_drop(f);
	free(f);
}

const char *conn_fd_last_error(const struct conn *c)
{
	return c->error ? strerror(c->error) : "no error";
}
