#!/bin/sh
# svdc on hostile probe files.  The injection of issue 9 (code in a service
# name) must be rejected with nothing written.  Every file of
# tests/hostile-probes/ is accepted and compiled from a directory named
# "a*" (so the path svdc writes into comments holds a comment's end); then
# its C must be inert (tests/check_generated), compile with -Wall -Wextra
# -Werror, define no symbol but svd_sigdb_hostile and its confirm
# functions, use nothing but those, the matcher runtime and memcmp/memchr, hold
# no constructor or destructor section, and do what the file says:
# tests/hostile_match, linked with it, must print NAME.expected for the
# responses NAME.PROBE[.N].response.  The C of our own set and of Nmap's
# (when built) must pass the same inertness check: it uses every construct
# svdc writes.
: "${top_srcdir:?}" "${top_builddir:?}"
svdc="$top_builddir/svdc"
cc=${GEN_CC:-cc}
rt="$top_srcdir/runtime/match"
cli="$top_srcdir/runtime/svdetect"
here="$top_srcdir/tests/hostile-probes"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "FAIL $*"
	fail=$((fail + 1))
}

mkdir "$tmp/injection"
if "$svdc" --compile --name hostile -o "$tmp/injection" \
	"$top_srcdir/tests/malformed/service-name-injection.probes" 2>/dev/null ||
	[ -n "$(ls "$tmp/injection")" ]; then
	bad "the injection of issue 9 compiles"
fi

"$top_builddir/tests/check_generated" "$top_srcdir/signatures/svdetect-service-probes" own \
	"$top_srcdir"/generated/own/*.c >/dev/null || bad "generated/own is not inert"
if [ -n "${NMAP_PROBES:-}" ] && [ -f "$top_builddir/generated/nmap/stamp" ]; then
	"$top_builddir/tests/check_generated" "$NMAP_PROBES" nmap \
		"$top_builddir"/generated/nmap/nmap_*.c | grep -v ': inert$' &&
		bad "Nmap's generated C is not inert"
fi

src="$tmp/a*"
mkdir "$src"
for input in "$here"/*.probes; do
	name=$(basename "$input" .probes)
	out="$tmp/$name"
	mkdir "$out"
	cp "$input" "$src/"
	if ! "$svdc" --compile --name hostile --chunks 2 -o "$out" "$src/$name.probes"; then
		bad "$name: svdc rejects it"
		continue
	fi
	"$top_builddir/tests/check_generated" "$src/$name.probes" hostile "$out"/*.c ||
		bad "$name: generated C not inert"
	for c in "$out"/*.c; do
		$cc -std=gnu11 -O1 -Wall -Wextra -Werror -I"$rt" -c "$c" -o "${c%.c}.o" ||
			bad "$name: $(basename "$c") does not compile cleanly"
	done
	extra=$(nm -g --defined-only "$out"/*.o | awk 'NF == 3 { print $3 }' |
		grep -Ev '^(svd_sigdb_hostile|svd_hostile_rx[0-9]+)$')
	[ -z "$extra" ] || bad "$name: unexpected symbols defined: $extra"
	calls=$(nm -u "$out"/*.o | awk 'NF == 2 { print $2 }' | sort -u |
		grep -Ev '^(memcmp|memchr|bt_[a-z_]+|svd_hostile_rx[0-9]+)$')
	[ -z "$calls" ] || bad "$name: unexpected symbols used: $calls"
	! objdump -h "$out"/*.o | grep -E '\.(preinit_array|init_array|fini_array|ctors|dtors)' ||
		bad "$name: constructor or destructor sections"

	# shellcheck disable=SC2086 # GEN_CFLAGS is a list of words
	$cc ${GEN_CFLAGS:-} -I"$rt" -I"$cli" "$top_srcdir/tests/hostile_match.c" "$cli/match_cli.c" \
		"$out"/*.c "$top_builddir/libsvdruntime.a" -o "$out/driver" || {
		bad "$name: the driver does not link"
		continue
	}
	(
		cd "$here" || exit 1
		for response in "$name".*.response; do
			probe=${response#"$name".}
			"$out/driver" "${probe%%.*}" "$response"
		done
	) >"$out/got" 2>&1
	diff -u "$here/$name.expected" "$out/got" || bad "$name: the matchers do not do what the file says"
	[ "$fail" -ne 0 ] || echo "$name: compiled, inert, matches as written"
done
[ "$fail" -eq 0 ]
