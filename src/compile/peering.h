// SPDX-License-Identifier: MIT
/* VPC peering between two routers (spec §13): a veth while the peering is
 * active, `p<8 hex>` at both ends, a /30 of link addresses; the routes
 * come from the route tables (targets `pcx-…`), and the forward chain
 * admits over it only the peer's addresses, delivered only to this VPC's
 * ENIs (no transit).  Pure. */
#ifndef COMPILE_PEERING_H
#define COMPILE_PEERING_H
#include <stdint.h>

#include "compile/desired.h"

struct builder;
struct buf;
struct nsb;
struct peering;
struct vpc;

/* The router-side name of a peering's link, the same in both routers. */
void compile_pcx_ifname(const struct peering *p, char out[DP_IFNAME_MAX]);
/* The link address of vpc_id's end of peering p. */
uint32_t compile_pcx_addr(const struct peering *p, const char *vpc_id);
/* Adds to the router of v the links (created from the requester's side)
 * and link addresses of v's active peerings. */
void compile_pcx_links(struct builder *b, struct nsb *nb, const struct vpc *v);
/* Appends the set pcx_src (ifname . peer address) for v's router. */
void compile_pcx_sets(struct builder *b, const struct vpc *v, struct buf *t);

#endif
