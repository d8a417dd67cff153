/*
 * Plain TCP behind struct conn_type: a non-blocking socket on the event
 * loop, a conn_fd.h connection whose connect ends on the loop.
 */
#include "conn_fd.h"

#include <errno.h>

#include "net.h"

static struct conn *tcp_create(const struct conn_config *cfg)
{
	struct conn_fd *f = conn_fd_new(sizeof *f, &conn_tcp, cfg, false);

	return f ? &f->c : NULL;
}

static int tcp_connect(struct conn *c, const struct sockaddr_storage *addr, socklen_t len,
		       uint16_t port)
{
	struct conn_fd *f = conn_fd_of(c);

	if (f->fd >= 0) {
		errno = EISCONN; /* one connect per connection */
		return -1;
	}
	f->fd = net_connect(addr, len, port, SOCK_STREAM);
	if (f->fd < 0)
		return -1;
	return conn_fd_start(f);
}

static ssize_t tcp_read(struct conn *c, void *buf, size_t len)
{
	return conn_fd_result(c, recv(conn_fd_of(c)->fd, buf, len, 0));
}

static ssize_t tcp_write(struct conn *c, const void *buf, size_t len)
{
	return conn_fd_result(c, send(conn_fd_of(c)->fd, buf, len, MSG_NOSIGNAL));
}

const struct conn_type conn_tcp = {
	.name = "tcp",
	.create = tcp_create,
	.connect = tcp_connect,
	.read = tcp_read,
	.write = tcp_write,
	.want = conn_fd_want,
	.close = conn_fd_close,
	.last_error = conn_fd_last_error,
	.tls_facts = NULL,
};
