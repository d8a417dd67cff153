#!/bin/sh
# Several probe files as one set (docs/probe-files.md, "Several files as
# one set"): `svdc --dump a.probes b.probes` is `svdc --dump ab.probes`,
# the hand-merged file; --check gives a line per file and one for the set
# with ab.probes' counts; the order of the files matters; --compile of a
# set is byte-identical from run to run.
svdc="${top_builddir:?}/svdc"
: "${top_srcdir:?}"
cd "$top_srcdir/tests/data/merge" || exit 99
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
fail=0
bad() {
	echo "FAIL $*"
	fail=1
}

"$svdc" --dump a.probes b.probes >"$work/set.dump" || bad "--dump a.probes b.probes"
"$svdc" --dump ab.probes >"$work/ab.dump" || bad "--dump ab.probes"
diff -u "$work/ab.dump" "$work/set.dump" || bad "the set's dump is not ab.probes' (above)"
"$svdc" --dump a.probes - <b.probes >"$work/stdin.dump" || bad "--dump a.probes -"
cmp -s "$work/stdin.dump" "$work/set.dump" || bad "b.probes on stdin merges otherwise"

"$svdc" --check a.probes b.probes >"$work/check.out" 2>&1 || bad "--check a.probes b.probes"
"$svdc" --check ab.probes >"$work/ab.out" || bad "--check ab.probes"
cat >"$work/check.expected" <<'END'
a.probes: 3 probes (2 TCP, 1 UDP), 3 match + 1 softmatch lines
b.probes: 3 probes (3 TCP, 0 UDP), 3 match + 0 softmatch lines
END
sed 's/^ab\.probes:/a.probes + b.probes:/' "$work/ab.out" >>"$work/check.expected"
diff -u "$work/check.expected" "$work/check.out" || bad "--check of the set says otherwise (above)"

# b.probes first: a.probes' restatement of GetRequest then sets ports,
# which b.probes' definition has not.
"$svdc" --check b.probes a.probes >/dev/null 2>"$work/swapped.err"
status=$?
[ "$status" -eq 1 ] || bad "b.probes a.probes: exit $status, expected 1"
grep -qx "a.probes:11:1: error: 'ports' in probe TCP GetRequest, which b.probes:9 defines without it (a restatement may only repeat a directive as it is)" \
	"$work/swapped.err" || { cat "$work/swapped.err"; bad "b.probes a.probes: no ports clash (above)"; }
tail -n 1 "$work/swapped.err" | grep -qx 'b.probes + a.probes: [0-9]* errors\{0,1\}' ||
	bad "b.probes a.probes: no summary line for the set"

for run in 1 2; do
	mkdir "$work/c$run"
	"$svdc" --compile --name site --chunks 3 -o "$work/c$run" a.probes b.probes ||
		bad "--compile, run $run"
done
diff -r "$work/c1" "$work/c2" >/dev/null || bad "--compile of the set differs from run to run"
grep -q '\.source = "a\.probes + b\.probes"' "$work/c1/site_sigdb.c" ||
	bad "the compiled set does not name its files"
[ "$fail" -eq 0 ] && echo "merge: the set is ab.probes (dump and counts); order and compile checked"
[ "$fail" -eq 0 ]
