// SPDX-License-Identifier: MIT
/* From an HTTP request to an EC2 response: SigV4 first, then the form
 * decoder, the action table, the parameter whitelist and one store
 * transaction around the handler.  Handlers never see raw bytes. */
#include "api/api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/actions.h"
#include "api/bootstrap.h"
#include "api/instance_connect.h"
#include "api/sigv4.h"
#include "priv/priv.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/log.h"

static const struct api_action *const families[] = {
	api_vpc_actions,   api_subnet_actions, api_route_table_actions,
	api_igw_actions,   api_tag_actions,    api_region_actions, api_default_vpc_actions,
	api_instance_actions, api_instance_state_actions, api_instance_attribute_actions, api_image_actions,
	api_key_pair_actions, api_security_group_actions, api_network_acl_actions,
	api_network_interface_actions, api_address_actions, api_nat_gateway_actions,
	api_peering_actions, api_flow_log_actions, api_network_insights_actions,
};

const struct api_action *api_action_find(const char *name)
{
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++)
		for (const struct api_action *a = families[f]; a->name; a++)
			if (strcmp(a->name, name) == 0)
				return a;
	return NULL;
}

static void write_error(struct api_response *resp, const struct api_call *c)
{
	buf_reset(&resp->body);
	resp->status = api_err_status(c->err);
	snprintf(resp->code, sizeof(resp->code), "%s", api_err_code(c->err));
	(void)buf_puts(&resp->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				    "<Response><Errors><Error><Code>");
	(void)xml_escape(&resp->body, api_err_code(c->err));
	(void)buf_puts(&resp->body, "</Code><Message>");
	(void)xml_escape(&resp->body, c->err_msg ? c->err_msg : "");
	(void)buf_puts(&resp->body, "</Message></Error></Errors><RequestID>");
	(void)buf_puts(&resp->body, c->request_id);
	(void)buf_puts(&resp->body, "</RequestID></Response>");
}

static const char *secret_lookup(void *cookie, const char *access_key)
{
	const struct api_ctx *ctx = cookie;
	for (size_t i = 0; i < ctx->n_creds; i++)
		if (strcmp(ctx->creds[i].access_key, access_key) == 0)
			return ctx->creds[i].secret;
	return NULL;
}

static const char *header(const struct api_http_req *req, const char *name)
{
	for (size_t i = 0; i < req->n_headers; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

/* Checklist 33: a browser tricked into sending to us (DNS rebinding) carries
 * a foreign Host; only our own names are accepted. */
static bool host_ok(const struct api_ctx *ctx, const char *host)
{
	char buf[96];
	if (!host)
		return false;
	if (strcmp(host, ctx->listen_host) == 0)
		return true;
	static const char *const local[] = { "127.0.0.1", "localhost", "[::1]" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(buf, sizeof(buf), "%s:%u", local[i], ctx->listen_port);
		if (strcmp(host, buf) == 0)
			return true;
	}
	return false;
}

bool api_host_allowed(const struct api_ctx *ctx, const char *host)
{
	return host_ok(ctx, host);
}

static int authenticate(struct api_ctx *ctx, const struct api_http_req *req, struct api_call *c,
			time_t now)
{
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
	switch (sigv4_verify(&sr, ctx->cfg.region, "ec2", secret_lookup, ctx, now, &res)) {
	case SIGV4_OK:
		return 0;
	case SIGV4_MISSING:
		return api_fail(c, ERR_MISSING_AUTH_TOKEN, "Request is missing Authentication Token");
	case SIGV4_INCOMPLETE:
		return api_fail(c, ERR_INCOMPLETE_SIGNATURE, res.message);
	case SIGV4_UNKNOWN_KEY:
		return api_fail(c, ERR_AUTH_FAILURE,
				"AWS was not able to validate the provided access credentials");
	case SIGV4_MISMATCH:
		return api_fail(c, ERR_SIGNATURE_MISMATCH, res.message);
	case SIGV4_EXPIRED:
		return api_fail(c, ERR_REQUEST_EXPIRED);
	}
	return api_fail(c, ERR_INTERNAL);
}

static bool is_read_only(const char *action)
{
	return !strncmp(action, "Describe", 8) || !strncmp(action, "Get", 3);
}

static bool is_form(const char *ct)
{
	return ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0;
}

static bool param_allowed(const struct api_action *a, const char *name)
{
	static const char *const common[] = { "Action", "Version", "DryRun" };
	for (size_t i = 0; i < 3; i++)
		if (strcmp(name, common[i]) == 0)
			return true;
	/* The presigned form carries its signature among the parameters. */
	if (strncmp(name, "X-Amz-", 6) == 0)
		return true;
	size_t top = strcspn(name, ".");
	for (const char *const *p = a->params; *p; p++)
		if (strlen(*p) == top && strncmp(*p, name, top) == 0)
			return true;
	return false;
}

static int decode(struct api_call *c, const struct api_http_req *req, struct params *p)
{
	char bad[64];
	enum params_error e;
	struct params q = { 0 };

	e = params_decode(c->arena, req->query, strlen(req->query), p, bad);
	if (e == PARAMS_OK && strcmp(req->method, "POST") == 0) {
		if (req->body_size && !is_form(header(req, "Content-Type")))
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					"Content-Type must be application/x-www-form-urlencoded");
		e = params_decode(c->arena, req->body, req->body_size, &q, bad);
		if (e == PARAMS_OK)
			e = params_merge(c->arena, p, &q, bad);
	}
	if (e == PARAMS_OK)
		e = params_check_lists(p, bad);
	switch (e) {
	case PARAMS_OK:
		return 0;
	case PARAMS_TOO_MANY:
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE, "Too many parameters");
	case PARAMS_TOO_LONG:
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Value of parameter %s is too long", bad));
	case PARAMS_DUPLICATE:
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Parameter %s is given more than once", bad));
	case PARAMS_BAD_INDEX:
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid list index in parameter %s", bad));
	case PARAMS_MALFORMED:
		break;
	}
	return api_fail(c, ERR_MALFORMED_QUERY, bad);
}

static int run(struct api_ctx *ctx, const struct api_http_req *req, struct api_call *c,
	       struct api_response *resp, time_t now)
{
	struct params p;
	const char *action, *version;
	const struct api_action *a;
	int r;

	if (req->body_too_large)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE, "The request body is too large");
	if (strcmp(req->method, "POST") && strcmp(req->method, "GET"))
		return api_fail(c, ERR_INVALID_ACTION, req->method);
	if (!host_ok(ctx, header(req, "Host")))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE, "Unknown Host header");
	if ((r = authenticate(ctx, req, c, now)) < 0)
		return r;
	if ((r = decode(c, req, &p)) < 0)
		return r;
	c->p = &p;
	action = params_get(&p, "Action");
	if (!action || !*action)
		return api_fail(c, ERR_MISSING_ACTION);
	snprintf(resp->action, sizeof(resp->action), "%s", action);
	a = api_action_find(action);
	if (!a)
		return api_fail(c, ERR_INVALID_ACTION, action);
	c->action = a->name;
	version = params_get(&p, "Version");
	if (!version)
		return api_fail(c, ERR_MISSING_PARAMETER, "Version");
	if (strcmp(version, "2016-11-15") != 0)
		return api_fail(c, ERR_INVALID_VERSION, version);
	for (size_t i = 0; i < p.n; i++)
		if (!param_allowed(a, p.v[i].name))
			return api_fail(c, ERR_UNKNOWN_PARAMETER, p.v[i].name);
	if ((r = api_get_bool(c, "DryRun", &c->dry_run)) < 0)
		return r;

	/* One transaction per call: all of it or none of it (checklist 24). */
	if (store_begin(ctx->st) < 0)
		return api_fail(c, ERR_INTERNAL);
	char *root = arena_printf(c->arena, "%sResponse", a->name);
	xml_open_root(c->x, root);
	xml_str(c->x, "requestId", c->request_id);
	r = a->fn(c);
	if (r == 0) {
		xml_close(c->x);
		if (xml_error(c->x) < 0) {
			store_rollback(ctx->st);
			return api_fail(c, ERR_INTERNAL);
		}
		if (store_commit(ctx->st) < 0) {
			store_rollback(ctx->st);
			return api_fail(c, ERR_INTERNAL);
		}
		/* Answer only once the kernel enforces the change (DESIGN: a
		 * test can probe right after the call returns).  A failure
		 * here is healed by the next reconcile pass; the call itself
		 * was committed and is answered as done. */
		if (!is_read_only(a->name) && !c->dry_run) {
			struct priv_request preq = { .op = PRIV_RECONCILE };
			struct priv_reply rep;
			if (priv_call(ctx->cfg.priv, &preq, &rep) < 0)
				log_warn("api", rep.status, "action=%s op=reconcile", a->name);
			free(rep.data);
		}
		return 0;
	}
	store_rollback(ctx->st);
	if (c->err == ERR_NONE)
		return api_fail(c, ERR_INTERNAL); /* a handler failed without saying why */
	return r;
}

void api_handle(struct api_ctx *ctx, const struct api_http_req *req, struct api_response *resp,
		time_t now)
{
	/* X-Amz-Target: the JSON protocol of EC2 Instance Connect. */
	if (api_instance_connect_wants(req)) {
		api_instance_connect_handle(ctx, req, resp, now);
		return;
	}
	struct arena *arena = arena_new();
	struct xml x;
	struct api_call c = { .arena = arena, .st = ctx->st, .cfg = &ctx->cfg, .x = &x, .now = now };

	memset(resp, 0, sizeof(*resp));
	buf_init(&resp->body, 64 * 1024 * 1024);
	xml_init(&x, &resp->body);
	uuid_new(c.request_id);
	if (run(ctx, req, &c, resp, now) < 0)
		write_error(resp, &c);
	else
		resp->status = 200;
	arena_free(arena);
}
