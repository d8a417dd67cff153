#!/bin/sh
# --resume and --append-output on real scans (docs/output.md, "Resuming a
# scan").  tests/accept_log.py listens on one port of 127.0.0.1-6 and logs
# every connection; 127.0.0.4 answers only after 5 s.  For each of the
# normal, grepable and JSON files as the one to resume from, a scan of the
# six hosts writing all three is stopped by SIGINT once 127.0.0.3 is
# written (1-3 finished and written, 4 cut short, 5-6 finished behind it),
# then resumed:
#   - the first run marks 127.0.0.4 as cut short, in every format;
#   - the resumed run connects to no host the file shows finished, and
#     appends to the same files;
#   - in each file, the hosts shown finished across both runs are the six,
#     each once, and their grepable lines are an uninterrupted run's.
# The outputs go to a directory whose name holds a space and a quote, which
# the header's command line must give back.  A foreign, XML, empty or
# corrupt file, or --resume with other arguments, is refused (exit 2) with
# a message naming the file, nothing scanned and the file unchanged.
# --append-output keeps what the files held; without it they are
# truncated; appending XML is warned about.
for tool in timeout python3; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
. "${top_srcdir:?}/tests/hostile-common.sh"

log=$tmp/accepts
: >"$log"
start_listener six --slow 127.0.0.4:5 127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5 \
	127.0.0.6
all="127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5 127.0.0.6"
dir="$tmp/out dir's"
mkdir "$dir"

# shellcheck source=resume-common.sh
. "$top_srcdir/tests/resume-common.sh"

# scan NAME COMMAND...: the six hosts, every output in "$dir"/NAME.*,
# svdetect run by COMMAND in place of the shell (so, in a subshell).
scan() {
	name=$1
	shift
	exec "$@" "$svd" -Pn -n -p "$port" -oN "$dir/$name.nmap" -oG "$dir/$name.gnmap" \
		-oJ "$dir/$name.jsonl" 127.0.0.1-6
}

# Reference: uninterrupted.
(scan full timeout -k 5 60) >"$tmp/full.out" 2>"$tmp/full.err" ||
	bad "full: exit $?: $(cat "$tmp/full.err")"
[ "$(finished "$dir/full.gnmap" | words)" = "$all" ] ||
	bad "full: hosts '$(finished "$dir/full.gnmap" | words)'"
finished_lines "$dir/full.gnmap" >"$tmp/full.lines"

for fmt in nmap gnmap jsonl; do
	name=cut-$fmt
	: >"$log"
	# Shells start background commands with SIGINT ignored.
	(scan "$name" env --default-signal=INT) >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	until_in "$dir/$name.gnmap" '^Host: 127\.0\.0\.3 .*Ports' 20 ||
		bad "$fmt: 127.0.0.3 not written within 20 s"
	sleep 0.5 # 127.0.0.5 and .6 finish behind 127.0.0.4
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	[ $rc -eq 130 ] || bad "$fmt: the interrupted run exited $rc, not 130"
	for f in nmap gnmap jsonl; do
		got=$(finished "$dir/$name.$f" | words)
		[ "$got" = "127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.5 127.0.0.6" ] ||
			bad "$fmt: the interrupted run's $f shows '$got' finished, not all but 127.0.0.4"
	done
	grep -q '^# svdetect stopped early on host 127\.0\.0\.4 ' "$dir/$name.gnmap" ||
		bad "$fmt: no stop mark for 127.0.0.4 in the grepable file"
	first=$(finished "$dir/$name.$fmt" | words)

	: >"$log"
	timeout -k 5 60 "$svd" --resume "$dir/$name.$fmt" >"$tmp/$name.resumed" \
		2>"$tmp/$name.resumed.err"
	rc=$?
	[ $rc -eq 0 ] || bad "$fmt: the resumed run exited $rc: $(cat "$tmp/$name.resumed.err")"
	grep -Eq 'Sanitizer|runtime error:' "$tmp/$name.resumed.err" && bad "$fmt: sanitizer report"
	again=$(sort -u "$log" | words)
	for h in $first; do
		case " $again " in *" $h "*) bad "$fmt: $h, finished before, scanned again" ;; esac
	done
	[ "$again" = "127.0.0.4" ] || bad "$fmt: the resumed run connected to '$again', not 127.0.0.4"
	grep -q 'resuming from .*: 5 of 6 hosts done, 1 to scan' "$tmp/$name.resumed.err" ||
		bad "$fmt: no resuming note: $(cat "$tmp/$name.resumed.err")"
	for f in nmap gnmap jsonl; do
		got=$(finished "$dir/$name.$f" | sort | words)
		[ "$got" = "$all" ] || bad "$fmt: after resuming, $f shows '$got' finished"
		[ "$(grep -c 'scan initiated\|"type":"run"' "$dir/$name.$f")" -eq 2 ] ||
			bad "$fmt: $f does not hold both runs (appended)"
	done
	finished_lines "$dir/$name.gnmap" | cmp -s - "$tmp/full.lines" ||
		bad "$fmt: the finished hosts' lines differ from an uninterrupted run's:
$(finished_lines "$dir/$name.gnmap" | diff "$tmp/full.lines" -)"
done

# Refused files: exit 2, a message naming the file, no traffic, unchanged.
refused() { # NAME FILE MESSAGE [MORE-ARGS]
	name=$1 file=$2 msg=$3
	shift 3
	cp "$file" "$tmp/before"
	: >"$log"
	timeout -k 5 30 "$svd" --resume "$file" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	[ $rc -eq 2 ] || bad "$name: exit $rc, not 2"
	grep -Fq -- "$msg" "$tmp/$name.err" || bad "$name: message '$(cat "$tmp/$name.err")'"
	[ -s "$log" ] && bad "$name: connections accepted: $(sort -u "$log" | words)"
	cmp -s "$file" "$tmp/before" || bad "$name: the file was changed"
}
refused nmap-file "$top_srcdir/tests/data/output/nmap-7.93.nmap" "not svdetect's normal (-oN)"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<nmaprun/>\n' >"$tmp/scan.xml"
refused xml "$tmp/scan.xml" "XML output cannot be resumed from"
: >"$tmp/empty"
refused empty "$tmp/empty" "$tmp/empty: the file is empty"
sed 's/scan report for 127\.0\.0\.2$/scan report for 127.0.0.300/' "$dir/full.nmap" >"$tmp/bad.nmap"
refused bad-address "$tmp/bad.nmap" "bad.nmap: line 9: no address"
sed '5s/"stopped_early":false,//' "$dir/full.jsonl" >"$tmp/old.jsonl"
refused old-json "$tmp/old.jsonl" "old.jsonl: line 5: a host line without \"stopped_early\""
head -c 30 /dev/urandom | tr '\n' x >"$tmp/noise"
echo >>"$tmp/noise"
refused noise "$tmp/noise" "noise: "
refused extra "$dir/full.gnmap" "--resume FILE takes no other option" 127.0.0.1

# --append-output: both runs kept; without it, truncated.
: >"$log"
for i in 1 2; do
	"$svd" -Pn -n -p "$port" --append-output -oN "$tmp/app.nmap" -oX "$tmp/app.xml" \
		127.0.0.1 >/dev/null 2>"$tmp/app$i.err" || bad "append $i: exit $?"
done
[ "$(grep -c '^# svdetect .* scan initiated' "$tmp/app.nmap")" -eq 2 ] ||
	bad "append: the normal file does not hold both runs"
[ "$(grep -c '<nmaprun ' "$tmp/app.xml")" -eq 2 ] || bad "append: the XML does not hold both runs"
grep -q 'WARNING: appending a second XML document' "$tmp/app1.err" &&
	bad "append: a warning for a new XML file"
grep -q 'WARNING: appending a second XML document to .*app.xml' "$tmp/app2.err" ||
	bad "append: no warning for XML appended to: $(cat "$tmp/app2.err")"
"$svd" -Pn -n -p "$port" -oN "$tmp/app.nmap" 127.0.0.1 >/dev/null 2>&1
[ "$(grep -c '^# svdetect .* scan initiated' "$tmp/app.nmap")" -eq 1 ] ||
	bad "no --append-output: the normal file was not truncated"

[ $fail -eq 0 ] || exit 1
echo "resume: from normal, grepable and JSON files, the hosts finished are not scanned again and the union is an uninterrupted run's; bad files refused; --append-output appends"
