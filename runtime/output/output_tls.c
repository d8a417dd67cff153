/*
 * ssl-cert's text as Nmap's scripts/ssl-cert.nse composes it (output_str):
 * the subject; its alternative names; from -v the issuer, the key and the
 * signature algorithm; the validity; from -v the digests in groups of
 * four hex digits; from -vv the PEM and every attribute of the names.
 */
#include "output_tls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct svd_tls_facts *svd_out_tls_shown(const struct svd_run *run,
					      const struct svd_port *p)
{
	const struct svd_tls_facts *f = p->svc.tls;

	return run->tls_info && f && f->has_cert ? f : NULL;
}

/*
 * The facts are printable ASCII by contract (runtime/result/scan.h); a
 * byte that is not still reaches no terminal or XML parser as itself.
 * Line breaks only where the caller allows them (the PEM's).
 */
static void put_text(FILE *out, const char *s, bool lines)
{
	for (; *s; s++)
		fputc((*s >= 0x20 && *s < 0x7f) || (lines && *s == '\n') ? *s : '.', out);
}

static void put(FILE *out, const char *s)
{
	put_text(out, s, false);
}

/* The attributes ssl-cert shows first, in its order (NON_VERBOSE_FIELDS). */
static const char *const main_keys[] = {
	"commonName", "organizationName", "stateOrProvinceName", "countryName",
};
enum { NMAIN = sizeof main_keys / sizeof main_keys[0] };

static bool is_main_key(const char *key)
{
	size_t i;

	for (i = 0; i < NMAIN; i++)
		if (strcmp(key, main_keys[i]) == 0)
			return true;
	return false;
}

static void attr_text(FILE *out, const struct svd_tls_attr *a, const char **sep)
{
	fputs(*sep, out);
	put(out, a->key);
	fputc('=', out);
	put(out, a->value);
	*sep = "/";
}

/* "commonName=a/organizationName=b": the main keys, at -vv all. */
static void name_text(FILE *out, const struct svd_tls_name *n, int verbose)
{
	const char *sep = "";
	size_t i, k;

	for (k = 0; k < NMAIN; k++)
		for (i = 0; i < n->n; i++)
			if (strcmp(n->attr[i].key, main_keys[k]) == 0)
				attr_text(out, &n->attr[i], &sep);
	for (i = 0; verbose > 1 && i < n->n; i++)
		if (!is_main_key(n->attr[i].key))
			attr_text(out, &n->attr[i], &sep);
}

/* "7cc7 a345 ...": ssl-cert's grouping of a digest. */
static void digest_text(FILE *out, const char *label, const unsigned char *d, size_t n)
{
	size_t i;

	fputs(label, out);
	for (i = 0; i < n; i++)
		fprintf(out, "%s%02x", i > 0 && i % 2 == 0 ? " " : "", d[i]);
}

char *svd_out_ssl_cert_text(const struct svd_tls_facts *f, int verbose)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		return NULL;
	fputs("Subject: ", out);
	name_text(out, &f->subject, verbose);
	for (i = 0; i < f->nsan; i++) {
		fputs(i == 0 ? "\nSubject Alternative Name: " : ", ", out);
		put(out, f->san[i]);
	}
	if (verbose > 0) {
		fputs("\nIssuer: ", out);
		name_text(out, &f->issuer, verbose);
		fputs("\nPublic Key type: ", out);
		put(out, f->key_type);
		fprintf(out, "\nPublic Key bits: %d\nSignature Algorithm: ", f->key_bits);
		put(out, f->sig_alg);
	}
	fputs("\nNot valid before: ", out);
	put(out, *f->not_before ? f->not_before : "MISSING");
	fputs("\nNot valid after:  ", out);
	put(out, *f->not_after ? f->not_after : "MISSING");
	if (verbose > 0) {
		digest_text(out, "\nMD5:     ", f->md5, sizeof f->md5);
		digest_text(out, "\nSHA-1:   ", f->sha1, sizeof f->sha1);
		digest_text(out, "\nSHA-256: ", f->sha256, sizeof f->sha256);
	}
	if (verbose > 1 && f->pem) {
		fputc('\n', out);
		put_text(out, f->pem, true);
	}
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	/* The PEM's own last newline ends no line of ssl-cert's. */
	while (len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	return text;
}

static int by_key(const void *a, const void *b)
{
	const struct svd_tls_attr *const *x = a, *const *y = b;

	return strcmp((*x)->key, (*y)->key);
}

const struct svd_tls_attr **svd_out_name_sorted(const struct svd_tls_name *n)
{
	const struct svd_tls_attr **v;
	size_t i;

	if (n->n == 0 || !(v = malloc(n->n * sizeof *v)))
		return NULL;
	for (i = 0; i < n->n; i++)
		v[i] = &n->attr[i];
	qsort(v, n->n, sizeof *v, by_key);
	return v;
}

void svd_out_hex(char *buf, const unsigned char *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(buf + 2 * i, 3, "%02x", d[i]);
	buf[2 * n] = '\0';
}
