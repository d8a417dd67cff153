#!/bin/sh
# Installs the Debian 12 or 13 packages svdetect needs to build and test, and
# nothing that is already there.  Run as root (or with sudo available).
set -eu
# bind9-dnsutils, snmp, tftp-hpa: the clients tests/udp-daemons.sh queries
# the test daemons with (scripts/daemons.sh installs the daemons).
packages="build-essential autoconf automake pkg-config re2c bison
	libssl-dev libpcap-dev libc-ares-dev check libpcre2-dev nmap nmap-common
	clang libclang-rt-dev
	ndiff libxml2-utils xsltproc time openssl iproute2 perl
	bind9-dnsutils snmp tftp-hpa"
missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "setup: installing$missing" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is wanted
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
