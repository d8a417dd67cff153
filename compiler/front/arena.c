#include "arena.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_BLOCK_MIN = 64 * 1024 };

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
}

void arena_free(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

static void *xcalloc(size_t size)
{
	void *p = calloc(1, size);

	if (!p) {
		fprintf(stderr, "svdetect: out of memory (%zu bytes)\n", size);
		abort();
	}
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	struct arena_block *b = a->head;
	size_t at;

	size = (size + align - 1) & ~(align - 1);
	if (!b || b->size - b->used < size) {
		size_t bsize = size > ARENA_BLOCK_MIN ? size : ARENA_BLOCK_MIN;

		b = xcalloc(sizeof *b + bsize);
		b->size = bsize;
		b->next = a->head;
		a->head = b;
	}
	at = b->used;
	b->used += size;
	return b->data + at;
}

char *arena_memdup(struct arena *a, const void *p, size_t len)
{
	char *s = arena_alloc(a, len + 1);

	if (len)
		memcpy(s, p, len);
	return s;
}

void *arena_grow(struct arena *a, void *array, size_t elem_size, size_t *cap,
		 size_t need)
{
	size_t ncap = *cap ? *cap : 4;
	void *bigger;

	if (need <= *cap)
		return array;
	while (ncap < need)
		ncap *= 2;
	bigger = arena_alloc(a, ncap * elem_size);
	if (*cap)
		memcpy(bigger, array, *cap * elem_size);
	*cap = ncap;
	return bigger;
}

void arena_adopt(struct arena *a, struct arena *from)
{
	struct arena_block **end = &a->head;

	/* from's blocks go last: a's head stays the block it allocates from. */
	while (*end)
		end = &(*end)->next;
	*end = from->head;
	from->head = NULL;
}
