// SPDX-License-Identifier: MIT
/* Network ACLs over the EC2 Query API (spec §8): what other families call. */
#ifndef API_NETWORK_ACL_H
#define API_NETWORK_ACL_H

struct api_call;
struct vpc;
struct subnet;

/* NACL-8: creates the VPC's default ACL (rule 100 allow all both ways).
 * Fails the call. */
int api_nacl_create_default(struct api_call *c, const struct vpc *v);
/* NACL-10: associates a new subnet with its VPC's default ACL.  Fails the call. */
int api_nacl_associate_default(struct api_call *c, const struct subnet *s);
/* DeleteVpc: removes the VPC's ACLs (only the default one can be left).
 * Fails the call. */
int api_nacl_delete_in_vpc(struct api_call *c, const char *vpc_id);

#endif
