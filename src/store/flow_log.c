// SPDX-License-Identifier: MIT
/* Flow-log rows; see flow_log.h.  The only SQL for table flow_log. */
#include "store/flow_log.h"

#include <errno.h>
#include <string.h>

#include "model/flow_log.h"
#include "store/internal.h"
#include "store/store.h"
#include "util/arena.h"

int store_flow_log_list(struct store *st, struct arena *a, struct flow_log **ret, size_t *ret_n)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT seq, id, resource_id, resource_type, traffic_type,"
					 " dest_type, log_destination, log_group, deliver_arn,"
					 " log_format, max_interval, create_time FROM flow_log"
					 " ORDER BY seq");
	if (!q)
		return -EIO;
	struct flow_log *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct flow_log *f = &v[n++];
		memset(f, 0, sizeof(*f));
		f->head.seq = sqlite3_column_int64(q, 0);
		store_col_copy(q, 1, f->head.id, sizeof(f->head.id));
		store_col_copy(q, 2, f->resource_id, sizeof(f->resource_id));
		const char *rt = (const char *)sqlite3_column_text(q, 3);
		const char *tt = (const char *)sqlite3_column_text(q, 4);
		const char *dt = (const char *)sqlite3_column_text(q, 5);
		if (!rt || !tt || !dt || fl_resource_parse(rt, &f->resource_type) < 0 ||
		    fl_traffic_parse(tt, &f->traffic) < 0 || fl_dest_parse(dt, &f->dest_type) < 0) {
			sqlite3_reset(q);
			return -EIO;
		}
		f->log_destination = store_col_text(q, 6, a);
		f->log_group = store_col_text(q, 7, a);
		f->deliver_arn = store_col_text(q, 8, a);
		f->log_format = store_col_text(q, 9, a);
		f->max_interval_s = sqlite3_column_int(q, 10);
		f->create_time = sqlite3_column_int64(q, 11);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, "flow_log_list");
	int r = 0;
	for (size_t i = 0; i < n && !r; i++)
		r = store_tags_load(st, a, &v[i].head);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_flow_log_insert(struct store *st, struct flow_log *f, const char *client_token)
{
	sqlite3_stmt *q = store_stmt(st, "INSERT INTO flow_log(id, resource_id, resource_type,"
					 " traffic_type, dest_type, log_destination, log_group,"
					 " deliver_arn, log_format, max_interval, create_time,"
					 " client_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, f->head.id);
	store_bind_text(q, 2, f->resource_id);
	store_bind_text(q, 3, fl_resource_name(f->resource_type));
	store_bind_text(q, 4, fl_traffic_name(f->traffic));
	store_bind_text(q, 5, fl_dest_name(f->dest_type));
	store_bind_text(q, 6, f->log_destination);
	store_bind_text(q, 7, f->log_group ? f->log_group : "");
	store_bind_text(q, 8, f->deliver_arn ? f->deliver_arn : "");
	store_bind_text(q, 9, f->log_format);
	sqlite3_bind_int(q, 10, f->max_interval_s);
	sqlite3_bind_int64(q, 11, f->create_time);
	if (client_token)
		store_bind_text(q, 12, client_token);
	else
		sqlite3_bind_null(q, 12);
	int r = store_exec_stmt(st, q);
	if (r == 0)
		f->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
	return r;
}

int store_flow_log_delete(struct store *st, const char *id)
{
	sqlite3_stmt *q = store_stmt(st, "DELETE FROM flow_log WHERE id = ?");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, id);
	int r = store_exec_stmt(st, q);
	return r < 0 ? r : store_tags_delete_all(st, id);
}

int store_flow_log_by_token(struct store *st, struct arena *a, const char *token,
			    const char ***ret, size_t *ret_n)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT id FROM flow_log WHERE client_token = ?"
					 " ORDER BY seq");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, token);
	const char **v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		v[n++] = store_col_text(q, 0, a);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, "flow_log_by_token");
	*ret = v;
	*ret_n = n;
	return 0;
}

#define ORPHANS                                                                              \
	"SELECT id FROM flow_log WHERE"                                                      \
	" (resource_type = 'VPC' AND resource_id NOT IN (SELECT id FROM vpc))"               \
	" OR (resource_type = 'Subnet' AND resource_id NOT IN (SELECT id FROM subnet))"      \
	" OR (resource_type = 'NetworkInterface' AND resource_id NOT IN (SELECT id FROM eni))"

int store_flow_log_purge_orphans(struct store *st)
{
	sqlite3_stmt *q = store_stmt(st, "DELETE FROM tag WHERE resource_id IN (" ORPHANS ")");
	int r;
	if (!q)
		return -EIO;
	if ((r = store_exec_stmt(st, q)) < 0)
		return r;
	q = store_stmt(st, "DELETE FROM flow_log WHERE id IN (" ORPHANS ")");
	if (!q)
		return -EIO;
	return store_exec_stmt(st, q);
}
