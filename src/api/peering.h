// SPDX-License-Identifier: MIT
/* VPC peering as other API families need it: route targets, security-group
 * references across a peering, DeleteVpc. */
#ifndef API_PEERING_H
#define API_PEERING_H
#include <stdbool.h>

struct api_call;
struct peering;

/* PCX-2, lazily: pending-acceptance requests past their time become
 * expired.  Call before reading peerings.  Returns 0 or fails the call. */
int api_pcx_refresh(struct api_call *c);
/* The visible peering `id` (arena).  Returns 0, or fails the call with
 * InvalidVpcPeeringConnectionID.NotFound. */
int api_pcx_load(struct api_call *c, const char *id, struct peering **ret);
/* The newest peering joining vpc_a and vpc_b (either direction): an active
 * one when active_only, else the newest of any state.  Returns 0, -ENOENT
 * (call not failed), or fails the call on a store error. */
int api_pcx_between(struct api_call *c, const char *vpc_a, const char *vpc_b, bool active_only,
		    struct peering **ret);
/* VPC-11: DeleteVpc ends every pending or active peering of the VPC (AWS
 * deletes an active peering with its VPC).  Returns 0 or fails the call. */
int api_pcx_delete_in_vpc(struct api_call *c, const char *vpc_id);

#endif
