/*
 * What a scan found: hosts, their ports, and the service on each port.
 * The engine (runtime/scan/engine.c) fills these; the output modules
 * (runtime/output/output.h) only read them.  Field meanings follow Nmap's XML
 * (nmap.dtd) so that every output format is a view of the same data.
 */
#ifndef SVD_SCAN_H
#define SVD_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "sigdb.h"
#include "template.h"

/* Nmap's states, in the order of its numbers (ties in output keep it). */
enum svd_port_state {
	SVD_PORT_OPEN,
	SVD_PORT_CLOSED,
	SVD_PORT_FILTERED,
	SVD_PORT_OPEN_FILTERED,   /* UDP: nothing answered */
	SVD_PORT_NSTATES
};

/* How the service name was found: Nmap's method="table" | "probed". */
enum svd_method { SVD_METHOD_TABLE, SVD_METHOD_PROBED };

/*
 * What a TLS handshake with the port showed (docs/output.md, "tls"): the
 * session's parameters and the leaf certificate, as Nmap's ssl-cert script
 * reads it (runtime/scan/tls_facts.h fills it).  Every string is printable
 * ASCII: what the peer sent is kept in escape_encode()'s form (a NUL in a
 * name shows as \x00, "\" as "\\"), so no output can hide or cut it; each
 * output still applies its own escaping.  Absent fields are "" / 0 / NULL.
 * Bounded whatever the certificate: at most SVD_TLS_VALUE_MAX bytes of a
 * value before escaping, SVD_TLS_ATTR_MAX attributes per name,
 * SVD_TLS_SAN_MAX alternative names, a PEM only up to SVD_TLS_PEM_DER_MAX
 * bytes of DER and an RSA modulus only up to SVD_TLS_MODULUS_BITS.
 */
enum {
	SVD_TLS_VALUE_MAX = 256,     /* a cut value ends in "..." */
	SVD_TLS_ATTR_MAX = 32,
	SVD_TLS_SAN_MAX = 128,
	SVD_TLS_PEM_DER_MAX = 16384,
	SVD_TLS_MODULUS_BITS = 16384,
};

/* One attribute of a distinguished name: Nmap's key (OpenSSL's long name
 * "commonName", or the dotted OID) and its value. */
struct svd_tls_attr {
	char *key, *value;
};

/* A subject or issuer: one attribute per key in the certificate's order,
 * the last value of a repeated key winning (as in Nmap's table). */
struct svd_tls_name {
	struct svd_tls_attr *attr;
	size_t n;
};

struct svd_tls_facts {
	char version[16];         /* "TLSv1.3" */
	char cipher[64];          /* OpenSSL's name, "TLS_AES_256_GCM_SHA384" */
	char alpn[32];            /* the protocol the server chose, "h2" */
	bool has_cert;            /* the server sent one; the fields below are of it */
	struct svd_tls_name subject, issuer;
	char **san;               /* subject alternative names, "DNS:a", "IP Address:b" */
	size_t nsan;
	char not_before[24], not_after[24]; /* UTC, "2024-02-08T00:00:00" */
	char key_type[16];        /* "rsa", "dsa", "dh", "ec", else OpenSSL's name: "ed25519" */
	int key_bits;
	char curve[32];           /* ec: the named curve, "prime256v1" */
	char rsa_exponent[24];    /* rsa: decimal, "65537" */
	char *rsa_modulus;        /* rsa: upper-case hex, as Nmap's ssl-cert */
	char sig_alg[48];         /* OpenSSL's long name, "sha256WithRSAEncryption" */
	unsigned char sha256[32], sha1[20], md5[16]; /* of the certificate's DER */
	char *pem;                /* the certificate, for --tls-info */
};

/*
 * What the SunRPC grinder found on the port (runtime/scan/rpc_grind.h):
 * the program number and the lowest and highest versions it serves.  The
 * name, version and extrainfo then say it as Nmap prints it ("rpcbind",
 * "2-4", "RPC #100000"); this keeps the numbers, for JSON.
 */
struct svd_rpc_info {
	bool found;
	uint32_t program, low, high;
};

struct svd_service {
	char name[64];            /* "" when nothing is known at all */
	enum svd_method method;
	int conf;                 /* Nmap's conf: 10 probed, 8 tcpwrapped, 3 table */
	bool soft;                /* only a softmatch was found */
	bool ssl;                 /* tunnel="ssl" */
	const struct svd_match *match; /* the winning line, or NULL */
	const char *probe;        /* the probe whose response matched, or NULL */
	struct svd_version v;     /* rendered templates ("" = absent) */
	char *fingerprint;        /* SF-Port... text (malloc'd) or NULL */
	struct svd_tls_facts *tls; /* a TLS port's handshake (malloc'd) or NULL */
	struct svd_rpc_info rpc;
};

struct svd_port {
	uint16_t portno;
	uint8_t proto;            /* enum svd_proto */
	uint8_t state;            /* enum svd_port_state */
	/* The TTL of the answer that decided the state (UDP: the reply's or
	 * the ICMP error's, as Nmap's reason_ttl), 0 when none or unknown. */
	uint8_t reason_ttl;
	const char *reason;       /* "syn-ack", "conn-refused", "udp-response", ... */
	struct svd_service svc;
};

struct svd_host {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char addrstr[46];         /* numeric form, INET6_ADDRSTRLEN */
	const char *name;         /* the hostname the user gave, or NULL */
	const char *rdns;         /* its reverse-DNS (PTR) name, or NULL */
	/* The connect RTT as Nmap's <times>: smoothed RTT and its variance
	 * in microseconds (0: not measured), and the connect timeout per try. */
	long srtt_us, rttvar_us, timeout_us;
	bool up;                  /* with -Pn every host is up */
	/* Why it is up or down, Nmap's host reason: "user-set" (-Pn),
	 * "syn-ack", "conn-refused", "no-response", "host-unreach", ...;
	 * NULL while undecided (a scan stopped during its discovery). */
	const char *reason;
	bool timed_out;           /* --host-timeout expired */
	/* The scan stopped early before this host was finished: its ports
	 * are those decided by then (a resumed scan scans it again). */
	bool stopped_early;
	struct timespec start, end;
	struct svd_port *ports;   /* every scanned port, ascending by (proto, port) */
	size_t nports;
	size_t count[SVD_PORT_NSTATES];
};

/* The run as a whole, for output headers and footers. */
struct svd_run {
	const char *args;         /* the command line, space-separated */
	const char *scanner_version; /* PACKAGE_VERSION */
	const struct svd_sigdb *db;
	int intensity;
	struct timespec start, end;
	/* The scans asked for (-sT, -sU) and the ports of each, Nmap's
	 * scaninfo "services" form ("21-23,80"). */
	bool scan_tcp, scan_udp;
	const char *tcp_ports, *udp_ports;
	size_t ntcp_ports, nudp_ports;
	size_t hosts_up, hosts_down;
	/* Why the scan stopped early ("interrupted by SIGINT"), NULL when it
	 * ran to the end; then the targets never started, in neither count. */
	const char *stopped;
	size_t hosts_unscanned;
	bool open_only;           /* --open: tables list open ports only */
	int verbose;              /* -v count */
	bool tls_info;            /* --tls-info: TLS facts in normal and XML output */
	bool reason;              /* --reason: normal output's REASON column */
	bool discovery;           /* hosts were pinged (no -Pn): some may be down */
};

#endif
