#include "rpc_programs.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lua's %s, which Nmap's pattern for the file uses. */
static bool is_space(unsigned char ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

/*
 * One line as Nmap's rpc-grind reads it: blanks, a name (no blank, no
 * '#'), blanks, a decimal number; the rest is ignored.  False for any
 * other line, and for a name svdetect will not print or a number that is
 * no program number (over 32 bits).
 */
static bool parse_line(const char *s, struct svd_rpc_program *out)
{
	const char *name;
	size_t len;
	uint64_t num = 0;

	while (is_space((unsigned char)*s))
		s++;
	name = s;
	while (*s && *s != '#' && !is_space((unsigned char)*s)) {
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			return false;
		s++;
	}
	len = (size_t)(s - name);
	if (len == 0 || len > SVD_RPC_NAME_MAX || !is_space((unsigned char)*s))
		return false;
	while (is_space((unsigned char)*s))
		s++;
	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		num = num * 10 + (uint64_t)(*s - '0');
		if (num > UINT32_MAX)
			return false;
	}
	memcpy(out->name, name, len);
	out->name[len] = '\0';
	out->number = (uint32_t)num;
	return true;
}

/* The numbers kept so far, an open-addressing set of twice the cap. */
enum { SEEN_SLOTS = 2 * SVD_RPC_PROGRAMS_MAX };

struct seen {
	uint32_t number[SEEN_SLOTS];
	bool used[SEEN_SLOTS];
};

/* Adds number; false if it was there.  The set is never full: it has
 * twice as many slots as numbers are kept. */
static bool seen_add(struct seen *s, uint32_t number)
{
	size_t i = (number * 2654435761u) % SEEN_SLOTS;

	while (s->used[i]) {
		if (s->number[i] == number)
			return false;
		i = (i + 1) % SEEN_SLOTS;
	}
	s->used[i] = true;
	s->number[i] = number;
	return true;
}

static int load(struct svd_rpc_programs *t, FILE *f, struct seen *seen)
{
	char line[512];
	bool continued = false; /* the chunk read is the rest of a long line */
	size_t lines;

	for (lines = 0; lines < SVD_RPC_LINES_MAX && fgets(line, sizeof line, f); lines++) {
		struct svd_rpc_program p;
		bool whole = strchr(line, '\n') != NULL || feof(f);
		bool first = !continued;

		continued = !whole;
		if (!first || !parse_line(line, &p))
			continue;
		if (t->n == SVD_RPC_PROGRAMS_MAX)
			t->dropped++; /* before seen_add: the set holds the kept ones only */
		else if (seen_add(seen, p.number))
			t->v[t->n++] = p;
	}
	if (ferror(f)) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int svd_rpc_programs_load(struct svd_rpc_programs *t, const char *path)
{
	struct seen *seen = calloc(1, sizeof *seen);
	FILE *f;
	int rc = -1, err;

	memset(t, 0, sizeof *t);
	t->v = malloc(SVD_RPC_PROGRAMS_MAX * sizeof *t->v);
	f = t->v && seen ? fopen(path, "r") : NULL;
	if (f) {
		rc = load(t, f, seen);
		fclose(f);
	}
	err = errno;
	free(seen);
	if (rc < 0) {
		svd_rpc_programs_free(t);
		errno = err;
		return -1;
	}
	/* Give back what the file did not fill; keep it if that fails. */
	if (t->n) {
		struct svd_rpc_program *v = realloc(t->v, t->n * sizeof *t->v);

		if (v)
			t->v = v;
	}
	return 0;
}

void svd_rpc_programs_free(struct svd_rpc_programs *t)
{
	free(t->v);
	memset(t, 0, sizeof *t);
}
