# shellcheck shell=sh
# scripts/netns.sh: sourced (not run) by the tests that must run in
# network and mount namespaces of their own (tests/netns-common.sh) and by
# scripts/daemon-session.sh.
#
#   netns_enter SCRIPT [ARG...]
#       Unless already inside, runs `sh SCRIPT ARG...` again in new network
#       and mount namespaces (as root, or as root of a new user namespace)
#       and never returns; inside, brings the loopback up and returns 0.
#       Returns 1 with the reason on stderr when no namespace can be made.
#
# Inside, 127.0.0.0/8 and ::1 are the namespace's own: nothing there meets
# the machine's services or other tests' servers on the same ports, and no
# packet can leave (lo is the only interface; Debian's archive cannot be
# reached either).  The private mount table lets a test bind its own files
# over /etc ones.

netns_enter() {
	if [ "${SVD_IN_NETNS:-}" = 1 ]; then
		ip link set lo up && return 0
		echo "cannot bring the namespace's loopback up" >&2
		return 1
	fi
	for tool in unshare ip; do
		command -v "$tool" >/dev/null 2>&1 || {
			echo "$tool not installed (packages util-linux, iproute2)" >&2
			return 1
		}
	done
	for user in "" -r; do
		# shellcheck disable=SC2086 # $user: no word, or one
		if unshare $user -n -m true 2>/dev/null; then
			SVD_IN_NETNS=1 exec unshare $user -n -m sh "$@"
		fi
	done
	echo "cannot make network namespaces here (needs root or unprivileged user namespaces)" >&2
	return 1
}
