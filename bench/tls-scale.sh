#!/bin/sh
# TLS at scale: svdetect holding TLS_SCALE_CONNS (default 1,000) TLS
# connections at once on loopback, against the same run in plain TCP.
# tests/hostile_server listens on that many ports of 127.0.0.1 (from 20000
# up, free ones only) with tlslatebanner (TLS; an OpenSSH banner 5 s after
# the handshake) and as many with latebanner (the same banner 5 s after
# the accept, plain): every port sits in a NULL probe's wait for 5 s, the
# TLS ones through the tunnel.  svdetect runs with --max-parallelism N.
#
# TLS_SCALE_ROUNDS rounds (default 3), each a plain scan then a TLS scan
# (alternating, so that the machine's load falls on both alike), each
# against fresh servers, whose count of completed handshakes it reads.
# Prints each round and the medians of:
#   - connections held at once (svdetect's sockets, sampled every 0.1 s);
#   - peak RSS per connection held, above the peak RSS of a 1-port scan;
#     and the TLS run's above the plain run's per TLS port: what a TLS
#     connection costs (target < 64 KB);
#   - CPU per connection (plain) and per TLS handshake: the TLS run's CPU
#     above the plain run's, over the handshakes the servers completed
#     (the TLS run also probes the ports in plain first, Nmap's order,
#     so this is an upper bound).
#
# Usage: bench/tls-scale.sh [BUILD-DIR]   (make -C build bench-tls-scale)
n=${TLS_SCALE_CONNS:-1000}
rounds=${TLS_SCALE_ROUNDS:-3}
per=$n
delay_ms=5000
# shellcheck source=scale-common.sh
. "$(dirname "$0")/scale-common.sh"

# The program alone: one plain port.
start_servers ports "" latebanner
scan one "$(ports latebanner 1)" 127.0.0.1
stop_servers
read -r _ _ _ rss_one <"$tmp/one.time"

# measure KIND ROUND: one scan of n ports of KIND (latebanner or
# tlslatebanner); appends "held rss_kb cpu_s wall_s handshakes" to
# "$tmp/KIND.rounds".
measure() {
	start_servers ports "" "$1"
	scan "$1.$2" "$(ports "$1" "$n")" 127.0.0.1 --max-parallelism "$n"
	stop_servers
	read -r w u s rss <"$tmp/$1.$2.time"
	echo "$(cat "$tmp/$1.$2.peak") $rss $(echo "$u $s" | awk '{ print $1 + $2 }') $w $(server_handshakes)" \
		>>"$tmp/$1.rounds"
	grep -v '^Stats' "$tmp/$1.$2.err" | head -n 3 >&2
}
median() { # COLUMN FILE
	awk -v c="$1" '{ print $c }' "$2" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "== $n ports plain, then $n through TLS, $rounds rounds (banner ${delay_ms} ms after the accept or the handshake; --max-parallelism $n; a 1-port scan: $((rss_one / 1024)) MB)"
r=1
while [ "$r" -le "$rounds" ]; do
	for kind in latebanner tlslatebanner; do
		measure "$kind" "$r"
		# shellcheck disable=SC2046 # five words
		set -- $(tail -n 1 "$tmp/$kind.rounds")
		echo "round $r $kind: $1 connections held, peak RSS $(($2 / 1024)) MB, CPU $3 s, wall $4 s, $5 TLS handshakes"
	done
	r=$((r + 1))
done

held_p=$(median 1 "$tmp/latebanner.rounds") rss_p=$(median 2 "$tmp/latebanner.rounds")
cpu_p=$(median 3 "$tmp/latebanner.rounds")
held_t=$(median 1 "$tmp/tlslatebanner.rounds") rss_t=$(median 2 "$tmp/tlslatebanner.rounds")
cpu_t=$(median 3 "$tmp/tlslatebanner.rounds") hs=$(median 5 "$tmp/tlslatebanner.rounds")
echo "== medians"
awk -v n="$n" -v one="$rss_one" -v hp="$held_p" -v rp="$rss_p" -v cp="$cpu_p" \
	-v ht="$held_t" -v rt="$rss_t" -v ct="$cpu_t" -v hs="$hs" 'BEGIN {
	pp = (rp - one) * 1024 / (hp ? hp : 1); pt = (rt - one) * 1024 / (ht ? ht : 1)
	printf "plain: %d connections held, %.0f bytes of RSS per connection, %.0f us CPU per connection\n",
		hp, pp, cp * 1e6 / n
	printf "TLS:   %d connections held, %.0f bytes of RSS per connection (%.2fx plain)\n", ht, pt, pp ? pt / pp : 0
	printf "a TLS connection costs %.1f KB of RSS above a plain one (target < 64 KB)\n", (rt - rp) / n
	if (hs > 0)
		printf "CPU per TLS handshake: %.0f us (%d handshakes; TLS run %.2f s, plain %.2f s: %.2fx)\n",
			(ct - cp) * 1e6 / hs, hs, ct, cp, cp ? ct / cp : 0
	else
		print "no TLS handshake completed: this svdetect does not tunnel through TLS"
}'
