/* vscan.c's context for the unit tests (vscan_test_ctx.h). */
#include "vscan_test_ctx.h"

#include <check.h>
#include <string.h>

#include "ev.h"

void vscan_test_ctx_init(struct svd_vscan_ctx *c, uint64_t *clock, struct fake_net *net)
{
	memset(c, 0, sizeof *c);
	c->loop = ev_new(16);
	ck_assert_ptr_nonnull(c->loop);
	ev_set_test_clock(c->loop, clock);
	c->transport = &fake_transport;
	c->udp_transport = &fake_udp_transport;
	c->transport_ctx = net;
	c->db = &svd_sigdb_vtest;
	ck_assert(svd_matcher_init(&c->mt, c->db));
	c->intensity = 7;
	c->platform = "test";
}

void vscan_test_ctx_free(struct svd_vscan_ctx *c)
{
	svd_matcher_free(&c->mt);
	ev_free(c->loop);
}
