#!/bin/sh
# scripts/nmap-db.sh SUITE: fetches Debian SUITE's nmap-common (trixie:
# Nmap 7.95) from Debian's archive and prints the path of its
# nmap-service-probes.  The package is kept in $SVD_NMAP_DB_CACHE
# (default /var/cache/svdetect/nmap-db/SUITE) and fetched again only when
# the archive has a newer one.
#
# apt-get runs with a sources list, state and cache of its own under that
# directory; the system's apt configuration is neither read for sources
# nor changed.  Signatures are checked with Debian's archive keyring.
# Exit 77 when the archive cannot be reached (a test runner's "skipped"),
# 1 on any other failure.  Nothing of Nmap's is ever written into the
# repository.
set -u
suite=${1:-}
case $suite in '' | *[!a-z]*) echo "usage: $0 SUITE (e.g. trixie)" >&2; exit 2 ;; esac
dir=${SVD_NMAP_DB_CACHE:-/var/cache/svdetect/nmap-db/$suite}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/etc/parts" || exit 1
echo "deb [signed-by=$keyring] http://deb.debian.org/debian $suite main" >"$dir/etc/sources.list"
apt_private() { # bounded: a hanging mirror is not waited for
	timeout 300 apt-get -q -o Dir::Etc::sourcelist="$dir/etc/sources.list" \
		-o Dir::Etc::sourceparts="$dir/etc/parts" -o Dir::Etc::preferencesparts="$dir/etc/parts" \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" \
		-o Dir::State::status=/dev/null -o APT::Sandbox::User=root "$@"
}
if ! apt_private update >"$dir/update.log" 2>&1 ||
	grep -qE '^(W|E): (Failed to fetch|Some index files failed)' "$dir/update.log"; then
	if ls "$dir"/nmap-common_*.deb >/dev/null 2>&1; then
		echo "nmap-db: the archive cannot be reached; using the package fetched before" >&2
	else
		tail -n 3 "$dir/update.log" >&2
		echo "nmap-db: SKIP: Debian's archive cannot be reached (log: $dir/update.log)" >&2
		exit 77
	fi
else
	(cd "$dir" && apt_private download nmap-common >"$dir/download.log" 2>&1) || {
		tail -n 3 "$dir/download.log" >&2
		echo "nmap-db: apt-get download nmap-common ($suite) failed" >&2
		exit 1
	}
fi
deb=$(ls -t "$dir"/nmap-common_*.deb | head -n 1)
# Unpacked afresh whenever the package changed.
if [ ! -f "$dir/root/.from" ] || [ "$(cat "$dir/root/.from")" != "$deb" ]; then
	rm -rf "$dir/root"
	dpkg-deb -x "$deb" "$dir/root" || exit 1
	echo "$deb" >"$dir/root/.from"
fi
ls "$dir"/nmap-common_*.deb | grep -vxF "$deb" | xargs -r rm -f
echo "$dir/root/usr/share/nmap/nmap-service-probes"
