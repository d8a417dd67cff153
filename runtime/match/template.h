/*
 * Version templates (p/ v/ i/ h/ o/ d/ cpe:/) rendered from one regex
 * match exactly as Nmap 7.93 renders them; docs/templates.md gives every
 * rule with its Nmap source location.  Pure functions: no globals, no
 * allocation, all output goes to caller-owned buffers.
 */
#ifndef SVD_TEMPLATE_H
#define SVD_TEMPLATE_H

#include <stddef.h>

/*
 * Nmap's per-field buffer sizes (service_scan.cc, ServiceProbeMatch::
 * testMatch), NUL included; a rendered value is at most size - 1 bytes.
 */
enum {
	SVD_CAP_PRODUCT = 80,
	SVD_CAP_VERSION = 80,
	SVD_CAP_INFO = 256,
	SVD_CAP_HOSTNAME = 80,
	SVD_CAP_OSTYPE = 32,
	SVD_CAP_DEVTYPE = 32,
	SVD_CAP_CPE = 80
};

/* Version fields, in the order of their template letters "pvihod". */
enum svd_field {
	SVD_F_PRODUCT,
	SVD_F_VERSION,
	SVD_F_INFO,
	SVD_F_HOSTNAME,
	SVD_F_OSTYPE,
	SVD_F_DEVTYPE,
	SVD_F_COUNT
};

/*
 * One match of a regex against a subject, with PCRE 8 pcre_exec()
 * semantics: ovec holds start/end pairs (-1 for an unset group) and
 * nmatch is pcre_exec's return value, so pairs [0, nmatch) are valid.
 */
struct svd_subject {
	const unsigned char *buf;
	size_t len;
	const int *ovec;
	int nmatch;
};

/* Template bytes as written between the delimiters; s == NULL: absent. */
struct svd_tmpl {
	const unsigned char *s;
	size_t len;
};

/*
 * A match line's templates.  cpe[] holds the cpe:/.../ bodies in file
 * order without the "cpe:/" prefix, e.g. "a:openbsd:openssh:$1".
 */
struct svd_templates {
	struct svd_tmpl field[SVD_F_COUNT];
	const struct svd_tmpl *cpe;
	size_t ncpe;
};

/* Rendered values; an empty string means absent or failed. */
struct svd_version {
	char product[SVD_CAP_PRODUCT];
	char version[SVD_CAP_VERSION];
	char info[SVD_CAP_INFO];
	char hostname[SVD_CAP_HOSTNAME];
	char ostype[SVD_CAP_OSTYPE];
	char devtype[SVD_CAP_DEVTYPE];
	char cpe_a[SVD_CAP_CPE];
	char cpe_h[SVD_CAP_CPE];
	char cpe_o[SVD_CAP_CPE];
};

/* Bits of svd_render_version()'s result besides 1 << enum svd_field. */
#define SVD_FAIL_CPE (1u << SVD_F_COUNT)

/*
 * Renders tmpl into out, an Nmap field buffer of cap bytes.  Returns 0,
 * or -1 when Nmap would fail the field (bad or unset group, unknown
 * command, bad arguments, too long); out is then "", never truncated.
 */
int svd_render_field(char *out, size_t cap, const unsigned char *tmpl,
		     size_t tlen, const struct svd_subject *s);

/*
 * Renders a cpe:/ body (without "cpe:/") into out as "cpe:/<body>",
 * CPE-escaping substituted values only.  Returns 0 or -1 as above.
 */
int svd_render_cpe(char *out, size_t cap, const unsigned char *body,
		   size_t blen, const struct svd_subject *s);

/* The CPE part letter ('a', 'h' or 'o') of a cpe:/ body, else -1. */
int svd_cpe_part(const unsigned char *body, size_t blen);

/*
 * Fills every field of v from t.  A later cpe:/ of the same part replaces
 * an earlier one, and a failing one empties its slot; bodies of any other
 * part are ignored.  Returns 0, or the failed fields as 1 << enum
 * svd_field, plus SVD_FAIL_CPE if any cpe:/ failed (Nmap warns on each).
 */
unsigned svd_render_version(struct svd_version *v,
			    const struct svd_templates *t,
			    const struct svd_subject *s);

/*
 * Every field of v with bytes outside printable ASCII made '.', as Nmap
 * stores them: how every output, trace and log line shows version fields.
 */
void svd_version_make_printable(struct svd_version *v);

#endif
