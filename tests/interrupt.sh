#!/bin/sh
# Nothing lost (docs/scanner.md, "Stopping early"): a scan of five hosts
# (127.0.0.1 answers at once; 127.0.0.2-5 each hold a silent open port,
# tests/hostile_server's blackhole, so their probing lasts a minute) is
#   - stopped by SIGINT, SIGTERM and SIGHUP once the first host is written:
#     exit 128 + the signal's number; XML valid for nmap.dtd (well-formed
#     without it), ending in </nmaprun> with exit="error" and an errormsg;
#     every JSON line parses and the last is a "done" marked interrupted;
#     normal and grepable output end with the note and the "done" line,
#     in the files and on stdout in both its forms (the terminal's beside
#     -oX -oG and beside -oA; the file's with -oN -);
#     the finished host's service and the decided ports of a host in
#     progress are all there;
#   - stopped the same way by the same SIGINT sent twice, 50 ms apart,
#     as timeout(1) sends it to the process and to its group;
#   - ended at once by a second SIGINT while the first cannot finish (the
#     program is stuck writing to a pipe nobody reads);
#   - stopped within seconds, non-zero, when its reader goes (`| head -1`)
#     or an output cannot be written (-oX /dev/full: the message names the
#     file, and normal output still ends properly);
# and -iL /dev/zero fails at once with the file and line.
for tool in timeout xmllint python3; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
. "${top_srcdir:?}/tests/hostile-common.sh"

start_server --lifetime 150 banner
fast=$(ports_of banner)
# The slow hosts' server; gone at exit like the first.
"$srv" --lifetime 150 --addrs 127.0.0.2:4 blackhole >"$tmp/ports2" 2>"$tmp/server2.err" &
srv2_pid=$!
trap 'kill "$srv2_pid" 2>/dev/null; cleanup' EXIT
i=0
until grep -q '^ready$' "$tmp/ports2" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "FAIL: second hostile_server did not start"; exit 99; }
	sleep 0.1
done
slow=$(awk '$1 == "blackhole" { print $2 }' "$tmp/ports2")
ports=$fast,$slow
targets=127.0.0.1-5

# waits PID SECONDS: true if the process ended within that time.
waits() {
	n=0
	while kill -0 "$1" 2>/dev/null; do
		n=$((n + 1))
		[ $n -gt $(($2 * 10)) ] && return 1
		sleep 0.1
	done
	return 0
}

# stop_by SIGNAL STATUS OUTPUT-ARGS...: scans, sends SIGNAL once the first
# host is written, and checks every output of the run ($tmp/SIGNAL.*).
stop_by() {
	sig=$1 want=$2 base=$tmp/$1
	shift 2
	rm -f "$base".* # an earlier run's host line must not start the clock
	# Shells start background commands with SIGINT ignored; svdetect keeps
	# an ignored signal ignored (nohup), so give it the default.
	env --default-signal=INT "$svd" -n -p "$ports" "$@" -oJ "$base.json" $targets \
		>"$base.stdout" 2>"$base.err" &
	pid=$!
	until_in "$base.json" '"type":"host"' 20 || bad "$sig: no host written within 20 s"
	kill -s "$sig" "$pid"
	if ! waits "$pid" 5; then
		bad "$sig: still running 5 s after the signal"
		kill -9 "$pid"
	fi
	wait "$pid"
	rc=$?
	[ $rc -eq "$want" ] || bad "$sig: exit $rc, not $want"
	if grep -Eq 'Sanitizer|runtime error:' "$base.err"; then
		bad "$sig: sanitizer report"; head -n 40 "$base.err"
	fi

	xml=$base.xml
	if [ -r /usr/share/nmap/nmap.dtd ]; then
		xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd "$xml" 2>"$base.xmllint" ||
			{ bad "$sig: XML not valid for nmap.dtd"; head -n 5 "$base.xmllint"; }
	else
		xmllint --noout "$xml" 2>"$base.xmllint" || bad "$sig: XML not well-formed"
	fi
	[ "$(tail -n 1 "$xml")" = "</nmaprun>" ] || bad "$sig: XML does not end with </nmaprun>"
	grep -q "exit=\"error\" errormsg=\"interrupted by SIG$sig" "$xml" ||
		bad "$sig: no exit=\"error\" with the signal in the XML"
	grep -q 'portid="'"$fast"'"><state state="open".*product="OpenSSH"' "$xml" ||
		bad "$sig: the finished host's service is not in the XML"

	python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
recs = [json.loads(l) for l in lines]
last = recs[-1]
assert last["type"] == "done" and last["interrupted"] is True, last
assert "SIG" + sys.argv[2] in last["errormsg"], last
ports = {(r["addr"], r["port"]): r for r in recs if r["type"] == "port"}
assert ports[("127.0.0.1", int(sys.argv[3]))]["product"] == "OpenSSH", ports
# A host in progress: its decided ports (closed), and nothing undecided.
assert ports[("127.0.0.2", int(sys.argv[3]))]["state"] == "closed", ports
assert all(r["reason"] for r in ports.values())
' "$base.json" "$sig" "$fast" 2>"$base.py" || { bad "$sig: JSON lines"; cat "$base.py"; }

	# stdout: normal output in its file form (-oN -), else the terminal's
	# form beside the files.
	files="$base.gnmap $base.nmap"
	case " $* " in
	*" -oN - "*) files="$files $base.stdout" ;;
	*)
		tail -n 1 "$base.stdout" | grep -q '^svdetect done: ' ||
			bad "$sig: stdout lacks its done line"
		grep -q "^svdetect stopped early: interrupted by SIG$sig" "$base.stdout" ||
			bad "$sig: stdout lacks the stopped-early note"
		;;
	esac
	for f in $files; do
		[ -f "$f" ] || continue
		tail -n 2 "$f" | head -n 1 | grep -q "^# svdetect stopped early: interrupted by SIG$sig" ||
			bad "$sig: $(basename "$f") lacks the stopped-early note"
		tail -n 1 "$f" | grep -q '^# svdetect done at .* IP address.* scanned in ' ||
			bad "$sig: $(basename "$f") does not end with its done line"
	done
	for f in "$base.nmap" "$base.stdout"; do
		[ -f "$f" ] || continue
		grep -q "^$fast/tcp  *open  *ssh  *OpenSSH" "$f" ||
			bad "$sig: the finished host's port is not in $(basename "$f")"
	done
}

# SIGINT: the terminal's form on stdout, files beside it; SIGTERM: the
# same with -oA; SIGHUP: normal output's file form on stdout (-oN -).
stop_by INT 130 -oX "$tmp/INT.xml" -oG "$tmp/INT.gnmap"
stop_by TERM 143 -oA "$tmp/TERM"
stop_by HUP 129 -oN - -oX "$tmp/HUP.xml" -oG "$tmp/HUP.gnmap"

# --- The same SIGINT twice ------------------------------------------------------
# timeout(1) passes a signal on to the process and then to its process
# group, microseconds apart: one request, not "once more".  The program is
# held in a write to a pipe nobody reads yet (status lines every
# millisecond), so the first cannot be finished before the second comes,
# 50 ms later; then the pipe is drained, and the stop must end properly.
mkfifo "$tmp/held" || exit 99
sleep 30 <"$tmp/held" &
holder=$!
env --default-signal=INT "$svd" -n -p "$ports" --stats-every 1ms -oG "$tmp/held.gnmap" \
	$targets >"$tmp/held" 2>/dev/null &
pid=$!
until_in "$tmp/held.gnmap" '^Host: .*Ports' 20 || bad "same SIGINT twice: no host written within 20 s"
sleep 1 # the pipe is full by now
kill -INT "$pid"
sleep 0.05
kill -INT "$pid"
cat "$tmp/held" >/dev/null &
if ! waits "$pid" 5; then
	bad "same SIGINT twice: still running 5 s after it"
	kill -9 "$pid"
fi
wait "$pid"
rc=$?
kill "$holder" 2>/dev/null
[ $rc -eq 130 ] || bad "same SIGINT twice: exit $rc, not 130"
tail -n 1 "$tmp/held.gnmap" | grep -q '^# svdetect done at ' ||
	bad "same SIGINT twice: the grepable output lost its ending"

# --- A second SIGINT while the first cannot finish --------------------------
# Status lines every millisecond fill a pipe that nobody reads: the program
# blocks in a write, where the first SIGINT cannot stop it cleanly.
mkfifo "$tmp/stuck" || exit 99
sleep 30 <"$tmp/stuck" &
reader=$!
env --default-signal=INT "$svd" -n -p "$ports" --stats-every 1ms -oX "$tmp/stuck.xml" \
	$targets >"$tmp/stuck" 2>/dev/null &
pid=$!
sleep 2
kill -INT "$pid"
if waits "$pid" 1; then
	bad "second SIGINT: the first already ended the blocked scan (test set-up broken)"
else
	kill -INT "$pid"
	if ! waits "$pid" 2; then
		bad "second SIGINT: still running 2 s after it"
		kill -9 "$pid"
	fi
fi
wait "$pid"
kill "$reader" 2>/dev/null

# --- The reader goes away, an output fails -------------------------------------
t0=$(date +%s)
{ timeout -k 2 40 "$svd" -n -p "$ports" $targets 2>"$tmp/head.err"; echo $? >"$tmp/head.rc"; } |
	head -n 1 >"$tmp/head.out"
t1=$(date +%s)
rc=$(cat "$tmp/head.rc")
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || bad "| head -1: exit $rc, not a failure of its own"
[ $((t1 - t0)) -le 5 ] || bad "| head -1: the scan went on for $((t1 - t0)) s"

# fails_fast NAME STATUS PATTERN COMMAND...: COMMAND ends within 5 s with
# STATUS and a line matching PATTERN on stderr; stdout in $tmp/NAME.out.
fails_fast() {
	name=$1 want=$2 pattern=$3
	shift 3
	t0=$(date +%s)
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	t1=$(date +%s)
	[ $rc -eq "$want" ] || bad "$name: exit $rc, not $want"
	[ $((t1 - t0)) -le 5 ] || bad "$name: took $((t1 - t0)) s"
	grep -q "$pattern" "$tmp/$name.err" ||
		{ bad "$name: no message matching '$pattern'"; cat "$tmp/$name.err"; }
}

fails_fast full 1 '^svdetect: writing /dev/full: No space left on device$' \
	timeout -k 2 40 "$svd" -n -p "$ports" -oX /dev/full $targets
tail -n 1 "$tmp/full.out" | grep -q '^svdetect done: ' ||
	bad "-oX /dev/full: normal output did not end properly"

# --- Bounded input --------------------------------------------------------------
# Without the bound the old reader grew without limit: keep it within 4 GB
# of address space (not under ASan, which reserves far more).
svd_in_4g() {
	(
		grep -q '^SAN_CFLAGS = .*sanitize' "$top_builddir/Makefile" 2>/dev/null ||
			ulimit -v 4000000
		exec timeout -k 2 20 "$svd" "$@"
	)
}
fails_fast zero 2 '^svdetect: /dev/zero:1: ' svd_in_4g -iL /dev/zero

[ $fail -eq 0 ] && echo "PASS: interrupt"
exit $fail
