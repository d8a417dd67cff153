/*
 * UDP behind struct conn_type: a non-blocking socket connected to the
 * port, so that the kernel hands it only datagrams from that address and
 * port, and the ICMP errors about what it sent.  IP_RECVERR (IPV6_RECVERR)
 * makes every ICMP error reach the socket, with the ICMP type and code,
 * the sender and the TTL, on its error queue; without it Linux reports a
 * connected UDP socket only the "hard" ones (port unreachable), and not
 * at all where from.  A read returns the queued ICMP error first (one per
 * read, so the queue is drained as the user reads), then one datagram.
 */
#include "conn_fd.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h> /* before linux/errqueue.h, which uses struct timespec */

#include <linux/errqueue.h>

struct udp_conn {
	struct conn_fd f;         /* first: a struct conn * is a struct udp_conn * */
	struct sockaddr_storage peer;
	struct conn_dgram last;
};

static struct udp_conn *udp_of(struct conn *c)
{
	return (struct udp_conn *)c;
}

static struct conn *udp_create(const struct conn_config *cfg)
{
	struct conn_fd *f = conn_fd_new(sizeof(struct udp_conn), &conn_udp, cfg, true);

	return f ? &f->c : NULL;
}

/* Every ICMP error on the error queue, and the TTL (hop limit) of what
 * is read, as control messages. */
static int set_options(int fd, int family)
{
	int on = 1;

	if (family == AF_INET6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on) < 0 ||
		       setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof on) < 0 ? -1 : 0;
	return setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on) < 0 ||
	       setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof on) < 0 ? -1 : 0;
}

/* Whether a is the peer's address (its port aside). */
static bool is_peer(const struct udp_conn *u, const struct sockaddr *a)
{
	if (a->sa_family != u->peer.ss_family)
		return false;
	if (a->sa_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			      &((const struct sockaddr_in6 *)&u->peer)->sin6_addr,
			      sizeof(struct in6_addr)) == 0;
	return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
	       ((const struct sockaddr_in *)&u->peer)->sin_addr.s_addr;
}

static in_port_t port_of(const struct sockaddr_storage *a)
{
	return a->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)a)->sin6_port
					: ((const struct sockaddr_in *)a)->sin_port;
}

/* The kernel gave the socket the very address and port it is connected
 * to (scanning one's own host): what it sends comes back to itself. */
static bool talks_to_itself(const struct udp_conn *u)
{
	struct sockaddr_storage self;
	socklen_t len = sizeof self;

	return getsockname(u->f.fd, (struct sockaddr *)&self, &len) == 0 &&
	       is_peer(u, (const struct sockaddr *)&self) && port_of(&self) == port_of(&u->peer);
}

/* Self-connections retried at most: the kernel picks another port each time. */
enum { SELF_TRIES = 4 };

static int udp_connect(struct conn *c, const struct sockaddr_storage *addr, socklen_t len,
		       uint16_t port)
{
	struct udp_conn *u = udp_of(c);
	struct conn_fd *f = &u->f;
	int tries = 0;

	if (f->fd >= 0) {
		errno = EISCONN; /* one connect per connection */
		return -1;
	}
	memcpy(&u->peer, addr, len);
	if (u->peer.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&u->peer)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)&u->peer)->sin_port = htons(port);
	do {
		if (f->fd >= 0)
			conn_fd_drop(f); /* the last one talked to itself */
		f->fd = socket(u->peer.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (f->fd < 0)
			return -1;
		if (set_options(f->fd, u->peer.ss_family) < 0 ||
		    connect(f->fd, (struct sockaddr *)&u->peer, len) < 0)
			goto failed;
	} while (talks_to_itself(u) && ++tries < SELF_TRIES);
	/* Still itself: its own datagrams must not pass for the port's answer. */
	if (tries == SELF_TRIES) {
		errno = EADDRINUSE;
		goto failed;
	}
	return conn_fd_start(f);
failed:
	conn_fd_drop(f);
	return -1;
}

/* The TTL and, on the error queue, the error a control message carries. */
static const struct sock_extended_err *take_cmsgs(struct udp_conn *u, struct msghdr *m)
{
	const struct sock_extended_err *ee = NULL;
	struct cmsghdr *cm;
	int ttl;

	for (cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm)) {
		if ((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL) ||
		    (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_HOPLIMIT)) {
			memcpy(&ttl, CMSG_DATA(cm), sizeof ttl);
			u->last.ttl = ttl > 0 && ttl < 256 ? (uint8_t)ttl : 0;
		} else if ((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_RECVERR) ||
			   (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_RECVERR)) {
			ee = (const struct sock_extended_err *)(void *)CMSG_DATA(cm);
		}
	}
	return ee;
}

/* Room for the control messages: a TTL and an extended error with its
 * offender's address. */
union cmsg_room {
	char buf[CMSG_SPACE(sizeof(int)) +
		 CMSG_SPACE(sizeof(struct sock_extended_err) + sizeof(struct sockaddr_in6))];
	struct cmsghdr align;
};

/*
 * The next error of the error queue as CONN_ERROR, with what it showed
 * in u->last; CONN_AGAIN when the queue is empty.  The payload that came
 * back inside the ICMP message is not wanted: the socket's own.
 */
static ssize_t read_error(struct udp_conn *u)
{
	union cmsg_room cbuf;
	char quoted[64];
	struct iovec iov = { quoted, sizeof quoted };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf.buf, .msg_controllen = sizeof cbuf.buf };
	const struct sock_extended_err *ee;

	if (recvmsg(u->f.fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return CONN_AGAIN;
	memset(&u->last, 0, sizeof u->last);
	ee = take_cmsgs(u, &m);
	if (!ee)
		return CONN_AGAIN; /* nothing the kernel documents; read on */
	conn_fd_fail(&u->f.c, (int)ee->ee_errno);
	if (ee->ee_origin == SO_EE_ORIGIN_ICMP || ee->ee_origin == SO_EE_ORIGIN_ICMP6) {
		u->last.icmp = true;
		u->last.icmp6 = ee->ee_origin == SO_EE_ORIGIN_ICMP6;
		u->last.icmp_type = ee->ee_type;
		u->last.icmp_code = ee->ee_code;
		u->last.icmp_from_peer = is_peer(u, SO_EE_OFFENDER(ee));
	}
	return CONN_ERROR;
}

static ssize_t udp_read(struct conn *c, void *buf, size_t len)
{
	struct udp_conn *u = udp_of(c);
	union cmsg_room cbuf;
	struct iovec iov = { buf, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf.buf, .msg_controllen = sizeof cbuf.buf };
	ssize_t n = read_error(u);

	if (n != CONN_AGAIN)
		return n;
	memset(&u->last, 0, sizeof u->last);
	n = recvmsg(u->f.fd, &m, MSG_DONTWAIT);
	if (n < 0)
		return conn_fd_result(c, n); /* an error the queue did not hold */
	take_cmsgs(u, &m);
	u->last.truncated = (m.msg_flags & MSG_TRUNC) != 0;
	return n;
}

/* One datagram, whole or not at all.  ENOBUFS (a full device queue) is
 * an error, not CONN_AGAIN: it is no socket event to wait for. */
static ssize_t udp_write(struct conn *c, const void *buf, size_t len)
{
	return conn_fd_result(c, send(conn_fd_of(c)->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT));
}

static const struct conn_dgram *udp_dgram(const struct conn *c)
{
	return &((const struct udp_conn *)c)->last;
}

const struct conn_type conn_udp = {
	.name = "udp",
	.create = udp_create,
	.connect = udp_connect,
	.read = udp_read,
	.write = udp_write,
	.want = conn_fd_want,
	.close = conn_fd_close,
	.last_error = conn_fd_last_error,
	.tls_facts = NULL,
	.dgram = udp_dgram,
};
