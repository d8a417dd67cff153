/*
 * The driver of tests/generated-hostile.sh, linked with the C that svdc
 * made of a hostile probe file (--name hostile): lists the probes (name
 * and probe string in hex), then runs svdetect's --match on the rest of
 * the command line (PROBE FILE...), so that the file's intent can be
 * compared with what its generated C does.
 */
#include <stdio.h>

#include "match_cli.h"

extern const struct svd_sigdb svd_sigdb_hostile;

int main(int argc, char **argv)
{
	const struct svd_sigdb *db = &svd_sigdb_hostile;
	unsigned i, k;

	for (i = 0; i < db->nprobes; i++) {
		const struct svd_probe *p = &db->probes[i];

		printf("probe %s %s ", p->proto == SVD_TCP ? "TCP" : "UDP", p->name);
		for (k = 0; k < p->payload_len; k++)
			printf("%02x", p->payload[k]);
		printf("\n");
	}
	return match_cli(db, argc - 1, argv + 1, false);
}
