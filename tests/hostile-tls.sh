#!/bin/sh
# Hostile TLS peers (tests/hostile_server.c, tests/hostile_tls.c) beside a
# normal TLS service and a normal plain one, in a network namespace of the
# test's own (so that it may listen on 80 and 443): svdetect scans them
# all at once with its defaults and must
#   - exit 0, with no sanitizer report on stderr;
#   - report every port once, open;
#   - give the normal ports (an OpenSSH banner; nginx behind TLS) exactly
#     the answers they get when each is scanned alone, the banner port the
#     one `svdetect --match NULL` gives its banner;
#   - name 443/https, a plain service that answers the TLS hello with an
#     OpenSSH banner, as that banner (Nmap's fallback to the NULL probe's
#     lines), not as TLS;
#   - finish within the wall-time bound, and stay under the CPU and RSS
#     bounds below.
# and through TLS:
#   - the normal TLS port and 80/http, where the same TLS-only server
#     listens, are ssl/http nginx, as `svdetect --match GetRequest` names
#     its answer; so are the ports whose records come a byte a segment,
#     the one that closes without close_notify (what it sent is kept);
#     the renegotiating and KeyUpdate-flooding ones are that too, or have
#     no product (a scanner that refuses renegotiation);
#   - the ports whose handshake cannot end (garbage after the ServerHello,
#     a stall half-way, a chain over OpenSSL's limit) get no product.
#
# Wall-time bound: tests/hostile-common.sh wall_bound, with Nmap's SSL
# connect timeout (DEFAULT_CONNECT_SSL_TIMEOUT in service_scan.h, 8 s) for
# each connection of the tunnel's passes and two more (a handshake that
# stalls, the TLS facts' handshake); plus 3 s for connects and a loaded
# machine.  A scanner that follows the renegotiations or the KeyUpdates
# for ever, or waits on a stalled handshake without a timeout, is over it.
#
# CPU bound: each TLS port costs at most what the normal TLS port scanned
# alone costs (the same probes, so as many handshakes; the program's start
# counted again each time), the plain ports what the banner port alone
# costs; plus 1 s for the floods and a loaded machine.  The floods go as
# fast as the scanner answers; svdetect refuses renegotiation and drops a
# connection after 32 handshake messages past the handshake (conn_tls.c),
# so that a flood costs a connection about 10 ms at most (0.3 ms a
# KeyUpdate: a key derivation and one back):
#     CPU <= CPU(banner alone) + TLS ports * CPU(TLS port alone) + 1 s
# A scan that follows a flood, or loops on its records or on a stalled
# handshake, is over it (following the KeyUpdates cost 19 s here).
#
# RSS bound: as tests/hostile.sh, 112 KB of buffers a port, and for each
# port that speaks TLS at most 9 connections at once (the 8 probes of a
# port, vscan.c QMAX, and the TLS facts' one) of at most 160 KB each:
# OpenSSL's read and write buffers (two records, 2 x 17 KB), the
# connection and its handshake state (under 20 KB), and the peer's
# certificate chain up to OpenSSL's default limit, 100 KB
# (SSL_CTX_set_max_cert_list; the 1 MB chain is over it).  The program
# itself, OpenSSL's set-up included, is the larger peak RSS of the two
# normal ports scanned alone.  So
#     peak RSS <= RSS(alone) + text+data + ports * 112 KB
#                 + TLS ports * 9 * 160 KB + 2 MB (+ 32 MB under ASan)
for tool in /usr/bin/time timeout perl; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
. "${top_srcdir:?}/tests/netns-common.sh"
. "${top_srcdir:?}/tests/hostile-common.sh"

ssl_connect_ms=8000
# Under ASan, freed memory waits in a quarantine of up to 256 MB before
# reuse: the floods' records (OpenSSL frees its buffers between records)
# would fill it.  8 MB keeps it within the RSS bound's ASan share.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8
export ASAN_OPTIONS
tls_conn_kb=160

# --- The servers --------------------------------------------------------------
# From 62000 up (no probe's ports or sslports name them) but for the two
# whose table name matters: 443 (https) and 80 (http).
start_server --lifetime 200 --base 62000 banner tlshttp tlsgarbage tlsstall tlsrenego \
	tlskeyupdate tlsbigcert tlssplit tlsnonotify answerbanner=443 tlshttp=80
all=$(grep -Ev '^ready$' "$tmp/ports" | awk '{ printf "%s%s", s, $2; s = "," }')
banner=$(ports_of banner)
tls=$(ports_of tlshttp | grep -vx 80)
hostile_tls="$(ports_of tlsgarbage) $(ports_of tlsstall) $(ports_of tlsrenego) $(ports_of tlskeyupdate)
$(ports_of tlsbigcert) $(ports_of tlssplit) $(ports_of tlsnonotify) 80"

# --- The scans ----------------------------------------------------------------
# The normal ports alone meanwhile.
scan alone "$banner" & alone_pid=$!
scan alone_tls "$tls" & alone_tls_pid=$!
run hostile "$all"
wait "$alone_pid"; scanned alone $?
wait "$alone_tls_pid"; scanned alone_tls $?

# --- Results ------------------------------------------------------------------
# same KEYS LINE EXPECTED WHAT: LINE's fields KEYS as EXPECTED's.
same() {
	for k in $1; do
		want=$(field "$3" "$k")
		[ "$k" = extrainfo ] && [ -z "$want" ] && want=$(field "$3" info)
		[ "$(field "$2" "$k")" = "$want" ] || bad "$4: $k '$(field "$2" "$k")', expected '$want'"
	done
}
for p in $(expand "$all"); do
	n=$(line_of hostile "$p" | wc -l)
	[ "$n" -eq 1 ] || bad "port $p reported $n times"
	s=$(field "$(line_of hostile "$p")" state)
	[ "$s" = open ] || bad "port $p: state '$s', expected open"
done

ssh=$(printf '%s\r\n' 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3' | "$svd" --match NULL -)
same "service product version extrainfo" "$(line_of hostile "$banner")" "$ssh" "banner port"
for pair in "$banner alone" "$tls alone_tls"; do
	# shellcheck disable=SC2086 # two words
	set -- $pair
	[ "$(line_of hostile "$1")" = "$(line_of "$2" "$1")" ] ||
		bad "port $1 differs from the scan of it alone:
  with the others: $(line_of hostile "$1")
  alone:           $(line_of "$2" "$1")"
done
same "service product version" "$(line_of hostile 443)" "$ssh" "443, a plain service on a TLS port"

# Through TLS.
nginx=$(printf 'HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' |
	"$svd" --match GetRequest -)
tunnelled() { # PORT WHAT: ssl/http nginx
	l=$(line_of hostile "$1")
	[ "$(field "$l" tunnel)" = ssl ] || bad "$2: not tunnelled: $l"
	same "service product version" "$l" "$nginx" "$2"
}
tunnelled "$tls" "normal TLS port"
tunnelled 80 "80, a TLS-only server on a plain port"
tunnelled "$(ports_of tlssplit)" "tlssplit"
tunnelled "$(ports_of tlsnonotify)" "tlsnonotify"
for b in tlsrenego tlskeyupdate; do
	l=$(line_of hostile "$(ports_of $b)")
	[ "$(field "$l" tunnel)/$(field "$l" product)" = ssl/nginx ] ||
		[ -z "$(field "$l" product)" ] || bad "$b: $l"
done
for b in tlsgarbage tlsstall tlsbigcert; do
	l=$(line_of hostile "$(ports_of $b)")
	[ -z "$(field "$l" product)" ] || bad "$b: a product, with no handshake: $l"
done

dtd=/usr/share/nmap/nmap.dtd
if command -v xmllint >/dev/null 2>&1 && [ -r "$dtd" ]; then
	xmllint --noout --dtdvalid "$dtd" "$tmp/hostile.xml" || bad "hostile.xml is not valid"
fi

# --- Wall time ---------------------------------------------------------------
# shellcheck disable=SC2046 # two words
set -- $(wall_bound hostile "$all" "$ssl_connect_ms")
bound_ms=$(($1 + 3000)) nmap_ms=$2
read -r wall rss user sys <"$tmp/hostile.time"
wall_ms=$(echo "$wall" | awk '{ printf "%d", $1 * 1000 }')
echo "wall time: $wall s (bound $((bound_ms / 1000)).$((bound_ms % 1000 / 100)) s; Nmap's waits one after the other: $((nmap_ms / 1000)) s); CPU $user s user, $sys s system"
[ "$wall_ms" -le "$bound_ms" ] || bad "the scan took $wall s, over the bound"

read -r _ rss_a ua sa <"$tmp/alone.time"
read -r _ rss_b ut st <"$tmp/alone_tls.time"
nports=$(expand "$all" | wc -l)
ntls=$(($(echo "$tls $hostile_tls" | wc -w)))

# --- Peak RSS ----------------------------------------------------------------
rss_alone=$((rss_a > rss_b ? rss_a : rss_b))
program_kb
rss_bound=$((rss_alone + code_kb + nports * 112 + ntls * 9 * tls_conn_kb + 2048 + asan_kb))
echo "peak RSS: $rss KB (bound $rss_bound KB = $rss_alone alone + $code_kb code and tables + $((nports * 112)) buffers + $((ntls * 9 * tls_conn_kb)) TLS + 2048$asan_note)"
[ "$rss" -le "$rss_bound" ] || bad "peak RSS $rss KB over the bound"

stop_server

# --- CPU ---------------------------------------------------------------------
# After the server's last line, which says what the floods sent.
flood=$(sed -n 's/.* \([0-9]*\) renegotiation requests, \([0-9]*\) KeyUpdates$/\1 \2/p' "$tmp/ports")
# shellcheck disable=SC2046 # five words
set -- $(awk -v u="$user" -v s="$sys" -v a="$ua $sa" -v t="$ut $st" -v k="$ntls" -v f="$flood" 'BEGIN {
	split(a, x, " "); split(t, y, " "); split(f, z, " "); c = u + s
	b = x[1] + x[2] + k * (y[1] + y[2]) + 1
	printf "%s %.2f %.2f %d %d", c <= b ? "ok" : "over", c, b, z[1], z[2] }')
echo "CPU: $2 s (bound $3 s: the TLS port alone $(echo "$ut $st" | awk '{ print $1 + $2 }') s, $ntls TLS ports, $4 renegotiation requests, $5 KeyUpdates)"
[ "$1" = ok ] || bad "the scan used $2 s of CPU, over the bound $3 s"

fail_with hostile
echo "hostile TLS servers: $nports ports, every result as expected"
