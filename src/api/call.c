// SPDX-License-Identifier: MIT
/* Typed access to a call's parameters and the error record; see call.h. */
#include "api/call.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"

int api_fail_(struct api_call *c, enum api_err e, const char *const *args)
{
	const char *t = api_err_template(e);
	struct buf b;

	if (c->err != ERR_NONE)
		return -EINVAL; /* the first error wins */
	buf_init(&b, 4096);
	while (*t) {
		if (t[0] == '%' && t[1] == 's') {
			(void)buf_puts(&b, *args ? *args : ""); /* overflow only truncates a message */
			if (*args)
				args++;
			t += 2;
		} else {
			(void)buf_putc(&b, *t++);
		}
	}
	c->err = e;
	c->err_msg = arena_strdup(c->arena, buf_str(&b));
	buf_done(&b);
	return -EINVAL;
}

int api_dry_run(struct api_call *c)
{
	return c->dry_run ? api_fail(c, ERR_DRY_RUN) : 0;
}

int api_get_str(struct api_call *c, const char *name, bool required, const char **ret)
{
	const char *v = params_get(c->p, name);
	if (!v) {
		if (required)
			return api_fail(c, ERR_MISSING_PARAMETER, name);
		return 0;
	}
	*ret = v;
	return 0;
}

int api_get_bool(struct api_call *c, const char *name, bool *ret)
{
	const char *v = params_get(c->p, name);
	if (!v)
		return 0;
	/* botocore sends lower case; AWS also accepts any case. */
	if (strcasecmp(v, "true") == 0)
		*ret = true;
	else if (strcasecmp(v, "false") == 0)
		*ret = false;
	else
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid value '%s' for %s", v, name));
	return 0;
}

int api_get_int(struct api_call *c, const char *name, long min, long max, long *ret)
{
	const char *v = params_get(c->p, name);
	char *end;
	if (!v)
		return 0;
	errno = 0;
	long n = strtol(v, &end, 10);
	/* strtol skips leading white space: " 5" (a form's "+5") is not 5. */
	if (!*v || *end || errno || (v[0] == '0' && v[1]) || v[0] == '+' || isspace((unsigned char)v[0]))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid value '%s' for %s", v, name));
	if (n < min || n > max)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "Value ( %s ) for parameter %s is invalid. Expecting a "
					     "value between %ld and %ld",
					     v, name, min, max));
	*ret = n;
	return 0;
}

int api_get_cidr(struct api_call *c, const char *name, bool required, struct cidr *ret)
{
	const char *v = params_get(c->p, name);
	if (!v) {
		if (required)
			return api_fail(c, ERR_MISSING_PARAMETER, name);
		return 0;
	}
	if (cidr_parse(v, ret) < 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "Value (%s) for parameter %s is invalid. This is not a "
					     "valid CIDR block.",
					     v, name));
	return 0;
}

int api_get_ip(struct api_call *c, const char *name, bool required, uint32_t *ret)
{
	const char *v = params_get(c->p, name);
	if (!v) {
		if (required)
			return api_fail(c, ERR_MISSING_PARAMETER, name);
		return 0;
	}
	if (ip4_parse(v, ret) < 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid value '%s' for %s", v, name));
	return 0;
}

int api_get_id(struct api_call *c, const char *name, const char *prefix, enum api_err malformed,
	       bool required, const char **ret)
{
	const char *v = params_get(c->p, name);
	if (!v) {
		if (required)
			return api_fail(c, ERR_MISSING_PARAMETER, name);
		return 0;
	}
	if (!id_has_prefix(v, prefix) || strlen(v) >= ID_MAX)
		return api_fail(c, malformed, v);
	*ret = v;
	return 0;
}

int api_get_str_list(struct api_call *c, const char *name, const char ***ret, size_t *ret_n)
{
	size_t n = params_list_len(c->p, name);
	const char **v = arena_alloc_array(c->arena, n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		char *key = arena_printf(c->arena, "%s.%zu", name, i + 1);
		v[i] = params_get(c->p, key);
		if (!v[i])
			return api_fail(c, ERR_MISSING_PARAMETER, key);
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int api_get_id_list(struct api_call *c, const char *name, const char *prefix,
		    enum api_err malformed, const char ***ret, size_t *ret_n)
{
	const char **v;
	size_t n;
	int r = api_get_str_list(c, name, &v, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (!id_has_prefix(v[i], prefix) || strlen(v[i]) >= ID_MAX)
			return api_fail(c, malformed, v[i]);
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* Unicode characters in a UTF-8 string (the decoder already checked it). */
static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int api_check_tag(struct api_call *c, const char *key, const char *value)
{
	if (!key || !*key)
		return api_fail(c, ERR_INVALID_TAG_KEY, "Tag keys must not be empty.");
	if (strncmp(key, "aws:", 4) == 0)
		return api_fail(c, ERR_INVALID_TAG_KEY,
				"Tag keys starting with 'aws:' are reserved for internal use");
	if (utf8_len(key) > TAG_KEY_MAX)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"Tag key exceeds the maximum length of 128 characters");
	if (value && utf8_len(value) > TAG_VALUE_MAX)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"Tag value exceeds the maximum length of 256 characters");
	return 0;
}


int api_get_tags(struct api_call *c, const char *prefix, struct tag_list *out)
{
	char *lname = arena_printf(c->arena, "%sTag", prefix);
	size_t n = params_list_len(c->p, lname);
	if (out->n + n > TAGS_PER_RESOURCE_MAX)
		return api_fail(c, ERR_TAG_LIMIT);
	out->v = arena_grow_array(c->arena, out->v, out->n, out->n + n, sizeof(*out->v));
	for (size_t i = 1; i <= n; i++) {
		const char *k = params_get(c->p, arena_printf(c->arena, "%s.%zu.Key", lname, i));
		const char *v = params_get(c->p, arena_printf(c->arena, "%s.%zu.Value", lname, i));
		if (api_check_tag(c, k, v) < 0)
			return -EINVAL;
		/* A later duplicate key overwrites the earlier one, as CreateTags does. */
		size_t j;
		for (j = 0; j < out->n; j++)
			if (strcmp(out->v[j].key, k) == 0)
				break;
		out->v[j].key = k;
		out->v[j].value = v ? v : "";
		if (j == out->n)
			out->n++;
	}
	return 0;
}

int api_get_tag_specs(struct api_call *c, const char *resource_type, struct tag_list *ret)
{
	size_t n = params_list_len(c->p, "TagSpecification");
	struct tag_list tags = { 0 };
	for (size_t i = 1; i <= n; i++) {
		const char *type =
			params_get(c->p, arena_printf(c->arena, "TagSpecification.%zu.ResourceType", i));
		if (!type)
			return api_fail(c, ERR_MISSING_PARAMETER,
					arena_printf(c->arena, "TagSpecification.%zu.ResourceType", i));
		if (strcmp(type, resource_type) != 0)
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena,
						     "'%s' is not a valid taggable resource type for "
						     "this operation.",
						     type));
		int r = api_get_tags(c, arena_printf(c->arena, "TagSpecification.%zu.", i), &tags);
		if (r < 0)
			return r;
	}
	*ret = tags;
	return 0;
}

void api_write_tags(struct api_call *c, const struct tag_list *tags)
{
	if (!tags->n) {
		xml_empty(c->x, "tagSet");
		return;
	}
	xml_open(c->x, "tagSet");
	for (size_t i = 0; i < tags->n; i++) {
		xml_open(c->x, "item");
		xml_str(c->x, "key", tags->v[i].key);
		xml_str(c->x, "value", tags->v[i].value);
		xml_close(c->x);
	}
	xml_close(c->x);
}

void api_write_return(struct api_call *c)
{
	xml_bool(c->x, "return", true);
}

int api_get_client_token(struct api_call *c, const char **ret)
{
	const char *tok = NULL;
	int r = api_get_str(c, "ClientToken", false, &tok);
	if (r < 0 || !tok)
		return r;
	size_t len = strlen(tok);
	bool ascii = true;
	for (size_t i = 0; i < len; i++)
		ascii &= (unsigned char)tok[i] >= 0x20 && (unsigned char)tok[i] < 0x7f;
	if (!len || len > API_CLIENT_TOKEN_MAX || !ascii)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"Value for parameter ClientToken is invalid: up to 64 ASCII "
				"characters are allowed");
	*ret = tok;
	return 0;
}
