#!/bin/sh
# The whole test suite: installs what is missing, then
#   1. builds with warnings as errors and runs `make check`;
#   2. the same with ASan+UBSan;
#   3. builds with Debian 13's Nmap database (7.95, fetched by
#      scripts/nmap-db.sh) and runs the tests that read the database,
#      and the integration test against Nmap 7.95 run in a Debian 13
#      chroot (scripts/debian13.sh);
#   4. builds and runs this whole script in a Debian 13 chroot
#      (scripts/debian13.sh), which is steps 1 and 2 on Debian 13's
#      toolchain, daemons and Nmap 7.95.
# A step whose archive cannot be reached is skipped and said so.  Prints
# "N passed, N failed" last; exits non-zero on any failure.
# SVD_TEST_DEBIAN13=0 leaves out steps 3 and 4 (the chroot sets it).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup-debian.sh" || exit 1
pass=0 fail=0 skipped=
run_suite() { # DIR LABEL TESTS CONFIGURE-ARGS... (TESTS: "" for all)
	dir=$1 label=$2 tests=$3
	shift 3
	echo "== $label: build ($*)"
	if ! "$top/scripts/build.sh" "$dir" "$@"; then
		fail=$((fail + 1))
		return
	fi
	echo "== $label: make check"
	if [ -n "$tests" ]; then
		make -C "$top/$dir" -j"$(nproc)" check TESTS="$tests" >"$top/$dir/check.out" 2>&1
	else
		make -C "$top/$dir" -j"$(nproc)" check >"$top/$dir/check.out" 2>&1
	fi
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
run_suite build "strict build" "" --enable-werror
FUZZ_SECONDS=0 run_suite build-asan "ASan+UBSan build" "" --enable-werror --enable-sanitizers

if [ "${SVD_TEST_DEBIAN13:-1}" != 0 ]; then
	probes=$("$top/scripts/nmap-db.sh" trixie)
	case $? in
	0)
		# Nmap 7.95 itself runs in the Debian 13 chroot, against the
		# same daemons as svdetect built with its database.
		if "$top/scripts/debian13.sh" make; then
			export SVD_NMAP="$top/scripts/debian13.sh run nmap"
			export SVD_NMAP_DB="${SVD_DEBIAN13_ROOT:-/var/cache/svdetect/debian13}/usr/share/nmap/nmap-service-probes"
		fi
		run_suite build-nmap795 "Nmap 7.95 database" \
			"tests/check_frontend tests/regex_diff.sh tests/chain_diff.sh \
			tests/nmap-deterministic.sh tests/integration.sh" \
			--enable-werror --with-nmap-probes="$probes"
		unset SVD_NMAP SVD_NMAP_DB ;;
	77) skipped="$skipped Nmap-7.95-database" ;;
	*) fail=$((fail + 1)) ;;
	esac

	echo "== Debian 13 chroot: scripts/test.sh"
	"$top/scripts/debian13.sh" check >"$top/debian13-check.out" 2>&1
	rc=$?
	grep -E '^(==|PASS|FAIL|ERROR|XPASS|SKIP)' "$top/debian13-check.out"
	summary=$(tail -n 1 "$top/debian13-check.out")
	case $rc:$summary in
	77:*) skipped="$skipped Debian-13-chroot"; tail -n 3 "$top/debian13-check.out" ;;
	*:*" passed, "*" failed")
		set -- $summary
		pass=$((pass + $1))
		fail=$((fail + $3))
		[ "$rc" -eq 0 ] || [ "$3" -gt 0 ] || fail=$((fail + 1)) ;;
	*) tail -n 40 "$top/debian13-check.out"; fail=$((fail + 1)) ;;
	esac
fi
[ -z "$skipped" ] || echo "skipped, Debian's archive cannot be reached:$skipped"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
