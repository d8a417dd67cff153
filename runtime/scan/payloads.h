/*
 * What the UDP port scan sends to a port to make its service answer, as
 * Nmap does (docs/scanner.md, "UDP"): every payload of the port at once,
 * or one empty datagram for a port that has none.  Nmap 7.93 reads them
 * from nmap-payloads; 7.94 and later from the probe file, each UDP probe
 * not marked no-payload being a payload of the ports its `ports` lists,
 * whose replies version detection then matches as the "port scan" probe.
 */
#ifndef SVD_PAYLOADS_H
#define SVD_PAYLOADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sigdb.h"

#define SVD_PAYLOADS_PATH "/usr/share/nmap/nmap-payloads"

/* Nmap's limits: payloads per port, and a token of the file. */
enum { SVD_PAYLOADS_PER_PORT = 255, SVD_PAYLOAD_TOKEN_MAX = 1024 };

struct svd_payload {
	const unsigned char *data;
	uint32_t len;
	int probe;                 /* the probe it is (from a probe file), else -1 */
};

/* The payloads of every port that has any, by port. */
struct svd_payloads {
	struct svd_payload_port {
		uint16_t port;
		uint16_t n;            /* its payloads: list[first .. first + n) */
		uint32_t first;
	} *ports;
	size_t nports;
	struct svd_payload *list;
	unsigned char *bytes;      /* what a file's payloads point into */
	bool from_probes;          /* the 7.94+ model: replies match as "port scan" */
};

/*
 * Whether db is of the 7.94+ model, its UDP probes being the payloads:
 * Nmap's files of that model mark some probe no-payload (Sqlping), and
 * 7.93's has no such flag; a file of our own that uses the flag is of
 * that model too.
 */
bool svd_payloads_in_probes(const struct svd_sigdb *db);

/* pl from db's UDP probes that are not no-payload, in file order.
 * Returns 0, or -1 (out of memory). */
int svd_payloads_from_probes(struct svd_payloads *pl, const struct svd_sigdb *db);

/*
 * pl from a file in nmap-payloads' format: `udp PORTS "string" ...` with
 * Nmap's C escapes, strings on following lines joined, anything else
 * after them (`source 500`) skipped, # comments.  A file that cannot be
 * read gives no payloads (as Nmap disables them).  Entries Nmap's parser
 * refuses are skipped, or end the reading, as in Nmap; err then says
 * which line (else it is ""), and what came before is kept.  Returns 0,
 * or -1 (out of memory; err says so).
 */
int svd_payloads_from_file(struct svd_payloads *pl, const char *path, char *err, size_t errlen);

/* The payloads of port (none: n 0), in the order of the file. */
const struct svd_payload *svd_payloads_of(const struct svd_payloads *pl, uint16_t port,
					  size_t *n);

void svd_payloads_free(struct svd_payloads *pl);

#endif
