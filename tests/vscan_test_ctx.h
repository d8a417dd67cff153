/*
 * vscan.c as check_vscan and check_rpc_grind drive it: with no network
 * (tests/fake_conn.h's scripted peers) on a test clock, with the test's
 * own probe file, so that the same context is set up the same way in both.
 */
#ifndef SVD_VSCAN_TEST_CTX_H
#define SVD_VSCAN_TEST_CTX_H

#include <stdint.h>

#include "fake_conn.h"
#include "vscan.h"

/* tests/data/vscan.probes, compiled by the build's svdc (Makefile.am,
 * VSCAN_TEST_DB). */
extern const struct svd_sigdb svd_sigdb_vtest;

/*
 * c zeroed, then: a loop of its own whose time is *clock, plain and UDP
 * connections to net's scripted peers, svd_sigdb_vtest's matchers,
 * intensity 7, no probing ahead, no TLS, no grinding.
 */
void vscan_test_ctx_init(struct svd_vscan_ctx *c, uint64_t *clock, struct fake_net *net);

/* Frees what vscan_test_ctx_init made (the loop, the matchers). */
void vscan_test_ctx_free(struct svd_vscan_ctx *c);

#endif
