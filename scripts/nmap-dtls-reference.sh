#!/bin/sh
# scripts/nmap-dtls-reference.sh [DIR793 [DIR795]]: what Nmap 7.93
# (Debian 12's, /usr/bin/nmap) and Nmap 7.95 (Debian 13's, in the chroot
# of scripts/debian13.sh) say on the DTLS daemons of scripts/daemons.sh,
# coturn (5349/udp) and coap-server (5683/udp, 5684/udp): the reference
# of svdetect's DTLS rescan (issue 13).  7.94 and later rescan a port
# whose probe matched `dtls` through DTLS; 7.93 reports `dtls`.  Run by
# hand, as root; the daemons and both Nmaps run in a network namespace of
# their own (scripts/daemon-session.sh; the chroot shares it), so only
# that namespace's 127.0.0.1 is scanned.
#
# For each Nmap, into its directory (default tests/data/nmap793-udp and
# tests/data/nmap795-dtls), one after the other:
#   dtls.xml, dtls.nmap  nmap -sV -sU -Pn -p U:5349,5683,5684
#   dtls.trace           the same with -v --version-trace, its standard
#                        output (a run of its own: the trace turns
#                        debugging on, which shows in the XML)
#   dtls-times.txt       the wall time of each of these, and of one run
#                        of each port alone (-oN only, not kept)
# Stops the daemons it started.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
out793=${1:-$top_srcdir/tests/data/nmap793-udp}
out795=${2:-$top_srcdir/tests/data/nmap795-dtls}
[ "$(id -u)" = 0 ] || { echo "$0: needs root" >&2; exit 2; }
command -v nmap >/dev/null 2>&1 || { echo "$0: needs nmap" >&2; exit 2; }
mkdir -p "$out793" "$out795" && out793=$(cd "$out793" && pwd) && out795=$(cd "$out795" && pwd) ||
	exit 2
SVD_DAEMONS='coturn coap-server'
export SVD_DAEMONS top_srcdir
# shellcheck source=daemon-session.sh
. "$top_srcdir/scripts/daemon-session.sh"
daemons_isolate "$0" "$out793" "$out795" || exit 2
trap daemons_release EXIT
trap 'exit 130' INT TERM HUP
daemons_acquire_all || exit 2
udp=$(daemons_ports udp)

# run OUT NAME NMAP-ARGS...: the Nmap of this round ($nmap) in OUT, its
# output into OUT/NAME.out; prints its wall time.
run() {
	dir=$1 name=$2
	shift 2
	start=$(date +%s.%N)
	# shellcheck disable=SC2086 # $nmap may be a command with arguments
	(cd "$dir" && timeout 1800 $nmap "$@" 127.0.0.1 >"$name.out" 2>&1 9>&-)
	rc=$?
	end=$(date +%s.%N)
	[ $rc -eq 0 ] || { tail -n 20 "$dir/$name.out" >&2; echo "$0: nmap exited $rc" >&2; exit 2; }
	echo "$start $end" | awk '{ printf "%.2f\n", $2 - $1 }'
}

# round OUT NMAP-COMMAND: every run of one Nmap.
round() {
	dir=$1 nmap=$2
	# shellcheck disable=SC2086
	version=$($nmap -V 9>&- | head -n 1)
	echo "$version" | tee "$dir/dtls-times.txt"
	t=$(run "$dir" dtls -sV -sU -Pn -p "U:$udp" -oX dtls.xml -oN dtls.nmap) || exit 2
	rm -f "$dir/dtls.out"
	echo "nmap -sV -sU -Pn -p U:$udp: $t s" | tee -a "$dir/dtls-times.txt"
	t=$(run "$dir" dtls-trace -v --version-trace -sV -sU -Pn -p "U:$udp") || exit 2
	mv "$dir/dtls-trace.out" "$dir/dtls.trace"
	echo "the same, -v --version-trace: $t s" | tee -a "$dir/dtls-times.txt"
	for port in $(echo "$udp" | tr , ' '); do
		t=$(run "$dir" "dtls-$port" -sV -sU -Pn -p "U:$port") || exit 2
		grep -E "^$port/udp" "$dir/dtls-$port.out"
		rm -f "$dir/dtls-$port.out"
		echo "nmap -sV -sU -Pn -p U:$port: $t s" | tee -a "$dir/dtls-times.txt"
	done
}

round "$out793" nmap
# The chroot's Nmap sees $out795 at the same path (SVD_DEBIAN13_SHARE),
# and starts there too (env -C), as the other one does (cd in run).
export SVD_DEBIAN13_SHARE="$out795"
round "$out795" "$top_srcdir/scripts/debian13.sh run env -C $out795 nmap"
cat "$out793/dtls.nmap" "$out795/dtls.nmap"
