// SPDX-License-Identifier: MIT
/* Finding things in a snapshot, and the facts about them that decide what
 * happens to a packet: which ENIs are wired, which peerings carry traffic,
 * which ENIs the internet gateway maps.  The one place these are decided;
 * compile/ and analyze/ both ask here.  Linear: a snapshot holds one
 * daemon's resources.  Pure: no I/O, no clock. */
#ifndef SEMANTICS_SNAP_H
#define SEMANTICS_SNAP_H
#include <stdbool.h>
#include <stdint.h>

#include "model/snapshot.h"

/* Each returns the resource with that ID (borrowed from s), or NULL. */
const struct vpc *sem_vpc(const struct snapshot *s, const char *id);
const struct subnet *sem_subnet(const struct snapshot *s, const char *id);
const struct instance *sem_instance(const struct snapshot *s, const char *id);
const struct eni *sem_eni(const struct snapshot *s, const char *id);
const struct security_group *sem_group(const struct snapshot *s, const char *id);
const struct nat_gateway *sem_natgw(const struct snapshot *s, const char *id);
const struct peering *sem_pcx(const struct snapshot *s, const char *id);
/* The internet gateway attached to vpc_id, or NULL (IGW-3: at most one). */
const struct igw *sem_igw_of_vpc(const struct snapshot *s, const char *vpc_id);
/* The instance's ENI with device index 0, or NULL. */
const struct eni *sem_primary_eni(const struct snapshot *s, const char *instance_id);
/* The ENI (of any VPC) whose private IPv4 is ip, or NULL. */
const struct eni *sem_eni_by_ip(const struct snapshot *s, uint32_t ip);
/* The wired ENI whose public IPv4 (auto-assigned or Elastic) is ip, or NULL. */
const struct eni *sem_eni_by_public_ip(const struct snapshot *s, uint32_t ip);
/* The VPC one of whose associated blocks holds ip, or NULL. */
const struct vpc *sem_vpc_of_ip(const struct snapshot *s, uint32_t ip);

/* An ENI is wired (has its veth and passes packets) while its instance
 * is not terminated, or, for a NAT gateway's ENI, while the gateway is
 * available.  A standalone ENI has no link until it is attached. */
bool sem_eni_wired(const struct snapshot *s, const struct eni *e);
/* An ENI is alive while it exists and its instance (if any) is not
 * terminated: the internet gateway keeps routing its public IPv4. */
bool sem_eni_alive(const struct snapshot *s, const struct eni *e);
/* True for a NAT gateway's requester-managed ENI (no groups, no IMDS). */
bool sem_eni_is_natgw(const struct eni *e);
/* True when security groups apply to e: an ordinary interface (AWS: a NAT
 * gateway's ENI takes none, and nothing filters it). */
bool sem_eni_has_groups(const struct eni *e);
/* True when the ENI's instance is running (an ENI without one: true). */
bool sem_eni_running(const struct snapshot *s, const struct eni *e);
/* The available NAT gateway that owns ENI e, or NULL. */
const struct nat_gateway *sem_natgw_of_eni(const struct snapshot *s, const struct eni *e);
/* ENI-4: true when the router drops packets of e whose source (leaving
 * the instance) or destination (entering it) is not e's own address. */
bool sem_eni_checks_src_dst(const struct eni *e);
/* IGW-7: the public IPv4 the internet gateway maps to e's private IPv4
 * (1:1 NAT), or 0 when e has none (or is not wired). */
uint32_t sem_eni_public_ip(const struct snapshot *s, const struct eni *e);

/* Spec §13: the other VPC of peering p when p is active and vpc_id is one
 * of its sides; otherwise NULL.  Only an active peering carries traffic. */
const char *sem_pcx_peer(const struct peering *p, const char *vpc_id);
/* True when an active peering joins VPCs a and b (SG-10: group references). */
bool sem_vpcs_peered(const struct snapshot *s, const char *a, const char *b);
/* The active peering joining VPCs a and b, or NULL. */
const struct peering *sem_pcx_between(const struct snapshot *s, const char *a, const char *b);

/* Checklist 12: 169.254.0.0/16 is never routed onward (only the metadata
 * service answers there, inside the router). */
bool sem_is_link_local(uint32_t ip);
/* IGW-9/10: private space (RFC 1918 and RFC 6598) never crosses the
 * internet gateway. */
bool sem_is_private_space(uint32_t ip);

#endif
