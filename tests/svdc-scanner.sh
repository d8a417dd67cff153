#!/bin/sh
# svdc --scanner on svdetect's own probe file, as a user would run it:
#   - the dynamic scanner's --match output equals `svdetect --signatures
#     own --match` on the captured banners (tests/data/responses);
#   - --static: ldd says "not a dynamic executable", the same --match
#     output, and it refuses --signatures PATH.so (it links no loader);
#   - as root, in network and mount namespaces of the test's own, the
#     static scanner runs alone in an empty chroot (no nmap-common, no
#     OpenSSL, no svdetect, no shared library at all): --version, a scan
#     of openssl s_server -www through TLS (ssl/http), the target
#     `localhost` resolved from the chroot's /etc/hosts and another name
#     through its /etc/resolv.conf's server (static glibc's own files and
#     dns sources); skipped, and said, without namespaces, openssl or
#     python3.
# Not under sanitizers: a sanitized runtime cannot link statically, so the
# static parts are skipped there (said so).
: "${top_srcdir:?}" "${top_builddir:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
svdc=$top_builddir/svdc
svd=$top_builddir/svdetect
probes=$top_srcdir/signatures/svdetect-service-probes
responses=$top_srcdir/tests/data/responses

# --match of every captured NULL, GetRequest and GenericLines response.
match_all() { # SCANNER [ARGS...]
	for f in "$responses"/*-NULL.bin "$responses"/*-GetRequest.bin \
		"$responses"/*-GenericLines.bin; do
		"$@" --match "$(basename "$f" .bin | sed 's/.*-//')" "$f" || echo "exit $?"
	done
}
match_all "$svd" --signatures own >"$tmp/expected" 2>&1
[ "$(grep -c '"service"' "$tmp/expected")" -ge 10 ] ||
	{ echo "FAIL: svdetect --signatures own names fewer than 10 responses"; exit 99; }

# Its temporary directory in a folder of the test's, to see it removed.
mkdir "$tmp/t"
TMPDIR=$tmp/t "$svdc" --scanner --name own -o "$tmp/scan" "$probes" >"$tmp/svdc.out" 2>&1 ||
	{ cat "$tmp/svdc.out"; bad "svdc --scanner"; }
[ -z "$(ls "$tmp/t")" ] || bad "svdc left its temporary directory: $(ls "$tmp/t")"
if [ -x "$tmp/scan" ]; then
	match_all "$tmp/scan" >"$tmp/got" 2>&1
	diff -u "$tmp/expected" "$tmp/got" >"$tmp/diff" || bad "the scanner's --match differs: $(head -n 20 "$tmp/diff")"
	"$tmp/scan" --version | grep -q '^signatures own (default): ' || bad "the scanner's --version"
fi

# A usage error and a set with errors: no program, the documented statuses.
"$svdc" --scanner -o "$tmp/none" 2>/dev/null; rc=$?
[ $rc -eq 2 ] || bad "svdc --scanner with no file: exit $rc, expected 2"
printf 'Probe TCP X q||\nmatch x m|(|\n' >"$tmp/bad.probes"
"$svdc" --scanner -o "$tmp/none" "$tmp/bad.probes" 2>/dev/null; rc=$?
[ $rc -eq 1 ] && [ ! -e "$tmp/none" ] || bad "svdc --scanner on a bad file: exit $rc, expected 1 and no program"
CC=/nonexistent/cc "$svdc" --scanner -o "$tmp/none" "$probes" 2>"$tmp/cc.err"; rc=$?
[ $rc -eq 1 ] && grep -q 'cannot run /nonexistent/cc' "$tmp/cc.err" ||
	bad "svdc --scanner with CC=/nonexistent/cc: exit $rc, $(cat "$tmp/cc.err")"

if grep -q -- '-fsanitize' "$top_builddir/svdetect-uninstalled.pc"; then
	echo "SKIP (part): a sanitized runtime cannot link statically: no --static checks"
	[ $fail -eq 0 ] && echo "PASS: svdc --scanner's scanner matches as svdetect --signatures own"
	exit $fail
fi

# --- --static -------------------------------------------------------------------
# Each library of the static link must be there as an archive: Debian 13's
# libcrypto.a needs libz.a and libzstd.a (zlib1g-dev, libzstd-dev), which
# a machine may lack; then svdc --static fails at the link, as it says.
missing=
for l in $(PKG_CONFIG_PATH=$top_builddir pkg-config --static --libs-only-l svdetect); do
	a=$(${GEN_CC:-cc} -print-file-name="lib${l#-l}.a")
	[ "$a" != "lib${l#-l}.a" ] || missing="$missing lib${l#-l}.a"
done
if [ -n "$missing" ]; then
	echo "SKIP (part): no$missing here: no --static checks"
	[ $fail -eq 0 ] && echo "PASS: svdc --scanner's scanner matches as svdetect --signatures own"
	exit $fail
fi
"$svdc" --scanner --static --name own -o "$tmp/static" "$probes" >"$tmp/static.out" 2>&1 ||
	{ cat "$tmp/static.out"; bad "svdc --scanner --static"; }
[ -x "$tmp/static" ] || { echo "FAIL: no static scanner"; exit 1; }
ldd "$tmp/static" 2>&1 | grep -q 'not a dynamic executable' ||
	bad "ldd of the static scanner: $(ldd "$tmp/static" 2>&1)"
match_all "$tmp/static" >"$tmp/got-static" 2>&1
diff -u "$tmp/expected" "$tmp/got-static" >"$tmp/diff" ||
	bad "the static scanner's --match differs: $(head -n 20 "$tmp/diff")"
"$svdc" --shared --name own -o "$tmp/own.so" "$probes" || bad "svdc --shared"
"$tmp/static" --signatures "$tmp/own.so" --version >/dev/null 2>"$tmp/load.err"; rc=$?
[ $rc -eq 2 ] && grep -q 'this scanner loads no signature sets' "$tmp/load.err" ||
	bad "the static scanner and a .so: exit $rc, $(cat "$tmp/load.err")"

# --- Alone in an empty root, with TLS ----------------------------------------------
if [ "$(id -u)" != 0 ] || ! command -v openssl >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1 ||
	! unshare -n -m true 2>/dev/null; then
	echo "SKIP (part): not root, no openssl, no python3 or no namespaces: the static scanner is not run alone"
	[ $fail -eq 0 ] && echo "PASS: svdc --scanner and --static match as svdetect --signatures own"
	exit $fail
fi
root=$tmp/root
mkdir -p "$root/etc"
cp "$tmp/static" "$root/scan"
echo '127.0.0.1 localhost' >"$root/etc/hosts"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>"$tmp/req.err" || { cat "$tmp/req.err"; exit 99; }
echo 'nameserver 127.0.0.1' >"$root/etc/resolv.conf"
# A name server of the namespace's own: every A query gets 127.0.0.1, any
# other query an empty answer.
cat >"$tmp/dns.py" <<'EOS'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
s.settimeout(60)
print("ready", flush=True)
for _ in range(100):
    q, peer = s.recvfrom(512)
    i = 12
    while i < len(q) and q[i]:
        i += q[i] + 1
    if len(q) < i + 5:
        continue
    a = q[i + 1:i + 3] == b"\0\1"
    ans = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton("127.0.0.1")
    s.sendto(q[:2] + b"\x81\x80" + struct.pack(">HHHH", 1, int(a), 0, 0) + q[12:i + 5] +
             (ans if a else b""), peer)
EOS
cat >"$tmp/alone.sh" <<'EOS'
ip link set lo up || exit 99
python3 "$1/dns.py" >"$1/dns.out" 2>&1 &
dns=$!
timeout 120 openssl s_server -accept 127.0.0.1:4433 -www -tls1_2 -cert "$1/cert.pem" \
	-key "$1/key.pem" >"$1/server.out" 2>&1 </dev/null &
i=0
until grep -q ACCEPT "$1/server.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -le 100 ] || exit 99; sleep 0.1
done
chroot "$1/root" /scan --version >"$1/alone-version" 2>&1
timeout 100 chroot "$1/root" /scan -Pn -p 4433 -oN - localhost >"$1/alone-scan" 2>&1
echo "exit $?" >>"$1/alone-scan"
kill $!
i=0
until grep -q ready "$1/dns.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -le 100 ] || exit 99; sleep 0.1
done
timeout 30 chroot "$1/root" /scan -n -Pn -p 1 scanner-test.example >"$1/alone-dns" 2>&1
kill $dns
EOS
unshare -n -m sh "$tmp/alone.sh" "$tmp" || bad "the namespace's set-up failed ($?)"
grep -q '^TLS: yes' "$tmp/alone-version" || bad "alone, --version: $(cat "$tmp/alone-version")"
grep -q '^rpc programs: .*No such file' "$tmp/alone-version" ||
	bad "alone, --version should find no nmap-rpc: $(cat "$tmp/alone-version")"
grep -q '^4433/tcp open  ssl/http' "$tmp/alone-scan" && grep -q 'scan report for localhost (127.0.0.1)' "$tmp/alone-scan" &&
	grep -q '^exit 0' "$tmp/alone-scan" || bad "alone, a TLS scan of localhost: $(cat "$tmp/alone-scan")"
grep -q 'scan report for scanner-test.example (127.0.0.1)' "$tmp/alone-dns" ||
	bad "alone, a name through /etc/resolv.conf's server: $(cat "$tmp/alone-dns")"
[ $fail -eq 0 ] && echo "PASS: svdc --scanner and --static match as svdetect --signatures own; the static scanner, alone in an empty root, resolves localhost from /etc/hosts and a name through /etc/resolv.conf's server, and finds ssl/http through TLS"
exit $fail
