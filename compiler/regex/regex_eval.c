/*
 * IR -> flat backtracking program, and the reference interpreter.
 *
 * note [backtracking model]
 * -------------------------
 * PCRE answers with the first match in a depth-first search that tries,
 * at every choice, the preferred alternative first (leftmost-first):
 * alternatives left to right, greedy repeats "one more" before "stop",
 * lazy repeats the reverse.  We make that search explicit so that it needs
 * no C recursion and so that a code generator can emit it as straight C:
 *
 *  - The program is a flat list of instructions; every continuation is an
 *    instruction index (x, y), so each instruction can become a label and
 *    each jump a goto.
 *  - A choice point is pushed on the *choice stack* as (resume pc, subject
 *    position, trail height).  Failing pops the newest choice point and
 *    resumes there.  Generated code does the same with a switch (or
 *    computed goto) over resume labels.
 *  - Every register write (capture ends, loop counters, iteration marks,
 *    saved heights) first pushes the old value on the *trail*; resuming a
 *    choice point unwinds the trail to the height it recorded.  So
 *    backtracking restores captures exactly (PCRE: the values of the last
 *    successful iteration survive, values from abandoned paths do not).
 *  - Atomic groups, possessive repeats and lookarounds are *cuts*: at the
 *    end of the group the choice stack is truncated to the height saved
 *    at its start.  The trail is not truncated, so backtracking further
 *    left still undoes captures made inside (PCRE keeps captures from a
 *    positive lookaround and from atomic groups, and loses them with the
 *    enclosing path).
 *  - A negative lookaround pushes a choice point "resume after the
 *    assertion" before its body: if the body fails entirely, that choice
 *    point is where the search lands (assertion true, captures undone by
 *    the trail); if the body matches, NEG_END cuts back below the choice
 *    point and fails (assertion false).
 *  - A capture is opened into a work register and only published (both
 *    ends at once) when the group closes, as PCRE does, so a backreference
 *    inside its own group sees the previous iteration.
 *  - Counted repeats of groups use a counter register and a LOOP head, not
 *    unrolled copies, so {1,300} costs one loop.  An unbounded repeat whose
 *    body can match empty records the iteration start (MARK); an empty
 *    iteration that reached the repeat's minimum leaves the loop and goes
 *    on with the rest of the pattern, exactly PCRE's rule for KETRMAX and
 *    KETRMIN ("break the loop if the group matched an empty string").
 *  - A repeat of a single byte set is one RUN instruction with one choice
 *    point that gives back (greedy) or takes (lazy) one byte per retry,
 *    like PCRE's OP_STAR family: long subjects cost O(1) stack.
 *
 * The budget of a search (all its start positions together) counts the
 * choice points backtracking looks at, exhausted ones included, exactly
 * as the generated matchers count theirs (bt_backtrack in
 * runtime/match/confirm_gen.c): with the same budget both give up at the same
 * point.  The search then stops with RX_LIMIT.  PCRE's match_limit counts
 * differently; see docs/regex-semantics.md.
 */
#include <stdlib.h>
#include <string.h>

#include "regex.h"

enum { NO_REG = UINT32_MAX, NO_PC = UINT32_MAX };

/* ---- IR -> program -------------------------------------------------------- */

struct emitter {
	struct arena *a;
	struct rx_inst *code;
	size_t ncode, code_cap;
	struct rx_set *sets;
	size_t nsets, sets_cap;
	unsigned regbase, nregs;
};

static uint32_t emit(struct emitter *e, enum rx_op op, uint32_t a, uint32_t b)
{
	struct rx_inst *in;

	e->code = arena_grow(e->a, e->code, sizeof *e->code, &e->code_cap,
			     e->ncode + 1);
	in = &e->code[e->ncode];
	memset(in, 0, sizeof *in);
	in->op = op;
	in->a = a;
	in->b = b;
	in->x = in->y = NO_PC;
	in->mark = NO_REG;
	return (uint32_t)e->ncode++;
}

static uint32_t here(const struct emitter *e)
{
	return (uint32_t)e->ncode;
}

static uint32_t set_index(struct emitter *e, const struct rx_set *s)
{
	for (size_t k = 0; k < e->nsets; k++)
		if (!memcmp(&e->sets[k], s, sizeof *s))
			return (uint32_t)k;
	e->sets = arena_grow(e->a, e->sets, sizeof *e->sets, &e->sets_cap,
			     e->nsets + 1);
	e->sets[e->nsets] = *s;
	return (uint32_t)e->nsets++;
}

static uint32_t new_regs(struct emitter *e, unsigned n)
{
	uint32_t r = e->regbase + e->nregs;

	e->nregs += n;
	return r;
}

static void emit_node(struct emitter *e, const struct rx_node *n);

/* Alternatives: SPLIT to each but the last, each ending with a JMP out. */
static void emit_alts(struct emitter *e, struct rx_node *const *kids, size_t n,
		      bool behind)
{
	uint32_t *jumps = arena_alloc(e->a, n * sizeof *jumps);

	for (size_t k = 0; k < n; k++) {
		uint32_t split = NO_PC;

		if (k + 1 < n) {
			split = emit(e, RXO_SPLIT, 0, 0);
			e->code[split].x = here(e);
		}
		if (behind) {
			uint32_t len = 0;

			rx_fixed_length(kids[k], &len);
			emit(e, RXO_BACK, len, 0);
		}
		emit_node(e, kids[k]);
		if (k + 1 < n) {
			jumps[k] = emit(e, RXO_JMP, 0, 0);
			e->code[split].y = here(e);
		}
	}
	for (size_t k = 0; k + 1 < n; k++)
		e->code[jumps[k]].x = here(e);
}

static void emit_run(struct emitter *e, const struct rx_node *r,
		     enum rx_greed greed)
{
	uint32_t pc = emit(e, RXO_RUN, set_index(e, &r->kid->set), 0);

	e->code[pc].min = r->min;
	e->code[pc].max = r->max;
	e->code[pc].greed = (uint8_t)greed;
}

static void emit_loop(struct emitter *e, const struct rx_node *r)
{
	uint32_t cnt = new_regs(e, 1), mark = NO_REG, head, inc;

	if (r->max == RX_INF && rx_min_length(r->kid) == 0)
		mark = new_regs(e, 1);
	emit(e, RXO_CNT_ZERO, cnt, 0);
	head = emit(e, RXO_LOOP, cnt, 0);
	e->code[head].min = r->min;
	e->code[head].max = r->max;
	e->code[head].greed = (uint8_t)r->greed;
	if (mark != NO_REG)
		emit(e, RXO_MARK, mark, 0);
	emit_node(e, r->kid);
	inc = emit(e, RXO_CNT_INC, cnt, 0);
	e->code[inc].mark = mark;
	e->code[inc].min = r->min;
	e->code[inc].y = head;
	e->code[head].x = e->code[inc].x = here(e);
}

static void emit_repeat(struct emitter *e, const struct rx_node *r)
{
	if (r->kid->kind == RX_SET)
		emit_run(e, r, r->greed);
	else
		emit_loop(e, r);
}

/* The body of owner (LOOK or ATOMIC); lookbehind branches step back first. */
static void emit_body(struct emitter *e, const struct rx_node *owner,
		      bool behind)
{
	const struct rx_node *kid = owner->kid;

	if (behind && kid->kind == RX_ALT)
		emit_alts(e, kid->kids, kid->nkids, true);
	else if (behind)
		emit_alts(e, &owner->kid, 1, true);
	else
		emit_node(e, kid);
}

static void emit_cut(struct emitter *e, const struct rx_node *owner,
		     bool behind, bool restore)
{
	uint32_t r = new_regs(e, 2);

	emit(e, RXO_CUT_BEGIN, r, 0);
	emit_body(e, owner, behind);
	emit(e, RXO_CUT_END, r, restore);
}

static void emit_atomic(struct emitter *e, const struct rx_node *n)
{
	const struct rx_node *k = n->kid;

	/* Possessive single-set repeat: no choice point at all. */
	if (k->kind == RX_REPEAT && k->kid->kind == RX_SET && k->greed == RX_GREEDY)
		emit_run(e, k, RX_POSSESSIVE);
	else
		emit_cut(e, n, false, false);
}

static void emit_look(struct emitter *e, const struct rx_node *n)
{
	uint32_t r, begin;

	if (!n->negated) {
		emit_cut(e, n, n->behind, true);
		return;
	}
	r = new_regs(e, 1);
	begin = emit(e, RXO_NEG_BEGIN, r, 0);
	emit_body(e, n, n->behind);
	emit(e, RXO_NEG_END, r, 0);
	e->code[begin].x = here(e);
}

static void emit_node(struct emitter *e, const struct rx_node *n)
{
	uint32_t r;

	switch (n->kind) {
	case RX_EMPTY:
		break;
	case RX_SET:
		emit(e, RXO_SET, set_index(e, &n->set), 0);
		break;
	case RX_CAT:
		for (size_t k = 0; k < n->nkids; k++)
			emit_node(e, n->kids[k]);
		break;
	case RX_ALT:
		emit_alts(e, n->kids, n->nkids, false);
		break;
	case RX_REPEAT:
		emit_repeat(e, n);
		break;
	case RX_GROUP:
		r = new_regs(e, 1);
		emit(e, RXO_OPEN, r, n->cap);
		emit_node(e, n->kid);
		emit(e, RXO_CLOSE, r, n->cap);
		break;
	case RX_ATOMIC:
		emit_atomic(e, n);
		break;
	case RX_LOOK:
		emit_look(e, n);
		break;
	case RX_BACKREF:
		emit(e, RXO_BACKREF, n->cap, n->caseless);
		break;
	case RX_ASSERT:
		emit(e, RXO_ASSERT, n->assert, 0);
		break;
	}
}

/*
 * Adds to s the bytes a match of n can start with; returns true if n can
 * match without consuming (then the caller must look further right).
 * Zero-width items are transparent, which only over-approximates.
 */
static bool first_bytes(const struct rx_node *n, struct rx_set *s)
{
	bool empty;

	switch (n->kind) {
	case RX_SET:
		rx_set_union(s, &n->set);
		return false;
	case RX_CAT:
		for (size_t k = 0; k < n->nkids; k++)
			if (!first_bytes(n->kids[k], s))
				return false;
		return true;
	case RX_ALT:
		empty = false;
		for (size_t k = 0; k < n->nkids; k++)
			empty |= first_bytes(n->kids[k], s);
		return empty;
	case RX_REPEAT:
		if (n->max == 0)
			return true;
		return first_bytes(n->kid, s) || n->min == 0;
	case RX_GROUP: case RX_ATOMIC:
		return first_bytes(n->kid, s);
	case RX_BACKREF:
		/* Consumes bytes we cannot know here: any byte may come first. */
		memset(s, 0xff, sizeof *s);
		return true;
	default:
		return true; /* assertions and lookarounds are zero-width */
	}
}

/*
 * The bytes the code from pc on must consume first, if it must consume
 * one before anything else can happen (captures aside): false otherwise.
 */
static bool must_start_with(const struct rx_prog *prog, uint32_t pc, struct rx_set *first)
{
	unsigned steps;

	for (steps = 0; pc < prog->ncode && steps < 16; steps++) {
		const struct rx_inst *in = &prog->code[pc];

		switch (in->op) {
		case RXO_OPEN:
		case RXO_CLOSE:
			pc++;
			break;
		case RXO_JMP:
			pc = in->x;
			break;
		case RXO_SET:
			*first = prog->sets[in->a];
			return true;
		case RXO_RUN:
			if (in->min == 0)
				return false;
			*first = prog->sets[in->a];
			return true;
		default:
			return false;
		}
	}
	return false;
}

/*
 * PCRE's auto-possessification: a greedy run of a set that what follows
 * must leave at once with a byte outside that set can never succeed
 * shorter, so giving its bytes back is useless work (`\w+ \(` on a word
 * without " (" tried every shorter word).  The matches and captures are
 * the same; only failing searches end sooner.
 */
static void possessify(struct rx_prog *prog)
{
	uint32_t pc;

	for (pc = 0; pc < prog->ncode; pc++) {
		struct rx_inst *in = &prog->code[pc];
		struct rx_set next;
		bool disjoint = true;

		if (in->op != RXO_RUN || in->greed != RX_GREEDY ||
		    !must_start_with(prog, pc + 1, &next))
			continue;
		for (unsigned w = 0; w < 4; w++)
			disjoint &= (prog->sets[in->a].w[w] & next.w[w]) == 0;
		if (disjoint)
			in->greed = RX_POSSESSIVE;
	}
}

void regex_compile(struct arena *a, const struct regex *re,
		   struct rx_prog *prog)
{
	struct emitter e = { .a = a, .regbase = 2 * (re->ncaps + 1) };

	emit_node(&e, re->root);
	emit(&e, RXO_MATCH, 0, 0);
	memset(prog, 0, sizeof *prog);
	prog->code = e.code;
	prog->ncode = e.ncode;
	prog->sets = e.sets;
	prog->nsets = e.nsets;
	prog->ncaps = re->ncaps;
	prog->nregs = e.nregs;
	prog->anchored = rx_anchored(re->root);
	prog->first_any = first_bytes(re->root, &prog->first);
	possessify(prog);
}

/* ---- the interpreter -------------------------------------------------------- */

enum choice_kind {
	CH_RESUME,  /* resume at pc with pos */
	CH_GIVE,    /* greedy RUN: give back one byte, down to aux */
	CH_TAKE     /* lazy RUN: take one more byte of sets[set], up to aux */
};

struct rx_choice {
	uint32_t pc;
	uint32_t set;
	enum choice_kind kind;
	long pos, aux;
	size_t trail;
};

struct rx_trail {
	uint32_t reg;
	long old;
};

void rx_vm_init(struct rx_vm *vm)
{
	memset(vm, 0, sizeof *vm);
}

void rx_vm_free(struct rx_vm *vm)
{
	free(vm->regs);
	free(vm->choices);
	free(vm->trail);
	memset(vm, 0, sizeof *vm);
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	p = realloc(p, n * elem);
	if (!p) {
		perror("regex_exec");
		abort();
	}
	*cap = n;
	return p;
}

/* The state of one search: subject, program, and the VM's stacks. */
struct run {
	const struct rx_prog *prog;
	struct rx_vm *vm;
	const unsigned char *s;
	long len;
	unsigned long budget;
};

static void set_reg(struct run *r, uint32_t reg, long v)
{
	struct rx_vm *vm = r->vm;

	vm->trail = grow(vm->trail, &vm->trail_cap, vm->ntrail + 1,
			 sizeof *vm->trail);
	vm->trail[vm->ntrail++] = (struct rx_trail){ reg, vm->regs[reg] };
	vm->regs[reg] = v;
}

static struct rx_choice *push(struct run *r, enum choice_kind kind,
			      uint32_t pc, long pos)
{
	struct rx_vm *vm = r->vm;
	struct rx_choice *c;

	vm->choices = grow(vm->choices, &vm->choices_cap, vm->nchoices + 1,
			   sizeof *vm->choices);
	c = &vm->choices[vm->nchoices++];
	c->kind = kind;
	c->pc = pc;
	c->pos = pos;
	c->trail = vm->ntrail;
	return c;
}

static bool is_word(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

static bool test_assert(const struct run *r, enum rx_assert a, long pos)
{
	const unsigned char *s = r->s;
	long len = r->len;

	switch (a) {
	case RX_A_BEGIN: case RX_A_START: return pos == 0;
	case RX_A_END: return pos == len;
	case RX_A_END_NL: return pos == len || (pos == len - 1 && s[pos] == '\n');
	/* PCRE's ^ does not match after a newline that ends the subject. */
	case RX_A_BOL: return pos == 0 || (pos < len && s[pos - 1] == '\n');
	case RX_A_EOL: return pos == len || s[pos] == '\n';
	case RX_A_WORD: case RX_A_NOT_WORD: {
		bool before = pos > 0 && is_word(s[pos - 1]);
		bool after = pos < len && is_word(s[pos]);

		return (before != after) == (a == RX_A_WORD);
	}
	}
	return false;
}

static int fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* A backreference at *pos; an unset group never matches (PCRE default). */
static bool test_backref(const struct run *r, uint32_t cap, bool caseless,
			 long *pos)
{
	long b = r->vm->regs[2 * cap], e = r->vm->regs[2 * cap + 1];
	long n = e - b;

	if (b < 0 || *pos + n > r->len)
		return false;
	for (long k = 0; k < n; k++) {
		int x = r->s[b + k], y = r->s[*pos + k];

		if (x != y && (!caseless || fold(x) != fold(y)))
			return false;
	}
	*pos += n;
	return true;
}

/* Longest run of sets[set] from pos, at most max bytes. */
static long run_length(const struct run *r, uint32_t set, long pos, uint32_t max)
{
	const struct rx_set *s = &r->prog->sets[set];
	long n = 0;

	while (pos + n < r->len && (max == RX_INF || n < (long)max) &&
	       rx_set_has(s, r->s[pos + n]))
		n++;
	return n;
}

/* RUN: returns false on failure, else the position to continue at. */
static bool exec_run(struct run *r, const struct rx_inst *in, uint32_t pc,
		     long *pos)
{
	long n;
	struct rx_choice *c;

	if (in->greed == RX_LAZY) {
		n = run_length(r, in->a, *pos, in->min);
		if (n < (long)in->min)
			return false;
		*pos += n;
		if (in->max != in->min) {
			c = push(r, CH_TAKE, pc + 1, *pos);
			c->set = in->a;
			c->aux = in->max == RX_INF ? r->len : *pos - n + (long)in->max;
		}
		return true;
	}
	n = run_length(r, in->a, *pos, in->max);
	if (n < (long)in->min)
		return false;
	if (in->greed == RX_GREEDY && n > (long)in->min) {
		c = push(r, CH_GIVE, pc + 1, *pos + n);
		c->aux = *pos + (long)in->min;
	}
	*pos += n;
	return true;
}

/* Pops choice points until one resumes; false when none is left. */
enum resume { RESUMED, NO_CHOICE_LEFT, BUDGET_SPENT };

/* Resumes the newest live choice point, setting *pc and *pos. */
static enum resume backtrack(struct run *r, uint32_t *pc, long *pos)
{
	struct rx_vm *vm = r->vm;

	while (vm->nchoices > 0) {
		struct rx_choice *c = &vm->choices[vm->nchoices - 1];

		if (++vm->resumes > r->budget)
			return BUDGET_SPENT;
		while (vm->ntrail > c->trail) {
			vm->ntrail--;
			vm->regs[vm->trail[vm->ntrail].reg] = vm->trail[vm->ntrail].old;
		}
		switch (c->kind) {
		case CH_RESUME:
			vm->nchoices--;
			*pc = c->pc;
			*pos = c->pos;
			return RESUMED;
		case CH_GIVE:
			if (--c->pos < c->aux)
				break;
			*pc = c->pc;
			*pos = c->pos;
			if (c->pos == c->aux)
				vm->nchoices--;
			return RESUMED;
		case CH_TAKE:
			if (c->pos >= c->aux || c->pos >= r->len ||
			    !rx_set_has(&r->prog->sets[c->set], r->s[c->pos]))
				break;
			*pc = c->pc;
			*pos = ++c->pos;
			return RESUMED;
		}
		vm->nchoices--;
	}
	return NO_CHOICE_LEFT;
}

/* LOOP head: enter the body (pc + 1) or leave (x) in the repeat's order. */
static uint32_t exec_loop(struct run *r, const struct rx_inst *in, uint32_t pc,
			  long pos)
{
	long n = r->vm->regs[in->a];

	if (n < (long)in->min)
		return pc + 1;
	if (in->max != RX_INF && n >= (long)in->max)
		return in->x;
	if (in->greed == RX_LAZY) {
		push(r, CH_RESUME, pc + 1, pos);
		return in->x;
	}
	push(r, CH_RESUME, in->x, pos);
	return pc + 1;
}

/* After an iteration: count it, and stop after an empty one (PCRE). */
static uint32_t exec_inc(struct run *r, const struct rx_inst *in, long pos)
{
	long n = r->vm->regs[in->a] + 1;

	set_reg(r, in->a, n);
	if (in->mark != NO_REG && n >= (long)in->min && r->vm->regs[in->mark] == pos)
		return in->x;
	return in->y;
}

enum step { STEP_NEXT, STEP_JUMP, STEP_FAIL, STEP_MATCH };

/* Executes one instruction; sets *pc for STEP_JUMP. */
static enum step exec_one(struct run *r, uint32_t *pc, long *pos)
{
	const struct rx_inst *in = &r->prog->code[*pc];
	struct rx_vm *vm = r->vm;

	switch (in->op) {
	case RXO_SET:
		if (*pos >= r->len || !rx_set_has(&r->prog->sets[in->a], r->s[*pos]))
			return STEP_FAIL;
		++*pos;
		return STEP_NEXT;
	case RXO_RUN:
		return exec_run(r, in, *pc, pos) ? STEP_NEXT : STEP_FAIL;
	case RXO_SPLIT:
		push(r, CH_RESUME, in->y, *pos);
		*pc = in->x;
		return STEP_JUMP;
	case RXO_JMP:
		*pc = in->x;
		return STEP_JUMP;
	case RXO_OPEN:
		set_reg(r, in->a, *pos);
		return STEP_NEXT;
	case RXO_CLOSE:
		set_reg(r, 2 * in->b, vm->regs[in->a]);
		set_reg(r, 2 * in->b + 1, *pos);
		return STEP_NEXT;
	case RXO_ASSERT:
		return test_assert(r, in->a, *pos) ? STEP_NEXT : STEP_FAIL;
	case RXO_BACKREF:
		return test_backref(r, in->a, in->b, pos) ? STEP_NEXT : STEP_FAIL;
	case RXO_CNT_ZERO:
		set_reg(r, in->a, 0);
		return STEP_NEXT;
	case RXO_LOOP:
		*pc = exec_loop(r, in, *pc, *pos);
		return STEP_JUMP;
	case RXO_CNT_INC:
		*pc = exec_inc(r, in, *pos);
		return STEP_JUMP;
	case RXO_MARK:
		set_reg(r, in->a, *pos);
		return STEP_NEXT;
	case RXO_CUT_BEGIN:
		set_reg(r, in->a, (long)vm->nchoices);
		set_reg(r, in->a + 1, *pos);
		return STEP_NEXT;
	case RXO_CUT_END:
		vm->nchoices = (size_t)vm->regs[in->a];
		if (in->b)
			*pos = vm->regs[in->a + 1];
		return STEP_NEXT;
	case RXO_NEG_BEGIN:
		set_reg(r, in->a, (long)vm->nchoices);
		push(r, CH_RESUME, in->x, *pos);
		return STEP_NEXT;
	case RXO_NEG_END:
		vm->nchoices = (size_t)vm->regs[in->a];
		return STEP_FAIL;
	case RXO_BACK:
		if (*pos < (long)in->a)
			return STEP_FAIL;
		*pos -= in->a;
		return STEP_NEXT;
	case RXO_MATCH:
		return STEP_MATCH;
	}
	return STEP_FAIL;
}

/* One anchored attempt at start. */
static enum rx_result attempt(struct run *r, long start, long *end)
{
	struct rx_vm *vm = r->vm;
	uint32_t pc = 0;
	long pos = start;

	vm->nchoices = vm->ntrail = 0;
	for (size_t k = 0; k < vm->regs_cap; k++)
		vm->regs[k] = -1;
	for (;;) {
		enum step st = exec_one(r, &pc, &pos);

		if (st == STEP_NEXT) {
			pc++;
		} else if (st == STEP_MATCH) {
			break;
		} else if (st == STEP_FAIL) {
			enum resume rs = backtrack(r, &pc, &pos);

			if (rs == NO_CHOICE_LEFT)
				return RX_NOMATCH;
			if (rs == BUDGET_SPENT)
				return RX_LIMIT;
		}
	}
	*end = pos;
	return RX_MATCH;
}

enum rx_result regex_exec(const struct rx_prog *prog, struct rx_vm *vm,
			  const unsigned char *subj, size_t len, long *ovec,
			  unsigned long budget)
{
	struct run r = { prog, vm, subj, (long)len, budget };
	size_t nregs = 2 * (prog->ncaps + 1) + prog->nregs;
	long end;

	if (vm->regs_cap < nregs) {
		free(vm->regs);
		vm->regs = malloc(nregs * sizeof *vm->regs);
		if (!vm->regs) {
			perror("regex_exec");
			abort();
		}
	}
	vm->regs_cap = nregs;
	vm->resumes = 0;
	for (long start = 0; start <= (long)len; start++) {
		enum rx_result res;

		if (prog->anchored && start > 0)
			break;
		if (!prog->first_any &&
		    (start == (long)len || !rx_set_has(&prog->first, subj[start])))
			continue;
		res = attempt(&r, start, &end);
		if (res == RX_LIMIT)
			return RX_LIMIT;
		if (res == RX_MATCH) {
			memcpy(ovec, vm->regs, 2 * (prog->ncaps + 1) * sizeof *ovec);
			ovec[0] = start;
			ovec[1] = end;
			return RX_MATCH;
		}
	}
	return RX_NOMATCH;
}
