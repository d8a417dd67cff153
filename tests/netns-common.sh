# shellcheck shell=sh
# Sourced first by the tests that must run in network and mount namespaces
# of their own (scripts/netns.sh): runs the script again inside them, or
# exits 77 saying why it cannot.
# shellcheck source=../scripts/netns.sh
. "${top_srcdir:?}/scripts/netns.sh"
netns_enter "$0" "$@" 2>"${TMPDIR:-/tmp}/netns.$$" || {
	echo "SKIP: $(cat "${TMPDIR:-/tmp}/netns.$$")"
	rm -f "${TMPDIR:-/tmp}/netns.$$"
	exit 77
}
rm -f "${TMPDIR:-/tmp}/netns.$$"
