#!/bin/sh
# Our own probe file must pass svdc --check, and the committed corpus of real
# daemon responses must agree with its index: every row's file exists with
# the listed size (at most 16 KiB), every .bin file has a row, and every
# probe named in the index exists in the probe file.
: "${top_srcdir:?}" "${top_builddir:?}"
probes=$top_srcdir/signatures/svdetect-service-probes
resp=$top_srcdir/tests/data/responses
fail=0

"$top_builddir/svdc" --check "$probes" || fail=1

[ -r "$resp/INDEX.tsv" ] || { echo "missing $resp/INDEX.tsv"; exit 1; }
rows=0
while IFS='	' read -r file daemon pkg ver port proto probe bytes; do
	[ "$file" = file ] && continue
	rows=$((rows + 1))
	if [ ! -f "$resp/$file" ]; then
		echo "INDEX.tsv: $file: no such file"; fail=1; continue
	fi
	size=$(wc -c <"$resp/$file" | tr -d ' ')
	[ "$size" = "$bytes" ] || { echo "INDEX.tsv: $file: $size bytes, index says $bytes"; fail=1; }
	[ "$size" -le 16384 ] || { echo "$file: over 16 KiB"; fail=1; }
	[ "$size" -gt 0 ] || { echo "$file: empty"; fail=1; }
	grep -q "^Probe $proto $probe " "$probes" ||
		{ echo "INDEX.tsv: $file: probe $proto $probe not in $probes"; fail=1; }
done <"$resp/INDEX.tsv"
for f in "$resp"/*.bin; do
	grep -q "^${f##*/}	" "$resp/INDEX.tsv" ||
		{ echo "${f##*/}: not in INDEX.tsv"; fail=1; }
done
[ "$rows" -gt 0 ] || { echo "INDEX.tsv has no rows"; fail=1; }

for s in daemons.sh capture-responses.sh; do
	bash -n "$top_srcdir/scripts/$s" || { echo "scripts/$s: syntax error"; fail=1; }
done

[ $fail = 0 ] && echo "signatures: $rows corpus responses indexed, probe file ok"
exit $fail
