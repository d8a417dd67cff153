/*
 * Interning of byte strings into dense ids (0, 1, 2, ... in order of first
 * appearance), so that svdc emits each class and literal once.
 */
#ifndef SVD_INTERN_H
#define SVD_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct intern_key {
	const void *p;
	size_t len;
};

struct intern {
	struct arena *arena;
	uint32_t *slot;    /* id + 1, or 0 when empty */
	size_t nslot;
	struct intern_key *key; /* by id */
	size_t n, cap;
};

void intern_init(struct intern *t, struct arena *a);
/* The id of key, adding a copy of it when new; *added says which. */
uint32_t intern_add(struct intern *t, const void *key, size_t len, int *added);

#endif
