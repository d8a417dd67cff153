#!/bin/sh
# --exclude and --excludefile on real scans: tests/accept_log.py listens on
# the same port of 127.0.0.1-6 (and ::1) and logs every connection it
# accepts.  An excluded address must get none and appear in no output; a
# target list wholly excluded scans nothing (exit 0, "0 IP addresses", a
# warning on stderr, as Nmap); a bad exclusion is refused (exit 2) before
# any traffic.
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
. "${top_srcdir:?}/tests/hostile-common.sh"

log=$tmp/accepts
: >"$log"

# run NAME ARGS...: a scan of the listener's port, grepable out; sets rc.
run() {
	name=$1
	shift
	: >"$log"
	timeout -k 5 60 "$svd" -n -p "$port" -oG "$tmp/$name.gnmap" "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	grep -Eq 'Sanitizer|runtime error:' "$tmp/$name.err" && bad "$name: sanitizer report"
}

words() { paste -sd ' ' -; } # lines -> one line, space-separated

# expect NAME "ADDR..." : exit 0, exactly these hosts reported (grepable)
# and connected to, each at least once.
expect() {
	[ $rc -eq 0 ] || bad "$1: exit $rc: $(cat "$tmp/$1.err")"
	got=$(sed -n 's/^Host: \([^ ]*\) .*Ports:.*/\1/p' "$tmp/$1.gnmap" | sort -u | words)
	[ "$got" = "$2" ] || bad "$1: hosts reported '$got', expected '$2'"
	got=$(sort -u "$log" | words)
	[ "$got" = "$2" ] || bad "$1: connections accepted on '$got', expected '$2'"
}

start_listener v4 127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5 127.0.0.6

# Every form at once: a list with a range, a file with a CIDR block,
# comments and a commented-out address (which stays a target).
printf '# not scanned:\n127.0.0.6/32   # the last\n\t# 127.0.0.3\n' >"$tmp/excl"
run forms --exclude 127.0.0.2,127.0.0.4-5 --excludefile "$tmp/excl" 127.0.0.1-6
expect forms "127.0.0.1 127.0.0.3"
grep -q "^$port/tcp  *open  *ssh  *OpenSSH 9.2p1" "$tmp/forms.out" ||
	bad "forms: the scanned hosts' service is not in normal output: $(cat "$tmp/forms.out")"
grep -Eq '(report for|Host:) 127\.0\.0\.[2456]' "$tmp/forms.out" "$tmp/forms.gnmap" &&
	bad "forms: an excluded address is in the output"

run cidr --exclude 127.0.0.0/30 127.0.0.1-6
expect cidr "127.0.0.4 127.0.0.5 127.0.0.6"
run octets --exclude '127.0.0.*' 127.0.0.3 127.0.0.5
expect octets ""
run name --exclude localhost 127.0.0.1-2
expect name "127.0.0.2"

# All excluded: Nmap's "0 IP addresses" and its warning, no traffic.
run all --exclude 127.0.0.0/8 127.0.0.1-6
[ $rc -eq 0 ] || bad "all: exit $rc, expected 0 (a scan of no host)"
[ -s "$log" ] && bad "all: connections accepted: $(sort -u "$log" | tr '\n' ' ')"
grep -q '0 IP addresses (0 hosts up)' "$tmp/all.out" || bad "all: no '0 IP addresses': $(cat "$tmp/all.out")"
grep -q 'WARNING: .*0 hosts scanned' "$tmp/all.err" || bad "all: no warning on stderr"

# A bad exclusion stops everything: nothing scanned, exit 2.
run badspec --exclude 127.0.0.2,127.0.0.300 127.0.0.1-3
[ $rc -eq 2 ] || bad "badspec: exit $rc, expected 2"
grep -q "bad target '127.0.0.300'" "$tmp/badspec.err" || bad "badspec: message '$(cat "$tmp/badspec.err")'"
[ -s "$log" ] && bad "badspec: connections accepted"

if grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; then
	start_listener v6 ::1
	run v6 -6 --exclude ::1/128 ::1
	[ $rc -eq 0 ] || bad "v6: exit $rc"
	[ -s "$log" ] && bad "v6: connections accepted on ::1, excluded"
	run v6other -6 --exclude ::2 ::1
	expect v6other "::1"
else
	echo "note: no ::1 here: the IPv6 form is not tested"
fi

[ $fail -eq 0 ] || exit 1
echo "exclusions: excluded addresses never connected to nor reported (list, range, CIDR, octets, name, file, IPv6)"
