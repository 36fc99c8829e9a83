// SPDX-License-Identifier: MIT
/* AWS Signature Version 4 verification (see sigv4.h): parse the Authorization
 * header or the presigned query, rebuild the canonical request from the raw
 * bytes, derive the key and compare in constant time.  Runs before anything
 * else looks at a request; never logs, never keeps a secret or a derived key
 * past the call, never trusts a length it has not bounded. */
#include "api/sigv4.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define ALGORITHM	"AWS4-HMAC-SHA256"
#define TERMINATOR	"aws4_request"
#define SCOPE_PART_MAX	63   /* bytes in a region or service name */
#define CREDENTIAL_MAX	512  /* bytes in a decoded X-Amz-Credential */
#define SECRET_MAX	4096 /* bytes in a secret access key */
#define METHOD_MAX	16
#define SIGNED_LIST_MAX (SIGV4_SIGNED_HEADERS_MAX * (SIGV4_HEADER_NAME_MAX + 1))
#define CANONICAL_MAX	(16u * 1024 * 1024) /* 3 x query + joined headers, with room */
#define SHA256_SIZE	32
#define SHA256_HEX_LEN	64

/* A slice of a caller's string; not NUL-terminated. */
struct span {
	const char *p;
	size_t len;
};

/* One query parameter as received: still percent-encoded. */
struct qparam {
	struct span name;
	struct span value;
};

struct query {
	struct qparam *v; /* owned; free() */
	size_t n;
};

/* What the Authorization header or the presigned query says. */
struct auth {
	char access_key[SIGV4_ACCESS_KEY_MAX + 1];
	char date8[9];
	char region[SCOPE_PART_MAX + 1];
	char service[SCOPE_PART_MAX + 1];
	char *signed_headers; /* owned; free() */
	char signature[SIGV4_SIGNATURE_LEN + 1];
	char amz_date[SIGV4_AMZ_DATE_LEN + 1];
	const char *date_header; /* "x-amz-date" or "date", must be signed; NULL if presigned */
	long expires;		 /* presigned only */
	bool is_presigned;
};

static const char msg_mismatch[] =
	"The request signature we calculated does not match the signature you provided. "
	"Check your AWS Secret Access Key and signing method. "
	"Consult the service documentation for details.";
static const char msg_credential_parts[] =
	"Credential must have exactly 5 slash-delimited elements, "
	"e.g. keyid/date/region/service/term.";
static const char msg_credential_date[] = "Credential should have a date in the form yyyymmdd.";
static const char msg_date_format[] =
	"Date must be in ISO-8601 'basic format' (yyyyMMdd'T'HHmmss'Z').";

/* ---- bytes ------------------------------------------------------------ */

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void to_hex(const unsigned char *in, size_t size, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < size; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * size] = '\0';
}

static bool span_is(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len == n && memcmp(s.p, lit, n) == 0;
}

static struct span span_trim(const char *p, size_t len)
{
	while (len && is_blank(*p)) {
		p++;
		len--;
	}
	while (len && is_blank(p[len - 1]))
		len--;
	return (struct span){ p, len };
}

/* Decodes one byte of a percent-encoded span at *i, advancing *i past it.
 * Returns the byte, or -1 for a malformed escape. */
static int pct_next(struct span s, size_t *i)
{
	unsigned char c = (unsigned char)s.p[*i];
	if (c != '%') {
		(*i)++;
		return c;
	}
	if (s.len - *i < 3)
		return -1;
	int hi = hex_value(s.p[*i + 1]);
	int lo = hex_value(s.p[*i + 2]);
	if (hi < 0 || lo < 0)
		return -1;
	*i += 3;
	return hi << 4 | lo;
}

/* Whether the percent-decoded raw equals lit. */
static bool decoded_is(struct span raw, const char *lit)
{
	size_t i = 0, k = 0;
	while (i < raw.len) {
		int c = pct_next(raw, &i);
		if (c < 0 || lit[k] == '\0' || (unsigned char)lit[k] != c)
			return false;
		k++;
	}
	return lit[k] == '\0';
}

/* Percent-decodes raw into a new string of at most max bytes (free()).
 * -EINVAL on a malformed escape or a NUL byte, -E2BIG past max. */
static int decode_dup(struct span raw, size_t max, char **ret)
{
	if (raw.len / 3 > max)
		return -E2BIG;
	char *out = xmalloc(raw.len + 1);
	size_t i = 0, n = 0;
	while (i < raw.len) {
		int c = pct_next(raw, &i);
		if (c <= 0 || n == max) {
			free(out);
			return c <= 0 ? -EINVAL : -E2BIG;
		}
		out[n++] = (char)c;
	}
	out[n] = '\0';
	*ret = out;
	return 0;
}

static int put_encoded(struct buf *b, unsigned char c)
{
	static const char digits[] = "0123456789ABCDEF";
	if (is_unreserved(c))
		return buf_putc(b, (char)c);
	char e[3] = { '%', digits[c >> 4], digits[c & 15] };
	return buf_append(b, e, sizeof(e));
}

/* Appends the RFC 3986 encoding of the percent-decoded raw. */
static int reencode(struct buf *b, struct span raw)
{
	size_t i = 0;
	while (i < raw.len) {
		int c = pct_next(raw, &i);
		if (c < 0)
			return -EINVAL;
		int r = put_encoded(b, (unsigned char)c);
		if (r < 0)
			return r;
	}
	return 0;
}

static int sha256_hex(const void *data, size_t size, char out[SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_size = 0;
	if (!EVP_Digest(data, size, md, &md_size, EVP_sha256(), NULL) || md_size != SHA256_SIZE)
		return -EIO;
	to_hex(md, SHA256_SIZE, out);
	return 0;
}

static int hmac_sha256(const void *key, size_t key_size, const void *msg, size_t msg_size,
		       unsigned char out[SHA256_SIZE])
{
	unsigned int size = 0;
	if (key_size > INT32_MAX)
		return -EINVAL;
	if (!HMAC(EVP_sha256(), key, (int)key_size, msg, msg_size, out, &size) ||
	    size != SHA256_SIZE)
		return -EIO;
	return 0;
}

/* ---- query ------------------------------------------------------------ */

/* Splits a raw query on '&' (empty segments dropped) and each segment at its
 * first '='; a segment without '=' has an empty value. */
static int query_parse(const char *query, struct query *ret)
{
	size_t len = strnlen(query, SIGV4_QUERY_MAX + 1);
	size_t n = 0;
	if (len > SIGV4_QUERY_MAX)
		return -E2BIG;
	for (size_t i = 0; i < len; i++)
		if (query[i] != '&' && (i == 0 || query[i - 1] == '&'))
			n++;
	if (n > SIGV4_QUERY_PARAMS_MAX)
		return -E2BIG;
	struct qparam *v = n ? xcalloc(n, sizeof(*v)) : NULL;
	size_t k = 0;
	for (size_t i = 0; i < len;) {
		const char *seg = query + i;
		const char *amp = memchr(seg, '&', len - i);
		size_t seg_len = amp ? (size_t)(amp - seg) : len - i;
		i += seg_len + 1;
		if (!seg_len)
			continue;
		const char *eq = memchr(seg, '=', seg_len);
		if (eq) {
			v[k].name = (struct span){ seg, (size_t)(eq - seg) };
			v[k].value = (struct span){ eq + 1, seg_len - (size_t)(eq - seg) - 1 };
		} else {
			v[k].name = (struct span){ seg, seg_len };
			v[k].value = (struct span){ seg + seg_len, 0 };
		}
		k++;
	}
	ret->v = v;
	ret->n = k;
	return 0;
}

struct enc_pair {
	size_t name_off, value_off;
	const char *name, *value;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct enc_pair *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->value, y->value);
}

/* AWS: every parameter but X-Amz-Signature, decoded then RFC 3986-encoded,
 * sorted by encoded name then value (the SigV4 "Create a canonical request"
 * page; the suite's get-vanilla-query-order-* cases). */
static int canonical_query(const struct query *q, struct buf *out)
{
	struct buf enc;
	struct enc_pair *pairs = NULL;
	size_t n = 0;
	int r = 0;

	buf_init(&enc, 3 * (size_t)SIGV4_QUERY_MAX + 2 * (size_t)SIGV4_QUERY_PARAMS_MAX);
	if (q->n)
		pairs = xcalloc(q->n, sizeof(*pairs));
	for (size_t i = 0; i < q->n; i++) {
		if (decoded_is(q->v[i].name, "X-Amz-Signature"))
			continue;
		pairs[n].name_off = enc.size;
		if ((r = reencode(&enc, q->v[i].name)) < 0 || (r = buf_putc(&enc, '\0')) < 0)
			goto out;
		pairs[n].value_off = enc.size;
		if ((r = reencode(&enc, q->v[i].value)) < 0 || (r = buf_putc(&enc, '\0')) < 0)
			goto out;
		n++;
	}
	/* Pointers only now: the buffer may have moved while it grew. */
	for (size_t i = 0; i < n; i++) {
		pairs[i].name = enc.data + pairs[i].name_off;
		pairs[i].value = enc.data + pairs[i].value_off;
	}
	if (n > 1)
		qsort(pairs, n, sizeof(*pairs), cmp_pair);
	for (size_t i = 0; i < n; i++) {
		if ((i && (r = buf_putc(out, '&')) < 0) || (r = buf_puts(out, pairs[i].name)) < 0 ||
		    (r = buf_putc(out, '=')) < 0 || (r = buf_puts(out, pairs[i].value)) < 0)
			goto out;
	}
out:
	free(pairs);
	buf_done(&enc);
	return r;
}

/* ---- headers ---------------------------------------------------------- */

static bool is_lower_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Splits a SignedHeaders list into names, checking the AWS rules: lower
 * case, sorted, unique, at most SIGV4_SIGNED_HEADERS_MAX.  On failure sets
 * *ret_why to a message for the client. */
static int split_signed(const char *list, struct span names[SIGV4_SIGNED_HEADERS_MAX],
			size_t *ret_n, const char **ret_why)
{
	size_t len = strnlen(list, SIGNED_LIST_MAX + 1);
	size_t n = 0;

	if (len > SIGNED_LIST_MAX) {
		*ret_why = "SignedHeaders is too long.";
		return -E2BIG;
	}
	if (!len) {
		*ret_why = "SignedHeaders must not be empty.";
		return -EINVAL;
	}
	for (size_t i = 0; i <= len;) {
		const char *name = list + i;
		size_t nlen = strcspn(name, ";");
		if (!nlen || nlen > SIGV4_HEADER_NAME_MAX) {
			*ret_why = "SignedHeaders contains an empty or overlong name.";
			return -EINVAL;
		}
		for (size_t k = 0; k < nlen; k++) {
			if (!is_lower_tchar(name[k])) {
				*ret_why = "SignedHeaders must be lower-case header names "
					   "separated by ';'.";
				return -EINVAL;
			}
		}
		if (n == SIGV4_SIGNED_HEADERS_MAX) {
			*ret_why = "SignedHeaders names too many headers.";
			return -E2BIG;
		}
		if (n) {
			const struct span *prev = &names[n - 1];
			size_t m = prev->len < nlen ? prev->len : nlen;
			int c = memcmp(prev->p, name, m);
			if (c > 0 || (c == 0 && prev->len >= nlen)) {
				*ret_why = "SignedHeaders must be sorted and unique.";
				return -EINVAL;
			}
		}
		names[n++] = (struct span){ name, nlen };
		i += nlen + 1;
	}
	*ret_n = n;
	return 0;
}

static bool signed_has(const struct span *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (span_is(names[i], name))
			return true;
	return false;
}

static bool header_name_is(const char *have, struct span want)
{
	return have && strnlen(have, want.len + 1) == want.len &&
	       strncasecmp(have, want.p, want.len) == 0;
}

/* Appends a header value trimmed, with inner runs of blanks collapsed to one
 * space (AWS: "Trimall"; the suite's get-header-value-trim). */
static int put_trimmed(struct buf *b, const char *value)
{
	size_t len = strnlen(value, SIGV4_HEADER_VALUE_MAX + 1);
	bool blank = false;
	int r = 0;

	if (len > SIGV4_HEADER_VALUE_MAX)
		return -E2BIG;
	struct span v = span_trim(value, len);
	for (size_t i = 0; i < v.len && r == 0; i++) {
		if (is_blank(v.p[i])) {
			blank = true;
			continue;
		}
		if (blank)
			r = buf_putc(b, ' ');
		blank = false;
		if (r == 0)
			r = buf_putc(b, v.p[i]);
	}
	return r;
}

/* name:value\n for one signed header; repeated headers are joined with ','
 * in the order received (the suite's get-header-key-duplicate). */
static int canonical_header(const struct sigv4_request *req, struct span name, struct buf *out)
{
	size_t found = 0;
	int r;

	if ((r = buf_append(out, name.p, name.len)) < 0 || (r = buf_putc(out, ':')) < 0)
		return r;
	for (size_t i = 0; i < req->n_headers; i++) {
		const struct sigv4_header *h = &req->headers[i];
		if (!header_name_is(h->name, name))
			continue;
		if ((found++ && (r = buf_putc(out, ',')) < 0) ||
		    (r = put_trimmed(out, h->value ? h->value : "")) < 0)
			return r;
	}
	if (!found)
		return -ENOENT;
	return buf_putc(out, '\n');
}

/* ---- canonical request ------------------------------------------------ */

/* The raw path with every byte but unreserved ones and '/' encoded: for a
 * service other than S3 this is AWS's double encoding of the path as sent. */
static int canonical_uri(const char *path, struct buf *out)
{
	size_t len = strnlen(path, SIGV4_PATH_MAX + 1);
	int r = 0;

	if (len > SIGV4_PATH_MAX)
		return -E2BIG;
	if (!len)
		return buf_putc(out, '/');
	for (size_t i = 0; i < len && r == 0; i++)
		r = path[i] == '/' ? buf_putc(out, '/') : put_encoded(out, (unsigned char)path[i]);
	return r;
}

static int check_shape(const struct sigv4_request *req)
{
	if (!req->method || !req->path || (!req->headers && req->n_headers) ||
	    (!req->body && req->body_size))
		return -EINVAL;
	if (req->n_headers > SIGV4_HEADERS_MAX)
		return -E2BIG;
	size_t mlen = strnlen(req->method, METHOD_MAX + 1);
	if (!mlen || mlen > METHOD_MAX)
		return -EINVAL;
	for (size_t i = 0; i < mlen; i++)
		if (req->method[i] < 'A' || req->method[i] > 'Z')
			return -EINVAL;
	return 0;
}

static int build_canonical(const struct sigv4_request *req, const struct query *q,
			   const char *signed_headers, char **ret_text)
{
	struct span names[SIGV4_SIGNED_HEADERS_MAX];
	size_t n = 0;
	const char *why = NULL;
	char hash[SHA256_HEX_LEN + 1];
	struct buf b;
	int r;

	if ((r = check_shape(req)) < 0 || (r = split_signed(signed_headers, names, &n, &why)) < 0)
		return r;
	buf_init(&b, CANONICAL_MAX);
	if ((r = buf_puts(&b, req->method)) < 0 || (r = buf_putc(&b, '\n')) < 0 ||
	    (r = canonical_uri(req->path, &b)) < 0 || (r = buf_putc(&b, '\n')) < 0 ||
	    (r = canonical_query(q, &b)) < 0 || (r = buf_putc(&b, '\n')) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if ((r = canonical_header(req, names[i], &b)) < 0)
			goto fail;
	/* AWS: for EC2 the payload hash is always that of the body as received;
	 * an x-amz-content-sha256 header is only a signed header like any other. */
	if ((r = sha256_hex(req->body_size ? req->body : "", req->body_size, hash)) < 0 ||
	    (r = buf_putc(&b, '\n')) < 0 || (r = buf_puts(&b, signed_headers)) < 0 ||
	    (r = buf_putc(&b, '\n')) < 0 || (r = buf_puts(&b, hash)) < 0)
		goto fail;
	*ret_text = b.data;
	return 0;
fail:
	buf_done(&b);
	return r;
}

int sigv4_canonical_request(const struct sigv4_request *req, const char *signed_headers,
			    char **ret_text)
{
	struct query q = { NULL, 0 };
	int r;

	if (!req || !signed_headers || !ret_text)
		return -EINVAL;
	if ((r = query_parse(req->query ? req->query : "", &q)) < 0)
		return r;
	r = build_canonical(req, &q, signed_headers, ret_text);
	free(q.v);
	return r;
}

int sigv4_string_to_sign(const char *amz_date, const char *scope, const char *canonical,
			 char **ret_text)
{
	char hash[SHA256_HEX_LEN + 1];
	struct buf b;
	int r;

	if (!amz_date || !scope || !canonical || !ret_text)
		return -EINVAL;
	if ((r = sha256_hex(canonical, strlen(canonical), hash)) < 0)
		return r;
	buf_init(&b, sizeof(ALGORITHM) + strlen(amz_date) + strlen(scope) + sizeof(hash) + 4);
	if ((r = buf_puts(&b, ALGORITHM "\n")) < 0 || (r = buf_puts(&b, amz_date)) < 0 ||
	    (r = buf_putc(&b, '\n')) < 0 || (r = buf_puts(&b, scope)) < 0 ||
	    (r = buf_putc(&b, '\n')) < 0 || (r = buf_puts(&b, hash)) < 0) {
		buf_done(&b);
		return r;
	}
	*ret_text = b.data;
	return 0;
}

/* The signing key (HMAC chain over date, region, service) is the same for
 * every request of a day from one secret, so each thread keeps the last
 * one, as AWS's SDKs do; the request's own HMAC is always computed.  Only
 * short scopes are kept: a secret longer than the cache's is derived anew. */
#define CACHE_SECRET_MAX 128
#define CACHE_PART_MAX 64
static _Thread_local struct {
	bool valid;
	size_t secret_len;
	unsigned char secret[CACHE_SECRET_MAX];
	char date8[CACHE_PART_MAX], region[CACHE_PART_MAX], service[CACHE_PART_MAX];
	unsigned char key[SHA256_SIZE];
} signing_key;

static bool cache_fits(size_t secret_len, const char *date8, const char *region,
		       const char *service)
{
	return secret_len <= CACHE_SECRET_MAX && strlen(date8) < CACHE_PART_MAX &&
	       strlen(region) < CACHE_PART_MAX && strlen(service) < CACHE_PART_MAX;
}

static bool cache_hit(const char *secret, size_t secret_len, const char *date8,
		      const char *region, const char *service)
{
	return signing_key.valid && signing_key.secret_len == secret_len &&
	       CRYPTO_memcmp(signing_key.secret, secret, secret_len) == 0 &&
	       !strcmp(signing_key.date8, date8) && !strcmp(signing_key.region, region) &&
	       !strcmp(signing_key.service, service);
}

static int derive_key(const char *secret, size_t secret_len, const char *date8,
		      const char *region, const char *service, unsigned char out[SHA256_SIZE])
{
	unsigned char k1[SHA256_SIZE], k2[SHA256_SIZE];
	size_t key_size = 4 + secret_len;
	char *key = xmalloc(key_size);
	int r;
	memcpy(key, "AWS4", 4);
	memcpy(key + 4, secret, secret_len);
	if ((r = hmac_sha256(key, key_size, date8, strlen(date8), k1)) == 0 &&
	    (r = hmac_sha256(k1, sizeof(k1), region, strlen(region), k2)) == 0 &&
	    (r = hmac_sha256(k2, sizeof(k2), service, strlen(service), k1)) == 0)
		r = hmac_sha256(k1, sizeof(k1), TERMINATOR, strlen(TERMINATOR), out);
	OPENSSL_cleanse(key, key_size);
	OPENSSL_cleanse(k1, sizeof(k1));
	OPENSSL_cleanse(k2, sizeof(k2));
	free(key);
	return r;
}

int sigv4_signature(const char *secret, const char *date8, const char *region, const char *service,
		    const char *string_to_sign, char ret_hex[SIGV4_SIGNATURE_LEN + 1])
{
	unsigned char key[SHA256_SIZE], sig[SHA256_SIZE];
	int r;

	if (!secret || !date8 || !region || !service || !string_to_sign || !ret_hex)
		return -EINVAL;
	size_t secret_len = strnlen(secret, SECRET_MAX + 1);
	if (secret_len > SECRET_MAX)
		return -EINVAL;
	if (cache_hit(secret, secret_len, date8, region, service)) {
		memcpy(key, signing_key.key, sizeof(key));
	} else {
		if ((r = derive_key(secret, secret_len, date8, region, service, key)) < 0)
			goto out;
		if (cache_fits(secret_len, date8, region, service)) {
			signing_key.secret_len = secret_len;
			memcpy(signing_key.secret, secret, secret_len);
			snprintf(signing_key.date8, sizeof(signing_key.date8), "%s", date8);
			snprintf(signing_key.region, sizeof(signing_key.region), "%s", region);
			snprintf(signing_key.service, sizeof(signing_key.service), "%s", service);
			memcpy(signing_key.key, key, sizeof(key));
			signing_key.valid = true;
		}
	}
	if ((r = hmac_sha256(key, sizeof(key), string_to_sign, strlen(string_to_sign), sig)) < 0)
		goto out;
	to_hex(sig, sizeof(sig), ret_hex);
out:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(sig, sizeof(sig));
	return r;
}

/* ---- parsing the authentication -------------------------------------- */

__attribute__((format(printf, 3, 4))) static enum sigv4_status
fail(struct sigv4_result *ret, enum sigv4_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	(void)vsnprintf(ret->message, sizeof(ret->message), fmt, ap);
	va_end(ap);
	return st;
}

/* Safe to quote back in a message: short and plain. */
static bool is_echoable(const char *s)
{
	size_t len = strnlen(s, SCOPE_PART_MAX + 1);
	if (!len || len > SCOPE_PART_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_unreserved((unsigned char)s[i]))
			return false;
	return true;
}

static bool copy_part(struct span s, char *out, size_t size)
{
	if (!s.len || s.len >= size)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] <= ' ' || s.p[i] > '~')
			return false;
	memcpy(out, s.p, s.len);
	out[s.len] = '\0';
	return true;
}

/* "AKID/yyyymmdd/region/service/aws4_request" */
static enum sigv4_status parse_credential(struct span c, struct auth *a, struct sigv4_result *ret)
{
	struct span part[5];
	size_t n = 0, start = 0;

	for (size_t i = 0; i <= c.len; i++) {
		if (i < c.len && c.p[i] != '/')
			continue;
		if (n == 5)
			return fail(ret, SIGV4_INCOMPLETE, "%s", msg_credential_parts);
		part[n++] = (struct span){ c.p + start, i - start };
		start = i + 1;
	}
	if (n != 5)
		return fail(ret, SIGV4_INCOMPLETE, "%s", msg_credential_parts);
	if (!copy_part(part[0], a->access_key, sizeof(a->access_key)))
		return fail(ret, SIGV4_INCOMPLETE, "Credential has a malformed access key id.");
	if (part[1].len != 8 || !copy_part(part[1], a->date8, sizeof(a->date8)))
		return fail(ret, SIGV4_INCOMPLETE, "%s", msg_credential_date);
	for (size_t i = 0; i < 8; i++)
		if (!is_digit(a->date8[i]))
			return fail(ret, SIGV4_INCOMPLETE, "%s", msg_credential_date);
	if (!copy_part(part[2], a->region, sizeof(a->region)))
		return fail(ret, SIGV4_INCOMPLETE,
			    "Credential should be scoped to a valid region.");
	if (!copy_part(part[3], a->service, sizeof(a->service)))
		return fail(ret, SIGV4_INCOMPLETE,
			    "Credential should be scoped to a valid service.");
	if (!span_is(part[4], TERMINATOR))
		return fail(ret, SIGV4_INCOMPLETE,
			    "Credential should be scoped with a valid terminator: 'aws4_request'.");
	return SIGV4_OK;
}

static bool is_signature(struct span s)
{
	if (s.len != SIGV4_SIGNATURE_LEN)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (!is_digit(s.p[i]) && !(s.p[i] >= 'a' && s.p[i] <= 'f'))
			return false;
	return true;
}

/* The date the header form signs: X-Amz-Date, else Date (ISO 8601 basic
 * format only; AWS: "requires existence of either a 'X-Amz-Date' or a 'Date'
 * header"). */
static enum sigv4_status header_date(const struct sigv4_request *req, struct auth *a,
				     struct sigv4_result *ret)
{
	static const char *const names[] = { "x-amz-date", "date" };
	for (size_t k = 0; k < 2; k++) {
		struct span want = { names[k], strlen(names[k]) };
		const char *value = NULL;
		size_t count = 0;
		for (size_t i = 0; i < req->n_headers; i++) {
			if (header_name_is(req->headers[i].name, want)) {
				value = req->headers[i].value ? req->headers[i].value : "";
				count++;
			}
		}
		if (!count)
			continue;
		if (count > 1)
			return fail(ret, SIGV4_INCOMPLETE, "The '%s' header must appear only once.",
				    names[k]);
		struct span v = span_trim(value, strnlen(value, SIGV4_HEADER_VALUE_MAX + 1));
		if (v.len != SIGV4_AMZ_DATE_LEN)
			return fail(ret, SIGV4_INCOMPLETE, "%s", msg_date_format);
		memcpy(a->amz_date, v.p, v.len);
		a->amz_date[v.len] = '\0';
		a->date_header = names[k];
		return SIGV4_OK;
	}
	return fail(ret, SIGV4_INCOMPLETE,
		    "Authorization header requires existence of either a 'X-Amz-Date' "
		    "or a 'Date' header.");
}

/* "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." with
 * optional blanks around the commas; each part exactly once, in any order. */
static enum sigv4_status parse_authorization(const char *value, struct auth *a,
					     struct sigv4_result *ret)
{
	static const char *const keys[] = { "Credential", "SignedHeaders", "Signature" };
	struct span part[3] = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	bool seen[3] = { false, false, false };
	size_t alg_len = strlen(ALGORITHM);
	size_t len = strnlen(value, SIGV4_HEADER_VALUE_MAX + 1);
	enum sigv4_status st;

	if (len > SIGV4_HEADER_VALUE_MAX)
		return fail(ret, SIGV4_INCOMPLETE, "The Authorization header is too long.");
	struct span v = span_trim(value, len);
	if (v.len < alg_len || memcmp(v.p, ALGORITHM, alg_len) != 0 ||
	    (v.len > alg_len && !is_blank(v.p[alg_len])))
		return fail(ret, SIGV4_INCOMPLETE,
			    "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA256' "
			    "is the only one supported.");
	struct span rest = span_trim(v.p + alg_len, v.len - alg_len);
	const char *p = rest.p, *end = rest.p + rest.len;
	while (rest.len) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		struct span c = span_trim(p, (size_t)(stop - p));
		const char *eq = c.len ? memchr(c.p, '=', c.len) : NULL;
		if (!eq)
			return fail(ret, SIGV4_INCOMPLETE,
				    "Authorization header parts must be key=value pairs "
				    "separated by commas.");
		struct span key = { c.p, (size_t)(eq - c.p) };
		size_t k;
		for (k = 0; k < 3; k++)
			if (span_is(key, keys[k]))
				break;
		if (k == 3)
			return fail(ret, SIGV4_INCOMPLETE,
				    "Authorization header has an unknown part; only Credential, "
				    "SignedHeaders and Signature are allowed.");
		if (seen[k])
			return fail(ret, SIGV4_INCOMPLETE,
				    "Authorization header requires '%s' only once.", keys[k]);
		seen[k] = true;
		part[k] = (struct span){ eq + 1, (size_t)(c.p + c.len - eq - 1) };
		if (!comma)
			break;
		p = comma + 1;
	}
	if (!seen[0] || !seen[1] || !seen[2]) {
		size_t off = 0;
		for (size_t k = 0; k < 3; k++) {
			if (seen[k] || off >= sizeof(ret->message))
				continue;
			int n = snprintf(ret->message + off, sizeof(ret->message) - off,
					 "%sAuthorization header requires '%s' parameter.",
					 off ? " " : "", keys[k]);
			off += n > 0 ? (size_t)n : 0;
		}
		return SIGV4_INCOMPLETE;
	}
	if ((st = parse_credential(part[0], a, ret)) != SIGV4_OK)
		return st;
	a->signed_headers = xstrndup(part[1].p, part[1].len);
	if (!is_signature(part[2]))
		return fail(ret, SIGV4_INCOMPLETE,
			    "Signature must be 64 lower-case hexadecimal characters.");
	memcpy(a->signature, part[2].p, SIGV4_SIGNATURE_LEN);
	a->signature[SIGV4_SIGNATURE_LEN] = '\0';
	return SIGV4_OK;
}

/* 1..604800, digits only, no sign and no leading zero. */
static bool parse_expires(const char *s, long *ret)
{
	long v = 0;
	size_t len = strlen(s);
	if (!len || len > 6 || s[0] == '0')
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > SIGV4_EXPIRES_MAX)
		return false;
	*ret = v;
	return true;
}

enum { Q_ALGORITHM, Q_CREDENTIAL, Q_DATE, Q_EXPIRES, Q_SIGNED_HEADERS, Q_SIGNATURE, Q_COUNT };

/* The presigned form: every X-Amz-* authentication parameter exactly once. */
static enum sigv4_status parse_presigned(const struct query *q, struct auth *a,
					 struct sigv4_result *ret)
{
	static const char *const names[Q_COUNT] = {
		[Q_ALGORITHM] = "X-Amz-Algorithm",
		[Q_CREDENTIAL] = "X-Amz-Credential",
		[Q_DATE] = "X-Amz-Date",
		[Q_EXPIRES] = "X-Amz-Expires",
		[Q_SIGNED_HEADERS] = "X-Amz-SignedHeaders",
		[Q_SIGNATURE] = "X-Amz-Signature",
	};
	static const size_t max[Q_COUNT] = {
		[Q_ALGORITHM] = 32,
		[Q_CREDENTIAL] = CREDENTIAL_MAX,
		[Q_DATE] = SIGV4_AMZ_DATE_LEN,
		[Q_EXPIRES] = 6,
		[Q_SIGNED_HEADERS] = SIGNED_LIST_MAX,
		[Q_SIGNATURE] = SIGV4_SIGNATURE_LEN,
	};
	const struct qparam *found[Q_COUNT] = { NULL };
	char *val[Q_COUNT] = { NULL };
	enum sigv4_status st = SIGV4_OK;

	for (size_t i = 0; i < q->n; i++) {
		for (size_t k = 0; k < Q_COUNT; k++) {
			if (!decoded_is(q->v[i].name, names[k]))
				continue;
			if (found[k])
				return fail(ret, SIGV4_INCOMPLETE,
					    "AWS query-string parameters must not repeat '%s'.",
					    names[k]);
			found[k] = &q->v[i];
		}
	}
	for (size_t k = 0; k < Q_COUNT; k++) {
		if (!found[k]) {
			st = fail(ret, SIGV4_INCOMPLETE,
				  "AWS query-string parameters must include '%s'. "
				  "Re-examine the query-string parameters.",
				  names[k]);
			goto out;
		}
		if (decode_dup(found[k]->value, max[k], &val[k]) < 0) {
			st = fail(ret, SIGV4_INCOMPLETE,
				  "The query-string parameter '%s' is malformed.", names[k]);
			goto out;
		}
	}
	if (strcmp(val[Q_ALGORITHM], ALGORITHM) != 0) {
		st = fail(ret, SIGV4_INCOMPLETE,
			  "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\".");
		goto out;
	}
	st = parse_credential((struct span){ val[Q_CREDENTIAL], strlen(val[Q_CREDENTIAL]) }, a,
			      ret);
	if (st != SIGV4_OK)
		goto out;
	if (strlen(val[Q_DATE]) != SIGV4_AMZ_DATE_LEN) {
		st = fail(
			ret, SIGV4_INCOMPLETE,
			"X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\".");
		goto out;
	}
	memcpy(a->amz_date, val[Q_DATE], SIGV4_AMZ_DATE_LEN + 1);
	if (!parse_expires(val[Q_EXPIRES], &a->expires)) {
		st = fail(ret, SIGV4_INCOMPLETE,
			  "X-Amz-Expires must be a whole number of seconds from 1 to 604800.");
		goto out;
	}
	if (!is_signature((struct span){ val[Q_SIGNATURE], strlen(val[Q_SIGNATURE]) })) {
		st = fail(ret, SIGV4_INCOMPLETE,
			  "Signature must be 64 lower-case hexadecimal characters.");
		goto out;
	}
	memcpy(a->signature, val[Q_SIGNATURE], SIGV4_SIGNATURE_LEN + 1);
	a->signed_headers = val[Q_SIGNED_HEADERS];
	val[Q_SIGNED_HEADERS] = NULL;
	a->is_presigned = true;
out:
	for (size_t k = 0; k < Q_COUNT; k++)
		free(val[k]);
	return st;
}

/* ---- time ------------------------------------------------------------- */

static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static unsigned parse_digits(const char *s, size_t n)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

/* "yyyymmddThhmmssZ", a real UTC calendar time from 1970 on. */
static bool parse_amz_date(const char *s, time_t *ret)
{
	static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (strnlen(s, SIGV4_AMZ_DATE_LEN + 1) != SIGV4_AMZ_DATE_LEN || s[8] != 'T' || s[15] != 'Z')
		return false;
	for (size_t i = 0; i < 15; i++)
		if (i != 8 && !is_digit(s[i]))
			return false;
	unsigned y = parse_digits(s, 4), mo = parse_digits(s + 4, 2), d = parse_digits(s + 6, 2);
	unsigned h = parse_digits(s + 9, 2), mi = parse_digits(s + 11, 2);
	unsigned sec = parse_digits(s + 13, 2);
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || sec > 59)
		return false;
	*ret = (time_t)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec);
	return true;
}

/* a - b > limit, without overflow. */
static bool later_by_more_than(time_t a, time_t b, long long limit)
{
	long long d;
	if (__builtin_sub_overflow((long long)a, (long long)b, &d))
		return a > b;
	return d > limit;
}

/* ---- verification ----------------------------------------------------- */

static size_t count_headers(const struct sigv4_request *req, const char *name,
			    const char **ret_value)
{
	struct span want = { name, strlen(name) };
	size_t n = 0;
	for (size_t i = 0; i < req->n_headers; i++) {
		if (header_name_is(req->headers[i].name, want)) {
			if (!n)
				*ret_value = req->headers[i].value ? req->headers[i].value : "";
			n++;
		}
	}
	return n;
}

static enum sigv4_status verify(const struct sigv4_request *req, const struct query *q,
				const char *region, const char *service, sigv4_secret_fn lookup,
				void *cookie, time_t now, struct auth *a, struct sigv4_result *ret)
{
	struct span names[SIGV4_SIGNED_HEADERS_MAX];
	char scope[8 + 1 + SCOPE_PART_MAX + 1 + SCOPE_PART_MAX + 1 + sizeof(TERMINATOR)];
	char computed[SIGV4_SIGNATURE_LEN + 1];
	char *canonical = NULL, *sts = NULL;
	const char *auth_value = NULL, *why = NULL, *secret;
	size_t n_names = 0;
	bool has_query_sig = false;
	enum sigv4_status st;
	time_t when;
	int r;

	size_t n_auth = count_headers(req, "authorization", &auth_value);
	for (size_t i = 0; i < q->n && !has_query_sig; i++)
		has_query_sig = decoded_is(q->v[i].name, "X-Amz-Signature");
	if (!n_auth && !has_query_sig)
		return fail(ret, SIGV4_MISSING, "Request is missing Authentication Token");
	if (n_auth && has_query_sig)
		return fail(ret, SIGV4_INCOMPLETE,
			    "Only one auth mechanism allowed; only the X-Amz-Algorithm query "
			    "parameter, Signature query string parameter or the Authorization "
			    "header should be specified.");
	if (n_auth > 1)
		return fail(ret, SIGV4_INCOMPLETE,
			    "The Authorization header must appear only once.");
	if (n_auth) {
		if ((st = parse_authorization(auth_value, a, ret)) != SIGV4_OK ||
		    (st = header_date(req, a, ret)) != SIGV4_OK)
			return st;
	} else if ((st = parse_presigned(q, a, ret)) != SIGV4_OK) {
		return st;
	}

	if (split_signed(a->signed_headers, names, &n_names, &why) < 0)
		return fail(ret, SIGV4_INCOMPLETE, "%s", why);
	if (!signed_has(names, n_names, "host"))
		return fail(ret, SIGV4_INCOMPLETE,
			    "'Host' must be a 'SignedHeader' in the AWS Authorization.");
	if (a->date_header && !signed_has(names, n_names, a->date_header))
		return fail(ret, SIGV4_INCOMPLETE,
			    "'%s' must be a 'SignedHeader' in the AWS Authorization.",
			    strcmp(a->date_header, "date") ? "X-Amz-Date" : "Date");
	if (!parse_amz_date(a->amz_date, &when))
		return fail(ret, SIGV4_INCOMPLETE, "%s", msg_date_format);

	if (strcmp(a->region, region) != 0) {
		if (is_echoable(a->region))
			return fail(ret, SIGV4_MISMATCH,
				    "Credential should be scoped to a valid region, not '%s'.",
				    a->region);
		return fail(ret, SIGV4_MISMATCH, "Credential should be scoped to a valid region.");
	}
	if (strcmp(a->service, service) != 0)
		return fail(ret, SIGV4_MISMATCH,
			    "Credential should be scoped to correct service: '%.*s'.",
			    SCOPE_PART_MAX, service);
	/* Both are 8 validated digits, safe to quote. */
	if (memcmp(a->date8, a->amz_date, 8) != 0)
		return fail(
			ret, SIGV4_MISMATCH,
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
			"date from HTTP: '%s' != '%.8s', from '%s'.",
			a->date8, a->amz_date, a->amz_date);

	/* AWS: 15 minutes either way; a presigned URL is good from its date until
	 * X-Amz-Expires later, but not before its date (with the same slack). */
	if (later_by_more_than(when, now, SIGV4_SKEW_MAX) ||
	    later_by_more_than(now, when, a->is_presigned ? a->expires : SIGV4_SKEW_MAX))
		return fail(ret, SIGV4_EXPIRED, "Request has expired.");

	r = build_canonical(req, q, a->signed_headers, &canonical);
	if (r == -ENOENT)
		return fail(ret, SIGV4_INCOMPLETE,
			    "A header named in SignedHeaders is missing from the request.");
	if (r == -E2BIG)
		return fail(ret, SIGV4_INCOMPLETE, "The request is too large to be signed.");
	if (r < 0)
		return fail(ret, SIGV4_INCOMPLETE,
			    "The request method or query string is malformed.");

	secret = lookup(cookie, a->access_key);
	if (!secret) {
		st = fail(ret, SIGV4_UNKNOWN_KEY,
			  "AWS was not able to validate the provided access credentials");
		goto out;
	}
	(void)snprintf(scope, sizeof(scope), "%s/%s/%s/" TERMINATOR, a->date8, a->region,
		       a->service);
	if (sigv4_string_to_sign(a->amz_date, scope, canonical, &sts) < 0 ||
	    sigv4_signature(secret, a->date8, a->region, a->service, sts, computed) < 0 ||
	    CRYPTO_memcmp(computed, a->signature, SIGV4_SIGNATURE_LEN) != 0) {
		st = fail(ret, SIGV4_MISMATCH, "%s", msg_mismatch);
		goto out;
	}
	st = SIGV4_OK;
out:
	OPENSSL_cleanse(computed, sizeof(computed));
	free(canonical);
	free(sts);
	return st;
}

enum sigv4_status sigv4_verify(const struct sigv4_request *req, const char *region,
			       const char *service, sigv4_secret_fn lookup, void *cookie,
			       time_t now, struct sigv4_result *ret)
{
	struct query q = { NULL, 0 };
	struct auth a;
	enum sigv4_status st;

	memset(ret, 0, sizeof(*ret));
	memset(&a, 0, sizeof(a));
	if (!req || !region || !service || !lookup)
		return fail(ret, SIGV4_INCOMPLETE, "The request could not be authenticated.");
	if (check_shape(req) < 0)
		return fail(ret, SIGV4_INCOMPLETE, "The request is malformed.");
	if (query_parse(req->query ? req->query : "", &q) < 0)
		return fail(ret, SIGV4_INCOMPLETE, "The query string is too large to be signed.");
	st = verify(req, &q, region, service, lookup, cookie, now, &a, ret);
	if (st == SIGV4_OK)
		memcpy(ret->access_key, a.access_key, sizeof(ret->access_key));
	free(a.signed_headers);
	free(q.v);
	return st;
}
