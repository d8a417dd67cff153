# shellcheck shell=sh
# Sourced first by the tests that must run in network and mount
# namespaces of their own: only a loopback interface, so that the scans
# reach nothing of the machine (its own services, other tests' servers on
# 127.0.0.0/8) and servers may take any port; and a private mount table,
# so that a test may bind its own files over /etc ones.  Runs the script
# again inside new namespaces (as root, or as root of a new user
# namespace), or exits 77 saying why it cannot.
if [ -z "${SVD_IN_NETNS:-}" ]; then
	for tool in unshare ip; do
		command -v "$tool" >/dev/null 2>&1 ||
			{ echo "SKIP: $tool not installed (packages util-linux, iproute2)"; exit 77; }
	done
	for user in "" -r; do
		# shellcheck disable=SC2086 # $user: no word, or one
		if unshare $user -n -m true 2>/dev/null; then
			SVD_IN_NETNS=1 exec unshare $user -n -m sh "$0" "$@"
		fi
	done
	echo "SKIP: cannot make network namespaces here (needs root or unprivileged user namespaces)"
	exit 77
fi
ip link set lo up || { echo "FAIL: cannot bring the namespace's loopback up"; exit 99; }
