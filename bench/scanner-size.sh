#!/bin/sh
# Static scanners of svdc --scanner --static against issue 14's targets:
# stripped size (own set <= 6 MB, Nmap's whole set <= 25 MB), startup
# (`--version`, median of RUNS runs, < 5 ms) and peak RSS (< 10 MB).
# Also each scanner's --match of one banner, to show that it works.
# Usage: bench/scanner-size.sh [BUILDDIR [RUNS]]   (after scripts/build.sh)
# Nmap's set is $NMAP_PROBES, else /usr/share/nmap/nmap-service-probes, if
# readable; its C is generated into svdc's temporary directory, and the
# scanners into one of this script's, all removed at exit.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
runs=${2:-51}
nmap=${NMAP_PROBES:-/usr/share/nmap/nmap-service-probes}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Startup wall time of `SCANNER --version`, median of $runs runs, and
# the fastest; then the peak RSS in KB (GNU time's %M, the largest of 5
# runs: Python's own getrusage of children would count the forked
# interpreter before exec).
measure() {
	python3 - "$1" "$runs" <<'PY'
import subprocess, sys, time
exe, runs = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run([exe, "--version"], stdout=subprocess.DEVNULL, check=True)
    times.append(time.perf_counter() - t)
times.sort()
print("%.2f %.2f" % (times[len(times) // 2] * 1e3, times[0] * 1e3))
PY
	i=0 rss=0
	while [ $i -lt 5 ]; do
		r=$(/usr/bin/time -f %M "$1" --version 2>&1 >/dev/null | tail -n 1)
		[ "$r" -gt "$rss" ] && rss=$r
		i=$((i + 1))
	done
	echo "$rss"
}

verdict() { # VALUE LIMIT
	awk -v v="$1" -v l="$2" 'BEGIN { print (v + 0 <= l + 0) ? "ok" : "OVER" }'
}

# The cost of the measurement itself (fork and exec from Python): a
# static program that does nothing.
printf 'int main(void) { return 0; }\n' >"$tmp/empty.c"
${CC:-cc} -O2 -static -o "$tmp/empty" "$tmp/empty.c"
set -- $(measure "$tmp/empty")
echo "baseline: an empty static program starts in $1 ms (median), peak RSS $3 KB"
printf '%-6s %12s %12s %14s %12s  %s\n' set "size (MB)" "stripped" "startup (ms)" "peak RSS" "--match"
for set in own nmap; do
	case $set in
	own) probes=$top/signatures/svdetect-service-probes size_target=6 ;;
	nmap)
		[ -r "$nmap" ] || { echo "nmap: $nmap not readable: skipped"; continue; }
		probes=$nmap size_target=25 ;;
	esac
	start=$(date +%s)
	nice -n 19 "$build/svdc" --scanner --static --name "$set" -o "$tmp/$set" "$probes" \
		>"$tmp/$set.log" 2>&1 || { cat "$tmp/$set.log"; exit 1; }
	took=$(( $(date +%s) - start ))
	strip -o "$tmp/$set.stripped" "$tmp/$set"
	size=$(stat -c %s "$tmp/$set")
	stripped=$(stat -c %s "$tmp/$set.stripped")
	set -- $(measure "$tmp/$set.stripped")
	median=$1 fastest=$2 rss=$3
	match=$(printf 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n' |
		"$tmp/$set.stripped" --match NULL - | sed -n 's/.*"product":"\([^"]*\)","version":"\([^"]*\)".*/\1 \2/p')
	mb=$(awk -v b="$stripped" 'BEGIN { printf "%.2f", b / 1048576 }')
	rss_mb=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
	printf '%-6s %12.2f %12s %14s %9s MB  %s\n' "$set" "$(awk -v b="$size" 'BEGIN { print b / 1048576 }')" \
		"$mb" "$median" "$rss_mb" "$match"
	echo "       size $mb MB <= $size_target MB: $(verdict "$mb" "$size_target");" \
		"startup $median ms (fastest $fastest) < 5 ms: $(verdict "$median" 5);" \
		"RSS $rss_mb MB < 10 MB: $(verdict "$rss_mb" 10); svdc --scanner --static took $took s"
done
echo "($runs runs each; ldd: $(ldd "$tmp/own" 2>&1 | tr -d '\t'); $(nproc) cores, $(date -u +%Y-%m-%d))"
