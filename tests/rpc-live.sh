#!/bin/sh
# The SunRPC grinder on Debian's own RPC daemons, in namespaces of their
# own (tests/netns-common.sh): rpcbind on 111 and, with nfs-common,
# rpc.statd on 32765, each with its state in the test's directory (a
# tmpfs over /run, the test's directory over /var/lib/nfs, in the private
# mount namespace); both serve TCP and UDP.  svdetect -sV -sT -sU, the
# grinder calling over TCP (record marking) and over UDP (a call a
# datagram), must name them as Nmap 7.93 does:
#
#   111/tcp   open  rpcbind 2-4 (RPC #100000)
#   32765/tcp open  status  1 (RPC #100024)
#   111/udp   open  rpcbind 2-4 (RPC #100000)
#   32765/udp open  status  1 (RPC #100024)
#
# in normal output, with the same fields in XML (version, extrainfo,
# probed, conf 10, no rpcnum: Nmap 7.93 writes none) and the numbers in
# JSON's "rpc".  With nmap installed, `nmap -sV -sT -sU -Pn -n` scans the
# same ports in the same namespace and its port table and XML fields
# must be the same (Nmap's -sU needs root, or root of the namespace's
# user namespace).  Skips (77) without rpcbind (Debian package rpcbind;
# scripts/setup-debian.sh installs it).
. "${top_srcdir:?}/tests/netns-common.sh"
# $svd, $tmp, bad(), and the daemons in $srv_pids stopped at exit.
. "${top_srcdir:?}/tests/hostile-common.sh"
[ -r /usr/share/nmap/nmap-rpc ] ||
	{ echo "SKIP: no /usr/share/nmap/nmap-rpc (Debian package nmap-common): no grinding"; exit 77; }
for tool in rpcbind rpcinfo timeout; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "SKIP: no $tool (Debian packages rpcbind, coreutils)"; exit 77; }
done
statd_port=32765

# rpcbind's socket, lock and warm-start files go to /run, statd's state
# to /var/lib/nfs: the namespace's own copies, not the machine's.
if ! mount -t tmpfs -o mode=0755 tmpfs /run || ! mkdir -p /run/rpcbind; then
	echo "SKIP: cannot mount a tmpfs over /run in the mount namespace"
	exit 77
fi
rpcbind -f >"$tmp/rpcbind.log" 2>&1 </dev/null &
srv_pids="$srv_pids $!"

# until_up WHAT CMD...: waits (bounded, 10 s) until CMD succeeds.
until_up() {
	what=$1
	shift
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "SKIP: $what did not come up here:"
			cat "$tmp"/*.log
			exit 77
		fi
		sleep 0.1
	done
}
until_up rpcbind rpcinfo -T tcp 127.0.0.1 100000 2
until_up "rpcbind (UDP)" rpcinfo -T udp 127.0.0.1 100000 2
ports=111
if command -v rpc.statd >/dev/null 2>&1; then
	mkdir -p "$tmp/nfs/sm" "$tmp/nfs/sm.bak"
	mount --bind "$tmp/nfs" /var/lib/nfs || { echo "SKIP: cannot bind over /var/lib/nfs"; exit 77; }
	rpc.statd --no-notify -F -p "$statd_port" -o $((statd_port + 1)) \
		>"$tmp/statd.log" 2>&1 </dev/null &
	srv_pids="$srv_pids $!"
	until_up rpc.statd rpcinfo -T tcp 127.0.0.1 100024 1
	until_up "rpc.statd (UDP)" rpcinfo -T udp 127.0.0.1 100024 1
	ports="$ports,$statd_port"
else
	echo "note: no rpc.statd (Debian package nfs-common): only rpcbind is ground"
fi

run_bounded svd 120 -Pn -sV -sT -sU -p "T:$ports,U:$ports" -oN "$tmp/svd.nmap" \
	-oX "$tmp/svd.xml" -oJ "$tmp/svd.json" --version-trace 127.0.0.1
svd_s=$(cat "$tmp/svd.secs")

# The port table of a normal-output file, its header included.
table() { sed -n '/^PORT /,/^$/p' "$1"; }
table "$tmp/svd.nmap" >"$tmp/svd.table"
for proto in tcp udp; do
	grep -Eq "^111/$proto +open +rpcbind +2-4 \\(RPC #100000\\)\$" "$tmp/svd.table" ||
		bad "port 111/$proto is not 'rpcbind 2-4 (RPC #100000)': $(cat "$tmp/svd.table")"
	grep -q "\"port\":111,\"proto\":\"$proto\",.*\"rpc\":{\"program\":100000,\"name\":\"rpcbind\",\"low\":2,\"high\":4}" \
		"$tmp/svd.json" || bad "port 111/$proto: no rpc object (100000, rpcbind, 2, 4) in JSON"
	[ "$ports" = 111 ] && continue
	grep -Eq "^$statd_port/$proto +open +status +1 \\(RPC #100024\\)\$" "$tmp/svd.table" ||
		bad "port $statd_port/$proto is not 'status 1 (RPC #100024)': $(cat "$tmp/svd.table")"
	grep -q "\"port\":$statd_port,\"proto\":\"$proto\",.*\"rpc\":{\"program\":100024,\"name\":\"status\",\"low\":1,\"high\":1}" \
		"$tmp/svd.json" || bad "port $statd_port/$proto: no rpc object (100024, status, 1, 1) in JSON"
done
# Over UDP, a call a datagram: both ports ground by the grinder itself.
for port in $(echo "$ports" | tr , ' '); do
	grep -q "^RPC grind: 127\\.0\\.0\\.1:$port (udp) is [a-z]* after [0-9]* calls (decided)\$" \
		"$tmp/svd.err" || bad "port $port/udp: no grind over UDP that decided"
done
grep -q 'rpcnum=' "$tmp/svd.xml" && bad "XML has rpcnum, which Nmap 7.93 never writes"
grep 'RPC grind:' "$tmp/svd.err"

if command -v nmap >/dev/null 2>&1 && command -v xsltproc >/dev/null 2>&1; then
	start=$(date +%s)
	timeout -k 5 120 nmap -n -Pn -sV -sT -sU -p "T:$ports,U:$ports" -oN "$tmp/nmap.nmap" -oX "$tmp/nmap.xml" \
		127.0.0.1 >"$tmp/nmap.out" 2>&1 || bad "nmap failed: $(tail -n 3 "$tmp/nmap.out")"
	nmap_s=$(($(date +%s) - start))
	table "$tmp/nmap.nmap" >"$tmp/nmap.table"
	cmp -s "$tmp/nmap.table" "$tmp/svd.table" || bad "the port tables differ:
nmap:
$(cat "$tmp/nmap.table")
svdetect:
$(cat "$tmp/svd.table")"
	for tool in nmap svd; do
		xsltproc "$top_srcdir/tests/integration-ports.xsl" "$tmp/$tool.xml" >"$tmp/$tool.tsv" ||
			exit 99
	done
	cmp -s "$tmp/nmap.tsv" "$tmp/svd.tsv" || bad "XML fields differ:
nmap:     $(cat "$tmp/nmap.tsv")
svdetect: $(cat "$tmp/svd.tsv")"
	echo "nmap: ${nmap_s}s, svdetect: ${svd_s}s"
else
	echo "note: no nmap or xsltproc: not compared with Nmap"
fi
cat "$tmp/svd.table"
[ $fail -eq 0 ] && echo "PASS: the RPC daemons named as Nmap 7.93 names them, over TCP and UDP"
exit $fail
