# shellcheck shell=sh
# shellcheck disable=SC2034 # svd and fail are for the scripts that source this
# Sourced by the tests that run tests/hostile_server: a temporary
# directory and the servers, all gone at exit; bad() marks the test failed;
# start_server ARGS... runs a server and waits (bounded) for its "ready"
# (it may be called again for another server: the port list is the last's);
# ports_of BEHAVIOUR and field LINE KEY read its ports and JSON fields;
# start_listener runs tests/accept_log.py, which logs connections to $log;
# until_in waits (bounded) for a line in a file.
: "${top_srcdir:?}" "${top_builddir:?}"
svd=$top_builddir/svdetect
srv=$top_builddir/tests/hostile_server
[ -x "$srv" ] || { echo "FAIL: $srv not built"; exit 99; }

tmp=$(mktemp -d) || exit 99
srv_pids=
cleanup() {
	# shellcheck disable=SC2086 # one word per server
	[ -n "$srv_pids" ] && kill $srv_pids 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# Its port list goes to $tmp/ports, its stderr to $tmp/server.err.
start_server() {
	rm -f "$tmp/ports" # not the last server's "ready"
	"$srv" "$@" >"$tmp/ports" 2>"$tmp/server.err" &
	srv_pid=$!
	srv_pids="$srv_pids $srv_pid"
	i=0
	until grep -q '^ready$' "$tmp/ports" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$srv_pid" 2>/dev/null; then
			echo "FAIL: hostile_server did not start"; cat "$tmp/server.err"; exit 99
		fi
		sleep 0.1
	done
}

ports_of() { awk -v b="$1" '$1 == b { print $2 }' "$tmp/ports"; }

field() { # LINE KEY: a string field of the port, empty when null
	# The "tls" object, the line's last, has keys of its own ("version").
	printf '%s\n' "$1" | sed 's/,"tls":{.*/}/' | sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p"
}

# "1,5-7" -> one port a line
expand() {
	echo "$1" | tr ',' '\n' | awk -F- '{ for (p = $1; p <= ($2 ? $2 : $1); p++) print p }'
}

# The probe file compiled into svdetect (its source, or our own set's).
probe_file() {
	f=$("$svd" --version | sed -n 's/^signatures [^ ]* (default): \([^,]*\),.*/\1/p')
	[ -r "$f" ] || f=$top_srcdir/signatures/svdetect-service-probes
	echo "$f"
}

# scan NAME PORTS: svdetect's defaults on 127.0.0.1, JSON and XML out, the
# trace on stderr with the time of each line (seconds) in front; wall
# time, peak RSS, user and system CPU in NAME.time.  Its status is scan's.
scan() {
	{
		/usr/bin/time -f '%e %M %U %S' -o "$tmp/$1.time" timeout -k 5 120 \
			"$svd" -n -p "$2" --version-trace -oJ "$tmp/$1.json" -oX "$tmp/$1.xml" \
			127.0.0.1 2>&1 >"$tmp/$1.out"
		echo $? >"$tmp/$1.rc"
	} | perl -MTime::HiRes=time -ne '$| = 1; printf "%.3f %s", time, $_' >"$tmp/$1.err"
	return "$(cat "$tmp/$1.rc")"
}
# scanned NAME STATUS: the checks every scan passes.
scanned() {
	[ "$2" -eq 0 ] || bad "$1 scan: exit $2 (124: timed out)"
	if grep -Eq 'Sanitizer|runtime error:' "$tmp/$1.err"; then
		bad "$1 scan: sanitizer report"
		grep -E -A 20 'Sanitizer|runtime error:' "$tmp/$1.err" | head -n 60
	fi
}
run() { scan "$1" "$2"; scanned "$1" $?; }

# run_bounded NAME SECONDS ARGS...: svdetect -n ARGS, killed after
# SECONDS; its stdout in NAME.out, its stderr in NAME.err, its wall time
# in whole seconds in NAME.secs.  An exit other than 0 or a sanitizer
# report fails the test.
run_bounded() {
	name=$1 secs=$2
	shift 2
	t0=$(date +%s)
	timeout -k 5 "$secs" "$svd" -n "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	echo $(($(date +%s) - t0)) >"$tmp/$name.secs"
	[ $rc -eq 0 ] || bad "$name: exit $rc (124: timed out): $(head -c 600 "$tmp/$name.err")"
	if grep -Eq 'Sanitizer|runtime error:' "$tmp/$name.err"; then
		bad "$name: sanitizer report"
		head -n 40 "$tmp/$name.err"
	fi
}

# A scan's JSON line for a port.
line_of() { grep "\"port\":$2," "$tmp/$1.json"; }
# The %r(PROBE,HEXLEN, entries of a port's fingerprint, one a line.
responses() { printf '%s\n' "$1" | grep -o '%r([A-Za-z0-9_-]*,[0-9A-F]*,' | sed 's/^%r(//; s/,$//'; }
# probes_to PORT [SCAN]: the probes the trace shows were sent to it, in
# order, each time; sent_to: once each.
probes_to() {
	sed -n "s/^[0-9.]* Service scan sending probe \\([^ ]*\\) to 127\\.0\\.0\\.1:$1 (.*/\\1/p" \
		"$tmp/${2:-hostile}.err"
}
sent_to() { probes_to "$@" | awk '!seen[$0]++'; }

# wall_bound SCAN PORTS TUNNEL_MS: "OURS NMAP", the most time (ms) the
# probes the trace shows sent to any one of PORTS may take, by svdetect's
# rule and one after the other (Nmap's), before connects and load.
# svdetect sends up to 7 probes ahead of their turn while the NULL probe
# waits and 6 after it (docs/scanner.md): whatever Nmap's order, a pass
# from a NULL probe takes at most wait(NULL) plus the ceil(k/7) longest
# waits of its k other probes.  Each NULL probe starts a pass (the SSL
# tunnel's rescan is a second one).  TUNNEL_MS > 0: each of these ports may
# be tried through TLS, each connection of the later passes and two more
# (a handshake that fails, the TLS facts' one) taking up to TUNNEL_MS to
# connect; one connection per group of probes sent together.  A port
# nothing named then gets the SunRPC grinder's check, one RPC call
# awaited at most Nmap's socket wait for the host (docs/scanner.md,
# "SunRPC grinder"): 2285 ms before any RTT is known, 1000 ms on loopback.
wall_bound() {
	probes=$(probe_file) wb_scan=$1 wb_ports=$2 wb_tunnel=$3
	bound=0 serial=0
	for p in $(expand "$wb_ports"); do
		# shellcheck disable=SC2046 # two words
		set -- $(probes_to "$p" "$wb_scan" | awk -v f="$probes" -v tunnel="$wb_tunnel" '
			BEGIN {
				while ((getline l < f) > 0) {
					split(l, w, " ")
					if (w[1] == "Probe") { tcp = w[2] == "TCP"; name = w[3]; if (tcp) wait[name] = 5000 }
					else if (w[1] == "totalwaitms" && tcp) wait[name] = w[2]
				}
			}
			function pass_end(   i, j, t, g) {
				for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
					if (ws[j] > ws[i]) { t = ws[i]; ws[i] = ws[j]; ws[j] = t }
				# and one probe silent ahead sent again in its turn,
				# before the port is taken as silent (docs/scanner.md)
				g = int((k + 6) / 7) + 1
				if (g > k) g = k
				for (i = 1; i <= g; i++) ours += ws[i]
				if (passes > 1) groups += g + 1
				k = 0
				delete seen
			}
			$1 == "NULL" { if (passes++) pass_end(); ours += wait[$1]; serial += wait[$1]; next }
			!seen[$1]++ { ws[++k] = wait[$1]; serial += wait[$1] }
			END {
				pass_end()
				if (tunnel > 0) ours += (groups + 2) * tunnel
				print ours + 0, serial + 0
			}')
		[ "$1" -gt "$bound" ] && bound=$1
		[ "$2" -gt "$serial" ] && serial=$2
	done
	echo "$((bound + 2285)) $serial"
}

# program_kb: sets code_kb, the matchers' code and tables that matching
# may page in (text and data of the binary, from size(1)), and asan_kb,
# what ASan adds to a scan's peak RSS (the buffers' shadow, redzones and
# quarantine: 32 MB; asan_note says so), 0 without it.
program_kb() {
	code_kb=$(size "$svd" 2>/dev/null | awk 'NR == 2 { printf "%d", ($1 + $2) / 1024 }')
	[ -n "$code_kb" ] || code_kb=$(($(wc -c <"$svd") / 1024))
	asan_kb=0 asan_note=
	if nm "$svd" 2>/dev/null | grep -q ' __asan_init'; then
		asan_kb=32768 asan_note=" + $asan_kb ASan"
	fi
}

# stop_server: the last server is still up, and stops cleanly, with no
# sanitizer report.
stop_server() {
	if kill -0 "$srv_pid" 2>/dev/null; then
		kill "$srv_pid"
		wait "$srv_pid" || bad "hostile_server exited $? when stopped"
	else
		bad "hostile_server died"
	fi
	srv_pid='' srv_pids=''
	if grep -Eq 'Sanitizer|runtime error:' "$tmp/server.err"; then
		bad "hostile_server: sanitizer report"
		head -n 40 "$tmp/server.err"
	fi
}

# fail_with SCAN: after a failure, the scan's normal output and its trace
# but for the probes sent; exit 1.  Nothing without a failure.
fail_with() {
	[ $fail -eq 0 ] && return
	echo "--- $1 scan, normal output"
	cat "$tmp/$1.out"
	echo "--- stderr (trace)"
	grep -v '^[0-9.]* Service scan sending' "$tmp/$1.err" | head -n 40
	exit 1
}

# start_listener NAME [--slow ADDR:SECONDS] ADDR...: tests/accept_log.py on
# one port of every ADDR, each connection logged to $log; sets port.
start_listener() {
	out=$tmp/listener-$1
	shift
	slow=
	if [ "$1" = --slow ]; then
		slow="--slow $2"
		shift 2
	fi
	# shellcheck disable=SC2086,SC2154 # slow: empty or two words; log: the caller's
	python3 "$top_srcdir/tests/accept_log.py" $slow "$log" 120 "$@" >"$out" 2>"$out.err" &
	srv_pids="$srv_pids $!"
	i=0
	until grep -q '^ready$' "$out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 100 ] || { echo "FAIL: listener did not start"; cat "$out.err"; exit 99; }
		sleep 0.1
	done
	port=$(sed -n 's/^port //p' "$out")
}

# shellcheck source=until-in.sh
. "$top_srcdir/tests/until-in.sh"
