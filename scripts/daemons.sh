#!/bin/bash
# scripts/daemons.sh: run real network daemons from Debian packages on
# 127.0.0.1 so svdetect's integration tests can scan them.
#
#   scripts/daemons.sh install  install (or fetch and unpack) what is missing
#   scripts/daemons.sh start    install what is missing, start everything
#   scripts/daemons.sh stop     stop exactly what `start` started (pid files)
#   scripts/daemons.sh status   print the service/port/status table
#   scripts/daemons.sh list     TSV: name port package version status kind,
#                               kind: plain or tls (TCP ports) or udp
#
# No systemd: each daemon binary is started directly with a configuration
# generated into $SVD_DAEMON_DIR (default /tmp/svdetect-daemons).  Every
# daemon listens on 127.0.0.1 only (but statd: see UDP below).  Packages
# that conflict with an installed one (a second FTP server, a second MTA,
# an NTP server) are fetched with `apt-get download` and unpacked into
# $SVD_DAEMON_DIR/root instead of being installed.
#
# Must run as root (binds ports < 1024, drops privileges to package users).
# `start` is idempotent; every wait loop is bounded.
#
# TLS: nginx (443, 4430), apache2 (8443), postfix (465, 10465), a second
# dovecot (993, 995, 10993), stunnel (6697 in front of ngircd's 6667,
# 16380 in front of redis's 6379) and slapd (636, 10636) serve TLS with
# one throwaway self-signed certificate that `start` makes in $D/tls
# (tls_cert).  The plaintext ports stay as they were: no STARTTLS is
# offered on them.
#
# UDP: named (53, 5353, as on TCP), snmpd (161, 1161; community
# "public", read-only), chronyd (123: an NTP server of local stratum 10
# with no upstream server, never touching the clock), tftpd-hpa (69 and
# 10069, one in.tftpd each), rpcbind (111, TCP and UDP) and rpc.statd
# (32765, TCP and UDP) for the SunRPC grinder.  rpcbind and statd start
# only in a network namespace whose one interface is the loopback
# (scripts/netns.sh): statd binds the wildcard address, which there
# reaches nothing else.  They share a private /run and /etc/netconfig
# (start_rpcbind).
#
# DTLS (UDP ports, kind udp): coturn's turnserver speaks STUN/TURN over
# DTLS on 5349 alone (no plain UDP, TCP or TLS listener; relay addresses
# on 127.0.0.1 only), and libcoap's coap-server-openssl CoAP over DTLS on
# 5684 besides plain CoAP on 5683 (which it cannot leave out), both with
# the certificate of tls_cert.
#
# Environment:
#   SVD_DAEMON_DIR    state directory (default /tmp/svdetect-daemons)
#   SVD_DAEMONS       space-separated subset of service names to act on
#   SVD_NO_INSTALL=1  never call apt-get; skip services whose binary is absent

set -u
umask 022

D=${SVD_DAEMON_DIR:-/tmp/svdetect-daemons}
RUN=$D/run
LOGD=$D/log
ROOT=$D/root            # unpacked (not installed) packages
WWW=$D/www
export DEBIAN_FRONTEND=noninteractive
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# name | ports | package (for version) | binary that must exist | install mode
# ports: PORT/tcp, PORT/tls (TCP, where the daemon speaks TLS at once: no
# STARTTLS) or PORT/udp.
# install mode: apt = apt-get install; extract = apt-get download + unpack.
SERVICES='
sshd|22/tcp 8022/tcp|openssh-server|/usr/sbin/sshd|apt
dropbear|2222/tcp|dropbear-bin|/usr/sbin/dropbear|apt
nginx|80/tcp 2121/tcp 443/tls 4430/tls|nginx-light|/usr/sbin/nginx|apt
apache2|8080/tcp 8443/tls|apache2|/usr/sbin/apache2|apt
lighttpd|8081/tcp|lighttpd|/usr/sbin/lighttpd|apt
postfix|25/tcp 10025/tcp 465/tls 10465/tls|postfix|/usr/sbin/postfix|apt
exim|2525/tcp|exim4-daemon-light|ROOT/usr/sbin/exim4|extract
vsftpd|21/tcp|vsftpd|/usr/sbin/vsftpd|apt
proftpd|2100/tcp|proftpd-core|ROOT/usr/sbin/proftpd|extract
pure-ftpd|2130/tcp|pure-ftpd|ROOT/usr/sbin/pure-ftpd|extract
dovecot|143/tcp 1143/tcp 110/tcp 1110/tcp|dovecot-imapd|/usr/sbin/dovecot|apt
dovecot-tls|993/tls 995/tls 10993/tls|dovecot-imapd|/usr/sbin/dovecot|apt
redis|6379/tcp|redis-server|/usr/bin/redis-server|apt
redis2|16379/tcp|redis-server|/usr/bin/redis-server|apt
mariadb|3306/tcp|mariadb-server|/usr/sbin/mariadbd|apt
postgresql|5432/tcp|postgresql|/usr/bin/pg_config_any|apt
memcached|11211/tcp|memcached|/usr/bin/memcached|apt
rsyncd|873/tcp|rsync|/usr/bin/rsync|apt
named|53/tcp 5353/tcp 53/udp 5353/udp|bind9|/usr/sbin/named|apt
mosquitto|1883/tcp|mosquitto|/usr/sbin/mosquitto|apt
ngircd|6667/tcp 16667/tcp|ngircd|/usr/sbin/ngircd|apt
tinyproxy|8888/tcp|tinyproxy|/usr/bin/tinyproxy|apt
stunnel|6697/tls 16380/tls|stunnel4|/usr/bin/stunnel4|apt
slapd|636/tls 10636/tls|slapd|/usr/sbin/slapd|apt
snmpd|161/udp 1161/udp|snmpd|/usr/sbin/snmpd|apt
chronyd|123/udp|chrony|ROOT/usr/sbin/chronyd|extract
tftpd|69/udp|tftpd-hpa|/usr/sbin/in.tftpd|apt
tftpd2|10069/udp|tftpd-hpa|/usr/sbin/in.tftpd|apt
rpcbind|111/tcp 111/udp|rpcbind|/usr/sbin/rpcbind|apt
statd|32765/tcp 32765/udp|nfs-common|/usr/sbin/rpc.statd|apt
coturn|5349/udp|coturn|/usr/bin/turnserver|apt
coap-server|5683/udp 5684/udp|libcoap3-bin|/usr/bin/coap-server-openssl|apt
'
# stunnel comes after ngircd and redis: it forwards to their ports;
# statd after rpcbind: it registers there.  chrony is unpacked: it
# conflicts with systemd-timesyncd, which a Debian system may have.
# Extra packages some services need besides their own.
EXTRA_APT='dovecot-pop3d openssl iproute2 adduser util-linux python3-minimal'
# Shared libraries of the unpacked packages (their Depends, minus the
# conflicting package itself).
EXTRACT_LIBS='libhiredis0.14 libmemcached11 libmemcachedutil2 libpcre2-posix3
libsodium23 libgnutls-dane0 libidn12 libdb5.3 libnsl2 libcap2 libacl1
libpam0g libssl3 libedit2 libgnutls30 libnettle8 libseccomp2'

log() { printf 'daemons.sh: %s\n' "$*" >&2; }

svc_field() { # name fieldno
	printf '%s\n' "$SERVICES" | awk -F'|' -v n="$1" -v f="$2" '$1 == n { print $f }'
}

ports_of() { # name: its ports as PORT/tcp or PORT/udp
	svc_field "$1" 2 | sed 's,/tls,/tcp,g'
}

selected() {
	local all
	all=$(printf '%s\n' "$SERVICES" | awk -F'|' 'NF > 1 { print $1 }')
	if [ -n "${SVD_DAEMONS:-}" ]; then
		printf '%s\n' $SVD_DAEMONS
	else
		printf '%s\n' "$all"
	fi
}

pg_bindir() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

binary_of() {
	local b
	b=$(svc_field "$1" 4)
	case $b in
	ROOT/*) b=$ROOT/${b#ROOT/} ;;
	/usr/bin/pg_config_any) b=$(pg_bindir)/postgres ;;
	esac
	printf '%s\n' "$b"
}

# Where each service's pid lives.  Daemons that write their own pid file are
# pointed at it; foreground daemons get the shell's $! written to $RUN.
pidfile_of() {
	case $1 in
	postfix) echo "$D/postfix/spool/pid/master.pid" ;;
	dovecot | dovecot-tls) echo "$D/$1/run/master.pid" ;;
	slapd) echo "$D/slapd/run/slapd.pid" ;;
	postgresql) echo "$D/postgresql/data/postmaster.pid" ;;
	named) echo "$D/named/named.pid" ;;
	exim) echo "$D/exim/exim.pid" ;;
	*) echo "$RUN/$1.pid" ;;
	esac
}

exe_of() { # the program name (/proc/PID/comm) of this service's main process
	case $1 in
	postfix) echo master ;;
	exim) echo exim4 ;;
	redis | redis2) echo redis-server ;;
	dovecot-tls) echo dovecot ;;
	stunnel) echo stunnel4 ;;
	mariadb) echo mariadbd ;;
	postgresql) echo postgres ;;
	rsyncd) echo rsync ;;
	tftpd | tftpd2) echo in.tftpd ;;
	statd) echo rpc.statd ;;
	coturn) echo turnserver ;;
	coap-server) echo coap-server-ope ;; # comm keeps 15 characters
	*) echo "$1" ;;
	esac
}

pid_of() { # prints pid if the service's process is alive
	local f p exe
	f=$(pidfile_of "$1")
	[ -r "$f" ] || return 1
	p=$(head -n 1 "$f" | tr -dc '0-9')
	[ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 1
	# A stale pid file may name a pid reused by another program: only
	# accept (and ever signal) a process with this service's program name.
	exe=$(cat "/proc/$p/comm" 2>/dev/null)
	[ "$exe" = "$(exe_of "$1")" ] || return 1
	printf '%s\n' "$p"
}

listening() { # PORT/tcp or PORT/udp -> 0 if something listens there
	case $1 in
	*/udp) ss -Hlun "sport = :${1%/udp}" 2>/dev/null | grep -q . ;;
	*) ss -Hltn "sport = :${1%/tcp}" 2>/dev/null | grep -q . ;;
	esac
}

wait_ports() { # name: wait up to 30 s for all its ports
	local i p ok
	for i in $(seq 1 60); do
		ok=1
		for p in $(ports_of "$1"); do
			listening "$p" || ok=0
		done
		[ $ok = 1 ] && return 0
		sleep 0.5
	done
	return 1
}

pkg_version() {
	local pkg=$1 v deb
	if [ "$pkg" = postgresql ] && [ -n "$(pg_bindir)" ]; then
		pkg=postgresql-$(basename "$(dirname "$(pg_bindir)")")
	fi
	v=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null)
	if [ -z "$v" ]; then
		deb=$(ls "$D/debs/${pkg}"_*.deb 2>/dev/null | head -n 1)
		[ -n "$deb" ] && v=$(dpkg-deb -f "$deb" Version 2>/dev/null)
	fi
	printf '%s\n' "${v:--}"
}

# --- installation ------------------------------------------------------------

APT_OPTS='-y -q --no-install-recommends -o DPkg::Lock::Timeout=120'
POLICY_CREATED=0

policy_on() {
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\n# svdetect daemons.sh: no service starts at install\nexit 101\n' \
			>/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		POLICY_CREATED=1
	fi
}

policy_off() {
	[ $POLICY_CREATED = 1 ] && rm -f /usr/sbin/policy-rc.d
	POLICY_CREATED=0
}

apt_install() {
	[ $# -gt 0 ] || return 0
	log "apt-get install $*"
	# shellcheck disable=SC2086
	if ! apt-get install $APT_OPTS "$@" >>"$LOGD/apt.log" 2>&1; then
		log "install failed; running apt-get update and retrying"
		apt-get update -q >>"$LOGD/apt.log" 2>&1
		# shellcheck disable=SC2086
		apt-get install $APT_OPTS "$@" >>"$LOGD/apt.log" 2>&1 ||
			log "apt-get install failed (see $LOGD/apt.log)"
	fi
}

apt_extract() { # package: download the .deb and unpack it into $ROOT
	local pkg=$1 deb
	mkdir -p "$D/debs" "$ROOT"
	chmod 755 "$D/debs"
	# apt-get download fetches as _apt where it may write (else it warns).
	chown _apt "$D/debs" 2>/dev/null
	deb=$(ls "$D/debs/${pkg}"_*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		log "apt-get download $pkg"
		(cd "$D/debs" && apt-get download -q "$pkg" >>"$LOGD/apt.log" 2>&1) ||
			{ apt-get update -q >>"$LOGD/apt.log" 2>&1;
			  (cd "$D/debs" && apt-get download -q "$pkg" >>"$LOGD/apt.log" 2>&1); }
		deb=$(ls "$D/debs/${pkg}"_*.deb 2>/dev/null | head -n 1)
	fi
	[ -n "$deb" ] || { log "could not download $pkg"; return 1; }
	dpkg-deb -x "$deb" "$ROOT"
}

install_missing() {
	local name pkgs='' extract='' pkg b mode
	[ "${SVD_NO_INSTALL:-0}" = 1 ] && return 0
	for name in $(selected); do
		pkg=$(svc_field "$name" 3)
		mode=$(svc_field "$name" 5)
		b=$(binary_of "$name")
		[ -x "$b" ] && continue
		if [ "$mode" = extract ]; then
			extract="$extract $pkg"
		else
			pkgs="$pkgs $pkg"
		fi
	done
	for pkg in $EXTRA_APT; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
			pkgs="$pkgs $pkg"
	done
	if [ -n "$extract" ]; then
		for pkg in $EXTRACT_LIBS; do
			dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
				pkgs="$pkgs $pkg"
		done
	fi
	policy_on
	# shellcheck disable=SC2086
	apt_install $pkgs
	policy_off
	for pkg in $extract; do
		apt_extract "$pkg"
	done
}

ensure_user() { # name: a system user+group as the Debian postinst would make
	getent passwd "$1" >/dev/null ||
		adduser --system --group --quiet --allow-bad-names --no-create-home \
			--home /nonexistent "$1" >/dev/null 2>&1
}

# --- per-service start functions ---------------------------------------------
# Each writes its configuration under $D/<name>/ and starts the daemon.

bg_start() { # name cmd...: run a foreground daemon detached; record its pid
	local name=$1
	shift
	setsid "$@" </dev/null >>"$LOGD/$name.out" 2>&1 &
	echo $! >"$RUN/$name.pid"
}

# A program for `python3 -c`: FD=tcp:PORT, FD=udp:PORT or FD=tcpheld:PORT
# ... -- PROGRAM ARG...  Binds each socket on 127.0.0.1 (tcp ones
# listening), puts it at descriptor FD and executes PROGRAM in the same
# process (bg_start's pid stays right).  For daemons that cannot bind
# 127.0.0.1 alone: they get their sockets as from inetd (descriptor 0) or
# from systemd's socket activation (LISTEN_FDS set by the caller;
# LISTEN_PID, the pid, here).  A tcpheld socket is bound but never
# listens, and without SO_REUSEADDR: PROGRAM's own bind of that TCP port
# fails, for daemons that cannot be told to leave TCP out.
BOUND_EXEC_PY='
import fcntl, os, socket, sys
end = sys.argv.index("--")
held = []
for spec in sys.argv[1:end]:
    fd, what = spec.split("=")
    proto, port = what.split(":")
    s = socket.socket(socket.AF_INET,
                      socket.SOCK_DGRAM if proto == "udp" else socket.SOCK_STREAM)
    if proto != "tcpheld":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(port)))
    if proto == "tcp":
        s.listen(64)
    # Out of the way of the descriptors asked for until all are bound.
    low = s.detach()
    held.append((int(fd), fcntl.fcntl(low, fcntl.F_DUPFD, 64)))
    os.close(low)
for fd, high in held:
    os.dup2(high, fd)
    os.close(high)
if "LISTEN_FDS" in os.environ:
    os.environ["LISTEN_PID"] = str(os.getpid())
os.execv(sys.argv[end + 1], sys.argv[end + 1:])
'

start_sshd() {
	local c=$D/sshd
	mkdir -p "$c" /run/sshd
	chmod 755 /run/sshd
	[ -f "$c/ssh_host_ed25519_key" ] ||
		ssh-keygen -q -t ed25519 -N '' -f "$c/ssh_host_ed25519_key"
	[ -f "$c/ssh_host_rsa_key" ] ||
		ssh-keygen -q -t rsa -b 2048 -N '' -f "$c/ssh_host_rsa_key"
	cat >"$c/sshd_config" <<EOF
ListenAddress 127.0.0.1:22
ListenAddress 127.0.0.1:8022
HostKey $c/ssh_host_ed25519_key
HostKey $c/ssh_host_rsa_key
PidFile $RUN/sshd.pid
UsePAM no
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
EOF
	/usr/sbin/sshd -f "$c/sshd_config" -E "$LOGD/sshd.log"
}

start_dropbear() {
	local c=$D/dropbear
	mkdir -p "$c"
	[ -f "$c/ed25519_host_key" ] ||
		dropbearkey -t ed25519 -f "$c/ed25519_host_key" >/dev/null 2>&1
	# -s: no password logins; dropbear daemonises and writes -P itself.
	/usr/sbin/dropbear -r "$c/ed25519_host_key" -p 127.0.0.1:2222 \
		-P "$RUN/dropbear.pid" -s -w 2>>"$LOGD/dropbear.log"
}

make_www() {
	mkdir -p "$WWW"
	[ -f "$WWW/index.html" ] ||
		printf '<!DOCTYPE html>\n<html><head><title>svdetect test page</title></head>\n<body><p>svdetect integration test server.</p></body></html>\n' \
			>"$WWW/index.html"
}

# The TLS services' certificate: self-signed, made here and never kept
# anywhere else; remade when missing or within a day of expiring.  The
# key is root's alone: every daemon reads it before dropping privileges,
# but slapd, which gets a copy of its own (start_slapd).
TLS=$D/tls
tls_cert() {
	mkdir -p "$TLS"
	chmod 755 "$TLS"
	[ -s "$TLS/key.pem" ] && openssl x509 -checkend 86400 -noout \
		-in "$TLS/cert.pem" >/dev/null 2>&1 && return 0
	(umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 30 \
		-subj '/O=svdetect test/CN=localhost' \
		-addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
		-keyout "$TLS/key.pem" -out "$TLS/cert.pem" >>"$LOGD/tls.log" 2>&1) || {
		log "openssl req failed (see $LOGD/tls.log)"
		return 1
	}
	chmod 644 "$TLS/cert.pem"
}

start_nginx() {
	local c=$D/nginx
	mkdir -p "$c/tmp"
	make_www
	cat >"$c/nginx.conf" <<EOF
worker_processes 1;
pid $RUN/nginx.pid;
error_log $LOGD/nginx-error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log $LOGD/nginx-access.log;
    client_body_temp_path $c/tmp/body;
    proxy_temp_path $c/tmp/proxy;
    fastcgi_temp_path $c/tmp/fastcgi;
    server {
        listen 127.0.0.1:80;
        listen 127.0.0.1:2121;
        server_name localhost;
        root $WWW;
        index index.html;
    }
    server {
        listen 127.0.0.1:443 ssl;
        listen 127.0.0.1:4430 ssl;
        ssl_certificate $TLS/cert.pem;
        ssl_certificate_key $TLS/key.pem;
        server_name localhost;
        root $WWW;
        index index.html;
    }
}
EOF
	/usr/sbin/nginx -p "$c/" -c "$c/nginx.conf"
}

start_apache2() {
	local c=$D/apache2 m=/usr/lib/apache2/modules
	mkdir -p "$c"
	make_www
	cat >"$c/apache2.conf" <<EOF
ServerRoot $c
DefaultRuntimeDir $c
PidFile $RUN/apache2.pid
Mutex file:$c default
Listen 127.0.0.1:8080
Listen 127.0.0.1:8443 https
ServerName localhost
User www-data
Group www-data
ErrorLog $LOGD/apache2-error.log
LogLevel warn
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule dir_module $m/mod_dir.so
LoadModule mime_module $m/mod_mime.so
LoadModule socache_shmcb_module $m/mod_socache_shmcb.so
LoadModule ssl_module $m/mod_ssl.so
SSLSessionCache shmcb:$c/ssl_scache(512000)
TypesConfig /etc/mime.types
# Debian's conf-available/security.conf default:
ServerTokens OS
ServerSignature On
DocumentRoot $WWW
DirectoryIndex index.html
<Directory />
    Require all denied
</Directory>
<Directory $WWW>
    Require all granted
</Directory>
<VirtualHost 127.0.0.1:8443>
    SSLEngine on
    SSLCertificateFile $TLS/cert.pem
    SSLCertificateKeyFile $TLS/key.pem
</VirtualHost>
EOF
	/usr/sbin/apache2 -f "$c/apache2.conf" -k start
}

start_lighttpd() {
	local c=$D/lighttpd
	mkdir -p "$c"
	make_www
	touch "$LOGD/lighttpd-error.log"
	chown www-data "$LOGD/lighttpd-error.log"
	cat >"$c/lighttpd.conf" <<EOF
server.document-root = "$WWW"
server.bind = "127.0.0.1"
server.port = 8081
server.pid-file = "$RUN/lighttpd.pid"
server.errorlog = "$LOGD/lighttpd-error.log"
server.username = "www-data"
server.groupname = "www-data"
index-file.names = ( "index.html" )
mimetype.assign = ( ".html" => "text/html" )
EOF
	/usr/sbin/lighttpd -f "$c/lighttpd.conf"
}

start_postfix() {
	local c=$D/postfix
	mkdir -p "$c/etc" "$c/spool" "$c/data"
	chown postfix "$c/data"
	cat >"$c/etc/main.cf" <<EOF
compatibility_level = 3.6
myhostname = mail.svdetect.test
mydomain = svdetect.test
# Debian's main.cf banner:
smtpd_banner = \$myhostname ESMTP \$mail_name (Debian/GNU)
biff = no
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
mynetworks = 127.0.0.0/8
relayhost =
alias_maps =
alias_database =
local_recipient_maps =
smtpd_relay_restrictions = permit_mynetworks, reject
queue_directory = $c/spool
data_directory = $c/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $LOGD/postfix.log
maillog_file_prefixes = $LOGD
# Used only where master.cf turns TLS on (465, 10465): the default
# security level, none, keeps STARTTLS off the plaintext ports.
smtpd_tls_cert_file = $TLS/cert.pem
smtpd_tls_key_file = $TLS/key.pem
EOF
	# chroot column (5th) is n everywhere: the queue dir is not set up as
	# a chroot.
	cat >"$c/etc/master.cf" <<'EOF'
127.0.0.1:25    inet  n - n - -    smtpd
127.0.0.1:10025 inet  n - n - -    smtpd
127.0.0.1:465   inet  n - n - -    smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt
127.0.0.1:10465 inet  n - n - -    smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt
pickup    unix  n - n 60   1 pickup
cleanup   unix  n - n -    0 cleanup
qmgr      unix  n - n 300  1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n -    - trivial-rewrite
bounce    unix  - - n -    0 bounce
defer     unix  - - n -    0 bounce
trace     unix  - - n -    0 bounce
verify    unix  - - n -    1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -    - proxymap
proxywrite unix - - n -    1 proxymap
smtp      unix  - - n -    - smtp
relay     unix  - - n -    - smtp
showq     unix  n - n -    - showq
error     unix  - - n -    - error
retry     unix  - - n -    - error
discard   unix  - - n -    - discard
local     unix  - n n -    - local
virtual   unix  - n n -    - virtual
lmtp      unix  - - n -    - lmtp
anvil     unix  - - n -    1 anvil
scache    unix  - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
	/usr/sbin/postfix -c "$c/etc" start >>"$LOGD/postfix.out" 2>&1
}

start_exim() {
	local c=$D/exim
	ensure_user Debian-exim
	mkdir -p "$c/spool"
	# Exim refuses a configuration not owned by root or its own user.
	chown Debian-exim:Debian-exim "$c"
	chown -R Debian-exim:Debian-exim "$c/spool"
	rm -f "$c/exim.conf"
	cat >"$c/exim.conf" <<EOF
primary_hostname = mail.svdetect.test
daemon_smtp_ports = 2525
local_interfaces = 127.0.0.1
spool_directory = $c/spool
log_file_path = $c/%slog
pid_file_path = $c/exim.pid
exim_user = Debian-exim
exim_group = Debian-exim
never_users = root
keep_environment =
tls_advertise_hosts =
acl_smtp_rcpt = acl_check_rcpt
begin acl
acl_check_rcpt:
  deny
EOF
	# -bd without -q: the unpacked binary cannot re-exec itself as a
	# queue runner (it is not at its compiled-in path).
	"$ROOT/usr/sbin/exim4" -C "$c/exim.conf" -bd >>"$LOGD/exim.out" 2>&1
}

start_vsftpd() {
	local c=$D/vsftpd
	mkdir -p "$c/empty"
	chmod 755 "$c/empty"
	cat >"$c/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=21
background=NO
# With both kinds of login off vsftpd greets with "500 OOPS" and hangs up.
anonymous_enable=NO
local_enable=YES
write_enable=NO
secure_chroot_dir=$c/empty
pam_service_name=vsftpd
xferlog_enable=NO
vsftpd_log_file=$LOGD/vsftpd.log
EOF
	bg_start vsftpd /usr/sbin/vsftpd "$c/vsftpd.conf"
}

start_proftpd() {
	local c=$D/proftpd
	mkdir -p "$c"
	cat >"$c/proftpd.conf" <<EOF
ServerType standalone
ServerName "Debian"
DefaultAddress 127.0.0.1
SocketBindTight on
Port 2100
UseIPv6 off
User nobody
Group nogroup
PidFile $RUN/proftpd.pid
ScoreboardFile $c/proftpd.scoreboard
DelayTable none
WtmpLog off
UseReverseDNS off
SystemLog $LOGD/proftpd.log
EOF
	"$ROOT/usr/sbin/proftpd" -c "$c/proftpd.conf" >>"$LOGD/proftpd.out" 2>&1
}

start_pure_ftpd() {
	# -A chroot everyone, -E no anonymous, -H no DNS, -B daemonise.
	"$ROOT/usr/sbin/pure-ftpd" -S 127.0.0.1,2130 -A -E -H -B \
		-g "$RUN/pure-ftpd.pid" >>"$LOGD/pure-ftpd.out" 2>&1
}

# Writes the part of $D/NAME/dovecot.conf both instances share; the
# instance appends its own lines (ssl, listeners).
dovecot_conf() { # name
	local c=$D/$1
	mkdir -p "$c/run" "$c/state"
	: >"$c/passwd"
	cat >"$c/dovecot.conf" <<EOF
base_dir = $c/run
state_dir = $c/state
instance_name = svdetect-$1
listen = 127.0.0.1
protocols = imap pop3
log_path = $LOGD/$1.log
auth_mechanisms = plain
disable_plaintext_auth = no
mail_location = mbox:/nonexistent
passdb {
  driver = passwd-file
  args = $c/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}
EOF
}

start_dovecot() {
	local c=$D/dovecot
	dovecot_conf dovecot
	cat >>"$c/dovecot.conf" <<EOF
ssl = no
service imap-login {
  inet_listener imap {
    port = 143
  }
  inet_listener imap_alt {
    port = 1143
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 110
  }
  inet_listener pop3_alt {
    port = 1110
  }
  inet_listener pop3s {
    port = 0
  }
}
EOF
	/usr/sbin/dovecot -c "$c/dovecot.conf" >>"$LOGD/dovecot.out" 2>&1
}

# A second instance, with TLS-only listeners: TLS in the first would put
# STARTTLS in the banners of its plaintext ports.  Dovecot's default
# minimum protocol (TLS 1.2) is kept: it refuses Nmap's old hellos.
start_dovecot_tls() {
	local c=$D/dovecot-tls
	dovecot_conf dovecot-tls
	cat >>"$c/dovecot.conf" <<EOF
ssl = required
ssl_cert = <$TLS/cert.pem
ssl_key = <$TLS/key.pem
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = 993
  }
  inet_listener imaps_alt {
    port = 10993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 995
  }
}
EOF
	/usr/sbin/dovecot -c "$c/dovecot.conf" >>"$LOGD/dovecot-tls.out" 2>&1
}

start_redis_port() { # name port
	local c=$D/$1
	mkdir -p "$c"
	/usr/bin/redis-server --port "$2" --bind 127.0.0.1 --daemonize yes \
		--pidfile "$RUN/$1.pid" --dir "$c" --save '' --appendonly no \
		--logfile "$LOGD/$1.log" >>"$LOGD/$1.out" 2>&1
}
start_redis() { start_redis_port redis 6379; }
start_redis2() { start_redis_port redis2 16379; }

start_mariadb() {
	local c=$D/mariadb
	mkdir -p "$c/data"
	chown -R mysql:mysql "$c"
	if [ ! -d "$c/data/mysql" ]; then
		mariadb-install-db --no-defaults --user=mysql --datadir="$c/data" \
			--auth-root-authentication-method=socket --skip-test-db \
			>>"$LOGD/mariadb-install.log" 2>&1 || return 1
	fi
	# mariadbd writes its log as mysql, in a directory root owns.
	touch "$LOGD/mariadb.log"
	chown mysql "$LOGD/mariadb.log"
	bg_start mariadb /usr/sbin/mariadbd --no-defaults --user=mysql \
		--datadir="$c/data" --socket="$c/mysqld.sock" --port=3306 \
		--bind-address=127.0.0.1 --pid-file="$c/mariadbd.pid" \
		--log-error="$LOGD/mariadb.log"
}

start_postgresql() {
	local c=$D/postgresql bin
	bin=$(pg_bindir)
	mkdir -p "$c"
	chown postgres:postgres "$c"
	touch "$LOGD/postgresql.log"
	chown postgres "$LOGD/postgresql.log"
	if [ ! -f "$c/data/PG_VERSION" ]; then
		(cd / && runuser -u postgres -- "$bin/initdb" -D "$c/data" -A trust \
			-U postgres >>"$LOGD/postgresql-initdb.log" 2>&1) || return 1
	fi
	(cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$c/data" -l "$LOGD/postgresql.log" \
		-w -t 30 -o "-c listen_addresses=127.0.0.1 -p 5432 -k $c" start \
		>>"$LOGD/postgresql.out" 2>&1)
}

start_memcached() {
	bg_start memcached /usr/bin/memcached -l 127.0.0.1 -p 11211 -U 0 \
		-u memcache -m 16
}

start_rsyncd() {
	local c=$D/rsyncd
	mkdir -p "$c"
	make_www
	cat >"$c/rsyncd.conf" <<EOF
pid file = $RUN/rsyncd.pid
address = 127.0.0.1
port = 873
use chroot = no
log file = $LOGD/rsyncd.log
[pub]
    path = $WWW
    comment = svdetect test module
    read only = yes
EOF
	/usr/bin/rsync --daemon --config="$c/rsyncd.conf"
}

start_named() {
	local c=$D/named
	mkdir -p "$c"
	chown bind:bind "$c"
	cat >"$c/named.conf" <<EOF
options {
    directory "$c";
    pid-file "$c/named.pid";
    session-keyfile "$c/session.key";
    listen-on port 53 { 127.0.0.1; };
    listen-on port 5353 { 127.0.0.1; };
    listen-on-v6 { none; };
    recursion no;
    allow-query { 127.0.0.1; };
    dnssec-validation no;
};
controls { };
logging {
    channel f { file "$c/named.log"; severity info; };
    category default { f; };
};
EOF
	/usr/sbin/named -c "$c/named.conf" -u bind >>"$LOGD/named.out" 2>&1
}

start_mosquitto() {
	local c=$D/mosquitto
	mkdir -p "$c"
	cat >"$c/mosquitto.conf" <<EOF
user mosquitto
listener 1883 127.0.0.1
allow_anonymous true
persistence false
log_dest stderr
EOF
	bg_start mosquitto /usr/sbin/mosquitto -c "$c/mosquitto.conf"
}

start_ngircd() {
	local c=$D/ngircd
	mkdir -p "$c"
	: >"$c/motd"
	cat >"$c/ngircd.conf" <<EOF
[Global]
    Name = irc.svdetect.test
    Info = svdetect test IRC server
    Listen = 127.0.0.1
    Ports = 6667, 16667
    MotdFile = $c/motd
    ServerUID = irc
    ServerGID = irc
[Limits]
    MaxConnectionsIP = 0
[Options]
    DNS = no
    Ident = no
    PAM = no
EOF
	bg_start ngircd /usr/sbin/ngircd -n -f "$c/ngircd.conf"
}

start_tinyproxy() {
	local c=$D/tinyproxy
	mkdir -p "$c"
	touch "$LOGD/tinyproxy.log"
	chown nobody "$LOGD/tinyproxy.log"
	cat >"$c/tinyproxy.conf" <<EOF
User nobody
Group nogroup
Port 8888
Listen 127.0.0.1
Timeout 60
LogFile "$LOGD/tinyproxy.log"
LogLevel Info
MaxClients 20
Allow 127.0.0.1
EOF
	bg_start tinyproxy /usr/bin/tinyproxy -d -c "$c/tinyproxy.conf"
}

# TLS in front of two plaintext daemons of the set: IRC (ngircd) on
# ircs-u's port, Redis on an odd one.  It logs to stderr (bg_start's
# stunnel.out): an "output" file would be opened after setuid, and fail.
start_stunnel() {
	local c=$D/stunnel
	mkdir -p "$c"
	cat >"$c/stunnel.conf" <<EOF
foreground = yes
pid =
setuid = stunnel4
setgid = stunnel4
cert = $TLS/cert.pem
key = $TLS/key.pem
[ircs]
accept = 127.0.0.1:6697
connect = 127.0.0.1:6667
[redis]
accept = 127.0.0.1:16380
connect = 127.0.0.1:6379
EOF
	bg_start stunnel /usr/bin/stunnel4 "$c/stunnel.conf"
}

# OpenLDAP with no database: enough to answer the root DSE over ldaps.
start_slapd() {
	local c=$D/slapd
	mkdir -p "$c/run"
	# slapd reads its key after dropping to openldap: a copy of its own.
	install -m 600 -o openldap -g openldap "$TLS/key.pem" "$c/key.pem"
	chown openldap:openldap "$c/run"
	cat >"$c/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
pidfile $c/run/slapd.pid
argsfile $c/run/slapd.args
TLSCertificateFile $TLS/cert.pem
TLSCertificateKeyFile $c/key.pem
EOF
	/usr/sbin/slapd -f "$c/slapd.conf" -u openldap -g openldap \
		-h 'ldaps://127.0.0.1:636/ ldaps://127.0.0.1:10636/' >>"$LOGD/slapd.out" 2>&1
}

start_snmpd() {
	local c=$D/snmpd
	mkdir -p "$c/persist"
	chown Debian-snmp "$c/persist"
	cat >"$c/snmpd.conf" <<EOF
rocommunity public 127.0.0.1
sysLocation svdetect test
sysContact root@localhost
EOF
	# -C: no configuration but this one; the persistent state (engine ID,
	# boot count) in $c, not /var/lib/snmp.  -I -smux...: Debian's default
	# options (smux would listen on TCP 199).
	SNMP_PERSISTENT_DIR=$c/persist /usr/sbin/snmpd -C -c "$c/snmpd.conf" \
		-Lf "$LOGD/snmpd.log" -u Debian-snmp -g Debian-snmp \
		-I -smux,mteTrigger,mteTriggerConf -p "$RUN/snmpd.pid" \
		udp:127.0.0.1:161,udp:127.0.0.1:1161
}

# An NTP server of its own clock: no server or pool line, so it never
# sends a packet anywhere; -x: it never adjusts the system clock.  Its
# command socket (chronyc) is in $c; no UDP command port.
start_chronyd() {
	local c=$D/chronyd
	ensure_user _chrony
	mkdir -p "$c/run"
	# chronyd refuses a socket directory others may enter.
	chown _chrony:_chrony "$c/run"
	chmod 750 "$c/run"
	cat >"$c/chrony.conf" <<EOF
port 123
bindaddress 127.0.0.1
allow 127.0.0.1
local stratum 10
cmdport 0
bindcmdaddress $c/run/chronyd.sock
pidfile $RUN/chronyd.pid
EOF
	"$ROOT/usr/sbin/chronyd" -4 -x -u _chrony -f "$c/chrony.conf" -l "$LOGD/chronyd.log"
}

# in.tftpd resolves its -a address with AI_ADDRCONFIG, which finds no
# address where the loopback is the only interface (a namespace of
# scripts/netns.sh): it gets its socket bound already, on descriptor 0 as
# from inetd, and waits a day (-t) before it ends as idle.  -s: chrooted
# to $D/tftp, which holds one file to fetch.
start_tftpd_port() { # name port
	local c=$D/tftp
	mkdir -p "$c"
	printf 'svdetect tftp test file\n' >"$c/hello.txt"
	bg_start "$1" python3 -c "$BOUND_EXEC_PY" "0=udp:$2" -- \
		/usr/sbin/in.tftpd -t 86400 -s -u tftp "$c"
}
start_tftpd() { start_tftpd_port tftpd 69; }
start_tftpd2() { start_tftpd_port tftpd2 10069; }

# rpcbind and rpc.statd keep state at fixed paths every rpcbind of the
# machine would share (/run/rpcbind.sock, /run/rpcbind.lock,
# /run/rpc.statd.pid): rpcbind gets a mount namespace with a private
# /run, and statd joins it.  The /etc/netconfig there has no IPv6
# transports (each would bind the wildcard ::).  rpcbind's -h cannot
# confine it (TCP binds the wildcard all the same, and Debian 12's rpcbind
# aborts on "-h 127.0.0.1", a double free), so it gets its two sockets
# bound already, by systemd's socket activation protocol.
start_rpcbind() {
	local c=$D/rpcbind
	rm -rf "$c/run"
	mkdir -p "$c/run/rpcbind"
	chown _rpc "$c/run/rpcbind"
	grep -E '^(udp|tcp|local|unix)[[:space:]]' /etc/netconfig >"$c/netconfig"
	# shellcheck disable=SC2016 # $1, $2 and $@ are the inner shell's
	bg_start rpcbind env LISTEN_FDS=2 unshare -m --propagation private \
		sh -c 'mount --bind "$1" /run && mount --bind "$2" /etc/netconfig &&
			shift 2 && exec "$@"' sh "$c/run" "$c/netconfig" \
		python3 -c "$BOUND_EXEC_PY" 3=tcp:111 4=udp:111 -- /usr/sbin/rpcbind -f
}

# statd binds the wildcard address (nfs-utils has no option against it):
# in the namespace that is the loopback alone.  Its socket towards the
# kernel's lockd is on 127.0.0.1, a reserved port (600-1023) picked at
# random: none of the set's UDP ports.  -L: no reboot notifications sent;
# -P: its state in $c, not /var/lib/nfs.
start_statd() {
	local c=$D/statd rpcbind
	rpcbind=$(pid_of rpcbind) || { log "statd: rpcbind is not running"; return 1; }
	mkdir -p "$c/sm" "$c/sm.bak"
	chown -R statd "$c"
	bg_start statd nsenter -t "$rpcbind" -m \
		/usr/sbin/rpc.statd -F -L -p 32765 -P "$c"
}

# STUN/TURN over DTLS alone: --no-udp, --no-tcp and --no-tls leave the
# DTLS listener of --tls-listening-port (one socket a relay thread), no
# CLI (TCP 5766), no RFC 5780 alternate ports.  Relay addresses only on
# 127.0.0.1, no external address, and loopback peers are refused by
# default: an allocation (which needs the user below) relays to nothing.
# Its user database is an SQLite file of its own, not the package's.
# It reads the key as root, then runs as turnserver; -o: a daemon that
# writes its pid file itself.
start_coturn() {
	local c=$D/coturn
	mkdir -p "$c"
	chown turnserver:turnserver "$c"
	/usr/bin/turnserver -n -o --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 \
		--tls-listening-port=5349 --no-udp --no-tcp --no-tls --no-tcp-relay \
		--no-cli --no-rfc5780 --cert="$TLS/cert.pem" --pkey="$TLS/key.pem" \
		--lt-cred-mech --realm=svdetect.test --user=svdetect:svdetect \
		--userdb="$c/turndb" --proc-user=turnserver --proc-group=turnserver \
		--pidfile="$RUN/coturn.pid" --log-file="$LOGD/coturn.log" --simple-log \
		--no-stdout-log
}

# CoAP (5683) and CoAP over DTLS (5684, -p's port + 1).  coap-server
# listens on TCP and TLS too, on the same two ports, and has no option
# against it; it gives them up when its TCP bind fails, which the tcpheld
# socket on 5683 makes happen (TLS is opened only after TCP).  It runs as
# nobody (setpriv) with a copy of the key of its own.
start_coap_server() {
	local c=$D/coap-server
	mkdir -p "$c"
	install -m 600 -o nobody -g nogroup "$TLS/key.pem" "$c/key.pem"
	bg_start coap-server python3 -c "$BOUND_EXEC_PY" 3=tcpheld:5683 -- \
		/usr/bin/setpriv --reuid=nobody --regid=nogroup --clear-groups \
		/usr/bin/coap-server-openssl -A 127.0.0.1 -p 5683 \
		-c "$TLS/cert.pem" -j "$c/key.pem"
}

# --- commands ----------------------------------------------------------------

# rpcbind and statd start only in a network namespace whose one interface
# is the loopback (scripts/netns.sh): statd binds the wildcard address.
loopback_only() {
	[ "$(awk 'NR > 2 { sub(":", "", $1); print $1 }' /proc/net/dev)" = lo ]
}

start_one() {
	local name=$1 p fn b
	b=$(binary_of "$name")
	if pid_of "$name" >/dev/null; then
		echo "running"
		return
	fi
	if [ ! -x "$b" ]; then
		echo "missing"
		return
	fi
	case $name in
	rpcbind | statd)
		if ! loopback_only; then
			echo "not started: needs a network namespace with lo alone (scripts/netns.sh)"
			return
		fi
		;;
	esac
	for p in $(ports_of "$name"); do
		if listening "$p"; then
			echo "port-busy"
			return
		fi
	done
	fn=start_$(printf '%s' "$name" | tr '-' '_')
	"$fn" >>"$LOGD/$name.out" 2>&1
	if wait_ports "$name" && pid_of "$name" >/dev/null; then
		echo "started"
	else
		echo "failed"
	fi
}

cmd_start() {
	[ "$(id -u)" = 0 ] || { log "must run as root"; exit 1; }
	debian12_only
	mkdir -p "$D" "$RUN" "$LOGD"
	chmod 755 "$D" "$RUN" "$LOGD"
	install_missing
	tls_cert
	local name st
	for name in $(selected); do
		st=$(start_one "$name")
		log "$name: $st"
	done
	cmd_status
}

state_of() {
	local name=$1 p st=up
	if ! pid_of "$name" >/dev/null; then
		echo down
		return
	fi
	for p in $(ports_of "$name"); do
		listening "$p" || st=partial
	done
	echo $st
}

cmd_list() {
	local name pkg ver st p port pst kind proto
	for name in $(selected); do
		pkg=$(svc_field "$name" 3)
		ver=$(pkg_version "$pkg")
		st=$(state_of "$name")
		for p in $(svc_field "$name" 2); do
			port=${p%/*}
			case $p in
			*/tls) kind=tls proto=tcp ;;
			*/udp) kind=udp proto=udp ;;
			*) kind=plain proto=tcp ;;
			esac
			pst=$st
			[ "$st" != down ] && ! listening "$port/$proto" && pst=down
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$port" "$pkg" "$ver" "$pst" "$kind"
		done
	done
}

cmd_status() {
	local up=0 total=0
	printf '%-12s %-6s %-6s %-8s %-7s %s\n' SERVICE PORT KIND STATUS PID VERSION
	while IFS="$(printf '\t')" read -r name port pkg ver st kind; do
		total=$((total + 1))
		[ "$st" = up ] && up=$((up + 1))
		printf '%-12s %-6s %-6s %-8s %-7s %s %s\n' "$name" "$port" "$kind" "$st" \
			"$(pid_of "$name" || echo -)" "$pkg" "$ver"
	done <<EOF
$(cmd_list)
EOF
	printf '%d of %d ports up\n' "$up" "$total"
}

cmd_stop() {
	local name pid i f pids=''
	# Signal everything first, then wait (bounded) for each to exit.
	for name in $(selected); do
		if ! pid=$(pid_of "$name"); then
			rm -f "$RUN/$name.pid"
			continue
		fi
		case $name in
		postgresql) kill -INT "$pid" ;;   # fast shutdown
		*) kill -TERM "$pid" ;;
		esac
		pids="$pids $name:$pid"
	done
	for i in $(seq 1 60); do
		f=0
		for name in $pids; do
			kill -0 "${name#*:}" 2>/dev/null && f=1
		done
		[ $f = 0 ] && break
		sleep 0.25
	done
	for name in $pids; do
		pid=${name#*:}
		name=${name%%:*}
		if kill -0 "$pid" 2>/dev/null; then
			log "$name: pid $pid ignored TERM for 15 s; sending KILL"
			kill -KILL "$pid" 2>/dev/null
		fi
		f=$(pidfile_of "$name")
		case $f in "$RUN"/*) rm -f "$f" ;; esac
		log "$name: stopped (pid $pid)"
	done
}

# The package names and configurations are Debian 12's (Debian 13 renamed
# libraries and changed dovecot's configuration language): elsewhere,
# exit 77, a test runner's "skipped".
debian12_only() {
	local ID='' VERSION_ID='' PRETTY_NAME=''
	# shellcheck disable=SC1091
	. /etc/os-release 2>/dev/null
	[ "$ID" = debian ] && [ "$VERSION_ID" = 12 ] && return 0
	log "the daemon set is made for Debian 12, not ${PRETTY_NAME:-this system}"
	exit 77
}

cmd_install() {
	[ "$(id -u)" = 0 ] || { log "must run as root"; exit 1; }
	debian12_only
	mkdir -p "$D" "$RUN" "$LOGD"
	chmod 755 "$D" "$RUN" "$LOGD"
	install_missing
}

case ${1:-} in
install) cmd_install ;;
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
list) cmd_list ;;
*)
	echo "usage: $0 install|start|stop|status|list" >&2
	exit 2
	;;
esac
