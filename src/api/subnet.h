// SPDX-License-Identifier: MIT
/* Subnet pieces other API families call. */
#ifndef API_SUBNET_H
#define API_SUBNET_H
#include <stdbool.h>

struct api_call;
struct vpc;
struct cidr;
struct subnet;
struct tag_list;

/* Creates a subnet in v (already validated by the caller) in zone az_index
 * of the served region.  *ret on the arena. */
int api_subnet_create(struct api_call *c, const struct vpc *v, const struct cidr *block,
		      int az_index, bool default_for_az, const struct tag_list *tags,
		      struct subnet **ret);
/* Loads a subnet by ID, failing the call with InvalidSubnetID.NotFound. */
int api_subnet_load(struct api_call *c, const char *id, struct subnet **ret);
/* Creates the default subnet of zone az_index in the default VPC v:
 * the next free /20 (VPC-13). */
int api_subnet_create_default(struct api_call *c, const struct vpc *v, int az_index,
			      struct subnet **ret);

#endif
