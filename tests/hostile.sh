#!/bin/sh
# Hostile servers next to a normal one (tests/hostile_server.c, all on
# 127.0.0.1, free ports from 62000 up): svdetect scans them all at once
# with its defaults and must
#   - exit 0, with no sanitizer report on stderr;
#   - identify the banner port exactly as `svdetect --match NULL` names the
#     banner the server sends, and exactly as when that port is scanned
#     alone (other ports' results unaffected);
#   - report every hostile port once, with a state and result that follow
#     from Nmap's rules (below, per behaviour), its fingerprint showing that
#     no response grew past the 12 KB response buffer;
#   - finish within the wall-time bound and stay under the RSS bound below;
#   - beside a server that trickles, a byte every 2 ms, a response on which
#     a regex of the signature set backtracks exponentially, use little CPU
#     (the CPU bound below) and answer for the banner port as when it is
#     scanned alone, as fast.
#
# Wall-time bound.  Nmap waits 6 s for the NULL probe's banner, then each
# probe's totalwaitms (5 s unless the probe file says otherwise), one
# probe after the other; tcpwrapped ports end within 3 s.  svdetect sends
# up to 7 probes ahead of their turn while the NULL probe waits and 6
# after it (docs/scanner.md), and this scan has sockets to spare, so a
# port whose every probe waits its full time takes at most
#     wait(NULL) + sum over groups of 7 consecutive probes (Nmap's order)
#                  of the longest wait in the group
# which, whatever the order, is at most wait(NULL) plus the ceil(k/7)
# longest waits of its k other probes, and one more: a probe silent ahead
# with no sign that the server read it is sent again in its turn once
# (docs/scanner.md, "Probing ahead"); the scan takes at most that for
# its slowest port, plus 3 s for connects and a loaded machine.  The
# probes are those --version-trace shows were sent to the port, their
# waits those of the probe file compiled in.
#
# RSS bound.  A port has at most 8 probes under way or waiting for their
# turn (the one in its turn and those sent ahead, vscan.c QMAX), each
# with a response of at most 12 KB (RESP_CAP), and one fingerprint of at
# most 16 KB (SVD_FP_SIZE): 112 KB.  Everything else is the program
# itself: measured as the peak RSS of the banner port scanned alone, plus
# the matchers' code and tables that matching junk may page in (at most
# the text and data of the binary, from size(1)).  So
#     peak RSS <= RSS(alone) + text+data + ports * 112 KB + 2 MB
# (2 MB: malloc's and the kernel's rounding).  Leaking what the garbage and
# endless servers send (1 MB per connection, or unbounded) would pass it
# several times over: there are three of each.  Under ASan the buffers'
# shadow, redzones and quarantine (freed memory kept to catch use after
# free) are added: 32 MB.
for tool in /usr/bin/time timeout perl; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
. "${top_srcdir:?}/tests/hostile-common.sh"

# --- The servers --------------------------------------------------------------
# The costliest line of Nmap's database on a 404-like response is PHP's
# cli server (Nmap 7.93: lines 14398-14399 of FourOhFourRequest),
#   ^HTTP/1\.0 404 Not Found\r\n(?:[^<]+|<(?!/head>))*?<style>\nbody ...
# On a 404 whose style sheet is cut short of its end, the lazy loop tries
# every way to split the run of bytes before "<style>" between [^<]+
# iterations: exponential, so each search spends its whole budget.  The
# sheet is taken from the installed database (none of Nmap's text is
# copied here); a control payload differs in one byte ("[style>"), which
# no line needs, so that both cost the same to read and only matching
# differs.  With another signature set the CPU part is not checked.
probes=$(probe_file)
sheet=$(sed -n '/(?:\[^<\]+|<(?!\/head>))\*?<style>/{s/.*<(?!\/head>))\*?//; s/=s p\/.*//; p; q;}' "$probes")
costly_args=
if [ -n "$sheet" ]; then
	{
		printf 'HTTP/1.0 404 Not Found\r\n'
		head -c 40 /dev/zero | tr '\0' a
		printf '%s' "$sheet" | sed 's/\\n/\n/g; s/\\\(.\)/\1/g' | head -c -2
		printf 'X</style>'
		head -c 1600 /dev/zero | tr '\0' a
	} >"$tmp/costly.bin"
	sed 's/<style>/[style>/' "$tmp/costly.bin" >"$tmp/plain.bin"
	costly_args="--payload $tmp/costly.bin trickle2ms --payload $tmp/plain.bin trickle2ms"
fi
# The lifetime bounds them if this script dies; the scans end well before.
# From 62000 up, ports in use are skipped; none of those ports is in the
# ports list of any of Nmap's probes (which would change the probe order,
# and so what comes after the NULL probe), and they are above the kernel's
# usual ephemeral range.
# shellcheck disable=SC2086 # $costly_args is a list of words
start_server --lifetime 150 --base 62000 banner endless:3 garbage:3 linestream trickle reset \
	resetprobe blackhole tlsjunk halfclose slow4k onebyone $costly_args
all=$(grep -Ev '^(ready|trickle2ms .*)$' "$tmp/ports" | awk '{ printf "%s%s", s, $2; s = "," }')
banner=$(ports_of banner)
costly=$(ports_of trickle2ms | sed -n 1p)
plain=$(ports_of trickle2ms | sed -n 2p)

# --- The scans ----------------------------------------------------------------
# The trickling servers' scans run meanwhile: they take as long.
if [ -n "$costly" ]; then
	scan costly "$banner,$costly" & costly_pid=$!
	scan plain "$banner,$plain" & plain_pid=$!
fi
run hostile "$all"
run alone "$banner"
if [ -n "$costly" ]; then
	wait "$costly_pid"; scanned costly $?
	wait "$plain_pid"; scanned plain $?
fi

# --- Results ------------------------------------------------------------------
latency() { # SCAN PORT: seconds from its NULL probe to its hard match, per the trace
	awk -v p="127.0.0.1:$2" '
		$0 ~ " sending probe NULL to " p " " && !s { s = $1 }
		$0 ~ " hard match .*: " p " is " && !m { m = $1 }
		END { if (s && m) printf "%.3f", m - s; else print "none" }' "$tmp/$1.err"
}

# The banner port: what the offline matcher makes of the same bytes.
expect=$(printf 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n' | "$svd" --match NULL -)
l=$(line_of hostile "$banner")
for k in service product version extrainfo; do
	want=$(field "$expect" "$k")
	[ "$k" = extrainfo ] && want=$(field "$expect" info)
	got=$(field "$l" "$k")
	[ "$got" = "$want" ] || bad "banner port: $k '$got', expected '$want'"
done
[ "$(field "$l" service)" = ssh ] && [ "$(field "$l" product)" = OpenSSH ] ||
	bad "banner port not identified as OpenSSH: $l"
[ "$l" = "$(line_of alone "$banner")" ] ||
	bad "banner port differs from the scan of it alone:
  with the others: $l
  alone:           $(line_of alone "$banner")"

# Every port once, open or (reset only) filtered.
for p in $(expand "$all"); do
	[ "$(line_of hostile "$p" | wc -l)" -eq 1 ] || bad "port $p reported $(line_of hostile "$p" | wc -l) times"
done
for b in endless garbage linestream trickle resetprobe blackhole tlsjunk halfclose slow4k onebyone; do
	for p in $(expand "$(ports_of $b)"); do
		s=$(field "$(line_of hostile "$p")" state)
		[ "$s" = open ] || bad "$b port $p: state '$s', expected open"
	done
done

# Streams: every response between 4096 bytes (reads go on below it) and
# the 12 KB buffer.
for b in endless garbage linestream; do
	for p in $(expand "$(ports_of $b)"); do
		r=$(responses "$(line_of hostile "$p")")
		[ -n "$r" ] || [ $b = linestream ] || bad "$b port $p: no response in its fingerprint"
		for x in $r; do
			n=$(printf '%d' "0x${x#*,}")
			[ "$n" -ge 4096 ] && [ "$n" -le 12288 ] || bad "$b port $p: response $x ($n bytes)"
		done
	done
done

# linestream: a streaming service's greeting, which only GenericLines'
# chain names.  The probe goes out on the NULL probe's connection after
# the 12 KB the NULL probe read (the buffer is full): the probe's chain must
# see those bytes, as Nmap's does.
line='ERROR 10000_EMPTY_FRAME_RECEIVED\r\n'
expect=$(printf "$line" | "$svd" --match GenericLines -)
if [ -z "$(field "$expect" service)" ] || [ -n "$(field "$(printf "$line" | "$svd" --match NULL -)" service)" ]; then
	echo "linestream: not checked: the signature set does not name the line with GenericLines only"
else
	l=$(line_of hostile "$(ports_of linestream)")
	for k in service product; do
		[ "$(field "$l" "$k")" = "$(field "$expect" "$k")" ] ||
			bad "linestream: $k '$(field "$l" "$k")', expected '$(field "$expect" "$k")' (GenericLines)"
	done
fi

# onebyone: a silent service that resets a second connection at once and
# answers only GetRequest.  Nmap sends GetRequest in its turn, alone, and
# gets the answer; probes sent ahead of their turn are reset, and must be
# sent again in their turn, not taken as the service's answer.
reply='HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
expect=$(printf "$reply" | "$svd" --match GetRequest -)  # as tests/hostile_server.c answers
l=$(line_of hostile "$(ports_of onebyone)")
for k in service product version; do
	[ "$(field "$l" "$k")" = "$(field "$expect" "$k")" ] ||
		bad "onebyone: $k '$(field "$l" "$k")', expected '$(field "$expect" "$k")' (GetRequest)"
done

# EOF (halfclose) during the NULL probe with no data within 3 s: tcpwrapped,
# and nothing more is sent.  A reset at once is seen by the connect scan
# (filtered, as Nmap's connect scan takes the reset), by the NULL probe's
# connect (the port then keeps its table name, as Nmap gives up on a
# service whose connect fails) or by its first read (tcpwrapped): which
# one is a race on the loopback.
p=$(ports_of halfclose)
[ "$(field "$(line_of hostile "$p")" service)" = tcpwrapped ] || bad "halfclose: $(line_of hostile "$p")"
[ "$(sent_to "$p")" = NULL ] || bad "halfclose: probes after NULL: $(sent_to "$p" | tr '\n' ' ')"
l=$(line_of hostile "$(ports_of reset)")
case "$(field "$l" state)/$(field "$l" service)/$(field "$l" method)" in
open/tcpwrapped/probed | open/*/table | filtered/*/table) ;;
*) bad "reset: $l" ;;
esac
[ -z "$(sent_to "$(ports_of reset)" | grep -v '^NULL$')" ] ||
	bad "reset: probes after NULL: $(sent_to "$(ports_of reset)" | tr '\n' ' ')"

# Silent ports get no fingerprint; a reset after the probe is no data.
for b in blackhole resetprobe; do
	l=$(line_of hostile "$(ports_of $b)")
	[ "$(field "$l" method)" = table ] && ! printf '%s' "$l" | grep -q '"fingerprint":"' ||
		bad "$b: $l"
done

# trickle: the NULL probe waits 6 s for the banner, at one byte a second.
r=$(responses "$(line_of hostile "$(ports_of trickle)")" | sed -n 's/^NULL,//p')
[ -n "$r" ] && [ "$((0x$r))" -ge 5 ] && [ "$((0x$r))" -le 8 ] ||
	bad "trickle: NULL response of '${r:-no}' bytes, expected 6 or 7"

# tlsjunk: every probe answered with the same 517 bytes.
r=$(responses "$(line_of hostile "$(ports_of tlsjunk)")")
[ -n "$r" ] || bad "tlsjunk: no response in its fingerprint"
for x in $r; do
	[ "${x#*,}" = 205 ] || bad "tlsjunk: response $x, expected 0x205 bytes"
done

# slow4k: the NULL probe stops at exactly 4096 bytes, and the next probe
# continues on its connection with them: 4096 + 100.
r=$(responses "$(line_of hostile "$(ports_of slow4k)")" | head -n 2 | tr '\n' ' ')
case "$r" in
"NULL,1000 "*",1064 ") ;;
*) bad "slow4k: responses '$r', expected NULL,1000 then 0x1064 bytes" ;;
esac

# The XML stays valid with all this junk in it.
dtd=/usr/share/nmap/nmap.dtd
if command -v xmllint >/dev/null 2>&1 && [ -r "$dtd" ]; then
	xmllint --noout --dtdvalid "$dtd" "$tmp/hostile.xml" || bad "hostile.xml is not valid"
fi

# --- Wall time ---------------------------------------------------------------
# shellcheck disable=SC2046 # two words
set -- $(wall_bound hostile "$all" 0)
bound_ms=$(($1 + 3000)) nmap_ms=$2
read -r wall rss _ <"$tmp/hostile.time"
read -r wall_alone rss_alone _ <"$tmp/alone.time"
wall_ms=$(echo "$wall" | awk '{ printf "%d", $1 * 1000 }')
echo "wall time: ${wall} s (bound $((bound_ms / 1000)).$((bound_ms % 1000 / 100)) s; Nmap's waits one after the other: $((nmap_ms / 1000)) s); banner port alone: $wall_alone s"
[ "$wall_ms" -le "$bound_ms" ] || bad "the scan took $wall s, over the bound"

# --- CPU beside a costly trickle -----------------------------------------------
# Only the probe whose chain holds the line is costly to match, while it
# reads: for its wait W (totalwaitms).  A port may spend 1/20 of the time
# on matching after a first 10 ms, and each probe's last read is matched
# whatever that costs: with a search bounded by BT_BUDGET, under 5 ms for
# a probe's chain here (two lines spend the budget).  Reading costs both
# trickling scans the same, so
#     CPU(costly) <= CPU(plain) + 10 ms + W/20 + probes sent * 5 ms + 0.3 s
# (0.3 s: a loaded machine).  Matching the whole response again after
# every read took seconds: each read costs the two lines their budget.
# The banner port beside it answers as when scanned alone, and its NULL
# probe gets its hard match within 0.5 s of the time it takes alone.
if [ -n "$costly" ]; then
	costly_probe=$(awk '/^Probe /{ p = $3 } /\(\?:\[\^<\]\+\|<\(\?!\/head>\)\)\*\?<style>/{ print p; exit }' "$probes")
	sent_to "$costly" costly | grep -qx "$costly_probe" ||
		bad "costly: $costly_probe, whose line the response aims at, was not sent"
	wait_ms=$(awk -v p="$costly_probe" '$1 == "Probe" { cur = $3 }
		cur == p && $1 == "totalwaitms" { w = $2; exit } END { print w ? w : 5000 }' "$probes")
	read -r _ _ cuser csys <"$tmp/costly.time"
	read -r _ _ puser psys <"$tmp/plain.time"
	nsent=$(sent_to "$costly" costly | wc -l)
	verdict=$(awk -v w="$wait_ms" -v cu="$cuser" -v cs="$csys" -v pu="$puser" -v ps="$psys" -v k="$nsent" 'BEGIN {
		c = cu + cs; b = pu + ps + 0.010 + w / 20000 + k * 0.005 + 0.3
		printf "%s %.2f %.2f %.2f", c <= b ? "ok" : "over", c, pu + ps, b }')
	# shellcheck disable=SC2086 # four words
	set -- $verdict
	echo "costly trickle: CPU $2 s (bound $4 s; the same trickle, cheap to match: $3 s; $costly_probe waits $wait_ms ms; $nsent probes)"
	[ "$1" = ok ] || bad "the costly trickle's scan used $2 s of CPU, over the bound $4 s"
	[ "$(line_of costly "$banner")" = "$(line_of alone "$banner")" ] ||
		bad "banner port beside the costly trickle differs from the scan of it alone:
  beside it: $(line_of costly "$banner")
  alone:     $(line_of alone "$banner")"
	lat=$(latency costly "$banner") lat_alone=$(latency alone "$banner")
	echo "banner port: hard match $lat s after its NULL probe beside the costly trickle, $lat_alone s alone"
	awk -v a="$lat" -v b="$lat_alone" 'BEGIN { exit !(a != "none" && b != "none" && a <= b + 0.5) }' ||
		bad "banner port's match took $lat s beside the costly trickle ($lat_alone s alone)"
else
	echo "costly trickle: not checked: the signature set has no line that backtracks exponentially on a 404 (Nmap's PHP cli server lines)"
fi

# --- Peak RSS ----------------------------------------------------------------
nports=$(expand "$all" | wc -l)
program_kb
rss_bound=$((rss_alone + code_kb + nports * 112 + 2048 + asan_kb))
echo "peak RSS: $rss KB (bound $rss_bound KB = $rss_alone alone + $code_kb code and tables + $((nports * 112)) buffers + 2048$asan_note)"
[ "$rss" -le "$rss_bound" ] || bad "peak RSS $rss KB over the bound"

# The server is still up (it never became the problem).
stop_server
fail_with hostile
echo "hostile servers: $nports ports, every result as expected"
