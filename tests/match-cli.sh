#!/bin/sh
# Golden test of `svdetect --match` (JSON lines) with our own signatures on
# the responses captured from real daemons: tests/match-cli.expected holds
# the exact output.  Regenerate it only after reading the difference.
: "${top_srcdir:?}" "${top_builddir:?}"
tmp=$(mktemp) || exit 99
trap 'rm -f "$tmp"' EXIT
cd "$top_srcdir/tests/data/responses" || exit 99
{
	for f in *-NULL.bin; do
		"$top_builddir/svdetect" --signatures own --match TCP:NULL "$f"
	done
	for f in *-GetRequest.bin; do
		"$top_builddir/svdetect" --signatures own --match-trace GetRequest "$f"
	done
	printf '' | "$top_builddir/svdetect" --signatures own --match NULL -
	"$top_builddir/svdetect" --signatures own --match UDP:NoSuchProbe - </dev/null 2>&1
	echo "exit $?"
} >"$tmp" 2>&1
diff -u "$top_srcdir/tests/match-cli.expected" "$tmp" || exit 1
echo "svdetect --match: output as expected"
