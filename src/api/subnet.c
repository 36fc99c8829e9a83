// SPDX-License-Identifier: MIT
/* Subnets over the EC2 Query API (spec §2). */
#include "api/subnet.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/actions.h"
#include "api/call.h"
#include "api/network_acl.h"
#include "api/describe.h"
#include "api/vpc.h"
#include "model/region.h"
#include "model/subnet.h"
#include "model/vpc.h"
#include "store/nat_gateway.h"
#include "store/store.h"
#include "store/subnet.h"
#include "store/vpc.h"
#include "util/arena.h"

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

static void fill_az_id(struct api_call *c, struct subnet *s)
{
	const struct region *rg = region_find(c->cfg->region);
	char name[AZ_NAME_MAX];
	int i = rg ? region_az_index(rg, s->az) : -1;
	if (i >= 0)
		region_az(rg, (unsigned)i, name, s->az_id);
}

int api_subnet_load(struct api_call *c, const char *id, struct subnet **ret)
{
	int r = store_subnet_get(c->st, c->arena, id, ret);
	if (r == -ENOENT)
		return api_fail(c, ERR_SUBNET_NOT_FOUND, id);
	if (r < 0)
		return internal(c);
	fill_az_id(c, *ret);
	return 0;
}

int api_subnet_create(struct api_call *c, const struct vpc *v, const struct cidr *block,
		      int az_index, bool default_for_az, const struct tag_list *tags,
		      struct subnet **ret)
{
	const struct region *rg = region_find(c->cfg->region);
	struct subnet *s = arena_alloc(c->arena, sizeof(*s));

	id_new("subnet", s->head.id);
	memcpy(s->vpc_id, v->head.id, sizeof(s->vpc_id));
	s->cidr = *block;
	region_az(rg, (unsigned)az_index, s->az, s->az_id);
	s->default_for_az = default_for_az;
	s->map_public_ip = default_for_az; /* SUB-7: true only in default subnets */
	if (tags)
		s->head.tags = *tags;
	if (store_subnet_insert(c->st, s) < 0 || store_tags_set(c->st, s->head.id, &s->head.tags) < 0)
		return internal(c);
	if (api_nacl_associate_default(c, s) < 0)
		return -EINVAL;
	*ret = s;
	return 0;
}

int api_subnet_create_default(struct api_call *c, const struct vpc *v, int az_index,
			      struct subnet **ret)
{
	struct subnet *have;
	size_t n;
	struct cidr block;

	if (store_subnet_list(c->st, c->arena, v->head.id, &have, &n) < 0)
		return internal(c);
	if (subnet_next_default_block(&v->cidr, have, n, &block) < 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"There is no free /20 left in the default VPC for a default subnet");
	return api_subnet_create(c, v, &block, az_index, true, NULL, ret);
}

static void write_subnet(struct api_call *c, const struct subnet *s, const char *state)
{
	char buf[CIDR_STR_MAX];
	xml_str(c->x, "subnetId", s->head.id);
	xml_str(c->x, "subnetArn",
		arena_printf(c->arena, "arn:aws:ec2:%s:%s:subnet/%s", c->cfg->region,
			     c->cfg->account_id, s->head.id));
	xml_str(c->x, "state", state);
	xml_str(c->x, "vpcId", s->vpc_id);
	xml_str(c->x, "cidrBlock", cidr_format(&s->cidr, buf));
	xml_int(c->x, "availableIpAddressCount", (int64_t)subnet_available_addrs(s));
	xml_str(c->x, "availabilityZone", s->az);
	xml_str(c->x, "availabilityZoneId", s->az_id);
	xml_bool(c->x, "defaultForAz", s->default_for_az);
	xml_bool(c->x, "mapPublicIpOnLaunch", s->map_public_ip);
	xml_bool(c->x, "mapCustomerOwnedIpOnLaunch", false);
	xml_str(c->x, "ownerId", c->cfg->account_id);
	xml_bool(c->x, "assignIpv6AddressOnCreation", false);
	xml_empty(c->x, "ipv6CidrBlockAssociationSet");
	xml_bool(c->x, "enableDns64", false);
	xml_bool(c->x, "ipv6Native", false);
	xml_open(c->x, "privateDnsNameOptionsOnLaunch");
	xml_str(c->x, "hostnameType", "ip-name");
	xml_bool(c->x, "enableResourceNameDnsARecord", false);
	xml_bool(c->x, "enableResourceNameDnsAAAARecord", false);
	xml_close(c->x);
	xml_open(c->x, "blockPublicAccessStates");
	xml_str(c->x, "internetGatewayBlockMode", "off");
	xml_close(c->x);
	api_write_tags(c, &s->head.tags);
}

/* AvailabilityZone or AvailabilityZoneId → zone index; absent → AWS picks
 * (SUB-4): localvpc picks the zone with the fewest subnets of the VPC. */
static int pick_az(struct api_call *c, const struct subnet *have, size_t n, int *ret)
{
	const struct region *rg = region_find(c->cfg->region);
	const char *az = params_get(c->p, "AvailabilityZone");
	const char *az_id = params_get(c->p, "AvailabilityZoneId");

	if (az && az_id)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"Only one of availabilityZone or availabilityZoneId may be given");
	if (az || az_id) {
		int i = region_az_index(rg, az ? az : az_id);
		if (i < 0) {
			struct buf list;
			buf_init(&list, 1024);
			for (unsigned k = 0; k < rg->n_azs; k++) {
				char nm[AZ_NAME_MAX], id[AZ_NAME_MAX];
				region_az(rg, k, nm, id);
				(void)buf_printf(&list, "%s%s", k ? ", " : "", nm);
			}
			char *zones = arena_strdup(c->arena, buf_str(&list));
			buf_done(&list);
			return api_fail(c, ERR_AZ_INVALID, az ? az : az_id, zones);
		}
		*ret = i;
		return 0;
	}
	size_t best = SIZE_MAX;
	for (unsigned k = 0; k < rg->n_azs; k++) {
		char nm[AZ_NAME_MAX], id[AZ_NAME_MAX];
		size_t count = 0;
		region_az(rg, k, nm, id);
		for (size_t i = 0; i < n; i++)
			count += strcmp(have[i].az, nm) == 0;
		if (count < best) {
			best = count;
			*ret = (int)k;
		}
	}
	return 0;
}

static int create_subnet(struct api_call *c)
{
	const char *vpc_id;
	struct cidr block;
	struct tag_list tags = { 0 };
	struct vpc *v;
	struct subnet *have, *s;
	size_t n;
	int az = 0, r;
	char buf[CIDR_STR_MAX];

	if ((r = api_get_id(c, "VpcId", "vpc", ERR_VPC_MALFORMED, true, &vpc_id)) < 0 ||
	    (r = api_get_cidr(c, "CidrBlock", true, &block)) < 0 ||
	    (r = api_get_tag_specs(c, "subnet", &tags)) < 0)
		return r;
	if (params_get(c->p, "Ipv6CidrBlock"))
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"IPv6 CIDR blocks are not supported by localvpc");
	if ((r = api_vpc_load(c, vpc_id, &v)) < 0)
		return r;
	cidr_format(&block, buf);
	if (subnet_cidr_check(v, &block) < 0)
		return api_fail(c, ERR_SUBNET_RANGE, buf);
	if (store_subnet_list(c->st, c->arena, vpc_id, &have, &n) < 0)
		return internal(c);
	if (subnet_conflict(have, n, &block) >= 0)
		return api_fail(c, ERR_SUBNET_CONFLICT, buf);
	if (n >= c->cfg->limits.subnets_per_vpc)
		return api_fail(c, ERR_SUBNET_LIMIT);
	if ((r = pick_az(c, have, n, &az)) < 0 || (r = api_dry_run(c)) < 0)
		return r;
	if ((r = api_subnet_create(c, v, &block, az, false, &tags, &s)) < 0)
		return r;
	xml_open(c->x, "subnet");
	write_subnet(c, s, "available");
	xml_close(c->x);
	return 0;
}

static int delete_subnet(struct api_call *c)
{
	const char *id;
	struct subnet *s;
	int r;

	if ((r = api_get_id(c, "SubnetId", "subnet", ERR_SUBNET_MALFORMED, true, &id)) < 0 ||
	    (r = api_subnet_load(c, id, &s)) < 0)
		return r;
	/* SUB-10: ENIs and NAT gateways (not deleted) in the subnet block deletion. */
	size_t natgws = 0;
	if (store_natgw_count_live_in_subnet(c->st, id, &natgws) < 0)
		return internal(c);
	if (s->used_addrs || natgws)
		return api_fail(c, ERR_DEPENDENCY_VIOLATION,
				arena_printf(c->arena,
					     "The subnet '%s' has dependencies and cannot be deleted.",
					     id));
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_subnet_delete(c->st, id) < 0)
		return internal(c);
	api_write_return(c);
	return 0;
}

static int modify_subnet_attribute(struct api_call *c)
{
	const char *id;
	struct subnet *s;
	bool map = false;
	int r;

	if ((r = api_get_id(c, "SubnetId", "subnet", ERR_SUBNET_MALFORMED, true, &id)) < 0)
		return r;
	if (!params_get(c->p, "MapPublicIpOnLaunch.Value"))
		return api_fail(c, ERR_MISSING_PARAMETER, "MapPublicIpOnLaunch");
	if ((r = api_get_bool(c, "MapPublicIpOnLaunch.Value", &map)) < 0 ||
	    (r = api_subnet_load(c, id, &s)) < 0)
		return r;
	s->map_public_ip = map;
	if (store_subnet_update(c->st, s) < 0)
		return internal(c);
	api_write_return(c);
	return 0;
}

static const char *const subnet_filters[] = {
	"availability-zone", "availabilityZone", "availability-zone-id", "availabilityZoneId",
	"available-ip-address-count", "cidr", "cidr-block", "cidrBlock", "default-for-az",
	"defaultForAz", "map-public-ip-on-launch", "owner-id", "state", "subnet-arn", "subnet-id",
	"vpc-id", NULL,
};

static void subnet_values(struct api_call *c, const void *item, const char *name,
			  struct strv *out)
{
	const struct subnet *s = item;
	char buf[CIDR_STR_MAX];

	if (!strcmp(name, "availability-zone") || !strcmp(name, "availabilityZone"))
		strv_add(c, out, s->az);
	else if (!strcmp(name, "availability-zone-id") || !strcmp(name, "availabilityZoneId"))
		strv_add(c, out, s->az_id);
	else if (!strcmp(name, "available-ip-address-count"))
		strv_add(c, out, arena_printf(c->arena, "%" PRIu64, subnet_available_addrs(s)));
	else if (!strcmp(name, "cidr") || !strcmp(name, "cidr-block") || !strcmp(name, "cidrBlock"))
		strv_add(c, out, arena_strdup(c->arena, cidr_format(&s->cidr, buf)));
	else if (!strcmp(name, "default-for-az") || !strcmp(name, "defaultForAz"))
		strv_add_bool(c, out, s->default_for_az);
	else if (!strcmp(name, "map-public-ip-on-launch"))
		strv_add_bool(c, out, s->map_public_ip);
	else if (!strcmp(name, "owner-id"))
		strv_add(c, out, c->cfg->account_id);
	else if (!strcmp(name, "state"))
		strv_add(c, out, "available");
	else if (!strcmp(name, "subnet-arn"))
		strv_add(c, out, arena_printf(c->arena, "arn:aws:ec2:%s:%s:subnet/%s",
					      c->cfg->region, c->cfg->account_id, s->head.id));
	else if (!strcmp(name, "subnet-id"))
		strv_add(c, out, s->head.id);
	else if (!strcmp(name, "vpc-id"))
		strv_add(c, out, s->vpc_id);
}

static void subnet_item(struct api_call *c, const void *item)
{
	write_subnet(c, item, "available");
}

static int describe_subnets(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "SubnetId",
		.id_prefix = "subnet",
		.malformed = ERR_SUBNET_MALFORMED,
		.not_found = ERR_SUBNET_NOT_FOUND,
		.filters = subnet_filters,
		.max_results_min = 5,
		.max_results_max = 1000,
		.set_name = "subnetSet",
		.item_size = sizeof(struct subnet),
		.values = subnet_values,
		.write = subnet_item,
	};
	struct subnet *s;
	size_t n;
	if (store_subnet_list(c->st, c->arena, NULL, &s, &n) < 0)
		return internal(c);
	for (size_t i = 0; i < n; i++)
		fill_az_id(c, &s[i]);
	return api_describe(c, &spec, s, n);
}

static int create_default_subnet(struct api_call *c)
{
	const char *az;
	struct vpc *vpcs, *v = NULL;
	struct subnet *have, *s;
	size_t n;
	int r;

	if ((r = api_get_str(c, "AvailabilityZone", true, &az)) < 0)
		return r;
	const struct region *rg = region_find(c->cfg->region);
	int i = region_az_index(rg, az);
	if (i < 0)
		return api_fail(c, ERR_ZONE_NOT_FOUND, az);
	if (store_vpc_list(c->st, c->arena, &vpcs, &n) < 0)
		return internal(c);
	for (size_t k = 0; k < n && !v; k++)
		if (vpcs[k].is_default)
			v = &vpcs[k];
	if (!v)
		return api_fail(c, ERR_DEFAULT_VPC_MISSING);
	if (store_subnet_list(c->st, c->arena, v->head.id, &have, &n) < 0)
		return internal(c);
	for (size_t k = 0; k < n; k++)
		if (have[k].default_for_az && !strcmp(have[k].az, az))
			return api_fail(c, ERR_DEFAULT_SUBNET_EXISTS,
					arena_printf(c->arena,
						     "The Availability Zone %s already has a default "
						     "subnet %s.", az, have[k].head.id));
	if ((r = api_dry_run(c)) < 0 || (r = api_subnet_create_default(c, v, i, &s)) < 0)
		return r;
	xml_open(c->x, "subnet");
	write_subnet(c, s, "available");
	xml_close(c->x);
	return 0;
}

const struct api_action api_subnet_actions[] = {
	{ "CreateSubnet", create_subnet,
	  API_PARAMS("VpcId", "CidrBlock", "AvailabilityZone", "AvailabilityZoneId",
		     "Ipv6CidrBlock", "TagSpecification") },
	{ "DeleteSubnet", delete_subnet, API_PARAMS("SubnetId") },
	{ "DescribeSubnets", describe_subnets,
	  API_PARAMS("SubnetId", "Filter", "MaxResults", "NextToken") },
	{ "ModifySubnetAttribute", modify_subnet_attribute,
	  API_PARAMS("SubnetId", "MapPublicIpOnLaunch") },
	{ "CreateDefaultSubnet", create_default_subnet, API_PARAMS("AvailabilityZone") },
	{ NULL, NULL, NULL },
};
