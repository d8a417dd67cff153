#include "filter.h"

#include <string.h>

/*
 * The bytes an anchored match can have at each offset below
 * FILTER_PREFIX_MAX, whatever path it takes through the regex: a walk over
 * the IR with the set of offsets a match can have reached (bit o: offset
 * o; the top bit: FILTER_PREFIX_MAX or more).  Zero-width items are
 * skipped and lookaround bodies ignored, which only makes the sets larger:
 * a superset stays sound.
 */
enum { OFFSET_FAR = FILTER_PREFIX_MAX }; /* the saturated offset */

struct prefix_walk {
	struct rx_set set[FILTER_PREFIX_MAX];
};

static uint64_t walk_prefix(const struct rx_node *n, uint64_t in, struct prefix_walk *w);

/* Everything from the lowest offset in `in` on: any byte, any offset. */
static uint64_t anything_from(uint64_t in, struct prefix_walk *w)
{
	unsigned o;

	if (!in)
		return 0;
	for (o = (unsigned)__builtin_ctzll(in); o < FILTER_PREFIX_MAX; o++)
		memset(&w->set[o], 0xff, sizeof w->set[o]);
	return ~0ull << __builtin_ctzll(in);
}

/* in << k, offsets past the last tested one staying at OFFSET_FAR. */
static uint64_t advance(uint64_t in, unsigned k)
{
	uint64_t far = 1ull << OFFSET_FAR;

	if (k >= OFFSET_FAR)
		return in ? far : 0;
	return (in << k) | ((in >> (OFFSET_FAR - k)) ? far : 0);
}

/* Adds set to the byte sets of every offset in `at`. */
static void add_bytes(uint64_t at, const struct rx_set *set, struct prefix_walk *w)
{
	for (at &= ~(1ull << OFFSET_FAR); at; at &= at - 1)
		rx_set_union(&w->set[__builtin_ctzll(at)], set);
}

static uint64_t walk_set(const struct rx_set *set, uint64_t in, struct prefix_walk *w)
{
	add_bytes(in, set, w);
	return advance(in, 1);
}

/*
 * set{min,max}: bytes of set at every offset reached by fewer than max
 * steps from `in`; the walk ends min to max steps on.
 */
static uint64_t walk_set_repeat(const struct rx_node *n, uint64_t in, struct prefix_walk *w)
{
	uint64_t at = 0, out = 0;
	uint32_t k, max = n->max < OFFSET_FAR + 1 ? n->max : OFFSET_FAR + 1;

	for (k = 0; k < max; k++)
		at |= advance(in, k);
	add_bytes(at, &n->kid->set, w);
	for (k = n->min < OFFSET_FAR + 1 ? n->min : OFFSET_FAR + 1; k <= max; k++)
		out |= advance(in, k);
	return out;
}

static uint64_t walk_repeat(const struct rx_node *n, uint64_t in, struct prefix_walk *w)
{
	uint64_t out = n->min == 0 ? in : 0, cur = in, next;
	uint32_t i;

	if (n->kid->kind == RX_SET)
		return walk_set_repeat(n, in, w);
	for (i = 1; i <= n->max || n->max == RX_INF; i++) {
		next = walk_prefix(n->kid, cur, w);
		/* The same offsets again give the same bytes and offsets. */
		if (next == cur) {
			out |= next;
			break;
		}
		if (i >= n->min)
			out |= next;
		cur = next;
		if (i == n->max)
			break;
	}
	return out;
}

static uint64_t walk_prefix(const struct rx_node *n, uint64_t in, struct prefix_walk *w)
{
	uint64_t out = 0;
	size_t i;

	switch (n->kind) {
	case RX_SET:
		return walk_set(&n->set, in, w);
	case RX_CAT:
		for (i = 0; i < n->nkids; i++)
			in = walk_prefix(n->kids[i], in, w);
		return in;
	case RX_ALT:
		for (i = 0; i < n->nkids; i++)
			out |= walk_prefix(n->kids[i], in, w);
		return out;
	case RX_REPEAT:
		return walk_repeat(n, in, w);
	case RX_GROUP:
	case RX_ATOMIC:
		return walk_prefix(n->kid, in, w);
	case RX_BACKREF:
		return anything_from(in, w);
	case RX_EMPTY:
	case RX_LOOK:
	case RX_ASSERT:
		break;
	}
	return in;
}

/*
 * Runs of bytes that every match contains contiguously: single bytes, or
 * both cases of one letter.  The FILTER_RUNS_MAX longest are kept.  In
 * anchored regexes the first FILTER_PREFIX_MAX bytes of the run that
 * starts the match are left out: the prefix sets already test them at
 * their offsets.
 */
struct literal_walk {
	struct rx_literal run;
	bool at_start;      /* still in the run that began at offset 0 */
	unsigned skip;      /* bytes of that run still to leave out */
	struct rx_filter *f;
};

static void end_run(struct literal_walk *w)
{
	struct rx_filter *f = w->f;
	unsigned k = 0, kept;

	/* Kept longest first; when full, the shortest falls off. */
	while (k < f->nruns && f->runs[k].len >= w->run.len)
		k++;
	if (w->run.len && k < FILTER_RUNS_MAX) {
		kept = f->nruns < FILTER_RUNS_MAX ? f->nruns : FILTER_RUNS_MAX - 1;
		memmove(&f->runs[k + 1], &f->runs[k], (kept - k) * sizeof *f->runs);
		f->runs[k] = w->run;
		if (f->nruns < FILTER_RUNS_MAX)
			f->nruns++;
	}
	w->run.len = 0;
	w->at_start = false;
}

static void walk_literal(const struct rx_node *n, struct literal_walk *w)
{
	bool fold;
	int c;
	uint32_t i;

	switch (n->kind) {
	case RX_SET:
		if ((c = rx_set_literal(&n->set, &fold)) < 0) {
			end_run(w);
		} else if (w->at_start && w->skip) {
			w->skip--;
		} else if (w->run.len < FILTER_LITERAL_MAX) {
			w->run.bytes[w->run.len] = (unsigned char)c;
			w->run.caseless[w->run.len++] = fold;
		}
		break;
	case RX_CAT:
		for (i = 0; i < n->nkids; i++)
			walk_literal(n->kids[i], w);
		break;
	case RX_REPEAT:
		if (n->min == 0) {
			end_run(w);
			break;
		}
		/* Further copies matter only while the run keeps growing (or
		 * its skipped start is still being passed). */
		for (i = 0; i < n->min && w->run.len < FILTER_LITERAL_MAX; i++) {
			unsigned before = w->run.len + w->skip;

			walk_literal(n->kid, w);
			if (i > 0 && w->run.len + w->skip == before)
				break;
		}
		if (n->max != n->min)
			end_run(w);
		break;
	case RX_GROUP:
	case RX_ATOMIC:
		walk_literal(n->kid, w);
		break;
	case RX_ASSERT:
	case RX_EMPTY:
		break; /* zero width: the bytes around stay contiguous */
	case RX_ALT:
	case RX_LOOK:
	case RX_BACKREF:
		end_run(w);
		break;
	}
}

unsigned filter_commonness(unsigned c)
{
	static const char very[] = " etaoinsrhldcum\r\n", more[] = ".:/-ETASONRIHCD";
	static const char some[] = ",;=\"()_<>";

	if (c && strchr(very, (int)c))
		return 4;
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c && strchr(more, (int)c)))
		return 3;
	if ((c >= 'A' && c <= 'Z') || (c && strchr(some, (int)c)))
		return 2;
	if (c > ' ' && c < 0x7f)
		return 1;
	return 0;
}

static unsigned pick_need_byte(const struct regex *re)
{
	struct rx_set need;
	unsigned c, best = FILTER_NO_BYTE;

	rx_required_bytes(re->root, &need);
	for (c = 0; c < 256; c++)
		if (rx_set_has(&need, c) && (best == FILTER_NO_BYTE || filter_commonness(c) < filter_commonness(best)))
			best = c;
	return best;
}

void filter_analyze(const struct regex *re, struct rx_filter *f)
{
	struct prefix_walk pw;
	struct literal_walk lw;

	memset(f, 0, sizeof *f);
	f->anchored = rx_anchored(re->root);
	f->min_len = rx_min_length(re->root);
	f->max_subject = UINT32_MAX;
	f->need_byte = pick_need_byte(re);
	if (f->anchored && rx_end_anchor(re->root) != RX_END_NONE) {
		uint32_t most = rx_max_length(re->root);

		/* $ also matches before a final newline. */
		if (most < UINT32_MAX - 1)
			f->max_subject = most + (rx_end_anchor(re->root) == RX_END_OR_NL);
	}
	if (f->anchored) {
		/* Offsets at or past the end of the shortest match may hold the
		 * response's trailing bytes: only those before it are tested. */
		memset(&pw, 0, sizeof pw);
		walk_prefix(re->root, 1, &pw);
		f->nprefix = f->min_len < FILTER_PREFIX_MAX ? f->min_len : FILTER_PREFIX_MAX;
		while (f->nprefix > 0 && rx_set_count(&pw.set[f->nprefix - 1]) == 256)
			f->nprefix--;
		memcpy(f->prefix, pw.set, f->nprefix * sizeof *pw.set);
	}
	memset(&lw, 0, sizeof lw);
	lw.f = f;
	lw.at_start = true;
	lw.skip = f->anchored ? FILTER_PREFIX_MAX : 0;
	walk_literal(re->root, &lw);
	end_run(&lw);
}
