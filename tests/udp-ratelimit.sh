#!/bin/sh
# The UDP scan against a host whose ICMP errors Linux rate-limits (one a
# second after a burst of six: every host but loopback), as Nmap copes
# with it: retransmissions, a pause before each new try number and a
# growing send delay, so that closed ports are not taken for
# open|filtered.  In a network namespace of its own (tests/netns-common.sh)
# with a child namespace behind a veth pair, 10.9.0.1 here and 10.9.0.2
# there; nothing leaves the two.  30 closed ports and a silent one.
. "${top_srcdir:?}/tests/netns-common.sh"
. "${top_srcdir:?}/tests/hostile-common.sh"
for tool in timeout python3 nsenter; do
	command -v $tool >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done

unshare -n sleep 300 &
child=$!
srv_pids="$srv_pids $child"
sleep 0.3
if ! ip link add va type veth peer name vb 2>"$tmp/veth.err"; then
	echo "SKIP: no veth pair here: $(cat "$tmp/veth.err")"
	exit 77
fi
ip link set vb netns "$child" && ip addr add 10.9.0.1/24 dev va && ip link set va up &&
	nsenter -t "$child" -n sh -c 'ip link set lo up && ip addr add 10.9.0.2/24 dev vb &&
		ip link set vb up' || { echo "FAIL: cannot set up the veth pair"; exit 99; }
nsenter -t "$child" -n python3 "$top_srcdir/tests/udp_server.py" --lifetime 300 10.9.0.2 \
	silent=69 >"$tmp/udp.ready" 2>"$tmp/udp.err" &
srv_pids="$srv_pids $!"
i=0
until grep -q ready "$tmp/udp.ready" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 100 ] || { echo "FAIL: udp_server.py did not start"; cat "$tmp/udp.err"; exit 99; }
	sleep 0.1
done

t0=$(date +%s)
timeout -k 5 240 "$svd" -n -Pn -sU -v --reason -p 69,100-129 10.9.0.2 >"$tmp/out" 2>"$tmp/err"
rc=$?
secs=$(($(date +%s) - t0))
[ $rc -eq 0 ] || bad "exit $rc (124: timed out): $(head -c 600 "$tmp/err")"
grep -Eq 'Sanitizer|runtime error:' "$tmp/err" && bad "sanitizer report: $(head -c 2000 "$tmp/err")"
# -v shows up to 50 ports a state: each closed port on its line.
[ "$(grep -Ec '^1[0-2][0-9]/udp +closed +[^ ]+ +port-unreach ttl 64$' "$tmp/out")" -eq 30 ] ||
	bad "not every closed port was found closed: $(grep -E '/udp' "$tmp/out")"
grep -Eqx '69/udp +open\|filtered +tftp +no-response' "$tmp/out" || bad "69 is not open|filtered"
# It slowed down, as Nmap does, in Nmap's words.
grep -Eq '^Increasing send delay for 10\.9\.0\.2 from 0 to 50 due to ' "$tmp/out" ||
	bad "no growth of the send delay was reported"
# Nmap 7.93's -sU takes 28 s on these ports (measured); svdetect's port
# scan about 24 s, then 15 s of 69's probes.
[ $secs -le 75 ] || bad "$secs s"
echo "$secs s"
exit $fail
