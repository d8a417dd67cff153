#!/bin/sh
# --resume on real daemons (issue 12): Debian's sshd, vsftpd, postfix,
# nginx and redis (scripts/daemons.sh) serve 127.0.0.1 in a network
# namespace of the test's own; nftables there sends 127.0.0.2-6 to the
# same daemons (DNAT) and counts the SYNs sent to each of the six
# addresses before translation.  Scans run with --max-parallelism 10,
# which takes the hosts in two waves of three (nginx and redis keep each
# wave some 6 s, waiting out the NULL probe).
#   - an uninterrupted scan of the six hosts is the reference: every host
#     shows the daemons' services (so the translation works);
#   - for each of the normal, grepable and JSON files as the one resumed
#     from, a scan writing all three is stopped by SIGINT once 127.0.0.3
#     is written, while the second wave runs; `svdetect --resume FILE`
#     then sends no SYN to any host the file shows finished, and scans
#     the others;
#   - across both runs every host is shown finished exactly once in each
#     file, and the finished hosts' grepable lines are the reference's.
# Needs root and nft (scripts/setup-debian.sh installs nftables);
# skipped (77) without them or a namespace.
: "${top_srcdir:?}" "${top_builddir:?}"
set -u
svd=$top_builddir/svdetect
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (scripts/daemons.sh binds ports < 1024)"
for tool in nft timeout python3 flock; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed (scripts/setup-debian.sh installs it)"
done
[ -x "$svd" ] || { echo "FAIL: no $svd"; exit 99; }
export SVD_DAEMONS="sshd vsftpd postfix nginx redis"
ports=21,22,25,80,6379
# shellcheck source=../scripts/daemon-session.sh
. "$top_srcdir/scripts/daemon-session.sh"
daemons_isolate_or_skip "$0" "$@"

tmp=$(mktemp -d) || exit 99
cleanup() {
	daemons_release
	nft delete table ip svd_resume 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
fail=0
bad() { echo "FAIL: $*"; fail=1; }
# shellcheck source=resume-common.sh
. "$top_srcdir/tests/resume-common.sh"
# shellcheck source=until-in.sh
. "$top_srcdir/tests/until-in.sh"

daemons_acquire || { echo "FAIL: scripts/daemons.sh start failed"; exit 99; }
[ "$(daemons_up_count)" -eq 5 ] || {
	"$top_srcdir/scripts/daemons.sh" status 9>&-
	echo "FAIL: not all of $SVD_DAEMONS are up"
	exit 99
}

all="127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5 127.0.0.6"
# The counting chain runs before the translation (priority -150 < -100),
# so it sees the address the scanner asked for.
{
	echo 'table ip svd_resume {'
	for i in 1 2 3 4 5 6; do echo "counter h$i { }"; done
	echo 'chain count { type filter hook output priority -150; policy accept;'
	for i in 1 2 3 4 5 6; do
		echo "ip daddr 127.0.0.$i tcp flags & (syn | ack) == syn counter name h$i"
	done
	echo '}'
	echo 'chain to_daemons { type nat hook output priority -100; policy accept;'
	echo 'ip daddr 127.0.0.2-127.0.0.6 dnat to 127.0.0.1'
	echo '}'; echo '}'
} >"$tmp/rules.nft"
nft -f "$tmp/rules.nft" || { echo "FAIL: nft rejected the rules"; exit 99; }

syns() { # the SYNs sent to each host so far: "ADDR N" lines
	for i in 1 2 3 4 5 6; do
		printf '127.0.0.%s %s\n' "$i" \
			"$(nft list counter ip svd_resume "h$i" | sed -n 's/.*packets \([0-9]*\).*/\1/p')"
	done
}

dir=$tmp/out
mkdir "$dir"
# scan NAME COMMAND...: the six hosts, every output in $dir/NAME.*,
# svdetect run by COMMAND in place of the shell (so, in a subshell).
scan() {
	name=$1
	shift
	exec "$@" "$svd" -Pn -n -p "$ports" --max-parallelism 10 -oN "$dir/$name.nmap" -oG "$dir/$name.gnmap" \
		-oJ "$dir/$name.jsonl" 127.0.0.1-6
}

started=$(date +%s)
(scan full timeout -k 5 120) >"$tmp/full.out" 2>"$tmp/full.err" ||
	bad "full: exit $?: $(cat "$tmp/full.err")"
echo "the uninterrupted scan took $(($(date +%s) - started)) s"
[ "$(finished "$dir/full.gnmap" | words)" = "$all" ] ||
	bad "full: hosts '$(finished "$dir/full.gnmap" | words)'"
finished_lines "$dir/full.gnmap" >"$tmp/full.lines"
# Each host through the translation: the daemons' own answers.
for h in $all; do
	line=$(grep "^Host: $h " "$tmp/full.lines")
	for want in 21/open/tcp//ftp//vsftpd 22/open/tcp//ssh//OpenSSH 25/open/tcp//smtp//Postfix \
		80/open/tcp//http//nginx 6379/open/tcp//redis//Redis; do
		case $line in *"$want"*) ;; *) bad "full: $h lacks $want: $line" ;; esac
	done
done

for fmt in nmap gnmap jsonl; do
	name=cut-$fmt
	# Shells start background commands with SIGINT ignored.
	(scan "$name" env --default-signal=INT timeout -k 5 120) >"$tmp/$name.out" \
		2>"$tmp/$name.err" &
	pid=$!
	until_in "$dir/$name.gnmap" '^Host: 127\.0\.0\.3 .*Ports' 30 ||
		bad "$fmt: 127.0.0.3 not written within 30 s"
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	[ $rc -eq 130 ] || bad "$fmt: the interrupted run exited $rc, not 130"
	first=$(finished "$dir/$name.$fmt" | words)
	case " $first " in
	*" 127.0.0.4 "*) bad "$fmt: 127.0.0.4 finished before the stop: nothing to resume" ;;
	*" 127.0.0.3 "*) ;;
	*) bad "$fmt: the interrupted run shows '$first' finished, without 127.0.0.3" ;;
	esac

	syns >"$tmp/$name.syns-before"
	timeout -k 5 120 "$svd" --resume "$dir/$name.$fmt" >"$tmp/$name.resumed" \
		2>"$tmp/$name.resumed.err"
	rc=$?
	[ $rc -eq 0 ] || bad "$fmt: the resumed run exited $rc: $(cat "$tmp/$name.resumed.err")"
	grep -Eq 'Sanitizer|runtime error:' "$tmp/$name.resumed.err" && bad "$fmt: sanitizer report"
	syns | join "$tmp/$name.syns-before" - >"$tmp/$name.syns"
	while read -r h before after; do
		case " $first " in
		*" $h "*) [ "$after" -eq "$before" ] ||
			bad "$fmt: $h, finished before, got $((after - before)) SYNs from the resumed run" ;;
		*) [ "$after" -gt "$before" ] || bad "$fmt: $h, not finished, was not scanned again" ;;
		esac
	done <"$tmp/$name.syns"
	for f in nmap gnmap jsonl; do
		got=$(finished "$dir/$name.$f" | sort | words)
		[ "$got" = "$all" ] || bad "$fmt: after resuming, $f shows '$got' finished"
	done
	finished_lines "$dir/$name.gnmap" | cmp -s - "$tmp/full.lines" ||
		bad "$fmt: the finished hosts' lines differ from an uninterrupted run's:
$(finished_lines "$dir/$name.gnmap" | diff "$tmp/full.lines" -)"
done

[ $fail -eq 0 ] || exit 1
echo "resume on real daemons: from normal, grepable and JSON files, no SYN to a host finished before, and the union is an uninterrupted run's"
