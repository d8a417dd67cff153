# scripts/netns.sh: sourced (not run) by scripts/daemon-session.sh.
#
#   netns_enter SCRIPT [ARG...]
#       Unless already inside one, runs SCRIPT again in a network
#       namespace of its own (unshare --net) whose loopback is up, and
#       never returns.  Returns 1 with the reason on stderr when no
#       namespace can be made (not root, or namespaces disabled).
#
# Inside, 127.0.0.0/8 and ::1 are the namespace's own: nothing there meets
# the machine's services on the same ports, and no packet can leave (lo
# is the only interface; Debian's archive cannot be reached either).

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
	SVD_NETNS=1 exec unshare --net -- sh -c 'ip link set lo up || exit 99; exec "$@"' netns "$@"
}
