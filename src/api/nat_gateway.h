// SPDX-License-Identifier: MIT
/* NAT-gateway pieces other API families call (route targets). */
#ifndef API_NAT_GATEWAY_H
#define API_NAT_GATEWAY_H
#include "api/errors.h"

struct api_call;
struct nat_gateway;

/* Loads NAT gateway id (one still visible: NAT-3) into *ret (arena), or
 * fails with not_found (NatGatewayNotFound for Describe/Delete,
 * InvalidNatGatewayID.NotFound for a route target: spec ERR-9). */
int api_natgw_load(struct api_call *c, const char *id, enum api_err not_found,
		   struct nat_gateway **ret);

#endif
