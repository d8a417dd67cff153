#!/bin/sh
# Golden tests for bad probe files: every tests/malformed/NAME.probes must
# make `svdc --check` exit 1 and print exactly NAME.expected on stderr.
# Regenerate an expected file only after reading the new message:
#   (cd tests/malformed && svdc --check NAME.probes 2> NAME.expected)
svdc="${top_builddir:?}/svdc"
: "${top_srcdir:?}"
cd "$top_srcdir/tests/malformed" || exit 99
pass=0 fail=0
tmp=$(mktemp) || exit 99
trap 'rm -f "$tmp"' EXIT
for input in *.probes; do
	name=${input%.probes}
	"$svdc" --check "$input" >/dev/null 2>"$tmp"
	status=$?
	if [ "$status" -ne 1 ]; then
		echo "FAIL $name: exit status $status, expected 1"
		fail=$((fail + 1))
	elif ! diff -u "$name.expected" "$tmp"; then
		echo "FAIL $name: messages differ (above)"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "malformed inputs: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -ge 40 ]
