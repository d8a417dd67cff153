#!/bin/sh
# scripts/nmap-udp-reference.sh [OUTDIR] [ROUNDS]: Nmap's answers on the
# UDP and SunRPC daemons of scripts/daemons.sh, the reference of
# svdetect's UDP scan and RPC grinder (issue 13).  Run by hand, as root;
# the daemons and Nmap run in a network namespace of their own
# (scripts/daemon-session.sh), so only that namespace's 127.0.0.1 is
# scanned.
#
# Starts the daemons with a UDP port and runs, one after the other, into
# OUTDIR (default tests/data/nmap793-udp), each with -oX (NAME.xml) and
# -oN (NAME.nmap):
#   udp          nmap -sV -sU -Pn -p U:<their UDP ports>, ROUNDS times
#                (default 3): the files of the first round are kept, each
#                round's wall time printed and written to times.txt, and
#                whether every round's port lines were the same
#   tcp-udp      nmap -sV -sT -sU -Pn -p T:<their TCP ports>,U:<UDP ports>
#   statd-alone  nmap -sV -sT -sU -Pn -p T:32765,U:32765: statd without
#                rpcbind's port in the scan, so that Nmap's rpcinfo script
#                (which names the ports rpcbind lists) does not run and
#                rpc-grind itself must name the program
# and udp.trace: the standard output of a -v --version-trace run of the
# first (the probes Nmap sent, its matches and its scripts; the trace
# turns debugging on, which shows in the XML, hence a run of its own).
# Stops the daemons it started.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
out=${1:-$top_srcdir/tests/data/nmap793-udp}
rounds=${2:-3}
case $rounds in '' | *[!0-9]*) echo "usage: $0 [OUTDIR] [ROUNDS]" >&2; exit 2 ;; esac
[ "$rounds" -ge 1 ] && [ "$rounds" -le 10 ] || { echo "$0: ROUNDS is 1 to 10" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "$0: needs root" >&2; exit 2; }
command -v nmap >/dev/null 2>&1 || { echo "$0: needs nmap" >&2; exit 2; }
mkdir -p "$out" && out=$(cd "$out" && pwd) || exit 2
SVD_DAEMONS=$(SVD_DAEMONS='' "$top_srcdir/scripts/daemons.sh" list |
	awk -F'\t' '$6 == "udp" { print $1 }' | uniq | tr '\n' ' ')
export SVD_DAEMONS top_srcdir
# shellcheck source=daemon-session.sh
. "$top_srcdir/scripts/daemon-session.sh"
daemons_isolate "$0" "$out" "$rounds" || exit 2
trap daemons_release EXIT
trap 'exit 130' INT TERM HUP
daemons_acquire_all || exit 2
udp=$(daemons_ports udp)
tcp=$(daemons_ports tcp)
nmap -V 9>&- | head -n 1

scan() { # NAME NMAP-ARGS...: one run into $out/NAME.*; prints its wall time
	name=$1
	shift
	start=$(date +%s.%N)
	(cd "$out" && timeout 1800 nmap "$@" -oX "$name.xml" -oN "$name.nmap" 127.0.0.1 \
		>"$name.out" 2>&1 9>&-)
	rc=$?
	end=$(date +%s.%N)
	[ $rc -eq 0 ] || { tail -n 20 "$out/$name.out" >&2; echo "$0: nmap exited $rc" >&2; exit 2; }
	rm -f "$out/$name.out"
	echo "$start $end" | awk '{ printf "%.2f\n", $2 - $1 }'
}

: >"$out/times.txt"
# Round 1 is udp.*, the others udp-N.*, removed once compared.
i=1
while [ $i -le "$rounds" ]; do
	name=udp-$i
	[ $i = 1 ] && name=udp
	t=$(scan $name -sV -sU -Pn -p "U:$udp") || exit 2
	echo "nmap -sV -sU -Pn -p U:$udp: round $i: $t s" | tee -a "$out/times.txt"
	i=$((i + 1))
done
same=yes
i=2
while [ $i -le "$rounds" ]; do
	grep -E '^[0-9]+/' "$out/udp.nmap" >"$out/udp.ports"
	grep -E '^[0-9]+/' "$out/udp-$i.nmap" | cmp -s - "$out/udp.ports" || {
		same=no
		echo "round $i differs from round 1:"
		grep -E '^[0-9]+/' "$out/udp-$i.nmap" | diff "$out/udp.ports" -
	}
	rm -f "$out/udp.ports" "$out/udp-$i.xml" "$out/udp-$i.nmap"
	i=$((i + 1))
done
echo "every round's port lines the same: $same" | tee -a "$out/times.txt"

timeout 1800 nmap -v --version-trace -sV -sU -Pn -p "U:$udp" 127.0.0.1 >"$out/udp.trace" 2>&1 9>&- ||
	echo "$0: the traced run failed (see $out/udp.trace)" >&2
t=$(scan tcp-udp -sV -sT -sU -Pn -p "T:$tcp,U:$udp") || exit 2
echo "nmap -sV -sT -sU -Pn -p T:$tcp,U:$udp: $t s" | tee -a "$out/times.txt"
t=$(scan statd-alone -sV -sT -sU -Pn -p T:32765,U:32765) || exit 2
echo "nmap -sV -sT -sU -Pn -p T:32765,U:32765: $t s" | tee -a "$out/times.txt"
cat "$out/udp.nmap" "$out/tcp-udp.nmap" "$out/statd-alone.nmap"
