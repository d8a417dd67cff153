#!/bin/sh
# The UDP scan (-sU) and its version detection, alone and beside the TCP
# connect scan, in network namespaces of their own (tests/netns-common.sh)
# with the UDP peers of tests/udp_server.py on 127.0.0.1 and ::1:
#   53    dns: answers version.bind as BIND 9.18 does     open
#   69    silent                                          open|filtered
#   161   nothing listens                                 closed (port-unreach)
#   1900  answers from another port                       open|filtered
#   5000  flood: 200 datagrams for each one               open, bounded
#   5001  big: one datagram of 20000 bytes                open, bounded
# and a TCP banner (tests/hostile_server) for the mixed scans.  Every
# output format is checked, and, where Nmap is installed, the state of
# every port against nmap -sU -sV.
. "${top_srcdir:?}/tests/netns-common.sh"
. "${top_srcdir:?}/tests/hostile-common.sh"
command -v timeout >/dev/null 2>&1 || { echo "SKIP: timeout not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not installed"; exit 77; }

peers="dns=53 silent=69 otherport=1900 flood=5000 big=5001"
for addr in 127.0.0.1 ::1; do
	# shellcheck disable=SC2086 # one word a peer
	python3 "$top_srcdir/tests/udp_server.py" --lifetime 300 "$addr" $peers \
		>"$tmp/udp-$addr.ready" 2>"$tmp/udp-$addr.err" &
	srv_pids="$srv_pids $!"
done
start_server --lifetime 300 --addrs 127.0.0.1:1 banner=2222
i=0
until [ "$(cat "$tmp"/udp-*.ready 2>/dev/null | grep -c ready)" -eq 2 ]; do
	i=$((i + 1))
	[ $i -le 100 ] || { echo "FAIL: udp_server.py did not start"; cat "$tmp"/udp-*.err; exit 99; }
	sleep 0.1
done

# run NAME ARGS...: a scan of at most 120 s, no host discovery (run_bounded).
run() {
	name=$1
	shift
	run_bounded "$name" 120 -Pn "$@"
}
has() { grep -Eqx -- "$2" "$tmp/$1" || bad "$1 lacks a line matching: $2"; }
dtd() {
	if command -v xmllint >/dev/null 2>&1 && [ -r /usr/share/nmap/nmap.dtd ]; then
		xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd "$tmp/$1" 2>"$tmp/dtd.err" ||
			bad "$1 does not follow nmap.dtd: $(head -c 400 "$tmp/dtd.err")"
	fi
}

udp_ports=53,69,161,1900,5000,5001

# --- UDP alone, every format ------------------------------------------------
run udp -sU --reason -p "$udp_ports" -oA "$tmp/udp" -oJ "$tmp/udp.json" 127.0.0.1
has udp.out 'PORT +STATE +SERVICE +REASON +VERSION'
has udp.out '53/udp +open +domain +udp-response ttl 64 +ISC BIND 9\.18\.49.*'
has udp.out '69/udp +open\|filtered +tftp +no-response'
has udp.out '161/udp +closed +snmp +port-unreach ttl 64'
has udp.out '1900/udp +open\|filtered +upnp +no-response'
has udp.out '5000/udp +open +[^ ]+ +udp-response ttl 64.*'
has udp.out '5001/udp +open +[^ ]+ +udp-response ttl 64.*'
has udp.xml '<scaninfo type="udp" protocol="udp" numservices="6" services="53,69,161,1900,5000-5001"/>'
grep -q 'protocol="tcp"' "$tmp/udp.xml" && bad "udp.xml: a TCP record in a UDP scan"
has udp.xml '<port protocol="udp" portid="69"><state state="open\|filtered" reason="no-response" reason_ttl="0"/><service name="tftp" method="table" conf="3"/></port>'
has udp.xml '<port protocol="udp" portid="161"><state state="closed" reason="port-unreach" reason_ttl="64"/><service name="snmp" method="table" conf="3"/></port>'
dtd udp.xml
has udp.gnmap 'Host: 127\.0\.0\.1 \(\)	Ports: 53/open/udp//domain//ISC BIND 9\.18\.49.*/, 69/open\|filtered/udp//tftp///, 161/closed/udp//snmp///, 1900/open\|filtered/udp//upnp///, 5000/open/udp//.*'
has udp.json '\{"type":"port",.*"port":53,"proto":"udp","state":"open","reason":"udp-response","reason_ttl":64,"service":"domain",.*"product":"ISC BIND",.*'
has udp.json '\{"type":"port",.*"port":69,"proto":"udp","state":"open\|filtered","reason":"no-response","reason_ttl":0,.*'
has udp.json '\{"type":"run",.*"tcp_ports":null,"ntcp_ports":0,"udp_ports":"53,69,161,1900,5000-5001","nudp_ports":6,.*'
has udp.json '\{"type":"host",.*"open":3,"closed":1,"filtered":0,"open_filtered":2,.*'
# The flood and the big datagram cost nothing much: the silent ports'
# probes set the pace (19 of Nmap's, 8 at a time, 5 s each).
[ "$(cat "$tmp/udp.secs")" -le 25 ] || bad "udp: $(cat "$tmp/udp.secs") s"

# --- IPv6: the same, ICMPv6 for the closed port ----------------------------
run udp6 -6 -sU --reason -p 53,161 ::1
has udp6.out '53/udp +open +domain +udp-response ttl 64 +ISC BIND 9\.18\.49.*'
has udp6.out '161/udp +closed +snmp +port-unreach ttl 64'

# --- -sT -sU together -----------------------------------------------------
run mixed -sT -sU -v -p T:2222,2223,U:53,161 -oA "$tmp/mixed" -oJ "$tmp/mixed.json" 127.0.0.1
has mixed.out '2222/tcp +open +.*'
has mixed.out '2223/tcp +closed +.*'
has mixed.out '53/udp +open +domain +ISC BIND 9\.18\.49.*'
has mixed.out '161/udp +closed +snmp'
# TCP ports first, then UDP, as Nmap lists them.
[ "$(grep -En '^(2222/tcp|53/udp)' "$tmp/mixed.out" | cut -d: -f1 | tr '\n' ' ')" != "" ] &&
	[ "$(grep -n '^2222/tcp' "$tmp/mixed.out" | cut -d: -f1)" -lt \
	  "$(grep -n '^53/udp' "$tmp/mixed.out" | cut -d: -f1)" ] ||
	bad "mixed.out: TCP ports not before UDP ones"
has mixed.xml '<scaninfo type="connect" protocol="tcp" numservices="2" services="2222-2223"/>'
has mixed.xml '<scaninfo type="udp" protocol="udp" numservices="2" services="53,161"/>'
dtd mixed.xml
has mixed.gnmap '# Ports scanned: TCP\(2;2222-2223\) UDP\(2;53,161\) SCTP\(0;\) PROTOCOLS\(0;\)'
has mixed.gnmap 'Host: 127\.0\.0\.1 \(\)	Ports: 2222/open/tcp//.*, 2223/closed/tcp//.*, 53/open/udp//domain//ISC BIND 9\.18\.49.*, 161/closed/udp//snmp///'
has mixed.json '\{"type":"run",.*"tcp_ports":"2222-2223","ntcp_ports":2,"udp_ports":"53,161","nudp_ports":2,.*'
has mixed.out 'Discovered open port 53/udp on 127\.0\.0\.1'

# --- Nmap's default UDP ports ------------------------------------------------
# Top 1000: the closed ones summed up as Nmap sums them; the silent ones
# decided after their tries, then probed.
run top -sU 127.0.0.1
has top.out 'Not shown: 99[0-9] closed udp ports \(port-unreach\)'
has top.out '53/udp +open +domain +ISC BIND 9\.18\.49.*'
has top.out '69/udp +open\|filtered +tftp'
has top.out '1900/udp +open\|filtered +upnp'
[ "$(cat "$tmp/top.secs")" -le 30 ] || bad "top: $(cat "$tmp/top.secs") s"

# --- Nmap on the same peers ----------------------------------------------------
if command -v nmap >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	timeout -k 5 600 nmap -n -Pn -sU -sV -p "$udp_ports" -oX "$tmp/nmap.xml" 127.0.0.1 \
		>/dev/null 2>"$tmp/nmap.err" || bad "nmap failed: $(head -c 400 "$tmp/nmap.err")"
	states() { sed -n 's/.*portid="\([0-9]*\)"><state state="\([^"]*\)" reason="\([^"]*\)".*/\1 \2 \3/p' "$1"; }
	states "$tmp/nmap.xml" >"$tmp/nmap.states"
	states "$tmp/udp.xml" >"$tmp/svd.states"
	diff "$tmp/nmap.states" "$tmp/svd.states" >"$tmp/states.diff" ||
		bad "port states differ from Nmap's: $(cat "$tmp/states.diff")"
else
	echo "note: no Nmap comparison (nmap not installed, or not root)"
fi

exit $fail
