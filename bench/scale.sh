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
n=${SCALE_CONNS:-10000}
per=${SCALE_PER_SERVER:-4000}
delay_ms=5000
# shellcheck source=scale-common.sh
. "$(dirname "$0")/scale-common.sh"

identified() { grep -c '"service":"ssh","display":"ssh","product":"OpenSSH"' "$tmp/$1.json"; }
cpu_line() { # NAME CONNECTIONS
	read -r w u s _ <"$tmp/$1.time"
	echo "$2 connections: $(cat "$tmp/$1.peak") held, wall $w s, CPU $u s user + $s s system," \
		"$(echo "$u $s $2" | awk '{ printf "%.0f", ($1 + $2) * 1e6 / $3 }') us per connection," \
		"$(identified "$1") identified"
}

start_servers ports banner:200 latebanner
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
start_servers ports banner:200 latebanner
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

start_servers hosts "" latebanner
echo "== CPU time against connections held: N hosts, one port each"
for k in $((n / 4)) $((n / 2)) "$n"; do
	head -n "$k" "$tmp/hosts" >"$tmp/hosts.$k"
	scan "hosts$k" "$(ports latebanner 65536)" "$tmp/hosts.$k" --max-parallelism "$k"
	cpu_line "hosts$k" "$k"
done
