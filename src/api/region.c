// SPDX-License-Identifier: MIT
/* DescribeRegions, DescribeAvailabilityZones and DescribeAccountAttributes:
 * what a new account sees.  The daemon serves one region (its --region); the
 * others are listed, as AWS lists them, with their public endpoints. */
#include <errno.h>
#include <string.h>

#include "api/actions.h"
#include "api/bootstrap.h"
#include "api/call.h"
#include "api/describe.h"
#include "model/region.h"
#include "model/vpc.h"
#include "util/arena.h"

struct region_item {
	struct res_head head;
	const struct region *r;
};

static const char *const region_filters[] = { "endpoint", "region-name", "opt-in-status", NULL };

static void region_values(struct api_call *c, const void *item, const char *name,
			  struct strv *out)
{
	const struct region_item *it = item;
	if (!strcmp(name, "endpoint"))
		strv_add(c, out, arena_printf(c->arena, "ec2.%s.amazonaws.com", it->r->name));
	else if (!strcmp(name, "region-name"))
		strv_add(c, out, it->r->name);
	else if (!strcmp(name, "opt-in-status"))
		strv_add(c, out, "opt-in-not-required");
}

static void region_write(struct api_call *c, const void *item)
{
	const struct region_item *it = item;
	xml_str(c->x, "regionName", it->r->name);
	xml_str(c->x, "regionEndpoint", arena_printf(c->arena, "ec2.%s.amazonaws.com", it->r->name));
	xml_str(c->x, "optInStatus", "opt-in-not-required");
}

static int describe_regions(struct api_call *c)
{
	static const struct describe_spec spec = {
		.filters = region_filters,
		.set_name = "regionInfo",
		.item_size = sizeof(struct region_item),
		.values = region_values,
		.write = region_write,
	};
	const char **names;
	size_t n_names, n;
	bool all = false;
	int r;
	if ((r = api_get_str_list(c, "RegionName", &names, &n_names)) < 0 ||
	    (r = api_get_bool(c, "AllRegions", &all)) < 0)
		return r;
	const struct region *rg = region_all(&n);
	for (size_t i = 0; i < n_names; i++)
		if (!region_find(names[i]))
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "Invalid region: %s", names[i]));
	struct region_item *items = arena_alloc_array(c->arena, n, sizeof(*items));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool wanted = !n_names;
		for (size_t j = 0; j < n_names; j++)
			wanted |= !strcmp(names[j], rg[i].name);
		if (!wanted)
			continue;
		items[k].head.seq = (int64_t)k;
		items[k].r = &rg[i];
		k++;
	}
	return api_describe(c, &spec, items, k);
}

struct az_item {
	struct res_head head;
	char name[AZ_NAME_MAX], id[AZ_NAME_MAX];
	const char *region;
};

static const char *const az_filters[] = {
	"group-name", "message", "opt-in-status", "region-name", "state", "zone-id", "zone-name",
	"zone-type", NULL,
};

static void az_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct az_item *z = item;
	if (!strcmp(name, "group-name"))
		strv_add(c, out, z->region);
	else if (!strcmp(name, "opt-in-status"))
		strv_add(c, out, "opt-in-not-required");
	else if (!strcmp(name, "region-name"))
		strv_add(c, out, z->region);
	else if (!strcmp(name, "state"))
		strv_add(c, out, "available");
	else if (!strcmp(name, "zone-id"))
		strv_add(c, out, z->id);
	else if (!strcmp(name, "zone-name"))
		strv_add(c, out, z->name);
	else if (!strcmp(name, "zone-type"))
		strv_add(c, out, "availability-zone");
}

static void az_write(struct api_call *c, const void *item)
{
	const struct az_item *z = item;
	xml_str(c->x, "zoneName", z->name);
	xml_str(c->x, "zoneId", z->id);
	xml_str(c->x, "zoneState", "available");
	xml_str(c->x, "regionName", z->region);
	xml_str(c->x, "groupName", z->region);
	xml_str(c->x, "networkBorderGroup", z->region);
	xml_str(c->x, "optInStatus", "opt-in-not-required");
	xml_str(c->x, "zoneType", "availability-zone");
	xml_empty(c->x, "messageSet");
}

static int describe_azs(struct api_call *c)
{
	static const struct describe_spec spec = {
		.filters = az_filters,
		.set_name = "availabilityZoneInfo",
		.item_size = sizeof(struct az_item),
		.values = az_values,
		.write = az_write,
	};
	const struct region *rg = region_find(c->cfg->region);
	const char **names, **ids;
	size_t n_names, n_ids;
	bool all = false;
	int r;
	if ((r = api_get_str_list(c, "ZoneName", &names, &n_names)) < 0 ||
	    (r = api_get_str_list(c, "ZoneId", &ids, &n_ids)) < 0 ||
	    (r = api_get_bool(c, "AllAvailabilityZones", &all)) < 0)
		return r;
	for (size_t i = 0; i < n_names; i++)
		if (region_az_index(rg, names[i]) < 0)
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena,
						     "The zone '%s' does not exist in the region %s",
						     names[i], rg->name));
	for (size_t i = 0; i < n_ids; i++)
		if (region_az_index(rg, ids[i]) < 0)
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "Invalid availability zone ID: %s",
						     ids[i]));
	struct az_item *items = arena_alloc_array(c->arena, rg->n_azs, sizeof(*items));
	size_t k = 0;
	for (unsigned i = 0; i < rg->n_azs; i++) {
		struct az_item *z = &items[k];
		region_az(rg, i, z->name, z->id);
		bool wanted = !n_names && !n_ids;
		for (size_t j = 0; j < n_names; j++)
			wanted |= !strcmp(names[j], z->name);
		for (size_t j = 0; j < n_ids; j++)
			wanted |= !strcmp(ids[j], z->id);
		if (!wanted)
			continue;
		z->region = rg->name;
		z->head.seq = (int64_t)k;
		k++;
	}
	return api_describe(c, &spec, items, k);
}

static int describe_account_attributes(struct api_call *c)
{
	static const char *const attrs[][2] = {
		{ "supported-platforms", "VPC" },
		{ "default-vpc", NULL }, /* filled below */
		{ "max-instances", "20" },
		{ "vpc-max-security-groups-per-interface", "5" },
		{ "max-elastic-ips", "5" },
		{ "vpc-max-elastic-ips", "5" },
	};
	const char **want;
	size_t n_want;
	int r;
	if ((r = api_get_str_list(c, "AttributeName", &want, &n_want)) < 0)
		return r;
	for (size_t i = 0; i < n_want; i++) {
		bool known = false;
		for (size_t k = 0; k < sizeof(attrs) / sizeof(attrs[0]); k++)
			known |= !strcmp(want[i], attrs[k][0]);
		if (!known)
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "Invalid attribute name: %s", want[i]));
	}
	if ((r = api_dry_run(c)) < 0)
		return r;
	const char *default_vpc = "none";
	struct vpc *v;
	r = api_default_vpc_find(c, &v);
	if (r == 0)
		default_vpc = v->head.id;
	else if (r != -ENOENT)
		return r;
	xml_open(c->x, "accountAttributeSet");
	for (size_t k = 0; k < sizeof(attrs) / sizeof(attrs[0]); k++) {
		bool wanted = !n_want;
		for (size_t i = 0; i < n_want; i++)
			wanted |= !strcmp(want[i], attrs[k][0]);
		if (!wanted)
			continue;
		xml_open(c->x, "item");
		xml_str(c->x, "attributeName", attrs[k][0]);
		xml_open(c->x, "attributeValueSet");
		xml_open(c->x, "item");
		xml_str(c->x, "attributeValue", attrs[k][1] ? attrs[k][1] : default_vpc);
		xml_close(c->x);
		xml_close(c->x);
		xml_close(c->x);
	}
	xml_close(c->x);
	return 0;
}

const struct api_action api_region_actions[] = {
	{ "DescribeRegions", describe_regions, API_PARAMS("RegionName", "AllRegions", "Filter") },
	{ "DescribeAvailabilityZones", describe_azs,
	  API_PARAMS("ZoneName", "ZoneId", "AllAvailabilityZones", "Filter") },
	{ "DescribeAccountAttributes", describe_account_attributes, API_PARAMS("AttributeName") },
	{ NULL, NULL, NULL },
};
