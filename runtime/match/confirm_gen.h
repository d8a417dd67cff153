/*
 * Support for the confirm functions svdc generates (compiler/gen/codegen_bt.c):
 * the choice stack and register trail of their backtracking search, in the
 * model of note [backtracking model] in compiler/regex/regex_eval.c.  The
 * matching logic itself is in the generated code, specialised per regex;
 * this is only its memory.  Included by every generated chunk file.
 */
#ifndef SVD_CONFIRM_GEN_H
#define SVD_CONFIRM_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sigdb.h"

enum bt_kind {
	BT_RESUME, /* resume at pc with pos */
	BT_GIVE,   /* greedy run: give back one byte per retry, down to aux */
	BT_TAKE    /* lazy run: take one more byte of set, up to aux */
};

struct bt_choice {
	int32_t pc;
	int32_t kind;
	long pos, aux;
	size_t trail;
	const uint64_t *set;
};

struct bt_trail {
	uint32_t reg;
	long old;
};

enum { BT_LOCAL_CHOICES = 16, BT_LOCAL_TRAIL = 32 };

struct bt {
	long *regs;
	long budget;    /* choice points it may still look at (bt_budget.h); < 0: gave up */
	struct bt_choice *ch;
	size_t nch, cap_ch;
	struct bt_trail *tr;
	size_t ntr, cap_tr;
	/* Most searches fit here and never allocate. */
	struct bt_choice ch_local[BT_LOCAL_CHOICES];
	struct bt_trail tr_local[BT_LOCAL_TRAIL];
};

void bt_init(struct bt *b, long *regs);
void bt_free(struct bt *b);
void bt_grow_choices(struct bt *b);
void bt_grow_trail(struct bt *b);
/* Pops choice points until one resumes: returns its pc and sets *pos,
 * or returns -1 when there is none left or the budget is spent. */
int32_t bt_backtrack(struct bt *b, const unsigned char *s, long n, long *pos);
/* Matches capture `cap` again at *pos (unset: fails, as in PCRE). */
int bt_backref(const long *regs, uint32_t cap, int caseless,
	       const unsigned char *s, long n, long *pos);
int bt_word_boundary(const unsigned char *s, long n, long pos);
/* Copies the captures to ovec; returns pcre_exec's count. */
int bt_result(const long *regs, unsigned ngroups, long start, long end, int *ovec);

/* The first offset >= from of byte c in s[0..n), or -1. */
static inline long bt_find(const unsigned char *s, long from, long n, unsigned char c)
{
	const unsigned char *p = from < n ? memchr(s + from, c, (size_t)(n - from)) : NULL;

	return p ? p - s : -1;
}

static inline int bt_in(const uint64_t *set, unsigned char c)
{
	return (int)((set[c >> 6] >> (c & 63)) & 1);
}

static inline void bt_set(struct bt *b, uint32_t reg, long v)
{
	if (b->ntr == b->cap_tr)
		bt_grow_trail(b);
	b->tr[b->ntr].reg = reg;
	b->tr[b->ntr++].old = b->regs[reg];
	b->regs[reg] = v;
}

static inline struct bt_choice *bt_push(struct bt *b, int32_t kind, int32_t pc, long pos)
{
	struct bt_choice *c;

	if (b->nch == b->cap_ch)
		bt_grow_choices(b);
	c = &b->ch[b->nch++];
	c->kind = kind;
	c->pc = pc;
	c->pos = pos;
	c->trail = b->ntr;
	return c;
}

/* Greedy run of set from *pos, min..max bytes (max < 0: unbounded). */
static inline int bt_run_greedy(struct bt *b, const uint64_t *set, long min, long max,
				int32_t next, const unsigned char *s, long n, long *pos)
{
	long k = *pos, lim = max < 0 || n - *pos < max ? n : *pos + max;

	while (k < lim && bt_in(set, s[k]))
		k++;
	if (k - *pos < min)
		return 0;
	if (k - *pos > min)
		bt_push(b, BT_GIVE, next, k)->aux = *pos + min;
	*pos = k;
	return 1;
}

/* Lazy run: the minimum now, one more byte per retry. */
static inline int bt_run_lazy(struct bt *b, const uint64_t *set, long min, long max,
			      int32_t next, const unsigned char *s, long n, long *pos)
{
	long k = *pos;
	struct bt_choice *c;

	while (k < n && k - *pos < min && bt_in(set, s[k]))
		k++;
	if (k - *pos < min)
		return 0;
	if (max < 0 || max > min) {
		c = bt_push(b, BT_TAKE, next, k);
		c->set = set;
		c->aux = max < 0 ? n : *pos + max;
	}
	*pos = k;
	return 1;
}

/* Possessive run: as many as possible, no choice point. */
static inline int bt_run_possessive(const uint64_t *set, long min, long max,
				    const unsigned char *s, long n, long *pos)
{
	long k = *pos, lim = max < 0 || n - *pos < max ? n : *pos + max;

	while (k < lim && bt_in(set, s[k]))
		k++;
	if (k - *pos < min)
		return 0;
	*pos = k;
	return 1;
}

/* Whether p, folded, equals lit (given in lower case). */
static inline int bt_lit_fold(const unsigned char *p, const char *lit, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (svd_fold(p[i]) != (unsigned char)lit[i])
			return 0;
	return 1;
}

#endif
