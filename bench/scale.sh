#!/bin/sh
# Scale: svdetect holding SCALE_CONNS (default 10,000) connections at once
# on loopback.  tests/hostile_server listens on that many ports of
# 127.0.0.1 (from 20000 up, free ones only, below the kernel's ephemeral
# range) and sends each connection an OpenSSH banner 5 s after accepting
# it, so every connection sits in the NULL probe's wait (6 s) for 5 s and
# then has an answer to check.  svdetect runs with --max-parallelism N.
# The ports are spread over several server processes, SCALE_PER_SERVER
# (4000) each, so that each holds its listeners and connections within an
# unprivileged open-file limit.
#
# Prints: the most sockets svdetect held at once (its /proc/PID/fd,
# sampled every 0.1 s) and the servers' most open connections, peak RSS
# (GNU time) in all and per connection, wall and CPU time, and how many
# ports were identified; then CPU time at N/4, N/2 and N connections, on
# one host and on as many hosts (127.10.0.1 up, one port each): it must
# grow linearly (timers are a heap, per-connection and per-host work
# O(1)); then two scans under a low open-file limit, which must finish,
# correct, with a clear message.
#
# Usage: bench/scale.sh [BUILD-DIR]   (make -C build bench-scale)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
n=${SCALE_CONNS:-10000}
per=${SCALE_PER_SERVER:-4000}
delay_ms=5000
svd=$build/svdetect
srv=$build/tests/hostile_server
[ -x "$srv" ] || make -C "$build" tests/hostile_server >/dev/null || exit 1
[ -x /usr/bin/time ] || { echo "scale.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
srv_pids=
stop_servers() {
	for p in $srv_pids; do kill "$p" 2>/dev/null; done
	for p in $srv_pids; do wait "$p"; done
	srv_pids=
}
trap 'stop_servers; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# start_servers ports|hosts: n late-banner listeners, on n ports of
# 127.0.0.1 or on one port of n addresses, over as many servers as it
# takes; the first also answers at once on 200 ports of 127.0.0.1.  Leaves
# the servers' lines in "$tmp/ports" and the addresses in "$tmp/hosts".
start_servers() {
	base=20000 left=$n k=0
	rm -f "$tmp"/ports* "$tmp/hosts"
	while [ "$left" -gt 0 ]; do
		c=$((left < per ? left : per))
		if [ "$1" = hosts ]; then
			where="--addrs 127.$((10 + k)).0.1:$c latebanner"
		else
			where="latebanner:$c"
		fi
		[ $k -eq 0 ] && [ "$1" = ports ] && where="$where banner:200"
		# shellcheck disable=SC2086 # $where is words
		"$srv" --lifetime 900 --delay "$delay_ms" --max-conns $((2 * c + 1000)) \
			--base "$base" $where >"$tmp/ports.$k" 2>"$tmp/server.$k.err" &
		srv_pids="$srv_pids $!"
		i=0
		until grep -q '^ready$' "$tmp/ports.$k" 2>/dev/null; do
			i=$((i + 1))
			if [ $i -gt 600 ] || ! kill -0 "$!" 2>/dev/null; then
				echo "scale.sh: hostile_server did not start" >&2
				cat "$tmp/server.$k.err" >&2
				exit 1
			fi
			sleep 0.1
		done
		cat "$tmp/server.$k.err" >&2
		[ "$1" = ports ] && base=$(($(grep -v '^ready$\|^addrs ' "$tmp/ports.$k" |
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
# The servers' most connections open at once, summed (each one's peak);
# after stop_servers, when they have said.
server_peak() {
	sed -n 's/.*at most \([0-9]*\) open at once.*/\1/p' "$tmp"/ports.* | awk '{ s += $1 } END { print s }'
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
		"$svd" -n -p "$list" -oJ "$tmp/$name.json" -oN /dev/null "$@" \
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
	wait "$tpid" || echo "scale.sh: $name: svdetect exited $?" >&2
	echo "$peak" >"$tmp/$name.peak"
}
identified() { grep -c '"service":"ssh","display":"ssh","product":"OpenSSH"' "$tmp/$1.json"; }
cpu_line() { # NAME CONNECTIONS
	read -r w u s _ <"$tmp/$1.time"
	echo "$2 connections: $(cat "$tmp/$1.peak") held, wall $w s, CPU $u s user + $s s system," \
		"$(echo "$u $s $2" | awk '{ printf "%.0f", ($1 + $2) * 1e6 / $3 }') us per connection," \
		"$(identified "$1") identified"
}

start_servers ports
# The program alone: one port.
scan one "$(ports banner 1)" 127.0.0.1
read -r _ _ _ rss_one <"$tmp/one.time"

echo "== $n connections at once ($n ports, banner after ${delay_ms} ms, --max-parallelism $n)"
scan full "$(ports latebanner "$n")" 127.0.0.1 --max-parallelism "$n"
read -r wall user sys rss <"$tmp/full.time"
peak=$(cat "$tmp/full.peak")
grep -v '^Stats' "$tmp/full.err" | head -n 5 >&2
stop_servers
echo "sockets held at once: $peak (svdetect's descriptors); servers: $(server_peak) connections open at once (with the connect scan's)"
echo "peak RSS: $((rss / 1024)) MB; $((rss * 1024 / (peak ? peak : 1))) bytes per connection;" \
	"$(((rss - rss_one) * 1024 / (peak ? peak : 1))) bytes per connection above a 1-port scan ($((rss_one / 1024)) MB)"
echo "wall time: $wall s (of which ${delay_ms} ms the servers' delay); CPU: $user s user, $sys s system"
echo "identified as OpenSSH: $(identified full) of $n ports"

# CPU time against connections: linear, not quadratic.
start_servers ports
echo "== CPU time against connections held: one host, N ports"
for k in $((n / 4)) $((n / 2)) "$n"; do
	scan "cpu$k" "$(ports latebanner "$k")" 127.0.0.1 --max-parallelism "$k"
	cpu_line "cpu$k" "$k"
done

# A low open-file limit: a message, then the scan with what there is.
k=$((n < 2000 ? n : 2000))
echo "== ulimit -n 1024, --max-parallelism $n, $k ports"
(ulimit -n 1024 && scan low "$(ports latebanner "$k")" 127.0.0.1 --max-parallelism "$n")
read -r w _ _ _ <"$tmp/low.time"
grep -v '^Stats' "$tmp/low.err" | head -n 3
echo "sockets held at once: $(cat "$tmp/low.peak"); wall $w s; identified: $(identified low) of $k"
echo "== ulimit -n 24, 200 ports (banner at once)"
(ulimit -n 24 && scan tiny "$(ports banner 200)" 127.0.0.1 --max-parallelism "$n")
read -r w _ _ _ <"$tmp/tiny.time"
grep -v '^Stats' "$tmp/tiny.err" | head -n 3
echo "wall $w s; identified: $(identified tiny) of 200"
stop_servers

start_servers hosts
echo "== CPU time against connections held: N hosts, one port each"
for k in $((n / 4)) $((n / 2)) "$n"; do
	head -n "$k" "$tmp/hosts" >"$tmp/hosts.$k"
	scan "hosts$k" "$(ports latebanner 65536)" "$tmp/hosts.$k" --max-parallelism "$k"
	cpu_line "hosts$k" "$k"
done
