#!/bin/sh
# IPv6: tests/hostile_server on ::1 (an OpenSSH banner, and a server that
# half-closes at once), scanned with `svdetect -6`.  The banner port must
# get the fields `svdetect --match` gives its bytes, the half-close port
# tcpwrapped, the host an ipv6 address in JSON and in XML valid for
# nmap.dtd; without -6 the same target is refused (exit 2) before any
# traffic, as Nmap does.
: "${top_srcdir:?}" "${top_builddir:?}"
svd=$top_builddir/svdetect
srv=$top_builddir/tests/hostile_server
[ -x "$srv" ] || { echo "FAIL: $srv not built"; exit 99; }
if ! grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; then
	echo "SKIP: no ::1 on this machine"
	exit 77
fi

tmp=$(mktemp -d) || exit 99
srv_pid=
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$srv" --lifetime 60 --ipv6 banner halfclose >"$tmp/ports" 2>"$tmp/server.err" &
srv_pid=$!
i=0
until grep -q '^ready$' "$tmp/ports" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$srv_pid" 2>/dev/null; then
		echo "FAIL: hostile_server did not start on ::1"; cat "$tmp/server.err"; exit 99
	fi
	sleep 0.1
done
banner=$(awk '$1 == "banner" { print $2 }' "$tmp/ports")
halfclose=$(awk '$1 == "halfclose" { print $2 }' "$tmp/ports")

"$svd" -n -p "$banner" ::1 >"$tmp/no6.out" 2>"$tmp/no6.err"
rc=$?
[ $rc -eq 2 ] || bad "::1 without -6: exit $rc, expected 2"
grep -q 'needs -6' "$tmp/no6.err" || bad "::1 without -6: no message saying so: $(cat "$tmp/no6.err")"
[ -s "$tmp/no6.out" ] && bad "::1 without -6 wrote results: $(cat "$tmp/no6.out")"

timeout -k 5 60 "$svd" -6 -n -p "$banner,$halfclose" -oJ "$tmp/scan.json" -oX "$tmp/scan.xml" ::1 \
	>"$tmp/scan.out" 2>"$tmp/scan.err"
rc=$?
[ $rc -eq 0 ] || bad "scan of ::1: exit $rc (124: timed out)"
if grep -Eq 'Sanitizer|runtime error:' "$tmp/scan.err"; then
	bad "scan of ::1: sanitizer report"
	head -n 40 "$tmp/scan.err"
fi

field() { # LINE KEY: a string field, empty when null
	printf '%s\n' "$1" | sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p"
}
expect=$(printf 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n' | "$svd" --match NULL -)
l=$(grep "\"port\":$banner," "$tmp/scan.json")
for k in service product version; do
	[ "$(field "$l" "$k")" = "$(field "$expect" "$k")" ] ||
		bad "banner port on ::1: $k '$(field "$l" "$k")', expected '$(field "$expect" "$k")'"
done
[ "$(field "$l" addr)" = "::1" ] || bad "banner port: address '$(field "$l" addr)', expected ::1"
l=$(grep "\"port\":$halfclose," "$tmp/scan.json")
[ "$(field "$l" service)" = tcpwrapped ] || bad "half-close port on ::1: '$(field "$l" service)', expected tcpwrapped"
grep -q '"type":"host".*"addrtype":"ipv6"' "$tmp/scan.json" || bad "host line without addrtype ipv6"
grep -q 'addr="::1" addrtype="ipv6"' "$tmp/scan.xml" || bad "XML without <address addr=\"::1\" addrtype=\"ipv6\">"
if command -v xmllint >/dev/null 2>&1 && [ -f /usr/share/nmap/nmap.dtd ]; then
	xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd "$tmp/scan.xml" 2>"$tmp/xmllint.err" ||
		bad "XML not valid for nmap.dtd: $(head -n 5 "$tmp/xmllint.err")"
fi

if [ $fail -ne 0 ]; then
	cat "$tmp/scan.out"
	exit 1
fi
echo "IPv6: ::1 scanned with -6 (banner and tcpwrapped ports as expected), refused without it"
