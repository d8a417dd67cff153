#!/bin/sh
# Quick start: install what is missing, build, and run the main job.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup-debian.sh"
"$top/scripts/build.sh" build
probes=/usr/share/nmap/nmap-service-probes
echo "== svdc --check $probes"
"$top/build/svdc" --check "$probes"
echo "== svdc --check signatures/svdetect-service-probes"
"$top/build/svdc" --check "$top/signatures/svdetect-service-probes"
