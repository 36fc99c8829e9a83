// SPDX-License-Identifier: MIT
/* Network insights rows; see network_insights.h.  The only SQL for tables
 * ni_path and ni_analysis. */
#include "store/network_insights.h"

#include <errno.h>
#include <string.h>

#include "model/network_insights.h"
#include "store/internal.h"
#include "store/store.h"
#include "util/arena.h"

#define PATH_COLS                                                                            \
	"SELECT seq, id, source, destination, source_ip, destination_ip, protocol,"          \
	" destination_port, created FROM ni_path"

static void path_row(sqlite3_stmt *q, struct ni_path *p)
{
	memset(p, 0, sizeof(*p));
	p->head.seq = sqlite3_column_int64(q, 0);
	store_col_copy(q, 1, p->head.id, sizeof(p->head.id));
	store_col_copy(q, 2, p->source, sizeof(p->source));
	store_col_copy(q, 3, p->destination, sizeof(p->destination));
	p->source_ip = (uint32_t)sqlite3_column_int64(q, 4);
	p->destination_ip = (uint32_t)sqlite3_column_int64(q, 5);
	p->protocol = sqlite3_column_int(q, 6);
	p->destination_port = sqlite3_column_int(q, 7);
	p->created_ms = sqlite3_column_int64(q, 8);
}

/* Runs a path query (one optional text bind) into a list. */
static int paths(struct store *st, struct arena *a, sqlite3_stmt *q, const char *arg,
		 struct ni_path **ret, size_t *ret_n)
{
	if (!q)
		return -EIO;
	if (arg)
		store_bind_text(q, 1, arg);
	struct ni_path *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		path_row(q, &v[n++]);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, "ni_path_list");
	int r = 0;
	for (size_t i = 0; i < n && !r; i++)
		r = store_tags_load(st, a, &v[i].head);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_ni_path_list(struct store *st, struct arena *a, struct ni_path **ret, size_t *ret_n)
{
	return paths(st, a, store_stmt(st, PATH_COLS " ORDER BY seq"), NULL, ret, ret_n);
}

int store_ni_path_get(struct store *st, struct arena *a, const char *id, struct ni_path **ret)
{
	struct ni_path *v;
	size_t n;
	int r = paths(st, a, store_stmt(st, PATH_COLS " WHERE id = ?"), id, &v, &n);
	if (r < 0)
		return r;
	if (!n)
		return -ENOENT;
	*ret = v;
	return 0;
}

int store_ni_path_by_token(struct store *st, struct arena *a, const char *token,
			   struct ni_path **ret)
{
	struct ni_path *v;
	size_t n;
	int r = paths(st, a, store_stmt(st, PATH_COLS " WHERE client_token = ? ORDER BY seq"),
		      token, &v, &n);
	if (r < 0)
		return r;
	if (!n)
		return -ENOENT;
	*ret = v;
	return 0;
}

int store_ni_path_insert(struct store *st, struct ni_path *p, const char *client_token)
{
	sqlite3_stmt *q = store_stmt(st, "INSERT INTO ni_path(id, source, destination, source_ip,"
					 " destination_ip, protocol, destination_port, created,"
					 " client_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, p->head.id);
	store_bind_text(q, 2, p->source);
	store_bind_text(q, 3, p->destination);
	sqlite3_bind_int64(q, 4, p->source_ip);
	sqlite3_bind_int64(q, 5, p->destination_ip);
	sqlite3_bind_int(q, 6, p->protocol);
	sqlite3_bind_int(q, 7, p->destination_port);
	sqlite3_bind_int64(q, 8, p->created_ms);
	if (client_token)
		store_bind_text(q, 9, client_token);
	else
		sqlite3_bind_null(q, 9);
	int r = store_exec_stmt(st, q);
	if (r == 0)
		p->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
	return r;
}

int store_ni_path_delete(struct store *st, const char *id)
{
	sqlite3_stmt *q = store_stmt(st, "DELETE FROM ni_path WHERE id = ?");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, id);
	int r = store_exec_stmt(st, q);
	return r < 0 ? r : store_tags_delete_all(st, id);
}

#define ANALYSIS_COLS                                                                        \
	"SELECT seq, id, path_id, start, status, found, status_message, result"              \
	" FROM ni_analysis"

static int analyses(struct store *st, struct arena *a, sqlite3_stmt *q, const char *arg,
		    struct ni_analysis **ret, size_t *ret_n)
{
	if (!q)
		return -EIO;
	if (arg)
		store_bind_text(q, 1, arg);
	struct ni_analysis *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct ni_analysis *an = &v[n++];
		memset(an, 0, sizeof(*an));
		an->head.seq = sqlite3_column_int64(q, 0);
		store_col_copy(q, 1, an->head.id, sizeof(an->head.id));
		store_col_copy(q, 2, an->path_id, sizeof(an->path_id));
		an->start_ms = sqlite3_column_int64(q, 3);
		const char *status = (const char *)sqlite3_column_text(q, 4);
		if (!status || ni_status_parse(status, &an->status) < 0) {
			sqlite3_reset(q);
			return -EIO;
		}
		an->found = sqlite3_column_int(q, 5);
		an->status_message = store_col_text(q, 6, a);
		an->result = store_col_text(q, 7, a);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, "ni_analysis_list");
	int r = 0;
	for (size_t i = 0; i < n && !r; i++)
		r = store_tags_load(st, a, &v[i].head);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_ni_analysis_list(struct store *st, struct arena *a, struct ni_analysis **ret,
			   size_t *ret_n)
{
	return analyses(st, a, store_stmt(st, ANALYSIS_COLS " ORDER BY seq"), NULL, ret, ret_n);
}

int store_ni_analysis_count(struct store *st, const char *path_id, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM ni_analysis WHERE path_id = ?", path_id,
			    ret);
}

int store_ni_analysis_by_token(struct store *st, struct arena *a, const char *token,
			       struct ni_analysis **ret)
{
	struct ni_analysis *v;
	size_t n;
	int r = analyses(st, a,
			 store_stmt(st, ANALYSIS_COLS " WHERE client_token = ? ORDER BY seq"),
			 token, &v, &n);
	if (r < 0)
		return r;
	if (!n)
		return -ENOENT;
	*ret = v;
	return 0;
}

int store_ni_analysis_insert(struct store *st, struct ni_analysis *an, const char *client_token)
{
	sqlite3_stmt *q = store_stmt(st, "INSERT INTO ni_analysis(id, path_id, start, status,"
					 " found, status_message, result, client_token)"
					 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, an->head.id);
	store_bind_text(q, 2, an->path_id);
	sqlite3_bind_int64(q, 3, an->start_ms);
	store_bind_text(q, 4, ni_status_name(an->status));
	sqlite3_bind_int(q, 5, an->found);
	store_bind_text(q, 6, an->status_message ? an->status_message : "");
	store_bind_text(q, 7, an->result ? an->result : "");
	if (client_token)
		store_bind_text(q, 8, client_token);
	else
		sqlite3_bind_null(q, 8);
	int r = store_exec_stmt(st, q);
	if (r == 0)
		an->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
	return r;
}

int store_ni_analysis_delete(struct store *st, const char *id)
{
	sqlite3_stmt *q = store_stmt(st, "DELETE FROM ni_analysis WHERE id = ?");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, id);
	int r = store_exec_stmt(st, q);
	return r < 0 ? r : store_tags_delete_all(st, id);
}
