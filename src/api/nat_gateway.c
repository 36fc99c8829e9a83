// SPDX-License-Identifier: MIT
/* NAT gateways over the EC2 Query API (spec §10): Create, Delete, Describe.
 * A gateway is a natgw row plus a requester-managed ENI in its subnet (a
 * public one with its Elastic IP on that ENI); the reconciler builds the
 * data path from them after the call commits, so a valid gateway is stored
 * `available` at once while the Create answer says `pending` (GEN-4).  What
 * AWS only finds out asynchronously becomes a `failed` gateway (NAT-6). */
#include "api/nat_gateway.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/actions.h"
#include "api/address.h"
#include "api/call.h"
#include "api/describe.h"
#include "api/instance.h"
#include "api/subnet.h"
#include "model/instance.h"
#include "model/nat_gateway.h"
#include "model/subnet.h"
#include "store/igw.h"
#include "store/instance.h"
#include "store/nat_gateway.h"
#include "store/store.h"
#include "util/arena.h"

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

static const char *iso(struct api_call *c, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	return arena_strdup(c->arena, buf);
}

/* NAT-3: deleted and failed gateways vanish after a while. */
static bool visible(const struct api_call *c, const struct nat_gateway *g)
{
	if (g->state != NATGW_DELETED && g->state != NATGW_FAILED)
		return true;
	return g->delete_time > (int64_t)c->now - (int64_t)c->cfg->limits.natgw_gone_after_s;
}

/* Every visible gateway, in creation order (arena). */
static int list_visible(struct api_call *c, struct nat_gateway **ret, size_t *ret_n)
{
	struct nat_gateway *v;
	size_t n, k = 0;
	if (store_natgw_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	for (size_t i = 0; i < n; i++)
		if (visible(c, &v[i]))
			v[k++] = v[i];
	*ret = v;
	*ret_n = k;
	return 0;
}

int api_natgw_load(struct api_call *c, const char *id, enum api_err not_found,
		   struct nat_gateway **ret)
{
	struct nat_gateway *v;
	size_t n;
	int r = list_visible(c, &v, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].head.id, id)) {
			*ret = &v[i];
			return 0;
		}
	return api_fail(c, not_found, id);
}

/* One natGatewayAddressSet item.  The Create answer (pending) shows what
 * AWS shows then: the allocation only. */
static void write_address(struct api_call *c, const struct nat_gateway *g, bool pending)
{
	char buf[IP4_STR_MAX];
	xml_open(c->x, "natGatewayAddressSet");
	xml_open(c->x, "item");
	if (!g->is_private)
		xml_str(c->x, "allocationId", g->allocation_id);
	if (!pending && g->eni_id[0]) {
		xml_str(c->x, "networkInterfaceId", g->eni_id);
		xml_str(c->x, "privateIp", ip4_format(g->private_ip, buf));
		if (!g->is_private && g->public_ip)
			xml_str(c->x, "publicIp", ip4_format(g->public_ip, buf));
		if (!g->is_private && g->state == NATGW_AVAILABLE) {
			const struct eip *p = api_eip_of_eni(c, g->eni_id);
			if (p)
				xml_str(c->x, "associationId", p->association_id);
		}
	}
	xml_bool(c->x, "isPrimary", true);
	const char *status = g->is_private ? "assigning" : "associating";
	if (!pending && g->state == NATGW_AVAILABLE)
		status = "succeeded";
	else if (!pending && g->state == NATGW_FAILED)
		status = "failed";
	else if (!pending)
		status = g->is_private ? "unassigning" : "disassociated";
	xml_str(c->x, "status", status);
	xml_close(c->x);
	xml_close(c->x);
}

static void write_natgw(struct api_call *c, const struct nat_gateway *g, bool pending)
{
	xml_str(c->x, "createTime", iso(c, g->create_time));
	if (!pending && g->delete_time)
		xml_str(c->x, "deleteTime", iso(c, g->delete_time));
	if (!pending && g->failure_code) {
		xml_str(c->x, "failureCode", g->failure_code);
		xml_str(c->x, "failureMessage", g->failure_message);
	}
	write_address(c, g, pending);
	xml_str(c->x, "natGatewayId", g->head.id);
	xml_str(c->x, "state", pending ? "pending" : natgw_state_name(g->state));
	xml_str(c->x, "subnetId", g->subnet_id);
	xml_str(c->x, "vpcId", g->vpc_id);
	api_write_tags(c, &g->head.tags);
	xml_str(c->x, "connectivityType", g->is_private ? "private" : "public");
}

/* CreateNatGateway */

struct create_args {
	const char *subnet_id, *alloc_id, *token;
	bool is_private;
	uint32_t private_ip;
	struct tag_list tags;
};

static int get_create_args(struct api_call *c, struct create_args *a)
{
	const char *conn = NULL;
	int r;
	if ((r = api_get_id(c, "SubnetId", "subnet", ERR_SUBNET_MALFORMED, true, &a->subnet_id)) <
		    0 ||
	    (r = api_get_id(c, "AllocationId", "eipalloc", ERR_EIP_ALLOC_MALFORMED, false,
			    &a->alloc_id)) < 0 ||
	    (r = api_get_str(c, "ConnectivityType", false, &conn)) < 0 ||
	    (r = api_get_ip(c, "PrivateIpAddress", false, &a->private_ip)) < 0 ||
	    (r = api_get_str(c, "ClientToken", false, &a->token)) < 0 ||
	    (r = api_get_tag_specs(c, "natgateway", &a->tags)) < 0)
		return r;
	if (conn && strcmp(conn, "public") && strcmp(conn, "private"))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid value '%s' for ConnectivityType",
					     conn));
	a->is_private = conn && !strcmp(conn, "private");
	if (a->token && (!a->token[0] || strlen(a->token) > API_CLIENT_TOKEN_MAX))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"ClientToken must be 1 to 64 characters");
	/* NAT-1: a public gateway needs an Elastic IP, a private one has none. */
	if (!a->is_private && !a->alloc_id)
		return api_fail(c, ERR_MISSING_PARAMETER, "AllocationId");
	if (a->is_private && a->alloc_id)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"An Elastic IP allocation cannot be used with a private NAT "
				"gateway");
	return 0;
}

/* API-17: a token seen before answers with its gateway; other parameters
 * with the same token are a mismatch. */
static int replay(struct api_call *c, const struct create_args *a, bool *done)
{
	const char *id;
	struct nat_gateway *g;
	*done = false;
	int r = store_natgw_by_token(c->st, c->arena, a->token, &id);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return internal(c);
	if ((r = api_natgw_load(c, id, ERR_NATGW_UNKNOWN, &g)) < 0)
		return r;
	if (strcmp(g->subnet_id, a->subnet_id) || g->is_private != a->is_private ||
	    strcmp(g->allocation_id, a->alloc_id ? a->alloc_id : ""))
		return api_fail(c, ERR_IDEMPOTENT_MISMATCH,
				arena_printf(c->arena, "The client token %s was used with other "
						       "parameters", a->token));
	if ((r = api_dry_run(c)) < 0)
		return r;
	xml_str(c->x, "clientToken", a->token);
	xml_open(c->x, "natGateway");
	write_natgw(c, g, false);
	xml_close(c->x);
	*done = true;
	return 0;
}

/* NAT-6: what AWS reports by failing the gateway rather than the call.
 * Returns the failure code (message in *ret_msg) or NULL. */
static const char *async_failure(struct api_call *c, const struct create_args *a,
				 const struct subnet *s, const struct eip *p, const char **ret_msg,
				 int *ret_err)
{
	struct igw *g;
	*ret_err = 0;
	if (!a->private_ip && subnet_available_addrs(s) == 0) {
		*ret_msg = "Subnet has insufficient free addresses to create this NAT gateway";
		return "InsufficientFreeAddressesInSubnet";
	}
	if (a->is_private)
		return NULL;
	int r = store_igw_of_vpc(c->st, c->arena, s->vpc_id, &g);
	if (r == -ENOENT) {
		*ret_msg = arena_printf(c->arena, "Network %s has no Internet gateway attached",
					s->vpc_id);
		return "Gateway.NotAttached";
	}
	if (r < 0) {
		*ret_err = internal(c);
		return NULL;
	}
	if (p->association_id[0]) {
		*ret_msg = arena_printf(c->arena, "Elastic IP address %s is already associated",
					p->head.id);
		return "Resource.AlreadyAssociated";
	}
	return NULL;
}

/* The requester-managed interface of the gateway (NAT-2): no instance, no
 * security groups, source/destination check off. */
static int make_eni(struct api_call *c, const struct subnet *s, struct nat_gateway *g,
		    uint32_t ip, struct eni **ret)
{
	int r;
	if (!ip && (r = api_private_ip_alloc(c, s, NULL, 0, &ip)) < 0)
		return r;
	struct eni *e = arena_alloc(c->arena, sizeof(*e));
	id_new("eni", e->head.id);
	memcpy(e->subnet_id, s->head.id, sizeof(e->subnet_id));
	memcpy(e->vpc_id, s->vpc_id, sizeof(e->vpc_id));
	memcpy(e->az, s->az, sizeof(e->az));
	e->private_ip = ip;
	api_mac_new(e->mac);
	e->device_index = -1;
	e->source_dest_check = false;
	e->description = arena_printf(c->arena, "Interface for NAT Gateway %s", g->head.id);
	e->interface_type = "nat_gateway";
	if (store_eni_insert(c->st, e) < 0)
		return internal(c);
	memcpy(g->eni_id, e->head.id, sizeof(g->eni_id));
	g->private_ip = ip;
	*ret = e;
	return 0;
}

static int create_natgw(struct api_call *c)
{
	struct create_args a;
	struct subnet *s;
	struct eip *p = NULL;
	size_t n;
	int r;

	memset(&a, 0, sizeof(a));
	if ((r = get_create_args(c, &a)) < 0 || (r = api_subnet_load(c, a.subnet_id, &s)) < 0)
		return r;
	/* Gateways past their hour go first, tokens with them (rolled back
	 * with the call if it fails). */
	if (store_natgw_purge(c->st, (int64_t)c->now - c->cfg->limits.natgw_gone_after_s + 1) < 0)
		return internal(c);
	if (a.token) {
		bool done;
		if ((r = replay(c, &a, &done)) < 0 || done)
			return r;
	}
	if (a.alloc_id && (r = api_eip_load(c, a.alloc_id, &p)) < 0)
		return r;
	if (a.private_ip && (r = api_private_ip_check(c, s, a.private_ip)) < 0)
		return r;
	if (store_natgw_count_live_in_az(c->st, s->az, &n) < 0)
		return internal(c);
	if (n >= c->cfg->limits.natgws_per_az) /* NAT-15 */
		return api_fail(c, ERR_NATGW_LIMIT);
	const char *msg = NULL;
	const char *code = async_failure(c, &a, s, p, &msg, &r);
	if (r < 0 || (r = api_dry_run(c)) < 0)
		return r;

	struct nat_gateway *g = arena_alloc(c->arena, sizeof(*g));
	id_new("nat", g->head.id);
	memcpy(g->subnet_id, s->head.id, sizeof(g->subnet_id));
	memcpy(g->vpc_id, s->vpc_id, sizeof(g->vpc_id));
	g->is_private = a.is_private;
	if (p)
		memcpy(g->allocation_id, p->head.id, sizeof(g->allocation_id));
	g->create_time = c->now;
	g->head.tags = a.tags;
	if (code) {
		g->state = NATGW_FAILED;
		g->failure_code = code;
		g->failure_message = msg;
		g->delete_time = c->now; /* AWS removes a failed gateway itself */
	} else {
		struct eni *e = NULL;
		g->state = NATGW_AVAILABLE;
		if ((r = make_eni(c, s, g, a.private_ip, &e)) < 0)
			return r;
		if (p && (r = api_eip_associate(c, p, e)) < 0)
			return r;
		g->public_ip = p ? p->public_ip : 0;
	}
	if (store_natgw_insert(c->st, g, a.token) < 0 ||
	    store_tags_set(c->st, g->head.id, &g->head.tags) < 0)
		return internal(c);
	if (a.token)
		xml_str(c->x, "clientToken", a.token);
	xml_open(c->x, "natGateway");
	write_natgw(c, g, true); /* GEN-4: the answer says pending */
	xml_close(c->x);
	return 0;
}

/* DeleteNatGateway */

static int delete_natgw(struct api_call *c)
{
	const char *id;
	struct nat_gateway *g;
	int r;
	if ((r = api_get_id(c, "NatGatewayId", "nat", ERR_NATGW_MALFORMED, true, &id)) < 0 ||
	    (r = api_natgw_load(c, id, ERR_NATGW_UNKNOWN, &g)) < 0 || (r = api_dry_run(c)) < 0)
		return r;
	if (g->state != NATGW_DELETED && g->state != NATGW_FAILED) {
		/* NAT-4: the ENI goes; the EIP is disassociated, not released
		 * (store_eni_delete clears the association). */
		if (g->eni_id[0] && store_eni_delete(c->st, g->eni_id) < 0)
			return internal(c);
		g->state = NATGW_DELETED;
		g->delete_time = c->now;
		if (store_natgw_set_state(c->st, g) < 0)
			return internal(c);
	}
	xml_str(c->x, "natGatewayId", id);
	return 0;
}

/* DescribeNatGateways */

static const char *const natgw_filters[] = {
	"nat-gateway-id", "state", "subnet-id", "vpc-id", NULL,
};

static void natgw_values(struct api_call *c, const void *item, const char *name,
			 struct strv *out)
{
	const struct nat_gateway *g = item;
	if (!strcmp(name, "nat-gateway-id"))
		strv_add(c, out, g->head.id);
	else if (!strcmp(name, "state"))
		strv_add(c, out, natgw_state_name(g->state));
	else if (!strcmp(name, "subnet-id"))
		strv_add(c, out, g->subnet_id);
	else if (!strcmp(name, "vpc-id"))
		strv_add(c, out, g->vpc_id);
}

static void natgw_item(struct api_call *c, const void *item)
{
	write_natgw(c, item, false);
}

static int describe_natgws(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "NatGatewayId",
		.id_prefix = "nat",
		.malformed = ERR_NATGW_MALFORMED,
		.not_found = ERR_NATGW_UNKNOWN, /* the waiters expect NatGatewayNotFound */
		.filters = natgw_filters,
		.max_results_min = 5,
		.max_results_max = 1000,
		.set_name = "natGatewaySet",
		.item_size = sizeof(struct nat_gateway),
		.values = natgw_values,
		.write = natgw_item,
	};
	struct nat_gateway *v;
	size_t n;
	int r = list_visible(c, &v, &n);
	return r < 0 ? r : api_describe(c, &spec, v, n);
}

const struct api_action api_nat_gateway_actions[] = {
	{ "CreateNatGateway", create_natgw,
	  API_PARAMS("SubnetId", "AllocationId", "ConnectivityType", "PrivateIpAddress",
		     "ClientToken", "TagSpecification") },
	{ "DeleteNatGateway", delete_natgw, API_PARAMS("NatGatewayId") },
	{ "DescribeNatGateways", describe_natgws,
	  API_PARAMS("NatGatewayId", "Filter", "MaxResults", "NextToken") },
	{ NULL, NULL, NULL },
};
