// SPDX-License-Identifier: MIT
/* NAT-gateway and Elastic-IP rows (tables natgw, eip). */
#ifndef STORE_NAT_GATEWAY_H
#define STORE_NAT_GATEWAY_H
#include <stddef.h>

struct store;
struct arena;
struct nat_gateway;

/* Every NAT gateway (creation order), deleted ones included, with tags.
 * Arena-owned.  compile/ reads this through the snapshot. */
int store_natgw_list(struct store *st, struct arena *a, struct nat_gateway **ret, size_t *ret_n);

#endif
