// SPDX-License-Identifier: MIT
/* The default VPC: 172.31.0.0/16, a default /20 subnet per AZ, an attached
 * internet gateway and a main route table with 0.0.0.0/0 → igw (VPC-12). */
#include "api/bootstrap.h"

#include <errno.h>
#include <string.h>

#include "api/actions.h"
#include "api/api.h"
#include "api/igw.h"
#include "api/route_table.h"
#include "api/subnet.h"
#include "api/vpc.h"
#include "model/igw.h"
#include "model/region.h"
#include "model/vpc.h"
#include "store/store.h"
#include "store/vpc.h"
#include "util/arena.h"
#include "util/log.h"

bool bootstrap_region_known(const char *region)
{
	return region_find(region) != NULL;
}

int api_default_vpc_find(struct api_call *c, struct vpc **ret)
{
	struct vpc *v;
	size_t n;
	if (store_vpc_list(c->st, c->arena, &v, &n) < 0)
		return api_fail(c, ERR_INTERNAL);
	for (size_t i = 0; i < n; i++)
		if (v[i].is_default) {
			*ret = &v[i];
			return 0;
		}
	return -ENOENT;
}

static int build(struct api_call *c, struct vpc **ret)
{
	const struct region *rg = region_find(c->cfg->region);
	struct cidr block, any = { 0, 0 };
	struct vpc *v;
	struct subnet *s;
	struct igw *g;
	const char *rtb;
	int r;

	(void)cidr_parse("172.31.0.0/16", &block);
	if ((r = api_vpc_create(c, &block, "default", true, NULL, &v)) < 0)
		return r;
	for (unsigned i = 0; i < rg->n_azs; i++)
		if ((r = api_subnet_create_default(c, v, (int)i, &s)) < 0)
			return r;
	if ((r = api_igw_create(c, NULL, &g)) < 0 || (r = api_igw_attach(c, g, v)) < 0 ||
	    (r = api_rtb_main_of_vpc(c, v->head.id, &rtb)) < 0 ||
	    (r = api_rtb_add_route(c, rtb, &any, ROUTE_GATEWAY, g->head.id)) < 0)
		return r;
	*ret = v;
	return 0;
}

int bootstrap_default_vpc(struct api_ctx *ctx)
{
	struct arena *a = arena_new();
	struct buf out;
	struct xml x;
	struct params p = { 0 };
	struct api_call c = { .arena = a, .st = ctx->st, .cfg = &ctx->cfg, .x = &x, .p = &p };
	const char *done;
	struct vpc *v;
	int r;

	buf_init(&out, 1024 * 1024);
	xml_init(&x, &out);
	if (store_begin(ctx->st) < 0) {
		r = -EIO;
		goto out;
	}
	r = store_meta_get(ctx->st, a, "bootstrapped", &done);
	if (r == 0)
		goto commit;
	if (r != -ENOENT || build(&c, &v) < 0 || store_meta_set(ctx->st, "bootstrapped", "1") < 0) {
		store_rollback(ctx->st);
		r = -EIO;
		goto out;
	}
	log_info("bootstrap", "default_vpc=%s region=%s", v->head.id, ctx->cfg.region);
commit:
	r = store_commit(ctx->st) < 0 ? -EIO : 0;
out:
	buf_done(&out);
	arena_free(a);
	return r;
}

static int create_default_vpc(struct api_call *c)
{
	struct vpc *v;
	size_t n;
	int r = api_default_vpc_find(c, &v);
	if (r == 0)
		return api_fail(c, ERR_DEFAULT_VPC_EXISTS);
	if (r != -ENOENT)
		return r;
	if (store_vpc_count(c->st, &n) < 0)
		return api_fail(c, ERR_INTERNAL);
	if (n >= c->cfg->limits.vpcs)
		return api_fail(c, ERR_VPC_LIMIT);
	if ((r = api_dry_run(c)) < 0 || (r = build(c, &v)) < 0)
		return r;
	xml_open(c->x, "vpc");
	api_vpc_write(c, v, "pending");
	xml_close(c->x);
	return 0;
}

const struct api_action api_default_vpc_actions[] = {
	{ "CreateDefaultVpc", create_default_vpc, API_PARAMS() },
	{ NULL, NULL, NULL },
};
