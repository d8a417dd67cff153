# scripts/netns.sh: sourced (not run) by the scripts that start the test
# daemons (tests/integration.sh, bench/scan-vs-nmap.sh).
#
#   netns_enter SCRIPT [ARG...]
#       Unless already inside one, runs SCRIPT again in a network
#       namespace of its own (unshare --net) whose loopback is up, and
#       never returns.  Returns 1 with the reason on stderr when no
#       namespace can be made (not root, or namespaces disabled).
#
# Inside, 127.0.0.0/8 and ::1 are the namespace's own: the daemons and
# both scanners never meet the machine's services on the same ports, and
# no packet can leave (lo is the only interface).  The daemons keep their
# state in a directory of their own, SVD_DAEMON_DIR (default
# /tmp/svdetect-netns-daemons), so that their data (initdb, mariadb) is
# made once per machine; daemons_acquire stops any daemon left there by an
# earlier namespace, which could not be reached from this one.

netns_enter() {
	[ "${SVD_NETNS:-}" = 1 ] && return 0
	if ! unshare --net true 2>/dev/null; then
		echo "cannot create a network namespace (unshare --net; needs root and a kernel that allows it)" >&2
		return 1
	fi
	command -v ip >/dev/null 2>&1 || {
		echo "no ip command (Debian package iproute2)" >&2
		return 1
	}
	SVD_NETNS=1 SVD_DAEMON_DIR=${SVD_NETNS_DAEMON_DIR:-/tmp/svdetect-netns-daemons} \
		exec unshare --net -- sh -c 'ip link set lo up || exit 99; exec "$@"' netns "$@"
}
