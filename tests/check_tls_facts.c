/*
 * Unit tests of the TLS facts (runtime/scan/tls_facts.h) on certificates
 * made here with OpenSSL: RSA 2048, EC P-256 and ed25519 keys, DNS, IP
 * and e-mail alternative names, and a hostile certificate (NUL and
 * control bytes, markup, a 10 KB common name, 1,000 names, 40 attributes)
 * whose facts must stay bounded and printable in every output format.  A
 * handshake between two in-memory OpenSSL ends gives svd_tls_facts_of its
 * session facts.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "output.h"
#include "output_samples.h"
#include "tls_facts.h"

/* A self-signed certificate of key: subject and issuer CN=cn, O=org,
 * C=DE (in that order; org NULL: none), the alternative names san
 * (OpenSSL's config form, NULL: none), valid 2024-01-02 to 2054-01-02. */
static X509 *make_cert(EVP_PKEY *key, const EVP_MD *md, const unsigned char *cn,
		       int cn_len, const char *org, const char *san)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_get_subject_name(x);
	ASN1_TIME *t = ASN1_TIME_new();

	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(X509_set_version(x, X509_VERSION_3), 1);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	ck_assert_int_eq(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, cn_len, -1, 0), 1);
	if (org) {
		X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
					   (const unsigned char *)org, -1, -1, 0);
		X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC,
					   (const unsigned char *)"DE", -1, -1, 0);
	}
	ck_assert_int_eq(X509_set_issuer_name(x, name), 1);
	/* A UTCTime and, after 2049, a GeneralizedTime. */
	ck_assert_int_eq(ASN1_TIME_set_string(t, "240102030405Z"), 1);
	X509_set1_notBefore(x, t);
	ck_assert_int_eq(ASN1_TIME_set_string(t, "20540102030405Z"), 1);
	X509_set1_notAfter(x, t);
	ASN1_TIME_free(t);
	ck_assert_int_eq(X509_set_pubkey(x, key), 1);
	if (san) {
		X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, san);

		ck_assert_ptr_nonnull(ext);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	ck_assert_int_gt(X509_sign(x, key, md), 0);
	return x;
}

static X509 *simple_cert(EVP_PKEY *key, const EVP_MD *md, const char *cn, const char *san)
{
	return make_cert(key, md, (const unsigned char *)cn, (int)strlen(cn), "Example Org", san);
}

static struct svd_tls_facts *facts_of_cert(X509 *x)
{
	struct svd_tls_facts *f = calloc(1, sizeof *f);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(svd_tls_facts_cert(f, x), 0);
	return f;
}

static void assert_digest(const unsigned char *got, X509 *x, const EVP_MD *md)
{
	unsigned char *der = NULL, want[EVP_MAX_MD_SIZE];
	unsigned int n;
	int len = i2d_X509(x, &der);

	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(EVP_Digest(der, (size_t)len, want, &n, md, NULL), 1);
	ck_assert_mem_eq(got, want, n);
	OPENSSL_free(der);
}

/* The fields every test certificate shares. */
static void assert_common(const struct svd_tls_facts *f, X509 *x, const char *cn)
{
	const struct svd_tls_name *names[2] = { &f->subject, &f->issuer };
	size_t i;

	ck_assert(f->has_cert);
	for (i = 0; i < 2; i++) {
		ck_assert_uint_eq(names[i]->n, 3);
		ck_assert_str_eq(names[i]->attr[0].key, "commonName");
		ck_assert_str_eq(names[i]->attr[0].value, cn);
		ck_assert_str_eq(names[i]->attr[1].key, "organizationName");
		ck_assert_str_eq(names[i]->attr[1].value, "Example Org");
		ck_assert_str_eq(names[i]->attr[2].key, "countryName");
		ck_assert_str_eq(names[i]->attr[2].value, "DE");
	}
	ck_assert_str_eq(f->not_before, "2024-01-02T03:04:05");
	ck_assert_str_eq(f->not_after, "2054-01-02T03:04:05");
	assert_digest(f->sha256, x, EVP_sha256());
	assert_digest(f->sha1, x, EVP_sha1());
	assert_digest(f->md5, x, EVP_md5());
	ck_assert_ptr_nonnull(f->pem);
	ck_assert_msg(strncmp(f->pem, "-----BEGIN CERTIFICATE-----\nMII", 31) == 0, "%s", f->pem);
	ck_assert_msg(strstr(f->pem, "\n-----END CERTIFICATE-----\n"), "%s", f->pem);
}

static void assert_key(const struct svd_tls_facts *f, const char *type, int bits,
		       const char *curve, const char *sig_alg)
{
	ck_assert_str_eq(f->key_type, type);
	ck_assert_int_eq(f->key_bits, bits);
	ck_assert_str_eq(f->curve, curve);
	ck_assert_str_eq(f->sig_alg, sig_alg);
}

START_TEST(rsa_2048)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	X509 *x = simple_cert(key, EVP_sha256(), "rsa.example",
			      "DNS:rsa.example,IP:127.0.0.1,email:admin@example.org,IP:::1");
	struct svd_tls_facts *f = facts_of_cert(x);
	size_t i;

	assert_common(f, x, "rsa.example");
	ck_assert_uint_eq(f->nsan, 4);
	ck_assert_str_eq(f->san[0], "DNS:rsa.example");
	ck_assert_str_eq(f->san[1], "IP Address:127.0.0.1");
	ck_assert_str_eq(f->san[2], "email:admin@example.org");
	ck_assert_str_eq(f->san[3], "IP Address:0:0:0:0:0:0:0:1");
	assert_key(f, "rsa", 2048, "", "sha256WithRSAEncryption");
	ck_assert_str_eq(f->rsa_exponent, "65537");
	ck_assert_ptr_nonnull(f->rsa_modulus);
	ck_assert_uint_eq(strlen(f->rsa_modulus), 512);
	for (i = 0; i < 512; i++)
		ck_assert(strchr("0123456789ABCDEF", f->rsa_modulus[i]));
	svd_tls_facts_free(f);
	X509_free(x);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(ec_p256)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = simple_cert(key, EVP_sha384(), "ec.example", "DNS:ec.example");
	struct svd_tls_facts *f = facts_of_cert(x);

	assert_common(f, x, "ec.example");
	ck_assert_uint_eq(f->nsan, 1);
	ck_assert_str_eq(f->san[0], "DNS:ec.example");
	assert_key(f, "ec", 256, "prime256v1", "ecdsa-with-SHA384");
	ck_assert_ptr_null(f->rsa_modulus);
	ck_assert_str_eq(f->rsa_exponent, "");
	svd_tls_facts_free(f);
	X509_free(x);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(ed25519_no_san)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	X509 *x = simple_cert(key, NULL, "ed.example", NULL);
	struct svd_tls_facts *f = facts_of_cert(x);

	assert_common(f, x, "ed.example");
	ck_assert_uint_eq(f->nsan, 0);
	ck_assert_ptr_null(f->san);
	/* Nmap's ssl-cert says "unknown" for this key; OpenSSL names it. */
	assert_key(f, "ed25519", 256, "", "ED25519");
	svd_tls_facts_free(f);
	X509_free(x);
	EVP_PKEY_free(key);
}
END_TEST

static void assert_printable(const char *what, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		ck_assert_msg(*p >= 0x20 && *p < 0x7f, "%s: byte 0x%02x in \"%s\"", what, *p, s);
}

/* NUL, control and markup bytes, then 10 KB: the common name's head. */
static const char hostile_head[] = "evil\0\x1b[31m\"<&]]>\r\n|_x";
static const char hostile_head_escaped[] = "evil\\0\\x1b[31m\"<&]]>\\r\\n|_x";

static X509 *hostile_cert(EVP_PKEY *key)
{
	size_t cn_len = sizeof hostile_head - 1 + 10240, i, off;
	unsigned char *cn = malloc(cn_len);
	char *san = malloc(1000 * 24), oid[32];
	X509_NAME *name = X509_NAME_new();
	X509 *x;

	ck_assert_ptr_nonnull(cn);
	ck_assert_ptr_nonnull(san);
	memcpy(cn, hostile_head, sizeof hostile_head - 1);
	memset(cn + sizeof hostile_head - 1, 'A', 10240);
	for (i = 0, off = 0; i < 1000; i++)
		off += (size_t)sprintf(san + off, "%sDNS:n%zu.example", i ? "," : "", i);
	x = make_cert(key, EVP_sha256(), (const unsigned char *)"first", 5, NULL, san);
	/* A second common name (the last wins, as in Nmap's table), then 40
	 * attributes of unknown OIDs: only SVD_TLS_ATTR_MAX keys are kept. */
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"first", 5,
				   -1, 0);
	/* A UTF8String as is: OpenSSL would refuse 10 KB in its CN type. */
	X509_NAME_add_entry_by_txt(name, "CN", V_ASN1_UTF8STRING, cn, (int)cn_len, -1, 0);
	for (i = 0; i < 40; i++) {
		snprintf(oid, sizeof oid, "1.2.3.4.%zu", i);
		ck_assert_int_eq(X509_NAME_add_entry_by_txt(name, oid, MBSTRING_ASC,
							    (const unsigned char *)"v", 1, -1, 0), 1);
	}
	X509_set_subject_name(x, name);
	ck_assert_int_gt(X509_sign(x, key, EVP_sha256()), 0);
	X509_NAME_free(name);
	free(cn);
	free(san);
	return x;
}

static void assert_facts_printable(const struct svd_tls_facts *f)
{
	size_t i;

	for (i = 0; i < f->subject.n; i++) {
		assert_printable("subject key", f->subject.attr[i].key);
		assert_printable("subject value", f->subject.attr[i].value);
	}
	for (i = 0; i < f->issuer.n; i++)
		assert_printable("issuer value", f->issuer.attr[i].value);
	for (i = 0; i < f->nsan; i++)
		assert_printable("san", f->san[i]);
}

START_TEST(hostile_bounded)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = hostile_cert(key);
	struct svd_tls_facts *f = facts_of_cert(x);
	const char *cn = f->subject.attr[0].value;

	ck_assert_uint_eq(f->subject.n, SVD_TLS_ATTR_MAX);
	ck_assert_str_eq(f->subject.attr[0].key, "commonName");
	ck_assert_msg(strncmp(cn, hostile_head_escaped, sizeof hostile_head_escaped - 1) == 0,
		      "%.80s", cn);
	/* SVD_TLS_VALUE_MAX bytes, escaped, then "...". */
	ck_assert_uint_eq(strlen(cn), sizeof hostile_head_escaped - 1 +
			  (SVD_TLS_VALUE_MAX - (sizeof hostile_head - 1)) + 3);
	ck_assert_str_eq(cn + strlen(cn) - 4, "A...");
	ck_assert_str_eq(f->subject.attr[1].key, "1.2.3.4.0");
	ck_assert_str_eq(f->subject.attr[SVD_TLS_ATTR_MAX - 1].key, "1.2.3.4.30");
	ck_assert_uint_eq(f->nsan, SVD_TLS_SAN_MAX);
	ck_assert_str_eq(f->san[SVD_TLS_SAN_MAX - 1], "DNS:n127.example");
	/* Over SVD_TLS_PEM_DER_MAX: no PEM, the digests all the same. */
	ck_assert_int_gt(i2d_X509(x, NULL), SVD_TLS_PEM_DER_MAX);
	ck_assert_ptr_null(f->pem);
	assert_digest(f->sha256, x, EVP_sha256());
	assert_facts_printable(f);
	svd_tls_facts_free(f);
	X509_free(x);
	EVP_PKEY_free(key);
}
END_TEST

/* The output of format ops for one port with facts f (sample_tls_port). */
static char *render_all(struct svd_tls_facts *f, const struct svd_output_ops *ops)
{
	struct sample s;
	char *buf;
	size_t len;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(out);
	sample_tls_port(&s, f);
	ck_assert_int_eq(sample_write(&s, ops, out), 0);
	fclose(out);
	return buf;
}

/* Every format keeps the hostile certificate's bytes escaped and its size
 * within what the caps allow. */
START_TEST(hostile_in_every_format)
{
	static const char *const formats[] = { "normal", "interactive", "grepable", "xml", "json" };
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = hostile_cert(key);
	struct svd_tls_facts *f = facts_of_cert(x);
	size_t i;

	for (i = 0; i < sizeof formats / sizeof *formats; i++) {
		char *got = render_all(f, sample_format(formats[i]));
		const unsigned char *p;
		const char *ref;

		for (p = (const unsigned char *)got; *p; p++)
			ck_assert_msg((*p >= 0x20 && *p < 0x7f) || *p == '\n' || *p == '\t',
				      "%s: raw byte 0x%02x", formats[i], *p);
		ck_assert_msg(strlen(got) < 64 * 1024, "%s: %zu bytes", formats[i], strlen(got));
		if (strcmp(formats[i], "xml") == 0) {
			ck_assert_ptr_null(strstr(got, "]]>"));
			ck_assert_ptr_nonnull(strstr(got, "<elem key=\"commonName\">evil\\0\\x1b[31m"
						     "&quot;&lt;&amp;]]&gt;\\r\\n|_x"));
			/* The only character reference below 0x20: a line break. */
			for (ref = strstr(got, "&#x"); ref; ref = strstr(ref + 1, "&#x"))
				ck_assert_msg(strncmp(ref, "&#xa;", 5) == 0, "%.10s", ref);
		}
		if (strcmp(formats[i], "json") == 0)
			ck_assert_ptr_nonnull(strstr(got, "\"commonName\":\"evil\\\\0\\\\x1b[31m"
						     "\\\"<&]]>\\\\r\\\\n|_x"));
		if (strcmp(formats[i], "normal") == 0)
			ck_assert_ptr_nonnull(strstr(got, "\n| ssl-cert: Subject: commonName=evil"
						     "\\0\\x1b[31m\"<&]]>\\r\\n|_x"));
		free(got);
	}
	svd_tls_facts_free(f);
	X509_free(x);
	EVP_PKEY_free(key);
}
END_TEST

/* The "tls" output sample's port 443 holds exactly the facts of its
 * certificate, tests/data/output/tls-cert.pem: same JSON. */
START_TEST(sample_matches_its_certificate)
{
	struct sample s;
	struct svd_tls_facts *f, *want;
	char path[4096], *got_json, *want_json;
	FILE *pem;
	X509 *x;

	snprintf(path, sizeof path, "%s/tls-cert.pem", OUTPUT_DATA);
	pem = fopen(path, "r");
	ck_assert_ptr_nonnull(pem);
	x = PEM_read_X509(pem, NULL, NULL, NULL);
	fclose(pem);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(sample_build(&s, "tls", OUTPUT_DATA), 0);
	want = s.hosts[0].ports[0].svc.tls;
	f = facts_of_cert(x);
	memcpy(f->version, want->version, sizeof f->version);
	memcpy(f->cipher, want->cipher, sizeof f->cipher);
	memcpy(f->alpn, want->alpn, sizeof f->alpn);
	got_json = render_all(f, &svd_output_json);
	want_json = render_all(want, &svd_output_json);
	ck_assert_str_eq(got_json, want_json);
	free(got_json);
	free(want_json);
	sample_free(&s);
	svd_tls_facts_free(f);
	X509_free(x);
}
END_TEST

static int pick_h2(SSL *ssl, const unsigned char **out, unsigned char *outlen,
		   const unsigned char *in, unsigned int inlen, void *arg)
{
	(void)ssl;
	(void)arg;
	return SSL_select_next_proto((unsigned char **)out, outlen, (const unsigned char *)"\x02h2",
				     3, in, inlen) == OPENSSL_NPN_NEGOTIATED ?
		SSL_TLSEXT_ERR_OK : SSL_TLSEXT_ERR_NOACK;
}

/* A TLS 1.3 handshake over a BIO pair, the client offering h2 and
 * http/1.1 as conn_tls does: the facts name the session and the server's
 * certificate. */
START_TEST(facts_of_handshake)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = simple_cert(key, EVP_sha256(), "hs.example", "DNS:hs.example");
	SSL_CTX *sctx = SSL_CTX_new(TLS_server_method()), *cctx = SSL_CTX_new(TLS_client_method());
	SSL *server, *client;
	BIO *sbio, *cbio;
	struct svd_tls_facts *f;
	int i, cr = 0, sr = 0;

	ck_assert_int_eq(SSL_CTX_use_certificate(sctx, x), 1);
	ck_assert_int_eq(SSL_CTX_use_PrivateKey(sctx, key), 1);
	SSL_CTX_set_alpn_select_cb(sctx, pick_h2, NULL);
	ck_assert_int_eq(SSL_CTX_set_alpn_protos(cctx, (const unsigned char *)"\x02h2\x08http/1.1",
						 12), 0);
	server = SSL_new(sctx);
	client = SSL_new(cctx);
	ck_assert_int_eq(BIO_new_bio_pair(&sbio, 0, &cbio, 0), 1);
	SSL_set_bio(server, sbio, sbio);
	SSL_set_bio(client, cbio, cbio);
	SSL_set_accept_state(server);
	SSL_set_connect_state(client);
	for (i = 0; i < 20 && (cr != 1 || sr != 1); i++) {
		if (cr != 1)
			cr = SSL_do_handshake(client);
		if (sr != 1)
			sr = SSL_do_handshake(server);
	}
	ck_assert_int_eq(cr, 1);
	ck_assert_int_eq(sr, 1);
	f = svd_tls_facts_of(client);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->version, "TLSv1.3");
	ck_assert_str_eq(f->cipher, SSL_CIPHER_get_name(SSL_get_current_cipher(server)));
	ck_assert_str_eq(f->alpn, "h2");
	ck_assert(f->has_cert);
	ck_assert_str_eq(f->subject.attr[0].value, "hs.example");
	ck_assert_str_eq(f->san[0], "DNS:hs.example");
	assert_digest(f->sha256, x, EVP_sha256());
	svd_tls_facts_free(f);
	SSL_free(client);
	SSL_free(server);
	SSL_CTX_free(cctx);
	SSL_CTX_free(sctx);
	X509_free(x);
	EVP_PKEY_free(key);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tls_facts");
	TCase *tc = tcase_create("certificates");

	/* RSA key generation is slow under the sanitizers. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rsa_2048);
	tcase_add_test(tc, ec_p256);
	tcase_add_test(tc, ed25519_no_san);
	tcase_add_test(tc, hostile_bounded);
	tcase_add_test(tc, hostile_in_every_format);
	tcase_add_test(tc, sample_matches_its_certificate);
	tcase_add_test(tc, facts_of_handshake);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
