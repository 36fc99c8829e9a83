// SPDX-License-Identifier: MIT
/* CreateTags, DeleteTags and DescribeTags (spec API-23..26). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api/actions.h"
#include "api/call.h"
#include "api/describe.h"
#include "store/store.h"
#include "util/arena.h"

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

/* The resource type DescribeTags reports, from the ID's prefix. */
static const char *resource_type(const char *id)
{
	static const struct {
		const char *prefix, *type;
	} types[] = {
		{ "vpc-", "vpc" },         { "subnet-", "subnet" },
		{ "rtb-", "route-table" }, { "igw-", "internet-gateway" },
		{ "sgr-", "security-group-rule" }, { "sg-", "security-group" },
		{ "acl-", "network-acl" },
		{ "eni-", "network-interface" }, { "i-", "instance" },
		{ "nat-", "natgateway" },  { "eipalloc-", "elastic-ip" },
		{ "pcx-", "vpc-peering-connection" }, { "key-", "key-pair" },
		{ "dopt-", "dhcp-options" }, { "ami-", "image" },
		{ "nip-", "network-insights-path" }, { "nia-", "network-insights-analysis" },
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strncmp(id, types[i].prefix, strlen(types[i].prefix)) == 0)
			return types[i].type;
	return "";
}

static int get_resources(struct api_call *c, const char ***ids, size_t *n)
{
	int r = api_get_str_list(c, "ResourceId", ids, n);
	if (r < 0)
		return r;
	if (!*n)
		return api_fail(c, ERR_MISSING_PARAMETER, "ResourceId");
	for (size_t i = 0; i < *n; i++)
		if (!store_resource_exists(c->st, (*ids)[i]))
			return api_fail(c, ERR_INVALID_ID, (*ids)[i]); /* API-25 */
	return 0;
}

static int create_tags(struct api_call *c)
{
	const char **ids;
	size_t n, have;
	struct tag_list tags = { 0 };
	int r;

	if ((r = get_resources(c, &ids, &n)) < 0 || (r = api_get_tags(c, "", &tags)) < 0)
		return r;
	if (!tags.n)
		return api_fail(c, ERR_MISSING_PARAMETER, "Tag");
	for (size_t i = 0; i < n; i++) {
		if (store_tags_count(c->st, ids[i], &have) < 0)
			return internal(c);
		/* Overwritten keys do not count twice. */
		struct res_head h = { 0 };
		snprintf(h.id, sizeof(h.id), "%s", ids[i]);
		if (store_tags_load(c->st, c->arena, &h) < 0)
			return internal(c);
		size_t added = 0;
		for (size_t t = 0; t < tags.n; t++) {
			bool exists = false;
			for (size_t k = 0; k < h.tags.n && !exists; k++)
				exists = !strcmp(h.tags.v[k].key, tags.v[t].key);
			added += !exists;
		}
		if (have + added > TAGS_PER_RESOURCE_MAX)
			return api_fail(c, ERR_TAG_LIMIT);
	}
	if ((r = api_dry_run(c)) < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (store_tags_set(c->st, ids[i], &tags) < 0)
			return internal(c);
	api_write_return(c);
	return 0;
}

static int delete_tags(struct api_call *c)
{
	const char **ids;
	size_t n, n_tags;
	int r;

	if ((r = get_resources(c, &ids, &n)) < 0)
		return r;
	n_tags = params_list_len(c->p, "Tag");
	const char **keys = arena_alloc_array(c->arena, n_tags + 1, sizeof(*keys));
	const char **values = arena_alloc_array(c->arena, n_tags + 1, sizeof(*values));
	for (size_t t = 0; t < n_tags; t++) {
		keys[t] = params_get(c->p, arena_printf(c->arena, "Tag.%zu.Key", t + 1));
		/* An absent value deletes the key whatever its value; an empty
		 * one deletes it only when the value is empty. */
		values[t] = params_get(c->p, arena_printf(c->arena, "Tag.%zu.Value", t + 1));
		if (!keys[t] || !*keys[t])
			return api_fail(c, ERR_INVALID_TAG_KEY, "Tag keys must not be empty.");
		if (!strncmp(keys[t], "aws:", 4))
			return api_fail(c, ERR_INVALID_TAG_KEY,
					"Tag keys starting with 'aws:' are reserved for internal use");
	}
	if ((r = api_dry_run(c)) < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (!n_tags) {
			if (store_tags_delete_all(c->st, ids[i]) < 0)
				return internal(c);
			continue;
		}
		for (size_t t = 0; t < n_tags; t++)
			if (store_tags_delete(c->st, ids[i], keys[t], values[t]) < 0)
				return internal(c);
	}
	api_write_return(c);
	return 0;
}

/* DescribeTags lists tag rows, each a pseudo-resource for the describe
 * machinery: its head carries the row's resource ID and its one tag. */
struct tag_item {
	struct res_head head;
	const char *resource_id, *key, *value, *type;
};

static const char *const tag_filters[] = { "key", "resource-id", "resource-type", "value", NULL };

static void tag_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct tag_item *t = item;
	if (!strcmp(name, "key"))
		strv_add(c, out, t->key);
	else if (!strcmp(name, "resource-id"))
		strv_add(c, out, t->resource_id);
	else if (!strcmp(name, "resource-type"))
		strv_add(c, out, t->type);
	else if (!strcmp(name, "value"))
		strv_add(c, out, t->value);
}

static void tag_item_write(struct api_call *c, const void *item)
{
	const struct tag_item *t = item;
	xml_str(c->x, "resourceId", t->resource_id);
	xml_str(c->x, "resourceType", t->type);
	xml_str(c->x, "key", t->key);
	xml_str(c->x, "value", t->value);
}

static int describe_tags(struct api_call *c)
{
	static const struct describe_spec spec = {
		.filters = tag_filters,
		.max_results_min = 5,
		.max_results_max = 1000,
		.set_name = "tagSet",
		.item_size = sizeof(struct tag_item),
		.values = tag_values,
		.write = tag_item_write,
	};
	struct tag_row *rows;
	size_t n;
	if (store_tags_all(c->st, c->arena, &rows, &n) < 0)
		return internal(c);
	struct tag_item *items = arena_alloc_array(c->arena, n + 1, sizeof(*items));
	for (size_t i = 0; i < n; i++) {
		items[i].head.seq = (int64_t)i;
		items[i].head.tags.v = arena_alloc(c->arena, sizeof(struct tag));
		items[i].head.tags.v[0].key = rows[i].key;
		items[i].head.tags.v[0].value = rows[i].value;
		items[i].head.tags.n = 1;
		items[i].resource_id = rows[i].resource_id;
		items[i].key = rows[i].key;
		items[i].value = rows[i].value;
		items[i].type = resource_type(rows[i].resource_id);
	}
	return api_describe(c, &spec, items, n);
}

const struct api_action api_tag_actions[] = {
	{ "CreateTags", create_tags, API_PARAMS("ResourceId", "Tag") },
	{ "DeleteTags", delete_tags, API_PARAMS("ResourceId", "Tag") },
	{ "DescribeTags", describe_tags, API_PARAMS("Filter", "MaxResults", "NextToken") },
	{ NULL, NULL, NULL },
};
