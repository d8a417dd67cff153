/*
 * The regex layer of the matcher compiler: PCRE pattern bytes -> IR ->
 * flat backtracking program, plus a reference interpreter of that program.
 *
 * The IR (struct rx_node) is what Nmap's PCRE (8.39, non-UTF, C locale,
 * only CASELESS and DOTALL) means by a pattern, with every flag resolved:
 * literals, classes, `.` and the escapes \d \w \s ... are all byte sets
 * (caseless folding and DOTALL are already applied), ^ $ are explicit
 * assertions, and groups carry their capture number.  Later stages never
 * look at option bits again.  See docs/regex-semantics.md.
 *
 * The program (struct rx_prog) is the IR lowered to a flat instruction
 * list with explicit continuations; regex_exec() interprets it with PCRE's
 * leftmost-first backtracking and an explicit stack.  It is the oracle for
 * the generated matchers and is never linked into the scanner.  See
 * note [backtracking model] in regex_eval.c.
 *
 * Ownership: everything regex_parse() and regex_compile() return lives in
 * the arena the caller passes; a struct rx_vm owns its own heap stacks and
 * is released with rx_vm_free().
 */
#ifndef SVD_REGEX_H
#define SVD_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "diag.h"

/* ---- byte sets ---------------------------------------------------------- */

struct rx_set {
	uint64_t w[4];
};

static inline bool rx_set_has(const struct rx_set *s, unsigned c)
{
	return (s->w[c >> 6] >> (c & 63)) & 1;
}

static inline void rx_set_add(struct rx_set *s, unsigned c)
{
	s->w[c >> 6] |= (uint64_t)1 << (c & 63);
}

void rx_set_add_range(struct rx_set *s, unsigned lo, unsigned hi);
void rx_set_union(struct rx_set *s, const struct rx_set *t);
void rx_set_negate(struct rx_set *s);
unsigned rx_set_count(const struct rx_set *s);
/* Adds the other case of every ASCII letter in s (PCRE's C-locale fcc). */
void rx_set_fold(struct rx_set *s);

/* ---- IR ----------------------------------------------------------------- */

enum rx_kind {
	RX_EMPTY,   /* matches the empty string */
	RX_SET,     /* one byte of set */
	RX_CAT,     /* kids in sequence */
	RX_ALT,     /* kids, tried left to right */
	RX_REPEAT,  /* kid{min,max}, greed */
	RX_GROUP,   /* capturing group number cap (>= 1) */
	RX_ATOMIC,  /* (?>kid); possessive quantifiers become this */
	RX_LOOK,    /* (?=) (?!) (?<=) (?<!) around kid */
	RX_BACKREF, /* \cap, caseless or not */
	RX_ASSERT   /* zero-width test of type assert */
};

enum { RX_INF = UINT32_MAX }; /* max of an unbounded repeat */

enum rx_greed { RX_GREEDY, RX_LAZY, RX_POSSESSIVE };

enum rx_assert {
	RX_A_BEGIN,     /* \A, and ^ without multiline */
	RX_A_END,       /* \z */
	RX_A_END_NL,    /* \Z, and $ without multiline: end or before final \n */
	RX_A_BOL,       /* ^ under (?m) */
	RX_A_EOL,       /* $ under (?m) */
	RX_A_WORD,      /* \b */
	RX_A_NOT_WORD,  /* \B */
	RX_A_START      /* \G: at the search's start offset (0 for Nmap) */
};

struct rx_node {
	enum rx_kind kind;
	unsigned off; /* pattern offset of the construct, for messages */
	struct rx_set set;       /* RX_SET */
	struct rx_node **kids;   /* RX_CAT, RX_ALT (n >= 2 for ALT) */
	size_t nkids;
	struct rx_node *kid;     /* REPEAT, GROUP, ATOMIC, LOOK */
	uint32_t min, max;       /* REPEAT */
	enum rx_greed greed;     /* REPEAT; never POSSESSIVE after parsing */
	unsigned cap;            /* GROUP, BACKREF */
	bool caseless;           /* BACKREF */
	bool behind, negated;    /* LOOK */
	enum rx_assert assert;   /* ASSERT */
};

struct regex {
	struct rx_node *root;
	unsigned ncaps; /* capturing groups; ovector has ncaps + 1 pairs */
	size_t err_off; /* after a failed parse: the error's pattern offset */
};

/*
 * Parses len pattern bytes with flags (REGEX_CASELESS, REGEX_DOTALL from
 * ast.h).  On a syntax error reports it to d at at.col + offset (the byte
 * where PCRE would put its error offset) and returns false.  Constructs
 * PCRE accepts but svdetect does not implement are reported as
 * "unsupported" errors.
 */
bool regex_parse(struct arena *a, const unsigned char *pat, size_t len,
		 unsigned flags, struct loc at, struct diag *d, struct regex *out);

/*
 * The fixed length of n in bytes, if it has one (lookbehind branches must:
 * PCRE allows different lengths only for top-level alternatives).
 */
bool rx_fixed_length(const struct rx_node *n, uint32_t *len);
/* The shortest subject n can match (0: it may match empty). */
uint32_t rx_min_length(const struct rx_node *n);
/* The bytes every match of n contains (each from a one-byte set). */
void rx_required_bytes(const struct rx_node *n, struct rx_set *out);
/* The longest subject n can match, RX_INF when unbounded. */
uint32_t rx_max_length(const struct rx_node *n);
/* Whether every match of n starts at offset 0 (^, \A or \G first). */
bool rx_anchored(const struct rx_node *n);
/* Where every match of n ends, if it must end at the subject's end. */
enum rx_assert_end {
	RX_END_NONE,  /* anywhere */
	RX_END_EXACT, /* at the end (\z) */
	RX_END_OR_NL  /* at the end or before a final newline ($, \Z) */
};
enum rx_assert_end rx_end_anchor(const struct rx_node *n);
/*
 * The byte s stands for in a literal comparison: its only byte, or the
 * lower case of a letter when s is both cases of it (*fold then); -1 when
 * s is neither.
 */
int rx_set_literal(const struct rx_set *s, bool *fold);

/* Counts of constructs, for the DB survey (regex_diff --stats). */
struct rx_stats {
	unsigned long lazy, possessive, atomic, lookahead, neg_lookahead,
		lookbehind, neg_lookbehind, backref, named, big_repeat,
		counted, groups, word_assert, dollar, caret;
};
void regex_stats(const struct regex *re, struct rx_stats *st);

/* Prints the IR as an S-expression (debugging, tests). */
void regex_dump(const struct regex *re, FILE *out);

/* ---- program ------------------------------------------------------------ */

enum rx_op {
	RXO_SET,        /* consume one byte in sets[a] */
	RXO_RUN,        /* sets[a]{min,max} with greed: one choice point */
	RXO_SPLIT,      /* try x, on failure y */
	RXO_JMP,        /* goto x */
	RXO_OPEN,       /* reg[a] = pos (tentative start of capture b) */
	RXO_CLOSE,      /* capture b = (reg[a], pos) */
	RXO_ASSERT,     /* zero-width test a (enum rx_assert) */
	RXO_BACKREF,    /* capture a again; b = caseless */
	RXO_CNT_ZERO,   /* reg[a] = 0 */
	RXO_LOOP,       /* counted loop head, counter reg[a]: body at pc+1 */
	RXO_CNT_INC,    /* reg[a]++; then if empty iteration ends loop: goto x */
	RXO_MARK,       /* reg[a] = pos (start of a loop iteration) */
	RXO_CUT_BEGIN,  /* reg[a] = choice-stack height, reg[a+1] = pos */
	RXO_CUT_END,    /* drop choices above reg[a]; b: pos = reg[a+1] */
	RXO_NEG_BEGIN,  /* choice "resume at x"; reg[a] = height below it */
	RXO_NEG_END,    /* drop choices down to reg[a], then fail */
	RXO_BACK,       /* pos -= a, fail if that leaves the subject */
	RXO_MATCH
};

struct rx_inst {
	enum rx_op op;
	uint32_t a, b;
	uint32_t min, max; /* RUN, LOOP */
	uint32_t x, y;     /* jump targets */
	uint8_t greed;     /* RUN, LOOP (enum rx_greed) */
	uint32_t mark;     /* CNT_INC: mark register, or UINT32_MAX */
};

struct rx_prog {
	struct rx_inst *code;
	size_t ncode;
	struct rx_set *sets;
	size_t nsets;
	unsigned ncaps;   /* as struct regex */
	unsigned nregs;   /* work registers (captures excluded) */
	bool anchored;    /* can only match at offset 0 */
	bool first_any;   /* first byte unrestricted (may match empty) */
	struct rx_set first; /* bytes a match can start with, unless first_any */
};

void regex_compile(struct arena *a, const struct regex *re,
		   struct rx_prog *prog);
void regex_prog_dump(const struct rx_prog *prog, FILE *out);

/* ---- reference matcher ---------------------------------------------------- */

struct rx_vm {
	long *regs;        /* captures (2 per group) then work registers */
	size_t regs_cap;
	struct rx_choice *choices;
	size_t nchoices, choices_cap;
	struct rx_trail *trail;
	size_t ntrail, trail_cap;
	unsigned long resumes; /* choice points the last search looked at */
};

void rx_vm_init(struct rx_vm *vm);
void rx_vm_free(struct rx_vm *vm);

enum rx_result { RX_NOMATCH = 0, RX_MATCH = 1, RX_LIMIT = -1 };

/*
 * Unanchored search of subj[0..len) as pcre_exec(re, NULL, subj, len, 0,
 * 0, ...).  On RX_MATCH fills ovec[0 .. 2*(ncaps+1)) with byte offsets,
 * -1 for unset groups.  Stops with RX_LIMIT when backtracking would look
 * at choice point budget + 1, counted over the whole search exactly as
 * the generated matchers count against BT_BUDGET (runtime/match/bt_budget.h).
 */
enum rx_result regex_exec(const struct rx_prog *prog, struct rx_vm *vm,
			  const unsigned char *subj, size_t len, long *ovec,
			  unsigned long budget);

#endif
