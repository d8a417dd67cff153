/*
 * A scanner's program, given the signature sets linked in: it picks the
 * set, opens the outputs and runs the mode the command line asked for.
 * svdetect (svdetect.c) is this with its own sets; the installed library
 * carries it so that a scanner of any compiled set needs only a main that
 * lists its sets (scanner.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#ifdef HAVE_OPENSSL
#include <openssl/crypto.h>
#endif
#include "engine.h"
#include "escape.h"
#include "examples_check.h"
#include "match_cli.h"
#include "options.h"
#include "output.h"
#include "payloads.h"
#include "rpc_programs.h"
#include "scanner.h"
#include "sigdb.h"
#include "stop_signals.h"
#include "timing.h"
#include "tls_facts.h"

enum { EXIT_TROUBLE = 1, EXIT_USAGE = 2 };

/*
 * A set's probe file as an absolute path.  configure makes Nmap's
 * absolute; a committed set names its file relative to svdetect's source
 * tree (so that its generated C is the same on every machine).  make
 * install puts that file in SVD_PKGDATADIR; before that, or when it is
 * gone, the source tree the build came from (SVD_TOP_SRCDIR) holds it.
 */
static void print_source(const char *source)
{
	const char *base = strrchr(source, '/');
	char installed[4096];

	if (source[0] == '/') {
		fputs(source, stdout);
		return;
	}
	snprintf(installed, sizeof installed, "%s/%s", SVD_PKGDATADIR, base ? base + 1 : source);
	if (access(installed, R_OK) == 0)
		fputs(installed, stdout);
	else
		printf("%s/%s", SVD_TOP_SRCDIR, source);
}

/* The SunRPC grinder's program list, read as a scan reads it. */
static void print_rpc_programs(void)
{
	struct svd_rpc_programs rpc;

	printf("rpc programs: %s", SVD_RPC_PATH);
	if (svd_rpc_programs_load(&rpc, SVD_RPC_PATH) < 0) {
		printf(" (%s: no RPC grinding)\n", strerror(errno));
		return;
	}
	printf(", %zu programs\n", rpc.n);
	svd_rpc_programs_free(&rpc);
}

static void version(const struct svd_sigdb *const *sets, size_t nsets)
{
	size_t i;

	printf("svdetect %s\n", PACKAGE_VERSION);
	for (i = 0; i < nsets; i++) {
		printf("signatures %s%s: ", sets[i]->name, i == 0 ? " (default)" : "");
		print_source(sets[i]->source);
		printf(", %u probes, %u match + %u softmatch lines\n", sets[i]->nprobes,
		       sets[i]->nmatches - sets[i]->nsoft, sets[i]->nsoft);
	}
	print_rpc_programs();
#ifdef HAVE_OPENSSL
	printf("TLS: yes (%s)\n", OpenSSL_version(OPENSSL_VERSION));
#else
	puts("TLS: no (built without OpenSSL: SSL ports are reported as ssl, DTLS ones as dtls)");
#endif
}

static const struct svd_sigdb *find_set(const struct svd_sigdb *const *sets, size_t nsets,
				       const char *name)
{
	size_t i;

	if (!name)
		return sets[0];
	for (i = 0; i < nsets; i++)
		if (strcmp(sets[i]->name, name) == 0)
			return sets[i];
	return NULL;
}

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

/* The formats a scan may write: every -o format, and the terminal's. */
enum { MAX_OUTPUTS = SVD_OUT_NFORMATS + 1 };

/* The outputs of a scan, and how the scan ends. */
struct outputs {
	const struct svd_output_ops *ops[MAX_OUTPUTS];
	FILE *f[MAX_OUTPUTS];
	const char *path[MAX_OUTPUTS]; /* as given; "-" is stdout */
	bool broken[MAX_OUTPUTS];      /* a write failed: said so, written no more */
	size_t n;
	struct svd_run *run;
	int signal_fd;           /* svd_stop_signals_catch()'s, or -1 */
	int exit_status;         /* 0, or what the program ends with */
	bool scan_over;          /* past the scan: a failure no longer stops it */
	size_t reported, up;     /* hosts the engine handed over; of those, up */
	char stopped[320];       /* run->stopped's text */
};

static const struct svd_output_ops *const formats[SVD_OUT_NFORMATS] = {
	[SVD_OUT_NORMAL] = &svd_output_normal,
	[SVD_OUT_XML] = &svd_output_xml,
	[SVD_OUT_GREPABLE] = &svd_output_grepable,
	[SVD_OUT_JSON] = &svd_output_json,
};

static void add_output(struct outputs *out, const struct svd_output_ops *ops, FILE *f,
		       const char *path)
{
	out->ops[out->n] = ops;
	out->path[out->n] = path;
	out->f[out->n++] = f;
}

/*
 * The file of format fmt at path, truncated or, with --append-output,
 * appended to.  Appended to, an XML file holds one document after
 * another, as Nmap's does: say so, as XML parsers refuse such a file
 * (docs/output.md).
 */
static FILE *open_output(const char *path, enum svd_outfmt fmt, bool append)
{
	FILE *f = fopen(path, append ? "a" : "w");
	struct stat st;
	char name[256];

	if (f && append && fmt == SVD_OUT_XML && fstat(fileno(f), &st) == 0 && st.st_size > 0)
		fprintf(stderr, "svdetect: WARNING: appending a second XML document to %s, which "
			"XML tools (ndiff, xsltproc) will then refuse to read\n",
			escape_for_log(name, sizeof name, path));
	return f;
}

/*
 * Opens every format asked for, each in its file form ("-o? -" included).
 * As in Nmap, stdout shows the terminal's form of normal output beside
 * the files, unless a format was sent there.
 */
static int open_outputs(struct outputs *out, const struct svd_opts *o)
{
	int i;
	bool stdout_taken = false;

	for (i = 0; i < SVD_OUT_NFORMATS; i++)
		if (o->out[i] && strcmp(o->out[i], "-") == 0)
			stdout_taken = true;
	if (!stdout_taken)
		add_output(out, &svd_output_interactive, stdout, "-");
	for (i = 0; i < SVD_OUT_NFORMATS; i++) {
		const char *path = o->out[i];
		FILE *f;

		if (!path)
			continue;
		f = strcmp(path, "-") == 0 ? stdout
			: open_output(path, (enum svd_outfmt)i, o->append_output);
		if (!f) {
			fprintf(stderr, "svdetect: cannot write %s: %s\n", path, strerror(errno));
			return -1;
		}
		add_output(out, formats[i], f, path);
	}
	return 0;
}

/*
 * Where Nmap's progress lines go (-v, the status lines): beside the
 * terminal's output on stdout; when a file format took stdout, on stderr,
 * as they are not part of it (Nmap drops them then).
 */
static FILE *progress_stream(const struct outputs *out)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (out->f[i] == stdout)
			return out->ops[i] == &svd_output_interactive ? stdout : stderr;
	return stdout;
}

/* The first reason the scan ends early is the one the outputs give. */
__attribute__((format(printf, 3, 4)))
static void stop_early(struct outputs *out, int exit_status, const char *fmt, ...)
{
	va_list ap;

	if (out->run->stopped)
		return;
	va_start(ap, fmt);
	vsnprintf(out->stopped, sizeof out->stopped, fmt, ap);
	va_end(ap);
	out->run->stopped = out->stopped;
	if (!out->exit_status)
		out->exit_status = exit_status;
}

/* Output i failed: say which and why once, and write it no more. */
static void output_failed(struct outputs *out, size_t i, int err)
{
	char name[256];

	if (out->broken[i])
		return;
	out->broken[i] = true;
	escape_for_log(name, sizeof name,
		       strcmp(out->path[i], "-") == 0 ? "standard output" : out->path[i]);
	fprintf(stderr, "svdetect: writing %s: %s\n", name, strerror(err));
	if (!out->scan_over)
		stop_early(out, EXIT_TROUBLE, "writing %s failed: %s", name, strerror(err));
	if (!out->exit_status)
		out->exit_status = EXIT_TROUBLE;
}

/* After each write of output i (rc: the op's result): flushed at once, so
 * that a reader sees each host when it is done and a failure shows now. */
static void flush_output(struct outputs *out, size_t i, int rc)
{
	FILE *f = out->f[i];

	if ((rc < 0 || fflush(f) != 0 || ferror(f)) && !out->broken[i])
		output_failed(out, i, errno ? errno : EIO);
}

static void close_outputs(struct outputs *out)
{
	size_t i;

	for (i = 0; i < out->n; i++) {
		errno = 0;
		if ((out->f[i] == stdout ? fflush(out->f[i]) : fclose(out->f[i])) != 0)
			output_failed(out, i, errno ? errno : EIO);
	}
}

static void each_output_begin(struct outputs *out)
{
	size_t i;

	for (i = 0; i < out->n; i++) {
		errno = 0;
		flush_output(out, i, out->ops[i]->begin(out->f[i], out->run));
	}
}

static void each_output_end(struct outputs *out)
{
	size_t i;

	for (i = 0; i < out->n; i++) {
		if (out->broken[i])
			continue;
		errno = 0;
		flush_output(out, i, out->ops[i]->end(out->f[i], out->run));
	}
}

/* The engine's: false (stop) once an output has failed. */
static bool host_done(void *arg, struct svd_host *h)
{
	struct outputs *out = arg;
	size_t i;
	/* Stopped before it was found down or any of its ports decided:
	 * not scanned. */
	bool scanned = !out->run->stopped || h->nports > 0 || (h->reason && !h->up);

	out->reported += scanned;
	out->up += scanned && h->up;
	for (i = 0; scanned && i < out->n; i++) {
		if (out->broken[i])
			continue;
		errno = 0;
		flush_output(out, i, out->ops[i]->host(out->f[i], out->run, h));
	}
	for (i = 0; i < h->nports; i++) {
		free(h->ports[i].svc.fingerprint);
#ifdef HAVE_OPENSSL
		/* Only TLS tunnels gather facts (tls_facts.c, built with OpenSSL). */
		svd_tls_facts_free(h->ports[i].svc.tls);
#endif
	}
	free(h->ports);
	free((char *)h->rdns);
	h->ports = NULL;
	h->nports = 0;
	h->rdns = NULL;
	return !out->run->stopped;
}

/* The engine's: a stop signal, or stdout's reader gone. */
static bool stop_wanted(void *arg, int fd)
{
	struct outputs *out = arg;
	size_t i;
	int sig;

	if (fd == out->signal_fd) {
		sig = svd_stop_signals_caught();
		if (!sig)
			return false;
		fprintf(stderr, "svdetect: %s: stopping and writing what was found "
			"(once more to quit at once)\n", svd_stop_signal_name(sig));
		stop_early(out, 128 + sig, "interrupted by %s", svd_stop_signal_name(sig));
		return true;
	}
	for (i = 0; i < out->n; i++)
		if (out->f[i] == stdout)
			output_failed(out, i, EPIPE);
	return true;
}

/*
 * Whether some output goes to a pipe on stdout: epoll then reports that
 * write end ready (in error) as soon as the reader is gone, before any
 * write would fail.
 */
static bool stdout_is_pipe(const struct outputs *out)
{
	struct stat st;
	size_t i;

	for (i = 0; i < out->n; i++)
		if (out->f[i] == stdout)
			return fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode) &&
			       (fcntl(STDOUT_FILENO, F_GETFL) & O_ACCMODE) == O_WRONLY;
	return false;
}

/* The targets in their order, less those a resumed run's file has done. */
struct target_walk {
	struct svd_targets_cursor cursor;
	struct svd_resume *resume;     /* --resume, or NULL */
};

/* The engine's source (struct svd_host_source): the next target of the
 * walk arg, produced only when the engine has room for it. */
static bool next_target(void *arg, struct svd_host *h)
{
	struct target_walk *w = arg;
	struct svd_target tg;
	const void *a;

	do {
		if (!svd_targets_next(&w->cursor, &tg))
			return false;
	} while (w->resume && svd_resume_skip(w->resume, (const struct sockaddr *)&tg.addr));
	a = tg.addr.ss_family == AF_INET6
		? (const void *)&((const struct sockaddr_in6 *)&tg.addr)->sin6_addr
		: (const void *)&((const struct sockaddr_in *)&tg.addr)->sin_addr;
	h->addr = tg.addr;
	h->addrlen = tg.addrlen;
	h->name = tg.name;
	inet_ntop(tg.addr.ss_family, a, h->addrstr, sizeof h->addrstr);
	return true;
}

/*
 * A scan this large is rarely meant (docs/scanner.md, "Unusual scans"):
 * more connection attempts than a /24 on every port (256 x 65,535), or
 * more memory than four hosts' tables of every port.
 */
#define UNUSUAL_ATTEMPTS (256ull * 65535)
#define UNUSUAL_MEMORY (256ull << 20)

/* Says on stderr, before any traffic, what an unusually large scan will
 * cost: its connection attempts and the memory it will hold (the
 * engine's and the target list's, which holds specs, not addresses). */
static void warn_if_unusual(const struct svd_engine_opts *eo, const struct svd_targets *t,
			    size_t nhosts, size_t nports)
{
	uint64_t attempts = (uint64_t)nhosts * nports;
	uint64_t memory = svd_engine_memory(eo, nhosts, nports) +
		(uint64_t)t->n * sizeof *t->v;

	if (attempts <= UNUSUAL_ATTEMPTS && memory <= UNUSUAL_MEMORY)
		return;
	fprintf(stderr, "svdetect: WARNING: a large scan: %zu host%s x %zu port%s = %llu "
		"connection attempts%s, holding about %llu MB; starting now (Ctrl-C stops it "
		"and writes what was found)\n", nhosts, nhosts == 1 ? "" : "s", nports,
		nports == 1 ? "" : "s", (unsigned long long)attempts,
		eo->discovery ? " (fewer if hosts are down; 2 more per host to find them)" : "",
		(unsigned long long)((memory + (1 << 20) - 1) >> 20));
}

/* The services table's name of each port, the TCP ones first (NULL
 * where it has none). */
static const char **table_names_of(const struct svd_services *s, const struct svd_portlist *pl)
{
	const char **names = calloc(pl->ntcp + pl->nudp + 1, sizeof *names);
	size_t i;

	for (i = 0; names && i < pl->ntcp; i++)
		names[i] = svd_service_name(s, SVD_TCP, pl->tcp[i]);
	for (i = 0; names && i < pl->nudp; i++)
		names[pl->ntcp + i] = svd_service_name(s, SVD_UDP, pl->udp[i]);
	return names;
}

/*
 * nmap-rpc, for the SunRPC grinder, which Nmap runs at intensity 7 or
 * more; without the file no port is ground, as in Nmap (said with -d).
 * Returns rpc, or NULL.
 */
static const struct svd_rpc_programs *load_rpc_programs(struct svd_rpc_programs *rpc,
							const struct svd_opts *o)
{
	if (o->intensity < 7)
		return NULL;
	if (svd_rpc_programs_load(rpc, SVD_RPC_PATH) < 0) {
		if (o->debug)
			fprintf(stderr, "svdetect: %s: %s; no RPC grinding\n", SVD_RPC_PATH,
				strerror(errno));
		return NULL;
	}
	if (rpc->dropped)
		fprintf(stderr, "svdetect: %s: %zu program lines past the first %d programs are not tried\n",
			SVD_RPC_PATH, rpc->dropped, SVD_RPC_PROGRAMS_MAX);
	return rpc;
}

/*
 * The UDP scan's payloads: for a probe file of the 7.94+ model its own
 * UDP probes, else Nmap 7.93's nmap-payloads (none if it cannot be read,
 * as in Nmap, which says so too).  Returns 0, or -1 (out of memory).
 */
static int load_payloads(struct svd_payloads *pl, const struct svd_sigdb *db)
{
	char err[256];

	if (svd_payloads_in_probes(db))
		return svd_payloads_from_probes(pl, db);
	if (svd_payloads_from_file(pl, SVD_PAYLOADS_PATH, err, sizeof err) < 0)
		return -1;
	if (err[0])
		fprintf(stderr, "svdetect: %s: %s\n", SVD_PAYLOADS_PATH, err);
	else if (access(SVD_PAYLOADS_PATH, R_OK) != 0)
		fprintf(stderr, "svdetect: cannot read %s: UDP ports get empty datagrams\n",
			SVD_PAYLOADS_PATH);
	return 0;
}

static int scan(const struct svd_opts *o, const struct svd_sigdb *db)
{
	const struct svd_timing *t = svd_timing_level(o->timing);
	struct svd_engine_opts eo = { 0 };
	struct svd_run run = { 0 };
	struct outputs out = { 0 };
	struct target_walk walk = { .resume = o->resume };
	struct svd_host_source src = { .next = next_target, .arg = &walk };
	struct svd_rpc_programs rpc = { 0 };
	struct svd_engine_ports ports = { o->ports.tcp, o->ports.udp, o->ports.ntcp, o->ports.nudp };
	struct svd_payloads payloads = { 0 };
	char *tcp_ports = svd_ports_format(o->ports.tcp, o->ports.ntcp);
	char *udp_ports = svd_ports_format(o->ports.udp, o->ports.nudp);
	const char **table_names = table_names_of(&o->services, &o->ports);
	size_t nports = o->ports.ntcp + o->ports.nudp;
	/* The command line as every output's header shows it: an argument
	 * may hold any byte (a file name), a header only printable ones. */
	size_t args_size = 4 * strlen(o->args) + 1;
	char *args = malloc(args_size);
	int stop_fds[2];
	int rc = 0;

	if (!tcp_ports || !udp_ports || !table_names || !args ||
	    (o->ports.nudp && load_payloads(&payloads, db) < 0)) {
		fprintf(stderr, "svdetect: out of memory\n");
		out.exit_status = EXIT_TROUBLE;
		goto cleanup;
	}
	eo.db = db;
	eo.table_names = table_names;
	eo.payloads = &payloads;
	eo.timing = t;
	eo.intensity = o->intensity;
	eo.rpc_programs = load_rpc_programs(&rpc, o);
	eo.allports = o->allports;
	eo.reverse_dns = !o->targets.no_dns;
	eo.trace = o->version_trace ? stderr : NULL;
	eo.debugging = o->debug;
	eo.platform = SVD_PLATFORM;
	eo.parallelism = socket_budget(o->max_parallelism ? (unsigned)o->max_parallelism : t->parallelism);
	eo.per_host = o->max_parallelism ? eo.parallelism : t->per_host;
	eo.connect_timeout_ms = t->connect_timeout_ms;
	eo.connect_tries = t->connect_tries;
	eo.discovery = !o->no_ping;
	eo.discovery_timeout_ms = t->discovery_timeout_ms;
	eo.max_probes_ahead = o->max_probes_ahead >= 0 ? o->max_probes_ahead : t->probes_ahead;
	eo.probe_delay_ms = t->probe_delay_ms;
	eo.host_timeout_ms = (uint64_t)o->host_timeout_ms;
	eo.stats_every_ms = (uint64_t)o->stats_every_ms;
	eo.stop_fds = stop_fds;
	eo.stop_wanted = stop_wanted;

	run.args = escape_for_log(args, args_size, o->args);
	run.scanner_version = PACKAGE_VERSION;
	run.db = db;
	run.intensity = o->intensity;
	run.scan_tcp = o->protos & SVD_SCAN_TCP;
	run.scan_udp = o->protos & SVD_SCAN_UDP;
	run.tcp_ports = tcp_ports;
	run.ntcp_ports = o->ports.ntcp;
	run.udp_ports = udp_ports;
	run.nudp_ports = o->ports.nudp;
	run.open_only = o->open_only;
	run.verbose = o->verbose;
	run.tls_info = o->tls_info;
	run.reason = o->reason;
	run.discovery = !o->no_ping;
	clock_gettime(CLOCK_REALTIME, &run.start);
	out.run = &run;
	out.signal_fd = svd_stop_signals_catch();
	if (out.signal_fd < 0)
		fprintf(stderr, "svdetect: cannot catch signals (%s): an interrupt loses the results\n",
			strerror(errno));
	else
		stop_fds[eo.nstop_fds++] = out.signal_fd;
	if (open_outputs(&out, o) < 0) {
		close_outputs(&out);
		out.exit_status = EXIT_TROUBLE;
		goto cleanup;
	}
	if (stdout_is_pipe(&out))
		stop_fds[eo.nstop_fds++] = STDOUT_FILENO;
	eo.progress = progress_stream(&out);
	eo.verbose = o->verbose;
	/* Exactly the hosts the walk will give (a pass with exclusions, or
	 * the resumed file's count). */
	src.nhosts = o->resume ? (size_t)o->resume->nleft : (size_t)svd_targets_count(&o->targets);
	svd_targets_begin(&walk.cursor, &o->targets);
	warn_if_unusual(&eo, &o->targets, src.nhosts, nports);
	each_output_begin(&out);
	/* An output that cannot take even its header: no traffic at all. */
	if (!run.stopped)
		rc = svd_engine_run(&eo, &src, &ports, host_done, &out);
	if (rc < 0)
		stop_early(&out, EXIT_TROUBLE, "the scan could not go on");
	if (src.nhosts == 0 && !o->resume)
		fprintf(stderr, "svdetect: WARNING: every target given is excluded, so 0 hosts "
			"scanned\n");
	out.scan_over = true;
	run.hosts_up = out.up;
	run.hosts_down = out.reported - out.up;
	run.hosts_unscanned = src.nhosts - out.reported;
	clock_gettime(CLOCK_REALTIME, &run.end);
	each_output_end(&out);
	close_outputs(&out);
cleanup:
	svd_rpc_programs_free(&rpc);
	svd_payloads_free(&payloads);
	free(tcp_ports);
	free(udp_ports);
	free(table_names);
	free(args);
	return out.exit_status;
}

/* Whether --signatures NAME names a shared object rather than a compiled-in set. */
static bool names_a_path(const char *name)
{
	return name && strchr(name, '/');
}

/*
 * The set --signatures names: a compiled-in one, or with a slash in it a
 * shared object that load opens (NULL: this scanner loads none).  Says
 * why on stderr when there is none.
 */
static const struct svd_sigdb *pick_set(const struct svd_sigdb *const *sets, size_t nsets,
					const char *name, svd_sigdb_loader *load)
{
	const struct svd_sigdb *db;
	char err[768], shown[256];

	if (!names_a_path(name)) {
		db = find_set(sets, nsets, name);
		if (!db)
			fprintf(stderr, "svdetect: no signature set '%s' is compiled in "
				"(a set of svdc --shared is named by a path with a '/')\n",
				escape_for_log(shown, sizeof shown, name));
		return db;
	}
	if (!load) {
		fprintf(stderr, "svdetect: --signatures %s: this scanner loads no signature sets "
			"(it is static, or linked without the loader); use svdetect or a scanner "
			"of svdc --scanner without --static\n",
			escape_for_log(shown, sizeof shown, name));
		return NULL;
	}
	db = load(name, err, sizeof err);
	if (!db)
		fprintf(stderr, "svdetect: --signatures: %s\n", err);
	return db;
}

int svd_scanner_main(int argc, char **argv, const struct svd_sigdb *const *sets, size_t nsets)
{
	return svd_scanner_main_loading(argc, argv, sets, nsets, NULL);
}

int svd_scanner_main_loading(int argc, char **argv, const struct svd_sigdb *const *sets,
			     size_t nsets, svd_sigdb_loader *load)
{
	struct svd_opts o;
	const struct svd_sigdb *db;
	int rc;

	if (nsets == 0) {
		fprintf(stderr, "svdetect: the scanner was linked with no signature set\n");
		return EXIT_TROUBLE;
	}
	signal(SIGPIPE, SIG_IGN);
	rc = svd_opts_parse(&o, argc, argv);
	if (rc)
		return rc;
	db = pick_set(sets, nsets, o.signatures, load);
	if (!db) {
		svd_opts_free(&o);
		return EXIT_USAGE;
	}
	switch (o.mode) {
	case SVD_MODE_VERSION:
		/* A loaded set is the one this run would use: only it. */
		if (names_a_path(o.signatures))
			version(&db, 1);
		else
			version(sets, nsets);
		break;
	case SVD_MODE_HELP:
		svd_opts_usage(stdout);
		break;
	case SVD_MODE_MATCH:
	case SVD_MODE_MATCH_TRACE:
		rc = match_cli(db, o.match_argc, o.match_argv, o.mode == SVD_MODE_MATCH_TRACE);
		break;
	case SVD_MODE_TEST_EXAMPLES:
		rc = svd_examples_run(db, o.match_argv, o.match_argc, stdout, stderr);
		if (fflush(stdout) != 0) {
			perror("svdetect: stdout");
			rc = EXIT_TROUBLE;
		}
		break;
	case SVD_MODE_SCAN:
		rc = scan(&o, db);
		break;
	}
	svd_opts_free(&o);
	return rc;
}
