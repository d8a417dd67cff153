/*
 * Target specifications as Nmap reads them: IPv4/IPv6 addresses, host
 * names, CIDR blocks (10.0.0.0/30, ::1/128), octet ranges and lists
 * (127.0.0.1-5, 127.0.0-1.1,3, 127.0.0.*), and files of them (-iL FILE,
 * - = stdin).  The list keeps each spec parsed, not expanded: a cursor
 * produces the addresses one at a time in the order given; within one
 * spec in Nmap's order (ascending, the last octet fastest; each octet's
 * values deduplicated).  So a /16 costs one spec's memory, not 65,536
 * addresses'.  A host name stands for its first address, as in Nmap
 * without --resolve-all.  An address the exclusion list holds is skipped
 * as the cursor reaches it (never produced).
 */
#ifndef SVD_TARGETS_H
#define SVD_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "exclude.h"

struct svd_target {
	struct sockaddr_storage addr; /* port 0 */
	socklen_t addrlen;
	const char *name;             /* the host name as given (the list's), or NULL */
};

/* One spec as the cursor walks it. */
struct svd_target_range {
	uint64_t (*octets)[4];        /* an octet spec's fields (svd_spec's), else NULL */
	struct sockaddr_storage first; /* a block's first address (host bits cleared) */
	uint32_t named;               /* a block's index of the address name stands for */
	uint32_t count;               /* its addresses, excluded ones included */
	char *name;                   /* the host name as given, or NULL */
};

struct svd_targets {
	struct svd_target_range *v;
	size_t n, cap;
	int family;   /* AF_INET, or AF_INET6 with -6 */
	bool no_dns;  /* -n: no reverse lookups; names given are still resolved */
	uint64_t count; /* the addresses of every spec, excluded ones included */
	/* Addresses never to produce (sealed), or NULL. */
	const struct svd_exclude *exclude;
};

/*
 * One spec stands for at most a /8's addresses: a larger one is more
 * likely a typo (10.0.0.0/1) than meant; several specs are not bounded.
 */
#define SVD_SPEC_ADDRS_MAX (1u << 24)

void svd_targets_init(struct svd_targets *t, int family, bool no_dns);
void svd_targets_free(struct svd_targets *t);

/*
 * Appends one spec (target_spec.h).  Returns 0, or -1 with a one-line
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

/* Where a walk through a target list stands; t must not change meanwhile. */
struct svd_targets_cursor {
	const struct svd_targets *t;
	size_t range;                 /* the spec being walked */
	uint32_t i;                   /* addresses of it produced or skipped */
	unsigned octet[4];            /* an octet spec's last address */
};

void svd_targets_begin(struct svd_targets_cursor *c, const struct svd_targets *t);

/* The next address not excluded into *out; false when there is none. */
bool svd_targets_next(struct svd_targets_cursor *c, struct svd_target *out);

/*
 * How many addresses a walk produces: t->count less the excluded ones.
 * Without exclusions that is known; with them it takes a walk, whose time
 * grows with t->count (some 50 ns an address) but not its memory.
 */
uint64_t svd_targets_count(const struct svd_targets *t);

#endif
