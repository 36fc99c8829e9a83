// SPDX-License-Identifier: MIT
/* Network ACLs over the EC2 Query API (spec §8).  TODO-HELPER: the actions. */
#include "api/network_acl.h"

#include <stddef.h>

#include "api/actions.h"
#include "api/call.h"

int api_nacl_create_default(struct api_call *c, const struct vpc *v)
{
	(void)c; /* TODO-HELPER */
	(void)v;
	return 0;
}

int api_nacl_associate_default(struct api_call *c, const struct subnet *s)
{
	(void)c; /* TODO-HELPER */
	(void)s;
	return 0;
}

int api_nacl_delete_in_vpc(struct api_call *c, const char *vpc_id)
{
	(void)c; /* TODO-HELPER */
	(void)vpc_id;
	return 0;
}

const struct api_action api_network_acl_actions[] = {
	{ NULL, NULL, NULL },
};
