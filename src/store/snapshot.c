// SPDX-License-Identifier: MIT
/* The reconciler's view of the store; see snapshot.h.  Route tables are read
 * here with their routes and associations in two passes. */
#include "store/snapshot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/instance.h"
#include "model/snapshot.h"
#include "model/snapshot_index.h"
#include "store/flow_log.h"
#include "store/igw.h"
#include "store/instance.h"
#include "store/internal.h"
#include "store/nat_gateway.h"
#include "store/network_acl.h"
#include "store/peering.h"
#include "store/pushed_key.h"
#include "store/security_group.h"
#include "store/subnet.h"
#include "store/vpc.h"
#include "util/arena.h"

static int load_rtbs(struct store *st, struct arena *a, struct snapshot *s)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT seq, id, vpc_id FROM route_table ORDER BY seq");
	if (!q)
		return -EIO;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, s->rtbs, s->n_rtbs, cap);
		struct route_table *t = &s->rtbs[s->n_rtbs++];
		t->head.seq = sqlite3_column_int64(q, 0);
		store_col_copy(q, 1, t->head.id, sizeof(t->head.id));
		store_col_copy(q, 2, t->vpc_id, sizeof(t->vpc_id));
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, "snapshot_rtbs");
	for (size_t i = 0; i < s->n_rtbs; i++) {
		struct route_table *t = &s->rtbs[i];
		q = store_stmt(st, "SELECT dest_cidr, target_type, target_id, origin FROM route"
				   " WHERE route_table_id = ? ORDER BY seq");
		if (!q)
			return -EIO;
		store_bind_text(q, 1, t->head.id);
		size_t rcap = 0;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			ARENA_RESERVE(a, t->routes, t->n_routes, rcap);
			struct route *r = &t->routes[t->n_routes++];
			const char *type = (const char *)sqlite3_column_text(q, 1);
			if (store_col_cidr(q, 0, &r->dest) < 0 || !type ||
			    route_target_parse(type, &r->target) < 0) {
				sqlite3_reset(q);
				return -EIO;
			}
			store_col_copy(q, 2, r->target_id, sizeof(r->target_id));
			r->origin = store_col_text(q, 3, a);
		}
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return store_err(st, "snapshot_routes");
		q = store_stmt(st, "SELECT id, subnet_id, gateway_id, is_main FROM rtb_assoc"
				   " WHERE route_table_id = ? ORDER BY seq");
		if (!q)
			return -EIO;
		store_bind_text(q, 1, t->head.id);
		size_t acap = 0;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			ARENA_RESERVE(a, t->assocs, t->n_assocs, acap);
			struct rtb_assoc *as = &t->assocs[t->n_assocs++];
			store_col_copy(q, 0, as->id, sizeof(as->id));
			store_col_copy(q, 1, as->subnet_id, sizeof(as->subnet_id));
			store_col_copy(q, 2, as->gateway_id, sizeof(as->gateway_id));
			as->is_main = sqlite3_column_int(q, 3);
		}
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return store_err(st, "snapshot_assocs");
	}
	return 0;
}

static int by_attachment(const void *pa, const void *pb)
{
	const struct eni *x = *(const struct eni *const *)pa, *y = *(const struct eni *const *)pb;
	int c = strcmp(x->instance_id, y->instance_id);
	if (c)
		return c;
	if (x->device_index != y->device_index)
		return x->device_index < y->device_index ? -1 : 1;
	return (x->head.seq > y->head.seq) - (x->head.seq < y->head.seq);
}

/* Each instance's ENIs from the snapshot's own list, by device index (as
 * store_instance_list orders them): loading them per instance read every
 * attached ENI, its groups and its tags a second time, about half of the
 * snapshot's 6,000 statements at 1,000 instances. */
static void attach_enis(struct snapshot *s, struct arena *a)
{
	struct eni **v = arena_alloc_array(a, s->n_enis + 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < s->n_enis; i++)
		if (s->enis[i].instance_id[0])
			v[n++] = &s->enis[i];
	qsort(v, n, sizeof(*v), by_attachment);
	size_t k = 0;
	for (size_t i = 0; i < s->n_instances; i++) {
		struct instance *in = &s->instances[i];
		/* Both in id order would make this a merge; instances are in
		 * creation order, so each finds its run by binary search. */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(v[mid]->instance_id, in->head.id) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (k = lo; k < n && !strcmp(v[k]->instance_id, in->head.id); k++)
			;
		in->n_enis = 0;
		in->enis = k > lo ? arena_alloc_array(a, k - lo, sizeof(*in->enis)) : NULL;
		for (size_t j = lo; j < k; j++) {
			in->enis[in->n_enis++] = v[j];
			if (v[j]->device_index == 0)
				in->eni = v[j];
		}
	}
}

static int load_all(struct store *st, struct arena *a, struct snapshot *ret)
{
	struct snapshot s;
	int r;
	memset(&s, 0, sizeof(s));
	if ((r = store_vpc_list(st, a, &s.vpcs, &s.n_vpcs)) < 0 ||
	    (r = store_subnet_list(st, a, NULL, &s.subnets, &s.n_subnets)) < 0 ||
	    (r = load_rtbs(st, a, &s)) < 0 || (r = store_igw_list(st, a, &s.igws, &s.n_igws)) < 0 ||
	    (r = store_instance_rows(st, a, &s.instances, &s.n_instances)) < 0 ||
	    (r = store_eni_list(st, a, NULL, &s.enis, &s.n_enis)) < 0 ||
	    (r = store_sg_list(st, a, NULL, &s.sgs, &s.n_sgs)) < 0 ||
	    (r = store_nacl_list(st, a, NULL, &s.nacls, &s.n_nacls)) < 0 ||
	    (r = store_natgw_list(st, a, &s.natgws, &s.n_natgws)) < 0 ||
	    (r = store_pcx_list(st, a, &s.pcxs, &s.n_pcxs)) < 0 ||
	    (r = store_pushed_key_list(st, a, &s.pushed_keys, &s.n_pushed_keys)) < 0 ||
	    (r = store_flow_log_list(st, a, &s.flow_logs, &s.n_flow_logs)) < 0)
		return r;
	attach_enis(&s, a);
	snapshot_index_build(&s, a);
	*ret = s;
	return 0;
}

int store_snapshot_load(struct store *st, struct arena *a, struct snapshot *ret)
{
	int r;
	if ((r = store_begin_read(st)) < 0)
		return r;
	r = load_all(st, a, ret);
	store_rollback(st); /* read only */
	return r;
}

int store_snapshot_load_in_tx(struct store *st, struct arena *a, struct snapshot *ret)
{
	return load_all(st, a, ret);
}
