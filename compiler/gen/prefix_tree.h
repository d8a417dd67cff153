/*
 * The decision tree that narrows a probe's literal-less match lines by the
 * first bytes of a response (struct svd_tree_node, runtime/match/sigdb.h).
 *
 * Lines without a literal to search for are nearly all anchored, and what
 * tells them apart is their first bytes: the 223 such lines of Nmap's
 * GetRequest probe all start with 'H', and differ at "HTTP/1.[01] \d\d\d".
 * Each split tests the offset that leaves the fewest lines on average over
 * the bytes lines expect, and the largest leaf is split first while the
 * probe's budget of copies lasts (a line that allows many bytes at an
 * offset is copied into many kids).
 */
#ifndef SVD_PREFIX_TREE_H
#define SVD_PREFIX_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "intern.h"
#include "regex.h"
#include "sigdb.h"

/* A line as the tree sees it: byte i of a match is in prefix[i] for
 * i < nprefix; any byte may stand at later offsets. */
struct tree_line {
	uint32_t id;
	unsigned nprefix;
	const struct rx_set *prefix;
};

/* The trees of every probe of a signature set, in shared arrays. */
struct tree_build {
	struct arena *a;
	struct svd_tree_node *nodes;
	uint32_t *lines;
	size_t nnodes, nlines, cap_nodes, cap_lines;
	struct intern maps; /* 256-byte maps from a byte to a kid */
	size_t budget;      /* of the probe being built: leaf entries left */
};

void tree_init(struct tree_build *t, struct arena *a);

/*
 * Builds a tree of lines[0..n) (ids ascending) and returns its root.  A
 * line that tests no byte (nprefix 0) is in every leaf, so lines that
 * all test none make one leaf.  A leaf with more than list_max lines
 * lists none and says SVD_TREE_SCAN.
 */
uint32_t tree_add(struct tree_build *t, const struct tree_line *lines, size_t n,
		  size_t list_max);

/* The nodes' maps, in the order of their numbers (svd_sigdb.tree_maps). */
const uint8_t (*tree_maps(const struct tree_build *t))[256];

#endif
