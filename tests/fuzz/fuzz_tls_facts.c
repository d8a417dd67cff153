/*
 * libFuzzer target: DER bytes -> d2i_X509 -> TLS facts -> every output
 * format (--tls-info, -vv).  Properties: the facts are printable ASCII
 * within their caps, every output is printable ASCII lines (grepable's
 * tabs too), the XML has
 * no "]]>" and no character reference but a line break's, and the
 * sanitizers see nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "output.h"
#include "output_samples.h"
#include "tls_facts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_printable(const char *s, size_t max)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			abort();
	if (n > max)
		abort();
}

/* An escaped value: 4 bytes per byte kept, then "...". */
enum { VALUE_MAX = 4 * SVD_TLS_VALUE_MAX + 3 };

static void check_facts(const struct svd_tls_facts *f)
{
	const struct svd_tls_name *names[] = { &f->subject, &f->issuer };
	size_t i, j;

	for (i = 0; i < 2; i++) {
		if (names[i]->n > SVD_TLS_ATTR_MAX)
			abort();
		for (j = 0; j < names[i]->n; j++) {
			check_printable(names[i]->attr[j].key, VALUE_MAX);
			check_printable(names[i]->attr[j].value, VALUE_MAX);
		}
	}
	if (f->nsan > SVD_TLS_SAN_MAX)
		abort();
	for (i = 0; i < f->nsan; i++)
		check_printable(f->san[i], VALUE_MAX);
	check_printable(f->key_type, sizeof f->key_type);
	check_printable(f->curve, sizeof f->curve);
	check_printable(f->sig_alg, sizeof f->sig_alg);
}

static void check_output(const char *format, const char *out)
{
	const char *p, *ref;

	for (p = out; *p; p++)
		if (*p != '\n' && *p != '\t' && ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f))
			abort();
	if (strcmp(format, "xml") != 0)
		return;
	if (strstr(out, "]]>"))
		abort();
	for (ref = strstr(out, "&#x"); ref; ref = strstr(ref + 1, "&#x"))
		if (strncmp(ref, "&#xa;", 5) != 0)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = { "normal", "interactive", "grepable", "xml", "json" };
	const unsigned char *p = data;
	X509 *x = d2i_X509(NULL, &p, (long)size);
	struct svd_tls_facts *f;
	struct sample s;
	size_t i, len;
	char *out;
	FILE *mem;

	if (!x)
		return 0;
	f = calloc(1, sizeof *f);
	if (!f || svd_tls_facts_cert(f, x) < 0)
		abort();
	check_facts(f);
	sample_tls_port(&s, f);
	for (i = 0; i < sizeof formats / sizeof *formats; i++) {
		mem = open_memstream(&out, &len);
		if (!mem || sample_write(&s, sample_format(formats[i]), mem) < 0)
			abort();
		fclose(mem);
		check_output(formats[i], out);
		free(out);
	}
	svd_tls_facts_free(f);
	X509_free(x);
	return 0;
}
