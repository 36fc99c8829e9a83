// SPDX-License-Identifier: MIT
/* SSH keys over OpenSSL; see ssh_key.h.  The SSH wire forms are written and
 * read here — the public key blob (RFC 4253 §6.6, mpints as RFC 4251 §5),
 * RFC 4716 blocks and OpenSSH's private-key file ("openssh-key-v1",
 * PROTOCOL.key in OpenSSH) — and the arithmetic, PEM, DER and digests are
 * OpenSSL's.  Buffers that held private material are wiped before release. */
#include "util/ssh_key.h"

#include <errno.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define ED25519_SIZE 32
#define TYPE_NAME_MAX 64 /* longest algorithm name we look at */

struct ssh_key {
	enum ssh_key_type type;
	bool has_private;
	EVP_PKEY *pkey;
};

/* ---- bounded writer with a sticky failure; wiped when done ---- */

struct wr {
	unsigned char *p;
	size_t size, cap;
	bool failed;
};

static void wr_init(struct wr *w, size_t cap)
{
	w->p = xmalloc(cap);
	w->size = 0;
	w->cap = cap;
	w->failed = false;
}

static void wr_done(struct wr *w)
{
	if (w->p) {
		OPENSSL_cleanse(w->p, w->cap);
		free(w->p);
	}
	w->p = NULL;
}

static void wr_bytes(struct wr *w, const void *data, size_t size)
{
	if (w->failed || size > w->cap - w->size) {
		w->failed = true;
		return;
	}
	memcpy(w->p + w->size, data, size);
	w->size += size;
}

static void wr_u32(struct wr *w, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };
	wr_bytes(w, x, 4);
}

static void wr_string(struct wr *w, const void *data, size_t size)
{
	wr_u32(w, (uint32_t)size);
	wr_bytes(w, data, size);
}

static void wr_cstring(struct wr *w, const char *s)
{
	wr_string(w, s, strlen(s));
}

/* An mpint of a non-negative number: big-endian, minimal, with a leading
 * zero byte when the top bit is set (RFC 4251 §5). */
static void wr_mpint(struct wr *w, const BIGNUM *bn)
{
	size_t n = (size_t)BN_num_bytes(bn);
	bool pad = n > 0 && BN_is_bit_set(bn, (int)(8 * n - 1));
	wr_u32(w, (uint32_t)(n + pad));
	if (pad)
		wr_bytes(w, "", 1);
	if (w->failed || n > w->cap - w->size) {
		w->failed = true;
		return;
	}
	BN_bn2bin(bn, w->p + w->size);
	w->size += n;
}

/* ---- reader over a bounded blob ---- */

struct rd {
	const unsigned char *p;
	size_t left;
};

static int rd_u32(struct rd *r, uint32_t *ret)
{
	if (r->left < 4)
		return -EINVAL;
	*ret = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->left -= 4;
	return 0;
}

static int rd_string(struct rd *r, const unsigned char **ret, size_t *ret_size)
{
	uint32_t n;
	if (rd_u32(r, &n) < 0 || n > r->left)
		return -EINVAL;
	*ret = r->p;
	*ret_size = n;
	r->p += n;
	r->left -= n;
	return 0;
}

static bool rd_string_is(struct rd *r, const char *s)
{
	const unsigned char *v;
	size_t n;
	return rd_string(r, &v, &n) == 0 && n == strlen(s) && memcmp(v, s, n) == 0;
}

/* A non-negative mpint.  Like OpenSSH's sshbuf_get_bignum2 this refuses a
 * negative or overlong one and tolerates needless leading zeros (the blob
 * written back out is canonical). */
static int rd_mpint(struct rd *r, BIGNUM **ret)
{
	const unsigned char *v;
	size_t n;
	if (rd_string(r, &v, &n) < 0 || n > SSH_KEY_RSA_BITS_MAX / 8 + 1)
		return -EINVAL;
	if (n && (v[0] & 0x80))
		return -EINVAL; /* negative */
	*ret = BN_bin2bn(v, (int)n, NULL);
	return *ret ? 0 : -EIO;
}

/* ---- base64 ---- */

static char *b64_encode(const unsigned char *data, size_t size)
{
	char *out = xmalloc(4 * ((size + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, data, (int)size);
	return out;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Strict standard base64: whitespace is skipped, '=' may only pad the last
 * quantum, the length is a multiple of 4.  *ret is malloc'd; the caller
 * wipes it when it held a secret. */
static int b64_decode(const char *s, size_t len, unsigned char **ret, size_t *ret_size)
{
	unsigned char *out = xmalloc(len / 4 * 3 + 3);
	size_t n = 0, chars = 0, pad = 0;
	uint32_t acc = 0;
	for (size_t i = 0; i < len; i++) {
		if (is_space(s[i]))
			continue;
		int v = s[i] == '=' ? 0 : b64_value((unsigned char)s[i]);
		if (v < 0 || (pad && s[i] != '=') || (s[i] == '=' && ++pad > 2))
			goto bad;
		acc = acc << 6 | (uint32_t)v;
		if (++chars % 4 == 0) {
			out[n++] = (unsigned char)(acc >> 16);
			out[n++] = (unsigned char)(acc >> 8);
			out[n++] = (unsigned char)acc;
			acc = 0;
		}
	}
	if (chars == 0 || chars % 4)
		goto bad;
	*ret = out;
	*ret_size = n - pad;
	return 0;
bad:
	OPENSSL_cleanse(out, len / 4 * 3 + 3);
	free(out);
	return -EINVAL;
}

static char *colon_hex(const unsigned char *d, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *out = xmalloc(n ? n * 3 : 1);
	for (size_t i = 0; i < n; i++) {
		out[3 * i] = hex[d[i] >> 4];
		out[3 * i + 1] = hex[d[i] & 15];
		out[3 * i + 2] = i + 1 < n ? ':' : '\0';
	}
	if (!n)
		out[0] = '\0';
	return out;
}

/* ---- keys ---- */

static int wrap(EVP_PKEY *pkey, bool has_private, struct ssh_key **ret)
{
	enum ssh_key_type type;
	if (EVP_PKEY_is_a(pkey, "RSA")) {
		int bits = EVP_PKEY_get_bits(pkey);
		if (bits <= 0 || bits > SSH_KEY_RSA_BITS_MAX) {
			EVP_PKEY_free(pkey);
			return -EINVAL;
		}
		type = SSH_KEY_RSA;
	} else if (EVP_PKEY_is_a(pkey, "ED25519")) {
		type = SSH_KEY_ED25519;
	} else {
		EVP_PKEY_free(pkey);
		return -EOPNOTSUPP;
	}
	struct ssh_key *k = xcalloc(1, sizeof(*k));
	k->type = type;
	k->has_private = has_private;
	k->pkey = pkey;
	*ret = k;
	return 0;
}

void ssh_key_free(struct ssh_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey); /* OpenSSL clears private key material */
	free(k);
}

enum ssh_key_type ssh_key_get_type(const struct ssh_key *k)
{
	return k->type;
}

unsigned ssh_key_bits(const struct ssh_key *k)
{
	return k->type == SSH_KEY_ED25519 ? 256 : (unsigned)EVP_PKEY_get_bits(k->pkey);
}

const char *ssh_key_type_name(enum ssh_key_type type)
{
	return type == SSH_KEY_RSA ? "ssh-rsa" : "ssh-ed25519";
}

int ssh_key_generate(enum ssh_key_type type, unsigned rsa_bits, struct ssh_key **ret)
{
	EVP_PKEY *pkey = type == SSH_KEY_RSA
				 ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)rsa_bits)
				 : EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (!pkey)
		return -EIO;
	return wrap(pkey, true, ret) < 0 ? -EIO : 0;
}

/* The public key blob: string type, then mpint e, mpint n (RSA) or string
 * key (ED25519).  On success *w holds it (wr_done() it). */
static int public_blob(const struct ssh_key *k, struct wr *w)
{
	if (k->type == SSH_KEY_ED25519) {
		unsigned char pk[ED25519_SIZE];
		size_t n = sizeof(pk);
		if (EVP_PKEY_get_raw_public_key(k->pkey, pk, &n) != 1 || n != sizeof(pk))
			return -EIO;
		wr_init(w, 4 + 11 + 4 + sizeof(pk));
		wr_cstring(w, "ssh-ed25519");
		wr_string(w, pk, sizeof(pk));
		return 0;
	}
	BIGNUM *n = NULL, *e = NULL;
	int r = -EIO;
	if (EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
	    EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_E, &e) == 1) {
		wr_init(w, 4 + 7 + 2 * 5 + (size_t)BN_num_bytes(n) + (size_t)BN_num_bytes(e));
		wr_cstring(w, "ssh-rsa");
		wr_mpint(w, e);
		wr_mpint(w, n);
		r = w->failed ? -EIO : 0;
		if (r < 0)
			wr_done(w);
	}
	BN_free(n);
	BN_free(e);
	return r;
}

static EVP_PKEY *rsa_from_ne(const BIGNUM *n, const BIGNUM *e)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	if (bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) == 1 &&
	    (params = OSSL_PARAM_BLD_to_param(bld)) &&
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) && EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

static bool printable(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;
	return n > 0;
}

/* A key from its public blob.  `type`, when given, is the name the text
 * form announced; the blob must agree (OpenSSH: "key type mismatch"). */
static int key_from_blob(const unsigned char *blob, size_t size, const char *type,
			 struct ssh_key **ret)
{
	struct rd r = { blob, size };
	const unsigned char *name, *pk;
	size_t name_size, pk_size;
	if (rd_string(&r, &name, &name_size) < 0 || name_size > TYPE_NAME_MAX ||
	    !printable(name, name_size))
		return -EINVAL;
	if (type && (strlen(type) != name_size || memcmp(type, name, name_size)))
		return -EINVAL;
	if (name_size == 11 && !memcmp(name, "ssh-ed25519", 11)) {
		if (rd_string(&r, &pk, &pk_size) < 0 || pk_size != ED25519_SIZE || r.left)
			return -EINVAL;
		EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, pk_size);
		return pkey ? wrap(pkey, false, ret) : -EINVAL;
	}
	if (name_size != 7 || memcmp(name, "ssh-rsa", 7))
		return -EOPNOTSUPP; /* ssh-dss, ecdsa-sha2-*, sk-* … */
	BIGNUM *e = NULL, *n = NULL;
	int res = -EINVAL;
	if (rd_mpint(&r, &e) == 0 && rd_mpint(&r, &n) == 0 && !r.left && BN_is_odd(n) &&
	    BN_is_odd(e) && !BN_is_one(e) && BN_num_bits(n) <= SSH_KEY_RSA_BITS_MAX &&
	    BN_cmp(e, n) < 0) {
		EVP_PKEY *pkey = rsa_from_ne(n, e);
		res = pkey ? wrap(pkey, false, ret) : -EINVAL;
	}
	BN_free(e);
	BN_free(n);
	return res;
}

/* DER SubjectPublicKeyInfo, else PKCS#1 RSAPublicKey; all of it. */
static int key_from_der(const unsigned char *der, size_t size, struct ssh_key **ret)
{
	const unsigned char *p = der;
	EVP_PKEY *pkey = d2i_PUBKEY(NULL, &p, (long)size);
	if (pkey && p != der + size) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	if (!pkey) {
		p = der;
		pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)size);
		if (pkey && p != der + size) {
			EVP_PKEY_free(pkey);
			pkey = NULL;
		}
	}
	ERR_clear_error(); /* the failed attempt's queue is not ours to leave behind */
	return pkey ? wrap(pkey, false, ret) : -EINVAL;
}

static const char *skip_space(const char *s)
{
	while (is_space(*s))
		s++;
	return s;
}

static bool only_space(const char *s)
{
	return *skip_space(s) == '\0';
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The next line of *p (without its "\n" or "\r\n"); false at the end. */
static bool next_line(const char **p, const char **ret, size_t *ret_len)
{
	if (!**p)
		return false;
	const char *s = *p, *e = strchr(s, '\n');
	size_t n = e ? (size_t)(e - s) : strlen(s);
	*p = e ? e + 1 : s + n;
	if (n && s[n - 1] == '\r')
		n--;
	*ret = s;
	*ret_len = n;
	return true;
}

static bool line_is(const char *s, size_t n, const char *want)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n == strlen(want) && memcmp(s, want, n) == 0;
}

/* "type base64 [comment]", then nothing but whitespace. */
static int parse_openssh_line(const char *s, struct ssh_key **ret)
{
	const char *line;
	size_t len;
	if (!next_line(&s, &line, &len) || !only_space(s))
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)line[i] < 0x20 && line[i] != '\t') || line[i] == 0x7f)
			return -EINVAL;
	size_t tn = strcspn(line, " \t");
	if (tn == 0 || tn > TYPE_NAME_MAX || tn >= len)
		return -EINVAL;
	char type[TYPE_NAME_MAX + 1];
	memcpy(type, line, tn);
	type[tn] = '\0';
	size_t b = tn + strspn(line + tn, " \t");
	size_t bn = strcspn(line + b, " \t\r\n");
	if (b + bn > len)
		bn = len - b;
	unsigned char *blob;
	size_t size;
	int r = b64_decode(line + b, bn, &blob, &size);
	if (r < 0)
		return r;
	r = key_from_blob(blob, size, type, ret);
	free(blob);
	return r;
}

/* RFC 4716 §3: BEGIN line, headers ("Tag: value", continued by a trailing
 * backslash), the base64 body, END line. */
static int parse_rfc4716(const char *s, struct ssh_key **ret)
{
	const char *line;
	size_t len;
	struct buf body;
	bool in_headers = true, continued = false, ended = false;
	int r = -EINVAL;
	buf_init(&body, SSH_KEY_INPUT_MAX);
	(void)next_line(&s, &line, &len); /* the BEGIN line, already matched */
	while (!ended && next_line(&s, &line, &len)) {
		if (line_is(line, len, "---- END SSH2 PUBLIC KEY ----")) {
			ended = true;
		} else if (continued || (in_headers && memchr(line, ':', len))) {
			continued = len && line[len - 1] == '\\';
		} else {
			in_headers = false;
			if (buf_append(&body, line, len) < 0)
				goto out;
		}
	}
	if (!ended || !only_space(s) || !body.size)
		goto out;
	unsigned char *blob;
	size_t size;
	if ((r = b64_decode(body.data, body.size, &blob, &size)) < 0)
		goto out;
	r = key_from_blob(blob, size, NULL, ret);
	free(blob);
out:
	buf_done(&body);
	return r;
}

/* The base64 body between "-----BEGIN label-----" and "-----END label-----";
 * nothing but whitespace may follow.  *ret is malloc'd. */
static int pem_body(const char *s, const char *label, unsigned char **ret, size_t *ret_size)
{
	const char *line, *start = NULL;
	size_t len;
	char begin[64], end[64];
	snprintf(begin, sizeof(begin), "-----BEGIN %s-----", label);
	snprintf(end, sizeof(end), "-----END %s-----", label);
	if (!next_line(&s, &line, &len) || !line_is(line, len, begin))
		return -EINVAL;
	start = s;
	while (next_line(&s, &line, &len)) {
		if (line_is(line, len, end))
			return only_space(s) ? b64_decode(start, (size_t)(line - start), ret, ret_size)
					     : -EINVAL;
	}
	return -EINVAL;
}

/* Copies text that must hold no NUL into a C string. */
static char *text_copy(const void *data, size_t size)
{
	if (memchr(data, '\0', size))
		return NULL;
	return xstrndup(data, size);
}

int ssh_key_parse_public(const void *data, size_t size, struct ssh_key **ret,
			 enum ssh_key_format *ret_format)
{
	const unsigned char *d = data;
	struct ssh_key *k = NULL;
	enum ssh_key_format fmt = SSH_KEY_FMT_DER;
	unsigned char *der = NULL;
	size_t der_size;
	char *text = NULL;
	int r;
	if (size > SSH_KEY_INPUT_MAX)
		return -E2BIG;
	if (!size)
		return -EINVAL;
	if (d[0] == 0x30) { /* an ASN.1 SEQUENCE: raw DER */
		r = key_from_der(d, size, &k);
	} else if (!(text = text_copy(data, size))) {
		r = -EINVAL;
	} else {
		const char *s = skip_space(text);
		size_t first = strcspn(s, "\n");
		if (starts_with(s, "---- BEGIN SSH2 PUBLIC KEY ----")) {
			fmt = SSH_KEY_FMT_RFC4716;
			r = parse_rfc4716(s, &k);
		} else if (starts_with(s, "-----BEGIN PUBLIC KEY-----")) {
			if ((r = pem_body(s, "PUBLIC KEY", &der, &der_size)) == 0)
				r = key_from_der(der, der_size, &k);
		} else if (starts_with(s, "-----BEGIN RSA PUBLIC KEY-----")) {
			if ((r = pem_body(s, "RSA PUBLIC KEY", &der, &der_size)) == 0)
				r = key_from_der(der, der_size, &k);
		} else if (strcspn(s, " \t") < first) {
			/* A blank inside the first line: the OpenSSH form, whose
			 * base64 never holds one. */
			fmt = SSH_KEY_FMT_OPENSSH;
			r = parse_openssh_line(s, &k);
		} else if ((r = b64_decode(s, strlen(s), &der, &der_size)) == 0) {
			r = der_size && der[0] == 0x30 ? key_from_der(der, der_size, &k) : -EINVAL;
		}
	}
	free(der);
	free(text);
	ERR_clear_error(); /* a failed parse leaves nothing in OpenSSL's queue */
	if (r < 0)
		return r;
	*ret = k;
	*ret_format = fmt;
	return 0;
}

/* ---- private keys ---- */

static const char OPENSSH_MAGIC[] = "openssh-key-v1"; /* written with its NUL */

static int no_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return -1; /* an encrypted key fails; nothing ever prompts */
}

/* One unencrypted ED25519 key in an "openssh-key-v1" blob. */
static int parse_openssh_private(const unsigned char *blob, size_t size, struct ssh_key **ret)
{
	struct rd r = { blob, size }, sec;
	const unsigned char *pub, *pk, *sk, *comment;
	size_t pub_size, pk_size, sk_size, comment_size;
	uint32_t n_keys, check1, check2;
	if (size < sizeof(OPENSSH_MAGIC) || memcmp(blob, OPENSSH_MAGIC, sizeof(OPENSSH_MAGIC)))
		return -EINVAL;
	r.p += sizeof(OPENSSH_MAGIC);
	r.left -= sizeof(OPENSSH_MAGIC);
	/* cipher "none", kdf "none", no kdf options: unencrypted only */
	if (!rd_string_is(&r, "none") || !rd_string_is(&r, "none") || !rd_string_is(&r, "") ||
	    rd_u32(&r, &n_keys) < 0 || n_keys != 1 || rd_string(&r, &pub, &pub_size) < 0 ||
	    rd_string(&r, &sec.p, &sec.left) < 0 || r.left || sec.left % 8)
		return -EINVAL;
	if (rd_u32(&sec, &check1) < 0 || rd_u32(&sec, &check2) < 0 || check1 != check2)
		return -EINVAL;
	if (!rd_string_is(&sec, "ssh-ed25519"))
		return -EOPNOTSUPP;
	if (rd_string(&sec, &pk, &pk_size) < 0 || pk_size != ED25519_SIZE ||
	    rd_string(&sec, &sk, &sk_size) < 0 || sk_size != 2 * ED25519_SIZE ||
	    memcmp(sk + ED25519_SIZE, pk, ED25519_SIZE) ||
	    rd_string(&sec, &comment, &comment_size) < 0 || sec.left >= 8)
		return -EINVAL;
	for (size_t i = 0; i < sec.left; i++) /* padding 1, 2, 3 … */
		if (sec.p[i] != i + 1)
			return -EINVAL;
	/* The public section must name the same key. */
	struct rd pr = { pub, pub_size };
	const unsigned char *pk2;
	size_t pk2_size;
	if (!rd_string_is(&pr, "ssh-ed25519") || rd_string(&pr, &pk2, &pk2_size) < 0 ||
	    pk2_size != ED25519_SIZE || pr.left || memcmp(pk2, pk, ED25519_SIZE))
		return -EINVAL;
	EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, sk, ED25519_SIZE);
	unsigned char derived[ED25519_SIZE];
	size_t dn = sizeof(derived);
	if (!pkey || EVP_PKEY_get_raw_public_key(pkey, derived, &dn) != 1 ||
	    memcmp(derived, pk, ED25519_SIZE)) {
		EVP_PKEY_free(pkey);
		return -EINVAL;
	}
	return wrap(pkey, true, ret);
}

int ssh_key_parse_private(const char *text, size_t size, struct ssh_key **ret)
{
	if (size > SSH_KEY_INPUT_MAX)
		return -E2BIG;
	char *copy = text_copy(text, size);
	if (!copy)
		return -EINVAL;
	const char *s = skip_space(copy);
	struct ssh_key *k = NULL;
	int r;
	if (starts_with(s, "-----BEGIN OPENSSH PRIVATE KEY-----")) {
		unsigned char *blob;
		size_t blob_size;
		if ((r = pem_body(s, "OPENSSH PRIVATE KEY", &blob, &blob_size)) == 0) {
			r = parse_openssh_private(blob, blob_size, &k);
			OPENSSL_cleanse(blob, blob_size);
			free(blob);
		}
	} else {
		BIO *bio = BIO_new_mem_buf(s, -1);
		EVP_PKEY *pkey = bio ? PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL) : NULL;
		BIO_free(bio);
		ERR_clear_error();
		r = pkey ? wrap(pkey, true, &k) : -EINVAL;
	}
	OPENSSL_cleanse(copy, size);
	free(copy);
	if (r == 0)
		*ret = k;
	return r;
}

/* "-----BEGIN label-----", the base64 in lines of 70 (as OpenSSH writes),
 * "-----END label-----".  Built in place so no copy of a secret is left. */
static char *pem_wrap(const char *label, const unsigned char *der, size_t der_size)
{
	char *enc = b64_encode(der, der_size);
	size_t n = strlen(enc), lines = (n + 69) / 70;
	size_t cap = 2 * (strlen(label) + 16) + n + lines + 1;
	char *out = xmalloc(cap), *p = out;
	p += snprintf(p, cap, "-----BEGIN %s-----\n", label);
	for (size_t i = 0; i < n; i += 70) {
		size_t m = n - i < 70 ? n - i : 70;
		memcpy(p, enc + i, m);
		p += m;
		*p++ = '\n';
	}
	snprintf(p, cap - (size_t)(p - out), "-----END %s-----\n", label);
	OPENSSL_cleanse(enc, n);
	free(enc);
	return out;
}

static int rsa_private_text(const struct ssh_key *k, char **ret)
{
	/* PKCS#1 "RSA PRIVATE KEY": the form EC2 hands out for RSA pairs.  A
	 * memory BIO grows and frees with OpenSSL's clearing allocator. */
	BIO *bio = BIO_new(BIO_s_mem());
	int r = -EIO;
	char *mem;
	long n;
	if (bio && PEM_write_bio_PrivateKey_traditional(bio, k->pkey, NULL, NULL, 0, NULL, NULL) == 1 &&
	    (n = BIO_get_mem_data(bio, &mem)) > 0) {
		*ret = xstrndup(mem, (size_t)n);
		r = 0;
	}
	BIO_free(bio);
	return r;
}

static int ed25519_private_text(const struct ssh_key *k, char **ret)
{
	unsigned char pk[ED25519_SIZE], both[2 * ED25519_SIZE];
	size_t pkn = sizeof(pk), skn = ED25519_SIZE;
	uint32_t check;
	struct wr pub = { 0 }, sec = { 0 }, body = { 0 };
	int r = -EIO;
	/* OpenSSH keeps the seed followed by the public key as "private". */
	if (EVP_PKEY_get_raw_public_key(k->pkey, pk, &pkn) != 1 ||
	    EVP_PKEY_get_raw_private_key(k->pkey, both, &skn) != 1 || pkn != ED25519_SIZE ||
	    skn != ED25519_SIZE || RAND_bytes((unsigned char *)&check, sizeof(check)) != 1 ||
	    public_blob(k, &pub) < 0)
		goto out;
	memcpy(both + ED25519_SIZE, pk, ED25519_SIZE);
	/* The private list: two equal check words, the key, its comment, and
	 * padding 1, 2, 3 … to the block size of cipher "none" (8). */
	wr_init(&sec, 8 + 4 + 11 + 4 + ED25519_SIZE + 4 + sizeof(both) + 4 + 8);
	wr_u32(&sec, check);
	wr_u32(&sec, check);
	wr_cstring(&sec, "ssh-ed25519");
	wr_string(&sec, pk, sizeof(pk));
	wr_string(&sec, both, sizeof(both));
	wr_cstring(&sec, "");
	for (unsigned char pad = 1; sec.size % 8; pad++)
		wr_bytes(&sec, &pad, 1);
	wr_init(&body, sizeof(OPENSSH_MAGIC) + 3 * 8 + 4 + 4 + pub.size + 4 + sec.size);
	wr_bytes(&body, OPENSSH_MAGIC, sizeof(OPENSSH_MAGIC));
	wr_cstring(&body, "none"); /* cipher */
	wr_cstring(&body, "none"); /* kdf */
	wr_cstring(&body, "");     /* kdf options */
	wr_u32(&body, 1);          /* one key */
	wr_string(&body, pub.p, pub.size);
	wr_string(&body, sec.p, sec.size);
	if (sec.failed || body.failed)
		goto out;
	*ret = pem_wrap("OPENSSH PRIVATE KEY", body.p, body.size);
	r = 0;
out:
	OPENSSL_cleanse(both, sizeof(both));
	wr_done(&pub);
	wr_done(&sec);
	wr_done(&body);
	return r;
}

int ssh_key_private_text(const struct ssh_key *k, char **ret)
{
	if (!k->has_private)
		return -EINVAL;
	return k->type == SSH_KEY_RSA ? rsa_private_text(k, ret) : ed25519_private_text(k, ret);
}

void ssh_key_free_secret(char *s)
{
	if (!s)
		return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

int ssh_key_public_line(const struct ssh_key *k, const char *comment, char **ret)
{
	struct wr blob = { 0 };
	if (public_blob(k, &blob) < 0)
		return -EIO;
	char *enc = b64_encode(blob.p, blob.size);
	wr_done(&blob);
	const char *type = ssh_key_type_name(k->type);
	bool has_comment = comment && *comment;
	size_t n = strlen(type) + 1 + strlen(enc) + (has_comment ? 1 + strlen(comment) : 0) + 1;
	char *line = xmalloc(n);
	snprintf(line, n, "%s %s%s%s", type, enc, has_comment ? " " : "", has_comment ? comment : "");
	free(enc);
	*ret = line;
	return 0;
}

static int digest(const char *md_name, const void *data, size_t size, unsigned char *out,
		  unsigned *ret_size)
{
	EVP_MD *md = EVP_MD_fetch(NULL, md_name, NULL);
	int ok = md && EVP_Digest(data, size, out, ret_size, md, NULL) == 1;
	EVP_MD_free(md);
	return ok ? 0 : -EIO;
}

int ssh_key_fingerprint(const struct ssh_key *k, enum ssh_fp kind, char **ret)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dn = 0;
	unsigned char *der = NULL;
	int der_size = -1, r = -EIO;
	switch (kind) {
	case SSH_FP_SHA256_B64: {
		struct wr blob = { 0 };
		if (public_blob(k, &blob) < 0)
			return -EIO;
		r = digest("SHA256", blob.p, blob.size, d, &dn);
		wr_done(&blob);
		if (r == 0)
			*ret = b64_encode(d, dn);
		return r;
	}
	case SSH_FP_MD5_SPKI:
		der_size = i2d_PUBKEY(k->pkey, &der);
		if (der_size > 0 && (r = digest("MD5", der, (size_t)der_size, d, &dn)) == 0)
			*ret = colon_hex(d, dn);
		OPENSSL_free(der);
		return r;
	case SSH_FP_SHA1_PKCS8: {
		if (!k->has_private)
			return -EINVAL;
		PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(k->pkey);
		if (p8)
			der_size = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
		if (der_size > 0 && (r = digest("SHA1", der, (size_t)der_size, d, &dn)) == 0)
			*ret = colon_hex(d, dn);
		if (der_size > 0)
			OPENSSL_clear_free(der, (size_t)der_size);
		PKCS8_PRIV_KEY_INFO_free(p8);
		return r;
	}
	}
	return -EINVAL;
}
