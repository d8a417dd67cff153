#!/bin/sh
# Our own set's signature examples (signatures/svdetect-service-probes.examples)
# run through the compiled-in matchers (svdetect --test-examples): all pass,
# and every match and softmatch line of the probe file (found here with grep,
# not by the checker) is the line some example ends on.  Then wrong copies
# prove that the checker fails, with a per-field difference naming the
# example's file:line, that a line left without an example is named, and
# that a malformed file is reported as file:line:col.  svdc --test, which
# builds the set as a loadable one and runs the examples on it, reports
# every run the same as svdetect on the compiled-in set.
: "${top_srcdir:?}" "${top_builddir:?}"
probes=$top_srcdir/signatures/svdetect-service-probes
examples=$probes.examples
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

run() { # FILE -> $tmp/out, $tmp/err, $rc; svdc --test's run must be the same
	(cd "$top_srcdir" && "$top_builddir/svdetect" --signatures own --test-examples "$1") \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	(cd "$top_srcdir" && "$top_builddir/svdc" --test --name own \
		signatures/svdetect-service-probes "$1") >"$tmp/svdc.out" 2>"$tmp/svdc.err"
	svdc_rc=$?
	[ $svdc_rc = $rc ] || bad "svdc --test $1 exits $svdc_rc, svdetect --test-examples $rc"
	cmp -s "$tmp/out" "$tmp/svdc.out" && cmp -s "$tmp/err" "$tmp/svdc.err" ||
		bad "svdc --test $1 reports otherwise: $(diff "$tmp/out" "$tmp/svdc.out"; diff "$tmp/err" "$tmp/svdc.err")"
}

# --- all examples pass, every line reached ------------------------------------
run signatures/svdetect-service-probes.examples
[ $rc = 0 ] || { bad "examples fail (exit $rc)"; cat "$tmp/out" "$tmp/err"; }
[ -s "$tmp/err" ] && { bad "errors in the examples file"; cat "$tmp/err"; }
nlines=$(grep -cE '^(match|softmatch) ' "$probes")
[ "$nlines" -ge 72 ] || bad "only $nlines match lines in $probes"
summary=$(tail -n 1 "$tmp/out")
case $summary in
*" 0 failed; 0 errors in the example files; $nlines of $nlines match lines reached") ;;
*) bad "summary: $summary (the probe file has $nlines match lines)" ;;
esac
# The notes name the lines no example ends on, by the line number the
# matcher reports: none of the probe file's lines may be among them.
grep -nE '^(match|softmatch) ' "$probes" | cut -d: -f1 >"$tmp/lines"
while read -r l; do
	grep -q "^signatures/svdetect-service-probes:$l: note" "$tmp/out" &&
		bad "match line $l has no example"
done <"$tmp/lines"
[ "$(grep -c ': note: ' "$tmp/out")" = 0 ] || { bad "notes:"; grep ': note: ' "$tmp/out"; }

# --- a wrong copy fails, with a diff per field ----------------------------------
# Line numbers of the examples edited, so that the expected messages are exact.
ver=$(grep -n '^expect match memcached p/Memcached/ v/1.6.18/' "$examples" | cut -d: -f1)
mem=$(grep -n '^expect softmatch memcached$' "$examples" | cut -d: -f1)
nom=$(grep -n '^expect nomatch$' "$examples" | head -n 1 | cut -d: -f1)
# and the probe file's lines they end on.
ver_line=$(grep -n '^match memcached ' "$probes" | cut -d: -f1)
mem_line=$(grep -n '^softmatch memcached ' "$probes" | cut -d: -f1)
if [ -z "$ver" ] || [ -z "$mem" ] || [ -z "$nom" ] || [ -z "$ver_line" ] || [ -z "$mem_line" ]; then
	echo "examples or probe file changed: fix this test"
	exit 99
fi
# A probe line is 2 above an expect line in these three examples.
sed -e "${ver}s|v/1.6.18/|v/1.6.19/ i/extra/|" \
    -e "${mem}s|.*|expect match memcached p/Memcached/|" \
    -e "${nom}s|.*|expect match http|" "$examples" >"$tmp/wrong.examples"
run "$tmp/wrong.examples"
[ $rc = 1 ] || bad "a wrong example file exits $rc, not 1"
cat >"$tmp/want" <<EOF
$tmp/wrong.examples:$((mem - 2)): example for probe TCP:GenericLines fails: the response ends on the softmatch line $mem_line of signatures/svdetect-service-probes
  result      expected match memcached
              got      softmatch memcached
  product     expected "Memcached"
              got      ""
$tmp/wrong.examples:$((nom - 2)): example for probe TCP:GetRequest fails: no line of the own signatures matches the response
  result      expected match http
              got      nomatch
$tmp/wrong.examples:$((ver - 2)): example for probe TCP:MemcachedVersion fails: the response ends on the match line $ver_line of signatures/svdetect-service-probes
  version     expected "1.6.19"
              got      "1.6.18"
  info        expected "extra"
              got      ""
EOF
grep -v ': note: ' "$tmp/out" | sed '$d' >"$tmp/got"
diff -u "$tmp/want" "$tmp/got" || bad "the failures are not reported as expected"
# The failed examples reach no line: those lines are named.
for l in $mem_line $ver_line; do
	grep -q "^signatures/svdetect-service-probes:$l: note: no example ends on this" "$tmp/out" ||
		bad "line $l, now without a passing example, is not named"
done
case $(tail -n 1 "$tmp/out") in
*": $(( $(grep -c '^probe ' "$examples") - 3 )) passed, 3 failed; 0 errors in the example files; $((nlines - 2)) of $nlines match lines reached") ;;
*) bad "summary of the wrong copy: $(tail -n 1 "$tmp/out")" ;;
esac

# --- a malformed file: file:line:col, and the good examples still run ------------
printf '%s\n' 'probe TCP NULL' 'response q|SSH-2.0-x\q|' 'expect softmatch ssh' \
	'probe TCP MemcachedVersion' 'response q|VERSION 1.6.18\r\n|' \
	'expect match memcached p/Memcached/ v/1.6.18/ cpe:/a:memcached:memcached:1.6.18/' \
	'probe TCP GetRequest' 'response q|hello|' 'expect nomatch' 'expect nomatch' \
	>"$tmp/malformed.examples"
run "$tmp/malformed.examples"
[ $rc = 1 ] || bad "a malformed file exits $rc, not 1"
cat >"$tmp/want" <<EOF
$tmp/malformed.examples:2:21: error: bad escape (\\0 \\a \\b \\f \\n \\r \\t \\v \\xHH, or \\ before a character that is not a letter or digit)
$tmp/malformed.examples:10:1: error: a second \`expect\` line for this example
EOF
diff -u "$tmp/want" "$tmp/err" || bad "malformed file: errors not as expected"
grep -q ': 1 passed, 0 failed; 2 errors in the example files;' "$tmp/out" ||
	bad "malformed file: $(tail -n 1 "$tmp/out")"

# --- usage ------------------------------------------------------------------------
"$top_builddir/svdetect" --test-examples >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc != 2 ] || ! grep -q 'needs example files' "$tmp/err"; then
	bad "--test-examples with no file: exit $rc"
fi

[ $fail = 0 ] && echo "examples: $(grep -c '^probe ' "$examples") examples pass, all $nlines match lines reached; wrong and malformed copies fail as they should"
exit $fail
