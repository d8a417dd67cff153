#!/bin/sh
# Builds the front-end fuzz target with clang's libFuzzer, ASan and UBSan,
# then runs it for FUZZ_SECONDS (default 20; `make fuzz` runs 600) on a
# seed corpus: our malformed inputs, our signatures, and Nmap's database
# cut into probe-sized pieces when it is installed.  Exit 0 = no crash,
# hang, leak or sanitizer report.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
seconds=${FUZZ_SECONDS:-20}
[ "$seconds" -gt 0 ] || exit 77 # skipped (the sanitizer build of scripts/test.sh)
work="$top_builddir/tests/fuzz"
mkdir -p "$work/corpus" "$work/seeds"
CLANG=${CLANG:-clang}
if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "clang not found: install the Debian packages clang and libclang-rt-dev" >&2
	exit 1
fi
src="$top_srcdir/compiler"
"$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$src" -I"$top_srcdir/runtime" -I"$top_srcdir/grammar" -I"$top_builddir/grammar" -I"$top_builddir" \
	"$top_srcdir/tests/fuzz/fuzz_parser.c" \
	"$src/arena.c" "$src/diag.c" "$src/ast.c" "$top_srcdir/runtime/escape.c" "$src/parse.c" \
	"$src/sema.c" "$src/dump.c" \
	"$top_builddir/grammar/probe_parse.c" "$top_builddir/grammar/probe_lex.c" \
	-o "$work/fuzz_parser"

cp "$top_srcdir"/tests/malformed/*.probes "$work/seeds/"
cp "$top_srcdir"/signatures/*probes* "$work/seeds/" 2>/dev/null || true
if [ -n "${NMAP_PROBES:-}" ] && [ -r "$NMAP_PROBES" ]; then
	# One seed per probe section, cut at 8 KB to keep inputs small.
	awk -v dir="$work/seeds" '
		/^Probe / { n++ }
		n { f = sprintf("%s/nmap-%03d", dir, n); if (size[n] < 8192) { print > f; size[n] += length($0) + 1 } }
	' "$NMAP_PROBES"
fi
"$work/fuzz_parser" -max_total_time="$seconds" -max_len=16384 -timeout=10 \
	-rss_limit_mb=2048 -dict="$top_srcdir/tests/fuzz/probes.dict" \
	-print_final_stats=1 "$work/corpus" "$work/seeds" 2>"$work/fuzz.log" || {
	tail -n 60 "$work/fuzz.log" >&2
	exit 1
}
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' "$work/fuzz.log" || true
echo "fuzz_parser: ${seconds}s, no crash"
