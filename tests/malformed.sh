#!/bin/sh
# Golden tests for bad probe files: every tests/malformed/NAME.probes must
# make `svdc --check` exit 1 and print exactly NAME.expected on stderr;
# likewise every tests/malformed/merge/NAME.probes merged after base.probes
# there (the clashes of a set of files, docs/probe-files.md).
# Regenerate an expected file only after reading the new message:
#   (cd tests/malformed && svdc --check NAME.probes 2> NAME.expected)
#   (cd tests/malformed/merge && svdc --check base.probes NAME.probes 2> NAME.expected)
svdc="${top_builddir:?}/svdc"
: "${top_srcdir:?}"
cd "$top_srcdir/tests/malformed" || exit 99
pass=0 fail=0
tmp=$(mktemp) || exit 99
trap 'rm -f "$tmp"' EXIT
# golden NAME FILE...: svdc --check FILE... must exit 1 and print NAME.expected
# (in the current folder).
golden() {
	name=$1
	shift
	"$svdc" --check "$@" >/dev/null 2>"$tmp"
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
}
for input in *.probes; do
	golden "${input%.probes}" "$input"
done
cd merge || exit 99
for input in *.probes; do
	[ "$input" = base.probes ] || golden "${input%.probes}" base.probes "$input"
done
cd .. || exit 99
echo "malformed inputs: $pass passed, $fail failed"

# The error cap: 3 MB of pseudo-random bytes (AES-CTR of zeros: the same
# every run) give thousands of errors, of which svdc prints the first 50
# (or --max-errors N), then a line with the total and how many it hid.
junk="$tmp.junk"
trap 'rm -f "$tmp" "$junk"' EXIT
openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f \
	-iv 00000000000000000000000000000000 </dev/zero 2>/dev/null | head -c 3000000 >"$junk"
all=$("$svdc" --max-errors 0 --check "$junk" 2>&1 | grep -c ': error: ')
for limit in default 7; do
	if [ "$limit" = default ]; then
		"$svdc" --check "$junk" 2>"$tmp"
		status=$? shown=50
	else
		"$svdc" --max-errors "$limit" --check "$junk" 2>"$tmp"
		status=$? shown=$limit
	fi
	last="$junk: $all errors; $((all - shown)) not shown (limit $shown per file, see --max-errors)"
	if [ "$status" -ne 1 ] || [ "$all" -lt 1000 ] ||
		[ "$(grep -c ': error: ' "$tmp")" -ne "$shown" ] ||
		[ "$(wc -l <"$tmp")" -ne $((shown + 1)) ] || [ "$(tail -n 1 "$tmp")" != "$last" ]; then
		echo "FAIL error cap ($limit): exit $status, $all errors in all, output ends:"
		tail -n 2 "$tmp"
		fail=$((fail + 1))
	else
		echo "error cap ($limit): $shown of $all errors shown, exit 1"
	fi
done
[ "$fail" -eq 0 ] && [ "$pass" -ge 40 ]
