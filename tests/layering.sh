#!/bin/sh
# The folders of compiler/ and runtime/ are the build's libraries, and each
# library compiles with only the include paths it may use (Makefile.am), so
# that a forbidden include fails to compile.  A path in an include would
# get round that ("../cli/ports.h"): no quoted include may hold a '/'.
set -eu
: "${top_srcdir:?}"
cd "$top_srcdir"
bad=$(grep -rn --include='*.[chy]' --include='*.re' '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*/' \
	compiler runtime grammar tests bench || true)
if [ -n "$bad" ]; then
	echo "includes with a path (use the library's include path instead):" >&2
	echo "$bad" >&2
	exit 1
fi
