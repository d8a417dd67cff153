#!/bin/sh
# The committed generated C for our own signatures (generated/own/) must be
# exactly what svdc makes from signatures/ now: regenerate it twice into
# temporary directories (which also proves svdc's output deterministic) and
# compare byte for byte.
: "${top_srcdir:?}" "${top_builddir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/a" "$tmp/b"
cd "$top_srcdir" || exit 99
for dir in a b; do
	"$top_builddir/svdc" --compile --name own --chunks 1 -o "$tmp/$dir" \
		signatures/svdetect-service-probes || exit 1
done
diff -r "$tmp/a" "$tmp/b" >/dev/null || { echo "svdc output differs between two runs"; exit 1; }
if ! diff -ru generated/own "$tmp/a"; then
	echo "generated/own is stale: regenerate with"
	echo "  svdc --compile --name own --chunks 1 -o generated/own signatures/svdetect-service-probes"
	exit 1
fi
echo "generated/own: up to date, svdc deterministic"
