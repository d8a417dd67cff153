/*
 * The TLS transport's cost per connection: N conn_tls connections to one
 * TLS server on 127.0.0.1, each read until the server's greeting, then
 * held idle; prints the growth of this process's resident memory per
 * connection (the target is under 64 KB: SSL_MODE_RELEASE_BUFFERS) and
 * the CPU time per handshake.  bench/tls-conns.sh runs it.
 *
 *   tls_conns N PORT
 */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "conn_tls.h"

static int nconns, nopen, ndone;

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* One more connection is over its greeting (or failed): idle from now on. */
static void settled(struct conn *c)
{
	if (c->state == CONN_OPEN)
		conn_want(c, 0);
	if (++ndone == nconns)
		ev_stop(c->loop);
}

static void on_conn(struct conn *c, enum conn_event ev, unsigned events, void *arg)
{
	char buf[512];
	ssize_t n;

	(void)events;
	(void)arg;
	if (ev == CONN_EV_CONNECTED) {
		if (c->state != CONN_OPEN) {
			fprintf(stderr, "tls_conns: %s\n", conn_last_error(c));
			settled(c);
			return;
		}
		nopen++;
		conn_want(c, EV_READ);
		return;
	}
	n = conn_read(c, buf, sizeof buf);
	if (n != CONN_AGAIN)
		settled(c);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *a = (struct sockaddr_in *)&ss;
	struct ev_loop *l;
	struct conn_tls_ctx *x;
	struct conn_config cfg;
	struct conn **cs;
	long before;
	double cpu;
	int i;

	if (argc != 3 || (nconns = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: tls_conns N PORT\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = ev_new(nconns + 64);
	x = conn_tls_ctx_new();
	cs = calloc((size_t)nconns, sizeof *cs);
	if (!l || !x || !cs) {
		fprintf(stderr, "tls_conns: out of memory or descriptors\n");
		return 1;
	}
	cfg = (struct conn_config){ .loop = l, .transport = x };
	before = rss_kb();
	cpu = cpu_s();
	for (i = 0; i < nconns; i++) {
		cs[i] = conn_create(&conn_tls, &cfg);
		if (!cs[i]) {
			fprintf(stderr, "tls_conns: out of memory\n");
			return 1;
		}
		conn_set_handler(cs[i], on_conn, NULL);
		if (conn_connect(cs[i], &ss, sizeof *a, (uint16_t)atoi(argv[2])) < 0) {
			perror("tls_conns: connect");
			return 1;
		}
	}
	if (ev_run(l) < 0)
		return 1;
	printf("%d connections, %d with a handshake: %.1f KB resident each (idle), "
	       "%.2f ms CPU per handshake\n", nconns, nopen,
	       (double)(rss_kb() - before) / nconns, 1000 * (cpu_s() - cpu) / nconns);
	for (i = 0; i < nconns; i++)
		conn_close(cs[i]);
	free(cs);
	conn_tls_ctx_free(x);
	ev_free(l);
	return nopen == nconns ? 0 : 1;
}
