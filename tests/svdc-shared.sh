#!/bin/sh
# svdc --shared and svdetect --signatures PATH.so:
#   - a set of svdetect's own probe file, loaded by path, matches the
#     captured banners exactly as the compiled-in set (`--signatures own`);
#   - --version of a loaded set names it alone;
#   - refused, with exit status 2 and a message, never used: a set built
#     for another runtime ABI (both numbers named), one whose structure
#     sizes differ from the runtime's, a shared object that is no set, a
#     missing file; a name without a slash still picks a compiled-in set.
# The wrong sets are made as svdc --shared makes a set, with the module's
# numbers changed (the build's compiler and the runtime's headers).
: "${top_srcdir:?}" "${top_builddir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
svdc=$top_builddir/svdc
svd=$top_builddir/svdetect
probes=$top_srcdir/signatures/svdetect-service-probes
responses=$top_srcdir/tests/data/responses

match_all() { # SET
	for f in "$responses"/*-NULL.bin "$responses"/*-GetRequest.bin \
		"$responses"/*-GenericLines.bin; do
		"$svd" --signatures "$1" --match "$(basename "$f" .bin | sed 's/.*-//')" "$f" ||
			echo "exit $?"
	done
}

"$svdc" --shared --name own -o "$tmp/own.so" "$probes" >"$tmp/svdc.out" 2>&1 ||
	{ cat "$tmp/svdc.out"; echo "FAIL: svdc --shared"; exit 1; }
match_all own >"$tmp/expected" 2>&1
[ "$(grep -c '"service"' "$tmp/expected")" -ge 10 ] ||
	{ echo "FAIL: svdetect --signatures own names fewer than 10 responses"; exit 99; }
match_all "$tmp/own.so" >"$tmp/got" 2>&1
diff -u "$tmp/expected" "$tmp/got" >"$tmp/diff" || bad "the loaded set's --match differs: $(head -n 20 "$tmp/diff")"
"$svd" --signatures "$tmp/own.so" --version >"$tmp/version" || bad "--version with a loaded set"
[ "$(grep -c '^signatures ' "$tmp/version")" -eq 1 ] && grep -q '^signatures own (default): ' "$tmp/version" ||
	bad "--version with a loaded set: $(cat "$tmp/version")"
# A name without a slash is a compiled-in set's, even if a file has it.
(cd "$tmp" && cp own.so own && "$svd" --signatures own --version >/dev/null) || bad "--signatures own with a file named own here"

# --- Sets refused ---------------------------------------------------------------------
flags=$(PKG_CONFIG_PATH=$top_builddir pkg-config --cflags svdetect) || exit 99
mkdir "$tmp/c"
"$svdc" --compile --name own --chunks 1 -o "$tmp/c" "$probes" || exit 99
# A set like svdc --shared's, its module given as C ($2), into $1.
wrong_set() {
	printf '#include "sigdb.h"\nextern const struct svd_sigdb svd_sigdb_own;\n%s\n' "$2" >"$tmp/c/module.c"
	# shellcheck disable=SC2086 # flags are words
	${GEN_CC:-cc} ${GEN_CFLAGS:-} $flags -shared -fPIC -o "$1" "$tmp/c/module.c" \
		"$tmp/c/own_sigdb.c" "$tmp/c/own_rx_00.c" || exit 99
}
abi=$(sed -n 's/^#define SVD_SIGDB_ABI \([0-9]*\)$/\1/p' "$top_srcdir/runtime/match/sigdb.h")
[ -n "$abi" ] || exit 99
refused() { # SET MESSAGE-PATTERN WHAT
	"$svd" --signatures "$1" --match NULL "$responses/dropbear-2222-NULL.bin" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] || bad "$3: exit $rc, expected 2"
	[ -s "$tmp/out" ] && bad "$3: a match was printed: $(cat "$tmp/out")"
	grep -q "$2" "$tmp/err" || bad "$3: message $(cat "$tmp/err"), expected $2"
}
wrong_set "$tmp/abi.so" "const struct svd_sigdb_module svd_sigdb_module = { SVD_SIGDB_ABI + 1, SVD_SIGDB_SIZES, &svd_sigdb_own };"
refused "$tmp/abi.so" "abi.so was built for runtime ABI $((abi + 1)), this runtime has ABI $abi" "another ABI"
wrong_set "$tmp/size.so" "const struct svd_sigdb_module svd_sigdb_module = { SVD_SIGDB_ABI, { sizeof(struct svd_sigdb) + 8, 0, 0, 0, 0, 0 }, &svd_sigdb_own };"
refused "$tmp/size.so" "but its struct svd_sigdb has" "other structure sizes"
wrong_set "$tmp/none.so" "const int not_a_set = 1;"
refused "$tmp/none.so" "is not a signature set of svdc --shared" "a shared object that is no set"
refused "$tmp/missing.so" "cannot load the set: .*missing.so" "a missing file"
refused no-such-set "no signature set 'no-such-set' is compiled in" "an unknown name"
[ $fail -eq 0 ] && echo "PASS: svdc --shared's set loads and matches as the compiled-in one; other ABIs, sizes, objects and files refused (exit 2)"
exit $fail
