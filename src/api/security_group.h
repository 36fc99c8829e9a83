// SPDX-License-Identifier: MIT
/* Security groups over the EC2 Query API (spec §7): what other families call. */
#ifndef API_SECURITY_GROUP_H
#define API_SECURITY_GROUP_H

struct api_call;
struct vpc;

/* SG-3: creates the VPC's default group with AWS's default rules (inbound
 * all from itself, outbound all to 0.0.0.0/0).  Fails the call. */
int api_sg_create_default(struct api_call *c, const struct vpc *v);
/* DeleteVpc: removes every group of the VPC and their rules.  Fails the call. */
int api_sg_delete_in_vpc(struct api_call *c, const char *vpc_id);

#endif
