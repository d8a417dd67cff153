#!/bin/sh
# svdc's output is stable under edits (issue 14): after one match line of a
# probe file is edited or inserted, recompiling into the same directory
# changes the tables file and at most two chunk files, leaves every other
# file untouched (same bytes, same time, so make compiles nothing else),
# and gives exactly what a compile into an empty directory gives.
: "${top_srcdir:?}" "${top_builddir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
svdc="$top_builddir/svdc"
chunks=8
cp "$top_srcdir/signatures/svdetect-service-probes" "$tmp/probes" || exit 99
mkdir "$tmp/out"

compile() { # compile DIR: the probe file into DIR
	(cd "$tmp" && "$svdc" --compile --name st --chunks $chunks -o "$1" probes) ||
		{ echo "svdc failed"; exit 1; }
}

# check WHAT MIN MAX SIGDB: recompile into out/ after an edit of probes;
# MIN to MAX chunk files must change, and the tables file must change if
# SIGDB is 1 and must not if it is 0.
check() {
	rm -rf "$tmp/before" "$tmp/fresh"
	cp -p -r "$tmp/out" "$tmp/before"
	# An old time on every file: one svdc rewrites shows a new time.
	touch -d @1000000000 "$tmp"/out/*
	compile out
	mkdir "$tmp/fresh"
	compile fresh
	diff -r "$tmp/fresh" "$tmp/out" >/dev/null ||
		{ echo "$1: recompiled files differ from a compile into an empty directory"; exit 1; }
	[ -z "$(ls "$tmp"/out/*.tmp 2>/dev/null)" ] || { echo "$1: temporary files left"; exit 1; }
	nrx=0 sigdb=0
	for f in "$tmp"/out/*.c; do
		b=${f##*/}
		if cmp -s "$f" "$tmp/before/$b"; then
			[ "$(stat -c %Y "$f")" = 1000000000 ] ||
				{ echo "$1: $b rewritten with the same bytes (its time changed)"; exit 1; }
			continue
		fi
		case $b in
		st_sigdb.c) sigdb=1 ;;
		st_rx_*.c) nrx=$((nrx + 1)) ;;
		*) echo "$1: unexpected file $b"; exit 1 ;;
		esac
	done
	[ "$nrx" -ge "$2" ] && [ "$nrx" -le "$3" ] ||
		{ echo "$1: $nrx chunk files changed, expected $2 to $3"; exit 1; }
	[ "$sigdb" = "$4" ] || { echo "$1: tables file changed: $sigdb, expected $4"; exit 1; }
	echo "$1: $nrx of $chunks chunk files changed, tables file changed: $sigdb"
}

edit() { # edit SED-SCRIPT: edit the probe file, which must change
	cp "$tmp/probes" "$tmp/probes.old"
	sed -i "$1" "$tmp/probes"
	! cmp -s "$tmp/probes" "$tmp/probes.old" || { echo "edit '$1' changed nothing"; exit 99; }
}

compile out
[ "$(ls "$tmp"/out | wc -l)" = $((chunks + 1)) ] || { echo "not $chunks chunk files"; exit 1; }
check "same input" 0 0 0

# The first OpenSSH line's version template: no regex changes.
edit '0,/^match ssh m|^SSH-(\[\\d.\]+)-OpenSSH_/s|v/\$2 Debian \$3/|v/$2 Debian edited $3/|'
check "template edited" 0 0 1

# The same line's regex: its function moves (old and new chunk).
edit '0,/^match ssh m|^SSH-(\[\\d.\]+)-OpenSSH_/s|Debian-(\\S+)\\r?\\n|Debian-(\\S+)\\r\\n|'
check "regex edited" 1 2 1

# A new match line before every other: every later line's index moves.
edit '0,/^match /s|^match |match ssh m\|^SSH-2\\.0-Edited_([\\w.]+)\\r\\n\| p/Edited/ v/$1/\nmatch |'
check "line inserted" 1 1 1

# The line deleted again.
edit '/Edited_/d'
check "line deleted" 1 1 1
