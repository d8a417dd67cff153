# shellcheck shell=sh
# Sourced by tests/resume.sh and tests/resume-daemons.sh: how each output
# format shows which hosts a run finished (not cut short by a stop).

words() { paste -sd ' ' -; } # lines -> one line, space-separated

# finished FILE: the hosts FILE shows finished (not cut short), one a line,
# in file order, read as each format writes them.
finished() {
	case $1 in
	*.gnmap) awk -F'[ \t]' '
		/^# svdetect stopped early on host / { cut = $7; next }
		/^Host: .*\tPorts: / { if ($2 != cut) print $2; cut = "" }' "$1" ;;
	*.nmap) awk '
		function flush() { if (host != "" && !cut) print host; host = "" }
		/^svdetect scan report for / { flush(); host = $NF; gsub(/[()]/, "", host); cut = 0 }
		/^Host scan stopped early/ { cut = 1 }
		/^# svdetect done at / { flush() }' "$1" ;;
	*.jsonl) python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["type"] == "host" and not o["stopped_early"]:
        print(o["addr"])' "$1" ;;
	esac
}

# The finished hosts' grepable lines, sorted.
finished_lines() {
	awk -F'[ \t]' '
		/^# svdetect stopped early on host / { cut = $7; next }
		/^Host: .*\tPorts: / { if ($2 != cut) print; cut = "" }' "$1" | sort
}
