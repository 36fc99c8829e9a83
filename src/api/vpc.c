// SPDX-License-Identifier: MIT
/* VPCs over the EC2 Query API (spec §1): create, delete, describe,
 * attributes and secondary CIDR blocks.  Validates, then writes the store;
 * never touches the kernel. */
#include "api/vpc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api/actions.h"
#include "api/call.h"
#include "api/network_acl.h"
#include "api/peering.h"
#include "api/security_group.h"
#include "api/describe.h"
#include "api/route_table.h"
#include "model/vpc.h"
#include "store/instance.h"
#include "store/security_group.h"
#include "store/store.h"
#include "store/vpc.h"
#include "util/arena.h"

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

int api_dhcp_options_default(struct api_call *c, const char **ret)
{
	const char *id;
	int r = store_meta_get(c->st, c->arena, "default_dhcp_options_id", &id);
	if (r == -ENOENT) {
		char buf[ID_MAX];
		id_new("dopt", buf);
		if (store_meta_set(c->st, "default_dhcp_options_id", buf) < 0)
			return internal(c);
		id = arena_strdup(c->arena, buf);
	} else if (r < 0) {
		return internal(c);
	}
	*ret = id;
	return 0;
}

int api_vpc_load(struct api_call *c, const char *id, struct vpc **ret)
{
	int r = store_vpc_get(c->st, c->arena, id, ret);
	if (r == -ENOENT)
		return api_fail(c, ERR_VPC_NOT_FOUND, id);
	return r < 0 ? internal(c) : 0;
}

int api_vpc_create(struct api_call *c, const struct cidr *block, const char *tenancy,
		   bool is_default, const struct tag_list *tags, struct vpc **ret)
{
	struct vpc *v = arena_alloc(c->arena, sizeof(*v));
	const char *dopt;

	if (api_dhcp_options_default(c, &dopt) < 0)
		return -EINVAL;
	id_new("vpc", v->head.id);
	snprintf(v->dhcp_options_id, sizeof(v->dhcp_options_id), "%s", dopt);
	v->cidr = *block;
	v->tenancy = tenancy;
	v->is_default = is_default;
	v->dns_support = true;
	v->dns_hostnames = is_default; /* VPC-10: true only in the default VPC */
	v->assocs = arena_alloc(c->arena, sizeof(*v->assocs));
	v->n_assocs = 1;
	id_new("vpc-cidr-assoc", v->assocs[0].id);
	v->assocs[0].cidr = *block;
	v->assocs[0].state = CIDR_ASSOCIATED;
	v->assocs[0].is_primary = true;
	if (tags)
		v->head.tags = *tags;
	if (store_vpc_insert(c->st, v) < 0 || store_tags_set(c->st, v->head.id, &v->head.tags) < 0)
		return internal(c);
	if (api_rtb_create_main(c, v) < 0)
		return -EINVAL;
	/* VPC-4: every VPC has its default security group (SG-3) and its
	 * default network ACL (NACL-8). */
	if (api_sg_create_default(c, v) < 0 || api_nacl_create_default(c, v) < 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

static void write_assoc(struct api_call *c, const struct vpc_cidr_assoc *as)
{
	char buf[CIDR_STR_MAX];
	xml_str(c->x, "cidrBlock", cidr_format(&as->cidr, buf));
	xml_str(c->x, "associationId", as->id);
	xml_open(c->x, "cidrBlockState");
	xml_str(c->x, "state", cidr_assoc_state_name(as->state));
	xml_close(c->x);
}

void api_vpc_write(struct api_call *c, const struct vpc *v, const char *state)
{
	char buf[CIDR_STR_MAX];
	xml_str(c->x, "vpcId", v->head.id);
	xml_str(c->x, "ownerId", c->cfg->account_id);
	xml_str(c->x, "state", state);
	xml_str(c->x, "cidrBlock", cidr_format(&v->cidr, buf));
	xml_open(c->x, "cidrBlockAssociationSet");
	for (size_t i = 0; i < v->n_assocs; i++) {
		xml_open(c->x, "item");
		write_assoc(c, &v->assocs[i]);
		xml_close(c->x);
	}
	xml_close(c->x);
	xml_empty(c->x, "ipv6CidrBlockAssociationSet");
	xml_str(c->x, "dhcpOptionsId", v->dhcp_options_id);
	xml_str(c->x, "instanceTenancy", v->tenancy);
	xml_bool(c->x, "isDefault", v->is_default);
	xml_open(c->x, "blockPublicAccessStates");
	xml_str(c->x, "internetGatewayBlockMode", "off");
	xml_close(c->x);
	api_write_tags(c, &v->head.tags);
}

static int create_vpc(struct api_call *c)
{
	struct cidr block;
	const char *tenancy = "default";
	bool ipv6 = false;
	struct tag_list tags = { 0 };
	size_t n_vpcs;
	struct vpc *v;
	int r;

	if ((r = api_get_cidr(c, "CidrBlock", true, &block)) < 0 ||
	    (r = api_get_str(c, "InstanceTenancy", false, &tenancy)) < 0 ||
	    (r = api_get_bool(c, "AmazonProvidedIpv6CidrBlock", &ipv6)) < 0 ||
	    (r = api_get_tag_specs(c, "vpc", &tags)) < 0)
		return r;
	if (strcmp(tenancy, "default") && strcmp(tenancy, "dedicated") && strcmp(tenancy, "host"))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Value (%s) for parameter instanceTenancy "
						       "is invalid.", tenancy));
	/* localvpc is IPv4-only until IPv6 is filtered end to end (checklist 5). */
	if (ipv6)
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"IPv6 CIDR blocks are not supported by localvpc");
	if (vpc_cidr_check(&block) < 0) {
		char buf[CIDR_STR_MAX];
		return api_fail(c, ERR_VPC_RANGE, cidr_format(&block, buf));
	}
	if (store_vpc_count(c->st, &n_vpcs) < 0)
		return internal(c);
	if (n_vpcs >= c->cfg->limits.vpcs)
		return api_fail(c, ERR_VPC_LIMIT);
	if ((r = api_dry_run(c)) < 0)
		return r;
	if ((r = api_vpc_create(c, &block, tenancy, false, &tags, &v)) < 0)
		return r;
	xml_open(c->x, "vpc");
	api_vpc_write(c, v, "pending"); /* GEN-4: the create answer says pending */
	xml_close(c->x);
	return 0;
}

static int delete_vpc(struct api_call *c)
{
	const char *id;
	struct vpc *v;
	struct vpc_dependents d;
	int r;

	if ((r = api_get_id(c, "VpcId", "vpc", ERR_VPC_MALFORMED, true, &id)) < 0 ||
	    (r = api_vpc_load(c, id, &v)) < 0)
		return r;
	if (store_vpc_dependents(c->st, id, &d) < 0)
		return internal(c);
	if (d.subnets || d.igws || d.extra_route_tables || d.enis || d.extra_sgs ||
	    d.extra_nacls)
		return api_fail(c, ERR_DEPENDENCY_VIOLATION,
				arena_printf(c->arena,
					     "The vpc '%s' has dependencies and cannot be deleted.",
					     id));
	if ((r = api_dry_run(c)) < 0)
		return r;
	/* VPC-11: the automatic objects go with the VPC; so do its peerings
	 * (AWS deletes an active one with the VPC; a pending request of this
	 * same account goes too). */
	if ((r = api_pcx_delete_in_vpc(c, id)) < 0 || (r = api_rtb_delete_all_in_vpc(c, id)) < 0)
		return r;
	if ((r = api_sg_delete_in_vpc(c, id)) < 0 || (r = api_nacl_delete_in_vpc(c, id)) < 0)
		return r;
	if (store_vpc_delete(c->st, id) < 0)
		return internal(c);
	api_write_return(c);
	return 0;
}

static const char *const vpc_filters[] = {
	"cidr", "cidr-block-association.cidr-block", "cidr-block-association.association-id",
	"cidr-block-association.state", "dhcp-options-id", "is-default", "isDefault", "owner-id",
	"state", "vpc-id", "cidrBlock", NULL,
};

static void vpc_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct vpc *v = item;
	char buf[CIDR_STR_MAX];

	if (!strcmp(name, "cidr") || !strcmp(name, "cidrBlock"))
		strv_add(c, out, arena_strdup(c->arena, cidr_format(&v->cidr, buf)));
	else if (!strcmp(name, "dhcp-options-id"))
		strv_add(c, out, v->dhcp_options_id);
	else if (!strcmp(name, "is-default") || !strcmp(name, "isDefault"))
		strv_add_bool(c, out, v->is_default);
	else if (!strcmp(name, "owner-id"))
		strv_add(c, out, c->cfg->account_id);
	else if (!strcmp(name, "state"))
		strv_add(c, out, "available");
	else if (!strcmp(name, "vpc-id"))
		strv_add(c, out, v->head.id);
	for (size_t i = 0; i < v->n_assocs; i++) {
		const struct vpc_cidr_assoc *as = &v->assocs[i];
		if (!strcmp(name, "cidr-block-association.cidr-block"))
			strv_add(c, out, arena_strdup(c->arena, cidr_format(&as->cidr, buf)));
		else if (!strcmp(name, "cidr-block-association.association-id"))
			strv_add(c, out, as->id);
		else if (!strcmp(name, "cidr-block-association.state"))
			strv_add(c, out, cidr_assoc_state_name(as->state));
	}
}

static void vpc_item(struct api_call *c, const void *item)
{
	api_vpc_write(c, item, "available");
}

static int describe_vpcs(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "VpcId",
		.id_prefix = "vpc",
		.malformed = ERR_VPC_MALFORMED,
		.not_found = ERR_VPC_NOT_FOUND,
		.filters = vpc_filters,
		.max_results_min = 5,
		.max_results_max = 1000,
		.set_name = "vpcSet",
		.item_size = sizeof(struct vpc),
		.values = vpc_values,
		.write = vpc_item,
	};
	struct vpc *v;
	size_t n;
	if (store_vpc_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	return api_describe(c, &spec, v, n);
}

/* The three boolean attributes, by their API names. */
static bool *attr_field(struct vpc *v, const char *name)
{
	if (!strcmp(name, "enableDnsSupport") || !strcmp(name, "EnableDnsSupport"))
		return &v->dns_support;
	if (!strcmp(name, "enableDnsHostnames") || !strcmp(name, "EnableDnsHostnames"))
		return &v->dns_hostnames;
	if (!strcmp(name, "enableNetworkAddressUsageMetrics") ||
	    !strcmp(name, "EnableNetworkAddressUsageMetrics"))
		return &v->nau_metrics;
	return NULL;
}

static int modify_vpc_attribute(struct api_call *c)
{
	static const char *const attrs[] = { "EnableDnsSupport", "EnableDnsHostnames",
					     "EnableNetworkAddressUsageMetrics" };
	const char *id;
	struct vpc *v;
	int r, given = 0;
	bool values[3];

	if ((r = api_get_id(c, "VpcId", "vpc", ERR_VPC_MALFORMED, true, &id)) < 0)
		return r;
	for (int i = 0; i < 3; i++) {
		char *key = arena_printf(c->arena, "%s.Value", attrs[i]);
		if (!params_get(c->p, key))
			continue;
		if ((r = api_get_bool(c, key, &values[i])) < 0)
			return r;
		given |= 1 << i;
	}
	/* VPC-10: exactly one attribute per call. */
	if (!given)
		return api_fail(c, ERR_MISSING_PARAMETER, "EnableDnsSupport or EnableDnsHostnames");
	if (given & (given - 1))
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"Fields for multiple attribute types specified: "
				"enableDnsHostnames, enableDnsSupport");
	if ((r = api_vpc_load(c, id, &v)) < 0)
		return r;
	for (int i = 0; i < 3; i++)
		if (given & (1 << i))
			*attr_field(v, attrs[i]) = values[i];
	/* AWS: DNS hostnames need DNS support. */
	if (v->dns_hostnames && !v->dns_support)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"enableDnsHostnames cannot be true while enableDnsSupport is false");
	if (store_vpc_update(c->st, v) < 0)
		return internal(c);
	api_write_return(c);
	return 0;
}

static int describe_vpc_attribute(struct api_call *c)
{
	const char *id, *attr;
	struct vpc *v;
	bool *field;
	int r;

	if ((r = api_get_str(c, "Attribute", true, &attr)) < 0 ||
	    (r = api_get_id(c, "VpcId", "vpc", ERR_VPC_MALFORMED, true, &id)) < 0)
		return r;
	if (strcmp(attr, "enableDnsSupport") && strcmp(attr, "enableDnsHostnames") &&
	    strcmp(attr, "enableNetworkAddressUsageMetrics"))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Value (%s) for parameter attribute is "
						       "invalid. Unknown attribute.", attr));
	if ((r = api_vpc_load(c, id, &v)) < 0 || (r = api_dry_run(c)) < 0)
		return r;
	field = attr_field(v, attr);
	xml_str(c->x, "vpcId", v->head.id);
	xml_open(c->x, attr);
	xml_bool(c->x, "value", *field);
	xml_close(c->x);
	return 0;
}

static int associate_vpc_cidr_block(struct api_call *c)
{
	const char *id;
	struct cidr block, have[64];
	struct vpc *v;
	bool ipv6 = false;
	size_t n_have = 0;
	int r;

	if ((r = api_get_id(c, "VpcId", "vpc", ERR_VPC_MALFORMED, true, &id)) < 0 ||
	    (r = api_get_bool(c, "AmazonProvidedIpv6CidrBlock", &ipv6)) < 0)
		return r;
	if (ipv6 || params_get(c->p, "Ipv6CidrBlock"))
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"IPv6 CIDR blocks are not supported by localvpc");
	if ((r = api_get_cidr(c, "CidrBlock", true, &block)) < 0 ||
	    (r = api_vpc_load(c, id, &v)) < 0)
		return r;
	for (size_t i = 0; i < v->n_assocs && n_have < 64; i++)
		if (v->assocs[i].state == CIDR_ASSOCIATED)
			have[n_have++] = v->assocs[i].cidr;
	char buf[CIDR_STR_MAX];
	cidr_format(&block, buf);
	if (n_have >= c->cfg->limits.cidrs_per_vpc)
		return api_fail(c, ERR_CIDR_LIMIT, id,
				arena_printf(c->arena, "%u", c->cfg->limits.cidrs_per_vpc));
	r = vpc_cidr_check_additional(have, n_have, &block);
	if (r == -EEXIST)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "The CIDR '%s' conflicts with another subnet or block "
					     "of this VPC.", buf));
	if (r < 0)
		return api_fail(c, ERR_VPC_RANGE, buf);
	if ((r = api_dry_run(c)) < 0)
		return r;
	struct vpc_cidr_assoc as = { .cidr = block, .state = CIDR_ASSOCIATED };
	id_new("vpc-cidr-assoc", as.id);
	if (store_vpc_cidr_insert(c->st, id, &as) < 0)
		return internal(c);
	if ((r = api_rtb_add_local_routes(c, id, &block)) < 0)
		return r;
	xml_str(c->x, "vpcId", id);
	xml_open(c->x, "cidrBlockAssociation");
	as.state = CIDR_ASSOCIATING; /* VPC-5: the answer shows the first state */
	write_assoc(c, &as);
	xml_close(c->x);
	return 0;
}

static int disassociate_vpc_cidr_block(struct api_call *c)
{
	const char *assoc_id;
	struct vpc *all, *v = NULL;
	struct vpc_cidr_assoc *as = NULL;
	size_t n, in_use;
	int r;

	if ((r = api_get_str(c, "AssociationId", true, &assoc_id)) < 0)
		return r;
	if (store_vpc_list(c->st, c->arena, &all, &n) < 0)
		return internal(c);
	for (size_t i = 0; i < n && !as; i++)
		for (size_t k = 0; k < all[i].n_assocs && !as; k++)
			if (!strcmp(all[i].assocs[k].id, assoc_id)) {
				v = &all[i];
				as = &all[i].assocs[k];
			}
	if (!as)
		return api_fail(c, ERR_CIDR_ASSOC_NOT_FOUND, assoc_id);
	char buf[CIDR_STR_MAX];
	cidr_format(&as->cidr, buf);
	/* VPC-8: never the primary block; never a block still in use. */
	if (as->is_primary)
		return api_fail(c, ERR_OPERATION_NOT_PERMITTED,
				arena_printf(c->arena,
					     "The vpc CIDR block with association ID %s may not be "
					     "disassociated. It is the primary IPv4 CIDR block of the "
					     "VPC", assoc_id));
	if (store_vpc_subnets_in_block(c->st, v->head.id, &as->cidr, &in_use) < 0)
		return internal(c);
	if (in_use)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "The vpc CIDR block %s cannot be disassociated: subnets "
					     "still use it.", buf));
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_vpc_cidr_delete(c->st, assoc_id) < 0)
		return internal(c);
	if ((r = api_rtb_remove_local_routes(c, v->head.id, &as->cidr)) < 0)
		return r;
	xml_str(c->x, "vpcId", v->head.id);
	xml_open(c->x, "cidrBlockAssociation");
	as->state = CIDR_DISASSOCIATING;
	write_assoc(c, as);
	xml_close(c->x);
	return 0;
}

const struct api_action api_vpc_actions[] = {
	{ "CreateVpc", create_vpc,
	  API_PARAMS("CidrBlock", "InstanceTenancy", "AmazonProvidedIpv6CidrBlock",
		     "TagSpecification") },
	{ "DeleteVpc", delete_vpc, API_PARAMS("VpcId") },
	{ "DescribeVpcs", describe_vpcs, API_PARAMS("VpcId", "Filter", "MaxResults", "NextToken") },
	{ "ModifyVpcAttribute", modify_vpc_attribute,
	  API_PARAMS("VpcId", "EnableDnsSupport", "EnableDnsHostnames",
		     "EnableNetworkAddressUsageMetrics") },
	{ "DescribeVpcAttribute", describe_vpc_attribute, API_PARAMS("VpcId", "Attribute") },
	{ "AssociateVpcCidrBlock", associate_vpc_cidr_block,
	  API_PARAMS("VpcId", "CidrBlock", "AmazonProvidedIpv6CidrBlock", "Ipv6CidrBlock") },
	{ "DisassociateVpcCidrBlock", disassociate_vpc_cidr_block, API_PARAMS("AssociationId") },
	{ NULL, NULL, NULL },
};
