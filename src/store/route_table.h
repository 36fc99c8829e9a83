// SPDX-License-Identifier: MIT
/* Route tables, routes and route-table associations.  Loading a table for
 * the API also derives each route's state (RT-19) from the target's own
 * rows: one small lookup per target type in route_table.c. */
#ifndef STORE_ROUTE_TABLE_H
#define STORE_ROUTE_TABLE_H
#include <stddef.h>

#include "util/id.h"

struct store;
struct arena;
struct route_table;
struct route;
struct rtb_assoc;
struct cidr;

/* Inserts the table row (not its routes or assocs) with an optional
 * ClientToken (NULL for none); sets rt->head.seq. */
int store_rtb_insert(struct store *st, struct route_table *rt, const char *client_token);
int store_route_insert(struct store *st, const char *rtb_id, const struct route *r);
/* Points the route for r->dest at r's target (ReplaceRoute); -ENOENT if the
 * table has no such route.  The origin is kept. */
int store_route_update(struct store *st, const char *rtb_id, const struct route *r);
/* Deletes the route for dest; -ENOENT if there is none. */
int store_route_delete(struct store *st, const char *rtb_id, const struct cidr *dest);
int store_rtb_assoc_insert(struct store *st, const char *rtb_id, const struct rtb_assoc *as);
/* Deletes one association by ID; -ENOENT if there is none. */
int store_rtb_assoc_delete(struct store *st, const char *assoc_id);
/* Deletes a table with its routes, associations and tags. */
int store_rtb_delete(struct store *st, const char *id);
/* Deletes the local route for dest from every table of the VPC, whatever
 * target RT-9 gave it. */
int store_route_delete_local_in_vpc(struct store *st, const char *vpc_id, const struct cidr *dest);
/* The ID of the VPC's main route table (arena); -ENOENT if none. */
int store_rtb_main_of_vpc(struct store *st, struct arena *a, const char *vpc_id, const char **ret);
/* IDs of every route table of a VPC (arena). */
int store_rtb_ids_in_vpc(struct store *st, struct arena *a, const char *vpc_id,
			 const char ***ret, size_t *ret_n);
int store_rtb_count_in_vpc(struct store *st, const char *vpc_id, size_t *ret);

/* One table with routes (state derived), associations and tags into *ret
 * (arena); -ENOENT if absent. */
int store_rtb_get(struct store *st, struct arena *a, const char *id, struct route_table **ret);
/* Every table (creation order), loaded as store_rtb_get() does (arena). */
int store_rtb_list(struct store *st, struct arena *a, struct route_table **ret, size_t *ret_n);
/* The ID of the table created with this ClientToken into *ret (arena);
 * -ENOENT if none. */
int store_rtb_by_token(struct store *st, struct arena *a, const char *token, const char **ret);

/* Where an association lives.  Each fills *ret_as and ret_rtb_id (the
 * table's ID) and returns 0, or returns -ENOENT. */
int store_rtb_assoc_get(struct store *st, const char *assoc_id, struct rtb_assoc *ret_as,
			char ret_rtb_id[ID_MAX]);
/* A subnet's explicit association (RT-2). */
int store_rtb_assoc_of_subnet(struct store *st, const char *subnet_id, struct rtb_assoc *ret_as,
			      char ret_rtb_id[ID_MAX]);
/* A gateway's edge association (RT-24). */
int store_rtb_assoc_of_gateway(struct store *st, const char *gateway_id,
			       struct rtb_assoc *ret_as, char ret_rtb_id[ID_MAX]);

#endif
