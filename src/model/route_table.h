// SPDX-License-Identifier: MIT
/* Route tables, their routes and associations (spec RT-1..24).  Pure data
 * plus AWS's rules for which routes may be created; no I/O, no globals.  The
 * API layer looks targets up in the store and turns the results of these
 * functions into EC2 error codes. */
#ifndef MODEL_ROUTE_TABLE_H
#define MODEL_ROUTE_TABLE_H
#include <stdbool.h>
#include <stddef.h>

#include "model/resource.h"
#include "util/cidr.h"

enum route_target {
	ROUTE_LOCAL,
	ROUTE_GATEWAY,           /* igw-… (or vgw-…) */
	ROUTE_NAT_GATEWAY,
	ROUTE_INSTANCE,          /* stored as the instance ID; shown with its ENI */
	ROUTE_NETWORK_INTERFACE,
	ROUTE_VPC_PEERING,
	ROUTE_EGRESS_ONLY_IGW,
	ROUTE_TARGET_COUNT
};

/* AWS RT-15: the link-local /22 that holds IMDS, the DNS resolver and the
 * time service; no route may point into it. */
#define ROUTE_RESERVED_ADDR 0xa9fea800u /* 169.254.168.0 */
#define ROUTE_RESERVED_LEN 22

#define ROUTE_ORIGIN_TABLE "CreateRouteTable" /* the local route(s) */
#define ROUTE_ORIGIN_ROUTE "CreateRoute"

struct route {
	struct cidr dest;
	enum route_target target;
	char target_id[ID_MAX];   /* "local" for ROUTE_LOCAL */
	const char *origin;       /* ROUTE_ORIGIN_TABLE | ROUTE_ORIGIN_ROUTE */
	/* Derived when the store loads a table for the API (RT-19); the
	 * reconciler's snapshot leaves them empty and decides for itself. */
	bool is_blackhole;        /* the target is gone or unusable */
	char eni_id[ID_MAX];      /* ROUTE_INSTANCE: the instance's primary ENI, or "" */
	char instance_id[ID_MAX]; /* ROUTE_NETWORK_INTERFACE: the ENI's instance, or "" */
};

struct rtb_assoc {
	char id[ID_MAX];          /* rtbassoc-… */
	char subnet_id[ID_MAX];   /* "" for the main association */
	char gateway_id[ID_MAX];  /* "" unless an edge association (RT-24) */
	bool is_main;
};

struct route_table {
	struct res_head head;
	char vpc_id[ID_MAX];
	struct route *routes;     /* creation order; the local route(s) first */
	size_t n_routes;
	struct rtb_assoc *assocs;
	size_t n_assocs;
};

/* The name used in the store and in filters for a target type ("gateway"…). */
const char *route_target_name(enum route_target t);
int route_target_parse(const char *s, enum route_target *ret);
/* "active" or "blackhole" (RT-18). */
const char *route_state_name(const struct route *r);

/* RT-10: one target per route.  ids[t] is the ID given for target type t
 * (NULL when absent; ROUTE_LOCAL stands for ReplaceRoute's LocalTarget);
 * n_unsupported counts targets localvpc does not model (transit gateways,
 * endpoints…).  Returns 0 with the target in *ret, -ENOENT when none is
 * given (MissingParameter), -EINVAL when several are (InvalidParameter-
 * Combination), -EOPNOTSUPP when the one given is unsupported. */
int route_pick_target(const char *const ids[ROUTE_TARGET_COUNT], size_t n_unsupported,
		      enum route_target *ret);

/* May a route to dest with this target type be created in a table of a VPC
 * with the given blocks and subnet blocks?  Returns 0, or
 *   -EACCES  dest is 169.254.168.0/22 or inside it (RT-15);
 *   -EEXIST  dest equals a VPC block: that is the local route (RT-12);
 *   -ERANGE  dest lies inside a VPC block and is not a whole subnet block
 *            served by a NAT gateway, ENI or instance (RT-14).
 * Wider destinations and destinations outside the VPC are fine (RT-13). */
int route_dest_check(const struct cidr *vpc_blocks, size_t n_blocks,
		     const struct cidr *subnet_blocks, size_t n_subnets, const struct cidr *dest,
		     enum route_target target);

/* RT-9: the local route's target may only be replaced by an ENI (or set
 * back to local). */
bool route_local_replaceable_by(enum route_target target);

/* RT-24: may a table holding route r be (or stay) associated with a
 * gateway?  Targets local or an ENI; destinations a whole VPC block or a
 * whole subnet block.  Returns 0 or -EINVAL. */
int route_edge_check(const struct cidr *vpc_blocks, size_t n_blocks,
		     const struct cidr *subnet_blocks, size_t n_subnets, const struct route *r);

/* The route of t for exactly dest, or NULL. Borrowed from t. */
const struct route *route_find(const struct route_table *t, const struct cidr *dest);
/* Routes that count toward the per-table quota (RT-8): those made by
 * CreateRoute; the local routes do not. */
size_t route_count_static(const struct route_table *t);
/* True for the local route of a VPC block, even when RT-9 replaced its target. */
bool route_is_local(const struct route *r);

/* The association that makes t the main table, or NULL. */
const struct rtb_assoc *rtb_main_assoc(const struct route_table *t);
/* True when t is associated with a gateway (a gateway route table). */
bool rtb_is_gateway_table(const struct route_table *t);

#endif
