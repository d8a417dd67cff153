#!/bin/sh
# Builds svdetect out of tree.  Usage: scripts/build.sh [DIR [CONFIGURE-ARGS...]]
# DIR defaults to build/; configure runs again only when its arguments change.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-build}
[ $# -gt 0 ] && shift
case $dir in /*) ;; *) dir="$top/$dir" ;; esac
cd "$top"
# Once configured, the generated Makefiles rerun autoreconf themselves
# when configure.ac or Makefile.am change.
[ -x configure ] || autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
mkdir -p "$dir"
cd "$dir"
args="$*"
if [ ! -f Makefile ] || [ "$(cat .configure-args 2>/dev/null)" != "$args" ]; then
	# shellcheck disable=SC2086 # the arguments are words
	"$top/configure" $args >configure.out || { cat configure.out; exit 1; }
	echo "$args" >.configure-args
fi
make -j"$(nproc)" >make.out 2>&1 || { tail -n 50 make.out; exit 1; }
