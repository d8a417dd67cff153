/*
 * Phase-lifetime allocator.  Everything the front end builds (AST nodes,
 * strings, arrays) lives in one arena and is released with one call, so
 * nodes are never freed one by one and error paths cannot leak.
 * Allocation failure is fatal (the compiler cannot do anything useful
 * without memory), which keeps every caller free of NULL checks.
 */
#ifndef SVD_ARENA_H
#define SVD_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);

/* Zeroed, max_align_t-aligned memory that lives until arena_free(). */
void *arena_alloc(struct arena *a, size_t size);
/* Copy of len bytes plus a terminating NUL (the bytes may contain NUL). */
char *arena_memdup(struct arena *a, const void *p, size_t len);
/*
 * Grows an array of *cap elements of elem_size to hold at least need
 * elements, doubling; the old copy stays in the arena until arena_free().
 */
void *arena_grow(struct arena *a, void *array, size_t elem_size, size_t *cap,
		 size_t need);
/*
 * Moves every block of from into a (from is left empty): what was
 * allocated in from now lives until arena_free(a).  Merging probe files
 * hands a file's whole AST to the set this way instead of copying it.
 */
void arena_adopt(struct arena *a, struct arena *from);

#endif
