// SPDX-License-Identifier: MIT
/* EC2 Instance Connect's SendSSHPublicKey over the JSON 1.1 protocol; see
 * instance_connect.h.  From the raw request to the answer: Host, method and
 * Content-Type, SigV4 for service ec2-instance-connect, X-Amz-Target, the
 * JSON body (json-c, bounded), AWS's checks, then one store transaction
 * that prunes expired keys and records the new one.  Never touches the
 * kernel: the metadata service learns of the key through the reconciler. */
#include "api/instance_connect.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/sigv4.h"
#include "model/instance.h"
#include "model/pushed_key.h"
#include "priv/priv.h"
#include "store/instance.h"
#include "store/pushed_key.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/id.h"
#include "util/log.h"

#define TARGET_PREFIX "AWSEC2InstanceConnectService."
#define JSON_DEPTH_MAX 8 /* the request is one flat object */
#define CONTENT_TYPE "application/x-amz-json-1.1"

/* The JSON protocol's errors: __type and HTTP status (AWS's API reference
 * for SendSSHPublicKey, and the front end's common errors). */
enum ic_err {
	IC_SERIALIZATION,
	IC_UNKNOWN_OPERATION,
	IC_MISSING_AUTH,
	IC_INCOMPLETE_SIGNATURE,
	IC_INVALID_SIGNATURE,
	IC_SIGNATURE_EXPIRED,
	IC_AUTH,
	IC_INVALID_ARGS,
	IC_INSTANCE_NOT_FOUND,
	IC_INSTANCE_STATE,
	IC_THROTTLING,
	IC_SERVICE,
	IC_ERR_COUNT
};

static const struct {
	const char *type;
	int status;
} errs[IC_ERR_COUNT] = {
	[IC_SERIALIZATION] = { "SerializationException", 400 },
	[IC_UNKNOWN_OPERATION] = { "UnknownOperationException", 400 },
	[IC_MISSING_AUTH] = { "MissingAuthenticationTokenException", 403 },
	[IC_INCOMPLETE_SIGNATURE] = { "IncompleteSignatureException", 400 },
	[IC_INVALID_SIGNATURE] = { "InvalidSignatureException", 403 },
	[IC_SIGNATURE_EXPIRED] = { "InvalidSignatureException", 400 },
	[IC_AUTH] = { "AuthException", 403 },
	[IC_INVALID_ARGS] = { "InvalidArgsException", 400 },
	[IC_INSTANCE_NOT_FOUND] = { "EC2InstanceNotFoundException", 400 },
	[IC_INSTANCE_STATE] = { "EC2InstanceStateInvalidException", 400 },
	[IC_THROTTLING] = { "ThrottlingException", 400 },
	[IC_SERVICE] = { "ServiceException", 500 },
};

struct ic_call {
	struct api_ctx *ctx;
	const struct api_http_req *req;
	struct arena *a;
	time_t now;
	char request_id[37];
	enum ic_err err;
	char msg[256];
};

static int fail(struct ic_call *c, enum ic_err e, const char *msg)
{
	c->err = e;
	snprintf(c->msg, sizeof(c->msg), "%s", msg);
	return -EINVAL;
}

static const char *header(const struct api_http_req *req, const char *name)
{
	for (size_t i = 0; i < req->n_headers; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

bool api_instance_connect_wants(const struct api_http_req *req)
{
	return header(req, "X-Amz-Target") != NULL;
}

static const char *secret_lookup(void *cookie, const char *access_key)
{
	const struct api_ctx *ctx = cookie;
	for (size_t i = 0; i < ctx->n_creds; i++)
		if (strcmp(ctx->creds[i].access_key, access_key) == 0)
			return ctx->creds[i].secret;
	return NULL;
}

static int authenticate(struct ic_call *c)
{
	const struct api_http_req *req = c->req;
	struct sigv4_request sr = {
		.method = req->method,
		.path = req->path,
		.query = req->query,
		.headers = req->headers,
		.n_headers = req->n_headers,
		.body = req->body,
		.body_size = req->body_size,
	};
	struct sigv4_result res;
	memset(&res, 0, sizeof(res));
	switch (sigv4_verify(&sr, c->ctx->cfg.region, "ec2-instance-connect", secret_lookup, c->ctx,
			     c->now, &res)) {
	case SIGV4_OK:
		return 0;
	case SIGV4_MISSING:
		return fail(c, IC_MISSING_AUTH, "Missing Authentication Token");
	case SIGV4_INCOMPLETE:
		return fail(c, IC_INCOMPLETE_SIGNATURE, res.message);
	case SIGV4_UNKNOWN_KEY:
		return fail(c, IC_AUTH,
			    "Either your AWS credentials are not valid or you do not have access"
			    " to the EC2 instance.");
	case SIGV4_MISMATCH:
		return fail(c, IC_INVALID_SIGNATURE, res.message);
	case SIGV4_EXPIRED:
		return fail(c, IC_SIGNATURE_EXPIRED, "Signature expired.");
	}
	return fail(c, IC_SERVICE, "An internal error has occurred");
}

/* application/x-amz-json-1.1 (1.0 too, as AWS's JSON front end takes
 * both), optionally with parameters ("; charset=utf-8"). */
static bool content_type_ok(const char *ct)
{
	static const char *const ok[] = { "application/x-amz-json-1.1",
					  "application/x-amz-json-1.0" };
	if (!ct)
		return false;
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(ok[i]);
		if (!strncasecmp(ct, ok[i], n) && (ct[n] == '\0' || ct[n] == ';'))
			return true;
	}
	return false;
}

/* The whole body as one JSON object; "" is taken as {}. */
static int parse_body(struct ic_call *c, struct json_object **ret)
{
	const char *body = c->req->body;
	size_t size = c->req->body_size, i = 0;
	while (i < size && strchr(" \t\r\n", body[i]))
		i++;
	if (i == size) {
		*ret = json_object_new_object();
		return 0;
	}
	struct json_tokener *tok = json_tokener_new_ex(JSON_DEPTH_MAX);
	if (!tok)
		return fail(c, IC_SERVICE, "An internal error has occurred");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	struct json_object *o = json_tokener_parse_ex(tok, body, (int)size);
	enum json_tokener_error je = json_tokener_get_error(tok);
	size_t used = o ? json_tokener_get_parse_end(tok) : 0;
	json_tokener_free(tok);
	while (o && used < size && strchr(" \t\r\n", body[used]))
		used++;
	if (!o || je != json_tokener_success || used != size ||
	    !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return fail(c, IC_SERIALIZATION, "The request body is not a valid JSON object");
	}
	*ret = o;
	return 0;
}

/* A member that must be a string when present; NULL when absent. */
static int member(struct ic_call *c, struct json_object *o, const char *name, const char **ret)
{
	struct json_object *v;
	*ret = NULL;
	if (!json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_string)) {
		char m[128];
		snprintf(m, sizeof(m), "Expected a string for %s", name);
		return fail(c, IC_SERIALIZATION, m);
	}
	*ret = json_object_get_string(v);
	/* A NUL inside the value would cut it short: refused, not truncated. */
	if (strlen(*ret) != (size_t)json_object_get_string_len(v)) {
		char m[128];
		snprintf(m, sizeof(m), "Invalid character in %s", name);
		return fail(c, IC_SERIALIZATION, m);
	}
	return 0;
}

static int missing(struct ic_call *c, const char *wire)
{
	char m[160];
	snprintf(m, sizeof(m),
		 "1 validation error detected: Value null at '%s' failed to satisfy constraint:"
		 " Member must not be null",
		 wire);
	return fail(c, IC_INVALID_ARGS, m);
}

/* AWS's InstanceId shape: 10..32 characters, ^i-[a-f0-9]+$. */
static bool instance_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n < 10 || n > 32 || strncmp(id, "i-", 2))
		return false;
	for (size_t i = 2; i < n; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return false;
	return true;
}

static int send_ssh_public_key(struct ic_call *c, struct json_object *o)
{
	const char *id, *user, *key, *az;
	size_t ks, kn;
	struct instance *in = NULL;
	size_t active = 0;
	int r;

	if ((r = member(c, o, "InstanceId", &id)) < 0 ||
	    (r = member(c, o, "InstanceOSUser", &user)) < 0 ||
	    (r = member(c, o, "SSHPublicKey", &key)) < 0 ||
	    (r = member(c, o, "AvailabilityZone", &az)) < 0)
		return r;
	if (!id)
		return missing(c, "instanceId");
	if (!user)
		return missing(c, "instanceOSUser");
	if (!key)
		return missing(c, "sSHPublicKey");
	if (!instance_id_valid(id))
		return fail(c, IC_INVALID_ARGS, "Invalid instance ID");
	if (!pushed_key_user_valid(user))
		return fail(c, IC_INVALID_ARGS, "Invalid OS user");
	if (pushed_key_check(key, &ks, &kn) < 0)
		return fail(c, IC_INVALID_ARGS,
			    "Invalid SSH public key: it must be one OpenSSH ssh-rsa, ssh-ed25519"
			    " or ecdsa-sha2-nistp256/384/521 public key line");
	if (az && !pushed_key_az_valid(az))
		return fail(c, IC_INVALID_ARGS, "Invalid availability zone");

	/* One transaction: prune, check, insert (checklist 24). */
	if (store_begin(c->ctx->st) < 0)
		return fail(c, IC_SERVICE, "An internal error has occurred");
	r = store_instance_get(c->ctx->st, c->a, id, &in);
	if (r == -ENOENT) {
		r = fail(c, IC_INSTANCE_NOT_FOUND, "Instance not found");
		goto rollback;
	}
	if (r < 0)
		goto internal;
	/* AWS: the zone, when given, is the one the instance was launched in. */
	if (az && strcmp(az, in->az)) {
		r = fail(c, IC_INVALID_ARGS, "The instance is not in the given availability zone");
		goto rollback;
	}
	if (in->state != INSTANCE_RUNNING) {
		r = fail(c, IC_INSTANCE_STATE,
			 "Unable to connect because the instance is not in a valid state."
			 " Connecting to a stopped or terminated instance is not supported.");
		goto rollback;
	}
	if ((r = store_pushed_key_prune(c->ctx->st, (int64_t)c->now)) < 0 ||
	    (r = store_pushed_key_count_active(c->ctx->st, id, (int64_t)c->now, &active)) < 0)
		goto internal;
	/* Bounded state: a client pushing faster than keys expire is told to
	 * slow down, as AWS throttles. */
	if (active >= PUSHED_KEY_PER_INSTANCE_MAX) {
		r = fail(c, IC_THROTTLING,
			 "The requests were made too frequently and have been throttled."
			 " Wait a while and try again.");
		goto rollback;
	}
	struct pushed_key pk = {
		.os_user = user,
		.public_key = arena_strndup(c->a, key + ks, kn),
		.expires_at = (int64_t)c->now + (c->ctx->cfg.instance_connect_ttl_s > 0
							 ? c->ctx->cfg.instance_connect_ttl_s
							 : PUSHED_KEY_TTL_S),
	};
	snprintf(pk.instance_id, sizeof(pk.instance_id), "%s", id);
	snprintf(pk.request_id, sizeof(pk.request_id), "%s", c->request_id);
	if ((r = store_pushed_key_insert(c->ctx->st, &pk)) < 0 ||
	    (r = store_commit(c->ctx->st)) < 0)
		goto internal;

	/* The metadata service serves it once the reconciler has passed; a
	 * failure there is healed by the next periodic pass. */
	struct priv_request preq = { .op = PRIV_RECONCILE };
	struct priv_reply rep = { 0 };
	if (priv_call(c->ctx->cfg.priv, &preq, &rep) < 0)
		log_warn("api", rep.status, "action=SendSSHPublicKey op=reconcile");
	free(rep.data);
	return 0;
internal:
	r = fail(c, IC_SERVICE, "An internal error has occurred");
rollback:
	store_rollback(c->ctx->st);
	return r;
}

static int run(struct ic_call *c, struct api_response *resp)
{
	const struct api_http_req *req = c->req;
	struct json_object *body = NULL;
	int r;

	if (req->body_too_large)
		return fail(c, IC_SERIALIZATION, "The request body is too large");
	if (!api_host_allowed(c->ctx, header(req, "Host")))
		return fail(c, IC_UNKNOWN_OPERATION, "Unknown Host header");
	if (strcmp(req->method, "POST") || strcmp(req->path, "/"))
		return fail(c, IC_UNKNOWN_OPERATION, "Operations are POST /");
	if (!content_type_ok(header(req, "Content-Type")))
		return fail(c, IC_UNKNOWN_OPERATION, "The Content-Type must be " CONTENT_TYPE);
	if ((r = authenticate(c)) < 0)
		return r;
	const char *target = header(req, "X-Amz-Target");
	const char *op = !strncmp(target, TARGET_PREFIX, strlen(TARGET_PREFIX))
				 ? target + strlen(TARGET_PREFIX)
				 : NULL;
	if (!op || strcmp(op, "SendSSHPublicKey"))
		return fail(c, IC_UNKNOWN_OPERATION, "Unknown operation");
	snprintf(resp->action, sizeof(resp->action), "%s", op);
	if ((r = parse_body(c, &body)) < 0)
		return r;
	r = send_ssh_public_key(c, body);
	json_object_put(body);
	return r;
}

static void write_json(struct api_response *resp, struct json_object *o)
{
	buf_reset(&resp->body);
	int flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;
	(void)buf_puts(&resp->body, json_object_to_json_string_ext(o, flags));
	json_object_put(o);
}

void api_instance_connect_handle(struct api_ctx *ctx, const struct api_http_req *req,
				 struct api_response *resp, time_t now)
{
	struct ic_call c = { .ctx = ctx, .req = req, .a = arena_new(), .now = now };
	struct json_object *o = json_object_new_object();

	memset(resp, 0, sizeof(*resp));
	buf_init(&resp->body, 64 * 1024);
	resp->content_type = CONTENT_TYPE;
	uuid_new(c.request_id);
	snprintf(resp->amzn_request_id, sizeof(resp->amzn_request_id), "%s", c.request_id);
	if (run(&c, resp) < 0) {
		resp->status = errs[c.err].status;
		snprintf(resp->code, sizeof(resp->code), "%s", errs[c.err].type);
		json_object_object_add(o, "__type", json_object_new_string(errs[c.err].type));
		json_object_object_add(o, "Message", json_object_new_string(c.msg));
	} else {
		resp->status = 200;
		json_object_object_add(o, "RequestId", json_object_new_string(c.request_id));
		json_object_object_add(o, "Success", json_object_new_boolean(1));
	}
	write_json(resp, o);
	arena_free(c.a);
}
