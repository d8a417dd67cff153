#!/bin/sh
# tests/integration.sh: svdetect against Debian's Nmap on real daemons.
#
# Starts the daemon set of scripts/daemons.sh on 127.0.0.1 (32 daemons
# from Debian packages, installed when missing: 43 TCP ports, 12 of them
# TLS, and 12 UDP ones, 2 of them DTLS), scans them all, TCP and UDP
# together, with `nmap -sV -sT -sU -Pn` and with `svdetect -sT -sU`, live,
# one after the other, and requires the same answer on every port Nmap is
# sure of and the more specific one of tests/integration-unsure.txt where
# it is not (tests/scan-compare.sh: every service field and CPE, then
# ndiff), but for the suffix Nmap's snmp-info script adds to the product
# of the UDP snmp ports (tests/integration-normalise.xsl).
# Every daemon, UDP ones included, must be up.
# svdetect's XML must validate against nmap.dtd.  The daemons this test
# started are stopped when it ends, whatever the outcome.
#
# The test runs in a network namespace of its own (scripts/netns.sh), so
# the machine's own services on the same ports do not matter, and only
# the namespace's 127.0.0.1 is ever contacted.  Needs root (daemons.sh
# binds ports below 1024 and installs packages) and a network namespace:
# otherwise, or without nmap and the XML tools, it is skipped (77).
# Environment: SVD_INTEGRATION_KEEP=DIR keeps every file there;
# SVD_NMAP="COMMAND" runs that Nmap instead of the installed one (Nmap
# 7.95: "scripts/debian13.sh run nmap", whose database SVD_NMAP_DB names;
# the test's temporary directory is shared with it as SVD_DEBIAN13_SHARE).
# The daemon set is Debian 12's: elsewhere the test is skipped.
: "${top_srcdir:?}" "${top_builddir:?}"
set -u
dtd=${NMAP_DTD:-/usr/share/nmap/nmap.dtd}
svdetect=$top_builddir/svdetect

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (scripts/daemons.sh binds ports < 1024 and installs packages)"
nmap=${SVD_NMAP:-nmap}
for tool in ${nmap%% *} ndiff xmllint xsltproc flock timeout; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed (scripts/setup-debian.sh installs it)"
done
[ -r "$dtd" ] || skip "no $dtd"
[ -x "$svdetect" ] || { echo "FAIL: no $svdetect"; exit 99; }
# svdetect must carry the database Nmap itself reads, or the answers
# could not be the same.
nmap_db=${SVD_NMAP_DB:-/usr/share/nmap/nmap-service-probes}
[ -n "${NMAP_PROBES:-}" ] && cmp -s "$NMAP_PROBES" "$nmap_db" ||
	skip "svdetect was built from '${NMAP_PROBES:-no Nmap database}', not Nmap's own $nmap_db"
"$svdetect" --version | grep -q nmap || skip "svdetect has no Nmap signature set compiled in"
# shellcheck source=../scripts/daemon-session.sh
. "$top_srcdir/scripts/daemon-session.sh"
daemons_isolate_or_skip "$0" "$@"

if [ -n "${SVD_INTEGRATION_KEEP:-}" ]; then
	tmp=$SVD_INTEGRATION_KEEP
	mkdir -p "$tmp" || exit 99
else
	tmp=$(mktemp -d) || exit 99
fi
export SVD_DEBIAN13_SHARE="$tmp"
cleanup() {
	[ -n "${unwrap_pid:-}" ] && kill "$unwrap_pid" 2>/dev/null
	daemons_release
	[ -n "${SVD_INTEGRATION_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "== starting the daemons (scripts/daemons.sh start)"
daemons_acquire || { echo "FAIL: scripts/daemons.sh start failed"; exit 99; }
ports=$(daemons_ports tcp)
uports=$(daemons_ports udp)
up=$(daemons_up_count)
total=$(daemons_count)
# Every daemon of the set must run: one that does not would only be
# compared as a closed port, and its service would go untested.
if [ "$up" -ne "$total" ] || [ "$total" -lt 15 ]; then
	"$top_srcdir/scripts/daemons.sh" status 9>&-
	echo "FAIL: $up of $total daemons are up (see $svd_daemon_dir/log)"
	exit 1
fi
echo "$up daemons up; TCP ports $ports; UDP ports $uports"

# One scanner at a time, so that neither changes what the other sees;
# svdetect 2 s after Nmap: BIND answers only about three version.bind
# queries a second from one client (docs/scanner.md, "UDP").
# shellcheck disable=SC2086 # $nmap may be a command with arguments
echo "== $nmap -sV -sT -sU -Pn ($($nmap -V 9>&- | head -n 1))"
start=$(date +%s)
# shellcheck disable=SC2086 # $nmap may be a command with arguments
timeout 900 $nmap -sV -sT -sU -Pn --version-trace -p"T:$ports,U:$uports" -oX "$tmp/nmap.xml" \
	127.0.0.1 >"$tmp/nmap.trace" 2>&1 9>&-
rc=$?
[ $rc -eq 0 ] || { tail -n 20 "$tmp/nmap.trace"; echo "FAIL: nmap exited $rc"; exit 99; }
echo "nmap: $(($(date +%s) - start)) s"
sleep 2

echo "== svdetect -sT -sU"
start=$(date +%s)
timeout 600 "$svdetect" -sT -sU -Pn -p"T:$ports,U:$uports" -oX "$tmp/svdetect.xml" 127.0.0.1 \
	>"$tmp/svdetect.out" 2>"$tmp/svdetect.err" 9>&-
rc=$?
cat "$tmp/svdetect.err" >&2
[ $rc -eq 0 ] || { echo "FAIL: svdetect exited $rc"; exit 1; }
echo "svdetect: $(($(date +%s) - start)) s"

fail=0
if ! xmllint --noout --dtdvalid "$dtd" "$tmp/svdetect.xml"; then
	echo "FAIL: svdetect's XML is not valid against $dtd"
	fail=1
fi

# The comparison must be able to fail: a copy of svdetect's XML with one
# product changed has to be reported as a difference.
sed '0,/ product="[^"]*"/s// product="integration-self-test"/' \
	"$tmp/svdetect.xml" >"$tmp/mutant.xml"
"$top_srcdir/tests/scan-compare.sh" "$tmp/nmap.xml" "$tmp/mutant.xml" "$tmp/nmap.trace" \
	"$tmp/self-test" >"$tmp/self-test.out" 2>&1
rc=$?
if [ $rc -ne 1 ] || ! grep -q "product .*integration-self-test" "$tmp/self-test.out"; then
	cat "$tmp/self-test.out"
	echo "FAIL: the comparison did not notice a changed product"
	fail=1
fi

# The daemon set must really have been identified, not only compared
# (a vacuous scan of closed ports would compare equal too): at least 15
# TCP ports named by Nmap's probes, and every UDP daemon but the two TFTP
# servers (which answer none of Nmap's datagrams): DNS twice, NTP, SNMP
# twice, rpcbind, statd, CoAP twice, coturn (by the table, through DTLS
# in 7.94+).
xsltproc "$top_srcdir/tests/integration-ports.xsl" "$tmp/nmap.xml" >"$tmp/nmap-ports.tsv"
probed=$(awk -F'\t' '$2 ~ /\/tcp$/ && $3 == "open" && $12 == "probed"' "$tmp/nmap-ports.tsv" | wc -l)
uprobed=$(awk -F'\t' '$2 ~ /\/udp$/ && $3 == "open" && $12 != ""' "$tmp/nmap-ports.tsv" | wc -l)
if [ "$probed" -lt 15 ] || [ "$uprobed" -lt 10 ]; then
	echo "FAIL: Nmap identified only $probed TCP ports by probing (not 15), $uprobed UDP ones (not 10)"
	fail=1
fi

# The answers tests/integration-unsure.txt expects must be Nmap's own
# once the TLS is out of its way: a stunnel client unwraps each listed
# port onto 40000 + PORT, and Nmap must say there what it says on the
# listed plaintext reference, field for field but the tunnel.
echo "== Nmap behind the TLS of the listed unsure ports (stunnel client)"
sed -e 's/#.*//' "$top_srcdir/tests/integration-unsure.txt" | awk 'NF == 2' >"$tmp/unsure"
{
	printf 'foreground = yes\npid =\nclient = yes\n'
	while read -r port ref; do
		printf '[%s]\naccept = 127.0.0.1:%s\nconnect = 127.0.0.1:%s\n' \
			"$port" $((40000 + ${port%/tcp})) "${port%/tcp}"
	done <"$tmp/unsure"
} >"$tmp/unwrap.conf"
stunnel4 "$tmp/unwrap.conf" 9>&- >"$tmp/unwrap.log" 2>&1 &
unwrap_pid=$!
unwrapped=$(awk '{ sub("/tcp", "", $1); sub("/tcp", "", $2); print 40000 + $1; print $2 }' "$tmp/unsure" |
	sort -un | paste -sd, -)
last=$(awk 'END { sub("/tcp", "", $1); print 40000 + $1 }' "$tmp/unsure")
i=0
while [ $i -lt 40 ] && ! ss -Hltn "sport = :$last" | grep -q .; do
	sleep 0.25
	i=$((i + 1))
done
# shellcheck disable=SC2086 # $nmap may be a command with arguments
timeout 300 $nmap -sV -sT -Pn -p"$unwrapped" -oX "$tmp/unwrapped.xml" 127.0.0.1 >/dev/null 2>&1 9>&-
kill "$unwrap_pid" 2>/dev/null
unwrap_pid=
xsltproc "$top_srcdir/tests/integration-ports.xsl" "$tmp/unwrapped.xml" >"$tmp/unwrapped.tsv" 2>/dev/null
while read -r port ref; do
	# The fields from state to CPE, |-separated.
	behind=$(awk -F'\t' -v p="$((40000 + ${port%/tcp}))/tcp" '$2 == p' "$tmp/unwrapped.tsv" | cut -f3- | tr '\t' '|')
	plain=$(awk -F'\t' -v p="$ref" '$2 == p' "$tmp/unwrapped.tsv" | cut -f3- | tr '\t' '|')
	if [ -n "$plain" ] && [ "$behind" = "$plain" ]; then
		echo "$port: behind the TLS Nmap says what it says on $ref: $plain"
	else
		echo "FAIL: $port: Nmap behind the TLS says '$behind', on $ref '$plain' (tests/integration-unsure.txt)"
		fail=1
	fi
done <"$tmp/unsure"

echo "== comparing"
"$top_srcdir/tests/scan-compare.sh" "$tmp/nmap.xml" "$tmp/svdetect.xml" "$tmp/nmap.trace" \
	"$tmp/compare" || fail=1
echo "== ndiff of the files as written, for the log (only the listed exceptions and snmp-info's suffix may show):"
ndiff "$tmp/nmap.xml" "$tmp/svdetect.xml" | sed -n '3,$p'

if [ $fail -eq 0 ]; then
	echo "PASS: $probed TCP and $uprobed UDP services identified; svdetect's answers are Nmap's, or the listed more specific ones where Nmap is unsure"
	# The table, for the log.
	cat "$tmp/compare/svdetect.tsv"
fi
exit $fail
