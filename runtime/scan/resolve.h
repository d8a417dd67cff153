/*
 * Reverse DNS (PTR) lookups on the event loop, through c-ares: its
 * sockets are watched by the loop and its retries run on a loop timer,
 * so a lookup never blocks the scan.  /etc/hosts is read first, then DNS,
 * as getnameinfo(3) does with the usual "files dns" order.
 */
#ifndef SVD_RESOLVE_H
#define SVD_RESOLVE_H

#include <stdint.h>
#include <sys/socket.h>

#include "ev.h"

struct svd_resolver;

/* name: the host's PTR name, or NULL (none, an error, or out of time);
 * only valid during the call. */
typedef void svd_resolved_fn(void *arg, const char *name);

/* NULL after printing why to stderr.  Every lookup ends within
 * timeout_ms, whatever the servers do. */
struct svd_resolver *svd_resolver_new(struct ev_loop *l, uint32_t timeout_ms);

/* Lookups still under way are dropped without calling their fn. */
void svd_resolver_free(struct svd_resolver *r);

/*
 * Looks up the name of sa.  fn(arg, ...) is called exactly once: from
 * the loop, or before this returns when the answer needs no network
 * (/etc/hosts) or the lookup cannot start.
 */
void svd_resolve_name(struct svd_resolver *r, const struct sockaddr *sa, socklen_t len,
		      svd_resolved_fn *fn, void *arg);

#endif
