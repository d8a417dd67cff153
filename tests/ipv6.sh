#!/bin/sh
# IPv6: tests/hostile_server on ::1 (an OpenSSH banner, and a server that
# half-closes at once), scanned with `svdetect -6`.  The banner port must
# get the fields `svdetect --match` gives its bytes, the half-close port
# tcpwrapped, the host an ipv6 address in JSON and in XML valid for
# nmap.dtd; without -6 the same target is refused (exit 2) before any
# traffic, as Nmap does.
if ! grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; then
	echo "SKIP: no ::1 on this machine"
	exit 77
fi
. "${top_srcdir:?}/tests/hostile-common.sh"

start_server --lifetime 60 --ipv6 banner halfclose
banner=$(ports_of banner)
halfclose=$(ports_of halfclose)

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
