// SPDX-License-Identifier: MIT
/* Security groups over the EC2 Query API (spec §7).  TODO-HELPER: the actions. */
#include "api/security_group.h"

#include <stddef.h>

#include "api/actions.h"
#include "api/call.h"
#include "model/vpc.h"
#include "store/security_group.h"
#include "util/id.h"

int api_sg_create_default(struct api_call *c, const struct vpc *v)
{
	char sg[ID_MAX];
	id_new("sg", sg);
	if (store_sg_insert(c->st, sg, v->head.id, "default", "default VPC security group") < 0)
		return api_fail(c, ERR_INTERNAL);
	return 0;
}

int api_sg_delete_in_vpc(struct api_call *c, const char *vpc_id)
{
	return store_sg_delete_in_vpc(c->st, vpc_id) < 0 ? api_fail(c, ERR_INTERNAL) : 0;
}

const struct api_action api_security_group_actions[] = {
	{ NULL, NULL, NULL },
};
