#!/bin/sh
# tests/custom-set.sh: a site's own probe file as a set of its own, merged
# with Nmap's database and with svdetect's own file (issue 14, "Custom sets
# to scanners"; docs/probe-files.md, "Several files as one set").
#
# tests/data/custom-set/site-probes adds match lines to three probes of the
# earlier file (NULL, GenericLines, GetRequest) and a probe of its own
# (SiteHello).  For each earlier file BASE (Nmap's, svdetect's own):
#
#  1. The one file Nmap reads for the set BASE + site is made here
#     (single_file: the site's lines after the probe's own, its new probe
#     after BASE's last), and svdc must read it as it reads the two files
#     (svdc --dump of both the same): it is the equivalent single file.
#  2. The set BASE + site, built by svdc as a static scanner (--scanner
#     --static) and, for our own file, also as a loadable set (--shared,
#     run by svdetect --signatures PATH.so), scans the test's
#     services (tests/site_services.py: three services only the site's
#     lines name) and a few daemons of scripts/daemons.sh (ProFTPD among
#     them, which Nmap's own lines take for Nagios NSCA), and
#     `nmap -sV --versiondb SINGLE-FILE` scans them too;
#  3. every field of every port must be the same (tests/scan-compare.sh),
#     and Nmap's answers must be the names the site's lines give (the
#     table `expected` below): so the site's lines did run, where svdc's
#     merge puts them, in both tools.
#
# Runs in a network namespace of its own (scripts/netns.sh) where only its
# 127.0.0.1 is contacted.  Needs root (daemons.sh), nmap, ndiff, xsltproc,
# python3, pkg-config and Nmap's database (SVD_NMAP_DB, default
# /usr/share/nmap/nmap-service-probes, whichever database the build
# carries: the test compiles its own sets); otherwise skipped (77).
# SVD_CUSTOM_SET_KEEP=DIR keeps every file there.
: "${top_srcdir:?}" "${top_builddir:?}"
set -u
svdc=$top_builddir/svdc
site=$top_srcdir/tests/data/custom-set/site-probes
own=$top_srcdir/signatures/svdetect-service-probes
nmap_db=${SVD_NMAP_DB:-/usr/share/nmap/nmap-service-probes}

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (scripts/daemons.sh binds ports < 1024 and installs packages)"
for tool in nmap ndiff xsltproc python3 pkg-config flock timeout; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed (scripts/setup-debian.sh installs it)"
done
[ -r "$nmap_db" ] || skip "no Nmap database at $nmap_db (package nmap-common)"
[ -x "$svdc" ] || { echo "FAIL: no $svdc"; exit 99; }

# The daemons: ProFTPD, which only the site's GenericLines line names
# right, and others that Nmap's and svdetect's own lines name before any
# site line is tried.
SVD_DAEMONS="sshd vsftpd proftpd rsyncd lighttpd"
export SVD_DAEMONS
# shellcheck source=../scripts/daemon-session.sh
. "$top_srcdir/scripts/daemon-session.sh"
daemons_isolate_or_skip "$0" "$@"

if [ -n "${SVD_CUSTOM_SET_KEEP:-}" ]; then
	tmp=$SVD_CUSTOM_SET_KEEP
	mkdir -p "$tmp" || exit 99
else
	tmp=$(mktemp -d) || exit 99
fi
cleanup() {
	[ -n "${services_pid:-}" ] && kill "$services_pid" 2>/dev/null
	daemons_release
	[ -n "${SVD_CUSTOM_SET_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

# single_file BASE SITE: the set BASE + SITE as one probe file, merged as
# svdc merges it: SITE's match and softmatch lines for a probe of BASE
# right after that probe's own lines, SITE's other probes after BASE's
# last.  BASE's lines are left as they are.  (A restated probe's
# directives can only repeat BASE's, and SITE has no Exclude line.)
single_file() {
	awk '
	FNR == 1 { part++ }
	/^Probe / { key = $2 " " $3 }
	part == 1 { if (/^Probe /) inbase[key] = 1; next }
	part == 2 {
		if (/^Exclude/) { print "single_file: " FILENAME ": Exclude not handled" >"/dev/stderr"; err = 1 }
		if (/^Probe /) new = !(key in inbase)
		if (new) tail = tail $0 "\n"
		else if (/^(soft)?match /) add[key] = add[key] $0 "\n"
		next
	}
	/^Probe / { printf "%s", add[current]; current = key }
	{ print }
	END { printf "%s%s", add[current], tail; exit err }' "$1" "$2" "$1"
}

# How each set is run: svdc --scanner --static (a scanner of that set and
# nothing else) and, for our own set, also svdc --shared loaded by the
# build's svdetect (--signatures PATH.so).  Nmap's set takes minutes of
# CPU to compile, so it is built once, as the static scanner.  A sanitized
# runtime cannot link statically: there the scanners are dynamic, and
# Nmap's set is left out (compiling it instrumented would take the ASan
# pass's time; the strict pass runs it).
if grep -q -- '-fsanitize' "$top_builddir/svdetect-uninstalled.pc"; then
	link='' sets=own
	echo "NOTE: sanitized build: dynamic scanners, our own set only"
else
	link=--static sets="nmap own"
fi
export CFLAGS="${GEN_CFLAGS:-}"

# build_scanners SET FILE...: the ways of running SET, as words KIND:SET
# on stdout; each made from FILE... by svdc.
build_scanners() {
	set=$1
	shift
	# shellcheck disable=SC2086 # $link is one word or none
	"$svdc" --scanner $link --name "$set" -o "$tmp/$set-scanner" "$@" >&2 || return 1
	echo "scanner:$set"
	[ "$set" = own ] || return 0
	"$svdc" --shared --name "$set" -o "$tmp/$set-set.so" "$@" >&2 || return 1
	echo "shared:$set"
}

# run_as KIND:SET ARG...: SET run that way (for 10 minutes at most).
run_as() {
	how=$1
	shift
	case $how in
	scanner:*) timeout 600 "$tmp/${how#*:}-scanner" "$@" ;;
	shared:*) timeout 600 "$top_builddir/svdetect" --signatures "$tmp/${how#*:}-set.so" "$@" ;;
	esac
}

# What Nmap must say on the site's ports (so the site's lines ran, or
# not, where the merge's order says), for each set: SET PORT, then
# service|product|version|extrainfo|hostname.
# With svdetect's own file, 2100 is named by the own NULL line, and
# 4102's answer to GetRequest first meets the own GetRequest's
# `softmatch http` line: the first line that matches wins, soft or hard,
# so the site's line after it never gets its turn (nor on HTTPOptions,
# which falls back on GetRequest) and the port stays a bare http.
expected='nmap 4101/tcp site-inventory|Site inventory daemon|2.4||
nmap 4102/tcp http|SiteApp|3.1|build 77|
nmap 4103/tcp site-hello|Site hello service|1.7||alpha-7
nmap 2100/tcp ftp|ProFTPD||Debian; address 127.0.0.1|
own 4101/tcp site-inventory|Site inventory daemon|2.4||
own 4102/tcp http||||
own 4103/tcp site-hello|Site hello service|1.7||alpha-7
own 2100/tcp ftp|ProFTPD||server name: Debian; address 127.0.0.1|'

echo "== the sets, as one file each and as svdc merges them"
runs=
for set in $sets; do
	if [ $set = nmap ]; then base=$nmap_db; else base=$own; fi
	single_file "$base" "$site" >"$tmp/$set-single.probes" || { bad "single_file $base"; continue; }
	"$svdc" --dump "$base" "$site" >"$tmp/$set-merged.dump" 2>&1 || bad "svdc --dump $base $site"
	"$svdc" --dump "$tmp/$set-single.probes" >"$tmp/$set-single.dump" 2>&1 ||
		bad "svdc --dump of the single file for $set"
	diff -u "$tmp/$set-single.dump" "$tmp/$set-merged.dump" >"$tmp/$set-dump.diff" ||
		{ head -n 40 "$tmp/$set-dump.diff"; bad "$set: svdc merges $base + site otherwise than the single file (above)"; }
	start=$(date +%s)
	made=$(build_scanners "$set" "$base" "$site" 2>"$tmp/$set-build.log") ||
		{ tail -n 20 "$tmp/$set-build.log"; bad "svdc cannot build $base + site"; }
	runs="$runs $made"
	echo "$set + site: one file of $(grep -c '^Probe ' "$tmp/$set-single.probes") probes; built as" $made "in $(($(date +%s) - start)) s"
done
[ $fail -eq 0 ] || exit 1

echo "== starting the daemons ($SVD_DAEMONS) and the site's services"
daemons_acquire_all || { echo "FAIL: the daemons did not all start"; exit 99; }
timeout 900 python3 "$top_srcdir/tests/site_services.py" --lifetime 900 \
	inventory=4101 webapp=4102 hello=4103 >"$tmp/services.out" 2>&1 9>&- &
services_pid=$!
i=0
while [ $i -lt 40 ] && ! grep -q '^ready' "$tmp/services.out"; do
	sleep 0.25
	i=$((i + 1))
done
grep -q '^ready' "$tmp/services.out" || { cat "$tmp/services.out"; echo "FAIL: site_services.py did not start"; exit 99; }
ports=$(daemons_ports tcp),4101,4102,4103
echo "TCP ports $ports"

for set in $sets; do
	echo "== $set + site: nmap -sV --versiondb (the single file)"
	start=$(date +%s)
	timeout 600 nmap -sV -sT -Pn --version-trace --versiondb "$tmp/$set-single.probes" -p"$ports" \
		-oX "$tmp/$set-nmap.xml" 127.0.0.1 >"$tmp/$set-nmap.trace" 2>&1 9>&-
	rc=$?
	[ $rc -eq 0 ] || { tail -n 20 "$tmp/$set-nmap.trace"; echo "FAIL: nmap exited $rc"; exit 99; }
	echo "nmap: $(($(date +%s) - start)) s"

	# Nmap names the site's services with the site's lines.
	xsltproc "$top_srcdir/tests/integration-ports.xsl" "$tmp/$set-nmap.xml" >"$tmp/$set-nmap.tsv" ||
		{ bad "xsltproc on $set-nmap.xml"; continue; }
	printf '%s\n' "$expected" | while read -r s port want; do
		[ "$s" = "$set" ] || continue
		got=$(awk -F'\t' -v p="$port" '$2 == p { print $4 "|" $5 "|" $6 "|" $7 "|" $8 }' "$tmp/$set-nmap.tsv")
		[ "$got" = "$want" ] || echo "FAIL: $set: Nmap on $port says '$got', not '$want'"
	done >"$tmp/$set-expected.out"
	if [ -s "$tmp/$set-expected.out" ]; then
		cat "$tmp/$set-expected.out"
		fail=1
	fi

	# And svdetect, each way the set was built, as Nmap: port by port,
	# field by field.
	for how in $runs; do
		[ "${how#*:}" = "$set" ] || continue
		r=$(echo "$how" | tr : -)
		echo "== $set + site: svdetect as $how"
		start=$(date +%s)
		run_as "$how" -sT -Pn -p"$ports" -oX "$tmp/$r.xml" 127.0.0.1 \
			>"$tmp/$r.out" 2>"$tmp/$r.err" 9>&-
		rc=$?
		cat "$tmp/$r.err" >&2
		[ $rc -eq 0 ] || { bad "$how: svdetect exited $rc"; continue; }
		echo "svdetect: $(($(date +%s) - start)) s"
		"$top_srcdir/tests/scan-compare.sh" "$tmp/$set-nmap.xml" "$tmp/$r.xml" \
			"$tmp/$set-nmap.trace" "$tmp/$r-compare" || fail=1
		cat "$tmp/$r-compare/svdetect.tsv"
	done
done

[ $fail -eq 0 ] &&
	echo "PASS: $(echo $sets | sed 's/ / and /') + site, as" $runs": the same answers as nmap --versiondb on the single files, with the site's names"
exit $fail
