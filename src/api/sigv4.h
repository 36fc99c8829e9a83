// SPDX-License-Identifier: MIT
/* AWS Signature Version 4 verification for the EC2 Query API (API-27..29,
 * security checklist 20).  The first thing dispatch.c does with a request;
 * pure apart from libcrypto: no I/O, no clock, no logging, no globals.
 *
 * Design note.  A request is verified exactly as it arrived: the raw path,
 * the raw (still percent-encoded) query and the header values as received.
 * The verifier rebuilds the canonical request from those bytes, so it never
 * trusts a decoder run before it.  Every size a client controls is bounded
 * before anything is allocated (limits below); anything past a limit, any
 * malformed part and any garbage is SIGV4_INCOMPLETE, never a crash.
 * Replays inside the 15-minute window are accepted, as AWS does; idempotency
 * comes from ClientToken.  Session tokens (X-Amz-Security-Token) are not
 * checked: they are signed like any other header or parameter, and the key
 * lookup alone decides who the caller is.
 */
#ifndef API_SIGV4_H
#define API_SIGV4_H
#include <stddef.h>
#include <time.h>

#define SIGV4_SIGNED_HEADERS_MAX 64	       /* names in SignedHeaders */
#define SIGV4_HEADER_NAME_MAX	 128	       /* bytes in one signed header name */
#define SIGV4_HEADER_VALUE_MAX	 8192	       /* bytes in one header value */
#define SIGV4_HEADERS_MAX	 256	       /* headers in a request */
#define SIGV4_PATH_MAX		 8192	       /* bytes in the raw path */
#define SIGV4_QUERY_MAX		 (1024 * 1024) /* bytes in the raw query */
#define SIGV4_QUERY_PARAMS_MAX	 4096	       /* '&'-separated query parameters */
#define SIGV4_ACCESS_KEY_MAX	 128	       /* bytes in an access key id */
#define SIGV4_SKEW_MAX		 900	       /* seconds either way (AWS: 15 minutes) */
#define SIGV4_EXPIRES_MAX	 604800	       /* X-Amz-Expires ceiling (7 days) */
#define SIGV4_AMZ_DATE_LEN	 16	       /* "yyyymmddThhmmssZ" */
#define SIGV4_SIGNATURE_LEN	 64	       /* lower-case hex HMAC-SHA256 */

struct sigv4_header {
	const char *name;  /* as received; any case */
	const char *value; /* as received; NULL is taken as "" */
};

struct sigv4_request {
	const char *method; /* "GET" / "POST" */
	const char *path;   /* raw path as received, e.g. "/" (not decoded) */
	const char *query;  /* raw query string without '?', "" if none (not decoded) */
	const struct sigv4_header *headers;
	size_t n_headers;
	const void *body;
	size_t body_size;
};

/* Each status maps to one EC2 error (API-29). */
enum sigv4_status {
	SIGV4_OK = 0,
	/* no Authorization header and no X-Amz-Signature: MissingAuthenticationToken (403) */
	SIGV4_MISSING,
	/* malformed or missing parts, a limit exceeded: IncompleteSignature (400) */
	SIGV4_INCOMPLETE,
	/* access key not known: AuthFailure (401) */
	SIGV4_UNKNOWN_KEY,
	/* bad signature; wrong region, service or date in the scope: SignatureDoesNotMatch (403) */
	SIGV4_MISMATCH,
	/* over 15 min skew either way, or presigned past X-Amz-Expires: RequestExpired (400) */
	SIGV4_EXPIRED,
};

/* Looks up the secret for an access key; returns NULL if unknown.  The
 * returned string is borrowed for the duration of the sigv4_verify() call. */
typedef const char *(*sigv4_secret_fn)(void *cookie, const char *access_key);

struct sigv4_result {
	char access_key[SIGV4_ACCESS_KEY_MAX + 1]; /* set on SIGV4_OK, "" otherwise */
	char message[256]; /* AWS-like wording for the error body; set on failure, "" on success */
};

/* Verifies req against the endpoint's region and service (e.g. "us-east-1",
 * "ec2") at server time now.  Accepts the Authorization header form and the
 * presigned query form (API-27), rebuilds the canonical request (API-28) and
 * compares signatures in constant time.  Returns the status (API-29) and
 * always fills *ret: message on failure, access_key on success.  Calls
 * lookup at most once, and only once the request is well formed, in scope
 * and within its time window.  ret must not be NULL. */
enum sigv4_status sigv4_verify(const struct sigv4_request *req, const char *region,
			       const char *service, sigv4_secret_fn lookup, void *cookie,
			       time_t now, struct sigv4_result *ret);

/* The pure pieces, exposed for the test vectors. */

/* Builds the canonical request of req:
 *   method \n canonical URI \n canonical query \n canonical headers \n
 *   signed_headers \n hex SHA-256 of the body
 * The URI is the raw path with every byte but unreserved ones and '/'
 * percent-encoded ("" becomes "/").  The query is split on '&', each name and
 * value percent-decoded then RFC 3986-encoded ('+' is a literal '+'), sorted
 * by name then value, X-Amz-Signature left out; empty segments are dropped.
 * signed_headers is the lower-case, sorted, ';'-separated list from the
 * request ("host;x-amz-date"); each named header's values are trimmed,
 * inner runs of blanks collapsed, and repeats joined with ','.
 * Returns 0 and a NUL-terminated text in *ret_text (free with free()),
 * -EINVAL for a malformed method, list or percent-escape, -ENOENT when a
 * signed header is absent from req, -E2BIG past a limit. */
int sigv4_canonical_request(const struct sigv4_request *req, const char *signed_headers,
			    char **ret_text);

/* Builds the string to sign:
 *   "AWS4-HMAC-SHA256" \n amz_date \n scope \n hex SHA-256 of canonical
 * where scope is "yyyymmdd/region/service/aws4_request".  Returns 0 and a
 * text in *ret_text (free with free()), -EINVAL on a NULL argument. */
int sigv4_string_to_sign(const char *amz_date, const char *scope, const char *canonical,
			 char **ret_text);

/* Computes the signature: the signing key is the HMAC-SHA256 chain from
 * "AWS4" + secret over date8 ("yyyymmdd"), region, service, "aws4_request";
 * the signature is its HMAC over string_to_sign, as 64 lower-case hex digits
 * plus NUL in ret_hex.  Returns 0, -EINVAL on a NULL argument, -EIO when
 * libcrypto fails.  Intermediate keys are wiped. */
int sigv4_signature(const char *secret, const char *date8, const char *region, const char *service,
		    const char *string_to_sign, char ret_hex[SIGV4_SIGNATURE_LEN + 1]);

#endif
