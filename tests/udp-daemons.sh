#!/bin/sh
# tests/udp-daemons.sh: the UDP and SunRPC daemons of scripts/daemons.sh,
# the test bed of svdetect's UDP scan and RPC grinder (issue 13), are up,
# answer a real query each, and listen on the loopback alone.
#
# Starts the daemons with a UDP port (named, snmpd, chronyd, tftpd,
# tftpd2, rpcbind, statd, coturn, coap-server) in a network namespace of its own
# (scripts/daemon-session.sh), then requires:
#  - every port of theirs up (`scripts/daemons.sh list`);
#  - named: dig's version.bind (CHAOS TXT) over UDP on 53 and 5353 is the
#    package's version;
#  - snmpd: snmpget of sysDescr with community "public" on 161 and 1161
#    is this kernel's uname; a set is refused (noAccess: read-only); another
#    community gets no answer;
#  - chronyd: an NTP client query (chronyd -Q) on 123 gets a sample, and
#    chronyc says stratum 10 (local clock, no upstream server);
#  - tftpd, tftpd2: tftp get of the served file on 69 and 10069 gives its
#    bytes, a missing file an error;
#  - rpcbind, statd: NULL calls over UDP and TCP answer, and rpcinfo -p
#    lists the portmapper on 111 and status (100024) on 32765, both
#    protocols;
#  - coturn: a DTLS handshake on 5349 (openssl s_client) gets the set's
#    certificate; a TURN allocation over DTLS (turnutils_uclient, which
#    comes with coturn) with the set's user gets a relay address on
#    127.0.0.1, and a permission for a loopback peer is refused: the relay
#    reaches nothing; a wrong password gets no allocation;
#  - coap-server: a CoAP GET of /.well-known/core answers the same
#    resource list over DTLS (coaps, 5684) as over plain CoAP (5683), and
#    the DTLS handshake gets the set's certificate;
#  - ss: every socket of the namespace bound to 127.0.0.1, but statd's,
#    which nfs-utils binds to 0.0.0.0: allowed only because the
#    namespace's one interface is lo; no TCP socket of coturn or
#    coap-server listening (they speak UDP alone).
# The daemons this test started are stopped when it ends.  Needs root and
# a network namespace, the clients (scripts/setup-debian.sh) and Debian 12
# (the daemon set): otherwise skipped (77).
: "${top_srcdir:?}"
set -u

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (scripts/daemons.sh binds ports < 1024 and installs packages)"
for tool in dig snmpget snmpset tftp coap-client-openssl openssl ss flock timeout; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed (scripts/setup-debian.sh installs it)"
done
daemons_sh=$top_srcdir/scripts/daemons.sh
# The daemons with a UDP port, and no others.
SVD_DAEMONS=$(SVD_DAEMONS='' "$daemons_sh" list | awk -F'\t' '$6 == "udp" { print $1 }' | uniq | tr '\n' ' ')
export SVD_DAEMONS
# shellcheck source=../scripts/daemon-session.sh
. "$top_srcdir/scripts/daemon-session.sh"
daemons_isolate_or_skip "$0" "$@"

tmp=$(mktemp -d) || exit 99
trap 'daemons_release; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
fail=0
bad() { echo "FAIL: $*"; fail=1; }

echo "== starting $SVD_DAEMONS"
daemons_acquire || { echo "FAIL: scripts/daemons.sh start failed"; exit 99; }
up=$(daemons_up_count)
total=$(daemons_count)
[ "$total" -eq 9 ] || bad "the UDP set has $total daemons, expected 9: $SVD_DAEMONS"
[ "$up" -eq "$total" ] || bad "$up of $total daemons are up (see $svd_daemon_dir/log)"
[ "$(daemons_ports udp)" = 53,69,111,123,161,1161,5349,5353,5683,5684,10069,32765 ] ||
	bad "UDP ports: $(daemons_ports udp)"
version_of() { "$daemons_sh" list | awk -F'\t' -v n="$1" '$1 == n { print $4; exit }'; }

# Every client is bounded: timeout, and its own retry count.
echo "== named"
bind=$(version_of named)
for port in 53 5353; do
	got=$(timeout 20 dig +short +notcp +time=2 +tries=2 @127.0.0.1 -p $port version.bind chaos txt)
	[ "$got" = "\"${bind#*:}-Debian\"" ] || bad "named $port/udp: version.bind is '$got', package $bind"
done

echo "== snmpd"
for port in 161 1161; do
	got=$(timeout 20 snmpget -v2c -c public -t 2 -r 1 -Oqv 127.0.0.1:$port 1.3.6.1.2.1.1.1.0 2>&1)
	[ "$got" = "\"$(uname -snrvm)\"" ] || bad "snmpd $port/udp: sysDescr is '$got'"
done
got=$(timeout 20 snmpset -v2c -c public -t 2 -r 1 127.0.0.1:161 1.3.6.1.2.1.1.4.0 s x 2>&1)
echo "$got" | grep -q noAccess || bad "snmpd: a set with community public was not refused: $got"
timeout 20 snmpget -v2c -c private -t 1 -r 0 127.0.0.1:161 1.3.6.1.2.1.1.1.0 >"$tmp/private" 2>&1
grep -q '^Timeout' "$tmp/private" || bad "snmpd: community private got '$(cat "$tmp/private")'"

echo "== chronyd"
chrony=$svd_daemon_dir/root/usr
# -Q: a client that only measures the offset, touching no clock.
timeout 30 "$chrony/sbin/chronyd" -Q -t 10 'server 127.0.0.1 iburst maxsamples 1' \
	>"$tmp/ntp" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q 'System clock wrong by' "$tmp/ntp" ||
	bad "chronyd 123/udp: no NTP answer (exit $rc): $(cat "$tmp/ntp")"
stratum=$(timeout 20 "$chrony/bin/chronyc" -c -h "$svd_daemon_dir/chronyd/run/chronyd.sock" tracking |
	cut -d, -f3)
[ "$stratum" = 10 ] || bad "chronyd: stratum '$stratum', expected 10"

echo "== tftpd"
for port in 69 10069; do
	(cd "$tmp" && timeout 20 tftp -m binary 127.0.0.1 $port -c get hello.txt "got$port")
	cmp -s "$tmp/got$port" "$svd_daemon_dir/tftp/hello.txt" || bad "tftpd $port/udp: get hello.txt failed"
	# tftp-hpa's exit status is 0 either way: its message tells.
	got=$(cd "$tmp" && timeout 20 tftp -m binary 127.0.0.1 $port -c get missing.txt missing 2>&1)
	echo "$got" | grep -q 'File not found' || bad "tftpd $port/udp: a missing file gave '$got'"
done

echo "== rpcbind, statd"
for call in "-u 127.0.0.1 100000 2" "-t 127.0.0.1 100000 4" "-u 127.0.0.1 100024 1" "-t 127.0.0.1 100024 1"; do
	# shellcheck disable=SC2086 # the call's words
	timeout 20 rpcinfo $call >"$tmp/null" 2>&1 && grep -q 'ready and waiting' "$tmp/null" ||
		bad "rpcinfo $call: $(cat "$tmp/null")"
done
timeout 20 rpcinfo -p 127.0.0.1 >"$tmp/rpcinfo" 2>&1
cat "$tmp/rpcinfo"
for want in "100000 2 udp 111 portmapper" "100000 2 tcp 111 portmapper" \
	"100024 1 udp 32765 status" "100024 1 tcp 32765 status"; do
	awk '{ $1 = $1; print }' "$tmp/rpcinfo" | grep -qxF "$want" || bad "rpcinfo -p: no '$want'"
done

# The subject of the set's certificate (scripts/daemons.sh, tls_cert),
# as openssl prints it.
subject='subject=O = svdetect test, CN = localhost'
dtls_cert() { # port: a DTLS 1.2 handshake there gets the set's certificate
	echo | timeout 20 openssl s_client -dtls -connect "127.0.0.1:$1" >"$tmp/dtls$1" 2>&1
	grep -qF "$subject" "$tmp/dtls$1" && grep -q 'Protocol *: DTLSv1.2' "$tmp/dtls$1" ||
		bad "$1/udp: no DTLS 1.2 handshake with the set's certificate: $(tail -n 5 "$tmp/dtls$1")"
}

echo "== coturn"
dtls_cert 5349
# -n 1 -m 1: one client, one message; -e: its peer, on the loopback.
timeout 30 turnutils_uclient -v -S -n 1 -m 1 -u svdetect -w svdetect -p 5349 -e 127.0.0.1 127.0.0.1 \
	>"$tmp/turn" 2>&1
grep -q 'Received relay addr: 127\.0\.0\.1:' "$tmp/turn" ||
	bad "coturn 5349/udp: no allocation over DTLS: $(grep -v '^$' "$tmp/turn" | tail -n 5)"
grep -q 'error 403 (Forbidden IP)' "$tmp/turn" ||
	bad "coturn 5349/udp: a loopback peer was not refused: $(grep -v '^$' "$tmp/turn" | tail -n 5)"
timeout 30 turnutils_uclient -S -n 1 -m 1 -u svdetect -w wrong -p 5349 -e 127.0.0.1 127.0.0.1 \
	>"$tmp/turn" 2>&1
grep -q 'Cannot complete Allocation' "$tmp/turn" ||
	bad "coturn 5349/udp: a wrong password was not refused: $(grep -v '^$' "$tmp/turn" | tail -n 5)"

echo "== coap-server"
dtls_cert 5684
# -B: how long the client waits for the answer, in seconds.
timeout 20 coap-client-openssl -B 10 -m get coap://127.0.0.1/.well-known/core >"$tmp/coap" 2>&1
timeout 20 coap-client-openssl -B 10 -m get coaps://127.0.0.1/.well-known/core >"$tmp/coaps" 2>&1
grep -q '^</>;title="General Info"' "$tmp/coap" ||
	bad "coap-server 5683/udp: /.well-known/core gave '$(cat "$tmp/coap")'"
cmp -s "$tmp/coap" "$tmp/coaps" || bad "coap-server 5684/udp (DTLS): /.well-known/core gave '$(cat "$tmp/coaps")'"

echo "== sockets (ss)"
ss -Hltunp >"$tmp/ss"
cat "$tmp/ss"
# Local address, then the process; every socket but statd's on 127.0.0.1.
awk '$5 !~ /^127\.0\.0\.1:/ && $7 !~ /"rpc\.statd"/' "$tmp/ss" >"$tmp/wide"
[ -s "$tmp/wide" ] && bad "sockets beyond 127.0.0.1: $(cat "$tmp/wide")"
awk '$5 !~ /^(127\.0\.0\.1|0\.0\.0\.0):/ && $7 ~ /"rpc\.statd"/' "$tmp/ss" >"$tmp/wide"
[ -s "$tmp/wide" ] && bad "statd sockets beyond 0.0.0.0 and 127.0.0.1: $(cat "$tmp/wide")"
awk '$1 == "tcp" && $7 ~ /"(turnserver|coap-server-ope)"/' "$tmp/ss" >"$tmp/wide"
[ -s "$tmp/wide" ] && bad "TCP sockets of coturn or coap-server: $(cat "$tmp/wide")"
links=$(awk 'NR > 2 { sub(":", "", $1); print $1 }' /proc/net/dev | tr '\n' ' ')
[ "$links" = "lo " ] || bad "the namespace has interfaces besides lo ($links): statd's 0.0.0.0 reaches them"

[ $fail -eq 0 ] && echo "PASS: $up UDP and SunRPC daemons up, each answered, on the loopback alone"
exit $fail
