# shellcheck shell=sh
# Sourced by the scale benchmarks (bench/scale.sh, bench/tls-scale.sh):
# the build's svdetect and tests/hostile_server, a temporary directory
# and the servers, all gone at exit.  The sourcing script sets n (ports
# per behaviour), per (ports per server process) and delay_ms (the late
# banners' delay) first; $1 may name the build directory.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
svd=$build/svdetect
srv=$build/tests/hostile_server
bench=$(basename "$0")
[ -x "$srv" ] || make -C "$build" tests/hostile_server >/dev/null || exit 1
[ -x /usr/bin/time ] || { echo "$bench: needs GNU time (apt-get install time)" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
srv_pids=
stop_servers() {
	for p in $srv_pids; do kill "$p" 2>/dev/null; done
	for p in $srv_pids; do wait "$p"; done
	srv_pids=
}
trap 'stop_servers; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# start_servers ports|hosts EXTRA BEHAVIOUR...: n listeners of each
# BEHAVIOUR, on n ports of 127.0.0.1 (from 20000 up, free ones only, below
# the kernel's ephemeral range) or on one port of n addresses (127.10.0.1
# up; one BEHAVIOUR then), over as many servers as it takes; the first
# also listens as EXTRA says (words of hostile_server, may be empty).
# Leaves the servers' lines in "$tmp/ports" and the addresses in
# "$tmp/hosts".
start_servers() {
	mode=$1 extra=$2
	shift 2
	base=20000 left=$n k=0
	rm -f "$tmp"/ports* "$tmp/hosts"
	while [ "$left" -gt 0 ]; do
		c=$((left < per ? left : per))
		where=
		for b in "$@"; do
			if [ "$mode" = hosts ]; then
				where="$where --addrs 127.$((10 + k)).0.1:$c $b"
			else
				where="$where $b:$c"
			fi
		done
		[ $k -eq 0 ] && where="$where $extra"
		# shellcheck disable=SC2086 # $where is words
		"$srv" --lifetime 900 --delay "$delay_ms" --max-conns $((2 * c * $# + 1000)) \
			--base "$base" $where >"$tmp/ports.$k" 2>"$tmp/server.$k.err" &
		srv_pids="$srv_pids $!"
		i=0
		until grep -q '^ready$' "$tmp/ports.$k" 2>/dev/null; do
			i=$((i + 1))
			if [ $i -gt 600 ] || ! kill -0 "$!" 2>/dev/null; then
				echo "$bench: hostile_server did not start" >&2
				cat "$tmp/server.$k.err" >&2
				exit 1
			fi
			sleep 0.1
		done
		cat "$tmp/server.$k.err" >&2
		[ "$mode" = ports ] && base=$(($(grep -v '^ready$\|^addrs ' "$tmp/ports.$k" |
			awk '{ print $2 }' | tr ',-' '\n\n' | sort -n | tail -n 1) + 1))
		left=$((left - c)) k=$((k + 1))
	done
	cat "$tmp"/ports.* >"$tmp/ports"
	awk '$1 == "addrs" { split($2, a, "."); x = a[2] * 65536 + a[3] * 256 + a[4]
		for (i = 0; i < $3; i++) { printf "127.%d.%d.%d\n", int(x / 65536), int(x / 256) % 256, x % 256; x++ } }' \
		"$tmp/ports" >"$tmp/hosts"
}
# The first COUNT ports of a behaviour (all servers), as a -p list.
ports() {
	awk -v b="$1" '$1 == b { print $2 }' "$tmp/ports" | tr ',' '\n' |
		awk -F- -v max="$2" '{ for (p = $1; p <= ($2 ? $2 : $1) && k < max; p++) if (!seen[p]++) { printf "%s%d", s, p; s = ","; k++ } }'
}
# The servers' most connections open at once, summed (each one's peak),
# and their TLS handshakes; after stop_servers, when they have said.
server_peak() {
	sed -n 's/.*at most \([0-9]*\) open at once.*/\1/p' "$tmp"/ports.* | awk '{ s += $1 } END { print s }'
}
server_handshakes() {
	sed -n 's/.* \([0-9]*\) TLS handshakes,.*/\1/p' "$tmp"/ports.* | awk '{ s += $1 } END { print s + 0 }'
}

# scan NAME PORTS TARGETS [SVDETECT-OPTIONS...]: runs svdetect, sampling
# its sockets; leaves "$tmp/NAME.time" (wall user sys maxrss_kb) and
# "$tmp/NAME.peak" (most sockets seen open).  TARGETS: 127.0.0.1 or a file.
scan() {
	name=$1 list=$2 targets=$3
	shift 3
	rm -f "$tmp/pid"
	if [ "$targets" = 127.0.0.1 ]; then set -- "$@" 127.0.0.1; else set -- "$@" -iL "$targets"; fi
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/$name.time" \
		sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/pid" \
		"$svd" -n -p "$list" -oJ "$tmp/$name.json" "$@" >/dev/null \
		2>"$tmp/$name.err" &
	tpid=$!
	peak=0 i=0
	while kill -0 "$tpid" 2>/dev/null && [ $i -lt 9000 ]; do
		i=$((i + 1))
		pid=$(cat "$tmp/pid" 2>/dev/null)
		if [ -n "$pid" ]; then
			s=$(find "/proc/$pid/fd" -lname 'socket:*' 2>/dev/null | wc -l)
			[ "$s" -gt "$peak" ] && peak=$s
		fi
		sleep 0.1
	done
	wait "$tpid" || echo "$bench: $name: svdetect exited $?" >&2
	echo "$peak" >"$tmp/$name.peak"
}
