#!/bin/sh
# make install-strip into a staging directory (DESTDIR) and use what it
# installed as a user would, from a directory with no build tree:
#   - svdc --version and --check on the installed probe file, svdetect
#     --version and --match on the installed program;
#   - the man pages render with no groff warning;
#   - the runtime library and headers, through svdetect.pc: the installed
#     svdc compiles the installed probe file, and a main of a few lines
#     links it with libsvdetect.a into a scanner that matches a banner;
#     the installed svdc's --scanner and --shared do the same on their own;
#   - what `make dist` would pack (make distdir) holds nothing made from
#     Nmap's database and no copy of it.
# No root, no network.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# The configured prefix: svdetect.pc, made by configure, names it, and the
# installed svdc's pkg-config reads that file under the staging directory
# (make distcheck configures another prefix than /usr/local).
prefix=$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")
[ -n "$prefix" ] || { echo "FAIL: no prefix in $top_builddir/Makefile"; exit 99; }
dest=$tmp/root
make -C "$top_builddir" install-strip DESTDIR="$dest" prefix="$prefix" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; echo "FAIL: make install-strip"; exit 1; }
root=$dest$prefix

# --- The layout ----------------------------------------------------------------
for f in bin/svdc bin/svdetect lib/libsvdetect.a lib/pkgconfig/svdetect.pc \
	include/svdetect/scanner.h include/svdetect/sigdb.h include/svdetect/template.h \
	include/svdetect/confirm_gen.h share/svdetect/svdetect-service-probes \
	share/svdetect/svdetect-service-probes.examples \
	share/man/man1/svdc.1 share/man/man1/svdetect.1 share/man/man5/svdetect-probes.5 \
	share/man/man5/svdetect-examples.5; do
	[ -f "$root/$f" ] || bad "$prefix/$f not installed"
done
[ $fail -eq 0 ] || { find "$dest" -type f; exit 1; }
readelf -S "$root/bin/svdetect" | grep -q '[.]symtab' && bad "install-strip left svdetect's symbols"

# --- The tools, from elsewhere -------------------------------------------------
mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere"
"$root/bin/svdc" --version | grep -q '^svdc (svdetect) ' || bad "installed svdc --version"
"$root/bin/svdc" --check "$root/share/svdetect/svdetect-service-probes" >"$tmp/check.out" ||
	bad "installed svdc --check on the installed probe file"
grep -q 'probes (.* TCP, .* UDP)' "$tmp/check.out" || bad "svdc --check printed no summary"
"$root/bin/svdetect" --version >"$tmp/version.out" || bad "installed svdetect --version"
grep -q '^signatures own' "$tmp/version.out" || bad "svdetect --version lists no own set"
banner='SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'
# shellcheck disable=SC2059 # the banner's escapes are printf's
printf "$banner" | "$root/bin/svdetect" --signatures own --match NULL - >"$tmp/match.out" ||
	bad "installed svdetect --match"
grep -q '"service":"ssh","product":"OpenSSH"' "$tmp/match.out" ||
	bad "installed svdetect --match: $(cat "$tmp/match.out")"
"$root/bin/svdetect" --signatures own --test-examples \
	"$root/share/svdetect/svdetect-service-probes.examples" >"$tmp/examples.out" ||
	bad "installed svdetect --test-examples on the installed examples: $(tail -n 3 "$tmp/examples.out")"

# --- Man pages -------------------------------------------------------------------
if command -v groff >/dev/null 2>&1; then
	for m in man1/svdc.1 man1/svdetect.1 man5/svdetect-probes.5; do
		groff -man -Tutf8 -ww -z "$root/share/man/$m" >"$tmp/groff.err" 2>&1 ||
			bad "groff failed on $m"
		[ -s "$tmp/groff.err" ] && bad "groff warns on $m: $(cat "$tmp/groff.err")"
	done
else
	echo "NOTE: groff not installed (Debian package groff-base): man pages not rendered"
fi

# --- The runtime library: a scanner of svdetect's own set -----------------------
pc=$(find "$dest" -name svdetect.pc)
export PKG_CONFIG_PATH="${pc%/*}"
pcflags="--define-variable=prefix=$root"
# shellcheck disable=SC2086 # pkg-config's output is a list of words
cflags=$(pkg-config $pcflags --cflags svdetect) && libs=$(pkg-config $pcflags --libs svdetect) ||
	{ bad "pkg-config svdetect"; cflags= libs=; }
case $cflags in *"$root/include"*) ;; *) bad "pkg-config --cflags: $cflags is not the staged include" ;; esac
mkdir "$tmp/set"
"$root/bin/svdc" --compile --name own --chunks 1 -o "$tmp/set" \
	"$root/share/svdetect/svdetect-service-probes" || bad "installed svdc --compile"
cat >"$tmp/main.c" <<'EOF'
#include <svdetect/scanner.h>

extern const struct svd_sigdb svd_sigdb_own;
static const struct svd_sigdb *const sets[] = { &svd_sigdb_own };

int main(int argc, char **argv)
{
	return svd_scanner_main(argc, argv, sets, sizeof sets / sizeof *sets);
}
EOF
# shellcheck disable=SC2086 # flags are lists of words
${GEN_CC:-cc} ${GEN_CFLAGS:-} $cflags -o "$tmp/scanner" "$tmp/main.c" "$tmp/set"/*.c $libs \
	2>"$tmp/cc.err" || bad "a scanner does not build on the installed library: $(cat "$tmp/cc.err")"
if [ -x "$tmp/scanner" ]; then
	# shellcheck disable=SC2059
	printf "$banner" | "$tmp/scanner" --match NULL - >"$tmp/match2.out" || bad "the scanner's --match"
	cmp -s "$tmp/match.out" "$tmp/match2.out" ||
		bad "the scanner and svdetect --signatures own disagree: $(cat "$tmp/match2.out")"
fi

# --- svdc --scanner and --shared, installed: through the staged svdetect.pc
# (pkg-config's sysroot is the staging directory), not the build tree.
# The build's flags too: a sanitized library needs them at the link.
cflags_gen="-O2 ${GEN_CFLAGS:-}"
PKG_CONFIG_SYSROOT_DIR=$dest CC=${GEN_CC:-cc} CFLAGS=$cflags_gen "$root/bin/svdc" --scanner --name own -o "$tmp/scanner2" \
	"$root/share/svdetect/svdetect-service-probes" 2>"$tmp/scanner.err" ||
	bad "installed svdc --scanner: $(cat "$tmp/scanner.err")"
grep -q "$top_builddir" "$tmp/scanner.err" && bad "installed svdc --scanner used the build tree: $(cat "$tmp/scanner.err")"
if [ -x "$tmp/scanner2" ]; then
	# shellcheck disable=SC2059
	printf "$banner" | "$tmp/scanner2" --match NULL - >"$tmp/match3.out" || bad "svdc --scanner's --match"
	cmp -s "$tmp/match.out" "$tmp/match3.out" || bad "svdc --scanner's scanner disagrees: $(cat "$tmp/match3.out")"
fi
PKG_CONFIG_SYSROOT_DIR=$dest CC=${GEN_CC:-cc} CFLAGS=$cflags_gen "$root/bin/svdc" --shared --name own -o "$tmp/own.so" \
	"$root/share/svdetect/svdetect-service-probes" || bad "installed svdc --shared"
# shellcheck disable=SC2059
printf "$banner" | "$root/bin/svdetect" --signatures "$tmp/own.so" --match NULL - >"$tmp/match4.out" ||
	bad "installed svdetect --signatures PATH.so"
cmp -s "$tmp/match.out" "$tmp/match4.out" || bad "the installed svdc --shared's set disagrees: $(cat "$tmp/match4.out")"

# --- The tarball's contents ------------------------------------------------------
dist=$tmp/dist
make -C "$top_builddir" distdir distdir="$dist" top_distdir="$dist" >"$tmp/dist.log" 2>&1 ||
	{ cat "$tmp/dist.log"; bad "make distdir"; }
# Generated C names its probe file: only files of the tarball may be named.
grep -rl '^/[*] Generated by svdc from ' "$dist" | while read -r f; do
	src=$(sed -n '1s/.*Generated by svdc from \(.*\) -- do not edit.*/\1/p' "$f")
	[ -n "$src" ] && [ -f "$dist/$src" ] || echo "${f#"$dist"/}: generated from ${src:-?}"
done >"$tmp/generated"
[ -s "$tmp/generated" ] && bad "the tarball holds C generated from outside it: $(cat "$tmp/generated")"
find "$dist" -name 'nmap-service-probes*' -o -name 'nmap_rx_*' -o -name 'nmap_sigdb*' >"$tmp/named"
[ -s "$tmp/named" ] && bad "the tarball holds Nmap's database or its C: $(cat "$tmp/named")"
# No copy of it under another name: 40 of its match lines, spread over it,
# that svdetect's own file does not share, occur nowhere.
if [ -n "${NMAP_PROBES:-}" ] && [ -r "$NMAP_PROBES" ]; then
	grep '^match ' "$NMAP_PROBES" | grep -vxFf "$top_srcdir/signatures/svdetect-service-probes" |
		awk 'NR % 250 == 1' | head -n 40 >"$tmp/lines"
	[ "$(wc -l <"$tmp/lines")" -ge 20 ] || bad "too few of Nmap's match lines to look for"
	grep -rlFf "$tmp/lines" "$dist" >"$tmp/copies" && bad "Nmap's match lines in: $(cat "$tmp/copies")"
fi

[ $fail -eq 0 ] && echo "PASS: installed layout, tools from elsewhere, man pages, a scanner on the installed library, nothing of Nmap's in the tarball"
exit $fail
