#!/bin/sh
# Escaping everywhere: response bytes reach no terminal, log or file raw.
# tests/hostile_server's evilbanner sends an OpenSSH banner whose revision
# (copied into the version by the match line) holds ESC ] 0;pwned BEL,
# ESC [2J, CSI (0x9b), DEL, BS and bytes >= 0x80; its garbage port sends
# random bytes (CR, NUL and every other byte) that end up in a fingerprint.
# Both are scanned with every output (-oN -oX -oG -oJ, and normal output
# on stdout) and with every trace and debug line (--version-trace -d), and
# a target file holding a terminal escape is read; no output, trace or
# message may hold a byte outside printable ASCII other than newline and
# tab, and the hostile version must have reached each of them (escaped).
. "${top_srcdir:?}/tests/hostile-common.sh"

start_server --lifetime 60 evilbanner garbage
ports=$(ports_of evilbanner),$(ports_of garbage)

# raw FILE: how many bytes of FILE are neither printable ASCII, \n nor \t.
raw() { LC_ALL=C tr -d '\n\t\040-\176' <"$1" | wc -c; }

check() { # FILE WHAT [MUST-SHOW-pwned]
	n=$(raw "$1")
	if [ "$n" -ne 0 ]; then
		bad "$2: $n raw control or non-ASCII bytes"
		LC_ALL=C grep -an 'pwned' "$1" | od -c | head -n 8
	fi
	if [ "${3:-}" = yes ] && ! grep -q 'pwned' "$1"; then
		bad "$2: the hostile version is not there at all"
	fi
}

run() { # NAME ARGS...: a scan with the trace and debugging on stderr
	name=$1
	shift
	timeout -k 5 60 "$svd" -n -d --version-trace -p "$ports" "$@" 127.0.0.1 \
		>"$tmp/$name.stdout" 2>"$tmp/$name.stderr"
	rc=$?
	[ $rc -eq 0 ] || bad "$name: exit $rc"
	if grep -Eq 'Sanitizer|runtime error:' "$tmp/$name.stderr"; then
		bad "$name: sanitizer report"; head -n 40 "$tmp/$name.stderr"
	fi
}

# The files' names hold a terminal escape too: every output's header
# shows the command line.
esc=$(printf '\033]0;pwned\007')
run files -oN "$tmp/out$esc.nmap" -oX "$tmp/out$esc.xml" -oG "$tmp/out$esc.gnmap" \
	-oJ "$tmp/out$esc.json"
for f in nmap xml gnmap json; do
	mv "$tmp/out$esc.$f" "$tmp/out.$f" || bad "-o of a file name with an escape: no file"
done
check "$tmp/out.nmap" "-oN" yes
check "$tmp/out.xml" "-oX" yes
check "$tmp/out.gnmap" "-oG" yes
check "$tmp/out.json" "-oJ" yes
grep -q 'out\\x1b\]0;pwned\\x07\.nmap' "$tmp/out.nmap" ||
	bad "-oN: the command line in the header is not there, escaped"
check "$tmp/files.stderr" "--version-trace and -d (stderr)" yes
grep -q 'SF-Port' "$tmp/out.nmap" || bad "-oN: the garbage port's fingerprint is missing"

run terminal
check "$tmp/terminal.stdout" "normal output on stdout" yes
check "$tmp/terminal.stderr" "--version-trace and -d (stderr), terminal run" yes

# A target name from a file, in an error message (a bad prefix: rejected
# before any name lookup).
printf '127.0.0.1\n\033]0;pwned\007/99\n' >"$tmp/targets"
"$svd" -n -iL "$tmp/targets" >/dev/null 2>"$tmp/targets.err"
[ $? -eq 2 ] || bad "-iL with a hostile name: not a usage error"
check "$tmp/targets.err" "-iL error message" yes
# ... and a bare name, which must not reach the outputs as it is.
printf '\033]0;pwned\007\n' >"$tmp/targets"
"$svd" -n -iL "$tmp/targets" >/dev/null 2>"$tmp/targets.err"
[ $? -eq 2 ] || bad "-iL with a hostile host name: not a usage error"
check "$tmp/targets.err" "-iL error message for a host name" yes
grep -q 'not a host name' "$tmp/targets.err" || bad "-iL hostile host name: wrong message"

[ $fail -eq 0 ] && echo "PASS: escaping"
exit $fail
