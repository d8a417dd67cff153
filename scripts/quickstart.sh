#!/bin/sh
# Quick start: install what is missing, build, and run the main jobs that
# exist so far: check Nmap's database, then match saved responses of real
# daemons with the compiled-in matchers (no network traffic).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup-debian.sh"
"$top/scripts/build.sh" build
probes=/usr/share/nmap/nmap-service-probes
echo "== svdc --check $probes"
"$top/build/svdc" --check "$probes"
echo "== svdc --check signatures/svdetect-service-probes"
"$top/build/svdc" --check "$top/signatures/svdetect-service-probes"
echo "== svdetect --version"
"$top/build/svdetect" --version
echo "== svdetect --match: responses captured from real daemons (tests/data/responses)"
cd "$top/tests/data/responses"
"$top/build/svdetect" --match NULL sshd-22-NULL.bin postfix-25-NULL.bin vsftpd-21-NULL.bin
"$top/build/svdetect" --match GetRequest nginx-80-GetRequest.bin apache2-8080-GetRequest.bin
