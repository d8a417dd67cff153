/*
 * What the transports over one non-blocking socket share: the start of
 * their connection, its creation, its registration on the event loop
 * (kept, so that registering the same events again costs no system call)
 * and its end.  The plain ones (conn_tcp.c, conn_udp.c) share the rest
 * too: their descriptor is watched for exactly what the user wants, so
 * that a connection nobody reads is not woken again and again, and one
 * handler turns its events into conn.h's.  TLS (conn_tls.c) registers
 * what OpenSSL needs as well, with a handler of its own that drives the
 * handshake.
 */
#ifndef SVD_CONN_FD_H
#define SVD_CONN_FD_H

#include <stdbool.h>
#include <stddef.h>

#include "conn.h"

/* The part such a transport's connection starts with. */
struct conn_fd {
	struct conn c;            /* first: a struct conn * is a struct conn_fd * */
	int fd;                   /* -1 until connect */
	unsigned registered;      /* the events the loop watches */
	/* A datagram socket's connect is over at once, and closing it sends
	 * nothing; a stream's connect ends on the loop, and it is closed
	 * with an RST (net.h). */
	bool datagram;
};

static inline struct conn_fd *conn_fd_of(struct conn *c)
{
	return (struct conn_fd *)c;
}

/* A transport's connection of size bytes (its struct starts with a
 * struct conn_fd), not connected yet; NULL when out of memory. */
struct conn_fd *conn_fd_new(size_t size, const struct conn_type *type,
			    const struct conn_config *cfg, bool datagram);

/* Has the loop watch f->fd for events (0: none), calling fn with f.
 * Returns 0, or -1 with errno set. */
int conn_fd_register(struct conn_fd *f, unsigned events, ev_io_fn *fn);

/* Ends f->fd at once (unwatched, closed, -1 again), errno kept. */
void conn_fd_drop(struct conn_fd *f);

/* Records err (errno) as c's failure. */
void conn_fd_fail(struct conn *c, int err);

/* --- The plain transports' ----------------------------------------------- */

/* Starts watching f->fd, just set by a connect, for the connect's end.
 * Returns 0, or -1 with f->fd dropped and errno kept. */
int conn_fd_start(struct conn_fd *f);

/* A recv's or send's result n as conn.h's: the byte count, CONN_AGAIN,
 * or CONN_ERROR with the failure recorded. */
ssize_t conn_fd_result(struct conn *c, ssize_t n);

/* Their conn_type members want, close and last_error. */
int conn_fd_want(struct conn *c, unsigned events);
void conn_fd_close(struct conn *c);
const char *conn_fd_last_error(const struct conn *c);

#endif
