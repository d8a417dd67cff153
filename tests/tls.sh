#!/bin/sh
# SSL tunnels (docs/scanner.md): two TLS servers on odd ports of
# 127.0.0.1, with a throwaway self-signed certificate.
#
#  - `openssl s_server -www -tls1_2`: Nmap's old hellos get an alert that
#    matches `ssl`, detection starts over through TLS and the port must be
#    ssl/http, OpenSSL s_server, tunnel ssl, conf 10, with its TLS facts
#    (TLS 1.2, the ALPN it chose from those offered, the certificate).
#    TLS 1.2 because from OpenSSL 3.2 on (Debian 13) the page of a TLS 1.3
#    session says "This TLS version forbids renegotiation", which Nmap's
#    line for s_server does not match: Nmap and svdetect both say
#    ssl/unknown there.
#  - tests/tls_quiet_server.py, TLS 1.2 at least and closing without an
#    alert on any hello it refuses (as dovecot's imaps does): Nmap matches
#    nothing there; svdetect's modern handshake finds the IMAP greeting
#    behind it and must say ssl/imap, Dovecot imapd.
#
# With nmap installed, `nmap -sV -sT -Pn` scans the same ports: on the
# s_server port (where Nmap is sure) every field must be the same; on the
# quiet one Nmap must not have a hard match (else the case is moot) and
# svdetect must be more specific.  Skips (77) without openssl.
command -v openssl >/dev/null 2>&1 || { echo "SKIP: no openssl command"; exit 77; }
# $svd, $tmp, bad(), and the servers in $srv_pids stopped at exit.
. "${top_srcdir:?}/tests/hostile-common.sh"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
	-subj /CN=localhost -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>"$tmp/req.err" ||
	{ cat "$tmp/req.err"; exit 99; }

# Waits (bounded) for a line matching $2 in file $1; prints its last field.
wait_for() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 100 ] || { echo "FAIL: no '$2' in $1" >&2; cat "$1" >&2; exit 99; }
		sleep 0.1
	done
	grep "$2" "$1" | head -n 1 | awk '{ print $NF }'
}

# The kernel picks the port (no race with other users of the machine).
timeout 300 openssl s_server -accept 127.0.0.1:0 -www -tls1_2 -alpn http/1.1 -cert "$tmp/cert.pem" \
	-key "$tmp/key.pem" >"$tmp/www.out" 2>&1 </dev/null &
srv_pids="$srv_pids $!"
www=$(wait_for "$tmp/www.out" '^ACCEPT') || exit 99
www=${www##*:}
ports=$www
quiet=
if command -v python3 >/dev/null 2>&1; then
	python3 "$top_srcdir/tests/tls_quiet_server.py" "$tmp/cert.pem" "$tmp/key.pem" 300 \
		>"$tmp/quiet.out" 2>"$tmp/quiet.err" &
	srv_pids="$srv_pids $!"
	quiet=$(wait_for "$tmp/quiet.out" '^port ') || exit 99
	ports="$ports,$quiet"
else
	echo "note: no python3: the TLS-only server that hides from old hellos is not tested"
fi

start=$(date +%s)
timeout -k 5 240 "$svd" -n -p "$ports" -oX "$tmp/svd.xml" -oJ "$tmp/svd.json" 127.0.0.1 \
	>"$tmp/svd.out" 2>"$tmp/svd.err"
rc=$?
svd_s=$(( $(date +%s) - start ))
[ $rc -eq 0 ] || bad "svdetect: exit $rc (124: timed out); $(head -n 5 "$tmp/svd.err")"
if grep -Eq 'Sanitizer|runtime error:' "$tmp/svd.err"; then
	bad "svdetect: sanitizer report"
	head -n 40 "$tmp/svd.err"
fi

xsltproc "$top_srcdir/tests/integration-ports.xsl" "$tmp/svd.xml" >"$tmp/svd.tsv" || exit 99
# Field N (1-based, as tests/integration-ports.xsl writes them) of PORT in FILE.
port_field() { awk -F '\t' -v p="$2/tcp" -v n="$3" '$2 == p { print $n }' "$1"; }
expect() { # FILE PORT WHAT N VALUE
	got=$(port_field "$1" "$2" "$4")
	[ "$got" = "$5" ] || bad "port $2 ($(basename "$1")): $3 '$got', expected '$5'"
}

# s_server -www: Nmap's ssl match, then HTTP through TLS.
expect "$tmp/svd.tsv" "$www" service 4 http
expect "$tmp/svd.tsv" "$www" tunnel 11 ssl
expect "$tmp/svd.tsv" "$www" method 12 probed
expect "$tmp/svd.tsv" "$www" conf 13 10
expect "$tmp/svd.tsv" "$www" product 5 "OpenSSL s_server -www httpd"
grep -q "\"port\":$www,.*\"fingerprint\":null" "$tmp/svd.json" ||
	bad "port $www: a fingerprint for a hard match"
# Its facts, from a handshake of their own that offers ALPN.
grep -q "\"port\":$www,.*\"tls\":{\"version\":\"TLSv1.2\",\"cipher\":\"[^\"]\{1,\}\",\"alpn\":\"http/1.1\",\"cert\":{[^}]*\"subject\":{\"commonName\":\"localhost\"}" \
	"$tmp/svd.json" || bad "port $www: no TLS facts (TLSv1.2, ALPN http/1.1, CN localhost) in JSON"

# The quiet server: found by the modern handshake only.
if [ -n "$quiet" ]; then
	expect "$tmp/svd.tsv" "$quiet" service 4 imap
	expect "$tmp/svd.tsv" "$quiet" tunnel 11 ssl
	expect "$tmp/svd.tsv" "$quiet" product 5 "Dovecot imapd"
	expect "$tmp/svd.tsv" "$quiet" conf 13 10
	grep -q "\"port\":$quiet,.*\"tls\":{\"version\":\"TLSv1.[23]\"" "$tmp/svd.json" ||
		bad "port $quiet: no TLS facts in JSON"
fi

if command -v nmap >/dev/null 2>&1; then
	start=$(date +%s)
	timeout -k 5 240 nmap -sV -sT -Pn -n -p "$ports" -oX "$tmp/nmap.xml" 127.0.0.1 \
		>"$tmp/nmap.out" 2>&1 || bad "nmap failed: $(tail -n 3 "$tmp/nmap.out")"
	nmap_s=$(( $(date +%s) - start ))
	xsltproc "$top_srcdir/tests/integration-ports.xsl" "$tmp/nmap.xml" >"$tmp/nmap.tsv" || exit 99
	# Nmap is sure of s_server: every field the same.
	n=$(grep -P "\t$www/tcp\t" "$tmp/nmap.tsv" | cut -f 2-)
	s=$(grep -P "\t$www/tcp\t" "$tmp/svd.tsv" | cut -f 2-)
	[ "$n" = "$s" ] || bad "port $www: Nmap and svdetect differ:
  nmap:     $n
  svdetect: $s"
	if [ -n "$quiet" ]; then
		# Nmap is unsure (no hard match: method table, or no product).
		if [ "$(port_field "$tmp/nmap.tsv" "$quiet" 12)" = probed ] &&
		   [ -n "$(port_field "$tmp/nmap.tsv" "$quiet" 5)" ]; then
			bad "port $quiet: Nmap identified it ($(port_field "$tmp/nmap.tsv" "$quiet" 4)): the case tests nothing"
		fi
	fi
	echo "nmap: ${nmap_s}s, svdetect: ${svd_s}s"
fi

if [ $fail -ne 0 ]; then
	cat "$tmp/svd.out"
	exit 1
fi
nmap_said=
[ -n "$quiet" ] && [ -f "$tmp/nmap.tsv" ] && nmap_said=" (Nmap: $(port_field "$tmp/nmap.tsv" "$quiet" 4 | sed 's/^$/unknown/'))"
echo "TLS: s_server -www is ssl/http as Nmap says${quiet:+; a TLS 1.2+ server hiding from old hellos is ssl/imap$nmap_said}"
