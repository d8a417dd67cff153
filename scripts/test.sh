#!/bin/sh
# The whole test suite: installs what is missing, builds twice (strict
# warnings as errors; then ASan+UBSan) and runs `make check` in both.
# Prints "N passed, N failed" last; exits non-zero on any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup-debian.sh" || exit 1
pass=0 fail=0
run_suite() { # DIR LABEL CONFIGURE-ARGS...
	dir=$1 label=$2
	shift 2
	echo "== $label: build ($*)"
	if ! "$top/scripts/build.sh" "$dir" "$@"; then
		fail=$((fail + 1))
		return
	fi
	echo "== $label: make check"
	make -C "$top/$dir" -j"$(nproc)" check >"$top/$dir/check.out" 2>&1
	grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):' "$top/$dir/check.out"
	p=$(sed -n 's/^# PASS: *//p' "$top/$dir/check.out")
	f=$(sed -n 's/^# FAIL: *//p' "$top/$dir/check.out")
	e=$(sed -n 's/^# ERROR: *//p' "$top/$dir/check.out")
	if [ -z "$p" ]; then
		tail -n 40 "$top/$dir/check.out"
		fail=$((fail + 1))
		return
	fi
	for trs in "$top/$dir"/tests/*.trs "$top/$dir"/tests/*/*.trs; do
		grep -qE '^:test-result: (FAIL|ERROR)' "$trs" 2>/dev/null || continue
		echo "--- ${trs%.trs}.log"
		tail -n 40 "${trs%.trs}.log"
	done
	pass=$((pass + p))
	fail=$((fail + f + e))
}
run_suite build "strict build" --enable-werror
FUZZ_SECONDS=0 run_suite build-asan "ASan+UBSan build" --enable-werror --enable-sanitizers
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
