// SPDX-License-Identifier: MIT
/* Route tables over the EC2 Query API (spec §4): tables, routes and
 * associations.  Each handler validates everything (AWS's route rules live
 * in model/route_table.c), then honours DryRun, then writes the store; it
 * never touches the kernel — the reconciler derives routes from the store. */
#include "api/route_table.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api/actions.h"
#include "api/call.h"
#include "api/describe.h"
#include "api/nat_gateway.h"
#include "api/peering.h"
#include "api/subnet.h"
#include "model/igw.h"
#include "model/instance.h"
#include "model/nat_gateway.h"
#include "model/peering.h"
#include "model/route_table.h"
#include "model/subnet.h"
#include "model/vpc.h"
#include "store/igw.h"
#include "store/instance.h"
#include "store/route_table.h"
#include "store/store.h"
#include "store/subnet.h"
#include "store/vpc.h"
#include "util/arena.h"

static int store_failed(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

static struct route local_route(const struct cidr *block)
{
	struct route r = { .dest = *block, .target = ROUTE_LOCAL, .origin = ROUTE_ORIGIN_TABLE };
	snprintf(r.target_id, sizeof(r.target_id), "local");
	return r;
}

/* A new table of v with one local route per block (RT-7, RT-9). */
static int create_table(struct api_call *c, const struct vpc *v, const char *client_token,
			struct route_table *ret)
{
	struct route_table rt = { 0 };

	id_new("rtb", rt.head.id);
	memcpy(rt.vpc_id, v->head.id, sizeof(rt.vpc_id));
	if (store_rtb_insert(c->st, &rt, client_token) < 0)
		return store_failed(c);
	for (size_t i = 0; i < v->n_assocs; i++) {
		struct route r = local_route(&v->assocs[i].cidr);
		if (store_route_insert(c->st, rt.head.id, &r) < 0)
			return store_failed(c);
	}
	*ret = rt;
	return 0;
}

int api_rtb_create_main(struct api_call *c, const struct vpc *v)
{
	struct route_table rt;
	struct rtb_assoc as = { .is_main = true };
	int r = create_table(c, v, NULL, &rt);

	if (r < 0)
		return r;
	id_new("rtbassoc", as.id);
	if (store_rtb_assoc_insert(c->st, rt.head.id, &as) < 0)
		return store_failed(c);
	return 0;
}

int api_rtb_add_local_routes(struct api_call *c, const char *vpc_id, const struct cidr *block)
{
	const char **ids;
	size_t n;
	if (store_rtb_ids_in_vpc(c->st, c->arena, vpc_id, &ids, &n) < 0)
		return store_failed(c);
	for (size_t i = 0; i < n; i++) {
		struct route r = local_route(block);
		if (store_route_insert(c->st, ids[i], &r) < 0)
			return store_failed(c);
	}
	return 0;
}

int api_rtb_delete_all_in_vpc(struct api_call *c, const char *vpc_id)
{
	const char **ids;
	size_t n;
	if (store_rtb_ids_in_vpc(c->st, c->arena, vpc_id, &ids, &n) < 0)
		return store_failed(c);
	for (size_t i = 0; i < n; i++)
		if (store_rtb_delete(c->st, ids[i]) < 0)
			return store_failed(c);
	return 0;
}

int api_rtb_remove_local_routes(struct api_call *c, const char *vpc_id, const struct cidr *block)
{
	return store_route_delete_local_in_vpc(c->st, vpc_id, block) < 0 ? store_failed(c) : 0;
}

int api_rtb_add_route(struct api_call *c, const char *rtb_id, const struct cidr *dest,
		      enum route_target target, const char *target_id)
{
	struct route r = { .dest = *dest, .target = target, .origin = ROUTE_ORIGIN_ROUTE };
	snprintf(r.target_id, sizeof(r.target_id), "%s", target_id);
	int e = store_route_insert(c->st, rtb_id, &r);
	if (e == -EEXIST) {
		char buf[CIDR_STR_MAX];
		return api_fail(c, ERR_ROUTE_EXISTS, cidr_format(dest, buf));
	}
	return e < 0 ? store_failed(c) : 0;
}

int api_rtb_main_of_vpc(struct api_call *c, const char *vpc_id, const char **ret)
{
	return store_rtb_main_of_vpc(c->st, c->arena, vpc_id, ret) < 0 ? store_failed(c) : 0;
}

static int load_rtb(struct api_call *c, const char *id, struct route_table **ret)
{
	int r = store_rtb_get(c->st, c->arena, id, ret);
	if (r == -ENOENT)
		return api_fail(c, ERR_RTB_NOT_FOUND, id);
	return r < 0 ? store_failed(c) : 0;
}

static int get_rtb(struct api_call *c, const char *param, struct route_table **ret)
{
	const char *id;
	int r = api_get_id(c, param, "rtb", ERR_RTB_MALFORMED, true, &id);
	return r < 0 ? r : load_rtb(c, id, ret);
}

/* The CIDR blocks a table's routes are judged against (RT-12..14, RT-24). */
struct vpc_blocks {
	struct cidr *vpc, *subnets;
	size_t n_vpc, n_subnets;
};

static int load_blocks(struct api_call *c, const char *vpc_id, struct vpc_blocks *ret)
{
	struct vpc *v;
	struct subnet *s;
	size_t n;

	if (store_vpc_get(c->st, c->arena, vpc_id, &v) < 0 ||
	    store_subnet_list(c->st, c->arena, vpc_id, &s, &n) < 0)
		return store_failed(c);
	ret->vpc = arena_alloc_array(c->arena, v->n_assocs + 1, sizeof(*ret->vpc));
	ret->n_vpc = 0;
	for (size_t i = 0; i < v->n_assocs; i++)
		if (v->assocs[i].state == CIDR_ASSOCIATED)
			ret->vpc[ret->n_vpc++] = v->assocs[i].cidr;
	ret->subnets = arena_alloc_array(c->arena, n + 1, sizeof(*ret->subnets));
	for (size_t i = 0; i < n; i++)
		ret->subnets[i] = s[i].cidr;
	ret->n_subnets = n;
	return 0;
}

/* XML */

static void write_assoc_state(struct api_call *c)
{
	xml_open(c->x, "associationState");
	xml_str(c->x, "state", "associated");
	xml_close(c->x);
}

static void write_assoc(struct api_call *c, const struct route_table *t,
			const struct rtb_assoc *as)
{
	xml_bool(c->x, "main", as->is_main);
	xml_str(c->x, "routeTableAssociationId", as->id);
	xml_str(c->x, "routeTableId", t->head.id);
	if (as->subnet_id[0])
		xml_str(c->x, "subnetId", as->subnet_id);
	if (as->gateway_id[0])
		xml_str(c->x, "gatewayId", as->gateway_id);
	write_assoc_state(c);
}

/* AWS RT-10: an instance target is shown with its ENI, an ENI target with
 * the instance it is attached to, both with the instance's owner. */
static void write_route(struct api_call *c, const struct route *r)
{
	char buf[CIDR_STR_MAX];
	const char *instance = NULL, *eni = NULL;

	xml_str(c->x, "destinationCidrBlock", cidr_format(&r->dest, buf));
	switch (r->target) {
	case ROUTE_LOCAL:
		xml_str(c->x, "gatewayId", "local");
		break;
	case ROUTE_GATEWAY:
		xml_str(c->x, "gatewayId", r->target_id);
		break;
	case ROUTE_NAT_GATEWAY:
		xml_str(c->x, "natGatewayId", r->target_id);
		break;
	case ROUTE_INSTANCE:
		instance = r->target_id;
		eni = r->eni_id[0] ? r->eni_id : NULL;
		break;
	case ROUTE_NETWORK_INTERFACE:
		instance = r->instance_id[0] ? r->instance_id : NULL;
		eni = r->target_id;
		break;
	case ROUTE_VPC_PEERING:
		xml_str(c->x, "vpcPeeringConnectionId", r->target_id);
		break;
	case ROUTE_EGRESS_ONLY_IGW:
		xml_str(c->x, "egressOnlyInternetGatewayId", r->target_id);
		break;
	case ROUTE_TARGET_COUNT:
		break;
	}
	if (instance) {
		xml_str(c->x, "instanceId", instance);
		xml_str(c->x, "instanceOwnerId", c->cfg->account_id);
	}
	xml_str(c->x, "networkInterfaceId", eni);
	xml_str(c->x, "origin", r->origin);
	xml_str(c->x, "state", route_state_name(r));
}

static void write_rtb(struct api_call *c, const struct route_table *t)
{
	xml_str(c->x, "routeTableId", t->head.id);
	xml_str(c->x, "vpcId", t->vpc_id);
	xml_str(c->x, "ownerId", c->cfg->account_id);
	/* RT-2: implicit associations are not listed. */
	xml_open(c->x, "associationSet");
	for (size_t i = 0; i < t->n_assocs; i++) {
		xml_open(c->x, "item");
		write_assoc(c, t, &t->assocs[i]);
		xml_close(c->x);
	}
	xml_close(c->x);
	xml_empty(c->x, "propagatingVgwSet");
	xml_open(c->x, "routeSet");
	for (size_t i = 0; i < t->n_routes; i++) {
		xml_open(c->x, "item");
		write_route(c, &t->routes[i]);
		xml_close(c->x);
	}
	xml_close(c->x);
	api_write_tags(c, &t->head.tags);
}

/* CreateRouteTable, DeleteRouteTable */

static int create_route_table(struct api_call *c)
{
	const char *vpc_id, *token = NULL, *have_id;
	struct tag_list tags = { 0 };
	struct route_table rt, *t;
	struct vpc *v;
	size_t n;
	int r;

	if ((r = api_get_id(c, "VpcId", "vpc", ERR_VPC_MALFORMED, true, &vpc_id)) < 0 ||
	    (r = api_get_tag_specs(c, "route-table", &tags)) < 0 ||
	    (r = api_get_client_token(c, &token)) < 0)
		return r;
	r = store_vpc_get(c->st, c->arena, vpc_id, &v);
	if (r == -ENOENT)
		return api_fail(c, ERR_VPC_NOT_FOUND, vpc_id);
	if (r < 0)
		return store_failed(c);
	/* API-17: the same token again answers with the table it made. */
	have_id = NULL;
	if (token) {
		r = store_rtb_by_token(c->st, c->arena, token, &have_id);
		if (r < 0 && r != -ENOENT)
			return store_failed(c);
	}
	if (have_id) {
		if ((r = load_rtb(c, have_id, &t)) < 0)
			return r;
		if (strcmp(t->vpc_id, vpc_id) != 0)
			return api_fail(c, ERR_IDEMPOTENT_MISMATCH,
					arena_printf(c->arena,
						     "The client token '%s' was used with other "
						     "parameters by an earlier request.", token));
		if ((r = api_dry_run(c)) < 0)
			return r;
	} else {
		if (store_rtb_count_in_vpc(c->st, vpc_id, &n) < 0)
			return store_failed(c);
		if (n >= c->cfg->limits.route_tables_per_vpc)
			return api_fail(c, ERR_RTB_LIMIT);
		if ((r = api_dry_run(c)) < 0 || (r = create_table(c, v, token, &rt)) < 0)
			return r;
		if (store_tags_set(c->st, rt.head.id, &tags) < 0)
			return store_failed(c);
		if ((r = load_rtb(c, rt.head.id, &t)) < 0)
			return r;
	}
	xml_open(c->x, "routeTable");
	write_rtb(c, t);
	xml_close(c->x);
	xml_str(c->x, "clientToken", token);
	return 0;
}

static int delete_route_table(struct api_call *c)
{
	struct route_table *t;
	int r;

	if ((r = get_rtb(c, "RouteTableId", &t)) < 0)
		return r;
	/* RT-6: the main table and any associated table stay. */
	if (t->n_assocs)
		return api_fail(c, ERR_DEPENDENCY_VIOLATION,
				arena_printf(c->arena,
					     "The routeTable '%s' has dependencies and cannot be "
					     "deleted.", t->head.id));
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_rtb_delete(c->st, t->head.id) < 0)
		return store_failed(c);
	api_write_return(c);
	return 0;
}

/* Route destinations and targets */

static int get_dest(struct api_call *c, struct cidr *ret)
{
	const char *v4 = params_get(c->p, "DestinationCidrBlock");
	const char *v6 = params_get(c->p, "DestinationIpv6CidrBlock");
	const char *pl = NULL;
	int r;

	if ((r = api_get_id(c, "DestinationPrefixListId", "pl", ERR_PREFIX_LIST_MALFORMED, false,
			    &pl)) < 0)
		return r;
	if (!!v4 + !!v6 + !!pl > 1)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"Only one of destinationCidrBlock, destinationIpv6CidrBlock or "
				"destinationPrefixListId may be given");
	if (v6)
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"IPv6 routes are not supported by localvpc");
	if (pl) /* localvpc holds no prefix lists */
		return api_fail(c, ERR_PREFIX_LIST_NOT_FOUND, pl);
	if (!v4)
		return api_fail(c, ERR_MISSING_PARAMETER, "destinationCidrBlock");
	return api_get_cidr(c, "DestinationCidrBlock", true, ret);
}

/* Checks that target id exists and may serve table t; fails the call with
 * AWS's code otherwise.  One per target type, so the families that do not
 * exist yet (NAT gateways, peerings, egress-only gateways) plug in here. */
typedef int (*target_check_fn)(struct api_call *c, const struct route_table *t, const char *id);

static int different_networks(struct api_call *c, const struct route_table *t, const char *what,
			      const char *id)
{
	return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
			arena_printf(c->arena, "route table %s and %s %s belong to different "
					       "networks", t->head.id, what, id));
}

static int check_gateway(struct api_call *c, const struct route_table *t, const char *id)
{
	struct igw *g;
	/* localvpc has no virtual private gateways: any other ID names nothing. */
	int r = id_has_prefix(id, "igw") && strlen(id) < ID_MAX
			? store_igw_get(c->st, c->arena, id, &g)
			: -ENOENT;
	if (r == -ENOENT)
		return api_fail(c, ERR_GATEWAY_NOT_FOUND, id);
	if (r < 0)
		return store_failed(c);
	/* RT-10: an internet gateway attached to this very VPC. */
	if (strcmp(g->vpc_id, t->vpc_id) != 0)
		return different_networks(c, t, "network gateway", id);
	return 0;
}

/* A NAT gateway of this VPC that is not deleted or failed. */
static int check_nat_gateway(struct api_call *c, const struct route_table *t, const char *id)
{
	struct nat_gateway *g;
	int r = api_natgw_load(c, id, ERR_NATGW_NOT_FOUND, &g);
	if (r < 0)
		return r;
	if (g->state == NATGW_DELETED || g->state == NATGW_FAILED || g->state == NATGW_DELETING)
		return api_fail(c, ERR_NATGW_NOT_FOUND, id);
	if (strcmp(g->vpc_id, t->vpc_id) != 0)
		return different_networks(c, t, "NAT gateway", id);
	return 0;
}

static int check_instance(struct api_call *c, const struct route_table *t, const char *id)
{
	struct instance *in;
	struct eni *enis;
	size_t n, attached = 0;
	int r = store_instance_get(c->st, c->arena, id, &in);

	if (r == -ENOENT)
		return api_fail(c, ERR_INSTANCE_NOT_FOUND, id);
	if (r < 0)
		return store_failed(c);
	/* A stopped instance may be a target (its routes are blackhole until it
	 * runs); a terminated one may not.  The code is unverified against AWS. */
	if (in->state == INSTANCE_TERMINATED || in->state == INSTANCE_SHUTTING_DOWN)
		return api_fail(c, ERR_INCORRECT_INSTANCE_STATE, id, "used as a route target");
	if (strcmp(in->vpc_id, t->vpc_id) != 0)
		return different_networks(c, t, "instance", id);
	/* RT-10: the route goes to the instance's one ENI. */
	if (store_eni_list(c->st, c->arena, in->vpc_id, &enis, &n) < 0)
		return store_failed(c);
	for (size_t i = 0; i < n; i++)
		attached += strcmp(enis[i].instance_id, id) == 0;
	if (attached > 1)
		return api_fail(c, ERR_INSTANCE_MULTI_ENI, id);
	return 0;
}

static int check_eni(struct api_call *c, const struct route_table *t, const char *id)
{
	struct eni *e;
	int r = store_eni_get(c->st, c->arena, id, &e);

	if (r == -ENOENT)
		return api_fail(c, ERR_ENI_NOT_FOUND, id);
	if (r < 0)
		return store_failed(c);
	if (strcmp(e->vpc_id, t->vpc_id) != 0)
		return different_networks(c, t, "interface", id);
	return 0;
}

/* RT-10, RT-19: a peering of this VPC that is pending-acceptance (the route
 * is blackhole until accepted) or active; an ended one names nothing. */
static int check_peering(struct api_call *c, const struct route_table *t, const char *id)
{
	struct peering *p;
	int r = api_pcx_load(c, id, &p);
	if (r < 0)
		return r;
	if (!pcx_is_live(p->state))
		return api_fail(c, ERR_PCX_NOT_FOUND, id);
	if (!pcx_other_vpc(p, t->vpc_id))
		return different_networks(c, t, "peering connection", id);
	return 0;
}

static int check_eigw(struct api_call *c, const struct route_table *t, const char *id)
{
	(void)t;
	return api_fail(c, ERR_EIGW_NOT_FOUND, id);
}

static const struct {
	const char *param;      /* NULL: ROUTE_LOCAL, given as LocalTarget */
	const char *prefix;     /* NULL: any ID is looked up (GatewayId) */
	enum api_err malformed;
	target_check_fn check;
} targets[ROUTE_TARGET_COUNT] = {
	[ROUTE_LOCAL] = { NULL, NULL, ERR_NONE, NULL },
	[ROUTE_GATEWAY] = { "GatewayId", NULL, ERR_NONE, check_gateway },
	[ROUTE_NAT_GATEWAY] = { "NatGatewayId", "nat", ERR_NATGW_MALFORMED, check_nat_gateway },
	[ROUTE_INSTANCE] = { "InstanceId", "i", ERR_INSTANCE_MALFORMED, check_instance },
	[ROUTE_NETWORK_INTERFACE] = { "NetworkInterfaceId", "eni", ERR_ENI_MALFORMED, check_eni },
	[ROUTE_VPC_PEERING] = { "VpcPeeringConnectionId", "pcx", ERR_PCX_MALFORMED,
				check_peering },
	[ROUTE_EGRESS_ONLY_IGW] = { "EgressOnlyInternetGatewayId", "eigw", ERR_EIGW_MALFORMED,
				    check_eigw },
};

/* Targets AWS has and localvpc does not model (spec RT-10, out of scope). */
static const char *const unsupported_targets[] = {
	"TransitGatewayId", "LocalGatewayId", "CarrierGatewayId",
	"VpcEndpointId",    "CoreNetworkArn", "OdbNetworkArn",
};

#define TARGET_PARAMS                                                                     \
	"GatewayId", "NatGatewayId", "InstanceId", "NetworkInterfaceId",                  \
		"VpcPeeringConnectionId", "EgressOnlyInternetGatewayId", "TransitGatewayId", \
		"LocalGatewayId", "CarrierGatewayId", "VpcEndpointId", "CoreNetworkArn",     \
		"OdbNetworkArn"

struct route_req {
	struct route_table *t;
	struct route r; /* dest and target; origin left to the caller */
};

/* Reads RouteTableId, the destination and the one target (RT-10) and loads
 * the table.  LocalTarget is read only when allow_local (ReplaceRoute). */
static int get_route_req(struct api_call *c, bool allow_local, struct route_req *ret)
{
	const char *ids[ROUTE_TARGET_COUNT] = { 0 };
	const char *rtb_id;
	size_t n_unsupported = 0;
	bool local = false;
	enum route_target target;
	int r;

	memset(ret, 0, sizeof(*ret));
	if ((r = api_get_id(c, "RouteTableId", "rtb", ERR_RTB_MALFORMED, true, &rtb_id)) < 0 ||
	    (r = get_dest(c, &ret->r.dest)) < 0)
		return r;
	for (int i = 0; i < ROUTE_TARGET_COUNT; i++) {
		if (!targets[i].param)
			continue;
		if (!targets[i].prefix)
			r = api_get_str(c, targets[i].param, false, &ids[i]);
		else
			r = api_get_id(c, targets[i].param, targets[i].prefix, targets[i].malformed,
				       false, &ids[i]);
		if (r < 0)
			return r;
	}
	/* ReplaceRoute restores the local target with LocalTarget=true (RT-9);
	 * a GatewayId of "local" names the same target. */
	if (allow_local && (r = api_get_bool(c, "LocalTarget", &local)) < 0)
		return r;
	if (ids[ROUTE_GATEWAY] && !strcmp(ids[ROUTE_GATEWAY], "local")) {
		ids[ROUTE_GATEWAY] = NULL;
		local = true;
	}
	if (local)
		ids[ROUTE_LOCAL] = "local";
	for (size_t i = 0; i < sizeof(unsupported_targets) / sizeof(unsupported_targets[0]); i++)
		n_unsupported += params_get(c->p, unsupported_targets[i]) != NULL;
	switch (route_pick_target(ids, n_unsupported, &target)) {
	case 0:
		break;
	case -ENOENT:
		return api_fail(c, ERR_MISSING_PARAMETER,
				"gatewayId, natGatewayId, instanceId, networkInterfaceId, "
				"vpcPeeringConnectionId or egressOnlyInternetGatewayId");
	case -EOPNOTSUPP:
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"Transit gateway, local gateway, carrier gateway, VPC endpoint "
				"and core network targets are not supported by localvpc");
	default:
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"The request must contain exactly one of gatewayId, natGatewayId, "
				"instanceId, networkInterfaceId, vpcPeeringConnectionId or "
				"egressOnlyInternetGatewayId");
	}
	ret->r.target = target;
	snprintf(ret->r.target_id, sizeof(ret->r.target_id), "%s", ids[target]);
	return load_rtb(c, rtb_id, &ret->t);
}

static int check_target(struct api_call *c, const struct route_req *q)
{
	if (q->r.target == ROUTE_LOCAL)
		return 0;
	return targets[q->r.target].check(c, q->t, q->r.target_id);
}

/* RT-12, RT-14, RT-15 for a route that is not the local one. */
static int check_dest(struct api_call *c, const struct route_req *q, const struct vpc_blocks *b)
{
	char buf[CIDR_STR_MAX];
	const char *dest = cidr_format(&q->r.dest, buf);

	switch (route_dest_check(b->vpc, b->n_vpc, b->subnets, b->n_subnets, &q->r.dest,
				 q->r.target)) {
	case 0:
		break;
	case -EACCES:
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "The destination CIDR block %s is equal to or more "
					     "specific than the reserved range 169.254.168.0/22.",
					     dest));
	case -EEXIST:
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "The destination CIDR block %s is a CIDR block of the "
					     "VPC: route table %s already holds its local route.",
					     dest, q->t->head.id));
	default:
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "The destination CIDR block %s is equal to or more "
					     "specific than one of this VPC's CIDR blocks. This "
					     "route can target only an interface, an instance or a "
					     "NAT gateway, for a whole subnet's CIDR block.",
					     dest));
	}
	if (q->r.target == ROUTE_LOCAL)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "The local target can only serve a CIDR "
						       "block of the VPC, not %s.", dest));
	return 0;
}

/* RT-24: a gateway route table holds only what an edge association allows. */
static int check_edge(struct api_call *c, const struct route_table *t, const struct route *r,
		      const struct vpc_blocks *b)
{
	char buf[CIDR_STR_MAX];
	if (route_edge_check(b->vpc, b->n_vpc, b->subnets, b->n_subnets, r) == 0)
		return 0;
	return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
			arena_printf(c->arena,
				     "Route table %s is associated with a gateway: its route for "
				     "%s may only target local or a network interface, for the "
				     "VPC's or a subnet's CIDR block.",
				     t->head.id, cidr_format(&r->dest, buf)));
}

/* CreateRoute, ReplaceRoute, DeleteRoute */

static int create_route(struct api_call *c)
{
	struct route_req q;
	struct vpc_blocks b;
	char buf[CIDR_STR_MAX];
	int r;

	if ((r = get_route_req(c, false, &q)) < 0 || (r = check_target(c, &q)) < 0 ||
	    (r = load_blocks(c, q.t->vpc_id, &b)) < 0 || (r = check_dest(c, &q, &b)) < 0)
		return r;
	if (rtb_is_gateway_table(q.t) && (r = check_edge(c, q.t, &q.r, &b)) < 0)
		return r;
	/* RT-11 */
	if (route_find(q.t, &q.r.dest))
		return api_fail(c, ERR_ROUTE_EXISTS, cidr_format(&q.r.dest, buf));
	/* RT-8 */
	if (route_count_static(q.t) >= c->cfg->limits.routes_per_table)
		return api_fail(c, ERR_ROUTE_LIMIT);
	if ((r = api_dry_run(c)) < 0 ||
	    (r = api_rtb_add_route(c, q.t->head.id, &q.r.dest, q.r.target, q.r.target_id)) < 0)
		return r;
	api_write_return(c);
	return 0;
}

static int replace_route(struct api_call *c)
{
	struct route_req q;
	struct vpc_blocks b;
	const struct route *have;
	char buf[CIDR_STR_MAX];
	int r;

	if ((r = get_route_req(c, true, &q)) < 0)
		return r;
	cidr_format(&q.r.dest, buf);
	have = route_find(q.t, &q.r.dest);
	/* RT-17: InvalidParameterValue, not InvalidRoute.NotFound. */
	if (!have)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "There is no route defined for '%s' in the route "
					     "table. Use CreateRoute instead.",
					     buf));
	if ((r = check_target(c, &q)) < 0 || (r = load_blocks(c, q.t->vpc_id, &b)) < 0)
		return r;
	if (route_is_local(have)) {
		/* RT-9: the local route may point at an appliance and back. */
		if (!route_local_replaceable_by(q.r.target))
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena,
						     "The local route %s of route table %s can "
						     "only target a network interface or local.",
						     buf, q.t->head.id));
	} else if ((r = check_dest(c, &q, &b)) < 0) {
		return r;
	}
	if (rtb_is_gateway_table(q.t) && (r = check_edge(c, q.t, &q.r, &b)) < 0)
		return r;
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_route_update(c->st, q.t->head.id, &q.r) < 0)
		return store_failed(c);
	api_write_return(c);
	return 0;
}

static int delete_route(struct api_call *c)
{
	const char *rtb_id;
	struct route_table *t;
	const struct route *have;
	struct cidr dest;
	char buf[CIDR_STR_MAX];
	int r;

	if ((r = api_get_id(c, "RouteTableId", "rtb", ERR_RTB_MALFORMED, true, &rtb_id)) < 0 ||
	    (r = get_dest(c, &dest)) < 0 || (r = load_rtb(c, rtb_id, &t)) < 0)
		return r;
	cidr_format(&dest, buf);
	have = route_find(t, &dest);
	/* RT-16 */
	if (!have)
		return api_fail(c, ERR_ROUTE_NOT_FOUND, buf, t->head.id);
	/* RT-9 */
	if (route_is_local(have))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "cannot remove local route %s in route "
						       "table %s", buf, t->head.id));
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_route_delete(c->st, t->head.id, &dest) < 0)
		return store_failed(c);
	api_write_return(c);
	return 0;
}

/* Associations */

static int assoc_exists(struct api_call *c, int r)
{
	return r == -ENOENT ? 0 : r < 0 ? store_failed(c) : 1;
}

/* RT-24: every route of t fits a gateway table, and t is not the main one. */
static int check_gateway_table(struct api_call *c, const struct route_table *t)
{
	struct vpc_blocks b;
	int r;

	if (rtb_main_assoc(t))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "The main route table %s cannot be "
						       "associated with a gateway.", t->head.id));
	if ((r = load_blocks(c, t->vpc_id, &b)) < 0)
		return r;
	for (size_t i = 0; i < t->n_routes; i++)
		if ((r = check_edge(c, t, &t->routes[i], &b)) < 0)
			return r;
	return 0;
}

static int associate_subnet(struct api_call *c, const struct route_table *t, const char *id,
			    struct rtb_assoc *as)
{
	struct subnet *s;
	struct rtb_assoc other;
	char other_rtb[ID_MAX];
	int r;

	if ((r = api_subnet_load(c, id, &s)) < 0)
		return r;
	/* RT-3 */
	if (strcmp(s->vpc_id, t->vpc_id) != 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Route table %s and subnet %s belong to "
						       "different networks", t->head.id, id));
	r = assoc_exists(c, store_rtb_assoc_of_subnet(c->st, id, &other, other_rtb));
	if (r < 0)
		return r;
	if (r)
		return api_fail(c, ERR_ALREADY_ASSOCIATED,
				arena_printf(c->arena,
					     "The specified association for route table %s "
					     "conflicts with an existing association %s",
					     t->head.id, other.id));
	snprintf(as->subnet_id, sizeof(as->subnet_id), "%s", id);
	return 0;
}

static int associate_gateway(struct api_call *c, const struct route_table *t, const char *id,
			     struct rtb_assoc *as)
{
	struct rtb_assoc other;
	char other_rtb[ID_MAX];
	int r;

	if ((r = check_gateway(c, t, id)) < 0)
		return r;
	r = assoc_exists(c, store_rtb_assoc_of_gateway(c->st, id, &other, other_rtb));
	if (r < 0)
		return r;
	if (r)
		return api_fail(c, ERR_ALREADY_ASSOCIATED,
				arena_printf(c->arena,
					     "The gateway %s is already associated with route "
					     "table %s", id, other_rtb));
	if ((r = check_gateway_table(c, t)) < 0)
		return r;
	snprintf(as->gateway_id, sizeof(as->gateway_id), "%s", id);
	return 0;
}

static int associate_route_table(struct api_call *c)
{
	const char *subnet_id = NULL, *gateway_id = NULL;
	struct route_table *t;
	struct rtb_assoc as = { 0 };
	int r;

	if ((r = api_get_id(c, "SubnetId", "subnet", ERR_SUBNET_MALFORMED, false,
			    &subnet_id)) < 0 ||
	    (r = api_get_str(c, "GatewayId", false, &gateway_id)) < 0)
		return r;
	if (params_get(c->p, "PublicIpv4Pool"))
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"Public IPv4 pools are not supported by localvpc");
	if (subnet_id && gateway_id)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"Only one of subnetId or gatewayId may be given");
	if (!subnet_id && !gateway_id)
		return api_fail(c, ERR_MISSING_PARAMETER, "subnetId or gatewayId");
	if ((r = get_rtb(c, "RouteTableId", &t)) < 0)
		return r;
	r = subnet_id ? associate_subnet(c, t, subnet_id, &as)
		      : associate_gateway(c, t, gateway_id, &as);
	if (r < 0 || (r = api_dry_run(c)) < 0)
		return r;
	id_new("rtbassoc", as.id);
	if (store_rtb_assoc_insert(c->st, t->head.id, &as) < 0)
		return store_failed(c);
	xml_str(c->x, "associationId", as.id);
	write_assoc_state(c);
	return 0;
}

static int get_assoc(struct api_call *c, struct rtb_assoc *ret_as, struct route_table **ret_t)
{
	const char *id;
	char rtb_id[ID_MAX];
	int r;

	if ((r = api_get_str(c, "AssociationId", true, &id)) < 0)
		return r;
	r = strlen(id) < ID_MAX ? store_rtb_assoc_get(c->st, id, ret_as, rtb_id) : -ENOENT;
	if (r == -ENOENT)
		return api_fail(c, ERR_ASSOC_NOT_FOUND, id);
	if (r < 0)
		return store_failed(c);
	return load_rtb(c, rtb_id, ret_t);
}

static int disassociate_route_table(struct api_call *c)
{
	struct rtb_assoc as;
	struct route_table *t;
	int r;

	if ((r = get_assoc(c, &as, &t)) < 0)
		return r;
	/* RT-4: the main association can only be moved, never removed. */
	if (as.is_main)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "cannot disassociate the main route table "
						       "association %s", as.id));
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_rtb_assoc_delete(c->st, as.id) < 0)
		return store_failed(c);
	api_write_return(c);
	return 0;
}

static int replace_route_table_association(struct api_call *c)
{
	struct rtb_assoc as;
	struct route_table *old, *t;
	int r;

	if ((r = get_assoc(c, &as, &old)) < 0 || (r = get_rtb(c, "RouteTableId", &t)) < 0)
		return r;
	if (strcmp(old->vpc_id, t->vpc_id) != 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena,
					     "Route table association %s and route table %s belong "
					     "to different networks", as.id, t->head.id));
	/* RT-5 moves "main" to t; RT-24: a gateway table never becomes main. */
	if (as.is_main && rtb_is_gateway_table(t))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "The gateway route table %s cannot become "
						       "the main route table.", t->head.id));
	if (as.gateway_id[0] && (r = check_gateway_table(c, t)) < 0)
		return r;
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (store_rtb_assoc_delete(c->st, as.id) < 0)
		return store_failed(c);
	id_new("rtbassoc", as.id);
	if (store_rtb_assoc_insert(c->st, t->head.id, &as) < 0)
		return store_failed(c);
	xml_str(c->x, "newAssociationId", as.id);
	write_assoc_state(c);
	return 0;
}

/* DescribeRouteTables */

static const char *const rtb_filters[] = {
	"association.main",
	"association.subnet-id",
	"association.route-table-association-id",
	"association.route-table-id",
	"association.gateway-id",
	"route-table-id",
	"route.destination-cidr-block",
	"route.destination-ipv6-cidr-block",
	"route.destination-prefix-list-id",
	"route.gateway-id",
	"route.instance-id",
	"route.nat-gateway-id",
	"route.vpc-peering-connection-id",
	"route.egress-only-internet-gateway-id",
	"route.transit-gateway-id",
	"route.origin",
	"route.state",
	"vpc-id",
	"owner-id",
	NULL,
};

static void assoc_values(struct api_call *c, const struct route_table *t, const char *name,
			 struct strv *out)
{
	for (size_t i = 0; i < t->n_assocs; i++) {
		const struct rtb_assoc *as = &t->assocs[i];
		if (!strcmp(name, "main"))
			strv_add_bool(c, out, as->is_main);
		else if (!strcmp(name, "subnet-id") && as->subnet_id[0])
			strv_add(c, out, as->subnet_id);
		else if (!strcmp(name, "route-table-association-id"))
			strv_add(c, out, as->id);
		else if (!strcmp(name, "route-table-id"))
			strv_add(c, out, t->head.id);
		else if (!strcmp(name, "gateway-id") && as->gateway_id[0])
			strv_add(c, out, as->gateway_id);
	}
}

static void route_values(struct api_call *c, const struct route_table *t, const char *name,
			 struct strv *out)
{
	char buf[CIDR_STR_MAX];
	for (size_t i = 0; i < t->n_routes; i++) {
		const struct route *r = &t->routes[i];
		if (!strcmp(name, "destination-cidr-block"))
			strv_add(c, out, arena_strdup(c->arena, cidr_format(&r->dest, buf)));
		else if (!strcmp(name, "gateway-id") &&
			 (r->target == ROUTE_GATEWAY || r->target == ROUTE_LOCAL))
			strv_add(c, out, r->target_id);
		else if (!strcmp(name, "instance-id") && r->target == ROUTE_INSTANCE)
			strv_add(c, out, r->target_id);
		else if (!strcmp(name, "instance-id") && r->target == ROUTE_NETWORK_INTERFACE &&
			 r->instance_id[0])
			strv_add(c, out, r->instance_id);
		else if (!strcmp(name, "nat-gateway-id") && r->target == ROUTE_NAT_GATEWAY)
			strv_add(c, out, r->target_id);
		else if (!strcmp(name, "vpc-peering-connection-id") &&
			 r->target == ROUTE_VPC_PEERING)
			strv_add(c, out, r->target_id);
		else if (!strcmp(name, "egress-only-internet-gateway-id") &&
			 r->target == ROUTE_EGRESS_ONLY_IGW)
			strv_add(c, out, r->target_id);
		else if (!strcmp(name, "origin"))
			strv_add(c, out, r->origin);
		else if (!strcmp(name, "state"))
			strv_add(c, out, route_state_name(r));
	}
}

static void rtb_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct route_table *t = item;
	if (!strncmp(name, "association.", 12))
		assoc_values(c, t, name + 12, out);
	else if (!strncmp(name, "route.", 6))
		route_values(c, t, name + 6, out);
	else if (!strcmp(name, "route-table-id"))
		strv_add(c, out, t->head.id);
	else if (!strcmp(name, "vpc-id"))
		strv_add(c, out, t->vpc_id);
	else if (!strcmp(name, "owner-id"))
		strv_add(c, out, c->cfg->account_id);
}

static void rtb_item(struct api_call *c, const void *item)
{
	write_rtb(c, item);
}

static int describe_route_tables(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "RouteTableId",
		.id_prefix = "rtb",
		.malformed = ERR_RTB_MALFORMED,
		.not_found = ERR_RTB_NOT_FOUND,
		.filters = rtb_filters,
		.max_results_min = 5, /* RT-23 */
		.max_results_max = 100,
		.set_name = "routeTableSet",
		.item_size = sizeof(struct route_table),
		.values = rtb_values,
		.write = rtb_item,
	};
	struct route_table *t;
	size_t n;
	if (store_rtb_list(c->st, c->arena, &t, &n) < 0)
		return store_failed(c);
	return api_describe(c, &spec, t, n);
}

const struct api_action api_route_table_actions[] = {
	{ "CreateRouteTable", create_route_table,
	  API_PARAMS("VpcId", "TagSpecification", "ClientToken") },
	{ "DeleteRouteTable", delete_route_table, API_PARAMS("RouteTableId") },
	{ "DescribeRouteTables", describe_route_tables,
	  API_PARAMS("RouteTableId", "Filter", "MaxResults", "NextToken") },
	{ "CreateRoute", create_route,
	  API_PARAMS("RouteTableId", "DestinationCidrBlock", "DestinationIpv6CidrBlock",
		     "DestinationPrefixListId", TARGET_PARAMS) },
	{ "ReplaceRoute", replace_route,
	  API_PARAMS("RouteTableId", "DestinationCidrBlock", "DestinationIpv6CidrBlock",
		     "DestinationPrefixListId", "LocalTarget", TARGET_PARAMS) },
	{ "DeleteRoute", delete_route,
	  API_PARAMS("RouteTableId", "DestinationCidrBlock", "DestinationIpv6CidrBlock",
		     "DestinationPrefixListId") },
	{ "AssociateRouteTable", associate_route_table,
	  API_PARAMS("RouteTableId", "SubnetId", "GatewayId", "PublicIpv4Pool") },
	{ "DisassociateRouteTable", disassociate_route_table, API_PARAMS("AssociationId") },
	{ "ReplaceRouteTableAssociation", replace_route_table_association,
	  API_PARAMS("AssociationId", "RouteTableId") },
	{ NULL, NULL, NULL },
};
