#!/bin/sh
# tests/scan-compare-unsure.sh: tests/scan-compare.sh's exceptions for the
# ports where Nmap is unsure (tests/integration-unsure.txt), on small
# files shaped like Nmap 7.93's XML of the TLS daemons (no network).
#
# Nmap is sure of 143 (Dovecot's plaintext IMAP) and unsure of 993
# ("imaps?", port table) and 10993 (no service); 443 is an ordinary sure
# TLS port.  The comparison must
#   - pass an answer that gives 993 and 10993 as 143's through ssl;
#   - fail an answer as unsure as Nmap's (Nmap against itself), one
#     without the tunnel, and one with another product on 993;
#   - where Nmap is sure of 993, require Nmap's own answer there.
# And the exception for Nmap's snmp-info script on UDP snmp ports: Nmap's
# product "SNMPv1 server; net-snmp SNMPv3 server" is compared as its match
# line's "SNMPv1 server", and nothing else is: not the suffix on another
# service or on TCP, not another suffix, not the suffix on svdetect's side.
set -u
: "${top_srcdir:?}"
for tool in xsltproc ndiff; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
compare=$top_srcdir/tests/scan-compare.sh
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

state='<state state="open" reason="syn-ack" reason_ttl="0"/>'
cpe='<cpe>cpe:/a:dovecot:dovecot</cpe>'
imap='name="imap" product="Dovecot imapd"'
p143="<port protocol=\"tcp\" portid=\"143\">$state<service $imap method=\"probed\" conf=\"10\">$cpe</service></port>"
p443="<port protocol=\"tcp\" portid=\"443\">$state<service name=\"http\" product=\"nginx\" version=\"1.22.1\" tunnel=\"ssl\" method=\"probed\" conf=\"10\"><cpe>cpe:/a:igor_sysoev:nginx:1.22.1</cpe></service></port>"
unsure993="<port protocol=\"tcp\" portid=\"993\">$state<service name=\"imaps\" method=\"table\" conf=\"3\"/></port>"
unsure10993="<port protocol=\"tcp\" portid=\"10993\">$state</port>"
ssl_imap() { # PORT [PRODUCT]: an answer through ssl
	echo "<port protocol=\"tcp\" portid=\"$1\">$state<service name=\"imap\" product=\"${2:-Dovecot imapd}\" tunnel=\"ssl\" method=\"probed\" conf=\"10\">$cpe</service></port>"
}

scan() { # FILE PORT-ELEMENT...: an Nmap XML file with these ports
	f=$1
	shift
	{
		cat <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap" args="nmap -sV -sT -Pn -p143,443,993,10993 127.0.0.1" start="1796605888" startstr="Mon Dec  7 01:11:28 2026" version="7.93" xmloutputversion="1.05">
<scaninfo type="connect" protocol="tcp" numservices="4" services="143,443,993,10993"/>
<verbose level="0"/>
<debugging level="0"/>
<host starttime="1796605888" endtime="1796605949"><status state="up" reason="user-set" reason_ttl="0"/>
<address addr="127.0.0.1" addrtype="ipv4"/>
<hostnames/>
<ports>
EOF
		printf '%s\n' "$@"
		cat <<'EOF'
</ports>
</host>
<runstats><finished time="1796605949" timestr="Mon Dec  7 01:12:29 2026" elapsed="61.00" exit="success"/><hosts up="1" down="0" total="1"/>
</runstats>
</nmaprun>
EOF
	} >"$tmp/$f"
}

fail=0
expect() { # EXIT-STATUS WHAT NMAP-FILE SVDETECT-FILE [PATTERN THE OUTPUT MUST HAVE]
	"$compare" "$tmp/$3" "$tmp/$4" /dev/null >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -ne "$1" ] || { [ $# -ge 5 ] && ! grep -q "$5" "$tmp/out"; }; then
		cat "$tmp/out"
		echo "FAIL: $2: exit $rc, expected $1${5:+ with '$5'}"
		fail=1
	else
		echo "ok: $2"
	fi
}

scan nmap.xml "$p143" "$p443" "$unsure993" "$unsure10993"
scan specific.xml "$p143" "$p443" "$(ssl_imap 993)" "$(ssl_imap 10993)"
scan no-tunnel.xml "$p143" "$p443" "$(ssl_imap 993 | sed 's/ tunnel="ssl"//')" "$(ssl_imap 10993)"
scan other.xml "$p143" "$p443" "$(ssl_imap 993 'Cyrus imapd')" "$(ssl_imap 10993)"
scan nmap-sure.xml "$p143" "$p443" "$(ssl_imap 993 'Courier Imapd')" "$unsure10993"
scan sure-specific.xml "$p143" "$p443" "$(ssl_imap 993 'Courier Imapd')" "$(ssl_imap 10993)"

expect 0 "more specific than Nmap where it is unsure" nmap.xml specific.xml \
	'993/tcp: Nmap is unsure (imaps?); svdetect must say ssl/imap'
grep -q '10993/tcp: Nmap is unsure (no service)' "$tmp/out" ||
	{ cat "$tmp/out"; echo "FAIL: 10993's exception not reported"; fail=1; }
expect 1 "as unsure as Nmap (Nmap against itself)" nmap.xml nmap.xml '^127.0.0.1 993/tcp *service'
expect 1 "the unsure port without the tunnel" nmap.xml no-tunnel.xml '^127.0.0.1 993/tcp *tunnel'
expect 1 "another product on the unsure port" nmap.xml other.xml '^127.0.0.1 993/tcp *product'
expect 0 "Nmap sure of 993: its own answer" nmap-sure.xml sure-specific.xml
expect 1 "Nmap sure of 993: the reference's answer is not taken" nmap-sure.xml specific.xml \
	'^127.0.0.1 993/tcp *product'

udp_state='<state state="open" reason="udp-response" reason_ttl="64"/>'
udp_port() { # PROTO PORT NAME PRODUCT
	echo "<port protocol=\"$1\" portid=\"$2\">$udp_state<service name=\"$3\" product=\"$4\" extrainfo=\"public\" method=\"probed\" conf=\"10\"/></port>"
}
nse='; net-snmp SNMPv3 server'
scan snmp-nmap.xml "$(udp_port udp 161 snmp "SNMPv1 server$nse")" "$(udp_port udp 53 domain "ISC BIND")"
scan snmp-svd.xml "$(udp_port udp 161 snmp "SNMPv1 server")" "$(udp_port udp 53 domain "ISC BIND")"
scan snmp-svd-nse.xml "$(udp_port udp 161 snmp "SNMPv1 server$nse")" "$(udp_port udp 53 domain "ISC BIND")"
scan snmp-other.xml "$(udp_port udp 161 snmp "SNMPv2c server")" "$(udp_port udp 53 domain "ISC BIND")"
scan dns-nse.xml "$(udp_port udp 161 snmp "SNMPv1 server")" "$(udp_port udp 53 domain "ISC BIND$nse")"
scan snmp-more.xml "$(udp_port udp 161 snmp "SNMPv1 server$nse; more")" "$(udp_port udp 53 domain "ISC BIND")"
scan snmp-tcp.xml "$(udp_port tcp 161 snmp "SNMPv1 server$nse")" "$(udp_port udp 53 domain "ISC BIND")"
scan snmp-tcp-svd.xml "$(udp_port tcp 161 snmp "SNMPv1 server")" "$(udp_port udp 53 domain "ISC BIND")"
expect 0 "snmp-info's suffix on Nmap's UDP snmp port" snmp-nmap.xml snmp-svd.xml \
	"161/udp: product \"SNMPv1 server$nse\" is Nmap's snmp-info script's"
expect 1 "the suffix on svdetect's side" snmp-nmap.xml snmp-svd-nse.xml '^127.0.0.1 161/udp *product'
expect 1 "another product on the snmp port" snmp-nmap.xml snmp-other.xml '^127.0.0.1 161/udp *product'
expect 1 "the suffix on another service" dns-nse.xml snmp-svd.xml '^127.0.0.1 53/udp *product'
expect 1 "more after the suffix" snmp-more.xml snmp-svd.xml '^127.0.0.1 161/udp *product'
expect 1 "the suffix on a TCP port" snmp-tcp.xml snmp-tcp-svd.xml '^127.0.0.1 161/tcp *product'
[ $fail -eq 0 ] && echo "PASS: the unsure-port and snmp-info exceptions hold both ways"
exit $fail
