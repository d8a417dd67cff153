#!/bin/sh
# Installs the Debian 12 or 13 packages svdetect needs to build and test, and
# nothing that is already there.  Run as root (or with sudo available).
set -eu
# bind9-dnsutils, snmp, tftp-hpa, libcoap3-bin (coap-client-openssl): the
# clients tests/udp-daemons.sh queries the test daemons with
# (scripts/daemons.sh installs the daemons; libcoap3-bin holds both).
packages="build-essential autoconf automake pkg-config re2c bison
	libssl-dev libc-ares-dev check libpcre2-dev nmap nmap-common
	clang libclang-rt-dev
	ndiff libxml2-utils xsltproc time openssl iproute2 nftables perl
	bind9-dnsutils snmp tftp-hpa libcoap3-bin rpcbind nfs-common"
# Daemons the tests run themselves, in network namespaces of their own: a
# package installed here must not start or enable a service listening on
# the machine's addresses (rpcbind would serve port 111 to the network).
daemons="rpcbind nfs-common"
missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "setup: installing$missing" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
	# invoke-rc.d and deb-systemd-invoke start nothing while it exits 101.
	printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
	$sudo chmod 755 /usr/sbin/policy-rc.d
	policy=1
fi
rc=0
# shellcheck disable=SC2086 # word splitting of the package list is wanted
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null || rc=$?
[ -z "$policy" ] || $sudo rm -f /usr/sbin/policy-rc.d
new_daemons=
for p in $daemons; do
	case " $missing " in *" $p "*) new_daemons=1 ;; esac
done
# Enabled for the next boot all the same, under systemd: undone.
if [ -n "$new_daemons" ] && command -v systemctl >/dev/null 2>&1; then
	$sudo systemctl disable --now rpcbind.socket rpcbind.service rpc-statd.service \
		>/dev/null 2>&1 || true
fi
exit $rc
