/*
 * The SunRPC programs the grinder (rpc_grind.h) tries, in order: Nmap's
 * nmap-rpc, read once per run.  A line is a name and a program number
 * ("rpcbind  100000  portmap sunrpc  # portmapper"); what follows the
 * number is ignored, as are lines of another form (comments, blanks), as
 * Nmap's rpc-grind reads the file.  File order is kept: Nmap tries the
 * programs in that order and names a port by the first that answers.
 */
#ifndef SVD_RPC_PROGRAMS_H
#define SVD_RPC_PROGRAMS_H

#include <stddef.h>
#include <stdint.h>

#define SVD_RPC_PATH "/usr/share/nmap/nmap-rpc"

/*
 * Bounds: a port is sent at most one call per program kept (Nmap 7.93's
 * file has 1,695 programs, 1,694 numbers), and a file's length bounds its
 * load.  A name longer than SVD_RPC_NAME_MAX, or with bytes that are not
 * printable ASCII, makes its line ignored (Nmap's longest is 24 bytes).
 */
enum {
	SVD_RPC_PROGRAMS_MAX = 4096,
	SVD_RPC_NAME_MAX = 63,
	SVD_RPC_LINES_MAX = 65536
};

struct svd_rpc_program {
	uint32_t number;
	char name[SVD_RPC_NAME_MAX + 1];
};

struct svd_rpc_programs {
	struct svd_rpc_program *v;  /* file order; each number once (its first line) */
	size_t n;
	size_t dropped;             /* program lines past SVD_RPC_PROGRAMS_MAX, not kept */
};

/*
 * Loads the file at path into t.  Returns 0, or -1 with errno set when
 * it cannot be read or memory runs out (t is then empty).  A file with
 * no program is no error: t->n is 0 and no port is ground.
 */
int svd_rpc_programs_load(struct svd_rpc_programs *t, const char *path);
void svd_rpc_programs_free(struct svd_rpc_programs *t);

#endif
