#include "net.h"

#include <errno.h>
#include <stddef.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

int net_connect(const struct sockaddr_storage *addr, socklen_t len, unsigned port, int type)
{
	struct sockaddr_storage to;
	int fd;

	memcpy(&to, addr, len);
	if (to.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&to)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)&to)->sin_port = htons((uint16_t)port);
	fd = socket(to.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&to, len) < 0 && errno != EINPROGRESS) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int net_connect_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof err;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}

long net_handshake_rtt_us(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 ||
	    len < offsetof(struct tcp_info, tcpi_rtt) + sizeof ti.tcpi_rtt)
		return 0;
	return (long)ti.tcpi_rtt;
}

void net_abort(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(fd);
}
