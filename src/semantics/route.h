// SPDX-License-Identifier: MIT
/* Route tables (spec RT-1..24): which table a subnet uses, which of its
 * routes are in effect (active or blackhole, RT-18/19), longest-prefix
 * match, and what a route's target resolves to.  compile/ programs these
 * routes into the routers' policy routing; analyze/ follows them.  Pure. */
#ifndef SEMANTICS_ROUTE_H
#define SEMANTICS_ROUTE_H
#include <stdbool.h>
#include <stdint.h>

struct eni;
struct igw;
struct nat_gateway;
struct peering;
struct route;
struct route_table;
struct snapshot;
struct subnet;

enum sem_hop_kind {
	SEM_HOP_LOCAL,     /* inside the VPC: the ENI that holds the address */
	SEM_HOP_IGW,       /* the internet gateway (1:1 NAT to public IPs) */
	SEM_HOP_ENI,       /* an ENI (a NAT instance, a middlebox) */
	SEM_HOP_NATGW,     /* a NAT gateway, through its ENI */
	SEM_HOP_PEERING,   /* the other VPC of an active peering */
	SEM_HOP_BLACKHOLE, /* RT-19: the target is gone or unusable; drops */
};

/* What a route's target is, resolved in the snapshot. */
struct sem_next_hop {
	enum sem_hop_kind kind;
	const struct igw *igw;           /* SEM_HOP_IGW */
	const struct eni *eni;           /* SEM_HOP_ENI, SEM_HOP_NATGW */
	const struct nat_gateway *natgw; /* SEM_HOP_NATGW */
	const struct peering *pcx;       /* SEM_HOP_PEERING */
	const char *peer_vpc_id;         /* SEM_HOP_PEERING */
	const char *why;                 /* SEM_HOP_BLACKHOLE: static words */
};

/* RT-2: the route table a subnet uses, its explicit association or the
 * VPC's main table; NULL when there is none. */
const struct route_table *sem_route_table_of_subnet(const struct snapshot *s,
						    const struct subnet *sn);
/* True when r is a local route (a VPC block; traffic to it stays in the
 * VPC and never uses the other routes: the kernel's table 200). */
bool sem_route_is_local(const struct route *r);
/* Resolves the target of route r of table t (RT-19: blackhole when a
 * gateway is detached or deleted, an instance gone or not running, a NAT
 * gateway not available, a peering not active).  Returns the kind; *ret
 * filled (borrowed from s). */
enum sem_hop_kind sem_route_resolve(const struct snapshot *s, const struct route_table *t,
				    const struct route *r, struct sem_next_hop *ret);
/* Longest-prefix match of dst in t: the route that decides, or NULL (no
 * route: the packet is dropped).  A local route wins for addresses in the
 * VPC's blocks whatever else the table holds, as the routers do. */
const struct route *sem_route_lookup(const struct route_table *t, uint32_t dst);
/* "active" or "blackhole" as DescribeRouteTables would show it. */
const char *sem_route_state(const struct snapshot *s, const struct route_table *t,
			    const struct route *r);

#endif
