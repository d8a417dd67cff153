#include "confirm_gen.h"

#include "bt_budget.h"

#include <stdio.h>
#include <stdlib.h>

void bt_init(struct bt *b, long *regs)
{
	b->regs = regs;
	b->budget = BT_BUDGET;
	b->ch = b->ch_local;
	b->nch = 0;
	b->cap_ch = BT_LOCAL_CHOICES;
	b->tr = b->tr_local;
	b->ntr = 0;
	b->cap_tr = BT_LOCAL_TRAIL;
}

void bt_free(struct bt *b)
{
	if (b->ch != b->ch_local)
		free(b->ch);
	if (b->tr != b->tr_local)
		free(b->tr);
}

/* Doubles a stack, moving it off the local array the first time.  Out of
 * memory is fatal: a half-run search has no honest answer to give. */
static void *grow(void *p, void *local, size_t *cap, size_t elem)
{
	size_t ncap = *cap * 2;
	void *q = p == local ? malloc(ncap * elem) : realloc(p, ncap * elem);

	if (!q) {
		fprintf(stderr, "svdetect: out of memory in a regex search\n");
		abort();
	}
	if (p == local)
		memcpy(q, local, *cap * elem);
	*cap = ncap;
	return q;
}

void bt_grow_choices(struct bt *b)
{
	b->ch = grow(b->ch, b->ch_local, &b->cap_ch, sizeof *b->ch);
}

void bt_grow_trail(struct bt *b)
{
	b->tr = grow(b->tr, b->tr_local, &b->cap_tr, sizeof *b->tr);
}

int32_t bt_backtrack(struct bt *b, const unsigned char *s, long n, long *pos)
{
	while (b->nch > 0) {
		struct bt_choice *c = &b->ch[b->nch - 1];

		if (--b->budget < 0) {
			b->nch = 0;
			return -1;
		}
		while (b->ntr > c->trail) {
			b->ntr--;
			b->regs[b->tr[b->ntr].reg] = b->tr[b->ntr].old;
		}
		switch (c->kind) {
		case BT_RESUME:
			b->nch--;
			*pos = c->pos;
			return c->pc;
		case BT_GIVE:
			if (--c->pos < c->aux)
				break;
			*pos = c->pos;
			if (c->pos == c->aux)
				b->nch--;
			return c->pc;
		case BT_TAKE:
			if (c->pos >= c->aux || c->pos >= n || !bt_in(c->set, s[c->pos]))
				break;
			*pos = ++c->pos;
			return c->pc;
		}
		b->nch--;
	}
	return -1;
}

int bt_backref(const long *regs, uint32_t cap, int caseless,
	       const unsigned char *s, long n, long *pos)
{
	long from = regs[2 * cap], len = regs[2 * cap + 1] - from, k;

	if (from < 0 || *pos + len > n)
		return 0;
	for (k = 0; k < len; k++) {
		unsigned char x = s[from + k], y = s[*pos + k];

		if (x != y && (!caseless || svd_fold(x) != svd_fold(y)))
			return 0;
	}
	*pos += len;
	return 1;
}

static int is_word(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

int bt_word_boundary(const unsigned char *s, long n, long pos)
{
	int before = pos > 0 && is_word(s[pos - 1]);
	int after = pos < n && is_word(s[pos]);

	return before != after;
}

int bt_result(const long *regs, unsigned ngroups, long start, long end, int *ovec)
{
	unsigned k;
	int last = 0;

	ovec[0] = (int)start;
	ovec[1] = (int)end;
	for (k = 1; k <= ngroups; k++) {
		ovec[2 * k] = (int)regs[2 * k];
		ovec[2 * k + 1] = (int)regs[2 * k + 1];
		if (regs[2 * k] >= 0)
			last = (int)k;
	}
	return last + 1;
}
