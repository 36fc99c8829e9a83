// SPDX-License-Identifier: MIT
/* Route-table rows; see route_table.h.  The only SQL for route tables,
 * routes and their associations, plus the read-only lookups that tell
 * whether a route's target is still usable (RT-19). */
#include "store/route_table.h"

#include <errno.h>
#include <string.h>

#include "model/route_table.h"
#include "store/internal.h"
#include "util/arena.h"

int store_rtb_insert(struct store *st, struct route_table *rt, const char *client_token)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO route_table(id, vpc_id, client_token)"
					 " VALUES (?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, rt->head.id);
	store_bind_text(s, 2, rt->vpc_id);
	if (client_token)
		store_bind_text(s, 3, client_token);
	int r = store_exec_stmt(st, s);
	if (r == 0)
		rt->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
	return r;
}

int store_route_insert(struct store *st, const char *rtb_id, const struct route *rt)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO route(route_table_id, dest_cidr, target_type,"
					 " target_id, origin) VALUES (?, ?, ?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, rtb_id);
	store_bind_cidr(s, 2, &rt->dest);
	store_bind_text(s, 3, route_target_name(rt->target));
	store_bind_text(s, 4, rt->target_id);
	store_bind_text(s, 5, rt->origin);
	return store_exec_stmt(st, s);
}

/* Runs a data-changing statement; -ENOENT when it touched no row. */
static int exec_changed(struct store *st, sqlite3_stmt *s)
{
	int r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	return sqlite3_changes(sqlite3_db_handle(s)) > 0 ? 0 : -ENOENT;
}

int store_route_update(struct store *st, const char *rtb_id, const struct route *rt)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE route SET target_type = ?, target_id = ?"
					 " WHERE route_table_id = ? AND dest_cidr = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, route_target_name(rt->target));
	store_bind_text(s, 2, rt->target_id);
	store_bind_text(s, 3, rtb_id);
	store_bind_cidr(s, 4, &rt->dest);
	return exec_changed(st, s);
}

int store_route_delete(struct store *st, const char *rtb_id, const struct cidr *dest)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM route WHERE route_table_id = ? AND"
					 " dest_cidr = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, rtb_id);
	store_bind_cidr(s, 2, dest);
	return exec_changed(st, s);
}

int store_rtb_assoc_insert(struct store *st, const char *rtb_id, const struct rtb_assoc *as)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO rtb_assoc(id, route_table_id, subnet_id,"
					 " gateway_id, is_main) VALUES (?, ?, ?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, as->id);
	store_bind_text(s, 2, rtb_id);
	if (as->subnet_id[0])
		store_bind_text(s, 3, as->subnet_id);
	if (as->gateway_id[0])
		store_bind_text(s, 4, as->gateway_id);
	sqlite3_bind_int(s, 5, as->is_main);
	return store_exec_stmt(st, s);
}

int store_rtb_assoc_delete(struct store *st, const char *assoc_id)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM rtb_assoc WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, assoc_id);
	return exec_changed(st, s);
}

int store_rtb_delete(struct store *st, const char *id)
{
	static const char *const sqls[] = {
		"DELETE FROM route WHERE route_table_id = ?",
		"DELETE FROM rtb_assoc WHERE route_table_id = ?",
		"DELETE FROM route_table WHERE id = ?",
	};
	for (size_t i = 0; i < 3; i++) {
		sqlite3_stmt *s = store_stmt(st, sqls[i]);
		if (!s)
			return -EIO;
		store_bind_text(s, 1, id);
		int r = store_exec_stmt(st, s);
		if (r < 0)
			return r;
	}
	return store_tags_delete_all(st, id);
}

int store_rtb_ids_in_vpc(struct store *st, struct arena *a, const char *vpc_id,
			 const char ***ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id FROM route_table WHERE vpc_id = ? ORDER BY seq");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, vpc_id);
	const char **v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		v[n++] = store_col_text(s, 0, a);
	}
	int r = rc == SQLITE_DONE ? 0 : store_err(st, "rtb_ids");
	sqlite3_reset(s);
	if (r == 0) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_rtb_count_in_vpc(struct store *st, const char *vpc_id, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM route_table WHERE vpc_id = ?", vpc_id, ret);
}

int store_route_delete_local_in_vpc(struct store *st, const char *vpc_id, const struct cidr *dest)
{
	sqlite3_stmt *s = store_stmt(
		st, "DELETE FROM route WHERE origin = 'CreateRouteTable' AND dest_cidr = ? AND"
		    " route_table_id IN (SELECT id FROM route_table WHERE vpc_id = ?)");
	if (!s)
		return -EIO;
	store_bind_cidr(s, 1, dest);
	store_bind_text(s, 2, vpc_id);
	return store_exec_stmt(st, s);
}

int store_rtb_main_of_vpc(struct store *st, struct arena *a, const char *vpc_id, const char **ret)
{
	return store_text1(st, a,
			   "SELECT t.id FROM route_table t JOIN rtb_assoc a ON a.route_table_id = t.id"
			   " WHERE t.vpc_id = ? AND a.is_main = 1",
			   vpc_id, NULL, ret);
}

int store_rtb_by_token(struct store *st, struct arena *a, const char *token, const char **ret)
{
	return store_text1(st, a, "SELECT id FROM route_table WHERE client_token = ?", token, NULL, ret);
}

/* Target state (RT-19): one lookup per target type.  Each sets
 * r->is_blackhole and the derived IDs; a family that gains its own table
 * (NAT gateways, peerings, egress-only gateways) replaces `gone` below. */
typedef int (*target_state_fn)(struct store *st, const char *vpc_id, struct route *r);

static int local_state(struct store *st, const char *vpc_id, struct route *r)
{
	(void)st;
	(void)vpc_id;
	r->is_blackhole = false;
	return 0;
}

/* An internet gateway serves only the VPC it is attached to. */
static int gateway_state(struct store *st, const char *vpc_id, struct route *r)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT vpc_id FROM igw WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, r->target_id);
	int rc = sqlite3_step(s);
	const unsigned char *v = rc == SQLITE_ROW ? sqlite3_column_text(s, 0) : NULL;
	r->is_blackhole = !v || strcmp((const char *)v, vpc_id) != 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_err(st, "route_igw");
}

/* A NAT instance forwards only while it runs (the reconciler agrees:
 * compile/ wires no next hop to an instance that is not running). */
static int instance_state(struct store *st, const char *vpc_id, struct route *r)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT i.state, (SELECT e.id FROM eni e WHERE"
					 " e.instance_id = i.id AND e.device_index = 0)"
					 " FROM instance i WHERE i.id = ? AND i.vpc_id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, r->target_id);
	store_bind_text(s, 2, vpc_id);
	int rc = sqlite3_step(s);
	r->is_blackhole = true;
	r->eni_id[0] = '\0';
	if (rc == SQLITE_ROW) {
		const unsigned char *state = sqlite3_column_text(s, 0);
		r->is_blackhole = !state || strcmp((const char *)state, "running") != 0;
		store_col_copy(s, 1, r->eni_id, sizeof(r->eni_id));
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_err(st, "route_instance");
}

/* An ENI forwards while it exists and, when attached, its instance runs. */
static int eni_state(struct store *st, const char *vpc_id, struct route *r)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT e.instance_id, i.state FROM eni e LEFT JOIN"
					 " instance i ON i.id = e.instance_id"
					 " WHERE e.id = ? AND e.vpc_id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, r->target_id);
	store_bind_text(s, 2, vpc_id);
	int rc = sqlite3_step(s);
	r->is_blackhole = true;
	r->instance_id[0] = '\0';
	if (rc == SQLITE_ROW) {
		store_col_copy(s, 0, r->instance_id, sizeof(r->instance_id));
		const unsigned char *state = sqlite3_column_text(s, 1);
		r->is_blackhole = r->instance_id[0] &&
				  (!state || strcmp((const char *)state, "running") != 0);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_err(st, "route_eni");
}

/* A NAT gateway forwards while it is pending or available in this VPC
 * (NAT-4: deleted → blackhole; a failed one never forwarded). */
static int natgw_state(struct store *st, const char *vpc_id, struct route *r)
{
	size_t n = 0;
	sqlite3_stmt *s = store_stmt(st, "SELECT COUNT(*) FROM natgw WHERE id = ? AND vpc_id = ?"
					 " AND state IN ('pending', 'available')");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, r->target_id);
	store_bind_text(s, 2, vpc_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		n = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	r->is_blackhole = n == 0;
	return rc == SQLITE_ROW ? 0 : store_err(st, "route_natgw");
}

/* A peering forwards only while active and only for its two VPCs (RT-19). */
static int peering_state(struct store *st, const char *vpc_id, struct route *r)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT COUNT(*) FROM pcx WHERE id = ? AND state = 'active'"
					 " AND (requester_vpc = ? OR accepter_vpc = ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, r->target_id);
	store_bind_text(s, 2, vpc_id);
	store_bind_text(s, 3, vpc_id);
	int rc = sqlite3_step(s);
	r->is_blackhole = rc != SQLITE_ROW || sqlite3_column_int(s, 0) == 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_err(st, "route_pcx");
}

/* Targets whose family localvpc does not hold yet: nothing can serve them. */
static int gone(struct store *st, const char *vpc_id, struct route *r)
{
	(void)st;
	(void)vpc_id;
	r->is_blackhole = true;
	return 0;
}

static const target_state_fn target_state[ROUTE_TARGET_COUNT] = {
	[ROUTE_LOCAL] = local_state,
	[ROUTE_GATEWAY] = gateway_state,
	[ROUTE_NAT_GATEWAY] = natgw_state,
	[ROUTE_INSTANCE] = instance_state,
	[ROUTE_NETWORK_INTERFACE] = eni_state,
	[ROUTE_VPC_PEERING] = peering_state,
	[ROUTE_EGRESS_ONLY_IGW] = gone,
};

static int load_routes(struct store *st, struct arena *a, struct route_table *t)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT dest_cidr, target_type, target_id, origin"
					 " FROM route WHERE route_table_id = ? ORDER BY seq");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, t->head.id);
	size_t cap = 0;
	int rc, r = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, t->routes, t->n_routes, cap);
		struct route *rt = &t->routes[t->n_routes++];
		const char *type = (const char *)sqlite3_column_text(q, 1);
		if (store_col_cidr(q, 0, &rt->dest) < 0 || !type ||
		    route_target_parse(type, &rt->target) < 0) {
			r = -EIO; /* fail closed on a row we cannot read */
			break;
		}
		store_col_copy(q, 2, rt->target_id, sizeof(rt->target_id));
		rt->origin = store_col_text(q, 3, a);
	}
	if (!r && rc != SQLITE_DONE)
		r = store_err(st, "rtb_routes");
	sqlite3_reset(q);
	/* The state lookups use statements of their own, after this one is done. */
	for (size_t i = 0; i < t->n_routes && !r; i++)
		r = target_state[t->routes[i].target](st, t->vpc_id, &t->routes[i]);
	return r;
}

static void col_assoc(sqlite3_stmt *q, int first, struct rtb_assoc *as)
{
	store_col_copy(q, first, as->id, sizeof(as->id));
	store_col_copy(q, first + 1, as->subnet_id, sizeof(as->subnet_id));
	store_col_copy(q, first + 2, as->gateway_id, sizeof(as->gateway_id));
	as->is_main = sqlite3_column_int(q, first + 3);
}

static int load_assocs(struct store *st, struct arena *a, struct route_table *t)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT id, subnet_id, gateway_id, is_main FROM rtb_assoc"
					 " WHERE route_table_id = ? ORDER BY seq");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, t->head.id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, t->assocs, t->n_assocs, cap);
		col_assoc(q, 0, &t->assocs[t->n_assocs++]);
	}
	int r = rc == SQLITE_DONE ? 0 : store_err(st, "rtb_assocs");
	sqlite3_reset(q);
	return r;
}

static int read_tables(struct store *st, struct arena *a, sqlite3_stmt *q,
		       struct route_table **ret, size_t *ret_n)
{
	struct route_table *v = NULL;
	size_t n = 0, cap = 0;
	int rc, r = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		v[n].head.seq = sqlite3_column_int64(q, 0);
		store_col_copy(q, 1, v[n].head.id, sizeof(v[n].head.id));
		store_col_copy(q, 2, v[n].vpc_id, sizeof(v[n].vpc_id));
		n++;
	}
	if (rc != SQLITE_DONE)
		r = store_err(st, "rtb_list");
	sqlite3_reset(q);
	for (size_t i = 0; i < n && !r; i++) {
		if ((r = load_routes(st, a, &v[i])) < 0 || (r = load_assocs(st, a, &v[i])) < 0)
			break;
		r = store_tags_load(st, a, &v[i].head);
	}
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_rtb_get(struct store *st, struct arena *a, const char *id, struct route_table **ret)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT seq, id, vpc_id FROM route_table WHERE id = ?");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, id);
	struct route_table *v;
	size_t n;
	int r = read_tables(st, a, q, &v, &n);
	if (r < 0)
		return r;
	if (!n)
		return -ENOENT;
	*ret = v;
	return 0;
}

int store_rtb_list(struct store *st, struct arena *a, struct route_table **ret, size_t *ret_n)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT seq, id, vpc_id FROM route_table ORDER BY seq");
	if (!q)
		return -EIO;
	return read_tables(st, a, q, ret, ret_n);
}

static int assoc_one(struct store *st, sqlite3_stmt *q, const char *key,
		     struct rtb_assoc *ret_as, char ret_rtb_id[ID_MAX])
{
	if (!q)
		return -EIO;
	store_bind_text(q, 1, key);
	int rc = sqlite3_step(q), r = 0;
	if (rc == SQLITE_ROW) {
		col_assoc(q, 0, ret_as);
		store_col_copy(q, 4, ret_rtb_id, ID_MAX);
	} else {
		r = rc == SQLITE_DONE ? -ENOENT : store_err(st, "rtb_assoc");
	}
	sqlite3_reset(q);
	return r;
}

int store_rtb_assoc_get(struct store *st, const char *assoc_id, struct rtb_assoc *ret_as,
			char ret_rtb_id[ID_MAX])
{
	return assoc_one(st,
			 store_stmt(st, "SELECT id, subnet_id, gateway_id, is_main, route_table_id"
					" FROM rtb_assoc WHERE id = ?"),
			 assoc_id, ret_as, ret_rtb_id);
}

int store_rtb_assoc_of_subnet(struct store *st, const char *subnet_id, struct rtb_assoc *ret_as,
			      char ret_rtb_id[ID_MAX])
{
	return assoc_one(st,
			 store_stmt(st, "SELECT id, subnet_id, gateway_id, is_main, route_table_id"
					" FROM rtb_assoc WHERE subnet_id = ?"),
			 subnet_id, ret_as, ret_rtb_id);
}

int store_rtb_assoc_of_gateway(struct store *st, const char *gateway_id,
			       struct rtb_assoc *ret_as, char ret_rtb_id[ID_MAX])
{
	return assoc_one(st,
			 store_stmt(st, "SELECT id, subnet_id, gateway_id, is_main, route_table_id"
					" FROM rtb_assoc WHERE gateway_id = ?"),
			 gateway_id, ret_as, ret_rtb_id);
}
