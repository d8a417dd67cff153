/*
 * A compiled signature set: the probes and match lines of one probe file
 * with everything the runtime needs to match responses, as constant data
 * and generated functions.  svdc builds this structure in memory
 * (compiler/sigdb_build.c) and writes it out as C (compiler/sigdb_emit.c);
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

/*
 * What the matcher tests of a candidate line, in order: kept apart from
 * struct svd_match so that trying a candidate touches 32 bytes (the
 * prefilter facts of compiler/filter.h, then the function).
 */
struct svd_gate {
	svd_confirm_fn *confirm;
	const uint16_t *prefix;  /* class index per offset from 0 */
	const uint32_t *needs;   /* every literal a match contains */
	uint32_t min_len;        /* no match is shorter */
	uint8_t nprefix;
	uint8_t nneeds;
};

/* A literal that every match of some match lines contains. */
struct svd_literal {
	const unsigned char *bytes; /* lower case where caseless */
	uint8_t len;                /* 4..32 */
	uint32_t caseless;          /* bit i: byte i matches either case */
	const uint32_t *matches;    /* match indices, ascending */
	uint32_t nmatches;
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
	 * The literals of its match lines, each under its rarest 4-gram in
	 * this probe (ASCII-folded), hashed into 1 << gram_bits buckets:
	 * gram[h] .. gram[h + 1] in gram_ents, an entry being two words:
	 * literal << 5 | offset of that 4-gram in the literal, and the 4-gram
	 * itself (so that hash collisions cost no look at the literal).
	 */
	uint32_t gram_bits;
	const uint32_t *gram;
	const uint32_t *gram_ents;
	/* One bit per 4-gram hash with SVD_GRAM_FILTER_BITS more bits: most
	 * positions of a response are dismissed by one test in 4 KB or so. */
	const uint64_t *gram_filter;
	/*
	 * Its match lines without a literal, by the first byte a match can
	 * start with: bucket[b] .. bucket[b + 1] in bucket_ids (ascending).
	 */
	const uint32_t *bucket;    /* 257 entries */
	const uint32_t *bucket_ids;
};

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
};

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

enum { SVD_GRAM_FILTER_BITS = 4 };

/* The hash that indexes literals by one of their folded 4-grams. */
static inline uint32_t svd_gram_hash(uint32_t gram, uint32_t bits)
{
	return (gram * 2654435761u) >> (32 - bits);
}

#endif
