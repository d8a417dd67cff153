/*
 * ONC RPC record marking (RFC 5531, section 11), the one part of SunRPC
 * that is TCP's: on a stream each message is sent as fragments, each
 * after a 4-byte header (the high bit marks the last fragment, the other
 * 31 bits are the fragment's length).  Over UDP a datagram is a message
 * and none of this applies.
 *
 * The reader takes what a peer sends, in pieces of any size, and puts
 * one message together at a time in a buffer of its own: a message of
 * more than SVD_RPC_RECORD_MAX bytes or of more than
 * SVD_RPC_FRAGMENTS_MAX fragments is refused at the header that would
 * exceed the bound, before any of its bytes is read, so a peer cannot
 * make it read, allocate or loop without limit.
 */
#ifndef SVD_RPC_RECORD_H
#define SVD_RPC_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SVD_RPC_MARK_LEN = 4,
	/* A NULL call's reply is 24 to 432 bytes (a verifier of up to 400). */
	SVD_RPC_RECORD_MAX = 512,
	SVD_RPC_FRAGMENTS_MAX = 8
};

struct svd_rpc_record {
	uint8_t msg[SVD_RPC_RECORD_MAX];
	size_t len;                 /* of msg so far */
	uint8_t mark[SVD_RPC_MARK_LEN];
	size_t nmark;               /* bytes of the next header read so far */
	bool in_fragment;           /* its header read, its bytes coming */
	uint32_t left;              /* ... this many still */
	bool last;                  /* ... and it is the message's last */
	unsigned fragments;         /* headers read for this message */
	bool whole;                 /* msg is complete (the next take starts anew) */
};

/* What svd_rpc_record_take made of the bytes it used. */
enum svd_rpc_take {
	SVD_RPC_MORE,   /* all used; no message complete yet */
	SVD_RPC_WHOLE,  /* r->msg holds a message of r->len bytes; call again for the rest */
	SVD_RPC_BAD     /* over a bound: the stream cannot be read further */
};

void svd_rpc_record_init(struct svd_rpc_record *r);

/*
 * Reads from data[0..len): *used says how many bytes it took (all, for
 * SVD_RPC_MORE).  After SVD_RPC_WHOLE the next call starts a new message.
 */
enum svd_rpc_take svd_rpc_record_take(struct svd_rpc_record *r, const uint8_t *data,
				      size_t len, size_t *used);

/* Writes the header of a message of len bytes sent as one fragment. */
void svd_rpc_record_mark(uint8_t mark[SVD_RPC_MARK_LEN], uint32_t len);

#endif
