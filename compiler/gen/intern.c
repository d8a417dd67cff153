#include "intern.h"

#include <string.h>

void intern_init(struct intern *t, struct arena *a)
{
	memset(t, 0, sizeof *t);
	t->arena = a;
}

static uint64_t hash(const unsigned char *p, size_t len)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */

	while (len--)
		h = (h ^ *p++) * 1099511628211u;
	return h;
}

static void grow(struct intern *t)
{
	size_t nslot = t->nslot ? t->nslot * 2 : 1024, i;
	uint32_t *slot = arena_alloc(t->arena, nslot * sizeof *slot);

	for (i = 0; i < t->n; i++) {
		size_t s = hash(t->key[i].p, t->key[i].len) & (nslot - 1);

		while (slot[s])
			s = (s + 1) & (nslot - 1);
		slot[s] = (uint32_t)i + 1;
	}
	t->slot = slot;
	t->nslot = nslot;
}

uint32_t intern_add(struct intern *t, const void *key, size_t len, int *added)
{
	size_t s;

	if (2 * (size_t)(t->n + 1) > t->nslot)
		grow(t);
	for (s = hash(key, len) & (t->nslot - 1); t->slot[s]; s = (s + 1) & (t->nslot - 1)) {
		uint32_t id = t->slot[s] - 1;

		if (t->key[id].len == len && memcmp(t->key[id].p, key, len) == 0) {
			*added = 0;
			return id;
		}
	}
	t->key = arena_grow(t->arena, t->key, sizeof *t->key, &t->cap, t->n + 1);
	t->key[t->n].p = arena_memdup(t->arena, key, len);
	t->key[t->n].len = len;
	t->slot[s] = (uint32_t)t->n + 1;
	*added = 1;
	return (uint32_t)t->n++;
}
