/*
 * Nmap's service fingerprint (the SF-Port... text printed for services
 * that returned data but matched nothing), byte for byte as Nmap 7.93
 * builds it; docs/templates.md gives the rules and their sources.  The
 * caller passes the clock and Nmap's version/platform strings, so output
 * is deterministic.  No allocation: the whole text lives in struct svd_fp.
 */
#ifndef SVD_FINGERPRINT_H
#define SVD_FINGERPRINT_H

#include <stddef.h>
#include <stdio.h>

/*
 * Room for the longest fingerprint: appending stops once the text passes
 * 10000 bytes (debugging), and one response adds at most ~5.6 KB.
 */
#define SVD_FP_SIZE 16384

struct svd_fp_params {
	unsigned port;
	const char *proto;    /* "TCP", "UDP" or "SCTP" */
	int ssl;              /* adds %T=SSL */
	int intensity;        /* --version-intensity, 0-9 */
	const char *version;  /* Nmap's version, "7.93" */
	const char *platform; /* "x86_64-pc-linux-gnu" */
	int month, day;       /* local date of the first response, 1-based */
	long long time;       /* its Unix time; printed as a 32-bit %X */
	int debugging;        /* -d: larger cuts (1300 / 10000 bytes) */
};

struct svd_fp {
	struct svd_fp_params p;
	size_t len;
	char buf[SVD_FP_SIZE];
};

/* Starts an empty fingerprint; p's strings must outlive fp. */
void svd_fp_init(struct svd_fp *fp, const struct svd_fp_params *p);

/*
 * Adds one probe's response (len > 0), writing the header first if this
 * is the first one.  Does nothing once the text is past Nmap's limit.
 * Returns 0, or -1 for an empty response.
 */
int svd_fp_add(struct svd_fp *fp, const char *probe, const unsigned char *resp,
	       size_t len);

/*
 * The finished text, ending in ';' (never wrapped), or NULL if nothing
 * was added.  *len (if non-NULL) receives its length.  May be called
 * again after more svd_fp_add() calls.
 */
const char *svd_fp_text(struct svd_fp *fp, size_t *len);

/* How many fingerprints Nmap prints per host (9: it saves while <= 8). */
#define SVD_FP_PRINT_MAX 9

/*
 * Writes normal output's block for one host's fingerprints: the
 * "N service(s) unrecognized..." line naming svdetect scanner_version as
 * their author, then each text (a NEXT SERVICE FINGERPRINT banner before
 * each when there are several).  At most
 * SVD_FP_PRINT_MAX are printed; nothing is written when n == 0.
 * Returns 0, or -1 on a write error.
 */
int svd_fp_print(FILE *f, const char *const *fps, size_t n, const char *scanner_version);

#endif
