#!/bin/sh
# -T2 and --max-probes-ahead 0 on a real port send Nmap's probes only: a
# server whose banner comes 700 ms after the connection (tests/hostile_server
# latebanner) gets probes ahead and a TLS pass beside at -T3, 300 ms into
# the silence, and none of them at -T2 or with --max-probes-ahead 0 (the
# --version-trace lines); the answer is the same (ssh).
. "${top_srcdir:?}/tests/hostile-common.sh"

start_server --lifetime 60 --delay 700 latebanner
port=$(ports_of latebanner)

# run NAME ARGS...: the port's scan, normal output and trace kept.
run() {
	name=$1
	shift
	timeout -k 5 60 "$svd" -n -Pn -p "$port" --version-trace "$@" 127.0.0.1 \
		>"$tmp/$name.out" 2>"$tmp/$name.trace" || bad "$name: exit $?"
	grep -Eq 'Sanitizer|runtime error:' "$tmp/$name.trace" && bad "$name: sanitizer report"
	grep -Eq "^$port/tcp +open +ssh +OpenSSH" "$tmp/$name.out" ||
		bad "$name: not ssh: $(cat "$tmp/$name.out")"
}

ahead() { grep -c -e '\[ahead\]' -e 'TLS beside' "$tmp/$1.trace"; }

run t3 -T3
[ "$(ahead t3)" -gt 0 ] || bad "t3: nothing sent ahead: the test shows nothing"
run t2 -T2
[ "$(ahead t2)" -eq 0 ] || bad "t2: sent ahead: $(grep -e ahead -e TLS "$tmp/t2.trace")"
run none --max-probes-ahead 0
[ "$(ahead none)" -eq 0 ] || bad "none: sent ahead: $(grep -e ahead -e TLS "$tmp/none.trace")"
run one -T2 --max-probes-ahead 1
[ "$(grep -c '\[ahead\]' "$tmp/one.trace")" -eq 1 ] || bad "one: not exactly one probe ahead"

[ $fail -eq 0 ] || exit 1
echo "politeness: -T2 and --max-probes-ahead 0 send no probe ahead; -T3 does; --max-probes-ahead 1 one"
