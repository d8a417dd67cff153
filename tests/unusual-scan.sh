#!/bin/sh
# A scan of unusual size is announced on stderr before it starts, with its
# connection attempts and the memory it will hold; a usual one is not.
# Every scan here writes XML to /dev/full, so none sends a packet (an
# output that cannot take its header stops the scan before any traffic),
# and in a network namespace of its own besides.
. "${top_srcdir:?}/tests/netns-common.sh"
: "${top_builddir:?}"
svd=$top_builddir/svdetect
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# warned NAME ARGS...: svdetect's stderr in $tmp/NAME.err.
warned() {
	name=$1
	shift
	timeout -k 5 30 "$svd" -n -oX /dev/full "$@" >/dev/null 2>"$tmp/$name.err"
	[ $? -eq 1 ] || bad "$name: not the exit of a failed output: $(head -c 400 "$tmp/$name.err")"
	grep -q 'WARNING: a large scan' "$tmp/$name.err"
}

# Every port of a /24: 256 x 65535 attempts, the port tables of the 5
# hosts scanned at once (-T3: 256 sockets, 64 a host) about 290 MB.
warned allports -p- 127.0.0.0/24 || bad "allports: no warning"
grep -q '256 hosts x 65535 ports = 16776960 connection attempts' "$tmp/allports.err" ||
	bad "allports: not the count: $(cat "$tmp/allports.err")"
mb=$(sed -n 's/.*holding about \([0-9]*\) MB.*/\1/p' "$tmp/allports.err")
if [ "${mb:-0}" -lt 200 ] || [ "$mb" -gt 400 ]; then bad "allports: about $mb MB"; fi
head -n 1 "$tmp/allports.err" | grep -q 'WARNING' || bad "allports: not said first"
# The default ports on a /16: the attempts alone.
warned wide 127.0.0.0/16 || bad "wide: no warning"
grep -q '65536 hosts x 1000 ports = 65536000 connection attempts' "$tmp/wide.err" ||
	bad "wide: not the count: $(cat "$tmp/wide.err")"
# Every port of five hosts: the memory alone.
warned tables -Pn -p- 127.0.0.1-5 || bad "tables: no warning"
# Usual scans: every port of one host, the default ports on a /24.
! warned one -p- 127.0.0.1 || bad "one: warned: $(cat "$tmp/one.err")"
! warned lan 127.0.0.0/24 || bad "lan: warned: $(cat "$tmp/lan.err")"

[ $fail -eq 0 ] || exit 1
echo "unusual-scan: large scans announced with their attempts and memory, usual ones not"
