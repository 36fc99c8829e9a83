// SPDX-License-Identifier: MIT
/* SSH key generation, encoding and fingerprints over OpenSSL; see ssh_key.h.
 * The OpenSSH private-key format ("openssh-key-v1", unencrypted) follows
 * OpenSSH's PROTOCOL.key. */
#include "util/ssh_key.h"

#include <errno.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define BLOB_MAX 16384

static int put_u32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };
	return buf_append(b, x, 4);
}

static int put_string(struct buf *b, const void *data, size_t size)
{
	int r = put_u32(b, (uint32_t)size);
	return r ? r : buf_append(b, data, size);
}

/* An SSH mpint: big-endian, a leading zero when the top bit is set. */
static int put_mpint(struct buf *b, const BIGNUM *bn)
{
	int n = BN_num_bytes(bn);
	unsigned char *tmp = xmalloc((size_t)n + 1);
	tmp[0] = 0;
	BN_bn2bin(bn, tmp + 1);
	size_t off = (n > 0 && (tmp[1] & 0x80)) ? 0 : 1;
	int r = put_string(b, tmp + off, (size_t)n + 1 - off);
	free(tmp);
	return r;
}

static char *b64(const unsigned char *data, size_t size)
{
	char *out = xmalloc(4 * ((size + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, data, (int)size);
	return out;
}

static char *colon_hex(const unsigned char *d, size_t n)
{
	char *out = xmalloc(n * 3 + 1);
	for (size_t i = 0; i < n; i++)
		snprintf(out + 3 * i, 4, i + 1 < n ? "%02x:" : "%02x", d[i]);
	return out;
}

static char *digest_b64(const EVP_MD *md, const void *data, size_t size)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_Digest(data, size, d, &n, md, NULL);
	return b64(d, n);
}

static char *digest_hex(const EVP_MD *md, const void *data, size_t size)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_Digest(data, size, d, &n, md, NULL);
	return colon_hex(d, n);
}

static int rsa_blob(EVP_PKEY *pkey, struct buf *blob)
{
	BIGNUM *n = NULL, *e = NULL;
	int r = -EIO;
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) == 1)
		r = put_string(blob, "ssh-rsa", 7) || put_mpint(blob, e) || put_mpint(blob, n) ? -EIO : 0;
	BN_free(n);
	BN_free(e);
	return r;
}

static char *public_line(const char *type, const struct buf *blob)
{
	char *enc = b64((const unsigned char *)blob->data, blob->size);
	size_t n = strlen(type) + strlen(enc) + 2;
	char *line = xmalloc(n);
	snprintf(line, n, "%s %s", type, enc);
	free(enc);
	return line;
}

static char *pem_wrap(const char *label, const struct buf *der)
{
	char *enc = b64((const unsigned char *)der->data, der->size);
	struct buf out;
	buf_init(&out, 1 << 20);
	(void)buf_printf(&out, "-----BEGIN %s-----\n", label);
	for (size_t i = 0, n = strlen(enc); i < n; i += 70)
		(void)buf_printf(&out, "%.70s\n", enc + i);
	(void)buf_printf(&out, "-----END %s-----\n", label);
	free(enc);
	char *s = xstrdup(buf_str(&out));
	buf_done(&out);
	return s;
}

static int gen_rsa(char **priv, char **pub, char **fp)
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	struct buf blob;
	int r = -EIO;
	if (!pkey)
		return -EIO;
	buf_init(&blob, BLOB_MAX);
	BIO *bio = BIO_new(BIO_s_mem());
	/* PKCS#1 "RSA PRIVATE KEY": the form AWS returns for RSA pairs. */
	if (bio && PEM_write_bio_PrivateKey_traditional(bio, pkey, NULL, NULL, 0, NULL, NULL) == 1 &&
	    rsa_blob(pkey, &blob) == 0) {
		char *mem;
		long n = BIO_get_mem_data(bio, &mem);
		PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(pkey);
		unsigned char *der = NULL;
		int dn = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &der) : -1;
		if (n > 0 && dn > 0) {
			*priv = xstrndup(mem, (size_t)n);
			*pub = public_line("ssh-rsa", &blob);
			*fp = digest_hex(EVP_sha1(), der, (size_t)dn); /* AWS: SHA-1 of PKCS#8 */
			r = 0;
		}
		OPENSSL_free(der);
		PKCS8_PRIV_KEY_INFO_free(p8);
	}
	BIO_free(bio);
	buf_done(&blob);
	EVP_PKEY_free(pkey);
	return r;
}

static int gen_ed25519(char **priv, char **pub, char **fp)
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	unsigned char pk[32], sk[32];
	size_t pkn = sizeof(pk), skn = sizeof(sk);
	struct buf blob, body, sec;
	uint32_t check;
	int r = -EIO;
	if (!pkey)
		return -EIO;
	buf_init(&blob, BLOB_MAX);
	buf_init(&body, BLOB_MAX);
	buf_init(&sec, BLOB_MAX);
	if (EVP_PKEY_get_raw_public_key(pkey, pk, &pkn) != 1 ||
	    EVP_PKEY_get_raw_private_key(pkey, sk, &skn) != 1 || pkn != 32 || skn != 32 ||
	    RAND_bytes((unsigned char *)&check, sizeof(check)) != 1)
		goto out;
	if (put_string(&blob, "ssh-ed25519", 11) || put_string(&blob, pk, 32))
		goto out;
	/* The private section: two equal check words, the key, a comment,
	 * then padding 1, 2, 3… to the cipher's block size (8 for "none"). */
	unsigned char both[64];
	memcpy(both, sk, 32);
	memcpy(both + 32, pk, 32);
	if (put_u32(&sec, check) || put_u32(&sec, check) || put_string(&sec, "ssh-ed25519", 11) ||
	    put_string(&sec, pk, 32) || put_string(&sec, both, 64) || put_string(&sec, "", 0))
		goto out;
	for (unsigned char pad = 1; sec.size % 8; pad++)
		(void)buf_putc(&sec, (char)pad);
	OPENSSL_cleanse(both, sizeof(both));
	if (buf_append(&body, "openssh-key-v1", 15) || put_string(&body, "none", 4) ||
	    put_string(&body, "none", 4) || put_string(&body, "", 0) || put_u32(&body, 1) ||
	    put_string(&body, blob.data, blob.size) || put_string(&body, sec.data, sec.size))
		goto out;
	*priv = pem_wrap("OPENSSH PRIVATE KEY", &body);
	*pub = public_line("ssh-ed25519", &blob);
	*fp = digest_b64(EVP_sha256(), blob.data, blob.size); /* AWS: OpenSSH's SHA-256 */
	r = 0;
out:
	OPENSSL_cleanse(sk, sizeof(sk));
	if (sec.data)
		OPENSSL_cleanse(sec.data, sec.size);
	if (body.data)
		OPENSSL_cleanse(body.data, body.size);
	buf_done(&blob);
	buf_done(&body);
	buf_done(&sec);
	EVP_PKEY_free(pkey);
	return r;
}

int ssh_key_generate(enum ssh_key_type type, char **ret_private, char **ret_public,
		     char **ret_fingerprint)
{
	return type == SSH_KEY_RSA ? gen_rsa(ret_private, ret_public, ret_fingerprint)
				   : gen_ed25519(ret_private, ret_public, ret_fingerprint);
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int ssh_key_parse_public(const char *line, enum ssh_key_type *ret_type, char **ret_public,
			 char **ret_fingerprint)
{
	char type[32], data[BLOB_MAX];
	if (strlen(line) >= sizeof(data) || sscanf(line, "%31s %16383s", type, data) != 2)
		return -EINVAL;
	enum ssh_key_type t;
	if (!strcmp(type, "ssh-rsa"))
		t = SSH_KEY_RSA;
	else if (!strcmp(type, "ssh-ed25519"))
		t = SSH_KEY_ED25519;
	else
		return -EINVAL;
	size_t len = strlen(data);
	if (len % 4)
		return -EINVAL;
	unsigned char *blob = xmalloc(len / 4 * 3 + 1);
	int n = EVP_DecodeBlock(blob, (const unsigned char *)data, (int)len);
	if (n < 0) {
		free(blob);
		return -EINVAL;
	}
	if (len && data[len - 1] == '=')
		n--;
	if (len > 1 && data[len - 2] == '=')
		n--;
	/* The blob must begin with the same type name, and for ED25519 hold
	 * exactly a 32-byte key. */
	size_t tn = strlen(type);
	bool ok = n >= 4 && get_u32(blob) == tn && (size_t)n >= 4 + tn &&
		  !memcmp(blob + 4, type, tn);
	if (ok && t == SSH_KEY_ED25519)
		ok = (size_t)n == 4 + tn + 4 + 32 && get_u32(blob + 4 + tn) == 32;
	if (!ok) {
		free(blob);
		return -EINVAL;
	}
	*ret_type = t;
	size_t pn = tn + len + 2;
	*ret_public = xmalloc(pn);
	snprintf(*ret_public, pn, "%s %s", type, data);
	*ret_fingerprint = t == SSH_KEY_RSA ? digest_hex(EVP_md5(), blob, (size_t)n)
					    : digest_b64(EVP_sha256(), blob, (size_t)n);
	free(blob);
	return 0;
}
