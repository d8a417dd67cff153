#!/bin/sh
# Times svdc --compile on Nmap's database and the compilation of its
# output into the signature library, from scratch, with make -j$(nproc).
# Usage: bench/compile-time.sh   (after scripts/build.sh)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/build"
rm -f "$build"/generated/nmap/stamp "$build"/generated/nmap/*.o "$build"/libsvdsig_nmap.a
start=$(date +%s)
make -C "$build" -j"$(nproc)" generated/nmap/stamp >/dev/null
mid=$(date +%s)
make -C "$build" -j"$(nproc)" libsvdsig_nmap.a >/dev/null
end=$(date +%s)
echo "svdc --compile: $((mid - start)) s; compiling its output: $((end - mid)) s; total $((end - start)) s on $(nproc) cores"
du -ch "$build"/generated/nmap/*.c | tail -n 1
