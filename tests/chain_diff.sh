#!/bin/sh
# Runs tests/chain_diff on the recog corpus and the responses captured
# from real daemons (tests/data/responses).
: "${top_srcdir:?}" "${top_builddir:?}" "${NMAP_PROBES:?}"
exec "$top_builddir/tests/chain_diff" "$NMAP_PROBES" \
	"$top_srcdir/tests/data/recog/recog-examples.tsv" \
	"$top_srcdir"/tests/data/responses/*.bin
