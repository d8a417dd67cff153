#!/bin/sh
# Builds the front end's and the emitter's fuzz targets with clang's
# libFuzzer, ASan and UBSan, then runs each for FUZZ_SECONDS (default 20;
# `make fuzz` runs 600) on a seed corpus: our malformed and hostile inputs,
# our signatures, and Nmap's database cut into probe-sized pieces when it is
# installed.  fuzz_parser checks that dumps re-parse; fuzz_emit that the C
# svdc writes is inert (tests/c_inert.h).  Exit 0 = no crash, hang, leak,
# failed property or sanitizer report.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
seconds=${FUZZ_SECONDS:-20}
[ "$seconds" -gt 0 ] || exit 77 # skipped (the sanitizer build of scripts/test.sh)
work="$top_builddir/tests/fuzz"
mkdir -p "$work/seeds"
CLANG=${CLANG:-clang}
if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "clang not found: install the Debian packages clang and libclang-rt-dev" >&2
	exit 1
fi
fe="$top_srcdir/compiler/front"
rx="$top_srcdir/compiler/regex"
gen="$top_srcdir/compiler/gen"
rt="$top_srcdir/runtime/match"
front="$fe/arena.c $fe/diag.c $rt/json.c $fe/ast.c $rt/escape.c $fe/parse.c $fe/sema.c \
	$top_builddir/grammar/probe_parse.c $top_builddir/grammar/probe_lex.c"
back="$gen/intern.c $gen/sigdb_build.c $gen/prefix_tree.c $gen/sigdb_emit.c $gen/c_escape.c \
	$gen/codegen_bt.c $rx/regex_parse.c $rx/regex_ir.c $rx/regex_eval.c $rx/filter.c \
	$rt/template.c $top_srcdir/tests/c_inert.c"

# build TARGET SOURCES...: $work/TARGET from tests/fuzz/TARGET.c
build() {
	target=$1
	shift
	"$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-I"$fe" -I"$rx" -I"$gen" -I"$rt" -I"$top_srcdir/grammar" -I"$top_builddir/grammar" \
		-I"$top_builddir" -I"$top_srcdir/tests" \
		"$top_srcdir/tests/fuzz/$target.c" "$@" -o "$work/$target"
}

cp "$top_srcdir"/tests/malformed/*.probes "$top_srcdir"/tests/hostile-probes/*.probes "$work/seeds/"
cp "$top_srcdir"/signatures/*probes* "$work/seeds/" 2>/dev/null || true
if [ -n "${NMAP_PROBES:-}" ] && [ -r "$NMAP_PROBES" ]; then
	# One seed per probe section, cut at 8 KB to keep inputs small.
	awk -v dir="$work/seeds" '
		/^Probe / { n++ }
		n { f = sprintf("%s/nmap-%03d", dir, n); if (size[n] < 8192) { print > f; size[n] += length($0) + 1 } }
	' "$NMAP_PROBES"
fi

# run TARGET: each target keeps its own corpus.
run() {
	mkdir -p "$work/corpus-$1"
	"$work/$1" -max_total_time="$seconds" -max_len=16384 -timeout=10 \
		-rss_limit_mb=2048 -dict="$top_srcdir/tests/fuzz/probes.dict" \
		-print_final_stats=1 "$work/corpus-$1" "$work/seeds" 2>"$work/$1.log" || {
		tail -n 60 "$work/$1.log" >&2
		exit 1
	}
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' \
		"$work/$1.log" || true
	echo "$1: ${seconds}s, no crash"
}

# shellcheck disable=SC2086 # the source lists are words
build fuzz_parser $front "$fe/dump.c"
# shellcheck disable=SC2086
build fuzz_emit $front $back
run fuzz_parser
run fuzz_emit
