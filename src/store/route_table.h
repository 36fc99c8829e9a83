// SPDX-License-Identifier: MIT
/* Route tables, routes and route-table associations. */
#ifndef STORE_ROUTE_TABLE_H
#define STORE_ROUTE_TABLE_H
#include <stddef.h>

struct store;
struct arena;
struct route_table;
struct route;
struct rtb_assoc;
struct cidr;

/* Inserts the table row (not its routes or assocs); sets rt->head.seq. */
int store_rtb_insert(struct store *st, struct route_table *rt);
int store_route_insert(struct store *st, const char *rtb_id, const struct route *r);
int store_rtb_assoc_insert(struct store *st, const char *rtb_id, const struct rtb_assoc *as);
/* Deletes a table with its routes, associations and tags. */
int store_rtb_delete(struct store *st, const char *id);
/* Deletes the local route for dest from every table of the VPC. */
int store_route_delete_local_in_vpc(struct store *st, const char *vpc_id, const struct cidr *dest);
/* The ID of the VPC's main route table (arena); -ENOENT if none. */
int store_rtb_main_of_vpc(struct store *st, struct arena *a, const char *vpc_id, const char **ret);
/* IDs of every route table of a VPC (arena). */
int store_rtb_ids_in_vpc(struct store *st, struct arena *a, const char *vpc_id,
			 const char ***ret, size_t *ret_n);

#endif
