#!/bin/sh
# Hostile SunRPC servers (tests/rpc_hostile_server.py, on free ports of
# 127.0.0.1): each answers Nmap's RPCCheck probe as an RPC service, so
# version detection names it rpcbind and the grinder calls it, and then
# answers the grinder, over TCP, with a 2 GB fragment and endless zeros,
# endless empty fragments, a reply for another xid, or random words; over
# UDP, with a flood of 200 replies for other xids, a 60000-byte datagram,
# a reply for another xid, or random words.  svdetect must end each grind
# for the reason its trace gives (on TCP at once: the record's bounds, or
# no reply to a call awaited; over UDP at the seventeenth stray datagram
# of a flood, or when the four calls' replies are given up after the
# host's wait, the strays passed over), leave each port `rpcbind` with no
# version and no "rpc" object, exit 0 with no sanitizer report, and take
# no longer than detection alone may: the NULL probe's 6 s and one probe's
# 5 s, plus 4 s for connects and a loaded machine.
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
# $svd, $tmp, bad(), and the servers in $srv_pids stopped at exit.
. "${top_srcdir:?}/tests/hostile-common.sh"
[ -r /usr/share/nmap/nmap-rpc ] ||
	{ echo "SKIP: no /usr/share/nmap/nmap-rpc (Debian package nmap-common): no grinding"; exit 77; }

python3 "$top_srcdir/tests/rpc_hostile_server.py" 120 >"$tmp/ports" 2>"$tmp/server.err" &
srv_pids="$srv_pids $!"
i=0
until grep -q '^ready$' "$tmp/ports" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 100 ] || { echo "FAIL: rpc_hostile_server.py did not start"; cat "$tmp/server.err"; exit 99; }
	sleep 0.1
done
# T:PORT,...,U:PORT,...: the UDP servers' modes start with udp-.
ports=$(awk '$1 == "ready" { next }
	$1 ~ /^udp-/ { u = u (u == "" ? "U:" : ",") $2; next }
	{ t = t (t == "" ? "T:" : ",") $2 }
	END { print t "," u }' "$tmp/ports")

start=$(date +%s%N)
timeout -k 5 60 "$svd" -n -Pn -sT -sU -p "$ports" --version-trace -oJ "$tmp/svd.json" 127.0.0.1 \
	>"$tmp/svd.out" 2>"$tmp/svd.err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc -eq 0 ] || bad "svdetect: exit $rc (124: timed out); $(head -n 5 "$tmp/svd.err")"
if grep -Eq 'Sanitizer|runtime error:' "$tmp/svd.err"; then
	bad "svdetect: sanitizer report"
	head -n 40 "$tmp/svd.err"
fi

while read -r mode port; do
	[ "$mode" = ready ] && continue
	proto=tcp calls='[1-4] calls\{0,1\}'
	case $mode in
	huge | endless) why="a reply over the bounds of its record" ;;
	udp-flood) proto=udp calls='4 calls' why="too many datagrams that answer no call" ;;
	udp-*) proto=udp calls='4 calls' why="no answer in time" ;;
	*) why="not a reply to a call awaited" ;;
	esac
	grep -q "^RPC grind: 127\\.0\\.0\\.1:$port ($proto) is no program known after $calls ($why)\$" \
		"$tmp/svd.err" || bad "$mode ($port): the grind did not end with '$why': $(grep "RPC grind: 127.0.0.1:$port " "$tmp/svd.err")"
	line=$(grep "\"port\":$port,\"proto\":\"$proto\"," "$tmp/svd.json")
	[ "$(field "$line" service)" = rpcbind ] || bad "$mode ($port): not rpcbind: $line"
	[ -z "$(field "$line" version)" ] || bad "$mode ($port): a version: $line"
	case $line in *'"rpc":null'*) ;; *) bad "$mode ($port): an rpc object: $line" ;; esac
done <"$tmp/ports"

echo "8 hostile RPC servers (4 TCP, 4 UDP): ${ms} ms"
[ "$ms" -le 15000 ] || bad "the scan took $ms ms, over the bound of 15 s"
[ $fail -eq 0 ] && echo "PASS: every hostile grind ended within its bounds, the ports left as detection named them"
exit $fail
