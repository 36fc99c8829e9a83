// SPDX-License-Identifier: MIT
/* Internet gateways over the EC2 Query API (spec §5). */
#include "api/igw.h"

#include <errno.h>
#include <string.h>

#include "api/actions.h"
#include "api/call.h"
#include "api/describe.h"
#include "api/vpc.h"
#include "model/igw.h"
#include "model/vpc.h"
#include "store/igw.h"
#include "store/instance.h"
#include "store/store.h"
#include "util/arena.h"

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

static int load(struct api_call *c, const char *id, struct igw **ret)
{
	int r = store_igw_get(c->st, c->arena, id, ret);
	if (r == -ENOENT)
		return api_fail(c, ERR_IGW_NOT_FOUND, id);
	return r < 0 ? internal(c) : 0;
}

static void write_igw(struct api_call *c, const struct igw *g)
{
	xml_str(c->x, "internetGatewayId", g->head.id);
	xml_str(c->x, "ownerId", c->cfg->account_id);
	if (g->vpc_id[0]) {
		xml_open(c->x, "attachmentSet");
		xml_open(c->x, "item");
		xml_str(c->x, "vpcId", g->vpc_id);
		xml_str(c->x, "state", "available"); /* IGW-2: not "attached" */
		xml_close(c->x);
		xml_close(c->x);
	} else {
		xml_empty(c->x, "attachmentSet");
	}
	api_write_tags(c, &g->head.tags);
}

int api_igw_create(struct api_call *c, const struct tag_list *tags, struct igw **ret)
{
	struct igw *g = arena_alloc(c->arena, sizeof(*g));
	id_new("igw", g->head.id);
	if (tags)
		g->head.tags = *tags;
	if (store_igw_insert(c->st, g) < 0 || store_tags_set(c->st, g->head.id, &g->head.tags) < 0)
		return internal(c);
	*ret = g;
	return 0;
}

static int check_attach(struct api_call *c, const struct igw *g, const struct vpc *v)
{
	struct igw *other;
	/* IGW-3: one VPC per gateway, one gateway per VPC. */
	if (g->vpc_id[0])
		return api_fail(c, ERR_ALREADY_ASSOCIATED,
				arena_printf(c->arena, "resource %s is already attached to network %s",
					     g->head.id, g->vpc_id));
	int r = store_igw_of_vpc(c->st, c->arena, v->head.id, &other);
	if (r == 0)
		return api_fail(c, ERR_ALREADY_ASSOCIATED,
				arena_printf(c->arena, "network %s already has an internet gateway "
						       "attached", v->head.id));
	return r == -ENOENT ? 0 : internal(c);
}

int api_igw_attach(struct api_call *c, struct igw *g, const struct vpc *v)
{
	int r = check_attach(c, g, v);
	if (r < 0)
		return r;
	memcpy(g->vpc_id, v->head.id, sizeof(g->vpc_id));
	return store_igw_set_vpc(c->st, g) < 0 ? internal(c) : 0;
}

static int create_igw(struct api_call *c)
{
	struct tag_list tags = { 0 };
	struct igw *g;
	size_t n;
	int r;

	if ((r = api_get_tag_specs(c, "internet-gateway", &tags)) < 0)
		return r;
	if (store_igw_count(c->st, &n) < 0)
		return internal(c);
	if (n >= c->cfg->limits.igws)
		return api_fail(c, ERR_IGW_LIMIT);
	if ((r = api_dry_run(c)) < 0 || (r = api_igw_create(c, &tags, &g)) < 0)
		return r;
	xml_open(c->x, "internetGateway");
	write_igw(c, g);
	xml_close(c->x);
	return 0;
}

static int get_ids(struct api_call *c, struct igw **g, struct vpc **v)
{
	const char *igw_id, *vpc_id;
	int r;
	if ((r = api_get_id(c, "InternetGatewayId", "igw", ERR_IGW_MALFORMED, true, &igw_id)) < 0 ||
	    (r = api_get_id(c, "VpcId", "vpc", ERR_VPC_MALFORMED, true, &vpc_id)) < 0 ||
	    (r = load(c, igw_id, g)) < 0 || (r = api_vpc_load(c, vpc_id, v)) < 0)
		return r;
	return 0;
}

static int attach_igw(struct api_call *c)
{
	struct igw *g;
	struct vpc *v;
	int r;
	if ((r = get_ids(c, &g, &v)) < 0 || (r = check_attach(c, g, v)) < 0 ||
	    (r = api_dry_run(c)) < 0 || (r = api_igw_attach(c, g, v)) < 0)
		return r;
	api_write_return(c);
	return 0;
}

static int detach_igw(struct api_call *c)
{
	struct igw *g;
	struct vpc *v;
	int r;
	if ((r = get_ids(c, &g, &v)) < 0)
		return r;
	if (strcmp(g->vpc_id, v->head.id) != 0)
		return api_fail(c, ERR_GATEWAY_NOT_ATTACHED, g->head.id, v->head.id);
	/* IGW-4: mapped public addresses (auto-assigned, Elastic IPs, a NAT
	 * gateway's EIP: all are some ENI's public_ip) block detaching. */
	size_t mapped = 0;
	if (store_public_ips_in_vpc(c->st, v->head.id, &mapped) < 0)
		return internal(c);
	if (mapped)
		return api_fail(c, ERR_DEPENDENCY_VIOLATION,
				arena_printf(c->arena,
					     "Network %s has some mapped public address(es). Please "
					     "unmap those public address(es) before detaching the "
					     "gateway.", v->head.id));
	if ((r = api_dry_run(c)) < 0)
		return r;
	g->vpc_id[0] = '\0';
	if (store_igw_set_vpc(c->st, g) < 0)
		return internal(c);
	api_write_return(c);
	return 0;
}

static int delete_igw(struct api_call *c)
{
	const char *id;
	struct igw *g;
	int r;
	if ((r = api_get_id(c, "InternetGatewayId", "igw", ERR_IGW_MALFORMED, true, &id)) < 0 ||
	    (r = load(c, id, &g)) < 0)
		return r;
	if (g->vpc_id[0])
		return api_fail(c, ERR_DEPENDENCY_VIOLATION,
				arena_printf(c->arena,
					     "The internetGateway '%s' has dependencies and cannot "
					     "be deleted.", id));
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_igw_delete(c->st, id) < 0)
		return internal(c);
	api_write_return(c);
	return 0;
}

static const char *const igw_filters[] = {
	"attachment.state", "attachment.vpc-id", "internet-gateway-id", "owner-id", NULL,
};

static void igw_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct igw *g = item;
	if (!strcmp(name, "attachment.state") && g->vpc_id[0])
		strv_add(c, out, "available");
	else if (!strcmp(name, "attachment.vpc-id") && g->vpc_id[0])
		strv_add(c, out, g->vpc_id);
	else if (!strcmp(name, "internet-gateway-id"))
		strv_add(c, out, g->head.id);
	else if (!strcmp(name, "owner-id"))
		strv_add(c, out, c->cfg->account_id);
}

static void igw_item(struct api_call *c, const void *item)
{
	write_igw(c, item);
}

static int describe_igws(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "InternetGatewayId",
		.id_prefix = "igw",
		.malformed = ERR_IGW_MALFORMED,
		.not_found = ERR_IGW_NOT_FOUND,
		.filters = igw_filters,
		.max_results_min = 5,
		.max_results_max = 1000,
		.set_name = "internetGatewaySet",
		.item_size = sizeof(struct igw),
		.values = igw_values,
		.write = igw_item,
	};
	struct igw *g;
	size_t n;
	if (store_igw_list(c->st, c->arena, &g, &n) < 0)
		return internal(c);
	return api_describe(c, &spec, g, n);
}

const struct api_action api_igw_actions[] = {
	{ "CreateInternetGateway", create_igw, API_PARAMS("TagSpecification") },
	{ "AttachInternetGateway", attach_igw, API_PARAMS("InternetGatewayId", "VpcId") },
	{ "DetachInternetGateway", detach_igw, API_PARAMS("InternetGatewayId", "VpcId") },
	{ "DeleteInternetGateway", delete_igw, API_PARAMS("InternetGatewayId") },
	{ "DescribeInternetGateways", describe_igws,
	  API_PARAMS("InternetGatewayId", "Filter", "MaxResults", "NextToken") },
	{ NULL, NULL, NULL },
};
