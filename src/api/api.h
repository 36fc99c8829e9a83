// SPDX-License-Identifier: MIT
/* The API's entry point: one HTTP request in, one EC2 response out.  The
 * HTTP server (server.c) only moves bytes; this decides everything about a
 * request: authentication, decoding, the action, its transaction. */
#ifndef API_API_H
#define API_API_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "api/call.h"
#include "util/buf.h"

struct store;
struct sigv4_header;

#define API_BODY_MAX (1024 * 1024) /* bytes; larger bodies are refused unread */
#define API_CREDENTIALS_MAX 16

struct api_credential {
	char access_key[129];
	char secret[129];
};

struct api_ctx {
	struct store *st;
	struct api_config cfg;
	struct api_credential creds[API_CREDENTIALS_MAX];
	size_t n_creds;
	char listen_host[64]; /* "127.0.0.1:4580": a Host header must name us (checklist 33) */
	unsigned listen_port;
};

struct api_http_req {
	const char *method;
	const char *path;  /* without the query */
	const char *query; /* raw, without '?'; "" when none */
	const struct sigv4_header *headers;
	size_t n_headers;
	const char *body;
	size_t body_size;
	bool body_too_large;
};

struct api_response {
	int status;
	struct buf body; /* initialised by api_handle; the caller frees with buf_done() */
	char action[64];
	char code[80];   /* error code, "" on success */
	const char *content_type;  /* static; NULL: the Query API's text/xml */
	char amzn_request_id[37];  /* JSON protocol: the x-amzn-RequestId header, or "" */
};

/* Handles one request completely (including the store transaction) and
 * fills resp.  Never fails: every problem becomes an EC2 error response. */
void api_handle(struct api_ctx *ctx, const struct api_http_req *req, struct api_response *resp,
		time_t now);

/* Checklist 33: does the Host header name this daemon?  (The JSON side,
 * api/instance_connect.c, checks it too.) */
bool api_host_allowed(const struct api_ctx *ctx, const char *host);

/* Reads credentials from path: lines "ACCESS_KEY_ID SECRET", '#' comments.
 * Returns 0, -ENOENT when absent, -EPERM when readable by others (it must be
 * 0600), -EINVAL when malformed. */
int api_load_credentials(struct api_ctx *ctx, const char *path);

#endif
