// SPDX-License-Identifier: MIT
/* Route tables, their routes and associations (spec RT-1..24).  Pure data
 * plus AWS's rules for which routes may be created. */
#ifndef MODEL_ROUTE_TABLE_H
#define MODEL_ROUTE_TABLE_H
#include <stdbool.h>
#include <stddef.h>

#include "model/resource.h"
#include "util/cidr.h"

enum route_target {
	ROUTE_LOCAL,
	ROUTE_GATEWAY,           /* igw-… (or vgw-…) */
	ROUTE_NAT_GATEWAY,
	ROUTE_INSTANCE,          /* stored as the instance's ENI plus the instance ID */
	ROUTE_NETWORK_INTERFACE,
	ROUTE_VPC_PEERING,
	ROUTE_EGRESS_ONLY_IGW,
	ROUTE_TARGET_COUNT
};

struct route {
	struct cidr dest;
	enum route_target target;
	char target_id[ID_MAX];   /* "local" for ROUTE_LOCAL */
	const char *origin;       /* "CreateRouteTable" | "CreateRoute" */
	bool is_blackhole;        /* derived when loading: the target is gone or unusable */
};

struct rtb_assoc {
	char id[ID_MAX];          /* rtbassoc-… */
	char subnet_id[ID_MAX];   /* "" for the main association */
	char gateway_id[ID_MAX];  /* "" unless an edge association */
	bool is_main;
};

struct route_table {
	struct res_head head;
	char vpc_id[ID_MAX];
	struct route *routes;
	size_t n_routes;
	struct rtb_assoc *assocs;
	size_t n_assocs;
};

/* The name used in the store and in filters for a target type ("gateway"…). */
const char *route_target_name(enum route_target t);
int route_target_parse(const char *s, enum route_target *ret);

#endif
