#!/bin/sh
# Differential test of the regex layer against PCRE2 (the short run for
# `make check`).  The long run: tests/regex_diff --long "$NMAP_PROBES".
# Skips (77) when configure found no Nmap database.
diff="${top_builddir:?}/tests/regex_diff"
if [ -z "$NMAP_PROBES" ]; then
	echo "no Nmap database; running the random-pattern part only"
	exec "$diff" --fuzz 3000
fi
exec "$diff" --slice "${REGEX_DIFF_SLICE:-1}" --fuzz 3000 --stats "$NMAP_PROBES"
