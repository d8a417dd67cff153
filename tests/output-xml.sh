#!/bin/sh
# The XML of the sample scans (tests/output_samples.h, "tls" with
# --tls-info's ssl-cert elements) must be valid
# against Nmap's nmap.dtd, and Debian's ndiff must read it: against itself
# it finds nothing, against Nmap 7.93's own XML of the same scan
# (nmap-7.93.xml; nmap-7.93-rpc.xml for "rpc") only the scanner line
# differs ("Nmap svdetect 0.1"),
# and against the --open sample it reports exactly
# ndiff-basic-open.expected.
: "${top_srcdir:?}" "${top_builddir:?}"
dtd=${NMAP_DTD:-/usr/share/nmap/nmap.dtd}
for tool in xmllint ndiff; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
[ -r "$dtd" ] || { echo "SKIP: no $dtd"; exit 77; }

data=$top_srcdir/tests/data/output
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

for s in basic mixed open tls rpc; do
	"$top_builddir/tests/output_sample" "$data" "$s" xml >"$tmp/$s.xml" || exit 99
	xmllint --noout --dtdvalid "$dtd" "$tmp/$s.xml" || { echo "FAIL: $s.xml is not valid"; fail=1; }
done

# ndiff exits 0 for no difference, 1 for differences, 2 on error.
ndiff "$tmp/basic.xml" "$tmp/basic.xml" >"$tmp/self.out"
rc=$?
if [ $rc -ne 0 ] || [ -s "$tmp/self.out" ]; then
	echo "FAIL: ndiff of basic.xml with itself: exit $rc"; cat "$tmp/self.out"; fail=1
fi

for pair in nmap-7.93:basic nmap-7.93-rpc:rpc; do
	ndiff "$data/${pair%%:*}.xml" "$tmp/${pair##*:}.xml" >"$tmp/nmap.out"
	rc=$?
	# Only the first two lines (the scanners' "scan initiated" lines) may differ.
	if [ $rc -ne 0 ] || [ "$(sed -n '3,$p' "$tmp/nmap.out")" != "" ] ||
	   ! grep -q '^+Nmap svdetect 0\.1 scan initiated .* as: svdetect ' "$tmp/nmap.out"; then
		echo "FAIL: ndiff of Nmap's ${pair%%:*}.xml with ours: exit $rc"; cat "$tmp/nmap.out"; fail=1
	fi
done

ndiff "$tmp/basic.xml" "$tmp/open.xml" >"$tmp/open.out"
rc=$?
if [ $rc -ne 1 ] || ! diff -u "$data/ndiff-basic-open.expected" "$tmp/open.out"; then
	echo "FAIL: ndiff of basic.xml with open.xml: exit $rc"; fail=1
fi

[ $fail -eq 0 ] && echo "XML output: valid against nmap.dtd, read by ndiff as expected"
exit $fail
