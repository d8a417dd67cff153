#!/bin/sh
# Builds the TLS facts' fuzz target (tests/fuzz/fuzz_tls_facts.c) with
# clang's libFuzzer, ASan and UBSan, and runs it for FUZZ_SECONDS (default
# 20) on seeds of DER certificates: the output samples' one and ones
# openssl makes here (RSA, EC, ed25519; alternative names of every kind;
# a long common name).  Exit 0 = no crash, leak, failed property or
# sanitizer report.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
seconds=${FUZZ_SECONDS:-20}
[ "$seconds" -gt 0 ] || exit 77 # skipped (the sanitizer build of scripts/test.sh)
work="$top_builddir/tests/fuzz"
seeds="$work/tls-seeds"
mkdir -p "$seeds" "$work/corpus-fuzz_tls_facts"
CLANG=${CLANG:-clang}
if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "clang not found: install the Debian packages clang and libclang-rt-dev" >&2
	exit 1
fi
command -v openssl >/dev/null 2>&1 || { echo "SKIP: no openssl command for the seeds"; exit 77; }

rt="$top_srcdir/runtime"
"$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$rt/match" -I"$rt/result" -I"$rt/scan" -I"$rt/output" -I"$top_srcdir/tests" \
	"$top_srcdir/tests/fuzz/fuzz_tls_facts.c" "$top_srcdir/tests/output_samples.c" \
	"$rt/scan/tls_facts.c" "$rt/output/output_common.c" "$rt/output/output_tls.c" \
	"$rt/output/output_normal.c" "$rt/output/output_xml.c" "$rt/output/output_grep.c" \
	"$rt/output/output_json.c" "$rt/match/escape.c" "$rt/match/json.c" \
	"$rt/match/fingerprint.c" "$rt/match/template.c" \
	-lssl -lcrypto -o "$work/fuzz_tls_facts"

openssl x509 -in "$top_srcdir/tests/data/output/tls-cert.pem" -outform DER \
	-out "$seeds/sample.der"
# seed NAME KEY-OPTIONS... : a self-signed certificate with many kinds of names.
seed() {
	name=$1
	shift
	openssl req -x509 -nodes -days 2 "$@" -keyout "$seeds/$name.key" -out "$seeds/$name.der" \
		-outform DER -subj "/CN=$name.example/O=Org &<>/OU=unit/C=DE/emailAddress=a@b.c" \
		-addext "subjectAltName=DNS:$name.example,IP:127.0.0.1,IP:::1,email:a@b.c,URI:http://x/,RID:1.2.3.4,dirName:dir_sect" \
		-config "$seeds/req.cnf" 2>/dev/null
	rm -f "$seeds/$name.key"
}
printf '[req]\ndistinguished_name=dn\n[dn]\n[dir_sect]\nCN=dir\n' >"$seeds/req.cnf"
seed rsa -newkey rsa:1024
seed ec -newkey ec -pkeyopt ec_paramgen_curve:P-256
seed ed25519 -newkey ed25519
rm -f "$seeds/req.cnf"

"$work/fuzz_tls_facts" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/" \
	"$work/corpus-fuzz_tls_facts" "$seeds" 2>"$work/fuzz_tls_facts.log" || {
	tail -n 60 "$work/fuzz_tls_facts.log" >&2
	exit 1
}
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' \
	"$work/fuzz_tls_facts.log" || true
echo "fuzz_tls_facts: ${seconds}s, no crash"
