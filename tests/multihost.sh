#!/bin/sh
# Many hosts, more than the engine's window of active hosts, the first of
# them slow: every host must be scanned and reported exactly once, in
# order, with its exact port states, whatever the parallelism and the
# open-file limit.  (The engine once stopped after the first window when
# its oldest host finished last: `svdetect 127.0.0.1-20` scanned 5 hosts,
# called the rest down and exited 0.)
#
# In a network namespace of its own (tests/netns-common.sh), at svdetect's
# defaults but for what each run varies:
#   127.0.0.10       slow: port 22 sends an SSH banner only after 1 s
#                    (hostile_server latebanner), so the NULL probe waits
#                    and the host finishes after every host behind it;
#   127.0.0.11-13    port 22 an SSH banner at once (banner), port 80
#                    closes at once (halfclose: tcpwrapped);
#   the others       refuse every port.
# Each host's grepable line must give exactly: its open ports with their
# service names, and the number of closed ports (listed or summed up).
. "${top_srcdir:?}/tests/netns-common.sh"
. "${top_srcdir:?}/tests/hostile-common.sh"
command -v timeout >/dev/null 2>&1 || { echo "SKIP: timeout not installed"; exit 77; }

start_server --lifetime 300 --delay 1000 --addrs 127.0.0.10:1 latebanner=22
start_server --lifetime 300 --addrs 127.0.0.11:3 banner=22 halfclose=80

# expect FIRST LAST NPORTS: "ADDR OPEN-PORTS CLOSED-COUNT" for hosts
# 127.0.0.FIRST..LAST, all NPORTS ports scanned, 22 and 80 among them.
expect() {
	i=$1
	while [ "$i" -le "$2" ]; do
		case $i in
		10) echo "127.0.0.$i 22:ssh, $(($3 - 1))" ;;
		11 | 12 | 13) echo "127.0.0.$i 22:ssh,80:tcpwrapped, $(($3 - 2))" ;;
		*) echo "127.0.0.$i - $3" ;;
		esac
		i=$((i + 1))
	done
}

# The same from a grepable file: one line per "Ports:" line.
got() {
	awk -F '\t' '$2 ~ /^Ports: / {
		split($1, a, " "); ports = substr($2, 8); open = ""; closed = 0
		n = split(ports, e, ", ")
		for (k = 1; k <= n; k++) {
			split(e[k], f, "/")
			if (f[2] == "open") open = open f[1] ":" f[5] ","
			else if (f[2] == "closed") closed++
			else open = open f[1] ":" f[2] ","
		}
		if ($3 ~ /^Ignored State: closed \(/) { c = $3; gsub(/[^0-9]/, "", c); closed += c }
		print a[2], (open == "" ? "-" : open), closed
	}' "$1"
}

# run NAME LIMIT HOSTS-LAST PORTS NPORTS ARGS...: scan 127.0.0.10-LAST under
# `ulimit -n LIMIT` (- for none) and check every host's line.
run() {
	name=$1 limit=$2 last=$3 ports=$4 nports=$5
	shift 5
	(
		# shellcheck disable=SC3045 # dash's and bash's sh have ulimit -n
		[ "$limit" = - ] || ulimit -n "$limit" || exit 99
		# shellcheck disable=SC2086 # $ports: no word, or -p and its list
		exec timeout -k 5 60 "$svd" -n $ports "$@" -oG "$tmp/$name.gnmap" "127.0.0.10-$last"
	) >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	[ $rc -eq 0 ] || bad "$name: exit $rc (124: timed out): $(head -c 600 "$tmp/$name.err")"
	if grep -Eq 'Sanitizer|runtime error:|not scanned' "$tmp/$name.err"; then
		bad "$name: stderr says:"
		head -n 30 "$tmp/$name.err"
	fi
	expect 10 "$last" "$nports" >"$tmp/$name.expected"
	got "$tmp/$name.gnmap" >"$tmp/$name.got"
	if ! cmp -s "$tmp/$name.expected" "$tmp/$name.got"; then
		bad "$name: hosts and ports differ from what the servers make (expected, got):"
		diff "$tmp/$name.expected" "$tmp/$name.got" | head -n 20
	fi
	n=$(grep -c 'Status: Up' "$tmp/$name.gnmap")
	[ "$n" -eq $((last - 9)) ] || bad "$name: $n hosts up, expected $((last - 9))"
}

# Nmap's top 1000 ports on 8 hosts: the default window is 5 hosts.
run default - 17 "" 1000
# 100 ports on 24 hosts, whatever the parallelism and descriptors.
for limit in 24 64 256; do
	run "ulimit$limit" "$limit" 33 "-p 1-100" 100
done
for t in 2 3 4 5; do
	run "T$t" - 33 "-p 1-100" 100 "-T$t"
done
for par in 1 4; do
	run "parallelism$par" - 33 "-p 1-100" 100 --max-parallelism "$par"
done

[ $fail -eq 0 ] || exit 1
echo "multihost: every host of every run scanned once, in order, with its exact port states"
