#!/bin/sh
# --top-ports N chooses Nmap's ports: for N = 1000, 100, 10 and 1, the
# scaninfo "services" of svdetect's XML must be the one Debian's nmap
# writes for the same N, both reading the installed nmap-services.  Each
# tool makes a connect scan of 127.0.0.2 in a network namespace of the
# test's own (every port closed, nothing else reached).  Skipped (77)
# without nmap or a namespace.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/netns-common.sh"
command -v nmap >/dev/null 2>&1 || { echo "SKIP: nmap not installed"; exit 77; }
svd=$top_builddir/svdetect
services() { # COMMAND...: the services attribute of its XML on stdout
	"$@" -oX - 127.0.0.2 2>/dev/null | sed -n 's/.*<scaninfo .* services="\([^"]*\)".*/\1/p'
}
fail=0
for n in 1000 100 10 1; do
	want=$(services timeout 120 nmap -sT -Pn -n --top-ports "$n")
	got=$(services timeout 120 "$svd" -n --top-ports "$n")
	if [ -z "$want" ]; then
		echo "FAIL: top $n: nmap wrote no scaninfo"
		fail=1
	elif [ "$got" != "$want" ]; then
		printf 'FAIL: top %s differ:\n  svdetect %s\n  nmap     %s\n' "$n" "$got" "$want"
		fail=1
	else
		echo "top $n: the same list as nmap ($(printf '%s' "$want" | awk -F, '{ print NF }') ranges)"
	fi
done
exit $fail
