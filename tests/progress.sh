#!/bin/sh
# What an Nmap user sees while a scan of 127.0.0.1 runs (docs/output.md,
# "Latency" and "Progress"), on four ports that each send an SSH banner
# only 1.5 s after accepting (tests/hostile_server latebanner), scanned one
# socket at a time (--max-parallelism 1) so that the scan lasts about 6 s:
#   - latency: "Host is up (Ns latency)." with 0 < N < 1; XML <times> with
#     numeric srtt, rttvar and to, srtt the JSON's srtt_us and N that
#     srtt in seconds to two significant digits;
#   - -v: Nmap's task lines on stdout, before the report, in the order the
#     scan does things: "Initiating Connect Scan at HH:MM", "Scanning
#     127.0.0.1 [4 ports]", one "Discovered open port P/tcp on 127.0.0.1"
#     per port, "Initiating Service scan" after the first of these,
#     "Completed Connect Scan at HH:MM, S.SSs elapsed (4 total ports)" after
#     the last, then "Completed Service scan ... (4 services on 1 host)";
#     none of them without -v; with -oX - they go to stderr, stdout is
#     the XML alone;
#   - --stats-every 1s: at least 3 "Stats: H:MM:SS elapsed; N hosts
#     completed (N up), N undergoing Connect|Service Scan" lines, each
#     followed by "TASK Timing: About P% done[; ETC: HH:MM (H:MM:SS
#     remaining)]"; each task's P never falls, and grows;
#   - Enter on a terminal (python3's pty) prints those two lines too.
for tool in timeout python3 xmllint; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
. "${top_srcdir:?}/tests/hostile-common.sh"

start_server --lifetime 120 --delay 1500 latebanner:4
ports=$(ports_of latebanner)
nports=$(expand "$ports" | wc -l)
[ "$nports" -eq 4 ] || { echo "FAIL: hostile_server gave $nports ports"; exit 99; }

# svd NAME ARGS...: a scan of 127.0.0.1's four ports; stdout, stderr and
# status in $tmp/NAME.{out,err,rc}.
svd() {
	name=$1
	shift
	timeout -k 5 60 "$svd" -n -p "$ports" "$@" 127.0.0.1 >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
	[ "$(cat "$tmp/$name.rc")" -eq 0 ] || bad "$name: exit $(cat "$tmp/$name.rc")"
	if grep -Eq 'Sanitizer|runtime error:' "$tmp/$name.err"; then
		bad "$name: sanitizer report"; head -n 40 "$tmp/$name.err"
	fi
}

svd slow -v --max-parallelism 1 --stats-every 1s -oX "$tmp/slow.xml" -oJ "$tmp/slow.json"

# --- Latency -------------------------------------------------------------------
latency=$(sed -n 's/^Host is up (\([0-9.]*\)s latency)\.$/\1/p' "$tmp/slow.out")
times=$(grep -o '<times [^>]*/>' "$tmp/slow.xml")
srtt=$(printf '%s\n' "$times" | sed -n 's/.* srtt="\([0-9]*\)".*/\1/p')
rttvar=$(printf '%s\n' "$times" | sed -n 's/.* rttvar="\([0-9]*\)".*/\1/p')
to=$(printf '%s\n' "$times" | sed -n 's/.* to="\([0-9]*\)".*/\1/p')
json_srtt=$(sed -n 's/.*"type":"host".*"srtt_us":\([0-9]*\),.*/\1/p' "$tmp/slow.json")
if [ -z "$latency" ] || [ -z "$srtt" ] || [ -z "$rttvar" ] || [ -z "$to" ]; then
	bad "no latency ('$latency') or no numeric <times> ('$times')"
else
	# Two significant digits are within 5% of srtt.
	awk -v l="$latency" -v s="$srtt" -v t="$to" 'BEGIN {
		exit !(l > 0 && l < 1 && s > 0 && t > s && l * 1e6 >= 0.95 * s - 1 &&
		       l * 1e6 <= 1.05 * s + 1)
	}' || bad "latency ${latency}s not plausible or not srtt=$srtt us (to=$to)"
	[ "$json_srtt" = "$srtt" ] || bad "JSON srtt_us '$json_srtt', XML srtt $srtt"
fi
xmllint --noout "$tmp/slow.xml" || bad "slow.xml is not well-formed"

# --- -v: the task lines, in order ----------------------------------------------
# at PATTERN: the first line of slow.out matching it, 0 if none.
at() { grep -n -E -m 1 "$1" "$tmp/slow.out" | cut -d: -f1 | grep . || echo 0; }
hhmm='[0-2][0-9]:[0-5][0-9]'
init_connect=$(at "^Initiating Connect Scan at $hhmm\$")
scanning=$(at '^Scanning 127\.0\.0\.1 \[4 ports\]$')
first_open=$(at '^Discovered open port [0-9]+/tcp on 127\.0\.0\.1$')
init_service=$(at "^Initiating Service scan at $hhmm\$")
last_open=$(grep -n -E '^Discovered open port [0-9]+/tcp on 127\.0\.0\.1$' "$tmp/slow.out" |
	tail -n 1 | cut -d: -f1)
done_connect=$(at "^Completed Connect Scan at $hhmm, [0-9]+\\.[0-9]{2}s elapsed \\(4 total ports\\)\$")
done_service=$(at "^Completed Service scan at $hhmm, [0-9]+\\.[0-9]{2}s elapsed \\(4 services on 1 host\\)\$")
report=$(at '^svdetect scan report for 127\.0\.0\.1$')
for p in $(expand "$ports"); do
	[ "$(grep -c "^Discovered open port $p/tcp on 127\\.0\\.0\\.1\$" "$tmp/slow.out")" -eq 1 ] ||
		bad "-v: not exactly one 'Discovered open port $p/tcp'"
done
if ! [ "$init_connect" -gt 0 ] || ! [ "$scanning" -gt "$init_connect" ] ||
	! [ "$first_open" -gt "$scanning" ] || ! [ "$init_service" -gt "$first_open" ] ||
	! [ "$done_connect" -gt "$last_open" ] || ! [ "$done_service" -gt "$done_connect" ] ||
	! [ "$report" -gt "$done_service" ]; then
	bad "-v: task lines missing or out of order (lines $init_connect $scanning $first_open" \
		"$init_service $last_open $done_connect $done_service $report)"
fi

# --- --stats-every: the status lines -------------------------------------------
# check_status NAME MIN: NAME.out's Stats lines (at least MIN) each followed
# by a timing line of Nmap's shape; each task's percent never falls.  Prints
# how many times some task's percent grew; what is wrong goes to stderr.
check_status() {
	awk -v min="$2" '
		function fail(msg) { print "FAIL: " msg >"/dev/stderr"; failed = 1 }
		expect_timing {
			expect_timing = 0
			if ($0 !~ /^(Connect Scan|Service scan) Timing: About [0-9]+\.[0-9][0-9]% done(; ETC: [0-2][0-9]:[0-5][0-9] \([0-9]+:[0-5][0-9]:[0-5][0-9] remaining\))?$/) {
				fail("not a timing line after Stats: " $0)
				next
			}
			task = $1; p = $0
			sub(/.*About /, "", p); sub(/%.*/, "", p)
			if (task in last && p + 0 < last[task]) fail(task " fell from " last[task] "% to " p "%")
			if (task in last && p + 0 > last[task]) grew++
			last[task] = p + 0
			next
		}
		/^Stats:/ {
			stats++
			if ($0 !~ /^Stats: [0-9]+:[0-5][0-9]:[0-5][0-9] elapsed; [0-9]+ hosts completed \([0-9]+ up\), [0-9]+ undergoing (Connect|Service) Scan$/)
				fail("bad Stats line: " $0)
			expect_timing = 1
		}
		END {
			if (stats < min) fail(stats + 0 " Stats lines, fewer than " min)
			print grew + 0
			exit failed
		}' "$tmp/$1.out"
}
grew=$(check_status slow 3) || bad "--stats-every: status lines above"
[ "$grew" -gt 0 ] || bad "--stats-every: no task's percent grew"

# --- Without -v; -v with the XML on stdout ---------------------------------------
svd quiet
grep -E '^(Initiating|Completed|Discovered|Scanning|Stats:)' "$tmp/quiet.out" &&
	bad "without -v: task lines on stdout"
grep -q '^Host is up (' "$tmp/quiet.out" || bad "without -v: no latency"
svd xml -v -oX -
xmllint --noout "$tmp/xml.out" || bad "-v -oX -: stdout is not the XML alone"
[ "$(grep -c '^Discovered open port' "$tmp/xml.err")" -eq 4 ] ||
	bad "-v -oX -: the Discovered lines are not on stderr"

# --- Enter on a terminal ---------------------------------------------------------
python3 - "$svd" "$ports" "$tmp/key.out" <<'EOF' || bad "Enter: the scan under a pty failed"
import os, subprocess, sys, time
svd, ports, out = sys.argv[1:]
master, slave = os.openpty()
with open(out, "w") as f:
    p = subprocess.Popen([svd, "-n", "-p", ports, "127.0.0.1"], stdin=slave, stdout=f)
    time.sleep(0.7)
    os.write(master, b"\n")
    sys.exit(p.wait(timeout=60))
EOF
check_status key 1 >/dev/null || bad "Enter: no status lines of Nmap's shape"

if [ $fail -ne 0 ]; then
	echo "--- slow scan's stdout"
	cat "$tmp/slow.out"
	echo "--- its stderr"
	head -n 20 "$tmp/slow.err"
	exit 1
fi
echo "PASS: latency ${latency}s (srtt $srtt us, rttvar $rttvar, to $to), -v lines, status lines"
