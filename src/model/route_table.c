// SPDX-License-Identifier: MIT
/* Route-table names and rules; see route_table.h.  Pure. */
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
