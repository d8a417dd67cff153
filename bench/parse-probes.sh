#!/bin/sh
# Times `svdc --check` on a probe file (default: Nmap's database) over
# RUNS runs and prints the median and the slowest, in milliseconds.
# Usage: bench/parse-probes.sh [FILE]   (after scripts/build.sh)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
file=${1:-/usr/share/nmap/nmap-service-probes}
runs=${RUNS:-31}
svdc="$top/build/svdc"
"$svdc" --check "$file"
times=$(
	i=0
	while [ "$i" -lt "$runs" ]; do
		start=$(date +%s%N)
		"$svdc" --check "$file" >/dev/null
		end=$(date +%s%N)
		echo $(((end - start) / 1000))
		i=$((i + 1))
	done | sort -n
)
median=$(echo "$times" | sed -n "$(((runs + 1) / 2))p")
slowest=$(echo "$times" | tail -n 1)
printf 'svdc --check, %d runs: median %d.%03d ms, slowest %d.%03d ms (whole process)\n' \
	"$runs" $((median / 1000)) $((median % 1000)) $((slowest / 1000)) $((slowest % 1000))
