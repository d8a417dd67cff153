/*
 * Plain TCP behind struct conn_type: a non-blocking socket on the event
 * loop.  The descriptor's registration follows what the user wants, so
 * that a connection nobody reads is not woken again and again.
 */
#include "conn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

struct tcp_conn {
	struct conn c;
	int fd;                   /* -1 until connect */
	unsigned registered;      /* the events the loop watches */
};

static struct tcp_conn *tcp_of(struct conn *c)
{
	return (struct tcp_conn *)c;
}

static void fail(struct conn *c, int err)
{
	c->error = err;
	c->fail = conn_fail_of(err);
}

static void on_fd(struct ev_loop *l, int fd, unsigned events, void *arg);

static int watch(struct tcp_conn *t, unsigned events)
{
	if (events == t->registered)
		return 0;
	if (ev_watch(t->c.loop, t->fd, events, on_fd, t) < 0)
		return -1;
	t->registered = events;
	return 0;
}

/* The handler may close (free) the connection: nothing touches t after it. */
static void on_fd(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	struct tcp_conn *t = arg;
	struct conn *c = &t->c;

	(void)l;
	if (c->state == CONN_CONNECTING) {
		int err = net_connect_error(fd);

		if (err) {
			c->state = CONN_FAILED;
			fail(c, err);
		} else {
			c->state = CONN_OPEN;
		}
		/* Until the user says what it waits for. */
		watch(t, 0);
		c->handler(c, CONN_EV_CONNECTED, 0, c->arg);
		return;
	}
	c->handler(c, CONN_EV_IO, events, c->arg);
}

static struct conn *tcp_create(const struct conn_config *cfg)
{
	struct tcp_conn *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->c.type = &conn_tcp;
	t->c.loop = cfg->loop;
	t->c.state = CONN_CONNECTING;
	t->fd = -1;
	return &t->c;
}

static int tcp_connect(struct conn *c, const struct sockaddr_storage *addr, socklen_t len,
		       uint16_t port)
{
	struct tcp_conn *t = tcp_of(c);

	if (t->fd >= 0) {
		errno = EISCONN; /* one connect per connection */
		return -1;
	}
	t->fd = net_connect(addr, len, port);
	if (t->fd < 0)
		return -1;
	if (watch(t, EV_WRITE) < 0) {
		int err = errno;

		net_abort(t->fd);
		t->fd = -1;
		errno = err;
		return -1;
	}
	return 0;
}

/* recv's or send's result as conn.h's. */
static ssize_t io_result(struct conn *c, ssize_t n)
{
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR)
		return CONN_AGAIN;
	fail(c, errno);
	return CONN_ERROR;
}

static ssize_t tcp_read(struct conn *c, void *buf, size_t len)
{
	return io_result(c, recv(tcp_of(c)->fd, buf, len, 0));
}

static ssize_t tcp_write(struct conn *c, const void *buf, size_t len)
{
	return io_result(c, send(tcp_of(c)->fd, buf, len, MSG_NOSIGNAL));
}

static int tcp_want(struct conn *c, unsigned events)
{
	return watch(tcp_of(c), events);
}

static void tcp_close(struct conn *c)
{
	struct tcp_conn *t = tcp_of(c);

	if (t->fd >= 0) {
		watch(t, 0);
		net_abort(t->fd);
	}
	free(t);
}

static const char *tcp_last_error(const struct conn *c)
{
	return c->error ? strerror(c->error) : "no error";
}

const struct conn_type conn_tcp = {
	.name = "tcp",
	.create = tcp_create,
	.connect = tcp_connect,
	.read = tcp_read,
	.write = tcp_write,
	.want = tcp_want,
	.close = tcp_close,
	.last_error = tcp_last_error,
	.tls_facts = NULL,
};
