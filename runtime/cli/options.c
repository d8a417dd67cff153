#include "options.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

enum { EXIT_USAGE = 2, DEFAULT_TOP = 1000, FAST_TOP = 100 };

/* What the first pass collects for the second, which loads and resolves. */
struct parser {
	struct svd_opts *o;
	int argc, i;
	char **argv;
	const char *ports, *servicedb, *target_file, *exclude_file;
	const char *resume_file;  /* --resume FILE */
	const char **excludes;  /* every --exclude LIST, in order */
	int nexcludes;
	long top;               /* --top-ports, 0 if not given */
	bool fast, ipv6, no_dns;
	char **targets;
	int ntargets;
};

enum opt_id {
	OPT_TOP_PORTS, OPT_INTENSITY, OPT_LIGHT, OPT_ALL, OPT_TRACE, OPT_ALLPORTS,
	OPT_PARALLELISM, OPT_HOST_TIMEOUT, OPT_OPEN, OPT_TLS_INFO, OPT_STATS_EVERY, OPT_SIGNATURES,
	OPT_SERVICEDB, OPT_MATCH, OPT_MATCH_TRACE, OPT_TEST_EXAMPLES, OPT_VERSION, OPT_HELP,
	OPT_EXCLUDE, OPT_EXCLUDE_FILE, OPT_REASON, OPT_SCRIPTS, OPT_PROBES_AHEAD,
	OPT_APPEND_OUTPUT, OPT_RESUME,
};

static const struct long_opt {
	const char *name;
	bool has_value;
	enum opt_id id;
} long_opts[] = {
	{ "top-ports", true, OPT_TOP_PORTS },
	{ "version-intensity", true, OPT_INTENSITY },
	{ "version-light", false, OPT_LIGHT },
	{ "version-all", false, OPT_ALL },
	{ "version-trace", false, OPT_TRACE },
	{ "allports", false, OPT_ALLPORTS },
	{ "max-parallelism", true, OPT_PARALLELISM },
	{ "max-probes-ahead", true, OPT_PROBES_AHEAD },
	{ "host-timeout", true, OPT_HOST_TIMEOUT },
	{ "open", false, OPT_OPEN },
	{ "tls-info", false, OPT_TLS_INFO },
	{ "stats-every", true, OPT_STATS_EVERY },
	{ "signatures", true, OPT_SIGNATURES },
	{ "servicedb", true, OPT_SERVICEDB },
	{ "match", false, OPT_MATCH },
	{ "match-trace", false, OPT_MATCH_TRACE },
	{ "test-examples", false, OPT_TEST_EXAMPLES },
	{ "version", false, OPT_VERSION },
	{ "help", false, OPT_HELP },
	{ "exclude", true, OPT_EXCLUDE },
	{ "excludefile", true, OPT_EXCLUDE_FILE },
	{ "reason", false, OPT_REASON },
	{ "append-output", false, OPT_APPEND_OUTPUT },
	{ "resume", true, OPT_RESUME },
	/* Nmap's script options: refused, with why. */
	{ "script", true, OPT_SCRIPTS },
	{ "script-args", true, OPT_SCRIPTS },
	{ "script-args-file", true, OPT_SCRIPTS },
	{ "script-help", true, OPT_SCRIPTS },
	{ "script-timeout", true, OPT_SCRIPTS },
	{ "script-trace", false, OPT_SCRIPTS },
	{ "script-updatedb", false, OPT_SCRIPTS },
};

static const char *const timing_names[] = {
	"paranoid", "sneaky", "polite", "normal", "aggressive", "insane",
};

/* -oN -oX -oG -oJ, in enum svd_outfmt order; -oA writes the first three. */
static const char out_letters[SVD_OUT_NFORMATS] = { 'N', 'X', 'G', 'J' };
static const char *const oa_suffixes[] = { ".nmap", ".xml", ".gnmap" };

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("svdetect: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* -sC, --script...: Nmap's scripting engine, which svdetect does not have;
 * ignoring them would quietly give less than was asked for. */
static int no_scripts(const char *dashes, const char *opt)
{
	return usage_error("%s%s: scripts (NSE) are not part of svdetect, which does service and "
			   "version detection only; run Nmap for scripts", dashes, opt);
}

void svd_opts_usage(FILE *out)
{
	fputs("usage: svdetect [options] TARGET...\n"
	      "       svdetect [--signatures NAME|PATH.so] --match|--match-trace PROBE FILE...\n"
	      "       svdetect [--signatures NAME|PATH.so] --test-examples FILE...\n"
	      "Service and version detection over TCP connect and UDP scans (like nmap -sV -sT -sU).\n"
	      "TARGETS:\n"
	      "  127.0.0.1, localhost, 10.0.0.0/30, 127.0.0.1-5, 127.0.0-1.1,3, 127.0.0.*\n"
	      "  -iL FILE: read targets from FILE (- for stdin; # starts a comment)\n"
	      "  -6: IPv6 targets (::1, ::1/120); -n: no reverse DNS\n"
	      "  -Pn: no host discovery (a connect to ports 80 and 443): every host is up\n"
	      "  --exclude LIST: never touch these (comma-separated targets)\n"
	      "  --excludefile FILE: nor these (as -iL reads them)\n"
	      "SCAN TYPES (version detection always):\n"
	      "  -sT: TCP connect scan (the default); -sU: UDP scan; -sT -sU (-sTU): both\n"
	      "PORTS (default: the 1000 most common ports of each protocol scanned):\n"
	      "  -p SPEC: 22; 80-90; -100; 60000-; - (all); T:22,U:53; http*; [1-1024]\n"
	      "    (ports without T: or U: are of every protocol scanned)\n"
	      "  --top-ports N: the N most common ports; -F: the 100 most common\n"
	      "  --servicedb FILE: services table (default " SVD_SERVICES_PATH ")\n"
	      "  --open: list only ports that may be open (open, open|filtered)\n"
	      "VERSION DETECTION:\n"
	      "  --version-intensity 0-9 (default 7); --version-light (2); --version-all (9)\n"
	      "  --version-trace: show probes and matches; --allports: ignore Exclude\n"
	      "  --signatures NAME: the compiled signature set to use; a path with a '/'\n"
	      "    (./site.so): a set of svdc --shared, loaded\n"
	      "TIMING:\n"
	      "  -T0-5 or -T paranoid|sneaky|polite|normal|aggressive|insane (default 3)\n"
	      "  --max-parallelism N; --host-timeout TIME; --stats-every TIME\n"
	      "  --max-probes-ahead 0-31: probes per port sent ahead of Nmap's order\n"
	      "    (default 7; 0 at -T0-2): 0 sends Nmap's probes only\n"
	      "  TIME: 500ms, 30s, 2m, 1h; a bare number is seconds\n"
	      "OUTPUT (FILE - is stdout):\n"
	      "  -oN FILE normal, -oX FILE XML, -oG FILE grepable, -oJ FILE JSON\n"
	      "  -oA BASE: BASE.nmap, BASE.xml and BASE.gnmap\n"
	      "  -v, -vv, -v2: more verbose; -d, -dd, -d2: debugging\n"
	      "  --tls-info: TLS certificates in normal and XML output, as Nmap's ssl-cert\n"
	      "  --reason: why each port is in its state (normal output's REASON column)\n"
	      "  --append-output: append to the -o files instead of truncating them\n"
	      "  --resume FILE: go on with the scan FILE (its -oN, -oG or -oJ output) is\n"
	      "    of, skipping the hosts it has done and appending to its files\n"
	      "OTHER:\n"
	      "  --match PROBE FILE...: match the responses in FILEs to PROBE, no scan\n"
	      "  --match-trace PROBE FILE...: the same, showing every match line tried\n"
	      "  --test-examples FILE...: check the set against signature examples\n"
	      "  -V, --version; -h, --help\n"
	      "  Accepted for Nmap compatibility: -sV (always on)\n"
	      "  Refused: -sC, --script and the other script options (no NSE here)\n",
	      out);
}

/* --- values ----------------------------------------------------------------- */

/* A decimal min..max with nothing else around it. */
static bool parse_long(const char *s, long min, long max, long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtol(s, &end, 10);
	return !*end && errno == 0 && *v >= min && *v <= max;
}

int svd_parse_time(const char *s, long *ms)
{
	static const struct { const char *unit; double ms; } units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
	};
	size_t ndigits = strspn(s, "0123456789"), i;
	const char *unit = s + ndigits;
	double v;

	if (ndigits == 0 || ndigits > 12)
		return -1;
	if (*unit == '.') {
		size_t nfrac = strspn(unit + 1, "0123456789");

		if (nfrac == 0)
			return -1;
		unit += 1 + nfrac;
	}
	for (i = 0; i < sizeof units / sizeof *units; i++) {
		if (strcmp(unit, units[i].unit) != 0)
			continue;
		v = strtod(s, NULL) * units[i].ms + 0.5;
		if (v >= (double)LONG_MAX)
			return -1;
		*ms = (long)v;
		return 0;
	}
	return -1;
}

static bool parse_timing(const char *s, int *timing)
{
	long v;
	size_t i;

	if (parse_long(s, 0, 5, &v)) {
		*timing = (int)v;
		return true;
	}
	for (i = 0; i < sizeof timing_names / sizeof *timing_names; i++)
		if (strcasecmp(s, timing_names[i]) == 0) {
			*timing = (int)i;
			return true;
		}
	return false;
}

/* -v, -vv..., -v3 (and the same for -d): rest is what follows the letter. */
static bool parse_level(const char *rest, char letter, int *level)
{
	long v;

	if (rest[strspn(rest, (char[]){ letter, '\0' })] == '\0') {
		*level += 1 + (int)strlen(rest);
		return true;
	}
	if (!parse_long(rest, 0, 9, &v))
		return false;
	*level = (int)v;
	return true;
}

/*
 * The value of option opt: attached (if not empty) or the next argument.
 * NULL after an error message.
 */
static const char *value(struct parser *p, const char *opt, const char *attached)
{
	if (attached && *attached)
		return attached;
	if (p->i + 1 < p->argc)
		return p->argv[++p->i];
	usage_error("option '%s' needs a value", opt);
	return NULL;
}

static char *concat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 1);

	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb + 1);
	}
	return s;
}

static int set_output(struct svd_opts *o, enum svd_outfmt fmt, const char *file,
		      const char *suffix)
{
	if (o->out[fmt])
		return usage_error("more than one -o%c output", out_letters[fmt]);
	if (!(o->out[fmt] = concat(file, suffix)))
		return usage_error("out of memory");
	return 0;
}

/* -oN FILE ... -oJ FILE, -oA BASE; letters is what follows "-o". */
static int output_option(struct parser *p, const char *letters)
{
	const char *file;
	int fmt;

	for (fmt = 0; fmt < SVD_OUT_NFORMATS; fmt++)
		if (letters[0] && letters[0] == out_letters[fmt])
			break;
	if (fmt == SVD_OUT_NFORMATS && letters[0] != 'A')
		return usage_error("unknown output option '-o%.1s' (-oN, -oX, -oG, -oJ, -oA)",
				   letters);
	if (!(file = value(p, p->argv[p->i], letters + 1)))
		return EXIT_USAGE;
	if (fmt < SVD_OUT_NFORMATS)
		return set_output(p->o, (enum svd_outfmt)fmt, file, "");
	if (strcmp(file, "-") == 0)
		return usage_error("-oA needs a base name, not '-'");
	for (fmt = 0; fmt < (int)(sizeof oa_suffixes / sizeof *oa_suffixes); fmt++)
		if (set_output(p->o, (enum svd_outfmt)fmt, file, oa_suffixes[fmt]))
			return EXIT_USAGE;
	return 0;
}

/* --- options ------------------------------------------------------------------ */

/* Options that end parsing: --match..., --help, --version. */
enum { DONE = -1 };

static int long_option(struct parser *p, const char *arg)
{
	const char *name = arg + 2, *eq = strchr(name, '='), *v = NULL;
	size_t len = eq ? (size_t)(eq - name) : strlen(name), i;
	struct svd_opts *o = p->o;
	const struct long_opt *lo = NULL;
	long n;

	for (i = 0; i < sizeof long_opts / sizeof *long_opts && !lo; i++)
		if (strlen(long_opts[i].name) == len && strncmp(long_opts[i].name, name, len) == 0)
			lo = &long_opts[i];
	if (!lo)
		return usage_error("unknown option '--%.*s'", (int)len, name);
	if (!lo->has_value && eq)
		return usage_error("option '--%s' takes no value", lo->name);
	if (lo->has_value) {
		if (eq && !eq[1])
			return usage_error("option '--%s' needs a value", lo->name);
		if (!(v = value(p, arg, eq ? eq + 1 : NULL)))
			return EXIT_USAGE;
	}
	switch (lo->id) {
	case OPT_TOP_PORTS:
		if (!parse_long(v, 1, 65535, &p->top))
			return usage_error("--top-ports must be 1-65535, not '%s'", v);
		break;
	case OPT_INTENSITY:
		if (!parse_long(v, 0, 9, &n))
			return usage_error("--version-intensity must be 0-9, not '%s'", v);
		o->intensity = (int)n;
		break;
	case OPT_LIGHT:
		o->intensity = 2;
		break;
	case OPT_ALL:
		o->intensity = 9;
		break;
	case OPT_TRACE:
		o->version_trace = true;
		break;
	case OPT_ALLPORTS:
		o->allports = true;
		break;
	case OPT_PARALLELISM:
		if (!parse_long(v, 1, 65535, &n))
			return usage_error("--max-parallelism must be 1-65535, not '%s'", v);
		o->max_parallelism = (int)n;
		break;
	case OPT_PROBES_AHEAD:
		/* 31: what a port's queue holds (SVD_VSCAN_AHEAD_MAX, vscan.h). */
		if (!parse_long(v, 0, 31, &n))
			return usage_error("--max-probes-ahead must be 0-31, not '%s'", v);
		o->max_probes_ahead = (int)n;
		break;
	case OPT_HOST_TIMEOUT:
		if (svd_parse_time(v, &o->host_timeout_ms))
			return usage_error("bad --host-timeout '%s' (e.g. 500ms, 30s, 2m, 1h)", v);
		break;
	case OPT_OPEN:
		o->open_only = true;
		break;
	case OPT_TLS_INFO:
		o->tls_info = true;
		break;
	case OPT_STATS_EVERY:
		if (svd_parse_time(v, &o->stats_every_ms))
			return usage_error("bad --stats-every '%s' (e.g. 500ms, 30s, 2m, 1h)", v);
		break;
	case OPT_SIGNATURES:
		if (!*v)
			return usage_error("--signatures needs a set name");
		o->signatures = v;
		break;
	case OPT_SERVICEDB:
		p->servicedb = v;
		break;
	case OPT_MATCH:
	case OPT_MATCH_TRACE:
		o->mode = lo->id == OPT_MATCH ? SVD_MODE_MATCH : SVD_MODE_MATCH_TRACE;
		o->match_argc = p->argc - p->i - 1;
		o->match_argv = p->argv + p->i + 1;
		return DONE;
	case OPT_TEST_EXAMPLES:
		o->mode = SVD_MODE_TEST_EXAMPLES;
		o->match_argc = p->argc - p->i - 1;
		o->match_argv = p->argv + p->i + 1;
		return o->match_argc ? DONE : usage_error("--test-examples needs example files");
	case OPT_VERSION:
		o->mode = SVD_MODE_VERSION;
		return DONE;
	case OPT_HELP:
		o->mode = SVD_MODE_HELP;
		return DONE;
	case OPT_EXCLUDE:
		p->excludes[p->nexcludes++] = v;
		break;
	case OPT_EXCLUDE_FILE:
		if (p->exclude_file)
			return usage_error("more than one --excludefile");
		p->exclude_file = v;
		break;
	case OPT_REASON:
		o->reason = true;
		break;
	case OPT_SCRIPTS:
		return no_scripts("--", lo->name);
	case OPT_APPEND_OUTPUT:
		p->o->append_output = true;
		break;
	case OPT_RESUME:
		/* As Nmap: the scan goes on as it was begun, so nothing may
		 * change it. */
		if (p->argc != (eq ? 2 : 3))
			return usage_error("--resume FILE takes no other option or target: the "
					   "scan goes on with those FILE records");
		p->resume_file = v;
		break;
	}
	return 0;
}

/* -sV, -sT, -sU and their combinations (-sTU, -sUV): version detection
 * always, over a TCP connect scan, a UDP scan or both. */
static int scan_type(struct parser *p, const char *arg)
{
	const char *letters = arg + 2;

	if (strchr(letters, 'C'))
		return no_scripts("", arg);
	if (!*letters || letters[strspn(letters, "VTU")])
		return usage_error("scan type '-s%s' is not supported (svdetect does -sV with "
				   "-sT, -sU or both)", letters);
	if (strchr(letters, 'T'))
		p->o->protos |= SVD_SCAN_TCP;
	if (strchr(letters, 'U'))
		p->o->protos |= SVD_SCAN_UDP;
	return 0;
}

static int short_option(struct parser *p, const char *arg)
{
	struct svd_opts *o = p->o;
	const char *v;

	if (!arg[1] || (strchr("n6hVF", arg[1]) && arg[2]))
		return usage_error("unknown option '%s'", arg);
	switch (arg[1]) {
	case 'p':
		if (p->ports)
			return usage_error("only one -p is allowed: join the port ranges with "
					   "commas (-p 22,80,443)");
		if (!(p->ports = value(p, "-p", arg + 2)))
			return EXIT_USAGE;
		return 0;
	case 'T':
		if (!(v = value(p, "-T", arg + 2)))
			return EXIT_USAGE;
		if (!parse_timing(v, &o->timing))
			return usage_error("-T must be 0-5 or paranoid, sneaky, polite, normal, "
					   "aggressive, insane; not '%s'", v);
		return 0;
	case 'v':
		return parse_level(arg + 2, 'v', &o->verbose) ? 0 :
			usage_error("bad verbosity '%s' (-v, -vv, -v0 to -v9)", arg);
	case 'd':
		return parse_level(arg + 2, 'd', &o->debug) ? 0 :
			usage_error("bad debugging level '%s' (-d, -dd, -d0 to -d9)", arg);
	case 'o':
		return output_option(p, arg + 2);
	case 'i':
		if (arg[2] != 'L')
			return usage_error("unknown option '%s'", arg);
		if (p->target_file)
			return usage_error("more than one -iL");
		return (p->target_file = value(p, "-iL", arg + 3)) ? 0 : EXIT_USAGE;
	case 's':
		return scan_type(p, arg);
	case 'P':
		if (strcmp(arg, "-Pn") != 0)
			return usage_error("host discovery '%s' is not supported (only -Pn)", arg);
		o->no_ping = true;
		return 0;
	case 'n':
		p->no_dns = true;
		return 0;
	case '6':
		p->ipv6 = true;
		return 0;
	case 'F':
		p->fast = true;
		return 0;
	case 'h':
		o->mode = SVD_MODE_HELP;
		return DONE;
	case 'V':
		o->mode = SVD_MODE_VERSION;
		return DONE;
	}
	return usage_error("unknown option '%s'", arg);
}

/* --- the second pass: services, ports, targets ------------------------------------ */

/*
 * Ports of a protocol not scanned (-p U:53 without -sU) are dropped, with
 * Nmap's warning; a protocol scanned with no port is skipped, with its
 * warning.  Both go to stderr and the scan goes on, as in Nmap, unless
 * no port is left: then only the error.  Returns 0, or 2 after the error.
 */
static int drop_unscanned(struct svd_opts *o)
{
	static const char *const what[] = { "TCP scan type (-sT)", "UDP scan (-sU)" };
	uint16_t **list[] = { &o->ports.tcp, &o->ports.udp };
	size_t *count[] = { &o->ports.ntcp, &o->ports.nudp };
	size_t dropped[] = { 0, 0 };
	unsigned proto;

	for (proto = SVD_TCP; proto <= SVD_UDP; proto++)
		if (!(o->protos >> proto & 1)) {
			dropped[proto] = *count[proto];
			free(*list[proto]);
			*list[proto] = NULL;
			*count[proto] = 0;
		}
	if (o->ports.ntcp + o->ports.nudp == 0)
		return usage_error("no ports to scan%s", dropped[SVD_TCP] + dropped[SVD_UDP] ?
				   " (T: ports need -sT, U: ports -sU)" : "");
	for (proto = SVD_TCP; proto <= SVD_UDP; proto++) {
		if (dropped[proto])
			fprintf(stderr, "svdetect: WARNING: your ports include \"%c:\" but you "
				"have not asked for a %s; those ports are not scanned\n",
				proto == SVD_TCP ? 'T' : 'U', what[proto]);
		else if ((o->protos >> proto & 1) && *count[proto] == 0)
			fprintf(stderr, "svdetect: WARNING: %s was requested, but no %s ports "
				"were specified; skipping this scan type\n", what[proto],
				proto == SVD_TCP ? "tcp" : "udp");
	}
	return 0;
}

static int choose_ports(struct parser *p)
{
	struct svd_opts *o = p->o;
	const char *db = p->servicedb ? p->servicedb : SVD_SERVICES_PATH;
	char err[512];

	if (p->servicedb && access(p->servicedb, R_OK) != 0)
		return usage_error("cannot read '%s': %s", p->servicedb, strerror(errno));
	if (p->fast && (p->ports || p->top))
		return usage_error("-F cannot be combined with -p or --top-ports");
	if (svd_services_load(&o->services, db))
		return usage_error("out of memory");
	if (!o->protos)
		o->protos = SVD_SCAN_TCP;
	if (p->ports) {
		if (svd_ports_parse(&o->ports, p->ports, o->protos, &o->services, err, sizeof err))
			return usage_error("%s", err);
		if (p->top && svd_ports_top_of(&o->ports, &o->services, (size_t)p->top))
			return usage_error("out of memory");
	} else if (svd_ports_top(&o->ports, &o->services,
				 p->fast ? FAST_TOP : p->top ? (size_t)p->top : DEFAULT_TOP,
				 o->protos)) {
		return usage_error("out of memory");
	}
	return drop_unscanned(o);
}

/* --excludefile, then every --exclude: before any target is listed. */
static int load_exclusions(struct parser *p)
{
	struct svd_exclude *x = &p->o->exclude;
	char err[512];
	int i, rc;

	svd_exclude_init(x, p->ipv6 ? AF_INET6 : AF_INET);
	if (p->exclude_file) {
		FILE *f = fopen(p->exclude_file, "r");

		if (!f)
			return usage_error("cannot read '%s': %s", p->exclude_file, strerror(errno));
		rc = svd_exclude_add_file(x, f, p->exclude_file, err, sizeof err);
		fclose(f);
		if (rc)
			return usage_error("--excludefile %s", err);
	}
	for (i = 0; i < p->nexcludes; i++)
		if (svd_exclude_add_list(x, p->excludes[i], err, sizeof err))
			return usage_error("--exclude: %s", err);
	svd_exclude_seal(x);
	return 0;
}

static int read_targets(struct parser *p)
{
	struct svd_targets *t = &p->o->targets;
	char err[512];
	int i;

	if (load_exclusions(p))
		return EXIT_USAGE;
	svd_targets_init(t, p->ipv6 ? AF_INET6 : AF_INET, p->no_dns);
	t->exclude = &p->o->exclude;
	if (p->target_file) {
		bool is_stdin = strcmp(p->target_file, "-") == 0;
		FILE *f = is_stdin ? stdin : fopen(p->target_file, "r");
		int rc;

		if (p->ntargets)
			return usage_error("give targets with -iL or as arguments, not both");
		if (!f)
			return usage_error("cannot read '%s': %s", p->target_file, strerror(errno));
		rc = svd_targets_add_file(t, f, is_stdin ? "stdin" : p->target_file,
					  err, sizeof err);
		if (!is_stdin)
			fclose(f);
		if (rc)
			return usage_error("%s", err);
	}
	for (i = 0; i < p->ntargets; i++)
		if (svd_targets_add(t, p->targets[i], err, sizeof err))
			return usage_error("%s", err);
	/* Every target excluded is a scan of none, as in Nmap; none given is
	 * a mistake. */
	if (t->n == 0)
		return usage_error("no targets given (svdetect --help lists the options)");
	return 0;
}

static int finish(struct parser *p)
{
	struct svd_opts *o = p->o;
	int i, nstdout = 0;

	if (o->mode == SVD_MODE_MATCH || o->mode == SVD_MODE_MATCH_TRACE ||
	    o->mode == SVD_MODE_TEST_EXAMPLES)
		return p->ntargets || p->target_file ?
			usage_error("--match, --match-trace and --test-examples take no targets") : 0;
	for (i = 0; i < SVD_OUT_NFORMATS; i++)
		nstdout += o->out[i] && strcmp(o->out[i], "-") == 0;
	if (nstdout > 1)
		return usage_error("only one output can go to stdout ('-')");
	return choose_ports(p) ? EXIT_USAGE : read_targets(p);
}

/* --- the command line ----------------------------------------------------------- */

/*
 * Appends arg as a POSIX shell reads it back: as it is when it holds only
 * bytes no shell treats specially, else in single quotes (a quote as
 * '"'"', no backslash, which headers would show doubled), so that
 * --resume (resume.h) splits the headers' command line back into the
 * same arguments.  Returns the end.
 */
static char *put_arg(char *o, const char *arg)
{
	static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				    "0123456789-_./:,=+@%";

	if (*arg && !arg[strspn(arg, plain)])
		return stpcpy(o, arg);
	*o++ = '\'';
	for (; *arg; arg++)
		if (*arg == '\'')
			o = stpcpy(o, "'\"'\"'");
		else
			*o++ = *arg;
	*o++ = '\'';
	*o = '\0';
	return o;
}

static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s, *o;
	int i;

	for (i = 0; i < argc; i++)
		len += 5 * strlen(argv[i]) + 3; /* every byte a quote: 5 each */
	if (!(s = o = malloc(len)))
		return NULL;
	*o = '\0';
	for (i = 0; i < argc; i++)
		o = put_arg(i ? stpcpy(o, " ") : o, argv[i]);
	return s;
}

static int parse_args(struct parser *p)
{
	bool only_targets = false;
	int rc = 0;

	for (p->i = 1; p->i < p->argc && rc == 0; p->i++) {
		const char *arg = p->argv[p->i];

		if (only_targets || arg[0] != '-')
			p->targets[p->ntargets++] = p->argv[p->i];
		else if (strcmp(arg, "--") == 0)
			only_targets = true;
		else if (arg[1] == '-')
			rc = long_option(p, arg);
		else
			rc = short_option(p, arg);
	}
	return rc;
}

/* Room for the targets and exclusions of p's command line. */
static int alloc_lists(struct parser *p)
{
	free(p->targets);
	free(p->excludes);
	p->targets = calloc((size_t)p->argc + 1, sizeof *p->targets);
	p->excludes = calloc((size_t)p->argc + 1, sizeof *p->excludes);
	return p->targets && p->excludes ? 0 : usage_error("out of memory");
}

/* --resume FILE: the command line FILE records, parsed in place of ours
 * (which stays the one the headers show). */
static int resume_args(struct parser *p)
{
	struct svd_opts *o = p->o;
	char err[512];

	if (!(o->resume = calloc(1, sizeof *o->resume)))
		return usage_error("out of memory");
	if (svd_resume_read(o->resume, p->resume_file, err, sizeof err))
		return usage_error("%s", err);
	p->argc = o->resume->argc;
	p->argv = o->resume->argv;
	o->append_output = true;
	return alloc_lists(p) ? EXIT_USAGE : parse_args(p);
}

/* --resume: counts the targets the file has done, walking them in their
 * order as the scan will; the scan's walk skips the same ones again
 * (scanner.c), so this one leaves the file's state as it found it. */
static int skip_done(struct parser *p, const char *file)
{
	struct svd_resume *r = p->o->resume;
	struct svd_targets_cursor c;
	struct svd_target tg;
	uint64_t done = 0;

	r->ntargets = 0;
	svd_targets_begin(&c, &p->o->targets);
	while (svd_targets_next(&c, &tg)) {
		r->ntargets++;
		done += svd_resume_skip(r, (const struct sockaddr *)&tg.addr);
	}
	if (r->has_last && !r->past_last)
		return usage_error("--resume %s: its last host done is not among the targets of "
				   "its command line (a name resolved otherwise?); nothing scanned",
				   file);
	r->past_last = false;
	r->nleft = r->ntargets - done;
	fprintf(stderr, "svdetect: resuming from %s: %llu of %llu hosts done, %llu to scan\n",
		file, (unsigned long long)done, (unsigned long long)r->ntargets,
		(unsigned long long)r->nleft);
	return 0;
}

int svd_opts_parse(struct svd_opts *o, int argc, char **argv)
{
	struct parser p;
	const char *resume_file;
	int rc;

	memset(o, 0, sizeof *o);
	o->intensity = 7;
	o->timing = 3;
	o->max_probes_ahead = -1;
	memset(&p, 0, sizeof p);
	p.o = o;
	p.argc = argc;
	p.argv = argv;
	o->args = join_args(argc, argv);
	if (!o->args)
		rc = usage_error("out of memory");
	else if (!(rc = alloc_lists(&p)))
		rc = parse_args(&p);
	resume_file = p.resume_file;
	if (rc == 0 && resume_file)
		rc = resume_args(&p);
	if (rc == DONE)
		rc = o->mode == SVD_MODE_HELP || o->mode == SVD_MODE_VERSION ? 0 : finish(&p);
	else if (rc == 0)
		rc = finish(&p);
	if (rc == 0 && o->resume && o->mode == SVD_MODE_SCAN)
		rc = skip_done(&p, resume_file);
	free(p.targets);
	free(p.excludes);
	if (rc)
		svd_opts_free(o);
	return rc;
}

void svd_opts_free(struct svd_opts *o)
{
	int i;

	svd_targets_free(&o->targets);
	svd_exclude_free(&o->exclude);
	svd_portlist_free(&o->ports);
	svd_services_free(&o->services);
	for (i = 0; i < SVD_OUT_NFORMATS; i++) {
		free(o->out[i]);
		o->out[i] = NULL;
	}
	free(o->args);
	o->args = NULL;
	if (o->resume)
		svd_resume_free(o->resume);
	free(o->resume);
	o->resume = NULL;
}
