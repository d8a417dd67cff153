/*
 * Service fingerprints after Nmap 7.93's ServiceNFO::addServiceChar(),
 * addToServiceFingerprint() and getServiceFingerprint() (service_scan.cc)
 * and the fingerprint block of printportoutput() (output.cc).
 */
#include "fingerprint.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Nmap wraps after 74 columns; the "\nSF:" it inserts counts too. */
enum { WRAP = 74 };

/* Nmap formats each piece into a char[128] with Snprintf(). */
enum { PIECE = 128 };

/* Worst case of one addition: two pieces and 4 bytes per response byte,
 * each 75 output bytes growing by a 4-byte "\nSF:". */
static size_t worst(size_t used)
{
	size_t raw = 2 * PIECE + 4 * used + 2;

	return raw + (raw / (WRAP + 1) + 1) * 4;
}

static void add_char(struct svd_fp *fp, char c)
{
	if (fp->len % (WRAP + 1) == WRAP) {
		memcpy(fp->buf + fp->len, "\nSF:", 4);
		fp->len += 4;
	}
	fp->buf[fp->len++] = c;
}

static void add_str(struct svd_fp *fp, const char *s)
{
	while (*s)
		add_char(fp, *s++);
}

/* The C locale's classes, as Nmap's isalnum()/ispunct() see bytes. */
static bool is_alnum(unsigned c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool is_punct(unsigned c)
{
	return c > 0x20 && c < 0x7f && !is_alnum(c);
}

void svd_fp_init(struct svd_fp *fp, const struct svd_fp_params *p)
{
	fp->p = *p;
	fp->len = 0;
	fp->buf[0] = '\0';
}

int svd_fp_add(struct svd_fp *fp, const char *probe, const unsigned char *resp,
	       size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const struct svd_fp_params *p = &fp->p;
	size_t used = len, i;
	char piece[PIECE];

	if (len == 0)
		return -1;
	if (fp->len > (p->debugging ? 10000u : 2200u))
		return 0;
	if (used > (p->debugging ? 1300u : 900u))
		used = p->debugging ? 1300u : 900u;
	/* Unreachable with SVD_FP_SIZE; guards the fixed buffer. */
	if (worst(used) + 2 > sizeof fp->buf - fp->len)
		return -1;

	if (fp->len == 0) {
		snprintf(piece, sizeof piece,
			 "SF-Port%hu-%s:V=%s%s%%I=%d%%D=%d/%d%%Time=%X%%P=%s",
			 (unsigned short)p->port, p->proto, p->version,
			 p->ssl ? "%T=SSL" : "", p->intensity, p->month, p->day,
			 (unsigned)(uint32_t)p->time, p->platform);
		add_str(fp, piece);
	}
	/* The full length, even though only `used` bytes follow. */
	snprintf(piece, sizeof piece, "%%r(%s,%X,\"", probe, (unsigned)len);
	add_str(fp, piece);

	for (i = 0; i < used; i++) {
		unsigned c = resp[i];

		if (is_alnum(c)) {
			add_char(fp, (char)c);
		} else if (c == '\0') {
			/* \0 before a digit would read as an octal escape. */
			if (i + 1 < used && resp[i + 1] >= '0' &&
			    resp[i + 1] <= '9')
				add_str(fp, "\\x00");
			else
				add_str(fp, "\\0");
		} else if (strchr("\\?\"[]().*+$^|", (int)c)) {
			add_char(fp, '\\');
			add_char(fp, (char)c);
		} else if (is_punct(c)) {
			add_char(fp, (char)c);
		} else if (c == '\r') {
			add_str(fp, "\\r");
		} else if (c == '\n') {
			add_str(fp, "\\n");
		} else if (c == '\t') {
			add_str(fp, "\\t");
		} else {
			add_char(fp, '\\');
			add_char(fp, 'x');
			add_char(fp, hex[c >> 4]);
			add_char(fp, hex[c & 15]);
		}
	}
	add_char(fp, '"');
	add_char(fp, ')');
	fp->buf[fp->len] = '\0';
	return 0;
}

const char *svd_fp_text(struct svd_fp *fp, size_t *len)
{
	if (fp->len == 0) {
		if (len)
			*len = 0;
		return NULL;
	}
	/* Not counted in fp->len: a later add overwrites it, as in Nmap. */
	fp->buf[fp->len] = ';';
	fp->buf[fp->len + 1] = '\0';
	if (len)
		*len = fp->len + 1;
	return fp->buf;
}

int svd_fp_print(FILE *f, const char *const *fps, size_t n, const char *scanner_version)
{
	size_t i;

	if (n > SVD_FP_PRINT_MAX)
		n = SVD_FP_PRINT_MAX;
	if (n == 0)
		return 0;
	/* Nmap's first sentence, the block's form; the second names the
	 * program that wrote the fingerprints, not a place to send them. */
	if (fprintf(f, "%zu service%s unrecognized despite returning data."
		    " svdetect %s's fingerprint%s of %s:\n",
		    n, n > 1 ? "s" : "", scanner_version, n > 1 ? "s" : "",
		    n > 1 ? "them" : "it") < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (n > 1 && fputs("==============NEXT SERVICE FINGERPRINT"
				   " (SUBMIT INDIVIDUALLY)==============\n",
				   f) < 0)
			return -1;
		if (fprintf(f, "%s\n", fps[i]) < 0)
			return -1;
	}
	return 0;
}
