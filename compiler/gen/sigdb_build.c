#include "sigdb_build.h"

#include <string.h>

#include "intern.h"
#include "prefix_tree.h"

static struct svd_port_range *port_ranges(struct arena *a, const struct port_list *l)
{
	struct svd_port_range *r = arena_alloc(a, (l->n ? l->n : 1) * sizeof *r);
	size_t i;

	for (i = 0; i < l->n; i++) {
		r[i].lo = l->v[i].lo;
		r[i].hi = l->v[i].hi;
	}
	return r;
}

static struct svd_tmpl tmpl_of(struct bytes b)
{
	struct svd_tmpl t = { b.p, b.len };

	return t;
}

static void build_probes(struct arena *a, const struct probe_db *pdb,
			 struct svd_probe *out)
{
	uint32_t first = 0;
	size_t i, k;

	for (i = 0; i < pdb->nprobes; i++) {
		const struct probe *p = &pdb->probes[i];
		struct svd_probe *q = &out[i];
		uint16_t *chain = arena_alloc(a, p->nchain * sizeof *chain);

		q->name = p->name;
		q->proto = p->proto == PROTO_TCP ? SVD_TCP : SVD_UDP;
		q->rarity = (uint8_t)(p->directive_line[DIRECTIVE_RARITY] ? p->rarity
									  : RARITY_DEFAULT);
		q->no_payload = p->no_payload;
		q->payload = p->payload.p;
		q->payload_len = (uint32_t)p->payload.len;
		q->totalwaitms = (uint32_t)p->totalwaitms;
		q->tcpwrappedms = (uint32_t)p->tcpwrappedms;
		q->ports = port_ranges(a, &p->ports);
		q->nports = (uint16_t)p->ports.n;
		q->sslports = port_ranges(a, &p->sslports);
		q->nsslports = (uint16_t)p->sslports.n;
		for (k = 0; k < p->nchain; k++)
			chain[k] = (uint16_t)p->chain[k];
		q->chain = chain;
		q->nchain = (uint16_t)p->nchain;
		q->first_match = first;
		q->nmatches = (uint32_t)p->nmatches;
		first += (uint32_t)p->nmatches;
	}
}

/* Parses one regex and fills what depends on it. */
static bool build_regex(struct arena *a, struct intern *classes,
			const struct match *m, struct diag *d, struct regex *re,
			struct rx_filter *f, struct svd_match *out, struct svd_gate *gate)
{
	uint16_t *prefix;
	unsigned k;

	if (!regex_parse(a, m->regex.p, m->regex.len, m->regex_flags, m->regex_at, d, re))
		return false;
	if (re->ncaps > SVD_MAX_GROUPS) {
		diag_error(d, m->regex_at,
			   "regex has %u capturing groups; Nmap's ovector holds %d",
			   re->ncaps, SVD_MAX_GROUPS);
		return false;
	}
	filter_analyze(re, f);
	out->ngroups = (uint8_t)re->ncaps;
	gate->min_len = f->min_len;
	gate->max_subject = f->max_subject;
	gate->nprefix = (uint8_t)f->nprefix;
	prefix = arena_alloc(a, (f->nprefix ? f->nprefix : 1) * sizeof *prefix);
	for (k = 0; k < f->nprefix; k++) {
		int added;

		prefix[k] = (uint16_t)intern_add(classes, f->prefix[k].w,
						 sizeof f->prefix[k].w, &added);
	}
	gate->prefix = prefix;
	return true;
}

enum { LITERAL_MIN = 4 }; /* shorter ones cannot be found by 4-grams */

/* The key under which equal literals are shared: caseless mask, bytes. */
static size_t literal_key(const struct rx_literal *l, unsigned char *key)
{
	uint32_t mask = 0;
	unsigned k;

	for (k = 0; k < l->len; k++)
		mask |= (uint32_t)l->caseless[k] << k;
	memcpy(key, &mask, sizeof mask);
	memcpy(key + sizeof mask, l->bytes, l->len);
	return sizeof mask + l->len;
}

/*
 * Which of a regex's required runs the scan looks for: the one the fewest
 * regexes of the database share, so that text most responses contain
 * ("Server: ", "\r\n\r\n") does not make a line a candidate everywhere;
 * among equals, the longest.  Returns an index into f->runs, or -1.
 */
static int pick_run(const struct rx_filter *f, struct intern *runs, const uint32_t *shared)
{
	unsigned char key[4 + FILTER_LITERAL_MAX];
	uint32_t least = UINT32_MAX;
	int best = -1, added;
	unsigned k;

	for (k = 0; k < f->nruns; k++) {
		uint32_t id;

		if (f->runs[k].len < LITERAL_MIN)
			continue;
		id = intern_add(runs, key, literal_key(&f->runs[k], key), &added);
		if (shared[id] < least) {
			least = shared[id];
			best = (int)k;
		}
	}
	return best;
}

/*
 * How likely byte c is to be in a response, for picking the byte of a
 * literal that memchr looks for: the rough rank of filter_commonness,
 * then, within a rank, how often the file's literals hold c.  Literals
 * tell what responses carry: `C` ranks with `j` and `x`, but it starts
 * the many "Content-" literals, and HTTP responses have it in every
 * other header.
 */
static uint64_t search_rank(const uint32_t *in_literals, unsigned c)
{
	return (uint64_t)filter_commonness(c) << 32 | in_literals[c];
}

/* Literals shared by match lines, each with its lines. */
static void build_literals(struct arena *a, struct sigdb_build *b)
{
	struct svd_sigdb *db = &b->db;
	struct intern lits, runs;
	uint32_t *count, *shared, i, k, in_literals[256] = { 0 };
	struct svd_literal *out;
	unsigned char key[4 + FILTER_LITERAL_MAX];
	int added;

	/* How many regexes require each run. */
	intern_init(&runs, a);
	for (i = 0; i < db->nmatches; i++)
		for (k = 0; k < b->filters[i].nruns; k++)
			intern_add(&runs, key, literal_key(&b->filters[i].runs[k], key), &added);
	shared = arena_alloc(a, (runs.n + 1) * sizeof *shared);
	for (i = 0; i < db->nmatches; i++)
		for (k = 0; k < b->filters[i].nruns; k++)
			shared[intern_add(&runs, key, literal_key(&b->filters[i].runs[k], key), &added)]++;
	intern_init(&lits, a);
	for (i = 0; i < db->nmatches; i++) {
		const struct rx_filter *f = &b->filters[i];
		int r = pick_run(f, &runs, shared);
		uint32_t *needs = arena_alloc(a, (f->nruns + 1) * sizeof *needs);
		uint8_t n = 0;

		b->picked[i] = r < 0 ? -1 :
			(int32_t)intern_add(&lits, key, literal_key(&f->runs[r], key), &added);
		for (k = 0; k < f->nruns; k++)
			if (f->runs[k].len >= LITERAL_MIN && (int)k != r)
				needs[n++] = intern_add(&lits, key, literal_key(&f->runs[k], key), &added);
		b->gates[i].key = r < 0 ? SVD_NO_KEY : (uint32_t)b->picked[i];
		/* A key's bytes are in every match already. */
		b->gates[i].need_byte = (uint16_t)(r < 0 ? f->need_byte : SVD_NO_BYTE);
		b->gates[i].needs = needs;
		b->gates[i].nneeds = n;
	}
	db->nliterals = (uint32_t)lits.n;
	out = arena_alloc(a, (lits.n ? lits.n : 1) * sizeof *out);
	count = arena_alloc(a, (lits.n ? lits.n : 1) * sizeof *count);
	for (i = 0; i < db->nmatches; i++)
		if (b->picked[i] >= 0)
			count[b->picked[i]]++;
	for (i = 0; i < lits.n; i++)
		for (k = sizeof(uint32_t); k < lits.key[i].len; k++)
			in_literals[((const unsigned char *)lits.key[i].p)[k]]++;
	for (i = 0; i < lits.n; i++) {
		const unsigned char *stored = lits.key[i].p;

		unsigned char *fold;
		uint32_t caseless;

		memcpy(&caseless, stored, sizeof caseless);
		out[i].bytes = stored + sizeof caseless;
		out[i].len = (uint8_t)(lits.key[i].len - sizeof caseless);
		out[i].fold = fold = arena_alloc(a, out[i].len);
		out[i].search_at = out[i].len;
		for (k = 0; k < out[i].len; k++) {
			fold[k] = (caseless >> k & 1) ? 0x20 : 0;
			if (!fold[k] && (out[i].search_at == out[i].len ||
					 search_rank(in_literals, out[i].bytes[k]) <
						 search_rank(in_literals, out[i].bytes[out[i].search_at])))
				out[i].search_at = (uint8_t)k;
		}
		out[i].matches = arena_alloc(a, count[i] * sizeof *out[i].matches);
	}
	/* Match lines are visited in order, so each list comes out ascending. */
	for (i = 0; i < db->nmatches; i++) {
		struct svd_literal *l;

		if (b->picked[i] < 0)
			continue;
		l = &out[b->picked[i]];
		((uint32_t *)l->matches)[l->nmatches++] = i;
	}
	db->literals = out;
}

/* Counts of 4-grams: a small open-addressing table, keys are the grams. */
struct gram_counts {
	uint32_t *key, *count;
	size_t mask;
};

static uint32_t *gram_slot(struct gram_counts *t, uint32_t gram)
{
	size_t i = svd_gram_hash(gram, 32) & t->mask;

	while (t->count[i] && t->key[i] != gram)
		i = (i + 1) & t->mask;
	t->key[i] = gram;
	return &t->count[i];
}

enum {
	KEYED_RUN_MIN = 2,  /* bytes of narrow prefix that put a keyed line in the tree */
	KEYED_LIST_MAX = 16, /* keyed lines a leaf lists to be checked one by one */
	/* The loose index's stride: the keys the keyed tree leaves are
	 * scanned for on every response, at half its offsets. */
	LOOSE_STRIDE = 2
};

/* The bytes of line m's matches that come from sets of at most two, from
 * the first on: what the keyed tree tests. */
static unsigned narrow_run(const struct sigdb_build *b, uint32_t m)
{
	const struct rx_filter *f = &b->filters[m];
	unsigned d = 0;

	while (f->anchored && d < f->nprefix && rx_set_count(&f->prefix[d]) <= 2)
		d++;
	return d;
}

/* Whether line m, which has a key, is in its probe's keyed tree. */
static bool in_keyed_tree(const struct sigdb_build *b, uint32_t m)
{
	return b->picked[m] >= 0 && narrow_run(b, m) >= KEYED_RUN_MIN;
}

/*
 * Whether line m's key is in its probe's loose index: the keyed tree does
 * not hold the line, and the key is long enough for the index's stride.
 * The other keyed lines are in the tree of lines without a key, their
 * keys looked for one by one.
 */
static bool in_loose_index(const struct sigdb_build *b, uint32_t m)
{
	return b->picked[m] >= 0 && !in_keyed_tree(b, m) &&
	       b->db.literals[b->picked[m]].len >= 3 + LOOSE_STRIDE;
}

/*
 * A literal index of probe p: the keys of its lines, or of those in its
 * loose index, each filed under `stride` consecutive 4-grams (see struct
 * svd_gram_index).  The 4-grams picked for a literal are those that the
 * fewest of the index's literals contain, so that common text
 * ("\r\nServer: ") does not make one bucket that every response hits.
 */
static void build_gram_index(struct arena *a, const struct sigdb_build *b,
			     const struct svd_probe *p, bool loose, uint32_t stamp,
			     uint32_t *seen, struct svd_gram_index *out)
{
	const struct svd_literal *lits = b->db.literals;
	uint32_t stride = loose ? LOOSE_STRIDE : 1;
	uint32_t *ids, *pick, *gram, *ents, *fill, bits, i, j, k, n = 0, m;
	uint64_t *filter;
	struct gram_counts t;
	size_t grams = 0;

	ids = arena_alloc(a, (p->nmatches + 1) * sizeof *ids);
	for (m = p->first_match; m < p->first_match + p->nmatches; m++) {
		int32_t l = b->picked[m];

		if (l >= 0 && seen[l] != stamp && (!loose || in_loose_index(b, m))) {
			seen[l] = stamp;
			ids[n++] = (uint32_t)l;
			grams += lits[l].len - 3u;
		}
	}
	for (t.mask = 15; t.mask + 1 < 2 * grams; t.mask = 2 * t.mask + 1)
		;
	t.key = arena_alloc(a, (t.mask + 1) * sizeof *t.key);
	t.count = arena_alloc(a, (t.mask + 1) * sizeof *t.count);
	for (i = 0; i < n; i++)
		for (k = 0; k + 4 <= lits[ids[i]].len; k++)
			++*gram_slot(&t, svd_gram_at(lits[ids[i]].bytes + k));
	pick = arena_alloc(a, (n + 1) * sizeof *pick);
	for (i = 0; i < n; i++) {
		uint32_t best = 0, least = UINT32_MAX, c;

		for (k = 0; k + stride + 3 <= lits[ids[i]].len; k++) {
			for (c = 0, j = 0; j < stride; j++)
				c += *gram_slot(&t, svd_gram_at(lits[ids[i]].bytes + k + j));
			if (c < least) {
				least = c;
				best = k;
			}
		}
		pick[i] = best;
	}
	for (bits = 4; bits < 16 && (1u << bits) < 2 * n * stride; bits++)
		;
	gram = arena_alloc(a, ((1u << bits) + 1) * sizeof *gram);
	fill = arena_alloc(a, (1u << bits) * sizeof *fill);
	ents = arena_alloc(a, 2 * (n * stride + 1) * sizeof *ents);
	filter = arena_alloc(a, ((1u << (bits + SVD_GRAM_FILTER_BITS)) / 64 + 1) * sizeof *filter);
	for (i = 0; i < n; i++)
		for (j = 0; j < stride; j++)
			gram[svd_gram_bucket(svd_gram_at(lits[ids[i]].bytes + pick[i] + j), bits) + 1]++;
	for (k = 0; k < (1u << bits); k++)
		gram[k + 1] += gram[k];
	for (i = 0; i < n; i++) {
		for (j = 0; j < stride; j++) {
			uint32_t g = svd_gram_at(lits[ids[i]].bytes + pick[i] + j);
			uint32_t h = svd_gram_hash(g, bits + SVD_GRAM_FILTER_BITS);
			uint32_t bucket = h >> SVD_GRAM_FILTER_BITS, at = 2 * (gram[bucket] + fill[bucket]++);

			ents[at] = ids[i] << 5 | (pick[i] + j);
			ents[at + 1] = g;
			filter[h / 64] |= 1ull << (h % 64);
		}
	}
	out->bits = bits;
	out->stride = stride;
	out->gram = gram;
	out->ents = ents;
	out->filter = filter;
}

/*
 * Per probe, the tree over its match lines without a key (lines that are
 * not anchored may match anywhere: to the tree they test no offset, and
 * they are in tree_any instead), and the tree of its keyed lines.
 */
static void build_trees(struct arena *a, struct sigdb_build *b, struct svd_probe *probes)
{
	struct svd_sigdb *db = &b->db;
	struct tree_build t;
	uint32_t i, m;

	tree_init(&t, a);
	for (i = 0; i < db->nprobes; i++) {
		struct svd_probe *p = &probes[i];
		struct tree_line *plain = arena_alloc(a, (p->nmatches + 1) * sizeof *plain);
		struct tree_line *any = arena_alloc(a, (p->nmatches + 1) * sizeof *any);
		struct tree_line *keyed = arena_alloc(a, (p->nmatches + 1) * sizeof *keyed);
		size_t nplain = 0, nany = 0, nkeyed = 0;

		for (m = p->first_match; m < p->first_match + p->nmatches; m++) {
			const struct rx_filter *f = &b->filters[m];
			struct tree_line l = { m, f->anchored ? f->nprefix : 0, f->prefix };

			if (in_keyed_tree(b, m)) {
				l.nprefix = narrow_run(b, m);
				keyed[nkeyed++] = l;
			} else if (!in_loose_index(b, m)) {
				if (l.nprefix)
					plain[nplain++] = l;
				else
					any[nany++] = l;
			}
		}
		p->tree_root = tree_add(&t, plain, nplain, SIZE_MAX);
		p->tree_any = tree_add(&t, any, nany, SIZE_MAX);
		p->keyed_root = tree_add(&t, keyed, nkeyed, KEYED_LIST_MAX);
	}
	db->tree_nodes = t.nodes;
	db->ntree_nodes = (uint32_t)t.nnodes;
	db->tree_lines = t.lines;
	db->ntree_lines = (uint32_t)t.nlines;
	db->tree_maps = tree_maps(&t);
	db->ntree_maps = (uint32_t)t.maps.n;
}

static void build_exclude(struct arena *a, const struct probe_db *pdb, struct svd_sigdb *db)
{
	struct svd_port_range *tcp = arena_alloc(a, (pdb->nexclude + 1) * sizeof *tcp);
	struct svd_port_range *udp = arena_alloc(a, (pdb->nexclude + 1) * sizeof *udp);
	size_t i;

	for (i = 0; i < pdb->nexclude; i++) {
		struct svd_port_range r = { pdb->exclude[i].lo, pdb->exclude[i].hi };

		if (pdb->exclude[i].protos & EXCLUDE_TCP)
			tcp[db->nexclude_tcp++] = r;
		if (pdb->exclude[i].protos & EXCLUDE_UDP)
			udp[db->nexclude_udp++] = r;
	}
	db->exclude_tcp = tcp;
	db->exclude_udp = udp;
}

bool sigdb_build(struct arena *a, const struct probe_db *pdb, const char *name,
		 struct diag *d, struct sigdb_build *out)
{
	struct svd_sigdb *db = &out->db;
	struct svd_probe *probes;
	struct intern classes;
	unsigned errors = d->errors;
	uint32_t i, k, m = 0;
	size_t total = 0;

	memset(out, 0, sizeof *out);
	for (i = 0; i < pdb->nprobes; i++)
		total += pdb->probes[i].nmatches;
	db->name = name;
	db->source = pdb->file;
	db->nprobes = (uint32_t)pdb->nprobes;
	db->null_probe = pdb->null_probe == SIZE_MAX ? -1 : (int32_t)pdb->null_probe;
	db->nmatches = (uint32_t)total;
	probes = arena_alloc(a, (pdb->nprobes + 1) * sizeof *probes);
	out->matches = arena_alloc(a, (total + 1) * sizeof *out->matches);
	out->gates = arena_alloc(a, (total + 1) * sizeof *out->gates);
	out->picked = arena_alloc(a, (total + 1) * sizeof *out->picked);
	out->ast = arena_alloc(a, (total + 1) * sizeof *out->ast);
	out->regexes = arena_alloc(a, (total + 1) * sizeof *out->regexes);
	out->filters = arena_alloc(a, (total + 1) * sizeof *out->filters);
	build_probes(a, pdb, probes);
	intern_init(&classes, a);
	for (i = 0; i < pdb->nprobes; i++) {
		for (k = 0; k < pdb->probes[i].nmatches; k++, m++) {
			const struct match *ma = &pdb->probes[i].matches[k];
			struct svd_match *sm = &out->matches[m];
			struct svd_tmpl *cpe = arena_alloc(a, (ma->ncpe + 1) * sizeof *cpe);
			size_t f;

			out->ast[m] = ma;
			sm->service = ma->service;
			sm->line = ma->at.line;
			sm->soft = ma->soft;
			for (f = 0; f < FIELD_COUNT; f++)
				sm->tmpl.field[f] = tmpl_of(ma->field[f].text);
			for (f = 0; f < ma->ncpe; f++)
				cpe[f] = tmpl_of(ma->cpe[f].text);
			sm->tmpl.cpe = cpe;
			sm->tmpl.ncpe = ma->ncpe;
			db->nsoft += ma->soft;
			build_regex(a, &classes, ma, d, &out->regexes[m], &out->filters[m], sm,
				    &out->gates[m]);
		}
	}
	if (d->errors != errors)
		return false;
	db->nclasses = (uint32_t)classes.n;
	{
		uint64_t (*cls)[4] = arena_alloc(a, (classes.n + 1) * sizeof *cls);

		for (i = 0; i < classes.n; i++)
			memcpy(cls[i], classes.key[i].p, sizeof cls[i]);
		db->classes = (const uint64_t (*)[4])cls;
	}
	db->matches = out->matches;
	db->gates = out->gates;
	build_literals(a, out);
	{
		uint32_t *seen = arena_alloc(a, (db->nliterals + 1) * sizeof *seen);

		for (i = 0; i < db->nprobes; i++) {
			build_gram_index(a, out, &probes[i], false, 2 * i + 1, seen, &probes[i].keys);
			build_gram_index(a, out, &probes[i], true, 2 * i + 2, seen,
					 &probes[i].loose_keys);
		}
	}
	build_trees(a, out, probes);
	build_exclude(a, pdb, db);
	db->probes = probes;
	return true;
}
