# shellcheck shell=sh
# Sourced by tests that wait for a line in a file, bounded.

# until_in FILE PATTERN SECONDS: true once FILE holds a line matching PATTERN.
until_in() {
	n=0
	until grep -q "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ $n -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}
