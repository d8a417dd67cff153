#!/bin/sh
# bench/scan-vs-nmap.sh [ROUNDS] [all|tls|plain|udp]: wall time of
# svdetect against Debian's `nmap -sV -sT -Pn` on the test daemons
# (scripts/daemons.sh, 127.0.0.1 only, in a network namespace of its own):
# all their TCP ports (default), only those that speak TLS (and the two
# plaintext references of tests/integration-unsure.txt), or only the
# others; or their UDP ports, `-sU` for both tools (`nmap -sV -sU -Pn`);
# same ports, ROUNDS times (default 3) side by side, the order
# alternating (nmap first in odd rounds).  Prints each run, the medians,
# the ratio svdetect/nmap (target: at most 0.5; 0.25 for the TLS ports,
# issue 11, and for the UDP ones, issue 13), whether every round gave the
# same answers (tests/scan-compare.sh, with its listed exceptions),
# svdetect's peak RSS (GNU time's %M) and the traffic ratio: the probes
# each scanner sent (its --version-trace lines "Service scan sending
# probe") and their payload bytes (each probe's length in Nmap's probe
# file; TLS handshakes, the UDP port scan's payloads and the SunRPC
# grinders' calls not counted), svdetect's against Nmap's for the same
# answers.  Exit 1 when any round's answers differ.  With the UDP ports
# every run starts 2 s after the last one ended: BIND answers only about
# three version.bind queries a second from one client (docs/scanner.md,
# "UDP"), and a run in its wake would miss 53's version.
#
# Starts the daemons if they are not running (root) and stops, at the end,
# those it started.  Nmap runs with --version-trace: the comparison reads
# from it the name Nmap's match lines gave port 1883 (see
# tests/integration-normalise.xsl); it only logs to a file.  svdetect
# runs with --version-trace too, for its probes; its options are those
# of the environment's SVD_ARGS (e.g. "--max-probes-ahead 0").
# Environment: top_srcdir, top_builddir (default: this tree, build/);
# SVD_NMAP="COMMAND" runs that Nmap instead of the installed one: for
# Nmap 7.95, "scripts/debian13.sh run nmap" (the Debian 13 chroot, which
# sees the bench's temporary directory as SVD_DEBIAN13_SHARE), with
# top_builddir a build of 7.95's database and NMAP_PROBES that file (the
# probes' byte counts are read from it).
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir/build}
rounds=${1:-3}
set_of_ports=${2:-all}
svdetect=$top_builddir/svdetect
gnutime=/usr/bin/time
nmap=${SVD_NMAP:-nmap}

usage() { echo "usage: $0 [ROUNDS] [all|tls|plain|udp]" >&2; exit 2; }
case $rounds in '' | *[!0-9]*) usage ;; esac
# kind: which of the daemon set's ports (scripts/daemon-session.sh).
proto=tcp scan=-sT
case $set_of_ports in
all) kind='' target=0.5 ;;
plain) kind=plain target=0.5 ;;
tls) kind=tls target=0.25 ;;
udp) kind=udp target=0.25 proto=udp scan=-sU ;;
*) usage ;;
esac
[ "$rounds" -ge 1 ] && [ "$rounds" -le 20 ] || { echo "$0: ROUNDS is 1 to 20" >&2; exit 2; }
[ -x "$svdetect" ] || { echo "$0: no $svdetect (build first)" >&2; exit 2; }
for tool in ${nmap%% *} xsltproc ndiff flock timeout; do
	command -v "$tool" >/dev/null 2>&1 || { echo "$0: needs $tool (scripts/setup-debian.sh)" >&2; exit 2; }
done
[ -x "$gnutime" ] || { echo "$0: needs GNU time ($gnutime, package time)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "$0: needs root (scripts/daemons.sh)" >&2; exit 2; }

# shellcheck source=../scripts/daemon-session.sh
. "$top_srcdir/scripts/daemon-session.sh"
# The daemons and both scanners in a network namespace of their own.
daemons_isolate "$0" "$@" || exit 2
tmp=$(mktemp -d) || exit 2
export SVD_DEBIAN13_SHARE="$tmp"
trap 'daemons_release; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
daemons_acquire || { echo "$0: scripts/daemons.sh start failed" >&2; exit 2; }
ports=$(daemons_ports "${kind:-tcp}")
if [ "$kind" = tls ]; then
	# The plaintext references of the ports where Nmap is unsure
	# (tests/integration-unsure.txt): without Nmap's answer there, the
	# comparison would have no answer to expect of svdetect.
	ports=$( (echo "$ports" | tr , '\n'
		sed -e 's/#.*//' "$top_srcdir/tests/integration-unsure.txt" |
			awk 'NF == 2 { sub("/tcp", "", $2); print $2 }') | sort -un | paste -sd, -)
fi
echo "$(daemons_up_count) of $(daemons_count) daemons up; $set_of_ports ports: $ports" >&2

now() { date +%s.%N; }
# Before each run: none with the UDP ports within 2 s of the last (above).
settle() { [ "$proto" = udp ] && sleep 2; return 0; }
elapsed() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }

run_nmap() { # ROUND: prints the wall time in seconds
	settle
	t0=$(now)
	# shellcheck disable=SC2086 # $nmap may be a command with arguments
	timeout 900 $nmap -sV "$scan" -Pn --version-trace -p"$ports" -oX "$tmp/nmap$1.xml" 127.0.0.1 \
		>"$tmp/nmap$1.trace" 2>&1 9>&- || { echo "$0: nmap failed (round $1)" >&2; return 1; }
	t1=$(now)
	elapsed "$t0" "$t1"
}

run_svdetect() { # ROUND: prints the wall time in seconds and the peak RSS in KiB
	settle
	t0=$(now)
	# shellcheck disable=SC2086 # SVD_ARGS: words
	timeout 600 "$gnutime" -f %M -o "$tmp/rss$1" "$svdetect" "$scan" -Pn ${SVD_ARGS:-} --version-trace \
		-p"$ports" -oX "$tmp/svd$1.xml" 127.0.0.1 >/dev/null 2>"$tmp/svd$1.err" 9>&- || {
		cat "$tmp/svd$1.err" >&2
		echo "$0: svdetect failed (round $1)" >&2
		return 1
	}
	t1=$(now)
	echo "$(elapsed "$t0" "$t1") $(tail -n 1 "$tmp/rss$1")"
}

# The payload length of each probe of Nmap's file of the protocol scanned
# (names recur across protocols: RPCCheck): "NAME BYTES" lines.
probe_bytes() {
	awk -v proto="$proto" '$1 == "Probe" && $2 == toupper(proto) {
		p = $0
		sub(/^Probe [A-Z]+ [^ ]+ q/, "", p)
		d = substr(p, 1, 1)
		p = substr(p, 2)
		p = substr(p, 1, index(p, d) - 1)
		gsub(/\\x[0-9a-fA-F][0-9a-fA-F]/, "x", p)
		gsub(/\\./, "x", p)
		print $3, length(p)
	}' "${NMAP_PROBES:-/usr/share/nmap/nmap-service-probes}"
}

traffic() { # TRACE: "PROBES BYTES" sent, from the --version-trace lines
	awk 'NR == FNR { len[$1] = $2; next }
	     /^Service scan sending probe / { n++; b += len[$5] }
	     END { print n + 0, b + 0 }' "$tmp/probe.bytes" "$1"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

probe_bytes >"$tmp/probe.bytes"
printf '%-6s %-16s %10s %12s %14s %-9s %-15s %s\n' round order nmap_s svdetect_s svdetect_rss identical \
	probes_nmap/svd bytes_nmap/svd
same_all=1
i=1
while [ "$i" -le "$rounds" ]; do
	if [ $((i % 2)) = 1 ]; then
		order=nmap,svdetect
		tn=$(run_nmap "$i") && ts=$(run_svdetect "$i") || exit 2
	else
		order=svdetect,nmap
		ts=$(run_svdetect "$i") && tn=$(run_nmap "$i") || exit 2
	fi
	if "$top_srcdir/tests/scan-compare.sh" "$tmp/nmap$i.xml" "$tmp/svd$i.xml" \
		"$tmp/nmap$i.trace" >"$tmp/cmp$i" 2>&1; then
		same=yes
	else
		same=NO
		same_all=0
		cat "$tmp/cmp$i" >&2
	fi
	tfn=$(traffic "$tmp/nmap$i.trace")
	tfs=$(traffic "$tmp/svd$i.err")
	# shellcheck disable=SC2086 # two words each: probes and bytes
	set -- $ts $tfn $tfs
	printf '%-6s %-16s %10s %12s %11s KiB %-9s %-15s %s\n' "$i" "$order" "$tn" "$1" "$2" "$same" \
		"$3/$5" "$4/$6"
	echo "$3 $4 $5 $6" >>"$tmp/traffic"
	echo "$tn" >>"$tmp/nmap.times"
	echo "$1" >>"$tmp/svd.times"
	echo "$2" >>"$tmp/svd.rss"
	i=$((i + 1))
done

mn=$(median <"$tmp/nmap.times")
ms=$(median <"$tmp/svd.times")
rss=$(sort -n "$tmp/svd.rss" | tail -n 1)
ratio=$(echo "$ms $mn" | awk '{ printf "%.3f", $1 / $2 }')
met=$(echo "$ratio $target" | awk '{ print ($1 <= $2) ? "met" : "NOT met" }')
echo "median of $rounds ($set_of_ports ports): nmap $mn s, svdetect $ms s; ratio svdetect/nmap $ratio (target <= $target: $met)"
echo "svdetect peak RSS: $rss KiB (largest of $rounds runs)"
# The medians of each count, and svdetect's over Nmap's.
pn=$(cut -d' ' -f1 "$tmp/traffic" | median)
bn=$(cut -d' ' -f2 "$tmp/traffic" | median)
ps=$(cut -d' ' -f3 "$tmp/traffic" | median)
bs=$(cut -d' ' -f4 "$tmp/traffic" | median)
echo "traffic (median of $rounds): probes nmap $pn, svdetect $ps, ratio $(echo "$ps $pn" |
	awk '{ printf "%.2f", $2 ? $1 / $2 : 0 }'); probe bytes nmap $bn, svdetect $bs, ratio $(echo "$bs $bn" |
	awk '{ printf "%.2f", $2 ? $1 / $2 : 0 }')"
if [ $same_all = 1 ]; then
	echo "results: identical in every round (tests/scan-compare.sh)"
else
	echo "results: DIFFERENT in some round (above)"
	exit 1
fi
