/*
 * TLS facts from OpenSSL 3.  The certificate's fields are read as Nmap's
 * nse_ssl_cert.cc reads them for ssl-cert (names keyed by OpenSSL's long
 * names, the signature algorithm's long name, "rsa"/"dsa"/"dh"/"ec"), so
 * that our ssl-cert output carries the same values.  Everything the peer
 * chose is made printable here (escape_encode) and bounded (the caps are
 * in runtime/result/scan.h).
 */
#include "tls_facts.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "escape.h"

/* The first SVD_TLS_VALUE_MAX bytes of s, printable and malloc'd ("..."
 * added when cut); NULL when out of memory. */
static char *printable_dup(const unsigned char *s, size_t len)
{
	size_t keep = len > SVD_TLS_VALUE_MAX ? SVD_TLS_VALUE_MAX : len;
	size_t size = 4 * keep + sizeof "...";
	char *dst = malloc(size);

	if (!dst)
		return NULL;
	escape_bytes_for_log(dst, size, s, keep);
	if (keep < len)
		strcat(dst, "...");
	return dst;
}

static char *bio_printable_dup(BIO *bio)
{
	char *data;
	long len = BIO_get_mem_data(bio, &data);

	return printable_dup((const unsigned char *)data, len > 0 ? (size_t)len : 0);
}

/* Nmap's key of a name attribute: OpenSSL's long name, else the OID. */
static void attr_key(char *buf, size_t size, const ASN1_OBJECT *obj)
{
	int nid = OBJ_obj2nid(obj);

	if (nid != NID_undef && OBJ_nid2ln(nid))
		snprintf(buf, size, "%s", OBJ_nid2ln(nid));
	else if (OBJ_obj2txt(buf, (int)size, obj, 1) <= 0)
		snprintf(buf, size, "?");
}

/* The value as UTF-8 where OpenSSL can convert it (BMPString...), else
 * its bytes as sent. */
static char *attr_value(const ASN1_STRING *v)
{
	unsigned char *utf8 = NULL;
	int len = ASN1_STRING_to_UTF8(&utf8, v);
	char *s;

	if (len < 0)
		return printable_dup(ASN1_STRING_get0_data(v), (size_t)ASN1_STRING_length(v));
	s = printable_dup(utf8, (size_t)len);
	OPENSSL_free(utf8);
	return s;
}

static struct svd_tls_attr *find_attr(struct svd_tls_name *n, const char *key)
{
	size_t i;

	for (i = 0; i < n->n; i++)
		if (strcmp(n->attr[i].key, key) == 0)
			return &n->attr[i];
	return NULL;
}

static int name_of(struct svd_tls_name *n, const X509_NAME *name)
{
	int i, count = name ? X509_NAME_entry_count(name) : 0;

	if (count <= 0)
		return 0;
	n->attr = calloc(SVD_TLS_ATTR_MAX, sizeof *n->attr);
	if (!n->attr)
		return -1;
	for (i = 0; i < count; i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
		struct svd_tls_attr *a;
		char key[80], *value;

		attr_key(key, sizeof key, X509_NAME_ENTRY_get_object(e));
		a = find_attr(n, key);
		if (!a && n->n == SVD_TLS_ATTR_MAX)
			continue;
		value = attr_value(X509_NAME_ENTRY_get_data(e));
		if (!value)
			return -1;
		if (a) {
			free(a->value);
			a->value = value;
			continue;
		}
		a = &n->attr[n->n];
		a->value = value;
		a->key = printable_dup((const unsigned char *)key, strlen(key));
		if (!a->key) {
			free(value);
			return -1;
		}
		n->n++;
	}
	return 0;
}

/* Each name as OpenSSL prints it ("DNS:a", "IP Address:192.0.2.1"). */
static int san_of(struct svd_tls_facts *f, X509 *cert)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	int i, count = names ? sk_GENERAL_NAME_num(names) : 0;
	int rc = 0;

	if (count <= 0)
		goto out;
	if (count > SVD_TLS_SAN_MAX)
		count = SVD_TLS_SAN_MAX;
	f->san = calloc((size_t)count, sizeof *f->san);
	if (!f->san) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < count; i++) {
		BIO *bio = BIO_new(BIO_s_mem());

		if (!bio) {
			rc = -1;
			break;
		}
		GENERAL_NAME_print(bio, sk_GENERAL_NAME_value(names, i));
		f->san[f->nsan] = bio_printable_dup(bio);
		BIO_free(bio);
		if (!f->san[f->nsan]) {
			rc = -1;
			break;
		}
		f->nsan++;
	}
out:
	GENERAL_NAMES_free(names);
	return rc;
}

/* ISO 8601 in UTC, as Nmap's datetime.format_timestamp; "" if unreadable. */
static void time_of(char *buf, size_t size, const ASN1_TIME *t)
{
	struct tm tm;

	buf[0] = '\0';
	if (t && ASN1_TIME_to_tm(t, &tm) == 1 &&
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		buf[0] = '\0';
}

static int rsa_of(struct svd_tls_facts *f, const EVP_PKEY *key)
{
	BIGNUM *n = NULL, *e = NULL;
	char *text;
	int rc = 0;

	if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
	    BN_num_bits(n) <= SVD_TLS_MODULUS_BITS) {
		text = BN_bn2hex(n);
		f->rsa_modulus = text ? strdup(text) : NULL;
		rc = f->rsa_modulus ? 0 : -1;
		OPENSSL_free(text);
	}
	if (rc == 0 && EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) == 1 &&
	    BN_num_bits(e) <= 64) {
		text = BN_bn2dec(e);
		if (text)
			snprintf(f->rsa_exponent, sizeof f->rsa_exponent, "%s", text);
		else
			rc = -1;
		OPENSSL_free(text);
	}
	BN_free(n);
	BN_free(e);
	return rc;
}

static int pubkey_of(struct svd_tls_facts *f, X509 *cert)
{
	EVP_PKEY *key = X509_get0_pubkey(cert);
	const char *name;
	size_t i;

	if (!key)
		return 0;
	f->key_bits = EVP_PKEY_get_bits(key);
	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_RSA: name = "rsa"; break;
	case EVP_PKEY_DSA: name = "dsa"; break;
	case EVP_PKEY_DH: name = "dh"; break;
	case EVP_PKEY_EC: name = "ec"; break;
	default:
		/* Nmap says "unknown"; OpenSSL's name is more specific. */
		name = EVP_PKEY_get0_type_name(key);
		if (!name)
			name = "unknown";
	}
	for (i = 0; name[i] && i + 1 < sizeof f->key_type; i++)
		f->key_type[i] = (char)tolower((unsigned char)name[i]);
	f->key_type[i] = '\0';
	if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC &&
	    EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, f->curve,
					   sizeof f->curve, NULL) != 1)
		f->curve[0] = '\0';
	if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA)
		return rsa_of(f, key);
	return 0;
}

static void digests_of(struct svd_tls_facts *f, X509 *cert)
{
	unsigned int n;

	if (X509_digest(cert, EVP_sha256(), f->sha256, &n) != 1)
		memset(f->sha256, 0, sizeof f->sha256);
	if (X509_digest(cert, EVP_sha1(), f->sha1, &n) != 1)
		memset(f->sha1, 0, sizeof f->sha1);
	if (X509_digest(cert, EVP_md5(), f->md5, &n) != 1)
		memset(f->md5, 0, sizeof f->md5);
}

static int pem_of(struct svd_tls_facts *f, X509 *cert)
{
	int der = i2d_X509(cert, NULL);
	BIO *bio;
	char *data;
	long len;

	if (der <= 0 || der > SVD_TLS_PEM_DER_MAX)
		return 0;
	bio = BIO_new(BIO_s_mem());
	if (!bio)
		return -1;
	if (PEM_write_bio_X509(bio, cert) == 1 && (len = BIO_get_mem_data(bio, &data)) > 0) {
		f->pem = strndup(data, (size_t)len);
		if (!f->pem) {
			BIO_free(bio);
			return -1;
		}
	}
	BIO_free(bio);
	return 0;
}

int svd_tls_facts_cert(struct svd_tls_facts *f, X509 *cert)
{
	const char *sig = OBJ_nid2ln(X509_get_signature_nid(cert));

	f->has_cert = true;
	snprintf(f->sig_alg, sizeof f->sig_alg, "%s", sig ? sig : "");
	time_of(f->not_before, sizeof f->not_before, X509_get0_notBefore(cert));
	time_of(f->not_after, sizeof f->not_after, X509_get0_notAfter(cert));
	digests_of(f, cert);
	if (name_of(&f->subject, X509_get_subject_name(cert)) < 0 ||
	    name_of(&f->issuer, X509_get_issuer_name(cert)) < 0 ||
	    san_of(f, cert) < 0 || pubkey_of(f, cert) < 0 || pem_of(f, cert) < 0)
		return -1;
	return 0;
}

struct svd_tls_facts *svd_tls_facts_of(SSL *ssl)
{
	struct svd_tls_facts *f = calloc(1, sizeof *f);
	const unsigned char *alpn;
	unsigned int alpn_len;
	X509 *cert;

	if (!f)
		return NULL;
	snprintf(f->version, sizeof f->version, "%s", SSL_get_version(ssl));
	snprintf(f->cipher, sizeof f->cipher, "%s", SSL_get_cipher_name(ssl));
	SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
	escape_bytes_for_log(f->alpn, sizeof f->alpn, alpn, alpn ? alpn_len : 0);
	cert = SSL_get1_peer_certificate(ssl);
	if (cert && svd_tls_facts_cert(f, cert) < 0) {
		svd_tls_facts_free(f);
		f = NULL;
	}
	X509_free(cert);
	return f;
}

static void name_free(struct svd_tls_name *n)
{
	size_t i;

	for (i = 0; i < n->n; i++) {
		free(n->attr[i].key);
		free(n->attr[i].value);
	}
	free(n->attr);
}

void svd_tls_facts_free(struct svd_tls_facts *f)
{
	size_t i;

	if (!f)
		return;
	name_free(&f->subject);
	name_free(&f->issuer);
	for (i = 0; i < f->nsan; i++)
		free(f->san[i]);
	free(f->san);
	free(f->rsa_modulus);
	free(f->pem);
	free(f);
}
