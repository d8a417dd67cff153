/*
 * svdetect's own services table, used when nmap-services cannot be read:
 * well-known ports with their IANA (or customary) names, most commonly
 * open first by our estimate.  Written for svdetect from general
 * knowledge; it is not derived from nmap-services.  Only ports.c
 * includes it.
 */
#ifndef SVD_PORTS_BUILTIN_H
#define SVD_PORTS_BUILTIN_H

#include <stdint.h>

struct svd_builtin_service {
	uint16_t port;
	const char *name;
};

static const struct svd_builtin_service builtin_tcp[] = {
	{ 80, "http" }, { 443, "https" }, { 22, "ssh" }, { 21, "ftp" },
	{ 23, "telnet" }, { 25, "smtp" }, { 3389, "ms-wbt-server" },
	{ 110, "pop3" }, { 445, "microsoft-ds" }, { 139, "netbios-ssn" },
	{ 143, "imap" }, { 53, "domain" }, { 135, "msrpc" }, { 3306, "mysql" },
	{ 8080, "http-alt" }, { 1723, "pptp" }, { 111, "sunrpc" },
	{ 995, "pop3s" }, { 993, "imaps" }, { 5900, "vnc" },
	{ 1025, "blackjack" }, { 587, "submission" }, { 8888, "ddi-tcp-1" },
	{ 199, "smux" }, { 465, "smtps" }, { 8443, "pcsync-https" },
	{ 5432, "postgresql" }, { 1433, "ms-sql-s" }, { 1521, "oracle" },
	{ 6379, "redis" }, { 27017, "mongodb" }, { 5060, "sip" },
	{ 5061, "sip-tls" }, { 179, "bgp" }, { 389, "ldap" }, { 636, "ldaps" },
	{ 88, "kerberos" }, { 464, "kpasswd" }, { 3268, "msft-gc" },
	{ 3269, "msft-gc-ssl" }, { 2049, "nfs" }, { 873, "rsync" },
	{ 631, "ipp" }, { 515, "printer" }, { 9100, "pdl-datastream" },
	{ 548, "afpovertcp" }, { 554, "rtsp" }, { 1194, "openvpn" },
	{ 1080, "socks" }, { 3128, "http-proxy" }, { 8000, "http-alt" },
	{ 8008, "http" }, { 8081, "sunproxyadmin" }, { 9000, "cslistener" },
	{ 9090, "websm" }, { 10000, "ndmp" }, { 5000, "commplex-main" },
	{ 5001, "commplex-link" }, { 5357, "wsdapi" }, { 5985, "wsman" },
	{ 5986, "wsmans" }, { 2000, "cisco-sccp" }, { 990, "ftps" },
	{ 989, "ftps-data" }, { 20, "ftp-data" }, { 69, "tftp" },
	{ 79, "finger" }, { 113, "ident" }, { 119, "nntp" }, { 563, "nntps" },
	{ 123, "ntp" }, { 161, "snmp" }, { 162, "snmptrap" }, { 7, "echo" },
	{ 9, "discard" }, { 13, "daytime" }, { 17, "qotd" }, { 19, "chargen" },
	{ 37, "time" }, { 43, "whois" }, { 70, "gopher" }, { 512, "exec" },
	{ 513, "login" }, { 514, "shell" }, { 543, "klogin" },
	{ 544, "kshell" }, { 1099, "rmiregistry" }, { 1352, "lotusnotes" },
	{ 1434, "ms-sql-m" }, { 1812, "radius" }, { 1813, "radius-acct" },
	{ 1883, "mqtt" }, { 8883, "secure-mqtt" }, { 5672, "amqp" },
	{ 5671, "amqps" }, { 61616, "activemq" }, { 2181, "zookeeper" },
	{ 9092, "kafka" }, { 11211, "memcache" }, { 9200, "wap-wsp" },
	{ 9300, "vrace" }, { 5984, "couchdb" }, { 7000, "afs3-fileserver" },
	{ 7001, "afs3-callback" }, { 8009, "ajp13" }, { 8005, "mxi" },
	{ 6000, "x11" }, { 6001, "x11" }, { 5901, "vnc" }, { 2082, "infowave" },
	{ 2083, "radsec" }, { 2086, "gnunet" }, { 2087, "eli" },
	{ 2222, "EtherNetIP-1" }, { 3000, "hbci" }, { 4443, "pharos" },
	{ 4444, "krb524" }, { 4848, "appserv-http" }, { 5222, "xmpp-client" },
	{ 5269, "xmpp-server" }, { 5280, "xmpp-bosh" }, { 6667, "ircu" },
	{ 6697, "ircs-u" }, { 7070, "arcp" }, { 8880, "cddbp-alt" },
	{ 9418, "git" }, { 9999, "distinct" }, { 11111, "vce" },
	{ 25565, "minecraft" }, { 500, "isakmp" }, { 502, "mbap" },
	{ 102, "iso-tsap" }, { 1900, "ssdp" }, { 2375, "docker" },
	{ 2376, "docker-s" }, { 6443, "sun-sr-https" }, { 10250, "kubelet" },
	{ 3690, "svn" }, { 4369, "epmd" }, { 8500, "fmtp" },
	{ 8200, "trivnet1" }, { 15672, "rabbitmq-mgmt" }, { 5601, "esmagent" },
	{ 9042, "cassandra" }, { 7474, "neo4j" }, { 3260, "iscsi-target" },
	{ 1701, "l2tp" }, { 1720, "h323q931" }, { 47808, "bacnet" },
	{ 20000, "dnp" }, { 44818, "EtherNet-IP-2" }, { 4840, "opcua-tcp" },
	{ 1911, "mtp" },
};

static const struct svd_builtin_service builtin_udp[] = {
	{ 53, "domain" }, { 123, "ntp" }, { 161, "snmp" },
	{ 137, "netbios-ns" }, { 138, "netbios-dgm" }, { 67, "bootps" },
	{ 68, "bootpc" }, { 69, "tftp" }, { 500, "isakmp" },
	{ 4500, "ipsec-nat-t" }, { 514, "syslog" }, { 520, "route" },
	{ 1900, "upnp" }, { 5353, "mdns" }, { 1812, "radius" },
	{ 1813, "radius-acct" }, { 162, "snmptrap" }, { 111, "sunrpc" },
	{ 2049, "nfs" }, { 5060, "sip" }, { 1194, "openvpn" }, { 1701, "l2tp" },
	{ 11211, "memcache" }, { 47808, "bacnet" }, { 3478, "stun" },
};

#endif
