#!/bin/sh
# svdc's output for Nmap's database (built, never committed) must not
# change from run to run: compile it again and compare byte for byte with
# the build's copy.  Skipped when the build has no Nmap database.
: "${top_builddir:?}" "${NMAP_PROBES?}"
[ -n "$NMAP_PROBES" ] && [ -f "$top_builddir/generated/nmap/nmap_sigdb.c" ] || exit 77
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
chunks=$(ls "$top_builddir"/generated/nmap/nmap_rx_*.c | wc -l)
"$top_builddir/svdc" --compile --name nmap --chunks "$chunks" -o "$tmp" "$NMAP_PROBES" || exit 1
for f in "$tmp"/*.c; do
	cmp -s "$f" "$top_builddir/generated/nmap/${f##*/}" ||
		{ echo "${f##*/}: differs from the build's copy"; exit 1; }
done
echo "Nmap's set: $(ls "$tmp" | wc -l) files, the same as the build's"
