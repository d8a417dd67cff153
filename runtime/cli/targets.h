/*
 * Target specifications as Nmap reads them: IPv4/IPv6 addresses, host
 * names, CIDR blocks (10.0.0.0/30, ::1/128), octet ranges and lists
 * (127.0.0.1-5, 127.0.0-1.1,3, 127.0.0.*), and files of them (-iL FILE,
 * - = stdin).  Everything is expanded into a list of addresses in the
 * order given; within one spec in Nmap's order (ascending, the last octet
 * fastest; each octet's values deduplicated).  A host name stands for its
 * first address, as in Nmap without --resolve-all.  An address the
 * exclusion list holds is dropped as it is produced (never listed).
 */
#ifndef SVD_TARGETS_H
#define SVD_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#include "exclude.h"

struct svd_target {
	struct sockaddr_storage addr; /* port 0 */
	socklen_t addrlen;
	char *name;                   /* the host name as given, or NULL */
};

struct svd_targets {
	struct svd_target *v;
	size_t n, cap;
	int family;   /* AF_INET, or AF_INET6 with -6 */
	bool no_dns;  /* -n: no reverse lookups; names given are still resolved */
	size_t max;   /* more addresses than this in all are an error */
	/* Addresses not to list (sealed), or NULL; and how many were dropped. */
	const struct svd_exclude *exclude;
	size_t excluded;
};

/* The default of max: a /12, some 150 MB of targets. */
#define SVD_TARGETS_MAX (1u << 20)

void svd_targets_init(struct svd_targets *t, int family, bool no_dns);
void svd_targets_free(struct svd_targets *t);

/*
 * Appends the addresses of one spec (target_spec.h), less the excluded
 * ones; max counts them all.  Returns 0, or -1 with a one-line
 * message (no trailing newline) in err, e.g. "bad target '10.0.0.0/33':
 * prefix length must be 0-32".
 */
int svd_targets_add(struct svd_targets *t, const char *spec, char *err, size_t errlen);

/*
 * Appends every whitespace-separated spec of f ('#' starts a comment);
 * errors name fname and the line.  Bounded as svd_spec_file_each() says:
 * input such as /dev/zero fails at once.
 */
int svd_targets_add_file(struct svd_targets *t, FILE *f, const char *fname,
			 char *err, size_t errlen);

#endif
