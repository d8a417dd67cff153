#!/bin/sh
# tests/scan-compare.sh NMAP.xml SVDETECT.xml NMAP-TRACE [OUTDIR]
#
# Compares svdetect's answer with Nmap's for every port of two XML files
# of the same scan (tests/integration.sh, bench/scan-vs-nmap.sh):
#
#  1. Both files go through tests/integration-normalise.xsl, which applies
#     the documented exceptions (memcached's uptime, the name NSE writes
#     on 1883, the suffix NSE's snmp-info adds to the product of UDP snmp
#     ports on Nmap's side; the reasons are in that file) and, on Nmap's side, puts
#     the more specific answer svdetect must give on the ports where
#     Nmap is unsure (tests/integration-unsure.txt, reasons there).
#     NMAP-TRACE is the output of the Nmap run with --version-trace: the
#     name Nmap's match lines gave port 1883, before its script ran, is
#     read from it.
#  2. tests/integration-ports.xsl makes one line per port of each; every
#     field is compared: state, service, product, version, extrainfo,
#     hostname, ostype, devicetype, tunnel, method, conf, CPE list.
#     Any difference is printed as a table and fails.
#  3. ndiff on the two normalised files must show no difference but the
#     scanner's "scan initiated" line.
#
# OUTDIR (default: a temporary directory, removed) keeps the normalised
# files, the per-port tables (nmap.tsv, svdetect.tsv) and ndiff's output.
# Prints one summary line on success.  Exit 0: the same answers; 1: a
# difference; 99: an error (a tool failed).
set -u
if [ $# -lt 3 ]; then
	echo "usage: $0 NMAP.xml SVDETECT.xml NMAP-TRACE [OUTDIR]" >&2
	exit 99
fi
here=$(cd "$(dirname "$0")" && pwd)
nmap_xml=$1 svd_xml=$2 trace=$3
if [ $# -ge 4 ]; then
	out=$4
	mkdir -p "$out" || exit 99
else
	out=$(mktemp -d) || exit 99
	trap 'rm -rf "$out"' EXIT
fi

# The name of Nmap's last match for 127.0.0.1:1883 in its version trace:
# "Service scan [hard |soft ]match (Probe P matched with ...): ADDR:1883 is
# NAME" and, with version fields, ".  Version: |...|".
mqtt_name=$(sed -n 's/^Service scan \(hard \|soft \)\{0,1\}match (Probe [^)]*): 127\.0\.0\.1:1883 is \([^ ]*\).*$/\2/p' \
	"$trace" | tail -n 1 | sed 's/\.$//')

# " PORT=REFERENCE ... ": the list without its comments, for the XSLT.
unsure=" $(sed -e 's/#.*//' "$here/integration-unsure.txt" |
	awk 'NF == 2 { printf "%s=%s ", $1, $2 }')"

for side in nmap svdetect; do
	if [ $side = nmap ]; then xml=$nmap_xml; else xml=$svd_xml; fi
	xsltproc --stringparam mqtt-name "$mqtt_name" --stringparam side $side \
		--stringparam unsure "$unsure" \
		"$here/integration-normalise.xsl" "$xml" >"$out/$side.norm.xml" &&
	xsltproc "$here/integration-ports.xsl" "$out/$side.norm.xml" >"$out/$side.tsv" || {
		echo "scan-compare: xsltproc failed on $xml" >&2
		exit 99
	}
done

# The exceptions that applied, for the log: a port whose service Nmap
# guessed (or left out) and that the normalised file gives as probed
# through ssl (Nmap unsure on a listed port), and a UDP snmp port whose
# product lost snmp-info's suffix.
xsltproc "$here/integration-ports.xsl" "$nmap_xml" >"$out/nmap.raw.tsv" || exit 99
awk -F'\t' 'FNR == NR { name[$2] = $4; product[$2] = $5; method[$2] = $12; next }
	method[$2] != "probed" && $12 == "probed" && $11 == "ssl" {
		printf "scan-compare: %s: Nmap is unsure (%s); svdetect must say ssl/%s (tests/integration-unsure.txt)\n",
			$2, name[$2] == "" ? "no service" : name[$2] "?", $4
	}
	$2 ~ /\/udp$/ && $4 == "snmp" && product[$2] != $5 {
		printf "scan-compare: %s: product \"%s\" is Nmap'"'"'s snmp-info script'"'"'s; its match line'"'"'s, \"%s\", is compared\n",
			$2, product[$2], $5
	}' \
	"$out/nmap.raw.tsv" "$out/nmap.tsv" >&2

# Field by field, keyed by address and port; ports only one side lists
# are differences too.  The table goes to stdout.
awk -F'\t' '
# Quoted, so that leading and trailing spaces show.
function show(v) { return v == "" ? "(none)" : "\"" v "\"" }
BEGIN {
	split("addr port state service product version extrainfo hostname ostype devicetype tunnel method conf cpe", name, " ")
	nf = 14
}
FNR == 1 { side++ }
NF != nf { printf "scan-compare: %s line %d has %d fields, not %d\n", FILENAME, FNR, NF, nf > "/dev/stderr"; bad = 1; next }
{
	k = $1 " " $2
	if (!(k in seen)) { order[++n] = k; seen[k] = 1 }
	for (i = 3; i <= nf; i++) v[side, k, i] = $i
	has[side, k] = 1
}
END {
	for (j = 1; j <= n; j++) {
		k = order[j]
		if (!has[1, k] || !has[2, k]) {
			row[++nd] = sprintf("%-22s %-11s %-34s %s", k, "port", has[1, k] ? "listed" : "(absent)",
				has[2, k] ? "listed" : "(absent)")
			continue
		}
		for (i = 3; i <= nf; i++)
			if (v[1, k, i] != v[2, k, i])
				row[++nd] = sprintf("%-22s %-11s %-34s %s", k, name[i], show(v[1, k, i]), show(v[2, k, i]))
	}
	if (nd) {
		printf "%-22s %-11s %-34s %s\n", "PORT", "FIELD", "NMAP", "SVDETECT"
		for (j = 1; j <= nd; j++) print row[j]
	}
	exit (bad ? 99 : nd ? 1 : 0)
}' "$out/nmap.tsv" "$out/svdetect.tsv"
rc=$?
[ $rc -eq 99 ] && exit 99
ports=$(wc -l <"$out/nmap.tsv")
if [ $rc -ne 0 ]; then
	echo "scan-compare: FAIL: the differences above (nmap: $nmap_xml, svdetect: $svd_xml)"
fi

# ndiff exits 0 (same), 1 (different) or 2 (error).  The scanner line
# always differs (svdetect names itself: "Nmap svdetect VERSION scan
# initiated", docs/output.md); nothing else may.
ndiff "$out/nmap.norm.xml" "$out/svdetect.norm.xml" >"$out/ndiff.out" 2>&1
nrc=$?
if [ $nrc -gt 1 ]; then
	echo "scan-compare: ndiff failed (exit $nrc):"
	cat "$out/ndiff.out"
	exit 99
fi
if grep -v -e '^[-+]Nmap \(svdetect \)\{0,1\}[^ ]* scan initiated .* as: ' -e '^$' "$out/ndiff.out" >"$out/ndiff.rest"; then
	echo "scan-compare: FAIL: ndiff shows service differences:"
	cat "$out/ndiff.out"
	rc=1
fi
[ $rc -eq 0 ] &&
	echo "scan-compare: $ports ports, every field the same as Nmap's; ndiff: no differences (1883 name from Nmap's match lines: ${mqtt_name:-none})"
exit $rc
