#include "match_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "match.h"
#include "read_file.h"
#include "template.h"

enum { EXIT_TROUBLE = 1, EXIT_USAGE = 2 };

/* "TCP:Name", "UDP:Name" or "Name" (TCP). */
static int parse_probe(const struct svd_sigdb *db, const char *spec)
{
	enum svd_proto proto = SVD_TCP;

	if (strncmp(spec, "TCP:", 4) == 0) {
		spec += 4;
	} else if (strncmp(spec, "UDP:", 4) == 0) {
		proto = SVD_UDP;
		spec += 4;
	}
	return svd_find_probe(db, proto, spec);
}

struct trace_list {
	FILE *out;
	int count;
};

static void print_tried(void *arg, const struct svd_match *m, bool matched)
{
	struct trace_list *t = arg;

	fprintf(t->out, "%s{\"line\":%u,\"matched\":%s}", t->count++ ? "," : "", m->line,
		matched ? "true" : "false");
}

static void print_result(FILE *out, const struct svd_match *m,
			 const unsigned char *s, size_t n, const struct svd_result *r)
{
	struct svd_subject subj = { s, n, r->ovec, r->nmatch };
	struct svd_version v;
	const char *cpe[3];
	int first = 0, k, ncpe = 0;

	svd_render_version(&v, &m->tmpl, &subj);
	fprintf(out, ",\"line\":%u,\"soft\":%s,\"service\":", m->line,
		m->soft ? "true" : "false");
	json_cstring(out, m->service);
	json_field(out, "product", v.product, &first);
	json_field(out, "version", v.version, &first);
	json_field(out, "info", v.info, &first);
	json_field(out, "hostname", v.hostname, &first);
	json_field(out, "ostype", v.ostype, &first);
	json_field(out, "devicetype", v.devtype, &first);
	if (*v.cpe_a)
		cpe[ncpe++] = v.cpe_a;
	if (*v.cpe_h)
		cpe[ncpe++] = v.cpe_h;
	if (*v.cpe_o)
		cpe[ncpe++] = v.cpe_o;
	if (ncpe) {
		fputs(",\"cpe\":[", out);
		for (k = 0; k < ncpe; k++) {
			if (k)
				fputc(',', out);
			json_cstring(out, cpe[k]);
		}
		fputc(']', out);
	}
}

int match_cli(const struct svd_sigdb *db, int argc, char **argv, bool trace)
{
	struct svd_matcher mt;
	int probe, i, status = 0;

	if (argc < 2) {
		fprintf(stderr, "svdetect: usage: --match PROBE FILE...\n");
		return EXIT_USAGE;
	}
	probe = parse_probe(db, argv[0]);
	if (probe < 0) {
		fprintf(stderr, "svdetect: no probe '%s' in the %s signatures\n", argv[0], db->name);
		return EXIT_USAGE;
	}
	if (!svd_matcher_init(&mt, db)) {
		fprintf(stderr, "svdetect: out of memory\n");
		return EXIT_TROUBLE;
	}
	for (i = 1; i < argc; i++) {
		const struct svd_probe *p = &db->probes[probe];
		struct trace_list tl = { stdout, 0 };
		struct svd_result r;
		size_t n = 0;
		unsigned char *s = svd_read_file(argv[i], &n);

		if (!s) {
			fprintf(stderr, "svdetect: %s: %s\n", argv[i], strerror(errno));
			status = EXIT_TROUBLE;
			continue;
		}
		fputs("{\"file\":", stdout);
		json_cstring(stdout, argv[i]);
		fprintf(stdout, ",\"probe\":\"%s:", p->proto == SVD_TCP ? "TCP" : "UDP");
		json_string_body(stdout, p->name, strlen(p->name));
		fputc('"', stdout);
		if (trace)
			fputs(",\"tried\":[", stdout);
		svd_match_response(&mt, (unsigned)probe, s, n, &r, trace ? print_tried : NULL, &tl);
		if (trace)
			fputc(']', stdout);
		if (r.match)
			print_result(stdout, r.match, s, n, &r);
		else
			fputs(",\"match\":null", stdout);
		fputs("}\n", stdout);
		free(s);
	}
	svd_matcher_free(&mt);
	if (fflush(stdout) != 0) {
		perror("svdetect: stdout");
		status = EXIT_TROUBLE;
	}
	return status;
}
