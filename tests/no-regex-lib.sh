#!/bin/sh
# svdetect matches with generated code only: no regex library may be
# linked into it, dynamically or statically.
: "${top_builddir:?}"
bin="$top_builddir/svdetect"
if ldd "$bin" | grep -Ei 'pcre|onig|tre|re2'; then
	echo "svdetect links a regex library (above)"
	exit 1
fi
if nm "$bin" | grep -Ei ' [TU] (pcre2?_|regcomp|regexec|re_compile)'; then
	echo "svdetect contains regex-engine symbols (above)"
	exit 1
fi
echo "svdetect: no regex library linked"
