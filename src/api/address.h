// SPDX-License-Identifier: MIT
/* Elastic-IP pieces other API families call (NAT gateways, the ENI and
 * instance writers, the instance lifecycle).  An associated Elastic IP is
 * its ENI's eni.public_ip: that is all the data plane sees (IGW-7). */
#ifndef API_ADDRESS_H
#define API_ADDRESS_H
#include <stdbool.h>

struct api_call;
struct eip;
struct eni;

/* Loads allocation id into *ret (arena) or fails with
 * InvalidAllocationID.NotFound. */
int api_eip_load(struct api_call *c, const char *id, struct eip **ret);
/* The Elastic IP associated with ENI eni_id, or NULL (none, or a store
 * error: callers only choose how to show an address).  Arena-owned. */
const struct eip *api_eip_of_eni(struct api_call *c, const char *eni_id);
/* Associates p with e's primary private IP: moves it from the ENI it is on
 * (which gets a new auto-assigned public IP when AWS would give one,
 * EIP-6), disassociates another Elastic IP of e (EIP-4) and replaces e's
 * auto-assigned address.  Writes p->association_id.  No checks: callers
 * validate first.  0 or the failure recorded on the call. */
int api_eip_associate(struct api_call *c, struct eip *p, struct eni *e);

#endif
