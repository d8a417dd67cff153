/*
 * Emits a regex's backtracking program (compiler/regex/regex.h) as one C
 * function specialised to it: each instruction becomes straight code
 * behind a label, jumps become gotos, choice points resume through a
 * switch, and runs of literal bytes become one comparison.  The function
 * decides exactly what the reference interpreter (regex_exec) decides,
 * captures included; it needs runtime/match/confirm_gen.h and nothing else.
 */
#ifndef SVD_CODEGEN_BT_H
#define SVD_CODEGEN_BT_H

#include <stdio.h>

#include "regex.h"
#include "sigdb_emit.h"

/* Writes `int fname(const struct svd_match *, const unsigned char *,
 * size_t, int *)`, an svd_confirm_fn. */
void codegen_bt(FILE *out, const struct rx_prog *prog, const char *fname);

/* emit_confirm_fn: match line i's regex, compiled, through codegen_bt(). */
emit_confirm_fn codegen_bt_line;

#endif
