// SPDX-License-Identifier: MIT
/* Route-table pieces other families call: the main table a new VPC gets
 * (RT-1, RT-7) and the local route each new VPC block adds (VPC-5). */
#ifndef API_ROUTE_TABLE_H
#define API_ROUTE_TABLE_H
#include "model/route_table.h"

struct api_call;
struct vpc;
struct cidr;

/* Creates v's main route table with one local route per block and the main
 * association.  Fails the call on a store error. */
int api_rtb_create_main(struct api_call *c, const struct vpc *v);
/* Adds a local route for block to every route table of the VPC. */
int api_rtb_add_local_routes(struct api_call *c, const char *vpc_id, const struct cidr *block);
/* Removes the local route for block from every route table of the VPC. */
int api_rtb_remove_local_routes(struct api_call *c, const char *vpc_id, const struct cidr *block);
/* Deletes every route table of the VPC (DeleteVpc, after its checks). */
int api_rtb_delete_all_in_vpc(struct api_call *c, const char *vpc_id);

/* Adds a CreateRoute-origin route; RouteAlreadyExists on a duplicate.  No
 * target validation: callers have done it. */
int api_rtb_add_route(struct api_call *c, const char *rtb_id, const struct cidr *dest,
		      enum route_target target, const char *target_id);
/* The ID of the VPC's main route table (arena). */
int api_rtb_main_of_vpc(struct api_call *c, const char *vpc_id, const char **ret);

#endif
