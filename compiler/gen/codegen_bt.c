#include "codegen_bt.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "c_escape.h"

enum { NO_TARGET = UINT32_MAX };

struct gen {
	FILE *out;           /* the function's body */
	const struct rx_prog *prog;
	bool *jump_target;   /* by pc: reached by a goto */
	bool *resume_target; /* by pc: resumed from a choice point */
	bool *set_used;      /* by set: the body tests it */
	bool uses_fail;
};

static bool labelled(const struct gen *g, uint32_t pc)
{
	return g->jump_target[pc] || g->resume_target[pc];
}

static bool run_pushes(const struct rx_inst *in)
{
	return in->greed != RX_POSSESSIVE && in->max != in->min;
}

/* Which instructions need labels, and why. */
static void find_targets(struct gen *g)
{
	const struct rx_prog *p = g->prog;
	uint32_t pc;

	for (pc = 0; pc < p->ncode; pc++) {
		const struct rx_inst *in = &p->code[pc];

		switch (in->op) {
		case RXO_SPLIT:
			g->jump_target[in->x] = true;
			g->resume_target[in->y] = true;
			break;
		case RXO_JMP:
			g->jump_target[in->x] = true;
			break;
		case RXO_RUN:
			if (run_pushes(in))
				g->resume_target[pc + 1] = true;
			break;
		case RXO_LOOP:
			g->jump_target[pc + 1] = g->jump_target[in->x] = true;
			g->resume_target[in->greed == RX_LAZY ? pc + 1 : in->x] = true;
			break;
		case RXO_CNT_INC:
			g->jump_target[in->x] = g->jump_target[in->y] = true;
			break;
		case RXO_NEG_BEGIN:
			g->resume_target[in->x] = true;
			break;
		default:
			break;
		}
	}
}

static void put_set(struct gen *g, uint32_t set)
{
	fprintf(g->out, "S%u", set);
	g->set_used[set] = true;
}

static long max_arg(uint32_t max)
{
	return max == RX_INF ? -1 : (long)max;
}

static void fail_if(struct gen *g, const char *cond)
{
	fprintf(g->out, "\tif (%s) goto fail;\n", cond);
	g->uses_fail = true;
}

/*
 * A run of SET instructions from pc that no jump enters in the middle:
 * one length check, then literal stretches compared at once.  Returns the
 * number of instructions consumed.
 */
static uint32_t emit_sets(struct gen *g, uint32_t pc)
{
	const struct rx_prog *p = g->prog;
	uint32_t end = pc + 1, k, j;

	while (end < p->ncode && p->code[end].op == RXO_SET && !labelled(g, end))
		end++;
	fprintf(g->out, "\tif (n - pos < %u", end - pc);
	for (k = pc; k < end; k = j) {
		bool fold, fold2;
		int c = rx_set_literal(&p->sets[p->code[k].a], &fold);

		j = k + 1;
		if (c < 0) {
			fprintf(g->out, "\n\t    || !bt_in(");
			put_set(g, p->code[k].a);
			fprintf(g->out, ", s[pos + %u])", k - pc);
			continue;
		}
		while (j < end && rx_set_literal(&p->sets[p->code[j].a], &fold2) >= 0 &&
		       fold2 == fold)
			j++;
		if (j - k == 1 && !fold) {
			fprintf(g->out, "\n\t    || s[pos + %u] != %u", k - pc, (unsigned)c);
			continue;
		}
		{
			unsigned char lit[256];
			uint32_t i, len = j - k > sizeof lit ? (uint32_t)sizeof lit : j - k;

			j = k + len;
			for (i = 0; i < len; i++)
				lit[i] = (unsigned char)rx_set_literal(&p->sets[p->code[k + i].a], &fold2);
			fprintf(g->out, "\n\t    || %s(s + pos + %u, \"", fold ? "!bt_lit_fold" : "memcmp",
				k - pc);
			c_escape(g->out, C_STRING, lit, len);
			fprintf(g->out, "\", %u)", len);
		}
	}
	fprintf(g->out, ")\n\t\tgoto fail;\n\tpos += %u;\n", end - pc);
	g->uses_fail = true;
	return end - pc;
}

static void emit_assert(struct gen *g, enum rx_assert a)
{
	static const char *const fails[] = {
		[RX_A_BEGIN] = "pos != 0",
		[RX_A_START] = "pos != 0",
		[RX_A_END] = "pos != n",
		[RX_A_END_NL] = "!(pos == n || (pos == n - 1 && s[pos] == '\\n'))",
		[RX_A_BOL] = "!(pos == 0 || (pos < n && s[pos - 1] == '\\n'))",
		[RX_A_EOL] = "!(pos == n || s[pos] == '\\n')",
		[RX_A_WORD] = "!bt_word_boundary(s, n, pos)",
		[RX_A_NOT_WORD] = "bt_word_boundary(s, n, pos)",
	};

	fail_if(g, fails[a]);
}

static void emit_run(struct gen *g, const struct rx_inst *in, uint32_t pc)
{
	FILE *out = g->out;

	if (in->greed == RX_POSSESSIVE || in->max == in->min) {
		fprintf(out, "\tif (!bt_run_possessive(");
		put_set(g, in->a);
		fprintf(out, ", %u, %ld, s, n, &pos)) goto fail;\n", in->min, max_arg(in->max));
	} else {
		fprintf(out, "\tif (!bt_run_%s(&b, ", in->greed == RX_LAZY ? "lazy" : "greedy");
		put_set(g, in->a);
		fprintf(out, ", %u, %ld, %u, s, n, &pos)) goto fail;\n", in->min,
			max_arg(in->max), pc + 1);
	}
	g->uses_fail = true;
}

static void emit_inst(struct gen *g, uint32_t pc)
{
	const struct rx_inst *in = &g->prog->code[pc];
	FILE *out = g->out;

	switch (in->op) {
	case RXO_SET:
		break; /* emit_sets() */
	case RXO_RUN:
		emit_run(g, in, pc);
		break;
	case RXO_SPLIT:
		fprintf(out, "\tbt_push(&b, BT_RESUME, %u, pos);\n\tgoto L%u;\n", in->y, in->x);
		break;
	case RXO_JMP:
		fprintf(out, "\tgoto L%u;\n", in->x);
		break;
	case RXO_OPEN:
		fprintf(out, "\tbt_set(&b, %u, pos);\n", in->a);
		break;
	case RXO_CLOSE:
		fprintf(out, "\tbt_set(&b, %u, regs[%u]);\n\tbt_set(&b, %u, pos);\n", 2 * in->b,
			in->a, 2 * in->b + 1);
		break;
	case RXO_ASSERT:
		emit_assert(g, (enum rx_assert)in->a);
		break;
	case RXO_BACKREF:
		fprintf(out, "\tif (!bt_backref(regs, %u, %u, s, n, &pos)) goto fail;\n", in->a, in->b);
		g->uses_fail = true;
		break;
	case RXO_CNT_ZERO:
		fprintf(out, "\tbt_set(&b, %u, 0);\n", in->a);
		break;
	case RXO_LOOP:
		fprintf(out, "\tif (regs[%u] < %u) goto L%u;\n", in->a, in->min, pc + 1);
		if (in->max != RX_INF)
			fprintf(out, "\tif (regs[%u] >= %u) goto L%u;\n", in->a, in->max, in->x);
		if (in->greed == RX_LAZY)
			fprintf(out, "\tbt_push(&b, BT_RESUME, %u, pos);\n\tgoto L%u;\n", pc + 1, in->x);
		else
			fprintf(out, "\tbt_push(&b, BT_RESUME, %u, pos);\n\tgoto L%u;\n", in->x, pc + 1);
		break;
	case RXO_CNT_INC:
		fprintf(out, "\tbt_set(&b, %u, regs[%u] + 1);\n", in->a, in->a);
		if (in->mark != UINT32_MAX)
			fprintf(out, "\tif (regs[%u] >= %u && regs[%u] == pos) goto L%u;\n", in->a,
				in->min, in->mark, in->x);
		fprintf(out, "\tgoto L%u;\n", in->y);
		break;
	case RXO_MARK:
		fprintf(out, "\tbt_set(&b, %u, pos);\n", in->a);
		break;
	case RXO_CUT_BEGIN:
		fprintf(out, "\tbt_set(&b, %u, (long)b.nch);\n\tbt_set(&b, %u, pos);\n", in->a,
			in->a + 1);
		break;
	case RXO_CUT_END:
		fprintf(out, "\tb.nch = (size_t)regs[%u];\n", in->a);
		if (in->b)
			fprintf(out, "\tpos = regs[%u];\n", in->a + 1);
		break;
	case RXO_NEG_BEGIN:
		fprintf(out, "\tbt_set(&b, %u, (long)b.nch);\n\tbt_push(&b, BT_RESUME, %u, pos);\n",
			in->a, in->x);
		break;
	case RXO_NEG_END:
		fprintf(out, "\tb.nch = (size_t)regs[%u];\n\tgoto fail;\n", in->a);
		g->uses_fail = true;
		break;
	case RXO_BACK:
		fprintf(out, "\tif (pos < %u) goto fail;\n\tpos -= %u;\n", in->a, in->a);
		g->uses_fail = true;
		break;
	case RXO_MATCH:
		fprintf(out, "\trc = bt_result(regs, %u, start, pos, ovec);\n"
			     "\tbt_free(&b);\n\treturn rc;\n", g->prog->ncaps);
		break;
	}
}

static void emit_set_table(FILE *out, const char *name, const struct rx_set *s)
{
	fprintf(out, "\tstatic const uint64_t %s[4] = {0x%llxu, 0x%llxu, 0x%llxu, 0x%llxu};\n",
		name, (unsigned long long)s->w[0], (unsigned long long)s->w[1],
		(unsigned long long)s->w[2], (unsigned long long)s->w[3]);
}

static void *xcalloc(size_t n)
{
	void *p = calloc(n ? n : 1, 1);

	if (!p) {
		fprintf(stderr, "svdc: out of memory\n");
		abort();
	}
	return p;
}

/* The search loop and the instructions, into g->out. */
static void emit_body(struct gen *g, bool first_test)
{
	const struct rx_prog *prog = g->prog;
	unsigned nregs = 2 * (prog->ncaps + 1) + prog->nregs;
	FILE *out = g->out;
	bool resumes = false;
	uint32_t pc;

	for (pc = 0; pc < prog->ncode; pc++)
		resumes |= g->resume_target[pc];
	fprintf(out, "\n\t(void)m;\n\tbt_init(&b, regs);\n"
		     "\tfor (start = 0; start <= %s && b.budget >= 0; start++) {\n",
		prog->anchored ? "0" : "n");
	if (first_test && rx_set_count(&prog->first) == 1) {
		/* One byte starts every match: memchr finds the next start. */
		unsigned c = 0;

		while (!rx_set_has(&prog->first, c))
			c++;
		fprintf(out, "\tif ((start = bt_find(s, start, n, %u)) < 0)\n\t\tbreak;\n", c);
	} else if (first_test) {
		fprintf(out, "\tif (start == n || !bt_in(FIRST, s[start]))\n\t\tcontinue;\n");
	}
	fprintf(out, "\tfor (k = 0; k < %u; k++)\n\t\tregs[k] = -1;\n"
		     "\tb.nch = b.ntr = 0;\n\tpos = start;\n", nregs);
	for (pc = 0; pc < prog->ncode;) {
		if (labelled(g, pc))
			fprintf(out, "L%u:\n", pc);
		if (prog->code[pc].op == RXO_SET) {
			pc += emit_sets(g, pc);
			continue;
		}
		emit_inst(g, pc);
		pc++;
	}
	if (g->uses_fail) {
		/* A label needs a statement after it (C11). */
		fprintf(out, "fail:%s\n", resumes ? "" : "\n\t;");
		if (resumes) {
			fprintf(out, "\tswitch (bt_backtrack(&b, s, n, &pos)) {\n");
			for (pc = 0; pc < prog->ncode; pc++)
				if (g->resume_target[pc])
					fprintf(out, "\tcase %u: goto L%u;\n", pc, pc);
			fprintf(out, "\tdefault: break;\n\t}\n");
		}
	}
	fprintf(out, "\t}\n\tbt_free(&b);\n\treturn 0;\n}\n");
}

void codegen_bt(FILE *out, const struct rx_prog *prog, const char *fname)
{
	struct gen g = { NULL, prog, xcalloc(prog->ncode + 1), xcalloc(prog->ncode + 1),
			 xcalloc(prog->nsets), false };
	bool first_test = !prog->anchored && !prog->first_any;
	unsigned nregs = 2 * (prog->ncaps + 1) + prog->nregs;
	char *body = NULL, name[32];
	size_t len = 0;
	uint32_t k;

	/* The body first: it decides which set tables the function needs. */
	g.out = open_memstream(&body, &len);
	if (!g.out) {
		fprintf(stderr, "svdc: out of memory\n");
		abort();
	}
	find_targets(&g);
	emit_body(&g, first_test);
	fclose(g.out);
	fprintf(out, "int %s(const struct svd_match *m, const unsigned char *s, size_t len, int *ovec)\n{\n",
		fname);
	for (k = 0; k < prog->nsets; k++) {
		if (!g.set_used[k])
			continue;
		snprintf(name, sizeof name, "S%u", k);
		emit_set_table(out, name, &prog->sets[k]);
	}
	if (first_test && rx_set_count(&prog->first) > 1)
		emit_set_table(out, "FIRST", &prog->first);
	fprintf(out, "\tlong regs[%u], n = (long)len, pos, start;\n\tstruct bt b;\n\tint rc, k;\n",
		nregs);
	fwrite(body, 1, len, out);
	free(body);
	free(g.jump_target);
	free(g.resume_target);
	free(g.set_used);
}

bool codegen_bt_line(FILE *out, const struct sigdb_build *b, uint32_t i, const char *fname,
		     struct diag *d)
{
	struct arena a;
	struct rx_prog prog;

	(void)d;
	arena_init(&a);
	regex_compile(&a, &b->regexes[i], &prog);
	codegen_bt(out, &prog, fname);
	arena_free(&a);
	return true;
}
