#!/bin/sh
# What an Nmap user gets on stdout and in the files, from real scans of
# tests/hostile_server on 127.0.0.1 (an OpenSSH banner, and a banner no
# signature knows, so that a fingerprint is printed):
#   - -oA BASE writes its three files and still shows the terminal's form
#     on stdout, whose host report is the normal file's;
#   - -oN - writes normal output in its file form to stdout, -oX - the
#     XML alone;
#   - no output sends the reader to Nmap (nmap.org), and each names
#     svdetect and its version; ndiff reads two svdetect XML files and
#     Nmap's nmap.xsl renders one, both naming svdetect, never as
#     "Nmap VERSION";
#   - --version names every compiled-in probe file by an absolute path
#     that exists.
for tool in timeout ndiff xsltproc; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
xsl=${NMAP_XSL:-/usr/share/nmap/nmap.xsl}
[ -r "$xsl" ] || { echo "SKIP: no $xsl"; exit 77; }
. "${top_srcdir:?}/tests/hostile-common.sh"

ver=$("$svd" --version | sed -n '1s/^svdetect //p')
[ -n "$ver" ] || { echo "FAIL: svdetect --version names no version"; exit 1; }

printf 'XYZZY-SVD ready\r\n' >"$tmp/payload"
start_server --lifetime 120 --payload "$tmp/payload" trickle2ms banner
unknown=$(ports_of trickle2ms)
ssh=$(ports_of banner)

# svd NAME ARGS...: a scan of 127.0.0.1; stdout in $tmp/NAME.out.
svd() {
	name=$1
	shift
	timeout -k 2 60 "$svd" -n --version-intensity 0 "$@" 127.0.0.1 \
		>"$tmp/$name.out" 2>"$tmp/$name.err" || bad "$name: exit $?"
}

# --- -oA: the files, and the terminal's form on stdout ------------------------
svd all -p "$unknown,$ssh" -oA "$tmp/a"
for f in a.nmap a.xml a.gnmap; do
	[ -s "$tmp/$f" ] || bad "-oA: no $f"
done
head -n 1 "$tmp/all.out" | grep -q "^Starting svdetect $ver at " ||
	bad "-oA: stdout does not start as the terminal's form"
tail -n 1 "$tmp/all.out" | grep -q '^svdetect done: 1 IP address (1 host up) scanned in ' ||
	bad "-oA: stdout does not end with the done line"
head -n 1 "$tmp/a.nmap" | grep -q "^# svdetect $ver scan initiated " ||
	bad "-oA: a.nmap does not start with its comment line"
# The same report between the first and the last line.
sed '1d;$d' "$tmp/all.out" >"$tmp/all.body"
sed '1d;$d' "$tmp/a.nmap" >"$tmp/a.body"
cmp -s "$tmp/all.body" "$tmp/a.body" ||
	{ bad "-oA: stdout's report differs from a.nmap's"; diff "$tmp/a.body" "$tmp/all.body"; }
grep -q "^$ssh/tcp  *open  *ssh  *OpenSSH" "$tmp/all.out" || bad "-oA: no ssh port on stdout"

# --- -oN - and -oX -: one format on stdout, in its file form ------------------
svd normal -p "$ssh" -oN -
head -n 1 "$tmp/normal.out" | grep -q "^# svdetect $ver scan initiated .* as: .* -oN - " ||
	bad "-oN -: stdout does not start with the file's comment line"
tail -n 1 "$tmp/normal.out" | grep -q "^# svdetect done at " ||
	bad "-oN -: stdout does not end with the file's done line"
! grep -q '^Starting svdetect\|^svdetect done: ' "$tmp/normal.out" ||
	bad "-oN -: the terminal's lines are on stdout too"
svd xml -p "$ssh" -oX -
if ! head -n 1 "$tmp/xml.out" | grep -q '^<?xml ' ||
	[ "$(tail -n 1 "$tmp/xml.out")" != "</nmaprun>" ]; then
	bad "-oX -: stdout is not the XML alone"
fi

# --- Honest: svdetect named, nobody sent to Nmap ------------------------------
for f in all.out a.nmap a.xml a.gnmap normal.out xml.out; do
	! grep -n 'nmap\.org' "$tmp/$f" || bad "$f sends the reader to nmap.org"
done
grep -q "^1 service unrecognized despite returning data\. svdetect $ver's fingerprint of it:$" \
	"$tmp/all.out" || bad "the fingerprint block does not name svdetect $ver"
grep -q "^SF-Port$unknown-TCP:V=" "$tmp/a.nmap" || bad "no SF-Port fingerprint in a.nmap"
grep -q "^Service detection performed by svdetect $ver\.$" "$tmp/a.nmap" ||
	bad "a.nmap's footer does not name svdetect $ver"
grep -q "<nmaprun scanner=\"nmap\" .* version=\"svdetect $ver\"" "$tmp/a.xml" ||
	bad "the XML root does not name svdetect $ver"

# ndiff: 0 (same) or 1 (different); 2 is an error.
ndiff "$tmp/a.xml" "$tmp/xml.out" >"$tmp/ndiff" 2>&1
rc=$?
if [ $rc -ne 1 ] || ! grep -q "^+Nmap svdetect $ver scan initiated " "$tmp/ndiff" ||
	grep -q "Nmap $ver" "$tmp/ndiff"; then
	bad "ndiff of two svdetect files: exit $rc"; cat "$tmp/ndiff"
fi
xsltproc "$xsl" "$tmp/a.xml" >"$tmp/a.html" 2>"$tmp/xslt.err" || bad "xsltproc with $xsl: exit $?"
if ! grep -q "svdetect $ver was initiated at" "$tmp/a.html" || grep -q "Nmap $ver" "$tmp/a.html"; then
	bad "nmap.xsl's page does not name svdetect $ver"; grep -n 'initiated' "$tmp/a.html"
fi

# --- --version: absolute paths of files that exist ----------------------------
"$svd" --version | sed -n 's/^signatures [^:]*: \([^,]*\),.*/\1/p' >"$tmp/sources"
[ -s "$tmp/sources" ] || bad "--version lists no signature file"
while read -r path; do
	case $path in
	/*) [ -r "$path" ] || bad "--version: $path is not readable" ;;
	*) bad "--version: $path is not absolute" ;;
	esac
done <"$tmp/sources"

[ $fail -eq 0 ] && echo "PASS: stdout beside the files, -oN -/-oX -, svdetect named in every output, --version's paths"
exit $fail
