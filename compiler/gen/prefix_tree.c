#include "prefix_tree.h"

#include <string.h>

#include "filter.h"

enum {
	TREE_LEAF_MAX = 4,   /* lines a leaf may hold without a try to split */
	TREE_DEPTH_MAX = 24, /* bytes tested on the way to a leaf */
	TREE_GROWTH = 64     /* leaf entries per line of the probe, at most */
};

void tree_init(struct tree_build *t, struct arena *a)
{
	memset(t, 0, sizeof *t);
	t->a = a;
	intern_init(&t->maps, a);
}

static bool allows(const struct tree_line *l, unsigned d, unsigned c)
{
	return d >= l->nprefix || rx_set_has(&l->prefix[d], c);
}

/* Whether line l allows every byte at d. */
static bool free_at(const struct tree_line *l, unsigned d)
{
	const uint64_t *w = l->prefix[d].w;

	return d >= l->nprefix || (w[0] & w[1] & w[2] & w[3]) == ~0ull;
}

/*
 * How lines fall apart on the byte at offset d: the mean number left over
 * the bytes lines expect (each byte weighted by the lines that allow it),
 * sq / total; then the most lines one byte leaves.
 */
struct split_cost {
	size_t worst;
	uint64_t sq, total;
};

static bool cheaper(const struct split_cost *a, const struct split_cost *b)
{
	uint64_t x = a->sq * b->total, y = b->sq * a->total;

	if (x != y)
		return x < y;
	return a->worst < b->worst;
}

/*
 * How many of lines l[0..n) allow each byte at offset d: cnt[c] + *all.
 * A set adds its bytes, or where it holds most bytes counts for all and
 * takes away the ones it lacks.  False when no line tests d.
 */
static bool count_allowing(const struct tree_line *const *l, size_t n, unsigned d,
			   int32_t cnt[256], size_t *all)
{
	bool tested = false;
	size_t i;

	memset(cnt, 0, 256 * sizeof *cnt);
	*all = 0;
	for (i = 0; i < n; i++) {
		const struct rx_set *set = &l[i]->prefix[d];
		bool many;

		if (free_at(l[i], d)) {
			++*all;
			continue;
		}
		tested = true;
		many = rx_set_count(set) > 128;
		*all += many;
		for (unsigned w = 0; w < 4; w++)
			for (uint64_t bits = many ? ~set->w[w] : set->w[w]; bits; bits &= bits - 1)
				cnt[64 * w + (unsigned)__builtin_ctzll(bits)] += many ? -1 : 1;
	}
	return tested;
}

/* False when no line tests offset d. */
static bool split_cost(const struct tree_line *const *l, size_t n, unsigned d,
		       struct split_cost *s)
{
	int32_t cnt[256];
	size_t all;
	unsigned c;

	if (!count_allowing(l, n, d, cnt, &all))
		return false;
	memset(s, 0, sizeof *s);
	for (c = 0; c < 256; c++) {
		uint64_t k = (uint64_t)((int64_t)all + cnt[c]);

		if (k > s->worst)
			s->worst = k;
		s->sq += k * k;
		s->total += k;
	}
	return true;
}

/*
 * The offset to test, or -1 when none leaves every byte fewer lines: the
 * one that leaves the fewest on average, or in_order, the first.
 */
static int pick_offset(const struct tree_line *const *l, size_t n, uint64_t used,
		       bool in_order)
{
	struct split_cost best = { 0, 0, 0 }, s;
	unsigned d, end = 0;
	int pick = -1;
	size_t i;

	for (i = 0; i < n; i++)
		if (l[i]->nprefix > end)
			end = l[i]->nprefix;
	for (d = 0; d < end; d++)
		if (!(used >> d & 1) && split_cost(l, n, d, &s) && s.worst < n &&
		    (pick < 0 || cheaper(&s, &best))) {
			if (in_order)
				return (int)d;
			best = s;
			pick = (int)d;
		}
	return pick;
}

static uint32_t new_node(struct tree_build *t)
{
	t->nodes = arena_grow(t->a, t->nodes, sizeof *t->nodes, &t->cap_nodes, t->nnodes + 1);
	memset(&t->nodes[t->nnodes], 0, sizeof *t->nodes);
	return (uint32_t)t->nnodes++;
}

/* Lines allowing c at d, as a hash: bytes with equal sets share a kid. */
static uint64_t lines_hash(const struct tree_line *const *l, size_t n, unsigned d, unsigned c)
{
	uint64_t h = 1469598103934665603u;
	size_t i;

	for (i = 0; i < n; i++)
		if (allows(l[i], d, c))
			h = (h ^ i) * 1099511628211u;
	return h;
}

static bool same_lines(const struct tree_line *const *l, size_t n, unsigned d,
		       unsigned c, unsigned e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (allows(l[i], d, c) != allows(l[i], d, e))
			return false;
	return true;
}

/* A leaf that may still be split. */
struct open_leaf {
	uint32_t node;
	const struct tree_line **l;
	size_t n;
	uint64_t used; /* offsets tested on its path */
	unsigned depth;
};

/* Max-heap of open leaves: the most lines first, then the oldest node. */
static bool before(const struct open_leaf *a, const struct open_leaf *b)
{
	return a->n != b->n ? a->n > b->n : a->node < b->node;
}

static void heap_push(struct open_leaf *h, size_t *n, struct open_leaf x)
{
	size_t i = (*n)++;

	while (i > 0 && before(&x, &h[(i - 1) / 2])) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = x;
}

static struct open_leaf heap_pop(struct open_leaf *h, size_t *n)
{
	struct open_leaf top = h[0], x = h[--*n];
	size_t i = 0, k;

	while ((k = 2 * i + 1) < *n) {
		if (k + 1 < *n && before(&h[k + 1], &h[k]))
			k++;
		if (!before(&h[k], &x))
			break;
		h[i] = h[k];
		i = k;
	}
	h[i] = x;
	return top;
}

/*
 * Splits leaf o on offset d into the node's kids, pushing them as open
 * leaves.  False (o stays a leaf) when the copies of lines that allow
 * many bytes would exceed the probe's budget.
 */
static bool split(struct tree_build *t, const struct open_leaf *o, unsigned d,
		  struct open_leaf *heap, size_t *nheap)
{
	unsigned char map[256];
	unsigned rep[256], nkid = 0, c, k;
	uint64_t hash[256];
	size_t sizes = 0, i;
	struct svd_tree_node *node;

	for (c = 0; c < 256; c++) {
		hash[c] = lines_hash(o->l, o->n, d, c);
		for (k = 0; k < nkid; k++)
			if (hash[rep[k]] == hash[c] && same_lines(o->l, o->n, d, c, rep[k]))
				break;
		if (k == nkid)
			rep[nkid++] = c;
		map[c] = (unsigned char)k;
	}
	for (k = 0; k < nkid; k++)
		for (i = 0; i < o->n; i++)
			sizes += allows(o->l[i], d, rep[k]);
	if (sizes > o->n + t->budget)
		return false;
	t->budget -= sizes > o->n ? sizes - o->n : 0;

	node = &t->nodes[o->node];
	node->leaf = 0;
	/* The kids are the next nkid nodes: no node is made in between. */
	node->first = (uint32_t)t->nnodes;
	node->count = nkid;
	node->offset = (uint8_t)d;
	node->map = intern_add(&t->maps, map, sizeof map, &(int){ 0 });
	for (k = 0; k < nkid; k++) {
		struct open_leaf kid = { 0, NULL, 0, o->used | 1ull << d, o->depth + 1 };

		kid.l = arena_alloc(t->a, (o->n + 1) * sizeof *kid.l);
		for (i = 0; i < o->n; i++)
			if (allows(o->l[i], d, rep[k]))
				kid.l[kid.n++] = o->l[i];
		kid.node = new_node(t);
		heap_push(heap, nheap, kid);
	}
	return true;
}

/*
 * The lines of o that one response can leave in every leaf below o, at
 * least: those that allow, at each offset not tested on o's path, the
 * byte the most lines allow there.  (After "220 ", the hundreds of lines
 * `^220 ([-.\w]+) ...` all stay whatever follows.)
 */
static size_t crowd(const struct open_leaf *o)
{
	unsigned char common[FILTER_PREFIX_MAX];
	unsigned d, c, end = 0;
	size_t i, count = 0;

	for (i = 0; i < o->n; i++)
		if (o->l[i]->nprefix > end)
			end = o->l[i]->nprefix;
	for (d = 0; d < end; d++) {
		int32_t cnt[256];
		size_t all;

		if (o->used >> d & 1)
			continue;
		count_allowing(o->l, o->n, d, cnt, &all);
		for (common[d] = 0, c = 1; c < 256; c++)
			if (cnt[c] > cnt[common[d]])
				common[d] = (unsigned char)c;
	}
	for (i = 0; i < o->n; i++) {
		for (d = 0; d < o->l[i]->nprefix; d++)
			if (!(o->used >> d & 1) && !allows(o->l[i], d, common[d]))
				break;
		count += d == o->l[i]->nprefix;
	}
	return count;
}

/* Whether most of o's lines, and more than list_max, stay together for
 * some response: splitting o further would only copy them. */
static bool crowded(const struct open_leaf *o, size_t list_max)
{
	size_t c;

	if (list_max == SIZE_MAX || o->n <= list_max)
		return false;
	c = crowd(o);
	return c > list_max && 2 * c > o->n;
}

/*
 * Best first: the largest leaf is split while the budget lasts, so that
 * it goes where the most candidates are, not to whichever subtree a
 * depth-first walk reaches first.  A leaf that will keep more than
 * list_max lines for some response whatever is tested below it is not
 * split.
 */
static uint32_t build(struct tree_build *t, const struct tree_line **l, size_t n,
		      size_t list_max, bool in_order)
{
	struct open_leaf *heap = NULL, o;
	const struct tree_line ***lines = NULL;
	size_t cap_heap = 0, cap_lines = 0, nheap = 0, first = t->nnodes, i;
	uint32_t root = new_node(t);
	int d;

	heap = arena_grow(t->a, heap, sizeof *heap, &cap_heap, 1);
	heap_push(heap, &nheap, (struct open_leaf){ root, l, n, 0, 0 });
	while (nheap) {
		o = heap_pop(heap, &nheap);
		lines = arena_grow(t->a, lines, sizeof *lines, &cap_lines, o.node - first + 1);
		lines[o.node - first] = o.l;
		t->nodes[o.node].leaf = 1;
		t->nodes[o.node].count = (uint32_t)o.n;
		if (o.n <= TREE_LEAF_MAX || o.depth == TREE_DEPTH_MAX || crowded(&o, list_max) ||
		    (d = pick_offset(o.l, o.n, o.used, in_order)) < 0)
			continue;
		heap = arena_grow(t->a, heap, sizeof *heap, &cap_heap, nheap + 256);
		split(t, &o, (unsigned)d, heap, &nheap);
	}
	/* Leaves list their lines in node order. */
	for (i = first; i < t->nnodes; i++) {
		struct svd_tree_node *leaf = &t->nodes[i];
		uint32_t k;

		if (!leaf->leaf)
			continue;
		leaf->first = (uint32_t)t->nlines;
		if (leaf->count > list_max) {
			leaf->count = SVD_TREE_SCAN;
			continue;
		}
		t->lines = arena_grow(t->a, t->lines, sizeof *t->lines, &t->cap_lines,
				      t->nlines + leaf->count);
		for (k = 0; k < leaf->count; k++)
			t->lines[t->nlines++] = lines[i - first][k]->id;
	}
	return root;
}

uint32_t tree_add(struct tree_build *t, const struct tree_line *lines, size_t n,
		  size_t list_max)
{
	/* Lines listed only in small leaves test runs from the first byte
	 * on: a trie over them copies few. */
	bool in_order = list_max != SIZE_MAX;
	const struct tree_line **l = arena_alloc(t->a, (n + 1) * sizeof *l);
	size_t i;

	for (i = 0; i < n; i++)
		l[i] = &lines[i];
	t->budget = TREE_GROWTH * n;
	return build(t, l, n, list_max, in_order);
}

const uint8_t (*tree_maps(const struct tree_build *t))[256]
{
	uint8_t (*maps)[256] = arena_alloc(t->a, (t->maps.n + 1) * sizeof *maps);
	size_t i;

	for (i = 0; i < t->maps.n; i++)
		memcpy(maps[i], t->maps.key[i].p, sizeof maps[i]);
	return (const uint8_t (*)[256])maps;
}
