#!/bin/sh
# Builds the matcher fuzz target with clang's libFuzzer, ASan and UBSan
# and runs it for FUZZ_SECONDS (default 20) on the responses captured from
# real daemons.  FUZZ_SET=nmap fuzzes Nmap's compiled database (its 15 MB
# of generated C take minutes to build: `make fuzz-match`); the default is
# our own set.  Exit 0 = no crash, hang, leak or sanitizer report.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
seconds=${FUZZ_SECONDS:-20}
[ "$seconds" -gt 0 ] || exit 77 # skipped (the sanitizer build of scripts/test.sh)
set_name=${FUZZ_SET:-own}
work="$top_builddir/tests/fuzz/match-$set_name"
mkdir -p "$work/corpus" "$work/seeds"
CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null 2>&1 || {
	echo "clang not found: install the Debian packages clang and libclang-rt-dev" >&2
	exit 1
}
case $set_name in
own) gen="$top_srcdir/generated/own/own_sigdb.c $top_srcdir/generated/own/own_rx_00.c" def= ;;
nmap) gen=$(ls "$top_builddir"/generated/nmap/nmap_*.c) def=-DFUZZ_SET_NMAP ;;
*) echo "FUZZ_SET must be own or nmap" >&2; exit 1 ;;
esac
rt="$top_srcdir/runtime/match"
# shellcheck disable=SC2086 # $gen and $def are lists of words
"$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $def \
	-I"$rt" "$top_srcdir/tests/fuzz/fuzz_match.c" "$rt/match.c" "$rt/template.c" "$rt/escape.c" \
	"$rt/confirm_gen.c" $gen -o "$work/fuzz_match"
cp "$top_srcdir"/tests/data/responses/*.bin "$work/seeds/"
"$work/fuzz_match" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 "$work/corpus" "$work/seeds" \
	2>"$work/fuzz.log" || {
	tail -n 60 "$work/fuzz.log" >&2
	exit 1
}
grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$work/fuzz.log" || true
# Lengths the mutator does not reach (-max_len): none, and over a MiB of
# pseudo-random bytes (AES-CTR of zeros: the same every run), of one byte
# repeated, and of HTTP header lines (long searches for unanchored lines).
edge="$work/edge"
big=1100000
mkdir -p "$edge"
: >"$edge/empty"
openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f \
	-iv 00000000000000000000000000000000 </dev/zero 2>/dev/null | head -c $big >"$edge/random"
head -c $big /dev/zero | tr '\0' A >"$edge/one-byte"
{
	printf 'HTTP/1.1 200 OK\r\n'
	yes 'X-Filler: abcdefghijklmnopqrstuvwxyz0123456789' | sed 's/$/\r/' | head -c $big
} >"$edge/http-lines"
"$work/fuzz_match" -timeout=300 -rss_limit_mb=2048 "$edge"/* 2>"$work/edge.log" || {
	tail -n 60 "$work/edge.log" >&2
	exit 1
}
echo "fuzz_match ($set_name): ${seconds}s, no crash; edge inputs of 0 and $big bytes ran clean"
