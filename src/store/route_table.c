// SPDX-License-Identifier: MIT
/* Route-table rows; see route_table.h. */
#include "store/route_table.h"

#include <errno.h>

#include "model/route_table.h"
#include "store/internal.h"
#include "util/arena.h"

int store_rtb_insert(struct store *st, struct route_table *rt)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO route_table(id, vpc_id) VALUES (?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, rt->head.id);
	store_bind_text(s, 2, rt->vpc_id);
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
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			v = arena_grow_array(a, v, n, ncap, sizeof(*v));
			cap = ncap;
		}
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

int store_route_delete_local_in_vpc(struct store *st, const char *vpc_id, const struct cidr *dest)
{
	sqlite3_stmt *s = store_stmt(
		st, "DELETE FROM route WHERE target_type = 'local' AND dest_cidr = ? AND"
		    " route_table_id IN (SELECT id FROM route_table WHERE vpc_id = ?)");
	if (!s)
		return -EIO;
	store_bind_cidr(s, 1, dest);
	store_bind_text(s, 2, vpc_id);
	return store_exec_stmt(st, s);
}

int store_rtb_main_of_vpc(struct store *st, struct arena *a, const char *vpc_id, const char **ret)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT t.id FROM route_table t JOIN rtb_assoc a ON"
					 " a.route_table_id = t.id WHERE t.vpc_id = ? AND a.is_main = 1");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, vpc_id);
	int rc = sqlite3_step(s), r = 0;
	if (rc == SQLITE_ROW)
		*ret = store_col_text(s, 0, a);
	else
		r = rc == SQLITE_DONE ? -ENOENT : store_err(st, "rtb_main");
	sqlite3_reset(s);
	return r;
}
