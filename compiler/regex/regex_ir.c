/*
 * IR utilities: dumps (for tests and debugging), construct counts (for
 * the survey of Nmap's database), and the analyses that the program
 * compiler, the prefilter and the code generator share.
 */
#include "regex.h"

#include <string.h>

uint32_t rx_min_length(const struct rx_node *n)
{
	uint64_t sum = 0, best = UINT32_MAX;

	switch (n->kind) {
	case RX_SET:
		return 1;
	case RX_CAT:
		for (size_t k = 0; k < n->nkids; k++)
			sum += rx_min_length(n->kids[k]);
		return sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
	case RX_ALT:
		for (size_t k = 0; k < n->nkids; k++) {
			uint32_t m = rx_min_length(n->kids[k]);

			if (m < best)
				best = m;
		}
		return (uint32_t)best;
	case RX_REPEAT:
		sum = (uint64_t)n->min * rx_min_length(n->kid);
		return sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
	case RX_GROUP: case RX_ATOMIC:
		return rx_min_length(n->kid);
	default:
		return 0; /* zero-width, or a backreference that may be empty */
	}
}

uint32_t rx_max_length(const struct rx_node *n)
{
	uint64_t sum = 0, most = 0, kid;

	switch (n->kind) {
	case RX_SET:
		return 1;
	case RX_CAT:
		for (size_t k = 0; k < n->nkids; k++)
			sum += rx_max_length(n->kids[k]);
		return sum >= RX_INF ? RX_INF : (uint32_t)sum;
	case RX_ALT:
		for (size_t k = 0; k < n->nkids; k++)
			if ((kid = rx_max_length(n->kids[k])) > most)
				most = kid;
		return (uint32_t)most;
	case RX_REPEAT:
		kid = rx_max_length(n->kid);
		if (kid == 0)
			return 0;
		sum = n->max == RX_INF ? RX_INF : (uint64_t)n->max * kid;
		return sum >= RX_INF ? RX_INF : (uint32_t)sum;
	case RX_GROUP: case RX_ATOMIC:
		return rx_max_length(n->kid);
	case RX_BACKREF:
		return RX_INF;
	default:
		return 0; /* zero-width */
	}
}

enum rx_assert_end rx_end_anchor(const struct rx_node *n)
{
	enum rx_assert_end e = RX_END_NONE, k;

	switch (n->kind) {
	case RX_ASSERT:
		return n->assert == RX_A_END ? RX_END_EXACT :
		       n->assert == RX_A_END_NL ? RX_END_OR_NL : RX_END_NONE;
	case RX_CAT:
		return n->nkids > 0 ? rx_end_anchor(n->kids[n->nkids - 1]) : RX_END_NONE;
	case RX_ALT:
		for (size_t i = 0; i < n->nkids; i++) {
			if ((k = rx_end_anchor(n->kids[i])) == RX_END_NONE)
				return RX_END_NONE;
			if (k > e)
				e = k;
		}
		return e;
	case RX_GROUP: case RX_ATOMIC:
		return rx_end_anchor(n->kid);
	case RX_REPEAT:
		/* The last iteration ends the match. */
		return n->min > 0 ? rx_end_anchor(n->kid) : RX_END_NONE;
	default:
		return RX_END_NONE;
	}
}

void rx_required_bytes(const struct rx_node *n, struct rx_set *out)
{
	struct rx_set kid;
	bool fold;
	int c;

	memset(out, 0, sizeof *out);
	switch (n->kind) {
	case RX_SET:
		if ((c = rx_set_literal(&n->set, &fold)) >= 0 && !fold)
			rx_set_add(out, (unsigned)c);
		return;
	case RX_CAT:
		for (size_t k = 0; k < n->nkids; k++) {
			rx_required_bytes(n->kids[k], &kid);
			rx_set_union(out, &kid);
		}
		return;
	case RX_ALT:
		rx_required_bytes(n->kids[0], out);
		for (size_t k = 1; k < n->nkids; k++) {
			rx_required_bytes(n->kids[k], &kid);
			for (unsigned w = 0; w < 4; w++)
				out->w[w] &= kid.w[w];
		}
		return;
	case RX_REPEAT:
		if (n->min > 0)
			rx_required_bytes(n->kid, out);
		return;
	case RX_GROUP: case RX_ATOMIC:
		rx_required_bytes(n->kid, out);
		return;
	default:
		return; /* zero-width: lookaround bodies are not consumed */
	}
}

bool rx_anchored(const struct rx_node *n)
{
	switch (n->kind) {
	case RX_ASSERT:
		return n->assert == RX_A_BEGIN || n->assert == RX_A_START;
	case RX_CAT:
		return n->nkids > 0 && rx_anchored(n->kids[0]);
	case RX_ALT:
		for (size_t k = 0; k < n->nkids; k++)
			if (!rx_anchored(n->kids[k]))
				return false;
		return true;
	case RX_GROUP: case RX_ATOMIC:
		return rx_anchored(n->kid);
	case RX_REPEAT:
		return n->min > 0 && rx_anchored(n->kid);
	default:
		return false;
	}
}

int rx_set_literal(const struct rx_set *s, bool *fold)
{
	unsigned c, count = rx_set_count(s);

	*fold = false;
	if (count == 0 || count > 2)
		return -1;
	for (c = 0; !s->w[c / 64]; c += 64)
		;
	c += (unsigned)__builtin_ctzll(s->w[c / 64]);
	if (count == 1)
		return (int)c;
	/* {'A', 'a'}: the upper one is found first. */
	if (c >= 'A' && c <= 'Z' && rx_set_has(s, c | 0x20)) {
		*fold = true;
		return (int)(c | 0x20);
	}
	return -1;
}

static void dump_set(const struct rx_set *s, FILE *out)
{
	unsigned n = rx_set_count(s);

	if (n == 256) {
		fputs("any", out);
		return;
	}
	if (n == 255 && !rx_set_has(s, '\n')) {
		fputs("nonl", out);
		return;
	}
	fputc('[', out);
	for (unsigned c = 0; c < 256; c++) {
		unsigned e = c;

		if (!rx_set_has(s, c))
			continue;
		while (e + 1 < 256 && rx_set_has(s, e + 1))
			e++;
		for (unsigned k = c; k <= e; k = (e - c >= 2 && k == c) ? e : k + 1) {
			if (k > 32 && k < 127 && k != '\\' && k != ']' && k != '-')
				fputc((int)k, out);
			else
				fprintf(out, "\\x%02x", k);
			if (k == c && e - c >= 2)
				fputc('-', out);
		}
		c = e;
	}
	fputc(']', out);
}

static void dump_node(const struct rx_node *n, FILE *out)
{
	static const char *const asserts[] = { "begin", "end", "end-nl", "bol",
		"eol", "word", "not-word", "start" };
	static const char *const greed[] = { "", "?", "+" };

	switch (n->kind) {
	case RX_EMPTY: fputs("()", out); return;
	case RX_SET: dump_set(&n->set, out); return;
	case RX_CAT: case RX_ALT:
		fputs(n->kind == RX_CAT ? "(cat" : "(alt", out);
		for (size_t k = 0; k < n->nkids; k++) {
			fputc(' ', out);
			dump_node(n->kids[k], out);
		}
		fputc(')', out);
		return;
	case RX_REPEAT:
		if (n->max == RX_INF)
			fprintf(out, "(rep%s %u inf ", greed[n->greed], n->min);
		else
			fprintf(out, "(rep%s %u %u ", greed[n->greed], n->min, n->max);
		break;
	case RX_GROUP: fprintf(out, "(group %u ", n->cap); break;
	case RX_ATOMIC: fputs("(atomic ", out); break;
	case RX_LOOK:
		fprintf(out, "(%s%s ", n->behind ? "behind" : "ahead",
			n->negated ? "-not" : "");
		break;
	case RX_BACKREF:
		fprintf(out, "(ref%s %u)", n->caseless ? "/i" : "", n->cap);
		return;
	case RX_ASSERT: fputs(asserts[n->assert], out); return;
	}
	dump_node(n->kid, out);
	fputc(')', out);
}

void regex_dump(const struct regex *re, FILE *out)
{
	dump_node(re->root, out);
	fputc('\n', out);
}

static void stats_node(const struct rx_node *n, struct rx_stats *st)
{
	switch (n->kind) {
	case RX_CAT: case RX_ALT:
		for (size_t k = 0; k < n->nkids; k++)
			stats_node(n->kids[k], st);
		return;
	case RX_REPEAT:
		st->lazy += n->greed == RX_LAZY;
		st->counted += !((n->min <= 1 && n->max == RX_INF) ||
				 (n->min == 0 && n->max == 1));
		st->big_repeat += n->max != RX_INF ? n->max > 100 : n->min > 100;
		break;
	case RX_GROUP:
		st->groups++;
		break;
	case RX_ATOMIC:
		/* The parser turns X*+ into (?>X*); count those apart. */
		if (n->kid->kind == RX_REPEAT && n->off == n->kid->off)
			st->possessive++;
		else
			st->atomic++;
		break;
	case RX_LOOK:
		if (n->behind)
			*(n->negated ? &st->neg_lookbehind : &st->lookbehind) += 1;
		else
			*(n->negated ? &st->neg_lookahead : &st->lookahead) += 1;
		break;
	case RX_BACKREF:
		st->backref++;
		return;
	case RX_ASSERT:
		st->word_assert += n->assert == RX_A_WORD || n->assert == RX_A_NOT_WORD;
		st->dollar += n->assert == RX_A_END_NL || n->assert == RX_A_EOL;
		st->caret += n->assert == RX_A_BEGIN || n->assert == RX_A_BOL;
		return;
	default:
		return;
	}
	stats_node(n->kid, st);
}

void regex_stats(const struct regex *re, struct rx_stats *st)
{
	stats_node(re->root, st);
}

void regex_prog_dump(const struct rx_prog *prog, FILE *out)
{
	static const char *const names[] = { "set", "run", "split", "jmp",
		"open", "close", "assert", "backref", "cnt-zero", "loop",
		"cnt-inc", "mark", "cut-begin", "cut-end", "neg-begin", "neg-end",
		"back", "match" };

	for (size_t pc = 0; pc < prog->ncode; pc++) {
		const struct rx_inst *in = &prog->code[pc];

		fprintf(out, "%4zu %-9s a=%u b=%u", pc, names[in->op], in->a, in->b);
		if (in->op == RXO_RUN || in->op == RXO_LOOP)
			fprintf(out, " {%u,%d} greed=%u", in->min,
				in->max == RX_INF ? -1 : (int)in->max, in->greed);
		if (in->x != UINT32_MAX)
			fprintf(out, " x=%u", in->x);
		if (in->y != UINT32_MAX)
			fprintf(out, " y=%u", in->y);
		fputc('\n', out);
	}
}
