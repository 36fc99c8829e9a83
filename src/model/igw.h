// SPDX-License-Identifier: MIT
/* Internet gateways (spec IGW-1..15): attached to at most one VPC. */
#ifndef MODEL_IGW_H
#define MODEL_IGW_H
#include "model/resource.h"

struct igw {
	struct res_head head;
	char vpc_id[ID_MAX]; /* "" when detached */
};

#endif
