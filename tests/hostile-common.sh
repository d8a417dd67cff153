# shellcheck shell=sh
# shellcheck disable=SC2034 # svd and fail are for the scripts that source this
# Sourced by the tests that run tests/hostile_server: a temporary
# directory and the servers, all gone at exit; bad() marks the test failed;
# start_server ARGS... runs a server and waits (bounded) for its "ready"
# (it may be called again for another server: the port list is the last's);
# ports_of BEHAVIOUR and field LINE KEY read its ports and JSON fields.
: "${top_srcdir:?}" "${top_builddir:?}"
svd=$top_builddir/svdetect
srv=$top_builddir/tests/hostile_server
[ -x "$srv" ] || { echo "FAIL: $srv not built"; exit 99; }

tmp=$(mktemp -d) || exit 99
srv_pids=
cleanup() {
	# shellcheck disable=SC2086 # one word per server
	[ -n "$srv_pids" ] && kill $srv_pids 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# Its port list goes to $tmp/ports, its stderr to $tmp/server.err.
start_server() {
	rm -f "$tmp/ports" # not the last server's "ready"
	"$srv" "$@" >"$tmp/ports" 2>"$tmp/server.err" &
	srv_pid=$!
	srv_pids="$srv_pids $srv_pid"
	i=0
	until grep -q '^ready$' "$tmp/ports" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$srv_pid" 2>/dev/null; then
			echo "FAIL: hostile_server did not start"; cat "$tmp/server.err"; exit 99
		fi
		sleep 0.1
	done
}

ports_of() { awk -v b="$1" '$1 == b { print $2 }' "$tmp/ports"; }

field() { # LINE KEY: a string field, empty when null
	printf '%s\n' "$1" | sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p"
}
