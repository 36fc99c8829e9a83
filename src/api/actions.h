// SPDX-License-Identifier: MIT
/* The action table: each resource family file exports a NULL-terminated
 * array of its actions; dispatch.c looks an Action up across them.  An
 * action lists the top-level parameter names it accepts (the part before the
 * first '.'); anything else is UnknownParameter before the handler runs. */
#ifndef API_ACTIONS_H
#define API_ACTIONS_H
#include <stdbool.h>

struct api_call;

struct api_action {
	const char *name;                   /* "CreateVpc" */
	int (*fn)(struct api_call *c);      /* 0, or the failure recorded by api_fail() */
	const char *const *params;          /* NULL-terminated; DryRun is always allowed */
};

#define API_PARAMS(...) ((const char *const[]){ __VA_ARGS__ __VA_OPT__(, ) NULL })

extern const struct api_action api_vpc_actions[];
extern const struct api_action api_subnet_actions[];
extern const struct api_action api_route_table_actions[];
extern const struct api_action api_igw_actions[];
extern const struct api_action api_tag_actions[];
extern const struct api_action api_region_actions[];
extern const struct api_action api_default_vpc_actions[];
extern const struct api_action api_instance_actions[];
extern const struct api_action api_instance_state_actions[];
extern const struct api_action api_instance_attribute_actions[];
extern const struct api_action api_image_actions[];
extern const struct api_action api_key_pair_actions[];
extern const struct api_action api_security_group_actions[];
extern const struct api_action api_network_acl_actions[];
extern const struct api_action api_network_interface_actions[];
extern const struct api_action api_address_actions[];
extern const struct api_action api_nat_gateway_actions[];
extern const struct api_action api_peering_actions[];
extern const struct api_action api_flow_log_actions[];
extern const struct api_action api_network_insights_actions[];

/* Returns the action named name, or NULL. */
const struct api_action *api_action_find(const char *name);

#endif
