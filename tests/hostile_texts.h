/* What tests/hostile_server's services say, plain or through TLS. */
#ifndef HOSTILE_TEXTS_H
#define HOSTILE_TEXTS_H

static const char BANNER[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";
/* Nmap's GetRequest probe, which the HTTP services answer, and nothing else. */
static const char GET_REQUEST[] = "GET / HTTP/1.0\r\n";
static const char NGINX_REPLY[] = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
	"Content-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

#endif
