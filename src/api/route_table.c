// SPDX-License-Identifier: MIT
/* Route tables over the EC2 Query API (spec §4). */
#include "api/route_table.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api/actions.h"
#include "api/call.h"
#include "model/route_table.h"
#include "model/vpc.h"
#include "store/route_table.h"
#include "store/store.h"
#include "util/arena.h"

static int store_failed(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

int api_rtb_create_main(struct api_call *c, const struct vpc *v)
{
	struct route_table rt = { 0 };
	struct rtb_assoc as = { 0 };

	id_new("rtb", rt.head.id);
	memcpy(rt.vpc_id, v->head.id, sizeof(rt.vpc_id));
	if (store_rtb_insert(c->st, &rt) < 0)
		return store_failed(c);
	for (size_t i = 0; i < v->n_assocs; i++) {
		struct route r = { .dest = v->assocs[i].cidr,
				   .target = ROUTE_LOCAL,
				   .target_id = "local",
				   .origin = "CreateRouteTable" };
		if (store_route_insert(c->st, rt.head.id, &r) < 0)
			return store_failed(c);
	}
	id_new("rtbassoc", as.id);
	as.is_main = true;
	if (store_rtb_assoc_insert(c->st, rt.head.id, &as) < 0)
		return store_failed(c);
	return 0;
}

int api_rtb_add_local_routes(struct api_call *c, const char *vpc_id, const struct cidr *block)
{
	const char **ids;
	size_t n;
	if (store_rtb_ids_in_vpc(c->st, c->arena, vpc_id, &ids, &n) < 0)
		return store_failed(c);
	for (size_t i = 0; i < n; i++) {
		struct route r = { .dest = *block,
				   .target = ROUTE_LOCAL,
				   .target_id = "local",
				   .origin = "CreateRouteTable" };
		if (store_route_insert(c->st, ids[i], &r) < 0)
			return store_failed(c);
	}
	return 0;
}

int api_rtb_delete_all_in_vpc(struct api_call *c, const char *vpc_id)
{
	const char **ids;
	size_t n;
	if (store_rtb_ids_in_vpc(c->st, c->arena, vpc_id, &ids, &n) < 0)
		return store_failed(c);
	for (size_t i = 0; i < n; i++)
		if (store_rtb_delete(c->st, ids[i]) < 0)
			return store_failed(c);
	return 0;
}

int api_rtb_remove_local_routes(struct api_call *c, const char *vpc_id, const struct cidr *block)
{
	return store_route_delete_local_in_vpc(c->st, vpc_id, block) < 0 ? store_failed(c) : 0;
}

int api_rtb_add_route(struct api_call *c, const char *rtb_id, const struct cidr *dest,
		      enum route_target target, const char *target_id)
{
	struct route r = { .dest = *dest, .target = target, .origin = "CreateRoute" };
	snprintf(r.target_id, sizeof(r.target_id), "%s", target_id);
	int e = store_route_insert(c->st, rtb_id, &r);
	if (e == -EEXIST) {
		char buf[CIDR_STR_MAX];
		return api_fail(c, ERR_ROUTE_EXISTS, cidr_format(dest, buf));
	}
	return e < 0 ? store_failed(c) : 0;
}

int api_rtb_main_of_vpc(struct api_call *c, const char *vpc_id, const char **ret)
{
	return store_rtb_main_of_vpc(c->st, c->arena, vpc_id, ret) < 0 ? store_failed(c) : 0;
}

const struct api_action api_route_table_actions[] = {
	{ NULL, NULL, NULL },
};
