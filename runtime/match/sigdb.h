/*
 * A compiled signature set: the probes and match lines of one probe file
 * with everything the runtime needs to match responses, as constant data
 * and generated functions.  svdc builds this structure in memory
 * (compiler/gen/sigdb_build.c) and writes it out as C (compiler/gen/sigdb_emit.c);
 * the runtime only reads it.  See docs/matcher-design.md.
 */
#ifndef SVD_SIGDB_H
#define SVD_SIGDB_H

#include <stddef.h>
#include <stdint.h>

#include "template.h"

enum svd_proto { SVD_TCP, SVD_UDP };

/* Nmap's ovector holds 150 ints: the whole match and 49 groups. */
enum { SVD_MAX_GROUPS = 49, SVD_OVEC_INTS = 2 * (SVD_MAX_GROUPS + 1) };

struct svd_port_range {
	uint16_t lo, hi;
};

struct svd_match;

/*
 * A match line's regex, specialised into C: searches s[0..n) as
 * pcre_exec(re, NULL, s, n, 0, 0, ovec, SVD_OVEC_INTS) does and returns
 * its result: the number of valid ovec pairs (> 0) on a match, with the
 * offsets in ovec and -1 for unset groups, else 0.
 */
typedef int svd_confirm_fn(const struct svd_match *m, const unsigned char *s,
			   size_t n, int *ovec);

struct svd_match {
	const char *service;
	uint32_t line;     /* in the probe file */
	uint8_t soft;
	uint8_t ngroups;   /* capturing groups of the regex */
	const void *impl;  /* data its confirm function needs, if any */
	struct svd_templates tmpl;
};

enum { SVD_NO_KEY = UINT32_MAX, SVD_NO_BYTE = 256 };

/*
 * What the matcher tests of a candidate line, in order: kept apart from
 * struct svd_match so that trying a candidate touches 40 bytes (the
 * prefilter facts of compiler/regex/filter.h, then the function).
 */
struct svd_gate {
	svd_confirm_fn *confirm;
	const uint16_t *prefix;  /* class index per offset from 0 */
	/* The literals every match contains besides its key. */
	const uint32_t *needs;
	uint32_t min_len;        /* no match is shorter */
	uint32_t max_subject;    /* no longer response can match */
	uint32_t key;            /* the literal that makes it a candidate, or SVD_NO_KEY */
	uint8_t nprefix;
	uint8_t nneeds;
	/* Without a key: a byte every match contains, or SVD_NO_BYTE. */
	uint16_t need_byte;
};

/* A literal that every match of some match lines contains. */
struct svd_literal {
	const unsigned char *bytes; /* lower case where caseless */
	/* 0x20 where a byte matches either case of a letter, else 0: a
	 * response byte c matches bytes[i] when (c | fold[i]) == bytes[i]. */
	const unsigned char *fold;
	uint8_t len;                /* 4..32 */
	/* The byte of it that responses have least often and that matches
	 * only itself, what a search looks for; len when all are caseless. */
	uint8_t search_at;
	const uint32_t *matches;    /* match indices, ascending */
	uint32_t nmatches;
};

/*
 * Literals under their rarest 4-gram (ASCII-folded, svd_gram_at), hashed
 * into 1 << bits buckets: gram[h] .. gram[h + 1] in ents, an entry being
 * two words: literal << 5 | offset of that 4-gram in the literal, and the
 * 4-gram itself (so that hash collisions cost no look at the literal).
 * In front, a filter of one bit per 4-gram hash with SVD_GRAM_FILTER_BITS
 * more bits: most positions of a response are dismissed by one test.
 * With a stride of 2, each literal is filed under two consecutive 4-grams
 * (one of them starts at an even offset wherever it occurs), so that the
 * scan tests even offsets only.
 */
struct svd_gram_index {
	uint32_t bits;
	uint32_t stride; /* 1 or 2 */
	const uint32_t *gram;
	const uint32_t *ents;
	const uint64_t *filter;
};

struct svd_probe {
	const char *name;
	uint8_t proto;      /* enum svd_proto */
	uint8_t rarity;     /* 1-9; 5 when the file gave none */
	uint8_t no_payload;
	const unsigned char *payload;
	uint32_t payload_len;
	uint32_t totalwaitms;  /* 0: not given */
	uint32_t tcpwrappedms; /* 0: not given */
	const struct svd_port_range *ports, *sslports;
	uint16_t nports, nsslports;
	const uint16_t *chain; /* probe indices: itself, fallbacks, NULL */
	uint16_t nchain;
	uint32_t first_match, nmatches; /* its lines in svd_sigdb.matches */
	/*
	 * Its lines without a key: the root of their tree in
	 * svd_sigdb.tree_nodes, and a leaf of those that test no byte.
	 */
	uint32_t tree_root, tree_any;
	/*
	 * Its lines with a key whose matches start with a run of bytes from
	 * sets of at most two (a literal prefix, a [01] or a letter in either
	 * case): a tree over that run.  Where its leaf for a response lists
	 * them, they are few and each key is looked for alone; where it says
	 * SVD_TREE_SCAN, `keys` finds them.
	 */
	uint32_t keyed_root;
	/* The keys of all its lines, and of those not in the keyed tree. */
	struct svd_gram_index keys, loose_keys;
};

/*
 * A decision tree over a response's first bytes that narrows a set of a
 * probe's match lines (compiler/gen/prefix_tree.h): an inner node reads the
 * byte at `offset` and goes on to kid tree_maps[map][byte]; a leaf lists
 * the lines that can still match, ascending, or says SVD_TREE_SCAN: too
 * many to list.  A response too short for an offset may take any kid: the
 * lines that can match it allow any byte there, so every kid holds them.
 */
enum { SVD_TREE_SCAN = UINT32_MAX };

struct svd_tree_node {
	uint32_t first; /* inner: its kids are nodes first..; leaf: lines at tree_lines[first..] */
	uint32_t count; /* kids, or lines, or SVD_TREE_SCAN */
	uint32_t map;   /* inner */
	uint8_t offset; /* inner */
	uint8_t leaf;
};

/* The leaf of the tree at `node` that the first bytes of s[0..n) lead to. */
static inline const struct svd_tree_node *svd_tree_leaf(const struct svd_tree_node *nodes,
						       const uint8_t (*maps)[256],
						       uint32_t node,
						       const unsigned char *s, size_t n)
{
	const struct svd_tree_node *t = &nodes[node];

	while (!t->leaf) {
		unsigned c = t->offset < n ? s[t->offset] : 0;

		t = &nodes[t->first + maps[t->map][c]];
	}
	return t;
}

struct svd_sigdb {
	const char *name;    /* "nmap", "own", ... */
	const char *source;  /* the probe file it was compiled from */
	const struct svd_probe *probes;
	uint32_t nprobes;
	int32_t null_probe;  /* index, or -1 */
	const struct svd_match *matches;
	const struct svd_gate *gates; /* by match line */
	uint32_t nmatches, nsoft;
	const struct svd_port_range *exclude_tcp, *exclude_udp;
	uint32_t nexclude_tcp, nexclude_udp;
	const uint64_t (*classes)[4]; /* 256-bit byte sets */
	uint32_t nclasses;
	const struct svd_literal *literals;
	uint32_t nliterals;
	const struct svd_tree_node *tree_nodes;
	const uint32_t *tree_lines;  /* match indices */
	const uint8_t (*tree_maps)[256];
	uint32_t ntree_nodes, ntree_lines, ntree_maps;
};

/*
 * The runtime ABI of compiled sets: the layout of the structures above,
 * of template.h's and of confirm_gen.h's struct bt, and what the
 * functions of confirm_gen.h do.  Bump it with any change to them: a set
 * loaded at run time (svdc --shared, svdetect --signatures PATH.so,
 * sigdb_load.h) carries the number it was compiled with, and a runtime
 * refuses a set of another number.
 */
#define SVD_SIGDB_ABI 1

/*
 * What a loadable set exports as `svd_sigdb_module` (svdc --shared writes
 * it with SVD_SIGDB_MODULE_INIT).  `abi` stays the first member in every
 * ABI, so that any runtime can read it; the sizes catch a set compiled
 * against headers changed without a bump of SVD_SIGDB_ABI.
 */
struct svd_sigdb_module {
	uint32_t abi;
	uint32_t sizes[6];
	const struct svd_sigdb *set;
};

#define SVD_SIGDB_SIZES { sizeof(struct svd_sigdb), sizeof(struct svd_probe), \
	sizeof(struct svd_match), sizeof(struct svd_gate), sizeof(struct svd_literal), \
	sizeof(struct svd_tree_node) }
#define SVD_SIGDB_MODULE_INIT(set) { SVD_SIGDB_ABI, SVD_SIGDB_SIZES, (set) }

static inline int svd_class_has(const uint64_t cls[4], unsigned char c)
{
	return (int)((cls[c >> 6] >> (c & 63)) & 1);
}

/* ASCII-only case folding: what PCRE's caseless matching does in the C
 * locale, and how literals are stored, indexed and scanned. */
static inline unsigned char svd_fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* The folded 4-gram at p, byte 0 lowest: what literals are indexed by. */
static inline uint32_t svd_gram_at(const unsigned char *p)
{
	return (uint32_t)svd_fold(p[0]) | (uint32_t)svd_fold(p[1]) << 8 |
	       (uint32_t)svd_fold(p[2]) << 16 | (uint32_t)svd_fold(p[3]) << 24;
}

enum { SVD_GRAM_FILTER_BITS = 4 };

/*
 * The hash that indexes literals by one of their folded 4-grams, bits
 * wide: the low bits of a 64-bit product's high word, which are well
 * mixed, so that a table of any size takes them with a mask (the scan
 * pays no shift by a variable count).
 */
static inline uint32_t svd_gram_hash(uint32_t gram, uint32_t bits)
{
	return (uint32_t)((uint64_t)gram * 0x9e3779b97f4a7c15ull >> 32) &
	       (uint32_t)((1ull << bits) - 1);
}

/* A gram's bucket: its filter bit's index without the filter's extra bits. */
static inline uint32_t svd_gram_bucket(uint32_t gram, uint32_t bits)
{
	return svd_gram_hash(gram, bits + SVD_GRAM_FILTER_BITS) >> SVD_GRAM_FILTER_BITS;
}

#endif
