/*
 * Port specifications as Nmap's -p reads them (22,80-90; -100; 60000-;
 * -p-; T:22,U:53; service names and wildcards from nmap-services), the
 * default port list (Nmap's top 1000 TCP ports by frequency, from
 * nmap-services when present, else our own list), and the services table
 * that names a port when no probe identified it (Nmap's method="table").
 */
#ifndef SVD_PORTS_H
#define SVD_PORTS_H

#include <stddef.h>
#include <stdint.h>

#include "sigdb.h"

#define SVD_SERVICES_PATH "/usr/share/nmap/nmap-services"

/* Ports to scan, ascending and without duplicates per protocol. */
struct svd_portlist {
	uint16_t *tcp, *udp;
	size_t ntcp, nudp;
};

/* One nmap-services entry. */
struct svd_service_entry {
	char *name;
	uint16_t port;
	uint8_t proto;   /* enum svd_proto */
	double freq;     /* open frequency */
};

struct svd_services {
	struct svd_service_entry *v;
	size_t n;
	/* lookup index, private to ports.c */
	uint32_t *by_port[2];
};

/*
 * Loads nmap-services from path (its tcp and udp lines); if it cannot be
 * read or has none, loads the built-in table: some 150 TCP and 25 UDP
 * well-known ports, in a frequency order of our own, so that the default
 * list is those ports.  Returns 0, or -1 (out of memory).
 */
int svd_services_load(struct svd_services *s, const char *path);
void svd_services_free(struct svd_services *s);

/* The table's name for the port ("ssh"), or NULL. */
const char *svd_service_name(const struct svd_services *s, unsigned proto, unsigned port);

/* The protocols a scan asks for (-sT, -sU), as a set of bits. */
enum { SVD_SCAN_TCP = 1 << SVD_TCP, SVD_SCAN_UDP = 1 << SVD_UDP };

/*
 * Parses an Nmap -p spec into pl (which it overwrites): 22,80-90; -100
 * (1-100); 60000- (to 65535); - (1-65535); T:/U: prefixes that hold until
 * the next; names and wildcards (http, http*) of the table's entries for
 * the protocol; [1-1024] (only the ports the table names).  Ports without
 * a T:/U: prefix are ports of every protocol in protos (SVD_SCAN_TCP,
 * SVD_SCAN_UDP), as in Nmap; a prefix names its protocol whether or not
 * it is scanned (the caller decides).  Port 0 only when written out; S:
 * (SCTP) is an error.  Returns 0, or -1 with a one-line message in err.
 */
int svd_ports_parse(struct svd_portlist *pl, const char *spec, unsigned protos,
		    const struct svd_services *s, char *err, size_t errlen);

/*
 * Fills pl (overwriting it) with the n most frequent ports of the table
 * of each protocol in protos (Nmap's --top-ports n: n TCP and n UDP
 * ports with -sT -sU).  Like Nmap's, ties go to the lower port; port 0
 * is never among them.  Returns 0, or -1 (out of memory).
 */
int svd_ports_top(struct svd_portlist *pl, const struct svd_services *s, size_t n,
		  unsigned protos);

/*
 * Keeps only the n most frequent ports of pl per protocol, of those the
 * table knows (Nmap's -p SPEC with --top-ports n).  Returns 0, or -1.
 */
int svd_ports_top_of(struct svd_portlist *pl, const struct svd_services *s, size_t n);

void svd_portlist_free(struct svd_portlist *pl);

/* The list in Nmap's scaninfo form, "21-23,80" (malloc'd; "" if n is 0). */
char *svd_ports_format(const uint16_t *ports, size_t n);

#endif
