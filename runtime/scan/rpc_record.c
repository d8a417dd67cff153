#include "rpc_record.h"

#include <string.h>

void svd_rpc_record_init(struct svd_rpc_record *r)
{
	memset(r, 0, sizeof *r);
}

/*
 * Each pass of the loop takes a byte, or ends a fragment whose bytes are
 * all in (at most once per header, and headers are bounded), or returns.
 */
enum svd_rpc_take svd_rpc_record_take(struct svd_rpc_record *r, const uint8_t *data,
				      size_t len, size_t *used)
{
	size_t i = 0;

	if (r->whole)
		svd_rpc_record_init(r);
	for (;;) {
		uint32_t mark;

		if (r->in_fragment) {
			size_t n = r->left < len - i ? r->left : len - i;

			memcpy(r->msg + r->len, data + i, n);
			r->len += n;
			r->left -= (uint32_t)n;
			i += n;
			if (r->left)
				break; /* every byte given is used */
			r->in_fragment = false;
			if (r->last) {
				r->whole = true;
				*used = i;
				return SVD_RPC_WHOLE;
			}
			continue;
		}
		if (i == len)
			break;
		r->mark[r->nmark++] = data[i++];
		if (r->nmark < SVD_RPC_MARK_LEN)
			continue;
		r->nmark = 0;
		mark = (uint32_t)r->mark[0] << 24 | (uint32_t)r->mark[1] << 16 |
		       (uint32_t)r->mark[2] << 8 | r->mark[3];
		r->last = mark >> 31;
		r->left = mark & 0x7fffffffu;
		/* Refused at the header: none of the fragment is read. */
		if (++r->fragments > SVD_RPC_FRAGMENTS_MAX || r->left > SVD_RPC_RECORD_MAX - r->len) {
			*used = i;
			return SVD_RPC_BAD;
		}
		r->in_fragment = true;
	}
	*used = i;
	return SVD_RPC_MORE;
}

void svd_rpc_record_mark(uint8_t mark[SVD_RPC_MARK_LEN], uint32_t len)
{
	uint32_t m = 0x80000000u | len;

	mark[0] = (uint8_t)(m >> 24);
	mark[1] = (uint8_t)(m >> 16);
	mark[2] = (uint8_t)(m >> 8);
	mark[3] = (uint8_t)m;
}
