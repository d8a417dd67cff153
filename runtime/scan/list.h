/*
 * An intrusive doubly-linked list: each element embeds a struct svd_link,
 * a struct svd_list (all zero: empty) holds them.  The connect scan and
 * version detection keep their jobs in progress this way, so that a scan
 * stopped early can end every one of them (engine.c).
 */
#ifndef SVD_LIST_H
#define SVD_LIST_H

#include <stddef.h>

struct svd_link {
	struct svd_link *prev, *next;
};

struct svd_list {
	struct svd_link *first;
};

static inline void svd_list_add(struct svd_list *l, struct svd_link *n)
{
	n->prev = NULL;
	n->next = l->first;
	if (l->first)
		l->first->prev = n;
	l->first = n;
}

static inline void svd_list_remove(struct svd_list *l, struct svd_link *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else
		l->first = n->next;
	if (n->next)
		n->next->prev = n->prev;
	n->prev = n->next = NULL;
}

#endif
