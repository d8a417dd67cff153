# shellcheck shell=sh
# Sourced first by the tests that must run in network and mount namespaces
# of their own (scripts/netns.sh): runs the script again inside them, or
# exits 77 after saying why it cannot (on stderr, in the test's log).
# shellcheck source=../scripts/netns.sh
. "${top_srcdir:?}/scripts/netns.sh"
netns_enter "$0" "$@" || { echo "SKIP: no network namespace (the reason is above)"; exit 77; }
