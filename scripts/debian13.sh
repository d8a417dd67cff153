#!/bin/sh
# scripts/debian13.sh: a Debian 13 (trixie) chroot, made with debootstrap
# from Debian's archive and kept on this machine between runs, for what a
# Debian 12 machine cannot do itself: build and test svdetect with
# Debian 13's toolchain (gcc 14, OpenSSL 3.5, re2c 4) and run Nmap 7.95.
#
#   scripts/debian13.sh make         make the chroot, or bring it up to date
#   scripts/debian13.sh check        copy this tree into the chroot, then
#                                    scripts/test.sh there (its own Nmap
#                                    database is 7.95's); prints its summary
#   scripts/debian13.sh run CMD...   run CMD in the chroot (nmap -V); the
#                                    directory SVD_DEBIAN13_SHARE, if set, is
#                                    seen at the same path there
#
# Every command makes the chroot first if needed.  When Debian's archive
# cannot be reached, it says so and exits 77 (a test runner's "skipped").
# The chroot's /proc, /sys, /dev and /tmp are mounted in a mount namespace
# of the command's own (unshare --mount), so nothing stays mounted after
# it.  Needs root.  SVD_DEBIAN13_ROOT: where the chroot lives (default
# /var/cache/svdetect/debian13).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
root=${SVD_DEBIAN13_ROOT:-/var/cache/svdetect/debian13}
mirror=http://deb.debian.org/debian
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() { echo "debian13: $*" >&2; exit 1; }
skip() { echo "debian13: SKIP: $*" >&2; exit 77; }

[ "$(id -u)" = 0 ] || skip "needs root (debootstrap, chroot)"

# Runs "$@" in the chroot with the kernel file systems mounted, and the
# directory SVD_DEBIAN13_SHARE, if set, at the same path inside.
in_chroot() {
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
	unshare --mount --propagation private -- sh -c '
		r=$1 share=$2; shift 2
		# The root a mount point of its own: unshare --mount (the tests
		# network namespaces) needs one inside the chroot.
		mount --bind "$r" "$r" && mount -t proc proc "$r/proc" && mount -t sysfs sys "$r/sys" &&
			mount --rbind /dev "$r/dev" && mount -t tmpfs tmp "$r/tmp" || exit 99
		if [ -n "$share" ]; then
			mkdir -p "$r$share" && mount --bind "$share" "$r$share" || exit 99
		fi
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 CI="${CI:-}" "$@"' in-chroot "$root" "${SVD_DEBIAN13_SHARE:-}" "$@"
}

make_chroot() {
	if [ -x "$root/usr/bin/apt-get" ] && [ -f "$root/.svdetect-ready" ]; then
		[ -x "$root/usr/bin/nmap" ] ||
			in_chroot sh -c 'apt-get update -qq && apt-get install -y -qq nmap' >&2 ||
			die "cannot install nmap in the chroot"
		return 0
	fi
	command -v debootstrap >/dev/null 2>&1 || {
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			debootstrap >/dev/null || die "cannot install debootstrap"
	}
	echo "debian13: making the chroot in $root (debootstrap trixie)" >&2
	rm -rf "$root"
	mkdir -p "$root" || die "cannot create $root"
	if ! timeout 1800 debootstrap --variant=minbase --keyring="$keyring" \
		--include=nmap trixie "$root" "$mirror" >"$root.log" 2>&1; then
		tail -n 5 "$root.log" >&2
		rm -rf "$root"
		grep -qiE 'resolv|connect|download|fetch|Release' "$root.log" &&
			skip "Debian's archive cannot be reached (debootstrap log: $root.log)"
		die "debootstrap failed (log: $root.log)"
	fi
	touch "$root/.svdetect-ready"
}

case ${1:-} in
make)
	make_chroot
	;;
run)
	shift
	[ $# -gt 0 ] || die "usage: $0 run CMD..."
	make_chroot
	in_chroot "$@"
	;;
check)
	make_chroot
	# The tree as git sees it (tracked and new files, not ignored ones),
	# with times kept so that a second run rebuilds only what changed in
	# the build directories kept from the last run; nothing else is kept.
	mkdir -p "$root/src/svdetect" || die "cannot create $root/src"
	find "$root/src/svdetect" -mindepth 1 -maxdepth 1 ! -name 'build*' -exec rm -rf {} + ||
		die "cannot empty $root/src/svdetect"
	# (From a tarball: every file but the build directories.)
	if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$top" && git ls-files -z --cached --others --exclude-standard |
			xargs -0 tar -cf - --no-recursion)
	else
		(cd "$top" && tar -cf - --exclude='./build*' --exclude=./debian13-check.out .)
	fi | tar -xf - -C "$root/src/svdetect" || die "cannot copy the tree into the chroot"
	in_chroot sh -c 'cd /src/svdetect && SVD_TEST_DEBIAN13=0 exec scripts/test.sh'
	;;
*)
	echo "usage: $0 make | check | run CMD..." >&2
	exit 2
	;;
esac
