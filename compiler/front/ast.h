/*
 * The parsed signature database: every field of a probe file, with the
 * source location of every directive, kept exactly (regexes and templates
 * as raw bytes, the probe payload decoded).  All memory belongs to
 * db->arena; probe_db_free() releases it in one call.
 */
#ifndef SVD_AST_H
#define SVD_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

enum proto { PROTO_TCP, PROTO_UDP };

/* Bytes that may contain NUL; p is NUL-terminated for convenience. */
struct bytes {
	const unsigned char *p;
	size_t len;
};

struct port_range {
	uint16_t lo, hi;
};

struct port_list {
	struct port_range *v;
	size_t n, cap;
};

/* An Exclude entry: a port range for TCP, UDP or (no prefix) both. */
enum { EXCLUDE_TCP = 1, EXCLUDE_UDP = 2 };
struct exclude_range {
	unsigned protos;
	uint16_t lo, hi;
};

/* Version fields, in the order of their template letters "pvihod". */
enum field {
	FIELD_PRODUCT,
	FIELD_VERSION,
	FIELD_INFO,
	FIELD_HOSTNAME,
	FIELD_OSTYPE,
	FIELD_DEVICETYPE,
	FIELD_COUNT
};
extern const char field_letter[FIELD_COUNT + 1];

/* A version template such as p/OpenSSH/; text.p == NULL when absent. */
struct template {
	struct bytes text;
	char delim;
	struct loc at; /* the field's letter */
};

/* cpe:/a:vendor:product:$1/ -- text holds "a:vendor:product:$1". */
struct cpe_template {
	struct bytes text;
	char delim;
	bool auto_flag; /* the trailing 'a' */
	struct loc at;
};

enum { REGEX_CASELESS = 1, REGEX_DOTALL = 2 };

struct match {
	struct loc at; /* the match line */
	bool soft;
	const char *service;
	struct bytes regex; /* raw pattern bytes between the delimiters */
	char regex_delim;
	unsigned regex_flags;
	struct loc regex_at; /* first byte of the pattern */
	struct template field[FIELD_COUNT];
	struct cpe_template *cpe;
	size_t ncpe, cpe_cap;
};

/* Per-probe directives that may appear once. */
enum directive {
	DIRECTIVE_PORTS,
	DIRECTIVE_SSLPORTS,
	DIRECTIVE_RARITY,
	DIRECTIVE_TOTALWAITMS,
	DIRECTIVE_TCPWRAPPEDMS,
	DIRECTIVE_FALLBACK,
	DIRECTIVE_COUNT
};
extern const char *const directive_name[DIRECTIVE_COUNT];

/* Nmap's limits for the numeric directives, and its defaults. */
enum {
	RARITY_MIN = 1,
	RARITY_MAX = 9,
	RARITY_DEFAULT = 5,
	WAITMS_MIN = 100,
	WAITMS_MAX = 300000,
	FALLBACK_MAX = 17 /* Nmap keeps 20 chain slots: self, 17, NULL, end */
};

/* One name of a fallback directive. */
struct fallback {
	const char *name;
	struct loc at;
};

struct probe {
	struct loc at;
	enum proto proto;
	const char *name;
	struct bytes payload; /* decoded; empty for the NULL probe */
	bool no_payload;
	unsigned directive_line[DIRECTIVE_COUNT]; /* 0: directive absent */
	int rarity, totalwaitms, tcpwrappedms;   /* valid when present */
	struct port_list ports, sslports;
	struct fallback *fallback;
	size_t nfallback, fallback_cap;
	struct match *matches;
	size_t nmatches, match_cap;
	/*
	 * Filled by probe_db_validate(): indices into db->probes of the
	 * fallback chain (the probe itself, its fallbacks, then the NULL probe
	 * for TCP), the order in which match lines are tried.
	 */
	size_t *chain;
	size_t nchain;
};

struct probe_db {
	struct arena arena;
	const char *file;
	unsigned exclude_line; /* 0: no Exclude directive */
	struct exclude_range *exclude;
	size_t nexclude, exclude_cap;
	struct probe *probes;
	size_t nprobes, probe_cap;
	size_t null_probe; /* index, or SIZE_MAX when there is none */
};

void probe_db_init(struct probe_db *db, const char *file);
void probe_db_free(struct probe_db *db);

/* Builders used by the parser; each returns the new element. */
struct probe *probe_db_add_probe(struct probe_db *db);
struct match *probe_add_match(struct probe_db *db, struct probe *p);
struct cpe_template *match_add_cpe(struct probe_db *db, struct match *m);
void port_list_add(struct probe_db *db, struct port_list *l, uint16_t lo,
		   uint16_t hi);
void probe_add_fallback(struct probe_db *db, struct probe *p, const char *name,
			struct loc at);
void probe_db_add_exclude(struct probe_db *db, unsigned protos, uint16_t lo,
			  uint16_t hi);

struct bytes bytes_dup(struct probe_db *db, const void *p, size_t len);

/* Counts for summaries. */
struct probe_db_stats {
	size_t probes[2]; /* by enum proto */
	size_t matches, softmatches;
};
struct probe_db_stats probe_db_stats(const struct probe_db *db);

#endif
