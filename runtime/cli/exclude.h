/*
 * What the user excluded (--exclude, --excludefile), as Nmap takes it:
 * addresses, CIDR blocks, IPv4 octet ranges and host names (every
 * address of a name is excluded).  Kept as specs, never expanded: the
 * target list asks svd_exclude_has() of each address as it is produced,
 * so that an excluded address is never scanned, looked up or reported.
 */
#ifndef SVD_EXCLUDE_H
#define SVD_EXCLUDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#include "target_spec.h"

/* An interval of addresses, as big-endian bytes (IPv4 in the first 4). */
struct svd_addr_range {
	unsigned char lo[16], hi[16];
};

struct svd_exclude {
	int family;                      /* AF_INET or AF_INET6, as the targets */
	struct svd_addr_range *ranges;   /* addresses, blocks and names' addresses */
	size_t nranges, cap;
	struct svd_spec *octets;         /* IPv4 octet specs */
	size_t noctets;
	bool sealed;                     /* ranges sorted and merged: ready to ask */
};

void svd_exclude_init(struct svd_exclude *x, int family);
void svd_exclude_free(struct svd_exclude *x);

/*
 * --exclude LIST: comma-separated specs (so an octet list such as
 * 127.0.0.1,3 is two specs, as in Nmap).  Returns 0, or -1 with a
 * one-line message in err.
 */
int svd_exclude_add_list(struct svd_exclude *x, const char *list, char *err, size_t errlen);

/* --excludefile: whitespace-separated specs, '#' comments (as -iL). */
int svd_exclude_add_file(struct svd_exclude *x, FILE *f, const char *fname,
			 char *err, size_t errlen);

/* Ends adding: sorts and merges the ranges. */
void svd_exclude_seal(struct svd_exclude *x);

/* Whether the address of sa (family x->family) is excluded; x sealed. */
bool svd_exclude_has(const struct svd_exclude *x, const struct sockaddr *sa);

#endif
