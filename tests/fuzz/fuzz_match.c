/*
 * libFuzzer target for the compiled matchers: every probe's chain on the
 * input, and the winner's templates rendered, under ASan and UBSan.  The
 * input buffer is exactly the input's size (libFuzzer allocates it so),
 * so any read past the response is caught.  Built against our own set
 * (quick) or Nmap's (FUZZ_SET=nmap) by tests/fuzz/run-match.sh.
 */
#include <stdint.h>
#include <stdlib.h>

#include "match.h"

#ifdef FUZZ_SET_NMAP
extern const struct svd_sigdb svd_sigdb_nmap;
#define FUZZ_SET svd_sigdb_nmap
#else
extern const struct svd_sigdb svd_sigdb_own;
#define FUZZ_SET svd_sigdb_own
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct svd_matcher mt;
	static int ready;
	uint32_t p;

	if (!ready) {
		if (!svd_matcher_init(&mt, &FUZZ_SET))
			abort();
		ready = 1;
	}
	for (p = 0; p < FUZZ_SET.nprobes; p++) {
		struct svd_result r;
		struct svd_version v;

		if (svd_match_response(&mt, p, data, size, &r, NULL, NULL)) {
			struct svd_subject s = { data, size, r.ovec, r.nmatch };

			svd_render_version(&v, &r.match->tmpl, &s);
		}
	}
	return 0;
}
