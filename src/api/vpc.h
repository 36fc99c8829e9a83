// SPDX-License-Identifier: MIT
/* VPC pieces other API families call. */
#ifndef API_VPC_H
#define API_VPC_H
#include <stdbool.h>

struct api_call;
struct vpc;
struct cidr;
struct tag_list;

/* Creates a VPC with everything AWS creates along with it (VPC-4): the
 * primary block association, the main route table, and (with later
 * issues) the default network ACL and security group.  *ret on the arena. */
int api_vpc_create(struct api_call *c, const struct cidr *block, const char *tenancy,
		   bool is_default, const struct tag_list *tags, struct vpc **ret);
/* Loads a VPC by ID, failing the call with InvalidVpcID.NotFound. */
int api_vpc_load(struct api_call *c, const char *id, struct vpc **ret);
/* Writes the <vpc> fields of v (inside an already open element). */
void api_vpc_write(struct api_call *c, const struct vpc *v, const char *state);
/* The account's default DHCP options set ID, created on first use. */
int api_dhcp_options_default(struct api_call *c, const char **ret);

#endif
