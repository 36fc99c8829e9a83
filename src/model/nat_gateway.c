// SPDX-License-Identifier: MIT
/* NAT gateway states by name; see nat_gateway.h.  Pure. */
#include "model/nat_gateway.h"

#include <errno.h>
#include <string.h>

static const char *const names[NATGW_STATE_COUNT] = {
	[NATGW_PENDING] = "pending",   [NATGW_AVAILABLE] = "available",
	[NATGW_DELETING] = "deleting", [NATGW_DELETED] = "deleted",
	[NATGW_FAILED] = "failed",
};

const char *natgw_state_name(enum natgw_state s)
{
	return s < NATGW_STATE_COUNT ? names[s] : "failed";
}

int natgw_state_parse(const char *s, enum natgw_state *ret)
{
	for (int i = 0; i < NATGW_STATE_COUNT; i++)
		if (!strcmp(s, names[i])) {
			*ret = (enum natgw_state)i;
			return 0;
		}
	return -EINVAL;
}
