/* Non-blocking connects, shared by the port scan and the probes. */
#ifndef SVD_NET_H
#define SVD_NET_H

#include <sys/socket.h>

/*
 * Starts a non-blocking connect of a socket of type (SOCK_STREAM, or
 * SOCK_DGRAM: over at once) to addr, its port replaced by port.
 * Returns the descriptor (connected or in progress; wait for EV_WRITE),
 * or -1 with errno set (EMFILE/ENFILE when out of descriptors).
 */
int net_connect(const struct sockaddr_storage *addr, socklen_t len, unsigned port, int type);

/* After EV_WRITE: 0 if connected, else the connect's errno. */
int net_connect_error(int fd);

/* After a connect completed: the kernel's RTT of the handshake (SYN to
 * SYN-ACK) in microseconds, or 0 if it has none. */
long net_handshake_rtt_us(int fd);

/* Closes with an RST instead of a FIN, as a scanner should: no TIME_WAIT. */
void net_abort(int fd);

#endif
