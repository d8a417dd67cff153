#include "confirm_ref.h"

#include <string.h>

#include "bt_budget.h"

struct confirm_ref_line {
	struct rx_prog prog;
	struct confirm_ref *owner;
};

static int confirm(const struct svd_match *m, const unsigned char *s, size_t n,
		   int *ovec)
{
	const struct confirm_ref_line *line = m->impl;
	long lov[SVD_OVEC_INTS];
	unsigned k, pairs = m->ngroups + 1u;
	int last = 0;

	switch (regex_exec(&line->prog, &line->owner->vm, s, n, lov, BT_BUDGET)) {
	case RX_MATCH:
		break;
	case RX_LIMIT:
		line->owner->limit_hits++;
		return 0;
	default:
		return 0;
	}
	/* pcre_exec's count: up to the highest group that is set. */
	for (k = 0; k < pairs; k++) {
		ovec[2 * k] = (int)lov[2 * k];
		ovec[2 * k + 1] = (int)lov[2 * k + 1];
		if (lov[2 * k] >= 0)
			last = (int)k;
	}
	return last + 1;
}

void confirm_ref_attach(struct confirm_ref *r, struct arena *a, struct sigdb_build *b)
{
	uint32_t i;

	memset(r, 0, sizeof *r);
	rx_vm_init(&r->vm);
	r->lines = arena_alloc(a, (b->db.nmatches + 1) * sizeof *r->lines);
	for (i = 0; i < b->db.nmatches; i++) {
		regex_compile(a, &b->regexes[i], &r->lines[i].prog);
		r->lines[i].owner = r;
		b->gates[i].confirm = confirm;
		b->matches[i].impl = &r->lines[i];
	}
}

void confirm_ref_free(struct confirm_ref *r)
{
	rx_vm_free(&r->vm);
}
