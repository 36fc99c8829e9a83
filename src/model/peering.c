// SPDX-License-Identifier: MIT
/* Peering states by name; see peering.h.  Pure. */
#include "model/peering.h"

#include <errno.h>
#include <string.h>

static const char *const names[PCX_STATE_COUNT] = {
	[PCX_INITIATING_REQUEST] = "initiating-request",
	[PCX_PENDING_ACCEPTANCE] = "pending-acceptance",
	[PCX_ACTIVE] = "active",
	[PCX_REJECTED] = "rejected",
	[PCX_EXPIRED] = "expired",
	[PCX_DELETED] = "deleted",
	[PCX_FAILED] = "failed",
	[PCX_PROVISIONING] = "provisioning",
	[PCX_DELETING] = "deleting",
};

const char *pcx_state_name(enum pcx_state s)
{
	return s < PCX_STATE_COUNT ? names[s] : "failed";
}

int pcx_state_parse(const char *s, enum pcx_state *ret)
{
	for (int i = 0; i < PCX_STATE_COUNT; i++)
		if (!strcmp(s, names[i])) {
			*ret = (enum pcx_state)i;
			return 0;
		}
	return -EINVAL;
}
