// SPDX-License-Identifier: MIT
/* Lookups in a snapshot that compile/'s files share: which subnet, route
 * table, gateway or ENI.  Linear: a snapshot holds one daemon's resources.
 * Internal to compile/; every decision is semantics/'s (semantics/snap.h,
 * semantics/route.h).  Pure. */
#ifndef COMPILE_LOOKUP_H
#define COMPILE_LOOKUP_H
#include <stdbool.h>

#include "model/snapshot.h"

/* Each returns the resource with that ID, or NULL. */
const struct subnet *lookup_subnet(const struct snapshot *s, const char *id);
const struct instance *lookup_instance(const struct snapshot *s, const char *id);
const struct igw *lookup_igw_of_vpc(const struct snapshot *s, const char *vpc_id);
/* The route table a subnet uses (RT-2): its explicit association or the main.
 */
const struct route_table *lookup_rtb_of_subnet(const struct snapshot *s, const struct subnet *sn);
/* An ENI is alive while it exists and its instance is not terminated
 * (semantics: sem_eni_alive). */
bool lookup_eni_wired(const struct snapshot *s, const struct eni *e);
/* The instance's ENI with device index 0, or NULL. */
const struct eni *lookup_primary_eni(const struct snapshot *s, const char *instance_id);
const struct eni *lookup_eni(const struct snapshot *s, const char *id);
const struct vpc *lookup_vpc(const struct snapshot *s, const char *id);
const struct nat_gateway *lookup_natgw(const struct snapshot *s, const char *id);
/* The available NAT gateway that owns ENI e, or NULL. */
const struct nat_gateway *lookup_natgw_of_eni(const struct snapshot *s, const struct eni *e);
const struct peering *lookup_pcx(const struct snapshot *s, const char *id);
/* The other VPC of an active peering p that vpc_id is part of, or NULL. */
const char *lookup_pcx_peer(const struct peering *p, const char *vpc_id);
/* True when an active peering joins VPCs a and b (SG-10: group references). */
bool lookup_vpcs_peered(const struct snapshot *s, const char *a, const char *b);

#endif
