/*
 * svdetect: network service and version detection with compiled matchers.
 * This file picks the signature set, opens the outputs and runs the mode
 * the command line asked for.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "config.h"
#include "engine.h"
#include "match_cli.h"
#include "options.h"
#include "output.h"
#include "sigdb.h"

extern const struct svd_sigdb svd_sigdb_own;
#ifdef HAVE_NMAP_SIGDB
extern const struct svd_sigdb svd_sigdb_nmap;
#endif

/* The signature sets linked in; the first is the default. */
static const struct svd_sigdb *const sets[] = {
#ifdef HAVE_NMAP_SIGDB
	&svd_sigdb_nmap,
#endif
	&svd_sigdb_own,
};

enum { EXIT_TROUBLE = 1, EXIT_USAGE = 2 };

static void version(void)
{
	size_t i;

	printf("svdetect %s\n", PACKAGE_VERSION);
	for (i = 0; i < sizeof sets / sizeof *sets; i++)
		printf("signatures %s%s: %s, %u probes, %u match + %u softmatch lines\n",
		       sets[i]->name, i == 0 ? " (default)" : "", sets[i]->source,
		       sets[i]->nprobes, sets[i]->nmatches - sets[i]->nsoft, sets[i]->nsoft);
}

static const struct svd_sigdb *find_set(const char *name)
{
	size_t i;

	if (!name)
		return sets[0];
	for (i = 0; i < sizeof sets / sizeof *sets; i++)
		if (strcmp(sets[i]->name, name) == 0)
			return sets[i];
	return NULL;
}

/* -T0..5: sockets in all, per host, connect timeout and tries. */
static const struct timing {
	unsigned parallelism, per_host;
	uint32_t connect_timeout_ms;
	int connect_tries;
} timings[6] = {
	{ 1, 1, 5000, 2 },
	{ 1, 1, 5000, 2 },
	{ 10, 10, 3000, 2 },
	{ 256, 64, 1500, 2 },
	{ 512, 128, 1000, 2 },
	{ 1024, 256, 500, 1 },
};

/* Descriptors kept for all but sockets (stdio, epoll, output files, the
 * resolver); under a low limit a smaller share, so that sockets remain. */
enum { FD_RESERVE = 64, FD_RESERVE_MIN = 16 };

/* Raises the descriptor limit as far as needed and allowed; returns how
 * many sockets the scan may hold open. */
static unsigned socket_budget(unsigned wanted)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)wanted + FD_RESERVE, reserve;
	unsigned room;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return wanted;
	if (rl.rlim_cur < need && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max < need ? rl.rlim_max : need;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur >= need)
		return wanted;
	reserve = rl.rlim_cur / 4;
	reserve = reserve > FD_RESERVE ? FD_RESERVE : reserve < FD_RESERVE_MIN ? FD_RESERVE_MIN : reserve;
	room = rl.rlim_cur > reserve ? (unsigned)(rl.rlim_cur - reserve) : 1;
	fprintf(stderr, "svdetect: the open-file limit (%llu) allows %u socket%s at once, not %u; "
		"using %u (raise `ulimit -n` for more)\n",
		(unsigned long long)rl.rlim_cur, room, room == 1 ? "" : "s", wanted, room);
	return room;
}

struct outputs {
	const struct svd_output_ops *ops[SVD_OUT_NFORMATS];
	FILE *f[SVD_OUT_NFORMATS];
	size_t n;
	const struct svd_run *run;
	int failed;             /* a write failed: exit 1 at the end */
};

static const struct svd_output_ops *const formats[SVD_OUT_NFORMATS] = {
	[SVD_OUT_NORMAL] = &svd_output_normal,
	[SVD_OUT_XML] = &svd_output_xml,
	[SVD_OUT_GREPABLE] = &svd_output_grepable,
	[SVD_OUT_JSON] = &svd_output_json,
};

/* Opens every format asked for; normal output goes to stdout unless
 * another format was sent there. */
static int open_outputs(struct outputs *out, const struct svd_opts *o)
{
	int i;
	bool stdout_taken = false;

	for (i = 0; i < SVD_OUT_NFORMATS; i++)
		if (o->out[i] && strcmp(o->out[i], "-") == 0)
			stdout_taken = true;
	for (i = 0; i < SVD_OUT_NFORMATS; i++) {
		const char *path = o->out[i];
		FILE *f;

		if (!path && i == SVD_OUT_NORMAL && !stdout_taken)
			path = "-";
		if (!path)
			continue;
		f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
		if (!f) {
			fprintf(stderr, "svdetect: cannot write %s: %s\n", path, strerror(errno));
			return -1;
		}
		/* Normal output on stdout is Nmap's terminal variant of it. */
		out->ops[out->n] = i == SVD_OUT_NORMAL && f == stdout
			? &svd_output_interactive : formats[i];
		out->f[out->n++] = f;
	}
	return 0;
}

static int close_outputs(struct outputs *out)
{
	size_t i;
	int rc = out->failed ? -1 : 0;

	for (i = 0; i < out->n; i++)
		if ((out->f[i] == stdout ? fflush(out->f[i]) : fclose(out->f[i])) != 0)
			rc = -1;
	return rc;
}

static void each_output_begin(struct outputs *out)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (out->ops[i]->begin(out->f[i], out->run) < 0)
			out->failed = 1;
}

static void each_output_end(struct outputs *out)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (out->ops[i]->end(out->f[i], out->run) < 0)
			out->failed = 1;
}

static void host_done(void *arg, struct svd_host *h)
{
	struct outputs *out = arg;
	size_t i;

	for (i = 0; i < out->n; i++) {
		if (out->ops[i]->host(out->f[i], out->run, h) < 0)
			out->failed = 1;
		fflush(out->f[i]);
	}
	for (i = 0; i < h->nports; i++)
		free(h->ports[i].svc.fingerprint);
	free(h->ports);
	free((char *)h->rdns);
	h->ports = NULL;
	h->nports = 0;
	h->rdns = NULL;
}

static struct svd_host *hosts_of(const struct svd_targets *t)
{
	struct svd_host *hosts = calloc(t->n ? t->n : 1, sizeof *hosts);
	size_t i;

	for (i = 0; hosts && i < t->n; i++) {
		const struct svd_target *tg = &t->v[i];
		const void *a = tg->addr.ss_family == AF_INET6
			? (const void *)&((const struct sockaddr_in6 *)&tg->addr)->sin6_addr
			: (const void *)&((const struct sockaddr_in *)&tg->addr)->sin_addr;

		hosts[i].addr = tg->addr;
		hosts[i].addrlen = tg->addrlen;
		hosts[i].name = tg->name;
		inet_ntop(tg->addr.ss_family, a, hosts[i].addrstr, sizeof hosts[i].addrstr);
	}
	return hosts;
}

static int scan(const struct svd_opts *o, const struct svd_sigdb *db)
{
	const struct timing *t = &timings[o->timing];
	struct svd_engine_opts eo = { 0 };
	struct svd_run run = { 0 };
	struct outputs out = { 0 };
	struct svd_host *hosts = hosts_of(&o->targets);
	char *ports = svd_ports_format(o->ports.tcp, o->ports.ntcp);
	size_t i;
	int rc;

	if (!hosts || !ports) {
		fprintf(stderr, "svdetect: out of memory\n");
		return EXIT_TROUBLE;
	}
	eo.db = db;
	eo.services = &o->services;
	eo.intensity = o->intensity;
	eo.allports = o->allports;
	eo.reverse_dns = !o->targets.no_dns;
	eo.trace = o->version_trace ? stderr : NULL;
	eo.debugging = o->debug;
	eo.platform = SVD_PLATFORM;
	eo.parallelism = socket_budget(o->max_parallelism ? (unsigned)o->max_parallelism : t->parallelism);
	eo.per_host = o->max_parallelism ? eo.parallelism : t->per_host;
	eo.connect_timeout_ms = t->connect_timeout_ms;
	eo.connect_tries = t->connect_tries;
	eo.host_timeout_ms = (uint64_t)o->host_timeout_ms;
	eo.stats_every_ms = (uint64_t)o->stats_every_ms;

	run.args = o->args;
	run.scanner_version = PACKAGE_VERSION;
	run.db = db;
	run.intensity = o->intensity;
	run.tcp_ports = ports;
	run.ntcp_ports = o->ports.ntcp;
	run.open_only = o->open_only;
	run.verbose = o->verbose;
	clock_gettime(CLOCK_REALTIME, &run.start);
	out.run = &run;
	if (open_outputs(&out, o) < 0) {
		close_outputs(&out);
		free(hosts);
		free(ports);
		return EXIT_TROUBLE;
	}
	if (o->ports.nudp)
		fprintf(stderr, "svdetect: UDP ports are not scanned yet; scanning the TCP ports only\n");
	each_output_begin(&out);
	rc = svd_engine_run(&eo, hosts, o->targets.n, o->ports.tcp, o->ports.ntcp, host_done, &out);
	for (i = 0; i < o->targets.n; i++)
		run.hosts_up += hosts[i].up;
	run.hosts_down = o->targets.n - run.hosts_up;
	clock_gettime(CLOCK_REALTIME, &run.end);
	each_output_end(&out);
	if (close_outputs(&out) < 0) {
		fprintf(stderr, "svdetect: writing the results failed: %s\n", strerror(errno));
		rc = -1;
	}
	free(hosts);
	free(ports);
	return rc < 0 ? EXIT_TROUBLE : 0;
}

int main(int argc, char **argv)
{
	struct svd_opts o;
	const struct svd_sigdb *db;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	rc = svd_opts_parse(&o, argc, argv);
	if (rc)
		return rc;
	db = find_set(o.signatures);
	if (!db) {
		fprintf(stderr, "svdetect: no signature set '%s' is compiled in\n", o.signatures);
		svd_opts_free(&o);
		return EXIT_USAGE;
	}
	switch (o.mode) {
	case SVD_MODE_VERSION:
		version();
		break;
	case SVD_MODE_HELP:
		svd_opts_usage(stdout);
		break;
	case SVD_MODE_MATCH:
	case SVD_MODE_MATCH_TRACE:
		rc = match_cli(db, o.match_argc, o.match_argv, o.mode == SVD_MODE_MATCH_TRACE);
		break;
	case SVD_MODE_SCAN:
		rc = scan(&o, db);
		break;
	}
	svd_opts_free(&o);
	return rc;
}
