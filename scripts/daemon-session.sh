# scripts/daemon-session.sh: sourced (not run) by the tests on the daemon
# set (tests/integration.sh, resume-daemons.sh, udp-daemons.sh),
# bench/scan-vs-nmap.sh and scripts/nmap-*-reference.sh.  One user of the test daemons at a time: the
# daemons listen on fixed ports, so a second run waits for the first.
#
#   daemons_isolate SCRIPT [ARG...]
#                     installs the daemons' packages, then runs SCRIPT
#                     again in a network namespace of its own
#                     (scripts/netns.sh), where the daemons and both
#                     scanners never meet the machine's own services on
#                     the same ports; returns 77 where the daemon set
#                     cannot run (not Debian 12), 1 (why on stderr) when
#                     no namespace can be made
#   daemons_isolate_or_skip SCRIPT [ARG...]
#                     daemons_isolate for a test: where it cannot, says
#                     why on a SKIP line and exits 77, automake's skip
#   daemons_acquire   take the lock (waits up to 20 minutes), then
#                     `scripts/daemons.sh start`; remembers which daemons
#                     were not running before
#   daemons_acquire_all
#                     daemons_acquire, and every daemon of the set must
#                     be up: otherwise the status table and why on
#                     stderr, and 1
#   daemons_release   stop exactly those (unless SVD_KEEP_DAEMONS=1) and
#                     drop the lock; safe to call twice (from a trap)
#   daemons_ports [tcp|udp|tls|plain [SERVICE...]]
#                     the ports of the daemon set, comma-separated: the TCP
#                     ones (the default), the UDP ones, the TCP ones that
#                     speak TLS at once, or the other TCP ones; but those
#                     of the SERVICEs named
#   daemons_up_count  how many daemons are up (every port listening)
#   daemons_count     how many daemons the set has
#
# Needs $top_srcdir.  Uses file descriptor 9 for the lock; the daemons and
# every other child are started with it closed, or a daemon would hold
# the lock for as long as it runs.

: "${top_srcdir:?daemon-session.sh needs top_srcdir}"
svd_daemons_sh=$top_srcdir/scripts/daemons.sh
# shellcheck source=netns.sh
. "$top_srcdir/scripts/netns.sh"
# In a namespace the daemons keep their state apart from those of the
# machine, made once per machine all the same (initdb, mariadb).
svd_netns_daemon_dir=${SVD_NETNS_DAEMON_DIR:-/tmp/svdetect-netns-daemons}
[ "${SVD_IN_NETNS:-}" = 1 ] && SVD_DAEMON_DIR=$svd_netns_daemon_dir
export SVD_DAEMON_DIR=${SVD_DAEMON_DIR:-/tmp/svdetect-daemons}
svd_daemon_dir=$SVD_DAEMON_DIR
svd_started=
svd_locked=0

# Names of the daemons with any port in a state other than "down", or
# with "up" as the first argument, of those with every port up.
daemons_names() {
	"$svd_daemons_sh" list 9>&- | awk -F'\t' -v want="${1:-running}" '
		{ n[$1] = 1 }
		$5 != "up" { notup[$1] = 1 }
		$5 != "down" { running[$1] = 1 }
		END { for (d in n) if (want == "up" ? !(d in notup) : (d in running)) print d }' | sort
}

daemons_isolate() {
	if [ "${SVD_IN_NETNS:-}" != 1 ]; then
		# Packages first: the namespace cannot reach Debian's archive.
		SVD_DAEMON_DIR=$svd_netns_daemon_dir timeout 1800 "$svd_daemons_sh" install 9>&- >&2 ||
			return $?
	fi
	netns_enter "$@"
}

daemons_isolate_or_skip() {
	daemons_isolate "$@"
	case $? in
	0) return 0 ;;
	77) echo "SKIP: the daemon set is made for Debian 12 (scripts/daemons.sh)" ;;
	*) echo "SKIP: no network namespace for the daemons (see above)" ;;
	esac
	exit 77
}

daemons_acquire() {
	mkdir -p "$svd_daemon_dir" || return 1
	exec 9>"$svd_daemon_dir.lock" || return 1
	if ! flock -w 1200 9; then
		echo "daemon-session: another run held $svd_daemon_dir.lock for 20 minutes" >&2
		exec 9>&-
		return 1
	fi
	svd_locked=1
	# In a namespace (scripts/netns.sh), daemons still running from this
	# directory belong to an earlier namespace: stop them, start afresh.
	if [ "${SVD_IN_NETNS:-}" = 1 ]; then
		"$svd_daemons_sh" stop 9>&- >&2
	fi
	svd_before=$(daemons_names)
	# Bounded: installing every package on a fresh machine takes minutes.
	timeout 1800 "$svd_daemons_sh" start 9>&- >&2 || return 1
	svd_after=$(daemons_names)
	# Those running now that were not before: a blank pattern matches
	# only blank lines, so an empty $svd_before keeps them all.
	svd_started=$(printf '%s\n' "$svd_after" | grep -vxF -e "$svd_before" -e '' | tr '\n' ' ')
	return 0
}

daemons_acquire_all() {
	if ! daemons_acquire; then
		echo "daemon-session: scripts/daemons.sh start failed" >&2
		return 1
	fi
	[ "$(daemons_up_count)" -eq "$(daemons_count)" ] && return 0
	"$svd_daemons_sh" status 9>&- >&2
	echo "daemon-session: not every daemon is up (see $svd_daemon_dir/log)" >&2
	return 1
}

daemons_release() {
	if [ -n "$svd_started" ] && [ "${SVD_KEEP_DAEMONS:-0}" != 1 ]; then
		SVD_DAEMONS=$svd_started "$svd_daemons_sh" stop 9>&- >&2
	fi
	svd_started=
	if [ $svd_locked = 1 ]; then
		flock -u 9
		exec 9>&-
		svd_locked=0
	fi
}

daemons_ports() {
	svd_want=${1:-tcp}
	[ $# -gt 0 ] && shift
	"$svd_daemons_sh" list 9>&- |
		awk -F'\t' -v want="$svd_want" -v but=" $* " '
			index(but, " " $1 " ") { next }
			$6 == want || (want == "tcp" && $6 != "udp") { print $2 }' |
		sort -n | paste -sd, -
}

daemons_up_count() {
	daemons_names up | grep -c .
}

daemons_count() {
	"$svd_daemons_sh" list 9>&- | cut -f1 | sort -u | grep -c .
}
