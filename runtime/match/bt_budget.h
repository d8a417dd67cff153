/*
 * How far a regex search may backtrack before it gives up and reports no
 * match, as Nmap's PCRE does at its match limit: the number of choice
 * points a search looks at, over all its start positions.  The generated
 * matchers (runtime/match/confirm_gen.c) and the reference interpreter
 * (compiler/regex/regex_eval.c, given this budget) count it the same way, so
 * they give up at the same point.  Nmap 7.93 allows 100,000 calls of
 * PCRE's match() per start position, and PCRE calls match() at least once
 * for every alternative it tries, so an anchored search that gives up
 * here has usually hit Nmap's limit too (not always: PCRE makes some
 * repeats possessive where we backtrack).  The value is Nmap's number;
 * the worst search then costs about a millisecond.  See
 * docs/regex-semantics.md, "Match limits".
 *
 * Its own header, not confirm_gen.h: the generated code does not need
 * it, and changing it then does not rebuild every generated file.
 */
#ifndef SVD_BT_BUDGET_H
#define SVD_BT_BUDGET_H

enum { BT_BUDGET = 100000 };

#endif
