#include "filter.h"

#include <string.h>

static unsigned sat_add(unsigned a, unsigned b)
{
	return a > ~0u - b ? ~0u : a + b;
}

static unsigned sat_mul(unsigned a, uint32_t b)
{
	return b && a > ~0u / b ? ~0u : a * b;
}

static unsigned min_len(const struct rx_node *n)
{
	unsigned len = 0, m;
	size_t i;

	switch (n->kind) {
	case RX_SET:
		return 1;
	case RX_CAT:
		for (i = 0; i < n->nkids; i++)
			len = sat_add(len, min_len(n->kids[i]));
		return len;
	case RX_ALT:
		len = ~0u;
		for (i = 0; i < n->nkids; i++)
			if ((m = min_len(n->kids[i])) < len)
				len = m;
		return len;
	case RX_REPEAT:
		return sat_mul(min_len(n->kid), n->min);
	case RX_GROUP:
	case RX_ATOMIC:
		return min_len(n->kid);
	case RX_EMPTY:
	case RX_LOOK:
	case RX_BACKREF: /* may repeat an empty capture */
	case RX_ASSERT:
		break;
	}
	return 0;
}

/* True if every match of n starts at the subject's start. */
static bool starts_anchored(const struct rx_node *n)
{
	size_t i;

	switch (n->kind) {
	case RX_ASSERT:
		return n->assert == RX_A_BEGIN;
	case RX_CAT:
		return n->nkids && starts_anchored(n->kids[0]);
	case RX_ALT:
		for (i = 0; i < n->nkids; i++)
			if (!starts_anchored(n->kids[i]))
				return false;
		return true;
	case RX_REPEAT:
		return n->min >= 1 && starts_anchored(n->kid);
	case RX_GROUP:
	case RX_ATOMIC:
		return starts_anchored(n->kid);
	default:
		return false;
	}
}

/*
 * Byte sets of the first positions of a match, walked while the offset of
 * each position is the same in every match ("open").  Zero-width nodes are
 * skipped, which only makes the sets larger (a superset stays sound).
 */
struct prefix_walk {
	struct rx_set set[FILTER_PREFIX_MAX];
	unsigned pos;
	bool open;
};

static void walk_prefix(const struct rx_node *n, struct prefix_walk *w);

static void walk_alt(const struct rx_node *n, struct prefix_walk *w)
{
	struct prefix_walk branch;
	unsigned common = ~0u, len = ~0u, k;
	bool same_len = true;
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		memset(&branch, 0, sizeof branch);
		branch.pos = w->pos;
		branch.open = true;
		walk_prefix(n->kids[i], &branch);
		if (i == 0)
			len = branch.pos;
		same_len = same_len && branch.open && branch.pos == len;
		if (branch.pos < common)
			common = branch.pos;
		for (k = w->pos; k < branch.pos; k++)
			rx_set_union(&w->set[k], &branch.set[k]);
	}
	w->pos = common;
	w->open = same_len;
}

static void walk_prefix(const struct rx_node *n, struct prefix_walk *w)
{
	uint32_t i;

	if (!w->open || w->pos >= FILTER_PREFIX_MAX)
		return;
	switch (n->kind) {
	case RX_SET:
		w->set[w->pos++] = n->set;
		break;
	case RX_CAT:
		for (i = 0; i < n->nkids && w->open; i++)
			walk_prefix(n->kids[i], w);
		break;
	case RX_ALT:
		walk_alt(n, w);
		break;
	case RX_REPEAT:
		for (i = 0; i < n->min && w->open && w->pos < FILTER_PREFIX_MAX; i++)
			walk_prefix(n->kid, w);
		if (n->max != n->min)
			w->open = false;
		break;
	case RX_GROUP:
	case RX_ATOMIC:
		walk_prefix(n->kid, w);
		break;
	case RX_BACKREF:
		w->open = false;
		break;
	case RX_EMPTY:
	case RX_LOOK:
	case RX_ASSERT:
		break;
	}
}

/*
 * Runs of bytes that every match contains contiguously: single bytes, or
 * both cases of one letter.  The longest run found is kept.  In anchored
 * regexes the first FILTER_PREFIX_MAX bytes of the run that starts the
 * match are left out: the prefix sets already test them at their offsets.
 */
struct literal_walk {
	unsigned char run[FILTER_LITERAL_MAX];
	bool fold[FILTER_LITERAL_MAX];
	unsigned len;
	bool at_start;      /* still in the run that began at offset 0 */
	unsigned skip;      /* bytes of that run still to leave out */
	struct rx_filter *f;
};

static void end_run(struct literal_walk *w)
{
	if (w->len > w->f->litlen) {
		memcpy(w->f->lit, w->run, w->len);
		memcpy(w->f->caseless, w->fold, w->len);
		w->f->litlen = w->len;
	}
	w->len = 0;
	w->at_start = false;
}

/* The byte a set stands for as part of a literal, or -1. */
static int literal_byte(const struct rx_set *s, bool *fold)
{
	unsigned count = rx_set_count(s), c;

	if (count > 2)
		return -1;
	for (c = 0; c < 256 && !rx_set_has(s, c); c++)
		;
	*fold = false;
	if (count == 1)
		return (int)c;
	/* {'A', 'a'}: the lower one is found first. */
	if (c >= 'A' && c <= 'Z' && rx_set_has(s, c | 0x20)) {
		*fold = true;
		return (int)(c | 0x20);
	}
	return -1;
}

static void walk_literal(const struct rx_node *n, struct literal_walk *w)
{
	bool fold;
	int c;
	uint32_t i;

	switch (n->kind) {
	case RX_SET:
		if ((c = literal_byte(&n->set, &fold)) < 0) {
			end_run(w);
		} else if (w->at_start && w->skip) {
			w->skip--;
		} else if (w->len < FILTER_LITERAL_MAX) {
			w->run[w->len] = (unsigned char)c;
			w->fold[w->len++] = fold;
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
		for (i = 0; i < n->min && w->len < FILTER_LITERAL_MAX; i++)
			walk_literal(n->kid, w);
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

void filter_analyze(const struct regex *re, struct rx_filter *f)
{
	struct prefix_walk pw;
	struct literal_walk lw;

	memset(f, 0, sizeof *f);
	f->anchored = starts_anchored(re->root);
	f->min_len = min_len(re->root);
	if (f->anchored) {
		memset(&pw, 0, sizeof pw);
		pw.open = true;
		walk_prefix(re->root, &pw);
		f->nprefix = pw.pos;
		memcpy(f->prefix, pw.set, pw.pos * sizeof *pw.set);
	}
	memset(&lw, 0, sizeof lw);
	lw.f = f;
	lw.at_start = true;
	lw.skip = f->anchored ? FILTER_PREFIX_MAX : 0;
	walk_literal(re->root, &lw);
	end_run(&lw);
}
