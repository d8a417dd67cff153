#!/bin/sh
# Reverse DNS never blocks the scan.  In namespaces of its own
# (tests/netns-common.sh), /etc/resolv.conf names one server, 127.0.0.99,
# that reads every query and never answers (hostile_server udpsink), and
# /etc/hosts names 127.0.0.10 only.  svdetect, without -n, scans port 22
# (an SSH banner) of 127.0.0.10-13 and must
#   - name 127.0.0.10 from /etc/hosts and leave the others unnamed;
#   - give every port the result the same scan gives with -n;
#   - finish within the per-lookup timeout (4 s, the lookups run side by
#     side) plus 3 s, and not before 2.5 s (c-ares gives up on one silent
#     server after 1 + 2 s: the lookups did wait for it, the test is not
#     vacuous).
# Blocking getnameinfo, the resolver's defaults (5 s, 2 tries) one host
# after the other, took 30 s here.
. "${top_srcdir:?}/tests/netns-common.sh"
. "${top_srcdir:?}/tests/hostile-common.sh"
command -v timeout >/dev/null 2>&1 || { echo "SKIP: timeout not installed"; exit 77; }

start_server --lifetime 120 --addrs 127.0.0.99:1 udpsink=53
start_server --lifetime 120 --addrs 127.0.0.10:4 banner=22
echo "nameserver 127.0.0.99" >"$tmp/resolv.conf"
printf '127.0.0.1\tlocalhost\n127.0.0.10\tsvd-test-host.example\n' >"$tmp/hosts"
if ! mount --bind "$tmp/resolv.conf" /etc/resolv.conf || ! mount --bind "$tmp/hosts" /etc/hosts; then
	echo "SKIP: cannot bind files over /etc in the mount namespace"
	exit 77
fi

ms() { echo $(($(date +%s%N) / 1000000)); }
# scan NAME ARGS...: the four hosts' port 22, grepable out.
scan() {
	name=$1
	shift
	start=$(ms)
	timeout -k 5 60 "$svd" "$@" -p 22 -oG "$tmp/$name.gnmap" 127.0.0.10-13 \
		>"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	elapsed=$(($(ms) - start))
	[ $rc -eq 0 ] || bad "$name scan: exit $rc (124: timed out): $(head -c 600 "$tmp/$name.err")"
	if grep -Eq 'Sanitizer|runtime error:' "$tmp/$name.err"; then
		bad "$name scan: sanitizer report"
		head -n 30 "$tmp/$name.err"
	fi
}
# "ADDR (NAME) PORTS" per host.
hosts_of() { awk -F '\t' '$2 ~ /^Ports: / { print $1, $2 }' "$1"; }

scan numeric -n
scan named
echo "scan with a silent DNS server: $elapsed ms"
[ "$elapsed" -le 7000 ] || bad "the scan took $elapsed ms, over the 4 s lookup timeout + 3 s"
[ "$elapsed" -ge 2500 ] || bad "the scan took $elapsed ms: the lookups did not wait for the server"

hosts_of "$tmp/named.gnmap" >"$tmp/named.hosts"
hosts_of "$tmp/numeric.gnmap" | sed 's/^Host: 127\.0\.0\.10 ()/Host: 127.0.0.10 (svd-test-host.example)/' \
	>"$tmp/expected.hosts"
[ "$(wc -l <"$tmp/expected.hosts")" -eq 4 ] ||
	bad "the -n scan reported $(wc -l <"$tmp/expected.hosts") hosts, expected 4"
grep -q '22/open/tcp//ssh//OpenSSH' "$tmp/expected.hosts" || bad "no OpenSSH on port 22: $(cat "$tmp/numeric.gnmap")"
if ! cmp -s "$tmp/expected.hosts" "$tmp/named.hosts"; then
	bad "names or ports differ from the -n scan's (with the name from /etc/hosts):"
	diff "$tmp/expected.hosts" "$tmp/named.hosts"
fi

[ $fail -eq 0 ] || exit 1
echo "rdns: a silent DNS server costs the scan one lookup timeout; /etc/hosts names its host"
