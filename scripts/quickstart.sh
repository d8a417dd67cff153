#!/bin/sh
# Quick start: install what is missing, build, and scan this machine's own
# services on 127.0.0.1 (Nmap's top 1000 TCP ports, version detection with
# Nmap's signatures compiled in).  Arguments replace the default target and
# options, e.g. `scripts/quickstart.sh -p 22,80 127.0.0.1`.  Only ever point
# it at machines you may scan.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup-debian.sh"
"$top/scripts/build.sh" build
"$top/build/svdetect" --version
[ $# -gt 0 ] || set -- 127.0.0.1
echo "== svdetect $*"
exec "$top/build/svdetect" "$@"
