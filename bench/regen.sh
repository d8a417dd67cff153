#!/bin/sh
# make after editing one match line of Nmap's database (issue 14: under
# 20 s on 2 cores), against the full build of Nmap's set in the same run.
#
# In a scratch build tree of its own (configure --with-nmap-probes= a copy
# of the database, never this repository's build), with svdc and the
# runtime library built first (untimed), each round times:
#   full:     `make svdetect` from no generated file of Nmap's set (svdc,
#             the tables file, every chunk, the library, the link);
#   template: `make svdetect` after one line's version template changed
#             (svdc; the tables file; no chunk should change);
#   regex:    `make svdetect` after one line's regex changed (svdc; the
#             tables file and at most two chunks).
# and counts the generated files that changed and the objects compiled.
# Rounds alternate the three (each edit differs from the last), the load
# of the machine falling on each alike; medians are printed at the end.
#
# Usage: bench/regen.sh [PROBES]   (default /usr/share/nmap/nmap-service-probes)
# ROUNDS (default 1), EDITS (default 1: template and regex edits after each
# full build, each edit adding to the last), JOBS (default 2: make -jJOBS),
# KEEP=1 keeps the tree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
probes=${1:-/usr/share/nmap/nmap-service-probes}
rounds=${ROUNDS:-1}
edits=${EDITS:-1}
jobs=${JOBS:-2}
target=20
[ -f "$probes" ] || { echo "no probe file $probes"; exit 77; }
[ -x "$top/configure" ] || { echo "run autoreconf -fi (or scripts/build.sh) first"; exit 1; }
tmp=$(mktemp -d /tmp/svd-regen-XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
# A compiler cache would turn a rebuild into cache hits.
CCACHE_DISABLE=1
export CCACHE_DISABLE
cp "$probes" "$tmp/probes.orig"
cp "$tmp/probes.orig" "$tmp/probes"
mkdir "$tmp/build"
cd "$tmp/build"
"$top/configure" --with-nmap-probes="$tmp/probes" >configure.out 2>&1 ||
	{ tail -n 20 configure.out; exit 1; }
make -j"$jobs" svdc libsvdetect.a libsvdsig_own.a >setup.out 2>&1 ||
	{ tail -n 20 setup.out; exit 1; }
gen=generated/nmap

# The line edited: the first match line with a version template and a
# regex anchored at the start (delimiter |).
line=$(grep -n '^match [^ ]* m|^[^|]*| .*v/' "$tmp/probes.orig" | head -n 1 | cut -d: -f1)
[ -n "$line" ] || { echo "no match line to edit in $probes"; exit 1; }
echo "$probes: editing line $line; make -j$jobs; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

now() { date +%s.%N; }

# sums FILE: checksums of the generated C.
sums() {
	(cd $gen 2>/dev/null && md5sum ./*.c 2>/dev/null || true) >"$1.c"
}

# timed KIND ROUND: make svdetect, timed; appends "seconds" to $tmp/KIND
# and prints what changed.
timed() {
	sums "$tmp/before"
	/usr/bin/time -f '%e %U %S' -o "$tmp/time" make -j"$jobs" svdetect >"$tmp/make.out" 2>&1 ||
		{ tail -n 20 "$tmp/make.out"; exit 1; }
	sums "$tmp/after"
	read -r s user sys <"$tmp/time"
	cpu=$(echo "$user + $sys" | bc)
	echo "$s" >>"$tmp/$1"
	echo "$cpu" >>"$tmp/$1.cpu"
	changed=$(diff "$tmp/before.c" "$tmp/after.c" | grep -c '^>' || true)
	chunks=$(diff "$tmp/before.c" "$tmp/after.c" | grep -c '^> .*_rx_' || true)
	objs=$(grep -c '^  CC *generated/nmap/' "$tmp/make.out" || true)
	printf 'round %s %-8s %7.1f s wall, %7.1f s CPU; generated files changed: %s (%s chunks), objects compiled: %s\n' \
		"$2" "$1" "$s" "$cpu" "$changed" "$chunks" "$objs"
}

r=1
while [ "$r" -le "$rounds" ]; do
	cp "$tmp/probes.orig" "$tmp/probes"
	rm -f $gen/*.c $gen/*.o $gen/stamp libsvdsig_nmap.a svdetect
	timed full "$r"
	e=1
	while [ "$e" -le "$edits" ]; do
		sed -i "${line}s| v/| v/bench$r.$e |" "$tmp/probes"
		timed template "$r"
		sed -i "${line}s/ m|^/ m|^(?:bench$r.$e)?/" "$tmp/probes"
		timed regex "$r"
		e=$((e + 1))
	done
	r=$((r + 1))
done

median() { sort -n "$tmp/$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
full=$(median full)
fullcpu=$(median full.cpu)
for kind in template regex; do
	m=$(median "$kind")
	c=$(median "$kind.cpu")
	verdict=$(echo "$m < $target" | bc)
	printf 'median of %s: %-8s rebuild %6.1f s wall (%.1f s CPU), full %6.1f s wall (%.1f s CPU), ratio %.3f: %s the %s s target\n' \
		"$(wc -l <"$tmp/$kind") rebuild(s)" "$kind" "$m" "$c" "$full" "$fullcpu" "$(echo "$m / $full" | bc -l)" \
		"$([ "$verdict" = 1 ] && echo meets || echo MISSES)" "$target"
done
echo "(wall times on a loaded machine include waiting for the CPU: load $(cut -d' ' -f1-3 /proc/loadavg) now)"
