#!/bin/sh
# Host discovery as unprivileged Nmap does it (a connect to ports 80 and
# 443 of each host; up when either connects or is refused), and -Pn.
#
# In network namespaces of its own (tests/netns-common.sh), the loopback
# keeps 127.0.0.0/16 as its own addresses (they refuse every closed port)
# and two more blocks get routes, so that nothing leaves 127.0.0.0/8:
#   127.0.0.5        port 80 open (a server's banner), the others refused
#   127.0.0.0/16     the rest: every port refused (RST)
#   127.1.0.0/16     routed to the loopback but no one's: silent
#   127.2.0.0/16     unreachable (the route says so at once)
. "${top_srcdir:?}/tests/netns-common.sh"
. "${top_srcdir:?}/tests/hostile-common.sh"
command -v timeout >/dev/null 2>&1 || { echo "SKIP: timeout not installed"; exit 77; }

if ! { ip route del local 127.0.0.0/8 dev lo table local &&
	ip route add local 127.0.0.0/16 dev lo table local &&
	ip route add 127.1.0.0/16 dev lo &&
	ip route add unreachable 127.2.0.0/16; }; then
	echo "FAIL: cannot set the routes"
	exit 99
fi
start_server --lifetime 300 --addrs 127.0.0.5:1 banner=80

# run NAME ARGS...: a scan of at most 60 s (run_bounded).
run() {
	name=$1
	shift
	run_bounded "$name" 60 "$@"
}
has() { grep -Fqx -- "$2" "$tmp/$1" || bad "$1 lacks the line: $2"; }
lacks() { ! grep -Fq -- "$2" "$tmp/$1" || bad "$1 has: $2"; }

# The targets of the first scans.
set -- 127.0.0.5 127.0.0.9 127.1.0.1-3 127.2.0.1

# -v: every host, the down ones with Nmap's lines and reasons.
run verbose -v --reason -p 22,80 -oG "$tmp/verbose.gnmap" -oX "$tmp/verbose.xml" "$@"
has verbose.gnmap "$(printf 'Host: 127.0.0.5 ()\tStatus: Up')"
has verbose.gnmap "$(printf 'Host: 127.0.0.9 ()\tStatus: Up')"
for h in 127.1.0.1 127.1.0.2 127.1.0.3 127.2.0.1; do
	has verbose.gnmap "$(printf 'Host: %s ()\tStatus: Down' $h)"
	has verbose.out "svdetect scan report for $h [host down, received $(
		[ $h = 127.2.0.1 ] && echo host-unreach || echo no-response)]"
done
# The latency, as Nmap prints it, from the ping that found the host up.
grep -Eqx 'Host is up, received syn-ack \(0\.[0-9]+s latency\)\.' "$tmp/verbose.out" ||
	bad "verbose.out lacks the line: Host is up, received syn-ack (...s latency)."
grep -Eqx 'Host is up, received conn-refused \(0\.[0-9]+s latency\)\.' "$tmp/verbose.out" ||
	bad "verbose.out lacks the line: Host is up, received conn-refused (...s latency)."
has verbose.out "svdetect done: 6 IP addresses (2 hosts up) scanned in $(
	sed -n 's/.*scanned in \([0-9.]*\) seconds.*/\1/p' "$tmp/verbose.out") seconds"
grep -q '<status state="down" reason="no-response" reason_ttl="0"/>' "$tmp/verbose.xml" ||
	bad "verbose.xml: no host down with no-response"
grep -q '<status state="down" reason="host-unreach" reason_ttl="0"/>' "$tmp/verbose.xml" ||
	bad "verbose.xml: no host down with host-unreach"
grep -q '<hosts up="2" down="4" total="6"/>' "$tmp/verbose.xml" || bad "verbose.xml: wrong counts"
if command -v xmllint >/dev/null 2>&1 && [ -r /usr/share/nmap/nmap.dtd ]; then
	xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd "$tmp/verbose.xml" 2>"$tmp/dtd.err" ||
		bad "verbose.xml does not follow nmap.dtd: $(head -c 400 "$tmp/dtd.err")"
fi
# The silent hosts' two probes, tried twice for 1 s each, side by side.
[ "$(cat "$tmp/verbose.secs")" -le 4 ] ||
	bad "verbose: $(cat "$tmp/verbose.secs") s for hosts that are down in 2 s"

# Without -v the down hosts are only counted, as in Nmap.
run quiet -p 22,80 -oG "$tmp/quiet.gnmap" -oX "$tmp/quiet.xml" "$@"
for h in 127.1.0 127.2.0; do
	lacks quiet.out "$h"
	lacks quiet.gnmap "Host: $h"
	lacks quiet.xml "addr=\"$h"
done
has quiet.gnmap "$(printf 'Host: 127.0.0.9 ()\tStatus: Up')"
grep -q '6 IP addresses (2 hosts up)' "$tmp/quiet.out" || bad "quiet: wrong summary"

# One target, down: the note that points to -Pn.
run one -p 22 127.1.0.7
grep -q '^Note: the host seems down.*try -Pn$' "$tmp/one.out" || bad "one: no note about -Pn"
has one.out "svdetect done: 1 IP address (0 hosts up) scanned in $(
	sed -n 's/.*scanned in \([0-9.]*\) seconds.*/\1/p' "$tmp/one.out") seconds"

# -Pn: no discovery; every host is up and its ports are scanned.
run pn -Pn --reason -p 22 -oG "$tmp/pn.gnmap" "$@"
[ "$(grep -c 'Status: Up' "$tmp/pn.gnmap")" -eq 6 ] || bad "pn: not every host up"
has pn.gnmap "$(printf 'Host: 127.1.0.1 ()\tPorts: 22/filtered/tcp//ssh///')"
has pn.out "Host is up, received user-set."
lacks pn.out "Note: the host seems down"

# A mostly empty range at the default 1000 ports: the silent hosts are
# found down in about 2 s, side by side, instead of each waiting out a
# thousand connect timeouts.
run sweep -oG "$tmp/sweep.gnmap" 127.1.0.0/24 127.0.0.9
[ "$(cat "$tmp/sweep.secs")" -le 12 ] || bad "sweep: $(cat "$tmp/sweep.secs") s"
grep -q '257 IP addresses (1 host up)' "$tmp/sweep.out" || bad "sweep: wrong summary"
grep -q "$(printf 'Host: 127.0.0.9 ()\tPorts: ')" "$tmp/sweep.gnmap" || bad "sweep: 127.0.0.9 not scanned"

# Ctrl-C while hosts are in discovery: none of them was decided, so none
# is written or counted; the outputs are complete.
timeout -k 5 --preserve-status -s INT 1 "$svd" -n -oX "$tmp/int.xml" 127.1.0.0/24 \
	>"$tmp/int.out" 2>"$tmp/int.err"
rc=$?
[ $rc -eq 130 ] || bad "int: exit $rc, not 130: $(head -c 400 "$tmp/int.err")"
! grep -Eq 'Sanitizer|runtime error:' "$tmp/int.err" || bad "int: $(head -n 20 "$tmp/int.err")"
grep -q '<hosts up="0" down="0" total="0"/>' "$tmp/int.xml" || bad "int: hosts counted"
tail -n 1 "$tmp/int.xml" | grep -q '^</nmaprun>$' || bad "int: XML not closed"

[ $fail -eq 0 ] || exit 1
echo "discovery: hosts down reported as Nmap does, found in one discovery timeout; -Pn scans them all"
