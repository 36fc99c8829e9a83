// SPDX-License-Identifier: MIT
/* Route-table names and AWS's rules for routes; see route_table.h.  Pure:
 * the callers bring the VPC's blocks and subnets, this file only decides. */
#include "model/route_table.h"

#include <errno.h>
#include <string.h>

static const char *const target_names[ROUTE_TARGET_COUNT] = {
	[ROUTE_LOCAL] = "local",
	[ROUTE_GATEWAY] = "gateway",
	[ROUTE_NAT_GATEWAY] = "nat-gateway",
	[ROUTE_INSTANCE] = "instance",
	[ROUTE_NETWORK_INTERFACE] = "network-interface",
	[ROUTE_VPC_PEERING] = "vpc-peering-connection",
	[ROUTE_EGRESS_ONLY_IGW] = "egress-only-internet-gateway",
};

const char *route_target_name(enum route_target t)
{
	return t < ROUTE_TARGET_COUNT ? target_names[t] : "local";
}

int route_target_parse(const char *s, enum route_target *ret)
{
	for (int i = 0; i < ROUTE_TARGET_COUNT; i++) {
		if (strcmp(s, target_names[i]) == 0) {
			*ret = (enum route_target)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *route_state_name(const struct route *r)
{
	return r->is_blackhole ? "blackhole" : "active";
}

int route_pick_target(const char *const ids[ROUTE_TARGET_COUNT], size_t n_unsupported,
		      enum route_target *ret)
{
	size_t n = n_unsupported;
	enum route_target t = ROUTE_LOCAL;

	for (int i = 0; i < ROUTE_TARGET_COUNT; i++) {
		if (ids[i]) {
			t = (enum route_target)i;
			n++;
		}
	}
	if (n == 0)
		return -ENOENT;
	if (n > 1)
		return -EINVAL;
	if (n_unsupported)
		return -EOPNOTSUPP;
	*ret = t;
	return 0;
}

static bool equals_any(const struct cidr *blocks, size_t n, const struct cidr *c)
{
	for (size_t i = 0; i < n; i++)
		if (cidr_equal(&blocks[i], c))
			return true;
	return false;
}

static bool inside_any(const struct cidr *blocks, size_t n, const struct cidr *c)
{
	for (size_t i = 0; i < n; i++)
		if (cidr_contains(&blocks[i], c))
			return true;
	return false;
}

int route_dest_check(const struct cidr *vpc_blocks, size_t n_blocks,
		     const struct cidr *subnet_blocks, size_t n_subnets, const struct cidr *dest,
		     enum route_target target)
{
	const struct cidr reserved = { ROUTE_RESERVED_ADDR, ROUTE_RESERVED_LEN };

	/* AWS RT-15: a route covering the /22 is fine, one inside it is not. */
	if (cidr_contains(&reserved, dest))
		return -EACCES;
	if (equals_any(vpc_blocks, n_blocks, dest))
		return -EEXIST;
	if (!inside_any(vpc_blocks, n_blocks, dest))
		return 0;
	/* AWS RT-14 (middlebox routing): more specific than the local route
	 * only for a whole subnet, and only towards an appliance.  An instance
	 * target counts: AWS stores it as the instance's ENI. */
	if (target != ROUTE_NAT_GATEWAY && target != ROUTE_NETWORK_INTERFACE &&
	    target != ROUTE_INSTANCE)
		return -ERANGE;
	return equals_any(subnet_blocks, n_subnets, dest) ? 0 : -ERANGE;
}

bool route_local_replaceable_by(enum route_target target)
{
	return target == ROUTE_LOCAL || target == ROUTE_NETWORK_INTERFACE;
}

int route_edge_check(const struct cidr *vpc_blocks, size_t n_blocks,
		     const struct cidr *subnet_blocks, size_t n_subnets, const struct route *r)
{
	if (r->target != ROUTE_LOCAL && r->target != ROUTE_NETWORK_INTERFACE)
		return -EINVAL;
	if (!equals_any(vpc_blocks, n_blocks, &r->dest) &&
	    !equals_any(subnet_blocks, n_subnets, &r->dest))
		return -EINVAL;
	return 0;
}

const struct route *route_find(const struct route_table *t, const struct cidr *dest)
{
	for (size_t i = 0; i < t->n_routes; i++)
		if (cidr_equal(&t->routes[i].dest, dest))
			return &t->routes[i];
	return NULL;
}

bool route_is_local(const struct route *r)
{
	return r->target == ROUTE_LOCAL ||
	       (r->origin && strcmp(r->origin, ROUTE_ORIGIN_TABLE) == 0);
}

size_t route_count_static(const struct route_table *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n_routes; i++)
		n += !route_is_local(&t->routes[i]);
	return n;
}

const struct rtb_assoc *rtb_main_assoc(const struct route_table *t)
{
	for (size_t i = 0; i < t->n_assocs; i++)
		if (t->assocs[i].is_main)
			return &t->assocs[i];
	return NULL;
}

bool rtb_is_gateway_table(const struct route_table *t)
{
	for (size_t i = 0; i < t->n_assocs; i++)
		if (t->assocs[i].gateway_id[0])
			return true;
	return false;
}
